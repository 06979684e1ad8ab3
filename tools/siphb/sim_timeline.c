/*
 * sim_timeline.c - one line of a `siphb simulate` timeline (simulate.h):
 *   <ms> <layer>[@N] ok|fail|miss|degraded|failure [<reason>] [<metric>]
 *   <ms> mos <mos x 100> <loss permille> [@N]
 *   <ms> maintenance on|off
 *   <ms> input critical|<bit> on|off
 *   <ms> reset
 *   <ms> end
 * "#" starts a comment; blank lines are skipped. "fail" and "miss" are a
 * soft failure (SIPHB_HEALTH_OBS_MISS), "failure" a confirmed one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulate.h"

#define MAX_WORDS 8

/* Splits line into words at blanks, up to the first '#'. */
static size_t split(char *line, char **words) {
  char *hash = strchr(line, '#');
  if (hash) *hash = '\0';
  size_t n = 0;
  for (char *p = strtok(line, " \t\r"); p; p = strtok(NULL, " \t\r")) {
    if (n == MAX_WORDS) return MAX_WORDS + 1;
    words[n++] = p;
  }
  return n;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out) {
  if (!*s || *s == '-' || *s == '+') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v > max) return false;
  *out = v;
  return true;
}

static bool parse_onoff(const char *s, bool *on) {
  if (strcmp(s, "on") == 0) *on = true;
  else if (strcmp(s, "off") == 0) *on = false;
  else return false;
  return true;
}

static bool parse_layer(const char *s, siphb_health_layer *out) {
  for (int i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
    if (strcmp(s, siphb_health_layer_name((siphb_health_layer)i)) == 0) {
      *out = (siphb_health_layer)i;
      return true;
    }
  }
  return false;
}

static bool parse_reason(const char *s, siphb_health_reason *out) {
  for (int i = 0; i < SIPHB_HEALTH_REASON_COUNT; i++) {
    if (strcmp(s, siphb_health_reason_name((siphb_health_reason)i)) == 0) {
      *out = (siphb_health_reason)i;
      return true;
    }
  }
  return false;
}

static bool parse_obs(const char *s, siphb_health_obs *out) {
  static const struct {
    const char *word;
    siphb_health_obs obs;
  } words[] = {{"ok", SIPHB_HEALTH_OBS_SUCCESS},   {"fail", SIPHB_HEALTH_OBS_MISS},
               {"miss", SIPHB_HEALTH_OBS_MISS},    {"degraded", SIPHB_HEALTH_OBS_DEGRADED},
               {"failure", SIPHB_HEALTH_OBS_FAILURE}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    if (strcmp(s, words[i].word) == 0) {
      *out = words[i].obs;
      return true;
    }
  }
  return false;
}

/* "name@N": the target (1..targets) into *target, 0-based; none: 0. */
static bool split_target(char *word, uint32_t targets, uint32_t *target) {
  *target = 0;
  char *at = strchr(word, '@');
  if (!at) return true;
  *at = '\0';
  uint64_t n;
  if (!parse_u64(at + 1, targets, &n) || n == 0) return false;
  *target = (uint32_t)(n - 1);
  return true;
}

#define FAIL(...)                          \
  do {                                     \
    snprintf(msg, cap, __VA_ARGS__);       \
    return -1;                             \
  } while (0)

static int parse_observation(char **w, size_t n, uint32_t targets, timeline_item *out,
                             char *msg, size_t cap) {
  char *layer = w[1];
  if (!split_target(layer, targets, &out->target))
    FAIL("target must be @1..@%u", (unsigned)targets);
  if (!parse_layer(layer, &out->layer))
    FAIL("unknown item '%s' (a layer: link transport sip registration media, or maintenance, "
         "input, mos, reset, end)",
         layer);
  if (n < 3 || !parse_obs(w[2], &out->obs))
    FAIL("expected ok, fail, miss, degraded or failure after the layer");
  out->kind = TL_OBSERVE;
  out->reason = SIPHB_HEALTH_REASON_NONE;
  out->metric = SIPHB_HEALTH_NO_METRIC;
  size_t i = 3;
  if (i < n && !(w[i][0] >= '0' && w[i][0] <= '9')) {
    if (!parse_reason(w[i], &out->reason)) FAIL("unknown reason '%s'", w[i]);
    i++;
  }
  if (i < n) {
    uint64_t m;
    if (!parse_u64(w[i], UINT32_MAX - 1, &m)) FAIL("bad metric '%s'", w[i]);
    out->metric = (uint32_t)m;
    i++;
  }
  if (i < n) FAIL("unexpected '%s'", w[i]);
  return 1;
}

int timeline_parse(const char *line_in, uint32_t targets, timeline_item *out, char *msg,
                   size_t cap) {
  char line[1024];
  if (strlen(line_in) >= sizeof line) FAIL("line longer than %zu bytes", sizeof line - 1);
  strcpy(line, line_in);
  char *w[MAX_WORDS];
  size_t n = split(line, w);
  if (n == 0) return 0;
  if (n > MAX_WORDS) FAIL("too many words");
  memset(out, 0, sizeof *out);
  uint64_t at;
  if (!parse_u64(w[0], UINT64_MAX - 1, &at)) FAIL("expected a time in ms, got '%s'", w[0]);
  out->at = at;
  if (n < 2) FAIL("nothing after the time");
  const char *what = w[1];
  if (strcmp(what, "end") == 0 || strcmp(what, "reset") == 0) {
    if (n != 2) FAIL("unexpected '%s'", w[2]);
    out->kind = what[0] == 'e' ? TL_END : TL_RESET;
    return 1;
  }
  if (strcmp(what, "maintenance") == 0) {
    if (n != 3 || !parse_onoff(w[2], &out->on)) FAIL("expected: <ms> maintenance on|off");
    out->kind = TL_MAINTENANCE;
    return 1;
  }
  if (strcmp(what, "input") == 0) {
    uint64_t bit = 0;
    if (n != 4 || !parse_onoff(w[3], &out->on) ||
        (strcmp(w[2], "critical") != 0 && !parse_u64(w[2], 31, &bit)))
      FAIL("expected: <ms> input critical|<bit 0-31> on|off");
    out->kind = TL_INPUT;
    out->input_bit = (uint32_t)bit; /* critical is bit 0 */
    return 1;
  }
  if (strncmp(what, "mos", 3) == 0 && (what[3] == '\0' || what[3] == '@')) {
    uint64_t mos, loss;
    if (!split_target(w[1], targets, &out->target))
      FAIL("target must be @1..@%u", (unsigned)targets);
    if (n != 4 || !parse_u64(w[2], 500, &mos) || !parse_u64(w[3], 1000, &loss))
      FAIL("expected: <ms> mos <mos x 100, 0-500> <loss permille, 0-1000>");
    out->kind = TL_MEDIA;
    out->metric = (uint32_t)mos;
    out->loss = (uint32_t)loss;
    return 1;
  }
  return parse_observation(w, n, targets, out, msg, cap);
}
