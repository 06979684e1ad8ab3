/*
 * cmd_decode.c - `siphb decode`: one SIP message (datagram) or a framed byte
 * stream, printed as JSON; the options and the input of --stun, whose JSON
 * cmd_decode_stun.c writes. The shape of the output is described in
 * tools/README.md; keep the two in step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include <siphb/common.h>
#include <siphb/sip.h>
#include <siphb/stream.h>

#include "json.h"
#include "tool.h"

/* The most decode reads: a datagram is at most 64 KiB, a stream capture may
 * hold many messages. */
#define DECODE_MAX_INPUT ((size_t)1 << 20)

typedef enum decode_mode { MODE_NONE, MODE_SIP, MODE_STREAM, MODE_STUN } decode_mode;

typedef struct decode_opts {
  decode_mode mode;
  bool role_given;
  siphb_stream_role role;
  bool lenient;
  bool compact;
  stun_credentials cred; /* --user, --password, --realm (--stun only) */
  const char *path; /* NULL or "-": standard input */
} decode_opts;

static const char decode_usage_text[] =
    "Usage: siphb decode [--sip | --stream [--role client|server]] [--lenient]\n"
    "                    [--compact] [FILE | -]\n"
    "       siphb decode --stun [--user U --password P [--realm R]]\n"
    "                    [--compact] [FILE | -]\n"
    "\n"
    "Decodes one SIP message (--sip: the input is one datagram), frames a byte\n"
    "stream (--stream: CRLF keepalives, STUN and SIP messages as on a TCP or TLS\n"
    "connection) or decodes one STUN message (--stun) and prints the result as\n"
    "JSON on standard output. Reads FILE, or standard input when FILE is '-' or\n"
    "missing; at most 1 MiB.\n"
    "\n"
    "Without --sip, --stream or --stun the input decides: it is decoded as --stun\n"
    "would when it looks like an RFC 5389 STUN message, binary or as hex text\n"
    "(only hex digits and white space), whose first two bits are 0 and whose\n"
    "bytes 4-7 are the magic cookie 21 12 A4 42; as --sip otherwise, and always\n"
    "with --lenient. RFC 3489 messages (no cookie) need --stun. When --sip fails\n"
    "on an input that looks like STUN, a hint to use --stun follows the error.\n"
    "\n"
    "Options:\n"
    "  --sip          the input is one SIP message, as in a UDP datagram (the\n"
    "                 default, unless the input looks like STUN)\n"
    "  --stream       the input is a byte stream; prints a JSON array of items\n"
    "  --role ROLE    with --stream: which end of the flow reads the bytes;\n"
    "                 'client' takes a lone CRLF as a pong at once, 'server'\n"
    "                 (the default) waits to see whether a ping follows\n"
    "  --stun         the input is one STUN message (a UDP datagram), binary or\n"
    "                 as hex text (only hex digits and white space)\n"
    "  --password P   with --stun: check MESSAGE-INTEGRITY(-SHA256) with the\n"
    "                 short-term key P, or with --user and --realm the long-term\n"
    "                 key (MD5, SHA-256 if the message has PASSWORD-ALGORITHM 2)\n"
    "  --user U       with --stun: the username of the long-term key\n"
    "  --realm R      with --stun: the realm of the long-term key\n"
    "  --lenient      the parser's lenient mode: missing mandatory headers,\n"
    "                 repeated single-valued headers, a CSeq method unlike the\n"
    "                 request's, other SIP versions and (without --stream)\n"
    "                 lines ended by LF alone are accepted\n"
    "  --compact      JSON on one line instead of indented\n"
    "  -h, --help     print this help\n"
    "\n"
    "Exit status: 0 decoded; 1 malformed input (or with --stun a FINGERPRINT or\n"
    "integrity check that failed), reported on standard error as\n"
    "'error: <code name>: <message> at offset N'; 2 usage or I/O error.\n";

static int usage_error(const char *fmt, const char *arg) {
  return tool_usage_error("decode", fmt, arg);
}

static int set_mode(decode_opts *o, decode_mode m, const char *arg) {
  if (o->mode != MODE_NONE && o->mode != m)
    return usage_error("%s: --sip, --stream and --stun exclude each other", arg);
  o->mode = m;
  return 0;
}

static int set_role(decode_opts *o, const char *value) {
  if (strcmp(value, "client") == 0) {
    o->role = SIPHB_STREAM_CLIENT;
  } else if (strcmp(value, "server") == 0) {
    o->role = SIPHB_STREAM_SERVER;
  } else {
    return usage_error("--role must be 'client' or 'server', not '%s'", value);
  }
  o->role_given = true;
  return 0;
}

/* --user, --password, --realm: "--x V" or "--x=V". Returns true (and
 * advances *i past a separate value) when argv[*i] is one of them. */
static bool credential_option(int argc, char **argv, int *i, decode_opts *o, int *rc) {
  static const char *const names[] = {"--user", "--password", "--realm"};
  const char **slots[] = {&o->cred.user, &o->cred.password, &o->cred.realm};
  const char *a = argv[*i];
  for (size_t k = 0; k < 3; k++) {
    size_t n = strlen(names[k]);
    if (strncmp(a, names[k], n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
    if (a[n] == '=') {
      *slots[k] = a + n + 1;
    } else if (*i + 1 >= argc) {
      *rc = usage_error("%s needs a value", names[k]);
    } else {
      *slots[k] = argv[++*i];
    }
    return true;
  }
  return false;
}

/* Returns -1 when the options are fine, otherwise the exit status. */
static int parse_options(int argc, char **argv, decode_opts *o) {
  bool operands_only = false;
  memset(o, 0, sizeof *o);
  o->role = SIPHB_STREAM_SERVER;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int rc = 0;
    if (operands_only || a[0] != '-' || strcmp(a, "-") == 0) {
      if (o->path) return usage_error("more than one input given ('%s')", a);
      o->path = a;
    } else if (strcmp(a, "--") == 0) {
      operands_only = true;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(decode_usage_text, stdout);
      return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
    } else if (strcmp(a, "--sip") == 0) {
      rc = set_mode(o, MODE_SIP, a);
    } else if (strcmp(a, "--stream") == 0) {
      rc = set_mode(o, MODE_STREAM, a);
    } else if (strcmp(a, "--stun") == 0) {
      rc = set_mode(o, MODE_STUN, a);
    } else if (strcmp(a, "--role") == 0) {
      if (i + 1 >= argc) return usage_error("%s needs a value: client or server", a);
      rc = set_role(o, argv[++i]);
    } else if (strncmp(a, "--role=", 7) == 0) {
      rc = set_role(o, a + 7);
    } else if (strcmp(a, "--lenient") == 0) {
      o->lenient = true;
    } else if (strcmp(a, "--compact") == 0) {
      o->compact = true;
    } else if (credential_option(argc, argv, &i, o, &rc)) {
      /* stored (or rc set) */
    } else {
      return usage_error("unknown option '%s'", a);
    }
    if (rc) return rc;
  }
  /* No mode option: the input decides (cmd_decode), unless --lenient,
   * an option of the SIP parser, says SIP. */
  if (o->mode == MODE_NONE && o->lenient) o->mode = MODE_SIP;
  if (o->role_given && o->mode != MODE_STREAM)
    return usage_error("%s applies to --stream only", "--role");
  const stun_credentials *c = &o->cred;
  if ((c->user || c->password || c->realm) && o->mode != MODE_STUN)
    return usage_error("%s apply to --stun only", "--user, --password and --realm");
  if (o->lenient && o->mode == MODE_STUN)
    return usage_error("%s applies to --sip and --stream only", "--lenient");
  if ((c->user || c->realm) && !c->password)
    return usage_error("%s need --password", "--user and --realm");
  if (c->realm && !c->user) return usage_error("%s needs --user (the long-term key)", "--realm");
  return -1;
}

/* Reads the whole input into *out (malloc'd). Returns -1 on success,
 * otherwise the exit status after printing why. */
static int read_input(const char *path, unsigned char **out, size_t *len) {
  bool use_stdin = !path || strcmp(path, "-") == 0;
  const char *name = use_stdin ? "standard input" : path;
  FILE *f = stdin;
  if (use_stdin) {
#ifdef _WIN32
    (void)_setmode(_fileno(stdin), _O_BINARY);
#endif
  } else if (!(f = fopen(path, "rb"))) {
    fprintf(stderr, "siphb: decode: cannot open '%s': %s\n", path, strerror(errno));
    return TOOL_EXIT_USAGE;
  }
  /* One byte more than the limit tells "exactly 1 MiB" from "larger". */
  unsigned char *buf = malloc(DECODE_MAX_INPUT + 1);
  if (!buf) {
    fputs("siphb: decode: out of memory\n", stderr);
    if (!use_stdin) fclose(f);
    return TOOL_EXIT_USAGE;
  }
  size_t n = 0;
  while (n < DECODE_MAX_INPUT + 1) {
    size_t got = fread(buf + n, 1, DECODE_MAX_INPUT + 1 - n, f);
    if (got == 0) break;
    n += got;
  }
  bool failed = ferror(f) != 0;
  if (!use_stdin) fclose(f);
  if (failed) {
    fprintf(stderr, "siphb: decode: cannot read %s%s%s\n", use_stdin ? "" : "'", name,
            use_stdin ? "" : "'");
    free(buf);
    return TOOL_EXIT_USAGE;
  }
  if (n > DECODE_MAX_INPUT) {
    fprintf(stderr,
            "error: SIPHB_ERR_LIMIT: input larger than 1 MiB (%lu bytes), the most decode "
            "reads\n",
            (unsigned long)DECODE_MAX_INPUT);
    free(buf);
    return TOOL_EXIT_BAD_INPUT;
  }
  *out = buf;
  *len = n;
  return -1;
}

/* ---- JSON of a parsed message -------------------------------------------- */

static void put_str(json_writer *w, const char *key, siphb_str s) {
  json_key(w, key);
  json_string(w, s.ptr, s.len);
}

static void put_uint(json_writer *w, const char *key, uint64_t v) {
  json_key(w, key);
  json_uint(w, v);
}

static void write_via(json_writer *w, const siphb_sip_via *v) {
  json_begin_object(w);
  put_str(w, "value", v->value);
  put_str(w, "transport", v->transport);
  put_str(w, "host", v->host);
  json_key(w, "host_is_ipv6");
  json_bool(w, v->host_is_ipv6);
  json_key(w, "port");
  if (v->has_port) json_uint(w, v->port);
  else json_null(w);
  /* branch= and received= always carry a value, so empty means absent. */
  if (v->branch.len) put_str(w, "branch", v->branch);
  if (v->received.len) put_str(w, "received", v->received);
  if (v->has_rport) {
    json_key(w, "rport");
    if (v->rport_has_value) json_uint(w, v->rport);
    else json_bool(w, true);
  }
  if (v->has_keep) {
    json_key(w, "keep");
    if (v->keep_has_value) json_uint(w, v->keep);
    else json_bool(w, true);
  }
  put_str(w, "params", v->params);
  json_end_object(w);
}

static void write_addr(json_writer *w, const siphb_sip_addr *a, bool contact) {
  json_begin_object(w);
  if (a->display_name.len) put_str(w, "display_name", a->display_name);
  put_str(w, "uri", a->uri);
  if (a->tag.len) put_str(w, "tag", a->tag);
  put_str(w, "params", a->params);
  if (contact && a->has_expires) put_uint(w, "expires", a->expires);
  json_end_object(w);
}

static void write_tokens(json_writer *w, const siphb_sip_msg *m, siphb_sip_hdr hdr,
                         const char *key) {
  if (!siphb_sip_msg_has(m, hdr)) return;
  siphb_sip_iter it;
  siphb_str t;
  json_key(w, key);
  json_begin_array(w);
  siphb_sip_iter_init(&it, m);
  while (siphb_sip_next_token(&it, hdr, &t)) json_string(w, t.ptr, t.len);
  json_end_array(w);
}

static void write_number_header(json_writer *w, const siphb_sip_msg *m, siphb_sip_hdr hdr,
                                const char *key, uint32_t v) {
  if (siphb_sip_msg_has(m, hdr)) put_uint(w, key, v);
}

static void write_msg(json_writer *w, const siphb_sip_msg *m) {
  siphb_sip_iter it;
  json_begin_object(w);
  json_key(w, "kind");
  json_cstring(w, m->is_request ? "request" : "response");
  put_str(w, "start_line", m->start_line);
  if (m->is_request) {
    put_str(w, "method", m->method);
    put_str(w, "request_uri", m->request_uri);
  } else {
    put_uint(w, "status", m->status);
    put_str(w, "reason", m->reason);
  }
  put_uint(w, "length", m->length);
  put_uint(w, "header_count", m->header_count);
  put_uint(w, "body_length", m->body.len);

  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_VIA)) {
    siphb_sip_via via;
    json_key(w, "via");
    json_begin_array(w);
    siphb_sip_iter_init(&it, m);
    while (siphb_sip_next_via(&it, &via)) write_via(w, &via);
    json_end_array(w);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_FROM)) {
    json_key(w, "from");
    write_addr(w, &m->from, false);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_TO)) {
    json_key(w, "to");
    write_addr(w, &m->to, false);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_CALL_ID)) put_str(w, "call_id", m->call_id);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_CSEQ)) {
    json_key(w, "cseq");
    json_begin_object(w);
    put_uint(w, "number", m->cseq);
    put_str(w, "method", m->cseq_method);
    json_end_object(w);
  }
  write_number_header(w, m, SIPHB_SIP_HDR_MAX_FORWARDS, "max_forwards", m->max_forwards);
  write_number_header(w, m, SIPHB_SIP_HDR_CONTENT_LENGTH, "content_length", m->content_length);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_CONTACT)) {
    json_key(w, "contact");
    if (m->contact.star) {
      json_cstring(w, "*");
    } else {
      siphb_sip_addr c;
      json_begin_array(w);
      siphb_sip_iter_init(&it, m);
      while (siphb_sip_next_contact(&it, &c)) write_addr(w, &c, true);
      json_end_array(w);
    }
  }
  write_number_header(w, m, SIPHB_SIP_HDR_EXPIRES, "expires", m->expires);
  write_number_header(w, m, SIPHB_SIP_HDR_MIN_EXPIRES, "min_expires", m->min_expires);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_RETRY_AFTER)) {
    json_key(w, "retry_after");
    json_begin_object(w);
    put_uint(w, "delta", m->retry_after.delta);
    if (m->retry_after.comment.len) put_str(w, "comment", m->retry_after.comment);
    if (m->retry_after.has_duration) put_uint(w, "duration", m->retry_after.duration);
    json_end_object(w);
  }
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_SESSION_EXPIRES)) {
    json_key(w, "session_expires");
    json_begin_object(w);
    put_uint(w, "delta", m->session_expires.delta);
    if (m->session_expires.refresher != SIPHB_SIP_REFRESHER_NONE) {
      json_key(w, "refresher");
      json_cstring(w, m->session_expires.refresher == SIPHB_SIP_REFRESHER_UAC ? "uac" : "uas");
    }
    json_end_object(w);
  }
  write_number_header(w, m, SIPHB_SIP_HDR_MIN_SE, "min_se", m->min_se);
  write_number_header(w, m, SIPHB_SIP_HDR_FLOW_TIMER, "flow_timer", m->flow_timer);
  write_tokens(w, m, SIPHB_SIP_HDR_SUPPORTED, "supported");
  write_tokens(w, m, SIPHB_SIP_HDR_REQUIRE, "require");
  write_tokens(w, m, SIPHB_SIP_HDR_ALLOW, "allow");
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_SERVER)) put_str(w, "server", m->server);
  if (siphb_sip_msg_has(m, SIPHB_SIP_HDR_USER_AGENT)) put_str(w, "user_agent", m->user_agent);

  siphb_sip_header h;
  json_key(w, "headers");
  json_begin_array(w);
  siphb_sip_iter_init(&it, m);
  while (siphb_sip_next_header(&it, &h)) {
    json_begin_object(w);
    put_str(w, "name", h.name);
    put_str(w, "value", h.value);
    put_uint(w, "offset", h.offset);
    json_end_object(w);
  }
  json_end_array(w);
  json_end_object(w);
}

/* ---- the two modes --------------------------------------------------------- */

static siphb_sip_parse_config parse_config(const decode_opts *o, siphb_sip_mode mode) {
  siphb_sip_parse_config cfg;
  siphb_sip_parse_config_init(&cfg, sizeof cfg);
  cfg.mode = mode;
  cfg.lenient = o->lenient;
  return cfg;
}

static int decode_sip(const decode_opts *o, const unsigned char *data, size_t len) {
  siphb_sip_parse_config cfg = parse_config(o, SIPHB_SIP_DATAGRAM);
  siphb_sip_msg msg;
  siphb_error_info err;
  if (siphb_sip_parse(&msg, data, len, &cfg, &err) < 0) {
    tool_parse_error(&err, 0);
    /* Only --sip (or --lenient) brings STUN here: say what would work. */
    if (looks_like_stun(data, len))
      fputs("hint: the input looks like a STUN message (magic cookie 2112a442 in bytes 4-7): "
            "try 'siphb decode --stun'\n",
            stderr);
    return TOOL_EXIT_BAD_INPUT;
  }
  json_writer w;
  json_init(&w, stdout, !o->compact);
  write_msg(&w, &msg);
  return tool_json_finish(&w, "decode");
}

static bool is_sip(siphb_stream_kind k) {
  return k == SIPHB_STREAM_SIP_REQUEST || k == SIPHB_STREAM_SIP_RESPONSE;
}

/* The item's "kind": the codec's name, with one "sip" for both SIP kinds
 * (the message says which). */
static const char *kind_name(siphb_stream_kind k) {
  return is_sip(k) ? "sip" : siphb_stream_kind_name(k);
}

/* Frames items until the input ends. The items before an error are still
 * printed (a complete JSON array); the error goes to stderr. */
static int decode_stream(const decode_opts *o, const unsigned char *data, size_t len) {
  siphb_sip_parse_config cfg = parse_config(o, SIPHB_SIP_STREAM);
  json_writer w;
  int status = TOOL_EXIT_OK;
  size_t off = 0;
  json_init(&w, stdout, !o->compact);
  json_begin_array(&w);
  while (off < len) {
    siphb_stream_item item;
    siphb_error_info err;
    siphb_sip_msg msg;
    siphb_ssize n =
        siphb_stream_next(data + off, len - off, SIPHB_TRANSPORT_TCP, o->role, &item, &err);
    if (n == SIPHB_ERR_INCOMPLETE) {
      fprintf(stderr,
              "error: %s: %s (the item at offset %lu needs at least %lu more bytes) at offset "
              "%lu\n",
              siphb_errname(err.code), err.message, (unsigned long)off, (unsigned long)err.need,
              (unsigned long)(off + err.offset));
      status = TOOL_EXIT_BAD_INPUT;
      break;
    }
    if (n <= 0) { /* never 0: an item has at least one byte */
      tool_parse_error(&err, off);
      status = TOOL_EXIT_BAD_INPUT;
      break;
    }
    /* The framer parses SIP leniently (it only needs the length); the
     * message is decoded again as --lenient says. */
    if (is_sip(item.kind) &&
        siphb_sip_parse(&msg, data + off, item.length, &cfg, &err) < 0) {
      tool_parse_error(&err, off);
      status = TOOL_EXIT_BAD_INPUT;
      break;
    }
    json_begin_object(&w);
    json_key(&w, "kind");
    json_cstring(&w, kind_name(item.kind));
    put_uint(&w, "offset", off);
    put_uint(&w, "length", item.length);
    if (is_sip(item.kind)) {
      json_key(&w, "message");
      write_msg(&w, &msg);
    }
    json_end_object(&w);
    off += item.length;
  }
  json_end_array(&w);
  int rc = tool_json_finish(&w, "decode");
  return status != TOOL_EXIT_OK ? status : rc;
}

int cmd_decode(int argc, char **argv) {
  decode_opts o;
  int rc = parse_options(argc, argv, &o);
  if (rc >= 0) return rc;
  unsigned char *data = NULL;
  size_t len = 0;
  rc = read_input(o.path, &data, &len);
  if (rc >= 0) return rc;
  /* No mode option: STUN when it looks like it, the SIP datagram else. */
  decode_mode mode = o.mode;
  if (mode == MODE_NONE) mode = looks_like_stun(data, len) ? MODE_STUN : MODE_SIP;
  if (mode == MODE_STUN) rc = decode_stun(data, len, &o.cred, o.compact);
  else if (mode == MODE_STREAM) rc = decode_stream(&o, data, len);
  else rc = decode_sip(&o, data, len);
  free(data);
  return rc;
}
