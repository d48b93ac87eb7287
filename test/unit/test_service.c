#define _POSIX_C_SOURCE 200809L
/* The service through its public entry points: lifecycle, routing, the
 * error stanza for each kind of bad input, persistence hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"

#define ROOM "room@conference.localhost"
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"

static void join(fakehost *h, const char *user, const char *nick)
{
  assert_int_equal(fakehost_xml(h,
                                "<presence from='%s' to='" ROOM "/%s'>" MUCX
                                "</presence>",
                                user, nick),
                   MUC_OK);
}

/* Romeo creates the room and accepts the default configuration. */
static void make_room(fakehost *h)
{
  join(h, "romeo@localhost/r", "Romeo");
  assert_int_equal(
      fakehost_xml(h, "<iq from='romeo@localhost/r' to='" ROOM "' id='c1' "
                      "type='set'><query "
                      "xmlns='http://jabber.org/protocol/muc#owner'><x "
                      "xmlns='jabber:x:data' type='submit'/></query></iq>"),
      MUC_OK);
  fakehost_clear(h);
}

static void test_new_invalid(void **state)
{
  (void)state;
  muc_service *svc = (muc_service *)1;
  muc_callbacks cb = {0};
  assert_int_equal(
      muc_service_new(&svc, "conference.localhost", &cb, NULL, NULL, NULL),
      MUC_ERR_INVALID_ARG);
  assert_null(svc);
  assert_int_equal(muc_service_new(NULL, "x", &cb, NULL, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  fakehost h;
  assert_int_equal(fakehost_init(&h, "user@conference.localhost", NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(fakehost_init(&h, "conference.localhost/x", NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(fakehost_init(&h, "", NULL, 0), MUC_ERR_INVALID_ARG);
  muc_config bad;
  muc_config_default(&bad);
  bad.room_allow_pm = 7;
  assert_int_equal(fakehost_init(&h, "conference.localhost", &bad, 0),
                   MUC_ERR_INVALID_ARG);
  muc_config_default(&bad);
  bad.room_presence_broadcast = 99;
  assert_int_equal(fakehost_init(&h, "conference.localhost", &bad, 0),
                   MUC_ERR_INVALID_ARG);
  muc_service_free(NULL); /* harmless */
  assert_int_equal(muc_service_handle_stanza(NULL, NULL), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_handle_xml(NULL, "<a/>", 4),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_session_ended(NULL, "a@b/c"),
                   MUC_ERR_INVALID_ARG);
  assert_string_equal(muc_strerror(MUC_ERR_NOMEM), muc_strerror(-101));
  assert_non_null(muc_strerror(12345));
  assert_true(muc_error_is_fatal(MUC_ERR_NOMEM));
  assert_false(muc_error_is_fatal(MUC_ERR_BAD_STANZA));
}

static void test_create_room(void **state)
{
  fakehost *h = *state;
  join(h, "romeo@localhost/r", "Romeo");
  assert_non_null(fakehost_find(h, "<status code=\"201\"/>",
                                "affiliation=\"owner\"", "role=\"moderator\"",
                                "<status code=\"110\"/>", NULL));
  assert_non_null(fakehost_find(h, "<subject/>", NULL));
  muc_room *room = muc_service_find_room(h->svc, "room");
  assert_non_null(room);
  assert_ptr_equal(room, muc_service_find_room(h->svc, ROOM));
  assert_int_equal(muc_room_get_occupant_count(room), 1);
  assert_int_equal(muc_room_get_affiliation(room, "romeo@localhost"),
                   MUC_AFFIL_OWNER);
  assert_int_equal(muc_room_get_role(room, "Romeo"), MUC_ROLE_MODERATOR);
  assert_string_equal(muc_room_get_subject(room), "");
  /* locked until configured: others get item-not-found (§10.1.2) */
  fakehost_clear(h);
  join(h, "juliet@localhost/j", "Juliet");
  assert_non_null(fakehost_find(h, "type=\"error\"", "<item-not-found", NULL));
  assert_int_equal(muc_room_get_occupant_count(room), 1);
  /* the lock expires by itself */
  h->now += 301 * 1000;
  fakehost_clear(h);
  join(h, "juliet@localhost/j", "Juliet");
  assert_int_equal(muc_room_get_occupant_count(room), 2);
  /* the last one out ends a temporary room */
  fakehost_xml(h, "<presence from='romeo@localhost/r' to='" ROOM
                  "/Romeo' type='unavailable'/>");
  assert_int_equal(muc_service_session_ended(h->svc, "juliet@localhost/j"),
                   MUC_OK);
  assert_null(muc_service_find_room(h->svc, "room"));
  assert_int_equal(muc_service_get_room_count(h->svc), 0);
}

static void test_bad_stanzas(void **state)
{
  fakehost *h = *state;
  /* cannot be bounced: a C error, nothing sent */
  assert_int_equal(fakehost_xml(h, "<foo from='a@b/c' to='" ROOM "'/>"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(fakehost_xml(h, "<message to='" ROOM "'/>"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(fakehost_xml(h, "<message from='a@@b' to='" ROOM "'/>"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(fakehost_xml(h, "<message from='a@b/c' to='x@other'/>"),
                   MUC_ERR_NOT_MINE);
  assert_int_equal(fakehost_xml(h, "<message from='a@b/c'"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(fakehost_xml(h, "<message from='a@b/c' to='" ROOM
                                   "'><!-- c --></message>"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(
      fakehost_xml(h, "<message from='a@b/c' to='" ROOM "'>&nbsp;</message>"),
      MUC_ERR_BAD_STANZA);
  assert_int_equal(muc_service_handle_xml(h->svc, "", 0), MUC_ERR_BAD_STANZA);
  char big[70000];
  memset(big, 'a', sizeof(big));
  assert_int_equal(muc_service_handle_xml(h->svc, big, sizeof(big)),
                   MUC_ERR_LIMIT);
  assert_int_equal(h->nsent, 0);
  /* can be bounced: the right stanza error */
  struct {
    const char *in, *want1, *want2;
  } cases[] = {
      {"<iq from='a@b/c' to='" ROOM "' type='get'><query "
       "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
       "<bad-request", "type=\"error\""},
      {"<iq from='a@b/c' to='" ROOM "' type='bogus' id='1'/>", "<bad-request",
       "id=\"1\""},
      {"<message from='a@b/c' to='" ROOM "' type='groupchat'><body>x</body>"
       "</message>",
       "<item-not-found", "type=\"cancel\""},
      {"<iq from='a@b/c' to='conference.localhost' type='get' id='2'><query "
       "xmlns='urn:example:unknown'/></iq>",
       "<service-unavailable", "id=\"2\""},
      {"<message from='a@b/c' to='conference.localhost'><body>hi</body>"
       "</message>",
       "<service-unavailable", "from=\"conference.localhost\""},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fakehost_clear(h);
    assert_int_equal(fakehost_xml(h, "%s", cases[i].in), MUC_OK);
    if (!fakehost_find(h, cases[i].want1, cases[i].want2, NULL)) {
      fprintf(stderr, "case %zu: %s\n", i, cases[i].in);
      fakehost_dump(h);
      fail();
    }
  }
  /* errors are never answered */
  fakehost_clear(h);
  assert_int_equal(
      fakehost_xml(h, "<message from='a@b/c' to='" ROOM "' type='error'/>"),
      MUC_OK);
  assert_int_equal(h->nsent, 0);
}

static void test_room_errors(void **state)
{
  fakehost *h = *state;
  make_room(h);
  struct {
    const char *in, *want1, *want2;
  } cases[] = {
      /* nick taken */
      {"<presence from='juliet@localhost/j' to='" ROOM "/Romeo'>" MUCX
       "</presence>",
       "<conflict", "by=\"" ROOM "\""},
      /* nick that fails strict resourceprep */
      {"<presence from='juliet@localhost/j' to='" ROOM "/a\xc8\xa1'>" MUCX
       "</presence>",
       "<jid-malformed", NULL},
      /* presence of a bad type */
      {"<presence from='juliet@localhost/j' to='" ROOM
       "/Juliet' type='subscribe'/>",
       "<bad-request", NULL},
      /* join without the MUC payload */
      {"<presence from='juliet@localhost/j' to='" ROOM "/Juliet'/>",
       "<item-not-found", NULL},
      /* message from a non-occupant */
      {"<message from='juliet@localhost/j' to='" ROOM
       "' type='groupchat'><body>hi</body></message>",
       "<not-acceptable", NULL},
      /* configuration by a non-owner */
      {"<iq from='juliet@localhost/j' to='" ROOM "' type='get' id='o1'>"
       "<query xmlns='http://jabber.org/protocol/muc#owner'/></iq>",
       "<forbidden", "id=\"o1\""},
      /* admin change by a non-admin (XEP-0045 §9: forbidden) */
      {"<iq from='juliet@localhost/j' to='" ROOM "' type='set' id='a1'>"
       "<query xmlns='http://jabber.org/protocol/muc#admin'><item "
       "jid='x@localhost' affiliation='member'/></query></iq>",
       "<forbidden", "id=\"a1\""},
      /* a malformed JID (a full JID stands for its bare JID, §10.3) */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='a2'>"
       "<query xmlns='http://jabber.org/protocol/muc#admin'><item "
       "jid='x@@localhost' affiliation='member'/></query></iq>",
       "<jid-malformed", "id=\"a2\""},
      /* an unknown affiliation */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='a3'>"
       "<query xmlns='http://jabber.org/protocol/muc#admin'><item "
       "jid='x@localhost' affiliation='king'/></query></iq>",
       "<not-acceptable", "id=\"a3\""},
      /* an empty admin query */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='a4'>"
       "<query xmlns='http://jabber.org/protocol/muc#admin'/></iq>",
       "<bad-request", "id=\"a4\""},
      /* the last owner cannot leave ownership */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='a5'>"
       "<query xmlns='http://jabber.org/protocol/muc#admin'><item "
       "jid='romeo@localhost' affiliation='admin'/></query></iq>",
       "<conflict", "id=\"a5\""},
      /* kick of an absent nick */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='a6'>"
       "<query xmlns='http://jabber.org/protocol/muc#admin'><item "
       "nick='Nobody' role='none'/></query></iq>",
       "<item-not-found", "id=\"a6\""},
      /* registration without an affiliation */
      {"<iq from='juliet@localhost/j' to='" ROOM "' type='get' id='r1'>"
       "<query xmlns='jabber:iq:register'/></iq>",
       "<registration-required", "id=\"r1\""},
      /* an invalid configuration value changes nothing */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='c2'>"
       "<query xmlns='http://jabber.org/protocol/muc#owner'><x "
       "xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
       "http://jabber.org/protocol/muc#roomconfig</value></field><field "
       "var='muc#roomconfig_persistentroom'><value>maybe</value></field>"
       "</x></query></iq>",
       "<not-acceptable", "id=\"c2\""},
      /* a form of the wrong type */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='set' id='c3'>"
       "<query xmlns='http://jabber.org/protocol/muc#owner'><x "
       "xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
       "urn:other</value></field></x></query></iq>",
       "<bad-request", "id=\"c3\""},
      /* a private message to nobody */
      {"<message from='romeo@localhost/r' to='" ROOM "/Nobody' type='chat'>"
       "<body>x</body></message>",
       "<item-not-found", NULL},
      /* groupchat type sent to an occupant */
      {"<message from='romeo@localhost/r' to='" ROOM "/Romeo' "
       "type='groupchat'><body>x</body></message>",
       "<bad-request", NULL},
      /* an unknown room query */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='get' id='u1'>"
       "<query xmlns='urn:example:nothing'/></iq>",
       "<service-unavailable", "id=\"u1\""},
      /* an unknown disco node */
      {"<iq from='romeo@localhost/r' to='" ROOM "' type='get' id='d1'>"
       "<query xmlns='http://jabber.org/protocol/disco#info' node='zz'/>"
       "</iq>",
       "<item-not-found", "id=\"d1\""},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fakehost_clear(h);
    assert_int_equal(fakehost_xml(h, "%s", cases[i].in), MUC_OK);
    if (!fakehost_find(h, cases[i].want1, cases[i].want2 ? cases[i].want2 : "",
                       NULL)) {
      fprintf(stderr, "case %zu: %s\n", i, cases[i].in);
      fakehost_dump(h);
      fail();
    }
  }
  muc_room *room = muc_service_find_room(h->svc, "room");
  assert_int_equal(muc_room_get_occupant_count(room), 1);
  assert_int_equal(muc_room_get_affiliation(room, "romeo@localhost"),
                   MUC_AFFIL_OWNER);
}

static void test_shutdown(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "juliet@localhost/j", "Juliet");
  fakehost_clear(h);
  assert_int_equal(muc_service_shutdown(h->svc), MUC_OK);
  /* each occupant learns it was removed by a shutdown (332) */
  assert_non_null(fakehost_find(h, "to=\"juliet@localhost/j\"",
                                "type=\"unavailable\"", "code=\"332\"",
                                "code=\"110\"", NULL));
  assert_non_null(
      fakehost_find(h, "to=\"romeo@localhost/r\"", "code=\"332\"", NULL));
  assert_int_equal(h->nsent, 2);
  assert_int_equal(muc_service_get_room_count(h->svc), 0);
  assert_int_equal(muc_service_shutdown(NULL), MUC_ERR_INVALID_ARG);
}

/* Prepared JIDs are cached per service: spellings that prepare to the
 * same JID are the same user, however often they come back. */
static void test_jid_spellings(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "Juliet@LOCALHOST/j", "Juliet");
  for (int i = 0; i < 3; i++) {
    fakehost_clear(h);
    const char *from = i % 2 ? "juliet@localhost/j" : "JULIET@localhost/j";
    assert_int_equal(fakehost_xml(h,
                                  "<message from='%s' to='ROOM@Conference."
                                  "Localhost' type='groupchat'><body>x</body>"
                                  "</message>",
                                  from),
                     MUC_OK);
    assert_int_equal(fakehost_count(h, "from=\"" ROOM "/Juliet\""), 2);
  }
  /* a different resource is a different session: not in the room */
  fakehost_clear(h);
  fakehost_xml(h, "<message from='juliet@localhost/other' to='" ROOM
                  "' type='groupchat'><body>x</body></message>");
  assert_non_null(fakehost_find(h, "<not-acceptable", NULL));
}

static void test_send_failure(void **state)
{
  fakehost *h = *state;
  h->fail_send = 1;
  assert_int_equal(fakehost_xml(h,
                                "<presence from='romeo@localhost/r' to='" ROOM
                                "/Romeo'>" MUCX "</presence>"),
                   MUC_ERR_CALLBACK_FAILURE);
  h->fail_send = 0;
  /* state is kept: the room exists with its occupant */
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(h->svc, "room")), 1);
}

static void test_groupchat_and_history(void **state)
{
  fakehost *h = *state;
  make_room(h);
  join(h, "juliet@localhost/j", "Juliet");
  fakehost_clear(h);
  fakehost_xml(h, "<message from='juliet@localhost/j' to='" ROOM
                  "' type='groupchat' id='m1'><body>hello</body></message>");
  assert_int_equal(fakehost_count(h, "<body>hello</body>"), 2);
  assert_non_null(fakehost_find(h, "to=\"romeo@localhost/r\"",
                                "from=\"" ROOM "/Juliet\"", "id=\"m1\"", NULL));
  /* a newcomer gets it as history with a delay stamp from the host clock */
  fakehost_clear(h);
  join(h, "nurse@localhost/n", "Nurse");
  assert_non_null(fakehost_find(h, "to=\"nurse@localhost/n\"",
                                "<body>hello</body>",
                                "stamp=\"2026-01-01T00:00:00Z\"", NULL));
  /* maxstanzas='0' asks for none */
  fakehost_xml(h, "<presence from='nurse@localhost/n2' to='" ROOM
                  "/Nurse2'><x xmlns='http://jabber.org/protocol/muc'>"
                  "<history maxstanzas='0'/></x></presence>");
  assert_null(fakehost_find(h, "to=\"nurse@localhost/n2\"", "<body>", NULL));
  /* subject change by a participant is refused by default */
  fakehost_clear(h);
  fakehost_xml(h, "<message from='juliet@localhost/j' to='" ROOM
                  "' type='groupchat'><subject>new</subject></message>");
  assert_non_null(fakehost_find(h, "<forbidden", NULL));
  fakehost_xml(h, "<message from='romeo@localhost/r' to='" ROOM
                  "' type='groupchat'><subject>new</subject></message>");
  assert_string_equal(
      muc_room_get_subject(muc_service_find_room(h->svc, "room")), "new");
}

static void test_persistence(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, "conference.localhost", NULL, 1), MUC_OK);
  join(&h, "romeo@localhost/r", "Romeo");
  assert_int_equal(h.loads, 1); /* asked storage first */
  fakehost_xml(&h, "<iq from='romeo@localhost/r' to='" ROOM "' id='c1' "
                   "type='set'><query "
                   "xmlns='http://jabber.org/protocol/muc#owner'><x "
                   "xmlns='jabber:x:data' type='submit'><field "
                   "var='FORM_TYPE'><value>http://jabber.org/protocol/"
                   "muc#roomconfig</value></field><field "
                   "var='muc#roomconfig_persistentroom'><value>1</value>"
                   "</field><field var='muc#roomconfig_roomname'><value>The "
                   "Room</value></field></x></query></iq>");
  fakehost_xml(&h, "<iq from='romeo@localhost/r' to='" ROOM "' id='m1' "
                   "type='set'><query "
                   "xmlns='http://jabber.org/protocol/muc#admin'><item "
                   "jid='juliet@localhost' affiliation='member' "
                   "nick='Jules'><reason>friend</reason></item></query>"
                   "</iq>");
  assert_non_null(fakehost_stored(&h, ROOM, NULL));
  fakehost_xml(&h, "<presence from='romeo@localhost/r' to='" ROOM
                   "/Romeo' type='unavailable'/>");
  /* persistent: still there when empty */
  assert_non_null(muc_service_find_room(h.svc, "room"));
  /* a second service (a restart) loads it from storage */
  fakehost h2;
  assert_int_equal(fakehost_init(&h2, "conference.localhost", NULL, 1), MUC_OK);
  size_t len;
  const char *rec = fakehost_stored(&h, ROOM, &len);
  h2.store[0].jid = strdup(ROOM);
  h2.store[0].data = strndup(rec, len);
  h2.store[0].len = len;
  h2.nstore = 1;
  h2.async_load = 1;
  /* asynchronous storage: stanzas wait, nothing is lost */
  assert_int_equal(fakehost_xml(&h2, "<iq from='juliet@localhost/j' to='" ROOM
                                     "' type='get' id='n1'><query "
                                     "xmlns='http://jabber.org/protocol/"
                                     "disco#info' "
                                     "node='x-roomuser-item'/></iq>"),
                   MUC_OK);
  assert_int_equal(h2.nsent, 0);
  assert_string_equal(h2.load_request, ROOM);
  assert_int_equal(
      muc_service_room_loaded(h2.svc, ROOM, h2.store[0].data, h2.store[0].len),
      MUC_OK);
  assert_non_null(fakehost_find(&h2, "id=\"n1\"", "name=\"Jules\"", NULL));
  muc_room *room = muc_service_find_room(h2.svc, "room");
  assert_non_null(room);
  assert_int_equal(muc_room_get_affiliation(room, "juliet@localhost"),
                   MUC_AFFIL_MEMBER);
  assert_int_equal(muc_room_get_affiliation(room, "romeo@localhost"),
                   MUC_AFFIL_OWNER);
  /* a record that is not ours is refused, senders are told */
  h2.async_load = 1;
  fakehost_clear(&h2);
  fakehost_xml(&h2, "<presence from='x@localhost/x' to='other@"
                    "conference.localhost/X'>" MUCX "</presence>");
  assert_int_equal(muc_service_room_loaded(h2.svc, "other@conference.localhost",
                                           "<nonsense/>", 11),
                   MUC_ERR_STORAGE);
  assert_non_null(fakehost_find(&h2, "<internal-server-error", NULL));
  assert_int_equal(muc_service_room_loaded(h2.svc,
                                           "nothing@conference."
                                           "localhost",
                                           NULL, 0),
                   MUC_ERR_NOT_FOUND);
  /* destroying deletes the record */
  fakehost_xml(&h, "<presence from='romeo@localhost/r' to='" ROOM
                   "/Romeo'>" MUCX "</presence>");
  fakehost_xml(&h, "<iq from='romeo@localhost/r' to='" ROOM "' id='d1' "
                   "type='set'><query "
                   "xmlns='http://jabber.org/protocol/muc#owner'><destroy "
                   "jid='new@conference.localhost'><reason>bye</reason>"
                   "</destroy></query></iq>");
  assert_non_null(fakehost_find(&h,
                                "<destroy jid=\"new@conference.localhost\">"
                                "<reason>bye</reason></destroy>",
                                NULL));
  assert_null(fakehost_stored(&h, ROOM, NULL));
  assert_null(muc_service_find_room(h.svc, "room"));
  fakehost_free(&h2);
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_invalid),
      cmocka_unit_test_setup_teardown(test_create_room, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_bad_stanzas, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_room_errors, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_send_failure, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_jid_spellings, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_shutdown, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_groupchat_and_history,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test(test_persistence),
  };
  return cmocka_run_group_tests_name("service", tests, NULL, NULL);
}
