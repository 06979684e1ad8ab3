/*
 * bench_timers - arm, cancel and expire N timers with spread deadlines in
 * siphb (its wheel, and its public siphb_timer objects), libevent and libuv,
 * in the same run, on the same deadlines and in the same order.
 *
 *   bench_timers [--n N] [--reps R] [--only siphb|libevent|libuv]
 *                [--wide-ms MS] [--narrow-ms MS] [--seed S] [--verbose]
 *
 * Default: N = 1,000,000 (5 repetitions) and 10,000,000 (3 repetitions, so
 * that each peer's 10M run stays near two minutes); the median is reported.
 * Two deadline spreads, each its own set of rows:
 *   wide   uniform 1 ms .. 60 s   (arm and cancel for all; expire for siphb
 *                                  only: the peers' clocks are real, and
 *                                  waiting 60 s per repetition is not on)
 *   narrow uniform 1 ms .. 1 s    (everything, expire included, for all)
 * Phases per repetition, each timed alone with CLOCK_MONOTONIC:
 *   1. arm N in arm order                      -> arm ns/op
 *      cancel N in arm order                   -> cancel ns/op
 *   2. arm N, cancel N in a random order       -> cancel-rand ns/op
 *   3. arm N, make all due, run them once      -> expire ns/op
 *      (siphb: one advance to just past the last deadline in simulated time;
 *       libevent/libuv: sleep until all are due, then time the one
 *       event_base_loop(EVLOOP_NONBLOCK) / uv_run(UV_RUN_NOWAIT); every
 *       library must have run exactly N callbacks, else the run fails)
 * See docs/BENCHMARKS.md, section "Timers".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timers/tb.h"

/* Uniform in [0, bound) from the fixed-seed stream every library shares;
 * modulo bias is below bound / 2^64, negligible here. */
static uint64_t uniform(uint64_t *state, uint64_t bound) { return bench_splitmix64(state) % bound; }

enum { LIB_SIPHB = 1, LIB_LIBEVENT = 2, LIB_LIBUV = 4 };

#define MAX_ROWS 64
static tb_result g_rows[MAX_ROWS];
static int g_nrows;
static tb_floor g_floor[4]; /* per N, in the order of ns[] */

static void print_header(void) {
  printf("%-12s %-8s %10s %8s %8s %11s %8s %8s\n", "library", "spread", "N", "arm", "cancel",
         "cancel-rnd", "expire", "B/timer");
  printf("%-12s %-8s %10s %8s %8s %11s %8s %8s\n", "", "", "", "ns/op", "ns/op", "ns/op",
         "ns/op", "");
}

static void fmt_ns(char *buf, size_t len, double v) {
  if (v < 0)
    snprintf(buf, len, "-");
  else
    snprintf(buf, len, "%.1f", v);
}

static void print_row(const tb_result *r) {
  char a[32], c[32], cr[32], e[32];
  fmt_ns(a, sizeof a, r->arm_ns);
  fmt_ns(c, sizeof c, r->cancel_ns);
  fmt_ns(cr, sizeof cr, r->cancel_rand_ns);
  fmt_ns(e, sizeof e, r->expire_ns);
  printf("%-12s %-8s %10zu %8s %8s %11s %8s %8.1f\n", r->library, r->spread, r->n, a, c, cr, e,
         r->bytes);
}

static const tb_result *find_row(const char *library, const char *spread, size_t n) {
  for (int i = 0; i < g_nrows; i++)
    if (strcmp(g_rows[i].library, library) == 0 && strcmp(g_rows[i].spread, spread) == 0 &&
        g_rows[i].n == n)
      return &g_rows[i];
  return NULL;
}

static void fmt_ratio(char *buf, size_t len, double peer, double ours) {
  if (peer < 0 || ours <= 0)
    snprintf(buf, len, "-");
  else
    snprintf(buf, len, "%.1fx", peer / ours);
}

static void print_ratios(const char *ours_name, const char *spread, size_t n) {
  static const char *peers[] = {"libevent", "libuv"};
  const tb_result *ours = find_row(ours_name, spread, n);
  if (!ours) return;
  for (int p = 0; p < 2; p++) {
    const tb_result *peer = find_row(peers[p], spread, n);
    if (!peer) continue;
    char a[16], c[16], cr[16], e[16], b[16];
    fmt_ratio(a, sizeof a, peer->arm_ns, ours->arm_ns);
    fmt_ratio(c, sizeof c, peer->cancel_ns, ours->cancel_ns);
    fmt_ratio(cr, sizeof cr, peer->cancel_rand_ns, ours->cancel_rand_ns);
    fmt_ratio(e, sizeof e, peer->expire_ns, ours->expire_ns);
    fmt_ratio(b, sizeof b, peer->bytes, ours->bytes);
    printf("  %-11s vs %-8s %-7s N=%-9zu arm %7s  cancel %7s  cancel-rnd %7s  expire %7s  "
           "bytes %6s\n",
           ours_name, peers[p], spread, n, a, c, cr, e, b);
  }
}

static void check(const char *what, double v, double limit, const char *unit) {
  if (v < 0) {
    printf("  %-46s not measured\n", what);
    return;
  }
  printf("  %-46s %8.1f %-5s (target <= %g) %s\n", what, v, unit, limit,
         v <= limit ? "met" : "MISSED");
}

static void check_ratio(const char *what, double peer, double ours) {
  if (peer < 0 || ours <= 0) {
    printf("  %-46s not measured\n", what);
    return;
  }
  double x = peer / ours;
  printf("  %-46s %8.1f x     (target >= 10x) %s\n", what, x, x >= 10.0 ? "met" : "MISSED");
}

/* Puts the measured figures next to what memory allows at this N. */
static void print_floor(size_t n, const tb_floor *f, const char *wide, const char *narrow) {
  const tb_result *w = find_row("siphb wheel", wide, n);
  const tb_result *nw = find_row("siphb wheel", narrow, n);
  printf("memory floor, N=%zu (touch each of N 32-byte nodes once, random order):\n", n);
  printf("  %-46s %8.1f ns\n", "independent addresses (prefetched)", f->independent_ns);
  printf("  %-46s %8.1f ns\n", "dependent addresses (linked-list walk)", f->dependent_ns);
  if (w && w->cancel_rand_ns > 0)
    printf("  %-46s %8.1f x the independent floor\n", "siphb wheel cancel, random order",
           w->cancel_rand_ns / f->independent_ns);
  if (nw && nw->expire_ns > 0) {
    char what[64];
    snprintf(what, sizeof what, "siphb wheel expire (%s)", narrow);
    printf("  %-46s %8.1f x the independent floor\n", what, nw->expire_ns / f->independent_ns);
  }
}

static void print_targets(size_t n, const char *wide, const char *narrow) {
  const tb_result *w = find_row("siphb wheel", wide, n);
  const tb_result *nw = find_row("siphb wheel", narrow, n);
  const tb_result *ev = find_row("libevent", wide, n);
  const tb_result *evn = find_row("libevent", narrow, n);
  if (!w) return;
  char buf[96];
  printf("targets, siphb wheel, N=%zu:\n", n);
  snprintf(buf, sizeof buf, "arm (%s)", wide);
  check(buf, w->arm_ns, 10, "ns");
  snprintf(buf, sizeof buf, "cancel, arm order (%s)", wide);
  check(buf, w->cancel_ns, 20, "ns");
  snprintf(buf, sizeof buf, "cancel, random order (%s)", wide);
  check(buf, w->cancel_rand_ns, 20, "ns");
  snprintf(buf, sizeof buf, "expire (%s, simulated)", wide);
  check(buf, w->expire_ns, 10, "ns");
  if (nw) {
    snprintf(buf, sizeof buf, "expire (%s, like for like)", narrow);
    check(buf, nw->expire_ns, 10, "ns");
  }
  check("bytes per armed timer", w->bytes, 32, "B");
  if (ev) {
    check_ratio("vs libevent: arm", ev->arm_ns, w->arm_ns);
    check_ratio("vs libevent: cancel, arm order", ev->cancel_ns, w->cancel_ns);
    check_ratio("vs libevent: cancel, random order", ev->cancel_rand_ns, w->cancel_rand_ns);
  }
  if (evn && nw) {
    snprintf(buf, sizeof buf, "vs libevent: expire (%s)", narrow);
    check_ratio(buf, evn->expire_ns, nw->expire_ns);
  }
}

static void print_scaling(size_t n_small, size_t n_big, const char *spread) {
  const tb_result *a = find_row("siphb wheel", spread, n_small);
  const tb_result *b = find_row("siphb wheel", spread, n_big);
  if (!a || !b) return;
  printf("  siphb wheel %-7s N=%zu / N=%zu per-op cost: arm %.2fx  cancel %.2fx  "
         "cancel-rnd %.2fx  expire %.2fx\n",
         spread, n_big, n_small, b->arm_ns / a->arm_ns, b->cancel_ns / a->cancel_ns,
         b->cancel_rand_ns / a->cancel_rand_ns, b->expire_ns / a->expire_ns);
}

static void usage(void) {
  fprintf(stderr,
          "usage: bench_timers [--n N] [--reps R] [--only siphb|libevent|libuv]\n"
          "                    [--wide-ms MS] [--narrow-ms MS] [--seed S] [--verbose]\n");
  exit(2);
}

static void add_row(const tb_result *r, uint64_t t_start) {
  if (g_nrows >= MAX_ROWS) return;
  g_rows[g_nrows++] = *r;
  print_row(r);
  printf("    %s  [%.1f s]\n", r->note, (double)(bench_now_ns() - t_start) / 1e9);
  fflush(stdout);
}

int main(int argc, char **argv) {
  size_t ns[4] = {1000000, 10000000};
  int n_count = 2;
  int reps = 0; /* 0: 5 for N <= 1,000,000, 3 above */
  unsigned only = LIB_SIPHB | LIB_LIBEVENT | LIB_LIBUV;
  uint64_t wide_ms = 60000, narrow_ms = 1000, seed = 0x5150B0A7D1E5EEDu;
  bool verbose = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
    if (strcmp(a, "--n") == 0 && v) {
      ns[0] = (size_t)strtoull(v, NULL, 0);
      n_count = 1;
      i++;
    } else if (strcmp(a, "--reps") == 0 && v) {
      reps = atoi(v);
      i++;
    } else if (strcmp(a, "--only") == 0 && v) {
      if (strcmp(v, "siphb") == 0)
        only = LIB_SIPHB;
      else if (strcmp(v, "libevent") == 0)
        only = LIB_LIBEVENT;
      else if (strcmp(v, "libuv") == 0)
        only = LIB_LIBUV;
      else
        usage();
      i++;
    } else if (strcmp(a, "--wide-ms") == 0 && v) {
      wide_ms = strtoull(v, NULL, 0);
      i++;
    } else if (strcmp(a, "--narrow-ms") == 0 && v) {
      narrow_ms = strtoull(v, NULL, 0);
      i++;
    } else if (strcmp(a, "--seed") == 0 && v) {
      seed = strtoull(v, NULL, 0);
      i++;
    } else if (strcmp(a, "--verbose") == 0) {
      verbose = true;
    } else {
      usage();
    }
  }
  if (reps < 0 || reps > 64 || wide_ms < 1 || narrow_ms < 1 || narrow_ms > 10000) usage();
  for (int k = 0; k < n_count; k++)
    if (ns[k] < 1 || ns[k] > UINT32_MAX) usage();

  char wide_name[32], narrow_name[32];
  snprintf(wide_name, sizeof wide_name, "1ms-%gs", (double)wide_ms / 1000.0);
  snprintf(narrow_name, sizeof narrow_name, "1ms-%gs", (double)narrow_ms / 1000.0);

  char reps_text[48];
  if (reps)
    snprintf(reps_text, sizeof reps_text, "%d", reps);
  else
    snprintf(reps_text, sizeof reps_text, "5 at N <= 1000000, 3 above");
  printf("bench_timers: reps %s (median reported), seed 0x%" PRIx64
         ", deadlines uniform in [1, %" PRIu64 "] ms (%s) and [1, %" PRIu64 "] ms (%s)\n",
         reps_text, seed, wide_ms, wide_name, narrow_ms, narrow_name);
  const char *evv = tb_libevent_version(), *uvv = tb_libuv_version();
  printf("libevent: %s\n", evv ? evv : "not built in: skipped");
  printf("libuv:    %s\n", uvv ? uvv : "not built in: skipped");
  print_header();
  fflush(stdout);

  for (int k = 0; k < n_count; k++) {
    size_t n = ns[k];
    uint64_t *delay = malloc(n * sizeof *delay);
    uint32_t *perm = malloc(n * sizeof *perm);
    if (!delay || !perm) {
      fprintf(stderr, "bench_timers: out of memory\n");
      return 1;
    }
    uint64_t st = seed ^ 0x7065726Du; /* "perm" */
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
      size_t j = (size_t)uniform(&st, (uint64_t)i + 1);
      uint32_t tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    if (only & LIB_SIPHB) {
      tb_workload fw = {0};
      fw.n = n;
      fw.perm = perm;
      fw.reps = reps ? reps : (n <= 1000000 ? 5 : 3);
      tb_measure_floor(&fw, &g_floor[k]);
      printf("%-12s %-8s %10zu  independent %.1f ns/node, dependent %.1f ns/node\n",
             "memory floor", "-", n, g_floor[k].independent_ns, g_floor[k].dependent_ns);
    }
    for (int sp = 0; sp < 2; sp++) {
      uint64_t spread = sp == 0 ? wide_ms : narrow_ms;
      st = seed; /* the same stream for both spreads */
      for (size_t i = 0; i < n; i++) delay[i] = 1 + uniform(&st, spread);
      tb_workload wl;
      wl.n = n;
      wl.delay_ms = delay;
      wl.perm = perm;
      wl.spread_ms = spread;
      wl.spread_name = sp == 0 ? wide_name : narrow_name;
      wl.real_expire = spread <= 10000;
      wl.reps = reps ? reps : (n <= 1000000 ? 5 : 3);
      wl.verbose = verbose;
      tb_result r;
      uint64_t t;
      if (only & LIB_SIPHB) {
        t = bench_now_ns();
        tb_run_siphb_wheel(&wl, &r);
        add_row(&r, t);
        t = bench_now_ns();
        tb_run_siphb_timer(&wl, &r);
        add_row(&r, t);
      }
      if (only & LIB_LIBEVENT) {
        t = bench_now_ns();
        if (tb_run_libevent(&wl, &r) == 0) add_row(&r, t);
      }
      if (only & LIB_LIBUV) {
        t = bench_now_ns();
        if (tb_run_libuv(&wl, &r) == 0) add_row(&r, t);
      }
    }
    free(delay);
    free(perm);
  }

  printf("\nratios (peer ns / siphb ns; > 1 means siphb is faster; bytes: peer / siphb):\n");
  for (int k = 0; k < n_count; k++)
    for (int sp = 0; sp < 2; sp++) {
      print_ratios("siphb wheel", sp == 0 ? wide_name : narrow_name, ns[k]);
      print_ratios("siphb_timer", sp == 0 ? wide_name : narrow_name, ns[k]);
    }
  if (n_count == 2) {
    printf("\nscaling:\n");
    print_scaling(ns[0], ns[1], wide_name);
    print_scaling(ns[0], ns[1], narrow_name);
  }
  printf("\n");
  for (int k = 0; k < n_count; k++) {
    print_targets(ns[k], wide_name, narrow_name);
    if (only & LIB_SIPHB) print_floor(ns[k], &g_floor[k], wide_name, narrow_name);
  }
  return 0;
}
