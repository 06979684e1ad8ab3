/*
 * siphb/timer.h - a general-purpose timer on the ctx's wheel.
 *
 * The integrator's own timers can share siphb's wheel: a siphb_timer fires
 * SIPHB_EVENT_TIMER once (one-shot) or every `period` milliseconds. It costs
 * one allocation at creation and none while armed.
 */
#ifndef SIPHB_TIMER_H
#define SIPHB_TIMER_H

#include <siphb/common.h>
#include <siphb/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_timer siphb_timer;

/* Creates a stopped timer on ctx. Returns 0 and writes *out;
 * SIPHB_ERR_INVALID_ARGUMENT; SIPHB_ERR_NOMEM. */
SIPHB_EXTERN int siphb_timer_new(siphb_timer **out, siphb_ctx *ctx, void *user_data);

/* Stops and deletes the timer; NULL is accepted. Safe from any callback,
 * including this timer's own event. */
SIPHB_EXTERN void siphb_timer_del(siphb_timer *timer);

/*
 * (Re)starts the timer: first deadline now + delay, then every `period` ms
 * (0 = one-shot). A periodic timer whose advance comes late fires once and
 * reports the periods it skipped; it does not replay them. A delay of 0 fires
 * at the next advance. Returns 0; SIPHB_ERR_INVALID_ARGUMENT (NULL timer, or
 * now + delay overflows).
 */
SIPHB_EXTERN int siphb_timer_start(siphb_timer *timer, siphb_ms delay, siphb_ms period,
                                   siphb_ms now);

/* Stops the timer; stopping a stopped timer is not an error. Returns 0 or
 * SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_timer_stop(siphb_timer *timer, siphb_ms now);

/* The next deadline, SIPHB_NEVER when stopped. */
SIPHB_EXTERN siphb_ms siphb_timer_deadline(const siphb_timer *timer);

SIPHB_EXTERN void *siphb_timer_get_user_data(const siphb_timer *timer);
SIPHB_EXTERN void siphb_timer_set_user_data(siphb_timer *timer, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_TIMER_H */
