/*
 * serve_net.c - the sockets of `siphb serve`: the listeners (net_listen),
 * the TCP connections with their input buffer (framed by serve_loop.c with
 * the stream codec) and output buffer, and the limits that close a
 * connection that abuses them.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "serve.h"

#ifndef _WIN32

#  include <errno.h>
#  include <signal.h>
#  include <stdio.h>
#  include <stdlib.h>
#  include <string.h>
#  include <sys/socket.h>
#  include <unistd.h>

#  include "addr.h"
#  include "tool.h"

#  ifndef MSG_NOSIGNAL
#    define MSG_NOSIGNAL 0 /* SIGPIPE is ignored as well (serve_open) */
#  endif

static int open_list(serve_state *s, const net_target *list, size_t n, bool tcp) {
  for (size_t i = 0; i < n; i++) {
    serve_listener *l = &s->ls[s->n_ls];
    int rc = net_listen(SERVE_CMD, &list[i], tcp ? SOCK_STREAM : SOCK_DGRAM, &l->fd, &l->local);
    if (rc >= 0) return rc;
    l->tcp = tcp;
    s->n_ls++;
    char text[ADDR_TEXT_MAX];
    addr_text(&l->local, text, sizeof text);
    printf("listening %s %s\n", tcp ? "tcp" : "udp", text);
  }
  return -1;
}

int serve_open(serve_state *s) {
  s->n_ls = 0;
  s->next_conn_id = 1;
  for (size_t i = 0; i < SERVE_MAX_CONNS; i++) s->conns[i].fd = -1;
  signal(SIGPIPE, SIG_IGN); /* a peer gone: send() fails instead */
  int rc = open_list(s, s->o.udp, s->o.n_udp, false);
  if (rc < 0) rc = open_list(s, s->o.tcp, s->o.n_tcp, true);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "siphb: %s: writing the output failed\n", SERVE_CMD);
    return TOOL_EXIT_USAGE;
  }
  return rc;
}

void serve_close_all(serve_state *s) {
  for (size_t i = 0; i < SERVE_MAX_CONNS; i++)
    if (s->conns[i].fd >= 0) serve_conn_close(s, &s->conns[i], false);
  for (size_t i = 0; i < s->n_ls; i++) close(s->ls[i].fd);
  s->n_ls = 0;
  while (s->head) {
    serve_pending *p = s->head;
    s->head = p->next;
    free(p);
  }
  s->tail = NULL;
}

void serve_accept(serve_state *s, const serve_listener *l) {
  for (;;) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept(l->fd, (struct sockaddr *)&ss, &len);
    if (fd < 0) return; /* EAGAIN: all taken; anything else: try next round */
    serve_conn *c = NULL;
    for (size_t i = 0; i < SERVE_MAX_CONNS && !c; i++)
      if (s->conns[i].fd < 0) c = &s->conns[i];
    if (!c || net_set_nonblock(fd) != 0) {
      close(fd); /* full: refused at once rather than left waiting */
      s->st.abusive += c == NULL;
      continue;
    }
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->id = s->next_conn_id++;
    c->local = l->local;
    (void)addr_from_sockaddr(&ss, &c->peer);
    s->st.connections++;
  }
}

void serve_conn_close(serve_state *s, serve_conn *c, bool abusive) {
  close(c->fd);
  free(c->in);
  free(c->out);
  memset(c, 0, sizeof *c);
  c->fd = -1;
  if (abusive) s->st.abusive++;
}

serve_conn *serve_conn_find(serve_state *s, uint64_t id) {
  for (size_t i = 0; i < SERVE_MAX_CONNS; i++)
    if (s->conns[i].fd >= 0 && s->conns[i].id == id) return &s->conns[i];
  return NULL;
}

/* Room for `more` bytes after `len` in a buffer of at most `max`, grown by
 * doubling. */
static bool reserve(uint8_t **buf, size_t *cap, size_t len, size_t more, size_t max) {
  if (more > max || len > max - more) return false;
  if (len + more <= *cap) return true;
  size_t n = *cap ? *cap : 4096;
  while (n < len + more) n *= 2;
  if (n > max) n = max;
  uint8_t *p = realloc(*buf, n);
  if (!p) return false;
  *buf = p;
  *cap = n;
  return true;
}

bool serve_conn_read(serve_state *s, serve_conn *c) {
  /* A buffer full without a whole item in it is a peer sending more than
   * any message may be: closed, as RFC 3261 section 18.3 lets a server do. */
  if (c->in_len >= SERVE_CONN_IN_CAP) {
    serve_conn_close(s, c, true);
    return false;
  }
  size_t want = SERVE_CONN_IN_CAP - c->in_len;
  if (want > 4096) want = 4096;
  if (!reserve(&c->in, &c->in_cap, c->in_len, want, SERVE_CONN_IN_CAP)) {
    serve_conn_close(s, c, false); /* out of memory */
    return false;
  }
  ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
  if (n <= 0) {
    serve_conn_close(s, c, false);
    return false;
  }
  c->in_len += (size_t)n;
  return true;
}

void serve_conn_flush(serve_state *s, serve_conn *c) {
  size_t done = 0;
  while (done < c->out_len) {
    ssize_t n = send(c->fd, c->out + done, c->out_len - done, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
    if (n <= 0) {
      serve_conn_close(s, c, false);
      return;
    }
    done += (size_t)n;
  }
  memmove(c->out, c->out + done, c->out_len - done);
  c->out_len -= done;
}

bool serve_conn_send(serve_state *s, serve_conn *c, const uint8_t *data, size_t len) {
  /* A peer that does not read its answers gets no unbounded memory. */
  if (!reserve(&c->out, &c->out_cap, c->out_len, len, SERVE_CONN_OUT_CAP)) {
    serve_conn_close(s, c, true);
    return false;
  }
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
  serve_conn_flush(s, c);
  return c->fd >= 0;
}

#endif /* !_WIN32 */
