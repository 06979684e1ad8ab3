/*
 * obj.h - what every object on a ctx shares (internal): its kind, user
 * pointer, membership of the ctx's object list, and deferred deletion.
 *
 * Deleting from inside a callback must not free memory that code further up
 * the stack (the reporting object, the wheel's loop) still uses. So deletion
 * is two steps: siphb_obj_delete() stops the object at once (its `stop` op
 * cancels timers and routes, so it never fires again) and, when a callback
 * is running, parks it on the ctx's dead list; the ctx frees the dead list
 * when the outermost siphb call returns. Object code that invokes a callback
 * checks siphb_obj_dead() before touching itself again.
 */
#ifndef SIPHB_LIB_OBJ_H
#define SIPHB_LIB_OBJ_H

#include <siphb/ctx.h>
#include <siphb/event.h>

typedef struct siphb_obj siphb_obj;

typedef struct siphb_obj_ops {
  siphb_object_kind kind;
  size_t size; /* bytes of the whole object, freed by the framework */
  /* Cancels timers and routes; must not free (required). */
  void (*stop)(siphb_obj *obj);
  /* Frees what the object allocated besides itself (may be NULL). */
  void (*destroy)(siphb_obj *obj);
} siphb_obj_ops;

enum { SIPHB_OBJ_DEAD = 1u };

struct siphb_obj {
  siphb_ctx *ctx;
  siphb_obj *next; /* the ctx's live or dead list */
  siphb_obj *prev;
  const siphb_obj_ops *ops;
  void *user_data;
  uint32_t flags;
};

/* Allocates a zeroed object of ops->size bytes and links it to ctx.
 * Returns NULL when allocation fails (nothing changed). */
void *siphb_obj_new(siphb_ctx *ctx, const siphb_obj_ops *ops, void *user_data);

/* Stops the object and frees it, now or when the outermost call returns.
 * Deleting a dead object does nothing. */
void siphb_obj_delete(siphb_obj *obj);

static inline bool siphb_obj_dead(const siphb_obj *obj) { return (obj->flags & SIPHB_OBJ_DEAD) != 0; }

/* Frees every object on the dead list (ctx code only). */
void siphb_obj_reap(siphb_ctx *ctx);

/* Stops and frees every object, live or dead (ctx deletion only). */
void siphb_obj_free_all(siphb_ctx *ctx);

/* Fills the fields of an event or send info that name the object. */
void siphb_obj_fill_event(const siphb_obj *obj, siphb_event *ev, siphb_event_type type,
                          siphb_ms due, siphb_ms now);

#endif /* SIPHB_LIB_OBJ_H */
