/*
 * bench - replay the workloads W1..W6 of /work/shared/bench/workloads.md
 * against libmuc through its public API only, and print one table.
 *
 * This is a benchmark program, not a test: it is a host, so it may use the
 * clock, stdio and mxml's per-thread setters (mxmlSetWrapMargin, for the
 * "bytes-via-tree" reference line).  Every input stanza is built before the
 * timed region (a text buffer for the text entry muc_service_handle_xml(),
 * a parsed tree for the tree entry muc_service_handle_stanza()); only the
 * entry point calls are timed.  Every point's delivered counts are checked
 * against the workload's formulas, in total, per stanza kind and per
 * recipient; any difference or any muc_service_* call that does not return
 * MUC_OK stops the program with a non-zero status.
 *
 * W1..W5 (rooms.c): one room of N, tree entry; W2 also through the text
 * entry at N = 10, 100, 1000.  W6 (w6.c): R rooms of 5, both entries, and
 * the timer pair next_deadline + handle_timeout.  Every row also gives the
 * allocations per input stanza: through the allocator hooks (hk/op:
 * malloc + realloc) and by the whole process (mal/op: malloc + calloc +
 * realloc, Mini-XML's included; malloc_count.c).
 *
 * Usage: bench [--n 10,100,1000,3000,10000] [--rooms 1000,10000,100000]
 *              [--reps K] [--workloads W1,W2,W3,W4,W5,W6] [--w6]
 *              [--variants count,bytes] [--entries tree,text]
 *              [--seconds S] [--quick] [--ids]
 *   --ids        occupant-id (XEP-0421) and stanza-id (XEP-0359) on
 *   --quick      N up to 1000, R = 1000, 1 rep, 0.25 s points (smoke run)
 *   --w6         only W6 (same as --workloads W6)
 *   --entries    the entry points W2 and W6 go through (default both;
 *                W1, W3, W5 always use the tree entry)
 *   --seconds S  the least a repeated point (W2, W6, timer pairs) takes;
 *                1 by default (--w2-seconds is the old name)
 *   default      the full matrix, 3 reps
 *
 * SPDX-License-Identifier: MIT
 */
#include "bench.h"

#include <mxml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
  fprintf(f, "usage: bench [--n 10,100,1000,3000,10000] "
             "[--rooms 1000,10000,100000]\n"
             "             [--reps K] [--workloads W1,W2,W3,W4,W5,W6] [--w6]\n"
             "             [--variants count,bytes] [--entries tree,text]\n"
             "             [--seconds S] [--quick] [--ids]\n"
             "  --ids        occupant-id and stanza-id on\n"
             "  --quick      N up to 1000, R = 1000, 1 rep, 0.25 s points\n"
             "  --w6         only W6\n"
             "  --entries    entry points for W2 and W6 (default both)\n"
             "  --seconds S  the least a repeated point takes (default 1)\n"
             "  default      the full matrix, 3 reps\n");
}

static const char *optarg_of(int argc, char **argv, int *i)
{
  if (*i + 1 >= argc) {
    usage(stderr);
    fail("option %s needs a value", argv[*i]);
  }
  return argv[++*i];
}

/* A comma-separated list of positive numbers up to |max|. */
static size_t parse_sizes(const char *arg, size_t *out, size_t max,
                          const char *opt)
{
  char *s = strdup(arg), *save = NULL;
  size_t n = 0;
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    char *end;
    unsigned long v = strtoul(t, &end, 10);
    if (*end || v == 0 || v > max || n >= MAX_N_VALUES)
      fail("bad %s value '%s'", opt, t);
    out[n++] = (size_t)v;
  }
  free(s);
  return n;
}

static unsigned parse_workloads(const char *arg)
{
  char *s = strdup(arg), *save = NULL;
  unsigned wl = 0;
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if ((t[0] == 'W' || t[0] == 'w') && t[1] >= '1' && t[1] <= '6' && !t[2])
      wl |= 1u << (t[1] - '1');
    else
      fail("bad workload '%s' (W1..W6)", t);
  }
  free(s);
  return wl;
}

/* A comma-separated subset of |n| |names| into |on|. */
static void parse_names(const char *arg, const char *const *names, size_t n,
                        int *on, const char *opt)
{
  char *s = strdup(arg), *save = NULL;
  memset(on, 0, n * sizeof *on);
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    size_t i = 0;
    while (i < n && strcmp(t, names[i]) != 0)
      i++;
    if (i == n)
      fail("bad %s value '%s'", opt, t);
    on[i] = 1;
  }
  free(s);
}

/* What the options left unset: the full matrix, or the quick one. */
static void defaults(opts *o, int quick, int have_reps, int have_seconds)
{
  static const size_t all_n[] = {10, 100, 1000, 3000, 10000};
  static const size_t all_r[] = {1000, 10000, 100000};
  if (!o->nn)
    for (size_t k = 0; k < sizeof all_n / sizeof all_n[0]; k++)
      if (!quick || all_n[k] <= 1000)
        o->nv[o->nn++] = all_n[k];
  if (!o->nr)
    for (size_t k = 0; k < (quick ? 1 : sizeof all_r / sizeof all_r[0]); k++)
      o->rv[o->nr++] = all_r[k];
  if (quick && !have_reps)
    o->reps = 1;
  if (quick && !have_seconds)
    o->seconds = 0.25;
}

static void parse_args(opts *o, int argc, char **argv)
{
  int quick = 0, have_reps = 0, have_seconds = 0;
  memset(o, 0, sizeof *o);
  o->reps = 3;
  o->workloads = WL_W1 | WL_W2 | WL_W3 | WL_W4 | WL_W5 | WL_W6;
  o->variants[V_COUNT] = o->variants[V_BYTES] = 1;
  o->entries[E_TREE] = o->entries[E_TEXT] = 1;
  o->seconds = 1.0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--quick") == 0) {
      quick = 1;
    } else if (strcmp(a, "--ids") == 0) {
      g_ids = 1;
    } else if (strcmp(a, "--w6") == 0) {
      o->workloads = WL_W6;
    } else if (strcmp(a, "--n") == 0) {
      o->nn = parse_sizes(optarg_of(argc, argv, &i), o->nv, 1000000, a);
    } else if (strcmp(a, "--rooms") == 0) {
      o->nr = parse_sizes(optarg_of(argc, argv, &i), o->rv, 10000000, a);
    } else if (strcmp(a, "--reps") == 0) {
      size_t r;
      if (parse_sizes(optarg_of(argc, argv, &i), &r, MAX_REPS, a) != 1)
        fail("--reps takes one number, 1..%d", MAX_REPS);
      o->reps = r;
      have_reps = 1;
    } else if (strcmp(a, "--seconds") == 0 || strcmp(a, "--w2-seconds") == 0) {
      o->seconds = strtod(optarg_of(argc, argv, &i), NULL);
      if (!(o->seconds > 0))
        fail("bad %s", a);
      have_seconds = 1;
    } else if (strcmp(a, "--workloads") == 0) {
      o->workloads = parse_workloads(optarg_of(argc, argv, &i));
    } else if (strcmp(a, "--variants") == 0) {
      /* count, bytes; bytes-via-tree follows bytes */
      parse_names(optarg_of(argc, argv, &i), variant_name, V_TREE, o->variants,
                  a);
    } else if (strcmp(a, "--entries") == 0) {
      parse_names(optarg_of(argc, argv, &i), entry_name, E_MAX, o->entries, a);
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    } else {
      usage(stderr);
      fail("unknown option '%s'", a);
    }
  }
  defaults(o, quick, have_reps, have_seconds);
  if (!o->workloads)
    fail("no workload selected");
  if (!o->entries[E_TREE] && !o->entries[E_TEXT])
    fail("no entry selected");
}

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

static void report(const opts *o)
{
  printf("\nlibmuc %s benchmark: median of reps; total = timed entry point "
         "calls only\n\n",
         muc_version());
  print_table_header();
  rooms_report_rows(o);
  w6_report_rows(o);
  rooms_report_memory(o);
  printf("\n");
  rooms_report_notes(o);
  w6_report_notes(o);
  printf("host callback cost included above (bench's own counting, per "
         "delivered stanza): count %.0f ns, bytes %.0f ns\n",
         callback_ns(V_COUNT), callback_ns(V_BYTES));
  printf("spread = (max - min) / median over the reps; cpu = thread CPU "
         "time / wall time in the timed regions (below ~95%%: other load "
         "took the CPU)\n"
         "hk/op = malloc + realloc calls through the allocator hooks per "
         "input stanza; mal/op = malloc + calloc + realloc calls of the "
         "whole process per input stanza (Mini-XML's included), last rep\n"
         "bytes-via-tree = only send set, the host serializes each tree "
         "with mxmlSaveString (wrap margin 0)\n");
  printf("\ntargets:\n");
  rooms_report_targets(o);
  w6_report_targets(o);
}

int main(int argc, char **argv)
{
  static opts o; /* large: keep it off the stack */
  parse_args(&o, argc, argv);
  /* The host's own thread setting, for the bytes-via-tree line. */
  mxmlSetWrapMargin(0);

  fprintf(stderr, "libmuc %s bench: N =", muc_version());
  for (size_t ni = 0; ni < o.nn; ni++)
    fprintf(stderr, " %zu", o.nv[ni]);
  fprintf(stderr, ", R =");
  for (size_t ri = 0; ri < o.nr; ri++)
    fprintf(stderr, " %zu", o.rv[ri]);
  fprintf(stderr, ", %zu rep(s), %.2f s points%s\n", o.reps, o.seconds,
          g_ids ? ", occupant-id and stanza-id on" : "");
  if (g_ids)
    printf("occupant-id and stanza-id on\n");

  uint64_t wall0 = mono_ns();
  rooms_run(&o, wall0);
  w6_run(&o, wall0);
  fprintf(stderr, "done in %.1f s; all delivered counts match\n", since(wall0));
  report(&o);
  return 0;
}
