/*
 * fuzz_stun_auth.c - libFuzzer harness for the STUN credentials, the
 * MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT checks and the encoder.
 *
 * Input: a STUN message (its header Length says where it ends), then a
 * trailer that says how to make the key. Trailer byte 0: bits 0-1 the
 * kind (0 short-term: the rest is the password; 1 long-term MD5 and 2
 * long-term SHA-256: the rest is "user\0realm\0password", an empty user or
 * realm taken from the message's USERNAME or REALM; 3 the rest is a raw
 * key), bits 2-4 extra siphb_stun_finish_flag bits for the re-encoding. No
 * trailer: short-term with the RFC 5769 password, so the vectors verify as
 * they are.
 *
 * On a parsed message (checked as in fuzz_stun_parse): the integrity and
 * fingerprint checks give documented answers that agree with each other
 * and with the offsets, the same twice, through siphb_stun_key_long_term
 * and through siphb_stun_long_term_key + siphb_stun_key_init alike; a
 * match is lost with a key one bit off; a wiped key is refused; the
 * fingerprint agrees with a CRC-32 computed here. Then the message is
 * built again with the encoder: the same transaction id (a classic one
 * through siphb_stun_encode_start_response), its attributes up to the
 * first integrity or fingerprint attribute in the same order (typed adders
 * for the first occurrence of each type siphb knows, raw ones otherwise),
 * the pad byte of the input, closed by siphb_stun_encode_finish with the
 * flags of what the input carried (or all three). The result must parse
 * to the same attributes, pass check_integrity and check_fingerprint with
 * the same key, be the same bytes in a buffer of exactly its size, and
 * one byte less must give SIPHB_ERR_NOBUF with `needed` its size. Where
 * the rebuilt bytes before an integrity or fingerprint attribute equal the
 * input's, the input's value must match the rebuilt one exactly when the
 * check accepted it. Violations abort.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/stun.h>

#include "fuzz_stun_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rfc5769_password[] = "VOkJxbRl1RmTxUk/WvJxBt";
static const uint16_t ice_types[2] = {0x0024, 0x0025}; /* PRIORITY, USE-CANDIDATE */

/* ---- the key ----------------------------------------------------------------
 */

typedef struct keys {
  siphb_stun_key key; /* from the key bytes */
  siphb_stun_key alt; /* the same key made the other way (long-term), or a copy */
  siphb_stun_key off; /* one bit off */
  uint8_t bytes[64];  /* long-term key bytes (short-term: they point into the
                         input) */
} keys;

static siphb_str slice(const uint8_t *p, size_t n) {
  siphb_str s = {(const char *)p, n};
  return s;
}

/* Splits p[0..n) at its first NUL: *head before it; returns what follows. */
static siphb_str split_nul(siphb_str s, siphb_str *head) {
  const char *z = s.len ? memchr(s.ptr, 0, s.len) : NULL;
  if (!z) {
    *head = s;
    return slice(NULL, 0);
  }
  *head = slice((const uint8_t *)s.ptr, (size_t)(z - s.ptr));
  return slice((const uint8_t *)z + 1, s.len - (size_t)(z - s.ptr) - 1);
}

static void make_keys(keys *k, const siphb_stun_msg *m, const uint8_t *t, size_t tlen) {
  unsigned kind = tlen ? t[0] & 3u : 0u;
  siphb_str rest = tlen ? slice(t + 1, tlen - 1)
                        : slice((const uint8_t *)rfc5769_password, sizeof rfc5769_password - 1);
  const uint8_t *kb = (const uint8_t *)rest.ptr;
  size_t klen = rest.len;
  if (kind == 1 || kind == 2) {
    uint16_t alg = kind == 1 ? SIPHB_STUN_PASSWORD_MD5 : SIPHB_STUN_PASSWORD_SHA256;
    siphb_str user, realm, pass = split_nul(split_nul(rest, &user), &realm);
    if (!user.len) (void)siphb_stun_username(m, &user);
    if (!realm.len) (void)siphb_stun_realm(m, &realm);
    siphb_ssize n = siphb_stun_long_term_key(alg, user, realm, pass, k->bytes);
    FUZZ_CHECK(n == (kind == 1 ? 16 : 32));
    kb = k->bytes;
    klen = (size_t)n;
    FUZZ_CHECK(siphb_stun_key_long_term(&k->alt, alg, user, realm, pass) == 0);
    uint8_t hash[SIPHB_STUN_USERHASH_SIZE];
    FUZZ_CHECK(siphb_stun_compute_userhash(user, realm, hash) == 0);
  }
  FUZZ_CHECK(siphb_stun_key_init(&k->key, kb, klen) == 0);
  if (kind != 1 && kind != 2) k->alt = k->key;
  /* HMAC pads keys with zeros, so the empty key and "\0" are the same key:
   * the one-bit-off key of an empty key is "\1". */
  uint8_t flipped[512];
  size_t flen = klen < sizeof flipped ? klen : sizeof flipped;
  if (flen)
    memcpy(flipped, kb, flen);
  else
    flipped[0] = 0, flen = 1;
  flipped[0] ^= 1;
  /* A key longer than the copy is hashed (RFC 2104): cut it, it still differs.
   */
  FUZZ_CHECK(siphb_stun_key_init(&k->off, flipped, flen) == 0);
}

/* ---- the checks on a parsed message -----------------------------------------
 */

typedef struct verdicts {
  int any, mi, mi256, fp;
} verdicts;

static void check_verdict(int rc, size_t off, int mismatch, int absent) {
  FUZZ_CHECK(off ? (rc == 0 || rc == mismatch) : rc == absent);
}

static void verify(const siphb_stun_msg *m, const keys *k, verdicts *v) {
  v->any = siphb_stun_check_integrity(m, &k->key);
  v->mi = siphb_stun_check_integrity_attr(m, &k->key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY);
  v->mi256 = siphb_stun_check_integrity_attr(m, &k->key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256);
  v->fp = siphb_stun_check_fingerprint(m);
  check_verdict(v->mi, m->integrity_offset, SIPHB_ERR_STUN_INTEGRITY, SIPHB_ERR_STUN_NO_INTEGRITY);
  check_verdict(v->mi256, m->integrity_sha256_offset, SIPHB_ERR_STUN_INTEGRITY,
                SIPHB_ERR_STUN_NO_INTEGRITY);
  check_verdict(v->fp, m->fingerprint_offset, SIPHB_ERR_STUN_FINGERPRINT,
                SIPHB_ERR_STUN_NO_FINGERPRINT);
  /* check_integrity prefers MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 9.2.4).
   */
  FUZZ_CHECK(v->any == (m->integrity_sha256_offset ? v->mi256 : v->mi));
  /* The same answers again, and from the key made the other way. */
  FUZZ_CHECK(siphb_stun_check_integrity(m, &k->key) == v->any);
  FUZZ_CHECK(siphb_stun_check_integrity(m, &k->alt) == v->any);
  FUZZ_CHECK(siphb_stun_check_integrity_attr(m, &k->alt, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY) ==
             v->mi);
  FUZZ_CHECK(siphb_stun_check_fingerprint(m) == v->fp);
  FUZZ_CHECK(siphb_stun_check_integrity_attr(m, &k->key, SIPHB_STUN_ATTR_USERNAME) ==
             SIPHB_ERR_INVALID_ARGUMENT);
  /* A match does not survive a key one bit off. */
  if (v->mi == 0)
    FUZZ_CHECK(siphb_stun_check_integrity_attr(m, &k->off, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY) ==
               SIPHB_ERR_STUN_INTEGRITY);
  if (v->mi256 == 0)
    FUZZ_CHECK(
        siphb_stun_check_integrity_attr(m, &k->off, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256) ==
        SIPHB_ERR_STUN_INTEGRITY);
  /* FINGERPRINT against a CRC-32 computed here (RFC 8489 section 14.7). */
  if (m->fingerprint_offset) {
    size_t off = m->fingerprint_offset;
    uint32_t crc = crc32_ref(0, m->data, off) ^ SIPHB_STUN_FINGERPRINT_XOR;
    bool match = crc == fz_be32(m->data + off + 4);
    FUZZ_CHECK(match == (v->fp == 0));
  }
}

/* ---- building the message again
 * ---------------------------------------------- */

/* Where the closing attributes start: the first integrity or fingerprint
 * attribute, or the end. Everything before it is neither ignored nor closing.
 */
static size_t closing_start(const siphb_stun_msg *m) {
  size_t p = m->length;
  if (m->integrity_offset && m->integrity_offset < p) p = m->integrity_offset;
  if (m->integrity_sha256_offset && m->integrity_sha256_offset < p) p = m->integrity_sha256_offset;
  if (m->fingerprint_offset && m->fingerprint_offset < p) p = m->fingerprint_offset;
  return p;
}

/* The first pad byte of the input before the closing attributes, or 0. */
static uint8_t input_pad(const siphb_stun_msg *m, size_t end) {
  siphb_stun_iter it;
  siphb_stun_attr a;
  siphb_stun_iter_init(&it, m);
  while (siphb_stun_next_attr(&it, &a) && a.offset < end)
    if (a.len % 4) return a.value[a.len];
  return 0;
}

/* true when a is the first occurrence of a type with a typed adder (the
 * occurrence the accessors read): it is rebuilt from what they read. */
static bool rebuilt_typed(const siphb_stun_msg *m, const siphb_stun_attr *a) {
  static const uint16_t typed[] = {0x0001, 0x0006, 0x0009, 0x000A, 0x0014, 0x0015, 0x001D,
                                   0x001E, 0x0020, 0x8002, 0x8003, 0x8022, 0x8023};
  siphb_stun_attr first;
  if (siphb_stun_get(m, a->type, &first) != 0 || first.offset != a->offset) return false;
  for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
    if (typed[i] == a->type) return true;
  return false;
}

/* The text and byte-string attributes: accessor and adder of each. */
static const struct {
  uint16_t type;
  int (*get)(const siphb_stun_msg *, siphb_str *);
  int (*put)(siphb_stun_encoder *, siphb_str);
} str_attrs[] = {
    {SIPHB_STUN_ATTR_USERNAME, siphb_stun_username, siphb_stun_encode_username},
    {SIPHB_STUN_ATTR_REALM, siphb_stun_realm, siphb_stun_encode_realm},
    {SIPHB_STUN_ATTR_NONCE, siphb_stun_nonce, siphb_stun_encode_nonce},
    {SIPHB_STUN_ATTR_SOFTWARE, siphb_stun_software, siphb_stun_encode_software},
    {SIPHB_STUN_ATTR_ALTERNATE_DOMAIN, siphb_stun_alternate_domain,
     siphb_stun_encode_alternate_domain},
};

/* The address attributes: accessor and adder of each. */
static const struct {
  uint16_t type;
  int (*get)(const siphb_stun_msg *, siphb_mapped_addr *);
  int (*put)(siphb_stun_encoder *, const siphb_mapped_addr *);
} addr_attrs[] = {
    {SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS, siphb_stun_xor_mapped_address,
     siphb_stun_encode_xor_mapped_address},
    {SIPHB_STUN_ATTR_MAPPED_ADDRESS, siphb_stun_mapped_address, siphb_stun_encode_mapped_address},
    {SIPHB_STUN_ATTR_ALTERNATE_SERVER, siphb_stun_alternate_server,
     siphb_stun_encode_alternate_server},
};

/* Adds attribute a with the typed adder of its type (rebuilt_typed), else
 * raw. Returns the adder's answer. */
static int add_attr(siphb_stun_encoder *enc, const siphb_stun_msg *m, const siphb_stun_attr *a) {
  if (!rebuilt_typed(m, a)) return siphb_stun_encode_attr(enc, a->type, a->value, a->len);
  siphb_mapped_addr addr;
  siphb_str s;
  for (size_t i = 0; i < sizeof addr_attrs / sizeof addr_attrs[0]; i++)
    if (addr_attrs[i].type == a->type) {
      FUZZ_CHECK(addr_attrs[i].get(m, &addr) == 0);
      return addr_attrs[i].put(enc, &addr);
    }
  for (size_t i = 0; i < sizeof str_attrs / sizeof str_attrs[0]; i++)
    if (str_attrs[i].type == a->type) {
      FUZZ_CHECK(str_attrs[i].get(m, &s) == 0);
      return str_attrs[i].put(enc, s);
    }
  switch (a->type) {
  case SIPHB_STUN_ATTR_USERHASH:
    FUZZ_CHECK(siphb_stun_userhash(m, &s) == 0);
    return siphb_stun_encode_userhash(enc, (const uint8_t *)s.ptr);
  case SIPHB_STUN_ATTR_ERROR_CODE: {
    siphb_stun_error_value e;
    FUZZ_CHECK(siphb_stun_error_code(m, &e) == 0);
    return siphb_stun_encode_error_code(enc, e.code, e.reason);
  }
  case SIPHB_STUN_ATTR_UNKNOWN_ATTRIBUTES: {
    siphb_ssize n = siphb_stun_unknown_attributes(m, NULL, 0);
    FUZZ_CHECK(n >= 0);
    uint16_t *types = malloc((size_t)n * sizeof *types + 1);
    FUZZ_CHECK(types != NULL && siphb_stun_unknown_attributes(m, types, (size_t)n) == n);
    int rc = siphb_stun_encode_unknown_attributes(enc, types, (size_t)n);
    free(types);
    return rc;
  }
  case SIPHB_STUN_ATTR_PASSWORD_ALGORITHM: {
    siphb_stun_password_alg alg;
    FUZZ_CHECK(siphb_stun_password_algorithm(m, &alg) == 0);
    return siphb_stun_encode_password_algorithm(enc, &alg);
  }
  default: { /* rebuilt_typed() lists no other type */
    FUZZ_CHECK(a->type == SIPHB_STUN_ATTR_PASSWORD_ALGORITHMS);
    siphb_ssize n = siphb_stun_password_algorithms(m, NULL, 0);
    FUZZ_CHECK(n >= 0);
    siphb_stun_password_alg *algs = malloc((size_t)n * sizeof *algs + 1);
    FUZZ_CHECK(algs != NULL && siphb_stun_password_algorithms(m, algs, (size_t)n) == n);
    int rc = siphb_stun_encode_password_algorithms(enc, algs, (size_t)n);
    free(algs);
    return rc;
  }
  }
}

/* Builds m again into buf[0..cap): returns the length, or the first
 * failing call's code with *needed the encoder's `needed`. */
static siphb_ssize rebuild(const siphb_stun_msg *m, const siphb_stun_key *key, unsigned flags,
                           uint8_t *buf, size_t cap, size_t *needed) {
  siphb_stun_encoder enc;
  size_t end = closing_start(m);
  int rc;
  if (m->classic) {
    siphb_stun_class cls = m->cls == SIPHB_STUN_ERROR ? SIPHB_STUN_ERROR : SIPHB_STUN_SUCCESS;
    rc = siphb_stun_encode_start_response(&enc, buf, cap, m, cls);
  } else {
    rc = siphb_stun_encode_start(&enc, buf, cap, m->method, m->cls, m->txid, NULL, NULL);
  }
  if (rc < 0) {
    *needed = enc.error.need;
    return rc;
  }
  enc.pad = input_pad(m, end);
  siphb_stun_iter it;
  siphb_stun_attr a;
  siphb_stun_iter_init(&it, m);
  while (siphb_stun_next_attr(&it, &a) && a.offset < end) {
    FUZZ_CHECK(!a.ignored);
    rc = add_attr(&enc, m, &a);
    if (rc < 0) {
      FUZZ_CHECK(rc == SIPHB_ERR_NOBUF && enc.error.need > cap && enc.len <= cap);
      *needed = enc.error.need;
      return rc;
    }
  }
  siphb_ssize n = siphb_stun_encode_finish(&enc, key, flags);
  if (n < 0)
    *needed = enc.error.need;
  else
    FUZZ_CHECK((size_t)n == enc.len && (size_t)n <= cap);
  return n;
}

static bool same_str(siphb_str a, siphb_str b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* The rebuilt message r against the input m: same attributes up to `end`
 * (raw ones byte for byte, typed ones by what the accessors read), then
 * exactly the closing attributes of `flags`. */
static void check_rebuilt(const siphb_stun_msg *m, const siphb_stun_msg *r, unsigned flags) {
  size_t end = closing_start(m);
  siphb_stun_iter im, ir;
  siphb_stun_attr a, b;
  size_t n = 0;
  siphb_stun_iter_init(&im, m);
  siphb_stun_iter_init(&ir, r);
  while (siphb_stun_next_attr(&im, &a) && a.offset < end) {
    FUZZ_CHECK(siphb_stun_next_attr(&ir, &b));
    FUZZ_CHECK(a.type == b.type && !b.ignored);
    FUZZ_CHECK(rebuilt_typed(m, &a) == rebuilt_typed(r, &b));
    if (!rebuilt_typed(m, &a)) FUZZ_CHECK(a.len == b.len && memcmp(a.value, b.value, a.len) == 0);
    n++;
  }
  static const uint16_t closing[3] = {SIPHB_STUN_ATTR_MESSAGE_INTEGRITY,
                                      SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256,
                                      SIPHB_STUN_ATTR_FINGERPRINT};
  for (int i = 0; i < 3; i++) {
    if (!(flags & (1u << i))) continue;
    FUZZ_CHECK(siphb_stun_next_attr(&ir, &b) && b.type == closing[i] && !b.ignored);
    n++;
  }
  FUZZ_CHECK(!siphb_stun_next_attr(&ir, &b));
  FUZZ_CHECK(r->attr_count == n && r->ignored_count == 0);
  FUZZ_CHECK(r->classic == m->classic && r->method == m->method);
  FUZZ_CHECK(memcmp(r->txid, m->txid, m->txid_len) == 0 && r->txid_len == m->txid_len);
  FUZZ_CHECK(r->unknown_total == m->unknown_total && r->unknown_count == m->unknown_count);
  FUZZ_CHECK(memcmp(r->unknown, m->unknown, m->unknown_count * sizeof m->unknown[0]) == 0);

  /* What the typed accessors read is what was written. */
  siphb_mapped_addr x, y;
  siphb_str s, t;
  int rc = siphb_stun_mapped(m, &x);
  FUZZ_CHECK(siphb_stun_mapped(r, &y) == rc);
  if (rc == 0) FUZZ_CHECK(x.family == y.family && x.port == y.port && !memcmp(x.addr, y.addr, 16));
  rc = siphb_stun_alternate_server(m, &x);
  FUZZ_CHECK(siphb_stun_alternate_server(r, &y) == rc);
  if (rc == 0) FUZZ_CHECK(x.family == y.family && x.port == y.port && !memcmp(x.addr, y.addr, 16));
  int (*const strs[])(const siphb_stun_msg *, siphb_str *) = {
      siphb_stun_username,         siphb_stun_realm,   siphb_stun_nonce, siphb_stun_software,
      siphb_stun_alternate_domain, siphb_stun_userhash};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
    rc = strs[i](m, &s);
    FUZZ_CHECK(strs[i](r, &t) == rc);
    if (rc == 0) FUZZ_CHECK(same_str(s, t));
  }
  siphb_stun_error_value e, f;
  rc = siphb_stun_error_code(m, &e);
  FUZZ_CHECK(siphb_stun_error_code(r, &f) == rc);
  if (rc == 0) {
    FUZZ_CHECK(e.code == f.code);
    /* An empty reason is written as the RFC's phrase for the code. */
    const char *phrase = siphb_stun_reason(e.code);
    FUZZ_CHECK(e.reason.len ? same_str(e.reason, f.reason)
                            : same_str(slice((const uint8_t *)phrase, strlen(phrase)), f.reason));
  }
  uint16_t ua[8], ub[8];
  siphb_ssize na = siphb_stun_unknown_attributes(m, ua, 8);
  FUZZ_CHECK(siphb_stun_unknown_attributes(r, ub, 8) == na);
  if (na > 0) FUZZ_CHECK(memcmp(ua, ub, (size_t)(na < 8 ? na : 8) * sizeof ua[0]) == 0);
  siphb_stun_password_alg pa[4], pb[4];
  na = siphb_stun_password_algorithms(m, pa, 4);
  FUZZ_CHECK(siphb_stun_password_algorithms(r, pb, 4) == na);
  for (siphb_ssize i = 0; i < na && i < 4; i++)
    FUZZ_CHECK(pa[i].alg == pb[i].alg && same_str(pa[i].params, pb[i].params));
  rc = siphb_stun_password_algorithm(m, &pa[0]);
  FUZZ_CHECK(siphb_stun_password_algorithm(r, &pb[0]) == rc);
  if (rc == 0) FUZZ_CHECK(pa[0].alg == pb[0].alg && same_str(pa[0].params, pb[0].params));
}

/* Where the rebuilt bytes before a closing attribute equal the input's
 * (Length field aside), the input's value matches the rebuilt one exactly
 * when its check accepted it: the encoder and the checks compute the same
 * MAC and CRC over the same bytes. */
static void check_same_prefix(const siphb_stun_msg *m, const verdicts *v, const uint8_t *r,
                              size_t rlen, unsigned flags) {
  size_t p = closing_start(m);
  if (p > rlen || memcmp(m->data, r, 2) != 0 || memcmp(m->data + 4, r + 4, p - 4) != 0) return;
  struct {
    unsigned flag;
    uint16_t type;
    size_t vlen;
    int verdict;
  } steps[3] = {
      {SIPHB_STUN_WITH_INTEGRITY, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY, 20, v->mi},
      {SIPHB_STUN_WITH_INTEGRITY_SHA256, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256, 32, v->mi256},
      {SIPHB_STUN_WITH_FINGERPRINT, SIPHB_STUN_ATTR_FINGERPRINT, 4, v->fp}};
  for (int i = 0; i < 3; i++) {
    if (!(flags & steps[i].flag)) continue;
    /* The input must have the same attribute here, of the same length, and
     * for FINGERPRINT, end where the rebuilt message ends (same Length). */
    if (p + 4 + steps[i].vlen > m->length || fz_be16(m->data + p) != steps[i].type ||
        fz_be16(m->data + p + 2) != steps[i].vlen)
      return;
    if (steps[i].type == SIPHB_STUN_ATTR_FINGERPRINT && m->length != rlen) return;
    bool equal = memcmp(m->data + p, r + p, 4 + steps[i].vlen) == 0;
    FUZZ_CHECK(equal == (steps[i].verdict == 0));
    if (!equal) return;
    p += 4 + steps[i].vlen;
  }
}

static void reencode(const siphb_stun_msg *m, const keys *k, const verdicts *v, unsigned extra) {
  const unsigned all =
      SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_INTEGRITY_SHA256 | SIPHB_STUN_WITH_FINGERPRINT;
  unsigned flags = extra & all;
  if (m->integrity_offset) flags |= SIPHB_STUN_WITH_INTEGRITY;
  if (m->integrity_sha256_offset) flags |= SIPHB_STUN_WITH_INTEGRITY_SHA256;
  if (m->fingerprint_offset) flags |= SIPHB_STUN_WITH_FINGERPRINT;
  if (!flags) flags = all;

  /* Typed adders can write more than was read (an ERROR-CODE without a
   * reason gets its phrase, the last PASSWORD-ALGORITHMS entry its own
   * padding): room for that and the closing attributes. */
  size_t cap = m->length + 256;
  uint8_t *big = malloc(cap);
  FUZZ_CHECK(big != NULL);
  size_t needed = 0;
  siphb_ssize n = rebuild(m, &k->key, flags, big, cap, &needed);
  FUZZ_CHECK(n >= (siphb_ssize)SIPHB_STUN_HEADER_SIZE);
  size_t len = (size_t)n;

  siphb_stun_msg r;
  siphb_error_info err;
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.known = ice_types;
  cfg.known_count = 2;
  FUZZ_CHECK(siphb_stun_parse(&r, big, len, &cfg, &err) == n);
  fz_stun_walk w;
  fz_stun_check_msg(n, &r, big, len, &cfg, &w);
  check_rebuilt(m, &r, flags);

  bool with_mi = flags & (SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_INTEGRITY_SHA256);
  FUZZ_CHECK(siphb_stun_check_integrity(&r, &k->key) ==
             (with_mi ? 0 : SIPHB_ERR_STUN_NO_INTEGRITY));
  if (flags & SIPHB_STUN_WITH_INTEGRITY)
    FUZZ_CHECK(siphb_stun_check_integrity_attr(&r, &k->key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY) ==
               0);
  if (flags & SIPHB_STUN_WITH_INTEGRITY_SHA256)
    FUZZ_CHECK(siphb_stun_check_integrity_attr(&r, &k->alt,
                                               SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256) == 0);
  if (with_mi) FUZZ_CHECK(siphb_stun_check_integrity(&r, &k->off) == SIPHB_ERR_STUN_INTEGRITY);
  FUZZ_CHECK(siphb_stun_check_fingerprint(&r) ==
             (flags & SIPHB_STUN_WITH_FINGERPRINT ? 0 : SIPHB_ERR_STUN_NO_FINGERPRINT));
  check_same_prefix(m, v, big, len, flags);

  /* The same bytes in a buffer of exactly their size (ASan sees a write
   * past it), and one byte less is refused with the size needed. */
  uint8_t *exact = malloc(len);
  FUZZ_CHECK(exact != NULL);
  FUZZ_CHECK(rebuild(m, &k->key, flags, exact, len, &needed) == n);
  FUZZ_CHECK(memcmp(exact, big, len) == 0);
  needed = 0;
  FUZZ_CHECK(rebuild(m, &k->key, flags, exact, len - 1, &needed) == SIPHB_ERR_NOBUF);
  FUZZ_CHECK(needed == len);
  free(exact);

  /* A wiped key is refused, by the checks and by the encoder. */
  siphb_stun_key wiped = k->key;
  siphb_stun_key_wipe(&wiped);
  FUZZ_CHECK(siphb_stun_check_integrity(&r, &wiped) == SIPHB_ERR_INVALID_ARGUMENT);
  if (with_mi)
    FUZZ_CHECK(rebuild(m, &wiped, flags, big, cap, &needed) == SIPHB_ERR_INVALID_ARGUMENT);
  free(big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* The message ends where its header Length says (or at the input's end). */
  size_t mlen = size;
  if (size >= SIPHB_STUN_HEADER_SIZE) {
    size_t total = SIPHB_STUN_HEADER_SIZE + fz_be16(data + 2);
    if (total < size) mlen = total;
  }
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.known = ice_types;
  cfg.known_count = 2;
  siphb_stun_msg m;
  siphb_error_info err;
  siphb_ssize rc = siphb_stun_parse(&m, data, mlen, &cfg, &err);
  if (rc < 0) {
    fz_stun_check_error(rc, &err, mlen, &cfg);
    return 0;
  }
  fz_stun_walk w;
  fz_stun_check_msg(rc, &m, data, mlen, &cfg, &w);

  const uint8_t *t = data + mlen;
  size_t tlen = size - mlen;
  keys *k = malloc(sizeof *k);
  FUZZ_CHECK(k != NULL);
  make_keys(k, &m, t, tlen);
  verdicts v;
  verify(&m, k, &v);
  if (m.length <= SIPHB_STUN_MAX_LENGTH - 256) reencode(&m, k, &v, tlen ? (t[0] >> 2) & 7u : 0u);
  siphb_stun_key_wipe(&k->key);
  free(k);
  return 0;
}
