/*
 * snapshot.c - what a live snapshot costs (docs/snapshot.md) and what the
 * change feed adds (docs/feed.md): one room of OCCUPANTS occupants (one
 * session each, a presence with a <status/>) and a full history of
 * HISTORY messages (about 200 bytes each).  Printed: the snapshot's size;
 * microseconds to take it, to restore it into an empty service, and per
 * groupchat message with and without a feed (the feed's host copies each
 * event), and per join (a new occupant) likewise.  Times are CPU time
 * of the process.  Not a test: it prints figures.
 *
 * Usage: bench_snapshot [OCCUPANTS [HISTORY [REPS]]]  (1000 100 50)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOMAIN "conference.localhost"
#define ROOM "hall@" DOMAIN

typedef struct blob {
  char *data;
  size_t len, cap, events;
} blob;

static uint64_t clock_ms = UINT64_C(1700000000000);

static void die(const char *what, int rc)
{
  fprintf(stderr, "bench_snapshot: %s: %s\n", what, muc_strerror(rc));
  exit(1);
}

static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t on_now(void *ud)
{
  (void)ud;
  return clock_ms;
}

static int keep(const char *data, size_t len, void *ud)
{
  blob *b = ud;
  if (len > b->cap) {
    b->cap = len;
    if (!(b->data = realloc(b->data, len)))
      exit(1);
  }
  memcpy(b->data, data, len);
  b->len = len;
  return 0;
}

static void on_event(const char *room, uint64_t seq, const char *data,
                     size_t len, void *ud)
{
  (void)room, (void)seq;
  keep(data, len, ud);
  ((blob *)ud)->events++;
}

static double now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* the machine is shared */
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static muc_service *service(unsigned history)
{
  muc_callbacks cb = {0};
  cb.send_bytes = on_send;
  cb.now = on_now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_history_length = history;
  cfg.max_history = history;
  cfg.max_occupants_per_room = 100000;
  cfg.max_history_bytes = 0;
  muc_service *svc;
  int rc = muc_service_new(&svc, DOMAIN, &cb, &cfg, NULL, NULL);
  if (rc != MUC_OK)
    die("muc_service_new", rc);
  return svc;
}

static void send(muc_service *svc, const char *xml)
{
  int rc = muc_service_handle_xml(svc, xml, strlen(xml));
  if (rc != MUC_OK)
    die(xml, rc);
}

static void join(muc_service *svc, unsigned i)
{
  char p[512];
  snprintf(p, sizeof p,
           "<presence from='u%u@localhost/r' to='" ROOM "/user%u'><x "
           "xmlns='http://jabber.org/protocol/muc'/><status>here</status>"
           "</presence>",
           i, i);
  send(svc, p);
}

/* CPU microseconds per join of |n| new occupants numbered from |first|. */
static double joins(muc_service *svc, unsigned first, unsigned n)
{
  double t0 = now_us();
  for (unsigned i = 0; i < n; i++)
    join(svc, first + i);
  return (now_us() - t0) / n;
}

static void say(muc_service *svc, unsigned i)
{
  char m[512];
  snprintf(m, sizeof m,
           "<message from='u0@localhost/r' to='" ROOM "' type='groupchat' "
           "id='m%u'><body>message number %u, long enough to look like "
           "what people write in a room</body></message>",
           i, i);
  send(svc, m);
}

int main(int argc, char **argv)
{
  unsigned occupants = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
  unsigned history = argc > 2 ? (unsigned)atoi(argv[2]) : 100;
  unsigned reps = argc > 3 ? (unsigned)atoi(argv[3]) : 50;
  muc_service *svc = service(history);
  for (unsigned i = 0; i < occupants; i++) {
    join(svc, i);
    if (i == 0)
      send(svc, "<iq from='u0@localhost/r' to='" ROOM "' type='set' id='c'>"
                "<query xmlns='http://jabber.org/protocol/muc#owner'><x "
                "xmlns='jabber:x:data' type='submit'/></query></iq>");
  }
  for (unsigned i = 0; i < history; i++)
    say(svc, i);
  blob b = {0};
  double t0 = now_us();
  for (unsigned r = 0; r < reps; r++)
    if (muc_service_snapshot_room(svc, ROOM, keep, &b) != MUC_OK)
      die("snapshot", MUC_ERR_FATAL);
  double snap = (now_us() - t0) / reps;
  double restore = 0;
  for (unsigned r = 0; r < reps; r++) {
    muc_service *other = service(history);
    t0 = now_us();
    int rc = muc_service_restore_room(other, b.data, b.len);
    restore += now_us() - t0;
    if (rc != MUC_OK)
      die("restore", rc);
    muc_service_free(other);
  }
  restore /= reps;
  unsigned msgs = reps * 20;
  t0 = now_us();
  for (unsigned i = 0; i < msgs; i++)
    say(svc, history + i);
  double plain = (now_us() - t0) / msgs;
  /* the joins measured come after the room's own occupants: the room
   * grows by 2 * |reps| during the measure */
  double join_plain = joins(svc, occupants, reps);
  blob ev = {0};
  muc_service_set_feed(svc, MUC_FEED_VERSION, on_event, &ev);
  say(svc, 0); /* the first event: the whole room */
  ev.events = 0;
  t0 = now_us();
  for (unsigned i = 0; i < msgs; i++)
    say(svc, history + msgs + i);
  double fed = (now_us() - t0) / msgs;
  size_t msg_events = ev.events;
  ev.events = 0;
  double join_fed = joins(svc, occupants + reps, reps);
  printf("room: %u occupants, %u history messages\n", occupants, history);
  printf("snapshot: %zu bytes, %.1f us to take, %.1f us to restore\n", b.len,
         snap, restore);
  printf("groupchat message: %.1f us without a feed, %.1f us with one "
         "(%.2f events a message, the last %zu bytes)\n",
         plain, fed, (double)msg_events / msgs, ev.len);
  printf("join: %.1f us without a feed, %.1f us with one (%.2f events a "
         "join)\n",
         join_plain, join_fed, (double)ev.events / reps);
  muc_service_free(svc);
  free(b.data);
  free(ev.data);
  return 0;
}
