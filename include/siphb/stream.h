/*
 * siphb/stream.h - the demultiplexer: what the bytes received on a SIP
 * flow are (keepalives, STUN messages and SIP messages, as RFC 5626 section
 * 3.5.1 multiplexes them), on byte streams (TCP, TLS) and on message
 * transports (UDP, DTLS, SCTP, WebSocket). The one place that decides it:
 * siphb_ctx_receive() frames through it too.
 *
 * Stateless and zero-copy: on a stream the integrator keeps the bytes
 * received so far in its own buffer and asks for the next item at its
 * start; an item cut by a chunk boundary is reported as
 * SIPHB_ERR_INCOMPLETE with the number of bytes still needed, and asked for
 * again when more has arrived.
 */
#ifndef SIPHB_STREAM_H
#define SIPHB_STREAM_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What an item is. The ctx's siphb_rx_result.kind uses the same values. */
typedef enum siphb_stream_kind {
  SIPHB_STREAM_OTHER = 0,        /* none of the below (a datagram only: a stream
                                    cannot skip what it does not know) */
  SIPHB_STREAM_CRLF_PING = 1,    /* CRLFCRLF: a keepalive ping (RFC 5626 section 3.5.1) */
  SIPHB_STREAM_CRLF_PONG = 2,    /* CRLF: a keepalive pong */
  SIPHB_STREAM_STUN = 3,         /* a STUN message (first two bits 0, magic cookie) */
  SIPHB_STREAM_SIP_REQUEST = 4,  /* a SIP request */
  SIPHB_STREAM_SIP_RESPONSE = 5  /* a SIP response ("SIP/2.0 ") */
} siphb_stream_kind;

/* "other", "crlf_ping", "crlf_pong", "stun", "sip_request", "sip_response";
 * "unknown" for other values. Never NULL. */
SIPHB_EXTERN const char *siphb_stream_kind_name(siphb_stream_kind kind);

/* Which end of the flow reads the bytes: on a stream it decides what a lone
 * CRLF is. A client (the flow's initiator, RFC 5626 section 4.4.1) sends
 * pings and receives pongs, so a CRLF it receives is a pong at once; a
 * server receives pings, so a CRLF waits for the second one. In detail, on
 * a stream (TCP, TLS):
 *   - data "\r\n\r\n...": a ping (4 bytes) for either role, when all four
 *     bytes are there. A client handed the same bytes in two chunks, "\r\n"
 *     then "\r\n", sees two pongs: it cannot wait, a pong must count at once.
 *   - data "\r\n" and nothing more: a client gets a pong (2 bytes); a server
 *     gets SIPHB_ERR_INCOMPLETE with need 2 (the rest of a ping).
 *   - data "\r\n" followed by anything but CR: a pong (2 bytes) for either
 *     role (RFC 3261 section 7.5 also lets CRLFs precede a message).
 *   - data "\r": SIPHB_ERR_INCOMPLETE, need 1 for a client, 3 for a server.
 * On a message transport (UDP, DTLS, SCTP, WS, WSS) the role does not
 * matter: a message of one CRLF is a pong, of two or more CRLFs a ping (a
 * NAT keepalive: RFC 5626 section 3.5.1 keeps the CRLF technique off UDP,
 * but NATs and peers send such datagrams), and a message that starts with
 * CR but holds anything else is malformed. */
typedef enum siphb_stream_role {
  SIPHB_STREAM_CLIENT = 0,
  SIPHB_STREAM_SERVER = 1
} siphb_stream_role;

typedef struct siphb_stream_item {
  siphb_stream_kind kind; /* also set when the call fails: what the item
                             started like (OTHER when nothing) */
  size_t length;          /* bytes of the item from the start of the buffer;
                             0 when the call fails */
  uint64_t reserved_[2];  /* zeroed; later fields are carved from here */
} siphb_stream_item;

/*
 * Frames the item at the start of data[0..len), received on `transport` by
 * the `role` end. On TCP and TLS data is a byte stream: the item is one
 * keepalive, STUN message or SIP message (found by the SIP parser in stream
 * mode). On every other transport data is one whole message, which is the
 * item: a keepalive, a STUN message (its Length must match), a SIP request
 * or response (parsed in datagram mode) or, for anything else, OTHER. SIP
 * is parsed leniently (siphb/sip.h): framing and matching need the
 * length, Via, CSeq and Call-ID, not a verdict on a peer's odd header.
 * err optional.
 * Returns the item's length (also in item->length), or:
 *   SIPHB_ERR_INVALID_ARGUMENT  item NULL, data NULL with len > 0, an
 *                               unknown transport or role
 *   SIPHB_ERR_INCOMPLETE        a stream item is not all there (len 0
 *                               included); err->need: at least this many
 *                               more bytes. Never for a message transport.
 *   SIPHB_ERR_PARSE             the bytes are none of the above on a stream
 *                               (e.g. a STUN header with a length not a
 *                               multiple of 4, binary that is not STUN), a
 *                               CR not followed by LF, a message that starts
 *                               with CRLF but is not all keepalive
 *   SIPHB_ERR_STUN_LENGTH       a STUN message whose Length is not the
 *                               message's (message transports)
 *   SIPHB_ERR_SIP_*             a SIP message that the lenient parser
 *                               refuses
 * On failure item->kind still says what the bytes started like. Garbage
 * cannot be skipped safely in a stream: after an error the integrator
 * should close the connection.
 */
SIPHB_EXTERN siphb_ssize siphb_stream_next(const uint8_t *data, size_t len,
                                           siphb_transport transport, siphb_stream_role role,
                                           siphb_stream_item *item, siphb_error_info *err);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_STREAM_H */
