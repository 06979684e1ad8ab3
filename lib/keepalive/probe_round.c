/*
 * probe_round.c - a probe's rounds: the OPTIONS client transaction (RFC
 * 3261 section 17.1.2: Timers E, F and K), matching a response to its
 * round (section 17.1.3), the outcome, the statistics and the event.
 */
#include "keepalive/probe_int.h"

#include <string.h>

#include "base/ms.h"

static siphb_probe *of_round(siphb_wheel_node *n) {
  return (siphb_probe *)(void *)((char *)n - offsetof(siphb_probe, round_node));
}

static siphb_probe *of_txn(siphb_wheel_node *n) {
  return (siphb_probe *)(void *)((char *)n - offsetof(siphb_probe, txn_node));
}

static probe_module *module_of(siphb_ctx *ctx) {
  return siphb_ctx_module(ctx, SIPHB_OBJECT_PROBE)->state;
}

static bool reliable(const siphb_probe *p) { return p->peer.transport != SIPHB_TRANSPORT_UDP; }

/* d shortened by a uniform share of up to jitter_permille: [d - d*j/1000, d]. */
static siphb_ms jittered(const siphb_probe *p, siphb_ms d) {
  siphb_ms lo = d - d * p->timing.jitter_permille / 1000;
  return lo + siphb_prng_below(siphb_ctx_prng(p->base.ctx), d - lo + 1);
}

void siphb_probe_schedule_first(siphb_probe *p, siphb_ms now) {
  siphb_ms delay = p->timing.start_delay_max
                       ? siphb_prng_below(siphb_ctx_prng(p->base.ctx), p->timing.start_delay_max + 1)
                       : 0;
  siphb_wheel_arm(siphb_ctx_wheel(p->base.ctx), &p->round_node, now + delay);
}

void siphb_probe_abandon(siphb_probe *p) {
  probe_module *m = module_of(p->base.ctx);
  if (m) siphb_hmap_remove(&m->branches, &p->branch_node);
  siphb_wheel_cancel(siphb_ctx_wheel(p->base.ctx), &p->txn_node);
  p->txn = TXN_NONE;
}

static const char *branch_of(const siphb_probe *p) {
  return (const char *)p->request + p->branch_at - PROBE_COOKIE_LEN;
}

/* The branch map's hash: the branch's 64 random bits (its 16 hex digits),
 * mixed with the map's key (the finaliser of MurmurHash3). SipHash is not
 * needed here: only this module inserts, always fresh random bits, so no
 * peer can crowd a bucket; a response's branch is only looked up. */
static uint64_t branch_hash(const siphb_hmap *map, uint64_t bits) {
  uint64_t h = bits ^ map->key[0];
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 33);
}

/* Each byte's value as a lowercase hex digit, 0x10 for any other byte. */
static const uint8_t hex_value[256] = {
#define X16 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10
    X16, X16, X16,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, /* '0'-'9' */
    X16, X16,
    0x10, 10, 11, 12, 13, 14, 15, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, /* 'a'-'f' */
    X16, X16, X16, X16, X16, X16, X16, X16, X16 /* 0x70-0xff */
#undef X16
};

/* The 64 bits of a branch's 16 lowercase hex digits; false if it has other
 * characters (then no round of this module sent it). Without a branch per
 * digit: random digits would make each one a misprediction. */
static bool branch_bits(const char *digits, uint64_t *out) {
  uint64_t v = 0;
  unsigned bad = 0;
  for (size_t i = 0; i < 16; i++) {
    unsigned d = hex_value[(unsigned char)digits[i]];
    bad |= d;
    v = v << 4 | (d & 15u);
  }
  *out = v;
  return (bad & 0x10u) == 0;
}

/* ---- outcome, statistics, event ---------------------------------------------- */

static siphb_probe_outcome outcome_of(const siphb_probe *p, unsigned status) {
  for (size_t i = 0; i < SIPHB_PROBE_FAIL_CODES && p->timing.fail_codes[i]; i++)
    if (p->timing.fail_codes[i] == status) return SIPHB_PROBE_REJECTED;
  return (p->timing.alive_classes >> (status / 100)) & 1u ? SIPHB_PROBE_ALIVE
                                                           : SIPHB_PROBE_REJECTED;
}

/* RFC 6298 section 2: the first sample sets SRTT = R, RTTVAR = R/2; later
 * ones RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|, SRTT = 7/8 SRTT + 1/8 R. */
static void sample_rtt(probe_counts *c, uint32_t rtt, bool karn_ok) {
  c->rtt_last = rtt;
  if (c->rtt_min == PROBE_NO_RTT || rtt < c->rtt_min) c->rtt_min = rtt;
  if (rtt > c->rtt_max) c->rtt_max = rtt;
  if (!karn_ok) return; /* Karn: a retransmitted round's response is ambiguous */
  if (c->srtt == PROBE_NO_RTT) {
    c->srtt = rtt;
    c->rttvar = rtt / 2;
    return;
  }
  uint64_t diff = c->srtt > rtt ? c->srtt - rtt : rtt - c->srtt;
  c->rttvar = (uint32_t)((3 * (uint64_t)c->rttvar + diff) / 4);
  c->srtt = (uint32_t)((7 * (uint64_t)c->srtt + rtt) / 8);
}

static void count(probe_counts *c, siphb_probe_outcome o, unsigned status, siphb_ms now) {
  c->rounds++;
  switch (o) {
  case SIPHB_PROBE_ALIVE: c->alive++; break;
  case SIPHB_PROBE_REJECTED: c->rejected++; break;
  case SIPHB_PROBE_TIMEOUT: c->timeouts++; break;
  case SIPHB_PROBE_SEND_FAILED: c->send_failures++; break;
  case SIPHB_PROBE_TRANSPORT_ERROR: c->transport_errors++; break;
  }
  c->consecutive_failures = o == SIPHB_PROBE_ALIVE ? 0 : c->consecutive_failures + 1;
  c->last_status = (uint16_t)status;
  c->last_outcome = (uint8_t)o;
  c->last_result_at = now;
}

/* When the next round starts: `interval` after this one started if it was
 * alive, `retry_interval` after now otherwise, and not before Retry-After. */
static siphb_ms next_round(const siphb_probe *p, siphb_probe_outcome o, siphb_ms now) {
  siphb_ms next = o == SIPHB_PROBE_ALIVE ? siphb_ms_after(p->round_start, jittered(p, p->timing.interval))
                                         : siphb_ms_after(now, jittered(p, p->timing.retry_interval));
  if (next < now) next = now;
  return next > p->retry_after_until ? next : p->retry_after_until;
}

/* Ends the round in flight and reports it; `msg` is the final response, or
 * NULL. Returns what the event callback returned. */
static int end_round(siphb_probe *p, siphb_probe_outcome o, const siphb_sip_msg *msg,
                     siphb_ms due, siphb_ms now) {
  siphb_ctx *ctx = p->base.ctx;
  unsigned status = msg ? msg->status : 0;
  siphb_ms rtt = msg ? now - p->round_start : SIPHB_NEVER;
  count(&p->counts, o, status, now);
  if (msg) {
    /* rtt < timeout, which fits 32 bits */
    sample_rtt(&p->counts, (uint32_t)rtt, p->transmissions == 1);
    /* Section 20.33: no request before Retry-After has passed. A response
     * without one ends an earlier one's hold. */
    p->retry_after_until = 0;
    if (p->timing.honour_retry_after && siphb_sip_msg_has(msg, SIPHB_SIP_HDR_RETRY_AFTER))
      p->retry_after_until = siphb_ms_after(now, (siphb_ms)msg->retry_after.delta * 1000);
  }
  siphb_wheel *w = siphb_ctx_wheel(ctx);
  if (msg && !reliable(p) && p->timing.t4 > 0) {
    /* Timer K (section 17.1.2.2): the branch lingers, so that the final
     * response's retransmissions are consumed, until timeout_at (Timer F's
     * field, free once the round ended). Not on the wheel: K's expiry
     * changes nothing observable, so it is checked when a response comes
     * (and the next round, or the probe's end, unlinks the branch). That
     * saves every round an arm, two cascades and a fire. */
    p->txn = TXN_LINGER;
    siphb_wheel_cancel(w, &p->txn_node);
    p->timeout_at = siphb_ms_after(now, p->timing.t4);
  } else {
    siphb_probe_abandon(p);
  }
  siphb_wheel_arm(w, &p->round_node, next_round(p, o, now));

  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  siphb_obj_fill_event(&p->base, &ev, SIPHB_EVENT_PROBE_RESULT, due, now);
  siphb_event_probe *e = &ev.u.probe;
  e->peer = p->peer;
  e->outcome = o;
  e->status = status;
  e->transmissions = p->transmissions;
  e->cseq = p->cseq;
  e->consecutive_failures = p->counts.consecutive_failures;
  e->sent_at = p->round_start;
  e->rtt = rtt;
  e->srtt = p->counts.srtt == PROBE_NO_RTT ? SIPHB_NEVER : p->counts.srtt;
  e->retry_after_until = p->retry_after_until;
  if (msg) e->reason_phrase = msg->reason;
  e->response = msg;
  int rv = siphb_ctx_emit(ctx, &ev);
  if (rv != 0 || siphb_obj_dead(&p->base)) return rv;
  return siphb_obs_deliver(&p->health, &ev, now);
}

/* ---- sending ------------------------------------------------------------------- */

static int transmit(siphb_probe *p) {
  uint32_t attempt = p->transmissions;
  p->transmissions++;
  p->counts.transmissions++;
  return siphb_obj_send(&p->base, &p->peer, SIPHB_PAYLOAD_SIP_REQUEST, attempt, p->cseq,
                        p->request, p->request_len);
}

/* Writes v as exactly PROBE_CSEQ_DIGITS digits. */
static void put_cseq(uint8_t *at, uint32_t v) {
  for (int i = PROBE_CSEQ_DIGITS - 1; i >= 0; i--) {
    at[i] = (uint8_t)('0' + v % 10);
    v /= 10;
  }
}

/* A new branch and CSeq in the request, the branch in the map. */
static int new_round(siphb_probe *p, siphb_ms now) {
  static const char digits[] = "0123456789abcdef";
  uint8_t rnd[8];
  int rv = siphb_ctx_random(p->base.ctx, rnd, sizeof rnd);
  if (rv != 0) return rv < 0 ? rv : SIPHB_ERR_CALLBACK_FAILURE;
  uint8_t *req = p->request;
  uint8_t *b = req + p->branch_at;
  uint64_t bits = 0;
  for (size_t i = 0; i < sizeof rnd; i++) {
    b[2 * i] = (uint8_t)digits[rnd[i] >> 4];
    b[2 * i + 1] = (uint8_t)digits[rnd[i] & 15];
    bits = bits << 8 | rnd[i];
  }
  p->cseq = p->cseq >= PROBE_CSEQ_LAST ? PROBE_CSEQ_FIRST : p->cseq + 1;
  put_cseq(req + p->cseq_at, p->cseq);
  probe_module *m = module_of(p->base.ctx);
  siphb_hmap_insert(&m->branches, &p->branch_node, branch_hash(&m->branches, bits));
  p->txn = TXN_CALLING;
  p->transmissions = 0;
  p->round_start = now;
  p->timer_e = p->timing.t1;
  p->timeout_at = siphb_ms_after(now, p->timing.timeout);
  return 0;
}

int siphb_probe_round_fire(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_probe *p = of_round(node);
  if (!p->running) return 0;
  siphb_wheel *w = siphb_ctx_wheel(p->base.ctx);
  if (p->txn == TXN_LINGER) siphb_probe_abandon(p); /* Timer K cut short by the next round */
  int rv = new_round(p, now);
  if (rv != 0) {
    /* No branch without `random`: try again later rather than never. */
    siphb_wheel_arm(w, &p->round_node, siphb_ms_after(now, p->timing.retry_interval));
    return rv;
  }
  /* The timers first, so that whatever the send callback does (stop,
   * delete, fail) leaves the round consistent. */
  siphb_ms first = reliable(p) ? p->timeout_at : siphb_ms_after(now, p->timer_e);
  siphb_wheel_arm(w, &p->txn_node, first < p->timeout_at ? first : p->timeout_at);
  rv = transmit(p);
  if (siphb_obj_dead(&p->base) || p->txn != TXN_CALLING) return rv == SIPHB_ERR_SEND ? 0 : rv;
  if (rv == SIPHB_ERR_SEND) return end_round(p, SIPHB_PROBE_SEND_FAILED, NULL, now, now);
  return rv;
}

int siphb_probe_txn_fire(siphb_wheel_node *node, siphb_ms now, void *arg) {
  (void)arg;
  siphb_probe *p = of_txn(node);
  siphb_ms due = node->deadline;
  if (due >= p->timeout_at) return end_round(p, SIPHB_PROBE_TIMEOUT, NULL, p->timeout_at, now);
  /* Calling doubles E up to T2; Proceeding keeps it at T2. Armed before
   * the send, as in a new round. */
  siphb_ms e = p->txn == TXN_PROCEEDING ? p->timing.t2 : 2 * (siphb_ms)p->timer_e;
  p->timer_e = e < p->timing.t2 ? (uint32_t)e : p->timing.t2;
  siphb_ms next = siphb_ms_after(due, p->timer_e);
  siphb_wheel_arm(siphb_ctx_wheel(p->base.ctx), &p->txn_node,
                  next < p->timeout_at ? next : p->timeout_at);
  /* Timer E: the same bytes again; a refused retransmission is a loss. */
  int rv = transmit(p);
  if (rv == SIPHB_ERR_SEND) {
    if (!siphb_obj_dead(&p->base)) p->counts.retransmit_failures++;
    return 0;
  }
  return rv;
}

/* ---- matching a response ----------------------------------------------------------- */

static bool str_eq(siphb_str a, const char *b, size_t n) {
  return a.len == n && (n == 0 || memcmp(a.ptr, b, n) == 0);
}

static bool ieq(siphb_str a, siphb_str b) {
  if (a.len != b.len) return false;
  for (size_t i = 0; i < a.len; i++) {
    unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
    if (x != y) return false;
  }
  return true;
}

/* Section 17.1.3 matches by branch and CSeq method; the Call-ID, CSeq
 * number and the sent-by this probe wrote must agree as well (section
 * 18.1.2), so a response guessed or replayed for another round is not
 * taken. */
static bool same_transaction(const siphb_probe *p, const siphb_sip_msg *m) {
  if (m->cseq_method_id != SIPHB_SIP_METHOD_OPTIONS || m->cseq != p->cseq) return false;
  const char *req = (const char *)p->request;
  if (!str_eq(m->call_id, req + p->call_id_at, 32)) return false;
  if (!ieq(m->via.host, (siphb_str){req + p->via_host_at, p->via_host_len})) return false;
  return p->via_port ? m->via.has_port && m->via.port == p->via_port : !m->via.has_port;
}

static int on_response(siphb_probe *p, const siphb_sip_msg *m, siphb_ms now) {
  if (p->txn == TXN_LINGER) {
    if (m->status >= 200) p->counts.late_responses++; /* a retransmitted final */
    return 0;
  }
  if (m->status < 200) {
    /* Section 17.1.2.2: Proceeding; the next Timer E is T2. */
    p->counts.provisional++;
    if (p->txn == TXN_CALLING) p->txn = TXN_PROCEEDING;
    return 0;
  }
  return end_round(p, outcome_of(p, m->status), m, now, now);
}

int siphb_probe_rx(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data, size_t len,
                   const siphb_sip_msg *sip, siphb_rx_result *result, siphb_ms now) {
  (void)peer; /* the branch's 64 random bits identify the round */
  (void)data;
  (void)len;
  probe_module *m = module_of(ctx);
  if (!m || !sip || sip->is_request || sip->via.branch.len != PROBE_BRANCH_LEN) return 0;
  siphb_str b = sip->via.branch;
  uint64_t bits;
  if (!branch_bits(b.ptr + PROBE_COOKIE_LEN, &bits)) return 0;
  uint64_t h = branch_hash(&m->branches, bits);
  for (siphb_hmap_node *n = siphb_hmap_find(&m->branches, h); n; n = siphb_hmap_find_next(n)) {
    siphb_probe *p = probe_of_branch(n);
    if (memcmp(branch_of(p), b.ptr, b.len) != 0) continue;
    if (p->txn == TXN_LINGER && now >= p->timeout_at) {
      siphb_probe_abandon(p); /* Timer K has expired: the transaction is gone */
      return 0;
    }
    if (!same_transaction(p, sip)) return 0;
    result->consumed = true;
    result->object_kind = SIPHB_OBJECT_PROBE;
    result->object = p;
    return on_response(p, sip, now);
  }
  return 0;
}

/* ---- transport events ------------------------------------------------------------ */

static uint64_t peer_hash(const probe_module *m, const siphb_peer *peer) {
  uint8_t key[SIPHB_PEER_KEY_SIZE];
  siphb_peer_key(peer, key);
  return siphb_hmap_hash(&m->peers, key, sizeof key);
}

void siphb_probe_link_peer(siphb_probe *p, probe_module *m) {
  siphb_hmap_insert(&m->peers, &p->peer_node, peer_hash(m, &p->peer));
}

/* The next probe on `peer` that waits on it, or NULL; lingering branches
 * on it are dropped on the way (no retransmitted final can come now). */
static siphb_probe *next_waiting(probe_module *m, const siphb_peer *peer, uint64_t h) {
  for (siphb_hmap_node *n = siphb_hmap_find(&m->peers, h); n; n = siphb_hmap_find_next(n)) {
    siphb_probe *p = (siphb_probe *)(void *)((char *)n - offsetof(siphb_probe, peer_node));
    if (!siphb_peer_equal(&p->peer, peer)) continue;
    if (p->txn == TXN_LINGER) siphb_probe_abandon(p);
    if (p->txn == TXN_CALLING || p->txn == TXN_PROCEEDING) return p;
  }
  return NULL;
}

int siphb_probe_peer_event(siphb_ctx *ctx, const siphb_peer *peer, siphb_peer_event what,
                           siphb_ms now) {
  (void)what; /* closed, unreachable or never connected: the request is lost alike */
  probe_module *m = module_of(ctx);
  if (!m) return 0;
  uint64_t h = peer_hash(m, peer);
  /* One at a time, looked up afresh: each event callback may delete or
   * re-point other probes. A round ended here is no longer waiting. */
  for (siphb_probe *p; (p = next_waiting(m, peer, h)) != NULL;) {
    int rv = end_round(p, SIPHB_PROBE_TRANSPORT_ERROR, NULL, now, now);
    if (rv != 0) return rv;
  }
  return 0;
}
