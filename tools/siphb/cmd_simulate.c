/*
 * cmd_simulate.c - `siphb simulate`: what a preset or a config would do,
 * before deploying it. A health monitor (with --failover N: N monitors, a
 * target selection over them and an escalation watching it) runs in
 * simulated time from a timeline file (sim_timeline.c); every event is
 * printed as one JSON line of the export schema (docs/EXPORT.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/export.h>
#include <siphb/siphb.h>

#include "offline_ctx.h"
#include "simulate.h"
#include "tool.h"

static const char usage_text[] =
    "Usage: siphb simulate [--preset NAME] [--set NAME=VALUE]... [--failover N] TIMELINE\n"
    "       siphb simulate --list-settings\n"
    "\n"
    "Runs a health monitor in simulated time from TIMELINE ('-' for standard\n"
    "input) and prints every event as a JSON line. With --failover N (1-16):\n"
    "N monitors, one per target (keys 1..N, priorities in that order), a target\n"
    "selection over them and an escalation watching it.\n"
    "\n"
    "Timeline, one item per line, times in ms, never decreasing, '#' comments:\n"
    "  <ms> <layer>[@N] ok|fail|miss|degraded|failure [<reason>] [<metric>]\n"
    "      layer: link transport sip registration media; @N: target N (default 1);\n"
    "      fail = miss (a soft failure), failure = confirmed by its source\n"
    "  <ms> mos[@N] <mos x 100> <loss permille>\n"
    "  <ms> maintenance on|off      (every monitor)\n"
    "  <ms> input critical|<bit> on|off   (the escalation's inputs; critical = 0)\n"
    "  <ms> reset                   (monitors reset, a latched alarm reset)\n"
    "  <ms> end                     (runs the timers to <ms>, then exits 0)\n"
    "\n"
    "Options:\n"
    "  --preset NAME      clean-lan, industrial, remote-nat, high-latency, trunk\n"
    "  --set NAME=VALUE   any config field (see --list-settings), after the preset\n"
    "  --failover N       N targets with a target selection and an escalation\n"
    "\n"
    "Exit status: 0 after 'end'; 1 a malformed timeline (with its line number)\n"
    "or a config _new refused; 2 usage or I/O error.\n";

typedef struct simulation {
  siphb_ctx *ctx;
  siphb_health *monitors[SIM_MAX_TARGETS];
  uint32_t count;
  siphb_targets *targets;
  siphb_escalation *escalation;
  uint32_t inputs;
  bool output_failed;
} simulation;

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  simulation *s = user_data;
  char line[2048];
  siphb_ssize n = siphb_event_to_json(ev, line, sizeof line, NULL);
  if (n < 0 || fwrite(line, 1, (size_t)n, stdout) != (size_t)n || putchar('\n') == EOF)
    s->output_failed = true;
  return 0;
}

static int build(simulation *s, const sim_configs *c, uint32_t failover) {
  int rv = offline_ctx_new(&s->ctx, on_event, s);
  if (rv != 0) return rv;
  s->count = failover ? failover : 1;
  for (uint32_t i = 0; i < s->count; i++) {
    rv = siphb_health_new(&s->monitors[i], s->ctx, &c->health, NULL, 0);
    if (rv != 0) return rv;
  }
  if (!failover) return 0;
  rv = siphb_targets_new(&s->targets, s->ctx, &c->targets, NULL, 0);
  if (rv == 0) rv = siphb_escalation_new(&s->escalation, s->ctx, &c->escalation, NULL, 0);
  if (rv == 0) rv = siphb_escalation_set_targets(s->escalation, s->targets, 0);
  if (rv != 0) return rv;
  siphb_target list[SIM_MAX_TARGETS];
  for (uint32_t i = 0; i < s->count; i++) {
    siphb_target_init(&list[i], sizeof list[i]);
    list[i].key = i + 1;
    list[i].priority = (uint16_t)i;
    list[i].health = s->monitors[i];
  }
  return siphb_targets_set(s->targets, list, s->count, 0);
}

static void run_until(simulation *s, siphb_ms at) {
  for (siphb_ms next = siphb_ctx_next_deadline(s->ctx); next <= at;
       next = siphb_ctx_next_deadline(s->ctx))
    siphb_ctx_advance(s->ctx, next);
}

static int apply(simulation *s, const timeline_item *it, char *msg, size_t cap) {
  int rv = 0;
  switch (it->kind) {
  case TL_OBSERVE:
    rv = siphb_health_observe(s->monitors[it->target], it->layer, it->obs, it->reason, it->metric,
                              it->at);
    break;
  case TL_MEDIA:
    rv = siphb_health_observe_media(s->monitors[it->target], it->metric, it->loss, it->at);
    break;
  case TL_MAINTENANCE:
    for (uint32_t i = 0; i < s->count && rv == 0; i++)
      rv = siphb_health_set_maintenance(s->monitors[i], it->on ? SIPHB_NEVER : 0, it->at);
    break;
  case TL_INPUT:
    if (!s->escalation) {
      snprintf(msg, cap, "'input' needs --failover (the escalation has the inputs)");
      return -1;
    }
    if (it->on) s->inputs |= 1u << it->input_bit;
    else s->inputs &= ~(1u << it->input_bit);
    rv = siphb_escalation_set_inputs(s->escalation, s->inputs, it->at);
    break;
  case TL_RESET:
    for (uint32_t i = 0; i < s->count && rv == 0; i++) rv = siphb_health_reset(s->monitors[i], it->at);
    if (rv == 0 && s->escalation) rv = siphb_escalation_reset_alarm(s->escalation, it->at);
    break;
  case TL_END:
    break;
  }
  if (rv != 0) {
    snprintf(msg, cap, "%s: %s", siphb_errname(rv), siphb_strerror(rv));
    return -1;
  }
  return 0;
}

static void cleanup(simulation *s) { siphb_ctx_del(s->ctx); }

/* Reads the timeline and runs it. Returns the exit status. */
static int run_file(simulation *s, FILE *in, const char *path) {
  char line[1100];
  unsigned lineno = 0;
  siphb_ms last = 0;
  char msg[256];
  while (fgets(line, sizeof line, in)) {
    lineno++;
    size_t len = strlen(line);
    if (len && line[len - 1] == '\n') line[--len] = '\0';
    else if (!feof(in)) {
      fprintf(stderr, "siphb: simulate: %s:%u: line too long\n", path, lineno);
      return TOOL_EXIT_BAD_INPUT;
    }
    timeline_item it;
    int r = timeline_parse(line, s->count, &it, msg, sizeof msg);
    if (r == 0) continue;
    if (r < 0 || it.at < last) {
      if (r >= 0) snprintf(msg, sizeof msg, "time %llu is before %llu", (unsigned long long)it.at,
                           (unsigned long long)last);
      fprintf(stderr, "siphb: simulate: %s:%u: %s\n", path, lineno, msg);
      return TOOL_EXIT_BAD_INPUT;
    }
    last = it.at;
    run_until(s, it.at);
    if (apply(s, &it, msg, sizeof msg) != 0) {
      fprintf(stderr, "siphb: simulate: %s:%u: %s\n", path, lineno, msg);
      return TOOL_EXIT_BAD_INPUT;
    }
    if (it.kind == TL_END) {
      if (fflush(stdout) != 0 || s->output_failed) {
        fprintf(stderr, "siphb: simulate: writing the output failed\n");
        return TOOL_EXIT_USAGE;
      }
      return TOOL_EXIT_OK;
    }
  }
  if (ferror(in)) {
    fprintf(stderr, "siphb: simulate: %s: read error: %s\n", path, strerror(errno));
    return TOOL_EXIT_USAGE;
  }
  fprintf(stderr, "siphb: simulate: %s:%u: no 'end' line\n", path, lineno);
  return TOOL_EXIT_BAD_INPUT;
}

int cmd_simulate(int argc, char **argv) {
  sim_configs cfg;
  sim_configs_init(&cfg);
  const char *path = NULL;
  uint32_t failover = 0;
  char msg[256];
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage_text, stdout);
      return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
    } else if (strcmp(argv[i], "--list-settings") == 0) {
      sim_list_settings();
      return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
    } else if (tool_option_value(argc, argv, &i, "--preset", &v)) {
      if (!v) return tool_usage_error("simulate", "--preset needs a name");
      if (sim_apply_preset(&cfg, v, msg, sizeof msg) != 0)
        return tool_usage_error("simulate", "%s", msg);
    } else if (tool_option_value(argc, argv, &i, "--set", &v)) {
      if (!v) return tool_usage_error("simulate", "--set needs NAME=VALUE");
      if (sim_apply_set(&cfg, v, msg, sizeof msg) != 0)
        return tool_usage_error("simulate", "%s", msg);
    } else if (tool_option_value(argc, argv, &i, "--failover", &v)) {
      unsigned n;
      if (!tool_parse_uint(v, 1, SIM_MAX_TARGETS, &n))
        return tool_usage_error("simulate", "--failover wants 1..%d", SIM_MAX_TARGETS);
      failover = n;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return tool_usage_error("simulate", "unknown option '%s'", argv[i]);
    } else if (path) {
      return tool_usage_error("simulate", "one timeline only");
    } else {
      path = argv[i];
    }
  }
  if (!path) return tool_usage_error("simulate", "no timeline file");
  FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
  if (!in) {
    fprintf(stderr, "siphb: simulate: %s: %s\n", path, strerror(errno));
    return TOOL_EXIT_USAGE;
  }
  simulation s;
  memset(&s, 0, sizeof s);
  int rv = build(&s, &cfg, failover);
  int status;
  if (rv != 0) {
    fprintf(stderr, "siphb: simulate: the config was refused: %s (%s)\n", siphb_errname(rv),
            siphb_strerror(rv));
    status = TOOL_EXIT_BAD_INPUT;
  } else {
    status = run_file(&s, in, path);
  }
  cleanup(&s);
  if (in != stdin) fclose(in);
  return status;
}
