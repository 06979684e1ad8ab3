/*
 * simulate.h - `siphb simulate`: a health monitor (and, with --failover N,
 * a target selection over N monitors and an escalation) driven in
 * simulated time by a timeline file. Shared by cmd_simulate.c (options,
 * objects, the run), sim_timeline.c (one line of the timeline) and
 * sim_settings.c (the --preset and --set options).
 */
#ifndef SIPHB_TOOL_SIMULATE_H
#define SIPHB_TOOL_SIMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/siphb.h>

/* Most targets of --failover. */
#define SIM_MAX_TARGETS 16

typedef enum timeline_kind {
  TL_OBSERVE,     /* <ms> <layer>[@N] ok|fail|miss|degraded|failure [<reason>] [<metric>] */
  TL_MEDIA,       /* <ms> mos <mos x 100> <loss permille>[@N] */
  TL_MAINTENANCE, /* <ms> maintenance on|off */
  TL_INPUT,       /* <ms> input critical|<bit 0-31> on|off */
  TL_RESET,       /* <ms> reset */
  TL_END          /* <ms> end */
} timeline_kind;

typedef struct timeline_item {
  siphb_ms at;
  timeline_kind kind;
  siphb_health_layer layer;
  uint32_t target; /* 0-based; "@N" names target N, 1-based */
  siphb_health_obs obs;
  siphb_health_reason reason;
  uint32_t metric, loss; /* metric: SIPHB_HEALTH_NO_METRIC when absent */
  uint32_t input_bit;
  bool on;
} timeline_item;

/* Parses one line (NUL-terminated, no newline). Returns 1 for an item in
 * *out, 0 for a blank or comment line, -1 with a message in msg when
 * malformed. targets: how many @N may name (1 without --failover). */
int timeline_parse(const char *line, uint32_t targets, timeline_item *out, char *msg,
                   size_t cap);

/* The configs the options build. */
typedef struct sim_configs {
  siphb_health_config health;
  siphb_targets_config targets;
  siphb_escalation_config escalation;
} sim_configs;

void sim_configs_init(sim_configs *c);
/* --preset NAME. Returns 0, or -1 with a message. */
int sim_apply_preset(sim_configs *c, const char *name, char *msg, size_t cap);
/* --set NAME=VALUE: a health field ("flap_changes", "sip.down_k"), a
 * target selection's ("targets.dwell") or an escalation's
 * ("escalation.autodial_enabled"). Returns 0, or -1 with a message. */
int sim_apply_set(sim_configs *c, const char *assignment, char *msg, size_t cap);
/* Prints the names --set knows, one per line. */
void sim_list_settings(void);

#endif /* SIPHB_TOOL_SIMULATE_H */
