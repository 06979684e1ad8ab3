/*
 * tb.h - shared pieces of the timer benchmark (bench_timers): the workload,
 * the result row, timing and memory helpers.
 */
#ifndef SIPHB_BENCH_TB_H
#define SIPHB_BENCH_TB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/bench_util.h"

/* One workload: N timers, their delays in arm order, and a random order for
 * the second cancel variant. Every library gets the same arrays. */
typedef struct tb_workload {
  size_t n;
  const uint64_t *delay_ms; /* relative deadline of timer i, ms, in [1, spread_ms] */
  const uint32_t *perm;     /* a random permutation of 0..n-1 */
  uint64_t spread_ms;       /* largest delay */
  const char *spread_name;  /* e.g. "1ms-60s" */
  bool real_expire;         /* peers: spread small enough to wait for in real time */
  int reps;
  bool verbose;
} tb_workload;

#define TB_NA (-1.0)

typedef struct tb_result {
  const char *library;
  const char *spread;
  size_t n;
  double arm_ns, cancel_ns, cancel_rand_ns, expire_ns; /* medians, ns/op; TB_NA = not run */
  double bytes;       /* bytes per armed timer */
  char note[200];
  bool ok;
} tb_result;

/* Sleeps until bench_now_ns() >= t. */
void tb_sleep_until_ns(uint64_t t);
/* Bytes currently held by malloc (in use + mmapped chunks). */
size_t tb_heap_bytes(void);
void tb_result_init(tb_result *r, const char *library, const tb_workload *wl);
/* Per-rep vectors of ns/op, reduced to medians into r. */
typedef struct tb_samples {
  double arm[64], cancel[64], cancel_rand[64], expire[64];
} tb_samples;
void tb_finish(tb_result *r, tb_samples *s, int reps, bool have_expire);
void tb_verbose_rep(const tb_workload *wl, const char *lib, int rep, const tb_samples *s,
                    bool have_expire);
/* Prints a failure and exits: a benchmark that miscounts is no benchmark. */
void tb_fail(const char *lib, const char *what, size_t got, size_t want);

/* The libraries. Each returns 0, or -1 when it was not built in. */
int tb_run_siphb_wheel(const tb_workload *wl, tb_result *r);
int tb_run_siphb_timer(const tb_workload *wl, tb_result *r);
int tb_run_libevent(const tb_workload *wl, tb_result *r);
int tb_run_libuv(const tb_workload *wl, tb_result *r);
const char *tb_libevent_version(void);
const char *tb_libuv_version(void);

/* The memory floor for N random-order node touches (tb_floor.c). */
typedef struct tb_floor {
  double independent_ns; /* per node, addresses known ahead (overlapped misses) */
  double dependent_ns;   /* per node, each address read from the previous node */
} tb_floor;
void tb_measure_floor(const tb_workload *wl, tb_floor *out);

/* Real-time expire: wait this long past the last arm before the one loop run. */
#define TB_REAL_MARGIN_MS 50

#endif
