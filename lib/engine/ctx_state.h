/*
 * ctx_state.h - the ctx's fields (internal to the engine: only ctx.c and
 * receive.c include it; everything else goes through ctx_int.h, which
 * scripts/check-includes.sh enforces).
 */
#ifndef SIPHB_LIB_ENGINE_CTX_STATE_H
#define SIPHB_LIB_ENGINE_CTX_STATE_H

#include "engine/ctx_int.h"

/* Slots and hooks are indexed by object kind and by item kind. */
#define SIPHB_CTX_MODULES ((size_t)SIPHB_OBJECT_ESCALATION + 1)
#define SIPHB_RX_KINDS ((size_t)SIPHB_STREAM_SIP_RESPONSE + 1)

struct siphb_ctx {
  siphb_wheel wheel;
  siphb_alloc alloc;
  siphb_callbacks cb;
  siphb_ctx_config cfg;
  void *user_data;
  siphb_ms now;            /* largest `now` seen */
  siphb_prng prng;
  siphb_obj_registry objects;
  unsigned in_callback;    /* depth of callbacks running */
  bool delete_pending;     /* siphb_ctx_del() was called from a callback */
  siphb_module_slot modules[SIPHB_CTX_MODULES];
  siphb_rx_hook rx_hooks[SIPHB_RX_KINDS][SIPHB_CTX_MODULES]; /* [kind][owner] */
  siphb_role_hook role_hook;
  siphb_peer_hook peer_hooks[SIPHB_CTX_MODULES];
};


#endif /* SIPHB_LIB_ENGINE_CTX_STATE_H */
