/*
 * hosted.h - what the core asks of the platform when the integrator gives
 * nothing (internal). Implemented by hosted/mem_libc.c and
 * hosted/random_os.c in hosted builds and by hosted/none.c in freestanding
 * ones, with siphb_mem_default() and siphb_random_os() (public, common.h).
 */
#ifndef SIPHB_LIB_HOSTED_H
#define SIPHB_LIB_HOSTED_H

#include <siphb/common.h>

/* Whether siphb_random_os() (common.h) has an OS behind it in this build. */
bool siphb_hosted_random_available(void);

#endif /* SIPHB_LIB_HOSTED_H */
