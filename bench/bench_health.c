/*
 * bench_health.c - the cost of one observation through a health monitor
 * and the failover objects behind it, and the bytes per monitor.
 *
 * The fleet: N monitors (default 10,000) on one ctx, in pairs, each pair a
 * target selection (primary and backup) with an escalation watching it:
 * a PBX's trunks or a site's phones. Three workloads, each a stream of
 * siphb_health_observe() calls on the SIP layer of a monitor picked by a
 * fixed-seed generator, the clock advancing 1 ms per observation and the
 * ctx's timers run when due:
 *   steady   every observation a success (a healthy fleet: the common case)
 *   mixed    10 % misses (runs of misses turn monitors DEGRADED and back,
 *            some OFFLINE: events, failovers and escalations included)
 *   outage   one observation in two a miss
 * Memory: the ctx's allocator count before and after creating the
 * monitors (shared configs included), per monitor; then the same for
 * the target selections and escalations, per pair.
 *
 * No peer library offers a comparable object (docs/BENCHMARKS.md).
 *
 * Usage: bench_health [--monitors N] [--reps K] [--load steady|mixed|outage]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/siphb.h>

#include "common/bench_util.h"
#include "policy/health_int.h"

#define PROG "bench_health"

typedef struct bench {
  siphb_ctx *ctx;
  siphb_health **monitors;
  siphb_targets **targets;
  siphb_escalation **escalations;
  size_t n;
  uint64_t rng;
  unsigned miss_permille;
  siphb_ms now;
  uint64_t events, observations;
} bench;

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  (void)ev;
  ((bench *)user_data)->events++;
  return 0;
}

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx, (void)info, (void)data, (void)len, (void)user_data;
  return 0;
}

/* The loop's own work (the generator, picking a monitor, the deadline
 * check) without the observation: timed alone and subtracted. */
static volatile uintptr_t sink_;

static double run_floor(void *arg, uint64_t count) {
  bench *b = arg;
  uint64_t t0 = bench_now_ns();
  for (uint64_t i = 0; i < count; i++) {
    uint64_t r = bench_splitmix64(&b->rng);
    siphb_health *h = b->monitors[(size_t)(((r >> 32) * (uint64_t)b->n) >> 32)];
    b->now++;
    if (siphb_ctx_next_deadline(b->ctx) <= b->now) siphb_ctx_advance(b->ctx, b->now);
    sink_ = (uintptr_t)h ^ (r & 1023);
  }
  return (double)(bench_now_ns() - t0);
}

static double run(void *arg, uint64_t count) {
  bench *b = arg;
  uint64_t t0 = bench_now_ns();
  b->observations += count;
  for (uint64_t i = 0; i < count; i++) {
    uint64_t r = bench_splitmix64(&b->rng);
    siphb_health *h = b->monitors[(size_t)(((r >> 32) * (uint64_t)b->n) >> 32)];
    siphb_health_obs o = (r & 1023) < b->miss_permille * 1024 / 1000 ? SIPHB_HEALTH_OBS_MISS
                                                                     : SIPHB_HEALTH_OBS_SUCCESS;
    b->now++;
    if (siphb_ctx_next_deadline(b->ctx) <= b->now) siphb_ctx_advance(b->ctx, b->now);
    if (siphb_health_observe(h, SIPHB_HEALTH_LAYER_SIP, o, SIPHB_HEALTH_REASON_NONE,
                             SIPHB_HEALTH_NO_METRIC, b->now) != 0)
      bench_fail(PROG, "siphb", "observe");
  }
  return (double)(bench_now_ns() - t0);
}

static void build(bench *b, size_t n, size_t *per_monitor, size_t *per_pair) {
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.event = on_event;
  cb.send = on_send;
  if (siphb_ctx_new(&b->ctx, NULL, &cb, NULL, b, 0) != 0) bench_fail(PROG, "siphb", "ctx");
  b->n = n;
  b->monitors = calloc(n, sizeof *b->monitors);
  b->targets = calloc(n / 2, sizeof *b->targets);
  b->escalations = calloc(n / 2, sizeof *b->escalations);
  if (!b->monitors || !b->targets || !b->escalations) bench_fail(PROG, "bench", "out of memory");
  size_t before = siphb_ctx_mem_used(b->ctx);
  for (size_t i = 0; i < n; i++)
    if (siphb_health_new(&b->monitors[i], b->ctx, NULL, NULL, 0) != 0)
      bench_fail(PROG, "siphb", "health_new");
  size_t monitors = siphb_ctx_mem_used(b->ctx) - before;
  siphb_targets_config tc;
  siphb_targets_config_init(&tc, sizeof tc);
  tc.max_targets = 2;
  before = siphb_ctx_mem_used(b->ctx);
  for (size_t p = 0; p < n / 2; p++) {
    siphb_target list[2];
    for (int k = 0; k < 2; k++) {
      siphb_target_init(&list[k], sizeof list[k]);
      list[k].key = (uint64_t)k + 1;
      list[k].priority = (uint16_t)k;
      list[k].health = b->monitors[2 * p + (size_t)k];
    }
    if (siphb_targets_new(&b->targets[p], b->ctx, &tc, NULL, 0) != 0 ||
        siphb_targets_set(b->targets[p], list, 2, 0) != 0 ||
        siphb_escalation_new(&b->escalations[p], b->ctx, NULL, NULL, 0) != 0 ||
        siphb_escalation_set_targets(b->escalations[p], b->targets[p], 0) != 0)
      bench_fail(PROG, "siphb", "failover objects");
  }
  size_t pairs = siphb_ctx_mem_used(b->ctx) - before;
  *per_monitor = monitors / n;
  *per_pair = pairs / (n / 2);
  /* Every monitor healthy to begin with. */
  for (size_t i = 0; i < n; i++)
    siphb_health_observe(b->monitors[i], SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_SUCCESS,
                         SIPHB_HEALTH_REASON_NONE, SIPHB_HEALTH_NO_METRIC, 0);
}

int main(int argc, char **argv) {
  size_t n = 10000;
  int reps = 9;
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--monitors") == 0 && i + 1 < argc) n = (size_t)strtoull(argv[++i], 0, 10);
    else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
    else if (strcmp(argv[i], "--load") == 0 && i + 1 < argc) only = argv[++i];
    else bench_fail(PROG, "usage", "bench_health [--monitors N] [--reps K] [--load NAME]");
  }
  if (n < 2 || reps < 1 || reps > BENCH_REPS_MAX) bench_fail(PROG, "usage", "bad numbers");
  bench b;
  memset(&b, 0, sizeof b);
  b.rng = 0x5EED;
  size_t per_monitor, per_pair;
  build(&b, n & ~(size_t)1, &per_monitor, &per_pair);
  printf("bench_health: %zu monitors in %zu pairs (target selection + escalation each)\n", b.n,
         b.n / 2);
  printf("  memory: %zu bytes per monitor (sizeof %zu), %zu bytes per pair's failover objects\n",
         per_monitor, sizeof(struct siphb_health), per_pair);
  static const struct {
    const char *name;
    unsigned miss_permille;
  } loads[] = {{"steady", 0}, {"mixed", 100}, {"outage", 500}};
  double floor_ns = bench_measure(run_floor, &b, reps, 200, NULL, NULL, NULL);
  printf("  the loop alone (generator, pick, deadline check): %.1f ns, subtracted below\n",
         floor_ns);
  for (size_t l = 0; l < sizeof loads / sizeof loads[0]; l++) {
    if (only && strcmp(only, loads[l].name) != 0) continue;
    b.miss_permille = loads[l].miss_permille;
    uint64_t events0 = b.events, obs0 = b.observations;
    double lo, hi;
    uint64_t per_rep;
    double ns = bench_measure(run, &b, reps, 200, &lo, &hi, &per_rep);
    printf("  %-7s %6.1f ns per observation (loop included: median %.1f, min %.1f, max %.1f;"
           " %" PRIu64 " per repetition; %.3f events per observation)\n",
           loads[l].name, ns - floor_ns, ns, lo, hi, per_rep,
           (double)(b.events - events0) / (double)(b.observations - obs0));
  }
  siphb_ctx_del(b.ctx);
  free(b.monitors);
  free(b.targets);
  free(b.escalations);
  return 0;
}
