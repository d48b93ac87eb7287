#define _POSIX_C_SOURCE 200809L
/* The muc#user payload written as bytes (userx.c) is, byte for byte, what
 * the serializer writes for the same elements built as a tree: every
 * combination of present and absent parts, values that need escaping,
 * empty ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "affiliation.h"
#include "userx.h"
#include "xml.h"

static void set(mxml_node_t *el, const char *name, const char *value)
{
  if (value)
    assert_int_equal(muc_xml_set_attr(el, name, value), MUC_OK);
}

/* The tree the bytes stand for, as the tree-building code made it. */
static void tree_item(mxml_node_t *x, const muc_userx_item *it)
{
  mxml_node_t *item = muc_xml_new(x, "item", NULL);
  set(item, "affiliation", muc_affiliation_name(it->aff));
  set(item, "jid", it->jid);
  set(item, "nick", it->nick);
  set(item, "role", it->role);
  if (it->actor_nick || it->actor_jid) {
    mxml_node_t *actor = muc_xml_new(item, "actor", NULL);
    set(actor, "nick", it->actor_nick);
    set(actor, "jid", it->actor_jid);
  }
  if (it->reason) {
    mxml_node_t *r = muc_xml_new(item, "reason", NULL);
    assert_int_equal(muc_xml_add_text(r, it->reason), MUC_OK);
  }
}

static void test_items_as_the_tree_writes_them(void **state)
{
  (void)state;
  static const char *const values[] = {NULL, "", "plain@example.org/r",
                                       "a&b<c>\"d'\te\nf\rg", "caf\xc3\xa9"};
  const size_t nv = sizeof(values) / sizeof(values[0]);
  muc_mem m;
  muc_mem_init(&m, NULL);
  size_t cases = 0;
  for (size_t j = 0; j < nv; j++)
    for (size_t n = 0; n < nv; n++)
      for (size_t an = 0; an < nv; an++)
        for (size_t aj = 0; aj < nv; aj += 2)
          for (size_t r = 0; r < nv; r++) {
            muc_userx_item it = {MUC_AFFIL_MEMBER, "participant", values[j],
                                 values[n],        values[an],    values[aj],
                                 values[r]};
            for (int codes = 0; codes < 2; codes++) {
              mxml_node_t *x = muc_xml_new(NULL, "x", MUC_NS_USER);
              muc_buf want, got;
              muc_buf_init(&want, &m);
              muc_buf_init(&got, &m);
              muc_userx_open(&got);
              if (codes) {
                mxml_node_t *st = muc_xml_new(x, "status", NULL);
                set(st, "code", "110");
                muc_userx_put_status(&got, 110);
              }
              tree_item(x, &it);
              muc_userx_put_item(&got, &it);
              muc_userx_close(&got, 0);
              assert_int_equal(muc_xml_write(&want, x), MUC_OK);
              assert_false(got.oom);
              assert_string_equal(got.data, want.data);
              muc_buf_free(&want);
              muc_buf_free(&got);
              mxmlDelete(x);
              cases++;
            }
          }
  assert_int_equal(cases, 2 * nv * nv * nv * ((nv + 1) / 2) * nv);
  assert_int_equal(m.in_use, 0);
}

static void test_empty_and_copied(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_buf b;
  muc_buf_init(&b, &m);
  muc_userx_open(&b);
  muc_userx_close(&b, 1);
  assert_string_equal(b.data, "<x xmlns=\"" MUC_NS_USER "\"/>");

  /* a <destroy/> copied in: as the tree with the copy writes it */
  mxml_node_t *d = muc_xml_new(NULL, "destroy", MUC_NS_USER);
  set(d, "jid", "other@conference.example.org");
  mxml_node_t *reason = muc_xml_new(d, "reason", NULL);
  assert_int_equal(muc_xml_add_text(reason, "gone & done"), MUC_OK);
  mxml_node_t *x = muc_xml_new(NULL, "x", MUC_NS_USER);
  assert_non_null(muc_xml_copy(x, d));
  muc_buf want;
  muc_buf_init(&want, &m);
  assert_int_equal(muc_xml_write(&want, x), MUC_OK);
  muc_buf_reset(&b);
  muc_userx_open(&b);
  assert_int_equal(muc_userx_put_copy(&b, d), MUC_OK);
  muc_userx_close(&b, 0);
  assert_string_equal(b.data, want.data);
  mxmlDelete(x);
  mxmlDelete(d);
  muc_buf_free(&want);
  muc_buf_free(&b);
  assert_int_equal(m.in_use, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_items_as_the_tree_writes_them),
      cmocka_unit_test(test_empty_and_copied),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
