/*
 * cmd_stun.c - `siphb stun HOST[:PORT]`: one STUN Binding transaction over
 * UDP (RFC 8489 section 6.2.1 / RFC 5389 section 7.2.1 retransmissions),
 * printing the mapped (server-reflexive) address next to the socket's own
 * local address; with --keepalive the RFC 5626 section 4.4.2 keepalive of
 * the library's flow object instead (keepalive_run.c). POSIX sockets and poll(); the options and the output are
 * described in tools/README.md, keep the two in step.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* getaddrinfo, clock_gettime, poll under -std=c11 */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#ifdef _WIN32

int cmd_stun(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return tool_unavailable("stun");
}

#else

#  include <errno.h>
#  include <netinet/in.h>
#  include <poll.h>
#  include <sys/socket.h>
#  include <unistd.h>

#  include <siphb/stun.h>

#  include "addr.h"
#  include "json.h"
#  include "keepalive.h"
#  include "net.h"

#  define STUN_DEFAULT_PORT "3478"
#  define RECV_MAX 65536
/* ICMP port unreachable answers in a row (no datagram from the server in
 * between) after which the tool gives up: nothing listens there, and
 * waiting out the whole schedule (39.5 s by default) would only hide it.
 * One alone is not enough: the server may be restarting. Three come by
 * 1.5 s with the default RTO; with --rc below 3, every request refused. */
#  define REFUSED_LIMIT 3u

typedef struct stun_opts {
  const char *target;
  net_target where;
  unsigned rto; /* initial RTO, ms (RFC 8489 section 6.2.1: 500) */
  unsigned rc;  /* sends in all (Rc: 7) */
  unsigned rm;  /* the last wait is Rm * RTO (Rm: 16) */
  bool fingerprint;
  bool json;
  int family; /* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
  bool keepalive;     /* --keepalive: the flow object, keepalive_run() */
  uint64_t interval;  /* --keepalive: ms between keepalives (25 s) */
  unsigned count;     /* --keepalive: keepalives to run; 0 = until stopped */
  const char *ka_only; /* an option given that needs --keepalive, or NULL */
} stun_opts;

static const char stun_usage_text[] =
    "Usage: siphb stun HOST[:PORT] [--rto MS] [--rc N] [--rm N] [--fingerprint]\n"
    "                  [--json] [-4 | -6]\n"
    "       siphb stun HOST[:PORT] --keepalive [--interval S] [--count N]\n"
    "                  [--rto MS] [--rc N] [--rm N] [--fingerprint] [--json] [-4 | -6]\n"
    "\n"
    "Sends a STUN Binding request over UDP to HOST (an IPv4 address, an IPv6\n"
    "address in brackets when a port follows, or a name), retransmitting as\n"
    "RFC 8489 section 6.2.1 says, and prints the mapped (server-reflexive)\n"
    "address from the response, the socket's local address, the server, the\n"
    "round-trip time and the number of requests sent. PORT defaults to 3478.\n"
    "The round-trip time counts from the last request sent: all carry the same\n"
    "transaction id, so when more than one was sent, a late answer to an\n"
    "earlier one makes it read short. A name that resolves to several\n"
    "addresses: the first one (of the family chosen by -4 or -6) is used.\n"
    "\n"
    "Options:\n"
    "  --rto MS        first retransmission timeout, doubled after each send\n"
    "                  (default 500, 1-60000)\n"
    "  --rc N          requests to send in all (default 7, 1-20)\n"
    "  --rm N          after the last request wait N times the first RTO\n"
    "                  (default 16, 1-1000): 39.5 s in all by default\n"
    "  --fingerprint   add FINGERPRINT to the request\n"
    "  --keepalive     RFC 5626 keepalive: a Binding transaction at once and then\n"
    "                  every interval over one socket, with the library's flow;\n"
    "                  a line per keepalive with the mapped address, `nat\n"
    "                  rebinding: A -> B` when it changes, and the first failure\n"
    "                  (timeout, error response, ICMP port unreachable) ends the\n"
    "                  run (--rc at most 16, --rm at most 64 then)\n"
    "  --interval S    --keepalive: seconds between keepalives (default 25)\n"
    "  --count N       --keepalive: stop after N keepalives (default: until\n"
    "                  Ctrl-C / SIGTERM, then a summary line on stderr)\n"
    "  --json          print one JSON line instead of text\n"
    "  -4, -6          use only IPv4 or only IPv6 addresses of HOST\n"
    "  -h, --help      print this help\n"
    "\n"
    "An ICMP port unreachable (a refused send or receive) does not stop the\n"
    "retransmissions, unless 3 come in a row (as many as --rc when that is\n"
    "smaller) with no datagram from the server in between: then nothing seems\n"
    "to listen there and the tool gives up at once. When standard error is a\n"
    "terminal, each retransmission prints a progress line there.\n"
    "\n"
    "Exit status: 0 success response (--keepalive: the last keepalive was\n"
    "answered); 1 no response in time, nothing listening (ICMP port\n"
    "unreachable), or an error response; 2 usage error, a name that does not\n"
    "resolve, a socket error.\n";

/* --rto, --rc, --rm as "--x N" or "--x=N". true when argv[*i] is one. */
static bool number_option(int argc, char **argv, int *i, stun_opts *o, int *rc) {
  static const struct {
    const char *name;
    unsigned lo, hi;
  } opt[] = {{"--rto", 1, 60000}, {"--rc", 1, 20}, {"--rm", 1, 1000}};
  unsigned *slot[] = {&o->rto, &o->rc, &o->rm};
  for (size_t k = 0; k < 3; k++) {
    const char *v;
    if (!tool_option_value(argc, argv, i, opt[k].name, &v)) continue;
    if (!v) {
      *rc = tool_usage_error("stun", "%s needs a number", opt[k].name);
    } else if (!tool_parse_uint(v, opt[k].lo, opt[k].hi, slot[k])) {
      *rc = tool_usage_error("stun", "%s must be a number from %u to %u", opt[k].name, opt[k].lo,
                             opt[k].hi);
    }
    return true;
  }
  return false;
}

/* Returns -1 when the options are fine, otherwise the exit status. */
static int parse_options(int argc, char **argv, stun_opts *o) {
  memset(o, 0, sizeof *o);
  o->rto = 500;
  o->rc = 7;
  o->rm = 16;
  o->family = AF_UNSPEC;
  o->interval = 25000; /* RFC 5626 section 4.4.2: many NATs drop UDP bindings after 30 s */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    int rc = 0;
    if (a[0] != '-') {
      if (o->target) return tool_usage_error("stun", "more than one server given ('%s')", a);
      o->target = a;
    } else if (strcmp(a, "--fingerprint") == 0) {
      o->fingerprint = true;
    } else if (strcmp(a, "--keepalive") == 0) {
      o->keepalive = true;
    } else if (tool_option_value(argc, argv, &i, "--interval", &v)) {
      rc = net_seconds_value("stun", "--interval", v, 10, 86400000, &o->interval);
      rc = rc < 0 ? 0 : rc;
      o->ka_only = "--interval";
    } else if (tool_option_value(argc, argv, &i, "--count", &v)) {
      rc = net_count_value("stun", v, &o->count);
      rc = rc < 0 ? 0 : rc;
      o->ka_only = "--count";
    } else if ((rc = net_common_option("stun", a, stun_usage_text, &o->json, &o->family)) !=
               NET_NOT_COMMON) {
      if (rc >= 0) return rc;
      rc = 0;
    } else if (rc = 0, !number_option(argc, argv, &i, o, &rc)) {
      return tool_usage_error("stun", "unknown option '%s'", a);
    }
    if (rc) return rc;
  }
  if (!o->target) return tool_usage_error("stun", "no server given (HOST[:PORT])");
  if (o->ka_only && !o->keepalive) return tool_usage_error("stun", "%s needs --keepalive", o->ka_only);
  return net_split_hostport("stun", o->target, STUN_DEFAULT_PORT, &o->where);
}

/* ---- the transaction ---------------------------------------------------------- */

typedef enum outcome { OUT_SUCCESS, OUT_ERROR, OUT_TIMEOUT, OUT_REFUSED, OUT_FAILED } outcome;

typedef struct stun_run {
  int fd;
  siphb_mapped_addr server, local, mapped;
  uint8_t txid[SIPHB_STUN_TXID_SIZE];
  uint8_t req[64];
  size_t req_len;
  unsigned sends, ignored, refused;
  unsigned refused_run;   /* refusals since the last datagram from the server */
  unsigned refused_limit; /* REFUSED_LIMIT, or --rc when smaller */
  bool progress;          /* stderr is a terminal: a line per retransmission */
  char srv[ADDR_TEXT_MAX]; /* the server as text, for the messages */
  double first_send, last_send, done;
  outcome result;
  bool has_fingerprint; /* the response carried a (valid) FINGERPRINT */
  siphb_stun_error_value error;
  char reason[256];   /* copy of the error reason / the failure */
  char software[256]; /* SOFTWARE of the response, if any */
} stun_run;

static bool same_addr(const siphb_mapped_addr *a, const siphb_mapped_addr *b) {
  size_t n = a->family == 1 ? 4 : 16;
  return a->family == b->family && a->port == b->port && memcmp(a->addr, b->addr, n) == 0;
}

static void copy_str(char *dst, size_t cap, siphb_str s) {
  size_t n = s.len < cap - 1 ? s.len : cap - 1;
  memcpy(dst, s.ptr, n);
  dst[n] = '\0';
}

/* Looks at one datagram: true when it ends the transaction (r->result set);
 * anything else is counted in r->ignored. */
static bool take_datagram(stun_run *r, const uint8_t *buf, size_t len, const void *from) {
  siphb_mapped_addr src;
  siphb_stun_parse_config cfg;
  siphb_stun_msg m;
  siphb_str s;
  siphb_stun_parse_config_init(&cfg, sizeof cfg);
  cfg.allow_classic = false; /* our request had the cookie; so must the answer */
  if (!addr_from_sockaddr(from, &src) || !same_addr(&src, &r->server)) {
    r->ignored++;
    return false;
  }
  r->refused_run = 0; /* something listens there, whatever it sent */
  if (siphb_stun_parse(&m, buf, len, &cfg, NULL) < 0 || m.method != SIPHB_STUN_BINDING ||
      (m.cls != SIPHB_STUN_SUCCESS && m.cls != SIPHB_STUN_ERROR) ||
      memcmp(m.txid, r->txid, sizeof r->txid) != 0 ||
      (m.fingerprint_offset && siphb_stun_check_fingerprint(&m) != 0)) {
    r->ignored++;
    return false;
  }
  r->has_fingerprint = m.fingerprint_offset != 0;
  if (siphb_stun_software(&m, &s) == 0) copy_str(r->software, sizeof r->software, s);
  if (m.cls == SIPHB_STUN_ERROR) {
    r->result = OUT_ERROR;
    if (siphb_stun_error_code(&m, &r->error) == 0) {
      copy_str(r->reason, sizeof r->reason, r->error.reason);
    } else {
      r->error.code = 0;
      snprintf(r->reason, sizeof r->reason, "error response without ERROR-CODE");
    }
    return true;
  }
  /* RFC 8489 section 6.3.4: unknown comprehension-required attributes in a
   * success response fail the transaction. */
  if (m.unknown_count) {
    r->result = OUT_FAILED;
    snprintf(r->reason, sizeof r->reason,
             "success response with unknown comprehension-required attribute 0x%04x",
             (unsigned)m.unknown[0]);
  } else if (siphb_stun_mapped(&m, &r->mapped) != 0) {
    r->result = OUT_FAILED;
    snprintf(r->reason, sizeof r->reason, "success response without a mapped address");
  } else {
    r->result = OUT_SUCCESS;
  }
  return true;
}

/* One ICMP port unreachable more, reported as ECONNREFUSED by a send or a
 * receive on the connected socket. true when it ends the transaction
 * (r->result set): refused_limit of them in a row. */
static bool note_refusal(stun_run *r) {
  r->refused++;
  if (++r->refused_run < r->refused_limit) return false;
  r->result = OUT_REFUSED;
  r->done = net_now_ms();
  return true;
}

/* Reads every datagram queued. Returns true when one (or a refusal) ended
 * the transaction, false otherwise; -1 in *fatal for a socket error. */
static bool drain(stun_run *r, int *fatal) {
  static uint8_t buf[RECV_MAX];
  for (;;) {
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(r->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      /* An ICMP port unreachable for an earlier send: the server may yet
       * come up, so the retransmissions go on, unless it is one too many. */
      if (errno == ECONNREFUSED) {
        if (note_refusal(r)) return true;
        continue;
      }
      fprintf(stderr, "siphb: stun: receiving failed: %s\n", strerror(errno));
      *fatal = -1;
      return false;
    }
    if (take_datagram(r, buf, (size_t)n, &from)) {
      r->done = net_now_ms();
      return true;
    }
  }
}

/* Sends the request. Returns 0, 1 when a refusal ended the transaction
 * instead (r->result set), -1 after a socket error. */
static int send_request(stun_run *r) {
  for (int attempt = 0; attempt < 2; attempt++) {
    if (send(r->fd, r->req, r->req_len, 0) == (ssize_t)r->req_len) return 0;
    /* A pending ICMP error is reported here on Linux; the next try sends. */
    if (errno == ECONNREFUSED) {
      if (note_refusal(r)) return 1;
      continue;
    }
    if (errno == EINTR) continue;
    break;
  }
  fprintf(stderr, "siphb: stun: sending failed: %s\n", strerror(errno));
  return -1;
}

/* How long the whole schedule lasts, in ms: the last send at
 * (2^(rc-1) - 1) RTO, then rm RTO (39.5 s with the defaults). */
static double schedule_ms(const stun_opts *o) {
  double last = 0, interval = o->rto;
  for (unsigned k = 1; k < o->rc; k++) {
    last += interval;
    interval *= 2;
  }
  return last + (double)o->rm * o->rto;
}

/* The line before a retransmission, so that a user at a terminal sees the
 * tool is working during the (by default) 39.5 s; never when stderr is not
 * a terminal, where scripts and the tests read the final line only. */
static void print_progress(const stun_run *r, const stun_opts *o, double left_ms) {
  fprintf(stderr,
          "siphb: stun: no answer yet from %s%s, sending again (%u/%u), giving up in %.1f s\n",
          r->srv, r->refused_run ? " (ICMP port unreachable)" : "", r->sends + 1, o->rc,
          left_ms > 0 ? left_ms / 1000.0 : 0.0);
}

/* The retransmission loop: sends at 0, RTO, 3 RTO, 7 RTO ... (the interval
 * doubles), rc sends in all, then waits rm * RTO (RFC 8489 section 6.2.1);
 * refused_limit refusals in a row end it early. Returns 0 (r->result set)
 * or -1 after a socket error. */
static int transact(stun_run *r, const stun_opts *o) {
  double start = net_now_ms(), next = start, interval = o->rto, end = 0;
  double give_up = start + schedule_ms(o); /* as planned, for the progress line */
  for (;;) {
    double t = net_now_ms();
    if (r->sends < o->rc && t >= next) {
      if (r->sends > 0 && r->progress) print_progress(r, o, give_up - t);
      int s = send_request(r);
      if (s != 0) return s < 0 ? -1 : 0;
      if (r->sends == 0) r->first_send = t;
      r->last_send = t;
      r->sends++;
      next += interval; /* on the schedule, not on the actual send time */
      interval *= 2;
      if (r->sends == o->rc) end = t + (double)o->rm * o->rto;
    }
    double until = r->sends < o->rc ? next : end;
    if (r->sends == o->rc && t >= end) {
      r->result = OUT_TIMEOUT;
      r->done = t;
      return 0;
    }
    /* At most a minute per poll: --rto 60000 --rc 20 makes intervals past
     * INT_MAX ms; the loop comes round again. */
    double wait = until - t;
    struct pollfd p = {r->fd, POLLIN, 0};
    int n = poll(&p, 1, wait <= 0 ? 0 : wait > 60000 ? 60000 : (int)(wait + 0.999));
    if (n < 0 && errno != EINTR) {
      fprintf(stderr, "siphb: stun: poll failed: %s\n", strerror(errno));
      return -1;
    }
    if (n > 0) {
      int fatal = 0;
      if (drain(r, &fatal)) return 0;
      if (fatal) return -1;
    }
  }
}

/* Resolves the target, connects a UDP socket to it, and learns the local
 * address. Returns -1 or the exit status. */
static int open_socket(stun_run *r, const stun_opts *o) {
  net_addr server;
  int rc = net_resolve("stun", &o->where, o->family, SOCK_DGRAM, &server);
  if (rc >= 0) return rc;
  r->server = net_mapped(&server);
  r->fd = net_udp_connect("stun", o->target, &server, &r->local);
  if (r->fd < 0) return TOOL_EXIT_USAGE;
  return -1;
}

/* ---- output --------------------------------------------------------------------- */

static const char *outcome_name(outcome o) {
  switch (o) {
  case OUT_SUCCESS: return "success";
  case OUT_ERROR: return "error";
  case OUT_TIMEOUT: return "timeout";
  case OUT_REFUSED: return "refused";
  case OUT_FAILED: return "failed";
  }
  return "failed";
}

/* A timeout or refusals: no answer, so no round-trip time or FINGERPRINT. */
static bool answered(const stun_run *r) {
  return r->result != OUT_TIMEOUT && r->result != OUT_REFUSED;
}

static int print_json(const stun_run *r) {
  json_writer w;
  json_init(&w, stdout, false);
  json_begin_object(&w);
  json_key(&w, "result");
  json_cstring(&w, outcome_name(r->result));
  json_key(&w, "server");
  json_addr(&w, &r->server);
  json_key(&w, "local");
  json_addr(&w, &r->local);
  if (r->result == OUT_SUCCESS) {
    json_key(&w, "mapped");
    json_addr(&w, &r->mapped);
  }
  if (answered(r)) {
    json_key(&w, "rtt_ms");
    json_fixed(&w, r->done - r->last_send, 3);
  }
  json_key(&w, "elapsed_ms");
  json_fixed(&w, r->done - r->first_send, 3);
  json_key(&w, "sends");
  json_uint(&w, r->sends);
  if (answered(r)) {
    json_key(&w, "fingerprint");
    json_bool(&w, r->has_fingerprint);
  }
  if (r->software[0]) {
    json_key(&w, "software");
    json_cstring(&w, r->software);
  }
  if (r->result == OUT_ERROR) {
    json_key(&w, "error");
    json_begin_object(&w);
    json_key(&w, "code");
    json_uint(&w, r->error.code);
    json_key(&w, "reason");
    json_cstring(&w, r->reason);
    json_end_object(&w);
  } else if (r->result == OUT_FAILED) {
    json_key(&w, "failure");
    json_cstring(&w, r->reason);
  }
  json_key(&w, "ignored");
  json_uint(&w, r->ignored);
  json_key(&w, "icmp_refused");
  json_uint(&w, r->refused);
  json_end_object(&w);
  return tool_json_finish(&w, "stun");
}

static int print_text(const stun_run *r) {
  char a[ADDR_TEXT_MAX];
  if (r->result == OUT_SUCCESS) {
    addr_text(&r->mapped, a, sizeof a);
    printf("mapped   %s\n", a);
  }
  addr_text(&r->local, a, sizeof a);
  printf("local    %s\n", a);
  addr_text(&r->server, a, sizeof a);
  printf("server   %s\n", a);
  if (answered(r)) printf("rtt      %.3f ms\n", r->done - r->last_send);
  printf("sends    %u\n", r->sends);
  if (r->software[0]) printf("software %s\n", r->software);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fputs("siphb: stun: writing the output failed\n", stderr);
    return TOOL_EXIT_USAGE;
  }
  return TOOL_EXIT_OK;
}

static const char *plural(unsigned n) {
  return n == 1 ? "" : "s";
}

/* --keepalive: the flow object in STUN mode on the client loop. */
static int keepalive(const stun_opts *s) {
  keepalive_opts o;
  memset(&o, 0, sizeof o);
  o.cmd = "stun";
  o.target = s->target;
  o.where = s->where;
  o.mode = SIPHB_FLOW_MODE_STUN;
  o.interval = s->interval;
  o.stun_rto = s->rto;
  o.stun_rc = s->rc;
  o.stun_rm = s->rm;
  o.fingerprint = s->fingerprint;
  o.count = s->count;
  o.json = s->json;
  o.family = s->family;
  return keepalive_run(&o);
}

int cmd_stun(int argc, char **argv) {
  stun_opts o;
  stun_run r;
  int rc = parse_options(argc, argv, &o);
  if (rc >= 0) return rc;
  if (o.keepalive) return keepalive(&o);
  memset(&r, 0, sizeof r);
  r.fd = -1;
  if (siphb_random_os(r.txid, sizeof r.txid, NULL) != 0) {
    fputs("siphb: stun: the operating system's random generator failed\n", stderr);
    return TOOL_EXIT_USAGE;
  }
  siphb_ssize n = siphb_stun_encode_binding(r.req, sizeof r.req, r.txid,
                                            o.fingerprint ? SIPHB_STUN_WITH_FINGERPRINT : 0, NULL);
  if (n < 0) {
    fprintf(stderr, "siphb: stun: encoding the request failed: %s\n", siphb_errname((int)n));
    return TOOL_EXIT_USAGE;
  }
  r.req_len = (size_t)n;
  r.refused_limit = o.rc < REFUSED_LIMIT ? o.rc : REFUSED_LIMIT;
  r.progress = isatty(STDERR_FILENO) == 1;
  rc = open_socket(&r, &o);
  if (rc < 0) addr_text(&r.server, r.srv, sizeof r.srv);
  if (rc < 0 && transact(&r, &o) < 0) rc = TOOL_EXIT_USAGE;
  if (r.fd >= 0) close(r.fd);
  if (rc >= 0) return rc;

  rc = o.json ? print_json(&r) : print_text(&r);
  if (rc != TOOL_EXIT_OK) return rc;
  const char *srv = r.srv;
  switch (r.result) {
  case OUT_SUCCESS: return TOOL_EXIT_OK;
  case OUT_ERROR:
    fprintf(stderr, "siphb: stun: %s answered with error %u %s\n", srv, (unsigned)r.error.code,
            r.reason);
    break;
  case OUT_TIMEOUT:
    fprintf(stderr, "siphb: stun: no response from %s after %u request%s in %.0f ms", srv, r.sends,
            plural(r.sends), r.done - r.first_send);
    if (r.refused) fprintf(stderr, " (ICMP port unreachable %u times)", r.refused);
    fputc('\n', stderr);
    break;
  case OUT_REFUSED:
    fprintf(stderr,
            "siphb: stun: nothing seems to listen at %s: ICMP port unreachable %u time%s in a "
            "row (%u request%s sent in %.0f ms)\n",
            srv, r.refused_run, plural(r.refused_run), r.sends, plural(r.sends),
            r.done - r.first_send);
    break;
  case OUT_FAILED: fprintf(stderr, "siphb: stun: %s: %s\n", srv, r.reason); break;
  }
  return TOOL_EXIT_BAD_INPUT;
}

#endif /* _WIN32 */
