#define _POSIX_C_SOURCE 200809L
/* Where the live snapshot and the change feed meet the extension hooks
 * and hibernation: a room's host config fields move with its snapshot and
 * reach a replica through the feed; a room evicted to storage is
 * "stored", not "gone", for a replica, which stays exact when the room is
 * loaded back (its numbers start again at 1); a snapshot of an evicted
 * room is refused, and a restore over one is the host's decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../examples/hooks/hook_examples.h"
#include "fakehost.h"
#include "feed.h"
#include "snap_fixture.h"
#include "snapshot.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define ROMEO "romeo@localhost/r"
#define OWNER_NS "http://jabber.org/protocol/muc#owner"
#define FORM_TYPE                                                              \
  "<field var='FORM_TYPE'><value>"                                             \
  "http://jabber.org/protocol/muc#roomconfig</value></field>"
#define PERSISTENT                                                             \
  "<field var='muc#roomconfig_persistentroom'><value>1</value></field>"
#define MOTD(v) "<field var='" MOTD_VAR "'><value>" v "</value></field>"

/* Every event of the feed, in order. */

/* The kind of event |e| (after magic, version, room, number). */
static unsigned kind_of(const blob *e)
{
  return (unsigned char)e->data[4 + 4 + 4 + strlen(ROOM) + 8];
}

/* Events |from|..f->n applied to |svc|, each accepted. */
static void apply_from(muc_service *svc, const feed_log *f, size_t from)
{
  for (size_t i = from; i < f->n; i++)
    assert_int_equal(muc_service_apply_event(svc, f->ev[i].data, f->ev[i].len),
                     MUC_OK);
}

static blob snapshot(fakehost *h)
{
  blob b = {0};
  assert_int_equal(muc_service_snapshot_room(h->svc, ROOM, snap_keep, &b),
                   MUC_OK);
  return b;
}

/* Both services' snapshots of the room are the same bytes. */
static void assert_same_room(fakehost *a, fakehost *b)
{
  blob x = snapshot(a), y = snapshot(b);
  assert_int_equal(x.len, y.len);
  assert_memory_equal(x.data, y.data, x.len);
  free(x.data);
  free(y.data);
}

/* A service with the message-of-the-day example's hooks (config_vars,
 * config_form, config_submitted), storage when |persistence|. */
static void motd_service(fakehost *h, example_host *x, int persistence)
{
  assert_int_equal(fakehost_init(h, DOMAIN, NULL, persistence), MUC_OK);
  x->svc = h->svc;
  muc_hooks hooks = {0};
  motd_field_attach(&hooks);
  assert_int_equal(muc_service_set_hooks(h->svc, MUC_HOOKS_VERSION, &hooks, x),
                   MUC_OK);
}

static int configure(fakehost *h, const char *fields)
{
  return fakehost_configure(h, ROMEO, ROOM, fields);
}

static const char *motd_of(fakehost *h)
{
  return muc_room_get_host_value(muc_service_find_room(h->svc, ROOM), MOTD_VAR,
                                 0);
}

/* |s| with its last section (before the CRC) written twice. */
static blob with_last_section_twice(const blob *s)
{
  size_t at = 8, last = 8;
  while (at < s->len - 4) {
    const unsigned char *p = (const unsigned char *)s->data + at + 1;
    last = at;
    at += 5 +
          ((size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3]);
  }
  assert_int_equal(at, s->len - 4);
  assert_int_equal(s->data[last], MUC_SNAP_HOSTFIELD);
  size_t n = at - last;
  blob t = {malloc(s->len + n), s->len + n};
  assert_non_null(t.data);
  memcpy(t.data, s->data, at);
  memcpy(t.data + at, s->data + last, n);
  snap_fix_crc(&t);
  return t;
}

static void test_host_field_moves(void **state)
{
  (void)state;
  fakehost a, b, c;
  example_host xa = {0}, xb = {0}, xc = {0};
  feed_log f = {.room = ROOM};
  motd_service(&a, &xa, 0);
  motd_service(&b, &xb, 0);
  motd_service(&c, &xc, 0);
  assert_int_equal(
      muc_service_set_feed(a.svc, MUC_FEED_VERSION, snap_record, &f), MUC_OK);
  assert_int_equal(fakehost_join(&a, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(configure(&a, ""), MUC_OK);
  size_t before = f.n;
  assert_int_equal(configure(&a, FORM_TYPE MOTD("Be kind")), MUC_OK);
  assert_string_equal(motd_of(&a), "Be kind");
  /* the feed told the change as a host fields event */
  assert_true(f.n > before);
  assert_int_equal(kind_of(&f.ev[f.n - 1]), MUC_FEED_HOSTFIELDS);
  /* moved: the other service has it, and moves it on to the same bytes */
  blob s = snapshot(&a);
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len), MUC_OK);
  assert_string_equal(motd_of(&b), "Be kind");
  assert_same_room(&a, &b);
  /* the owner's form there shows the value */
  fakehost_clear(&b);
  assert_int_equal(fakehost_xml(&b,
                                "<iq from='" ROMEO "' to='" ROOM
                                "' id='g' type='get'><query xmlns='" OWNER_NS
                                "'/></iq>"),
                   MUC_OK);
  assert_non_null(fakehost_find(&b, "var=\"" MOTD_VAR "\"", "Be kind", NULL));
  /* the replica fed from the first event has it too, and follows a change */
  apply_from(c.svc, &f, 0);
  assert_string_equal(motd_of(&c), "Be kind");
  assert_same_room(&a, &c);
  before = f.n;
  assert_int_equal(configure(&a, FORM_TYPE MOTD("Be brief")), MUC_OK);
  apply_from(c.svc, &f, before);
  assert_string_equal(motd_of(&c), "Be brief");
  assert_same_room(&a, &c);
  /* the same var twice is refused */
  blob twice = with_last_section_twice(&s);
  assert_int_equal(muc_service_restore_room(b.svc, twice.data, twice.len),
                   MUC_ERR_EXISTS);
  fakehost e;
  assert_int_equal(fakehost_init(&e, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(muc_service_restore_room(e.svc, twice.data, twice.len),
                   MUC_ERR_STORAGE);
  assert_int_equal(muc_service_restore_room(e.svc, s.data, s.len), MUC_OK);
  free(twice.data);
  fakehost_free(&e);
  /* a version 1 snapshot cannot hold the section */
  s.data[7] = 1;
  snap_fix_crc(&s);
  fakehost d;
  assert_int_equal(fakehost_init(&d, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(muc_service_restore_room(d.svc, s.data, s.len),
                   MUC_ERR_STORAGE);
  assert_int_equal(muc_service_get_room_count(d.svc), 0);
  free(s.data);
  feed_log_free(&f);
  fakehost_free(&a);
  fakehost_free(&b);
  fakehost_free(&c);
  fakehost_free(&d);
}

/* A snapshot written by version 1 (no host fields) still restores. */
static void test_version_1_read(void **state)
{
  (void)state;
  fakehost a, b;
  assert_int_equal(fakehost_init(&a, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_join(&a, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  blob s = snapshot(&a);
  assert_int_equal(s.data[7], MUC_SNAP_VERSION);
  s.data[7] = 1;
  snap_fix_crc(&s);
  assert_int_equal(muc_service_restore_room(b.svc, s.data, s.len), MUC_OK);
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(b.svc, ROOM)), 1);
  free(s.data);
  fakehost_free(&a);
  fakehost_free(&b);
}

/* A persistent room with a host field, an affiliation and a subject; the
 * owner then leaves, so that the room can be evicted. */
static void stored_room(fakehost *a)
{
  assert_int_equal(fakehost_join(a, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(configure(a, FORM_TYPE PERSISTENT MOTD("Hi")), MUC_OK);
  assert_int_equal(
      fakehost_xml(a, "<message from='" ROMEO "' to='" ROOM
                      "' type='groupchat'><subject>Verona</subject></message>"),
      MUC_OK);
  assert_int_equal(fakehost_leave(a, ROMEO, ROOM, "Romeo"), MUC_OK);
  assert_int_equal(muc_service_get_room_count(a->svc), 1);
}

static void test_feed_across_eviction(void **state)
{
  (void)state;
  fakehost a, b;
  example_host xa = {0}, xb = {0};
  feed_log f = {.room = ROOM};
  motd_service(&a, &xa, 1);
  motd_service(&b, &xb, 0);
  assert_int_equal(
      muc_service_set_feed(a.svc, MUC_FEED_VERSION, snap_record, &f), MUC_OK);
  stored_room(&a);
  apply_from(b.svc, &f, 0);
  assert_same_room(&a, &b);
  uint64_t last = f.seq[f.n - 1];
  /* evicted: one "stored" event, numbered on, holding the room */
  size_t n = f.n;
  assert_int_equal(muc_service_hibernate_now(a.svc), MUC_OK);
  assert_int_equal(muc_service_get_room_count(a.svc), 0);
  assert_int_equal(f.n, n + 1);
  assert_int_equal(kind_of(&f.ev[n]), MUC_FEED_STORED);
  assert_int_equal(f.seq[n], last + 1);
  /* not in memory: no snapshot of it (docs/snapshot.md) */
  blob none = {0};
  assert_int_equal(muc_service_snapshot_room(a.svc, ROOM, snap_keep, &none),
                   MUC_ERR_NOT_FOUND);
  assert_null(none.data);
  /* the replica keeps the room, as stored, at number 0 */
  apply_from(b.svc, &f, n);
  assert_int_equal(muc_service_get_room_count(b.svc), 1);
  assert_string_equal(motd_of(&b), "Hi");
  assert_string_equal(muc_room_get_subject(muc_service_find_room(b.svc, ROOM)),
                      "Verona");
  /* loaded back by a stanza: the room is told whole again, from 1 */
  n = f.n;
  size_t loads = a.loads;
  assert_int_equal(fakehost_join(&a, "juliet@localhost/j", ROOM, "Juliet", ""),
                   MUC_OK);
  assert_int_equal(a.loads, loads + 1);
  assert_true(f.n > n);
  assert_int_equal(kind_of(&f.ev[n]), MUC_FEED_ROOM);
  assert_int_equal(f.seq[n], 1);
  for (size_t i = n + 1; i < f.n; i++)
    assert_int_equal(f.seq[i], f.seq[i - 1] + 1);
  apply_from(b.svc, &f, n);
  assert_same_room(&a, &b);
  assert_string_equal(motd_of(&b), "Hi");
  /* and goes on: a change after the reload */
  n = f.n;
  assert_int_equal(
      fakehost_xml(&a,
                   "<message from='juliet@localhost/j' to='" ROOM
                   "' type='groupchat' id='b1'><body>back</body></message>"),
      MUC_OK);
  apply_from(b.svc, &f, n);
  assert_same_room(&a, &b);
  /* a replica that starts from the stored event alone is exact too */
  fakehost c;
  example_host xc = {0};
  motd_service(&c, &xc, 0);
  size_t stored_at = 0;
  while (kind_of(&f.ev[stored_at]) != MUC_FEED_STORED)
    stored_at++;
  apply_from(c.svc, &f, stored_at);
  assert_same_room(&a, &c);
  feed_log_free(&f);
  fakehost_free(&a);
  fakehost_free(&b);
  fakehost_free(&c);
}

/* A room evicted to storage is not in memory: a restore of it is not
 * refused (libmuc cannot know the room exists without asking storage, so
 * the host decides).  The restored room is the live one: a stanza for it
 * reaches it without a load. */
static void test_restore_over_evicted(void **state)
{
  (void)state;
  fakehost a;
  example_host xa = {0};
  motd_service(&a, &xa, 1);
  stored_room(&a);
  blob s = snapshot(&a);
  assert_int_equal(muc_service_hibernate_now(a.svc), MUC_OK);
  assert_int_equal(muc_service_get_room_count(a.svc), 0);
  assert_int_equal(muc_service_restore_room(a.svc, s.data, s.len), MUC_OK);
  size_t loads = a.loads;
  assert_int_equal(fakehost_join(&a, "juliet@localhost/j", ROOM, "Juliet", ""),
                   MUC_OK);
  assert_int_equal(a.loads, loads);
  assert_string_equal(motd_of(&a), "Hi");
  /* now it is in memory: a second restore is refused */
  assert_int_equal(muc_service_restore_room(a.svc, s.data, s.len),
                   MUC_ERR_EXISTS);
  free(s.data);
  fakehost_free(&a);
}

/* A service shut down: its persistent rooms are "stored" for a replica. */
static void test_shutdown_is_stored(void **state)
{
  (void)state;
  fakehost a;
  example_host xa = {0};
  feed_log f = {.room = ROOM};
  motd_service(&a, &xa, 1);
  assert_int_equal(
      muc_service_set_feed(a.svc, MUC_FEED_VERSION, snap_record, &f), MUC_OK);
  stored_room(&a);
  assert_int_equal(fakehost_join(&a, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(muc_service_shutdown(a.svc), MUC_OK);
  assert_int_equal(kind_of(&f.ev[f.n - 1]), MUC_FEED_STORED);
  feed_log_free(&f);
  fakehost_free(&a);
  /* without storage a persistent room ends with the service: "gone" */
  fakehost b;
  example_host xb = {0};
  motd_service(&b, &xb, 0);
  assert_int_equal(
      muc_service_set_feed(b.svc, MUC_FEED_VERSION, snap_record, &f), MUC_OK);
  stored_room(&b);
  assert_int_equal(muc_service_shutdown(b.svc), MUC_OK);
  assert_int_equal(kind_of(&f.ev[f.n - 1]), MUC_FEED_GONE);
  feed_log_free(&f);
  fakehost_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_host_field_moves),
      cmocka_unit_test(test_version_1_read),
      cmocka_unit_test(test_feed_across_eviction),
      cmocka_unit_test(test_restore_over_evicted),
      cmocka_unit_test(test_shutdown_is_stored),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
