/* muc_xml_parse_reusing against muc_xml_parse: for every ordered pair of
 * texts (A, B) from a corpus of shapes, values, faults and limits, B
 * parsed into A's old tree must give the same code as B parsed afresh,
 * and, when it succeeds, a tree equal node for node (types, names,
 * attributes in order with their values, texts).  The allocator checks
 * that every block comes back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"
#include "xml.h"

#include "counter.h"

static const char *const corpus[] = {
    /* the same shape, other values */
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi 1</body>"
    "</message>",
    "<message from='b@x/r' to='s@c' type='groupchat'><body>hi 22</body>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi 1</body>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='chat'><body>&lt;&amp;&#x263A;"
    "</body></message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body><![CDATA[<b>]]>"
    "</body></message>",
    /* an attribute more, less, or in another order */
    "<message from='a@x/r' to='r@c' type='groupchat' id='7'><body>hi</body>"
    "</message>",
    "<message from='a@x/r' to='r@c'><body>hi</body></message>",
    "<message to='r@c' from='a@x/r' type='groupchat'><body>hi</body>"
    "</message>",
    "<message from='a@x/r' to='r@c' kind='groupchat'><body>hi</body>"
    "</message>",
    /* a child more, less, other; text where there was none */
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</body>"
    "<thread>t</thread></message>",
    "<message from='a@x/r' to='r@c' type='groupchat'/>",
    "<message from='a@x/r' to='r@c' type='groupchat'></message>",
    "<message from='a@x/r' to='r@c' type='groupchat'> </message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><subject>hi</subject>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body/></message>",
    "<message from='a@x/r' to='r@c' type='groupchat'>x<body>hi</body>y"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</body>\n"
    "</message>",
    /* namespaces and prefixes */
    "<message from='a@x/r' to='r@c' xmlns='jabber:client'><body>hi</body>"
    "</message>",
    "<message from='a@x/r' to='r@c' xmlns:p='urn:p'><p:body>hi</p:body>"
    "</message>",
    "<message from='a@x/r' to='r@c' xmlns:q='urn:p'><p:body>hi</p:body>"
    "</message>",
    /* presences */
    "<presence from='a@x/r' to='r@c/n'><x xmlns='http://jabber.org/protocol/"
    "muc'/></presence>",
    "<presence from='b@x/r' to='s@c/m'><x xmlns='http://jabber.org/protocol/"
    "muc'/></presence>",
    "<presence from='b@x/r' to='s@c/m'><x xmlns='http://jabber.org/protocol/"
    "muc'><password>p</password></x></presence>",
    "<presence from='a@x/r' to='r@c/n' type='unavailable'/>",
    "<presence from='a@x/r' to='r@c/n'><show>away</show></presence>",
    "<iq from='a@x/r' to='r@c' type='get' id='1'><query xmlns='http://"
    "jabber.org/protocol/disco#info'/></iq>",
    /* faults, found where the old shape holds and where it does not */
    "<message from='a@x/r' from='b@x/r' type='groupchat'><body>hi</body>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</bdy>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</body>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>&nbsp;</body>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><p:body>hi</p:body>"
    "</message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</body>"
    "</message><x/>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</body>"
    "<!-- c --></message>",
    "",
    /* over the limits below (at most 4 attributes, 3 children, depth 3) */
    "<message from='a@x/r' to='r@c' type='groupchat' id='1' x='y'>"
    "<body>hi</body></message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><body>hi</body>"
    "<a/><b/><c/></message>",
    "<message from='a@x/r' to='r@c' type='groupchat'><a><b><c><d/></c></b>"
    "</a></message>",
};

#define NCORPUS (sizeof(corpus) / sizeof(corpus[0]))

static void assert_same_tree(mxml_node_t *a, mxml_node_t *b)
{
  for (; a || b; a = mxmlGetNextSibling(a), b = mxmlGetNextSibling(b)) {
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(mxmlGetType(a), mxmlGetType(b));
    if (mxmlGetType(a) == MXML_OPAQUE) {
      assert_string_equal(mxmlGetOpaque(a), mxmlGetOpaque(b));
      continue;
    }
    assert_int_equal(mxmlGetType(a), MXML_ELEMENT);
    assert_string_equal(mxmlGetElement(a), mxmlGetElement(b));
    int n = mxmlElementGetAttrCount(a);
    assert_int_equal(n, mxmlElementGetAttrCount(b));
    for (int i = 0; i < n; i++) {
      const char *an = NULL, *bn = NULL;
      const char *av = mxmlElementGetAttrByIndex(a, i, &an);
      const char *bv = mxmlElementGetAttrByIndex(b, i, &bn);
      assert_string_equal(an, bn);
      assert_string_equal(av, bv);
    }
    assert_same_tree(mxmlGetFirstChild(a), mxmlGetFirstChild(b));
  }
}

static void pairs_under(const muc_xml_limits *lim)
{
  counter c = {0, -1, 0};
  muc_allocator a = {c_malloc, c_realloc, c_free, &c};
  muc_mem m;
  muc_mem_init(&m, &a);
  size_t refilled = 0;
  for (size_t i = 0; i < NCORPUS; i++)
    for (size_t j = 0; j < NCORPUS; j++) {
      const char *ta = corpus[i], *tb = corpus[j];
      mxml_node_t *old = NULL, *got = NULL, *want = NULL;
      if (muc_xml_parse(&m, ta, strlen(ta), lim, &old) != MUC_OK)
        continue; /* no tree to refill */
      int rc = muc_xml_parse_reusing(&m, tb, strlen(tb), lim, old, &got);
      int want_rc = muc_xml_parse(&m, tb, strlen(tb), lim, &want);
      if (rc != want_rc)
        fprintf(stderr, "%s\nthen %s\n", ta, tb);
      assert_int_equal(rc, want_rc);
      if (rc == MUC_OK) {
        assert_same_tree(got, want);
        refilled += got == old;
      } else {
        assert_null(got);
      }
      mxmlDelete(got);
      mxmlDelete(want);
    }
  assert_true(refilled > NCORPUS); /* the old trees were used */
  assert_int_equal(m.in_use, 0);
  assert_int_equal(c.live, 0);
}

static void test_same_as_fresh(void **state)
{
  (void)state;
  pairs_under(NULL);
}

static void test_same_as_fresh_under_limits(void **state)
{
  (void)state;
  muc_xml_limits lim = {4096, 3, 4, 3};
  pairs_under(&lim);
}

/* The old tree is the caller's no longer, whatever happens. */
static void test_old_tree_taken(void **state)
{
  (void)state;
  counter c = {0, -1, 0};
  muc_allocator a = {c_malloc, c_realloc, c_free, &c};
  muc_mem m;
  muc_mem_init(&m, &a);
  mxml_node_t *old = NULL, *out = NULL;
  assert_int_equal(muc_xml_parse(&m, "<a x='1'/>", 10, NULL, &old), MUC_OK);
  assert_int_equal(muc_xml_parse_reusing(NULL, "<a/>", 4, NULL, old, &out),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_xml_parse(&m, "<a x='1'/>", 10, NULL, &old), MUC_OK);
  muc_xml_limits lim = {4, 0, 0, 0};
  assert_int_equal(muc_xml_parse_reusing(&m, "<a x='2'/>", 10, &lim, old, &out),
                   MUC_ERR_LIMIT);
  assert_null(out);
  assert_int_equal(muc_xml_parse(&m, "<a x='1'/>", 10, NULL, &old), MUC_OK);
  assert_int_equal(muc_xml_parse_reusing(&m, "<a x='2'/>", 10, NULL, old, &out),
                   MUC_OK);
  assert_ptr_equal(out, old);
  assert_string_equal(mxmlElementGetAttr(out, "x"), "2");
  mxmlDelete(out);
  assert_int_equal(m.in_use, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_fresh),
      cmocka_unit_test(test_same_as_fresh_under_limits),
      cmocka_unit_test(test_old_tree_taken),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
