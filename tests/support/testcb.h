/*
 * testcb.h - the callbacks struct filled in one call, for the tests' and
 * the fuzz harnesses' ctxs (header-only: the harnesses link no test
 * support).
 */
#ifndef SIPHB_TEST_TESTCB_H
#define SIPHB_TEST_TESTCB_H

#include <siphb/siphb.h>

typedef int (*test_send_fn)(siphb_ctx *, const siphb_send_info *, const uint8_t *, size_t, void *);
typedef int (*test_event_fn)(siphb_ctx *, const siphb_event *, void *);

/* cb initialised with send, event and random (NULL: the OS's). */
static inline void test_callbacks(siphb_callbacks *cb, test_send_fn send, test_event_fn event,
                                  siphb_random_fn random) {
  siphb_callbacks_init(cb, sizeof *cb);
  cb->send = send;
  cb->event = event;
  cb->random = random;
}

#endif /* SIPHB_TEST_TESTCB_H */
