/*
 * addr.c - socket addresses as the siphb tool prints them (see addr.h).
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200112L /* inet_ntop under -std=c11 */
#endif

#include "addr.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#  include <winsock2.h>
#  include <ws2tcpip.h>
#else
#  include <arpa/inet.h>
#  include <netinet/in.h>
#  include <sys/socket.h>
#endif

const char *addr_family_name(uint8_t family) {
  return family == 1 ? "IPv4" : family == 2 ? "IPv6" : "unknown";
}

void addr_host(const siphb_mapped_addr *a, char *buf, size_t cap) {
  int af = a->family == 1 ? AF_INET : a->family == 2 ? AF_INET6 : -1;
  if (cap == 0) return;
  if (af < 0 || !inet_ntop(af, a->addr, buf, (socklen_t)cap)) snprintf(buf, cap, "?");
}

void addr_text(const siphb_mapped_addr *a, char *buf, size_t cap) {
  char host[ADDR_TEXT_MAX];
  addr_host(a, host, sizeof host);
  snprintf(buf, cap, a->family == 2 ? "[%s]:%u" : "%s:%u", host, (unsigned)a->port);
}

void json_addr(json_writer *w, const siphb_mapped_addr *a) {
  char host[ADDR_TEXT_MAX];
  addr_host(a, host, sizeof host);
  json_begin_object(w);
  json_key(w, "family");
  json_cstring(w, addr_family_name(a->family));
  json_key(w, "address");
  json_cstring(w, host);
  json_key(w, "port");
  json_uint(w, a->port);
  json_end_object(w);
}

bool addr_from_sockaddr(const void *sa, siphb_mapped_addr *out) {
  /* Copied first: the caller's pointer need not be aligned for either. */
  struct sockaddr_in6 in6; /* the larger; sin_family sits where sin6_family does */
  struct sockaddr_in in4;
  const void *ip;
  uint16_t port;
  memset(out, 0, sizeof *out);
  memcpy(&in4, sa, sizeof in4);
  if (in4.sin_family == AF_INET) {
    out->family = 1;
    port = in4.sin_port;
    ip = &in4.sin_addr;
  } else if (in4.sin_family == AF_INET6) {
    memcpy(&in6, sa, sizeof in6);
    out->family = 2;
    port = in6.sin6_port;
    ip = &in6.sin6_addr;
  } else {
    return false;
  }
  out->port = ntohs(port);
  memcpy(out->addr, ip, out->family == 1 ? 4 : 16);
  return true;
}
