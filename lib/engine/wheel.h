/*
 * wheel.h - the hierarchical timer wheel every siphb scheduler uses
 * (internal; not installed).
 *
 * Six levels of 64 slots, 1 ms per level-0 slot, each level 64 times coarser:
 * level L holds timers whose deadline first differs from the wheel's cursor
 * (`elapsed`) in bits 6L..6L+5. A timer is placed by one XOR and one
 * count-leading-zeros, so arm, re-arm and cancel are O(1); nodes are
 * intrusive (embedded in their owner), so arming never allocates. A node is
 * 32 bytes on 64-bit targets.
 *
 * Ordering: advance() visits slots in time order and moves ("cascades") a
 * coarse slot's timers down a level when the cursor reaches the slot's start.
 * Because placement is always relative to the cursor, two timers with the
 * same deadline end up in the same slot list in the order they were armed:
 * timers due in the same millisecond fire in arm order (FIFO).
 *
 * Range: deadlines up to 2^35 ms (about 397 days) ahead are placed directly;
 * later ones are parked at the horizon and re-placed when it is reached, so
 * any deadline below SIPHB_NEVER works (FIFO is then kept only among
 * timers placed directly).
 *
 * next_deadline() is exact: for a coarse slot it needs the earliest deadline
 * among the slot's nodes, which the wheel keeps per slot (3 KB) instead of
 * walking the list each time the cache is invalidated; with 100,000 timers a
 * level-1 slot holds hundreds of nodes, a cache miss each.
 */
#ifndef SIPHB_LIB_WHEEL_H
#define SIPHB_LIB_WHEEL_H

#include <siphb/common.h>

#define SIPHB_WHEEL_LEVELS 6
#define SIPHB_WHEEL_SLOT_BITS 6
#define SIPHB_WHEEL_SLOTS (1u << SIPHB_WHEEL_SLOT_BITS)
/* Farthest deadline placed directly, relative to the cursor. */
#define SIPHB_WHEEL_HORIZON ((siphb_ms)1 << 35)

typedef struct siphb_wheel_link {
  struct siphb_wheel_link *next;
  struct siphb_wheel_link *prev;
} siphb_wheel_link;

typedef struct siphb_wheel_node siphb_wheel_node;

/* Called when a node's deadline is reached. The node is already disarmed and
 * may be re-armed, cancelled or freed by the callee. `now` is the time given
 * to advance() (>= the node's deadline). Return 0 to go on; any other value
 * stops advance(), which returns it and keeps every timer not yet fired. */
typedef int (*siphb_wheel_fire_fn)(siphb_wheel_node *node, siphb_ms now, void *arg);

struct siphb_wheel_node {
  siphb_wheel_link link; /* first member: a link pointer is the node pointer */
  siphb_ms deadline;
  siphb_wheel_fire_fn fire;
};

typedef struct siphb_wheel {
  siphb_ms elapsed;                       /* cursor: everything <= it has fired */
  uint64_t occupied[SIPHB_WHEEL_LEVELS];  /* bit i set <=> slot i not empty */
  size_t count;                           /* armed nodes */
  siphb_ms next_cache;                    /* exact next deadline when valid */
  bool next_cache_valid;
  /* Per coarse slot (levels 1 to 4), the earliest deadline in it, known when
   * its bit in min_known is set: kept up by place() and forgotten when the
   * node holding it leaves, so that next_deadline() walks a slot of a big
   * fleet only after that, not after every advance. */
  uint64_t min_known[SIPHB_WHEEL_LEVELS];
  siphb_ms slot_min[SIPHB_WHEEL_LEVELS * SIPHB_WHEEL_SLOTS];
  siphb_wheel_link slots[SIPHB_WHEEL_LEVELS * SIPHB_WHEEL_SLOTS];
} siphb_wheel;

void siphb_wheel_init(siphb_wheel *w, siphb_ms now);

/* Prepares a node (disarmed). */
void siphb_wheel_node_init(siphb_wheel_node *node, siphb_wheel_fire_fn fire);

static inline bool siphb_wheel_node_armed(const siphb_wheel_node *node) {
  return node->link.next != NULL;
}

/* Arms (or re-arms) node to fire at `deadline`. A deadline at or before the
 * cursor fires at the next advance(); SIPHB_NEVER disarms. */
void siphb_wheel_arm(siphb_wheel *w, siphb_wheel_node *node, siphb_ms deadline);

/* Disarms node; a disarmed node is left alone. */
void siphb_wheel_cancel(siphb_wheel *w, siphb_wheel_node *node);

/* Earliest armed deadline (never later than the real one; exact for
 * deadlines within the horizon), or SIPHB_NEVER. */
siphb_ms siphb_wheel_next_deadline(siphb_wheel *w);

/* Fires every node with deadline <= now in deadline order, passing `arg` to
 * the fire functions. Returns 0, or the first non-zero value a fire function
 * returned (then the cursor stays at that deadline). */
int siphb_wheel_advance(siphb_wheel *w, siphb_ms now, void *arg);

static inline size_t siphb_wheel_count(const siphb_wheel *w) { return w->count; }

#endif /* SIPHB_LIB_WHEEL_H */
