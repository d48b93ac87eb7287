/*
 * Tests of the scenario replay runner: parser, matcher, simulated host,
 * replay, and mutation tests proving that a replay fails when it should.
 *
 * Built twice: with REPLAY_TEST_CORE_ONLY (parser + matcher, no libmuc:
 * test "replay-core") and without (everything: test "replay").
 *
 * Environment (set by meson):
 *   SCS_CONFORMANCE_DIR  the shared conformance folder (tests skip if
 *                        absent)
 *   SCS_SEED_SCRIPT      seed/muc_show_offline.scs (its test skips if
 *                        absent)
 *   SCS_FIRST_ROOM       examples/scenarios/first_room.scs
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
#include <dirent.h>

#include "match.h"
#include "scs.h"
#ifndef REPLAY_TEST_CORE_ONLY
#include "host.h"
#include "replay.h"
#endif

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static scs_script *parse_ok(const char *text)
{
  char err[512] = "";
  scs_script *s = NULL;
  int r = scs_parse(text, strlen(text), "t.scs", &s, err, sizeof err);
  if (r != 0)
    print_error("unexpected parse error: %s\n", err);
  assert_int_equal(r, 0);
  assert_non_null(s);
  return s;
}

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

/* Call |fn| for every .scs script in every subfolder of the shared
 * conformance folder (SCS_CONFORMANCE_DIR); skip the test visibly when the
 * folder is absent.  Returns the number of scripts. */
typedef void (*script_fn)(const char *path, const char *folder,
                          const char *file, void *ud);

static size_t each_shared_script(script_fn fn, void *ud)
{
  const char *dir = getenv("SCS_CONFORMANCE_DIR");
  DIR *top = dir ? opendir(dir) : NULL;
  if (!top) {
    print_message("shared conformance folder absent: skipped\n");
    skip();
  }
  size_t n = 0;
  struct dirent *d;
  while ((d = readdir(top)) != NULL) {
    if (d->d_name[0] == '.')
      continue;
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/%s", dir, d->d_name);
    DIR *sd = opendir(sub);
    if (!sd)
      continue;
    struct dirent *f;
    while ((f = readdir(sd)) != NULL) {
      size_t l = strlen(f->d_name);
      if (l < 5 || strcmp(f->d_name + l - 4, ".scs") != 0)
        continue;
      char path[2048];
      snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
      fn(path, d->d_name, f->d_name, ud);
      n++;
    }
    closedir(sd);
  }
  closedir(top);
  return n;
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

#ifndef REPLAY_TEST_CORE_ONLY
/* ------------------------------------------------------------------ */
/* Host and replay (need libmuc)                                       */
/* ------------------------------------------------------------------ */

typedef struct events {
  replay_event_kind kinds[512];
  int lines[512];
  size_t n;
} events;

static void record(const replay_event *ev, void *ud)
{
  events *e = ud;
  if (ev->kind == REPLAY_EV_LOG || ev->kind == REPLAY_EV_TO_MUC)
    return;
  if (e->n < 512) {
    e->kinds[e->n] = ev->kind;
    e->lines[e->n] = ev->line;
    e->n++;
  }
}

/* Parse and replay |text|; returns replay_run's value. */
static int run_text(const char *text, int strict, replay_result *res,
                    events *ev)
{
  scs_script *s = parse_ok(text);
  replay_options o;
  memset(&o, 0, sizeof o);
  o.strict = strict;
  if (ev) {
    memset(ev, 0, sizeof *ev);
    o.hook = record;
    o.hook_data = ev;
  }
  int r = replay_run(s, &o, res);
  scs_free(s);
  return r;
}

static void must_pass(const char *text, int strict)
{
  replay_result res;
  int r = run_text(text, strict, &res, NULL);
  if (r != 0)
    print_error("replay failed:\n%s\n", res.report ? res.report : "?");
  assert_int_equal(r, 0);
  assert_true(res.passed);
  assert_null(res.report);
  replay_result_free(&res);
}

/* Must fail at |line| with a report containing |needle|. */
static void must_fail(const char *text, int strict, int line,
                      const char *needle)
{
  replay_result res;
  int r = run_text(text, strict, &res, NULL);
  if (r != 1 || res.fail_line != line || !res.report ||
      !strstr(res.report, needle))
    print_error("wanted a failure at line %d with '%s'; got r=%d line=%d "
                "report:\n%s\n",
                line, needle, r, res.fail_line,
                res.report ? res.report : "(none)");
  assert_int_equal(r, 1);
  assert_false(res.passed);
  assert_int_equal(res.fail_line, line);
  assert_non_null(strstr(res.report, needle));
  replay_result_free(&res);
}

#define TWO_CLIENTS                                                            \
  "# two clients\n[Client] Romeo\n\tjid: romeo@localhost\n"                    \
  "[Client] Juliet\n\tjid: juliet@localhost\n-----\n"

static void test_host_resources(void **state)
{
  (void)state;
  char err[256];
  host *h = host_new(NULL, err, sizeof err);
  assert_non_null(h);
  assert_int_equal(
      host_add_client(h, "Romeo", "user@localhost", NULL, err, sizeof err), 0);
  assert_int_equal(host_add_client(h, "Juliet's phone", "user2@localhost", NULL,
                                   err, sizeof err),
                   1);
  assert_int_equal(host_add_client(h, "Juliet", "juliet@localhost/lVwkim_k",
                                   NULL, err, sizeof err),
                   2);
  assert_int_equal(host_add_client(h, "Nurse", "nurse@localhost", "balcony",
                                   err, sizeof err),
                   3);
  assert_int_equal(
      host_add_client(h, "ROMEO", "user@localhost", NULL, err, sizeof err), 4);
  assert_string_equal(host_full_jid(h, 0), "user@localhost/scansion-romeo");
  assert_string_equal(host_bare_jid(h, 0), "user@localhost");
  assert_string_equal(host_full_jid(h, 1),
                      "user2@localhost/scansion-juliet-s-phone");
  assert_string_equal(host_full_jid(h, 2), "juliet@localhost/lVwkim_k");
  assert_string_equal(host_bare_jid(h, 2), "juliet@localhost");
  assert_string_equal(host_full_jid(h, 3), "nurse@localhost/balcony");
  /* Unique per client. */
  assert_string_equal(host_full_jid(h, 4), "user@localhost/scansion-romeo-2");
  /* A full JID used twice, a resource that contradicts the JID. */
  assert_int_equal(host_add_client(h, "Tybalt", "juliet@localhost/lVwkim_k",
                                   NULL, err, sizeof err),
                   -1);
  assert_non_null(strstr(err, "already used"));
  assert_int_equal(
      host_add_client(h, "Paris", "paris@localhost/a", "b", err, sizeof err),
      -1);
  assert_int_equal(host_now(h), HOST_START_MS);
  host_advance(h, 1000);
  assert_int_equal(host_now(h), HOST_START_MS + 1000);
  assert_int_equal(host_connect(h, 0), 0);
  assert_int_equal(host_connect(h, 0), -1);
  assert_int_equal(host_disconnect(h, 0), 0);
  assert_int_equal(host_disconnect(h, 0), -1);
  host_free(h);
}

static void test_host_client_to_client(void **state)
{
  (void)state;
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n"
            "\t<message to=\"${Juliet's full JID}\" type='chat' id='m1'>\n"
            "\t\t<body>Hi</body>\n\t</message>\n"
            "Juliet receives:\n"
            "\t<message from=\"${Romeo's full JID}\" "
            "to=\"${Juliet's full JID}\" type='chat' id='m1' "
            "scansion:strict='true'>\n\t\t<body>Hi</body>\n\t</message>\n"
            "Romeo receives: nothing\nJuliet receives: nothing\n",
            1);
  /* The from stamp uses the bound resource. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<message to='juliet@localhost/scansion-juliet'/>"
            "\nJuliet receives:\n"
            "\t<message from='romeo@localhost/scansion-romeo'/>\n",
            1);
}

static void test_host_presence(void **state)
{
  (void)state;
  /* Presence without 'to' goes to every session of the account, sender
   * included, with the vcard-temp:x:update the reference server adds. */
  must_pass("# p\n[Client] A\n\tjid: a@localhost\n[Client] A2\n"
            "\tjid: a@localhost\n[Client] B\n\tjid: b@localhost\n-----\n"
            "A connects\nA2 connects\nB connects\n"
            "A sends:\n\t<presence><show>away</show></presence>\n"
            "A receives:\n\t<presence from=\"${A's full JID}\" "
            "scansion:strict='true'>\n\t\t<show>away</show>\n"
            "\t\t<x xmlns='vcard-temp:x:update'><photo/></x>\n"
            "\t</presence>\n"
            "A2 receives:\n\t<presence from=\"${A's full JID}\"/>\n"
            "B receives: nothing\n",
            1);
  /* No second vcard x when the client sent one. */
  must_pass("# p\n[Client] A\n\tjid: a@localhost\n-----\nA connects\n"
            "A sends:\n\t<presence><x xmlns='vcard-temp:x:update'>"
            "<photo>abc</photo></x></presence>\n"
            "A receives:\n\t<presence from=\"${A's full JID}\" "
            "scansion:strict='true'><x "
            "xmlns='vcard-temp:x:update'><photo>abc</photo></x>"
            "</presence>\n",
            1);
}

static void test_host_bare_jid(void **state)
{
  (void)state;
  /* message to a bare JID: every connected session. */
  must_pass("# b\n[Client] A\n\tjid: a@localhost\n[Client] A2\n"
            "\tjid: a@localhost\n[Client] B\n\tjid: b@localhost\n-----\n"
            "A connects\nA2 connects\nB connects\n"
            "B sends:\n\t<message to=\"${A's JID}\" id='1'/>\n"
            "A receives:\n\t<message to='a@localhost' id='1' "
            "from=\"${B's full JID}\"/>\n"
            "A2 receives:\n\t<message id='1'/>\n"
            "B receives: nothing\n",
            1);
  /* iq to a bare user JID or to the server: service-unavailable. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<iq to=\"${Juliet's JID}\" type='get' id='v1'>"
            "<query xmlns='jabber:iq:version'/></iq>\n"
            "\t<iq to='localhost' type='get' id='v2'/>\n"
            "Romeo receives:\n"
            "\t<iq type='error' id='v1' from='juliet@localhost' "
            "to=\"${Romeo's full JID}\">\n"
            "\t\t<error type='cancel'><service-unavailable "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>\n"
            "\t</iq>\n"
            "\t<iq type='error' id='v2' from='localhost'><error "
            "type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:"
            "ns:xmpp-stanzas'/></error></iq>\n"
            "Juliet receives: nothing\nRomeo receives: nothing\n",
            1);
}

static void test_host_undeliverable(void **state)
{
  (void)state;
  /* message / iq to a disconnected session bounce; presence is dropped;
   * errors and results are never bounced. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Juliet disconnects\n"
            "Romeo sends:\n"
            "\t<message to=\"${Juliet's full JID}\" id='m1'><body>x</body>"
            "</message>\n"
            "\t<presence to=\"${Juliet's full JID}\"/>\n"
            "\t<iq to=\"${Juliet's full JID}\" type='set' id='i1'/>\n"
            "\t<iq to=\"${Juliet's full JID}\" type='result' id='i2'/>\n"
            "\t<message to=\"${Juliet's full JID}\" type='error' id='m2'/>\n"
            "\t<message to='nobody@elsewhere.example' id='m3'/>\n"
            "Romeo receives:\n"
            "\t<message type='error' id='m1' from=\"${Juliet's full JID}\" "
            "to=\"${Romeo's full JID}\"><body>x</body><error type='cancel'>"
            "<service-unavailable xmlns='urn:ietf:params:xml:ns:"
            "xmpp-stanzas'/></error></message>\n"
            "\t<iq type='error' id='i1'><error type='cancel'/></iq>\n"
            "\t<message type='error' id='m3' from='nobody@elsewhere.example'"
            "/>\n"
            "Romeo receives: nothing\n",
            1);
}

static void test_host_prep_to(void **state)
{
  (void)state;
  /* 'to' is prepared before routing: case of the bare part, characters
   * mapped to nothing (U+FE0F here). */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n"
            "\t<message to='JULIET@LocalHost/scansion-juliet\xef\xb8\x8f'/>\n"
            "Juliet receives:\n"
            "\t<message to='juliet@localhost/scansion-juliet'/>\n",
            1);
}

static void test_replay_reference_vs_strict(void **state)
{
  (void)state;
  static const char script[] =
      TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                  "Romeo sends:\n"
                  "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
                  "\t<message to=\"${Juliet's full JID}\" id='2'/>\n"
                  "Juliet receives:\n\t<message id='2'/>\n"
                  "Juliet receives: nothing\n";
  /* Reference mode skips message 1. */
  replay_result res;
  events ev;
  assert_int_equal(run_text(script, 0, &res, &ev), 0);
  assert_int_equal(res.expectations, 2);
  int skips = 0;
  for (size_t i = 0; i < ev.n; i++)
    skips += ev.kinds[i] == REPLAY_EV_SKIP;
  assert_int_equal(skips, 1);
  replay_result_free(&res);
  /* Strict mode does not. */
  must_fail(script, 1, 12,
            "first difference: message@id: expected '2', "
            "got '1'");
  /* The report says the expected stanza came later. */
  must_fail(script, 1, 12, "it is stanza 1 after this one");
  /* Reference mode: nothing matches, the closest skipped one is shown. */
  must_fail(TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                        "Romeo sends:\n"
                        "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
                        "\t<presence to=\"${Juliet's full JID}\" id='2'/>\n"
                        "Juliet receives:\n\t<presence id='3'/>\n",
            0, 12,
            "t.scs:12: Juliet receives: expectation not met [reference "
            "mode]\nexpected:\n    <presence id='3'/>\nclosest received "
            "stanza (2 of 2 skipped):\n    <presence");
  must_fail(TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                        "Juliet receives:\n\t<presence/>\n",
            0, 9, "received: nothing was received");
}

static void test_replay_multi_element_blocks(void **state)
{
  (void)state;
  static const char script[] = TWO_CLIENTS
      "Romeo connects\nJuliet connects\n"
      "Romeo sends:\n"
      "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
      "\t<message to=\"${Juliet's full JID}\" id='2'/>\n"
      "Juliet receives:\n\t<message id='1'/>\n\t<message id='2'/>\n";
  must_pass(script, 1);
  must_fail(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n"
            "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
            "\t<message to=\"${Juliet's full JID}\" id='2'/>\n"
            "Juliet receives:\n\t<message id='1'/>\n\t<message id='3'/>\n",
            1, 12, "Juliet receives: (element 2 of 2) expectation not met");
}

static void test_replay_nothing_and_leftovers(void **state)
{
  (void)state;
  must_fail(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<message to=\"${Juliet's full JID}\"/>\n"
            "Romeo receives: nothing\nJuliet receives: nothing\n",
            0, 12,
            "t.scs:12: Juliet receives: nothing failed [reference mode]: "
            "1 stanza(s) queued:\n    <message");
  /* Unread stanzas at the end of a strict script are not an error, but
   * they are counted and reported. */
  replay_result res;
  events ev;
  assert_int_equal(run_text(TWO_CLIENTS
                            "Romeo connects\nJuliet connects\n"
                            "Romeo sends:\n\t<message to=\"${Juliet's full "
                            "JID}\"/>\n\t<message to=\"${Juliet's full "
                            "JID}\"/>\n",
                            1, &res, &ev),
                   0);
  assert_int_equal(res.leftover, 2);
  assert_int_equal(res.actions_run, 3);
  assert_int_equal(ev.kinds[ev.n - 1], REPLAY_EV_LEFTOVER);
  assert_int_equal(ev.lines[ev.n - 1], 0);
  replay_result_free(&res);
}

static void test_replay_connection_errors(void **state)
{
  (void)state;
  /* Sending while disconnected: strict fails, reference drops it (as the
   * reference runner tolerates; prosody/muc_outcast_reason.scs does it). */
  static const char script[] =
      TWO_CLIENTS "Romeo connects\nRomeo disconnects\n"
                  "Romeo sends:\n\t<presence type='unavailable'/>\n";
  must_fail(script, 1, 9, "Romeo sends: but Romeo is not connected");
  must_pass(script, 0);
  must_fail(TWO_CLIENTS "Romeo connects\nRomeo connects\n", 0, 8,
            "but Romeo is already connected");
  must_fail(TWO_CLIENTS "Romeo disconnects\n", 0, 7,
            "but Romeo is not connected");
  /* A client that reconnects starts with an empty queue. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<message to=\"${Juliet's full JID}\"/>\n"
            "Juliet disconnects\nJuliet connects\n"
            "Juliet receives: nothing\n",
            1);
}

static void test_replay_events(void **state)
{
  (void)state;
  replay_result res;
  events ev;
  assert_int_equal(run_text(TWO_CLIENTS
                            "Romeo connects\nJuliet connects\n"
                            "Romeo sends:\n\t<message to=\"${Juliet's full "
                            "JID}\"/>\nJuliet receives:\n\t<message/>\n"
                            "Juliet receives: nothing\nJuliet disconnects\n",
                            1, &res, &ev),
                   0);
  static const replay_event_kind want[] = {
      REPLAY_EV_STEP,       REPLAY_EV_CONNECT, REPLAY_EV_STEP,
      REPLAY_EV_CONNECT,    REPLAY_EV_STEP,    REPLAY_EV_SEND,
      REPLAY_EV_DELIVER,    REPLAY_EV_STEP,    REPLAY_EV_MATCH,
      REPLAY_EV_STEP,       REPLAY_EV_NOTHING, REPLAY_EV_STEP,
      REPLAY_EV_DISCONNECT,
  };
  static const int lines[] = {7, 7, 8, 8, 9, 9, 9, 11, 11, 13, 13, 14, 14};
  assert_int_equal(ev.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < ev.n; i++) {
    assert_int_equal(ev.kinds[i], want[i]);
    assert_int_equal(ev.lines[i], lines[i]);
  }
  assert_int_equal(res.expectations, 2);
  replay_result_free(&res);
}

/* The engine itself: creating a room (fails until the engine works). */
static void test_replay_muc_smoke(void **state)
{
  (void)state;
  must_pass("# smoke\n[Client] Romeo\n\tjid: romeo@localhost\n-----\n"
            "Romeo connects\n"
            "Romeo sends:\n\t<presence to='r@conference.localhost/Romeo'>"
            "<x xmlns='http://jabber.org/protocol/muc'/></presence>\n"
            "Romeo receives:\n\t<presence from='r@conference.localhost/"
            "Romeo'>\n\t\t<x xmlns='" MUC_USER "'>\n"
            "\t\t\t<status code='201'/>\n"
            "\t\t\t<item affiliation='owner' role='moderator' "
            "jid=\"${Romeo's full JID}\"/>\n"
            "\t\t\t<status code='110'/>\n\t\t</x>\n\t</presence>\n"
            "Romeo receives:\n\t<message type='groupchat' "
            "from='r@conference.localhost'><subject/></message>\n"
            "Romeo receives: nothing\n",
            1);
}

/* ------------------------------------------------------------------ */
/* Mutation tests                                                      */
/* ------------------------------------------------------------------ */

static char *read_env_file(const char *var, int skip_if_absent)
{
  const char *path = getenv(var);
  char *text = path ? scs_read_file(path, NULL) : NULL;
  if (!text && skip_if_absent) {
    print_message("%s (%s) absent: skipped\n", var, path ? path : "unset");
    skip();
  }
  if (!text)
    print_error("%s (%s) cannot be read\n", var, path ? path : "unset");
  assert_non_null(text);
  return text;
}

static int replay_script(const scs_script *s, int strict, replay_result *res)
{
  replay_options o;
  memset(&o, 0, sizeof o);
  o.strict = strict;
  return replay_run(s, &o, res);
}

/* The unmodified script must pass; it proves the mutants fail for the
 * mutation, not because the engine is broken. */
static void original_passes(const scs_script *s, int strict)
{
  replay_result res;
  int r = replay_script(s, strict, &res);
  if (r != 0)
    print_error("the unmodified %s fails:\n%s\n", s->name,
                res.report ? res.report : "?");
  assert_int_equal(r, 0);
  replay_result_free(&res);
}

/* (a) The founding script with one expected attribute changed must fail. */
static void test_mutation_seed_one_attribute(void **state)
{
  (void)state;
  char *text = read_env_file("SCS_SEED_SCRIPT", 1);
  scs_script *s = parse_ok(text);
  original_passes(s, 0);
  scs_free(s);
  /* Romeo's first self-presence (line 24): owner/moderator. */
  const char *needle = "affiliation='owner' role='moderator'/>";
  const char *at = strstr(text, needle);
  assert_non_null(at);
  const char *role = strstr(at, "moderator");
  scs_buf b = {0};
  scs_buf_addn(&b, text, (size_t)(role - text));
  scs_buf_add(&b, "visitor");
  scs_buf_add(&b, role + strlen("moderator"));
  free(text);
  text = scs_buf_take(&b);
  assert_non_null(strstr(text, "affiliation='owner' role='visitor'/>"));
  s = parse_ok(text);
  replay_result res;
  int r = replay_script(s, 0, &res);
  if (r != 1)
    print_error("the mutant passed\n");
  assert_int_equal(r, 1);
  assert_int_equal(res.fail_line, 24);
  assert_non_null(strstr(res.report, "first difference: presence/x/item@"
                                     "role: expected 'visitor', got "
                                     "'moderator'"));
  replay_result_free(&res);
  scs_free(s);
  free(text);
}

/* Attribute values and texts inside the tags of |xml|. */
typedef struct span {
  size_t start, end; /* value bytes [start, end) */
} span;

static size_t find_mutable_spans(const char *xml, span *out, size_t max)
{
  size_t n = 0;
  for (size_t i = 0; xml[i] && n < max; i++) {
    if (xml[i] == '>') {
      /* Text up to the next '<', if not blank. */
      size_t j = i + 1;
      while (xml[j] && xml[j] != '<')
        j++;
      int blank = 1;
      for (size_t k = i + 1; k < j; k++)
        if (xml[k] != ' ' && xml[k] != '\t' && xml[k] != '\n')
          blank = 0;
      if (!blank)
        out[n++] = (span){i + 1, j};
      continue;
    }
    if (xml[i] != '=' || (xml[i + 1] != '\'' && xml[i + 1] != '"'))
      continue;
    size_t k = i;
    while (k > 0 && xml[k - 1] != ' ' && xml[k - 1] != '\t' &&
           xml[k - 1] != '\n')
      k--;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(i - k), xml + k);
    char q = xml[i + 1];
    size_t vs = i + 2, ve = vs;
    while (xml[ve] && xml[ve] != q)
      ve++;
    if (strncmp(name, "scansion:", 9) == 0 ||
        strcmp(name, "xmlns:scansion") == 0 ||
        (ve - vs == strlen(MATCH_ANY) &&
         strncmp(xml + vs, MATCH_ANY, ve - vs) == 0)) {
      i = ve;
      continue;
    }
    out[n++] = (span){vs, ve};
    i = ve;
  }
  return n;
}

/* Change every expected attribute value and every expected text of |s|,
 * one at a time ("mutated-" prefixed), and check that each mutant fails
 * at that very step.  Returns the number of mutants. */
static size_t mutate_every_value(scs_script *s, int strict)
{
  size_t mutants = 0;
  for (size_t k = 0; k < s->nactions; k++) {
    scs_action *a = &s->actions[k];
    if (a->kind != SCS_RECEIVE)
      continue;
    char *orig = a->xml;
    span spans[256];
    size_t n = find_mutable_spans(orig, spans, 256);
    for (size_t i = 0; i < n; i++) {
      scs_buf b = {0};
      scs_buf_addn(&b, orig, spans[i].start);
      scs_buf_add(&b, "mutated-");
      scs_buf_add(&b, orig + spans[i].start);
      a->xml = scs_buf_take(&b);
      replay_result res;
      int r = replay_script(s, strict, &res);
      if (r != 1 || res.fail_line != a->line)
        print_error("%s: mutant of line %d survived or failed elsewhere "
                    "(r=%d, line %d):\n%s\n",
                    s->name, a->line, r, res.fail_line, a->xml);
      assert_int_equal(r, 1);
      assert_int_equal(res.fail_line, a->line);
      replay_result_free(&res);
      free(a->xml);
      a->xml = orig;
      mutants++;
    }
  }
  return mutants;
}

/* (a, exhaustive) Every expected attribute value and every expected text
 * of the founding script, changed one at a time, makes the replay fail at
 * that very step. */
static void test_mutation_seed_every_value(void **state)
{
  (void)state;
  char *text = read_env_file("SCS_SEED_SCRIPT", 1);
  scs_script *s = parse_ok(text);
  original_passes(s, 0);
  size_t mutants = mutate_every_value(s, 0);
  print_message("%zu mutants of the founding script, all failed\n", mutants);
  assert_true(mutants > 100);
  scs_free(s);
  free(text);
}

/* The same for every shared script that passes unmodified (a script that
 * does not is the business of its own conformance test: listed, not
 * failed here). */
struct mutation_totals {
  size_t scripts, mutants;
};

static void mutate_one(const char *path, const char *folder, const char *file,
                       void *ud)
{
  struct mutation_totals *t = ud;
  char err[512];
  scs_script *s = NULL;
  assert_int_equal(scs_parse_file(path, &s, err, sizeof err), 0);
  replay_result res;
  int r = replay_script(s, 0, &res);
  replay_result_free(&res);
  if (r != 0) {
    print_message("%s/%s does not pass unmodified: not mutated\n", folder,
                  file);
  } else {
    t->mutants += mutate_every_value(s, 0);
    t->scripts++;
  }
  scs_free(s);
}

static void test_mutation_shared_every_value(void **state)
{
  (void)state;
  struct mutation_totals t = {0};
  each_shared_script(mutate_one, &t);
  print_message("%zu mutants of %zu shared scripts, all failed\n", t.mutants,
                t.scripts);
  assert_true(t.scripts > 0);
}

static scs_script *first_room(void)
{
  char *text = read_env_file("SCS_FIRST_ROOM", 0);
  scs_script *s = parse_ok(text);
  free(text);
  return s;
}

/* Every expected value of the team's scenario, changed, fails in strict
 * mode too. */
static void test_mutation_first_room_every_value(void **state)
{
  (void)state;
  scs_script *s = first_room();
  original_passes(s, 1);
  size_t mutants = mutate_every_value(s, 1);
  print_message("%zu mutants of first_room.scs, all failed\n", mutants);
  assert_true(mutants > 50);
  scs_free(s);
}

/* (b) The team's scenario with one expected stanza removed fails in
 * strict mode, whichever it is. */
static void test_mutation_first_room_removed(void **state)
{
  (void)state;
  scs_script *s = first_room();
  original_passes(s, 1);
  size_t nact = s->nactions, mutants = 0;
  scs_free(s);
  for (size_t k = 0; k < nact; k++) {
    s = first_room();
    if (s->actions[k].kind != SCS_RECEIVE) {
      scs_free(s);
      continue;
    }
    int line = s->actions[k].line;
    free(s->actions[k].xml);
    memmove(&s->actions[k], &s->actions[k + 1],
            (nact - k - 1) * sizeof s->actions[0]);
    s->nactions--;
    replay_result res;
    int r = replay_script(s, 1, &res);
    if (r != 1)
      print_error("removing the expectation of line %d went unnoticed\n", line);
    assert_int_equal(r, 1);
    replay_result_free(&res);
    scs_free(s);
    mutants++;
  }
  print_message("%zu expectations removed one at a time, all caught\n",
                mutants);
  assert_true(mutants >= 10);
}

/* (c) An extra expected stanza, or an extra received one, fails in strict
 * mode. */
static void test_mutation_first_room_extra(void **state)
{
  (void)state;
  scs_script *s = first_room();
  size_t nact = s->nactions, mutants = 0;
  scs_free(s);
  /* Each expectation duplicated. */
  for (size_t k = 0; k < nact; k++) {
    s = first_room();
    if (s->actions[k].kind != SCS_RECEIVE) {
      scs_free(s);
      continue;
    }
    scs_action *na = realloc(s->actions, (nact + 1) * sizeof *na);
    assert_non_null(na);
    s->actions = na;
    memmove(&na[k + 1], &na[k], (nact - k) * sizeof *na);
    na[k + 1].xml = scs_strdup(na[k].xml);
    s->nactions++;
    replay_result res;
    int r = replay_script(s, 1, &res);
    if (r != 1)
      print_error("a duplicated expectation (line %d) went unnoticed\n",
                  na[k].line);
    assert_int_equal(r, 1);
    replay_result_free(&res);
    scs_free(s);
    mutants++;
  }
  assert_true(mutants >= 10);
  /* An extra stanza received: Romeo messages himself right after he
   * connects, and no step expects it. */
  char *text = read_env_file("SCS_FIRST_ROOM", 0);
  const char *at = strstr(text, "\nRomeo connects\n");
  assert_non_null(at);
  size_t cut = (size_t)(at - text) + strlen("\nRomeo connects\n");
  scs_buf b = {0};
  scs_buf_addn(&b, text, cut);
  scs_buf_add(&b, "Romeo sends:\n\t<message to=\"${Romeo's full JID}\" "
                  "type='chat'><body>extra</body></message>\n\n");
  scs_buf_add(&b, text + cut);
  free(text);
  text = scs_buf_take(&b);
  s = parse_ok(text);
  replay_result res;
  assert_int_equal(replay_script(s, 1, &res), 1);
  assert_non_null(strstr(res.report, "[strict mode]"));
  assert_non_null(strstr(res.report, "<body>extra</body>"));
  replay_result_free(&res);
  /* Reference mode skips it: that is what strict mode is for. */
  assert_int_equal(replay_script(s, 0, &res), 0);
  replay_result_free(&res);
  scs_free(s);
  free(text);
}
#endif /* REPLAY_TEST_CORE_ONLY */

int main(void)
{
  const struct CMUnitTest parser[] = {
      cmocka_unit_test(test_parse_basic),
      cmocka_unit_test(test_parse_crlf_and_no_title),
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
#ifndef REPLAY_TEST_CORE_ONLY
  const struct CMUnitTest host_tests[] = {
      cmocka_unit_test(test_host_resources),
      cmocka_unit_test(test_host_client_to_client),
      cmocka_unit_test(test_host_presence),
      cmocka_unit_test(test_host_bare_jid),
      cmocka_unit_test(test_host_undeliverable),
      cmocka_unit_test(test_host_prep_to),
  };
  const struct CMUnitTest replay_tests[] = {
      cmocka_unit_test(test_replay_reference_vs_strict),
      cmocka_unit_test(test_replay_multi_element_blocks),
      cmocka_unit_test(test_replay_nothing_and_leftovers),
      cmocka_unit_test(test_replay_connection_errors),
      cmocka_unit_test(test_replay_events),
      cmocka_unit_test(test_replay_muc_smoke),
  };
  const struct CMUnitTest mutation[] = {
      cmocka_unit_test(test_mutation_seed_one_attribute),
      cmocka_unit_test(test_mutation_seed_every_value),
      cmocka_unit_test(test_mutation_shared_every_value),
      cmocka_unit_test(test_mutation_first_room_every_value),
      cmocka_unit_test(test_mutation_first_room_removed),
      cmocka_unit_test(test_mutation_first_room_extra),
  };
  failed += cmocka_run_group_tests_name("host", host_tests, NULL, NULL);
  failed += cmocka_run_group_tests_name("replay", replay_tests, NULL, NULL);
  failed += cmocka_run_group_tests_name("mutation", mutation, NULL, NULL);
#endif
  return failed ? 1 : 0;
}
