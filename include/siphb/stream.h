/*
 * siphb/stream.h - framing of a SIP byte stream (TCP, TLS, WebSocket
 * payloads carried as a stream) into keepalives, STUN messages and SIP
 * messages, as RFC 5626 section 3.5.1 multiplexes them.
 *
 * Stateless and zero-copy: the integrator keeps the bytes received so far in
 * its own buffer and asks for the next item at its start; an item cut by a
 * chunk boundary is reported as SIPHB_ERR_INCOMPLETE with the number of
 * bytes still needed, and asked for again when more has arrived.
 */
#ifndef SIPHB_STREAM_H
#define SIPHB_STREAM_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum siphb_stream_kind {
  SIPHB_STREAM_CRLF_PING = 1, /* CRLFCRLF: a keepalive ping */
  SIPHB_STREAM_CRLF_PONG = 2, /* CRLF: a keepalive pong */
  SIPHB_STREAM_STUN = 3,      /* a STUN message (first two bits 0, magic cookie) */
  SIPHB_STREAM_SIP = 4        /* a SIP request or response */
} siphb_stream_kind;

/* Which end of the flow we are: it decides what a lone CRLF is. A client
 * (the flow's initiator, RFC 5626 section 4.4.1) sends pings and receives
 * pongs, so a CRLF it receives is a pong at once; a server receives pings,
 * so a CRLF waits for the second one. In detail:
 *   - data "\r\n\r\n...": a ping (4 bytes) for either role, when all four
 *     bytes are there. A client handed the same bytes in two chunks, "\r\n"
 *     then "\r\n", sees two pongs: it cannot wait, a pong must count at once.
 *   - data "\r\n" and nothing more: a client gets a pong (2 bytes); a server
 *     gets SIPHB_ERR_INCOMPLETE with need 2 (the rest of a ping).
 *   - data "\r\n" followed by anything but CR: a pong (2 bytes) for either
 *     role (RFC 3261 section 7.5 also lets CRLFs precede a message).
 *   - data "\r": SIPHB_ERR_INCOMPLETE, need 1 for a client, 3 for a server. */
typedef enum siphb_stream_role {
  SIPHB_STREAM_CLIENT = 0,
  SIPHB_STREAM_SERVER = 1
} siphb_stream_role;

typedef struct siphb_stream_item {
  siphb_stream_kind kind;
  size_t length; /* bytes of the item, from the start of the buffer */
} siphb_stream_item;

/*
 * Frames the item at the start of data[0..len). SIP messages go through the
 * SIP parser in stream mode (siphb/sip.h) to find their end. err optional.
 * Returns the item's length (also in item->length), or:
 *   SIPHB_ERR_INVALID_ARGUMENT  item NULL, or data NULL with len > 0
 *   SIPHB_ERR_INCOMPLETE        the item is not all there (len 0 included);
 *                               err->need: at least this many more bytes
 *   SIPHB_ERR_PARSE             the bytes are none of the above (e.g. a STUN
 *                               header with a length not a multiple of 4,
 *                               binary that is not STUN)
 *   SIPHB_ERR_SIP_*             a SIP message that the parser refuses
 * Garbage cannot be skipped safely in a stream: after an error the
 * integrator should close the connection.
 */
SIPHB_EXTERN siphb_ssize siphb_stream_next(const uint8_t *data, size_t len,
                                           siphb_stream_role role,
                                           siphb_stream_item *item,
                                           siphb_parse_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_STREAM_H */
