/*
 * obj.h - what every object on a ctx shares (internal; exported to the
 * object layers): its kind, user pointer, membership of the ctx's object
 * registry, deferred deletion, and how other objects wire to it.
 *
 * Deleting from inside a callback must not free memory that code further up
 * the stack (the reporting object, the wheel's loop) still uses. So deletion
 * is two steps: siphb_obj_delete() stops the object at once (its `stop` op
 * cancels timers, routes and wiring, so it never fires again) and, when a
 * callback is running, parks it on the registry's dead list; the ctx frees
 * the dead list when the outermost siphb call returns. Object code that
 * invokes a callback checks siphb_obj_dead() before touching itself again.
 *
 * obj.c knows the ctx only through ctx_int.h's accessors.
 */
#ifndef SIPHB_LIB_ENGINE_OBJ_H
#define SIPHB_LIB_ENGINE_OBJ_H

#include <siphb/ctx.h>
#include <siphb/event.h>

typedef struct siphb_obj siphb_obj;
typedef struct siphb_obs_sink siphb_obs_sink; /* engine/obs.h */

typedef struct siphb_obj_ops {
  siphb_object_kind kind;
  size_t size; /* bytes of the whole object, freed by the framework */
  /* Cancels timers, routes and wiring; must not free (required). */
  void (*stop)(siphb_obj *obj);
  /* Frees what the object allocated besides itself (may be NULL). */
  void (*destroy)(siphb_obj *obj);
  /* The observation sink of an object that judges others (health,
   * failover), so that typed public wiring such as
   * siphb_probe_set_health() finds it without knowing the sink's module;
   * NULL for the other kinds. */
  siphb_obs_sink *(*sink)(siphb_obj *obj);
} siphb_obj_ops;

enum { SIPHB_OBJ_DEAD = 1u };

struct siphb_obj {
  siphb_ctx *ctx;
  siphb_obj *next; /* the registry's live or dead list */
  siphb_obj *prev;
  const siphb_obj_ops *ops;
  void *user_data;
  uint32_t flags;
};

/* The objects of one ctx (embedded in it). */
typedef struct siphb_obj_registry {
  siphb_obj *live;
  siphb_obj *dead; /* deleted from a callback, freed on return */
} siphb_obj_registry;

/* Allocates a zeroed object of ops->size bytes and links it to ctx. Returns
 * 0 and writes *out; SIPHB_ERR_INVALID_STATE when the ctx is being deleted
 * (siphb_ctx_del() from a callback); SIPHB_ERR_NOMEM (nothing changed). */
int siphb_obj_new(void **out, siphb_ctx *ctx, const siphb_obj_ops *ops, void *user_data);

/* Stops the object and frees it, now or when the outermost call returns.
 * Deleting a dead object does nothing. */
void siphb_obj_delete(siphb_obj *obj);

static inline bool siphb_obj_dead(const siphb_obj *obj) { return (obj->flags & SIPHB_OBJ_DEAD) != 0; }

/* Frees every object on the dead list (ctx code only). */
void siphb_obj_reap(siphb_ctx *ctx);

/* Stops and frees every object, live or dead (ctx deletion only). */
void siphb_obj_free_all(siphb_ctx *ctx);

/* Fills the fields of an event that name the object. */
void siphb_obj_fill_event(const siphb_obj *obj, siphb_event *ev, siphb_event_type type,
                          siphb_ms due, siphb_ms now);

/* Sends data[0..len) to `peer` for obj through the ctx's send callback,
 * with the send info that names obj (attempt: 0 first, n the nth
 * retransmission; ref: object-specific). Returns siphb_ctx_send()'s value:
 * 0, SIPHB_ERR_SEND (refused), SIPHB_ERR_CALLBACK_FAILURE or SIPHB_STOPPED.
 * The callback may delete obj: check siphb_obj_dead() before touching it. */
int siphb_obj_send(siphb_obj *obj, const siphb_peer *peer, siphb_payload_kind payload,
                   uint32_t attempt, uint64_t ref, const uint8_t *data, size_t len);

/* The sink of a live object of `kind` (SIPHB_OBJECT_HEALTH, ...) on `ctx`,
 * or NULL when obj is NULL, dead, on another ctx, of another kind, or has
 * no sink: the check behind every typed wiring call. */
siphb_obs_sink *siphb_obj_sink(siphb_obj *obj, siphb_ctx *ctx, siphb_object_kind kind);

#endif /* SIPHB_LIB_ENGINE_OBJ_H */
