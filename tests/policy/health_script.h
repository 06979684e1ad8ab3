/*
 * health_script.h - the health tests' timelines: observations in, the
 * monitor's events out as one line each, compared exactly.
 *
 * An event line is "<ms> <what>", <what> one of
 *   layer <layer> <old>><new> <reason>
 *   state <old>><new> <root layer> <reason>[ flapping][ maint]
 *   alarm on|off <reason>
 *   maint on|off
 *   flapping on|off
 * (names as siphb_health_*_name() print them).
 */
#ifndef SIPHB_TEST_HEALTH_SCRIPT_H
#define SIPHB_TEST_HEALTH_SCRIPT_H

#include <stdio.h>
#include <string.h>

#include "simclock.h"

/* Formats the health event of record r into buf. */
static inline void hs_format(const sim_record *r, char *buf, size_t cap) {
  const siphb_event_health *e = &r->event.u.health;
  unsigned long long at = (unsigned long long)r->event.now;
  switch (r->event.type) {
  case SIPHB_EVENT_HEALTH_LAYER_CHANGED:
    snprintf(buf, cap, "%llu layer %s %s>%s %s", at, siphb_health_layer_name(e->layer),
             siphb_health_state_name(e->old_state), siphb_health_state_name(e->state),
             siphb_health_reason_name(e->reason));
    break;
  case SIPHB_EVENT_HEALTH_CHANGED:
    snprintf(buf, cap, "%llu state %s>%s %s %s%s%s", at, siphb_health_state_name(e->old_state),
             siphb_health_state_name(e->state), siphb_health_layer_name(e->layer),
             siphb_health_reason_name(e->reason), e->flapping ? " flapping" : "",
             e->maintenance ? " maint" : "");
    break;
  case SIPHB_EVENT_HEALTH_ALARM:
    snprintf(buf, cap, "%llu alarm %s %s", at, e->alarm ? "on" : "off",
             siphb_health_reason_name(e->reason));
    break;
  case SIPHB_EVENT_HEALTH_MAINTENANCE:
    snprintf(buf, cap, "%llu maint %s", at, e->maintenance ? "on" : "off");
    break;
  case SIPHB_EVENT_HEALTH_FLAPPING:
    snprintf(buf, cap, "%llu flapping %s", at, e->flapping ? "on" : "off");
    break;
  default:
    snprintf(buf, cap, "%llu other %d", at, (int)r->event.type);
  }
}

static inline bool hs_is_health(const sim_record *r) {
  return r->event.type >= SIPHB_EVENT_HEALTH_CHANGED && r->event.type <= SIPHB_EVENT_HEALTH_ALARM;
}

/* Checks that the health events recorded from index *from on are exactly
 * `want` (NULL-terminated), printing both lists on a mismatch; moves *from
 * past them. */
static inline void hs_expect(const sim *s, size_t *from, const char *const *want) {
  char got[64][96];
  size_t n = 0;
  for (size_t i = *from; i < s->nrecords && n < 64; i++)
    if (hs_is_health(&s->records[i])) hs_format(&s->records[i], got[n++], sizeof got[0]);
  size_t w = 0;
  while (want[w]) w++;
  bool same = n == w;
  for (size_t i = 0; same && i < n; i++) same = strcmp(got[i], want[i]) == 0;
  if (!same) {
    fprintf(stderr, "health events differ; got %zu:\n", n);
    for (size_t i = 0; i < n; i++) fprintf(stderr, "  %s\n", got[i]);
    fprintf(stderr, "wanted %zu:\n", w);
    for (size_t i = 0; i < w; i++) fprintf(stderr, "  %s\n", want[i]);
    fail();
  }
  *from = s->nrecords;
}

#endif /* SIPHB_TEST_HEALTH_SCRIPT_H */
