/*
 * obj.c - object lifetime on a ctx: creation, (deferred) deletion.
 */
#include "engine/ctx_int.h"

static void list_push(siphb_obj **head, siphb_obj *obj) {
  obj->prev = NULL;
  obj->next = *head;
  if (*head) (*head)->prev = obj;
  *head = obj;
}

static void list_remove(siphb_obj **head, siphb_obj *obj) {
  if (obj->prev)
    obj->prev->next = obj->next;
  else
    *head = obj->next;
  if (obj->next) obj->next->prev = obj->prev;
  obj->next = obj->prev = NULL;
}

void *siphb_obj_new(siphb_ctx *ctx, const siphb_obj_ops *ops, void *user_data) {
  siphb_obj *obj = siphb_alloc_zeroed(&ctx->alloc, ops->size);
  if (!obj) return NULL;
  obj->ctx = ctx;
  obj->ops = ops;
  obj->user_data = user_data;
  list_push(&ctx->objects, obj);
  return obj;
}

static void free_obj(siphb_obj *obj) {
  siphb_ctx *ctx = obj->ctx;
  if (obj->ops->destroy) obj->ops->destroy(obj);
  siphb_alloc_free(&ctx->alloc, obj, obj->ops->size);
}

void siphb_obj_delete(siphb_obj *obj) {
  if (siphb_obj_dead(obj)) return;
  siphb_ctx *ctx = obj->ctx;
  obj->ops->stop(obj);
  obj->flags |= SIPHB_OBJ_DEAD;
  list_remove(&ctx->objects, obj);
  if (ctx->in_callback > 0) {
    list_push(&ctx->dead, obj);
  } else {
    free_obj(obj);
  }
}

void siphb_obj_reap(siphb_ctx *ctx) {
  while (ctx->dead) {
    siphb_obj *obj = ctx->dead;
    list_remove(&ctx->dead, obj);
    free_obj(obj);
  }
}

void siphb_obj_free_all(siphb_ctx *ctx) {
  while (ctx->objects) {
    siphb_obj *obj = ctx->objects;
    obj->ops->stop(obj);
    obj->flags |= SIPHB_OBJ_DEAD;
    list_remove(&ctx->objects, obj);
    free_obj(obj);
  }
  siphb_obj_reap(ctx);
}

void siphb_obj_fill_event(const siphb_obj *obj, siphb_event *ev, siphb_event_type type,
                          siphb_ms due, siphb_ms now) {
  ev->type = type;
  ev->object_kind = obj->ops->kind;
  ev->object = (void *)(uintptr_t)obj; /* the public handle is the object itself */
  ev->object_user_data = obj->user_data;
  ev->now = now;
  ev->due = due;
}
