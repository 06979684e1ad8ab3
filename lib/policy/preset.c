/*
 * preset.c - the site presets of siphb/preset.h: one table row each, so
 * that the header's table and the code are read side by side.
 */
#include <siphb/preset.h>

#include <stddef.h>
#include <string.h>

typedef struct preset_row {
  const char *name;
  siphb_ms interval, timeout;
  uint32_t retransmissions;
  siphb_ms retry_interval;
  uint32_t down_k, down_n;
  siphb_ms down_after;
  bool transport_strict; /* TRANSPORT degrades on one miss */
} preset_row;

static const preset_row rows[SIPHB_PRESET_COUNT] = {
    {"clean-lan", 60000, 3000, 2, 5000, 3, 5, 180000, false},
    {"industrial", 30000, 4000, 3, 5000, 5, 7, 300000, false},
    {"remote-nat", 25000, 3000, 2, 5000, 3, 5, 90000, true},
    {"high-latency", 60000, 5000, 3, 10000, 3, 5, 480000, false},
    {"trunk", 15000, 2000, 2, 2000, 3, 4, 45000, false},
};

int siphb_preset_apply(siphb_preset preset, siphb_probe_config *probe,
                       siphb_health_config *health) {
  if ((unsigned)preset >= SIPHB_PRESET_COUNT) return SIPHB_ERR_INVALID_ARGUMENT;
  if ((probe && probe->size < sizeof *probe) || (health && health->size < sizeof *health))
    return SIPHB_ERR_INVALID_ARGUMENT;
  const preset_row *r = &rows[preset];
  if (probe) {
    probe->interval = r->interval;
    probe->timeout = r->timeout;
    probe->retry_interval = r->retry_interval;
    probe->t1 = r->timeout >> r->retransmissions;
    if (probe->t2 < probe->t1) probe->t2 = probe->t1;
  }
  if (health) {
    for (size_t i = 0; i < SIPHB_HEALTH_LAYER_COUNT; i++) {
      siphb_health_layer_config *l = &health->layers[i];
      if (i == SIPHB_HEALTH_LAYER_LINK || i == SIPHB_HEALTH_LAYER_MEDIA) continue;
      l->mode = SIPHB_HEALTH_MODE_CONFIRM;
      l->degrade_after = 2;
      l->up_after = 2;
      l->down_k = r->down_k;
      l->down_n = r->down_n;
      l->down_after = r->down_after;
    }
    if (r->transport_strict) health->layers[SIPHB_HEALTH_LAYER_TRANSPORT].degrade_after = 1;
  }
  return 0;
}

const char *siphb_preset_name(siphb_preset preset) {
  return (unsigned)preset < SIPHB_PRESET_COUNT ? rows[preset].name : "?";
}

int siphb_preset_from_name(const char *name, size_t len, siphb_preset *out) {
  if (!name || !out) return SIPHB_ERR_INVALID_ARGUMENT;
  for (size_t i = 0; i < SIPHB_PRESET_COUNT; i++) {
    if (strlen(rows[i].name) == len && memcmp(rows[i].name, name, len) == 0) {
      *out = (siphb_preset)i;
      return 0;
    }
  }
  return SIPHB_ERR_NOT_FOUND;
}
