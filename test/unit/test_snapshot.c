#define _POSIX_C_SOURCE 200809L
/* Live snapshots and the change feed through the public API: a room moves
 * to another service and is the same there; every bad snapshot or event
 * gets its documented code and changes nothing; restores from inside a
 * callback wait for the call in progress; the feed numbers its events
 * and a replica fed them is the room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"
#include "snap_fixture.h"
#include "snapshot.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define MUCNS "http://jabber.org/protocol/muc"

static int refuse(const char *data, size_t len, void *ud)
{
  (void)data, (void)len, (void)ud;
  return 1;
}

/* A room with an owner, a second occupant with two sessions, a member
 * with a reserved nick, a subject and history; locked when |locked|. */
static void make_room(fakehost *h, int locked)
{
  assert_int_equal(fakehost_join(h, "romeo@localhost/r", ROOM, "Romeo", ""),
                   MUC_OK);
  if (!locked)
    assert_int_equal(
        fakehost_xml(h, "<iq from='romeo@localhost/r' to='" ROOM
                        "' id='c1' type='set'><query xmlns='" MUCNS
                        "#owner'><x xmlns='jabber:x:data' type='submit'/>"
                        "</query></iq>"),
        MUC_OK);
  assert_int_equal(fakehost_join(h, "juliet@localhost/a", ROOM, "Juliet", ""),
                   MUC_OK);
  assert_int_equal(fakehost_join(h, "juliet@localhost/b", ROOM, "Juliet", ""),
                   MUC_OK);
  assert_int_equal(
      fakehost_xml(h, "<iq from='romeo@localhost/r' to='" ROOM
                      "' id='m' type='set'><query xmlns='" MUCNS
                      "#admin'><item jid='nurse@localhost' "
                      "affiliation='member' nick='Nurse'><reason>kin</reason>"
                      "</item></query></iq>"),
      MUC_OK);
  assert_int_equal(
      fakehost_xml(h, "<message from='romeo@localhost/r' to='" ROOM
                      "' type='groupchat'><subject>Verona</subject></message>"),
      MUC_OK);
  assert_int_equal(
      fakehost_xml(h, "<message from='juliet@localhost/a' to='" ROOM
                      "' type='groupchat' id='h1'><body>hi</body></message>"),
      MUC_OK);
}

static blob snapshot(fakehost *h, const char *room)
{
  blob b = {0};
  assert_int_equal(muc_service_snapshot_room(h->svc, room, snap_keep, &b),
                   MUC_OK);
  return b;
}

static void test_round_trip(void **state)
{
  (void)state;
  fakehost a, b;
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, NULL, 0), MUC_OK);
  make_room(&a, 0);
  blob s = snapshot(&a, ROOM);
  assert_memory_equal(s.data, MUC_SNAP_MAGIC, 4);
  /* the CRC is zlib's crc32 (docs/snapshot.md): its check value */
  assert_int_equal(muc_snap_crc(0, "123456789", 9), 0xCBF43926u);
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len), MUC_OK);
  assert_int_equal(b.nsent, 0); /* nothing is sent */
  muc_room *r = muc_service_find_room(b.svc, "room");
  assert_non_null(r);
  assert_int_equal(muc_room_get_occupant_count(r), 2);
  assert_string_equal(muc_room_get_subject(r), "Verona");
  assert_int_equal(muc_room_get_role(r, "Juliet"), MUC_ROLE_PARTICIPANT);
  assert_int_equal(muc_room_get_affiliation(r, "nurse@localhost"),
                   MUC_AFFIL_MEMBER);
  blob again = snapshot(&b, ROOM);
  assert_int_equal(again.len, s.len);
  assert_memory_equal(again.data, s.data, s.len);
  /* both sessions of Juliet are in the room there: a message reaches each */
  fakehost_clear(&b);
  assert_int_equal(fakehost_xml(&b,
                                "<message from='romeo@localhost/r' to='" ROOM
                                "' type='groupchat'><body>x</body></message>"),
                   MUC_OK);
  assert_non_null(fakehost_find(&b, "to=\"juliet@localhost/a\"", NULL));
  assert_non_null(fakehost_find(&b, "to=\"juliet@localhost/b\"", NULL));
  /* a newcomer gets the same history as in the first service */
  fakehost_clear(&a);
  fakehost_clear(&b);
  assert_int_equal(fakehost_join(&a, "x@localhost/x", ROOM, "X", ""), MUC_OK);
  assert_int_equal(fakehost_join(&b, "x@localhost/x", ROOM, "X", ""), MUC_OK);
  const char *ha = fakehost_find(&a, ">hi<", NULL);
  const char *hb = fakehost_find(&b, ">hi<", NULL);
  assert_non_null(ha);
  assert_non_null(hb);
  assert_string_equal(ha, hb);
  free(s.data);
  free(again.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

static void test_refused(void **state)
{
  (void)state;
  fakehost a, b;
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, NULL, 0), MUC_OK);
  make_room(&a, 0);
  blob s = snapshot(&a, ROOM);
  size_t before = muc_service_get_memory_usage(b.svc);
  assert_int_equal(muc_service_snapshot_room(NULL, ROOM, snap_keep, &s),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_snapshot_room(a.svc, ROOM, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_snapshot_room(a.svc, "none", snap_keep, &s),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(muc_service_snapshot_room(a.svc, ROOM, refuse, NULL),
                   MUC_ERR_CALLBACK_FAILURE);
  assert_int_equal(muc_service_restore_room(NULL, s.data, s.len),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_restore_room(b.svc, NULL, 3),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_restore_room(b.svc, NULL, 0), MUC_ERR_STORAGE);
  /* the room is there already */
  assert_int_equal(muc_service_restore_room(a.svc, s.data, s.len),
                   MUC_ERR_EXISTS);
  /* every byte counts: a flipped one, a cut, a later version */
  for (size_t i = 0; i < s.len; i += 7) {
    s.data[i] ^= 0x20;
    assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len),
                     MUC_ERR_STORAGE);
    s.data[i] ^= 0x20;
  }
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len - 1),
                   MUC_ERR_STORAGE);
  s.data[7] = 3;
  snap_fix_crc(&s);
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len),
                   MUC_ERR_STORAGE);
  s.data[7] = 2;
  snap_fix_crc(&s);
  assert_int_equal(muc_service_get_room_count(b.svc), 0);
  assert_int_equal(muc_service_get_memory_usage(b.svc), before);
  /* another domain */
  fakehost c;
  assert_int_equal(fakehost_init(&c, "muc.example.org", NULL, 0), MUC_OK);
  assert_int_equal(muc_service_restore_room(c.svc, s.data, s.len),
                   MUC_ERR_STORAGE);
  fakehost_free(&c);
  /* a service whose limits the room does not fit */
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_nick_bytes = 5; /* "Juliet" is 6 */
  assert_int_equal(fakehost_init(&c, DOMAIN, &cfg, 0), MUC_OK);
  before = muc_service_get_memory_usage(c.svc);
  assert_int_equal(muc_service_restore_room(c.svc, s.data, s.len),
                   MUC_ERR_STORAGE);
  assert_int_equal(muc_service_get_memory_usage(c.svc), before);
  fakehost_free(&c);
  muc_config_default(&cfg);
  cfg.max_rooms = 1;
  assert_int_equal(fakehost_init(&c, DOMAIN, &cfg, 0), MUC_OK);
  assert_int_equal(fakehost_join(&c, "x@localhost/x", "other@" DOMAIN, "X", ""),
                   MUC_OK);
  assert_int_equal(muc_service_restore_room(c.svc, s.data, s.len),
                   MUC_ERR_LIMIT);
  fakehost_free(&c);
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len), MUC_OK);
  free(s.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

/* The lock and its deadline move; the creator counts in the new service. */
static void test_lock_and_creator(void **state)
{
  (void)state;
  fakehost a, b;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_rooms_per_creator = 1;
  assert_int_equal(fakehost_init(&a, DOMAIN, &cfg, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, &cfg, 0), MUC_OK);
  make_room(&a, 1);
  blob s = snapshot(&a, ROOM);
  b.now = a.now;
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len), MUC_OK);
  assert_int_equal(muc_service_next_deadline(b.svc),
                   muc_service_next_deadline(a.svc));
  assert_true(muc_service_next_deadline(b.svc) != UINT64_MAX);
  /* locked: a stranger is refused as in the first service */
  fakehost_clear(&b);
  assert_int_equal(fakehost_join(&b, "x@localhost/x", ROOM, "X", ""), MUC_OK);
  assert_non_null(fakehost_find(&b, "item-not-found", NULL));
  /* Romeo created one room already */
  fakehost_clear(&b);
  assert_int_equal(
      fakehost_join(&b, "romeo@localhost/r", "second@" DOMAIN, "Romeo", ""),
      MUC_OK);
  assert_non_null(fakehost_find(&b, "resource-constraint", NULL));
  free(s.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

/* Without make_id the ids are the service's counter ("muc-N"): the new
 * service goes on from the old one's, so no id is handed out twice. */
static void test_id_counter(void **state)
{
  (void)state;
  fakehost a, b;
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, NULL, 0), MUC_OK);
  make_room(&a, 0);
  fakehost_clear(&a);
  assert_int_equal(
      fakehost_xml(&a, "<message from='juliet@localhost/a' to='" ROOM
                       "' type='groupchat'><body>no id</body></message>"),
      MUC_OK);
  assert_non_null(fakehost_find(&a, "id=\"muc-1\"", NULL));
  blob s = snapshot(&a, ROOM);
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len), MUC_OK);
  assert_int_equal(
      fakehost_xml(&b, "<message from='juliet@localhost/a' to='" ROOM
                       "' type='groupchat'><body>no id</body></message>"),
      MUC_OK);
  assert_non_null(fakehost_find(&b, "id=\"muc-2\"", NULL));
  assert_null(fakehost_find(&b, "id=\"muc-1\"", NULL));
  free(s.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

/* ---- from inside a callback ------------------------------------------- */

typedef struct nested {
  fakehost *into;
  blob snap;
  int rc;
  int done;
} nested;

static nested *the_nested;

static void restore_in_feed(const char *room, uint64_t seq, const char *data,
                            size_t len, void *ud)
{
  (void)room, (void)seq, (void)data, (void)len;
  nested *n = ud;
  if (n->done++)
    return;
  /* inside a's call: a's own restore is deferred until it ends */
  n->rc = muc_service_restore_room(n->into->svc, n->snap.data, n->snap.len);
  assert_int_equal(muc_service_get_room_count(n->into->svc), 1);
  assert_int_equal(
      muc_service_set_feed(n->into->svc, MUC_FEED_VERSION, NULL, NULL),
      MUC_ERR_IN_CALLBACK);
}

static void test_in_callback(void **state)
{
  (void)state;
  fakehost a, b;
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, NULL, 0), MUC_OK);
  make_room(&a, 0);
  nested n = {&a, snapshot(&a, ROOM), -1, 0};
  the_nested = &n;
  /* a's feed restores a copy of its own room in a itself, which exists:
   * deferred, it returns MUC_OK now and the outer call gets the code */
  (void)b;
  assert_int_equal(
      muc_service_set_feed(a.svc, MUC_FEED_VERSION, restore_in_feed, &n),
      MUC_OK);
  int rc = fakehost_xml(&a, "<message from='romeo@localhost/r' to='" ROOM
                            "' type='groupchat'><body>y</body></message>");
  assert_int_equal(n.rc, MUC_OK);
  assert_int_equal(rc, MUC_ERR_EXISTS);
  free(n.snap.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

/* ---- the feed ------------------------------------------------------------ */

static void test_feed(void **state)
{
  (void)state;
  fakehost a, b;
  feed_log f = {.room = ROOM};
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(muc_service_set_feed(a.svc, 99, snap_record, &f),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_set_feed(a.svc, MUC_FEED_VERSION, snap_record, &f), MUC_OK);
  make_room(&a, 0);
  assert_true(f.n >= 6);
  for (size_t i = 0; i < f.n; i++)
    assert_int_equal(f.seq[i], i + 1); /* numbered, in order */
  /* the first is the whole room */
  assert_memory_equal(f.ev[0].data, "MUCE", 4);
  /* a gap is refused; an event told already is passed over */
  assert_int_equal(muc_service_apply_event(b.svc, f.ev[1].data, f.ev[1].len),
                   MUC_ERR_STORAGE);
  for (size_t i = 0; i < f.n; i++)
    assert_int_equal(muc_service_apply_event(b.svc, f.ev[i].data, f.ev[i].len),
                     MUC_OK);
  assert_int_equal(muc_service_apply_event(b.svc, f.ev[2].data, f.ev[2].len),
                   MUC_OK);
  assert_int_equal(b.nsent, 0);
  blob x = snapshot(&a, ROOM), y = snapshot(&b, ROOM);
  assert_int_equal(x.len, y.len);
  assert_memory_equal(x.data, y.data, x.len);
  /* a corrupt event */
  f.ev[3].data[f.ev[3].len / 2] ^= 1;
  assert_int_equal(muc_service_apply_event(b.svc, f.ev[3].data, f.ev[3].len),
                   MUC_ERR_STORAGE);
  /* the room goes: so does the replica's */
  size_t n = f.n;
  assert_int_equal(fakehost_leave(&a, "romeo@localhost/r", ROOM, "Romeo"),
                   MUC_OK);
  assert_int_equal(fakehost_leave(&a, "juliet@localhost/a", ROOM, "Juliet"),
                   MUC_OK);
  assert_int_equal(fakehost_leave(&a, "juliet@localhost/b", ROOM, "Juliet"),
                   MUC_OK);
  assert_int_equal(muc_service_get_room_count(a.svc), 0);
  for (size_t i = n; i < f.n; i++)
    assert_int_equal(muc_service_apply_event(b.svc, f.ev[i].data, f.ev[i].len),
                     MUC_OK);
  assert_int_equal(muc_service_get_room_count(b.svc), 0);
  /* off: no more events */
  assert_int_equal(muc_service_set_feed(a.svc, MUC_FEED_VERSION, NULL, NULL),
                   MUC_OK);
  n = f.n;
  make_room(&a, 0);
  assert_int_equal(f.n, n);
  for (size_t i = 0; i < f.n; i++)
    free(f.ev[i].data);
  free(x.data);
  free(y.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

/* ---- out of memory ------------------------------------------------------ */

typedef struct counting {
  long n, fail_at, live;
} counting;

static void *c_malloc(size_t n, void *ud)
{
  counting *c = ud;
  if (c->n++ == c->fail_at)
    return NULL;
  void *p = malloc(n);
  c->live += p != NULL;
  return p;
}

static void *c_realloc(void *p, size_t n, void *ud)
{
  counting *c = ud;
  if (c->n++ == c->fail_at)
    return NULL;
  void *q = realloc(p, n);
  c->live += q && !p;
  return q;
}

static void c_free(void *p, void *ud)
{
  counting *c = ud;
  c->live -= p != NULL;
  free(p);
}

static int no_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t clock_of(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

static void on_event_ignored(const char *room, uint64_t seq, const char *data,
                             size_t len, void *ud)
{
  (void)room, (void)seq, (void)data, (void)len, (void)ud;
}

/* A restore and a replica's events with allocation |at| failing: MUC_OK
 * or MUC_ERR_NOMEM, nothing left allocated.  1 if no allocation failed
 * (|at| is past the last). */
static int restore_failing(const blob *s, const feed_log *f, long at)
{
  counting c = {0, -1, 0};
  muc_allocator a = {c_malloc, c_realloc, c_free, &c};
  muc_callbacks cb = {0};
  cb.now = clock_of;
  cb.send_bytes = no_send;
  muc_service *svc;
  assert_int_equal(muc_service_new(&svc, DOMAIN, &cb, NULL, &a, NULL), MUC_OK);
  /* a room moved in with a feed set: its events are made too */
  assert_int_equal(
      muc_service_set_feed(svc, MUC_FEED_VERSION, on_event_ignored, NULL),
      MUC_OK);
  c.fail_at = c.n + at;
  int rc = muc_service_restore_room(svc, s->data, s->len);
  if (rc != MUC_OK && rc != MUC_ERR_NOMEM)
    fail_msg("allocation %ld failing: restore returned %s", at,
             muc_strerror(rc));
  int failed = rc == MUC_ERR_NOMEM;
  /* a replica applies events with no feed of its own (it would refuse) */
  assert_int_equal(muc_service_set_feed(svc, MUC_FEED_VERSION, NULL, NULL),
                   MUC_OK);
  muc_service *rep = svc;
  for (size_t i = 0; i < f->n; i++) {
    rc = muc_service_apply_event(rep, f->ev[i].data, f->ev[i].len);
    if (failed)
      assert_int_equal(rc, MUC_ERR_NOMEM);
    else if (rc != MUC_OK && rc != MUC_ERR_NOMEM)
      fail_msg("allocation %ld failing: event %zu returned %s", at, i,
               muc_strerror(rc));
    failed |= rc == MUC_ERR_NOMEM;
  }
  int none = c.n <= c.fail_at;
  assert_int_equal(muc_service_free(svc), MUC_OK);
  assert_int_equal(c.live, 0);
  return none;
}

static void test_out_of_memory(void **state)
{
  (void)state;
  fakehost a;
  feed_log f = {.room = ROOM};
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(
      muc_service_set_feed(a.svc, MUC_FEED_VERSION, snap_record, &f), MUC_OK);
  make_room(&a, 0);
  blob s = snapshot(&a, ROOM);
  /* the replica gets the room from the snapshot, then the events after
   * it (all passed over: the snapshot is newer), then a new change */
  assert_int_equal(
      fakehost_xml(&a, "<message from='juliet@localhost/a' to='" ROOM
                       "' type='groupchat'><body>late</body></message>"),
      MUC_OK);
  long at = 0;
  while (!restore_failing(&s, &f, at))
    at++;
  assert_true(at > 20);
  for (size_t i = 0; i < f.n; i++)
    free(f.ev[i].data);
  free(s.data);
  fakehost_free(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_lock_and_creator),
      cmocka_unit_test(test_id_counter),
      cmocka_unit_test(test_in_callback),
      cmocka_unit_test(test_feed),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
