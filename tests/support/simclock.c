#include "simclock.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static int sim_send_cb(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                       size_t len, void *user_data) {
  (void)ctx;
  sim *s = user_data;
  if (s->nsends >= SIM_MAX_SENDS) return 0;
  sim_send *r = &s->sends[s->nsends++];
  r->at = s->now;
  r->info = *info;
  r->len = len;
  memcpy(r->data, data, len < SIM_MAX_SEND_BYTES ? len : SIM_MAX_SEND_BYTES);
  return s->send_hook ? s->send_hook(s, r) : 0;
}

static int sim_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  sim *s = user_data;
  if (s->nrecords < SIM_MAX_RECORDS) {
    s->records[s->nrecords].at = s->now;
    s->records[s->nrecords].event = *ev;
    s->nrecords++;
  }
  return s->hook ? s->hook(s, ev) : 0;
}

/* Deterministic "random" bytes so scenario runs repeat exactly. */
static int sim_random(uint8_t *dest, size_t len, void *user_data) {
  sim *s = user_data;
  for (size_t i = 0; i < len; i++) dest[i] = (uint8_t)(i * 37u + s->random_calls * 11u + 1u);
  s->random_calls++;
  return 0;
}

int sim_init(sim *s, siphb_ms start, const siphb_mem *mem, size_t budget) {
  memset(s, 0, sizeof(*s));
  s->now = start;
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = sim_send_cb;
  cb.event = sim_event;
  cb.random = sim_random;
  siphb_ctx_config cfg;
  siphb_ctx_config_init(&cfg, sizeof cfg);
  cfg.mem_budget = budget;
  return siphb_ctx_new(&s->ctx, &cfg, &cb, mem, s, start);
}

void sim_free(sim *s) {
  siphb_ctx_del(s->ctx);
  s->ctx = NULL;
}

int sim_run_until(sim *s, siphb_ms until) {
  for (;;) {
    siphb_ms next = siphb_ctx_next_deadline(s->ctx);
    if (next == SIPHB_NEVER || next > until) break;
    if (next > s->now) s->now = next;
    s->advances++;
    int rv = siphb_ctx_advance(s->ctx, s->now);
    if (rv != 0) return rv;
  }
  if (until > s->now) s->now = until;
  return siphb_ctx_advance(s->ctx, s->now);
}

size_t sim_count(const sim *s, siphb_event_type type) {
  size_t n = 0;
  for (size_t i = 0; i < s->nrecords; i++)
    if (s->records[i].event.type == type) n++;
  return n;
}

sim *sim_new(const siphb_mem *mem, int *rv) {
  sim *s = test_malloc(sizeof *s);
  *rv = sim_init(s, 0, mem, 0);
  if (*rv != 0) {
    assert_null(s->ctx); /* *out not written on failure */
    test_free(s);
    return NULL;
  }
  return s;
}

void sim_delete(sim *s) {
  if (!s) return;
  sim_free(s);
  test_free(s);
}

int sim_sweep_objects(failmem *fm, void *arg) {
  const sim_sweep *sw = arg;
  int rv;
  sim *s = sim_new(&fm->mem, &rv);
  if (!s) return rv;
  void *first = NULL;
  size_t n = 0;
  for (; n < sw->count; n++) {
    size_t used = siphb_ctx_mem_used(s->ctx);
    siphb_ms next = siphb_ctx_next_deadline(s->ctx);
    void *obj = (void *)(uintptr_t)1;
    rv = sw->make(s, n, &obj);
    if (rv != 0) {
      assert_ptr_equal(obj, (void *)(uintptr_t)1);
      assert_true(siphb_ctx_mem_used(s->ctx) >= used);
      assert_int_equal(siphb_ctx_next_deadline(s->ctx), next);
      break;
    }
    if (n == 0) first = obj;
  }
  assert_int_equal(sim_run_until(s, sw->until), 0);
  assert_int_equal(s->nsends, n * sw->sends_each);
  if (first) sw->del(first);
  sim_delete(s);
  return rv;
}
