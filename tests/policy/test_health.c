/*
 * test_health.c - the health monitor's rules as timelines in simulated
 * time: observations in, the exact events out (health_script.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "failmem.h"
#include "health_script.h"
#include "simclock.h"

#define SIP SIPHB_HEALTH_LAYER_SIP
#define LINK SIPHB_HEALTH_LAYER_LINK
#define TRANSPORT SIPHB_HEALTH_LAYER_TRANSPORT
#define OK SIPHB_HEALTH_OBS_SUCCESS
#define MISS SIPHB_HEALTH_OBS_MISS
#define FAIL SIPHB_HEALTH_OBS_FAILURE
#define NOREASON SIPHB_HEALTH_REASON_NONE

typedef struct fixture {
  sim *s;
  siphb_health *h;
  size_t seen;
} fixture;

static fixture *setup_with(const siphb_health_config *cfg) {
  fixture *f = test_calloc(1, sizeof *f);
  int rv;
  f->s = sim_new(NULL, &rv);
  assert_non_null(f->s);
  assert_int_equal(siphb_health_new(&f->h, f->s->ctx, cfg, NULL, 0), 0);
  return f;
}

static void teardown_fixture(fixture *f) {
  siphb_health_del(f->h);
  sim_delete(f->s);
  test_free(f);
}

/* The clock runs to `at` (timers included), then the observation. */
static void obs_at(fixture *f, siphb_ms at, siphb_health_layer layer, siphb_health_obs o,
                   siphb_health_reason reason) {
  assert_int_equal(sim_run_until(f->s, at), 0);
  assert_int_equal(siphb_health_observe(f->h, layer, o, reason, SIPHB_HEALTH_NO_METRIC, at), 0);
}

static void run_to(fixture *f, siphb_ms at) { assert_int_equal(sim_run_until(f->s, at), 0); }

static void expect(fixture *f, const char *const *want) { hs_expect(f->s, &f->seen, want); }

static const char *const none[] = {NULL};

/* Healthy from the first answer, as every scenario starts. */
static void start_healthy(fixture *f, siphb_health_layer layer) {
  obs_at(f, 0, layer, OK, NOREASON);
  f->seen = f->s->nrecords;
}

static void test_one_miss_is_no_alarm(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  obs_at(f, 0, SIP, OK, NOREASON);
  expect(f, (const char *const[]){"0 layer sip unknown>healthy none",
                                  "0 state unknown>healthy sip none", NULL});
  obs_at(f, 30000, SIP, MISS, NOREASON);
  obs_at(f, 60000, SIP, OK, NOREASON);
  run_to(f, 3600000);
  expect(f, none);
  assert_int_equal(siphb_health_get_state(f->h, NULL), SIPHB_HEALTH_STATE_HEALTHY);
  /* The stray miss's run ended with the success: a later miss and its
   * successors start the clock afresh (no instant OFFLINE from 30000). */
  obs_at(f, 3600000, SIP, MISS, NOREASON);
  obs_at(f, 3630000, SIP, MISS, NOREASON);
  obs_at(f, 3660000, SIP, MISS, NOREASON);
  expect(f, (const char *const[]){"3630000 layer sip healthy>degraded sip-timeout",
                                  "3630000 state healthy>degraded sip sip-timeout", NULL});
  run_to(f, 3600000 + 179999);
  expect(f, none);
  run_to(f, 3600000 + 180000);
  expect(f, (const char *const[]){"3780000 layer sip degraded>offline sip-timeout",
                                  "3780000 state degraded>offline sip sip-timeout",
                                  "3780000 alarm on sip-timeout", NULL});
  teardown_fixture(f);
}

static void test_two_misses_degrade_and_two_successes_clear(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, SIP);
  obs_at(f, 30000, SIP, MISS, SIPHB_HEALTH_REASON_SIP_OVERLOAD);
  expect(f, none);
  obs_at(f, 60000, SIP, MISS, SIPHB_HEALTH_REASON_SIP_OVERLOAD);
  expect(f, (const char *const[]){"60000 layer sip healthy>degraded sip-overload",
                                  "60000 state healthy>degraded sip sip-overload", NULL});
  obs_at(f, 90000, SIP, OK, NOREASON);
  expect(f, none);
  obs_at(f, 120000, SIP, OK, NOREASON);
  expect(f, (const char *const[]){"120000 layer sip degraded>healthy none",
                                  "120000 state degraded>healthy sip none", NULL});
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(f->h, &st), 0);
  assert_int_equal(st.alarms_raised, 0);
  assert_int_equal(st.layers[SIP].observations, 5);
  assert_int_equal(st.layers[SIP].failures, 2);
  teardown_fixture(f);
}

/* 3 of 5 within the run and 180 s since its first failure: the timer
 * confirms at exactly first failure + 180 s, with no observation then. */
static void test_confirmed_offline_at_the_exact_time(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, SIP);
  obs_at(f, 30000, SIP, MISS, NOREASON);
  obs_at(f, 60000, SIP, MISS, NOREASON);
  obs_at(f, 70000, SIP, OK, NOREASON); /* lucky: the clock keeps running */
  obs_at(f, 100000, SIP, MISS, NOREASON);
  expect(f, (const char *const[]){"60000 layer sip healthy>degraded sip-timeout",
                                  "60000 state healthy>degraded sip sip-timeout", NULL});
  assert_int_equal(siphb_ctx_next_deadline(f->s->ctx), 210000);
  run_to(f, 209999);
  expect(f, none);
  run_to(f, 210000);
  expect(f, (const char *const[]){"210000 layer sip degraded>offline sip-timeout",
                                  "210000 state degraded>offline sip sip-timeout",
                                  "210000 alarm on sip-timeout", NULL});
  /* Recovery: 2 successes in a row, the alarm cleared with them. */
  obs_at(f, 240000, SIP, OK, NOREASON);
  expect(f, none);
  obs_at(f, 270000, SIP, OK, NOREASON);
  expect(f, (const char *const[]){"270000 layer sip offline>healthy none",
                                  "270000 state offline>healthy sip none",
                                  "270000 alarm off none", NULL});
  teardown_fixture(f);
}

/* k of n alone is not enough: when the window no longer holds k failures
 * at the deadline, no OFFLINE. */
static void test_no_offline_when_window_recovers(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, SIP);
  obs_at(f, 10000, SIP, MISS, NOREASON);
  obs_at(f, 20000, SIP, MISS, NOREASON);
  obs_at(f, 30000, SIP, MISS, NOREASON);
  assert_int_equal(siphb_ctx_next_deadline(f->s->ctx), 190000);
  obs_at(f, 40000, SIP, SIPHB_HEALTH_OBS_DEGRADED, NOREASON); /* a slow answer */
  obs_at(f, 50000, SIP, SIPHB_HEALTH_OBS_DEGRADED, NOREASON);
  obs_at(f, 60000, SIP, SIPHB_HEALTH_OBS_DEGRADED, NOREASON); /* 2 of the last 5 */
  assert_int_equal(siphb_ctx_next_deadline(f->s->ctx), SIPHB_NEVER);
  run_to(f, 600000);
  expect(f, (const char *const[]){"20000 layer sip healthy>degraded sip-timeout",
                                  "20000 state healthy>degraded sip sip-timeout", NULL});
  teardown_fixture(f);
}

/* A failure its source confirmed (the flow's missing pong) is OFFLINE at once. */
static void test_failure_is_offline_at_once(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, TRANSPORT);
  obs_at(f, 5000, TRANSPORT, FAIL, NOREASON);
  expect(f, (const char *const[]){"5000 layer transport healthy>offline transport-failed",
                                  "5000 state healthy>offline transport transport-failed",
                                  "5000 alarm on transport-failed", NULL});
  teardown_fixture(f);
}

/* The link's failure explains SIP's: the reason is LINK_DOWN, from the
 * link's first failure on, and stays so while SIP is confirmed. */
static void test_link_down_masks_sip(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  obs_at(f, 0, LINK, OK, NOREASON);
  obs_at(f, 0, SIP, OK, NOREASON);
  f->seen = f->s->nrecords;
  obs_at(f, 30000, SIP, MISS, NOREASON);
  obs_at(f, 31000, LINK, MISS, NOREASON); /* the OS reports carrier loss */
  obs_at(f, 60000, SIP, MISS, NOREASON);
  expect(f, (const char *const[]){"31000 layer link healthy>degraded link-down",
                                  "31000 state healthy>degraded link link-down",
                                  "60000 layer sip healthy>degraded sip-timeout", NULL});
  obs_at(f, 90000, SIP, MISS, NOREASON);
  run_to(f, 210000);
  expect(f, (const char *const[]){"210000 layer sip degraded>offline sip-timeout",
                                  "210000 state degraded>offline link link-down",
                                  "210000 alarm on link-down", NULL});
  /* The link back: SIP's own failure is the reason now. */
  obs_at(f, 220000, LINK, OK, NOREASON);
  expect(f, (const char *const[]){"220000 layer link degraded>healthy none",
                                  "220000 state offline>offline sip sip-timeout", NULL});
  siphb_health_reason why;
  assert_int_equal(siphb_health_get_state(f->h, &why), SIPHB_HEALTH_STATE_OFFLINE);
  assert_int_equal(why, SIPHB_HEALTH_REASON_SIP_TIMEOUT);
  teardown_fixture(f);
}

/* Maintenance: states tracked, the alarm held and marked; a raised alarm
 * cleared with reason MAINTENANCE; the window's end re-evaluates at once. */
static void test_maintenance_suppresses_and_reevaluates(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, TRANSPORT);
  assert_int_equal(siphb_health_set_maintenance(f->h, 600000, 1000), 0);
  expect(f, (const char *const[]){"1000 maint on", NULL});
  obs_at(f, 2000, TRANSPORT, FAIL, NOREASON);
  expect(f, (const char *const[]){"2000 layer transport healthy>offline transport-failed",
                                  "2000 state healthy>offline transport transport-failed maint",
                                  NULL});
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(f->h, &st), 0);
  assert_true(st.alarm_suppressed);
  assert_false(st.alarm);
  assert_int_equal(st.maintenance_until, 601000);
  run_to(f, 600999);
  expect(f, none);
  run_to(f, 601000);
  expect(f, (const char *const[]){"601000 maint off", "601000 alarm on transport-failed", NULL});
  /* Entering maintenance with the alarm raised withdraws it. */
  assert_int_equal(siphb_health_set_maintenance(f->h, SIPHB_NEVER, 700000), 0);
  expect(f, (const char *const[]){"700000 maint on", "700000 alarm off maintenance", NULL});
  assert_int_equal(siphb_health_set_maintenance(f->h, 0, 800000), 0);
  expect(f, (const char *const[]){"800000 maint off", "800000 alarm on transport-failed", NULL});
  teardown_fixture(f);
}

/* Scheduled windows in local time: daily 02:00-02:30 at UTC+1. */
static void test_daily_window_in_local_time(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  /* ctx time 0 is 2026-12-07 00:00:00 UTC = 01:00 local. */
  const int64_t unix_at_0 = INT64_C(1796601600000);
  assert_int_equal(siphb_health_set_wallclock(f->h, unix_at_0, 3600, 0), 0);
  siphb_health_window w;
  siphb_health_window_init(&w, sizeof w);
  w.repeat = SIPHB_HEALTH_REPEAT_DAILY;
  w.start = 2 * 3600000;
  w.duration = 30 * 60000;
  uint32_t idx = 9;
  assert_int_equal(siphb_health_add_window(f->h, &w, &idx, 0), 0);
  assert_int_equal(idx, 0);
  assert_int_equal(siphb_ctx_next_deadline(f->s->ctx), 3600000);
  run_to(f, 3600000 + 1800000);
  expect(f, (const char *const[]){"3600000 maint on", "5400000 maint off", NULL});
  run_to(f, 86400000 + 3600000);
  expect(f, (const char *const[]){"90000000 maint on", NULL});
  assert_int_equal(siphb_health_remove_window(f->h, 0, 90000001), 0);
  expect(f, (const char *const[]){"90000001 maint off", NULL});
  assert_int_equal(siphb_health_remove_window(f->h, 0, 90000002), SIPHB_ERR_NOT_FOUND);
  teardown_fixture(f);
}

/* More than 4 changes within 10 min: flapping, the worse state held until
 * the underlying state has been stable for 10 min. */
static void test_flapping_is_damped(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, LINK);
  obs_at(f, 10000, LINK, FAIL, NOREASON); /* change 1 */
  obs_at(f, 20000, LINK, OK, NOREASON);   /* 2 */
  obs_at(f, 30000, LINK, FAIL, NOREASON); /* 3 */
  obs_at(f, 40000, LINK, OK, NOREASON);   /* 4 */
  f->seen = f->s->nrecords;
  obs_at(f, 50000, LINK, FAIL, NOREASON); /* 5: flapping */
  expect(f, (const char *const[]){"50000 layer link healthy>offline link-down",
                                  "50000 state healthy>offline link link-down flapping",
                                  "50000 flapping on", "50000 alarm on link-down", NULL});
  obs_at(f, 60000, LINK, OK, NOREASON); /* held OFFLINE */
  expect(f, (const char *const[]){"60000 layer link offline>healthy none", NULL});
  assert_int_equal(siphb_health_get_state(f->h, NULL), SIPHB_HEALTH_STATE_OFFLINE);
  obs_at(f, 70000, LINK, FAIL, NOREASON);
  obs_at(f, 80000, LINK, OK, NOREASON);
  expect(f, (const char *const[]){"70000 layer link healthy>offline link-down",
                                  "80000 layer link offline>healthy none", NULL});
  assert_int_equal(siphb_ctx_next_deadline(f->s->ctx), 80000 + 600000);
  run_to(f, 680000);
  expect(f, (const char *const[]){"680000 state offline>healthy link none", "680000 flapping off",
                                  "680000 alarm off none", NULL});
  teardown_fixture(f);
}

/* The softswitch counter: c in [0, 5], up at >= 3, down at <= 0. */
static void test_counter_mode(void **state) {
  (void)state;
  siphb_health_config cfg;
  siphb_health_config_init(&cfg, sizeof cfg);
  cfg.layers[SIP].mode = SIPHB_HEALTH_MODE_COUNTER;
  fixture *f = setup_with(&cfg);
  obs_at(f, 1000, SIP, OK, NOREASON); /* c 1 */
  obs_at(f, 2000, SIP, OK, NOREASON); /* c 2 */
  expect(f, none);
  obs_at(f, 3000, SIP, OK, NOREASON); /* c 3: up */
  expect(f, (const char *const[]){"3000 layer sip unknown>healthy none",
                                  "3000 state unknown>healthy sip none", NULL});
  for (siphb_ms t = 4000; t <= 9000; t += 1000) obs_at(f, t, SIP, OK, NOREASON); /* c 5 */
  obs_at(f, 10000, SIP, MISS, NOREASON); /* 4 */
  obs_at(f, 11000, SIP, MISS, NOREASON); /* 3 */
  obs_at(f, 12000, SIP, MISS, NOREASON); /* 2: in the band, still healthy */
  obs_at(f, 13000, SIP, MISS, NOREASON); /* 1 */
  expect(f, none);
  obs_at(f, 14000, SIP, MISS, NOREASON); /* 0: down */
  expect(f, (const char *const[]){"14000 layer sip healthy>offline sip-timeout",
                                  "14000 state healthy>offline sip sip-timeout",
                                  "14000 alarm on sip-timeout", NULL});
  obs_at(f, 15000, SIP, MISS, NOREASON); /* stays 0 */
  obs_at(f, 16000, SIP, OK, NOREASON);   /* 1 */
  obs_at(f, 17000, SIP, OK, NOREASON);   /* 2 */
  expect(f, none);
  obs_at(f, 18000, SIP, OK, NOREASON); /* 3: up */
  expect(f, (const char *const[]){"18000 layer sip offline>healthy none",
                                  "18000 state offline>healthy sip none", "18000 alarm off none",
                                  NULL});
  obs_at(f, 19000, SIP, FAIL, NOREASON); /* 0 at once */
  expect(f, (const char *const[]){"19000 layer sip healthy>offline sip-timeout",
                                  "19000 state healthy>offline sip sip-timeout",
                                  "19000 alarm on sip-timeout", NULL});
  teardown_fixture(f);
}

/* Media: a bad MOS sustained 5 min degrades; one good sample resets. */
static void test_media_sustain(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  assert_int_equal(siphb_health_observe_media(f->h, 420, 0, 0), 0);
  f->seen = f->s->nrecords;
  assert_int_equal(siphb_health_observe_media(f->h, 300, 0, 10000), 0);
  assert_int_equal(siphb_health_observe_media(f->h, 300, 0, 200000), 0);
  assert_int_equal(siphb_health_observe_media(f->h, 400, 0, 250000), 0); /* good again */
  assert_int_equal(siphb_health_observe_media(f->h, 300, 0, 300000), 0);
  assert_int_equal(siphb_health_observe_media(f->h, 300, 0, 599999), 0);
  expect(f, none);
  assert_int_equal(siphb_health_observe_media(f->h, 300, 0, 600000), 0);
  expect(f, (const char *const[]){"600000 layer media healthy>degraded media-poor",
                                  "600000 state healthy>degraded media media-poor", NULL});
  /* Loss above 1 % alone, sustained, says MEDIA_LOSS. */
  assert_int_equal(siphb_health_observe_media(f->h, 420, 0, 700000), 0);
  assert_int_equal(siphb_health_observe_media(f->h, 420, 0, 710000), 0);
  assert_int_equal(siphb_health_observe_media(f->h, 420, 25, 720000), 0);
  assert_int_equal(siphb_health_observe_media(f->h, 420, 25, 1020000), 0);
  expect(f, (const char *const[]){"710000 layer media degraded>healthy none",
                                  "710000 state degraded>healthy media none",
                                  "1020000 layer media healthy>degraded media-loss",
                                  "1020000 state healthy>degraded media media-loss", NULL});
  teardown_fixture(f);
}

/* Silence is a miss per stale_after: a source that stopped reporting. */
static void test_stale(void **state) {
  (void)state;
  siphb_health_config cfg;
  siphb_health_config_init(&cfg, sizeof cfg);
  cfg.layers[SIP].stale_after = 60000;
  fixture *f = setup_with(&cfg);
  start_healthy(f, SIP);
  run_to(f, 120000);
  expect(f, (const char *const[]){"120000 layer sip healthy>degraded stale",
                                  "120000 state healthy>degraded sip stale", NULL});
  run_to(f, 240000); /* misses at 180000, 240000: 3 of 5 since 60000 */
  expect(f, (const char *const[]){"240000 layer sip degraded>offline stale",
                                  "240000 state degraded>offline sip stale",
                                  "240000 alarm on stale", NULL});
  teardown_fixture(f);
}

static void test_disable_and_reset(void **state) {
  (void)state;
  fixture *f = setup_with(NULL);
  start_healthy(f, TRANSPORT);
  obs_at(f, 1000, TRANSPORT, FAIL, NOREASON);
  f->seen = f->s->nrecords;
  assert_int_equal(siphb_health_set_disabled(f->h, true, 2000), 0);
  expect(f, (const char *const[]){"2000 state offline>unknown link manual",
                                  "2000 alarm off manual", NULL});
  obs_at(f, 3000, TRANSPORT, OK, NOREASON);
  expect(f, none);
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(f->h, &st), 0);
  assert_int_equal(st.ignored, 1);
  assert_true(st.disabled);
  assert_int_equal(siphb_health_set_disabled(f->h, false, 4000), 0);
  expect(f, (const char *const[]){"4000 state unknown>unknown link none", NULL});
  obs_at(f, 5000, TRANSPORT, FAIL, NOREASON);
  f->seen = f->s->nrecords;
  assert_int_equal(siphb_health_reset(f->h, 6000), 0);
  expect(f, (const char *const[]){"6000 state offline>unknown link none",
                                  "6000 alarm off manual", NULL});
  teardown_fixture(f);
}

/* Every field out of range is refused, nothing made. */
static void test_bad_config(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_health *h = (siphb_health *)(uintptr_t)1;
  siphb_health_config cfg;
#define REFUSED(stmt)                                                                  \
  do {                                                                                 \
    siphb_health_config_init(&cfg, sizeof cfg);                                        \
    stmt;                                                                              \
    assert_int_equal(siphb_health_new(&h, s->ctx, &cfg, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT); \
    assert_ptr_equal(h, (siphb_health *)(uintptr_t)1);                                 \
  } while (0)
  REFUSED(cfg.layers[0].degrade_after = 0);
  REFUSED(cfg.layers[1].degrade_after = 256);
  REFUSED(cfg.layers[2].down_k = 0);
  REFUSED(cfg.layers[2].down_k = 6);
  REFUSED(cfg.layers[2].down_n = 33; cfg.layers[2].down_k = 3);
  REFUSED(cfg.layers[3].up_after = 0);
  REFUSED(cfg.layers[4].mode = (siphb_health_mode)2);
  REFUSED(cfg.layers[2].down_after = (siphb_ms)1 << 33);
  REFUSED(cfg.layers[2].stale_after = (siphb_ms)1 << 33);
  REFUSED(cfg.layers[2].counter_max = 256);
  REFUSED(cfg.layers[2].counter_up = 0);
  REFUSED(cfg.layers[2].counter_up = 6);
  REFUSED(cfg.layers[2].counter_down = 3);
  REFUSED(cfg.layers[2].counter_initial = 6);
  REFUSED(cfg.flap_changes = 8);
  REFUSED(cfg.flap_window = 0);
  REFUSED(cfg.flap_window = ((siphb_ms)1 << 28) + 1);
  REFUSED(cfg.flap_hold = (siphb_ms)1 << 33);
  REFUSED(cfg.media_mos_x100 = 501);
  REFUSED(cfg.media_loss_permille = 1001);
  REFUSED(cfg.media_sustain = (siphb_ms)1 << 33);
  REFUSED(cfg.size = 0);
  /* Fields beyond this library's struct, non-zero: UNSUPPORTED. */
  unsigned char big[sizeof cfg + 8];
  siphb_health_config_init((siphb_health_config *)(void *)big, sizeof big);
  big[sizeof cfg + 3] = 1;
  assert_int_equal(siphb_health_new(&h, s->ctx, (siphb_health_config *)(void *)big, NULL, 0),
                   SIPHB_ERR_UNSUPPORTED);
  assert_int_equal(siphb_health_new(NULL, s->ctx, NULL, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_health_new(&h, NULL, NULL, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_ptr_equal(h, (siphb_health *)(uintptr_t)1);
  /* Calls with bad arguments change nothing. */
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_health_observe(h, SIPHB_HEALTH_LAYER_COUNT, OK, NOREASON, 0, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_health_observe(h, SIP, (siphb_health_obs)4, NOREASON, 0, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(
      siphb_health_observe(h, SIP, OK, SIPHB_HEALTH_REASON_COUNT, SIPHB_HEALTH_NO_METRIC, 0),
      SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_health_set_wallclock(h, -1, 0, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_health_set_wallclock(h, 0, 18 * 3600 + 1, 0), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_health_window w;
  siphb_health_window_init(&w, sizeof w);
  w.duration = 1000;
  assert_int_equal(siphb_health_add_window(h, &w, NULL, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_health_set_wallclock(h, 0, 0, 0), 0);
  w.repeat = SIPHB_HEALTH_REPEAT_DAILY;
  w.start = 86400000;
  assert_int_equal(siphb_health_add_window(h, &w, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  w.start = 0;
  w.duration = 0;
  assert_int_equal(siphb_health_add_window(h, &w, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  w.duration = 1000;
  assert_int_equal(siphb_health_add_window(h, &w, NULL, 0), 0);
  assert_int_equal(siphb_health_add_window(h, &w, NULL, 0), 0);
  assert_int_equal(siphb_health_add_window(h, &w, NULL, 0), SIPHB_ERR_LIMIT);
  assert_int_equal(s->nrecords, 1); /* maint on at 0, for both windows: one event */
  cfg.layers[SIP].enabled = false;
  siphb_health_config_init(&cfg, sizeof cfg);
  cfg.layers[SIP].enabled = false;
  siphb_health *h2;
  assert_int_equal(siphb_health_new(&h2, s->ctx, &cfg, NULL, 0), 0);
  assert_int_equal(siphb_health_observe(h2, SIP, OK, NOREASON, 0, 0), SIPHB_ERR_INVALID_STATE);
  siphb_health_del(h2);
  siphb_health_del(h);
  siphb_health_del(NULL);
  sim_delete(s);
#undef REFUSED
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(siphb_health_state_name(SIPHB_HEALTH_STATE_OFFLINE), "offline");
  assert_string_equal(siphb_health_state_name((siphb_health_state)4), "?");
  assert_string_equal(siphb_health_layer_name(SIPHB_HEALTH_LAYER_REGISTRATION), "registration");
  assert_string_equal(siphb_health_layer_name(SIPHB_HEALTH_LAYER_COUNT), "?");
  assert_string_equal(siphb_health_reason_name(SIPHB_HEALTH_REASON_MEDIA_LOSS), "media-loss");
  assert_string_equal(siphb_health_reason_name(SIPHB_HEALTH_REASON_COUNT), "?");
  assert_string_equal(siphb_event_type_name(SIPHB_EVENT_HEALTH_ALARM), "SIPHB_EVENT_HEALTH_ALARM");
}

/* ---- the allocation-failure sweep ------------------------------------------------ */

/* Three monitors, two sharing a config: both paths of the shared configs. */
static int make_health(sim *s, size_t i, void **obj) {
  siphb_health_config cfg;
  siphb_health_config_init(&cfg, sizeof cfg);
  if (i == 1) cfg.layers[SIP].down_k = 2;
  siphb_health *h;
  int rv = siphb_health_new(&h, s->ctx, &cfg, NULL, 0);
  if (rv != 0) return rv;
  assert_int_equal(siphb_health_observe(h, SIP, MISS, NOREASON, 0, 0), 0);
  if (i == 2) {
    /* The wall clock's and windows' block, allocated on first use. */
    rv = siphb_health_set_wallclock(h, 0, 0, 0);
    if (rv != 0) {
      assert_int_equal(siphb_health_add_window(h, &(siphb_health_window){0}, NULL, 0),
                       SIPHB_ERR_INVALID_ARGUMENT);
      siphb_health_del(h);
      return rv;
    }
  }
  *obj = h;
  return 0;
}

static void del_health(void *h) { siphb_health_del(h); }

static const sim_sweep sweep = {3, make_health, del_health, 600000, 0};

static void test_allocation_sweep(void **state) {
  (void)state;
  /* The ctx, then per monitor its object and, for a new config, the copy;
   * the third monitor's schedule block. */
  assert_true(failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep) >= 1 + 3 + 2 + 1);
}

/* At most 512 bytes per monitor (issue 13): one allocation, the config
 * shared by the monitors that use it, the schedule only when set. */
static void test_memory(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_health *first, *h;
  assert_int_equal(siphb_health_new(&first, s->ctx, NULL, NULL, 0), 0);
  size_t used = siphb_ctx_mem_used(s->ctx);
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  size_t per_monitor = siphb_ctx_mem_used(s->ctx) - used;
  printf("memory per monitor: %zu bytes\n", per_monitor);
  assert_true(per_monitor <= 512);
  assert_int_equal(siphb_health_set_wallclock(h, 0, 0, 0), 0);
  assert_true(siphb_ctx_mem_used(s->ctx) - used > per_monitor); /* the schedule block */
  siphb_health_del(h);
  assert_int_equal(siphb_ctx_mem_used(s->ctx), used);
  siphb_health_del(first);
  sim_delete(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_miss_is_no_alarm),
      cmocka_unit_test(test_two_misses_degrade_and_two_successes_clear),
      cmocka_unit_test(test_confirmed_offline_at_the_exact_time),
      cmocka_unit_test(test_no_offline_when_window_recovers),
      cmocka_unit_test(test_failure_is_offline_at_once),
      cmocka_unit_test(test_link_down_masks_sip),
      cmocka_unit_test(test_maintenance_suppresses_and_reevaluates),
      cmocka_unit_test(test_daily_window_in_local_time),
      cmocka_unit_test(test_flapping_is_damped),
      cmocka_unit_test(test_counter_mode),
      cmocka_unit_test(test_media_sustain),
      cmocka_unit_test(test_stale),
      cmocka_unit_test(test_disable_and_reset),
      cmocka_unit_test(test_bad_config),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_allocation_sweep),
      cmocka_unit_test(test_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
