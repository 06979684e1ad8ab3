/*
 * event_json.c - one siphb_event as one line of JSON (siphb/export.h; the
 * schema is docs/EXPORT.md, version SIPHB_EXPORT_VERSION).
 *
 * Every type has a fixed list of keys in a fixed order, written whatever
 * their values, so that a consumer sees the same shape for every event of
 * a type and a diff of two lines lines up. Nothing pointer-valued is
 * written: pointers mean nothing outside the process (the health event's
 * source is named by its kind instead).
 */
#include <siphb/export.h>
#include <siphb/failover.h>
#include <siphb/session.h>
#include <siphb/sip.h>

#include "base/error_info.h"
#include "export/names.h"
#include "export/xw.h"

/* `,"name":` for a literal key. */
#define KEY(w, name) SIPHB_XW_LIT((w), ",\"" name "\":")

static void name_value(siphb_xw *w, const char *name) {
  /* The library's names are plain ASCII without quotes or backslashes,
   * but "?" and any later name go through the escaper all the same. */
  siphb_xw_json_cstr(w, name);
}

static void kind_value(siphb_xw *w, siphb_object_kind kind) {
  const char *name = siphb_xn_object_kind(kind);
  if (name) {
    name_value(w, name);
  } else {
    SIPHB_XW_LIT(w, "\"kind-");
    siphb_xw_i64(w, (int64_t)kind);
    siphb_xw_byte(w, '"');
  }
}

/* A status code's RFC 3261 phrase, or null without a response. */
static void status_text(siphb_xw *w, uint32_t status) {
  if (status)
    name_value(w, siphb_sip_reason(status));
  else
    SIPHB_XW_LIT(w, "null");
}

static void peer_value(siphb_xw *w, const siphb_peer *p) {
  SIPHB_XW_LIT(w, "{\"id\":");
  siphb_xw_u64(w, p->id);
  SIPHB_XW_LIT(w, ",\"transport\":");
  name_value(w, siphb_xn_transport(p->transport));
  siphb_xw_byte(w, '}');
}

static void hex_group(siphb_xw *w, unsigned v) {
  char d[4];
  size_t n = 0;
  int shift = 12;
  while (shift > 0 && !((v >> shift) & 15u)) shift -= 4; /* no leading zeros */
  for (; shift >= 0; shift -= 4) d[n++] = "0123456789abcdef"[(v >> shift) & 15u];
  siphb_xw_put(w, d, n);
}

static void ipv4_text(siphb_xw *w, const uint8_t *a) {
  for (int i = 0; i < 4; i++) {
    if (i) siphb_xw_byte(w, '.');
    siphb_xw_u64(w, a[i]);
  }
}

/* RFC 5952 section 4: lower-case hex without leading zeros, the longest
 * run of two or more zero groups (the first of equal runs) as "::";
 * section 5: an IPv4-mapped address ends in dotted decimal. */
static void ipv6_text(siphb_xw *w, const uint8_t *a) {
  unsigned g[8];
  for (int i = 0; i < 8; i++) g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
  bool mapped = !g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xFFFFu;
  int groups = mapped ? 6 : 8;
  int best = -1, best_len = 1;
  for (int i = 0; i < groups;) {
    int j = i;
    while (j < groups && !g[j]) j++;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j > i ? j : i + 1;
  }
  for (int i = 0; i < groups; i++) {
    if (i == best) {
      SIPHB_XW_LIT(w, "::");
      i += best_len - 1;
      continue;
    }
    if (i && i != best + best_len) siphb_xw_byte(w, ':');
    hex_group(w, g[i]);
  }
  if (mapped) {
    if (best + best_len != 6) siphb_xw_byte(w, ':');
    ipv4_text(w, a + 12);
  }
}

static void addr_value(siphb_xw *w, const siphb_mapped_addr *a) {
  if (a->family == 0) {
    SIPHB_XW_LIT(w, "null");
    return;
  }
  SIPHB_XW_LIT(w, "{\"family\":");
  if (a->family == 1) {
    SIPHB_XW_LIT(w, "\"ipv4\",\"address\":\"");
    ipv4_text(w, a->addr);
    siphb_xw_byte(w, '"');
  } else if (a->family == 2) {
    SIPHB_XW_LIT(w, "\"ipv6\",\"address\":\"");
    ipv6_text(w, a->addr);
    siphb_xw_byte(w, '"');
  } else {
    SIPHB_XW_LIT(w, "\"unknown\",\"address\":null");
  }
  SIPHB_XW_LIT(w, ",\"port\":");
  siphb_xw_u64(w, a->port);
  siphb_xw_byte(w, '}');
}

static void timer_fields(siphb_xw *w, const siphb_event_timer *e) {
  KEY(w, "deadline");
  siphb_xw_ms(w, e->deadline);
  KEY(w, "fire_count");
  siphb_xw_u64(w, e->fire_count);
  KEY(w, "skipped");
  siphb_xw_u64(w, e->skipped);
}

static void probe_fields(siphb_xw *w, const siphb_event_probe *e) {
  KEY(w, "peer");
  peer_value(w, &e->peer);
  KEY(w, "outcome");
  name_value(w, siphb_xn_probe_outcome(e->outcome));
  KEY(w, "status");
  siphb_xw_u64(w, e->status);
  KEY(w, "status_text");
  status_text(w, e->status);
  KEY(w, "reason_phrase");
  siphb_xw_json_str(w, e->reason_phrase.len ? e->reason_phrase.ptr : "", e->reason_phrase.len);
  KEY(w, "transmissions");
  siphb_xw_u64(w, e->transmissions);
  KEY(w, "cseq");
  siphb_xw_u64(w, e->cseq);
  KEY(w, "consecutive_failures");
  siphb_xw_u64(w, e->consecutive_failures);
  KEY(w, "sent_at");
  siphb_xw_ms(w, e->sent_at);
  KEY(w, "rtt");
  siphb_xw_ms(w, e->rtt);
  KEY(w, "srtt");
  siphb_xw_ms(w, e->srtt);
  KEY(w, "retry_after_until");
  siphb_xw_ms(w, e->retry_after_until);
}

static void flow_fields(siphb_xw *w, const siphb_event_flow *e) {
  KEY(w, "peer");
  peer_value(w, &e->peer);
  KEY(w, "state");
  name_value(w, siphb_xn_flow_state(e->state));
  KEY(w, "reason");
  name_value(w, siphb_xn_flow_reason(e->reason));
  KEY(w, "mode");
  name_value(w, siphb_xn_flow_mode(e->mode));
  KEY(w, "consecutive_failures");
  siphb_xw_u64(w, e->consecutive_failures);
  KEY(w, "stun_error");
  siphb_xw_u64(w, e->stun_error);
  KEY(w, "flow_timer_s");
  siphb_xw_u64(w, e->flow_timer_s);
  KEY(w, "rtt");
  siphb_xw_ms(w, e->rtt);
  KEY(w, "next_keepalive");
  siphb_xw_ms(w, e->next_keepalive);
  KEY(w, "retry_at");
  siphb_xw_ms(w, e->retry_at);
  KEY(w, "mapped");
  addr_value(w, &e->mapped);
  KEY(w, "previous");
  addr_value(w, &e->previous);
  KEY(w, "interval_min");
  siphb_xw_ms(w, e->interval_min);
  KEY(w, "interval_max");
  siphb_xw_ms(w, e->interval_max);
}

static void reg_fields(siphb_xw *w, const siphb_event_reg *e) {
  KEY(w, "state");
  name_value(w, siphb_xn_reg_state(e->state));
  KEY(w, "reason");
  name_value(w, siphb_xn_reg_reason(e->reason));
  KEY(w, "status");
  siphb_xw_u64(w, e->status);
  KEY(w, "status_text");
  status_text(w, e->status);
  KEY(w, "expires_s");
  siphb_xw_u64(w, e->expires_s);
  KEY(w, "min_expires_s");
  siphb_xw_u64(w, e->min_expires_s);
  KEY(w, "flow_timer_s");
  siphb_xw_u64(w, e->flow_timer_s);
  KEY(w, "consecutive_failures");
  siphb_xw_u64(w, e->consecutive_failures);
  KEY(w, "bound");
  siphb_xw_bool(w, e->bound);
  KEY(w, "outbound");
  siphb_xw_bool(w, e->outbound);
  KEY(w, "local");
  siphb_xw_bool(w, e->local);
  KEY(w, "expires_at");
  siphb_xw_ms(w, e->expires_at);
  KEY(w, "refresh_at");
  siphb_xw_ms(w, e->refresh_at);
  KEY(w, "retry_at");
  siphb_xw_ms(w, e->retry_at);
}

static void health_fields(siphb_xw *w, const siphb_event_health *e) {
  KEY(w, "state");
  name_value(w, siphb_health_state_name(e->state));
  KEY(w, "old_state");
  name_value(w, siphb_health_state_name(e->old_state));
  KEY(w, "layer");
  name_value(w, siphb_health_layer_name(e->layer));
  KEY(w, "reason");
  name_value(w, siphb_health_reason_name(e->reason));
  KEY(w, "layers");
  for (int i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
    siphb_xw_byte(w, i ? ',' : '{');
    name_value(w, siphb_health_layer_name((siphb_health_layer)i));
    siphb_xw_byte(w, ':');
    name_value(w, siphb_health_state_name(e->layers[i]));
  }
  siphb_xw_byte(w, '}');
  KEY(w, "failures");
  siphb_xw_u64(w, e->failures);
  KEY(w, "observations");
  siphb_xw_u64(w, e->observations);
  KEY(w, "consecutive");
  siphb_xw_u64(w, e->consecutive);
  KEY(w, "metric");
  if (e->metric == SIPHB_HEALTH_NO_METRIC)
    SIPHB_XW_LIT(w, "null");
  else
    siphb_xw_u64(w, e->metric);
  KEY(w, "changes_in_window");
  siphb_xw_u64(w, e->changes_in_window);
  KEY(w, "maintenance");
  siphb_xw_bool(w, e->maintenance);
  KEY(w, "flapping");
  siphb_xw_bool(w, e->flapping);
  KEY(w, "alarm");
  siphb_xw_bool(w, e->alarm);
  KEY(w, "alarm_suppressed");
  siphb_xw_bool(w, e->alarm_suppressed);
  KEY(w, "source");
  kind_value(w, e->source_kind);
  KEY(w, "since");
  siphb_xw_ms(w, e->since);
  KEY(w, "first_failure_at");
  siphb_xw_ms(w, e->first_failure_at);
  KEY(w, "maintenance_until");
  siphb_xw_ms(w, e->maintenance_until);
}

static void targets_fields(siphb_xw *w, const siphb_event_targets *e) {
  KEY(w, "cause");
  name_value(w, siphb_switch_cause_name(e->cause));
  KEY(w, "reason");
  name_value(w, siphb_health_reason_name(e->reason));
  KEY(w, "from_index");
  siphb_xw_i64(w, e->from_index);
  KEY(w, "to_index");
  siphb_xw_i64(w, e->to_index);
  KEY(w, "switches_in_window");
  siphb_xw_u64(w, e->switches_in_window);
  KEY(w, "to_state");
  name_value(w, siphb_health_state_name(e->to_state));
  KEY(w, "from_key");
  siphb_xw_u64(w, e->from_key);
  KEY(w, "to_key");
  siphb_xw_u64(w, e->to_key);
  KEY(w, "next_switch_at");
  siphb_xw_ms(w, e->next_switch_at);
}

static void session_fields(siphb_xw *w, const siphb_event_session *e) {
  KEY(w, "reason");
  name_value(w, siphb_session_reason_name(e->reason));
  KEY(w, "method");
  name_value(w, e->method == SIPHB_SESSION_METHOD_UPDATE ? "update" : "reinvite");
  KEY(w, "interval_s");
  siphb_xw_u64(w, e->interval_s);
  KEY(w, "refresh_number");
  siphb_xw_u64(w, e->refresh_number);
  KEY(w, "local_refresher");
  siphb_xw_bool(w, e->local_refresher);
  KEY(w, "timer_active");
  siphb_xw_bool(w, e->timer_active);
  KEY(w, "last_refresh");
  siphb_xw_ms(w, e->last_refresh);
  KEY(w, "expire_at");
  siphb_xw_ms(w, e->expire_at);
  KEY(w, "hard_limit_at");
  siphb_xw_ms(w, e->hard_limit_at);
  KEY(w, "next_refresh_at");
  siphb_xw_ms(w, e->next_refresh_at);
}

static void escalation_fields(siphb_xw *w, const siphb_event_escalation *e) {
  KEY(w, "stage");
  name_value(w, siphb_escalation_stage_name(e->stage));
  KEY(w, "old_stage");
  name_value(w, siphb_escalation_stage_name(e->old_stage));
  KEY(w, "action");
  name_value(w, siphb_escalation_action_name(e->action));
  KEY(w, "reason");
  name_value(w, siphb_health_reason_name(e->reason));
  /* The closed gates by name, in bit order; a bit no gate has as "bit-N". */
  KEY(w, "blocked");
  siphb_xw_byte(w, '[');
  bool first = true;
  for (unsigned bit = 0; bit < 32; bit++) {
    if (!(e->blocked >> bit & 1u)) continue;
    if (!first) siphb_xw_byte(w, ',');
    first = false;
    const char *gate = siphb_xn_gate(bit);
    if (gate) {
      name_value(w, gate);
    } else {
      SIPHB_XW_LIT(w, "\"bit-");
      siphb_xw_u64(w, bit);
      siphb_xw_byte(w, '"');
    }
  }
  siphb_xw_byte(w, ']');
  KEY(w, "inputs");
  siphb_xw_u64(w, e->inputs);
  KEY(w, "alarm_on");
  siphb_xw_bool(w, e->alarm_on);
  KEY(w, "alarm_latched");
  siphb_xw_bool(w, e->alarm_latched);
  KEY(w, "maintenance");
  siphb_xw_bool(w, e->maintenance);
  KEY(w, "link_down");
  siphb_xw_bool(w, e->link_down);
  KEY(w, "incident_start");
  siphb_xw_ms(w, e->incident_start);
  KEY(w, "next_stage_at");
  siphb_xw_ms(w, e->next_stage_at);
}

siphb_ssize siphb_event_to_json(const siphb_event *ev, char *buf, size_t cap,
                                siphb_error_info *err) {
  siphb_error_clear(err);
  if (!ev) return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "ev");
  int rv = siphb_xw_check_buffer(buf, cap, err);
  if (rv) return rv;
  siphb_xw w;
  siphb_xw_init(&w, buf, cap);
  SIPHB_XW_LIT(&w, "{\"v\":1,\"type\":");
  name_value(&w, siphb_event_json_type(ev->type));
  SIPHB_XW_LIT(&w, ",\"t\":");
  siphb_xw_ms(&w, ev->now);
  KEY(&w, "due");
  siphb_xw_ms(&w, ev->due);
  KEY(&w, "object");
  kind_value(&w, ev->object_kind);
  KEY(&w, "type_id");
  siphb_xw_i64(&w, (int64_t)ev->type);
  switch (ev->type) {
  case SIPHB_EVENT_TIMER:
    timer_fields(&w, &ev->u.timer);
    break;
  case SIPHB_EVENT_PROBE_RESULT:
    probe_fields(&w, &ev->u.probe);
    break;
  case SIPHB_EVENT_FLOW_ALIVE:
  case SIPHB_EVENT_FLOW_FAILED:
  case SIPHB_EVENT_FLOW_RECOVER_DUE:
  case SIPHB_EVENT_FLOW_RECOVERED:
  case SIPHB_EVENT_FLOW_MAPPED_ADDRESS:
  case SIPHB_EVENT_FLOW_INTERVAL:
    flow_fields(&w, &ev->u.flow);
    break;
  case SIPHB_EVENT_REG_REFRESH_DUE:
  case SIPHB_EVENT_REG_REGISTERED:
  case SIPHB_EVENT_REG_FAILED:
  case SIPHB_EVENT_REG_EXPIRED:
  case SIPHB_EVENT_REG_UNREGISTERED:
    reg_fields(&w, &ev->u.reg);
    break;
  case SIPHB_EVENT_HEALTH_CHANGED:
  case SIPHB_EVENT_HEALTH_LAYER_CHANGED:
  case SIPHB_EVENT_HEALTH_FLAPPING:
  case SIPHB_EVENT_HEALTH_MAINTENANCE:
  case SIPHB_EVENT_HEALTH_ALARM:
    health_fields(&w, &ev->u.health);
    break;
  case SIPHB_EVENT_TARGETS_SWITCHED:
  case SIPHB_EVENT_TARGETS_EXHAUSTED:
    targets_fields(&w, &ev->u.targets);
    break;
  case SIPHB_EVENT_ESCALATION_ACTION:
  case SIPHB_EVENT_ESCALATION_STAGE:
  case SIPHB_EVENT_ESCALATION_AUTODIAL:
  case SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED:
  case SIPHB_EVENT_ESCALATION_RESOLVED:
    escalation_fields(&w, &ev->u.escalation);
    break;
  case SIPHB_EVENT_SESSION_REFRESH_DUE:
  case SIPHB_EVENT_SESSION_EXPIRED:
  case SIPHB_EVENT_SESSION_HARD_LIMIT:
    session_fields(&w, &ev->u.session);
    break;
  case SIPHB_EVENT_NONE:
  default:
    break; /* the common keys only: the payload's layout is not known */
  }
  siphb_xw_byte(&w, '}');
  return siphb_xw_finish(&w, err);
}
