/*
 * probe_loop.c - `siphb probe`'s event loop: one siphb ctx with one
 * siphb_probe, driven by poll() and the monotonic clock. The ctx says when
 * to call back (siphb_ctx_next_deadline), the loop advances it then and
 * hands it every datagram, or on TCP every item the stream codec frames in
 * the tool's own buffer (the ctx keeps no per-peer stream buffer:
 * docs/API-PLAN.md section 3.2), and tells it what the sockets learned
 * (siphb_ctx_peer_event): an ICMP port unreachable on UDP, a refused or
 * lost TCP connection. TCP connects at the first send of a round and after
 * a loss again at the next round's, so a restarted server is found again.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* poll, clock_gettime under -std=c11 */
#endif

#include "probe_tool.h"

#ifndef _WIN32

#  include <errno.h>
#  include <netinet/in.h>
#  include <poll.h>
#  include <stdio.h>
#  include <string.h>
#  include <sys/socket.h>
#  include <unistd.h>

#  include <siphb/ctx.h>
#  include <siphb/stream.h>

#  include "tool.h"

#  define PROBE_IN_MAX 65536 /* the longest SIP message the TCP buffer holds */
#  define PROBE_OUT_MAX 4096 /* one request waiting for the TCP connection */
#  define NO_EVENT (-1)

typedef struct probe_io {
  const probe_opts *o;
  siphb_ctx *ctx;
  siphb_probe *probe;
  siphb_peer peer; /* one peer for the tool's life: reconnections keep it */
  net_addr server;
  int fd;          /* the UDP socket, or the TCP connection (-1: none) */
  bool connecting; /* TCP: a non-blocking connect in progress */
  uint8_t out[PROBE_OUT_MAX]; /* TCP: bytes the connection has not taken yet */
  size_t out_len;
  uint8_t in[PROBE_IN_MAX];   /* TCP: received bytes from an item boundary */
  size_t in_len;
  int pending;             /* a siphb_peer_event found inside a callback, or NO_EVENT */
  const char *pending_why;
  const char *why;         /* the cause of the transport error being reported */
  char send_error[128];    /* why the last first transmission failed */
  double start_ms;         /* the tool's start */
  double round_ms;         /* the first transmission of the round in flight */
  double rx_ms;            /* when the bytes being handed over arrived */
  unsigned rounds;         /* outcomes so far */
  bool done;               /* --count reached */
  probe_report rep;
} probe_io;

/* ---- sockets ---------------------------------------------------------------- */

static void tcp_close(probe_io *io) {
  if (io->fd >= 0) close(io->fd);
  io->fd = -1;
  io->connecting = false;
  io->out_len = io->in_len = 0;
}

/* A transport event learned inside a callback (where siphb_ctx_peer_event
 * is refused) or in the loop; delivered by deliver_pending(). */
static void note_event(probe_io *io, siphb_peer_event what, const char *why) {
  io->pending = (int)what;
  io->pending_why = why;
}

static const char *errno_why(int e) {
  switch (e) {
  case ECONNREFUSED: return "connection refused";
  case ECONNRESET: return "connection reset";
  case EPIPE: return "connection closed";
  case ETIMEDOUT: return "connection timed out";
  case EHOSTUNREACH: return "host unreachable";
  case ENETUNREACH: return "network unreachable";
  default: return "connection failed";
  }
}

/* Writes what is queued on a connected TCP socket; a failure closes it. */
static void tcp_flush(probe_io *io) {
  while (io->out_len > 0 && io->fd >= 0 && !io->connecting) {
    ssize_t n = send(io->fd, io->out, io->out_len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      note_event(io, SIPHB_PEER_CLOSED, errno_why(errno));
      tcp_close(io);
      return;
    }
    memmove(io->out, io->out + n, io->out_len - (size_t)n);
    io->out_len -= (size_t)n;
  }
}

/* Starts a non-blocking connection to the server. */
static void tcp_connect(probe_io *io) {
  io->fd = socket(io->server.ss.ss_family, SOCK_STREAM, IPPROTO_TCP);
  if (io->fd < 0 || net_set_nonblock(io->fd) != 0) {
    note_event(io, SIPHB_PEER_CONNECT_FAILED, errno_why(errno));
    tcp_close(io);
    return;
  }
  if (connect(io->fd, (const struct sockaddr *)&io->server.ss, io->server.len) == 0) return;
  if (errno == EINPROGRESS || errno == EINTR) {
    io->connecting = true;
    return;
  }
  note_event(io, SIPHB_PEER_CONNECT_FAILED, errno_why(errno));
  tcp_close(io);
}

/* ---- callbacks ----------------------------------------------------------------- */

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx;
  probe_io *io = user_data;
  if (info->attempt == 0) {
    io->round_ms = net_now_ms();
    report_sent(&io->rep);
  }
  if (io->o->transport == SIPHB_TRANSPORT_UDP) {
    /* Linux reports an ICMP error pending from an earlier datagram on the
     * next send and drops that send: try once more. */
    for (int tries = 0; tries < 2; tries++) {
      if (send(io->fd, data, len, 0) == (ssize_t)len) return 0;
      if (errno != ECONNREFUSED && errno != EINTR) break;
    }
    snprintf(io->send_error, sizeof io->send_error, "%s", strerror(errno));
    return SIPHB_ERR_SEND;
  }
  if (io->fd < 0) tcp_connect(io);
  if (io->fd < 0) return 0; /* handed over; the refusal ends the round (pending) */
  if (len > sizeof io->out - io->out_len) {
    snprintf(io->send_error, sizeof io->send_error, "the connection does not take data");
    return SIPHB_ERR_SEND;
  }
  memcpy(io->out + io->out_len, data, len);
  io->out_len += len;
  tcp_flush(io);
  return 0;
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  probe_io *io = user_data;
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
  double end_ms = e->rtt != SIPHB_NEVER ? io->rx_ms : now_ms;
  l.duration_ms = end_ms - io->round_ms;
  l.rtt_ms = e->rtt != SIPHB_NEVER ? l.duration_ms : -1.0;
  l.at_ms = end_ms - io->start_ms;
  if (e->outcome == SIPHB_PROBE_TRANSPORT_ERROR) l.detail = io->why;
  if (e->outcome == SIPHB_PROBE_SEND_FAILED) l.detail = io->send_error;
  report_outcome(&io->rep, &l);
  if (io->o->count && io->rounds >= io->o->count) io->done = true;
  return 0;
}

/* ---- the loop --------------------------------------------------------------------- */

/* Hands a pending transport event to the ctx. */
static int deliver_pending(probe_io *io) {
  if (io->pending == NO_EVENT) return 0;
  siphb_peer_event what = (siphb_peer_event)io->pending;
  io->why = io->pending_why;
  io->pending = NO_EVENT;
  return siphb_ctx_peer_event(io->ctx, &io->peer, what, net_now());
}

static int give(probe_io *io, const uint8_t *p, size_t n) {
  siphb_rx_result res;
  return siphb_ctx_receive(io->ctx, &io->peer, p, n, &res, net_now());
}

/* Every datagram queued on the UDP socket. */
static int udp_readable(probe_io *io) {
  static uint8_t buf[65536];
  for (;;) {
    ssize_t n = recv(io->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n < 0 && errno == ECONNREFUSED) {
      note_event(io, SIPHB_PEER_UNREACHABLE, "ICMP port unreachable");
      int rv = deliver_pending(io);
      if (rv != 0) return rv;
      continue;
    }
    if (n < 0) {
      fprintf(stderr, "siphb: probe: receiving failed: %s\n", strerror(errno));
      return SIPHB_ERR_CALLBACK_FAILURE;
    }
    io->rx_ms = net_now_ms();
    int rv = give(io, buf, (size_t)n);
    if (rv != 0) return rv;
  }
}

/* Frames the TCP buffer with the stream codec (client role: a CRLF from
 * the server is a pong at once) and hands each whole item to the ctx. */
static int tcp_items(probe_io *io) {
  size_t at = 0;
  int rv = 0;
  while (at < io->in_len && io->fd >= 0) {
    siphb_stream_item item;
    siphb_ssize n = siphb_stream_next(io->in + at, io->in_len - at, SIPHB_TRANSPORT_TCP,
                                      SIPHB_STREAM_CLIENT, &item, NULL);
    if (n == SIPHB_ERR_INCOMPLETE) break;
    if (n < 0) { /* garbage cannot be skipped in a stream (stream.h) */
      note_event(io, SIPHB_PEER_CLOSED, "unframeable bytes from the server");
      tcp_close(io);
      return deliver_pending(io);
    }
    if (item.kind == SIPHB_STREAM_SIP_RESPONSE || item.kind == SIPHB_STREAM_SIP_REQUEST)
      rv = give(io, io->in + at, (size_t)n);
    if (rv != 0) return rv;
    at += (size_t)n;
  }
  if (io->fd < 0) return 0;
  memmove(io->in, io->in + at, io->in_len - at);
  io->in_len -= at;
  if (io->in_len == sizeof io->in) {
    note_event(io, SIPHB_PEER_CLOSED, "a message longer than 64 KiB");
    tcp_close(io);
    return deliver_pending(io);
  }
  return 0;
}

static int tcp_ready(probe_io *io, short revents) {
  if (io->connecting) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0 && !(revents & (POLLOUT | POLLERR | POLLHUP))) return 0;
    if (err != 0 || (revents & (POLLERR | POLLHUP))) {
      note_event(io, SIPHB_PEER_CONNECT_FAILED, errno_why(err ? err : ECONNREFUSED));
      tcp_close(io);
      return deliver_pending(io);
    }
    io->connecting = false;
  }
  tcp_flush(io);
  if (io->fd >= 0 && (revents & (POLLIN | POLLERR | POLLHUP))) {
    ssize_t n = recv(io->fd, io->in + io->in_len, sizeof io->in - io->in_len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    if (n <= 0) {
      note_event(io, SIPHB_PEER_CLOSED, n == 0 ? "connection closed" : errno_why(errno));
      tcp_close(io);
    } else {
      io->rx_ms = net_now_ms();
      io->in_len += (size_t)n;
      int rv = tcp_items(io);
      if (rv != 0) return rv;
    }
  }
  return deliver_pending(io);
}

/* Waits for the sockets or the ctx's next deadline, whichever comes first. */
static int wait_once(probe_io *io) {
  siphb_ms deadline = siphb_ctx_next_deadline(io->ctx), now = net_now();
  siphb_ms wait = deadline == SIPHB_NEVER ? 60000 : deadline > now ? deadline - now : 0;
  struct pollfd p = {io->fd, POLLIN, 0};
  if (io->connecting || io->out_len) p.events |= POLLOUT;
  int n = poll(&p, io->fd >= 0 ? 1 : 0, wait > 60000 ? 60000 : (int)wait);
  if (n < 0 && errno != EINTR) {
    fprintf(stderr, "siphb: probe: poll failed: %s\n", strerror(errno));
    return SIPHB_ERR_CALLBACK_FAILURE;
  }
  if (n <= 0) return 0;
  return io->o->transport == SIPHB_TRANSPORT_UDP ? udp_readable(io) : tcp_ready(io, p.revents);
}

static int loop(probe_io *io) {
  while (!net_stop_requested() && !io->done) {
    int rv = siphb_ctx_advance(io->ctx, net_now());
    if (rv == 0) rv = deliver_pending(io);
    if (rv == 0 && !io->done) rv = wait_once(io);
    if (rv != 0) {
      fprintf(stderr, "siphb: probe: %s\n", siphb_strerror(rv));
      return TOOL_EXIT_USAGE;
    }
  }
  return -1;
}

/* ---- set-up ----------------------------------------------------------------------- */

static int make_probe(probe_io *io, const siphb_mapped_addr *local) {
  const probe_opts *o = io->o;
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
  int rv = siphb_probe_new(&io->probe, io->ctx, &cfg, &io->peer, io, net_now());
  if (rv == 0) rv = siphb_probe_start(io->probe, net_now());
  if (rv != 0) {
    fprintf(stderr, "siphb: probe: cannot set up the probe of %s: %s\n", o->uri_text,
            siphb_strerror(rv));
    return TOOL_EXIT_USAGE;
  }
  return -1;
}

static int make_ctx(probe_io *io) {
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  cb.random = siphb_random_os;
  int rv = siphb_ctx_new(&io->ctx, NULL, &cb, NULL, io, net_now());
  if (rv != 0) {
    fprintf(stderr, "siphb: probe: cannot create the siphb context: %s\n", siphb_strerror(rv));
    return TOOL_EXIT_USAGE;
  }
  return -1;
}

int probe_run(const probe_opts *o) {
  static probe_io io; /* 70 KiB of buffers: not on the stack */
  siphb_mapped_addr local;
  memset(&io, 0, sizeof io);
  io.o = o;
  io.fd = -1;
  io.pending = NO_EVENT;
  io.peer.id = 1;
  io.peer.transport = o->transport;
  io.start_ms = net_now_ms();
  int rc = net_resolve("probe", &o->where, o->family,
                       o->transport == SIPHB_TRANSPORT_UDP ? SOCK_DGRAM : SOCK_STREAM, &io.server);
  if (rc >= 0) return rc;
  siphb_mapped_addr server = net_mapped(&io.server);
  char what[ADDR_TEXT_MAX];
  addr_text(&server, what, sizeof what);
  /* UDP: the socket the rounds use. TCP: only the local address a
   * connection would have, for Via; connections are made per round. */
  int fd = net_udp_connect("probe", what, &io.server, &local);
  if (fd < 0) return TOOL_EXIT_USAGE;
  if (o->transport == SIPHB_TRANSPORT_UDP) {
    io.fd = fd;
  } else {
    close(fd);
  }
  report_init(&io.rep, o, &server);
  net_catch_stop_signals();
  rc = make_ctx(&io);
  if (rc < 0) rc = make_probe(&io, &local);
  if (rc < 0) rc = loop(&io);
  siphb_ctx_del(io.ctx); /* deletes the probe too */
  if (io.fd >= 0) close(io.fd);
  if (rc >= 0) return rc;
  report_summary(&io.rep);
  return report_exit_status(&io.rep);
}

#endif /* !_WIN32 */
