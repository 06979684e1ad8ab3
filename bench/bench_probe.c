/*
 * bench_probe.c - the library's cost of one probe round, with many probes on
 * one ctx: the round's timer, its branch and CSeq, the send callback, the
 * response through siphb_ctx_receive (framing, lenient parse, branch-map
 * match) and the result event. Every round is answered with a 200 OK over
 * UDP, so Timer K lingers and is cancelled by the next round, as in a
 * healthy fleet.
 *
 * The simulated clock jumps from deadline to deadline (no empty advance);
 * the responses are built by patching a per-probe template (branch and CSeq
 * digits). That patching is the benchmark's own work: it is timed alone and
 * subtracted, and both figures are printed.
 *
 * Usage: bench_probe [--probes N] [--rounds R] [--reps K]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/siphb.h>

#include "common/bench_util.h"

#define PROG "bench_probe"
#define INTERVAL 30000

typedef struct answer {
  char text[512];
  size_t len;
  size_t branch_at, cseq_at; /* where the round's digits go in the response */
  size_t req_branch_at, req_cseq_at; /* and where they are in the probe's request */
} answer;

typedef struct bench {
  siphb_ctx *ctx;
  siphb_probe **probes;
  answer *answers;
  size_t n;
  /* the requests sent during one advance: probe index, request bytes */
  size_t *due;
  size_t ndue;
  uint64_t rng;
  uint64_t events, alive;
  siphb_ms now;
} bench;

/* The 200 for probe k's rounds, with placeholders for the digits. */
static void prepare_answer(bench *b, size_t k, const uint8_t *request, size_t len) {
  siphb_sip_msg m;
  if (siphb_sip_parse(&m, request, len, NULL, NULL) < 0) bench_fail(PROG, "siphb", "request");
  answer *a = &b->answers[k];
  int n = snprintf(a->text, sizeof a->text,
                   "SIP/2.0 200 OK\r\nVia: %.*s\r\nFrom: %.*s\r\nTo: %.*s;tag=uas\r\n"
                   "Call-ID: %.*s\r\nCSeq: %010u OPTIONS\r\nContent-Length: 0\r\n\r\n",
                   (int)m.via.value.len, m.via.value.ptr, (int)m.from.value.len, m.from.value.ptr,
                   (int)m.to.value.len, m.to.value.ptr, (int)m.call_id.len, m.call_id.ptr, m.cseq);
  a->len = (size_t)n;
  a->branch_at = (size_t)(strstr(a->text, "z9hG4bK") - a->text) + 7;
  a->cseq_at = (size_t)(strstr(a->text, "\r\nCSeq: ") - a->text) + 8;
  /* a probe's request keeps its layout from round to round */
  a->req_branch_at = (size_t)(m.via.branch.ptr - (const char *)request) + 7;
  /* "CSeq: " 10 digits, SP, the method */
  a->req_cseq_at = (size_t)(m.cseq_method.ptr - (const char *)request) - 11;
}

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx;
  bench *b = user_data;
  size_t k = (size_t)(uintptr_t)info->object_user_data;
  b->due[b->ndue] = k;
  answer *a = &b->answers[k];
  if (a->len == 0) prepare_answer(b, k, data, len); /* the first round: once per probe */
  /* the round's branch and CSeq digits into the answer (data is valid
   * during the call only) */
  memcpy(a->text + a->branch_at, data + a->req_branch_at, 16);
  memcpy(a->text + a->cseq_at, data + a->req_cseq_at, 10);
  b->ndue++;
  return 0;
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  bench *b = user_data;
  b->events++;
  b->alive += ev->u.probe.outcome == SIPHB_PROBE_ALIVE;
  return 0;
}

static int fast_random(uint8_t *dest, size_t len, void *user_data) {
  bench *b = user_data;
  while (len) {
    uint64_t v = bench_splitmix64(&b->rng);
    size_t n = len < 8 ? len : 8;
    memcpy(dest, &v, n);
    dest += n;
    len -= n;
  }
  return 0;
}

/* Runs until `rounds` rounds have ended; returns them. */
static uint64_t run_rounds(bench *b, uint64_t rounds) {
  siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
  uint64_t start = b->events;
  while (b->events - start < rounds) {
    siphb_ms next = siphb_ctx_next_deadline(b->ctx);
    if (next > b->now) b->now = next;
    b->ndue = 0;
    if (siphb_ctx_advance(b->ctx, b->now) != 0) bench_fail(PROG, "siphb", "advance");
    for (size_t i = 0; i < b->ndue; i++) {
      answer *a = &b->answers[b->due[i]];
      siphb_rx_result r;
      if (siphb_ctx_receive(b->ctx, &peer, (const uint8_t *)a->text, a->len, &r, b->now) != 0 ||
          !r.consumed)
        bench_fail(PROG, "siphb", "response %zu not consumed", b->due[i]);
    }
  }
  return b->events - start;
}

/* The harness's own share: the same patching and the same loop over the
 * answers, without the library. */
static double harness_ns(bench *b, uint64_t rounds) {
  static const char digits[] = "0123456789abcdef0123456789";
  volatile size_t sink = 0;
  uint64_t t0 = bench_now_ns();
  for (uint64_t i = 0; i < rounds; i++) {
    answer *a = &b->answers[i % b->n];
    memcpy(a->text + a->branch_at, digits + (i & 7), 16);
    memcpy(a->text + a->cseq_at, digits + (i & 7), 10);
    sink += a->len;
  }
  (void)sink;
  return (double)(bench_now_ns() - t0) / (double)rounds;
}

int main(int argc, char **argv) {
  size_t n = 100000;
  uint64_t rounds = 1000000;
  int reps = 5;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--probes") && i + 1 < argc) n = (size_t)strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--probes N] [--rounds R] [--reps K]\n", PROG);
      return 2;
    }
  }
  if (n == 0 || rounds == 0 || reps < 1 || reps > BENCH_REPS_MAX) return 2;

  bench b;
  memset(&b, 0, sizeof b);
  b.rng = 0x5eed;
  b.n = n;
  b.probes = calloc(n, sizeof *b.probes);
  b.answers = calloc(n, sizeof *b.answers);
  b.due = calloc(n, sizeof *b.due);
  if (!b.probes || !b.answers || !b.due) bench_fail(PROG, "bench", "out of memory");
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  cb.random = fast_random;
  if (siphb_ctx_new(&b.ctx, NULL, &cb, NULL, &b, 0) != 0) bench_fail(PROG, "siphb", "ctx");

  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  c.request_uri = siphb_str_c("sip:proxy.example.com");
  c.via_host = siphb_str_c("192.0.2.5");
  c.via_port = 5060;
  c.interval = INTERVAL;
  c.start_delay_max = INTERVAL; /* a fleet spreads its first rounds */
  size_t before = siphb_ctx_mem_used(b.ctx);
  for (size_t k = 0; k < n; k++) {
    siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
    if (siphb_probe_new(&b.probes[k], b.ctx, &c, &peer, (void *)(uintptr_t)k, 0) != 0)
      bench_fail(PROG, "siphb", "probe %zu", k);
  }
  double bytes = (double)(siphb_ctx_mem_used(b.ctx) - before) / (double)n;
  for (size_t k = 0; k < n; k++) siphb_probe_start(b.probes[k], 0);
  /* warm-up: every probe's first round, whose request gives its answer's
   * template */
  while (b.events < n) {
    siphb_ms next = siphb_ctx_next_deadline(b.ctx);
    if (next > b.now) b.now = next;
    b.ndue = 0;
    if (siphb_ctx_advance(b.ctx, b.now) != 0) bench_fail(PROG, "siphb", "advance");
    siphb_peer peer = {1, NULL, SIPHB_TRANSPORT_UDP};
    for (size_t i = 0; i < b.ndue; i++) {
      answer *a = &b.answers[b.due[i]];
      siphb_rx_result r;
      if (siphb_ctx_receive(b.ctx, &peer, (const uint8_t *)a->text, a->len, &r, b.now) != 0 ||
          !r.consumed)
        bench_fail(PROG, "siphb", "warm-up response %zu not consumed", b.due[i]);
    }
  }
  double per[BENCH_REPS_MAX];
  double harness = harness_ns(&b, rounds);
  for (int r = 0; r < reps; r++) {
    uint64_t t0 = bench_now_ns();
    uint64_t done = run_rounds(&b, rounds);
    per[r] = (double)(bench_now_ns() - t0) / (double)done - harness;
  }
  double lo = per[0], hi = per[0];
  for (int r = 1; r < reps; r++) {
    lo = per[r] < lo ? per[r] : lo;
    hi = per[r] > hi ? per[r] : hi;
  }
  double med = bench_median(per, reps);
  printf("%s: %zu probes on one ctx, %" PRIu64 " rounds per repetition, %d repetitions, "
         "every round answered 200 over UDP\n",
         PROG, n, rounds, reps);
  printf("  library cost per round   %8.1f ns  (median; reps %.1f-%.1f; harness %.1f ns "
         "subtracted)    target <= 300: %s\n",
         med, lo, hi, harness, med <= 300 ? "met" : "MISSED");
  printf("  memory per probe         %8.1f bytes (siphb_ctx_mem_used over %zu probes)  "
         "target <= 768: %s\n",
         bytes, n, bytes <= 768 ? "met" : "MISSED");
  printf("  events %" PRIu64 ", alive %" PRIu64 "\n", b.events, b.alive);
  siphb_ctx_del(b.ctx);
  free(b.probes);
  free(b.answers);
  free(b.due);
  return 0;
}
