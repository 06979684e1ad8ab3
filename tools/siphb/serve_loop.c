/*
 * serve_loop.c - the poll() loop of `siphb serve`: datagrams and TCP bytes
 * in, framed by the library's stream codec (siphb_stream_next, role
 * server) over each connection's buffer; --drop and --delay applied to each
 * request; answers sent at once or queued with their due time on the
 * monotonic clock (the poll timeout is the first due time: nothing sleeps);
 * the JSON line per request and the summary at the end.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "serve.h"

#ifndef _WIN32

#  include <errno.h>
#  include <limits.h>
#  include <poll.h>
#  include <stdio.h>
#  include <stdlib.h>
#  include <string.h>
#  include <sys/socket.h>

#  include "addr.h"
#  include "json.h"
#  include "tool.h"

/* After --count is reached, how long answers still queued on connections
 * that do not read them may take to go out. */
#  define SERVE_DRAIN_MS 2000u
/* Datagrams read from one socket before the others get their turn. */
#  define SERVE_UDP_BATCH 64

static bool count_reached(const serve_state *s) {
  return s->o.count && s->st.received >= s->o.count;
}

/* --drop: each request on its own, with the operating system's generator
 * (the share is what matters, not the speed). */
static bool drop_now(const serve_state *s) {
  if (s->o.drop == 0) return false;
  if (s->o.drop >= 1000) return true;
  uint8_t b[4];
  if (siphb_random_os(b, sizeof b, NULL) != 0) return false;
  uint32_t r = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  return r % 1000u < s->o.drop;
}

/* The --json line of one request: `action` is "answered", "dropped",
 * "none" (ACK) or "lost" (a delayed answer whose connection had closed). */
static void print_event(const serve_state *s, const serve_event *ev, const char *action,
                        size_t bytes, siphb_ms now) {
  if (!s->o.json) return;
  json_writer w;
  json_init(&w, stdout, false);
  json_begin_object(&w);
  json_key(&w, "t_ms");
  json_uint(&w, ev->received - s->start);
  json_key(&w, "transport");
  json_cstring(&w, ev->tcp ? "tcp" : "udp");
  json_key(&w, "local");
  json_addr(&w, &ev->local);
  json_key(&w, "peer");
  json_addr(&w, &ev->peer);
  json_key(&w, "kind");
  json_cstring(&w, serve_kind_name(ev->kind));
  if (ev->method[0]) {
    json_key(&w, "method");
    json_cstring(&w, ev->method);
  }
  json_key(&w, "action");
  json_cstring(&w, action);
  if (ev->status) {
    json_key(&w, "status");
    json_uint(&w, ev->status);
  }
  if (ev->st_interval) { /* a 200 to INVITE (--session-timer) */
    json_key(&w, "session_expires");
    json_uint(&w, ev->st_interval);
    json_key(&w, "refresher");
    json_cstring(&w, ev->st_refresher == SIPHB_SIP_REFRESHER_UAC ? "uac" : "uas");
  }
  if (ev->st_min_se) { /* a 422 */
    json_key(&w, "min_se");
    json_uint(&w, ev->st_min_se);
  }
  if (strcmp(action, "answered") == 0 || strcmp(action, "lost") == 0) {
    json_key(&w, "delay_ms");
    json_uint(&w, now - ev->received);
  }
  if (strcmp(action, "answered") == 0) {
    json_key(&w, "bytes");
    json_uint(&w, bytes);
  }
  json_end_object(&w);
  (void)json_finish(&w);
  fflush(stdout);
}

/* Where an answer goes: a UDP socket and peer, or a connection by id. */
typedef struct serve_route {
  int udp_fd;
  const serve_dest *to;
  uint64_t conn_id;
} serve_route;

static void deliver(serve_state *s, const serve_event *ev, const serve_route *r,
                    const uint8_t *data, size_t len, siphb_ms now) {
  bool sent;
  if (ev->tcp) {
    serve_conn *c = serve_conn_find(s, r->conn_id);
    sent = c && serve_conn_send(s, c, data, len);
  } else {
    sent = sendto(r->udp_fd, data, len, 0, (const struct sockaddr *)&r->to->ss, r->to->len) ==
           (ssize_t)len;
  }
  if (sent)
    s->st.answered++;
  else
    s->st.lost++;
  print_event(s, ev, sent ? "answered" : "lost", len, now);
}

/* --delay: the answer waits in the queue, in order (every one waits as
 * long, so the queue is sorted by due time). */
static void enqueue(serve_state *s, const serve_event *ev, const serve_route *r,
                    const uint8_t *data, size_t len, siphb_ms now) {
  serve_pending *p = malloc(sizeof *p + len);
  if (!p) {
    s->st.lost++;
    print_event(s, ev, "lost", 0, now);
    return;
  }
  memset(p, 0, sizeof *p);
  /* now is whole milliseconds, cut down: one more keeps the answer from
   * leaving before --delay has passed in real time. */
  p->due = now + s->o.delay_ms + 1;
  p->ev = *ev;
  p->udp_fd = r->udp_fd;
  if (r->to) p->to = *r->to;
  p->conn_id = r->conn_id;
  p->len = len;
  memcpy(p + 1, data, len);
  if (s->tail)
    s->tail->next = p;
  else
    s->head = p;
  s->tail = p;
}

static void send_due(serve_state *s, siphb_ms now) {
  while (s->head && s->head->due <= now) {
    serve_pending *p = s->head;
    s->head = p->next;
    if (!s->head) s->tail = NULL;
    serve_route r = {p->udp_fd, &p->to, p->conn_id};
    deliver(s, &p->ev, &r, (const uint8_t *)(p + 1), p->len, now);
    free(p);
  }
}

/* One framed item from a peer: counted, then answered, dropped or queued. */
static serve_verdict handle_item(serve_state *s, serve_event *ev, const uint8_t *data,
                                 size_t len, siphb_stream_kind kind, const serve_route *r,
                                 siphb_ms now) {
  size_t n;
  serve_verdict v = serve_answer(&s->o, data, len, kind, ev, s->answer, &n, s->scratch);
  if (v == SERVE_IGNORE) {
    s->st.ignored++;
    return v;
  }
  if (v == SERVE_MALFORMED) {
    s->st.malformed++;
    return v;
  }
  s->st.received++;
  s->st.by_kind[ev->kind]++;
  if (v == SERVE_SILENT) {
    print_event(s, ev, "none", 0, now);
  } else if (drop_now(s)) {
    s->st.dropped++;
    print_event(s, ev, "dropped", 0, now);
  } else if (s->o.delay_ms == 0) {
    deliver(s, ev, r, s->answer, n, now);
  } else {
    enqueue(s, ev, r, s->answer, n, now);
  }
  return v;
}

static void read_udp(serve_state *s, const serve_listener *l, siphb_ms now) {
  for (int k = 0; k < SERVE_UDP_BATCH && !count_reached(s); k++) {
    serve_dest from;
    from.len = sizeof from.ss;
    ssize_t n = recvfrom(l->fd, s->datagram, sizeof s->datagram, 0,
                         (struct sockaddr *)&from.ss, &from.len);
    if (n < 0) return; /* EAGAIN, or an ICMP error of an earlier send */
    serve_event ev;
    memset(&ev, 0, sizeof ev);
    ev.local = l->local;
    (void)addr_from_sockaddr(&from.ss, &ev.peer);
    ev.received = now;
    siphb_stream_item item;
    siphb_ssize len = siphb_stream_next(s->datagram, (size_t)n, SIPHB_TRANSPORT_UDP,
                                        SIPHB_STREAM_SERVER, &item, NULL);
    /* An INVITE refused for its Session-Expires or Min-SE value only:
     * still a request, for its 400 (serve_st.c). */
    if (len < 0 && item.kind == SIPHB_STREAM_SIP_REQUEST)
      len = serve_st_frame(&s->o, s->datagram, (size_t)n, false, s->scratch);
    if (len < 0) {
      s->st.malformed++;
      continue;
    }
    serve_route r = {l->fd, &from, 0};
    (void)handle_item(s, &ev, s->datagram, (size_t)len, item.kind, &r, now);
  }
}

/* Frames and handles every whole item in the connection's buffer. A
 * framing error closes it: a stream cannot resynchronise after garbage. */
static void frame_conn(serve_state *s, serve_conn *c, siphb_ms now) {
  const uint64_t id = c->id;
  size_t off = 0;
  while (off < c->in_len && !count_reached(s)) {
    siphb_stream_item item;
    siphb_error_info err;
    siphb_ssize n = siphb_stream_next(c->in + off, c->in_len - off, SIPHB_TRANSPORT_TCP,
                                      SIPHB_STREAM_SERVER, &item, &err);
    if (n < 0 && n != SIPHB_ERR_INCOMPLETE && item.kind == SIPHB_STREAM_SIP_REQUEST) {
      /* As for UDP: an INVITE whose only faults are session timer values
       * is framed without them, so that it gets its 400. */
      n = serve_st_frame(&s->o, c->in + off, c->in_len - off, true, s->scratch);
      if (n == SIPHB_ERR_INCOMPLETE) err.need = 1;
    }
    if (n == SIPHB_ERR_INCOMPLETE) {
      /* An item that can never fit the buffer: no use waiting for it. */
      if (err.need > SERVE_CONN_IN_CAP - (c->in_len - off)) {
        serve_conn_close(s, c, true);
        return;
      }
      break;
    }
    serve_verdict v = SERVE_MALFORMED;
    if (n > 0) {
      serve_event ev;
      memset(&ev, 0, sizeof ev);
      ev.tcp = true;
      ev.local = c->local;
      ev.peer = c->peer;
      ev.received = now;
      serve_route r = {-1, NULL, id};
      v = handle_item(s, &ev, c->in + off, (size_t)n, item.kind, &r, now);
      if (c->fd < 0 || c->id != id) return; /* closed by the send */
    } else {
      s->st.malformed++;
    }
    if (v == SERVE_MALFORMED) {
      serve_conn_close(s, c, true);
      return;
    }
    off += (size_t)n;
  }
  memmove(c->in, c->in + off, c->in_len - off);
  c->in_len -= off;
}

static bool output_pending(const serve_state *s) {
  for (size_t i = 0; i < SERVE_MAX_CONNS; i++)
    if (s->conns[i].fd >= 0 && s->conns[i].out_len) return true;
  return false;
}

static void print_summary(const serve_state *s) {
  const serve_stats *t = &s->st;
  if (s->o.quiet) return;
  /* invite and bye only with --session-timer: the line stays as it was
   * without it. */
  char st_kinds[64] = "";
  if (s->o.st)
    snprintf(st_kinds, sizeof st_kinds, ", invite %lu, bye %lu", t->by_kind[SERVE_INVITE],
             t->by_kind[SERVE_BYE]);
  fprintf(stderr,
          "siphb: %s: received %lu (options %lu, other %lu, ack %lu, crlf %lu, stun %lu%s), "
          "answered %lu, dropped %lu, lost %lu; ignored %lu, malformed %lu; "
          "tcp connections %lu, closed for abuse %lu\n",
          SERVE_CMD, t->received, t->by_kind[SERVE_OPTIONS], t->by_kind[SERVE_OTHER],
          t->by_kind[SERVE_ACK], t->by_kind[SERVE_CRLF], t->by_kind[SERVE_STUN], st_kinds,
          t->answered, t->dropped, t->lost, t->ignored, t->malformed, t->connections,
          t->abusive);
}

/* What one pollfd stands for: a listener, or a connection (by index and
 * id, since handling an earlier entry may have closed or reused it). */
typedef struct serve_watch {
  const serve_listener *l;
  size_t conn;
  uint64_t id;
} serve_watch;

int serve_run(serve_state *s) {
  static struct pollfd pfd[2 * SERVE_MAX_LISTEN + SERVE_MAX_CONNS];
  static serve_watch watch[2 * SERVE_MAX_LISTEN + SERVE_MAX_CONNS];
  net_catch_stop_signals();
  s->start = net_now();
  siphb_ms drain_end = SIPHB_NEVER;
  int rc = TOOL_EXIT_OK;
  while (!net_stop_requested()) {
    siphb_ms now = net_now();
    send_due(s, now);
    const bool done = count_reached(s);
    if (done && drain_end == SIPHB_NEVER) drain_end = now + SERVE_DRAIN_MS;
    if (done && (!s->head && !output_pending(s))) break;
    if (done && now >= drain_end) break;
    nfds_t n = 0;
    for (size_t i = 0; i < s->n_ls && !done; i++) {
      pfd[n].fd = s->ls[i].fd;
      pfd[n].events = POLLIN;
      watch[n++] = (serve_watch){&s->ls[i], 0, 0};
    }
    for (size_t i = 0; i < SERVE_MAX_CONNS; i++) {
      const serve_conn *c = &s->conns[i];
      if (c->fd < 0) continue;
      pfd[n].fd = c->fd;
      pfd[n].events = (short)((done ? 0 : POLLIN) | (c->out_len ? POLLOUT : 0));
      watch[n++] = (serve_watch){NULL, i, c->id};
    }
    siphb_ms wait = s->head ? (s->head->due > now ? s->head->due - now : 0) : SIPHB_NEVER;
    if (done && wait > 50) wait = 50; /* to see the drain end */
    int timeout = wait == SIPHB_NEVER ? -1 : wait > INT_MAX ? INT_MAX : (int)wait;
    int ready = poll(pfd, n, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "siphb: %s: poll: %s\n", SERVE_CMD, strerror(errno));
      rc = TOOL_EXIT_USAGE;
      break;
    }
    now = net_now();
    for (nfds_t k = 0; k < n && ready > 0; k++) {
      if (!pfd[k].revents) continue;
      const serve_listener *l = watch[k].l;
      if (l && l->tcp) {
        serve_accept(s, l);
      } else if (l) {
        read_udp(s, l, now);
      } else {
        serve_conn *c = &s->conns[watch[k].conn];
        if (c->fd < 0 || c->id != watch[k].id) continue;
        if (pfd[k].revents & POLLOUT) serve_conn_flush(s, c);
        if (c->fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        if (done)
          serve_conn_close(s, c, false); /* hung up: nothing more to read */
        else if (serve_conn_read(s, c))
          frame_conn(s, c, now);
      }
    }
  }
  print_summary(s);
  return rc;
}

#endif /* !_WIN32 */
