/*
 * prometheus.c - health monitors and probes as Prometheus text exposition
 * format 0.0.4 (siphb/export.h; the metric families are listed in
 * docs/EXPORT.md).
 *
 * The format wants each family's samples in one group after its # HELP
 * and # TYPE lines, so a page is written family by family, each family
 * over every object; the statistics are read afresh for each family (a
 * copy of a few hundred bytes, cheaper than any bookkeeping, and nothing
 * to allocate). Values are the objects' own counters; times are seconds,
 * Prometheus' base unit.
 */
#include <siphb/export.h>

#include <string.h>

#include "base/error_info.h"
#include "export/names.h"
#include "export/xw.h"

/* How a family's samples are labelled beyond the caller's label. */
enum shape {
  SHAPE_ONE,     /* one sample per object */
  SHAPE_LAYER,   /* one per health layer: layer="sip" */
  SHAPE_STATE,   /* one per health state, 1 for the current one: state="offline" */
  SHAPE_REASON,  /* one, value 1: reason="sip-timeout",layer="sip" */
  SHAPE_OUTCOME  /* one per probe outcome: outcome="timeout" */
};

typedef struct family {
  const char *name;
  const char *type; /* "gauge" or "counter" */
  const char *help; /* no backslash, no newline: written as is */
  uint8_t shape;
  uint8_t field;
} family;

/* ---- writing ------------------------------------------------------------------------ */

static void family_header(siphb_xw *w, const family *f) {
  SIPHB_XW_LIT(w, "# HELP ");
  siphb_xw_cstr(w, f->name);
  siphb_xw_byte(w, ' ');
  siphb_xw_cstr(w, f->help);
  SIPHB_XW_LIT(w, "\n# TYPE ");
  siphb_xw_cstr(w, f->name);
  siphb_xw_byte(w, ' ');
  siphb_xw_cstr(w, f->type);
  siphb_xw_byte(w, '\n');
}

/* The caller's label; the label of the family's shape (k NULL: none). */
typedef struct labels {
  const char *name, *value;
} labels;

static void label(siphb_xw *w, bool *first, const char *name, const char *value) {
  siphb_xw_byte(w, *first ? '{' : ',');
  *first = false;
  siphb_xw_cstr(w, name);
  SIPHB_XW_LIT(w, "=\"");
  siphb_xw_label_value(w, value);
  siphb_xw_byte(w, '"');
}

/* "name{caller,k1=v1,k2=v2} " - the sample up to its value. */
static void sample_start(siphb_xw *w, const family *f, const labels *caller, const char *k1,
                         const char *v1, const char *k2, const char *v2) {
  bool first = true;
  siphb_xw_cstr(w, f->name);
  if (caller->name) label(w, &first, caller->name, caller->value);
  if (k1) label(w, &first, k1, v1);
  if (k2) label(w, &first, k2, v2);
  if (!first) siphb_xw_byte(w, '}');
  siphb_xw_byte(w, ' ');
}

static void sample_u64(siphb_xw *w, const family *f, const labels *caller, const char *k1,
                       const char *v1, uint64_t v) {
  sample_start(w, f, caller, k1, v1, NULL, NULL);
  siphb_xw_u64(w, v);
  siphb_xw_byte(w, '\n');
}

static void sample_seconds(siphb_xw *w, const family *f, const labels *caller, siphb_ms ms) {
  sample_start(w, f, caller, NULL, NULL, NULL, NULL);
  siphb_xw_seconds(w, ms);
  siphb_xw_byte(w, '\n');
}

/* ---- checks ---------------------------------------------------------------------------- */

/* A Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, "__" reserved) that is
 * none of the families' own labels. */
static bool label_name_ok(const char *s) {
  static const char *const taken[] = {"layer", "state", "reason", "outcome"};
  if (!*s || (s[0] == '_' && s[1] == '_')) return false;
  for (const char *p = s; *p; p++) {
    char c = *p;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && (p == s || c < '0' || c > '9')) return false;
  }
  size_t len = strlen(s);
  for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
    if (strlen(taken[i]) == len && !memcmp(s, taken[i], len)) return false;
  return true;
}

static int check_args(const void *list, const char *const *values, size_t n,
                      const char *label_name, const char *buf, size_t cap,
                      siphb_error_info *err) {
  if (!list || !n) return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "list or n");
  if (label_name) {
    if (!label_name_ok(label_name))
      return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "label_name");
    if (!values) return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "label_values");
    for (size_t i = 0; i < n; i++)
      if (!values[i])
        return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, i, 0, "label_values[i]");
  } else if (n != 1) {
    /* Without a label the samples of two objects would be one series. */
    return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "label_name (n > 1)");
  }
  return siphb_xw_check_buffer(buf, cap, err);
}

static labels caller_label(const char *label_name, const char *const *values, size_t i) {
  labels l = {label_name, label_name ? values[i] : NULL};
  return l;
}

/* ---- health ------------------------------------------------------------------------------ */

enum hfield {
  HF_STATE, HF_IN_STATE, HF_REASON, HF_LAYER_STATE, HF_ALARM, HF_ALARM_SUPPRESSED,
  HF_FLAPPING, HF_MAINTENANCE, HF_DISABLED, HF_ALARMS_RAISED, HF_TRANSITIONS, HF_IGNORED,
  HF_LAYER_OBSERVATIONS, HF_LAYER_FAILURES, HF_LAYER_TRANSITIONS
};

static const family health_families[] = {
    {"siphb_health_state", "gauge",
     "Reported state of the monitored endpoint: 0 unknown, 1 healthy, 2 degraded, 3 offline.",
     SHAPE_ONE, HF_STATE},
    {"siphb_health_in_state", "gauge",
     "1 for the reported state of the endpoint, 0 for the others.", SHAPE_STATE, HF_IN_STATE},
    {"siphb_health_reason_info", "gauge",
     "Reason of the reported state and its root-cause layer (always 1).", SHAPE_REASON,
     HF_REASON},
    {"siphb_health_layer_state", "gauge",
     "State of one layer: 0 unknown, 1 healthy, 2 degraded, 3 offline.", SHAPE_LAYER,
     HF_LAYER_STATE},
    {"siphb_health_alarm", "gauge", "1 while the alarm is raised.", SHAPE_ONE, HF_ALARM},
    {"siphb_health_alarm_suppressed", "gauge",
     "1 while an alarm is due but a maintenance window holds it.", SHAPE_ONE,
     HF_ALARM_SUPPRESSED},
    {"siphb_health_flapping", "gauge", "1 while flap damping holds the worse state.", SHAPE_ONE,
     HF_FLAPPING},
    {"siphb_health_maintenance", "gauge", "1 inside a maintenance window.", SHAPE_ONE,
     HF_MAINTENANCE},
    {"siphb_health_disabled", "gauge", "1 while the monitor is administratively disabled.",
     SHAPE_ONE, HF_DISABLED},
    {"siphb_health_alarms_raised_total", "counter", "Alarms raised since the monitor was created.",
     SHAPE_ONE, HF_ALARMS_RAISED},
    {"siphb_health_transitions_total", "counter",
     "Changes of the reported state since the monitor was created.", SHAPE_ONE,
     HF_TRANSITIONS},
    {"siphb_health_ignored_observations_total", "counter",
     "Observations ignored while the monitor was disabled.", SHAPE_ONE, HF_IGNORED},
    {"siphb_health_layer_observations_total", "counter", "Observations of one layer.",
     SHAPE_LAYER, HF_LAYER_OBSERVATIONS},
    {"siphb_health_layer_failures_total", "counter",
     "Failed observations (misses and confirmed failures) of one layer.", SHAPE_LAYER,
     HF_LAYER_FAILURES},
    {"siphb_health_layer_transitions_total", "counter", "State changes of one layer.",
     SHAPE_LAYER, HF_LAYER_TRANSITIONS},
};

static uint64_t health_value(const family *f, const siphb_health_stats *st, int layer) {
  const siphb_health_layer_stats *l = layer >= 0 ? &st->layers[layer] : NULL;
  switch ((enum hfield)f->field) {
  case HF_STATE:
    return (uint64_t)st->state;
  case HF_ALARM:
    return st->alarm;
  case HF_ALARM_SUPPRESSED:
    return st->alarm_suppressed;
  case HF_FLAPPING:
    return st->flapping;
  case HF_MAINTENANCE:
    return st->maintenance;
  case HF_DISABLED:
    return st->disabled;
  case HF_ALARMS_RAISED:
    return st->alarms_raised;
  case HF_TRANSITIONS:
    return st->transitions;
  case HF_IGNORED:
    return st->ignored;
  case HF_LAYER_STATE:
    return l ? (uint64_t)l->state : 0;
  case HF_LAYER_OBSERVATIONS:
    return l ? l->observations : 0;
  case HF_LAYER_FAILURES:
    return l ? l->failures : 0;
  case HF_LAYER_TRANSITIONS:
    return l ? l->transitions : 0;
  case HF_IN_STATE:
  case HF_REASON:
    break; /* written by their shapes */
  }
  return 0;
}

static void health_samples(siphb_xw *w, const family *f, const labels *caller,
                           const siphb_health_stats *st) {
  switch ((enum shape)f->shape) {
  case SHAPE_LAYER:
    for (int i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++)
      sample_u64(w, f, caller, "layer", siphb_health_layer_name((siphb_health_layer)i),
                 health_value(f, st, i));
    break;
  case SHAPE_STATE:
    for (int s = SIPHB_HEALTH_STATE_UNKNOWN; s <= SIPHB_HEALTH_STATE_OFFLINE; s++)
      sample_u64(w, f, caller, "state", siphb_health_state_name((siphb_health_state)s),
                 st->state == (siphb_health_state)s);
    break;
  case SHAPE_REASON:
    sample_start(w, f, caller, "reason", siphb_health_reason_name(st->reason), "layer",
                 siphb_health_layer_name(st->root_layer));
    SIPHB_XW_LIT(w, "1\n");
    break;
  default:
    sample_u64(w, f, caller, NULL, NULL, health_value(f, st, -1));
  }
}

siphb_ssize siphb_prometheus_health_many(const siphb_health *const *monitors,
                                         const char *const *label_values, size_t n,
                                         const char *label_name, char *buf, size_t cap,
                                         siphb_error_info *err) {
  siphb_error_clear(err);
  int rv = check_args(monitors, label_values, n, label_name, buf, cap, err);
  if (rv) return rv;
  for (size_t i = 0; i < n; i++)
    if (!monitors[i]) return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, i, 0, "monitors[i]");
  siphb_xw w;
  siphb_xw_init(&w, buf, cap);
  for (size_t k = 0; k < sizeof health_families / sizeof health_families[0]; k++) {
    const family *f = &health_families[k];
    family_header(&w, f);
    for (size_t i = 0; i < n; i++) {
      siphb_health_stats st;
      if (siphb_health_get_stats(monitors[i], &st) != 0)
        return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, i, 0, "monitors[i]");
      labels caller = caller_label(label_name, label_values, i);
      health_samples(&w, f, &caller, &st);
    }
  }
  return siphb_xw_finish(&w, err);
}

siphb_ssize siphb_prometheus_health(const siphb_health *h, const char *label_name,
                                    const char *label_value, char *buf, size_t cap,
                                    siphb_error_info *err) {
  return siphb_prometheus_health_many(&h, &label_value, 1, label_name, buf, cap, err);
}

/* ---- probe --------------------------------------------------------------------------------- */

enum pfield {
  PF_ROUNDS, PF_RESULTS, PF_TRANSMISSIONS, PF_RETRANSMIT_FAILURES, PF_PROVISIONAL, PF_LATE,
  PF_CONSECUTIVE, PF_LAST_STATUS, PF_RTT_LAST, PF_RTT_MIN, PF_RTT_MAX, PF_SRTT, PF_RTTVAR
};

static const family probe_families[] = {
    {"siphb_probe_rounds_total", "counter", "OPTIONS rounds ended.", SHAPE_ONE, PF_ROUNDS},
    {"siphb_probe_results_total", "counter", "OPTIONS rounds ended, by outcome.", SHAPE_OUTCOME,
     PF_RESULTS},
    {"siphb_probe_transmissions_total", "counter",
     "OPTIONS requests sent, retransmissions included.", SHAPE_ONE, PF_TRANSMISSIONS},
    {"siphb_probe_retransmit_failures_total", "counter",
     "Retransmissions the send callback refused.", SHAPE_ONE, PF_RETRANSMIT_FAILURES},
    {"siphb_probe_provisional_responses_total", "counter", "Provisional (1xx) responses matched.",
     SHAPE_ONE, PF_PROVISIONAL},
    {"siphb_probe_late_responses_total", "counter",
     "Final responses matched after their round had ended.", SHAPE_ONE, PF_LATE},
    {"siphb_probe_consecutive_failures", "gauge", "Rounds in a row that did not end alive.",
     SHAPE_ONE, PF_CONSECUTIVE},
    {"siphb_probe_last_status", "gauge",
     "Final status code of the last round; 0 without a response.", SHAPE_ONE, PF_LAST_STATUS},
    {"siphb_probe_rtt_last_seconds", "gauge", "Round-trip time of the last response.", SHAPE_ONE,
     PF_RTT_LAST},
    {"siphb_probe_rtt_min_seconds", "gauge", "Smallest round-trip time seen.", SHAPE_ONE,
     PF_RTT_MIN},
    {"siphb_probe_rtt_max_seconds", "gauge", "Largest round-trip time seen.", SHAPE_ONE,
     PF_RTT_MAX},
    {"siphb_probe_srtt_seconds", "gauge", "Smoothed round-trip time (RFC 6298).", SHAPE_ONE,
     PF_SRTT},
    {"siphb_probe_rttvar_seconds", "gauge", "Round-trip time variation (RFC 6298).", SHAPE_ONE,
     PF_RTTVAR},
};

static uint64_t outcome_count(const siphb_probe_stats *st, int outcome) {
  switch ((siphb_probe_outcome)outcome) {
  case SIPHB_PROBE_ALIVE:
    return st->alive;
  case SIPHB_PROBE_REJECTED:
    return st->rejected;
  case SIPHB_PROBE_TIMEOUT:
    return st->timeouts;
  case SIPHB_PROBE_SEND_FAILED:
    return st->send_failures;
  case SIPHB_PROBE_TRANSPORT_ERROR:
    return st->transport_errors;
  }
  return 0;
}

static void probe_samples(siphb_xw *w, const family *f, const labels *caller,
                          const siphb_probe_stats *st) {
  switch ((enum pfield)f->field) {
  case PF_RESULTS:
    for (int o = 0; o < SIPHB_XN_PROBE_OUTCOMES; o++)
      sample_u64(w, f, caller, "outcome", siphb_xn_probe_outcome((siphb_probe_outcome)o),
                 outcome_count(st, o));
    return;
  case PF_ROUNDS:
    sample_u64(w, f, caller, NULL, NULL, st->rounds);
    return;
  case PF_TRANSMISSIONS:
    sample_u64(w, f, caller, NULL, NULL, st->transmissions);
    return;
  case PF_RETRANSMIT_FAILURES:
    sample_u64(w, f, caller, NULL, NULL, st->retransmit_failures);
    return;
  case PF_PROVISIONAL:
    sample_u64(w, f, caller, NULL, NULL, st->provisional);
    return;
  case PF_LATE:
    sample_u64(w, f, caller, NULL, NULL, st->late_responses);
    return;
  case PF_CONSECUTIVE:
    sample_u64(w, f, caller, NULL, NULL, st->consecutive_failures);
    return;
  case PF_LAST_STATUS:
    sample_u64(w, f, caller, NULL, NULL, st->last_status);
    return;
  case PF_RTT_LAST:
    sample_seconds(w, f, caller, st->rtt_last);
    return;
  case PF_RTT_MIN:
    sample_seconds(w, f, caller, st->rtt_min);
    return;
  case PF_RTT_MAX:
    sample_seconds(w, f, caller, st->rtt_max);
    return;
  case PF_SRTT:
    sample_seconds(w, f, caller, st->srtt);
    return;
  case PF_RTTVAR:
    sample_seconds(w, f, caller, st->rttvar);
    return;
  }
}

siphb_ssize siphb_prometheus_probe_many(const siphb_probe *const *probes,
                                        const char *const *label_values, size_t n,
                                        const char *label_name, char *buf, size_t cap,
                                        siphb_error_info *err) {
  siphb_error_clear(err);
  int rv = check_args(probes, label_values, n, label_name, buf, cap, err);
  if (rv) return rv;
  for (size_t i = 0; i < n; i++)
    if (!probes[i]) return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, i, 0, "probes[i]");
  siphb_xw w;
  siphb_xw_init(&w, buf, cap);
  for (size_t k = 0; k < sizeof probe_families / sizeof probe_families[0]; k++) {
    const family *f = &probe_families[k];
    family_header(&w, f);
    for (size_t i = 0; i < n; i++) {
      siphb_probe_stats st;
      if (siphb_probe_get_stats(probes[i], &st) != 0)
        return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, i, 0, "probes[i]");
      labels caller = caller_label(label_name, label_values, i);
      probe_samples(&w, f, &caller, &st);
    }
  }
  return siphb_xw_finish(&w, err);
}

siphb_ssize siphb_prometheus_probe(const siphb_probe *p, const char *label_name,
                                   const char *label_value, char *buf, size_t cap,
                                   siphb_error_info *err) {
  return siphb_prometheus_probe_many(&p, &label_value, 1, label_name, buf, cap, err);
}
