/*
 * bench - replay the room workloads W1..W5 of /work/shared/bench/workloads.md
 * against libmuc through its public API only, and print one table.
 *
 * This is a benchmark program, not a test: it is a host, so it may use the
 * clock, stdio and mxml's per-thread setters (mxmlSetWrapMargin, for the
 * "bytes-via-tree" reference line).  Every input stanza is built before the
 * timed region; only the muc_service_handle_stanza() (or, for the XML-entry
 * line, muc_service_handle_xml()) calls are timed.  Every point's delivered
 * counts are checked against the workload's formulas, in total, per stanza
 * kind and per recipient; any difference or any muc_service_* call that
 * does not return MUC_OK stops the program with a non-zero status.
 *
 * Usage: bench [--n 10,100,1000] [--reps K] [--workloads W1,W2,W3,W4,W5]
 *              [--variants count,bytes] [--w2-seconds S] [--quick]
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE

#include <muc/muc_mxml.h>

#include <malloc.h>
#include <mxml.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Setup constants (workloads.md)                                      */
/* ------------------------------------------------------------------ */

#define DOMAIN "conference.localhost"
#define ROOM "bench@conference.localhost"
#define MUC_NS "http://jabber.org/protocol/muc"
#define CLOCK_BASE_MS UINT64_C(1700000000000)

/* W2 messages are built (and freed) in chunks of at most this many, so a
 * point with a large M does not hold millions of trees at once.  Each
 * chunk is built before its own timed region. */
#define W2_CHUNK 4096

#define MAX_N_VALUES 16
#define MAX_REPS 64

enum variant { V_COUNT, V_BYTES, V_TREE, V_MAX };
static const char *const variant_name[V_MAX] = {"count", "bytes",
                                                "bytes-via-tree"};

enum row { R_W1, R_W2, R_W2XML, R_W3, R_W5, R_W4, R_MAX };

enum wl_bit { WL_W1 = 1, WL_W2 = 2, WL_W3 = 4, WL_W4 = 8, WL_W5 = 16 };

/* ------------------------------------------------------------------ */
/* Failure                                                             */
/* ------------------------------------------------------------------ */

static void fail(const char *fmt, ...)
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

static void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    fail("out of memory (bench, %zu bytes)", n);
  return p;
}

static void *xcalloc(size_t count, size_t size)
{
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    fail("out of memory (bench, %zu x %zu bytes)", count, size);
  return p;
}

static uint64_t mono_ns(void)
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

/* CPU time of this thread spent inside the timed regions, summed; only
 * to show (as cpu%) whether a point was descheduled by other load. */
static uint64_t g_timed_cpu_ns;

/* ------------------------------------------------------------------ */
/* Host: per-recipient counters in an open-addressed table             */
/* ------------------------------------------------------------------ */

typedef struct slot {
  uint64_t hash;   /* 0 = empty */
  const char *key; /* "userK@localhost/r" */
  size_t user;     /* K */
  uint64_t count;
} slot;

typedef struct host {
  uint64_t now_ms;
  /* totals since the last host_reset() */
  uint64_t stanzas, bytes, messages, presences, others, strays, malformed;
  /* recipients userK@localhost/r, K = 1..n, inserted before timing */
  size_t n;
  slot *slots;
  size_t mask;
  char *keys;
  size_t key_stride;
  /* bytes-via-tree: reusable serialization buffer */
  char *save_buf;
  size_t save_cap;
} host;

static uint64_t hash_str(const char *s)
{
  uint64_t h = UINT64_C(1469598103934665603);
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(1099511628211);
  }
  return h ? h : 1;
}

static void host_init(host *h, size_t n)
{
  memset(h, 0, sizeof *h);
  h->now_ms = CLOCK_BASE_MS;
  h->n = n;
  size_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  h->slots = xcalloc(cap, sizeof *h->slots);
  h->mask = cap - 1;
  h->key_stride = 48;
  h->keys = xcalloc(n, h->key_stride);
  for (size_t k = 1; k <= n; k++) {
    char *key = h->keys + (k - 1) * h->key_stride;
    snprintf(key, h->key_stride, "user%zu@localhost/r", k);
    uint64_t hv = hash_str(key);
    size_t i = (size_t)hv & h->mask;
    while (h->slots[i].hash)
      i = (i + 1) & h->mask;
    h->slots[i].hash = hv;
    h->slots[i].key = key;
    h->slots[i].user = k;
  }
  h->save_cap = 4096;
  h->save_buf = xmalloc(h->save_cap);
}

static void host_free(host *h)
{
  free(h->slots);
  free(h->keys);
  free(h->save_buf);
  memset(h, 0, sizeof *h);
}

static void host_reset(host *h)
{
  h->stanzas = h->bytes = h->messages = h->presences = 0;
  h->others = h->strays = h->malformed = 0;
  for (size_t i = 0; i <= h->mask; i++)
    h->slots[i].count = 0;
}

/* Count one delivery to |to|; no allocation. */
static inline void host_count(host *h, const char *to, char kind)
{
  h->stanzas++;
  if (kind == 'm')
    h->messages++;
  else if (kind == 'p')
    h->presences++;
  else
    h->others++;
  if (!to) {
    h->strays++;
    return;
  }
  uint64_t hv = hash_str(to);
  size_t i = (size_t)hv & h->mask;
  for (;;) {
    slot *s = &h->slots[i];
    if (!s->hash) {
      h->strays++;
      return;
    }
    if (s->hash == hv && strcmp(s->key, to) == 0) {
      s->count++;
      return;
    }
    i = (i + 1) & h->mask;
  }
}

/* count: tree form, only counting. */
static int cb_count(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *st = (mxml_node_t *)(uintptr_t)stanza; /* read-only use */
  const char *name = mxmlGetElement(st);
  host_count(h, mxmlElementGetAttr(st, "to"), name ? name[0] : 0);
  return 0;
}

/* bytes: the library hands the serialized text. */
static int cb_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  host *h = ud;
  if (len < 4 || xml[0] != '<' || xml[len - 1] != '>')
    h->malformed++;
  h->bytes += len;
  host_count(h, to, len > 1 ? xml[1] : 0);
  return 0;
}

/* bytes-via-tree: the host serializes each borrowed tree itself. */
static int cb_tree(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *st = (mxml_node_t *)(uintptr_t)stanza; /* read-only use */
  int r = mxmlSaveString(st, h->save_buf, (int)h->save_cap, MXML_NO_CALLBACK);
  if (r >= 0 && (size_t)r >= h->save_cap) { /* rare: grow, then redo */
    free(h->save_buf);
    h->save_cap = (size_t)r + 4096;
    h->save_buf = xmalloc(h->save_cap);
    r = mxmlSaveString(st, h->save_buf, (int)h->save_cap, MXML_NO_CALLBACK);
  }
  if (r < 4) {
    h->malformed++;
    r = 0;
  }
  size_t len = (size_t)r;
  if (len && h->save_buf[len - 1] == '\n')
    len--; /* mxml appends a newline; the library's text has none */
  if (len < 4 || h->save_buf[0] != '<' || h->save_buf[len - 1] != '>')
    h->malformed++;
  h->bytes += len;
  const char *name = mxmlGetElement(st);
  host_count(h, mxmlElementGetAttr(st, "to"), name ? name[0] : 0);
  return 0;
}

static uint64_t cb_now(void *ud)
{
  host *h = ud;
  return h->now_ms++;
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

/* Expect |total| deliveries (|msgs| messages, |pres| presences), and
 * per recipient userK: |a| + |b|*K. */
static void check_counts(const host *h, const char *what, uint64_t total,
                         uint64_t msgs, uint64_t pres, uint64_t a, uint64_t b,
                         int variant)
{
  if (h->stanzas != total)
    fail("%s: delivered %llu stanzas, expected %llu", what,
         (unsigned long long)h->stanzas, (unsigned long long)total);
  if (h->messages != msgs || h->presences != pres || h->others != 0)
    fail("%s: delivered %llu messages / %llu presences / %llu others, "
         "expected %llu / %llu / 0",
         what, (unsigned long long)h->messages,
         (unsigned long long)h->presences, (unsigned long long)h->others,
         (unsigned long long)msgs, (unsigned long long)pres);
  if (h->strays)
    fail("%s: %llu stanzas delivered to an address that is not one of the "
         "N users",
         what, (unsigned long long)h->strays);
  if (h->malformed)
    fail("%s: %llu serialized stanzas do not look like <...>", what,
         (unsigned long long)h->malformed);
  if (variant != V_COUNT && h->bytes == 0 && total)
    fail("%s: no bytes delivered", what);
  for (size_t i = 0; i <= h->mask; i++) {
    const slot *s = &h->slots[i];
    if (!s->hash)
      continue;
    uint64_t want = a + b * (uint64_t)s->user;
    if (s->count != want)
      fail("%s: %s got %llu stanzas, expected %llu", what, s->key,
           (unsigned long long)s->count, (unsigned long long)want);
  }
}

static void check_occupants(muc_service *svc, const char *what, size_t want)
{
  muc_room *r = muc_service_find_room(svc, ROOM);
  size_t have = r ? muc_room_get_occupant_count(r) : 0;
  if (have != want)
    fail("%s: room has %zu occupants (%s), expected %zu", what, have,
         r ? "present" : "room absent", want);
}

/* ------------------------------------------------------------------ */
/* Service and inputs                                                  */
/* ------------------------------------------------------------------ */

static muc_service *service_new(host *h, int variant)
{
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.send_bytes = cb_bytes;
  cb.now = cb_now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  cfg.room_public = 1;
  cfg.max_occupants_per_room = 0; /* the workloads go to 10,000 */
  cfg.max_rooms = 0;
  muc_service *svc = NULL;
  int rc;
  switch (variant) {
  case V_COUNT:
    rc = muc_service_new_tree(&svc, DOMAIN, cb_count, &cb, &cfg, NULL, h);
    break;
  case V_BYTES:
    rc = muc_service_new(&svc, DOMAIN, &cb, &cfg, NULL, h);
    break;
  default:
    rc = muc_service_new_tree(&svc, DOMAIN, cb_tree, &cb, &cfg, NULL, h);
    break;
  }
  if (rc != MUC_OK || !svc)
    fail("muc_service_new: %d (%s)", rc, muc_strerror(rc));
  return svc;
}

enum input_kind { IN_JOIN, IN_AWAY, IN_LEAVE, IN_MESSAGE };

/* The text of one input stanza into |buf|; returns its length. */
static size_t input_text(char *buf, size_t size, int kind, size_t k, size_t j)
{
  int r = 0;
  switch (kind) {
  case IN_JOIN:
    r = snprintf(buf, size,
                 "<presence from='user%zu@localhost/r' "
                 "to='" ROOM "/user%zu'><x xmlns='" MUC_NS "'/></presence>",
                 k, k);
    break;
  case IN_AWAY:
    r = snprintf(buf, size,
                 "<presence from='user%zu@localhost/r' "
                 "to='" ROOM "/user%zu'><show>away</show></presence>",
                 k, k);
    break;
  case IN_LEAVE:
    r = snprintf(buf, size,
                 "<presence from='user%zu@localhost/r' "
                 "to='" ROOM "/user%zu' type='unavailable'/>",
                 k, k);
    break;
  default:
    r = snprintf(buf, size,
                 "<message from='user%zu@localhost/r' to='" ROOM "' "
                 "type='groupchat'><body>hello world %zu</body></message>",
                 k, j);
    break;
  }
  if (r < 0 || (size_t)r >= size)
    fail("input_text: buffer too small");
  return (size_t)r;
}

static mxml_node_t *input_tree(int kind, size_t k, size_t j)
{
  char buf[512];
  input_text(buf, sizeof buf, kind, k, j);
  mxml_node_t *t = mxmlLoadString(NULL, buf, MXML_OPAQUE_CALLBACK);
  if (!t)
    fail("mxmlLoadString failed on: %s", buf);
  return t;
}

/* Trees for K = 1..n of |kind|. */
static mxml_node_t **build_users(int kind, size_t n)
{
  mxml_node_t **v = xmalloc(n * sizeof *v);
  for (size_t k = 1; k <= n; k++)
    v[k - 1] = input_tree(kind, k, 0);
  return v;
}

static void free_trees(mxml_node_t **v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    mxmlDelete(v[i]);
  free(v);
}

/* Time muc_service_handle_stanza over v[from..to). */
static uint64_t run_trees(muc_service *svc, mxml_node_t **v, size_t from,
                          size_t to, const char *what)
{
  size_t bad = (size_t)-1;
  int bad_rc = MUC_OK;
  uint64_t c0 = cpu_ns();
  uint64_t t0 = mono_ns();
  for (size_t i = from; i < to; i++) {
    int rc = muc_service_handle_stanza(svc, v[i]);
    if (rc != MUC_OK) {
      bad = i;
      bad_rc = rc;
      break;
    }
  }
  uint64_t t1 = mono_ns();
  g_timed_cpu_ns += cpu_ns() - c0;
  if (bad != (size_t)-1)
    fail("%s: muc_service_handle_stanza on input %zu returned %d (%s)", what,
         bad + 1, bad_rc, muc_strerror(bad_rc));
  return t1 - t0;
}

/* Time all n inputs; for a large n, in ten slices with progress between
 * them (the printing is outside the timed slices). */
static uint64_t run_users(muc_service *svc, mxml_node_t **v, size_t n,
                          const char *what)
{
  if (n < 3000)
    return run_trees(svc, v, 0, n, what);
  uint64_t ns = 0;
  uint64_t wall0 = mono_ns();
  for (size_t s = 0; s < 10; s++) {
    size_t a = n * s / 10, b = n * (s + 1) / 10;
    ns += run_trees(svc, v, a, b, what);
    fprintf(stderr, "    %s: %zu/%zu done, %.1f s\n", what, b, n,
            (double)(mono_ns() - wall0) / 1e9);
  }
  return ns;
}

/* W2: messages j = 1..m from user ((j-1) mod n)+1, built and run in
 * chunks; tree entry (handle_stanza) or text entry (handle_xml). */
static uint64_t run_w2(muc_service *svc, size_t n, size_t m, int xml_entry,
                       const char *what)
{
  uint64_t ns = 0;
  size_t chunk = m < W2_CHUNK ? m : W2_CHUNK;
  mxml_node_t **trees = NULL;
  char *text = NULL;
  size_t *off = NULL, *len = NULL;
  if (xml_entry) {
    text = xmalloc(chunk * 160);
    off = xmalloc(chunk * sizeof *off);
    len = xmalloc(chunk * sizeof *len);
  } else {
    trees = xmalloc(chunk * sizeof *trees);
  }
  for (size_t j0 = 1; j0 <= m; j0 += chunk) {
    size_t c = m - j0 + 1 < chunk ? m - j0 + 1 : chunk;
    size_t pos = 0;
    for (size_t i = 0; i < c; i++) {
      size_t j = j0 + i, s = (j - 1) % n + 1;
      if (xml_entry) {
        off[i] = pos;
        len[i] = input_text(text + pos, 160, IN_MESSAGE, s, j);
        pos += len[i];
      } else {
        trees[i] = input_tree(IN_MESSAGE, s, j);
      }
    }
    size_t bad = (size_t)-1;
    int bad_rc = MUC_OK;
    uint64_t c0 = cpu_ns();
    uint64_t t0 = mono_ns();
    if (xml_entry) {
      for (size_t i = 0; i < c; i++) {
        int rc = muc_service_handle_xml(svc, text + off[i], len[i]);
        if (rc != MUC_OK) {
          bad = i;
          bad_rc = rc;
          break;
        }
      }
    } else {
      for (size_t i = 0; i < c; i++) {
        int rc = muc_service_handle_stanza(svc, trees[i]);
        if (rc != MUC_OK) {
          bad = i;
          bad_rc = rc;
          break;
        }
      }
    }
    ns += mono_ns() - t0;
    g_timed_cpu_ns += cpu_ns() - c0;
    if (bad != (size_t)-1)
      fail("%s: muc_service_handle_%s on message %zu returned %d (%s)", what,
           xml_entry ? "xml" : "stanza", j0 + bad, bad_rc,
           muc_strerror(bad_rc));
    if (!xml_entry)
      for (size_t i = 0; i < c; i++)
        mxmlDelete(trees[i]);
  }
  free(trees);
  free(text);
  free(off);
  free(len);
  return ns;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

typedef struct point {
  int used;
  size_t nreps;
  uint64_t ns[MAX_REPS];
  uint64_t cpu_total, wall_total;        /* over the reps, for cpu% */
  double hook[MAX_REPS], heap[MAX_REPS]; /* W4 only */
  uint64_t ops, delivered, bytes;
} point;

typedef struct bench {
  size_t nv[MAX_N_VALUES];
  size_t nn;
  size_t reps;
  unsigned workloads;
  int variants[V_MAX]; /* count, bytes selected */
  double w2_seconds;
  point pts[R_MAX][MAX_N_VALUES][V_MAX];
  size_t w2_m[MAX_N_VALUES][V_MAX];
} bench;

/* |cpu| is the CPU time of the timed regions that gave |ns|. */
static void record(point *p, uint64_t ns, uint64_t cpu, uint64_t ops,
                   const host *h)
{
  p->cpu_total += cpu;
  p->wall_total += ns;
  if (p->nreps && (p->delivered != h->stanzas || p->ops != ops))
    fail("repetitions differ: %llu vs %llu stanzas",
         (unsigned long long)p->delivered, (unsigned long long)h->stanzas);
  p->used = 1;
  p->ns[p->nreps++] = ns;
  p->ops = ops;
  p->delivered = h->stanzas;
  p->bytes = h->bytes; /* may differ by a few bytes between reps (ids) */
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

static double median_u64(const uint64_t *v, size_t n, double *lo, double *hi)
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

static double median_dbl(const double *v, size_t n)
{
  double t[MAX_REPS];
  memcpy(t, v, n * sizeof *t);
  qsort(t, n, sizeof *t, cmp_dbl);
  return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static size_t heap_in_use(void)
{
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd; /* arena chunks in use + mmapped blocks */
}

/* ------------------------------------------------------------------ */
/* One repetition of one N and one variant                             */
/* ------------------------------------------------------------------ */

static double since(uint64_t wall0)
{
  return (double)(mono_ns() - wall0) / 1e9;
}

/* Build the room of n by W1 on a fresh service: timed into |ns| if not
 * NULL.  The caller has built |joins|. */
static void do_w1(host *h, muc_service *svc, mxml_node_t **joins, size_t n,
                  const char *what, uint64_t *ns)
{
  host_reset(h);
  uint64_t t = run_users(svc, joins, n, what);
  if (ns)
    *ns = t;
  uint64_t nn = (uint64_t)n;
  check_counts(h, what, nn * nn + nn, nn, nn * nn, nn + 1, 0, V_COUNT);
  check_occupants(svc, what, n);
}

/* W2 calibration on the room: how many messages make |seconds|. */
static size_t calibrate_w2(host *h, muc_service *svc, size_t n, double seconds,
                           const char *what)
{
  uint64_t ns = 0, total = 0;
  size_t c = 1;
  host_reset(h);
  while (ns < (uint64_t)(seconds * 1e9 / 5) && total < 100000000) {
    ns += run_w2(svc, n, c, 0, what);
    total += c;
    c *= 2;
  }
  check_counts(h, what, total * n, total * n, 0, total, 0, V_COUNT);
  double per = (double)ns / (double)total;
  double m = seconds * 1.25 * 1e9 / (per > 1 ? per : 1);
  if (m < 3)
    m = 3;
  if (m > 50000000)
    m = 50000000;
  return (size_t)m;
}

/* A timed workload |kind| of N presences on a room of N built by an
 * untimed W1: |total| presences delivered, per user |a| + |b|*K, and
 * |left| occupants after it. */
static void on_built_room(bench *b, size_t ni, int variant, size_t rep, host *h,
                          int row, const char *name, enum input_kind kind,
                          uint64_t total, uint64_t a, uint64_t bk, size_t left)
{
  size_t n = b->nv[ni];
  char what[128];
  mxml_node_t **joins = build_users(IN_JOIN, n);
  mxml_node_t **input = build_users(kind, n);
  muc_service *svc = service_new(h, variant);
  snprintf(what, sizeof what, "%s N=%zu %s rep %zu: building the room", name, n,
           variant_name[variant], rep + 1);
  do_w1(h, svc, joins, n, what, NULL);
  snprintf(what, sizeof what, "%s N=%zu %s rep %zu", name, n,
           variant_name[variant], rep + 1);
  host_reset(h);
  uint64_t w0 = mono_ns();
  g_timed_cpu_ns = 0;
  uint64_t ns = run_users(svc, input, n, what);
  uint64_t cpu = g_timed_cpu_ns;
  check_counts(h, what, total, 0, total, a, bk, variant);
  check_occupants(svc, what, left);
  record(&b->pts[row][ni][variant], ns, cpu, (uint64_t)n, h);
  fprintf(stderr, "  %s: %.1f ms (wall %.1f s)\n", what, (double)ns / 1e6,
          since(w0));
  muc_service_free(svc);
  free_trees(joins, n);
  free_trees(input, n);
}

static void one_rep(bench *b, size_t ni, int variant, size_t rep)
{
  size_t n = b->nv[ni];
  uint64_t nn = (uint64_t)n;
  unsigned wl = b->workloads;
  char what[128];
  host h;
  host_init(&h, n);

  /* Service A: W1 (timed), W4, then W2 and the XML entry on that room. */
  int want_a = (wl & (WL_W1 | WL_W2 | WL_W4)) != 0;
  if (variant == V_TREE)
    want_a = 1; /* only used for W2 */
  if (want_a) {
    mxml_node_t **joins = build_users(IN_JOIN, n);
    snprintf(what, sizeof what, "W1 N=%zu %s rep %zu", n, variant_name[variant],
             rep + 1);
    size_t heap0 = heap_in_use();
    muc_service *svc = service_new(&h, variant);
    uint64_t ns = 0;
    uint64_t w0 = mono_ns();
    g_timed_cpu_ns = 0;
    do_w1(&h, svc, joins, n, what, &ns);
    uint64_t cpu = g_timed_cpu_ns;
    size_t heap1 = heap_in_use();
    size_t hook = muc_service_get_memory_usage(svc);
    if ((wl & WL_W1) && variant != V_TREE) {
      record(&b->pts[R_W1][ni][variant], ns, cpu, nn, &h);
      fprintf(stderr, "  %s: %.1f ms (wall %.1f s)\n", what, (double)ns / 1e6,
              since(w0));
    }
    if ((wl & WL_W4) && variant != V_TREE) {
      point *p = &b->pts[R_W4][ni][variant];
      p->used = 1;
      p->hook[p->nreps] = (double)hook / (double)n;
      p->heap[p->nreps] = ((double)heap1 - (double)heap0) / (double)n;
      p->nreps++;
    }
    free_trees(joins, n);

    if (wl & WL_W2) {
      size_t *m = &b->w2_m[ni][variant];
      if (!*m) {
        snprintf(what, sizeof what, "W2 N=%zu %s calibration", n,
                 variant_name[variant]);
        *m = calibrate_w2(&h, svc, n, b->w2_seconds, what);
        fprintf(stderr, "  %s: M = %zu\n", what, *m);
      }
      uint64_t mm;
      for (;;) {
        mm = (uint64_t)*m;
        snprintf(what, sizeof what, "W2 N=%zu %s rep %zu (M=%zu)", n,
                 variant_name[variant], rep + 1, *m);
        host_reset(&h);
        w0 = mono_ns();
        g_timed_cpu_ns = 0;
        ns = run_w2(svc, n, *m, 0, what);
        cpu = g_timed_cpu_ns;
        check_counts(&h, what, mm * nn, mm * nn, 0, mm, 0, variant);
        /* The first rep fixes M for good: if the calibration was too
         * optimistic (noise), grow M and run it again, so that the point
         * takes at least w2_seconds. */
        if (rep > 0 || (double)ns >= b->w2_seconds * 1e9)
          break;
        double f = b->w2_seconds * 1.25e9 / (double)(ns ? ns : 1);
        *m = (size_t)((double)*m * f) + 1;
        fprintf(stderr, "  %s: %.1f ms < %.1f s, again with M = %zu\n", what,
                (double)ns / 1e6, b->w2_seconds, *m);
      }
      record(&b->pts[R_W2][ni][variant], ns, cpu, mm, &h);
      fprintf(stderr, "  %s: %.1f ms (wall %.1f s)\n", what, (double)ns / 1e6,
              since(w0));

      if ((n == 100 || n == 1000) && variant != V_TREE) {
        snprintf(what, sizeof what, "W2-xml N=%zu %s rep %zu (M=%zu)", n,
                 variant_name[variant], rep + 1, *m);
        host_reset(&h);
        w0 = mono_ns();
        g_timed_cpu_ns = 0;
        ns = run_w2(svc, n, *m, 1, what);
        cpu = g_timed_cpu_ns;
        check_counts(&h, what, mm * nn, mm * nn, 0, mm, 0, variant);
        record(&b->pts[R_W2XML][ni][variant], ns, cpu, mm, &h);
        fprintf(stderr, "  %s: %.1f ms (wall %.1f s)\n", what, (double)ns / 1e6,
                since(w0));
      }
    }
    muc_service_free(svc);
  }
  if (variant == V_TREE) {
    host_free(&h);
    return;
  }

  /* Service B: W3, service C: W5, each on a room built by an untimed W1.
   * W3: every update reaches all N (N presences per user).  W5: user K
   * leaves while users K..N are present and hears every leave of users
   * 1..K: K stanzas. */
  if (wl & WL_W3)
    on_built_room(b, ni, variant, rep, &h, R_W3, "W3", IN_AWAY, nn * nn, nn, 0,
                  n);
  if (wl & WL_W5)
    on_built_room(b, ni, variant, rep, &h, R_W5, "W5", IN_LEAVE,
                  nn * (nn + 1) / 2, 0, 1, 0);
  host_free(&h);
}

/* ------------------------------------------------------------------ */
/* Host callback cost (reported so that it can be subtracted)          */
/* ------------------------------------------------------------------ */

static double callback_ns(int variant)
{
  host h;
  host_init(&h, 1000);
  const size_t iters = 1000000;
  char text[512];
  size_t len = input_text(text, sizeof text, IN_AWAY, 500, 0);
  /* a delivered-like stanza: 'to' is a recipient */
  mxml_node_t *t = input_tree(IN_AWAY, 500, 0);
  mxmlElementSetAttr(t, "to", "user500@localhost/r");
  int (*volatile send)(const mxml_node_t *, void *) = cb_count;
  int (*volatile send_bytes)(const char *, const char *, size_t, void *) =
      cb_bytes;
  uint64_t t0 = mono_ns();
  for (size_t i = 0; i < iters; i++) {
    if (variant == V_COUNT)
      send(t, &h);
    else
      send_bytes("user500@localhost/r", text, len, &h);
  }
  uint64_t ns = mono_ns() - t0;
  if (h.stanzas != iters || h.strays)
    fail("callback self-test: counted %llu (strays %llu) of %zu",
         (unsigned long long)h.stanzas, (unsigned long long)h.strays, iters);
  mxmlDelete(t);
  host_free(&h);
  return (double)ns / (double)iters;
}

/* ------------------------------------------------------------------ */
/* Report                                                              */
/* ------------------------------------------------------------------ */

static void print_row(const char *wl, size_t n, const char *var, const point *p)
{
  double lo, hi;
  double med = median_u64(p->ns, p->nreps, &lo, &hi);
  char bytes[32] = "-";
  if (p->bytes && p->delivered)
    snprintf(bytes, sizeof bytes, "%.1f",
             (double)p->bytes / (double)p->delivered);
  printf("%-14s %6zu  %-14s %4zu %9llu %11.1f %11.2f %9.3f %12llu %8s %6.1f%% "
         "%4.0f%%\n",
         wl, n, var, p->nreps, (unsigned long long)p->ops, med / 1e6,
         med / 1e3 / (double)p->ops, med / 1e3 / (double)p->delivered,
         (unsigned long long)p->delivered, bytes,
         med > 0 ? 100.0 * (hi - lo) / med : 0.0,
         p->wall_total ? 100.0 * (double)p->cpu_total / (double)p->wall_total
                       : 0.0);
}

static void report(bench *b)
{
  static const char *const rname[R_MAX] = {"W1 join",      "W2 fan-out",
                                           "W2 xml-entry", "W3 presence",
                                           "W5 leave",     "W4 memory"};
  static const int order[] = {R_W1, R_W2, R_W2XML, R_W3, R_W5};
  printf("\nlibmuc %s rooms benchmark: median of reps; total = timed "
         "handle calls only\n\n",
         muc_version());
  printf("%-14s %6s  %-14s %4s %9s %11s %11s %9s %12s %8s %7s %5s\n",
         "workload", "N", "variant", "reps", "ops", "total(ms)", "us/op",
         "us/stanza", "delivered", "B/stanza", "spread", "cpu");
  printf("%.*s\n", 124,
         "-------------------------------------------------------------------"
         "-------------------------------------------------------------------");
  for (size_t oi = 0; oi < sizeof order / sizeof order[0]; oi++) {
    int r = order[oi];
    for (size_t ni = 0; ni < b->nn; ni++)
      for (int v = 0; v < V_MAX; v++) {
        const point *p = &b->pts[r][ni][v];
        if (p->used)
          print_row(rname[r], b->nv[ni], variant_name[v], p);
      }
  }
  for (size_t ni = 0; ni < b->nn; ni++)
    for (int v = 0; v < V_MAX; v++) {
      const point *p = &b->pts[R_W4][ni][v];
      if (!p->used)
        continue;
      printf("%-14s %6zu  %-14s %4zu   allocator hooks %.0f B/occupant, "
             "process heap (mallinfo2) %.0f B/occupant\n",
             rname[R_W4], b->nv[ni], variant_name[v], p->nreps,
             median_dbl(p->hook, p->nreps), median_dbl(p->heap, p->nreps));
    }
  printf("\n");
  int have10k = 0;
  for (size_t ni = 0; ni < b->nn; ni++) {
    const point *p = &b->pts[R_W2][ni][V_BYTES];
    if (b->nv[ni] == 10000 && p->used) {
      double med = median_u64(p->ns, p->nreps, NULL, NULL);
      printf("one groupchat message into a 10,000-occupant room, all copies "
             "serialized (bytes variant): %.2f ms per message\n",
             med / 1e6 / (double)p->ops);
      have10k = 1;
    }
  }
  if (!have10k)
    printf("one groupchat message into a 10,000-occupant room, all copies "
           "serialized (bytes variant): not measured (needs N=10000, W2, "
           "bytes)\n");
  for (size_t ni = 0; ni < b->nn; ni++)
    for (int v = 0; v < V_MAX; v++) {
      const point *px = &b->pts[R_W2XML][ni][v];
      const point *pt = &b->pts[R_W2][ni][v];
      if (px->used && pt->used) {
        double x = median_u64(px->ns, px->nreps, NULL, NULL) / (double)px->ops;
        double t = median_u64(pt->ns, pt->nreps, NULL, NULL) / (double)pt->ops;
        printf("W2 XML-text entry, N=%zu %s: %.2f us per input stanza "
               "(parse+handle); tree entry %.2f us (difference %+.2f us, "
               "noise-limited when N is large)\n",
               b->nv[ni], variant_name[v], x / 1e3, t / 1e3, (x - t) / 1e3);
      }
    }
  printf("host callback cost included above (bench's own counting, per "
         "delivered stanza): count %.0f ns, bytes %.0f ns\n",
         callback_ns(V_COUNT), callback_ns(V_BYTES));
  printf("spread = (max - min) / median over the reps; cpu = thread CPU "
         "time / wall time in the timed regions (below ~95%%: other load "
         "took the CPU)\n");
  printf("bytes-via-tree = only send set, the host serializes each tree "
         "with mxmlSaveString (wrap margin 0)\n");
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
  fprintf(f,
          "usage: bench [--n 10,100,1000,3000,10000] [--reps K]\n"
          "             [--workloads W1,W2,W3,W4,W5] [--variants count,bytes]\n"
          "             [--w2-seconds S] [--quick]\n"
          "  --quick   N up to 1000 and 1 rep (smoke run)\n"
          "  default   the full matrix, 3 reps\n");
}

static const char *optarg_of(int argc, char **argv, int *i)
{
  if (*i + 1 >= argc) {
    usage(stderr);
    fail("option %s needs a value", argv[*i]);
  }
  return argv[++*i];
}

static void parse_args(bench *b, int argc, char **argv)
{
  static const size_t all_n[] = {10, 100, 1000, 3000, 10000};
  int quick = 0, have_n = 0, have_reps = 0;
  b->reps = 3;
  b->workloads = WL_W1 | WL_W2 | WL_W3 | WL_W4 | WL_W5;
  b->variants[V_COUNT] = b->variants[V_BYTES] = 1;
  b->w2_seconds = 1.0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--quick") == 0) {
      quick = 1;
    } else if (strcmp(a, "--n") == 0) {
      char *s = strdup(optarg_of(argc, argv, &i)), *save = NULL;
      b->nn = 0;
      for (char *t = strtok_r(s, ",", &save); t;
           t = strtok_r(NULL, ",", &save)) {
        char *end;
        unsigned long v = strtoul(t, &end, 10);
        if (*end || v == 0 || v > 1000000 || b->nn >= MAX_N_VALUES)
          fail("bad --n value '%s'", t);
        b->nv[b->nn++] = (size_t)v;
      }
      free(s);
      have_n = 1;
    } else if (strcmp(a, "--reps") == 0) {
      long v = strtol(optarg_of(argc, argv, &i), NULL, 10);
      if (v < 1 || v > MAX_REPS)
        fail("--reps must be 1..%d", MAX_REPS);
      b->reps = (size_t)v;
      have_reps = 1;
    } else if (strcmp(a, "--w2-seconds") == 0) {
      b->w2_seconds = strtod(optarg_of(argc, argv, &i), NULL);
      if (!(b->w2_seconds > 0))
        fail("bad --w2-seconds");
    } else if (strcmp(a, "--workloads") == 0) {
      char *s = strdup(optarg_of(argc, argv, &i)), *save = NULL;
      b->workloads = 0;
      for (char *t = strtok_r(s, ",", &save); t;
           t = strtok_r(NULL, ",", &save)) {
        if ((t[0] == 'W' || t[0] == 'w') && t[1] >= '1' && t[1] <= '5' && !t[2])
          b->workloads |= 1u << (t[1] - '1');
        else
          fail("bad workload '%s' (W1..W5)", t);
      }
      free(s);
    } else if (strcmp(a, "--variants") == 0) {
      char *s = strdup(optarg_of(argc, argv, &i)), *save = NULL;
      b->variants[V_COUNT] = b->variants[V_BYTES] = 0;
      for (char *t = strtok_r(s, ",", &save); t;
           t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "count") == 0)
          b->variants[V_COUNT] = 1;
        else if (strcmp(t, "bytes") == 0)
          b->variants[V_BYTES] = 1;
        else
          fail("bad variant '%s' (count, bytes)", t);
      }
      free(s);
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    } else {
      usage(stderr);
      fail("unknown option '%s'", a);
    }
  }
  if (!have_n) {
    for (size_t k = 0; k < sizeof all_n / sizeof all_n[0]; k++)
      if (!quick || all_n[k] <= 1000)
        b->nv[b->nn++] = all_n[k];
  }
  if (quick && !have_reps)
    b->reps = 1;
  if (!b->workloads)
    fail("no workload selected");
}

int main(int argc, char **argv)
{
  static bench b; /* large: keep it off the stack */
  parse_args(&b, argc, argv);
  /* The host's own thread setting, for the bytes-via-tree line. */
  mxmlSetWrapMargin(0);

  fprintf(stderr, "libmuc %s bench: N =", muc_version());
  for (size_t ni = 0; ni < b.nn; ni++)
    fprintf(stderr, " %zu", b.nv[ni]);
  fprintf(stderr, ", %zu rep(s)\n", b.reps);

  uint64_t wall0 = mono_ns();
  for (size_t ni = 0; ni < b.nn; ni++)
    for (size_t rep = 0; rep < b.reps; rep++) {
      fprintf(stderr, "N=%zu rep %zu/%zu (%.1f s so far)\n", b.nv[ni], rep + 1,
              b.reps, since(wall0));
      /* variants interleaved within a rep, so drift hits both alike */
      for (int v = 0; v < V_MAX; v++) {
        if (v == V_TREE) {
          if (b.nv[ni] != 1000 || !(b.workloads & WL_W2) ||
              !b.variants[V_BYTES])
            continue;
        } else if (!b.variants[v]) {
          continue;
        }
        one_rep(&b, ni, v, rep);
      }
    }
  fprintf(stderr, "done in %.1f s; all delivered counts match\n", since(wall0));
  report(&b);
  return 0;
}
