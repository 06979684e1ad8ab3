/*
 * session_timer.h - `siphb session-timer`: the RFC 4028 decision of one
 * role on the peer's headers (siphb/st.h), then the timeline of the
 * dialog's session timer (siphb/session.h) in simulated time. Shared by
 * cmd_session_timer.c (options, the decision and its output), st_peer.c
 * (the peer's header lines read as a SIP message) and st_timeline.c (the
 * session object run on a ctx, every refresh succeeding).
 */
#ifndef SIPHB_TOOL_SESSION_TIMER_H
#define SIPHB_TOOL_SESSION_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/siphb.h>

#include "json.h"

/* Most --peer options, and the longest one. */
#define ST_MAX_PEER 32
#define ST_MAX_PEER_LEN 1000

typedef enum st_role { ST_ROLE_UAC, ST_ROLE_UAS, ST_ROLE_PROXY } st_role;

/* The first malformed value among the peer's headers. */
typedef struct st_peer_error {
  int code;            /* 0: none; a SIPHB_ERR_SIP_* code */
  const char *line;    /* the --peer text it was found in (NULL: elsewhere) */
  char message[200];   /* the parser's message */
} st_peer_error;

/* The peer's headers as the library reads them. */
typedef struct st_peer {
  siphb_st_header hdr; /* siphb_st_from_msg(), error set to the first one */
  bool allows_update;  /* UPDATE in an Allow header (RFC 3311) */
  st_peer_error error;
} st_peer;

/*
 * Reads the --peer lines (n of them, each "Name: value") as the headers of
 * a request (is_request: INVITE, for uas and proxy) or of a response with
 * `status` (uac), in a message with default Via, From, To, Call-ID and
 * CSeq lines (those the peer lines do not give), through siphb_sip_parse()
 * and siphb_st_from_msg(). A line the SIP parser refuses is left out and
 * its error kept (the first one is reported), so that the rest still
 * counts. Returns 0, or -1 with a one-line message in msg for a line that
 * is no header at all (no colon, no name, a CR or LF inside).
 */
int st_peer_read(const char *const *lines, size_t n, bool is_request, unsigned status,
                 st_peer *out, char *msg, size_t cap);

/* The --hours, the operator's knobs and the decision a timeline needs. */
typedef struct st_timeline_in {
  st_role role;
  const siphb_st_result *neg;  /* the decision (ACCEPT, the dialog's timer) */
  const siphb_session_config *session;
  bool peer_allows_update;
  uint32_t hours;
} st_timeline_in;

/*
 * Runs a siphb_session started with the decision on a ctx of its own in
 * simulated time, from 0 to hours x 3600000 ms inclusive, every refresh
 * succeeding (the refresher's at each REFRESH_DUE, the peer's at half the
 * interval), and prints each item: text lines on stdout, or (w not NULL)
 * the keys "timeline", "next_refresh_ms", "bye_deadline_ms" and
 * "hard_limit_ms" of the open JSON object. Returns 0, or a library error
 * code (the session refused the config).
 */
int st_timeline_run(const st_timeline_in *in, json_writer *w);

/* "900", "900.5", "0.001": milliseconds as seconds, no trailing zeros. */
void st_format_s(char *buf, size_t cap, siphb_ms ms);

#endif /* SIPHB_TOOL_SESSION_TIMER_H */
