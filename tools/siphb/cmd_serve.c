/*
 * cmd_serve.c - `siphb serve`: the options and the entry point. A responder
 * on real sockets for tests and demos: SIP OPTIONS (and 405/501 to other
 * methods), RFC 5626 CRLF keepalives on TCP, STUN Binding with --stun,
 * INVITE with RFC 4028 session timers with --session-timer, with fault
 * injection (--drop, --delay). serve.h says which file does
 * what; tools/README.md documents the options and the output, keep the two
 * in step.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <string.h>

#include "tool.h"

#ifdef _WIN32

int cmd_serve(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return tool_unavailable("serve");
}

#else

#  include "serve.h"

static const char serve_usage_text[] =
    "Usage: siphb serve [--udp ADDR[:PORT]]... [--tcp ADDR[:PORT]]... [--stun]\n"
    "                   [--code N] [--drop PERMILLE] [--delay MS] [--count N]\n"
    "                   [--session-timer MIN_SE [--session-expires S]\n"
    "                    [--refresher uac|uas]] [--json] [--quiet]\n"
    "\n"
    "Answers on real sockets until SIGINT or SIGTERM: SIP OPTIONS with a\n"
    "response (status --code) whose top Via gets received= and rport= as the\n"
    "source address calls for (RFC 3261 section 18.2.1, RFC 3581), other\n"
    "requests with 405 (known methods) or 501 (unknown ones), ACK with\n"
    "nothing; RFC 5626 CRLFCRLF pings on TCP with a CRLF pong; with --stun,\n"
    "STUN Binding requests with XOR-MAPPED-ADDRESS of the source. ADDR is an\n"
    "address or name, IPv6 in brackets when a port follows; PORT defaults to\n"
    "5060, 0 picks a free one. Without --udp and --tcp: 127.0.0.1:5060, both.\n"
    "Prints 'listening udp 127.0.0.1:5060' per socket on stdout at start.\n"
    "With --session-timer, INVITE is answered as an RFC 4028 UAS (siphb_st):\n"
    "422 with Min-SE when Session-Expires is below MIN_SE and the UAC\n"
    "supports timer, 400 for a malformed Session-Expires or Min-SE, else 200\n"
    "with Contact, Supported: timer, Session-Expires with the refresher and\n"
    "Require: timer when the UAC refreshes; BYE gets 200, ACK nothing.\n"
    "\n"
    "Options:\n"
    "  --udp ADDR[:PORT]  answer datagrams there (up to 8 times)\n"
    "  --tcp ADDR[:PORT]  accept TCP connections there (up to 8 times)\n"
    "  --stun             answer STUN Binding requests too (UDP and TCP)\n"
    "  --code N           status of the answer to OPTIONS (default 200, 200-699)\n"
    "  --drop PERMILLE    drop that many requests in 1000, at random (0-1000)\n"
    "  --delay MS         send every answer MS milliseconds late (0-60000)\n"
    "  --count N          stop after N requests (their answers sent first)\n"
    "  --session-timer MIN_SE  answer INVITE with session timers, Min-SE\n"
    "                     MIN_SE seconds (90-86400)\n"
    "  --session-expires S  the interval a longer request is lowered to, and\n"
    "                     the one given when a request has none (MIN_SE-86400;\n"
    "                     default 1800, or MIN_SE when that is larger)\n"
    "  --refresher uac|uas  who refreshes when the request leaves it open\n"
    "                     (default uas)\n"
    "  --json             print one JSON line per request on stdout\n"
    "  --quiet            no summary line on stderr at the end\n"
    "  -h, --help         print this help\n"
    "\n"
    "Exit status: 0 after a signal or --count; 2 usage error, an address that\n"
    "does not resolve or cannot be bound, a socket error.\n";

const char *serve_kind_name(serve_kind k) {
  switch (k) {
  case SERVE_OPTIONS: return "options";
  case SERVE_OTHER: return "other";
  case SERVE_ACK: return "ack";
  case SERVE_CRLF: return "crlf";
  case SERVE_STUN: return "stun";
  case SERVE_INVITE: return "invite";
  case SERVE_BYE: return "bye";
  case SERVE_KINDS_: break;
  }
  return "unknown";
}

/* --code, --drop, --delay, --count. true when argv[*i] is one. */
static bool number_option(int argc, char **argv, int *i, serve_opts *o, int *rc) {
  static const struct {
    const char *name;
    unsigned lo, hi;
  } opt[] = {{"--code", 200, 699}, {"--drop", 0, 1000}, {"--delay", 0, 60000},
             {"--count", 1, 1000000000}};
  unsigned count = 0;
  unsigned *slot[] = {&o->code, &o->drop, &o->delay_ms, &count};
  for (size_t k = 0; k < sizeof opt / sizeof opt[0]; k++) {
    const char *v;
    if (!tool_option_value(argc, argv, i, opt[k].name, &v)) continue;
    if (!v)
      *rc = tool_usage_error(SERVE_CMD, "%s needs a number", opt[k].name);
    else if (!tool_parse_uint(v, opt[k].lo, opt[k].hi, slot[k]))
      *rc = tool_usage_error(SERVE_CMD, "%s must be a number from %u to %u", opt[k].name,
                             opt[k].lo, opt[k].hi);
    else if (slot[k] == &count)
      o->count = count;
    return true;
  }
  return false;
}

/* --udp and --tcp. true when argv[*i] is one. */
static bool listen_option(int argc, char **argv, int *i, serve_opts *o, int *rc) {
  const char *v;
  net_target *list;
  size_t *n;
  const char *name;
  if (tool_option_value(argc, argv, i, "--udp", &v)) {
    list = o->udp, n = &o->n_udp, name = "--udp";
  } else if (tool_option_value(argc, argv, i, "--tcp", &v)) {
    list = o->tcp, n = &o->n_tcp, name = "--tcp";
  } else {
    return false;
  }
  if (!v)
    *rc = tool_usage_error(SERVE_CMD, "%s needs ADDR[:PORT]", name);
  else if (*n == SERVE_MAX_LISTEN)
    *rc = tool_usage_error(SERVE_CMD, "%s given more than %d times", name, SERVE_MAX_LISTEN);
  else if ((*rc = net_split_listen(SERVE_CMD, v, SERVE_DEFAULT_PORT, &list[*n])) < 0)
    ++*n, *rc = 0;
  return true;
}

/* The RFC 4028 options' range: 90 s is the floor of section 4; a day is
 * plenty for a test responder. */
#  define SERVE_ST_MAX_S 86400u

/* The values of --session-timer, --session-expires, --refresher (0: not
 * given). */
typedef struct st_args {
  unsigned min_se, session_expires;
  int refresher; /* 0, or 1 + siphb_st_prefer */
} st_args;

/* --session-timer, --session-expires, --refresher. true when argv[*i] is
 * one. */
static bool st_option(int argc, char **argv, int *i, st_args *st, int *rc) {
  const char *v;
  if (tool_option_value(argc, argv, i, "--refresher", &v)) {
    if (v && strcmp(v, "uac") == 0)
      st->refresher = 1 + SIPHB_ST_PREFER_UAC;
    else if (v && strcmp(v, "uas") == 0)
      st->refresher = 1 + SIPHB_ST_PREFER_UAS;
    else
      *rc = tool_usage_error(SERVE_CMD, "--refresher must be uac or uas");
    return true;
  }
  unsigned *slot;
  const char *name;
  if (tool_option_value(argc, argv, i, "--session-timer", &v))
    slot = &st->min_se, name = "--session-timer";
  else if (tool_option_value(argc, argv, i, "--session-expires", &v))
    slot = &st->session_expires, name = "--session-expires";
  else
    return false;
  if (!v)
    *rc = tool_usage_error(SERVE_CMD, "%s needs a number of seconds", name);
  else if (!tool_parse_uint(v, SIPHB_ST_MIN_SE, SERVE_ST_MAX_S, slot))
    *rc = tool_usage_error(SERVE_CMD, "%s must be a number of seconds from %u to %u", name,
                           SIPHB_ST_MIN_SE, SERVE_ST_MAX_S);
  return true;
}

/* The st config of the options, once all are read. -1, or the exit
 * status. */
static int st_finish(const st_args *st, serve_opts *o) {
  if (!st->min_se) {
    if (st->session_expires || st->refresher)
      return tool_usage_error(SERVE_CMD, "--%s needs --session-timer",
                              st->session_expires ? "session-expires" : "refresher");
    return -1;
  }
  o->st = true;
  siphb_st_config_init(&o->st_cfg, sizeof o->st_cfg);
  o->st_cfg.min_se_s = st->min_se;
  if (st->session_expires) {
    if (st->session_expires < st->min_se)
      return tool_usage_error(SERVE_CMD, "--session-expires %u is below --session-timer %u",
                              st->session_expires, st->min_se);
    o->st_cfg.session_expires_s = st->session_expires;
  } else if (o->st_cfg.session_expires_s < st->min_se) {
    o->st_cfg.session_expires_s = st->min_se;
  }
  if (st->refresher) o->st_cfg.refresher = (siphb_st_prefer)(st->refresher - 1);
  return -1;
}

int serve_parse_options(int argc, char **argv, serve_opts *o) {
  memset(o, 0, sizeof *o);
  o->code = 200;
  st_args st = {0, 0, 0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int rc = 0;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(serve_usage_text, stdout);
      return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
    } else if (a[0] != '-') {
      return tool_usage_error(SERVE_CMD, "unexpected argument '%s'", a);
    } else if (strcmp(a, "--stun") == 0) {
      o->stun = true;
    } else if (strcmp(a, "--json") == 0) {
      o->json = true;
    } else if (strcmp(a, "--quiet") == 0) {
      o->quiet = true;
    } else if (!number_option(argc, argv, &i, o, &rc) && !listen_option(argc, argv, &i, o, &rc) &&
               !st_option(argc, argv, &i, &st, &rc)) {
      return tool_usage_error(SERVE_CMD, "unknown option '%s'", a);
    }
    if (rc) return rc;
  }
  int rc = st_finish(&st, o);
  if (rc >= 0) return rc;
  if (o->n_udp == 0 && o->n_tcp == 0) {
    (void)net_split_listen(SERVE_CMD, "127.0.0.1", SERVE_DEFAULT_PORT, &o->udp[o->n_udp++]);
    (void)net_split_listen(SERVE_CMD, "127.0.0.1", SERVE_DEFAULT_PORT, &o->tcp[o->n_tcp++]);
  }
  return -1;
}

int cmd_serve(int argc, char **argv) {
  static serve_state s; /* 210 KB of buffers: not on the stack */
  int rc = serve_parse_options(argc, argv, &s.o);
  if (rc >= 0) return rc;
  rc = serve_open(&s);
  if (rc < 0) rc = serve_run(&s);
  serve_close_all(&s);
  return rc;
}

#endif /* _WIN32 */
