/*
 * test_stun_decode.c - the STUN decoder: every RFC 5769 / RFC 8489 B.1
 * vector decoded field by field, method and class for every type, classic
 * (RFC 3489) messages, stream mode, the ignore-after-integrity rules,
 * unknown attributes, and every malformed-input path with its exact code
 * and offset. Every parse reads a heap copy of exactly the input's size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "stuntest.h"

#define TXID "b7e7a701bc34d686fa87dfae"
#define LT_TXID "78ad3433c6ad72c029da412e"
/* A Binding request header with the given Length (4 hex digits). */
#define REQ(len) "0001" len "2112a442" TXID
#define Z4 "00000000"
#define Z20 Z4 Z4 Z4 Z4 Z4
#define Z32 Z4 Z4 Z4 Z4 Z4 Z4 Z4 Z4

static const uint8_t txid_2_1[12] = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                     0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
static const uint8_t txid_2_4[12] = {0x78, 0xad, 0x34, 0x33, 0xc6, 0xad,
                                     0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e};

static bool str_is(siphb_str s, const char *want) { return stunt_bytes_eq(s, want, strlen(want)); }

/* Expected attribute walk of a vector. */
typedef struct want_attr {
  uint16_t type;
  size_t offset;
  uint16_t len;
} want_attr;

static void check_walk(const want_attr *w, size_t n) {
  siphb_stun_iter it;
  siphb_stun_attr a;
  siphb_stun_iter_init(&it, &stunt.msg);
  for (size_t i = 0; i < n; i++) {
    assert_true(siphb_stun_next_attr(&it, &a));
    assert_int_equal(a.type, w[i].type);
    assert_int_equal(a.offset, w[i].offset);
    assert_int_equal(a.len, w[i].len);
    assert_ptr_equal(a.value, stunt.buf + w[i].offset + 4);
    assert_false(a.ignored);
  }
  assert_false(siphb_stun_next_attr(&it, &a));
  assert_int_equal(stunt.msg.attr_count, n);
}

static void load_and_parse(const char *name, const siphb_stun_parse_config *cfg) {
  size_t len;
  uint8_t *v = stunt_load(name, &len);
  stunt_parse(v, len, cfg);
  free(v);
  assert_true(stunt_ok());
}

static void check_header(uint16_t type, siphb_stun_class cls, const uint8_t *txid) {
  const siphb_stun_msg *m = &stunt.msg;
  assert_ptr_equal(m->data, stunt.buf);
  assert_int_equal(m->type, type);
  assert_int_equal(m->method, SIPHB_STUN_BINDING);
  assert_int_equal(m->cls, cls);
  assert_false(m->classic);
  assert_ptr_equal(m->txid, stunt.buf + 8);
  assert_int_equal(m->txid_len, 12);
  assert_memory_equal(m->txid, txid, 12);
}

/* ---- the vectors ----------------------------------------------------------- */

static void test_vector_2_1_request(void **state) {
  (void)state;
  load_and_parse(STUNT_REQUEST, NULL);
  const siphb_stun_msg *m = &stunt.msg;
  assert_int_equal(m->length, 108);
  check_header(0x0001, SIPHB_STUN_REQUEST, txid_2_1);
  static const want_attr walk[] = {
      {SIPHB_STUN_ATTR_SOFTWARE, 20, 16},
      {0x0024, 40, 4},
      {0x8029, 48, 8},
      {SIPHB_STUN_ATTR_USERNAME, 60, 9},
      {SIPHB_STUN_ATTR_MESSAGE_INTEGRITY, 76, 20},
      {SIPHB_STUN_ATTR_FINGERPRINT, 100, 4},
  };
  check_walk(walk, sizeof walk / sizeof walk[0]);
  assert_int_equal(m->integrity_offset, 76);
  assert_int_equal(m->integrity_sha256_offset, 0);
  assert_int_equal(m->fingerprint_offset, 100);
  assert_int_equal(m->ignored_count, 0);
  assert_true(m->padding_nonzero); /* USERNAME padded with 0x20 */
  /* PRIORITY (ICE) is comprehension-required and unknown to a STUN-only
   * decoder; ICE-CONTROLLED is optional and ignored. */
  assert_int_equal(m->unknown_count, 1);
  assert_int_equal(m->unknown_total, 1);
  assert_int_equal(m->unknown[0], 0x0024);

  siphb_str s;
  assert_int_equal(siphb_stun_software(m, &s), 0);
  assert_true(str_is(s, "STUN test client"));
  assert_int_equal(siphb_stun_username(m, &s), 0);
  assert_true(str_is(s, STUNT_USERNAME_2_1));
  assert_int_equal(siphb_stun_message_integrity(m, &s), 0);
  static const uint8_t mi[20] = {0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
                                 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2};
  assert_true(stunt_bytes_eq(s, mi, 20));
  uint32_t fp = 0;
  assert_int_equal(siphb_stun_fingerprint(m, &fp), 0);
  assert_int_equal(fp, 0xe57a3bcf);
  siphb_mapped_addr a;
  assert_int_equal(siphb_stun_mapped(m, &a), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_stun_realm(m, &s), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_stun_message_integrity_sha256(m, &s), SIPHB_ERR_NOT_FOUND);

  /* An ICE agent declares PRIORITY known: nothing is listed. */
  const uint16_t ice[] = {0x0024, 0x0025};
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.known = ice;
  cfg.known_count = 2;
  load_and_parse(STUNT_REQUEST, &cfg);
  assert_int_equal(stunt.msg.unknown_count, 0);
  assert_int_equal(stunt.msg.unknown_total, 0);
  /* Refusing unknown attributes refuses PRIORITY where it starts. */
  cfg.known_count = 0;
  cfg.known = NULL;
  cfg.refuse_unknown = true;
  size_t len;
  uint8_t *v = stunt_load(STUNT_REQUEST, &len);
  stunt_parse(v, len, &cfg);
  free(v);
  assert_true(stunt_failed(SIPHB_ERR_STUN_UNKNOWN_REQUIRED, 40, 0));
  /* Strict padding refuses the first 0x20 pad byte of USERNAME. */
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.strict_padding = true;
  v = stunt_load(STUNT_REQUEST, &len);
  stunt_parse(v, len, &cfg);
  free(v);
  assert_true(stunt_failed(SIPHB_ERR_STUN_PADDING, 73, 0));
}

static const uint8_t addr_v4[4] = {192, 0, 2, 1};
static const uint8_t addr_v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};

static void check_mapped(uint8_t family, const uint8_t *addr, size_t alen) {
  siphb_mapped_addr a;
  memset(&a, 0x77, sizeof a);
  assert_int_equal(siphb_stun_xor_mapped_address(&stunt.msg, &a), 0);
  assert_int_equal(a.family, family);
  assert_int_equal(a.reserved_, 0);
  assert_int_equal(a.port, 32853);
  assert_memory_equal(a.addr, addr, alen);
  for (size_t i = alen; i < 16; i++) assert_int_equal(a.addr[i], 0);
  siphb_mapped_addr b;
  assert_int_equal(siphb_stun_mapped(&stunt.msg, &b), 0); /* XOR-MAPPED preferred */
  assert_memory_equal(&a, &b, sizeof a);
  assert_int_equal(siphb_stun_mapped_address(&stunt.msg, &b), SIPHB_ERR_NOT_FOUND);
}

/* RFC 5769 2.2 and 2.3: SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and
 * FINGERPRINT; only the address family and so the offsets differ. */
static void check_response_vector(const char *name, uint8_t family, const uint8_t *addr,
                                  uint32_t fingerprint) {
  size_t alen = family == 1 ? 4 : 16, grow = alen - 4;
  load_and_parse(name, NULL);
  assert_int_equal(stunt.msg.length, 80 + grow);
  check_header(0x0101, SIPHB_STUN_SUCCESS, txid_2_1);
  const want_attr walk[] = {
      {SIPHB_STUN_ATTR_SOFTWARE, 20, 11},
      {SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS, 36, (uint16_t)(4 + alen)},
      {SIPHB_STUN_ATTR_MESSAGE_INTEGRITY, 48 + grow, 20},
      {SIPHB_STUN_ATTR_FINGERPRINT, 72 + grow, 4},
  };
  check_walk(walk, 4);
  assert_int_equal(stunt.msg.integrity_offset, 48 + grow);
  assert_int_equal(stunt.msg.fingerprint_offset, 72 + grow);
  assert_int_equal(stunt.msg.unknown_count, 0);
  assert_true(stunt.msg.padding_nonzero); /* SOFTWARE padded with 0x20 */
  siphb_str s;
  assert_int_equal(siphb_stun_software(&stunt.msg, &s), 0);
  assert_true(str_is(s, "test vector"));
  check_mapped(family, addr, alen);
  uint32_t fp;
  assert_int_equal(siphb_stun_fingerprint(&stunt.msg, &fp), 0);
  assert_int_equal(fp, fingerprint);
}

static void test_vector_2_2_ipv4_response(void **state) {
  (void)state;
  check_response_vector(STUNT_IPV4, 1, addr_v4, 0xc07d4c96);
}

static void test_vector_2_3_ipv6_response(void **state) {
  (void)state;
  check_response_vector(STUNT_IPV6, 2, addr_v6, 0xc8fb0b4c);
}

static void test_vector_2_4_long_term(void **state) {
  (void)state;
  load_and_parse(STUNT_LONG_TERM, NULL);
  assert_int_equal(stunt.msg.length, 116);
  check_header(0x0001, SIPHB_STUN_REQUEST, txid_2_4);
  static const want_attr walk[] = {
      {SIPHB_STUN_ATTR_USERNAME, 20, 18},
      {SIPHB_STUN_ATTR_NONCE, 44, 28},
      {SIPHB_STUN_ATTR_REALM, 76, 11},
      {SIPHB_STUN_ATTR_MESSAGE_INTEGRITY, 92, 20},
  };
  check_walk(walk, 4);
  assert_false(stunt.msg.padding_nonzero);
  assert_int_equal(stunt.msg.fingerprint_offset, 0);
  siphb_str s;
  assert_int_equal(siphb_stun_username(&stunt.msg, &s), 0);
  assert_true(str_is(s, STUNT_LT_USERNAME));
  assert_int_equal(siphb_stun_nonce(&stunt.msg, &s), 0);
  assert_true(str_is(s, STUNT_LT_NONCE));
  assert_int_equal(siphb_stun_realm(&stunt.msg, &s), 0);
  assert_true(str_is(s, STUNT_LT_REALM));
  uint32_t fp;
  assert_int_equal(siphb_stun_fingerprint(&stunt.msg, &fp), SIPHB_ERR_NOT_FOUND);
}

static void test_vector_b1_sha256(void **state) {
  (void)state;
  load_and_parse(STUNT_SHA256, NULL);
  assert_int_equal(stunt.msg.length, 156);
  check_header(0x0001, SIPHB_STUN_REQUEST, txid_2_4);
  static const want_attr walk[] = {
      {SIPHB_STUN_ATTR_USERHASH, 20, 32},
      {SIPHB_STUN_ATTR_NONCE, 56, 41},
      {SIPHB_STUN_ATTR_REALM, 104, 11},
      {SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256, 120, 32},
  };
  check_walk(walk, 4);
  assert_int_equal(stunt.msg.integrity_offset, 0);
  assert_int_equal(stunt.msg.integrity_sha256_offset, 120);
  siphb_str s;
  uint8_t uh[32];
  stunt_hex("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704", uh, 32);
  assert_int_equal(siphb_stun_userhash(&stunt.msg, &s), 0);
  assert_true(stunt_bytes_eq(s, uh, 32));
  assert_int_equal(siphb_stun_nonce(&stunt.msg, &s), 0);
  assert_true(str_is(s, STUNT_B1_NONCE));
  assert_int_equal(siphb_stun_realm(&stunt.msg, &s), 0);
  assert_true(str_is(s, STUNT_LT_REALM));
  uint8_t mac[32];
  stunt_hex("fd8c273860d2e18ebca4c89b6973befa7ee8ecc69e9642db326fab65a0b955ba", mac, 32);
  assert_int_equal(siphb_stun_message_integrity_sha256(&stunt.msg, &s), 0);
  assert_true(stunt_bytes_eq(s, mac, 32));
  assert_int_equal(siphb_stun_username(&stunt.msg, &s), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_stun_message_integrity(&stunt.msg, &s), SIPHB_ERR_NOT_FOUND);
}

/* ---- header ----------------------------------------------------------------- */

/* RFC 5389 section 6: every method and class survives type encoding, and
 * the decoder's bit formulas invert the encoder's. */
static void test_every_method_and_class(void **state) {
  (void)state;
  uint8_t m[20];
  stunt_hex(REQ("0000"), m, sizeof m);
  for (unsigned method = 0; method <= 0xFFF; method++) {
    for (unsigned c = 0; c < 4; c++) {
      uint16_t t = siphb_stun_type((uint16_t)method, (siphb_stun_class)c);
      assert_int_equal(t & 0xC000u, 0);
      m[0] = (uint8_t)(t >> 8);
      m[1] = (uint8_t)t;
      siphb_stun_msg msg;
      assert_int_equal(siphb_stun_parse(&msg, m, sizeof m, NULL, NULL), 20);
      assert_int_equal(msg.method, method);
      assert_int_equal(msg.cls, c);
      assert_int_equal(msg.type, t);
    }
  }
  assert_int_equal(siphb_stun_type(SIPHB_STUN_BINDING, SIPHB_STUN_REQUEST), 0x0001);
  assert_int_equal(siphb_stun_type(SIPHB_STUN_BINDING, SIPHB_STUN_INDICATION), 0x0011);
  assert_int_equal(siphb_stun_type(SIPHB_STUN_BINDING, SIPHB_STUN_SUCCESS), 0x0101);
  assert_int_equal(siphb_stun_type(SIPHB_STUN_BINDING, SIPHB_STUN_ERROR), 0x0111);
  assert_int_equal(siphb_stun_type(0xFFF, SIPHB_STUN_ERROR), 0x3FFF);
  assert_string_equal(siphb_stun_class_name(SIPHB_STUN_INDICATION), "INDICATION");
  assert_string_equal(siphb_stun_class_name((siphb_stun_class)9), "");
}

typedef struct err_case {
  const char *hex;
  int code;
  size_t offset;
  size_t need;
} err_case;

static void run_cases(const err_case *c, size_t n, const siphb_stun_parse_config *cfg) {
  for (size_t i = 0; i < n; i++) {
    stunt_parse_hex(c[i].hex, cfg);
    if (!stunt_failed(c[i].code, c[i].offset, c[i].need)) fail_msg("case %zu: %s", i, c[i].hex);
  }
}

static void test_header_errors(void **state) {
  (void)state;
  static const err_case cases[] = {
      {"", SIPHB_ERR_STUN_LENGTH, 0, 0},
      {"00", SIPHB_ERR_STUN_LENGTH, 1, 0},
      {"0001 0000 2112", SIPHB_ERR_STUN_LENGTH, 6, 0},
      {"0001 0000 2112a442 b7e7a701bc34d686fa87df", SIPHB_ERR_STUN_LENGTH, 19, 0},
      {"c001 0000 2112a442" TXID, SIPHB_ERR_STUN_NOT_STUN, 0, 0},
      {"4001 0000 2112a442" TXID, SIPHB_ERR_STUN_NOT_STUN, 0, 0},
      {"ff", SIPHB_ERR_STUN_NOT_STUN, 0, 0},
      {REQ("0005") "00060001 61000000", SIPHB_ERR_STUN_LENGTH, 2, 0},
      {REQ("0002") "0000", SIPHB_ERR_STUN_LENGTH, 2, 0},
      {REQ("0008"), SIPHB_ERR_STUN_LENGTH, 2, 0},            /* says 8, has 0 */
      {REQ("0000") "80220000", SIPHB_ERR_STUN_LENGTH, 2, 0}, /* says 0, has 4 */
      /* no cookie, and too short to be a classic header */
      {"0001 0000 deadbeef 0000", SIPHB_ERR_STUN_LENGTH, 10, 0},
      /* classic with a length that does not match */
      {"0001 0004 00112233445566778899aabbccddeeff", SIPHB_ERR_STUN_LENGTH, 2, 0},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], NULL);
}

static void test_classic_rfc3489(void **state) {
  (void)state;
  /* RFC 3489 Binding response: 128-bit transaction id, MAPPED-ADDRESS,
   * CHANGED-ADDRESS (0x0005) and SOURCE-ADDRESS (0x0004). */
  const char *hex = "0101 0018 00112233445566778899aabbccddeeff"
                    "0001 0008 0001 1f90 c0000201"
                    "0005 0008 0001 0d96 c0000202";
  assert_int_equal(stunt_parse_hex(hex, NULL), 44);
  assert_true(stunt_ok());
  assert_true(stunt.msg.classic);
  assert_ptr_equal(stunt.msg.txid, stunt.buf + 4);
  assert_int_equal(stunt.msg.txid_len, 16);
  assert_int_equal(stunt.msg.method, SIPHB_STUN_BINDING);
  assert_int_equal(stunt.msg.cls, SIPHB_STUN_SUCCESS);
  assert_int_equal(stunt.msg.unknown_count, 0); /* 0x0005 is a 3489 attribute */
  siphb_mapped_addr a;
  assert_int_equal(siphb_stun_mapped(&stunt.msg, &a), 0);
  assert_int_equal(a.family, 1);
  assert_int_equal(a.port, 8080);
  assert_memory_equal(a.addr, addr_v4, 4);

  /* The same reserved attribute in an RFC 5389 message is unknown. */
  stunt_parse_hex(REQ("000c") "0005 0008 0001 0d96 c0000202", NULL);
  assert_true(stunt_ok());
  assert_false(stunt.msg.classic);
  assert_int_equal(stunt.msg.unknown_count, 1);
  assert_int_equal(stunt.msg.unknown[0], 0x0005);

  /* A port shared with SIP refuses classic messages. */
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.allow_classic = false;
  stunt_parse_hex(hex, &cfg);
  assert_true(stunt_failed(SIPHB_ERR_STUN_NOT_STUN, 4, 0));
  /* So does stream mode (RFC 3489 ran over UDP only). */
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.stream = true;
  stunt_parse_hex(hex, &cfg);
  assert_true(stunt_failed(SIPHB_ERR_STUN_NOT_STUN, 4, 0));
}

static void test_stream_mode(void **state) {
  (void)state;
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.stream = true;
  static const err_case cases[] = {
      {"", SIPHB_ERR_INCOMPLETE, 0, 20},
      {"00", SIPHB_ERR_INCOMPLETE, 1, 19},
      {"0001 0008 2112a442 0001", SIPHB_ERR_INCOMPLETE, 10, 18},
      {REQ("0008") "8022", SIPHB_ERR_INCOMPLETE, 22, 6},
      {REQ("0008"), SIPHB_ERR_INCOMPLETE, 20, 8},
      {"0001 0008 2112a443", SIPHB_ERR_STUN_NOT_STUN, 4, 0},
      {"0101 0006", SIPHB_ERR_STUN_LENGTH, 2, 0},
      {"8101", SIPHB_ERR_STUN_NOT_STUN, 0, 0},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], &cfg);
  /* Two messages back to back: the first one is consumed. */
  assert_int_equal(stunt_parse_hex(REQ("0008") "80220003 61626300" REQ("0000"), &cfg), 28);
  assert_int_equal(stunt.msg.length, 28);
  assert_int_equal(stunt.msg.attr_count, 1);
}

/* ---- attributes --------------------------------------------------------- */

static void test_attribute_errors(void **state) {
  (void)state;
  static const err_case cases[] = {
      /* TLVs that run past the message */
      {REQ("0008") "8022 0008 61626364", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0008") "8022 0005 61626364", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("000c") "8022 0000 0006 0008 61626364", SIPHB_ERR_STUN_ATTRIBUTE, 24, 0},
      {REQ("0004") "8022 ffff", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      /* addresses */
      {REQ("000c") "0020 0008 0003 a147 e112a643", SIPHB_ERR_STUN_ADDRESS_FAMILY, 25, 0},
      {REQ("000c") "0001 0008 0000 a147 e112a643", SIPHB_ERR_STUN_ADDRESS_FAMILY, 25, 0},
      {REQ("000c") "8023 0008 0002 1234 01020304", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0018") "0001 0014 0001 1234" Z4 Z4 Z4 Z4, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0008") "0001 0002 0001 0000", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0004") "0020 0000", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      /* integrity and fingerprint */
      {REQ("0014") "0008 0010" Z4 Z4 Z4 Z4, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0010") "001c 000c" Z4 Z4 Z4, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0018") "001c 0012" Z20, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0028") "001c 0024" Z32 Z4, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("000c") "8028 0008" Z4 Z4, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0030") "0008 0014" Z20 "0008 0014" Z20, SIPHB_ERR_STUN_DUPLICATE_INTEGRITY, 44, 0},
      {REQ("0048") "001c 0020" Z32 "001c 0020" Z32, SIPHB_ERR_STUN_DUPLICATE_INTEGRITY, 56, 0},
      {REQ("000c") "8028 0004" Z4 "8022 0000", SIPHB_ERR_STUN_FINGERPRINT, 28, 0},
      {REQ("0010") "8028 0004" Z4 "8028 0004" Z4, SIPHB_ERR_STUN_FINGERPRINT, 28, 0},
      /* values */
      {REQ("0008") "0009 0004 0000 0214", SIPHB_ERR_STUN_ATTRIBUTE, 26, 0},
      {REQ("0008") "0009 0004 0000 0700", SIPHB_ERR_STUN_ATTRIBUTE, 26, 0},
      {REQ("0008") "0009 0004 0000 0464", SIPHB_ERR_STUN_ATTRIBUTE, 27, 0},
      {REQ("0008") "0009 0003 000004 00", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0024") "001e 001f" Z4 Z4 Z4 Z4 Z4 Z4 Z4 Z4, SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0008") "000a 0003 000100 00", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0008") "001d 0004 0001 0004", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("0008") "001d 0002 0001 0000", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("000c") "8002 0008 0001 0000 0002 0004", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
      {REQ("000c") "8002 0006 0001 0000 0002 0000", SIPHB_ERR_STUN_ATTRIBUTE, 20, 0},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], NULL);
}

static void test_padding(void **state) {
  (void)state;
  const char *hex = REQ("0008") "0006 0001 61 200000";
  stunt_parse_hex(hex, NULL); /* any value by default (RFC 5389 section 15) */
  assert_true(stunt_ok());
  assert_true(stunt.msg.padding_nonzero);
  siphb_str s;
  assert_int_equal(siphb_stun_username(&stunt.msg, &s), 0);
  assert_true(str_is(s, "a"));
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.strict_padding = true;
  stunt_parse_hex(hex, &cfg);
  assert_true(stunt_failed(SIPHB_ERR_STUN_PADDING, 25, 0));
  stunt_parse_hex(REQ("0008") "0006 0001 61 0000ff", &cfg);
  assert_true(stunt_failed(SIPHB_ERR_STUN_PADDING, 27, 0));
  stunt_parse_hex(REQ("0008") "0006 0001 61 000000", &cfg);
  assert_true(stunt_ok());
  assert_false(stunt.msg.padding_nonzero);
}

/* RFC 8489 sections 14.5-14.7: what follows the integrity attributes. */
static void test_ignored_after_integrity(void **state) {
  (void)state;
  const char *hex = REQ("0054") "0008 0014" Z20       /* 20 MESSAGE-INTEGRITY */
                                "8022 0003 616263 00" /* 44 SOFTWARE: ignored */
                                "0024 0004 6e0001ff"  /* 52 PRIORITY: ignored */
                                "001c 0020" Z32       /* 60 MI-SHA256: counts */
                                "8028 0004 01020304"; /* 96 FINGERPRINT */
  stunt_parse_hex(hex, NULL);
  assert_true(stunt_ok());
  const siphb_stun_msg *m = &stunt.msg;
  assert_int_equal(m->attr_count, 5);
  assert_int_equal(m->ignored_count, 2);
  assert_int_equal(m->unknown_count, 0);
  assert_int_equal(m->integrity_offset, 20);
  assert_int_equal(m->integrity_sha256_offset, 60);
  assert_int_equal(m->fingerprint_offset, 96);
  siphb_str s;
  siphb_stun_attr a;
  assert_int_equal(siphb_stun_software(m, &s), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_stun_get(m, 0x0024, &a), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_stun_get(m, SIPHB_STUN_ATTR_FINGERPRINT, &a), 0);
  assert_int_equal(a.offset, 96);
  const bool ignored[] = {false, true, true, false, false};
  siphb_stun_iter it;
  siphb_stun_iter_init(&it, m);
  for (size_t i = 0; i < 5; i++) {
    assert_true(siphb_stun_next_attr(&it, &a));
    assert_int_equal(a.ignored, ignored[i]);
  }
  assert_false(siphb_stun_next_attr(&it, &a));

  /* MESSAGE-INTEGRITY after MESSAGE-INTEGRITY-SHA256 is ignored, not a
   * duplicate. */
  stunt_parse_hex(REQ("003c") "001c 0020" Z32 "0008 0014" Z20, NULL);
  assert_true(stunt_ok());
  assert_int_equal(stunt.msg.integrity_offset, 0);
  assert_int_equal(stunt.msg.integrity_sha256_offset, 20);
  assert_int_equal(stunt.msg.ignored_count, 1);
  assert_int_equal(siphb_stun_message_integrity(&stunt.msg, &s), SIPHB_ERR_NOT_FOUND);
  /* Even a malformed attribute there is only walked over. */
  stunt_parse_hex(REQ("0024") "0008 0014" Z20 "0020 0008 0009 0000" Z4, NULL);
  assert_true(stunt_ok());
  assert_int_equal(stunt.msg.ignored_count, 1);
}

static void test_first_occurrence(void **state) {
  (void)state;
  /* Only the first occurrence is checked and returned (RFC 8489 section
   * 14); the second one's bad family goes unnoticed. */
  stunt_parse_hex(REQ("0018") "0020 0008 0001 a147 e112a643"
                              "0020 0008 0007 0000 00000000",
                  NULL);
  assert_true(stunt_ok());
  siphb_mapped_addr a;
  assert_int_equal(siphb_stun_xor_mapped_address(&stunt.msg, &a), 0);
  assert_int_equal(a.port, 32853);
  assert_memory_equal(a.addr, addr_v4, 4);
  /* The iterator still shows both, and decode_address judges the second. */
  siphb_stun_iter it;
  siphb_stun_attr at;
  siphb_stun_iter_init(&it, &stunt.msg);
  assert_true(siphb_stun_next_attr(&it, &at));
  assert_true(siphb_stun_next_attr(&it, &at));
  assert_int_equal(at.offset, 32);
  assert_int_equal(siphb_stun_decode_address(&stunt.msg, &at, true, &a),
                   SIPHB_ERR_STUN_ADDRESS_FAMILY);
  at.len = 200; /* a forged attribute is refused, not read */
  assert_int_equal(siphb_stun_decode_address(&stunt.msg, &at, true, &a),
                   SIPHB_ERR_INVALID_ARGUMENT);
}

static void test_unknown_attributes_listed(void **state) {
  (void)state;
  /* Ten distinct comprehension-required types, one of them twice, and
   * two optional ones: eight are listed, eleven counted. */
  const char *hex = REQ("0038") "0030 0000 0031 0000 8030 0000 0032 0000 0033 0000"
                                "0034 0000 0030 0000 0035 0000 0036 0000 0037 0000"
                                "7fff 0000 8fff 0000 0038 0000 0039 0000";
  stunt_parse_hex(hex, NULL);
  assert_true(stunt_ok());
  const siphb_stun_msg *m = &stunt.msg;
  assert_int_equal(m->attr_count, 14);
  assert_int_equal(m->unknown_total, 12);
  assert_int_equal(m->unknown_count, SIPHB_STUN_MAX_UNKNOWN);
  static const uint16_t want[8] = {0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37};
  assert_memory_equal(m->unknown, want, sizeof want);
  /* A type the caller knows is neither listed nor counted. */
  const uint16_t known[] = {0x0031, 0x7fff};
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.known = known;
  cfg.known_count = 2;
  stunt_parse_hex(hex, &cfg);
  assert_true(stunt_ok());
  assert_int_equal(stunt.msg.unknown_total, 10);
  assert_int_equal(stunt.msg.unknown[1], 0x32);
  /* siphb_stun_get() finds an unknown type by walking. */
  siphb_stun_attr a;
  assert_int_equal(siphb_stun_get(&stunt.msg, 0x8fff, &a), 0);
  assert_int_equal(a.offset, 20 + 4 * 11);
  assert_int_equal(siphb_stun_get(&stunt.msg, 0x1234, &a), SIPHB_ERR_NOT_FOUND);
  cfg.refuse_unknown = true;
  stunt_parse_hex(hex, &cfg);
  assert_true(stunt_failed(SIPHB_ERR_STUN_UNKNOWN_REQUIRED, 20, 0));
}

static void test_invalid_arguments(void **state) {
  (void)state;
  siphb_stun_msg m;
  siphb_error_info err;
  uint8_t b[20] = {0};
  assert_int_equal(siphb_stun_parse(NULL, b, 20, NULL, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_parse(&m, NULL, 20, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_parse(&m, NULL, 0, NULL, &err), SIPHB_ERR_STUN_LENGTH);
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.known_count = 1;
  stunt_parse_hex(REQ("0000"), &cfg);
  assert_true(stunt_failed(SIPHB_ERR_INVALID_ARGUMENT, 0, 0));
  siphb_stun_parse_config_init(NULL, sizeof(siphb_stun_parse_config));

  /* Accessors refuse NULLs and a message that was never parsed. */
  memset(&m, 0, sizeof m);
  siphb_str s;
  siphb_mapped_addr a;
  siphb_stun_attr at;
  assert_int_equal(siphb_stun_username(&m, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_username(NULL, &s), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_mapped(&m, &a), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_get(&m, 1, &at), SIPHB_ERR_INVALID_ARGUMENT);
  stunt_parse_hex(REQ("0000"), NULL);
  assert_int_equal(siphb_stun_username(&stunt.msg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_fingerprint(&stunt.msg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_error_code(&stunt.msg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_unknown_attributes(&stunt.msg, NULL, 1), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_unknown_attributes(&stunt.msg, NULL, 0), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_stun_password_algorithms(&stunt.msg, NULL, 0), SIPHB_ERR_NOT_FOUND);
  siphb_stun_iter it;
  siphb_stun_iter_init(&it, &m); /* never parsed: an empty walk */
  assert_false(siphb_stun_next_attr(&it, &at));
  siphb_stun_iter_init(NULL, &m);
  assert_false(siphb_stun_next_attr(NULL, &at));
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(siphb_stun_attr_name(SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS),
                      "XOR-MAPPED-ADDRESS");
  assert_string_equal(siphb_stun_attr_name(0x8028), "FINGERPRINT");
  assert_string_equal(siphb_stun_attr_name(0x0005), "CHANGED-ADDRESS");
  assert_string_equal(siphb_stun_attr_name(0x1234), "");
  assert_string_equal(siphb_stun_reason(438), "Stale Nonce");
  assert_string_equal(siphb_stun_reason(401), "Unauthenticated");
  assert_string_equal(siphb_stun_reason(499), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vector_2_1_request),
      cmocka_unit_test(test_vector_2_2_ipv4_response),
      cmocka_unit_test(test_vector_2_3_ipv6_response),
      cmocka_unit_test(test_vector_2_4_long_term),
      cmocka_unit_test(test_vector_b1_sha256),
      cmocka_unit_test(test_every_method_and_class),
      cmocka_unit_test(test_header_errors),
      cmocka_unit_test(test_classic_rfc3489),
      cmocka_unit_test(test_stream_mode),
      cmocka_unit_test(test_attribute_errors),
      cmocka_unit_test(test_padding),
      cmocka_unit_test(test_ignored_after_integrity),
      cmocka_unit_test(test_first_occurrence),
      cmocka_unit_test(test_unknown_attributes_listed),
      cmocka_unit_test(test_invalid_arguments),
      cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, stunt_teardown);
}
