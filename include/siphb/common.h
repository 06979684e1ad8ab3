/*
 * siphb/common.h - types shared by every siphb module: time, lengths, slices,
 * error codes, the allocator and the export macro.
 *
 * Public headers include only stddef.h, stdint.h and stdbool.h so that they can
 * be read by cffi and compiled for bare-metal targets.
 *
 * How structs grow without breaking programs built against an older header:
 *   - a struct the caller fills in and siphb reads (a config, the callbacks,
 *     the encoders' options) starts with `uint32_t size`, which its
 *     siphb_X_init(&s, sizeof s) sets to the caller's sizeof. siphb reads
 *     only the fields that size covers (the rest keep their defaults),
 *     refuses a size of 0 (never initialised) with
 *     SIPHB_ERR_INVALID_ARGUMENT, and a non-zero field beyond what this
 *     library knows with SIPHB_ERR_UNSUPPORTED (so fill such a struct
 *     through its _init, which zeroes all of it, padding included, and
 *     then set fields: a copy by assignment may carry non-zero padding);
 *   - a struct the caller allocates and siphb writes (parse results,
 *     iterator outputs, siphb_error_info, siphb_ctx_receive's result) ends
 *     in `reserved_` space that siphb zeroes: later fields are carved from
 *     it, so its size never changes;
 *   - a struct siphb allocates and passes to a callback (siphb_event,
 *     siphb_send_info) grows at its end, or inside the event union;
 *   - the few structs that never grow say so ("fixed layout").
 */
#ifndef SIPHB_COMMON_H
#define SIPHB_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SIPHB_EXTERN marks the public API; everything else is hidden
 * (-fvisibility=hidden). Define SIPHB_STATICLIB when linking the static
 * library on Windows. */
#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(SIPHB_STATICLIB)
#    define SIPHB_EXTERN
#  elif defined(BUILDING_SIPHB)
#    define SIPHB_EXTERN __declspec(dllexport)
#  else
#    define SIPHB_EXTERN __declspec(dllimport)
#  endif
#elif defined(BUILDING_SIPHB) && defined(__GNUC__) && __GNUC__ >= 4
#  define SIPHB_EXTERN __attribute__((visibility("default")))
#else
#  define SIPHB_EXTERN
#endif

/* Milliseconds of the integrator's monotonic clock. The origin is the
 * integrator's choice; siphb only compares and adds. */
typedef uint64_t siphb_ms;

/* "No deadline": returned by next-deadline queries when nothing is armed,
 * accepted wherever a deadline is, meaning "not armed". */
#define SIPHB_NEVER UINT64_MAX

/* A byte count or a negative siphb_error. */
typedef ptrdiff_t siphb_ssize;

/* A slice of bytes owned by someone else (usually the caller's buffer).
 * Not NUL-terminated. A NULL ptr with len 0 is the empty slice.
 * Fixed layout. */
typedef struct siphb_str {
  const char *ptr;
  size_t len;
} siphb_str;

/* Transport of a peer, as the integrator's socket uses it. */
typedef enum siphb_transport {
  SIPHB_TRANSPORT_UDP = 0,
  SIPHB_TRANSPORT_TCP = 1,
  SIPHB_TRANSPORT_TLS = 2,
  SIPHB_TRANSPORT_SCTP = 3,
  SIPHB_TRANSPORT_WS = 4,
  SIPHB_TRANSPORT_WSS = 5,
  SIPHB_TRANSPORT_DTLS = 6
} siphb_transport;

/* An opaque handle for the other end of a socket or connection: siphb never
 * parses addresses. Two peers are the same peer when id, ptr and transport
 * are all equal. Fixed layout: events carry it by value. */
typedef struct siphb_peer {
  uint64_t id;   /* e.g. a connection id or a hash of the remote address */
  void *ptr;     /* e.g. the integrator's connection object; may be NULL */
  siphb_transport transport;
} siphb_peer;

/* A transport address as STUN carries it (MAPPED-ADDRESS and its kin,
 * RFC 8489 section 14.1): wire data, not a sockaddr. Fixed layout. */
typedef struct siphb_mapped_addr {
  uint8_t family;    /* 0 none, 1 IPv4, 2 IPv6 (STUN values) */
  uint8_t reserved_;
  uint16_t port;     /* host order, un-XORed */
  uint8_t addr[16];  /* network order; IPv4 uses the first 4 */
} siphb_mapped_addr; /* 20 bytes, align 2 */

/* What kind of object reported an event or asked for a send. */
typedef enum siphb_object_kind {
  SIPHB_OBJECT_CTX = 0,
  SIPHB_OBJECT_TIMER = 1,
  SIPHB_OBJECT_PROBE = 2,    /* SIP OPTIONS reachability (siphb/probe.h) */
  SIPHB_OBJECT_FLOW = 3,     /* RFC 5626 flow keepalive (siphb/flow.h) */
  SIPHB_OBJECT_REG = 4,      /* REGISTER refresh timing (siphb/reg.h) */
  SIPHB_OBJECT_PACER = 5,    /* planned: server-side mass keepalive */
  SIPHB_OBJECT_HEALTH = 6,   /* health monitor (siphb/health.h) */
  SIPHB_OBJECT_FAILOVER = 7, /* failover target selection (siphb/failover.h) */
  SIPHB_OBJECT_SESSION = 8,  /* planned: RFC 4028 session timer */
  SIPHB_OBJECT_RESPONDER = 9, /* answers OPTIONS and CRLF pings (siphb/responder.h) */
  SIPHB_OBJECT_ESCALATION = 10 /* failover escalation stages (siphb/failover.h) */
} siphb_object_kind;

/* Error codes. 0 is success; every error is negative. Codes from -1 to -499
 * are recoverable: the call failed and the object is exactly as it was
 * before. Codes at or below SIPHB_ERR_FATAL mean the object (or ctx) can no
 * longer be trusted and should be deleted. Ranges reserved for later
 * modules: -100..-199 SIP parser, -200..-299 STUN, -300..-399 other codecs. */
typedef enum siphb_error {
  SIPHB_OK = 0,
  SIPHB_ERR_INVALID_ARGUMENT = -1, /* NULL pointer, value out of range */
  SIPHB_ERR_NOBUF = -2,            /* caller's buffer too small */
  SIPHB_ERR_PARSE = -3,            /* malformed input (generic) */
  SIPHB_ERR_INCOMPLETE = -4,       /* more input needed */
  SIPHB_ERR_INVALID_STATE = -5,    /* call not allowed now (e.g. from a callback) */
  SIPHB_ERR_NOT_FOUND = -6,        /* no such item */
  SIPHB_ERR_LIMIT = -7,            /* a configured limit would be exceeded */
  SIPHB_ERR_UNSUPPORTED = -8,      /* feature not built in or not supported */
  SIPHB_ERR_SEND = -9,             /* returned by a send callback: this send failed,
                                      the ctx carries on and reports it */
  /* -10 is planned (SIPHB_ERR_WOULD_BLOCK, docs/API-PLAN.md). */
  SIPHB_ERR_EXISTS = -11,          /* the item exists already (a flow on that peer:
                                      pongs are routed by peer; a second responder) */
  SIPHB_ERR_OS = -12,              /* the operating system refused a call (the
                                      hosted helpers, e.g. siphb/tcp_keepalive.h);
                                      siphb_error_info.message names call and errno */

  /* SIP parser (siphb/sip.h). Each names what made an indexed field wrong
   * or ambiguous; siphb_error_info.offset says where. */
  SIPHB_ERR_SIP_START_LINE = -100,     /* malformed request or status line */
  SIPHB_ERR_SIP_VERSION = -101,        /* a version other than SIP/2.0 */
  SIPHB_ERR_SIP_STATUS = -102,         /* status code not 100-699 */
  SIPHB_ERR_SIP_HEADER = -103,         /* malformed header line (name, colon) */
  SIPHB_ERR_SIP_TOO_LARGE = -104,      /* message or line above the size limit */
  SIPHB_ERR_SIP_TOO_MANY_HEADERS = -105, /* more header lines than the limit */
  SIPHB_ERR_SIP_MISSING_HEADER = -106, /* no Via, From, To, Call-ID or CSeq */
  SIPHB_ERR_SIP_MULTIPLE_VALUES = -107, /* several values in a single-valued header */
  SIPHB_ERR_SIP_CSEQ = -108,           /* CSeq malformed or its number >= 2^31 */
  SIPHB_ERR_SIP_CSEQ_METHOD = -109,    /* CSeq method differs from the request's */
  SIPHB_ERR_SIP_NUMBER = -110,         /* a numeric header malformed or overflowing */
  SIPHB_ERR_SIP_CONTENT_LENGTH = -111, /* Content-Length malformed, negative,
                                          conflicting or beyond the datagram */
  SIPHB_ERR_SIP_NO_CONTENT_LENGTH = -112, /* stream mode without Content-Length */
  SIPHB_ERR_SIP_QUOTE = -113,          /* unbalanced quotes */
  SIPHB_ERR_SIP_ANGLE = -114,          /* unbalanced angle brackets */
  SIPHB_ERR_SIP_ADDRESS = -115,        /* malformed From/To/Contact value */
  SIPHB_ERR_SIP_VIA = -116,            /* malformed Via value */
  SIPHB_ERR_SIP_PARAM = -117,          /* malformed header parameter */
  SIPHB_ERR_SIP_REFRESHER = -118,      /* Session-Expires refresher neither uac nor uas */
  SIPHB_ERR_SIP_SESSION_INTERVAL = -119, /* Session-Expires or Min-SE below 90 s
                                            (RFC 4028 sections 4, 5) */

  /* STUN codec (siphb/stun.h); siphb_error_info.offset says where. */
  SIPHB_ERR_STUN_NOT_STUN = -200,       /* top bits not 00, or no magic cookie where
                                           one is required */
  SIPHB_ERR_STUN_LENGTH = -201,         /* header cut short, Length not a multiple
                                           of 4 or not matching the datagram */
  SIPHB_ERR_STUN_ATTRIBUTE = -202,      /* attribute runs past the message, or a
                                           length or value unfit for its type */
  SIPHB_ERR_STUN_UNKNOWN_REQUIRED = -203, /* unknown comprehension-required attribute */
  SIPHB_ERR_STUN_INTEGRITY = -204,      /* MESSAGE-INTEGRITY(-SHA256) mismatch */
  SIPHB_ERR_STUN_FINGERPRINT = -205,    /* FINGERPRINT mismatch, or not the last attribute */
  SIPHB_ERR_STUN_PADDING = -206,        /* non-zero padding (strict mode only) */
  SIPHB_ERR_STUN_ADDRESS_FAMILY = -207, /* address family neither IPv4 nor IPv6 */
  SIPHB_ERR_STUN_DUPLICATE_INTEGRITY = -208, /* a second MESSAGE-INTEGRITY(-SHA256) */
  SIPHB_ERR_STUN_NO_INTEGRITY = -209,   /* integrity check asked, no attribute to check */
  SIPHB_ERR_STUN_NO_FINGERPRINT = -210, /* fingerprint check asked, no FINGERPRINT */
  /* RTCP codec (siphb/rtcp.h); siphb_error_info.offset says where. */
  SIPHB_ERR_RTCP_VERSION = -300,        /* a packet's version is not 2 */
  SIPHB_ERR_RTCP_LENGTH = -301,         /* empty, header cut short, length field past
                                           the datagram, bad padding count, an SR/RR
                                           too short for its fixed part */
  SIPHB_ERR_RTCP_REPORT_COUNT = -302,   /* RC report blocks do not fit in the packet */
  SIPHB_ERR_RTCP_TYPE = -303,           /* strict: the first packet is not an SR or RR */
  /* Snapshots (siphb_health_save() and the failover objects' _save). */
  SIPHB_ERR_SNAPSHOT_VERSION = -400, /* written by another snapshot format version */
  SIPHB_ERR_SNAPSHOT_CORRUPT = -401, /* too short, length or checksum wrong */
  SIPHB_ERR_SNAPSHOT_KIND = -402,    /* the snapshot of another kind of object */
  SIPHB_ERR_FATAL = -500,          /* boundary: codes <= this are fatal */
  SIPHB_ERR_NOMEM = -501,          /* allocation failed or byte budget exhausted */
  SIPHB_ERR_CALLBACK_FAILURE = -502 /* a callback returned an error */
} siphb_error;

/* Why a codec call failed, for the tool's and the integrator's logs: every
 * parser and encoder takes an optional pointer to one (NULL: not wanted).
 * On failure it holds the code the call returned, a short static English
 * message (for SIPHB_ERR_INVALID_ARGUMENT it names the argument or field),
 * and:
 *   offset  parsers: the byte of the input where the problem was found;
 *   need    SIPHB_ERR_INCOMPLETE (parsers): bytes of input still missing at
 *           least (exact once the length is known);
 *           SIPHB_ERR_NOBUF (encoders): the buffer size that is enough.
 * This is the one way siphb reports a size needed. Every call that takes
 * one clears it first, so after a success it is all zeros. */
typedef struct siphb_error_info {
  int code;
  size_t offset;
  size_t need;
  const char *message;
  uint64_t reserved_[2]; /* zeroed; later fields are carved from here */
} siphb_error_info;

/* Fills dest with len unpredictable bytes; returns 0, or non-zero on
 * failure. The one signature of every random source siphb takes: the
 * ctx's callback (siphb_callbacks.random, called with the ctx's
 * user_data), the SIP encoders and the STUN encoder. */
typedef int (*siphb_random_fn)(uint8_t *dest, size_t len, void *user_data);

/* The operating system's generator as a siphb_random_fn: getrandom() on
 * Linux, arc4random_buf() on the BSDs and macOS, /dev/urandom elsewhere;
 * user_data is ignored. Returns 0, SIPHB_ERR_CALLBACK_FAILURE when the OS
 * call fails, or SIPHB_ERR_UNSUPPORTED in a freestanding build (which has
 * no OS: pass your own source). */
SIPHB_EXTERN int siphb_random_os(uint8_t *dest, size_t len, void *user_data);

/* The slice of a NUL-terminated string (without the NUL); NULL gives the
 * empty slice. */
SIPHB_EXTERN siphb_str siphb_str_c(const char *s);

/* A short English description of an error code; never NULL (unknown codes
 * give "unknown error"). The string is static. */
SIPHB_EXTERN const char *siphb_strerror(int code);

/* The enum name of an error code ("SIPHB_ERR_NOBUF"), for logs and the
 * command-line tool; never NULL ("SIPHB_ERR_UNKNOWN" for unknown codes). */
SIPHB_EXTERN const char *siphb_errname(int code);

/* true if code is a fatal error (<= SIPHB_ERR_FATAL). */
SIPHB_EXTERN bool siphb_err_is_fatal(int code);

/*
 * The allocator. Every allocation siphb makes goes through the siphb_mem given
 * at ctx creation, which the ctx copies. Passing NULL where a
 * `const siphb_mem *` is accepted selects the C library's allocator (hosted
 * builds only; a freestanding build returns SIPHB_ERR_INVALID_ARGUMENT).
 * All four functions must be set; they follow the C library's contracts
 * (realloc(NULL, n) allocates, free(NULL) does nothing). siphb never calls
 * them with a size of 0. Fixed layout: the C library's four functions, it
 * will not grow.
 */
typedef struct siphb_mem {
  void *user_data;
  void *(*malloc)(size_t size, void *user_data);
  void (*free)(void *ptr, void *user_data);
  void *(*calloc)(size_t nmemb, size_t size, void *user_data);
  void *(*realloc)(void *ptr, size_t size, void *user_data);
} siphb_mem;

/* The C library allocator as a siphb_mem, or NULL in a freestanding build. */
SIPHB_EXTERN const siphb_mem *siphb_mem_default(void);

/* Version of the library actually linked, e.g. "0.1.0". */
SIPHB_EXTERN const char *siphb_version(void);

/* The same as a number: 0xMMmmpp (major, minor, patch). Compare with
 * SIPHB_VERSION_NUM from siphb/version.h to detect header/library skew. */
SIPHB_EXTERN uint32_t siphb_version_number(void);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_COMMON_H */
