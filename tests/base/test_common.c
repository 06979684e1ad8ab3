/*
 * test_common.c - version, error codes and their texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

static void test_version_matches_header(void **state) {
  (void)state;
  assert_string_equal(siphb_version(), SIPHB_VERSION);
  assert_int_equal(siphb_version_number(), SIPHB_VERSION_NUM);
  assert_int_equal(SIPHB_VERSION_NUM,
                   (SIPHB_VERSION_MAJOR << 16) | (SIPHB_VERSION_MINOR << 8) | SIPHB_VERSION_PATCH);
}

static void test_every_code_has_a_name_and_text(void **state) {
  (void)state;
  static const struct {
    int code;
    const char *name;
  } codes[] = {
      {SIPHB_OK, "SIPHB_OK"},
      {SIPHB_ERR_INVALID_ARGUMENT, "SIPHB_ERR_INVALID_ARGUMENT"},
      {SIPHB_ERR_NOBUF, "SIPHB_ERR_NOBUF"},
      {SIPHB_ERR_PARSE, "SIPHB_ERR_PARSE"},
      {SIPHB_ERR_INCOMPLETE, "SIPHB_ERR_INCOMPLETE"},
      {SIPHB_ERR_INVALID_STATE, "SIPHB_ERR_INVALID_STATE"},
      {SIPHB_ERR_NOT_FOUND, "SIPHB_ERR_NOT_FOUND"},
      {SIPHB_ERR_LIMIT, "SIPHB_ERR_LIMIT"},
      {SIPHB_ERR_UNSUPPORTED, "SIPHB_ERR_UNSUPPORTED"},
      {SIPHB_ERR_SEND, "SIPHB_ERR_SEND"},
      {SIPHB_ERR_EXISTS, "SIPHB_ERR_EXISTS"},
      {SIPHB_ERR_OS, "SIPHB_ERR_OS"},
      {SIPHB_ERR_STUN_NOT_STUN, "SIPHB_ERR_STUN_NOT_STUN"},
      {SIPHB_ERR_STUN_LENGTH, "SIPHB_ERR_STUN_LENGTH"},
      {SIPHB_ERR_STUN_ATTRIBUTE, "SIPHB_ERR_STUN_ATTRIBUTE"},
      {SIPHB_ERR_STUN_UNKNOWN_REQUIRED, "SIPHB_ERR_STUN_UNKNOWN_REQUIRED"},
      {SIPHB_ERR_STUN_INTEGRITY, "SIPHB_ERR_STUN_INTEGRITY"},
      {SIPHB_ERR_STUN_FINGERPRINT, "SIPHB_ERR_STUN_FINGERPRINT"},
      {SIPHB_ERR_STUN_PADDING, "SIPHB_ERR_STUN_PADDING"},
      {SIPHB_ERR_STUN_ADDRESS_FAMILY, "SIPHB_ERR_STUN_ADDRESS_FAMILY"},
      {SIPHB_ERR_STUN_DUPLICATE_INTEGRITY, "SIPHB_ERR_STUN_DUPLICATE_INTEGRITY"},
      {SIPHB_ERR_STUN_NO_INTEGRITY, "SIPHB_ERR_STUN_NO_INTEGRITY"},
      {SIPHB_ERR_STUN_NO_FINGERPRINT, "SIPHB_ERR_STUN_NO_FINGERPRINT"},
      {SIPHB_ERR_RTCP_VERSION, "SIPHB_ERR_RTCP_VERSION"},
      {SIPHB_ERR_RTCP_LENGTH, "SIPHB_ERR_RTCP_LENGTH"},
      {SIPHB_ERR_RTCP_REPORT_COUNT, "SIPHB_ERR_RTCP_REPORT_COUNT"},
      {SIPHB_ERR_RTCP_TYPE, "SIPHB_ERR_RTCP_TYPE"},
      {SIPHB_ERR_SNAPSHOT_VERSION, "SIPHB_ERR_SNAPSHOT_VERSION"},
      {SIPHB_ERR_SNAPSHOT_CORRUPT, "SIPHB_ERR_SNAPSHOT_CORRUPT"},
      {SIPHB_ERR_SNAPSHOT_KIND, "SIPHB_ERR_SNAPSHOT_KIND"},
      {SIPHB_ERR_FATAL, "SIPHB_ERR_FATAL"},
      {SIPHB_ERR_NOMEM, "SIPHB_ERR_NOMEM"},
      {SIPHB_ERR_CALLBACK_FAILURE, "SIPHB_ERR_CALLBACK_FAILURE"},
  };
  for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
    assert_string_equal(siphb_errname(codes[i].code), codes[i].name);
    const char *text = siphb_strerror(codes[i].code);
    assert_non_null(text);
    assert_string_not_equal(text, "unknown error");
    for (size_t j = 0; j < i; j++) /* texts tell codes apart */
      assert_string_not_equal(text, siphb_strerror(codes[j].code));
  }
}

static void test_unknown_codes(void **state) {
  (void)state;
  assert_string_equal(siphb_strerror(-12345), "unknown error");
  assert_string_equal(siphb_strerror(7), "unknown error");
  assert_string_equal(siphb_errname(-12345), "SIPHB_ERR_UNKNOWN");
}

static void test_fatal_split(void **state) {
  (void)state;
  assert_false(siphb_err_is_fatal(SIPHB_OK));
  assert_false(siphb_err_is_fatal(SIPHB_ERR_INVALID_ARGUMENT));
  assert_false(siphb_err_is_fatal(SIPHB_ERR_SEND));
  assert_false(siphb_err_is_fatal(-499));
  assert_true(siphb_err_is_fatal(SIPHB_ERR_NOMEM));
  assert_true(siphb_err_is_fatal(SIPHB_ERR_CALLBACK_FAILURE));
}

static void test_event_type_names(void **state) {
  (void)state;
  assert_string_equal(siphb_event_type_name(SIPHB_EVENT_TIMER), "SIPHB_EVENT_TIMER");
  assert_string_equal(siphb_event_type_name(SIPHB_EVENT_NONE), "SIPHB_EVENT_NONE");
  assert_string_equal(siphb_event_type_name((siphb_event_type)9999), "SIPHB_EVENT_UNKNOWN");
}

/* The payload union reserves 192 bytes so later members keep the ABI. */
/* API-PLAN.md section 14.2 item 2: STUN wire data, 20 bytes, align 2. */
static void test_mapped_addr_layout(void **state) {
  (void)state;
  assert_int_equal(sizeof(siphb_mapped_addr), 20);
  assert_int_equal(offsetof(siphb_mapped_addr, port), 2);
  assert_int_equal(offsetof(siphb_mapped_addr, addr), 4);
}

static void test_event_layout_is_stable(void **state) {
  (void)state;
  siphb_event ev;
  assert_int_equal(sizeof(ev.u), 192);
  assert_true(sizeof(siphb_event_timer) <= sizeof(ev.u));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version_matches_header),
      cmocka_unit_test(test_every_code_has_a_name_and_text),
      cmocka_unit_test(test_unknown_codes),
      cmocka_unit_test(test_fatal_split),
      cmocka_unit_test(test_event_type_names),
      cmocka_unit_test(test_event_layout_is_stable),
      cmocka_unit_test(test_mapped_addr_layout),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
