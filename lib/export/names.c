/*
 * names.c - the export's names (export/names.h) and the JSON "type" of
 * each event (siphb/export.h). Every table here is part of the export
 * schema, docs/EXPORT.md: names are added, never changed.
 */
#include <siphb/export.h>

#include "base/names.h"
#include "export/names.h"


static const char *const outcome_names[SIPHB_XN_PROBE_OUTCOMES] = {
    "alive", "rejected", "timeout", "send-failed", "transport-error"};

static const char *const flow_state_names[] = {"stopped", "active",     "up",
                                               "failed",  "recovering", "probation"};

static const char *const flow_reason_names[] = {
    "none",         "pong-timeout", "stun-timeout", "stun-error",
    "mapped-changed", "send-failed", "peer-closed", "integrator"};

static const char *const flow_mode_names[] = {"auto", "crlf", "stun", "raw"};

static const char *const reg_state_names[] = {"stopped", "due", "pending", "registered",
                                              "retry-wait"};

static const char *const reg_reason_names[] = {
    "none",     "initial", "scheduled", "retry",          "min-expires",
    "rejected", "auth",    "timeout",   "binding-missing"};

static const char *const transport_names[] = {"udp", "tcp", "tls", "sctp", "ws", "wss", "dtls"};

static const char *const kind_names[] = {"ctx",    "timer",   "probe",   "flow",
                                         "reg",    "pacer",   "health",  "targets",
                                         "session", "responder", "escalation"};

/* Bit n of siphb_escalation_gate. */
static const char *const gate_names[] = {"disabled",       "maintenance",    "cooldown", "one-shot",
                                         "required-input", "blocking-input", "zone"};

const char *siphb_xn_probe_outcome(siphb_probe_outcome o) { return SIPHB_NAME_OF(outcome_names, o); }
const char *siphb_xn_flow_state(siphb_flow_state s) { return SIPHB_NAME_OF(flow_state_names, s); }
const char *siphb_xn_flow_reason(siphb_flow_reason r) { return SIPHB_NAME_OF(flow_reason_names, r); }
const char *siphb_xn_flow_mode(siphb_flow_mode m) { return SIPHB_NAME_OF(flow_mode_names, m); }
const char *siphb_xn_reg_state(siphb_reg_state s) { return SIPHB_NAME_OF(reg_state_names, s); }
const char *siphb_xn_reg_reason(siphb_reg_reason r) { return SIPHB_NAME_OF(reg_reason_names, r); }
const char *siphb_xn_transport(siphb_transport t) { return SIPHB_NAME_OF(transport_names, t); }

const char *siphb_xn_object_kind(siphb_object_kind k) {
  return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : NULL;
}

const char *siphb_xn_gate(unsigned bit) {
  return bit < sizeof gate_names / sizeof gate_names[0] ? gate_names[bit] : NULL;
}

const char *siphb_event_json_type(siphb_event_type type) {
  switch (type) {
  case SIPHB_EVENT_NONE:
    break;
  case SIPHB_EVENT_TIMER:
    return "timer.fired";
  case SIPHB_EVENT_PROBE_RESULT:
    return "probe.result";
  case SIPHB_EVENT_FLOW_ALIVE:
    return "flow.alive";
  case SIPHB_EVENT_FLOW_FAILED:
    return "flow.failed";
  case SIPHB_EVENT_FLOW_RECOVER_DUE:
    return "flow.recover-due";
  case SIPHB_EVENT_FLOW_RECOVERED:
    return "flow.recovered";
  case SIPHB_EVENT_FLOW_MAPPED_ADDRESS:
    return "flow.mapped-address";
  case SIPHB_EVENT_FLOW_INTERVAL:
    return "flow.interval";
  case SIPHB_EVENT_REG_REFRESH_DUE:
    return "reg.refresh-due";
  case SIPHB_EVENT_REG_REGISTERED:
    return "reg.registered";
  case SIPHB_EVENT_REG_FAILED:
    return "reg.failed";
  case SIPHB_EVENT_REG_EXPIRED:
    return "reg.expired";
  case SIPHB_EVENT_REG_UNREGISTERED:
    return "reg.unregistered";
  case SIPHB_EVENT_HEALTH_CHANGED:
    return "health.changed";
  case SIPHB_EVENT_HEALTH_LAYER_CHANGED:
    return "health.layer";
  case SIPHB_EVENT_HEALTH_FLAPPING:
    return "health.flapping";
  case SIPHB_EVENT_HEALTH_MAINTENANCE:
    return "health.maintenance";
  case SIPHB_EVENT_HEALTH_ALARM:
    return "health.alarm";
  case SIPHB_EVENT_TARGETS_SWITCHED:
    return "targets.switched";
  case SIPHB_EVENT_TARGETS_EXHAUSTED:
    return "targets.exhausted";
  case SIPHB_EVENT_ESCALATION_ACTION:
    return "escalation.action";
  case SIPHB_EVENT_ESCALATION_STAGE:
    return "escalation.stage";
  case SIPHB_EVENT_ESCALATION_AUTODIAL:
    return "escalation.autodial";
  case SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED:
    return "escalation.autodial-blocked";
  case SIPHB_EVENT_ESCALATION_RESOLVED:
    return "escalation.resolved";
  case SIPHB_EVENT_SESSION_REFRESH_DUE:
    return "session.refresh-due";
  case SIPHB_EVENT_SESSION_EXPIRED:
    return "session.expired";
  case SIPHB_EVENT_SESSION_HARD_LIMIT:
    return "session.hard-limit";
  }
  return "unknown";
}
