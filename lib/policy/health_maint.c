/*
 * health_maint.c - maintenance windows (siphb/health.h): manual ones on the
 * ctx clock, scheduled ones in the integrator's wall and local time. The
 * library reads no clock, so local time is the ctx clock plus the offsets
 * the integrator gave (siphb_health_set_wallclock).
 */
#include "policy/health_int.h"

#include "base/ms.h"

#define DAY_MS INT64_C(86400000)
#define WEEK_MS (7 * DAY_MS)
/* 1970-01-01 was a Thursday: the first Monday began 4 days later. */
#define FIRST_MONDAY_MS (4 * DAY_MS)

int health_window_check(const siphb_health_window *w) {
  if (w->duration == 0) return SIPHB_ERR_INVALID_ARGUMENT;
  switch (w->repeat) {
  case SIPHB_HEALTH_REPEAT_ONCE:
    return w->start >= 0 && w->duration <= SIPHB_MS_MAX32 ? 0 : SIPHB_ERR_INVALID_ARGUMENT;
  case SIPHB_HEALTH_REPEAT_DAILY:
    return w->start >= 0 && w->start < DAY_MS && w->duration < (siphb_ms)DAY_MS
               ? 0
               : SIPHB_ERR_INVALID_ARGUMENT;
  case SIPHB_HEALTH_REPEAT_WEEKLY:
    return w->start >= 0 && w->start < WEEK_MS && w->duration < (siphb_ms)WEEK_MS
               ? 0
               : SIPHB_ERR_INVALID_ARGUMENT;
  }
  return SIPHB_ERR_INVALID_ARGUMENT;
}

static int64_t floor_mod(int64_t a, int64_t m) {
  int64_t r = a % m;
  return r < 0 ? r + m : r;
}

/* now as a ctx stamp plus a signed offset, kept inside [0, NEVER). */
static siphb_ms mono_at(siphb_ms now, int64_t delta) {
  if (delta < 0) return (siphb_ms)-delta > now ? 0 : now - (siphb_ms)-delta;
  return siphb_ms_after(now, (siphb_ms)delta);
}

/* One window at now: whether it holds and its next edge (start or end). */
static bool window_at(const siphb_health *h, const health_window *w, siphb_ms now,
                      siphb_ms *end, siphb_ms *edge) {
  int64_t unix_now = (int64_t)now + h->sched->wall_minus_mono;
  if (w->repeat == SIPHB_HEALTH_REPEAT_ONCE) {
    int64_t into = unix_now - w->start; /* ms since the window began */
    if (into < 0) {
      *edge = mono_at(now, -into);
      return false;
    }
    if (into < (int64_t)w->duration) {
      *end = *edge = mono_at(now, (int64_t)w->duration - into);
      return true;
    }
    *edge = SIPHB_NEVER; /* over for good */
    return false;
  }
  int64_t period = w->repeat == SIPHB_HEALTH_REPEAT_DAILY ? DAY_MS : WEEK_MS;
  int64_t local = unix_now + (int64_t)h->sched->utc_offset_s * 1000;
  int64_t origin = w->repeat == SIPHB_HEALTH_REPEAT_DAILY ? 0 : FIRST_MONDAY_MS;
  int64_t into = floor_mod(floor_mod(local - origin, period) - w->start, period);
  if (into < (int64_t)w->duration) {
    *end = *edge = mono_at(now, (int64_t)w->duration - into);
    return true;
  }
  *edge = mono_at(now, period - into);
  return false;
}

bool health_maint_at(const siphb_health *h, siphb_ms now, siphb_ms *until, siphb_ms *next_edge) {
  bool in = false;
  siphb_ms last_end = 0, edge_min = SIPHB_NEVER;
  if (h->manual_until != 0 && now < h->manual_until) {
    in = true;
    last_end = h->manual_until;
    edge_min = h->manual_until;
  }
  if (h->sched) {
    for (size_t i = 0; i < SIPHB_HEALTH_MAX_WINDOWS; i++) {
      const health_window *w = &h->sched->windows[i];
      if (!w->used) continue;
      siphb_ms end = 0, edge = SIPHB_NEVER;
      if (window_at(h, w, now, &end, &edge)) {
        in = true;
        if (end > last_end) last_end = end;
      }
      if (edge < edge_min) edge_min = edge;
    }
  }
  if (until) *until = in ? last_end : 0;
  if (next_edge) *next_edge = edge_min;
  return in;
}
