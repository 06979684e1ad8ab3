/*
 * failover_names.c - the names of the failover objects' causes, stages and
 * actions (siphb/failover.h), as the JSON export and the tool print them:
 * lower case with dashes, part of the export schema.
 */
#include <siphb/failover.h>

#include <stddef.h>

#include "base/names.h"

static const char *const cause_names[] = {"next-target", "failback", "manual", "initial"};

static const char *const stage_names[] = {"normal", "recovering", "notified", "alarm",
                                          "autodial"};

static const char *const action_names[] = {
    "none",   "reset-transport", "reregister", "reresolve", "notify",
    "notify-clear", "alarm-on",  "alarm-off",  "autodial"};


const char *siphb_switch_cause_name(siphb_switch_cause cause) {
  return SIPHB_NAME_OF(cause_names, cause);
}

const char *siphb_escalation_stage_name(siphb_escalation_stage stage) {
  return SIPHB_NAME_OF(stage_names, stage);
}

const char *siphb_escalation_action_name(siphb_escalation_action action) {
  return SIPHB_NAME_OF(action_names, action);
}
