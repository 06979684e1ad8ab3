/*
 * wheel.c - hierarchical timer wheel (see wheel.h for the scheme).
 *
 * Invariants, with e = w->elapsed:
 *  - a node in level L, slot i has a placement deadline p >= e whose highest
 *    6-bit digit differing from e is digit L (L < top level), so i is at or
 *    after e's own digit at that level; the top level also takes what crosses
 *    a 2^36 boundary, with slot indexes taken modulo 64 (the horizon of 2^35
 *    keeps them unambiguous);
 *  - occupied[L] bit i is set exactly when slot (L, i) is not empty.
 */
#include "engine/wheel.h"

#include "base/assert.h"
#include "base/bits.h"

#define TOP (SIPHB_WHEEL_LEVELS - 1)
#define SLOT_MASK ((uint64_t)SIPHB_WHEEL_SLOTS - 1)

static inline void list_init(siphb_wheel_link *head) {
  head->next = head;
  head->prev = head;
}

static inline bool list_empty(const siphb_wheel_link *head) { return head->next == head; }

static inline void list_append(siphb_wheel_link *head, siphb_wheel_link *link) {
  link->prev = head->prev;
  link->next = head;
  head->prev->next = link;
  head->prev = link;
}

/* Moves every link of `from` to the empty list `to`. */
static inline void list_move(siphb_wheel_link *from, siphb_wheel_link *to) {
  if (list_empty(from)) {
    list_init(to);
    return;
  }
  to->next = from->next;
  to->prev = from->prev;
  to->next->prev = to;
  to->prev->next = to;
  list_init(from);
}

/* Puts every link of `from` before those of `head`. */
static inline void list_prepend_all(siphb_wheel_link *head, siphb_wheel_link *from) {
  if (list_empty(from)) return;
  siphb_wheel_link *first = from->next, *last = from->prev;
  last->next = head->next;
  head->next->prev = last;
  head->next = first;
  first->prev = head;
  list_init(from);
}

void siphb_wheel_init(siphb_wheel *w, siphb_ms now) {
  w->elapsed = now;
  w->count = 0;
  w->next_cache = SIPHB_NEVER;
  w->next_cache_valid = true;
  for (unsigned l = 0; l < SIPHB_WHEEL_LEVELS; l++) w->occupied[l] = w->min_known[l] = 0;
  for (unsigned i = 0; i < SIPHB_WHEEL_LEVELS * SIPHB_WHEEL_SLOTS; i++) list_init(&w->slots[i]);
}

void siphb_wheel_node_init(siphb_wheel_node *node, siphb_wheel_fire_fn fire) {
  node->link.next = NULL;
  node->link.prev = NULL;
  node->deadline = SIPHB_NEVER;
  node->fire = fire;
}

/* The slot (level * 64 + index) a deadline is placed in, relative to the
 * current cursor. By the invariants above, an armed node is found in the
 * slot this names for its deadline until the cursor reaches that slot,
 * except a node parked at the horizon (whose placement used an older
 * cursor). */
static size_t slot_of(const siphb_wheel *w, siphb_ms deadline) {
  siphb_ms e = w->elapsed;
  siphb_ms p = deadline;
  if (p < e) p = e; /* already due: fires at the next advance */
  if (p - e > SIPHB_WHEEL_HORIZON) p = e + SIPHB_WHEEL_HORIZON; /* parked at the horizon */
  /* `| SLOT_MASK` keeps the XOR non-zero; anything below 64 is level 0. */
  unsigned level = siphb_bit_high((p ^ e) | SLOT_MASK) / SIPHB_WHEEL_SLOT_BITS;
  if (level > TOP) level = TOP;
  unsigned slot = (unsigned)((p >> (level * SIPHB_WHEEL_SLOT_BITS)) & SLOT_MASK);
  return level * SIPHB_WHEEL_SLOTS + slot;
}

static inline bool min_is_known(const siphb_wheel *w, size_t index) {
  return (w->min_known[index / SIPHB_WHEEL_SLOTS] >> (index % SIPHB_WHEEL_SLOTS)) & 1;
}

static inline void min_forget(siphb_wheel *w, size_t index) {
  w->min_known[index / SIPHB_WHEEL_SLOTS] &= ~((uint64_t)1 << (index % SIPHB_WHEEL_SLOTS));
}

/* Records a coarse slot's minimum; kept for levels 1 to TOP - 1 only (see
 * forget_min_of), so min_known never has a bit set at level 0 or the top. */
static inline void min_remember(siphb_wheel *w, size_t index, siphb_ms deadline) {
  unsigned level = (unsigned)(index / SIPHB_WHEEL_SLOTS);
  if (level == 0 || level == TOP) return;
  w->slot_min[index] = deadline;
  w->min_known[level] |= (uint64_t)1 << (index % SIPHB_WHEEL_SLOTS);
}

/* Links a disarmed node into the slot its deadline calls for. */
static void place(siphb_wheel *w, siphb_wheel_node *node) {
  size_t index = slot_of(w, node->deadline);
  unsigned level = (unsigned)(index / SIPHB_WHEEL_SLOTS);
  uint64_t bit = (uint64_t)1 << (index % SIPHB_WHEEL_SLOTS);
  list_append(&w->slots[index], &node->link);
  if (!(w->occupied[level] & bit)) /* the first node: its deadline is the minimum */
    min_remember(w, index, node->deadline);
  else if (min_is_known(w, index) && node->deadline < w->slot_min[index])
    w->slot_min[index] = node->deadline;
  w->occupied[level] |= bit;
}

static inline bool link_in_slots(const siphb_wheel *w, const siphb_wheel_link *link) {
  /* Compared as integers: the link may be a list head outside the array. */
  uintptr_t p = (uintptr_t)link;
  return p >= (uintptr_t)&w->slots[0] &&
         p < (uintptr_t)&w->slots[SIPHB_WHEEL_LEVELS * SIPHB_WHEEL_SLOTS];
}

/* Forgets the minimum of the slot `node` is in when the node may hold it.
 * Called before the node leaves a slot, except when advance() takes a whole
 * slot (which forgets that slot's minimum itself). Minima are kept for the
 * levels between 0 and the top only: the top level holds the nodes parked
 * at the horizon, which slot_of() cannot find again, and is walked instead
 * (it is the first slot only when nothing is due within 2^30 ms). */
static void forget_min_of(siphb_wheel *w, const siphb_wheel_node *node) {
  size_t index = slot_of(w, node->deadline);
  if (min_is_known(w, index) && w->slot_min[index] == node->deadline) min_forget(w, index);
}

/* Unlinks an armed node; clears the slot's bit when it was the last one. */
static void unlink_node(siphb_wheel *w, siphb_wheel_node *node) {
  siphb_wheel_link *prev = node->link.prev, *next = node->link.next;
  prev->next = next;
  next->prev = prev;
  node->link.next = NULL;
  node->link.prev = NULL;
  /* In a circular list with a head, prev == next after unlinking means only
   * the head is left. The head may also be advance()'s private list. */
  if (prev == next && link_in_slots(w, prev)) {
    size_t index = (size_t)(prev - w->slots);
    w->occupied[index / SIPHB_WHEEL_SLOTS] &= ~((uint64_t)1 << (index % SIPHB_WHEEL_SLOTS));
  }
}

void siphb_wheel_cancel(siphb_wheel *w, siphb_wheel_node *node) {
  if (!siphb_wheel_node_armed(node)) return;
  forget_min_of(w, node);
  unlink_node(w, node);
  w->count--;
  if (node->deadline == w->next_cache) w->next_cache_valid = false;
  node->deadline = SIPHB_NEVER;
}

void siphb_wheel_arm(siphb_wheel *w, siphb_wheel_node *node, siphb_ms deadline) {
  siphb_wheel_cancel(w, node);
  if (deadline == SIPHB_NEVER) return;
  node->deadline = deadline;
  place(w, node);
  w->count++;
  if (w->next_cache_valid && deadline < w->next_cache) w->next_cache = deadline;
}

/* The first non-empty slot in time order: its level, index and start time.
 * Lower levels always come first: a level-L slot lies inside the cursor's
 * current level-(L+1) slot, before every slot of the levels above. */
static bool first_slot(const siphb_wheel *w, unsigned *level_out, unsigned *slot_out,
                       siphb_ms *start_out) {
  siphb_ms e = w->elapsed;
  for (unsigned level = 0; level < SIPHB_WHEEL_LEVELS; level++) {
    uint64_t occupied = w->occupied[level];
    if (!occupied) continue;
    unsigned shift = level * SIPHB_WHEEL_SLOT_BITS;
    unsigned cur = (unsigned)((e >> shift) & SLOT_MASK);
    unsigned ahead; /* slots after the cursor's own at this level */
    if (level < TOP) {
      uint64_t later = occupied & (~(uint64_t)0 << cur);
      SIPHB_ASSERT(later == occupied);
      if (!later) continue;
      ahead = siphb_bit_low(later) - cur;
    } else {
      ahead = siphb_bit_low(siphb_rotr64(occupied, cur));
    }
    *level_out = level;
    *slot_out = (cur + ahead) & (unsigned)SLOT_MASK;
    *start_out = ((e >> shift) + ahead) << shift;
    return true;
  }
  return false;
}

siphb_ms siphb_wheel_next_deadline(siphb_wheel *w) {
  if (w->next_cache_valid) return w->next_cache;
  unsigned level, slot;
  siphb_ms start, next = SIPHB_NEVER;
  if (first_slot(w, &level, &slot, &start)) {
    if (level == 0) {
      next = start; /* every level-0 node in the slot is due at its start */
    } else {
      /* A coarse slot: the earliest of its nodes, walked for only when the
       * node holding the slot's minimum has left it. */
      size_t index = level * SIPHB_WHEEL_SLOTS + slot;
      if (min_is_known(w, index)) {
        next = w->slot_min[index];
      } else {
        const siphb_wheel_link *head = &w->slots[index];
        for (const siphb_wheel_link *l = head->next; l != head; l = l->next) {
          siphb_ms d = ((const siphb_wheel_node *)(const void *)l)->deadline;
          if (d < next) next = d;
        }
        min_remember(w, index, next);
      }
      /* Only timers parked beyond the horizon can lie past the slot; a later
       * slot may then hold an earlier deadline, so wake at the slot. */
      if (next - start >= (siphb_ms)1 << (level * SIPHB_WHEEL_SLOT_BITS)) next = start;
    }
    if (next < w->elapsed) next = w->elapsed;
  }
  w->next_cache = next;
  w->next_cache_valid = true;
  return next;
}

/* Fires the detached level-0 list `due` (all at time w->elapsed). On a
 * non-zero return the unfired rest goes back to the front of its slot. */
static int fire_list(siphb_wheel *w, siphb_wheel_link *due, unsigned slot, siphb_ms now,
                     void *arg) {
  while (!list_empty(due)) {
    siphb_wheel_node *node = (siphb_wheel_node *)(void *)due->next;
    unlink_node(w, node);
    w->count--;
    if (node->deadline > w->elapsed) {
      place(w, node); /* parked beyond the horizon: not due yet */
      w->count++;
      continue;
    }
    int rc = node->fire(node, now, arg);
    if (rc != 0) {
      siphb_wheel_link *head = &w->slots[slot];
      list_prepend_all(head, due);
      if (!list_empty(head)) w->occupied[0] |= (uint64_t)1 << slot;
      return rc;
    }
  }
  return 0;
}

int siphb_wheel_advance(siphb_wheel *w, siphb_ms now, void *arg) {
  if (now < w->elapsed) now = w->elapsed;
  w->next_cache_valid = false;
  unsigned level, slot;
  siphb_ms start;
  while (first_slot(w, &level, &slot, &start) && start <= now) {
    SIPHB_ASSERT(start >= w->elapsed);
    w->elapsed = start;
    siphb_wheel_link due;
    size_t index = level * SIPHB_WHEEL_SLOTS + slot;
    list_move(&w->slots[index], &due);
    w->occupied[level] &= ~((uint64_t)1 << slot);
    min_forget(w, index);
    if (level == 0) {
      int rc = fire_list(w, &due, slot, now, arg);
      if (rc != 0) return rc;
    } else {
      /* Cascade: re-place each node relative to the new cursor; order is
       * kept because they are appended in list order. */
      while (!list_empty(&due)) {
        siphb_wheel_node *node = (siphb_wheel_node *)(void *)due.next;
        unlink_node(w, node);
        place(w, node);
      }
    }
  }
  w->elapsed = now;
  return 0;
}
