/*
 * cmd_session_timer.c - `siphb session-timer`: what RFC 4028 makes of a
 * call, before it is placed. One role (uac, uas, proxy) with the local
 * config decides on the peer's headers as the library's pure functions
 * decide (siphb/st.h); the decision, the headers it sends (siphb_st_encode,
 * verbatim), the interval and the refresher are printed, then the
 * timeline of the dialog's session timer (st_timeline.c) on the library's
 * scheduler. The peer's headers are read by st_peer.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session_timer.h"
#include "tool.h"

#define CMD "session-timer"

static const char usage_text[] =
    "Usage: siphb session-timer --role uac|uas|proxy [--peer 'Name: value']...\n"
    "           [--status N] [--se S] [--min-se S] [--refresher uac|uas|any]\n"
    "           [--segments N] [--grace S] [--max-duration S]\n"
    "           [--max-duration-no-timer S] [--bye-margin-divisor N]\n"
    "           [--hours H] [--json]\n"
    "\n"
    "The RFC 4028 decision of one role on the peer's headers, and the timeline\n"
    "of the session timer that follows, every refresh succeeding.\n"
    "\n"
    "  --role R           uas, proxy: the peer's INVITE is decided on; uac: the\n"
    "                     INVITE offered, then the response to it\n"
    "  --peer 'H: V'      a header of the peer's message as on the wire\n"
    "                     (Session-Expires/x, Min-SE, Supported/k, Require,\n"
    "                     Allow; repeatable); for uac, of the response\n"
    "  --status N         uac: the response's status, 200-699 (default 200)\n"
    "  --se S             local Session-Expires, 0 = no timer of our own\n"
    "                     (1800, or --min-se when that is above)\n"
    "  --min-se S         local minimum, at least 90 (90)\n"
    "  --refresher R      uas: who refreshes when the request leaves it open;\n"
    "                     uac: the refresher offered; any: uas, or none offered\n"
    "  --segments N       0 (RFC mode) or 2-10 refresh points per interval (0)\n"
    "  --grace S          more time before the BYE (0)\n"
    "  --max-duration S   hard limit of every call, 0 = off (0)\n"
    "  --max-duration-no-timer S   hard limit without a timer, 0 = off (7200)\n"
    "  --bye-margin-divisor N      BYE at interval - min(32 s, interval/N) (3)\n"
    "  --hours H          length of the timeline, 1-168 (1)\n"
    "  --json             one JSON object instead of text\n"
    "\n"
    "Exit status: 0 a decision; 1 a malformed peer header value (the error on\n"
    "stderr, the decision on it still printed); 2 usage error.\n";

typedef struct options {
  st_role role;
  bool role_given;
  bool se_given;   /* --se: else the default follows a --min-se above it */
  unsigned status;
  siphb_st_config st;
  siphb_sip_refresher uac_refresher; /* the refresher a UAC offers */
  siphb_session_config session;
  uint32_t hours;
  bool json;
  const char *peer[ST_MAX_PEER];
  size_t npeer;
} options;

/* A decimal in [min, max] into a uint32_t field; false when it is not one. */
static bool parse_u32(const char *v, uint32_t min, uint32_t max, uint32_t *out) {
  unsigned n;
  if (!tool_parse_uint(v, min, max, &n)) return false;
  *out = (uint32_t)n;
  return true;
}

/* Seconds that fit the session's millisecond fields (2^32 ms). */
static bool parse_secs_ms(const char *v, siphb_ms *out) {
  uint32_t s;
  if (!parse_u32(v, 0, UINT32_MAX / 1000, &s)) return false;
  *out = (siphb_ms)s * 1000;
  return true;
}

static int parse_role(const char *v, options *o) {
  if (!v) return tool_usage_error(CMD, "--role needs uac, uas or proxy");
  if (strcmp(v, "uac") == 0) o->role = ST_ROLE_UAC;
  else if (strcmp(v, "uas") == 0) o->role = ST_ROLE_UAS;
  else if (strcmp(v, "proxy") == 0) o->role = ST_ROLE_PROXY;
  else return tool_usage_error(CMD, "unknown role '%s' (uac, uas or proxy)", v);
  o->role_given = true;
  return 0;
}

static int parse_refresher(const char *v, options *o) {
  if (v && strcmp(v, "uac") == 0) {
    o->st.refresher = SIPHB_ST_PREFER_UAC;
    o->uac_refresher = SIPHB_SIP_REFRESHER_UAC;
  } else if (v && strcmp(v, "uas") == 0) {
    o->st.refresher = SIPHB_ST_PREFER_UAS;
    o->uac_refresher = SIPHB_SIP_REFRESHER_UAS;
  } else if (v && strcmp(v, "any") == 0) {
    o->st.refresher = SIPHB_ST_PREFER_UAS;
    o->uac_refresher = SIPHB_SIP_REFRESHER_NONE;
  } else {
    return tool_usage_error(CMD, "--refresher wants uac, uas or any");
  }
  return 0;
}

#define BAD_VALUE(opt, want) tool_usage_error(CMD, "%s wants %s, got '%s'", opt, want, v ? v : "")

/* One option at argv[*i]. Returns 0, -1 for --help (printed), or the exit
 * status of a usage error. */
static int parse_option(int argc, char **argv, int *i, options *o) {
  const char *v;
  const char *a = argv[*i];
  if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
    fputs(usage_text, stdout);
    return -1;
  }
  if (strcmp(a, "--json") == 0) {
    o->json = true;
  } else if (tool_option_value(argc, argv, i, "--role", &v)) {
    return parse_role(v, o);
  } else if (tool_option_value(argc, argv, i, "--peer", &v)) {
    if (!v) return tool_usage_error(CMD, "--peer needs 'Name: value'");
    if (o->npeer == ST_MAX_PEER) return tool_usage_error(CMD, "at most %d --peer", ST_MAX_PEER);
    o->peer[o->npeer++] = v;
  } else if (tool_option_value(argc, argv, i, "--status", &v)) {
    uint32_t n;
    if (!parse_u32(v, 200, 699, &n)) return BAD_VALUE("--status", "200-699");
    o->status = n;
  } else if (tool_option_value(argc, argv, i, "--se", &v)) {
    if (!parse_u32(v, 0, UINT32_MAX, &o->st.session_expires_s))
      return BAD_VALUE("--se", "seconds (0 = no timer)");
    o->se_given = true;
  } else if (tool_option_value(argc, argv, i, "--min-se", &v)) {
    if (!parse_u32(v, SIPHB_ST_MIN_SE, UINT32_MAX, &o->st.min_se_s))
      return BAD_VALUE("--min-se", "seconds (at least 90)");
  } else if (tool_option_value(argc, argv, i, "--refresher", &v)) {
    return parse_refresher(v, o);
  } else if (tool_option_value(argc, argv, i, "--segments", &v)) {
    if (!parse_u32(v, 0, 10, &o->session.segments) || o->session.segments == 1)
      return BAD_VALUE("--segments", "0 or 2-10");
  } else if (tool_option_value(argc, argv, i, "--grace", &v)) {
    if (!parse_secs_ms(v, &o->session.grace)) return BAD_VALUE("--grace", "seconds");
  } else if (tool_option_value(argc, argv, i, "--max-duration", &v)) {
    if (!parse_secs_ms(v, &o->session.max_duration))
      return BAD_VALUE("--max-duration", "seconds (0 = off)");
  } else if (tool_option_value(argc, argv, i, "--max-duration-no-timer", &v)) {
    if (!parse_secs_ms(v, &o->session.max_duration_no_timer))
      return BAD_VALUE("--max-duration-no-timer", "seconds (0 = off)");
  } else if (tool_option_value(argc, argv, i, "--bye-margin-divisor", &v)) {
    if (!parse_u32(v, 1, 100, &o->session.bye_margin_divisor))
      return BAD_VALUE("--bye-margin-divisor", "1-100");
  } else if (tool_option_value(argc, argv, i, "--hours", &v)) {
    if (!parse_u32(v, 1, 168, &o->hours)) return BAD_VALUE("--hours", "1-168");
  } else if (a[0] == '-') {
    return tool_usage_error(CMD, "unknown option '%s'", a);
  } else {
    return tool_usage_error(CMD, "unexpected argument '%s'", a);
  }
  return 0;
}

static const char *role_name(st_role r) {
  return r == ST_ROLE_UAC ? "uac" : r == ST_ROLE_UAS ? "uas" : "proxy";
}

static const char *refresher_name(siphb_sip_refresher r) {
  return r == SIPHB_SIP_REFRESHER_UAC ? "uac" : r == SIPHB_SIP_REFRESHER_UAS ? "uas" : NULL;
}

static const char *action_name(siphb_st_action a) {
  static const char *const names[] = {"accept", "reject", "retry", "give-up"};
  return (unsigned)a < 4 ? names[a] : "?";
}

/* The header lines of a result, each without its CRLF. */
typedef struct header_lines {
  char buf[512];
  const char *line[8];
  size_t n;
} header_lines;

static void encode_lines(const siphb_st_result *res, header_lines *h) {
  h->n = 0;
  siphb_ssize len = siphb_st_encode(h->buf, sizeof h->buf, res, NULL);
  if (len <= 0) return;
  for (char *p = h->buf; *p && h->n < 8;) {
    char *crlf = strstr(p, "\r\n");
    if (!crlf) break;
    *crlf = '\0';
    h->line[h->n++] = p;
    p = crlf + 2;
  }
}

/* What the headers are of, in the text output; NULL: none are sent. */
static const char *headers_label(st_role role, const siphb_st_result *res) {
  if (res->action == SIPHB_ST_ACTION_REJECT) return res->status == 422 ? "in the 422" : "in the 400";
  if (res->action == SIPHB_ST_ACTION_RETRY) return "in the new INVITE";
  if (res->action == SIPHB_ST_ACTION_GIVE_UP) return NULL;
  if (role == ST_ROLE_UAC) return res->active ? "the timer in force" : NULL;
  return role == ST_ROLE_PROXY ? "forwarded" : "in the 200";
}

static void text_headers(const char *label, const header_lines *h) {
  if (!label) {
    printf("headers: none\n");
    return;
  }
  if (h->n == 0) {
    printf("headers (%s): none\n", label);
    return;
  }
  printf("headers (%s):\n", label);
  for (size_t i = 0; i < h->n; i++) printf("  %s\n", h->line[i]);
}

static void text_decision(const options *o, const siphb_st_result *res) {
  const char *what;
  char status[16] = "";
  if (res->action == SIPHB_ST_ACTION_REJECT) snprintf(status, sizeof status, "%u ", res->status);
  else if (o->role == ST_ROLE_UAS) snprintf(status, sizeof status, "200 ");
  if (o->role == ST_ROLE_UAC && res->action == SIPHB_ST_ACTION_ACCEPT)
    what = res->active ? "timer in force" : "no timer";
  else if (o->role == ST_ROLE_PROXY && res->action == SIPHB_ST_ACTION_ACCEPT)
    what = "forward";
  else
    what = res->action == SIPHB_ST_ACTION_GIVE_UP ? "give up" : action_name(res->action);
  printf("decision: %s%s (%s)\n", status, what, res->reason ? res->reason : "");
  header_lines h;
  encode_lines(res, &h);
  text_headers(headers_label(o->role, res), &h);
  if (res->active || res->has_session_expires) {
    printf("interval: %lu s\n", (unsigned long)res->interval_s);
    const char *r = refresher_name(res->refresher);
    if (res->active)
      printf("refresher: %s (%s)\n", r ? r : "none",
             o->role == ST_ROLE_PROXY ? "the UAs refresh"
             : res->local_refresher   ? "we refresh"
                                      : "the peer refreshes");
    else
      printf("refresher: %s\n", r ? r : "none");
  } else if (res->action == SIPHB_ST_ACTION_ACCEPT) {
    printf("interval: none (no session timer)\n");
  }
}

static void json_headers(json_writer *w, const char *key, const siphb_st_result *res) {
  header_lines h;
  encode_lines(res, &h);
  json_key(w, key);
  json_begin_array(w);
  for (size_t i = 0; i < h.n; i++) json_cstring(w, h.line[i]);
  json_end_array(w);
}

static void json_decision(json_writer *w, const options *o, const siphb_st_result *res) {
  json_key(w, "decision");
  json_cstring(w, action_name(res->action));
  json_key(w, "status");
  if (res->action == SIPHB_ST_ACTION_REJECT) json_uint(w, res->status);
  else if (o->role == ST_ROLE_UAS && res->action == SIPHB_ST_ACTION_ACCEPT) json_uint(w, 200);
  else json_null(w);
  json_key(w, "reason");
  json_cstring(w, res->reason ? res->reason : "");
  json_headers(w, "headers", res);
  json_key(w, "active");
  json_bool(w, res->active);
  json_key(w, "interval");
  if (res->active || res->has_session_expires) json_uint(w, res->interval_s);
  else json_null(w);
  json_key(w, "min_se");
  if (res->min_se_s) json_uint(w, res->min_se_s);
  else json_null(w);
  json_key(w, "refresher");
  const char *r = refresher_name(res->refresher);
  if (r) json_cstring(w, r);
  else json_null(w);
  json_key(w, "local_refresher");
  json_bool(w, res->local_refresher);
}

/* The error of a malformed peer value: a line on stderr, a key in JSON. */
static void report_error(json_writer *w, const st_peer *p) {
  const st_peer_error *e = &p->error;
  fprintf(stderr, "error: %s%s%s: %s\n", e->line ? e->line : "", e->line ? ": " : "",
          siphb_errname(e->code), e->message);
  if (!w) return;
  json_key(w, "error");
  json_begin_object(w);
  json_key(w, "header");
  if (e->line) json_cstring(w, e->line);
  else json_null(w);
  json_key(w, "code");
  json_cstring(w, siphb_errname(e->code));
  json_key(w, "message");
  json_cstring(w, e->message);
  json_end_object(w);
}

/* Decides, prints, runs the timeline. Returns the exit status. */
static int run(const options *o) {
  char msg[300];
  st_peer peer;
  bool uac = o->role == ST_ROLE_UAC;
  if (st_peer_read(o->peer, o->npeer, !uac, o->status, &peer, msg, sizeof msg) != 0)
    return tool_usage_error(CMD, "%s", msg);
  siphb_st_result sent, res;
  int rv = 0;
  if (uac) {
    rv = siphb_st_uac_offer(&o->st, 0, o->uac_refresher, &sent);
    if (rv == 0) rv = siphb_st_uac_on_response(&o->st, &sent, o->status, &peer.hdr, &res);
  } else if (o->role == ST_ROLE_UAS) {
    rv = siphb_st_uas_answer(&o->st, &peer.hdr, &res);
  } else {
    rv = siphb_st_proxy_request(&o->st, &peer.hdr, &res);
  }
  if (rv != 0) return tool_usage_error(CMD, "the config was refused: %s", siphb_errname(rv));
  json_writer jw, *w = o->json ? &jw : NULL;
  if (w) {
    json_init(w, stdout, false);
    json_begin_object(w);
    json_key(w, "role");
    json_cstring(w, role_name(o->role));
  } else {
    printf("role: %s\n", role_name(o->role));
  }
  if (peer.error.code) report_error(w, &peer);
  if (uac && w) {
    json_headers(w, "offer", &sent);
    json_key(w, "response_status");
    json_uint(w, o->status);
  } else if (uac) {
    header_lines h;
    encode_lines(&sent, &h);
    text_headers("in the INVITE offered", &h);
    printf("response: %u\n", o->status);
  }
  if (w) json_decision(w, o, &res);
  else text_decision(o, &res);
  /* A dialog exists: a UAS's or proxy's accept, a UAC's 2xx. */
  bool dialog = res.action == SIPHB_ST_ACTION_ACCEPT && (!uac || o->status < 300);
  if (dialog) {
    st_timeline_in in = {o->role, &res, &o->session, peer.allows_update, o->hours};
    rv = st_timeline_run(&in, w);
    if (rv != 0) {
      if (w) json_end_object(w);
      if (w) (void)json_finish(w);
      fflush(stdout);
      fprintf(stderr, "siphb: " CMD ": the session refused the decision: %s\n",
              siphb_errname(rv));
      return TOOL_EXIT_BAD_INPUT;
    }
  } else if (w) {
    json_key(w, "timeline");
    json_null(w);
  } else {
    printf("timeline: none (no dialog)\n");
  }
  int status = peer.error.code ? TOOL_EXIT_BAD_INPUT : TOOL_EXIT_OK;
  if (w) {
    json_end_object(w);
    return tool_json_finish(w, CMD) == TOOL_EXIT_OK ? status : TOOL_EXIT_USAGE;
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "siphb: " CMD ": writing the output failed\n");
    return TOOL_EXIT_USAGE;
  }
  return status;
}

int cmd_session_timer(int argc, char **argv) {
  options o;
  memset(&o, 0, sizeof o);
  o.status = 200;
  o.hours = 1;
  siphb_st_config_init(&o.st, sizeof o.st);
  siphb_session_config_init(&o.session, sizeof o.session);
  o.uac_refresher = SIPHB_SIP_REFRESHER_NONE;
  for (int i = 1; i < argc; i++) {
    int r = parse_option(argc, argv, &i, &o);
    if (r < 0) return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
    if (r != 0) return r;
  }
  if (!o.role_given) return tool_usage_error(CMD, "--role uac, uas or proxy is required");
  if (o.status != 200 && o.role != ST_ROLE_UAC)
    return tool_usage_error(CMD, "--status is for --role uac (the response's status)");
  if (!o.se_given && o.st.session_expires_s < o.st.min_se_s)
    o.st.session_expires_s = o.st.min_se_s;
  if (o.st.session_expires_s && o.st.session_expires_s < o.st.min_se_s)
    return tool_usage_error(CMD, "--se %lu is below --min-se %lu (0 = no timer)",
                            (unsigned long)o.st.session_expires_s, (unsigned long)o.st.min_se_s);
  return run(&o);
}
