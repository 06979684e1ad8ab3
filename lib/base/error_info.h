/*
 * error_info.h - filling the optional siphb_error_info of a codec call
 * (internal; shared by the SIP parser and encoders, the stream framer and
 * the STUN codec).
 */
#ifndef SIPHB_LIB_BASE_ERROR_INFO_H
#define SIPHB_LIB_BASE_ERROR_INFO_H

#include <stddef.h>
#include <string.h>

#include <siphb/common.h>

/* Records code, offset, need and a static message in *err (if not NULL)
 * and returns code. */
static inline siphb_ssize siphb_fail(siphb_error_info *err, int code, size_t offset, size_t need,
                                     const char *why) {
  if (err) {
    err->code = code;
    err->offset = offset;
    err->need = need;
    err->message = why;
  }
  return code;
}

/* Clears *err (if not NULL) at the start of a call that fills it. */
static inline void siphb_error_clear(siphb_error_info *err) {
  if (err) memset(err, 0, sizeof *err);
}

#endif /* SIPHB_LIB_BASE_ERROR_INFO_H */
