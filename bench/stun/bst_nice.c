/*
 * bst_nice.c - libnice's STUN library (stun/stunagent.h, stun/stunmessage.h;
 * the libnice-dev package). A response is validated by a StunAgent that
 * sent the request it answers: setup() registers that request (the RFC 5769
 * transaction id, built with stun_message_init and stun_agent_finish_message,
 * with the password as key for (b) and no key for (a)), in one agent per
 * case. stun_agent_validate then checks the buffer's structure
 * (stun_message_validate_buffer_length), the cookie, FINGERPRINT (RFC 5389
 * compatibility, USE_FINGERPRINT), matches the transaction, checks
 * MESSAGE-INTEGRITY with the request's key (GnuTLS HMAC-SHA1, set up per
 * call) and looks for unknown attributes; (a) then reads the address with
 * stun_message_find_xor_addr. A successful validation retires the
 * transaction, so each call marks it outstanding again first (one store,
 * sent_ids[0].valid, as finish_message would leave it).
 * (c) stun_message_init with the caller's id (libnice's 16-byte id: cookie
 * and transaction id) and stun_agent_finish_message (FINGERPRINT); the
 * agent records every request it finishes, so each call frees that slot
 * again (one store) and the table never fills.
 */
#include "bst.h"

#include <stdlib.h>
#include <string.h>

#ifdef BST_HAVE_NICE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stun/stunagent.h>
#include <stun/stunmessage.h>

typedef struct nice_bctx {
  StunAgent fp, mi, wrong, enc; /* (a), (b) with the password, with the wrong one, (c) */
  StunMessage msg;
  uint8_t req[64], wire[64];
} nice_bctx;

/* Comprehension-required types a Binding response may carry, 0-terminated. */
static const uint16_t known_attrs[] = {
    STUN_ATTRIBUTE_MAPPED_ADDRESS,    STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS,
    STUN_ATTRIBUTE_MESSAGE_INTEGRITY, STUN_ATTRIBUTE_USERNAME,
    STUN_ATTRIBUTE_ERROR_CODE,        0};

static void full_id(StunTransactionId id, const uint8_t *txid) {
  static const uint8_t cookie[4] = {0x21, 0x12, 0xA4, 0x42};
  memcpy(id, cookie, 4);
  memcpy(id + 4, txid, 12);
}

/* Makes `agent` an RFC 5389 agent that has sent the Binding request with
 * the RFC 5769 transaction id, with key (or none). */
static void agent_with_request(nice_bctx *c, StunAgent *agent, const char *key) {
  StunMessage req;
  StunTransactionId id;
  stun_agent_init(agent, known_attrs, STUN_COMPATIBILITY_RFC5389,
                  STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS | STUN_AGENT_USAGE_USE_FINGERPRINT);
  memset(&req, 0, sizeof req);
  req.buffer = c->req;
  req.buffer_len = sizeof c->req;
  req.agent = agent;
  full_id(id, bst_txid);
  if (!stun_message_init(&req, STUN_REQUEST, STUN_BINDING, id) ||
      stun_agent_finish_message(agent, &req, (const uint8_t *)key, key ? BST_PASSWORD_LEN : 0) ==
          0 ||
      !agent->sent_ids[0].valid)
    bst_fail("libnice", "could not register the request");
}

static void *nice_setup(void) {
  nice_bctx *c = calloc(1, sizeof *c);
  if (!c) bst_fail("libnice", "out of memory");
  agent_with_request(c, &c->fp, NULL);
  agent_with_request(c, &c->mi, BST_PASSWORD);
  agent_with_request(c, &c->wrong, BST_WRONG_PASSWORD);
  stun_agent_init(&c->enc, known_attrs, STUN_COMPATIBILITY_RFC5389,
                  STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS | STUN_AGENT_USAGE_USE_FINGERPRINT);
  return c;
}

static void nice_teardown(void *ctx) { free(ctx); }

static int nice_decode_fp(void *ctx, const uint8_t *data, size_t len, bst_addr *out) {
  nice_bctx *c = ctx;
  c->fp.sent_ids[0].valid = true;
  if (stun_agent_validate(&c->fp, &c->msg, data, len, NULL, NULL) != STUN_VALIDATION_SUCCESS)
    return -1;
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  if (stun_message_find_xor_addr(&c->msg, STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS, &ss, &sl) !=
      STUN_MESSAGE_RETURN_SUCCESS)
    return -1;
  memset(out->ip, 0, sizeof out->ip);
  if (ss.ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
    out->family = 4;
    out->port = ntohs(in->sin_port);
    memcpy(out->ip, &in->sin_addr, 4);
  } else {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
    out->family = 6;
    out->port = ntohs(in6->sin6_port);
    memcpy(out->ip, &in6->sin6_addr, 16);
  }
  return 0;
}

static int nice_decode_mi(void *ctx, const uint8_t *data, size_t len, bool wrong_key) {
  nice_bctx *c = ctx;
  StunAgent *agent = wrong_key ? &c->wrong : &c->mi;
  agent->sent_ids[0].valid = true;
  return stun_agent_validate(agent, &c->msg, data, len, NULL, NULL) == STUN_VALIDATION_SUCCESS ? 0
                                                                                               : -1;
}

static int nice_encode(void *ctx, const uint8_t *txid, const uint8_t **out, size_t *len) {
  nice_bctx *c = ctx;
  StunTransactionId id;
  c->msg.buffer = c->wire;
  c->msg.buffer_len = sizeof c->wire;
  c->msg.agent = &c->enc;
  c->msg.key = NULL;
  c->msg.key_len = 0;
  c->msg.long_term_valid = false;
  full_id(id, txid);
  if (!stun_message_init(&c->msg, STUN_REQUEST, STUN_BINDING, id)) return -1;
  size_t n = stun_agent_finish_message(&c->enc, &c->msg, NULL, 0);
  c->enc.sent_ids[0].valid = false;
  if (n == 0) return -1;
  *out = c->wire;
  *len = n;
  return 0;
}

static const bst_lib g_nice = {
    "libnice",
    "libnice " BST_NICE_VERSION,
    "stun_agent_validate (RFC 5389, FINGERPRINT; response matched to a registered request, key "
    "from it) + stun_message_find_xor_addr; encode: stun_message_init + "
    "stun_agent_finish_message",
    nice_setup,
    nice_teardown,
    nice_decode_fp,
    nice_decode_mi,
    nice_encode,
};

const bst_lib *bst_lib_nice(void) { return &g_nice; }
#else
const bst_lib *bst_lib_nice(void) { return NULL; }
#endif
