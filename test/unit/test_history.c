#define _POSIX_C_SOURCE 200809L
/* Discussion history on entering a room (XEP-0045 §7.2.13, §7.2.14) and
 * the lock of a new room that the host's timer ends (§10.1.1): what the
 * scenario replays cannot show (multibyte character counts, hours of
 * clock, muc_service_handle_timeout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"

#define ROOM "room@conference.localhost"
#define MUCNS "http://jabber.org/protocol/muc"

static void join_with(fakehost *h, const char *user, const char *nick,
                      const char *history)
{
  assert_int_equal(fakehost_join(h, user, ROOM, nick, history), MUC_OK);
}

static void leave(fakehost *h, const char *user, const char *nick)
{
  assert_int_equal(fakehost_leave(h, user, ROOM, nick), MUC_OK);
}

/* Romeo creates the room and accepts the default configuration. */
static void make_room(fakehost *h)
{
  join_with(h, "romeo@localhost/r", "Romeo", "");
  assert_int_equal(
      fakehost_xml(h, "<iq from='romeo@localhost/r' to='" ROOM "' id='c1' "
                      "type='set'><query xmlns='" MUCNS "#owner'><x "
                      "xmlns='jabber:x:data' type='submit'/></query></iq>"),
      MUC_OK);
}

static void say(fakehost *h, const char *id, const char *payload)
{
  assert_int_equal(fakehost_xml(h,
                                "<message from='romeo@localhost/r' to='" ROOM
                                "' type='groupchat' id='%s'>%s</message>",
                                id, payload),
                   MUC_OK);
}

/* Sent stanzas that are history (carry a delay) for |to|. */
static size_t history_count(const fakehost *h, const char *to)
{
  size_t n = 0;
  for (size_t i = 0; i < h->nsent; i++)
    if (strstr(h->sent[i], "<delay") && strstr(h->sent[i], "<body") &&
        strstr(h->sent[i], to))
      n++;
  return n;
}

static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* §10.1.1: the room refuses others until configured; the lock is a
 * deadline the host learns from muc_service_next_deadline() and ends with
 * muc_service_handle_timeout(). */
static void test_lock_expires_by_timer(void **state)
{
  fakehost *h = *state;
  uint64_t t0 = h->now;
  assert_int_equal(muc_service_next_deadline(h->svc), UINT64_MAX);
  join_with(h, "romeo@localhost/r", "Romeo", "");
  assert_int_equal(muc_service_next_deadline(h->svc), t0 + 300000);
  muc_room *room = muc_service_find_room(h->svc, ROOM);
  assert_non_null(room);

  /* early: harmless, still locked */
  h->now = t0 + 299999;
  assert_int_equal(muc_service_handle_timeout(h->svc), MUC_OK);
  assert_int_equal(muc_service_next_deadline(h->svc), t0 + 300000);
  fakehost_clear(h);
  join_with(h, "juliet@localhost/j", "Juliet", "");
  assert_non_null(fakehost_find(h, "type=\"error\"", "<item-not-found", NULL));
  assert_int_equal(muc_room_get_occupant_count(room), 1);

  /* due: the timer opens the room with its default configuration */
  h->now = t0 + 300000;
  assert_int_equal(muc_service_handle_timeout(h->svc), MUC_OK);
  assert_int_equal(muc_service_next_deadline(h->svc), UINT64_MAX);
  fakehost_clear(h);
  join_with(h, "juliet@localhost/j", "Juliet", "");
  assert_null(fakehost_find(h, "type=\"error\"", NULL));
  assert_int_equal(muc_room_get_occupant_count(room), 2);
}

/* A configured room has no deadline; a service that does not lock new
 * rooms never has one. */
static void test_no_lock(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(muc_service_next_deadline(h->svc), UINT64_MAX);

  fakehost h2;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  assert_int_equal(fakehost_init(&h2, "conference.localhost", &cfg, 0), MUC_OK);
  join_with(&h2, "romeo@localhost/r", "Romeo", "");
  assert_int_equal(muc_service_next_deadline(h2.svc), UINT64_MAX);
  join_with(&h2, "juliet@localhost/j", "Juliet", "");
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(h2.svc, ROOM)), 2);
  fakehost_free(&h2);
}

/* §7.2.13: stamps come from the host clock, in XEP-0082 form, from the
 * room. */
static void test_stamp_from_host_clock(void **state)
{
  fakehost *h = *state;
  make_room(h);
  h->now += 3723000; /* 01:02:03 later */
  say(h, "m1", "<body>Hi</body>");
  fakehost_clear(h);
  join_with(h, "juliet@localhost/j", "Juliet", "");
  assert_non_null(fakehost_find(h, "id=\"m1\"",
                                "<delay xmlns=\"urn:xmpp:delay\" "
                                "from=\"" ROOM "\" "
                                "stamp=\"2026-01-01T01:02:03Z\"/>",
                                NULL));
}

/* §7.2.14: maxchars counts characters of the complete stanza as sent,
 * not bytes: a body of two-byte characters. */
static void test_maxchars_counts_characters(void **state)
{
  fakehost *h = *state;
  make_room(h);
  say(h, "m1", "<body>ééééééééééééééééééé</body>");
  fakehost_clear(h);
  join_with(h, "juliet@localhost/j", "Juliet", "");
  const char *sent = fakehost_find(h, "id=\"m1\"", "<delay", NULL);
  assert_non_null(sent);
  size_t chars = utf8_chars(sent);
  assert_true(strlen(sent) > chars);
  leave(h, "juliet@localhost/j", "Juliet");

  char hist[64];
  fakehost_clear(h);
  snprintf(hist, sizeof(hist), "<history maxchars='%zu'/>", chars);
  join_with(h, "juliet@localhost/j", "Juliet", hist);
  assert_int_equal(history_count(h, "juliet@localhost/j"), 1);
  leave(h, "juliet@localhost/j", "Juliet");

  fakehost_clear(h);
  snprintf(hist, sizeof(hist), "<history maxchars='%zu'/>", chars - 1);
  join_with(h, "juliet@localhost/j", "Juliet", hist);
  assert_int_equal(history_count(h, "juliet@localhost/j"), 0);
  /* the subject is not history: it always comes */
  assert_non_null(fakehost_find(h, "<subject", NULL));
}

/* Attributes that are not numbers or dates are ignored; the default then
 * applies.  A date in the future or seconds="0" give nothing. */
static void test_bad_and_edge_attributes(void **state)
{
  fakehost *h = *state;
  make_room(h);
  say(h, "m1", "<body>One</body>");
  h->now += 1000;
  say(h, "m2", "<body>Two</body>");
  h->now += 1000;
  static const struct {
    const char *history;
    size_t expect;
  } cases[] = {
      {"<history maxstanzas='two'/>", 2},
      {"<history maxstanzas='-1'/>", 2},
      {"<history since='yesterday'/>", 2},
      {"<history maxchars=''/>", 2},
      {"<history maxstanzas='1'/>", 1},
      {"<history seconds='0'/>", 0},
      {"<history seconds='1'/>", 1},
      {"<history since='2030-01-01T00:00:00Z'/>", 0},
      {"<history since='2026-01-01T00:00:01Z'/>", 1},
      {"<history since='2026-01-01T00:00:00.000Z'/>", 2},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fakehost_clear(h);
    join_with(h, "juliet@localhost/j", "Juliet", cases[i].history);
    if (history_count(h, "juliet@localhost/j") != cases[i].expect)
      fail_msg("%s: %zu messages, expected %zu", cases[i].history,
               history_count(h, "juliet@localhost/j"), cases[i].expect);
    leave(h, "juliet@localhost/j", "Juliet");
  }
}

/* What is history: a body, an encrypted payload (XEP-0380), a chat
 * marker (XEP-0333), a <store/> hint; not a chat state, not <no-store/>.
 * The ring keeps the newest history_length entries. */
static void test_what_is_kept(void **state)
{
  fakehost *h = *state;
  make_room(h);
  say(h, "a", "<active xmlns='http://jabber.org/protocol/chatstates'/>");
  say(h, "b",
      "<encryption xmlns='urn:xmpp:eme:0' "
      "namespace='eu.siacs.conversations.axolotl'/>");
  say(h, "c", "<received xmlns='urn:xmpp:chat-markers:0' id='x'/>");
  say(h, "d", "<body>x</body><no-store xmlns='urn:xmpp:hints'/>");
  say(h, "e", "<body>x</body><no-permanent-store xmlns='urn:xmpp:hints'/>");
  for (int i = 0; i < 25; i++) {
    char id[8];
    snprintf(id, sizeof(id), "n%d", i);
    say(h, id, "<body>n</body>");
  }
  fakehost_clear(h);
  join_with(h, "juliet@localhost/j", "Juliet", "");
  assert_null(fakehost_find(h, "id=\"a\"", NULL));
  assert_null(fakehost_find(h, "id=\"d\"", NULL));
  assert_null(fakehost_find(h, "id=\"e\"", NULL));
  /* 27 kept, the ring holds 20: the encrypted one and the marker are
   * pushed out by the newest */
  assert_null(fakehost_find(h, "id=\"b\"", NULL));
  assert_null(fakehost_find(h, "id=\"n4\"", NULL));
  assert_non_null(fakehost_find(h, "id=\"n5\"", NULL));
  assert_non_null(fakehost_find(h, "id=\"n24\"", NULL));
  assert_int_equal(fakehost_count(h, "<delay"), 20);
  leave(h, "juliet@localhost/j", "Juliet");

  /* a fresh room: the encrypted message and the marker are history */
  fakehost_free(h);
  assert_int_equal(fakehost_init(h, "conference.localhost", NULL, 0), MUC_OK);
  make_room(h);
  say(h, "b", "<encryption xmlns='urn:xmpp:eme:0' namespace='x'/>");
  say(h, "c", "<received xmlns='urn:xmpp:chat-markers:0' id='x'/>");
  say(h, "s",
      "<active xmlns='http://jabber.org/protocol/chatstates'/>"
      "<store xmlns='urn:xmpp:hints'/>");
  fakehost_clear(h);
  join_with(h, "juliet@localhost/j", "Juliet", "");
  assert_non_null(fakehost_find(h, "id=\"b\"", "<delay", NULL));
  assert_non_null(fakehost_find(h, "id=\"c\"", "<delay", NULL));
  assert_non_null(fakehost_find(h, "id=\"s\"", "<delay", NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_lock_expires_by_timer,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_no_lock, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_stamp_from_host_clock,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_maxchars_counts_characters,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_bad_and_edge_attributes,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_what_is_kept, fakehost_setup,
                                      fakehost_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
