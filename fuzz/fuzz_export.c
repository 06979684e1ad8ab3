/*
 * fuzz_export.c - libFuzzer harness for siphb_event_to_json.
 *
 * The input is an event: its first byte picks the type (every type of
 * siphb/event.h and a few unknown ones), its second the object kind, its
 * third a capacity; the rest fills the event's bytes (payload included,
 * enum values out of range and all) and is the probe's reason phrase, so
 * arbitrary bytes meet the escaper. Pointers in the payload are never
 * followed (only the reason phrase's, set here), and the payload's bools
 * are set from bits, since a bool byte other than 0 or 1 is no value.
 *
 * Checked: the line is one JSON object by a strict syntax check, its
 * length is what was returned and it holds no NUL nor newline; at the
 * capacity chosen by the input the call either gives the same text or
 * SIPHB_ERR_NOBUF with need = len + 1 and a prefix of it, never writing
 * at or past the capacity. Violations abort.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/export.h>

#include "../tests/export/json_check.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const siphb_event_type types[] = {
    SIPHB_EVENT_NONE,
    SIPHB_EVENT_TIMER,
    SIPHB_EVENT_PROBE_RESULT,
    SIPHB_EVENT_FLOW_ALIVE,
    SIPHB_EVENT_FLOW_FAILED,
    SIPHB_EVENT_FLOW_RECOVER_DUE,
    SIPHB_EVENT_FLOW_RECOVERED,
    SIPHB_EVENT_FLOW_MAPPED_ADDRESS,
    SIPHB_EVENT_FLOW_INTERVAL,
    SIPHB_EVENT_REG_REFRESH_DUE,
    SIPHB_EVENT_REG_REGISTERED,
    SIPHB_EVENT_REG_FAILED,
    SIPHB_EVENT_REG_EXPIRED,
    SIPHB_EVENT_REG_UNREGISTERED,
    SIPHB_EVENT_HEALTH_CHANGED,
    SIPHB_EVENT_HEALTH_LAYER_CHANGED,
    SIPHB_EVENT_HEALTH_FLAPPING,
    SIPHB_EVENT_HEALTH_MAINTENANCE,
    SIPHB_EVENT_HEALTH_ALARM,
    SIPHB_EVENT_TARGETS_SWITCHED,
    SIPHB_EVENT_TARGETS_EXHAUSTED,
    SIPHB_EVENT_ESCALATION_ACTION,
    SIPHB_EVENT_ESCALATION_STAGE,
    SIPHB_EVENT_ESCALATION_AUTODIAL,
    SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED,
    SIPHB_EVENT_ESCALATION_RESOLVED,
    SIPHB_EVENT_SESSION_REFRESH_DUE,
    SIPHB_EVENT_SESSION_EXPIRED,
    SIPHB_EVENT_SESSION_HARD_LIMIT,
    (siphb_event_type)99,
    (siphb_event_type)655,
};

/* Longest reason phrase taken: the line stays below the buffer. */
#define PHRASE_MAX 8192
static char line[1024 + 6 * PHRASE_MAX];
static char small[sizeof line + 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  const uint8_t *rest = data + 3;
  size_t nrest = size - 3;
  memcpy(&ev, rest, nrest < sizeof ev ? nrest : sizeof ev);
  ev.type = types[data[0] % (sizeof types / sizeof types[0])];
  ev.object_kind = (siphb_object_kind)(data[1] % 16);
  uint8_t bits = rest[0];
  switch (ev.type) {
  case SIPHB_EVENT_PROBE_RESULT:
    ev.u.probe.reason_phrase.ptr = (const char *)rest;
    ev.u.probe.reason_phrase.len = nrest < PHRASE_MAX ? nrest : PHRASE_MAX;
    ev.u.probe.response = NULL;
    break;
  case SIPHB_EVENT_REG_REFRESH_DUE:
  case SIPHB_EVENT_REG_REGISTERED:
  case SIPHB_EVENT_REG_FAILED:
  case SIPHB_EVENT_REG_EXPIRED:
  case SIPHB_EVENT_REG_UNREGISTERED:
    ev.u.reg.bound = bits & 1;
    ev.u.reg.outbound = bits & 2;
    ev.u.reg.local = bits & 4;
    break;
  case SIPHB_EVENT_HEALTH_CHANGED:
  case SIPHB_EVENT_HEALTH_LAYER_CHANGED:
  case SIPHB_EVENT_HEALTH_FLAPPING:
  case SIPHB_EVENT_HEALTH_MAINTENANCE:
  case SIPHB_EVENT_HEALTH_ALARM:
    ev.u.health.maintenance = bits & 1;
    ev.u.health.flapping = bits & 2;
    ev.u.health.alarm = bits & 4;
    ev.u.health.alarm_suppressed = bits & 8;
    break;
  case SIPHB_EVENT_ESCALATION_ACTION:
  case SIPHB_EVENT_ESCALATION_STAGE:
  case SIPHB_EVENT_ESCALATION_AUTODIAL:
  case SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED:
  case SIPHB_EVENT_ESCALATION_RESOLVED:
    ev.u.escalation.alarm_on = bits & 1;
    ev.u.escalation.alarm_latched = bits & 2;
    ev.u.escalation.maintenance = bits & 4;
    ev.u.escalation.link_down = bits & 8;
    break;
  case SIPHB_EVENT_SESSION_REFRESH_DUE:
  case SIPHB_EVENT_SESSION_EXPIRED:
  case SIPHB_EVENT_SESSION_HARD_LIMIT:
    ev.u.session.local_refresher = bits & 1;
    ev.u.session.timer_active = bits & 2;
    break;
  default:
    break;
  }

  siphb_error_info err;
  siphb_ssize n = siphb_event_to_json(&ev, line, sizeof line, &err);
  FUZZ_CHECK(n > 0 && (size_t)n < sizeof line);
  FUZZ_CHECK(err.code == 0 && line[n] == '\0' && strlen(line) == (size_t)n);
  FUZZ_CHECK(memchr(line, '\n', (size_t)n) == NULL);
  FUZZ_CHECK(json_object_ok(line, (size_t)n));

  /* A capacity around the length (the byte decides how far below). */
  size_t len = (size_t)n;
  size_t below = data[2];
  size_t cap = below > len + 1 ? 0 : len + 1 - below;
  memset(small, 0xA5, cap + 16);
  siphb_ssize m = siphb_event_to_json(&ev, small, cap, &err);
  if (cap < len) {
    FUZZ_CHECK(m == SIPHB_ERR_NOBUF && err.code == SIPHB_ERR_NOBUF && err.need == len + 1);
    FUZZ_CHECK(memcmp(small, line, cap) == 0);
  } else {
    FUZZ_CHECK(m == n && memcmp(small, line, len) == 0);
  }
  size_t untouched = cap > len ? len + 1 : cap;
  for (size_t i = untouched; i < cap + 16; i++) FUZZ_CHECK((unsigned char)small[i] == 0xA5);
  return 0;
}
