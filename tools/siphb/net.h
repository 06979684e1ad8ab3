/*
 * net.h - what the siphb subcommands that talk to the network share
 * (stun, probe, crlf, serve): HOST[:PORT] splitting, name resolution with
 * one error line, socket helpers, the monotonic clock the library's `now`
 * comes from, and a clean stop on SIGINT/SIGTERM. POSIX only: on other
 * platforms the network subcommands say they are not available.
 */
#ifndef SIPHB_TOOL_NET_H
#define SIPHB_TOOL_NET_H

#ifndef _WIN32

#  include <stdbool.h>
#  include <stddef.h>
#  include <stdint.h>
#  include <sys/socket.h>

#  include <siphb/common.h>

/* A host and a port as given on the command line, before resolution. */
typedef struct net_target {
  char host[256];
  char port[8];
} net_target;

/* A resolved address (AF_INET or AF_INET6). */
typedef struct net_addr {
  struct sockaddr_storage ss;
  socklen_t len;
} net_addr;

/* Seconds with up to three decimals ("5", "0.25") into milliseconds, in
 * [lo_ms, hi_ms]; false for anything else. */
bool net_parse_seconds(const char *s, uint64_t lo_ms, uint64_t hi_ms, uint64_t *out_ms);

/* The value of a seconds option (--interval, --timeout ...) of `cmd`:
 * -1 with *out in milliseconds, or the exit status after a usage error
 * line ("--NAME needs a number of seconds", "--NAME must be seconds from
 * LO to HI"). v NULL: the value was missing. */
int net_seconds_value(const char *cmd, const char *name, const char *v, uint64_t lo_ms,
                      uint64_t hi_ms, uint64_t *out);

/* The value of --count: -1 with *out in [1, 1000000000], or the exit
 * status after "--count must be a number from 1 to 1000000000". */
int net_count_value(const char *cmd, const char *v, unsigned *out);

/* The options every network subcommand has: -h/--help (prints `usage` on
 * stdout), --json, -4 and -6 (which exclude each other). Returns
 * NET_NOT_COMMON when `arg` is none of them, -1 when taken, otherwise the
 * exit status (after --help, or a usage error line naming `cmd`). */
#  define NET_NOT_COMMON (-2)
int net_common_option(const char *cmd, const char *arg, const char *usage, bool *json,
                      int *family);

/* HOST, HOST:PORT, [IPv6], [IPv6]:PORT (an unbracketed IPv6 address, two
 * colons or more, takes no port). Returns -1 when fine, otherwise the exit
 * status after a usage error line naming `cmd`. */
int net_split_hostport(const char *cmd, const char *text, const char *default_port,
                       net_target *out);

/* The same for an address to listen on: port 0 (any free port) allowed. */
int net_split_listen(const char *cmd, const char *text, const char *default_port,
                     net_target *out);

/* Resolves a target to its first address of `family` (AF_UNSPEC, AF_INET,
 * AF_INET6) for `socktype` (SOCK_DGRAM, SOCK_STREAM). Returns -1 when fine,
 * otherwise TOOL_EXIT_USAGE after "siphb: CMD: cannot resolve ..." on
 * stderr. */
int net_resolve(const char *cmd, const net_target *t, int family, int socktype, net_addr *out);

/* The siphb_mapped_addr of an address (for addr_text and the JSON). */
siphb_mapped_addr net_mapped(const net_addr *a);

/* A UDP socket connected to `to` (so that an ICMP port unreachable comes
 * back as ECONNREFUSED from send or recv) and the local address the kernel
 * chose for it, which is the one the server sees on loopback or without a
 * NAT. Returns the descriptor, or -1 after "siphb: CMD: cannot open a UDP
 * socket to WHAT: <strerror>" on stderr. Connecting a UDP socket sends
 * nothing, so this also tells which local address a TCP connection to the
 * same server would use. */
int net_udp_connect(const char *cmd, const char *what, const net_addr *to,
                    siphb_mapped_addr *local);

/* A socket of `socktype` (SOCK_DGRAM, SOCK_STREAM) bound to the target's
 * first address (listening, for SOCK_STREAM; IPv6 sockets IPv6 only; TCP
 * with SO_REUSEADDR), non-blocking; *bound is the address it got (the port
 * chosen for port 0). Returns -1 when fine, otherwise TOOL_EXIT_USAGE after
 * "siphb: CMD: cannot listen on udp HOST:PORT: <reason>" on stderr. */
int net_listen(const char *cmd, const net_target *t, int socktype, int *fd_out,
               siphb_mapped_addr *bound);

/* Sets O_NONBLOCK and FD_CLOEXEC. 0, or -1 with errno. */
int net_set_nonblock(int fd);

/* Milliseconds of CLOCK_MONOTONIC: as a double for sub-millisecond RTTs,
 * and as the library's siphb_ms (whole milliseconds). */
double net_now_ms(void);
siphb_ms net_now(void);

/* SIGINT and SIGTERM set a flag instead of killing the process, without
 * SA_RESTART so that a blocked poll() returns at once with EINTR. */
void net_catch_stop_signals(void);
bool net_stop_requested(void);

#endif /* !_WIN32 */
#endif /* SIPHB_TOOL_NET_H */
