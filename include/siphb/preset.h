/*
 * siphb/preset.h - named site conditions that fill a probe's and a health
 * monitor's configs together, so that the keepalive (the fast clock) and
 * the confirmation (the slow clock) fit each other.
 *
 * | preset       | interval | timeout | retransmissions | offline when                      |
 * |--------------|----------|---------|-----------------|-----------------------------------|
 * | clean-lan    | 60 s     | 3 s     | 2               | 3 of 5 failed, lasting 180 s      |
 * | industrial   | 30 s     | 4 s     | 3               | 5 of 7 failed, lasting 300 s      |
 * | remote-nat   | 25 s     | 3 s     | 2               | 3 of 5 failed, lasting 90 s; the  |
 * |              |          |         |                 | transport (flow) layer degrades on |
 * |              |          |         |                 | one miss                          |
 * | high-latency | 60 s     | 5 s     | 3               | 3 of 5 failed, lasting 480 s      |
 * | trunk        | 15 s     | 2 s     | 2               | 3 of 4 failed, lasting 45 s       |
 *
 * "timeout" is the round's (the probe's `timeout`); "retransmissions" the
 * UDP retransmissions within it: T1 = timeout / 2^r, so that the r-th
 * retransmission (at (2^r - 1) x T1) still leaves T1 for its answer. On
 * reliable transports the request is sent once and the timeout is the
 * same. Every preset degrades after 2 misses in a row and recovers after
 * 2 successes (docs/API-PLAN.md, Q7); after a failed round the next comes
 * after retry_interval (the fast clock: a dead proxy is DEGRADED within
 * seconds), while OFFLINE waits for the confirmation (the slow clock).
 */
#ifndef SIPHB_PRESET_H
#define SIPHB_PRESET_H

#include <siphb/common.h>
#include <siphb/health.h>
#include <siphb/probe.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum siphb_preset {
  SIPHB_PRESET_CLEAN_LAN = 0,
  SIPHB_PRESET_INDUSTRIAL = 1,
  SIPHB_PRESET_REMOTE_NAT = 2,
  SIPHB_PRESET_HIGH_LATENCY = 3,
  SIPHB_PRESET_TRUNK = 4,
  SIPHB_PRESET_COUNT = 5
} siphb_preset;

/*
 * Sets the preset's fields in probe and health (either may be NULL), which
 * must have been initialised (siphb_probe_config_init(),
 * siphb_health_config_init()); other fields are left as they are. Returns
 * 0, or INVALID_ARGUMENT (a preset out of range, a config never
 * initialised).
 */
SIPHB_EXTERN int siphb_preset_apply(siphb_preset preset, siphb_probe_config *probe,
                                    siphb_health_config *health);

/* "clean-lan", "industrial", "remote-nat", "high-latency", "trunk"; "?"
 * when out of range. */
SIPHB_EXTERN const char *siphb_preset_name(siphb_preset preset);

/* The preset of that name (len bytes, no NUL needed). Returns 0 or
 * NOT_FOUND. */
SIPHB_EXTERN int siphb_preset_from_name(const char *name, size_t len, siphb_preset *out);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_PRESET_H */
