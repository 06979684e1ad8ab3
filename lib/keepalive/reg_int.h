/*
 * reg_int.h - the REGISTER timing object's state, shared by reg.c (states,
 * timing, events) and reg_response.c (reading a response) (internal).
 */
#ifndef SIPHB_LIB_KEEPALIVE_REG_INT_H
#define SIPHB_LIB_KEEPALIVE_REG_INT_H

#include <siphb/reg.h>

#include "engine/ctx_int.h"
#include "engine/obs.h"

struct siphb_reg {
  siphb_obj base; /* first: the handle is the object */
  siphb_wheel_node node;
  uint8_t state;  /* a siphb_reg_state */
  bool initial;   /* the first REFRESH_DUE after start is still to come */
  bool expired;   /* expires_at has passed (EXPIRED reported) */
  uint32_t expires_s, requested, granted;
  uint32_t failures, auth, min_expires; /* in a row */
  uint32_t margin_permille, jitter_permille, max_min_expires, max_auth;
  siphb_ms margin_min, retry_base, retry_max, response_timeout;
  siphb_ms sent_at;
  /* deadlines, SIPHB_NEVER when they do not apply: the next REFRESH_DUE,
   * the response guard, the binding's end */
  siphb_ms due_at, guard_at, expires_at;
  siphb_str contact, instance_id; /* in text */
  char *text;
  size_t text_size;
  siphb_reg_stats stats;
  siphb_obs_link health; /* siphb_reg_set_health() */
};

#endif /* SIPHB_LIB_KEEPALIVE_REG_INT_H */
