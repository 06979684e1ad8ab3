/*
 * test_hmap.c - the engine's intrusive hash map: SipHash-2-4 against the
 * reference vectors published with the algorithm, reservation (the only
 * allocation), insertion without allocation, O(1) removal, entries sharing
 * a hash, and growth that keeps every entry findable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/hmap.h"
#include "failmem.h"

static const uint8_t ref_key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

/* SipHash-2-4 of 00 01 02 ... (len bytes) under the key 00 01 ... 0f: the
 * reference outputs (Aumasson and Bernstein's test vectors). */
static void test_siphash_reference_vectors(void **state) {
  (void)state;
  static const struct {
    size_t len;
    uint64_t out;
  } v[] = {
      {0, UINT64_C(0x726fdb47dd0e0e31)},  {1, UINT64_C(0x74f839c593dc67fd)},
      {7, UINT64_C(0xab0200f58b01d137)},  {8, UINT64_C(0x93f5f5799a932462)},
      {15, UINT64_C(0xa129ca6149be45e5)}, {16, UINT64_C(0x3f2acc7f57c29bdb)},
      {63, UINT64_C(0x958a324ceb064572)},
  };
  uint8_t msg[64];
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)i;
  siphb_hmap m;
  siphb_hmap_init(&m, ref_key);
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    assert_int_equal(siphb_hmap_hash(&m, msg, v[i].len), v[i].out);
  /* another key, another hash */
  uint8_t other[16];
  memcpy(other, ref_key, sizeof other);
  other[15] ^= 1;
  siphb_hmap_init(&m, other);
  assert_int_not_equal(siphb_hmap_hash(&m, msg, 15), UINT64_C(0xa129ca6149be45e5));
}

typedef struct entry {
  siphb_hmap_node node;
  uint32_t key;
} entry;

static entry *entry_of(siphb_hmap_node *n) {
  return (entry *)(void *)((char *)n - offsetof(entry, node));
}

static entry *lookup(const siphb_hmap *m, uint32_t key) {
  uint64_t h = siphb_hmap_hash(m, &key, sizeof key);
  for (siphb_hmap_node *n = siphb_hmap_find(m, h); n; n = siphb_hmap_find_next(n))
    if (entry_of(n)->key == key) return entry_of(n);
  return NULL;
}

static void put(siphb_hmap *m, entry *e, uint32_t key) {
  e->key = key;
  siphb_hmap_insert(m, &e->node, siphb_hmap_hash(m, &key, sizeof key));
}

static void test_reserve_insert_find_remove(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_alloc a;
  assert_int_equal(siphb_alloc_init(&a, &fm.mem, 0), 0);
  siphb_hmap m;
  siphb_hmap_init(&m, ref_key);
  assert_null(siphb_hmap_find(&m, 42)); /* no buckets yet */
  static entry es[1000];
  memset(es, 0, sizeof es);
  /* Reserve in steps, as objects' _new would; the buckets grow while
   * entries are in the map and every entry stays findable. */
  size_t inserted = 0;
  for (size_t step = 0; step < 10; step++) {
    assert_int_equal(siphb_hmap_reserve(&m, &a, 100), 0);
    assert_true(m.mask + 1 >= m.reserved);
    long before = fm.allocs;
    for (size_t i = 0; i < 100; i++, inserted++) put(&m, &es[inserted], (uint32_t)inserted * 7u);
    assert_int_equal(fm.allocs, before); /* inserting never allocates */
    for (size_t i = 0; i < inserted; i++) assert_ptr_equal(lookup(&m, (uint32_t)i * 7u), &es[i]);
  }
  assert_int_equal(m.count, 1000);
  assert_int_equal(m.mask + 1, 1024);
  assert_null(lookup(&m, 3)); /* never inserted */
  /* Remove every other entry: the rest stay, the removed are gone. */
  for (size_t i = 0; i < 1000; i += 2) {
    siphb_hmap_remove(&m, &es[i].node);
    assert_false(siphb_hmap_linked(&es[i].node));
  }
  siphb_hmap_remove(&m, &es[0].node); /* not linked: left alone */
  assert_int_equal(m.count, 500);
  for (size_t i = 0; i < 1000; i++)
    assert_ptr_equal(lookup(&m, (uint32_t)i * 7u), i % 2 ? &es[i] : NULL);
  /* Giving back a reservation keeps the buckets (a high-water mark). */
  siphb_hmap_unreserve(&m, 600);
  assert_int_equal(m.reserved, 400);
  assert_int_equal(m.mask + 1, 1024);
  siphb_hmap_unreserve(&m, 5000);
  assert_int_equal(m.reserved, 0);
  for (size_t i = 1; i < 1000; i += 2) siphb_hmap_remove(&m, &es[i].node);
  assert_int_equal(m.count, 0);
  siphb_hmap_free(&m, &a);
  assert_int_equal(fm.live_blocks, 0);
  assert_int_equal(a.used, 0);
}

/* Different keys with the same hash: both found through find_next. */
static void test_entries_sharing_a_hash(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_alloc a;
  assert_int_equal(siphb_alloc_init(&a, &fm.mem, 0), 0);
  siphb_hmap m;
  siphb_hmap_init(&m, ref_key);
  assert_int_equal(siphb_hmap_reserve(&m, &a, 4), 0);
  entry x = {{0}, 1}, y = {{0}, 2}, z = {{0}, 3};
  siphb_hmap_insert(&m, &x.node, 77);
  siphb_hmap_insert(&m, &y.node, 77);
  siphb_hmap_insert(&m, &z.node, 77 + 8); /* same bucket, other hash */
  int seen = 0;
  for (siphb_hmap_node *n = siphb_hmap_find(&m, 77); n; n = siphb_hmap_find_next(n)) {
    assert_int_equal(n->hash, 77);
    seen |= 1 << entry_of(n)->key;
  }
  assert_int_equal(seen, (1 << 1) | (1 << 2));
  siphb_hmap_remove(&m, &y.node); /* from the middle or head of a chain */
  assert_ptr_equal(siphb_hmap_find(&m, 77), &x.node);
  assert_null(siphb_hmap_find_next(&x.node));
  assert_ptr_equal(siphb_hmap_find(&m, 85), &z.node);
  siphb_hmap_free(&m, &a);
  assert_int_equal(fm.live_blocks, 0);
}

/* A failed reservation changes nothing: the old buckets and entries stay. */
static void test_reserve_failure_changes_nothing(void **state) {
  (void)state;
  failmem fm;
  failmem_init(&fm, -1);
  siphb_alloc a;
  assert_int_equal(siphb_alloc_init(&a, &fm.mem, 0), 0);
  siphb_hmap m;
  siphb_hmap_init(&m, ref_key);
  assert_int_equal(siphb_hmap_reserve(&m, &a, 8), 0);
  entry es[8];
  memset(es, 0, sizeof es);
  for (uint32_t i = 0; i < 8; i++) put(&m, &es[i], i);
  siphb_hmap before = m;
  fm.fail_at = fm.allocs; /* the next allocation fails */
  assert_int_equal(siphb_hmap_reserve(&m, &a, 1), SIPHB_ERR_NOMEM);
  assert_memory_equal(&m, &before, sizeof m);
  for (uint32_t i = 0; i < 8; i++) assert_ptr_equal(lookup(&m, i), &es[i]);
  assert_int_equal(siphb_hmap_reserve(&m, &a, SIZE_MAX), SIPHB_ERR_NOMEM);
  assert_memory_equal(&m, &before, sizeof m);
  siphb_hmap_free(&m, &a);
  assert_int_equal(fm.live_blocks, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_siphash_reference_vectors),
      cmocka_unit_test(test_reserve_insert_find_remove),
      cmocka_unit_test(test_entries_sharing_a_hash),
      cmocka_unit_test(test_reserve_failure_changes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
