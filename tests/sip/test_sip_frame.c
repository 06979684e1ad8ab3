/*
 * test_sip_frame.c - siphb_sip_parse(), the message's frame: Content-Length
 * (malformed, conflicting, beyond the datagram), datagram and stream mode
 * (bodies, leading CRLFs, one message consumed, the
 * `need` of an incomplete message at every split point), the size and
 * header-count limits, very long lines, line endings, NUL bytes, empty
 * input and NULL arguments. Inputs are heap blocks of exactly their length
 * (tests/support/siptest.c), so ASan reports any read past the end.
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

/* ---- line endings --------------------------------------------------------- */

static void test_bare_lf_everywhere_is_refused(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.raw = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP h\nFrom: <sip:a>\n\n"},
                           SIPHB_ERR_SIP_START_LINE, "\n", 0));
  assert_true(sipt_refused(&(sipt_spec){.raw = "SIP/2.0 200 OK\n", .stream = true},
                           SIPHB_ERR_SIP_START_LINE, "\n", 0));
  assert_true(sipt_refused(&(sipt_spec){.raw = "\n", .stream = true}, SIPHB_ERR_SIP_START_LINE, "\n", 0));
  assert_true(sipt_refused(&(sipt_spec){.extra = "Subject: a\r\n b\n c\r\n"}, SIPHB_ERR_SIP_HEADER, "b\n", 1));
  assert_true(sipt_refused(&(sipt_spec){.extra = "Content-Length: 0\r\n\n", .stream = true},
                           SIPHB_ERR_SIP_HEADER, "\r\n\n", 2));
}


/* ---- limits --------------------------------------------------------------- */

static void test_max_headers(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.max_headers = 5}));
  assert_true(sipt_refused(&(sipt_spec){.max_headers = 5, .extra = "Max-Forwards: 70\r\n"},
                           SIPHB_ERR_SIP_TOO_MANY_HEADERS, "Max-Forwards", 0));
  assert_true(sipt_ok(&(sipt_spec){.max_headers = 6, .extra = "Subject: a\r\n b\r\n c\r\n"}));
  assert_int_equal(M->header_count, 6);
  assert_true(sipt_refused(&(sipt_spec){.max_headers = 6, .extra = "Subject: a\r\nZ: 1\r\n", .stream = true},
                           SIPHB_ERR_SIP_TOO_MANY_HEADERS, "Z: 1", 0));
  /* the default is 256 */
  char extra[300 * 10];
  size_t n = 0;
  for (int i = 0; i < 251; i++) n += (size_t)sprintf(extra + n, "P-H: %d\r\n", i % 10);
  assert_true(sipt_ok(&(sipt_spec){.extra = extra}));
  assert_int_equal(M->header_count, 256);
  sprintf(extra + n, "P-Last: 1\r\n");
  assert_true(sipt_refused(&(sipt_spec){.extra = extra}, SIPHB_ERR_SIP_TOO_MANY_HEADERS, "P-Last", 0));
}

static void test_max_size_datagram(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.body = "hello"}));
  size_t len = sipt.len;
  assert_true(sipt_ok(&(sipt_spec){.body = "hello", .max_size = len}));
  assert_true(sipt_refused(&(sipt_spec){.body = "hello", .max_size = len - 1},
                           SIPHB_ERR_SIP_TOO_LARGE, NULL, (size_t)-1));
  /* the default is 65535 */
  static char big[65536];
  memset(big, 'b', sizeof big - 1);
  big[65535 - len + 5] = '\0';
  assert_true(sipt_ok(&(sipt_spec){.body = big}));
  assert_int_equal(sipt.len, 65535);
  big[65535 - len + 5] = 'b';
  big[65536 - len + 5] = '\0';
  assert_true(sipt_refused(&(sipt_spec){.body = big}, SIPHB_ERR_SIP_TOO_LARGE, NULL, (size_t)-1));
}

static void test_max_size_stream(void **state) {
  (void)state;
  const sipt_spec base = {.extra = "Content-Length: 5\r\n", .body = "hello", .stream = true};
  assert_true(sipt_ok(&base));
  size_t len = sipt.len;
  sipt_spec s = base;
  s.max_size = len;
  assert_true(sipt_ok(&s));
  s.max_size = len - 1; /* the header block fits, the body does not */
  assert_true(sipt_refused(&s, SIPHB_ERR_SIP_TOO_LARGE, "SIP/2.0", 0));
  s.max_size = 40; /* the Via line ends past the limit */
  assert_true(sipt_refused(&s, SIPHB_ERR_SIP_TOO_LARGE, "Via:", 0));
  /* cut short with the limit already reached: no point waiting for more */
  assert_true(sipt_parse(&base) > 0);
  uint8_t *full = malloc(len);
  assert_non_null(full);
  memcpy(full, sipt.buf, len);
  sipt_parse_bytes(full, 50, &(sipt_spec){.stream = true, .max_size = 30});
  assert_true(sipt_failed_at(SIPHB_ERR_SIP_TOO_LARGE, 30));
  sipt_parse_bytes(full, 29, &(sipt_spec){.stream = true, .max_size = 30});
  assert_int_equal(sipt.rc, SIPHB_ERR_INCOMPLETE);
  free(full);
  /* a Content-Length beyond the limit is refused before the body arrives */
  assert_true(sipt_refused(&(sipt_spec){.extra = "Content-Length: 65536\r\n", .stream = true},
                           SIPHB_ERR_SIP_TOO_LARGE, "SIP/2.0", 0));
}

static void test_very_long_lines(void **state) {
  (void)state;
  size_t n = 60000;
  char *extra = malloc(n + 64);
  assert_non_null(extra);
  memcpy(extra, "User-Agent: ", 12);
  memset(extra + 12, 'u', n);
  strcpy(extra + 12 + n, "\r\nContent-Length: 0\r\n");
  for (int stream = 0; stream < 2; stream++) {
    assert_true(sipt_ok(&(sipt_spec){.extra = extra, .stream = stream != 0}));
    assert_int_equal(M->user_agent.len, n);
    assert_ptr_equal(M->user_agent.ptr, (const char *)sipt.buf + sipt_off("uuu"));
  }
  char *call_id = malloc(n + 1);
  assert_non_null(call_id);
  memset(call_id, 'c', n);
  call_id[n] = '\0';
  assert_true(sipt_ok(&(sipt_spec){.call_id = call_id}));
  assert_true(sipt_slice(M->call_id, call_id));
  free(call_id);
  /* 70,000 bytes: above the default limit in both modes */
  char *huge = malloc(70064);
  assert_non_null(huge);
  memcpy(huge, "Subject: ", 9);
  memset(huge + 9, 's', 70000);
  strcpy(huge + 9 + 70000, "\r\nContent-Length: 0\r\n");
  sipt_parse(&(sipt_spec){.extra = huge});
  assert_true(sipt_failed_at(SIPHB_ERR_SIP_TOO_LARGE, 65535));
  assert_true(sipt_refused(&(sipt_spec){.extra = huge, .stream = true}, SIPHB_ERR_SIP_TOO_LARGE, "Subject", 0));
  free(huge);
  free(extra);
}

/* ---- framing -------------------------------------------------------------- */

static void test_content_length(void **state) {
  (void)state;
  static const sipt_err_case bad[] = {
      {{.extra = "Content-Length: -1\r\n"}, SIPHB_ERR_SIP_CONTENT_LENGTH, ": -1", 2},
      {{.extra = "Content-Length: 4294967296\r\n"}, SIPHB_ERR_SIP_CONTENT_LENGTH, "4294967296", 0},
      {{.extra = "Content-Length: x\r\n"}, SIPHB_ERR_SIP_CONTENT_LENGTH, "x\r\n", 0},
      {{.extra = "Content-Length: 1 2\r\n"}, SIPHB_ERR_SIP_CONTENT_LENGTH, "1 2\r\n", 2},
      {{.extra = "Content-Length: 0\r\nl: 1\r\n"}, SIPHB_ERR_SIP_CONTENT_LENGTH, "l: 1", 0},
      {{.extra = "Content-Length: 0\r\nl: 1\r\n", .lenient = true}, SIPHB_ERR_SIP_CONTENT_LENGTH, "l: 1", 0},
      {{.extra = "Content-Length: 10\r\n", .body = "abc"}, SIPHB_ERR_SIP_CONTENT_LENGTH, "abc", 0},
      {{.extra = "Content-Length: 4294967295\r\n"}, SIPHB_ERR_SIP_CONTENT_LENGTH, NULL, 0},
  };
  SIPT_ERR_CASES(bad);
  /* equal duplicates are harmless */
  assert_true(sipt_ok(&(sipt_spec){.extra = "Content-Length: 3\r\nl: 003\r\n", .body = "abc"}));
  assert_int_equal(M->content_length, 3);
  assert_true(sipt_slice_at(M->body, "abc", sipt.len - 3));
  /* beyond the datagram when lenient: the body is cut at its end */
  assert_true(sipt_ok(&(sipt_spec){.extra = "Content-Length: 10\r\n", .body = "abc", .lenient = true}));
  assert_int_equal(M->content_length, 10);
  assert_true(sipt_slice_at(M->body, "abc", sipt.len - 3));
  assert_int_equal(M->length, sipt.len);
  /* bytes after Content-Length are not part of the message (section 18.3) */
  assert_true(sipt_ok(&(sipt_spec){.extra = "Content-Length: 3\r\n", .body = "abcdef"}));
  assert_true(sipt_slice_at(M->body, "abc", sipt.len - 6));
  assert_int_equal(M->length, sipt.len - 3);
  /* without Content-Length the body is the rest of the datagram */
  assert_true(sipt_ok(&(sipt_spec){.body = "v=0\r\n\r\nx"}));
  assert_false(siphb_sip_msg_has(M, SIPHB_SIP_HDR_CONTENT_LENGTH));
  assert_true(sipt_slice_at(M->body, "v=0\r\n\r\nx", sipt.len - 8));
  assert_int_equal(M->length, sipt.len);
}

static void test_stream_requires_content_length(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.stream = true}, SIPHB_ERR_SIP_NO_CONTENT_LENGTH, "SIP/2.0", 0));
  assert_true(sipt_refused(&(sipt_spec){.raw = "\r\n\r\nSIP/2.0 200 OK\r\n" SIPT_HDRS "\r\n", .stream = true},
                           SIPHB_ERR_SIP_NO_CONTENT_LENGTH, "SIP/2.0", 0));
  assert_true(sipt_refused(&(sipt_spec){.stream = true, .lenient = true},
                           SIPHB_ERR_SIP_NO_CONTENT_LENGTH, "SIP/2.0", 0));
}

static void test_stream_skips_leading_crlfs(void **state) {
  (void)state;
  static const char text[] = "\r\n\r\n\r\nSIP/2.0 200 OK\r\n" SIPT_HDRS "Content-Length: 2\r\n\r\nhi";
  assert_int_equal(sipt_parse(&(sipt_spec){.raw = text, .stream = true}), sizeof text - 1);
  assert_int_equal(M->length, sizeof text - 7);
  assert_true(sipt_slice_at(M->start_line, "SIP/2.0 200 OK", 6));
  assert_true(sipt_slice_at(M->body, "hi", sizeof text - 3));
  assert_int_equal(sipt.err.code, 0);
  /* only CRLF pairs are skipped; a datagram skips nothing */
  assert_true(sipt_refused(&(sipt_spec){.raw = "\r\r\nSIP/2.0 200 OK\r\n" SIPT_HDRS "l: 0\r\n\r\n", .stream = true},
                           SIPHB_ERR_SIP_START_LINE, "\r\r", 0));
  assert_true(sipt_refused(&(sipt_spec){.raw = "\r\nSIP/2.0 200 OK\r\n" SIPT_HDRS "\r\n"},
                           SIPHB_ERR_SIP_START_LINE, "\r\nSIP", 0));
}

static void test_stream_consumes_exactly_one_message(void **state) {
  (void)state;
  static const char one[] = SIPT_REQ_LINE SIPT_HDRS "Content-Length: 5\r\n\r\nhello";
  static const char two[] = "SIP/2.0 200 OK\r\n" SIPT_HDRS "l: 0\r\n\r\n";
  static const char both[] = SIPT_REQ_LINE SIPT_HDRS "Content-Length: 5\r\n\r\nhello" "\r\n" "SIP/2.0 200 OK\r\n" SIPT_HDRS "l: 0\r\n\r\n";
  assert_int_equal(sipt_parse(&(sipt_spec){.raw = both, .stream = true}), sizeof one - 1);
  assert_true(M->is_request);
  assert_true(sipt_slice(M->body, "hello"));
  assert_int_equal(M->length, sizeof one - 1);
  siphb_ssize rest = sipt_parse_bytes(both + sizeof one - 1, sizeof both - sizeof one, &(sipt_spec){.stream = true});
  assert_int_equal(rest, 2 + sizeof two - 1);
  assert_int_equal(M->status, 200);
  assert_int_equal(M->length, sizeof two - 1);
  /* the same bytes as a datagram: one message, the rest is ignored */
  assert_int_equal(sipt_parse(&(sipt_spec){.raw = both}), sizeof both - 1);
  assert_int_equal(M->length, sizeof one - 1);
}

static void test_stream_incomplete_need(void **state) {
  (void)state;
  static const struct {
    const char *text;
    size_t need;
  } cases[] = {
      {"", 1},
      {"\r", 1},
      {"\r\n", 1},
      {"\r\n\r\n\r", 1},
      {"S", 4},
      {"SIP/2.0 200 OK\r", 3},
      {"SIP/2.0 200 OK\r\n", 2},
      {"SIP/2.0 200 OK\r\nVia", 4},
      {"SIP/2.0 200 OK\r\nVia:", 4},
      {"SIP/2.0 200 OK\r\n" SIPT_HDRS, 2},
      {"SIP/2.0 200 OK\r\n" SIPT_HDRS "\r", 1},
      {"\r\n\r\nSIP/2.0 200 OK\r\n" SIPT_HDRS "\r", 1},
      {"SIP/2.0 200 OK\r\n" SIPT_HDRS "Content-Length: 10\r\n\r\n", 10},
      {"SIP/2.0 200 OK\r\n" SIPT_HDRS "Content-Length: 10\r\n\r\n12345678", 2},
      {"\r\nSIP/2.0 200 OK\r\n" SIPT_HDRS "Content-Length: 10\r\n\r\n1", 9},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = strlen(cases[i].text);
    sipt_parse_bytes(cases[i].text, len, &(sipt_spec){.stream = true});
    if (sipt.rc != SIPHB_ERR_INCOMPLETE || sipt.err.code != SIPHB_ERR_INCOMPLETE ||
        sipt.err.need != cases[i].need || sipt.err.offset != len || !sipt.err.message)
      fail_msg("case %zu: rc %td need %zu offset %zu, expected need %zu", i, sipt.rc, sipt.err.need,
               sipt.err.offset, cases[i].need);
  }
}

/* Stream mode, every prefix of `text`: incomplete with a need that is at
 * least 1, never more than what is missing, and exactly what is missing
 * once the header block is complete; the whole text parses to the same
 * message as at once. */
static void check_every_split(const char *text, size_t len) {
  assert_int_equal(sipt_parse_bytes(text, len, &(sipt_spec){.stream = true}), len);
  size_t header_end = (size_t)(sipt.msg.body.ptr - (const char *)sipt.buf);
  size_t length = sipt.msg.length;
  for (size_t k = 0; k < len; k++) {
    sipt_parse_bytes(text, k, &(sipt_spec){.stream = true});
    if (sipt.rc != SIPHB_ERR_INCOMPLETE || sipt.err.offset != k || sipt.err.need < 1 ||
        sipt.err.need > len - k || (k >= header_end && sipt.err.need != len - k))
      fail_msg("prefix %zu of %zu (header block %zu): rc %td need %zu offset %zu", k, len,
               header_end, sipt.rc, sipt.err.need, sipt.err.offset);
  }
  assert_int_equal(sipt_parse_bytes(text, len, &(sipt_spec){.stream = true}), len);
  assert_int_equal(sipt.msg.length, length);
}

static void test_every_split_point(void **state) {
  (void)state;
  static const char *const corpus[] = {"01_options_200.sip", "02_register_200.sip", "03_401.sip",
                                       "04_503.sip", "05_422.sip", "06_compact.sip",
                                       "07_folded.sip", "08_large.sip"};
  for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
    size_t len;
    uint8_t *data = sipt_load(corpus[i], &len);
    check_every_split((const char *)data, len);
    free(data);
  }
  static const char with_body[] = "\r\n\r\n" SIPT_REQ_LINE SIPT_HDRS "Subject: a\r\n\tb\r\nContent-Length: 13\r\n\r\nv=0\r\n\r\n\r\nabcd";
  check_every_split(with_body, sizeof with_body - 1);
}

/* ---- hostile input and arguments ------------------------------------------ */

#define SIPT_RAW_N(text) .raw = (text), .raw_len = sizeof(text) - 1

static void test_nul_bytes(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{SIPT_RAW_N("OPTIONS sip:a\0b SIP/2.0\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_START_LINE, "", 13},
      {{SIPT_RAW_N("OPT\0ONS sip:a@b SIP/2.0\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_START_LINE, "", 3},
      {{SIPT_RAW_N("SIP/2.0 200 OK\r\nSub\0ject: x\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_HEADER, "", 19},
      {{SIPT_RAW_N("SIP/2.0 200 OK\r\nCall-ID: a\0b\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_HEADER, "", 26},
      {{SIPT_RAW_N("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\0\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_HEADER, "", 34},
      {{SIPT_RAW_N("\0IP/2.0 200 OK\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_START_LINE, "", 0},
      /* NUL as the last byte, before any line end (fuzz: read one byte past
       * the data, regressions/sip_parse/nul-last-byte-of-start-line.sip) */
      {{SIPT_RAW_N("S\x01\0")}, SIPHB_ERR_SIP_START_LINE, "", 2},
      {{SIPT_RAW_N("SIP/2.0 200 OK\0")}, SIPHB_ERR_SIP_START_LINE, "", 14},
      {{SIPT_RAW_N("SIP/2.0 200 OK\0"), .stream = true}, SIPHB_ERR_SIP_START_LINE, "", 14},
  };
  SIPT_ERR_CASES(cases);
  /* a body may hold anything */
  static const char body[] = "SIP/2.0 200 OK\r\n" SIPT_HDRS "Content-Length: 3\r\n\r\na\0b";
  assert_true(sipt_ok(&(sipt_spec){SIPT_RAW_N(body)}));
  assert_int_equal(M->body.len, 3);
  assert_int_equal(memcmp(M->body.ptr, "a\0b", 3), 0);
}

static void test_empty_input(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){SIPT_RAW_N("")}, SIPHB_ERR_SIP_START_LINE, NULL, 0));
  sipt_parse_bytes("", 0, &(sipt_spec){.stream = true});
  assert_int_equal(sipt.rc, SIPHB_ERR_INCOMPLETE);
  assert_int_equal(sipt.err.need, 1);
  assert_true(sipt_refused(&(sipt_spec){.raw = "\r\n"}, SIPHB_ERR_SIP_START_LINE, NULL, (size_t)-2));
  assert_true(sipt_refused(&(sipt_spec){.raw = "\r\n\r\n"}, SIPHB_ERR_SIP_START_LINE, NULL, (size_t)-4));
}

static void test_null_arguments(void **state) {
  (void)state;
  static const uint8_t text[] = "SIP/2.0 200 OK\r\n" SIPT_HDRS "\r\n";
  siphb_sip_msg msg;
  siphb_error_info err;
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  memset(&err, 0x5a, sizeof err);
  assert_int_equal(siphb_sip_parse(NULL, text, sizeof text - 1, &cfg, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_non_null(err.message);
  assert_int_equal(siphb_sip_parse(&msg, NULL, 10, &cfg, &err), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(err.code, SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_sip_parse(NULL, NULL, 0, NULL, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  /* NULL data with length 0 is empty input */
  assert_int_equal(siphb_sip_parse(&msg, NULL, 0, &cfg, &err), SIPHB_ERR_SIP_START_LINE);
  assert_int_equal(err.offset, 0);
  cfg.mode = SIPHB_SIP_STREAM;
  assert_int_equal(siphb_sip_parse(&msg, NULL, 0, &cfg, &err), SIPHB_ERR_INCOMPLETE);
  assert_int_equal(err.need, 1);
  /* cfg NULL: datagram defaults; err NULL on success and on failure */
  assert_int_equal(siphb_sip_parse(&msg, text, 5, NULL, NULL), SIPHB_ERR_SIP_START_LINE);
  assert_int_equal(siphb_sip_parse(&msg, text, sizeof text - 1, NULL, NULL), sizeof text - 1);
  assert_int_equal(msg.status, 200);
  /* the configuration defaults */
  memset(&cfg, 0x5a, sizeof cfg);
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  assert_int_equal(cfg.mode, SIPHB_SIP_DATAGRAM);
  assert_false(cfg.lenient);
  assert_int_equal(cfg.max_size, 65535);
  assert_int_equal(cfg.max_headers, 256);
  siphb_sip_parse_config_init(NULL, sizeof(siphb_sip_parse_config));
  assert_false(siphb_sip_msg_has(NULL, SIPHB_SIP_HDR_VIA));
  assert_true(siphb_sip_msg_has(&msg, SIPHB_SIP_HDR_VIA));
  assert_false(siphb_sip_msg_has(&msg, SIPHB_SIP_HDR_OTHER));
  assert_false(siphb_sip_msg_has(&msg, SIPHB_SIP_HDR_COUNT_));
  assert_false(siphb_sip_msg_has(&msg, (siphb_sip_hdr)-1));
}

/* ---- regressions: bugs the first version of these tests found ------------- */

/* RFC 3261 section 25.1: Reason-Phrase and header values (TEXT-UTF8char,
 * LWS) have no NUL; indexed slices (reason, server) must not carry one. */
static void test_regression_nul_in_reason_and_values(void **state) {
  (void)state;
  static const sipt_err_case cases[] = {
      {{SIPT_RAW_N("SIP/2.0 200 O\0K\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_START_LINE, "", 13},
      {{SIPT_RAW_N("SIP/2.0 200 OK\r\nServer: a\0b\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_HEADER, "", 25},
      {{SIPT_RAW_N("SIP/2.0 200 OK\r\nSubject: a\0b\r\n" SIPT_HDRS "\r\n")}, SIPHB_ERR_SIP_HEADER, "", 26},
  };
  SIPT_ERR_CASES(cases);
}


int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bare_lf_everywhere_is_refused),
      cmocka_unit_test(test_max_headers),
      cmocka_unit_test(test_max_size_datagram),
      cmocka_unit_test(test_max_size_stream),
      cmocka_unit_test(test_very_long_lines),
      cmocka_unit_test(test_content_length),
      cmocka_unit_test(test_stream_requires_content_length),
      cmocka_unit_test(test_stream_skips_leading_crlfs),
      cmocka_unit_test(test_stream_consumes_exactly_one_message),
      cmocka_unit_test(test_stream_incomplete_need),
      cmocka_unit_test(test_every_split_point),
      cmocka_unit_test(test_nul_bytes),
      cmocka_unit_test(test_empty_input),
      cmocka_unit_test(test_null_arguments),
      cmocka_unit_test(test_regression_nul_in_reason_and_values),
  };
  return cmocka_run_group_tests(tests, NULL, sipt_teardown);
}
