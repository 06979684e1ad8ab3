/*
 * client_loop.h - what the client subcommands (probe, crlf, stun
 * --keepalive) share: one siphb ctx with one library object on it, driven
 * by poll() and the monotonic clock over one connected UDP socket or one
 * TCP connection. The ctx says when to call back
 * (siphb_ctx_next_deadline), the loop advances it then, hands it every
 * datagram, or on TCP every item the stream codec frames in the loop's own
 * buffer (the ctx keeps no per-peer stream buffer: docs/API-PLAN.md section
 * 3.2), and tells it what the sockets learned (siphb_ctx_peer_event): an
 * ICMP port unreachable on UDP, a refused or lost TCP connection. TCP
 * connects at the first send, and after a loss again at the next send. The
 * subcommand creates its object on cl->ctx with cl->peer and reads the
 * ctx's events through its hook. POSIX only.
 */
#ifndef SIPHB_TOOL_CLIENT_LOOP_H
#define SIPHB_TOOL_CLIENT_LOOP_H

#ifndef _WIN32

#  include <stdbool.h>
#  include <stddef.h>
#  include <stdint.h>
#  include <stdio.h>

#  include <siphb/ctx.h>

#  include "addr.h"
#  include "json.h"
#  include "net.h"

#  define CLIENT_IN_MAX 65536 /* the longest item the TCP buffer holds */
#  define CLIENT_OUT_MAX 4096 /* bytes waiting for the TCP connection */

typedef struct client_loop client_loop;

/* What the subcommand does with what the loop sees. */
typedef struct client_hooks {
  /* Every event of the ctx (called from its event callback; the rules of
   * siphb/ctx.h apply). Non-zero aborts the loop. */
  int (*event)(client_loop *cl, const siphb_event *ev);
  /* TCP: the stream items (bit 1u << siphb_stream_kind) handed to
   * siphb_ctx_receive(); the others are skipped. */
  unsigned tcp_kinds;
} client_hooks;

struct client_loop {
  const char *cmd;          /* the subcommand, for the messages */
  siphb_transport transport; /* UDP or TCP */
  siphb_ctx *ctx;
  siphb_peer peer;          /* one peer for the tool's life: reconnections keep it */
  net_addr server;
  siphb_mapped_addr server_addr; /* the server as resolved */
  siphb_mapped_addr local;  /* the UDP socket's local address (TCP: the one a
                               connection would have) */
  char server_text[ADDR_TEXT_MAX];
  int fd;                   /* the UDP socket, or the TCP connection (-1: none) */
  bool connecting;          /* TCP: a non-blocking connect in progress */
  uint8_t out[CLIENT_OUT_MAX]; /* TCP: bytes the connection has not taken yet */
  size_t out_len;
  uint8_t in[CLIENT_IN_MAX];   /* TCP: received bytes from an item boundary */
  size_t in_len;
  int pending;              /* a siphb_peer_event found inside a callback, or -1 */
  const char *pending_why;
  const char *why;          /* during the siphb_ctx_peer_event being delivered:
                               its cause ("ICMP port unreachable", "connection
                               refused", ...); NULL otherwise */
  char send_error[128];     /* why the last send was refused */
  double start_ms;          /* net_now_ms() when the loop was opened */
  double sent_ms;           /* the first transmission of the latest request */
  double rx_ms;             /* when the bytes being handed over arrived */
  unsigned sent;            /* first transmissions (attempt 0) */
  unsigned attempts;        /* transmissions of the latest request */
  bool done;                /* set by the hook: the loop ends */
  client_hooks hooks;
  void *user;               /* the subcommand's state */
};

/* Resolves `where` for `transport` (UDP or TCP) and opens a UDP socket
 * connected to it, kept on UDP; on TCP closed again once the local address
 * is known (connections are made at the first send). Returns -1 when fine,
 * otherwise the exit status after a line on stderr. */
int client_open(client_loop *cl, const char *cmd, const net_target *where, int family,
                siphb_transport transport);

/* Catches SIGINT/SIGTERM and creates the ctx (the hooks are copied).
 * Returns -1 or TOOL_EXIT_USAGE after a line on stderr. */
int client_start(client_loop *cl, const client_hooks *hooks, void *user);

/* Runs until the hook sets done or a stop signal comes. Returns -1, or
 * TOOL_EXIT_USAGE after a fatal error (a line on stderr). */
int client_run(client_loop *cl);

/* Deletes the ctx (and the object on it) and closes the socket. */
void client_close(client_loop *cl);

/* Round-trip times for the summary line. */
typedef struct client_rtt {
  double min, max, sum;
  unsigned n;
} client_rtt;

void client_rtt_add(client_rtt *r, double ms);
/* "rtt min/avg/max X/Y/Z ms" (or "-/-/- ms") and a newline. */
void client_rtt_print(FILE *out, const client_rtt *r);

/* The timing keys of a JSON outcome line: "rtt_ms" (null when < 0),
 * "duration_ms", "retransmissions". */
void client_json_timing(json_writer *w, double rtt_ms, double duration_ms,
                        unsigned retransmissions);

#endif /* !_WIN32 */
#endif /* SIPHB_TOOL_CLIENT_LOOP_H */
