/*
 * interop_util.h - helpers shared by the loopback interop programs
 * (sip_options_client, sip_options_responder). Hosted POSIX code for the
 * test suite only; nothing here belongs in the library.
 */
#ifndef SIPHB_INTEROP_UTIL_H
#define SIPHB_INTEROP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include <siphb/siphb.h>

/* A numeric address and port given on the command line. */
typedef struct interop_addr {
  struct sockaddr_storage ss;
  socklen_t len;
} interop_addr;

/* Parses "IPv4:PORT" or "[IPv6]:PORT" (numeric only). 0 or -1. */
int interop_parse_hostport(const char *text, interop_addr *out);

/* The numeric host of an address (IPv6 without brackets) and its port. */
void interop_addr_host(const interop_addr *a, char *host, size_t cap);
uint16_t interop_addr_port(const interop_addr *a);

/* Milliseconds of CLOCK_MONOTONIC, as a double for sub-millisecond RTTs. */
double interop_now_ms(void);

/* siphb_random_fn backed by getrandom(2). */
int interop_random(uint8_t *dest, size_t len, void *user_data);

/* A siphb_str over a NUL-terminated string (NULL gives the empty slice). */
siphb_str interop_str(const char *s);

/* true if the slice equals the other slice byte for byte. */
int interop_str_eq(siphb_str a, siphb_str b);

/* Writes bytes to f with CR, LF and other control bytes made visible, one
 * SIP line per output line, each prefixed by `prefix`. */
void interop_dump(FILE *f, const char *prefix, const uint8_t *data, size_t len);

/* Appends bytes to a file (for the run script's pcap-less fallback and for
 * reports). 0 or -1. */
int interop_append_file(const char *path, const uint8_t *data, size_t len);

/* Sets O_NONBLOCK. 0 or -1. */
int interop_set_nonblock(int fd);

#endif /* SIPHB_INTEROP_UTIL_H */
