/*
 * cmd_crlf.c - `siphb crlf HOST[:PORT]`: RFC 5626 CRLF keepalive (section
 * 4.4.1) of one TCP connection with the library's flow object
 * (siphb/flow.h). This file reads the command line; keepalive_run.c runs
 * the flow and prints its outcomes. The options and the output are
 * described in tools/README.md; keep the two in step.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <string.h>

#include "tool.h"

#ifndef _WIN32

#  include <sys/socket.h>

#  include "keepalive.h"

static const char crlf_usage_text[] =
    "Usage: siphb crlf HOST[:PORT] [--interval S] [--timeout S] [--count N]\n"
    "                  [--json] [-4 | -6]\n"
    "\n"
    "Opens a TCP connection to HOST (PORT defaults to 5060) and keeps it alive\n"
    "as RFC 5626 section 4.4.1 says, with the library's flow object: a\n"
    "double-CRLF ping at once and then every interval, each answered by a\n"
    "CRLF pong. Prints a line per ping: its pong and round-trip time, or why\n"
    "the flow failed (pong timeout, connection refused, connection closed).\n"
    "The first failure ends the run: the tool does not reconnect.\n"
    "\n"
    "Options:\n"
    "  --interval S   from one ping to the next, in seconds (default 5)\n"
    "  --timeout S    how long a ping waits for its pong (default 10)\n"
    "  --count N      stop after N pings (default: until Ctrl-C / SIGTERM)\n"
    "  --json         one JSON line per ping instead of text\n"
    "  -4, -6         use only IPv4 or only IPv6 addresses of HOST\n"
    "  -h, --help     print this help\n"
    "\n"
    "At the end a summary line goes to stderr: sent N, pongs P, failed F,\n"
    "rtt min/avg/max X/Y/Z ms.\n"
    "\n"
    "Exit status: 0 the last ping was answered; 1 the flow failed (or no ping\n"
    "ended); 2 usage error, a name that does not resolve, a socket error.\n";

/* Returns -1 when the options are fine, otherwise the exit status. */
static int parse_options(int argc, char **argv, keepalive_opts *o) {
  memset(o, 0, sizeof *o);
  o->cmd = "crlf";
  o->mode = SIPHB_FLOW_MODE_CRLF;
  o->family = AF_UNSPEC;
  o->interval = 5000;      /* a tool's: the flow's own is 95-120 s */
  o->pong_timeout = 10000; /* section 4.4.1 */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    int rc = -1;
    if (a[0] != '-') {
      if (o->target) return tool_usage_error("crlf", "more than one server given ('%s')", a);
      o->target = a;
    } else if ((rc = net_common_option("crlf", a, crlf_usage_text, &o->json, &o->family)) !=
               NET_NOT_COMMON) {
      /* taken, or the exit status */
    } else if (tool_option_value(argc, argv, &i, "--interval", &v)) {
      rc = net_seconds_value("crlf", "--interval", v, 10, 86400000, &o->interval);
    } else if (tool_option_value(argc, argv, &i, "--timeout", &v)) {
      rc = net_seconds_value("crlf", "--timeout", v, 1, 3600000, &o->pong_timeout);
    } else if (tool_option_value(argc, argv, &i, "--count", &v)) {
      rc = net_count_value("crlf", v, &o->count);
    } else {
      return tool_usage_error("crlf", "unknown option '%s'", a);
    }
    if (rc >= 0) return rc;
  }
  if (!o->target) return tool_usage_error("crlf", "no server given (HOST[:PORT])");
  return net_split_hostport("crlf", o->target, "5060", &o->where);
}

#endif /* !_WIN32 */

int cmd_crlf(int argc, char **argv) {
#ifdef _WIN32
  (void)argc;
  (void)argv;
  return tool_unavailable("crlf"); /* POSIX sockets only */
#else
  keepalive_opts o;
  int rc = parse_options(argc, argv, &o);
  return rc >= 0 ? rc : keepalive_run(&o);
#endif
}
