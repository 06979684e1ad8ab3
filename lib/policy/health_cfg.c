/*
 * health_cfg.c - validated health configs shared between the monitors of
 * a ctx: a PBX runs thousands of monitors on a handful of presets, and a
 * config is about a quarter of a monitor's size. The module slot keeps a
 * list of distinct configs (few, so a list), each counted.
 */
#include "policy/health_int.h"

#include <stddef.h>
#include <string.h>

#include "base/mem.h"

typedef struct cfg_module {
  health_cfg *configs;
} cfg_module;

static void module_destroy(siphb_ctx *ctx, void *state) {
  cfg_module *m = state;
  siphb_alloc *a = siphb_ctx_alloc(ctx);
  /* Every monitor is gone by now, so the list is normally empty. */
  for (health_cfg *c = m->configs, *next; c; c = next) {
    next = c->next;
    siphb_alloc_free(a, c, sizeof *c);
  }
  siphb_alloc_free(a, m, sizeof *m);
}

/* Equal apart from the list fields: the bytes from `layers` to the last
 * field hold no padding (health_int.h). */
static bool same(const health_cfg *a, const health_cfg *b) {
  size_t from = offsetof(health_cfg, layers);
  size_t to = offsetof(health_cfg, alarm_on_degraded) + sizeof a->alarm_on_degraded;
  return memcmp((const char *)a + from, (const char *)b + from, to - from) == 0;
}

int health_cfg_acquire(siphb_ctx *ctx, const health_cfg *c, const health_cfg **out) {
  siphb_module_slot *slot = siphb_ctx_module(ctx, SIPHB_OBJECT_HEALTH);
  siphb_alloc *a = siphb_ctx_alloc(ctx);
  cfg_module *m = slot->state;
  if (m) {
    for (health_cfg *it = m->configs; it; it = it->next) {
      if (same(it, c)) {
        it->refs++;
        *out = it;
        return 0;
      }
    }
  }
  health_cfg *copy = siphb_alloc_zeroed(a, sizeof *copy);
  if (!copy) return SIPHB_ERR_NOMEM;
  if (!m) {
    m = siphb_alloc_zeroed(a, sizeof *m);
    if (!m) {
      siphb_alloc_free(a, copy, sizeof *copy);
      return SIPHB_ERR_NOMEM;
    }
    slot->state = m;
    slot->destroy = module_destroy;
  }
  *copy = *c;
  copy->refs = 1;
  copy->next = m->configs;
  m->configs = copy;
  *out = copy;
  return 0;
}

void health_cfg_release(siphb_ctx *ctx, const health_cfg *c) {
  cfg_module *m = siphb_ctx_module(ctx, SIPHB_OBJECT_HEALTH)->state;
  if (!m || !c) return;
  for (health_cfg **link = &m->configs; *link; link = &(*link)->next) {
    if (*link != c) continue;
    health_cfg *it = *link;
    if (--it->refs == 0) {
      *link = it->next;
      siphb_alloc_free(siphb_ctx_alloc(ctx), it, sizeof *it);
    }
    return;
  }
}
