/*
 * rtcp.c - the RTCP report codec: the compound-packet walk (RFC 3550
 * section 6.1 and Appendix A.2), SR and RR report blocks (sections 6.4.1,
 * 6.4.2), and the block arithmetic (RTT, jitter, loss).
 *
 * siphb_rtcp_parse() checks every packet header, length, padding count and
 * report count before it says yes, so the walks afterwards only read
 * bytes that were proven to lie inside the datagram. Every check compares
 * sizes with what is left of the buffer, never pointers past its end.
 */
#include <siphb/rtcp.h>

#include <string.h>

#include "base/assert.h"
#include "base/error_info.h"
#include "base/sized.h"

static const siphb_rtcp_parse_config config_defaults = {
    (uint32_t)sizeof(siphb_rtcp_parse_config), false};

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define CONFIG_MIN_SIZE (offsetof(siphb_rtcp_parse_config, strict) + sizeof(bool))

void siphb_rtcp_parse_config_init(siphb_rtcp_parse_config *cfg, size_t size) {
  siphb_sized_init(cfg, size, &config_defaults, sizeof config_defaults, CONFIG_MIN_SIZE);
}

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The bytes of an SR or RR before its first report block: header and
 * SSRC, and for an SR the sender info. */
static size_t fixed_part(uint8_t type) {
  return SIPHB_RTCP_HEADER_SIZE + 4u + (type == SIPHB_RTCP_SR ? SIPHB_RTCP_SENDER_INFO_SIZE : 0u);
}

static bool is_report(uint8_t type) { return type == SIPHB_RTCP_SR || type == SIPHB_RTCP_RR; }

/* The layout of one packet, as the checks found it. */
typedef struct layout {
  size_t length;  /* (length field + 1) * 4 */
  size_t padding; /* padding octets at its end */
  uint8_t type;
  uint8_t count;
} layout;

/*
 * Checks the packet at d[off..len) and fills *lo. last: no bytes follow
 * this packet in the datagram (known only once its length is read, so the
 * caller passes the strict flag and this function decides).
 */
static siphb_ssize check_packet(const uint8_t *d, size_t len, size_t off, bool strict,
                                layout *lo, siphb_error_info *err) {
  size_t left = len - off;
  if (left < SIPHB_RTCP_HEADER_SIZE)
    return siphb_fail(err, SIPHB_ERR_RTCP_LENGTH, off, 0, "RTCP header cut short");
  const uint8_t *p = d + off;
  if ((p[0] >> 6) != SIPHB_RTCP_VERSION)
    return siphb_fail(err, SIPHB_ERR_RTCP_VERSION, off, 0, "RTCP version is not 2");
  /* length: 32-bit words minus one (section 6.4.1), so at most 262144 bytes. */
  size_t plen = ((size_t)((uint32_t)p[2] << 8 | p[3]) + 1u) * 4u;
  if (plen > left)
    return siphb_fail(err, SIPHB_ERR_RTCP_LENGTH, off, 0, "RTCP length past the datagram");
  lo->length = plen;
  lo->type = p[1];
  lo->count = (uint8_t)(p[0] & 0x1Fu);
  lo->padding = 0;
  if (p[0] & 0x20u) {
    /* Section 6.4.1: the last octet counts the padding, itself included.
     * Padding only on the last packet (section 6.1); honoured elsewhere
     * too unless strict, since the length field alone frames the packet. */
    if (strict && plen != left)
      return siphb_fail(err, SIPHB_ERR_RTCP_LENGTH, off, 0,
                        "RTCP padding bit on a packet other than the last");
    size_t pad = p[plen - 1];
    if (pad == 0 || pad > plen - SIPHB_RTCP_HEADER_SIZE)
      return siphb_fail(err, SIPHB_ERR_RTCP_LENGTH, off + plen - 1, 0,
                        "RTCP padding count 0 or beyond the packet");
    lo->padding = pad;
  }
  if (!is_report(lo->type)) return 0;
  size_t body = plen - lo->padding; /* header included */
  size_t fixed = fixed_part(lo->type);
  if (body < fixed)
    return siphb_fail(err, SIPHB_ERR_RTCP_LENGTH, off, 0,
                      lo->type == SIPHB_RTCP_SR ? "RTCP SR shorter than its sender info"
                                                : "RTCP RR shorter than its SSRC");
  if ((size_t)lo->count * SIPHB_RTCP_BLOCK_SIZE > body - fixed)
    return siphb_fail(err, SIPHB_ERR_RTCP_REPORT_COUNT, off, 0,
                      "RTCP report count does not fit in the packet length");
  return 0;
}

siphb_ssize siphb_rtcp_parse(siphb_rtcp_msg *msg, const uint8_t *data, size_t len,
                             const siphb_rtcp_parse_config *cfg, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!msg) return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "msg is NULL");
  memset(msg, 0, sizeof *msg);
  if (!data && len > 0) return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "data is NULL");
  siphb_rtcp_parse_config c = config_defaults;
  if (cfg) {
    int rc = siphb_sized_read(&c, sizeof c, CONFIG_MIN_SIZE, cfg);
    if (rc < 0)
      return siphb_fail(err, rc, 0, 0,
                        rc == SIPHB_ERR_UNSUPPORTED ? "cfg sets a field this library does not know"
                                                    : "cfg not initialised");
  }
  if (len == 0) return siphb_fail(err, SIPHB_ERR_RTCP_LENGTH, 0, 0, "empty RTCP datagram");

  siphb_rtcp_msg m;
  memset(&m, 0, sizeof m);
  size_t off = 0;
  while (off < len) {
    layout lo;
    siphb_ssize rc = check_packet(data, len, off, c.strict, &lo, err);
    if (rc < 0) return rc;
    /* Appendix A.2: the first packet of a compound packet is an SR or RR. */
    if (c.strict && off == 0 && !is_report(lo.type))
      return siphb_fail(err, SIPHB_ERR_RTCP_TYPE, 0, 0, "first RTCP packet is not an SR or RR");
    m.packet_count++;
    if (lo.type == SIPHB_RTCP_SR) m.sr_count++;
    if (lo.type == SIPHB_RTCP_RR) m.rr_count++;
    if (is_report(lo.type)) m.block_count += lo.count;
    off += lo.length;
  }
  SIPHB_ASSERT(off == len);
  m.data = data;
  m.length = len;
  *msg = m;
  return (siphb_ssize)len;
}

/* ---- the walks ------------------------------------------------------------ */

/* The layout of a packet of a parsed message (the checks passed). */
static layout layout_at(const siphb_rtcp_msg *m, size_t off) {
  const uint8_t *p = m->data + off;
  layout lo;
  lo.length = ((size_t)((uint32_t)p[2] << 8 | p[3]) + 1u) * 4u;
  lo.type = p[1];
  lo.count = (uint8_t)(p[0] & 0x1Fu);
  lo.padding = (p[0] & 0x20u) ? p[lo.length - 1] : 0u;
  SIPHB_ASSERT(lo.length <= m->length - off);
  return lo;
}

void siphb_rtcp_iter_init(siphb_rtcp_iter *it, const siphb_rtcp_msg *msg) {
  if (!it) return;
  memset(it, 0, sizeof *it);
  it->msg_ = msg;
}

static void fill_packet(const siphb_rtcp_msg *m, size_t off, const layout *lo,
                        siphb_rtcp_packet *out) {
  const uint8_t *p = m->data + off;
  memset(out, 0, sizeof *out);
  out->data = p;
  out->offset = off;
  out->length = lo->length;
  out->padding = lo->padding;
  out->type = lo->type;
  out->count = lo->count;
  size_t body = lo->length - lo->padding;
  if (body >= SIPHB_RTCP_HEADER_SIZE + 4u) {
    out->has_ssrc = true;
    out->ssrc = be32(p + 4);
  }
  if (!is_report(lo->type)) return;
  if (lo->type == SIPHB_RTCP_SR) {
    out->has_sender_info = true;
    out->sender_info.ntp = (uint64_t)be32(p + 8) << 32 | be32(p + 12);
    out->sender_info.rtp_ts = be32(p + 16);
    out->sender_info.packet_count = be32(p + 20);
    out->sender_info.octet_count = be32(p + 24);
  }
  size_t ext = fixed_part(lo->type) + (size_t)lo->count * SIPHB_RTCP_BLOCK_SIZE;
  SIPHB_ASSERT(ext <= body);
  out->ext_offset = off + ext;
  out->ext_len = body - ext;
}

bool siphb_rtcp_next_packet(siphb_rtcp_iter *it, siphb_rtcp_packet *out) {
  if (!it || !out || !it->msg_ || !it->msg_->data) return false;
  const siphb_rtcp_msg *m = it->msg_;
  if (it->next_packet_ >= m->length) return false;
  layout lo = layout_at(m, it->next_packet_);
  fill_packet(m, it->next_packet_, &lo, out);
  it->next_packet_ += lo.length;
  return true;
}

/* Block i of the SR or RR at p (whose checks passed, i < its count). */
static void fill_block(const uint8_t *p, size_t packet_offset, size_t i,
                       siphb_rtcp_report_block *out) {
  uint8_t type = p[1];
  const uint8_t *b = p + fixed_part(type) + i * SIPHB_RTCP_BLOCK_SIZE;
  memset(out, 0, sizeof *out);
  out->sender_ssrc = be32(p + 4);
  out->source_ssrc = be32(b);
  out->fraction_lost = b[4];
  out->packet_type = type;
  /* 24-bit two's complement (section 6.4.1): sign-extend bit 23. */
  uint32_t lost = (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
  out->cumulative_lost = (lost & 0x800000u) ? (int32_t)lost - 0x1000000 : (int32_t)lost;
  out->ext_highest_seq = be32(b + 8);
  out->jitter = be32(b + 12);
  out->lsr = be32(b + 16);
  out->dlsr = be32(b + 20);
  out->packet_offset = packet_offset;
  out->index = i;
}

bool siphb_rtcp_next_block(siphb_rtcp_iter *it, siphb_rtcp_report_block *out) {
  if (!it || !out || !it->msg_ || !it->msg_->data) return false;
  const siphb_rtcp_msg *m = it->msg_;
  while (it->block_packet_ < m->length) {
    layout lo = layout_at(m, it->block_packet_);
    if (is_report(lo.type) && it->block_index_ < lo.count) {
      fill_block(m->data + it->block_packet_, it->block_packet_, it->block_index_, out);
      it->block_index_++;
      return true;
    }
    it->block_packet_ += lo.length;
    it->block_index_ = 0;
  }
  return false;
}

int siphb_rtcp_packet_block(const siphb_rtcp_packet *pkt, size_t i,
                            siphb_rtcp_report_block *out) {
  if (!pkt || !out || !pkt->data) return SIPHB_ERR_INVALID_ARGUMENT;
  if (!is_report(pkt->type) || i >= pkt->count) return SIPHB_ERR_NOT_FOUND;
  /* The walk proved this; checked again since pkt is the caller's copy. */
  if (pkt->padding > pkt->length ||
      fixed_part(pkt->type) + (i + 1) * SIPHB_RTCP_BLOCK_SIZE > pkt->length - pkt->padding)
    return SIPHB_ERR_INVALID_ARGUMENT;
  fill_block(pkt->data, pkt->offset, i, out);
  return 0;
}

/* ---- the figures ---------------------------------------------------------- */

uint32_t siphb_rtcp_ntp_middle32(uint64_t ntp) { return (uint32_t)(ntp >> 16); }

int32_t siphb_rtcp_rtt_ms(uint32_t arrival, uint32_t lsr, uint32_t dlsr) {
  if (lsr == 0) return SIPHB_ERR_NOT_FOUND; /* section 6.4.1: no SR received */
  uint32_t d = arrival - lsr - dlsr;        /* modulo 2^32, as the RFC computes */
  if (d & 0x80000000u) return SIPHB_ERR_PARSE;
  /* 1/65536 s to ms, rounded: d < 2^31, so d * 1000 fits in 64 bits. */
  return (int32_t)(((uint64_t)d * 1000u + 32768u) >> 16);
}

uint32_t siphb_rtcp_jitter_ms(uint32_t jitter, uint32_t clock_rate) {
  if (clock_rate == 0) return 0;
  uint64_t ms = ((uint64_t)jitter * 1000u + clock_rate / 2u) / clock_rate;
  return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms; /* a clock below 1 kHz */
}

uint32_t siphb_rtcp_fraction_permille(uint8_t fraction_lost) {
  return ((uint32_t)fraction_lost * 1000u + 128u) >> 8;
}
