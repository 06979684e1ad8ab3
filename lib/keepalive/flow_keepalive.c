/*
 * flow_keepalive.c - a flow's keepalives (RFC 5626 sections 4.4.1, 4.4.2):
 * the double-CRLF ping and its pong timeout, the STUN Binding request with
 * its retransmissions (RFC 5389 section 7.2.1: RTO doubling, Rc sends, a
 * last wait of Rm*RTO; one send on a stream), the raw payload; matching
 * pongs by peer and STUN responses by transaction id and peer; transport
 * events; the role hook.
 */
#include "keepalive/flow_int.h"

#include <string.h>

#include "base/ms.h"

static siphb_flow *of_ka(siphb_wheel_node *n) {
  return (siphb_flow *)(void *)((char *)n - offsetof(siphb_flow, ka_node));
}

static siphb_flow *of_txn(siphb_wheel_node *n) {
  return (siphb_flow *)(void *)((char *)n - offsetof(siphb_flow, txn_node));
}

/* STUN retransmits only where the transport does not (RFC 5389 section
 * 7.2.1 vs 7.2.2). */
static bool stun_retransmits(const siphb_flow *f) {
  return f->peer.transport == SIPHB_TRANSPORT_UDP || f->peer.transport == SIPHB_TRANSPORT_DTLS;
}

void siphb_flow_schedule(siphb_flow *f, siphb_ms now) {
  siphb_wheel_arm(siphb_ctx_wheel(f->base.ctx), &f->ka_node, f->next_at > now ? f->next_at : now);
}

void siphb_flow_end_keepalive(siphb_flow *f, bool count) {
  if (!f->pending) return;
  flow_module *m = siphb_flow_module_of(f->base.ctx);
  if (m) siphb_hmap_remove(&m->txids, &f->txid_node);
  siphb_wheel_cancel(siphb_ctx_wheel(f->base.ctx), &f->txn_node);
  f->pending = false;
  if (count) f->counts.abandoned++;
}

/* ---- sending --------------------------------------------------------------------- */

/* One send of the keepalive in flight (or the raw payload). */
static int transmit(siphb_flow *f) {
  uint8_t buf[SIPHB_STUN_HEADER_SIZE + 8];
  const uint8_t *data = f->raw;
  size_t len = f->raw_len;
  siphb_payload_kind kind = SIPHB_PAYLOAD_RAW;
  if (f->mode == SIPHB_FLOW_MODE_CRLF) {
    static const uint8_t ping[4] = {'\r', '\n', '\r', '\n'};
    data = ping;
    len = sizeof ping;
    kind = SIPHB_PAYLOAD_CRLF_PING;
  } else if (f->mode == SIPHB_FLOW_MODE_STUN) {
    /* 20 bytes, or 28 with FINGERPRINT; the same bytes on every resend. */
    siphb_ssize n = siphb_stun_encode_binding(buf, sizeof buf, f->txid,
                                              f->stun_fingerprint ? SIPHB_STUN_WITH_FINGERPRINT : 0,
                                              NULL);
    data = buf;
    len = n > 0 ? (size_t)n : 0;
    kind = SIPHB_PAYLOAD_STUN;
  }
  uint32_t attempt = f->transmissions;
  f->transmissions++;
  f->counts.transmissions++;
  if (attempt) f->counts.retransmissions++;
  return siphb_obj_send(&f->base, &f->peer, kind, attempt, 0, data, len);
}

/* When the node of the keepalive in flight fires next: the next STUN
 * retransmission (RTO * (2^k - 1) after the first send), else the end. */
static siphb_ms txn_next(const siphb_flow *f) {
  if (f->mode == SIPHB_FLOW_MODE_STUN && stun_retransmits(f) && f->transmissions < f->stun_rc) {
    siphb_ms at = f->sent_at + (siphb_ms)f->stun_rto * ((((siphb_ms)1) << f->transmissions) - 1);
    return at < f->timeout_at ? at : f->timeout_at;
  }
  return f->timeout_at;
}

int siphb_flow_ka_fire(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_flow *f = of_ka(node);
  if (!siphb_flow_live(f) || f->pending) return 0;
  siphb_ctx *ctx = f->base.ctx;
  flow_module *m = siphb_flow_module_of(ctx);
  if (f->mode == SIPHB_FLOW_MODE_STUN) {
    /* 96 random bits per transaction (RFC 5389 section 6). */
    int rv = siphb_ctx_random(ctx, f->txid, sizeof f->txid);
    if (rv != 0) {
      f->next_at = siphb_ms_after(now, f->ival_min);
      siphb_flow_schedule(f, now);
      return rv < 0 ? rv : SIPHB_ERR_CALLBACK_FAILURE;
    }
  }
  f->counts.keepalives++;
  f->sent_at = now;
  f->transmissions = 0;
  f->next_at = siphb_ms_after(now, siphb_flow_draw(f));
  bool expects = f->mode != SIPHB_FLOW_MODE_RAW;
  if (expects) {
    /* The timers first, so that whatever the send callback does (stop,
     * delete, fail) leaves the keepalive consistent. */
    f->pending = true;
    f->timeout_at = siphb_ms_after(now, f->mode == SIPHB_FLOW_MODE_CRLF ? f->pong_timeout
                                                                        : f->stun_total);
    if (f->mode == SIPHB_FLOW_MODE_STUN)
      siphb_hmap_insert(&m->txids, &f->txid_node, siphb_hmap_hash(&m->txids, f->txid, sizeof f->txid));
  } else {
    siphb_flow_schedule(f, now);
  }
  int rv = transmit(f);
  if (siphb_obj_dead(&f->base)) return rv == SIPHB_ERR_SEND ? 0 : rv;
  /* Unless the send callback ended it (stop, fail, restart). */
  if (f->pending) siphb_wheel_arm(siphb_ctx_wheel(ctx), &f->txn_node, txn_next(f));
  if (rv == SIPHB_ERR_SEND) {
    f->counts.send_failures++;
    /* The callback may have stopped or failed the flow already. */
    if (!siphb_flow_live(f)) return 0;
    siphb_flow_end_keepalive(f, false);
    return siphb_flow_to_failed(f, SIPHB_FLOW_REASON_SEND_FAILED, now, now);
  }
  return rv;
}

/* The keepalive in flight ended without an answer. */
static int timed_out(siphb_flow *f, siphb_ms now) {
  siphb_ms due = f->timeout_at;
  f->counts.timeouts++;
  siphb_flow_end_keepalive(f, false);
  if (siphb_flow_expecting(f))
    return siphb_flow_to_failed(f,
                                f->mode == SIPHB_FLOW_MODE_CRLF ? SIPHB_FLOW_REASON_PONG_TIMEOUT
                                                                : SIPHB_FLOW_REASON_STUN_TIMEOUT,
                                due, now);
  /* Section 4.4: no pong may be expected yet; the keepalives go on. */
  siphb_flow_schedule(f, now);
  return 0;
}

int siphb_flow_txn_fire(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_flow *f = of_txn(node);
  if (!f->pending) return 0;
  if (node->deadline >= f->timeout_at) return timed_out(f, now);
  /* RFC 5389 section 7.2.1: the same request again. A refused resend is a
   * loss, as on the wire; the timeout still ends the transaction. */
  int rv = transmit(f);
  if (siphb_obj_dead(&f->base)) return rv == SIPHB_ERR_SEND ? 0 : rv;
  if (f->pending) siphb_wheel_arm(siphb_ctx_wheel(f->base.ctx), &f->txn_node, txn_next(f));
  if (rv == SIPHB_ERR_SEND) {
    f->counts.send_failures++;
    return 0;
  }
  return rv;
}

/* ---- receiving ------------------------------------------------------------------- */

static void sample_rtt(flow_counts *c, uint32_t rtt, bool karn_ok) {
  c->rtt_last = rtt;
  if (c->rtt_min == FLOW_NO_RTT || rtt < c->rtt_min) c->rtt_min = rtt;
  if (c->rtt_max == FLOW_NO_RTT || rtt > c->rtt_max) c->rtt_max = rtt;
  if (!karn_ok) return; /* Karn: a retransmitted request's answer is ambiguous */
  c->srtt = c->srtt == FLOW_NO_RTT ? rtt : (uint32_t)((7 * (uint64_t)c->srtt + rtt) / 8);
}

/* The keepalive in flight was answered (`alive`: not by an error). */
static siphb_ms answered(siphb_flow *f, bool alive, siphb_ms now) {
  siphb_ms rtt = now - f->sent_at; /* < the timeout, which fits 32 bits */
  if (alive) f->counts.responses++;
  sample_rtt(&f->counts, (uint32_t)rtt, f->transmissions == 1);
  siphb_flow_end_keepalive(f, false);
  siphb_flow_schedule(f, now);
  return rtt;
}

static void claim(siphb_rx_result *r, siphb_flow *f) {
  r->consumed = true;
  r->object_kind = SIPHB_OBJECT_FLOW;
  r->object = f;
}

/* One CRLF for f. */
static int one_pong(siphb_flow *f, siphb_ms now) {
  if (!f->pending || f->mode != SIPHB_FLOW_MODE_CRLF) {
    f->counts.stray_pongs++;
    return 0;
  }
  return siphb_flow_on_alive(f, answered(f, true, now), now);
}

int siphb_flow_rx_pong(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                       const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now) {
  (void)data;
  (void)sip;
  flow_module *m = siphb_flow_module_of(ctx);
  siphb_flow *f = m ? siphb_flow_by_peer(m, peer) : NULL;
  if (!f) return 0; /* a ping for a server end: the responder's */
  claim(result, f);
  if (f->peer.transport == SIPHB_TRANSPORT_UDP || f->peer.transport == SIPHB_TRANSPORT_DTLS) {
    /* A CRLF datagram is a NAT keepalive, never a pong (section 3.5.1). */
    f->counts.stray_pongs++;
    return 0;
  }
  /* At the client end "\r\n\r\n" is two pongs back to back: the first
   * answers, the second is stray (never a ping to answer). */
  size_t pongs = len >= 4 ? 2 : 1;
  int rv = 0;
  for (size_t i = 0; i < pongs && rv == 0 && !siphb_obj_dead(&f->base); i++) rv = one_pong(f, now);
  return rv;
}

static bool same_addr(const siphb_mapped_addr *a, const siphb_mapped_addr *b) {
  return a->family == b->family && a->port == b->port &&
         memcmp(a->addr, b->addr, a->family == 2 ? 16 : 4) == 0;
}

/* A success response with its mapped address (section 4.4.2). */
static int on_success(siphb_flow *f, const siphb_mapped_addr *addr, siphb_ms now) {
  siphb_ms rtt = answered(f, true, now);
  if (f->mapped.family == 0 || !same_addr(&f->mapped, addr)) {
    siphb_mapped_addr previous = f->mapped;
    f->mapped = *addr;
    int rv = siphb_flow_emit(f, SIPHB_EVENT_FLOW_MAPPED_ADDRESS, SIPHB_FLOW_REASON_NONE, rtt,
                             &previous, now, now);
    if (rv != 0 || siphb_obj_dead(&f->base)) return rv;
    /* A NAT rebinding: the flow the registrar knows is gone. */
    if (previous.family != 0 && f->fail_on_mapped_change && siphb_flow_live(f))
      return siphb_flow_to_failed(f, SIPHB_FLOW_REASON_MAPPED_CHANGED, now, now);
    if (!siphb_flow_live(f)) return 0;
  }
  return siphb_flow_on_alive(f, rtt, now);
}

/* The flow waiting on this STUN response from `peer`, or NULL. */
static siphb_flow *by_txid(flow_module *m, const siphb_stun_msg *msg, const siphb_peer *peer) {
  uint64_t h = siphb_hmap_hash(&m->txids, msg->txid, SIPHB_STUN_TXID_SIZE);
  for (siphb_hmap_node *n = siphb_hmap_find(&m->txids, h); n; n = siphb_hmap_find_next(n)) {
    siphb_flow *f = (siphb_flow *)(void *)((char *)n - offsetof(siphb_flow, txid_node));
    if (memcmp(f->txid, msg->txid, SIPHB_STUN_TXID_SIZE) == 0 && siphb_peer_equal(&f->peer, peer))
      return f;
  }
  return NULL;
}

int siphb_flow_rx_stun(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                       const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now) {
  (void)sip;
  flow_module *m = siphb_flow_module_of(ctx);
  if (!m) return 0;
  siphb_stun_parse_config pc;
  siphb_stun_parse_config_init(&pc, sizeof pc);
  pc.stream = peer->transport == SIPHB_TRANSPORT_TCP || peer->transport == SIPHB_TRANSPORT_TLS;
  pc.allow_classic = false; /* a port shared with SIP (RFC 5389 section 12.2) */
  siphb_stun_msg msg;
  if (siphb_stun_parse(&msg, data, len, &pc, NULL) < 0) return 0;
  if (msg.method != SIPHB_STUN_BINDING ||
      (msg.cls != SIPHB_STUN_SUCCESS && msg.cls != SIPHB_STUN_ERROR))
    return 0; /* requests and indications need an address to answer */
  /* The txid's 96 random bits, and the peer the request went to. */
  siphb_flow *f = by_txid(m, &msg, peer);
  if (!f) return 0;
  claim(result, f);
  int bad = 0;
  if (msg.fingerprint_offset != 0) bad = siphb_stun_check_fingerprint(&msg);
  siphb_mapped_addr addr;
  memset(&addr, 0, sizeof addr);
  if (bad == 0 && msg.cls == SIPHB_STUN_SUCCESS && msg.unknown_count > 0) {
    /* RFC 8489 section 6.3.4: a success response with unknown
     * comprehension-required attributes is discarded and the transaction
     * has failed; for the flow, like an error response (section 4.4.2). */
    f->counts.rejected++;
    result->error = SIPHB_ERR_STUN_UNKNOWN_REQUIRED;
    answered(f, false, now);
    if (siphb_flow_expecting(f))
      return siphb_flow_to_failed(f, SIPHB_FLOW_REASON_STUN_ERROR, now, now);
    return 0;
  }
  /* Section 4.4.2: a success response MUST carry XOR-MAPPED-ADDRESS. */
  if (bad == 0 && msg.cls == SIPHB_STUN_SUCCESS && siphb_stun_xor_mapped_address(&msg, &addr) != 0)
    bad = SIPHB_ERR_STUN_ATTRIBUTE;
  if (bad != 0) {
    /* Refused: the transaction goes on, as if it had not come. */
    f->counts.rejected++;
    result->error = bad;
    return 0;
  }
  if (msg.cls == SIPHB_STUN_SUCCESS) return on_success(f, &addr, now);
  siphb_stun_error_value ev;
  f->stun_error = siphb_stun_error_code(&msg, &ev) == 0 ? ev.code : 0;
  f->counts.stun_errors++;
  answered(f, false, now);
  /* Section 4.4.2: a Binding error response means the flow failed. */
  if (siphb_flow_expecting(f))
    return siphb_flow_to_failed(f, SIPHB_FLOW_REASON_STUN_ERROR, now, now);
  return 0;
}

/* ---- transport events and the role ------------------------------------------------ */

int siphb_flow_peer_event(siphb_ctx *ctx, const siphb_peer *peer, siphb_peer_event what,
                          siphb_ms now) {
  flow_module *m = siphb_flow_module_of(ctx);
  siphb_flow *f = m ? siphb_flow_by_peer(m, peer) : NULL;
  if (!f || !siphb_flow_live(f)) return 0;
  siphb_flow_end_keepalive(f, true);
  return siphb_flow_to_failed(f,
                              what == SIPHB_PEER_UNREACHABLE ? SIPHB_FLOW_REASON_SEND_FAILED
                                                             : SIPHB_FLOW_REASON_PEER_CLOSED,
                              now, now);
}

siphb_stream_role siphb_flow_role(siphb_ctx *ctx, const siphb_peer *peer) {
  flow_module *m = siphb_flow_module_of(ctx);
  return m && siphb_flow_by_peer(m, peer) ? SIPHB_STREAM_CLIENT : SIPHB_STREAM_SERVER;
}
