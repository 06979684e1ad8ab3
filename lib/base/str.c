/*
 * str.c - siphb_str from a C string.
 */
#include <siphb/common.h>

#include <string.h>

siphb_str siphb_str_c(const char *s) {
  siphb_str out = {s, s ? strlen(s) : 0};
  return out;
}
