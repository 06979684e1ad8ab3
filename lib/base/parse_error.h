/*
 * parse_error.h - filling the optional siphb_parse_error of a parser
 * (internal; shared by the SIP parser, the stream framer and the STUN
 * decoder).
 */
#ifndef SIPHB_LIB_PARSE_ERROR_H
#define SIPHB_LIB_PARSE_ERROR_H

#include <stddef.h>

#include <siphb/common.h>

/* Records code, offset, need and a static message in *err (if not NULL)
 * and returns code. */
static inline siphb_ssize siphb_parse_fail(siphb_parse_error *err, int code, size_t offset,
                                           size_t need, const char *why) {
  if (err) {
    err->code = code;
    err->offset = offset;
    err->need = need;
    err->message = why;
  }
  return code;
}

#endif /* SIPHB_LIB_PARSE_ERROR_H */
