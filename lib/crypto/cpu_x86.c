/*
 * cpu_x86.c - which of the instruction sets accel.h uses this CPU has
 * (CPUID leaf 1 ECX: SSSE3 bit 9, SSE4.1 bit 19, PCLMULQDQ bit 1; leaf 7
 * sub-leaf 0 EBX: SHA bit 29), read once and cached.
 *
 * The cache is the library's one piece of process-wide data: a fact about
 * the CPU, the same for every context and every thread, so no context can
 * observe another through it. It is a word read and written with relaxed
 * atomics; threads that race on the first call all compute and store the
 * same value. CPUID is not called per hash because under a hypervisor it
 * traps (microseconds).
 */
#include <cpuid.h>

#include "crypto/accel.h"

unsigned siphb_cpu_cache;

static unsigned detect(void) {
  unsigned a, b, c, d, found = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1, pclmul = (c >> 1) & 1;
  if (pclmul && sse41) found |= SIPHB_CPU_PCLMUL;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && ((b >> 29) & 1) && ssse3 && sse41)
    found |= SIPHB_CPU_SHA;
  return found;
}

unsigned siphb_cpu_detect(void) {
  unsigned found = detect();
  __atomic_store_n(&siphb_cpu_cache, found | SIPHB_CPU_DETECTED, __ATOMIC_RELAXED);
  return found;
}
