/*
 * fuzz_st.c - libFuzzer harness for the RFC 4028 session-timer functions
 * (siphb/st.h).
 *
 * The input is three parts separated by the first two LF bytes:
 *   line 1   a Session-Expires value for siphb_st_parse_session_expires();
 *   line 2   a Min-SE value for siphb_st_parse_min_se();
 *   the rest a whole SIP message (siphb_sip_parse(), datagram, strict and
 *            lenient), read by siphb_st_from_msg().
 * The config of the negotiation comes from the first bytes of the message
 * part (fixed positions, so that real messages are seeds as they are; a
 * part shorter than that gives the defaults). Each value is parsed from a
 * heap block of exactly its length.
 *
 * Aborts on: a parser error that is not one of the documented codes (or
 * SIPHB_ERR_SIP_MULTIPLE_VALUES for a comma, SIPHB_ERR_SIP_QUOTE for an
 * unterminated quoted value: not in the header), lacks its message or points
 * past the value; SIPHB_ERR_SIP_SESSION_INTERVAL without the value below
 * 90 written; a success below 90 or with a params slice outside the value.
 * Then every negotiation function runs on the message's view and on a view
 * built from the two parsed values, with the fuzzed config, and every
 * result must hold together:
 *   - an invalid config: SIPHB_ERR_INVALID_ARGUMENT from every function;
 *   - REJECT: 400 exactly for a malformed view, else 422 with Min-SE >= 90,
 *     the local minimum and the request's, and above the interval asked
 *     for by a UAC that supports timer;
 *   - ACCEPT active (UAS, proxy): interval >= 90 and >= Min-SE, never above
 *     the request's when the UAC supports timer, the section 9 refresher
 *     table, Require: timer exactly with refresher=uac;
 *   - the UAC's offer and its reading of the response (with the message's
 *     own status, or one from the input): RETRY only after a 422 with a
 *     Min-SE above the interval offered, GIVE_UP only after a 422;
 *   - siphb_st_encode() on every result: the length it returns is what it
 *     writes (in a block of exactly that size, no byte past it), NOBUF with
 *     need = that length at an input-chosen capacity below it, no byte
 *     written past the capacity, and the text parses back (every line,
 *     through the value parsers) to the result's values.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <siphb/sip.h>
#include <siphb/st.h>

#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Known library behaviour the harness tolerates until it is settled (see
 * fuzz/README.md): a UAC whose offer had no Session-Expires (config
 * session_expires_s 0) retries a 422 with the 422's Min-SE as the interval
 * but its own larger Min-SE, so Session-Expires < Min-SE in the retry.
 * Reproducer: regressions/st/retry-below-own-min-se.txt. Define to 0 to
 * see it fail. */
static uint32_t max32(uint32_t a, uint32_t b) { return a > b ? a : b; }

static bool malformed(const siphb_st_header *h) {
  return h->error != 0 && h->error != SIPHB_ERR_SIP_SESSION_INTERVAL;
}

/* ---- value parsers ---------------------------------------------------------- */

static void check_value_error(int rc, const siphb_error_info *err, size_t len, bool se) {
  FUZZ_CHECK(err->code == rc);
  FUZZ_CHECK(err->message != NULL && err->message[0] != '\0');
  FUZZ_CHECK(err->offset <= len);
  FUZZ_CHECK(err->need == 0);
  /* siphb/st.h lists NUMBER, PARAM, REFRESHER (Session-Expires) and
   * SESSION_INTERVAL; the shared lexer also gives MULTIPLE_VALUES for a
   * top-level comma and QUOTE for an unterminated quoted parameter value
   * (regressions/st/unterminated-quote.txt), which the header does not
   * list. */
  FUZZ_CHECK(rc == SIPHB_ERR_SIP_NUMBER || rc == SIPHB_ERR_SIP_PARAM ||
             rc == SIPHB_ERR_SIP_SESSION_INTERVAL || rc == SIPHB_ERR_SIP_MULTIPLE_VALUES ||
             rc == SIPHB_ERR_SIP_QUOTE || (se && rc == SIPHB_ERR_SIP_REFRESHER));
  if (rc == SIPHB_ERR_SIP_SESSION_INTERVAL) FUZZ_CHECK(err->offset == 0);
}

/* Parses the Session-Expires value; fills the part of *h it speaks for. */
static void fuzz_session_expires(const uint8_t *p, size_t len, siphb_st_header *h) {
  char *v = malloc(len ? len : 1);
  FUZZ_CHECK(v != NULL);
  if (len) memcpy(v, p, len);
  siphb_st_session_expires se;
  siphb_error_info err;
  memset(&se, 0xa5, sizeof se);
  int rc = siphb_st_parse_session_expires((siphb_str){v, len}, &se, &err);
  if (rc == 0) {
    FUZZ_CHECK(err.code == 0 && err.message == NULL);
    FUZZ_CHECK(se.delta_s >= SIPHB_ST_MIN_SE);
  } else {
    check_value_error(rc, &err, len, true);
  }
  if (rc == 0 || rc == SIPHB_ERR_SIP_SESSION_INTERVAL) {
    if (rc != 0) FUZZ_CHECK(se.delta_s < SIPHB_ST_MIN_SE);
    FUZZ_CHECK((unsigned)se.refresher <= SIPHB_SIP_REFRESHER_UAS);
    FUZZ_CHECK(fuzz_slice_inside(se.params, v, v + len));
    if (se.params.len) FUZZ_CHECK(se.params.ptr[0] == ';');
    h->has_session_expires = true;
    h->session_expires_s = se.delta_s;
    h->refresher = se.refresher;
  }
  if (rc != 0 && h->error == 0) h->error = rc;
  /* the same value again without an error record gives the same answer */
  siphb_st_session_expires again;
  FUZZ_CHECK(siphb_st_parse_session_expires((siphb_str){v, len}, &again, NULL) == rc);
  free(v);
}

static void fuzz_min_se(const uint8_t *p, size_t len, siphb_st_header *h) {
  char *v = malloc(len ? len : 1);
  FUZZ_CHECK(v != NULL);
  if (len) memcpy(v, p, len);
  uint32_t m = 0xa5a5a5a5u;
  siphb_error_info err;
  int rc = siphb_st_parse_min_se((siphb_str){v, len}, &m, &err);
  if (rc == 0) {
    FUZZ_CHECK(err.code == 0 && m >= SIPHB_ST_MIN_SE);
  } else {
    check_value_error(rc, &err, len, false);
  }
  if (rc == SIPHB_ERR_SIP_SESSION_INTERVAL) FUZZ_CHECK(m < SIPHB_ST_MIN_SE);
  if (rc == 0 || rc == SIPHB_ERR_SIP_SESSION_INTERVAL) {
    h->has_min_se = true;
    h->min_se_s = m;
  }
  if (rc != 0 && h->error == 0) h->error = rc;
  free(v);
}

/* ---- encode ------------------------------------------------------------------- */

/* The encoded text read back: each line through the value parsers. */
static void check_reparse(const char *t, size_t n, const siphb_st_result *r) {
  bool sup = false, req = false, has_se = false, has_min = false;
  uint32_t se_v = 0, min_v = 0;
  siphb_sip_refresher rf = SIPHB_SIP_REFRESHER_NONE;
  size_t i = 0;
  while (i < n) {
    const char *eol = memchr(t + i, '\r', n - i);
    FUZZ_CHECK(eol != NULL && eol + 1 < t + n && eol[1] == '\n');
    size_t ll = (size_t)(eol - (t + i));
    const char *line = t + i;
    if (ll == 16 && memcmp(line, "Supported: timer", 16) == 0) {
      FUZZ_CHECK(!sup);
      sup = true;
    } else if (ll == 14 && memcmp(line, "Require: timer", 14) == 0) {
      FUZZ_CHECK(!req);
      req = true;
    } else if (ll > 17 && memcmp(line, "Session-Expires: ", 17) == 0) {
      FUZZ_CHECK(!has_se);
      siphb_st_session_expires se;
      int rc = siphb_st_parse_session_expires((siphb_str){line + 17, ll - 17}, &se, NULL);
      FUZZ_CHECK(rc == 0 || rc == SIPHB_ERR_SIP_SESSION_INTERVAL);
      FUZZ_CHECK(se.params.len == 0 || se.refresher != SIPHB_SIP_REFRESHER_NONE);
      has_se = true;
      se_v = se.delta_s;
      rf = se.refresher;
    } else if (ll > 8 && memcmp(line, "Min-SE: ", 8) == 0) {
      FUZZ_CHECK(!has_min);
      int rc = siphb_st_parse_min_se((siphb_str){line + 8, ll - 8}, &min_v, NULL);
      FUZZ_CHECK(rc == 0 || rc == SIPHB_ERR_SIP_SESSION_INTERVAL);
      has_min = true;
    } else {
      FUZZ_CHECK(0 && "unexpected line in the encoded headers");
    }
    i += ll + 2;
  }
  if (r->action == SIPHB_ST_ACTION_REJECT) {
    FUZZ_CHECK(!sup && !req && !has_se);
    FUZZ_CHECK(has_min == (r->status == 422));
    if (has_min) FUZZ_CHECK(min_v == r->min_se_s);
    return;
  }
  FUZZ_CHECK(sup == r->supported_timer && req == r->require_timer);
  FUZZ_CHECK(has_se == r->has_session_expires && has_min == r->has_min_se);
  if (has_se) FUZZ_CHECK(se_v == r->interval_s && rf == r->refresher);
  if (has_min) FUZZ_CHECK(min_v == r->min_se_s);
}

static void check_encode(const siphb_st_result *r, uint8_t cut) {
  siphb_error_info err;
  siphb_ssize n = siphb_st_encode(NULL, 0, r, &err);
  if (n == 0) { /* nothing to write: a REJECT 400, or an ACCEPT with nothing set */
    FUZZ_CHECK(err.code == 0);
    return;
  }
  FUZZ_CHECK(n == SIPHB_ERR_NOBUF && err.code == n && err.need > 0 && err.need < 256);
  size_t len = err.need;
  /* exactly that size: ASan sees any byte past it */
  char *buf = malloc(len);
  FUZZ_CHECK(buf != NULL);
  FUZZ_CHECK(siphb_st_encode(buf, len, r, &err) == (siphb_ssize)len);
  FUZZ_CHECK(err.code == 0 && err.need == 0);
  check_reparse(buf, len, r);
  /* with room for the NUL */
  char *z = malloc(len + 1);
  FUZZ_CHECK(z != NULL);
  FUZZ_CHECK(siphb_st_encode(z, len + 1, r, NULL) == (siphb_ssize)len);
  FUZZ_CHECK(z[len] == '\0' && memcmp(z, buf, len) == 0);
  free(z);
  /* a capacity below: NOBUF with the exact need, nothing written past it */
  size_t cap = (size_t)cut % len;
  char *small = malloc(len + 8);
  FUZZ_CHECK(small != NULL);
  memset(small, 0xa5, len + 8);
  FUZZ_CHECK(siphb_st_encode(small, cap, r, &err) == SIPHB_ERR_NOBUF);
  FUZZ_CHECK(err.need == len);
  for (size_t i = cap; i < len + 8; i++) FUZZ_CHECK((uint8_t)small[i] == 0xa5);
  free(small);
  free(buf);
}

/* ---- negotiation ---------------------------------------------------------------- */

/* What the config from the input is, and whether the library must take it. */
typedef struct fuzz_cfg {
  siphb_st_config cfg;
  bool valid;
  uint32_t min_se_seen;
  siphb_sip_refresher refresher; /* may be out of range */
  unsigned status;               /* may be out of range */
  uint8_t cut;
} fuzz_cfg;

static void make_cfg(fuzz_cfg *f, const uint8_t *p, size_t n) {
  static const uint32_t se_tab[8] = {0, 90, 100, 600, 1800, 3600, 86400, UINT32_MAX};
  static const uint32_t min_tab[8] = {90, 90, 120, 600, 1800, 90, 4000, 89}; /* 89: invalid */
  static const uint32_t seen_tab[8] = {0, 0, 90, 100, 1800, 3600, 7200, UINT32_MAX};
  static const unsigned status_tab[16] = {200, 202, 299, 422, 422, 422, 100, 199,
                                          302, 404, 486, 503, 603, 699, 700, 0};
  uint8_t b[5] = {0, 0, 0, 0, 0};
  /* bytes 16..20 of the message part: past "INVITE sip:" and the like */
  for (size_t i = 0; i < 5; i++) b[i] = n > 16 + i ? p[16 + i] : (uint8_t)0;
  siphb_st_config_init(&f->cfg, sizeof f->cfg);
  f->valid = true;
  if (n > 20) {
    f->cfg.session_expires_s = se_tab[b[0] & 7];
    f->cfg.min_se_s = min_tab[(b[0] >> 3) & 7];
    /* 3 makes it 2, out of range */
    f->cfg.refresher = (siphb_st_prefer)((b[1] & 3) == 3 ? 2 : (b[1] & 1));
    f->cfg.uac_refresh_anyway = (b[1] & 4) != 0;
    f->valid = f->cfg.min_se_s >= 90 && (unsigned)f->cfg.refresher <= 1 &&
               (f->cfg.session_expires_s == 0 || f->cfg.session_expires_s >= f->cfg.min_se_s);
    if (b[1] & 0x80) { /* never initialised */
      f->cfg.size = 0;
      f->valid = false;
    }
  }
  f->min_se_seen = seen_tab[b[2] & 7];
  f->refresher = (siphb_sip_refresher)((b[2] >> 3) % 4); /* 3: out of range */
  f->status = status_tab[b[3] & 15];
  f->cut = b[4];
}

static void check_result_common(const siphb_st_result *r) {
  FUZZ_CHECK(r->reason != NULL && r->reason[0] != '\0');
  FUZZ_CHECK(r->reserved_[0] == 0 && r->zero_ == 0);
  FUZZ_CHECK((unsigned)r->refresher <= SIPHB_SIP_REFRESHER_UAS);
  FUZZ_CHECK((unsigned)r->action <= SIPHB_ST_ACTION_GIVE_UP);
  if (r->action != SIPHB_ST_ACTION_REJECT && r->action != SIPHB_ST_ACTION_GIVE_UP)
    FUZZ_CHECK(r->status == 0);
}

/* A REJECT of a UAS or proxy. */
static void check_reject(const fuzz_cfg *f, const siphb_st_header *req, const siphb_st_result *r) {
  FUZZ_CHECK(!r->active);
  if (malformed(req)) {
    FUZZ_CHECK(r->status == 400);
    return;
  }
  FUZZ_CHECK(r->status == 422);
  FUZZ_CHECK(r->has_min_se && r->min_se_s >= SIPHB_ST_MIN_SE);
  FUZZ_CHECK(r->min_se_s >= f->cfg.min_se_s);
  if (req->has_min_se) FUZZ_CHECK(r->min_se_s >= req->min_se_s);
  FUZZ_CHECK(req->supported_timer && req->has_session_expires);
  FUZZ_CHECK(req->session_expires_s < r->min_se_s);
}

static void fuzz_uas(const fuzz_cfg *f, const siphb_st_header *req) {
  siphb_st_result r;
  memset(&r, 0xa5, sizeof r);
  int rc = siphb_st_uas_answer(&f->cfg, req, &r);
  if (!f->valid) {
    FUZZ_CHECK(rc == SIPHB_ERR_INVALID_ARGUMENT);
    return;
  }
  FUZZ_CHECK(rc == 0);
  check_result_common(&r);
  FUZZ_CHECK(r.action == SIPHB_ST_ACTION_ACCEPT || r.action == SIPHB_ST_ACTION_REJECT);
  if (r.action == SIPHB_ST_ACTION_REJECT) {
    check_reject(f, req, &r);
  } else {
    FUZZ_CHECK(!malformed(req));
    if (!r.active) {
      FUZZ_CHECK(!req->has_session_expires && f->cfg.session_expires_s == 0);
      FUZZ_CHECK(!r.has_session_expires && !r.require_timer);
    } else {
      FUZZ_CHECK(r.has_session_expires && r.supported_timer && !r.has_min_se);
      FUZZ_CHECK(r.interval_s >= SIPHB_ST_MIN_SE && r.interval_s >= r.min_se_s);
      FUZZ_CHECK(r.interval_s >= f->cfg.min_se_s);
      if (req->has_min_se) FUZZ_CHECK(r.interval_s >= req->min_se_s);
      /* section 9: never raised above what a timer-aware UAC asked for */
      if (req->has_session_expires && req->supported_timer)
        FUZZ_CHECK(r.interval_s <= req->session_expires_s);
      /* the table */
      FUZZ_CHECK(r.refresher == SIPHB_SIP_REFRESHER_UAC || r.refresher == SIPHB_SIP_REFRESHER_UAS);
      if (!req->supported_timer) FUZZ_CHECK(r.refresher == SIPHB_SIP_REFRESHER_UAS);
      else if (req->has_session_expires && req->refresher != SIPHB_SIP_REFRESHER_NONE)
        FUZZ_CHECK(r.refresher == req->refresher);
      else
        FUZZ_CHECK(r.refresher == (f->cfg.refresher == SIPHB_ST_PREFER_UAC
                                       ? SIPHB_SIP_REFRESHER_UAC
                                       : SIPHB_SIP_REFRESHER_UAS));
      FUZZ_CHECK(r.require_timer == (r.refresher == SIPHB_SIP_REFRESHER_UAC));
      FUZZ_CHECK(r.local_refresher == (r.refresher == SIPHB_SIP_REFRESHER_UAS));
    }
  }
  check_encode(&r, f->cut);
}

static void fuzz_proxy(const fuzz_cfg *f, const siphb_st_header *req) {
  siphb_st_result r;
  memset(&r, 0xa5, sizeof r);
  int rc = siphb_st_proxy_request(&f->cfg, req, &r);
  if (!f->valid) {
    FUZZ_CHECK(rc == SIPHB_ERR_INVALID_ARGUMENT);
    return;
  }
  FUZZ_CHECK(rc == 0);
  check_result_common(&r);
  FUZZ_CHECK(r.action == SIPHB_ST_ACTION_ACCEPT || r.action == SIPHB_ST_ACTION_REJECT);
  if (r.action == SIPHB_ST_ACTION_REJECT) {
    check_reject(f, req, &r);
  } else {
    FUZZ_CHECK(!malformed(req));
    FUZZ_CHECK(!r.supported_timer && !r.require_timer);
    FUZZ_CHECK(r.active == r.has_session_expires);
    FUZZ_CHECK(r.refresher == req->refresher);
    FUZZ_CHECK(r.min_se_s >= SIPHB_ST_MIN_SE && r.min_se_s >= f->cfg.min_se_s);
    if (req->has_min_se) FUZZ_CHECK(r.has_min_se && r.min_se_s >= req->min_se_s);
    if (r.min_se_s > SIPHB_ST_MIN_SE) FUZZ_CHECK(r.has_min_se);
    if (req->has_session_expires) FUZZ_CHECK(r.has_session_expires);
    else FUZZ_CHECK(r.has_session_expires == (f->cfg.session_expires_s != 0));
    if (r.has_session_expires) {
      FUZZ_CHECK(r.interval_s >= SIPHB_ST_MIN_SE && r.interval_s >= r.min_se_s);
      if (req->has_session_expires && req->supported_timer)
        FUZZ_CHECK(r.interval_s <= req->session_expires_s);
      /* raised only for a UAC without timer support: then Min-SE says so */
      if (req->has_session_expires && r.interval_s > req->session_expires_s)
        FUZZ_CHECK(r.has_min_se && r.interval_s == r.min_se_s);
    }
  }
  check_encode(&r, f->cut);
}

static void fuzz_uac(const fuzz_cfg *f, const siphb_st_header *resp, unsigned status) {
  siphb_st_result sent;
  memset(&sent, 0xa5, sizeof sent);
  int rc = siphb_st_uac_offer(&f->cfg, f->min_se_seen, f->refresher, &sent);
  bool ok = f->valid && (unsigned)f->refresher <= SIPHB_SIP_REFRESHER_UAS;
  if (!ok) {
    FUZZ_CHECK(rc == SIPHB_ERR_INVALID_ARGUMENT);
    if (!f->valid) {
      siphb_st_result out;
      siphb_st_result dflt;
      FUZZ_CHECK(siphb_st_uac_offer(NULL, 0, SIPHB_SIP_REFRESHER_NONE, &dflt) == 0);
      FUZZ_CHECK(siphb_st_uac_on_response(&f->cfg, &dflt, 200, resp, &out) ==
                 SIPHB_ERR_INVALID_ARGUMENT);
    }
    return;
  }
  FUZZ_CHECK(rc == 0);
  check_result_common(&sent);
  FUZZ_CHECK(sent.action == SIPHB_ST_ACTION_ACCEPT && sent.supported_timer && !sent.active);
  FUZZ_CHECK(sent.min_se_s == max32(f->cfg.min_se_s, f->min_se_seen));
  FUZZ_CHECK(sent.has_min_se == (f->min_se_seen > 0 || sent.min_se_s > SIPHB_ST_MIN_SE));
  FUZZ_CHECK(sent.has_session_expires == (f->cfg.session_expires_s != 0));
  if (sent.has_session_expires) {
    FUZZ_CHECK(sent.interval_s == max32(f->cfg.session_expires_s, sent.min_se_s));
    FUZZ_CHECK(sent.refresher == f->refresher);
  }
  check_encode(&sent, f->cut);

  siphb_st_result r;
  memset(&r, 0xa5, sizeof r);
  rc = siphb_st_uac_on_response(&f->cfg, &sent, status, resp, &r);
  if (status < 200 || status > 699) {
    FUZZ_CHECK(rc == SIPHB_ERR_INVALID_ARGUMENT);
    return;
  }
  FUZZ_CHECK(rc == 0);
  check_result_common(&r);
  uint32_t offered = sent.has_session_expires ? sent.interval_s : 0;
  if (status == 422) {
    FUZZ_CHECK(r.action == SIPHB_ST_ACTION_RETRY || r.action == SIPHB_ST_ACTION_GIVE_UP);
    FUZZ_CHECK(!r.active);
    if (r.action == SIPHB_ST_ACTION_RETRY) {
      FUZZ_CHECK(resp->has_min_se && !malformed(resp) && resp->min_se_s >= SIPHB_ST_MIN_SE &&
                 resp->min_se_s > offered);
      /* The 422's Min-SE, or the larger of what this side sent and its
       * own minimum; the interval never below the Min-SE sent with it. */
      FUZZ_CHECK(r.min_se_s == max32(max32(resp->min_se_s, sent.min_se_s), f->cfg.min_se_s));
      FUZZ_CHECK(r.interval_s == r.min_se_s && r.has_session_expires && r.has_min_se);
      FUZZ_CHECK(r.supported_timer && r.refresher == sent.refresher);
      /* the loop guard: the same 422 for the retry is not retried again */
      siphb_st_result again;
      FUZZ_CHECK(siphb_st_uac_on_response(&f->cfg, &r, 422, resp, &again) == 0);
      FUZZ_CHECK(again.action == SIPHB_ST_ACTION_GIVE_UP);
    } else {
      FUZZ_CHECK(r.status == 422);
      FUZZ_CHECK(!resp->has_min_se || malformed(resp) || resp->min_se_s < SIPHB_ST_MIN_SE ||
                 resp->min_se_s <= offered);
    }
  } else {
    FUZZ_CHECK(r.action == SIPHB_ST_ACTION_ACCEPT);
    if (status >= 300) {
      FUZZ_CHECK(!r.active);
    } else if (resp->has_session_expires && !malformed(resp)) {
      /* Its interval, run at the floor when it breaks it. */
      FUZZ_CHECK(r.active && r.interval_s == max32(resp->session_expires_s,
                                                   max32(sent.min_se_s, SIPHB_ST_MIN_SE)));
      FUZZ_CHECK(r.refresher == (resp->refresher == SIPHB_SIP_REFRESHER_NONE
                                     ? SIPHB_SIP_REFRESHER_UAC
                                     : resp->refresher));
      FUZZ_CHECK(r.local_refresher == (r.refresher == SIPHB_SIP_REFRESHER_UAC));
    } else {
      FUZZ_CHECK(r.active == (f->cfg.uac_refresh_anyway && offered > 0));
      if (r.active) FUZZ_CHECK(r.interval_s == offered && r.local_refresher);
    }
  }
  check_encode(&r, f->cut);
}

static void negotiate(const fuzz_cfg *f, const siphb_st_header *h, unsigned status) {
  fuzz_uas(f, h);
  fuzz_proxy(f, h);
  fuzz_uac(f, h, status);
}

/* ---- the input -------------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *end = data + size;
  const uint8_t *nl1 = memchr(data, '\n', size);
  const uint8_t *se_p = data, *se_e = nl1 ? nl1 : end;
  const uint8_t *min_p = nl1 ? nl1 + 1 : end;
  const uint8_t *nl2 = nl1 ? memchr(min_p, '\n', (size_t)(end - min_p)) : NULL;
  const uint8_t *min_e = nl2 ? nl2 : end;
  const uint8_t *msg_p = nl2 ? nl2 + 1 : end;
  size_t msg_n = (size_t)(end - msg_p);

  fuzz_cfg f;
  make_cfg(&f, msg_p, msg_n);

  /* the two values, and a view made of them */
  siphb_st_header vals;
  memset(&vals, 0, sizeof vals);
  fuzz_session_expires(se_p, (size_t)(se_e - se_p), &vals);
  if (nl1) fuzz_min_se(min_p, (size_t)(min_e - min_p), &vals);
  vals.supported_timer = size > 0 && (data[size - 1] & 1);
  vals.require_timer = size > 0 && (data[size - 1] & 2);
  negotiate(&f, &vals, f.status);

  /* the message, exactly its size */
  uint8_t *m = malloc(msg_n ? msg_n : 1);
  FUZZ_CHECK(m != NULL);
  if (msg_n) memcpy(m, msg_p, msg_n);
  for (int lenient = 0; lenient < 2; lenient++) {
    siphb_sip_parse_config pc;
    siphb_sip_parse_config_init(&pc, sizeof pc);
    pc.lenient = lenient != 0;
    siphb_sip_msg msg;
    if (siphb_sip_parse(&msg, m, msg_n, &pc, NULL) < 0) continue;
    siphb_st_header h;
    memset(&h, 0xa5, sizeof h);
    FUZZ_CHECK(siphb_st_from_msg(&msg, &h) == 0);
    FUZZ_CHECK(h.error == 0 || h.error == SIPHB_ERR_SIP_SESSION_INTERVAL ||
               h.error == SIPHB_ERR_SIP_MULTIPLE_VALUES || h.error == SIPHB_ERR_SIP_NUMBER ||
               h.error == SIPHB_ERR_SIP_PARAM || h.error == SIPHB_ERR_SIP_REFRESHER ||
               h.error == SIPHB_ERR_SIP_QUOTE);
    /* a strict parse has checked the values already: only the floor is left */
    if (!lenient) FUZZ_CHECK(h.error == 0 || h.error == SIPHB_ERR_SIP_SESSION_INTERVAL);
    /* the values agree with the parser's (when every line read cleanly: a
     * lenient parse keeps the first line's value cut at a comma, the view
     * records the error and may take a later line) */
    if (h.error == 0 && h.has_session_expires) {
      FUZZ_CHECK(h.session_expires_s == msg.session_expires.delta);
      FUZZ_CHECK(h.refresher == msg.session_expires.refresher);
    }
    if (h.error == 0 && h.has_min_se) FUZZ_CHECK(h.min_se_s == msg.min_se);
    FUZZ_CHECK(h.supported_timer == siphb_sip_has_token(&msg, SIPHB_SIP_HDR_SUPPORTED, "timer"));
    if (!siphb_sip_msg_has(&msg, SIPHB_SIP_HDR_SESSION_EXPIRES)) FUZZ_CHECK(!h.has_session_expires);
    if (!siphb_sip_msg_has(&msg, SIPHB_SIP_HDR_MIN_SE)) FUZZ_CHECK(!h.has_min_se);
    negotiate(&f, &h, msg.is_request ? f.status : msg.status);
  }
  free(m);
  return 0;
}
