/*
 * siphb/timer_types.h - the types of siphb_timer's events (siphb/timer.h):
 * declarations only, gathered by siphb/event.h into its payload union.
 *
 * Every module with events has such a header (probe_types.h, ...): its
 * event payload structs and the enums they use, next to nothing else, so
 * that event.h includes them instead of holding every module's types.
 */
#ifndef SIPHB_TIMER_TYPES_H
#define SIPHB_TIMER_TYPES_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Payload of SIPHB_EVENT_TIMER (siphb_event.u.timer). */
typedef struct siphb_event_timer {
  siphb_ms deadline; /* the deadline that fired (<= now) */
  uint64_t fire_count; /* times this timer has fired since started, this one included */
  uint64_t skipped;    /* periodic timers: periods skipped because advance came late */
} siphb_event_timer;

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_TIMER_TYPES_H */
