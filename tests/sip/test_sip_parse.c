/*
 * test_sip_parse.c - siphb_sip_parse(), the message's content: start lines,
 * header lines (names, colons, blanks, folding), the indexed values (Via,
 * From/To/Contact, CSeq, numbers, Retry-After,
 * Session-Expires), mandatory and single-valued headers, lenient mode.
 * Framing, limits and hostile bytes are in test_sip_frame.c; names,
 * iterators and the corpus in test_sip_iter.c.
 *
 * Every input is parsed from a heap block of exactly its length
 * (tests/support/siptest.c), so ASan reports any read past the end. Error
 * offsets are given as the first occurrence of a needle in the input (plus
 * a delta), so each case states where the parser must point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "siptest.h"

static const siphb_sip_msg *const M = &sipt.msg;

/* A uint32_t field of siphb_sip_msg and the value it must have. */
typedef struct num_case {
  const char *extra;
  size_t field; /* offsetof(siphb_sip_msg, ...) */
  uint32_t want;
} num_case;

static uint32_t field_u32(size_t field) {
  uint32_t v;
  memcpy(&v, (const char *)M + field, sizeof v);
  return v;
}

static void run_num_cases(const num_case *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!sipt_ok(&(sipt_spec){.extra = c[i].extra})) fail_msg("number case %zu", i);
    if (field_u32(c[i].field) != c[i].want)
      fail_msg("number case %zu: %u, expected %u", i, field_u32(c[i].field), c[i].want);
  }
}

#define RUN_NUM_CASES(cases) run_num_cases(cases, sizeof(cases) / sizeof(cases[0]))
#define FIELD(f) offsetof(siphb_sip_msg, f)

static uint64_t bit(siphb_sip_hdr h) { return (uint64_t)1 << h; }

/* ---- start lines ---------------------------------------------------------- */

static void test_request_fields(void **state) {
  (void)state;
  static const char text[] =
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:carol@chicago.example.com>\r\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710\r\n"
      "CSeq: 63104 OPTIONS\r\n"
      "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
      "Accept: application/sdp\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  assert_true(sipt_ok(&(sipt_spec){.raw = text}));
  assert_true(M->is_request);
  assert_true(sipt_slice_at(M->start_line, "OPTIONS sip:carol@chicago.example.com SIP/2.0", 0));
  assert_true(sipt_slice_at(M->method, "OPTIONS", 0));
  assert_int_equal(M->method_id, SIPHB_SIP_METHOD_OPTIONS);
  assert_true(sipt_slice_at(M->request_uri, "sip:carol@chicago.example.com", 8));
  assert_int_equal(M->status, 0);
  assert_int_equal(M->reason.len, 0);
  assert_int_equal(M->length, sizeof text - 1);
  size_t first = sipt_off("Via:"), blank = sizeof text - 3;
  assert_ptr_equal(M->headers.ptr, (const char *)sipt.buf + first);
  assert_int_equal(M->headers.len, blank - first);
  assert_int_equal(M->body.len, 0);
  assert_int_equal(M->header_count, 9);
  assert_int_equal(M->present, bit(SIPHB_SIP_HDR_VIA) | bit(SIPHB_SIP_HDR_MAX_FORWARDS) |
                                   bit(SIPHB_SIP_HDR_TO) | bit(SIPHB_SIP_HDR_FROM) |
                                   bit(SIPHB_SIP_HDR_CALL_ID) | bit(SIPHB_SIP_HDR_CSEQ) |
                                   bit(SIPHB_SIP_HDR_CONTACT) | bit(SIPHB_SIP_HDR_ACCEPT) |
                                   bit(SIPHB_SIP_HDR_CONTENT_LENGTH));
  assert_true(siphb_sip_msg_has(M, SIPHB_SIP_HDR_ACCEPT));
  assert_false(siphb_sip_msg_has(M, SIPHB_SIP_HDR_EXPIRES));
  assert_int_equal(M->via_count, 1);
  assert_true(sipt_via_is(&M->via, &(sipt_via_want){.transport = "UDP",
                                                      .host = "pc33.atlanta.example.com",
                                                      .branch = "z9hG4bKhjhs8ass877",
                                                      .params = ";branch=z9hG4bKhjhs8ass877"}));
  assert_true(sipt_addr_is(&M->from, &(sipt_addr_want){.display_name = "Alice",
                                                         .uri = "sip:alice@atlanta.example.com",
                                                         .tag = "1928301774",
                                                         .params = ";tag=1928301774"}));
  assert_true(sipt_addr_is(&M->to, &(sipt_addr_want){.uri = "sip:carol@chicago.example.com"}));
  assert_true(sipt_slice(M->call_id, "a84b4c76e66710"));
  assert_int_equal(M->cseq, 63104);
  assert_true(sipt_slice(M->cseq_method, "OPTIONS"));
  assert_int_equal(M->cseq_method_id, SIPHB_SIP_METHOD_OPTIONS);
  assert_int_equal(M->max_forwards, 70);
  assert_int_equal(M->content_length, 0);
  assert_int_equal(M->contact_count, 1);
  assert_true(sipt_addr_is(&M->contact, &(sipt_addr_want){.uri = "sip:alice@pc33.atlanta.example.com"}));
}

static void test_requests_of_every_method(void **state) {
  (void)state;
  for (int m = SIPHB_SIP_METHOD_INVITE; m <= SIPHB_SIP_METHOD_UPDATE; m++) {
    const char *name = siphb_sip_method_name((siphb_sip_method)m);
    char start[64], cseq[32];
    snprintf(start, sizeof start, "%s sip:a@example.com SIP/2.0", name);
    snprintf(cseq, sizeof cseq, "7 %s", name);
    assert_true(sipt_ok(&(sipt_spec){.start = start, .cseq = cseq}));
    assert_true(M->is_request);
    assert_true(sipt_slice_at(M->method, name, 0));
    assert_int_equal(M->method_id, m);
    assert_int_equal(M->cseq_method_id, m);
  }
  /* an unknown method is kept as text */
  assert_true(sipt_ok(&(sipt_spec){.start = "FOO.BAR sip:a@example.com SIP/2.0", .cseq = "7 FOO.BAR"}));
  assert_true(sipt_slice(M->method, "FOO.BAR"));
  assert_int_equal(M->method_id, SIPHB_SIP_METHOD_OTHER);
  assert_int_equal(M->cseq_method_id, SIPHB_SIP_METHOD_OTHER);
}

static void test_response_fields_and_reason(void **state) {
  (void)state;
  static const struct {
    const char *start, *reason;
    unsigned status;
  } cases[] = {
      {"SIP/2.0 200 OK", "OK", 200},
      {"SIP/2.0 100 Trying", "Trying", 100},
      {"SIP/2.0 699 Whatever", "Whatever", 699},
      {"SIP/2.0 486 Busy  Here ", "Busy  Here ", 486}, /* as received */
      {"sip/2.0 183 Session Progress", "Session Progress", 183}, /* version any case */
      {"SIP/2.0 200 ", "", 200},                              /* empty reason */
      {"SIP/2.0 200", "", 200},                               /* absent reason */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_true(sipt_ok(&(sipt_spec){.start = cases[i].start}));
    assert_false(M->is_request);
    assert_int_equal(M->status, cases[i].status);
    assert_true(sipt_slice(M->reason, cases[i].reason));
    assert_true(sipt_slice_at(M->start_line, cases[i].start, 0));
    assert_int_equal(M->method.len, 0);
    assert_int_equal(M->request_uri.len, 0);
  }
}

static void test_start_line_errors(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{.raw = "SIP/2.0 200 OK"}, SIPHB_ERR_SIP_START_LINE, NULL, 0},
      {{.raw = "OPTIONS sip:a@b SIP/2.0\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "\n", 0},
      {{.raw = "OPTIONS  sip:a@b SIP/2.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "  ", 1},
      {{.raw = "OPTIONS sip:a@b\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "sip:a@b", 0},
      {{.raw = "OPTIONS sip:a@b SIP/2.0 x\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "SIP/2.0 x", 0},
      {{.raw = " OPTIONS sip:a@b SIP/2.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, " OPTIONS", 0},
      {{.raw = "OPT@ONS sip:a@b SIP/2.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "@ONS", 0},
      {{.raw = "OPTIONS sip:a\tb SIP/2.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "\t", 0},
      {{.raw = "OPTIONS sip:a\x7f SIP/2.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "\x7f", 0},
      {{.raw = "\r\n" SIPT_REQ_LINE SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "\r\nOPTIONS", 0},
      {{.raw = "SIP/2.0 2000 OK\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "2000", 0},
      {{.raw = "SIP/2.0 20 OK\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "20 OK", 0},
      {{.raw = "SIP/2.0  200 OK\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "  200", 1},
      {{.raw = "SIP/2.0 200\tOK\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "200\t", 0},
      {{.raw = "SIP/2.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_START_LINE, "\r\n", 0},
      {{.raw = "SIP/2.0 099 Low\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_STATUS, "099", 0},
      {{.raw = "SIP/2.0 700 High\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_STATUS, "700", 0},
      {{.raw = "SIP/2.0 000 Zero\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_STATUS, "000", 0},
      {{.raw = "SIP/3.0 200 OK\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_VERSION, "SIP/3.0", 0},
      {{.raw = "OPTIONS sip:a@b SIP/3.0\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_VERSION, "SIP/3.0", 0},
      {{.raw = "OPTIONS sip:a@b SIP/2\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_VERSION, "SIP/2\r", 0},
      {{.raw = "OPTIONS sip:a@b HTTP/1.1\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_VERSION, "HTTP", 0},
      /* lenient mode accepts other SIP versions, nothing else */
      {{.raw = "OPTIONS sip:a@b HTTP/1.1\r\n" SIPT_HDRS "\r\n", .lenient = true}, SIPHB_ERR_SIP_VERSION, "HTTP", 0},
      {{.raw = "OPTIONS sip:a@b SIP/2.\r\n" SIPT_HDRS "\r\n", .lenient = true}, SIPHB_ERR_SIP_VERSION, "SIP/2.", 0},
      {{.raw = "SIP/X.0 200 OK\r\n" SIPT_HDRS "\r\n", .lenient = true}, SIPHB_ERR_SIP_VERSION, "SIP/X", 0},
      {{.raw = "SIP/2.0 700 High\r\n" SIPT_HDRS "\r\n", .lenient = true}, SIPHB_ERR_SIP_STATUS, "700", 0},
  };
  SIPT_ERR_CASES(cases);
}

static void test_other_sip_versions_when_lenient(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.start = "SIP/3.0 200 OK", .lenient = true}));
  assert_int_equal(M->status, 200);
  assert_true(sipt_ok(&(sipt_spec){.start = "OPTIONS sip:a@b SIP/3.0", .lenient = true}));
  assert_true(M->is_request);
  assert_true(sipt_slice(M->request_uri, "sip:a@b"));
  assert_true(sipt_ok(&(sipt_spec){.start = "SIP/2.1 200 OK", .lenient = true}));
  assert_true(sipt_ok(&(sipt_spec){.start = "OPTIONS sip:a@b sip/2.0"})); /* case-insensitive */
}

/* ---- header lines --------------------------------------------------------- */

static void test_header_name_colon_and_blanks(void **state) {
  (void)state;
  /* blanks before the colon, runs of SP and HTAB after it and at the end */
  assert_true(sipt_ok(&(sipt_spec){
      .raw = "SIP/2.0 200 OK\r\n"
             "Via   :   SIP/2.0/UDP h.example.com\r\n"
             "From\t:\t \t<sip:a@example.com>;tag=x \t \r\n"
             "To:<sip:b@example.com>\r\n"
             "Call-ID: \t abc@def\t \r\n"
             "CSeq \t: 5 \t  OPTIONS \r\n"
             "Max-Forwards:\t\t9\r\n"
             "Subject:\r\n"
             "\r\n"}));
  assert_true(sipt_slice(M->via.host, "h.example.com"));
  assert_true(sipt_slice(M->from.tag, "x"));
  assert_true(sipt_slice(M->from.value, "<sip:a@example.com>;tag=x"));
  assert_true(sipt_slice(M->to.uri, "sip:b@example.com"));
  assert_true(sipt_slice(M->call_id, "abc@def"));
  assert_int_equal(M->cseq, 5);
  assert_true(sipt_slice(M->cseq_method, "OPTIONS"));
  assert_int_equal(M->max_forwards, 9);
  assert_true(siphb_sip_msg_has(M, SIPHB_SIP_HDR_SUBJECT));
  assert_int_equal(M->header_count, 7);
}

static void test_header_line_errors(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{.extra = "Subject value\r\n"}, SIPHB_ERR_SIP_HEADER, "value", 0},
      {{.extra = ": value\r\n"}, SIPHB_ERR_SIP_HEADER, ": value", 0},
      {{.extra = "Sub@ject: x\r\n"}, SIPHB_ERR_SIP_HEADER, "@ject", 0},
      {{.extra = "Subject\r\n : x\r\n"}, SIPHB_ERR_SIP_HEADER, "\r\n : x", 0}, /* no fold before ':' */
      {{.extra = "Subject: x\n"}, SIPHB_ERR_SIP_HEADER, "x\n", 1},
      {{.raw = "SIP/2.0 200 OK\r\nVia: " SIPT_DEFAULT_VIA "\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_HEADER, "t1\n", 2},
      {{.extra = "\rSubject: x\r\n"}, SIPHB_ERR_SIP_HEADER, "\rSubject", 0},
      {{.raw = "SIP/2.0 200 OK\r\n" SIPT_HDRS "\n"}, SIPHB_ERR_SIP_HEADER, NULL, (size_t)-1},
      {{.raw = "SIP/2.0 200 OK\r\n" SIPT_HDRS "\r"}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      {{.raw = "SIP/2.0 200 OK\r\n" SIPT_HDRS}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      {{.raw = "SIP/2.0 200 OK\r\n" SIPT_HDRS "Subject: x\r\n \r\n"}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      {{.raw = "SIP/2.0 200 OK\r\nVia"}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      {{.raw = "SIP/2.0 200 OK\r\nVia: x"}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      /* a continuation line with nothing to continue */
      {{.raw = "SIP/2.0 200 OK\r\n ;branch=z9hG4bK1\r\n" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_HEADER, " ;branch", 0},
      {{.raw = "SIP/2.0 200 OK\r\n\t" SIPT_HDRS "\r\n"}, SIPHB_ERR_SIP_HEADER, "\tVia", 0},
  };
  SIPT_ERR_CASES(cases);
}

/* ---- folding -------------------------------------------------------------- */

static void test_folded_values_parse_like_unfolded(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){
      .via = "SIP/2.0/UDP 192.0.2.10\r\n :5060\r\n\t;branch=z9hG4bKf;rport\r\n  ;received=192.0.2.99",
      .from = "\"Folded\r\n Name\"\r\n <sip:mon@example.net>\r\n ;tag=ff",
      .to = "\r\n <sip:pbx@example.com>",
      .cseq = "1\r\n\tOPTIONS",
      .extra = "Contact: <sip:a@192.0.2.10>\r\n ;expires=60,\r\n <sip:b@192.0.2.10>\r\n"
               "Supported: timer,\r\n path\r\n , outbound\r\n"
               "Max-Forwards:\r\n 70\r\n"}));
  assert_true(sipt_via_is(&M->via, &(sipt_via_want){
      .transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bKf",
      .received = "192.0.2.99", .rport = -1,
      .params = ";branch=z9hG4bKf;rport\r\n  ;received=192.0.2.99",
      .value = "SIP/2.0/UDP 192.0.2.10\r\n :5060\r\n\t;branch=z9hG4bKf;rport\r\n  ;received=192.0.2.99"}));
  assert_true(sipt_addr_is(&M->from, &(sipt_addr_want){.display_name = "\"Folded\r\n Name\"",
                                                         .uri = "sip:mon@example.net",
                                                         .tag = "ff", .params = ";tag=ff"}));
  assert_true(sipt_addr_is(&M->to, &(sipt_addr_want){.uri = "sip:pbx@example.com",
                                                       .value = "<sip:pbx@example.com>"}));
  assert_int_equal(M->cseq, 1);
  assert_true(sipt_slice(M->cseq_method, "OPTIONS"));
  assert_int_equal(M->contact_count, 2);
  assert_true(sipt_addr_is(&M->contact, &(sipt_addr_want){.uri = "sip:a@192.0.2.10",
                                                            .params = ";expires=60",
                                                            .has_expires = true, .expires = 60}));
  assert_int_equal(M->max_forwards, 70);
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "path"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "outbound"));
  assert_int_equal(M->header_count, 8); /* a folded line is one header line */
  /* a continuation of blanks only, right before the empty line */
  assert_true(sipt_ok(&(sipt_spec){.extra = "Server: s1\r\n \t\r\n"}));
  assert_true(sipt_slice(M->server, "s1"));
  assert_true(sipt_ok(&(sipt_spec){.extra = "Content-Length: 2\r\n \r\n", .body = "ok", .stream = true}));
  assert_true(sipt_slice(M->body, "ok"));
}

/* ---- lines ended by LF alone ---------------------------------------------- */

/* A hand-written or pasted message: every line ended by LF alone, one fold,
 * an empty value, a body without Content-Length. */
#define LF_MSG                                                   \
  "OPTIONS sip:pbx@example.com SIP/2.0\n"                        \
  "Via: SIP/2.0/UDP 192.0.2.10:5060\n ;branch=z9hG4bKlf\n"       \
  "From: <sip:mon@example.net>;tag=f1\n"                         \
  "To: <sip:pbx@example.com>\n"                                  \
  "Call-ID: lf-1\n"                                              \
  "Subject:\n"                                                   \
  "CSeq: 7 OPTIONS\n"                                            \
  "\n"                                                           \
  "hi"

static void test_bare_lf_when_lenient(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.raw = LF_MSG, .lenient = true}));
  assert_true(M->is_request);
  assert_true(sipt_slice_at(M->start_line, "OPTIONS sip:pbx@example.com SIP/2.0", 0));
  assert_true(sipt_slice(M->request_uri, "sip:pbx@example.com"));
  assert_true(sipt_via_is(&M->via, &(sipt_via_want){
      .transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bKlf",
      .params = ";branch=z9hG4bKlf", .value = "SIP/2.0/UDP 192.0.2.10:5060\n ;branch=z9hG4bKlf"}));
  assert_true(sipt_slice(M->call_id, "lf-1"));
  assert_int_equal(M->cseq, 7);
  assert_true(sipt_slice(M->cseq_method, "OPTIONS"));
  assert_int_equal(M->header_count, 6);
  assert_int_equal((size_t)(M->headers.ptr - (const char *)sipt.buf), sipt_off("Via:"));
  assert_int_equal(M->headers.len, sipt_off("\n\nhi") + 1 - sipt_off("Via:"));
  assert_true(sipt_slice_at(M->body, "hi", sipt_off("hi")));
  assert_int_equal(M->length, strlen(LF_MSG));
  /* the walkers and siphb_sip_unfold see the same lines */
  static const char *const want[][2] = {
      {"Via", "SIP/2.0/UDP 192.0.2.10:5060\n ;branch=z9hG4bKlf"},
      {"From", "<sip:mon@example.net>;tag=f1"}, {"To", "<sip:pbx@example.com>"},
      {"Call-ID", "lf-1"}, {"Subject", ""}, {"CSeq", "7 OPTIONS"}};
  siphb_sip_iter it;
  siphb_sip_header h;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_true(siphb_sip_next_header(&it, &h));
    assert_true(sipt_slice(h.name, want[i][0]));
    assert_true(sipt_slice(h.value, want[i][1]));
  }
  assert_false(siphb_sip_next_header(&it, &h));
  char out[64];
  siphb_ssize n = siphb_sip_unfold(M->via.value, out, sizeof out);
  assert_int_equal(n, strlen("SIP/2.0/UDP 192.0.2.10:5060 ;branch=z9hG4bKlf"));
  assert_memory_equal(out, "SIP/2.0/UDP 192.0.2.10:5060 ;branch=z9hG4bKlf", (size_t)n);

  /* LF alone and CRLF mixed, in a response; a CRLF blank line */
  assert_true(sipt_ok(&(sipt_spec){
      .raw = "SIP/2.0 200 OK\n" SIPT_HDRS "Server: s\n\r\n", .lenient = true}));
  assert_int_equal(M->status, 200);
  assert_true(sipt_slice(M->server, "s"));
  assert_int_equal(M->header_count, 6);
  assert_int_equal(M->body.len, 0);
  /* a blank line of LF alone straight after the start line */
  assert_true(sipt_ok(&(sipt_spec){.raw = "SIP/2.0 200 OK\n\n", .lenient = true}));
  assert_int_equal(M->header_count, 0);
  assert_int_equal(M->headers.len, 0);

  static const sipt_err_case cases[] = {
      /* strict mode, and streams even when lenient, keep CRLF */
      {{.raw = LF_MSG}, SIPHB_ERR_SIP_START_LINE, "\nVia", 0},
      {{.raw = LF_MSG, .lenient = true, .stream = true}, SIPHB_ERR_SIP_START_LINE, "\nVia", 0},
      {{.raw = "SIP/2.0 200 OK\r\n" SIPT_HDRS "Content-Length: 0\n\r\n", .lenient = true,
        .stream = true}, SIPHB_ERR_SIP_HEADER, "\n\r\n", 0},
      /* the header block must still end */
      {{.raw = "SIP/2.0 200 OK\nVia: x\n", .lenient = true}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      {{.raw = "SIP/2.0 200 OK\n", .lenient = true}, SIPHB_ERR_SIP_HEADER, NULL, 0},
      /* a lone CR and a NUL are still refused */
      {{.raw = "SIP/2.0 200 OK\nSubject: a\rb\n\n", .lenient = true}, SIPHB_ERR_SIP_HEADER, "\rb", 0},
      {{SIPT_RAW_N("SIP/2.0 200 OK\nSubject: a\0b\n\n"), .lenient = true}, SIPHB_ERR_SIP_HEADER, "\n\n", (size_t)-2},
      {{.raw = "SIP/2.0 200 OK\r\r\n\n", .lenient = true}, SIPHB_ERR_SIP_START_LINE, "\r\r", 0},
      /* a fold with nothing to continue */
      {{.raw = "SIP/2.0 200 OK\n ;x\n\n", .lenient = true}, SIPHB_ERR_SIP_HEADER, " ;x", 0},
  };
  SIPT_ERR_CASES(cases);
}

/* ---- Via ------------------------------------------------------------------ */

static void test_via_forms(void **state) {
  (void)state;
  static const struct {
    const char *via;
    sipt_via_want w;
  } cases[] = {
      {"SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKv6;rport",
       {.transport = "UDP", .host = "2001:db8::1", .ipv6 = true, .port = 5060,
        .branch = "z9hG4bKv6", .rport = -1, .params = ";branch=z9hG4bKv6;rport"}},
      {"SIP/2.0/TCP [2001:DB8::a:1];branch=z9hG4bK2",
       {.transport = "TCP", .host = "2001:DB8::a:1", .ipv6 = true, .branch = "z9hG4bK2",
        .params = ";branch=z9hG4bK2"}},
      {"SIP/2.0/UDP [::ffff:192.0.2.1]:5062",
       {.transport = "UDP", .host = "::ffff:192.0.2.1", .ipv6 = true, .port = 5062}},
      {"SIP/2.0/TLS pc33.example.com;branch=z9hG4bK3",
       {.transport = "TLS", .host = "pc33.example.com", .branch = "z9hG4bK3", .params = ";branch=z9hG4bK3"}},
      {"SIP/2.0/UDP 192.0.2.1:65535;received=198.51.100.7;rport=40213;BRANCH=z9hG4bK4",
       {.transport = "UDP", .host = "192.0.2.1", .port = 65535, .branch = "z9hG4bK4",
        .received = "198.51.100.7", .rport = 40213,
        .params = ";received=198.51.100.7;rport=40213;BRANCH=z9hG4bK4"}},
      {"SIP / 2.0 / WSS h.example.com : 443 ; branch = z9hG4bK5 ; keep",
       {.transport = "WSS", .host = "h.example.com", .port = 443, .branch = "z9hG4bK5",
        .keep = -1, .params = "; branch = z9hG4bK5 ; keep",
        .value = "SIP / 2.0 / WSS h.example.com : 443 ; branch = z9hG4bK5 ; keep"}},
      {"SIP/2.0/SCTP h;keep=30;x=\"a;b,c\";received=[2001:db8::9];rport=1",
       {.transport = "SCTP", .host = "h", .keep = 30, .received = "[2001:db8::9]", .rport = 1,
        .params = ";keep=30;x=\"a;b,c\";received=[2001:db8::9];rport=1"}},
      {"sip/2.0/udp H-1.example.com:05060 ;received=2001:db8::7",
       {.transport = "udp", .host = "H-1.example.com", .port = 5060, .received = "2001:db8::7",
        .params = ";received=2001:db8::7"}},
      {"SIP/2.0/UDP h;keep=4294967295;flag",
       {.transport = "UDP", .host = "h", .keep = 4294967295LL, .params = ";keep=4294967295;flag"}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!sipt_ok(&(sipt_spec){.via = cases[i].via}) || !sipt_via_is(&M->via, &cases[i].w))
      fail_msg("Via case %zu", i);
    assert_int_equal(M->via_count, 1);
    assert_true(sipt_slice_at(M->via.value, cases[i].w.value ? cases[i].w.value : cases[i].via,
                              sipt_off("Via: ") + 5));
  }
}

static void test_via_ipv6_host_points_inside_the_brackets(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.via = "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1"}));
  assert_true(sipt_slice_at(M->via.host, "2001:db8::1", sipt_off("[2001") + 1));
  assert_true(sipt_slice_at(M->via.transport, "UDP", sipt_off("UDP")));
  assert_true(sipt_slice_at(M->via.branch, "z9hG4bK1", sipt_off("z9hG4bK1")));
}

static void test_via_errors(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{.via = "SIP/2.0/UDP [2001:db8::1:5060;branch=z9hG4bK1"}, SIPHB_ERR_SIP_VIA, ";branch=z9hG4bK1", 0},
      {{.via = "SIP/2.0/UDP [2001:db8::g]:5060"}, SIPHB_ERR_SIP_VIA, "g]", 0},
      {{.via = "SIP/2.0/UDP []:5060"}, SIPHB_ERR_SIP_VIA, "]:5060", 0},
      {{.via = "SIP/2.0/UDP [2001:db8::1"}, SIPHB_ERR_SIP_VIA, "::1\r\n", 3},
      {{.via = "SIP/2.0/UDP 2001:db8::1"}, SIPHB_ERR_SIP_VIA, "db8", 0},
      {{.via = "SIP/2.0/UDP h:70000"}, SIPHB_ERR_SIP_VIA, "70000", 0},
      {{.via = "SIP/2.0/UDP h:65536;branch=z9hG4bK1"}, SIPHB_ERR_SIP_VIA, "65536", 0},
      {{.via = "SIP/2.0/UDP h:"}, SIPHB_ERR_SIP_VIA, "h:\r\n", 2},
      {{.via = "SIP/2.0/UDP h:x"}, SIPHB_ERR_SIP_VIA, "x\r\n", 0},
      {{.via = "SIP/2.0 UDP h"}, SIPHB_ERR_SIP_VIA, " UDP", 0},
      {{.via = "SIP/2.0/UDP"}, SIPHB_ERR_SIP_VIA, "UDP\r\n", 3},
      {{.via = "SIP/2.0/ h"}, SIPHB_ERR_SIP_VIA, " h\r\n", 2}, /* "h" is the transport */
      {{.via = "/2.0/UDP h"}, SIPHB_ERR_SIP_VIA, "/2.0/UDP h", 0},
      {{.via = "SIP//UDP h"}, SIPHB_ERR_SIP_VIA, "//", 1},
      {{.via = "SIP/2.0/UDP ;branch=z9hG4bK1"}, SIPHB_ERR_SIP_VIA, ";branch=z9hG4bK1", 0},
      {{.via = "SIP/2.0/UDP h;branch"}, SIPHB_ERR_SIP_VIA, "branch", 0},
      {{.via = "SIP/2.0/UDP h;branch=\"z9hG4bK1\""}, SIPHB_ERR_SIP_VIA, "branch", 0},
      {{.via = "SIP/2.0/UDP h;received"}, SIPHB_ERR_SIP_VIA, "received", 0},
      {{.via = "SIP/2.0/UDP h;rport=abc"}, SIPHB_ERR_SIP_VIA, "abc", 0},
      {{.via = "SIP/2.0/UDP h;rport=65536"}, SIPHB_ERR_SIP_VIA, "65536", 0},
      {{.via = "SIP/2.0/UDP h;keep=x1"}, SIPHB_ERR_SIP_VIA, "x1", 0},
      {{.via = "SIP/2.0/UDP h;keep=4294967296"}, SIPHB_ERR_SIP_VIA, "4294967296", 0},
      {{.via = "SIP/2.0/UDP h junk"}, SIPHB_ERR_SIP_VIA, "junk", 0},
      {{.via = "SIP/2.0/UDP h;=x"}, SIPHB_ERR_SIP_PARAM, "=x", 0},
      {{.via = "SIP/2.0/UDP h;x="}, SIPHB_ERR_SIP_PARAM, "x=\r\n", 2},
      {{.via = "SIP/2.0/UDP h;rport="}, SIPHB_ERR_SIP_PARAM, "rport=\r\n", 6},
      {{.via = "SIP/2.0/UDP h;x=\"abc"}, SIPHB_ERR_SIP_QUOTE, "\"abc", 0},
      {{.via = "SIP/2.0/UDP a;branch=z9hG4bK1, "}, SIPHB_ERR_SIP_VIA, ", \r\n", 1},
      {{.via = "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP [::1"}, SIPHB_ERR_SIP_VIA, "::1\r\n", 3},
      {{.via = ""}, SIPHB_ERR_SIP_VIA, "Via: \r\n", 5},
      /* still refused when lenient: the top Via would be wrong */
      {{.via = "SIP/2.0/UDP h:70000", .lenient = true}, SIPHB_ERR_SIP_VIA, "70000", 0},
  };
  SIPT_ERR_CASES(cases);
}

static void test_via_lists_across_lines(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){
      .via = "SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK1 , SIP/2.0/TCP b.example.com;branch=z9hG4bK2",
      .extra = "Via: SIP/2.0/TLS [2001:db8::5]:5061;branch=z9hG4bK3\r\n"
               "v: SIP/2.0/WS c.example.com;branch=z9hG4bK4,SIP/2.0/UDP d;branch=z9hG4bK5\r\n"}));
  assert_int_equal(M->via_count, 5);
  assert_true(sipt_via_is(&M->via, &(sipt_via_want){.transport = "UDP", .host = "a.example.com",
                                                      .port = 5060, .branch = "z9hG4bK1",
                                                      .params = ";branch=z9hG4bK1",
                                                      .value = "SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK1"}));
}

/* ---- From, To, Contact ---------------------------------------------------- */

typedef struct addr_case {
  const char *value;
  sipt_addr_want w;
} addr_case;

static const addr_case addr_forms[] = {
    {"\"A \\\"Q\\\", B\" <sip:a@example.com>;tag=t1",
     {.display_name = "\"A \\\"Q\\\", B\"", .uri = "sip:a@example.com", .tag = "t1", .params = ";tag=t1"}},
    {"Alice  Smith <sip:a@example.com> ;tag=t2",
     {.display_name = "Alice  Smith", .uri = "sip:a@example.com", .tag = "t2", .params = ";tag=t2"}},
    {"sip:a@example.com;tag=t3", {.uri = "sip:a@example.com", .tag = "t3", .params = ";tag=t3"}},
    {"<sip:a@example.com;transport=tcp>;TAG=t4;x=\"q;r\"",
     {.uri = "sip:a@example.com;transport=tcp", .tag = "t4", .params = ";TAG=t4;x=\"q;r\""}},
    {"\"Bob\"<sip:b@example.com>;tag=t5", {.display_name = "\"Bob\"", .uri = "sip:b@example.com", .tag = "t5", .params = ";tag=t5"}},
    {"\"\" <sip:a@example.com>", {.display_name = "\"\"", .uri = "sip:a@example.com"}},
    {"\"Doe, John\" <tel:+15551234>;tag=t7", {.display_name = "\"Doe, John\"", .uri = "tel:+15551234", .tag = "t7", .params = ";tag=t7"}},
    {"sip:a@example.com", {.uri = "sip:a@example.com", .value = "sip:a@example.com"}},
    {"Bob's_phone <sips:[2001:db8::1]:5061>", {.display_name = "Bob's_phone", .uri = "sips:[2001:db8::1]:5061"}},
};

static void check_addr_forms(const char *header) {
  for (size_t i = 0; i < sizeof addr_forms / sizeof addr_forms[0]; i++) {
    const addr_case *c = &addr_forms[i];
    char line[256];
    sipt_spec s = {.from = SIPT_DEFAULT_FROM};
    const siphb_sip_addr *got = &M->contact;
    if (strcmp(header, "From") == 0) {
      s.from = c->value;
      got = &M->from;
    } else if (strcmp(header, "To") == 0) {
      s.to = c->value;
      got = &M->to;
    } else {
      snprintf(line, sizeof line, "%s: %s\r\n", header, c->value);
      s.extra = line;
    }
    if (!sipt_ok(&s) || !sipt_addr_is(got, &c->w)) fail_msg("%s case %zu", header, i);
  }
}

static void test_from_forms(void **state) {
  (void)state;
  check_addr_forms("From");
}

static void test_to_forms(void **state) {
  (void)state;
  check_addr_forms("To");
}

static void test_contact_forms(void **state) {
  (void)state;
  check_addr_forms("Contact");
  static const addr_case cases[] = {
      {"<sip:a@10.0.0.1:5060>;expires=60",
       {.uri = "sip:a@10.0.0.1:5060", .params = ";expires=60", .has_expires = true, .expires = 60}},
      {"\"Desk\" <sip:a@b>;EXPIRES=0;q=0.5",
       {.display_name = "\"Desk\"", .uri = "sip:a@b", .params = ";EXPIRES=0;q=0.5", .has_expires = true}},
      {"<sip:a@b>;expires=4294967295",
       {.uri = "sip:a@b", .params = ";expires=4294967295", .has_expires = true, .expires = 4294967295u}},
      {"sip:a@b;expires=30", {.uri = "sip:a@b", .params = ";expires=30", .has_expires = true, .expires = 30}},
      {"*", {.star = true, .value = "*"}},
      {"  *  ", {.star = true, .value = "*"}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char line[256];
    snprintf(line, sizeof line, "m: %s\r\n", cases[i].value);
    if (!sipt_ok(&(sipt_spec){.extra = line}) || !sipt_addr_is(&M->contact, &cases[i].w))
      fail_msg("Contact case %zu", i);
    assert_int_equal(M->contact_count, 1);
  }
}

static void test_contact_lists(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.extra = "Contact: <sip:a@b>;expires=10, \"X, Y\" <sip:c@d>,sip:e@f\r\n"
                                            "Contact: <sip:g@h>\r\n"}));
  assert_int_equal(M->contact_count, 4);
  assert_true(sipt_addr_is(&M->contact, &(sipt_addr_want){.uri = "sip:a@b", .params = ";expires=10",
                                                            .has_expires = true, .expires = 10,
                                                            .value = "<sip:a@b>;expires=10"}));
  static const sipt_err_case star_mixed[] = {
      {{.extra = "Contact: *, <sip:a@b>\r\n"}, SIPHB_ERR_SIP_ADDRESS, ", <sip:a@b>", 0},
      {{.extra = "Contact: * ;expires=0\r\n"}, SIPHB_ERR_SIP_ADDRESS, ";expires=0", 0},
      {{.extra = "Contact: <sip:a@b>,*\r\n"}, SIPHB_ERR_SIP_ADDRESS, "*\r\n", 0},
      {{.extra = "Contact: *\r\nContact: <sip:a@b>\r\n"}, SIPHB_ERR_SIP_ADDRESS, "<sip:a@b>", 0},
      {{.extra = "Contact: <sip:a@b>\r\nm: *\r\n"}, SIPHB_ERR_SIP_ADDRESS, "*\r\n", 0},
      {{.extra = "Contact: *, <sip:a@b>\r\n", .lenient = true}, SIPHB_ERR_SIP_ADDRESS, ", <sip:a@b>", 0},
      {{.extra = "Contact: <sip:a@b>;expires=4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "expires", 0},
      {{.extra = "Contact: <sip:a@b>;expires=soon\r\n"}, SIPHB_ERR_SIP_NUMBER, "expires", 0},
      {{.extra = "Contact: <sip:a@b>;expires\r\n"}, SIPHB_ERR_SIP_NUMBER, "expires", 0},
      {{.extra = "Contact: <sip:a@b>, \r\n"}, SIPHB_ERR_SIP_ADDRESS, ", \r\n", 1},
      {{.extra = "Contact: <sip:a@b>,,<sip:c@d>\r\n"}, SIPHB_ERR_SIP_ADDRESS, ",<sip:c@d>", 0},
  };
  SIPT_ERR_CASES(star_mixed);
}

/* Each malformed value, in From, To and Contact, strict and lenient. */
static void test_address_errors_in_each_header(void **state) {
  (void)state;
  static const struct {
    const char *value;
    int code;
    const char *at;
    size_t delta;
  } cases[] = {
      {"\"Zed <sip:zed@b>;tag=1", SIPHB_ERR_SIP_QUOTE, "\"Zed", 0},
      {"\"Zed\\", SIPHB_ERR_SIP_QUOTE, "\"Zed", 0},
      {"<sip:zed@b;tag=1", SIPHB_ERR_SIP_ANGLE, "<sip:zed", 0},
      {"sip:zed@b>;tag=1", SIPHB_ERR_SIP_ANGLE, ">;tag=1", 0},
      {"Zed <sip:zed@b", SIPHB_ERR_SIP_ANGLE, "<sip:zed", 0},
      {"\"Zed\" sip:zed@b", SIPHB_ERR_SIP_ANGLE, "sip:zed", 0},
      {"<sip:zed<@b>", SIPHB_ERR_SIP_ANGLE, "<@b", 0},
      {"<sip:zed@b>>", SIPHB_ERR_SIP_ANGLE, ">>", 1},
      {"<>", SIPHB_ERR_SIP_ADDRESS, "<>", 1},
      {"<sip:zed@b> junk", SIPHB_ERR_SIP_ADDRESS, "junk", 0},
      {"<sip:zed@b>;tag", SIPHB_ERR_SIP_PARAM, "tag\r\n", 0},
      {"<sip:zed@b>;tag=\"q\"", SIPHB_ERR_SIP_PARAM, "tag=\"q", 0},
      {"<sip:zed@b>;=1", SIPHB_ERR_SIP_PARAM, "=1", 0},
      {"sip:zed\"x@b", SIPHB_ERR_SIP_QUOTE, "\"x@b", 0},
      {"<sip:zed@b>\"", SIPHB_ERR_SIP_QUOTE, "\"\r\n", 0},
      {"<sip:zed@b>;x=\"open", SIPHB_ERR_SIP_QUOTE, "\"open", 0},
  };
  static const char *const headers[] = {"From", "To", "Contact"};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    for (size_t h = 0; h < 3; h++) {
      for (int lenient = 0; lenient < 2; lenient++) {
        char line[128];
        snprintf(line, sizeof line, "%s: %s\r\n", headers[h], cases[i].value);
        sipt_spec s = {.extra = line, .lenient = lenient != 0};
        if (h == 0) s.from = SIPT_OMIT;
        if (h == 1) s.to = SIPT_OMIT;
        if (!sipt_refused(&s, cases[i].code, cases[i].at, cases[i].delta))
          fail_msg("%s case %zu%s", headers[h], i, lenient ? " (lenient)" : "");
      }
    }
  }
}

static void test_from_to_single_value(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.from = "<sip:a@b>;tag=1, <sip:c@d>"},
                           SIPHB_ERR_SIP_MULTIPLE_VALUES, ", <sip:c@d>", 0));
  assert_true(sipt_refused(&(sipt_spec){.to = "sip:a@b,sip:c@d"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ",sip:c@d", 0));
  assert_true(sipt_refused(&(sipt_spec){.from = ""}, SIPHB_ERR_SIP_ADDRESS, "From: \r\n", 6));
  assert_true(sipt_refused(&(sipt_spec){.to = ""}, SIPHB_ERR_SIP_ADDRESS, "To: \r\n", 4));
  /* lenient keeps the first */
  assert_true(sipt_ok(&(sipt_spec){.from = "<sip:a@b>;tag=1, <sip:c@d>", .lenient = true}));
  assert_true(sipt_addr_is(&M->from, &(sipt_addr_want){.uri = "sip:a@b", .tag = "1", .params = ";tag=1",
                                                         .value = "<sip:a@b>;tag=1"}));
}

/* ---- CSeq ----------------------------------------------------------------- */

static void test_cseq(void **state) {
  (void)state;
  static const struct {
    const char *cseq;
    uint32_t number;
    const char *method;
    siphb_sip_method id;
  } ok[] = {
      {"2147483647 OPTIONS", 2147483647u, "OPTIONS", SIPHB_SIP_METHOD_OPTIONS},
      {"0 REGISTER", 0, "REGISTER", SIPHB_SIP_METHOD_REGISTER},
      {" \t 00042 \t  INVITE \t", 42, "INVITE", SIPHB_SIP_METHOD_INVITE},
      {"7 X-CUSTOM", 7, "X-CUSTOM", SIPHB_SIP_METHOD_OTHER},
      {"8 options", 8, "options", SIPHB_SIP_METHOD_OTHER}, /* methods are case-sensitive */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_true(sipt_ok(&(sipt_spec){.cseq = ok[i].cseq}));
    assert_int_equal(M->cseq, ok[i].number);
    assert_true(sipt_slice(M->cseq_method, ok[i].method));
    assert_int_equal(M->cseq_method_id, ok[i].id);
  }
  static const sipt_err_case cases[] = {
      {{.cseq = "2147483648 OPTIONS"}, SIPHB_ERR_SIP_CSEQ, "2147483648", 0},
      {{.cseq = "99999999999999999999 OPTIONS"}, SIPHB_ERR_SIP_CSEQ, "9999", 0},
      {{.cseq = "-1 OPTIONS"}, SIPHB_ERR_SIP_CSEQ, "-1 OPTIONS", 0},
      {{.cseq = "OPTIONS"}, SIPHB_ERR_SIP_CSEQ, "OPTIONS", 0},
      {{.cseq = "1OPTIONS"}, SIPHB_ERR_SIP_CSEQ, "OPTIONS", 0},
      {{.cseq = "1"}, SIPHB_ERR_SIP_CSEQ, "CSeq: 1\r\n", 7},
      {{.cseq = "1 "}, SIPHB_ERR_SIP_CSEQ, "CSeq: 1 \r\n", 7},
      {{.cseq = "1 OPTIONS x"}, SIPHB_ERR_SIP_CSEQ, " x\r\n", 1},
      {{.cseq = "1 @"}, SIPHB_ERR_SIP_CSEQ, "1 @", 2},
      {{.cseq = ""}, SIPHB_ERR_SIP_CSEQ, "CSeq: \r\n", 6},
      {{.cseq = "1 OPTIONS, 2 OPTIONS"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ", 2", 0},
      {{.cseq = "2147483648 OPTIONS", .lenient = true}, SIPHB_ERR_SIP_CSEQ, "2147483648", 0},
  };
  SIPT_ERR_CASES(cases);
}

static void test_cseq_method_must_match_the_request(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{.start = "OPTIONS sip:a@b SIP/2.0", .cseq = "1 INVITE"}, SIPHB_ERR_SIP_CSEQ_METHOD, "INVITE", 0},
      {{.start = "OPTIONS sip:a@b SIP/2.0", .cseq = "1 options"}, SIPHB_ERR_SIP_CSEQ_METHOD, "options", 0},
      {{.start = "OPTIONS sip:a@b SIP/2.0", .cseq = "1 OPTIONSX"}, SIPHB_ERR_SIP_CSEQ_METHOD, "OPTIONSX", 0},
      {{.start = "ACK sip:a@b SIP/2.0", .cseq = "1 INVITE"}, SIPHB_ERR_SIP_CSEQ_METHOD, "INVITE", 0},
  };
  SIPT_ERR_CASES(cases);
  assert_true(sipt_ok(&(sipt_spec){.start = "OPTIONS sip:a@b SIP/2.0", .cseq = "1 INVITE", .lenient = true}));
  assert_int_equal(M->method_id, SIPHB_SIP_METHOD_OPTIONS);
  assert_int_equal(M->cseq_method_id, SIPHB_SIP_METHOD_INVITE);
  /* a response may carry any method */
  assert_true(sipt_ok(&(sipt_spec){.cseq = "1 INVITE"}));
}

/* ---- numbers -------------------------------------------------------------- */

static void test_numeric_headers(void **state) {
  (void)state;
  static const num_case ok[] = {
      {"Max-Forwards: 255\r\n", FIELD(max_forwards), 255},
      {"Max-Forwards: 0\r\n", FIELD(max_forwards), 0},
      {"Max-Forwards: 070\r\n", FIELD(max_forwards), 70},
      {"Expires: 4294967295\r\n", FIELD(expires), 4294967295u},
      {"Expires: 0\r\n", FIELD(expires), 0},
      {"Min-Expires: 4294967295\r\n", FIELD(min_expires), 4294967295u},
      {"Flow-Timer: 4294967295\r\n", FIELD(flow_timer), 4294967295u},
      {"Min-SE: 4294967295\r\n", FIELD(min_se), 4294967295u},
      {"Min-SE: 90 ;x=y;z\r\n", FIELD(min_se), 90},
      {"Content-Length: 0000000000000000000000\r\n", FIELD(content_length), 0},
  };
  RUN_NUM_CASES(ok);
  static const sipt_err_case bad[] = {
      {{.extra = "Max-Forwards: 256\r\n"}, SIPHB_ERR_SIP_NUMBER, "256", 0},
      {{.extra = "Max-Forwards: -1\r\n"}, SIPHB_ERR_SIP_NUMBER, ": -1", 2},
      {{.extra = "Max-Forwards: 7O\r\n"}, SIPHB_ERR_SIP_NUMBER, "7O", 1},
      {{.extra = "Max-Forwards: seventy\r\n"}, SIPHB_ERR_SIP_NUMBER, "seventy", 0},
      {{.extra = "Max-Forwards: 70, 69\r\n"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ", 69", 0},
      {{.extra = "Max-Forwards:\r\n"}, SIPHB_ERR_SIP_NUMBER, "Max-Forwards:\r\n", 13},
      {{.extra = "Expires: 4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "4294967296", 0},
      {{.extra = "Expires: 99999999999999999999\r\n"}, SIPHB_ERR_SIP_NUMBER, "9999", 0},
      {{.extra = "Expires: 60;x\r\n"}, SIPHB_ERR_SIP_NUMBER, ";x", 0},
      {{.extra = "Expires: Thu, 01 Dec 1994 16:00:00 GMT\r\n"}, SIPHB_ERR_SIP_NUMBER, "Thu", 0},
      {{.extra = "Min-Expires: 4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "4294967296", 0},
      {{.extra = "Flow-Timer: 4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "4294967296", 0},
      {{.extra = "Flow-Timer: -5\r\n"}, SIPHB_ERR_SIP_NUMBER, "-5", 0},
      {{.extra = "Min-SE: 4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "4294967296", 0},
      {{.extra = "Min-SE: 90 junk\r\n"}, SIPHB_ERR_SIP_PARAM, "junk", 0},
      {{.extra = "Min-SE: 90, 120\r\n"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ", 120", 0},
      {{.extra = "Max-Forwards: 256\r\n", .lenient = true}, SIPHB_ERR_SIP_NUMBER, "256", 0},
  };
  SIPT_ERR_CASES(bad);
}

static void test_retry_after(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.extra = "Retry-After: 120 (I'm in a meeting (really) \\) ok) ;duration=3600\r\n"}));
  assert_int_equal(M->retry_after.delta, 120);
  assert_true(sipt_slice(M->retry_after.comment, "I'm in a meeting (really) \\) ok"));
  assert_true(M->retry_after.has_duration);
  assert_int_equal(M->retry_after.duration, 3600);
  assert_true(sipt_ok(&(sipt_spec){.extra = "Retry-After: 18000\r\n"}));
  assert_int_equal(M->retry_after.delta, 18000);
  assert_int_equal(M->retry_after.comment.len, 0);
  assert_false(M->retry_after.has_duration);
  assert_true(sipt_ok(&(sipt_spec){.extra = "Retry-After: 4294967295()\r\n ;foo=bar;DURATION=0\r\n"}));
  assert_int_equal(M->retry_after.delta, 4294967295u);
  assert_int_equal(M->retry_after.comment.len, 0);
  assert_true(M->retry_after.has_duration);
  assert_int_equal(M->retry_after.duration, 0);
  static const sipt_err_case bad[] = {
      {{.extra = "Retry-After: 120 (open\r\n"}, SIPHB_ERR_SIP_PARAM, "(open", 0},
      {{.extra = "Retry-After: 120 ((one)\r\n"}, SIPHB_ERR_SIP_PARAM, "((one", 0},
      {{.extra = "Retry-After: 120 (x\\)\r\n"}, SIPHB_ERR_SIP_PARAM, "(x", 0},
      {{.extra = "Retry-After: 120;duration=x\r\n"}, SIPHB_ERR_SIP_NUMBER, "duration", 0},
      {{.extra = "Retry-After: 120;duration\r\n"}, SIPHB_ERR_SIP_NUMBER, "duration", 0},
      {{.extra = "Retry-After: 120;duration=4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "duration", 0},
      {{.extra = "Retry-After: soon\r\n"}, SIPHB_ERR_SIP_NUMBER, "soon", 0},
      {{.extra = "Retry-After: 4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "4294967296", 0},
      {{.extra = "Retry-After: 120, 130\r\n"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ", 130", 0},
      {{.extra = "Retry-After: 120 junk\r\n"}, SIPHB_ERR_SIP_PARAM, "junk", 0},
      {{.extra = "Retry-After: 120 (a) (b)\r\n"}, SIPHB_ERR_SIP_PARAM, "(b)", 0},
  };
  SIPT_ERR_CASES(bad);
}

static void test_session_expires(void **state) {
  (void)state;
  static const struct {
    const char *extra;
    uint32_t delta;
    siphb_sip_refresher refresher;
  } ok[] = {
      {"Session-Expires: 1800;refresher=uac\r\n", 1800, SIPHB_SIP_REFRESHER_UAC},
      {"x: 90 ; refresher = UAS\r\n", 90, SIPHB_SIP_REFRESHER_UAS},
      {"Session-Expires: 1800\r\n", 1800, SIPHB_SIP_REFRESHER_NONE},
      {"Session-Expires: 4294967295;foo;bar=baz\r\n", 4294967295u, SIPHB_SIP_REFRESHER_NONE},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_true(sipt_ok(&(sipt_spec){.extra = ok[i].extra}));
    assert_int_equal(M->session_expires.delta, ok[i].delta);
    assert_int_equal(M->session_expires.refresher, ok[i].refresher);
  }
  static const sipt_err_case bad[] = {
      {{.extra = "Session-Expires: 1800;refresher=bad\r\n"}, SIPHB_ERR_SIP_REFRESHER, "refresher", 0},
      {{.extra = "Session-Expires: 1800;refresher\r\n"}, SIPHB_ERR_SIP_PARAM, "refresher", 0},
      {{.extra = "Session-Expires: 1800;refresher=\"uac\"\r\n"}, SIPHB_ERR_SIP_REFRESHER, "refresher", 0},
      {{.extra = "Session-Expires: abc\r\n"}, SIPHB_ERR_SIP_NUMBER, "abc", 0},
      {{.extra = "Session-Expires: 4294967296\r\n"}, SIPHB_ERR_SIP_NUMBER, "4294967296", 0},
      {{.extra = "Session-Expires: 1800, 90\r\n"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ", 90", 0},
      {{.extra = "Session-Expires: 1800 junk\r\n"}, SIPHB_ERR_SIP_PARAM, "junk", 0},
  };
  SIPT_ERR_CASES(bad);
}

/* ---- mandatory and single-valued headers ---------------------------------- */

static void test_missing_mandatory_headers(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{.via = SIPT_OMIT}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
      {{.from = SIPT_OMIT}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
      {{.to = SIPT_OMIT}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
      {{.call_id = SIPT_OMIT}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
      {{.cseq = SIPT_OMIT}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
      {{.start = SIPT_REQ_LINE "Subject: y", .cseq = SIPT_OMIT}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
      {{.cseq = SIPT_OMIT, .stream = true, .extra = "l: 0\r\n"}, SIPHB_ERR_SIP_MISSING_HEADER, "\r\n\r\n", 2},
  };
  SIPT_ERR_CASES(cases);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sipt_spec s = cases[i].s;
    s.lenient = true;
    if (!sipt_ok(&s)) fail_msg("lenient case %zu", i);
  }
  /* nothing but a start line */
  assert_true(sipt_ok(&(sipt_spec){.raw = "SIP/2.0 200 OK\r\n\r\n", .lenient = true}));
  assert_int_equal(M->present, 0);
  assert_int_equal(M->header_count, 0);
  assert_int_equal(M->via_count, 0);
  assert_int_equal(M->headers.len, 0);
  assert_true(sipt_ok(&(sipt_spec){.raw = SIPT_REQ_LINE "\r\n", .lenient = true}));
  assert_int_equal(M->cseq_method.len, 0);
}

static void test_single_valued_headers_given_twice(void **state) {
  (void)state;
  static const struct {
    const char *lines; /* two lines of one single-valued header */
    const char *second;
    size_t field; /* SIZE_MAX: not a number */
    uint32_t first_value;
  } cases[] = {
      {"From: <sip:two@example.net>;tag=f2\r\n", "From: <sip:two", SIZE_MAX, 0},
      {"To: <sip:two@example.com>\r\n", "To: <sip:two", SIZE_MAX, 0},
      {"t: <sip:two@example.com>\r\n", "t: <sip:two", SIZE_MAX, 0},
      {"Call-ID: cid-2\r\n", "Call-ID: cid-2", SIZE_MAX, 0},
      {"i: cid-2\r\n", "i: cid-2", SIZE_MAX, 0},
      {"CSeq: 2 OPTIONS\r\n", "CSeq: 2", FIELD(cseq), 1},
      {"Max-Forwards: 70\r\nMax-Forwards: 69\r\n", "Max-Forwards: 69", FIELD(max_forwards), 70},
      {"Expires: 60\r\nExpires: 61\r\n", "Expires: 61", FIELD(expires), 60},
      {"Min-Expires: 60\r\nMin-Expires: 61\r\n", "Min-Expires: 61", FIELD(min_expires), 60},
      {"Min-SE: 90\r\nMin-SE: 91\r\n", "Min-SE: 91", FIELD(min_se), 90},
      {"Flow-Timer: 120\r\nFlow-Timer: 121\r\n", "Flow-Timer: 121", FIELD(flow_timer), 120},
      {"Retry-After: 5\r\nRetry-After: 6\r\n", "Retry-After: 6", FIELD(retry_after.delta), 5},
      {"Session-Expires: 90\r\nx: 91\r\n", "x: 91", FIELD(session_expires.delta), 90},
      {"Server: one\r\nServer: two\r\n", "Server: two", SIZE_MAX, 0},
      {"User-Agent: one\r\nUser-Agent: two\r\n", "User-Agent: two", SIZE_MAX, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!sipt_refused(&(sipt_spec){.extra = cases[i].lines}, SIPHB_ERR_SIP_MULTIPLE_VALUES,
                      cases[i].second, 0))
      fail_msg("case %zu", i);
    /* lenient: the first is kept, the second is not even parsed */
    if (!sipt_ok(&(sipt_spec){.extra = cases[i].lines, .lenient = true})) fail_msg("lenient case %zu", i);
    if (cases[i].field != SIZE_MAX) assert_int_equal(field_u32(cases[i].field), cases[i].first_value);
  }
  assert_true(sipt_ok(&(sipt_spec){.extra = "From: junk\"\r\nServer: one\r\nServer: two\r\n", .lenient = true}));
  assert_true(sipt_slice(M->from.tag, "f1"));
  assert_true(sipt_slice(M->server, "one"));
  assert_true(sipt_ok(&(sipt_spec){.extra = "User-Agent: one\r\nUser-Agent: two\r\n", .lenient = true}));
  assert_true(sipt_slice(M->user_agent, "one"));
  assert_true(sipt_ok(&(sipt_spec){.extra = "Call-ID: cid-2\r\n", .lenient = true}));
  assert_true(sipt_slice(M->call_id, SIPT_DEFAULT_CALL_ID));
}

static void test_multi_valued_headers_may_repeat(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.extra = "Record-Route: <sip:p1;lr>\r\nRecord-Route: <sip:p2;lr>\r\n"
                                            "Route: <sip:p3;lr>\r\nRoute: <sip:p4;lr>\r\n"
                                            "Supported: timer\r\nSupported: path\r\n"
                                            "Require: outbound\r\nRequire: gruu\r\n"
                                            "Allow: INVITE\r\nAllow: ACK\r\n"
                                            "Subject: a\r\nSubject: b\r\n"}));
  assert_int_equal(M->present, bit(SIPHB_SIP_HDR_VIA) | bit(SIPHB_SIP_HDR_FROM) | bit(SIPHB_SIP_HDR_TO) |
                                   bit(SIPHB_SIP_HDR_CALL_ID) | bit(SIPHB_SIP_HDR_CSEQ) |
                                   bit(SIPHB_SIP_HDR_RECORD_ROUTE) | bit(SIPHB_SIP_HDR_ROUTE) |
                                   bit(SIPHB_SIP_HDR_SUPPORTED) | bit(SIPHB_SIP_HDR_REQUIRE) |
                                   bit(SIPHB_SIP_HDR_ALLOW) | bit(SIPHB_SIP_HDR_SUBJECT));
  assert_int_equal(M->allow, (1u << SIPHB_SIP_METHOD_INVITE) | (1u << SIPHB_SIP_METHOD_ACK));
  assert_int_equal(M->header_count, 17);
}

static void test_call_id_server_user_agent(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.call_id = "a84b4c76e66710@pc33.atlanta.com",
                                   .extra = "Server: ExampleSBC/7.3.2 (build 1422)\r\n"
                                            "User-Agent: Phone/1.0\r\n  (folded)\r\n"}));
  assert_true(sipt_slice(M->call_id, "a84b4c76e66710@pc33.atlanta.com"));
  assert_true(sipt_slice(M->server, "ExampleSBC/7.3.2 (build 1422)"));
  assert_true(sipt_slice(M->user_agent, "Phone/1.0\r\n  (folded)"));
  assert_true(sipt_ok(&(sipt_spec){.call_id = "!%*_+`'~-.()<>:\\\"/[]?{}@x"}));
  assert_true(sipt_slice(M->call_id, "!%*_+`'~-.()<>:\\\"/[]?{}@x"));
  static const sipt_err_case bad[] = {
      {{.call_id = "abc def"}, SIPHB_ERR_SIP_HEADER, " def", 0},
      {{.call_id = "abc;def"}, SIPHB_ERR_SIP_HEADER, ";def", 0},
      {{.call_id = "abc, def"}, SIPHB_ERR_SIP_MULTIPLE_VALUES, ", def", 0},
      {{.call_id = ""}, SIPHB_ERR_SIP_HEADER, "Call-ID: \r\n", 9},
      {{.call_id = "abc\r\n def"}, SIPHB_ERR_SIP_HEADER, "\r\n def", 0},
  };
  SIPT_ERR_CASES(bad);
}

/* ---- regressions: bugs the first version of these tests found ------------- */

/* A status field that is not three digits is a malformed status line
 * (SIPHB_ERR_SIP_START_LINE); SIPHB_ERR_SIP_STATUS is for a number outside
 * 100-699. */
static void test_regression_status_letters(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.start = "SIP/2.0 abc OK"}, SIPHB_ERR_SIP_START_LINE, "abc", 0));
}

/* sip.h: lenient relaxes "several values in a single-valued header (the
 * first is kept)"; From and To do so for a comma list, the others refuse. */
static void test_regression_lenient_comma_lists_in_single_valued_headers(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.extra = "Max-Forwards: 70, 69\r\n", .lenient = true}));
  assert_int_equal(M->max_forwards, 70);
  assert_true(sipt_ok(&(sipt_spec){.call_id = "a@b, c@d", .lenient = true}));
  assert_true(sipt_slice(M->call_id, "a@b"));
  assert_true(sipt_ok(&(sipt_spec){.cseq = "1 OPTIONS, 2 OPTIONS", .lenient = true}));
  assert_int_equal(M->cseq, 1);
  assert_true(sipt_ok(&(sipt_spec){.extra = "Expires: 60, 70\r\n", .lenient = true}));
  assert_int_equal(M->expires, 60);
}

/* RFC 3261 section 7.3.1 / 25.1: CR only occurs in CRLF; sip_lex.h assumes
 * the line splitter guarantees it, but a lone CR passes as white space. */
static void test_regression_lone_cr_inside_a_line(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.to = "<sip:pbx@example.com>\r;tag=x"}, SIPHB_ERR_SIP_HEADER, "\r;tag", 0));
  assert_true(sipt_refused(&(sipt_spec){.extra = "Subject: a\rb\r\n"}, SIPHB_ERR_SIP_HEADER, "\rb", 0));
  assert_true(sipt_refused(&(sipt_spec){.extra = "Max-Forwards: 70\r\r\n"}, SIPHB_ERR_SIP_HEADER, "\r\r", 0));
}

/* The offset of "Contact '*' together with other contacts" is the byte
 * after the comma (a blank), not the '*'. */
static void test_regression_contact_star_offset(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.extra = "Contact: <sip:a@b>, *\r\n"}, SIPHB_ERR_SIP_ADDRESS, "*\r\n", 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_request_fields),
      cmocka_unit_test(test_requests_of_every_method),
      cmocka_unit_test(test_response_fields_and_reason),
      cmocka_unit_test(test_start_line_errors),
      cmocka_unit_test(test_other_sip_versions_when_lenient),
      cmocka_unit_test(test_header_name_colon_and_blanks),
      cmocka_unit_test(test_header_line_errors),
      cmocka_unit_test(test_folded_values_parse_like_unfolded),
      cmocka_unit_test(test_bare_lf_when_lenient),
      cmocka_unit_test(test_via_forms),
      cmocka_unit_test(test_via_ipv6_host_points_inside_the_brackets),
      cmocka_unit_test(test_via_errors),
      cmocka_unit_test(test_via_lists_across_lines),
      cmocka_unit_test(test_from_forms),
      cmocka_unit_test(test_to_forms),
      cmocka_unit_test(test_contact_forms),
      cmocka_unit_test(test_contact_lists),
      cmocka_unit_test(test_address_errors_in_each_header),
      cmocka_unit_test(test_from_to_single_value),
      cmocka_unit_test(test_cseq),
      cmocka_unit_test(test_cseq_method_must_match_the_request),
      cmocka_unit_test(test_numeric_headers),
      cmocka_unit_test(test_retry_after),
      cmocka_unit_test(test_session_expires),
      cmocka_unit_test(test_missing_mandatory_headers),
      cmocka_unit_test(test_single_valued_headers_given_twice),
      cmocka_unit_test(test_multi_valued_headers_may_repeat),
      cmocka_unit_test(test_call_id_server_user_agent),
      cmocka_unit_test(test_regression_status_letters),
      cmocka_unit_test(test_regression_lenient_comma_lists_in_single_valued_headers),
      cmocka_unit_test(test_regression_lone_cr_inside_a_line),
      cmocka_unit_test(test_regression_contact_star_offset),
  };
  return cmocka_run_group_tests(tests, NULL, sipt_teardown);
}
