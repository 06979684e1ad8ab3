/*
 * stun_auth.c - STUN credentials and the two message checks: prepared
 * keys (RFC 8489 sections 9.1.1, 9.2.2), USERHASH (section 14.4),
 * MESSAGE-INTEGRITY(-SHA256) (sections 14.5, 14.6) and FINGERPRINT
 * (section 14.7). The hashes come from crypto/crypto.h.
 *
 * A siphb_stun_key holds two prepared HMAC keys (the hash states after
 * the ipad and opad blocks), one for SHA-1 and one for SHA-256, in an
 * opaque byte array of the public struct: the layout of siphb_hmac_key
 * stays internal, and a static assertion keeps the array large enough.
 * They are copied in and out with memcpy, never accessed through a cast,
 * so the array's declared type is never aliased.
 *
 * Integrity is computed without touching the caller's buffer: the 20-byte
 * header is hashed from a copy whose Length counts up to the end of the
 * integrity attribute, then the attributes before it straight from the
 * message (siphb_hmac() takes the two pieces).
 */
#include <siphb/stun.h>

#include <stddef.h>
#include <string.h>

#include "base/assert.h"
#include "crypto/crypto.h"
#include "stun/stun_int.h"

#define KEY_MAGIC 0x4B4E5453u /* "STNK" */

typedef struct prepared {
  siphb_hmac_key sha1;   /* MESSAGE-INTEGRITY */
  siphb_hmac_key sha256; /* MESSAGE-INTEGRITY-SHA256 */
} prepared;

SIPHB_STATIC_ASSERT(sizeof(prepared) <= sizeof(((siphb_stun_key *)0)->state_),
                    stun_key_state_holds_two_hmac_keys);

static bool slice_ok(siphb_str s) { return s.ptr || s.len == 0; }

/* ---- keys ----------------------------------------------------------------- */

bool siphb_stun_key_ready(const siphb_stun_key *key) { return key && key->magic_ == KEY_MAGIC; }

int siphb_stun_key_init(siphb_stun_key *key, const uint8_t *bytes, size_t len) {
  if (!key || (!bytes && len)) return SIPHB_ERR_INVALID_ARGUMENT;
  static const uint8_t none[1] = {0};
  prepared p;
  siphb_hmac_key_init(&p.sha1, SIPHB_HMAC_SHA1, len ? bytes : none, len);
  siphb_hmac_key_init(&p.sha256, SIPHB_HMAC_SHA256, len ? bytes : none, len);
  memset(key, 0, sizeof *key);
  memcpy(key->state_, &p, sizeof p);
  key->magic_ = KEY_MAGIC;
  siphb_hmac_key_wipe(&p.sha1);
  siphb_hmac_key_wipe(&p.sha256);
  return 0;
}

void siphb_stun_key_wipe(siphb_stun_key *key) {
  if (key) siphb_wipe(key, sizeof *key);
}

/* MD5 or SHA-256 of pieces joined by ':' (RFC 8489 sections 9.2.2 and
 * 14.4). */
typedef struct joined_hash {
  uint16_t alg;
  siphb_md5_ctx md5;
  siphb_sha256_ctx sha256;
} joined_hash;

static void feed(joined_hash *h, const void *p, size_t len) {
  if (!len) return; /* an empty slice may have a NULL ptr */
  if (h->alg == SIPHB_STUN_PASSWORD_MD5)
    siphb_md5_update(&h->md5, p, len);
  else
    siphb_sha256_update(&h->sha256, p, len);
}

/* Returns the digest length, or 0 for an unknown alg. */
static size_t hash_joined(uint16_t alg, const siphb_str *parts, size_t n, uint8_t out[32]) {
  joined_hash h;
  h.alg = alg;
  if (alg == SIPHB_STUN_PASSWORD_MD5)
    siphb_md5_init(&h.md5);
  else if (alg == SIPHB_STUN_PASSWORD_SHA256)
    siphb_sha256_init(&h.sha256);
  else
    return 0;
  for (size_t i = 0; i < n; i++) {
    if (i) feed(&h, ":", 1);
    feed(&h, parts[i].ptr, parts[i].len);
  }
  size_t len = SIPHB_SHA256_LEN;
  if (alg == SIPHB_STUN_PASSWORD_MD5) {
    siphb_md5_final(&h.md5, out);
    len = SIPHB_MD5_LEN;
  } else {
    siphb_sha256_final(&h.sha256, out);
  }
  siphb_wipe(&h, sizeof h);
  return len;
}

siphb_ssize siphb_stun_long_term_key(uint16_t alg, siphb_str username, siphb_str realm,
                                     siphb_str password, uint8_t out[32]) {
  if (!out || !slice_ok(username) || !slice_ok(realm) || !slice_ok(password))
    return SIPHB_ERR_INVALID_ARGUMENT;
  const siphb_str parts[3] = {username, realm, password};
  size_t n = hash_joined(alg, parts, 3, out);
  return n ? (siphb_ssize)n : SIPHB_ERR_INVALID_ARGUMENT;
}

int siphb_stun_key_long_term(siphb_stun_key *key, uint16_t alg, siphb_str username, siphb_str realm,
                             siphb_str password) {
  uint8_t k[32];
  if (!key) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ssize n = siphb_stun_long_term_key(alg, username, realm, password, k);
  if (n < 0) return (int)n;
  int rc = siphb_stun_key_init(key, k, (size_t)n);
  siphb_wipe(k, sizeof k);
  return rc;
}

int siphb_stun_compute_userhash(siphb_str username, siphb_str realm,
                                uint8_t out[SIPHB_STUN_USERHASH_SIZE]) {
  if (!out || !slice_ok(username) || !slice_ok(realm)) return SIPHB_ERR_INVALID_ARGUMENT;
  const siphb_str parts[2] = {username, realm};
  hash_joined(SIPHB_STUN_PASSWORD_SHA256, parts, 2, out);
  return 0;
}

/* ---- MAC and CRC of a message prefix ------------------------------------- */

void siphb_stun_mac(const siphb_stun_key *key, uint16_t type, const uint8_t *msg, size_t off,
                    size_t value_len, uint8_t out[32]) {
  uint8_t hdr[SIPHB_STUN_HEADER_SIZE];
  memcpy(hdr, msg, sizeof hdr);
  siphb_put_be16(hdr + 2, (unsigned)(off + 4 + value_len - SIPHB_STUN_HEADER_SIZE));
  siphb_hmac_key k;
  size_t at = type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256 ? offsetof(prepared, sha256)
                                                               : offsetof(prepared, sha1);
  memcpy(&k, (const uint8_t *)key->state_ + at, sizeof k);
  siphb_hmac(&k, hdr, sizeof hdr, msg + SIPHB_STUN_HEADER_SIZE, off - SIPHB_STUN_HEADER_SIZE, NULL,
             0, out);
  siphb_wipe(&k, sizeof k);
}

uint32_t siphb_stun_crc(const uint8_t *msg, size_t off) {
  return siphb_crc32(0, msg, off) ^ SIPHB_STUN_FINGERPRINT_XOR;
}

/* ---- the checks ----------------------------------------------------------- */

int siphb_stun_check_integrity_attr(const siphb_stun_msg *msg, const siphb_stun_key *key,
                                    uint16_t type) {
  if (!msg || !msg->data || !siphb_stun_key_ready(key)) return SIPHB_ERR_INVALID_ARGUMENT;
  size_t off;
  if (type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY)
    off = msg->integrity_offset;
  else if (type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256)
    off = msg->integrity_sha256_offset;
  else
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (!off) return SIPHB_ERR_STUN_NO_INTEGRITY;
  /* 20, or 16-32 for -SHA256 (checked by the parse): a truncated value is
   * compared with the leading bytes of the HMAC (RFC 8489 section 14.6). */
  size_t vlen = siphb_be16(msg->data + off + 2);
  uint8_t mac[32];
  siphb_stun_mac(key, type, msg->data, off, vlen, mac);
  bool ok = siphb_ct_equal(mac, msg->data + off + 4, vlen);
  return ok ? 0 : SIPHB_ERR_STUN_INTEGRITY;
}

int siphb_stun_check_integrity(const siphb_stun_msg *msg, const siphb_stun_key *key) {
  if (!msg) return SIPHB_ERR_INVALID_ARGUMENT;
  return siphb_stun_check_integrity_attr(msg, key,
                                         msg->integrity_sha256_offset
                                             ? SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256
                                             : SIPHB_STUN_ATTR_MESSAGE_INTEGRITY);
}

int siphb_stun_check_fingerprint(const siphb_stun_msg *msg) {
  if (!msg || !msg->data) return SIPHB_ERR_INVALID_ARGUMENT;
  size_t off = msg->fingerprint_offset;
  if (!off) return SIPHB_ERR_STUN_NO_FINGERPRINT;
  uint32_t want = siphb_be32(msg->data + off + 4);
  return siphb_stun_crc(msg->data, off) == want ? 0 : SIPHB_ERR_STUN_FINGERPRINT;
}
