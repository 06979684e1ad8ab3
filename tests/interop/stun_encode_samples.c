/*
 * stun_encode_samples.c - writes STUN messages made by siphb's encoder, one
 * file each, for tests/interop/stun_run.sh to put in a pcap and have
 * tshark dissect:
 *
 *   stun_encode_samples DIR
 *
 * writes DIR/req-NN-NAME.bin (requests) and DIR/rsp-NN-NAME.bin
 * (responses): the keepalive with and without FINGERPRINT, short-term and
 * long-term authenticated requests (MESSAGE-INTEGRITY, -SHA256, USERHASH,
 * PASSWORD-ALGORITHM), success responses with IPv4 and IPv6 addresses,
 * error responses (420 with UNKNOWN-ATTRIBUTES, 401 with
 * PASSWORD-ALGORITHMS, 300 with ALTERNATE-SERVER). Each one is decoded
 * again and its FINGERPRINT and integrity checked before it is written.
 * Prints one line per file; exit 0, or 1 if anything failed.
 */
#include <stdio.h>
#include <string.h>

#include <siphb/stun.h>

#include "interop_util.h"

/* The RFC 5769 section 2.1 short-term password and the section 2.4
 * long-term credentials (username "マトリックス" in UTF-8). */
#define SHORT_TERM_PASSWORD "VOkJxbRl1RmTxUk/WvJxBt"
#define LT_USER "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9"
#define LT_REALM "example.org"
#define LT_PASSWORD "TheMatrIX"
#define NONCE "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"

typedef enum key_kind { KEY_NONE, KEY_SHORT, KEY_LONG_MD5, KEY_LONG_SHA256 } key_kind;

typedef struct sample {
  const char *name;
  siphb_stun_class cls;
  key_kind key;
  unsigned flags; /* siphb_stun_finish_flag */
  int (*build)(siphb_stun_encoder *enc);
} sample;

static const uint8_t txid[SIPHB_STUN_TXID_SIZE] = {0x73, 0x69, 0x70, 0x68, 0x62, 0x2d,
                                                   0x73, 0x61, 0x6d, 0x70, 0x6c, 0x65};

static siphb_mapped_addr v4(void) {
  siphb_mapped_addr a;
  memset(&a, 0, sizeof a);
  a.family = 1;
  a.port = 32853;
  memcpy(a.addr, "\xc0\x00\x02\x01", 4); /* 192.0.2.1 */
  return a;
}

static siphb_mapped_addr v6(void) {
  siphb_mapped_addr a = v4();
  a.family = 2;
  memcpy(a.addr, "\x20\x01\x0d\xb8\x12\x34\x56\x78\x00\x11\x22\x33\x44\x55\x66\x77", 16);
  return a;
}

static int b_none(siphb_stun_encoder *enc) {
  (void)enc;
  return 0;
}

static int b_short_term(siphb_stun_encoder *enc) {
  int rc = siphb_stun_encode_software(enc, interop_str("siphb interop"));
  if (!rc) rc = siphb_stun_encode_username(enc, interop_str("evtj:h6vY"));
  return rc;
}

static int b_long_term(siphb_stun_encoder *enc) {
  siphb_stun_password_alg alg = {SIPHB_STUN_PASSWORD_SHA256, {NULL, 0}, {0}};
  int rc = siphb_stun_encode_username(enc, interop_str(LT_USER));
  if (!rc) rc = siphb_stun_encode_realm(enc, interop_str(LT_REALM));
  if (!rc) rc = siphb_stun_encode_nonce(enc, interop_str(NONCE));
  if (!rc) rc = siphb_stun_encode_password_algorithm(enc, &alg);
  return rc;
}

static int b_userhash(siphb_stun_encoder *enc) {
  uint8_t hash[SIPHB_STUN_USERHASH_SIZE];
  int rc = siphb_stun_compute_userhash(interop_str(LT_USER), interop_str(LT_REALM), hash);
  if (!rc) rc = siphb_stun_encode_userhash(enc, hash);
  if (!rc) rc = siphb_stun_encode_realm(enc, interop_str(LT_REALM));
  if (!rc) rc = siphb_stun_encode_nonce(enc, interop_str(NONCE));
  return rc;
}

static int b_success_v4(siphb_stun_encoder *enc) {
  siphb_mapped_addr a = v4();
  int rc = siphb_stun_encode_xor_mapped_address(enc, &a);
  if (!rc) rc = siphb_stun_encode_mapped_address(enc, &a);
  if (!rc) rc = siphb_stun_encode_software(enc, interop_str("siphb interop"));
  return rc;
}

static int b_success_v6(siphb_stun_encoder *enc) {
  siphb_mapped_addr a = v6();
  return siphb_stun_encode_xor_mapped_address(enc, &a);
}

static int b_error_420(siphb_stun_encoder *enc) {
  static const uint16_t unknown[] = {0x0024, 0x7777, 0x0031};
  int rc = siphb_stun_encode_error_code(enc, 420, interop_str(""));
  if (!rc) rc = siphb_stun_encode_unknown_attributes(enc, unknown, 3);
  return rc;
}

static int b_error_401(siphb_stun_encoder *enc) {
  siphb_stun_password_alg algs[2] = {{SIPHB_STUN_PASSWORD_MD5, {NULL, 0}, {0}},
                                     {SIPHB_STUN_PASSWORD_SHA256, {NULL, 0}, {0}}};
  int rc = siphb_stun_encode_error_code(enc, 401, interop_str(""));
  if (!rc) rc = siphb_stun_encode_realm(enc, interop_str(LT_REALM));
  if (!rc) rc = siphb_stun_encode_nonce(enc, interop_str(NONCE));
  if (!rc) rc = siphb_stun_encode_password_algorithms(enc, algs, 2);
  return rc;
}

static int b_error_300(siphb_stun_encoder *enc) {
  siphb_mapped_addr a = v6();
  int rc = siphb_stun_encode_error_code(enc, 300, interop_str("Try Alternate"));
  if (!rc) rc = siphb_stun_encode_alternate_server(enc, &a);
  if (!rc) rc = siphb_stun_encode_alternate_domain(enc, interop_str("stun.example.org"));
  return rc;
}

static const sample samples[] = {
    {"binding", SIPHB_STUN_REQUEST, KEY_NONE, 0, b_none},
    {"binding-fingerprint", SIPHB_STUN_REQUEST, KEY_NONE, SIPHB_STUN_WITH_FINGERPRINT, b_none},
    {"short-term", SIPHB_STUN_REQUEST, KEY_SHORT,
     SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_FINGERPRINT, b_short_term},
    {"long-term-sha256", SIPHB_STUN_REQUEST, KEY_LONG_SHA256,
     SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_INTEGRITY_SHA256 | SIPHB_STUN_WITH_FINGERPRINT,
     b_long_term},
    {"userhash", SIPHB_STUN_REQUEST, KEY_LONG_MD5, SIPHB_STUN_WITH_INTEGRITY_SHA256, b_userhash},
    {"success-ipv4", SIPHB_STUN_SUCCESS, KEY_SHORT,
     SIPHB_STUN_WITH_INTEGRITY | SIPHB_STUN_WITH_FINGERPRINT, b_success_v4},
    {"success-ipv6", SIPHB_STUN_SUCCESS, KEY_NONE, SIPHB_STUN_WITH_FINGERPRINT, b_success_v6},
    {"error-420", SIPHB_STUN_ERROR, KEY_NONE, SIPHB_STUN_WITH_FINGERPRINT, b_error_420},
    {"error-401", SIPHB_STUN_ERROR, KEY_NONE, SIPHB_STUN_WITH_FINGERPRINT, b_error_401},
    {"error-300", SIPHB_STUN_ERROR, KEY_NONE, 0, b_error_300},
};

static int make_key(key_kind k, siphb_stun_key *key) {
  switch (k) {
  case KEY_SHORT:
    return siphb_stun_key_init(key, (const uint8_t *)SHORT_TERM_PASSWORD,
                               strlen(SHORT_TERM_PASSWORD));
  case KEY_LONG_MD5:
  case KEY_LONG_SHA256:
    return siphb_stun_key_long_term(
        key, k == KEY_LONG_MD5 ? SIPHB_STUN_PASSWORD_MD5 : SIPHB_STUN_PASSWORD_SHA256,
        interop_str(LT_USER), interop_str(LT_REALM), interop_str(LT_PASSWORD));
  case KEY_NONE: break;
  }
  return 0;
}

/* Encodes one sample, decodes it again, checks it, writes it. */
static int emit(const char *dir, size_t i, const sample *s) {
  uint8_t buf[512];
  siphb_stun_encoder enc;
  siphb_stun_key key;
  siphb_stun_msg m;
  char path[1024];
  memset(&key, 0, sizeof key);
  int rc =
      siphb_stun_encode_start(&enc, buf, sizeof buf, SIPHB_STUN_BINDING, s->cls, txid, NULL, NULL);
  if (!rc) rc = s->build(&enc);
  if (!rc) rc = make_key(s->key, &key);
  siphb_ssize n = rc ? rc : siphb_stun_encode_finish(&enc, s->key ? &key : NULL, s->flags);
  if (n < 0) {
    fprintf(stderr, "%s: encoding failed: %s\n", s->name, siphb_errname((int)n));
    return -1;
  }
  if (siphb_stun_parse(&m, buf, (size_t)n, NULL, NULL) != n ||
      ((s->flags & SIPHB_STUN_WITH_FINGERPRINT) && siphb_stun_check_fingerprint(&m) != 0) ||
      (s->key && siphb_stun_check_integrity(&m, &key) != 0)) {
    fprintf(stderr, "%s: does not decode and check again\n", s->name);
    return -1;
  }
  siphb_stun_key_wipe(&key);
  snprintf(path, sizeof path, "%s/%s-%02u-%s.bin", dir,
           s->cls == SIPHB_STUN_REQUEST ? "req" : "rsp", (unsigned)i, s->name);
  remove(path);
  if (interop_append_file(path, buf, (size_t)n) != 0) {
    fprintf(stderr, "%s: cannot write %s\n", s->name, path);
    return -1;
  }
  printf("%s %ld bytes\n", path, (long)n);
  return 0;
}

int main(int argc, char **argv) {
  int status = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
    if (emit(argv[1], i + 1, &samples[i]) != 0) status = 1;
  return status;
}
