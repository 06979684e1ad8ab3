/*
 * fuzz_ctx_probe.c - libFuzzer harness for a ctx with probes running: the
 * input is a program of steps that move the clock by arbitrary amounts,
 * answer the probes' requests with responses mutated by the input, feed
 * raw input bytes (SIP, STUN, CRLF runs, garbage) to siphb_ctx_receive on
 * a datagram and a stream peer, report transport events, and stop, start,
 * trigger, move and re-create probes.
 *
 * Checked: every call returns 0 (or the documented refusal); a receive
 * result's length lies within the input; every round ends in one outcome
 * (a probe's first send of a round comes only after the previous round's
 * result); memory is given back (LeakSanitizer, at siphb_ctx_del).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/siphb.h>

#include "fuzz_ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PROBES 4

typedef struct track {
  siphb_probe *p;
  bool open;               /* a round in flight, by the callbacks' account */
  uint8_t last[1400];      /* the last request sent */
  size_t last_len;
} track;

typedef struct world {
  siphb_ctx *ctx;
  track t[PROBES];
  siphb_ms now;
  uint64_t rng;
} world;

static const siphb_peer PEERS[2] = {{1, NULL, SIPHB_TRANSPORT_UDP}, {2, NULL, SIPHB_TRANSPORT_TCP}};

static int w_random(uint8_t *dest, size_t len, void *user_data) {
  fuzz_lcg_fill(&((world *)user_data)->rng, dest, len);
  return 0;
}

static int w_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                  void *user_data) {
  (void)ctx;
  world *w = user_data;
  size_t k = (size_t)(uintptr_t)info->object_user_data;
  FUZZ_CHECK(k < PROBES && info->object == w->t[k].p);
  if (info->attempt == 0) {
    FUZZ_CHECK(!w->t[k].open);
    w->t[k].open = true;
  } else {
    FUZZ_CHECK(w->t[k].open);
  }
  FUZZ_CHECK(len <= sizeof w->t[k].last);
  memcpy(w->t[k].last, data, len);
  w->t[k].last_len = len;
  return (w->rng >> 20) % 16 == 0 ? SIPHB_ERR_SEND : 0;
}

static int w_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  world *w = user_data;
  FUZZ_CHECK(ev->type == SIPHB_EVENT_PROBE_RESULT);
  size_t k = (size_t)(uintptr_t)ev->object_user_data;
  FUZZ_CHECK(k < PROBES && ev->object == w->t[k].p);
  FUZZ_CHECK(w->t[k].open); /* one outcome per round */
  w->t[k].open = false;
  FUZZ_CHECK(ev->u.probe.transmissions >= 1);
  return 0;
}

typedef fuzz_input input;
#define next fuzz_next

static void make_probe(world *w, size_t k, unsigned style) {
  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  c.request_uri = siphb_str_c("sip:proxy.example.com");
  c.via_host = siphb_str_c(style & 1 ? "2001:db8::5" : "192.0.2.5");
  c.via_port = style & 2 ? 5060 : 0;
  c.interval = 1000 + 500 * (style % 7);
  c.retry_interval = 300 + 100 * (style % 5);
  c.t1 = 50;
  c.t2 = 400;
  c.t4 = style & 4 ? 0 : 500;
  c.jitter_permille = 100 * (style % 11);
  c.start_delay_max = style & 8 ? 2000 : 0;
  int rv = siphb_probe_new(&w->t[k].p, w->ctx, &c, &PEERS[k % 2], (void *)(uintptr_t)k, w->now);
  FUZZ_CHECK(rv == 0);
  w->t[k].open = false;
  w->t[k].last_len = 0;
}

/* A response to probe k's last request, the status and some bytes taken
 * from the input (a mutation anywhere, or none). */
static size_t respond(track *t, input *in, char *out, size_t cap) {
  siphb_sip_msg m;
  if (t->last_len == 0 || siphb_sip_parse(&m, t->last, t->last_len, NULL, NULL) < 0) return 0;
  static const unsigned statuses[] = {100, 180, 200, 202, 302, 401, 404, 408, 486, 500, 503, 603};
  unsigned status = statuses[next(in) % (sizeof statuses / sizeof statuses[0])];
  int n = snprintf(out, cap,
                   "SIP/2.0 %u X\r\nVia: %.*s\r\nFrom: %.*s\r\nTo: %.*s;tag=f\r\nCall-ID: %.*s\r\n"
                   "CSeq: %u OPTIONS\r\n%sContent-Length: 0\r\n\r\n",
                   status, (int)m.via.value.len, m.via.value.ptr, (int)m.from.value.len,
                   m.from.value.ptr, (int)m.to.value.len, m.to.value.ptr, (int)m.call_id.len,
                   m.call_id.ptr, m.cseq, next(in) & 1 ? "Retry-After: 2\r\n" : "");
  if (n <= 0 || (size_t)n >= cap) return 0;
  fuzz_flip(in, (uint8_t *)out, (size_t)n);
  return (size_t)n;
}

static void receive(world *w, const siphb_peer *peer, const uint8_t *d, size_t len) {
  fuzz_receive(w->ctx, peer, d, len, w->now, 1u << SIPHB_OBJECT_PROBE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  world *w = calloc(1, sizeof *w);
  FUZZ_CHECK(w != NULL);
  w->rng = 1;
  w->ctx = fuzz_ctx_new(w_send, w_event, w_random, w);
  input in = {data, data + size};
  for (size_t k = 0; k < PROBES; k++) {
    make_probe(w, k, next(&in));
    FUZZ_CHECK(siphb_probe_start(w->t[k].p, 0) == 0);
  }
  char buf[2048];
  while (in.p < in.end) {
    unsigned op = next(&in);
    size_t k = next(&in) % PROBES;
    track *t = &w->t[k];
    switch (op % 8) {
    case 0: case 1: { /* the clock: to the next deadline, or by an arbitrary step */
      fuzz_clock(w->ctx, &w->now, op & 8 ? (siphb_ms)next(&in) * 97 : 0);
      break;
    }
    case 2: case 3: { /* a response to probe k, possibly mutated */
      size_t n = respond(t, &in, buf, sizeof buf);
      if (n) receive(w, &PEERS[k % 2], (const uint8_t *)buf, n);
      break;
    }
    case 4: { /* raw bytes from the input on either peer */
      const uint8_t *at;
      size_t n = fuzz_take(&in, next(&in), &at);
      receive(w, &PEERS[op >> 7], at, n);
      break;
    }
    case 5: /* a transport event */
      FUZZ_CHECK(siphb_ctx_peer_event(w->ctx, &PEERS[k % 2], (siphb_peer_event)(op % 3), w->now) ==
                 0);
      break;
    case 6: { /* life: stop, start, trigger, move */
      unsigned what = next(&in) % 4;
      int rv = 0;
      if (what == 0) {
        rv = siphb_probe_stop(t->p, w->now);
        t->open = false; /* a stopped round reports nothing */
      } else if (what == 1) {
        rv = siphb_probe_start(t->p, w->now);
      } else if (what == 2) {
        rv = siphb_probe_trigger(t->p, w->now);
        FUZZ_CHECK(rv == 0 || rv == SIPHB_ERR_INVALID_STATE);
        rv = 0;
      } else {
        bool was_open = t->open;
        rv = siphb_probe_set_peer(t->p, &PEERS[next(&in) % 2], w->now);
        if (rv == 0 && was_open) t->open = false; /* abandoned without an event */
      }
      FUZZ_CHECK(rv == 0);
      break;
    }
    default: /* deleted and made again */
      siphb_probe_del(t->p);
      make_probe(w, k, next(&in));
      if (op & 16) FUZZ_CHECK(siphb_probe_start(t->p, w->now) == 0);
      break;
    }
  }
  siphb_ctx_del(w->ctx);
  free(w);
  return 0;
}
