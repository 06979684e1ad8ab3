/*
 * interop_util.c - see interop_util.h.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#  define _GNU_SOURCE /* getrandom(), and the POSIX socket API under -std=c11 */
#endif
#if !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "interop_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#  include <sys/random.h>
#endif

int interop_parse_hostport(const char *text, interop_addr *out) {
  char host[INET6_ADDRSTRLEN + 1];
  const char *port;
  size_t hlen;
  struct addrinfo hints, *res = NULL;

  if (text[0] == '[') {
    const char *close = strchr(text, ']');
    if (!close || close[1] != ':') return -1;
    hlen = (size_t)(close - text - 1);
    if (hlen == 0 || hlen >= sizeof host) return -1;
    memcpy(host, text + 1, hlen);
    port = close + 2;
  } else {
    const char *colon = strrchr(text, ':');
    if (!colon) return -1;
    hlen = (size_t)(colon - text);
    if (hlen == 0 || hlen >= sizeof host) return -1;
    memcpy(host, text, hlen);
    port = colon + 1;
  }
  host[hlen] = '\0';
  if (*port == '\0') return -1;

  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  if (getaddrinfo(host, port, &hints, &res) != 0 || !res) return -1;
  if (res->ai_addrlen > sizeof out->ss) {
    freeaddrinfo(res);
    return -1;
  }
  memset(out, 0, sizeof *out);
  memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
  out->len = (socklen_t)res->ai_addrlen;
  freeaddrinfo(res);
  return interop_addr_port(out) == 0 ? -1 : 0;
}

void interop_addr_host(const interop_addr *a, char *host, size_t cap) {
  const void *src;
  if (a->ss.ss_family == AF_INET6)
    src = &((const struct sockaddr_in6 *)(const void *)&a->ss)->sin6_addr;
  else
    src = &((const struct sockaddr_in *)(const void *)&a->ss)->sin_addr;
  if (!inet_ntop(a->ss.ss_family, src, host, (socklen_t)cap) && cap > 0) host[0] = '\0';
}

uint16_t interop_addr_port(const interop_addr *a) {
  if (a->ss.ss_family == AF_INET6)
    return ntohs(((const struct sockaddr_in6 *)(const void *)&a->ss)->sin6_port);
  return ntohs(((const struct sockaddr_in *)(const void *)&a->ss)->sin_port);
}

double interop_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int interop_random(uint8_t *dest, size_t len, void *user_data) {
  (void)user_data;
  while (len > 0) {
#if defined(__linux__)
    ssize_t n = getrandom(dest, len, 0);
#else
    ssize_t n = -1;
    errno = ENOSYS;
#endif
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    dest += n;
    len -= (size_t)n;
  }
  return 0;
}

siphb_str interop_str(const char *s) {
  siphb_str r;
  r.ptr = s;
  r.len = s ? strlen(s) : 0;
  return r;
}

int interop_str_eq(siphb_str a, siphb_str b) {
  if (a.len != b.len) return 0;
  return a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0;
}

void interop_dump(FILE *f, const char *prefix, const uint8_t *data, size_t len) {
  size_t i;
  int at_line_start = 1;
  for (i = 0; i < len; i++) {
    uint8_t c = data[i];
    if (at_line_start) {
      fputs(prefix, f);
      at_line_start = 0;
    }
    if (c == '\r') {
      fputs("\\r", f);
    } else if (c == '\n') {
      fputs("\\n\n", f);
      at_line_start = 1;
    } else if (c < 0x20 || c >= 0x7f) {
      fprintf(f, "\\x%02x", (unsigned)c);
    } else {
      fputc((int)c, f);
    }
  }
  if (!at_line_start) fputc('\n', f);
}

int interop_append_file(const char *path, const uint8_t *data, size_t len) {
  FILE *f = fopen(path, "ab");
  int rc = 0;
  if (!f) return -1;
  if (fwrite(data, 1, len, f) != len) rc = -1;
  if (fclose(f) != 0) rc = -1;
  return rc;
}

int interop_set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL, 0);
  if (fl < 0) return -1;
  return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}
