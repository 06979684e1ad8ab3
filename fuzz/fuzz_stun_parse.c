/*
 * fuzz_stun_parse.c - libFuzzer harness for the STUN decoder
 * (siphb_stun_parse_ex), the attribute iterator and the typed accessors.
 *
 * The input is the message itself, so that real messages are seeds as
 * they are. The configuration comes from bytes a message leaves free, its
 * transaction id: byte 19 holds the bits (0 allow_classic, 1
 * strict_padding, 2 refuse_unknown, 3-5 how many `known` types), the
 * `known` list is PRIORITY, USE-CANDIDATE, then the 16-bit words at bytes
 * 12, 14 and 16 and CHANGE-REQUEST. Each input is parsed with that
 * configuration and with the loosest one (classic allowed, any padding,
 * unknowns listed), in datagram and stream mode, with and without the
 * known list, and with the defaults. Every outcome is checked on its own
 * (fuzz_stun_check.h: errors carry code, message and an offset inside the
 * input; a success agrees with the harness's own walk of the TLVs and
 * every accessor). Then the outcomes are held against each other: a
 * stricter configuration fails only for its own reasons and otherwise
 * finds the same message; the known list only takes types off the unknown
 * list; a message framed on a stream is the same message as a datagram
 * and the other way round; a prefix of a stream (cut where the last byte
 * says) is incomplete, with `need` pointing no further than the message,
 * or gives the same answer. Violations abort.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/stun.h>

#include "fuzz_stun_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct outcome {
  siphb_ssize rc;
  siphb_stun_msg msg;
  siphb_error_info err;
} outcome;

/* Parses data[0..size) with cfg and checks the outcome on its own. */
static void parse_checked(outcome *o, const uint8_t *data, size_t size,
                          const siphb_stun_parse_config *cfg) {
  o->rc = siphb_stun_parse(&o->msg, data, size, cfg, &o->err);
  if (o->rc < 0) {
    fz_stun_check_error(o->rc, &o->err, size, cfg);
    return;
  }
  fz_stun_walk w;
  fz_stun_check_msg(o->rc, &o->msg, data, size, cfg, &w);
}

static bool same_error(const outcome *a, const outcome *b) {
  return a->rc == b->rc && a->err.offset == b->err.offset && a->err.need == b->err.need;
}

/* strict: cfg with some checks on; loose: the same bytes and mode with
 * them off. The strict parse may only fail where one of its own checks
 * applies; otherwise it finds what the loose one finds. */
static void check_stricter(const outcome *strict, const outcome *loose,
                           const siphb_stun_parse_config *cfg) {
  bool own_reason = (strict->rc == SIPHB_ERR_STUN_NOT_STUN && !cfg->allow_classic) ||
                    (strict->rc == SIPHB_ERR_STUN_PADDING && cfg->strict_padding) ||
                    (strict->rc == SIPHB_ERR_STUN_UNKNOWN_REQUIRED && cfg->refuse_unknown);
  if (strict->rc >= 0) {
    FUZZ_CHECK(loose->rc == strict->rc);
    fz_stun_same_msg(&strict->msg, &loose->msg);
  } else if (loose->rc >= 0) {
    FUZZ_CHECK(own_reason);
    if (strict->rc == SIPHB_ERR_STUN_NOT_STUN) FUZZ_CHECK(loose->msg.classic);
    if (strict->rc == SIPHB_ERR_STUN_PADDING) FUZZ_CHECK(loose->msg.padding_nonzero);
    if (strict->rc == SIPHB_ERR_STUN_UNKNOWN_REQUIRED) FUZZ_CHECK(loose->msg.unknown_total > 0);
  } else {
    FUZZ_CHECK(same_error(strict, loose) || own_reason);
  }
}

/* with: parsed with the known list; without: the same with none. */
static void check_known(const outcome *with, const outcome *without,
                        const siphb_stun_parse_config *cfg) {
  FUZZ_CHECK(with->rc == without->rc);
  if (with->rc < 0) {
    FUZZ_CHECK(same_error(with, without));
    return;
  }
  const siphb_stun_msg *a = &with->msg, *b = &without->msg;
  FUZZ_CHECK(a->length == b->length && a->attr_count == b->attr_count);
  FUZZ_CHECK(a->unknown_total <= b->unknown_total);
  /* b's list without the caller's types is where a's list starts; all of
   * it when b's list was not cut short. */
  size_t n = 0;
  for (size_t i = 0; i < b->unknown_count; i++) {
    if (fz_caller_knows(cfg, b->unknown[i])) continue;
    FUZZ_CHECK(n < a->unknown_count && a->unknown[n] == b->unknown[i]);
    n++;
  }
  if (b->unknown_count < SIPHB_STUN_MAX_UNKNOWN) FUZZ_CHECK(n == a->unknown_count);
  for (size_t i = 0; i < a->unknown_count; i++) FUZZ_CHECK(!fz_caller_knows(cfg, a->unknown[i]));
}

/* A stream parse and a datagram parse of the message it framed. */
static void check_framed_alone(const outcome *stream, const siphb_stun_parse_config *stream_cfg,
                               const uint8_t *data, outcome *tmp) {
  siphb_stun_parse_config dg = *stream_cfg;
  dg.stream = false;
  parse_checked(tmp, data, stream->msg.length, &dg);
  FUZZ_CHECK(tmp->rc == stream->rc);
  fz_stun_same_msg(&stream->msg, &tmp->msg);
}

/* A prefix data[0..cut) of a stream whose whole input gave `full`. */
static void check_prefix(const outcome *full, const outcome *prefix, size_t cut, size_t size) {
  if (full->rc >= 0 && cut >= (size_t)full->rc) {
    FUZZ_CHECK(prefix->rc == full->rc);
    fz_stun_same_msg(&full->msg, &prefix->msg);
    return;
  }
  if (full->rc >= 0) {
    /* Cut inside the message: more is needed, exactly up to its end once
     * the Length field is there. */
    FUZZ_CHECK(prefix->rc == SIPHB_ERR_INCOMPLETE);
    FUZZ_CHECK(prefix->err.need > 0 && cut + prefix->err.need <= (size_t)full->rc);
    if (cut >= 4) FUZZ_CHECK(cut + prefix->err.need == (size_t)full->rc);
    return;
  }
  if (full->rc == SIPHB_ERR_INCOMPLETE) {
    FUZZ_CHECK(prefix->rc == SIPHB_ERR_INCOMPLETE);
    FUZZ_CHECK(cut + prefix->err.need <= size + full->err.need);
    return;
  }
  if (prefix->rc != SIPHB_ERR_INCOMPLETE) FUZZ_CHECK(same_error(prefix, full));
}

enum { DG_IN, ST_IN, DG_LOOSE, ST_LOOSE, DG_NOKNOWN, DG_NULL, DG_INIT, TMP, N_OUT };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t bits = size >= SIPHB_STUN_HEADER_SIZE ? data[19] : 1;
  uint16_t known[6] = {0x0024, 0x0025, 0, 0, 0, 0x0003};
  if (size >= SIPHB_STUN_HEADER_SIZE)
    for (int i = 0; i < 3; i++) known[2 + i] = fz_be16(data + 12 + 2 * i);
  size_t known_count = (size_t)(bits >> 3 & 7);
  if (known_count > 6) known_count = 6;

  siphb_stun_parse_config in, loose, noknown, init;
  siphb_stun_parse_config_init(&in, sizeof in);
  in.allow_classic = bits & 1;
  in.strict_padding = (bits & 2) != 0;
  in.refuse_unknown = (bits & 4) != 0;
  in.known = known_count ? known : NULL;
  in.known_count = known_count;
  siphb_stun_parse_config_init(&loose, sizeof loose);
  loose.known = in.known;
  loose.known_count = in.known_count;
  siphb_stun_parse_config_init(&noknown, sizeof noknown);
  siphb_stun_parse_config_init(&init, sizeof init);
  FUZZ_CHECK(!init.stream && init.allow_classic && !init.strict_padding && !init.refuse_unknown);
  FUZZ_CHECK(init.known == NULL && init.known_count == 0);

  outcome *o = malloc(N_OUT * sizeof *o);
  FUZZ_CHECK(o != NULL);
  siphb_stun_parse_config st_in = in, st_loose = loose;
  st_in.stream = st_loose.stream = true;
  parse_checked(&o[DG_IN], data, size, &in);
  parse_checked(&o[ST_IN], data, size, &st_in);
  parse_checked(&o[DG_LOOSE], data, size, &loose);
  parse_checked(&o[ST_LOOSE], data, size, &st_loose);
  parse_checked(&o[DG_NOKNOWN], data, size, &noknown);
  parse_checked(&o[DG_INIT], data, size, &init);

  /* NULL means the defaults of siphb_stun_parse_config_init(). */
  o[DG_NULL].rc = siphb_stun_parse(&o[DG_NULL].msg, data, size, NULL, &o[DG_NULL].err);
  FUZZ_CHECK(o[DG_NULL].rc == o[DG_INIT].rc);
  if (o[DG_NULL].rc >= 0)
    fz_stun_same_msg(&o[DG_NULL].msg, &o[DG_INIT].msg);
  else
    FUZZ_CHECK(same_error(&o[DG_NULL], &o[DG_INIT]));

  check_stricter(&o[DG_IN], &o[DG_LOOSE], &in);
  check_stricter(&o[ST_IN], &o[ST_LOOSE], &st_in);
  check_known(&o[DG_LOOSE], &o[DG_NOKNOWN], &loose);

  /* Stream and datagram agree on a message framed in both. */
  if (o[ST_IN].rc >= 0) check_framed_alone(&o[ST_IN], &st_in, data, &o[TMP]);
  if (o[ST_LOOSE].rc >= 0) check_framed_alone(&o[ST_LOOSE], &st_loose, data, &o[TMP]);
  if (o[DG_IN].rc >= 0 && !o[DG_IN].msg.classic) {
    FUZZ_CHECK(o[ST_IN].rc == o[DG_IN].rc);
    fz_stun_same_msg(&o[DG_IN].msg, &o[ST_IN].msg);
  }
  /* A stream refuses what has no cookie; a datagram may take it as RFC 3489. */
  if (o[ST_LOOSE].rc == SIPHB_ERR_STUN_NOT_STUN && o[DG_LOOSE].rc >= 0)
    FUZZ_CHECK(o[DG_LOOSE].msg.classic);

  /* A prefix of a stream, cut where the last byte says. */
  if (size > 0) {
    size_t cut = (size_t)data[size - 1] * size / 256;
    parse_checked(&o[TMP], data, cut, &st_in);
    check_prefix(&o[ST_IN], &o[TMP], cut, size);
  }
  free(o);
  return 0;
}
