/*
 * bst_siphb.c - siphb's STUN codec (siphb/stun.h), built with the crypto
 * backend named by BST_SIPHB_BACKEND. (a) siphb_stun_parse (datagram,
 * defaults) into a siphb_stun_msg on the context, siphb_stun_check_fingerprint,
 * siphb_stun_xor_mapped_address. (b) siphb_stun_parse,
 * siphb_stun_check_integrity with a siphb_stun_key prepared once at setup
 * (siphb_stun_key_init of the password: the HMAC-SHA1 ipad/opad states),
 * siphb_stun_check_fingerprint. (c) siphb_stun_encode_binding into a buffer
 * of the context. Nothing is allocated, nothing to free.
 * Also the reference request the other libraries' requests are compared with.
 */
#include "bst.h"

#include <string.h>

#include <siphb/stun.h>
#include <siphb/version.h>

#ifndef BST_SIPHB_BACKEND
#define BST_SIPHB_BACKEND "built-in"
#endif

typedef struct siphb_bctx {
  siphb_stun_msg msg;
  siphb_stun_key key, wrong;
  uint8_t wire[64];
} siphb_bctx;

static siphb_bctx g_ctx; /* one per process: the benchmark is single-threaded */

static void *siphb_setup(void) {
  siphb_bctx *c = &g_ctx;
  memset(c, 0, sizeof *c);
  if (siphb_stun_key_init(&c->key, (const uint8_t *)BST_PASSWORD, BST_PASSWORD_LEN) != 0 ||
      siphb_stun_key_init(&c->wrong, (const uint8_t *)BST_WRONG_PASSWORD, BST_PASSWORD_LEN) != 0)
    bst_fail("siphb", "siphb_stun_key_init failed");
  return c;
}

static void siphb_teardown(void *ctx) {
  siphb_bctx *c = ctx;
  siphb_stun_key_wipe(&c->key);
  siphb_stun_key_wipe(&c->wrong);
}

static int siphb_decode_fp(void *ctx, const uint8_t *data, size_t len, bst_addr *out) {
  siphb_bctx *c = ctx;
  siphb_mapped_addr a;
  if (siphb_stun_parse(&c->msg, data, len, NULL, NULL) < 0) return -1;
  if (siphb_stun_check_fingerprint(&c->msg) != 0) return -1;
  if (siphb_stun_xor_mapped_address(&c->msg, &a) != 0) return -1;
  out->family = a.family == 1 ? 4 : 6;
  out->port = a.port;
  /* The address's own length, as the peers' runners copy it. */
  memset(out->ip, 0, sizeof out->ip);
  memcpy(out->ip, a.addr, a.family == 1 ? 4 : 16);
  return 0;
}

static int siphb_decode_mi(void *ctx, const uint8_t *data, size_t len, bool wrong_key) {
  siphb_bctx *c = ctx;
  if (siphb_stun_parse(&c->msg, data, len, NULL, NULL) < 0) return -1;
  if (siphb_stun_check_integrity(&c->msg, wrong_key ? &c->wrong : &c->key) != 0) return -1;
  return siphb_stun_check_fingerprint(&c->msg) == 0 ? 0 : -1;
}

static int siphb_encode(void *ctx, const uint8_t *txid, const uint8_t **out, size_t *len) {
  siphb_bctx *c = ctx;
  siphb_ssize n =
      siphb_stun_encode_binding(c->wire, sizeof c->wire, txid, SIPHB_STUN_WITH_FINGERPRINT, NULL);
  if (n < 0) return -1;
  *out = c->wire;
  *len = (size_t)n;
  return 0;
}

static const bst_lib g_siphb = {
    "siphb " BST_SIPHB_BACKEND,
    "siphb " SIPHB_VERSION " (" BST_SIPHB_BACKEND " crypto)",
    "siphb_stun_parse + check_fingerprint + xor_mapped_address; check_integrity with a key "
    "prepared once; encode_binding",
    siphb_setup,
    siphb_teardown,
    siphb_decode_fp,
    siphb_decode_mi,
    siphb_encode,
};

const bst_lib *bst_lib_siphb(void) { return &g_siphb; }

void bst_reference_request(const uint8_t *txid, uint8_t out[28]) {
  siphb_stun_msg m;
  if (siphb_stun_encode_binding(out, 28, txid, SIPHB_STUN_WITH_FINGERPRINT, NULL) != 28 ||
      siphb_stun_parse(&m, out, 28, NULL, NULL) != 28 || siphb_stun_check_fingerprint(&m) != 0 ||
      m.cls != SIPHB_STUN_REQUEST || m.method != SIPHB_STUN_BINDING || m.attr_count != 1 ||
      memcmp(m.txid, txid, 12) != 0)
    bst_fail("siphb", "the reference Binding request does not parse back as one");
}
