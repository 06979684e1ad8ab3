/*
 * siphb/rtcp.h - the RTCP report codec (RFC 3550): a zero-copy parser of
 * compound RTCP packets (section 6.1) that yields the report blocks of
 * sender reports (SR, section 6.4.1) and receiver reports (RR, section
 * 6.4.2), plus the SR sender info; and the arithmetic that turns a block
 * into round-trip time, jitter and loss figures for siphb/mos.h.
 *
 * Pure functions: no ctx, no allocation, no I/O, no global state. The
 * parser keeps pointers into the caller's buffer, which must outlive the
 * parsed siphb_rtcp_msg; it never reads outside [data, data + len). The
 * whole compound packet is checked before anything is returned, so the
 * walks below (siphb_rtcp_next_packet, siphb_rtcp_next_block) cannot fail.
 *
 * siphb does not decrypt SRTCP: pass the plaintext compound packet
 * (without the SRTCP index and authentication tag).
 *
 * Byte order: everything on the wire is big-endian; every number in these
 * structs is in host order.
 */
#ifndef SIPHB_RTCP_H
#define SIPHB_RTCP_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants ------------------------------------------------------------ */

#define SIPHB_RTCP_VERSION 2u           /* the only version (RFC 3550 section 6.4.1) */
#define SIPHB_RTCP_HEADER_SIZE 4u       /* V P count, PT, length */
#define SIPHB_RTCP_SENDER_INFO_SIZE 20u /* NTP (8), RTP ts, packets, octets */
#define SIPHB_RTCP_BLOCK_SIZE 24u       /* one report block */

/* Packet types (RFC 3550 section 12.1; 207 XR: RFC 3611; 205/206 RFC 4585). */
#define SIPHB_RTCP_SR 200u
#define SIPHB_RTCP_RR 201u
#define SIPHB_RTCP_SDES 202u
#define SIPHB_RTCP_BYE 203u
#define SIPHB_RTCP_APP 204u

/* ---- the parser ----------------------------------------------------------- */

/* Fill with siphb_rtcp_parse_config_init(&cfg, sizeof cfg) (common.h: how
 * it grows). */
typedef struct siphb_rtcp_parse_config {
  uint32_t size; /* set by siphb_rtcp_parse_config_init() */
  /* false (default): any sequence of well-formed RTCP packets is taken,
   * so reduced-size RTCP (RFC 5506: e.g. a lone SDES or a feedback packet)
   * parses, and a padding bit on a packet other than the last is honoured
   * (its last octet counts the padding inside that packet). true: the
   * validity checks of RFC 3550 Appendix A.2 as well: the first packet is
   * an SR or an RR (else SIPHB_ERR_RTCP_TYPE) and only the last packet has
   * the padding bit (else SIPHB_ERR_RTCP_LENGTH). */
  bool strict;
} siphb_rtcp_parse_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above. */
SIPHB_EXTERN void siphb_rtcp_parse_config_init(siphb_rtcp_parse_config *cfg, size_t size);

/* A parsed compound packet. Filled by siphb_rtcp_parse(); valid only when
 * it returned >= 0, and only while the parsed buffer is. */
typedef struct siphb_rtcp_msg {
  const uint8_t *data;   /* the compound packet: data[0..length) */
  size_t length;         /* the whole datagram */
  size_t packet_count;   /* RTCP packets in it, every type counted */
  size_t sr_count;       /* of which sender reports */
  size_t rr_count;       /* of which receiver reports */
  size_t block_count;    /* report blocks in all SRs and RRs */
  uint64_t reserved_[4]; /* zeroed; later fields are carved from here */
} siphb_rtcp_msg;

/*
 * Parses the compound RTCP packet data[0..len) (one datagram; the packet
 * lengths must add up to len exactly, RFC 3550 Appendix A.2). cfg NULL
 * means the defaults; err is optional. Checks, for every packet in turn:
 *   - a 4-byte header is there, version 2;
 *   - the length field ((length + 1) * 4 bytes) fits in what is left;
 *   - padding bit set: the last octet (the padding count, itself included)
 *     is at least 1 and leaves the 4-byte header in place;
 *   - SR and RR: the sender's SSRC (and for SR the 20-byte sender info)
 *     fits before the padding, and so do the RC report blocks. Bytes after
 *     the blocks are the profile-specific extension (section 6.4.1),
 *     offered in siphb_rtcp_packet and otherwise ignored;
 *   - other types (SDES, BYE, APP, XR, feedback...) are walked over.
 *
 * Returns the bytes parsed (always len), or:
 *   SIPHB_ERR_INVALID_ARGUMENT  msg NULL, data NULL with len > 0, cfg not
 *                               initialised (size 0)
 *   SIPHB_ERR_UNSUPPORTED       cfg sets a field this library does not know
 *   SIPHB_ERR_RTCP_VERSION      a packet's version is not 2
 *   SIPHB_ERR_RTCP_LENGTH       len 0, a header cut short (fewer than 4
 *                               bytes left), a length field past the end
 *                               of the datagram, a padding count of 0 or
 *                               beyond the packet, an SR or RR too short
 *                               for its SSRC or sender info; strict: a
 *                               padding bit on a packet other than the last
 *   SIPHB_ERR_RTCP_REPORT_COUNT an SR or RR whose RC report blocks do not
 *                               fit in its length (less padding)
 *   SIPHB_ERR_RTCP_TYPE         strict: the first packet is not an SR or RR
 * err->offset is the first byte of the packet at fault, except for a
 * padding count (the octet holding it). *msg is written in every case but
 * meaningful only on success.
 */
SIPHB_EXTERN siphb_ssize siphb_rtcp_parse(siphb_rtcp_msg *msg, const uint8_t *data, size_t len,
                                          const siphb_rtcp_parse_config *cfg,
                                          siphb_error_info *err);

/* ---- walking a parsed packet -------------------------------------------- */

/* The sender info of an SR (RFC 3550 section 6.4.1). Fixed layout: the
 * wire's fields. */
typedef struct siphb_rtcp_sender_info {
  uint64_t ntp;          /* NTP timestamp: seconds << 32 | fraction */
  uint32_t rtp_ts;       /* RTP timestamp of the same instant */
  uint32_t packet_count; /* sender's packet count */
  uint32_t octet_count;  /* sender's payload octet count */
} siphb_rtcp_sender_info;

/* One RTCP packet of the compound packet. */
typedef struct siphb_rtcp_packet {
  const uint8_t *data;    /* its first byte (the header), in the parsed buffer */
  size_t offset;          /* of that byte from the start of the compound packet */
  size_t length;          /* (length field + 1) * 4: header and padding included */
  size_t padding;         /* padding octets at its end (0 without the P bit) */
  uint8_t type;           /* PT, e.g. SIPHB_RTCP_SR */
  uint8_t count;          /* the 5-bit count: RC for SR/RR, SC, subtype... */
  bool has_ssrc;          /* SR/RR always; others when a 32-bit word follows
                             the header (the SSRC/CSRC of BYE, SDES, APP, XR) */
  uint32_t ssrc;          /* that word: for SR/RR the sender's SSRC */
  bool has_sender_info;   /* SR */
  siphb_rtcp_sender_info sender_info; /* SR only, else zeros */
  size_t ext_offset;      /* SR/RR: offset (in the compound packet) of the
                             profile-specific extension after the blocks */
  size_t ext_len;         /* its bytes; 0 when none (and for other types) */
  uint64_t reserved_[2];  /* zeroed; later fields are carved from here */
} siphb_rtcp_packet;

/* One report block (RFC 3550 section 6.4.1), with the SSRC of the SR or
 * RR that carried it. */
typedef struct siphb_rtcp_report_block {
  uint32_t sender_ssrc;     /* SSRC of the packet's sender (the reporter) */
  uint32_t source_ssrc;     /* SSRC_n: the source reported on */
  uint8_t fraction_lost;    /* lost / expected * 256 since the previous report */
  uint8_t packet_type;      /* SIPHB_RTCP_SR or SIPHB_RTCP_RR */
  int32_t cumulative_lost;  /* 24-bit two's complement, sign-extended: may be
                               negative (duplicates) */
  uint32_t ext_highest_seq; /* cycles << 16 | highest sequence number */
  uint32_t jitter;          /* interarrival jitter, RTP timestamp units */
  uint32_t lsr;             /* middle 32 bits of the last SR's NTP time, 0: none */
  uint32_t dlsr;            /* delay since that SR, 1/65536 s; 0: none */
  size_t packet_offset;     /* offset of the SR/RR in the compound packet */
  size_t index;             /* the block's index in that packet */
  uint64_t reserved_[2];    /* zeroed; later fields are carved from here */
} siphb_rtcp_report_block;

/* Position of the walks over a parsed compound packet: packets and report
 * blocks are two independent walks, each in packet order. */
typedef struct siphb_rtcp_iter {
  const siphb_rtcp_msg *msg_; /* internal */
  size_t next_packet_;        /* internal: offset of the next packet */
  size_t block_packet_;       /* internal: offset of the packet of the next block */
  size_t block_index_;        /* internal: index of the next block in it */
  uint64_t reserved_[1];      /* internal: room to grow */
} siphb_rtcp_iter;

/* Starts both walks at the first packet of msg (parsed successfully). */
SIPHB_EXTERN void siphb_rtcp_iter_init(siphb_rtcp_iter *it, const siphb_rtcp_msg *msg);

/* The next packet: true and *out set, or false at the end (or for NULL
 * pointers). */
SIPHB_EXTERN bool siphb_rtcp_next_packet(siphb_rtcp_iter *it, siphb_rtcp_packet *out);

/* The next report block of any SR or RR: true and *out set, or false at
 * the end (or for NULL pointers). */
SIPHB_EXTERN bool siphb_rtcp_next_block(siphb_rtcp_iter *it, siphb_rtcp_report_block *out);

/* Report block i of a packet a walk returned: 0 and *out set;
 * SIPHB_ERR_NOT_FOUND when the packet is no SR/RR or i >= its count;
 * SIPHB_ERR_INVALID_ARGUMENT for NULL pointers, or a packet whose length
 * and padding (altered since the walk) leave no room for block i. */
SIPHB_EXTERN int siphb_rtcp_packet_block(const siphb_rtcp_packet *pkt, size_t i,
                                         siphb_rtcp_report_block *out);

/* ---- the figures of a report block --------------------------------------- */

/* The middle 32 bits of a 64-bit NTP timestamp (seconds << 32 | fraction):
 * the form of LSR and of the arrival time A of RFC 3550 section 6.4.1. */
SIPHB_EXTERN uint32_t siphb_rtcp_ntp_middle32(uint64_t ntp);

/*
 * Round-trip time at the SR sender, in milliseconds (RFC 3550 section
 * 6.4.1): A - LSR - DLSR in 1/65536 s, computed modulo 2^32 as the RFC
 * says, then rounded to the nearest millisecond. arrival is A, the middle
 * 32 bits of the NTP time at which the block arrived (same clock as the SR
 * that LSR echoes). Returns the RTT (0 .. 32768000), or:
 *   SIPHB_ERR_NOT_FOUND  lsr is 0: the reporter has received no SR yet,
 *                        so there is no RTT;
 *   SIPHB_ERR_PARSE      A - LSR - DLSR is negative (taken as a signed
 *                        32-bit value): the DLSR exceeds the time since
 *                        that SR, so the block or the clocks are wrong.
 */
SIPHB_EXTERN int32_t siphb_rtcp_rtt_ms(uint32_t arrival, uint32_t lsr, uint32_t dlsr);

/* Interarrival jitter (RTP timestamp units) in milliseconds for an RTP
 * clock of clock_rate Hz (8000 for G.711, 48000 for Opus), rounded to the
 * nearest; 0 when clock_rate is 0; saturates at UINT32_MAX (clocks below
 * 1 kHz). */
SIPHB_EXTERN uint32_t siphb_rtcp_jitter_ms(uint32_t jitter, uint32_t clock_rate);

/* A fraction lost (lost / expected * 256, RFC 3550 section 6.4.1) in
 * permille, rounded to the nearest: 0 -> 0, 128 -> 500, 255 -> 996. */
SIPHB_EXTERN uint32_t siphb_rtcp_fraction_permille(uint8_t fraction_lost);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_RTCP_H */
