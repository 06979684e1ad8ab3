/*
 * probe_report.c - what `siphb probe` prints: one line per round outcome
 * (text or JSON), a state line when the outcome class changes, and the
 * summary on stderr. The fields are described in tools/README.md; keep the
 * two in step.
 *
 * The state is only "was the last round alive": the tool has no verdict of
 * its own (docs/CONVENTIONS.md, one verdict per concern). Once the health
 * monitor exists the probe feeds it and the state lines become its verdict.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "probe_tool.h"

#ifndef _WIN32

#  include <stdio.h>
#  include <string.h>

#  include "json.h"
#  include "tool.h"

const char *report_outcome_name(siphb_probe_outcome o) {
  switch (o) {
  case SIPHB_PROBE_ALIVE: return "alive";
  case SIPHB_PROBE_REJECTED: return "rejected";
  case SIPHB_PROBE_TIMEOUT: return "timeout";
  case SIPHB_PROBE_SEND_FAILED: return "send_failed";
  case SIPHB_PROBE_TRANSPORT_ERROR: return "transport_error";
  }
  return "unknown";
}

static const char *transport_name(siphb_transport t) {
  return t == SIPHB_TRANSPORT_TCP ? "tcp" : "udp";
}

void report_init(probe_report *r, const probe_opts *o, const siphb_mapped_addr *server) {
  memset(r, 0, sizeof *r);
  r->o = o;
  r->state = -1;
  addr_text(server, r->target, sizeof r->target);
}

static void flush(probe_report *r) {
  if (fflush(stdout) != 0 || ferror(stdout)) r->output_failed = true;
}

static void json_line(probe_report *r, const probe_line *l) {
  json_writer w;
  json_init(&w, stdout, false);
  json_begin_object(&w);
  json_key(&w, "seq");
  json_uint(&w, l->seq);
  json_key(&w, "outcome");
  json_cstring(&w, report_outcome_name(l->outcome));
  json_key(&w, "status");
  if (l->status)
    json_uint(&w, l->status);
  else
    json_null(&w);
  json_key(&w, "reason");
  if (l->status)
    json_string(&w, l->reason.ptr, l->reason.len);
  else if (l->detail)
    json_cstring(&w, l->detail);
  else
    json_null(&w);
  client_json_timing(&w, l->rtt_ms, l->duration_ms, l->retransmissions);
  json_key(&w, "time_s");
  json_fixed(&w, l->at_ms / 1000.0, 3);
  json_key(&w, "target");
  json_cstring(&w, r->o->request_uri);
  json_key(&w, "address");
  json_cstring(&w, r->target);
  json_key(&w, "transport");
  json_cstring(&w, transport_name(r->o->transport));
  json_end_object(&w);
  if (json_finish(&w) != 0) r->output_failed = true;
}

static const char *plural(unsigned n) {
  return n == 1 ? "" : "s";
}

static void text_line(const probe_line *l) {
  printf("seq %u ", l->seq);
  switch (l->outcome) {
  case SIPHB_PROBE_ALIVE:
  case SIPHB_PROBE_REJECTED:
    printf("%s %u %.*s rtt %.3f ms", report_outcome_name(l->outcome), l->status,
           (int)l->reason.len, l->reason.ptr ? l->reason.ptr : "", l->rtt_ms);
    break;
  case SIPHB_PROBE_TIMEOUT: printf("timeout after %.1f s", l->duration_ms / 1000.0); break;
  case SIPHB_PROBE_SEND_FAILED:
    printf("send failed: %s", l->detail ? l->detail : "refused");
    break;
  case SIPHB_PROBE_TRANSPORT_ERROR:
    printf("transport error: %s after %.3f ms", l->detail ? l->detail : "reported",
           l->duration_ms);
    break;
  }
  if (l->retransmissions)
    printf(" (%u retransmission%s)", l->retransmissions, plural(l->retransmissions));
  putchar('\n');
}

static void state_line(probe_report *r, int up, double at_ms) {
  if (r->o->json)
    printf("{\"state\":\"%s\",\"time_s\":%.3f}\n", up ? "up" : "down", at_ms / 1000.0);
  else
    printf("state %s\n", up ? "up" : "down");
}

void report_outcome(probe_report *r, const probe_line *l) {
  bool up = l->outcome == SIPHB_PROBE_ALIVE;
  if (up)
    r->alive++;
  else
    r->failed++;
  if (l->rtt_ms >= 0) client_rtt_add(&r->rtt, l->rtt_ms);
  if (r->o->json)
    json_line(r, l);
  else
    text_line(l);
  if (r->state != (int)up) {
    r->state = up;
    state_line(r, up, l->at_ms);
  }
  flush(r);
}

void report_summary(const probe_report *r) {
  fprintf(stderr, "sent %u, alive %u, failed %u, ", r->sent, r->alive, r->failed);
  client_rtt_print(stderr, &r->rtt);
}

int report_exit_status(const probe_report *r) {
  if (r->output_failed) {
    fputs("siphb: probe: writing the output failed\n", stderr);
    return TOOL_EXIT_USAGE;
  }
  return r->state == 1 ? TOOL_EXIT_OK : TOOL_EXIT_BAD_INPUT;
}

#endif /* !_WIN32 */
