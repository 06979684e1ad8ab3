/*
 * sip_iter.c - walking a parsed message again: every header line, every
 * Via and Contact value, every token of a list header; token lookup and
 * unfolding of raw values.
 *
 * The parser has validated every line and every Via/Contact value, so the
 * walkers only split; they still never step past the header block.
 */
#include <siphb/sip.h>

#include <string.h>

#include "sip/sip_lex.h"
#include "sip/sip_values.h"

void siphb_sip_iter_init(siphb_sip_iter *it, const siphb_sip_msg *msg) {
  if (!it) return;
  memset(it, 0, sizeof *it);
  if (!msg || !msg->headers.ptr) return;
  it->msg_start_ = msg->start_line.ptr;
  it->next_line_ = msg->headers.ptr;
  it->stop_ = msg->headers.ptr + msg->headers.len;
}

bool siphb_sip_next_header(siphb_sip_iter *it, siphb_sip_header *out) {
  if (!it || !out || !it->next_line_ || it->next_line_ >= it->stop_) return false;
  const char *line = it->next_line_, *stop = it->stop_;
  const char *name_end = siphb_skip_class(line, stop, SIPHB_CC_TOKEN);
  const char *colon = memchr(name_end, ':', (size_t)(stop - name_end));
  const char *lf = colon ? memchr(colon, '\n', (size_t)(stop - colon)) : NULL;
  while (lf && lf + 1 < stop && (lf[1] == ' ' || lf[1] == '\t'))
    lf = memchr(lf + 1, '\n', (size_t)(stop - lf - 1));
  if (!lf) { /* cannot happen in a parsed block; end the walk */
    it->next_line_ = stop;
    return false;
  }
  const char *v_end = lf[-1] == '\r' ? lf - 1 : lf; /* a lenient parse allows LF alone */
  const char *v = siphb_skip_lws(colon + 1, v_end);
  out->name = siphb_mkstr(line, name_end);
  out->value = siphb_mkstr(v, siphb_trim_end(v, v_end));
  out->id = siphb_sip_hdr_from(out->name);
  out->offset = it->msg_start_ ? (size_t)(line - it->msg_start_) : 0;
  out->reserved_[0] = 0;
  it->next_line_ = lf + 1;
  return true;
}

/* One element of a comma list at p: fills *out, returns where it ends (at
 * ',' or end), or NULL. */
typedef const char *(*item_fn)(const char *p, const char *end, void *out);

static bool next_item(siphb_sip_iter *it, siphb_sip_hdr hdr, item_fn parse, void *out) {
  for (;;) {
    if (it->value_) {
      const char *next = parse(it->value_, it->value_end_, out);
      it->value_ = next && next < it->value_end_ ? next + 1 : NULL;
      if (next) return true;
      continue;
    }
    siphb_sip_header h;
    if (!siphb_sip_next_header(it, &h)) return false;
    if (h.id == hdr && h.value.len) {
      it->value_ = h.value.ptr;
      it->value_end_ = h.value.ptr + h.value.len;
    }
  }
}

static const char *via_item(const char *p, const char *end, void *out) {
  siphb_sip_verr e;
  const char *next;
  return siphb_sip_parse_via(p, end, out, &next, &e) ? NULL : next;
}

static const char *contact_item(const char *p, const char *end, void *out) {
  siphb_sip_verr e;
  const char *next;
  return siphb_sip_parse_addr(p, end, true, out, &next, &e) ? NULL : next;
}

/* One element of a comma list: a token (Supported, Allow) or anything up
 * to the next comma outside quotes (Accept: application/sdp;q=0.5). */
static const char *token_item(const char *p, const char *end, void *out) {
  p = siphb_skip_lws(p, end);
  const char *q = p;
  while (q < end && *q != ',') {
    if (*q == '"') {
      const char *closed = siphb_skip_quoted(q, end);
      q = closed ? closed : end;
    } else {
      q++;
    }
  }
  *(siphb_str *)out = siphb_mkstr(p, siphb_trim_end(p, q));
  return q;
}

bool siphb_sip_next_via(siphb_sip_iter *it, siphb_sip_via *out) {
  return it && out && next_item(it, SIPHB_SIP_HDR_VIA, via_item, out);
}

bool siphb_sip_next_contact(siphb_sip_iter *it, siphb_sip_addr *out) {
  return it && out && next_item(it, SIPHB_SIP_HDR_CONTACT, contact_item, out);
}

bool siphb_sip_next_token(siphb_sip_iter *it, siphb_sip_hdr hdr, siphb_str *out) {
  if (!it || !out || hdr == SIPHB_SIP_HDR_OTHER) return false;
  /* Empty elements ("a, , b", a trailing comma in a header the parser does
   * not check) are skipped. */
  while (next_item(it, hdr, token_item, out))
    if (out->len) return true;
  return false;
}

bool siphb_sip_has_token(const siphb_sip_msg *msg, siphb_sip_hdr hdr, const char *token) {
  if (!msg || !token || !siphb_sip_msg_has(msg, hdr)) return false;
  size_t n = strlen(token);
  siphb_sip_iter it;
  siphb_str t;
  siphb_sip_iter_init(&it, msg);
  while (siphb_sip_next_token(&it, hdr, &t)) {
    if (t.len != n) continue;
    size_t i = 0;
    while (i < n && siphb_lower((uint8_t)t.ptr[i]) == siphb_lower((uint8_t)token[i])) i++;
    if (i == n) return true;
  }
  return false;
}

siphb_ssize siphb_sip_unfold(siphb_str value, char *out, size_t cap) {
  if ((!value.ptr && value.len) || (!out && cap)) return SIPHB_ERR_INVALID_ARGUMENT;
  if (value.len == 0) return 0; /* also keeps NULL + 0 out of the arithmetic below */
  const char *p = value.ptr, *end = value.ptr + value.len;
  size_t n = 0;
  while (p < end) {
    /* A fold: blanks, CRLF, blanks -> one SP (RFC 3261 section 7.3.1);
     * the LF alone of a lenient parse counts as a CRLF. */
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    size_t eol = end - q >= 2 && q[0] == '\r' && q[1] == '\n' ? 2 : q < end && q[0] == '\n';
    if (eol) {
      q += eol;
      while (q < end && (*q == ' ' || *q == '\t')) q++;
      if (n >= cap) return SIPHB_ERR_NOBUF;
      out[n++] = ' ';
      p = q;
      continue;
    }
    if (q == p) q++; /* not a blank: copy one byte */
    if ((size_t)(q - p) > cap - n) return SIPHB_ERR_NOBUF;
    memcpy(out + n, p, (size_t)(q - p));
    n += (size_t)(q - p);
    p = q;
  }
  return (siphb_ssize)n;
}
