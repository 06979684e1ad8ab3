/*
 * ms.h - arithmetic on siphb_ms (internal): deadlines that must not wrap
 * into the past or onto SIPHB_NEVER.
 */
#ifndef SIPHB_LIB_BASE_MS_H
#define SIPHB_LIB_BASE_MS_H

#include <siphb/common.h>

/* The longest duration an object keeps in 32 bits: about 49 days. Configs
 * are checked against it. */
#define SIPHB_MS_MAX32 ((siphb_ms)UINT32_MAX)

/* t + d, saturated just below SIPHB_NEVER (which means "no deadline"). */
static inline siphb_ms siphb_ms_after(siphb_ms t, siphb_ms d) {
  return d >= SIPHB_NEVER - t ? SIPHB_NEVER - 1 : t + d;
}

#endif /* SIPHB_LIB_BASE_MS_H */
