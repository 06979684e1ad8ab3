/*
 * net.c - the network helpers of the siphb subcommands (see net.h).
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* getaddrinfo, clock_gettime, sigaction under -std=c11 */
#endif

#include "net.h"

#ifndef _WIN32

#  include <errno.h>
#  include <fcntl.h>
#  include <netdb.h>
#  include <netinet/in.h>
#  include <signal.h>
#  include <stdio.h>
#  include <stdlib.h>
#  include <string.h>
#  include <time.h>
#  include <unistd.h>

#  include "addr.h"
#  include "tool.h"

bool net_parse_seconds(const char *s, uint64_t lo_ms, uint64_t hi_ms, uint64_t *out_ms) {
  uint64_t whole = 0, frac = 0;
  unsigned digits = 0, frac_digits = 0;
  const char *p = s;
  if (!s) return false;
  for (; *p >= '0' && *p <= '9'; p++, digits++) {
    whole = whole * 10 + (uint64_t)(*p - '0');
    if (whole > UINT64_MAX / 10000) return false;
  }
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, frac_digits++) {
      if (frac_digits >= 3) return false; /* below a millisecond */
      frac = frac * 10 + (uint64_t)(*p - '0');
    }
    if (frac_digits == 0) return false;
  }
  if (*p || digits == 0) return false;
  for (unsigned k = frac_digits; k < 3; k++) frac *= 10;
  uint64_t ms = whole * 1000 + frac;
  if (ms < lo_ms || ms > hi_ms) return false;
  *out_ms = ms;
  return true;
}

int net_seconds_value(const char *cmd, const char *name, const char *v, uint64_t lo_ms,
                      uint64_t hi_ms, uint64_t *out) {
  if (!v) return tool_usage_error(cmd, "%s needs a number of seconds", name);
  if (!net_parse_seconds(v, lo_ms, hi_ms, out))
    return tool_usage_error(cmd, "%s must be seconds from %.3g to %.3g (e.g. 0.5)", name,
                            (double)lo_ms / 1000.0, (double)hi_ms / 1000.0);
  return -1;
}

int net_count_value(const char *cmd, const char *v, unsigned *out) {
  if (!v || !tool_parse_uint(v, 1, 1000000000, out))
    return tool_usage_error(cmd, "--count must be a number from 1 to 1000000000");
  return -1;
}

int net_common_option(const char *cmd, const char *arg, const char *usage, bool *json,
                      int *family) {
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    fputs(usage, stdout);
    return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
  }
  if (strcmp(arg, "--json") == 0) {
    *json = true;
    return -1;
  }
  if (strcmp(arg, "-4") != 0 && strcmp(arg, "-6") != 0) return NET_NOT_COMMON;
  int f = arg[1] == '4' ? AF_INET : AF_INET6;
  if (*family != AF_UNSPEC && *family != f)
    return tool_usage_error(cmd, "%s: -4 and -6 exclude each other", arg);
  *family = f;
  return -1;
}

static int split_hostport(const char *cmd, const char *text, const char *default_port,
                          unsigned min_port, net_target *out) {
  const char *host = text, *port = NULL;
  size_t hlen;
  if (text[0] == '[') {
    const char *close = strchr(text, ']');
    if (!close) return tool_usage_error(cmd, "'%s': no ']' after the IPv6 address", text);
    host = text + 1;
    hlen = (size_t)(close - host);
    if (close[1] == ':')
      port = close + 2;
    else if (close[1])
      return tool_usage_error(cmd, "'%s': only ':PORT' may follow ']'", text);
  } else {
    const char *colon = strchr(text, ':');
    hlen = strlen(text);
    if (colon && !strchr(colon + 1, ':')) {
      hlen = (size_t)(colon - text);
      port = colon + 1;
    }
  }
  unsigned p;
  if (port && !tool_parse_uint(port, min_port, 65535, &p))
    return tool_usage_error(cmd, "'%s': the port must be a number from %u to 65535", text,
                            min_port);
  if (hlen == 0 || hlen >= sizeof out->host)
    return tool_usage_error(cmd, "'%s': no host, or too long", text);
  memcpy(out->host, host, hlen);
  out->host[hlen] = '\0';
  snprintf(out->port, sizeof out->port, "%s", port ? port : default_port);
  return -1;
}

int net_split_hostport(const char *cmd, const char *text, const char *default_port,
                       net_target *out) {
  return split_hostport(cmd, text, default_port, 1, out);
}

int net_split_listen(const char *cmd, const char *text, const char *default_port,
                     net_target *out) {
  return split_hostport(cmd, text, default_port, 0, out);
}

int net_resolve(const char *cmd, const net_target *t, int family, int socktype, net_addr *out) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = family;
  hints.ai_socktype = socktype;
  hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
  int g = getaddrinfo(t->host, t->port, &hints, &res);
  if (g != 0 && g != EAI_SYSTEM) {   /* AI_ADDRCONFIG hides ::1 on hosts with */
    hints.ai_flags = AI_NUMERICSERV; /* only loopback IPv6: try without */
    g = getaddrinfo(t->host, t->port, &hints, &res);
  }
  if (g != 0) {
    fprintf(stderr, "siphb: %s: cannot resolve '%s'%s: %s\n", cmd, t->host,
            family == AF_INET    ? " (IPv4)"
            : family == AF_INET6 ? " (IPv6)"
                                 : "",
            g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
    return TOOL_EXIT_USAGE;
  }
  /* The first address: these commands talk to one server. */
  memset(out, 0, sizeof *out);
  memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
  out->len = (socklen_t)res->ai_addrlen;
  freeaddrinfo(res);
  return -1;
}

siphb_mapped_addr net_mapped(const net_addr *a) {
  siphb_mapped_addr m;
  memset(&m, 0, sizeof m);
  (void)addr_from_sockaddr(&a->ss, &m);
  return m;
}

int net_udp_connect(const char *cmd, const char *what, const net_addr *to,
                    siphb_mapped_addr *local) {
  int fd = socket(to->ss.ss_family, SOCK_DGRAM, IPPROTO_UDP);
  bool ok = fd >= 0 && connect(fd, (const struct sockaddr *)&to->ss, to->len) == 0;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (ok)
    ok = getsockname(fd, (struct sockaddr *)&ss, &len) == 0 && addr_from_sockaddr(&ss, local);
  if (ok) return fd;
  fprintf(stderr, "siphb: %s: cannot open a UDP socket to %s: %s\n", cmd, what, strerror(errno));
  if (fd >= 0) close(fd);
  return -1;
}

int net_set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
  return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

int net_listen(const char *cmd, const net_target *t, int socktype, int *fd_out,
               siphb_mapped_addr *bound) {
  const char *what = socktype == SOCK_STREAM ? "tcp" : "udp";
  net_addr a;
  int rc = net_resolve(cmd, t, AF_UNSPEC, socktype, &a);
  if (rc >= 0) return rc;
  int fd = socket(a.ss.ss_family, socktype, 0);
  int one = 1;
  bool ok = fd >= 0;
  /* A restarted server must not wait out TIME_WAIT; an IPv6 socket takes
   * IPv6 only, so that [::]:P and 0.0.0.0:P can both be bound. */
  if (ok && socktype == SOCK_STREAM)
    ok = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0;
  if (ok && a.ss.ss_family == AF_INET6)
    ok = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) == 0;
  ok = ok && bind(fd, (const struct sockaddr *)&a.ss, a.len) == 0;
  if (ok && socktype == SOCK_STREAM) ok = listen(fd, 128) == 0;
  ok = ok && net_set_nonblock(fd) == 0;
  struct sockaddr_storage local;
  socklen_t llen = sizeof local;
  ok = ok && getsockname(fd, (struct sockaddr *)&local, &llen) == 0 &&
       addr_from_sockaddr(&local, bound);
  if (!ok) {
    int e = errno;
    fprintf(stderr, "siphb: %s: cannot listen on %s %s%s%s:%s: %s\n", cmd, what,
            a.ss.ss_family == AF_INET6 ? "[" : "", t->host,
            a.ss.ss_family == AF_INET6 ? "]" : "", t->port, strerror(e));
    if (fd >= 0) close(fd);
    return TOOL_EXIT_USAGE;
  }
  *fd_out = fd;
  return -1;
}

double net_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

siphb_ms net_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (siphb_ms)ts.tv_sec * 1000u + (siphb_ms)(ts.tv_nsec / 1000000);
}

static volatile sig_atomic_t stop_flag;

static void on_stop_signal(int sig) {
  (void)sig;
  stop_flag = 1;
}

void net_catch_stop_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: poll() returns EINTR */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

bool net_stop_requested(void) {
  return stop_flag != 0;
}

#endif /* !_WIN32 */
