/*
 * stuntest.h - helpers for the STUN codec tests: the RFC 5769 / RFC 8489
 * vectors of tests/data/stun (SIPHB_TEST_STUN_DATA), hex literals, and a
 * parse from a heap copy of exactly the input's size (so that ASan catches
 * any read past the end) with its error record checked exactly.
 */
#ifndef SIPHB_TESTS_STUNTEST_H
#define SIPHB_TESTS_STUNTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siphb/siphb.h>

/* The vectors, by file name in tests/data/stun. */
#define STUNT_REQUEST "sample-request.hex"                     /* RFC 5769 2.1, 108 bytes */
#define STUNT_IPV4 "sample-ipv4-response.hex"                  /* 2.2, 80 bytes */
#define STUNT_IPV6 "sample-ipv6-response.hex"                  /* 2.3, 92 bytes */
#define STUNT_LONG_TERM "sample-request-long-term-auth.hex"    /* 2.4, 116 bytes */
#define STUNT_SHA256 "rfc8489-b1-request-long-term-sha256.hex" /* RFC 8489 B.1, 156 bytes */

/* Credentials of the vectors (tests/data/stun/README.md). */
#define STUNT_SHORT_PASSWORD "VOkJxbRl1RmTxUk/WvJxBt"
#define STUNT_USERNAME_2_1 "evtj:h6vY"
#define STUNT_LT_USERNAME "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9"
#define STUNT_LT_REALM "example.org"
#define STUNT_LT_PASSWORD "TheMatrIX"
#define STUNT_LT_NONCE "f//499k954d6OL34oL9FSTvy64sA"
#define STUNT_B1_NONCE "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"

/* Reads a vector into a heap block of exactly its size (*len). Aborts the
 * test on failure; free() the result. */
uint8_t *stunt_load(const char *name, size_t *len);

/* Decodes hex (whitespace ignored) into out[0..cap); returns the length.
 * Aborts the test on a bad digit or overflow. */
size_t stunt_hex(const char *hex, uint8_t *out, size_t cap);

/* The last parse: its input (a heap block of exactly len bytes) and result.
 * Valid until the next parse or stunt_reset(). */
typedef struct stunt_state {
  uint8_t *buf;
  size_t len;
  siphb_stun_msg msg;
  siphb_error_info err;
  siphb_ssize rc;
} stunt_state;

extern stunt_state stunt;

void stunt_reset(void);

/* Parses data[0..len) from an exact-size heap copy; cfg NULL: defaults. */
siphb_ssize stunt_parse(const void *data, size_t len, const siphb_stun_parse_config *cfg);

/* The same for a hex string. */
siphb_ssize stunt_parse_hex(const char *hex, const siphb_stun_parse_config *cfg);

/* The last parse failed with code at offset (err->code, a message, need as
 * given); prints what differed. */
bool stunt_failed(int code, size_t offset, size_t need);

/* The last parse succeeded over the whole input and cleared err. */
bool stunt_ok(void);

/* A cmocka group teardown that frees the last input. */
int stunt_teardown(void **state);

/* s holds exactly the n bytes of want. */
bool stunt_bytes_eq(siphb_str s, const void *want, size_t n);

/* buf[0..len) equals want[0..n); prints the first difference. */
bool stunt_same(const uint8_t *buf, size_t len, const uint8_t *want, size_t n);

#endif /* SIPHB_TESTS_STUNTEST_H */
