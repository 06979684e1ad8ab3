/*
 * tcp_keepalive_int.h - the setsockopt() step of siphb_tcp_keepalive_apply()
 * as a function pointer (internal to hosted/: tests/hosted/ makes one
 * setsockopt() fail to see that the options already set are put back,
 * which a real kernel gives no way to provoke halfway through).
 */
#ifndef SIPHB_LIB_HOSTED_TCP_KEEPALIVE_INT_H
#define SIPHB_LIB_HOSTED_TCP_KEEPALIVE_INT_H

#include <stdint.h>

#include <siphb/tcp_keepalive.h>

/* Sets one int option; returns 0 or the OS error (errno, or
 * WSAGetLastError() on Windows). */
typedef int (*siphb_sockopt_set_fn)(intptr_t fd, int level, int name, int value, void *user);

/* The real one: setsockopt(). */
int siphb_sockopt_set_os(intptr_t fd, int level, int name, int value, void *user);

/* siphb_tcp_keepalive_apply() with `set` (called with `user`) in place of
 * siphb_sockopt_set_os for every option it sets or puts back. */
int siphb_tcp_keepalive_apply_with(intptr_t fd, const siphb_tcp_keepalive_config *cfg,
                                   siphb_error_info *err, siphb_sockopt_set_fn set, void *user);

#endif /* SIPHB_LIB_HOSTED_TCP_KEEPALIVE_INT_H */
