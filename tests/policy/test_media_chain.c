/*
 * test_media_chain.c - media quality from RTCP to the health monitor, as
 * an integrator wires it: parse each RTCP receiver report (siphb/rtcp.h),
 * turn its loss, jitter and round trip into an E-model estimate
 * (siphb/mos.h), and give that to siphb_health_observe_media(). A loss of
 * 5 % sustained for 5 minutes degrades the MEDIA layer; two clean reports
 * restore it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health_script.h"
#include "simclock.h"

/* An RR (RFC 3550 section 6.4.2) with one report block. */
static size_t build_rr(uint8_t *p, uint8_t fraction_lost, uint32_t jitter, uint32_t lsr,
                       uint32_t dlsr) {
  static const uint8_t head[] = {0x81, 201, 0, 7, 0x11, 0x22, 0x33, 0x44, /* RR, sender SSRC */
                                 0xAA, 0xBB, 0xCC, 0xDD};                 /* SSRC_1 */
  memcpy(p, head, sizeof head);
  p[12] = fraction_lost;
  p[13] = 0, p[14] = 0, p[15] = 40; /* cumulative lost */
  p[16] = 0, p[17] = 0, p[18] = 0x10, p[19] = 0x00; /* extended highest sequence */
  for (int i = 0; i < 4; i++) {
    p[20 + i] = (uint8_t)(jitter >> (24 - 8 * i));
    p[24 + i] = (uint8_t)(lsr >> (24 - 8 * i));
    p[28 + i] = (uint8_t)(dlsr >> (24 - 8 * i));
  }
  return 32;
}

/* What an integrator does with one report: MOS x 100 and loss permille. */
static void report(siphb_health *h, uint8_t fraction_lost, siphb_ms now, int32_t *mos_out) {
  uint8_t pkt[32];
  /* LSR 0x00010000, DLSR 1 s: the report arrives at LSR + 1.1 s: RTT 100 ms. */
  size_t len = build_rr(pkt, fraction_lost, 160, 0x00010000, 0x00010000);
  siphb_rtcp_msg msg;
  assert_int_equal(siphb_rtcp_parse(&msg, pkt, len, NULL, NULL), (siphb_ssize)len);
  siphb_rtcp_iter it;
  siphb_rtcp_iter_init(&it, &msg);
  siphb_rtcp_report_block b;
  assert_true(siphb_rtcp_next_block(&it, &b));
  uint32_t arrival = 0x00010000 + 0x00010000 + 6554; /* + 0.1 s in 1/65536 s */
  int32_t rtt = siphb_rtcp_rtt_ms(arrival, b.lsr, b.dlsr);
  assert_int_equal(rtt, 100);
  siphb_mos_input in;
  siphb_mos_input_init(&in, sizeof in);
  in.codec = SIPHB_MOS_G711;
  in.loss_permille = siphb_rtcp_fraction_permille(b.fraction_lost);
  in.delay_ms = siphb_mos_one_way_delay_ms((uint32_t)rtt, 40, 20);
  siphb_mos_result r;
  assert_int_equal(siphb_mos_estimate(&in, &r), 0);
  *mos_out = r.mos_x100;
  assert_int_equal(siphb_health_observe_media(h, (uint32_t)r.mos_x100, in.loss_permille, now), 0);
}

static void test_rtcp_to_health(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  int32_t mos;
  report(h, 0, 0, &mos);
  assert_true(mos >= 430); /* G.711, no loss, ~90 ms one way: about 4.4 */
  size_t seen = 0;
  hs_expect(s, &seen,
            (const char *const[]){"0 layer media unknown>healthy none",
                                  "0 state unknown>healthy media none", NULL});
  /* 13/256 lost: 50 permille, above the 10 permille threshold; the MOS
   * itself stays above 3.5, so the reason is the loss. */
  for (siphb_ms t = 5000; t < 305000; t += 5000) report(h, 13, t, &mos);
  assert_true(mos > 350);
  hs_expect(s, &seen, (const char *const[]){NULL});
  report(h, 13, 305000, &mos); /* 300 s after the first bad report */
  hs_expect(s, &seen,
            (const char *const[]){"305000 layer media healthy>degraded media-loss",
                                  "305000 state healthy>degraded media media-loss", NULL});
  /* Two clean reports in a row (up_after) restore it. */
  report(h, 0, 310000, &mos);
  report(h, 0, 315000, &mos);
  hs_expect(s, &seen,
            (const char *const[]){"315000 layer media degraded>healthy none",
                                  "315000 state degraded>healthy media none", NULL});
  siphb_health_del(h);
  sim_delete(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rtcp_to_health),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
