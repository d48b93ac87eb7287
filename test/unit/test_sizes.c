#define _POSIX_C_SOURCE 200809L
/* The sizes and the history of muc_config (muc.h "Sizes", "History"):
 * for each, what works under it, and past it the exact error with the
 * state left as it was; a stored record held to the same limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "limits_fixture.h"

/* ---- max_nick_bytes (8) -------------------------------------------------- */

static void test_nick_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "mercutio@localhost/m", "Mercutio");
  assert_int_equal(muc_room_get_role(room_of(h), "Mercutio"),
                   MUC_ROLE_PARTICIPANT);
  /* bytes, not characters: four two-byte characters fit */
  const char *e4 = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  change_nick(h, "mercutio@localhost/m", e4);
  assert_int_equal(muc_room_get_role(room_of(h), e4), MUC_ROLE_PARTICIPANT);
}

static void test_nick_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "benvolio@localhost/b", "Benvolio1");
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
  /* five two-byte characters: 10 bytes */
  join(h, "benvolio@localhost/b", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
  expect_error(h, "not-acceptable", "modify", ROOM);
  /* a nick change */
  change_nick(h, "juliet@localhost/j", "Juliet123");
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_int_equal(muc_room_get_role(room_of(h), "Juliet"),
                   MUC_ROLE_PARTICIPANT);
  /* a new room: nothing is created */
  join_room(h, "other", "benvolio@localhost/b", "Benvolio1");
  expect_error(h, "not-acceptable", "modify", "other@" DOMAIN);
  assert_null(muc_service_find_room(h->svc, "other"));
  /* a nick reserved through the admin list */
  admin(h, "<item affiliation='member' jid='a@localhost' nick='Abcdefghi'/>");
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_int_equal(affiliation(h, "a@localhost"), MUC_AFFIL_NONE);
}

/* Over 1023 bytes a nick is no JID resource: a malformed address, not
 * the limit's error, answered <jid-malformed/> by the room from the
 * address as it was sent (refusal.c "to-malformed"). */
static void test_nick_over_jid_resource(void **state)
{
  fakehost *h = *state;
  make_room(h);
  char nick[1025];
  memset(nick, 'n', 1024);
  nick[1024] = 0;
  assert_int_equal(
      fakehost_xml(h,
                   "<presence from='benvolio@localhost/b' to='" ROOM
                   "/%s'>" MUCX "</presence>",
                   nick),
      MUC_OK);
  char from[1100];
  snprintf(from, sizeof(from), "from=\"" ROOM "/%s\"", nick);
  assert_non_null(fakehost_find(h, from, NULL));
  expect_error(h, "jid-malformed", "modify", ROOM);
}

/* ---- max_subject_bytes (16) ---------------------------------------------- */

static void test_subject_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  say(h, ROMEO, ROOM, "groupchat", "<subject>Fair is foul and</subject>");
  assert_string_equal(muc_room_get_subject(room_of(h)), "Fair is foul and");
}

static void test_subject_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  say(h, ROMEO, ROOM, "groupchat", "<subject>Fair</subject>");
  fakehost_clear(h);
  say(h, ROMEO, ROOM, "groupchat", "<subject>Fair is foul, and</subject>");
  expect_error(h, "policy-violation", "modify", ROOM);
  assert_string_equal(muc_room_get_subject(room_of(h)), "Fair");
}

/* ---- max_reason_bytes (16) ----------------------------------------------- */

#define REASON "Out, damned spot"
#define LONG_REASON "Out, damned spot!"

static void test_reason_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item role='none' nick='Juliet'><reason>" REASON "</reason>"
           "</item>");
  assert_non_null(fakehost_find(h, "<status code=\"307\"/>",
                                "<reason>" REASON "</reason>", NULL));
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 1);
  say(h, "juliet@localhost/j", ROOM, "normal",
      "<x xmlns='" MUCNS "#user'><decline to='" ROMEO "'><reason>" REASON
      "</reason></decline></x>");
  assert_non_null(fakehost_find(h, "<decline ", REASON, NULL));
}

static void test_reason_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  const char *items[] = {
      "<item role='none' nick='Juliet'>",
      "<item role='visitor' nick='Juliet'>",
      "<item affiliation='outcast' jid='juliet@localhost'>",
      "<item affiliation='member' jid='a@localhost'>",
  };
  for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
    char buf[256];
    snprintf(buf, sizeof(buf), "%s<reason>" LONG_REASON "</reason></item>",
             items[i]);
    admin(h, buf);
    expect_error(h, "policy-violation", "modify", ROOM);
  }
  assert_int_equal(muc_room_get_role(room_of(h), "Juliet"),
                   MUC_ROLE_PARTICIPANT);
  assert_int_equal(affiliation(h, "juliet@localhost"), MUC_AFFIL_NONE);
  assert_int_equal(affiliation(h, "a@localhost"), MUC_AFFIL_NONE);
  /* invitation and decline: nothing is passed on */
  say(h, ROMEO, ROOM, "normal",
      "<x xmlns='" MUCNS "#user'><invite to='a@localhost'><reason>" LONG_REASON
      "</reason></invite></x>");
  expect_error(h, "policy-violation", "modify", ROOM);
  say(h, "juliet@localhost/j", ROOM, "normal",
      "<x xmlns='" MUCNS "#user'><decline to='" ROMEO "'><reason>" LONG_REASON
      "</reason></decline></x>");
  expect_error(h, "policy-violation", "modify", ROOM);
  /* destruction: the room stays */
  iq_set(h, ROMEO, MUCNS "#owner",
         "<destroy><reason>" LONG_REASON "</reason></destroy>");
  expect_error(h, "policy-violation", "modify", ROOM);
  assert_int_equal(muc_room_get_occupant_count(room_of(h)), 2);
}

/* ---- max_room_name_bytes (8), max_password_bytes (8),
 *      max_form_value_bytes (32) ------------------------------------------ */

#define DESC32 "A plague on both your houses, ok"

static void test_form_values_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(strlen(DESC32), 32);
  configure(h, "<field var='muc#roomconfig_roomname'><value>Capulets</value>"
               "</field><field var='muc#roomconfig_roomsecret'><value>"
               "rosemary</value></field><field var='muc#roomconfig_roomdesc'>"
               "<value>" DESC32 "</value></field>");
  expect_result(h);
  char *info = disco(h);
  assert_non_null(strstr(info, "name=\"Capulets\""));
  assert_non_null(strstr(info, "muc_passwordprotected"));
  assert_non_null(strstr(info, DESC32));
  free(info);
}

static void test_form_values_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  const char *fields[] = {
      "<field var='muc#roomconfig_roomname'><value>Montagues</value></field>",
      "<field var='muc#roomconfig_roomsecret'><value>rosemary9</value>"
      "</field>",
      "<field var='muc#roomconfig_roomdesc'><value>" DESC32 "!</value>"
      "</field>",
      /* any value of any field, known or not */
      "<field var='x-unknown'><value>a</value><value>" DESC32 "!</value>"
      "</field>",
  };
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    char buf[1024];
    /* with a valid change that must not be applied either */
    snprintf(buf, sizeof(buf),
             "<field var='muc#roomconfig_persistentroom'><value>1</value>"
             "</field>%s",
             fields[i]);
    configure(h, buf);
    expect_error(h, "not-acceptable", "modify", ROOM);
  }
  char *info = disco(h);
  assert_non_null(strstr(info, "name=\"room\""));
  assert_non_null(strstr(info, "muc_unsecured"));
  assert_non_null(strstr(info, "muc_temporary"));
  assert_null(strstr(info, DESC32));
  free(info);
}

/* The password a join gives a new room is the room's password. */
static void test_form_values_over_initial_password(void **state)
{
  fakehost *h = *state;
  assert_int_equal(fakehost_xml(h, "<presence from='" ROMEO "' to='" ROOM
                                   "/Romeo'><x xmlns='" MUCNS "'><password>"
                                   "rosemary9</password></x></presence>"),
                   MUC_OK);
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_null(muc_service_find_room(h->svc, "room"));
  assert_int_equal(fakehost_xml(h, "<presence from='" ROMEO "' to='" ROOM
                                   "/Romeo'><x xmlns='" MUCNS "'><password>"
                                   "rosemary</password></x></presence>"),
                   MUC_OK);
  assert_true(disco_has(h, "muc_passwordprotected"));
}

static void test_register_values_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  register_nick(h, "juliet@localhost/j", "Juliet",
                "<field var='muc#register_url'><value>" DESC32
                "</value></field>");
  expect_result(h);
  assert_int_equal(affiliation(h, "juliet@localhost"), MUC_AFFIL_MEMBER);
}

static void test_register_values_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  register_nick(h, "juliet@localhost/j", "Juliet123", "");
  expect_error(h, "not-acceptable", "modify", ROOM);
  register_nick(h, "juliet@localhost/j", "Juliet",
                "<field var='muc#register_url'><value>" DESC32
                "!</value></field>");
  expect_error(h, "not-acceptable", "modify", ROOM);
  assert_int_equal(affiliation(h, "juliet@localhost"), MUC_AFFIL_NONE);
}

/* ---- max_history, max_history_bytes -------------------------------------- */

/* The ids of the history a newcomer receives, in order ("m1 m2 "). */
static void history_of(fakehost *h, const char *user, const char *nick,
                       char *ids, size_t n)
{
  fakehost_clear(h);
  join(h, user, nick);
  ids[0] = 0;
  for (size_t i = 0; i < h->nsent; i++) {
    const char *id = strstr(h->sent[i], " id=\"m");
    if (!strstr(h->sent[i], "<delay") || !id)
      continue;
    size_t len = strcspn(id + 5, "\"");
    snprintf(ids + strlen(ids), n - strlen(ids), "%.*s ", (int)len, id + 5);
  }
}

/* Romeo says |count| messages "m1".."mN" with a body of |body| bytes. */
static void talk(fakehost *h, int from, int count, size_t body)
{
  char *text = malloc(body + 1);
  memset(text, 'x', body);
  text[body] = 0;
  for (int i = from; i < from + count; i++)
    assert_int_equal(fakehost_xml(h,
                                  "<message from='" ROMEO "' to='" ROOM
                                  "' type='groupchat' id='m%d'><body>%s"
                                  "</body></message>",
                                  i, text),
                     MUC_OK);
  free(text);
}

/* Romeo says |count| messages of |body| bytes; Tybalt then joins and
 * gets the history |want|. */
static void expect_history(fakehost *h, int count, size_t body,
                           const char *want)
{
  talk(h, 1, count, body);
  char ids[256];
  history_of(h, "tybalt@localhost/t", "Tybalt", ids, sizeof(ids));
  assert_string_equal(ids, want);
}

static void test_history_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  expect_history(h, 3, 10, "m1 m2 m3 ");
}

static void test_history_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  /* room_history_length (20) and the form's value are capped by
   * max_history (3) */
  configure(h, "<field var='muc#roomconfig_historylength'><value>50</value>"
               "</field>");
  assert_true(disco_has(h, "<value>3</value>"));
  expect_history(h, 5, 10, "m3 m4 m5 ");
}

/* 1000 bytes hold two messages of a 300-byte body (each about 470 bytes
 * as kept), not three. */
static int setup_history_bytes(void **state)
{
  muc_config c = small();
  c.max_history = 100;
  c.max_history_bytes = 1000;
  c.max_occupants_per_room = 10;
  return setup_with(state, &c, 0);
}

static void test_history_bytes_under(void **state)
{
  fakehost *h = *state;
  make_room(h);
  expect_history(h, 2, 300, "m1 m2 ");
}

static void test_history_bytes_over(void **state)
{
  fakehost *h = *state;
  make_room(h);
  expect_history(h, 5, 300, "m4 m5 "); /* the oldest made way */
  /* a message larger than the whole allowance is not refused, only not
   * kept: the older history stays */
  fakehost_clear(h);
  talk(h, 6, 1, 1200);
  assert_non_null(
      fakehost_find(h, "to=\"juliet@localhost/j\"", "id=\"m6\"", NULL));
  assert_null(fakehost_find(h, "type=\"error\"", NULL));
  char ids[256];
  history_of(h, "benvolio@localhost/b", "Benvolio", ids, sizeof(ids));
  assert_string_equal(ids, "m4 m5 ");
}

/* ---- a stored record holds the limits too -------------------------------- */

/* Answer the pending load of room@ with |record|; the room exists after
 * it or not. */
static int load(fakehost *h, const char *record)
{
  h->async_load = 1;
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h, "<presence from='" ROMEO "' to='" ROOM
                                   "/Romeo'><x xmlns='" MUCNS "'><password>"
                                   "rosemary</password></x></presence>"),
                   MUC_OK);
  assert_int_equal(h->loads, 1);
  h->loads = 0;
  return muc_service_room_loaded(h->svc, ROOM, record, strlen(record));
}

#define RECORD(config, rest)                                                   \
  "<room xmlns='urn:libmuc:room:1' jid='" ROOM                                 \
  "'><config persistent='1' " config                                           \
  "/><affiliation jid='romeo@localhost' affiliation='owner'/>" rest "</room>"

static const char *const within[] = {
    RECORD("name='Capulets' password='rosemary' desc='" DESC32 "'",
           "<subject>Fair is foul and</subject>"
           "<affiliation jid='a@localhost' affiliation='member' "
           "nick='Mercutio'><reason>" REASON "</reason></affiliation>"
           "<affiliation jid='b@localhost' affiliation='outcast'/>"),
};

static const char *const beyond[] = {
    RECORD("name='Montagues'", ""),
    RECORD("password='rosemary9'", ""),
    RECORD("desc='" DESC32 "!'", ""),
    RECORD("lang='" DESC32 "!'", ""),
    RECORD("", "<subject>Fair is foul, and</subject>"),
    RECORD("", "<affiliation jid='a@localhost' affiliation='member' "
               "nick='Mercutio1'/>"),
    RECORD("", "<affiliation jid='a@localhost' affiliation='member'>"
               "<reason>" LONG_REASON "</reason></affiliation>"),
    RECORD("", "<affiliation jid='a@localhost' affiliation='member'/>"
               "<affiliation jid='b@localhost' affiliation='member'/>"
               "<affiliation jid='c@localhost' affiliation='member'/>"),
};

static void test_stored_record_under(void **state)
{
  fakehost *h = *state;
  assert_int_equal(load(h, within[0]), MUC_OK);
  muc_room *room = room_of(h);
  assert_string_equal(muc_room_get_subject(room), "Fair is foul and");
  assert_int_equal(muc_room_get_affiliation(room, "b@localhost"),
                   MUC_AFFIL_OUTCAST);
  assert_int_equal(muc_room_get_occupant_count(room), 1);
}

static void test_stored_record_over(void **state)
{
  fakehost *h = *state;
  for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
    if (load(h, beyond[i]) != MUC_ERR_STORAGE) {
      fprintf(stderr, "record %zu loaded: %s\n", i, beyond[i]);
      fail();
    }
    assert_null(muc_service_find_room(h->svc, "room"));
    assert_int_equal(muc_service_get_room_count(h->svc), 0);
    expect_error(h, "internal-server-error", "wait", DOMAIN);
  }
}

#define TH(fn)                                                                 \
  cmocka_unit_test_setup_teardown(fn, setup_history_bytes, fakehost_teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_nick_under),
      T(test_nick_over),
      T(test_nick_over_jid_resource),
      T(test_subject_under),
      T(test_subject_over),
      T(test_reason_under),
      T(test_reason_over),
      T(test_form_values_under),
      T(test_form_values_over),
      T(test_form_values_over_initial_password),
      TR(test_register_values_under),
      TR(test_register_values_over),
      T(test_history_under),
      T(test_history_over),
      TH(test_history_bytes_under),
      TH(test_history_bytes_over),
      TS(test_stored_record_under),
      TS(test_stored_record_over),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
