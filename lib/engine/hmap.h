/*
 * hmap.h - the intrusive hash map every module builds its lookups on
 * (internal; exported to the object layers): Via branch -> probe, STUN
 * transaction id -> flow, peer -> flows and probes, each map owned by its
 * module (in its ctx module slot, engine/ctx_int.h).
 *
 * Entries are nodes embedded in the objects, so inserting never allocates.
 * Only siphb_hmap_reserve() allocates: an object that will add entries
 * reserves room in its _new (the one call that may fail with NOMEM), and the
 * bucket array then holds at most one entry per bucket on average. Keys are
 * hashed with SipHash-2-4 under a 128-bit key drawn from the ctx's random
 * source, so that a peer cannot choose responses that pile up in one bucket.
 */
#ifndef SIPHB_LIB_ENGINE_HMAP_H
#define SIPHB_LIB_ENGINE_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"

typedef struct siphb_hmap_node {
  struct siphb_hmap_node *next;
  struct siphb_hmap_node **pprev; /* NULL when not in a map */
  uint64_t hash;
} siphb_hmap_node;

typedef struct siphb_hmap {
  siphb_hmap_node **buckets; /* NULL until the first reservation */
  size_t mask;               /* buckets - 1 (a power of two) */
  size_t count;              /* entries linked */
  size_t reserved;           /* entries room was reserved for */
  uint64_t key[2];           /* SipHash key */
} siphb_hmap;

/* An empty map hashing with `key` (16 bytes: from the ctx's random). */
void siphb_hmap_init(siphb_hmap *m, const uint8_t key[16]);

/* Frees the buckets (the nodes belong to their objects). */
void siphb_hmap_free(siphb_hmap *m, siphb_alloc *a);

/* SipHash-2-4 of data[0..len) under the map's key. */
uint64_t siphb_hmap_hash(const siphb_hmap *m, const void *data, size_t len);

/* Room for `more` entries beyond those reserved so far: grows the bucket
 * array to the power of two at or above the new total and re-links the
 * entries. Returns 0 or SIPHB_ERR_NOMEM (then nothing changed). */
int siphb_hmap_reserve(siphb_hmap *m, siphb_alloc *a, size_t more);

/* Gives back a reservation (the buckets stay: a ctx's high-water mark). */
void siphb_hmap_unreserve(siphb_hmap *m, size_t fewer);

/* Links n with `hash`; never allocates. The entry count must stay within
 * the reservation (asserted). n must not be linked already. */
void siphb_hmap_insert(siphb_hmap *m, siphb_hmap_node *n, uint64_t hash);

/* Unlinks n in O(1); a node that is not linked is left alone. */
void siphb_hmap_remove(siphb_hmap *m, siphb_hmap_node *n);

static inline bool siphb_hmap_linked(const siphb_hmap_node *n) { return n->pprev != NULL; }

/* The entries with `hash`, first to last (the caller compares its own key:
 * different keys may share a hash): find, then find_next until NULL. */
siphb_hmap_node *siphb_hmap_find(const siphb_hmap *m, uint64_t hash);
siphb_hmap_node *siphb_hmap_find_next(const siphb_hmap_node *n);

#endif /* SIPHB_LIB_ENGINE_HMAP_H */
