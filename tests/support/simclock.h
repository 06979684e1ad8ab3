/*
 * simclock.h - drive a ctx in simulated time and record what it does.
 *
 * A sim owns a ctx created with recording callbacks. sim_run_until() plays
 * the integrator's loop: ask next_deadline, jump the clock there, advance,
 * repeat until the target time, so scenario tests read as "run 30 s, expect
 * these events at these milliseconds".
 */
#ifndef SIPHB_TEST_SIMCLOCK_H
#define SIPHB_TEST_SIMCLOCK_H

#include <siphb/siphb.h>

#include "failmem.h"

#define SIM_MAX_RECORDS 4096

typedef struct sim_record {
  siphb_ms at;         /* the clock when it happened */
  siphb_event event;   /* copy (payload pointers are not kept) */
} sim_record;

/* One send, as the send callback saw it. */
#define SIM_MAX_SEND_BYTES 1500
#define SIM_MAX_SENDS 512
typedef struct sim_send {
  siphb_ms at;
  siphb_send_info info;
  uint8_t data[SIM_MAX_SEND_BYTES];
  size_t len; /* the bytes offered (data keeps the first SIM_MAX_SEND_BYTES) */
} sim_send;

typedef struct sim sim;

/* Decides what the send callback returns (0 by default): SIPHB_ERR_SEND to
 * refuse a send; may act on the ctx like an event hook. */
typedef int (*sim_send_hook)(sim *s, const sim_send *send);

/* Called after each recorded event, inside the event callback; may act on
 * the ctx (delete objects, start timers). Return non-zero to fail the event
 * callback. */
typedef int (*sim_event_hook)(sim *s, const siphb_event *ev);

struct sim {
  siphb_ctx *ctx;
  siphb_ms now;
  sim_record records[SIM_MAX_RECORDS];
  size_t nrecords;
  size_t advances;     /* advance calls made by sim_run_until */
  sim_event_hook hook;
  void *hook_arg;
  unsigned random_calls;
  sim_send sends[SIM_MAX_SENDS];
  size_t nsends;
  sim_send_hook send_hook;
};

/* Creates the ctx at time `start` with the given allocator (NULL = libc)
 * and budget. Returns 0 or the siphb error. */
int sim_init(sim *s, siphb_ms start, const siphb_mem *mem, size_t budget);
void sim_free(sim *s);

/* A sim on the heap (cmocka's test_malloc) at time 0 with the allocator
 * (NULL = libc): NULL, and *rv the error, when the ctx cannot be made.
 * sim_delete() frees the ctx and the sim (NULL accepted). */
sim *sim_new(const siphb_mem *mem, int *rv);
void sim_delete(sim *s);

/* The allocation-failure sweep's scenario for objects of one kind: makes
 * up to `count` of them on a sim over fm (make: create and start the
 * i-th, return 0 or the error with *obj untouched), until one fails; a
 * failed make must leave the ctx's memory (beyond the module's state and
 * buckets, a high-water mark) and next deadline as they were; then runs
 * to `until` and expects `sends_each` sends per object made, deletes the
 * first (del), and frees everything. Returns what failmem_sweep expects. */
typedef int (*sim_make_fn)(sim *s, size_t i, void **obj);
typedef void (*sim_del_fn)(void *obj);
typedef struct sim_sweep {
  size_t count;
  sim_make_fn make;
  sim_del_fn del;
  siphb_ms until;
  size_t sends_each;
} sim_sweep;
/* A failmem_scenario: arg is a const sim_sweep. */
int sim_sweep_objects(failmem *fm, void *arg);

/* Runs the loop until the clock reaches `until` (inclusive), always waking
 * exactly at next_deadline. Returns 0 or the first advance error. */
int sim_run_until(sim *s, siphb_ms until);

/* Number of recorded events of a type. */
size_t sim_count(const sim *s, siphb_event_type type);

#endif /* SIPHB_TEST_SIMCLOCK_H */
