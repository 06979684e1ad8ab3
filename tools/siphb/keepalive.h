/*
 * keepalive.h - what `siphb crlf` and `siphb stun --keepalive` share: the
 * options of an RFC 5626 flow keepalive (cmd_crlf.c and cmd_stun.c parse
 * them) and the run of the library's flow object on the client loop with
 * the lines it prints (keepalive_run.c). POSIX only.
 */
#ifndef SIPHB_TOOL_KEEPALIVE_H
#define SIPHB_TOOL_KEEPALIVE_H

#ifndef _WIN32

#  include <stdbool.h>

#  include <siphb/flow.h>

#  include "net.h"

/* The command line, checked. Times in milliseconds. */
typedef struct keepalive_opts {
  const char *cmd;         /* "crlf" or "stun", for the messages */
  const char *target;      /* HOST[:PORT] as given */
  net_target where;
  siphb_flow_mode mode;    /* CRLF (over TCP) or STUN (over UDP) */
  siphb_ms interval;       /* flow config interval_min = interval_max */
  siphb_ms pong_timeout;   /* CRLF: pong_timeout */
  siphb_ms stun_rto;       /* STUN: stun_rto, stun_rc, stun_rm */
  unsigned stun_rc, stun_rm;
  bool fingerprint;        /* STUN: stun_fingerprint */
  unsigned count;          /* keepalives to run; 0 = until stopped */
  bool json;
  int family;              /* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
} keepalive_opts;

/* Resolves, opens the socket, runs the flow until a failure, --count or a
 * stop signal. Returns the exit status: 0 the last keepalive was answered,
 * 1 it failed (or none ended), 2 set-up or output errors. */
int keepalive_run(const keepalive_opts *o);

#endif /* !_WIN32 */
#endif /* SIPHB_TOOL_KEEPALIVE_H */
