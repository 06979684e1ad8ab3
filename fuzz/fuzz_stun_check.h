/*
 * fuzz_stun_check.h - what the two STUN harnesses share: the checks of a
 * siphb_stun_parse() outcome against an independent walk of the bytes.
 *
 * A successful parse is held against what the harness itself reads from
 * the TLVs: the attribute count, the ignored ones (RFC 8489 sections
 * 14.5-14.7), the integrity and fingerprint offsets, the pad bytes, the
 * unknown comprehension-required types, and every typed accessor (found
 * exactly when the walk has a first occurrence that is not ignored, with
 * the same value). An error must carry its code, a message and an offset
 * inside the input. Violations abort (FUZZ_CHECK).
 */
#ifndef SIPHB_FUZZ_STUN_CHECK_H
#define SIPHB_FUZZ_STUN_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <siphb/stun.h>

#include "fuzz_check.h"

static inline uint16_t fz_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static inline uint32_t fz_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The types the decoder itself knows (siphb_stun_attr_type). */
static inline bool fz_decoder_knows(uint16_t t) {
  static const uint16_t known[] = {0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C,
                                   0x001D, 0x001E, 0x0020, 0x8002, 0x8003, 0x8022, 0x8023, 0x8028};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (known[i] == t) return true;
  return false;
}

/* RFC 3489 attributes reserved by RFC 5389 section 18.2: known in a
 * classic message only. */
static inline bool fz_classic_attr(uint16_t t) {
  return (t >= 0x0002 && t <= 0x0005) || t == 0x0007 || t == 0x000B;
}

static inline bool fz_caller_knows(const siphb_stun_parse_config *cfg, uint16_t t) {
  for (size_t i = 0; i < cfg->known_count; i++)
    if (cfg->known[i] == t) return true;
  return false;
}

/* A parse error on an input of `size` bytes with cfg. */
static inline void fz_stun_check_error(siphb_ssize rc, const siphb_error_info *err, size_t size,
                                       const siphb_stun_parse_config *cfg) {
  FUZZ_CHECK(rc < 0);
  FUZZ_CHECK(err->code == rc);
  FUZZ_CHECK(err->message != NULL && err->message[0] != '\0');
  FUZZ_CHECK(err->offset <= size);
  FUZZ_CHECK(strcmp(siphb_errname((int)rc), "SIPHB_ERR_UNKNOWN") != 0);
  switch (rc) {
  case SIPHB_ERR_INCOMPLETE:
    FUZZ_CHECK(cfg->stream && err->need > 0);
    return;
  case SIPHB_ERR_STUN_NOT_STUN:
  case SIPHB_ERR_STUN_LENGTH:
    FUZZ_CHECK(err->offset <= 4 || err->offset == size);
    break;
  case SIPHB_ERR_STUN_PADDING:
    FUZZ_CHECK(cfg->strict_padding);
    FUZZ_CHECK(err->offset >= SIPHB_STUN_HEADER_SIZE + 5 && err->offset < size);
    break;
  case SIPHB_ERR_STUN_UNKNOWN_REQUIRED:
    FUZZ_CHECK(cfg->refuse_unknown);
    /* fall through */
  case SIPHB_ERR_STUN_ATTRIBUTE:
  case SIPHB_ERR_STUN_ADDRESS_FAMILY:
  case SIPHB_ERR_STUN_DUPLICATE_INTEGRITY:
  case SIPHB_ERR_STUN_FINGERPRINT:
    /* Inside the attributes, at or after the attribute's first byte. */
    FUZZ_CHECK(err->offset >= SIPHB_STUN_HEADER_SIZE && err->offset < size);
    break;
  default:
    FUZZ_CHECK(rc == SIPHB_ERR_STUN_ATTRIBUTE); /* any other code is undocumented */
  }
  FUZZ_CHECK(err->need == 0);
}

/* What the harness reads from the TLVs of a parsed message by itself. */
typedef struct fz_stun_walk {
  size_t count, ignored;
  size_t first[16];     /* offset of the first non-ignored attribute of each
                           type in the table below, or 0 */
  size_t mi, mi256, fp; /* offsets as the decoder should record them */
  bool pad_nonzero;
  size_t unknown_total, unknown_count;
  uint16_t unknown[SIPHB_STUN_MAX_UNKNOWN];
} fz_stun_walk;

static const uint16_t fz_typed[16] = {0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014,
                                      0x0015, 0x001C, 0x001D, 0x001E, 0x0020, 0x8002,
                                      0x8003, 0x8022, 0x8023, 0x8028};

static inline int fz_typed_slot(uint16_t t) {
  for (int i = 0; i < 16; i++)
    if (fz_typed[i] == t) return i;
  return -1;
}

/* Walks m's attributes with the iterator and checks each against the bytes
 * and the rules of RFC 8489 section 14; fills *w. */
static inline void fz_stun_walk_attrs(const siphb_stun_msg *m, const siphb_stun_parse_config *cfg,
                                      fz_stun_walk *w) {
  memset(w, 0, sizeof *w);
  const uint8_t *d = m->data;
  siphb_stun_iter it;
  siphb_stun_attr a;
  size_t expect_off = SIPHB_STUN_HEADER_SIZE;
  bool seen_mi = false, seen_256 = false;
  siphb_stun_iter_init(&it, m);
  while (siphb_stun_next_attr(&it, &a)) {
    FUZZ_CHECK(++w->count <= m->attr_count);
    FUZZ_CHECK(a.offset == expect_off && a.offset + 4 <= m->length);
    FUZZ_CHECK(a.type == fz_be16(d + a.offset) && a.len == fz_be16(d + a.offset + 2));
    FUZZ_CHECK(a.value == d + a.offset + 4);
    /* Every type siphb knows has its RFC name; any other has "". */
    const char *name = siphb_stun_attr_name(a.type);
    FUZZ_CHECK(name != NULL && (!fz_decoder_knows(a.type) || name[0] != '\0'));
    size_t padded = ((size_t)a.len + 3) & ~(size_t)3;
    FUZZ_CHECK(padded <= m->length - a.offset - 4);
    for (size_t i = a.len; i < padded; i++)
      if (a.value[i]) w->pad_nonzero = true;
    expect_off = a.offset + 4 + padded;
    FUZZ_CHECK(w->fp == 0); /* FINGERPRINT is the last */

    /* Ignored: after the first integrity attribute, all but FINGERPRINT
     * and a MESSAGE-INTEGRITY-SHA256 that follows MESSAGE-INTEGRITY. */
    bool ignored;
    if (!seen_mi && !seen_256) {
      ignored = false;
      if (a.type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY) seen_mi = true, w->mi = a.offset;
      if (a.type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256) seen_256 = true, w->mi256 = a.offset;
    } else if (a.type == SIPHB_STUN_ATTR_FINGERPRINT) {
      ignored = false;
    } else if (a.type == SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256 && seen_mi && !seen_256) {
      ignored = false;
      seen_256 = true;
      w->mi256 = a.offset;
    } else {
      ignored = true;
    }
    if (a.type == SIPHB_STUN_ATTR_FINGERPRINT) w->fp = a.offset;
    FUZZ_CHECK(a.ignored == ignored);
    if (ignored) {
      w->ignored++;
      continue;
    }
    int slot = fz_typed_slot(a.type);
    if (slot >= 0 && !w->first[slot]) w->first[slot] = a.offset;
    if (a.type >= 0x8000u || fz_decoder_knows(a.type) || fz_caller_knows(cfg, a.type) ||
        (m->classic && fz_classic_attr(a.type)))
      continue;
    w->unknown_total++;
    bool listed = false;
    for (size_t i = 0; i < w->unknown_count; i++) listed |= w->unknown[i] == a.type;
    if (!listed && w->unknown_count < SIPHB_STUN_MAX_UNKNOWN)
      w->unknown[w->unknown_count++] = a.type;
  }
  FUZZ_CHECK(expect_off == m->length); /* the walk covers the message exactly */
  FUZZ_CHECK(w->count == m->attr_count);
  FUZZ_CHECK(w->ignored == m->ignored_count);
  FUZZ_CHECK(w->mi == m->integrity_offset);
  FUZZ_CHECK(w->mi256 == m->integrity_sha256_offset);
  FUZZ_CHECK(w->fp == m->fingerprint_offset);
  FUZZ_CHECK(w->pad_nonzero == m->padding_nonzero);
  FUZZ_CHECK(w->unknown_total == m->unknown_total);
  FUZZ_CHECK(w->unknown_count == m->unknown_count);
  for (size_t i = 0; i < w->unknown_count; i++) FUZZ_CHECK(w->unknown[i] == m->unknown[i]);
}

/* The value of the first non-ignored attribute at offset off (0: absent). */
static inline void fz_expect_str(const siphb_stun_msg *m, int rc, siphb_str s, size_t off) {
  if (!off) {
    FUZZ_CHECK(rc == SIPHB_ERR_NOT_FOUND);
    return;
  }
  FUZZ_CHECK(rc == 0);
  FUZZ_CHECK((const uint8_t *)s.ptr == m->data + off + 4 && s.len == fz_be16(m->data + off + 2));
}

/* An address value as RFC 8489 sections 14.1/14.2 define it, decoded here. */
static inline void fz_expect_addr(const siphb_stun_msg *m, int rc, const siphb_mapped_addr *a,
                                  size_t off, bool xored) {
  if (!off) {
    FUZZ_CHECK(rc == SIPHB_ERR_NOT_FOUND);
    return;
  }
  FUZZ_CHECK(rc == 0); /* the parse checked the first occurrence */
  const uint8_t *v = m->data + off + 4;
  size_t alen = v[1] == 1 ? 4 : 16;
  FUZZ_CHECK((v[1] == 1 || v[1] == 2) && fz_be16(m->data + off + 2) == 4 + alen);
  FUZZ_CHECK(a->family == v[1]);
  /* The mask is bytes 4-20 (cookie, transaction id); in a classic message,
   * where there is no cookie, the same bytes. */
  FUZZ_CHECK(a->port == (fz_be16(v + 2) ^ (xored ? fz_be16(m->data + 4) : 0u)));
  for (size_t i = 0; i < 16; i++)
    FUZZ_CHECK(a->addr[i] == (i < alen ? (uint8_t)(v[4 + i] ^ (xored ? m->data[4 + i] : 0)) : 0));
}

/* Every typed accessor against the walk. */
static inline void fz_stun_check_accessors(const siphb_stun_msg *m, const fz_stun_walk *w) {
  siphb_str s;
  siphb_mapped_addr a, b;
  siphb_stun_attr at;

  /* siphb_stun_get: the first non-ignored occurrence of every type seen
   * (a bit per type: is there a non-ignored one before this one). */
  uint8_t seen[65536 / 8];
  memset(seen, 0, sizeof seen);
  siphb_stun_iter it;
  siphb_stun_iter_init(&it, m);
  siphb_stun_attr x;
  while (siphb_stun_next_attr(&it, &x)) {
    bool before = (seen[x.type >> 3] >> (x.type & 7)) & 1;
    int rc = siphb_stun_get(m, x.type, &at);
    if (!before && x.ignored) {
      FUZZ_CHECK(rc == SIPHB_ERR_NOT_FOUND); /* every one so far ignored */
    } else {
      FUZZ_CHECK(rc == 0 && at.type == x.type && !at.ignored);
      FUZZ_CHECK(before ? at.offset < x.offset : at.offset == x.offset);
      FUZZ_CHECK(at.value == m->data + at.offset + 4 && at.len == fz_be16(m->data + at.offset + 2));
      int slot = fz_typed_slot(x.type);
      if (slot >= 0) FUZZ_CHECK(at.offset == w->first[slot]);
    }
    if (!x.ignored) seen[x.type >> 3] |= (uint8_t)(1u << (x.type & 7));
    /* Any attribute read as an address: a result or a documented refusal. */
    for (int xored = 0; xored < 2; xored++) {
      rc = siphb_stun_decode_address(m, &x, xored != 0, &a);
      FUZZ_CHECK(rc == 0 || rc == SIPHB_ERR_STUN_ATTRIBUTE || rc == SIPHB_ERR_STUN_ADDRESS_FAMILY);
      if (rc == 0) fz_expect_addr(m, rc, &a, x.offset, xored != 0);
    }
  }
  for (int i = 0; i < 16; i++)
    if (!w->first[i]) FUZZ_CHECK(siphb_stun_get(m, fz_typed[i], &at) == SIPHB_ERR_NOT_FOUND);

  /* Slots of fz_typed: 0 MAPPED, 1 USERNAME, 2 MI, 3 ERROR-CODE, 4 UNKNOWN,
   * 5 REALM, 6 NONCE, 7 MI-SHA256, 8 PW-ALG, 9 USERHASH, 10 XOR-MAPPED,
   * 11 PW-ALGS, 12 ALT-DOMAIN, 13 SOFTWARE, 14 ALT-SERVER, 15 FP. */
  fz_expect_addr(m, siphb_stun_xor_mapped_address(m, &a), &a, w->first[10], true);
  fz_expect_addr(m, siphb_stun_mapped_address(m, &b), &b, w->first[0], false);
  int rc = siphb_stun_mapped(m, &a);
  if (w->first[10])
    fz_expect_addr(m, rc, &a, w->first[10], true);
  else
    fz_expect_addr(m, rc, &a, w->first[0], false);
  fz_expect_addr(m, siphb_stun_alternate_server(m, &a), &a, w->first[14], false);
  fz_expect_str(m, siphb_stun_username(m, &s), s, w->first[1]);
  fz_expect_str(m, siphb_stun_realm(m, &s), s, w->first[5]);
  fz_expect_str(m, siphb_stun_nonce(m, &s), s, w->first[6]);
  fz_expect_str(m, siphb_stun_software(m, &s), s, w->first[13]);
  fz_expect_str(m, siphb_stun_alternate_domain(m, &s), s, w->first[12]);
  rc = siphb_stun_userhash(m, &s);
  fz_expect_str(m, rc, s, w->first[9]);
  if (rc == 0) FUZZ_CHECK(s.len == SIPHB_STUN_USERHASH_SIZE);
  rc = siphb_stun_message_integrity(m, &s);
  fz_expect_str(m, rc, s, w->first[2]);
  if (rc == 0) FUZZ_CHECK(s.len == 20 && w->first[2] == m->integrity_offset);
  rc = siphb_stun_message_integrity_sha256(m, &s);
  fz_expect_str(m, rc, s, w->first[7]);
  if (rc == 0)
    FUZZ_CHECK(s.len >= 16 && s.len <= 32 && s.len % 4 == 0 &&
               w->first[7] == m->integrity_sha256_offset);

  uint32_t fp;
  rc = siphb_stun_fingerprint(m, &fp);
  if (w->first[15]) {
    FUZZ_CHECK(rc == 0 && fp == fz_be32(m->data + w->first[15] + 4));
    FUZZ_CHECK(fz_be16(m->data + w->first[15] + 2) == 4 && w->first[15] + 8 == m->length);
  } else {
    FUZZ_CHECK(rc == SIPHB_ERR_NOT_FOUND);
  }

  siphb_stun_error_value e;
  rc = siphb_stun_error_code(m, &e);
  if (w->first[3]) {
    const uint8_t *v = m->data + w->first[3] + 4;
    size_t len = fz_be16(m->data + w->first[3] + 2);
    FUZZ_CHECK(rc == 0 && e.code >= 300 && e.code <= 699);
    FUZZ_CHECK(e.code == (v[2] & 7) * 100 + v[3]);
    FUZZ_CHECK(siphb_stun_reason(e.code) != NULL);
    FUZZ_CHECK((const uint8_t *)e.reason.ptr == v + 4 && e.reason.len == len - 4);
  } else {
    FUZZ_CHECK(rc == SIPHB_ERR_NOT_FOUND);
  }

  uint16_t types[4];
  siphb_ssize n = siphb_stun_unknown_attributes(m, NULL, 0);
  if (w->first[4]) {
    size_t len = fz_be16(m->data + w->first[4] + 2);
    FUZZ_CHECK(n >= 0 && (size_t)n == len / 2);
    FUZZ_CHECK(siphb_stun_unknown_attributes(m, types, 4) == n);
    for (size_t i = 0; i < 4 && i < (size_t)n; i++)
      FUZZ_CHECK(types[i] == fz_be16(m->data + w->first[4] + 4 + 2 * i));
  } else {
    FUZZ_CHECK(n == SIPHB_ERR_NOT_FOUND);
  }

  siphb_stun_password_alg pa[3];
  rc = siphb_stun_password_algorithm(m, &pa[0]);
  if (w->first[8]) {
    const uint8_t *v = m->data + w->first[8] + 4;
    FUZZ_CHECK(rc == 0 && pa[0].alg == fz_be16(v) && pa[0].params.len == fz_be16(v + 2));
    FUZZ_CHECK((const uint8_t *)pa[0].params.ptr == v + 4);
    FUZZ_CHECK(pa[0].params.len + 4 <= fz_be16(m->data + w->first[8] + 2));
  } else {
    FUZZ_CHECK(rc == SIPHB_ERR_NOT_FOUND);
  }
  n = siphb_stun_password_algorithms(m, pa, 3);
  if (w->first[11]) {
    size_t off = w->first[11], len = fz_be16(m->data + off + 2);
    FUZZ_CHECK(n >= 0 && (size_t)n <= len / 4);
    FUZZ_CHECK(siphb_stun_password_algorithms(m, NULL, 0) == n);
    /* The entries lie inside the value and follow each other. */
    const uint8_t *pos = m->data + off + 4;
    for (siphb_ssize i = 0; i < n && i < 3; i++) {
      FUZZ_CHECK(pa[i].alg == fz_be16(pos) && pa[i].params.len == fz_be16(pos + 2));
      FUZZ_CHECK((const uint8_t *)pa[i].params.ptr == pos + 4);
      FUZZ_CHECK(fuzz_slice_inside(pa[i].params, m->data + off + 4, m->data + off + 4 + len));
      pos += 4 + ((pa[i].params.len + 3u) & ~3u);
    }
  } else {
    FUZZ_CHECK(n == SIPHB_ERR_NOT_FOUND);
  }
}

/* A successful parse of data[0..size) with cfg that returned rc. */
static inline void fz_stun_check_msg(siphb_ssize rc, const siphb_stun_msg *m, const uint8_t *data,
                                     size_t size, const siphb_stun_parse_config *cfg,
                                     fz_stun_walk *w) {
  FUZZ_CHECK(rc >= (siphb_ssize)SIPHB_STUN_HEADER_SIZE && (size_t)rc <= size);
  FUZZ_CHECK(m->length == (size_t)rc);
  if (!cfg->stream) FUZZ_CHECK((size_t)rc == size);
  FUZZ_CHECK(m->data == data && m->length % 4 == 0);
  FUZZ_CHECK(m->length == SIPHB_STUN_HEADER_SIZE + fz_be16(data + 2));
  FUZZ_CHECK((data[0] & 0xC0) == 0 && m->type == fz_be16(data));
  FUZZ_CHECK(siphb_stun_type(m->method, m->cls) == m->type && m->method <= 0xFFF);
  FUZZ_CHECK(siphb_stun_class_name(m->cls)[0] != '\0');
  bool cookie = fz_be32(data + 4) == SIPHB_STUN_MAGIC_COOKIE;
  FUZZ_CHECK(m->classic == !cookie);
  if (m->classic) {
    FUZZ_CHECK(!cfg->stream && cfg->allow_classic);
    FUZZ_CHECK(m->txid == data + 4 && m->txid_len == SIPHB_STUN_CLASSIC_TXID_SIZE);
  } else {
    FUZZ_CHECK(m->txid == data + 8 && m->txid_len == SIPHB_STUN_TXID_SIZE);
  }
  FUZZ_CHECK(m->unknown_count <= SIPHB_STUN_MAX_UNKNOWN && m->unknown_count <= m->unknown_total);
  if (cfg->refuse_unknown) FUZZ_CHECK(m->unknown_total == 0);
  if (cfg->strict_padding) FUZZ_CHECK(!m->padding_nonzero);
  for (size_t i = 0; i < m->unknown_count; i++) FUZZ_CHECK(m->unknown[i] < 0x8000u);
  if (m->fingerprint_offset) FUZZ_CHECK(m->fingerprint_offset + 8 == m->length);
  fz_stun_walk_attrs(m, cfg, w);
  fz_stun_check_accessors(m, w);
}

/* The same message found twice (two modes, two configurations, a prefix). */
static inline void fz_stun_same_msg(const siphb_stun_msg *a, const siphb_stun_msg *b) {
  FUZZ_CHECK(a->data == b->data && a->length == b->length);
  FUZZ_CHECK(a->type == b->type && a->method == b->method && a->cls == b->cls);
  FUZZ_CHECK(a->classic == b->classic && a->txid == b->txid && a->txid_len == b->txid_len);
  FUZZ_CHECK(a->integrity_offset == b->integrity_offset);
  FUZZ_CHECK(a->integrity_sha256_offset == b->integrity_sha256_offset);
  FUZZ_CHECK(a->fingerprint_offset == b->fingerprint_offset);
  FUZZ_CHECK(a->attr_count == b->attr_count && a->ignored_count == b->ignored_count);
  FUZZ_CHECK(a->padding_nonzero == b->padding_nonzero);
  FUZZ_CHECK(a->unknown_count == b->unknown_count && a->unknown_total == b->unknown_total);
  FUZZ_CHECK(memcmp(a->unknown, b->unknown, a->unknown_count * sizeof a->unknown[0]) == 0);
}

#endif /* SIPHB_FUZZ_STUN_CHECK_H */
