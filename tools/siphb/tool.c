/*
 * tool.c - what the siphb subcommands share: the error line for malformed
 * input and the end of a JSON document (see tool.h).
 */
#include "tool.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tool_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "siphb: %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nRun 'siphb %s --help' for the options.\n", cmd);
  return TOOL_EXIT_USAGE;
}

void tool_parse_error(const siphb_error_info *err, size_t base) {
  fprintf(stderr, "error: %s: %s at offset %lu\n", siphb_errname(err->code),
          err->message ? err->message : siphb_strerror(err->code),
          (unsigned long)(base + err->offset));
}

int tool_json_finish(json_writer *w, const char *cmd) {
  if (json_finish(w) != 0) {
    fprintf(stderr, "siphb: %s: writing the output failed\n", cmd);
    return TOOL_EXIT_USAGE;
  }
  return TOOL_EXIT_OK;
}

bool tool_option_value(int argc, char **argv, int *i, const char *name, const char **value) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '=')) return false;
  *value = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
  return true;
}

int tool_unavailable(const char *cmd) {
  fprintf(stderr, "siphb: %s: not available on this platform (POSIX sockets only)\n", cmd);
  return TOOL_EXIT_USAGE;
}

bool tool_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out) {
  char *end;
  if (!s || s[0] < '0' || s[0] > '9') return false;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return false;
  *out = (unsigned)v;
  return true;
}
