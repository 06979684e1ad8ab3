/*
 * siphb/stun.h - the STUN codec (RFC 5389, RFC 8489): a zero-copy decoder
 * with typed attribute accessors, MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT
 * checks with prepared keys, and an encoder into a caller buffer.
 *
 * Pure functions: no ctx, no allocation, no I/O, no global state. The
 * decoder keeps pointers into the caller's buffer, which must outlive the
 * parsed siphb_stun_msg; it never reads outside [data, data + len). The
 * encoder writes into a caller buffer and reports SIPHB_ERR_NOBUF with the
 * size needed; a failed call leaves the message built so far unchanged.
 *
 * Byte order: everything on the wire is big-endian; every number in these
 * structs is in host order except siphb_mapped_addr.addr (network order).
 *
 * Credentials: siphb does not run SASLprep (RFC 5389) or the OpaqueString
 * profile (RFC 8489 section 9.2.2, RFC 8265). The caller passes the
 * username, realm and password already prepared; for ASCII passwords
 * (the common case) the prepared form is the password itself.
 */
#ifndef SIPHB_STUN_H
#define SIPHB_STUN_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants ------------------------------------------------------------ */

#define SIPHB_STUN_HEADER_SIZE 20u          /* RFC 5389 section 6 */
#define SIPHB_STUN_MAGIC_COOKIE 0x2112A442u /* bytes 4-7 of every RFC 5389 message */
#define SIPHB_STUN_TXID_SIZE 12u            /* 96-bit transaction id */
#define SIPHB_STUN_CLASSIC_TXID_SIZE 16u    /* RFC 3489: 128 bits, no cookie */
#define SIPHB_STUN_MAX_LENGTH 65532u        /* largest header Length (16 bits, multiple of 4) */
#define SIPHB_STUN_FINGERPRINT_XOR 0x5354554Eu /* "STUN", RFC 5389 section 15.5 */
#define SIPHB_STUN_USERHASH_SIZE 32u        /* SHA-256, RFC 8489 section 14.4 */
#define SIPHB_STUN_MAX_UNKNOWN 8u           /* unknown attribute types kept per message */

/* Message classes (the C1 C0 bits of the type). */
typedef enum siphb_stun_class {
  SIPHB_STUN_REQUEST = 0,
  SIPHB_STUN_INDICATION = 1,
  SIPHB_STUN_SUCCESS = 2, /* success response */
  SIPHB_STUN_ERROR = 3    /* error response */
} siphb_stun_class;

/* Methods (12 bits). Binding is the only one RFC 8489 defines; TURN and
 * others use the same codec with their own numbers. */
#define SIPHB_STUN_BINDING 0x001u

/* Attribute types siphb knows (RFC 8489 section 18.3, RFC 5389 section 18.2).
 * 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF optional. */
typedef enum siphb_stun_attr_type {
  SIPHB_STUN_ATTR_MAPPED_ADDRESS = 0x0001,
  SIPHB_STUN_ATTR_USERNAME = 0x0006,
  SIPHB_STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
  SIPHB_STUN_ATTR_ERROR_CODE = 0x0009,
  SIPHB_STUN_ATTR_UNKNOWN_ATTRIBUTES = 0x000A,
  SIPHB_STUN_ATTR_REALM = 0x0014,
  SIPHB_STUN_ATTR_NONCE = 0x0015,
  SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001C,
  SIPHB_STUN_ATTR_PASSWORD_ALGORITHM = 0x001D,
  SIPHB_STUN_ATTR_USERHASH = 0x001E,
  SIPHB_STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
  SIPHB_STUN_ATTR_PASSWORD_ALGORITHMS = 0x8002,
  SIPHB_STUN_ATTR_ALTERNATE_DOMAIN = 0x8003,
  SIPHB_STUN_ATTR_SOFTWARE = 0x8022,
  SIPHB_STUN_ATTR_ALTERNATE_SERVER = 0x8023,
  SIPHB_STUN_ATTR_FINGERPRINT = 0x8028
} siphb_stun_attr_type;

/* PASSWORD-ALGORITHM values (RFC 8489 section 18.5). */
#define SIPHB_STUN_PASSWORD_MD5 0x0001u
#define SIPHB_STUN_PASSWORD_SHA256 0x0002u

/* The 16-bit message type of a method and class (RFC 5389 section 6);
 * method is cut to 12 bits. */
SIPHB_EXTERN uint16_t siphb_stun_type(uint16_t method, siphb_stun_class cls);

/* "REQUEST", "INDICATION", "SUCCESS", "ERROR"; never NULL. */
SIPHB_EXTERN const char *siphb_stun_class_name(siphb_stun_class cls);

/* The RFC name of an attribute type ("XOR-MAPPED-ADDRESS"), including the
 * RFC 3489 ones and the ICE ones (RFC 8445: PRIORITY, USE-CANDIDATE,
 * ICE-CONTROLLED, ICE-CONTROLLING) that siphb only names; "" for any
 * other type. */
SIPHB_EXTERN const char *siphb_stun_attr_name(uint16_t type);

/* The RFC 8489 reason phrase of an ERROR-CODE ("Stale Nonce" for 438); ""
 * for codes it does not name. */
SIPHB_EXTERN const char *siphb_stun_reason(unsigned code);

/* ---- the decoder ---------------------------------------------------------- */

/* Fill with siphb_stun_parse_config_init(&cfg, sizeof cfg) (common.h: how
 * it grows). */
typedef struct siphb_stun_parse_config {
  uint32_t size; /* set by siphb_stun_parse_config_init() */
  /* false (default): data[0..len) is one datagram and the header Length
   * must be exactly len - 20. true: data is a byte stream (TCP, TLS); the
   * message is the first 20 + Length bytes, SIPHB_ERR_INCOMPLETE asks for
   * more, and RFC 3489 messages are refused (they exist on UDP only). */
  bool stream;
  /* true (default): a datagram without the magic cookie is decoded as an
   * RFC 3489 ("classic") message and flagged in siphb_stun_msg.classic.
   * false: it is refused with SIPHB_ERR_STUN_NOT_STUN, which is what a
   * port shared with SIP should do (RFC 5389 section 12.2). */
  bool allow_classic;
  /* false (default): padding bytes may hold anything (RFC 5389 section 15:
   * "may be any value"; the RFC 5769 vectors pad with 0x20) and are only
   * reported in siphb_stun_msg.padding_nonzero. true: a non-zero pad byte
   * is refused with SIPHB_ERR_STUN_PADDING (RFC 8489 section 14 senders
   * pad with zeros). */
  bool strict_padding;
  /* false (default): unknown comprehension-required attributes are listed
   * in siphb_stun_msg.unknown and the caller decides (a server answers a
   * request with 420, a client fails the transaction: RFC 8489 section
   * 6.3). true: the first one is refused with
   * SIPHB_ERR_STUN_UNKNOWN_REQUIRED. */
  bool refuse_unknown;
  /* Further comprehension-required types the caller understands, e.g. the
   * ICE attributes PRIORITY (0x0024) and USE-CANDIDATE (0x0025) or TURN's;
   * they are neither listed as unknown nor refused. Not copied: must stay
   * valid during the call. NULL with known_count 0 for none. */
  const uint16_t *known;
  size_t known_count;
} siphb_stun_parse_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above. */
SIPHB_EXTERN void siphb_stun_parse_config_init(siphb_stun_parse_config *cfg, size_t size);

/* A decoded message. Filled by siphb_stun_parse(); valid only when it
 * returned >= 0, and only while the parsed buffer is. Offsets count from
 * the first byte of the message; 0 means "absent" (no attribute starts
 * inside the header). */
typedef struct siphb_stun_msg {
  const uint8_t *data;   /* the message: data[0..length) */
  size_t length;         /* 20 + the header Length: the whole message */
  uint16_t type;         /* the raw 14-bit message type */
  uint16_t method;       /* 12 bits, e.g. SIPHB_STUN_BINDING */
  siphb_stun_class cls;
  bool classic;          /* RFC 3489 message: no magic cookie */
  const uint8_t *txid;   /* transaction id: data + 8 (12 bytes), or for a
                            classic message data + 4 (16 bytes) */
  size_t txid_len;       /* 12, or 16 when classic */
  size_t integrity_offset;        /* MESSAGE-INTEGRITY attribute, or 0 */
  size_t integrity_sha256_offset; /* MESSAGE-INTEGRITY-SHA256, or 0 */
  size_t fingerprint_offset;      /* FINGERPRINT (always the last), or 0 */
  size_t attr_count;     /* attributes in the message, every one counted */
  size_t ignored_count;  /* those after the message integrity that must be
                            ignored (RFC 8489 section 14.5/14.6) */
  bool padding_nonzero;  /* some pad byte was not zero (accepted by default) */
  /* Unknown comprehension-required types (0x0000-0x7FFF, neither known to
   * siphb nor in cfg->known), each listed once, in order of appearance: the
   * content of a 420 answer's UNKNOWN-ATTRIBUTES. unknown_total counts
   * every such attribute; when it exceeds unknown_count, types beyond
   * SIPHB_STUN_MAX_UNKNOWN were left out. Unknown comprehension-optional
   * types are ignored (RFC 8489 section 14). */
  size_t unknown_count;
  size_t unknown_total;
  uint16_t unknown[SIPHB_STUN_MAX_UNKNOWN];
  uint32_t index_[16];   /* internal: first occurrence of each known type */
  uint64_t reserved_[4]; /* zeroed; later fields are carved from here */
} siphb_stun_msg;

/*
 * Decodes one STUN message from data[0..len). cfg NULL means the defaults
 * (datagram). err is optional. Checks (RFC 8489 section 6.3, 14):
 *   - header: first two bits zero, Length a multiple of 4 and matching the
 *     datagram (or, in stream mode, all there), magic cookie (or classic);
 *   - every attribute's TLV fits in the message, padding included;
 *   - the first occurrence of each attribute siphb knows has a length (and
 *     for addresses a family, for ERROR-CODE a class and number) fit for
 *     its type; later occurrences are only walked over (RFC 8489 section
 *     14: only the first needs processing);
 *   - at most one MESSAGE-INTEGRITY and one MESSAGE-INTEGRITY-SHA256;
 *     attributes after them are ignored except MESSAGE-INTEGRITY-SHA256
 *     after MESSAGE-INTEGRITY and FINGERPRINT; FINGERPRINT is last.
 * Integrity and fingerprint values are not checked here: see
 * siphb_stun_check_integrity() and siphb_stun_check_fingerprint().
 *
 * Returns the bytes of the message (msg->length; in datagram mode always
 * len), or:
 *   SIPHB_ERR_INVALID_ARGUMENT       msg NULL, data NULL with len > 0,
 *                                    cfg not initialised (size 0), or
 *                                    cfg->known NULL with known_count > 0
 *   SIPHB_ERR_UNSUPPORTED            cfg sets a field this library does not
 *                                    know
 *   SIPHB_ERR_INCOMPLETE             stream mode: err->need more bytes at least
 *                                    (exact once the 20-byte header is there)
 *   SIPHB_ERR_STUN_NOT_STUN          top two bits not 00; no magic cookie in
 *                                    stream mode or with allow_classic false
 *   SIPHB_ERR_STUN_LENGTH            fewer than 20 bytes (datagram), Length not
 *                                    a multiple of 4 or not len - 20
 *   SIPHB_ERR_STUN_ATTRIBUTE         a TLV runs past the end; a known
 *                                    attribute's length or value is impossible
 *   SIPHB_ERR_STUN_ADDRESS_FAMILY    an address attribute with a family
 *                                    other than 1 (IPv4) or 2 (IPv6)
 *   SIPHB_ERR_STUN_PADDING           strict_padding and a non-zero pad byte
 *   SIPHB_ERR_STUN_DUPLICATE_INTEGRITY  a second MESSAGE-INTEGRITY (or -SHA256)
 *   SIPHB_ERR_STUN_FINGERPRINT       an attribute after FINGERPRINT
 *   SIPHB_ERR_STUN_UNKNOWN_REQUIRED  refuse_unknown and an unknown
 *                                    comprehension-required attribute
 * err->offset is the byte where the problem is: the attribute's first byte,
 * or the byte that is wrong inside it (the family, a pad byte, the class).
 * *msg is written in every case but meaningful only on success.
 */
SIPHB_EXTERN siphb_ssize siphb_stun_parse(siphb_stun_msg *msg, const uint8_t *data, size_t len,
                                          const siphb_stun_parse_config *cfg,
                                          siphb_error_info *err);

/* ---- attributes ----------------------------------------------------------- */

/* One attribute, as it is in the message. */
typedef struct siphb_stun_attr {
  uint16_t type;
  uint16_t len;          /* value length, without padding */
  const uint8_t *value;  /* in the parsed buffer */
  size_t offset;         /* of the attribute's type field */
  bool ignored;          /* after the message integrity, so to be ignored */
  uint64_t reserved_[1]; /* zeroed; later fields are carved from here */
} siphb_stun_attr;

/* Position of a walk over every attribute, in message order. */
typedef struct siphb_stun_iter {
  const siphb_stun_msg *msg_; /* internal */
  size_t next_;               /* internal: offset of the next attribute */
  uint64_t reserved_[1];      /* internal: room to grow */
} siphb_stun_iter;

SIPHB_EXTERN void siphb_stun_iter_init(siphb_stun_iter *it, const siphb_stun_msg *msg);

/* The next attribute (ignored ones included, flagged): true and *out set,
 * or false at the end. */
SIPHB_EXTERN bool siphb_stun_next_attr(siphb_stun_iter *it, siphb_stun_attr *out);

/* The first attribute of `type` that is not ignored: 0 and *out set, or
 * SIPHB_ERR_NOT_FOUND (SIPHB_ERR_INVALID_ARGUMENT for NULL pointers). */
SIPHB_EXTERN int siphb_stun_get(const siphb_stun_msg *msg, uint16_t type, siphb_stun_attr *out);

/*
 * Typed accessors. Each reads the first occurrence of its attribute, which
 * siphb_stun_parse() has already checked, and returns 0, or
 * SIPHB_ERR_NOT_FOUND when the attribute is absent (or ignored),
 * SIPHB_ERR_INVALID_ARGUMENT for NULL pointers. String values are slices of
 * the message (not NUL-terminated, not checked for UTF-8).
 */

/* XOR-MAPPED-ADDRESS (un-XORed: X-Port ^ 0x2112, IPv4 ^ cookie, IPv6 ^
 * cookie||txid; RFC 8489 section 14.2). */
SIPHB_EXTERN int siphb_stun_xor_mapped_address(const siphb_stun_msg *msg, siphb_mapped_addr *out);
/* MAPPED-ADDRESS (RFC 8489 section 14.1; what RFC 3489 servers send). */
SIPHB_EXTERN int siphb_stun_mapped_address(const siphb_stun_msg *msg, siphb_mapped_addr *out);
/* The reflexive address: XOR-MAPPED-ADDRESS if present, else
 * MAPPED-ADDRESS (RFC 5389 section 12.1.3 for classic servers). */
SIPHB_EXTERN int siphb_stun_mapped(const siphb_stun_msg *msg, siphb_mapped_addr *out);
/* ALTERNATE-SERVER (RFC 8489 section 14.15; MAPPED-ADDRESS format). */
SIPHB_EXTERN int siphb_stun_alternate_server(const siphb_stun_msg *msg, siphb_mapped_addr *out);

/* An address attribute of any type, e.g. TURN's XOR-PEER-ADDRESS: xored
 * says whether it is XORed like XOR-MAPPED-ADDRESS. Returns 0,
 * SIPHB_ERR_STUN_ATTRIBUTE (length unfit) or SIPHB_ERR_STUN_ADDRESS_FAMILY
 * (family not 1 or 2), SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_stun_decode_address(const siphb_stun_msg *msg, const siphb_stun_attr *attr,
                                           bool xored, siphb_mapped_addr *out);

SIPHB_EXTERN int siphb_stun_username(const siphb_stun_msg *msg, siphb_str *out);
SIPHB_EXTERN int siphb_stun_realm(const siphb_stun_msg *msg, siphb_str *out);
SIPHB_EXTERN int siphb_stun_nonce(const siphb_stun_msg *msg, siphb_str *out);
SIPHB_EXTERN int siphb_stun_software(const siphb_stun_msg *msg, siphb_str *out);
SIPHB_EXTERN int siphb_stun_alternate_domain(const siphb_stun_msg *msg, siphb_str *out);
/* USERHASH: out->len is SIPHB_STUN_USERHASH_SIZE. */
SIPHB_EXTERN int siphb_stun_userhash(const siphb_stun_msg *msg, siphb_str *out);
/* MESSAGE-INTEGRITY (20 bytes) and MESSAGE-INTEGRITY-SHA256 (16-32 bytes)
 * as received; siphb_stun_check_integrity() verifies them. */
SIPHB_EXTERN int siphb_stun_message_integrity(const siphb_stun_msg *msg, siphb_str *out);
SIPHB_EXTERN int siphb_stun_message_integrity_sha256(const siphb_stun_msg *msg, siphb_str *out);
/* The FINGERPRINT value as received (host order). */
SIPHB_EXTERN int siphb_stun_fingerprint(const siphb_stun_msg *msg, uint32_t *out);

/* ERROR-CODE (RFC 8489 section 14.8). */
typedef struct siphb_stun_error_value {
  uint16_t code;      /* class * 100 + number: 300..699 */
  siphb_str reason;   /* UTF-8 reason phrase as received; may be empty */
  uint64_t reserved_[1]; /* zeroed; later fields are carved from here */
} siphb_stun_error_value;

SIPHB_EXTERN int siphb_stun_error_code(const siphb_stun_msg *msg, siphb_stun_error_value *out);

/* UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9): writes the first min(max,
 * count) types to out and returns count, the number of 16-bit entries
 * (an RFC 3489 sender repeats one to fill 4 bytes; they are returned as
 * sent). out may be NULL when max is 0. */
SIPHB_EXTERN siphb_ssize siphb_stun_unknown_attributes(const siphb_stun_msg *msg, uint16_t *out,
                                                       size_t max);

/* PASSWORD-ALGORITHM and one entry of PASSWORD-ALGORITHMS
 * (RFC 8489 sections 14.11, 14.12). */
typedef struct siphb_stun_password_alg {
  uint16_t alg;       /* SIPHB_STUN_PASSWORD_MD5, _SHA256, or another */
  siphb_str params;   /* algorithm parameters, without padding; empty for both above */
  uint64_t reserved_[1]; /* zeroed when siphb writes it; later fields are
                            carved from here */
} siphb_stun_password_alg;

SIPHB_EXTERN int siphb_stun_password_algorithm(const siphb_stun_msg *msg,
                                               siphb_stun_password_alg *out);
/* Writes the first min(max, count) entries and returns count. */
SIPHB_EXTERN siphb_ssize siphb_stun_password_algorithms(const siphb_stun_msg *msg,
                                                        siphb_stun_password_alg *out, size_t max);

/* ---- keys and checks ------------------------------------------------------ */

/* A prepared credential: the HMAC-SHA1 (MESSAGE-INTEGRITY) and HMAC-SHA256
 * (MESSAGE-INTEGRITY-SHA256) states of one key, so that each check costs
 * only the hashing of the message (RFC 2104 section 4). Fixed size, no
 * pointers: copy it freely. Opaque; holds secret-derived state, so wipe it
 * with siphb_stun_key_wipe() when done. Fixed layout: its state_ array has
 * room beyond today's 136 bytes. */
typedef struct siphb_stun_key {
  uint32_t magic_;           /* internal: set once prepared */
  uint32_t reserved_;
  uint64_t state_[20];       /* internal: two prepared HMAC keys, 136 bytes today */
} siphb_stun_key;

/* Prepares a key from its bytes: the short-term password (RFC 8489 section
 * 9.1.1: the OpaqueString-prepared password itself), or a stored long-term
 * key (e.g. the SIP digest H(A1), which equals the MD5 long-term key).
 * Returns 0, or SIPHB_ERR_INVALID_ARGUMENT (key NULL, bytes NULL with
 * len > 0). */
SIPHB_EXTERN int siphb_stun_key_init(siphb_stun_key *key, const uint8_t *bytes, size_t len);

/* Computes the long-term key (RFC 8489 section 9.2.2):
 *   SIPHB_STUN_PASSWORD_MD5:    MD5(username ":" realm ":" password), 16 bytes
 *   SIPHB_STUN_PASSWORD_SHA256: SHA-256(the same), 32 bytes
 * from the already prepared strings. Writes out[0..16 or 32) and returns
 * that length, or SIPHB_ERR_INVALID_ARGUMENT (unknown alg, NULL out, a
 * slice with NULL ptr and len > 0). */
SIPHB_EXTERN siphb_ssize siphb_stun_long_term_key(uint16_t alg, siphb_str username,
                                                  siphb_str realm, siphb_str password,
                                                  uint8_t out[32]);

/* siphb_stun_long_term_key() then siphb_stun_key_init(). */
SIPHB_EXTERN int siphb_stun_key_long_term(siphb_stun_key *key, uint16_t alg, siphb_str username,
                                          siphb_str realm, siphb_str password);

/* Clears the key (it must be prepared again before use). NULL accepted. */
SIPHB_EXTERN void siphb_stun_key_wipe(siphb_stun_key *key);

/* USERHASH = SHA-256(username ":" realm) (RFC 8489 section 14.4), from the
 * prepared strings. Returns 0 or SIPHB_ERR_INVALID_ARGUMENT. */
SIPHB_EXTERN int siphb_stun_compute_userhash(siphb_str username, siphb_str realm,
                                             uint8_t out[SIPHB_STUN_USERHASH_SIZE]);

/*
 * Verifies the message integrity of a parsed message with `key`:
 * MESSAGE-INTEGRITY-SHA256 if present, else MESSAGE-INTEGRITY. The HMAC
 * covers the message up to the attribute, with the header Length counted
 * up to the end of that attribute (RFC 8489 sections 14.5, 14.6); the
 * caller's buffer is not modified. A truncated MESSAGE-INTEGRITY-SHA256
 * (16-28 bytes) is compared with the leading bytes of the HMAC. The
 * comparison takes the same time wherever the values differ.
 * Returns 0, or:
 *   SIPHB_ERR_STUN_NO_INTEGRITY  neither attribute is present
 *   SIPHB_ERR_STUN_INTEGRITY     the value does not match (the attribute is
 *                                at msg->integrity_sha256_offset or
 *                                msg->integrity_offset)
 *   SIPHB_ERR_INVALID_ARGUMENT   NULL pointers, a key never prepared
 */
SIPHB_EXTERN int siphb_stun_check_integrity(const siphb_stun_msg *msg, const siphb_stun_key *key);

/* The same for one attribute: type is SIPHB_STUN_ATTR_MESSAGE_INTEGRITY or
 * SIPHB_STUN_ATTR_MESSAGE_INTEGRITY_SHA256 (a server that supports only
 * one of them, RFC 8489 section 9.2.4). */
SIPHB_EXTERN int siphb_stun_check_integrity_attr(const siphb_stun_msg *msg,
                                                 const siphb_stun_key *key, uint16_t type);

/* Verifies FINGERPRINT: CRC-32 of the message before it, XOR 0x5354554E,
 * with the final header Length (RFC 8489 section 14.7). Returns 0,
 * SIPHB_ERR_STUN_NO_FINGERPRINT, SIPHB_ERR_STUN_FINGERPRINT (mismatch; the
 * attribute is at msg->fingerprint_offset) or SIPHB_ERR_INVALID_ARGUMENT.
 * Together with the magic cookie, the way to tell STUN from other traffic
 * on a shared port (RFC 8489 section 7). */
SIPHB_EXTERN int siphb_stun_check_fingerprint(const siphb_stun_msg *msg);

/* ---- the encoder ---------------------------------------------------------- */

/*
 * A message being built in the caller's buffer. Started by
 * siphb_stun_encode_start() (or _start_response), grown by the
 * siphb_stun_encode_*() adders, ended by siphb_stun_encode_finish(). At
 * every step buf[0..len) is a complete message whose header Length counts
 * the attributes added so far.
 */
typedef struct siphb_stun_encoder {
  size_t len;     /* read-only: bytes of the message so far */
  siphb_error_info error; /* read-only: why the last call failed (cleared by
                     each call); after SIPHB_ERR_NOBUF error.need is the
                     buffer size the failed call needed (the message is as
                     it was) */
  uint8_t pad;    /* the byte that pads values; 0 after start (RFC 8489
                     section 14); set 0x20 to reproduce the RFC 5769 vectors */
  uint8_t state_; /* internal */
  uint8_t *buf_;  /* internal */
  size_t cap_;    /* internal */
  uint64_t reserved_[2]; /* internal: room to grow */
} siphb_stun_encoder;

/*
 * Starts a message of `method` and `cls` in buf[0..cap): the 20-byte header
 * with Length 0, the magic cookie and the transaction id, copied from txid
 * (12 bytes) or, when txid is NULL, drawn from random (12 bytes in one
 * call, made only once the header fits). Returns 0, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  enc or buf NULL, method above 0xFFF, cls
 *                               not a siphb_stun_class, txid and random
 *                               both NULL
 *   SIPHB_ERR_NOBUF             cap < 20 (enc->error.need = 20)
 *   SIPHB_ERR_CALLBACK_FAILURE  random failed
 * On failure the encoder refuses every further call until started again.
 */
SIPHB_EXTERN int siphb_stun_encode_start(siphb_stun_encoder *enc, uint8_t *buf, size_t cap,
                                         uint16_t method, siphb_stun_class cls,
                                         const uint8_t *txid, siphb_random_fn random,
                                         void *random_user_data);

/* Starts the response (cls SUCCESS or ERROR) to a parsed request: same
 * method, same transaction id; for a classic request, no magic cookie and
 * its 16-byte id (RFC 5389 section 12.3). Errors as above. */
SIPHB_EXTERN int siphb_stun_encode_start_response(siphb_stun_encoder *enc, uint8_t *buf,
                                                  size_t cap, const siphb_stun_msg *req,
                                                  siphb_stun_class cls);

/*
 * Every adder returns 0, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  encoder not started or already finished, a
 *                               NULL pointer with a length, a value out of
 *                               range, or the message would pass
 *                               SIPHB_STUN_MAX_LENGTH
 *   SIPHB_ERR_NOBUF             no room; enc->error.need is the buffer
 *                               size that would have held the attribute
 * and on failure leaves the message exactly as it was.
 */

/* Any attribute, raw: type, len, value, padded with enc->pad. No check of
 * the type or the value (this is how to add ICE, TURN or malformed
 * attributes; MESSAGE-INTEGRITY and FINGERPRINT belong in _finish). */
SIPHB_EXTERN int siphb_stun_encode_attr(siphb_stun_encoder *enc, uint16_t type,
                                        const void *value, size_t len);

/* An address attribute of `type`, XORed like XOR-MAPPED-ADDRESS when
 * xored is true. addr->family must be 1 or 2. */
SIPHB_EXTERN int siphb_stun_encode_address(siphb_stun_encoder *enc, uint16_t type,
                                           const siphb_mapped_addr *addr, bool xored);
SIPHB_EXTERN int siphb_stun_encode_xor_mapped_address(siphb_stun_encoder *enc,
                                                      const siphb_mapped_addr *addr);
SIPHB_EXTERN int siphb_stun_encode_mapped_address(siphb_stun_encoder *enc,
                                                  const siphb_mapped_addr *addr);
SIPHB_EXTERN int siphb_stun_encode_alternate_server(siphb_stun_encoder *enc,
                                                    const siphb_mapped_addr *addr);

/* Text values, written as given (siphb neither prepares nor limits them
 * beyond the message size; RFC 8489 asks for fewer than 509 bytes of
 * USERNAME and 128 characters of the others). */
SIPHB_EXTERN int siphb_stun_encode_username(siphb_stun_encoder *enc, siphb_str username);
SIPHB_EXTERN int siphb_stun_encode_realm(siphb_stun_encoder *enc, siphb_str realm);
SIPHB_EXTERN int siphb_stun_encode_nonce(siphb_stun_encoder *enc, siphb_str nonce);
SIPHB_EXTERN int siphb_stun_encode_software(siphb_stun_encoder *enc, siphb_str software);
SIPHB_EXTERN int siphb_stun_encode_alternate_domain(siphb_stun_encoder *enc, siphb_str domain);
SIPHB_EXTERN int siphb_stun_encode_userhash(siphb_stun_encoder *enc,
                                            const uint8_t hash[SIPHB_STUN_USERHASH_SIZE]);

/* ERROR-CODE: code 300..699; an empty reason writes siphb_stun_reason(code). */
SIPHB_EXTERN int siphb_stun_encode_error_code(siphb_stun_encoder *enc, unsigned code,
                                              siphb_str reason);

/* UNKNOWN-ATTRIBUTES with n types (e.g. msg->unknown, msg->unknown_count). */
SIPHB_EXTERN int siphb_stun_encode_unknown_attributes(siphb_stun_encoder *enc,
                                                      const uint16_t *types, size_t n);

/* PASSWORD-ALGORITHM, and PASSWORD-ALGORITHMS with n entries; parameters
 * are padded inside the attribute with enc->pad. */
SIPHB_EXTERN int siphb_stun_encode_password_algorithm(siphb_stun_encoder *enc,
                                                      const siphb_stun_password_alg *alg);
SIPHB_EXTERN int siphb_stun_encode_password_algorithms(siphb_stun_encoder *enc,
                                                       const siphb_stun_password_alg *algs,
                                                       size_t n);

/* What siphb_stun_encode_finish() appends, in this order. */
typedef enum siphb_stun_finish_flag {
  SIPHB_STUN_WITH_INTEGRITY = 1,        /* MESSAGE-INTEGRITY (HMAC-SHA1, 20 bytes) */
  SIPHB_STUN_WITH_INTEGRITY_SHA256 = 2, /* MESSAGE-INTEGRITY-SHA256 (32 bytes) */
  SIPHB_STUN_WITH_FINGERPRINT = 4       /* FINGERPRINT */
} siphb_stun_finish_flag;

/*
 * Appends the attributes named by flags (an OR of siphb_stun_finish_flag),
 * each computed over the right Length (RFC 8489 sections 14.5-14.7), and
 * ends the message. key is needed for the integrity flags, else ignored.
 * Returns the message length, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  not started or already finished, unknown
 *                               flags, an integrity flag without a
 *                               prepared key, the message would pass
 *                               SIPHB_STUN_MAX_LENGTH
 *   SIPHB_ERR_NOBUF             no room for all of them; enc->error.need is
 *                               the size that is enough; nothing was
 *                               appended
 * After a successful finish every adder refuses the encoder.
 */
SIPHB_EXTERN siphb_ssize siphb_stun_encode_finish(siphb_stun_encoder *enc,
                                                  const siphb_stun_key *key, unsigned flags);

/*
 * The keepalive in one call: a Binding request with transaction id txid
 * (12 bytes), no attributes, or only FINGERPRINT when flags is
 * SIPHB_STUN_WITH_FINGERPRINT (20 or 28 bytes). err is optional. Returns
 * the length, or SIPHB_ERR_INVALID_ARGUMENT (buf or txid NULL, other flags)
 * or SIPHB_ERR_NOBUF (err->need is the size).
 */
SIPHB_EXTERN siphb_ssize siphb_stun_encode_binding(uint8_t *buf, size_t cap, const uint8_t *txid,
                                                   unsigned flags, siphb_error_info *err);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_STUN_H */
