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
 *   switched <cause> <from key>><to key> <reason>    (keys 0 = none)
 *   exhausted <reason>
 *   stage <old>><new>
 *   action <action>
 *   autodial
 *   blocked <closed gate bits, hex>
 *   resolved
 * (names as siphb_health_*_name() and the failover names print them).
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
  case SIPHB_EVENT_TARGETS_SWITCHED:
    snprintf(buf, cap, "%llu switched %s %llu>%llu %s", at,
             siphb_switch_cause_name(r->event.u.targets.cause),
             (unsigned long long)r->event.u.targets.from_key,
             (unsigned long long)r->event.u.targets.to_key,
             siphb_health_reason_name(r->event.u.targets.reason));
    break;
  case SIPHB_EVENT_TARGETS_EXHAUSTED:
    snprintf(buf, cap, "%llu exhausted %s", at, siphb_health_reason_name(r->event.u.targets.reason));
    break;
  case SIPHB_EVENT_ESCALATION_STAGE:
    snprintf(buf, cap, "%llu stage %s>%s", at,
             siphb_escalation_stage_name(r->event.u.escalation.old_stage),
             siphb_escalation_stage_name(r->event.u.escalation.stage));
    break;
  case SIPHB_EVENT_ESCALATION_ACTION:
    snprintf(buf, cap, "%llu action %s", at,
             siphb_escalation_action_name(r->event.u.escalation.action));
    break;
  case SIPHB_EVENT_ESCALATION_AUTODIAL:
    snprintf(buf, cap, "%llu autodial", at);
    break;
  case SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED:
    snprintf(buf, cap, "%llu blocked %x", at, (unsigned)r->event.u.escalation.blocked);
    break;
  case SIPHB_EVENT_ESCALATION_RESOLVED:
    snprintf(buf, cap, "%llu resolved", at);
    break;
  default:
    snprintf(buf, cap, "%llu other %d", at, (int)r->event.type);
  }
}

/* The events of the kinds a test watches (hs_watch: bits of
 * 1 << object_kind; 0 = health only). */
static unsigned hs_watch;
static inline bool hs_is_health(const sim_record *r) {
  unsigned kinds = hs_watch ? hs_watch : 1u << SIPHB_OBJECT_HEALTH;
  bool policy = r->event.type >= SIPHB_EVENT_HEALTH_CHANGED &&
                r->event.type <= SIPHB_EVENT_ESCALATION_RESOLVED;
  return policy && (kinds & (1u << r->event.object_kind)) != 0;
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
