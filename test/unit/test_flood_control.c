#define _POSIX_C_SOURCE 200809L
/* Flood control (muc_config V4 flood, docs/flood.md): per occupant and
 * kind, a burst, then one stanza an interval, on the fake clock; exempt
 * roles; each kind (groupchat messages, presence updates and nick
 * changes, voice requests, invitations, subject changes) counted on its
 * own; joins and leaves never; the refusal policy-violation (wait); a V3
 * caller gets no flood control. */
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
#define ROOM "hall@" DOMAIN
#define MUCNS "http://jabber.org/protocol/muc"
#define ROMEO "romeo@localhost/r"
#define JULIET "juliet@localhost/j"
#define REFUSED                                                                \
  "<policy-violation xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>"

static muc_config config(int kind, uint32_t per_minute, uint32_t burst)
{
  muc_config c;
  muc_config_default(&c);
  c.room_lock_new = 0;
  c.flood[kind].per_minute = per_minute;
  c.flood[kind].burst = burst;
  return c;
}

/* Romeo's room (he is its owner, a moderator) with Juliet in it. */
static void start(fakehost *h, const muc_config *c)
{
  assert_int_equal(fakehost_init(h, DOMAIN, c, 0), MUC_OK);
  assert_int_equal(fakehost_join(h, ROMEO, ROOM, "Romeo", ""), MUC_OK);
  assert_int_equal(fakehost_join(h, JULIET, ROOM, "Juliet", ""), MUC_OK);
  fakehost_clear(h);
}

/* |from| says something; 1 if the room broadcast it, 0 if refused. */
static int say(fakehost *h, const char *from, int n)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h,
                                "<message from='%s' to='" ROOM "' id='m%d' "
                                "type='groupchat'><body>line %d</body>"
                                "</message>",
                                from, n, n),
                   MUC_OK);
  if (fakehost_find(h, REFUSED, NULL)) {
    assert_non_null(fakehost_find(h, "type=\"error\"", "<error type=\"wait\"",
                                  "Too many messages", NULL));
    assert_int_equal(h->nsent, 1); /* the error, nothing else */
    return 0;
  }
  assert_int_equal(fakehost_count(h, "<body>line"), 2);
  return 1;
}

static int status(fakehost *h, const char *from, const char *nick,
                  const char *show)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h,
                                "<presence from='%s' to='" ROOM
                                "/%s'><show>%s</show>"
                                "</presence>",
                                from, nick, show),
                   MUC_OK);
  if (fakehost_find(h, REFUSED, NULL)) {
    assert_non_null(fakehost_find(h, "<presence", "type=\"error\"",
                                  "<error type=\"wait\"", NULL));
    assert_int_equal(h->nsent, 1);
    return 0;
  }
  return 1;
}

static void test_off_by_default(void **state)
{
  (void)state;
  fakehost h;
  muc_config c;
  muc_config_default(&c);
  for (int k = 0; k < MUC_FLOOD_KINDS; k++)
    assert_int_equal(c.flood[k].per_minute, 0);
  assert_int_equal(c.flood_exempt_roles, MUC_ROLE_BIT(MUC_ROLE_MODERATOR));
  c.room_lock_new = 0;
  start(&h, &c);
  for (int i = 0; i < 200; i++)
    assert_true(say(&h, JULIET, i));
  fakehost_free(&h);
}

static void test_burst_then_interval(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_MESSAGE, 6, 3); /* one per 10 s */
  start(&h, &c);
  int n = 0;
  for (int i = 0; i < 3; i++)
    assert_true(say(&h, JULIET, n++));
  assert_false(say(&h, JULIET, n++));
  assert_false(say(&h, JULIET, n++)); /* a refusal costs nothing... */
  h.now += 9999;
  assert_false(say(&h, JULIET, n++)); /* ...and refills nothing */
  h.now += 1;
  assert_true(say(&h, JULIET, n++)); /* 10 s: one more */
  assert_false(say(&h, JULIET, n++));
  h.now += 30000; /* a full bucket again: three */
  for (int i = 0; i < 3; i++)
    assert_true(say(&h, JULIET, n++));
  assert_false(say(&h, JULIET, n++));
  h.now += 3600000; /* never more than the burst, however long the pause */
  for (int i = 0; i < 3; i++)
    assert_true(say(&h, JULIET, n++));
  assert_false(say(&h, JULIET, n++));
  fakehost_free(&h);
}

static void test_per_occupant(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_MESSAGE, 1, 1);
  c.flood_exempt_roles = 0;
  start(&h, &c);
  assert_true(say(&h, JULIET, 0));
  assert_false(say(&h, JULIET, 1));
  assert_true(say(&h, ROMEO, 2));  /* his own bucket */
  assert_false(say(&h, ROMEO, 3)); /* moderators too, when not exempt */
  fakehost_free(&h);
}

static void test_moderators_exempt(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_MESSAGE, 1, 1);
  start(&h, &c);
  for (int i = 0; i < 20; i++)
    assert_true(say(&h, ROMEO, i));
  assert_true(say(&h, JULIET, 20));
  assert_false(say(&h, JULIET, 21));
  fakehost_free(&h);
}

static void test_burst_zero_is_one(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_MESSAGE, 60, 0); /* one a second */
  start(&h, &c);
  assert_true(say(&h, JULIET, 0));
  assert_false(say(&h, JULIET, 1));
  h.now += 1000;
  assert_true(say(&h, JULIET, 2));
  fakehost_free(&h);
}

static void test_presence(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_PRESENCE, 1, 2);
  start(&h, &c); /* the joins were not counted */
  assert_true(status(&h, JULIET, "Juliet", "away"));
  assert_true(status(&h, JULIET, "Juliet", "dnd"));
  assert_false(status(&h, JULIET, "Juliet", "xa"));
  /* a nick change is a presence change too */
  assert_false(status(&h, JULIET, "Jules", "xa")); /* only the error */
  /* messages are another kind */
  assert_true(say(&h, JULIET, 0));
  /* the leave is never refused */
  fakehost_clear(&h);
  assert_int_equal(fakehost_leave(&h, JULIET, ROOM, "Juliet"), MUC_OK);
  assert_null(fakehost_find(&h, REFUSED, NULL));
  assert_non_null(fakehost_find(&h, "type=\"unavailable\"", NULL));
  /* and a join again starts no new count: she is a new occupant */
  assert_int_equal(fakehost_join(&h, JULIET, ROOM, "Juliet", ""), MUC_OK);
  assert_true(status(&h, JULIET, "Juliet", "away"));
  fakehost_free(&h);
}

static void test_nick_change_keeps_the_bucket(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_MESSAGE, 1, 2);
  start(&h, &c);
  assert_true(say(&h, JULIET, 0));
  assert_true(say(&h, JULIET, 1));
  assert_false(say(&h, JULIET, 2));
  assert_true(status(&h, JULIET, "Jules", "away")); /* presence: not limited */
  assert_non_null(fakehost_find(&h, "nick=\"Jules\"", NULL));
  assert_false(say(&h, JULIET, 3)); /* as Jules, still empty */
  fakehost_free(&h);
}

static void subject(fakehost *h, const char *text)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h,
                                "<message from='" ROMEO "' to='" ROOM
                                "' type='groupchat'><subject>%s</subject>"
                                "</message>",
                                text),
                   MUC_OK);
}

static void test_subject(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_SUBJECT, 1, 1);
  c.flood_exempt_roles = 0;
  start(&h, &c);
  subject(&h, "One");
  assert_int_equal(fakehost_count(&h, "<subject>One</subject>"), 2);
  subject(&h, "Two");
  assert_non_null(fakehost_find(&h, REFUSED, "Too many subject changes", NULL));
  assert_int_equal(h.nsent, 1);
  assert_true(say(&h, ROMEO, 0)); /* messages: not limited */
  h.now += 60000;
  subject(&h, "Three");
  assert_int_equal(fakehost_count(&h, "<subject>Three</subject>"), 2);
  fakehost_free(&h);
}

static void invite(fakehost *h, const char *who)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h,
                                "<message from='" JULIET "' to='" ROOM
                                "'><x xmlns='" MUCNS
                                "#user'><invite to='%s'/></x></message>",
                                who),
                   MUC_OK);
}

static void test_invitations(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_INVITE, 2, 2);
  start(&h, &c);
  invite(&h, "a@localhost");
  assert_non_null(fakehost_find(&h, "to=\"a@localhost\"", "<invite", NULL));
  invite(&h, "b@localhost");
  assert_non_null(fakehost_find(&h, "to=\"b@localhost\"", "<invite", NULL));
  invite(&h, "c@localhost");
  assert_non_null(fakehost_find(&h, REFUSED, "Too many invitations", NULL));
  assert_int_equal(h.nsent, 1); /* the error, no invitation */
  h.now += 30000;
  invite(&h, "c@localhost");
  assert_non_null(fakehost_find(&h, "to=\"c@localhost\"", "<invite", NULL));
  fakehost_free(&h);
}

static void voice(fakehost *h)
{
  fakehost_clear(h);
  assert_int_equal(
      fakehost_xml(h, "<message from='" JULIET "' to='" ROOM "'><x "
                      "xmlns='jabber:x:data' type='submit'><field "
                      "var='FORM_TYPE'><value>" MUCNS "#request</value></field>"
                      "<field var='muc#role'><value>participant</value></field>"
                      "</x></message>"),
      MUC_OK);
}

static void test_voice_requests(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_VOICE, 1, 1);
  c.room_moderated = 1; /* Juliet joins a visitor */
  start(&h, &c);
  voice(&h);
  assert_non_null(fakehost_find(&h, "to=\"" ROMEO "\"", "#request", NULL));
  voice(&h);
  assert_non_null(fakehost_find(&h, REFUSED, "Too many voice requests", NULL));
  assert_int_equal(h.nsent, 1); /* the moderator is not asked */
  fakehost_free(&h);
}

static void test_config_bounds(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(MUC_FLOOD_MESSAGE, 600001, 1);
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 0), MUC_ERR_INVALID_ARG);
  c = config(MUC_FLOOD_PRESENCE, 10, 1000001);
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 0), MUC_ERR_INVALID_ARG);
  c = config(MUC_FLOOD_PRESENCE, 10, 1);
  c.flood_exempt_roles = MUC_ROLES_ALL + 1;
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 0), MUC_ERR_INVALID_ARG);
  c = config(MUC_FLOOD_MESSAGE, 600000, 1000000);
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 0), MUC_OK);
  fakehost_free(&h);
}

/* Library bytes of a room with |n| occupants more than Romeo alone. */
static size_t occupants_bytes(const muc_config *c, int n)
{
  fakehost h;
  start(&h, c);
  size_t before = muc_service_get_memory_usage(h.svc);
  char user[64], nick[32];
  for (int i = 0; i < n; i++) {
    snprintf(user, sizeof user, "u%d@localhost/r", i);
    snprintf(nick, sizeof nick, "u%d", i);
    assert_int_equal(fakehost_join(&h, user, ROOM, nick, ""), MUC_OK);
    fakehost_clear(&h);
  }
  size_t bytes = muc_service_get_memory_usage(h.svc) - before;
  fakehost_free(&h);
  return bytes;
}

/* Off, an occupant costs nothing more; on, its buckets, in its block. */
static void test_memory(void **state)
{
  (void)state;
  muc_config off;
  muc_config_default(&off);
  off.room_lock_new = 0;
  muc_config on = config(MUC_FLOOD_MESSAGE, 6, 3);
  size_t a = occupants_bytes(&off, 100), b = occupants_bytes(&on, 100);
  print_message("flood control on: %zu bytes more per occupant\n",
                (b - a) / 100);
  assert_int_equal(b - a, 100 * MUC_FLOOD_KINDS * sizeof(uint64_t));
}

static uint64_t v3_now(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

static int v3_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to;
  (void)xml;
  (void)len;
  (*(int *)ud)++;
  return 0;
}

/* A host built against V3 passes a shorter struct: the V4 fields are the
 * defaults (no flood control, no tombstones), whatever follows it. */
static void test_v3_host(void **state)
{
  (void)state;
  struct {
    muc_config c;
    unsigned char junk[64];
  } given;
  memset(&given, 0xff, sizeof given);
  assert_int_equal(muc_config_default_versioned(MUC_CONFIG_V3, &given.c),
                   MUC_OK);
  assert_int_equal(given.c.flood[0].per_minute, 0xffffffffu); /* untouched */
  given.c.room_lock_new = 0;
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.now = v3_now;
  cb.send_bytes = v3_send;
  int sent = 0;
  muc_service *svc = NULL;
  assert_int_equal(muc_service_new_versioned(&svc, DOMAIN, MUC_CALLBACKS_V1,
                                             &cb, MUC_CONFIG_V3, &given.c, NULL,
                                             &sent),
                   MUC_OK);
  const char *join = "<presence from='" JULIET "' to='" ROOM
                     "/J'><x xmlns='" MUCNS "'/></presence>";
  assert_int_equal(muc_service_handle_xml(svc, join, strlen(join)), MUC_OK);
  for (int i = 0; i < 50; i++) {
    const char *m = "<message from='" JULIET "' to='" ROOM
                    "' type='groupchat'><body>x</body></message>";
    sent = 0;
    assert_int_equal(muc_service_handle_xml(svc, m, strlen(m)), MUC_OK);
    assert_int_equal(sent, 1); /* her echo, never an error */
  }
  muc_service_free(svc);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_off_by_default),
      cmocka_unit_test(test_burst_then_interval),
      cmocka_unit_test(test_per_occupant),
      cmocka_unit_test(test_moderators_exempt),
      cmocka_unit_test(test_burst_zero_is_one),
      cmocka_unit_test(test_presence),
      cmocka_unit_test(test_nick_change_keeps_the_bucket),
      cmocka_unit_test(test_subject),
      cmocka_unit_test(test_invitations),
      cmocka_unit_test(test_voice_requests),
      cmocka_unit_test(test_config_bounds),
      cmocka_unit_test(test_memory),
      cmocka_unit_test(test_v3_host),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
