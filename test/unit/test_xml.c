/* Unit tests: xml.c (namespaces, lookup, text, builders, copy, the
 * serializer, the UTF-8 validator, the parser front end and its limits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "mem.h"
#include "xml.h"

/* ---- fixtures ----------------------------------------------------------- */

#include "counter.h"

typedef struct fx {
  counter c;
  muc_allocator a;
  muc_mem m;
  muc_buf b;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  if (!f)
    return -1;
  f->c.fail_at = -1;
  f->a.malloc = c_malloc;
  f->a.realloc = c_realloc;
  f->a.free = c_free;
  f->a.user_data = &f->c;
  muc_mem_init(&f->m, &f->a);
  muc_buf_init(&f->b, &f->m);
  *state = f;
  return 0;
}

/* Every test must give back everything it took from the allocator. */
static int teardown(void **state)
{
  fx *f = *state;
  muc_buf_free(&f->b);
  int ok = f->m.in_use == 0 && f->c.live == 0;
  if (!ok)
    fprintf(stderr, "leak: in_use=%zu live=%zu\n", f->m.in_use, f->c.live);
  free(f);
  return ok ? 0 : -1;
}

static mxml_node_t *parse_ok(fx *f, const char *s)
{
  mxml_node_t *n = NULL;
  int rc = muc_xml_parse(&f->m, s, strlen(s), NULL, &n);
  if (rc != MUC_OK)
    fprintf(stderr, "parse failed (%d): %s\n", rc, s);
  assert_int_equal(rc, MUC_OK);
  assert_non_null(n);
  return n;
}

static int parse_rc(fx *f, const char *s, size_t len, const muc_xml_limits *lim)
{
  mxml_node_t *n = (mxml_node_t *)(uintptr_t)1;
  int rc = muc_xml_parse(&f->m, s, len, lim, &n);
  if (rc == MUC_OK)
    mxmlDelete(n);
  else
    assert_null(n);
  return rc;
}

static int bad(fx *f, const char *s)
{
  return parse_rc(f, s, strlen(s), NULL) == MUC_ERR_BAD_STANZA;
}

static const char *write_str(fx *f, const mxml_node_t *n)
{
  muc_buf_reset(&f->b);
  assert_int_equal(muc_xml_write(&f->b, n), MUC_OK);
  return f->b.data;
}

/* Parse |in| and expect it to serialize as |out|. */
static void round_trip(fx *f, const char *in, const char *out)
{
  mxml_node_t *n = parse_ok(f, in);
  assert_string_equal(write_str(f, n), out);
  mxmlDelete(n);
  /* The output itself is stable. */
  n = parse_ok(f, out);
  assert_string_equal(write_str(f, n), out);
  mxmlDelete(n);
}

/* ---- serializer and round trips ------------------------------------- */

static void test_round_trip(void **state)
{
  fx *f = *state;
  const char *p =
      "<presence from=\"a@b/c\" to=\"room@muc.example/nick\" "
      "id=\"x1\"><x xmlns=\"http://jabber.org/protocol/muc\"><password>"
      "s&amp;cret</password></x><status code=\"110\"/></presence>";
  round_trip(f, p, p);
  round_trip(f, "<a/>", "<a/>");
  round_trip(f, "<a></a>", "<a/>");
  round_trip(f, "<a b='1' c=\"2\"></a>", "<a b=\"1\" c=\"2\"/>");
  round_trip(f, "<a b = 'x\"y' >t</a >", "<a b=\"x&quot;y\">t</a>");
  round_trip(f,
             "<body>a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &apos;</body>",
             "<body>a &lt; b &amp;&amp; c &gt; d &quot;q&quot; '</body>");
  /* Whitespace is kept verbatim in text, including between elements. */
  round_trip(f, "<m>\n  <body>  two  spaces  </body>\n</m>",
             "<m>\n  <body>  two  spaces  </body>\n</m>");
  /* Character references are decoded; UTF-8 is written raw. */
  round_trip(f, "<a>&#x41;&#66;&#x1F600;&#233;</a>",
             "<a>AB\xF0\x9F\x98\x80\xC3\xA9</a>");
  /* Surrounding whitespace (keepalives, pretty printing) is ignored. */
  round_trip(f, " \r\n\t<a/>\n\n ", "<a/>");
}

static void test_attr_whitespace(void **state)
{
  fx *f = *state;
  /* Character references survive and are written escaped; literal
   * TAB/LF/CR are normalized to spaces as a conforming parser does. */
  round_trip(f, "<a b='x&#9;y&#10;z&#13;'/>", "<a b=\"x&#9;y&#10;z&#13;\"/>");
  round_trip(f, "<a b='x\ty\nz\r\nw'/>", "<a b=\"x y z w\"/>");
  mxml_node_t *a = muc_xml_new(NULL, "a", NULL);
  assert_int_equal(muc_xml_set_attr(a, "v", "1\t2\n3\r<>&\""), MUC_OK);
  assert_string_equal(write_str(f, a),
                      "<a v=\"1&#9;2&#10;3&#13;&lt;&gt;&amp;&quot;\"/>");
  mxmlDelete(a);
  /* In text, end-of-line is normalized: CRLF and CR become LF. */
  round_trip(f, "<a>1\r\n2\r3\n4\t5</a>", "<a>1\n2\n3\n4\t5</a>");
  /* U+FEFF, which mxml would silently drop, survives everywhere; in a
   * name it is refused (mxml would turn <bo\uFEFFdy> into <body>). */
  mxml_node_t *n = parse_ok(f, "<a b='x\xEF\xBB\xBFy'>1\xEF\xBB\xBF"
                               "<![CDATA[2\xEF\xBB\xBF]]>3&#xFEFF;</a>");
  assert_string_equal(muc_xml_attr(n, "b"), "x\xEF\xBB\xBFy");
  char *t = muc_xml_text_dup(&f->m, n);
  assert_string_equal(t, "1\xEF\xBB\xBF"
                         "2\xEF\xBB\xBF"
                         "3\xEF\xBB\xBF");
  muc_mem_free(&f->m, t);
  mxmlDelete(n);
  assert_true(bad(f, "<bo\xEF\xBB\xBF"
                     "dy/>"));
  assert_true(bad(f, "<a b\xEF\xBB\xBF='1'/>"));
  /* Other 0xEF-led characters are copied as they are. */
  round_trip(f, "<a b='\xEF\xBC\x81'>\xEF\xBC\x81</a>",
             "<a b=\"\xEF\xBC\x81\">\xEF\xBC\x81</a>");
  /* A CR that was a character reference stays one. */
  round_trip(f, "<a>x&#xD;&#xA;&#x9;y</a>", "<a>x&#13;\n\ty</a>");
}

/* The direct children of |n| as the parser built them: "<name>" for an
 * element, "[text]" for an OPAQUE node, so that the node structure is
 * checked as well as the bytes. */
static const char *shape(const mxml_node_t *n)
{
  static char out[512];
  size_t o = 0;
  out[0] = '\0';
  for (mxml_node_t *c = mxmlGetFirstChild((mxml_node_t *)(uintptr_t)n); c;
       c = mxmlGetNextSibling(c)) {
    int opaque = mxmlGetType(c) == MXML_OPAQUE;
    assert_true(opaque || mxmlGetType(c) == MXML_ELEMENT);
    const char *v = opaque ? mxmlGetOpaque(c) : mxmlGetElement(c);
    assert_non_null(v);
    o +=
        (size_t)snprintf(out + o, sizeof(out) - o, opaque ? "[%s]" : "<%s>", v);
    assert_true(o < sizeof(out));
  }
  return out;
}

/* Parse |in|; the root's children must be |kids| (see shape()) and the
 * tree must write as |out|. */
static void decodes(fx *f, const char *in, const char *kids, const char *out)
{
  mxml_node_t *n = parse_ok(f, in);
  assert_string_equal(shape(n), kids);
  assert_string_equal(write_str(f, n), out);
  mxmlDelete(n);
}

static void test_parse_decodes_text(void **state)
{
  fx *f = *state;
  /* One OPAQUE node per run of character data, entities resolved. */
  decodes(f, "<a>x&amp;y&lt;&gt;&quot;&apos;z</a>", "[x&y<>\"'z]",
          "<a>x&amp;y&lt;&gt;&quot;'z</a>");
  /* Character references of every UTF-8 length, supplementary plane
   * included, decimal and hex. */
  decodes(f,
          "<a>&#x41;&#xE9;&#x7FF;&#x800;&#xFFFD;&#x10000;&#128512;"
          "&#x10FFFF;</a>",
          "[A\xC3\xA9\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBD\xF0\x90\x80\x80"
          "\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF]",
          "<a>A\xC3\xA9\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBD\xF0\x90\x80\x80"
          "\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF</a>");
  /* CDATA is text: merged with the text around it, however many
   * sections, empty ones included. */
  decodes(f, "<a>x<![CDATA[<y>&amp;]]>z<![CDATA[]]><![CDATA[w]]></a>",
          "[x<y>&amp;zw]", "<a>x&lt;y&gt;&amp;amp;zw</a>");
  decodes(f, "<a><b/><![CDATA[t]]><c/><![CDATA[]]></a>", "<b>[t]<c>",
          "<a><b/>t<c/></a>");
  decodes(f, "<a><![CDATA[]]></a>", "", "<a/>");
  /* End-of-line handling in text and in CDATA; a CR written as a
   * reference stays a CR. */
  decodes(f, "<a>1\r\n\r\n2\r<![CDATA[x\r\ny\rz]]>&#13;</a>",
          "[1\n\n2\nx\ny\nz\r]", "<a>1\n\n2\nx\ny\nz&#13;</a>");
  /* Whitespace between elements is kept, as its own nodes. */
  decodes(f, "<a> <b/>\n\t</a>", "[ ]<b>[\n\t]", "<a> <b/>\n\t</a>");
  /* A byte order mark in text is an ordinary character. */
  decodes(f, "<a>\xEF\xBB\xBFx<![CDATA[\xEF\xBB\xBF]]></a>",
          "[\xEF\xBB\xBFx\xEF\xBB\xBF]", "<a>\xEF\xBB\xBFx\xEF\xBB\xBF</a>");
  /* Markup-like bytes that are plain text. */
  decodes(f, "<a>]>'\"]]</a>", "[]>'\"]]]", "<a>]&gt;'&quot;]]</a>");
}

static void test_parse_decodes_attrs(void **state)
{
  fx *f = *state;
  mxml_node_t *n = parse_ok(f, "<a b='&lt;&amp;&quot;&apos;&gt;' "
                               "c=\"&#x41;&#66;&#x1F600;\" d='it\"s' "
                               "e=\"it's\" f='\t1\n2\r\n3\r4 ' "
                               "g='&#9;&#10;&#13;' h='' i='\xEF\xBB\xBF'/>");
  assert_string_equal(muc_xml_attr(n, "b"), "<&\"'>");
  assert_string_equal(muc_xml_attr(n, "c"), "AB\xF0\x9F\x98\x80");
  assert_string_equal(muc_xml_attr(n, "d"), "it\"s");
  assert_string_equal(muc_xml_attr(n, "e"), "it's");
  /* Literal TAB, LF, CR and CRLF become one space each; references
   * to them survive. */
  assert_string_equal(muc_xml_attr(n, "f"), " 1 2 3 4 ");
  assert_string_equal(muc_xml_attr(n, "g"), "\t\n\r");
  assert_string_equal(muc_xml_attr(n, "h"), "");
  assert_string_equal(muc_xml_attr(n, "i"), "\xEF\xBB\xBF");
  assert_int_equal(muc_xml_attr_count(n), 8);
  assert_string_equal(shape(n), "");
  assert_string_equal(write_str(f, n),
                      "<a b=\"&lt;&amp;&quot;'&gt;\" c=\"AB\xF0\x9F\x98\x80\" "
                      "d=\"it&quot;s\" e=\"it's\" f=\" 1 2 3 4 \" "
                      "g=\"&#9;&#10;&#13;\" h=\"\" i=\"\xEF\xBB\xBF\"/>");
  mxmlDelete(n);
}

static void test_write_host_tree(void **state)
{
  fx *f = *state;
  mxml_node_t *a = mxmlNewElement(NULL, "a");
  mxmlNewText(a, 0, "one");
  mxmlNewText(a, 1, "two");
  mxmlNewOpaque(a, " <three>");
  mxmlNewCDATA(a, "x]]>y");
  mxmlNewElement(a, "!-- comment --");
  mxml_node_t *e = mxmlNewElement(a, "e");
  mxmlNewElement(e, "!-- only a comment --");
  /* No wrap margin: long attribute lists stay on one line. */
  for (int i = 0; i < 10; i++) {
    char k[16];
    snprintf(k, sizeof(k), "attr%d", i);
    mxmlElementSetAttr(a, k, "some fairly long value");
  }
  const char *s = write_str(f, a);
  assert_null(strchr(s, '\n'));
  assert_non_null(strstr(s, ">one two &lt;three&gt;x]]&gt;y<e/></a>"));
  mxmlDelete(a);

  /* Writing a child writes that node only, and appends to the buffer. */
  mxml_node_t *r = parse_ok(f, "<r><x>1</x><y>2</y></r>");
  muc_buf_reset(&f->b);
  muc_buf_puts(&f->b, "pre:");
  assert_int_equal(muc_xml_write(&f->b, muc_xml_first_element(r)), MUC_OK);
  assert_string_equal(f->b.data, "pre:<x>1</x>");
  mxmlDelete(r);
  assert_int_equal(muc_xml_write(&f->b, NULL), MUC_ERR_INVALID_ARG);
}

static void test_write_oom(void **state)
{
  fx *f = *state;
  mxml_node_t *n = parse_ok(f, "<a b='c'><d>text</d></a>");
  for (long i = 0;; i++) {
    muc_buf_free(&f->b);
    f->c.attempts = 0;
    f->c.fail_at = i;
    int rc = muc_xml_write(&f->b, n);
    f->c.fail_at = -1;
    if (rc == MUC_OK) {
      assert_string_equal(f->b.data, "<a b=\"c\"><d>text</d></a>");
      break;
    }
    assert_int_equal(rc, MUC_ERR_NOMEM);
  }
  mxmlDelete(n);
}

/* ---- namespaces and lookup ------------------------------------------- */

static void test_namespaces(void **state)
{
  fx *f = *state;
  mxml_node_t *p =
      parse_ok(f, "<presence><x xmlns='http://jabber.org/protocol/muc#user'>"
                  "<item affiliation='none'/></x>"
                  "<m:x xmlns:m='http://jabber.org/protocol/muc'><m:history/>"
                  "<plain/></m:x>"
                  "<y xml:lang='en'/></presence>");
  assert_null(muc_xml_ns(p));
  assert_true(muc_xml_is(p, "presence", MUC_NS_CLIENT));
  assert_true(muc_xml_is(p, "presence", NULL));
  assert_false(muc_xml_is(p, "presence", MUC_NS_USER));
  assert_false(muc_xml_is(p, "message", NULL));

  mxml_node_t *x = muc_xml_child(p, "x", MUC_NS_USER);
  assert_non_null(x);
  assert_string_equal(muc_xml_ns(x), MUC_NS_USER);
  mxml_node_t *item = muc_xml_child(x, "item", MUC_NS_USER);
  assert_non_null(item); /* inherited */
  assert_string_equal(muc_xml_ns(item), MUC_NS_USER);
  assert_null(muc_xml_child(x, "item", MUC_NS_CLIENT));

  /* A prefixed element resolves through xmlns:m. */
  mxml_node_t *mx = muc_xml_child(p, "x", MUC_NS_MUC);
  assert_non_null(mx);
  assert_string_equal(muc_xml_name(mx), "x");
  assert_string_equal(muc_xml_ns(mx), MUC_NS_MUC);
  mxml_node_t *h = muc_xml_child(mx, "history", MUC_NS_MUC);
  assert_non_null(h);
  assert_string_equal(muc_xml_name(h), "history");
  /* An unprefixed child of m:x is not in m's namespace. */
  mxml_node_t *plain = muc_xml_child(mx, "plain", NULL);
  assert_non_null(plain);
  assert_null(muc_xml_ns(plain));
  assert_true(muc_xml_is(plain, "plain", MUC_NS_CLIENT));
  assert_null(muc_xml_child(mx, "plain", MUC_NS_MUC));

  mxml_node_t *y = muc_xml_child(p, "y", MUC_NS_CLIENT);
  assert_non_null(y);
  assert_string_equal(muc_xml_attr(y, "xml:lang"), "en");
  assert_null(muc_xml_attr(y, "lang"));
  assert_null(muc_xml_attr(NULL, "a"));
  mxmlDelete(p);

  /* The stream content namespaces are interchangeable for stanzas. */
  p = parse_ok(f, "<message xmlns='jabber:component:accept'><body/></message>");
  assert_true(muc_xml_is(p, "message", MUC_NS_CLIENT));
  assert_non_null(muc_xml_child(p, "body", MUC_NS_CLIENT));
  mxmlDelete(p);

  /* xmlns='' undeclares the default namespace. */
  p = parse_ok(f, "<a xmlns='urn:x'><b xmlns=''/></a>");
  mxml_node_t *b = muc_xml_first_element(p);
  assert_string_equal(muc_xml_ns(b), "");
  assert_false(muc_xml_is(b, "b", MUC_NS_CLIENT));
  assert_false(muc_xml_is(b, "b", "urn:x"));
  mxmlDelete(p);

  /* Host-built trees: an unbound prefix matches no namespace. */
  mxml_node_t *u = mxmlNewElement(NULL, "q:u");
  assert_null(muc_xml_ns(u));
  assert_false(muc_xml_is(u, "u", MUC_NS_CLIENT));
  assert_true(muc_xml_is(u, "u", NULL));
  mxml_node_t *xl = mxmlNewElement(NULL, "xml:z");
  assert_string_equal(muc_xml_ns(xl), "http://www.w3.org/XML/1998/namespace");
  mxmlDelete(xl);
  mxmlDelete(u);
  assert_null(muc_xml_ns(NULL));
  assert_null(muc_xml_name(NULL));
  assert_false(muc_xml_is(NULL, NULL, NULL));
}

static void test_child_does_not_descend(void **state)
{
  fx *f = *state;
  /* A forwarded message quotes a MUC invite: the room must not see it
   * as an invite of the outer message. */
  mxml_node_t *m =
      parse_ok(f, "<message><forwarded xmlns='urn:xmpp:forward:0'>"
                  "<message><x xmlns='http://jabber.org/protocol/muc#user'>"
                  "<invite to='victim@example'/></x></message></forwarded>"
                  "<body>hi</body></message>");
  assert_null(muc_xml_child(m, "x", MUC_NS_USER));
  assert_null(muc_xml_child(m, "x", NULL));
  assert_null(muc_xml_child(m, "message", NULL));
  assert_non_null(muc_xml_child(m, "forwarded", "urn:xmpp:forward:0"));
  assert_non_null(muc_xml_child(m, "body", NULL));
  assert_non_null(muc_xml_child(m, NULL, "urn:xmpp:forward:0"));

  /* Element iteration skips text, and the first/next pair visits direct
   * children only. */
  mxml_node_t *r = parse_ok(f, "<r> a <b/> c <d><e/></d> f </r>");
  mxml_node_t *c1 = muc_xml_first_element(r);
  assert_string_equal(muc_xml_name(c1), "b");
  mxml_node_t *c2 = muc_xml_next_element(c1);
  assert_string_equal(muc_xml_name(c2), "d");
  assert_null(muc_xml_next_element(c2));
  assert_null(muc_xml_first_element(muc_xml_first_element(c2)));
  mxmlDelete(r);
  mxmlDelete(m);
}

static void test_accessors(void **state)
{
  fx *f = *state;
  mxml_node_t *n = parse_ok(f, "<a x='1' y='2'>t</a>");
  assert_true(muc_xml_is_element(n));
  assert_false(muc_xml_is_element(mxmlGetFirstChild(n)));
  assert_false(muc_xml_is_element(NULL));
  assert_int_equal(muc_xml_attr_count(n), 2);
  assert_int_equal(muc_xml_attr_count(NULL), 0);
  const char *k = "unchanged";
  assert_string_equal(muc_xml_attr_at(n, 1, &k), "2");
  assert_string_equal(k, "y");
  assert_null(muc_xml_attr_at(n, 2, &k));
  assert_null(k);
  mxmlDelete(n);
}

/* ---- text ---------------------------------------------------------------- */

static void test_text(void **state)
{
  fx *f = *state;
  mxml_node_t *m =
      parse_ok(f, "<message><body>a<![CDATA[<b>&amp;]]>c<i/>d</body>"
                  "<subject></subject><e>&lt;&#x20AC;</e></message>");
  char *t = muc_xml_child_text_dup(&f->m, m, "body", NULL);
  assert_string_equal(t, "a<b>&amp;cd"); /* nested <i/> contributes nothing */
  muc_mem_free(&f->m, t);
  t = muc_xml_child_text_dup(&f->m, m, "subject", NULL);
  assert_string_equal(t, "");
  muc_mem_free(&f->m, t);
  t = muc_xml_child_text_dup(&f->m, m, "e", NULL);
  assert_string_equal(t, "<\xE2\x82\xAC");
  muc_mem_free(&f->m, t);
  assert_null(muc_xml_child_text_dup(&f->m, m, "missing", NULL));
  /* CDATA in the input became ordinary text: one node, written escaped. */
  mxml_node_t *body = muc_xml_child(m, "body", NULL);
  assert_int_equal(mxmlGetType(mxmlGetFirstChild(body)), MXML_OPAQUE);
  assert_string_equal(mxmlGetOpaque(mxmlGetFirstChild(body)), "a<b>&amp;c");
  assert_string_equal(write_str(f, body),
                      "<body>a&lt;b&gt;&amp;amp;c<i/>d</body>");
  mxmlDelete(m);

  /* Host-built: OPAQUE, TEXT with its whitespace flag, CDATA. */
  mxml_node_t *h = mxmlNewElement(NULL, "h");
  mxmlNewOpaque(h, "x");
  mxmlNewText(h, 1, "y");
  mxmlNewText(h, 0, "z");
  mxmlNewCDATA(h, "<w>");
  mxmlNewElement(h, "skip");
  t = muc_xml_text_dup(&f->m, h);
  assert_string_equal(t, "x yz<w>");
  muc_mem_free(&f->m, t);
  mxmlDelete(h);

  t = muc_xml_text_dup(&f->m, NULL);
  assert_string_equal(t, "");
  muc_mem_free(&f->m, t);
}

static void test_text_oom(void **state)
{
  fx *f = *state;
  mxml_node_t *m = parse_ok(f, "<a>some text</a>");
  f->c.attempts = 0;
  f->c.fail_at = 0;
  assert_null(muc_xml_text_dup(&f->m, m));
  f->c.fail_at = -1;
  mxmlDelete(m);
}

/* ---- builders and copy --------------------------------------------------- */

static void test_builders(void **state)
{
  fx *f = *state;
  mxml_node_t *p = muc_xml_new(NULL, "presence", NULL);
  assert_int_equal(muc_xml_set_attr(p, "to", "a@b/c"), MUC_OK);
  assert_int_equal(muc_xml_set_attr(p, "from", "r@m/n"), MUC_OK);
  assert_int_equal(muc_xml_set_attr(p, "type", "x"), MUC_OK);
  assert_int_equal(muc_xml_set_attr(p, "type", NULL), MUC_OK);  /* delete */
  assert_int_equal(muc_xml_set_attr(p, "to", "d@e/f"), MUC_OK); /* replace */
  mxml_node_t *x = muc_xml_new(p, "x", MUC_NS_USER);
  assert_non_null(x);
  mxml_node_t *item = muc_xml_new(x, "item", NULL);
  muc_xml_set_attr(item, "role", "participant");
  assert_non_null(muc_xml_new_text(p, "status", NULL, "a<b"));
  mxml_node_t *e = muc_xml_new_text(p, "empty", NULL, "");
  assert_int_equal(muc_xml_add_text(e, ""), MUC_OK);
  assert_non_null(muc_xml_new_text(p, "none", NULL, NULL));
  assert_string_equal(write_str(f, p),
                      "<presence to=\"d@e/f\" from=\"r@m/n\">"
                      "<x xmlns=\"http://jabber.org/protocol/muc#user\">"
                      "<item role=\"participant\"/></x>"
                      "<status>a&lt;b</status><empty/><none/></presence>");
  assert_string_equal(muc_xml_ns(item), MUC_NS_USER);
  assert_int_equal(muc_xml_add_text(NULL, "x"), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_xml_set_attr(NULL, "x", "y"), MUC_ERR_INVALID_ARG);
  mxmlDelete(p);
}

static void test_copy(void **state)
{
  fx *f = *state;
  const char *src =
      "<message from=\"a@b/c\" type=\"groupchat\"><body>hi &amp; bye</body>"
      "<x xmlns=\"http://jabber.org/protocol/muc#user\"><item a=\"1\">"
      "<reason>r</reason></item></x>"
      "<p:q xmlns:p=\"urn:p\"><p:r p:at=\"v\"><s/></p:r></p:q></message>";
  mxml_node_t *m = parse_ok(f, src);
  mxml_node_t *c = muc_xml_copy(NULL, m);
  assert_non_null(c);
  assert_ptr_not_equal(c, m);
  assert_string_equal(write_str(f, c), src);
  mxmlDelete(c);

  /* An inherited namespace becomes explicit on the copy... */
  mxml_node_t *item = muc_xml_first_element(muc_xml_child(m, "x", NULL));
  c = muc_xml_copy(NULL, item);
  assert_string_equal(write_str(f, c),
                      "<item a=\"1\" "
                      "xmlns=\"http://jabber.org/protocol/muc#user\">"
                      "<reason>r</reason></item>");
  assert_string_equal(muc_xml_ns(muc_xml_first_element(c)), MUC_NS_USER);
  mxmlDelete(c);
  /* ...except the stream default... */
  c = muc_xml_copy(NULL, muc_xml_child(m, "body", NULL));
  assert_string_equal(write_str(f, c), "<body>hi &amp; bye</body>");
  mxmlDelete(c);
  /* ...and prefixes declared above the subtree are carried along. */
  mxml_node_t *q = muc_xml_child(m, "q", "urn:p");
  c = muc_xml_copy(NULL, muc_xml_first_element(q));
  assert_string_equal(write_str(f, c),
                      "<p:r p:at=\"v\" xmlns:p=\"urn:p\"><s/></p:r>");
  assert_string_equal(muc_xml_ns(c), "urn:p");
  mxmlDelete(c);

  /* Copy under a parent; jabber:client is never repeated. */
  mxml_node_t *jc = parse_ok(f, "<iq xmlns='jabber:client'><query/></iq>");
  mxml_node_t *holder = mxmlNewElement(NULL, "holder");
  c = muc_xml_copy(holder, muc_xml_first_element(jc));
  assert_ptr_equal(mxmlGetParent(c), holder);
  assert_string_equal(write_str(f, holder), "<holder><query/></holder>");
  mxmlDelete(holder);
  mxmlDelete(jc);
  mxmlDelete(m);

  /* Host-built CDATA is copied as text; comments are dropped. */
  mxml_node_t *h = mxmlNewElement(NULL, "h");
  mxmlNewCDATA(h, "a<b");
  mxmlNewElement(h, "!-- c --");
  mxmlNewText(h, 1, "w");
  c = muc_xml_copy(NULL, h);
  assert_int_equal(mxmlGetType(mxmlGetFirstChild(c)), MXML_OPAQUE);
  assert_string_equal(write_str(f, c), "<h>a&lt;b w</h>");
  mxmlDelete(c);
  mxmlDelete(h);
  assert_null(muc_xml_copy(NULL, NULL));
}

static void test_copy_deep(void **state)
{
  fx *f = *state;
  /* Copy and write are iterative: a host tree far deeper than any stack
   * frame budget is fine. */
  mxml_node_t *root = mxmlNewElement(NULL, "d");
  mxml_node_t *cur = root;
  for (int i = 0; i < 100000; i++)
    cur = mxmlNewElement(cur, "d");
  mxmlNewOpaque(cur, "bottom");
  mxml_node_t *c = muc_xml_copy(NULL, root);
  assert_non_null(c);
  muc_buf_reset(&f->b);
  assert_int_equal(muc_xml_write(&f->b, c), MUC_OK);
  assert_int_equal(f->b.len, 100001 * 3 + 6 + 100001 * 4);
  muc_xml_limits lim = {0, 32, 64, 512};
  assert_int_equal(muc_xml_check(c, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(c);
  mxmlDelete(root);
}

/* ---- UTF-8 ------------------------------------------------------------ */

static void test_utf8(void **state)
{
  (void)state;
#define V(s) muc_utf8_xml_valid(s, sizeof(s) - 1)
  assert_true(V(""));
  assert_true(V("plain ascii\t\r\n"));
  assert_true(V("\x7F"));                  /* DEL is an XML Char */
  assert_true(V("\xC2\x80"));              /* C1 too */
  assert_true(V("\xC3\xA9\xE2\x82\xAC"));  /* é € */
  assert_true(V("\xF0\x9F\x98\x80"));      /* U+1F600 */
  assert_true(V("\xF4\x8F\xBF\xBF"));      /* U+10FFFF */
  assert_true(V("\xEF\xBF\xBD"));          /* U+FFFD */
  assert_false(V("\x80"));                 /* lone continuation */
  assert_false(V("\xC0\x80"));             /* overlong NUL */
  assert_false(V("\xC1\xBF"));             /* overlong */
  assert_false(V("\xE0\x80\x80"));         /* overlong */
  assert_false(V("\xF0\x80\x80\x80"));     /* overlong */
  assert_false(V("\xC3"));                 /* truncated */
  assert_false(V("\xE2\x82"));             /* truncated */
  assert_false(V("a\xE2\x82z"));           /* bad continuation */
  assert_false(V("\xF8\x88\x80\x80\x80")); /* 5-byte form */
  assert_false(V("\xFF"));
  assert_false(V("\xED\xA0\x80"));     /* surrogate */
  assert_false(V("\xF4\x90\x80\x80")); /* > U+10FFFF */
  assert_false(V("\xF7\xBF\xBF\xBF"));
  assert_false(V("\xEF\xBF\xBE")); /* U+FFFE: not an XML Char */
  assert_false(V("\xEF\xBF\xBF")); /* U+FFFF */
  assert_false(V("\x01"));
  assert_false(V("a\x0B"));
  assert_false(muc_utf8_xml_valid("a\0b", 3));
#undef V
  assert_true(muc_utf8_xml_valid(NULL, 0));
  assert_false(muc_utf8_xml_valid(NULL, 1));
}

/* ---- parser: malformed input ------------------------------------------ */

static void test_parse_refuses_non_xmpp(void **state)
{
  fx *f = *state;
  /* Comments, PIs, XML declaration, DOCTYPE: RFC 6120 §11.1. */
  assert_true(bad(f, "<a><!-- c --></a>"));
  assert_true(bad(f, "<!-- c --><a/>"));
  assert_true(bad(f, "<a/><!-- c -->"));
  assert_true(bad(f, "<a><?pi x?></a>"));
  assert_true(bad(f, "<?xml version='1.0'?><a/>"));
  assert_true(bad(f, "<!DOCTYPE a><a/>"));
  assert_true(bad(f, "<a><!DOCTYPE a></a>"));
  assert_true(bad(f, "<![CDATA[x]]>"));
  /* Entities other than the five predefined ones. */
  assert_true(bad(f, "<a>&nbsp;</a>"));
  assert_true(bad(f, "<a>&eacute;</a>"));
  assert_true(bad(f, "<a b='&copy;'/>"));
  assert_true(bad(f, "<a>&foo;</a>"));
  assert_true(bad(f, "<a>&amp</a>"));
  assert_true(bad(f, "<a>&</a>"));
  assert_true(bad(f, "<a>&LT;</a>"));
  /* Character references to non-Chars or out of range. */
  assert_true(bad(f, "<a>&#0;</a>"));
  assert_true(bad(f, "<a>&#1;</a>"));
  assert_true(bad(f, "<a>&#xD800;</a>"));
  assert_true(bad(f, "<a>&#xFFFE;</a>"));
  assert_true(bad(f, "<a>&#x110000;</a>"));
  assert_true(bad(f, "<a>&#99999999999999999999;</a>"));
  assert_true(bad(f, "<a>&#;</a>"));
  assert_true(bad(f, "<a>&#x;</a>"));
  assert_true(bad(f, "<a>&#X41;</a>"));
  assert_true(bad(f, "<a>&#12a;</a>"));
  assert_true(bad(f, "<a>&#65</a>"));
  /* ...while leading zeros mxml would choke on are fine. */
  mxml_node_t *n = parse_ok(f, "<a>&#0000000000000000000000000000000000000000"
                               "00000000000000000000000000065;</a>");
  assert_string_equal(mxmlGetOpaque(mxmlGetFirstChild(n)), "A");
  mxmlDelete(n);
}

static void test_parse_refuses_malformed(void **state)
{
  fx *f = *state;
  assert_int_equal(parse_rc(f, "<a>\0</a>", 8, NULL), MUC_ERR_BAD_STANZA);
  assert_true(bad(f, "<a>\x80</a>"));
  assert_true(bad(f, "<a>\xC0\x80</a>"));
  assert_true(bad(f, "<m\x80x/>"));
  assert_true(bad(f, "<a/>\x80")); /* mxml would ignore this */
  assert_true(bad(f, "<a>\x01</a>"));
  assert_true(bad(f, "<a>\xED\xA0\x80</a>"));
  /* Junk after the root, second root, text outside. */
  assert_true(bad(f, "<presence/>junk"));
  assert_true(bad(f, "<a/><b/>"));
  assert_true(bad(f, "<a></a>x"));
  assert_true(bad(f, "x<a/>"));
  /* Truncation mxml would complete silently. */
  assert_true(bad(f, "<message><body>hi</body>"));
  assert_true(bad(f, "<message"));
  assert_true(bad(f, "<message to='a"));
  assert_true(bad(f, "<a><b></b>"));
  assert_true(bad(f, "<a/"));
  assert_true(bad(f, "<a><![CDATA[x</a>"));
  /* Tags. */
  assert_true(bad(f, "<a></b>"));
  assert_true(bad(f, "<a><b></a></b>"));
  assert_true(bad(f, "</a>"));
  assert_true(bad(f, "<a b='1' b='2'/>"));
  assert_true(bad(f, "<a b=1/>"));
  assert_true(bad(f, "<a b/>"));
  assert_true(bad(f, "<a b='1'c='2'/>"));
  assert_true(bad(f, "<a b='<'/>"));
  assert_true(bad(f, "<a b=\"x'/>"));
  assert_true(bad(f, "<a>x]]>y</a>"));
  assert_true(bad(f, "<a"));
  assert_true(bad(f, "<>"));
  assert_true(bad(f, "< a/>"));
  /* Names. */
  assert_true(bad(f, "<1a/>"));
  assert_true(bad(f, "<-a/>"));
  assert_true(bad(f, "<a:b:c xmlns:a='u'/>"));
  assert_true(bad(f, "<:a/>"));
  assert_true(bad(f, "<a:/>"));
  assert_true(bad(f, "<a\"b/>"));
  assert_true(bad(f, "<a 1b='x'/>"));
  assert_true(bad(f, "<a b:='x'/>"));
  /* Namespaces. */
  assert_true(bad(f, "<p:a/>"));          /* unbound prefix */
  assert_true(bad(f, "<a p:b='1'/>"));    /* unbound on attr */
  assert_true(bad(f, "<a xmlns:p=''/>")); /* empty binding */
  assert_true(bad(f, "<xmlns:a xmlns:xmlns='u'/>"));
  assert_true(bad(f, "<a xmlns:xml='urn:other'/>"));
  /* Empty input. */
  assert_int_equal(parse_rc(f, "", 0, NULL), MUC_ERR_BAD_STANZA);
  assert_true(bad(f, "   \n\t "));
  assert_int_equal(parse_rc(f, NULL, 0, NULL), MUC_ERR_BAD_STANZA);
  assert_int_equal(parse_rc(f, NULL, 1, NULL), MUC_ERR_INVALID_ARG);

  /* Legal things that look odd are still fine. */
  const char *ok[] = {
      "<a:b xmlns:a='u'/>",
      "<\xC3\xA9l\xC3\xA9ment/>",
      "<a_b-c.d e.f='1'/>",
      "<a b='&apos;\"'/>",
      "<a>]]</a>",
      "<a>></a>",
      "<a xml:lang='en'/>",
      "<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>",
      "<a><![CDATA[]]></a>",
      "<a\n\tb\r\n=\n'1'\n/>",
  };
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
    mxmlDelete(parse_ok(f, ok[i]));
}

/* ---- parser: limits ---------------------------------------------------- */

static char *nested(size_t depth)
{
  char *s = malloc(depth * 7 + 1);
  char *p = s;
  for (size_t i = 0; i < depth; i++)
    p += sprintf(p, "<a>");
  for (size_t i = 0; i < depth; i++)
    p += sprintf(p, "</a>");
  return s;
}

static void test_limits_depth(void **state)
{
  fx *f = *state;
  char *s = nested(32);
  mxml_node_t *n = parse_ok(f, s);
  free(s);
  muc_xml_limits lim = {65536, 32, 64, 512};
  assert_int_equal(muc_xml_check(n, &lim), MUC_OK);
  lim.max_depth = 31;
  assert_int_equal(muc_xml_check(n, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(n);
  s = nested(33);
  assert_true(bad(f, s));
  free(s);
  /* A self-closed element counts for depth too. */
  assert_true(bad(f, "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
                     "<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>"
                     "<a/></a></a></a></a></a></a></a></a></a></a></a>"
                     "</a></a></a></a></a></a></a></a></a></a></a></a>"
                     "</a></a></a></a></a></a></a></a></a>"));
  /* A million levels never reach mxml. */
  s = nested(1000000);
  lim.max_bytes = 0;
  lim.max_depth = 32;
  assert_int_equal(parse_rc(f, s, strlen(s), &lim), MUC_ERR_BAD_STANZA);
  free(s);
}

static char *many_attrs(size_t n)
{
  char *s = malloc(n * 12 + 16);
  char *p = s;
  p += sprintf(p, "<a");
  for (size_t i = 0; i < n; i++)
    p += sprintf(p, " a%zu='1'", i);
  sprintf(p, "/>");
  return s;
}

static void test_limits_attrs(void **state)
{
  fx *f = *state;
  char *s = many_attrs(64);
  mxmlDelete(parse_ok(f, s));
  free(s);
  s = many_attrs(65);
  assert_true(bad(f, s));
  free(s);

  /* 40,000 attributes (~470 KB): over the default size limit... */
  s = many_attrs(40000);
  assert_int_equal(parse_rc(f, s, strlen(s), NULL), MUC_ERR_LIMIT);
  /* ...and with the size limit lifted, refused before mxml's quadratic
   * duplicate check (4 s in mxml alone) could start. */
  muc_xml_limits lim = {0, 32, 64, 512};
  clock_t t0 = clock();
  assert_int_equal(parse_rc(f, s, strlen(s), &lim), MUC_ERR_BAD_STANZA);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  assert_true(secs < 0.5);
  free(s);

  mxml_node_t *h = mxmlNewElement(NULL, "h");
  for (int i = 0; i < 3; i++) {
    char k[16];
    snprintf(k, sizeof(k), "k%d", i);
    mxmlElementSetAttr(h, k, "v");
  }
  lim.max_attrs = 2;
  assert_int_equal(muc_xml_check(h, &lim), MUC_ERR_BAD_STANZA);
  lim.max_attrs = 3;
  assert_int_equal(muc_xml_check(h, &lim), MUC_OK);
  mxmlDelete(h);
}

static void test_limits_children_and_size(void **state)
{
  fx *f = *state;
  char *s = malloc(600 * 4 + 16);
  char *p = s + sprintf(s, "<r>");
  for (int i = 0; i < 512; i++)
    p += sprintf(p, "<c/>");
  strcpy(p, "</r>");
  mxmlDelete(parse_ok(f, s));
  strcpy(p, "<c/></r>"); /* 513 */
  assert_true(bad(f, s));
  free(s);
  /* Text nodes between them do not count as children. */
  mxml_node_t *n = parse_ok(f, "<r> <c/> <c/> </r>");
  muc_xml_limits lim = {0, 32, 64, 2};
  assert_int_equal(muc_xml_check(n, &lim), MUC_OK);
  lim.max_children = 1;
  assert_int_equal(muc_xml_check(n, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(n);

  /* Size is checked first, on the raw length. */
  lim = (muc_xml_limits){10, 32, 64, 512};
  assert_int_equal(parse_rc(f, "<a>12345</a>", 12, &lim), MUC_ERR_LIMIT);
  assert_int_equal(parse_rc(f, "<a>\0\x80</a>", 11, &lim), MUC_ERR_LIMIT);
  lim.max_bytes = 12;
  assert_int_equal(parse_rc(f, "<a>12345</a>", 12, &lim), MUC_OK);
  /* Not NUL-terminated input: only |len| bytes are read. */
  assert_int_equal(parse_rc(f, "<a/>GARBAGE", 4, &lim), MUC_OK);
}

static void test_check_host_tree(void **state)
{
  (void)state;
  muc_xml_limits lim = {65536, 32, 64, 512};
  mxml_node_t *a = mxmlNewElement(NULL, "a");
  mxml_node_t *b = mxmlNewElement(a, "b");
  mxmlNewCDATA(b, "legal");
  mxmlNewOpaque(a, "ok \xC3\xA9");
  assert_int_equal(muc_xml_check(a, &lim), MUC_OK);
  assert_int_equal(muc_xml_check(a, NULL), MUC_OK);

  mxml_node_t *bad_text = mxmlNewOpaque(a, "\x80\x01");
  assert_int_equal(muc_xml_check(a, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(bad_text);
  mxml_node_t *c = mxmlNewElement(b, "!-- comment --");
  assert_int_equal(muc_xml_check(a, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(c);
  c = mxmlNewElement(b, "?pi?");
  assert_int_equal(muc_xml_check(a, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(c);
  c = mxmlNewElement(b, "bad name");
  assert_int_equal(muc_xml_check(a, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(c);
  c = mxmlNewElement(b, "p:unbound");
  assert_int_equal(muc_xml_check(a, &lim), MUC_ERR_BAD_STANZA);
  mxmlElementSetAttr(a, "xmlns:p", "urn:p");
  assert_int_equal(muc_xml_check(a, &lim), MUC_OK);
  mxmlElementSetAttr(c, "v", "\xFF");
  assert_int_equal(muc_xml_check(a, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(c);
  assert_int_equal(muc_xml_check(a, &lim), MUC_OK);
  assert_int_equal(muc_xml_check(NULL, &lim), MUC_ERR_BAD_STANZA);
  mxmlDelete(a);
}

/* ---- parser: allocation failures --------------------------------------- */

static void test_parse_oom(void **state)
{
  fx *f = *state;
  const char *s =
      "<message to='r@m' type='groupchat'><body>x &amp; y<![CDATA[<z>]]>"
      "</body><x xmlns='jabber:x:data' type='submit'/></message>";
  int saw_nomem = 0;
  for (long i = 0;; i++) {
    f->c.attempts = 0;
    f->c.fail_at = i;
    mxml_node_t *n = NULL;
    int rc = muc_xml_parse(&f->m, s, strlen(s), NULL, &n);
    f->c.fail_at = -1;
    assert_int_equal(f->m.in_use, 0);
    assert_int_equal(f->c.live, 0);
    if (rc == MUC_OK) {
      mxmlDelete(n);
      break;
    }
    assert_int_equal(rc, MUC_ERR_NOMEM);
    assert_null(n);
    saw_nomem = 1;
  }
  assert_true(saw_nomem);
}

static void test_parse_args(void **state)
{
  fx *f = *state;
  mxml_node_t *n;
  assert_int_equal(muc_xml_parse(NULL, "<a/>", 4, NULL, &n),
                   MUC_ERR_INVALID_ARG);
  assert_null(n);
  assert_int_equal(muc_xml_parse(&f->m, "<a/>", 4, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_round_trip),
      T(test_attr_whitespace),
      T(test_parse_decodes_text),
      T(test_parse_decodes_attrs),
      T(test_write_host_tree),
      T(test_write_oom),
      T(test_namespaces),
      T(test_child_does_not_descend),
      T(test_accessors),
      T(test_text),
      T(test_text_oom),
      T(test_builders),
      T(test_copy),
      T(test_copy_deep),
      T(test_utf8),
      T(test_parse_refuses_non_xmpp),
      T(test_parse_refuses_malformed),
      T(test_limits_depth),
      T(test_limits_attrs),
      T(test_limits_children_and_size),
      T(test_check_host_tree),
      T(test_parse_oom),
      T(test_parse_args),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
