/*
 * ctx_int.h - what the ctx offers the code built on it (internal; exported
 * to the object layers): the clock, the wrappers through which every module
 * calls the integrator's callbacks, the ctx's wheel, allocator and jitter
 * generator, per-module state, and the receive hooks.
 *
 * The struct itself is private to the ctx (engine/ctx_state.h): modules
 * keep what they need on the ctx in their module slot, never in a field of
 * the ctx, so the ctx stays thin as modules are added.
 */
#ifndef SIPHB_LIB_ENGINE_CTX_INT_H
#define SIPHB_LIB_ENGINE_CTX_INT_H

#include <siphb/ctx.h>
#include <siphb/sip.h>

#include "base/mem.h"
#include "engine/obj.h"
#include "engine/prng.h"
#include "engine/wheel.h"

/* Returned internally by code that ran a callback which deleted the ctx: stop
 * at once and unwind; the public entry point turns it into success. */
#define SIPHB_STOPPED 1

/* Clamps `now` so time never goes backwards (asserting it in SIPHB_ASSERTS
 * builds), records it, and returns it. */
siphb_ms siphb_ctx_clock(siphb_ctx *ctx, siphb_ms now);

/* Callback wrappers: count the callback depth, map the result. Each returns
 * 0, SIPHB_ERR_CALLBACK_FAILURE, or SIPHB_STOPPED when the callback deleted
 * the ctx. siphb_ctx_send also returns SIPHB_ERR_SEND for a failed send. */
int siphb_ctx_emit(siphb_ctx *ctx, const siphb_event *ev);
int siphb_ctx_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len);
int siphb_ctx_random(siphb_ctx *ctx, uint8_t *dest, size_t len);
void siphb_ctx_log(siphb_ctx *ctx, siphb_log_level level, const char *message);

/* Ends a public call that may have run callbacks (outside any callback):
 * frees what they deleted. Returns true when the ctx itself was freed (the
 * caller must not touch it). Object calls that emit events, such as
 * siphb_reg_on_result(), end with it like the ctx's own calls. */
bool siphb_ctx_finish(siphb_ctx *ctx);

/* The end of an object's public call that may have reported events, with
 * rv what its work returned: finishes the ctx when this is the outermost
 * call, and returns 0, or SIPHB_ERR_CALLBACK_FAILURE when a callback
 * failed (SIPHB_STOPPED, the ctx deleted from a callback, is success). */
int siphb_ctx_end_call(siphb_ctx *ctx, int rv);

/* The ctx's parts. */
siphb_wheel *siphb_ctx_wheel(siphb_ctx *ctx);
siphb_alloc *siphb_ctx_alloc(siphb_ctx *ctx);
siphb_prng *siphb_ctx_prng(siphb_ctx *ctx);
siphb_obj_registry *siphb_ctx_objects(siphb_ctx *ctx);
/* > 0 while an integrator callback runs. */
unsigned siphb_ctx_callback_depth(const siphb_ctx *ctx);
/* siphb_ctx_del() was called from a callback: the ctx goes when the
 * outermost call returns, and takes no new objects. */
bool siphb_ctx_deleting(const siphb_ctx *ctx);

/* One slot per object kind for what a module keeps per ctx (its lookup map,
 * counters). The module fills it when its first object is created; the ctx
 * calls `destroy` after every object is freed, at ctx deletion. */
typedef struct siphb_module_slot {
  void *state;
  void (*destroy)(siphb_ctx *ctx, void *state);
} siphb_module_slot;

/* The slot of `kind`; never NULL for a valid kind. */
siphb_module_slot *siphb_ctx_module(siphb_ctx *ctx, siphb_object_kind kind);

/* Handles one whole received item (`len` bytes) of the kind it registered
 * for; `sip` is the lenient parse of a SIP item (NULL for other kinds).
 * When the item was for one of its objects it sets result->consumed,
 * object_kind and object (and result->error if that object rejected it).
 * Returns 0 or a negative code (callback failures included). */
typedef int (*siphb_rx_hook)(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data,
                             size_t len, const siphb_sip_msg *sip, siphb_rx_result *result,
                             siphb_ms now);

/* Registers module `owner`'s handler for one kind of received item (NULL
 * removes it). Several modules may take one kind (a CRLF ping is a flow's
 * at the client end of a connection, the responder's at the server end):
 * they are asked in the order of their object kinds until one consumes the
 * item, reports an error in it, or fails. */
void siphb_ctx_set_rx_hook(siphb_ctx *ctx, siphb_stream_kind kind, siphb_object_kind owner,
                           siphb_rx_hook hook);

/* Handles siphb_ctx_peer_event() for a module's objects on `peer`.
 * Returns 0 or a callback failure code. */
typedef int (*siphb_peer_hook)(siphb_ctx *ctx, const siphb_peer *peer, siphb_peer_event what,
                               siphb_ms now);

/* Registers a module's peer-event handler (one per object kind; NULL
 * removes it). siphb_ctx_peer_event() calls them in kind order. */
void siphb_ctx_set_peer_hook(siphb_ctx *ctx, siphb_object_kind kind, siphb_peer_hook hook);

/* The bytes that identify a peer (id, ptr, transport: no padding), for
 * hashing it into a module's map. */
#define SIPHB_PEER_KEY_SIZE 20
void siphb_peer_key(const siphb_peer *peer, uint8_t key[SIPHB_PEER_KEY_SIZE]);
bool siphb_peer_equal(const siphb_peer *a, const siphb_peer *b);

/* Says which end of its flow a stream peer is: the module that keeps
 * client flows (the flow keepalive) registers it; without one every peer is
 * the server end. */
typedef siphb_stream_role (*siphb_role_hook)(siphb_ctx *ctx, const siphb_peer *peer);
void siphb_ctx_set_role_hook(siphb_ctx *ctx, siphb_role_hook hook);

#endif /* SIPHB_LIB_ENGINE_CTX_INT_H */
