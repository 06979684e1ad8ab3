/*
 * bench_stun - STUN decoding, checking and encoding in siphb, libre and
 * libnice, in the same run, on the same messages.
 *
 *   bench_stun [--reps R] [--time-ms MS] [--only LIST] [--op LIST]
 *              [--export FILE] [--import FILE]
 *
 * Operations (ns per operation, median of R repetitions, default 7, of
 * enough operations for MS milliseconds each, default 200):
 *   fp      (a) decode a 56-byte Binding success response, check its
 *           FINGERPRINT, read XOR-MAPPED-ADDRESS;
 *   mi      (b) decode the 80-byte RFC 5769 section 2.2 response, check
 *           MESSAGE-INTEGRITY (short-term password VOkJxbRl1RmTxUk/WvJxBt)
 *           and FINGERPRINT;
 *   encode  (c) encode a Binding request with FINGERPRINT and a transaction
 *           id supplied by the caller (256 ids from a fixed-seed
 *           splitmix64 stream, used in turn).
 * Before any timing every library must: read 192.0.2.1 port 32853 through
 * (a); refuse (a) and (b) with one FINGERPRINT byte flipped; accept (b)
 * with the password and refuse it with a wrong one;
 * and, for each of the 256 ids, produce exactly the 28 bytes siphb
 * produces (which siphb parses back and whose FINGERPRINT it checks; the
 * peers' acceptance of the messages above is what checks siphb's CRC).
 * One difference fails the run. What each library allocates and frees per
 * operation is inside the timing; keys, agents and buffers a user would
 * keep are set up once (bench/stun/bst_*.c say exactly what).
 *
 * This binary measures one siphb build (its crypto backend in the row
 * name). bench/run_stun.sh runs a second build with the other backend
 * (--only siphb --export FILE) and then this one with --import FILE, so
 * that one table, the ratios and the targets cover both siphb rows.
 * --only takes siphb, re, nice; --op takes fp, mi, encode.
 * See docs/BENCHMARKS.md, section "STUN".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stun/bst.h"

enum { OP_FP, OP_MI, OP_ENCODE, N_OPS };
static const char *const op_key[N_OPS] = {"fp", "mi", "encode"};
static const char *const op_title[N_OPS] = {"(a) decode + FINGERPRINT + XOR-MAPPED-ADDRESS",
                                            "(b) decode + MESSAGE-INTEGRITY + FINGERPRINT",
                                            "(c) encode Binding request + FINGERPRINT"};
/* The targets for siphb, and the reference figures the targets were set from
 * for the peers on this kind of machine (0: none given). */
static const double target_ns[N_OPS] = {50, 250, 40};
static const double ref_nice[N_OPS] = {152, 513, 0};
static const double ref_re[N_OPS] = {171, 1432, 84};

#ifndef BST_SIPHB_ONLY
#define BST_SIPHB_ONLY 0 /* 1 in bench_stun_alt, which has no peers */
#endif

#define N_TXIDS 256
#define MAX_ROWS 32

typedef struct row {
  char library[48];
  int op;
  double ns, lo, hi;
  bool imported;
} row;

static row g_rows[MAX_ROWS];
static int g_nrows;
static volatile uint64_t g_sink; /* keeps what is read from being optimised away */

/* ---- timing ---------------------------------------------------------------- */

typedef struct job {
  const bst_lib *lib;
  void *ctx;
  int op;
  const uint8_t (*txids)[12];
} job;

static double run_job(void *arg, uint64_t n) {
  const job *j = arg;
  const bst_lib *lib = j->lib;
  uint64_t sink = 0;
  bst_addr a;
  const uint8_t *out;
  size_t len;
  uint64_t t0 = bench_now_ns();
  switch (j->op) {
  case OP_FP:
    for (uint64_t i = 0; i < n; i++) {
      if (lib->decode_fp(j->ctx, bst_resp_fp, sizeof bst_resp_fp, &a) != 0)
        bst_fail(lib->name, "(a) failed while timed");
      sink += a.port + a.ip[3];
    }
    break;
  case OP_MI:
    for (uint64_t i = 0; i < n; i++)
      if (lib->decode_mi(j->ctx, bst_resp_mi, sizeof bst_resp_mi, false) != 0)
        bst_fail(lib->name, "(b) failed while timed");
    sink += n;
    break;
  default:
    for (uint64_t i = 0; i < n; i++) {
      if (lib->encode(j->ctx, j->txids[i % N_TXIDS], &out, &len) != 0)
        bst_fail(lib->name, "(c) failed while timed");
      sink += len + out[len - 1];
    }
    break;
  }
  uint64_t t1 = bench_now_ns();
  g_sink += sink;
  return (double)(t1 - t0);
}

/* ---- value checks ---------------------------------------------------------- */

static void check_addr(const char *lib, const char *what, const bst_addr *a) {
  const bst_addr *e = &bst_expected_addr;
  if (a->family != e->family || a->port != e->port || memcmp(a->ip, e->ip, 16) != 0)
    bst_fail(lib, "%s: read family %d port %u address %u.%u.%u.%u, expected 192.0.2.1:32853", what,
             a->family, a->port, a->ip[0], a->ip[1], a->ip[2], a->ip[3]);
}

/* A copy of msg with byte `at` flipped, in a buffer of its own. */
static uint8_t *flipped(const uint8_t *msg, size_t len, size_t at) {
  uint8_t *p = malloc(len);
  if (!p) bst_fail("bench_stun", "out of memory");
  memcpy(p, msg, len);
  p[at] ^= 0x01;
  return p;
}

static void verify(const bst_lib *lib, void *ctx, const uint8_t (*txids)[12]) {
  bst_addr a;
  memset(&a, 0, sizeof a);
  if (lib->decode_fp(ctx, bst_resp_fp, sizeof bst_resp_fp, &a) != 0)
    bst_fail(lib->name, "(a) refused the response");
  check_addr(lib->name, "(a) response", &a);
  if (lib->decode_mi(ctx, bst_resp_mi, sizeof bst_resp_mi, false) != 0)
    bst_fail(lib->name, "(b) refused the RFC 5769 response with its password");
  if (lib->decode_mi(ctx, bst_resp_mi, sizeof bst_resp_mi, true) == 0)
    bst_fail(lib->name, "(b) accepted the RFC 5769 response with a wrong password");
  uint8_t *bad = flipped(bst_resp_fp, sizeof bst_resp_fp, sizeof bst_resp_fp - 1);
  if (lib->decode_fp(ctx, bad, sizeof bst_resp_fp, &a) == 0)
    bst_fail(lib->name, "(a) accepted a wrong FINGERPRINT");
  free(bad);
  bad = flipped(bst_resp_mi, sizeof bst_resp_mi, sizeof bst_resp_mi - 1);
  if (lib->decode_mi(ctx, bad, sizeof bst_resp_mi, false) == 0)
    bst_fail(lib->name, "(b) accepted a wrong FINGERPRINT");
  free(bad);
  for (int i = 0; i < N_TXIDS; i++) {
    uint8_t want[28];
    const uint8_t *out;
    size_t len;
    bst_reference_request(txids[i], want);
    if (lib->encode(ctx, txids[i], &out, &len) != 0) bst_fail(lib->name, "(c) failed");
    if (len != sizeof want || memcmp(out, want, len) != 0)
      bst_fail(lib->name, "(c) request %d: %zu bytes, not the 28 expected (or other bytes)", i,
               len);
  }
}

/* ---- output ---------------------------------------------------------------- */

static void add_row(const char *library, int op, double ns, double lo, double hi, bool imported) {
  if (g_nrows >= MAX_ROWS) return;
  row *r = &g_rows[g_nrows++];
  snprintf(r->library, sizeof r->library, "%s", library);
  r->op = op;
  r->ns = ns;
  r->lo = lo;
  r->hi = hi;
  r->imported = imported;
}

static const row *find_row(const char *library, int op) {
  for (int i = 0; i < g_nrows; i++)
    if (strcmp(g_rows[i].library, library) == 0 && g_rows[i].op == op) return &g_rows[i];
  return NULL;
}

static bool is_siphb(const row *r) { return strncmp(r->library, "siphb", 5) == 0; }

static void export_rows(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) bst_fail("bench_stun", "cannot write %s", path);
  for (int i = 0; i < g_nrows; i++)
    fprintf(f, "%s\t%s\t%.3f\t%.3f\t%.3f\n", g_rows[i].library, op_key[g_rows[i].op], g_rows[i].ns,
            g_rows[i].lo, g_rows[i].hi);
  fclose(f);
}

static void import_rows(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) bst_fail("bench_stun", "cannot read %s", path);
  char line[256];
  while (fgets(line, sizeof line, f)) {
    char name[48], op[16];
    double ns, lo, hi;
    if (sscanf(line, "%47[^\t]\t%15[^\t]\t%lf\t%lf\t%lf", name, op, &ns, &lo, &hi) != 5)
      bst_fail("bench_stun", "%s: malformed line: %s", path, line);
    int k = 0;
    while (k < N_OPS && strcmp(op, op_key[k]) != 0) k++;
    if (k == N_OPS) bst_fail("bench_stun", "%s: unknown op %s", path, op);
    add_row(name, k, ns, lo, hi, true);
  }
  fclose(f);
}

static void print_table(void) {
  printf("\n%-22s %-48s %9s   %s\n", "library", "operation", "ns/op", "reps (fastest-slowest)");
  for (int op = 0; op < N_OPS; op++)
    for (int i = 0; i < g_nrows; i++) {
      const row *r = &g_rows[i];
      if (r->op != op) continue;
      printf("%-22s %-48s %9.1f   %.1f-%.1f%s\n", r->library, op_title[op], r->ns, r->lo, r->hi,
             r->imported ? "  (other build, imported)" : "");
    }
}

static void print_ratios(void) {
  printf("\nratios (peer ns / siphb ns; > 1 means siphb is faster):\n");
  for (int i = 0; i < g_nrows; i++) {
    const row *s = &g_rows[i];
    if (!is_siphb(s) || s->op != OP_FP) continue;
    for (int j = 0; j < g_nrows; j++) {
      const row *p = &g_rows[j];
      if (is_siphb(p) || p->op != OP_FP) continue;
      printf("  %-22s vs %-10s", s->library, p->library);
      for (int op = 0; op < N_OPS; op++) {
        const row *so = find_row(s->library, op), *po = find_row(p->library, op);
        if (so && po)
          printf("  %s %6.1fx", op_key[op], po->ns / so->ns);
        else
          printf("  %s      -", op_key[op]);
      }
      printf("\n");
    }
  }
}

static void print_targets(void) {
  printf("\ntargets (siphb):\n");
  for (int i = 0; i < g_nrows; i++) {
    const row *r = &g_rows[i];
    if (!is_siphb(r)) continue;
    printf("  %-22s %-48s %7.1f ns (target <= %g) %s\n", r->library, op_title[r->op], r->ns,
           target_ns[r->op], r->ns <= target_ns[r->op] ? "met" : "MISSED");
  }
  printf("\nreference figures for the peers (the targets' basis, same kind of machine) against "
         "this run:\n");
  for (int op = 0; op < N_OPS; op++) {
    const row *n = find_row("libnice", op), *r = find_row("libre", op);
    if (ref_nice[op] > 0 && n)
      printf("  libnice %-48s reference %6.0f ns, here %7.1f ns\n", op_title[op], ref_nice[op],
             n->ns);
    if (ref_re[op] > 0 && r)
      printf("  libre   %-48s reference %6.0f ns, here %7.1f ns\n", op_title[op], ref_re[op],
             r->ns);
  }
}

static void usage(void) {
  fprintf(stderr, "usage: bench_stun [--reps R] [--time-ms MS] [--only siphb,re,nice] "
                  "[--op fp,mi,encode] [--export FILE] [--import FILE]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int reps = 7;
  double time_ms = 200;
  unsigned only = 7, ops = 7;
  const char *export_path = NULL, *import_path = NULL;
  static const char *const keys[3] = {"siphb", "re", "nice"};
  static const char *const modules[3] = {"siphb", "libre", "nice"};
  const bst_lib *libs[3] = {bst_lib_siphb(), bst_lib_re(), bst_lib_nice()};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) usage();
    if (strcmp(a, "--reps") == 0)
      reps = atoi(v);
    else if (strcmp(a, "--time-ms") == 0)
      time_ms = atof(v);
    else if (strcmp(a, "--only") == 0)
      only = bench_parse_list(v, keys, 3);
    else if (strcmp(a, "--op") == 0)
      ops = bench_parse_list(v, op_key, N_OPS);
    else if (strcmp(a, "--export") == 0)
      export_path = v;
    else if (strcmp(a, "--import") == 0)
      import_path = v;
    else
      usage();
    i++;
  }
  if (reps < 1 || reps > BENCH_REPS_MAX || !(time_ms > 0) || !only || !ops) usage();

  uint8_t txids[N_TXIDS][12];
  uint64_t seed = 0x57a7b1d5eed0c0deu;
  for (int i = 0; i < N_TXIDS; i++)
    for (int k = 0; k < 12; k += 4) {
      uint64_t v = bench_splitmix64(&seed);
      memcpy(txids[i] + k, &v, 4);
    }

  printf("bench_stun: reps %d (median reported), ~%g ms each; messages %zu B (a), %zu B (b), "
         "request 28 B (c), %d transaction ids\n",
         reps, time_ms, sizeof bst_resp_fp, sizeof bst_resp_mi, N_TXIDS);
  for (int k = 0; k < 3; k++) {
    if (!libs[k] && BST_SIPHB_ONLY)
      printf("%-10s not in this build (siphb only)\n", keys[k]);
    else if (!libs[k])
      printf("%-10s not built in (pkg-config found no %s): skipped\n", keys[k], modules[k]);
    else if (!(only & (1u << k)))
      printf("%-10s %s: not selected (--only)\n", libs[k]->name, libs[k]->version);
    else
      printf("%-10s %s: %s\n", libs[k]->name, libs[k]->version, libs[k]->note);
  }
  fflush(stdout);

  for (int k = 0; k < 3; k++) {
    const bst_lib *lib = libs[k];
    if (!lib || !(only & (1u << k))) continue;
    void *ctx = lib->setup();
    verify(lib, ctx, (const uint8_t(*)[12])txids); /* always: no row without checked values */
    printf("%-10s values checked: the address, FINGERPRINT and MESSAGE-INTEGRITY refusals, "
           "%d requests identical to siphb's\n",
           lib->name, N_TXIDS);
    for (int op = 0; op < N_OPS; op++) {
      if (!(ops & (1u << op))) continue;
      job j = {lib, ctx, op, (const uint8_t(*)[12])txids};
      double lo, hi;
      double ns = bench_measure(run_job, &j, reps, time_ms, &lo, &hi, NULL);
      add_row(lib->name, op, ns, lo, hi, false);
      printf("  %-22s %-48s %9.1f ns\n", lib->name, op_title[op], ns);
      fflush(stdout);
    }
    lib->teardown(ctx);
  }
  if (export_path) export_rows(export_path);
  if (import_path) import_rows(import_path);
  print_table();
  print_ratios();
  print_targets();
  return 0;
}
