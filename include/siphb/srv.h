/*
 * siphb/srv.h - the order in which to try the targets of a DNS SRV answer
 * (RFC 2782, as RFC 3263 section 4.4 uses it to locate SIP servers).
 *
 * A pure function: no ctx, no allocation, no clock, no I/O. The integrator
 * (or the optional c-ares glue, siphb/cares.h) resolves _sip._udp.<domain>
 * and friends, copies each answer record's priority and weight into a
 * siphb_srv_record, and siphb_srv_order() says in which order to contact
 * them. It only reads the two numbers; the caller keeps target names and
 * ports alongside, indexed alike.
 *
 * The rules (RFC 2782, "Priority" and "Weight"):
 *   - records of a lower priority number come first (MUST), all of them
 *     before any record of the next priority;
 *   - within one priority, repeatedly: arrange the records not ordered yet
 *     in a list with every weight-0 record at the beginning, give each the
 *     running sum of the weights in list order, take a random number R
 *     uniform in [0, sum] (inclusive) and choose the first record whose
 *     running sum is >= R; it is the next in the order, and the selection
 *     repeats on the rest until the priority is exhausted.
 *
 * What siphb fixes where the RFC leaves a choice, so that the result is a
 * function of the inputs alone (tests replay it exactly):
 *   - the arrangement is the caller's order (ascending index), weight-0
 *     records first: so R = 0 chooses the lowest-index weight-0 record left
 *     (or, if none is left, the lowest-index record), and a weight-0 record
 *     is chosen only when R is 0 or when only weight-0 records are left;
 *   - when the weights left sum to 0 (only weight-0 records left, e.g. a
 *     priority whose weights are all 0), R is always 0 and the RFC's rule
 *     would always choose the first record of the arrangement, giving it
 *     all the traffic. The RFC allows any arrangement, so siphb lets the
 *     word choose it: of the k records left, in index order, the word picks
 *     the one at position floor(word * k / 2^32), uniformly. A word of 0
 *     picks the first, the RFC's fixed arrangement;
 *   - ties in priority keep index order for the arrangement.
 *
 * Random words. n words are passed: random_words[i] decides which
 * record becomes order_out[i] (picks are made in output order, so a word
 * belongs to one output position whatever the priorities are). The word of
 * a pick that has a single candidate left (the last record of a priority)
 * is not used, but must be there: the array always holds n words.
 *
 * From a 32-bit word w to R in [0, sum]: R = floor(w * (sum + 1) / 2^32),
 * computed in 64 bits (a multiply and a shift, no division, no modulo).
 * This maps w monotonically: w = 0 gives R = 0, w = 0xFFFFFFFF gives
 * R = sum, and so hand-picked words are easy to reason about. Every value
 * of R gets either floor(2^32 / (sum + 1)) or one more of the 2^32 words,
 * so no value is more likely than another by more than a factor of
 * about 1 + (sum + 1) / 2^32: about 1 + 2^-10 for the largest possible
 * sum (SIPHB_SRV_MAX_RECORDS records of weight 65535, sum 4,194,240), about
 * 1 + 2.4e-8 for a sum of 100. That is far below what DNS load sharing can
 * notice, and exact uniformity would need a variable number of words
 * (rejection), which would make the replay rules above harder to state.
 */
#ifndef SIPHB_SRV_H
#define SIPHB_SRV_H

#include <stddef.h>
#include <stdint.h>

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most records one call orders: more returns SIPHB_ERR_LIMIT. A DNS
 * answer that fits a 512-byte UDP message holds at most about 20 SRV
 * records; 64 leaves room for EDNS0 and TCP answers, keeps the work
 * (quadratic in the records of one priority) small and the sum of the
 * weights far below 2^32. */
#define SIPHB_SRV_MAX_RECORDS 64

/* One SRV record's sort keys, as the DNS carries them (RFC 2782: both
 * 0-65535; weight 0 means "no preference, rarely chosen"). Fixed layout. */
typedef struct siphb_srv_record {
  uint16_t priority; /* lower is tried first */
  uint16_t weight;   /* relative share within the priority */
} siphb_srv_record;

/*
 * Orders recs[0..n) by RFC 2782 (the rules above): writes a permutation of
 * 0..n-1 to order_out[0..n), the index of the record to try first at
 * order_out[0]. random_words[0..n) are n caller-chosen uniform random
 * 32-bit words (the same words give the same order). err is optional
 * (NULL: not wanted; common.h). Returns 0, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  recs, random_words or order_out NULL while
 *                               n > 0 (all may be NULL when n is 0)
 *   SIPHB_ERR_LIMIT             n > SIPHB_SRV_MAX_RECORDS
 * order_out is written only on success. recs and order_out must not
 * overlap.
 */
SIPHB_EXTERN int siphb_srv_order(const siphb_srv_record *recs, size_t n,
                                 const uint32_t *random_words, size_t *order_out,
                                 siphb_error_info *err);

/*
 * The same, with the n words drawn from a random source: one call of
 * random(dest, 4 * n, user_data) (none when n is 0), word i made of bytes
 * 4i..4i+3 little-endian (so a byte stream gives the same order on every
 * CPU). Returns what siphb_srv_order() returns, or
 * SIPHB_ERR_INVALID_ARGUMENT also when random is NULL (n > 0), and
 * SIPHB_ERR_CALLBACK_FAILURE when random returns non-zero (order_out is
 * then untouched).
 */
SIPHB_EXTERN int siphb_srv_order_with(const siphb_srv_record *recs, size_t n,
                                      siphb_random_fn random, void *user_data,
                                      size_t *order_out, siphb_error_info *err);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_SRV_H */
