/*
 * stun_encode.c - building STUN messages in a caller's buffer (RFC 8489
 * sections 5, 14; RFC 5389 sections 6, 15).
 *
 * Each adder first reserves room for the whole attribute (header, value,
 * padding) and only then writes it, so a call that fails leaves the
 * message as it was. The header Length is brought up to date after every
 * attribute: the buffer always holds a complete message. The closing
 * MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT are computed by
 * siphb_stun_encode_finish() with the helpers of stun_auth.c, the same
 * code that verifies them.
 */
#include <siphb/stun.h>

#include <string.h>

#include "base/error_info.h"
#include "stun/stun_int.h"

#define ENC_OPEN 0x5Au /* started, attributes may be added */
#define ENC_DONE 0xD0u /* finished */

#define MAX_VALUE 0xFFFFu /* a 16-bit attribute length */

/* A failed call: records why in enc->error (when there is an encoder) and
 * returns the code. */
static int fail(siphb_stun_encoder *enc, int code, size_t need, const char *why) {
  return (int)siphb_fail(enc ? &enc->error : NULL, code, 0, need, why);
}

static int not_open(siphb_stun_encoder *enc) {
  return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "encoder not started, or already finished");
}

static void set_length(siphb_stun_encoder *enc) {
  siphb_put_be16(enc->buf_ + 2, (unsigned)(enc->len - SIPHB_STUN_HEADER_SIZE));
}

/* Resets the encoder and writes the type with Length 0, if 20 bytes fit. */
static int begin(siphb_stun_encoder *enc, uint8_t *buf, size_t cap, uint16_t type) {
  enc->len = 0;
  enc->pad = 0;
  enc->state_ = 0;
  enc->buf_ = buf;
  enc->cap_ = cap;
  if (cap < SIPHB_STUN_HEADER_SIZE)
    return fail(enc, SIPHB_ERR_NOBUF, SIPHB_STUN_HEADER_SIZE, "buffer too small for the header");
  siphb_put_be16(buf, type);
  siphb_put_be16(buf + 2, 0);
  return 0;
}

int siphb_stun_encode_start(siphb_stun_encoder *enc, uint8_t *buf, size_t cap, uint16_t method,
                            siphb_stun_class cls, const uint8_t *txid, siphb_random_fn random,
                            void *random_user_data) {
  if (!enc) return SIPHB_ERR_INVALID_ARGUMENT;
  enc->state_ = 0;
  siphb_error_clear(&enc->error);
  memset(enc->reserved_, 0, sizeof enc->reserved_);
  if (!buf) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "buf is NULL");
  if (method > 0x0FFFu) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "method above 0xFFF");
  if ((unsigned)cls > 3u) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "cls: not a class");
  if (!txid && !random) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "txid and random NULL");
  int rc = begin(enc, buf, cap, siphb_stun_type(method, cls));
  if (rc < 0) return rc;
  siphb_put_be32(buf + 4, SIPHB_STUN_MAGIC_COOKIE);
  if (txid)
    memcpy(buf + 8, txid, SIPHB_STUN_TXID_SIZE);
  else if (random(buf + 8, SIPHB_STUN_TXID_SIZE, random_user_data) != 0)
    return fail(enc, SIPHB_ERR_CALLBACK_FAILURE, 0, "random failed");
  enc->len = SIPHB_STUN_HEADER_SIZE;
  enc->state_ = ENC_OPEN;
  return 0;
}

int siphb_stun_encode_start_response(siphb_stun_encoder *enc, uint8_t *buf, size_t cap,
                                     const siphb_stun_msg *req, siphb_stun_class cls) {
  if (!enc) return SIPHB_ERR_INVALID_ARGUMENT;
  enc->state_ = 0;
  siphb_error_clear(&enc->error);
  memset(enc->reserved_, 0, sizeof enc->reserved_);
  if (!buf || !req || !req->data)
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "buf or req is NULL, or req not parsed");
  if (cls != SIPHB_STUN_SUCCESS && cls != SIPHB_STUN_ERROR)
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "cls: a response is SUCCESS or ERROR");
  /* Cookie + txid, or a classic 16-byte id; copied first, since buf may
   * be (or overlap) the request's own buffer. */
  uint8_t id[16];
  memcpy(id, req->data + 4, sizeof id);
  int rc = begin(enc, buf, cap, siphb_stun_type(req->method, cls));
  if (rc < 0) return rc;
  memcpy(buf + 4, id, sizeof id);
  enc->len = SIPHB_STUN_HEADER_SIZE;
  enc->state_ = ENC_OPEN;
  return 0;
}

/* Room for add more bytes, within both the 16-bit Length and the buffer:
 * 0, or an error (NOBUF with error.need set) with the message untouched. */
static int room(siphb_stun_encoder *enc, size_t add) {
  if (enc->len - SIPHB_STUN_HEADER_SIZE + add > SIPHB_STUN_MAX_LENGTH)
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "message would pass the STUN Length limit");
  if (add > enc->cap_ - enc->len)
    return fail(enc, SIPHB_ERR_NOBUF, enc->len + add, "buffer too small for the attribute");
  return 0;
}

/* Room for an attribute with a value of vlen bytes: 0 and *value set to
 * where the value goes, or an error with the message untouched. */
static int reserve(siphb_stun_encoder *enc, size_t vlen, uint8_t **value) {
  if (!enc || enc->state_ != ENC_OPEN) return not_open(enc);
  if (vlen > MAX_VALUE) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "value over 65535 bytes");
  int rc = room(enc, 4 + siphb_stun_pad4(vlen));
  if (rc < 0) return rc;
  *value = enc->buf_ + enc->len + 4;
  return 0;
}

/* Writes the TLV header and padding around a value already in place, and
 * counts the attribute. */
static void commit(siphb_stun_encoder *enc, uint16_t type, size_t vlen) {
  uint8_t *p = enc->buf_ + enc->len;
  size_t padded = siphb_stun_pad4(vlen);
  siphb_put_be16(p, type);
  siphb_put_be16(p + 2, (unsigned)vlen);
  memset(p + 4 + vlen, enc->pad, padded - vlen);
  enc->len += 4 + padded;
  set_length(enc);
}

int siphb_stun_encode_attr(siphb_stun_encoder *enc, uint16_t type, const void *value, size_t len) {
  uint8_t *v;
  if (!value && len) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "value is NULL");
  int rc = reserve(enc, len, &v);
  if (rc < 0) return rc;
  if (len) memcpy(v, value, len);
  commit(enc, type, len);
  return 0;
}

int siphb_stun_encode_address(siphb_stun_encoder *enc, uint16_t type, const siphb_mapped_addr *addr,
                              bool xored) {
  uint8_t *v;
  if (!addr || (addr->family != 1 && addr->family != 2))
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "addr is NULL, or its family neither 1 nor 2");
  int rc = reserve(enc, addr->family == 1 ? 8 : 20, &v);
  if (rc < 0) return rc;
  commit(enc, type, siphb_stun_addr_encode(enc->buf_, addr, xored, v));
  return 0;
}

int siphb_stun_encode_xor_mapped_address(siphb_stun_encoder *enc, const siphb_mapped_addr *addr) {
  return siphb_stun_encode_address(enc, SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS, addr, true);
}

int siphb_stun_encode_mapped_address(siphb_stun_encoder *enc, const siphb_mapped_addr *addr) {
  return siphb_stun_encode_address(enc, SIPHB_STUN_ATTR_MAPPED_ADDRESS, addr, false);
}

int siphb_stun_encode_alternate_server(siphb_stun_encoder *enc, const siphb_mapped_addr *addr) {
  return siphb_stun_encode_address(enc, SIPHB_STUN_ATTR_ALTERNATE_SERVER, addr, false);
}

int siphb_stun_encode_username(siphb_stun_encoder *enc, siphb_str username) {
  return siphb_stun_encode_attr(enc, SIPHB_STUN_ATTR_USERNAME, username.ptr, username.len);
}

int siphb_stun_encode_realm(siphb_stun_encoder *enc, siphb_str realm) {
  return siphb_stun_encode_attr(enc, SIPHB_STUN_ATTR_REALM, realm.ptr, realm.len);
}

int siphb_stun_encode_nonce(siphb_stun_encoder *enc, siphb_str nonce) {
  return siphb_stun_encode_attr(enc, SIPHB_STUN_ATTR_NONCE, nonce.ptr, nonce.len);
}

int siphb_stun_encode_software(siphb_stun_encoder *enc, siphb_str software) {
  return siphb_stun_encode_attr(enc, SIPHB_STUN_ATTR_SOFTWARE, software.ptr, software.len);
}

int siphb_stun_encode_alternate_domain(siphb_stun_encoder *enc, siphb_str domain) {
  return siphb_stun_encode_attr(enc, SIPHB_STUN_ATTR_ALTERNATE_DOMAIN, domain.ptr, domain.len);
}

int siphb_stun_encode_userhash(siphb_stun_encoder *enc,
                               const uint8_t hash[SIPHB_STUN_USERHASH_SIZE]) {
  if (!hash) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "hash is NULL");
  return siphb_stun_encode_attr(enc, SIPHB_STUN_ATTR_USERHASH, hash, SIPHB_STUN_USERHASH_SIZE);
}

int siphb_stun_encode_error_code(siphb_stun_encoder *enc, unsigned code, siphb_str reason) {
  uint8_t *v;
  if (code < 300 || code > 699 || (!reason.ptr && reason.len))
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "code not 300 .. 699, or reason NULL");
  if (reason.len == 0) {
    reason.ptr = siphb_stun_reason(code);
    reason.len = strlen(reason.ptr);
  }
  if (reason.len > MAX_VALUE - 4)
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "reason over 65531 bytes");
  int rc = reserve(enc, 4 + reason.len, &v);
  if (rc < 0) return rc;
  /* RFC 8489 section 14.8: 21 reserved bits, class (3 bits), number. */
  v[0] = 0;
  v[1] = 0;
  v[2] = (uint8_t)(code / 100);
  v[3] = (uint8_t)(code % 100);
  if (reason.len) memcpy(v + 4, reason.ptr, reason.len);
  commit(enc, SIPHB_STUN_ATTR_ERROR_CODE, 4 + reason.len);
  return 0;
}

int siphb_stun_encode_unknown_attributes(siphb_stun_encoder *enc, const uint16_t *types, size_t n) {
  uint8_t *v;
  if ((!types && n) || n > MAX_VALUE / 2)
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "types NULL, or too many");
  int rc = reserve(enc, 2 * n, &v);
  if (rc < 0) return rc;
  for (size_t i = 0; i < n; i++) siphb_put_be16(v + 2 * i, types[i]);
  commit(enc, SIPHB_STUN_ATTR_UNKNOWN_ATTRIBUTES, 2 * n);
  return 0;
}

/* Bytes of n PASSWORD-ALGORITHMS entries, each padded (RFC 8489 section
 * 14.11); 0 for a NULL list or a parameter with a NULL pointer, above
 * MAX_VALUE if too long. */
static size_t algs_size(const siphb_stun_password_alg *algs, size_t n) {
  size_t total = 0;
  if (!algs) return 0;
  for (size_t i = 0; i < n; i++) {
    if ((!algs[i].params.ptr && algs[i].params.len) || algs[i].params.len > MAX_VALUE) return 0;
    total += 4 + siphb_stun_pad4(algs[i].params.len);
    if (total > MAX_VALUE) break;
  }
  return total;
}

static int put_algs(siphb_stun_encoder *enc, uint16_t type, const siphb_stun_password_alg *algs,
                    size_t n) {
  uint8_t *v;
  size_t size = algs_size(algs, n);
  if ((n && size == 0) || n > MAX_VALUE / 4)
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "algorithms: too many, or too long");
  int rc = reserve(enc, size, &v);
  if (rc < 0) return rc;
  for (size_t i = 0; i < n; i++) {
    size_t plen = algs[i].params.len, padded = siphb_stun_pad4(plen);
    siphb_put_be16(v, algs[i].alg);
    siphb_put_be16(v + 2, (unsigned)plen);
    if (plen) memcpy(v + 4, algs[i].params.ptr, plen);
    memset(v + 4 + plen, enc->pad, padded - plen);
    v += 4 + padded;
  }
  commit(enc, type, size);
  return 0;
}

int siphb_stun_encode_password_algorithm(siphb_stun_encoder *enc,
                                         const siphb_stun_password_alg *alg) {
  if (!alg) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "alg is NULL");
  return put_algs(enc, SIPHB_STUN_ATTR_PASSWORD_ALGORITHM, alg, 1);
}

int siphb_stun_encode_password_algorithms(siphb_stun_encoder *enc,
                                          const siphb_stun_password_alg *algs, size_t n) {
  return put_algs(enc, SIPHB_STUN_ATTR_PASSWORD_ALGORITHMS, algs, n);
}

/* ---- the closing attributes ----------------------------------------------- */

/* FINGERPRINT at buf + at, its CRC over the at bytes before it. RFC 8489
 * section 14.7: those include the header with the final Length, which
 * counts FINGERPRINT itself, so the caller sets the Length first. */
static void put_fingerprint(uint8_t *buf, size_t at) {
  siphb_put_be16(buf + at, SIPHB_STUN_ATTR_FINGERPRINT);
  siphb_put_be16(buf + at + 2, 4);
  siphb_put_be32(buf + at + 4, siphb_stun_crc(buf, at));
}

static void put_integrity(siphb_stun_encoder *enc, const siphb_stun_key *key, uint16_t type,
                          size_t vlen) {
  uint8_t mac[32];
  /* The MAC sees the Length as it will be with this attribute counted
   * (RFC 8489 sections 14.5, 14.6); commit() then writes exactly that. */
  siphb_stun_mac(key, type, enc->buf_, enc->len, vlen, mac);
  memcpy(enc->buf_ + enc->len + 4, mac, vlen);
  commit(enc, type, vlen); /* the MAC is no secret: it goes on the wire */
}

siphb_ssize siphb_stun_encode_finish(siphb_stun_encoder *enc, const siphb_stun_key *key,
                                     unsigned flags) {
  const unsigned all =
      SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_INTEGRITY_SHA256 | SIPHB_STUN_WITH_FINGERPRINT;
  if (!enc || enc->state_ != ENC_OPEN) return not_open(enc);
  if (flags & ~all) return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "flags: unknown bits");
  bool mi = flags & SIPHB_STUN_WITH_INTEGRITY, mi256 = flags & SIPHB_STUN_WITH_INTEGRITY_SHA256;
  bool fp = flags & SIPHB_STUN_WITH_FINGERPRINT;
  if ((mi || mi256) && !siphb_stun_key_ready(key))
    return fail(enc, SIPHB_ERR_INVALID_ARGUMENT, 0, "integrity asked, key not prepared");
  int rc = room(enc, (mi ? 24u : 0u) + (mi256 ? 36u : 0u) + (fp ? 8u : 0u));
  if (rc < 0) return rc;
  if (mi) put_integrity(enc, key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY, 20);
  if (mi256) put_integrity(enc, key, SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256, 32);
  if (fp) {
    size_t at = enc->len;
    enc->len += 8;
    set_length(enc);
    put_fingerprint(enc->buf_, at);
  }
  enc->state_ = ENC_DONE;
  return (siphb_ssize)enc->len;
}

/* The keepalive path: no encoder, one CRC over 20 bytes at most. */
siphb_ssize siphb_stun_encode_binding(uint8_t *buf, size_t cap, const uint8_t *txid, unsigned flags,
                                      siphb_error_info *err) {
  siphb_error_clear(err);
  if (!buf || !txid) return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "buf or txid NULL");
  if (flags & ~(unsigned)SIPHB_STUN_WITH_FINGERPRINT)
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "flags: only FINGERPRINT");
  bool fp = flags != 0;
  size_t n = fp ? 28 : 20;
  if (cap < n) return siphb_fail(err, SIPHB_ERR_NOBUF, 0, n, "buffer too small for the request");
  siphb_put_be16(buf, siphb_stun_type(SIPHB_STUN_BINDING, SIPHB_STUN_REQUEST));
  siphb_put_be16(buf + 2, fp ? 8u : 0u);
  siphb_put_be32(buf + 4, SIPHB_STUN_MAGIC_COOKIE);
  memcpy(buf + 8, txid, SIPHB_STUN_TXID_SIZE);
  if (fp) put_fingerprint(buf, SIPHB_STUN_HEADER_SIZE);
  return (siphb_ssize)n;
}
