/*
 * test_stun_encode.c - the STUN encoder without credentials: exact bytes of
 * the header and of every typed adder (padding byte included), the
 * keepalive Binding request, SIPHB_ERR_NOBUF at every capacity below the
 * size needed with the message left as it was, every refused argument, the
 * 16-bit length ceiling, responses to parsed (and classic) requests, and a
 * round trip through the decoder for every attribute type. Integrity and
 * fingerprint are in test_stun_auth.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "rndtest.h"
#include "stuntest.h"

static siphb_str S(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

static const uint8_t txid_seq[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
/* The transaction id of the RFC 5769 vectors 2.1-2.3. */
static const uint8_t txid_5769[12] = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                      0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
#define HDR_SEQ "2112a442 000102030405060708090a0b"

/* Starts a Binding message of class cls with txid in buf[0..cap). */
static void start_as(siphb_stun_encoder *e, uint8_t *buf, size_t cap, siphb_stun_class cls,
                     const uint8_t *txid) {
  assert_int_equal(siphb_stun_encode_start(e, buf, cap, SIPHB_STUN_BINDING, cls, txid, NULL, NULL),
                   0);
  assert_int_equal(e->len, 20);
  assert_int_equal(e->pad, 0);
}

/* Starts a Binding request with txid_seq. */
static void start(siphb_stun_encoder *e, uint8_t *buf, size_t cap) {
  start_as(e, buf, cap, SIPHB_STUN_REQUEST, txid_seq);
}

/* The message so far equals hex. */
static bool msg_is(const siphb_stun_encoder *e, const uint8_t *buf, const char *hex) {
  uint8_t want[512];
  size_t n = stunt_hex(hex, want, sizeof want);
  return stunt_same(buf, e->len, want, n);
}

/* ---- the keepalive --------------------------------------------------------- */

static void test_binding_request(void **state) {
  (void)state;
  uint8_t buf[32];
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  assert_int_equal(siphb_stun_encode_binding(buf, sizeof buf, txid_seq, 0, &ei), 20);
  uint8_t want[20];
  stunt_hex("0001 0000" HDR_SEQ, want, sizeof want);
  assert_memory_equal(buf, want, 20);
  for (size_t cap = 0; cap < 20; cap++) {
    uint8_t *b = malloc(cap ? cap : 1);
    assert_non_null(b);
    memset(b, 0xEE, cap);
    memset(&ei, 0xEE, sizeof ei);
    assert_int_equal(siphb_stun_encode_binding(b, cap, txid_seq, 0, &ei), SIPHB_ERR_NOBUF);
    assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, 20);
    for (size_t i = 0; i < cap; i++) assert_int_equal(b[i], 0xEE);
    free(b);
  }
  assert_int_equal(siphb_stun_encode_binding(buf, 0, txid_seq, 0, NULL), SIPHB_ERR_NOBUF);
  assert_int_equal(siphb_stun_encode_binding(NULL, 32, txid_seq, 0, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_binding(buf, 32, NULL, 0, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_binding(buf, 32, txid_seq, SIPHB_STUN_WITH_INTEGRITY, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_binding(buf, 32, txid_seq, 8, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  /* It parses back as what it is. */
  siphb_stun_msg m;
  assert_int_equal(siphb_stun_parse(&m, buf, 20, NULL, NULL), 20);
  assert_int_equal(m.method, SIPHB_STUN_BINDING);
  assert_int_equal(m.cls, SIPHB_STUN_REQUEST);
  assert_int_equal(m.attr_count, 0);
}

/* ---- the header ------------------------------------------------------------ */

static void test_start(void **state) {
  (void)state;
  uint8_t buf[64];
  siphb_stun_encoder e;
  static const struct {
    uint16_t method;
    siphb_stun_class cls;
    const char *type;
  } kinds[] = {
      {SIPHB_STUN_BINDING, SIPHB_STUN_REQUEST, "0001"},
      {SIPHB_STUN_BINDING, SIPHB_STUN_INDICATION, "0011"},
      {SIPHB_STUN_BINDING, SIPHB_STUN_SUCCESS, "0101"},
      {SIPHB_STUN_BINDING, SIPHB_STUN_ERROR, "0111"},
      {0x003, SIPHB_STUN_REQUEST, "0003"}, /* TURN Allocate */
      {0xFFF, SIPHB_STUN_ERROR, "3fff"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, kinds[i].method, kinds[i].cls,
                                             txid_seq, NULL, NULL),
                     0);
    char hex[64];
    strcpy(hex, kinds[i].type);
    strcat(hex, "0000" HDR_SEQ);
    assert_true(msg_is(&e, buf, hex));
  }
  /* The transaction id from the random callback: one call of 12 bytes. */
  rnd_state r = {0x40, 0, 0, false};
  assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, NULL, rnd_counter, &r),
                   0);
  assert_int_equal(r.calls, 1);
  assert_int_equal(r.last_len, 12);
  assert_true(msg_is(&e, buf, "0001 0000 2112a442 404142434445464748494a4b"));
  /* No room: no entropy spent. */
  r.calls = 0;
  assert_int_equal(siphb_stun_encode_start(&e, buf, 19, SIPHB_STUN_BINDING, SIPHB_STUN_REQUEST,
                                           NULL, rnd_counter, &r),
                   SIPHB_ERR_NOBUF);
  assert_int_equal(e.error.need, 20);
  assert_int_equal(r.calls, 0);
  assert_int_equal(siphb_stun_encode_software(&e, S("x")), SIPHB_ERR_INVALID_ARGUMENT);
  /* A failing callback fails the start, and the encoder stays closed. */
  r.fail = true;
  assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, NULL, rnd_counter, &r),
                   SIPHB_ERR_CALLBACK_FAILURE);
  assert_int_equal(siphb_stun_encode_software(&e, S("x")), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  /* Refused arguments. */
  assert_int_equal(
      siphb_stun_encode_start(NULL, buf, 64, 1, SIPHB_STUN_REQUEST, txid_seq, NULL, NULL),
      SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(
      siphb_stun_encode_start(&e, NULL, 64, 1, SIPHB_STUN_REQUEST, txid_seq, NULL, NULL),
      SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(
      siphb_stun_encode_start(&e, buf, 64, 0x1000, SIPHB_STUN_REQUEST, txid_seq, NULL, NULL),
      SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(
      siphb_stun_encode_start(&e, buf, 64, 1, (siphb_stun_class)4, txid_seq, NULL, NULL),
      SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_start(&e, buf, 64, 1, SIPHB_STUN_REQUEST, NULL, NULL, NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
}

/* ---- each adder, exact bytes ------------------------------------------------ */

static const siphb_mapped_addr v4 = {1, 0, 32853, {192, 0, 2, 1}};
static const siphb_mapped_addr v6 = {2,
                                     0,
                                     32853,
                                     {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11,
                                      0x22, 0x33, 0x44, 0x55, 0x66, 0x77}};

static void test_addresses(void **state) {
  (void)state;
  uint8_t buf[128];
  siphb_stun_encoder e;
  /* The XOR-MAPPED-ADDRESS values of RFC 5769 2.2 and 2.3. */
  start_as(&e, buf, sizeof buf, SIPHB_STUN_SUCCESS, txid_5769);
  assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &v4), 0);
  assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &v6), 0);
  assert_true(msg_is(&e, buf,
                     "0101 0024 2112a442 b7e7a701bc34d686fa87dfae"
                     "0020 0008 0001 a147 e112a643"
                     "0020 0014 0002 a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"));
  start(&e, buf, sizeof buf);
  assert_int_equal(siphb_stun_encode_mapped_address(&e, &v4), 0);
  assert_int_equal(siphb_stun_encode_alternate_server(&e, &v6), 0);
  assert_int_equal(siphb_stun_encode_address(&e, 0x0016, &v4, true), 0); /* TURN relayed */
  assert_true(msg_is(&e, buf,
                     "0001 0030" HDR_SEQ "0001 0008 0001 8055 c0000201"
                     "8023 0014 0002 8055 20010db8 12345678 00112233 44556677"
                     "0016 0008 0001 a147 e112a643"));
  size_t len = e.len;
  siphb_mapped_addr bad = v4;
  bad.family = 0;
  assert_int_equal(siphb_stun_encode_mapped_address(&e, &bad), SIPHB_ERR_INVALID_ARGUMENT);
  bad.family = 3;
  assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &bad), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_address(&e, 1, NULL, false), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(e.len, len);
}

static void test_text_and_raw(void **state) {
  (void)state;
  uint8_t buf[256];
  siphb_stun_encoder e;
  start(&e, buf, sizeof buf);
  assert_int_equal(siphb_stun_encode_username(&e, S("evtj:h6vY")), 0);
  assert_int_equal(siphb_stun_encode_realm(&e, S("example.org")), 0);
  assert_int_equal(siphb_stun_encode_nonce(&e, S("abcd")), 0);
  e.pad = 0x20; /* the RFC 5769 padding */
  assert_int_equal(siphb_stun_encode_software(&e, S("test vector")), 0);
  e.pad = 0;
  assert_int_equal(siphb_stun_encode_alternate_domain(&e, S("a.b")), 0);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x8fff, NULL, 0), 0);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x0024, "\x6e\x00\x01\xff", 4), 0);
  assert_true(msg_is(&e, buf,
                     "0001 004c" HDR_SEQ "0006 0009 6576746a3a68367659 000000"
                     "0014 000b 6578616d706c652e6f7267 00"
                     "0015 0004 61626364"
                     "8022 000b 7465737420766563746f72 20"
                     "8003 0003 612e62 00"
                     "8fff 0000"
                     "0024 0004 6e0001ff"));
  size_t len = e.len;
  siphb_str nul = {NULL, 3};
  assert_int_equal(siphb_stun_encode_username(&e, nul), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_attr(&e, 1, NULL, 1), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_userhash(&e, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(e.len, len);
  uint8_t uh[32];
  for (unsigned i = 0; i < 32; i++) uh[i] = (uint8_t)i;
  assert_int_equal(siphb_stun_encode_userhash(&e, uh), 0);
  assert_int_equal(e.len, len + 36);
  assert_memory_equal(buf + len, "\x00\x1e\x00\x20", 4);
  assert_memory_equal(buf + len + 4, uh, 32);
}

static void test_error_code_and_lists(void **state) {
  (void)state;
  uint8_t buf[256];
  siphb_stun_encoder e;
  start(&e, buf, sizeof buf);
  assert_int_equal(siphb_stun_encode_error_code(&e, 438, S("")), 0); /* default phrase */
  assert_int_equal(siphb_stun_encode_error_code(&e, 420, S("x")), 0);
  assert_int_equal(siphb_stun_encode_error_code(&e, 699, S("")), 0); /* no phrase known */
  const uint16_t types[] = {0x0024, 0x0031, 0x0032};
  assert_int_equal(siphb_stun_encode_unknown_attributes(&e, types, 3), 0);
  assert_int_equal(siphb_stun_encode_unknown_attributes(&e, NULL, 0), 0);
  siphb_stun_password_alg one = {SIPHB_STUN_PASSWORD_SHA256, {NULL, 0}, {0}};
  assert_int_equal(siphb_stun_encode_password_algorithm(&e, &one), 0);
  siphb_stun_password_alg algs[3] = {
      {SIPHB_STUN_PASSWORD_MD5, {NULL, 0}, {0}},
      {0x0003, {"ab", 2}, {0}},
      {SIPHB_STUN_PASSWORD_SHA256, {NULL, 0}, {0}},
  };
  assert_int_equal(siphb_stun_encode_password_algorithms(&e, algs, 3), 0);
  assert_true(msg_is(&e, buf,
                     "0001 0054" HDR_SEQ "0009 000f 00000426 5374616c65204e6f6e6365 00"
                     "0009 0005 00000414 78 000000"
                     "0009 0004 00000663"
                     "000a 0006 0024 0031 0032 0000"
                     "000a 0000"
                     "001d 0004 0002 0000"
                     "8002 0010 0001 0000 0003 0002 6162 0000 0002 0000"));
  size_t len = e.len;
  assert_int_equal(siphb_stun_encode_error_code(&e, 299, S("")), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_error_code(&e, 700, S("")), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_str nul = {NULL, 1};
  assert_int_equal(siphb_stun_encode_error_code(&e, 400, nul), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_unknown_attributes(&e, NULL, 1), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_password_algorithm(&e, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_password_algorithms(&e, NULL, 2), SIPHB_ERR_INVALID_ARGUMENT);
  algs[1].params.ptr = NULL;
  assert_int_equal(siphb_stun_encode_password_algorithms(&e, algs, 3), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(e.len, len);
}

/* ---- a message with every attribute -------------------------------------- */

/* Lengths of the message after each successful step of build_all(). */
typedef struct steps {
  size_t len[32];
  size_t n;
} steps;

#define STEP(call)             \
  do {                         \
    int rc_ = (call);          \
    if (rc_ < 0) return rc_;   \
    st->len[st->n++] = e->len; \
  } while (0)

static const uint8_t all_userhash[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                         12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                         23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint16_t all_unknown[] = {0x0024, 0x0031, 0x7001};
static const siphb_stun_password_alg all_algs[2] = {
    {SIPHB_STUN_PASSWORD_MD5, {NULL, 0}, {0}},
    {0x0005, {"xyz", 3}, {0}},
};

/* Every typed adder once (plus a raw attribute), on an encoder already
 * started. Returns 0 or the first error. */
static int build_all(siphb_stun_encoder *e, steps *st) {
  STEP(siphb_stun_encode_xor_mapped_address(e, &v6));
  STEP(siphb_stun_encode_mapped_address(e, &v4));
  STEP(siphb_stun_encode_alternate_server(e, &v4));
  STEP(siphb_stun_encode_username(e, S("user")));
  STEP(siphb_stun_encode_userhash(e, all_userhash));
  STEP(siphb_stun_encode_realm(e, S("example.org")));
  STEP(siphb_stun_encode_nonce(e, S("nonce-1")));
  STEP(siphb_stun_encode_software(e, S("siphb")));
  STEP(siphb_stun_encode_alternate_domain(e, S("stun.example.org")));
  STEP(siphb_stun_encode_error_code(e, 420, S("Unknown Attribute")));
  STEP(siphb_stun_encode_unknown_attributes(e, all_unknown, 3));
  STEP(siphb_stun_encode_password_algorithm(e, &all_algs[1]));
  STEP(siphb_stun_encode_password_algorithms(e, all_algs, 2));
  STEP(siphb_stun_encode_attr(e, 0x8fff, "opt", 3));
  return 0;
}

static void test_round_trip_every_attribute(void **state) {
  (void)state;
  uint8_t buf[512];
  siphb_stun_encoder e;
  steps st = {{0}, 0};
  start_as(&e, buf, sizeof buf, SIPHB_STUN_ERROR, txid_5769);
  assert_int_equal(build_all(&e, &st), 0);
  siphb_ssize n = siphb_stun_encode_finish(&e, NULL, 0);
  assert_int_equal(n, e.len);
  assert_int_equal(stunt_parse(buf, (size_t)n, NULL), n);
  assert_true(stunt_ok());
  const siphb_stun_msg *m = &stunt.msg;
  assert_int_equal(m->cls, SIPHB_STUN_ERROR);
  assert_int_equal(m->attr_count, 14);
  assert_false(m->padding_nonzero);
  assert_int_equal(m->unknown_count, 0);

  siphb_mapped_addr a;
  assert_int_equal(siphb_stun_xor_mapped_address(m, &a), 0);
  assert_memory_equal(&a, &v6, sizeof a);
  assert_int_equal(siphb_stun_mapped_address(m, &a), 0);
  assert_memory_equal(&a, &v4, sizeof a);
  assert_int_equal(siphb_stun_alternate_server(m, &a), 0);
  assert_memory_equal(&a, &v4, sizeof a);
  siphb_str s;
  assert_int_equal(siphb_stun_username(m, &s), 0);
  assert_true(stunt_bytes_eq(s, "user", 4));
  assert_int_equal(siphb_stun_userhash(m, &s), 0);
  assert_true(stunt_bytes_eq(s, all_userhash, 32));
  assert_int_equal(siphb_stun_realm(m, &s), 0);
  assert_true(stunt_bytes_eq(s, "example.org", 11));
  assert_int_equal(siphb_stun_nonce(m, &s), 0);
  assert_true(stunt_bytes_eq(s, "nonce-1", 7));
  assert_int_equal(siphb_stun_software(m, &s), 0);
  assert_true(stunt_bytes_eq(s, "siphb", 5));
  assert_int_equal(siphb_stun_alternate_domain(m, &s), 0);
  assert_true(stunt_bytes_eq(s, "stun.example.org", 16));
  siphb_stun_error_value ec;
  assert_int_equal(siphb_stun_error_code(m, &ec), 0);
  assert_int_equal(ec.code, 420);
  assert_true(stunt_bytes_eq(ec.reason, "Unknown Attribute", 17));
  uint16_t types[4] = {0};
  assert_int_equal(siphb_stun_unknown_attributes(m, types, 4), 3);
  assert_memory_equal(types, all_unknown, sizeof all_unknown);
  assert_int_equal(siphb_stun_unknown_attributes(m, types, 1), 3); /* count, first one */
  siphb_stun_password_alg pa;
  assert_int_equal(siphb_stun_password_algorithm(m, &pa), 0);
  assert_int_equal(pa.alg, 5);
  assert_true(stunt_bytes_eq(pa.params, "xyz", 3));
  siphb_stun_password_alg list[3];
  assert_int_equal(siphb_stun_password_algorithms(m, list, 3), 2);
  assert_int_equal(list[0].alg, SIPHB_STUN_PASSWORD_MD5);
  assert_int_equal(list[0].params.len, 0);
  assert_int_equal(list[1].alg, 5);
  assert_true(stunt_bytes_eq(list[1].params, "xyz", 3));
  assert_int_equal(siphb_stun_password_algorithms(m, list, 1), 2);
  siphb_stun_attr at;
  assert_int_equal(siphb_stun_get(m, 0x8fff, &at), 0);
  assert_int_equal(at.len, 3);
  assert_memory_equal(at.value, "opt", 3);
  assert_int_equal(at.offset, st.len[12]);
}

/* Many addresses of both families survive XOR and plain encoding. */
static void test_round_trip_addresses(void **state) {
  (void)state;
  uint64_t x = 0x9E3779B97F4A7C15u;
  for (int i = 0; i < 2000; i++) {
    siphb_mapped_addr in;
    memset(&in, 0, sizeof in);
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    in.family = (uint8_t)(1 + (i & 1));
    in.port = (uint16_t)x;
    for (int k = 0; k < (in.family == 1 ? 4 : 16); k++) in.addr[k] = (uint8_t)(x >> (k % 8 * 8));
    uint8_t txid[12];
    for (int k = 0; k < 12; k++) txid[k] = (uint8_t)(x >> (k * 5 % 64));
    uint8_t buf[68]; /* 20 + 2 x 24 for IPv6 */
    siphb_stun_encoder e;
    start_as(&e, buf, sizeof buf, SIPHB_STUN_SUCCESS, txid);
    assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &in), 0);
    assert_int_equal(siphb_stun_encode_mapped_address(&e, &in), 0);
    siphb_stun_msg m;
    assert_int_equal(siphb_stun_parse(&m, buf, e.len, NULL, NULL), (siphb_ssize)e.len);
    siphb_mapped_addr out;
    assert_int_equal(siphb_stun_xor_mapped_address(&m, &out), 0);
    assert_memory_equal(&out, &in, sizeof in);
    assert_int_equal(siphb_stun_mapped_address(&m, &out), 0);
    assert_memory_equal(&out, &in, sizeof in);
  }
}

/* SIPHB_ERR_NOBUF at every capacity below the full size: the failing call
 * reports the size it needed and leaves the message (and the rest of the
 * buffer) as it was. */
static void test_nobuf_every_size(void **state) {
  (void)state;
  uint8_t ref[512];
  siphb_stun_encoder e;
  steps st = {{0}, 0};
  start(&e, ref, sizeof ref);
  assert_int_equal(build_all(&e, &st), 0);
  size_t total = e.len;
  for (size_t cap = 0; cap < total; cap++) {
    uint8_t *buf = malloc(cap ? cap : 1);
    assert_non_null(buf);
    memset(buf, 0xEE, cap);
    int rc = siphb_stun_encode_start(&e, buf, cap, SIPHB_STUN_BINDING, SIPHB_STUN_REQUEST, txid_seq,
                                     NULL, NULL);
    if (cap < 20) {
      assert_int_equal(rc, SIPHB_ERR_NOBUF);
      assert_int_equal(e.error.need, 20);
      for (size_t i = 0; i < cap; i++) assert_int_equal(buf[i], 0xEE);
      free(buf);
      continue;
    }
    assert_int_equal(rc, 0);
    steps got = {{0}, 0};
    assert_int_equal(build_all(&e, &got), SIPHB_ERR_NOBUF);
    size_t before = got.n ? st.len[got.n - 1] : 20;
    assert_int_equal(e.len, before);
    assert_int_equal(e.error.need, st.len[got.n]);
    assert_true(e.error.need > cap);
    assert_memory_equal(buf, ref, 2);
    assert_int_equal(buf[2] << 8 | buf[3], before - 20);
    assert_memory_equal(buf + 4, ref + 4, before - 4);
    for (size_t i = before; i < cap; i++) assert_int_equal(buf[i], 0xEE);
    free(buf);
  }
}

/* ---- limits and state --------------------------------------------------- */

static void test_length_ceiling(void **state) {
  (void)state;
  size_t cap = 20 + 65536 + 64;
  uint8_t *buf = malloc(cap);
  uint8_t *big = calloc(1, 65536);
  assert_non_null(buf);
  assert_non_null(big);
  siphb_stun_encoder e;
  start(&e, buf, cap);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x8001, big, 65536), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x8001, big, 65529), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_str huge = {(const char *)big, 65532};
  assert_int_equal(siphb_stun_encode_error_code(&e, 400, huge), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(e.len, 20);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x8001, big, 65528), 0);
  assert_int_equal(e.len, 20 + 65532);
  assert_int_equal(buf[2] << 8 | buf[3], 65532);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x8001, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, SIPHB_STUN_WITH_FINGERPRINT),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), 20 + 65532);
  assert_int_equal(stunt_parse(buf, 20 + 65532, NULL), 20 + 65532);
  assert_true(stunt_ok());
  free(big);
  free(buf);
}

static void test_finish_state(void **state) {
  (void)state;
  uint8_t buf[64];
  siphb_stun_encoder e;
  start(&e, buf, sizeof buf);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 8), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, SIPHB_STUN_WITH_INTEGRITY),
                   SIPHB_ERR_INVALID_ARGUMENT);
  siphb_stun_key never; /* not prepared */
  memset(&never, 0, sizeof never);
  assert_int_equal(siphb_stun_encode_finish(&e, &never, SIPHB_STUN_WITH_INTEGRITY_SHA256),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_software(&e, S("ok")), 0);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), 28);
  assert_int_equal(siphb_stun_encode_software(&e, S("late")), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(e.len, 28);
  assert_int_equal(siphb_stun_encode_finish(NULL, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_attr(NULL, 1, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
}

/* ---- responses ----------------------------------------------------------- */

static void test_start_response(void **state) {
  (void)state;
  size_t len;
  uint8_t *req = stunt_load(STUNT_REQUEST, &len);
  siphb_stun_msg m;
  assert_int_equal(siphb_stun_parse(&m, req, len, NULL, NULL), (siphb_ssize)len);
  uint8_t buf[64];
  siphb_stun_encoder e;
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, sizeof buf, &m, SIPHB_STUN_SUCCESS),
                   0);
  assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, &v4), 0);
  assert_true(
      msg_is(&e, buf, "0101 000c 2112a442 b7e7a701bc34d686fa87dfae 0020 0008 0001 a147 e112a643"));
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, sizeof buf, &m, SIPHB_STUN_ERROR), 0);
  assert_true(msg_is(&e, buf, "0111 0000 2112a442 b7e7a701bc34d686fa87dfae"));
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, 19, &m, SIPHB_STUN_ERROR),
                   SIPHB_ERR_NOBUF);
  assert_int_equal(e.error.need, 20);
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, 64, &m, SIPHB_STUN_REQUEST),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, 64, NULL, SIPHB_STUN_SUCCESS),
                   SIPHB_ERR_INVALID_ARGUMENT);
  /* In place, over the request itself. */
  assert_int_equal(siphb_stun_encode_start_response(&e, req, len, &m, SIPHB_STUN_SUCCESS), 0);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), 20);
  assert_memory_equal(req, "\x01\x01\x00\x00\x21\x12\xa4\x42", 8);
  assert_memory_equal(req + 8, "\xb7\xe7\xa7\x01\xbc\x34\xd6\x86\xfa\x87\xdf\xae", 12);
  free(req);

  /* A classic (RFC 3489) request gets a classic answer with MAPPED-ADDRESS
   * (RFC 5389 section 12.3). */
  uint8_t creq[20];
  stunt_hex("0001 0000 00112233445566778899aabbccddeeff", creq, sizeof creq);
  assert_int_equal(siphb_stun_parse(&m, creq, sizeof creq, NULL, NULL), 20);
  assert_true(m.classic);
  assert_int_equal(siphb_stun_encode_start_response(&e, buf, sizeof buf, &m, SIPHB_STUN_SUCCESS),
                   0);
  assert_int_equal(siphb_stun_encode_mapped_address(&e, &v4), 0);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), 32);
  assert_true(
      msg_is(&e, buf, "0101 000c 00112233445566778899aabbccddeeff 0001 0008 0001 8055 c0000201"));
  assert_int_equal(stunt_parse(buf, 32, NULL), 32);
  assert_true(stunt.msg.classic);
  assert_memory_equal(stunt.msg.txid, creq + 4, 16);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_binding_request),
      cmocka_unit_test(test_start),
      cmocka_unit_test(test_addresses),
      cmocka_unit_test(test_text_and_raw),
      cmocka_unit_test(test_error_code_and_lists),
      cmocka_unit_test(test_round_trip_every_attribute),
      cmocka_unit_test(test_round_trip_addresses),
      cmocka_unit_test(test_nobuf_every_size),
      cmocka_unit_test(test_length_ceiling),
      cmocka_unit_test(test_finish_state),
      cmocka_unit_test(test_start_response),
  };
  return cmocka_run_group_tests(tests, NULL, stunt_teardown);
}
