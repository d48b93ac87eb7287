#define _POSIX_C_SOURCE 200809L
/* Compact rooms: a room's state grows with use.  The lookups of a small
 * room scan its lists and a larger one builds maps (index.c): the answers
 * must be the same on both sides of MUC_SMALL_ROOM, for nicks, session
 * JIDs and affiliations, through joins, leaves, nick changes and several
 * sessions of one user.  The history ring grows as messages come and
 * shrinks with the history length.  And the budget: a room of five
 * occupants holds at most 1,500 bytes of library memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fakehost.h"
#include "index.h"
#include "occupant.h"
#include "room.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define MUCNS "http://jabber.org/protocol/muc"
#define OWNER "owner@localhost/o"

static void join(fakehost *h, const char *room, const char *user,
                 const char *nick)
{
  char jid[256];
  snprintf(jid, sizeof(jid), "%s@" DOMAIN, room);
  assert_int_equal(fakehost_join(h, user, jid, nick, ""), MUC_OK);
}

static void leave(fakehost *h, const char *user, const char *nick)
{
  assert_int_equal(fakehost_leave(h, user, ROOM, nick), MUC_OK);
}

/* The owner creates "room" and accepts the default configuration. */
static muc_room *make_room(fakehost *h)
{
  join(h, "room", OWNER, "Owner");
  assert_int_equal(
      fakehost_xml(h, "<iq from='" OWNER "' to='" ROOM "' id='c1' "
                      "type='set'><query xmlns='" MUCNS "#owner'><x "
                      "xmlns='jabber:x:data' type='submit'/></query></iq>"),
      MUC_OK);
  muc_room *room = muc_service_find_room(h->svc, ROOM);
  assert_non_null(room);
  return room;
}

static void user_of(char *buf, size_t n, unsigned i)
{
  snprintf(buf, n, "user%u@localhost/r%u", i, i);
}

static void nick_of(char *buf, size_t n, unsigned i)
{
  snprintf(buf, n, "nick%u", i);
}

/* Every one of users 1..|n| is found by nick and by session JID when
 * |present|, and nobody is otherwise; private messages reach them. */
static void check_lookups(fakehost *h, muc_room *room, unsigned n,
                          const int *present)
{
  char user[64], nick[32];
  for (unsigned i = 1; i <= n; i++) {
    user_of(user, sizeof(user), i);
    nick_of(nick, sizeof(nick), i);
    muc_occupant *by_nick = muc_room_occupant_by_nick(room, nick);
    muc_occupant *by_jid = muc_room_occupant_by_jid(room, user);
    if (!present[i]) {
      assert_null(by_nick);
      assert_null(by_jid);
      continue;
    }
    assert_non_null(by_nick);
    assert_ptr_equal(by_nick, by_jid);
    assert_string_equal(by_nick->nick, nick);
    fakehost_clear(h);
    assert_int_equal(fakehost_xml(h,
                                  "<message from='" OWNER "' to='" ROOM
                                  "/%s' type='chat'><body>hi</body>"
                                  "</message>",
                                  nick),
                     MUC_OK);
    assert_non_null(fakehost_find(h, "to=\"", user, "<body>hi</body>", NULL));
  }
  assert_null(muc_room_occupant_by_nick(room, "nobody"));
  assert_null(muc_room_occupant_by_jid(room, "nobody@localhost/r"));
}

/* Rooms of sizes around MUC_SMALL_ROOM: joins, every other one leaves,
 * they come back, a nick change. */
static void test_occupant_lookups(void **state)
{
  (void)state;
  static const unsigned sizes[] = {3, MUC_SMALL_ROOM - 1, MUC_SMALL_ROOM,
                                   MUC_SMALL_ROOM + 1, 3 * MUC_SMALL_ROOM};
  for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    unsigned n = sizes[k];
    fakehost h;
    assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 0), MUC_OK);
    muc_room *room = make_room(&h);
    int present[64] = {0};
    char user[64], nick[32];
    for (unsigned i = 1; i <= n; i++) {
      user_of(user, sizeof(user), i);
      nick_of(nick, sizeof(nick), i);
      join(&h, "room", user, nick);
      present[i] = 1;
    }
    /* with the owner, n + 1 occupants */
    assert_int_equal(room->noccupants, n + 1);
    assert_int_equal(room->occupant_maps, n + 1 > MUC_SMALL_ROOM);
    check_lookups(&h, room, n, present);
    for (unsigned i = 1; i <= n; i += 2) {
      user_of(user, sizeof(user), i);
      nick_of(nick, sizeof(nick), i);
      leave(&h, user, nick);
      present[i] = 0;
    }
    check_lookups(&h, room, n, present);
    for (unsigned i = 1; i <= n; i += 2) {
      user_of(user, sizeof(user), i);
      nick_of(nick, sizeof(nick), i);
      join(&h, "room", user, nick);
      present[i] = 1;
    }
    check_lookups(&h, room, n, present);
    /* user 2 becomes "renamed": the old nick is free, the JID follows */
    assert_int_equal(fakehost_xml(&h, "<presence from='user2@localhost/r2' "
                                      "to='" ROOM "/renamed'/>"),
                     MUC_OK);
    muc_occupant *o = muc_room_occupant_by_nick(room, "renamed");
    assert_non_null(o);
    assert_null(muc_room_occupant_by_nick(room, "nick2"));
    assert_ptr_equal(muc_room_occupant_by_jid(room, "user2@localhost/r2"), o);
    /* a taken nick is refused whichever way it is looked up */
    fakehost_clear(&h);
    join(&h, "room", "intruder@localhost/x", "nick3");
    assert_non_null(fakehost_find(&h, "<conflict", NULL));
    assert_int_equal(room->nindexed, room->noccupants);
    fakehost_free(&h);
  }
}

/* One user with many sessions under one nick (§7.2.x multi-session): the
 * sessions alone pass the scan limit. */
static void test_many_sessions(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_sessions_per_occupant = 0; /* no limit */
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, &cfg, 0), MUC_OK);
  muc_room *room = make_room(&h);
  const unsigned n = 3 * MUC_SMALL_ROOM;
  char jid[64];
  for (unsigned i = 1; i <= n; i++) {
    snprintf(jid, sizeof(jid), "multi@localhost/s%u", i);
    join(&h, "room", jid, "Multi");
  }
  assert_int_equal(room->noccupants, 2);
  assert_int_equal(room->nindexed, n + 1);
  assert_true(room->occupant_maps);
  muc_occupant *m = muc_room_occupant_by_nick(room, "Multi");
  assert_non_null(m);
  for (unsigned i = 1; i <= n; i++) {
    snprintf(jid, sizeof(jid), "multi@localhost/s%u", i);
    assert_ptr_equal(muc_room_occupant_by_jid(room, jid), m);
  }
  /* sessions leave one by one; the occupant stays until the last */
  for (unsigned i = 1; i <= n; i++) {
    snprintf(jid, sizeof(jid), "multi@localhost/s%u", i);
    leave(&h, jid, "Multi");
    assert_null(muc_room_occupant_by_jid(room, jid));
    if (i < n)
      assert_ptr_equal(muc_room_occupant_by_nick(room, "Multi"), m);
  }
  assert_null(muc_room_occupant_by_nick(room, "Multi"));
  assert_int_equal(room->nindexed, 1);
  fakehost_free(&h);
}

static void set_affiliation(fakehost *h, unsigned i, const char *aff)
{
  assert_int_equal(fakehost_xml(h,
                                "<iq from='" OWNER "' to='" ROOM "' id='a%u' "
                                "type='set'><query xmlns='" MUCNS "#admin'>"
                                "<item affiliation='%s' "
                                "jid='member%u@localhost'/></query></iq>",
                                i, aff, i),
                   MUC_OK);
  char id[32];
  snprintf(id, sizeof(id), "id=\"a%u\"", i);
  assert_non_null(fakehost_find(h, id, "type=\"result\"", NULL));
}

/* Affiliations past the scan limit, some removed again. */
static void test_affiliation_lookups(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 0), MUC_OK);
  muc_room *room = make_room(&h);
  const unsigned n = 2 * MUC_SMALL_ROOM;
  char jid[64];
  for (unsigned i = 1; i <= n; i++) {
    set_affiliation(&h, i, "member");
    /* the owner's entry and i members */
    assert_int_equal(room->naffils, i + 1);
    assert_int_equal(room->affil_map, i + 1 > MUC_SMALL_ROOM);
  }
  for (unsigned i = 1; i <= n; i += 3)
    set_affiliation(&h, i, "none");
  for (unsigned i = 1; i <= n; i++) {
    snprintf(jid, sizeof(jid), "member%u@localhost/any", i);
    assert_int_equal(muc_room_affiliation(room, jid),
                     (i - 1) % 3 ? MUC_AFFIL_MEMBER : MUC_AFFIL_NONE);
  }
  assert_int_equal(muc_room_affiliation(room, "owner@localhost"),
                   MUC_AFFIL_OWNER);
  assert_int_equal(muc_room_affiliation(room, "stranger@localhost"),
                   MUC_AFFIL_NONE);
  fakehost_free(&h);
}

static void say(fakehost *h, unsigned i)
{
  assert_int_equal(fakehost_xml(h,
                                "<message from='" OWNER "' to='" ROOM
                                "' type='groupchat' id='m%u'><body>n</body>"
                                "</message>",
                                i),
                   MUC_OK);
}

static void set_history_length(fakehost *h, unsigned len)
{
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='" OWNER "' to='" ROOM "' id='h' type='set'>"
                   "<query xmlns='" MUCNS "#owner'><x xmlns='jabber:x:data' "
                   "type='submit'><field var='FORM_TYPE'><value>"
                   "http://jabber.org/protocol/muc#roomconfig</value></field>"
                   "<field var='muc#roomconfig_historylength'><value>%u"
                   "</value></field></x></query></iq>",
                   len),
      MUC_OK);
}

/* A newcomer gets messages |first|..|last| as history, and no other. */
static void check_history(fakehost *h, unsigned first, unsigned last,
                          const char *nick)
{
  fakehost_clear(h);
  join(h, "room", "late@localhost/l", nick);
  assert_int_equal(fakehost_count(h, "<delay"), last - first + 1);
  char id[32];
  snprintf(id, sizeof(id), "id=\"m%u\"", first);
  assert_non_null(fakehost_find(h, id, "<delay", NULL));
  snprintf(id, sizeof(id), "id=\"m%u\"", last);
  assert_non_null(fakehost_find(h, id, "<delay", NULL));
  assert_int_equal(fakehost_xml(h,
                                "<presence from='late@localhost/l' to='" ROOM
                                "/%s' type='unavailable'/>",
                                nick),
                   MUC_OK);
}

/* The ring: nothing before the first message, then doubling up to the
 * history length (20 by default), then the newest kept on shrinking. */
static void test_history_ring_grows(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 0), MUC_OK);
  muc_room *room = make_room(&h);
  assert_int_equal(room->hmax, 20);
  assert_null(room->history);
  assert_int_equal(room->hcap, 0);
  say(&h, 1);
  assert_int_equal(room->hcap, 4);
  for (unsigned i = 2; i <= 5; i++)
    say(&h, i);
  assert_int_equal(room->hcap, 8);
  assert_int_equal(room->hcount, 5);
  check_history(&h, 1, 5, "a");
  for (unsigned i = 6; i <= 30; i++)
    say(&h, i);
  assert_int_equal(room->hcap, 20);
  assert_int_equal(room->hcount, 20);
  check_history(&h, 11, 30, "b");
  set_history_length(&h, 6);
  assert_int_equal(room->hmax, 6);
  assert_int_equal(room->hcap, 6);
  check_history(&h, 25, 30, "c");
  say(&h, 31);
  check_history(&h, 26, 31, "d");
  set_history_length(&h, 0);
  assert_null(room->history);
  say(&h, 32);
  fakehost_clear(&h);
  join(&h, "room", "late@localhost/l", "e");
  assert_int_equal(fakehost_count(&h, "<delay"), 0);
  set_history_length(&h, 10);
  for (unsigned i = 33; i <= 45; i++)
    say(&h, i);
  assert_int_equal(room->hcap, 10);
  check_history(&h, 36, 45, "f");
  fakehost_free(&h);
}

/* W6 of the benchmark in miniature: rooms of five, each user joining
 * once, without a per-creator limit (as the benchmark's service). */
static void test_room_budget(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  cfg.max_rooms_per_creator = 0;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, &cfg, 0), MUC_OK);
  const unsigned rooms = 200;
  size_t before = muc_service_get_memory_usage(h.svc);
  char room[32], user[64], nick[32];
  for (unsigned k = 1; k <= 5; k++)
    for (unsigned i = 1; i <= rooms; i++) {
      snprintf(room, sizeof(room), "room%u", i);
      snprintf(user, sizeof(user), "u%u_%u@localhost/r", i, k);
      snprintf(nick, sizeof(nick), "u%u_%u", i, k);
      join(&h, room, user, nick);
      fakehost_clear(&h);
    }
  assert_int_equal(muc_service_get_room_count(h.svc), rooms);
  size_t per_room = (muc_service_get_memory_usage(h.svc) - before) / rooms;
  print_message("library memory per room of 5: %zu bytes\n", per_room);
  assert_true(per_room <= 1500);
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_occupant_lookups),
      cmocka_unit_test(test_many_sessions),
      cmocka_unit_test(test_affiliation_lookups),
      cmocka_unit_test(test_history_ring_grows),
      cmocka_unit_test(test_room_budget),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
