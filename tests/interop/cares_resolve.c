/*
 * cares_resolve.c - drives siphb/cares.h with poll() for
 * tests/interop/cares_run.sh, against a real DNS server (dnsmasq) on
 * loopback.
 *
 *   cares_resolve [--timeout MS] [--tries N] [--seed S] [--repeat K]
 *                 [--family 4|6|46] SERVERS NAME...
 *
 * SERVERS is c-ares's list ("127.0.0.1:5353"). Every NAME is looked up
 * (all at once, on one resolver), and each result printed as
 *
 *   result NAME status=SIPHB_CARES_OK ares=0 targets=N
 *   target NAME POS HOST port=P priority=P weight=W ares=S addrs=A,B
 *
 * With --repeat K the lookups run K times and, instead, one line per NAME
 * counts how often each host came first:
 *
 *   first NAME HOST COUNT ...
 *
 * The random words come from a SplitMix64 seeded with --seed (default 1),
 * so a run is reproducible for a given DNS answer order. The whole run is
 * bounded by 20 s; exit 0 when every lookup reported (whatever its status),
 * 1 on a usage or API error or the time limit.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <siphb/cares.h>

#define MAX_NAMES 16
#define MAX_HOSTS 16

static uint64_t seed = 1;

static uint64_t splitmix(void) {
  uint64_t z = (seed += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static int random_fill(uint8_t *dest, size_t len, void *user_data) {
  (void)user_data;
  for (size_t i = 0; i < len; i++) dest[i] = (uint8_t)(splitmix() >> 56);
  return 0;
}

typedef struct tally {
  const char *name;
  char hosts[MAX_HOSTS][256];
  unsigned counts[MAX_HOSTS];
  size_t n_hosts;
} tally;

static tally tallies[MAX_NAMES];
static size_t outstanding;
static int repeat = 0;

static void print_addr(const siphb_mapped_addr *a) {
  char text[INET6_ADDRSTRLEN];
  if (!inet_ntop(a->family == 1 ? AF_INET : AF_INET6, a->addr, text, sizeof text))
    strcpy(text, "?");
  fputs(text, stdout);
}

static void done(siphb_cares *r, const siphb_cares_result *res, void *user_data) {
  (void)r;
  tally *t = user_data;
  outstanding--;
  if (repeat > 0) {
    if (res->n_targets == 0) return;
    const char *h = res->targets[0].host;
    size_t i = 0;
    while (i < t->n_hosts && strcmp(t->hosts[i], h) != 0) i++;
    if (i == t->n_hosts && t->n_hosts < MAX_HOSTS) {
      snprintf(t->hosts[i], sizeof t->hosts[i], "%s", h);
      t->n_hosts++;
    }
    if (i < t->n_hosts) t->counts[i]++;
    return;
  }
  printf("result %s status=%s ares=%d targets=%zu message=\"%s\"\n", res->name,
         siphb_cares_status_name(res->status), res->ares_status, res->n_targets, res->message);
  for (size_t i = 0; i < res->n_targets; i++) {
    const siphb_cares_target *tg = &res->targets[i];
    printf("target %s %zu %s port=%u priority=%u weight=%u ares=%d addrs=", res->name, i,
           tg->host[0] ? tg->host : ".", tg->port, tg->priority, tg->weight, tg->ares_status);
    for (uint16_t k = 0; k < tg->n_addrs; k++) {
      if (k) putchar(',');
      print_addr(&tg->addrs[k]);
      if (tg->addrs[k].port != tg->port) printf("(port %u!)", tg->addrs[k].port);
    }
    putchar('\n');
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the loop until every lookup reported or the deadline passed. */
static int run(siphb_cares *r, double deadline) {
  while (outstanding > 0) {
    if (now_s() > deadline) {
      fprintf(stderr, "cares_resolve: time limit, %zu lookup(s) outstanding\n", outstanding);
      return 1;
    }
    siphb_cares_fd fds[SIPHB_CARES_MAX_FDS];
    struct pollfd pfd[SIPHB_CARES_MAX_FDS];
    int n = siphb_cares_fds(r, fds, SIPHB_CARES_MAX_FDS);
    if (n < 0) return 1;
    for (int i = 0; i < n; i++) {
      pfd[i].fd = (int)fds[i].fd;
      pfd[i].events = (short)((fds[i].read ? POLLIN : 0) | (fds[i].write ? POLLOUT : 0));
      pfd[i].revents = 0;
    }
    siphb_ms t = siphb_cares_timeout(r);
    int wait = t == SIPHB_NEVER || t > 1000 ? 1000 : (int)t;
    int ready = poll(pfd, (nfds_t)n, wait);
    if (ready < 0) {
      perror("poll");
      return 1;
    }
    int handled = 0;
    for (int i = 0; i < n && ready > 0; i++) {
      if (!pfd[i].revents) continue;
      intptr_t rd = pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : SIPHB_CARES_NO_FD;
      intptr_t wr = pfd[i].revents & POLLOUT ? fds[i].fd : SIPHB_CARES_NO_FD;
      if (siphb_cares_process(r, rd, wr) != 0) return 1;
      handled++;
    }
    if (!handled && siphb_cares_process(r, SIPHB_CARES_NO_FD, SIPHB_CARES_NO_FD) != 0) return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  siphb_cares_config cfg;
  siphb_cares_config_init(&cfg, sizeof cfg);
  int i = 1;
  for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
    const char *v = argv[i + 1];
    if (strcmp(argv[i], "--timeout") == 0)
      cfg.timeout_ms = (uint32_t)strtoul(v, NULL, 10);
    else if (strcmp(argv[i], "--tries") == 0)
      cfg.tries = (uint32_t)strtoul(v, NULL, 10);
    else if (strcmp(argv[i], "--seed") == 0)
      seed = strtoull(v, NULL, 10);
    else if (strcmp(argv[i], "--repeat") == 0)
      repeat = atoi(v);
    else if (strcmp(argv[i], "--family") == 0) {
      cfg.ipv4 = strchr(v, '4') != NULL;
      cfg.ipv6 = strchr(v, '6') != NULL;
    } else {
      break;
    }
  }
  if (argc - i < 2 || argc - i - 1 > MAX_NAMES) {
    fprintf(stderr, "usage: cares_resolve [--timeout MS] [--tries N] [--seed S] [--repeat K] "
                    "[--family 4|6|46] SERVERS NAME...\n");
    return 1;
  }
  cfg.servers = argv[i++];
  cfg.random = random_fill;
  siphb_cares *r;
  int rc = siphb_cares_new(&r, &cfg, NULL);
  if (rc != 0) {
    fprintf(stderr, "cares_resolve: siphb_cares_new: %s\n", siphb_strerror(rc));
    return 1;
  }
  size_t n_names = (size_t)(argc - i);
  double deadline = now_s() + 20;
  int rounds = repeat > 0 ? repeat : 1, status = 0;
  for (int k = 0; k < rounds && status == 0; k++) {
    for (size_t j = 0; j < n_names; j++) {
      tallies[j].name = argv[i + (int)j];
      rc = siphb_cares_resolve(r, tallies[j].name, done, &tallies[j]);
      if (rc != 0) {
        fprintf(stderr, "cares_resolve: siphb_cares_resolve: %s\n", siphb_strerror(rc));
        status = 1;
        break;
      }
      outstanding++;
    }
    if (status == 0) status = run(r, deadline);
  }
  if (status == 0 && siphb_cares_pending(r) != 0) {
    fprintf(stderr, "cares_resolve: %zu lookup(s) still pending\n", siphb_cares_pending(r));
    status = 1;
  }
  if (repeat > 0)
    for (size_t j = 0; j < n_names; j++) {
      printf("first %s", tallies[j].name);
      for (size_t h = 0; h < tallies[j].n_hosts; h++)
        printf(" %s %u", tallies[j].hosts[h], tallies[j].counts[h]);
      putchar('\n');
    }
  siphb_cares_del(r);
  return status;
}
