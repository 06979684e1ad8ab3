/*
 * siptest.h - helpers for the SIP parser tests: build a message from a few
 * header values, parse it from a heap copy of exactly its length (so that
 * ASan catches any read past the end), and compare results exactly.
 *
 * The checking helpers return bool and print what differed, so that the
 * test asserts on its own line: assert_true(sipt_ok(&(sipt_spec){...})).
 */
#ifndef SIPHB_TESTS_SIPTEST_H
#define SIPHB_TESTS_SIPTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/siphb.h>

/* A header value that leaves the header out of the message. */
extern const char sipt_omit[];
#define SIPT_OMIT sipt_omit

/* What to parse. Either `raw` (raw_len 0: strlen), or a message built as
 *   start CRLF
 *   "Via: " via CRLF, "From: " from CRLF, "To: " to CRLF,
 *   "Call-ID: " call_id CRLF, "CSeq: " cseq CRLF   (NULL: a default value,
 *                                                  SIPT_OMIT: no line)
 *   extra (whole lines, each with its CRLF)
 *   CRLF body
 * and the parser configuration (0 in max_size/max_headers: the default). */
typedef struct sipt_spec {
  const char *raw;
  size_t raw_len;
  const char *start; /* default "SIP/2.0 200 OK" */
  const char *via, *from, *to, *call_id, *cseq;
  const char *extra;
  const char *body;
  bool stream;
  bool lenient;
  size_t max_size;
  size_t max_headers;
} sipt_spec;

#define SIPT_DEFAULT_VIA "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-t1"
#define SIPT_DEFAULT_FROM "<sip:mon@example.net>;tag=f1"
#define SIPT_DEFAULT_TO "<sip:pbx@example.com>"
#define SIPT_DEFAULT_CALL_ID "cid-1@192.0.2.10"
#define SIPT_DEFAULT_CSEQ "1 OPTIONS"

/* The default header lines, and a request line, for raw messages. */
#define SIPT_HDRS                                                                   \
  "Via: " SIPT_DEFAULT_VIA "\r\nFrom: " SIPT_DEFAULT_FROM "\r\nTo: " SIPT_DEFAULT_TO \
  "\r\nCall-ID: " SIPT_DEFAULT_CALL_ID "\r\nCSeq: " SIPT_DEFAULT_CSEQ "\r\n"
#define SIPT_REQ_LINE "OPTIONS sip:pbx@example.com SIP/2.0\r\n"

/* A raw message given as a string literal that may contain NUL bytes. */
#define SIPT_RAW_N(text) .raw = (text), .raw_len = sizeof(text) - 1

/* The last parse: its input (a heap block of exactly len bytes), result and
 * configuration. Valid until the next parse or sipt_reset(). */
typedef struct sipt_state {
  uint8_t *buf;
  size_t len;
  siphb_sip_parse_config cfg;
  siphb_sip_msg msg;
  siphb_error_info err;
  siphb_ssize rc;
} sipt_state;

extern sipt_state sipt;

/* Frees the last input. */
void sipt_reset(void);

/* Builds and parses; returns the parser's result. */
siphb_ssize sipt_parse(const sipt_spec *s);

/* Parses data[0..len) (copied to a block of exactly len bytes) with the
 * configuration of `s` (NULL: defaults); s->raw and the values are ignored. */
siphb_ssize sipt_parse_bytes(const void *data, size_t len, const sipt_spec *s);

/* Parses and checks success: the return value is the whole input and the
 * error record is clear. */
bool sipt_ok(const sipt_spec *s);

/* Parses and checks failure with `code`, err->code == code, err->need == 0,
 * a message, and err->offset == offset of `needle` in the input plus delta
 * (needle NULL: the input's length plus delta). */
bool sipt_refused(const sipt_spec *s, int code, const char *needle, size_t delta);

/* A malformed input, the code it must get and where: the first `at` in the
 * input plus delta (at NULL: the end of the input plus delta). */
typedef struct sipt_err_case {
  sipt_spec s;
  int code;
  const char *at;
  size_t delta;
} sipt_err_case;

/* sipt_refused() on each case; fails the test naming the first bad case. */
void sipt_err_cases(const sipt_err_case *c, size_t n);
#define SIPT_ERR_CASES(cases) sipt_err_cases(cases, sizeof(cases) / sizeof(cases[0]))

/* A cmocka group teardown that frees the last input. */
int sipt_teardown(void **state);

/* Checks the last parse's error record against code and offset. */
bool sipt_failed_at(int code, size_t offset);

/* Offset of the first `needle` in the last input; SIZE_MAX if absent. */
size_t sipt_off(const char *needle);

/* s equals want (NULL or "": s is empty) and lies inside the last input. */
bool sipt_slice(siphb_str s, const char *want);

/* Like sipt_slice, and s starts at `offset` of the last input. */
bool sipt_slice_at(siphb_str s, const char *want, size_t offset);

/* Expected Via fields; NULL strings must be empty, port 0 means none. */
typedef struct sipt_via_want {
  const char *transport, *host;
  bool ipv6;
  unsigned port;
  const char *branch, *received;
  int rport;    /* 0 absent, -1 without value, else its value */
  long long keep; /* 0 absent, -1 without value, else its value */
  const char *params;
  const char *value; /* NULL: not checked */
} sipt_via_want;

bool sipt_via_is(const siphb_sip_via *v, const sipt_via_want *w);

/* Expected From/To/Contact fields; NULL strings must be empty. */
typedef struct sipt_addr_want {
  const char *display_name, *uri, *tag, *params;
  bool star;
  bool has_expires;
  uint32_t expires;
  const char *value; /* NULL: not checked */
} sipt_addr_want;

bool sipt_addr_is(const siphb_sip_addr *a, const sipt_addr_want *w);

/* Reads a file of bench/corpus/sip (SIPHB_TEST_SIP_DATA) into a heap block of
 * exactly its size; *len gets the size. Aborts the test on failure. */
uint8_t *sipt_load(const char *name, size_t *len);

#endif /* SIPHB_TESTS_SIPTEST_H */
