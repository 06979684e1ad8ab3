/*
 * health_save.c - the health monitor's snapshot (siphb/failover.h
 * "SNAPSHOTS"): what an operator set, which a restart must not undo.
 * Judgements are not saved: after a restart the monitor observes afresh.
 *
 * Payload (version 1): manual maintenance left u64 (ms; 0 = off,
 * SIPHB_NEVER = until turned off), flags u8 (1 = disabled).
 */
#include "policy/health_int.h"
#include "policy/snapshot.h"

#include "base/ms.h"

siphb_ssize siphb_health_save(const siphb_health *health, uint8_t *buf, size_t cap,
                              siphb_error_info *err, siphb_ms now) {
  if (!health) return SIPHB_ERR_INVALID_ARGUMENT;
  snapshot_buf b;
  snapshot_begin(&b, SIPHB_OBJECT_HEALTH);
  uint64_t left = health->manual_until == 0 ? 0 : snapshot_left(health->manual_until, now);
  snapshot_put_u64(&b, left);
  snapshot_put_u8(&b, (health->flags & HEALTH_DISABLED) ? 1 : 0);
  return snapshot_finish(&b, buf, cap, err);
}

int siphb_health_restore(siphb_health *health, const uint8_t *buf, size_t len, siphb_ms now) {
  if (!health || siphb_obj_dead(&health->base)) return SIPHB_ERR_INVALID_ARGUMENT;
  snapshot_buf b;
  int rv = snapshot_open(&b, buf, len, SIPHB_OBJECT_HEALTH);
  if (rv != 0) return rv;
  uint64_t left = snapshot_get_u64(&b);
  uint8_t flags = snapshot_get_u8(&b);
  rv = snapshot_close(&b);
  if (rv != 0) return rv;
  if (flags > 1) return SIPHB_ERR_SNAPSHOT_CORRUPT;
  /* Both through the public calls, which report what changes. */
  rv = siphb_health_set_maintenance(health, left, now);
  if (rv == 0) rv = siphb_health_set_disabled(health, flags & 1, now);
  return rv;
}
