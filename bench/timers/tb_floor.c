/*
 * tb_floor.c - what this machine's memory allows, measured on the same N and
 * the same random permutation as the timers: the cost of touching each of N
 * timer-sized nodes once in random order.
 *
 *   independent  the next node's address is known ahead (an array of
 *                pointers), so the CPU overlaps the cache misses; a software
 *                prefetch 16 nodes ahead helps it. This is the floor for any
 *                timer structure whose expiry or cancel must write the
 *                timer's own memory: no design goes below it.
 *   dependent    the next address is read from the current node (a linked
 *                list walked in random memory order): one full memory
 *                latency per node. A list-based wheel pays this when it
 *                walks a slot whose nodes are cold.
 */
#include "tb.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct floor_node {
  struct floor_node *next;
  void *prev;
  uint64_t deadline;
  void *fire;
} floor_node; /* the size of siphb's wheel node */

void tb_measure_floor(const tb_workload *wl, tb_floor *out) {
  const size_t n = wl->n;
  const uint32_t *perm = wl->perm;
  floor_node *nodes = calloc(n, sizeof *nodes);
  if (!nodes) {
    fprintf(stderr, "bench_timers: out of memory\n");
    exit(1);
  }
  /* The chain visits nodes in perm order: perm[i] -> perm[i+1]. */
  for (size_t i = 0; i + 1 < n; i++) nodes[perm[i]].next = &nodes[perm[i + 1]];
  nodes[perm[n - 1]].next = NULL;

  double indep[64], dep[64];
  int reps = wl->reps < 64 ? wl->reps : 64;
  for (int rep = 0; rep < reps; rep++) {
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < n; i++) {
      if (i + 16 < n) __builtin_prefetch(&nodes[perm[i + 16]], 1);
      nodes[perm[i]].deadline++;
    }
    uint64_t t1 = bench_now_ns();
    size_t walked = 0;
    for (floor_node *p = &nodes[perm[0]]; p; p = p->next) {
      p->deadline++;
      walked++;
    }
    uint64_t t2 = bench_now_ns();
    if (walked != n) tb_fail("memory floor", "nodes walked", walked, n);
    indep[rep] = (double)(t1 - t0) / (double)n;
    dep[rep] = (double)(t2 - t1) / (double)n;
  }
  out->independent_ns = bench_median(indep, reps);
  out->dependent_ns = bench_median(dep, reps);
  free(nodes);
}
