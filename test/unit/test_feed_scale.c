#define _POSIX_C_SOURCE 200809L
/* The change feed in a large room (docs/feed.md): 2,000 occupants join,
 * change nicks, leave and come back, a nick gets a second session,
 * messages roll the history over, and 300 JIDs are made members; each
 * join, nick change, message and affiliation change is told by events of
 * that occupant or entry only, and two replicas (one
 * fed from the start, one restored from a snapshot midway and fed on)
 * snapshot byte for byte as the room does after every phase. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <muc/muc.h>

#define DOMAIN "conference.localhost"
#define ROOM "big@" DOMAIN
#define OCCUPANTS 2000
#define HISTORY 20

typedef struct blob {
  char *data;
  size_t len;
} blob;

/* The feed's host: every event applied at once to the replicas that
 * follow it; counted, and the largest kept in mind. */
typedef struct relay {
  muc_service *replica[2]; /* NULL: not following (yet) */
  size_t events, largest;
  uint64_t last_seq;
} relay;

static int discard(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t clock_ms = UINT64_C(1700000000000);

static uint64_t now(void *ud)
{
  (void)ud;
  return clock_ms++;
}

static void on_event(const char *room, uint64_t seq, const char *data,
                     size_t len, void *ud)
{
  relay *r = ud;
  assert_string_equal(room, ROOM);
  assert_int_equal(seq, r->last_seq + 1); /* numbered without a gap */
  r->last_seq = seq;
  r->events++;
  if (len > r->largest)
    r->largest = len;
  for (int i = 0; i < 2; i++)
    if (r->replica[i])
      assert_int_equal(muc_service_apply_event(r->replica[i], data, len),
                       MUC_OK);
}

static muc_service *service(void)
{
  muc_callbacks cb = {0};
  cb.send_bytes = discard;
  cb.now = now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_history_length = HISTORY;
  cfg.max_occupants_per_room = OCCUPANTS + 10;
  muc_service *svc;
  assert_int_equal(muc_service_new(&svc, DOMAIN, &cb, &cfg, NULL, NULL),
                   MUC_OK);
  return svc;
}

static void send(muc_service *svc, const char *fmt, ...)
{
  char xml[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(xml, sizeof xml, fmt, ap);
  va_end(ap);
  assert_int_equal(muc_service_handle_xml(svc, xml, strlen(xml)), MUC_OK);
}

static void join(muc_service *svc, unsigned user, const char *res,
                 const char *nick)
{
  send(svc,
       "<presence from='u%u@localhost/%s' to='" ROOM "/%s'><x "
       "xmlns='http://jabber.org/protocol/muc'/><status>in</status>"
       "</presence>",
       user, res, nick);
}

/* The owner gives v|i|@localhost (not in the room) the affiliation
 * |aff|. */
static void admin(muc_service *svc, unsigned i, const char *aff)
{
  send(svc,
       "<iq from='u0@localhost/r' to='" ROOM "' type='set' id='a%u'><query "
       "xmlns='http://jabber.org/protocol/muc#admin'><item "
       "jid='v%u@localhost' affiliation='%s'/></query></iq>",
       i, i, aff);
}

static int keep(const char *data, size_t len, void *ud)
{
  blob *b = ud;
  free(b->data);
  b->data = malloc(len);
  if (!b->data)
    return 1;
  memcpy(b->data, data, len);
  b->len = len;
  return 0;
}

static blob snapshot(muc_service *svc)
{
  blob b = {0};
  assert_int_equal(muc_service_snapshot_room(svc, ROOM, keep, &b), MUC_OK);
  return b;
}

/* Both replicas that follow are the room, byte for byte. */
static void same(muc_service *svc, const relay *r)
{
  blob x = snapshot(svc);
  for (int i = 0; i < 2; i++) {
    if (!r->replica[i])
      continue;
    blob y = snapshot(r->replica[i]);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    free(y.data);
  }
  free(x.data);
}

static char *nick_of(unsigned i, char *buf, size_t n)
{
  snprintf(buf, n, "user%u", i);
  return buf;
}

/* Each of |n| calls by |act| is told by exactly |per| events, each of at
 * most |max| bytes: the cost of what changed, not of the room. */
#define EACH(r, per, max, stmt)                                                \
  do {                                                                         \
    size_t before = (r)->events;                                               \
    (r)->largest = 0;                                                          \
    stmt;                                                                      \
    assert_int_equal((r)->events - before, (per));                             \
    assert_true((r)->largest <= (max));                                        \
  } while (0)

static void test_large_room(void **state)
{
  (void)state;
  relay r = {0};
  muc_service *svc = service();
  r.replica[0] = service();
  assert_int_equal(muc_service_set_feed(svc, MUC_FEED_VERSION, on_event, &r),
                   MUC_OK);
  char nick[32];
  join(svc, 0, "r", "user0");
  send(svc, "<iq from='u0@localhost/r' to='" ROOM "' type='set' id='c'>"
            "<query xmlns='http://jabber.org/protocol/muc#owner'><x "
            "xmlns='jabber:x:data' type='submit'/></query></iq>");
  for (unsigned i = 1; i < OCCUPANTS; i++)
    EACH(&r, 1, 600, join(svc, i, "r", nick_of(i, nick, sizeof nick)));
  same(svc, &r);

  /* a replica from a snapshot taken now, fed from here on */
  blob mid = snapshot(svc);
  r.replica[1] = service();
  assert_int_equal(muc_service_restore_room(r.replica[1], mid.data, mid.len),
                   MUC_OK);
  free(mid.data);

  /* messages: one event each (the entry, the count kept), the history
   * rolling over */
  for (unsigned i = 0; i < 3 * HISTORY; i++)
    EACH(&r, 1, 600,
         send(svc,
              "<message from='u%u@localhost/r' to='" ROOM "' type='groupchat'"
              " id='m%u'><body>message %u</body></message>",
              i % OCCUPANTS, i, i));
  same(svc, &r);

  /* nick changes in the middle of the list: the old nick gone, the new
   * one last */
  for (unsigned i = 100; i < 300; i += 2)
    EACH(&r, 2, 600, {
      char to[40];
      snprintf(to, sizeof to, "renamed%u", i);
      send(svc, "<presence from='u%u@localhost/r' to='" ROOM "/%s'/>", i, to);
    });
  same(svc, &r);

  /* leaves: one event each, the nick */
  for (unsigned i = 500; i < 800; i++)
    EACH(&r, 1, 200,
         send(svc,
              "<presence from='u%u@localhost/r' to='" ROOM
              "/user%u' type='unavailable'/>",
              i, i));
  same(svc, &r);

  /* some come back (last now), one nick gets a second session, and
   * one presence changes in place */
  for (unsigned i = 500; i < 520; i++)
    join(svc, i, "r", nick_of(i, nick, sizeof nick));
  join(svc, 1500, "phone", "user1500");
  EACH(&r, 1, 1000,
       send(svc, "<presence from='u1000@localhost/r' to='" ROOM
                 "/user1000'><show>away</show></presence>"));
  same(svc, &r);

  /* affiliations, one entry each: added, changed, removed */
  for (unsigned i = 0; i < 300; i++)
    EACH(&r, 1, 300, admin(svc, i, "member"));
  EACH(&r, 1, 300, admin(svc, 7, "admin"));
  EACH(&r, 1, 300, admin(svc, 8, "none"));
  same(svc, &r);

  /* more messages, then half the room leaves */
  for (unsigned i = 0; i < HISTORY / 2; i++)
    send(svc,
         "<message from='u1@localhost/r' to='" ROOM "' type='groupchat'"
         " id='n%u'><body>late %u</body></message>",
         i, i);
  for (unsigned i = 900; i < 1900; i++)
    send(svc,
         "<presence from='u%u@localhost/r' to='" ROOM
         "/user%u' type='unavailable'/>",
         i, i);
  same(svc, &r);

  muc_service_free(svc);
  muc_service_free(r.replica[0]);
  muc_service_free(r.replica[1]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_large_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
