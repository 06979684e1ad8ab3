/*
 * fuzz_rtcp.c - libFuzzer harness for the RTCP report codec
 * (siphb_rtcp_parse, the packet and block walks, siphb_rtcp_packet_block)
 * and the figures made from a block (RTT, jitter, loss, the E-model
 * estimate of siphb/mos.h).
 *
 * The input is the compound packet itself, so real RTCP datagrams are
 * seeds as they are. Each input is parsed with the defaults (NULL and an
 * initialised config) and strictly. Aborts on: an error without its code
 * or message, with an RTCP code the header does not list for the call, or
 * with an offset outside the input; a success that does not return len;
 * packet walks that are not contiguous, do not end at len, disagree with
 * the counts, the header bytes, the padding octet or the SR sender info;
 * block walks that disagree with block_count, with siphb_rtcp_packet_block
 * or with the harness's own reading of the 24 bytes (the 24-bit signed
 * cumulative loss above all); a strict parse that fails for a reason other
 * than its own (first packet not SR/RR, padding before the last packet) or
 * succeeds where the default one fails; a prefix (cut where the last byte
 * says) that parses although the cut is no packet boundary; an RTT, jitter,
 * permille, R or MOS outside its documented range. Violations abort.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/siphb.h>

#include "fuzz_check.h"

/* The packet at off has the padding bit and is not the last one. */
static bool padded_not_last(const siphb_rtcp_msg *m, size_t off) {
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, m);
  while (siphb_rtcp_next_packet(&it, &p))
    if (p.offset == off) return (p.data[0] & 0x20) && off + p.length < m->length;
  return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool is_rtcp_code(siphb_ssize rc) {
  return rc == SIPHB_ERR_RTCP_VERSION || rc == SIPHB_ERR_RTCP_LENGTH ||
         rc == SIPHB_ERR_RTCP_REPORT_COUNT || rc == SIPHB_ERR_RTCP_TYPE;
}

static void check_error(siphb_ssize rc, const siphb_error_info *err, size_t size, bool strict) {
  FUZZ_CHECK(is_rtcp_code(rc));
  FUZZ_CHECK(err->code == rc && err->message != NULL && err->need == 0);
  FUZZ_CHECK(err->offset < size || (size == 0 && err->offset == 0));
  if (!strict) FUZZ_CHECK(rc != SIPHB_ERR_RTCP_TYPE);
}

/* The harness's own reading of block i of the report at p. */
static void check_block(const siphb_rtcp_report_block *b, const uint8_t *p, size_t off, size_t i) {
  size_t fixed = p[1] == SIPHB_RTCP_SR ? 28u : 8u;
  const uint8_t *q = p + fixed + i * SIPHB_RTCP_BLOCK_SIZE;
  uint32_t lost = (uint32_t)q[5] << 16 | (uint32_t)q[6] << 8 | q[7];
  int32_t want = (int32_t)(lost ^ 0x800000u) - 0x800000; /* sign-extend 24 bits */
  FUZZ_CHECK(b->sender_ssrc == rd32(p + 4) && b->source_ssrc == rd32(q));
  FUZZ_CHECK(b->fraction_lost == q[4] && b->cumulative_lost == want);
  FUZZ_CHECK(b->cumulative_lost >= -8388608 && b->cumulative_lost <= 8388607);
  FUZZ_CHECK(b->ext_highest_seq == rd32(q + 8) && b->jitter == rd32(q + 12));
  FUZZ_CHECK(b->lsr == rd32(q + 16) && b->dlsr == rd32(q + 20));
  FUZZ_CHECK(b->packet_type == p[1] && b->packet_offset == off && b->index == i);
}

/* The figures of a block; arrival is some NTP middle (the SR's own). */
static void check_figures(const siphb_rtcp_report_block *b, uint32_t arrival) {
  int32_t rtt = siphb_rtcp_rtt_ms(arrival, b->lsr, b->dlsr);
  uint32_t d = arrival - b->lsr - b->dlsr;
  if (b->lsr == 0)
    FUZZ_CHECK(rtt == SIPHB_ERR_NOT_FOUND);
  else if (d & 0x80000000u)
    FUZZ_CHECK(rtt == SIPHB_ERR_PARSE);
  else
    FUZZ_CHECK(rtt >= 0 && rtt <= 32768000 && (uint64_t)rtt * 65536 <= (uint64_t)d * 1000 + 32768);
  uint32_t permille = siphb_rtcp_fraction_permille(b->fraction_lost);
  FUZZ_CHECK(permille <= 996 && (b->fraction_lost != 0 || permille == 0));
  uint32_t jitter = siphb_rtcp_jitter_ms(b->jitter, 8000);
  FUZZ_CHECK(jitter <= UINT32_MAX / 8 + 1);
  siphb_mos_input in;
  siphb_mos_input_init(&in, sizeof in);
  in.delay_ms = siphb_mos_one_way_delay_ms(rtt > 0 ? (uint32_t)rtt : 0, 2 * (jitter & 0xFFFF), 20);
  in.loss_permille = permille;
  in.burst_x100 = b->ext_highest_seq & 0x3FF;
  in.codec = (siphb_mos_codec)(b->source_ssrc % 4);
  siphb_mos_result r;
  FUZZ_CHECK(siphb_mos_estimate(&in, &r) == 0);
  FUZZ_CHECK(r.r_x100 >= 0 && r.r_x100 <= 9320 && r.mos_x100 >= 100 && r.mos_x100 <= 441);
  FUZZ_CHECK(r.mos_x100 == siphb_mos_from_r(r.r_x100));
}

/* Walks a parsed message both ways and checks it against the bytes. */
static void check_msg(const siphb_rtcp_msg *m, const uint8_t *data, size_t size) {
  FUZZ_CHECK(m->data == data && m->length == size && size > 0);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_report_block b, c;
  siphb_rtcp_iter_init(&it, m);
  size_t off = 0, n = 0, sr = 0, rr = 0, blocks = 0;
  uint32_t arrival = 0;
  while (siphb_rtcp_next_packet(&it, &p)) {
    FUZZ_CHECK(p.offset == off && p.data == data + off);
    FUZZ_CHECK(fuzz_inside(p.data, p.length, data, data + size));
    FUZZ_CHECK(p.length >= 4 && p.length == ((size_t)rd32(p.data) % 65536 + 1) * 4);
    FUZZ_CHECK((p.data[0] >> 6) == 2 && p.type == p.data[1] && p.count == (p.data[0] & 31));
    FUZZ_CHECK(p.padding == ((p.data[0] & 0x20) ? p.data[p.length - 1] : 0u));
    FUZZ_CHECK(p.padding <= p.length - 4);
    bool report = p.type == SIPHB_RTCP_SR || p.type == SIPHB_RTCP_RR;
    FUZZ_CHECK(p.has_sender_info == (p.type == SIPHB_RTCP_SR));
    if (report) {
      size_t fixed = p.type == SIPHB_RTCP_SR ? 28u : 8u;
      FUZZ_CHECK(p.has_ssrc && p.ssrc == rd32(p.data + 4));
      FUZZ_CHECK(p.ext_offset == off + fixed + (size_t)p.count * 24);
      FUZZ_CHECK(p.ext_offset + p.ext_len + p.padding == off + p.length);
      if (p.type == SIPHB_RTCP_SR) {
        sr++;
        FUZZ_CHECK(p.sender_info.ntp == ((uint64_t)rd32(p.data + 8) << 32 | rd32(p.data + 12)));
        FUZZ_CHECK(p.sender_info.rtp_ts == rd32(p.data + 16));
        FUZZ_CHECK(p.sender_info.packet_count == rd32(p.data + 20));
        FUZZ_CHECK(p.sender_info.octet_count == rd32(p.data + 24));
        arrival = siphb_rtcp_ntp_middle32(p.sender_info.ntp);
      } else {
        rr++;
      }
      for (size_t i = 0; i < p.count; i++) {
        FUZZ_CHECK(siphb_rtcp_packet_block(&p, i, &c) == 0);
        check_block(&c, p.data, off, i);
        check_figures(&c, arrival);
      }
      blocks += p.count;
    } else {
      FUZZ_CHECK(p.ext_len == 0 && p.sender_info.ntp == 0);
      FUZZ_CHECK(p.has_ssrc == (p.length - p.padding >= 8));
      if (p.has_ssrc) FUZZ_CHECK(p.ssrc == rd32(p.data + 4));
    }
    FUZZ_CHECK(siphb_rtcp_packet_block(&p, p.count, &c) == SIPHB_ERR_NOT_FOUND);
    off += p.length;
    n++;
  }
  FUZZ_CHECK(off == size && n == m->packet_count && sr == m->sr_count && rr == m->rr_count);
  FUZZ_CHECK(blocks == m->block_count);
  /* the block walk, from the start again */
  siphb_rtcp_iter_init(&it, m);
  size_t seen = 0;
  while (siphb_rtcp_next_block(&it, &b)) {
    const uint8_t *pkt = data + b.packet_offset;
    FUZZ_CHECK(b.packet_offset < size && b.index < (size_t)(pkt[0] & 31));
    check_block(&b, pkt, b.packet_offset, b.index);
    seen++;
  }
  FUZZ_CHECK(seen == m->block_count);
}

/* A byte offset is a packet boundary of the parsed message. */
static bool is_boundary(const siphb_rtcp_msg *m, size_t cut) {
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, m);
  while (siphb_rtcp_next_packet(&it, &p))
    if (p.offset + p.length == cut) return true;
  return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  siphb_rtcp_parse_config def, strict;
  siphb_rtcp_parse_config_init(&def, sizeof def);
  siphb_rtcp_parse_config_init(&strict, sizeof strict);
  FUZZ_CHECK(!def.strict);
  strict.strict = true;

  siphb_rtcp_msg m, ms, mn;
  siphb_error_info err, errs, errn;
  siphb_ssize rc = siphb_rtcp_parse(&m, data, size, &def, &err);
  siphb_ssize rcn = siphb_rtcp_parse(&mn, data, size, NULL, &errn);
  siphb_ssize rcs = siphb_rtcp_parse(&ms, data, size, &strict, &errs);
  FUZZ_CHECK(rc == rcn && err.offset == errn.offset);
  if (rc < 0) {
    check_error(rc, &err, size, false);
    /* strict fails too; first where the default did, or earlier for its own reasons */
    FUZZ_CHECK(rcs < 0);
    check_error(rcs, &errs, size, true);
    FUZZ_CHECK((rcs == rc && errs.offset == err.offset) || rcs == SIPHB_ERR_RTCP_TYPE ||
               (rcs == SIPHB_ERR_RTCP_LENGTH && errs.offset <= err.offset));
    return 0;
  }
  FUZZ_CHECK(rc == (siphb_ssize)size && err.code == 0 && err.message == NULL);
  check_msg(&m, data, size);
  if (rcs < 0) {
    check_error(rcs, &errs, size, true);
    FUZZ_CHECK(rcs == SIPHB_ERR_RTCP_TYPE || rcs == SIPHB_ERR_RTCP_LENGTH);
    if (rcs == SIPHB_ERR_RTCP_TYPE)
      FUZZ_CHECK(data[1] != SIPHB_RTCP_SR && data[1] != SIPHB_RTCP_RR);
    if (rcs == SIPHB_ERR_RTCP_LENGTH) FUZZ_CHECK(padded_not_last(&m, errs.offset));
  } else {
    FUZZ_CHECK(memcmp(&ms, &m, sizeof m) == 0);
  }

  /* A prefix parses only when cut at a packet boundary. */
  size_t cut = (size_t)data[size - 1] * size / 256;
  siphb_ssize rcp = siphb_rtcp_parse(&mn, data, cut, NULL, &errn);
  if (rcp >= 0) FUZZ_CHECK(is_boundary(&m, cut));
  else check_error(rcp, &errn, cut, false);
  return 0;
}
