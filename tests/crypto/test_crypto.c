/*
 * test_crypto.c - lib/crypto/ (built-in or OpenSSL backend: the same tests
 * run against both): CRC-32, MD5, SHA-1, SHA-256 and HMAC against the
 * published vectors (RFC 1321 A.5, FIPS 180 examples, RFC 2202, RFC 4231,
 * RFC 5769 key facts), streaming at every split point, the padding edges
 * (expected values computed with Python's hashlib/hmac), and the
 * constant-time comparison and key wipe.
 *
 * Where lib/crypto/accel.h's x86-64 paths are built and the CPU has them,
 * the vectors run on them, and test_cpu_paths_match_portable compares
 * them with the portable code on random input (scripts/test.sh stage c
 * runs this file with SIPHB_CPU_ACCEL=OFF: the vectors on the portable
 * code).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crc32_ref.h"
#include "crypto/accel.h"
#include "crypto/crypto.h"

#ifdef SIPHB_TEST_OPENSSL
#  include <openssl/crypto.h>
#endif

/* ---- helpers ------------------------------------------------------------- */

static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = 0;
  while (hex[0] && hex[1]) {
    unsigned v = 0;
    int i;
    for (i = 0; i < 2; i++) {
      char ch = hex[i];
      v <<= 4;
      if (ch >= '0' && ch <= '9') v |= (unsigned)(ch - '0');
      else if (ch >= 'a' && ch <= 'f') v |= (unsigned)(ch - 'a' + 10);
      else fail_msg("bad hex digit '%c'", ch);
    }
    out[n++] = (uint8_t)v;
    hex += 2;
  }
  assert_int_equal(hex[0], '\0');
  return n;
}

static void assert_hex(const uint8_t *got, size_t n, const char *hex) {
  uint8_t want[64];
  assert_int_equal(unhex(hex, want), n);
  assert_memory_equal(got, want, n);
}

enum hash { MD5, SHA1, SHA256 };

typedef union any_ctx {
  siphb_md5_ctx md5;
  siphb_sha1_ctx sha1;
  siphb_sha256_ctx sha256;
} any_ctx;

static size_t hash_len(enum hash h) {
  return h == MD5 ? SIPHB_MD5_LEN : h == SHA1 ? SIPHB_SHA1_LEN : SIPHB_SHA256_LEN;
}

static void ctx_init(enum hash h, any_ctx *c) {
  if (h == MD5) siphb_md5_init(&c->md5);
  else if (h == SHA1) siphb_sha1_init(&c->sha1);
  else siphb_sha256_init(&c->sha256);
}

static void ctx_update(enum hash h, any_ctx *c, const void *d, size_t n) {
  if (h == MD5) siphb_md5_update(&c->md5, d, n);
  else if (h == SHA1) siphb_sha1_update(&c->sha1, d, n);
  else siphb_sha256_update(&c->sha256, d, n);
}

static void ctx_final(enum hash h, any_ctx *c, uint8_t *out) {
  if (h == MD5) siphb_md5_final(&c->md5, out);
  else if (h == SHA1) siphb_sha1_final(&c->sha1, out);
  else siphb_sha256_final(&c->sha256, out);
}

static void one_shot(enum hash h, const void *d, size_t n, uint8_t *out) {
  if (h == MD5) siphb_md5(d, n, out);
  else if (h == SHA1) siphb_sha1(d, n, out);
  else siphb_sha256(d, n, out);
}

/* The one-shot digest must be `hex`, and so must the streaming one at
 * every split point (and in one update, and one byte at a time). */
static void check_hash(enum hash h, const void *msg, size_t n, const char *hex) {
  const uint8_t *m = msg;
  uint8_t out[SIPHB_SHA256_LEN];
  any_ctx c;
  size_t i, len = hash_len(h);
  one_shot(h, m, n, out);
  assert_hex(out, len, hex);
  for (i = 0; i <= n; i++) {
    ctx_init(h, &c);
    ctx_update(h, &c, m, i);
    ctx_update(h, &c, m + i, n - i);
    ctx_final(h, &c, out);
    assert_hex(out, len, hex);
  }
  ctx_init(h, &c);
  for (i = 0; i < n; i++) ctx_update(h, &c, m + i, 1);
  ctx_update(h, &c, NULL, 0); /* an empty update may pass NULL */
  ctx_final(h, &c, out);
  assert_hex(out, len, hex);
}

/* One million 'a' (FIPS 180 examples), fed in odd-sized chunks. */
static void check_million_a(enum hash h, const char *hex) {
  static uint8_t a[1000];
  uint8_t out[SIPHB_SHA256_LEN];
  any_ctx c;
  size_t done = 0;
  memset(a, 'a', sizeof a);
  ctx_init(h, &c);
  while (done < 1000000) {
    size_t k = 1000000 - done < 997 ? 1000000 - done : 997;
    ctx_update(h, &c, a, k);
    done += k;
  }
  ctx_final(h, &c, out);
  assert_hex(out, hash_len(h), hex);
}

/* Lengths around the padding edges (55: length fits, 56: it does not, 63,
 * 64, 65) of the bytes (i * 31 + 7) & 0xff. */
static void check_padding_edges(enum hash h, const char *const hex[5]) {
  static const size_t lens[5] = {55, 56, 63, 64, 65};
  uint8_t d[65];
  size_t i;
  for (i = 0; i < sizeof d; i++) d[i] = (uint8_t)(i * 31 + 7);
  for (i = 0; i < 5; i++) check_hash(h, d, lens[i], hex[i]);
}

static const char ABC448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

/* ---- CRC-32 -------------------------------------------------------------- */

static void test_crc32(void **state) {
  uint8_t buf[1000 + 4];
  uint32_t whole;
  size_t i, off;
  (void)state;
  assert_int_equal(siphb_crc32(0, "123456789", 9), 0xCBF43926u);
  assert_int_equal(siphb_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
  assert_int_equal(siphb_crc32(0, "", 0), 0u);
  assert_int_equal(siphb_crc32(0, NULL, 0), 0u);
  assert_int_equal(siphb_crc32(0xCBF43926u, NULL, 0), 0xCBF43926u);
  /* incremental equals one-shot */
  assert_int_equal(siphb_crc32(siphb_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);

  for (i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 131 + 17);
  whole = siphb_crc32(0, buf, 1000);
  assert_int_equal(whole, 0x685FB4FAu); /* Python: zlib.crc32 */
  for (i = 0; i <= 1000; i++)
    assert_int_equal(siphb_crc32(siphb_crc32(0, buf, i), buf + i, 1000 - i), whole);
  /* every length at every alignment against the bit-at-a-time definition */
  for (off = 0; off < 4; off++)
    for (i = 0; i <= 200; i++)
      assert_int_equal(siphb_crc32(0, buf + off, i), crc32_ref(0, buf + off, i));
  assert_int_equal(siphb_crc32(0x12345678u, buf, 1000), crc32_ref(0x12345678u, buf, 1000));
}

/* ---- MD5 (RFC 1321 appendix A.5) ----------------------------------------- */

static void test_md5(void **state) {
  static const char *const edges[5] = {
    "c9e512626618c9980ef21a96597af94c", "ecde7caa08e9f5657c863df107cac60a",
    "2f0301069e1c40af7f6c8f843b1b13f2", "b6bf87c24b1bc334e2541387a92b981b",
    "f168246f08b6134d66bd2a10343fa9f1",
  };
  (void)state;
  check_hash(MD5, "", 0, "d41d8cd98f00b204e9800998ecf8427e");
  check_hash(MD5, "a", 1, "0cc175b9c0f1b6a831c399e269772661");
  check_hash(MD5, "abc", 3, "900150983cd24fb0d6963f7d28e17f72");
  check_hash(MD5, "message digest", 14, "f96b697d7cb7938d525a2f31aaf161d0");
  check_hash(MD5, "abcdefghijklmnopqrstuvwxyz", 26, "c3fcd3d76192e4007dfb496cca67e13b");
  check_hash(MD5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 62,
             "d174ab98d277d9f5a5611c2c9f419d9f");
  check_hash(MD5,
             "1234567890123456789012345678901234567890"
             "1234567890123456789012345678901234567890",
             80, "57edf4a22be3c955ac49da2e2107b67a");
  check_padding_edges(MD5, edges);
  check_million_a(MD5, "7707d6ae4e027c70eea2a935c2296f21"); /* Python hashlib */
}

/* RFC 5769 section 2.4: the long-term key is MD5(username ":" realm ":"
 * password) over the UTF-8 bytes (SASLprep leaves these unchanged). */
static void test_md5_stun_keys(void **state) {
  uint8_t msg[64], out[SIPHB_MD5_LEN];
  size_t n;
  (void)state;
  siphb_md5("user:realm:pass", 15, out);
  assert_hex(out, sizeof out, "8493fbc53ba582fb4c044c456bdc40eb");
  /* U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9 ("matrix" in katakana) */
  n = unhex("e3839ee38388e383aae38383e382afe382b9", msg);
  memcpy(msg + n, ":example.org:TheMatrIX", 22);
  siphb_md5(msg, n + 22, out);
  assert_hex(out, sizeof out, "e8ca7ad59d5eb0518e312911d2dab2a9");
}

/* ---- SHA-1 and SHA-256 (FIPS 180 examples) ------------------------------- */

static void test_sha1(void **state) {
  static const char *const edges[5] = {
    "749bbefb28edc4638b28b2b9a9e03ab9a4032b90", "a5b6e9c29d201c774753ff8e7fb64931656f5e63",
    "d1a454409359fc372b4d22b3cea6488d6ba1be00", "39a0d8b645ad85f1f976731ed112ac9455e28b78",
    "d0c96e18890114a14716e9686528d2e3fdba8d9e",
  };
  (void)state;
  check_hash(SHA1, "abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
  check_hash(SHA1, ABC448, 56, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  check_hash(SHA1, "", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  check_million_a(SHA1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  check_padding_edges(SHA1, edges);
}

static void test_sha256(void **state) {
  static const char *const edges[5] = {
    "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b",
    "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63",
    "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076",
    "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd",
    "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0",
  };
  (void)state;
  check_hash(SHA256, "abc", 3,
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  check_hash(SHA256, ABC448, 56,
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  check_hash(SHA256, "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  check_million_a(SHA256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  check_padding_edges(SHA256, edges);
}

/* A long input streamed at every split point, against its one-shot hash
 * (several blocks on both sides of most cuts). */
static void test_hash_split_long(void **state) {
  static uint8_t d[300];
  uint8_t want[SIPHB_SHA256_LEN], out[SIPHB_SHA256_LEN];
  enum hash h;
  size_t i, j;
  (void)state;
  for (i = 0; i < sizeof d; i++) d[i] = (uint8_t)(i * 7 + (i >> 3));
  for (h = MD5; h <= SHA256; h++) {
    one_shot(h, d, sizeof d, want);
    for (i = 0; i <= sizeof d; i++)
      for (j = i; j <= sizeof d; j += 13) {
        any_ctx c;
        ctx_init(h, &c);
        ctx_update(h, &c, d, i);
        ctx_update(h, &c, d + i, j - i);
        ctx_update(h, &c, d + j, sizeof d - j);
        ctx_final(h, &c, out);
        assert_memory_equal(out, want, hash_len(h));
      }
  }
}

/* ---- HMAC (RFC 2202, RFC 4231) ------------------------------------------- */

typedef struct hmac_case {
  const char *key_hex; /* or NULL: key_byte repeated key_len times */
  uint8_t key_byte;
  size_t key_len;
  const char *data;     /* text, or NULL: data_byte repeated data_len times */
  uint8_t data_byte;
  size_t data_len;
  const char *mac_hex;  /* possibly truncated (RFC 4231 case 5: 16 bytes) */
} hmac_case;

static const char K4[] = "0102030405060708090a0b0c0d0e0f10111213141516171819";

/* RFC 2202 section 3 */
static const hmac_case rfc2202[] = {
  {NULL, 0x0b, 20, "Hi There", 0, 0, "b617318655057264e28bc0b6fb378c8ef146be00"},
  {NULL, 0, 0, "what do ya want for nothing?", 0, 0, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
  {NULL, 0xaa, 20, NULL, 0xdd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
  {K4, 0, 0, NULL, 0xcd, 50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
  {NULL, 0x0c, 20, "Test With Truncation", 0, 0, "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
  {NULL, 0xaa, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
   "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
  {NULL, 0xaa, 80, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
   0, 0, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
};

/* RFC 4231 section 4 */
static const hmac_case rfc4231[] = {
  {NULL, 0x0b, 20, "Hi There", 0, 0,
   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
  {NULL, 0, 0, "what do ya want for nothing?", 0, 0,
   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
  {NULL, 0xaa, 20, NULL, 0xdd, 50,
   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
  {K4, 0, 0, NULL, 0xcd, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
  {NULL, 0x0c, 20, "Test With Truncation", 0, 0, "a3b6167473100ee06e0c796c2955552b"},
  {NULL, 0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
  {NULL, 0xaa, 131,
   "This is a test using a larger than block-size key and a larger than block-size data. "
   "The key needs to be hashed before being used by the HMAC algorithm.",
   0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

/* The MAC of m split into three pieces at every pair of cut points (empty
 * pieces passed as NULL) must start with `want`. */
static void check_hmac_splits(const siphb_hmac_key *k, const uint8_t *m, size_t n,
                              const uint8_t *want, size_t want_len) {
  uint8_t out[SIPHB_SHA256_LEN];
  size_t i, j;
  for (i = 0; i <= n; i++)
    for (j = i; j <= n; j++) {
      memset(out, 0, sizeof out);
      siphb_hmac(k, i ? m : NULL, i, j > i ? m + i : NULL, j - i, n > j ? m + j : NULL, n - j,
                 out);
      assert_memory_equal(out, want, want_len);
    }
}

static void check_hmac_cases(siphb_hmac_alg alg, const hmac_case *cases, size_t count) {
  size_t t;
  for (t = 0; t < count; t++) {
    const hmac_case *hc = &cases[t];
    uint8_t key[200], msg[200], want[SIPHB_SHA256_LEN];
    size_t key_len, msg_len, want_len;
    siphb_hmac_key k;
    if (hc->key_hex) {
      key_len = unhex(hc->key_hex, key);
    } else if (hc->key_len) {
      key_len = hc->key_len;
      memset(key, hc->key_byte, key_len);
    } else {
      key_len = 4;
      memcpy(key, "Jefe", 4);
    }
    if (hc->data) {
      msg_len = strlen(hc->data);
      memcpy(msg, hc->data, msg_len);
    } else {
      msg_len = hc->data_len;
      memset(msg, hc->data_byte, msg_len);
    }
    want_len = unhex(hc->mac_hex, want);
    siphb_hmac_key_init(&k, alg, key, key_len);
    assert_int_equal(k.alg, alg);
    check_hmac_splits(&k, msg, msg_len, want, want_len);
    siphb_hmac_key_wipe(&k);
  }
}

static void test_hmac_sha1_rfc2202(void **state) {
  (void)state;
  check_hmac_cases(SIPHB_HMAC_SHA1, rfc2202, sizeof rfc2202 / sizeof rfc2202[0]);
}

static void test_hmac_sha256_rfc4231(void **state) {
  (void)state;
  check_hmac_cases(SIPHB_HMAC_SHA256, rfc4231, sizeof rfc4231 / sizeof rfc4231[0]);
}

/* Keys of 63, 64 (used as is) and 65 bytes (hashed first) of 0x01, 0x02, ...
 * over "siphb" (Python hmac). */
static void test_hmac_key_lengths(void **state) {
  static const struct {
    size_t len;
    const char *sha1, *sha256;
  } v[] = {
    {63, "63634d361d4623a1aa65dee8d4683cd63a536e9a",
     "0a29bcc60f69eaae2025cfe34097154698ae242ff6a0a206b97d0c4b1d10e8f0"},
    {64, "1a2eada9cc77a617872fda477658eceacb7dad65",
     "d517ff16b657ddb9a68aec137fadfdcebb95638e5e4de29713b323df9bfdcab4"},
    {65, "e9ed5e32e3fec724a10546bc90eaec140bee9fd9",
     "dcf20a1b0ff268b2a458ad62f2563c5fc32db4ad6fe921251c4d8e84da812e87"},
  };
  uint8_t key[65], out[SIPHB_SHA256_LEN];
  siphb_hmac_key k;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof key; i++) key[i] = (uint8_t)(i + 1);
  for (i = 0; i < sizeof v / sizeof v[0]; i++) {
    siphb_hmac_key_init(&k, SIPHB_HMAC_SHA1, key, v[i].len);
    siphb_hmac(&k, "siphb", 5, NULL, 0, NULL, 0, out);
    assert_hex(out, SIPHB_SHA1_LEN, v[i].sha1);
    siphb_hmac_key_init(&k, SIPHB_HMAC_SHA256, key, v[i].len);
    siphb_hmac(&k, NULL, 0, "sip", 3, "hb", 2, out);
    assert_hex(out, SIPHB_SHA256_LEN, v[i].sha256);
  }
}

static void test_hmac_key_wipe(void **state) {
  static const uint8_t zero[sizeof(siphb_hmac_key)];
  siphb_hmac_key k;
  (void)state;
  siphb_hmac_key_init(&k, SIPHB_HMAC_SHA256, "secret", 6);
  assert_memory_not_equal(&k, zero, sizeof k);
  siphb_hmac_key_wipe(&k);
  assert_memory_equal(&k, zero, sizeof k);
  siphb_hmac_key_wipe(NULL); /* accepted */
}

/* ---- constant-time comparison -------------------------------------------- */

static void test_ct_equal(void **state) {
  uint8_t a[32], b[32];
  size_t i;
  int bit;
  (void)state;
  for (i = 0; i < sizeof a; i++) a[i] = b[i] = (uint8_t)(0xa5 ^ i);
  assert_true(siphb_ct_equal(a, b, sizeof a));
  assert_true(siphb_ct_equal(a, b, 0));
  assert_true(siphb_ct_equal(NULL, NULL, 0));
  for (i = 0; i < sizeof a; i++)
    for (bit = 0; bit < 8; bit++) {
      b[i] ^= (uint8_t)(1u << bit);
      assert_false(siphb_ct_equal(a, b, sizeof a));
      assert_true(siphb_ct_equal(a, b, i)); /* the bytes before still match */
      b[i] ^= (uint8_t)(1u << bit);
    }
  assert_true(siphb_ct_equal("abc", "abd", 2));
  assert_false(siphb_ct_equal("abc", "abd", 3));
}

#ifdef SIPHB_TEST_OPENSSL
/* OpenSSL's allocator, counting, and failing on demand. */
static size_t ossl_allocs, ossl_refused;
static int ossl_fail;

static void *ossl_malloc(size_t n, const char *file, int line) {
  (void)file;
  (void)line;
  if (ossl_fail) {
    ossl_refused++;
    return NULL;
  }
  ossl_allocs++;
  return malloc(n);
}

static void *ossl_realloc(void *p, size_t n, const char *file, int line) {
  (void)file;
  (void)line;
  if (ossl_fail) {
    ossl_refused++;
    return NULL;
  }
  ossl_allocs++;
  return realloc(p, n);
}

static void ossl_free(void *p, const char *file, int line) {
  (void)file;
  (void)line;
  free(p);
}

/* The OpenSSL backend: MACs run on OpenSSL's compression functions from
 * the prepared key states, so computing one allocates nothing, and they
 * still come out right when OpenSSL could not allocate at all. */
static void test_openssl_hmac_allocates_nothing(void **state) {
  siphb_hmac_key k;
  uint8_t out[SIPHB_SHA1_LEN];
  size_t before = ossl_allocs;
  (void)state;
  siphb_hmac_key_init(&k, SIPHB_HMAC_SHA1, "Jefe", 4);
  siphb_hmac(&k, "what do ya want ", 16, "for nothing?", 12, NULL, 0, out);
  assert_hex(out, sizeof out, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  assert_int_equal(ossl_allocs, before);

  ossl_fail = 1;
  memset(out, 0, sizeof out);
  siphb_hmac(&k, "what do ya want ", 16, "for nothing?", 12, NULL, 0, out);
  assert_hex(out, sizeof out, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  check_hmac_cases(SIPHB_HMAC_SHA1, rfc2202, sizeof rfc2202 / sizeof rfc2202[0]);
  check_hmac_cases(SIPHB_HMAC_SHA256, rfc4231, sizeof rfc4231 / sizeof rfc4231[0]);
  assert_int_equal(ossl_refused, 0);
  ossl_fail = 0;
}
#endif

/* ---- the x86-64 paths against the portable code -------------------------- */

#if defined(SIPHB_X86_ACCEL)
static uint64_t g_rng = 0x9e3779b97f4a7c15u;

static void fill_random(void *dst, size_t n) {
  uint8_t *p = dst;
  for (size_t i = 0; i < n; i++) {
    g_rng ^= g_rng << 13, g_rng ^= g_rng >> 7, g_rng ^= g_rng << 17;
    p[i] = (uint8_t)(g_rng >> 24);
  }
}

/* The SHA block functions on random chaining states and 1-4 random blocks
 * at every alignment within 16, CPU path against portable; CRC-32 of every
 * length up to 300 at every alignment against the definition (whichever
 * path siphb_crc32 takes for that length). */
static void test_cpu_paths_match_portable(void **state) {
  static uint8_t buf[4 * SIPHB_HASH_BLOCK + 16];
  unsigned cpu = siphb_cpu_features();
  size_t i, len, off;
  (void)state;
  print_message("x86-64 paths on this CPU:%s%s%s\n", cpu & SIPHB_CPU_PCLMUL ? " PCLMULQDQ" : "",
                cpu & SIPHB_CPU_SHA ? " SHA" : "", cpu ? "" : " none (portable code only)");
  for (off = 0; off < 16; off++)
    for (len = 0; len <= 300 && len + off <= sizeof buf; len++) {
      fill_random(buf, sizeof buf);
      assert_int_equal(siphb_crc32((uint32_t)len, buf + off, len),
                       crc32_ref((uint32_t)len, buf + off, len));
    }
#  if defined(SIPHB_X86_SHA)
  if (!(cpu & SIPHB_CPU_SHA)) return;
  for (i = 0; i < 2000; i++) {
    uint32_t h1[2][5], h256[2][8];
    size_t blocks = 1 + i % 4;
    off = i % 16;
    fill_random(buf, sizeof buf);
    fill_random(h1[0], sizeof h1[0]);
    fill_random(h256[0], sizeof h256[0]);
    memcpy(h1[1], h1[0], sizeof h1[0]);
    memcpy(h256[1], h256[0], sizeof h256[0]);
    siphb_sha1_blocks_x86(h1[0], buf + off, blocks);
    siphb_sha1_blocks_portable(h1[1], buf + off, blocks);
    assert_memory_equal(h1[0], h1[1], sizeof h1[0]);
    siphb_sha256_blocks_x86(h256[0], buf + off, blocks);
    siphb_sha256_blocks_portable(h256[1], buf + off, blocks);
    assert_memory_equal(h256[0], h256[1], sizeof h256[0]);
  }
#  else
  (void)i; /* the SHA blocks are OpenSSL's in this build */
#  endif
}
#endif

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_crc32),
    cmocka_unit_test(test_md5),
    cmocka_unit_test(test_md5_stun_keys),
    cmocka_unit_test(test_sha1),
    cmocka_unit_test(test_sha256),
    cmocka_unit_test(test_hash_split_long),
    cmocka_unit_test(test_hmac_sha1_rfc2202),
    cmocka_unit_test(test_hmac_sha256_rfc4231),
    cmocka_unit_test(test_hmac_key_lengths),
    cmocka_unit_test(test_hmac_key_wipe),
    cmocka_unit_test(test_ct_equal),
#if defined(SIPHB_X86_ACCEL)
    cmocka_unit_test(test_cpu_paths_match_portable),
#endif
#ifdef SIPHB_TEST_OPENSSL
    cmocka_unit_test(test_openssl_hmac_allocates_nothing), /* last: it starves OpenSSL */
#endif
  };
#ifdef SIPHB_TEST_OPENSSL
  /* before OpenSSL allocates anything, or it refuses */
  if (!CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free)) return 1;
#endif
  return cmocka_run_group_tests(tests, NULL, NULL);
}
