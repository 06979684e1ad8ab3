/*
 * bench_probe_udp.c - CPU time per OPTIONS ping with real sockets: N probes
 * on one ctx send over one UDP socket to a responder on loopback, every
 * `interval`, for a given time; the process's CPU time (getrusage: user +
 * system, so the sendto/recvfrom system calls count) over the answered
 * rounds. bench/kamailio_ping.sh runs it beside Kamailio's dispatcher
 * pinging the same number of destinations on the same responder, which
 * is measured the same way (its processes' CPU time per ping).
 *
 * Usage: bench_probe_udp --target IPv4:PORT [--probes N] [--interval MS]
 *                        [--seconds S] [--warmup S] [--slack MS]
 * --slack makes the loop wake on multiples of MS milliseconds (and when a
 * response arrives) and run what fell due meanwhile, as an event loop with
 * a coarse tick does (Kamailio's
 * dispatcher pings its whole list once per interval); 0, the default,
 * wakes at every deadline. Prints one line:
 * "probes N slack_ms S rounds R alive A cpu_ms C ns_per_round X".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <siphb/siphb.h>

#include "common/bench_util.h"

#define PROG "bench_probe_udp"

typedef struct run {
  int fd;
  uint64_t alive, rounds;
  bool counting;
} run;

static siphb_ms now_ms(void) { return (siphb_ms)(bench_now_ns() / 1000000u); }

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx;
  (void)info;
  run *r = user_data;
  return send(r->fd, data, len, 0) == (ssize_t)len ? 0 : SIPHB_ERR_SEND;
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  run *r = user_data;
  if (ev->type != SIPHB_EVENT_PROBE_RESULT || !r->counting) return 0;
  r->rounds++;
  if (ev->u.probe.outcome == SIPHB_PROBE_ALIVE) r->alive++;
  return 0;
}

int main(int argc, char **argv) {
  const char *target = NULL;
  unsigned long n = 1000, interval = 1000, seconds = 20, warmup = 3, slack = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--target") && i + 1 < argc) target = argv[++i];
    else if (!strcmp(argv[i], "--probes") && i + 1 < argc) n = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--interval") && i + 1 < argc) interval = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--slack") && i + 1 < argc) slack = strtoul(argv[++i], NULL, 10);
    else bench_fail(PROG, "usage", "unknown option %s", argv[i]);
  }
  char host[64];
  const char *colon = target ? strrchr(target, ':') : NULL;
  struct sockaddr_in to;
  memset(&to, 0, sizeof to);
  to.sin_family = AF_INET;
  if (!colon || (size_t)(colon - target) >= sizeof host || n == 0 || interval == 0)
    bench_fail(PROG, "usage", "--target IPv4:PORT needed, --probes and --interval above 0");
  memcpy(host, target, (size_t)(colon - target));
  host[colon - target] = '\0';
  to.sin_port = htons((uint16_t)atoi(colon + 1));
  if (inet_pton(AF_INET, host, &to.sin_addr) != 1) bench_fail(PROG, "usage", "bad address %s", host);

  run r;
  memset(&r, 0, sizeof r);
  r.fd = socket(AF_INET, SOCK_DGRAM, 0);
  int big = 4 << 20;
  setsockopt(r.fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  setsockopt(r.fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  if (r.fd < 0 || connect(r.fd, (struct sockaddr *)&to, sizeof to) != 0)
    bench_fail(PROG, "socket", "%s", strerror(errno));
  struct sockaddr_in local;
  socklen_t llen = sizeof local;
  getsockname(r.fd, (struct sockaddr *)&local, &llen);

  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  siphb_ctx *ctx;
  siphb_ms start = now_ms();
  if (siphb_ctx_new(&ctx, NULL, &cb, NULL, &r, start) != 0) bench_fail(PROG, "siphb", "ctx_new failed");
  char uri[96];
  snprintf(uri, sizeof uri, "sip:ping@%s", target);
  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  c.request_uri = siphb_str_c(uri);
  c.via_host = siphb_str_c(host);
  c.via_port = ntohs(local.sin_port);
  c.interval = interval;
  c.start_delay_max = interval; /* spread as a fleet would be */
  siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
  for (unsigned long k = 0; k < n; k++) {
    siphb_probe *p;
    if (siphb_probe_new(&p, ctx, &c, &peer, NULL, start) != 0 || siphb_probe_start(p, start) != 0)
      bench_fail(PROG, "siphb", "probe_new failed");
  }
  static uint8_t buf[65536];
  siphb_ms count_from = start + warmup * 1000, end = count_from + seconds * 1000;
  double cpu0 = 0;
  for (;;) {
    siphb_ms now = now_ms();
    if (!r.counting && now >= count_from) {
      r.counting = true;
      cpu0 = cpu_ms();
    }
    if (now >= end) break;
    siphb_ctx_advance(ctx, now);
    siphb_ms next = siphb_ctx_next_deadline(ctx);
    if (slack) { /* the next tick of a loop that wakes on multiples of slack */
      siphb_ms tick = (now / slack + 1) * slack;
      if (next < tick) next = tick;
    }
    siphb_ms wake = next < end ? next : end;
    struct pollfd pfd = {r.fd, POLLIN, 0};
    int ms = wake > now ? (int)(wake - now) : 0;
    if (poll(&pfd, 1, ms) <= 0) continue;
    for (;;) {
      ssize_t got = recv(r.fd, buf, sizeof buf, MSG_DONTWAIT);
      if (got <= 0) break;
      siphb_ctx_receive(ctx, &peer, buf, (size_t)got, NULL, now_ms());
    }
  }
  double used = cpu_ms() - cpu0;
  printf("probes %lu slack_ms %lu rounds %llu alive %llu cpu_ms %.0f ns_per_round %.0f\n", n, slack,
         (unsigned long long)r.rounds, (unsigned long long)r.alive, used,
         r.rounds ? used * 1e6 / (double)r.rounds : 0.0);
  siphb_ctx_del(ctx);
  close(r.fd);
  return r.rounds && r.alive == r.rounds ? 0 : 1;
}
