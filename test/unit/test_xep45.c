/* The XEP-0045 rules of issue #11: the room configuration form refuses
 * fields it does not know and holds password protection to a password;
 * the room's disco#info form; status 101 to absent users; reserved nicks
 * enforced (status 210); the room list paged (XEP-0059). */
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
#include "room.h"

#define FIELD(var, value)                                                      \
  "<field var='" var "'><value>" value "</value></field>"
#define PROTECTED "muc#roomconfig_passwordprotectedroom"
#define SECRET "muc#roomconfig_roomsecret"

static const char *password(fakehost *h)
{
  return room_of(h)->cfg.password;
}

/* ---- unknown fields ------------------------------------------------------ */

static void test_unknown_field_refused_nothing_applied(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD("muc#roomconfig_roomname", "New")
                   FIELD("muc#roomconfig_nosuchthing", "1"));
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_null(room_of(h)->cfg.name);
}

static void test_known_fields_accepted(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD("muc#roomconfig_roomname", "New"));
  assert_non_null(fakehost_find(h, "type=\"result\"", NULL));
  assert_string_equal(room_of(h)->cfg.name, "New");
}

/* A form the room served, sent back whole, is always known. */
static void test_served_form_fields_known(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(PROTECTED, "0") FIELD(SECRET, "")
                   FIELD("muc#roomconfig_roomowners", "romeo@localhost"));
  assert_non_null(fakehost_find(h, "type=\"result\"", NULL));
}

/* ---- password protection ------------------------------------------------- */

static void test_protected_with_secret_sets_it(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(PROTECTED, "1") FIELD(SECRET, "pw"));
  assert_non_null(fakehost_find(h, "type=\"result\"", NULL));
  assert_string_equal(password(h), "pw");
}

static void test_protected_without_secret_refused(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(PROTECTED, "1") FIELD("muc#roomconfig_roomname", "X"));
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_null(password(h));
  assert_null(room_of(h)->cfg.name);
}

static void test_protected_with_empty_secret_refused(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(SECRET, "old"));
  fakehost_clear(h);
  configure(h, FIELD(PROTECTED, "true") FIELD(SECRET, ""));
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_string_equal(password(h), "old");
}

/* Protection kept with the secret not resubmitted: the old one stays. */
static void test_protected_keeps_existing_secret(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(SECRET, "old"));
  fakehost_clear(h);
  configure(h, FIELD(PROTECTED, "1"));
  assert_non_null(fakehost_find(h, "type=\"result\"", NULL));
  assert_string_equal(password(h), "old");
}

static void test_unprotected_clears_secret(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(SECRET, "old"));
  fakehost_clear(h);
  configure(h, FIELD(PROTECTED, "0") FIELD(SECRET, "ignored"));
  assert_non_null(fakehost_find(h, "type=\"result\"", NULL));
  assert_null(password(h));
}

/* Without the flag the secret alone decides, as before. */
static void test_secret_alone_decides(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(SECRET, "pw"));
  assert_string_equal(password(h), "pw");
  configure(h, FIELD(SECRET, ""));
  assert_null(password(h));
}

static void test_form_shows_protection(void **state)
{
  fakehost *h = *state;
  make_room(h);
  configure(h, FIELD(SECRET, "pw"));
  fakehost_clear(h);
  fakehost_xml(h, "<iq from='" ROMEO "' to='" ROOM "' id='g' type='get'>"
                  "<query xmlns='" MUCNS "#owner'/></iq>");
  assert_non_null(
      fakehost_find(h, "var=\"" PROTECTED "\" type=\"boolean\"", NULL));
  const char *form = fakehost_find(h, "var=\"" PROTECTED "\"", NULL);
  const char *f = strstr(form, "var=\"" PROTECTED "\"");
  assert_non_null(strstr(f, "<value>1</value>"));
  assert_true(strstr(f, "<value>1</value>") < strstr(f, SECRET));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_unknown_field_refused_nothing_applied),
      T(test_known_fields_accepted),
      T(test_served_form_fields_known),
      T(test_protected_with_secret_sets_it),
      T(test_protected_without_secret_refused),
      T(test_protected_with_empty_secret_refused),
      T(test_protected_keeps_existing_secret),
      T(test_unprotected_clears_secret),
      T(test_secret_alone_decides),
      T(test_form_shows_protection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
