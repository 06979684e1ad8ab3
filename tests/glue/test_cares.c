/*
 * test_cares.c - the c-ares glue (siphb/cares.h) against a small DNS server
 * inside the test: a UDP socket on 127.0.0.1 (port chosen by the kernel)
 * that answers the queries c-ares sends with hand-made messages (RFC 1035
 * section 4, RFC 2782 RDATA), so that answers c-ares rarely sees from a
 * real server (a lone "." target, SERVFAIL, silence) are exact. The loop
 * is the integrator's: poll() on siphb_cares_fds() and the server socket,
 * bounded by siphb_cares_timeout() and a wall-clock limit per test.
 * tests/interop/cares_run.sh does the same against dnsmasq.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <siphb/cares.h>

#include "failmem.h"

/* ---- the DNS server -------------------------------------------------------------- */

static int srv_fd = -1;
static char srv_addr[64];
static unsigned queries;

static size_t put_name(uint8_t *p, const char *name) {
  size_t n = 0;
  while (*name) {
    const char *dot = strchr(name, '.');
    size_t len = dot ? (size_t)(dot - name) : strlen(name);
    p[n++] = (uint8_t)len;
    memcpy(p + n, name, len);
    n += len;
    name += len + (dot ? 1 : 0);
  }
  p[n++] = 0;
  return n;
}

static size_t put16(uint8_t *p, unsigned v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
  return 2;
}

/* An answer record for the question's name (a pointer to offset 12). */
static size_t put_rr_head(uint8_t *p, unsigned type, unsigned rdlen) {
  size_t n = put16(p, 0xC00C);
  n += put16(p + n, type);
  n += put16(p + n, 1);
  n += put16(p + n, 0);
  n += put16(p + n, 60); /* TTL 60 */
  n += put16(p + n, rdlen);
  return n;
}

static size_t put_srv(uint8_t *p, unsigned prio, unsigned weight, unsigned port,
                      const char *target) {
  uint8_t rd[300];
  size_t rn = put16(rd, prio);
  rn += put16(rd + rn, weight);
  rn += put16(rd + rn, port);
  rn += put_name(rd + rn, target);
  size_t n = put_rr_head(p, 33, (unsigned)rn);
  memcpy(p + n, rd, rn);
  return n + rn;
}

/* Answers one query: the question's name (text) and type decide. */
static void serve_one(void) {
  uint8_t q[512], a[1024];
  struct sockaddr_in from;
  socklen_t flen = sizeof from;
  ssize_t got = recvfrom(srv_fd, q, sizeof q, 0, (struct sockaddr *)&from, &flen);
  if (got < 17) return;
  queries++;
  char name[256];
  size_t off = 12, nl = 0;
  while (off < (size_t)got && q[off] != 0 && nl < 200) {
    size_t len = q[off++];
    if (nl) name[nl++] = '.';
    memcpy(name + nl, q + off, len);
    nl += len;
    off += len;
  }
  name[nl] = '\0';
  off++; /* the root label */
  unsigned qtype = (unsigned)q[off] << 8 | q[off + 1];
  size_t qend = off + 4;

  if (strstr(name, "silent")) return; /* never answers: a timeout */
  unsigned rcode = 0, an = 0;
  size_t n = qend;
  memcpy(a, q, qend);
  if (strstr(name, "servfail")) {
    rcode = 2;
  } else if (strcmp(name, "_sip._udp.t.test") == 0 && qtype == 33) {
    n += put_srv(a + n, 1, 0, 5070, "a.t.test");
    n += put_srv(a + n, 0, 5, 5060, "b.t.test");
    n += put_srv(a + n, 0, 0, 5062, "c.t.test");
    an = 3;
  } else if (strcmp(name, "_sip._udp.dot.test") == 0 && qtype == 33) {
    n += put_srv(a + n, 0, 0, 0, "");
    an = 1;
  } else if (strcmp(name, "_sip._udp.none.test") == 0 && qtype == 33) {
    n += put_srv(a + n, 0, 0, 5060, "nx.t.test");
    an = 1;
  } else if (strcmp(name, "a.t.test") == 0 && qtype == 1) {
    n += put_rr_head(a + n, 1, 4);
    a[n++] = 192, a[n++] = 0, a[n++] = 2, a[n++] = 1;
    n += put_rr_head(a + n, 1, 4); /* the same address twice: kept once */
    a[n++] = 192, a[n++] = 0, a[n++] = 2, a[n++] = 1;
    an = 2;
  } else if (strcmp(name, "a.t.test") == 0 && qtype == 28) {
    n += put_rr_head(a + n, 28, 16);
    memset(a + n, 0, 16);
    a[n] = 0x20, a[n + 1] = 0x01, a[n + 2] = 0x0d, a[n + 3] = 0xb8, a[n + 15] = 1;
    n += 16;
    an = 1;
  } else if (strcmp(name, "c.t.test") == 0 && qtype == 1) {
    n += put_rr_head(a + n, 1, 4);
    a[n++] = 192, a[n++] = 0, a[n++] = 2, a[n++] = 3;
    an = 1;
  } else if (strcmp(name, "b.t.test") == 0 || strcmp(name, "nx.t.test") == 0 ||
             strstr(name, "nosrv")) {
    rcode = 3; /* NXDOMAIN */
  } /* else: NOERROR, no data */
  a[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD copied */
  a[3] = (uint8_t)(0x80 | rcode); /* RA */
  put16(a + 6, an);
  put16(a + 8, 0);
  put16(a + 10, 0);
  sendto(srv_fd, a, n, 0, (struct sockaddr *)&from, flen);
}

static int setup(void **state) {
  (void)state;
  srv_fd = socket(AF_INET, SOCK_DGRAM, 0);
  assert_true(srv_fd >= 0);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(srv_fd, (struct sockaddr *)&sin, sizeof sin), 0);
  socklen_t len = sizeof sin;
  assert_int_equal(getsockname(srv_fd, (struct sockaddr *)&sin, &len), 0);
  snprintf(srv_addr, sizeof srv_addr, "127.0.0.1:%u", ntohs(sin.sin_port));
  return 0;
}

static int teardown(void **state) {
  (void)state;
  close(srv_fd);
  return 0;
}

/* ---- the integrator's loop ------------------------------------------------------ */

typedef struct seen {
  int calls;
  siphb_cares_status status;
  size_t n;
  char hosts[4][64];
  uint16_t ports[4], n_addrs[4];
  siphb_mapped_addr first_addr[4];
  int action; /* 1: process from inside (refused); 2: delete r; 3: resolve again */
} seen;

static void done(siphb_cares *r, const siphb_cares_result *res, void *user_data) {
  seen *s = user_data;
  s->calls++;
  s->status = res->status;
  s->n = res->n_targets;
  assert_non_null(res->message);
  for (size_t i = 0; i < res->n_targets && i < 4; i++) {
    snprintf(s->hosts[i], sizeof s->hosts[i], "%s", res->targets[i].host);
    s->ports[i] = res->targets[i].port;
    s->n_addrs[i] = res->targets[i].n_addrs;
    if (res->targets[i].n_addrs) s->first_addr[i] = res->targets[i].addrs[0];
  }
  if (s->action == 1)
    assert_int_equal(siphb_cares_process(r, SIPHB_CARES_NO_FD, SIPHB_CARES_NO_FD),
                     SIPHB_ERR_INVALID_STATE);
  if (s->action == 2) siphb_cares_del(r);
  if (s->action == 3) {
    s->action = 0;
    assert_int_equal(siphb_cares_resolve(r, "_sip._udp.dot.test", done, s), 0);
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs until done() was called `calls` times in all of ss, or 5 s. */
static void loop(siphb_cares *r, seen *s, int calls, bool deleted_inside) {
  double limit = now_s() + 5;
  while (s->calls < calls) {
    assert_true(now_s() < limit);
    siphb_cares_fd fds[SIPHB_CARES_MAX_FDS];
    struct pollfd p[SIPHB_CARES_MAX_FDS + 1];
    int n = siphb_cares_fds(r, fds, SIPHB_CARES_MAX_FDS);
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
      p[i].fd = (int)fds[i].fd;
      p[i].events = (short)((fds[i].read ? POLLIN : 0) | (fds[i].write ? POLLOUT : 0));
      p[i].revents = 0;
    }
    p[n].fd = srv_fd;
    p[n].events = POLLIN;
    p[n].revents = 0;
    siphb_ms t = siphb_cares_timeout(r);
    int wait = t == SIPHB_NEVER || t > 200 ? 200 : (int)t;
    poll(p, (nfds_t)n + 1, wait);
    if (p[n].revents & POLLIN) serve_one();
    bool any = false;
    for (int i = 0; i < n; i++)
      if (p[i].revents) {
        any = true;
        assert_int_equal(siphb_cares_process(r, (p[i].revents & POLLIN) ? fds[i].fd : SIPHB_CARES_NO_FD,
                                             (p[i].revents & POLLOUT) ? fds[i].fd : SIPHB_CARES_NO_FD),
                         0);
        if (deleted_inside && s->calls >= calls) return; /* r is gone */
      }
    if (!any) assert_int_equal(siphb_cares_process(r, SIPHB_CARES_NO_FD, SIPHB_CARES_NO_FD), 0);
    if (deleted_inside && s->calls >= calls) return;
  }
}

static siphb_cares *make(uint32_t timeout_ms, const siphb_mem *mem) {
  siphb_cares_config cfg;
  siphb_cares_config_init(&cfg, sizeof cfg);
  cfg.servers = srv_addr;
  cfg.timeout_ms = timeout_ms;
  cfg.tries = 1;
  siphb_cares *r = NULL;
  assert_int_equal(siphb_cares_new(&r, &cfg, mem), 0);
  return r;
}

/* ---- the tests ------------------------------------------------------------------- */

static void test_config(void **state) {
  (void)state;
  siphb_cares_config cfg;
  siphb_cares *r = (siphb_cares *)&cfg; /* must stay as it is */
  assert_int_equal(siphb_cares_new(NULL, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_cares_config_init(&cfg, sizeof cfg);
  assert_int_equal(cfg.timeout_ms, 2000);
  assert_int_equal(cfg.tries, 3);
  assert_true(cfg.ipv4 && cfg.ipv6);
  cfg.tries = 0;
  assert_int_equal(siphb_cares_new(&r, &cfg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  cfg.tries = 1;
  cfg.timeout_ms = 0;
  assert_int_equal(siphb_cares_new(&r, &cfg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  cfg.timeout_ms = 100;
  cfg.ipv4 = cfg.ipv6 = false;
  assert_int_equal(siphb_cares_new(&r, &cfg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  cfg.ipv4 = true;
  cfg.servers = "not an address";
  assert_int_equal(siphb_cares_new(&r, &cfg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(r, (siphb_cares *)&cfg);
  assert_string_equal(siphb_cares_status_name(SIPHB_CARES_TIMEOUT), "SIPHB_CARES_TIMEOUT");
  assert_string_equal(siphb_cares_status_name((siphb_cares_status)99), "SIPHB_CARES_UNKNOWN");
}

static void test_arguments(void **state) {
  (void)state;
  siphb_cares *r = make(100, NULL);
  seen s = {0};
  char longname[300];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  assert_int_equal(siphb_cares_resolve(NULL, "x", done, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_resolve(r, NULL, done, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_resolve(r, "x", NULL, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_resolve(r, "", done, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_resolve(r, longname, done, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_fds(NULL, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_fds(r, NULL, 1), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_cares_fds(r, NULL, 0), 0);
  assert_int_equal(siphb_cares_process(NULL, SIPHB_CARES_NO_FD, SIPHB_CARES_NO_FD),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_true(siphb_cares_timeout(NULL) == SIPHB_NEVER);
  assert_true(siphb_cares_timeout(r) == SIPHB_NEVER); /* nothing runs */
  assert_int_equal(siphb_cares_pending(NULL), 0);
  assert_int_equal(siphb_cares_pending(r), 0);
  siphb_cares_del(r);
  siphb_cares_del(NULL);
}

/* Three targets: b (priority 0, NXDOMAIN) and c (priority 0, weight 0, an
 * A record) before a (priority 1; one A twice, one AAAA). */
static void test_targets(void **state) {
  (void)state;
  siphb_cares *r = make(1000, NULL);
  seen s = {0};
  assert_int_equal(siphb_cares_resolve(r, "_sip._udp.t.test", done, &s), 0);
  assert_int_equal(s.calls, 0); /* never from inside _resolve */
  assert_int_equal(siphb_cares_pending(r), 1);
  loop(r, &s, 1, false);
  assert_int_equal(s.status, SIPHB_CARES_OK);
  assert_int_equal(s.n, 3);
  assert_string_equal(s.hosts[2], "a.t.test");
  assert_int_equal(s.ports[2], 5070);
  assert_int_equal(s.n_addrs[2], 2); /* 192.0.2.1 once, 2001:db8::1 */
  bool b_first = strcmp(s.hosts[0], "b.t.test") == 0;
  size_t b = b_first ? 0 : 1, c = 1 - b;
  assert_string_equal(s.hosts[b], "b.t.test");
  assert_string_equal(s.hosts[c], "c.t.test");
  assert_int_equal(s.n_addrs[b], 0);
  assert_int_equal(s.n_addrs[c], 1);
  assert_int_equal(s.first_addr[c].family, 1);
  assert_int_equal(s.first_addr[c].port, 5062);
  assert_int_equal(s.first_addr[c].addr[3], 3);
  assert_int_equal(siphb_cares_pending(r), 0);
  assert_true(siphb_cares_timeout(r) == SIPHB_NEVER);
  siphb_cares_del(r);
}

static void test_statuses(void **state) {
  (void)state;
  static const struct {
    const char *name;
    siphb_cares_status want;
  } cases[] = {
      {"_sip._udp.dot.test", SIPHB_CARES_NOT_OFFERED},
      {"_sip._udp.nosrv.test", SIPHB_CARES_NO_SRV},
      {"_sip._udp.nodata.test", SIPHB_CARES_NO_SRV},
      {"_sip._udp.none.test", SIPHB_CARES_NO_ADDRESS},
      {"_sip._udp.servfail.test", SIPHB_CARES_FAILED},
      {"_sip._udp.silent.test", SIPHB_CARES_TIMEOUT},
  };
  siphb_cares *r = make(150, NULL);
  seen s[6];
  memset(s, 0, sizeof s);
  for (size_t i = 0; i < 6; i++) assert_int_equal(siphb_cares_resolve(r, cases[i].name, done, &s[i]), 0);
  assert_int_equal(siphb_cares_pending(r), 6);
  double limit = now_s() + 5;
  for (;;) {
    int total = 0;
    for (size_t i = 0; i < 6; i++) total += s[i].calls;
    if (total == 6) break;
    assert_true(now_s() < limit);
    siphb_cares_fd fds[SIPHB_CARES_MAX_FDS];
    struct pollfd p[SIPHB_CARES_MAX_FDS + 1];
    int n = siphb_cares_fds(r, fds, SIPHB_CARES_MAX_FDS);
    for (int k = 0; k < n; k++) {
      p[k].fd = (int)fds[k].fd;
      p[k].events = POLLIN;
      p[k].revents = 0;
    }
    p[n].fd = srv_fd;
    p[n].events = POLLIN;
    p[n].revents = 0;
    siphb_ms t = siphb_cares_timeout(r);
    poll(p, (nfds_t)n + 1, t == SIPHB_NEVER || t > 100 ? 100 : (int)t);
    if (p[n].revents & POLLIN) serve_one();
    for (int k = 0; k < n; k++)
      if (p[k].revents) siphb_cares_process(r, fds[k].fd, SIPHB_CARES_NO_FD);
    siphb_cares_process(r, SIPHB_CARES_NO_FD, SIPHB_CARES_NO_FD);
  }
  for (size_t i = 0; i < 6; i++) {
    assert_int_equal(s[i].calls, 1);
    if (s[i].status != cases[i].want)
      fail_msg("%s: %s, want %s", cases[i].name, siphb_cares_status_name(s[i].status),
               siphb_cares_status_name(cases[i].want));
  }
  siphb_cares_del(r);
}

static int broken_random(uint8_t *dest, size_t len, void *user_data) {
  (void)dest;
  (void)len;
  (void)user_data;
  return -1;
}

/* A random source that fails: the SRV answer cannot be ordered, so the
 * lookup fails, with no targets. */
static void test_random_failure(void **state) {
  (void)state;
  siphb_cares_config cfg;
  siphb_cares_config_init(&cfg, sizeof cfg);
  cfg.servers = srv_addr;
  cfg.timeout_ms = 1000;
  cfg.tries = 1;
  cfg.random = broken_random;
  siphb_cares *r = NULL;
  assert_int_equal(siphb_cares_new(&r, &cfg, NULL), 0);
  seen s = {0};
  assert_int_equal(siphb_cares_resolve(r, "_sip._udp.t.test", done, &s), 0);
  loop(r, &s, 1, false);
  assert_int_equal(s.status, SIPHB_CARES_FAILED);
  assert_int_equal(s.n, 0);
  siphb_cares_del(r);
}

/* The callback may start a lookup, may not process, and may delete r. */
static void test_callback_rules(void **state) {
  (void)state;
  siphb_cares *r = make(1000, NULL);
  seen s = {0};
  s.action = 3; /* resolve again from inside, then (second call) refuse process */
  assert_int_equal(siphb_cares_resolve(r, "_sip._udp.dot.test", done, &s), 0);
  loop(r, &s, 1, false);
  s.action = 1;
  loop(r, &s, 2, false);
  assert_int_equal(s.status, SIPHB_CARES_NOT_OFFERED);
  s.action = 2;
  assert_int_equal(siphb_cares_resolve(r, "_sip._udp.dot.test", done, &s), 0);
  assert_int_equal(siphb_cares_resolve(r, "_sip._udp.nosrv.test", done, &s), 0);
  loop(r, &s, 3, true); /* deleted by the first callback: the second never comes */
  assert_int_equal(s.calls, 3);
}

/* Deleting with lookups running calls no callback and frees everything
 * (the failmem allocator counts the blocks); allocation failures of
 * siphb_cares_new and _resolve are reported as NOMEM. */
static int scenario(failmem *fm, void *arg) {
  (void)arg;
  siphb_cares_config cfg;
  siphb_cares_config_init(&cfg, sizeof cfg);
  cfg.servers = srv_addr;
  siphb_cares *r = NULL;
  int rc = siphb_cares_new(&r, &cfg, &fm->mem);
  if (rc) return rc;
  seen s = {0};
  rc = siphb_cares_resolve(r, "_sip._udp.silent.test", done, &s);
  if (rc == 0) rc = siphb_cares_resolve(r, "_sip._udp.t.test", done, &s);
  siphb_cares_del(r);
  assert_int_equal(s.calls, 0);
  return rc;
}

static void test_delete_and_nomem(void **state) {
  (void)state;
  assert_true(failmem_sweep(scenario, NULL) >= 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_config),         cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_targets),        cmocka_unit_test(test_statuses),
      cmocka_unit_test(test_callback_rules), cmocka_unit_test(test_delete_and_nomem),
      cmocka_unit_test(test_random_failure),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
