/*
 * fuzz_ctx_flow.c - libFuzzer harness for a ctx with flows and probes
 * armed together: the input is a program of steps that move the clock by
 * arbitrary amounts, answer the flows' STUN requests with responses built
 * from them and mutated by the input (class, address, FINGERPRINT, flipped
 * bytes, another peer), feed CRLF runs to the flows' peers, answer the
 * probes' OPTIONS with mutated SIP responses, hand raw input bytes (SIP,
 * STUN, CRLF, garbage) to siphb_ctx_receive on every peer, report
 * transport events, and drive the flows' life (stop, start, outbound,
 * Flow-Timer, keepalive now, fail, restart, defer, delete and re-create).
 *
 * Checked: every call returns 0 or a refusal its header documents; a
 * receive result's length lies within the input and a consumer is named;
 * every keepalive ends in one outcome (a flow's first send of a keepalive
 * comes only after the previous one's ALIVE or FAILED; expect ALWAYS and
 * report_alive make each an event); event payloads are consistent (state
 * FAILED with a reason, retry_at not in the past); memory is given back
 * (LeakSanitizer, at siphb_ctx_del).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/siphb.h>

#include "fuzz_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FLOWS 4
#define PROBES 2

typedef struct ftrack {
  siphb_flow *f;
  bool open;
  uint8_t last[64]; /* the last STUN request */
  size_t last_len;
  uint32_t gen;
} ftrack;

typedef struct ptrack {
  siphb_probe *p;
  uint8_t last[1400];
  size_t last_len;
} ptrack;

typedef struct world {
  siphb_ctx *ctx;
  ftrack f[FLOWS];
  ptrack p[PROBES];
  siphb_ms now;
  uint64_t rng;
} world;

/* flow k's peer in generation g: CRLF on TCP, STUN on UDP, STUN on TCP,
 * RAW on UDP */
static siphb_peer flow_peer(size_t k, uint32_t g) {
  static const siphb_transport tr[FLOWS] = {SIPHB_TRANSPORT_TCP, SIPHB_TRANSPORT_UDP,
                                            SIPHB_TRANSPORT_TCP, SIPHB_TRANSPORT_UDP};
  siphb_peer p = {10 + k + 100 * (uint64_t)(g % 3), NULL, tr[k]};
  return p;
}

static const siphb_peer PROBE_PEERS[PROBES] = {{1, NULL, SIPHB_TRANSPORT_UDP},
                                               {2, NULL, SIPHB_TRANSPORT_TCP}};

static int w_random(uint8_t *dest, size_t len, void *user_data) {
  fuzz_lcg_fill(&((world *)user_data)->rng, dest, len);
  return 0;
}

static int w_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                  void *user_data) {
  (void)ctx;
  world *w = user_data;
  size_t k = (size_t)(uintptr_t)info->object_user_data;
  if (info->object_kind == SIPHB_OBJECT_PROBE) {
    FUZZ_CHECK(k < PROBES && info->object == w->p[k].p);
    FUZZ_CHECK(len <= sizeof w->p[k].last);
    memcpy(w->p[k].last, data, len);
    w->p[k].last_len = len;
  } else {
    FUZZ_CHECK(info->object_kind == SIPHB_OBJECT_FLOW);
    FUZZ_CHECK(k < FLOWS && info->object == w->f[k].f);
    ftrack *t = &w->f[k];
    if (info->payload == SIPHB_PAYLOAD_STUN) {
      FUZZ_CHECK(len == 20 || len == 28);
      memcpy(t->last, data, len);
      t->last_len = len;
    } else if (info->payload == SIPHB_PAYLOAD_CRLF_PING) {
      FUZZ_CHECK(len == 4 && memcmp(data, "\r\n\r\n", 4) == 0);
    } else {
      FUZZ_CHECK(info->payload == SIPHB_PAYLOAD_RAW && len >= 1 && len <= SIPHB_FLOW_RAW_MAX);
    }
    if (info->payload != SIPHB_PAYLOAD_RAW && k != 3) {
      if (info->attempt == 0) {
        FUZZ_CHECK(!t->open); /* one keepalive at a time */
        t->open = true;
      } else {
        FUZZ_CHECK(t->open && info->payload == SIPHB_PAYLOAD_STUN);
      }
    }
  }
  return (w->rng >> 20) % 16 == 0 ? SIPHB_ERR_SEND : 0;
}

static int w_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  world *w = user_data;
  size_t k = (size_t)(uintptr_t)ev->object_user_data;
  if (ev->type == SIPHB_EVENT_PROBE_RESULT) {
    FUZZ_CHECK(k < PROBES && ev->object == w->p[k].p);
    return 0;
  }
  FUZZ_CHECK(ev->object_kind == SIPHB_OBJECT_FLOW && k < FLOWS && ev->object == w->f[k].f);
  const siphb_event_flow *e = &ev->u.flow;
  ftrack *t = &w->f[k];
  switch (ev->type) {
  case SIPHB_EVENT_FLOW_ALIVE:
    FUZZ_CHECK(e->state == SIPHB_FLOW_STATE_UP || e->state == SIPHB_FLOW_STATE_PROBATION);
    FUZZ_CHECK(t->open || k == 3);
    t->open = false;
    break;
  case SIPHB_EVENT_FLOW_FAILED:
    FUZZ_CHECK(e->state == SIPHB_FLOW_STATE_FAILED && e->reason != SIPHB_FLOW_REASON_NONE);
    FUZZ_CHECK(e->retry_at >= ev->now);
    t->open = false;
    break;
  case SIPHB_EVENT_FLOW_RECOVER_DUE:
    FUZZ_CHECK(e->state == SIPHB_FLOW_STATE_RECOVERING && !t->open);
    break;
  case SIPHB_EVENT_FLOW_RECOVERED:
    FUZZ_CHECK(e->state == SIPHB_FLOW_STATE_UP && e->consecutive_failures == 0);
    break;
  case SIPHB_EVENT_FLOW_MAPPED_ADDRESS: FUZZ_CHECK(e->mapped.family == 1 || e->mapped.family == 2); break;
  case SIPHB_EVENT_FLOW_INTERVAL:
    FUZZ_CHECK(e->interval_min >= 1 && e->interval_min <= e->interval_max);
    break;
  default: FUZZ_CHECK(false);
  }
  return 0;
}

typedef fuzz_input input;
#define next fuzz_next

static void make_flow(world *w, size_t k, unsigned style) {
  siphb_flow_config c;
  siphb_flow_config_init(&c, sizeof c);
  static const siphb_flow_mode modes[FLOWS] = {SIPHB_FLOW_MODE_CRLF, SIPHB_FLOW_MODE_AUTO,
                                               SIPHB_FLOW_MODE_STUN, SIPHB_FLOW_MODE_RAW};
  c.mode = modes[k];
  c.expect = k == 3 && (style & 1) ? SIPHB_FLOW_EXPECT_AFTER_OUTBOUND : SIPHB_FLOW_EXPECT_ALWAYS;
  c.report_alive = true;
  c.interval_min = 200 + 100 * (style % 5);
  c.interval_max = c.interval_min + 50 * (style % 9);
  c.pong_timeout = 100 + 50 * (style % 4);
  c.stun_rto = 20 + 10 * (style % 3);
  c.stun_rc = 1 + style % 7;
  c.stun_rm = 1 + style % 16;
  c.stun_fingerprint = (style & 2) != 0;
  c.fail_on_mapped_change = (style & 4) != 0;
  c.outbound_set = (uint32_t)(style & 8);
  c.backoff_base_all_failed = 300;
  c.backoff_base_some_up = 900;
  c.backoff_max = 5000;
  if (style & 16) c.raw_payload = siphb_str_c("HELLO");
  siphb_peer peer = flow_peer(k, w->f[k].gen);
  int rv = siphb_flow_new(&w->f[k].f, w->ctx, &c, &peer, (void *)(uintptr_t)k, w->now);
  FUZZ_CHECK(rv == 0);
  w->f[k].open = false;
  w->f[k].last_len = 0;
}

static void make_probe(world *w, size_t k, unsigned style) {
  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  c.request_uri = siphb_str_c("sip:proxy.example.com");
  c.via_host = siphb_str_c("192.0.2.5");
  c.interval = 1000 + 500 * (style % 7);
  c.retry_interval = 300;
  c.t1 = 50;
  c.t2 = 400;
  c.t4 = 500;
  int rv = siphb_probe_new(&w->p[k].p, w->ctx, &c, &PROBE_PEERS[k], (void *)(uintptr_t)k, w->now);
  FUZZ_CHECK(rv == 0);
  w->p[k].last_len = 0;
}

static void receive(world *w, const siphb_peer *peer, const uint8_t *d, size_t len) {
  fuzz_receive(w->ctx, peer, d, len, w->now, 1u << SIPHB_OBJECT_PROBE | 1u << SIPHB_OBJECT_FLOW);
}

/* A STUN answer to flow k's last request, mutated. */
static size_t stun_answer(ftrack *t, input *in, uint8_t *out, size_t cap) {
  siphb_stun_msg m;
  if (t->last_len == 0 || siphb_stun_parse(&m, t->last, t->last_len, NULL, NULL) < 0) return 0;
  unsigned how = next(in);
  siphb_stun_encoder e;
  if (siphb_stun_encode_start_response(&e, out, cap, &m,
                                       how & 1 ? SIPHB_STUN_ERROR : SIPHB_STUN_SUCCESS) != 0)
    return 0;
  if (how & 1) {
    if (siphb_stun_encode_error_code(&e, 300 + next(in) % 300, (siphb_str){NULL, 0}) != 0) return 0;
  } else if (!(how & 2)) {
    siphb_mapped_addr a = {(uint8_t)(how & 4 ? 2 : 1), 0, (uint16_t)(5060 + next(in) % 3),
                           {192, 0, 2, 1}};
    if (siphb_stun_encode_xor_mapped_address(&e, &a) != 0) return 0;
  }
  siphb_ssize n = siphb_stun_encode_finish(&e, NULL, how & 8 ? SIPHB_STUN_WITH_FINGERPRINT : 0);
  if (n <= 0) return 0;
  if (how & 16) fuzz_flip(in, out, (size_t)n);
  return (size_t)n;
}

static size_t sip_answer(ptrack *t, input *in, char *out, size_t cap) {
  siphb_sip_msg m;
  if (t->last_len == 0 || siphb_sip_parse(&m, t->last, t->last_len, NULL, NULL) < 0) return 0;
  static const unsigned statuses[] = {100, 200, 408, 503};
  unsigned status = statuses[next(in) % 4];
  int n = snprintf(out, cap,
                   "SIP/2.0 %u X\r\nVia: %.*s\r\nFrom: %.*s\r\nTo: %.*s;tag=f\r\nCall-ID: %.*s\r\n"
                   "CSeq: %u OPTIONS\r\nContent-Length: 0\r\n\r\n",
                   status, (int)m.via.value.len, m.via.value.ptr, (int)m.from.value.len,
                   m.from.value.ptr, (int)m.to.value.len, m.to.value.ptr, (int)m.call_id.len,
                   m.call_id.ptr, m.cseq);
  if (n <= 0 || (size_t)n >= cap) return 0;
  fuzz_flip(in, (uint8_t *)out, (size_t)n);
  return (size_t)n;
}

static void flow_life(world *w, size_t k, input *in) {
  ftrack *t = &w->f[k];
  unsigned what = next(in) % 10;
  int rv = 0;
  siphb_flow_state s = siphb_flow_get_state(t->f);
  bool live = s == SIPHB_FLOW_STATE_ACTIVE || s == SIPHB_FLOW_STATE_UP ||
              s == SIPHB_FLOW_STATE_PROBATION;
  switch (what) {
  case 0:
    FUZZ_CHECK(siphb_flow_stop(t->f, w->now) == 0);
    t->open = false; /* abandoned without an event */
    break;
  case 1: FUZZ_CHECK(siphb_flow_start(t->f, w->now) == 0); break;
  case 2: FUZZ_CHECK(siphb_flow_set_outbound(t->f, next(in) & 1, w->now) == 0); break;
  case 3: FUZZ_CHECK(siphb_flow_set_flow_timer(t->f, next(in) % 4, w->now) == 0); break;
  case 4:
    rv = siphb_flow_keepalive_now(t->f, w->now);
    FUZZ_CHECK(rv == 0 || (rv == SIPHB_ERR_INVALID_STATE && (!live || t->open || k == 3)));
    break;
  case 5:
    rv = siphb_flow_fail(t->f, SIPHB_FLOW_REASON_INTEGRATOR, w->now);
    FUZZ_CHECK(live ? rv == 0 : rv == SIPHB_ERR_INVALID_STATE);
    break;
  case 6: {
    uint32_t g = t->gen + 1 + next(in) % 2;
    siphb_peer p = flow_peer(k, g);
    rv = siphb_flow_restart(t->f, &p, w->now);
    bool may = s == SIPHB_FLOW_STATE_FAILED || s == SIPHB_FLOW_STATE_RECOVERING;
    FUZZ_CHECK(may ? rv == 0 : rv == SIPHB_ERR_INVALID_STATE);
    if (rv == 0) {
      t->gen = g;
      t->open = false;
      t->last_len = 0;
    }
    break;
  }
  case 7:
    rv = siphb_flow_defer_recovery(t->f, w->now + next(in) * 10, w->now);
    FUZZ_CHECK(s == SIPHB_FLOW_STATE_FAILED ? rv == 0 : rv == SIPHB_ERR_INVALID_STATE);
    break;
  case 8: FUZZ_CHECK(siphb_flow_set_active(t->f, next(in) & 1, w->now) == 0); break;
  default:
    siphb_flow_del(t->f);
    make_flow(w, k, next(in));
    if (next(in) & 1) FUZZ_CHECK(siphb_flow_start(t->f, w->now) == 0);
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  world *w = calloc(1, sizeof *w);
  FUZZ_CHECK(w != NULL);
  w->rng = 1;
  w->ctx = fuzz_ctx_new(w_send, w_event, w_random, w);
  input in = {data, data + size};
  for (size_t k = 0; k < FLOWS; k++) {
    make_flow(w, k, next(&in));
    FUZZ_CHECK(siphb_flow_start(w->f[k].f, 0) == 0);
  }
  for (size_t k = 0; k < PROBES; k++) {
    make_probe(w, k, next(&in));
    FUZZ_CHECK(siphb_probe_start(w->p[k].p, 0) == 0);
  }
  uint8_t buf[2048];
  while (in.p < in.end) {
    unsigned op = next(&in);
    size_t k = next(&in) % FLOWS;
    ftrack *t = &w->f[k];
    switch (op % 10) {
    case 0: case 1: { /* the clock: to the next deadline, or by an arbitrary step */
      fuzz_clock(w->ctx, &w->now, op & 16 ? (siphb_ms)next(&in) * 37 : 0);
      break;
    }
    case 2: case 3: { /* a STUN answer to flow k, possibly mutated, maybe from elsewhere */
      size_t n = stun_answer(t, &in, buf, sizeof buf);
      siphb_peer from = *siphb_flow_get_peer(t->f);
      if (op & 32) from.id ^= 1;
      if (n) receive(w, &from, buf, n);
      break;
    }
    case 4: { /* a run of CRLFs on flow k's peer */
      size_t n = 1 + next(&in) % 8;
      for (size_t i = 0; i < n; i++) memcpy(buf + 2 * i, "\r\n", 2);
      receive(w, siphb_flow_get_peer(t->f), buf, 2 * n - (op & 32 ? 1 : 0));
      break;
    }
    case 5: { /* a SIP answer to a probe */
      size_t n = sip_answer(&w->p[k % PROBES], &in, (char *)buf, sizeof buf);
      if (n) receive(w, &PROBE_PEERS[k % PROBES], buf, n);
      break;
    }
    case 6: { /* raw bytes from the input on a flow's or a probe's peer */
      const uint8_t *at;
      size_t n = fuzz_take(&in, next(&in), &at);
      receive(w, op & 32 ? &PROBE_PEERS[k % PROBES] : siphb_flow_get_peer(t->f), at, n);
      break;
    }
    case 7: /* a transport event */
      FUZZ_CHECK(siphb_ctx_peer_event(w->ctx, op & 32 ? &PROBE_PEERS[k % PROBES]
                                                      : siphb_flow_get_peer(t->f),
                                      (siphb_peer_event)(op % 3), w->now) == 0);
      break;
    default: flow_life(w, k, &in); break;
    }
  }
  siphb_ctx_del(w->ctx);
  free(w);
  return 0;
}
