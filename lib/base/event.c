/*
 * event.c - names of event types.
 */
#include <siphb/event.h>

const char *siphb_event_type_name(siphb_event_type type) {
  switch (type) {
  case SIPHB_EVENT_NONE:
    return "SIPHB_EVENT_NONE";
  case SIPHB_EVENT_TIMER:
    return "SIPHB_EVENT_TIMER";
  case SIPHB_EVENT_PROBE_RESULT:
    return "SIPHB_EVENT_PROBE_RESULT";
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
  }
  return "SIPHB_EVENT_UNKNOWN";
}
