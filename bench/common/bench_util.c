/* bench_util.c - see bench_util.h. */
#include "bench_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return (n % 2) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

uint64_t bench_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

double bench_measure(bench_run_fn run, void *arg, int reps, double time_ms, double *lo, double *hi,
                     uint64_t *per_rep) {
  uint64_t n = 1;
  double t;
  for (;;) {
    t = run(arg, n);
    if (t >= 10e6 || n >= (1u << 30)) break;
    n *= 4;
  }
  double want = time_ms * 1e6 / (t / (double)n);
  n = want < 1 ? 1 : (uint64_t)want;
  if (reps < 1) reps = 1;
  if (reps > BENCH_REPS_MAX) reps = BENCH_REPS_MAX;
  double s[BENCH_REPS_MAX];
  for (int r = 0; r < reps; r++) s[r] = run(arg, n) / (double)n;
  double m = bench_median(s, reps); /* sorts s */
  if (lo) *lo = s[0];
  if (hi) *hi = s[reps - 1];
  if (per_rep) *per_rep = n;
  return m;
}

unsigned bench_parse_list(const char *list, const char *const *keys, int nkeys) {
  unsigned mask = 0;
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    int k;
    for (k = 0; k < nkeys; k++)
      if (strlen(keys[k]) == n && strncmp(p, keys[k], n) == 0) break;
    if (k == nkeys) return 0;
    mask |= 1u << k;
    p += n;
    if (*p == ',') p++;
  }
  return mask;
}

void bench_vfail(const char *prog, const char *who, const char *fmt, va_list ap) {
  fprintf(stderr, "%s: FAIL: %s: ", prog, who);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  exit(1);
}

void bench_fail(const char *prog, const char *who, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  bench_vfail(prog, who, fmt, ap);
}
