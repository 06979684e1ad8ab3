/*
 * health_names.c - the names of the health monitor's states, layers and
 * reasons, as the JSON export, the Prometheus labels and the tool print
 * them (siphb/health.h). Lower case with dashes: stable, part of the
 * export schema.
 */
#include <siphb/health.h>

#include <stddef.h>

#include "base/names.h"

static const char *const state_names[] = {"unknown", "healthy", "degraded", "offline"};

static const char *const layer_names[SIPHB_HEALTH_LAYER_COUNT] = {
    "link", "transport", "sip", "registration", "media"};

static const char *const reason_names[SIPHB_HEALTH_REASON_COUNT] = {
    "none",           "link-down",    "transport-failed", "send-failed", "sip-timeout",
    "sip-overload",   "sip-rejected", "reg-failed",       "reg-auth",    "reg-expired",
    "media-poor",     "stale",        "mapped-changed",   "manual",      "no-address",
    "maintenance",    "media-loss"};

const char *siphb_health_state_name(siphb_health_state state) {
  return SIPHB_NAME_OF(state_names, state);
}

const char *siphb_health_layer_name(siphb_health_layer layer) {
  return SIPHB_NAME_OF(layer_names, layer);
}

const char *siphb_health_reason_name(siphb_health_reason reason) {
  return SIPHB_NAME_OF(reason_names, reason);
}
