/*
 * test_rtcp.c - the RTCP report codec: hand-built packets byte by byte (an
 * SR with two blocks, an RR, a compound SR + SDES + BYE, padding), every
 * malformed input with its exact code and offset, every prefix of a valid
 * compound packet, the strict checks of RFC 3550 Appendix A.2, and the
 * block arithmetic (RTT with the RFC 3550 section 6.4.1 example, jitter,
 * fraction lost). Every parse reads a heap copy of exactly the input's
 * size, so that ASan sees any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

/* The last parse: its exact-size input, result and error record. */
static struct {
  uint8_t *buf;
  size_t len;
  siphb_rtcp_msg msg;
  siphb_error_info err;
  siphb_ssize rc;
} t;

static siphb_ssize parse_cfg(const uint8_t *data, size_t len, const siphb_rtcp_parse_config *cfg) {
  free(t.buf);
  t.buf = malloc(len ? len : 1);
  assert_non_null(t.buf);
  if (len) memcpy(t.buf, data, len);
  t.len = len;
  memset(&t.err, 0xAA, sizeof t.err);
  t.rc = siphb_rtcp_parse(&t.msg, t.buf, len, cfg, &t.err);
  if (t.rc >= 0) {
    assert_int_equal(t.rc, (siphb_ssize)len);
    assert_int_equal(t.err.code, 0); /* cleared on success */
    assert_null(t.err.message);
    assert_ptr_equal(t.msg.data, t.buf);
    assert_int_equal(t.msg.length, len);
  }
  return t.rc;
}

static siphb_ssize parse(const uint8_t *data, size_t len) { return parse_cfg(data, len, NULL); }

static void expect_fail(int code, size_t offset) {
  assert_int_equal(t.rc, code);
  assert_int_equal(t.err.code, code);
  assert_int_equal(t.err.offset, offset);
  assert_int_equal(t.err.need, 0);
  assert_non_null(t.err.message);
}

static int teardown(void **state) {
  (void)state;
  free(t.buf);
  t.buf = NULL;
  return 0;
}

/* ---- the packets ---------------------------------------------------------- */

/* SR, two blocks: V2 RC2 PT200 length 18 (76 bytes). */
static const uint8_t sr2[76] = {
    0x82, 200, 0x00, 0x12, 0x11, 0x22, 0x33, 0x44,             /* header, SSRC */
    0xE8, 0xA1, 0xB2, 0xC3, 0x80, 0x00, 0x00, 0x00,             /* NTP */
    0x00, 0x01, 0x23, 0x45, 0x00, 0x00, 0x00, 0x64,             /* RTP ts, 100 packets */
    0x00, 0x00, 0x3E, 0x80,                                     /* 16000 octets */
    0xAA, 0xBB, 0xCC, 0xDD, 0x40, 0x00, 0x00, 0x05,             /* block 1: 64/256, 5 */
    0x00, 0x01, 0xF0, 0x0D, 0x00, 0x00, 0x00, 0x50,             /* seq, jitter 80 */
    0xB7, 0x05, 0x20, 0x00, 0x00, 0x05, 0x40, 0x00,             /* LSR, DLSR */
    0x01, 0x02, 0x03, 0x04, 0x00, 0xFF, 0xFF, 0xFE,             /* block 2: 0, -2 */
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00,             /* seq 16, jitter 0 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};            /* no SR yet */

/* RR, one block: V2 RC1 PT201 length 7 (32 bytes). */
static const uint8_t rr1[32] = {
    0x81, 201, 0x00, 0x07, 0x55, 0x66, 0x77, 0x88,             /* header, SSRC */
    0x11, 0x22, 0x33, 0x44, 0xFF, 0x80, 0x00, 0x00,             /* 255/256, -2^23 */
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0xE0,             /* seq, jitter 480 */
    0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x00, 0x00};            /* LSR, DLSR 1 s */

/* SR (one block, 52 bytes) + SDES (CNAME "abcd", 16) + BYE (8): 76 bytes. */
static const uint8_t compound[76] = {
    0x81, 200, 0x00, 0x0C, 0x11, 0x22, 0x33, 0x44,             /* SR */
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,             /* NTP 1.(2/2^32) */
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x00, 0x00, 0x00, 0x05,
    0xAA, 0xBB, 0xCC, 0xDD, 0x01, 0x7F, 0xFF, 0xFF,             /* 1/256, 2^23 - 1 */
    0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x07,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x09,
    0x81, 202, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44,             /* SDES, SC 1 */
    0x01, 0x04, 'a', 'b', 'c', 'd', 0x00, 0x00,                 /* CNAME, end, pad */
    0x81, 203, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44};            /* BYE */

static void check_sr2_blocks(void) {
  siphb_rtcp_iter it;
  siphb_rtcp_report_block b;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.sender_ssrc, 0x11223344u);
  assert_int_equal(b.source_ssrc, 0xAABBCCDDu);
  assert_int_equal(b.fraction_lost, 64);
  assert_int_equal(b.packet_type, SIPHB_RTCP_SR);
  assert_int_equal(b.cumulative_lost, 5);
  assert_int_equal(b.ext_highest_seq, 0x0001F00Du);
  assert_int_equal(b.jitter, 80);
  assert_int_equal(b.lsr, 0xB7052000u);
  assert_int_equal(b.dlsr, 0x00054000u);
  assert_int_equal(b.packet_offset, 0);
  assert_int_equal(b.index, 0);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.source_ssrc, 0x01020304u);
  assert_int_equal(b.fraction_lost, 0);
  assert_int_equal(b.cumulative_lost, -2);
  assert_int_equal(b.ext_highest_seq, 16);
  assert_int_equal(b.lsr, 0);
  assert_int_equal(b.index, 1);
  assert_false(siphb_rtcp_next_block(&it, &b));
  assert_false(siphb_rtcp_next_block(&it, &b)); /* stays at the end */
}

static void test_sr_with_two_blocks(void **state) {
  (void)state;
  assert_int_equal(parse(sr2, sizeof sr2), 76);
  assert_int_equal(t.msg.packet_count, 1);
  assert_int_equal(t.msg.sr_count, 1);
  assert_int_equal(t.msg.rr_count, 0);
  assert_int_equal(t.msg.block_count, 2);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_ptr_equal(p.data, t.buf);
  assert_int_equal(p.offset, 0);
  assert_int_equal(p.length, 76);
  assert_int_equal(p.padding, 0);
  assert_int_equal(p.type, SIPHB_RTCP_SR);
  assert_int_equal(p.count, 2);
  assert_true(p.has_ssrc);
  assert_int_equal(p.ssrc, 0x11223344u);
  assert_true(p.has_sender_info);
  assert_true(p.sender_info.ntp == 0xE8A1B2C380000000ull);
  assert_int_equal(p.sender_info.rtp_ts, 0x00012345u);
  assert_int_equal(p.sender_info.packet_count, 100);
  assert_int_equal(p.sender_info.octet_count, 16000);
  assert_int_equal(p.ext_offset, 76);
  assert_int_equal(p.ext_len, 0);
  assert_false(siphb_rtcp_next_packet(&it, &p));
  check_sr2_blocks();
  /* the same blocks by index */
  siphb_rtcp_report_block b;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_int_equal(siphb_rtcp_packet_block(&p, 1, &b), 0);
  assert_int_equal(b.cumulative_lost, -2);
  assert_int_equal(b.index, 1);
  assert_int_equal(siphb_rtcp_packet_block(&p, 2, &b), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_rtcp_packet_block(NULL, 0, &b), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_rtcp_packet_block(&p, 0, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_rtcp_packet bad = p; /* a caller's copy, altered */
  bad.length = 52;
  assert_int_equal(siphb_rtcp_packet_block(&bad, 1, &b), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_rtcp_packet_block(&bad, 0, &b), 0);
  bad.padding = 53;
  assert_int_equal(siphb_rtcp_packet_block(&bad, 0, &b), SIPHB_ERR_INVALID_ARGUMENT);
}

static void test_rr(void **state) {
  (void)state;
  assert_int_equal(parse(rr1, sizeof rr1), 32);
  assert_int_equal(t.msg.packet_count, 1);
  assert_int_equal(t.msg.rr_count, 1);
  assert_int_equal(t.msg.block_count, 1);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_report_block b;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_int_equal(p.type, SIPHB_RTCP_RR);
  assert_false(p.has_sender_info);
  assert_true(p.sender_info.ntp == 0);
  assert_int_equal(p.ssrc, 0x55667788u);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.sender_ssrc, 0x55667788u);
  assert_int_equal(b.source_ssrc, 0x11223344u);
  assert_int_equal(b.fraction_lost, 255);
  assert_int_equal(b.packet_type, SIPHB_RTCP_RR);
  assert_int_equal(b.cumulative_lost, -8388608); /* 0x800000 */
  assert_int_equal(b.ext_highest_seq, 0xFFFFFFFFu);
  assert_int_equal(b.jitter, 480);
  assert_int_equal(siphb_rtcp_jitter_ms(b.jitter, 48000), 10);
  assert_int_equal(b.lsr, 0x12345678u);
  assert_int_equal(b.dlsr, 0x00010000u);
  assert_false(siphb_rtcp_next_block(&it, &b));
  /* an empty RR (RC 0, SSRC only) is a report without blocks */
  static const uint8_t empty_rr[8] = {0x80, 201, 0, 1, 1, 2, 3, 4};
  assert_int_equal(parse(empty_rr, sizeof empty_rr), 8);
  assert_int_equal(t.msg.rr_count, 1);
  assert_int_equal(t.msg.block_count, 0);
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_false(siphb_rtcp_next_block(&it, &b));
}

static void test_compound_sr_sdes_bye(void **state) {
  (void)state;
  assert_int_equal(parse(compound, sizeof compound), 76);
  assert_int_equal(t.msg.packet_count, 3);
  assert_int_equal(t.msg.sr_count, 1);
  assert_int_equal(t.msg.block_count, 1);
  static const struct {
    uint8_t type, count;
    size_t offset, length;
  } want[3] = {{200, 1, 0, 52}, {202, 1, 52, 16}, {203, 1, 68, 8}};
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, &t.msg);
  for (size_t i = 0; i < 3; i++) {
    assert_true(siphb_rtcp_next_packet(&it, &p));
    assert_int_equal(p.type, want[i].type);
    assert_int_equal(p.count, want[i].count);
    assert_int_equal(p.offset, want[i].offset);
    assert_int_equal(p.length, want[i].length);
    assert_ptr_equal(p.data, t.buf + want[i].offset);
    assert_true(p.has_ssrc);
    assert_int_equal(p.ssrc, 0x11223344u);
    assert_int_equal(p.has_sender_info, i == 0);
    assert_int_equal(p.ext_len, 0);
  }
  assert_false(siphb_rtcp_next_packet(&it, &p));
  siphb_rtcp_report_block b;
  assert_int_equal(siphb_rtcp_packet_block(&p, 0, &b), SIPHB_ERR_NOT_FOUND); /* a BYE */
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_true(p.sender_info.ntp == 0x0000000100000002ull);
  assert_int_equal(p.sender_info.rtp_ts, 3);
  assert_int_equal(p.sender_info.packet_count, 4);
  assert_int_equal(p.sender_info.octet_count, 5);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.fraction_lost, 1);
  assert_int_equal(b.cumulative_lost, 8388607);
  assert_int_equal(b.ext_highest_seq, 6);
  assert_int_equal(b.jitter, 7);
  assert_int_equal(b.lsr, 8);
  assert_int_equal(b.dlsr, 9);
  assert_false(siphb_rtcp_next_block(&it, &b));
  /* the walks are independent: packets still start at the first */
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_int_equal(p.type, SIPHB_RTCP_SDES);
}

/* RR + SDES in the other order, an RR after a BYE, and blocks across two
 * reports: the block walk visits every SR/RR in packet order. */
static void test_blocks_across_packets(void **state) {
  (void)state;
  uint8_t buf[8 + 32 + 76];
  static const uint8_t bye[8] = {0x81, 203, 0, 1, 9, 9, 9, 9};
  memcpy(buf, bye, 8);
  memcpy(buf + 8, rr1, 32);
  memcpy(buf + 40, sr2, 76);
  assert_int_equal(parse(buf, sizeof buf), (siphb_ssize)sizeof buf);
  assert_int_equal(t.msg.packet_count, 3);
  assert_int_equal(t.msg.block_count, 3);
  siphb_rtcp_iter it;
  siphb_rtcp_report_block b;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.packet_offset, 8);
  assert_int_equal(b.sender_ssrc, 0x55667788u);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.packet_offset, 40);
  assert_int_equal(b.index, 0);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.index, 1);
  assert_false(siphb_rtcp_next_block(&it, &b));
  /* strict refuses a BYE first (Appendix A.2) */
  siphb_rtcp_parse_config cfg;
  siphb_rtcp_parse_config_init(&cfg, sizeof cfg);
  assert_false(cfg.strict);
  cfg.strict = true;
  parse_cfg(buf, sizeof buf, &cfg);
  expect_fail(SIPHB_ERR_RTCP_TYPE, 0);
  assert_int_equal(parse_cfg(buf + 8, sizeof buf - 8, &cfg), (siphb_ssize)sizeof buf - 8);
}

static void test_padding(void **state) {
  (void)state;
  /* RR, RC 0, 4 padding octets: 12 bytes */
  static const uint8_t rr_pad[12] = {0xA0, 201, 0, 2, 1, 2, 3, 4, 0, 0, 0, 4};
  assert_int_equal(parse(rr_pad, sizeof rr_pad), 12);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_int_equal(p.length, 12);
  assert_int_equal(p.padding, 4);
  assert_int_equal(p.ext_len, 0); /* padding is no extension */
  /* RR, RC 1 with 8 padding octets, then nothing: 40 bytes */
  uint8_t buf[40];
  memcpy(buf, rr1, 32);
  buf[0] = 0xA1;
  buf[3] = 9;
  memset(buf + 32, 0, 8);
  buf[39] = 8;
  assert_int_equal(parse(buf, sizeof buf), 40);
  assert_int_equal(t.msg.block_count, 1);
  siphb_rtcp_report_block b;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_block(&it, &b));
  assert_int_equal(b.jitter, 480);
  /* the same with 4 padding octets leaves a 4-byte extension */
  buf[39] = 4;
  assert_int_equal(parse(buf, sizeof buf), 40);
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_int_equal(p.padding, 4);
  assert_int_equal(p.ext_offset, 32);
  assert_int_equal(p.ext_len, 4);
  /* padding that eats into the block: RC no longer fits */
  buf[39] = 12;
  parse(buf, sizeof buf);
  expect_fail(SIPHB_ERR_RTCP_REPORT_COUNT, 0);
  /* padding count 0, and beyond the packet (header included) */
  buf[39] = 0;
  parse(buf, sizeof buf);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 39);
  buf[39] = 37;
  parse(buf, sizeof buf);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 39);
  buf[39] = 36; /* the whole body: then the SSRC is missing */
  parse(buf, sizeof buf);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  /* a BYE with 4 padding octets after an SR: padding on the last packet */
  uint8_t cp[76 + 12];
  memcpy(cp, sr2, 76);
  static const uint8_t bye_pad[12] = {0xA1, 203, 0, 2, 1, 2, 3, 4, 0, 0, 0, 4};
  memcpy(cp + 76, bye_pad, 12);
  siphb_rtcp_parse_config strict;
  siphb_rtcp_parse_config_init(&strict, sizeof strict);
  strict.strict = true;
  assert_int_equal(parse_cfg(cp, sizeof cp, &strict), (siphb_ssize)sizeof cp);
  assert_int_equal(t.msg.packet_count, 2);
  /* padding on the first of two packets: honoured, refused when strict */
  uint8_t cp2[40 + 8];
  memcpy(cp2, buf, 40);
  cp2[39] = 4;
  memcpy(cp2 + 40, bye_pad, 8);
  cp2[40] = 0x81;
  cp2[43] = 1;
  assert_int_equal(parse(cp2, sizeof cp2), 48);
  assert_int_equal(t.msg.packet_count, 2);
  parse_cfg(cp2, sizeof cp2, &strict);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
}

/* ---- malformed input ------------------------------------------------------ */

static void test_version(void **state) {
  (void)state;
  uint8_t buf[32];
  for (unsigned v = 0; v < 4; v++) {
    if (v == 2) continue;
    memcpy(buf, rr1, 32);
    buf[0] = (uint8_t)(v << 6 | 1);
    parse(buf, sizeof buf);
    expect_fail(SIPHB_ERR_RTCP_VERSION, 0);
  }
  /* version 1 in the third packet of a compound one */
  uint8_t cp[76];
  memcpy(cp, compound, 76);
  cp[68] = 0x41;
  parse(cp, sizeof cp);
  expect_fail(SIPHB_ERR_RTCP_VERSION, 68);
}

static void test_lengths(void **state) {
  (void)state;
  /* zero length, with and without a buffer */
  assert_int_equal(siphb_rtcp_parse(&t.msg, NULL, 0, NULL, &t.err), SIPHB_ERR_RTCP_LENGTH);
  assert_int_equal(t.err.code, SIPHB_ERR_RTCP_LENGTH);
  parse(rr1, 0);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  /* a header cut short */
  for (size_t n = 1; n < 4; n++) {
    parse(rr1, n);
    expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  }
  /* the length field past the buffer */
  parse(rr1, 28);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  uint8_t buf[32 + 3];
  memcpy(buf, rr1, 32);
  buf[3] = 8;
  parse(buf, 32);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  buf[2] = 0xFF;
  buf[3] = 0xFF; /* 262144 bytes */
  parse(buf, 32);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  /* trailing bytes after a whole packet: a second header cut short */
  memcpy(buf, rr1, 32);
  buf[32] = 0x80;
  buf[33] = 201;
  buf[34] = 0;
  parse(buf, 35);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 32);
  /* an RR without its SSRC, an SR without its sender info */
  static const uint8_t rr0[4] = {0x80, 201, 0, 0};
  parse(rr0, 4);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  uint8_t sr[76];
  memcpy(sr, sr2, 76);
  sr[0] = 0x80;
  sr[3] = 5; /* 24 bytes: 4 short of the sender info */
  parse(sr, 24);
  expect_fail(SIPHB_ERR_RTCP_LENGTH, 0);
  sr[3] = 6; /* 28 bytes: exactly the fixed part */
  assert_int_equal(parse(sr, 28), 28);
  /* other types need only their header */
  static const uint8_t sdes0[4] = {0x9F, 202, 0, 0}; /* SC 31, nothing there */
  assert_int_equal(parse(sdes0, 4), 4);
  assert_int_equal(t.msg.packet_count, 1);
  assert_int_equal(t.msg.block_count, 0);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_false(p.has_ssrc);
  assert_int_equal(p.count, 31);
}

static void test_report_count(void **state) {
  (void)state;
  uint8_t buf[76];
  memcpy(buf, rr1, 32);
  buf[0] = 0x82; /* RC 2, room for 1 */
  parse(buf, 32);
  expect_fail(SIPHB_ERR_RTCP_REPORT_COUNT, 0);
  buf[0] = 0x9F; /* RC 31 */
  parse(buf, 32);
  expect_fail(SIPHB_ERR_RTCP_REPORT_COUNT, 0);
  memcpy(buf, sr2, 76);
  buf[0] = 0x83;
  parse(buf, 76);
  expect_fail(SIPHB_ERR_RTCP_REPORT_COUNT, 0);
  buf[0] = 0x81;
  buf[3] = 6; /* SR, RC 1, no room for it */
  parse(buf, 28);
  expect_fail(SIPHB_ERR_RTCP_REPORT_COUNT, 0);
  /* RC below what fits: the rest is the profile-specific extension */
  memcpy(buf, sr2, 76);
  buf[0] = 0x81;
  assert_int_equal(parse(buf, 76), 76);
  assert_int_equal(t.msg.block_count, 1);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_iter_init(&it, &t.msg);
  assert_true(siphb_rtcp_next_packet(&it, &p));
  assert_int_equal(p.ext_offset, 52);
  assert_int_equal(p.ext_len, 24);
  /* in the second packet: the offset is that packet's */
  uint8_t cp[8 + 32];
  static const uint8_t bye[8] = {0x81, 203, 0, 1, 9, 9, 9, 9};
  memcpy(cp, bye, 8);
  memcpy(cp + 8, rr1, 32);
  cp[8] = 0x82;
  parse(cp, sizeof cp);
  expect_fail(SIPHB_ERR_RTCP_REPORT_COUNT, 8);
}

/* Every cut of a valid compound packet: whole packets parse, anything else
 * fails with a length error, never a read past the cut. */
static void test_every_prefix(void **state) {
  (void)state;
  for (size_t n = 0; n <= sizeof compound; n++) {
    siphb_ssize rc = parse(compound, n);
    if (n == 52 || n == 68 || n == 76) {
      assert_int_equal(rc, (siphb_ssize)n);
    } else {
      assert_int_equal(rc, SIPHB_ERR_RTCP_LENGTH);
      assert_true(t.err.offset < n || n == 0);
    }
  }
}

static void test_arguments(void **state) {
  (void)state;
  siphb_error_info err;
  assert_int_equal(siphb_rtcp_parse(NULL, rr1, 32, NULL, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.code, SIPHB_ERR_INVALID_ARGUMENT);
  siphb_rtcp_msg m;
  assert_int_equal(siphb_rtcp_parse(&m, NULL, 4, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_rtcp_parse_config cfg;
  memset(&cfg, 0, sizeof cfg);
  assert_int_equal(siphb_rtcp_parse(&m, rr1, 32, &cfg, &err), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_rtcp_iter it;
  siphb_rtcp_packet p;
  siphb_rtcp_report_block b;
  siphb_rtcp_iter_init(NULL, &m); /* no crash */
  siphb_rtcp_iter_init(&it, NULL);
  assert_false(siphb_rtcp_next_packet(&it, &p));
  assert_false(siphb_rtcp_next_block(&it, &b));
  assert_false(siphb_rtcp_next_packet(NULL, &p));
  assert_false(siphb_rtcp_next_block(&it, NULL));
  /* a failed parse leaves an empty message: the walks find nothing */
  assert_int_equal(siphb_rtcp_parse(&m, rr1, 3, NULL, NULL), SIPHB_ERR_RTCP_LENGTH);
  siphb_rtcp_iter_init(&it, &m);
  assert_false(siphb_rtcp_next_packet(&it, &p));
}

/* ---- the figures ---------------------------------------------------------- */

static void test_rtt(void **state) {
  (void)state;
  /* RFC 3550 section 6.4.1's example: 0x0006:2000 = 6.125 s */
  assert_int_equal(siphb_rtcp_rtt_ms(0xB7108000u, 0xB7052000u, 0x00054000u), 6125);
  assert_int_equal(siphb_rtcp_rtt_ms(0xB7108000u, 0, 0x00054000u), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(siphb_rtcp_rtt_ms(0x00100000u, 0x00080000u, 0x00080000u), 0);
  /* arrival before LSR + DLSR: negative */
  assert_int_equal(siphb_rtcp_rtt_ms(0x0010FFFFu, 0x00080000u, 0x00090000u), SIPHB_ERR_PARSE);
  assert_int_equal(siphb_rtcp_rtt_ms(0x00100000u, 0x00080000u, 0x00080001u), SIPHB_ERR_PARSE);
  /* across the 2^32 wrap of the middle 32 bits: 1.5 s */
  assert_int_equal(siphb_rtcp_rtt_ms(0x00010000u, 0xFFFF0000u, 0x00008000u), 1500);
  /* rounding: 32/65536 s = 0.49 ms, 33/65536 s = 0.50 ms */
  assert_int_equal(siphb_rtcp_rtt_ms(32 + 1, 1, 0), 0);
  assert_int_equal(siphb_rtcp_rtt_ms(33 + 1, 1, 0), 1);
  assert_int_equal(siphb_rtcp_rtt_ms(0x00000CCDu + 1, 1, 0), 50); /* 3277/65536 s */
  /* the largest: 2^31 - 1 units */
  assert_int_equal(siphb_rtcp_rtt_ms(0x80000000u, 1, 0), 32768000);
  assert_int_equal(siphb_rtcp_rtt_ms(0x80000001u, 1, 0), SIPHB_ERR_PARSE);
  /* the NTP middle: seconds' low 16 bits, fraction's high 16 */
  assert_int_equal(siphb_rtcp_ntp_middle32(0xE8A1B2C380004000ull), 0xB2C38000u);
  assert_int_equal(siphb_rtcp_ntp_middle32(0xB71080001234FFFFull >> 0), 0x80001234u);
  /* the SR's sent time echoed as LSR, with 0.25 s DLSR, 0.5 s later */
  uint64_t sent = 0xE8A1B2C380000000ull;
  uint32_t lsr = siphb_rtcp_ntp_middle32(sent);
  uint32_t arrival = siphb_rtcp_ntp_middle32(sent + 0x80000000ull);
  assert_int_equal(siphb_rtcp_rtt_ms(arrival, lsr, 0x4000), 250);
}

static void test_jitter_and_loss(void **state) {
  (void)state;
  assert_int_equal(siphb_rtcp_jitter_ms(80, 8000), 10);
  assert_int_equal(siphb_rtcp_jitter_ms(4, 8000), 1); /* 0.5 ms rounds up */
  assert_int_equal(siphb_rtcp_jitter_ms(3, 8000), 0);
  assert_int_equal(siphb_rtcp_jitter_ms(480, 48000), 10);
  assert_int_equal(siphb_rtcp_jitter_ms(1000, 0), 0);
  assert_int_equal(siphb_rtcp_jitter_ms(UINT32_MAX, 8000), 536870912);
  assert_int_equal(siphb_rtcp_jitter_ms(UINT32_MAX, 1), UINT32_MAX);
  assert_int_equal(siphb_rtcp_fraction_permille(0), 0);
  assert_int_equal(siphb_rtcp_fraction_permille(1), 4);
  assert_int_equal(siphb_rtcp_fraction_permille(64), 250);
  assert_int_equal(siphb_rtcp_fraction_permille(128), 500);
  assert_int_equal(siphb_rtcp_fraction_permille(255), 996);
  for (unsigned f = 1; f < 256; f++) /* monotonic */
    assert_true(siphb_rtcp_fraction_permille((uint8_t)f) >
                siphb_rtcp_fraction_permille((uint8_t)(f - 1)));
}

static void test_error_names(void **state) {
  (void)state;
  assert_string_equal(siphb_errname(SIPHB_ERR_RTCP_VERSION), "SIPHB_ERR_RTCP_VERSION");
  assert_string_equal(siphb_errname(SIPHB_ERR_RTCP_LENGTH), "SIPHB_ERR_RTCP_LENGTH");
  assert_string_equal(siphb_errname(SIPHB_ERR_RTCP_REPORT_COUNT), "SIPHB_ERR_RTCP_REPORT_COUNT");
  assert_int_equal(SIPHB_ERR_RTCP_VERSION, -300);
  assert_int_equal(SIPHB_ERR_RTCP_LENGTH, -301);
  assert_int_equal(SIPHB_ERR_RTCP_REPORT_COUNT, -302);
  assert_false(siphb_err_is_fatal(SIPHB_ERR_RTCP_TYPE));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_sr_with_two_blocks, teardown),
      cmocka_unit_test_teardown(test_rr, teardown),
      cmocka_unit_test_teardown(test_compound_sr_sdes_bye, teardown),
      cmocka_unit_test_teardown(test_blocks_across_packets, teardown),
      cmocka_unit_test_teardown(test_padding, teardown),
      cmocka_unit_test_teardown(test_version, teardown),
      cmocka_unit_test_teardown(test_lengths, teardown),
      cmocka_unit_test_teardown(test_report_count, teardown),
      cmocka_unit_test_teardown(test_every_prefix, teardown),
      cmocka_unit_test_teardown(test_arguments, teardown),
      cmocka_unit_test(test_rtt),
      cmocka_unit_test(test_jitter_and_loss),
      cmocka_unit_test(test_error_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
