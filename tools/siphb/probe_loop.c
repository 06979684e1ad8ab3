/*
 * probe_loop.c - `siphb probe` on the client loop (client_loop.h): one
 * siphb ctx with one siphb_probe, over a connected UDP socket or a TCP
 * connection made at a round's first send and, after a loss, again at the
 * next round's, so a restarted server is found again. This file makes the
 * probe and turns its events into the report's lines.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "probe_tool.h"

#ifndef _WIN32

#  include <stdio.h>
#  include <string.h>

#  include <siphb/ctx.h>
#  include <siphb/stream.h>

#  include "client_loop.h"
#  include "tool.h"

typedef struct probe_io {
  const probe_opts *o;
  client_loop cl;
  siphb_probe *probe;
  unsigned rounds; /* outcomes so far */
  probe_report rep;
} probe_io;

static int on_event(client_loop *cl, const siphb_event *ev) {
  probe_io *io = cl->user;
  if (ev->type != SIPHB_EVENT_PROBE_RESULT) return 0;
  const siphb_event_probe *e = &ev->u.probe;
  double now_ms = net_now_ms();
  probe_line l;
  memset(&l, 0, sizeof l);
  l.seq = ++io->rounds;
  l.outcome = e->outcome;
  l.status = e->status;
  l.reason = e->reason_phrase;
  l.retransmissions = e->transmissions > 0 ? e->transmissions - 1 : 0;
  /* The library counts whole milliseconds of the same clock; the tool
   * times the round itself for the decimals. */
  double end_ms = e->rtt != SIPHB_NEVER ? cl->rx_ms : now_ms;
  l.duration_ms = end_ms - cl->sent_ms;
  l.rtt_ms = e->rtt != SIPHB_NEVER ? l.duration_ms : -1.0;
  l.at_ms = end_ms - cl->start_ms;
  if (e->outcome == SIPHB_PROBE_TRANSPORT_ERROR) l.detail = cl->why;
  if (e->outcome == SIPHB_PROBE_SEND_FAILED) l.detail = cl->send_error;
  io->rep.sent = cl->sent;
  report_outcome(&io->rep, &l);
  if (io->o->count && io->rounds >= io->o->count) cl->done = true;
  return 0;
}

static int make_probe(probe_io *io) {
  const probe_opts *o = io->o;
  const siphb_mapped_addr *local = &io->cl.local;
  char host[ADDR_TEXT_MAX];
  char ua[64];
  siphb_probe_config cfg;
  siphb_probe_config_init(&cfg, sizeof cfg);
  addr_host(local, host, sizeof host);
  snprintf(ua, sizeof ua, "siphb/%s", siphb_version());
  cfg.request_uri = siphb_str_c(o->request_uri);
  cfg.via_host = siphb_str_c(host);
  /* On UDP the socket's port; on TCP each connection has another one and
   * the response comes back on the connection (RFC 3261 section 18.2.2). */
  cfg.via_port = o->transport == SIPHB_TRANSPORT_UDP ? local->port : 0;
  if (o->from) cfg.from_uri = siphb_str_c(o->from);
  cfg.user_agent = siphb_str_c(ua);
  cfg.interval = o->interval;
  cfg.timeout = o->timeout;
  cfg.retry_interval = o->retry_interval;
  cfg.t1 = o->t1;
  cfg.t2 = o->t2;
  int rv = siphb_probe_new(&io->probe, io->cl.ctx, &cfg, &io->cl.peer, io, net_now());
  if (rv == 0) rv = siphb_probe_start(io->probe, net_now());
  if (rv != 0) {
    fprintf(stderr, "siphb: probe: cannot set up the probe of %s: %s\n", o->uri_text,
            siphb_strerror(rv));
    return TOOL_EXIT_USAGE;
  }
  return -1;
}

int probe_run(const probe_opts *o) {
  static probe_io io; /* 70 KiB of buffers: not on the stack */
  static const client_hooks hooks = {on_event, 1u << SIPHB_STREAM_SIP_RESPONSE |
                                                   1u << SIPHB_STREAM_SIP_REQUEST};
  memset(&io, 0, sizeof io);
  io.o = o;
  int rc = client_open(&io.cl, "probe", &o->where, o->family, o->transport);
  if (rc >= 0) return rc;
  report_init(&io.rep, o, &io.cl.server_addr);
  rc = client_start(&io.cl, &hooks, &io);
  if (rc < 0) rc = make_probe(&io);
  if (rc < 0) rc = client_run(&io.cl);
  io.rep.sent = io.cl.sent;
  client_close(&io.cl);
  if (rc >= 0) return rc;
  report_summary(&io.rep);
  return report_exit_status(&io.rep);
}

#endif /* !_WIN32 */
