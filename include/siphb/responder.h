/*
 * siphb/responder.h - the answering side of keepalives: one responder per
 * ctx answers SIP OPTIONS requests (RFC 3261 section 11.2) and RFC 5626
 * double-CRLF pings on stream peers (section 4.4.1: a server answers a ping
 * with a CRLF pong), through the ctx's `send` callback. A phone must answer
 * its proxy's OPTIONS, and an edge proxy its clients' pings; the responder
 * does both without the integrator's SIP stack seeing them.
 *
 * What siphb_ctx_receive() then does with each item (rx_result.consumed):
 *   OPTIONS request          answered (status, default 200) -> true
 *   any other request, ACK   left to the integrator's stack -> false
 *   OPTIONS it cannot answer (no Via, From, To, Call-ID or CSeq, which only
 *                            the lenient parse lets through; a response
 *                            above max_response bytes) -> false, error set
 *   "\r\n\r\n" on a stream   answered "\r\n" -> true
 *   CRLFs in a datagram      a NAT keepalive: never answered on UDP
 *                            (RFC 5626 section 3.5.1) -> true
 *
 * received= and rport= on the top Via (RFC 3261 section 18.2.1, RFC 3581)
 * need the request's source address, which siphb never sees: when the
 * integrator gives `peer_source`, the responder asks it for the address of
 * each peer it answers.
 */
#ifndef SIPHB_RESPONDER_H
#define SIPHB_RESPONDER_H

#include <siphb/common.h>
#include <siphb/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_responder siphb_responder;

/* Writes the numeric source address of `peer` (IPv4 dotted, IPv6 without
 * brackets) NUL-terminated into ip[0..cap) and its port into *port.
 * Returns 0, or non-zero when it does not know (then no received/rport). */
typedef int (*siphb_peer_source_fn)(const siphb_peer *peer, char *ip, size_t cap,
                                    uint16_t *port, void *user_data);

/* Configuration. Fill with siphb_responder_config_init(&cfg, sizeof cfg);
 * strings are copied by siphb_responder_new(). */
typedef struct siphb_responder_config {
  uint32_t size;            /* set by siphb_responder_config_init() */
  uint16_t options_status;  /* 200 (100-699; 1xx is refused: OPTIONS needs a final) */
  bool answer_crlf_pings;   /* true */
  siphb_str reason;         /* empty: the RFC 3261 phrase */
  siphb_str allow;          /* "INVITE, ACK, CANCEL, BYE, OPTIONS"-like, optional */
  siphb_str accept;         /* optional */
  siphb_str supported;      /* optional, e.g. "outbound" */
  siphb_str server;         /* optional Server value */
  siphb_str contact_uri;    /* optional Contact */
  size_t max_response;      /* 4096: the response buffer, allocated once */
  siphb_peer_source_fn peer_source; /* optional: received=/rport= */
  void *peer_source_user_data;
} siphb_responder_config;

SIPHB_EXTERN void siphb_responder_config_init(siphb_responder_config *cfg, size_t size);

/*
 * Creates the ctx's responder (cfg NULL: the defaults). Returns 0;
 * SIPHB_ERR_INVALID_ARGUMENT (out or ctx NULL, a status outside 200-699, a
 * string with CR, LF or NUL or longer than 1024 bytes, max_response below
 * 256 or above 65535), SIPHB_ERR_UNSUPPORTED (cfg sets a field this library
 * does not know), SIPHB_ERR_EXISTS (the ctx has one), SIPHB_ERR_INVALID_STATE
 * (called from a callback, or the ctx is being deleted), SIPHB_ERR_NOMEM.
 */
SIPHB_EXTERN int siphb_responder_new(siphb_responder **out, siphb_ctx *ctx,
                                     const siphb_responder_config *cfg, void *user_data);

/* Stops answering and frees it (now, or when the callback running
 * returns). NULL is accepted. */
SIPHB_EXTERN void siphb_responder_del(siphb_responder *r);

/* Counters since siphb_responder_new(). */
typedef struct siphb_responder_stats {
  uint64_t options_answered;   /* responses sent (or refused by `send`) */
  uint64_t crlf_pongs;         /* pongs sent (or refused by `send`) */
  uint64_t datagram_keepalives;/* CRLF datagrams taken, never answered */
  uint64_t not_answered;       /* requests left to the integrator */
  uint64_t unanswerable;       /* OPTIONS it could not answer (rx_result.error) */
  uint64_t send_failures;      /* `send` returned SIPHB_ERR_SEND */
  uint64_t reserved_[4];       /* zeroed */
} siphb_responder_stats;

/* Returns 0, or SIPHB_ERR_INVALID_ARGUMENT when r or st is NULL. */
SIPHB_EXTERN int siphb_responder_get_stats(const siphb_responder *r, siphb_responder_stats *st);

SIPHB_EXTERN void *siphb_responder_get_user_data(const siphb_responder *r);
SIPHB_EXTERN void siphb_responder_set_user_data(siphb_responder *r, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_RESPONDER_H */
