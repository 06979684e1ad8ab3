/*
 * stun_decode.c - the STUN decoder: header checks, the attribute walk, the
 * index of known attributes, and walking a decoded message again
 * (RFC 8489 sections 5, 6.3 and 14; RFC 5389 sections 6, 12 and 15).
 *
 * One pass over the TLVs, no copy: the message points into the caller's
 * buffer. Every read is bounded by the message length, which is itself
 * checked against len before the walk starts; each attribute is checked to
 * fit (padding included) before any of its bytes is read.
 */
#include <siphb/stun.h>

#include <string.h>

#include "base/assert.h"
#include "base/error_info.h"
#include "base/sized.h"
#include "stun/stun_frame.h"
#include "stun/stun_int.h"

/* One index slot per known attribute type in the public message struct. */
SIPHB_STATIC_ASSERT(STUN_K_COUNT_ == sizeof(((siphb_stun_msg *)0)->index_) / sizeof(uint32_t),
                    stun_msg_index_has_a_slot_per_known_type);

/* The defaults of siphb_stun_parse_config_init(), as a constant. */
static const siphb_stun_parse_config config_defaults = {
    (uint32_t)sizeof(siphb_stun_parse_config), false, true, false, false, NULL, 0};

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define CONFIG_MIN_SIZE (offsetof(siphb_stun_parse_config, known_count) + sizeof(size_t))

static void defaults_fn(void *full) { memcpy(full, &config_defaults, sizeof config_defaults); }

void siphb_stun_parse_config_init(siphb_stun_parse_config *cfg, size_t size) {
  siphb_sized_init(cfg, size, &config_defaults, sizeof config_defaults, CONFIG_MIN_SIZE);
}

typedef struct decoder {
  const uint8_t *d;
  size_t len;
  const siphb_stun_parse_config *cfg;
  siphb_stun_msg *msg;
  siphb_error_info *err;
} decoder;

/* ---- the header ------------------------------------------------------------ */

/*
 * The bytes were not a complete RFC 5389 header (siphb_stun_frame_check()
 * said NO or SHORT): say exactly why, or accept an RFC 3489 datagram. On
 * success *total is the message length and msg->classic may be set.
 */
static siphb_ssize header_fault(decoder *dc, siphb_stun_frame frame, size_t *total) {
  const uint8_t *d = dc->d;
  size_t len = dc->len;
  bool stream = dc->cfg->stream;
  if (len == 0)
    return stream ? siphb_fail(dc->err, SIPHB_ERR_INCOMPLETE, 0, SIPHB_STUN_HEADER_SIZE,
                                     "no data")
                  : siphb_fail(dc->err, SIPHB_ERR_STUN_LENGTH, 0, 0, "header cut short");
  if ((d[0] & 0xC0u) != 0)
    return siphb_fail(dc->err, SIPHB_ERR_STUN_NOT_STUN, 0, 0,
                            "first two bits of the type are not 00");
  if (len >= 4 && (d[3] & 3u) != 0)
    return siphb_fail(dc->err, SIPHB_ERR_STUN_LENGTH, 2, 0, "length not a multiple of 4");
  if (frame == SIPHB_STUN_FRAME_SHORT && stream) /* *total is at least 20 here */
    return siphb_fail(dc->err, SIPHB_ERR_INCOMPLETE, len, *total - len,
                            "STUN message incomplete");
  if (frame == SIPHB_STUN_FRAME_NO && (stream || !dc->cfg->allow_classic))
    return siphb_fail(dc->err, SIPHB_ERR_STUN_NOT_STUN, 4, 0, "no magic cookie");
  if (len < SIPHB_STUN_HEADER_SIZE)
    return siphb_fail(dc->err, SIPHB_ERR_STUN_LENGTH, len, 0, "header cut short");
  /* No cookie, a datagram, classic allowed: RFC 3489 (RFC 5389 section
   * 12: bytes 4-19 are its 128-bit transaction id). */
  *total = SIPHB_STUN_HEADER_SIZE + siphb_be16(d + 2);
  dc->msg->classic = true;
  return 0;
}

static siphb_ssize check_header(decoder *dc, size_t *total) {
  siphb_stun_frame frame = siphb_stun_frame_check(dc->d, dc->len, total);
  if (frame != SIPHB_STUN_FRAME_YES) {
    siphb_ssize rc = header_fault(dc, frame, total);
    if (rc < 0) return rc;
  }
  if (dc->cfg->stream) {
    if (*total > dc->len)
      return siphb_fail(dc->err, SIPHB_ERR_INCOMPLETE, dc->len, *total - dc->len,
                              "STUN message incomplete");
  } else if (*total != dc->len) {
    return siphb_fail(dc->err, SIPHB_ERR_STUN_LENGTH, 2, 0,
                            "length does not match the datagram");
  }
  siphb_stun_msg *m = dc->msg;
  uint16_t t = siphb_be16(dc->d);
  m->data = dc->d;
  m->length = *total;
  m->type = t;
  /* RFC 5389 section 6: M11..M7 C1 M6..M4 C0 M3..M0. */
  m->method = (uint16_t)((t & 0x000Fu) | ((t & 0x00E0u) >> 1) | ((t & 0x3E00u) >> 2));
  m->cls = (siphb_stun_class)(((t >> 4) & 1u) | ((t >> 7) & 2u));
  m->txid = m->classic ? dc->d + 4 : dc->d + 8;
  m->txid_len = m->classic ? SIPHB_STUN_CLASSIC_TXID_SIZE : SIPHB_STUN_TXID_SIZE;
  return 0;
}

/* ---- the attributes ------------------------------------------------------ */

static bool caller_knows(const siphb_stun_parse_config *cfg, uint16_t type) {
  for (size_t i = 0; i < cfg->known_count; i++)
    if (cfg->known[i] == type) return true;
  return false;
}

/* An unknown comprehension-required attribute: refused, or listed once. */
static siphb_ssize unknown_required(decoder *dc, uint16_t type, size_t off) {
  siphb_stun_msg *m = dc->msg;
  if (caller_knows(dc->cfg, type)) return 0;
  if (dc->cfg->refuse_unknown)
    return siphb_fail(dc->err, SIPHB_ERR_STUN_UNKNOWN_REQUIRED, off, 0,
                            "unknown comprehension-required attribute");
  m->unknown_total++;
  for (size_t i = 0; i < m->unknown_count; i++)
    if (m->unknown[i] == type) return 0;
  if (m->unknown_count < SIPHB_STUN_MAX_UNKNOWN) m->unknown[m->unknown_count++] = type;
  return 0;
}

static siphb_ssize check_value(decoder *dc, size_t off, siphb_stun_known slot) {
  siphb_stun_fault f;
  int rc = siphb_stun_check_value(dc->d, off, slot, &f);
  return rc < 0 ? siphb_fail(dc->err, rc, f.at, 0, f.why) : 0;
}

/* Records the first occurrence of a known attribute, after checking its
 * value; later ones are only walked over (RFC 8489 section 14). */
static siphb_ssize index_known(decoder *dc, size_t off, siphb_stun_known slot) {
  if (dc->msg->index_[slot]) return 0;
  siphb_ssize rc = check_value(dc, off, slot);
  if (rc < 0) return rc;
  dc->msg->index_[slot] = (uint32_t)off;
  return 0;
}

/*
 * One attribute, in message order (RFC 8489 sections 14.5-14.7): after
 * MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count,
 * after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT; a second integrity
 * attribute of the same kind is refused rather than ignored, since a
 * sender that writes two cannot be trusted to have meant either.
 */
static siphb_ssize take(decoder *dc, uint16_t type, size_t off) {
  siphb_stun_msg *m = dc->msg;
  siphb_ssize rc;
  switch (type) {
  case SIPHB_STUN_ATTR_FINGERPRINT:
    rc = index_known(dc, off, STUN_K_FINGERPRINT);
    m->fingerprint_offset = off;
    return rc;
  case SIPHB_STUN_ATTR_MESSAGE_INTEGRITY:
    if (m->integrity_offset)
      return siphb_fail(dc->err, SIPHB_ERR_STUN_DUPLICATE_INTEGRITY, off, 0,
                              "second MESSAGE-INTEGRITY");
    if (m->integrity_sha256_offset) break; /* ignored after -SHA256 */
    rc = index_known(dc, off, STUN_K_MESSAGE_INTEGRITY);
    m->integrity_offset = off;
    return rc;
  case SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
    if (m->integrity_sha256_offset)
      return siphb_fail(dc->err, SIPHB_ERR_STUN_DUPLICATE_INTEGRITY, off, 0,
                              "second MESSAGE-INTEGRITY-SHA256");
    rc = index_known(dc, off, STUN_K_MESSAGE_INTEGRITY_SHA256);
    m->integrity_sha256_offset = off;
    return rc;
  default:
    break;
  }
  if (m->integrity_offset || m->integrity_sha256_offset) {
    m->ignored_count++;
    return 0;
  }
  siphb_stun_known slot = siphb_stun_known_slot(type);
  if (slot != STUN_K_NONE) return index_known(dc, off, slot);
  if (type >= 0x8000u) return 0; /* comprehension-optional: ignored */
  if (m->classic && siphb_stun_classic_attr(type)) return 0;
  return unknown_required(dc, type, off);
}

/* Pad bytes: anything by default (RFC 5389 section 15), zeros when strict. */
static siphb_ssize check_padding(decoder *dc, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    if (dc->d[i] == 0) continue;
    if (dc->cfg->strict_padding)
      return siphb_fail(dc->err, SIPHB_ERR_STUN_PADDING, i, 0, "non-zero padding");
    dc->msg->padding_nonzero = true;
  }
  return 0;
}

static siphb_ssize walk(decoder *dc, size_t total) {
  const uint8_t *d = dc->d;
  size_t off = SIPHB_STUN_HEADER_SIZE;
  /* total - off stays a multiple of 4: at least one whole TLV header. */
  while (off < total) {
    uint16_t type = siphb_be16(d + off);
    size_t vlen = siphb_be16(d + off + 2);
    size_t padded = siphb_stun_pad4(vlen);
    if (padded > total - off - 4)
      return siphb_fail(dc->err, SIPHB_ERR_STUN_ATTRIBUTE, off, 0,
                              "attribute runs past the end of the message");
    if (dc->msg->fingerprint_offset)
      return siphb_fail(dc->err, SIPHB_ERR_STUN_FINGERPRINT, off, 0,
                              "attribute after FINGERPRINT");
    siphb_ssize rc = check_padding(dc, off + 4 + vlen, off + 4 + padded);
    if (rc < 0) return rc;
    dc->msg->attr_count++;
    rc = take(dc, type, off);
    if (rc < 0) return rc;
    off += 4 + padded;
  }
  return 0;
}

/* The size of the message struct, read through a volatile so that the
 * memset stays a call to the C library's (wide stores): compilers expand a
 * memset of a known 200 bytes into `rep stos`, whose start-up cost a
 * quarter of a whole decode (as in sip_parse.c). */
static const volatile size_t msg_struct_size = sizeof(siphb_stun_msg);

siphb_ssize siphb_stun_parse(siphb_stun_msg *msg, const uint8_t *data, size_t len,
                             const siphb_stun_parse_config *cfg, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!msg || (!data && len))
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "msg or data is NULL");
  memset(msg, 0, msg_struct_size);
  /* The defaults, a caller's struct of this library's size as it is, or
   * one of another size read into a full copy. */
  siphb_stun_parse_config full;
  if (!cfg) {
    cfg = &config_defaults;
  } else {
    const void *view;
    int rv = siphb_sized_view(cfg, &full, sizeof full, CONFIG_MIN_SIZE, defaults_fn, &view);
    if (rv != 0) return siphb_sized_refuse(err, rv);
    cfg = view;
  }
  if (cfg->known_count && !cfg->known)
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "cfg->known is NULL");
  decoder dc = {data, len, cfg, msg, err};
  size_t total = 0;
  siphb_ssize rc = check_header(&dc, &total);
  if (rc < 0) return rc;
  rc = walk(&dc, total);
  if (rc < 0) return rc;
  return (siphb_ssize)total;
}

/* ---- walking a decoded message ------------------------------------------- */

void siphb_stun_iter_init(siphb_stun_iter *it, const siphb_stun_msg *msg) {
  if (!it) return;
  it->msg_ = msg;
  it->next_ = SIPHB_STUN_HEADER_SIZE;
  memset(it->reserved_, 0, sizeof it->reserved_);
}

/* Attributes after the first integrity attribute are ignored, except a
 * MESSAGE-INTEGRITY-SHA256 that follows MESSAGE-INTEGRITY, and FINGERPRINT. */
static bool is_ignored(const siphb_stun_msg *m, uint16_t type, size_t off) {
  size_t guard = m->integrity_offset ? m->integrity_offset : m->integrity_sha256_offset;
  return guard && off > guard && type != SIPHB_STUN_ATTR_FINGERPRINT &&
         off != m->integrity_sha256_offset;
}

bool siphb_stun_next_attr(siphb_stun_iter *it, siphb_stun_attr *out) {
  if (!it || !out || !it->msg_ || !it->msg_->data) return false;
  const siphb_stun_msg *m = it->msg_;
  size_t off = it->next_;
  /* The parse has checked every TLV; the bound still guards a struct the
   * caller filled some other way. */
  if (off >= m->length || m->length - off < 4) return false;
  size_t vlen = siphb_be16(m->data + off + 2);
  if (siphb_stun_pad4(vlen) > m->length - off - 4) return false;
  out->type = siphb_be16(m->data + off);
  out->len = (uint16_t)vlen;
  out->value = m->data + off + 4;
  out->offset = off;
  out->ignored = is_ignored(m, out->type, off);
  out->reserved_[0] = 0;
  it->next_ = off + 4 + siphb_stun_pad4(vlen);
  return true;
}

int siphb_stun_get(const siphb_stun_msg *msg, uint16_t type, siphb_stun_attr *out) {
  if (!msg || !out || !msg->data) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_stun_known slot = siphb_stun_known_slot(type);
  if (slot != STUN_K_NONE) {
    size_t off = msg->index_[slot];
    if (!off) return SIPHB_ERR_NOT_FOUND;
    out->type = type;
    out->len = siphb_be16(msg->data + off + 2);
    out->value = msg->data + off + 4;
    out->offset = off;
    out->ignored = false;
    out->reserved_[0] = 0;
    return 0;
  }
  siphb_stun_iter it;
  siphb_stun_iter_init(&it, msg);
  while (siphb_stun_next_attr(&it, out))
    if (out->type == type && !out->ignored) return 0;
  return SIPHB_ERR_NOT_FOUND;
}
