/*
 * str.c - siphb_str from a C string; the header-safe check (base/text.h).
 */
#include <siphb/common.h>

#include <string.h>

#include "base/text.h"

siphb_str siphb_str_c(const char *s) {
  siphb_str out = {s, s ? strlen(s) : 0};
  return out;
}

bool siphb_text_header_safe(siphb_str s, size_t max) {
  if (!s.len) return true;
  if (!s.ptr || s.len > max) return false;
  for (size_t i = 0; i < s.len; i++)
    if (s.ptr[i] == '\r' || s.ptr[i] == '\n' || s.ptr[i] == '\0') return false;
  return true;
}
