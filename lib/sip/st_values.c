/*
 * st_values.c - the RFC 4028 header values (siphb/st.h): Session-Expires
 * and Min-SE on their own, and the timer view of a parsed message. The
 * lexing is the SIP parser's own (sip_values.c); this file adds what a
 * session timer needs on top: the 90 s floor as its own code, the
 * parameters kept, and every line of a message read again.
 */
#include <siphb/st.h>

#include <string.h>

#include "base/error_info.h"
#include "sip/sip_values.h"

/* The codec convention for a value error at `where` in value. */
static int value_error(siphb_error_info *err, siphb_str value, const siphb_sip_verr *e) {
  size_t at = e->where && e->where >= value.ptr ? (size_t)(e->where - value.ptr) : 0;
  return (int)siphb_fail(err, e->code, at, 0, e->why);
}

static int floor_error(siphb_error_info *err, const char *what) {
  return (int)siphb_fail(err, SIPHB_ERR_SIP_SESSION_INTERVAL, 0, 0, what);
}

int siphb_st_parse_session_expires(siphb_str value, siphb_st_session_expires *out,
                                   siphb_error_info *err) {
  siphb_error_clear(err);
  if (!out || (!value.ptr && value.len))
    return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "NULL argument");
  siphb_sip_session_expires se;
  siphb_sip_verr e = {0, NULL, NULL};
  siphb_str params = {NULL, 0};
  const char *p = value.ptr ? value.ptr : "";
  if (siphb_sip_parse_session_expires_params(p, p + value.len, &se, &params, &e) != 0)
    return value_error(err, value, &e);
  out->delta_s = se.delta;
  out->refresher = se.refresher;
  out->params = params;
  if (se.delta < SIPHB_ST_MIN_SE)
    return floor_error(err, "Session-Expires below 90 s (RFC 4028 section 4)");
  return 0;
}

int siphb_st_parse_min_se(siphb_str value, uint32_t *min_se_s, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!min_se_s || (!value.ptr && value.len))
    return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "NULL argument");
  siphb_sip_verr e = {0, NULL, NULL};
  const char *p = value.ptr ? value.ptr : "";
  uint32_t v;
  if (siphb_sip_parse_number(p, p + value.len, UINT32_MAX, true, SIPHB_ERR_SIP_NUMBER, &v, &e) != 0)
    return value_error(err, value, &e);
  *min_se_s = v;
  if (v < SIPHB_ST_MIN_SE) return floor_error(err, "Min-SE below 90 s (RFC 4028 section 5)");
  return 0;
}

/* The first error of a message's values is the one reported. */
static void keep_error(siphb_st_header *out, int rv) {
  if (rv != 0 && out->error == 0) out->error = rv;
}

int siphb_st_from_msg(const siphb_sip_msg *msg, siphb_st_header *out) {
  if (!msg || !out) return SIPHB_ERR_INVALID_ARGUMENT;
  memset(out, 0, sizeof *out);
  siphb_sip_iter it;
  siphb_sip_iter_init(&it, msg);
  siphb_sip_header h;
  while (siphb_sip_next_header(&it, &h)) {
    if (h.id == SIPHB_SIP_HDR_SESSION_EXPIRES) {
      if (out->has_session_expires) { /* a single-valued header twice */
        keep_error(out, SIPHB_ERR_SIP_MULTIPLE_VALUES);
        continue;
      }
      siphb_st_session_expires se;
      int rv = siphb_st_parse_session_expires(h.value, &se, NULL);
      keep_error(out, rv);
      if (rv == 0 || rv == SIPHB_ERR_SIP_SESSION_INTERVAL) {
        out->has_session_expires = true;
        out->session_expires_s = se.delta_s;
        out->refresher = se.refresher;
      }
    } else if (h.id == SIPHB_SIP_HDR_MIN_SE) {
      if (out->has_min_se) {
        keep_error(out, SIPHB_ERR_SIP_MULTIPLE_VALUES);
        continue;
      }
      uint32_t v = 0;
      int rv = siphb_st_parse_min_se(h.value, &v, NULL);
      keep_error(out, rv);
      if (rv == 0 || rv == SIPHB_ERR_SIP_SESSION_INTERVAL) {
        out->has_min_se = true;
        out->min_se_s = v;
      }
    }
  }
  out->supported_timer = siphb_sip_has_token(msg, SIPHB_SIP_HDR_SUPPORTED, "timer");
  out->require_timer = siphb_sip_has_token(msg, SIPHB_SIP_HDR_REQUIRE, "timer");
  return 0;
}
