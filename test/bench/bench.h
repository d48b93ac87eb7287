/*
 * bench.h - what the benchmark's workloads share: failure and clocks, the
 * allocation counters, the host (per-recipient delivery counters), the
 * input stanzas with the timed runner over them, and the per-point
 * results.  See bench.c for the program and its options.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef BENCH_H
#define BENCH_H

#include <muc/muc_mxml.h>

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Setup constants (workloads.md)                                      */
/* ------------------------------------------------------------------ */

#define DOMAIN "conference.localhost"
#define MUC_NS "http://jabber.org/protocol/muc"
#define CLOCK_BASE_MS UINT64_C(1700000000000)

#define MAX_N_VALUES 16
#define MAX_REPS 64

/* count: tree host that only counts; bytes: send_bytes host;
 * bytes-via-tree: tree host that serializes every tree itself. */
enum variant { V_COUNT, V_BYTES, V_TREE, V_MAX };
extern const char *const variant_name[V_MAX];

/* Which entry point the inputs go through. */
enum entry { E_TREE, E_TEXT, E_MAX };
extern const char *const entry_name[E_MAX];

enum wl_bit {
  WL_W1 = 1,
  WL_W2 = 2,
  WL_W3 = 4,
  WL_W4 = 8,
  WL_W5 = 16,
  WL_W6 = 32
};

/* What the command line chose. */
typedef struct opts {
  size_t nv[MAX_N_VALUES], nn; /* N of W1..W5 */
  size_t rv[MAX_N_VALUES], nr; /* R of W6 */
  size_t reps;
  unsigned workloads; /* WL_* */
  int variants[V_MAX];
  int entries[E_MAX]; /* for W2 and W6 */
  double seconds;     /* the least a repeated point takes */
} opts;

/* --ids: services give occupant ids (XEP-0421) and stanza ids
 * (XEP-0359). */
extern int g_ids;

/* ------------------------------------------------------------------ */
/* Failure, memory, clocks                                             */
/* ------------------------------------------------------------------ */

__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
uint64_t mono_ns(void);
double since(uint64_t wall0);
/* Bytes in use on the process heap (mallinfo2). */
size_t heap_in_use(void);

/* Calls to malloc + realloc through the services' allocator hooks, and
 * calls to malloc + calloc + realloc by the whole process (malloc_count.c:
 * also Mini-XML's and the bench's own). */
extern uint64_t g_hook_allocs;
extern uint64_t g_proc_allocs;
extern const muc_allocator counting_allocator;

/* What the timed regions cost, summed since the last reset: CPU time
 * (only to show whether a point was descheduled) and allocations. */
typedef struct tally {
  uint64_t wall_ns, cpu_ns, hook_allocs, proc_allocs;
} tally;
extern tally g_timed;
void tally_reset(void);

typedef struct mark {
  uint64_t wall, cpu, hook, proc;
} mark;
void timed_begin(mark *m);
/* Adds the region since |m| to g_timed; returns its wall-clock ns. */
uint64_t timed_end(const mark *m);

/* ------------------------------------------------------------------ */
/* Host                                                                */
/* ------------------------------------------------------------------ */

typedef struct host {
  uint64_t now_ms;
  unsigned tick; /* added to the clock at each read; 0 freezes it */
  /* totals since the last host_reset() */
  uint64_t stanzas, bytes, messages, presences, others, strays, malformed;
  /* deliveries per recipient, room-major: counts[(I - first) * users +
   * K - 1] for uI_K (userK: first = 0, I = 0), so that the five
   * recipients of a small room share one cache line */
  uint64_t *counts;
  size_t rooms, users, first;
  /* bytes-via-tree: reusable serialization buffer */
  char *save_buf;
  size_t save_cap;
} host;

/* "userK" of the one room (|room| 0), "uI_K" of room I (also the nick);
 * "bench" or "roomI" for the room.  The length written. */
int user_name(char *buf, size_t size, size_t room, size_t user);
int room_name(char *buf, size_t size, size_t room);

/* Recipients: |users| users of the one room "bench" (|rooms| 0), or
 * |users| users in each of |rooms| rooms "roomI". */
void host_init(host *h, size_t rooms, size_t users);
void host_free(host *h);
void host_reset(host *h);

/* Expect |total| deliveries (|msgs| messages, |pres| presences), and
 * per recipient userK (or uI_K): |a| + |b|*K. */
void check_counts(const host *h, const char *what, uint64_t total,
                  uint64_t msgs, uint64_t pres, uint64_t a, uint64_t b,
                  int variant);
/* Only the total, nothing stray or malformed (calibration runs). */
void check_total(const host *h, const char *what, uint64_t total);
/* The room (0: "bench") has |want| occupants. */
void check_occupants(muc_service *svc, const char *what, size_t room,
                     size_t want);

/* A service as the workloads want it: no locking unless |lock|, public,
 * no limit on rooms or occupants, the counting allocator. */
muc_service *service_new(host *h, int variant, int lock);

/* Cost of the host's own callbacks per delivery, ns. */
double callback_ns(int variant);

/* ------------------------------------------------------------------ */
/* Inputs and the timed runner                                         */
/* ------------------------------------------------------------------ */

enum input_kind { IN_JOIN, IN_AWAY, IN_LEAVE, IN_MESSAGE };

/* A sequence of inputs j = 1, 2, ...: |users| users of the one room
 * (|rooms| 0), or of each of |rooms| rooms.  Presences: user j (one
 * room), or room ((j-1) mod R)+1 from user ((j-1) div R)+1, so that
 * consecutive joins go to different rooms.  Messages: from user
 * ((j-1) mod users)+1 to room ((j-1) mod R)+1, body "hello world j". */
typedef struct seq {
  int kind; /* IN_* */
  size_t rooms, users;
} seq;

/* The text of input j of |s| into |buf|; its length. */
size_t seq_text(const seq *s, size_t j, char *buf, size_t size);
/* A parsed copy of |text| (the tree entry's input). */
mxml_node_t *tree_of_text(const char *text, size_t len);

/* Run inputs |first|..|first|+|count|-1 of |s| through |entry|: built in
 * chunks, each before its own timed region.  The summed wall ns of the
 * timed regions (also added to g_timed). */
uint64_t run_seq(muc_service *svc, const seq *s, size_t first, size_t count,
                 int entry, const char *what);

/* Messages 1..*m of |s| on |svc| through |entry|, timed and checked
 * (each reaches the |s->users| occupants of its room; *m is a multiple of
 * the rooms, so every recipient gets the same count).  On the first rep
 * (|grow|) *m is calibrated, or grown, until the run takes |seconds|; later
 * reps keep it.  The wall ns of the run (g_timed has the rest). */
uint64_t run_fanout(host *h, muc_service *svc, const seq *s, size_t *m,
                    int entry, int grow, double seconds, int variant,
                    const char *what);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

typedef struct point {
  int used;
  size_t nreps;
  uint64_t ns[MAX_REPS];
  uint64_t cpu_total, wall_total;          /* over the reps, for cpu% */
  double mem_a[MAX_REPS], mem_b[MAX_REPS]; /* memory points only */
  uint64_t ops, delivered, bytes;
  uint64_t hook_allocs, proc_allocs; /* over the ops of the last rep */
} point;

/* One rep of |ops| inputs that took |ns|, with g_timed's cpu and
 * allocations and |h|'s deliveries. */
void record(point *p, uint64_t ns, uint64_t ops, const host *h);
/* One rep of a memory point: two figures (e.g. hooks and heap). */
void record_mem(point *p, double a, double b);
double median_u64(const uint64_t *v, size_t n, double *lo, double *hi);
double median_dbl(const double *v, size_t n);
/* Median ns per op, per delivered stanza of |p|. */
double per_op_ns(const point *p);
double per_stanza_ns(const point *p);

void print_table_header(void);
/* One line of the targets: |what|, met or not, the value by |fmt|. */
void print_target(const char *what, int met, const char *fmt, double v);
void print_row(const char *wl, size_t n, const char *var, const point *p);

/* ------------------------------------------------------------------ */
/* The workloads                                                       */
/* ------------------------------------------------------------------ */

/* W1..W5 (rooms.c): run, then the table rows, W4, notes and targets. */
void rooms_run(const opts *o, uint64_t wall0);
void rooms_report_rows(const opts *o);
void rooms_report_memory(const opts *o);
void rooms_report_notes(const opts *o);
void rooms_report_targets(const opts *o);

/* W6 (w6.c): likewise. */
void w6_run(const opts *o, uint64_t wall0);
void w6_report_rows(const opts *o);
void w6_report_notes(const opts *o);
void w6_report_targets(const opts *o);

#endif
