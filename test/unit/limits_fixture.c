#define _POSIX_C_SOURCE 200809L
#include "limits_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

muc_config small(void)
{
  muc_config c;
  muc_config_default(&c);
  c.room_lock_new = 0; /* the lock is not what these tests are about */
  c.max_rooms = 4;
  c.max_rooms_per_creator = 2;
  c.max_occupants_per_room = 3;
  c.max_sessions_per_occupant = 2;
  c.max_affiliations_per_room = 3;
  c.max_nick_bytes = 8;
  c.max_subject_bytes = 16;
  c.max_reason_bytes = 16;
  c.max_room_name_bytes = 8;
  c.max_password_bytes = 8;
  c.max_form_value_bytes = 32;
  c.max_history = 3;
  c.max_vcard_bytes = 256;
  c.max_hats_per_room = 2;
  c.max_hats_per_user = 1;
  return c;
}

int setup_with(void **state, const muc_config *c, int persistence)
{
  fakehost *h = malloc(sizeof(*h));
  if (!h || fakehost_init(h, DOMAIN, c, persistence) != MUC_OK) {
    free(h);
    return -1;
  }
  *state = h;
  return 0;
}

int setup(void **state)
{
  muc_config c = small();
  return setup_with(state, &c, 0);
}

int setup_stored(void **state)
{
  muc_config c = small();
  return setup_with(state, &c, 1);
}

int setup_register(void **state)
{
  muc_config c = small();
  c.room_allow_unaffiliated_register = 1;
  return setup_with(state, &c, 0);
}

void join_room(fakehost *h, const char *room, const char *user,
               const char *nick)
{
  assert_int_equal(fakehost_xml(h,
                                "<presence from='%s' to='%s@" DOMAIN
                                "/%s'>" MUCX "</presence>",
                                user, room, nick),
                   MUC_OK);
}

void join(fakehost *h, const char *user, const char *nick)
{
  join_room(h, "room", user, nick);
}

void change_nick(fakehost *h, const char *user, const char *nick)
{
  assert_int_equal(
      fakehost_xml(h, "<presence from='%s' to='" ROOM "/%s'/>", user, nick),
      MUC_OK);
}

void iq_set(fakehost *h, const char *from, const char *ns, const char *payload)
{
  assert_int_equal(fakehost_xml(h,
                                "<iq from='%s' to='" ROOM "' id='q' "
                                "type='set'><query xmlns='%s'>%s</query></iq>",
                                from, ns, payload),
                   MUC_OK);
}

void register_nick(fakehost *h, const char *user, const char *nick,
                   const char *extra)
{
  char form[2048];
  snprintf(form, sizeof(form),
           "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
           "<value>" MUCNS "#register</value></field><field "
           "var='muc#register_roomnick'><value>%s</value></field>%s</x>",
           nick, extra);
  iq_set(h, user, "jabber:iq:register", form);
}

void admin(fakehost *h, const char *items)
{
  iq_set(h, ROMEO, MUCNS "#admin", items);
}

void configure_room(fakehost *h, const char *room, const char *fields)
{
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='" ROMEO "' to='%s@" DOMAIN "' id='q' type='set'>"
                   "<query xmlns='" MUCNS "#owner'><x xmlns='jabber:x:data' "
                   "type='submit'><field var='FORM_TYPE'><value>" MUCNS
                   "#roomconfig</value></field>%s</x></query></iq>",
                   room, fields),
      MUC_OK);
}

void configure(fakehost *h, const char *fields)
{
  configure_room(h, "room", fields);
}

void say(fakehost *h, const char *from, const char *to, const char *type,
         const char *payload)
{
  assert_int_equal(fakehost_xml(h,
                                "<message from='%s' to='%s' type='%s'>%s"
                                "</message>",
                                from, to, type, payload),
                   MUC_OK);
}

muc_room *room_of(const fakehost *h)
{
  muc_room *r = muc_service_find_room(h->svc, "room");
  assert_non_null(r);
  return r;
}

void make_room(fakehost *h)
{
  join(h, ROMEO, "Romeo");
  join(h, "juliet@localhost/j", "Juliet");
  fakehost_clear(h);
}

void expect_error(fakehost *h, const char *cond, const char *type,
                  const char *by)
{
  char c[160], e[160];
  snprintf(c, sizeof(c), "<%s xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>",
           cond);
  snprintf(e, sizeof(e), "<error type=\"%s\" by=\"%s\">", type, by);
  if (h->nsent != 1 || !fakehost_find(h, " type=\"error\"", e, c, NULL)) {
    fprintf(stderr, "want %s %s\n", e, c);
    fakehost_dump(h);
    fail();
  }
  fakehost_clear(h);
}

void expect_result(fakehost *h)
{
  if (!fakehost_find(h, "<iq ", "type=\"result\"", NULL)) {
    fakehost_dump(h);
    fail();
  }
  fakehost_clear(h);
}

char *disco(fakehost *h)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h, "<iq from='" ROMEO "' to='" ROOM
                                   "' id='d' type='get'><query xmlns='"
                                   "http://jabber.org/protocol/disco#info'/>"
                                   "</iq>"),
                   MUC_OK);
  assert_int_equal(h->nsent, 1);
  char *s = strdup(h->sent[0]);
  fakehost_clear(h);
  return s;
}

int disco_has(fakehost *h, const char *needle)
{
  char *s = disco(h);
  int found = strstr(s, needle) != NULL;
  free(s);
  return found;
}

int affiliation(fakehost *h, const char *jid)
{
  return muc_room_get_affiliation(room_of(h), jid);
}
