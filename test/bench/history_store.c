/*
 * history_store.c - what a groupchat message costs when it is stored
 * (muc_config.store_history): one persistent room, 10 occupants, its
 * history full (20 messages of about 170 bytes), 0 / 100 / 1000
 * affiliations in its record; the host's store_room copies the record
 * (what any host does at least).  Printed: microseconds per message with
 * the store, with store_history 0, with no store_room at all; the record's
 * size; store calls per message.  Not a test: it prints figures.
 *
 * Usage: bench_history_store [MESSAGES]   (default 20000)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOMAIN "conference.localhost"
#define ROOM "hall@" DOMAIN
#define OCCUPANTS 10

typedef struct host {
  muc_service *svc;
  uint64_t now;
  size_t stores, record_len;
  char *copy; /* the last record, as a host would keep it */
  size_t copy_cap;
} host;

static void die(const char *what, int rc)
{
  fprintf(stderr, "bench_history_store: %s: %s\n", what, muc_strerror(rc));
  exit(1);
}

static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ((host *)ud)->now;
}

static int on_store(const char *jid, const char *data, size_t len, void *ud)
{
  host *h = ud;
  (void)jid;
  h->stores++;
  if (!data)
    return 0;
  if (len > h->copy_cap) {
    h->copy_cap = len * 2;
    h->copy = realloc(h->copy, h->copy_cap);
    if (!h->copy)
      die("copy", MUC_ERR_NOMEM);
  }
  memcpy(h->copy, data, len);
  h->record_len = len;
  return 0;
}

static void xml(host *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void xml(host *h, const char *fmt, ...)
{
  static char buf[65536];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  int rc = muc_service_handle_xml(h->svc, buf, (size_t)n);
  if (rc != MUC_OK)
    die(buf, rc);
}

/* Owner and occupants in; |affils| members added; history filled. */
static void setup(host *h, int store_room, int store_history, size_t affils)
{
  memset(h, 0, sizeof(*h));
  h->now = 1700000000000ull;
  muc_callbacks cb = {0};
  cb.send_bytes = on_send;
  cb.now = on_now;
  if (store_room)
    cb.store_room = on_store;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.store_history = store_history;
  cfg.room_lock_new = 0;
  cfg.room_persistent = 1;
  int rc = muc_service_new(&h->svc, DOMAIN, &cb, &cfg, NULL, h);
  if (rc != MUC_OK)
    die("muc_service_new", rc);
  for (int i = 0; i < OCCUPANTS; i++)
    xml(h,
        "<presence from='u%d@localhost/r' to='" ROOM "/U%d'><x "
        "xmlns='http://jabber.org/protocol/muc'/></presence>",
        i, i);
  for (size_t done = 0; done < affils;) {
    char items[40000];
    size_t n = 0;
    items[0] = '\0';
    for (; n < 400 && done < affils; n++, done++) {
      char item[96];
      snprintf(item, sizeof(item),
               "<item affiliation='member' jid='m%zu@localhost'/>", done);
      strcat(items, item);
    }
    xml(h,
        "<iq from='u0@localhost/r' to='" ROOM "' type='set' id='a'>"
        "<query xmlns='http://jabber.org/protocol/muc#admin'>%s</query></iq>",
        items);
  }
  for (int i = 0; i < 20; i++)
    xml(h,
        "<message from='u1@localhost/r' to='" ROOM "' type='groupchat' "
        "id='w%d'><body>warming the history up to its twenty messages</body>"
        "</message>",
        i);
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Microseconds per message over |n| messages. */
static double run(host *h, size_t n)
{
  size_t stores0 = h->stores;
  double t0 = now_s();
  for (size_t i = 0; i < n; i++) {
    h->now += 10;
    xml(h,
        "<message from='u%zu@localhost/r' to='" ROOM "' type='groupchat' "
        "id='m%zu'><body>a message of an ordinary length for a chat "
        "room</body></message>",
        i % OCCUPANTS, i);
  }
  double us = (now_s() - t0) * 1e6 / (double)n;
  h->stores -= stores0;
  return us;
}

static void done(host *h)
{
  muc_service_free(h->svc);
  free(h->copy);
}

int main(int argc, char **argv)
{
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
  if (n == 0)
    n = 1;
  static const size_t affils[] = {0, 100, 1000};
  printf("groupchat message into a persistent room, %d occupants, history "
         "20 full, %zu messages\n",
         OCCUPANTS, n);
  printf("%8s %12s %14s %14s %14s %12s\n", "affils", "record B",
         "stored us/msg", "history 0", "no store_room", "stores/msg");
  for (size_t i = 0; i < sizeof(affils) / sizeof(affils[0]); i++) {
    host on, off, none;
    setup(&on, 1, 1, affils[i]);
    setup(&off, 1, 0, affils[i]);
    setup(&none, 0, 1, affils[i]);
    double t_on = run(&on, n), t_off = run(&off, n), t_none = run(&none, n);
    printf("%8zu %12zu %14.2f %14.2f %14.2f %12.2f\n", affils[i], on.record_len,
           t_on, t_off, t_none, (double)on.stores / (double)n);
    done(&on);
    done(&off);
    done(&none);
  }
  return 0;
}
