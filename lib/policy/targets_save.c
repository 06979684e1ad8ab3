/*
 * targets_save.c - the target selection's snapshot (siphb/failover.h
 * "SNAPSHOTS"): the current target and the guards, as durations.
 *
 * Payload (version 1): current key u64 (0 = none), dwell left u32 (ms),
 * n u8 (at most SAVED_SWITCHES), then the ages of the n newest switches in
 * the window, u32 ms each, newest first.
 */
#include "policy/snapshot.h"
#include "policy/targets_int.h"

#include <string.h>

#include "base/ms.h"

/* The newest switches a snapshot keeps: enough for the rate limits in use
 * (a larger max_switches restarts with a more lenient window). */
#define SAVED_SWITCHES 16

siphb_ssize siphb_targets_save(const siphb_targets *targets, uint8_t *buf, size_t cap,
                               siphb_error_info *err, siphb_ms now) {
  if (!targets) return SIPHB_ERR_INVALID_ARGUMENT;
  const siphb_targets *t = targets;
  snapshot_buf b;
  snapshot_begin(&b, SIPHB_OBJECT_FAILOVER);
  snapshot_put_u64(&b, t->current >= 0 ? t->slots[t->current].key : 0);
  siphb_ms dwell_end = t->current >= 0 ? siphb_ms_after(t->current_since, t->dwell) : 0;
  snapshot_put_u32(&b, (uint32_t)snapshot_left(dwell_end, now));
  uint32_t n = targets_window_count(t, now);
  if (n > SAVED_SWITCHES) n = SAVED_SWITCHES;
  snapshot_put_u8(&b, (uint8_t)n);
  for (uint32_t i = 0; i < n; i++) {
    siphb_ms at = t->switch_times[(t->switch_head + t->max_switches - i) % t->max_switches];
    snapshot_put_u32(&b, (uint32_t)(now - at));
  }
  return snapshot_finish(&b, buf, cap, err);
}

int siphb_targets_restore(siphb_targets *targets, const uint8_t *buf, size_t len, siphb_ms now) {
  if (!targets || siphb_obj_dead(&targets->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_targets *t = targets;
  snapshot_buf b;
  int rv = snapshot_open(&b, buf, len, SIPHB_OBJECT_FAILOVER);
  if (rv != 0) return rv;
  uint64_t key = snapshot_get_u64(&b);
  uint32_t dwell_left = snapshot_get_u32(&b);
  uint8_t n = snapshot_get_u8(&b);
  uint32_t ages[SAVED_SWITCHES];
  if (n > SAVED_SWITCHES) return SIPHB_ERR_SNAPSHOT_CORRUPT;
  for (uint8_t i = 0; i < n; i++) ages[i] = snapshot_get_u32(&b);
  rv = snapshot_close(&b);
  if (rv != 0) return rv;
  for (uint8_t i = 1; i < n; i++)
    if (ages[i] < ages[i - 1]) return SIPHB_ERR_SNAPSHOT_CORRUPT; /* newest first */
  int32_t to = -1;
  for (uint32_t i = 0; key && i < t->count; i++)
    if (t->slots[i].key == key) to = (int32_t)i;
  if (key && to < 0) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = t->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  /* The window, oldest first into the ring; ages beyond the clock's
   * origin are kept at 0 (the window then ends later: stricter, not
   * laxer). */
  t->switch_count = 0;
  t->switch_head = 0;
  uint32_t keep = n < t->max_switches ? n : t->max_switches;
  for (uint32_t i = keep; i-- > 0;) {
    t->switch_head = (t->switch_head + 1) % t->max_switches;
    t->switch_times[t->switch_head] = now >= ages[i] ? now - ages[i] : 0;
    t->switch_count++;
  }
  rv = 0;
  if (to >= 0) {
    if (to != t->current)
      rv = targets_switch(t, to, SIPHB_SWITCH_INITIAL, SIPHB_HEALTH_REASON_NONE, now);
    /* The dwell goes on where it was. */
    siphb_ms served = t->dwell > dwell_left ? t->dwell - dwell_left : 0;
    t->current_since = now >= served ? now - served : 0;
  }
  if (rv == 0 && !siphb_obj_dead(&t->base)) rv = targets_decide(t, SIPHB_HEALTH_REASON_NONE, now);
  return siphb_ctx_end_call(ctx, rv);
}
