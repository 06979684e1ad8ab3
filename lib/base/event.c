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
  }
  return "SIPHB_EVENT_UNKNOWN";
}
