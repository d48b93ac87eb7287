#define _POSIX_C_SOURCE 200809L
/* Tombstones (muc_config V4 tombstone_ms, docs/tombstones.md): a room its
 * owner, a service admin's command or the admin API destroyed answers
 * <gone/> (cancel) with its alternate venue and reason until the
 * tombstone expires; only a service admin may make it again before; a
 * room that ends by itself leaves none; the tombstone is the room's
 * stored record and outlives a restart; it moves with a snapshot; it
 * costs few bytes and expires without a scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"

#define DOMAIN "conference.localhost"
#define ROOM "heath@" DOMAIN
#define MUCNS "http://jabber.org/protocol/muc"
#define ROMEO "romeo@localhost/r"
#define JULIET "juliet@localhost/j"
#define ADMIN "admin@localhost/a" /* fakehost's service admin */
#define STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define GONE_VENUE                                                             \
  "<gone xmlns=\"" STANZAS "\">xmpp:coven@" DOMAIN "?join</gone>"
#define HOUR 3600000u

static muc_config config(uint64_t tombstone_ms)
{
  muc_config c;
  muc_config_default(&c);
  c.room_lock_new = 0;
  c.tombstone_ms = tombstone_ms;
  return c;
}

static void start(fakehost *h, uint64_t tombstone_ms, int stored)
{
  muc_config c = config(tombstone_ms);
  assert_int_equal(fakehost_init(h, DOMAIN, &c, stored), MUC_OK);
}

/* Romeo makes the room, Juliet joins, Romeo destroys it (venue coven,
 * reason given). */
static void make_and_destroy(fakehost *h)
{
  assert_int_equal(fakehost_join(h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(fakehost_join(h, JULIET, ROOM, "Juliet", ""), MUC_OK);
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='" ROMEO "' to='" ROOM "' type='set' id='d'>"
                   "<query xmlns='" MUCNS "#owner'><destroy jid='coven@" DOMAIN
                   "'><reason>Macbeth doth come</reason></destroy></query>"
                   "</iq>"),
      MUC_OK);
  assert_non_null(fakehost_find(h, "type=\"result\"", "id=\"d\"", NULL));
  fakehost_clear(h);
}

/* |user| tries to join: 1 if the room was made (201), 0 if gone. */
static int join_again(fakehost *h, const char *user)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_join(h, user, ROOM, "Again", ""), MUC_OK);
  if (fakehost_find(h, "<status code=\"201\"/>", NULL))
    return 1;
  assert_int_equal(h->nsent, 1);
  assert_non_null(fakehost_find(h, "<presence", "type=\"error\"",
                                "<error type=\"cancel\" by=\"" ROOM "\"",
                                GONE_VENUE, "Macbeth doth come", NULL));
  return 0;
}

static void test_off_by_default(void **state)
{
  (void)state;
  muc_config c;
  muc_config_default(&c);
  assert_int_equal(c.tombstone_ms, 0);
  fakehost h;
  start(&h, 0, 0);
  make_and_destroy(&h);
  assert_true(join_again(&h, JULIET)); /* as before: a new room */
  fakehost_free(&h);
}

static void test_gone_to_everything(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 0);
  make_and_destroy(&h);
  assert_int_equal(muc_service_get_room_count(h.svc), 0);
  assert_false(join_again(&h, JULIET));
  assert_false(join_again(&h, ROMEO)); /* its owner too */
  /* a message, an iq to the room and to an occupant JID */
  fakehost_clear(&h);
  fakehost_xml(&h, "<message from='" JULIET "' to='" ROOM "' type='groupchat'"
                   "><body>hi</body></message>");
  assert_non_null(fakehost_find(&h, "<message", GONE_VENUE, NULL));
  fakehost_clear(&h);
  fakehost_xml(&h, "<iq from='" JULIET "' to='" ROOM "' type='get' id='i'>"
                   "<query xmlns='http://jabber.org/protocol/disco#info'/>"
                   "</iq>");
  assert_non_null(fakehost_find(&h, "<iq", "id=\"i\"", GONE_VENUE, NULL));
  /* nothing for an unavailable presence or an error */
  fakehost_clear(&h);
  fakehost_xml(&h, "<presence from='" JULIET "' to='" ROOM
                   "/Juliet' type='unavailable'/>");
  fakehost_xml(&h, "<message from='" JULIET "' to='" ROOM
                   "' type='error'><error type='cancel'><gone xmlns='" STANZAS
                   "'/></error></message>");
  assert_int_equal(h.nsent, 0);
  assert_int_equal(muc_service_get_room_count(h.svc), 0);
  fakehost_free(&h);
}

static void test_without_venue(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 0);
  assert_int_equal(fakehost_join(&h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  fakehost_xml(&h, "<iq from='" ROMEO "' to='" ROOM "' type='set' id='d'>"
                   "<query xmlns='" MUCNS "#owner'><destroy/></query></iq>");
  fakehost_clear(&h);
  assert_int_equal(fakehost_join(&h, JULIET, ROOM, "J", ""), MUC_OK);
  assert_non_null(fakehost_find(&h, "<gone xmlns=\"" STANZAS "\"/>", NULL));
  assert_null(fakehost_find(&h, "<text", NULL));
  fakehost_free(&h);
}

static void test_expires(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 0);
  make_and_destroy(&h);
  h.now += HOUR - 1;
  assert_false(join_again(&h, JULIET));
  h.now += 1;
  assert_true(join_again(&h, JULIET));
  fakehost_free(&h);
}

static void test_service_admin_recreates(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 1);
  make_and_destroy(&h);
  assert_non_null(fakehost_stored(&h, ROOM, NULL));
  assert_true(join_again(&h, ADMIN));
  /* the tombstone is gone, its record too: the room is the admin's */
  assert_null(fakehost_stored(&h, ROOM, NULL));
  assert_int_equal(fakehost_join(&h, JULIET, ROOM, "Juliet", ""), MUC_OK);
  assert_null(fakehost_find(&h, "<gone", NULL));
  fakehost_free(&h);
}

static void test_temporary_room_ending_leaves_none(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 0);
  assert_int_equal(fakehost_join(&h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(fakehost_leave(&h, ROMEO, ROOM, "Romeo"), MUC_OK);
  assert_int_equal(muc_service_get_room_count(h.svc), 0);
  assert_true(join_again(&h, JULIET));
  fakehost_free(&h);
}

static void test_admin_api(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 0);
  assert_int_equal(fakehost_join(&h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(muc_service_destroy_room(h.svc, ROOM, "Macbeth doth come",
                                            "coven@" DOMAIN, NULL),
                   MUC_OK);
  assert_false(join_again(&h, JULIET));
  /* the host itself may make it again */
  assert_int_equal(
      muc_service_create_room(h.svc, ROOM, "romeo@localhost", NULL, 0), MUC_OK);
  fakehost_clear(&h);
  assert_int_equal(fakehost_join(&h, JULIET, ROOM, "Juliet", ""), MUC_OK);
  assert_null(fakehost_find(&h, "<gone", NULL));
  assert_non_null(fakehost_find(&h, "role=\"participant\"", NULL));
  fakehost_free(&h);
}

/* A service admin's ad-hoc command leaves one (no venue, no reason). */
static void test_admin_command(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 0);
  assert_int_equal(fakehost_join(&h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_xml(&h,
                   "<iq from='" ADMIN "' to='" DOMAIN "' type='set' id='c'>"
                   "<command xmlns='http://jabber.org/protocol/commands' "
                   "node='http://prosody.im/protocol/muc#destroy' "
                   "action='execute'><x xmlns='jabber:x:data' type='submit'>"
                   "<field var='rooms'><value>" ROOM "</value></field></x>"
                   "</command></iq>"),
      MUC_OK);
  assert_non_null(fakehost_find(&h, "status=\"completed\"", NULL));
  fakehost_clear(&h);
  assert_int_equal(fakehost_join(&h, JULIET, ROOM, "J", ""), MUC_OK);
  assert_non_null(fakehost_find(&h, "<gone xmlns=\"" STANZAS "\"/>", NULL));
  fakehost_free(&h);
}

/* A persistent room evicted to storage (hibernation), destroyed by the
 * host: loaded, destroyed, its record replaced by the tombstone. */
static void test_hibernated_room(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(HOUR);
  c.room_persistent = 1;
  c.hibernate_idle_ms = 1000;
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 1), MUC_OK);
  assert_int_equal(fakehost_join(&h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(fakehost_leave(&h, ROMEO, ROOM, "Romeo"), MUC_OK);
  h.now += 1000;
  assert_int_equal(muc_service_handle_timeout(h.svc), MUC_OK);
  assert_int_equal(muc_service_get_room_count(h.svc), 0); /* evicted */
  assert_int_equal(muc_service_destroy_room(h.svc, ROOM, "Macbeth doth come",
                                            "coven@" DOMAIN, NULL),
                   MUC_OK);
  const char *rec = fakehost_stored(&h, ROOM, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "<tombstone"));
  assert_false(join_again(&h, JULIET));
  fakehost_free(&h);
}

/* The service stops and starts again on the same storage. */
static void restart(fakehost *h, uint64_t tombstone_ms)
{
  uint64_t now = h->now;
  __typeof__(h->store) store;
  size_t n = h->nstore;
  memcpy(store, h->store, sizeof store);
  h->nstore = 0;
  fakehost_free(h);
  start(h, tombstone_ms, 1);
  memcpy(h->store, store, sizeof store);
  h->nstore = n;
  h->now = now;
}

static void test_survives_restart(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 1);
  make_and_destroy(&h);
  size_t len;
  const char *rec = fakehost_stored(&h, ROOM, &len);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "<tombstone xmlns=\"urn:libmuc:tombstone:1\" "
                              "jid=\"" ROOM "\""));
  restart(&h, HOUR);
  assert_false(join_again(&h, JULIET)); /* loaded, then answered */
  assert_int_equal(h.loads, 1);
  assert_false(join_again(&h, JULIET)); /* in memory now */
  assert_int_equal(h.loads, 1);
  /* after its time, the record is deleted as it is read */
  restart(&h, HOUR);
  h.now += HOUR;
  assert_true(join_again(&h, JULIET));
  size_t stored_len;
  const char *now_rec = fakehost_stored(&h, ROOM, &stored_len);
  assert_true(!now_rec || !strstr(now_rec, "<tombstone"));
  fakehost_free(&h);
}

static void test_bad_stored_tombstone(void **state)
{
  (void)state;
  fakehost h;
  start(&h, HOUR, 1);
  make_and_destroy(&h);
  restart(&h, HOUR);
  for (size_t i = 0; i < h.nstore; i++)
    if (strcmp(h.store[i].jid, ROOM) == 0) {
      free(h.store[i].data);
      h.store[i].data = strdup("<tombstone xmlns='urn:libmuc:tombstone:1' "
                               "until='soon'/>");
      h.store[i].len = strlen(h.store[i].data);
    }
  fakehost_clear(&h);
  fakehost_join(&h, JULIET, ROOM, "J", "");
  assert_non_null(fakehost_find(&h, "internal-server-error", NULL));
  fakehost_free(&h);
}

static int keep(const char *data, size_t len, void *ud)
{
  char **out = ud;
  uint32_t n = (uint32_t)len;
  *out = malloc(len + 4);
  memcpy(*out + 4, data, len);
  memcpy(*out, &n, sizeof n); /* the length, first */
  return 0;
}

static void test_snapshot(void **state)
{
  (void)state;
  fakehost h, h2;
  start(&h, HOUR, 0);
  make_and_destroy(&h);
  char *snap = NULL;
  assert_int_equal(muc_service_snapshot_room(h.svc, ROOM, keep, &snap), MUC_OK);
  uint32_t len;
  memcpy(&len, snap, sizeof len);
  start(&h2, HOUR, 0);
  assert_int_equal(muc_service_restore_room(h2.svc, snap + 4, len), MUC_OK);
  assert_false(join_again(&h2, JULIET));
  /* a second restore of the same: the tombstone is replaced */
  assert_int_equal(muc_service_restore_room(h2.svc, snap + 4, len), MUC_OK);
  snap[4 + len - 1] ^= 1; /* the CRC no longer agrees */
  assert_int_equal(muc_service_restore_room(h2.svc, snap + 4, len),
                   MUC_ERR_STORAGE);
  free(snap);
  fakehost_free(&h2);
  /* expired (the clock as the last entry point read it): nothing to
   * snapshot */
  h.now += HOUR;
  assert_int_equal(muc_service_handle_timeout(h.svc), MUC_OK);
  assert_int_equal(muc_service_snapshot_room(h.svc, ROOM, keep, &snap),
                   MUC_ERR_NOT_FOUND);
  fakehost_free(&h);
}

static void destroy_node(fakehost *h, unsigned i)
{
  char room[64];
  snprintf(room, sizeof room, "r%u@" DOMAIN, i);
  assert_int_equal(fakehost_join(h, ROMEO, room, "Romeo", ""), MUC_OK);
  assert_int_equal(muc_service_destroy_room(h->svc, room, NULL, NULL, NULL),
                   MUC_OK);
  fakehost_clear(h);
}

/* What a tombstone costs, and that the expired ones go when the timers
 * run, oldest first, without a stanza for them. */
static void test_memory_and_expiry(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(HOUR);
  c.max_rooms_per_creator = 0;
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 0), MUC_OK);
  destroy_node(&h, 0); /* the table itself */
  size_t before = muc_service_get_memory_usage(h.svc);
  const unsigned n = 1000;
  for (unsigned i = 1; i <= n; i++)
    destroy_node(&h, i);
  size_t each = (muc_service_get_memory_usage(h.svc) - before) / n;
  print_message("library memory per tombstone (node r1..r1000, no venue, "
                "no reason): %zu bytes\n",
                each);
  assert_true(each <= 96);
  /* the oldest one is the next deadline */
  assert_int_equal(muc_service_next_deadline(h.svc), h.now + HOUR);
  h.now += HOUR;
  assert_int_equal(muc_service_handle_timeout(h.svc), MUC_OK);
  assert_true(muc_service_get_memory_usage(h.svc) < before);
  assert_true(join_again(&h, JULIET)); /* another room: made */
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_off_by_default),
      cmocka_unit_test(test_gone_to_everything),
      cmocka_unit_test(test_without_venue),
      cmocka_unit_test(test_expires),
      cmocka_unit_test(test_service_admin_recreates),
      cmocka_unit_test(test_temporary_room_ending_leaves_none),
      cmocka_unit_test(test_admin_api),
      cmocka_unit_test(test_admin_command),
      cmocka_unit_test(test_hibernated_room),
      cmocka_unit_test(test_survives_restart),
      cmocka_unit_test(test_bad_stored_tombstone),
      cmocka_unit_test(test_snapshot),
      cmocka_unit_test(test_memory_and_expiry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
