/*
 * bs_common.c - the corpus and its expected values, the random generator,
 * value checks and timing helpers for bench_sip.
 */
#include "bs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The expected values, read by hand from the files in bench/corpus/sip/
 * (byte-identical copies of the shared benchmark corpus, CRLF line endings).
 * Notes on the less obvious ones:
 *   02  Expires: 3600 and Contact ;expires=3600: the header wins (same value).
 *   06  compact form (v f t i k m l); no Expires header, so m: ;expires=600.
 *   07  folded Via, From, CSeq ("4711" CRLF "  OPTIONS"), Allow, Supported.
 *   08  three Via lines: the top one's branch counts; Contact ;expires=300.
 */
static const bs_expect g_expect[BS_CORPUS_MAX] = {
    {"01_options_200.sip", 536, "z9hG4bK-524287-1---7f3a9c2e1b4d6a80", 1826, "OPTIONS",
     "843817637684230@192.0.2.10", 200, "4f2c1e8b-0d9a", 0},
    {"02_register_200.sip", 549, "z9hG4bKnashds7", 1827, "REGISTER",
     "843817637684230@998sdasdh09", 200, "2493k59kd", 3600},
    {"03_401.sip", 476, "z9hG4bK776asdhds", 314159, "REGISTER",
     "a84b4c76e66710@pc33.atlanta.example.com", 401, "a6c85cf", 0},
    {"04_503.sip", 375, "z9hG4bK-d8754z-1f3c9e0b2a", 77, "OPTIONS",
     "5f1c2d8e9a0b4c6d@192.0.2.10", 503, "svc-0042", 0},
    {"05_422.sip", 317, "z9hG4bK74bf9", 31862, "OPTIONS", "3848276298220188511@192.0.2.10", 422,
     "8321234356", 0},
    {"06_compact.sip", 291, "z9hG4bK3f1a2b", 42, "OPTIONS", "98asjd8@192.0.2.10", 200, "88bb",
     600},
    {"07_folded.sip", 362, "z9hG4bKfold1", 4711, "OPTIONS", "fold-4711@192.0.2.10", 200, "srv77",
     0},
    {"08_large.sip", 1283, "z9hG4bK-large-0001-a1b2c3d4e5f6", 918273, "OPTIONS",
     "7a9c1e3f5b7d9f1a3c5e7f9b1d3f5a7c@monitor.ops.example.net", 200, "sbc-99ee88dd77", 300},
};

void bs_fail(const char *lib, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  bench_vfail("bench_sip", lib, fmt, ap);
}

/* ---- corpus -------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) bs_fail("corpus", "%s: %s (use --corpus DIR)", path, strerror(errno));
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) bs_fail("corpus", "out of memory");
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) bs_fail("corpus", "%s: read error", path);
  fclose(f);
  *len = n;
  return buf;
}

void bs_corpus_load(bs_corpus *c, const char *dir) {
  memset(c, 0, sizeof *c);
  for (size_t i = 0; i < BS_CORPUS_MAX; i++) {
    const bs_expect *e = &g_expect[i];
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->file) >= sizeof path)
      bs_fail("corpus", "path too long");
    bs_msg *m = &c->msg[c->count++];
    m->expect = e;
    m->data = read_file(path, &m->len);
    if (m->len != e->size)
      bs_fail("corpus", "%s: %zu bytes, expected %zu: not the benchmark corpus", path, m->len,
              e->size);
    /* Every line must end in CRLF: a checkout that turned them into LF
     * would be a different (and invalid) corpus. */
    for (size_t k = 0; k < m->len; k++)
      if (m->data[k] == '\n' && (k == 0 || m->data[k - 1] != '\r'))
        bs_fail("corpus", "%s: bare LF at byte %zu (line endings must be CRLF)", path, k);
    c->bytes += m->len;
  }
}

void bs_corpus_free(bs_corpus *c) {
  for (size_t i = 0; i < c->count; i++) free(c->msg[i].data);
  memset(c, 0, sizeof *c);
}

/* ---- random generator ---------------------------------------------------- */

void bs_rng_seed(bs_rng *r, uint64_t seed) {
  uint8_t bytes[32];
  for (int i = 0; i < 4; i++) {
    uint64_t v = bench_splitmix64(&seed);
    for (int b = 0; b < 8; b++) bytes[i * 8 + b] = (uint8_t)(v >> (56 - 8 * b));
  }
  siphb_prng_seed(&r->prng, bytes);
}

uint64_t bs_rng_next(bs_rng *r) { return siphb_prng_next(&r->prng); }

int bs_rng_fill(uint8_t *dest, size_t len, void *user_data) {
  bs_rng *r = user_data;
  while (len >= 8) {
    uint64_t v = bs_rng_next(r);
    memcpy(dest, &v, 8);
    dest += 8;
    len -= 8;
  }
  if (len) {
    uint64_t v = bs_rng_next(r);
    memcpy(dest, &v, len);
  }
  return 0;
}

void bs_hex(char *out, uint64_t v, int digits) {
  static const char hex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; i--) {
    out[i] = hex[v & 15];
    v >>= 4;
  }
}

void bs_new_ids(bs_rng *rng, bs_id_text *t) {
  memcpy(t->branch, "branch=z9hG4bK", 14);
  bs_hex(t->branch + 14, bs_rng_next(rng), 16);
  t->branch[30] = '\0';
  bs_hex(t->tag, bs_rng_next(rng), 16);
  t->tag[16] = '\0';
  bs_hex(t->call_id, bs_rng_next(rng), 16);
  bs_hex(t->call_id + 16, bs_rng_next(rng), 16);
  t->call_id[32] = '\0';
}

void bs_ids_of(const bs_id_text *t, bs_ids *ids) {
  ids->branch = (bs_str){t->branch + 7, 23};
  ids->from_tag = (bs_str){t->tag, 16};
  ids->call_id = (bs_str){t->call_id, 32};
}

/* ---- checks -------------------------------------------------------------- */

static size_t str_len(bs_str s) { return s.n == BS_CSTR ? (s.p ? strlen(s.p) : 0) : s.n; }

static bool str_is(bs_str s, const char *want) {
  size_t n = str_len(s);
  return n == strlen(want) && (n == 0 || memcmp(s.p, want, n) == 0);
}

/* The Call-ID as read, joined with '@' for a library that splits it. */
static void call_id_text(const bs_values *v, char *out, size_t cap) {
  size_t n = str_len(v->call_id);
  if (v->call_id_host.p)
    snprintf(out, cap, "%.*s@%.*s", (int)n, v->call_id.p ? v->call_id.p : "",
             (int)str_len(v->call_id_host), v->call_id_host.p);
  else
    snprintf(out, cap, "%.*s", (int)n, v->call_id.p ? v->call_id.p : "");
}

static void show(const char *what, bs_str got, const char *want, int *bad) {
  if (str_is(got, want)) return;
  size_t n = str_len(got);
  fprintf(stderr, "  %-12s got \"%.*s\", expected \"%s\"\n", what, (int)n, got.p ? got.p : "",
          want);
  ++*bad;
}

void bs_check_values(const char *lib, const bs_msg *m, const bs_values *v) {
  const bs_expect *e = m->expect;
  int bad = 0;
  show("Via branch", v->branch, e->branch, &bad);
  if (v->cseq != e->cseq) {
    fprintf(stderr, "  %-12s got %u, expected %u\n", "CSeq number", (unsigned)v->cseq,
            (unsigned)e->cseq);
    ++bad;
  }
  show("CSeq method", v->cseq_method, e->cseq_method, &bad);
  char cid[512];
  call_id_text(v, cid, sizeof cid);
  if (strcmp(cid, e->call_id) != 0) {
    fprintf(stderr, "  %-12s got \"%s\", expected \"%s\"\n", "Call-ID", cid, e->call_id);
    ++bad;
  }
  if (v->status != e->status) {
    fprintf(stderr, "  %-12s got %u, expected %u\n", "status", v->status, e->status);
    ++bad;
  }
  show("To tag", v->to_tag, e->to_tag, &bad);
  if (v->expires != e->expires) {
    fprintf(stderr, "  %-12s got %u, expected %u\n", "expires", (unsigned)v->expires,
            (unsigned)e->expires);
    ++bad;
  }
  if (bad) bs_fail(lib, "%s: %d value(s) differ from the expected table (above)", e->file, bad);
}
