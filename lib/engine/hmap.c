/*
 * hmap.c - the intrusive hash map (engine/hmap.h) and its keyed hash,
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012: two compression rounds per 8-byte word, four finalisation rounds).
 */
#include "engine/hmap.h"

#include <string.h>

#include "base/assert.h"

static inline uint64_t load_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static inline uint64_t rotl(uint64_t x, unsigned r) { return (x << r) | (x >> (64u - r)); }

/* `rounds` SipRounds on the state v[0..3]. A loop rather than unrolled:
 * the inputs are short (a branch, a transaction id, a peer), and on a
 * Cortex-M the unrolled rounds cost a kilobyte of code. */
static void sip_rounds(uint64_t v[4], unsigned rounds) {
  while (rounds--) {
    v[0] += v[1];
    v[1] = rotl(v[1], 13);
    v[1] ^= v[0];
    v[0] = rotl(v[0], 32);
    v[2] += v[3];
    v[3] = rotl(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = rotl(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = rotl(v[1], 17);
    v[1] ^= v[2];
    v[2] = rotl(v[2], 32);
  }
}

/* Absorbs one 8-byte word: two compression rounds (SipHash-2-4). */
static void sip_absorb(uint64_t v[4], uint64_t m) {
  v[3] ^= m;
  sip_rounds(v, 2);
  v[0] ^= m;
}

static uint64_t siphash24(const uint64_t key[2], const uint8_t *p, size_t len) {
  uint64_t v[4] = {key[0] ^ UINT64_C(0x736f6d6570736575), key[1] ^ UINT64_C(0x646f72616e646f6d),
                   key[0] ^ UINT64_C(0x6c7967656e657261), key[1] ^ UINT64_C(0x7465646279746573)};
  size_t whole = len & ~(size_t)7;
  for (size_t i = 0; i < whole; i += 8) sip_absorb(v, load_le64(p + i));
  /* The last word: the remaining bytes and the length's low byte on top. */
  uint64_t b = (uint64_t)len << 56;
  for (size_t i = whole; i < len; i++) b |= (uint64_t)p[i] << (8 * (i - whole));
  sip_absorb(v, b);
  v[2] ^= 0xff;
  sip_rounds(v, 4); /* four finalisation rounds */
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

void siphb_hmap_init(siphb_hmap *m, const uint8_t key[16]) {
  memset(m, 0, sizeof *m);
  m->key[0] = load_le64(key);
  m->key[1] = load_le64(key + 8);
}

void siphb_hmap_free(siphb_hmap *m, siphb_alloc *a) {
  if (m->buckets) siphb_alloc_free(a, m->buckets, (m->mask + 1) * sizeof *m->buckets);
  m->buckets = NULL;
  m->mask = 0;
  m->count = 0;
  m->reserved = 0;
}

uint64_t siphb_hmap_hash(const siphb_hmap *m, const void *data, size_t len) {
  return siphash24(m->key, (const uint8_t *)data, len);
}

static void link_node(siphb_hmap_node **head, siphb_hmap_node *n) {
  n->next = *head;
  if (*head) (*head)->pprev = &n->next;
  n->pprev = head;
  *head = n;
}

int siphb_hmap_reserve(siphb_hmap *m, siphb_alloc *a, size_t more) {
  if (more > SIZE_MAX / 2 - m->reserved) return SIPHB_ERR_NOMEM;
  size_t want = m->reserved + more;
  size_t have = m->buckets ? m->mask + 1 : 0;
  if (want > have) {
    size_t n = 8;
    while (n < want) n <<= 1;
    siphb_hmap_node **b = siphb_alloc_array(a, n, sizeof *b);
    if (!b) return SIPHB_ERR_NOMEM;
    /* Re-link every entry by its stored hash; order within a bucket does
     * not matter. */
    for (size_t i = 0; i < have; i++) {
      siphb_hmap_node *node = m->buckets[i];
      while (node) {
        siphb_hmap_node *next = node->next;
        link_node(&b[node->hash & (n - 1)], node);
        node = next;
      }
    }
    if (m->buckets) siphb_alloc_free(a, m->buckets, have * sizeof *m->buckets);
    m->buckets = b;
    m->mask = n - 1;
  }
  m->reserved = want;
  return 0;
}

void siphb_hmap_unreserve(siphb_hmap *m, size_t fewer) {
  m->reserved = fewer > m->reserved ? 0 : m->reserved - fewer;
}

void siphb_hmap_insert(siphb_hmap *m, siphb_hmap_node *n, uint64_t hash) {
  SIPHB_ASSERT(m->buckets && m->count < m->reserved && !n->pprev);
  n->hash = hash;
  link_node(&m->buckets[hash & m->mask], n);
  m->count++;
}

void siphb_hmap_remove(siphb_hmap *m, siphb_hmap_node *n) {
  if (!n->pprev) return;
  *n->pprev = n->next;
  if (n->next) n->next->pprev = n->pprev;
  n->next = NULL;
  n->pprev = NULL;
  m->count--;
}

siphb_hmap_node *siphb_hmap_find(const siphb_hmap *m, uint64_t hash) {
  if (!m->buckets) return NULL;
  siphb_hmap_node *n = m->buckets[hash & m->mask];
  while (n && n->hash != hash) n = n->next;
  return n;
}

siphb_hmap_node *siphb_hmap_find_next(const siphb_hmap_node *n) {
  siphb_hmap_node *next = n->next;
  while (next && next->hash != n->hash) next = next->next;
  return next;
}
