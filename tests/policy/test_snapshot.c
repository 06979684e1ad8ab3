/*
 * test_snapshot.c - the durable-state snapshots of health, targets and
 * escalation: exact bytes, restore after a "reboot" (a new ctx whose
 * clock has another origin), and refusal of other versions, other kinds
 * and damaged snapshots with the object unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health_script.h"
#include "simclock.h"

/* The CRC-32 of the envelope, recomputed after a test edits a byte. */
static uint32_t crc32_of(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static void reseal(uint8_t *p, size_t len) {
  uint32_t c = crc32_of(p, len - 4);
  for (int i = 0; i < 4; i++) p[len - 4 + i] = (uint8_t)(c >> (8 * i));
}

static void test_health_snapshot(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 0), 0);
  assert_int_equal(siphb_health_set_maintenance(h, 3600000, 1000), 0);
  assert_int_equal(siphb_health_set_disabled(h, true, 1000), 0);
  uint8_t buf[SIPHB_SNAPSHOT_MAX];
  siphb_error_info err;
  assert_int_equal(siphb_health_save(h, buf, 5, &err, 601000), SIPHB_ERR_NOBUF);
  assert_int_equal(err.need, 19);
  siphb_ssize n = siphb_health_save(h, buf, sizeof buf, NULL, 601000);
  assert_int_equal(n, 19);
  /* 'S' 'H' version 1, kind HEALTH (6), 9 payload bytes: 3000000 ms left,
   * flags 1 (disabled); the CRC-32. */
  static const uint8_t head[15] = {'S', 'H', 1, 6, 9, 0, 0xC0, 0xC6, 0x2D, 0, 0, 0, 0, 0, 1};
  assert_memory_equal(buf, head, sizeof head);
  assert_int_equal(crc32_of(buf, 15),
                   (uint32_t)buf[15] | (uint32_t)buf[16] << 8 | (uint32_t)buf[17] << 16 |
                       (uint32_t)buf[18] << 24);
  siphb_health_del(h);
  sim_delete(s);
  /* The reboot: another ctx at 50 s on its own clock. */
  s = sim_new(NULL, &rv);
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 50000), 0);
  assert_int_equal(siphb_health_restore(h, buf, (size_t)n, 50000), 0);
  siphb_health_stats st;
  assert_int_equal(siphb_health_get_stats(h, &st), 0);
  assert_true(st.disabled);
  assert_true(st.maintenance);
  assert_int_equal(st.maintenance_until, 50000 + 3000000);
  /* Refused, nothing changed. */
  uint8_t bad[SIPHB_SNAPSHOT_MAX];
  memcpy(bad, buf, (size_t)n);
  bad[8] ^= 1;
  assert_int_equal(siphb_health_restore(h, bad, (size_t)n, 60000), SIPHB_ERR_SNAPSHOT_CORRUPT);
  memcpy(bad, buf, (size_t)n);
  bad[2] = 2;
  reseal(bad, (size_t)n);
  assert_int_equal(siphb_health_restore(h, bad, (size_t)n, 60000), SIPHB_ERR_SNAPSHOT_VERSION);
  memcpy(bad, buf, (size_t)n);
  bad[3] = SIPHB_OBJECT_ESCALATION;
  reseal(bad, (size_t)n);
  assert_int_equal(siphb_health_restore(h, bad, (size_t)n, 60000), SIPHB_ERR_SNAPSHOT_KIND);
  for (size_t cut = 0; cut < (size_t)n; cut++)
    assert_int_equal(siphb_health_restore(h, buf, cut, 60000), SIPHB_ERR_SNAPSHOT_CORRUPT);
  memcpy(bad, buf, (size_t)n);
  bad[14] = 2; /* a flag this version does not know */
  reseal(bad, (size_t)n);
  assert_int_equal(siphb_health_restore(h, bad, (size_t)n, 60000), SIPHB_ERR_SNAPSHOT_CORRUPT);
  assert_int_equal(siphb_health_restore(h, NULL, 0, 60000), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_health_stats after;
  assert_int_equal(siphb_health_get_stats(h, &after), 0);
  assert_true(after.disabled);
  assert_int_equal(after.maintenance_until, st.maintenance_until);
  siphb_health_del(h);
  sim_delete(s);
}

static void three_targets(siphb_targets *t, siphb_ms now) {
  siphb_target list[3];
  for (int i = 0; i < 3; i++) {
    siphb_target_init(&list[i], sizeof list[i]);
    list[i].key = (uint64_t)(i + 1);
    list[i].priority = (uint16_t)i;
  }
  assert_int_equal(siphb_targets_set(t, list, 3, now), 0);
}

static void test_targets_snapshot(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_targets_config c;
  siphb_targets_config_init(&c, sizeof c);
  c.max_switches = 1;
  c.min_switch_interval = 0;
  c.dwell = 100000;
  siphb_targets *t;
  assert_int_equal(siphb_targets_new(&t, s->ctx, &c, NULL, 0), 0);
  three_targets(t, 0);
  assert_int_equal(siphb_targets_observe(t, 1, SIPHB_HEALTH_STATE_OFFLINE,
                                         SIPHB_HEALTH_REASON_SIP_TIMEOUT, 10000),
                   0);
  assert_int_equal(siphb_targets_switch_to(t, 3, 20000), 0);
  uint8_t buf[SIPHB_SNAPSHOT_MAX];
  siphb_ssize n = siphb_targets_save(t, buf, sizeof buf, NULL, 50000);
  assert_int_equal(n, 6 + 8 + 4 + 1 + 1 * 4 + 4);
  assert_int_equal(buf[6], 3); /* current key 3 */
  siphb_targets_del(t);
  sim_delete(s);
  /* The loss of 1 at 10 s waited for the dwell; the operator's switch to 3
   * at 20 s filled the window (1 switch per hour). The reboot at 50 s on
   * the new clock: 3 current, its dwell and the window where they were. */
  s = sim_new(NULL, &rv);
  hs_watch = 1u << SIPHB_OBJECT_FAILOVER;
  assert_int_equal(siphb_targets_new(&t, s->ctx, &c, NULL, 50000), 0);
  three_targets(t, 50000);
  size_t seen = 0;
  hs_expect(s, &seen, (const char *const[]){"50000 switched initial 0>1 none", NULL});
  assert_int_equal(siphb_targets_restore(t, buf, (size_t)n, 50000), 0);
  hs_expect(s, &seen, (const char *const[]){"50000 switched initial 1>3 none", NULL});
  siphb_targets_stats st;
  assert_int_equal(siphb_targets_get_stats(t, &st), 0);
  assert_int_equal(st.switches_in_window, 1);
  assert_int_equal(siphb_targets_switch_to(t, 2, 51000), SIPHB_ERR_LIMIT);
  /* 3 lost: the next switch waits for the window (the switch at 20 s,
   * 30 s before the reboot, leaves it at 50000 + 3600000 - 30000). */
  assert_int_equal(siphb_targets_observe(t, 3, SIPHB_HEALTH_STATE_OFFLINE,
                                         SIPHB_HEALTH_REASON_SIP_TIMEOUT, 52000),
                   0);
  assert_int_equal(siphb_targets_get_stats(t, &st), 0);
  assert_int_equal(st.next_switch_at, 50000 + 3600000 - 30000);
  /* A snapshot naming a target not listed: refused, unchanged. */
  siphb_target only;
  siphb_target_init(&only, sizeof only);
  only.key = 9;
  siphb_targets *t2;
  assert_int_equal(siphb_targets_new(&t2, s->ctx, &c, NULL, 60000), 0);
  assert_int_equal(siphb_targets_set(t2, &only, 1, 60000), 0);
  assert_int_equal(siphb_targets_restore(t2, buf, (size_t)n, 60000), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_target cur;
  assert_int_equal(siphb_targets_current(t2, &cur), 0);
  assert_int_equal(cur.key, 9);
  /* Another kind's snapshot. */
  siphb_health *h;
  assert_int_equal(siphb_health_new(&h, s->ctx, NULL, NULL, 60000), 0);
  uint8_t hb[SIPHB_SNAPSHOT_MAX];
  siphb_ssize hn = siphb_health_save(h, hb, sizeof hb, NULL, 60000);
  assert_true(hn > 0);
  assert_int_equal(siphb_targets_restore(t, hb, (size_t)hn, 60000), SIPHB_ERR_SNAPSHOT_KIND);
  siphb_health_del(h);
  siphb_targets_del(t2);
  siphb_targets_del(t);
  sim_delete(s);
}

/* The latched alarm and the spent one-shot survive the reboot: the alarm
 * output is asked for again, and the outage that goes on after it does
 * not dial a second time. */
static void test_escalation_snapshot(void **state) {
  (void)state;
  int rv;
  sim *s = sim_new(NULL, &rv);
  siphb_escalation_config c;
  siphb_escalation_config_init(&c, sizeof c);
  c.autodial_enabled = true;
  c.zone_critical = true;
  c.recover_actions = 0;
  siphb_escalation *e;
  assert_int_equal(siphb_escalation_new(&e, s->ctx, &c, NULL, 0), 0);
  assert_int_equal(siphb_escalation_observe(e, SIPHB_HEALTH_STATE_OFFLINE,
                                            SIPHB_HEALTH_REASON_SIP_TIMEOUT, false, 0),
                   0);
  assert_int_equal(sim_run_until(s, 1000000), 0);
  assert_int_equal(sim_count(s, SIPHB_EVENT_ESCALATION_AUTODIAL), 1);
  uint8_t buf[SIPHB_SNAPSHOT_MAX];
  siphb_ssize n = siphb_escalation_save(e, buf, sizeof buf, NULL, 1000000);
  assert_int_equal(n, 6 + 1 + 4 + 8 + 4);
  assert_int_equal(buf[6], 3); /* alarm on, dialled */
  /* cooldown left: 3600000 - (1000000 - 900000) */
  assert_int_equal(buf[7] | buf[8] << 8 | buf[9] << 16 | (uint32_t)buf[10] << 24, 3500000);
  siphb_escalation_del(e);
  sim_delete(s);
  s = sim_new(NULL, &rv);
  hs_watch = 1u << SIPHB_OBJECT_ESCALATION;
  assert_int_equal(siphb_escalation_new(&e, s->ctx, &c, NULL, 0), 0);
  assert_int_equal(siphb_escalation_restore(e, buf, (size_t)n, 0), 0);
  size_t seen = 0;
  hs_expect(s, &seen, (const char *const[]){"0 action alarm-on", NULL});
  /* The outage is still there after the reboot: the incident continues
   * from its age (1000 s), at the AUTODIAL stage, without a second dial. */
  assert_int_equal(siphb_escalation_observe(e, SIPHB_HEALTH_STATE_OFFLINE,
                                            SIPHB_HEALTH_REASON_SIP_TIMEOUT, false, 200000),
                   0);
  hs_expect(s, &seen,
            (const char *const[]){"200000 stage normal>recovering",
                                  "200000 stage recovering>notified", "200000 action notify",
                                  "200000 stage notified>alarm", "200000 stage alarm>autodial",
                                  NULL});
  assert_int_equal(sim_count(s, SIPHB_EVENT_ESCALATION_AUTODIAL), 0);
  /* In an incident a restore is refused. */
  assert_int_equal(siphb_escalation_restore(e, buf, (size_t)n, 200000), SIPHB_ERR_INVALID_ARGUMENT);
  uint8_t bad[SIPHB_SNAPSHOT_MAX];
  memcpy(bad, buf, (size_t)n);
  bad[n - 1] ^= 0x80;
  assert_int_equal(siphb_escalation_restore(e, bad, (size_t)n, 200000), SIPHB_ERR_SNAPSHOT_CORRUPT);
  siphb_escalation_del(e);
  sim_delete(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_health_snapshot),
      cmocka_unit_test(test_targets_snapshot),
      cmocka_unit_test(test_escalation_snapshot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
