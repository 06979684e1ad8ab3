/*
 * test_ctx.c - the context: creation rules, callback rules (guards, errors,
 * deletion from callbacks), the clock, and receive classification.
 */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "engine/ctx_int.h"
#include "failmem.h"

typedef struct fixture {
  int events;
  int event_rv;            /* what the event callback returns */
  int advance_in_cb_rv;    /* result of calling advance from the callback */
  int receive_in_cb_rv;
  bool call_guarded;       /* call advance/receive from the callback */
  bool delete_ctx_in_cb;
  int random_calls;
  size_t random_len;
  int random_rv;
  int logs;
  siphb_log_level last_level;
  char last_log[128];
} fixture;

static int f_send(siphb_ctx *c, const siphb_send_info *i, const uint8_t *d, size_t l, void *u) {
  (void)c, (void)i, (void)d, (void)l, (void)u;
  return 0;
}

static int f_event(siphb_ctx *ctx, const siphb_event *ev, void *u) {
  (void)ev;
  fixture *f = u;
  f->events++;
  if (f->call_guarded) {
    siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
    f->advance_in_cb_rv = siphb_ctx_advance(ctx, 1000000);
    f->receive_in_cb_rv = siphb_ctx_receive(ctx, &peer, (const uint8_t *)"\r\n", 2, NULL, 0);
  }
  if (f->delete_ctx_in_cb) siphb_ctx_del(ctx);
  return f->event_rv;
}

static int f_random(uint8_t *dest, size_t len, void *u) {
  fixture *f = u;
  f->random_calls++;
  f->random_len += len;
  memset(dest, 0xA5, len);
  return f->random_rv;
}

static void f_log(siphb_ctx *c, siphb_log_level level, const char *msg, void *u) {
  (void)c;
  fixture *f = u;
  f->logs++;
  f->last_level = level;
  strncpy(f->last_log, msg, sizeof(f->last_log) - 1);
}

static const siphb_callbacks CB = {sizeof(siphb_callbacks), f_send, f_event, f_random, f_log};

static void test_new_rejects_bad_arguments(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx *ctx = (siphb_ctx *)(uintptr_t)1;
  siphb_callbacks cb = CB;
  assert_int_equal(siphb_ctx_new(NULL, NULL, &cb, NULL, &f, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_ctx_new(&ctx, NULL, NULL, NULL, &f, 0), SIPHB_ERR_INVALID_ARGUMENT);
  cb.send = NULL;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, NULL, &f, 0), SIPHB_ERR_INVALID_ARGUMENT);
  cb = CB;
  cb.event = NULL;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, NULL, &f, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_ctx_config cfg;
  siphb_ctx_config_init(&cfg, sizeof cfg);
  cfg.log_level = (siphb_log_level)9;
  assert_int_equal(siphb_ctx_new(&ctx, &cfg, &CB, NULL, &f, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(ctx, (siphb_ctx *)(uintptr_t)1);
  assert_int_equal(f.random_calls, 0);
}

static void test_config_defaults(void **state) {
  (void)state;
  siphb_ctx_config cfg;
  memset(&cfg, 0x5A, sizeof(cfg));
  siphb_ctx_config_init(&cfg, sizeof cfg);
  assert_int_equal(cfg.mem_budget, 0);
  assert_int_equal(cfg.log_level, SIPHB_LOG_WARN);
}

static void test_new_seeds_from_random_callback(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, NULL, &f, 42), 0);
  assert_int_equal(f.random_calls, 1);
  assert_int_equal(f.random_len, 32);
  assert_int_equal(siphb_ctx_now(ctx), 42);
  assert_ptr_equal(siphb_ctx_get_user_data(ctx), &f);
  assert_int_equal(siphb_ctx_next_deadline(ctx), SIPHB_NEVER);
  siphb_ctx_set_user_data(ctx, NULL);
  assert_null(siphb_ctx_get_user_data(ctx));
  siphb_ctx_del(ctx);
  siphb_ctx_del(NULL);
}

static void test_random_failure_fails_creation_without_leak(void **state) {
  (void)state;
  fixture f = {0};
  f.random_rv = -1;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_ctx *ctx = NULL;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, &fm.mem, &f, 0), SIPHB_ERR_CALLBACK_FAILURE);
  assert_null(ctx);
  assert_int_equal(fm.live_blocks, 0);
}

static void test_os_random_when_no_callback(void **state) {
  (void)state;
  fixture f = {0};
  siphb_callbacks cb = CB;
  cb.random = NULL;
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &cb, NULL, &f, 0), 0);
  siphb_ctx_del(ctx);
}

static void test_callbacks_may_not_reenter(void **state) {
  (void)state;
  fixture f = {0};
  f.call_guarded = true;
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, NULL, &f, 0), 0);
  siphb_timer *t;
  assert_int_equal(siphb_timer_new(&t, ctx, NULL), 0);
  assert_int_equal(siphb_timer_start(t, 10, 0, 0), 0);
  assert_int_equal(siphb_ctx_advance(ctx, 10), 0);
  assert_int_equal(f.events, 1);
  assert_int_equal(f.advance_in_cb_rv, SIPHB_ERR_INVALID_STATE);
  assert_int_equal(f.receive_in_cb_rv, SIPHB_ERR_INVALID_STATE);
  /* the refused advance did not move the clock */
  assert_int_equal(siphb_ctx_now(ctx), 10);
  siphb_ctx_del(ctx);
}

static void test_event_failure_is_reported_and_rest_kept(void **state) {
  (void)state;
  fixture f = {0};
  f.event_rv = -7;
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, NULL, &f, 0), 0);
  siphb_timer *a, *b;
  assert_int_equal(siphb_timer_new(&a, ctx, NULL), 0);
  assert_int_equal(siphb_timer_new(&b, ctx, NULL), 0);
  assert_int_equal(siphb_timer_start(a, 5, 0, 0), 0);
  assert_int_equal(siphb_timer_start(b, 6, 0, 0), 0);
  assert_int_equal(siphb_ctx_advance(ctx, 100), SIPHB_ERR_CALLBACK_FAILURE);
  assert_int_equal(f.events, 1);
  assert_int_equal(siphb_ctx_next_deadline(ctx), 6);
  f.event_rv = 0;
  assert_int_equal(siphb_ctx_advance(ctx, 100), 0);
  assert_int_equal(f.events, 2);
  assert_int_equal(siphb_ctx_next_deadline(ctx), SIPHB_NEVER);
  siphb_ctx_del(ctx);
}

static void test_delete_ctx_from_callback(void **state) {
  (void)state;
  fixture f = {0};
  f.delete_ctx_in_cb = true;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, &fm.mem, &f, 0), 0);
  for (int i = 0; i < 3; i++) {
    siphb_timer *t;
    assert_int_equal(siphb_timer_new(&t, ctx, NULL), 0);
    assert_int_equal(siphb_timer_start(t, 5, 0, 0), 0);
  }
  assert_int_equal(siphb_ctx_advance(ctx, 5), 0);
  assert_int_equal(f.events, 1); /* the other two never fire */
  assert_int_equal(fm.live_blocks, 0);
}

/* Time going backwards: clamped and logged, or (SIPHB_ASSERTS builds) a
 * trap. */
static siphb_ctx *backwards_ctx(fixture *f) {
  siphb_ctx_config cfg;
  siphb_ctx_config_init(&cfg, sizeof cfg);
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, &cfg, &CB, NULL, f, 1000), 0);
  return ctx;
}

#if defined(SIPHB_ASSERTS)
static void test_time_never_goes_backwards(void **state) {
  (void)state;
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* cmocka turns signals into test failures: the child wants the real
     * thing. */
    signal(SIGILL, SIG_DFL);
    signal(SIGTRAP, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
    fixture f = {0};
    siphb_ctx *ctx = backwards_ctx(&f);
    (void)siphb_ctx_advance(ctx, 900); /* must not return */
    _exit(0);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status)); /* the assertion trapped */
  /* forward and equal times are fine */
  fixture f = {0};
  siphb_ctx *ctx = backwards_ctx(&f);
  assert_int_equal(siphb_ctx_advance(ctx, 1000), 0);
  assert_int_equal(siphb_ctx_advance(ctx, 1001), 0);
  assert_int_equal(f.logs, 0);
  siphb_ctx_del(ctx);
}
#else
static void test_time_never_goes_backwards(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx *ctx = backwards_ctx(&f);
  siphb_timer *t;
  assert_int_equal(siphb_timer_new(&t, ctx, NULL), 0);
  assert_int_equal(siphb_timer_start(t, 100, 0, 500), 0); /* 500 < 1000: clamped */
  assert_int_equal(siphb_timer_deadline(t), 1100);
  assert_int_equal(f.logs, 1);
  assert_int_equal(f.last_level, SIPHB_LOG_WARN);
  assert_non_null(strstr(f.last_log, "backwards"));
  assert_int_equal(siphb_ctx_advance(ctx, 900), 0);
  assert_int_equal(siphb_ctx_now(ctx), 1000);
  assert_int_equal(f.events, 0);
  assert_int_equal(siphb_ctx_advance(ctx, 1100), 0);
  assert_int_equal(f.events, 1);
  siphb_ctx_del(ctx);
}
#endif

static void test_log_level_filters(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx_config cfg;
  siphb_ctx_config_init(&cfg, sizeof cfg);
  cfg.log_level = SIPHB_LOG_ERROR;
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, &cfg, &CB, NULL, &f, 1000), 0);
  siphb_ctx_log(ctx, SIPHB_LOG_WARN, "a warning"); /* above ERROR: filtered */
  assert_int_equal(f.logs, 0);
  siphb_ctx_log(ctx, SIPHB_LOG_ERROR, "an error");
  assert_int_equal(f.logs, 1);
  assert_string_equal(f.last_log, "an error");
  siphb_ctx_del(ctx);
}

static siphb_stream_role role_client(siphb_ctx *ctx, const siphb_peer *peer) {
  (void)ctx, (void)peer;
  return SIPHB_STREAM_CLIENT;
}

static void expect_rx_on(siphb_ctx *ctx, siphb_transport transport, const char *bytes, size_t len,
                         siphb_stream_kind kind, size_t item_len, size_t need, int error) {
  siphb_peer peer = {7, NULL, transport};
  siphb_rx_result r;
  memset(&r, 0xFF, sizeof(r));
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)bytes, len, &r, 0), 0);
  assert_int_equal(r.kind, kind);
  assert_int_equal(r.length, item_len);
  assert_int_equal(r.need, need);
  assert_false(r.consumed); /* no object is waiting yet */
  assert_int_equal(r.error, error);
  assert_null(r.object);
  for (size_t i = 0; i < sizeof(r.reserved_) / sizeof(r.reserved_[0]); i++)
    assert_int_equal(r.reserved_[i], 0);
}

/* A datagram: the item is all of it. */
static void expect_rx(siphb_ctx *ctx, const char *bytes, size_t len, siphb_stream_kind kind,
                      size_t item_len) {
  expect_rx_on(ctx, SIPHB_TRANSPORT_UDP, bytes, len, kind, item_len, 0, 0);
}

/* A stream item cut short. */
static void expect_rx_need(siphb_ctx *ctx, const char *bytes, size_t len, siphb_stream_kind kind,
                           size_t need) {
  expect_rx_on(ctx, SIPHB_TRANSPORT_TCP, bytes, len, kind, 0, need, 0);
}

/* What siphb_ctx_receive() says the first item is (tests/engine/test_demux.c
 * checks every case against the stream codec). */
static void test_receive_classifies(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, NULL, &f, 0), 0);
  expect_rx(ctx, "\r\n\r\n", 4, SIPHB_STREAM_CRLF_PING, 4);
  expect_rx_on(ctx, SIPHB_TRANSPORT_TCP, "\r\n\r\nOPTIONS", 11, SIPHB_STREAM_CRLF_PING, 4, 0, 0);
  expect_rx(ctx, "\r\n", 2, SIPHB_STREAM_CRLF_PONG, 2);
  expect_rx_on(ctx, SIPHB_TRANSPORT_TCP, "\r\nSIP/2.0", 9, SIPHB_STREAM_CRLF_PONG, 2, 0, 0);
  /* A lone CRLF on a stream: the server end waits for the rest of a ping,
   * the client end of a flow takes it as a pong at once. */
  expect_rx_need(ctx, "\r\n", 2, SIPHB_STREAM_CRLF_PING, 2);
  siphb_ctx_set_role_hook(ctx, role_client);
  expect_rx_on(ctx, SIPHB_TRANSPORT_TCP, "\r\n", 2, SIPHB_STREAM_CRLF_PONG, 2, 0, 0);
  siphb_ctx_set_role_hook(ctx, NULL);
  /* STUN Binding request, 8 bytes of attributes */
  static const char stun[] = "\x00\x01\x00\x08\x21\x12\xA4\x42"
                             "abcdefghijkl"
                             "\x80\x28\x00\x04xxxx";
  expect_rx(ctx, stun, 28, SIPHB_STREAM_STUN, 28);
  expect_rx_need(ctx, stun, 20, SIPHB_STREAM_STUN, 8); /* stream: header says 28 */
  expect_rx_need(ctx, stun, 27, SIPHB_STREAM_STUN, 1);
  static const char bad_cookie[] = "\x00\x01\x00\x00\x21\x12\xA4\x43"
                                   "abcdefghijkl";
  expect_rx(ctx, bad_cookie, 20, SIPHB_STREAM_OTHER, 20);
  static const char top_bits[] = "\x40\x01\x00\x00\x21\x12\xA4\x42"
                                 "abcdefghijkl";
  expect_rx(ctx, top_bits, 20, SIPHB_STREAM_OTHER, 20);
  static const char bad_len[] = "\x00\x01\x00\x03\x21\x12\xA4\x42"
                                "abcdefghijkl";
  expect_rx(ctx, bad_len, 20, SIPHB_STREAM_OTHER, 20);
  /* On a stream, bytes that are none of siphb's are an error: a stream
   * cannot skip them. */
  expect_rx_on(ctx, SIPHB_TRANSPORT_TCP, bad_cookie, 20, SIPHB_STREAM_OTHER, 0, 0,
               SIPHB_ERR_PARSE);
  const char *resp = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n\r\n";
  expect_rx(ctx, resp, strlen(resp), SIPHB_STREAM_SIP_RESPONSE, strlen(resp));
  const char *req = "OPTIONS sip:a@b SIP/2.0\r\n\r\n";
  expect_rx(ctx, req, strlen(req), SIPHB_STREAM_SIP_REQUEST, strlen(req));
  /* On a stream a SIP item is its headers plus Content-Length, not the
   * rest of the buffer. */
  const char *two = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\nOPTIONS";
  expect_rx_on(ctx, SIPHB_TRANSPORT_TCP, two, strlen(two), SIPHB_STREAM_SIP_REQUEST,
               strlen(two) - 7, 0, 0);
  expect_rx(ctx, "HELLO", 5, SIPHB_STREAM_OTHER, 5);
  expect_rx(ctx, " OPTIONS", 8, SIPHB_STREAM_OTHER, 8);
  expect_rx(ctx, "", 0, SIPHB_STREAM_OTHER, 0);
  assert_int_equal(siphb_ctx_receive(ctx, &(siphb_peer){0}, NULL, 0, NULL, 0), 0);
  assert_int_equal(siphb_ctx_receive(ctx, NULL, (const uint8_t *)"x", 1, NULL, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_ctx_receive(ctx, &(siphb_peer){0}, NULL, 3, NULL, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_ctx_receive(NULL, &(siphb_peer){0}, NULL, 0, NULL, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  siphb_peer unknown = {7, NULL, (siphb_transport)99};
  assert_int_equal(siphb_ctx_receive(ctx, &unknown, (const uint8_t *)"\r\n", 2, NULL, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  siphb_ctx_del(ctx);
}

/* The routing skeleton: the hook registered for a kind gets the whole first
 * item, and what it reports reaches the caller's result. */
static size_t hook_len;
static int pong_hook(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                     const siphb_sip_msg *sip, siphb_rx_result *r, siphb_ms now) {
  (void)data;
  assert_null(sip);
  assert_int_equal(peer->id, 7);
  assert_int_equal(now, 55);
  hook_len = len;
  r->consumed = true;
  r->object_kind = SIPHB_OBJECT_FLOW;
  r->object = ctx;
  return 0;
}

static int stun_hook_failing(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data,
                             size_t len, const siphb_sip_msg *sip, siphb_rx_result *r,
                             siphb_ms now) {
  (void)ctx, (void)peer, (void)data, (void)len, (void)sip, (void)r, (void)now;
  return SIPHB_ERR_CALLBACK_FAILURE;
}

/* A SIP item arrives with the stream codec's lenient parse of it. */
static uint32_t hook_cseq;
static int response_hook(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                         const siphb_sip_msg *sip, siphb_rx_result *r, siphb_ms now) {
  (void)ctx, (void)peer, (void)now;
  assert_non_null(sip);
  assert_false(sip->is_request);
  assert_ptr_equal(sip->start_line.ptr, (const char *)data);
  assert_int_equal(sip->length, len);
  hook_cseq = sip->cseq;
  r->consumed = true;
  return 0;
}

static void test_receive_routes_to_registered_hook(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, NULL, &f, 0), 0);
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PONG, SIPHB_OBJECT_FLOW, pong_hook);
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_STUN, SIPHB_OBJECT_FLOW, stun_hook_failing);
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_SIP_RESPONSE, SIPHB_OBJECT_PROBE, response_hook);
  siphb_peer peer = {7, NULL, SIPHB_TRANSPORT_TCP};
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)"\r\nSIP/2.0", 9, &r, 55), 0);
  assert_int_equal(hook_len, 2);
  assert_true(r.consumed);
  assert_int_equal(r.kind, SIPHB_STREAM_CRLF_PONG);
  assert_int_equal(r.length, 2);
  assert_int_equal(r.object_kind, SIPHB_OBJECT_FLOW);
  assert_ptr_equal(r.object, ctx);
  /* a ping is not a pong: no hook, not consumed */
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)"\r\n\r\n", 4, &r, 55), 0);
  assert_false(r.consumed);
  /* an incomplete item reaches no hook */
  static const char stun[] = "\x00\x01\x00\x08\x21\x12\xA4\x42"
                             "abcdefghijkl";
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)stun, 20, &r, 55), 0);
  assert_int_equal(r.need, 8);
  /* a SIP response reaches its hook with the parse */
  const char *resp = "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\nCSeq: 41 OPTIONS\r\n"
                     "Content-Length: 0\r\n\r\n";
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)resp, strlen(resp), &r, 55), 0);
  assert_true(r.consumed);
  assert_int_equal(hook_cseq, 41);
  /* a hook's failure is the call's failure */
  static const char whole[] = "\x00\x01\x00\x00\x21\x12\xA4\x42"
                              "abcdefghijkl";
  assert_int_equal(siphb_ctx_receive(ctx, &peer, (const uint8_t *)whole, 20, &r, 55),
                   SIPHB_ERR_CALLBACK_FAILURE);
  siphb_ctx_del(ctx);
}

/* Two modules on one kind: asked in object-kind order until one takes it. */
static unsigned chain_calls[2];
static int chain_first(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                       const siphb_sip_msg *sip, siphb_rx_result *r, siphb_ms now) {
  (void)ctx, (void)data, (void)len, (void)sip, (void)now;
  chain_calls[0]++;
  if (peer->id == 1) r->consumed = true; /* peer 1 is this module's */
  if (peer->id == 2) r->error = SIPHB_ERR_PARSE; /* peer 2: its, and refused */
  return 0;
}
static int chain_second(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                        const siphb_sip_msg *sip, siphb_rx_result *r, siphb_ms now) {
  (void)ctx, (void)peer, (void)data, (void)len, (void)sip, (void)now;
  chain_calls[1]++;
  r->consumed = true;
  return 0;
}

static void test_receive_hooks_share_a_kind(void **state) {
  (void)state;
  fixture f = {0};
  siphb_ctx *ctx;
  assert_int_equal(siphb_ctx_new(&ctx, NULL, &CB, NULL, &f, 0), 0);
  /* registered in the other order: the order is the owners', not the calls' */
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PING, SIPHB_OBJECT_RESPONDER, chain_second);
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PING, SIPHB_OBJECT_FLOW, chain_first);
  siphb_rx_result r;
  const siphb_peer p1 = {1, NULL, SIPHB_TRANSPORT_TCP}, p2 = {2, NULL, SIPHB_TRANSPORT_TCP},
                   p3 = {3, NULL, SIPHB_TRANSPORT_TCP};
  assert_int_equal(siphb_ctx_receive(ctx, &p1, (const uint8_t *)"\r\n\r\n", 4, &r, 0), 0);
  assert_true(r.consumed);
  assert_int_equal(chain_calls[0], 1);
  assert_int_equal(chain_calls[1], 0);
  assert_int_equal(siphb_ctx_receive(ctx, &p2, (const uint8_t *)"\r\n\r\n", 4, &r, 0), 0);
  assert_false(r.consumed);
  assert_int_equal(r.error, SIPHB_ERR_PARSE);
  assert_int_equal(chain_calls[1], 0);
  assert_int_equal(siphb_ctx_receive(ctx, &p3, (const uint8_t *)"\r\n\r\n", 4, &r, 0), 0);
  assert_true(r.consumed);
  assert_int_equal(chain_calls[0], 3);
  assert_int_equal(chain_calls[1], 1);
  siphb_ctx_set_rx_hook(ctx, SIPHB_STREAM_CRLF_PING, SIPHB_OBJECT_FLOW, NULL);
  assert_int_equal(siphb_ctx_receive(ctx, &p1, (const uint8_t *)"\r\n\r\n", 4, &r, 0), 0);
  assert_int_equal(chain_calls[0], 3);
  assert_int_equal(chain_calls[1], 2);
  siphb_ctx_del(ctx);
}

static void test_null_ctx_queries(void **state) {
  (void)state;
  assert_int_equal(siphb_ctx_next_deadline(NULL), SIPHB_NEVER);
  assert_int_equal(siphb_ctx_advance(NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_ctx_now(NULL), 0);
  assert_int_equal(siphb_ctx_mem_used(NULL), 0);
  assert_null(siphb_ctx_get_user_data(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_rejects_bad_arguments),
      cmocka_unit_test(test_config_defaults),
      cmocka_unit_test(test_new_seeds_from_random_callback),
      cmocka_unit_test(test_random_failure_fails_creation_without_leak),
      cmocka_unit_test(test_os_random_when_no_callback),
      cmocka_unit_test(test_callbacks_may_not_reenter),
      cmocka_unit_test(test_event_failure_is_reported_and_rest_kept),
      cmocka_unit_test(test_delete_ctx_from_callback),
      cmocka_unit_test(test_time_never_goes_backwards),
      cmocka_unit_test(test_log_level_filters),
      cmocka_unit_test(test_receive_classifies),
      cmocka_unit_test(test_receive_routes_to_registered_hook),
      cmocka_unit_test(test_receive_hooks_share_a_kind),
      cmocka_unit_test(test_null_ctx_queries),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
