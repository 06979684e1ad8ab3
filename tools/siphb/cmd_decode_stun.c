/*
 * cmd_decode_stun.c - `siphb decode --stun`: one STUN message (binary, or
 * hex text such as the RFC 5769 vectors in tests/data/stun/) printed as
 * JSON, with the FINGERPRINT checked and, given credentials, the message
 * integrity. The shape of the output is described in tools/README.md; keep
 * the two in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/stun.h>

#include "addr.h"
#include "json.h"
#include "tool.h"

/* RFC 5780 address attributes (coturn sends RESPONSE-ORIGIN in every
 * Binding response, OTHER-ADDRESS when it has a second address). siphb's
 * codec does not name them, but decodes them with
 * siphb_stun_decode_address(), as it does the RFC 3489 ones. */
#define ATTR_RESPONSE_ORIGIN 0x802Bu
#define ATTR_OTHER_ADDRESS 0x802Cu
#define ATTR_RESPONSE_ADDRESS 0x0002u /* RFC 3489 */
#define ATTR_SOURCE_ADDRESS 0x0004u
#define ATTR_CHANGED_ADDRESS 0x0005u
#define ATTR_REFLECTED_FROM 0x000Bu

/* ---- hex input ------------------------------------------------------------- */

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* true when data holds only hex digits and white space, at least one digit.
 * A binary RFC 5389 message never is: its magic cookie holds 0x12 and 0xA4. */
static bool looks_like_hex(const unsigned char *data, size_t len) {
  bool digit = false;
  for (size_t i = 0; i < len; i++) {
    if (hex_value(data[i]) >= 0)
      digit = true;
    else if (!is_space(data[i]))
      return false;
  }
  return digit;
}

/* Decodes the hex text in place (the bytes are never longer than the
 * text). Returns the byte count, or -1 after reporting an odd digit. */
static long unhex(unsigned char *data, size_t len) {
  size_t n = 0, first = 0;
  int hi = -1;
  for (size_t i = 0; i < len; i++) {
    int v = hex_value(data[i]);
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
      first = i;
    } else {
      data[n++] = (unsigned char)(hi << 4 | v);
      hi = -1;
    }
  }
  if (hi >= 0) {
    siphb_error_info err = {SIPHB_ERR_PARSE, first, 0, "odd number of hex digits", {0, 0}};
    tool_parse_error(&err, 0);
    return -1;
  }
  return (long)n;
}

/* The first cap bytes the hex text decodes to (fewer when it is shorter;
 * an unpaired last digit is left out). Returns how many. */
static size_t unhex_prefix(const unsigned char *text, size_t len, uint8_t *out, size_t cap) {
  size_t n = 0;
  int hi = -1;
  for (size_t i = 0; i < len && n < cap; i++) {
    int v = hex_value(text[i]);
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out[n++] = (uint8_t)(hi << 4 | v);
      hi = -1;
    }
  }
  return n;
}

/* The first 8 bytes of an RFC 5389 message: the type's first two bits 0
 * and the magic cookie in bytes 4-7 (RFC 8489 section 5). A SIP message
 * starts with a letter (bits 01), and RFC 3489 messages, which have no
 * cookie, are not recognised. */
static bool stun_start(const uint8_t *b, size_t n) {
  return n >= 8 && (b[0] & 0xC0) == 0 && b[4] == 0x21 && b[5] == 0x12 && b[6] == 0xA4 &&
         b[7] == 0x42;
}

bool looks_like_stun(const unsigned char *data, size_t len) {
  uint8_t head[8];
  if (looks_like_hex(data, len)) return stun_start(head, unhex_prefix(data, len, head, 8));
  return stun_start(data, len);
}

/* ---- attribute values -------------------------------------------------------- */

static void put_hex(json_writer *w, const char *key, const void *p, size_t n) {
  json_key(w, key);
  json_hex(w, (const uint8_t *)p, n);
}

/* "0x8022"; key NULL inside an array. */
static void put_type(json_writer *w, const char *key, uint16_t type) {
  char buf[8];
  snprintf(buf, sizeof buf, "0x%04x", (unsigned)type);
  if (key) json_key(w, key);
  json_cstring(w, buf);
}

/* A text value; when it is not UTF-8 (so the JSON string holds U+FFFD for
 * some bytes) the bytes follow as "raw" hex. */
static void put_text(json_writer *w, siphb_str s) {
  json_key(w, "value");
  json_string(w, s.ptr, s.len);
  if (!json_utf8_valid(s.ptr, s.len)) put_hex(w, "raw", s.ptr, s.len);
}

static void write_alg(json_writer *w, const siphb_stun_password_alg *a) {
  json_begin_object(w);
  json_key(w, "algorithm");
  json_uint(w, a->alg);
  if (a->alg == SIPHB_STUN_PASSWORD_MD5 || a->alg == SIPHB_STUN_PASSWORD_SHA256) {
    json_key(w, "name");
    json_cstring(w, a->alg == SIPHB_STUN_PASSWORD_MD5 ? "MD5" : "SHA-256");
  }
  put_hex(w, "parameters", a->params.ptr, a->params.len);
  json_end_object(w);
}

/* The decoded "value" of attributes the codec has an accessor for; false
 * (nothing written) for any other type. */
static bool write_value(json_writer *w, const siphb_stun_msg *m, const siphb_stun_attr *a) {
  siphb_mapped_addr addr;
  siphb_str s;
  int rc;
  switch (a->type) {
  case SIPHB_STUN_ATTR_MAPPED_ADDRESS:
  case SIPHB_STUN_ATTR_ALTERNATE_SERVER:
  case ATTR_RESPONSE_ORIGIN:
  case ATTR_OTHER_ADDRESS:
  case ATTR_RESPONSE_ADDRESS:
  case ATTR_SOURCE_ADDRESS:
  case ATTR_CHANGED_ADDRESS:
  case ATTR_REFLECTED_FROM:
  case SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS:
    rc = siphb_stun_decode_address(m, a, a->type == SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS, &addr);
    if (rc < 0) return false; /* one the decoder does not check may be unfit */
    json_key(w, "value");
    json_addr(w, &addr);
    return true;
  case SIPHB_STUN_ATTR_USERNAME:
  case SIPHB_STUN_ATTR_REALM:
  case SIPHB_STUN_ATTR_NONCE:
  case SIPHB_STUN_ATTR_SOFTWARE:
  case SIPHB_STUN_ATTR_ALTERNATE_DOMAIN:
    rc = a->type == SIPHB_STUN_ATTR_USERNAME   ? siphb_stun_username(m, &s)
         : a->type == SIPHB_STUN_ATTR_REALM    ? siphb_stun_realm(m, &s)
         : a->type == SIPHB_STUN_ATTR_NONCE    ? siphb_stun_nonce(m, &s)
         : a->type == SIPHB_STUN_ATTR_SOFTWARE ? siphb_stun_software(m, &s)
                                               : siphb_stun_alternate_domain(m, &s);
    if (rc < 0) return false;
    put_text(w, s);
    return true;
  case SIPHB_STUN_ATTR_USERHASH:
  case SIPHB_STUN_ATTR_MESSAGE_INTEGRITY:
  case SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
    rc = a->type == SIPHB_STUN_ATTR_USERHASH ? siphb_stun_userhash(m, &s)
         : a->type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY
             ? siphb_stun_message_integrity(m, &s)
             : siphb_stun_message_integrity_sha256(m, &s);
    if (rc < 0) return false;
    put_hex(w, "value", s.ptr, s.len);
    return true;
  case SIPHB_STUN_ATTR_FINGERPRINT: {
    uint32_t v;
    uint8_t be[4];
    if (siphb_stun_fingerprint(m, &v) < 0) return false;
    be[0] = (uint8_t)(v >> 24);
    be[1] = (uint8_t)(v >> 16);
    be[2] = (uint8_t)(v >> 8);
    be[3] = (uint8_t)v;
    put_hex(w, "value", be, 4);
    return true;
  }
  case SIPHB_STUN_ATTR_ERROR_CODE: {
    siphb_stun_error_value e;
    if (siphb_stun_error_code(m, &e) < 0) return false;
    json_key(w, "value");
    json_begin_object(w);
    json_key(w, "code");
    json_uint(w, e.code);
    json_key(w, "reason");
    json_string(w, e.reason.ptr, e.reason.len);
    json_end_object(w);
    return true;
  }
  case SIPHB_STUN_ATTR_UNKNOWN_ATTRIBUTES: {
    uint16_t types[32767]; /* the most a 16-bit length can hold */
    siphb_ssize n = siphb_stun_unknown_attributes(m, types, sizeof types / sizeof types[0]);
    if (n < 0) return false;
    json_key(w, "value");
    json_begin_array(w);
    for (siphb_ssize i = 0; i < n; i++) put_type(w, NULL, types[i]);
    json_end_array(w);
    return true;
  }
  case SIPHB_STUN_ATTR_PASSWORD_ALGORITHM: {
    siphb_stun_password_alg alg;
    if (siphb_stun_password_algorithm(m, &alg) < 0) return false;
    json_key(w, "value");
    write_alg(w, &alg);
    return true;
  }
  case SIPHB_STUN_ATTR_PASSWORD_ALGORITHMS: {
    siphb_stun_password_alg algs[64];
    siphb_ssize n = siphb_stun_password_algorithms(m, algs, sizeof algs / sizeof algs[0]);
    if (n < 0 || (size_t)n > sizeof algs / sizeof algs[0]) return false;
    json_key(w, "value");
    json_begin_array(w);
    for (siphb_ssize i = 0; i < n; i++) write_alg(w, &algs[i]);
    json_end_array(w);
    return true;
  }
  default: return false;
  }
}

/* The accessors read the first occurrence of a type that is not ignored;
 * is this attribute that one? */
static bool is_first(const siphb_stun_msg *m, const siphb_stun_attr *a) {
  siphb_stun_attr first;
  return !a->ignored && siphb_stun_get(m, a->type, &first) == 0 && first.offset == a->offset;
}

static const char *attr_name(uint16_t type) {
  if (type == ATTR_RESPONSE_ORIGIN) return "RESPONSE-ORIGIN";
  if (type == ATTR_OTHER_ADDRESS) return "OTHER-ADDRESS";
  return siphb_stun_attr_name(type);
}

static void write_attr(json_writer *w, const siphb_stun_msg *m, const siphb_stun_attr *a) {
  const char *name = attr_name(a->type);
  json_begin_object(w);
  put_type(w, "type", a->type);
  if (name[0]) {
    json_key(w, "name");
    json_cstring(w, name);
  }
  json_key(w, "offset");
  json_uint(w, a->offset);
  json_key(w, "length");
  json_uint(w, a->len);
  json_key(w, "ignored");
  json_bool(w, a->ignored);
  if (!is_first(m, a) || !write_value(w, m, a)) put_hex(w, "raw", a->value, a->len);
  json_end_object(w);
}

/* ---- the message ------------------------------------------------------------- */

static void write_header(json_writer *w, const siphb_stun_msg *m) {
  char cls[16];
  const char *c = siphb_stun_class_name(m->cls);
  size_t i = 0;
  for (; c[i] && i + 1 < sizeof cls; i++)
    cls[i] = (char)(c[i] >= 'A' && c[i] <= 'Z' ? c[i] + 32 : c[i]);
  cls[i] = '\0';
  json_key(w, "header");
  json_begin_object(w);
  put_type(w, "type", m->type);
  json_key(w, "method");
  json_uint(w, m->method);
  if (m->method == SIPHB_STUN_BINDING) {
    json_key(w, "method_name");
    json_cstring(w, "Binding");
  }
  json_key(w, "class");
  json_cstring(w, cls);
  json_key(w, "length");
  json_uint(w, m->length - SIPHB_STUN_HEADER_SIZE);
  json_key(w, "magic_cookie");
  json_cstring(w, m->classic ? "classic" : "ok");
  put_hex(w, "transaction_id", m->txid, m->txid_len);
  json_end_object(w);
}

/* The key --user/--password/--realm describe: its name in *what. */
static int prepare_key(const siphb_stun_msg *m, const stun_credentials *c, siphb_stun_key *key,
                       const char **what) {
  siphb_str pw = {c->password, strlen(c->password)};
  if (!c->realm) {
    *what = "short-term";
    return siphb_stun_key_init(key, (const uint8_t *)pw.ptr, pw.len);
  }
  siphb_str user = {c->user, strlen(c->user)}, realm = {c->realm, strlen(c->realm)};
  siphb_stun_password_alg alg;
  uint16_t a = SIPHB_STUN_PASSWORD_MD5;
  /* RFC 8489 section 9.2.2: the algorithm is PASSWORD-ALGORITHM's; MD5
   * when the message carries none. */
  if (siphb_stun_password_algorithm(m, &alg) == 0 && alg.alg == SIPHB_STUN_PASSWORD_SHA256)
    a = SIPHB_STUN_PASSWORD_SHA256;
  *what = a == SIPHB_STUN_PASSWORD_SHA256 ? "long-term SHA-256" : "long-term MD5";
  return siphb_stun_key_long_term(key, a, user, realm, pw);
}

int decode_stun(const unsigned char *input, size_t len, const stun_credentials *cred,
                bool compact) {
  /* The hex text is decoded into a copy: the input stays as read. */
  unsigned char *data = malloc(len ? len : 1);
  if (!data) {
    fputs("siphb: decode: out of memory\n", stderr);
    return TOOL_EXIT_USAGE;
  }
  memcpy(data, input, len);
  if (looks_like_hex(data, len)) {
    long n = unhex(data, len);
    if (n < 0) {
      free(data);
      return TOOL_EXIT_BAD_INPUT;
    }
    len = (size_t)n;
  }

  siphb_stun_msg m;
  siphb_error_info err;
  if (siphb_stun_parse(&m, data, len, NULL, &err) < 0) {
    tool_parse_error(&err, 0);
    free(data);
    return TOOL_EXIT_BAD_INPUT;
  }

  int fp = m.fingerprint_offset ? siphb_stun_check_fingerprint(&m) : SIPHB_ERR_NOT_FOUND;
  int integ = SIPHB_ERR_NOT_FOUND;
  const char *key_name = NULL;
  bool has_integrity = m.integrity_offset || m.integrity_sha256_offset;
  if (cred->password) {
    siphb_stun_key key;
    integ = prepare_key(&m, cred, &key, &key_name);
    if (integ == 0 && has_integrity) integ = siphb_stun_check_integrity(&m, &key);
    siphb_stun_key_wipe(&key);
  }

  json_writer w;
  siphb_stun_iter it;
  siphb_stun_attr a;
  json_init(&w, stdout, !compact);
  json_begin_object(&w);
  write_header(&w, &m);
  json_key(&w, "attributes");
  json_begin_array(&w);
  siphb_stun_iter_init(&it, &m);
  while (siphb_stun_next_attr(&it, &a)) write_attr(&w, &m, &a);
  json_end_array(&w);
  json_key(&w, "unknown_required");
  json_begin_array(&w);
  for (size_t i = 0; i < m.unknown_count; i++) put_type(&w, NULL, m.unknown[i]);
  json_end_array(&w);
  if (m.unknown_total > m.unknown_count) {
    json_key(&w, "unknown_required_total");
    json_uint(&w, m.unknown_total);
  }
  json_key(&w, "padding_nonzero");
  json_bool(&w, m.padding_nonzero);
  if (m.fingerprint_offset) {
    json_key(&w, "fingerprint_ok");
    json_bool(&w, fp == 0);
  }
  if (cred->password) {
    json_key(&w, "integrity_key");
    json_cstring(&w, key_name);
    if (has_integrity) {
      json_key(&w, "integrity_ok");
      json_bool(&w, integ == 0);
    }
  }
  json_end_object(&w);
  int rc = tool_json_finish(&w, "decode");

  /* Failed checks: the JSON above says which, stderr says where. */
  int status = TOOL_EXIT_OK;
  if (m.fingerprint_offset && fp != 0) {
    siphb_error_info e = {fp, m.fingerprint_offset, 0, "FINGERPRINT does not match the message", {0, 0}};
    tool_parse_error(&e, 0);
    status = TOOL_EXIT_BAD_INPUT;
  }
  if (cred->password && has_integrity && integ != 0) {
    size_t at = m.integrity_sha256_offset ? m.integrity_sha256_offset : m.integrity_offset;
    siphb_error_info e = {integ, at, 0, "message integrity does not match the key", {0, 0}};
    tool_parse_error(&e, 0);
    status = TOOL_EXIT_BAD_INPUT;
  }
  free(data);
  return rc != TOOL_EXIT_OK ? rc : status;
}
