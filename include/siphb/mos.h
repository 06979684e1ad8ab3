/*
 * siphb/mos.h - an estimated listening/conversational quality (R and MOS)
 * from network figures, after the ITU-T G.107 E-model with its default
 * values: R = 93.2 - Id - Ie,eff, mapped to MOS by G.107 Annex B.
 *
 * Pure functions: no ctx, no allocation, no floating point, no libm.
 * Results are integers scaled by 100 (r_x100 9320 is R = 93.20).
 *
 * What is standard and what is not (docs/PROTOCOL-FACTS section 8):
 *   - 93.2 (Ro - Is with every G.107 default), the Ie,eff formula
 *     Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl) and the Annex B mapping
 *     are G.107's;
 *   - Id, the delay impairment, is G.107's full Idte + Idle + Idd with the
 *     default values (TELR 65 dB, WEPL 110 dB, T = Ta = the one-way delay,
 *     Tr = twice it, mT 100 ms, sT 1), taken relative to its value at 0 ms
 *     so that 0 ms gives 93.2 exactly. The core has no libm (no log2, no
 *     sixth root), so Id comes from a table of that formula, computed
 *     offline (scripts/gen-mos-delay-table.py) every 10 ms up to 1 s,
 *     every 100 ms up to 5 s and every second up to 20 s, interpolated
 *     linearly, and held beyond 20 s. Its largest error against the
 *     formula is 0.09 R at 1 ms (the talker-echo term's dip), 0.022 R
 *     over 10-600 ms, 0.037 R up to 5 s, 0.008 R up to 20 s (where R is
 *     14, MOS 1.2); held beyond, it drifts (6 R high at 30 s). 0.1 R is at
 *     most 0.005 MOS. tests/policy/test_mos.c checks it against the
 *     formula computed with libm over 0-600 ms and 0-20 % loss for each
 *     codec, allowing 0.1 MOS. The common shortcut Id = 0.024 d + 0.11 (d -
 *     177.3) H(d - 177.3) (Cole and Rosenbluth, 2001) is not used: it
 *     departs from the full formula by up to 0.84 MOS at 600 ms (R 32
 *     instead of 49), by 3 R already at 400 ms;
 *   - the delay to pass is the one-way mouth-to-ear delay. From RTCP that
 *     is an estimate: siphb_mos_one_way_delay_ms() gives RTT / 2 plus the
 *     receiver's jitter buffer and codec/packetisation delay, common
 *     practice rather than a standard.
 * Echo, noise, loudness and the advantage factor A are the defaults (A 0).
 */
#ifndef SIPHB_MOS_H
#define SIPHB_MOS_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Codecs with their equipment impairment Ie and packet-loss robustness
 * Bpl (narrowband E-model). Sources and confidence:
 *   G711      Ie 0, Bpl 25.1: G.711 with its Appendix I packet loss
 *             concealment, ITU-T G.113 Appendix I (provisional planning
 *             values), random loss. Quoted by several implementations;
 *             not checked against the ITU text itself [Q].
 *   G711_NOPLC Ie 0, Bpl 4.3: G.711 without concealment, same table [Q].
 *   G729A     Ie 11, Bpl 19.0: G.729A with VAD, same table [Q].
 *   OPUS      Ie 0, Bpl 25.1: NOT an ITU value. G.113 Appendix I has no
 *             narrowband Ie/Bpl for Opus (its published impairment
 *             factors are wideband/fullband ones, Ie,wb / Ie,fb, on other
 *             scales). siphb treats Opus at speech bit rates (>= 12 kbit/s,
 *             with its built-in concealment) as no worse than G.711 with
 *             PLC. Low confidence [U]: use CUSTOM with values measured for
 *             your configuration when it matters.
 *   CUSTOM    the caller's ie_x10 and bpl_x10.
 */
typedef enum siphb_mos_codec {
  SIPHB_MOS_G711 = 0,
  SIPHB_MOS_G711_NOPLC = 1,
  SIPHB_MOS_G729A = 2,
  SIPHB_MOS_OPUS = 3,
  SIPHB_MOS_CUSTOM = 4
} siphb_mos_codec;

/* Fill with siphb_mos_input_init(&in, sizeof in) (common.h: how it grows). */
typedef struct siphb_mos_input {
  uint32_t size;          /* set by siphb_mos_input_init() */
  uint32_t delay_ms;      /* one-way mouth-to-ear delay (default 0) */
  uint32_t loss_permille; /* packet loss, 0-1000 (default 0); e.g. from
                             siphb_rtcp_fraction_permille() */
  uint32_t burst_x100;    /* BurstR * 100: 100 (default) random loss, more
                             for bursty loss; 0 is taken as 100 */
  siphb_mos_codec codec;  /* default SIPHB_MOS_G711 */
  uint32_t ie_x10;        /* CUSTOM only: Ie * 10, 0-950 */
  uint32_t bpl_x10;       /* CUSTOM only: Bpl * 10, 1-1000 */
} siphb_mos_input;

/* Fills in (size bytes: pass sizeof *in) with the defaults above. */
SIPHB_EXTERN void siphb_mos_input_init(siphb_mos_input *in, size_t size);

/* The estimate, every figure times 100. */
typedef struct siphb_mos_result {
  int32_t r_x100;        /* R, 0-9320 (clamped at 0) */
  int32_t mos_x100;      /* MOS (G.107 Annex B), 100-450 */
  int32_t id_x100;       /* the delay impairment used */
  int32_t ie_eff_x100;   /* the effective equipment impairment used */
  uint64_t reserved_[2]; /* zeroed; later fields are carved from here */
} siphb_mos_result;

/*
 * Estimates R and MOS for in. Returns 0 and fills *out, or
 * SIPHB_ERR_INVALID_ARGUMENT (in or out NULL, in not initialised,
 * loss_permille above 1000, an unknown codec, CUSTOM values out of range)
 * or SIPHB_ERR_UNSUPPORTED (in sets a field this library does not know);
 * *out is written only on success.
 */
SIPHB_EXTERN int siphb_mos_estimate(const siphb_mos_input *in, siphb_mos_result *out);

/* G.107 Annex B: MOS * 100 for R * 100. 100 for R <= 0 (and wherever the
 * polynomial dips below 1, just above R = 0), 450 for R >= 100. */
SIPHB_EXTERN int32_t siphb_mos_from_r(int32_t r_x100);

/* The delay impairment Id * 100 siphb_mos_estimate() uses for a one-way
 * delay (see the top of this file: a table of G.107's full formula). */
SIPHB_EXTERN int32_t siphb_mos_delay_impairment(uint32_t delay_ms);

/* A one-way delay estimate from RTCP: rtt_ms / 2 (rounded up) +
 * jitter_buffer_ms + codec_ms (packetisation and codec lookahead, e.g. 20
 * for 20 ms G.711 frames). Saturates at UINT32_MAX. Common practice, not
 * a standard. */
SIPHB_EXTERN uint32_t siphb_mos_one_way_delay_ms(uint32_t rtt_ms, uint32_t jitter_buffer_ms,
                                                 uint32_t codec_ms);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_MOS_H */
