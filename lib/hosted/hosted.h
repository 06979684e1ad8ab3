/*
 * hosted.h - what the core asks of the platform when the integrator gives
 * nothing (internal). Implemented by hosted/mem_libc.c and
 * hosted/random_os.c in hosted builds and by hosted/none.c in freestanding
 * ones; siphb_mem_default() (public, common.h) belongs to the same set.
 */
#ifndef SIPHB_LIB_HOSTED_H
#define SIPHB_LIB_HOSTED_H

#include <siphb/common.h>

/* Fills buf from the operating system's generator. Returns 0, or
 * SIPHB_ERR_UNSUPPORTED when there is none (freestanding), or
 * SIPHB_ERR_CALLBACK_FAILURE when the OS call failed. */
int siphb_hosted_random(uint8_t *buf, size_t len);

/* Whether siphb_hosted_random() exists in this build. */
bool siphb_hosted_random_available(void);

#endif /* SIPHB_LIB_HOSTED_H */
