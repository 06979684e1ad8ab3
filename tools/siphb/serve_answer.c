/*
 * serve_answer.c - what `siphb serve` answers to one framed item, built
 * with the library's codecs: siphb_sip_encode_response (told the source
 * address, so the top Via gets received= and rport=), the STUN encoder,
 * and the CRLF pong of RFC 5626 section 4.4.1. With --session-timer,
 * INVITE is answered by serve_st.c and BYE gets 200.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "serve.h"

#ifndef _WIN32

#  include <stdio.h>
#  include <string.h>

#  include <siphb/sip.h>
#  include <siphb/stun.h>

#  include "addr.h"

/* What the answers to OPTIONS (RFC 3261 section 11.2: Allow, Accept and
 * Supported SHOULD be there) and the 405s (section 21.4.6: Allow MUST be)
 * list. */
#  define SERVE_ALLOW "OPTIONS"
/* With --session-timer: what serve then answers (CANCEL still gets 405:
 * serve answers INVITE at once, there is never a transaction to cancel). */
#  define SERVE_ALLOW_ST "OPTIONS, INVITE, ACK, BYE"
#  define SERVE_ACCEPT "application/sdp"
#  define SERVE_SERVER "siphb-serve"

static siphb_str cstr(const char *s) {
  siphb_str v = {s, strlen(s)};
  return v;
}

/* A SIP request: OPTIONS gets --code, a method siphb knows 405 (section
 * 21.4.6), one it does not 501 (section 8.2.1), ACK nothing (section 17);
 * with --session-timer INVITE gets what serve_st.c decides and BYE 200. */
static serve_verdict answer_sip(const serve_opts *o, const uint8_t *data, size_t len,
                                serve_event *ev, uint8_t *out, size_t *out_len,
                                uint8_t *scratch) {
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.mode = ev->tcp ? SIPHB_SIP_STREAM : SIPHB_SIP_DATAGRAM;
  cfg.lenient = true; /* as the stream codec framed it */
  siphb_sip_msg req;
  siphb_error_info perr;
  bool bad_st_value = false;
  if (siphb_sip_parse(&req, data, len, &cfg, &perr) < 0) {
    /* An INVITE whose only fault is its Session-Expires or Min-SE value
     * gets a 400 (serve_st.c); anything else malformed gets nothing. */
    if (!o->st || serve_st_reparse(data, len, &cfg, &perr, &req, scratch) < 0 ||
        req.method_id != SIPHB_SIP_METHOD_INVITE)
      return SERVE_MALFORMED;
    bad_st_value = true;
  }
  if (!req.is_request) return SERVE_IGNORE;
  snprintf(ev->method, sizeof ev->method, "%.*s",
           (int)(req.method.len < sizeof ev->method ? req.method.len : sizeof ev->method - 1),
           req.method.ptr);
  if (req.method_id == SIPHB_SIP_METHOD_ACK) {
    ev->kind = SERVE_ACK;
    return SERVE_SILENT;
  }
  siphb_sip_response rsp;
  siphb_sip_response_init(&rsp, sizeof rsp);
  char st_extra[SERVE_ST_EXTRA_CAP], st_contact[SERVE_ST_CONTACT_CAP];
  if (req.method_id == SIPHB_SIP_METHOD_OPTIONS) {
    ev->kind = SERVE_OPTIONS;
    rsp.status = (uint16_t)o->code;
    rsp.accept = cstr(SERVE_ACCEPT);
    if (o->st) rsp.supported = cstr("timer");
  } else if (o->st && req.method_id == SIPHB_SIP_METHOD_INVITE) {
    serve_st_invite(o, &req, bad_st_value, ev, &rsp, st_extra, st_contact);
  } else if (o->st && req.method_id == SIPHB_SIP_METHOD_BYE) {
    ev->kind = SERVE_BYE;
    rsp.status = 200;
  } else {
    ev->kind = SERVE_OTHER;
    rsp.status = req.method_id == SIPHB_SIP_METHOD_OTHER ? 501 : 405;
  }
  ev->status = rsp.status;
  rsp.allow = cstr(o->st ? SERVE_ALLOW_ST : SERVE_ALLOW);
  rsp.server = cstr(SERVE_SERVER);
  rsp.random = siphb_random_os;
  char host[ADDR_TEXT_MAX];
  addr_host(&ev->peer, host, sizeof host);
  rsp.source_ip = cstr(host);
  rsp.source_port = ev->peer.port;
  siphb_error_info err;
  siphb_ssize n = siphb_sip_encode_response(out, SERVE_ANSWER_CAP, &req, &rsp, &err);
  if (n < 0) {
    /* A lenient parse lets through requests that cannot be answered
     * (no From, no Call-ID, ...). */
    return SERVE_MALFORMED;
  }
  *out_len = (size_t)n;
  return SERVE_ANSWER;
}

/* A STUN Binding request (RFC 8489 section 6.3): success with
 * XOR-MAPPED-ADDRESS, or 420 with UNKNOWN-ATTRIBUTES when it holds
 * comprehension-required attributes we do not know (section 6.3.1);
 * FINGERPRINT when the request had one (section 7.3). Anything else STUN
 * is not for us. */
static serve_verdict answer_stun(const serve_opts *o, const uint8_t *data, size_t len,
                                 serve_event *ev, uint8_t *out, size_t *out_len) {
  if (!o->stun) return SERVE_IGNORE;
  siphb_stun_parse_config cfg;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.allow_classic = false; /* a port shared with SIP (RFC 5389 section 12.2) */
  siphb_stun_msg req;
  if (siphb_stun_parse(&req, data, len, &cfg, NULL) < 0) return SERVE_MALFORMED;
  if (req.method != SIPHB_STUN_BINDING || req.cls != SIPHB_STUN_REQUEST) return SERVE_IGNORE;
  ev->kind = SERVE_STUN;
  if (req.fingerprint_offset && siphb_stun_check_fingerprint(&req) != 0)
    return SERVE_MALFORMED; /* not STUN after all (section 7.3) */
  siphb_stun_encoder enc;
  bool unknown = req.unknown_count > 0;
  int rc = siphb_stun_encode_start_response(&enc, out, SERVE_ANSWER_CAP, &req,
                                            unknown ? SIPHB_STUN_ERROR : SIPHB_STUN_SUCCESS);
  if (rc == 0 && unknown) {
    ev->status = 420;
    rc = siphb_stun_encode_error_code(&enc, 420, cstr(""));
    if (rc == 0) rc = siphb_stun_encode_unknown_attributes(&enc, req.unknown, req.unknown_count);
  } else if (rc == 0) {
    rc = siphb_stun_encode_xor_mapped_address(&enc, &ev->peer);
  }
  siphb_ssize n = rc == 0 ? siphb_stun_encode_finish(
                                &enc, NULL, req.fingerprint_offset ? SIPHB_STUN_WITH_FINGERPRINT : 0)
                          : rc;
  if (n < 0) return SERVE_MALFORMED;
  *out_len = (size_t)n;
  return SERVE_ANSWER;
}

serve_verdict serve_answer(const serve_opts *o, const uint8_t *data, size_t len,
                           siphb_stream_kind kind, serve_event *ev, uint8_t *out,
                           size_t *out_len, uint8_t *scratch) {
  *out_len = 0;
  ev->method[0] = '\0';
  ev->status = 0;
  switch (kind) {
  case SIPHB_STREAM_CRLF_PING:
    /* RFC 5626 section 4.4.1: a pong per ping, on streams only (on UDP
     * section 3.5.1 keeps the CRLF technique out: STUN does the job). */
    if (!ev->tcp) return SERVE_IGNORE;
    ev->kind = SERVE_CRLF;
    memcpy(out, "\r\n", 2);
    *out_len = 2;
    return SERVE_ANSWER;
  case SIPHB_STREAM_SIP_REQUEST: return answer_sip(o, data, len, ev, out, out_len, scratch);
  case SIPHB_STREAM_STUN: return answer_stun(o, data, len, ev, out, out_len);
  case SIPHB_STREAM_CRLF_PONG:    /* a CRLF before a message (section 7.5) */
  case SIPHB_STREAM_SIP_RESPONSE: /* we sent no request */
  case SIPHB_STREAM_OTHER: break;
  }
  return SERVE_IGNORE;
}

#endif /* !_WIN32 */
