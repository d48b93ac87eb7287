/* Unit tests: addresses the service knows (addr.c).  A sender, room or
 * occupant named byte for byte as stored is resolved without preparation;
 * any other spelling is prepared and reaches the same session, room or
 * occupant; nothing stays known after its session, occupant or room is
 * gone. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "core.h"
#include "fakehost.h"
#include "jid.h"
#include "occupant.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"

/* A service whose new rooms are open at once, as the benchmark's. */
static int setup(void **state)
{
  static fakehost h;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  if (fakehost_init(&h, DOMAIN, &cfg, 0) != MUC_OK)
    return -1;
  *state = &h;
  return 0;
}

static int teardown(void **state)
{
  fakehost_free(*state);
  return 0;
}

static void join(fakehost *h, const char *user, const char *to)
{
  assert_int_equal(
      fakehost_xml(h, "<presence from='%s' to='%s'>" MUCX "</presence>", user,
                   to),
      MUC_OK);
}

static void leave(fakehost *h, const char *user, const char *to)
{
  assert_int_equal(fakehost_xml(h,
                                "<presence from='%s' to='%s' "
                                "type='unavailable'/>",
                                user, to),
                   MUC_OK);
}

static void pm(fakehost *h, const char *user, const char *to, const char *body)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h,
                                "<message from='%s' to='%s' "
                                "type='chat'><body>%s</body></message>",
                                user, to, body),
                   MUC_OK);
}

static void say(fakehost *h, const char *user, const char *to, const char *body)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h,
                                "<message from='%s' to='%s' "
                                "type='groupchat'><body>%s</body></message>",
                                user, to, body),
                   MUC_OK);
}

/* The sender and target |fa| -> |ta| resolve to |from| and |to| (prepared
 * forms) through muc_addr_parse_*, whichever path they take. */
static void check_parse(fakehost *h, const char *fa, const char *ta,
                        const char *from, const char *to)
{
  muc_service *svc = h->svc;
  muc_jid f, t;
  assert_int_equal(muc_addr_parse_from(svc, fa, ta, &f), MUC_OK);
  assert_int_equal(muc_addr_parse_to(svc, ta, &t), MUC_OK);
  assert_string_equal(f.full, from);
  assert_string_equal(t.full, to);
  muc_jid ref;
  assert_int_equal(muc_jid_parse(&svc->mem, fa, &ref), MUC_OK);
  assert_string_equal(f.bare, ref.bare);
  assert_string_equal(f.domain, ref.domain);
  assert_true(f.node && ref.node && strcmp(f.node, ref.node) == 0);
  assert_true(
      (!f.resource && !ref.resource) ||
      (f.resource && ref.resource && strcmp(f.resource, ref.resource) == 0));
  muc_jid_clear(&svc->mem, &ref);
  muc_jid_clear(&svc->mem, &f);
  muc_jid_clear(&svc->mem, &t);
}

static void test_canonical(void **state)
{
  (void)state;
  assert_true(muc_jid_is_canonical("a@b/c"));
  assert_true(muc_jid_is_canonical("b"));
  assert_true(muc_jid_is_canonical("a@b/C D")); /* resources keep case */
  assert_true(muc_jid_is_canonical("a@b/c@d/e"));
  assert_true(muc_jid_is_canonical("\xC3\xA9l\xC3\xA8ve@\xC3\xA9"
                                   "cole.fr"));
  assert_false(muc_jid_is_canonical("A@b/c"));
  assert_false(muc_jid_is_canonical("a@B/c"));
  assert_false(muc_jid_is_canonical("a@b./c")); /* the dot goes */
  assert_false(muc_jid_is_canonical("\xC3\x89l\xC3\xA8ve@ecole.fr"));
  assert_false(muc_jid_is_canonical("u\xC2\xAD"
                                    "ser@d")); /* soft hyphen goes */
  assert_false(muc_jid_is_canonical(""));
  assert_false(muc_jid_is_canonical("@b"));
  assert_false(muc_jid_is_canonical("a@b/"));
  assert_false(muc_jid_is_canonical("a b@c"));
  assert_false(muc_jid_is_canonical(NULL));
}

/* muc_jid_from_canonical splits as muc_jid_parse does. */
static void test_from_canonical(void **state)
{
  fakehost *h = *state;
  static const char *const jids[] = {"a@b/c@d/e",
                                     "b/c@d",
                                     "a@b",
                                     "b",
                                     "a@b/C D",
                                     "\xC3\xA9l\xC3\xA8ve@\xC3\xA9"
                                     "cole.fr/\xC3\x89"};
  for (size_t i = 0; i < sizeof(jids) / sizeof(jids[0]); i++) {
    muc_jid a, b;
    assert_true(muc_jid_is_canonical(jids[i]));
    assert_int_equal(muc_jid_parse(&h->svc->mem, jids[i], &a), MUC_OK);
    assert_int_equal(muc_jid_from_canonical(&h->svc->mem, jids[i], &b), MUC_OK);
    assert_string_equal(a.full, b.full);
    assert_string_equal(a.bare, b.bare);
    assert_string_equal(a.domain, b.domain);
    assert_int_equal(a.node == NULL, b.node == NULL);
    if (a.node)
      assert_string_equal(a.node, b.node);
    assert_int_equal(a.resource == NULL, b.resource == NULL);
    if (a.resource)
      assert_string_equal(a.resource, b.resource);
    muc_jid_clear(&h->svc->mem, &a);
    muc_jid_clear(&h->svc->mem, &b);
  }
}

/* Two spellings of one sender, and of one room: the stored one is known,
 * the other is prepared, and both reach the same occupant. */
static void test_two_spellings(void **state)
{
  fakehost *h = *state;
  join(h, "user@localhost/r", ROOM "/U");
  muc_session *s = muc_addr_known_sender(h->svc, "user@localhost/r", ROOM);
  assert_non_null(s);
  assert_string_equal(s->jid, "user@localhost/r");
  assert_true(muc_addr_known_target(h->svc, ROOM));
  assert_true(muc_addr_known_target(h->svc, ROOM "/U"));
  /* other spellings are not known... */
  assert_null(muc_addr_known_sender(h->svc, "User@LocalHost/r", ROOM));
  assert_null(muc_addr_known_sender(h->svc, "user@localhost./r", ROOM));
  assert_null(muc_addr_known_sender(h->svc, "user@localhost/R", ROOM));
  assert_false(muc_addr_known_target(h->svc, "Room@" DOMAIN));
  assert_false(muc_addr_known_target(h->svc, "room@Conference.localhost"));
  assert_false(muc_addr_known_target(h->svc, ROOM "/u"));
  assert_false(muc_addr_known_target(h->svc, DOMAIN));
  /* ...but prepared to the same addresses */
  check_parse(h, "user@localhost/r", ROOM, "user@localhost/r", ROOM);
  check_parse(h, "User@LocalHost/r", "Room@Conference.LOCALHOST.",
              "user@localhost/r", ROOM);
  check_parse(h, "user@localhost/r", ROOM "/U", "user@localhost/r", ROOM "/U");
  /* and the room sees one occupant speaking, either way */
  say(h, "user@localhost/r", ROOM, "one");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/U\"", "one", NULL));
  say(h, "USER@localhost/r", "ROOM@" DOMAIN, "two");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/U\"", "two", NULL));
  assert_null(fakehost_find(h, "type=\"error\"", NULL));
  /* a session that joined under another spelling is known by its
   * prepared form, never by the spelling */
  join(h, "X@LocalHost/r", ROOM "/X");
  assert_non_null(muc_addr_known_sender(h->svc, "x@localhost/r", ROOM));
  assert_null(muc_addr_known_sender(h->svc, "X@LocalHost/r", ROOM));
  assert_true(muc_addr_canonical(h->svc, "x@localhost/r"));
  assert_false(muc_addr_canonical(h->svc, "X@LocalHost/r"));
  say(h, "X@LocalHost/r", ROOM, "four");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/X\"", "four", NULL));
  /* a resource differs by case: another session, not an occupant */
  say(h, "user@localhost/R", ROOM, "three");
  assert_non_null(fakehost_find(h, "type=\"error\"", "not-acceptable", NULL));
}

/* A sender who left is no longer known; nor is an occupant or a room that
 * is gone. */
static void test_removed_after_leave(void **state)
{
  fakehost *h = *state;
  join(h, "a@localhost/r", ROOM "/A");
  join(h, "b@localhost/r", ROOM "/B");
  assert_non_null(muc_addr_known_sender(h->svc, "b@localhost/r", ROOM));
  leave(h, "b@localhost/r", ROOM "/B");
  assert_null(muc_addr_known_sender(h->svc, "b@localhost/r", ROOM));
  assert_false(muc_addr_known_target(h->svc, ROOM "/B"));
  assert_true(muc_addr_known_target(h->svc, ROOM "/A"));
  /* who left is answered as a stranger */
  say(h, "b@localhost/r", ROOM, "late");
  assert_non_null(fakehost_find(h, "to=\"b@localhost/r\"", "type=\"error\"",
                                "not-acceptable", NULL));
  assert_null(fakehost_find(h, "late", "to=\"a@localhost/r\"", NULL));
  /* the last occupant leaves: the temporary room goes */
  leave(h, "a@localhost/r", ROOM "/A");
  assert_null(muc_map_get(&h->svc->rooms, "room"));
  assert_null(muc_addr_known_sender(h->svc, "a@localhost/r", ROOM));
  assert_false(muc_addr_known_target(h->svc, ROOM));
  assert_false(muc_addr_known_target(h->svc, ROOM "/A"));
  check_parse(h, "a@localhost/r", ROOM, "a@localhost/r", ROOM);
}

/* After a nick change the new occupant JID is known, the old one not; the
 * session stays known and speaks under its new nick. */
static void test_after_nick_change(void **state)
{
  fakehost *h = *state;
  join(h, "a@localhost/r", ROOM "/A");
  join(h, "c@localhost/r", ROOM "/Old");
  assert_int_equal(
      fakehost_xml(h, "<presence from='c@localhost/r' to='" ROOM "/New'/>"),
      MUC_OK);
  assert_non_null(fakehost_find(h, "code=\"303\"", NULL));
  assert_false(muc_addr_known_target(h->svc, ROOM "/Old"));
  assert_true(muc_addr_known_target(h->svc, ROOM "/New"));
  muc_session *s = muc_addr_known_sender(h->svc, "c@localhost/r", ROOM);
  assert_non_null(s);
  say(h, "c@localhost/r", ROOM, "renamed");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/New\"", "renamed",
                                "to=\"a@localhost/r\"", NULL));
  /* a private message to the new nick, from a known sender to a known
   * occupant */
  pm(h, "a@localhost/r", ROOM "/New", "pm");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/A\"",
                                "to=\"c@localhost/r\"", "pm", NULL));
  /* to the old nick: nobody there any more */
  pm(h, "a@localhost/r", ROOM "/Old", "pm");
  assert_non_null(fakehost_find(h, "type=\"error\"", "item-not-found", NULL));
}

/* Two sessions of one user under one nick: each is known; when one
 * leaves, only the other stays known. */
static void test_multi_session(void **state)
{
  fakehost *h = *state;
  join(h, "m@localhost/one", ROOM "/M");
  join(h, "m@localhost/two", ROOM "/M");
  assert_non_null(muc_addr_known_sender(h->svc, "m@localhost/one", ROOM));
  assert_non_null(muc_addr_known_sender(h->svc, "m@localhost/two", ROOM));
  leave(h, "m@localhost/one", ROOM "/M");
  assert_null(muc_addr_known_sender(h->svc, "m@localhost/one", ROOM));
  assert_non_null(muc_addr_known_sender(h->svc, "m@localhost/two", ROOM));
  assert_true(muc_addr_known_target(h->svc, ROOM "/M"));
}

/* Non-ASCII addresses are known as well (their preparation is libidn's):
 * a sender "élève", a room "salle-é", a nick "Zoë". */
static void test_non_ascii(void **state)
{
  fakehost *h = *state;
  const char *user = "\xC3\xA9l\xC3\xA8ve@\xC3\xA9"
                     "cole.fr/r";
  const char *room = "salle-\xC3\xA9@" DOMAIN;
  const char *occ = "salle-\xC3\xA9@" DOMAIN "/Zo\xC3\xAB";
  join(h, user, occ);
  assert_non_null(muc_addr_known_sender(h->svc, user, room));
  assert_true(muc_addr_known_target(h->svc, room));
  assert_true(muc_addr_known_target(h->svc, occ));
  /* the upper-case spellings are prepared to the same */
  check_parse(h,
              "\xC3\x89l\xC3\xA8ve@\xC3\x89"
              "cole.fr/r",
              "SALLE-\xC3\x89@" DOMAIN, user, room);
  say(h, user, room, "bonjour");
  assert_non_null(fakehost_find(h, "bonjour", NULL));
  assert_null(fakehost_find(h, "type=\"error\"", NULL));
}

/* A stored address whose flag is off (its preparation would differ) is
 * always prepared: the flag is what allows the shortcut. */
static void test_flag_is_required(void **state)
{
  fakehost *h = *state;
  join(h, "f@localhost/r", ROOM "/F");
  muc_session *s = muc_addr_known_sender(h->svc, "f@localhost/r", ROOM);
  assert_non_null(s);
  muc_room *room = muc_map_get(&h->svc->rooms, "room");
  muc_occupant *o = muc_room_occupant_by_nick(room, "F");
  s->canonical = 0;
  o->canonical = 0;
  room->canonical = 0;
  assert_null(muc_addr_known_sender(h->svc, "f@localhost/r", ROOM));
  assert_false(muc_addr_known_target(h->svc, ROOM));
  assert_false(muc_addr_known_target(h->svc, ROOM "/F"));
  check_parse(h, "f@localhost/r", ROOM "/F", "f@localhost/r", ROOM "/F");
  say(h, "f@localhost/r", ROOM, "still");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/F\"", "still", NULL));
}

/* A known room and a nick not in it: only the nick is prepared, with the
 * same result and code as preparing the whole address. */
static void test_new_nick_in_known_room(void **state)
{
  fakehost *h = *state;
  join(h, "a@localhost/r", ROOM "/A");
  static const char *const targets[] = {
      ROOM "/New Nick",
      ROOM "/B",
      ROOM "/A",
      ROOM "/\xC3\x9Cn\xC3\xAF",
      ROOM "/\xEF\xBC\xA1",
      ROOM "/",
      ROOM "/a\x01"
           "b",
      ROOM "/\xC2\xAD",
      ROOM "/\xFF",
      ROOM "/x@y/z",
      ROOM "/\xE2\x80\x8F",
      "Room@" DOMAIN "/N",
      ROOM "./N",
  };
  for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
    muc_jid got, want;
    int rc = muc_addr_parse_to(h->svc, targets[i], &got);
    assert_int_equal(rc, muc_jid_parse(&h->svc->mem, targets[i], &want));
    if (rc == MUC_OK) {
      assert_string_equal(got.full, want.full);
      assert_string_equal(got.bare, want.bare);
      assert_string_equal(got.node, want.node);
      assert_string_equal(got.domain, want.domain);
      assert_string_equal(got.resource, want.resource);
    }
    muc_jid_clear(&h->svc->mem, &got);
    muc_jid_clear(&h->svc->mem, &want);
  }
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_canonical),
      T(test_from_canonical),
      T(test_two_spellings),
      T(test_removed_after_leave),
      T(test_after_nick_change),
      T(test_multi_session),
      T(test_non_ascii),
      T(test_flag_is_required),
      T(test_new_nick_in_known_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
