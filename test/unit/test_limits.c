#define _POSIX_C_SOURCE 200809L
/* The counts of muc_config (muc.h "Counts"): for each, what works under
 * it, and past it the exact error (condition, type, generator) with the
 * state left as it was.  Then who may create rooms (may_create_room,
 * service admins) and a flood of room creations.  The sizes are in
 * test_sizes.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "limits_fixture.h"

/* ---- max_rooms ----------------------------------------------------------- */

static const char *const creators[] = {
    ROMEO, "juliet@localhost/j", "tybalt@localhost/t", "mercutio@localhost/m"};

static void test_rooms_under(void **state)
{
  fakehost *h = *state;
  const char *names[] = {"a", "b", "c", "d"};
  for (size_t i = 0; i < 4; i++)
    join_room(h, names[i], creators[i], "Owner");
  assert_int_equal(muc_service_get_room_count(h->svc), 4);
  for (size_t i = 0; i < 4; i++)
    assert_non_null(muc_service_find_room(h->svc, names[i]));
}

static void test_rooms_over(void **state)
{
  fakehost *h = *state;
  const char *names[] = {"a", "b", "c", "d"};
  for (size_t i = 0; i < 4; i++)
    join_room(h, names[i], creators[i], "Owner");
  fakehost_clear(h);
  join_room(h, "e", "benvolio@localhost/b", "Owner");
  expect_error(h, "resource-constraint", "wait", DOMAIN);
  assert_int_equal(muc_service_get_room_count(h->svc), 4);
  assert_null(muc_service_find_room(h->svc, "e"));
}

/* A room still loading holds memory and queued stanzas: it counts. */
static void test_rooms_over_loading_count(void **state)
{
  fakehost *h = *state;
  h->async_load = 1;
  const char *names[] = {"a", "b", "c", "d"};
  for (size_t i = 0; i < 4; i++)
    join_room(h, names[i], creators[i], "Owner");
  assert_int_equal(h->loads, 4);
  assert_int_equal(muc_service_get_room_count(h->svc), 4);
  fakehost_clear(h);
  join_room(h, "e", "benvolio@localhost/b", "Owner");
  expect_error(h, "resource-constraint", "wait", DOMAIN);
  assert_int_equal(h->loads, 4); /* not even asked for */
  /* the answer makes a room of the placeholder: still four */
  assert_int_equal(muc_service_room_loaded(h->svc, "a@" DOMAIN, NULL, 0),
                   MUC_OK);
  assert_non_null(muc_service_find_room(h->svc, "a"));
  assert_int_equal(muc_service_get_room_count(h->svc), 4);
}

/* ---- max_rooms_per_creator ----------------------------------------------- */

static void test_rooms_per_creator_under(void **state)
{
  fakehost *h = *state;
  join_room(h, "a", ROMEO, "Romeo");
  join_room(h, "b", "romeo@localhost/other", "Romeo");
  assert_non_null(muc_service_find_room(h->svc, "a"));
  assert_non_null(muc_service_find_room(h->svc, "b"));
  /* a room that ends no longer counts */
  assert_int_equal(fakehost_xml(h, "<presence from='" ROMEO "' to='a@" DOMAIN
                                   "/Romeo' type='unavailable'/>"),
                   MUC_OK);
  assert_null(muc_service_find_room(h->svc, "a"));
  join_room(h, "c", ROMEO, "Romeo");
  assert_non_null(muc_service_find_room(h->svc, "c"));
}

static void test_rooms_per_creator_over(void **state)
{
  fakehost *h = *state;
  join_room(h, "a", ROMEO, "Romeo");
  join_room(h, "b", ROMEO, "Romeo");
  fakehost_clear(h);
  /* per bare JID: another resource is the same creator */
  join_room(h, "c", "romeo@localhost/other", "Romeo");
  expect_error(h, "resource-constraint", "wait", DOMAIN);
  assert_null(muc_service_find_room(h->svc, "c"));
  assert_int_equal(muc_service_get_room_count(h->svc), 2);
  /* joining an existing room is no creation */
  join_room(h, "a", "romeo@localhost/other", "Romeo");
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(h->svc, "a")), 1);
  /* others still may */
  join_room(h, "c", "juliet@localhost/j", "Juliet");
  assert_non_null(muc_service_find_room(h->svc, "c"));
}

/* Service admins are exempt (muc.h); max_rooms still holds for them. */
static void test_rooms_per_creator_under_admin(void **state)
{
  fakehost *h = *state;
  const char *names[] = {"a", "b", "c", "d"};
  for (size_t i = 0; i < 4; i++)
    join_room(h, names[i], "admin@localhost/a", "Admin");
  assert_int_equal(muc_service_get_room_count(h->svc), 4);
  fakehost_clear(h);
  join_room(h, "e", "admin@localhost/a", "Admin");
  expect_error(h, "resource-constraint", "wait", DOMAIN);
}

/* A room loaded from storage was created by nobody (muc.h). */
static void test_rooms_per_creator_loaded_count_for_nobody(void **state)
{
  fakehost *h = *state;
  join_room(h, "p", ROMEO, "Romeo");
  join_room(h, "q", ROMEO, "Romeo");
  for (int i = 0; i < 2; i++)
    configure_room(h, i ? "q" : "p",
                   "<field var='muc#roomconfig_persistentroom'><value>1"
                   "</value></field>");
  assert_int_equal(muc_service_shutdown(h->svc), MUC_OK);
  assert_int_equal(muc_service_get_room_count(h->svc), 0);
  join_room(h, "p", ROMEO, "Romeo"); /* loaded */
  join_room(h, "q", ROMEO, "Romeo"); /* loaded */
  join_room(h, "r", ROMEO, "Romeo");
  join_room(h, "s", ROMEO, "Romeo");
  assert_int_equal(muc_service_get_room_count(h->svc), 4);
  assert_non_null(muc_service_find_room(h->svc, "s"));
}

/* ---- max_occupants_per_room ---------------------------------------------- */

/* The room is full for |nick|: the error, and still three occupants. */
static void expect_full(fakehost *h, const char *nick)
{
  expect_error(h, "service-unavailable", "wait", ROOM);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 3);
  assert_int_equal(muc_room_get_role(room_of(h), nick), MUC_ROLE_NONE);
}

static void test_occupants_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "mercutio@localhost/m", "Mercutio");
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 3);
  assert_int_equal(muc_room_get_role(room_of(h), "Mercutio"),
                   MUC_ROLE_PARTICIPANT);
}

static void test_occupants_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='admin' jid='benvolio@localhost'/>");
  join(h, "mercutio@localhost/m", "Mercutio");
  fakehost_clear(h);
  join(h, "tybalt@localhost/t", "Tybalt");
  expect_full(h, "Tybalt");
  /* unlike the room's own maximum, it holds for admins too */
  join(h, "benvolio@localhost/b", "Benvolio");
  expect_full(h, "Benvolio");
}

/* Below it, the room's own maximum (§7.2.9) lets admins in. */
static void test_occupants_under_admin_past_room_max(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='admin' jid='benvolio@localhost'/>");
  configure(h, "<field var='muc#roomconfig_maxusers'><value>2</value>"
               "</field>");
  fakehost_clear(h);
  join(h, "mercutio@localhost/m", "Mercutio");
  expect_error(h, "service-unavailable", "wait", ROOM);
  join(h, "benvolio@localhost/b", "Benvolio");
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 3);
}

/* A session leaving its nick to others makes a new occupant. */
static void test_occupants_over_by_nick_change(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "juliet@localhost/j2", "Juliet");
  /* under: the split works */
  change_nick(h, "juliet@localhost/j2", "Jules");
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 3);
  /* over: the room is full */
  join(h, "juliet@localhost/j3", "Juliet");
  fakehost_clear(h);
  change_nick(h, "juliet@localhost/j3", "Jul");
  expect_full(h, "Jul");
}

/* ---- max_sessions_per_occupant ------------------------------------------- */

static void test_sessions_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "juliet@localhost/j2", "Juliet");
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
  assert_non_null(fakehost_find(h, "to=\"juliet@localhost/j2\"",
                                "<status code=\"110\"/>", NULL));
}

static void test_sessions_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "juliet@localhost/j2", "Juliet");
  fakehost_clear(h);
  join(h, "juliet@localhost/j3", "Juliet");
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
  /* nor by a nick change onto the nick */
  join(h, "juliet@localhost/j3", "Jul");
  fakehost_clear(h);
  change_nick(h, "juliet@localhost/j3", "Juliet");
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(muc_room_get_role(room_of(h), "Jul"), MUC_ROLE_PARTICIPANT);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 3);
}

/* ---- max_affiliations_per_room (3: the owner and two more) --------------- */

static void test_affiliations_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='member' jid='a@localhost'/>"
           "<item affiliation='member' jid='b@localhost'/>");
  expect_result(h);
  assert_int_equal(affiliation(h, "b@localhost"), MUC_AFFIL_MEMBER);
  /* at the limit, changes to existing entries and removals work */
  admin(h, "<item affiliation='admin' jid='a@localhost'/>");
  expect_result(h);
  assert_int_equal(affiliation(h, "a@localhost"), MUC_AFFIL_ADMIN);
  /* a removal and an addition in one request fit, in either order */
  admin(h, "<item affiliation='member' jid='c@localhost'/>"
           "<item affiliation='none' jid='b@localhost'/>");
  expect_result(h);
  assert_int_equal(affiliation(h, "c@localhost"), MUC_AFFIL_MEMBER);
  assert_int_equal(affiliation(h, "b@localhost"), MUC_AFFIL_NONE);
  admin(h, "<item affiliation='none' jid='c@localhost'/>"
           "<item affiliation='outcast' jid='d@localhost'/>");
  expect_result(h);
  assert_int_equal(affiliation(h, "d@localhost"), MUC_AFFIL_OUTCAST);
}

static void test_affiliations_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='member' jid='a@localhost'/>"
           "<item affiliation='member' jid='b@localhost'/>");
  fakehost_clear(h);
  admin(h, "<item affiliation='outcast' jid='c@localhost'/>");
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(affiliation(h, "c@localhost"), MUC_AFFIL_NONE);
  /* atomic: the change to an existing entry is not applied either */
  admin(h, "<item affiliation='admin' jid='a@localhost'/>"
           "<item affiliation='member' jid='c@localhost'/>");
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(affiliation(h, "a@localhost"), MUC_AFFIL_MEMBER);
  /* the configuration form's lists: nothing of the form is applied */
  configure(h, "<field var='muc#roomconfig_roomname'><value>Verona</value>"
               "</field><field var='muc#roomconfig_roomadmins'>"
               "<value>c@localhost</value></field>");
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(affiliation(h, "c@localhost"), MUC_AFFIL_NONE);
  assert_false(disco_has(h, "name=\"Verona\""));
}

/* An invitation into a members-only room grants membership (§9.3). */
static void test_affiliations_over_invite(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='member' jid='a@localhost'/>"
           "<item affiliation='member' jid='juliet@localhost'/>");
  configure(h, "<field var='muc#roomconfig_membersonly'><value>1</value>"
               "</field>");
  fakehost_clear(h);
  say(h, ROMEO, ROOM, "normal",
      "<x xmlns='" MUCNS "#user'><invite to='c@localhost'/></x>");
  expect_error(h, "resource-constraint", "wait", ROOM); /* nothing else */
  assert_int_equal(affiliation(h, "c@localhost"), MUC_AFFIL_NONE);
  /* a member may still be invited: no new entry */
  say(h, ROMEO, ROOM, "normal",
      "<x xmlns='" MUCNS "#user'><invite to='a@localhost'/></x>");
  assert_non_null(fakehost_find(h, "to=\"a@localhost\"", "<invite ", NULL));
}

/* Registering makes an unaffiliated user a member: a new entry. */
static void test_affiliations_over_register(void **state)
{
  fakehost *h = *state;
  make_room(h);
  register_nick(h, "juliet@localhost/j", "Juliet", "");
  admin(h, "<item affiliation='member' jid='a@localhost'/>");
  join(h, "benvolio@localhost/b", "Benvolio");
  fakehost_clear(h);
  register_nick(h, "benvolio@localhost/b", "Benvolio", "");
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(affiliation(h, "benvolio@localhost"), MUC_AFFIL_NONE);
  /* a member changing its registered nick changes an entry */
  register_nick(h, "juliet@localhost/j", "Jules", "");
  expect_result(h);
}

/* ---- max_pending_stanzas (2 in these tests) ------------------------------ */

static int setup_pending(void **state)
{
  muc_config c = small();
  c.max_pending_stanzas = 2;
  return setup_with(state, &c, 1);
}

/* Two stanzas wait for the room to load; both are handled once it has. */
static void test_pending_under(void **state)
{
  fakehost *h = *state;
  h->async_load = 1;
  join(h, ROMEO, "Romeo");
  join(h, "juliet@localhost/j", "Juliet");
  assert_int_equal(h->nsent, 0);
  assert_int_equal(muc_service_room_loaded(h->svc, ROOM, NULL, 0), MUC_OK);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
}

static void test_pending_over(void **state)
{
  fakehost *h = *state;
  h->async_load = 1;
  join(h, ROMEO, "Romeo");
  join(h, "juliet@localhost/j", "Juliet");
  assert_int_equal(fakehost_xml(h, "<presence from='tybalt@localhost/t' "
                                   "to='" ROOM "/Tybalt'>" MUCX "</presence>"),
                   MUC_ERR_LIMIT);
  expect_error(h, "resource-constraint", "wait", ROOM);
  assert_int_equal(muc_service_room_loaded(h->svc, ROOM, NULL, 0), MUC_OK);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
  assert_int_equal(muc_room_get_role(room_of(h), "Tybalt"), MUC_ROLE_NONE);
}

/* ---- room creation policy ------------------------------------------------ */

static void test_may_create_room_asked(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  assert_int_equal(h->create_asks, 1);
  assert_string_equal(h->create_real, ROMEO);
  assert_string_equal(h->create_room, ROOM);
  assert_non_null(muc_service_find_room(h->svc, "room"));
  /* joining a room that exists is no creation */
  join(h, "juliet@localhost/j", "Juliet");
  assert_int_equal(h->create_asks, 1);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
}

static void test_may_create_room_refused(void **state)
{
  fakehost *h = *state;
  h->refuse_create = 1;
  join(h, ROMEO, "Romeo");
  expect_error(h, "not-allowed", "cancel", DOMAIN);
  assert_int_equal(h->create_asks, 1);
  assert_int_equal(muc_service_get_room_count(h->svc), 0);
  assert_null(muc_service_find_room(h->svc, "room"));
}

/* Service admins create rooms whatever may_create_room says, and it is
 * not asked (muc.h). */
static void test_may_create_room_not_asked_for_admins(void **state)
{
  fakehost *h = *state;
  h->refuse_create = 1;
  join(h, "admin@localhost/a", "Admin");
  assert_int_equal(h->create_asks, 0);
  assert_int_equal(muc_room_get_affiliation(room_of(h), "admin@localhost"),
                   MUC_AFFIL_OWNER);
  assert_non_null(fakehost_find(h, "<status code=\"201\"/>", NULL));
  /* the others are asked, and refused */
  fakehost_clear(h);
  join_room(h, "other", ROMEO, "Romeo");
  expect_error(h, "not-allowed", "cancel", DOMAIN);
  assert_int_equal(h->create_asks, 1);
}

/* One sender tries to create 10,000 rooms with the default limits. */
static void test_flood_of_rooms(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 0), MUC_OK);
  muc_config d;
  muc_config_default(&d);
  size_t at_limit = 0;
  for (unsigned i = 0; i < 10000; i++) {
    assert_int_equal(fakehost_xml(&h,
                                  "<presence from='flood@localhost/f' "
                                  "to='r%u@" DOMAIN "/F'>" MUCX "</presence>",
                                  i),
                     MUC_OK);
    fakehost_clear(&h);
    if (i == d.max_rooms_per_creator + 100)
      at_limit = muc_service_get_memory_usage(h.svc);
  }
  assert_int_equal(muc_service_get_room_count(h.svc), d.max_rooms_per_creator);
  /* what the refusals left behind is bounded: the JID cache at most */
  size_t after = muc_service_get_memory_usage(h.svc);
  assert_true(after <= at_limit + 4096);
  join_room(&h, "mine", ROMEO, "Romeo");
  assert_non_null(fakehost_find(&h, "<status code=\"201\"/>", NULL));
  assert_int_equal(muc_service_get_room_count(h.svc),
                   d.max_rooms_per_creator + 1);
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_rooms_under),
      T(test_rooms_over),
      TS(test_rooms_over_loading_count),
      T(test_rooms_per_creator_under),
      T(test_rooms_per_creator_over),
      T(test_rooms_per_creator_under_admin),
      TS(test_rooms_per_creator_loaded_count_for_nobody),
      T(test_occupants_under),
      T(test_occupants_over),
      T(test_occupants_under_admin_past_room_max),
      T(test_occupants_over_by_nick_change),
      T(test_sessions_under),
      T(test_sessions_over),
      T(test_affiliations_under),
      T(test_affiliations_over),
      T(test_affiliations_over_invite),
      TR(test_affiliations_over_register),
      cmocka_unit_test_setup_teardown(test_pending_under, setup_pending,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_pending_over, setup_pending,
                                      fakehost_teardown),
      T(test_may_create_room_asked),
      T(test_may_create_room_refused),
      T(test_may_create_room_not_asked_for_admins),
      cmocka_unit_test(test_flood_of_rooms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
