/*
 * bst.h - shared pieces of the STUN codec benchmark (bench_stun): the
 * messages every library decodes, the values it must read from them, and
 * the per-library interface.
 */
#ifndef SIPHB_BENCH_BST_H
#define SIPHB_BENCH_BST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/bench_util.h"

/* ---- the messages ---------------------------------------------------------- */

/* (a) A Binding success response with SOFTWARE, XOR-MAPPED-ADDRESS and
 * FINGERPRINT (no MESSAGE-INTEGRITY): the RFC 5769 section 2.2 response
 * without its MESSAGE-INTEGRITY, FINGERPRINT computed again. 56 bytes. */
extern const uint8_t bst_resp_fp[56];
/* (b) The RFC 5769 section 2.2 response: SOFTWARE, XOR-MAPPED-ADDRESS,
 * MESSAGE-INTEGRITY (short-term, BST_PASSWORD), FINGERPRINT. 80 bytes. */
extern const uint8_t bst_resp_mi[80];
/* The transaction id of both (and of the RFC 5769 request they answer). */
extern const uint8_t bst_txid[12];
/* RFC 5769's short-term password, 22 bytes. */
#define BST_PASSWORD "VOkJxbRl1RmTxUk/WvJxBt"
#define BST_PASSWORD_LEN 22
/* Another password, for the check that a wrong key is refused. */
#define BST_WRONG_PASSWORD "VOkJxbRl1RmTxUk/WvJxBu"

/* A mapped address as the benchmark compares it. */
typedef struct bst_addr {
  int family;     /* 4 or 6 */
  uint16_t port;  /* host order */
  uint8_t ip[16]; /* network order; IPv4 in the first 4 */
} bst_addr;

/* What both responses carry: 192.0.2.1 port 32853. */
extern const bst_addr bst_expected_addr;

/* ---- a library ---------------------------------------------------------------- */

/*
 * Everything runs through these, with `ctx` from setup(), which prepares
 * what a real user prepares once (keys, agents, output buffers):
 *   decode_fp  (a): decode data[0..len), check FINGERPRINT, read
 *              XOR-MAPPED-ADDRESS into *out; 0, or -1 if the library
 *              refused the message or a check failed. Everything the
 *              library allocates is freed before returning.
 *   decode_mi  (b): decode, check MESSAGE-INTEGRITY with the password
 *              (wrong_key: BST_WRONG_PASSWORD instead) and FINGERPRINT;
 *              0 or -1.
 *   encode     (c): a Binding request with FINGERPRINT and transaction id
 *              txid (12 bytes), nothing else; *out, *len: the bytes, valid
 *              until the next call. 0 or -1.
 */
typedef struct bst_lib {
  const char *name;
  const char *version;
  const char *note; /* how the library is driven, one line */
  void *(*setup)(void);
  void (*teardown)(void *ctx);
  int (*decode_fp)(void *ctx, const uint8_t *data, size_t len, bst_addr *out);
  int (*decode_mi)(void *ctx, const uint8_t *data, size_t len, bool wrong_key);
  int (*encode)(void *ctx, const uint8_t *txid, const uint8_t **out, size_t *len);
} bst_lib;

/* NULL when the library is not built in. */
const bst_lib *bst_lib_siphb(void);
const bst_lib *bst_lib_re(void);
const bst_lib *bst_lib_nice(void);

/* siphb's answer for the request every library must encode (the reference
 * the others are compared with, itself parsed back and its FINGERPRINT
 * checked by siphb): writes 28 bytes to out. */
void bst_reference_request(const uint8_t *txid, uint8_t out[28]);

/* bench_fail with the program's name. */
void bst_fail(const char *lib, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3), noreturn))
#endif
    ;

#endif
