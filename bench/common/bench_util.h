/*
 * bench_util.h - what every benchmark program here shares: a monotonic
 * clock, the median of repetitions, a calibrated measurement loop, the
 * fixed-seed splitmix64 stream that gives every library the same inputs,
 * option-list parsing and the failure exit.
 */
#ifndef SIPHB_BENCH_UTIL_H
#define SIPHB_BENCH_UTIL_H

#include <stdarg.h>
#include <stdint.h>

/* Monotonic time in ns (CLOCK_MONOTONIC). */
uint64_t bench_now_ns(void);
/* Median of v[0..n-1] (reorders v). */
double bench_median(double *v, int n);
/* The next value of a splitmix64 stream kept in *state. */
uint64_t bench_splitmix64(uint64_t *state);

/* Performs n operations and returns the elapsed ns. */
typedef double (*bench_run_fn)(void *arg, uint64_t n);

#define BENCH_REPS_MAX 64

/* Calibrates n (growing it until one call of run takes 10 ms), sizes it
 * for about time_ms per repetition, then runs `reps` repetitions
 * (1..BENCH_REPS_MAX). Returns the median ns per operation; *lo and *hi
 * (if not NULL) get the fastest and slowest repetition, *per_rep (if not
 * NULL) the operations per repetition. */
double bench_measure(bench_run_fn run, void *arg, int reps, double time_ms, double *lo, double *hi,
                     uint64_t *per_rep);

/* The bit mask of the comma-separated keys in list (bit k for keys[k]), or
 * 0 if an element is not one of them. */
unsigned bench_parse_list(const char *list, const char *const *keys, int nkeys);

/* Prints "<prog>: FAIL: <who>: <message>" on stderr and exits 1: a
 * benchmark that reads wrong values is no benchmark. */
void bench_fail(const char *prog, const char *who, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), noreturn))
#endif
    ;
void bench_vfail(const char *prog, const char *who, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0), noreturn))
#endif
    ;

#endif
