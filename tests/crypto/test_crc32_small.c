/*
 * test_crc32_small.c - lib/crypto/crc32.c as the freestanding build
 * compiles it (SIPHB_CRC32_SMALL: slicing-by-4, no x86-64 path), built
 * here for the host: the Cortex-M4 cross build only links that code, and
 * the hosted library takes the slicing-by-8 and CLMUL paths. Every length
 * up to 300 at every alignment within 8 against the bit-at-a-time
 * definition, the check value, and continuation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crc32_ref.h"
#include "crypto/crypto.h"

static void test_crc32_slicing_by_4(void **state) {
  static uint8_t buf[300 + 8];
  size_t i, off;
  (void)state;
  assert_int_equal(siphb_crc32(0, "123456789", 9), 0xCBF43926u);
  assert_int_equal(siphb_crc32(siphb_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
  for (i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 167 + 13);
  for (off = 0; off < 8; off++)
    for (i = 0; i <= 300; i++)
      assert_int_equal(siphb_crc32((uint32_t)i, buf + off, i), crc32_ref((uint32_t)i, buf + off, i));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_crc32_slicing_by_4)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
