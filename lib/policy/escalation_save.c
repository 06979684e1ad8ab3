/*
 * escalation_save.c - the escalation's snapshot (siphb/failover.h
 * "SNAPSHOTS"): the latched alarm, the auto-dial record of the incident in
 * progress and the cooldown, as durations.
 *
 * Payload (version 1): flags u8 (1 alarm on, 2 dialled in the incident),
 * cooldown left u32 (ms), incident age u64 (ms; SIPHB_NEVER = none).
 */
#include "policy/escalation_int.h"
#include "policy/snapshot.h"

#include "base/ms.h"

siphb_ssize siphb_escalation_save(const siphb_escalation *esc, uint8_t *buf, size_t cap,
                                  siphb_error_info *err, siphb_ms now) {
  if (!esc) return SIPHB_ERR_INVALID_ARGUMENT;
  snapshot_buf b;
  snapshot_begin(&b, SIPHB_OBJECT_ESCALATION);
  bool in_incident = esc->incident_start != SIPHB_NEVER;
  snapshot_put_u8(&b, (uint8_t)((esc->alarm_on ? 1 : 0) | (in_incident && esc->dialled ? 2 : 0)));
  snapshot_put_u32(&b, (uint32_t)snapshot_left(esc->cooldown_until, now));
  snapshot_put_u64(&b, in_incident ? now - esc->incident_start + esc->incident_skew : SIPHB_NEVER);
  return snapshot_finish(&b, buf, cap, err);
}

int siphb_escalation_restore(siphb_escalation *esc, const uint8_t *buf, size_t len,
                             siphb_ms now) {
  if (!esc || siphb_obj_dead(&esc->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  snapshot_buf b;
  int rv = snapshot_open(&b, buf, len, SIPHB_OBJECT_ESCALATION);
  if (rv != 0) return rv;
  uint8_t flags = snapshot_get_u8(&b);
  uint32_t cooldown_left = snapshot_get_u32(&b);
  uint64_t age = snapshot_get_u64(&b);
  rv = snapshot_close(&b);
  if (rv != 0) return rv;
  if (flags & ~3u) return SIPHB_ERR_SNAPSHOT_CORRUPT;
  if (esc->incident_start != SIPHB_NEVER) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_ctx *ctx = esc->base.ctx;
  now = siphb_ctx_clock(ctx, now);
  esc->cooldown_until = cooldown_left ? siphb_ms_after(now, cooldown_left) : 0;
  if (age != SIPHB_NEVER) {
    /* An outage older than this clock: the part before its origin is
     * kept as the incident's skew. */
    esc->carried_start = now >= age ? now - age : 0;
    esc->carried_skew = now >= age ? 0 : age - now;
    esc->carried_dialled = (flags & 2) != 0;
  }
  rv = 0;
  if ((flags & 1) && !esc->alarm_on) {
    /* The output was off across the restart: ask for it again. */
    esc->alarm_on = true;
    rv = escalation_emit(esc, SIPHB_EVENT_ESCALATION_ACTION, (siphb_escalation_stage)esc->stage,
                         SIPHB_ESCALATION_ACTION_ALARM_ON, 0, now);
  }
  if (rv == 0 && !siphb_obj_dead(&esc->base)) rv = escalation_evaluate(esc, now);
  return siphb_ctx_end_call(ctx, rv);
}
