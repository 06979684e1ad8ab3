/*
 * bst_re.c - libre (baresip/re), its STUN codec (re_stun.h). (a) and (b):
 * stun_msg_decode from an mbuf (filled once with the message; decode leaves
 * its position where it was), which allocates the message and one object
 * per attribute, decoding each value (addresses into struct sa, strings
 * copied); stun_msg_chk_fingerprint (zlib's crc32); stun_msg_attr for
 * XOR-MAPPED-ADDRESS (a list walk); (b) stun_msg_chk_mi with the password
 * (libre's hmac_sha1, OpenSSL's HMAC() in this build: no key preparation
 * possible through the API); mem_deref frees the message (timed).
 * (c) stun_msg_encode into an mbuf allocated once and rewound per request,
 * FINGERPRINT on, no attributes.
 *
 * re.h defines many short macros: keep this file free of other headers.
 */
#include "bst.h"

#include <stdlib.h>
#include <string.h>

#ifdef BST_HAVE_RE
#include <re.h>

typedef struct re_bctx {
  struct mbuf *fp, *mi, *other; /* the two messages, and a scratch copy */
  struct mbuf *out;             /* encode output */
} re_bctx;

static struct mbuf *mbuf_of(const uint8_t *data, size_t len) {
  struct mbuf *mb = mbuf_alloc(len);
  if (!mb || mbuf_write_mem(mb, data, len) != 0) bst_fail("libre", "mbuf_alloc failed");
  mb->pos = 0;
  return mb;
}

static void *re_setup(void) {
  re_bctx *c = calloc(1, sizeof *c);
  if (!c) bst_fail("libre", "out of memory");
  c->fp = mbuf_of(bst_resp_fp, sizeof bst_resp_fp);
  c->mi = mbuf_of(bst_resp_mi, sizeof bst_resp_mi);
  c->out = mbuf_alloc(64);
  if (!c->out) bst_fail("libre", "mbuf_alloc failed");
  return c;
}

static void re_teardown(void *ctx) {
  re_bctx *c = ctx;
  mem_deref(c->fp);
  mem_deref(c->mi);
  mem_deref(c->other);
  mem_deref(c->out);
  free(c);
}

/* The mbuf holding data: one of the two prepared, or (value checks only)
 * a fresh copy. */
static struct mbuf *input(re_bctx *c, const uint8_t *data, size_t len) {
  if (data == bst_resp_fp && len == sizeof bst_resp_fp) return c->fp;
  if (data == bst_resp_mi && len == sizeof bst_resp_mi) return c->mi;
  mem_deref(c->other);
  c->other = mbuf_of(data, len);
  return c->other;
}

static int re_decode_fp(void *ctx, const uint8_t *data, size_t len, bst_addr *out) {
  re_bctx *c = ctx;
  struct stun_msg *msg = NULL;
  if (stun_msg_decode(&msg, input(c, data, len), NULL) != 0) return -1;
  int rc = -1;
  struct stun_attr *a;
  if (stun_msg_chk_fingerprint(msg) == 0 && (a = stun_msg_attr(msg, STUN_ATTR_XOR_MAPPED_ADDR))) {
    const struct sa *sa = &a->v.xor_mapped_addr;
    out->port = sa_port(sa);
    if (sa_af(sa) == AF_INET) {
      uint32_t ip = sa_in(sa); /* host order */
      out->family = 4;
      out->ip[0] = (uint8_t)(ip >> 24);
      out->ip[1] = (uint8_t)(ip >> 16);
      out->ip[2] = (uint8_t)(ip >> 8);
      out->ip[3] = (uint8_t)ip;
      memset(out->ip + 4, 0, 12);
    } else {
      out->family = 6;
      sa_in6(sa, out->ip);
    }
    rc = 0;
  }
  mem_deref(msg);
  return rc;
}

static int re_decode_mi(void *ctx, const uint8_t *data, size_t len, bool wrong_key) {
  re_bctx *c = ctx;
  struct stun_msg *msg = NULL;
  const char *pw = wrong_key ? BST_WRONG_PASSWORD : BST_PASSWORD;
  if (stun_msg_decode(&msg, input(c, data, len), NULL) != 0) return -1;
  int rc = stun_msg_chk_mi(msg, (const uint8_t *)pw, BST_PASSWORD_LEN) == 0 &&
                   stun_msg_chk_fingerprint(msg) == 0
               ? 0
               : -1;
  mem_deref(msg);
  return rc;
}

static int re_encode(void *ctx, const uint8_t *txid, const uint8_t **out, size_t *len) {
  re_bctx *c = ctx;
  mbuf_rewind(c->out);
  if (stun_msg_encode(c->out, STUN_METHOD_BINDING, STUN_CLASS_REQUEST, txid, NULL, NULL, 0, true,
                      0x00, 0) != 0)
    return -1;
  *out = c->out->buf;
  *len = c->out->end;
  return 0;
}

static const bst_lib g_re = {
    "libre",
    "libre " BST_RE_VERSION,
    "stun_msg_decode (mbuf filled once) + chk_fingerprint + stun_msg_attr; chk_mi (password, "
    "OpenSSL HMAC per call); mem_deref; encode: stun_msg_encode into a rewound mbuf",
    re_setup,
    re_teardown,
    re_decode_fp,
    re_decode_mi,
    re_encode,
};

const bst_lib *bst_lib_re(void) { return &g_re; }
#else
const bst_lib *bst_lib_re(void) { return NULL; }
#endif
