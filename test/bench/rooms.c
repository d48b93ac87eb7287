/*
 * rooms.c - W1..W5 of workloads.md: one room of N occupants.
 *
 * Per rep and variant: service A times W1, measures W4 after it, then
 * runs W2 (and W2 through the text entry) on that room; services B and C
 * each build the room by an untimed W1 and time W3 and W5.
 *
 * SPDX-License-Identifier: MIT
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>

enum row { R_W1, R_W2, R_W2XML, R_W3, R_W5, R_W4, R_MAX };

static point pts[R_MAX][MAX_N_VALUES][V_MAX];
static size_t w2_m[MAX_N_VALUES][V_MAX];

/* The text entry is also measured on these N (the targets use 10 and
 * 1000). */
static int w2_text_n(size_t n)
{
  return n == 10 || n == 100 || n == 1000;
}

/* Build the room of n by W1 through the tree entry; the wall ns. */
static uint64_t do_w1(host *h, muc_service *svc, size_t n, const char *what)
{
  const seq joins = {IN_JOIN, 0, n};
  host_reset(h);
  uint64_t ns = run_seq(svc, &joins, 1, n, E_TREE, what);
  uint64_t nn = (uint64_t)n;
  check_counts(h, what, nn * nn + nn, nn, nn * nn, nn + 1, 0, V_COUNT);
  check_occupants(svc, what, 0, n);
  return ns;
}

static void log_point(const char *what, uint64_t ns, uint64_t wall0)
{
  fprintf(stderr, "  %s: %.1f ms (wall %.1f s)\n", what, (double)ns / 1e6,
          since(wall0));
}

/* W4: the room of n built by W1 on a service of its own, then freed.  The
 * process heap it held is what freeing it gives back: heap in use before
 * the free minus after.  (Measured from before the service existed, the
 * figure would also count the chunks glibc keeps cached for reuse, its
 * tcache, which mallinfo2 reports as in use whoever freed them.) */
static void w4(size_t n, int variant, host *h, point *p)
{
  char what[128];
  snprintf(what, sizeof what, "W4 N=%zu %s", n, variant_name[variant]);
  muc_service *svc = service_new(h, variant, 0);
  do_w1(h, svc, n, what);
  size_t hook = muc_service_get_memory_usage(svc);
  size_t heap1 = heap_in_use();
  muc_service_free(svc);
  size_t heap2 = heap_in_use();
  record_mem(p, (double)hook / (double)n,
             ((double)heap1 - (double)heap2) / (double)n);
}

/* Service A's first part: W1 timed (and W4 on a service of its own). */
static muc_service *w1_w4(const opts *o, size_t ni, int variant, size_t rep,
                          host *h)
{
  size_t n = o->nv[ni];
  char what[128];
  snprintf(what, sizeof what, "W1 N=%zu %s rep %zu", n, variant_name[variant],
           rep + 1);
  if ((o->workloads & WL_W4) && variant != V_TREE && rep == 0)
    w4(n, variant, h, &pts[R_W4][ni][variant]);
  muc_service *svc = service_new(h, variant, 0);
  uint64_t w0 = mono_ns();
  tally_reset();
  uint64_t ns = do_w1(h, svc, n, what);
  if (variant == V_TREE)
    return svc; /* only used for W2 */
  if (o->workloads & WL_W1) {
    record(&pts[R_W1][ni][variant], ns, n, h);
    log_point(what, ns, w0);
  }
  return svc;
}

/* W2 on service A's room through |entry|; both entries share one M, which
 * the first of them fixes on rep 0. */
static void w2_entry(const opts *o, size_t ni, int variant, size_t rep, host *h,
                     muc_service *svc, int entry)
{
  static const int row[E_MAX] = {R_W2, R_W2XML};
  size_t n = o->nv[ni];
  const seq msgs = {IN_MESSAGE, 0, n};
  char what[128];
  snprintf(what, sizeof what, "W2%s N=%zu %s rep %zu",
           entry == E_TEXT ? "-text" : "", n, variant_name[variant], rep + 1);
  uint64_t w0 = mono_ns();
  size_t *m = &w2_m[ni][variant];
  int grow = rep == 0 && (entry == E_TREE || !o->entries[E_TREE]);
  uint64_t ns =
      run_fanout(h, svc, &msgs, m, entry, grow, o->seconds, variant, what);
  record(&pts[row[entry]][ni][variant], ns, *m, h);
  log_point(what, ns, w0);
}

static void w2(const opts *o, size_t ni, int variant, size_t rep, host *h,
               muc_service *svc)
{
  if (o->entries[E_TREE])
    w2_entry(o, ni, variant, rep, h, svc, E_TREE);
  if (o->entries[E_TEXT] && w2_text_n(o->nv[ni]) && variant != V_TREE)
    w2_entry(o, ni, variant, rep, h, svc, E_TEXT);
}

/* A timed workload |kind| of N presences on a room of N built by an
 * untimed W1: |total| presences delivered, per user |a| + |b|*K, and
 * |left| occupants after it. */
static void on_built_room(const opts *o, size_t ni, int variant, size_t rep,
                          host *h, int row, const char *name,
                          enum input_kind kind, uint64_t total, uint64_t a,
                          uint64_t bk, size_t left)
{
  size_t n = o->nv[ni];
  char what[128];
  muc_service *svc = service_new(h, variant, 0);
  snprintf(what, sizeof what, "%s N=%zu %s rep %zu: building the room", name, n,
           variant_name[variant], rep + 1);
  do_w1(h, svc, n, what);
  snprintf(what, sizeof what, "%s N=%zu %s rep %zu", name, n,
           variant_name[variant], rep + 1);
  const seq input = {kind, 0, n};
  host_reset(h);
  uint64_t w0 = mono_ns();
  tally_reset();
  uint64_t ns = run_seq(svc, &input, 1, n, E_TREE, what);
  check_counts(h, what, total, 0, total, a, bk, variant);
  check_occupants(svc, what, 0, left);
  record(&pts[row][ni][variant], ns, n, h);
  log_point(what, ns, w0);
  muc_service_free(svc);
}

static void one_rep(const opts *o, size_t ni, int variant, size_t rep)
{
  size_t n = o->nv[ni];
  uint64_t nn = (uint64_t)n;
  unsigned wl = o->workloads;
  host h;
  host_init(&h, 0, n);
  if ((wl & (WL_W1 | WL_W2 | WL_W4)) || variant == V_TREE) {
    muc_service *svc = w1_w4(o, ni, variant, rep, &h);
    if (wl & WL_W2)
      w2(o, ni, variant, rep, &h, svc);
    muc_service_free(svc);
  }
  /* W3: every update reaches all N (N presences per user).  W5: user K
   * leaves while users K..N are present and hears every leave of users
   * 1..K: K stanzas. */
  if ((wl & WL_W3) && variant != V_TREE)
    on_built_room(o, ni, variant, rep, &h, R_W3, "W3", IN_AWAY, nn * nn, nn, 0,
                  n);
  if ((wl & WL_W5) && variant != V_TREE)
    on_built_room(o, ni, variant, rep, &h, R_W5, "W5", IN_LEAVE,
                  nn * (nn + 1) / 2, 0, 1, 0);
  host_free(&h);
}

/* bytes-via-tree: only for W2 at N = 1000, beside the bytes variant. */
static int variant_wanted(const opts *o, size_t n, int v)
{
  if (v == V_TREE)
    return n == 1000 && (o->workloads & WL_W2) && o->variants[V_BYTES];
  return o->variants[v];
}

void rooms_run(const opts *o, uint64_t wall0)
{
  if (!(o->workloads & (WL_W1 | WL_W2 | WL_W3 | WL_W4 | WL_W5)))
    return;
  for (size_t ni = 0; ni < o->nn; ni++)
    for (size_t rep = 0; rep < o->reps; rep++) {
      fprintf(stderr, "N=%zu rep %zu/%zu (%.1f s so far)\n", o->nv[ni], rep + 1,
              o->reps, since(wall0));
      /* variants interleaved within a rep, so drift hits both alike */
      for (int v = 0; v < V_MAX; v++)
        if (variant_wanted(o, o->nv[ni], v))
          one_rep(o, ni, v, rep);
    }
}

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

static const char *const rname[R_MAX] = {"W1 join",       "W2 fan-out",
                                         "W2 text-entry", "W3 presence",
                                         "W5 leave",      "W4 memory"};

void rooms_report_rows(const opts *o)
{
  static const int order[] = {R_W1, R_W2, R_W2XML, R_W3, R_W5};
  for (size_t oi = 0; oi < sizeof order / sizeof order[0]; oi++)
    for (size_t ni = 0; ni < o->nn; ni++)
      for (int v = 0; v < V_MAX; v++) {
        const point *p = &pts[order[oi]][ni][v];
        if (p->used)
          print_row(rname[order[oi]], o->nv[ni], variant_name[v], p);
      }
}

void rooms_report_memory(const opts *o)
{
  for (size_t ni = 0; ni < o->nn; ni++)
    for (int v = 0; v < V_MAX; v++) {
      const point *p = &pts[R_W4][ni][v];
      if (p->used)
        printf("%-16s %6zu  %-14s %4zu   allocator hooks %.0f B/occupant, "
               "process heap (mallinfo2) %.0f B/occupant\n",
               rname[R_W4], o->nv[ni], variant_name[v], p->nreps,
               median_dbl(p->mem_a, p->nreps), median_dbl(p->mem_b, p->nreps));
    }
}

static const point *find(const opts *o, int row, size_t n, int v)
{
  for (size_t ni = 0; ni < o->nn; ni++)
    if (o->nv[ni] == n && pts[row][ni][v].used)
      return &pts[row][ni][v];
  return NULL;
}

/* One message into the largest room, and the text entry against the tree
 * entry per input message. */
void rooms_report_notes(const opts *o)
{
  const point *p = find(o, R_W2, 10000, V_BYTES);
  if (p)
    printf("one groupchat message into a 10,000-occupant room, all copies "
           "serialized (bytes variant): %.2f ms per message\n",
           per_op_ns(p) / 1e6);
  for (size_t ni = 0; ni < o->nn; ni++)
    for (int v = 0; v < V_TREE; v++) {
      const point *px = &pts[R_W2XML][ni][v];
      const point *pt = &pts[R_W2][ni][v];
      if (!px->used || !pt->used)
        continue;
      double x = per_op_ns(px), t = per_op_ns(pt);
      printf("W2 text entry, N=%zu %s: %.3f us per input message "
             "(parse+handle, %.4f us per delivered stanza); tree entry %.3f "
             "us (difference %+.3f us, noise-limited when N is large)\n",
             o->nv[ni], variant_name[v], x / 1e3, x / 1e3 / (double)o->nv[ni],
             t / 1e3, (x - t) / 1e3);
    }
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */
/* ------------------------------------------------------------------ */

/* The largest us/stanza of W1/W2/W3/W5 at |n|, bytes; <0 if missing. */
static double worst_at(const opts *o, size_t n)
{
  static const int rows[] = {R_W1, R_W2, R_W3, R_W5};
  double worst = -1;
  for (size_t i = 0; i < 4; i++) {
    const point *p = find(o, rows[i], n, V_BYTES);
    if (!p)
      return -1;
    double v = per_stanza_ns(p) / 1e3;
    worst = v > worst ? v : worst;
  }
  return worst;
}

/* The largest ratio of us/stanza at N=10000 to N=100 over W1/W2/W3/W5,
 * bytes; <0 if missing. */
static double worst_growth(const opts *o)
{
  static const int rows[] = {R_W1, R_W2, R_W3, R_W5};
  double worst = -1;
  for (size_t i = 0; i < 4; i++) {
    const point *big = find(o, rows[i], 10000, V_BYTES);
    const point *small = find(o, rows[i], 100, V_BYTES);
    if (!big || !small)
      return -1;
    double v = per_stanza_ns(big) / per_stanza_ns(small);
    worst = v > worst ? v : worst;
  }
  return worst;
}

void rooms_report_targets(const opts *o)
{
  double w1000 = worst_at(o, 1000), w3000 = worst_at(o, 3000);
  if (w1000 >= 0)
    print_target("<= 0.5 us/stanza W1/W2/W3/W5 at N=1000 (bytes), worst",
                 w1000 <= 0.5, "%.3f us", w1000);
  if (w3000 >= 0)
    print_target("<= 0.5 us/stanza W1/W2/W3/W5 at N=3000 (bytes), worst",
                 w3000 <= 0.5, "%.3f us", w3000);
  double growth = worst_growth(o);
  if (growth >= 0)
    print_target("us/stanza at N=10000 within 1.5x of N=100 (bytes), worst",
                 growth <= 1.5, "%.2fx", growth);
  const point *p = find(o, R_W2, 10000, V_BYTES);
  if (p)
    print_target("one message to 10,000 occupants, bytes: <= 5 ms",
                 per_op_ns(p) <= 5e6, "%.2f ms", per_op_ns(p) / 1e6);
  p = find(o, R_W2XML, 10, V_BYTES);
  if (p)
    print_target(
        "text entry + send_bytes, W2 N=10: <= 1.5 us per input message",
        per_op_ns(p) <= 1500, "%.3f us", per_op_ns(p) / 1e3);
  p = find(o, R_W2XML, 1000, V_BYTES);
  if (p)
    print_target("text entry + send_bytes, W2 N=1000: <= 0.08 us per stanza",
                 per_stanza_ns(p) <= 80, "%.4f us", per_stanza_ns(p) / 1e3);
  for (int v = 0; v < V_TREE; v++) {
    p = find(o, R_W4, 1000, v);
    if (!p)
      continue;
    double heap = median_dbl(p->mem_b, p->nreps);
    double hook = median_dbl(p->mem_a, p->nreps);
    char what[96];
    snprintf(what, sizeof what, "W4 N=1000 %s: process heap <= 400 B/occupant",
             variant_name[v]);
    print_target(what, heap <= 400, "%.0f B", heap);
    snprintf(what, sizeof what, "W4 N=1000 %s: library <= 512 B/occupant",
             variant_name[v]);
    print_target(what, hook <= 512, "%.0f B", hook);
  }
}
