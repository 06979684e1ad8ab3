/*
 * test_health_props.c - properties of the health monitor over long random
 * observation sequences (seeded: each run is the same), checked from the
 * outside, against the observations the test made and the events it saw:
 *   - a layer never goes OFFLINE before the confirmation rule holds (a
 *     FAILURE observation, or k of the last n failed and a failure run has
 *     lasted down_after);
 *   - never DEGRADED without degrade_after non-successes in a row, never
 *     HEALTHY again without up_after successes in a row;
 *   - every alarm raised is justified when raised (OFFLINE, outside
 *     maintenance), and at every point it is either cleared or still
 *     justified; alarms alternate on and off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rndtest.h"
#include "simclock.h"

#define NOBS 4000

typedef struct obs_rec {
  siphb_ms at;
  uint8_t obs; /* siphb_health_obs */
} obs_rec;

typedef struct model {
  obs_rec log[NOBS];
  size_t n;
  /* The layer as its events said. */
  siphb_health_state state;
  /* Start of the failure run as the rules define it, from the outside:
   * the first failure after the last success that found or made the layer
   * healthy. */
  siphb_ms run_start;
  bool alarm;
  bool maint;
  uint32_t offline_checked, alarms_checked;
} model;

static uint64_t rng_state;
static uint64_t rnd(void) { return rnd_splitmix(&rng_state); }

static siphb_health_config CFG;
static model M;

static bool failed(uint8_t o) { return o == SIPHB_HEALTH_OBS_MISS || o == SIPHB_HEALTH_OBS_FAILURE; }

/* The checks on each event, as it comes. */
static int on_event(sim *s, const siphb_event *ev) {
  (void)s;
  const siphb_event_health *e = &ev->u.health;
  const siphb_health_layer_config *lc = &CFG.layers[SIPHB_HEALTH_LAYER_SIP];
  if (ev->type == SIPHB_EVENT_HEALTH_LAYER_CHANGED) {
    assert_int_equal(e->old_state, M.state);
    if (e->state == SIPHB_HEALTH_STATE_OFFLINE) {
      bool by_failure = M.n && M.log[M.n - 1].at == ev->now &&
                        M.log[M.n - 1].obs == SIPHB_HEALTH_OBS_FAILURE;
      if (!by_failure) {
        uint32_t k = 0;
        for (size_t i = M.n > lc->down_n ? M.n - lc->down_n : 0; i < M.n; i++)
          k += failed(M.log[i].obs);
        assert_true(k >= lc->down_k);
        assert_true(M.run_start != SIPHB_NEVER);
        assert_true(ev->now - M.run_start >= lc->down_after);
        M.offline_checked++;
      }
    } else if (e->state == SIPHB_HEALTH_STATE_DEGRADED) {
      assert_true(M.n >= lc->degrade_after);
      for (size_t i = M.n - lc->degrade_after; i < M.n; i++)
        assert_int_not_equal(M.log[i].obs, SIPHB_HEALTH_OBS_SUCCESS);
    } else if (e->state == SIPHB_HEALTH_STATE_HEALTHY && M.state != SIPHB_HEALTH_STATE_UNKNOWN) {
      assert_true(M.n >= lc->up_after);
      for (size_t i = M.n - lc->up_after; i < M.n; i++)
        assert_int_equal(M.log[i].obs, SIPHB_HEALTH_OBS_SUCCESS);
    }
    M.state = e->state;
  } else if (ev->type == SIPHB_EVENT_HEALTH_ALARM) {
    assert_true(e->alarm != M.alarm); /* alternating */
    M.alarm = e->alarm;
    if (e->alarm) {
      assert_int_equal(e->state, SIPHB_HEALTH_STATE_OFFLINE);
      assert_false(e->maintenance);
      M.alarms_checked++;
    } else {
      assert_true(e->state != SIPHB_HEALTH_STATE_OFFLINE || e->maintenance);
    }
  } else if (ev->type == SIPHB_EVENT_HEALTH_MAINTENANCE) {
    M.maint = e->maintenance;
  }
  return 0;
}

static void record(uint8_t o, siphb_ms at) {
  assert_true(M.n < NOBS);
  /* The run, as health.h defines it: begins with a failure when none is
   * running, ends with a success that finds or makes the layer healthy
   * (known only after the monitor's events for this observation). */
  if (failed(o) && M.run_start == SIPHB_NEVER) M.run_start = at;
  M.log[M.n].at = at;
  M.log[M.n].obs = o;
  M.n++;
}

static void run_sequence(uint64_t seed, bool with_failures, bool with_maintenance) {
  rng_state = seed;
  memset(&M, 0, sizeof M);
  M.run_start = SIPHB_NEVER;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  s->hook = on_event;
  siphb_health *h;
  siphb_health_config_init(&CFG, sizeof CFG);
  CFG.flap_changes = 0; /* damping holds the endpoint, not the layer: checked apart */
  assert_int_equal(siphb_health_new(&h, s->ctx, &CFG, NULL, 0), 0);
  siphb_ms now = 0;
  /* Phases of mostly-good and mostly-bad links, so that runs of every
   * length occur. */
  unsigned bad_permille = 100;
  for (size_t i = 0; i < NOBS - 1; i++) {
    if (rnd() % 40 == 0) bad_permille = (unsigned)(rnd() % 1000);
    now += 1000 + rnd() % 60000;
    assert_int_equal(sim_run_until(s, now), 0);
    if (with_maintenance && rnd() % 97 == 0)
      assert_int_equal(siphb_health_set_maintenance(h, M.maint ? 0 : 1 + rnd() % 600000, now), 0);
    uint8_t o = SIPHB_HEALTH_OBS_SUCCESS;
    unsigned r = (unsigned)(rnd() % 1000);
    if (r < bad_permille) o = SIPHB_HEALTH_OBS_MISS;
    else if (r < bad_permille + 30) o = SIPHB_HEALTH_OBS_DEGRADED;
    if (with_failures && rnd() % 200 == 0) o = SIPHB_HEALTH_OBS_FAILURE;
    record(o, now);
    siphb_health_state before = M.state;
    assert_int_equal(siphb_health_observe(h, SIPHB_HEALTH_LAYER_SIP, o, SIPHB_HEALTH_REASON_NONE,
                                          SIPHB_HEALTH_NO_METRIC, now),
                     0);
    if (o == SIPHB_HEALTH_OBS_SUCCESS &&
        (M.state == SIPHB_HEALTH_STATE_HEALTHY || before == SIPHB_HEALTH_STATE_HEALTHY))
      M.run_start = SIPHB_NEVER;
    /* Cleared or still justified, at every point. */
    if (M.alarm) {
      assert_int_equal(siphb_health_get_state(h, NULL), SIPHB_HEALTH_STATE_OFFLINE);
      assert_false(M.maint);
    }
  }
  /* The timer side: run on past the last observation. */
  assert_int_equal(sim_run_until(s, now + 3600000), 0);
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(h, &st), 0);
  assert_int_equal(st.alarm, M.alarm);
  assert_int_equal(st.layers[SIPHB_HEALTH_LAYER_SIP].state, M.state);
  /* The properties were exercised, not vacuous. */
  assert_true(M.offline_checked >= 5);
  assert_true(M.alarms_checked >= 5);
  siphb_health_del(h);
  sim_delete(s);
}

static void test_random_misses(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 8; seed++) run_sequence(seed, false, false);
}

static void test_random_with_failures_and_maintenance(void **state) {
  (void)state;
  for (uint64_t seed = 100; seed <= 107; seed++) run_sequence(seed, true, true);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_misses),
      cmocka_unit_test(test_random_with_failures_and_maintenance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
