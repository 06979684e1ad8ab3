/*
 * stun_attr.c - STUN attribute values: which types siphb knows, the checks
 * the decoder applies to the first occurrence of each, the address codec,
 * and the typed accessors (RFC 8489 section 14, RFC 5389 section 15).
 */
#include <siphb/stun.h>

#include <string.h>

#include "stun/stun_int.h"

/* ---- names ---------------------------------------------------------------- */

uint16_t siphb_stun_type(uint16_t method, siphb_stun_class cls) {
  unsigned m = method & 0x0FFFu, c = (unsigned)cls & 3u;
  /* RFC 5389 section 6: M11..M7 C1 M6..M4 C0 M3..M0. */
  return (uint16_t)((m & 0x000Fu) | ((m & 0x0070u) << 1) | ((m & 0x0F80u) << 2) | ((c & 1u) << 4) |
                    ((c & 2u) << 7));
}

const char *siphb_stun_class_name(siphb_stun_class cls) {
  switch (cls) {
  case SIPHB_STUN_REQUEST:
    return "REQUEST";
  case SIPHB_STUN_INDICATION:
    return "INDICATION";
  case SIPHB_STUN_SUCCESS:
    return "SUCCESS";
  case SIPHB_STUN_ERROR:
    return "ERROR";
  }
  return "";
}

static const struct {
  uint16_t type;
  const char *name;
} attr_names[] = {
    {0x0001, "MAPPED-ADDRESS"},
    {0x0002, "RESPONSE-ADDRESS"}, /* RFC 3489; reserved since RFC 5389 */
    {0x0003, "CHANGE-REQUEST"},   /* RFC 3489, RFC 5780 */
    {0x0004, "SOURCE-ADDRESS"},   /* RFC 3489 */
    {0x0005, "CHANGED-ADDRESS"},  /* RFC 3489 */
    {0x0006, "USERNAME"},
    {0x0007, "PASSWORD"}, /* RFC 3489 */
    {0x0008, "MESSAGE-INTEGRITY"},
    {0x0009, "ERROR-CODE"},
    {0x000A, "UNKNOWN-ATTRIBUTES"},
    {0x000B, "REFLECTED-FROM"}, /* RFC 3489 */
    {0x0014, "REALM"},
    {0x0015, "NONCE"},
    {0x001C, "MESSAGE-INTEGRITY-SHA256"},
    {0x001D, "PASSWORD-ALGORITHM"},
    {0x001E, "USERHASH"},
    {0x0020, "XOR-MAPPED-ADDRESS"},
    {0x0024, "PRIORITY"},      /* ICE, RFC 8445 */
    {0x0025, "USE-CANDIDATE"}, /* ICE */
    {0x8002, "PASSWORD-ALGORITHMS"},
    {0x8003, "ALTERNATE-DOMAIN"},
    {0x8022, "SOFTWARE"},
    {0x8023, "ALTERNATE-SERVER"},
    {0x8028, "FINGERPRINT"},
    {0x8029, "ICE-CONTROLLED"},  /* ICE */
    {0x802A, "ICE-CONTROLLING"}, /* ICE */
};

const char *siphb_stun_attr_name(uint16_t type) {
  for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
    if (attr_names[i].type == type) return attr_names[i].name;
  return "";
}

const char *siphb_stun_reason(unsigned code) {
  switch (code) { /* RFC 8489 section 14.8 */
  case 300:
    return "Try Alternate";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthenticated";
  case 420:
    return "Unknown Attribute";
  case 438:
    return "Stale Nonce";
  case 500:
    return "Server Error";
  default:
    return "";
  }
}

bool siphb_stun_classic_attr(uint16_t type) {
  return (type >= 0x0002 && type <= 0x0005) || type == 0x0007 || type == 0x000B;
}

/* ---- value checks --------------------------------------------------------- */

static int fault(siphb_stun_fault *f, int code, size_t at, const char *why) {
  if (f) {
    f->code = code;
    f->at = at;
    f->why = why;
  }
  return code;
}

int siphb_stun_addr_decode(const uint8_t *msg, size_t off, size_t len, bool xored,
                           siphb_mapped_addr *out, siphb_stun_fault *f) {
  const uint8_t *v = msg + off + 4;
  /* RFC 8489 section 14.1: 8 bits reserved, family, port, 32 or 128 bits. */
  if (len < 4) return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "address shorter than 4 bytes");
  size_t alen = v[1] == 1 ? 4 : v[1] == 2 ? 16 : 0;
  if (!alen)
    return fault(f, SIPHB_ERR_STUN_ADDRESS_FAMILY, off + 5, "address family neither 1 nor 2");
  if (len != 4 + alen)
    return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "address length does not match its family");
  if (!out) return 0; /* only checked */
  memset(out, 0, sizeof *out);
  out->family = v[1];
  /* RFC 8489 section 14.2: X-Port ^ the cookie's top 16 bits, X-Address ^
   * the cookie (IPv4) or the cookie and transaction id (IPv6): msg[4..20). */
  unsigned port = siphb_be16(v + 2);
  if (xored) port ^= siphb_be16(msg + 4);
  out->port = (uint16_t)port;
  /* Two loops of constant length: they vectorise, and gcc 12 at -O3 does
   * not see a possible overflow of addr[16] in them as it does in one loop
   * bounded by alen (a false -Wstringop-overflow). */
  uint8_t key[16] = {0};
  if (xored) memcpy(key, msg + 4, sizeof key);
  if (alen == 4)
    for (size_t i = 0; i < 4; i++) out->addr[i] = (uint8_t)(v[4 + i] ^ key[i]);
  else
    for (size_t i = 0; i < 16; i++) out->addr[i] = (uint8_t)(v[4 + i] ^ key[i]);
  return 0;
}

size_t siphb_stun_addr_encode(const uint8_t *msg, const siphb_mapped_addr *a, bool xored,
                              uint8_t *out) {
  size_t alen = a->family == 1 ? 4 : a->family == 2 ? 16 : 0;
  if (!alen) return 0;
  out[0] = 0;
  out[1] = a->family;
  siphb_put_be16(out + 2, xored ? (unsigned)a->port ^ siphb_be16(msg + 4) : a->port);
  for (size_t i = 0; i < alen; i++) out[4 + i] = (uint8_t)(a->addr[i] ^ (xored ? msg[4 + i] : 0u));
  return 4 + alen;
}

/* Walks the entries of PASSWORD-ALGORITHMS (RFC 8489 section 14.11:
 * algorithm, parameters length, parameters padded to 4 bytes), filling up
 * to max of them. Returns the count, or -1 if an entry does not fit. */
static siphb_ssize alg_walk(const uint8_t *v, size_t len, siphb_stun_password_alg *out,
                            size_t max) {
  siphb_ssize n = 0;
  size_t pos = 0;
  while (pos < len) {
    if (len - pos < 4) return -1;
    size_t plen = siphb_be16(v + pos + 2);
    if (plen > len - pos - 4) return -1;
    if ((size_t)n < max) {
      memset(&out[n], 0, sizeof out[n]);
      out[n].alg = siphb_be16(v + pos);
      out[n].params.ptr = (const char *)(v + pos + 4);
      out[n].params.len = plen;
    }
    n++;
    pos += 4 + siphb_stun_pad4(plen); /* the last entry's pad may be the attribute's */
  }
  return n;
}

int siphb_stun_check_value(const uint8_t *msg, size_t off, siphb_stun_known slot,
                           siphb_stun_fault *f) {
  size_t len = siphb_be16(msg + off + 2);
  const uint8_t *v = msg + off + 4;
  switch (slot) {
  case STUN_K_MAPPED_ADDRESS:
  case STUN_K_XOR_MAPPED_ADDRESS:
  case STUN_K_ALTERNATE_SERVER:
    return siphb_stun_addr_decode(msg, off, len, false, NULL, f);
  case STUN_K_MESSAGE_INTEGRITY:
    if (len != 20) return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "MESSAGE-INTEGRITY not 20 bytes");
    return 0;
  case STUN_K_MESSAGE_INTEGRITY_SHA256: /* RFC 8489 section 14.6 */
    if (len < 16 || len > 32 || len % 4)
      return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off,
                   "MESSAGE-INTEGRITY-SHA256 not 16-32 bytes in steps of 4");
    return 0;
  case STUN_K_FINGERPRINT:
    if (len != 4) return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "FINGERPRINT not 4 bytes");
    return 0;
  case STUN_K_USERHASH:
    if (len != SIPHB_STUN_USERHASH_SIZE)
      return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "USERHASH not 32 bytes");
    return 0;
  case STUN_K_ERROR_CODE: /* RFC 8489 section 14.8: class 3-6, number 0-99 */
    if (len < 4) return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "ERROR-CODE shorter than 4 bytes");
    if ((v[2] & 7u) < 3 || (v[2] & 7u) > 6)
      return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off + 6, "ERROR-CODE class not 3-6");
    if (v[3] > 99) return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off + 7, "ERROR-CODE number above 99");
    return 0;
  case STUN_K_UNKNOWN_ATTRIBUTES:
    if (len % 2)
      return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "UNKNOWN-ATTRIBUTES of an odd length");
    return 0;
  case STUN_K_PASSWORD_ALGORITHM:
    if (len < 4 || siphb_be16(v + 2) > len - 4)
      return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "PASSWORD-ALGORITHM parameters do not fit");
    return 0;
  case STUN_K_PASSWORD_ALGORITHMS:
    if (alg_walk(v, len, NULL, 0) < 0)
      return fault(f, SIPHB_ERR_STUN_ATTRIBUTE, off, "PASSWORD-ALGORITHMS entry does not fit");
    return 0;
  default: /* USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN: any bytes */
    return 0;
  }
}

/* ---- typed accessors ------------------------------------------------------ */

/* The value of the indexed first occurrence. */
static int first(const siphb_stun_msg *msg, siphb_stun_known slot, const uint8_t **v, size_t *len) {
  if (!msg || !msg->data) return SIPHB_ERR_INVALID_ARGUMENT;
  size_t off = msg->index_[slot];
  if (!off) return SIPHB_ERR_NOT_FOUND;
  *v = msg->data + off + 4;
  *len = siphb_be16(msg->data + off + 2);
  return 0;
}

static int get_addr(const siphb_stun_msg *msg, siphb_stun_known slot, bool xored,
                    siphb_mapped_addr *out) {
  if (!out) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *v;
  size_t len;
  int rc = first(msg, slot, &v, &len);
  if (rc < 0) return rc;
  return siphb_stun_addr_decode(msg->data, msg->index_[slot], len, xored, out, NULL);
}

static int get_str(const siphb_stun_msg *msg, siphb_stun_known slot, siphb_str *out) {
  if (!out) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *v;
  size_t len;
  int rc = first(msg, slot, &v, &len);
  if (rc < 0) return rc;
  out->ptr = (const char *)v;
  out->len = len;
  return 0;
}

int siphb_stun_xor_mapped_address(const siphb_stun_msg *msg, siphb_mapped_addr *out) {
  return get_addr(msg, STUN_K_XOR_MAPPED_ADDRESS, true, out);
}

int siphb_stun_mapped_address(const siphb_stun_msg *msg, siphb_mapped_addr *out) {
  return get_addr(msg, STUN_K_MAPPED_ADDRESS, false, out);
}

int siphb_stun_mapped(const siphb_stun_msg *msg, siphb_mapped_addr *out) {
  int rc = siphb_stun_xor_mapped_address(msg, out);
  return rc == SIPHB_ERR_NOT_FOUND ? siphb_stun_mapped_address(msg, out) : rc;
}

int siphb_stun_alternate_server(const siphb_stun_msg *msg, siphb_mapped_addr *out) {
  return get_addr(msg, STUN_K_ALTERNATE_SERVER, false, out);
}

int siphb_stun_decode_address(const siphb_stun_msg *msg, const siphb_stun_attr *attr, bool xored,
                              siphb_mapped_addr *out) {
  if (!msg || !msg->data || !attr || !out || attr->offset < SIPHB_STUN_HEADER_SIZE ||
      attr->offset > msg->length || msg->length - attr->offset < 4u + attr->len)
    return SIPHB_ERR_INVALID_ARGUMENT;
  return siphb_stun_addr_decode(msg->data, attr->offset, attr->len, xored, out, NULL);
}

int siphb_stun_username(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_USERNAME, out);
}

int siphb_stun_realm(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_REALM, out);
}

int siphb_stun_nonce(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_NONCE, out);
}

int siphb_stun_software(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_SOFTWARE, out);
}

int siphb_stun_alternate_domain(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_ALTERNATE_DOMAIN, out);
}

int siphb_stun_userhash(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_USERHASH, out);
}

int siphb_stun_message_integrity(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_MESSAGE_INTEGRITY, out);
}

int siphb_stun_message_integrity_sha256(const siphb_stun_msg *msg, siphb_str *out) {
  return get_str(msg, STUN_K_MESSAGE_INTEGRITY_SHA256, out);
}

int siphb_stun_fingerprint(const siphb_stun_msg *msg, uint32_t *out) {
  siphb_str s;
  if (!out) return SIPHB_ERR_INVALID_ARGUMENT;
  int rc = get_str(msg, STUN_K_FINGERPRINT, &s);
  if (rc == 0) *out = siphb_be32((const uint8_t *)s.ptr);
  return rc;
}

int siphb_stun_error_code(const siphb_stun_msg *msg, siphb_stun_error_value *out) {
  if (!out) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *v;
  size_t len;
  int rc = first(msg, STUN_K_ERROR_CODE, &v, &len);
  if (rc < 0) return rc;
  memset(out, 0, sizeof *out);
  out->code = (uint16_t)((v[2] & 7u) * 100u + v[3]);
  out->reason.ptr = (const char *)(v + 4);
  out->reason.len = len - 4;
  return 0;
}

siphb_ssize siphb_stun_unknown_attributes(const siphb_stun_msg *msg, uint16_t *out, size_t max) {
  if (!out && max) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *v;
  size_t len;
  int rc = first(msg, STUN_K_UNKNOWN_ATTRIBUTES, &v, &len);
  if (rc < 0) return rc;
  size_t n = len / 2;
  for (size_t i = 0; i < n && i < max; i++) out[i] = siphb_be16(v + 2 * i);
  return (siphb_ssize)n;
}

int siphb_stun_password_algorithm(const siphb_stun_msg *msg, siphb_stun_password_alg *out) {
  if (!out) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *v;
  size_t len;
  int rc = first(msg, STUN_K_PASSWORD_ALGORITHM, &v, &len);
  if (rc < 0) return rc;
  return alg_walk(v, 4u + siphb_be16(v + 2), out, 1) == 1 ? 0 : SIPHB_ERR_STUN_ATTRIBUTE;
}

siphb_ssize siphb_stun_password_algorithms(const siphb_stun_msg *msg, siphb_stun_password_alg *out,
                                           size_t max) {
  if (!out && max) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *v;
  size_t len;
  int rc = first(msg, STUN_K_PASSWORD_ALGORITHMS, &v, &len);
  if (rc < 0) return rc;
  siphb_ssize n = alg_walk(v, len, out, max);
  return n < 0 ? SIPHB_ERR_STUN_ATTRIBUTE : n;
}
