/*
 * siphb/ctx.h - the sans-I/O context.
 *
 * A siphb_ctx owns a timer wheel, the objects created on it (timers, and
 * later probes, flows, ...), and a copy of the integrator's allocator and
 * callbacks. It performs no I/O and reads no clock: the integrator passes the
 * current time (`now`, milliseconds of a monotonic clock) to every call that
 * changes state, asks siphb_ctx_next_deadline() when to call back, calls
 * siphb_ctx_advance() then, and hands received bytes to siphb_ctx_receive().
 *
 * Time never goes backwards: a `now` smaller than one already seen is the
 * integrator's bug. Builds with SIPHB_ASSERTS (the project's sanitizer and
 * fuzz builds) trap on it; every other build treats it as the largest `now`
 * seen and logs a warning, so that a keepalive library keeps running when a
 * clock steps back.
 *
 * Threads: a ctx is used by one thread at a time; distinct ctxs share nothing.
 */
#ifndef SIPHB_CTX_H
#define SIPHB_CTX_H

#include <siphb/common.h>
#include <siphb/event.h>
#include <siphb/stream.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct siphb_ctx siphb_ctx;

/* What a buffer handed to `send` holds. */
typedef enum siphb_payload_kind {
  SIPHB_PAYLOAD_SIP_REQUEST = 0,
  SIPHB_PAYLOAD_SIP_RESPONSE = 1,
  SIPHB_PAYLOAD_CRLF_PING = 2, /* "\r\n\r\n" (RFC 5626 section 3.5.1) */
  SIPHB_PAYLOAD_CRLF_PONG = 3, /* "\r\n" */
  SIPHB_PAYLOAD_STUN = 4,
  SIPHB_PAYLOAD_RAW = 5        /* integrator-configured NAT keepalive bytes */
} siphb_payload_kind;

/* Describes one send; valid only during the callback. */
typedef struct siphb_send_info {
  siphb_peer peer;
  siphb_payload_kind payload;
  siphb_object_kind object_kind;
  void *object;           /* the sending object */
  void *object_user_data; /* its user pointer */
  uint32_t attempt;       /* 0 = first transmission, n = nth retransmission */
  uint64_t ref;           /* object-specific reference (e.g. a probe's CSeq); else 0 */
} siphb_send_info;

typedef enum siphb_log_level {
  SIPHB_LOG_ERROR = 0,
  SIPHB_LOG_WARN = 1,
  SIPHB_LOG_INFO = 2,
  SIPHB_LOG_DEBUG = 3
} siphb_log_level;

/*
 * Callbacks. The ctx comes first and the ctx's user_data last.
 *
 * Inside any callback the integrator may read state, create objects and
 * delete objects (including the reporting object, and the ctx itself: both
 * are freed once the outermost siphb call returns). It may not call
 * siphb_ctx_advance() or siphb_ctx_receive(): those return
 * SIPHB_ERR_INVALID_STATE when called from a callback.
 *
 * send   (required) hand `len` bytes to the peer in info->peer. `data` is
 *        valid only during the call. Return 0 when handed over (a datagram
 *        that is then lost is still 0), SIPHB_ERR_SEND when this send failed
 *        (the sending object records the failure and the ctx carries on), any
 *        other non-zero value to abort: the running siphb call then returns
 *        SIPHB_ERR_CALLBACK_FAILURE.
 * event  (required) report one event. Return 0, or non-zero to abort as above.
 * random (optional) the ctx's source of unpredictable bytes (Via branches,
 *        tags, Call-IDs, STUN transaction ids, the seed of its jitter
 *        generator): a siphb_random_fn, called with the ctx's user_data.
 *        Non-zero means failure: the running call returns
 *        SIPHB_ERR_CALLBACK_FAILURE. NULL selects siphb_random_os() in
 *        hosted builds; siphb_ctx_new() returns SIPHB_ERR_INVALID_ARGUMENT
 *        when NULL in a freestanding build.
 * log    (optional) one diagnostic line, NUL-terminated, valid during the call.
 *
 * Fill with siphb_callbacks_init(&cb, sizeof cb), then set the functions
 * (common.h: how the struct grows).
 */
typedef struct siphb_callbacks {
  uint32_t size; /* set by siphb_callbacks_init() */
  int (*send)(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data, size_t len,
              void *user_data);
  int (*event)(siphb_ctx *ctx, const siphb_event *event, void *user_data);
  siphb_random_fn random;
  void (*log)(siphb_ctx *ctx, siphb_log_level level, const char *message, void *user_data);
} siphb_callbacks;

/* Zeroes cb (size bytes: pass sizeof *cb) and records size. */
SIPHB_EXTERN void siphb_callbacks_init(siphb_callbacks *cb, size_t size);

/* Configuration. Fill with siphb_ctx_config_init(&cfg, sizeof cfg) and
 * change what you need; fields are only ever added at the end (common.h). */
typedef struct siphb_ctx_config {
  uint32_t size; /* set by siphb_ctx_config_init() */
  /* Byte budget for every allocation the ctx and its objects make; an
   * allocation that would exceed it fails with SIPHB_ERR_NOMEM. 0 = no
   * budget. Default 0. */
  size_t mem_budget;
  /* Most verbose level passed to the log callback. Default SIPHB_LOG_WARN. */
  siphb_log_level log_level;
} siphb_ctx_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults documented
 * above. */
SIPHB_EXTERN void siphb_ctx_config_init(siphb_ctx_config *cfg, size_t size);

/*
 * Creates a ctx whose clock starts at `now`.
 * cfg: NULL means the defaults. callbacks: required, copied (send and event
 * must be set). mem: copied; NULL selects siphb_mem_default().
 * Returns 0 and writes *out, or SIPHB_ERR_INVALID_ARGUMENT (out or callbacks
 * NULL, cfg or callbacks not initialised (size 0), send or event missing, a
 * config value out of range, no allocator or random source available),
 * SIPHB_ERR_UNSUPPORTED (cfg or callbacks set a field this library does not
 * know), SIPHB_ERR_NOMEM, SIPHB_ERR_CALLBACK_FAILURE (random failed). *out
 * is written only on success.
 */
SIPHB_EXTERN int siphb_ctx_new(siphb_ctx **out, const siphb_ctx_config *cfg,
                               const siphb_callbacks *callbacks, const siphb_mem *mem,
                               void *user_data, siphb_ms now);

/* Deletes the ctx and every object still on it (their handles become
 * invalid). NULL is accepted. From inside a callback the deletion is
 * deferred until the outermost siphb call returns. */
SIPHB_EXTERN void siphb_ctx_del(siphb_ctx *ctx);

/* The earliest time at which siphb_ctx_advance() has work, SIPHB_NEVER when
 * nothing is scheduled; a value <= now means "call advance now". Exact: the
 * ctx never asks to be woken before something is due. Changes no observable
 * state (it may update an internal cache). */
SIPHB_EXTERN siphb_ms siphb_ctx_next_deadline(siphb_ctx *ctx);

/*
 * Runs everything due at or before `now`, in deadline order (ties in the
 * order they were armed), through the send and event callbacks. After a long
 * gap every due deadline fires once: periodic work is rescheduled from `now`,
 * not replayed.
 * Returns 0; SIPHB_ERR_INVALID_STATE when called from a callback;
 * SIPHB_ERR_CALLBACK_FAILURE when a callback asked to abort (fatal: what was
 * not yet run stays scheduled, but objects may be mid-way).
 */
SIPHB_EXTERN int siphb_ctx_advance(siphb_ctx *ctx, siphb_ms now);

/* Result of siphb_ctx_receive(). */
typedef struct siphb_rx_result {
  siphb_stream_kind kind; /* what the first item looked like (siphb/stream.h) */
  bool consumed;      /* true: siphb used these bytes; the integrator's SIP
                         stack should not process them */
  size_t length;      /* bytes of input the first item spans (0 when need > 0) */
  size_t need;        /* > 0: the first item is incomplete (stream); call
                         again with at least this many more bytes */
  int error;          /* 0, or why the first item cannot be framed (the
                         stream codec's code: a malformed keepalive, STUN
                         header or SIP message), or the codec error that made
                         the consuming module reject an item addressed to it */
  siphb_object_kind object_kind; /* the consumer (when consumed) */
  void *object;       /* the consuming object; NULL when not consumed */
  uint64_t reserved_[3]; /* zeroed; later fields are carved from here so the
                            caller-allocated struct keeps its size */
} siphb_rx_result;

/*
 * Offers bytes received from `peer` to the ctx. They must start at an item
 * boundary: a whole datagram, a WebSocket message, or the integrator's
 * stream buffer from the current message boundary (siphb keeps no
 * per-connection stream buffer; result->need says when an item is cut
 * short).
 *
 * The first item is framed by the stream codec, siphb_stream_next(), with
 * the peer's transport and role, so the ctx and the codec never disagree on
 * what bytes are: on UDP, DTLS, SCTP, WS and WSS the item is the whole
 * message; on TCP and TLS it is one keepalive, STUN message or SIP message
 * (headers plus Content-Length). A stream peer is the server end of its
 * flow (a lone CRLF may be the start of a ping) unless a keepalive flow of
 * this ctx runs on it, which makes it the client end (a CRLF is a pong at
 * once): siphb/stream.h lists every case.
 *
 * A whole item goes to the module that registered for its kind, which
 * matches it to the object waiting for it (SIP responses by Via branch,
 * CSeq and Call-ID; STUN by transaction id; CRLF pongs by peer); the result
 * says whether siphb consumed it. `result` may be NULL.
 * Returns 0; SIPHB_ERR_INVALID_ARGUMENT (ctx or peer NULL, data NULL with
 * len > 0, an unknown peer->transport); SIPHB_ERR_INVALID_STATE from a
 * callback; SIPHB_ERR_CALLBACK_FAILURE. Bytes that are malformed or none of siphb's
 * are not a failed call: they come back with consumed false (and `error`).
 */
SIPHB_EXTERN int siphb_ctx_receive(siphb_ctx *ctx, const siphb_peer *peer, const uint8_t *data,
                                   size_t len, siphb_rx_result *result, siphb_ms now);

/* What the integrator's transport learned about a peer. */
typedef enum siphb_peer_event {
  SIPHB_PEER_CLOSED = 0,         /* the connection closed (TCP FIN or RST, TLS close) */
  SIPHB_PEER_UNREACHABLE = 1,    /* a hard ICMP error for the peer's address */
  SIPHB_PEER_CONNECT_FAILED = 2  /* a connection to the peer could not be set up */
} siphb_peer_event;

/*
 * Tells the ctx that something happened to `peer`'s transport, so that the
 * objects on it do not wait for timers to find out: a probe with a request
 * in flight ends the round as SIPHB_PROBE_TRANSPORT_ERROR (RFC 3261 section
 * 8.1.3.1 treats a transport error as a 503). Objects that are not waiting
 * on the peer are not affected.
 * Returns 0 (also when nothing is on that peer); SIPHB_ERR_INVALID_ARGUMENT
 * (ctx or peer NULL, an unknown event or transport); SIPHB_ERR_INVALID_STATE
 * from a callback; SIPHB_ERR_CALLBACK_FAILURE.
 */
SIPHB_EXTERN int siphb_ctx_peer_event(siphb_ctx *ctx, const siphb_peer *peer,
                                      siphb_peer_event what, siphb_ms now);

/* The largest `now` the ctx has seen. */
SIPHB_EXTERN siphb_ms siphb_ctx_now(const siphb_ctx *ctx);

SIPHB_EXTERN void *siphb_ctx_get_user_data(const siphb_ctx *ctx);
SIPHB_EXTERN void siphb_ctx_set_user_data(siphb_ctx *ctx, void *user_data);

/* Bytes currently allocated by the ctx and its objects, and the peak. */
SIPHB_EXTERN size_t siphb_ctx_mem_used(const siphb_ctx *ctx);
SIPHB_EXTERN size_t siphb_ctx_mem_peak(const siphb_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_CTX_H */
