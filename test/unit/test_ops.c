/* The room operations (libmuc/ops.h) with the host as the actor: the
 * same notifications and the same store as when a client asks, nobody
 * named as the actor, and no stanza forged.  The operations run as the
 * admin API will run them, between entry points; what they queue is
 * handed out with muc_deliver_all. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "limits_fixture.h"

#include "afflist.h"
#include "deliver.h"
#include "occupant.h"
#include "ops.h"

#define JULIET "juliet@localhost/j"

/* Run what the operation queued, as the end of an entry point does. */
static void flush(fakehost *h)
{
  muc_deliver_all(h->svc);
  assert_int_equal(h->svc->err, MUC_OK);
}

static muc_occupant *occupant(fakehost *h, const char *nick)
{
  muc_occupant *o = muc_room_occupant_by_nick(room_of(h), nick);
  assert_non_null(o);
  return o;
}

/* The host kicks Juliet: 307 with the reason, no <actor/>, and she is
 * gone. */
static void test_host_kicks(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(muc_op_set_role(room_of(h), MUC_ACTOR_HOST,
                                   occupant(h, "Juliet"), MUC_ROLE_NONE,
                                   "Spam"),
                   MUC_OK);
  flush(h);
  assert_non_null(fakehost_find(
      h, "to=\"" ROMEO "\"", "type=\"unavailable\"", "from=\"" ROOM "/Juliet\"",
      "<status code=\"307\"/>", "<reason>Spam</reason>", NULL));
  assert_non_null(fakehost_find(h, "to=\"" JULIET "\"",
                                "<status code=\"307\"/>",
                                "<status code=\"110\"/>", NULL));
  assert_int_equal(fakehost_count(h, "<actor"), 0);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 1);
}

/* A client's kick names the moderator: the actor is what differs. */
static void test_occupant_kick_names_actor(void **state)
{
  fakehost *h = *state;
  make_room(h);
  const muc_actor romeo = {ROMEO};
  muc_op_set_role(room_of(h), &romeo, occupant(h, "Juliet"), MUC_ROLE_NONE,
                  NULL);
  flush(h);
  assert_non_null(
      fakehost_find(h, "to=\"" JULIET "\"", "<actor nick=\"Romeo\"/>", NULL));
}

/* The host grants Juliet moderator: everyone sees the new role. */
static void test_host_grants_moderator(void **state)
{
  fakehost *h = *state;
  make_room(h);
  muc_op_set_role(room_of(h), MUC_ACTOR_HOST, occupant(h, "Juliet"),
                  MUC_ROLE_MODERATOR, NULL);
  flush(h);
  assert_non_null(fakehost_find(h, "to=\"" ROMEO "\"",
                                "from=\"" ROOM "/Juliet\"",
                                "role=\"moderator\"", NULL));
  assert_int_equal(muc_room_get_role(room_of(h), "Juliet"), MUC_ROLE_MODERATOR);
}

/* The host's subject comes from the room's own JID, and is stored. */
static void test_host_sets_subject(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(muc_op_set_subject(room_of(h), MUC_ACTOR_HOST, "News", NULL),
                   MUC_OK);
  flush(h);
  assert_int_equal(fakehost_count(h, "<subject>News</subject>"), 2);
  assert_non_null(fakehost_find(h, "to=\"" JULIET "\"", "from=\"" ROOM "\"",
                                "type=\"groupchat\"", NULL));
  assert_null(fakehost_find(h, "from=\"" ROOM "/", NULL));
  const char *rec = fakehost_stored(h, ROOM, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "News"));
}

/* The host bans a user who is not in the room: the room's moderators are
 * told (§9.3 example; semi-anonymous: only they see the JID), and the
 * record keeps the ban. */
static void test_host_bans_absent_user(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(muc_op_set_affiliation(room_of(h), MUC_ACTOR_HOST,
                                          "mallory@localhost",
                                          MUC_AFFIL_OUTCAST, "Troll", NULL),
                   MUC_OK);
  flush(h);
  assert_non_null(fakehost_find(h, "to=\"" ROMEO "\"", "<message",
                                "affiliation=\"outcast\"",
                                "jid=\"mallory@localhost\"", NULL));
  assert_int_equal(muc_room_get_affiliation(room_of(h), "mallory@localhost"),
                   MUC_AFFIL_OUTCAST);
  const char *rec = fakehost_stored(h, ROOM, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "mallory@localhost"));
}

/* The host makes Juliet a member of a members-only room: she is
 * invited (§9.5) by nobody. */
static void test_host_invites_member(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  configure(h, "<field var='muc#roomconfig_membersonly'><value>1</value>"
               "</field>");
  fakehost_clear(h);
  muc_op_invite_member(room_of(h), MUC_ACTOR_HOST, "juliet@localhost");
  flush(h);
  const char *inv =
      fakehost_find(h, "to=\"juliet@localhost\"", "<invite", NULL);
  assert_non_null(inv);
  assert_null(strstr(inv, "<invite from="));
}

/* The host creates a reserved room, configures it and destroys it:
 * stored when configured, deleted when destroyed. */
static void test_host_room_lifecycle(void **state)
{
  fakehost *h = *state;
  muc_service *svc = h->svc;
  muc_room *room = muc_op_create_room(svc, "hall", "owner@localhost", 1);
  assert_non_null(room);
  assert_int_equal(muc_room_get_affiliation(room, "owner@localhost"),
                   MUC_AFFIL_OWNER);
  muc_room_config next = room->cfg;
  next.persistent = 1;
  next.name = "Hall";
  int codes[MUC_CONFIG_CODES];
  size_t n = muc_op_configure(room, MUC_ACTOR_HOST, &next, NULL, NULL, codes);
  assert_int_equal(n, 1);
  assert_int_equal(codes[0], 104);
  assert_int_equal(room->locked_until, 0);
  flush(h);
  const char *rec = fakehost_stored(h, "hall@" DOMAIN, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "Hall"));
  muc_op_destroy(room, MUC_ACTOR_HOST, NULL, "Closed", NULL, 0);
  flush(h);
  assert_true(room->destroyed);
  assert_null(fakehost_stored(h, "hall@" DOMAIN, NULL));
}

/* The host's admin list through configure: the lists replace the
 * affiliations they name, as the owner form's do. */
static void test_host_configures_owners(void **state)
{
  fakehost *h = *state;
  make_room(h);
  char *jids[] = {"juliet@localhost", "romeo@localhost"};
  muc_jid_list owners = {jids, 2};
  muc_room_config next = room_of(h)->cfg;
  int codes[MUC_CONFIG_CODES];
  assert_int_equal(
      muc_op_configure(room_of(h), MUC_ACTOR_HOST, &next, NULL, &owners, codes),
      0);
  flush(h);
  assert_int_equal(muc_room_get_affiliation(room_of(h), "juliet@localhost"),
                   MUC_AFFIL_OWNER);
  assert_non_null(fakehost_find(h, "to=\"" ROMEO "\"",
                                "from=\"" ROOM "/Juliet\"",
                                "affiliation=\"owner\"", NULL));
}

/* small() with persistent rooms, stored by the fakehost. */
static int setup_persistent(void **state)
{
  muc_config c = small();
  c.room_persistent = 1;
  return setup_with(state, &c, 1);
}
#define TP(fn)                                                                 \
  cmocka_unit_test_setup_teardown(fn, setup_persistent, fakehost_teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      TP(test_host_kicks),
      TP(test_occupant_kick_names_actor),
      TP(test_host_grants_moderator),
      TP(test_host_sets_subject),
      TP(test_host_bans_absent_user),
      TP(test_host_invites_member),
      TP(test_host_room_lifecycle),
      TP(test_host_configures_owners),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
