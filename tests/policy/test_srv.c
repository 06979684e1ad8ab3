/*
 * test_srv.c - RFC 2782 SRV ordering (siphb/srv.h): exact orders for
 * hand-picked words, the word-to-R mapping at its boundaries, weight 0,
 * priorities, the argument errors, the random-source variant, agreement
 * with a literal transcription of the RFC's procedure, and chi-square
 * tests of the selection's distribution on a fixed-seed generator (so
 * they cannot flake: the same seed gives the same statistic every run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/srv.h>

#include "rndtest.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define SENTINEL ((size_t)0xDEAD)

/* xorshift64* (Marsaglia's xorshift with a multiplier on the output): the
 * statistical tests' generator, seeded once per test. */
static uint64_t xs_state;
static void xs_seed(uint64_t s) { xs_state = s ? s : 1; }
static uint32_t xs_next(void) {
  xs_state ^= xs_state >> 12;
  xs_state ^= xs_state << 25;
  xs_state ^= xs_state >> 27;
  return (uint32_t)((xs_state * 0x2545F4914F6CDD1Du) >> 32);
}

/* The smallest word that siphb/srv.h maps to r when m = sum + 1 values
 * are possible: ceil(r * 2^32 / m). */
static uint32_t word_for(uint32_t r, uint32_t m) {
  uint64_t x = ((uint64_t)r << 32) + m - 1;
  return (uint32_t)(x / m);
}

static void order_ok(const siphb_srv_record *recs, size_t n, const uint32_t *words,
                     size_t *out) {
  siphb_error_info err;
  assert_int_equal(siphb_srv_order(recs, n, words, out, &err), 0);
  assert_int_equal(err.code, 0);
  assert_null(err.message);
}

static void expect_order(const siphb_srv_record *recs, size_t n, const uint32_t *words,
                         const size_t *want) {
  size_t got[SIPHB_SRV_MAX_RECORDS];
  order_ok(recs, n, words, got);
  for (size_t i = 0; i < n; i++)
    if (got[i] != want[i]) fail_msg("position %zu: got %zu, want %zu", i, got[i], want[i]);
}

/* The first pick alone among recs (all one priority) for the word w. */
static size_t first_pick(const siphb_srv_record *recs, size_t n, uint32_t w) {
  uint32_t words[SIPHB_SRV_MAX_RECORDS] = {0};
  size_t out[SIPHB_SRV_MAX_RECORDS];
  words[0] = w;
  order_ok(recs, n, words, out);
  return out[0];
}

/* Priorities ascending, ties in index order when every word is 0 and the
 * weights are 0 (R = 0 picks the first of the arrangement). */
static void test_priorities(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{20, 0}, {10, 0}, {30, 0}, {10, 0}, {0, 0}, {20, 0}};
  static const uint32_t words[6] = {0};
  static const size_t want[] = {4, 1, 3, 0, 5, 2};
  expect_order(recs, N_OF(recs), words, want);
  /* Weights never carry a record across priorities: a huge weight at a
   * worse priority still comes after a weight-0 one at a better one. */
  static const siphb_srv_record r2[] = {{2, 65535}, {1, 0}, {3, 1}};
  static const uint32_t w2[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
  static const size_t want2[] = {1, 0, 2};
  expect_order(r2, N_OF(r2), w2, want2);
}

/* The mapping R = floor(w * (sum + 1) / 2^32) at each boundary of the
 * running sums 10, 30, 100 (weights 10/20/70, no weight 0). */
static void test_boundaries(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{1, 10}, {1, 20}, {1, 70}};
  const uint32_t m = 101;
  assert_int_equal(first_pick(recs, 3, 0), 0);                  /* R = 0 */
  assert_int_equal(first_pick(recs, 3, word_for(10, m)), 0);    /* R = 10 */
  assert_int_equal(first_pick(recs, 3, word_for(11, m) - 1), 0);
  assert_int_equal(first_pick(recs, 3, word_for(11, m)), 1);    /* R = 11 */
  assert_int_equal(first_pick(recs, 3, word_for(31, m) - 1), 1); /* R = 30 */
  assert_int_equal(first_pick(recs, 3, word_for(31, m)), 2);    /* R = 31 */
  assert_int_equal(first_pick(recs, 3, 0xFFFFFFFFu), 2);        /* R = 100 */
  /* A full order: C (R = 31 of 0..100), then B (R = 11 of 0..30), A. */
  const uint32_t words[3] = {word_for(31, m), word_for(11, 31), 0};
  static const size_t want[] = {2, 1, 0};
  expect_order(recs, 3, words, want);
  /* R = 10 of 0..30 among A, B keeps A first. */
  const uint32_t words2[3] = {word_for(31, m), word_for(10, 31), 0};
  static const size_t want2[] = {2, 0, 1};
  expect_order(recs, 3, words2, want2);
}

/* Weight 0: chosen only when R is 0 (the first weight-0 record left) or
 * when only weight-0 records are left (then the word picks uniformly in
 * index order). */
static void test_weight_zero(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{5, 50}, {5, 0}, {5, 50}, {5, 0}};
  const uint32_t m = 101;
  assert_int_equal(first_pick(recs, 4, 0), 1);                /* R = 0: first weight 0 */
  assert_int_equal(first_pick(recs, 4, word_for(1, m)), 0);   /* R = 1 */
  assert_int_equal(first_pick(recs, 4, word_for(1, m) - 1), 1);
  assert_int_equal(first_pick(recs, 4, word_for(50, m)), 0);
  assert_int_equal(first_pick(recs, 4, word_for(51, m)), 2);
  assert_int_equal(first_pick(recs, 4, 0xFFFFFFFFu), 2);      /* R = 100 */
  /* Any R > 0 never reaches a weight-0 record: sweep every R. */
  for (uint32_t r = 1; r <= 100; r++) {
    size_t p = first_pick(recs, 4, word_for(r, m));
    assert_int_equal(p, r <= 50 ? 0 : 2);
  }
  /* 2 (R = 51), then 1 (R = 0 of 0..50), then 0 (R = 1 of 0..50), then
   * only weight 0 is left: 3. */
  const uint32_t words[4] = {word_for(51, m), 0, word_for(1, 51), 0};
  static const size_t want[] = {2, 1, 0, 3};
  expect_order(recs, 4, words, want);
  /* Only weight-0 records left (1 and 3): the word's half decides. */
  const uint32_t lo[4] = {word_for(51, m), word_for(1, 51), word_for(1, 51), 0x7FFFFFFFu};
  const uint32_t hi[4] = {word_for(51, m), word_for(1, 51), 0x80000000u, 0};
  static const size_t want_lo[] = {2, 0, 1, 3}, want_hi[] = {2, 0, 3, 1};
  expect_order(recs, 4, lo, want_lo);
  expect_order(recs, 4, hi, want_hi);
}

/* All weights 0: the word picks position floor(w * k / 2^32) of the k
 * left in index order; all words 0 give the RFC's fixed arrangement. */
static void test_all_zero(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{7, 0}, {7, 0}, {7, 0}, {7, 0}};
  static const uint32_t zeros[4] = {0};
  static const size_t ident[] = {0, 1, 2, 3};
  expect_order(recs, 4, zeros, ident);
  assert_int_equal(first_pick(recs, 4, 0x3FFFFFFFu), 0);
  assert_int_equal(first_pick(recs, 4, 0x40000000u), 1);
  assert_int_equal(first_pick(recs, 4, 0xBFFFFFFFu), 2);
  assert_int_equal(first_pick(recs, 4, 0xC0000000u), 3);
  assert_int_equal(first_pick(recs, 4, 0xFFFFFFFFu), 3);
  /* 3 of {0,1,2,3}, then 2 of {0,1,2} (top word), 0 of {0,1}, then 1. */
  static const uint32_t words[4] = {0xC0000000u, 0xFFFFFFFFu, 0, 0x12345678u};
  static const size_t want[] = {3, 2, 0, 1};
  expect_order(recs, 4, words, want);
  /* One record: order {0} whatever the word. */
  size_t out[1];
  static const uint32_t one = 0xFFFFFFFFu;
  order_ok(recs, 1, &one, out);
  assert_int_equal(out[0], 0);
}

/* random_words[i] decides order_out[i] across priorities; the word of a
 * priority's last record does not matter. */
static void test_word_positions(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{2, 10}, {2, 10}, {1, 10}, {1, 10}};
  /* Position 0: R = 0 of 0..20 -> 2; position 2: R = 20 -> 1. */
  uint32_t words[4] = {0, 0, 0xFFFFFFFFu, 0};
  static const size_t want[] = {2, 3, 1, 0};
  expect_order(recs, 4, words, want);
  words[1] = 0xFFFFFFFFu;
  words[3] = 0x55555555u;
  expect_order(recs, 4, words, want);
  /* Swap the decisive words: both priorities flip. */
  words[0] = 0xFFFFFFFFu;
  words[2] = 0;
  static const size_t want2[] = {3, 2, 0, 1};
  expect_order(recs, 4, words, want2);
}

/* The largest call: 64 records of weight 65535 (sum 4,194,240) and every
 * word at the top: R = sum each time, the last record left is chosen, so
 * the order is descending. All words 0: ascending. */
static void test_max(void **state) {
  (void)state;
  siphb_srv_record recs[SIPHB_SRV_MAX_RECORDS];
  uint32_t top[SIPHB_SRV_MAX_RECORDS], zero[SIPHB_SRV_MAX_RECORDS];
  size_t out[SIPHB_SRV_MAX_RECORDS];
  for (size_t i = 0; i < SIPHB_SRV_MAX_RECORDS; i++) {
    recs[i].priority = 65535;
    recs[i].weight = 65535;
    top[i] = 0xFFFFFFFFu;
    zero[i] = 0;
  }
  order_ok(recs, SIPHB_SRV_MAX_RECORDS, top, out);
  for (size_t i = 0; i < SIPHB_SRV_MAX_RECORDS; i++)
    assert_int_equal(out[i], SIPHB_SRV_MAX_RECORDS - 1 - i);
  order_ok(recs, SIPHB_SRV_MAX_RECORDS, zero, out);
  for (size_t i = 0; i < SIPHB_SRV_MAX_RECORDS; i++) assert_int_equal(out[i], i);
}

static void test_errors(void **state) {
  (void)state;
  static const siphb_srv_record recs[2] = {{1, 1}, {1, 1}};
  static const uint32_t words[SIPHB_SRV_MAX_RECORDS + 1] = {0};
  siphb_srv_record many[SIPHB_SRV_MAX_RECORDS + 1];
  memset(many, 0, sizeof many);
  size_t out[SIPHB_SRV_MAX_RECORDS + 1];
  for (size_t i = 0; i < N_OF(out); i++) out[i] = SENTINEL;
  siphb_error_info err;

  assert_int_equal(siphb_srv_order(NULL, 0, NULL, NULL, &err), 0);
  assert_int_equal(siphb_srv_order(NULL, 0, NULL, NULL, NULL), 0);
  assert_int_equal(siphb_srv_order(NULL, 2, words, out, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "recs is NULL");
  assert_int_equal(siphb_srv_order(recs, 2, NULL, out, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "random_words is NULL");
  assert_int_equal(siphb_srv_order(recs, 2, words, NULL, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "order_out is NULL");
  assert_int_equal(siphb_srv_order(recs, 2, NULL, out, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_srv_order(many, SIPHB_SRV_MAX_RECORDS + 1, words, out, &err),
                   SIPHB_ERR_LIMIT);
  assert_int_equal(err.code, SIPHB_ERR_LIMIT);
  assert_non_null(err.message);
  for (size_t i = 0; i < N_OF(out); i++) assert_int_equal(out[i], SENTINEL);
  /* A success clears err. */
  order_ok(many, SIPHB_SRV_MAX_RECORDS, words, out);
  assert_int_equal(out[SIPHB_SRV_MAX_RECORDS], SENTINEL);
}

/* siphb_srv_order_with: one call for 4n bytes, little-endian words, the
 * same order as siphb_srv_order on those words; failures ask no bytes or
 * leave order_out untouched. */
static void test_with(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{1, 3}, {1, 0}, {0, 9}, {1, 200}, {0, 9}};
  rnd_state rs = {0};
  size_t out[5], ref[5];
  siphb_error_info err;
  assert_int_equal(siphb_srv_order_with(recs, 5, rnd_counter, &rs, out, &err), 0);
  assert_int_equal(err.code, 0);
  assert_int_equal(rs.calls, 1);
  assert_int_equal(rs.last_len, 20);
  uint32_t words[5];
  for (uint32_t i = 0; i < 5; i++) {
    uint32_t b = 4 * i;
    words[i] = b | (b + 1) << 8 | (b + 2) << 16 | (b + 3) << 24;
  }
  order_ok(recs, 5, words, ref);
  assert_memory_equal(out, ref, sizeof out);

  for (size_t i = 0; i < 5; i++) out[i] = SENTINEL;
  rs.calls = 0;
  rs.fail = true;
  assert_int_equal(siphb_srv_order_with(recs, 5, rnd_counter, &rs, out, &err),
                   SIPHB_ERR_CALLBACK_FAILURE);
  assert_int_equal(err.code, SIPHB_ERR_CALLBACK_FAILURE);
  assert_string_equal(err.message, "random failed");
  assert_int_equal(rs.calls, 1);
  for (size_t i = 0; i < 5; i++) assert_int_equal(out[i], SENTINEL);

  rs.calls = 0;
  rs.fail = false;
  assert_int_equal(siphb_srv_order_with(recs, 5, NULL, &rs, out, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "random is NULL");
  assert_int_equal(siphb_srv_order_with(NULL, 5, rnd_counter, &rs, out, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_srv_order_with(recs, 5, rnd_counter, &rs, NULL, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  siphb_srv_record many[SIPHB_SRV_MAX_RECORDS + 1];
  memset(many, 0, sizeof many);
  size_t big[SIPHB_SRV_MAX_RECORDS + 1];
  assert_int_equal(siphb_srv_order_with(many, N_OF(many), rnd_counter, &rs, big, &err),
                   SIPHB_ERR_LIMIT);
  assert_int_equal(siphb_srv_order_with(NULL, 0, NULL, NULL, NULL, &err), 0);
  assert_int_equal(rs.calls, 0); /* no bad call asked for randomness */
  assert_int_equal(siphb_srv_order_with(many, SIPHB_SRV_MAX_RECORDS, rnd_counter, &rs, big,
                                        &err), 0);
  assert_int_equal(rs.last_len, 4 * SIPHB_SRV_MAX_RECORDS);
}

/* A literal transcription of RFC 2782's procedure (plus the word-chosen
 * arrangement when the sum is 0), written without the implementation's
 * in-place shifting: it must give the same order for any input. */
static void reference_order(const siphb_srv_record *recs, size_t n, const uint32_t *words,
                            size_t *out) {
  bool done[SIPHB_SRV_MAX_RECORDS] = {false};
  for (size_t pos = 0; pos < n; pos++) {
    uint32_t best = UINT32_MAX;
    for (size_t i = 0; i < n; i++)
      if (!done[i] && recs[i].priority < best) best = recs[i].priority;
    size_t list[SIPHB_SRV_MAX_RECORDS], k = 0;
    for (int pass = 0; pass < 2; pass++) /* weight 0 first */
      for (size_t i = 0; i < n; i++)
        if (!done[i] && recs[i].priority == best && (recs[i].weight == 0) == (pass == 0))
          list[k++] = i;
    uint32_t sum = 0;
    for (size_t i = 0; i < k; i++) sum += recs[list[i]].weight;
    size_t chosen;
    if (sum == 0) {
      chosen = list[(size_t)(((uint64_t)words[pos] * k) >> 32)];
    } else {
      uint32_t r = (uint32_t)(((uint64_t)words[pos] * (sum + 1u)) >> 32), running = 0;
      chosen = list[k - 1];
      for (size_t i = 0; i < k; i++) {
        running += recs[list[i]].weight;
        if (running >= r) {
          chosen = list[i];
          break;
        }
      }
    }
    done[chosen] = true;
    out[pos] = chosen;
  }
}

static void test_against_reference(void **state) {
  (void)state;
  xs_seed(0x5EEDF00DBAADC0DEu);
  for (int round = 0; round < 20000; round++) {
    size_t n = 1 + xs_next() % SIPHB_SRV_MAX_RECORDS;
    siphb_srv_record recs[SIPHB_SRV_MAX_RECORDS];
    uint32_t words[SIPHB_SRV_MAX_RECORDS];
    uint32_t kind = xs_next() % 4; /* mixes of weight 0, small and full-range weights */
    for (size_t i = 0; i < n; i++) {
      recs[i].priority = (uint16_t)(xs_next() % (round % 2 ? 3 : 65536));
      uint32_t w = xs_next();
      recs[i].weight = (uint16_t)(kind == 0 ? w % 3 : kind == 1 ? w % 100 : kind == 2 ? w : 0);
      words[i] = (round % 7 == 0) ? (xs_next() % 3 == 0 ? 0 : 0xFFFFFFFFu) : xs_next();
    }
    size_t got[SIPHB_SRV_MAX_RECORDS], want[SIPHB_SRV_MAX_RECORDS];
    order_ok(recs, n, words, got);
    reference_order(recs, n, words, want);
    bool seen[SIPHB_SRV_MAX_RECORDS] = {false};
    for (size_t i = 0; i < n; i++) {
      if (got[i] != want[i]) fail_msg("round %d position %zu: %zu != %zu", round, i, got[i], want[i]);
      assert_true(got[i] < n && !seen[got[i]]);
      seen[got[i]] = true;
      if (i > 0) assert_true(recs[got[i - 1]].priority <= recs[got[i]].priority);
    }
  }
}

/* Pearson's chi-square of observed counts against expected proportions. */
static double chi_square(const unsigned *obs, const double *p, size_t k, unsigned total) {
  double x = 0;
  for (size_t i = 0; i < k; i++) {
    double e = p[i] * total, d = (double)obs[i] - e;
    x += d * d / e;
  }
  return x;
}

/* The chi-square quantiles at p = 0.001 (upper tail) for 1..5 degrees of
 * freedom. */
static const double chi2_999[] = {0, 10.828, 13.816, 16.266, 18.467, 20.515};

#define TRIALS 100000u

/* Weights 10/20/70 at one priority over 100,000 orders. The RFC's own
 * procedure does not give 10/20/70 exactly: R is uniform over the 101
 * values 0..100 and R = 0 goes to the first record, so the first pick is
 * A with 11/101, B 20/101, C 70/101 (a test against 10/20/70 would reject
 * it: chi-square about 1,000). The second pick, given the first, is the
 * same rule on the two left: e.g. after C, A 11/31 and B 20/31. */
static void test_chi_square(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{1, 10}, {1, 20}, {1, 70}};
  unsigned first[3] = {0}, second[3][3] = {{0}}, joint[6] = {0};
  xs_seed(20261207u);
  for (unsigned t = 0; t < TRIALS; t++) {
    uint32_t words[3] = {xs_next(), xs_next(), xs_next()};
    size_t out[3];
    order_ok(recs, 3, words, out);
    first[out[0]]++;
    second[out[0]][out[1]]++;
    joint[out[0] * 2 + (out[1] > out[2])]++;
  }
  const double p1[3] = {11.0 / 101, 20.0 / 101, 70.0 / 101};
  double x = chi_square(first, p1, 3, TRIALS);
  print_message("first pick: %u %u %u, chi-square %.3f (df 2, limit %.3f)\n", first[0], first[1],
                first[2], x, chi2_999[2]);
  assert_true(x < chi2_999[2]);
  /* The test has the power to tell: 10/20/70 itself is rejected. */
  const double naive[3] = {0.1, 0.2, 0.7};
  assert_true(chi_square(first, naive, 3, TRIALS) > chi2_999[2]);
  /* Conditional second picks (df 1 each): the two records left, weights
   * a (lower index) and b: the lower-index one gets (a + 1) / (a + b + 1). */
  double pj[6];
  for (size_t f = 0; f < 3; f++) {
    size_t a = f == 0 ? 1 : 0, b = f == 2 ? 1 : 2;
    double wa = recs[a].weight, wb = recs[b].weight;
    const double p2[2] = {(wa + 1) / (wa + wb + 1), wb / (wa + wb + 1)};
    const unsigned o2[2] = {second[f][a], second[f][b]};
    double x2 = chi_square(o2, p2, 2, o2[0] + o2[1]);
    print_message("second pick after %zu: %u %u, chi-square %.3f (df 1, limit %.3f)\n", f,
                  o2[0], o2[1], x2, chi2_999[1]);
    assert_true(x2 < chi2_999[1]);
    /* joint[f * 2 + 0]: the lower-index one second. */
    pj[f * 2] = p1[f] * p2[0];
    pj[f * 2 + 1] = p1[f] * p2[1];
  }
  double xj = chi_square(joint, pj, 6, TRIALS);
  print_message("whole orders: chi-square %.3f (df 5, limit %.3f)\n", xj, chi2_999[5]);
  assert_true(xj < chi2_999[5]);
}

/* Weight 0 beside weights: a weight-0 record comes first only when R = 0,
 * 1 in sum + 1. Weights 0/0/50/50: R uniform over 0..100, so the first
 * pick is record 0 (first weight 0) 1/101, record 1 never, record 2
 * 50/101, record 3 50/101. And all-zero weights: uniform first picks. */
static void test_chi_square_zero(void **state) {
  (void)state;
  static const siphb_srv_record recs[] = {{1, 0}, {1, 0}, {1, 50}, {1, 50}};
  unsigned first[4] = {0}, last_zero[4] = {0};
  xs_seed(0xC0FFEEu);
  for (unsigned t = 0; t < TRIALS; t++) {
    uint32_t words[4] = {xs_next(), xs_next(), xs_next(), xs_next()};
    size_t out[4];
    order_ok(recs, 4, words, out);
    first[out[0]]++;
    /* The weight-0 records end up last unless an R = 0 came first. */
    last_zero[out[3]]++;
  }
  assert_int_equal(first[1], 0);
  const unsigned o[3] = {first[0], first[2], first[3]};
  const double p[3] = {1.0 / 101, 50.0 / 101, 50.0 / 101};
  double x = chi_square(o, p, 3, TRIALS);
  print_message("weight 0 beside 50/50: %u %u %u %u, chi-square %.3f (df 2)\n", first[0],
                first[1], first[2], first[3], x);
  assert_true(x < chi2_999[2]);
  assert_true(last_zero[0] + last_zero[1] > TRIALS * 9 / 10);

  static const siphb_srv_record zero[] = {{1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}};
  unsigned pz[5] = {0};
  for (unsigned t = 0; t < TRIALS; t++) {
    uint32_t words[5] = {xs_next(), xs_next(), xs_next(), xs_next(), xs_next()};
    size_t out[5];
    order_ok(zero, 5, words, out);
    pz[out[0]]++;
  }
  const double u[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
  double xz = chi_square(pz, u, 5, TRIALS);
  print_message("all weights 0: %u %u %u %u %u, chi-square %.3f (df 4)\n", pz[0], pz[1], pz[2],
                pz[3], pz[4], xz);
  assert_true(xz < chi2_999[4]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_priorities),      cmocka_unit_test(test_boundaries),
      cmocka_unit_test(test_weight_zero),     cmocka_unit_test(test_all_zero),
      cmocka_unit_test(test_word_positions),  cmocka_unit_test(test_max),
      cmocka_unit_test(test_errors),          cmocka_unit_test(test_with),
      cmocka_unit_test(test_against_reference), cmocka_unit_test(test_chi_square),
      cmocka_unit_test(test_chi_square_zero),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
