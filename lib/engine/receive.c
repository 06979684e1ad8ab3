/*
 * receive.c - siphb_ctx_receive(): frame the first item through the stream
 * codec (the one demultiplexer, stream/stream_frame.h) with the peer's
 * transport and role, and hand a whole item to the module that registered
 * for its kind; siphb_ctx_peer_event(), which hands a transport event to
 * every module that registered for one.
 */
#include "engine/ctx_state.h"

#include <string.h>

#include "stream/stream_frame.h"

void siphb_ctx_set_rx_hook(siphb_ctx *ctx, siphb_stream_kind kind, siphb_object_kind owner,
                           siphb_rx_hook hook) {
  if ((size_t)kind < SIPHB_RX_KINDS && (size_t)owner < SIPHB_CTX_MODULES)
    ctx->rx_hooks[(size_t)kind][(size_t)owner] = hook;
}

void siphb_ctx_set_role_hook(siphb_ctx *ctx, siphb_role_hook hook) { ctx->role_hook = hook; }

void siphb_ctx_set_peer_hook(siphb_ctx *ctx, siphb_object_kind kind, siphb_peer_hook hook) {
  if ((size_t)kind < SIPHB_CTX_MODULES) ctx->peer_hooks[(size_t)kind] = hook;
}

void siphb_peer_key(const siphb_peer *peer, uint8_t key[SIPHB_PEER_KEY_SIZE]) {
  uint64_t ptr = (uint64_t)(uintptr_t)peer->ptr;
  uint32_t transport = (uint32_t)peer->transport;
  memcpy(key, &peer->id, 8);
  memcpy(key + 8, &ptr, 8);
  memcpy(key + 16, &transport, 4);
}

bool siphb_peer_equal(const siphb_peer *a, const siphb_peer *b) {
  return a->id == b->id && a->ptr == b->ptr && a->transport == b->transport;
}

int siphb_ctx_peer_event(siphb_ctx *ctx, const siphb_peer *peer, siphb_peer_event what,
                         siphb_ms now) {
  if (!ctx || !peer || (unsigned)peer->transport > (unsigned)SIPHB_TRANSPORT_DTLS ||
      (unsigned)what > (unsigned)SIPHB_PEER_CONNECT_FAILED)
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (ctx->in_callback > 0) return SIPHB_ERR_INVALID_STATE;
  now = siphb_ctx_clock(ctx, now);
  int rv = 0;
  for (size_t k = 0; k < SIPHB_CTX_MODULES && rv == 0; k++)
    if (ctx->peer_hooks[k]) rv = ctx->peer_hooks[k](ctx, peer, what, now);
  if (siphb_ctx_finish(ctx)) return 0;
  return rv == SIPHB_STOPPED ? 0 : rv;
}

int siphb_ctx_receive(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                      siphb_rx_result *result, siphb_ms now) {
  if (!ctx || !peer || (!data && len > 0) ||
      (unsigned)peer->transport > (unsigned)SIPHB_TRANSPORT_DTLS)
    return SIPHB_ERR_INVALID_ARGUMENT;
  if (ctx->in_callback > 0) return SIPHB_ERR_INVALID_STATE;
  now = siphb_ctx_clock(ctx, now);
  siphb_rx_result r;
  memset(&r, 0, sizeof(r));
  siphb_stream_role role = ctx->role_hook ? ctx->role_hook(ctx, peer) : SIPHB_STREAM_SERVER;
  siphb_stream_item item;
  siphb_error_info err;
  siphb_sip_msg sip;
  siphb_ssize n = siphb_stream_frame(data, len, peer->transport, role, &item, &sip, &err);
  r.kind = item.kind;
  int rv = 0;
  if (n == SIPHB_ERR_INCOMPLETE) {
    r.need = err.need; /* nothing is routed until the item is whole */
  } else if (n < 0) {
    r.error = (int)n;
  } else {
    r.length = (size_t)n;
    bool is_sip = item.kind == SIPHB_STREAM_SIP_REQUEST || item.kind == SIPHB_STREAM_SIP_RESPONSE;
    siphb_rx_hook *hooks = ctx->rx_hooks[(size_t)item.kind];
    for (size_t k = 0; k < SIPHB_CTX_MODULES && rv == 0 && !r.consumed && !r.error; k++)
      if (hooks[k]) rv = hooks[k](ctx, peer, data, r.length, is_sip ? &sip : NULL, &r, now);
  }
  if (result) *result = r;
  if (siphb_ctx_finish(ctx)) return 0;
  return rv == SIPHB_STOPPED ? 0 : rv;
}
