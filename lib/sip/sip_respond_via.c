/*
 * sip_respond_via.c - received= and rport= on the top Via of a response
 * (RFC 3261 section 18.2.1, RFC 3581 section 4), for a responder that was
 * told the request's source address.
 *
 * Section 18.2.1: the server transport MUST add received=<source IP> when
 * the sent-by host is a domain name or an IP address other than the packet's
 * source. RFC 3581 section 4: when the request's top Via has an rport without
 * a value, the server MUST fill it with the source port and MUST add
 * received= even when the address equals sent-by. An rport that already has
 * a value is not such a request (section 4 only speaks of the empty one):
 * it is copied unchanged.
 *
 * The comparison is textual (no address parsing beyond a syntax check),
 * brackets dropped and case ignored: "::1" and "0::1" count as different,
 * which only adds a received= that was not strictly needed, never drops one
 * that was. The address written is the caller's, without brackets: the
 * received ABNF (section 25.1, RFC 5118 section 4.5) takes IPv6address, not
 * IPv6reference.
 *
 * Edits are made while copying: the value of a received= already present is
 * replaced (a client has no business setting it, the server's view wins;
 * of several, the last, which is the one a parser keeps),
 * "=<port>" goes right after the empty rport, and a new received= is
 * appended after the last parameter, as in section 18.2.1's example.
 */
#include "sip/sip_respond_via.h"

#include <string.h>

#include "sip/sip_lex.h"

/* A decimal octet 0..255 without leading zeros beyond "0" itself (which
 * inet_pton refuses too, and which some stacks read as octal). */
static const char *ipv4_octet(const char *p, const char *end) {
  const char *s = p;
  unsigned v = 0;
  while (p < end && *p >= '0' && *p <= '9' && p - s < 3) v = v * 10 + (unsigned)(*p++ - '0');
  if (p == s || v > 255 || (p - s > 1 && *s == '0')) return NULL;
  return p;
}

static bool is_ipv4(const char *p, const char *end) {
  for (int i = 0; i < 4; i++) {
    if (i > 0) {
      if (p >= end || *p != '.') return false;
      p++;
    }
    p = ipv4_octet(p, end);
    if (!p) return false;
  }
  return p == end;
}

static bool is_hex(char c) {
  uint8_t l = siphb_lower((uint8_t)c);
  return (c >= '0' && c <= '9') || (l >= 'a' && l <= 'f');
}

/* RFC 4291 section 2.2 text forms: eight groups of 1-4 hex digits, one
 * "::" standing for one or more zero groups, the last two groups possibly
 * written as an IPv4 address. No zone index (it has no meaning to a peer). */
static bool is_ipv6(const char *p, const char *end) {
  unsigned groups = 0;
  bool gap = false;
  if (end - p >= 2 && p[0] == ':' && p[1] == ':') {
    gap = true;
    p += 2;
  } else if (p < end && *p == ':') {
    return false;
  }
  while (p < end) {
    const char *s = p;
    while (p < end && is_hex(*p) && p - s < 4) p++;
    if (p < end && (*p == '.' || (*p >= '0' && *p <= '9'))) {
      /* the trailing IPv4 part: two groups */
      if (groups > 6 || !is_ipv4(s, end)) return false;
      groups += 2;
      p = end;
      break;
    }
    if (p == s) return false;
    groups++;
    if (p == end) break;
    if (*p != ':') return false;
    p++;
    if (p < end && *p == ':') {
      if (gap) return false;
      gap = true;
      p++;
    } else if (p == end) {
      return false; /* a single trailing ':' */
    }
  }
  return gap ? groups <= 7 : groups == 8;
}

static bool ieq(siphb_str a, siphb_str b) {
  if (a.len != b.len) return false;
  for (size_t i = 0; i < a.len; i++)
    if (siphb_lower((uint8_t)a.ptr[i]) != siphb_lower((uint8_t)b.ptr[i])) return false;
  return true;
}

const char *siphb_via_reply_plan(const siphb_sip_via *top, siphb_str ip, uint16_t port,
                                 siphb_via_reply *plan) {
  memset(plan, 0, sizeof *plan);
  if (ip.len == 0) return port ? "source_port: set without source_ip" : NULL;
  if (!ip.ptr) return "source_ip: NULL with a length";
  if (ip.len >= 2 && ip.ptr[0] == '[' && ip.ptr[ip.len - 1] == ']') {
    ip.ptr++;
    ip.len -= 2;
  }
  const char *end = ip.ptr + ip.len;
  if (ip.len > 45 || !(is_ipv4(ip.ptr, end) || is_ipv6(ip.ptr, end)))
    return "source_ip: not an IPv4 or IPv6 address";
  if (port == 0) return "source_port: 0 (1 .. 65535 with source_ip)";
  plan->ip = ip;
  plan->port = port;
  plan->rport = top->has_rport && !top->rport_has_value &&
                siphb_sip_find_param(top->params, "rport", &plan->rport_prm);
  plan->received = plan->rport || !ieq(top->host, ip);
  plan->old_received = top->received;
  return NULL;
}

void siphb_via_reply_put(siphb_outbuf *ob, siphb_str value, const siphb_via_reply *plan) {
  if (!plan->received && !plan->rport) {
    siphb_ob_put_unfolded(ob, value);
    return;
  }
  /* At most two edits inside the value, in the order they occur. */
  typedef struct edit {
    const char *at;   /* where the replaced bytes start */
    size_t skip;      /* how many are replaced */
    bool is_port;     /* "=<port>" rather than the address */
  } edit;
  edit ed[2];
  size_t n = 0;
  if (plan->received && plan->old_received.len) {
    ed[n].at = plan->old_received.ptr;
    ed[n].skip = plan->old_received.len;
    ed[n++].is_port = false;
  }
  if (plan->rport) {
    ed[n].at = plan->rport_prm.name.ptr + plan->rport_prm.name.len;
    ed[n].skip = 0;
    ed[n++].is_port = true;
  }
  if (n == 2 && ed[1].at < ed[0].at) {
    edit t = ed[0];
    ed[0] = ed[1];
    ed[1] = t;
  }
  const char *run = value.ptr, *end = value.ptr + value.len;
  for (size_t i = 0; i < n; i++) {
    siphb_ob_put_unfolded(ob, siphb_mkstr(run, ed[i].at));
    if (ed[i].is_port) {
      siphb_ob_put(ob, SIPHB_LIT("="));
      siphb_ob_put_dec(ob, plan->port);
    } else {
      siphb_ob_put_str(ob, plan->ip);
    }
    run = ed[i].at + ed[i].skip;
  }
  siphb_ob_put_unfolded(ob, siphb_mkstr(run, end));
  if (plan->received && !plan->old_received.len) {
    siphb_ob_put(ob, SIPHB_LIT(";received="));
    siphb_ob_put_str(ob, plan->ip);
  }
}
