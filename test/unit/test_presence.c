/* Presence broadcast: who receives an occupant's presence (the
 * muc#roomconfig_presencebroadcast filter), who sees real JIDs (whois),
 * and that the serialized delivery path sends exactly the bytes of the
 * tree path (the library's serializer applied to the tree). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "fakehost.h"
#include "mem.h"
#include "xml.h"

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

static void configure(fakehost *h, const char *var, const char *values)
{
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='owner@localhost/o' to='" ROOM "' id='cfg' "
                   "type='set'><query "
                   "xmlns='http://jabber.org/protocol/muc#owner'><x "
                   "xmlns='jabber:x:data' type='submit'><field "
                   "var='FORM_TYPE'><value>http://jabber.org/protocol/"
                   "muc#roomconfig</value></field><field var='%s'>%s</field>"
                   "</x></query></iq>",
                   var, values),
      MUC_OK);
  assert_non_null(fakehost_find(h, "id=\"cfg\"", "type=\"result\"", NULL));
}

static int setup(void **state)
{
  static fakehost h;
  if (fakehost_init(&h, "conference.localhost", NULL, 0) != MUC_OK)
    return -1;
  join(&h, "owner@localhost/o", "Owner");
  *state = &h;
  return 0;
}

static int teardown(void **state)
{
  fakehost_free(*state);
  return 0;
}

/* Visitors are not shown when the room broadcasts only moderators and
 * participants; their own presence still reaches them. */
static void test_filter_by_role(void **state)
{
  fakehost *h = *state;
  configure(h, "muc#roomconfig_moderatedroom", "<value>1</value>");
  configure(h, "muc#roomconfig_presencebroadcast",
            "<value>moderator</value><value>participant</value>");
  fakehost_clear(h);
  join(h, "visitor@localhost/v", "Visitor"); /* moderated: a visitor */
  assert_null(fakehost_find(h, "to=\"owner@localhost/o\"", NULL));
  assert_non_null(fakehost_find(h, "to=\"visitor@localhost/v\"",
                                "role=\"visitor\"", "code=\"110\"", NULL));
  /* the visitor still sees the moderator */
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Owner\"",
                                "to=\"visitor@localhost/v\"", NULL));
  /* given voice, the visitor becomes visible */
  fakehost_clear(h);
  assert_int_equal(
      fakehost_xml(h, "<iq from='owner@localhost/o' to='" ROOM "' id='v' "
                      "type='set'><query "
                      "xmlns='http://jabber.org/protocol/muc#admin'><item "
                      "nick='Visitor' role='participant'/></query></iq>"),
      MUC_OK);
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Visitor\"",
                                "to=\"owner@localhost/o\"",
                                "role=\"participant\"", NULL));
  /* revoked again: the others see it go as unavailable */
  fakehost_clear(h);
  assert_int_equal(
      fakehost_xml(h, "<iq from='owner@localhost/o' to='" ROOM "' id='v2' "
                      "type='set'><query "
                      "xmlns='http://jabber.org/protocol/muc#admin'><item "
                      "nick='Visitor' role='visitor'/></query></iq>"),
      MUC_OK);
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/Visitor\"",
                                "to=\"owner@localhost/o\"",
                                "type=\"unavailable\"", NULL));
}

/* whois=moderators: only moderators see real JIDs; whois=anyone: all, and
 * status 100 on entering. */
static void test_whois(void **state)
{
  fakehost *h = *state;
  configure(h, "muc#roomconfig_whois", "<value>moderators</value>");
  join(h, "a@localhost/a", "A");
  fakehost_clear(h);
  join(h, "b@localhost/b", "B");
  assert_non_null(fakehost_find(h, "to=\"owner@localhost/o\"",
                                "jid=\"b@localhost/b\"", NULL));
  assert_non_null(
      fakehost_find(h, "from=\"" ROOM "/B\"", "to=\"a@localhost/a\"", NULL));
  assert_null(
      fakehost_find(h, "to=\"a@localhost/a\"", "jid=\"b@localhost/b\"", NULL));
  /* B sees nobody's JID but its own */
  assert_null(
      fakehost_find(h, "to=\"b@localhost/b\"", "jid=\"a@localhost/a\"", NULL));
  fakehost_clear(h);
  configure(h, "muc#roomconfig_whois", "<value>anyone</value>");
  /* §10.2.1: status 172, the room is now non-anonymous */
  assert_non_null(
      fakehost_find(h, "to=\"a@localhost/a\"", "code=\"172\"", NULL));
  fakehost_clear(h);
  join(h, "c@localhost/c", "C");
  assert_non_null(
      fakehost_find(h, "to=\"a@localhost/a\"", "jid=\"c@localhost/c\"", NULL));
  assert_non_null(fakehost_find(h, "to=\"c@localhost/c\"", "code=\"100\"",
                                "code=\"110\"", NULL));
}

/* ---- tree and bytes deliver the same stanzas ---------------------------- */

typedef struct capture {
  char **lines;
  size_t n;
  uint64_t now;
} capture;

static void add(capture *c, const char *s, size_t len)
{
  c->lines = realloc(c->lines, (c->n + 1) * sizeof(*c->lines));
  c->lines[c->n++] = strndup(s, len);
}

static int send_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  char attr[512];
  snprintf(attr, sizeof(attr), "to=\"%s\"", to);
  assert_non_null(strstr(xml, attr)); /* the recipient is in the text */
  add(ud, xml, len);
  return 0;
}

static int send_tree(const mxml_node_t *st, void *ud)
{
  /* the library's own serializer: the bytes path must send exactly this */
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_buf b;
  muc_buf_init(&b, &m);
  assert_int_equal(muc_xml_write(&b, st), MUC_OK);
  add(ud, b.data, b.len);
  muc_buf_free(&b);
  return 0;
}

static uint64_t now(void *ud)
{
  return ((capture *)ud)->now;
}

static const char *const script[] = {
    "<presence from='o@localhost/o' to='r@c.localhost/O'>" MUCX "</presence>",
    "<iq from='o@localhost/o' to='r@c.localhost' id='1' type='set'><query "
    "xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
    "type='submit'/></query></iq>",
    "<presence from='a@localhost/a' to='r@c.localhost/A'>" MUCX
    "<status>tab\there &amp; &lt;there&gt;</status></presence>",
    "<presence from='b@localhost/b' to='r@c.localhost/B'>" MUCX "</presence>",
    "<message from='a@localhost/a' to='r@c.localhost' type='groupchat' "
    "id='m'><body>caf\xc3\xa9 \"quoted\" 'apos'</body></message>",
    "<presence from='b@localhost/b' to='r@c.localhost/B'><show>away</show>"
    "</presence>",
    "<iq from='o@localhost/o' to='r@c.localhost' id='2' type='set'><query "
    "xmlns='http://jabber.org/protocol/muc#admin'><item nick='A' "
    "role='none'><reason>bye</reason></item></query></iq>",
    "<presence from='b@localhost/b' to='r@c.localhost/B' "
    "type='unavailable'/>",
};

static void run(capture *c, int bytes)
{
  memset(c, 0, sizeof(*c));
  c->now = 1767225600000ull;
  muc_callbacks cb = {0};
  cb.now = now;
  cb.send_bytes = send_bytes;
  muc_service *svc;
  if (bytes)
    assert_int_equal(muc_service_new(&svc, "c.localhost", &cb, NULL, NULL, c),
                     MUC_OK);
  else
    assert_int_equal(muc_service_new_tree(&svc, "c.localhost", send_tree, &cb,
                                          NULL, NULL, c),
                     MUC_OK);
  for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++)
    assert_int_equal(muc_service_handle_xml(svc, script[i], strlen(script[i])),
                     MUC_OK);
  muc_service_free(svc);
}

static void test_bytes_equal_tree(void **state)
{
  (void)state;
  capture tree, bytes;
  run(&tree, 0);
  run(&bytes, 1);
  assert_true(tree.n > 20);
  assert_int_equal(tree.n, bytes.n);
  for (size_t i = 0; i < tree.n; i++) {
    if (strcmp(tree.lines[i], bytes.lines[i]) != 0)
      fail_msg("stanza %zu differs:\n tree:  %s\n bytes: %s", i, tree.lines[i],
               bytes.lines[i]);
    free(tree.lines[i]);
    free(bytes.lines[i]);
  }
  free(tree.lines);
  free(bytes.lines);
}

/* A session's JID is checked for escaping once, when the session is
 * made: a resource with & " < > still reaches the wire escaped in every
 * delivery's 'to' (presences and a groupchat message), and the plain JID
 * beside it as it is. */
static void test_recipients_escaped(void **state)
{
  fakehost *h = *state;
  configure(h, "muc#roomconfig_roomname", "<value>odd names</value>");
  join(h, "odd@localhost/a&amp;&quot;&lt;b&gt;", "Odd");
  join(h, "plain@localhost/r", "Plain");
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h, "<message from='plain@localhost/r' to='" ROOM
                                   "' type='groupchat' id='m1'><body>hi</body>"
                                   "</message>"),
                   MUC_OK);
  assert_non_null(fakehost_find(h, "to=\"odd@localhost/a&amp;&quot;&lt;b&gt;\"",
                                "id=\"m1\"", NULL));
  assert_non_null(
      fakehost_find(h, "to=\"plain@localhost/r\"", "id=\"m1\"", NULL));
  assert_int_equal(fakehost_count(h, "id=\"m1\""), 3);
  fakehost_clear(h);
  join(h, "late@localhost/x", "Late");
  assert_non_null(fakehost_find(h, "to=\"odd@localhost/a&amp;&quot;&lt;b&gt;\"",
                                "Late", NULL));
  assert_int_equal(fakehost_count(h, "a&\""), 0); /* never raw */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_filter_by_role, setup, teardown),
      cmocka_unit_test_setup_teardown(test_whois, setup, teardown),
      cmocka_unit_test(test_bytes_equal_tree),
      cmocka_unit_test_setup_teardown(test_recipients_escaped, setup, teardown),
  };
  return cmocka_run_group_tests_name("presence", tests, NULL, NULL);
}
