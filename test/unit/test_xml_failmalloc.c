/* Failmalloc over xml.c and xml_parse.c *with* Mini-XML's allocations:
 * the executable is linked against libmxml.a with --wrap (wrapmalloc.h),
 * so every malloc mxml makes for a node, a name, an attribute or a text
 * is counted and can be made to fail.  Each operation is run once to
 * count its allocation attempts, then once for each attempt with that
 * one failing, and once with memory exhausted from it on: every run must
 * report MUC_ERR_NOMEM (with *out NULL for the parser), never leave a
 * node with a NULL name or text in a tree, and give back every block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "mem.h"
#include "wrapmalloc.h"
#include "xml.h"

/* The libc allocator, so muc_mem's own blocks go through the wrappers
 * too. */
static muc_mem mem;
/* Set for the first, counting run of an operation: it then also checks
 * its result (which allocates, so not in the failing runs). */
static int verifying;
/* Blocks reclaimed from mxml's known leak (see reclaim_mxml_leak). */
static long mxml_leaks;

static void quiet(const char *msg)
{
  (void)msg;
}

static int group_setup(void **state)
{
  (void)state;
  /* mxml allocates its per-thread settings on first use and keeps them
   * until the thread ends; setting the error callback does that now,
   * outside every baseline, and keeps its OOM messages off stderr. */
  mxmlSetErrorCallback(quiet);
  muc_mem_init(&mem, NULL);
  return 0;
}

static int group_teardown(void **state)
{
  (void)state;
  printf("xml_failmalloc: reclaimed %ld block(s) leaked by mxml itself\n",
         mxml_leaks);
  return 0;
}

/* Every element has a name, every attribute and OPAQUE node a string. */
static void assert_whole(mxml_node_t *top)
{
  for (mxml_node_t *n = top; n; n = mxmlWalkNext(n, top, MXML_DESCEND)) {
    if (mxmlGetType(n) == MXML_OPAQUE) {
      assert_non_null(mxmlGetOpaque(n));
      continue;
    }
    assert_int_equal(mxmlGetType(n), MXML_ELEMENT);
    assert_non_null(mxmlGetElement(n));
    for (int i = 0; i < mxmlElementGetAttrCount(n); i++) {
      const char *k = NULL;
      assert_non_null(mxmlElementGetAttrByIndex(n, i, &k));
      assert_non_null(k);
    }
  }
}

static void assert_writes(const mxml_node_t *n, const char *want)
{
  muc_buf b;
  muc_buf_init(&b, &mem);
  assert_int_equal(muc_xml_write(&b, n), MUC_OK);
  assert_string_equal(b.data, want);
  muc_buf_free(&b);
}

static void reclaim_mxml_leak(void)
{
  mxml_leaks += wrapmalloc_reclaim_mxml_leak();
}

/* The end of a successful operation that made the tree |n|: check it,
 * free it. */
static int done_with(mxml_node_t *n, const char *want)
{
  assert_whole(n);
  if (verifying)
    assert_writes(n, want);
  mxmlDelete(n);
  return MUC_OK;
}

typedef int (*op_fn)(void *arg);

/* One failing run: attempt |i| fails, and so does every later one when
 * |exhaust|. */
static void fail_run(op_fn op, void *arg, long i, int exhaust, long base)
{
  wrapmalloc_reset();
  if (exhaust)
    wrapmalloc_fail_from(i);
  else
    wrapmalloc_fail_at(i);
  int rc = op(arg);
  long failed = wrapmalloc_failed();
  reclaim_mxml_leak();
  wrapmalloc_reset();
  if (rc != MUC_ERR_NOMEM || wrapmalloc_live() != base)
    fprintf(stderr, "attempt %ld%s: rc=%d live=%ld (base %ld)\n", i,
            exhaust ? " on" : "", rc, wrapmalloc_live(), base);
  assert_true(failed >= 1);
  assert_int_equal(rc, MUC_ERR_NOMEM);
  assert_int_equal(wrapmalloc_live(), base);
}

/* Count |op|'s allocation attempts in a successful run, then fail each
 * in turn.  Returns the count. */
static long fail_each(op_fn op, void *arg)
{
  long base = wrapmalloc_live();
  wrapmalloc_reset();
  verifying = 1;
  assert_int_equal(op(arg), MUC_OK);
  verifying = 0;
  wrapmalloc_reset();
  assert_int_equal(wrapmalloc_live(), base);
  /* Count again without the checks' own allocations. */
  assert_int_equal(op(arg), MUC_OK);
  long n = wrapmalloc_count();
  assert_true(n > 0);
  for (long i = 1; i <= n; i++) {
    fail_run(op, arg, i, 0, base);
    fail_run(op, arg, i, 1, base);
  }
  return n;
}

/* ---- the stanzas -------------------------------------------------------- */

typedef struct parse_case {
  const char *name;
  const char *in;
  const char *out; /* as muc_xml_write() gives it back */
} parse_case;

#define MUC_USER "http://jabber.org/protocol/muc#user"

static const parse_case cases[] = {
    {"presence",
     "<presence from='coven@chat.shakespeare.lit/thirdwitch' id='p1' "
     "to='hag66@shakespeare.lit/pda'>\n  <x xmlns='" MUC_USER "'>"
     "<item affiliation='member' jid='hag66@shakespeare.lit/pda' "
     "role='participant'/><status code='110'/><status code='210'/></x>"
     "<show>away</show></presence>",
     "<presence from=\"coven@chat.shakespeare.lit/thirdwitch\" id=\"p1\" "
     "to=\"hag66@shakespeare.lit/pda\">\n  <x xmlns=\"" MUC_USER "\">"
     "<item affiliation=\"member\" jid=\"hag66@shakespeare.lit/pda\" "
     "role=\"participant\"/><status code=\"110\"/><status code=\"210\"/>"
     "</x><show>away</show></presence>"},
    {"groupchat",
     "<message from='r@muc/n' type='groupchat' to='a@b' id='m&amp;1'>"
     "<body>fish &amp; chips &lt;3 &#x1F600;&#233;<![CDATA[<raw> & ]]>"
     "tail\r\nend</body><subject xml:lang='en'>a&quot;b</subject>"
     "</message>",
     "<message from=\"r@muc/n\" type=\"groupchat\" to=\"a@b\" "
     "id=\"m&amp;1\"><body>fish &amp; chips &lt;3 \xF0\x9F\x98\x80\xC3\xA9"
     "&lt;raw&gt; &amp; tail\nend</body><subject xml:lang=\"en\">a&quot;b"
     "</subject></message>"},
    {"iq form",
     "<iq type='set' id='c1' to='room@muc'><query "
     "xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
     "type='submit'><field var='FORM_TYPE'><value>"
     "http://jabber.org/protocol/muc#roomconfig</value></field><field "
     "var='muc#roomconfig_roomname'><value>Room</value></field><field "
     "var='muc#roomconfig_whois' type='list-single'><value>anyone</value>"
     "</field><f:field xmlns:f='jabber:x:data' f:var='x'/></x></query></iq>",
     "<iq type=\"set\" id=\"c1\" to=\"room@muc\"><query "
     "xmlns=\"http://jabber.org/protocol/muc#owner\"><x "
     "xmlns=\"jabber:x:data\" type=\"submit\"><field var=\"FORM_TYPE\">"
     "<value>http://jabber.org/protocol/muc#roomconfig</value></field>"
     "<field var=\"muc#roomconfig_roomname\"><value>Room</value></field>"
     "<field var=\"muc#roomconfig_whois\" type=\"list-single\"><value>"
     "anyone</value></field><f:field xmlns:f=\"jabber:x:data\" f:var=\"x\"/>"
     "</x></query></iq>"},
};

static int op_parse(void *arg)
{
  const parse_case *c = arg;
  mxml_node_t *n = (mxml_node_t *)(uintptr_t)1; /* must become NULL */
  int rc = muc_xml_parse(&mem, c->in, strlen(c->in), NULL, &n);
  if (rc != MUC_OK) {
    assert_null(n);
    return rc;
  }
  return done_with(n, c->out);
}

static void test_parse(void **state)
{
  (void)state;
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    long n = fail_each(op_parse, (void *)&cases[k]);
    printf("parse %-9s (%3zu bytes): %3ld allocations, each failing "
           "cleanly\n",
           cases[k].name, strlen(cases[k].in), n);
  }
}

/* The groupchat case parsed into the old tree of a message of the same
 * shape with other values (muc_xml_parse_reusing): every value is
 * copied again, and each copy failing is reported like a fresh parse's. */
static int op_refill(void *arg)
{
  (void)arg;
  static const char old_text[] =
      "<message from='s@muc/m' type='chat' to='c@d' id='2'><body>old</body>"
      "<subject xml:lang='fr'>x</subject></message>";
  const parse_case *c = &cases[1];
  mxml_node_t *old = NULL, *n = (mxml_node_t *)(uintptr_t)1;
  int rc = muc_xml_parse(&mem, old_text, strlen(old_text), NULL, &old);
  if (rc != MUC_OK)
    return rc;
  rc = muc_xml_parse_reusing(&mem, c->in, strlen(c->in), NULL, old, &n);
  if (rc != MUC_OK) {
    assert_null(n);
    return rc;
  }
  assert_ptr_equal(n, old);
  return done_with(n, c->out);
}

static void test_refill(void **state)
{
  (void)state;
  long n = fail_each(op_refill, NULL);
  printf("refill groupchat: %ld allocations, each failing cleanly\n", n);
}

/* The harness must see mxml's own allocations, not only libmuc's: ten
 * elements take at least a node and a name copy each. */
static void test_counts_mxml(void **state)
{
  (void)state;
  const char *s = "<a><b/><b/><b/><b/><b/><b/><b/><b/><b/></a>";
  mxml_node_t *n = NULL;
  long base = wrapmalloc_live();
  wrapmalloc_reset();
  assert_int_equal(muc_xml_parse(&mem, s, strlen(s), NULL, &n), MUC_OK);
  long count = wrapmalloc_count();
  assert_true(count > 2 * 10);
  assert_true(wrapmalloc_live() >= base + 2 * 10);
  mxmlDelete(n);
  assert_int_equal(wrapmalloc_live(), base);
}

/* ---- writer, copy, builders ---------------------------------------------- */

typedef struct tree_case {
  mxml_node_t *n;
  const char *out; /* what the copy or the tree writes as */
} tree_case;

static mxml_node_t *parse_case_tree(const parse_case *c)
{
  mxml_node_t *n = NULL;
  assert_int_equal(muc_xml_parse(&mem, c->in, strlen(c->in), NULL, &n), MUC_OK);
  return n;
}

static int op_write(void *arg)
{
  const tree_case *t = arg;
  muc_buf b;
  muc_buf_init(&b, &mem);
  int rc = muc_xml_write(&b, t->n);
  if (rc == MUC_OK)
    assert_string_equal(b.data, t->out);
  muc_buf_free(&b);
  return rc;
}

/* fail_each(|op|) over the tree of every stanza. */
static void on_each_tree(op_fn op, const char *what)
{
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    tree_case t = {parse_case_tree(&cases[k]), cases[k].out};
    long n = fail_each(op, &t);
    printf("%s %-9s: %ld allocations, each failing cleanly\n", what,
           cases[k].name, n);
    mxmlDelete(t.n);
  }
}

static void test_write(void **state)
{
  (void)state;
  on_each_tree(op_write, "write");
}

static int op_copy(void *arg)
{
  const tree_case *t = arg;
  mxml_node_t *d = muc_xml_copy(NULL, t->n);
  if (!d)
    return MUC_ERR_NOMEM;
  return done_with(d, t->out);
}

static void test_copy(void **state)
{
  (void)state;
  on_each_tree(op_copy, "copy ");
  /* A subtree whose namespace is declared above it: the copy gets an
   * xmlns of its own, one more attribute to fail. */
  mxml_node_t *p = parse_case_tree(&cases[0]);
  tree_case t = {muc_xml_child(muc_xml_child(p, "x", MUC_USER), "item", NULL),
                 "<item affiliation=\"member\" "
                 "jid=\"hag66@shakespeare.lit/pda\" role=\"participant\" "
                 "xmlns=\"" MUC_USER "\"/>"};
  assert_non_null(t.n);
  fail_each(op_copy, &t);
  mxmlDelete(p);
}

/* A MUC self-presence as the engine builds one. */
static int build(mxml_node_t **out)
{
  mxml_node_t *p = muc_xml_new(NULL, "presence", NULL);
  if (!p)
    return MUC_ERR_NOMEM;
  int rc = muc_xml_set_attr(p, "from", "room@muc/nick");
  mxml_node_t *x = NULL;
  if (rc == MUC_OK && !(x = muc_xml_new(p, "x", MUC_USER)))
    rc = MUC_ERR_NOMEM;
  mxml_node_t *item = NULL;
  if (rc == MUC_OK && !(item = muc_xml_new(x, "item", NULL)))
    rc = MUC_ERR_NOMEM;
  if (rc == MUC_OK)
    rc = muc_xml_set_attr(item, "affiliation", "owner");
  if (rc == MUC_OK && !muc_xml_new_text(item, "reason", NULL, "because"))
    rc = MUC_ERR_NOMEM;
  if (rc == MUC_OK && !muc_xml_new_text(p, "status", NULL, NULL))
    rc = MUC_ERR_NOMEM;
  if (rc == MUC_OK)
    rc = muc_xml_add_text(p, "tail");
  *out = p;
  return rc;
}

static int op_build(void *arg)
{
  (void)arg;
  mxml_node_t *p = NULL;
  int rc = build(&p);
  if (p)
    assert_whole(p); /* a failed step leaves no half-made node behind */
  if (rc == MUC_OK && verifying)
    assert_writes(p, "<presence from=\"room@muc/nick\"><x xmlns=\"" MUC_USER
                     "\"><item affiliation=\"owner\"><reason>because</reason>"
                     "</item></x><status/>tail</presence>");
  mxmlDelete(p);
  return rc;
}

static void test_builders(void **state)
{
  (void)state;
  long n = fail_each(op_build, NULL);
  printf("build presence: %ld allocations, each failing cleanly\n", n);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counts_mxml), cmocka_unit_test(test_parse),
      cmocka_unit_test(test_write),       cmocka_unit_test(test_copy),
      cmocka_unit_test(test_builders),    cmocka_unit_test(test_refill),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
