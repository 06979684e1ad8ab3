/*
 * sip_options_client.c - sends one OPTIONS built by siphb_sip_encode_options
 * to a SIP server over UDP or TCP and waits for its final response, which it
 * parses with siphb_sip_parse and matches against the request.
 *
 * Part of the loopback interop tests (tests/interop/run.sh); hosted POSIX
 * code, not part of the library.
 *
 *   sip_options_client --target 127.0.0.1:5060 [--transport udp|tcp] ...
 *
 * Prints one line "status=200 reason=OK rtt_ms=0.412" on stdout. Exit
 * status: 0 for a 2xx, 1 for any other final status, a timeout or a
 * response that cannot be parsed or does not match, 2 for a usage error.
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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REQ_CAP 4096
#define RX_CAP 65536

/* RFC 3261 section 17.1.2.2: Timer E starts at T1 (500 ms) and doubles. */
#define T1_MS 500.0

typedef struct client_args {
  const char *target;
  int tcp;
  const char *ruri;
  const char *to;
  const char *from;
  const char *contact;
  const char *user_agent;
  const char *save;
  double timeout_ms;
  unsigned long cseq;
  int keep;
  int verbose;
} client_args;

static void usage(FILE *f) {
  fputs("usage: sip_options_client --target HOST:PORT [options]\n"
        "  --transport udp|tcp   (default udp)\n"
        "  --ruri URI            Request-URI (default sip:HOST:PORT)\n"
        "  --to URI              To URI (default the Request-URI)\n"
        "  --from URI            From URI (default sip:siphb@LOCAL:LPORT)\n"
        "  --contact URI         Contact URI (default sip:siphb@LOCAL:LPORT,\n"
        "                        with ;transport=tcp over TCP); \"\" for none\n"
        "  --user-agent TEXT     (default siphb-interop-client)\n"
        "  --cseq N              (default 1)\n"
        "  --keep                add ;keep to the Via (RFC 6223)\n"
        "  --timeout-ms N        give up after N ms (default 3000)\n"
        "  --save FILE           append the encoded request to FILE\n"
        "  -v, --verbose         dump the request and the response on stderr\n"
        "HOST is numeric: 127.0.0.1 or [::1].\n",
        f);
}

static int parse_args(int argc, char **argv, client_args *a) {
  int i;
  memset(a, 0, sizeof *a);
  a->user_agent = "siphb-interop-client";
  a->timeout_ms = 3000.0;
  a->cseq = 1;
  for (i = 1; i < argc; i++) {
    const char *o = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0) {
      a->verbose = 1;
      continue;
    }
    if (strcmp(o, "--keep") == 0) {
      a->keep = 1;
      continue;
    }
    if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
      usage(stdout);
      exit(0);
    }
    if (!v) {
      fprintf(stderr, "sip_options_client: %s needs a value (or is unknown)\n", o);
      return -1;
    }
    i++;
    if (strcmp(o, "--target") == 0) {
      a->target = v;
    } else if (strcmp(o, "--transport") == 0) {
      if (strcmp(v, "udp") == 0) a->tcp = 0;
      else if (strcmp(v, "tcp") == 0) a->tcp = 1;
      else {
        fprintf(stderr, "sip_options_client: transport must be udp or tcp\n");
        return -1;
      }
    } else if (strcmp(o, "--ruri") == 0) {
      a->ruri = v;
    } else if (strcmp(o, "--to") == 0) {
      a->to = v;
    } else if (strcmp(o, "--from") == 0) {
      a->from = v;
    } else if (strcmp(o, "--contact") == 0) {
      a->contact = v;
    } else if (strcmp(o, "--user-agent") == 0) {
      a->user_agent = v;
    } else if (strcmp(o, "--save") == 0) {
      a->save = v;
    } else if (strcmp(o, "--cseq") == 0) {
      char *end;
      errno = 0;
      a->cseq = strtoul(v, &end, 10);
      if (errno || *end || a->cseq == 0 || a->cseq >= 0x80000000UL) {
        fprintf(stderr, "sip_options_client: bad --cseq\n");
        return -1;
      }
    } else if (strcmp(o, "--timeout-ms") == 0) {
      char *end;
      long ms = strtol(v, &end, 10);
      if (*end || ms <= 0 || ms > 600000) {
        fprintf(stderr, "sip_options_client: bad --timeout-ms\n");
        return -1;
      }
      a->timeout_ms = (double)ms;
    } else {
      fprintf(stderr, "sip_options_client: unknown option %s\n", o);
      return -1;
    }
  }
  if (!a->target) {
    fprintf(stderr, "sip_options_client: --target is required\n");
    return -1;
  }
  return 0;
}

/* Connects a socket of the right type to the target within the deadline.
 * Returns the fd or -1. */
static int open_socket(const client_args *a, const interop_addr *dst, double deadline) {
  int fd = socket(dst->ss.ss_family, a->tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
  if (fd < 0) {
    perror("sip_options_client: socket");
    return -1;
  }
  if (interop_set_nonblock(fd) != 0) {
    perror("sip_options_client: fcntl");
    close(fd);
    return -1;
  }
  /* A connected UDP socket gets its local port now (for the Via) and only
   * sees datagrams from the target. */
  if (connect(fd, (const struct sockaddr *)&dst->ss, dst->len) != 0) {
    if (errno != EINPROGRESS) {
      perror("sip_options_client: connect");
      close(fd);
      return -1;
    }
    for (;;) {
      struct pollfd p;
      int left = (int)(deadline - interop_now_ms()), rc, soerr = 0;
      socklen_t sl = sizeof soerr;
      if (left <= 0) {
        fprintf(stderr, "sip_options_client: connect timed out\n");
        close(fd);
        return -1;
      }
      p.fd = fd;
      p.events = POLLOUT;
      rc = poll(&p, 1, left);
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0) continue;
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
        fprintf(stderr, "sip_options_client: connect: %s\n", strerror(soerr ? soerr : errno));
        close(fd);
        return -1;
      }
      break;
    }
  }
  return fd;
}

/* Sends the whole buffer (TCP may take it in pieces). 0 or -1. */
static int send_all(int fd, const uint8_t *p, size_t len, double deadline) {
  while (len > 0) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0) {
      struct pollfd pf;
      int left;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        perror("sip_options_client: send");
        return -1;
      }
      left = (int)(deadline - interop_now_ms());
      if (left <= 0) return -1;
      pf.fd = fd;
      pf.events = POLLOUT;
      (void)poll(&pf, 1, left);
      continue;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* What came of one received message. */
enum { MSG_IGNORED = 0, MSG_FINAL = 1, MSG_BAD = 2 };

/* Checks a parsed response against the request and reports it. */
static int handle_response(const siphb_sip_msg *rsp, const siphb_sip_ids *ids, uint32_t cseq,
                           double t_sent, int *final_status) {
  if (rsp->is_request) {
    fprintf(stderr, "sip_options_client: ignoring a request (%.*s)\n", (int)rsp->method.len,
            rsp->method.ptr);
    return MSG_IGNORED;
  }
  if (!interop_str_eq(rsp->via.branch, ids->branch) || rsp->cseq != cseq ||
      rsp->cseq_method_id != SIPHB_SIP_METHOD_OPTIONS ||
      !interop_str_eq(rsp->call_id, ids->call_id) ||
      !interop_str_eq(rsp->from.tag, ids->from_tag)) {
    fprintf(stderr,
            "sip_options_client: response does not match the request:"
            " branch %.*s (ours %.*s), CSeq %lu %.*s (ours %lu OPTIONS),"
            " Call-ID %.*s (ours %.*s), From tag %.*s (ours %.*s)\n",
            (int)rsp->via.branch.len, rsp->via.branch.ptr, (int)ids->branch.len,
            ids->branch.ptr, (unsigned long)rsp->cseq, (int)rsp->cseq_method.len,
            rsp->cseq_method.ptr, (unsigned long)cseq, (int)rsp->call_id.len, rsp->call_id.ptr,
            (int)ids->call_id.len, ids->call_id.ptr, (int)rsp->from.tag.len, rsp->from.tag.ptr,
            (int)ids->from_tag.len, ids->from_tag.ptr);
    return MSG_BAD;
  }
  if (rsp->status < 200) {
    fprintf(stderr, "sip_options_client: provisional %u, waiting on\n", (unsigned)rsp->status);
    return MSG_IGNORED;
  }
  *final_status = rsp->status;
  printf("status=%u reason=%.*s rtt_ms=%.3f\n", (unsigned)rsp->status, (int)rsp->reason.len,
         rsp->reason.ptr, interop_now_ms() - t_sent);
  return MSG_FINAL;
}

static void report_parse_error(siphb_ssize rc, const siphb_error_info *err, const uint8_t *data,
                               size_t len) {
  fprintf(stderr, "sip_options_client: siphb_sip_parse refused the response: %s (%s) at offset %lu: %s\n",
          siphb_errname((int)rc), siphb_strerror((int)rc), (unsigned long)err->offset,
          err->message ? err->message : "");
  interop_dump(stderr, "  << ", data, len);
}

int main(int argc, char **argv) {
  client_args a;
  interop_addr dst, local;
  char dst_host[64], local_host[64];
  char ruri[256], from[256], contact[300];
  uint8_t req[REQ_CAP];
  static uint8_t rx[RX_CAP];
  size_t rx_len = 0;
  siphb_sip_options opt;
  siphb_sip_ids ids;
  siphb_sip_parse_config pcfg;
  siphb_ssize req_len;
  siphb_error_info enc_err;
  double t_start, t_sent, deadline, next_retx, interval = T1_MS;
  int fd, final_status = 0, sends = 0, v6;
  const char *no_answer = "timeout"; /* why there was no final response */

  if (parse_args(argc, argv, &a) != 0) {
    usage(stderr);
    return 2;
  }
  if (interop_parse_hostport(a.target, &dst) != 0) {
    fprintf(stderr, "sip_options_client: bad --target %s (want 127.0.0.1:PORT or [::1]:PORT)\n",
            a.target);
    return 2;
  }
  v6 = dst.ss.ss_family == AF_INET6;
  interop_addr_host(&dst, dst_host, sizeof dst_host);

  t_start = interop_now_ms();
  deadline = t_start + a.timeout_ms;
  fd = open_socket(&a, &dst, deadline);
  if (fd < 0) {
    printf("status=none reason=connect-failed rtt_ms=%.3f\n", interop_now_ms() - t_start);
    return 1;
  }
  memset(&local, 0, sizeof local);
  local.len = sizeof local.ss;
  if (getsockname(fd, (struct sockaddr *)&local.ss, &local.len) != 0) {
    perror("sip_options_client: getsockname");
    close(fd);
    return 1;
  }
  interop_addr_host(&local, local_host, sizeof local_host);

  /* Defaults that name our own socket, as a phone would. */
  snprintf(ruri, sizeof ruri, v6 ? "sip:[%s]:%u" : "sip:%s:%u", dst_host,
           (unsigned)interop_addr_port(&dst));
  snprintf(from, sizeof from, v6 ? "sip:siphb@[%s]:%u" : "sip:siphb@%s:%u", local_host,
           (unsigned)interop_addr_port(&local));
  snprintf(contact, sizeof contact, "%s%s", from, a.tcp ? ";transport=tcp" : "");

  siphb_sip_options_init(&opt, sizeof opt);
  opt.request_uri = interop_str(a.ruri ? a.ruri : ruri);
  if (a.to) opt.to_uri = interop_str(a.to);
  opt.from_uri = interop_str(a.from ? a.from : from);
  opt.contact_uri = interop_str(a.contact ? a.contact : contact);
  opt.transport = a.tcp ? SIPHB_TRANSPORT_TCP : SIPHB_TRANSPORT_UDP;
  opt.via_host = interop_str(local_host);
  opt.via_port = interop_addr_port(&local);
  opt.rport = true;
  opt.keep = a.keep != 0;
  opt.cseq = (uint32_t)a.cseq;
  opt.user_agent = interop_str(a.user_agent);
  opt.random = interop_random;
  opt.random_user_data = NULL;

  memset(&ids, 0, sizeof ids);
  req_len = siphb_sip_encode_options(req, sizeof req, &opt, &ids, &enc_err);
  if (req_len < 0) {
    fprintf(stderr, "sip_options_client: siphb_sip_encode_options: %s (%s), need %lu\n",
            siphb_errname((int)req_len), siphb_strerror((int)req_len), (unsigned long)enc_err.need);
    close(fd);
    return 1;
  }
  if (a.save && interop_append_file(a.save, req, (size_t)req_len) != 0)
    fprintf(stderr, "sip_options_client: cannot write %s\n", a.save);
  if (a.verbose) interop_dump(stderr, "  >> ", req, (size_t)req_len);

  siphb_sip_parse_config_init(&pcfg, sizeof pcfg);
  pcfg.mode = a.tcp ? SIPHB_SIP_STREAM : SIPHB_SIP_DATAGRAM;

  t_sent = interop_now_ms();
  if (send_all(fd, req, (size_t)req_len, deadline) != 0) {
    printf("status=none reason=send-failed rtt_ms=%.3f\n", interop_now_ms() - t_sent);
    close(fd);
    return 1;
  }
  sends = 1;
  next_retx = t_sent + interval;

  for (;;) {
    struct pollfd p;
    double now = interop_now_ms(), wake = deadline;
    int rc;
    ssize_t n;

    if (now >= deadline) break;
    if (!a.tcp && now >= next_retx) {
      /* A lost datagram is sent again: Timer E doubles each time. */
      if (send(fd, req, (size_t)req_len, MSG_NOSIGNAL) < 0 && errno != ECONNREFUSED)
        perror("sip_options_client: send (retransmit)");
      sends++;
      interval *= 2.0;
      next_retx = now + interval;
    }
    if (!a.tcp && next_retx < wake) wake = next_retx;
    p.fd = fd;
    p.events = POLLIN;
    rc = poll(&p, 1, (int)(wake - now) + 1);
    if (rc < 0) {
      if (errno == EINTR) continue;
      perror("sip_options_client: poll");
      no_answer = "poll-failed";
      break;
    }
    if (rc == 0) continue;

    if (!a.tcp) {
      siphb_sip_msg msg;
      siphb_error_info err;
      siphb_ssize pr;
      int what;
      n = recv(fd, rx, sizeof rx, 0);
      if (n < 0) {
        /* ICMP port unreachable from an earlier send: nobody listens yet. */
        if (errno == EINTR || errno == EAGAIN || errno == ECONNREFUSED) continue;
        perror("sip_options_client: recv");
        no_answer = "recv-failed";
        break;
      }
      if (a.verbose) interop_dump(stderr, "  << ", rx, (size_t)n);
      memset(&err, 0, sizeof err);
      pr = siphb_sip_parse(&msg, rx, (size_t)n, &pcfg, &err);
      if (pr < 0) {
        report_parse_error(pr, &err, rx, (size_t)n);
        final_status = -1;
        break;
      }
      what = handle_response(&msg, &ids, opt.cseq, t_sent, &final_status);
      if (what == MSG_BAD) final_status = -1;
      if (what != MSG_IGNORED) break;
      continue;
    }

    /* TCP: keep what has arrived and take whole messages off its front. */
    if (rx_len == sizeof rx) {
      fprintf(stderr, "sip_options_client: receive buffer full without a whole message\n");
      final_status = -1;
      break;
    }
    n = recv(fd, rx + rx_len, sizeof rx - rx_len, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      perror("sip_options_client: recv");
      no_answer = "recv-failed";
      break;
    }
    if (n == 0) {
      fprintf(stderr, "sip_options_client: connection closed by the server (%lu bytes pending)\n",
              (unsigned long)rx_len);
      no_answer = "connection-closed";
      break;
    }
    if (a.verbose) interop_dump(stderr, "  << ", rx + rx_len, (size_t)n);
    rx_len += (size_t)n;
    for (;;) {
      siphb_sip_msg msg;
      siphb_error_info err;
      siphb_ssize pr;
      int what;
      memset(&err, 0, sizeof err);
      pr = siphb_sip_parse(&msg, rx, rx_len, &pcfg, &err);
      if (pr == SIPHB_ERR_INCOMPLETE) break; /* wait for more bytes */
      if (pr < 0) {
        report_parse_error(pr, &err, rx, rx_len);
        final_status = -1;
        goto done;
      }
      what = handle_response(&msg, &ids, opt.cseq, t_sent, &final_status);
      if (what == MSG_BAD) final_status = -1;
      if (what != MSG_IGNORED) goto done;
      memmove(rx, rx + pr, rx_len - (size_t)pr);
      rx_len -= (size_t)pr;
    }
  }
done:
  close(fd);
  if (final_status == 0) {
    printf("status=none reason=%s rtt_ms=%.3f\n", no_answer, interop_now_ms() - t_sent);
    fprintf(stderr, "sip_options_client: no final response (%s) after %.0f ms (%d sends)\n",
            no_answer, interop_now_ms() - t_sent, sends);
    return 1;
  }
  if (final_status < 0) {
    printf("status=none reason=bad-response rtt_ms=%.3f\n", interop_now_ms() - t_sent);
    return 1;
  }
  return final_status >= 200 && final_status < 300 ? 0 : 1;
}
