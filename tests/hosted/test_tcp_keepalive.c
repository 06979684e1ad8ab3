/*
 * test_tcp_keepalive.c - siphb_tcp_keepalive_apply() and _read() on real
 * loopback TCP sockets (a listen/connect/accept pair on 127.0.0.1, port
 * 0): the values the kernel holds afterwards are read back with
 * getsockopt() and compared exactly (seconds rounded up, limits applied,
 * the natural user timeout); every refusal names its field and leaves the
 * socket as it was, also when a setsockopt() fails part-way. Linux only
 * (tests/CMakeLists.txt): it reads TCP_KEEPIDLE and TCP_USER_TIMEOUT back
 * by name, and the limits it checks are Linux's.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <siphb/tcp_keepalive.h>

#include "hosted/tcp_keepalive_int.h"

/* ---- a connected pair on loopback ------------------------------------------------ */

typedef struct pair {
  int listener, client, server;
} pair;

static int setup_pair(void **state) {
  static pair p;
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0; /* any free port */
  p.listener = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(p.listener >= 0);
  assert_int_equal(bind(p.listener, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(listen(p.listener, 1), 0);
  assert_int_equal(getsockname(p.listener, (struct sockaddr *)&a, &len), 0);
  p.client = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(p.client >= 0);
  assert_int_equal(connect(p.client, (struct sockaddr *)&a, sizeof a), 0);
  p.server = accept(p.listener, NULL, NULL);
  assert_true(p.server >= 0);
  *state = &p;
  return 0;
}

static int teardown_pair(void **state) {
  pair *p = *state;
  close(p->client);
  close(p->server);
  close(p->listener);
  return 0;
}

/* What the kernel holds, straight from getsockopt(). */
typedef struct kernel_opts {
  int keepalive, idle, intvl, cnt, user_timeout;
} kernel_opts;

static int getopt_int(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  assert_int_equal(getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

static kernel_opts kernel_of(int fd) {
  kernel_opts k;
  k.keepalive = getopt_int(fd, SOL_SOCKET, SO_KEEPALIVE);
  k.idle = getopt_int(fd, IPPROTO_TCP, TCP_KEEPIDLE);
  k.intvl = getopt_int(fd, IPPROTO_TCP, TCP_KEEPINTVL);
  k.cnt = getopt_int(fd, IPPROTO_TCP, TCP_KEEPCNT);
  k.user_timeout = getopt_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT);
  return k;
}

static void assert_kernel(int fd, int keepalive, int idle, int intvl, int cnt, int user_timeout) {
  kernel_opts k = kernel_of(fd);
  assert_int_equal(k.keepalive != 0, keepalive);
  assert_int_equal(k.idle, idle);
  assert_int_equal(k.intvl, intvl);
  assert_int_equal(k.cnt, cnt);
  assert_int_equal(k.user_timeout, user_timeout);
}

static void assert_same_kernel(int fd, kernel_opts before) {
  assert_kernel(fd, before.keepalive != 0, before.idle, before.intvl, before.cnt,
                before.user_timeout);
}

/* What siphb_tcp_keepalive_read() reports: the same values, idle and
 * interval in ms. */
static void assert_read(int fd, int keepalive, siphb_ms idle, siphb_ms interval, uint32_t count,
                        siphb_ms user_timeout) {
  siphb_tcp_keepalive_config got;
  siphb_error_info err;
  memset(&got, 0xAB, sizeof got);
  siphb_tcp_keepalive_config_init(&got, sizeof got);
  memset(&err, 0xAA, sizeof err);
  assert_int_equal(siphb_tcp_keepalive_read(fd, &got, &err), keepalive);
  assert_int_equal(err.code, 0);
  assert_int_equal(got.size, sizeof got);
  assert_int_equal(got.idle, idle);
  assert_int_equal(got.interval, interval);
  assert_int_equal(got.count, count);
  assert_int_equal(got.user_timeout, user_timeout);
}

static void setopt_int(int fd, int level, int name, int v) {
  assert_int_equal(setsockopt(fd, level, name, &v, sizeof v), 0);
}

static siphb_tcp_keepalive_config config(siphb_ms idle, siphb_ms interval, uint32_t count,
                                         siphb_ms user_timeout) {
  siphb_tcp_keepalive_config c;
  siphb_tcp_keepalive_config_init(&c, sizeof c);
  c.idle = idle;
  c.interval = interval;
  c.count = count;
  c.user_timeout = user_timeout;
  return c;
}

/* ---- defaults and exact values ---------------------------------------------------- */

static void test_defaults(void **state) {
  pair *p = *state;
  siphb_tcp_keepalive_config c;
  memset(&c, 0xAB, sizeof c);
  siphb_tcp_keepalive_config_init(&c, sizeof c);
  assert_int_equal(c.size, sizeof c);
  assert_int_equal(c.idle, 30000);
  assert_int_equal(c.interval, 10000);
  assert_int_equal(c.count, 3);
  assert_int_equal(c.user_timeout, 0);
  /* a fresh socket: off (RFC 9293 section 3.8.4: MUST default to off),
   * with the kernel's default schedule (tcp(7): 7200 s, 75 s, 9) */
  kernel_opts k = kernel_of(p->client);
  assert_int_equal(k.keepalive, 0);
  assert_read(p->client, 0, (siphb_ms)k.idle * 1000, (siphb_ms)k.intvl * 1000, (uint32_t)k.cnt,
              (siphb_ms)k.user_timeout);
  siphb_error_info err;
  memset(&err, 0xAA, sizeof err);
  assert_int_equal(siphb_tcp_keepalive_apply(p->client, &c, &err), 0);
  assert_int_equal(err.code, 0);
  assert_null(err.message);
  /* 30 s, 10 s, 3 probes; the user timeout is the natural 30 + 3 * 10 s */
  assert_kernel(p->client, 1, 30, 10, 3, 60000);
  assert_read(p->client, 1, 30000, 10000, 3, 60000);
}

/* A config and what the kernel must hold after applying it. */
typedef struct schedule_case {
  siphb_ms idle, interval;
  uint32_t count;
  siphb_ms user_timeout;
  int k_idle, k_intvl, k_cnt, k_user_timeout; /* s, s, probes, ms */
} schedule_case;

static const schedule_case schedules[] = {
    /* seconds rounded up: 1500 ms is 2 s, 1 ms and 999 ms are 1 s; the
     * natural user timeout follows the rounded values */
    {1500, 1, 7, 0, 2, 1, 7, (2 + 1 * 7) * 1000},
    {10000, 999, 1, 0, 10, 1, 1, 11000},
    {1001, 2999, 2, 0, 2, 3, 2, 8000},
    /* the limits: 32767 s and 127 probes; larger values are lowered, and
     * the natural bound stops at 2^31-1 ms */
    {(siphb_ms)SIPHB_TCP_KEEPALIVE_MAX_SECONDS * 1000, 32767001, 127, 0, 32767, 32767, 127,
     SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT},
    {SIPHB_NEVER, UINT64_MAX - 1, UINT32_MAX, 5000, 32767, 32767, 127, 5000},
    /* an explicit user timeout, to the millisecond (the kernel takes ms),
     * up to the largest */
    {20000, 5000, 4, 12345, 20, 5, 4, 12345},
    {25000, 6000, 2, SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT, 25, 6, 2,
     SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT},
    {25000, 6000, 2, 0, 25, 6, 2, 37000},
};

static void test_schedules(void **state) {
  pair *p = *state;
  for (size_t i = 0; i < sizeof schedules / sizeof schedules[0]; i++) {
    const schedule_case *t = &schedules[i];
    siphb_tcp_keepalive_config c = config(t->idle, t->interval, t->count, t->user_timeout);
    assert_int_equal(siphb_tcp_keepalive_apply(p->server, &c, NULL), 0);
    assert_kernel(p->server, 1, t->k_idle, t->k_intvl, t->k_cnt, t->k_user_timeout);
    assert_read(p->server, 1, (siphb_ms)t->k_idle * 1000, (siphb_ms)t->k_intvl * 1000,
                (uint32_t)t->k_cnt, (siphb_ms)t->k_user_timeout);
  }
}

static void test_user_timeout_left_alone(void **state) {
  pair *p = *state;
  /* SIPHB_NEVER leaves the kernel's value as it is, whatever it is */
  setopt_int(p->client, IPPROTO_TCP, TCP_USER_TIMEOUT, 4321);
  siphb_tcp_keepalive_config c = config(25000, 6000, 2, SIPHB_NEVER);
  assert_int_equal(siphb_tcp_keepalive_apply(p->client, &c, NULL), 0);
  assert_kernel(p->client, 1, 25, 6, 2, 4321);
  setopt_int(p->client, IPPROTO_TCP, TCP_USER_TIMEOUT, 0);
  assert_int_equal(siphb_tcp_keepalive_apply(p->client, &c, NULL), 0);
  assert_kernel(p->client, 1, 25, 6, 2, 0);
}

/* The header's claim for listening sockets: what is applied to the
 * listener, the connections it accepts afterwards have from the start. */
static void test_accepted_inherit(void **state) {
  pair *p = *state;
  siphb_tcp_keepalive_config c = config(45000, 7000, 4, 0);
  assert_int_equal(siphb_tcp_keepalive_apply(p->listener, &c, NULL), 0);
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  assert_int_equal(getsockname(p->listener, (struct sockaddr *)&a, &len), 0);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(client >= 0);
  assert_int_equal(connect(client, (struct sockaddr *)&a, sizeof a), 0);
  int server = accept(p->listener, NULL, NULL);
  assert_true(server >= 0);
  assert_kernel(server, 1, 45, 7, 4, 73000);
  assert_int_equal(getopt_int(client, SOL_SOCKET, SO_KEEPALIVE), 0); /* the other end: its own */
  close(client);
  close(server);
}

/* ---- refusals ---------------------------------------------------------------------- */

static void expect_refused(int fd, const siphb_tcp_keepalive_config *c, int code,
                           const char *needle) {
  kernel_opts before = kernel_of(fd);
  siphb_error_info err;
  memset(&err, 0xAA, sizeof err);
  assert_int_equal(siphb_tcp_keepalive_apply(fd, c, &err), code);
  assert_int_equal(err.code, code);
  assert_non_null(err.message);
  assert_non_null(strstr(err.message, needle));
  assert_int_equal(err.offset, 0);
  assert_int_equal(err.need, 0);
  assert_same_kernel(fd, before);
}

static void test_invalid_fields_refused(void **state) {
  pair *p = *state;
  /* a known starting point that no refusal may disturb */
  siphb_tcp_keepalive_config c = config(40000, 8000, 5, 0);
  assert_int_equal(siphb_tcp_keepalive_apply(p->client, &c, NULL), 0);
  assert_kernel(p->client, 1, 40, 8, 5, 80000);

  expect_refused(p->client, NULL, SIPHB_ERR_INVALID_ARGUMENT, "cfg");
  c = config(0, 8000, 5, 0);
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "idle");
  c = config(40000, 0, 5, 0);
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "interval");
  c = config(40000, 8000, 0, 0);
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "count");
  c = config(40000, 8000, 5, (siphb_ms)SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT + 1);
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "user_timeout");
  c = config(40000, 8000, 5, SIPHB_NEVER - 1);
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "user_timeout");
  /* never initialised */
  memset(&c, 0, sizeof c);
  c.idle = 40000;
  c.interval = 8000;
  c.count = 5;
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "not initialised");
  /* smaller than the first release: _init records 0, so refused */
  siphb_tcp_keepalive_config_init(&c, offsetof(siphb_tcp_keepalive_config, user_timeout));
  assert_int_equal(c.size, 0);
  expect_refused(p->client, &c, SIPHB_ERR_INVALID_ARGUMENT, "not initialised");

  /* read refuses the same way and writes nothing */
  siphb_tcp_keepalive_config got;
  memset(&got, 0x11, sizeof got);
  got.size = 0;
  siphb_error_info err;
  assert_int_equal(siphb_tcp_keepalive_read(p->client, &got, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "not initialised"));
  assert_int_equal(got.count, 0x11111111);
  assert_int_equal(siphb_tcp_keepalive_read(p->client, NULL, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "out"));
  assert_kernel(p->client, 1, 40, 8, 5, 80000);
}

/* A struct bigger than this library's, as a newer header would declare it. */
typedef struct newer {
  siphb_tcp_keepalive_config c;
  uint8_t tail[32];
} newer;

static void test_sizes(void **state) {
  pair *p = *state;
  /* The first release's struct: size, count, idle, interval, user_timeout
   * (4 + 4 + 3 * 8 bytes, no padding). A program built against it keeps
   * working. */
  assert_int_equal(sizeof(siphb_tcp_keepalive_config), 32);
  assert_int_equal(offsetof(siphb_tcp_keepalive_config, user_timeout), 24);
  siphb_tcp_keepalive_config old;
  siphb_tcp_keepalive_config_init(&old, 32);
  assert_int_equal(old.size, 32);
  old.idle = 3000;
  assert_int_equal(siphb_tcp_keepalive_apply(p->server, &old, NULL), 0);
  assert_kernel(p->server, 1, 3, 10, 3, 33000);

  /* a newer caller: a zero tail is fine, a set byte there is refused */
  newer n;
  siphb_tcp_keepalive_config_init(&n.c, sizeof n);
  assert_int_equal(n.c.size, sizeof n);
  n.c.count = 9;
  assert_int_equal(siphb_tcp_keepalive_apply(p->server, &n.c, NULL), 0);
  assert_kernel(p->server, 1, 30, 10, 9, 120000);
  n.tail[17] = 1;
  expect_refused(p->server, &n.c, SIPHB_ERR_UNSUPPORTED, "newer header");
  /* read into a newer struct: its tail is left alone, its size kept */
  memset(n.tail, 0x5C, sizeof n.tail);
  n.c.count = 0;
  assert_int_equal(siphb_tcp_keepalive_read(p->server, &n.c, NULL), 1);
  assert_int_equal(n.c.size, sizeof n);
  assert_int_equal(n.c.count, 9);
  for (size_t i = 0; i < sizeof n.tail; i++) assert_int_equal(n.tail[i], 0x5C);
}

/* ---- the OS refusing ------------------------------------------------------------- */

static void test_not_a_socket(void **state) {
  (void)state;
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  int flags0 = fcntl(fds[0], F_GETFL), flags1 = fcntl(fds[1], F_GETFL);
  siphb_tcp_keepalive_config c;
  siphb_tcp_keepalive_config_init(&c, sizeof c);
  siphb_error_info err;
  assert_int_equal(siphb_tcp_keepalive_apply(fds[1], &c, &err), SIPHB_ERR_OS);
  assert_int_equal(err.code, SIPHB_ERR_OS);
  assert_non_null(strstr(err.message, "getsockopt"));
  assert_non_null(strstr(err.message, "ENOTSOCK"));
  siphb_tcp_keepalive_config got;
  siphb_tcp_keepalive_config_init(&got, sizeof got);
  assert_int_equal(siphb_tcp_keepalive_read(fds[0], &got, &err), SIPHB_ERR_OS);
  assert_non_null(strstr(err.message, "ENOTSOCK"));
  assert_int_equal(got.idle, 30000); /* untouched */
  /* the pipe is as it was: same flags, still carries bytes */
  assert_int_equal(fcntl(fds[0], F_GETFL), flags0);
  assert_int_equal(fcntl(fds[1], F_GETFL), flags1);
  char b = 0;
  assert_int_equal(write(fds[1], "k", 1), 1);
  assert_int_equal(read(fds[0], &b, 1), 1);
  assert_int_equal(b, 'k');
  close(fds[0]);
  close(fds[1]);

  /* a closed descriptor */
  assert_int_equal(siphb_tcp_keepalive_apply(fds[0], &c, &err), SIPHB_ERR_OS);
  assert_non_null(strstr(err.message, "EBADF"));

  /* a UDP socket: SO_KEEPALIVE would be accepted, the TCP options are not
   * (Linux answers EOPNOTSUPP for IPPROTO_TCP on a UDP socket), and
   * SO_KEEPALIVE stays off because everything is read before anything is
   * set */
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  assert_true(u >= 0);
  assert_int_equal(getopt_int(u, SOL_SOCKET, SO_KEEPALIVE), 0);
  assert_int_equal(siphb_tcp_keepalive_apply(u, &c, &err), SIPHB_ERR_OS);
  assert_non_null(strstr(err.message, "TCP_KEEPIDLE"));
  assert_non_null(strstr(err.message, "EOPNOTSUPP"));
  assert_int_equal(getopt_int(u, SOL_SOCKET, SO_KEEPALIVE), 0);
  close(u);
}

/* Passes every setsockopt() through except the fail_at-th (counting from
 * 0), which fails with fail_errno without reaching the kernel. */
typedef struct failing_set {
  int calls, fail_at, fail_errno;
  int names[16];
} failing_set;

static int set_failing(intptr_t fd, int level, int name, int value, void *user) {
  failing_set *f = user;
  int n = f->calls++;
  if (n < 16) f->names[n] = name;
  if (n == f->fail_at) return f->fail_errno;
  return siphb_sockopt_set_os(fd, level, name, value, NULL);
}

static void test_failure_part_way_restores(void **state) {
  pair *p = *state;
  static const char *const why[] = {"setsockopt TCP_KEEPIDLE", "setsockopt TCP_KEEPINTVL",
                                    "setsockopt TCP_KEEPCNT", "setsockopt TCP_USER_TIMEOUT",
                                    "setsockopt SO_KEEPALIVE"};
  /* a starting point that differs from the config in every option */
  setopt_int(p->server, SOL_SOCKET, SO_KEEPALIVE, 0);
  setopt_int(p->server, IPPROTO_TCP, TCP_KEEPIDLE, 77);
  setopt_int(p->server, IPPROTO_TCP, TCP_KEEPINTVL, 11);
  setopt_int(p->server, IPPROTO_TCP, TCP_KEEPCNT, 6);
  setopt_int(p->server, IPPROTO_TCP, TCP_USER_TIMEOUT, 9999);
  kernel_opts before = kernel_of(p->server);
  siphb_tcp_keepalive_config c = config(30000, 10000, 3, 0);
  /* fail each of the five in turn: the ones before it are put back */
  for (int at = 0; at < 5; at++) {
    failing_set f;
    memset(&f, 0, sizeof f);
    f.fail_at = at;
    f.fail_errno = EINVAL;
    siphb_error_info err;
    assert_int_equal(siphb_tcp_keepalive_apply_with(p->server, &c, &err, set_failing, &f),
                     SIPHB_ERR_OS);
    assert_int_equal(err.code, SIPHB_ERR_OS);
    assert_non_null(strstr(err.message, why[at]));
    assert_non_null(strstr(err.message, "EINVAL"));
    /* at sets, the failing one, at puts back */
    assert_int_equal(f.calls, 2 * at + 1);
    for (int j = 0; j < at; j++) assert_int_equal(f.names[at + 1 + j], f.names[at - 1 - j]);
    assert_same_kernel(p->server, before);
  }
  /* and with nothing failing it goes through */
  failing_set ok;
  memset(&ok, 0, sizeof ok);
  ok.fail_at = -1;
  assert_int_equal(siphb_tcp_keepalive_apply_with(p->server, &c, NULL, set_failing, &ok), 0);
  assert_int_equal(ok.calls, 5);
  assert_kernel(p->server, 1, 30, 10, 3, 60000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_defaults, setup_pair, teardown_pair),
      cmocka_unit_test_setup_teardown(test_schedules, setup_pair, teardown_pair),
      cmocka_unit_test_setup_teardown(test_user_timeout_left_alone, setup_pair, teardown_pair),
      cmocka_unit_test_setup_teardown(test_accepted_inherit, setup_pair, teardown_pair),
      cmocka_unit_test_setup_teardown(test_invalid_fields_refused, setup_pair, teardown_pair),
      cmocka_unit_test_setup_teardown(test_sizes, setup_pair, teardown_pair),
      cmocka_unit_test(test_not_a_socket),
      cmocka_unit_test_setup_teardown(test_failure_part_way_restores, setup_pair, teardown_pair),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
