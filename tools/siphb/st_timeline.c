/*
 * st_timeline.c - `siphb session-timer`: the timeline of a negotiated
 * session timer (session_timer.h). The library's own scheduler, a
 * siphb_session on a ctx of its own, runs in simulated time as in
 * `siphb simulate`: a fixed random source, nothing sent. Every refresh is
 * taken to succeed: ours at each REFRESH_DUE (siphb_session_refreshed()
 * at once), the peer's at half the interval, the point RFC 4028 section
 * 10 recommends to the refresher. Each item is printed with the BYE
 * deadline in force after it, so that the deadline a missing refresh
 * would hit is always on the line before.
 */
#include <stdio.h>
#include <string.h>

#include "offline_ctx.h"
#include "session_timer.h"

typedef struct timeline {
  siphb_ctx *ctx;
  siphb_session *session;
  /* The session events of the last siphb_ctx_advance(). */
  bool refresh_due, expired, hard_limit;
  siphb_session_method method;
  json_writer *w;
  const char *bye_word; /* "BYE" for a UA; a proxy only sees the end */
} timeline;

void st_format_s(char *buf, size_t cap, siphb_ms ms) {
  unsigned long long s = ms / 1000, f = ms % 1000;
  if (f == 0) snprintf(buf, cap, "%llu", s);
  else if (f % 100 == 0) snprintf(buf, cap, "%llu.%llu", s, f / 100);
  else if (f % 10 == 0) snprintf(buf, cap, "%llu.%02llu", s, f / 10);
  else snprintf(buf, cap, "%llu.%03llu", s, f);
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  timeline *t = user_data;
  if (ev->type == SIPHB_EVENT_SESSION_REFRESH_DUE) {
    t->refresh_due = true;
    t->method = ev->u.session.method;
  } else if (ev->type == SIPHB_EVENT_SESSION_EXPIRED) {
    t->expired = true;
  } else if (ev->type == SIPHB_EVENT_SESSION_HARD_LIMIT) {
    t->hard_limit = true;
  }
  return 0;
}

static void json_ms_or_null(json_writer *w, siphb_ms ms) {
  if (ms == SIPHB_NEVER) json_null(w);
  else json_uint(w, ms);
}

static const char *method_name(siphb_session_method m) {
  return m == SIPHB_SESSION_METHOD_UPDATE ? "UPDATE" : "re-INVITE";
}

/* One item: text "  <t> s  <what>  [BYE at <s> s unless refreshed]" (a
 * call without a timer: the hard limit on the start line), or a JSON
 * object {"t_ms", "event", "method" (refresh only), "bye_at_ms"}. */
static void item(timeline *t, siphb_ms at, const char *event, const char *what) {
  siphb_session_stats st;
  siphb_session_get_stats(t->session, &st);
  bool running = st.state == SIPHB_SESSION_STATE_RUNNING;
  if (t->w) {
    json_begin_object(t->w);
    json_key(t->w, "t_ms");
    json_uint(t->w, at);
    json_key(t->w, "event");
    json_cstring(t->w, event);
    if (strcmp(event, "refresh") == 0) {
      json_key(t->w, "method");
      json_cstring(t->w, method_name(t->method));
    }
    json_key(t->w, "bye_at_ms");
    json_ms_or_null(t->w, running ? st.expire_at : SIPHB_NEVER);
    json_end_object(t->w);
    return;
  }
  char ts[32], bs[32];
  st_format_s(ts, sizeof ts, at);
  printf("  %9s s  ", ts);
  if (running && st.expire_at != SIPHB_NEVER) {
    st_format_s(bs, sizeof bs, st.expire_at);
    printf("%-28s  %s at %s s unless refreshed\n", what, t->bye_word, bs);
  } else if (running && st.hard_limit_at != SIPHB_NEVER && strcmp(event, "start") == 0) {
    st_format_s(bs, sizeof bs, st.hard_limit_at);
    printf("%-28s  hard limit at %s s\n", what, bs);
  } else {
    printf("%s\n", what);
  }
}

static int setup(timeline *t, const st_timeline_in *in) {
  int rv = offline_ctx_new(&t->ctx, on_event, t);
  if (rv == 0) rv = siphb_session_new(&t->session, t->ctx, in->session, NULL, 0);
  if (rv == 0) rv = siphb_session_start(t->session, in->neg, in->peer_allows_update, 0);
  return rv;
}

/* The keys after the timeline, or its last text lines. */
static void summary(timeline *t, siphb_ms peer_next) {
  siphb_session_stats st;
  siphb_session_get_stats(t->session, &st);
  bool running = st.state == SIPHB_SESSION_STATE_RUNNING;
  siphb_ms next = !running ? SIPHB_NEVER : st.local_refresher ? st.next_refresh_at : peer_next;
  siphb_ms bye = running ? st.expire_at : SIPHB_NEVER;
  siphb_ms limit = st.hard_limit_at; /* kept after it fired */
  if (t->w) {
    json_key(t->w, "next_refresh_ms");
    json_ms_or_null(t->w, next);
    json_key(t->w, "bye_deadline_ms");
    json_ms_or_null(t->w, bye);
    json_key(t->w, "hard_limit_ms");
    json_ms_or_null(t->w, limit);
    return;
  }
  char a[32], b[32];
  if (next != SIPHB_NEVER && bye != SIPHB_NEVER) {
    st_format_s(a, sizeof a, next);
    st_format_s(b, sizeof b, bye);
    printf("%s deadline if the refresh at %s s does not come: %s s\n", t->bye_word, a, b);
  }
  if (limit != SIPHB_NEVER) {
    st_format_s(a, sizeof a, limit);
    printf("hard limit: %s at %s s\n", t->bye_word, a);
  } else if (bye == SIPHB_NEVER && running) {
    printf("no deadline: the call lasts until a BYE\n");
  }
}

int st_timeline_run(const st_timeline_in *in, json_writer *w) {
  timeline t;
  memset(&t, 0, sizeof t);
  t.w = w;
  t.bye_word = in->role == ST_ROLE_PROXY ? "end" : "BYE";
  int rv = setup(&t, in);
  if (rv != 0) {
    siphb_ctx_del(t.ctx);
    return rv;
  }
  siphb_ms end = (siphb_ms)in->hours * 3600000u;
  bool local = in->neg->active && in->neg->local_refresher;
  /* The peer's refreshes, when it is the refresher. */
  siphb_ms half = in->neg->active ? siphb_st_refresh_delay(in->neg->interval_s) : 0;
  siphb_ms peer_next = in->neg->active && !local ? half : SIPHB_NEVER;
  if (w) {
    json_key(w, "timeline");
    json_begin_array(w);
  } else {
    printf("timeline (first %u h, every refresh succeeding):\n", (unsigned)in->hours);
  }
  item(&t, 0, "start", "start");
  for (;;) {
    siphb_ms next = siphb_ctx_next_deadline(t.ctx);
    siphb_ms at = next < peer_next ? next : peer_next;
    if (at > end) break;
    if (next <= at) {
      t.refresh_due = t.expired = t.hard_limit = false;
      siphb_ctx_advance(t.ctx, next);
      /* A deadline that passed without an event and did not move would
       * loop forever: the library would be wrong, and the run ends. */
      if (!t.refresh_due && !t.expired && !t.hard_limit && siphb_ctx_next_deadline(t.ctx) <= next)
        break;
      if (t.hard_limit) {
        item(&t, next, "hard-limit", t.bye_word[0] == 'B' ? "hard limit: BYE" : "hard limit");
        break;
      }
      if (t.expired) {
        item(&t, next, "expired", t.bye_word[0] == 'B' ? "not refreshed: BYE" : "not refreshed");
        break;
      }
      if (t.refresh_due) {
        siphb_session_refreshed(t.session, NULL, next);
        char what[48];
        snprintf(what, sizeof what, "refresh (%s)", method_name(t.method));
        item(&t, next, "refresh", what);
      }
      continue;
    }
    siphb_session_refreshed(t.session, NULL, peer_next);
    item(&t, peer_next, "peer-refresh",
         in->role == ST_ROLE_PROXY ? "refresh passing" : "refreshed by the peer");
    peer_next += half;
  }
  if (w) json_end_array(w);
  summary(&t, peer_next);
  siphb_ctx_del(t.ctx);
  return 0;
}
