/*
 * test_escalation.c - the staged reaction (siphb/failover.h) as timelines:
 * quiet recovery, notify, the latched alarm until reset, auto-dial at
 * most once per outage and never in maintenance or without the critical
 * input, the link-down path, wiring to a monitor and to a target
 * selection; a property test of the dial's gates; the allocation sweep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "failmem.h"
#include "health_script.h"
#include "rndtest.h"
#include "simclock.h"

#define HEALTHY SIPHB_HEALTH_STATE_HEALTHY
#define OFFLINE SIPHB_HEALTH_STATE_OFFLINE
#define TIMEOUT SIPHB_HEALTH_REASON_SIP_TIMEOUT
#define NONE SIPHB_HEALTH_REASON_NONE
#define CRITICAL 1u /* input bit 0: critical mode */

static sim *S;
static siphb_escalation *E;
static size_t seen;

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  E = NULL;
  seen = 0;
  hs_watch = 1u << SIPHB_OBJECT_ESCALATION;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  siphb_escalation_del(E);
  sim_delete(S);
  return 0;
}

static void expect(const char *const *want) { hs_expect(S, &seen, want); }
static const char *const none[] = {NULL};

static void make(const siphb_escalation_config *cfg) {
  assert_int_equal(siphb_escalation_new(&E, S->ctx, cfg, NULL, 0), 0);
}

/* Auto-dial allowed in a critical zone with the critical input required. */
static void dial_config(siphb_escalation_config *c) {
  siphb_escalation_config_init(c, sizeof *c);
  c->autodial_enabled = true;
  c->zone_critical = true;
  c->autodial_required_inputs = CRITICAL;
}

static void observe(siphb_ms at, siphb_health_state st, siphb_health_reason why, bool maint) {
  assert_int_equal(sim_run_until(S, at), 0);
  assert_int_equal(siphb_escalation_observe(E, st, why, maint, at), 0);
}

static void run_to(siphb_ms at) { assert_int_equal(sim_run_until(S, at), 0); }

static void inputs(siphb_ms at, uint32_t v) {
  run_to(at);
  assert_int_equal(siphb_escalation_set_inputs(E, v, at), 0);
}

/* The defaults: recovery every 32 s, notify at 2 min, alarm at 10 min,
 * auto-dial at 15 min (blocked: disabled, zone not critical). */
static void test_stages_in_order(void **state) {
  (void)state;
  make(NULL);
  observe(1000, OFFLINE, TIMEOUT, false);
  run_to(1000 + 900000);
  expect((const char *const[]){"1000 stage normal>recovering", "1000 action reset-transport",
                               "33000 action reregister", "65000 action reresolve",
                               "121000 stage recovering>notified", "121000 action notify",
                               "601000 stage notified>alarm", "601000 action alarm-on",
                               "901000 stage alarm>autodial", "901000 blocked 41", NULL});
  assert_int_equal(siphb_escalation_get_stage(E), SIPHB_ESCALATION_STAGE_AUTODIAL);
}

/* Stage 3 latches: the alarm outlives the incident until reset. */
static void test_alarm_latches_until_reset(void **state) {
  (void)state;
  make(NULL);
  observe(0, OFFLINE, TIMEOUT, false);
  run_to(600000);
  seen = S->nrecords;
  assert_int_equal(siphb_escalation_reset_alarm(E, 650000), 0); /* in the incident: no */
  observe(700000, HEALTHY, NONE, false);
  expect((const char *const[]){"700000 resolved", "700000 action notify-clear",
                               "700000 stage alarm>normal", NULL});
  siphb_escalation_stats st;
  assert_int_equal(siphb_escalation_get_stats(E, &st), 0);
  assert_true(st.alarm_on);
  assert_true(st.alarm_latched);
  run_to(800000);
  assert_int_equal(siphb_escalation_reset_alarm(E, 800000), 0);
  expect((const char *const[]){"800000 action alarm-off", NULL});
  assert_int_equal(siphb_escalation_reset_alarm(E, 800001), 0); /* nothing more */
  expect(none);
}

static void test_unlatched_alarm_ends_with_the_incident(void **state) {
  (void)state;
  siphb_escalation_config c;
  siphb_escalation_config_init(&c, sizeof c);
  c.alarm_latched = false;
  c.recover_actions = 0;
  make(&c);
  observe(0, OFFLINE, TIMEOUT, false);
  observe(650000, HEALTHY, NONE, false);
  expect((const char *const[]){"0 stage normal>recovering", "120000 stage recovering>notified",
                               "120000 action notify", "600000 stage notified>alarm",
                               "600000 action alarm-on", "650000 resolved",
                               "650000 action notify-clear", "650000 action alarm-off",
                               "650000 stage alarm>normal", NULL});
}

/* Auto-dial: only with the critical input, once per outage, then the
 * cooldown for the next outage. */
static void test_autodial_once_per_outage(void **state) {
  (void)state;
  siphb_escalation_config c;
  dial_config(&c);
  c.recover_actions = 0;
  c.notify_after = c.alarm_after = 0;
  c.autodial_after = 60000;
  c.autodial_cooldown = 600000;
  make(&c);
  observe(0, OFFLINE, TIMEOUT, false);
  seen = S->nrecords;
  run_to(60000);
  expect((const char *const[]){"60000 stage alarm>autodial", "60000 blocked 10", NULL});
  inputs(70000, CRITICAL);
  expect((const char *const[]){"70000 autodial", NULL});
  inputs(80000, 0);
  inputs(90000, CRITICAL);
  run_to(200000);
  expect(none);
  /* The next outage inside the cooldown: blocked, dialled when it ends. */
  observe(300000, HEALTHY, NONE, false);
  observe(400000, OFFLINE, TIMEOUT, false);
  seen = S->nrecords;
  run_to(669999);
  expect((const char *const[]){"460000 stage alarm>autodial", "460000 blocked 4", NULL});
  run_to(670000);
  expect((const char *const[]){"670000 autodial", NULL});
  siphb_escalation_stats st;
  assert_int_equal(siphb_escalation_get_stats(E, &st), 0);
  assert_int_equal(st.dials, 2);
  assert_int_equal(st.incidents, 2);
}

/* Never in maintenance: no incident starts in it, stages wait for its
 * end, and the dial is blocked while it lasts. */
static void test_autodial_never_in_maintenance(void **state) {
  (void)state;
  siphb_escalation_config c;
  dial_config(&c);
  c.recover_actions = 0;
  c.notify_after = c.alarm_after = 0;
  c.autodial_after = 60000;
  make(&c);
  assert_int_equal(siphb_escalation_set_inputs(E, CRITICAL, 0), 0);
  observe(0, OFFLINE, TIMEOUT, true);
  run_to(500000);
  expect(none);
  observe(500000, OFFLINE, TIMEOUT, false); /* maintenance over: the incident starts */
  observe(530000, OFFLINE, TIMEOUT, true);  /* and maintenance again before the dial */
  run_to(900000);
  expect((const char *const[]){"500000 stage normal>recovering",
                               "500000 stage recovering>notified", "500000 action notify",
                               "500000 stage notified>alarm", "500000 action alarm-on", NULL});
  observe(950000, OFFLINE, TIMEOUT, false);
  expect((const char *const[]){"950000 stage alarm>autodial", "950000 autodial", NULL});
}

/* The link-down path: no proxy-side recovery, the alarm as usual. */
static void test_link_down_alarm_only(void **state) {
  (void)state;
  make(NULL);
  observe(0, OFFLINE, SIPHB_HEALTH_REASON_LINK_DOWN, false);
  run_to(600000);
  expect((const char *const[]){"0 stage normal>recovering", "120000 stage recovering>notified",
                               "120000 action notify", "600000 stage notified>alarm",
                               "600000 action alarm-on", NULL});
}

/* Wired to a monitor: its confirmed loss starts the incident. */
static void test_wired_to_health(void **state) {
  (void)state;
  make(NULL);
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, S->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_escalation_set_health(E, h, 0), 0);
  assert_int_equal(siphb_escalation_observe(E, OFFLINE, TIMEOUT, false, 0),
                   SIPHB_ERR_INVALID_ARGUMENT); /* wired: no explicit feed */
  assert_int_equal(siphb_health_observe(h, SIPHB_HEALTH_LAYER_TRANSPORT, SIPHB_HEALTH_OBS_FAILURE,
                                        NONE, SIPHB_HEALTH_NO_METRIC, 5000),
                   0);
  expect((const char *const[]){"5000 stage normal>recovering", "5000 action reset-transport",
                               NULL});
  assert_int_equal(siphb_health_set_maintenance(h, SIPHB_NEVER, 6000), 0);
  run_to(1000000); /* the stages wait */
  expect((const char *const[]){"37000 action reregister", "69000 action reresolve", NULL});
  siphb_health_del(h); /* unwired: explicit observation again */
  assert_int_equal(siphb_escalation_observe(E, HEALTHY, NONE, false, 1000000), 0);
  expect((const char *const[]){"1000000 resolved", "1000000 stage recovering>normal", NULL});
}

/* Wired to a target selection: a switch to a healthy backup ends the
 * incident; exhaustion is a loss. */
static void test_wired_to_targets(void **state) {
  (void)state;
  make(NULL);
  siphb_targets_config tc;
  siphb_targets_config_init(&tc, sizeof tc);
  tc.dwell = 0;
  siphb_targets *t;
  assert_int_equal(siphb_targets_new(&t, S->ctx, &tc, NULL, 0), 0);
  siphb_target list[2];
  for (int i = 0; i < 2; i++) {
    siphb_target_init(&list[i], sizeof list[i]);
    list[i].key = (uint64_t)(i + 1);
    list[i].priority = (uint16_t)i;
  }
  assert_int_equal(siphb_targets_set(t, list, 2, 0), 0);
  assert_int_equal(siphb_escalation_set_targets(E, t, 0), 0);
  assert_int_equal(siphb_targets_observe(t, 2, SIPHB_HEALTH_STATE_UNKNOWN, NONE, 0), 0);
  run_to(10000);
  assert_int_equal(siphb_targets_observe(t, 1, OFFLINE, TIMEOUT, 10000), 0);
  /* Switched to 2 (UNKNOWN): the incident goes on until 2 is healthy. */
  expect((const char *const[]){"10000 stage normal>recovering", "10000 action reset-transport",
                               NULL});
  run_to(20000);
  assert_int_equal(siphb_targets_observe(t, 2, HEALTHY, NONE, 20000), 0);
  expect((const char *const[]){"20000 resolved", "20000 stage recovering>normal", NULL});
  run_to(100000);
  assert_int_equal(siphb_targets_observe(t, 2, OFFLINE, TIMEOUT, 100000), 0);
  expect((const char *const[]){"100000 stage normal>recovering", "100000 action reset-transport",
                               NULL});
  siphb_targets_del(t);
}

/* A loss the target selection repairs at once, by a switch to a healthy
 * backup, opens no incident: no operator noise, no quiet actions. */
static void test_switch_to_healthy_backup_is_quiet(void **state) {
  (void)state;
  make(NULL);
  siphb_targets_config tc;
  siphb_targets_config_init(&tc, sizeof tc);
  tc.dwell = 0;
  siphb_targets *t;
  assert_int_equal(siphb_targets_new(&t, S->ctx, &tc, NULL, 0), 0);
  siphb_health *h[2];
  siphb_target list[2];
  for (int i = 0; i < 2; i++) {
    assert_int_equal(siphb_health_new(&h[i], S->ctx, NULL, NULL, 0), 0);
    siphb_target_init(&list[i], sizeof list[i]);
    list[i].key = (uint64_t)(i + 1);
    list[i].priority = (uint16_t)i;
    list[i].health = h[i];
  }
  assert_int_equal(siphb_targets_set(t, list, 2, 0), 0);
  assert_int_equal(siphb_escalation_set_targets(E, t, 0), 0);
  for (int i = 0; i < 2; i++)
    assert_int_equal(siphb_health_observe(h[i], SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_SUCCESS,
                                          NONE, SIPHB_HEALTH_NO_METRIC, 0),
                     0);
  run_to(10000);
  assert_int_equal(siphb_health_observe(h[0], SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_FAILURE,
                                        NONE, SIPHB_HEALTH_NO_METRIC, 10000),
                   0);
  run_to(2000000);
  expect(none);
  assert_int_equal(sim_count(S, SIPHB_EVENT_TARGETS_SWITCHED), 2); /* initial, then 1 -> 2 */
  siphb_escalation_stats st;
  assert_int_equal(siphb_escalation_get_stats(E, &st), 0);
  assert_int_equal(st.incidents, 0);
  /* The backup lost too: now the incident opens. */
  assert_int_equal(siphb_health_observe(h[1], SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_FAILURE,
                                        NONE, SIPHB_HEALTH_NO_METRIC, 2000000),
                   0);
  expect((const char *const[]){"2000000 stage normal>recovering",
                               "2000000 action reset-transport", NULL});
  siphb_targets_del(t);
  siphb_health_del(h[0]);
  siphb_health_del(h[1]);
}

static void test_bad_config(void **state) {
  (void)state;
  siphb_escalation *e = (siphb_escalation *)(uintptr_t)1;
  siphb_escalation_config c;
  siphb_escalation_config_init(&c, sizeof c);
  c.recover_step = 0;
  assert_int_equal(siphb_escalation_new(&e, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_escalation_config_init(&c, sizeof c);
  c.alarm_after = c.notify_after - 1;
  assert_int_equal(siphb_escalation_new(&e, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_escalation_config_init(&c, sizeof c);
  c.autodial_after = c.alarm_after - 1;
  assert_int_equal(siphb_escalation_new(&e, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_escalation_config_init(&c, sizeof c);
  c.recover_actions = 1u << SIPHB_ESCALATION_ACTION_NOTIFY;
  assert_int_equal(siphb_escalation_new(&e, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_escalation_config_init(&c, sizeof c);
  c.autodial_cooldown = (siphb_ms)1 << 33;
  assert_int_equal(siphb_escalation_new(&e, S->ctx, &c, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(e, (siphb_escalation *)(uintptr_t)1);
  make(NULL);
  assert_int_equal(siphb_escalation_observe(E, (siphb_health_state)4, NONE, false, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  int rv;
  sim *other = sim_new(NULL, &rv);
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, other->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_escalation_set_health(E, h, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_health_del(h);
  sim_delete(other);
}

/* ---- the dial's gates over random sequences ------------------------------------- */

static uint64_t rng;
static uint64_t rnd(void) { return rnd_splitmix(&rng); }

static bool in_maint, critical;
static unsigned dials_in_incident;
static uint32_t prop_dials;

static int check_dial(sim *s, const siphb_event *ev) {
  (void)s;
  if (ev->type == SIPHB_EVENT_ESCALATION_STAGE &&
      ev->u.escalation.stage == SIPHB_ESCALATION_STAGE_RECOVERING)
    dials_in_incident = 0;
  if (ev->type == SIPHB_EVENT_ESCALATION_AUTODIAL) {
    assert_false(in_maint);
    assert_true(critical);
    assert_false(ev->u.escalation.maintenance);
    assert_true(++dials_in_incident <= 1);
    prop_dials++;
  }
  return 0;
}

static void test_dial_gates_over_random_sequences(void **state) {
  (void)state;
  siphb_escalation_config c;
  dial_config(&c);
  c.notify_after = 30000;
  c.alarm_after = 60000;
  c.autodial_after = 120000;
  c.autodial_cooldown = 300000;
  S->hook = check_dial;
  make(&c);
  rng = 42;
  siphb_ms now = 0;
  siphb_health_state st = HEALTHY;
  for (int i = 0; i < 20000; i++) {
    now += 1000 + rnd() % 30000;
    run_to(now);
    switch (rnd() % 8) {
    case 0:
      in_maint = !in_maint;
      break;
    case 1:
      critical = !critical;
      assert_int_equal(siphb_escalation_set_inputs(E, critical ? CRITICAL : 0, now), 0);
      continue;
    case 2:
    case 3:
      st = rnd() % 3 ? OFFLINE : HEALTHY;
      break;
    default:
      continue;
    }
    assert_int_equal(siphb_escalation_observe(E, st, st == OFFLINE ? TIMEOUT : NONE, in_maint, now),
                     0);
  }
  assert_true(prop_dials >= 10);
  S->hook = NULL;
}

/* ---- the allocation-failure sweep ---------------------------------------------- */

static int make_esc(sim *s, size_t i, void **obj) {
  (void)i;
  siphb_escalation *e;
  int rv = siphb_escalation_new(&e, s->ctx, NULL, NULL, 0);
  if (rv != 0) return rv;
  assert_int_equal(siphb_escalation_observe(e, OFFLINE, TIMEOUT, false, 0), 0);
  *obj = e;
  return 0;
}

static void del_esc(void *e) { siphb_escalation_del(e); }

static const sim_sweep sweep = {3, make_esc, del_esc, 1000000, 0};

static void test_allocation_sweep(void **state) {
  (void)state;
  assert_true(failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep) >= 1 + 3);
}

/* The whole of issue 13 wired together: two monitors (one with a wall
 * clock and a window), a target selection over them, an escalation
 * watching it, an outage, snapshots saved and restored; every allocation
 * failed in turn, everything freed each time. */
static int scenario_fleet(failmem *fm, void *arg) {
  (void)arg;
  int rv;
  sim *s = sim_new(&fm->mem, &rv);
  if (!s) return rv;
  siphb_health *h[2] = {NULL, NULL};
  siphb_targets *t = NULL;
  siphb_escalation *e = NULL;
  for (int i = 0; i < 2 && rv == 0; i++) rv = siphb_health_new(&h[i], s->ctx, NULL, NULL, 0);
  if (rv == 0) rv = siphb_health_set_wallclock(h[1], 0, 3600, 0);
  if (rv == 0) {
    siphb_health_window w;
    siphb_health_window_init(&w, sizeof w);
    w.repeat = SIPHB_HEALTH_REPEAT_DAILY;
    w.duration = 60000;
    rv = siphb_health_add_window(h[1], &w, NULL, 0);
  }
  if (rv == 0) rv = siphb_targets_new(&t, s->ctx, NULL, NULL, 0);
  if (rv == 0) rv = siphb_escalation_new(&e, s->ctx, NULL, NULL, 0);
  if (rv == 0) {
    siphb_target list[2];
    for (int i = 0; i < 2; i++) {
      siphb_target_init(&list[i], sizeof list[i]);
      list[i].key = (uint64_t)i + 1;
      list[i].priority = (uint16_t)i;
      list[i].health = h[i];
    }
    rv = siphb_targets_set(t, list, 2, 0);
  }
  if (rv == 0) rv = siphb_escalation_set_targets(e, t, 0);
  if (rv == 0) {
    assert_int_equal(siphb_health_observe(h[0], SIPHB_HEALTH_LAYER_SIP,
                                          SIPHB_HEALTH_OBS_FAILURE, NONE, 0, 1000),
                     0);
    assert_int_equal(sim_run_until(s, 700000), 0);
    uint8_t snap[SIPHB_SNAPSHOT_MAX];
    siphb_ssize n = siphb_escalation_save(e, snap, sizeof snap, NULL, 700000);
    assert_true(n > 0);
    n = siphb_targets_save(t, snap, sizeof snap, NULL, 700000);
    assert_true(n > 0);
    assert_int_equal(siphb_targets_restore(t, snap, (size_t)n, 700000), 0);
  }
  siphb_escalation_del(e);
  siphb_targets_del(t);
  siphb_health_del(h[0]);
  siphb_health_del(h[1]);
  sim_delete(s);
  return rv;
}

static void test_allocation_sweep_fleet(void **state) {
  (void)state;
  /* ctx, 2 monitors (the config once), the schedule, targets (2), escalation */
  assert_true(failmem_sweep(scenario_fleet, NULL) >= 1 + 3 + 1 + 2 + 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_stages_in_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alarm_latches_until_reset, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unlatched_alarm_ends_with_the_incident, setup, teardown),
      cmocka_unit_test_setup_teardown(test_autodial_once_per_outage, setup, teardown),
      cmocka_unit_test_setup_teardown(test_autodial_never_in_maintenance, setup, teardown),
      cmocka_unit_test_setup_teardown(test_link_down_alarm_only, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wired_to_health, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wired_to_targets, setup, teardown),
      cmocka_unit_test_setup_teardown(test_switch_to_healthy_backup_is_quiet, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dial_gates_over_random_sequences, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
      cmocka_unit_test(test_allocation_sweep_fleet),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
