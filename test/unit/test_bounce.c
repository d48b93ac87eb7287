/* Ghost removal (bounce.c, XEP-0045 §11.1): an occupant's session that
 * sends an error is removed, with status 333, only when the error bounces
 * something the room sent it (addressed to the room or to a nickname in
 * use); an error to a nickname nobody has removes nobody. */
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

#define JULIET "juliet@localhost/j"
#define ERR(cond)                                                              \
  "<error type='cancel'><" cond                                                \
  " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"

static void bounce(fakehost *h, const char *kind, const char *to,
                   const char *cond_error)
{
  assert_int_equal(fakehost_xml(h,
                                "<%s from='" JULIET "' to='%s' type='error'>"
                                "%s</%s>",
                                kind, to, cond_error, kind),
                   MUC_OK);
}

/* Juliet was removed: Romeo saw her leave with 333, and she is gone. */
static void expect_removed(fakehost *h)
{
  assert_non_null(fakehost_find(h, "to=\"" ROMEO "\"", "type=\"unavailable\"",
                                "from=\"" ROOM "/Juliet\"",
                                "<status code=\"333\"/>", NULL));
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 1);
  assert_int_equal(muc_room_get_role(room_of(h), "Juliet"), MUC_ROLE_NONE);
}

/* Juliet is still there, and nothing was said about it. */
static void expect_kept(fakehost *h)
{
  assert_int_equal(h->nsent, 0);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
  assert_int_equal(muc_room_get_role(room_of(h), "Juliet"),
                   MUC_ROLE_PARTICIPANT);
}

/* A message the room sent (from Romeo's occupant JID) that Juliet's
 * server could not deliver. */
static void test_message_bounce_to_occupant_removes(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "message", ROOM "/Romeo", ERR("recipient-unavailable"));
  expect_removed(h);
}

/* A message from the room itself (a subject, a status message). */
static void test_message_bounce_to_room_removes(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "message", ROOM, ERR("remote-server-not-found"));
  expect_removed(h);
}

/* A presence the room sent her (any presence error, §11.1), to her own
 * occupant JID or to the room's (Prosody's issue 978). */
static void test_presence_bounce_removes(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "presence", ROOM "/Juliet", ERR("service-unavailable"));
  expect_removed(h);
}

static void test_presence_bounce_to_room_removes(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "presence", ROOM, ERR("gone"));
  expect_removed(h);
}

/* Juliet's own error to a nickname nobody has in the room: the room sent
 * nothing from that address, so nothing says she is gone. */
static void test_message_error_to_absent_nick_keeps(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "message", ROOM "/Nobody", ERR("service-unavailable"));
  expect_kept(h);
}

static void test_presence_error_to_absent_nick_keeps(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "presence", ROOM "/Nobody", ERR("service-unavailable"));
  expect_kept(h);
}

/* A message error that does not say the recipient cannot be reached (a
 * client refusing one message) removes nobody. */
static void test_message_error_not_kickable_keeps(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bounce(h, "message", ROOM "/Romeo", ERR("feature-not-implemented"));
  expect_kept(h);
}

/* An error from someone not in the room: nobody to remove, no answer. */
static void test_error_from_outside_is_not_answered(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(
      fakehost_xml(h, "<message from='ben@localhost/b' to='" ROOM
                      "/Romeo' type='error'>" ERR("gone") "</message>"),
      MUC_OK);
  assert_int_equal(h->nsent, 0);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_message_bounce_to_occupant_removes),
      T(test_message_bounce_to_room_removes),
      T(test_presence_bounce_removes),
      T(test_presence_bounce_to_room_removes),
      T(test_message_error_to_absent_nick_keeps),
      T(test_presence_error_to_absent_nick_keeps),
      T(test_message_error_not_kickable_keeps),
      T(test_error_from_outside_is_not_answered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
