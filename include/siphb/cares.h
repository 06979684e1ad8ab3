/*
 * siphb/cares.h - optional glue: RFC 3263 section 4.4 SRV lookups, then
 * A/AAAA lookups of every target, with c-ares, driven by the integrator's
 * event loop (hosted builds configured with -DSIPHB_WITH_CARES=ON only;
 * the umbrella siphb/siphb.h does not include this header, and the core
 * never calls it).
 *
 * The library still does no blocking I/O and runs no loop: the integrator
 * watches the sockets siphb_cares_fds() lists (poll, epoll, libuv, ...),
 * calls siphb_cares_process() when one is ready or when
 * siphb_cares_timeout() has passed, and gets each lookup's result through
 * the callback given to siphb_cares_resolve(): the SRV targets in RFC 2782
 * order (siphb_srv_order(), siphb/srv.h), each with its port, priority,
 * weight and addresses. c-ares reads the system clock for its own
 * timeouts; siphb_cares_timeout() turns that into a duration.
 *
 * c-ares has one piece of global state: on Windows, call
 * ares_library_init() before siphb_cares_new() (POSIX needs nothing). A
 * siphb_cares is used by one thread at a time.
 *
 * Typical loop (POSIX):
 *
 *   siphb_cares_fd fds[SIPHB_CARES_MAX_FDS];
 *   while (waiting) {
 *     int n = siphb_cares_fds(r, fds, SIPHB_CARES_MAX_FDS);
 *     ... poll() fds[0..n) for fds[i].read / fds[i].write with a timeout
 *         of siphb_cares_timeout(r) ms (SIPHB_NEVER: nothing to wait for);
 *     for each ready fd: siphb_cares_process(r, fd if readable else
 *         SIPHB_CARES_NO_FD, fd if writable else SIPHB_CARES_NO_FD);
 *     if nothing was ready: siphb_cares_process(r, SIPHB_CARES_NO_FD,
 *         SIPHB_CARES_NO_FD);
 *   }
 */
#ifndef SIPHB_CARES_H
#define SIPHB_CARES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A resolver: one c-ares channel and the lookups running on it. */
typedef struct siphb_cares siphb_cares;

/* The most sockets siphb_cares_fds() reports (c-ares's ARES_GETSOCK_MAXNUM). */
#define SIPHB_CARES_MAX_FDS 16
/* The most addresses kept per target (A and AAAA together); more are
 * dropped, in c-ares's order. */
#define SIPHB_CARES_MAX_ADDRS 8
/* "No socket" for siphb_cares_process(). */
#define SIPHB_CARES_NO_FD ((intptr_t)-1)

/*
 * The resolver's settings. Fill with siphb_cares_config_init(&cfg,
 * sizeof cfg) (common.h: how it grows), then change fields.
 */
typedef struct siphb_cares_config {
  uint32_t size;           /* set by siphb_cares_config_init() */
  const char *servers;     /* NULL: the system's (resolv.conf); else c-ares's
                              list syntax "127.0.0.1:5353,[::1]:53" (copied) */
  uint32_t timeout_ms;     /* 2000: the first try's timeout per server
                              (c-ares lengthens later rounds) */
  uint32_t tries;          /* 3: rounds over the servers before a timeout */
  bool ipv4;               /* true: look up A records of each target */
  bool ipv6;               /* true: look up AAAA records (both: one
                              getaddrinfo lookup, AF_UNSPEC) */
  siphb_random_fn random;  /* NULL: siphb_random_os; the RFC 2782 words */
  void *random_user_data;
} siphb_cares_config;

SIPHB_EXTERN void siphb_cares_config_init(siphb_cares_config *cfg, size_t size);

/* How a lookup ended. */
typedef enum siphb_cares_status {
  SIPHB_CARES_OK = 0,          /* targets, at least one with an address */
  SIPHB_CARES_NO_SRV = 1,      /* no SRV record (NXDOMAIN or no data): RFC 3263
                                  section 4.2 falls back to A/AAAA of the host */
  SIPHB_CARES_NOT_OFFERED = 2, /* one SRV record with target ".": the service
                                  is decidedly not available (RFC 2782) */
  SIPHB_CARES_NO_ADDRESS = 3,  /* SRV records, but no target has an address */
  SIPHB_CARES_TIMEOUT = 4,     /* no server answered the SRV query in time */
  SIPHB_CARES_FAILED = 5,      /* SERVFAIL, REFUSED, a bad answer or name, the
                                  random source, ...: see ares_status, message */
  SIPHB_CARES_NOMEM = 6        /* c-ares or siphb ran out of memory */
} siphb_cares_status;

/* One SRV target, as the callback sees it. siphb allocates it; valid only
 * during the callback; grows at its end. */
typedef struct siphb_cares_target {
  const char *host;               /* NUL-terminated, as c-ares gives it (no
                                     trailing dot) */
  uint16_t port;                  /* the SRV record's port */
  uint16_t priority, weight;      /* the SRV record's */
  uint16_t n_addrs;               /* 0..SIPHB_CARES_MAX_ADDRS */
  const siphb_mapped_addr *addrs; /* family 1 IPv4, 2 IPv6; port = the
                                     SRV port; duplicates removed */
  int ares_status;                /* c-ares's status of the address lookup
                                     (0: ARES_SUCCESS) */
} siphb_cares_target;

/* A lookup's result. siphb allocates it; valid only during the callback;
 * grows at its end. */
typedef struct siphb_cares_result {
  siphb_cares_status status;
  int ares_status;                    /* c-ares's status of the SRV query */
  const char *message;                /* short static English text, never NULL */
  const char *name;                   /* the SRV name asked */
  const siphb_cares_target *targets;  /* RFC 2782 order; NULL when none */
  size_t n_targets;                   /* every SRV record (at most
                                         SIPHB_SRV_MAX_RECORDS), with or
                                         without addresses */
} siphb_cares_result;

/*
 * Called once per siphb_cares_resolve(), always from inside
 * siphb_cares_process() (never from _resolve, even when c-ares fails at
 * once). It may start new lookups and call siphb_cares_del() on r (the
 * deletion waits until the processing returns, and no further callback
 * runs); it may not call siphb_cares_process().
 */
typedef void (*siphb_cares_done_fn)(siphb_cares *r, const siphb_cares_result *res,
                                    void *user_data);

/* A socket to watch. Fixed layout. */
typedef struct siphb_cares_fd {
  intptr_t fd;  /* a POSIX descriptor or a Windows SOCKET */
  bool read;    /* wait until readable */
  bool write;   /* wait until writable (a TCP connect or a send) */
} siphb_cares_fd;

/*
 * Creates a resolver. cfg NULL: the defaults. mem NULL: the C library's
 * allocator (siphb's own allocations; c-ares uses its own). Returns 0, or:
 *   SIPHB_ERR_INVALID_ARGUMENT  out NULL, a config never initialised,
 *                               tries 0, timeout_ms 0 or above INT_MAX,
 *                               ipv4 and ipv6 both false, a servers list
 *                               c-ares refuses, an incomplete mem
 *   SIPHB_ERR_UNSUPPORTED       a config field this library does not know
 *   SIPHB_ERR_NOMEM             out of memory
 *   SIPHB_ERR_OS                c-ares could not start (no resolv.conf
 *                               and no servers, ...)
 * *out is written only on success.
 */
SIPHB_EXTERN int siphb_cares_new(siphb_cares **out, const siphb_cares_config *cfg,
                                 const siphb_mem *mem);

/* Ends every lookup without calling its callback and frees r; NULL is
 * fine. From inside a callback the deletion is deferred (see above). */
SIPHB_EXTERN void siphb_cares_del(siphb_cares *r);

/*
 * Starts the lookup of srv_name (e.g. "_sip._udp.example.com"; asked as
 * given, without search domains) and then of the addresses of its
 * targets. The result goes to done(r, &result, user_data) from a later
 * siphb_cares_process(). Returns 0, or SIPHB_ERR_INVALID_ARGUMENT (r,
 * srv_name or done NULL, srv_name empty or longer than 253 bytes),
 * SIPHB_ERR_INVALID_STATE (r is being deleted) or SIPHB_ERR_NOMEM.
 */
SIPHB_EXTERN int siphb_cares_resolve(siphb_cares *r, const char *srv_name,
                                     siphb_cares_done_fn done, void *user_data);

/* The sockets to watch now, at most cap of them written to fds (cap
 * SIPHB_CARES_MAX_FDS is always enough). Returns how many (0 when no lookup
 * has a socket), or SIPHB_ERR_INVALID_ARGUMENT (r NULL, fds NULL with cap
 * > 0). The set changes after every _resolve and _process: ask again. */
SIPHB_EXTERN int siphb_cares_fds(siphb_cares *r, siphb_cares_fd *fds, size_t cap);

/* Milliseconds until siphb_cares_process() must be called even if no
 * socket is ready (c-ares's retransmission or timeout), rounded up; 0 when
 * results are waiting to be delivered; SIPHB_NEVER when nothing runs (or r
 * is NULL). */
SIPHB_EXTERN siphb_ms siphb_cares_timeout(siphb_cares *r);

/*
 * Lets c-ares read read_fd and write write_fd (either or both
 * SIPHB_CARES_NO_FD: with both, only timeouts are handled), then delivers
 * every finished lookup through its callback. Returns 0, or
 * SIPHB_ERR_INVALID_ARGUMENT (r NULL) or SIPHB_ERR_INVALID_STATE (called
 * from inside a callback).
 */
SIPHB_EXTERN int siphb_cares_process(siphb_cares *r, intptr_t read_fd, intptr_t write_fd);

/* How many lookups are running or waiting to be delivered. */
SIPHB_EXTERN size_t siphb_cares_pending(const siphb_cares *r);

/* A short English name of a status ("SIPHB_CARES_TIMEOUT"); never NULL. */
SIPHB_EXTERN const char *siphb_cares_status_name(siphb_cares_status status);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_CARES_H */
