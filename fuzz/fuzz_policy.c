/*
 * fuzz_policy.c - libFuzzer harness for the health monitor, the target
 * selection and the escalation wired together (siphb/health.h,
 * siphb/failover.h), and for their snapshot readers.
 *
 * The input is a program: each step takes an opcode byte and its
 * operands and does one of: advance the clock (to the next deadline or by
 * an input-chosen step), an observation of any layer of any of three
 * monitors (any observation, reason and metric byte, including values out
 * of range), a media sample, manual maintenance on or off, disable or
 * enable, reset, a wall clock and a window, a target's explicit state (on
 * the target without a monitor), a hold, an operator's switch, the
 * escalation's inputs, an alarm reset; and three snapshot operations: a
 * restore from raw input bytes, a restore of a saved snapshot with one
 * input-chosen byte changed, and a save-restore round trip.
 * Aborts on: a call returning a code its header does not list; a refused
 * restore that changed the object (its statistics before and after); a
 * round trip that does not restore; a monitor's reported state OFFLINE
 * with an alarm but in maintenance; an escalation alarm state that
 * disagrees with its statistics.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <siphb/siphb.h>

#include "fuzz_check.h"
#include "fuzz_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct world {
  siphb_ctx *ctx;
  siphb_health *h[3];
  siphb_targets *t;
  siphb_escalation *e;
  uint64_t rng;
} world;

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  (void)user_data;
  FUZZ_CHECK(ev->type >= SIPHB_EVENT_HEALTH_CHANGED &&
             ev->type <= SIPHB_EVENT_ESCALATION_RESOLVED);
  if (ev->object_kind == SIPHB_OBJECT_HEALTH && ev->type == SIPHB_EVENT_HEALTH_ALARM)
    FUZZ_CHECK(!(ev->u.health.alarm && ev->u.health.maintenance));
  return 0;
}

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *d, size_t n,
                   void *user_data) {
  (void)ctx, (void)info, (void)d, (void)n, (void)user_data;
  FUZZ_CHECK(0); /* none of these objects sends */
  return 0;
}

static int fuzz_random(uint8_t *dest, size_t len, void *user_data) {
  fuzz_lcg_fill(&((world *)user_data)->rng, dest, len);
  return 0;
}

static bool is_refusal(int rv) {
  return rv == SIPHB_ERR_SNAPSHOT_CORRUPT || rv == SIPHB_ERR_SNAPSHOT_VERSION ||
         rv == SIPHB_ERR_SNAPSHOT_KIND || rv == SIPHB_ERR_INVALID_ARGUMENT;
}

/* A restore of buf into object k (0-2 monitor 0, 3 targets, 4
 * escalation); a refused one must change nothing. */
static void restore(world *w, unsigned k, const uint8_t *buf, size_t len, siphb_ms now) {
  int rv;
  if (k < 3) {
    siphb_health_stats a, b;
    siphb_health_get_stats(w->h[k], &a);
    rv = siphb_health_restore(w->h[k], buf, len, now);
    if (rv != 0) {
      FUZZ_CHECK(is_refusal(rv));
      siphb_health_get_stats(w->h[k], &b);
      FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
    }
  } else if (k == 3) {
    siphb_targets_stats a, b;
    siphb_target ca, cb;
    siphb_targets_get_stats(w->t, &a);
    int ha = siphb_targets_current(w->t, &ca);
    rv = siphb_targets_restore(w->t, buf, len, now);
    if (rv != 0) {
      FUZZ_CHECK(is_refusal(rv));
      siphb_targets_get_stats(w->t, &b);
      FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
      FUZZ_CHECK(siphb_targets_current(w->t, &cb) == ha);
      FUZZ_CHECK(ha != 0 || ca.key == cb.key);
    }
  } else {
    siphb_escalation_stats a, b;
    siphb_escalation_get_stats(w->e, &a);
    rv = siphb_escalation_restore(w->e, buf, len, now);
    if (rv != 0) {
      FUZZ_CHECK(is_refusal(rv));
      siphb_escalation_get_stats(w->e, &b);
      FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0);
    }
  }
}

static siphb_ssize save(world *w, unsigned k, uint8_t *buf, siphb_ms now) {
  siphb_ssize n = k < 3 ? siphb_health_save(w->h[k], buf, SIPHB_SNAPSHOT_MAX, NULL, now)
                  : k == 3 ? siphb_targets_save(w->t, buf, SIPHB_SNAPSHOT_MAX, NULL, now)
                           : siphb_escalation_save(w->e, buf, SIPHB_SNAPSHOT_MAX, NULL, now);
  FUZZ_CHECK(n > 0 && n <= SIPHB_SNAPSHOT_MAX);
  return n;
}

static void build(world *w) {
  w->ctx = fuzz_ctx_new(on_send, on_event, fuzz_random, w);
  for (int i = 0; i < 3; i++) FUZZ_CHECK(siphb_health_new(&w->h[i], w->ctx, NULL, NULL, 0) == 0);
  siphb_targets_config tc;
  siphb_targets_config_init(&tc, sizeof tc);
  tc.dwell = 5000;
  tc.min_switch_interval = 2000;
  tc.max_switches = 3;
  tc.switch_window = 60000;
  tc.failback_hold = 10000;
  FUZZ_CHECK(siphb_targets_new(&w->t, w->ctx, &tc, NULL, 0) == 0);
  siphb_escalation_config ec;
  siphb_escalation_config_init(&ec, sizeof ec);
  ec.recover_step = 1000;
  ec.notify_after = 5000;
  ec.alarm_after = 10000;
  ec.autodial_after = 20000;
  ec.autodial_enabled = true;
  ec.zone_critical = true;
  ec.autodial_required_inputs = 1;
  ec.autodial_cooldown = 30000;
  FUZZ_CHECK(siphb_escalation_new(&w->e, w->ctx, &ec, NULL, 0) == 0);
  /* Targets 1-3 with monitors 0-1 and none for target 3. */
  siphb_target list[3];
  for (int i = 0; i < 3; i++) {
    siphb_target_init(&list[i], sizeof list[i]);
    list[i].key = (uint64_t)i + 1;
    list[i].priority = (uint16_t)(i / 2);
    list[i].weight = (uint16_t)(i * 10);
    list[i].health = i < 2 ? w->h[i] : NULL;
  }
  FUZZ_CHECK(siphb_targets_set(w->t, list, 3, 0) == 0);
  FUZZ_CHECK(siphb_escalation_set_targets(w->e, w->t, 0) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  world w;
  memset(&w, 0, sizeof w);
  w.rng = 0x9E3779B97F4A7C15ull;
  build(&w);
  fuzz_input in = {data, data + size};
  siphb_ms now = 0;
  uint8_t snap[SIPHB_SNAPSHOT_MAX];
  int steps = 0;
  while (in.p < in.end && steps++ < 2000) {
    unsigned op = fuzz_next(&in) % 14, a = fuzz_next(&in), b = fuzz_next(&in);
    siphb_health *h = w.h[a % 3];
    int rv;
    switch (op) {
    case 0:
      fuzz_clock(w.ctx, &now, 0);
      break;
    case 1:
      fuzz_clock(w.ctx, &now, (siphb_ms)b * 250);
      break;
    case 2: {
      unsigned c = fuzz_next(&in);
      rv = siphb_health_observe(h, (siphb_health_layer)(b % 6), (siphb_health_obs)(c % 5),
                                (siphb_health_reason)(c / 5 % 18), b, now);
      FUZZ_CHECK(rv == 0 || rv == SIPHB_ERR_INVALID_ARGUMENT);
      FUZZ_CHECK(rv == 0 || b % 6 == 5 || c % 5 == 4 || c / 5 % 18 == 17);
      break;
    }
    case 3:
      FUZZ_CHECK(siphb_health_observe_media(h, b * 2, fuzz_next(&in) * 4, now) == 0);
      break;
    case 4:
      FUZZ_CHECK(siphb_health_set_maintenance(h, b & 1 ? (siphb_ms)b * 1000 : 0, now) == 0);
      break;
    case 5:
      FUZZ_CHECK(siphb_health_set_disabled(h, b & 1, now) == 0);
      break;
    case 6:
      FUZZ_CHECK(siphb_health_reset(h, now) == 0);
      break;
    case 7: {
      FUZZ_CHECK(siphb_health_set_wallclock(h, (int64_t)b * 3600000, (int32_t)(a % 25) * 3600 -
                                                                        12 * 3600, now) == 0);
      siphb_health_window win;
      siphb_health_window_init(&win, sizeof win);
      win.repeat = (siphb_health_repeat)(b % 3);
      win.start = win.repeat == SIPHB_HEALTH_REPEAT_ONCE ? (int64_t)b * 3600000 : (int64_t)b * 60000;
      win.duration = 1 + (siphb_ms)fuzz_next(&in) * 1000;
      rv = siphb_health_add_window(h, &win, NULL, now);
      FUZZ_CHECK(rv == 0 || rv == SIPHB_ERR_LIMIT);
      if (rv == SIPHB_ERR_LIMIT) FUZZ_CHECK(siphb_health_remove_window(h, b & 1, now) == 0);
      break;
    }
    case 8:
      rv = siphb_targets_observe(w.t, 1 + a % 4, (siphb_health_state)(b % 4),
                                 (siphb_health_reason)(b / 4 % 17), now);
      FUZZ_CHECK(rv == 0 || (a % 4 < 2 && rv == SIPHB_ERR_INVALID_ARGUMENT) ||
                 (a % 4 == 3 && rv == SIPHB_ERR_NOT_FOUND));
      break;
    case 9:
      rv = siphb_targets_hold(w.t, 1 + a % 4, (siphb_ms)b * 500, now);
      FUZZ_CHECK(rv == 0 || (a % 4 == 3 && rv == SIPHB_ERR_NOT_FOUND));
      break;
    case 10:
      rv = siphb_targets_switch_to(w.t, 1 + a % 4, now);
      FUZZ_CHECK(rv == 0 || rv == SIPHB_ERR_LIMIT || (a % 4 == 3 && rv == SIPHB_ERR_NOT_FOUND));
      break;
    case 11:
      FUZZ_CHECK(siphb_escalation_set_inputs(w.e, b, now) == 0);
      if (a & 1) FUZZ_CHECK(siphb_escalation_reset_alarm(w.e, now) == 0);
      break;
    case 12: {
      /* Raw bytes from the input as a snapshot. */
      const uint8_t *raw;
      size_t n = fuzz_take(&in, b % (SIPHB_SNAPSHOT_MAX + 8), &raw);
      restore(&w, a % 5, raw, n, now);
      break;
    }
    case 13: {
      /* A real snapshot, restored as it is (must work, but for an
       * escalation in an incident) or with one byte changed. */
      unsigned k = a % 5;
      siphb_ssize n = save(&w, k, snap, now);
      if (b & 1) {
        snap[fuzz_next(&in) % (size_t)n] ^= (uint8_t)(1u << (b >> 5));
        restore(&w, k, snap, (size_t)n, now);
      } else {
        siphb_escalation_stats st;
        siphb_escalation_get_stats(w.e, &st);
        rv = k < 3   ? siphb_health_restore(w.h[k], snap, (size_t)n, now)
             : k == 3 ? siphb_targets_restore(w.t, snap, (size_t)n, now)
                      : siphb_escalation_restore(w.e, snap, (size_t)n, now);
        FUZZ_CHECK(rv == 0 ||
                   (k == 4 && rv == SIPHB_ERR_INVALID_ARGUMENT && st.incident_start != SIPHB_NEVER));
      }
      break;
    }
    }
    siphb_escalation_stats es;
    FUZZ_CHECK(siphb_escalation_get_stats(w.e, &es) == 0);
    FUZZ_CHECK(!es.alarm_latched || es.alarm_on);
    FUZZ_CHECK((es.incident_start == SIPHB_NEVER) == (es.stage == SIPHB_ESCALATION_STAGE_NORMAL));
  }
  siphb_ctx_del(w.ctx);
  return 0;
}
