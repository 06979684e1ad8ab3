/*
 * sip_options_responder.c - a SIP responder built on siphb's codec: it
 * parses each request with siphb_sip_parse and answers it with
 * siphb_sip_encode_response (200 to OPTIONS, 501 to anything else but ACK),
 * passing each request's source address so that the top Via gets received=
 * and rport= (RFC 3261 section 18.2.1, RFC 3581).
 *
 * Part of the loopback interop tests (tests/interop/run.sh), where sipp acts
 * as the UAC; hosted POSIX code, not part of the library.
 *
 *   sip_options_responder --listen 127.0.0.1:5060 [--transport udp|tcp|both]
 *                         [--count N] [--timeout S] ...
 *
 * Prints "listening ..." once its sockets are bound, one line per request,
 * and a summary. Exit status: 0 when --count requests were answered (or,
 * without --count, at the timeout) and no request failed to parse; 1
 * otherwise; 2 for a usage error.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#  define _GNU_SOURCE
#endif
#if !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "interop_util.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RX_CAP 65536
#define TX_CAP 8192
#define MAX_CONNS 16

typedef struct responder_args {
  const char *listen;
  int udp, tcp;
  unsigned long count; /* 0: no limit */
  double timeout_s;
  const char *allow, *accept, *supported, *server, *save;
  int verbose;
} responder_args;

/* One accepted TCP connection and the bytes it has sent so far. */
typedef struct conn {
  int fd;
  interop_addr peer; /* from accept(): the source of its requests */
  size_t len;
  uint8_t buf[RX_CAP];
} conn;

typedef struct responder {
  responder_args a;
  char contact_udp[128], contact_tcp[160];
  unsigned long requests, answered, parse_errors, send_errors;
  conn conns[MAX_CONNS];
} responder;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig) {
  (void)sig;
  g_stop = 1;
}

static void usage(FILE *f) {
  fputs("usage: sip_options_responder --listen HOST:PORT [options]\n"
        "  --transport udp|tcp|both  (default both, on the same port)\n"
        "  --count N                 exit after N requests\n"
        "  --timeout S               exit after S seconds (default 20)\n"
        "  --allow V --accept V --supported V --server V   header values\n"
        "                            (defaults OPTIONS, application/sdp,\n"
        "                            outbound, siphb-interop-responder)\n"
        "  --save PREFIX             write each encoded response to PREFIXnnn.sip\n"
        "  -v, --verbose             dump requests and responses on stderr\n",
        f);
}

static int parse_args(int argc, char **argv, responder_args *a) {
  int i;
  memset(a, 0, sizeof *a);
  a->udp = a->tcp = 1;
  a->timeout_s = 20.0;
  a->allow = "OPTIONS";
  a->accept = "application/sdp";
  a->supported = "outbound";
  a->server = "siphb-interop-responder";
  for (i = 1; i < argc; i++) {
    const char *o = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0) {
      a->verbose = 1;
      continue;
    }
    if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
      usage(stdout);
      exit(0);
    }
    if (!v) {
      fprintf(stderr, "sip_options_responder: %s needs a value (or is unknown)\n", o);
      return -1;
    }
    i++;
    if (strcmp(o, "--listen") == 0) {
      a->listen = v;
    } else if (strcmp(o, "--transport") == 0) {
      a->udp = strcmp(v, "udp") == 0 || strcmp(v, "both") == 0;
      a->tcp = strcmp(v, "tcp") == 0 || strcmp(v, "both") == 0;
      if (!a->udp && !a->tcp) {
        fprintf(stderr, "sip_options_responder: transport must be udp, tcp or both\n");
        return -1;
      }
    } else if (strcmp(o, "--count") == 0) {
      char *end;
      a->count = strtoul(v, &end, 10);
      if (*end || a->count == 0) {
        fprintf(stderr, "sip_options_responder: bad --count\n");
        return -1;
      }
    } else if (strcmp(o, "--timeout") == 0) {
      char *end;
      a->timeout_s = strtod(v, &end);
      if (*end || !(a->timeout_s > 0.0) || a->timeout_s > 3600.0) {
        fprintf(stderr, "sip_options_responder: bad --timeout\n");
        return -1;
      }
    } else if (strcmp(o, "--allow") == 0) {
      a->allow = v;
    } else if (strcmp(o, "--accept") == 0) {
      a->accept = v;
    } else if (strcmp(o, "--supported") == 0) {
      a->supported = v;
    } else if (strcmp(o, "--server") == 0) {
      a->server = v;
    } else if (strcmp(o, "--save") == 0) {
      a->save = v;
    } else {
      fprintf(stderr, "sip_options_responder: unknown option %s\n", o);
      return -1;
    }
  }
  if (!a->listen) {
    fprintf(stderr, "sip_options_responder: --listen is required\n");
    return -1;
  }
  return 0;
}

static int open_listener(const interop_addr *addr, int type) {
  int one = 1;
  int fd = socket(addr->ss.ss_family, type, 0);
  if (fd < 0) return -1;
  if (type == SOCK_STREAM) (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (addr->ss.ss_family == AF_INET6)
    (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind(fd, (const struct sockaddr *)&addr->ss, addr->len) != 0 ||
      (type == SOCK_STREAM && listen(fd, 16) != 0) || interop_set_nonblock(fd) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

/* Builds the answer to one parsed request from `src` into out, with
 * received= and rport= on its top Via as the source address calls for.
 * Returns its length, 0 when the request gets no answer (ACK), or -1. */
static siphb_ssize build_answer(responder *r, const siphb_sip_msg *req, int tcp,
                                const interop_addr *src, uint8_t *out, size_t cap) {
  siphb_sip_response rsp;
  siphb_error_info err;
  siphb_ssize n;
  char src_host[64];

  if (req->method_id == SIPHB_SIP_METHOD_ACK) return 0; /* never answered */
  siphb_sip_response_init(&rsp, sizeof rsp);
  rsp.status = req->method_id == SIPHB_SIP_METHOD_OPTIONS ? 200 : 501;
  rsp.allow = interop_str(r->a.allow);
  rsp.accept = interop_str(r->a.accept);
  rsp.supported = interop_str(r->a.supported);
  rsp.server = interop_str(r->a.server);
  rsp.contact_uri = interop_str(tcp ? r->contact_tcp : r->contact_udp);
  rsp.random = interop_random;
  rsp.random_user_data = NULL;
  interop_addr_host(src, src_host, sizeof src_host);
  rsp.source_ip = interop_str(src_host);
  rsp.source_port = interop_addr_port(src);
  n = siphb_sip_encode_response(out, cap, req, &rsp, &err);
  if (n < 0) {
    fprintf(stderr, "sip_options_responder: siphb_sip_encode_response: %s (%s), need %lu\n",
            siphb_errname((int)n), siphb_strerror((int)n), (unsigned long)err.need);
    return -1;
  }
  return n;
}

/* One file per response, so that the run script can turn each into one
 * packet of a pcap for tshark. */
static void save_answer(const responder *r, const uint8_t *tx, size_t len) {
  char path[4096];
  if (!r->a.save) return;
  snprintf(path, sizeof path, "%s%03lu.sip", r->a.save, r->answered + r->send_errors);
  if (interop_append_file(path, tx, len) != 0)
    fprintf(stderr, "sip_options_responder: cannot write %s\n", path);
}

static void log_request(const responder *r, const siphb_sip_msg *req, const char *transport,
                        siphb_ssize answer_len, const uint8_t *answer) {
  unsigned status = 0;
  if (answer_len > 12) status = (unsigned)((answer[8] - '0') * 100 + (answer[9] - '0') * 10 +
                                           (answer[10] - '0'));
  printf("request %lu transport=%s method=%.*s cseq=%lu call_id=%.*s -> %u\n", r->requests,
         transport, (int)req->method.len, req->method.ptr, (unsigned long)req->cseq,
         (int)req->call_id.len, req->call_id.ptr, status);
  fflush(stdout);
}

static void report_parse_error(siphb_ssize rc, const siphb_error_info *err, const uint8_t *data,
                               size_t len) {
  fprintf(stderr,
          "sip_options_responder: siphb_sip_parse refused a request: %s (%s) at offset %lu: %s\n",
          siphb_errname((int)rc), siphb_strerror((int)rc), (unsigned long)err->offset,
          err->message ? err->message : "");
  interop_dump(stderr, "  << ", data, len);
}

/* true if the bytes are nothing but CR and LF (a keepalive, not a message). */
static int only_crlf(const uint8_t *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (p[i] != '\r' && p[i] != '\n') return 0;
  return 1;
}

static void handle_udp(responder *r, int fd) {
  static uint8_t rx[RX_CAP];
  uint8_t tx[TX_CAP];
  interop_addr from;
  siphb_sip_msg req;
  siphb_error_info err;
  siphb_sip_parse_config cfg;
  siphb_ssize pr, an;
  ssize_t n;
  from.len = sizeof from.ss;
  n = recvfrom(fd, rx, sizeof rx, 0, (struct sockaddr *)&from.ss, &from.len);

  if (n <= 0 || only_crlf(rx, (size_t)n)) return;
  if (r->a.verbose) interop_dump(stderr, "  << ", rx, (size_t)n);
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.mode = SIPHB_SIP_DATAGRAM;
  memset(&err, 0, sizeof err);
  pr = siphb_sip_parse(&req, rx, (size_t)n, &cfg, &err);
  if (pr < 0) {
    report_parse_error(pr, &err, rx, (size_t)n);
    r->parse_errors++;
    return;
  }
  if (!req.is_request) return; /* a stray response: nothing to answer */
  r->requests++;
  an = build_answer(r, &req, 0, &from, tx, sizeof tx);
  if (an > 0) {
    if (r->a.verbose) interop_dump(stderr, "  >> ", tx, (size_t)an);
    save_answer(r, tx, (size_t)an);
    /* Back to the source address and port: RFC 3581 behaviour, which on
     * loopback is also where the Via points. */
    if (sendto(fd, tx, (size_t)an, 0, (struct sockaddr *)&from.ss, from.len) != an) {
      perror("sip_options_responder: sendto");
      r->send_errors++;
    } else {
      r->answered++;
    }
  } else if (an < 0) {
    r->send_errors++;
  }
  log_request(r, &req, "udp", an, tx);
}

static void conn_close(conn *c) {
  close(c->fd);
  c->fd = -1;
  c->len = 0;
}

static int send_all(int fd, const uint8_t *p, size_t len) {
  int tries = 0;
  while (len > 0) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0) {
      struct pollfd pf;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) || ++tries > 100) return -1;
      pf.fd = fd;
      pf.events = POLLOUT;
      (void)poll(&pf, 1, 10);
      continue;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reads what a connection has for us and answers every whole request in
 * its buffer. */
static void handle_conn(responder *r, conn *c) {
  uint8_t tx[TX_CAP];
  siphb_sip_parse_config cfg;
  ssize_t n;

  if (c->len == sizeof c->buf) {
    fprintf(stderr, "sip_options_responder: connection buffer full, closing\n");
    conn_close(c);
    return;
  }
  n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return;
    conn_close(c);
    return;
  }
  if (n == 0) {
    conn_close(c);
    return;
  }
  if (r->a.verbose) interop_dump(stderr, "  << ", c->buf + c->len, (size_t)n);
  c->len += (size_t)n;

  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.mode = SIPHB_SIP_STREAM;
  while (c->len > 0 && c->fd >= 0) {
    siphb_sip_msg req;
    siphb_error_info err;
    siphb_ssize pr, an;
    memset(&err, 0, sizeof err);
    pr = siphb_sip_parse(&req, c->buf, c->len, &cfg, &err);
    if (pr == SIPHB_ERR_INCOMPLETE) return; /* the rest is on its way */
    if (pr < 0) {
      /* A stream cannot be resynchronised after garbage. */
      report_parse_error(pr, &err, c->buf, c->len);
      r->parse_errors++;
      conn_close(c);
      return;
    }
    if (req.is_request) {
      r->requests++;
      an = build_answer(r, &req, 1, &c->peer, tx, sizeof tx);
      if (an > 0) {
        if (r->a.verbose) interop_dump(stderr, "  >> ", tx, (size_t)an);
        save_answer(r, tx, (size_t)an);
        if (send_all(c->fd, tx, (size_t)an) != 0) {
          perror("sip_options_responder: send");
          r->send_errors++;
        } else {
          r->answered++;
        }
      } else if (an < 0) {
        r->send_errors++;
      }
      log_request(r, &req, "tcp", an, tx);
    }
    /* req's slices point into c->buf: done with them before moving bytes. */
    memmove(c->buf, c->buf + pr, c->len - (size_t)pr);
    c->len -= (size_t)pr;
  }
}

static void drain_conns(responder *r, double max_ms) {
  double end = interop_now_ms() + max_ms;
  int i;
  for (;;) {
    struct pollfd p[MAX_CONNS];
    conn *owner[MAX_CONNS];
    nfds_t np = 0;
    double left = end - interop_now_ms();
    for (i = 0; i < MAX_CONNS; i++) {
      if (r->conns[i].fd < 0) continue;
      p[np].fd = r->conns[i].fd;
      p[np].events = POLLIN;
      owner[np++] = &r->conns[i];
    }
    if (np == 0 || left <= 0 || g_stop) break;
    if (poll(p, np, (int)left + 1) <= 0) continue;
    for (i = 0; i < (int)np; i++) {
      uint8_t junk[512];
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (recv(p[i].fd, junk, sizeof junk, 0) <= 0) conn_close(owner[i]);
    }
  }
  for (i = 0; i < MAX_CONNS; i++)
    if (r->conns[i].fd >= 0) conn_close(&r->conns[i]);
}

int main(int argc, char **argv) {
  static responder r;
  interop_addr addr;
  char host[64];
  int ufd = -1, tfd = -1, i, rc;
  double deadline;
  int v6;

  if (parse_args(argc, argv, &r.a) != 0) {
    usage(stderr);
    return 2;
  }
  if (interop_parse_hostport(r.a.listen, &addr) != 0) {
    fprintf(stderr, "sip_options_responder: bad --listen %s\n", r.a.listen);
    return 2;
  }
  v6 = addr.ss.ss_family == AF_INET6;
  interop_addr_host(&addr, host, sizeof host);
  snprintf(r.contact_udp, sizeof r.contact_udp, v6 ? "sip:[%s]:%u" : "sip:%s:%u", host,
           (unsigned)interop_addr_port(&addr));
  snprintf(r.contact_tcp, sizeof r.contact_tcp, "%s;transport=tcp", r.contact_udp);
  for (i = 0; i < MAX_CONNS; i++) r.conns[i].fd = -1;

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);

  if (r.a.udp && (ufd = open_listener(&addr, SOCK_DGRAM)) < 0) {
    perror("sip_options_responder: udp bind");
    return 1;
  }
  if (r.a.tcp && (tfd = open_listener(&addr, SOCK_STREAM)) < 0) {
    perror("sip_options_responder: tcp bind");
    if (ufd >= 0) close(ufd);
    return 1;
  }
  printf("listening %s%s%s %s\n", r.a.udp ? "udp" : "", r.a.udp && r.a.tcp ? "+" : "",
         r.a.tcp ? "tcp" : "", r.a.listen);
  fflush(stdout);

  deadline = interop_now_ms() + r.a.timeout_s * 1000.0;
  while (!g_stop && (r.a.count == 0 || r.requests < r.a.count)) {
    struct pollfd p[2 + MAX_CONNS];
    conn *owner[2 + MAX_CONNS];
    nfds_t np = 0;
    double left = deadline - interop_now_ms();
    if (left <= 0) break;
    if (ufd >= 0) {
      p[np].fd = ufd;
      p[np].events = POLLIN;
      owner[np++] = NULL;
    }
    if (tfd >= 0) {
      p[np].fd = tfd;
      p[np].events = POLLIN;
      owner[np++] = NULL;
    }
    for (i = 0; i < MAX_CONNS; i++) {
      if (r.conns[i].fd < 0) continue;
      p[np].fd = r.conns[i].fd;
      p[np].events = POLLIN;
      owner[np++] = &r.conns[i];
    }
    rc = poll(p, np, (int)left + 1);
    if (rc < 0) {
      if (errno == EINTR) continue;
      perror("sip_options_responder: poll");
      break;
    }
    for (i = 0; i < (int)np; i++) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (owner[i]) {
        if (owner[i]->fd == p[i].fd) handle_conn(&r, owner[i]);
      } else if (p[i].fd == ufd) {
        handle_udp(&r, ufd);
      } else {
        interop_addr peer;
        int cfd, j;
        peer.len = sizeof peer.ss;
        cfd = accept(tfd, (struct sockaddr *)&peer.ss, &peer.len);
        if (cfd < 0) continue;
        for (j = 0; j < MAX_CONNS && r.conns[j].fd >= 0; j++) {
        }
        if (j == MAX_CONNS || interop_set_nonblock(cfd) != 0) {
          fprintf(stderr, "sip_options_responder: too many connections\n");
          close(cfd);
          continue;
        }
        r.conns[j].fd = cfd;
        r.conns[j].peer = peer;
        r.conns[j].len = 0;
      }
    }
  }

  /* Leave closing to the peers for up to a second, so that a UAC does not
   * see the connection drop while it is still finishing its last call. */
  drain_conns(&r, 1000.0);
  if (ufd >= 0) close(ufd);
  if (tfd >= 0) close(tfd);

  printf("requests=%lu answered=%lu parse_errors=%lu send_errors=%lu%s\n", r.requests, r.answered,
         r.parse_errors, r.send_errors,
         r.a.count && r.requests < r.a.count ? " (stopped before --count)" : "");
  if (r.parse_errors || r.send_errors) return 1;
  if (r.a.count && r.requests < r.a.count) return 1;
  return 0;
}
