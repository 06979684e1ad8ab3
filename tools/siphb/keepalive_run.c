/*
 * keepalive_run.c - `siphb crlf` and `siphb stun --keepalive`: the
 * library's RFC 5626 flow object (siphb/flow.h) on the client loop
 * (client_loop.h), CRLF mode over one TCP connection or STUN mode over one
 * connected UDP socket, and the lines it prints: one per keepalive outcome
 * (text or JSON), `nat rebinding: A -> B` when the mapped address changes,
 * the summary on stderr. The first failure ends the run: the tool does not
 * reconnect (the flow's section 4.5 back-off is for an integrator that
 * does). The output is described in tools/README.md; keep the two in step.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "keepalive.h"

#ifndef _WIN32

#  include <stdio.h>
#  include <string.h>

#  include <siphb/stream.h>

#  include "addr.h"
#  include "client_loop.h"
#  include "json.h"
#  include "tool.h"

typedef struct ka_run {
  const keepalive_opts *o;
  client_loop cl;
  siphb_flow *flow;
  unsigned outcomes, ok, failed, rebindings;
  int last_ok; /* -1 none ended yet, 0 failed, 1 answered */
  client_rtt rtt;
  bool output_failed;
} ka_run;

/* One outcome as printed. */
typedef struct ka_line {
  bool ok;
  siphb_flow_reason reason;
  char detail[160];          /* failed: the cause, as in the text line */
  double rtt_ms;             /* < 0: none */
  double duration_ms;        /* the first send to the end */
  unsigned retransmissions;
  uint32_t stun_error;
  siphb_mapped_addr mapped;  /* STUN: family 0 = none */
} ka_line;

static bool stun_mode(const ka_run *r) {
  return r->o->mode == SIPHB_FLOW_MODE_STUN;
}

static const char *reason_name(siphb_flow_reason why) {
  switch (why) {
  case SIPHB_FLOW_REASON_PONG_TIMEOUT: return "pong_timeout";
  case SIPHB_FLOW_REASON_STUN_TIMEOUT: return "stun_timeout";
  case SIPHB_FLOW_REASON_STUN_ERROR: return "stun_error";
  case SIPHB_FLOW_REASON_MAPPED_CHANGED: return "mapped_changed";
  case SIPHB_FLOW_REASON_SEND_FAILED: return "send_failed";
  case SIPHB_FLOW_REASON_PEER_CLOSED: return "peer_closed";
  case SIPHB_FLOW_REASON_INTEGRATOR: return "integrator";
  case SIPHB_FLOW_REASON_NONE: break;
  }
  return "unknown";
}

static const char *plural(unsigned n) {
  return n == 1 ? "" : "s";
}

/* The cause of a failure, in words. */
static void describe(const ka_run *r, const siphb_event_flow *e, ka_line *l) {
  const client_loop *cl = &r->cl;
  double s = l->duration_ms / 1000.0;
  switch (e->reason) {
  case SIPHB_FLOW_REASON_PONG_TIMEOUT:
    snprintf(l->detail, sizeof l->detail, "pong timeout after %.1f s", s);
    break;
  case SIPHB_FLOW_REASON_STUN_TIMEOUT:
    snprintf(l->detail, sizeof l->detail, "timeout after %.1f s (%u request%s)", s, cl->attempts,
             plural(cl->attempts));
    break;
  case SIPHB_FLOW_REASON_STUN_ERROR:
    snprintf(l->detail, sizeof l->detail, "error response %u", (unsigned)e->stun_error);
    break;
  case SIPHB_FLOW_REASON_SEND_FAILED:
  case SIPHB_FLOW_REASON_PEER_CLOSED:
    /* A transport event carries its cause; a refused send its errno. */
    if (cl->why)
      snprintf(l->detail, sizeof l->detail, "%s", cl->why);
    else
      snprintf(l->detail, sizeof l->detail, "send failed: %s", cl->send_error);
    break;
  default: snprintf(l->detail, sizeof l->detail, "%s", reason_name(e->reason)); break;
  }
}

/* ---- output ---------------------------------------------------------------------- */

static void flush(ka_run *r) {
  if (fflush(stdout) != 0 || ferror(stdout)) r->output_failed = true;
}

static void json_line(ka_run *r, const ka_line *l, double at_ms) {
  json_writer w;
  json_init(&w, stdout, false);
  json_begin_object(&w);
  json_key(&w, "seq");
  json_uint(&w, r->outcomes);
  json_key(&w, "outcome");
  json_cstring(&w, l->ok ? (stun_mode(r) ? "ok" : "pong") : "failed");
  json_key(&w, "reason");
  if (l->ok)
    json_null(&w);
  else
    json_cstring(&w, reason_name(l->reason));
  json_key(&w, "detail");
  if (l->ok)
    json_null(&w);
  else
    json_cstring(&w, l->detail);
  client_json_timing(&w, l->rtt_ms, l->duration_ms, l->retransmissions);
  if (stun_mode(r)) {
    json_key(&w, "mapped");
    if (l->mapped.family)
      json_addr(&w, &l->mapped);
    else
      json_null(&w);
    json_key(&w, "stun_error");
    if (l->stun_error)
      json_uint(&w, l->stun_error);
    else
      json_null(&w);
  }
  json_key(&w, "time_s");
  json_fixed(&w, at_ms / 1000.0, 3);
  json_key(&w, "address");
  json_cstring(&w, r->cl.server_text);
  json_key(&w, "transport");
  json_cstring(&w, stun_mode(r) ? "udp" : "tcp");
  json_key(&w, "mode");
  json_cstring(&w, stun_mode(r) ? "stun" : "crlf");
  json_end_object(&w);
  if (json_finish(&w) != 0) r->output_failed = true;
}

static void text_line(const ka_run *r, const ka_line *l) {
  printf("seq %u ", r->outcomes);
  if (!l->ok) {
    printf("failed: %s\n", l->detail);
    return;
  }
  if (stun_mode(r)) {
    char a[ADDR_TEXT_MAX];
    addr_text(&l->mapped, a, sizeof a);
    printf("ok mapped %s ", a);
  } else {
    fputs("pong ", stdout);
  }
  printf("rtt %.3f ms", l->rtt_ms);
  if (l->retransmissions)
    printf(" (%u retransmission%s)", l->retransmissions, plural(l->retransmissions));
  putchar('\n');
}

/* The mapped address changed between two keepalives (section 4.4.2): the
 * NAT bound the flow anew. */
static void rebinding_line(ka_run *r, const siphb_event_flow *e) {
  char from[ADDR_TEXT_MAX], to[ADDR_TEXT_MAX];
  r->rebindings++;
  if (r->o->json) {
    json_writer w;
    json_init(&w, stdout, false);
    json_begin_object(&w);
    json_key(&w, "seq");
    json_uint(&w, r->outcomes + 1); /* the keepalive whose answer showed it */
    json_key(&w, "event");
    json_cstring(&w, "nat_rebinding");
    json_key(&w, "previous");
    json_addr(&w, &e->previous);
    json_key(&w, "mapped");
    json_addr(&w, &e->mapped);
    json_key(&w, "time_s");
    json_fixed(&w, (r->cl.rx_ms - r->cl.start_ms) / 1000.0, 3);
    json_end_object(&w);
    if (json_finish(&w) != 0) r->output_failed = true;
  } else {
    addr_text(&e->previous, from, sizeof from);
    addr_text(&e->mapped, to, sizeof to);
    printf("nat rebinding: %s -> %s\n", from, to);
  }
  flush(r);
}

/* ---- the flow's events ------------------------------------------------------------- */

static void outcome(ka_run *r, const siphb_event_flow *e, bool ok) {
  client_loop *cl = &r->cl;
  ka_line l;
  memset(&l, 0, sizeof l);
  double end_ms = ok ? cl->rx_ms : net_now_ms();
  l.ok = ok;
  l.reason = e->reason;
  l.duration_ms = end_ms - cl->sent_ms;
  l.rtt_ms = ok ? l.duration_ms : -1.0;
  l.retransmissions = cl->attempts > 0 ? cl->attempts - 1 : 0;
  l.stun_error = e->stun_error;
  if (ok && stun_mode(r)) l.mapped = e->mapped;
  if (!ok) describe(r, e, &l);
  r->outcomes++;
  if (ok) {
    r->ok++;
    client_rtt_add(&r->rtt, l.rtt_ms);
  } else {
    r->failed++;
  }
  r->last_ok = ok;
  if (r->o->json)
    json_line(r, &l, end_ms - cl->start_ms);
  else
    text_line(r, &l);
  flush(r);
  /* The first failure ends the run: no reconnection (tools/README.md). */
  if (!ok || (r->o->count && r->outcomes >= r->o->count)) cl->done = true;
}

static int on_event(client_loop *cl, const siphb_event *ev) {
  ka_run *r = cl->user;
  const siphb_event_flow *e = &ev->u.flow;
  switch (ev->type) {
  case SIPHB_EVENT_FLOW_ALIVE: outcome(r, e, true); break;
  case SIPHB_EVENT_FLOW_FAILED: outcome(r, e, false); break;
  case SIPHB_EVENT_FLOW_MAPPED_ADDRESS:
    if (e->previous.family != 0) rebinding_line(r, e);
    break;
  default: break; /* RECOVER_DUE and RECOVERED never come: the run ends first */
  }
  return 0;
}

/* ---- set-up ----------------------------------------------------------------------- */

static void make_config(const keepalive_opts *o, siphb_flow_config *cfg) {
  siphb_flow_config_init(cfg, sizeof *cfg);
  cfg->mode = o->mode;
  /* The server was named on the command line to be pinged: it must
   * answer (section 4.4: support known from configuration). */
  cfg->expect = SIPHB_FLOW_EXPECT_ALWAYS;
  cfg->interval_min = cfg->interval_max = o->interval;
  cfg->report_alive = true;
  if (o->mode == SIPHB_FLOW_MODE_CRLF) {
    cfg->pong_timeout = o->pong_timeout;
  } else {
    cfg->stun_rto = o->stun_rto;
    cfg->stun_rc = o->stun_rc;
    cfg->stun_rm = o->stun_rm;
    cfg->stun_fingerprint = o->fingerprint;
    /* A rebinding is reported and the keepalives go on. */
    cfg->fail_on_mapped_change = false;
  }
}

int keepalive_run(const keepalive_opts *o) {
  static ka_run r; /* 70 KiB of buffers: not on the stack */
  static const client_hooks hooks = {on_event, 1u << SIPHB_STREAM_CRLF_PONG |
                                                   1u << SIPHB_STREAM_CRLF_PING |
                                                   1u << SIPHB_STREAM_STUN};
  siphb_transport t = o->mode == SIPHB_FLOW_MODE_CRLF ? SIPHB_TRANSPORT_TCP : SIPHB_TRANSPORT_UDP;
  siphb_flow_config cfg;
  const char *why = "";
  make_config(o, &cfg);
  if (siphb_flow_config_check(&cfg, t, &why) != 0)
    return tool_usage_error(o->cmd, "%s", why); /* a limit of the flow's */
  memset(&r, 0, sizeof r);
  r.o = o;
  r.last_ok = -1;
  int rc = client_open(&r.cl, o->cmd, &o->where, o->family, t);
  if (rc >= 0) return rc;
  rc = client_start(&r.cl, &hooks, &r);
  if (rc < 0) {
    /* Started, then the first keepalive at once rather than an interval on. */
    int rv = siphb_flow_new(&r.flow, r.cl.ctx, &cfg, &r.cl.peer, &r, net_now());
    if (rv == 0) rv = siphb_flow_start(r.flow, net_now());
    if (rv == 0) rv = siphb_flow_keepalive_now(r.flow, net_now());
    if (rv != 0) {
      fprintf(stderr, "siphb: %s: cannot set up the flow to %s: %s\n", o->cmd, o->target,
              siphb_strerror(rv));
      rc = TOOL_EXIT_USAGE;
    }
  }
  if (rc < 0) rc = client_run(&r.cl);
  unsigned sent = r.cl.sent;
  client_close(&r.cl);
  if (rc >= 0) return rc;
  fprintf(stderr, "sent %u, %s %u, failed %u, ", sent, stun_mode(&r) ? "ok" : "pongs", r.ok,
          r.failed);
  if (stun_mode(&r)) fprintf(stderr, "rebindings %u, ", r.rebindings);
  client_rtt_print(stderr, &r.rtt);
  if (r.output_failed) {
    fprintf(stderr, "siphb: %s: writing the output failed\n", o->cmd);
    return TOOL_EXIT_USAGE;
  }
  return r.last_ok == 1 ? TOOL_EXIT_OK : TOOL_EXIT_BAD_INPUT;
}

#endif /* !_WIN32 */
