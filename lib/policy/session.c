/*
 * session.c - the RFC 4028 session timer of one dialog (siphb/session.h):
 * the refresh points (RFC mode or the operator's segments), the expiry of
 * a dialog nobody refreshed, the hard limits, on one timer node.
 */
#include <siphb/session.h>

#include <stddef.h>
#include <string.h>

#include "base/ms.h"
#include "base/names.h"
#include "base/sized.h"
#include "engine/ctx_int.h"

#define CONFIG_MIN_SIZE sizeof(siphb_session_config)

struct siphb_session {
  siphb_obj base; /* first: the handle is the object */
  siphb_wheel_node node;
  /* The config. */
  uint32_t segments, bye_divisor;
  siphb_ms grace, max_no_timer, max_all;
  bool prefer_update;
  /* The dialog's timer. */
  uint8_t state;           /* a siphb_session_state */
  bool active, local_refresher, peer_update;
  bool retried;            /* RFC mode: the one retry after a failed refresh is used */
  uint32_t interval_s;
  uint32_t attempt;        /* REFRESH_DUE reported since the last success */
  siphb_ms started, last_refresh;
  siphb_ms next_refresh_at, expire_at, hard_limit_at;
  uint32_t refreshes, failures;
};

/* ---- config ------------------------------------------------------------------- */

static void config_defaults(siphb_session_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->bye_margin_divisor = 3;
  c->max_duration_no_timer = 7200000;
  c->prefer_update = true;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_session_config_init(siphb_session_config *cfg, size_t size) {
  siphb_session_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

static bool config_valid(const siphb_session_config *c) {
  return siphb_sized_bool_ok(&c->prefer_update) && (c->segments == 0 || (c->segments >= 2 && c->segments <= 10)) &&
         c->bye_margin_divisor >= 1 && c->bye_margin_divisor <= 100 &&
         c->grace <= SIPHB_MS_MAX32 && c->max_duration_no_timer <= SIPHB_MS_MAX32 &&
         c->max_duration <= SIPHB_MS_MAX32;
}

/* ---- the schedule --------------------------------------------------------------- */

/* Every deadline from the last success (section 10, and the segments). */
static void schedule(siphb_session *s) {
  s->next_refresh_at = s->expire_at = SIPHB_NEVER;
  if (s->active) {
    siphb_ms whole = (siphb_ms)s->interval_s * 1000;
    if (s->local_refresher) {
      siphb_ms first = s->segments ? whole / s->segments : siphb_st_refresh_delay(s->interval_s);
      s->next_refresh_at = siphb_ms_after(s->last_refresh, first);
      /* Our last refresh got no 2xx by the interval's end: the peer has
       * given up on the dialog by then. */
      s->expire_at = siphb_ms_after(s->last_refresh, siphb_ms_after(whole, s->grace));
    } else {
      s->expire_at = siphb_ms_after(
          s->last_refresh,
          siphb_ms_after(siphb_st_bye_delay(s->interval_s, s->bye_divisor), s->grace));
    }
  }
  siphb_ms limit = s->max_all;
  if (!s->active && s->max_no_timer && (!limit || s->max_no_timer < limit))
    limit = s->max_no_timer;
  s->hard_limit_at = limit ? siphb_ms_after(s->started, limit) : SIPHB_NEVER;
}

static void rearm(siphb_session *s) {
  siphb_ms at = SIPHB_NEVER;
  if (s->state == SIPHB_SESSION_STATE_RUNNING) {
    at = s->next_refresh_at;
    if (s->expire_at < at) at = s->expire_at;
    if (s->hard_limit_at < at) at = s->hard_limit_at;
  }
  siphb_wheel_arm(siphb_ctx_wheel(s->base.ctx), &s->node, at);
}

static int emit(siphb_session *s, siphb_event_type type, siphb_session_reason reason,
                siphb_ms due, siphb_ms now) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&s->base, &ev, type, due, now);
  siphb_event_session *e = &ev.u.session;
  e->reason = reason;
  e->method = s->prefer_update && s->peer_update ? SIPHB_SESSION_METHOD_UPDATE
                                                 : SIPHB_SESSION_METHOD_REINVITE;
  e->interval_s = s->interval_s;
  e->refresh_number = s->attempt;
  e->local_refresher = s->local_refresher;
  e->timer_active = s->active;
  e->last_refresh = s->last_refresh;
  e->expire_at = s->expire_at;
  e->hard_limit_at = s->hard_limit_at;
  e->next_refresh_at = s->next_refresh_at;
  return siphb_ctx_emit(s->base.ctx, &ev);
}

/* The end: EXPIRED or HARD_LIMIT, then nothing more. */
static int end_with(siphb_session *s, siphb_event_type type, siphb_session_reason reason,
                    siphb_ms due, siphb_ms now) {
  s->state = SIPHB_SESSION_STATE_EXPIRED;
  s->next_refresh_at = SIPHB_NEVER;
  siphb_wheel_cancel(siphb_ctx_wheel(s->base.ctx), &s->node);
  return emit(s, type, reason, due, now);
}

static int on_timer(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_session *s = (siphb_session *)(void *)((char *)node - offsetof(siphb_session, node));
  siphb_ms due = node->deadline;
  if (s->hard_limit_at <= now)
    return end_with(s, SIPHB_EVENT_SESSION_HARD_LIMIT, SIPHB_SESSION_REASON_HARD_LIMIT,
                    s->hard_limit_at, now);
  if (s->expire_at <= now)
    return end_with(s, SIPHB_EVENT_SESSION_EXPIRED, SIPHB_SESSION_REASON_NOT_REFRESHED,
                    s->expire_at, now);
  if (s->next_refresh_at <= now) {
    s->attempt++;
    siphb_session_reason why =
        s->attempt == 1 ? SIPHB_SESSION_REASON_SCHEDULED : SIPHB_SESSION_REASON_RETRY;
    /* Segment mode: the next boundary comes whether or not this refresh is
     * answered (an unanswered one has failed by then); RFC mode waits for
     * the outcome. */
    s->next_refresh_at = SIPHB_NEVER;
    if (s->segments && s->attempt + 1 < s->segments)
      s->next_refresh_at = siphb_ms_after(
          s->last_refresh, (siphb_ms)s->interval_s * 1000 * (s->attempt + 1) / s->segments);
    rearm(s);
    return emit(s, SIPHB_EVENT_SESSION_REFRESH_DUE, why, due, now);
  }
  rearm(s);
  return 0;
}

/* ---- life ------------------------------------------------------------------------- */

static void session_stop_op(siphb_obj *obj) {
  siphb_session *s = (siphb_session *)(void *)obj;
  siphb_wheel_cancel(siphb_ctx_wheel(obj->ctx), &s->node);
  s->state = SIPHB_SESSION_STATE_STOPPED;
}

static const siphb_obj_ops session_ops = {SIPHB_OBJECT_SESSION, sizeof(siphb_session),
                                          session_stop_op, NULL, NULL};

int siphb_session_new(siphb_session **out, siphb_ctx *ctx, const siphb_session_config *cfg_in,
                      void *user_data, siphb_ms now) {
  if (!out || !ctx) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_session_config full;
  const void *view;
  int rv = siphb_sized_view_or_defaults(cfg_in, &full, sizeof full, CONFIG_MIN_SIZE,
                                        config_defaults_fn, &view);
  if (rv != 0) return rv;
  const siphb_session_config *c = view;
  if (!config_valid(c)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(ctx, now);
  void *obj;
  rv = siphb_obj_new(&obj, ctx, &session_ops, user_data);
  if (rv != 0) return rv;
  siphb_session *s = obj;
  s->segments = c->segments;
  s->bye_divisor = c->bye_margin_divisor;
  s->grace = c->grace;
  s->max_no_timer = c->max_duration_no_timer;
  s->max_all = c->max_duration;
  s->prefer_update = c->prefer_update;
  s->next_refresh_at = s->expire_at = s->hard_limit_at = SIPHB_NEVER;
  siphb_wheel_node_init(&s->node, on_timer);
  *out = s;
  return 0;
}

void siphb_session_del(siphb_session *session) {
  if (session) siphb_obj_delete(&session->base);
}

/* ---- calls -------------------------------------------------------------------------- */

static bool usable(const siphb_session *s) { return s && !siphb_obj_dead(&s->base); }

static bool neg_valid(const siphb_st_result *neg) {
  return !neg->active || neg->interval_s >= SIPHB_ST_MIN_SE;
}

/* The interval and refresher of a negotiation. */
static void take(siphb_session *s, const siphb_st_result *neg) {
  s->active = neg->active;
  s->interval_s = neg->active ? neg->interval_s : 0;
  s->local_refresher = neg->active && neg->local_refresher;
}

int siphb_session_start(siphb_session *session, const siphb_st_result *neg,
                        bool peer_allows_update, siphb_ms now) {
  if (!usable(session) || !neg || !neg_valid(neg)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_session *s = session;
  now = siphb_ctx_clock(s->base.ctx, now);
  take(s, neg);
  s->peer_update = peer_allows_update;
  s->state = SIPHB_SESSION_STATE_RUNNING;
  s->started = s->last_refresh = now;
  s->attempt = 0;
  s->retried = false;
  schedule(s);
  rearm(s);
  return 0;
}

int siphb_session_refreshed(siphb_session *session, const siphb_st_result *neg, siphb_ms now) {
  if (!usable(session) || (neg && !neg_valid(neg))) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_session *s = session;
  if (s->state != SIPHB_SESSION_STATE_RUNNING) return SIPHB_ERR_INVALID_STATE;
  now = siphb_ctx_clock(s->base.ctx, now);
  if (neg) take(s, neg);
  s->last_refresh = now;
  s->attempt = 0;
  s->retried = false;
  s->refreshes++;
  schedule(s);
  rearm(s);
  return 0;
}

int siphb_session_refresh_failed(siphb_session *session, unsigned status, siphb_ms now) {
  if (!usable(session)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_session *s = session;
  if (s->state != SIPHB_SESSION_STATE_RUNNING || !s->active || !s->local_refresher)
    return SIPHB_ERR_INVALID_STATE;
  siphb_ctx *ctx = s->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  s->failures++;
  /* Section 10: a 408 or 481 (or, in RFC mode, no answer at all) means the
   * dialog is gone. */
  bool gone = status == 408 || status == 481 || (status == 0 && !s->segments);
  int rv = 0;
  if (gone) {
    rv = end_with(s, SIPHB_EVENT_SESSION_EXPIRED, SIPHB_SESSION_REASON_REFRESH_FAILED, now, now);
  } else if (!s->segments && !s->retried) {
    /* RFC mode: once more, halfway to the expiry, if it is worth it. */
    s->retried = true;
    siphb_ms half = s->expire_at > now ? (s->expire_at - now) / 2 : 0;
    if (half >= 1000) s->next_refresh_at = now + half;
    rearm(s);
  }
  return siphb_ctx_end_call(ctx, rv);
}

int siphb_session_stop(siphb_session *session, siphb_ms now) {
  if (!usable(session)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx_clock(session->base.ctx, now);
  session_stop_op(&session->base);
  return 0;
}

int siphb_session_get_stats(const siphb_session *session, siphb_session_stats *st) {
  if (!session || !st) return SIPHB_ERR_INVALID_ARGUMENT;
  memset(st, 0, sizeof *st);
  st->state = (siphb_session_state)session->state;
  st->interval_s = session->interval_s;
  st->local_refresher = session->local_refresher;
  st->timer_active = session->active;
  st->refreshes = session->refreshes;
  st->refresh_failures = session->failures;
  st->last_refresh = session->last_refresh;
  st->next_refresh_at = session->next_refresh_at;
  st->expire_at = session->expire_at;
  st->hard_limit_at = session->hard_limit_at;
  return 0;
}

void *siphb_session_get_user_data(const siphb_session *session) {
  return session ? session->base.user_data : NULL;
}

void siphb_session_set_user_data(siphb_session *session, void *user_data) {
  if (session) session->base.user_data = user_data;
}

const char *siphb_session_reason_name(siphb_session_reason reason) {
  static const char *const names[] = {"scheduled", "retry", "not-refreshed", "refresh-failed",
                                      "hard-limit"};
  return SIPHB_NAME_OF(names, reason);
}
