/*
 * client_loop.c - the poll() loop of the client subcommands (see
 * client_loop.h): the ctx's send and event callbacks, the connected UDP
 * socket or the TCP connection with its buffers and stream framing, and the
 * transport events handed to siphb_ctx_peer_event() outside the callbacks,
 * where it is refused.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* poll, clock_gettime under -std=c11 */
#endif

#include "client_loop.h"

#ifndef _WIN32

#  include <errno.h>
#  include <netinet/in.h>
#  include <poll.h>
#  include <string.h>
#  include <sys/socket.h>
#  include <unistd.h>

#  include <siphb/stream.h>

#  include "tool.h"

#  define NO_EVENT (-1)

/* ---- sockets ---------------------------------------------------------------- */

static void tcp_close(client_loop *cl) {
  if (cl->fd >= 0) close(cl->fd);
  cl->fd = -1;
  cl->connecting = false;
  cl->out_len = cl->in_len = 0;
}

/* A transport event learned inside a callback (where siphb_ctx_peer_event
 * is refused) or in the loop; delivered by deliver_pending(). */
static void note_event(client_loop *cl, siphb_peer_event what, const char *why) {
  cl->pending = (int)what;
  cl->pending_why = why;
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
static void tcp_flush(client_loop *cl) {
  while (cl->out_len > 0 && cl->fd >= 0 && !cl->connecting) {
    ssize_t n = send(cl->fd, cl->out, cl->out_len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      note_event(cl, SIPHB_PEER_CLOSED, errno_why(errno));
      tcp_close(cl);
      return;
    }
    memmove(cl->out, cl->out + n, cl->out_len - (size_t)n);
    cl->out_len -= (size_t)n;
  }
}

/* Starts a non-blocking connection to the server. */
static void tcp_connect(client_loop *cl) {
  cl->fd = socket(cl->server.ss.ss_family, SOCK_STREAM, IPPROTO_TCP);
  if (cl->fd < 0 || net_set_nonblock(cl->fd) != 0) {
    note_event(cl, SIPHB_PEER_CONNECT_FAILED, errno_why(errno));
    tcp_close(cl);
    return;
  }
  if (connect(cl->fd, (const struct sockaddr *)&cl->server.ss, cl->server.len) == 0) return;
  if (errno == EINPROGRESS || errno == EINTR) {
    cl->connecting = true;
    return;
  }
  note_event(cl, SIPHB_PEER_CONNECT_FAILED, errno_why(errno));
  tcp_close(cl);
}

/* ---- callbacks ----------------------------------------------------------------- */

static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
                   void *user_data) {
  (void)ctx;
  client_loop *cl = user_data;
  if (info->attempt == 0) {
    cl->sent_ms = net_now_ms();
    cl->sent++;
    cl->attempts = 0;
  }
  cl->attempts++;
  if (cl->transport == SIPHB_TRANSPORT_UDP) {
    /* Linux reports an ICMP error pending from an earlier datagram on the
     * next send and drops that send: try once more. */
    for (int tries = 0; tries < 2; tries++) {
      if (send(cl->fd, data, len, 0) == (ssize_t)len) return 0;
      if (errno != ECONNREFUSED && errno != EINTR) break;
    }
    snprintf(cl->send_error, sizeof cl->send_error, "%s", strerror(errno));
    return SIPHB_ERR_SEND;
  }
  if (cl->fd < 0) tcp_connect(cl);
  if (cl->fd < 0) return 0; /* handed over; the refusal ends it (pending) */
  if (len > sizeof cl->out - cl->out_len) {
    snprintf(cl->send_error, sizeof cl->send_error, "the connection does not take data");
    return SIPHB_ERR_SEND;
  }
  memcpy(cl->out + cl->out_len, data, len);
  cl->out_len += len;
  tcp_flush(cl);
  return 0;
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  client_loop *cl = user_data;
  return cl->hooks.event ? cl->hooks.event(cl, ev) : 0;
}

/* ---- the loop --------------------------------------------------------------------- */

/* Hands a pending transport event to the ctx; cl->why names its cause
 * while the events it causes are reported. */
static int deliver_pending(client_loop *cl) {
  if (cl->pending == NO_EVENT) return 0;
  siphb_peer_event what = (siphb_peer_event)cl->pending;
  cl->why = cl->pending_why;
  cl->pending = NO_EVENT;
  int rv = siphb_ctx_peer_event(cl->ctx, &cl->peer, what, net_now());
  cl->why = NULL;
  return rv;
}

static int give(client_loop *cl, const uint8_t *p, size_t n) {
  siphb_rx_result res;
  return siphb_ctx_receive(cl->ctx, &cl->peer, p, n, &res, net_now());
}

/* Every datagram queued on the UDP socket. */
static int udp_readable(client_loop *cl) {
  static uint8_t buf[65536];
  for (;;) {
    ssize_t n = recv(cl->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n < 0 && errno == ECONNREFUSED) {
      note_event(cl, SIPHB_PEER_UNREACHABLE, "ICMP port unreachable");
      int rv = deliver_pending(cl);
      if (rv != 0 || cl->done) return rv;
      continue;
    }
    if (n < 0) {
      fprintf(stderr, "siphb: %s: receiving failed: %s\n", cl->cmd, strerror(errno));
      return SIPHB_ERR_CALLBACK_FAILURE;
    }
    cl->rx_ms = net_now_ms();
    int rv = give(cl, buf, (size_t)n);
    if (rv != 0 || cl->done) return rv;
  }
}

/* Frames the TCP buffer with the stream codec (client role: a CRLF from
 * the server is a pong at once) and hands each whole item of a kind the
 * hooks ask for to the ctx. */
static int tcp_items(client_loop *cl) {
  size_t at = 0;
  int rv = 0;
  while (at < cl->in_len && cl->fd >= 0 && !cl->done) {
    siphb_stream_item item;
    siphb_ssize n = siphb_stream_next(cl->in + at, cl->in_len - at, SIPHB_TRANSPORT_TCP,
                                      SIPHB_STREAM_CLIENT, &item, NULL);
    if (n == SIPHB_ERR_INCOMPLETE) break;
    if (n < 0) { /* garbage cannot be skipped in a stream (stream.h) */
      note_event(cl, SIPHB_PEER_CLOSED, "unframeable bytes from the server");
      tcp_close(cl);
      return deliver_pending(cl);
    }
    if (cl->hooks.tcp_kinds & (1u << (unsigned)item.kind)) rv = give(cl, cl->in + at, (size_t)n);
    if (rv != 0) return rv;
    at += (size_t)n;
  }
  if (cl->fd < 0) return 0;
  memmove(cl->in, cl->in + at, cl->in_len - at);
  cl->in_len -= at;
  if (cl->in_len == sizeof cl->in) {
    note_event(cl, SIPHB_PEER_CLOSED, "a message longer than 64 KiB");
    tcp_close(cl);
    return deliver_pending(cl);
  }
  return 0;
}

static int tcp_ready(client_loop *cl, short revents) {
  if (cl->connecting) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(cl->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0 && !(revents & (POLLOUT | POLLERR | POLLHUP))) return 0;
    if (err != 0 || (revents & (POLLERR | POLLHUP))) {
      note_event(cl, SIPHB_PEER_CONNECT_FAILED, errno_why(err ? err : ECONNREFUSED));
      tcp_close(cl);
      return deliver_pending(cl);
    }
    cl->connecting = false;
  }
  tcp_flush(cl);
  if (cl->fd >= 0 && (revents & (POLLIN | POLLERR | POLLHUP))) {
    ssize_t n = recv(cl->fd, cl->in + cl->in_len, sizeof cl->in - cl->in_len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    if (n <= 0) {
      note_event(cl, SIPHB_PEER_CLOSED, n == 0 ? "connection closed" : errno_why(errno));
      tcp_close(cl);
    } else {
      cl->rx_ms = net_now_ms();
      cl->in_len += (size_t)n;
      int rv = tcp_items(cl);
      if (rv != 0) return rv;
    }
  }
  return deliver_pending(cl);
}

/* Waits for the socket or the ctx's next deadline, whichever comes first. */
static int wait_once(client_loop *cl) {
  siphb_ms deadline = siphb_ctx_next_deadline(cl->ctx), now = net_now();
  siphb_ms wait = deadline == SIPHB_NEVER ? 60000 : deadline > now ? deadline - now : 0;
  struct pollfd p = {cl->fd, POLLIN, 0};
  if (cl->connecting || cl->out_len) p.events |= POLLOUT;
  int n = poll(&p, cl->fd >= 0 ? 1 : 0, wait > 60000 ? 60000 : (int)wait);
  if (n < 0 && errno != EINTR) {
    fprintf(stderr, "siphb: %s: poll failed: %s\n", cl->cmd, strerror(errno));
    return SIPHB_ERR_CALLBACK_FAILURE;
  }
  if (n <= 0) return 0;
  return cl->transport == SIPHB_TRANSPORT_UDP ? udp_readable(cl) : tcp_ready(cl, p.revents);
}

int client_run(client_loop *cl) {
  while (!net_stop_requested() && !cl->done) {
    int rv = siphb_ctx_advance(cl->ctx, net_now());
    if (rv == 0 && !cl->done) rv = deliver_pending(cl);
    if (rv == 0 && !cl->done) rv = wait_once(cl);
    if (rv != 0) {
      fprintf(stderr, "siphb: %s: %s\n", cl->cmd, siphb_strerror(rv));
      return TOOL_EXIT_USAGE;
    }
  }
  return -1;
}

/* ---- set-up ----------------------------------------------------------------------- */

int client_open(client_loop *cl, const char *cmd, const net_target *where, int family,
                siphb_transport transport) {
  memset(cl, 0, sizeof *cl);
  cl->cmd = cmd;
  cl->transport = transport;
  cl->fd = -1;
  cl->pending = NO_EVENT;
  cl->peer.id = 1;
  cl->peer.transport = transport;
  cl->start_ms = net_now_ms();
  int rc = net_resolve(cmd, where, family,
                       transport == SIPHB_TRANSPORT_UDP ? SOCK_DGRAM : SOCK_STREAM, &cl->server);
  if (rc >= 0) return rc;
  cl->server_addr = net_mapped(&cl->server);
  addr_text(&cl->server_addr, cl->server_text, sizeof cl->server_text);
  /* UDP: the socket of the whole run. TCP: only the local address a
   * connection would have; connections are made at the first send. */
  int fd = net_udp_connect(cmd, cl->server_text, &cl->server, &cl->local);
  if (fd < 0) return TOOL_EXIT_USAGE;
  if (transport == SIPHB_TRANSPORT_UDP)
    cl->fd = fd;
  else
    close(fd);
  return -1;
}

int client_start(client_loop *cl, const client_hooks *hooks, void *user) {
  cl->hooks = *hooks;
  cl->user = user;
  net_catch_stop_signals();
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  cb.random = siphb_random_os;
  int rv = siphb_ctx_new(&cl->ctx, NULL, &cb, NULL, cl, net_now());
  if (rv != 0) {
    fprintf(stderr, "siphb: %s: cannot create the siphb context: %s\n", cl->cmd,
            siphb_strerror(rv));
    return TOOL_EXIT_USAGE;
  }
  return -1;
}

void client_close(client_loop *cl) {
  siphb_ctx_del(cl->ctx); /* deletes the object on it too */
  cl->ctx = NULL;
  if (cl->fd >= 0) close(cl->fd);
  cl->fd = -1;
}

/* ---- round-trip times ------------------------------------------------------------ */

void client_rtt_add(client_rtt *r, double ms) {
  if (r->n == 0 || ms < r->min) r->min = ms;
  if (r->n == 0 || ms > r->max) r->max = ms;
  r->sum += ms;
  r->n++;
}

void client_rtt_print(FILE *out, const client_rtt *r) {
  if (r->n)
    fprintf(out, "rtt min/avg/max %.3f/%.3f/%.3f ms\n", r->min, r->sum / r->n, r->max);
  else
    fputs("rtt min/avg/max -/-/- ms\n", out);
}

void client_json_timing(json_writer *w, double rtt_ms, double duration_ms,
                        unsigned retransmissions) {
  json_key(w, "rtt_ms");
  if (rtt_ms >= 0)
    json_fixed(w, rtt_ms, 3);
  else
    json_null(w);
  json_key(w, "duration_ms");
  json_fixed(w, duration_ms, 3);
  json_key(w, "retransmissions");
  json_uint(w, retransmissions);
}

#endif /* !_WIN32 */
