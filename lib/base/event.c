/*
 * event.c - names of event types.
 */
#include <siphb/event.h>

#include "base/assert.h"

/* Payloads grow at their end inside the 192-byte union (docs/API-PLAN.md
 * section 13). */
SIPHB_STATIC_ASSERT(sizeof(((siphb_event *)0)->u) == 192, event_union_size);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_timer) <= 192, timer_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_probe) <= 192, probe_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_flow) <= 192, flow_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_reg) <= 192, reg_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_health) <= 192, health_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_targets) <= 192, targets_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_escalation) <= 192, escalation_payload_fits);
SIPHB_STATIC_ASSERT(sizeof(siphb_event_session) <= 192, session_payload_fits);

const char *siphb_event_type_name(siphb_event_type type) {
  switch (type) {
  case SIPHB_EVENT_NONE:
    return "SIPHB_EVENT_NONE";
  case SIPHB_EVENT_TIMER:
    return "SIPHB_EVENT_TIMER";
  case SIPHB_EVENT_PROBE_RESULT:
    return "SIPHB_EVENT_PROBE_RESULT";
  case SIPHB_EVENT_FLOW_ALIVE:
    return "SIPHB_EVENT_FLOW_ALIVE";
  case SIPHB_EVENT_FLOW_FAILED:
    return "SIPHB_EVENT_FLOW_FAILED";
  case SIPHB_EVENT_FLOW_RECOVER_DUE:
    return "SIPHB_EVENT_FLOW_RECOVER_DUE";
  case SIPHB_EVENT_FLOW_RECOVERED:
    return "SIPHB_EVENT_FLOW_RECOVERED";
  case SIPHB_EVENT_FLOW_MAPPED_ADDRESS:
    return "SIPHB_EVENT_FLOW_MAPPED_ADDRESS";
  case SIPHB_EVENT_FLOW_INTERVAL:
    return "SIPHB_EVENT_FLOW_INTERVAL";
  case SIPHB_EVENT_REG_REFRESH_DUE:
    return "SIPHB_EVENT_REG_REFRESH_DUE";
  case SIPHB_EVENT_REG_REGISTERED:
    return "SIPHB_EVENT_REG_REGISTERED";
  case SIPHB_EVENT_REG_FAILED:
    return "SIPHB_EVENT_REG_FAILED";
  case SIPHB_EVENT_REG_EXPIRED:
    return "SIPHB_EVENT_REG_EXPIRED";
  case SIPHB_EVENT_REG_UNREGISTERED:
    return "SIPHB_EVENT_REG_UNREGISTERED";
  case SIPHB_EVENT_HEALTH_CHANGED:
    return "SIPHB_EVENT_HEALTH_CHANGED";
  case SIPHB_EVENT_HEALTH_LAYER_CHANGED:
    return "SIPHB_EVENT_HEALTH_LAYER_CHANGED";
  case SIPHB_EVENT_HEALTH_FLAPPING:
    return "SIPHB_EVENT_HEALTH_FLAPPING";
  case SIPHB_EVENT_HEALTH_MAINTENANCE:
    return "SIPHB_EVENT_HEALTH_MAINTENANCE";
  case SIPHB_EVENT_HEALTH_ALARM:
    return "SIPHB_EVENT_HEALTH_ALARM";
  case SIPHB_EVENT_TARGETS_SWITCHED:
    return "SIPHB_EVENT_TARGETS_SWITCHED";
  case SIPHB_EVENT_TARGETS_EXHAUSTED:
    return "SIPHB_EVENT_TARGETS_EXHAUSTED";
  case SIPHB_EVENT_ESCALATION_ACTION:
    return "SIPHB_EVENT_ESCALATION_ACTION";
  case SIPHB_EVENT_ESCALATION_STAGE:
    return "SIPHB_EVENT_ESCALATION_STAGE";
  case SIPHB_EVENT_ESCALATION_AUTODIAL:
    return "SIPHB_EVENT_ESCALATION_AUTODIAL";
  case SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED:
    return "SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED";
  case SIPHB_EVENT_ESCALATION_RESOLVED:
    return "SIPHB_EVENT_ESCALATION_RESOLVED";
  case SIPHB_EVENT_SESSION_REFRESH_DUE:
    return "SIPHB_EVENT_SESSION_REFRESH_DUE";
  case SIPHB_EVENT_SESSION_EXPIRED:
    return "SIPHB_EVENT_SESSION_EXPIRED";
  case SIPHB_EVENT_SESSION_HARD_LIMIT:
    return "SIPHB_EVENT_SESSION_HARD_LIMIT";
  }
  return "SIPHB_EVENT_UNKNOWN";
}
