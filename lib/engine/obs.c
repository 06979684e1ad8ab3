/*
 * obs.c - the observation wiring between objects (engine/obs.h).
 */
#include "engine/obs.h"

#include <stddef.h>

#include "engine/obj.h"

void siphb_obs_sink_init(siphb_obs_sink *sink, siphb_obs_fn observe) {
  sink->observe = observe;
  sink->detached = NULL;
  sink->sources = NULL;
}

void siphb_obs_sink_on_detach(siphb_obs_sink *sink, siphb_obs_detach_fn detached) {
  sink->detached = detached;
}

int siphb_obs_attach(siphb_obs_link *src, siphb_obs_sink *sink) {
  if (src->sink) return SIPHB_ERR_INVALID_STATE;
  src->sink = sink;
  src->prev = NULL;
  src->next = sink->sources;
  if (sink->sources) sink->sources->prev = src;
  sink->sources = src;
  return 0;
}

void siphb_obs_detach(siphb_obs_link *src) {
  siphb_obs_sink *sink = src->sink;
  if (!sink) return;
  if (sink->detached) sink->detached(sink, src);
  if (src->prev)
    src->prev->next = src->next;
  else
    sink->sources = src->next;
  if (src->next) src->next->prev = src->prev;
  src->sink = NULL;
  src->next = src->prev = NULL;
}

void siphb_obs_sink_close(siphb_obs_sink *sink) {
  while (sink->sources) siphb_obs_detach(sink->sources);
}

int siphb_obs_deliver(const siphb_obs_link *src, const siphb_event *ev, siphb_ms now) {
  siphb_obs_sink *sink = src->sink;
  return sink ? sink->observe(sink, ev, now) : 0;
}

int siphb_obs_wire(siphb_obs_link *src, siphb_ctx *ctx, void *judge, siphb_object_kind kind) {
  if (!judge) {
    siphb_obs_detach(src);
    return 0;
  }
  /* Every judging object's handle is its siphb_obj (the first member). */
  siphb_obs_sink *sink = siphb_obj_sink((siphb_obj *)judge, ctx, kind);
  if (!sink) return SIPHB_ERR_INVALID_ARGUMENT;
  if (src->sink == sink) return 0;
  siphb_obs_detach(src);
  return siphb_obs_attach(src, sink);
}
