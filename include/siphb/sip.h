/*
 * siphb/sip.h - the SIP wire codec: a zero-copy parser for requests and
 * responses, an OPTIONS request encoder and an OPTIONS responder.
 *
 * Pure functions: no ctx, no allocation, no I/O, no global state. The parser
 * returns slices (siphb_str) of the caller's buffer, which must outlive the
 * parsed siphb_sip_msg; it never reads outside [data, data + len). Encoders
 * write into a caller buffer and return the length, or SIPHB_ERR_NOBUF.
 *
 * Values as received: a slice of a header value may contain folded line
 * breaks (CRLF followed by SP/HTAB, RFC 3261 section 7.3.1), which mean one
 * SP. The typed fields (numbers, URIs, tags, branch, host) never contain
 * them; siphb_sip_unfold() copies a raw value with each fold turned into
 * one SP.
 */
#ifndef SIPHB_SIP_H
#define SIPHB_SIP_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- methods and header names ------------------------------------------- */

/* Methods siphb knows by name; anything else is SIPHB_SIP_METHOD_OTHER (the
 * method text is still in the message). Values are bit numbers of
 * siphb_sip_msg.allow. */
typedef enum siphb_sip_method {
  SIPHB_SIP_METHOD_OTHER = 0,
  SIPHB_SIP_METHOD_INVITE = 1,
  SIPHB_SIP_METHOD_ACK = 2,
  SIPHB_SIP_METHOD_BYE = 3,
  SIPHB_SIP_METHOD_CANCEL = 4,
  SIPHB_SIP_METHOD_OPTIONS = 5,
  SIPHB_SIP_METHOD_REGISTER = 6,
  SIPHB_SIP_METHOD_PRACK = 7,
  SIPHB_SIP_METHOD_SUBSCRIBE = 8,
  SIPHB_SIP_METHOD_NOTIFY = 9,
  SIPHB_SIP_METHOD_PUBLISH = 10,
  SIPHB_SIP_METHOD_INFO = 11,
  SIPHB_SIP_METHOD_REFER = 12,
  SIPHB_SIP_METHOD_MESSAGE = 13,
  SIPHB_SIP_METHOD_UPDATE = 14
} siphb_sip_method;

/* The method named by `name` (case-sensitive, as RFC 3261 section 7.1
 * requires), or SIPHB_SIP_METHOD_OTHER. */
SIPHB_EXTERN siphb_sip_method siphb_sip_method_from(siphb_str name);
/* "INVITE", ...; "" for SIPHB_SIP_METHOD_OTHER and unknown values. */
SIPHB_EXTERN const char *siphb_sip_method_name(siphb_sip_method method);

/* Headers the parser recognises, in long or compact form, in any case.
 * SIPHB_SIP_HDR_OTHER is every other header. */
typedef enum siphb_sip_hdr {
  SIPHB_SIP_HDR_OTHER = 0,
  SIPHB_SIP_HDR_VIA,            /* v */
  SIPHB_SIP_HDR_FROM,           /* f */
  SIPHB_SIP_HDR_TO,             /* t */
  SIPHB_SIP_HDR_CALL_ID,        /* i */
  SIPHB_SIP_HDR_CSEQ,
  SIPHB_SIP_HDR_MAX_FORWARDS,
  SIPHB_SIP_HDR_CONTENT_LENGTH, /* l */
  SIPHB_SIP_HDR_CONTACT,        /* m */
  SIPHB_SIP_HDR_EXPIRES,
  SIPHB_SIP_HDR_MIN_EXPIRES,
  SIPHB_SIP_HDR_RETRY_AFTER,
  SIPHB_SIP_HDR_SESSION_EXPIRES, /* x */
  SIPHB_SIP_HDR_MIN_SE,
  SIPHB_SIP_HDR_FLOW_TIMER,
  SIPHB_SIP_HDR_SUPPORTED,      /* k */
  SIPHB_SIP_HDR_REQUIRE,
  SIPHB_SIP_HDR_ALLOW,
  SIPHB_SIP_HDR_SERVER,
  SIPHB_SIP_HDR_USER_AGENT,
  SIPHB_SIP_HDR_CONTENT_TYPE,   /* c */
  SIPHB_SIP_HDR_CONTENT_ENCODING, /* e */
  SIPHB_SIP_HDR_SUBJECT,        /* s */
  SIPHB_SIP_HDR_EVENT,          /* o */
  SIPHB_SIP_HDR_ALLOW_EVENTS,   /* u */
  SIPHB_SIP_HDR_REFER_TO,       /* r */
  SIPHB_SIP_HDR_REFERRED_BY,    /* b */
  SIPHB_SIP_HDR_ACCEPT_CONTACT, /* a */
  SIPHB_SIP_HDR_REJECT_CONTACT, /* j */
  SIPHB_SIP_HDR_REQUEST_DISPOSITION, /* d */
  SIPHB_SIP_HDR_IDENTITY,       /* y */
  SIPHB_SIP_HDR_IDENTITY_INFO,  /* n */
  SIPHB_SIP_HDR_ACCEPT,
  SIPHB_SIP_HDR_PATH,
  SIPHB_SIP_HDR_WWW_AUTHENTICATE,
  SIPHB_SIP_HDR_PROXY_AUTHENTICATE,
  SIPHB_SIP_HDR_AUTHORIZATION,
  SIPHB_SIP_HDR_PROXY_AUTHORIZATION,
  SIPHB_SIP_HDR_RECORD_ROUTE,
  SIPHB_SIP_HDR_ROUTE,
  SIPHB_SIP_HDR_COUNT_            /* number of ids; not a header */
} siphb_sip_hdr;

/* The header id of a name (long or compact form, any case), or
 * SIPHB_SIP_HDR_OTHER. */
SIPHB_EXTERN siphb_sip_hdr siphb_sip_hdr_from(siphb_str name);
/* The canonical long name ("Call-ID"); "" for SIPHB_SIP_HDR_OTHER. */
SIPHB_EXTERN const char *siphb_sip_hdr_name(siphb_sip_hdr hdr);

/* ---- parsed values -------------------------------------------------------- */

/* One header line (folded continuation lines included). */
typedef struct siphb_sip_header {
  siphb_str name;  /* as received, e.g. "v" or "VIA" */
  siphb_str value; /* from the first non-blank after the colon to the last
                      non-blank of the (possibly folded) line */
  siphb_sip_hdr id;
  size_t offset;   /* of the name, from the start of the message */
  uint64_t reserved_[1]; /* zeroed; later fields are carved from here */
} siphb_sip_header;

/* One Via value (via-parm, RFC 3261 section 20.42, RFC 3581, RFC 6223). */
typedef struct siphb_sip_via {
  siphb_str value;     /* the whole via-parm */
  siphb_str transport; /* "UDP", "TCP", "TLS", "SCTP", "WS", "WSS", ... as sent */
  siphb_str host;      /* sent-by host; an IPv6 reference without its brackets */
  bool host_is_ipv6;
  bool has_port;
  uint16_t port;       /* sent-by port, when has_port */
  siphb_str branch;    /* value of branch=; empty if absent */
  siphb_str received;  /* value of received=; empty if absent */
  bool has_rport;      /* rport present (RFC 3581) */
  bool rport_has_value;
  uint16_t rport;      /* its value, when rport_has_value (responses) */
  bool has_keep;       /* keep present (RFC 6223) */
  bool keep_has_value;
  uint32_t keep;       /* keep=<seconds>, when keep_has_value */
  siphb_str params;    /* every parameter, from the first ';' on (empty if none) */
  uint64_t reserved_[2]; /* zeroed; later fields are carved from here */
} siphb_sip_via;

/* A From, To or Contact value: name-addr or addr-spec plus parameters. */
typedef struct siphb_sip_addr {
  siphb_str value;        /* the whole value */
  siphb_str display_name; /* as written, quotes included; empty if none */
  siphb_str uri;          /* inside the angle brackets, or the addr-spec */
  siphb_str tag;          /* value of tag= (From/To); empty if absent */
  siphb_str params;       /* header parameters, from the first ';' after the
                             URI (empty if none) */
  bool star;              /* Contact: * */
  bool has_expires;       /* Contact: expires= present */
  uint32_t expires;       /* its value in seconds, when has_expires */
  uint64_t reserved_[2];  /* zeroed; later fields are carved from here */
} siphb_sip_addr;

/* Retry-After: delta-seconds [ comment ] *( ;retry-param ) (section 20.33). */
typedef struct siphb_sip_retry_after {
  uint32_t delta;       /* seconds */
  siphb_str comment;    /* inside the parentheses; empty if none */
  bool has_duration;
  uint32_t duration;    /* duration= in seconds, when has_duration */
  uint64_t reserved_[1]; /* zeroed; later fields are carved from here */
} siphb_sip_retry_after;

typedef enum siphb_sip_refresher {
  SIPHB_SIP_REFRESHER_NONE = 0, /* no refresher parameter */
  SIPHB_SIP_REFRESHER_UAC = 1,
  SIPHB_SIP_REFRESHER_UAS = 2
} siphb_sip_refresher;

/* Session-Expires: delta-seconds *( ;se-params ) (RFC 4028 section 4). */
typedef struct siphb_sip_session_expires {
  uint32_t delta; /* seconds */
  siphb_sip_refresher refresher;
  uint64_t reserved_[1]; /* zeroed; later fields are carved from here */
} siphb_sip_session_expires;

/* A parsed message. Filled by siphb_sip_parse(); valid only when it returned
 * >= 0, and only while the parsed buffer is. Numeric fields are meaningful
 * only when siphb_sip_msg_has() says the header was present. */
typedef struct siphb_sip_msg {
  bool is_request;
  siphb_str start_line;   /* the whole first line, without its CRLF */
  /* request line */
  siphb_str method;
  siphb_sip_method method_id;
  siphb_str request_uri;
  /* status line */
  uint16_t status;
  siphb_str reason;

  size_t length;          /* bytes of this message: start line to end of body */
  siphb_str headers;      /* the header lines, first name to last CRLF */
  siphb_str body;         /* empty if none */
  size_t header_count;    /* header lines */
  uint64_t present;       /* bit (1 << siphb_sip_hdr) per header present;
                             read it through siphb_sip_msg_has(). The ids fit
                             one word (SIPHB_SIP_HDR_COUNT_ <= 64, checked
                             when the library is built); ids from 64 on will
                             go to a second word carved from reserved_, which
                             siphb_sip_msg_has() reads too */

  siphb_sip_via via;      /* the top (first) Via */
  size_t via_count;       /* Via values in all Via lines */
  siphb_sip_addr from;
  siphb_sip_addr to;
  siphb_str call_id;
  uint32_t cseq;
  siphb_str cseq_method;
  siphb_sip_method cseq_method_id;
  uint32_t max_forwards;
  uint32_t content_length;
  siphb_sip_addr contact; /* the first Contact value */
  size_t contact_count;   /* Contact values in all Contact lines */
  uint32_t expires;
  uint32_t min_expires;
  siphb_sip_retry_after retry_after;
  siphb_sip_session_expires session_expires;
  uint32_t min_se;
  uint32_t flow_timer;
  uint32_t allow;         /* bit (1 << siphb_sip_method) per method in Allow;
                             bit 0: a method siphb does not know */
  siphb_str server;
  siphb_str user_agent;
  uint64_t reserved_[8];  /* zeroed; later fields are carved from here */
} siphb_sip_msg;

/* true if the header `hdr` appeared at least once. */
SIPHB_EXTERN bool siphb_sip_msg_has(const siphb_sip_msg *msg, siphb_sip_hdr hdr);

/* ---- the parser ----------------------------------------------------------- */

typedef enum siphb_sip_mode {
  /* One whole message per buffer (UDP, SCTP, one WebSocket frame). Without
   * Content-Length the body is the rest of the datagram; bytes after
   * Content-Length are ignored (section 18.3). */
  SIPHB_SIP_DATAGRAM = 0,
  /* A byte stream (TCP, TLS): CRLFs before the start line are skipped,
   * Content-Length is required, exactly one message is consumed and
   * SIPHB_ERR_INCOMPLETE asks for more. */
  SIPHB_SIP_STREAM = 1
} siphb_sip_mode;

/* Fill with siphb_sip_parse_config_init(&cfg, sizeof cfg) (common.h: how
 * it grows). */
typedef struct siphb_sip_parse_config {
  uint32_t size;        /* set by siphb_sip_parse_config_init() */
  siphb_sip_mode mode;  /* default SIPHB_SIP_DATAGRAM */
  /* Relaxes the semantic checks, for monitoring odd peers: missing
   * mandatory headers, a CSeq method unlike the request's, several values in
   * a single-valued header (the first is kept), a Content-Length beyond the
   * datagram (the body is cut at its end), a SIP version other than 2.0,
   * and in datagram mode lines ended by a bare LF instead of CRLF
   * (hand-written and pasted messages have them; on a stream CRLF still
   * ends lines, since it frames keepalives and the header block). Syntax
   * that would make an indexed field wrong is still refused. Default
   * false. */
  bool lenient;
  size_t max_size;      /* largest message, bytes; default 65535 */
  size_t max_headers;   /* most header lines; default 256 */
} siphb_sip_parse_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above. */
SIPHB_EXTERN void siphb_sip_parse_config_init(siphb_sip_parse_config *cfg, size_t size);

/*
 * Parses one message from data[0..len). cfg NULL means the defaults
 * (datagram mode). err is optional. msg->reserved_ and the reserved_ of the
 * structs inside it are zeroed.
 *
 * Returns the bytes consumed: in datagram mode always len; in stream mode
 * the skipped leading CRLFs plus msg->length. Errors:
 *   SIPHB_ERR_INVALID_ARGUMENT  msg or data NULL (data may be NULL if len 0),
 *                               cfg not initialised (size 0)
 *   SIPHB_ERR_UNSUPPORTED       cfg sets a field this library does not know
 *   SIPHB_ERR_INCOMPLETE        stream mode: the message is not all there;
 *                               err->need says how many more bytes at least
 *                               (exact once the header block is complete).
 *                               In datagram mode a header block without its
 *                               blank line is SIPHB_ERR_SIP_HEADER.
 *   SIPHB_ERR_SIP_*             the message is malformed (see common.h);
 *                               err->offset and err->message say where and
 *                               why.
 * *msg is written in every case but meaningful only on success.
 */
SIPHB_EXTERN siphb_ssize siphb_sip_parse(siphb_sip_msg *msg, const uint8_t *data, size_t len,
                                         const siphb_sip_parse_config *cfg,
                                         siphb_error_info *err);

/* ---- iterating over a parsed message -------------------------------------- */

/* Position of an iteration; start it with siphb_sip_iter_init(). */
typedef struct siphb_sip_iter {
  const char *msg_start_; /* internal: offsets are counted from here */
  const char *next_line_; /* internal: the next header line to look at */
  const char *stop_;      /* internal: end of the header block */
  const char *value_;     /* internal: rest of a comma list being walked */
  const char *value_end_; /* internal: end of that list */
  uint64_t reserved_[2];  /* internal: room to grow */
} siphb_sip_iter;

SIPHB_EXTERN void siphb_sip_iter_init(siphb_sip_iter *it, const siphb_sip_msg *msg);

/* The next header line in message order: true and *out set, or false at the
 * end. */
SIPHB_EXTERN bool siphb_sip_next_header(siphb_sip_iter *it, siphb_sip_header *out);

/* The next Via value (across Via lines and comma lists), top first. */
SIPHB_EXTERN bool siphb_sip_next_via(siphb_sip_iter *it, siphb_sip_via *out);

/* The next Contact value, in message order. */
SIPHB_EXTERN bool siphb_sip_next_contact(siphb_sip_iter *it, siphb_sip_addr *out);

/* The next comma-separated element of every line of header `hdr`, without
 * surrounding blanks: a token for Supported, Require, Allow, Allow-Events;
 * a whole element such as "application/sdp;q=0.5" for Accept. */
SIPHB_EXTERN bool siphb_sip_next_token(siphb_sip_iter *it, siphb_sip_hdr hdr, siphb_str *out);

/* true if `token` (case-insensitive) is among the values of header `hdr`,
 * e.g. siphb_sip_has_token(msg, SIPHB_SIP_HDR_SUPPORTED, "timer"). */
SIPHB_EXTERN bool siphb_sip_has_token(const siphb_sip_msg *msg, siphb_sip_hdr hdr,
                                      const char *token);

/* One ";name[=value]" header parameter, as siphb_sip_find_param() found it
 * (slices of the searched value). */
typedef struct siphb_sip_param {
  siphb_str name;   /* as written */
  siphb_str value;  /* quotes included for a quoted-string value; empty
                       when there is no '=' */
  bool has_value;
  siphb_str whole;  /* from the ';' to the end of the name or value */
  uint64_t reserved_[1]; /* zeroed; later fields are carved from here */
} siphb_sip_param;

/* Finds the first ";name[=value]" parameter called `name` (NUL-terminated,
 * compared case-insensitively) in a header value or a part of one, e.g. a
 * whole Via value, siphb_sip_via.params or siphb_sip_addr.params. ';' inside
 * quoted strings and inside <...> (URI parameters) do not start a
 * parameter; the search stops at a top-level ',' (the next value of a
 * list). true and *out filled (reserved_ zeroed) when found; false when
 * absent, when a malformed parameter or an unclosed quote comes first, or
 * when an argument is NULL or name is empty (*out is then zeroed if not
 * NULL). */
SIPHB_EXTERN bool siphb_sip_find_param(siphb_str value, const char *name, siphb_sip_param *out);

/* Copies `value` into out[0..cap) with every folded line break (CRLF, or
 * the LF alone a lenient parse accepts, plus the blanks around it) turned
 * into one SP. Returns the length written, or
 * SIPHB_ERR_NOBUF when cap is too small. */
SIPHB_EXTERN siphb_ssize siphb_sip_unfold(siphb_str value, char *out, size_t cap);

/* ---- the OPTIONS encoder -------------------------------------------------- */

/* What goes into an OPTIONS request. Fill with
 * siphb_sip_options_init(&opt, sizeof opt) (common.h: how it grows). */
typedef struct siphb_sip_options {
  uint32_t size;            /* set by siphb_sip_options_init() */
  siphb_str request_uri;    /* required, e.g. "sip:proxy.example.com" */
  siphb_str to_uri;         /* default: request_uri */
  siphb_str from_uri;       /* required, e.g. "sip:phone@10.0.0.5" */
  siphb_str from_display;   /* optional display name, written quoted */
  siphb_str contact_uri;    /* optional; no Contact header if empty */
  siphb_transport transport; /* Via transport; default UDP */
  siphb_str via_host;       /* required: host name, IPv4, or IPv6 with or
                               without brackets */
  uint16_t via_port;        /* 0: no port in Via */
  bool rport;               /* add ;rport (RFC 3581); default true */
  bool keep;                /* add ;keep (RFC 6223); default false */
  siphb_str branch;         /* full branch incl. z9hG4bK; empty: generated */
  siphb_str from_tag;       /* empty: generated */
  siphb_str call_id;        /* empty: generated */
  uint32_t cseq;            /* 1 .. 2^31-1; default 1 */
  uint32_t max_forwards;    /* default 70 */
  siphb_str accept;         /* default "application/sdp"; empty: no Accept */
  siphb_str supported;      /* optional Supported value */
  siphb_str allow;          /* optional Allow value */
  siphb_str user_agent;     /* optional User-Agent value */
  siphb_random_fn random;   /* required when anything is generated, e.g.
                               siphb_random_os */
  void *random_user_data;
} siphb_sip_options;

/* Fills opt (size bytes: pass sizeof *opt) with the defaults above. */
SIPHB_EXTERN void siphb_sip_options_init(siphb_sip_options *opt, size_t size);

/* Where the identifiers ended up in the encoded request (slices of the
 * output buffer), so that a response can be matched. */
typedef struct siphb_sip_ids {
  siphb_str branch;
  siphb_str from_tag;
  siphb_str call_id;
  uint64_t reserved_[2]; /* zeroed; later fields are carved from here */
} siphb_sip_ids;

/* Generated identifiers carry this many random bits each: the branch
 * (after z9hG4bK) and the From tag 64, the Call-ID 128. */
#define SIPHB_SIP_BRANCH_BITS 64
#define SIPHB_SIP_TAG_BITS 64
#define SIPHB_SIP_CALL_ID_BITS 128

/*
 * Writes a complete OPTIONS request (RFC 3261 sections 8.1.1 and 11) into
 * buf[0..cap). ids and err are optional. Returns the length, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  buf or opt NULL, opt not initialised (size
 *                               0), a required field empty, cseq 0 or
 *                               >= 2^31, a value with CR, LF or NUL, an
 *                               unknown transport (DTLS has no Via token),
 *                               random missing when needed: err->message
 *                               names the field
 *   SIPHB_ERR_UNSUPPORTED       opt sets a field this library does not know
 *   SIPHB_ERR_NOBUF             cap too small; err->need is the size that is
 *                               enough
 *   SIPHB_ERR_CALLBACK_FAILURE  random failed
 */
SIPHB_EXTERN siphb_ssize siphb_sip_encode_options(uint8_t *buf, size_t cap,
                                                  const siphb_sip_options *opt,
                                                  siphb_sip_ids *ids, siphb_error_info *err);

/* ---- the responder -------------------------------------------------------- */

/* How to answer a request. Fill with
 * siphb_sip_response_init(&rsp, sizeof rsp) (common.h: how it grows). */
typedef struct siphb_sip_response {
  uint32_t size;         /* set by siphb_sip_response_init() */
  uint16_t status;       /* 100..699; default 200 */
  siphb_str reason;      /* empty: the RFC 3261 phrase for the status */
  siphb_str to_tag;      /* tag added to To when it has none; empty:
                            generated with `random` */
  siphb_str allow;       /* optional Allow value */
  siphb_str accept;      /* optional Accept value */
  siphb_str supported;   /* optional Supported value */
  siphb_str server;      /* optional Server value */
  siphb_str contact_uri; /* optional Contact */
  siphb_random_fn random; /* required when to_tag is generated */
  void *random_user_data;
  /* Added after the first release (older callers get the defaults): */
  siphb_str source_ip;   /* the request's source address, IPv4 or IPv6
                            (brackets optional), as the transport saw it;
                            empty (default): the top Via is copied as
                            received, nothing added */
  uint16_t source_port;  /* the request's source port, 1..65535; required
                            with source_ip, 0 (default) without it */
  siphb_str extra_headers; /* optional whole header lines written after
                            Contact, before Content-Length, as given: each
                            line "Name: value\r\n" (not empty, not starting
                            with SP or HTAB, no CR, LF or NUL but its
                            closing CRLF), e.g. what siphb_st_encode()
                            wrote; empty (default): none */
} siphb_sip_response;

/* Fills rsp (size bytes: pass sizeof *rsp) with the defaults above. */
SIPHB_EXTERN void siphb_sip_response_init(siphb_sip_response *rsp, size_t size);

/*
 * Writes the response to the parsed request `req` (RFC 3261 section 8.2.6):
 * status line, every Via in order, From, To (with a tag added if absent),
 * Call-ID, CSeq, then Allow/Accept/Supported/Server/Contact as configured,
 * the extra_headers lines and Content-Length: 0. Folded values are written
 * unfolded.
 *
 * With rsp->source_ip set, the top Via gets what the server transport adds
 * (RFC 3261 section 18.2.1, RFC 3581 section 4):
 *   - received=<source_ip> (an IPv6 address without brackets) when the
 *     sent-by host differs from source_ip (compared as text, brackets
 *     dropped, case ignored: a host name always differs), or when rport is
 *     filled in;
 *   - rport=<source_port> when the request's top Via has an rport without
 *     a value (an rport with a value is no request and is left as is);
 *   - a received= the request already carries gets source_ip as its value
 *     when one is due, and is left alone otherwise.
 * The other Vias are copied as received. Without source_ip every Via is
 * copied as received (the integrator that must add received= or fill rport
 * does it itself).
 * ids.branch of the encoder and the branch written here include the
 * "z9hG4bK" magic cookie.
 * err is optional. Returns the length, or SIPHB_ERR_INVALID_ARGUMENT (req is
 * a response; req is an ACK, which gets no response (sections 17 and
 * 17.2.1); req lacks a Via, From, To, Call-ID or CSeq, which only a lenient
 * parse lets through; rsp not initialised; status out of range; a value
 * with CR/LF/NUL; extra_headers not a sequence of CRLF-ended lines as
 * described above; source_ip not an IPv4 or IPv6 address; source_port 0
 * with source_ip or set without it; err->message names it),
 * SIPHB_ERR_UNSUPPORTED (rsp sets a field this library does not know),
 * SIPHB_ERR_NOBUF (err->need as for the encoder),
 * SIPHB_ERR_CALLBACK_FAILURE.
 */
SIPHB_EXTERN siphb_ssize siphb_sip_encode_response(uint8_t *buf, size_t cap,
                                                   const siphb_sip_msg *req,
                                                   const siphb_sip_response *rsp,
                                                   siphb_error_info *err);

/* The RFC 3261 reason phrase of a status code ("OK"; 422 has RFC 4028's); for codes it does not
 * name, the phrase of the class ("Client Error" for 4xx); never NULL. */
SIPHB_EXTERN const char *siphb_sip_reason(unsigned status);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_SIP_H */
