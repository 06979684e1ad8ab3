/*
 * sip_values.c - parsers of the header values the SIP parser indexes: Via
 * (RFC 3261 section 20.42, RFC 3581 rport, RFC 6223 keep), From/To/Contact
 * (sections 20.10, 20.20, 20.39), CSeq (20.16), numbers, Retry-After
 * (20.33), Session-Expires (RFC 4028 section 4) and token lists.
 */
#include "sip/sip_values.h"

#include <string.h>

#include "sip/sip_lex.h"

static int fail(siphb_sip_verr *e, int code, const char *where, const char *why) {
  e->code = code;
  e->where = where;
  e->why = why;
  return code;
}

/* Is s the lower-case word `letters` (ASCII letters only) in any case?
 * `| 0x20` lowers a letter and turns no other byte into one. */
static inline bool name_is(siphb_str s, const char *letters, size_t n) {
  if (s.len != n || ((uint8_t)s.ptr[0] | 0x20u) != (uint8_t)letters[0]) return false;
  for (size_t i = 1; i < n; i++)
    if (((uint8_t)s.ptr[i] | 0x20u) != (uint8_t)letters[i]) return false;
  return true;
}

/* A parameter value: a quoted string, or a run of characters other than
 * white space and the separators ; , ? > (IPv6 values such as received=
 * ::1 or [::1] keep their colons and brackets). */
static const char *param_value_end(const char *p, const char *end) {
  if (p < end && *p == '"') return siphb_skip_quoted(p, end);
  return siphb_skip_class(p, end, SIPHB_CC_PVAL);
}

/* Reads the parameter at p (which must point at ';'). Returns the position
 * after it, or NULL (with *e set) when malformed. */
static inline const char *next_param(const char *p, const char *end, siphb_sip_param *param,
                                     siphb_sip_verr *e) {
  p = siphb_skip_lws(p + 1, end); /* past ';' */
  const char *name = p;
  p = siphb_skip_class(p, end, SIPHB_CC_TOKEN);
  if (p == name) {
    fail(e, SIPHB_ERR_SIP_PARAM, name, "parameter without a name");
    return NULL;
  }
  param->name = siphb_mkstr(name, p);
  param->has_value = false;
  param->value = siphb_mkstr(p, p);
  const char *q = siphb_skip_lws(p, end);
  if (q < end && *q == '=') {
    q = siphb_skip_lws(q + 1, end);
    const char *v_end = param_value_end(q, end);
    if (!v_end) {
      fail(e, SIPHB_ERR_SIP_QUOTE, q, "unterminated quoted parameter value");
      return NULL;
    }
    if (v_end == q) {
      fail(e, SIPHB_ERR_SIP_PARAM, q, "parameter '=' without a value");
      return NULL;
    }
    param->has_value = true;
    param->value = siphb_mkstr(q, v_end);
    return v_end;
  }
  return p;
}

/* Whose parameters walk_params reads: each owner keeps the ones it
 * indexes (a switch rather than a callback, so that they inline). */
typedef enum param_owner {
  PARAMS_CHECK_ONLY,
  PARAMS_VIA,
  PARAMS_ADDR,
  PARAMS_CONTACT,
  PARAMS_RETRY_AFTER,
  PARAMS_SESSION_EXPIRES
} param_owner;

static int owner_param(param_owner owner, const siphb_sip_param *prm, void *out,
                       siphb_sip_verr *e);

/* Reads the parameters from p (each starting with ';'), handing each to its
 * owner's reader. *after is where they end, blanks skipped. */
static int walk_params(const char *p, const char *end, param_owner owner, void *out,
                       const char **after, siphb_sip_verr *e) {
  p = siphb_skip_lws(p, end);
  while (p < end && *p == ';') {
    siphb_sip_param prm;
    const char *next = next_param(p, end, &prm, e);
    if (!next) return e->code;
    int rc = owner_param(owner, &prm, out, e);
    if (rc) return rc;
    p = siphb_skip_lws(next, end);
  }
  *after = p;
  return 0;
}

/* A single-valued header's value must end at p: a ',' is a second value. */
static int expect_end(const char *p, const char *end, const char *what, siphb_sip_verr *e) {
  if (p >= end) return 0;
  if (*p == ',') return fail(e, SIPHB_ERR_SIP_MULTIPLE_VALUES, p, "several values");
  return fail(e, SIPHB_ERR_SIP_PARAM, p, what);
}

/* After a value's main part: LWS, then ';' params handled by the caller, a
 * ',' (next value) or the end. */
static bool at_value_end(const char *p, const char *end) {
  return p >= end || *p == ',';
}

static const char *parse_u16(const char *p, const char *end, uint16_t *out) {
  uint32_t v;
  p = siphb_parse_u32(p, end, 65535, &v);
  if (p) *out = (uint16_t)v;
  return p;
}

/* sent-by host: a hostname or IPv4 address, or an IPv6 reference. */
static const char *parse_host(const char *p, const char *end, siphb_sip_via *via,
                              siphb_sip_verr *e) {
  if (p < end && *p == '[') {
    const char *h = p + 1, *q = h;
    while (q < end && (siphb_cc((uint8_t)*q, SIPHB_CC_DIGIT) || *q == ':' || *q == '.' ||
                       (siphb_lower((uint8_t)*q) >= 'a' && siphb_lower((uint8_t)*q) <= 'f')))
      q++;
    if (q >= end || *q != ']' || q == h) {
      fail(e, SIPHB_ERR_SIP_VIA, q, "malformed IPv6 reference in Via sent-by");
      return NULL;
    }
    via->host = siphb_mkstr(h, q);
    via->host_is_ipv6 = true;
    return q + 1;
  }
  const char *q = siphb_skip_class(p, end, SIPHB_CC_HOST);
  if (q == p) {
    fail(e, SIPHB_ERR_SIP_VIA, p, "Via without a sent-by host");
    return NULL;
  }
  via->host = siphb_mkstr(p, q);
  via->host_is_ipv6 = false;
  return q;
}

/* Reads "/" with optional white space around it. */
static const char *slash(const char *p, const char *end) {
  p = siphb_skip_lws(p, end);
  if (p >= end || *p != '/') return NULL;
  return siphb_skip_lws(p + 1, end);
}

/* "SIP/2.0/" in any case of SIP, as nearly every Via starts: one word
 * compare instead of the general sent-protocol grammar. */
static bool starts_sip_2_0(const char *p, const char *end) {
  static const char fold[8] = {0x20, 0x20, 0x20, 0, 0, 0, 0, 0};
  static const char want[8] = {'s', 'i', 'p', '/', '2', '.', '0', '/'};
  uint64_t w, f, x;
  if (end - p < 8) return false;
  memcpy(&w, p, 8);
  memcpy(&f, fold, 8);
  memcpy(&x, want, 8);
  return (w | f) == x;
}

static int via_param(const siphb_sip_param *prm, void *out, siphb_sip_verr *e) {
  siphb_sip_via *via = out;
  siphb_str n = prm->name;
  if (name_is(n, "branch", 6)) {
    if (!prm->has_value || prm->value.ptr[0] == '"')
      return fail(e, SIPHB_ERR_SIP_VIA, n.ptr, "Via branch without a token value");
    via->branch = prm->value;
  } else if (name_is(n, "received", 8)) {
    if (!prm->has_value) return fail(e, SIPHB_ERR_SIP_VIA, n.ptr, "Via received without value");
    via->received = prm->value;
  } else if (name_is(n, "rport", 5)) {
    via->has_rport = true;
    if (prm->has_value) {
      const char *v_end = prm->value.ptr + prm->value.len;
      if (parse_u16(prm->value.ptr, v_end, &via->rport) != v_end)
        return fail(e, SIPHB_ERR_SIP_VIA, prm->value.ptr, "Via rport is not a port number");
      via->rport_has_value = true;
    }
  } else if (name_is(n, "keep", 4)) {
    via->has_keep = true;
    if (prm->has_value) {
      const char *v_end = prm->value.ptr + prm->value.len;
      if (siphb_parse_u32(prm->value.ptr, v_end, UINT32_MAX, &via->keep) != v_end)
        return fail(e, SIPHB_ERR_SIP_VIA, prm->value.ptr, "Via keep is not a number of seconds");
      via->keep_has_value = true;
    }
  }
  return 0;
}

int siphb_sip_parse_via(const char *p, const char *end, siphb_sip_via *via, const char **next,
                        siphb_sip_verr *e) {
  memset(via, 0, sizeof *via);
  const char *start = p = siphb_skip_lws(p, end);
  /* sent-protocol: protocol-name SLASH protocol-version SLASH transport */
  const char *q;
  if (starts_sip_2_0(p, end)) {
    p = siphb_skip_lws(p + 8, end); /* as slash() allows */
  } else {
    q = siphb_skip_class(p, end, SIPHB_CC_TOKEN);
    if (q == p) return fail(e, SIPHB_ERR_SIP_VIA, p, "Via without a protocol name");
    if (!(p = slash(q, end))) return fail(e, SIPHB_ERR_SIP_VIA, q, "Via protocol without '/'");
    q = siphb_skip_class(p, end, SIPHB_CC_TOKEN);
    if (q == p) return fail(e, SIPHB_ERR_SIP_VIA, p, "Via without a protocol version");
    if (!(p = slash(q, end))) return fail(e, SIPHB_ERR_SIP_VIA, q, "Via version without '/'");
  }
  q = siphb_skip_class(p, end, SIPHB_CC_TOKEN);
  if (q == p) return fail(e, SIPHB_ERR_SIP_VIA, p, "Via without a transport");
  via->transport = siphb_mkstr(p, q);
  p = siphb_skip_lws(q, end);
  if (p == q) return fail(e, SIPHB_ERR_SIP_VIA, p, "Via transport not followed by white space");
  if (!(p = parse_host(p, end, via, e))) return SIPHB_ERR_SIP_VIA;
  q = siphb_skip_lws(p, end);
  if (q < end && *q == ':') {
    q = siphb_skip_lws(q + 1, end);
    p = parse_u16(q, end, &via->port);
    if (!p) return fail(e, SIPHB_ERR_SIP_VIA, q, "Via sent-by port is not a number <= 65535");
    via->has_port = true;
  }
  p = siphb_skip_lws(p, end);
  const char *params = p;
  int rc = walk_params(p, end, PARAMS_VIA, via, &p, e);
  if (rc) return rc;
  if (!at_value_end(p, end)) return fail(e, SIPHB_ERR_SIP_VIA, p, "unexpected character in Via");
  via->params = siphb_mkstr(params, siphb_trim_end(params, p));
  via->value = siphb_mkstr(start, siphb_trim_end(start, p));
  *next = p;
  return 0;
}

/* The URI of an addr-spec without angle brackets ends at white space, ';'
 * or ',' (section 20.10: such a URI cannot contain them). */
static const char *addr_spec_end(const char *p, const char *end, siphb_sip_verr *e) {
  while (p < end && *p != ';' && *p != ',' && !siphb_cc((uint8_t)*p, SIPHB_CC_LWS)) {
    if (*p == '<' || *p == '>') {
      fail(e, SIPHB_ERR_SIP_ANGLE, p, "unbalanced angle bracket");
      return NULL;
    }
    if (*p == '"') {
      fail(e, SIPHB_ERR_SIP_QUOTE, p, "quote inside an address");
      return NULL;
    }
    p++;
  }
  return p;
}

static int addr_param(const siphb_sip_param *prm, void *out, siphb_sip_verr *e) {
  siphb_sip_addr *addr = out;
  if (name_is(prm->name, "tag", 3)) {
    if (!prm->has_value || prm->value.ptr[0] == '"')
      return fail(e, SIPHB_ERR_SIP_PARAM, prm->name.ptr, "tag without a token value");
    addr->tag = prm->value;
  }
  return 0;
}

/* A Contact also reads expires= (RFC 3261 section 10.2.1.1). */
static int contact_param(const siphb_sip_param *prm, void *out, siphb_sip_verr *e) {
  siphb_sip_addr *addr = out;
  if (!name_is(prm->name, "expires", 7)) return addr_param(prm, out, e);
  const char *v_end = prm->value.ptr + prm->value.len;
  if (!prm->has_value ||
      siphb_parse_u32(prm->value.ptr, v_end, UINT32_MAX, &addr->expires) != v_end)
    return fail(e, SIPHB_ERR_SIP_NUMBER, prm->name.ptr,
                "Contact expires is not a number of seconds below 2^32");
  addr->has_expires = true;
  return 0;
}

int siphb_sip_parse_addr(const char *p, const char *end, bool contact, siphb_sip_addr *addr,
                         const char **next, siphb_sip_verr *e) {
  memset(addr, 0, sizeof *addr);
  const char *start = p = siphb_skip_lws(p, end);
  if (p >= end || *p == ',') return fail(e, SIPHB_ERR_SIP_ADDRESS, p, "empty address");
  if (contact && *p == '*') {
    const char *q = siphb_skip_lws(p + 1, end);
    if (q != end) return fail(e, SIPHB_ERR_SIP_ADDRESS, q, "Contact '*' with more after it");
    addr->star = true;
    addr->value = siphb_mkstr(p, p + 1);
    *next = q;
    return 0;
  }
  /* display-name: a quoted string, or tokens and white space up to '<'. */
  const char *q;
  if (*p == '"') {
    q = siphb_skip_quoted(p, end);
    if (!q) return fail(e, SIPHB_ERR_SIP_QUOTE, p, "unterminated quoted display name");
    addr->display_name = siphb_mkstr(p, q);
    q = siphb_skip_lws(q, end);
    if (q >= end || *q != '<')
      return fail(e, SIPHB_ERR_SIP_ANGLE, q, "display name not followed by '<'");
  } else {
    q = p;
    while (q < end && (siphb_cc((uint8_t)*q, SIPHB_CC_TOKEN | SIPHB_CC_LWS))) q++;
    if (q < end && *q == '<') addr->display_name = siphb_mkstr(p, siphb_trim_end(p, q));
    else q = p; /* an addr-spec */
  }
  if (q < end && *q == '<') {
    const char *uri = q + 1;
    const char *close = memchr(uri, '>', (size_t)(end - uri));
    if (!close) return fail(e, SIPHB_ERR_SIP_ANGLE, q, "'<' without '>'");
    const char *lt = memchr(uri, '<', (size_t)(close - uri));
    if (lt) return fail(e, SIPHB_ERR_SIP_ANGLE, lt, "'<' inside an address");
    if (close == uri) return fail(e, SIPHB_ERR_SIP_ADDRESS, uri, "empty URI in '<>'");
    addr->uri = siphb_mkstr(uri, close);
    p = close + 1;
  } else {
    const char *u_end = addr_spec_end(q, end, e);
    if (!u_end) return e->code;
    if (u_end == q) return fail(e, SIPHB_ERR_SIP_ADDRESS, q, "address without a URI");
    addr->uri = siphb_mkstr(q, u_end);
    p = u_end;
  }
  p = siphb_skip_lws(p, end);
  const char *params = p;
  int rc = walk_params(p, end, contact ? PARAMS_CONTACT : PARAMS_ADDR, addr, &p, e);
  if (rc) return rc;
  if (p < end && *p != ',') {
    if (*p == '>') return fail(e, SIPHB_ERR_SIP_ANGLE, p, "'>' without '<'");
    if (*p == '<') return fail(e, SIPHB_ERR_SIP_ANGLE, p, "unexpected '<'");
    if (*p == '"') return fail(e, SIPHB_ERR_SIP_QUOTE, p, "unexpected quote");
    return fail(e, SIPHB_ERR_SIP_ADDRESS, p, "unexpected character after the address");
  }
  addr->params = siphb_mkstr(params, siphb_trim_end(params, p));
  addr->value = siphb_mkstr(start, siphb_trim_end(start, p));
  *next = p;
  return 0;
}

int siphb_sip_parse_cseq(const char *p, const char *end, uint32_t *number, siphb_str *method,
                         siphb_sip_verr *e) {
  p = siphb_skip_lws(p, end);
  const char *q = siphb_parse_u32(p, end, 0x7fffffffu, number);
  if (!q) return fail(e, SIPHB_ERR_SIP_CSEQ, p, "CSeq number missing or above 2^31-1");
  p = siphb_skip_lws(q, end);
  if (p == q) return fail(e, SIPHB_ERR_SIP_CSEQ, p, "CSeq number not followed by white space");
  q = siphb_skip_class(p, end, SIPHB_CC_TOKEN);
  if (q == p) return fail(e, SIPHB_ERR_SIP_CSEQ, p, "CSeq without a method");
  *method = siphb_mkstr(p, q);
  q = siphb_skip_lws(q, end);
  if (q < end) {
    if (*q == ',') return fail(e, SIPHB_ERR_SIP_MULTIPLE_VALUES, q, "several CSeq values");
    return fail(e, SIPHB_ERR_SIP_CSEQ, q, "unexpected character after the CSeq method");
  }
  return 0;
}

/* ;params up to the end of the value; a ',' means a second value. */
static int trailing_params(const char *p, const char *end, siphb_sip_verr *e) {
  int rc = walk_params(p, end, PARAMS_CHECK_ONLY, NULL, &p, e);
  return rc ? rc : expect_end(p, end, "unexpected character after the value", e);
}

int siphb_sip_parse_number(const char *p, const char *end, uint32_t max, bool params,
                           int negative_code, uint32_t *out, siphb_sip_verr *e) {
  p = siphb_skip_lws(p, end);
  if (p < end && *p == '-') return fail(e, negative_code, p, "negative number");
  const char *q = siphb_parse_u32(p, end, max, out);
  if (!q) {
    bool digits = p < end && siphb_cc((uint8_t)*p, SIPHB_CC_DIGIT);
    return fail(e, SIPHB_ERR_SIP_NUMBER, p, digits ? "number too large" : "number expected");
  }
  if (params) return trailing_params(q, end, e);
  q = siphb_skip_lws(q, end);
  if (q < end) {
    if (*q == ',') return fail(e, SIPHB_ERR_SIP_MULTIPLE_VALUES, q, "several values");
    return fail(e, SIPHB_ERR_SIP_NUMBER, q, "unexpected character after the number");
  }
  return 0;
}

/* A comment: "(" *(ctext / quoted-pair / comment) ")", nested comments
 * counted with a depth, not recursion. Returns the position after ")". */
static const char *skip_comment(const char *p, const char *end) {
  unsigned depth = 0;
  for (; p < end; p++) {
    if (*p == '(') {
      depth++;
    } else if (*p == ')') {
      if (--depth == 0) return p + 1;
    } else if (*p == '\\') {
      if (++p >= end) return NULL;
    }
  }
  return NULL;
}

static int retry_param(const siphb_sip_param *prm, void *out, siphb_sip_verr *e) {
  siphb_sip_retry_after *ra = out;
  if (!name_is(prm->name, "duration", 8)) return 0;
  const char *v_end = prm->value.ptr + prm->value.len;
  if (!prm->has_value || siphb_parse_u32(prm->value.ptr, v_end, UINT32_MAX, &ra->duration) != v_end)
    return fail(e, SIPHB_ERR_SIP_NUMBER, prm->name.ptr, "Retry-After duration is not a number");
  ra->has_duration = true;
  return 0;
}

int siphb_sip_parse_retry_after(const char *p, const char *end, siphb_sip_retry_after *ra,
                                siphb_sip_verr *e) {
  memset(ra, 0, sizeof *ra);
  p = siphb_skip_lws(p, end);
  const char *q = siphb_parse_u32(p, end, UINT32_MAX, &ra->delta);
  if (!q) return fail(e, SIPHB_ERR_SIP_NUMBER, p, "Retry-After without delta-seconds below 2^32");
  p = siphb_skip_lws(q, end);
  if (p < end && *p == '(') {
    q = skip_comment(p, end);
    if (!q) return fail(e, SIPHB_ERR_SIP_PARAM, p, "unterminated Retry-After comment");
    ra->comment = siphb_mkstr(p + 1, q - 1);
    p = siphb_skip_lws(q, end);
  }
  int rc = walk_params(p, end, PARAMS_RETRY_AFTER, ra, &p, e);
  return rc ? rc : expect_end(p, end, "unexpected character in Retry-After", e);
}

static int session_expires_param(const siphb_sip_param *prm, void *out, siphb_sip_verr *e) {
  siphb_sip_session_expires *se = out;
  if (!name_is(prm->name, "refresher", 9)) return 0;
  if (!prm->has_value) return fail(e, SIPHB_ERR_SIP_PARAM, prm->name.ptr, "refresher without a value");
  if (se->refresher != SIPHB_SIP_REFRESHER_NONE)
    return fail(e, SIPHB_ERR_SIP_PARAM, prm->name.ptr, "a second refresher parameter");
  if (name_is(prm->value, "uac", 3)) se->refresher = SIPHB_SIP_REFRESHER_UAC;
  else if (name_is(prm->value, "uas", 3)) se->refresher = SIPHB_SIP_REFRESHER_UAS;
  else return fail(e, SIPHB_ERR_SIP_REFRESHER, prm->name.ptr, "refresher is neither uac nor uas");
  return 0;
}

int siphb_sip_parse_session_expires_params(const char *p, const char *end,
                                           siphb_sip_session_expires *se, siphb_str *params,
                                           siphb_sip_verr *e) {
  memset(se, 0, sizeof *se);
  p = siphb_skip_lws(p, end);
  const char *q = siphb_parse_u32(p, end, UINT32_MAX, &se->delta);
  if (!q)
    return fail(e, SIPHB_ERR_SIP_NUMBER, p,
                p < end && *p >= '0' && *p <= '9' ? "Session-Expires above 4294967295 s"
                                                  : "Session-Expires without delta-seconds");
  const char *from = siphb_skip_lws(q, end);
  int rc = walk_params(q, end, PARAMS_SESSION_EXPIRES, se, &p, e);
  if (rc) return rc;
  if (params) *params = siphb_mkstr(from, siphb_trim_end(from, p));
  return expect_end(p, end, "unexpected character in Session-Expires", e);
}

int siphb_sip_parse_session_expires(const char *p, const char *end,
                                    siphb_sip_session_expires *se, siphb_sip_verr *e) {
  return siphb_sip_parse_session_expires_params(p, end, se, NULL, e);
}

int siphb_sip_parse_tokens(const char *p, const char *end, uint32_t *methods,
                           siphb_sip_verr *e) {
  p = siphb_skip_lws(p, end);
  while (p < end) {
    const char *q = siphb_skip_class(p, end, SIPHB_CC_TOKEN);
    if (q == p) return fail(e, SIPHB_ERR_SIP_HEADER, p, "token expected in list");
    if (methods) *methods |= 1u << siphb_sip_method_from(siphb_mkstr(p, q));
    p = siphb_skip_lws(q, end);
    if (p < end) {
      if (*p != ',') return fail(e, SIPHB_ERR_SIP_HEADER, p, "',' expected between tokens");
      p = siphb_skip_lws(p + 1, end);
      if (p == end) return fail(e, SIPHB_ERR_SIP_HEADER, p, "token expected after ','");
    }
  }
  return 0;
}

static int owner_param(param_owner owner, const siphb_sip_param *prm, void *out,
                       siphb_sip_verr *e) {
  switch (owner) {
  case PARAMS_VIA:
    return via_param(prm, out, e);
  case PARAMS_ADDR:
    return addr_param(prm, out, e);
  case PARAMS_CONTACT:
    return contact_param(prm, out, e);
  case PARAMS_RETRY_AFTER:
    return retry_param(prm, out, e);
  case PARAMS_SESSION_EXPIRES:
    return session_expires_param(prm, out, e);
  case PARAMS_CHECK_ONLY:
    break;
  }
  return 0;
}

/* ---- siphb_sip_find_param ------------------------------------------------- */

/* Where a <...> that starts at p (p[0] == '<') ends: after the '>', or NULL
 * when it is not closed. A URI holds no '>' and no quotes (RFC 3261 section
 * 25.1: they are escaped), so the first '>' closes it. */
static const char *skip_angle(const char *p, const char *end) {
  const char *q = memchr(p, '>', (size_t)(end - p));
  return q ? q + 1 : NULL;
}

bool siphb_sip_find_param(siphb_str value, const char *name, siphb_sip_param *out) {
  if (out) memset(out, 0, sizeof *out);
  if (!out || !name || !name[0] || !value.ptr) return false;
  const size_t name_len = strlen(name);
  const char *p = value.ptr, *end = value.ptr + value.len;
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      p = siphb_skip_quoted(p, end);
      if (!p) return false;
    } else if (c == '<') {
      p = skip_angle(p, end);
      if (!p) return false;
    } else if (c == ',') {
      return false; /* the next value of a list */
    } else if (c == ';') {
      siphb_sip_param prm;
      siphb_sip_verr e;
      const char *next = next_param(p, end, &prm, &e);
      if (!next) return false;
      if (prm.name.len == name_len) {
        size_t i = 0;
        while (i < name_len && siphb_lower((uint8_t)prm.name.ptr[i]) ==
                                   siphb_lower((uint8_t)name[i]))
          i++;
        if (i == name_len) {
          out->name = prm.name;
          out->value = prm.value;
          out->has_value = prm.has_value;
          out->whole = siphb_mkstr(p, next);
          return true;
        }
      }
      p = next;
    } else {
      p++;
    }
  }
  return false;
}
