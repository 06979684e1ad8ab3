/*
 * obs.h - how one object's results feed another object's judgement
 * (internal; exported to the object layers): the probe, flow and reg report
 * results, only health judges; health feeds failover the same way.
 *
 * A sink (embedded in the judging object) is a function plus the list of
 * sources attached to it; a source (embedded in the reporting object) has at
 * most one sink. Attaching and detaching never allocate; detaching a source
 * is O(1), closing a sink unlinks each of its sources in O(1).
 *
 * Order, fixed and synchronous: a source emits its own event first; after
 * that callback returns it calls siphb_obs_deliver(), so the sink's events
 * follow in the same advance or receive, with the same `now`. A sink closed
 * meanwhile (its object deleted in the callback) is simply not fed.
 */
#ifndef SIPHB_LIB_ENGINE_OBS_H
#define SIPHB_LIB_ENGINE_OBS_H

#include <siphb/ctx.h>
#include <siphb/event.h>

#include "engine/obj.h" /* declares siphb_obs_sink (once: C99 allows no repeated typedef) */

/* The source side: embedded in a probe, flow, reg or health. */
typedef struct siphb_obs_link {
  siphb_obs_sink *sink; /* NULL: not attached */
  struct siphb_obs_link *next, *prev; /* in the sink's source list */
} siphb_obs_link;

/* Takes one result event of an attached source. Returns 0, or a callback
 * failure code (SIPHB_ERR_CALLBACK_FAILURE, SIPHB_STOPPED) from the events
 * it emitted in turn. */
typedef int (*siphb_obs_fn)(siphb_obs_sink *sink, const siphb_event *ev, siphb_ms now);

/* The judging side: embedded in a health or failover. */
/* Told that src leaves the sink (its object is deleted or rewired), before
 * it is unlinked: a sink that keeps pointers to its sources forgets them. */
typedef void (*siphb_obs_detach_fn)(siphb_obs_sink *sink, siphb_obs_link *src);

struct siphb_obs_sink {
  siphb_obs_fn observe;
  siphb_obs_detach_fn detached; /* may be NULL */
  siphb_obs_link *sources;
};

void siphb_obs_sink_init(siphb_obs_sink *sink, siphb_obs_fn observe);
/* Sets the optional detach notice. */
void siphb_obs_sink_on_detach(siphb_obs_sink *sink, siphb_obs_detach_fn detached);

/* Attaches src to sink. Returns 0, or SIPHB_ERR_INVALID_STATE when src is
 * attached already (one sink per source: feed a second one explicitly). */
int siphb_obs_attach(siphb_obs_link *src, siphb_obs_sink *sink);

/* Detaches src (nothing when not attached). */
void siphb_obs_detach(siphb_obs_link *src);

/* Detaches every source of sink: the sink's object is being deleted. */
void siphb_obs_sink_close(siphb_obs_sink *sink);

/* The typed setters' common step (siphb_probe_set_health() and its kin):
 * judge NULL detaches src; otherwise judge must be a live object of `kind`
 * on ctx with a sink, and src is moved to it. Returns 0 or
 * SIPHB_ERR_INVALID_ARGUMENT (nothing changed). */
int siphb_obs_wire(siphb_obs_link *src, siphb_ctx *ctx, void *judge, siphb_object_kind kind);

/* Feeds ev to src's sink, if any. Returns what the sink returned, or 0. */
int siphb_obs_deliver(const siphb_obs_link *src, const siphb_event *ev, siphb_ms now);

#endif /* SIPHB_LIB_ENGINE_OBS_H */
