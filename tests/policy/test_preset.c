/*
 * test_preset.c - the site presets: the fields they set, that the configs
 * they make are accepted, and one preset end to end (an unanswered probe
 * wired to its monitor) with its exact times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health_script.h"
#include "simclock.h"

static void probe_base(siphb_probe_config *c) {
  siphb_probe_config_init(c, sizeof *c);
  c->request_uri = siphb_str_c("sip:proxy.example.com");
  c->via_host = siphb_str_c("192.0.2.5");
  c->jitter_permille = 0;
}

static void test_fields_and_acceptance(void **state) {
  (void)state;
  static const struct {
    const char *name;
    siphb_ms interval, timeout, t1, down_after;
    uint32_t k, n, transport_degrade;
  } want[SIPHB_PRESET_COUNT] = {
      {"clean-lan", 60000, 3000, 750, 180000, 3, 5, 2},
      {"industrial", 30000, 4000, 500, 300000, 5, 7, 2},
      {"remote-nat", 25000, 3000, 750, 90000, 3, 5, 1},
      {"high-latency", 60000, 5000, 625, 480000, 3, 5, 2},
      {"trunk", 15000, 2000, 500, 45000, 3, 4, 2},
  };
  int rv;
  sim *s = sim_new(NULL, &rv);
  for (int i = 0; i < SIPHB_PRESET_COUNT; i++) {
    siphb_probe_config pc;
    siphb_health_config hc;
    probe_base(&pc);
    siphb_health_config_init(&hc, sizeof hc);
    assert_int_equal(siphb_preset_apply((siphb_preset)i, &pc, &hc), 0);
    assert_string_equal(siphb_preset_name((siphb_preset)i), want[i].name);
    siphb_preset p;
    assert_int_equal(siphb_preset_from_name(want[i].name, strlen(want[i].name), &p), 0);
    assert_int_equal(p, i);
    assert_int_equal(pc.interval, want[i].interval);
    assert_int_equal(pc.timeout, want[i].timeout);
    assert_int_equal(pc.t1, want[i].t1);
    const siphb_health_layer_config *sip = &hc.layers[SIPHB_HEALTH_LAYER_SIP];
    assert_int_equal(sip->down_after, want[i].down_after);
    assert_int_equal(sip->down_k, want[i].k);
    assert_int_equal(sip->down_n, want[i].n);
    assert_int_equal(sip->degrade_after, 2);
    assert_int_equal(sip->up_after, 2);
    assert_int_equal(hc.layers[SIPHB_HEALTH_LAYER_TRANSPORT].degrade_after,
                     want[i].transport_degrade);
    assert_int_equal(hc.layers[SIPHB_HEALTH_LAYER_LINK].degrade_after, 1); /* untouched */
    /* Accepted as they are. */
    siphb_probe *probe;
    siphb_health *h;
    const siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
    assert_int_equal(siphb_probe_new(&probe, s->ctx, &pc, &peer, NULL, 0), 0);
    assert_int_equal(siphb_health_new(&h, s->ctx, &hc, NULL, 0), 0);
    siphb_probe_del(probe);
    siphb_health_del(h);
  }
  assert_int_equal(siphb_preset_apply(SIPHB_PRESET_COUNT, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_health_config bad;
  memset(&bad, 0, sizeof bad);
  assert_int_equal(siphb_preset_apply(SIPHB_PRESET_TRUNK, NULL, &bad), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_preset p = SIPHB_PRESET_TRUNK;
  assert_int_equal(siphb_preset_from_name("clean", 5, &p), SIPHB_ERR_NOT_FOUND);
  assert_int_equal(p, SIPHB_PRESET_TRUNK);
  assert_string_equal(siphb_preset_name(SIPHB_PRESET_COUNT), "?");
  sim_delete(s);
}

/* clean-lan, the proxy silent from the start: rounds at 0, 8, 16 s (3 s
 * timeout, 5 s retry interval); DEGRADED at the second timeout (11 s);
 * OFFLINE when the timer confirms, 180 s after the first timeout (3 s). */
static void test_clean_lan_end_to_end(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_probe_config pc;
  siphb_health_config hc;
  probe_base(&pc);
  siphb_health_config_init(&hc, sizeof hc);
  assert_int_equal(siphb_preset_apply(SIPHB_PRESET_CLEAN_LAN, &pc, &hc), 0);
  siphb_probe *probe;
  siphb_health *h;
  const siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
  assert_int_equal(siphb_probe_new(&probe, s->ctx, &pc, &peer, NULL, 0), 0);
  assert_int_equal(siphb_health_new(&h, s->ctx, &hc, NULL, 0), 0);
  assert_int_equal(siphb_probe_set_health(probe, h), 0);
  assert_int_equal(siphb_probe_start(probe, 0), 0);
  assert_int_equal(sim_run_until(s, 190000), 0);
  /* The first round's sends: 0, T1 = 750, 3 x T1 = 2250. */
  assert_true(s->nsends >= 3);
  assert_int_equal(s->sends[0].at, 0);
  assert_int_equal(s->sends[1].at, 750);
  assert_int_equal(s->sends[2].at, 2250);
  size_t seen = 0;
  hs_expect(s, &seen,
            (const char *const[]){"11000 layer sip unknown>degraded sip-timeout",
                                  "11000 state unknown>degraded sip sip-timeout",
                                  "183000 layer sip degraded>offline sip-timeout",
                                  "183000 state degraded>offline sip sip-timeout",
                                  "183000 alarm on sip-timeout", NULL});
  siphb_probe_del(probe);
  siphb_health_del(h);
  sim_delete(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fields_and_acceptance),
      cmocka_unit_test(test_clean_lan_end_to_end),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
