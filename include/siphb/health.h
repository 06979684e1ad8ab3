/*
 * siphb/health.h - the health monitor: turns observations of one endpoint
 * or target into a judgement (healthy, degraded, offline) with a reason,
 * and raises and clears an alarm on it.
 *
 * Only health judges (docs/CONVENTIONS.md "How objects compose"): probes,
 * flows and registrations report results; wired to a monitor
 * (siphb_probe_set_health() and its kin) each result becomes an
 * observation of its layer, and the integrator feeds what siphb cannot see
 * (the OS link state, media quality) with siphb_health_observe().
 *
 * Per layer, in the default CONFIRM mode (all figures configurable):
 *   - DEGRADED after `degrade_after` (2) non-successes in a row;
 *   - OFFLINE only when the failure is confirmed: at least `down_k` (3) of
 *     the last `down_n` (5) observations failed AND the failure has lasted
 *     `down_after` (180 s) since the first failure of the current failure
 *     run. The run begins with the first failure while the layer is
 *     healthy (or unknown) and ends only with a success that finds or
 *     makes the layer healthy, so a lucky answer while DEGRADED does not
 *     restart the clock (a stray miss while healthy is over at the next
 *     success). When k of n
 *     holds before the time is up, a timer confirms at exactly
 *     first failure + down_after (if k of n still holds then);
 *   - HEALTHY after `up_after` (2) successes in a row;
 *   - a FAILURE observation (confirmed by its source) is OFFLINE at once;
 *   - `stale_after` (off) turns silence into misses (reason STALE), one per
 *     stale_after of silence.
 * The COUNTER mode is the saturating up/down counter some softswitches use,
 * exactly: a counter c in [0, counter_max] starts at counter_initial;
 * SUCCESS adds 1 (not past counter_max), MISS and DEGRADED take 1 (not
 * below 0), FAILURE sets 0. After each observation the layer is HEALTHY
 * when c >= counter_up, OFFLINE when c <= counter_down, and otherwise keeps
 * its state (UNKNOWN included): the band between is the hysteresis. There
 * is no DEGRADED in this mode.
 *
 * The endpoint's state is the worst state of its enabled layers; its reason
 * and root-cause layer come from the lowest layer that is failing
 * (DEGRADED or OFFLINE), so that a dead link reports LINK_DOWN rather than
 * SIP_TIMEOUT, even while the SIP layer is the one confirmed OFFLINE.
 *
 * Flap damping: more than `flap_changes` (4) changes of the endpoint's
 * state within `flap_window` (10 min) mark the monitor flapping (changes
 * from or to UNKNOWN, i.e. start, reset and disable, do not count); it then
 * reports the worst state seen while flapping and reports recoveries only
 * once the underlying state has been stable for `flap_hold` (10 min).
 *
 * The alarm is the slow clock beside the fast one: it is raised when the
 * endpoint goes OFFLINE (or DEGRADED, with alarm_on_degraded) and cleared
 * when it is better again, as SIPHB_EVENT_HEALTH_ALARM, distinct from the
 * state changes. Inside a maintenance window states are still tracked and
 * reported (marked `maintenance`), but no alarm is raised: a raised one is
 * cleared with reason MAINTENANCE and one that falls due is held
 * (`alarm_suppressed`); leaving the window re-evaluates at once.
 *
 * Events (payload u.health): HEALTH_CHANGED (the endpoint's state or
 * reason), HEALTH_LAYER_CHANGED, HEALTH_FLAPPING (on or off),
 * HEALTH_MAINTENANCE (a window began or ended), HEALTH_ALARM (raised or
 * cleared). In one call the order is: layer, maintenance, endpoint, flapping,
 * alarm. Events carry the source's `due` (a timer's deadline), and are
 * then fed to the target selection or escalation wired to the monitor.
 */
#ifndef SIPHB_HEALTH_H
#define SIPHB_HEALTH_H

#include <siphb/common.h>
#include <siphb/ctx.h>
#include <siphb/health_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a layer turns observations into a state. */
typedef enum siphb_health_mode {
  SIPHB_HEALTH_MODE_CONFIRM = 0, /* degrade, k of n over time, recover (above) */
  SIPHB_HEALTH_MODE_COUNTER = 1  /* the saturating up/down counter (above) */
} siphb_health_mode;

/* Most observations a layer's k-of-n window holds (down_n). */
#define SIPHB_HEALTH_MAX_WINDOW 32
/* Most state changes flap damping counts (flap_changes). */
#define SIPHB_HEALTH_MAX_FLAP_CHANGES 7
/* Most bytes any snapshot takes (siphb_health_save(), siphb/failover.h). */
#define SIPHB_SNAPSHOT_MAX 96
/* Most scheduled maintenance windows per monitor. */
#define SIPHB_HEALTH_MAX_WINDOWS 2

typedef struct siphb_health_layer_config {
  bool enabled;             /* true; a layer nobody observes stays UNKNOWN and counts
                               for nothing */
  siphb_health_mode mode;   /* CONFIRM */
  uint32_t degrade_after;   /* 2 (1 for LINK) non-successes in a row */
  uint32_t down_k, down_n;  /* 3 of 5 (1 <= k <= n <= SIPHB_HEALTH_MAX_WINDOW) */
  siphb_ms down_after;      /* 180000: least duration of a confirmed failure run;
                               0 = k of n alone */
  uint32_t up_after;        /* 2 (1 for LINK, whose source reports edges) */
  siphb_ms stale_after;     /* 0 = off */
  uint32_t counter_max;     /* COUNTER: 5 (<= 255) */
  uint32_t counter_up;      /* COUNTER: 3, HEALTHY at or above */
  uint32_t counter_down;    /* COUNTER: 0, OFFLINE at or below (< counter_up) */
  uint32_t counter_initial; /* COUNTER: 0 (<= counter_max) */
  /* Fixed layout: an element of siphb_health_config.layers[], which grows
   * at its own end, never inside this struct. */
} siphb_health_layer_config;

typedef struct siphb_health_config {
  uint32_t size; /* set by siphb_health_config_init() */
  siphb_health_layer_config layers[SIPHB_HEALTH_LAYER_COUNT];
  uint32_t flap_changes;  /* 4: more changes than this within flap_window is
                             flapping; 0 = no damping */
  siphb_ms flap_window;   /* 600000 (at most 2^28 ms) */
  siphb_ms flap_hold;     /* 600000: stable this long ends flapping */
  bool alarm_on_degraded; /* false: the alarm follows OFFLINE only */
  /* Media quality (siphb_health_observe_media): MEDIA is DEGRADED when the
   * MOS stays below media_mos_x100 or the loss above media_loss_permille
   * for media_sustain; OFFLINE is left to the integrator's FAILURE. */
  uint32_t media_mos_x100;      /* 350 */
  uint32_t media_loss_permille; /* 10 (1 %) */
  siphb_ms media_sustain;       /* 300000 */
} siphb_health_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above. */
SIPHB_EXTERN void siphb_health_config_init(siphb_health_config *cfg, size_t size);

/*
 * A new monitor on ctx: every layer UNKNOWN, no alarm. cfg NULL means the
 * defaults; it is copied. Returns 0 and writes *out; INVALID_ARGUMENT (a
 * NULL pointer, a field out of range, cfg never initialised); UNSUPPORTED
 * (a field this library does not know); NOMEM.
 */
SIPHB_EXTERN int siphb_health_new(siphb_health **out, siphb_ctx *ctx,
                                  const siphb_health_config *cfg, void *user_data, siphb_ms now);
/* NULL accepted; from a callback, the monitor is silenced at once and freed
 * on return. Sources wired to it are detached. */
SIPHB_EXTERN void siphb_health_del(siphb_health *health);

/*
 * One observation of one layer. reason NONE takes the layer's usual one
 * (LINK_DOWN, TRANSPORT_FAILED, SIP_TIMEOUT, REG_FAILED, MEDIA_POOR) for a
 * failure. metric (or SIPHB_HEALTH_NO_METRIC) is carried into the events
 * it causes: an RTT in ms, a MOS x 100. Returns 0; INVALID_ARGUMENT (NULL,
 * layer, obs or reason out of range); INVALID_STATE (the layer is
 * disabled). An observation while the monitor is administratively disabled
 * is counted and otherwise ignored.
 */
SIPHB_EXTERN int siphb_health_observe(siphb_health *health, siphb_health_layer layer,
                                      siphb_health_obs obs, siphb_health_reason reason,
                                      uint32_t metric, siphb_ms now);

/*
 * A media-quality sample for the MEDIA layer (e.g. from an RTCP report
 * through siphb_mos_estimate()): a SUCCESS when both figures are good, a
 * DEGRADED observation (reason MEDIA_POOR or MEDIA_LOSS) once one of them
 * has been bad for media_sustain without a good sample between; a bad
 * sample before that changes nothing. Returns as siphb_health_observe().
 */
SIPHB_EXTERN int siphb_health_observe_media(siphb_health *health, uint32_t mos_x100,
                                            uint32_t loss_permille, siphb_ms now);

/* How a scheduled maintenance window repeats. */
typedef enum siphb_health_repeat {
  SIPHB_HEALTH_REPEAT_ONCE = 0,   /* start: Unix time in ms (UTC) */
  SIPHB_HEALTH_REPEAT_DAILY = 1,  /* start: ms after local midnight (< 86400000) */
  SIPHB_HEALTH_REPEAT_WEEKLY = 2  /* start: ms after local Monday 00:00 (< 604800000) */
} siphb_health_repeat;

typedef struct siphb_health_window {
  uint32_t size;               /* siphb_health_window_init(&w, sizeof w) */
  siphb_health_repeat repeat;  /* ONCE */
  int64_t start;               /* see siphb_health_repeat */
  siphb_ms duration;           /* > 0; DAILY below a day, WEEKLY below a week */
} siphb_health_window;

SIPHB_EXTERN void siphb_health_window_init(siphb_health_window *w, size_t size);

/*
 * Where the integrator's monotonic clock stands against wall time: at
 * `now`, Unix time was unix_ms and local time was UTC + utc_offset_s. Needed
 * by scheduled windows (call again when the offset changes, e.g. at a
 * daylight-saving switch). Returns 0; INVALID_ARGUMENT (an offset beyond
 * +-18 h, unix_ms negative).
 */
SIPHB_EXTERN int siphb_health_set_wallclock(siphb_health *health, int64_t unix_ms,
                                            int32_t utc_offset_s, siphb_ms now);

/*
 * Adds a scheduled window (copied) in slot *index_out. Returns 0;
 * INVALID_ARGUMENT (a field out of range); INVALID_STATE (no wall clock
 * set yet); LIMIT (SIPHB_HEALTH_MAX_WINDOWS in use). Entering or leaving
 * a window is reported as HEALTH_MAINTENANCE, at the exact edge.
 */
SIPHB_EXTERN int siphb_health_add_window(siphb_health *health, const siphb_health_window *w,
                                         uint32_t *index_out, siphb_ms now);
/* Removes the window in slot index. Returns 0; NOT_FOUND. */
SIPHB_EXTERN int siphb_health_remove_window(siphb_health *health, uint32_t index, siphb_ms now);

/*
 * Manual maintenance: on for `duration` ms from now (SIPHB_NEVER: until
 * turned off), or off with duration 0. Returns 0; INVALID_ARGUMENT (NULL).
 */
SIPHB_EXTERN int siphb_health_set_maintenance(siphb_health *health, siphb_ms duration,
                                              siphb_ms now);

/*
 * Administrative disable: a disabled monitor reports UNKNOWN (reason
 * MANUAL), clears its alarm and ignores observations; enabling starts it
 * afresh. Returns 0; INVALID_ARGUMENT (NULL).
 */
SIPHB_EXTERN int siphb_health_set_disabled(siphb_health *health, bool disabled, siphb_ms now);

/* Forgets every layer's history and the damping (a manual acknowledgement):
 * all layers UNKNOWN, the alarm cleared (reason MANUAL). Returns 0 or
 * INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_health_reset(siphb_health *health, siphb_ms now);

/* The reported state of the endpoint (flap damping applied) and, if reason
 * is not NULL, its reason. UNKNOWN for NULL. */
SIPHB_EXTERN siphb_health_state siphb_health_get_state(const siphb_health *health,
                                                       siphb_health_reason *reason);
/* The state of one layer; UNKNOWN for NULL or a layer out of range. */
SIPHB_EXTERN siphb_health_state siphb_health_get_layer(const siphb_health *health,
                                                       siphb_health_layer layer);

typedef struct siphb_health_layer_stats {
  siphb_health_state state;
  siphb_health_reason reason;
  uint32_t observations;  /* since creation */
  uint32_t failures;      /* MISS and FAILURE observations since creation */
  uint32_t transitions;   /* state changes since creation */
  uint32_t window_failures, window_observations; /* in the current k-of-n window */
  uint32_t consecutive;   /* failures in a row (or successes in a row: see last_ok) */
  bool last_ok;
  siphb_ms since;         /* the current state began */
  siphb_ms first_failure_at; /* SIPHB_NEVER = no failure run */
  uint64_t reserved_[2];
} siphb_health_layer_stats;

typedef struct siphb_health_stats {
  siphb_health_state state;    /* reported (damping applied) */
  siphb_health_reason reason;
  siphb_health_layer root_layer;
  bool alarm, alarm_suppressed, flapping, maintenance, disabled;
  uint32_t alarms_raised;      /* since creation */
  uint32_t transitions;        /* changes of the reported state */
  uint32_t ignored;            /* observations while disabled */
  siphb_ms since;
  siphb_ms maintenance_until;  /* 0 = not in maintenance, SIPHB_NEVER = open-ended */
  siphb_health_layer_stats layers[SIPHB_HEALTH_LAYER_COUNT];
  uint64_t reserved_[4];
} siphb_health_stats;

/* Fills *st. Returns 0 or INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_health_get_stats(const siphb_health *health, siphb_health_stats *st);

SIPHB_EXTERN void *siphb_health_get_user_data(const siphb_health *health);
SIPHB_EXTERN void siphb_health_set_user_data(siphb_health *health, void *user_data);

/*
 * Snapshots of what an operator set (manual maintenance with the time it
 * has left, the disabled flag), in the envelope siphb/failover.h describes
 * ("SNAPSHOTS"): at most SIPHB_SNAPSHOT_MAX bytes. Save returns the length,
 * NOBUF (err->need), INVALID_ARGUMENT. Restore applies them as
 * siphb_health_set_maintenance() and _set_disabled() would (with their
 * events); returns 0, SIPHB_ERR_SNAPSHOT_VERSION, _KIND, _CORRUPT or
 * INVALID_ARGUMENT, the monitor unchanged on error.
 */
SIPHB_EXTERN siphb_ssize siphb_health_save(const siphb_health *health, uint8_t *buf, size_t cap,
                                           siphb_error_info *err, siphb_ms now);
SIPHB_EXTERN int siphb_health_restore(siphb_health *health, const uint8_t *buf, size_t len,
                                      siphb_ms now);

/* The name of a state, layer or reason ("offline", "sip", "link-down"), as
 * the JSON export and the tool print them; never NULL ("?" when out of
 * range). */
SIPHB_EXTERN const char *siphb_health_state_name(siphb_health_state state);
SIPHB_EXTERN const char *siphb_health_layer_name(siphb_health_layer layer);
SIPHB_EXTERN const char *siphb_health_reason_name(siphb_health_reason reason);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_HEALTH_H */
