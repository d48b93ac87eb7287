/* Unit tests: form.c (XEP-0004 parsing and builders). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "form.h"
#include "mem.h"
#include "xml.h"

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

static mxml_node_t *parse(fx *f, const char *s)
{
  mxml_node_t *n = NULL;
  assert_int_equal(muc_xml_parse(&f->m, s, strlen(s), NULL, &n), MUC_OK);
  return n;
}

static const char *write_str(fx *f, const mxml_node_t *n)
{
  muc_buf_reset(&f->b);
  assert_int_equal(muc_xml_write(&f->b, n), MUC_OK);
  return f->b.data;
}

static const char *submit_iq =
    "<iq type='set' id='c1'>"
    "<query xmlns='http://jabber.org/protocol/muc#owner'>"
    "<x xmlns='jabber:x:data' type='submit'>"
    "<field var='FORM_TYPE'>"
    "<value>http://jabber.org/protocol/muc#roomconfig</value></field>"
    "<field var='muc#roomconfig_roomname'><value>A &amp; B</value></field>"
    "<field var='muc#roomconfig_roomadmins' type='jid-multi'>"
    "<value>wiccarocks@shakespeare.lit</value>"
    "<value>hecate@shakespeare.lit</value></field>"
    "<field var='muc#roomconfig_persistentroom'><value>1</value></field>"
    "<field var='empty'><value/></field>"
    "<field var='novalue'/>"
    "<field type='fixed'><value>no var: skipped</value></field>"
    "<field var='nested'><desc>d</desc><value>v</value><x><value>no</value>"
    "</x></field>"
    "</x></query></iq>";

static void test_parse_submit(void **state)
{
  fx *f = *state;
  mxml_node_t *iq = parse(f, submit_iq);
  mxml_node_t *x =
      muc_xml_child(muc_xml_child(iq, "query", MUC_NS_OWNER), "x", MUC_NS_DATA);
  assert_non_null(x);
  muc_form *form = NULL;
  assert_int_equal(muc_form_parse(&f->m, x, &form), MUC_OK);
  assert_non_null(form);
  assert_string_equal(form->type, "submit");
  assert_string_equal(form->form_type,
                      "http://jabber.org/protocol/muc#roomconfig");
  assert_int_equal(form->nfields, 7);
  assert_string_equal(muc_form_value(form, "muc#roomconfig_roomname"), "A & B");
  const muc_form_field *admins =
      muc_form_get(form, "muc#roomconfig_roomadmins");
  assert_non_null(admins);
  assert_string_equal(admins->type, "jid-multi");
  assert_int_equal(admins->nvalues, 2);
  assert_string_equal(admins->values[0], "wiccarocks@shakespeare.lit");
  assert_string_equal(admins->values[1], "hecate@shakespeare.lit");
  assert_int_equal(muc_form_parse_bool(
                       muc_form_value(form, "muc#roomconfig_persistentroom")),
                   1);
  assert_string_equal(muc_form_value(form, "empty"), "");
  assert_non_null(muc_form_get(form, "novalue"));
  assert_null(muc_form_get(form, "novalue")->type);
  assert_null(muc_form_value(form, "novalue"));
  /* Only direct <value/> children count. */
  const muc_form_field *nested = muc_form_get(form, "nested");
  assert_int_equal(nested->nvalues, 1);
  assert_string_equal(nested->values[0], "v");
  assert_null(muc_form_get(form, "absent"));
  assert_null(muc_form_value(form, "absent"));
  assert_null(muc_form_get(form, NULL));
  assert_null(muc_form_get(NULL, "x"));
  muc_form_free(&f->m, form);
  muc_form_free(&f->m, NULL);
  mxmlDelete(iq);
}

static int parse_rc(fx *f, const char *s)
{
  mxml_node_t *n = parse(f, s);
  muc_form *form = (muc_form *)(void *)n; /* must be overwritten */
  int rc = muc_form_parse(&f->m, n, &form);
  if (rc == MUC_OK)
    muc_form_free(&f->m, form);
  else
    assert_null(form);
  mxmlDelete(n);
  return rc;
}

static void test_parse_refused(void **state)
{
  fx *f = *state;
  /* A field given twice. */
  assert_int_equal(parse_rc(f, "<x xmlns='jabber:x:data' type='submit'>"
                               "<field var='a'><value>1</value></field>"
                               "<field var='b'/>"
                               "<field var='a'><value>2</value></field></x>"),
                   MUC_ERR_BAD_STANZA);
  /* Missing or unknown type. */
  assert_int_equal(parse_rc(f, "<x xmlns='jabber:x:data'/>"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(parse_rc(f, "<x xmlns='jabber:x:data' type='bogus'/>"),
                   MUC_ERR_BAD_STANZA);
  /* Not a data form. */
  assert_int_equal(parse_rc(f, "<x type='submit'/>"), MUC_ERR_BAD_STANZA);
  assert_int_equal(parse_rc(f, "<x xmlns='urn:other' type='submit'/>"),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(parse_rc(f, "<y xmlns='jabber:x:data' type='submit'/>"),
                   MUC_ERR_BAD_STANZA);
  /* Accepted: every legal type, no fields, a prefixed form. */
  assert_int_equal(parse_rc(f, "<x xmlns='jabber:x:data' type='cancel'/>"),
                   MUC_OK);
  assert_int_equal(parse_rc(f, "<x xmlns='jabber:x:data' type='form'/>"),
                   MUC_OK);
  assert_int_equal(parse_rc(f, "<x xmlns='jabber:x:data' type='result'/>"),
                   MUC_OK);
  assert_int_equal(parse_rc(f, "<d:x xmlns:d='jabber:x:data' type='submit'>"
                               "<d:field var='a'><d:value>1</d:value></d:field>"
                               "<field var='b'/></d:x>"),
                   MUC_OK);
  /* Fields outside the namespace are not the form's. */
  mxml_node_t *n = parse(f, "<d:x xmlns:d='jabber:x:data' type='submit'>"
                            "<d:field var='a'><d:value>1</d:value>"
                            "<value>2</value></d:field>"
                            "<field var='a'/></d:x>");
  muc_form *form = NULL;
  assert_int_equal(muc_form_parse(&f->m, n, &form), MUC_OK);
  assert_int_equal(form->nfields, 1);
  assert_int_equal(form->fields[0].nvalues, 1);
  assert_null(form->form_type);
  muc_form_free(&f->m, form);
  mxmlDelete(n);

  assert_int_equal(muc_form_parse(&f->m, NULL, &form), MUC_ERR_INVALID_ARG);
  assert_null(form);
}

static void test_parse_oom(void **state)
{
  fx *f = *state;
  mxml_node_t *iq = parse(f, submit_iq);
  mxml_node_t *x =
      muc_xml_child(muc_xml_child(iq, "query", NULL), "x", MUC_NS_DATA);
  int saw_nomem = 0;
  for (long i = 0;; i++) {
    f->c.attempts = 0;
    f->c.fail_at = i;
    muc_form *form = NULL;
    int rc = muc_form_parse(&f->m, x, &form);
    f->c.fail_at = -1;
    if (rc == MUC_OK) {
      muc_form_free(&f->m, form);
      break;
    }
    assert_int_equal(rc, MUC_ERR_NOMEM);
    assert_null(form);
    assert_int_equal(f->m.in_use, 0);
    assert_int_equal(f->c.live, 0);
    saw_nomem = 1;
  }
  assert_true(saw_nomem);
  mxmlDelete(iq);
}

static void test_parse_bool(void **state)
{
  (void)state;
  assert_int_equal(muc_form_parse_bool("1"), 1);
  assert_int_equal(muc_form_parse_bool("true"), 1);
  assert_int_equal(muc_form_parse_bool("0"), 0);
  assert_int_equal(muc_form_parse_bool("false"), 0);
  assert_int_equal(muc_form_parse_bool("TRUE"), -1);
  assert_int_equal(muc_form_parse_bool("yes"), -1);
  assert_int_equal(muc_form_parse_bool(""), -1);
  assert_int_equal(muc_form_parse_bool(" 1"), -1);
  assert_int_equal(muc_form_parse_bool(NULL), -1);
}

static void test_builders(void **state)
{
  fx *f = *state;
  mxml_node_t *q = muc_xml_new(NULL, "query", MUC_NS_OWNER);
  mxml_node_t *x =
      muc_form_new(q, "form", "Configuration for <room>", "Fill & submit");
  assert_non_null(x);
  assert_non_null(muc_form_add_form_type(x, MUC_NS_ROOMCONFIG));
  mxml_node_t *fl = muc_form_add_field(x, "muc#roomconfig_roomname",
                                       "text-single", "Room Name");
  assert_int_equal(muc_form_add_value(fl, "The \"Room\""), MUC_OK);
  assert_int_equal(muc_form_add_desc(fl, "A name"), MUC_OK);
  assert_int_equal(muc_form_set_required(fl), MUC_OK);
  assert_int_equal(muc_form_set_required(fl), MUC_OK); /* only once */
  mxml_node_t *wh =
      muc_form_add_field(x, "muc#roomconfig_whois", "list-single", NULL);
  assert_int_equal(muc_form_add_option(wh, "Moderators", "moderators"), MUC_OK);
  assert_int_equal(muc_form_add_option(wh, NULL, "anyone"), MUC_OK);
  assert_int_equal(muc_form_add_value(wh, ""), MUC_OK);
  assert_non_null(muc_form_add_field(x, NULL, "fixed", NULL));

  assert_string_equal(
      write_str(f, q),
      "<query xmlns=\"http://jabber.org/protocol/muc#owner\">"
      "<x xmlns=\"jabber:x:data\" type=\"form\">"
      "<title>Configuration for &lt;room&gt;</title>"
      "<instructions>Fill &amp; submit</instructions>"
      "<field var=\"FORM_TYPE\" type=\"hidden\">"
      "<value>http://jabber.org/protocol/muc#roomconfig</value></field>"
      "<field var=\"muc#roomconfig_roomname\" type=\"text-single\" "
      "label=\"Room Name\"><value>The &quot;Room&quot;</value>"
      "<desc>A name</desc><required/></field>"
      "<field var=\"muc#roomconfig_whois\" type=\"list-single\">"
      "<option label=\"Moderators\"><value>moderators</value></option>"
      "<option><value>anyone</value></option><value/></field>"
      "<field type=\"fixed\"/></x></query>");

  /* What the builders make, the parser reads back. */
  muc_form *form = NULL;
  assert_int_equal(muc_form_parse(&f->m, x, &form), MUC_OK);
  assert_string_equal(form->type, "form");
  assert_string_equal(form->form_type, MUC_NS_ROOMCONFIG);
  assert_int_equal(form->nfields, 3);
  assert_string_equal(muc_form_value(form, "muc#roomconfig_roomname"),
                      "The \"Room\"");
  /* <option><value/> is not a value of the field. */
  assert_int_equal(muc_form_get(form, "muc#roomconfig_whois")->nvalues, 1);
  muc_form_free(&f->m, form);
  mxmlDelete(q);

  mxml_node_t *bare = muc_form_new(NULL, "submit", NULL, NULL);
  assert_string_equal(write_str(f, bare),
                      "<x xmlns=\"jabber:x:data\" type=\"submit\"/>");
  mxmlDelete(bare);
  assert_null(muc_form_add_field(NULL, "a", NULL, NULL));
  assert_int_equal(muc_form_add_value(NULL, "v"), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_form_add_option(NULL, "l", "v"), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_form_set_required(NULL), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_form_add_desc(NULL, "d"), MUC_ERR_INVALID_ARG);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_parse_submit), T(test_parse_refused), T(test_parse_oom),
      T(test_parse_bool),   T(test_builders),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
