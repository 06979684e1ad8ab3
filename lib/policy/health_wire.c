/*
 * health_wire.c - what a wired source's result means to the monitor
 * (docs/API-PLAN.md section 12): a probe's round, a flow's keepalive, a
 * registration's result become one observation of their layer. Events
 * that are no result (a refresh falling due, an interval change) mean
 * nothing here.
 */
#include "policy/health_int.h"

#include <stddef.h>

#include "base/ms.h"

typedef struct wired_obs {
  siphb_health_layer layer;
  siphb_health_obs obs;
  siphb_health_reason reason;
  uint32_t metric;
} wired_obs;

/* An RTT as a metric, saturating below the "no metric" value. */
static uint32_t metric_of(siphb_ms ms) {
  if (ms == SIPHB_NEVER) return SIPHB_HEALTH_NO_METRIC;
  return ms >= SIPHB_HEALTH_NO_METRIC ? SIPHB_HEALTH_NO_METRIC - 1 : (uint32_t)ms;
}

/* A probe round: SIP reachability, unless the round never reached SIP
 * (the send or the transport failed: the transport layer's matter). */
static bool from_probe(const siphb_event_probe *p, wired_obs *o) {
  o->metric = metric_of(p->rtt);
  switch (p->outcome) {
  case SIPHB_PROBE_ALIVE:
    o->layer = SIPHB_HEALTH_LAYER_SIP;
    o->obs = SIPHB_HEALTH_OBS_SUCCESS;
    return true;
  case SIPHB_PROBE_REJECTED:
    o->layer = SIPHB_HEALTH_LAYER_SIP;
    o->obs = SIPHB_HEALTH_OBS_MISS;
    o->reason = p->status == 503   ? SIPHB_HEALTH_REASON_SIP_OVERLOAD
                : p->status == 408 ? SIPHB_HEALTH_REASON_SIP_TIMEOUT
                                   : SIPHB_HEALTH_REASON_SIP_REJECTED;
    o->metric = p->status;
    return true;
  case SIPHB_PROBE_TIMEOUT:
    o->layer = SIPHB_HEALTH_LAYER_SIP;
    o->obs = SIPHB_HEALTH_OBS_MISS;
    o->reason = SIPHB_HEALTH_REASON_SIP_TIMEOUT;
    return true;
  case SIPHB_PROBE_SEND_FAILED:
    o->layer = SIPHB_HEALTH_LAYER_TRANSPORT;
    o->obs = SIPHB_HEALTH_OBS_MISS;
    o->reason = SIPHB_HEALTH_REASON_SEND_FAILED;
    return true;
  case SIPHB_PROBE_TRANSPORT_ERROR:
    o->layer = SIPHB_HEALTH_LAYER_TRANSPORT;
    o->obs = SIPHB_HEALTH_OBS_MISS;
    o->reason = SIPHB_HEALTH_REASON_TRANSPORT_FAILED;
    return true;
  }
  return false;
}

/* A flow: RFC 5626 section 4.4.1 fails a flow on one missing pong, so its
 * FAILED is a confirmed failure of the transport. */
static bool from_flow(siphb_event_type type, const siphb_event_flow *f, wired_obs *o) {
  o->layer = SIPHB_HEALTH_LAYER_TRANSPORT;
  o->metric = metric_of(f->rtt);
  switch (type) {
  case SIPHB_EVENT_FLOW_ALIVE:
    o->obs = SIPHB_HEALTH_OBS_SUCCESS;
    return true;
  case SIPHB_EVENT_FLOW_FAILED:
    o->obs = SIPHB_HEALTH_OBS_FAILURE;
    o->reason = SIPHB_HEALTH_REASON_TRANSPORT_FAILED;
    if (f->reason == SIPHB_FLOW_REASON_MAPPED_CHANGED)
      o->reason = SIPHB_HEALTH_REASON_MAPPED_CHANGED;
    if (f->reason == SIPHB_FLOW_REASON_SEND_FAILED) o->reason = SIPHB_HEALTH_REASON_SEND_FAILED;
    return true;
  default:
    return false;
  }
}

/* A registration: a failed attempt is a miss (the registrar may answer
 * the retry); a binding that ran out is confirmed. */
static bool from_reg(siphb_event_type type, const siphb_event_reg *r, wired_obs *o) {
  o->layer = SIPHB_HEALTH_LAYER_REGISTRATION;
  o->metric = r->status ? r->status : SIPHB_HEALTH_NO_METRIC;
  switch (type) {
  case SIPHB_EVENT_REG_REGISTERED:
    o->obs = SIPHB_HEALTH_OBS_SUCCESS;
    return true;
  case SIPHB_EVENT_REG_FAILED:
    o->obs = SIPHB_HEALTH_OBS_MISS;
    o->reason = r->reason == SIPHB_REG_REASON_AUTH || r->status == 401 || r->status == 403 ||
                        r->status == 407
                    ? SIPHB_HEALTH_REASON_REG_AUTH
                    : SIPHB_HEALTH_REASON_REG_FAILED;
    return true;
  case SIPHB_EVENT_REG_EXPIRED:
    o->obs = SIPHB_HEALTH_OBS_FAILURE;
    o->reason = SIPHB_HEALTH_REASON_REG_EXPIRED;
    return true;
  default:
    return false;
  }
}

int health_wire_observe(siphb_obs_sink *sink, const siphb_event *ev, siphb_ms now) {
  siphb_health *h = (siphb_health *)(void *)((char *)sink - offsetof(siphb_health, sink));
  wired_obs o = {SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_SUCCESS, SIPHB_HEALTH_REASON_NONE,
                 SIPHB_HEALTH_NO_METRIC};
  bool known;
  switch (ev->object_kind) {
  case SIPHB_OBJECT_PROBE:
    known = ev->type == SIPHB_EVENT_PROBE_RESULT && from_probe(&ev->u.probe, &o);
    break;
  case SIPHB_OBJECT_FLOW:
    known = from_flow(ev->type, &ev->u.flow, &o);
    break;
  case SIPHB_OBJECT_REG:
    known = from_reg(ev->type, &ev->u.reg, &o);
    break;
  default:
    known = false;
  }
  if (!known || !h->cfg->layers[o.layer].enabled) return 0;
  health_cause c = {ev->object_kind, ev->object, o.metric, ev->due, 0, false};
  return health_take(h, o.layer, o.obs, o.reason, &c, now);
}
