/*
 * bench_sip - SIP parsing and OPTIONS encoding in siphb, GNU oSIP2,
 * Sofia-SIP and libre, in the same run, on the same corpus.
 *
 *   bench_sip [--corpus DIR] [--reps R] [--time-ms MS] [--only LIST]
 *             [--op parse|encode] [--seed S] [--verbose]
 *
 * Parse: every library parses each of the 8 responses of bench/corpus/sip/
 * with its normal parse API and reads the top Via branch, CSeq number and
 * method, Call-ID, status code, To tag and the expiry (Expires, else the
 * first Contact's expires parameter, else 0). Before any timing, every
 * value each library reads is compared with the expected table in
 * bench/sip/bs_common.c; one difference fails the run. Allocation and
 * freeing done per parse (osip2, sofia-sip, libre) are inside the timing.
 * Reported: mean ns per message over the corpus and MB/s (corpus bytes per
 * second, 10^6 B), median of R repetitions (default 5) of enough passes over
 * the corpus for MS milliseconds each (default 100).
 *
 * Encode: every library builds the same OPTIONS request with a fresh branch,
 * From tag and Call-ID from one generator (xoshiro256**, same seed); each
 * library's requests are parsed back with siphb's parser and compared field
 * by field first. Reported: ns per request and MB/s of request bytes.
 *
 * --only takes a comma-separated list of siphb, osip, sofia, re; --op runs
 * one operation only (e.g. under a profiler). --verbose
 * adds a row per message and library, and every repetition on stderr.
 * See docs/BENCHMARKS.md, section "SIP parsing and encoding".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/bs.h"

#ifndef BS_CORPUS_DIR
#define BS_CORPUS_DIR "bench/corpus/sip"
#endif

enum { OP_PARSE = 0, OP_ENCODE = 1 };
static const char *const op_name[] = {"parse", "encode"};

typedef struct row {
  const char *library;
  int op;
  double ns;   /* median ns per message or request */
  double mbs;  /* MB/s (10^6 B/s) at that median */
  double lo, hi; /* fastest and slowest repetition, ns */
} row;

#define MAX_ROWS 16
static row g_rows[MAX_ROWS];
static int g_nrows;
static volatile uint64_t g_sink; /* keeps the values read from being optimised away */

typedef struct config {
  int reps;
  double time_ms;
  uint64_t seed;
  bool verbose;
} config;

/* ---- parse ----------------------------------------------------------------- */

/* Parses msgs[0..count) `passes` times, reading the values each time;
 * returns the elapsed ns. */
static double parse_passes(const bs_lib *lib, void *ctx, const bs_msg *msgs, size_t count,
                           uint64_t passes) {
  bs_values v;
  uint64_t sink = 0;
  uint64_t t0 = bench_now_ns();
  for (uint64_t it = 0; it < passes; it++) {
    for (size_t i = 0; i < count; i++) {
      if (lib->parse(ctx, msgs[i].data, msgs[i].len, &v) != 0)
        bs_fail(lib->name, "%s: parse failed", msgs[i].expect->file);
      sink += (uintptr_t)v.branch.p + v.cseq + (uintptr_t)v.cseq_method.p +
              (uintptr_t)v.call_id.p + v.status + (uintptr_t)v.to_tag.p + v.expires;
      if (lib->release) lib->release(ctx);
    }
  }
  uint64_t t1 = bench_now_ns();
  g_sink += sink;
  return (double)(t1 - t0);
}

/* Passes enough for about cfg->time_ms, from a short calibration. */
static uint64_t calibrate(double ns_per_pass, const config *cfg) {
  double want = cfg->time_ms * 1e6 / (ns_per_pass > 1 ? ns_per_pass : 1);
  return want < 1 ? 1 : (uint64_t)want;
}

static double pass_cost_parse(const bs_lib *lib, void *ctx, const bs_msg *msgs, size_t count) {
  uint64_t passes = 1;
  for (;;) {
    double t = parse_passes(lib, ctx, msgs, count, passes);
    if (t >= 10e6 || passes >= (1u << 30)) return t / (double)passes;
    passes *= 4;
  }
}

/* Median over reps of ns per message; *lo and *hi the extreme repetitions. */
static double measure_parse(const bs_lib *lib, void *ctx, const bs_msg *msgs, size_t count,
                            const config *cfg, const char *what, double *lo, double *hi) {
  uint64_t passes = calibrate(pass_cost_parse(lib, ctx, msgs, count), cfg);
  double s[BS_REPS_MAX];
  for (int r = 0; r < cfg->reps; r++) {
    s[r] = parse_passes(lib, ctx, msgs, count, passes) / (double)(passes * count);
    if (cfg->verbose)
      fprintf(stderr, "  [%s parse %s rep %d] %.1f ns/msg (%" PRIu64 " passes)\n", lib->name,
              what, r + 1, s[r], passes);
  }
  double m = bench_median(s, cfg->reps); /* sorts s */
  *lo = s[0];
  *hi = s[cfg->reps - 1];
  return m;
}

static void verify_parse(const bs_lib *lib, void *ctx, const bs_corpus *c) {
  for (size_t i = 0; i < c->count; i++) {
    bs_values v;
    memset(&v, 0, sizeof v);
    if (lib->parse(ctx, c->msg[i].data, c->msg[i].len, &v) != 0)
      bs_fail(lib->name, "%s: the library refused the message", c->msg[i].expect->file);
    bs_check_values(lib->name, &c->msg[i], &v);
    if (lib->release) lib->release(ctx);
  }
}

/* ---- encode ---------------------------------------------------------------- */

static double encode_n(const bs_lib *lib, void *ctx, bs_rng *rng, uint64_t n, size_t *bytes) {
  const uint8_t *out;
  size_t len, total = 0;
  bs_ids ids;
  uint64_t t0 = bench_now_ns();
  for (uint64_t i = 0; i < n; i++) {
    if (lib->encode(ctx, rng, &out, &len, &ids) != 0) bs_fail(lib->name, "encode failed");
    total += len + out[len - 1];
    if (lib->encode_release) lib->encode_release(ctx);
  }
  uint64_t t1 = bench_now_ns();
  g_sink += total;
  if (bytes) *bytes = total;
  return (double)(t1 - t0);
}

typedef struct id_copy {
  char b[128], t[128], c[128];
  size_t bn, tn, cn;
} id_copy;

static void copy_ids(id_copy *d, const bs_ids *ids) {
  d->bn = ids->branch.n < sizeof d->b ? ids->branch.n : sizeof d->b;
  d->tn = ids->from_tag.n < sizeof d->t ? ids->from_tag.n : sizeof d->t;
  d->cn = ids->call_id.n < sizeof d->c ? ids->call_id.n : sizeof d->c;
  memcpy(d->b, ids->branch.p, d->bn);
  memcpy(d->t, ids->from_tag.p, d->tn);
  memcpy(d->c, ids->call_id.p, d->cn);
}

static bool same(const char *a, size_t an, const char *b, size_t bn) {
  return an == bn && memcmp(a, b, an) == 0;
}

/* Every request of the first 1,000 parses back to the expected fields with
 * fresh identifiers (none equal to the previous request's). Returns the
 * mean request size. */
static double verify_encode(const bs_lib *lib, void *ctx, uint64_t seed, const char **sample,
                            char *sample_buf, size_t sample_cap) {
  bs_rng rng;
  bs_rng_seed(&rng, seed);
  id_copy prev;
  memset(&prev, 0, sizeof prev);
  size_t total = 0;
  const int n = 1000;
  for (int i = 0; i < n; i++) {
    const uint8_t *out;
    size_t len;
    bs_ids ids;
    if (lib->encode(ctx, &rng, &out, &len, &ids) != 0) bs_fail(lib->name, "encode failed");
    bs_check_request(lib->name, out, len, &ids);
    if (i > 0 && (same(prev.b, prev.bn, ids.branch.p, ids.branch.n) ||
                  same(prev.t, prev.tn, ids.from_tag.p, ids.from_tag.n) ||
                  same(prev.c, prev.cn, ids.call_id.p, ids.call_id.n)))
      bs_fail(lib->name, "request %d repeats an identifier of the one before", i);
    copy_ids(&prev, &ids);
    if (i == 0 && sample_cap) {
      size_t k = len < sample_cap - 1 ? len : sample_cap - 1;
      memcpy(sample_buf, out, k);
      sample_buf[k] = '\0';
      *sample = sample_buf;
    }
    total += len;
    if (lib->encode_release) lib->encode_release(ctx);
  }
  return (double)total / n;
}

static double measure_encode(const bs_lib *lib, void *ctx, const config *cfg, double *mbs,
                             double *lo, double *hi) {
  bs_rng rng;
  bs_rng_seed(&rng, cfg->seed);
  uint64_t n = 1000;
  double t;
  for (;;) {
    t = encode_n(lib, ctx, &rng, n, NULL);
    if (t >= 10e6 || n >= (1u << 30)) break;
    n *= 4;
  }
  n = calibrate(t / (double)n, cfg);
  double s[BS_REPS_MAX], rate[BS_REPS_MAX];
  for (int r = 0; r < cfg->reps; r++) {
    size_t bytes = 0;
    double el = encode_n(lib, ctx, &rng, n, &bytes);
    s[r] = el / (double)n;
    rate[r] = (double)bytes / el * 1e3; /* bytes per ns = GB/s; x1000: MB/s */
    if (cfg->verbose)
      fprintf(stderr, "  [%s encode rep %d] %.1f ns/request (%" PRIu64 " requests)\n",
              lib->name, r + 1, s[r], n);
  }
  *mbs = bench_median(rate, cfg->reps);
  double m = bench_median(s, cfg->reps);
  *lo = s[0];
  *hi = s[cfg->reps - 1];
  return m;
}

/* ---- output ---------------------------------------------------------------- */

static void add_row(const char *library, int op, double ns, double mbs, double lo, double hi) {
  if (g_nrows >= MAX_ROWS) return;
  row *r = &g_rows[g_nrows++];
  r->library = library;
  r->op = op;
  r->ns = ns;
  r->mbs = mbs;
  r->lo = lo;
  r->hi = hi;
  printf("%-10s %-7s %10.1f %10.1f    reps %.1f-%.1f ns\n", library, op_name[op], ns, mbs, lo,
         hi);
  fflush(stdout);
}

static const row *find_row(const char *library, int op) {
  for (int i = 0; i < g_nrows; i++)
    if (strcmp(g_rows[i].library, library) == 0 && g_rows[i].op == op) return &g_rows[i];
  return NULL;
}

static void check_max(const char *what, const row *r, double v, double limit, const char *unit) {
  if (!r) {
    printf("  %-40s not measured\n", what);
    return;
  }
  printf("  %-40s %9.1f %-5s (target <= %g) %s\n", what, v, unit, limit,
         v <= limit ? "met" : "MISSED");
}

static void check_min(const char *what, bool have, double v, double limit, const char *unit) {
  if (!have) {
    printf("  %-40s not measured\n", what);
    return;
  }
  printf("  %-40s %9.1f %-5s (target >= %g) %s\n", what, v, unit, limit,
         v >= limit ? "met" : "MISSED");
}

/* The parse row of one library (and with --verbose, one row per message). */
static void run_parse(const bs_lib *lib, void *ctx, const bs_corpus *c, const config *cfg) {
  double lo, hi;
  double ns = measure_parse(lib, ctx, c->msg, c->count, cfg, "corpus", &lo, &hi);
  add_row(lib->name, OP_PARSE, ns, (double)c->bytes / (double)c->count / ns * 1e3, lo, hi);
  if (!cfg->verbose) return;
  for (size_t i = 0; i < c->count; i++) {
    const bs_msg *m = &c->msg[i];
    double mns = measure_parse(lib, ctx, m, 1, cfg, m->expect->file, &lo, &hi);
    printf("  %-10s %-20s %5zu B %10.1f ns %10.1f MB/s\n", lib->name, m->expect->file, m->len,
           mns, (double)m->len / mns * 1e3);
  }
  fflush(stdout);
}

/* The encode row of one library, after checking its requests. */
static void run_encode(const bs_lib *lib, void *ctx, const config *cfg) {
  if (!lib->encode) {
    printf("%-10s %-7s  not available in this build\n", lib->name, op_name[OP_ENCODE]);
    return;
  }
  const char *sample = NULL;
  char sample_buf[1024];
  double size = verify_encode(lib, ctx, cfg->seed, &sample, sample_buf, sizeof sample_buf);
  double mbs, lo, hi;
  double ns = measure_encode(lib, ctx, cfg, &mbs, &lo, &hi);
  add_row(lib->name, OP_ENCODE, ns, mbs, lo, hi);
  printf("    request %.0f B, checked with siphb's parser (1000 requests)\n", size);
  if (cfg->verbose && sample) printf("%s", sample);
}

static void usage(void) {
  fprintf(stderr, "usage: bench_sip [--corpus DIR] [--reps R] [--time-ms MS] "
                  "[--only siphb,osip,sofia,re] [--op parse|encode] [--seed S] [--verbose]\n");
  exit(2);
}

static unsigned parse_only(const char *list, const char *const *keys, int nkeys) {
  unsigned mask = bench_parse_list(list, keys, nkeys);
  if (!mask) usage();
  return mask;
}

int main(int argc, char **argv) {
  const char *corpus_dir = BS_CORPUS_DIR;
  config cfg = {5, 100.0, 0x51b0b0a7c0dec5edu, false};
  const bs_lib *libs[4] = {bs_lib_siphb(), bs_lib_osip(), bs_lib_sofia(), bs_lib_re()};
  static const char *const keys[4] = {"siphb", "osip", "sofia", "re"};
  static const char *const names[4] = {"siphb", "osip2", "sofia-sip", "libre"};
  static const char *const modules[4] = {"siphb", "libosip2", "sofia-sip-ua", "libre"};
  unsigned only = 15;
  unsigned ops = 3; /* bit OP_PARSE, bit OP_ENCODE */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
    if (strcmp(a, "--corpus") == 0 && v) {
      corpus_dir = v;
      i++;
    } else if (strcmp(a, "--reps") == 0 && v) {
      cfg.reps = atoi(v);
      i++;
    } else if (strcmp(a, "--time-ms") == 0 && v) {
      cfg.time_ms = atof(v);
      i++;
    } else if (strcmp(a, "--only") == 0 && v) {
      only = parse_only(v, keys, 4);
      i++;
    } else if (strcmp(a, "--op") == 0 && v) {
      ops = parse_only(v, op_name, 2);
      i++;
    } else if (strcmp(a, "--seed") == 0 && v) {
      cfg.seed = strtoull(v, NULL, 0);
      i++;
    } else if (strcmp(a, "--verbose") == 0) {
      cfg.verbose = true;
    } else {
      usage();
    }
  }
  if (cfg.reps < 1 || cfg.reps > BS_REPS_MAX || !(cfg.time_ms > 0)) usage();

  bs_corpus corpus;
  bs_corpus_load(&corpus, corpus_dir);
  printf("bench_sip: corpus %s: %zu responses, %zu bytes (mean %.1f B); reps %d (median "
         "reported), ~%g ms each; seed 0x%" PRIx64 "\n",
         corpus_dir, corpus.count, corpus.bytes, (double)corpus.bytes / (double)corpus.count,
         cfg.reps, cfg.time_ms, cfg.seed);
  for (int k = 0; k < 4; k++) {
    if (!libs[k])
      printf("%-10s not built in (pkg-config found no %s): skipped\n", names[k], modules[k]);
    else if (!(only & (1u << k)))
      printf("%-10s %s: not selected (--only)\n", names[k], libs[k]->version);
    else
      printf("%-10s %s: %s\n", names[k], libs[k]->version, libs[k]->note);
  }
  printf("\n%-10s %-7s %10s %10s\n", "library", "op", "ns/msg", "MB/s");
  fflush(stdout);

  for (int k = 0; k < 4; k++) {
    const bs_lib *lib = libs[k];
    if (!lib || !(only & (1u << k))) continue;
    void *ctx = lib->setup();
    verify_parse(lib, ctx, &corpus); /* always: no row without checked values */
    if (ops & (1u << OP_PARSE)) run_parse(lib, ctx, &corpus, &cfg);
    if (ops & (1u << OP_ENCODE)) run_encode(lib, ctx, &cfg);
    lib->teardown(ctx);
  }

  const row *sp = find_row("siphb", OP_PARSE), *se = find_row("siphb", OP_ENCODE);
  printf("\nratios (peer ns / siphb ns; > 1 means siphb is faster):\n");
  for (int k = 1; k < 4; k++) {
    const row *pp = find_row(names[k], OP_PARSE), *pe = find_row(names[k], OP_ENCODE);
    if (!pp && !pe) continue;
    printf("  %-10s", names[k]);
    if (pp && sp)
      printf("  parse %6.1fx", pp->ns / sp->ns);
    else
      printf("  parse      -");
    if (pe && se)
      printf("  encode %6.1fx", pe->ns / se->ns);
    else
      printf("  encode      -");
    printf("\n");
  }

  const row *sofia = find_row("sofia-sip", OP_PARSE);
  printf("\ntargets, siphb:\n");
  check_max("parse, mean per response", sp, sp ? sp->ns : 0, 360, "ns");
  check_min("parse, throughput", sp != NULL, sp ? sp->mbs : 0, 1400, "MB/s");
  check_min("parse, vs sofia-sip", sp && sofia, sp && sofia ? sofia->ns / sp->ns : 0, 5, "x");
  check_max("encode OPTIONS (random ids included)", se, se ? se->ns : 0, 100, "ns");

  bs_corpus_free(&corpus);
  return 0;
}
