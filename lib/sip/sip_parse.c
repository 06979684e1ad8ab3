/*
 * sip_parse.c - the SIP message parser: start line, header lines (folding,
 * compact forms, lists), the indexed headers, framing by Content-Length
 * (RFC 3261 sections 7, 18.3 and 20).
 *
 * One pass: each header line is found with memchr, its name looked up, and
 * the value of an indexed header parsed by sip_values.c. Nothing is copied;
 * the message points into the caller's buffer.
 */
#include <siphb/sip.h>

#include <string.h>

#include "base/assert.h"
#include "base/error_info.h"
#include "base/sized.h"
#include "sip/sip_lex.h"
#include "sip/sip_names.h"
#include "sip/sip_parse_int.h"
#include "sip/sip_values.h"

/* msg->present holds one bit per header id: adding the 64th id means the
 * second word that siphb/sip.h plans for. */
SIPHB_STATIC_ASSERT(SIPHB_SIP_HDR_COUNT_ <= 64, header_ids_fit_the_presence_word);

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define CONFIG_MIN_SIZE (offsetof(siphb_sip_parse_config, max_headers) + sizeof(size_t))

#define DEFAULT_MAX_SIZE 65535
#define DEFAULT_MAX_HEADERS 256

static void config_defaults(siphb_sip_parse_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->size = (uint32_t)sizeof *cfg;
  cfg->mode = SIPHB_SIP_DATAGRAM;
  cfg->lenient = false;
  cfg->max_size = DEFAULT_MAX_SIZE;
  cfg->max_headers = DEFAULT_MAX_HEADERS;
}

const siphb_sip_parse_config *siphb_sip_lenient_config(siphb_sip_mode mode) {
  static const siphb_sip_parse_config lenient[2] = {
      {sizeof(siphb_sip_parse_config), SIPHB_SIP_DATAGRAM, true, DEFAULT_MAX_SIZE,
       DEFAULT_MAX_HEADERS},
      {sizeof(siphb_sip_parse_config), SIPHB_SIP_STREAM, true, DEFAULT_MAX_SIZE,
       DEFAULT_MAX_HEADERS}};
  return &lenient[mode == SIPHB_SIP_STREAM];
}

static void config_defaults_fn(void *cfg) { config_defaults(cfg); }

void siphb_sip_parse_config_init(siphb_sip_parse_config *cfg, size_t size) {
  siphb_sip_parse_config d;
  config_defaults(&d);
  siphb_sized_init(cfg, size, &d, sizeof d, CONFIG_MIN_SIZE);
}

bool siphb_sip_msg_has(const siphb_sip_msg *msg, siphb_sip_hdr hdr) {
  return msg && (unsigned)hdr < SIPHB_SIP_HDR_COUNT_ && (msg->present >> hdr & 1u);
}

typedef struct parser {
  const char *base; /* data[0]: offsets are counted from here */
  const char *end;
  const siphb_sip_parse_config *cfg;
  siphb_error_info *err;
  siphb_sip_msg *msg;
  bool stream;
  bool bare_lf; /* lenient datagram: a line may end in LF alone */
} parser;

static siphb_ssize refuse(parser *ps, int code, const char *where, const char *why) {
  return siphb_fail(ps->err, code, (size_t)(where - ps->base), 0, why);
}

/* Stream mode: the message is cut short. `need` is a lower bound of the
 * bytes still missing. */
static siphb_ssize incomplete(parser *ps, size_t need) {
  return siphb_fail(ps->err, SIPHB_ERR_INCOMPLETE, (size_t)(ps->end - ps->base), need,
                          "message incomplete");
}

/* The header block has not ended: at least the rest of "\r\n\r\n". */
static size_t need_for_blank_line(const char *p, const char *end) {
  size_t have = 0;
  static const char term[] = "\r\n\r\n";
  for (size_t k = 3; k > 0; k--) {
    if ((size_t)(end - p) >= k && memcmp(end - k, term, k) == 0) {
      have = k;
      break;
    }
  }
  return 4 - have;
}

/* Data ran out before a line ended: incomplete on a stream, malformed in a
 * datagram (or beyond the size limit on a stream). */
static siphb_ssize ran_out(parser *ps, const char *msg_start, int code, const char *why) {
  if (!ps->stream) return refuse(ps, code, ps->end, why);
  if ((size_t)(ps->end - msg_start) >= ps->cfg->max_size)
    return refuse(ps, SIPHB_ERR_SIP_TOO_LARGE, msg_start + ps->cfg->max_size,
                  "header block larger than the size limit");
  return incomplete(ps, need_for_blank_line(msg_start, ps->end));
}

static bool is_sip_version(const char *p, const char *end) {
  return end - p == 7 && siphb_ieq_lower(p, "sip/2.0", 7);
}

/* "SIP/" followed by digits, a dot and digits: a SIP version, maybe not 2.0. */
static bool looks_like_version(const char *p, const char *end) {
  if (end - p < 7 || !siphb_ieq_lower(p, "sip/", 4)) return false;
  const char *q = siphb_skip_class(p + 4, end, SIPHB_CC_DIGIT);
  if (q == p + 4 || q >= end || *q != '.') return false;
  const char *r = siphb_skip_class(q + 1, end, SIPHB_CC_DIGIT);
  return r > q + 1 && r == end;
}

static siphb_ssize parse_status_line(parser *ps, const char *p, const char *eol) {
  siphb_sip_msg *msg = ps->msg;
  /* "SIP/2.0 " nearly always: the space is then the eighth byte. */
  const char *sp = eol - p > 7 && p[7] == ' ' ? p + 7 : memchr(p, ' ', (size_t)(eol - p));
  if (!sp) return refuse(ps, SIPHB_ERR_SIP_START_LINE, eol, "status line without a status code");
  if (!is_sip_version(p, sp) && !(ps->cfg->lenient && looks_like_version(p, sp)))
    return refuse(ps, SIPHB_ERR_SIP_VERSION, p, "version is not SIP/2.0");
  const char *code = sp + 1;
  if (eol - code < 3 || !siphb_cc((uint8_t)code[0], SIPHB_CC_DIGIT) ||
      !siphb_cc((uint8_t)code[1], SIPHB_CC_DIGIT) || !siphb_cc((uint8_t)code[2], SIPHB_CC_DIGIT) ||
      (eol - code > 3 && code[3] != ' '))
    return refuse(ps, SIPHB_ERR_SIP_START_LINE, code, "status code is not three digits");
  unsigned status = (unsigned)(code[0] - '0') * 100u + (unsigned)(code[1] - '0') * 10u +
                    (unsigned)(code[2] - '0');
  if (status < 100 || status > 699)
    return refuse(ps, SIPHB_ERR_SIP_STATUS, code, "status code outside 100-699");
  msg->is_request = false;
  msg->status = (uint16_t)status;
  const char *reason = eol - code > 3 ? code + 4 : eol;
  msg->reason = siphb_mkstr(reason, eol);
  return 0;
}

static siphb_ssize parse_request_line(parser *ps, const char *p, const char *eol) {
  siphb_sip_msg *msg = ps->msg;
  const char *q = siphb_skip_class(p, eol, SIPHB_CC_TOKEN);
  if (q == p || q >= eol || *q != ' ')
    return refuse(ps, SIPHB_ERR_SIP_START_LINE, q, "request line: method expected");
  msg->method = siphb_mkstr(p, q);
  const char *uri = q + 1;
  const char *sp = memchr(uri, ' ', (size_t)(eol - uri));
  if (!sp || sp == uri)
    return refuse(ps, SIPHB_ERR_SIP_START_LINE, uri, "request line: Request-URI expected");
  for (const char *c = uri; c < sp; c++)
    if ((uint8_t)*c <= 0x20 || (uint8_t)*c == 0x7f)
      return refuse(ps, SIPHB_ERR_SIP_START_LINE, c, "control character in Request-URI");
  msg->request_uri = siphb_mkstr(uri, sp);
  const char *version = sp + 1;
  if (!is_sip_version(version, eol)) {
    bool other_version = looks_like_version(version, eol);
    if (!other_version && memchr(version, ' ', (size_t)(eol - version)))
      return refuse(ps, SIPHB_ERR_SIP_START_LINE, version, "request line: too many fields");
    if (!(other_version && ps->cfg->lenient))
      return refuse(ps, SIPHB_ERR_SIP_VERSION, version, "version is not SIP/2.0");
  }
  msg->is_request = true;
  msg->method_id = siphb_sip_method_from(msg->method);
  return 0;
}

/* Single-valued headers: a second occurrence is refused, or ignored when
 * lenient. Returns 1 to skip the value, 0 to parse it, < 0 on error. */
static int second_occurrence(parser *ps, siphb_sip_hdr id, const char *name) {
  if (!(ps->msg->present >> id & 1u)) return 0;
  if (ps->cfg->lenient) return 1;
  return (int)refuse(ps, SIPHB_ERR_SIP_MULTIPLE_VALUES, name, "single-valued header given twice");
}

static siphb_ssize value_error(parser *ps, const siphb_sip_verr *e) {
  return refuse(ps, e->code, e->where, e->why);
}

static siphb_ssize parse_via_list(parser *ps, const char *p, const char *end) {
  siphb_sip_msg *msg = ps->msg;
  siphb_sip_verr e;
  for (;;) {
    siphb_sip_via via;
    const char *next;
    int rc = siphb_sip_parse_via(p, end, msg->via_count ? &via : &msg->via, &next, &e);
    if (rc) return value_error(ps, &e);
    msg->via_count++;
    if (next >= end) return 0;
    p = next + 1; /* past ',' */
  }
}

static siphb_ssize parse_contact_list(parser *ps, const char *p, const char *end) {
  siphb_sip_msg *msg = ps->msg;
  siphb_sip_verr e;
  for (;;) {
    siphb_sip_addr addr;
    const char *next;
    siphb_sip_addr *out = msg->contact_count ? &addr : &msg->contact;
    int rc = siphb_sip_parse_addr(p, end, true, out, &next, &e);
    if (rc) return value_error(ps, &e);
    if ((out->star || msg->contact.star) && msg->contact_count > 0)
      return refuse(ps, SIPHB_ERR_SIP_ADDRESS, out->value.ptr,
                    "Contact '*' together with other contacts");
    msg->contact_count++;
    if (next >= end) return 0;
    p = next + 1;
  }
}

static siphb_ssize parse_single_addr(parser *ps, const char *p, const char *end,
                                     siphb_sip_addr *out) {
  siphb_sip_verr e;
  const char *next;
  if (siphb_sip_parse_addr(p, end, false, out, &next, &e)) return value_error(ps, &e);
  if (next < end && !ps->cfg->lenient)
    return refuse(ps, SIPHB_ERR_SIP_MULTIPLE_VALUES, next, "several addresses in From or To");
  return 0;
}

static siphb_ssize parse_call_id(parser *ps, const char *p, const char *end) {
  /* callid = word [ "@" word ] */
  const char *c = siphb_skip_class(p, end, SIPHB_CC_CALLID);
  if (c < end) {
    if (*c == ',') return refuse(ps, SIPHB_ERR_SIP_MULTIPLE_VALUES, c, "several Call-ID values");
    return refuse(ps, SIPHB_ERR_SIP_HEADER, c, "character not allowed in Call-ID");
  }
  if (p == end) return refuse(ps, SIPHB_ERR_SIP_HEADER, p, "empty Call-ID");
  ps->msg->call_id = siphb_mkstr(p, end);
  return 0;
}

static siphb_ssize parse_content_length(parser *ps, const char *name, const char *p,
                                        const char *end) {
  siphb_sip_verr e;
  uint32_t v;
  if (siphb_sip_parse_number(p, end, UINT32_MAX, false, SIPHB_ERR_SIP_CONTENT_LENGTH, &v, &e))
    return refuse(ps, SIPHB_ERR_SIP_CONTENT_LENGTH, e.where, e.why);
  /* Repeating the same value is harmless; two different ones would make
   * the message's end ambiguous, even for a lenient reader. */
  if ((ps->msg->present >> SIPHB_SIP_HDR_CONTENT_LENGTH & 1u) && v != ps->msg->content_length)
    return refuse(ps, SIPHB_ERR_SIP_CONTENT_LENGTH, name, "conflicting Content-Length values");
  ps->msg->content_length = v;
  return 0;
}

/* The first ',' in [p, end) outside quoted strings, or end. An unclosed
 * quote hides nothing: the value parser reports it. */
static const char *first_unquoted_comma(const char *p, const char *end) {
  while (p < end && *p != ',') {
    if (*p == '"') {
      const char *closed = siphb_skip_quoted(p, end);
      if (!closed) return end;
      p = closed;
    } else {
      p++;
    }
  }
  return p;
}

/* Parses the value [p, end) of header `id` into the message. */
static siphb_ssize index_header(parser *ps, siphb_sip_hdr id, const char *name, const char *p,
                                const char *end) {
  siphb_sip_msg *msg = ps->msg;
  siphb_sip_verr e;
  int skip;
  switch (id) {
  case SIPHB_SIP_HDR_VIA:
    return parse_via_list(ps, p, end);
  case SIPHB_SIP_HDR_CONTACT:
    return parse_contact_list(ps, p, end);
  case SIPHB_SIP_HDR_CONTENT_LENGTH:
    return parse_content_length(ps, name, p, end);
  case SIPHB_SIP_HDR_SUPPORTED:
  case SIPHB_SIP_HDR_REQUIRE:
    return siphb_sip_parse_tokens(p, end, NULL, &e) ? value_error(ps, &e) : 0;
  case SIPHB_SIP_HDR_ALLOW:
    return siphb_sip_parse_tokens(p, end, &msg->allow, &e) ? value_error(ps, &e) : 0;
  case SIPHB_SIP_HDR_FROM:
  case SIPHB_SIP_HDR_TO:
  case SIPHB_SIP_HDR_CALL_ID:
  case SIPHB_SIP_HDR_CSEQ:
  case SIPHB_SIP_HDR_MAX_FORWARDS:
  case SIPHB_SIP_HDR_EXPIRES:
  case SIPHB_SIP_HDR_MIN_EXPIRES:
  case SIPHB_SIP_HDR_MIN_SE:
  case SIPHB_SIP_HDR_FLOW_TIMER:
  case SIPHB_SIP_HDR_RETRY_AFTER:
  case SIPHB_SIP_HDR_SESSION_EXPIRES:
  case SIPHB_SIP_HDR_SERVER:
  case SIPHB_SIP_HDR_USER_AGENT:
    break; /* single-valued: below */
  default:
    return 0; /* recognised by name, not indexed */
  }
  if ((skip = second_occurrence(ps, id, name)) != 0) return skip > 0 ? 0 : skip;
  if (ps->cfg->lenient && id != SIPHB_SIP_HDR_FROM && id != SIPHB_SIP_HDR_TO &&
      id != SIPHB_SIP_HDR_SERVER && id != SIPHB_SIP_HDR_USER_AGENT &&
      id != SIPHB_SIP_HDR_RETRY_AFTER) {
    /* Numbers, Call-ID, CSeq, Session-Expires, Min-SE: a comma outside a
     * quoted parameter value starts a second value, which lenient mode
     * drops. */
    end = siphb_trim_end(p, first_unquoted_comma(p, end));
  }
  int rc = 0;
  switch (id) {
  case SIPHB_SIP_HDR_FROM:
    return parse_single_addr(ps, p, end, &msg->from);
  case SIPHB_SIP_HDR_TO:
    return parse_single_addr(ps, p, end, &msg->to);
  case SIPHB_SIP_HDR_CALL_ID:
    return parse_call_id(ps, p, end);
  case SIPHB_SIP_HDR_CSEQ:
    rc = siphb_sip_parse_cseq(p, end, &msg->cseq, &msg->cseq_method, &e);
    if (!rc) msg->cseq_method_id = siphb_sip_method_from(msg->cseq_method);
    break;
  case SIPHB_SIP_HDR_MAX_FORWARDS:
    rc = siphb_sip_parse_number(p, end, 255, false, SIPHB_ERR_SIP_NUMBER, &msg->max_forwards, &e);
    break;
  case SIPHB_SIP_HDR_EXPIRES:
    rc = siphb_sip_parse_number(p, end, UINT32_MAX, false, SIPHB_ERR_SIP_NUMBER, &msg->expires, &e);
    break;
  case SIPHB_SIP_HDR_MIN_EXPIRES:
    rc = siphb_sip_parse_number(p, end, UINT32_MAX, false, SIPHB_ERR_SIP_NUMBER,
                                &msg->min_expires, &e);
    break;
  case SIPHB_SIP_HDR_MIN_SE:
    rc = siphb_sip_parse_number(p, end, UINT32_MAX, true, SIPHB_ERR_SIP_NUMBER, &msg->min_se, &e);
    break;
  case SIPHB_SIP_HDR_FLOW_TIMER:
    rc = siphb_sip_parse_number(p, end, UINT32_MAX, false, SIPHB_ERR_SIP_NUMBER,
                                &msg->flow_timer, &e);
    break;
  case SIPHB_SIP_HDR_RETRY_AFTER:
    rc = siphb_sip_parse_retry_after(p, end, &msg->retry_after, &e);
    break;
  case SIPHB_SIP_HDR_SESSION_EXPIRES:
    rc = siphb_sip_parse_session_expires(p, end, &msg->session_expires, &e);
    break;
  case SIPHB_SIP_HDR_SERVER:
    msg->server = siphb_mkstr(p, end);
    break;
  case SIPHB_SIP_HDR_USER_AGENT:
    msg->user_agent = siphb_mkstr(p, end);
    break;
  default:
    break;
  }
  return rc ? value_error(ps, &e) : 0;
}

/* SWAR test: bit 7 of each byte of x that is below 0x0E (NUL, HTAB, LF,
 * CR and the rarer controls). A borrow can flag bytes above a true one, so
 * only the lowest flag in memory order is exact: little-endian builds take
 * it with a count of trailing zeros, others read the word's bytes one by
 * one. */
static inline uint64_t control_bits(uint64_t x) {
  return (x - 0x0E0E0E0E0E0E0E0Eu) & ~x & 0x8080808080808080u;
}

/* The next byte below 0x0E in [p, end), or end. */
static const char *next_control(const char *p, const char *end) {
  while (end - p >= 16) { /* two words per branch: most lines hold none */
    uint64_t x, y;
    memcpy(&x, p, 8);
    memcpy(&y, p + 8, 8);
    if (control_bits(x) | control_bits(y)) break;
    p += 16;
  }
  while (end - p >= 8) {
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t hits = control_bits(x);
    if (hits) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      return p + (__builtin_ctzll(hits) >> 3); /* the lowest flag is exact */
#else
      break;
#endif
    }
    p += 8;
  }
  while (p < end && (uint8_t)*p >= 0x0E) p++;
  return p;
}

/* The end of a header line: the LF that ends it, past any folded
 * continuation lines, found in one pass that also refuses NUL and a CR or
 * LF outside a CRLF (RFC 3261 section 25.1 allows neither byte elsewhere;
 * value parsers then treat CR and LF as the white space of a fold), unless
 * bare_lf lets an LF alone end a line. NULL when the data ends first
 * (including right after an LF: the next line could still be a fold), or
 * with *bad set to the offending byte. */
static const char *line_end(const char *p, const char *end, bool bare_lf, const char **bad) {
  for (;;) {
    p = next_control(p, end);
    if (p >= end) return NULL;
    const char *lf;
    if (*p == '\r') {
      if (end - p < 2) return NULL;
      if (p[1] != '\n') break;
      lf = p + 1;
    } else if (*p == '\n' && bare_lf) {
      lf = p;
    } else if (*p == '\n' || *p == '\0') {
      break;
    } else {
      p++; /* HTAB, and other controls that value parsers judge */
      continue;
    }
    if (lf + 1 >= end) return NULL; /* is the next line a continuation? unknown */
    if (lf[1] != ' ' && lf[1] != '\t') return lf;
    p = lf + 2;
  }
  *bad = p;
  return NULL;
}

/* Where the start line stops: its CR (followed by LF or not), a bare LF or
 * a NUL; end when the data ends first, or right after a CR (LF may
 * follow). The start line has no folds. */
static const char *start_line_end(const char *p, const char *end) {
  for (p = next_control(p, end); p < end; p = next_control(p + 1, end)) {
    if (*p == '\r') return end - p < 2 ? end : p;
    if (*p == '\n' || *p == '\0') return p;
  }
  return end;
}

static siphb_ssize check_mandatory(parser *ps, const char *where) {
  static const struct {
    siphb_sip_hdr id;
    const char *why;
  } mandatory[] = {
      {SIPHB_SIP_HDR_VIA, "no Via header"},         {SIPHB_SIP_HDR_FROM, "no From header"},
      {SIPHB_SIP_HDR_TO, "no To header"},           {SIPHB_SIP_HDR_CALL_ID, "no Call-ID header"},
      {SIPHB_SIP_HDR_CSEQ, "no CSeq header"},
  };
  siphb_sip_msg *msg = ps->msg;
  if (ps->cfg->lenient) return 0;
  for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++)
    if (!(msg->present >> mandatory[i].id & 1u))
      return refuse(ps, SIPHB_ERR_SIP_MISSING_HEADER, where, mandatory[i].why);
  if (msg->is_request &&
      (msg->cseq_method.len != msg->method.len ||
       memcmp(msg->cseq_method.ptr, msg->method.ptr, msg->method.len) != 0))
    return refuse(ps, SIPHB_ERR_SIP_CSEQ_METHOD, msg->cseq_method.ptr,
                  "CSeq method differs from the request method");
  return 0;
}

/* Header lines from `line` up to the blank line; *body_out gets the first
 * byte after it. */
static siphb_ssize parse_headers(parser *ps, const char *msg_start, const char *line,
                                 const char **body_out) {
  siphb_sip_msg *msg = ps->msg;
  const char *end = ps->end;
  for (;;) {
    if (line >= end || (line[0] == '\r' && end - line < 2))
      return ran_out(ps, msg_start, SIPHB_ERR_SIP_HEADER, "header block not ended by an empty line");
    if (line[0] == '\r') {
      if (line[1] != '\n') return refuse(ps, SIPHB_ERR_SIP_HEADER, line, "CR without LF");
      *body_out = line + 2;
      msg->headers = siphb_mkstr(msg->headers.ptr ? msg->headers.ptr : line, line);
      return 0;
    }
    if (!msg->headers.ptr) msg->headers.ptr = line;
    const char *name = line;
    const char *name_end = siphb_skip_class(line, end, SIPHB_CC_TOKEN);
    if (name_end == name) {
      if (*name == '\n' && ps->bare_lf) { /* the blank line, LF alone */
        *body_out = line + 1;
        msg->headers = siphb_mkstr(msg->headers.ptr ? msg->headers.ptr : line, line);
        return 0;
      }
      if (*name == ' ' || *name == '\t')
        return refuse(ps, SIPHB_ERR_SIP_HEADER, name, "continuation line without a header");
      return refuse(ps, SIPHB_ERR_SIP_HEADER, name, "header name expected");
    }
    const char *colon = name_end;
    if (colon < end && *colon != ':')
      while (colon < end && (*colon == ' ' || *colon == '\t')) colon++;
    if (colon >= end) return ran_out(ps, msg_start, SIPHB_ERR_SIP_HEADER, "header line cut short");
    if (*colon != ':') return refuse(ps, SIPHB_ERR_SIP_HEADER, colon, "':' expected after the header name");
    const char *bad = NULL;
    const char *lf = line_end(colon + 1, end, ps->bare_lf, &bad);
    if (!lf) {
      if (!bad)
        return ran_out(ps, msg_start, SIPHB_ERR_SIP_HEADER, "header block not ended by an empty line");
      if (*bad == '\n') return refuse(ps, SIPHB_ERR_SIP_HEADER, bad, "line ends in LF without CR");
      return refuse(ps, SIPHB_ERR_SIP_HEADER, bad, "CR without LF, or NUL, in a header line");
    }
    if (ps->stream && (size_t)(lf - msg_start) >= ps->cfg->max_size)
      return refuse(ps, SIPHB_ERR_SIP_TOO_LARGE, line, "header block larger than the size limit");
    if (++msg->header_count > ps->cfg->max_headers)
      return refuse(ps, SIPHB_ERR_SIP_TOO_MANY_HEADERS, line, "more header lines than the limit");
    const char *stop = lf[-1] == '\r' ? lf - 1 : lf; /* lf[-1] is the colon at least */
    const char *v = siphb_skip_lws(colon + 1, stop);
    const char *v_end = siphb_trim_end(v, stop);
    siphb_sip_hdr id = siphb_sip_hdr_lookup(name, (size_t)(name_end - name), end);
    if (id != SIPHB_SIP_HDR_OTHER) {
      siphb_ssize rc = index_header(ps, id, name, v, v_end);
      if (rc < 0) return rc;
      msg->present |= (uint64_t)1 << id;
    }
    line = lf + 1;
  }
}

static siphb_ssize frame_body(parser *ps, const char *msg_start, const char *body) {
  siphb_sip_msg *msg = ps->msg;
  size_t avail = (size_t)(ps->end - body);
  size_t header_len = (size_t)(body - msg_start);
  bool has_cl = msg->present >> SIPHB_SIP_HDR_CONTENT_LENGTH & 1u;
  size_t body_len;
  if (ps->stream) {
    if (!has_cl)
      return refuse(ps, SIPHB_ERR_SIP_NO_CONTENT_LENGTH, msg_start, "no Content-Length on a stream");
    if (msg->content_length > ps->cfg->max_size - header_len ||
        header_len > ps->cfg->max_size)
      return refuse(ps, SIPHB_ERR_SIP_TOO_LARGE, msg_start, "message larger than the size limit");
    if (msg->content_length > avail) return incomplete(ps, msg->content_length - avail);
    body_len = msg->content_length;
  } else if (has_cl) {
    if (msg->content_length > avail) {
      if (!ps->cfg->lenient)
        return refuse(ps, SIPHB_ERR_SIP_CONTENT_LENGTH, body,
                      "Content-Length larger than the rest of the datagram");
      body_len = avail;
    } else {
      body_len = msg->content_length;
    }
  } else {
    body_len = avail;
  }
  msg->body = siphb_mkstr(body, body + body_len);
  msg->length = header_len + body_len;
  return 0;
}

/* The size of the message struct, read through a volatile so that the
 * memset below stays a call: compilers expand a memset of a known 700 bytes
 * into `rep stos`, whose start-up alone costs as much as parsing a short
 * header line, while the C library's memset uses wide stores. */
static const volatile size_t msg_struct_size = sizeof(siphb_sip_msg);

static void clear_msg(siphb_sip_msg *msg) { memset(msg, 0, msg_struct_size); }

siphb_ssize siphb_sip_parse(siphb_sip_msg *msg, const uint8_t *data, size_t len,
                            const siphb_sip_parse_config *cfg, siphb_error_info *err) {
  siphb_sip_parse_config full;
  siphb_error_clear(err);
  if (!cfg) {
    config_defaults(&full);
    cfg = &full;
  } else {
    const void *view;
    int rv = siphb_sized_view(cfg, &full, sizeof full, CONFIG_MIN_SIZE, config_defaults_fn, &view);
    if (rv != 0) return siphb_sized_refuse(err, rv);
    cfg = view;
  }
  if (!msg || (!data && len))
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "msg or data is NULL");
  clear_msg(msg);
  parser ps;
  ps.base = (const char *)data;
  ps.end = data ? ps.base + len : ps.base; /* no arithmetic on NULL */
  ps.cfg = cfg;
  ps.err = err;
  ps.msg = msg;
  ps.stream = cfg->mode == SIPHB_SIP_STREAM;
  /* Not on streams: there CRLF frames keepalives and the header block's
   * end, and err->need counts CRLFs. */
  ps.bare_lf = cfg->lenient && !ps.stream;
  if (len == 0)
    return ps.stream ? incomplete(&ps, 1)
                     : refuse(&ps, SIPHB_ERR_SIP_START_LINE, ps.base, "empty datagram");

  const char *p = ps.base;
  if (ps.stream) {
    /* Section 7.5: CRLFs before the start line are ignored on streams. */
    while (ps.end - p >= 2 && p[0] == '\r' && p[1] == '\n') p += 2;
    if (p == ps.end || (ps.end - p == 1 && *p == '\r')) return incomplete(&ps, 1);
  } else if (len > cfg->max_size) {
    return refuse(&ps, SIPHB_ERR_SIP_TOO_LARGE, ps.base + cfg->max_size,
                  "datagram larger than the size limit");
  }
  const char *msg_start = p;
  const char *eol = start_line_end(p, ps.end);
  if (eol == ps.end)
    return ran_out(&ps, msg_start, SIPHB_ERR_SIP_START_LINE, "start line not ended by CRLF");
  const char *lf = eol + 1;
  if (*eol == '\n') {
    if (!ps.bare_lf)
      return refuse(&ps, SIPHB_ERR_SIP_START_LINE, eol, "start line ends in LF without CR");
    lf = eol;
  } else if (*eol == '\0' || eol[1] != '\n') { /* a CR has a byte after it: start_line_end */
    return refuse(&ps, SIPHB_ERR_SIP_START_LINE, eol, "CR or NUL in the start line");
  }
  msg->start_line = siphb_mkstr(p, eol);
  siphb_ssize rc;
  if (eol - p >= 4 && siphb_ieq_lower(p, "sip/", 4))
    rc = parse_status_line(&ps, p, eol);
  else
    rc = parse_request_line(&ps, p, eol);
  if (rc < 0) return rc;

  const char *body = NULL;
  rc = parse_headers(&ps, msg_start, lf + 1, &body);
  if (rc < 0) return rc;
  rc = check_mandatory(&ps, body - 2);
  if (rc < 0) return rc;
  rc = frame_body(&ps, msg_start, body);
  if (rc < 0) return rc;
  if (!ps.stream) return (siphb_ssize)len;
  return (siphb_ssize)((size_t)(msg_start - ps.base) + msg->length);
}
