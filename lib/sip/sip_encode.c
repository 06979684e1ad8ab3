/*
 * sip_encode.c - the OPTIONS request encoder (RFC 3261 sections 8.1.1
 * and 11).
 *
 * One validation pass, then the exact size as a sum of lengths, then one
 * writing pass with memcpy of literals and hand-written numbers: no stdio,
 * no second formatting of anything. The random callback is called only once
 * the request is known to fit, so a SIPHB_ERR_NOBUF costs no entropy, and at
 * most once per request.
 *
 * The request, in the header order of the example in section 11.1:
 *
 *   OPTIONS <request_uri> SIP/2.0
 *   Via: SIP/2.0/<TRANSPORT> <host>[:<port>];branch=<branch>[;rport][;keep]
 *   Max-Forwards: <max_forwards>
 *   To: <<to_uri>>
 *   From: ["<display>" ]<<from_uri>>;tag=<tag>
 *   Call-ID: <call_id>
 *   CSeq: <cseq> OPTIONS
 *   [Contact: <<contact_uri>>]
 *   [Accept: <accept>]
 *   [Supported: <supported>]
 *   [Allow: <allow>]
 *   [User-Agent: <user_agent>]
 *   Content-Length: 0
 *
 * Generated identifiers are lowercase hex of random bytes (hex digits are
 * token characters, section 25.1, and case-insensitive comparison of tokens
 * cannot merge two of them): the branch is "z9hG4bK" (section 8.1.1.7) plus
 * 16 digits (64 bits), the From tag 16 digits (64 bits, section 19.3 asks
 * for at least 32), the Call-ID 32 digits (128 bits, section 8.1.1.4). The
 * random bytes are requested in one call, in that order (branch, tag,
 * Call-ID), for the identifiers actually generated.
 */
#include <siphb/sip.h>

#include <string.h>

#include "base/assert.h"
#include "base/error_info.h"
#include "base/sized.h"
#include "sip/outbuf.h"

/* Via transport tokens by siphb_transport (RFC 3261 section 20.42; SCTP
 * RFC 4168; WS and WSS RFC 7118 section 5.1). SIPHB_TRANSPORT_DTLS has no
 * registered Via token (the IANA "SIP Transport" registry has none for SIP
 * over DTLS), so a Via for it would be a guess the peer may reject: the
 * encoder refuses it as an unknown transport, and the probe refuses DTLS
 * peers before encoding (docs/API-PLAN.md, question 5). */
static const struct {
  char name[5];
  uint8_t len;
} transports[] = {
    {"UDP", 3}, {"TCP", 3}, {"TLS", 3}, {"SCTP", 4}, {"WS", 2}, {"WSS", 3},
};
#define TRANSPORT_COUNT (sizeof(transports) / sizeof(transports[0]))

#define RAND_BRANCH ((size_t)SIPHB_SIP_BRANCH_BITS / 8)
#define RAND_TAG ((size_t)SIPHB_SIP_TAG_BITS / 8)
#define RAND_CALL_ID ((size_t)SIPHB_SIP_CALL_ID_BITS / 8)

/* The literal pieces of the request, each written as one memcpy; the size
 * computation uses the same macros, so the two cannot disagree. */
#define L_METHOD "OPTIONS "
#define L_VIA " SIP/2.0\r\nVia: SIP/2.0/"
#define L_BRANCH ";branch="
#define L_COOKIE "z9hG4bK"
#define L_RPORT ";rport"
#define L_KEEP ";keep"
#define L_MAX_FORWARDS "\r\nMax-Forwards: "
#define L_TO "\r\nTo: <"
#define L_FROM ">\r\nFrom: "
#define L_DISPLAY_END "\" "
#define L_TAG ">;tag="
#define L_CALL_ID "\r\nCall-ID: "
#define L_CSEQ "\r\nCSeq: "
#define L_CSEQ_END " OPTIONS\r\n"
#define L_CONTACT "Contact: <"
#define L_CONTACT_END ">\r\n"
#define L_ACCEPT "Accept: "
#define L_SUPPORTED "Supported: "
#define L_ALLOW "Allow: "
#define L_USER_AGENT "User-Agent: "
#define L_CRLF "\r\n"
#define L_END "Content-Length: 0\r\n\r\n"
#define LEN(lit) (sizeof(lit) - 1)

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define OPTIONS_MIN_SIZE (offsetof(siphb_sip_options, random_user_data) + sizeof(void *))

static void options_defaults(siphb_sip_options *opt) {
  memset(opt, 0, sizeof(*opt));
  opt->size = (uint32_t)sizeof *opt;
  opt->transport = SIPHB_TRANSPORT_UDP;
  /* RFC 3581: most phones sit behind NAT, and rport costs six bytes. */
  opt->rport = true;
  opt->keep = false;
  opt->cseq = 1;
  opt->max_forwards = 70; /* section 8.1.1.6 */
  /* Section 11: an OPTIONS request SHOULD carry Accept: application/sdp. */
  opt->accept.ptr = "application/sdp";
  opt->accept.len = LEN("application/sdp");
}

static void options_defaults_fn(void *opt) { options_defaults(opt); }

void siphb_sip_options_init(siphb_sip_options *opt, size_t size) {
  siphb_sip_options d;
  options_defaults(&d);
  siphb_sized_init(opt, size, &d, sizeof d, OPTIONS_MIN_SIZE);
}

/* Every caller-supplied text and the name that an error gives it. */
static const siphb_out_field text_fields[] = {
    {offsetof(siphb_sip_options, request_uri), "request_uri: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, to_uri), "to_uri: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, from_uri), "from_uri: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, from_display), "from_display: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, contact_uri), "contact_uri: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, via_host), "via_host: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, branch), "branch: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, from_tag), "from_tag: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, call_id), "call_id: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, accept), "accept: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, supported), "supported: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, allow), "allow: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_options, user_agent), "user_agent: CR, LF or NUL, or too long"},
};

static const char *bad_value(const siphb_sip_options *opt) {
  return siphb_out_first_bad(opt, text_fields, sizeof text_fields / sizeof text_fields[0]);
}

/* How the Via sent-by host is written: 0 as given, 1 inside brackets, -1
 * refused. An IPv6 reference is bracketed in sent-by (section 25.1); a
 * caller's brackets are kept. A host name or IPv4 address has no colon, an
 * IPv6 address at least two, so exactly one colon is a "host:port" that
 * belongs in via_port. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Nonzero when one of the 8 bytes at p is c (the "has a zero byte" test on
 * the word XORed with c: exact in telling whether one is). */
static inline uint64_t word_has(const char *p, uint8_t c) {
  uint64_t w;
  memcpy(&w, p, 8);
  const uint64_t x = w ^ (ONES * c);
  return (x - ONES) & ~x & HIGHS;
}

/* Whether a ':' or ']' may be in s: false for the usual host name or IPv4
 * address after a few word operations (the byte loop of host_form was a
 * tenth of the encoder's time). A value of 8 bytes or more ends with its
 * last 8 bytes, overlapping the word before. */
static bool may_have_colon_or_bracket(const char *s, size_t len) {
  if (len < 8) {
    for (size_t i = 0; i < len; i++)
      if (s[i] == ':' || s[i] == ']') return true;
    return false;
  }
  for (size_t i = 0; i + 8 <= len; i += 8)
    if (word_has(s + i, ':') | word_has(s + i, ']')) return true;
  return len % 8 && (word_has(s + len - 8, ':') | word_has(s + len - 8, ']'));
}

static int host_form(siphb_str h) {
  const char *s = h.ptr;
  if (s[0] == '[') return (h.len >= 3 && s[h.len - 1] == ']') ? 0 : -1;
  if (!may_have_colon_or_bracket(s, h.len)) return 0;
  size_t colons = 0;
  for (size_t i = 0; i < h.len; i++) {
    if (s[i] == ']') return -1;
    colons += s[i] == ':';
  }
  if (colons == 0) return 0;
  return colons == 1 ? -1 : 1;
}

/* Inside a quoted-string, '"' and '\' and the control characters other
 * than HTAB can only appear as a quoted-pair (section 25.1); CR, LF and NUL
 * have been refused already. */
static inline bool display_escaped(uint8_t c) {
  return c == '"' || c == '\\' || (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Bytes of a display name that need a backslash. Eight at a time: a word
 * is looked at byte by byte only when it may hold one (a byte below 0x20,
 * or a '"', '\\' or DEL: the "has a zero byte" test on the word XORed
 * with each), so the usual plain name costs a few operations per word. */
static size_t display_escapes(siphb_str s) {
  const uint8_t *p = (const uint8_t *)s.ptr;
  size_t n = s.len, count = 0;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    const char *c = (const char *)p;
    if ((((w - ONES * 0x20) & ~w) & HIGHS) | word_has(c, '"') | word_has(c, '\\') |
        word_has(c, 0x7f))
      for (unsigned i = 0; i < 8; i++) count += display_escaped(p[i]);
    p += 8;
    n -= 8;
  }
  while (n--) count += display_escaped(*p++);
  return count;
}

/* The quoted display name and the SP before the '<'; `escapes` is
 * display_escapes(s), so a plain name is one memcpy. */
static uint8_t *put_display(uint8_t *p, siphb_str s, size_t escapes) {
  *p++ = '"';
  if (escapes == 0) {
    p = siphb_put_str(p, s);
  } else {
    for (size_t i = 0; i < s.len; i++) {
      uint8_t c = (uint8_t)s.ptr[i];
      if (display_escaped(c)) *p++ = '\\';
      *p++ = c;
    }
  }
  return siphb_put(p, SIPHB_LIT(L_DISPLAY_END));
}

/* A "Name: value\r\n" line when the value is set. */
static inline size_t opt_line_len(size_t name_len, siphb_str v) {
  return v.len ? name_len + v.len + LEN(L_CRLF) : 0;
}

static inline uint8_t *put_opt_line(uint8_t *p, const char *name, size_t name_len,
                                    siphb_str v) {
  if (!v.len) return p;
  p = siphb_put(p, name, name_len);
  p = siphb_put_str(p, v);
  return siphb_put(p, SIPHB_LIT(L_CRLF));
}

/* Writes a generated identifier (random bytes as hex) or the caller's, and
 * returns where it ends; *id gets the slice. */
static inline uint8_t *put_id(uint8_t *p, bool generate, const uint8_t **rnd, size_t bytes,
                              siphb_str given, siphb_str *id) {
  id->ptr = (const char *)p;
  if (generate) {
    p = siphb_put_hex(p, *rnd, bytes);
    *rnd += bytes;
  } else {
    p = siphb_put_str(p, given);
  }
  id->len = (size_t)(p - (const uint8_t *)id->ptr);
  return p;
}

static siphb_ssize invalid(siphb_error_info *err, const char *why) {
  return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, why);
}

siphb_ssize siphb_sip_encode_options(uint8_t *buf, size_t cap, const siphb_sip_options *opt_in,
                                     siphb_sip_ids *ids, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!opt_in) return invalid(err, "opt is NULL");
  if (!buf && cap) return invalid(err, "buf is NULL");
  const void *view;
  siphb_sip_options full;
  int rv = siphb_sized_view(opt_in, &full, sizeof full, OPTIONS_MIN_SIZE, options_defaults_fn, &view);
  if (rv != 0) return siphb_sized_refuse(err, rv);
  const siphb_sip_options *opt = view;

  /* ---- validation: nothing is written or generated before it passes */
  const siphb_str to = opt->to_uri.len ? opt->to_uri : opt->request_uri;
  if (!opt->request_uri.len) return invalid(err, "request_uri is required");
  if (!opt->from_uri.len) return invalid(err, "from_uri is required");
  if (!opt->via_host.len) return invalid(err, "via_host is required");
  /* Section 8.1.1.5: the sequence number MUST be less than 2^31. Zero is
   * legal on the wire but is the "unset" value here. */
  if (opt->cseq == 0 || opt->cseq > (uint32_t)INT32_MAX)
    return invalid(err, "cseq must be 1 .. 2^31-1");
  /* Unsigned: an enum may be signed, unsigned or one byte. */
  if ((unsigned)opt->transport >= TRANSPORT_COUNT)
    return invalid(err, "transport: not one with a Via token (DTLS has none)");
  const bool gen_branch = opt->branch.len == 0;
  const bool gen_tag = opt->from_tag.len == 0;
  const bool gen_call_id = opt->call_id.len == 0;
  if ((gen_branch || gen_tag || gen_call_id) && !opt->random)
    return invalid(err, "random is required to generate branch, from_tag or call_id");
  const char *bad = bad_value(opt);
  if (bad) return invalid(err, bad);
  const int host = host_form(opt->via_host);
  if (host < 0)
    return invalid(err, "via_host: unbalanced brackets, or a port (set via_port instead)");

  /* ---- the exact size */
  const unsigned tp = (unsigned)opt->transport;
  const unsigned port_len = opt->via_port ? siphb_dec_len(opt->via_port) : 0;
  const unsigned mf_len = siphb_dec_len(opt->max_forwards);
  const unsigned cseq_len = siphb_dec_len(opt->cseq);
  const size_t branch_len = gen_branch ? LEN(L_COOKIE) + 2 * RAND_BRANCH : opt->branch.len;
  const size_t tag_len = gen_tag ? 2 * RAND_TAG : opt->from_tag.len;
  const size_t call_id_len = gen_call_id ? 2 * RAND_CALL_ID : opt->call_id.len;
  /* Every value is at most SIPHB_OUT_MAX_VALUE (checked above), so this
   * sum of fewer than 32 of them cannot overflow. */
  size_t n = LEN(L_METHOD) + opt->request_uri.len + LEN(L_VIA) + transports[tp].len + 1 +
             opt->via_host.len + (host ? 2 : 0) + (port_len ? 1 + port_len : 0) + LEN(L_BRANCH) +
             branch_len + (opt->rport ? LEN(L_RPORT) : 0) + (opt->keep ? LEN(L_KEEP) : 0) +
             LEN(L_MAX_FORWARDS) + mf_len + LEN(L_TO) + to.len + LEN(L_FROM) + 1 +
             opt->from_uri.len + LEN(L_TAG) + tag_len + LEN(L_CALL_ID) + call_id_len +
             LEN(L_CSEQ) + cseq_len + LEN(L_CSEQ_END) + LEN(L_END);
  const size_t escapes = opt->from_display.len ? display_escapes(opt->from_display) : 0;
  if (opt->from_display.len) n += 1 + opt->from_display.len + escapes + LEN(L_DISPLAY_END);
  if (opt->contact_uri.len) n += LEN(L_CONTACT) + opt->contact_uri.len + LEN(L_CONTACT_END);
  n += opt_line_len(LEN(L_ACCEPT), opt->accept) + opt_line_len(LEN(L_SUPPORTED), opt->supported) +
       opt_line_len(LEN(L_ALLOW), opt->allow) + opt_line_len(LEN(L_USER_AGENT), opt->user_agent);
  if (n > cap) return siphb_fail(err, SIPHB_ERR_NOBUF, 0, n, "buffer too small for the request");

  /* ---- the identifiers: one call for every random byte */
  uint8_t rnd[RAND_BRANCH + RAND_TAG + RAND_CALL_ID];
  const size_t rnd_len = (gen_branch ? RAND_BRANCH : 0) + (gen_tag ? RAND_TAG : 0) +
                         (gen_call_id ? RAND_CALL_ID : 0);
  if (rnd_len && opt->random(rnd, rnd_len, opt->random_user_data) != 0)
    return siphb_fail(err, SIPHB_ERR_CALLBACK_FAILURE, 0, 0, "random failed");
  const uint8_t *r = rnd;
  siphb_sip_ids out_ids;
  memset(&out_ids, 0, sizeof out_ids);

  /* ---- one writing pass */
  uint8_t *p = buf;
  p = siphb_put(p, SIPHB_LIT(L_METHOD));
  p = siphb_put_str(p, opt->request_uri);
  p = siphb_put(p, SIPHB_LIT(L_VIA));
  p = siphb_put(p, transports[tp].name, transports[tp].len);
  *p++ = ' ';
  if (host) *p++ = '[';
  p = siphb_put_str(p, opt->via_host);
  if (host) *p++ = ']';
  if (port_len) {
    *p++ = ':';
    p = siphb_put_dec(p, opt->via_port, port_len);
  }
  p = siphb_put(p, SIPHB_LIT(L_BRANCH));
  if (gen_branch) {
    /* The slice covers the cookie too: it is the whole branch value, as
     * the parser returns it from the response's Via. */
    out_ids.branch.ptr = (const char *)p;
    p = siphb_put(p, SIPHB_LIT(L_COOKIE));
    p = siphb_put_hex(p, r, RAND_BRANCH);
    r += RAND_BRANCH;
    out_ids.branch.len = branch_len;
  } else {
    p = put_id(p, false, &r, 0, opt->branch, &out_ids.branch);
  }
  if (opt->rport) p = siphb_put(p, SIPHB_LIT(L_RPORT));
  if (opt->keep) p = siphb_put(p, SIPHB_LIT(L_KEEP));
  p = siphb_put(p, SIPHB_LIT(L_MAX_FORWARDS));
  p = siphb_put_dec(p, opt->max_forwards, mf_len);
  p = siphb_put(p, SIPHB_LIT(L_TO));
  p = siphb_put_str(p, to);
  p = siphb_put(p, SIPHB_LIT(L_FROM));
  if (opt->from_display.len) p = put_display(p, opt->from_display, escapes);
  *p++ = '<';
  p = siphb_put_str(p, opt->from_uri);
  p = siphb_put(p, SIPHB_LIT(L_TAG));
  p = put_id(p, gen_tag, &r, RAND_TAG, opt->from_tag, &out_ids.from_tag);
  p = siphb_put(p, SIPHB_LIT(L_CALL_ID));
  p = put_id(p, gen_call_id, &r, RAND_CALL_ID, opt->call_id, &out_ids.call_id);
  p = siphb_put(p, SIPHB_LIT(L_CSEQ));
  p = siphb_put_dec(p, opt->cseq, cseq_len);
  p = siphb_put(p, SIPHB_LIT(L_CSEQ_END));
  if (opt->contact_uri.len) {
    p = siphb_put(p, SIPHB_LIT(L_CONTACT));
    p = siphb_put_str(p, opt->contact_uri);
    p = siphb_put(p, SIPHB_LIT(L_CONTACT_END));
  }
  p = put_opt_line(p, SIPHB_LIT(L_ACCEPT), opt->accept);
  p = put_opt_line(p, SIPHB_LIT(L_SUPPORTED), opt->supported);
  p = put_opt_line(p, SIPHB_LIT(L_ALLOW), opt->allow);
  p = put_opt_line(p, SIPHB_LIT(L_USER_AGENT), opt->user_agent);
  p = siphb_put(p, SIPHB_LIT(L_END));
  SIPHB_ASSERT((size_t)(p - buf) == n);
  SIPHB_ASSERT((size_t)(r - rnd) == rnd_len);
  (void)r;

  if (ids) *ids = out_ids;
  return (siphb_ssize)n;
}
