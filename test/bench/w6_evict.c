/*
 * w6_evict.c - W6 (workloads.md: R rooms "roomI" of 5 users) with
 * hibernation: each room is created by its first user, named "Room number
 * I" (a typical name), joined by the 5 users, left empty; then all R are
 * evicted (hibernate_idle_ms) and stay listed (public).  The host keeps
 * the records in a hash table in memory and answers load_room from inside
 * the callback (synchronous storage).  Printed: library bytes (the
 * allocator hooks' count, muc_service_get_memory_usage) per evicted room
 * over a fresh service's; the cost of evicting a room (handle_timeout);
 * the cost of the stanza that brings a room back (a disco#info to the
 * room, and a join), against the same stanza to a room in memory; the
 * same with max_rooms reached, where bringing one back evicts another;
 * the room list (disco#items) over R stored rooms.  Not a test: it prints
 * figures.
 *
 * Usage: bench_w6_evict [R]   (default 100000)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOMAIN "conference.localhost"
#define USERS 5
#define IDLE_MS 60000u
#define BUCKETS (1u << 18)

typedef struct record {
  struct record *next;
  char *jid, *data;
  size_t len;
} record;

typedef struct host {
  muc_service *svc;
  uint64_t now;
  record *bucket[BUCKETS];
  size_t stores, loads, sent;
} host;

static void die(const char *what, int rc)
{
  fprintf(stderr, "bench_w6_evict: %s: %s\n", what, muc_strerror(rc));
  exit(1);
}

static void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    die("malloc", MUC_ERR_NOMEM);
  return p;
}

static uint32_t hash(const char *s)
{
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 16777619u;
  return h & (BUCKETS - 1);
}

static record **find(host *h, const char *jid)
{
  record **r = &h->bucket[hash(jid)];
  while (*r && strcmp((*r)->jid, jid) != 0)
    r = &(*r)->next;
  return r;
}

static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len;
  ((host *)ud)->sent++;
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ((host *)ud)->now;
}

static int on_store(const char *jid, const char *data, size_t len, void *ud)
{
  host *h = ud;
  h->stores++;
  record **r = find(h, jid);
  if (!data) {
    if (*r) {
      record *gone = *r;
      *r = gone->next;
      free(gone->jid);
      free(gone->data);
      free(gone);
    }
    return 0;
  }
  if (!*r) {
    *r = xmalloc(sizeof(**r));
    (*r)->next = NULL;
    (*r)->jid = strdup(jid);
    (*r)->data = NULL;
  }
  free((*r)->data);
  (*r)->data = xmalloc(len);
  memcpy((*r)->data, data, len);
  (*r)->len = len;
  return 0;
}

static int on_load(const char *jid, void *ud)
{
  host *h = ud;
  h->loads++;
  record *r = *find(h, jid);
  int rc =
      muc_service_room_loaded(h->svc, jid, r ? r->data : NULL, r ? r->len : 0);
  return rc == MUC_OK ? 0 : -1;
}

static void xml(host *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void xml(host *h, const char *fmt, ...)
{
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  int rc = muc_service_handle_xml(h->svc, buf, (size_t)n);
  if (rc != MUC_OK)
    die(buf, rc);
}

static void start(host *h, size_t max_rooms)
{
  memset(h, 0, sizeof(*h));
  h->now = 1700000000000ull;
  muc_callbacks cb = {0};
  cb.send_bytes = on_send;
  cb.now = on_now;
  cb.store_room = on_store;
  cb.load_room = on_load;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  cfg.room_persistent = 1;
  cfg.room_public = 1;
  cfg.max_rooms = (uint32_t)max_rooms;
  cfg.max_rooms_per_creator = 0;
  cfg.hibernate_idle_ms = IDLE_MS;
  int rc = muc_service_new(&h->svc, DOMAIN, &cb, &cfg, NULL, h);
  if (rc != MUC_OK)
    die("muc_service_new", rc);
}

static void stop(host *h)
{
  muc_service_free(h->svc);
  for (size_t i = 0; i < BUCKETS; i++)
    for (record *r = h->bucket[i], *n; r; r = n) {
      n = r->next;
      free(r->jid);
      free(r->data);
      free(r);
    }
}

static void join(host *h, size_t room, size_t user)
{
  xml(h,
      "<presence from='u%zu_%zu@localhost/r' to='room%zu@" DOMAIN
      "/u%zu_%zu'><x xmlns='http://jabber.org/protocol/muc'/></presence>",
      room, user, room, room, user);
}

static void leave(host *h, size_t room, size_t user)
{
  xml(h,
      "<presence from='u%zu_%zu@localhost/r' to='room%zu@" DOMAIN
      "/u%zu_%zu' type='unavailable'/>",
      room, user, room, room, user);
}

static void disco(host *h, size_t room)
{
  xml(h,
      "<iq from='x@localhost/x' to='room%zu@" DOMAIN "' id='d' type='get'>"
      "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
      room);
}

/* The R rooms of W6, named, left empty. */
static void fill(host *h, size_t r)
{
  for (size_t i = 1; i <= r; i++) {
    for (size_t k = 1; k <= USERS; k++)
      join(h, i, k);
    xml(h,
        "<iq from='u%zu_1@localhost/r' to='room%zu@" DOMAIN
        "' id='c' type='set'><query xmlns='http://jabber.org/protocol/"
        "muc#owner'><x xmlns='jabber:x:data' type='submit'><field "
        "var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig"
        "</value></field><field var='muc#roomconfig_roomname'><value>Room "
        "number %zu</value></field></x></query></iq>",
        i, i, i);
    for (size_t k = 1; k <= USERS; k++)
      leave(h, i, k);
  }
}

static double now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void evict_all(host *h, size_t expect_left, double *ns_per_room,
                      size_t r)
{
  h->now += IDLE_MS;
  double t0 = now_ns();
  int rc = muc_service_handle_timeout(h->svc);
  *ns_per_room = (now_ns() - t0) / (double)r;
  if (rc != MUC_OK || muc_service_get_room_count(h->svc) != expect_left)
    die("evicting every room", rc);
}

/* us per stanza: |n| rooms from |first| (stepping |step|), disco (0) or
 * a join and its leave (1, the join timed only). */
static double back(host *h, size_t first, size_t n, size_t step, int kind,
                   size_t r)
{
  double ns = 0;
  for (size_t j = 0; j < n; j++) {
    size_t room = (first + j * step) % r + 1;
    double t0 = now_ns();
    if (kind == 0)
      disco(h, room);
    else
      join(h, room, 1);
    ns += now_ns() - t0;
    if (kind == 1)
      leave(h, room, 1);
  }
  return ns / (double)n / 1e3;
}

int main(int argc, char **argv)
{
  size_t r = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
  if (r < 100)
    r = 100;
  size_t sample = r < 20000 ? r / 2 : 10000;
  static host h; /* large: off the stack */

  start(&h, 16);
  disco(&h, 0); /* a fresh service that has answered one stanza */
  size_t base = muc_service_get_memory_usage(h.svc);
  stop(&h);

  start(&h, r + 16);
  fill(&h, r);
  size_t full = muc_service_get_memory_usage(h.svc);
  double evict_ns;
  evict_all(&h, 0, &evict_ns, r);
  size_t evicted = muc_service_get_memory_usage(h.svc);
  printf("W6 with eviction, R=%zu rooms of %d users, named \"Room number "
         "I\", public, left empty, all evicted\n",
         r, USERS);
  printf("  library bytes: %zu with the R empty rooms in memory (%.0f "
         "B/room); %zu after evicting all, over a fresh service's %zu: "
         "%.1f B per evicted room (target <= 64)\n",
         full, (double)(full - base) / (double)r, evicted, base,
         (double)(evicted - base) / (double)r);
  printf("  evicting: %.2f us per room (one handle_timeout for all R, each "
         "stored)\n",
         evict_ns / 1e3);
  double t0 = now_ns();
  h.sent = 0;
  xml(&h, "<iq from='x@localhost/x' to='" DOMAIN "' id='i' type='get'>"
          "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  printf("  room list (disco#items on the service) over R stored rooms: "
         "%.2f ms, %zu stanza\n",
         (now_ns() - t0) / 1e6, h.sent);
  /* XEP-0059: a page after a room in the middle costs the page; the
   * first page, the same (the fastest of 100, after one to warm up: the
   * machine may be shared) */
  double page_after = 1e18, page_first = 1e18;
  for (int i = 0; i <= 100; i++) {
    t0 = now_ns();
    xml(&h,
        "<iq from='x@localhost/x' to='" DOMAIN "' id='p' type='get'><query "
        "xmlns='http://jabber.org/protocol/disco#items'><set "
        "xmlns='http://jabber.org/protocol/rsm'><max>20</"
        "max><after>room%zu@" DOMAIN "</after></set></query></iq>",
        r / 2);
    double t1 = now_ns();
    xml(&h, "<iq from='x@localhost/x' to='" DOMAIN "' id='p' type='get'><query "
            "xmlns='http://jabber.org/protocol/disco#items'><set "
            "xmlns='http://jabber.org/protocol/rsm'><max>20</max></set></query>"
            "</iq>");
    double t2 = now_ns();
    if (i > 0 && t1 - t0 < page_after)
      page_after = t1 - t0;
    if (i > 0 && t2 - t1 < page_first)
      page_first = t2 - t1;
  }
  printf("  a page of 20 rooms (XEP-0059, with <count/>): %.2f us after the "
         "middle room, %.2f us the first page\n",
         page_after / 1e3, page_first / 1e3);

  size_t loads = h.loads;
  double disco_back = back(&h, 0, sample, 1, 0, r);
  double disco_mem = back(&h, 0, sample, 1, 0, r);
  if (h.loads - loads != sample)
    die("the rooms did not come back once each", MUC_ERR_STORAGE);
  evict_all(&h, 0, &evict_ns, r);
  double join_back = back(&h, 0, sample, 1, 1, r);
  double join_mem = back(&h, 0, sample, 1, 1, r);
  printf("  the stanza that brings a room back, synchronous storage, %zu "
         "rooms: disco#info %.2f us (%.2f us to a room in memory), join "
         "%.2f us (%.2f us in memory) (target <= 50 us)\n",
         sample, disco_back, disco_mem, join_back, join_mem);
  stop(&h);

  /* max_rooms reached: each room brought back evicts the least recently
   * used one */
  size_t max = r / 10;
  start(&h, max);
  fill(&h, r);
  if (muc_service_get_room_count(h.svc) != max)
    die("max_rooms did not hold", MUC_ERR_LIMIT);
  double at_max = back(&h, 0, sample, 7, 0, r);
  printf("  at max_rooms = R/10 (every new or returning room evicts the "
         "least recently used): disco#info that brings a room back %.2f "
         "us\n",
         at_max);
  stop(&h);
  return 0;
}
