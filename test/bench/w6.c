/*
 * w6.c - W6 of workloads.md: R rooms "roomI" of 5 users "uI_K" each.
 *
 * Per R, rep, variant (count, bytes) and entry (tree, text): the joins
 * (K outer, I inner: consecutive joins go to different rooms, as on a
 * busy service), on fresh services as many times as make |seconds|; the
 * memory after the last service's joins; the fan-out on that service;
 * and, once per R and rep on the bytes/text service, the cost of a
 * next_deadline + handle_timeout pair with no timer set.  A separate
 * service per R and rep creates the R rooms with locking on (one
 * creator join each), so that the timer heap holds R locks: the pair
 * again, then the one handle_timeout that opens them all.
 *
 * SPDX-License-Identifier: MIT
 */
#include "bench.h"

#include <stdio.h>

#define USERS 5
/* One join of K into a room of k = K-1 delivers 2k+2: over the 5 joins
 * 30 per room (25 presences, 5 subjects), 6 per user. */
#define JOIN_STANZAS 30
#define JOIN_PRESENCES 25
#define PER_USER 6
/* A locked room's creation delivers the self-presence (201) and the
 * subject. */
#define LOCKED_STANZAS 2
#define LOCK_TIMEOUT_MS UINT64_C(300000) /* muc_config_default() */
#define MAX_ROUNDS 1000

enum { W_JOIN, W_MSG, W_ROWS };
enum { P_IDLE, P_LOCKED, P_UNLOCK, P_ROWS };

static point pts[W_ROWS][MAX_N_VALUES][V_TREE][E_MAX];
static point mem[MAX_N_VALUES][V_TREE][E_MAX]; /* totals: hooks, heap */
static point pairs[P_ROWS][MAX_N_VALUES];
static size_t rounds[MAX_N_VALUES][V_TREE][E_MAX];
static size_t msg_m[MAX_N_VALUES][V_TREE][E_MAX];
static size_t pair_n[MAX_N_VALUES][2];

/* ------------------------------------------------------------------ */
/* Joins                                                               */
/* ------------------------------------------------------------------ */

static void check_rooms(muc_service *svc, const char *what, size_t r,
                        size_t occupants)
{
  if (muc_service_get_room_count(svc) != r)
    fail("%s: %zu rooms in memory, expected %zu", what,
         muc_service_get_room_count(svc), r);
  check_occupants(svc, what, 1, occupants);
  check_occupants(svc, what, r, occupants);
}

/* One round: a fresh service, the 5R joins timed into *ns.  |round|
 * counts from 1; the host's counts run on over the rounds. */
static muc_service *join_round(host *h, size_t r, int variant, int entry,
                               size_t round, uint64_t *ns, const char *what)
{
  const seq joins = {IN_JOIN, r, USERS};
  muc_service *svc = service_new(h, variant, 0);
  *ns += run_seq(svc, &joins, 1, USERS * r, entry, what);
  uint64_t rr = (uint64_t)r * round;
  check_counts(h, what, JOIN_STANZAS * rr, USERS * rr, JOIN_PRESENCES * rr,
               PER_USER * round, 0, variant);
  check_rooms(svc, what, r, USERS);
  return svc;
}

/* The joins, round after round; the last round's service is returned with
 * the memory it holds recorded.  Rep 0 fixes the number of rounds. */
static muc_service *joins(const opts *o, size_t ri, int variant, int entry,
                          size_t rep, host *h, const char *what)
{
  size_t r = o->rv[ri], *nr = &rounds[ri][variant][entry];
  uint64_t ns = 0;
  host_reset(h);
  tally_reset();
  for (size_t round = 1;; round++) {
    size_t heap0 = heap_in_use();
    muc_service *svc = join_round(h, r, variant, entry, round, &ns, what);
    if (rep == 0 && round == 1)
      *nr = (size_t)(o->seconds * 1.1e9 / (double)(ns ? ns : 1)) + 1;
    *nr = *nr < 1 ? 1 : *nr > MAX_ROUNDS ? MAX_ROUNDS : *nr;
    if (round < *nr) {
      muc_service_free(svc);
      continue;
    }
    double heap = (double)heap_in_use() - (double)heap0;
    record_mem(&mem[ri][variant][entry],
               (double)muc_service_get_memory_usage(svc), heap);
    record(&pts[W_JOIN][ri][variant][entry], ns, USERS * r * *nr, h);
    fprintf(stderr, "  %s: %zu round(s), %.1f ms\n", what, *nr,
            (double)ns / 1e6);
    return svc;
  }
}

/* ------------------------------------------------------------------ */
/* Timers                                                              */
/* ------------------------------------------------------------------ */

/* |n| pairs next_deadline + handle_timeout with the clock frozen, so that
 * nothing falls due: every pair must see |deadline| and deliver nothing.
 * The wall ns. */
static uint64_t time_pairs(muc_service *svc, host *h, size_t n,
                           uint64_t deadline, const char *what)
{
  unsigned tick = h->tick;
  h->tick = 0;
  host_reset(h);
  size_t bad = 0;
  mark m;
  timed_begin(&m);
  for (size_t i = 0; i < n; i++) {
    uint64_t d = muc_service_next_deadline(svc);
    int rc = muc_service_handle_timeout(svc);
    bad += (d != deadline) | (rc != MUC_OK);
  }
  uint64_t ns = timed_end(&m);
  h->tick = tick;
  if (bad)
    fail("%s: %zu of %zu pairs saw another deadline or failed", what, bad, n);
  check_total(h, what, 0);
  return ns;
}

/* The pair point |row| at R index |ri|: rep 0 calibrates how many. */
static void pair_point(int row, size_t ri, size_t rep, double seconds,
                       muc_service *svc, host *h, const char *what)
{
  uint64_t deadline = muc_service_next_deadline(svc);
  size_t *n = &pair_n[ri][row];
  if (rep == 0) {
    const size_t trial = 100000;
    uint64_t ns = time_pairs(svc, h, trial, deadline, what);
    *n = (size_t)(seconds * 1.25e9 / ((double)ns / trial)) + 1;
  }
  tally_reset();
  uint64_t ns = time_pairs(svc, h, *n, deadline, what);
  record(&pairs[row][ri], ns, *n, h);
  fprintf(stderr, "  %s: %zu pairs, %.1f ns each\n", what, *n,
          (double)ns / (double)*n);
}

/* R rooms created locked (one creator join each, text entry, bytes): the
 * pair over a heap of R locks, then opening them all at once. */
static void locked(const opts *o, size_t ri, size_t rep)
{
  size_t r = o->rv[ri];
  char what[96];
  snprintf(what, sizeof what, "W6 R=%zu locked rooms rep %zu", r, rep + 1);
  host h;
  host_init(&h, r, 1);
  muc_service *svc = service_new(&h, V_BYTES, 1);
  const seq creates = {IN_JOIN, r, 1};
  run_seq(svc, &creates, 1, r, E_TEXT, what);
  check_counts(&h, what, LOCKED_STANZAS * (uint64_t)r, r,
               (LOCKED_STANZAS - 1) * (uint64_t)r, LOCKED_STANZAS, 0, V_BYTES);
  check_rooms(svc, what, r, 1);
  if (muc_service_next_deadline(svc) == UINT64_MAX)
    fail("%s: no timer set", what);
  pair_point(P_LOCKED, ri, rep, o->seconds, svc, &h, what);

  h.now_ms += LOCK_TIMEOUT_MS + r; /* past every room's lock */
  host_reset(&h);
  tally_reset();
  mark m;
  timed_begin(&m);
  int rc = muc_service_handle_timeout(svc);
  uint64_t ns = timed_end(&m);
  if (rc != MUC_OK || muc_service_next_deadline(svc) != UINT64_MAX)
    fail("%s: handle_timeout returned %d, locks left: %d", what, rc,
         muc_service_next_deadline(svc) != UINT64_MAX);
  record(&pairs[P_UNLOCK][ri], ns, r, &h);
  muc_service_free(svc);
  host_free(&h);
}

/* ------------------------------------------------------------------ */
/* One rep                                                             */
/* ------------------------------------------------------------------ */

static void one(const opts *o, size_t ri, int variant, int entry, size_t rep,
                host *h)
{
  size_t r = o->rv[ri];
  char what[96];
  snprintf(what, sizeof what, "W6 join R=%zu %s %s rep %zu", r,
           variant_name[variant], entry_name[entry], rep + 1);
  muc_service *svc = joins(o, ri, variant, entry, rep, h, what);

  snprintf(what, sizeof what, "W6 fan-out R=%zu %s %s rep %zu", r,
           variant_name[variant], entry_name[entry], rep + 1);
  const seq msgs = {IN_MESSAGE, r, USERS};
  size_t *m = &msg_m[ri][variant][entry];
  uint64_t ns =
      run_fanout(h, svc, &msgs, m, entry, rep == 0, o->seconds, variant, what);
  record(&pts[W_MSG][ri][variant][entry], ns, *m, h);
  fprintf(stderr, "  %s: %.1f ms\n", what, (double)ns / 1e6);

  /* once per rep: bytes, text entry unless only the tree one runs */
  if (variant == V_BYTES && (entry == E_TEXT || !o->entries[E_TEXT])) {
    snprintf(what, sizeof what, "W6 timer pair R=%zu rep %zu", r, rep + 1);
    pair_point(P_IDLE, ri, rep, o->seconds, svc, h, what);
  }
  muc_service_free(svc);
}

void w6_run(const opts *o, uint64_t wall0)
{
  if (!(o->workloads & WL_W6))
    return;
  for (size_t ri = 0; ri < o->nr; ri++) {
    host h;
    host_init(&h, o->rv[ri], USERS);
    for (size_t rep = 0; rep < o->reps; rep++) {
      fprintf(stderr, "W6 R=%zu rep %zu/%zu (%.1f s so far)\n", o->rv[ri],
              rep + 1, o->reps, since(wall0));
      for (int v = 0; v < V_TREE; v++)
        for (int e = 0; e < E_MAX; e++)
          if (o->variants[v] && o->entries[e])
            one(o, ri, v, e, rep, &h);
      locked(o, ri, rep);
    }
    host_free(&h);
  }
}

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

void w6_report_rows(const opts *o)
{
  static const char *const name[W_ROWS][E_MAX] = {
      {"W6 join", "W6 join text"}, {"W6 fan-out", "W6 fan-out text"}};
  for (int row = 0; row < W_ROWS; row++)
    for (size_t ri = 0; ri < o->nr; ri++)
      for (int v = 0; v < V_TREE; v++)
        for (int e = 0; e < E_MAX; e++)
          if (pts[row][ri][v][e].used)
            print_row(name[row][e], o->rv[ri], variant_name[v],
                      &pts[row][ri][v][e]);
}

static void report_memory(const opts *o)
{
  for (size_t ri = 0; ri < o->nr; ri++)
    for (int v = 0; v < V_TREE; v++)
      for (int e = 0; e < E_MAX; e++) {
        const point *p = &mem[ri][v][e];
        if (!p->used)
          continue;
        double r = (double)o->rv[ri], hook = median_dbl(p->mem_a, p->nreps),
               heap = median_dbl(p->mem_b, p->nreps);
        printf("W6 memory R=%-6zu %s %s: library (hooks) %.0f B/room, %.0f "
               "B/occupant; process heap (mallinfo2) %.0f B/room, %.0f "
               "B/occupant\n",
               o->rv[ri], variant_name[v], entry_name[e], hook / r,
               hook / r / USERS, heap / r, heap / r / USERS);
      }
}

static void report_timers(const opts *o)
{
  for (size_t ri = 0; ri < o->nr; ri++) {
    const point *idle = &pairs[P_IDLE][ri], *lk = &pairs[P_LOCKED][ri];
    const point *un = &pairs[P_UNLOCK][ri];
    if (idle->used)
      printf("W6 timer R=%zu: next_deadline + handle_timeout %.1f ns per pair "
             "with R rooms and no timer (on the bytes service after its "
             "fan-out)\n",
             o->rv[ri], per_op_ns(idle));
    if (lk->used)
      printf("W6 timer R=%zu: %.1f ns per pair with R locked rooms on the "
             "heap, nothing due (rooms created with locking on, one join "
             "each); opening all R in one handle_timeout: %.1f ns per room\n",
             o->rv[ri], per_op_ns(lk), per_op_ns(un));
  }
}

/* Text entry against tree entry, per input message. */
static void report_entries(const opts *o)
{
  for (size_t ri = 0; ri < o->nr; ri++)
    for (int v = 0; v < V_TREE; v++) {
      const point *x = &pts[W_MSG][ri][v][E_TEXT];
      const point *t = &pts[W_MSG][ri][v][E_TREE];
      if (x->used && t->used)
        printf("W6 text entry, R=%zu %s: %.3f us per input message; tree "
               "entry %.3f us (difference %+.3f us)\n",
               o->rv[ri], variant_name[v], per_op_ns(x) / 1e3,
               per_op_ns(t) / 1e3, (per_op_ns(x) - per_op_ns(t)) / 1e3);
    }
}

/* Prosody 0.12.3's W6 (workloads.md): per join and per message, count and
 * bytes, in us; memory per room in bytes. */
typedef struct prosody_w6 {
  size_t r;
  double join[V_TREE], msg[V_TREE], room_bytes;
} prosody_w6;

static const prosody_w6 prosody[] = {{1000, {589, 749}, {291, 529}, 7450},
                                     {10000, {997, 1382}, {320, 676}, 7550}};

static void compare(const char *what, double theirs, const point *p)
{
  if (!p->used)
    return;
  double ours = per_op_ns(p) / 1e3;
  printf("  %-24s Prosody %7.0f us, libmuc %8.3f us: %6.0fx\n", what, theirs,
         ours, theirs / ours);
}

static void report_prosody(const opts *o)
{
  for (size_t i = 0; i < sizeof prosody / sizeof prosody[0]; i++)
    for (size_t ri = 0; ri < o->nr; ri++) {
      if (o->rv[ri] != prosody[i].r)
        continue;
      printf("W6 against Prosody 0.12.3 (workloads.md, 1 run), R=%zu:\n",
             prosody[i].r);
      char what[64];
      for (int v = 0; v < V_TREE; v++)
        for (int e = 0; e < E_MAX; e++) {
          snprintf(what, sizeof what, "join, %s, %s entry", variant_name[v],
                   entry_name[e]);
          compare(what, prosody[i].join[v], &pts[W_JOIN][ri][v][e]);
          snprintf(what, sizeof what, "message, %s, %s entry", variant_name[v],
                   entry_name[e]);
          compare(what, prosody[i].msg[v], &pts[W_MSG][ri][v][e]);
        }
      const point *p = &mem[ri][V_BYTES][E_TEXT];
      if (p->used) {
        double room = median_dbl(p->mem_b, p->nreps) / (double)o->rv[ri];
        printf("  %-24s Prosody %7.0f B,  libmuc %8.0f B:  %6.1fx\n",
               "memory per room (heap)", prosody[i].room_bytes, room,
               prosody[i].room_bytes / room);
      }
    }
}

/* Allocations per input stanza, through the hooks and by the process,
 * for the joins and messages of each R (last rep). */
static void report_allocations(const opts *o)
{
  static const char *const what[W_ROWS] = {"join", "message"};
  for (size_t ri = 0; ri < o->nr; ri++)
    for (int v = 0; v < V_TREE; v++)
      for (int e = 0; e < E_MAX; e++) {
        const point *j = &pts[W_JOIN][ri][v][e], *m = &pts[W_MSG][ri][v][e];
        if (!j->used && !m->used)
          continue;
        printf("W6 allocations R=%-6zu %s %s entry:", o->rv[ri],
               variant_name[v], entry_name[e]);
        for (int row = 0; row < W_ROWS; row++) {
          const point *p = &pts[row][ri][v][e];
          if (p->used)
            printf(" %s %.2f hooks / %.2f process", what[row],
                   (double)p->hook_allocs / (double)p->ops,
                   (double)p->proc_allocs / (double)p->ops);
        }
        printf("\n");
      }
}

void w6_report_notes(const opts *o)
{
  report_allocations(o);
  report_memory(o);
  report_timers(o);
  report_entries(o);
  report_prosody(o);
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */
/* ------------------------------------------------------------------ */

/* The figures the targets use: text entry + send_bytes. */
typedef struct w6_fig {
  int have;
  double join_us, msg_us, room_bytes;
} w6_fig;

static w6_fig figures_at(const opts *o, size_t r)
{
  w6_fig f = {0, 0, 0, 0};
  for (size_t ri = 0; ri < o->nr; ri++) {
    const point *j = &pts[W_JOIN][ri][V_BYTES][E_TEXT];
    const point *m = &pts[W_MSG][ri][V_BYTES][E_TEXT];
    const point *mm = &mem[ri][V_BYTES][E_TEXT];
    if (o->rv[ri] != r || !j->used || !m->used || !mm->used)
      continue;
    f.have = 1;
    f.join_us = per_op_ns(j) / 1e3;
    f.msg_us = per_op_ns(m) / 1e3;
    f.room_bytes = median_dbl(mm->mem_a, mm->nreps) / (double)r;
  }
  return f;
}

#define T_MSG_US 2.0
#define T_JOIN_US 3.0
#define T_ROOM_BYTES 1500.0
#define T_FLAT 1.2 /* R = 1,000 within 20 % of R = 100,000 */

static void targets_at(size_t r, const w6_fig *f, double slack)
{
  char what[96];
  snprintf(what, sizeof what,
           "W6 R=%zu text entry + send_bytes: <= %.1f us per message", r,
           T_MSG_US * slack);
  print_target(what, f->msg_us <= T_MSG_US * slack, "%.3f us", f->msg_us);
  snprintf(what, sizeof what,
           "W6 R=%zu text entry + send_bytes: <= %.1f us per join", r,
           T_JOIN_US * slack);
  print_target(what, f->join_us <= T_JOIN_US * slack, "%.3f us", f->join_us);
  snprintf(what, sizeof what, "W6 R=%zu: <= %.0f library bytes per room", r,
           T_ROOM_BYTES * slack);
  print_target(what, f->room_bytes <= T_ROOM_BYTES * slack, "%.0f B",
               f->room_bytes);
}

void w6_report_targets(const opts *o)
{
  w6_fig big = figures_at(o, 100000), small = figures_at(o, 1000);
  if (big.have)
    targets_at(100000, &big, 1.0);
  if (small.have)
    targets_at(1000, &small, T_FLAT);
  if (!big.have || !small.have)
    return;
  /* flat in R: the R = 1,000 figures within 20 % of R = 100,000's */
  const struct {
    const char *what;
    double a, b;
  } flat[] = {{"per message", small.msg_us, big.msg_us},
              {"per join", small.join_us, big.join_us},
              {"bytes per room", small.room_bytes, big.room_bytes}};
  for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++) {
    char what[96];
    double ratio = flat[i].b / flat[i].a;
    snprintf(what, sizeof what,
             "W6 %s, R=100,000 against R=1,000: within 20 %%", flat[i].what);
    print_target(what, ratio <= T_FLAT && ratio >= 1 / T_FLAT, "%.2fx", ratio);
  }
}
