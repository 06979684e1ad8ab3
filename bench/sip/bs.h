/*
 * bs.h - shared pieces of the SIP codec benchmark (bench_sip): the corpus and
 * its expected values, the values each library reads from a response, the
 * OPTIONS request every library builds, the common random generator, timing
 * and the per-library interface.
 */
#ifndef SIPHB_BENCH_BS_H
#define SIPHB_BENCH_BS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/prng.h"

#include "../common/bench_util.h"

/* A string as a library hands it out: a pointer and a length, or, for the
 * libraries that return NUL-terminated strings, the pointer alone with
 * n == BS_CSTR (its length is taken only when values are checked, so the
 * timed loop does not pay a strlen the library's user would not need). */
#define BS_CSTR SIZE_MAX
typedef struct bs_str {
  const char *p;
  size_t n;
} bs_str;

/* What every library reads from each response. */
typedef struct bs_values {
  bs_str branch;      /* top Via branch */
  uint32_t cseq;      /* CSeq number */
  bs_str cseq_method; /* CSeq method */
  bs_str call_id;     /* Call-ID; for a library that splits it at '@' (osip2),
                         the part before it, with call_id_host the part after */
  bs_str call_id_host;
  unsigned status;    /* status code */
  bs_str to_tag;      /* To tag (empty if none) */
  uint32_t expires;   /* Expires header, else the first Contact's expires
                         parameter, else 0 */
} bs_values;

/* One corpus message, read from its file, in its own buffer (as a receive
 * buffer would be), with the values read by hand from the file. */
typedef struct bs_expect {
  const char *file;
  size_t size; /* bytes; the files are fixed, a different size is a different corpus */
  const char *branch;
  uint32_t cseq;
  const char *cseq_method;
  const char *call_id;
  unsigned status;
  const char *to_tag;
  uint32_t expires;
} bs_expect;

typedef struct bs_msg {
  const bs_expect *expect;
  uint8_t *data;
  size_t len;
} bs_msg;

#define BS_CORPUS_MAX 8
typedef struct bs_corpus {
  bs_msg msg[BS_CORPUS_MAX];
  size_t count;
  size_t bytes; /* sum of the lengths */
} bs_corpus;

/* Loads every file of the expected table from dir; exits on any problem. */
void bs_corpus_load(bs_corpus *c, const char *dir);
void bs_corpus_free(bs_corpus *c);

/* ---- the OPTIONS request ---------------------------------------------- */

/* The fixed parts; the branch (after z9hG4bK), the From tag and the Call-ID
 * are fresh random values per request. */
#define BS_OPT_RURI "sip:proxy.example.com"
#define BS_OPT_FROM_URI "sip:alice@10.0.0.5"
#define BS_OPT_VIA_HOST "10.0.0.5"
#define BS_OPT_VIA_PORT 5060
#define BS_OPT_VIA_HOSTPORT "10.0.0.5:5060"
#define BS_OPT_CONTACT_URI "sip:alice@10.0.0.5:5060"
#define BS_OPT_ACCEPT "application/sdp"
#define BS_OPT_MAX_FORWARDS 70

/* The identifiers a library put into a request, as it put them (slices of
 * its own storage, valid until the next encode or release). */
typedef struct bs_ids {
  bs_str branch; /* whole branch, z9hG4bK included */
  bs_str from_tag;
  bs_str call_id;
} bs_ids;

/* ---- the random generator ---------------------------------------------- */

/* The library's own xoshiro256** (lib/prng.c, compiled into the
 * benchmark), seeded with splitmix64: the same fast generator feeds every
 * library's random identifiers. Not for real use: real identifiers need an
 * unpredictable source. */
typedef struct bs_rng {
  siphb_prng prng;
} bs_rng;

void bs_rng_seed(bs_rng *r, uint64_t seed);
uint64_t bs_rng_next(bs_rng *r);
/* The random callback signature of siphb_sip_options (user_data: bs_rng). */
int bs_rng_fill(uint8_t *dest, size_t len, void *user_data);
/* Writes `digits` lower-case hex digits of v (most significant first, at
 * most 16) to out; no NUL. */
void bs_hex(char *out, uint64_t v, int digits);

/* Fresh identifiers for a peer's encoder, formatted the same way for every
 * peer, NUL-terminated: the Via parameter "branch=z9hG4bK" + 16 hex digits
 * (branch + 7 is the value alone), the From tag (16 digits) and the Call-ID
 * (32 digits). */
typedef struct bs_id_text {
  char branch[31];
  char tag[17];
  char call_id[33];
} bs_id_text;

void bs_new_ids(bs_rng *rng, bs_id_text *t);
/* Where they are in the request: ids gets slices of t. */
void bs_ids_of(const bs_id_text *t, bs_ids *ids);

/* ---- a library ---------------------------------------------------------- */

/*
 * Everything runs through these, with `ctx` from setup():
 *   parse    parses one whole message with the library's normal parse API and
 *            reads the values into *out; 0, or -1 if the library refused it.
 *            Slices may point into the library's own storage.
 *   release  frees what parse allocated (the message object, its buffers);
 *            called after every parse, inside the timing. NULL: nothing.
 *   encode   builds one OPTIONS request with fresh identifiers drawn from rng;
 *            *out and *len: the bytes, *ids: what was used; 0 or -1.
 *   encode_release  frees what encode allocated; NULL: nothing.
 */
typedef struct bs_lib {
  const char *name;
  const char *version; /* NULL: not built in */
  const char *note;    /* how the library is driven, one line */
  void *(*setup)(void);
  void (*teardown)(void *ctx);
  int (*parse)(void *ctx, const uint8_t *data, size_t len, bs_values *out);
  void (*release)(void *ctx);
  int (*encode)(void *ctx, bs_rng *rng, const uint8_t **out, size_t *len, bs_ids *ids);
  void (*encode_release)(void *ctx);
} bs_lib;

const bs_lib *bs_lib_siphb(void);
const bs_lib *bs_lib_osip(void);
const bs_lib *bs_lib_sofia(void);
const bs_lib *bs_lib_re(void);

/* ---- checking ------------------------------------------------------------- */

/* Compares what `lib` read from `m` with the expected values; prints every
 * difference and exits if there is one. */
void bs_check_values(const char *lib, const bs_msg *m, const bs_values *v);
/* Parses an encoded request with siphb's parser and compares it with the
 * request every library must build, using the identifiers in *ids; exits on
 * any difference. Returns false (without checking) if siphb's parser is not
 * built in. */
bool bs_check_request(const char *lib, const uint8_t *data, size_t len, const bs_ids *ids);
/* Prints the failure and exits: a benchmark that reads wrong values is no
 * benchmark. */
void bs_fail(const char *lib, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3), noreturn))
#endif
    ;

/* ---- timing ---------------------------------------------------------------- */


#define BS_REPS_MAX 64

#endif
