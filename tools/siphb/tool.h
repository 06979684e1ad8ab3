/*
 * tool.h - what the siphb tool's subcommands share: exit statuses, the
 * entry point of each subcommand, the error line for malformed input.
 */
#ifndef SIPHB_TOOL_H
#define SIPHB_TOOL_H

#include <stdbool.h>
#include <stddef.h>

#include <siphb/common.h>

#include "json.h"

/* Exit statuses of every subcommand. */
enum {
  TOOL_EXIT_OK = 0,
  TOOL_EXIT_BAD_INPUT = 1, /* the input was malformed or too large; for
                              `stun`: a timeout or an error response;
                              for `probe`: the last round failed; for
                              `crlf` and `stun --keepalive`: the flow
                              failed */
  TOOL_EXIT_USAGE = 2      /* bad command line, or the input/output failed */
};

/* Each subcommand gets argv from its own name on (argv[0] is "decode"). */
int cmd_decode(int argc, char **argv);
int cmd_stun(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_crlf(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_session_timer(int argc, char **argv);

/* Credentials for `siphb decode --stun` (NULL: not given). */
typedef struct stun_credentials {
  const char *user;
  const char *password;
  const char *realm;
} stun_credentials;

/* `siphb decode --stun` on the input read (cmd_decode_stun.c): prints the
 * JSON and returns the exit status. */
int decode_stun(const unsigned char *data, size_t len, const stun_credentials *cred, bool compact);

/* true when the input would be taken for STUN by `siphb decode` without a
 * mode option (cmd_decode_stun.c): binary, or hex text as --stun reads it,
 * whose first 8 bytes have the first two bits 0 and the magic cookie in
 * bytes 4-7. */
bool looks_like_stun(const unsigned char *data, size_t len);

/* Prints "siphb: CMD: <message>" and the hint to run --help on stderr;
 * returns TOOL_EXIT_USAGE. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
int tool_usage_error(const char *cmd, const char *fmt, ...);

/* Prints "siphb: CMD: not available on this platform (POSIX sockets only)"
 * and returns TOOL_EXIT_USAGE: the network subcommands on Windows. */
int tool_unavailable(const char *cmd);

/* A whole number in [lo, hi]; false for anything else (signs, spaces,
 * trailing bytes, overflow). */
bool tool_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out);

/* An option with a value, "--name V" or "--name=V": true when argv[*i] is
 * one (then *i has moved past a separate value), with *value the value, or
 * NULL when none followed. */
bool tool_option_value(int argc, char **argv, int *i, const char *name, const char **value);

/* Prints "error: <code name>: <message> at offset N" on stderr, N being
 * base + err->offset. */
void tool_parse_error(const siphb_error_info *err, size_t base);

/* json_finish(); on failure says "siphb: CMD: writing the output failed"
 * and returns TOOL_EXIT_USAGE, else TOOL_EXIT_OK. */
int tool_json_finish(json_writer *w, const char *cmd);

#endif /* SIPHB_TOOL_H */
