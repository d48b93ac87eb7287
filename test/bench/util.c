/*
 * util.c - failure, clocks, the allocation counters and the per-point
 * results of the benchmark.
 *
 * SPDX-License-Identifier: MIT
 */
#include "bench.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const variant_name[V_MAX] = {"count", "bytes", "bytes-via-tree"};
const char *const entry_name[E_MAX] = {"tree", "text"};

/* ------------------------------------------------------------------ */
/* Failure, memory, clocks                                             */
/* ------------------------------------------------------------------ */

void fail(const char *fmt, ...)
{
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "\n"
                  "**************************************************\n"
                  "*** BENCH FAILURE: the results are NOT valid   ***\n"
                  "**************************************************\n");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n");
  exit(1);
}

void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    fail("out of memory (bench, %zu bytes)", n);
  return p;
}

void *xcalloc(size_t count, size_t size)
{
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    fail("out of memory (bench, %zu x %zu bytes)", count, size);
  return p;
}

uint64_t mono_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

double since(uint64_t wall0)
{
  return (double)(mono_ns() - wall0) / 1e9;
}

size_t heap_in_use(void)
{
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd; /* arena chunks in use + mmapped blocks */
}

/* ------------------------------------------------------------------ */
/* Allocation counters                                                 */
/* ------------------------------------------------------------------ */

uint64_t g_hook_allocs;

static void *count_malloc(size_t size, void *ud)
{
  (void)ud;
  g_hook_allocs++;
  return malloc(size);
}

static void *count_realloc(void *p, size_t size, void *ud)
{
  (void)ud;
  g_hook_allocs++;
  return realloc(p, size);
}

static void count_free(void *p, void *ud)
{
  (void)ud;
  free(p);
}

/* The libc allocator, as the library's default is, plus a count: the
 * library reaches it through one indirect call either way. */
const muc_allocator counting_allocator = {count_malloc, count_realloc,
                                          count_free, NULL};

tally g_timed;

void tally_reset(void)
{
  memset(&g_timed, 0, sizeof g_timed);
}

void timed_begin(mark *m)
{
  m->hook = g_hook_allocs;
  m->proc = g_proc_allocs;
  m->cpu = cpu_ns();
  m->wall = mono_ns(); /* last: the clocks bracket nothing but the work */
}

uint64_t timed_end(const mark *m)
{
  uint64_t wall = mono_ns() - m->wall;
  g_timed.cpu_ns += cpu_ns() - m->cpu;
  g_timed.wall_ns += wall;
  g_timed.hook_allocs += g_hook_allocs - m->hook;
  g_timed.proc_allocs += g_proc_allocs - m->proc;
  return wall;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

void record(point *p, uint64_t ns, uint64_t ops, const host *h)
{
  p->cpu_total += g_timed.cpu_ns;
  p->wall_total += g_timed.wall_ns;
  if (p->nreps && (p->delivered != h->stanzas || p->ops != ops))
    fail("repetitions differ: %llu vs %llu stanzas",
         (unsigned long long)p->delivered, (unsigned long long)h->stanzas);
  if (p->nreps >= MAX_REPS)
    fail("more than %d repetitions of one point", MAX_REPS);
  p->used = 1;
  p->ns[p->nreps++] = ns;
  p->ops = ops;
  p->delivered = h->stanzas;
  p->bytes = h->bytes; /* may differ by a few bytes between reps (ids) */
  p->hook_allocs = g_timed.hook_allocs;
  p->proc_allocs = g_timed.proc_allocs;
}

void record_mem(point *p, double a, double b)
{
  if (p->nreps >= MAX_REPS)
    fail("more than %d repetitions of one point", MAX_REPS);
  p->used = 1;
  p->mem_a[p->nreps] = a;
  p->mem_b[p->nreps] = b;
  p->nreps++;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int cmp_dbl(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

double median_u64(const uint64_t *v, size_t n, double *lo, double *hi)
{
  uint64_t t[MAX_REPS];
  memcpy(t, v, n * sizeof *t);
  qsort(t, n, sizeof *t, cmp_u64);
  if (lo)
    *lo = (double)t[0];
  if (hi)
    *hi = (double)t[n - 1];
  return n % 2 ? (double)t[n / 2] : ((double)t[n / 2 - 1] + t[n / 2]) / 2;
}

double median_dbl(const double *v, size_t n)
{
  double t[MAX_REPS];
  memcpy(t, v, n * sizeof *t);
  qsort(t, n, sizeof *t, cmp_dbl);
  return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

double per_op_ns(const point *p)
{
  return median_u64(p->ns, p->nreps, NULL, NULL) / (double)p->ops;
}

double per_stanza_ns(const point *p)
{
  return median_u64(p->ns, p->nreps, NULL, NULL) / (double)p->delivered;
}

void print_target(const char *what, int met, const char *fmt, double v)
{
  char val[64];
  snprintf(val, sizeof val, fmt, v);
  printf("  %-66s %-8s %s\n", what, met ? "met" : "NOT met", val);
}

void print_table_header(void)
{
  printf("%-16s %6s  %-14s %4s %9s %10s %10s %9s %11s %8s %7s %5s %7s "
         "%7s\n",
         "workload", "N/R", "variant", "reps", "ops", "total(ms)", "us/op",
         "us/stanza", "delivered", "B/stanza", "spread", "cpu", "hk/op",
         "mal/op");
  printf("%.*s\n", 138,
         "-------------------------------------------------------------------"
         "-------------------------------------------------------------------"
         "-----");
}

void print_row(const char *wl, size_t n, const char *var, const point *p)
{
  double lo, hi;
  double med = median_u64(p->ns, p->nreps, &lo, &hi);
  char bytes[32] = "-";
  if (p->bytes && p->delivered)
    snprintf(bytes, sizeof bytes, "%.1f",
             (double)p->bytes / (double)p->delivered);
  double ops = (double)p->ops;
  printf("%-16s %6zu  %-14s %4zu %9llu %10.1f %10.2f %9.3f %11llu %8s %6.1f%% "
         "%4.0f%% %7.2f %7.2f\n",
         wl, n, var, p->nreps, (unsigned long long)p->ops, med / 1e6,
         med / 1e3 / ops, med / 1e3 / (double)p->delivered,
         (unsigned long long)p->delivered, bytes,
         med > 0 ? 100.0 * (hi - lo) / med : 0.0,
         p->wall_total ? 100.0 * (double)p->cpu_total / (double)p->wall_total
                       : 0.0,
         (double)p->hook_allocs / ops, (double)p->proc_allocs / ops);
}
