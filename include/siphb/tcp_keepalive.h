/*
 * siphb/tcp_keepalive.h - the operating system's TCP keep-alives on the
 * integrator's socket (hosted builds only).
 *
 * A NAT or firewall that silently drops an idle TCP connection leaves both
 * ends believing it is open: nothing is sent, so nothing fails. SIP proxies
 * therefore turn on the kernel's keep-alive probes (SO_KEEPALIVE with
 * TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT, tcp(7)) on their SIP TCP and
 * TLS connections, next to (not instead of) the SIP-level CRLF keepalives of
 * RFC 5626: the kernel's probes keep the middlebox's binding warm and find a
 * dead peer even when the SIP layer is quiet.
 *
 * This is the one part of siphb that touches a socket, and it stays a thin
 * helper: siphb still never opens, reads or writes one. It is hosted-only:
 * a freestanding build (SIPHB_FREESTANDING) contains none of these functions
 * (using them there is a link error, not a runtime surprise), which is why
 * the umbrella siphb/siphb.h does not include this header: include it
 * yourself.
 *
 * Why the library asks for explicit values: RFC 9293 section 3.8.4 makes
 * keep-alives optional, says they MUST default to off and that the interval
 * before the first probe MUST be configurable and MUST default to no less
 * than two hours. Those defaults are far too slow for SIP (a NAT binding
 * typically lives 30 s to a few minutes), so the integrator turns them on
 * per socket with values chosen for SIP; siphb_tcp_keepalive_config_init()
 * offers such values, written out below.
 *
 * The socket is an intptr_t so that every platform's handle fits: a POSIX
 * file descriptor (int) or a Windows SOCKET (UINT_PTR). Pass it cast:
 * siphb_tcp_keepalive_apply((intptr_t)fd, &cfg, &err).
 */
#ifndef SIPHB_TCP_KEEPALIVE_H
#define SIPHB_TCP_KEEPALIVE_H

#include <stddef.h>
#include <stdint.h>

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest idle and interval, in whole seconds, and the largest count
 * that siphb_tcp_keepalive_apply() sets: larger values are lowered to these
 * (the probes only come sooner). They are Linux's limits (MAX_TCP_KEEPIDLE,
 * MAX_TCP_KEEPINTVL and MAX_TCP_KEEPCNT in the kernel's include/net/tcp.h;
 * a larger value is refused with EINVAL), the smallest of the kernels siphb
 * supports, applied on every platform so that one config behaves alike
 * everywhere. */
#define SIPHB_TCP_KEEPALIVE_MAX_SECONDS 32767
#define SIPHB_TCP_KEEPALIVE_MAX_COUNT 127

/* The largest explicit user_timeout in milliseconds: the kernel takes it
 * as an int (tcp(7)). */
#define SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT 2147483647

/*
 * The keep-alive schedule. Fill with siphb_tcp_keepalive_config_init(&cfg,
 * sizeof cfg) (common.h: how it grows), then change fields.
 *
 * The kernel counts idle and interval in whole seconds: they are rounded
 * up (1500 ms becomes 2 s, 1 ms becomes 1 s), never down, so that no probe
 * comes earlier than asked; only above SIPHB_TCP_KEEPALIVE_MAX_SECONDS are
 * they lowered, to that limit.
 */
typedef struct siphb_tcp_keepalive_config {
  uint32_t size; /* set by siphb_tcp_keepalive_config_init() */
  /* Unanswered probes after which the kernel drops the connection
   * (TCP_KEEPCNT). Default 3. 0 is refused; above
   * SIPHB_TCP_KEEPALIVE_MAX_COUNT it is lowered to it. */
  uint32_t count;
  /* How long the connection must be idle (nothing received) before the
   * first probe (TCP_KEEPIDLE; TCP_KEEPALIVE on macOS). Default 30 s:
   * shorter than the UDP/TCP binding lifetime of common NATs and
   * firewalls, so that the probe keeps the binding alive. 0 is refused. */
  siphb_ms idle;
  /* Between unanswered probes (TCP_KEEPINTVL). Default 10 s. 0 is
   * refused. */
  siphb_ms interval;
  /* TCP_USER_TIMEOUT (RFC 5482; Linux tcp(7)), in milliseconds: how long
   * sent data may stay unacknowledged before the kernel drops the
   * connection. Keep-alive probes only run while nothing is outstanding;
   * without this bound a peer that died while data was in flight is found
   * only when the retransmissions give up (tcp_retries2, about 15 minutes
   * by default on Linux). On Linux it also overrides TCP_KEEPCNT while
   * probing (tcp(7)): a connection silent for user_timeout is dropped.
   *   0 (the default): the natural bound, idle + interval * count (as
   *     rounded and lowered above, and at most
   *     SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT), so that a connection with
   *     data in flight is given up on the same schedule as an idle one
   *     and the user timeout never cuts the probe sequence short. Where
   *     the platform has no TCP_USER_TIMEOUT (macOS, the BSDs, Windows)
   *     nothing is set, and that is not an error: the caller asked for no
   *     particular value;
   *   SIPHB_NEVER: leave the kernel's setting as it is;
   *   1..SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT: exactly that. Refused with
   *     SIPHB_ERR_UNSUPPORTED where the platform has no TCP_USER_TIMEOUT.
   * Larger values (other than SIPHB_NEVER) are refused rather than
   * lowered: a shorter user timeout would drop slow but live
   * connections. */
  siphb_ms user_timeout;
} siphb_tcp_keepalive_config;

/* Fills cfg (size bytes: pass sizeof *cfg) with the defaults above, chosen
 * for SIP: idle 30 s, interval 10 s, count 3, user_timeout 0 (the natural
 * bound, 60 s). A peer that vanishes is noticed about 60 s after the last
 * thing received from it: 30 s idle, then three probes 10 s apart that go
 * unanswered (30 + 3 * 10). */
SIPHB_EXTERN void siphb_tcp_keepalive_config_init(siphb_tcp_keepalive_config *cfg, size_t size);

/*
 * Turns on keep-alives on a connected TCP socket with cfg's schedule (or
 * on a listening one: on Linux the connections it accepts afterwards
 * inherit the options, as tests/hosted checks; elsewhere apply to each
 * accepted socket): SO_KEEPALIVE, TCP_KEEPIDLE (TCP_KEEPALIVE on macOS),
 * TCP_KEEPINTVL, TCP_KEEPCNT and, as user_timeout says, TCP_USER_TIMEOUT,
 * each only where the platform's headers define it (on Windows the SDK
 * does from Windows 10 1709 on; mingw-w64's headers do not, so a mingw
 * build answers SIPHB_ERR_UNSUPPORTED). err (optional) is cleared first.
 *
 * Returns:
 *   0;
 *   SIPHB_ERR_INVALID_ARGUMENT: cfg NULL or never initialised (size 0 or
 *     below the first release's), or a field out of range (0, or an
 *     explicit user_timeout too large); err->message names the field;
 *   SIPHB_ERR_UNSUPPORTED: the platform lacks an option the config needs
 *     (err->message names it, e.g. "TCP_USER_TIMEOUT"), or cfg sets a
 *     field this library does not know (a newer header);
 *   SIPHB_ERR_OS: the operating system refused a getsockopt() or
 *     setsockopt() (e.g. fd is not a socket, or not a TCP one);
 *     err->message names the call, the option and the errno ("setsockopt
 *     TCP_KEEPCNT: EINVAL (invalid argument)"), a static string.
 * Nothing is changed on the socket unless the call returns 0: the config is
 * checked and the socket's current values are read before anything is set,
 * and if a setsockopt() still fails, the options already set are put back
 * to the values read (best effort: the kernel refusing the old value back
 * is not reported). The socket's blocking mode and everything else are not
 * touched. Thread-safe (no state); do not apply to one socket from two
 * threads at once.
 */
SIPHB_EXTERN int siphb_tcp_keepalive_apply(intptr_t fd, const siphb_tcp_keepalive_config *cfg,
                                           siphb_error_info *err);

/*
 * Reads what the kernel has for fd into *out, which must have been filled
 * by siphb_tcp_keepalive_config_init() (its size says which fields to
 * write; the size itself is kept): idle and interval in milliseconds (whole
 * seconds times 1000), count, and user_timeout as the kernel holds it (0:
 * none set, the retransmission limit applies; also 0 where the platform has
 * no TCP_USER_TIMEOUT). A value the platform cannot report is 0. err
 * (optional) is cleared first.
 *
 * Returns 1 when SO_KEEPALIVE is on, 0 when it is off (the kernel still
 * holds and reports the other values), or SIPHB_ERR_INVALID_ARGUMENT (out
 * NULL or never initialised) or SIPHB_ERR_OS (as for apply). A larger out
 * (a newer header's) keeps the bytes beyond this library's fields as they
 * were. *out is changed only on success.
 */
SIPHB_EXTERN int siphb_tcp_keepalive_read(intptr_t fd, siphb_tcp_keepalive_config *out,
                                          siphb_error_info *err);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_TCP_KEEPALIVE_H */
