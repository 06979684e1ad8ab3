/*
 * test_stun_auth.c - STUN credentials and checks: the long-term keys and
 * USERHASH of the RFC 5769 / RFC 8489 vectors, MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT verified on every vector, every
 * single flipped bit caught, each vector re-encoded byte for byte from its
 * attributes, the keepalive with FINGERPRINT, truncated
 * MESSAGE-INTEGRITY-SHA256, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "crypto/crypto.h"
#include "stuntest.h"

static siphb_str S(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

static const uint8_t txid_2_1[12] = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                     0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
static const uint8_t txid_2_4[12] = {0x78, 0xad, 0x34, 0x33, 0xc6, 0xad,
                                     0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e};

static void short_key(siphb_stun_key *k) {
  const char *pw = STUNT_SHORT_PASSWORD;
  assert_int_equal(siphb_stun_key_init(k, (const uint8_t *)pw, strlen(pw)), 0);
}

static void long_key(siphb_stun_key *k, uint16_t alg) {
  assert_int_equal(siphb_stun_key_long_term(k, alg, S(STUNT_LT_USERNAME), S(STUNT_LT_REALM),
                                            S(STUNT_LT_PASSWORD)),
                   0);
}

/* ---- keys ------------------------------------------------------------------ */

static void test_long_term_keys(void **state) {
  (void)state;
  uint8_t k[32], want[32];
  /* RFC 5769 section 2.4 */
  assert_int_equal(siphb_stun_long_term_key(SIPHB_STUN_PASSWORD_MD5, S(STUNT_LT_USERNAME),
                                            S(STUNT_LT_REALM), S(STUNT_LT_PASSWORD), k),
                   16);
  stunt_hex("e8ca7ad59d5eb0518e312911d2dab2a9", want, 16);
  assert_memory_equal(k, want, 16);
  /* RFC 5389 section 15.4's example */
  assert_int_equal(
      siphb_stun_long_term_key(SIPHB_STUN_PASSWORD_MD5, S("user"), S("realm"), S("pass"), k), 16);
  stunt_hex("8493fbc53ba582fb4c044c456bdc40eb", want, 16);
  assert_memory_equal(k, want, 16);
  /* RFC 8489 section 9.2.2: SHA-256 of the same string (computed with
   * Python's hashlib) */
  assert_int_equal(siphb_stun_long_term_key(SIPHB_STUN_PASSWORD_SHA256, S(STUNT_LT_USERNAME),
                                            S(STUNT_LT_REALM), S(STUNT_LT_PASSWORD), k),
                   32);
  stunt_hex("dd295a613b9058c3c23d6dc7165bda072304d989c9d0af3a8c7e184b4f9bb4a1", want, 32);
  assert_memory_equal(k, want, 32);
  /* Empty parts are fine: MD5("::"). */
  siphb_str none = {NULL, 0};
  assert_int_equal(siphb_stun_long_term_key(SIPHB_STUN_PASSWORD_MD5, none, none, none, k), 16);
  siphb_md5("::", 2, want);
  assert_memory_equal(k, want, 16);
  siphb_str bad = {NULL, 1};
  assert_int_equal(siphb_stun_long_term_key(3, S("u"), S("r"), S("p"), k),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_long_term_key(1, S("u"), S("r"), S("p"), NULL),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_long_term_key(1, bad, S("r"), S("p"), k), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_long_term_key(1, S("u"), S("r"), bad, k), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_stun_key key;
  assert_int_equal(siphb_stun_key_long_term(&key, 9, S("u"), S("r"), S("p")),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_key_long_term(NULL, 1, S("u"), S("r"), S("p")),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_key_init(NULL, k, 1), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_key_init(&key, NULL, 1), SIPHB_ERR_INVALID_ARGUMENT);
}

static void test_userhash(void **state) {
  (void)state;
  uint8_t h[32], want[32];
  assert_int_equal(siphb_stun_compute_userhash(S(STUNT_LT_USERNAME), S(STUNT_LT_REALM), h), 0);
  stunt_hex("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704", want, 32);
  assert_memory_equal(h, want, 32);
  siphb_str bad = {NULL, 2};
  assert_int_equal(siphb_stun_compute_userhash(bad, S("r"), h), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_compute_userhash(S("u"), S("r"), NULL), SIPHB_ERR_INVALID_ARGUMENT);
}

/* ---- the vectors verify ------------------------------------------------------- */

static void parse_vector(const char *name) {
  size_t len;
  uint8_t *v = stunt_load(name, &len);
  stunt_parse(v, len, NULL);
  free(v);
  assert_true(stunt_ok());
}

static void test_vectors_verify(void **state) {
  (void)state;
  siphb_stun_key st, md5, sha, wrong;
  short_key(&st);
  long_key(&md5, SIPHB_STUN_PASSWORD_MD5);
  long_key(&sha, SIPHB_STUN_PASSWORD_SHA256);
  assert_int_equal(siphb_stun_key_init(&wrong, (const uint8_t *)"VOkJxbRl1RmTxUk/WvJxBT", 22), 0);
  const char *short_term[] = {STUNT_REQUEST, STUNT_IPV4, STUNT_IPV6};
  for (size_t i = 0; i < 3; i++) {
    parse_vector(short_term[i]);
    assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), 0);
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &st), 0);
    assert_int_equal(
        siphb_stun_check_integrity_attr(&stunt.msg, &st, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY), 0);
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &wrong), SIPHB_ERR_STUN_INTEGRITY);
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &md5), SIPHB_ERR_STUN_INTEGRITY);
    assert_int_equal(
        siphb_stun_check_integrity_attr(&stunt.msg, &st, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256),
        SIPHB_ERR_STUN_NO_INTEGRITY);
  }
  parse_vector(STUNT_LONG_TERM);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &md5), 0);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &st), SIPHB_ERR_STUN_INTEGRITY);
  assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), SIPHB_ERR_STUN_NO_FINGERPRINT);
  /* A stored H(A1) works as the key too (RFC 8489 section 9.2.2). */
  uint8_t ha1[16];
  stunt_hex("e8ca7ad59d5eb0518e312911d2dab2a9", ha1, 16);
  siphb_stun_key stored;
  assert_int_equal(siphb_stun_key_init(&stored, ha1, 16), 0);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &stored), 0);

  /* RFC 8489 B.1: MESSAGE-INTEGRITY-SHA256 keyed with the MD5 key (no
   * PASSWORD-ALGORITHM, so MD5). */
  parse_vector(STUNT_SHA256);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &md5), 0);
  assert_int_equal(
      siphb_stun_check_integrity_attr(&stunt.msg, &md5, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256),
      0);
  assert_int_equal(
      siphb_stun_check_integrity_attr(&stunt.msg, &md5, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY),
      SIPHB_ERR_STUN_NO_INTEGRITY);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &sha), SIPHB_ERR_STUN_INTEGRITY);
  /* Keys are plain values: a copy verifies too; a wiped one is refused. */
  siphb_stun_key copy = md5;
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &copy), 0);
  siphb_stun_key_wipe(&copy);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &copy), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_stun_key_wipe(NULL);
}

/* ---- every flipped bit is caught ------------------------------------------ */

/* A copy of the vector with one bit flipped either fails to parse, or
 * fails FINGERPRINT (if the vector has one), and fails the integrity
 * check whenever the bit lies in the bytes it covers. */
static void flip_every_bit(const char *name, const siphb_stun_key *key) {
  size_t len;
  uint8_t *v = stunt_load(name, &len);
  siphb_stun_msg orig;
  assert_int_equal(siphb_stun_parse(&orig, v, len, NULL, NULL), (siphb_ssize)len);
  size_t mi = orig.integrity_sha256_offset ? orig.integrity_sha256_offset : orig.integrity_offset;
  size_t covered = mi + 4 + (size_t)(v[mi + 2] << 8 | v[mi + 3]);
  bool has_fp = orig.fingerprint_offset != 0;
  size_t refused = 0, parsed = 0;
  for (size_t bit = 0; bit < len * 8; bit++) {
    v[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    if (stunt_parse(v, len, NULL) < 0) {
      refused++;
    } else {
      parsed++;
      if (has_fp && siphb_stun_check_fingerprint(&stunt.msg) == 0)
        fail_msg("%s: bit %zu passes FINGERPRINT", name, bit);
      if (bit / 8 < covered && siphb_stun_check_integrity(&stunt.msg, key) == 0)
        fail_msg("%s: bit %zu passes MESSAGE-INTEGRITY", name, bit);
    }
    v[bit / 8] ^= (uint8_t)(1u << (bit % 8));
  }
  assert_int_equal(refused + parsed, len * 8);
  assert_true(parsed > len * 4); /* most flips parse: the checks did the work */
  free(v);
}

static void test_flipped_bits(void **state) {
  (void)state;
  siphb_stun_key st, md5;
  short_key(&st);
  long_key(&md5, SIPHB_STUN_PASSWORD_MD5);
  flip_every_bit(STUNT_REQUEST, &st);
  flip_every_bit(STUNT_IPV4, &st);
  flip_every_bit(STUNT_IPV6, &st);
  flip_every_bit(STUNT_LONG_TERM, &md5);
  flip_every_bit(STUNT_SHA256, &md5);
}

/* ---- the vectors re-encoded byte for byte --------------------------------- */

static void same_as_vector(const char *name, const uint8_t *buf, siphb_ssize n) {
  size_t len;
  uint8_t *v = stunt_load(name, &len);
  assert_true(n > 0);
  if (!stunt_same(buf, (size_t)n, v, len)) fail_msg("%s differs", name);
  free(v);
}

static void test_reencode_vectors(void **state) {
  (void)state;
  uint8_t buf[256];
  siphb_stun_encoder e;
  siphb_stun_key st, md5;
  short_key(&st);
  long_key(&md5, SIPHB_STUN_PASSWORD_MD5);

  /* 2.1: the RFC 5769 vectors pad with 0x20. */
  assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, txid_2_1, NULL, NULL),
                   0);
  e.pad = 0x20;
  assert_int_equal(siphb_stun_encode_software(&e, S("STUN test client")), 0);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x0024, "\x6e\x00\x01\xff", 4), 0);
  assert_int_equal(siphb_stun_encode_attr(&e, 0x8029, "\x93\x2f\xf9\xb1\x51\x26\x3b\x36", 8), 0);
  assert_int_equal(siphb_stun_encode_username(&e, S(STUNT_USERNAME_2_1)), 0);
  same_as_vector(
      STUNT_REQUEST, buf,
      siphb_stun_encode_finish(&e, &st, SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_FINGERPRINT));

  /* 2.2 and 2.3 */
  const siphb_mapped_addr v4 = {1, 0, 32853, {192, 0, 2, 1}};
  const siphb_mapped_addr v6 = {2,
                                0,
                                32853,
                                {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11, 0x22,
                                 0x33, 0x44, 0x55, 0x66, 0x77}};
  const char *names[2] = {STUNT_IPV4, STUNT_IPV6};
  const siphb_mapped_addr *addrs[2] = {&v4, &v6};
  for (size_t i = 0; i < 2; i++) {
    assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                             SIPHB_STUN_SUCCESS, txid_2_1, NULL, NULL),
                     0);
    e.pad = 0x20;
    assert_int_equal(siphb_stun_encode_software(&e, S("test vector")), 0);
    assert_int_equal(siphb_stun_encode_xor_mapped_address(&e, addrs[i]), 0);
    same_as_vector(
        names[i], buf,
        siphb_stun_encode_finish(&e, &st, SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_FINGERPRINT));
  }

  /* 2.4: zero padding, long-term MD5 key. */
  assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, txid_2_4, NULL, NULL),
                   0);
  assert_int_equal(siphb_stun_encode_username(&e, S(STUNT_LT_USERNAME)), 0);
  assert_int_equal(siphb_stun_encode_nonce(&e, S(STUNT_LT_NONCE)), 0);
  assert_int_equal(siphb_stun_encode_realm(&e, S(STUNT_LT_REALM)), 0);
  same_as_vector(STUNT_LONG_TERM, buf,
                 siphb_stun_encode_finish(&e, &md5, SIPHB_STUN_WITH_INTEGRITY));

  /* RFC 8489 B.1: USERHASH and MESSAGE-INTEGRITY-SHA256. */
  uint8_t uh[32];
  assert_int_equal(siphb_stun_compute_userhash(S(STUNT_LT_USERNAME), S(STUNT_LT_REALM), uh), 0);
  assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, txid_2_4, NULL, NULL),
                   0);
  assert_int_equal(siphb_stun_encode_userhash(&e, uh), 0);
  assert_int_equal(siphb_stun_encode_nonce(&e, S(STUNT_B1_NONCE)), 0);
  assert_int_equal(siphb_stun_encode_realm(&e, S(STUNT_LT_REALM)), 0);
  same_as_vector(STUNT_SHA256, buf,
                 siphb_stun_encode_finish(&e, &md5, SIPHB_STUN_WITH_INTEGRITY_SHA256));
}

/* ---- the encoder's closing attributes ------------------------------------- */

static void test_binding_with_fingerprint(void **state) {
  (void)state;
  static const uint8_t txid[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  uint8_t buf[28], want[28];
  siphb_error_info ei;
  memset(&ei, 0xEE, sizeof ei); /* poisoned: the call must clear or fill it */
  assert_int_equal(
      siphb_stun_encode_binding(buf, sizeof buf, txid, SIPHB_STUN_WITH_FINGERPRINT, &ei), 28);
  /* CRC-32 computed with Python's zlib, XOR 0x5354554e. */
  stunt_hex("0001 0008 2112a442 000102030405060708090a0b 8028 0004 5b0ff6fc", want, 28);
  assert_memory_equal(buf, want, 28);
  for (size_t cap = 0; cap < 28; cap++) {
    uint8_t *b = malloc(cap ? cap : 1);
    assert_non_null(b);
    memset(&ei, 0xEE, sizeof ei);
    assert_int_equal(siphb_stun_encode_binding(b, cap, txid, SIPHB_STUN_WITH_FINGERPRINT, &ei),
                     SIPHB_ERR_NOBUF);
    assert_int_equal(ei.code, SIPHB_ERR_NOBUF);
    assert_int_equal(ei.need, 28);
    free(b);
  }
  assert_int_equal(stunt_parse(buf, 28, NULL), 28);
  assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), 0);
  /* The encoder path gives the same bytes. */
  siphb_stun_encoder e;
  uint8_t buf2[28];
  assert_int_equal(siphb_stun_encode_start(&e, buf2, sizeof buf2, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, txid, NULL, NULL),
                   0);
  assert_int_equal(siphb_stun_encode_finish(&e, NULL, SIPHB_STUN_WITH_FINGERPRINT), 28);
  assert_memory_equal(buf2, want, 28);
}

static void test_finish_all_three(void **state) {
  (void)state;
  siphb_stun_key key;
  assert_int_equal(siphb_stun_key_init(&key, (const uint8_t *)"secret", 6), 0);
  uint8_t ref[128];
  siphb_stun_encoder e;
  const unsigned all =
      SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_INTEGRITY_SHA256 | SIPHB_STUN_WITH_FINGERPRINT;
  assert_int_equal(siphb_stun_encode_start(&e, ref, sizeof ref, SIPHB_STUN_BINDING,
                                           SIPHB_STUN_REQUEST, txid_2_1, NULL, NULL),
                   0);
  assert_int_equal(siphb_stun_encode_username(&e, S("alice")), 0);
  siphb_ssize n = siphb_stun_encode_finish(&e, &key, all);
  assert_int_equal(n, 20 + 12 + 24 + 36 + 8);
  assert_int_equal(stunt_parse(ref, (size_t)n, NULL), n);
  assert_true(stunt_ok());
  assert_int_equal(stunt.msg.integrity_offset, 32);
  assert_int_equal(stunt.msg.integrity_sha256_offset, 56);
  assert_int_equal(stunt.msg.fingerprint_offset, 92);
  assert_int_equal(
      siphb_stun_check_integrity_attr(&stunt.msg, &key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY), 0);
  assert_int_equal(
      siphb_stun_check_integrity_attr(&stunt.msg, &key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256),
      0);
  assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), 0);
  /* MESSAGE-INTEGRITY by hand: HMAC-SHA1 over the header with Length 36
   * (up to the end of MESSAGE-INTEGRITY) and USERNAME. */
  uint8_t hdr[20], mac[20];
  memcpy(hdr, ref, 20);
  hdr[2] = 0;
  hdr[3] = 36;
  siphb_hmac_key hk;
  siphb_hmac_key_init(&hk, SIPHB_HMAC_SHA1, "secret", 6);
  siphb_hmac(&hk, hdr, 20, ref + 20, 12, NULL, 0, mac);
  assert_memory_equal(ref + 36, mac, 20);

  /* NOBUF at every capacity that holds the message so far but not the
   * closing attributes: nothing appended, the rest of the buffer untouched. */
  for (size_t cap = 32; cap < (size_t)n; cap++) {
    uint8_t *b = malloc(cap);
    assert_non_null(b);
    memset(b, 0xEE, cap);
    assert_int_equal(siphb_stun_encode_start(&e, b, cap, SIPHB_STUN_BINDING, SIPHB_STUN_REQUEST,
                                             txid_2_1, NULL, NULL),
                     0);
    assert_int_equal(siphb_stun_encode_username(&e, S("alice")), 0);
    assert_int_equal(siphb_stun_encode_finish(&e, &key, all), SIPHB_ERR_NOBUF);
    assert_int_equal(e.error.need, (size_t)n);
    assert_int_equal(e.len, 32);
    assert_int_equal(b[3], 12);
    for (size_t i = 32; i < cap; i++) assert_int_equal(b[i], 0xEE);
    /* The encoder is still open: the message can be finished smaller. */
    assert_int_equal(siphb_stun_encode_finish(&e, NULL, 0), 32);
    free(b);
  }
}

/* RFC 8489 section 14.6: a MESSAGE-INTEGRITY-SHA256 of 16 to 28 bytes is
 * the leading part of the HMAC. Built by hand with crypto.h. */
static void test_truncated_sha256(void **state) {
  (void)state;
  siphb_stun_key key;
  assert_int_equal(siphb_stun_key_init(&key, (const uint8_t *)"pw", 2), 0);
  siphb_hmac_key hk;
  siphb_hmac_key_init(&hk, SIPHB_HMAC_SHA256, "pw", 2);
  for (size_t tlen = 16; tlen <= 32; tlen += 4) {
    uint8_t buf[128];
    siphb_stun_encoder e;
    assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                             SIPHB_STUN_REQUEST, txid_2_4, NULL, NULL),
                     0);
    assert_int_equal(siphb_stun_encode_software(&e, S("x")), 0);
    uint8_t hdr[20], mac[32];
    memcpy(hdr, buf, 20);
    hdr[3] = (uint8_t)(8 + 4 + tlen);
    siphb_hmac(&hk, hdr, 20, buf + 20, 8, NULL, 0, mac);
    assert_int_equal(
        siphb_stun_encode_attr(&e, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256, mac, tlen), 0);
    assert_int_equal(stunt_parse(buf, e.len, NULL), (siphb_ssize)e.len);
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &key), 0);
    stunt.buf[e.len - 1] ^= 1;
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &key), SIPHB_ERR_STUN_INTEGRITY);
  }
}

/* Keys of any length: empty, and longer than a hash block (hashed first,
 * RFC 2104 section 2), where the last byte still matters. */
static void test_key_lengths(void **state) {
  (void)state;
  uint8_t pw[100];
  for (size_t i = 0; i < sizeof pw; i++) pw[i] = (uint8_t)('a' + i % 26);
  siphb_stun_key empty, longk, other;
  assert_int_equal(siphb_stun_key_init(&empty, NULL, 0), 0);
  assert_int_equal(siphb_stun_key_init(&longk, pw, sizeof pw), 0);
  pw[sizeof pw - 1] ^= 1;
  assert_int_equal(siphb_stun_key_init(&other, pw, sizeof pw), 0);
  const siphb_stun_key *keys[2] = {&empty, &longk};
  for (size_t i = 0; i < 2; i++) {
    uint8_t buf[96];
    siphb_stun_encoder e;
    assert_int_equal(siphb_stun_encode_start(&e, buf, sizeof buf, SIPHB_STUN_BINDING,
                                             SIPHB_STUN_SUCCESS, txid_2_1, NULL, NULL),
                     0);
    siphb_ssize n = siphb_stun_encode_finish(
        &e, keys[i], SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_INTEGRITY_SHA256);
    assert_int_equal(n, 80);
    assert_int_equal(stunt_parse(buf, (size_t)n, NULL), n);
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, keys[i]), 0);
    assert_int_equal(
        siphb_stun_check_integrity_attr(&stunt.msg, keys[i], SIPHB_STUN_ATTR_MESSAGE_INTEGRITY), 0);
    assert_int_equal(siphb_stun_check_integrity(&stunt.msg, keys[1 - i]), SIPHB_ERR_STUN_INTEGRITY);
  }
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &other), SIPHB_ERR_STUN_INTEGRITY);
}

static void test_check_refusals(void **state) {
  (void)state;
  siphb_stun_key key, never;
  assert_int_equal(siphb_stun_key_init(&key, (const uint8_t *)"k", 1), 0);
  memset(&never, 0, sizeof never);
  uint8_t buf[20];
  static const uint8_t txid[12] = {0};
  assert_int_equal(siphb_stun_encode_binding(buf, sizeof buf, txid, 0, NULL), 20);
  assert_int_equal(stunt_parse(buf, 20, NULL), 20);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &key), SIPHB_ERR_STUN_NO_INTEGRITY);
  assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), SIPHB_ERR_STUN_NO_FINGERPRINT);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &never), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_check_integrity(NULL, &key), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_check_integrity_attr(&stunt.msg, &key, SIPHB_STUN_ATTR_FINGERPRINT),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_check_fingerprint(NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_stun_msg blank;
  memset(&blank, 0, sizeof blank);
  assert_int_equal(siphb_stun_check_fingerprint(&blank), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_stun_check_integrity(&blank, &key), SIPHB_ERR_INVALID_ARGUMENT);

  /* A wrong FINGERPRINT value: parsed, then refused by the check. */
  stunt_parse_hex("0001 0008 2112a442 000102030405060708090a0b 8028 0004 5b0ff6fd", NULL);
  assert_true(stunt_ok());
  assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), SIPHB_ERR_STUN_FINGERPRINT);
  assert_int_equal(stunt.msg.fingerprint_offset, 20);
  /* A wrong MESSAGE-INTEGRITY value: where it is, and that it is refused. */
  size_t len;
  uint8_t *v = stunt_load(STUNT_IPV4, &len);
  v[48 + 4 + 19] ^= 0x80; /* last byte of the HMAC */
  stunt_parse(v, len, NULL);
  free(v);
  assert_true(stunt_ok());
  assert_int_equal(stunt.msg.integrity_offset, 48);
  siphb_stun_key st;
  short_key(&st);
  assert_int_equal(siphb_stun_check_integrity(&stunt.msg, &st), SIPHB_ERR_STUN_INTEGRITY);
  assert_int_equal(siphb_stun_check_fingerprint(&stunt.msg), SIPHB_ERR_STUN_FINGERPRINT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_long_term_keys),   cmocka_unit_test(test_userhash),
      cmocka_unit_test(test_vectors_verify),   cmocka_unit_test(test_flipped_bits),
      cmocka_unit_test(test_reencode_vectors), cmocka_unit_test(test_binding_with_fingerprint),
      cmocka_unit_test(test_finish_all_three), cmocka_unit_test(test_truncated_sha256),
      cmocka_unit_test(test_key_lengths),      cmocka_unit_test(test_check_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, stunt_teardown);
}
