/*
 * serve_st.c - what `siphb serve --session-timer MIN_SE` answers to INVITE:
 * the RFC 4028 decision of a UAS, made by the library (siphb_st_from_msg,
 * siphb_st_uas_answer) and written by it (siphb_st_encode, then
 * siphb_sip_encode_response with the lines as extra_headers):
 *
 *   - 422 Session Interval Too Small with Min-SE when Session-Expires is
 *     below the minimum and the UAC supports timer (section 6, 9);
 *   - 400 when a Session-Expires or Min-SE value is malformed (section 9
 *     leaves it to RFC 3261 section 21.4.1);
 *   - otherwise 200 with Contact, Supported: timer, Session-Expires with
 *     the refresher of the section 9 table, and Require: timer when the
 *     refresher is the UAC (section 9); no body (signalling only).
 *
 * serve keeps no dialog state: a re-INVITE (a session refresh, section
 * 10) is answered like an initial INVITE, ACK gets nothing, BYE gets 200
 * (serve_answer.c).
 *
 * siphb_sip_parse() refuses a message whose Session-Expires or Min-SE it
 * cannot index (not a number, a bad parameter), even leniently, so such a
 * request would never reach siphb_st_from_msg. serve_st_reparse() parses
 * a copy without those lines, so that the request still gets its 400
 * rather than silence.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "serve.h"

#ifndef _WIN32

#  include <string.h>

#  include <siphb/sip.h>
#  include <siphb/st.h>

#  include "addr.h"

/* Malformed session timer lines dropped from one request, at most: a
 * request with more is not worth an answer. */
#  define SERVE_ST_MAX_DROPPED 4

static bool is_blank(uint8_t c) { return c == ' ' || c == '\t'; }

/* The header line holding data[at], folded continuation lines included
 * (RFC 3261 section 7.3.1): [*start, *end), *end past its line break. */
static void line_around(const uint8_t *data, size_t len, size_t at, size_t *start, size_t *end) {
  size_t s = at > len ? len : at;
  for (;;) {
    while (s > 0 && data[s - 1] != '\n') s--;
    if (s == 0 || !is_blank(data[s])) break;
    s--; /* a continuation line: its header starts on a line before */
  }
  size_t e = s;
  for (;;) {
    while (e < len && data[e] != '\n') e++;
    if (e < len) e++;
    if (e >= len || !is_blank(data[e])) break;
  }
  *start = s;
  *end = e;
}

/* The header id of the line data[start, end): the name before its ':'. */
static siphb_sip_hdr line_header(const uint8_t *data, size_t start, size_t end) {
  size_t colon = start;
  while (colon < end && data[colon] != ':' && data[colon] != '\r' && data[colon] != '\n') colon++;
  if (colon == end || data[colon] != ':') return SIPHB_SIP_HDR_OTHER;
  size_t name_end = colon;
  while (name_end > start && is_blank(data[name_end - 1])) name_end--;
  siphb_str name = {(const char *)data + start, name_end - start};
  return siphb_sip_hdr_from(name);
}

siphb_ssize serve_st_reparse(const uint8_t *data, size_t len, const siphb_sip_parse_config *cfg,
                             const siphb_error_info *err, siphb_sip_msg *req, uint8_t *scratch) {
  if (len > SERVE_ANSWER_CAP) return SIPHB_ERR_PARSE;
  memcpy(scratch, data, len);
  siphb_error_info e = *err;
  size_t removed = 0;
  for (int dropped = 0; dropped < SERVE_ST_MAX_DROPPED; dropped++) {
    if (e.code == SIPHB_ERR_INCOMPLETE) return SIPHB_ERR_INCOMPLETE;
    size_t start, end;
    line_around(scratch, len, e.offset, &start, &end);
    /* Never the start line: a request line is no header. */
    if (start == 0) return SIPHB_ERR_PARSE;
    siphb_sip_hdr id = line_header(scratch, start, end);
    if (id != SIPHB_SIP_HDR_SESSION_EXPIRES && id != SIPHB_SIP_HDR_MIN_SE) return SIPHB_ERR_PARSE;
    memmove(scratch + start, scratch + end, len - end);
    len -= end - start;
    removed += end - start;
    siphb_ssize n = siphb_sip_parse(req, scratch, len, cfg, &e);
    if (n >= 0) return req->is_request ? n + (siphb_ssize)removed : SIPHB_ERR_PARSE;
  }
  return SIPHB_ERR_PARSE;
}

siphb_ssize serve_st_frame(const serve_opts *o, const uint8_t *data, size_t len, bool tcp,
                           uint8_t *scratch) {
  if (!o->st) return SIPHB_ERR_PARSE;
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.mode = tcp ? SIPHB_SIP_STREAM : SIPHB_SIP_DATAGRAM;
  cfg.lenient = true; /* as the stream codec parses */
  siphb_sip_msg req;
  siphb_error_info err;
  siphb_ssize n = siphb_sip_parse(&req, data, len, &cfg, &err);
  if (n >= 0) return SIPHB_ERR_PARSE; /* the framer would have taken it */
  n = serve_st_reparse(data, len, &cfg, &err, &req, scratch);
  if (n < 0) return n;
  return req.method_id == SIPHB_SIP_METHOD_INVITE ? n : SIPHB_ERR_PARSE;
}

/* "sip:siphb@ADDR" (";transport=tcp" on TCP): where the UAC sends the
 * ACK and BYE of the dialog the 200 makes (RFC 3261 section 12.1.1). */
static void contact_of(const serve_event *ev, char *contact) {
  char addr[ADDR_TEXT_MAX];
  addr_text(&ev->local, addr, sizeof addr);
  size_t n = strlen(addr);
  memcpy(contact, "sip:siphb@", 10);
  memcpy(contact + 10, addr, n);
  contact[10 + n] = '\0';
  if (ev->tcp) memcpy(contact + 10 + n, ";transport=tcp", sizeof ";transport=tcp");
}

static siphb_str cstr(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

void serve_st_invite(const serve_opts *o, const siphb_sip_msg *req, bool bad_value,
                     serve_event *ev, siphb_sip_response *rsp, char *extra, char *contact) {
  ev->kind = SERVE_INVITE;
  ev->st_interval = 0;
  ev->st_refresher = SIPHB_SIP_REFRESHER_NONE;
  ev->st_min_se = 0;
  extra[0] = '\0';
  if (bad_value) {
    /* The malformed line is gone from the copy: nothing left for st to
     * judge, and a 400 is what it would have said. */
    rsp->status = 400;
    return;
  }
  siphb_st_header h;
  siphb_st_result res;
  if (siphb_st_from_msg(req, &h) != 0 || siphb_st_uas_answer(&o->st_cfg, &h, &res) != 0) {
    /* The config was checked when the options were read: a bug. */
    rsp->status = 500;
    return;
  }
  siphb_error_info err;
  siphb_ssize n = siphb_st_encode(extra, SERVE_ST_EXTRA_CAP, &res, &err);
  if (n < 0) {
    extra[0] = '\0';
    rsp->status = 500;
    return;
  }
  rsp->extra_headers.ptr = extra;
  rsp->extra_headers.len = (size_t)n;
  if (res.action == SIPHB_ST_ACTION_REJECT) {
    rsp->status = (uint16_t)res.status;
    if (res.status == 422) {
      /* RFC 4028 section 6 names it; siphb_sip_reason() knows RFC 3261's. */
      rsp->reason = cstr("Session Interval Too Small");
      ev->st_min_se = res.min_se_s;
    }
    return;
  }
  rsp->status = 200;
  contact_of(ev, contact);
  rsp->contact_uri = cstr(contact);
  if (res.has_session_expires) {
    ev->st_interval = res.interval_s;
    ev->st_refresher = res.refresher;
  }
}

#endif /* !_WIN32 */
