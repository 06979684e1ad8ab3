/*
 * random_os.c - the operating system's random generator, used when the
 * integrator passes no random callback (hosted builds only).
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#  define _GNU_SOURCE /* getrandom() in glibc >= 2.25 and musl */
#endif
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
#  include <stdlib.h> /* arc4random_buf */
#  define SIPHB_HAVE_ARC4RANDOM 1
#elif defined(__linux__)
#  include <errno.h>
#  include <sys/random.h>
#  define SIPHB_HAVE_GETRANDOM 1
#else
#  include <stdio.h>
#endif

#include "hosted/hosted.h"

bool siphb_hosted_random_available(void) { return true; }

int siphb_random_os(uint8_t *buf, size_t len, void *user_data) {
  (void)user_data;
#if defined(SIPHB_HAVE_ARC4RANDOM)
  arc4random_buf(buf, len);
  return 0;
#elif defined(SIPHB_HAVE_GETRANDOM)
  while (len > 0) {
    ssize_t n = getrandom(buf, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SIPHB_ERR_CALLBACK_FAILURE;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
#else
  FILE *f = fopen("/dev/urandom", "rb");
  if (!f) return SIPHB_ERR_CALLBACK_FAILURE;
  size_t got = fread(buf, 1, len, f);
  fclose(f);
  return got == len ? 0 : SIPHB_ERR_CALLBACK_FAILURE;
#endif
}
