/*
 * sim_settings.c - the configs `siphb simulate` runs with: the library's
 * defaults, then --preset, then each --set NAME=VALUE in order. The
 * values are checked by the objects' _new, as an integrator's would be.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulate.h"

typedef enum field_type { F_U32, F_MS, F_BOOL, F_MODE, F_FAILBACK } field_type;

typedef struct field {
  const char *name;
  field_type type;
  size_t offset;
} field;

#define HEALTH(name, type) {#name, type, offsetof(siphb_health_config, name)}
#define LAYER(name, type) {#name, type, offsetof(siphb_health_layer_config, name)}
#define TARGETS(name, type) {#name, type, offsetof(siphb_targets_config, name)}
#define ESC(name, type) {#name, type, offsetof(siphb_escalation_config, name)}

static const field health_fields[] = {
    HEALTH(flap_changes, F_U32),     HEALTH(flap_window, F_MS),
    HEALTH(flap_hold, F_MS),         HEALTH(alarm_on_degraded, F_BOOL),
    HEALTH(media_mos_x100, F_U32),   HEALTH(media_loss_permille, F_U32),
    HEALTH(media_sustain, F_MS),
};
static const field layer_fields[] = {
    LAYER(enabled, F_BOOL),       LAYER(mode, F_MODE),           LAYER(degrade_after, F_U32),
    LAYER(down_k, F_U32),         LAYER(down_n, F_U32),          LAYER(down_after, F_MS),
    LAYER(up_after, F_U32),       LAYER(stale_after, F_MS),      LAYER(counter_max, F_U32),
    LAYER(counter_up, F_U32),     LAYER(counter_down, F_U32),    LAYER(counter_initial, F_U32),
};
static const field targets_fields[] = {
    TARGETS(fail_on_degraded, F_BOOL), TARGETS(dwell, F_MS),
    TARGETS(min_switch_interval, F_MS), TARGETS(max_switches, F_U32),
    TARGETS(switch_window, F_MS),      TARGETS(failback, F_FAILBACK),
    TARGETS(failback_hold, F_MS),
};
static const field escalation_fields[] = {
    ESC(recover_step, F_MS),          ESC(recover_actions, F_U32),
    ESC(fail_on_degraded, F_BOOL),    ESC(notify_after, F_MS),
    ESC(alarm_after, F_MS),           ESC(autodial_after, F_MS),
    ESC(alarm_enabled, F_BOOL),       ESC(alarm_latched, F_BOOL),
    ESC(autodial_enabled, F_BOOL),    ESC(autodial_one_shot, F_BOOL),
    ESC(zone_critical, F_BOOL),       ESC(autodial_cooldown, F_MS),
    ESC(autodial_required_inputs, F_U32), ESC(autodial_blocking_inputs, F_U32),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void sim_configs_init(sim_configs *c) {
  siphb_health_config_init(&c->health, sizeof c->health);
  siphb_targets_config_init(&c->targets, sizeof c->targets);
  siphb_escalation_config_init(&c->escalation, sizeof c->escalation);
}

int sim_apply_preset(sim_configs *c, const char *name, char *msg, size_t cap) {
  siphb_preset p;
  if (siphb_preset_from_name(name, strlen(name), &p) != 0) {
    snprintf(msg, cap, "unknown preset '%s' (clean-lan, industrial, remote-nat, high-latency, "
                       "trunk)", name);
    return -1;
  }
  return siphb_preset_apply(p, NULL, &c->health) == 0 ? 0 : -1;
}

static int parse_value(const field *f, const char *v, void *base, char *msg, size_t cap) {
  char *at = (char *)base + f->offset;
  switch (f->type) {
  case F_BOOL: {
    bool b;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) b = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) b = false;
    else break;
    memcpy(at, &b, sizeof b);
    return 0;
  }
  case F_MODE: {
    siphb_health_mode m;
    if (strcmp(v, "confirm") == 0) m = SIPHB_HEALTH_MODE_CONFIRM;
    else if (strcmp(v, "counter") == 0) m = SIPHB_HEALTH_MODE_COUNTER;
    else break;
    memcpy(at, &m, sizeof m);
    return 0;
  }
  case F_FAILBACK: {
    siphb_failback_mode m;
    if (strcmp(v, "auto") == 0) m = SIPHB_FAILBACK_AUTO;
    else if (strcmp(v, "manual") == 0) m = SIPHB_FAILBACK_MANUAL;
    else if (strcmp(v, "never") == 0) m = SIPHB_FAILBACK_NEVER;
    else break;
    memcpy(at, &m, sizeof m);
    return 0;
  }
  case F_U32:
  case F_MS: {
    if (!*v || *v == '-' || *v == '+') break;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 0);
    if (errno || *end) break;
    if (f->type == F_U32) {
      if (n > UINT32_MAX) break;
      uint32_t u = (uint32_t)n;
      memcpy(at, &u, sizeof u);
    } else {
      siphb_ms ms = n;
      memcpy(at, &ms, sizeof ms);
    }
    return 0;
  }
  }
  snprintf(msg, cap, "bad value '%s' for %s", v, f->name);
  return -1;
}

static const field *find(const field *table, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(table[i].name, name) == 0) return &table[i];
  return NULL;
}

int sim_apply_set(sim_configs *c, const char *assignment, char *msg, size_t cap) {
  char name[96];
  const char *eq = strchr(assignment, '=');
  if (!eq || (size_t)(eq - assignment) >= sizeof name) {
    snprintf(msg, cap, "--set wants NAME=VALUE, got '%s'", assignment);
    return -1;
  }
  memcpy(name, assignment, (size_t)(eq - assignment));
  name[eq - assignment] = '\0';
  const char *value = eq + 1;
  const field *f = NULL;
  void *base = NULL;
  char *dot = strchr(name, '.');
  if (!dot) {
    f = find(health_fields, COUNT(health_fields), name);
    base = &c->health;
  } else {
    *dot = '\0';
    const char *sub = dot + 1;
    if (strcmp(name, "targets") == 0) {
      f = find(targets_fields, COUNT(targets_fields), sub);
      base = &c->targets;
    } else if (strcmp(name, "escalation") == 0) {
      f = find(escalation_fields, COUNT(escalation_fields), sub);
      base = &c->escalation;
    } else {
      for (int l = 0; l < SIPHB_HEALTH_LAYER_COUNT; l++) {
        if (strcmp(name, siphb_health_layer_name((siphb_health_layer)l)) == 0) {
          f = find(layer_fields, COUNT(layer_fields), sub);
          base = &c->health.layers[l];
        }
      }
    }
    *dot = '.';
  }
  if (!f) {
    snprintf(msg, cap, "unknown setting '%s' (siphb simulate --list-settings)", name);
    return -1;
  }
  return parse_value(f, value, base, msg, cap);
}

void sim_list_settings(void) {
  for (size_t i = 0; i < COUNT(health_fields); i++) printf("%s\n", health_fields[i].name);
  for (int l = 0; l < SIPHB_HEALTH_LAYER_COUNT; l++)
    for (size_t i = 0; i < COUNT(layer_fields); i++)
      printf("%s.%s\n", siphb_health_layer_name((siphb_health_layer)l), layer_fields[i].name);
  for (size_t i = 0; i < COUNT(targets_fields); i++) printf("targets.%s\n", targets_fields[i].name);
  for (size_t i = 0; i < COUNT(escalation_fields); i++)
    printf("escalation.%s\n", escalation_fields[i].name);
}
