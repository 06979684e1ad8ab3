/*
 * failmem.h - an allocator for tests that fails on request and checks that
 * everything is freed.
 *
 * The allocation-failure sweep: run a scenario with the Nth allocation
 * failing, for N = 0, 1, 2, ... until a run completes without any injected
 * failure. Each run must free everything it allocated and must report the
 * failure cleanly (the scenario checks that the failed call left its object
 * unchanged).
 */
#ifndef SIPHB_TEST_FAILMEM_H
#define SIPHB_TEST_FAILMEM_H

#include <siphb/common.h>

typedef struct failmem {
  siphb_mem mem;        /* hand &fm->mem to siphb */
  long fail_at;         /* index of the allocation to fail; -1 = never */
  long allocs;          /* allocation calls so far (malloc, calloc, growing realloc) */
  long failures;        /* failures injected so far */
  long live_blocks;     /* blocks currently allocated */
  size_t live_bytes;    /* requested bytes currently allocated (approximate for realloc) */
} failmem;

void failmem_init(failmem *fm, long fail_at);

/* A scenario: returns 0 when it ran to the end, or the siphb error it
 * stopped on (which must be SIPHB_ERR_NOMEM when a failure was injected).
 * It must free everything before returning. */
typedef int (*failmem_scenario)(failmem *fm, void *arg);

/* Runs the sweep; fails the current cmocka test on a leak, on a scenario
 * that succeeds despite an injected failure being reported as error, or on
 * an error other than NOMEM. Returns the number of allocations of a full run. */
long failmem_sweep(failmem_scenario scenario, void *arg);

#endif /* SIPHB_TEST_FAILMEM_H */
