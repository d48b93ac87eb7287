/*
 * Tests of the scenario runner's parser and matcher (no libmuc needed:
 * they run even while the engine is incomplete).  The simulated host and
 * the replay are tested in test_replay.c, the mutation tests are in
 * test_mutation.c.
 *
 * Environment (set by meson):
 *   SCS_CONFORMANCE_DIR  the shared conformance folder (tests skip if
 *                        absent)
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"
#include "scs.h"
#include "test_util.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Parse must fail; the message must contain |needle|. */
static void parse_fails(const char *text, const char *needle)
{
  char err[512] = "";
  scs_script *s = NULL;
  int r = scs_parse(text, strlen(text), "t.scs", &s, err, sizeof err);
  if (r == 0 || !strstr(err, needle))
    print_error("script:\n%s\nerror: '%s', wanted '%s'\n", text, err, needle);
  assert_int_equal(r, -1);
  assert_null(s);
  assert_non_null(strstr(err, needle));
}

/* Match the first element of block |e| against the first of block |r|. */
static int m(const char *e, const char *r, char **diff)
{
  char err[256];
  mxml_node_t *eb = scs_xml_parse_block(e, err, sizeof err);
  if (!eb)
    print_error("expected block: %s\n", err);
  assert_non_null(eb);
  mxml_node_t *rb = scs_xml_parse_block(r, err, sizeof err);
  if (!rb)
    print_error("received block: %s\n", err);
  assert_non_null(rb);
  int ok =
      match_element(scs_xml_first_element(eb), scs_xml_first_element(rb), diff);
  mxmlDelete(eb);
  mxmlDelete(rb);
  return ok;
}

/* Must match. */
static void yes(const char *e, const char *r)
{
  char *diff = NULL;
  int ok = m(e, r, &diff);
  if (!ok)
    print_error("should match:\n  E %s\n  R %s\n  diff: %s\n", e, r,
                diff ? diff : "");
  free(diff);
  assert_true(ok);
}

/* Must not match; the first difference must contain |needle|. */
static void no(const char *e, const char *r, const char *needle)
{
  char *diff = NULL;
  int ok = m(e, r, &diff);
  if (ok || !diff || !strstr(diff, needle))
    print_error("should not match:\n  E %s\n  R %s\n  diff: '%s'\n"
                "  wanted: '%s'\n",
                e, r, diff ? diff : "(none)", needle);
  assert_false(ok);
  assert_non_null(diff);
  assert_non_null(strstr(diff, needle));
  free(diff);
}

#define MUC_USER "http://jabber.org/protocol/muc#user"

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static const char basic[] =
    "# The title line\n"
    "# another comment\n"
    "\n"
    "[Client] Romeo\n"
    "\tjid: user@localhost\n"
    "\tpassword: password\n"
    "\n"
    "[Client] Juliet's phone\n"
    "\tjid: juliet@localhost/lVwkim_k   # a fixed resource\n"
    "\tpassword: pw\n"
    "\tconnect_host: 127.0.0.1\n"
    "\tconnect_port: 5222\n"
    "\n"
    "[Client] Nurse\n"
    "  jid: nurse@localhost\n"
    "  resource: balcony\n"
    "\n"
    "-----\n"
    "\n"
    "Romeo connects\n"
    "\n"
    "# a comment between actions\n"
    "Romeo sends:\n"
    "\t<presence to='room@conference.localhost/Romeo'>\n"
    "\t\t<x xmlns='http://jabber.org/protocol/muc'/>\n"
    "\n"
    "\t</presence>\n"
    "\t<message to='room@conference.localhost' type='groupchat'/>\n"
    "\n"
    "Juliet's phone receives:\n"
    "\t<presence from=\"${Romeo's full JID}\"/>\n"
    "Juliet's phone receives: nothing\n"
    "Romeo disconnects\n";

static void test_parse_basic(void **state)
{
  (void)state;
  scs_script *s = parse_ok(basic);
  assert_string_equal(s->name, "t.scs");
  assert_string_equal(s->title, "The title line");
  assert_int_equal(s->nclients, 3);
  assert_string_equal(s->clients[0].name, "Romeo");
  assert_string_equal(s->clients[0].jid, "user@localhost");
  assert_string_equal(s->clients[0].password, "password");
  assert_null(s->clients[0].resource);
  assert_int_equal(s->clients[0].line, 4);
  assert_string_equal(s->clients[1].name, "Juliet's phone");
  assert_string_equal(s->clients[1].jid, "juliet@localhost/lVwkim_k");
  assert_string_equal(s->clients[1].connect_host, "127.0.0.1");
  assert_int_equal(s->clients[1].connect_port, 5222);
  assert_string_equal(s->clients[2].resource, "balcony");

  assert_int_equal(s->nactions, 5);
  assert_int_equal(s->actions[0].kind, SCS_CONNECT);
  assert_int_equal(s->actions[0].client, 0);
  assert_int_equal(s->actions[0].line, 20);
  assert_null(s->actions[0].xml);
  assert_int_equal(s->actions[1].kind, SCS_SEND);
  assert_int_equal(s->actions[1].line, 23);
  assert_int_equal(s->actions[1].xml_line, 24);
  assert_int_equal(s->actions[1].nelements, 2);
  assert_non_null(strstr(s->actions[1].xml, "<message"));
  assert_int_equal(s->actions[2].kind, SCS_RECEIVE);
  assert_int_equal(s->actions[2].client, 1);
  assert_int_equal(s->actions[2].line, 30);
  assert_int_equal(s->actions[2].nelements, 1);
  /* Variables are kept for replay time. */
  assert_non_null(strstr(s->actions[2].xml, "${Romeo's full JID}"));
  assert_int_equal(s->actions[3].kind, SCS_RECEIVE_NOTHING);
  assert_int_equal(s->actions[3].line, 32);
  assert_int_equal(s->actions[4].kind, SCS_DISCONNECT);
  assert_int_equal(s->actions[4].line, 33);
  assert_int_equal(scs_find_client(s, "Nurse"), 2);
  assert_int_equal(scs_find_client(s, "Tybalt"), -1);
  scs_free(s);
}

static void test_parse_crlf_and_no_title(void **state)
{
  (void)state;
  scs_script *s = parse_ok("[Client] A\r\n\tjid: a@localhost\r\n-----\r\n"
                           "A connects\r\nA sends:\r\n\t<presence/>\r\n"
                           "\r\nA receives:\r\n\t<presence/>\r\n");
  assert_string_equal(s->title, "");
  assert_int_equal(s->nactions, 3);
  assert_int_equal(s->actions[2].line, 8);
  scs_free(s);
}

/* "# libmuc: archive" in the header asks for an archive; anywhere else,
 * or with more words, it is a comment. */
static void test_parse_archive_directive(void **state)
{
  (void)state;
  static const char body[] = "[Client] A\n\tjid: a@localhost\n-----\n"
                             "# libmuc: archive\nA connects\n";
  scs_script *s = parse_ok("# Title\n# libmuc: archive  \n[Client] A\n"
                           "\tjid: a@localhost\n-----\nA connects\n");
  assert_int_equal(s->archive, 1);
  assert_string_equal(s->title, "Title");
  scs_free(s);
  s = parse_ok(body); /* after the header */
  assert_int_equal(s->archive, 0);
  scs_free(s);
  s = parse_ok("# libmuc: archives\n# libmuc:archive\n[Client] A\n"
               "\tjid: a@localhost\n-----\nA connects\n");
  assert_int_equal(s->archive, 0);
  scs_free(s);
}

static void test_parse_errors(void **state)
{
  (void)state;
  static const char head[] = "[Client] A\n\tjid: a@localhost\n-----\n";
  static const struct {
    const char *body;
    const char *needle;
  } cases[] = {
      {"B connects\n", "t.scs:4: unknown client \"B\""},
      {"A dances\n", "t.scs:4: unknown action"},
      {"A sends:\nA connects\n", "t.scs:4: sends: without an XML block"},
      {"A receives:\n\n", "receives: without an XML block"},
      {"A receives: nothing\n\t<presence/>\n", "t.scs:5: \"receives: "
                                               "nothing\" takes no XML"},
      {"A connects\n\t<presence/>\n", "takes no XML block"},
      {"A sends:\n\t<presence>\n", "t.scs:6: malformed XML: element "
                                   "<presence> is not closed at the end"},
      {"A sends:\n\t<presence/>\n\t<message>\n\t</iq>\n",
       "t.scs:7: malformed XML: Mismatched close tag </iq> under parent "
       "<message>"},
      {"A sends:\n\thello <presence/>\n", "text outside any element"},
      {"A sends:\n\t<presence to='${B's JID}'/>\n", "no client named \"B\""},
      {"A sends:\n\t<presence to='${A's nick}'/>\n", "unknown variable"},
      {"A sends:\n\t<presence to='${A's JID'/>\n", "unterminated variable"},
      {"\t<presence/>\n", "t.scs:4: indented line not part of a"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s%s", head, cases[i].body);
    parse_fails(text, cases[i].needle);
  }
  parse_fails("[Client] A\n\tjid: a@localhost\nA connects\n",
              "unexpected line in the header");
  parse_fails("[Client] A\n\tjid: a@localhost\n", "no line of dashes");
  parse_fails("[Client] A\n\tpassword: x\n-----\n", "t.scs:1: client \"A\" "
                                                    "has no jid");
  parse_fails("[Client] A\n\tjid: a@localhost\n[Client] A\n"
              "\tjid: b@localhost\n-----\n",
              "t.scs:3: client \"A\" "
              "declared twice");
  parse_fails("[Client] A\n\tjid: a@localhost\n\tcolour: red\n-----\n",
              "t.scs:3: unknown client property \"colour\"");
  parse_fails("\tjid: a@localhost\n-----\n", "outside a [Client] block");
  parse_fails("[Client] A\n\tjid: a@localhost\n\tconnect_port: x\n-----\n",
              "bad connect_port");
}

static const char *fake_lookup(const char *name, int full, void *ud)
{
  (void)ud;
  if (strcmp(name, "Juliet's phone") == 0)
    return full ? "j@localhost/p<&>'\"" : "j@localhost";
  if (strcmp(name, "Romeo") == 0)
    return full ? "r@localhost/r" : "r@localhost";
  return NULL;
}

static void test_substitute(void **state)
{
  (void)state;
  char err[256];
  char *out = NULL;
  assert_int_equal(scs_substitute("<a b=\"${Romeo's JID}\" c='${Juliet's "
                                  "phone's full JID}'>${Romeo's full JID}"
                                  "</a>",
                                  fake_lookup, NULL, &out, err, sizeof err),
                   0);
  assert_string_equal(out, "<a b=\"r@localhost\" c='j@localhost/p&lt;&amp;"
                           "&gt;&apos;&quot;'>r@localhost/r</a>");
  free(out);
  assert_int_equal(
      scs_substitute("no variables", fake_lookup, NULL, &out, err, sizeof err),
      0);
  assert_string_equal(out, "no variables");
  free(out);
  assert_int_equal(scs_substitute("${Mercutio's JID}", fake_lookup, NULL, &out,
                                  err, sizeof err),
                   -1);
  assert_non_null(strstr(err, "no client named \"Mercutio\""));
}

static void test_xml_block(void **state)
{
  (void)state;
  char err[256];
  mxml_node_t *b = scs_xml_parse_block(
      "\n\t<presence a='1'>\n\t\t<x xmlns='urn:x' scansion:strict='true'/>"
      "<!-- comment -->\n\t</presence>\n\t<message><body><![CDATA[a<b]]>"
      "</body></message>\n",
      err, sizeof err);
  assert_non_null(b);
  assert_int_equal(scs_xml_count_elements(b), 2);
  mxml_node_t *p = scs_xml_first_element(b);
  assert_string_equal(mxmlGetElement(p), "presence");
  assert_int_equal(scs_xml_count_elements(p), 1); /* comment removed */
  mxml_node_t *x = scs_xml_first_element(p);
  assert_string_equal(mxmlElementGetAttr(x, "scansion:strict"), "true");
  mxml_node_t *msg = scs_xml_next_element(p);
  char *s = scs_xml_string(msg, -1);
  assert_string_equal(s, "<message><body>a&lt;b</body></message>");
  free(s);
  s = scs_xml_string(p, -1);
  assert_string_equal(s, "<presence a='1'><x xmlns='urn:x' "
                         "scansion:strict='true'/></presence>");
  free(s);
  s = scs_xml_string(p, 2);
  assert_string_equal(s, "  <presence a='1'>\n    <x xmlns='urn:x' "
                         "scansion:strict='true'/>\n  </presence>");
  free(s);
  mxml_node_t *copy = scs_xml_copy(NULL, p);
  scs_xml_strip_blank(copy);
  s = scs_xml_string(copy, -1);
  assert_string_equal(s, "<presence a='1'><x xmlns='urn:x' "
                         "scansion:strict='true'/></presence>");
  free(s);
  assert_int_equal(mxmlGetType(mxmlGetFirstChild(copy)), MXML_ELEMENT);
  mxmlDelete(copy);
  mxmlDelete(b);

  assert_null(scs_xml_parse_block("  \n ", err, sizeof err));
  assert_non_null(strstr(err, "no element"));
  assert_null(scs_xml_parse_block("<a>", err, sizeof err));
  assert_non_null(strstr(err, "malformed XML"));
  assert_null(scs_xml_parse_block("<a/> text", err, sizeof err));
  assert_non_null(strstr(err, "text outside"));
  b = scs_xml_parse_block("<body>I think we&apos;re in a script!</body>", err,
                          sizeof err);
  assert_non_null(b);
  assert_string_equal(mxmlGetOpaque(scs_xml_first_element(b)),
                      "I think we're in a script!");
  mxmlDelete(b);
}

static void parse_one(const char *path, const char *folder, const char *file,
                      void *ud)
{
  (void)folder;
  (void)file;
  (void)ud;
  char err[512];
  scs_script *s = NULL;
  int r = scs_parse_file(path, &s, err, sizeof err);
  if (r != 0)
    print_error("%s\n", err);
  assert_int_equal(r, 0);
  assert_true(s->nclients > 0);
  assert_true(s->nactions > 0);
  assert_true(s->title[0] != '\0');
  scs_free(s);
}

/* Every script of every subfolder of the shared conformance folder
 * parses. */
static void test_parse_shared_scripts(void **state)
{
  (void)state;
  size_t n = each_shared_script(parse_one, NULL);
  print_message("parsed %zu shared scripts\n", n);
  assert_true(n >= 19);
}

/* ------------------------------------------------------------------ */
/* Matcher                                                             */
/* ------------------------------------------------------------------ */

static void test_match_identical(void **state)
{
  (void)state;
  yes("<presence from='a' type='unavailable'><x xmlns='" MUC_USER "'>"
      "<item role='none'/><status code='110'/></x></presence>",
      "<presence type='unavailable' from='a'><x xmlns='" MUC_USER "'>"
      "<item role='none'/><status code='110'/></x></presence>");
}

static void test_match_attributes(void **state)
{
  (void)state;
  no("<presence type='unavailable'/>", "<presence type='error'/>",
     "presence@type: expected 'unavailable', got 'error'");
  no("<presence type='unavailable'/>", "<presence/>",
     "presence@type: expected 'unavailable', got nothing");
  no("<presence><x xmlns='" MUC_USER "'><item role='moderator'/></x>"
     "</presence>",
     "<presence><x xmlns='" MUC_USER "'><item role='none'/></x></presence>",
     "presence/x/item@role: expected 'moderator', got 'none'");
  /* Attribute values are compared exactly (no JID normalization). */
  no("<message from='Room@conference.localhost'/>",
     "<message from='room@conference.localhost'/>", "message@from");
}

static void test_match_any(void **state)
{
  (void)state;
  yes("<delay xmlns='urn:xmpp:delay' stamp='{scansion:any}'/>",
      "<delay xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:00Z'/>");
  yes("<m><delay xmlns='urn:xmpp:delay' stamp='{scansion:any}'/></m>",
      "<m><delay xmlns='urn:xmpp:delay' stamp=''/></m>");
  no("<m><delay xmlns='urn:xmpp:delay' stamp='{scansion:any}'/></m>",
     "<m><delay xmlns='urn:xmpp:delay'/></m>",
     "m/delay@stamp: expected the attribute (any value), got nothing");
}

static void test_match_ignored_attributes(void **state)
{
  (void)state;
  /* xmlns declarations and scansion:* are not compared as attributes. */
  yes("<iq xmlns:scansion='https://matthewwild.co.uk/projects/scansion' "
      "scansion:strict='false' type='result'/>",
      "<iq type='result' id='x'/>");
  /* ... even on a strict element, on either side. */
  yes("<m><x xmlns='urn:x' xmlns:foo='urn:foo' scansion:strict='true'/></m>",
      "<m><x xmlns='urn:x' xmlns:bar='urn:bar'/></m>");
}

static void test_match_children(void **state)
{
  (void)state;
  /* Missing child. */
  no("<presence><x xmlns='" MUC_USER "'/></presence>",
     "<presence><status>away</status></presence>",
     "presence/x: missing child element <x xmlns='" MUC_USER "'>");
  no("<presence><x xmlns='" MUC_USER "'><item/><status code='110'/></x>"
     "</presence>",
     "<presence><x xmlns='" MUC_USER "'><item/></x></presence>",
     "presence/x: strict element: expected 2 child element(s)");
  /* Extra children of a non-strict element are accepted. */
  yes("<presence from='r@c/n'><x xmlns='" MUC_USER "'><item/></x>"
      "</presence>",
      "<presence from='r@c/n'><occupant-id xmlns='urn:xmpp:occupant-id:0' "
      "id='abc'/><x xmlns='vcard-temp:x:update'><photo/></x>"
      "<x xmlns='" MUC_USER "'><item/></x><priority>5</priority>"
      "</presence>");
  /* Extra children of a strict element are refused. */
  no("<presence><x xmlns='" MUC_USER "'><item/></x></presence>",
     "<presence><x xmlns='" MUC_USER "'><item/><status code='110'/></x>"
     "</presence>",
     "unexpected child <status xmlns='" MUC_USER "'>");
}

static void test_match_extra_attributes(void **state)
{
  (void)state;
  /* Non-strict: extra attributes accepted (top-level and default ns). */
  yes("<message type='groupchat'><body>x</body></message>",
      "<message type='groupchat' id='1' xml:lang='en'><body a='b'>x</body>"
      "</message>");
  /* Strict: refused. */
  no("<presence><x xmlns='" MUC_USER "'><item role='none'/></x></presence>",
     "<presence><x xmlns='" MUC_USER "'><item role='none' nick='n'/></x>"
     "</presence>",
     "presence/x/item@nick: unexpected attribute (got 'n'");
  no("<presence><x xmlns='" MUC_USER "'/></presence>",
     "<presence><x xmlns='" MUC_USER "' extra='1'/></presence>",
     "presence/x@extra: unexpected attribute");
}

static void test_match_order(void **state)
{
  (void)state;
  /* Non-strict: any order. */
  yes("<message><subject/><body>b</body></message>",
      "<message><body>b</body><subject/></message>");
  yes("<presence><x xmlns='" MUC_USER "'/><x xmlns='vcard-temp:x:update'/>"
      "</presence>",
      "<presence><x xmlns='vcard-temp:x:update'/><x xmlns='" MUC_USER "'/>"
      "</presence>");
  /* Strict: the same order. */
  yes("<presence><x xmlns='" MUC_USER "'><status code='201'/><item/>"
      "<status code='110'/></x></presence>",
      "<presence><x xmlns='" MUC_USER "'><status code='201'/><item/>"
      "<status code='110'/></x></presence>");
  no("<presence><x xmlns='" MUC_USER "'><status code='201'/><item/>"
     "<status code='110'/></x></presence>",
     "<presence><x xmlns='" MUC_USER "'><item/><status code='201'/>"
     "<status code='110'/></x></presence>",
     "presence/x/status[1]: expected element <status xmlns='" MUC_USER
     "'>, got <item xmlns='" MUC_USER "'>");
  no("<presence><x xmlns='" MUC_USER "'><status code='201'/>"
     "<status code='110'/></x></presence>",
     "<presence><x xmlns='" MUC_USER "'><status code='110'/>"
     "<status code='201'/></x></presence>",
     "presence/x/status[1]@code: expected '201', got '110'");
}

static void test_match_distinct_children(void **state)
{
  (void)state;
  /* Two expected children cannot share one received child. */
  no("<message><body/><body/></message>", "<message><body>x</body></message>",
     "message/body[2]: every received child that matches");
  yes("<message><body/><body/></message>",
      "<message><body>x</body><body>y</body></message>");
  /* Greedy trap: the first expected <item/> matches both received items;
   * a greedy choice of the first would leave nothing for <item a='1'/>. */
  yes("<iq><item/><item a='1'/></iq>", "<iq><item a='1'/><item b='2'/></iq>");
  yes("<iq><item/><item/><item a='1'/></iq>",
      "<iq><item a='1'/><item/><item/></iq>");
  no("<iq><item a='1'/><item a='1'/></iq>",
     "<iq><item a='1'/><item a='2'/></iq>", "iq/item[");
  /* Same in a strict=false element (issue978-multi.scs). */
  yes("<presence><x xmlns='" MUC_USER "' scansion:strict='false'>"
      "<item jid='b'/><item jid='a'/></x></presence>",
      "<presence><x xmlns='" MUC_USER "'><item jid='a' role='p'/>"
      "<item jid='b' role='p'/><item jid='c'/></x></presence>");
}

static void test_match_namespaces(void **state)
{
  (void)state;
  /* Local name and namespace must both be equal. */
  no("<presence/>", "<message/>",
     "presence: expected element <presence xmlns='jabber:client'>, got "
     "<message xmlns='jabber:client'>");
  no("<m><x xmlns='urn:a'/></m>", "<m><x xmlns='urn:b'/></m>",
     "m/x: missing child element <x xmlns='urn:a'> (received children: "
     "<x xmlns='urn:b'>)");
  /* The top-level stanza is in jabber:client, explicit or not. */
  yes("<message/>", "<message xmlns='jabber:client'/>");
  yes("<message xmlns='jabber:client'/>", "<message/>");
  no("<message/>", "<message xmlns='urn:other'/>",
     "got <message xmlns='urn:other'>");
  /* Children without xmlns inherit their parent's namespace... */
  yes("<presence><x xmlns='" MUC_USER "'><item/></x></presence>",
      "<presence><x xmlns='" MUC_USER "'><item xmlns='" MUC_USER "'/></x>"
      "</presence>");
  yes("<presence><x xmlns='" MUC_USER "'><item xmlns='" MUC_USER "'/>"
      "</x></presence>",
      "<presence><x xmlns='" MUC_USER "'><item/></x></presence>");
  no("<presence><x xmlns='" MUC_USER "'><item/></x></presence>",
     "<presence><x xmlns='" MUC_USER "'><item xmlns='urn:other'/></x>"
     "</presence>",
     "presence/x/item: expected element <item xmlns='" MUC_USER
     "'>, got <item xmlns='urn:other'>");
  /* ... the body of a message is in jabber:client. */
  no("<message><body>x</body></message>",
     "<message><body xmlns='urn:other'>x</body></message>",
     "missing child element <body xmlns='jabber:client'>");
  /* Prefixes are resolved. */
  yes("<m><p:x xmlns:p='urn:a'><p:y/></p:x></m>",
      "<m><x xmlns='urn:a'><y/></x></m>");
  no("<m><p:x xmlns:p='urn:a'/></m>", "<m><x xmlns='urn:b'/></m>",
     "missing child element <x xmlns='urn:a'>");
}

static void test_match_strictness(void **state)
{
  (void)state;
  /* The default-namespace descendants of the stanza are non-strict. */
  yes("<message><body>x</body></message>",
      "<message><body>x<i/></body><thread>t</thread></message>");
  /* A namespace change makes strict, and descendants inherit it. */
  no("<iq><query xmlns='urn:q'><item><n/></item></query></iq>",
     "<iq><query xmlns='urn:q'><item><n/><extra/></item></query></iq>",
     "iq/query/item: strict element: expected 1 child element(s)");
  /* scansion:strict='false' relaxes an element and its descendants. */
  yes("<presence><x xmlns='" MUC_USER "' scansion:strict='false'><item/>"
      "</x></presence>",
      "<presence><x xmlns='" MUC_USER "' a='1'><status code='110'/>"
      "<item role='none'/></x></presence>");
  yes("<iq><query xmlns='urn:q' scansion:strict='false'><item/></query>"
      "</iq>",
      "<iq><query xmlns='urn:q'><item><n/></item></query></iq>");
  /* ... including descendants that change namespace again (the override
   * holds for all descendants). */
  yes("<iq><query xmlns='urn:q' scansion:strict='false'><x xmlns='urn:x'/>"
      "</query></iq>",
      "<iq><query xmlns='urn:q'><x xmlns='urn:x' extra='1'><y/></x>"
      "</query></iq>");
  /* ... unless one overrides it again. */
  no("<iq><query xmlns='urn:q' scansion:strict='false'><x xmlns='urn:x' "
     "scansion:strict='true'/></query></iq>",
     "<iq><query xmlns='urn:q'><x xmlns='urn:x' extra='1'/></query></iq>",
     "iq/query/x@extra: unexpected attribute");
  /* scansion:strict='true' tightens a default-namespace element. */
  no("<message scansion:strict='true'><body>x</body></message>",
     "<message><body>x</body><thread>t</thread></message>",
     "message: strict element: expected 1 child element(s) in this order, "
     "got 2 (unexpected child <thread xmlns='jabber:client'>)");
  no("<iq scansion:strict='true' type='result'/>", "<iq type='result' id='a'/>",
     "iq@id: unexpected attribute");
  /* muc_show_offline.scs, line 206: strict x must hold exactly the item. */
  no("<message><x xmlns='" MUC_USER "' scansion:strict='true'>"
     "<item jid='j@localhost' affiliation='none'/></x></message>",
     "<message><x xmlns='" MUC_USER "'><item jid='j@localhost' "
     "affiliation='none' role='none'/></x></message>",
     "message/x/item@role: unexpected attribute");
}

static void test_match_text(void **state)
{
  (void)state;
  /* Leading/trailing whitespace of the direct text is ignored. */
  yes("<message><body>\n\t\thello world\n\t</body></message>",
      "<message><body>hello world</body></message>");
  yes("<message><body>hello world</body></message>",
      "<message><body>  hello world </body></message>");
  /* Inner whitespace is not. */
  no("<message><body>hello world</body></message>",
     "<message><body>hello  world</body></message>",
     "message/body: expected text 'hello world', got 'hello  world'");
  no("<message><body>a</body></message>", "<message><body>b</body></message>",
     "message/body: expected text 'a', got 'b'");
  no("<message><body>a</body></message>", "<message><body/></message>",
     "expected text 'a', got ''");
  /* Whitespace-only text between tags never counts, on either side. */
  yes("<presence>\n  <x xmlns='" MUC_USER "'>\n    <item/>\n  </x>\n"
      "</presence>",
      "<presence><x xmlns='" MUC_USER "'>\n<item/>  </x></presence>");
  yes("<iq id='a'>\n\t</iq>", "<iq id='a'/>");
  /* Empty E: any text when non-strict... */
  yes("<message><subject/></message>",
      "<message><subject>Fire!</subject></message>");
  yes("<message scansion:strict='false'><x xmlns='urn:x'><reason/></x>"
      "</message>",
      "<message><x xmlns='urn:x'><reason>because</reason></x></message>");
  /* ... none when strict. */
  no("<message><x xmlns='urn:x'><reason/></x></message>",
     "<message><x xmlns='urn:x'><reason>because</reason></x></message>",
     "message/x/reason: expected no text (the element is strict), got "
     "'because'");
  yes("<message><x xmlns='urn:x'><reason/></x></message>",
      "<message><x xmlns='urn:x'><reason>  </reason></x></message>");
  /* Entities are compared decoded. */
  yes("<message><body>we&apos;re &amp; &lt;</body></message>",
      "<message><body>we're &amp; &lt;</body></message>");
}

static void test_match_empty_element(void **state)
{
  (void)state;
  /* Non-strict empty element: any children and text. */
  yes("<iq type='result'/>",
      "<iq type='result'><query xmlns='urn:q'><item/></query></iq>");
  /* Strict empty element: no children (muc_show_offline.scs line 330). */
  no("<iq><query xmlns='http://jabber.org/protocol/disco#info' "
     "node='x-roomuser-item' scansion:strict='true'/></iq>",
     "<iq><query xmlns='http://jabber.org/protocol/disco#info' "
     "node='x-roomuser-item'><identity category='conference' name='R' "
     "type='text'/></query></iq>",
     "iq/query: strict element: expected 0 child element(s)");
  yes("<iq><query xmlns='http://jabber.org/protocol/disco#info' "
      "node='x-roomuser-item' scansion:strict='true'/></iq>",
      "<iq><query xmlns='http://jabber.org/protocol/disco#info' "
      "node='x-roomuser-item'/></iq>");
  /* An element that declares a namespace is strict: empty means empty. */
  no("<presence><x xmlns='http://jabber.org/protocol/muc'/></presence>",
     "<presence><x xmlns='http://jabber.org/protocol/muc'><password>p"
     "</password></x></presence>",
     "presence/x: strict element");
}

static void test_match_paths(void **state)
{
  (void)state;
  no("<presence><x xmlns='" MUC_USER "'><status code='201'/>"
     "<status code='110'/></x></presence>",
     "<presence><x xmlns='" MUC_USER "'><status code='201'/>"
     "<status code='100'/></x></presence>",
     "presence/x/status[2]@code: expected '110', got '100'");
  no("<iq><query xmlns='urn:q'><item jid='a'><reason>r</reason></item>"
     "</query></iq>",
     "<iq><query xmlns='urn:q'><item jid='a'><reason>s</reason></item>"
     "</query></iq>",
     "iq/query/item/reason: expected text 'r', got 's'");
  /* In a non-strict parent, the report follows the closest child. */
  no("<presence><x xmlns='" MUC_USER "'><item role='moderator'/></x>"
     "</presence>",
     "<presence><x xmlns='vcard-temp:x:update'/><x xmlns='" MUC_USER "'>"
     "<item role='visitor'/></x></presence>",
     "presence/x/item@role: expected 'moderator', got 'visitor'");
}

static void test_match_namespace_fn(void **state)
{
  (void)state;
  char err[256];
  mxml_node_t *b = scs_xml_parse_block(
      "<presence><x xmlns='urn:x'><item/></x><p:y xmlns:p='urn:p'><p:z/>"
      "<w/></p:y></presence>",
      err, sizeof err);
  assert_non_null(b);
  mxml_node_t *p = scs_xml_first_element(b);
  mxml_node_t *x = scs_xml_first_element(p);
  mxml_node_t *item = scs_xml_first_element(x);
  mxml_node_t *y = scs_xml_next_element(x);
  mxml_node_t *z = scs_xml_first_element(y);
  mxml_node_t *w = scs_xml_next_element(z);
  assert_string_equal(match_namespace(p), "jabber:client");
  assert_string_equal(match_namespace(x), "urn:x");
  assert_string_equal(match_namespace(item), "urn:x");
  assert_string_equal(match_namespace(y), "urn:p");
  assert_string_equal(match_namespace(z), "urn:p");
  assert_string_equal(match_namespace(w), "jabber:client");
  mxmlDelete(b);
}

static void test_match_closest_and_report(void **state)
{
  (void)state;
  char err[256];
  mxml_node_t *e = scs_xml_parse_block(
      "<presence from='r@c/Romeo'><x xmlns='" MUC_USER "'><item "
      "role='moderator' affiliation='owner'/></x></presence>",
      err, sizeof err);
  mxml_node_t *r = scs_xml_parse_block(
      "<message from='r@c'><subject/></message>"
      "<presence from='r@c/Juliet'><x xmlns='" MUC_USER "'><item "
      "role='participant' affiliation='none'/></x></presence>"
      "<presence from='r@c/Romeo'><x xmlns='" MUC_USER "'><item "
      "role='participant' affiliation='owner'/></x></presence>"
      "<iq/>",
      err, sizeof err);
  assert_non_null(e);
  assert_non_null(r);
  const mxml_node_t *cands[4];
  size_t n = 0;
  for (mxml_node_t *c = scs_xml_first_element(r); c;
       c = scs_xml_next_element(c))
    cands[n++] = c;
  assert_int_equal(n, 4);
  mxml_node_t *exp = scs_xml_first_element(e);
  assert_int_equal(match_score(exp, cands[0]), 0);
  assert_int_equal(match_closest(exp, cands, n), 2);
  char *rep = match_report(exp, cands[2], "closest received stanza");
  assert_non_null(strstr(rep, "expected:\n    <presence from='r@c/Romeo'>"
                              "\n      <x xmlns='" MUC_USER "'>"));
  assert_non_null(strstr(rep, "closest received stanza:\n    <presence"));
  assert_non_null(strstr(rep, "first difference: presence/x/item@role: "
                              "expected 'moderator', got 'participant'"));
  free(rep);
  rep = match_report(exp, NULL, "received");
  assert_non_null(strstr(rep, "received: nothing was received"));
  free(rep);
  mxmlDelete(e);
  mxmlDelete(r);
}

int main(void)
{
  const struct CMUnitTest parser[] = {
      cmocka_unit_test(test_parse_basic),
      cmocka_unit_test(test_parse_crlf_and_no_title),
      cmocka_unit_test(test_parse_archive_directive),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_substitute),
      cmocka_unit_test(test_xml_block),
      cmocka_unit_test(test_parse_shared_scripts),
  };
  const struct CMUnitTest matcher[] = {
      cmocka_unit_test(test_match_identical),
      cmocka_unit_test(test_match_attributes),
      cmocka_unit_test(test_match_any),
      cmocka_unit_test(test_match_ignored_attributes),
      cmocka_unit_test(test_match_children),
      cmocka_unit_test(test_match_extra_attributes),
      cmocka_unit_test(test_match_order),
      cmocka_unit_test(test_match_distinct_children),
      cmocka_unit_test(test_match_namespaces),
      cmocka_unit_test(test_match_strictness),
      cmocka_unit_test(test_match_text),
      cmocka_unit_test(test_match_empty_element),
      cmocka_unit_test(test_match_paths),
      cmocka_unit_test(test_match_namespace_fn),
      cmocka_unit_test(test_match_closest_and_report),
  };
  int failed = 0;
  failed += cmocka_run_group_tests_name("parser", parser, NULL, NULL);
  failed += cmocka_run_group_tests_name("matcher", matcher, NULL, NULL);
  return failed ? 1 : 0;
}
