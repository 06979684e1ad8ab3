/*
 * st_negotiate.c - the RFC 4028 negotiation of every role (siphb/st.h):
 * what a UAC offers, what a UAS answers, what a proxy forwards or
 * rejects, what a UAC makes of the response; and the schedule.
 */
#include <siphb/st.h>

#include <string.h>

#include "base/sized.h"

#define CONFIG_MIN_SIZE sizeof(siphb_st_config)

static void config_defaults(siphb_st_config *c) {
  memset(c, 0, sizeof *c);
  c->size = (uint32_t)sizeof *c;
  c->session_expires_s = SIPHB_ST_DEFAULT_SE;
  c->min_se_s = SIPHB_ST_MIN_SE;
  c->refresher = SIPHB_ST_PREFER_UAS;
  c->uac_refresh_anyway = true;
  c->max_retries = 3;
}

static void config_defaults_fn(void *c) { config_defaults(c); }

void siphb_st_config_init(siphb_st_config *cfg, size_t size) {
  siphb_st_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

/* The validated config (NULL: the defaults) in *c. */
static int take_config(const siphb_st_config *in, siphb_st_config *c) {
  const void *view;
  int rv = siphb_sized_view_or_defaults(in, c, sizeof *c, CONFIG_MIN_SIZE, config_defaults_fn,
                                        &view);
  if (rv != 0) return rv;
  if (view != c) memcpy(c, view, sizeof *c);
  if (c->min_se_s < SIPHB_ST_MIN_SE || !siphb_sized_bool_ok(&c->uac_refresh_anyway) ||
      (unsigned)c->refresher > SIPHB_ST_PREFER_UAC ||
      (c->session_expires_s != 0 && c->session_expires_s < c->min_se_s) || c->max_retries > 10)
    return SIPHB_ERR_INVALID_ARGUMENT;
  return 0;
}

static uint32_t max_u32(uint32_t a, uint32_t b) { return a > b ? a : b; }

static void result_init(siphb_st_result *out, const char *reason) {
  memset(out, 0, sizeof *out);
  out->action = SIPHB_ST_ACTION_ACCEPT;
  out->reason = reason;
}

static void reject(siphb_st_result *out, uint32_t status, uint32_t min_se, const char *reason) {
  result_init(out, reason);
  out->action = SIPHB_ST_ACTION_REJECT;
  out->status = status;
  if (status == 422) {
    out->has_min_se = true;
    out->min_se_s = min_se;
  }
}

/* The Min-SE a request stands for: its own, or 90 when absent (section 5). */
static uint32_t request_min_se(const siphb_st_header *req) {
  return req->has_min_se ? max_u32(req->min_se_s, SIPHB_ST_MIN_SE) : SIPHB_ST_MIN_SE;
}

/* A value that is no session interval at all (not a number, a bad
 * parameter) is a malformed request; one below 90 s is a 422 case. */
static bool malformed(const siphb_st_header *h) {
  return h->error != 0 && h->error != SIPHB_ERR_SIP_SESSION_INTERVAL;
}

/* What every request decision starts with: the config, a malformed value
 * answered 400, the floor (the local and the request's Min-SE). Returns 1
 * when *out is final (the 400), 0 to go on, or a negative code. */
static int open_request(const siphb_st_config *cfg_in, const siphb_st_header *req,
                        siphb_st_result *out, siphb_st_config *cfg, uint32_t *floor) {
  if (!out || !req) return SIPHB_ERR_INVALID_ARGUMENT;
  int rv = take_config(cfg_in, cfg);
  if (rv != 0) return rv;
  if (malformed(req)) {
    reject(out, 400, 0, "malformed Session-Expires or Min-SE");
    return 1;
  }
  *floor = max_u32(cfg->min_se_s, request_min_se(req));
  return 0;
}

int siphb_st_uac_offer(const siphb_st_config *cfg_in, uint32_t min_se_seen,
                       siphb_sip_refresher refresher, siphb_st_result *out) {
  siphb_st_config cfg;
  if (!out || (unsigned)refresher > SIPHB_SIP_REFRESHER_UAS) return SIPHB_ERR_INVALID_ARGUMENT;
  int rv = take_config(cfg_in, &cfg);
  if (rv != 0) return rv;
  uint32_t floor = max_u32(cfg.min_se_s, min_se_seen);
  result_init(out, "offer (RFC 4028 section 7.1)");
  out->supported_timer = true;
  /* Section 7.4: after a 422, or a refresh that carried one, every later
   * request carries the largest Min-SE seen. */
  out->has_min_se = min_se_seen > 0 || floor > SIPHB_ST_MIN_SE;
  out->min_se_s = floor;
  if (cfg.session_expires_s) {
    out->has_session_expires = true;
    out->interval_s = max_u32(cfg.session_expires_s, floor);
    out->refresher = refresher;
    out->local_refresher = refresher == SIPHB_SIP_REFRESHER_UAC;
  }
  return 0;
}

int siphb_st_uas_answer(const siphb_st_config *cfg_in, const siphb_st_header *req,
                        siphb_st_result *out) {
  siphb_st_config cfg;
  uint32_t floor;
  int rv = open_request(cfg_in, req, out, &cfg, &floor);
  if (rv != 0) return rv < 0 ? rv : 0;
  uint32_t interval;
  if (!req->has_session_expires) {
    if (!cfg.session_expires_s) {
      result_init(out, "no Session-Expires asked, none wanted: no session timer");
      return 0;
    }
    interval = max_u32(cfg.session_expires_s, floor);
  } else if (req->session_expires_s < floor) {
    if (req->supported_timer) {
      reject(out, 422, floor, "Session-Expires below the minimum (section 9)");
      return 0;
    }
    /* The UAC would not understand a 422 (a proxy inserted the value):
     * raise the interval instead (RFC 4028 erratum 1687). */
    interval = floor;
  } else {
    /* Never raised; lowered to the local preference, not below Min-SE. */
    interval = req->session_expires_s;
    if (cfg.session_expires_s && cfg.session_expires_s < interval)
      interval = max_u32(cfg.session_expires_s, floor);
  }
  result_init(out, "accepted (section 9)");
  siphb_sip_refresher r = SIPHB_SIP_REFRESHER_UAS;
  if (req->supported_timer) {
    if (req->refresher != SIPHB_SIP_REFRESHER_NONE) r = req->refresher;
    else if (cfg.refresher == SIPHB_ST_PREFER_UAC) r = SIPHB_SIP_REFRESHER_UAC;
  }
  out->active = true;
  out->has_session_expires = true;
  out->supported_timer = true;
  out->interval_s = interval;
  out->min_se_s = floor;
  out->refresher = r;
  out->require_timer = r == SIPHB_SIP_REFRESHER_UAC;
  out->local_refresher = r == SIPHB_SIP_REFRESHER_UAS;
  return 0;
}

int siphb_st_proxy_request(const siphb_st_config *cfg_in, const siphb_st_header *req,
                           siphb_st_result *out) {
  siphb_st_config cfg;
  uint32_t floor;
  int rv = open_request(cfg_in, req, out, &cfg, &floor);
  if (rv != 0) return rv < 0 ? rv : 0;
  result_init(out, "forwarded (section 8.1)");
  out->min_se_s = floor;
  out->has_min_se = req->has_min_se || floor > SIPHB_ST_MIN_SE;
  out->refresher = req->refresher;
  out->supported_timer = false; /* the request's Supported is forwarded as it is */
  if (req->has_session_expires) {
    uint32_t se = req->session_expires_s;
    if (se < floor) {
      if (req->supported_timer) {
        reject(out, 422, floor, "Session-Expires below the proxy's minimum (section 8.1)");
        return 0;
      }
      se = floor; /* the UAC cannot retry: raise it and say so in Min-SE */
      out->has_min_se = true;
    }
    if (cfg.session_expires_s && cfg.session_expires_s < se)
      se = max_u32(cfg.session_expires_s, floor);
    out->has_session_expires = true;
    out->interval_s = se;
  } else if (cfg.session_expires_s) {
    out->has_session_expires = true;
    out->interval_s = max_u32(cfg.session_expires_s, floor);
  }
  out->active = out->has_session_expires;
  return 0;
}

int siphb_st_uac_on_response(const siphb_st_config *cfg_in, const siphb_st_result *sent,
                             unsigned status, const siphb_st_header *resp,
                             siphb_st_result *out) {
  siphb_st_config cfg;
  if (!out || !sent || !resp || status < 200 || status > 699) return SIPHB_ERR_INVALID_ARGUMENT;
  int rv = take_config(cfg_in, &cfg);
  if (rv != 0) return rv;
  uint32_t offered = sent->has_session_expires ? sent->interval_s : 0;
  if (status == 422) {
    uint32_t min = resp->min_se_s;
    bool usable = resp->has_min_se && !malformed(resp) && min >= SIPHB_ST_MIN_SE;
    if (!usable || min <= offered || sent->retries >= cfg.max_retries) {
      const char *why = "422 retried max_retries times already: not again";
      if (min <= offered) why = "422 for a Min-SE already offered: not retried (loop guard)";
      if (!usable) why = "422 without a usable Min-SE (section 7.3): not retried";
      result_init(out, why);
      out->action = SIPHB_ST_ACTION_GIVE_UP;
      out->status = 422;
      return 0;
    }
    result_init(out, "retry with the 422's Min-SE (sections 7.3, 7.4)");
    out->action = SIPHB_ST_ACTION_RETRY;
    out->retries = sent->retries + 1;
    out->supported_timer = true;
    out->has_session_expires = true;
    /* Never below what this side asked for itself either. */
    out->min_se_s = max_u32(max_u32(min, sent->min_se_s), cfg.min_se_s);
    out->interval_s = out->min_se_s;
    out->has_min_se = true;
    out->refresher = sent->refresher;
    out->local_refresher = sent->refresher == SIPHB_SIP_REFRESHER_UAC;
    return 0;
  }
  if (status >= 300) {
    result_init(out, "no 2xx: no session timer");
    return 0;
  }
  result_init(out, "2xx (section 7.2)");
  out->min_se_s = max_u32(sent->min_se_s, SIPHB_ST_MIN_SE);
  if (resp->has_session_expires && !malformed(resp)) {
    out->active = true;
    out->has_session_expires = true;
    out->interval_s = resp->session_expires_s;
    if (out->interval_s < out->min_se_s) {
      /* A UAS that broke the floor (below 90 s, or below the Min-SE we
       * sent): the timer runs, at the floor. */
      out->interval_s = out->min_se_s;
      out->reason = "2xx with Session-Expires below Min-SE: run at the minimum (section 7.2)";
    }
    /* A 2xx that names no refresher leaves it to the UAC, which knows it
     * asked for a timer (the RFC requires the UAS to name one). */
    out->refresher = resp->refresher != SIPHB_SIP_REFRESHER_NONE ? resp->refresher
                                                                 : SIPHB_SIP_REFRESHER_UAC;
  } else if (cfg.uac_refresh_anyway && offered) {
    out->reason = "2xx without Session-Expires: the UAC refreshes anyway (section 7.2)";
    out->active = true;
    out->interval_s = offered;
    out->refresher = SIPHB_SIP_REFRESHER_UAC;
  } else {
    out->reason = "2xx without Session-Expires: no session timer (section 7.2)";
    return 0;
  }
  out->local_refresher = out->refresher == SIPHB_SIP_REFRESHER_UAC;
  return 0;
}

siphb_ms siphb_st_refresh_delay(uint32_t interval_s) { return (siphb_ms)interval_s * 1000 / 2; }

siphb_ms siphb_st_bye_delay(uint32_t interval_s, uint32_t margin_divisor) {
  siphb_ms whole = (siphb_ms)interval_s * 1000;
  siphb_ms margin = whole / (margin_divisor ? margin_divisor : 3);
  return whole - (margin < 32000 ? margin : 32000);
}
