/*
 * bench_util.h - what every benchmark program here shares: a monotonic
 * clock, the median of repetitions, and the fixed-seed splitmix64 stream
 * that gives every library the same inputs.
 */
#ifndef SIPHB_BENCH_UTIL_H
#define SIPHB_BENCH_UTIL_H

#include <stdint.h>

/* Monotonic time in ns (CLOCK_MONOTONIC). */
uint64_t bench_now_ns(void);
/* Median of v[0..n-1] (reorders v). */
double bench_median(double *v, int n);
/* The next value of a splitmix64 stream kept in *state. */
uint64_t bench_splitmix64(uint64_t *state);

#endif
