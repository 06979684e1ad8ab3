/*
 * test_prometheus.c - siphb_prometheus_health and _probe: the exact text
 * exposition (format 0.0.4) for a monitor driven through observations and
 * for a probe answered once and then timed out, several objects on one
 * page (each family's HELP and TYPE once), label escaping, the label
 * checks and the buffer rule; every page also against the format's
 * grammar (check_exposition).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>

#include "export_util.h"
#include "simclock.h"

#define SIP SIPHB_HEALTH_LAYER_SIP
#define LINK SIPHB_HEALTH_LAYER_LINK
#define NOM SIPHB_HEALTH_NO_METRIC

static char page[16384];

static const char *health_text(const siphb_health *h, const char *label, const char *value) {
  siphb_error_info err;
  siphb_ssize n = siphb_prometheus_health(h, label, value, page, sizeof page, &err);
  assert_true(n > 0);
  assert_int_equal(err.code, 0);
  assert_int_equal(strlen(page), (size_t)n);
  return page;
}

static void expect_text(const char *got, const char *want) {
  if (strcmp(got, want)) fail_msg("got:\n%s\nwanted:\n%s", got, want);
}

/* ---- the exposition grammar ------------------------------------------------------ */

static bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

/* The metric name at *p; advances past it. */
static size_t metric_name(const char **p) {
  const char *s = *p;
  while (name_char(**p, *p == s)) (*p)++;
  return (size_t)(*p - s);
}

/* A sample value: an integer, a decimal with a fraction, or NaN. */
static bool sample_value(const char *p, const char *end) {
  if (end - p == 3 && !memcmp(p, "NaN", 3)) return true;
  const char *s = p;
  while (p < end && *p >= '0' && *p <= '9') p++;
  if (p == s) return false;
  if (p < end && *p == '.') {
    const char *f = ++p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    if (p == f || p[-1] == '0') return false; /* shortest form: no trailing zero */
  }
  return p == end;
}

/* Checks a page line by line against text format 0.0.4: HELP and TYPE
 * before a family's samples, each family once, every sample of the family
 * of the TYPE above it (counters named *_total), labels name="value" with
 * only \\, \" and \n escapes, a value; every line ends in \n. */
static void check_exposition(const char *page_text) {
  char family[128] = "";
  char seen[64][128];
  size_t nseen = 0;
  const char *p = page_text;
  while (*p) {
    const char *end = strchr(p, '\n');
    if (!end) fail_msg("line without newline: %s", p);
    if (!strncmp(p, "# HELP ", 7) || !strncmp(p, "# TYPE ", 7)) {
      bool type = p[2] == 'T';
      const char *q = p + 7;
      size_t n = metric_name(&q);
      assert_true(n > 0 && n < sizeof family && *q == ' ');
      if (type) {
        assert_true(!strncmp(q, " gauge\n", 7) || !strncmp(q, " counter\n", 9));
        if (q[1] == 'c') assert_true(n > 6 && !memcmp(q - 6, "_total", 6));
        memcpy(family, p + 7, n);
        family[n] = '\0';
        for (size_t i = 0; i < nseen; i++)
          if (!strcmp(seen[i], family)) fail_msg("family %s twice", family);
        assert_true(nseen < 64);
        snprintf(seen[nseen++], sizeof seen[0], "%s", family);
      } else {
        assert_true(q + 1 < end); /* some help text */
      }
    } else {
      const char *q = p;
      size_t n = metric_name(&q);
      if (n != strlen(family) || memcmp(p, family, n)) fail_msg("sample outside its family: %s", p);
      if (*q == '{') {
        q++;
        for (;;) {
          const char *l = q;
          while (name_char(*q, q == l)) q++;
          assert_true(q > l && q[0] == '=' && q[1] == '"');
          q += 2;
          while (*q != '"') {
            assert_true(*q != '\n' && *q != '\0');
            if (*q == '\\') {
              q++;
              assert_true(*q == '\\' || *q == '"' || *q == 'n');
            }
            q++;
          }
          q++;
          if (*q == '}') break;
          assert_true(*q == ',');
          q++;
        }
        q++;
      }
      assert_true(*q == ' ');
      if (!sample_value(q + 1, end)) fail_msg("bad value: %.*s", (int)(end - p), p);
    }
    p = end + 1;
  }
}

/* SIP healthy at 0, two misses (DEGRADED at 60 s), the link up at 70 s. */
static siphb_health *drive_monitor(sim *s) {
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_health_observe(h, SIP, SIPHB_HEALTH_OBS_SUCCESS, 0, 40, 0), 0);
  assert_int_equal(sim_run_until(s, 30000), 0);
  assert_int_equal(siphb_health_observe(h, SIP, SIPHB_HEALTH_OBS_MISS, 0, NOM, 30000), 0);
  assert_int_equal(sim_run_until(s, 60000), 0);
  assert_int_equal(siphb_health_observe(h, SIP, SIPHB_HEALTH_OBS_MISS, 0, NOM, 60000), 0);
  assert_int_equal(sim_run_until(s, 70000), 0);
  assert_int_equal(siphb_health_observe(h, LINK, SIPHB_HEALTH_OBS_SUCCESS, 0, NOM, 70000), 0);
  return h;
}

static const char health_want[] =
    "# HELP siphb_health_state Reported state of the monitored endpoint: 0 unknown, 1 healthy, "
    "2 degraded, 3 offline.\n"
    "# TYPE siphb_health_state gauge\n"
    "siphb_health_state{target=\"pbx-1\"} 2\n"
    "# HELP siphb_health_in_state 1 for the reported state of the endpoint, 0 for the others.\n"
    "# TYPE siphb_health_in_state gauge\n"
    "siphb_health_in_state{target=\"pbx-1\",state=\"unknown\"} 0\n"
    "siphb_health_in_state{target=\"pbx-1\",state=\"healthy\"} 0\n"
    "siphb_health_in_state{target=\"pbx-1\",state=\"degraded\"} 1\n"
    "siphb_health_in_state{target=\"pbx-1\",state=\"offline\"} 0\n"
    "# HELP siphb_health_reason_info Reason of the reported state and its root-cause layer "
    "(always 1).\n"
    "# TYPE siphb_health_reason_info gauge\n"
    "siphb_health_reason_info{target=\"pbx-1\",reason=\"sip-timeout\",layer=\"sip\"} 1\n"
    "# HELP siphb_health_layer_state State of one layer: 0 unknown, 1 healthy, 2 degraded, "
    "3 offline.\n"
    "# TYPE siphb_health_layer_state gauge\n"
    "siphb_health_layer_state{target=\"pbx-1\",layer=\"link\"} 1\n"
    "siphb_health_layer_state{target=\"pbx-1\",layer=\"transport\"} 0\n"
    "siphb_health_layer_state{target=\"pbx-1\",layer=\"sip\"} 2\n"
    "siphb_health_layer_state{target=\"pbx-1\",layer=\"registration\"} 0\n"
    "siphb_health_layer_state{target=\"pbx-1\",layer=\"media\"} 0\n"
    "# HELP siphb_health_alarm 1 while the alarm is raised.\n"
    "# TYPE siphb_health_alarm gauge\n"
    "siphb_health_alarm{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_alarm_suppressed 1 while an alarm is due but a maintenance window "
    "holds it.\n"
    "# TYPE siphb_health_alarm_suppressed gauge\n"
    "siphb_health_alarm_suppressed{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_flapping 1 while flap damping holds the worse state.\n"
    "# TYPE siphb_health_flapping gauge\n"
    "siphb_health_flapping{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_maintenance 1 inside a maintenance window.\n"
    "# TYPE siphb_health_maintenance gauge\n"
    "siphb_health_maintenance{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_disabled 1 while the monitor is administratively disabled.\n"
    "# TYPE siphb_health_disabled gauge\n"
    "siphb_health_disabled{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_alarms_raised_total Alarms raised since the monitor was created.\n"
    "# TYPE siphb_health_alarms_raised_total counter\n"
    "siphb_health_alarms_raised_total{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_transitions_total Changes of the reported state since the monitor was "
    "created.\n"
    "# TYPE siphb_health_transitions_total counter\n"
    "siphb_health_transitions_total{target=\"pbx-1\"} 2\n"
    "# HELP siphb_health_ignored_observations_total Observations ignored while the monitor was "
    "disabled.\n"
    "# TYPE siphb_health_ignored_observations_total counter\n"
    "siphb_health_ignored_observations_total{target=\"pbx-1\"} 0\n"
    "# HELP siphb_health_layer_observations_total Observations of one layer.\n"
    "# TYPE siphb_health_layer_observations_total counter\n"
    "siphb_health_layer_observations_total{target=\"pbx-1\",layer=\"link\"} 1\n"
    "siphb_health_layer_observations_total{target=\"pbx-1\",layer=\"transport\"} 0\n"
    "siphb_health_layer_observations_total{target=\"pbx-1\",layer=\"sip\"} 3\n"
    "siphb_health_layer_observations_total{target=\"pbx-1\",layer=\"registration\"} 0\n"
    "siphb_health_layer_observations_total{target=\"pbx-1\",layer=\"media\"} 0\n"
    "# HELP siphb_health_layer_failures_total Failed observations (misses and confirmed "
    "failures) of one layer.\n"
    "# TYPE siphb_health_layer_failures_total counter\n"
    "siphb_health_layer_failures_total{target=\"pbx-1\",layer=\"link\"} 0\n"
    "siphb_health_layer_failures_total{target=\"pbx-1\",layer=\"transport\"} 0\n"
    "siphb_health_layer_failures_total{target=\"pbx-1\",layer=\"sip\"} 2\n"
    "siphb_health_layer_failures_total{target=\"pbx-1\",layer=\"registration\"} 0\n"
    "siphb_health_layer_failures_total{target=\"pbx-1\",layer=\"media\"} 0\n"
    "# HELP siphb_health_layer_transitions_total State changes of one layer.\n"
    "# TYPE siphb_health_layer_transitions_total counter\n"
    "siphb_health_layer_transitions_total{target=\"pbx-1\",layer=\"link\"} 1\n"
    "siphb_health_layer_transitions_total{target=\"pbx-1\",layer=\"transport\"} 0\n"
    "siphb_health_layer_transitions_total{target=\"pbx-1\",layer=\"sip\"} 2\n"
    "siphb_health_layer_transitions_total{target=\"pbx-1\",layer=\"registration\"} 0\n"
    "siphb_health_layer_transitions_total{target=\"pbx-1\",layer=\"media\"} 0\n";

static void test_health_exact(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  siphb_health *h = drive_monitor(s);
  expect_text(health_text(h, "target", "pbx-1"), health_want);
  check_exposition(health_want);
  siphb_health_del(h);
  sim_delete(s);
}

/* Without a label of the caller's: bare names, or only the family's. */
static void test_health_without_label(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  const char *got = health_text(h, NULL, NULL);
  check_exposition(got);
  assert_non_null(strstr(got, "\n# TYPE siphb_health_state gauge\nsiphb_health_state 0\n"));
  assert_non_null(strstr(got, "\nsiphb_health_in_state{state=\"unknown\"} 1\n"));
  assert_non_null(strstr(got, "\nsiphb_health_reason_info{reason=\"none\",layer=\"link\"} 1\n"));
  assert_non_null(strstr(got, "\nsiphb_health_layer_failures_total{layer=\"media\"} 0\n"));
  siphb_health_del(h);
  sim_delete(s);
}

/* Two monitors on one page: each family once, its samples together. */
static void test_health_many(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  siphb_health *a = drive_monitor(s), *b;
  assert_int_equal(siphb_health_new(&b, s->ctx, NULL, NULL, s->now), 0);
  const siphb_health *list[] = {a, b};
  const char *values[] = {"pbx-1", "sbc \"east\"\\\n2"};
  siphb_ssize n = siphb_prometheus_health_many(list, values, 2, "target", page, sizeof page, NULL);
  assert_true(n > 0);
  assert_non_null(strstr(page, "# TYPE siphb_health_state gauge\n"
                               "siphb_health_state{target=\"pbx-1\"} 2\n"
                               "siphb_health_state{target=\"sbc \\\"east\\\"\\\\\\n2\"} 0\n"
                               "# HELP siphb_health_in_state "));
  assert_non_null(strstr(page, "siphb_health_layer_state{target=\"pbx-1\",layer=\"media\"} 0\n"
                               "siphb_health_layer_state{target=\"sbc \\\"east\\\"\\\\\\n2\","
                               "layer=\"link\"} 0\n"));
  check_exposition(page);
  size_t helps = 0, lines = 0;
  for (const char *p = page; *p; p++)
    if (*p == '\n') lines++;
  for (const char *p = page; (p = strstr(p, "# HELP ")); p++) helps++;
  assert_int_equal(helps, 15);
  /* 15 HELP + 15 TYPE, and per monitor 1+4+1+5+8+5*3 = 34 samples. */
  assert_int_equal(lines, 30 + 2 * 34);
  siphb_health_del(a);
  siphb_health_del(b);
  sim_delete(s);
}

static const char probe_want[] =
    "# HELP siphb_probe_rounds_total OPTIONS rounds ended.\n"
    "# TYPE siphb_probe_rounds_total counter\n"
    "siphb_probe_rounds_total{target=\"proxy\"} 2\n"
    "# HELP siphb_probe_results_total OPTIONS rounds ended, by outcome.\n"
    "# TYPE siphb_probe_results_total counter\n"
    "siphb_probe_results_total{target=\"proxy\",outcome=\"alive\"} 1\n"
    "siphb_probe_results_total{target=\"proxy\",outcome=\"rejected\"} 0\n"
    "siphb_probe_results_total{target=\"proxy\",outcome=\"timeout\"} 1\n"
    "siphb_probe_results_total{target=\"proxy\",outcome=\"send-failed\"} 0\n"
    "siphb_probe_results_total{target=\"proxy\",outcome=\"transport-error\"} 0\n"
    "# HELP siphb_probe_transmissions_total OPTIONS requests sent, retransmissions included.\n"
    "# TYPE siphb_probe_transmissions_total counter\n"
    "siphb_probe_transmissions_total{target=\"proxy\"} 12\n"
    "# HELP siphb_probe_retransmit_failures_total Retransmissions the send callback refused.\n"
    "# TYPE siphb_probe_retransmit_failures_total counter\n"
    "siphb_probe_retransmit_failures_total{target=\"proxy\"} 0\n"
    "# HELP siphb_probe_provisional_responses_total Provisional (1xx) responses matched.\n"
    "# TYPE siphb_probe_provisional_responses_total counter\n"
    "siphb_probe_provisional_responses_total{target=\"proxy\"} 0\n"
    "# HELP siphb_probe_late_responses_total Final responses matched after their round had "
    "ended.\n"
    "# TYPE siphb_probe_late_responses_total counter\n"
    "siphb_probe_late_responses_total{target=\"proxy\"} 0\n"
    "# HELP siphb_probe_consecutive_failures Rounds in a row that did not end alive.\n"
    "# TYPE siphb_probe_consecutive_failures gauge\n"
    "siphb_probe_consecutive_failures{target=\"proxy\"} 1\n"
    "# HELP siphb_probe_last_status Final status code of the last round; 0 without a "
    "response.\n"
    "# TYPE siphb_probe_last_status gauge\n"
    "siphb_probe_last_status{target=\"proxy\"} 0\n"
    "# HELP siphb_probe_rtt_last_seconds Round-trip time of the last response.\n"
    "# TYPE siphb_probe_rtt_last_seconds gauge\n"
    "siphb_probe_rtt_last_seconds{target=\"proxy\"} 0.12\n"
    "# HELP siphb_probe_rtt_min_seconds Smallest round-trip time seen.\n"
    "# TYPE siphb_probe_rtt_min_seconds gauge\n"
    "siphb_probe_rtt_min_seconds{target=\"proxy\"} 0.12\n"
    "# HELP siphb_probe_rtt_max_seconds Largest round-trip time seen.\n"
    "# TYPE siphb_probe_rtt_max_seconds gauge\n"
    "siphb_probe_rtt_max_seconds{target=\"proxy\"} 0.12\n"
    "# HELP siphb_probe_srtt_seconds Smoothed round-trip time (RFC 6298).\n"
    "# TYPE siphb_probe_srtt_seconds gauge\n"
    "siphb_probe_srtt_seconds{target=\"proxy\"} 0.12\n"
    "# HELP siphb_probe_rttvar_seconds Round-trip time variation (RFC 6298).\n"
    "# TYPE siphb_probe_rttvar_seconds gauge\n"
    "siphb_probe_rttvar_seconds{target=\"proxy\"} 0.06\n";

/* Answered at 120 ms, then silent: the second round times out at 62 s
 * (Timer F, 64*T1 after 30 s) after 11 transmissions. */
static void test_probe_exact(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  const siphb_peer peer = {7, NULL, SIPHB_TRANSPORT_UDP};
  siphb_probe *p;
  assert_int_equal(make_probe(s, &peer, &p), 0);
  char fresh[8192];
  assert_true(siphb_prometheus_probe(p, "target", "proxy", fresh, sizeof fresh, NULL) > 0);
  assert_non_null(strstr(fresh, "\nsiphb_probe_srtt_seconds{target=\"proxy\"} NaN\n"));
  assert_non_null(strstr(fresh, "\nsiphb_probe_rtt_min_seconds{target=\"proxy\"} NaN\n"));
  assert_int_equal(siphb_probe_start(p, 0), 0);
  assert_int_equal(sim_run_until(s, 120), 0);
  assert_int_equal(answer_request(s, &peer, 0, 200, "OK"), 0);
  assert_int_equal(sim_run_until(s, 62000), 0);
  siphb_error_info err;
  siphb_ssize n = siphb_prometheus_probe(p, "target", "proxy", page, sizeof page, &err);
  assert_true(n > 0);
  expect_text(page, probe_want);
  check_exposition(probe_want);
  check_exposition(fresh);
  siphb_probe_del(p);
  sim_delete(s);
}

/* The buffer rule for a page: NOBUF with need = len + 1 below len, the
 * text unterminated at len, nothing written at or past cap. */
static void test_page_capacity(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  siphb_health *h = drive_monitor(s);
  size_t len = strlen(health_want);
  siphb_error_info err;
  assert_int_equal(siphb_prometheus_health(h, "target", "pbx-1", NULL, 0, &err), SIPHB_ERR_NOBUF);
  assert_int_equal(err.need, len + 1);
  for (size_t cap = 0; cap <= len + 1; cap += (cap < 64 || cap + 64 > len) ? 1 : 97) {
    char *buf = test_malloc(cap + 4);
    memset(buf, 0xA5, cap + 4);
    siphb_ssize rc = siphb_prometheus_health(h, "target", "pbx-1", buf, cap, &err);
    if (cap < len) {
      assert_int_equal(rc, SIPHB_ERR_NOBUF);
      assert_int_equal(err.need, len + 1);
    } else {
      assert_int_equal(rc, (siphb_ssize)len);
      assert_memory_equal(buf, health_want, len);
    }
    assert_memory_equal(buf, health_want, cap < len ? cap : len);
    size_t untouched = cap > len ? len + 1 : cap;
    if (cap > len) assert_int_equal(buf[len], '\0');
    for (size_t i = untouched; i < cap + 4; i++)
      if ((unsigned char)buf[i] != 0xA5) fail_msg("cap %zu: byte %zu written", cap, i);
    test_free(buf);
  }
  siphb_health_del(h);
  sim_delete(s);
}

static void test_label_checks(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  static const char *const bad[] = {"", "__x", "9a", "a-b", "layer", "state", "reason",
                                    "outcome", "t\xc3\xa9"};
  siphb_error_info err;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(siphb_prometheus_health(h, bad[i], "x", page, sizeof page, &err),
                     SIPHB_ERR_INVALID_ARGUMENT);
    assert_string_equal(err.message, "label_name");
  }
  static const char *const good[] = {"target", "_t", "Target_9", "instance_name", "a"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    assert_true(siphb_prometheus_health(h, good[i], "x", page, sizeof page, NULL) > 0);
  assert_int_equal(siphb_prometheus_health(h, "target", NULL, page, sizeof page, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_prometheus_health(NULL, "target", "x", page, sizeof page, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_prometheus_probe(NULL, NULL, NULL, page, sizeof page, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_prometheus_health(h, "target", "x", NULL, 5, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "buf");
  const siphb_health *two[] = {h, h};
  const char *values[] = {"a", "b"};
  assert_int_equal(siphb_prometheus_health_many(two, values, 2, NULL, page, sizeof page, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_prometheus_health_many(two, values, 0, "t", page, sizeof page, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  const siphb_health *holes[] = {h, NULL};
  assert_int_equal(siphb_prometheus_health_many(holes, values, 2, "t", page, sizeof page, &err),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.offset, 1);
  siphb_health_del(h);
  sim_delete(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_health_exact),   cmocka_unit_test(test_health_without_label),
      cmocka_unit_test(test_health_many),    cmocka_unit_test(test_probe_exact),
      cmocka_unit_test(test_page_capacity),  cmocka_unit_test(test_label_checks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
