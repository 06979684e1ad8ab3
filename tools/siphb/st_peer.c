/*
 * st_peer.c - `siphb session-timer`: the peer's --peer header lines as the
 * library reads them (session_timer.h). They are put in a minimal SIP
 * message, an INVITE or its response, and read by the library's own SIP
 * parser and siphb_st_from_msg(), so that compact names ("x", "k"), case,
 * comma lists and parameters mean exactly what they mean on the wire.
 *
 * The SIP parser refuses a whole message for one malformed value
 * ("Session-Expires: abc"); a UAS would still have to answer it (400), and
 * the other lines still count (Supported: timer). So a refused line is
 * left out, its error kept, and the message parsed again.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "session_timer.h"

/* The default lines, each left out when a --peer line has the same name. */
typedef struct default_line {
  const char *name, *compact; /* compact "" when none */
  const char *request, *response;
} default_line;

static const default_line defaults[] = {
    {"via", "v", "Via: SIP/2.0/UDP uac.example.invalid;branch=z9hG4bKsiphbst",
     "Via: SIP/2.0/UDP uac.example.invalid;branch=z9hG4bKsiphbst"},
    {"from", "f", "From: <sip:uac@example.invalid>;tag=siphb1",
     "From: <sip:uac@example.invalid>;tag=siphb1"},
    {"to", "t", "To: <sip:x@example.invalid>", "To: <sip:x@example.invalid>;tag=siphb2"},
    {"call-id", "i", "Call-ID: siphb-session-timer", "Call-ID: siphb-session-timer"},
    {"cseq", "", "CSeq: 1 INVITE", "CSeq: 1 INVITE"},
};

#define N_DEFAULTS (sizeof defaults / sizeof defaults[0])

/* A --peer line cut at its colon: the name and the value, both trimmed. */
typedef struct peer_line {
  const char *text;
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
  size_t offset;  /* where the line starts in the message */
  bool excluded;  /* refused by the SIP parser: left out */
  int code;       /* its error, 0 if none */
  char message[200];
} peer_line;

static bool blank(char c) { return c == ' ' || c == '\t'; }

static bool name_is(const peer_line *l, const char *name) {
  size_t n = strlen(name);
  if (l->name_len != n || n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)l->name[i]) != name[i]) return false;
  return true;
}

static int split_line(const char *text, peer_line *l, char *msg, size_t cap) {
  memset(l, 0, sizeof *l);
  l->text = text;
  if (strlen(text) > ST_MAX_PEER_LEN) {
    snprintf(msg, cap, "--peer longer than %d bytes", ST_MAX_PEER_LEN);
    return -1;
  }
  if (strpbrk(text, "\r\n")) {
    snprintf(msg, cap, "--peer '%.60s...' holds a line break: one header per --peer", text);
    return -1;
  }
  const char *colon = strchr(text, ':');
  if (!colon) {
    snprintf(msg, cap, "--peer '%s' has no colon (expected 'Name: value')", text);
    return -1;
  }
  const char *a = text, *b = colon;
  while (a < b && blank(*a)) a++;
  while (b > a && blank(b[-1])) b--;
  if (a == b) {
    snprintf(msg, cap, "--peer '%s' has no header name", text);
    return -1;
  }
  l->name = a;
  l->name_len = (size_t)(b - a);
  a = colon + 1;
  b = text + strlen(text);
  while (a < b && blank(*a)) a++;
  while (b > a && blank(b[-1])) b--;
  l->value = a;
  l->value_len = (size_t)(b - a);
  return 0;
}

/* Appends s (len bytes) to buf at *at; false when it does not fit. */
static bool put(char *buf, size_t cap, size_t *at, const char *s, size_t len) {
  if (len > cap - *at) return false;
  memcpy(buf + *at, s, len);
  *at += len;
  return true;
}

/* The message of the lines not left out. Returns its length, 0 when it
 * does not fit (it always does: the lines are bounded). */
static size_t build(char *buf, size_t cap, peer_line *lines, size_t n, bool is_request,
                    unsigned status) {
  char start[64];
  if (is_request) snprintf(start, sizeof start, "INVITE sip:x@example.invalid SIP/2.0\r\n");
  else snprintf(start, sizeof start, "SIP/2.0 %u Response\r\n", status);
  size_t at = 0;
  if (!put(buf, cap, &at, start, strlen(start))) return 0;
  for (size_t d = 0; d < N_DEFAULTS; d++) {
    bool given = false;
    for (size_t i = 0; i < n && !given; i++)
      given = name_is(&lines[i], defaults[d].name) || name_is(&lines[i], defaults[d].compact);
    const char *text = is_request ? defaults[d].request : defaults[d].response;
    if (!given && !(put(buf, cap, &at, text, strlen(text)) && put(buf, cap, &at, "\r\n", 2)))
      return 0;
  }
  for (size_t i = 0; i < n; i++) {
    lines[i].offset = at;
    if (lines[i].excluded) continue;
    if (!put(buf, cap, &at, lines[i].text, strlen(lines[i].text)) || !put(buf, cap, &at, "\r\n", 2))
      return 0;
  }
  return put(buf, cap, &at, "\r\n", 2) ? at : 0;
}

/* The peer line the byte at `offset` of the message belongs to. */
static peer_line *line_at(peer_line *lines, size_t n, size_t offset) {
  peer_line *found = NULL;
  for (size_t i = 0; i < n; i++)
    if (!lines[i].excluded && lines[i].offset <= offset) found = &lines[i];
  return found;
}

/* The RFC 4028 parsers on the Session-Expires and Min-SE lines the SIP
 * parser took: they add the 90 s floor, which it does not check. */
static void check_values(peer_line *lines, size_t n) {
  for (size_t i = 0; i < n; i++) {
    peer_line *l = &lines[i];
    if (l->excluded) continue;
    siphb_str v = {l->value, l->value_len};
    siphb_error_info err;
    int rv = 0;
    if (name_is(l, "session-expires") || name_is(l, "x")) {
      siphb_st_session_expires se;
      rv = siphb_st_parse_session_expires(v, &se, &err);
    } else if (name_is(l, "min-se")) {
      uint32_t min;
      rv = siphb_st_parse_min_se(v, &min, &err);
    }
    if (rv != 0) {
      l->code = rv;
      snprintf(l->message, sizeof l->message, "%s", err.message ? err.message : siphb_strerror(rv));
    }
  }
}

/* The error reported: the first malformed value (a 400 case), else the
 * first one below the floor (422). */
static void pick_error(const peer_line *lines, size_t n, st_peer *out) {
  const peer_line *pick = NULL;
  for (size_t i = 0; i < n && !pick; i++)
    if (lines[i].code != 0 && lines[i].code != SIPHB_ERR_SIP_SESSION_INTERVAL) pick = &lines[i];
  for (size_t i = 0; i < n && !pick; i++)
    if (lines[i].code != 0) pick = &lines[i];
  if (!pick) return;
  out->error.code = pick->code;
  out->error.line = pick->text;
  snprintf(out->error.message, sizeof out->error.message, "%s", pick->message);
  out->hdr.error = pick->code;
}

int st_peer_read(const char *const *texts, size_t n, bool is_request, unsigned status,
                 st_peer *out, char *msg, size_t cap) {
  peer_line lines[ST_MAX_PEER];
  char buf[512 + ST_MAX_PEER * (ST_MAX_PEER_LEN + 2)];
  memset(out, 0, sizeof *out);
  if (n > ST_MAX_PEER) {
    snprintf(msg, cap, "at most %d --peer options", ST_MAX_PEER);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if (split_line(texts[i], &lines[i], msg, cap) != 0) return -1;
  siphb_sip_parse_config pc;
  siphb_sip_parse_config_init(&pc, sizeof pc);
  pc.max_size = sizeof buf;
  pc.max_headers = ST_MAX_PEER + N_DEFAULTS + 1;
  siphb_sip_msg m;
  /* Each round leaves out one more line, so n + 1 rounds at most. */
  for (size_t round = 0; round <= n; round++) {
    size_t len = build(buf, sizeof buf, lines, n, is_request, status);
    siphb_error_info err;
    siphb_ssize rv = len ? siphb_sip_parse(&m, (const uint8_t *)buf, len, &pc, &err)
                         : SIPHB_ERR_NOBUF;
    if (rv >= 0) {
      siphb_st_from_msg(&m, &out->hdr);
      out->allows_update = siphb_sip_msg_has(&m, SIPHB_SIP_HDR_ALLOW) &&
                           (m.allow & (UINT32_C(1) << SIPHB_SIP_METHOD_UPDATE)) != 0;
      check_values(lines, n);
      pick_error(lines, n, out);
      return 0;
    }
    peer_line *l = len ? line_at(lines, n, err.offset) : NULL;
    if (!l) { /* not in a peer line: nothing left to leave out */
      memset(&out->hdr, 0, sizeof out->hdr);
      out->hdr.error = (int)rv;
      out->error.code = (int)rv;
      snprintf(out->error.message, sizeof out->error.message, "%s",
               len && err.message ? err.message : siphb_strerror((int)rv));
      return 0;
    }
    l->excluded = true;
    l->code = (int)rv;
    snprintf(l->message, sizeof l->message, "%s", err.message ? err.message : siphb_strerror((int)rv));
  }
  return 0; /* not reached: the last round has every line left out */
}
