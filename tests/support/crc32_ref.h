/*
 * crc32_ref.h - CRC-32 (ISO 3309 / ITU-T V.42, reflected 0xEDB88320) one
 * bit at a time, straight from the definition: the reference the tests and
 * the fuzz harnesses hold lib/crypto/'s table and CLMUL paths to. Same
 * calling convention as siphb_crc32 (start with 0, pass the previous
 * result to continue).
 */
#ifndef SIPHB_TEST_CRC32_REF_H
#define SIPHB_TEST_CRC32_REF_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32_ref(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

#endif /* SIPHB_TEST_CRC32_REF_H */
