/*
 * obj.c - object lifetime on a ctx: creation, (deferred) deletion, and the
 * check behind typed wiring. It uses the ctx only through ctx_int.h.
 */
#include "engine/obj.h"

#include "engine/ctx_int.h"

#include <string.h>

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

int siphb_obj_new(void **out, siphb_ctx *ctx, const siphb_obj_ops *ops, void *user_data) {
  if (siphb_ctx_deleting(ctx)) return SIPHB_ERR_INVALID_STATE;
  siphb_obj *obj = siphb_alloc_zeroed(siphb_ctx_alloc(ctx), ops->size);
  if (!obj) return SIPHB_ERR_NOMEM;
  obj->ctx = ctx;
  obj->ops = ops;
  obj->user_data = user_data;
  list_push(&siphb_ctx_objects(ctx)->live, obj);
  *out = obj;
  return 0;
}

static void free_obj(siphb_obj *obj) {
  siphb_ctx *ctx = obj->ctx;
  if (obj->ops->destroy) obj->ops->destroy(obj);
  siphb_alloc_free(siphb_ctx_alloc(ctx), obj, obj->ops->size);
}

void siphb_obj_delete(siphb_obj *obj) {
  if (siphb_obj_dead(obj)) return;
  siphb_ctx *ctx = obj->ctx;
  siphb_obj_registry *reg = siphb_ctx_objects(ctx);
  obj->ops->stop(obj);
  obj->flags |= SIPHB_OBJ_DEAD;
  list_remove(&reg->live, obj);
  if (siphb_ctx_callback_depth(ctx) > 0) {
    list_push(&reg->dead, obj);
  } else {
    free_obj(obj);
  }
}

void siphb_obj_reap(siphb_ctx *ctx) {
  siphb_obj_registry *reg = siphb_ctx_objects(ctx);
  while (reg->dead) {
    siphb_obj *obj = reg->dead;
    list_remove(&reg->dead, obj);
    free_obj(obj);
  }
}

void siphb_obj_free_all(siphb_ctx *ctx) {
  siphb_obj_registry *reg = siphb_ctx_objects(ctx);
  while (reg->live) {
    siphb_obj *obj = reg->live;
    obj->ops->stop(obj);
    obj->flags |= SIPHB_OBJ_DEAD;
    list_remove(&reg->live, obj);
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

int siphb_obj_send(siphb_obj *obj, const siphb_peer *peer, siphb_payload_kind payload,
                   uint32_t attempt, uint64_t ref, const uint8_t *data, size_t len) {
  siphb_send_info info;
  memset(&info, 0, sizeof info);
  info.peer = *peer;
  info.payload = payload;
  info.object_kind = obj->ops->kind;
  info.object = obj; /* the public handle is the object itself */
  info.object_user_data = obj->user_data;
  info.attempt = attempt;
  info.ref = ref;
  return siphb_ctx_send(obj->ctx, &info, data, len);
}

siphb_obs_sink *siphb_obj_sink(siphb_obj *obj, siphb_ctx *ctx, siphb_object_kind kind) {
  if (!obj || siphb_obj_dead(obj) || obj->ctx != ctx || obj->ops->kind != kind ||
      !obj->ops->sink)
    return NULL;
  return obj->ops->sink(obj);
}
