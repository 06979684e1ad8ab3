/*
 * sip_respond.c - the OPTIONS responder: a response to a parsed request,
 * built as RFC 3261 section 8.2.6 says a UAS builds one.
 *
 *   SIP/2.0 <status> <reason>
 *   Via: <each Via line of the request, in order>
 *   From: <the request's From>
 *   To: <the request's To>[;tag=<tag>]
 *   Call-ID: <the request's Call-ID>
 *   CSeq: <the request's CSeq number and method>
 *   [Allow: ...] [Accept: ...] [Supported: ...] [Server: ...]
 *   [Contact: <<contact_uri>>]
 *   [extra_headers, whole lines as given]
 *   Content-Length: 0
 *
 * Section 8.2.6.2: From, Call-ID, CSeq and the Via values are copied, the
 * Vias in their order (a proxy or the client transport matches on the top
 * one, section 18.1.2); To is copied and gets a tag when it has none. Each
 * Via line is copied as one line, so a comma list stays a comma list: the
 * values and their order are what section 8.2.6.2 asks to keep.
 *
 * Values are copied as received but unfolded (section 7.3.1), so the
 * response never carries a line break inside a header. Header names are
 * written in their long form whatever form the request used (section 7.3.3
 * lets either be sent).
 *
 * One pass with the bounded writer of outbuf.h, which keeps counting past
 * the end of the buffer: it yields the message or the exact size. The To
 * tag, when generated, is left as a hole and filled only once the response
 * is known to fit, so a SIPHB_ERR_NOBUF costs no call to `random`.
 *
 * Given the request's source address (source_ip, source_port), the top Via
 * gets received= and the value of an empty rport (RFC 3261 section 18.2.1,
 * RFC 3581 section 4), as sip_respond_via.c decides and writes; siphb still
 * parses no socket address, the integrator hands over the text.
 *
 * ACK is refused: it never gets a response (sections 17 and 17.2.1), and
 * answering one is a loop waiting to happen with a peer that answers back.
 */
#include <siphb/sip.h>

#include <string.h>

#include "base/assert.h"
#include "base/error_info.h"
#include "base/sized.h"
#include "sip/outbuf.h"
#include "sip/sip_respond_via.h"

#define RAND_TO_TAG ((size_t)SIPHB_SIP_TAG_BITS / 8)

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define RESPONSE_MIN_SIZE (offsetof(siphb_sip_response, random_user_data) + sizeof(void *))

static void response_defaults(siphb_sip_response *rsp) {
  memset(rsp, 0, sizeof(*rsp));
  rsp->size = (uint32_t)sizeof *rsp;
  rsp->status = 200;
}

static void response_defaults_fn(void *rsp) { response_defaults(rsp); }

void siphb_sip_response_init(siphb_sip_response *rsp, size_t size) {
  siphb_sip_response d;
  response_defaults(&d);
  siphb_sized_init(rsp, size, &d, sizeof d, RESPONSE_MIN_SIZE);
}

/* Every caller-supplied text and the name that an error gives it. */
static const siphb_out_field text_fields[] = {
    {offsetof(siphb_sip_response, reason), "reason: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_response, to_tag), "to_tag: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_response, allow), "allow: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_response, accept), "accept: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_response, supported), "supported: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_response, server), "server: CR, LF or NUL, or too long"},
    {offsetof(siphb_sip_response, contact_uri), "contact_uri: CR, LF or NUL, or too long"},
};

static const char *bad_value(const siphb_sip_response *rsp) {
  return siphb_out_first_bad(rsp, text_fields, sizeof text_fields / sizeof text_fields[0]);
}

static siphb_ssize invalid(siphb_error_info *err, const char *why) {
  return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, why);
}

/* extra_headers must be whole header lines, each ended by CRLF: a bare CR
 * or LF would end a header where the caller did not mean it, an empty line
 * would end the header block (and make Content-Length part of a body), a
 * line starting with a blank would fold into the line before (RFC 3261
 * section 7.3.1), and NUL ends the message for many C stacks. The header
 * names and values are the caller's: siphb_st_encode() writes such lines. */
static bool extra_headers_ok(siphb_str x) {
  if (x.len == 0) return true;
  if (!x.ptr || x.len > SIPHB_OUT_MAX_VALUE) return false;
  const char *p = x.ptr, *end = x.ptr + x.len;
  while (p < end) {
    if (*p == ' ' || *p == '\t') return false; /* a fold, or an empty line */
    const char *q = p;
    while (q < end && !siphb_out_bad_byte((uint8_t)*q)) q++;
    if (q == p || end - q < 2 || q[0] != '\r' || q[1] != '\n') return false;
    p = q + 2;
  }
  return true;
}

/* A "Name: value\r\n" line when the value is set. */
static void opt_line(siphb_outbuf *ob, const char *name, size_t name_len, siphb_str v) {
  if (!v.len) return;
  siphb_ob_put(ob, name, name_len);
  siphb_ob_put_str(ob, v);
  siphb_ob_put(ob, SIPHB_LIT("\r\n"));
}

static siphb_str sub(const char *p, const char *end) {
  siphb_str s = {p, (size_t)(end - p)};
  return s;
}

/* Is the top via-parm a part of the header value `line`? (It always is of
 * the first Via line; checked rather than trusted.) */
static bool top_via_in(siphb_str line, siphb_str top) {
  return top.len && top.ptr >= line.ptr && top.len <= line.len &&
         (size_t)(top.ptr - line.ptr) <= line.len - top.len;
}

/* The headers a response copies must all be there: a lenient parse lets a
 * request through without them, but a response without them could not be
 * matched to its transaction (sections 8.1.3.3 and 17.1.3). */
static bool has_copied_headers(const siphb_sip_msg *req) {
  return siphb_sip_msg_has(req, SIPHB_SIP_HDR_VIA) && siphb_sip_msg_has(req, SIPHB_SIP_HDR_FROM) &&
         siphb_sip_msg_has(req, SIPHB_SIP_HDR_TO) &&
         siphb_sip_msg_has(req, SIPHB_SIP_HDR_CALL_ID) &&
         siphb_sip_msg_has(req, SIPHB_SIP_HDR_CSEQ) && req->cseq_method.len != 0;
}

siphb_ssize siphb_sip_encode_response(uint8_t *buf, size_t cap, const siphb_sip_msg *req,
                                      const siphb_sip_response *rsp_in, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!req) return invalid(err, "req is NULL");
  if (!rsp_in) return invalid(err, "rsp is NULL");
  if (!buf && cap) return invalid(err, "buf is NULL");
  const void *view;
  siphb_sip_response full;
  int rv = siphb_sized_view(rsp_in, &full, sizeof full, RESPONSE_MIN_SIZE, response_defaults_fn,
                            &view);
  if (rv != 0) return siphb_sized_refuse(err, rv);
  const siphb_sip_response *rsp = view;
  if (!req->is_request) return invalid(err, "req is a response");
  if (req->method_id == SIPHB_SIP_METHOD_ACK)
    return invalid(err, "req is an ACK, which gets no response (RFC 3261 section 17)");
  if (!has_copied_headers(req))
    return invalid(err, "req lacks Via, From, To, Call-ID or CSeq (a lenient parse)");
  /* Section 7.2: a status code is three digits, 100 to 699. */
  if (rsp->status < 100 || rsp->status > 699) return invalid(err, "status must be 100 .. 699");
  const char *bad = bad_value(rsp);
  if (bad) return invalid(err, bad);
  if (!extra_headers_ok(rsp->extra_headers))
    return invalid(err, "extra_headers: not whole lines each ended by CRLF (an empty line, "
                        "a fold, a bare CR or LF, or NUL)");
  siphb_via_reply plan;
  bad = siphb_via_reply_plan(&req->via, rsp->source_ip, rsp->source_port, &plan);
  if (bad) return invalid(err, bad);
  /* Section 8.2.6.2: the UAS MUST add a tag to a To without one (it MAY
   * for a 100, which gets one too: simpler, and allowed). */
  const bool add_tag = req->to.tag.len == 0;
  const bool gen_tag = add_tag && rsp->to_tag.len == 0;
  if (gen_tag && !rsp->random) return invalid(err, "random is required to generate to_tag");
  const siphb_str reason = rsp->reason.len ? rsp->reason : siphb_str_c(siphb_sip_reason(rsp->status));

  siphb_outbuf ob;
  siphb_ob_init(&ob, buf, cap);
  siphb_ob_put(&ob, SIPHB_LIT("SIP/2.0 "));
  siphb_ob_put_dec(&ob, rsp->status);
  siphb_ob_put(&ob, SIPHB_LIT(" "));
  siphb_ob_put_str(&ob, reason);
  siphb_ob_put(&ob, SIPHB_LIT("\r\n"));

  /* Every Via line, in message order, whatever lies between them. With a
   * single Via value (the usual OPTIONS straight from a proxy or a phone)
   * the parser's top Via is that whole line, and walking the header block
   * again would cost more than all the rest of the response. */
  if (req->via_count == 1 && req->via.value.len) {
    siphb_ob_put(&ob, SIPHB_LIT("Via: "));
    siphb_via_reply_put(&ob, req->via.value, &plan);
    siphb_ob_put(&ob, SIPHB_LIT("\r\n"));
  } else {
    siphb_sip_iter it;
    siphb_sip_header h;
    siphb_sip_iter_init(&it, req);
    size_t vias = 0;
    while (siphb_sip_next_header(&it, &h)) {
      if (h.id != SIPHB_SIP_HDR_VIA) continue;
      siphb_ob_put(&ob, SIPHB_LIT("Via: "));
      if (vias == 0 && top_via_in(h.value, req->via.value)) {
        /* The first line holds the top Via, maybe in a comma list. */
        const char *top = req->via.value.ptr, *top_end = top + req->via.value.len;
        siphb_ob_put_unfolded(&ob, sub(h.value.ptr, top));
        siphb_via_reply_put(&ob, req->via.value, &plan);
        siphb_ob_put_unfolded(&ob, sub(top_end, h.value.ptr + h.value.len));
      } else {
        siphb_ob_put_unfolded(&ob, h.value);
      }
      siphb_ob_put(&ob, SIPHB_LIT("\r\n"));
      vias++;
    }
    /* The parser said a Via is there; an iterator that disagrees is a bug,
     * and a response without a Via must not go out. */
    if (vias == 0) return invalid(err, "req: no Via line found again");
  }

  siphb_ob_put(&ob, SIPHB_LIT("From: "));
  siphb_ob_put_unfolded(&ob, req->from.value);
  siphb_ob_put(&ob, SIPHB_LIT("\r\nTo: "));
  siphb_ob_put_unfolded(&ob, req->to.value);
  size_t tag_at = 0;
  if (add_tag) {
    siphb_ob_put(&ob, SIPHB_LIT(";tag="));
    if (gen_tag)
      tag_at = siphb_ob_reserve(&ob, 2 * RAND_TO_TAG);
    else
      siphb_ob_put_str(&ob, rsp->to_tag);
  }
  siphb_ob_put(&ob, SIPHB_LIT("\r\nCall-ID: "));
  siphb_ob_put_str(&ob, req->call_id); /* a word, never folded (section 25.1) */
  /* Written from the parsed number and method: equal to the request's
   * CSeq as section 8.2.6.2 requires (CSeq compares numerically), without
   * its spacing or folds. */
  siphb_ob_put(&ob, SIPHB_LIT("\r\nCSeq: "));
  siphb_ob_put_dec(&ob, req->cseq);
  siphb_ob_put(&ob, SIPHB_LIT(" "));
  siphb_ob_put_str(&ob, req->cseq_method);
  siphb_ob_put(&ob, SIPHB_LIT("\r\n"));

  /* Section 11.2: a 200 to OPTIONS SHOULD list Allow, Accept and
   * Supported; which ones is the caller's choice. */
  opt_line(&ob, SIPHB_LIT("Allow: "), rsp->allow);
  opt_line(&ob, SIPHB_LIT("Accept: "), rsp->accept);
  opt_line(&ob, SIPHB_LIT("Supported: "), rsp->supported);
  opt_line(&ob, SIPHB_LIT("Server: "), rsp->server);
  if (rsp->contact_uri.len) {
    siphb_ob_put(&ob, SIPHB_LIT("Contact: <"));
    siphb_ob_put_str(&ob, rsp->contact_uri);
    siphb_ob_put(&ob, SIPHB_LIT(">\r\n"));
  }
  siphb_ob_put_str(&ob, rsp->extra_headers);
  siphb_ob_put(&ob, SIPHB_LIT("Content-Length: 0\r\n\r\n"));

  if (ob.len > cap)
    return siphb_fail(err, SIPHB_ERR_NOBUF, 0, ob.len, "buffer too small for the response");
  if (gen_tag) {
    uint8_t rnd[RAND_TO_TAG];
    if (rsp->random(rnd, sizeof(rnd), rsp->random_user_data) != 0)
      return siphb_fail(err, SIPHB_ERR_CALLBACK_FAILURE, 0, 0, "random failed");
    siphb_put_hex(buf + tag_at, rnd, sizeof(rnd));
  }
  SIPHB_ASSERT(ob.len <= (size_t)PTRDIFF_MAX);
  return (siphb_ssize)ob.len;
}
