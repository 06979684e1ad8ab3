/*
 * reg_response.c - a REGISTER's final response read into a siphb_reg_result
 * (siphb/reg.h): which Contact is ours, its expiry, Min-Expires,
 * Retry-After, Flow-Timer and "Require: outbound".
 */
#include "keepalive/reg_int.h"

#include <string.h>

static bool ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
    if (x != y) return false;
  }
  return true;
}

/* The value of the +sip.instance parameter in `params`, without its
 * quotes (RFC 5626 section 4.1: `+sip.instance="<urn:uuid:...>"`), or an
 * empty slice. */
static siphb_str instance_of(siphb_str params) {
  static const char name[] = "+sip.instance=";
  const size_t n = sizeof name - 1;
  for (size_t i = 0; i + n <= params.len; i++) {
    if (params.ptr[i] != ';') continue;
    size_t at = i + 1;
    while (at < params.len && (params.ptr[at] == ' ' || params.ptr[at] == '\t')) at++;
    if (at + n > params.len || !ieq(params.ptr + at, name, n)) continue;
    const char *v = params.ptr + at + n, *end = params.ptr + params.len;
    if (v < end && *v == '"') {
      const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
      if (q) return (siphb_str){v + 1, (size_t)(q - v - 1)};
    }
    const char *e = v;
    while (e < end && *e != ';' && *e != ',') e++;
    return (siphb_str){v, (size_t)(e - v)};
  }
  return (siphb_str){NULL, 0};
}

static bool same(siphb_str a, siphb_str b) {
  return a.len == b.len && a.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* Our Contact among the response's (decided order: +sip.instance, then the
 * URI byte for byte, then the only one). */
static bool find_binding(const siphb_reg *r, const siphb_sip_msg *m, siphb_sip_addr *out) {
  if (m->contact_count == 0) return false;
  siphb_sip_iter it;
  siphb_sip_addr a;
  if (r->instance_id.len) {
    siphb_sip_iter_init(&it, m);
    while (siphb_sip_next_contact(&it, &a))
      if (same(instance_of(a.params), r->instance_id)) return (*out = a, true);
  }
  if (r->contact.len) {
    siphb_sip_iter_init(&it, m);
    while (siphb_sip_next_contact(&it, &a))
      if (same(a.uri, r->contact)) return (*out = a, true);
  }
  if (m->contact_count == 1 && !m->contact.star) return (*out = m->contact, true);
  return false;
}

int siphb_reg_on_parsed(siphb_reg *reg, const siphb_sip_msg *m, siphb_ms now) {
  if (!reg || !m || m->is_request) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_reg_result res;
  siphb_reg_result_init(&res, sizeof res);
  res.status = m->status;
  siphb_sip_addr ours;
  if (m->status >= 200 && m->status < 300 && find_binding(reg, m, &ours)) {
    if (ours.has_expires) {
      res.has_expires = true;
      res.expires_s = ours.expires;
    } else if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_EXPIRES)) {
      res.has_expires = true;
      res.expires_s = m->expires;
    }
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_MIN_EXPIRES)) res.min_expires_s = m->min_expires;
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_RETRY_AFTER)) {
    res.has_retry_after = true;
    res.retry_after_s = m->retry_after.delta;
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_FLOW_TIMER)) res.flow_timer_s = m->flow_timer;
  res.outbound = siphb_sip_has_token(m, SIPHB_SIP_HDR_REQUIRE, "outbound");
  return siphb_reg_on_result(reg, &res, now);
}

int siphb_reg_on_response(siphb_reg *reg, const uint8_t *data, size_t len, siphb_ms now) {
  if (!reg || (!data && len)) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_sip_msg m;
  siphb_ssize n = siphb_sip_parse(&m, data, len, NULL, NULL);
  if (n < 0) return (int)n;
  return siphb_reg_on_parsed(reg, &m, now);
}
