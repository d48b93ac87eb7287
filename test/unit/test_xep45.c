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

/* ---- status 101 ---------------------------------------------------------- */

#define NOTICE_101(aff, jid)                                                   \
  "to=\"" jid "\"", "<item affiliation=\"" aff "\" jid=\"" jid "\"/>",         \
      "<status code=\"101\"/>"

static void test_absent_member_told(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  fakehost_clear(h);
  admin(h, "<item affiliation='member' jid='tybalt@localhost'/>");
  assert_non_null(
      fakehost_find(h, NOTICE_101("member", "tybalt@localhost"), NULL));
  assert_int_equal(fakehost_count(h, "code=\"101\""), 1);
}

static void test_present_user_not_told_101(void **state)
{
  fakehost *h = *state;
  make_room(h); /* Juliet is in */
  admin(h, "<item affiliation='member' jid='juliet@localhost'/>");
  assert_int_equal(fakehost_count(h, "code=\"101\""), 0);
  assert_non_null(fakehost_find(h, "<item affiliation=\"member\"", NULL));
}

static void test_unchanged_affiliation_not_told(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  admin(h, "<item affiliation='member' jid='tybalt@localhost'/>");
  fakehost_clear(h);
  admin(h, "<item affiliation='member' jid='tybalt@localhost'/>");
  assert_int_equal(fakehost_count(h, "code=\"101\""), 0);
}

static void test_admin_api_change_told(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  fakehost_clear(h);
  assert_int_equal(muc_service_ban(h->svc, ROOM, "tybalt@localhost", "Go"),
                   MUC_OK);
  assert_non_null(fakehost_find(h, "to=\"tybalt@localhost\"",
                                "<item affiliation=\"outcast\" "
                                "jid=\"tybalt@localhost\"><reason>Go</reason>",
                                "<status code=\"101\"/>", NULL));
}

/* A domain ban tells no one; a registration is the user's own doing. */
static void test_domain_and_self_not_told(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  fakehost_clear(h);
  admin(h, "<item affiliation='outcast' jid='capulet.example'/>");
  assert_int_equal(fakehost_count(h, "code=\"101\""), 0);
  register_nick(h, "tybalt@localhost/t", "Tyb", "");
  assert_non_null(fakehost_find(h, "type=\"result\"", NULL));
  assert_int_equal(fakehost_count(h, "code=\"101\""), 0);
}

/* An invitation into a members-only room says it already. */
static void test_invited_member_not_told_twice(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  configure(h, FIELD("muc#roomconfig_membersonly", "1"));
  fakehost_clear(h);
  admin(h, "<item affiliation='member' jid='tybalt@localhost'/>");
  assert_non_null(fakehost_find(h, "to=\"tybalt@localhost\"", "<invite", NULL));
  assert_int_equal(fakehost_count(h, "code=\"101\""), 0);
}

static int setup_quiet(void **state)
{
  muc_config c = small();
  c.notify_absent_affiliation = 0;
  return setup_with(state, &c, 0);
}

static void test_notice_off(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  fakehost_clear(h);
  admin(h, "<item affiliation='member' jid='tybalt@localhost'/>");
  assert_int_equal(fakehost_count(h, "code=\"101\""), 0);
}

/* V4's defaults; a V3 caller's struct is not written past V3's end (the
 * service takes the V4 defaults for it, abi.c). */
static void test_config_v4_defaults(void **state)
{
  (void)state;
  unsigned char buf[sizeof(muc_config)];
  memset(buf, 0xA5, sizeof(buf));
  assert_int_equal(
      muc_config_default_versioned(MUC_CONFIG_V3, (muc_config *)(void *)buf),
      MUC_OK);
  for (size_t i = offsetof(muc_config, notify_absent_affiliation);
       i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0xA5);
  muc_config full;
  assert_int_equal(muc_config_default(&full), MUC_OK);
  assert_int_equal(full.notify_absent_affiliation, 1);
  assert_int_equal(full.enforce_reserved_nicks, 0);
  assert_int_equal(full.max_room_list_items, 0);
}

/* ---- reserved nicks enforced (status 210) -------------------------------- */

static int setup_enforced(void **state)
{
  muc_config c = small();
  c.enforce_reserved_nicks = 1;
  return setup_with(state, &c, 0);
}

#define TE(fn)                                                                 \
  cmocka_unit_test_setup_teardown(fn, setup_enforced, fakehost_teardown)

static void reserve_ben(fakehost *h)
{
  join(h, ROMEO, "Romeo");
  admin(h, "<item affiliation='member' jid='ben@localhost' nick='Ben'/>");
  fakehost_clear(h);
}

static void test_reserved_nick_assigned_210(void **state)
{
  fakehost *h = *state;
  reserve_ben(h);
  join(h, "ben@localhost/b", "Benny");
  assert_non_null(fakehost_find(
      h, "from=\"" ROOM "/Ben\"", "to=\"ben@localhost/b\"",
      "<status code=\"210\"/><item", "<status code=\"110\"/>", NULL));
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Ben\"",
                                "to=\"romeo@localhost/r\"", NULL));
  assert_null(fakehost_find(h, ROOM "/Benny", NULL));
  assert_int_equal(fakehost_count(h, "code=\"210\""), 1);
}

static void test_reserved_nick_as_asked_no_210(void **state)
{
  fakehost *h = *state;
  reserve_ben(h);
  join(h, "ben@localhost/b", "Ben");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Ben\"",
                                "<status code=\"110\"/>", NULL));
  assert_int_equal(fakehost_count(h, "code=\"210\""), 0);
}

static void test_reserved_nick_still_conflicts(void **state)
{
  fakehost *h = *state;
  reserve_ben(h);
  join(h, "juliet@localhost/j", "Ben");
  expect_error(h, "conflict", "cancel", ROOM);
}

static void test_nick_change_away_refused(void **state)
{
  fakehost *h = *state;
  reserve_ben(h);
  join(h, "ben@localhost/b", "Benny");
  fakehost_clear(h);
  change_nick(h, "ben@localhost/b", "Benvolio");
  expect_error(h, "not-acceptable", "modify", ROOM);
}

/* Users without a reservation, and everyone when it is off, enter as
 * asked. */
static void test_unreserved_enter_as_asked(void **state)
{
  fakehost *h = *state;
  reserve_ben(h);
  join(h, "juliet@localhost/j", "Jules");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Jules\"", NULL));
  assert_int_equal(fakehost_count(h, "code=\"210\""), 0);
}

static void test_not_enforced_by_default(void **state)
{
  fakehost *h = *state;
  reserve_ben(h);
  join(h, "ben@localhost/b", "Benny");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Benny\"", NULL));
  assert_int_equal(fakehost_count(h, "code=\"210\""), 0);
}

/* A nick Resourceprep changed (NFKC: a full-width J) is a nick the
 * service modified: 210, whatever enforce_reserved_nicks says. */
static void test_prepared_nick_210(void **state)
{
  fakehost *h = *state;
  join(h, ROMEO, "Romeo");
  fakehost_clear(h);
  join(h, "juliet@localhost/j", "&#xFF2A;ulie");
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Julie\"",
                                "to=\"juliet@localhost/j\"",
                                "<status code=\"210\"/><item", NULL));
  assert_int_equal(fakehost_count(h, "code=\"210\""), 1);
}

/* ---- the room's disco#info form ------------------------------------------ */

#define CREATED                                                                \
  "<field var=\"x-muc#roominfo_creationdate\" label=\"Creation date\">"        \
  "<value>2026-01-01T00:00:00Z</value></field>"

static void test_creation_date_shown(void **state)
{
  fakehost *h = *state;
  make_room(h); /* at the fake clock's start, 2026-01-01T00:00:00Z */
  h->now += 3600 * 1000;
  assert_true(disco_has(h, CREATED));
}

typedef struct bytes {
  char *data;
  size_t len;
} bytes;

static int collect(const char *data, size_t len, void *ud)
{
  bytes *out = ud;
  out->data = malloc(len ? len : 1);
  assert_non_null(out->data);
  memcpy(out->data, data, len);
  out->len = len;
  return 0;
}

/* Moved by a snapshot into a service whose clock is a day later, the room
 * keeps its creation date. */
static void test_creation_date_moves_with_snapshot(void **state)
{
  fakehost *h = *state;
  make_room(h);
  bytes snap = {0};
  assert_int_equal(muc_service_snapshot_room(h->svc, ROOM, collect, &snap),
                   MUC_OK);
  fakehost other;
  muc_config c = small();
  assert_int_equal(fakehost_init(&other, DOMAIN, &c, 0), MUC_OK);
  other.now += 24 * 3600 * 1000ull;
  assert_int_equal(muc_service_restore_room(other.svc, snap.data, snap.len),
                   MUC_OK);
  assert_true(disco_has(&other, CREATED));
  free(snap.data);
  fakehost_free(&other);
}

static void test_creation_date_unknown_omitted(void **state)
{
  fakehost *h = *state;
  make_room(h);
  room_of(h)->created = 0; /* as read from an older record */
  assert_false(disco_has(h, "x-muc#roominfo_creationdate"));
}

static void test_contacts_only_when_non_anonymous(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='owner' jid='friar@localhost'/>");
  assert_false(disco_has(h, "muc#roominfo_contactjid"));
  configure(h, FIELD("muc#roomconfig_whois", "anyone"));
  assert_true(disco_has(h, "<field var=\"muc#roominfo_contactjid\" "
                           "type=\"jid-multi\" label=\"Contact Addresses\">"
                           "<value>romeo@localhost</value>"
                           "<value>friar@localhost</value></field>"));
}

/* ---- the room list, paged (XEP-0059) --------------------------------------
 */

/* small(), room for 20 public rooms. */
static muc_config list_config(void)
{
  muc_config c = small();
  c.max_rooms = 20;
  c.max_rooms_per_creator = 20;
  c.room_public = 1;
  return c;
}

static int setup_rooms(void **state)
{
  muc_config c = list_config();
  return setup_with(state, &c, 0);
}

#define TL(fn)                                                                 \
  cmocka_unit_test_setup_teardown(fn, setup_rooms, fakehost_teardown)

static void make_rooms(fakehost *h, int n)
{
  char node[8];
  for (int i = 1; i <= n; i++) {
    snprintf(node, sizeof(node), "r%d", i);
    join_room(h, node, ROMEO, "Romeo");
  }
  fakehost_clear(h);
}

/* The service's disco#items answer to |set_inner| (NULL: no <set/>), to
 * free. */
static char *items(fakehost *h, const char *set_inner)
{
  fakehost_clear(h);
  char q[512];
  snprintf(q, sizeof(q),
           "<iq from='" ROMEO "' to='" DOMAIN "' id='i' type='get'><query "
           "xmlns='http://jabber.org/protocol/disco#items'>%s%s%s</query></iq>",
           set_inner ? "<set xmlns='http://jabber.org/protocol/rsm'>" : "",
           set_inner ? set_inner : "", set_inner ? "</set>" : "");
  assert_int_equal(fakehost_xml(h, "%s", q), MUC_OK);
  assert_int_equal(h->nsent, 1);
  char *s = strdup(h->sent[0]);
  fakehost_clear(h);
  return s;
}

#define ITEM(n) "<item jid=\"" n "@" DOMAIN "\"/>"
#define SET "<set xmlns=\"http://jabber.org/protocol/rsm\">"

static void expect_items(fakehost *h, const char *set_inner, const char *want)
{
  char *got = items(h, set_inner);
  if (!strstr(got, want))
    fprintf(stderr, "want %s\n got %s\n", want, got);
  assert_non_null(strstr(got, want));
  free(got);
}

static void test_first_page(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 5);
  expect_items(h, "<max>2</max>",
               ITEM("r1") ITEM("r2") SET "<first index=\"0\">r1@" DOMAIN
                                         "</first><last>r2@" DOMAIN
                                         "</last><count>5</count></set>");
}

static void test_page_after(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 5);
  expect_items(
      h, "<max>2</max><after>r2@" DOMAIN "</after>",
      "<query xmlns=\"http://jabber.org/protocol/disco#items\">" ITEM("r3")
          ITEM("r4") SET "<first>r3@" DOMAIN "</first><last>r4@" DOMAIN
                         "</last><count>5</count></set></query>");
  expect_items(h, "<max>2</max><after>r4@" DOMAIN "</after>",
               ITEM("r5") SET "<first>r5@" DOMAIN "</first><last>r5@" DOMAIN
                              "</last><count>5</count>");
  expect_items(h, "<max>2</max><after>r5@" DOMAIN "</after>",
               "<query xmlns=\"http://jabber.org/protocol/disco#items\">" SET
               "<count>5</count></set></query>");
}

static void test_page_before(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 5);
  expect_items(h, "<max>2</max><before/>",
               ITEM("r4") ITEM("r5") SET "<first index=\"3\">r4@" DOMAIN);
  expect_items(h, "<max>2</max><before>r4@" DOMAIN "</before>",
               ITEM("r2") ITEM("r3") SET "<first index=\"1\">r2@" DOMAIN);
  expect_items(h, "<max>9</max><before>r2@" DOMAIN "</before>",
               "#items\">" ITEM("r1") SET "<first index=\"0\">r1@" DOMAIN);
}

static void test_page_index_and_count(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 5);
  expect_items(h, "<max>3</max><index>4</index>",
               "#items\">" ITEM("r5") SET "<first index=\"4\">");
  expect_items(h, "<max>3</max><index>7</index>",
               "#items\">" SET "<count>5</count></set>");
  expect_items(h, "<max>0</max>", "#items\">" SET "<count>5</count></set>");
}

static void test_page_errors(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 2);
  char *got = items(h, "<after>r9@" DOMAIN "</after>");
  assert_non_null(strstr(got, "<item-not-found"));
  free(got);
  got = items(h, "<max>-1</max>");
  assert_non_null(strstr(got, "<bad-request"));
  free(got);
  got = items(h, "<after>r1@" DOMAIN "</after><before/>");
  assert_non_null(strstr(got, "<bad-request"));
  free(got);
}

/* Hidden rooms are not in the list, nor in its pages. */
static void test_page_skips_hidden(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 3);
  configure_room(h, "r2", FIELD("muc#roomconfig_publicroom", "0"));
  expect_items(h, "<max>5</max>",
               "#items\">" ITEM("r1") ITEM("r3") SET "<first index=\"0\">");
  char *got = items(h, "<after>r2@" DOMAIN "</after>");
  assert_non_null(strstr(got, "<item-not-found"));
  free(got);
}

static int setup_capped(void **state)
{
  muc_config c = list_config();
  c.max_room_list_items = 3;
  return setup_with(state, &c, 0);
}

static void test_capped_list(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 3);
  /* at the cap: the whole list, no <set/> */
  char *got = items(h, NULL);
  assert_non_null(strstr(got, ITEM("r3") "</query>"));
  free(got);
  join_room(h, "r4", ROMEO, "Romeo");
  expect_items(h, NULL,
               ITEM("r3") SET "<first index=\"0\">r1@" DOMAIN
                              "</first><last>r3@" DOMAIN
                              "</last><count>4</count></set>");
  /* a larger max is held to the cap */
  expect_items(h, "<max>10</max>", ITEM("r3") SET);
}

/* Stored rooms of the room list follow the rooms in memory; a page goes
 * on from one to the other. */
static int setup_stored_list(void **state)
{
  muc_config c = list_config();
  c.store_room_list = 1;
  fakehost *h = calloc(1, sizeof(*h));
  assert_non_null(h);
  assert_int_equal(fakehost_init(h, DOMAIN, &c, 1), MUC_OK);
  const char *list = "<rooms xmlns='urn:libmuc:rooms:1'><room node='s1' "
                     "name='One'/><room node='s2'/><room node='s3'/></rooms>";
  h->store[0].jid = strdup(DOMAIN);
  h->store[0].data = strdup(list);
  h->store[0].len = strlen(list);
  h->nstore = 1;
  *state = h;
  return 0;
}

static void test_page_crosses_into_stored(void **state)
{
  fakehost *h = *state;
  make_rooms(h, 2);
  configure_room(h, "r1", FIELD("muc#roomconfig_persistentroom", "1"));
  configure_room(h, "r2", FIELD("muc#roomconfig_persistentroom", "1"));
  expect_items(h, "<max>3</max>",
               ITEM("r1") ITEM("r2") "<item jid=\"s1@" DOMAIN
                                     "\" name=\"One\"/>" SET
                                     "<first index=\"0\">r1@" DOMAIN
                                     "</first><last>s1@" DOMAIN
                                     "</last><count>5</count>");
  expect_items(h, "<max>3</max><after>s1@" DOMAIN "</after>",
               "#items\">" ITEM("s2") ITEM("s3") SET "<first>s2@");
  expect_items(h, "<max>2</max><index>1</index>",
               "#items\">" ITEM("r2") "<item jid=\"s1@");
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
      T(test_absent_member_told),
      T(test_present_user_not_told_101),
      T(test_unchanged_affiliation_not_told),
      T(test_admin_api_change_told),
      TR(test_domain_and_self_not_told),
      T(test_invited_member_not_told_twice),
      cmocka_unit_test_setup_teardown(test_notice_off, setup_quiet,
                                      fakehost_teardown),
      cmocka_unit_test(test_config_v4_defaults),
      TE(test_reserved_nick_assigned_210),
      TE(test_reserved_nick_as_asked_no_210),
      TE(test_reserved_nick_still_conflicts),
      TE(test_nick_change_away_refused),
      TE(test_unreserved_enter_as_asked),
      T(test_not_enforced_by_default),
      T(test_prepared_nick_210),
      T(test_creation_date_shown),
      T(test_creation_date_moves_with_snapshot),
      T(test_creation_date_unknown_omitted),
      T(test_contacts_only_when_non_anonymous),
      TL(test_first_page),
      TL(test_page_after),
      TL(test_page_before),
      TL(test_page_index_and_count),
      TL(test_page_errors),
      TL(test_page_skips_hidden),
      cmocka_unit_test_setup_teardown(test_capped_list, setup_capped,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_page_crosses_into_stored,
                                      setup_stored_list, fakehost_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
