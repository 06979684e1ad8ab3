/*
 * probe_tool.h - what the three parts of `siphb probe` share: the options
 * (cmd_probe.c parses them), the loop that runs the library's probe object
 * over real sockets (probe_loop.c) and the lines it prints (probe_report.c).
 * POSIX only, like the other network subcommands.
 */
#ifndef SIPHB_TOOL_PROBE_TOOL_H
#define SIPHB_TOOL_PROBE_TOOL_H

#ifndef _WIN32

#  include <stdbool.h>
#  include <stdint.h>

#  include <siphb/probe.h>

#  include "addr.h"
#  include "client_loop.h"
#  include "net.h"

/* The command line, checked. Times in milliseconds. */
typedef struct probe_opts {
  const char *uri_text;    /* as given */
  char request_uri[600];   /* sip:HOST[:PORT][;params], the Request-URI */
  net_target where;        /* HOST and PORT (default 5060) to resolve */
  siphb_transport transport; /* UDP or TCP */
  siphb_ms interval;       /* probe config `interval` */
  siphb_ms timeout;        /* probe config `timeout` (Timer F); 0 = 64*T1 */
  siphb_ms retry_interval; /* probe config `retry_interval` */
  siphb_ms t1;             /* probe config `t1` */
  siphb_ms t2;             /* probe config `t2` */
  int retries;             /* --retries N, or -1 when not given */
  unsigned count;          /* rounds to run; 0 = until stopped */
  const char *from;        /* probe config `from_uri`; NULL = the default */
  bool json;
  int family;              /* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
} probe_opts;

/* One round's outcome as printed. */
typedef struct probe_line {
  unsigned seq;              /* the tool's round number, from 1 */
  siphb_probe_outcome outcome;
  unsigned status;           /* 0 without a response */
  siphb_str reason;          /* the reason phrase; empty without a response */
  const char *detail;        /* why a transport error or failed send; or NULL */
  double rtt_ms;             /* first transmission to final response; < 0: none */
  double duration_ms;        /* first transmission to the end of the round */
  unsigned retransmissions;
  double at_ms;              /* when the round ended, from the start of the tool */
} probe_line;

/* What the report keeps for the state lines, the summary and the exit status. */
typedef struct probe_report {
  const probe_opts *o;
  char target[ADDR_TEXT_MAX]; /* the server's address as text */
  unsigned sent, alive, failed; /* sent: the loop's first transmissions */
  client_rtt rtt;
  int state;                 /* -1 none yet, 0 down, 1 up */
  bool output_failed;
} probe_report;

/* probe_loop.c: the probe on the client loop (client_loop.h), until
 * --count or a stop signal. Returns the exit status. */
int probe_run(const probe_opts *o);

/* probe_report.c */
void report_init(probe_report *r, const probe_opts *o, const siphb_mapped_addr *server);
/* One line (text or JSON) per outcome, and a state line when the outcome
 * class changes. */
void report_outcome(probe_report *r, const probe_line *line);
/* The one-line summary on stderr. */
void report_summary(const probe_report *r);
/* 0 when the last round was alive, 1 otherwise (none ended included), 2
 * when writing the output failed. */
int report_exit_status(const probe_report *r);

/* The name of an outcome in the output: "alive", "rejected", "timeout",
 * "send_failed", "transport_error". */
const char *report_outcome_name(siphb_probe_outcome o);

#endif /* !_WIN32 */
#endif /* SIPHB_TOOL_PROBE_TOOL_H */
