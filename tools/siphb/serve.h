/*
 * serve.h - `siphb serve`, a loopback responder for tests and demos: what
 * its files share. cmd_serve.c reads the options, serve_net.c owns the
 * sockets and connections, serve_answer.c builds the answers with the
 * library, serve_st.c the answers to INVITE and BYE with --session-timer
 * (RFC 4028 through siphb/st.h), serve_loop.c runs the poll() loop with
 * the --delay queue and prints the lines. POSIX only. tools/README.md documents the options and
 * the output; keep the two in step.
 */
#ifndef SIPHB_TOOL_SERVE_H
#define SIPHB_TOOL_SERVE_H

#ifndef _WIN32

#  include <stdbool.h>
#  include <stddef.h>
#  include <stdint.h>
#  include <sys/socket.h>

#  include <siphb/common.h>
#  include <siphb/sip.h>
#  include <siphb/st.h>
#  include <siphb/stream.h>

#  include "addr.h"
#  include "net.h"

#  define SERVE_CMD "serve"
#  define SERVE_DEFAULT_PORT "5060"
#  define SERVE_MAX_LISTEN 8      /* --udp and --tcp options, each */
#  define SERVE_MAX_CONNS 256     /* TCP connections at once; more are refused */
/* Bytes a connection may have buffered without a whole item in them: the
 * largest SIP message the parser takes (65535) and room for what follows.
 * A connection that fills it is closed (abuse). */
#  define SERVE_CONN_IN_CAP (65536u + 4096u)
/* Answers queued on a connection that does not read them. */
#  define SERVE_CONN_OUT_CAP (1u << 20)
/* A SIP response copies the request's Vias, From, To and Call-ID: never
 * more than the request plus the lines siphb adds. */
#  define SERVE_ANSWER_CAP (65536u + 4096u)

/* What a request was, for the counters and the lines. */
typedef enum serve_kind {
  SERVE_OPTIONS = 0, /* SIP OPTIONS */
  SERVE_OTHER,       /* another SIP request: 405 or 501 */
  SERVE_ACK,         /* SIP ACK: never answered */
  SERVE_CRLF,        /* RFC 5626 CRLFCRLF ping on TCP */
  SERVE_STUN,        /* STUN Binding request (--stun) */
  SERVE_INVITE,      /* SIP INVITE with --session-timer: 422, 400 or 200 */
  SERVE_BYE,         /* SIP BYE with --session-timer: 200 */
  SERVE_KINDS_
} serve_kind;

const char *serve_kind_name(serve_kind k);

typedef struct serve_opts {
  net_target udp[SERVE_MAX_LISTEN];
  size_t n_udp;
  net_target tcp[SERVE_MAX_LISTEN];
  size_t n_tcp;
  bool stun;
  unsigned code;     /* status of the answer to OPTIONS (200) */
  unsigned drop;     /* permille of requests dropped (0) */
  unsigned delay_ms; /* answers sent this much later (0) */
  unsigned long count; /* stop after this many requests (0: never) */
  bool json;
  bool quiet;
  /* --session-timer MIN_SE: INVITE answered through siphb_st_uas_answer()
   * with this config (min_se_s, session_expires_s, refresher), BYE with
   * 200. */
  bool st;
  siphb_st_config st_cfg;
} serve_opts;

/* Returns -1 when fine, otherwise the exit status (cmd_serve.c). */
int serve_parse_options(int argc, char **argv, serve_opts *o);

/* One request and what became of it: the line printed for it. */
typedef struct serve_event {
  serve_kind kind;
  bool tcp;
  siphb_mapped_addr local, peer;
  char method[32];   /* SIP: the method, cut at 31 bytes */
  unsigned status;   /* SIP: the status of the answer */
  siphb_ms received; /* when it came in */
  /* INVITE with --session-timer: the Session-Expires of a 200 (0: none)
   * with its refresher, the Min-SE of a 422 (0: none). */
  uint32_t st_interval;
  siphb_sip_refresher st_refresher;
  uint32_t st_min_se;
} serve_event;

/* ---- answers (serve_answer.c) ------------------------------------------- */

typedef enum serve_verdict {
  SERVE_ANSWER,   /* a request: answer in out[0..*out_len) */
  SERVE_SILENT,   /* a request that gets no answer (ACK) */
  SERVE_IGNORE,   /* not a request for us (a response, a pong, STUN without
                     --stun, a STUN message other than a Binding request) */
  SERVE_MALFORMED /* bytes that do not parse */
} serve_verdict;

/* Classifies the framed item data[0..len) of `kind` (siphb_stream_next)
 * that `ev->peer` sent on ev->tcp's transport, and builds its answer: a SIP
 * response (siphb_sip_encode_response with the source address), a CRLF
 * pong, a STUN Binding success (XOR-MAPPED-ADDRESS of the peer,
 * FINGERPRINT when the request had one) or error 420. Fills ev->kind,
 * method and status (and the st_ fields for INVITE). out and scratch hold
 * SERVE_ANSWER_CAP bytes each (scratch: a copy of a request whose session
 * timer values are malformed, see serve_st_reparse). */
serve_verdict serve_answer(const serve_opts *o, const uint8_t *data, size_t len,
                           siphb_stream_kind kind, serve_event *ev, uint8_t *out,
                           size_t *out_len, uint8_t *scratch);

/* ---- INVITE and BYE with --session-timer (serve_st.c) -------------------- */

/* After siphb_sip_parse() refused data[0..len) with *err: when what it
 * refused is a Session-Expires or Min-SE line (at most 4 of them), the
 * request is parsed again from a copy in scratch[0..SERVE_ANSWER_CAP)
 * without those lines, so that it can get its 400. Returns the bytes of
 * data the request takes (the lines dropped included) and *req (slices of
 * scratch); SIPHB_ERR_INCOMPLETE (stream mode: wait for more);
 * SIPHB_ERR_PARSE (another fault, or no request). */
siphb_ssize serve_st_reparse(const uint8_t *data, size_t len, const siphb_sip_parse_config *cfg,
                             const siphb_error_info *err, siphb_sip_msg *req, uint8_t *scratch);

/* Framing for what siphb_stream_next() refused as a SIP request: with
 * --session-timer, the length of an INVITE whose only faults are session
 * timer values (serve_st_reparse), so that it still gets its 400; else
 * SIPHB_ERR_PARSE, or SIPHB_ERR_INCOMPLETE on TCP (wait for more). */
siphb_ssize serve_st_frame(const serve_opts *o, const uint8_t *data, size_t len, bool tcp,
                           uint8_t *scratch);

/* Room for the extra header lines of an answer to INVITE. */
#  define SERVE_ST_EXTRA_CAP 160
/* Room for the Contact URI of a 200: "sip:siphb@" ADDR ";transport=tcp". */
#  define SERVE_ST_CONTACT_CAP (ADDR_TEXT_MAX + 32)

/* The answer to an INVITE (bad_value: serve_st_reparse dropped a malformed
 * value): rsp->status, reason, contact_uri and extra_headers (written into
 * extra[SERVE_ST_EXTRA_CAP] and contact[SERVE_ST_CONTACT_CAP], which must
 * outlive the encoding) from siphb_st_from_msg and siphb_st_uas_answer;
 * ev's st_ fields. */
void serve_st_invite(const serve_opts *o, const siphb_sip_msg *req, bool bad_value,
                     serve_event *ev, siphb_sip_response *rsp, char *extra, char *contact);

/* ---- sockets and connections (serve_net.c) ------------------------------ */

typedef struct serve_listener {
  int fd;
  bool tcp;
  siphb_mapped_addr local;
} serve_listener;

typedef struct serve_conn {
  int fd;             /* -1: a free slot */
  uint64_t id;        /* unique for the run: delayed answers find it by id */
  siphb_mapped_addr local, peer;
  uint8_t *in;        /* received bytes not framed yet */
  size_t in_len, in_cap;
  uint8_t *out;       /* answers the socket did not take yet */
  size_t out_len, out_cap;
} serve_conn;

/* A UDP answer's destination. */
typedef struct serve_dest {
  struct sockaddr_storage ss;
  socklen_t len;
} serve_dest;

/* An answer waiting for its time (--delay); data follows the struct. */
typedef struct serve_pending {
  struct serve_pending *next;
  siphb_ms due;
  serve_event ev;
  int udp_fd;       /* UDP: the socket, else -1 */
  serve_dest to;    /* UDP: the peer */
  uint64_t conn_id; /* TCP: the connection */
  size_t len;
} serve_pending;

typedef struct serve_stats {
  unsigned long received, answered, dropped, lost, ignored, malformed;
  unsigned long by_kind[SERVE_KINDS_];
  unsigned long connections, abusive;
} serve_stats;

typedef struct serve_state {
  serve_opts o;
  serve_listener ls[2 * SERVE_MAX_LISTEN];
  size_t n_ls;
  serve_conn conns[SERVE_MAX_CONNS];
  uint64_t next_conn_id;
  serve_pending *head, *tail; /* in order of due time: the delay is fixed */
  serve_stats st;
  siphb_ms start;
  uint8_t answer[SERVE_ANSWER_CAP];
  uint8_t scratch[SERVE_ANSWER_CAP]; /* serve_answer's copy of a request */
  uint8_t datagram[65536];
} serve_state;

/* Binds every --udp and --tcp address and prints "listening udp ADDR"
 * lines. Returns -1, or the exit status after a line on stderr. */
int serve_open(serve_state *s);
/* Closes every socket and frees every connection and queued answer. */
void serve_close_all(serve_state *s);

/* Accepts what is waiting on a TCP listener. */
void serve_accept(serve_state *s, const serve_listener *l);
/* Reads what the connection has into its buffer: false when it closed (or
 * was closed: an error, or the buffer full without a whole item). */
bool serve_conn_read(serve_state *s, serve_conn *c);
/* Sends data on the connection, keeping what the socket does not take;
 * false when the connection had to be closed. */
bool serve_conn_send(serve_state *s, serve_conn *c, const uint8_t *data, size_t len);
/* Sends what is kept. */
void serve_conn_flush(serve_state *s, serve_conn *c);
void serve_conn_close(serve_state *s, serve_conn *c, bool abusive);
serve_conn *serve_conn_find(serve_state *s, uint64_t id);

/* ---- the loop (serve_loop.c) --------------------------------------------- */

/* Runs until SIGINT/SIGTERM or --count; returns the exit status. */
int serve_run(serve_state *s);

#endif /* !_WIN32 */
#endif /* SIPHB_TOOL_SERVE_H */
