/*
 * srv.c - RFC 2782 ordering of SRV records (siphb/srv.h): priorities
 * ascending, then the weighted random selection of the "Weight" section
 * within each priority, one caller word per output position.
 *
 * The work happens in a local array of indices, copied to order_out once
 * complete: first the indices sorted by priority (stable), then, for each
 * run of equal priority, the selection moves the chosen index to the front
 * of what is left of the run and shifts the others up by one, so that what
 * is left stays in index order (the arrangement siphb/srv.h documents). Quadratic in the records of one
 * priority, at most SIPHB_SRV_MAX_RECORDS of them: no allocation, no
 * recursion, a few thousand steps at worst.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <siphb/srv.h>

#include "base/assert.h"
#include "base/error_info.h"

/* R = floor(w * (m) / 2^32) for m in 1..2^32-1: uniform over [0, m) up to
 * the rounding siphb/srv.h quantifies. 32 x 32 -> 64-bit multiply. */
static uint32_t scale(uint32_t w, uint32_t m) {
  return (uint32_t)(((uint64_t)w * (uint64_t)m) >> 32);
}

/* Stable insertion sort of the indices 0..n-1 by priority into out. */
static void sort_by_priority(const siphb_srv_record *recs, size_t n, size_t *out) {
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    /* Strictly greater: equal priorities keep index order. */
    while (j > 0 && recs[out[j - 1]].priority > recs[i].priority) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = i;
  }
}

/* One pick of RFC 2782's selection among run[0..k) (indices into recs, in
 * ascending index order): the position in run of the record chosen by the
 * word w. */
static size_t pick(const siphb_srv_record *recs, const size_t *run, size_t k, uint32_t w) {
  uint32_t sum = 0;
  size_t first_zero = k;
  for (size_t i = 0; i < k; i++) {
    sum += recs[run[i]].weight; /* <= 64 * 65535: no overflow */
    if (recs[run[i]].weight == 0 && first_zero == k) first_zero = i;
  }
  if (sum == 0) {
    /* Only weight-0 records left: R is 0 whatever the arrangement, so the
     * arrangement decides alone; the word chooses it (siphb/srv.h), which
     * makes the pick uniform instead of always the first. */
    return (size_t)scale(w, (uint32_t)k);
  }
  uint32_t r = scale(w, sum + 1u); /* uniform in [0, sum] */
  /* The list of the RFC: weight-0 records first (running sum 0 each),
   * then the others in index order. R = 0 is met by the first entry of
   * that list: the first weight-0 record when there is one. */
  if (r == 0) return first_zero < k ? first_zero : 0;
  uint32_t running = 0;
  for (size_t i = 0; i < k; i++) {
    uint32_t wt = recs[run[i]].weight;
    if (wt == 0) continue; /* running sum 0 < r: never chosen here */
    running += wt;
    if (running >= r) return i;
  }
  SIPHB_ASSERT(0); /* running reaches sum >= r */
  return k - 1;
}

/* Orders one run of equal priority in place, words[i] deciding run[i]. */
static void order_run(const siphb_srv_record *recs, size_t *run, size_t k,
                      const uint32_t *words) {
  for (size_t done = 0; done + 1 < k; done++) {
    size_t *left = run + done;
    size_t at = pick(recs, left, k - done, words[done]);
    SIPHB_ASSERT(at < k - done);
    size_t chosen = left[at];
    /* Shift the ones before it up: the rest stays in index order. */
    memmove(left + 1, left, at * sizeof *left);
    left[0] = chosen;
  }
  /* The last record of the run takes the last position; its word is not
   * needed (siphb/srv.h). */
}

/* The checks both entry points share (words: whether random_words is
 * one of the arguments): 0 or the error, recorded in err. */
static int check(const siphb_srv_record *recs, size_t n, bool words, const uint32_t *random_words,
                 const size_t *order_out, siphb_error_info *err) {
  if (!recs) return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "recs is NULL");
  if (words && !random_words)
    return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "random_words is NULL");
  if (!order_out)
    return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "order_out is NULL");
  if (n > SIPHB_SRV_MAX_RECORDS)
    return (int)siphb_fail(err, SIPHB_ERR_LIMIT, 0, 0, "more than SIPHB_SRV_MAX_RECORDS records");
  return 0;
}

/* The ordering itself, arguments checked. */
static void order_all(const siphb_srv_record *recs, size_t n, const uint32_t *words,
                      size_t *order_out) {
  /* Built in a local array and copied out, so that order_out is written
   * only once the order is complete. */
  size_t order[SIPHB_SRV_MAX_RECORDS];
  sort_by_priority(recs, n, order);
  for (size_t start = 0; start < n;) {
    size_t end = start + 1;
    while (end < n && recs[order[end]].priority == recs[order[start]].priority) end++;
    order_run(recs, order + start, end - start, words + start);
    start = end;
  }
  memcpy(order_out, order, n * sizeof *order_out);
}

int siphb_srv_order(const siphb_srv_record *recs, size_t n, const uint32_t *random_words,
                    size_t *order_out, siphb_error_info *err) {
  siphb_error_clear(err);
  if (n == 0) return 0;
  int rc = check(recs, n, true, random_words, order_out, err);
  if (rc < 0) return rc;
  order_all(recs, n, random_words, order_out);
  return 0;
}

int siphb_srv_order_with(const siphb_srv_record *recs, size_t n, siphb_random_fn random,
                         void *user_data, size_t *order_out, siphb_error_info *err) {
  siphb_error_clear(err);
  if (n == 0) return 0;
  /* Every argument is checked before the source is asked: a bad call
   * costs no randomness. */
  if (!random) return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "random is NULL");
  int rc = check(recs, n, false, NULL, order_out, err);
  if (rc < 0) return rc;

  uint8_t bytes[4 * SIPHB_SRV_MAX_RECORDS];
  if (random(bytes, 4 * n, user_data) != 0)
    return (int)siphb_fail(err, SIPHB_ERR_CALLBACK_FAILURE, 0, 0, "random failed");
  uint32_t words[SIPHB_SRV_MAX_RECORDS];
  for (size_t i = 0; i < n; i++)
    words[i] = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 |
               (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
  order_all(recs, n, words, order_out);
  return 0;
}
