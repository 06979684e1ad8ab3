/*
 * test_abi.c - every public struct carries its growth rule (common.h):
 *   - growable inputs (configs, callbacks, encoder options) start with a
 *     uint32_t size that their _init(&s, sizeof s) records; a size of 0 is
 *     refused, a smaller (older) struct gets the defaults for the rest, a
 *     larger (newer) one is fine while its unknown tail is zero and refused
 *     with SIPHB_ERR_UNSUPPORTED when it is not;
 *   - caller-allocated outputs end in reserved_ space that siphb zeroes
 *     (filled with 0xAA first, every one is zero after the call);
 *   - the fixed-layout structs keep their size.
 * scripts/check-abi.sh fails when a public struct is not named here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>
#include <siphb/tcp_keepalive.h> /* hosted-only, not in the umbrella */
#include <siphb/cares.h> /* SIPHB_WITH_CARES only; its layouts are checked always */

#include "quietctx.h"

#define RESERVED_ZERO(s)                                                                          \
  do {                                                                                           \
    for (size_t i_ = 0; i_ < sizeof((s).reserved_) / sizeof((s).reserved_[0]); i_++)             \
      assert_int_equal((s).reserved_[i_], 0);                                                    \
  } while (0)

/* ---- growable inputs ---------------------------------------------------------- */

/* A struct bigger than this library's, as a newer header would declare it. */
typedef struct newer {
  uint8_t bytes[512];
} newer;

static uint32_t size_field(const void *s) {
  uint32_t v;
  memcpy(&v, s, sizeof v);
  return v;
}

static void set_size_field(void *s, uint32_t v) { memcpy(s, &v, sizeof v); }

typedef void (*init_fn)(void *s, size_t size);

/* _init writes size bytes: the field says so, bytes beyond stay untouched,
 * a larger struct's tail is zeroed. */
static void check_init(init_fn init, size_t lib_size) {
  newer n;
  memset(&n, 0xAB, sizeof n);
  init(&n, lib_size);
  assert_int_equal(size_field(&n), lib_size);
  for (size_t i = lib_size; i < sizeof n; i++) assert_int_equal(n.bytes[i], 0xAB);
  memset(&n, 0xAB, sizeof n);
  init(&n, lib_size + 16);
  assert_int_equal(size_field(&n), lib_size + 16);
  for (size_t i = lib_size; i < lib_size + 16; i++) assert_int_equal(n.bytes[i], 0);
  assert_int_equal(n.bytes[lib_size + 16], 0xAB);
  /* an older, smaller struct: only its bytes */
  memset(&n, 0xAB, sizeof n);
  init(&n, lib_size - 8);
  assert_int_equal(n.bytes[lib_size - 8], 0xAB);
  init(NULL, lib_size); /* no crash */
}

static void ctx_config_init(void *s, size_t n) { siphb_ctx_config_init(s, n); }
static void callbacks_init(void *s, size_t n) { siphb_callbacks_init(s, n); }
static void sip_parse_config_init(void *s, size_t n) { siphb_sip_parse_config_init(s, n); }
static void sip_options_init(void *s, size_t n) { siphb_sip_options_init(s, n); }
static void sip_response_init(void *s, size_t n) { siphb_sip_response_init(s, n); }
static void stun_parse_config_init(void *s, size_t n) { siphb_stun_parse_config_init(s, n); }
static void probe_config_init(void *s, size_t n) { siphb_probe_config_init(s, n); }
static void reg_config_init(void *s, size_t n) { siphb_reg_config_init(s, n); }
static void flow_config_init(void *s, size_t n) { siphb_flow_config_init(s, n); }
static void reg_result_init(void *s, size_t n) { siphb_reg_result_init(s, n); }
static void tcp_keepalive_config_init(void *s, size_t n) { siphb_tcp_keepalive_config_init(s, n); }
static void responder_config_init(void *s, size_t n) { siphb_responder_config_init(s, n); }
#ifdef SIPHB_TEST_CARES
static void cares_config_init(void *s, size_t n) { siphb_cares_config_init(s, n); }
#endif
static void rtcp_parse_config_init(void *s, size_t n) { siphb_rtcp_parse_config_init(s, n); }
static void mos_input_init(void *s, size_t n) { siphb_mos_input_init(s, n); }

static void test_inputs_start_with_their_size(void **state) {
  (void)state;
  assert_int_equal(offsetof(siphb_ctx_config, size), 0);
  assert_int_equal(offsetof(siphb_callbacks, size), 0);
  assert_int_equal(offsetof(siphb_sip_parse_config, size), 0);
  assert_int_equal(offsetof(siphb_sip_options, size), 0);
  assert_int_equal(offsetof(siphb_sip_response, size), 0);
  assert_int_equal(offsetof(siphb_stun_parse_config, size), 0);
  assert_int_equal(offsetof(siphb_probe_config, size), 0);
  assert_int_equal(offsetof(siphb_reg_config, size), 0);
  assert_int_equal(offsetof(siphb_flow_config, size), 0);
  assert_int_equal(offsetof(siphb_reg_result, size), 0);
  assert_int_equal(offsetof(siphb_tcp_keepalive_config, size), 0);
  assert_int_equal(offsetof(siphb_responder_config, size), 0);
  assert_int_equal(offsetof(siphb_rtcp_parse_config, size), 0);
  assert_int_equal(offsetof(siphb_mos_input, size), 0);
  check_init(ctx_config_init, sizeof(siphb_ctx_config));
  check_init(callbacks_init, sizeof(siphb_callbacks));
  check_init(sip_parse_config_init, sizeof(siphb_sip_parse_config));
  check_init(sip_options_init, sizeof(siphb_sip_options));
  check_init(sip_response_init, sizeof(siphb_sip_response));
  check_init(stun_parse_config_init, sizeof(siphb_stun_parse_config));
  check_init(probe_config_init, sizeof(siphb_probe_config));
  check_init(reg_config_init, sizeof(siphb_reg_config));
  check_init(flow_config_init, sizeof(siphb_flow_config));
  check_init(reg_result_init, sizeof(siphb_reg_result));
  check_init(tcp_keepalive_config_init, sizeof(siphb_tcp_keepalive_config));
  check_init(responder_config_init, sizeof(siphb_responder_config));
  assert_int_equal(offsetof(siphb_cares_config, size), 0);
#ifdef SIPHB_TEST_CARES
  check_init(cares_config_init, sizeof(siphb_cares_config));
#endif
  check_init(rtcp_parse_config_init, sizeof(siphb_rtcp_parse_config));
  check_init(mos_input_init, sizeof(siphb_mos_input));
}

static int ctx_new_with(const siphb_ctx_config *cfg, const siphb_callbacks *cb) {
  siphb_ctx *ctx = NULL;
  int rv = siphb_ctx_new(&ctx, cfg, cb, NULL, NULL, 0);
  siphb_ctx_del(ctx);
  return rv;
}

static void test_ctx_config_and_callbacks_by_size(void **state) {
  (void)state;
  newer ncfg, ncb;
  siphb_ctx_config *cfg = (siphb_ctx_config *)(void *)&ncfg;
  siphb_callbacks *cb = (siphb_callbacks *)(void *)&ncb;
  siphb_ctx_config_init(cfg, sizeof *cfg);
  quiet_callbacks(cb);
  assert_int_equal(ctx_new_with(cfg, cb), 0);
  /* never initialised */
  set_size_field(cfg, 0);
  assert_int_equal(ctx_new_with(cfg, cb), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_ctx_config zero_cfg;
  memset(&zero_cfg, 0, sizeof zero_cfg);
  assert_int_equal(ctx_new_with(&zero_cfg, cb), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_callbacks zero_cb;
  quiet_callbacks(&zero_cb);
  zero_cb.size = 0;
  assert_int_equal(ctx_new_with(NULL, &zero_cb), SIPHB_ERR_INVALID_ARGUMENT);
  /* a newer caller: a longer struct with a zero tail works, a set field
   * beyond this library's is refused */
  siphb_ctx_config_init(cfg, sizeof *cfg + 32);
  quiet_callbacks(cb);
  cb->size = (uint32_t)sizeof *cb + 32; /* a newer caller's, its tail zeroed */
  memset(&ncb.bytes[sizeof *cb], 0, 32);
  assert_int_equal(ctx_new_with(cfg, cb), 0);
  ncfg.bytes[sizeof *cfg + 5] = 1;
  assert_int_equal(ctx_new_with(cfg, cb), SIPHB_ERR_UNSUPPORTED);
  ncfg.bytes[sizeof *cfg + 5] = 0;
  ncb.bytes[sizeof *cb + 31] = 1;
  assert_int_equal(ctx_new_with(cfg, cb), SIPHB_ERR_UNSUPPORTED);
}

/* The config is judged before the socket is looked at, so descriptor -1
 * shows which sizes pass: those reach the OS, which says EBADF. */
static void test_tcp_keepalive_config_by_size(void **state) {
  (void)state;
  newer n;
  siphb_tcp_keepalive_config *cfg = (siphb_tcp_keepalive_config *)(void *)&n;
  siphb_error_info err;
  siphb_tcp_keepalive_config_init(cfg, sizeof *cfg);
  assert_int_equal(siphb_tcp_keepalive_apply(-1, cfg, &err), SIPHB_ERR_OS);
  set_size_field(cfg, 0);
  assert_int_equal(siphb_tcp_keepalive_apply(-1, cfg, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "not initialised"));
  siphb_tcp_keepalive_config_init(cfg, sizeof *cfg + 16);
  assert_int_equal(siphb_tcp_keepalive_apply(-1, cfg, &err), SIPHB_ERR_OS);
  n.bytes[sizeof *cfg + 15] = 1;
  assert_int_equal(siphb_tcp_keepalive_apply(-1, cfg, &err), SIPHB_ERR_UNSUPPORTED);
  /* an output too: read refuses size 0 and writes nothing */
  set_size_field(cfg, 0);
  assert_int_equal(siphb_tcp_keepalive_read(-1, cfg, &err), SIPHB_ERR_INVALID_ARGUMENT);
}

#ifdef SIPHB_TEST_CARES
/* siphb_cares_new reads the config by its size (no lookup is made). */
static void test_cares_config_by_size(void **state) {
  (void)state;
  newer n;
  siphb_cares_config *cfg = (siphb_cares_config *)(void *)&n;
  siphb_cares *r = NULL;
  siphb_cares_config_init(cfg, sizeof *cfg);
  cfg->servers = "127.0.0.1:9";
  assert_int_equal(siphb_cares_new(&r, cfg, NULL), 0);
  siphb_cares_del(r);
  set_size_field(cfg, 0);
  assert_int_equal(siphb_cares_new(&r, cfg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_cares_config_init(cfg, sizeof *cfg + 16);
  cfg->servers = "127.0.0.1:9";
  assert_int_equal(siphb_cares_new(&r, cfg, NULL), 0);
  siphb_cares_del(r);
  n.bytes[sizeof *cfg + 15] = 1;
  assert_int_equal(siphb_cares_new(&r, cfg, NULL), SIPHB_ERR_UNSUPPORTED);
}
#endif

static const char response[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: <sip:b@example.com>;tag=2\r\n"
    "Call-ID: x@192.0.2.1\r\n"
    "CSeq: 7 OPTIONS\r\n"
    "Contact: <sip:b@192.0.2.2>;expires=60\r\n"
    "Retry-After: 5\r\n"
    "Session-Expires: 90;refresher=uac\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static siphb_ssize parse_with(const siphb_sip_parse_config *cfg, siphb_sip_msg *msg) {
  return siphb_sip_parse(msg, (const uint8_t *)response, sizeof response - 1, cfg, NULL);
}

static void test_sip_parse_config_by_size(void **state) {
  (void)state;
  newer n;
  siphb_sip_parse_config *cfg = (siphb_sip_parse_config *)(void *)&n;
  siphb_sip_msg msg;
  siphb_sip_parse_config_init(cfg, sizeof *cfg);
  assert_int_equal(parse_with(cfg, &msg), (siphb_ssize)(sizeof response - 1));
  set_size_field(cfg, 0);
  siphb_error_info err;
  assert_int_equal(siphb_sip_parse(&msg, (const uint8_t *)response, sizeof response - 1, cfg, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "not initialised"));
  /* an older struct without max_headers: the default (256) applies */
  siphb_sip_parse_config_init(cfg, offsetof(siphb_sip_parse_config, max_headers));
  assert_int_equal(size_field(cfg), 0); /* smaller than the first release: refused */
  siphb_sip_parse_config_init(cfg, sizeof *cfg + 8);
  cfg->max_headers = 3; /* with a larger size the fields are still read */
  assert_int_equal(parse_with(cfg, &msg), SIPHB_ERR_SIP_TOO_MANY_HEADERS);
  cfg->max_headers = 256;
  assert_int_equal(parse_with(cfg, &msg), (siphb_ssize)(sizeof response - 1));
  n.bytes[sizeof *cfg + 7] = 9;
  assert_int_equal(siphb_sip_parse(&msg, (const uint8_t *)response, sizeof response - 1, cfg, &err),
                   SIPHB_ERR_UNSUPPORTED);
  assert_int_equal(err.code, SIPHB_ERR_UNSUPPORTED);
}

static int fixed_random(uint8_t *dest, size_t len, void *u) {
  (void)u;
  memset(dest, 0x5A, len);
  return 0;
}

static void base_options(siphb_sip_options *o, size_t size) {
  siphb_sip_options_init(o, size);
  o->request_uri = siphb_str_c("sip:proxy.example.com");
  o->from_uri = siphb_str_c("sip:phone@192.0.2.5");
  o->via_host = siphb_str_c("192.0.2.5");
  o->random = fixed_random;
}

static void test_encoder_inputs_by_size(void **state) {
  (void)state;
  newer n;
  siphb_sip_options *o = (siphb_sip_options *)(void *)&n;
  uint8_t a[1024], b[1024];
  siphb_error_info err;
  base_options(o, sizeof *o);
  siphb_ssize len = siphb_sip_encode_options(a, sizeof a, o, NULL, &err);
  assert_true(len > 0);
  /* the same options in a newer, larger struct give the same bytes */
  base_options(o, sizeof *o + 24);
  assert_int_equal(siphb_sip_encode_options(b, sizeof b, o, NULL, &err), len);
  assert_memory_equal(a, b, (size_t)len);
  n.bytes[sizeof *o + 1] = 1;
  assert_int_equal(siphb_sip_encode_options(b, sizeof b, o, NULL, &err), SIPHB_ERR_UNSUPPORTED);
  set_size_field(o, 0);
  assert_int_equal(siphb_sip_encode_options(b, sizeof b, o, NULL, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(strstr(err.message, "not initialised"));

  /* the responder's options likewise */
  siphb_sip_parse_config pcfg;
  siphb_sip_parse_config_init(&pcfg, sizeof pcfg);
  siphb_sip_msg req;
  static const char options[] = "OPTIONS sip:b@example.com SIP/2.0\r\n"
                                "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKq\r\n"
                                "From: <sip:a@example.com>;tag=1\r\n"
                                "To: <sip:b@example.com>\r\n"
                                "Call-ID: q@192.0.2.1\r\n"
                                "CSeq: 2 OPTIONS\r\n\r\n";
  assert_true(siphb_sip_parse(&req, (const uint8_t *)options, sizeof options - 1, &pcfg, NULL) > 0);
  newer m;
  siphb_sip_response *rsp = (siphb_sip_response *)(void *)&m;
  siphb_sip_response_init(rsp, sizeof *rsp + 40);
  rsp->random = fixed_random;
  assert_true(siphb_sip_encode_response(a, sizeof a, &req, rsp, &err) > 0);
  m.bytes[sizeof *rsp + 39] = 1;
  assert_int_equal(siphb_sip_encode_response(a, sizeof a, &req, rsp, &err),
                   SIPHB_ERR_UNSUPPORTED);
  set_size_field(rsp, 0);
  assert_int_equal(siphb_sip_encode_response(a, sizeof a, &req, rsp, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
}

/* The probe's config: a larger struct with a zero tail is read like this
 * library's, a non-zero tail is refused, size 0 is refused. */
static void test_probe_config_by_size(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  newer n;
  siphb_probe_config *c = (siphb_probe_config *)(void *)&n;
  const siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
  siphb_probe *p;
  siphb_probe_config_init(c, sizeof *c + 16);
  c->request_uri = siphb_str_c("sip:proxy.example.com");
  c->via_host = siphb_str_c("192.0.2.5");
  assert_int_equal(siphb_probe_new(&p, ctx, c, &peer, NULL, 0), 0);
  siphb_probe_del(p);
  n.bytes[sizeof *c + 15] = 1;
  assert_int_equal(siphb_probe_new(&p, ctx, c, &peer, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(c, 0);
  assert_int_equal(siphb_probe_new(&p, ctx, c, &peer, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  /* the probe's statistics come back with their room zeroed */
  siphb_probe_config_init(c, sizeof *c);
  c->request_uri = siphb_str_c("sip:proxy.example.com");
  c->via_host = siphb_str_c("192.0.2.5");
  assert_int_equal(siphb_probe_new(&p, ctx, c, &peer, NULL, 0), 0);
  siphb_probe_stats st;
  memset(&st, 0xAA, sizeof st);
  assert_int_equal(siphb_probe_get_stats(p, &st), 0);
  RESERVED_ZERO(st);
  siphb_ctx_del(ctx);
}

/* The flow's config by size (a newer header's zero tail, a non-zero one,
 * size 0, the first release's size); its statistics' room zeroed. */
static void test_flow_config_by_size(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  newer n;
  siphb_flow_config *c = (siphb_flow_config *)(void *)&n;
  const siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
  siphb_flow *f;
  siphb_flow_config_init(c, sizeof *c + 16);
  assert_int_equal(siphb_flow_new(&f, ctx, c, &peer, NULL, 0), 0);
  siphb_flow_del(f);
  n.bytes[sizeof *c + 15] = 1;
  assert_int_equal(siphb_flow_new(&f, ctx, c, &peer, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(c, 0);
  assert_int_equal(siphb_flow_new(&f, ctx, c, &peer, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  /* the first release's struct ends with backoff_max */
  siphb_flow_config_init(c, offsetof(siphb_flow_config, backoff_max) + sizeof(siphb_ms));
  assert_int_equal(siphb_flow_new(&f, ctx, c, &peer, NULL, 0), 0);
  siphb_flow_stats st;
  memset(&st, 0xAA, sizeof st);
  assert_int_equal(siphb_flow_get_stats(f, &st), 0);
  RESERVED_ZERO(st);
  siphb_flow_del(f);
  siphb_ctx_del(ctx);
}

/* The reg's config and result by size; its statistics' room zeroed. */
static void test_reg_structs_by_size(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  newer n;
  siphb_reg_config *c = (siphb_reg_config *)(void *)&n;
  siphb_reg *r;
  siphb_reg_config_init(c, sizeof *c + 8);
  assert_int_equal(siphb_reg_new(&r, ctx, c, NULL, 0), 0);
  siphb_reg_del(r);
  n.bytes[sizeof *c + 7] = 1;
  assert_int_equal(siphb_reg_new(&r, ctx, c, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(c, 0);
  assert_int_equal(siphb_reg_new(&r, ctx, c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_reg_new(&r, ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_reg_start(r, 0), 0);
  assert_int_equal(siphb_ctx_advance(ctx, 0), 0);
  assert_int_equal(siphb_reg_sent(r, 60, 0), 0);
  newer m;
  siphb_reg_result *res = (siphb_reg_result *)(void *)&m;
  siphb_reg_result_init(res, sizeof *res + 8);
  res->status = 200;
  m.bytes[sizeof *res + 3] = 1;
  assert_int_equal(siphb_reg_on_result(r, res, 0), SIPHB_ERR_UNSUPPORTED);
  m.bytes[sizeof *res + 3] = 0;
  res->has_expires = true;
  res->expires_s = 60;
  assert_int_equal(siphb_reg_on_result(r, res, 0), 0);
  assert_int_equal(siphb_reg_get_state(r), SIPHB_REG_STATE_REGISTERED);
  siphb_reg_stats st;
  memset(&st, 0xAA, sizeof st);
  assert_int_equal(siphb_reg_get_stats(r, &st), 0);
  RESERVED_ZERO(st);
  siphb_ctx_del(ctx);
}

/* The responder's config by size; its statistics' room zeroed. */
static void test_responder_structs_by_size(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  newer n;
  siphb_responder_config *c = (siphb_responder_config *)(void *)&n;
  siphb_responder *r;
  siphb_responder_config_init(c, sizeof *c + 8);
  assert_int_equal(siphb_responder_new(&r, ctx, c, NULL), 0);
  siphb_responder_del(r);
  n.bytes[sizeof *c + 7] = 1;
  assert_int_equal(siphb_responder_new(&r, ctx, c, NULL), SIPHB_ERR_UNSUPPORTED);
  set_size_field(c, 0);
  assert_int_equal(siphb_responder_new(&r, ctx, c, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_responder_new(&r, ctx, NULL, NULL), 0);
  siphb_responder_stats st;
  memset(&st, 0xAA, sizeof st);
  assert_int_equal(siphb_responder_get_stats(r, &st), 0);
  RESERVED_ZERO(st);
  siphb_ctx_del(ctx);
}

/* ---- caller-allocated outputs -------------------------------------------------- */

static void test_sip_outputs_have_zeroed_room(void **state) {
  (void)state;
  siphb_sip_msg msg;
  memset(&msg, 0xAA, sizeof msg);
  assert_true(parse_with(NULL, &msg) > 0);
  RESERVED_ZERO(msg);
  RESERVED_ZERO(msg.via);
  RESERVED_ZERO(msg.from);
  RESERVED_ZERO(msg.to);
  RESERVED_ZERO(msg.contact);
  const siphb_sip_retry_after *ra = &msg.retry_after;
  const siphb_sip_session_expires *se = &msg.session_expires;
  RESERVED_ZERO(*ra);
  RESERVED_ZERO(*se);
  assert_int_equal(msg.session_expires.refresher, SIPHB_SIP_REFRESHER_UAC); /* parsed, too */

  siphb_sip_iter it;
  memset(&it, 0xAA, sizeof it);
  siphb_sip_iter_init(&it, &msg);
  RESERVED_ZERO(it);
  siphb_sip_header h;
  memset(&h, 0xAA, sizeof h);
  assert_true(siphb_sip_next_header(&it, &h));
  RESERVED_ZERO(h);
  siphb_sip_via v;
  memset(&v, 0xAA, sizeof v);
  siphb_sip_iter_init(&it, &msg);
  assert_true(siphb_sip_next_via(&it, &v));
  RESERVED_ZERO(v);
  siphb_sip_addr c;
  memset(&c, 0xAA, sizeof c);
  siphb_sip_iter_init(&it, &msg);
  assert_true(siphb_sip_next_contact(&it, &c));
  RESERVED_ZERO(c);
  siphb_sip_param prm;
  memset(&prm, 0xAA, sizeof prm);
  assert_true(siphb_sip_find_param(msg.via.value, "branch", &prm));
  RESERVED_ZERO(prm);

  siphb_sip_options o;
  base_options(&o, sizeof o);
  siphb_sip_ids ids;
  memset(&ids, 0xAA, sizeof ids);
  uint8_t buf[1024];
  assert_true(siphb_sip_encode_options(buf, sizeof buf, &o, &ids, NULL) > 0);
  RESERVED_ZERO(ids);

  siphb_error_info err;
  memset(&err, 0xAA, sizeof err);
  assert_int_equal(siphb_sip_encode_options(buf, 10, &o, NULL, &err), SIPHB_ERR_NOBUF);
  RESERVED_ZERO(err);
  memset(&err, 0xAA, sizeof err);
  assert_true(parse_with(NULL, &msg) > 0);
  assert_int_equal(siphb_sip_parse(&msg, (const uint8_t *)"x", 1, NULL, &err),
                   SIPHB_ERR_SIP_START_LINE);
  RESERVED_ZERO(err);
}

static void test_stun_and_stream_outputs_have_zeroed_room(void **state) {
  (void)state;
  static const uint8_t txid[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  uint8_t buf[256];
  siphb_stun_encoder enc;
  memset(&enc, 0xAA, sizeof enc);
  assert_int_equal(siphb_stun_encode_start(&enc, buf, sizeof buf, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_ERROR, txid, NULL, NULL),
                   0);
  RESERVED_ZERO(enc);
  RESERVED_ZERO(enc.error);
  assert_int_equal(enc.error.code, 0);
  assert_int_equal(siphb_stun_encode_error_code(&enc, 401, siphb_str_c("")), 0);
  siphb_stun_password_alg alg;
  memset(&alg, 0, sizeof alg);
  alg.alg = SIPHB_STUN_PASSWORD_SHA256;
  assert_int_equal(siphb_stun_encode_password_algorithm(&enc, &alg), 0);
  siphb_ssize len = siphb_stun_encode_finish(&enc, NULL, SIPHB_STUN_WITH_FINGERPRINT);
  assert_true(len > 0);

  siphb_stun_msg m;
  memset(&m, 0xAA, sizeof m);
  assert_int_equal(siphb_stun_parse(&m, buf, (size_t)len, NULL, NULL), len);
  RESERVED_ZERO(m);
  siphb_stun_iter it;
  memset(&it, 0xAA, sizeof it);
  siphb_stun_iter_init(&it, &m);
  RESERVED_ZERO(it);
  siphb_stun_attr a;
  memset(&a, 0xAA, sizeof a);
  assert_true(siphb_stun_next_attr(&it, &a));
  RESERVED_ZERO(a);
  memset(&a, 0xAA, sizeof a);
  assert_int_equal(siphb_stun_get(&m, SIPHB_STUN_ATTR_ERROR_CODE, &a), 0);
  RESERVED_ZERO(a);
  siphb_stun_error_value ev;
  memset(&ev, 0xAA, sizeof ev);
  assert_int_equal(siphb_stun_error_code(&m, &ev), 0);
  assert_int_equal(ev.code, 401);
  RESERVED_ZERO(ev);
  memset(&alg, 0xAA, sizeof alg);
  assert_int_equal(siphb_stun_password_algorithm(&m, &alg), 0);
  assert_int_equal(alg.alg, SIPHB_STUN_PASSWORD_SHA256);
  RESERVED_ZERO(alg);

  siphb_stream_item item;
  memset(&item, 0xAA, sizeof item);
  assert_int_equal(siphb_stream_next(buf, (size_t)len, SIPHB_TRANSPORT_UDP, SIPHB_STREAM_CLIENT,
                                     &item, NULL),
                   len);
  RESERVED_ZERO(item);

  siphb_ctx *ctx = quiet_ctx();
  siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
  siphb_rx_result r;
  memset(&r, 0xAA, sizeof r);
  assert_int_equal(siphb_ctx_receive(ctx, &peer, buf, (size_t)len, &r, 0), 0);
  RESERVED_ZERO(r);
  siphb_ctx_del(ctx);
}

/* The RTCP parse config and the MOS input by size; the RTCP walks' outputs
 * (on an RR with one block) and the MOS result with zeroed room. */
static void test_rtcp_and_mos_by_size_and_zeroed_room(void **state) {
  (void)state;
  static const uint8_t rr[32] = {0x81, 201, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 1};
  newer n;
  siphb_rtcp_parse_config *cfg = (siphb_rtcp_parse_config *)(void *)&n;
  siphb_rtcp_msg m;
  memset(&m, 0xAA, sizeof m);
  siphb_rtcp_parse_config_init(cfg, sizeof *cfg);
  assert_int_equal(siphb_rtcp_parse(&m, rr, sizeof rr, cfg, NULL), 32);
  RESERVED_ZERO(m);
  set_size_field(cfg, 0);
  assert_int_equal(siphb_rtcp_parse(&m, rr, sizeof rr, cfg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_rtcp_parse_config_init(cfg, sizeof *cfg + 16);
  assert_int_equal(siphb_rtcp_parse(&m, rr, sizeof rr, cfg, NULL), 32);
  n.bytes[sizeof *cfg + 15] = 1;
  assert_int_equal(siphb_rtcp_parse(&m, rr, sizeof rr, cfg, NULL), SIPHB_ERR_UNSUPPORTED);
  assert_int_equal(siphb_rtcp_parse(&m, rr, sizeof rr, NULL, NULL), 32);
  siphb_rtcp_iter it;
  memset(&it, 0xAA, sizeof it);
  siphb_rtcp_iter_init(&it, &m);
  RESERVED_ZERO(it);
  siphb_rtcp_packet p;
  memset(&p, 0xAA, sizeof p);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  RESERVED_ZERO(p);
  siphb_rtcp_report_block b;
  memset(&b, 0xAA, sizeof b);
  assert_true(siphb_rtcp_next_block(&it, &b));
  RESERVED_ZERO(b);
  memset(&b, 0xAA, sizeof b);
  assert_int_equal(siphb_rtcp_packet_block(&p, 0, &b), 0);
  RESERVED_ZERO(b);
  /* siphb_rtcp_sender_info: fixed layout, the wire's fields */
  assert_int_equal(sizeof(siphb_rtcp_sender_info), 24);

  siphb_mos_input *in = (siphb_mos_input *)(void *)&n;
  siphb_mos_result r;
  memset(&r, 0xAA, sizeof r);
  siphb_mos_input_init(in, sizeof *in);
  assert_int_equal(siphb_mos_estimate(in, &r), 0);
  RESERVED_ZERO(r);
  assert_int_equal(r.r_x100, 9320);
  set_size_field(in, 0);
  assert_int_equal(siphb_mos_estimate(in, &r), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_mos_input_init(in, sizeof *in + 16);
  assert_int_equal(siphb_mos_estimate(in, &r), 0);
  n.bytes[sizeof *in + 15] = 1;
  assert_int_equal(siphb_mos_estimate(in, &r), SIPHB_ERR_UNSUPPORTED);
}

/* The health monitor's and the failover objects' configs by size (a
 * newer header's zero tail, a non-zero one, size 0), the window and target
 * inputs, their statistics' room zeroed; the layer config is a fixed
 * element of the health config's array. */
static void test_policy_structs_by_size(void **state) {
  (void)state;
  siphb_ctx *ctx = quiet_ctx();
  newer n;
  siphb_health_config *hc = (siphb_health_config *)(void *)&n;
  siphb_health *h;
  siphb_health_config_init(hc, sizeof *hc + 16);
  assert_int_equal(siphb_health_new(&h, ctx, hc, NULL, 0), 0);
  siphb_health_del(h);
  n.bytes[sizeof *hc + 15] = 1;
  assert_int_equal(siphb_health_new(&h, ctx, hc, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(hc, 0);
  assert_int_equal(siphb_health_new(&h, ctx, hc, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(sizeof hc->layers / sizeof hc->layers[0], SIPHB_HEALTH_LAYER_COUNT);
  if (sizeof(void *) == 8) assert_int_equal(sizeof(siphb_health_layer_config), 8 * 8);
  assert_int_equal(siphb_health_new(&h, ctx, NULL, NULL, 0), 0);
  siphb_health_stats hs;
  memset(&hs, 0xAA, sizeof hs);
  assert_int_equal(siphb_health_get_stats(h, &hs), 0);
  RESERVED_ZERO(hs);
  /* each siphb_health_layer_stats has its own room */
  RESERVED_ZERO(hs.layers[0]);
  RESERVED_ZERO(hs.layers[SIPHB_HEALTH_LAYER_COUNT - 1]);
  newer w;
  siphb_health_window *win = (siphb_health_window *)(void *)&w;
  assert_int_equal(siphb_health_set_wallclock(h, 0, 0, 0), 0);
  siphb_health_window_init(win, sizeof *win + 8);
  win->duration = 1000;
  assert_int_equal(siphb_health_add_window(h, win, NULL, 0), 0);
  w.bytes[sizeof *win + 7] = 1;
  assert_int_equal(siphb_health_add_window(h, win, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  siphb_health_del(h);

  siphb_targets_config *tc = (siphb_targets_config *)(void *)&n;
  siphb_targets *t;
  siphb_targets_config_init(tc, sizeof *tc + 16);
  assert_int_equal(siphb_targets_new(&t, ctx, tc, NULL, 0), 0);
  siphb_targets_del(t);
  n.bytes[sizeof *tc + 15] = 1;
  assert_int_equal(siphb_targets_new(&t, ctx, tc, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(tc, 0);
  assert_int_equal(siphb_targets_new(&t, ctx, tc, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_targets_new(&t, ctx, NULL, NULL, 0), 0);
  siphb_target x;
  siphb_target_init(&x, sizeof x);
  x.key = 1;
  assert_int_equal(siphb_targets_set(t, &x, 1, 0), 0);
  x.size = 0; /* never initialised */
  assert_int_equal(siphb_targets_set(t, &x, 1, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_targets_stats ts;
  memset(&ts, 0xAA, sizeof ts);
  assert_int_equal(siphb_targets_get_stats(t, &ts), 0);
  RESERVED_ZERO(ts);
  siphb_targets_del(t);

  siphb_escalation_config *ec = (siphb_escalation_config *)(void *)&n;
  siphb_escalation *e;
  siphb_escalation_config_init(ec, sizeof *ec + 16);
  assert_int_equal(siphb_escalation_new(&e, ctx, ec, NULL, 0), 0);
  siphb_escalation_del(e);
  n.bytes[sizeof *ec + 15] = 1;
  assert_int_equal(siphb_escalation_new(&e, ctx, ec, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(ec, 0);
  assert_int_equal(siphb_escalation_new(&e, ctx, ec, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_escalation_new(&e, ctx, NULL, NULL, 0), 0);
  siphb_escalation_stats es;
  memset(&es, 0xAA, sizeof es);
  assert_int_equal(siphb_escalation_get_stats(e, &es), 0);
  RESERVED_ZERO(es);
  siphb_escalation_del(e);
  siphb_ctx_del(ctx);
}

/* The session timer's configs by size; the st result's room zeroed; the
 * fixed st views. */
static void test_session_structs_by_size(void **state) {
  (void)state;
  newer n;
  siphb_st_config *sc = (siphb_st_config *)(void *)&n;
  siphb_st_result r;
  siphb_st_config_init(sc, sizeof *sc + 16);
  memset(&r, 0xAA, sizeof r);
  assert_int_equal(siphb_st_uac_offer(sc, 0, SIPHB_SIP_REFRESHER_NONE, &r), 0);
  RESERVED_ZERO(r);
  n.bytes[sizeof *sc + 15] = 1;
  assert_int_equal(siphb_st_uac_offer(sc, 0, SIPHB_SIP_REFRESHER_NONE, &r), SIPHB_ERR_UNSUPPORTED);
  set_size_field(sc, 0);
  assert_int_equal(siphb_st_uac_offer(sc, 0, SIPHB_SIP_REFRESHER_NONE, &r),
                   SIPHB_ERR_INVALID_ARGUMENT);
  /* siphb_st_session_expires and siphb_st_header are fixed views */
  assert_int_equal(offsetof(siphb_st_session_expires, delta_s), 0);
  assert_int_equal(offsetof(siphb_st_header, has_session_expires), 0);

  siphb_ctx *ctx = quiet_ctx();
  siphb_session_config *c = (siphb_session_config *)(void *)&n;
  siphb_session *x;
  siphb_session_config_init(c, sizeof *c + 16);
  assert_int_equal(siphb_session_new(&x, ctx, c, NULL, 0), 0);
  siphb_session_del(x);
  n.bytes[sizeof *c + 15] = 1;
  assert_int_equal(siphb_session_new(&x, ctx, c, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  set_size_field(c, 0);
  assert_int_equal(siphb_session_new(&x, ctx, c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_session_new(&x, ctx, NULL, NULL, 0), 0);
  siphb_session_stats st;
  memset(&st, 0xAA, sizeof st);
  assert_int_equal(siphb_session_get_stats(x, &st), 0);
  RESERVED_ZERO(st);
  siphb_ctx_del(ctx);
}

/* ---- structs that siphb allocates, and the fixed ones ---------------------------- */

static void test_layouts(void **state) {
  (void)state;
  /* siphb_event: the payload union keeps its 192 bytes whatever modules add */
  assert_int_equal(sizeof(((siphb_event *)0)->u), 192);
  assert_true(sizeof(siphb_event_timer) <= 192);
  assert_true(sizeof(siphb_event_probe) <= 192);
  assert_true(sizeof(siphb_event_reg) <= 192);
  assert_true(sizeof(siphb_event_flow) <= 192);
  assert_true(sizeof(siphb_event_health) <= 192);
  assert_true(sizeof(siphb_event_targets) <= 192);
  assert_true(sizeof(siphb_event_escalation) <= 192);
  assert_true(sizeof(siphb_event_session) <= 192);
  /* the policy payloads as their headers list them (LP64) */
  if (sizeof(void *) == 8) {
    assert_int_equal(offsetof(siphb_event_health, source), 64);
    assert_int_equal(sizeof(siphb_event_health), 96);
    assert_int_equal(offsetof(siphb_event_targets, from_key), 24);
    assert_int_equal(sizeof(siphb_event_targets), 56);
    assert_int_equal(offsetof(siphb_event_escalation, incident_start), 32);
    assert_int_equal(sizeof(siphb_event_escalation), 48);
    assert_int_equal(offsetof(siphb_event_session, last_refresh), 24);
    assert_int_equal(sizeof(siphb_event_session), 56);
  }
  /* the flow's payload as docs/API-PLAN.md section 5 lists it (LP64) */
  if (sizeof(void *) == 8) {
    assert_int_equal(offsetof(siphb_event_flow, state), 24);
    assert_int_equal(offsetof(siphb_event_flow, stun_error), 40);
    assert_int_equal(offsetof(siphb_event_flow, rtt), 48);
    assert_int_equal(offsetof(siphb_event_flow, retry_at), 64);
    assert_int_equal(offsetof(siphb_event_flow, mapped), 72);
    assert_int_equal(offsetof(siphb_event_flow, previous), 92);
    assert_int_equal(offsetof(siphb_event_flow, interval_min), 112);
    assert_int_equal(sizeof(siphb_event_flow), 128);
  }
  /* siphb_send_info is siphb's (passed const to `send`): it grows at its end */
  assert_int_equal(offsetof(siphb_send_info, peer), 0);
  /* fixed layouts */
  assert_int_equal(sizeof(siphb_mapped_addr), 20);
  assert_int_equal(sizeof(siphb_str), 2 * sizeof(void *));
  assert_int_equal(sizeof(siphb_mem), 5 * sizeof(void *));
  assert_int_equal(sizeof(siphb_peer), sizeof(uint64_t) + 2 * sizeof(void *));
  assert_int_equal(sizeof(siphb_stun_key), 168);
  assert_int_equal(sizeof(siphb_srv_record), 4); /* arrays of them are passed */
  assert_int_equal(offsetof(siphb_srv_record, weight), 2);
  assert_int_equal(sizeof(siphb_cares_fd), 2 * sizeof(intptr_t));
  /* siphb_cares_target and siphb_cares_result are siphb's (passed const to
   * the callback): they grow at their end */
  assert_int_equal(offsetof(siphb_cares_target, host), 0);
  assert_int_equal(offsetof(siphb_cares_result, status), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_inputs_start_with_their_size),
#ifdef SIPHB_TEST_CARES
      cmocka_unit_test(test_cares_config_by_size),
#endif
      cmocka_unit_test(test_ctx_config_and_callbacks_by_size),
      cmocka_unit_test(test_sip_parse_config_by_size),
      cmocka_unit_test(test_encoder_inputs_by_size),
      cmocka_unit_test(test_probe_config_by_size),
      cmocka_unit_test(test_reg_structs_by_size),
      cmocka_unit_test(test_responder_structs_by_size),
      cmocka_unit_test(test_flow_config_by_size),
      cmocka_unit_test(test_tcp_keepalive_config_by_size),
      cmocka_unit_test(test_sip_outputs_have_zeroed_room),
      cmocka_unit_test(test_stun_and_stream_outputs_have_zeroed_room),
      cmocka_unit_test(test_rtcp_and_mos_by_size_and_zeroed_room),
      cmocka_unit_test(test_policy_structs_by_size),
      cmocka_unit_test(test_session_structs_by_size),
      cmocka_unit_test(test_layouts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
