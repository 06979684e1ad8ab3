/*
 * sized.h - reading and initialising the growable input structs of the
 * public API (internal): configs, callbacks and encoder options, whose first
 * field is `uint32_t size`, the sizeof the caller was compiled with
 * (common.h says why and how they grow).
 */
#ifndef SIPHB_LIB_BASE_SIZED_H
#define SIPHB_LIB_BASE_SIZED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <siphb/common.h>

#include "base/error_info.h"

/* siphb_X_init(out, out_size): zeroes the caller's out_size bytes, copies
 * the library's defaults (full_size bytes, size field included) as far as
 * they fit, and records out_size. A size too small to hold the size field
 * itself writes nothing; one below min_size (the first release's struct)
 * records 0, so that the struct is refused when used. */
static inline void siphb_sized_init(void *out, size_t out_size, const void *defaults,
                                    size_t full_size, size_t min_size) {
  uint32_t recorded;
  if (!out || out_size < sizeof recorded) return;
  memset(out, 0, out_size);
  memcpy(out, defaults, out_size < full_size ? out_size : full_size);
  recorded = out_size < min_size || out_size > UINT32_MAX ? 0 : (uint32_t)out_size;
  memcpy(out, &recorded, sizeof recorded);
}

/* Reads the caller's struct `in` into `full` (full_size bytes), which holds
 * the defaults: the fields the caller's size covers replace them. Returns 0;
 * SIPHB_ERR_INVALID_ARGUMENT when the size is below min_size (0: never
 * initialised); SIPHB_ERR_UNSUPPORTED when the caller's struct is larger
 * than this library's and sets a byte beyond it (a field of a later
 * version). `full` is changed only on success. */
static inline int siphb_sized_read(void *full, size_t full_size, size_t min_size,
                                   const void *in) {
  uint32_t size;
  memcpy(&size, in, sizeof size);
  if (size < min_size) return SIPHB_ERR_INVALID_ARGUMENT;
  const uint8_t *bytes = (const uint8_t *)in;
  for (size_t i = full_size; i < size; i++)
    if (bytes[i] != 0) return SIPHB_ERR_UNSUPPORTED;
  memcpy((uint8_t *)full + sizeof size, bytes + sizeof size,
         (size < full_size ? size : full_size) - sizeof size);
  return 0;
}

/* Fills `full` with a struct's defaults (the slow path of siphb_sized_view). */
typedef void (*siphb_defaults_fn)(void *full);

/* The caller's struct `in` as one of this library's size, for reading:
 * *view = in itself when its size is this library's (the usual case, no
 * copy), else `full`, filled by `defaults` and then from `in`. Returns 0 or
 * siphb_sized_read()'s refusal. */
static inline int siphb_sized_view(const void *in, void *full, size_t full_size, size_t min_size,
                                   siphb_defaults_fn defaults, const void **view) {
  uint32_t size;
  memcpy(&size, in, sizeof size);
  if (size == full_size) {
    *view = in;
    return 0;
  }
  defaults(full);
  int rv = siphb_sized_read(full, full_size, min_size, in);
  if (rv == 0) *view = full;
  return rv;
}

/* As siphb_sized_view(), for a config that may be NULL (the defaults):
 * then *view = full, filled by `defaults`. */
static inline int siphb_sized_view_or_defaults(const void *in, void *full, size_t full_size,
                                               size_t min_size, siphb_defaults_fn defaults,
                                               const void **view) {
  if (!in) {
    defaults(full);
    *view = full;
    return 0;
  }
  return siphb_sized_view(in, full, full_size, min_size, defaults, view);
}

/* Records siphb_sized_read()'s refusal of the caller's struct in *err. */
static inline siphb_ssize siphb_sized_refuse(siphb_error_info *err, int code) {
  return siphb_fail(err, code, 0, 0,
                    code == SIPHB_ERR_UNSUPPORTED
                        ? "the struct sets a field this library does not know (newer header)"
                        : "the struct was not initialised (its _init sets the size)");
}

/* A bool field of a caller's struct holds 0 or 1: read as a byte, since
 * loading another value as bool is undefined (a config filled by memset or
 * by a binding written in another language). */
static inline bool siphb_sized_bool_ok(const bool *b) {
  unsigned char c;
  memcpy(&c, b, 1);
  return c <= 1;
}

#endif /* SIPHB_LIB_BASE_SIZED_H */
