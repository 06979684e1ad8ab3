/*
 * cmd_probe.c - `siphb probe URI`: SIP OPTIONS reachability of one target
 * with the library's probe object (siphb/probe.h). This file reads the
 * command line and the URI; probe_loop.c runs the rounds, probe_report.c
 * prints them. The options and the output are described in
 * tools/README.md; keep the two in step.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <string.h>

#include "tool.h"

#ifndef _WIN32

#  include <strings.h>
#  include <sys/socket.h>

#  include "probe_tool.h"

#  define SIP_DEFAULT_PORT "5060"

static const char probe_usage_text[] =
    "Usage: siphb probe URI [--transport udp|tcp] [--interval S] [--timeout S]\n"
    "                   [--retries N] [--retry-interval S] [--t1 S] [--count N]\n"
    "                   [--from URI] [--json] [-4 | -6]\n"
    "\n"
    "Sends SIP OPTIONS to URI (sip:HOST[:PORT][;transport=udp|tcp], or\n"
    "HOST[:PORT] for sip:HOST[:PORT]; PORT defaults to 5060) every interval with\n"
    "the library's probe, and prints how each round ended: alive (a final\n"
    "response that proves the target answers), rejected (408, 503, or a final\n"
    "response outside 2xx-6xx), timeout (no final response before the timeout;\n"
    "on UDP the request is retransmitted as RFC 3261 Timer E says), a transport\n"
    "error (ICMP port unreachable, a refused or lost TCP connection), or a send\n"
    "that failed; and `state up` or `state down` when the last round's class\n"
    "changes. TCP connects at a round's first send, and again at the next\n"
    "round after a connection is lost.\n"
    "\n"
    "Options:\n"
    "  --transport T       udp (default) or tcp; the URI's ;transport= agrees\n"
    "  --interval S        from the start of one round to the next, in seconds,\n"
    "                      each shortened by up to 20 % at random (default 30)\n"
    "  --timeout S         how long a round waits for a final response (Timer F;\n"
    "                      default 64*T1 = 32 s; at least T1); with --retries,\n"
    "                      how long each of the round's sends waits\n"
    "  --retries N         send each round's request N more times, --timeout\n"
    "                      apart on UDP (T1 = T2 = --timeout), and end the round\n"
    "                      (N + 1) * --timeout after its first send (0-100;\n"
    "                      each send then waits 2 s unless --timeout is given)\n"
    "  --retry-interval S  from a failed round's end to the next round (default\n"
    "                      5, or the interval when that is shorter)\n"
    "  --t1 S              RFC 3261 T1, the first UDP retransmission interval,\n"
    "                      doubled up to T2 = 4 s (default 0.5, at most 4)\n"
    "  --count N           stop after N rounds (default: until Ctrl-C / SIGTERM)\n"
    "  --from URI          the From URI (default sip:siphb@invalid)\n"
    "  --json              one JSON line per round instead of text\n"
    "  -4, -6              use only IPv4 or only IPv6 addresses of HOST\n"
    "  -h, --help          print this help\n"
    "\n"
    "Without --retries a UDP round resends the request after T1, 2*T1, ... (at\n"
    "most T2 = 4 s apart) until the timeout; on TCP it sends once. A target\n"
    "that stops answering is reported failed at most interval + timeout (with\n"
    "--retries: interval + timeout * (retries + 1)) after its last answer.\n"
    "\n"
    "At the end a summary line goes to stderr: sent N, alive A, failed F,\n"
    "rtt min/avg/max X/Y/Z ms.\n"
    "\n"
    "Exit status: 0 the last round was alive; 1 it failed (or none ended); 2\n"
    "usage error, a name that does not resolve, a socket that cannot be opened.\n";

static int transport_of(const char *what, const char *v, siphb_transport *out) {
  if (strcasecmp(v, "udp") == 0) {
    *out = SIPHB_TRANSPORT_UDP;
  } else if (strcasecmp(v, "tcp") == 0) {
    *out = SIPHB_TRANSPORT_TCP;
  } else if (strcasecmp(v, "tls") == 0) {
    return tool_usage_error("probe", "%s tls: siphb probe has no TLS (udp or tcp)", what);
  } else {
    return tool_usage_error("probe", "%s '%s': udp or tcp", what, v);
  }
  return -1;
}

typedef struct uri_parts {
  siphb_transport transport;
  bool has_transport;
} uri_parts;

/* The URI's parameters after its host: `;transport=` is honoured, others
 * are passed on in the Request-URI. */
static int uri_params(const char *p, uri_parts *u) {
  while (p && *p == ';') {
    const char *end = strchr(p + 1, ';');
    size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
    if (n > 10 && strncasecmp(p + 1, "transport=", 10) == 0) {
      char v[16];
      if (n - 10 >= sizeof v) return tool_usage_error("probe", "';%.*s': udp or tcp", (int)n, p + 1);
      memcpy(v, p + 11, n - 10);
      v[n - 10] = '\0';
      int rc = transport_of("the URI's ;transport=", v, &u->transport);
      if (rc >= 0) return rc;
      u->has_transport = true;
    }
    p = end;
  }
  return -1;
}

/* "tel:...", "http://...": a scheme (RFC 3986 section 3.1) followed by
 * something that is not a port number. */
static bool other_scheme(const char *s) {
  size_t n = 0;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  while (s[n] && (strchr("+-.", s[n]) || (s[n] >= '0' && s[n] <= '9') ||
                  (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
    n++;
  return s[n] == ':' && !(s[n + 1] >= '0' && s[n + 1] <= '9');
}

/* URI into o->where, o->request_uri and the URI's transport. */
static int parse_uri(probe_opts *o, uri_parts *u) {
  const char *s = o->uri_text;
  char hostport[300];
  if (strncasecmp(s, "sips:", 5) == 0)
    return tool_usage_error("probe", "'%s': sips: URIs need TLS, which siphb probe does not have",
                            s);
  if (strncasecmp(s, "sip:", 4) == 0)
    s += 4;
  else if (other_scheme(s))
    return tool_usage_error("probe", "'%s': not a sip: URI", o->uri_text);
  if (strpbrk(s, " \t\r\n\"<>"))
    return tool_usage_error("probe", "'%s': blanks, quotes or <> in the URI", o->uri_text);
  const char *at = strchr(s, '@'); /* user@ before the host, not in a parameter */
  if (at && at > s + strcspn(s, ";?")) at = NULL;
  const char *hp = at ? at + 1 : s;
  size_t hlen = strcspn(hp, ";?");
  if (hp[hlen] == '?') return tool_usage_error("probe", "'%s': no headers (?...) in the URI", s);
  if (hlen == 0 || hlen >= sizeof hostport)
    return tool_usage_error("probe", "'%s': no host, or too long", o->uri_text);
  memcpy(hostport, hp, hlen);
  hostport[hlen] = '\0';
  int rc = net_split_hostport("probe", hostport, SIP_DEFAULT_PORT, &o->where);
  if (rc >= 0) return rc;
  rc = uri_params(hp + hlen, u);
  if (rc >= 0) return rc;
  /* The Request-URI: an IPv6 address in brackets (RFC 3261 section 25.1),
   * the port only when given. */
  bool v6 = strchr(o->where.host, ':') != NULL;
  bool has_port = hostport[0] == '[' ? strstr(hostport, "]:") != NULL
                                     : !v6 && strchr(hostport, ':') != NULL;
  int n = snprintf(o->request_uri, sizeof o->request_uri, "sip:%.*s%s%s%s%s%s%s",
                   at ? (int)(at - s + 1) : 0, s, v6 ? "[" : "", o->where.host, v6 ? "]" : "",
                   has_port ? ":" : "", has_port ? o->where.port : "", hp + hlen);
  if (n < 0 || (size_t)n >= sizeof o->request_uri)
    return tool_usage_error("probe", "'%s': too long", o->uri_text);
  return -1;
}

/* Returns -1 when the options are fine, otherwise the exit status. */
static int parse_options(int argc, char **argv, probe_opts *o) {
  bool have_transport = false, have_retry = false;
  memset(o, 0, sizeof *o);
  o->family = AF_UNSPEC;
  o->transport = SIPHB_TRANSPORT_UDP;
  o->interval = 30000; /* the probe's defaults (siphb/probe.h) */
  o->retry_interval = 5000;
  o->t1 = 500;
  o->t2 = 4000;
  o->retries = -1;
  bool have_t1 = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    int rc = -1;
    unsigned n = 0;
    if (a[0] != '-') {
      if (o->uri_text) return tool_usage_error("probe", "more than one URI given ('%s')", a);
      o->uri_text = a;
    } else if ((rc = net_common_option("probe", a, probe_usage_text, &o->json, &o->family)) !=
               NET_NOT_COMMON) {
      /* taken, or the exit status */
    } else if (tool_option_value(argc, argv, &i, "--transport", &v)) {
      rc = v ? transport_of("--transport", v, &o->transport)
             : tool_usage_error("probe", "--transport needs udp or tcp");
      have_transport = true;
    } else if (tool_option_value(argc, argv, &i, "--interval", &v)) {
      rc = net_seconds_value("probe", "--interval", v, 10, 86400000, &o->interval);
    } else if (tool_option_value(argc, argv, &i, "--timeout", &v)) {
      rc = net_seconds_value("probe", "--timeout", v, 1, 3600000, &o->timeout);
    } else if (tool_option_value(argc, argv, &i, "--retry-interval", &v)) {
      rc = net_seconds_value("probe", "--retry-interval", v, 10, 86400000, &o->retry_interval);
      have_retry = true;
    } else if (tool_option_value(argc, argv, &i, "--t1", &v)) {
      rc = net_seconds_value("probe", "--t1", v, 1, 4000, &o->t1);
      have_t1 = true;
    } else if (tool_option_value(argc, argv, &i, "--count", &v)) {
      rc = net_count_value("probe", v, &o->count);
    } else if (tool_option_value(argc, argv, &i, "--from", &v)) {
      if (!v || strncasecmp(v, "sip:", 4) != 0 || strpbrk(v, " \t\r\n\"<>"))
        rc = tool_usage_error("probe", "--from needs a sip: URI");
      o->from = v;
    } else if (tool_option_value(argc, argv, &i, "--retries", &v)) {
      if (!v || !tool_parse_uint(v, 0, 100, &n))
        rc = tool_usage_error("probe", "--retries must be a number from 0 to 100");
      o->retries = (int)n;
    } else {
      return tool_usage_error("probe", "unknown option '%s'", a);
    }
    if (rc >= 0) return rc;
  }
  if (!o->uri_text) return tool_usage_error("probe", "no URI given (sip:HOST[:PORT])");
  if (o->retries >= 0) {
    /* Each send waits --timeout: Timer E fixed at it (T1 = T2), Timer F at
     * (retries + 1) of it, so the sends go at 0, timeout, 2 timeout ... */
    if (have_t1) return tool_usage_error("probe", "--retries sets T1 itself: drop --t1");
    if (!o->timeout) o->timeout = 2000;
    if (o->timeout > 36000000u / (unsigned)(o->retries + 1))
      return tool_usage_error("probe", "--timeout * (--retries + 1) must stay within 10 hours");
    o->t1 = o->t2 = o->timeout;
    o->timeout *= (siphb_ms)(o->retries + 1);
  }
  if (o->timeout && o->timeout < o->t1)
    return tool_usage_error("probe", "--timeout must be at least T1 (%.3g s)", (double)o->t1 / 1000.0);
  if (!have_retry && o->retry_interval > o->interval) o->retry_interval = o->interval;
  uri_parts u = {SIPHB_TRANSPORT_UDP, false};
  int rc = parse_uri(o, &u);
  if (rc >= 0) return rc;
  if (u.has_transport && have_transport && u.transport != o->transport)
    return tool_usage_error("probe", "--transport and the URI's ;transport= disagree");
  if (u.has_transport) o->transport = u.transport;
  return -1;
}

#endif /* !_WIN32 */

int cmd_probe(int argc, char **argv) {
#ifdef _WIN32
  (void)argc;
  (void)argv;
  return tool_unavailable("probe"); /* POSIX sockets only */
#else
  probe_opts o;
  int rc = parse_options(argc, argv, &o);
  return rc >= 0 ? rc : probe_run(&o);
#endif
}
