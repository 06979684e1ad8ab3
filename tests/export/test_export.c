/*
 * test_export.c - siphb_event_to_json: the exact bytes for a hand-filled
 * event of every type, escaping of network strings, SIPHB_NEVER as null,
 * the buffer rule at every capacity, and real events from a probe wired
 * to a monitor in simulated time, every line checked as JSON (our checker
 * and python's json module).
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

#define NEVER SIPHB_NEVER

/* Every line any test here produced, for the python check at the end. */
static FILE *lines_file;
#define LINES_PATH "test_export_lines.jsonl"

/* Converts ev; checks the result is one JSON object, the returned length
 * and the NUL; records the line. Returns the text (static). */
static const char *to_json(const siphb_event *ev) {
  static char buf[4096];
  siphb_error_info err;
  siphb_ssize n = siphb_event_to_json(ev, buf, sizeof buf, &err);
  assert_true(n > 0);
  assert_int_equal(err.code, 0);
  assert_int_equal(strlen(buf), (size_t)n);
  if (!json_object_ok(buf, (size_t)n)) fail_msg("not JSON: %s", buf);
  if (lines_file) fprintf(lines_file, "%s\n", buf);
  return buf;
}

static void expect_json(const siphb_event *ev, const char *want) {
  const char *got = to_json(ev);
  if (strcmp(got, want)) fail_msg("got\n  %s\nwanted\n  %s", got, want);
}

static siphb_event base(siphb_event_type type, siphb_object_kind kind, siphb_ms now,
                        siphb_ms due) {
  siphb_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = type;
  ev.object_kind = kind;
  ev.object = &ev; /* pointers are never written: any value will do */
  ev.object_user_data = &ev;
  ev.now = now;
  ev.due = due;
  return ev;
}

/* ---- one hand-filled event per payload, every type of it ------------------------ */

static int dummy;

static siphb_event ev_timer(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_TIMER, 1000, 990);
  ev.u.timer.deadline = 990;
  ev.u.timer.fire_count = 3;
  ev.u.timer.skipped = 0;
  return ev;
}

static siphb_event ev_probe(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_PROBE, 30120, 30120);
  siphb_event_probe *p = &ev.u.probe;
  p->peer = (siphb_peer){7, &dummy, SIPHB_TRANSPORT_UDP};
  p->outcome = SIPHB_PROBE_ALIVE;
  p->status = 200;
  p->transmissions = 1;
  p->cseq = 2;
  p->consecutive_failures = 0;
  p->sent_at = 30000;
  p->rtt = 120;
  p->srtt = 115;
  p->retry_after_until = 0;
  p->reason_phrase = siphb_str_c("OK");
  return ev;
}

static siphb_event ev_flow(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_FLOW, 5000, 5000);
  siphb_event_flow *f = &ev.u.flow;
  f->peer = (siphb_peer){UINT64_MAX, NULL, SIPHB_TRANSPORT_TCP};
  f->state = SIPHB_FLOW_STATE_UP;
  f->reason = SIPHB_FLOW_REASON_NONE;
  f->mode = SIPHB_FLOW_MODE_CRLF;
  f->flow_timer_s = 120;
  f->rtt = 35;
  f->next_keepalive = 95000;
  f->mapped = (siphb_mapped_addr){1, 0, 40000, {198, 51, 100, 7}};
  f->interval_min = 80000;
  f->interval_max = 100000;
  return ev;
}

static siphb_event ev_reg(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_REG, 2000, 2000);
  siphb_event_reg *r = &ev.u.reg;
  r->state = SIPHB_REG_STATE_REGISTERED;
  r->reason = SIPHB_REG_REASON_SCHEDULED;
  r->status = 200;
  r->expires_s = 3600;
  r->bound = true;
  r->expires_at = 3602000;
  r->refresh_at = 3302000;
  return ev;
}

static siphb_event ev_health(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_HEALTH, 210000, 210000);
  siphb_event_health *h = &ev.u.health;
  h->state = SIPHB_HEALTH_STATE_OFFLINE;
  h->old_state = SIPHB_HEALTH_STATE_DEGRADED;
  h->layer = SIPHB_HEALTH_LAYER_SIP;
  h->reason = SIPHB_HEALTH_REASON_SIP_TIMEOUT;
  h->layers[SIPHB_HEALTH_LAYER_TRANSPORT] = SIPHB_HEALTH_STATE_HEALTHY;
  h->layers[SIPHB_HEALTH_LAYER_SIP] = SIPHB_HEALTH_STATE_OFFLINE;
  h->failures = 3;
  h->observations = 4;
  h->consecutive = 1;
  h->metric = SIPHB_HEALTH_NO_METRIC;
  h->changes_in_window = 2;
  h->alarm = true;
  h->source_kind = SIPHB_OBJECT_PROBE;
  h->source = &dummy;
  h->since = 60000;
  h->first_failure_at = 30000;
  h->maintenance_until = 0;
  return ev;
}

static siphb_event ev_targets(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_FAILOVER, 300000, 299990);
  siphb_event_targets *g = &ev.u.targets;
  g->cause = SIPHB_SWITCH_NEXT_TARGET;
  g->reason = SIPHB_HEALTH_REASON_SIP_TIMEOUT;
  g->from_index = 0;
  g->to_index = -1;
  g->switches_in_window = 1;
  g->to_state = SIPHB_HEALTH_STATE_HEALTHY;
  g->from_key = 11;
  g->to_key = 22;
  g->to_user_data = &dummy;
  g->next_switch_at = NEVER;
  return ev;
}

static siphb_event ev_escalation(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_ESCALATION, 900000, 900000);
  siphb_event_escalation *e = &ev.u.escalation;
  e->stage = SIPHB_ESCALATION_STAGE_ALARM;
  e->old_stage = SIPHB_ESCALATION_STAGE_NOTIFIED;
  e->action = SIPHB_ESCALATION_ACTION_ALARM_ON;
  e->reason = SIPHB_HEALTH_REASON_SIP_TIMEOUT;
  e->blocked = SIPHB_ESCALATION_GATE_MAINTENANCE | SIPHB_ESCALATION_GATE_COOLDOWN |
               SIPHB_ESCALATION_GATE_ZONE | (1u << 9);
  e->inputs = 5;
  e->alarm_on = true;
  e->alarm_latched = true;
  e->maintenance = true;
  e->incident_start = 0;
  e->next_stage_at = NEVER;
  return ev;
}

static siphb_event ev_session(siphb_event_type t) {
  siphb_event ev = base(t, SIPHB_OBJECT_SESSION, 900000, 900000);
  siphb_event_session *e = &ev.u.session;
  e->reason = SIPHB_SESSION_REASON_RETRY;
  e->method = SIPHB_SESSION_METHOD_UPDATE;
  e->interval_s = 1800;
  e->refresh_number = 2;
  e->local_refresher = true;
  e->timer_active = true;
  e->last_refresh = 0;
  e->expire_at = 1800000;
  e->hard_limit_at = NEVER;
  e->next_refresh_at = NEVER;
  return ev;
}

typedef struct group {
  siphb_event (*make)(siphb_event_type t);
  const char *head; /* after "type":"...", up to "type_id": */
  const char *body; /* after the type_id's number */
} group;

static const group G_TIMER = {ev_timer, "\"t\":1000,\"due\":990,\"object\":\"timer\"",
                              "\"deadline\":990,\"fire_count\":3,\"skipped\":0"};
static const group G_PROBE = {
    ev_probe, "\"t\":30120,\"due\":30120,\"object\":\"probe\"",
    "\"peer\":{\"id\":7,\"transport\":\"udp\"},\"outcome\":\"alive\",\"status\":200,"
    "\"status_text\":\"OK\",\"reason_phrase\":\"OK\",\"transmissions\":1,\"cseq\":2,"
    "\"consecutive_failures\":0,\"sent_at\":30000,\"rtt\":120,\"srtt\":115,"
    "\"retry_after_until\":0"};
static const group G_FLOW = {
    ev_flow, "\"t\":5000,\"due\":5000,\"object\":\"flow\"",
    "\"peer\":{\"id\":18446744073709551615,\"transport\":\"tcp\"},\"state\":\"up\","
    "\"reason\":\"none\",\"mode\":\"crlf\",\"consecutive_failures\":0,\"stun_error\":0,"
    "\"flow_timer_s\":120,\"rtt\":35,\"next_keepalive\":95000,\"retry_at\":0,"
    "\"mapped\":{\"family\":\"ipv4\",\"address\":\"198.51.100.7\",\"port\":40000},"
    "\"previous\":null,\"interval_min\":80000,\"interval_max\":100000"};
static const group G_REG = {
    ev_reg, "\"t\":2000,\"due\":2000,\"object\":\"reg\"",
    "\"state\":\"registered\",\"reason\":\"scheduled\",\"status\":200,\"status_text\":\"OK\","
    "\"expires_s\":3600,\"min_expires_s\":0,\"flow_timer_s\":0,\"consecutive_failures\":0,"
    "\"bound\":true,\"outbound\":false,\"local\":false,\"expires_at\":3602000,"
    "\"refresh_at\":3302000,\"retry_at\":0"};
static const group G_HEALTH = {
    ev_health, "\"t\":210000,\"due\":210000,\"object\":\"health\"",
    "\"state\":\"offline\",\"old_state\":\"degraded\",\"layer\":\"sip\",\"reason\":\"sip-timeout\","
    "\"layers\":{\"link\":\"unknown\",\"transport\":\"healthy\",\"sip\":\"offline\","
    "\"registration\":\"unknown\",\"media\":\"unknown\"},\"failures\":3,\"observations\":4,"
    "\"consecutive\":1,\"metric\":null,\"changes_in_window\":2,\"maintenance\":false,"
    "\"flapping\":false,\"alarm\":true,\"alarm_suppressed\":false,\"source\":\"probe\","
    "\"since\":60000,\"first_failure_at\":30000,\"maintenance_until\":0"};
static const group G_TARGETS = {
    ev_targets, "\"t\":300000,\"due\":299990,\"object\":\"targets\"",
    "\"cause\":\"next-target\",\"reason\":\"sip-timeout\",\"from_index\":0,\"to_index\":-1,"
    "\"switches_in_window\":1,\"to_state\":\"healthy\",\"from_key\":11,\"to_key\":22,"
    "\"next_switch_at\":null"};
static const group G_ESCALATION = {
    ev_escalation, "\"t\":900000,\"due\":900000,\"object\":\"escalation\"",
    "\"stage\":\"alarm\",\"old_stage\":\"notified\",\"action\":\"alarm-on\","
    "\"reason\":\"sip-timeout\",\"blocked\":[\"maintenance\",\"cooldown\",\"zone\",\"bit-9\"],"
    "\"inputs\":5,\"alarm_on\":true,\"alarm_latched\":true,\"maintenance\":true,"
    "\"link_down\":false,\"incident_start\":0,\"next_stage_at\":null"};

static const group G_SESSION = {
    ev_session, "\"t\":900000,\"due\":900000,\"object\":\"session\"",
    "\"reason\":\"retry\",\"method\":\"update\",\"interval_s\":1800,\"refresh_number\":2,"
    "\"local_refresher\":true,\"timer_active\":true,\"last_refresh\":0,"
    "\"expire_at\":1800000,\"hard_limit_at\":null,\"next_refresh_at\":null"};

static const struct {
  siphb_event_type type;
  const char *name;
  const group *g;
} every_type[] = {
    {SIPHB_EVENT_TIMER, "timer.fired", &G_TIMER},
    {SIPHB_EVENT_PROBE_RESULT, "probe.result", &G_PROBE},
    {SIPHB_EVENT_FLOW_ALIVE, "flow.alive", &G_FLOW},
    {SIPHB_EVENT_FLOW_FAILED, "flow.failed", &G_FLOW},
    {SIPHB_EVENT_FLOW_RECOVER_DUE, "flow.recover-due", &G_FLOW},
    {SIPHB_EVENT_FLOW_RECOVERED, "flow.recovered", &G_FLOW},
    {SIPHB_EVENT_FLOW_MAPPED_ADDRESS, "flow.mapped-address", &G_FLOW},
    {SIPHB_EVENT_FLOW_INTERVAL, "flow.interval", &G_FLOW},
    {SIPHB_EVENT_REG_REFRESH_DUE, "reg.refresh-due", &G_REG},
    {SIPHB_EVENT_REG_REGISTERED, "reg.registered", &G_REG},
    {SIPHB_EVENT_REG_FAILED, "reg.failed", &G_REG},
    {SIPHB_EVENT_REG_EXPIRED, "reg.expired", &G_REG},
    {SIPHB_EVENT_REG_UNREGISTERED, "reg.unregistered", &G_REG},
    {SIPHB_EVENT_HEALTH_CHANGED, "health.changed", &G_HEALTH},
    {SIPHB_EVENT_HEALTH_LAYER_CHANGED, "health.layer", &G_HEALTH},
    {SIPHB_EVENT_HEALTH_FLAPPING, "health.flapping", &G_HEALTH},
    {SIPHB_EVENT_HEALTH_MAINTENANCE, "health.maintenance", &G_HEALTH},
    {SIPHB_EVENT_HEALTH_ALARM, "health.alarm", &G_HEALTH},
    {SIPHB_EVENT_TARGETS_SWITCHED, "targets.switched", &G_TARGETS},
    {SIPHB_EVENT_TARGETS_EXHAUSTED, "targets.exhausted", &G_TARGETS},
    {SIPHB_EVENT_ESCALATION_ACTION, "escalation.action", &G_ESCALATION},
    {SIPHB_EVENT_ESCALATION_STAGE, "escalation.stage", &G_ESCALATION},
    {SIPHB_EVENT_ESCALATION_AUTODIAL, "escalation.autodial", &G_ESCALATION},
    {SIPHB_EVENT_ESCALATION_AUTODIAL_BLOCKED, "escalation.autodial-blocked", &G_ESCALATION},
    {SIPHB_EVENT_ESCALATION_RESOLVED, "escalation.resolved", &G_ESCALATION},
    {SIPHB_EVENT_SESSION_REFRESH_DUE, "session.refresh-due", &G_SESSION},
    {SIPHB_EVENT_SESSION_EXPIRED, "session.expired", &G_SESSION},
    {SIPHB_EVENT_SESSION_HARD_LIMIT, "session.hard-limit", &G_SESSION},
};

static void test_every_type_exact(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof every_type / sizeof every_type[0]; i++) {
    char want[2048];
    const group *g = every_type[i].g;
    snprintf(want, sizeof want, "{\"v\":1,\"type\":\"%s\",%s,\"type_id\":%d,%s}",
             every_type[i].name, g->head, (int)every_type[i].type, g->body);
    siphb_event ev = g->make(every_type[i].type);
    expect_json(&ev, want);
    assert_string_equal(siphb_event_json_type(every_type[i].type), every_type[i].name);
  }
}

/* Types and kinds this library does not know, enum values out of range. */
static void test_unknown_and_out_of_range(void **state) {
  (void)state;
  siphb_event ev = base((siphb_event_type)999, (siphb_object_kind)42, 1, 1);
  memset(&ev.u, 0xEE, sizeof ev.u); /* an unknown payload is not read */
  expect_json(&ev, "{\"v\":1,\"type\":\"unknown\",\"t\":1,\"due\":1,\"object\":\"kind-42\","
                   "\"type_id\":999}");
  ev = base(SIPHB_EVENT_NONE, SIPHB_OBJECT_CTX, 0, 0);
  expect_json(&ev, "{\"v\":1,\"type\":\"unknown\",\"t\":0,\"due\":0,\"object\":\"ctx\","
                   "\"type_id\":0}");
  assert_string_equal(siphb_event_json_type((siphb_event_type)999), "unknown");

  ev = ev_health(SIPHB_EVENT_HEALTH_ALARM);
  ev.u.health.state = (siphb_health_state)9;
  ev.u.health.layer = (siphb_health_layer)77;
  ev.u.health.source_kind = (siphb_object_kind)4242;
  const char *got = to_json(&ev);
  assert_non_null(strstr(got, "\"state\":\"?\",\"old_state\":\"degraded\",\"layer\":\"?\""));
  assert_non_null(strstr(got, "\"source\":\"kind-4242\""));

  ev = ev_probe(SIPHB_EVENT_PROBE_RESULT);
  ev.u.probe.peer.transport = (siphb_transport)12;
  ev.u.probe.outcome = (siphb_probe_outcome)5;
  got = to_json(&ev);
  assert_non_null(strstr(got, "\"transport\":\"?\"},\"outcome\":\"?\""));
}

/* SIPHB_NEVER is null wherever a time is; a timed-out round has no status. */
static void test_never_is_null(void **state) {
  (void)state;
  siphb_event ev = ev_probe(SIPHB_EVENT_PROBE_RESULT);
  siphb_event_probe *p = &ev.u.probe;
  p->outcome = SIPHB_PROBE_TIMEOUT;
  p->status = 0;
  p->transmissions = 11;
  p->consecutive_failures = 1;
  p->rtt = NEVER;
  p->srtt = NEVER;
  p->reason_phrase = (siphb_str){NULL, 0};
  ev.now = NEVER;
  ev.due = NEVER;
  expect_json(&ev,
              "{\"v\":1,\"type\":\"probe.result\",\"t\":null,\"due\":null,\"object\":\"probe\","
              "\"type_id\":100,\"peer\":{\"id\":7,\"transport\":\"udp\"},\"outcome\":\"timeout\","
              "\"status\":0,\"status_text\":null,\"reason_phrase\":\"\",\"transmissions\":11,"
              "\"cseq\":2,\"consecutive_failures\":1,\"sent_at\":30000,\"rtt\":null,"
              "\"srtt\":null,\"retry_after_until\":0}");
  ev = ev_health(SIPHB_EVENT_HEALTH_MAINTENANCE);
  ev.u.health.first_failure_at = NEVER;
  ev.u.health.maintenance_until = NEVER;
  ev.u.health.metric = 0;
  const char *got = to_json(&ev);
  assert_non_null(strstr(got, "\"metric\":0,"));
  assert_non_null(strstr(got, "\"first_failure_at\":null,\"maintenance_until\":null}"));
  /* A status the RFC does not name gets its class's phrase. */
  ev = ev_reg(SIPHB_EVENT_REG_FAILED);
  ev.u.reg.status = 499;
  got = to_json(&ev);
  assert_non_null(strstr(got, "\"status\":499,\"status_text\":\"Client Error\","));
}

/* The reason phrase comes from the network: every byte is made safe. */
static void test_escaping(void **state) {
  (void)state;
  static const struct {
    const char *in;
    size_t len;
    const char *out;
  } cases[] = {
      {"plain text", 10, "\"plain text\""},
      {"q\"b\\s/", 6, "\"q\\\"b\\\\s/\""},
      {"\n\r\t\x01\x1f", 5, "\"\\u000a\\u000d\\u0009\\u0001\\u001f\""},
      {"a\0b", 3, "\"a\\u0000b\""},
      {"\x7f", 1, "\"\x7f\""},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
       "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
      {"\x80", 1, "\"\\ufffd\""},                       /* a lone continuation */
      {"\xc0\xaf", 2, "\"\\ufffd\\ufffd\""},            /* overlong '/' */
      {"\xe0\x80\xaf", 3, "\"\\ufffd\\ufffd\\ufffd\""}, /* overlong, 3 bytes */
      {"\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\""}, /* a surrogate */
      {"\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""}, /* above U+10FFFF */
      {"\xf5\xff", 2, "\"\\ufffd\\ufffd\""},
      {"x\xe2\x82", 3, "\"x\\ufffd\\ufffd\""},          /* cut short at the end */
      {"\xe2\x82" "A", 3, "\"\\ufffd\\ufffdA\""},       /* cut short by ASCII */
      {"\xed\x9f\xbf", 3, "\"\xed\x9f\xbf\""},          /* U+D7FF, just below */
      {"\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\""},  /* U+10FFFF */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    siphb_event ev = ev_probe(SIPHB_EVENT_PROBE_RESULT);
    ev.u.probe.reason_phrase = (siphb_str){cases[i].in, cases[i].len};
    const char *got = to_json(&ev);
    char want[128];
    snprintf(want, sizeof want, "\"reason_phrase\":%s,\"transmissions\"", cases[i].out);
    if (!strstr(got, want)) fail_msg("case %zu: %s lacks %s", i, got, want);
  }
}

/* RFC 5952 text of the flow's mapped addresses. */
static void test_addresses(void **state) {
  (void)state;
  static const struct {
    uint8_t addr[16];
    const char *text;
  } cases[] = {
      {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}, "2001:db8::1"},
      {{0}, "::"},
      {{[15] = 1}, "::1"},
      {{1, 0}, "100::"},
      {{0, 1, [15] = 0}, "1::"},
      {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, "2001:db8:0:1:1:1:1:1"},
      {{0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, "2001:0:0:1::1"},
      {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, "2001:db8::1:0:0:1"},
      {{0xfe, 0x80, [12] = 0xab, 0xcd, 0x00, 0x12}, "fe80::abcd:12"},
      {{[10] = 0xff, 0xff, 192, 0, 2, 1}, "::ffff:192.0.2.1"},
      {{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0}, "1:2:3:4:5:6:7:0"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    siphb_event ev = ev_flow(SIPHB_EVENT_FLOW_MAPPED_ADDRESS);
    ev.u.flow.previous = ev.u.flow.mapped;
    ev.u.flow.mapped.family = 2;
    ev.u.flow.mapped.port = 5060;
    memcpy(ev.u.flow.mapped.addr, cases[i].addr, 16);
    const char *got = to_json(&ev);
    char want[160];
    snprintf(want, sizeof want,
             "\"mapped\":{\"family\":\"ipv6\",\"address\":\"%s\",\"port\":5060},"
             "\"previous\":{\"family\":\"ipv4\",\"address\":\"198.51.100.7\",\"port\":40000},",
             cases[i].text);
    if (!strstr(got, want)) fail_msg("case %zu: %s lacks %s", i, got, want);
  }
  siphb_event ev = ev_flow(SIPHB_EVENT_FLOW_ALIVE);
  ev.u.flow.mapped.family = 9;
  assert_non_null(strstr(to_json(&ev),
                         "\"mapped\":{\"family\":\"unknown\",\"address\":null,\"port\":40000}"));
}

/* The buffer rule at every capacity from 0 to beyond the text: NOBUF with
 * need = len + 1 below len, nothing written at or past cap (a canary
 * behind an exact-size heap block, which ASan watches too), the text
 * unterminated at cap == len, terminated above. */
static void test_every_capacity(void **state) {
  (void)state;
  siphb_event ev = ev_health(SIPHB_EVENT_HEALTH_CHANGED);
  char full[1024];
  siphb_ssize len = siphb_event_to_json(&ev, full, sizeof full, NULL);
  assert_true(len > 100);
  siphb_error_info err;
  assert_int_equal(siphb_event_to_json(&ev, NULL, 0, &err), SIPHB_ERR_NOBUF);
  assert_int_equal(err.code, SIPHB_ERR_NOBUF);
  assert_int_equal(err.need, (size_t)len + 1);
  for (size_t cap = 0; cap <= (size_t)len + 2; cap++) {
    char *buf = test_malloc(cap + 8);
    memset(buf, 0xA5, cap + 8);
    memset(&err, 0x5A, sizeof err);
    siphb_ssize rc = siphb_event_to_json(&ev, buf, cap, &err);
    if (cap < (size_t)len) {
      assert_int_equal(rc, SIPHB_ERR_NOBUF);
      assert_int_equal(err.code, SIPHB_ERR_NOBUF);
      assert_int_equal(err.need, (size_t)len + 1);
      assert_memory_equal(buf, full, cap); /* the partial text */
    } else {
      assert_int_equal(rc, len);
      assert_int_equal(err.code, 0);
      assert_int_equal(err.need, 0);
      assert_null(err.message);
      assert_memory_equal(buf, full, (size_t)len);
    }
    size_t untouched = cap == (size_t)len ? cap : cap > (size_t)len ? (size_t)len + 1 : cap;
    if (cap > (size_t)len) assert_int_equal(buf[len], '\0');
    for (size_t i = untouched; i < cap + 8; i++)
      if ((unsigned char)buf[i] != 0xA5) fail_msg("cap %zu: byte %zu written", cap, i);
    test_free(buf);
  }
  /* The same with exact-size blocks: ASan would see a write at buf[cap]. */
  for (size_t cap = 1; cap <= (size_t)len + 1; cap++) {
    char *buf = test_malloc(cap);
    siphb_ssize rc = siphb_event_to_json(&ev, buf, cap, NULL);
    assert_int_equal(rc, cap < (size_t)len ? SIPHB_ERR_NOBUF : len);
    test_free(buf);
  }
}

static void test_arguments(void **state) {
  (void)state;
  siphb_event ev = ev_timer(SIPHB_EVENT_TIMER);
  siphb_error_info err;
  char buf[8];
  assert_int_equal(siphb_event_to_json(NULL, buf, sizeof buf, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "ev");
  assert_int_equal(siphb_event_to_json(&ev, NULL, 8, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_string_equal(err.message, "buf");
}

/* ---- real events ---------------------------------------------------------------------- */

typedef struct captured {
  char lines[64][1024];
  siphb_event_type types[64];
  size_t n;
} captured;

/* Converts each event inside the callback, while its slices (the reason
 * phrase) still point at the received bytes. */
static int capture_hook(sim *s, const siphb_event *ev) {
  captured *c = s->hook_arg;
  if (c->n < 64) {
    const char *line = to_json(ev);
    snprintf(c->lines[c->n], sizeof c->lines[0], "%s", line);
    c->types[c->n++] = ev->type;
  }
  return 0;
}

static const char *find_line(const captured *c, siphb_event_type t, size_t nth) {
  for (size_t i = 0; i < c->n; i++)
    if (c->types[i] == t && nth-- == 0) return c->lines[i];
  fail_msg("no event %d", (int)t);
  return NULL;
}

static void test_real_probe_and_monitor(void **state) {
  (void)state;
  static captured c;
  memset(&c, 0, sizeof c);
  int rv;
  sim *s = sim_new(NULL, &rv);
  assert_non_null(s);
  s->hook = capture_hook;
  s->hook_arg = &c;
  const siphb_peer peer = {7, NULL, SIPHB_TRANSPORT_UDP};
  siphb_probe *p;
  siphb_health *h;
  assert_int_equal(make_probe(s, &peer, &p), 0);
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_probe_set_health(p, h), 0);
  assert_int_equal(siphb_probe_start(p, 0), 0);
  assert_int_equal(sim_run_until(s, 120), 0);
  assert_int_equal(answer_request(s, &peer, 0, 200, "Fine \"thanks\"\x01"), 0);
  assert_int_equal(sim_run_until(s, 30000), 0);
  assert_int_equal(sim_run_until(s, 30080), 0);
  assert_int_equal(answer_request(s, &peer, s->nsends - 1, 200, "OK"), 0);
  /* The first CSeq number is random: the one the request carried. */
  siphb_sip_msg req;
  assert_true(siphb_sip_parse(&req, s->sends[0].data, s->sends[0].len, NULL, NULL) > 0);
  char want[1024];
  snprintf(want, sizeof want,
           "{\"v\":1,\"type\":\"probe.result\",\"t\":120,\"due\":120,\"object\":\"probe\","
           "\"type_id\":100,\"peer\":{\"id\":7,\"transport\":\"udp\"},\"outcome\":\"alive\","
           "\"status\":200,\"status_text\":\"OK\",\"reason_phrase\":\"Fine \\\"thanks\\\"\\u0001\","
           "\"transmissions\":1,\"cseq\":%u,\"consecutive_failures\":0,\"sent_at\":0,"
           "\"rtt\":120,\"srtt\":120,\"retry_after_until\":0}",
           (unsigned)req.cseq);
  assert_string_equal(find_line(&c, SIPHB_EVENT_PROBE_RESULT, 0), want);
  assert_string_equal(
      find_line(&c, SIPHB_EVENT_HEALTH_CHANGED, 0),
      "{\"v\":1,\"type\":\"health.changed\",\"t\":120,\"due\":120,\"object\":\"health\","
      "\"type_id\":500,\"state\":\"healthy\",\"old_state\":\"unknown\",\"layer\":\"sip\","
      "\"reason\":\"none\",\"layers\":{\"link\":\"unknown\",\"transport\":\"unknown\","
      "\"sip\":\"healthy\",\"registration\":\"unknown\",\"media\":\"unknown\"},\"failures\":0,"
      "\"observations\":1,\"consecutive\":1,\"metric\":120,\"changes_in_window\":0,"
      "\"maintenance\":false,\"flapping\":false,\"alarm\":false,\"alarm_suppressed\":false,"
      "\"source\":\"probe\",\"since\":0,\"first_failure_at\":null,\"maintenance_until\":0}");
  /* Silence from here: timeouts, the monitor degrades, then goes offline. */
  assert_int_equal(sim_run_until(s, 400000), 0);
  assert_non_null(strstr(find_line(&c, SIPHB_EVENT_HEALTH_ALARM, 0), "\"alarm\":true"));
  assert_true(c.n >= 8);
  siphb_probe_del(p);
  siphb_health_del(h);
  sim_delete(s);
}

/* Last: every line of the tests above through python's json module. */
static void test_python_agrees(void **state) {
  (void)state;
  assert_non_null(lines_file);
  fclose(lines_file);
  lines_file = NULL;
  int rc = python_check_lines(LINES_PATH);
  if (rc < 0) skip();
  assert_int_equal(rc, 1);
}

int main(void) {
  lines_file = fopen(LINES_PATH, "w");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_type_exact),
      cmocka_unit_test(test_unknown_and_out_of_range),
      cmocka_unit_test(test_never_is_null),
      cmocka_unit_test(test_escaping),
      cmocka_unit_test(test_addresses),
      cmocka_unit_test(test_every_capacity),
      cmocka_unit_test(test_arguments),
      cmocka_unit_test(test_real_probe_and_monitor),
      cmocka_unit_test(test_python_agrees),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
