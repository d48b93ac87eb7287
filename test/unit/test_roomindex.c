/* The compact index of stored rooms (roomindex.c): pairs found, replaced,
 * removed, iterated in order; the text packed when half of it is dead,
 * every byte given back when it is empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "roomindex.h"

/* The name of |node| as the iteration finds it (NULL: absent); the
 * count of live pairs into *|n|. */
static const char *lookup(const muc_roomindex *x, const char *want, size_t *n)
{
  size_t pos = 0;
  const char *node, *name, *found = NULL;
  *n = 0;
  while (muc_roomindex_next(x, &pos, &node, &name)) {
    ++*n;
    if (strcmp(node, want) == 0) {
      assert_null(found); /* once only */
      found = name;
    }
  }
  return found;
}

static void test_put_replace_del(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_roomindex x = {0};
  size_t n;
  assert_int_equal(muc_roomindex_put(&m, &x, "a", "Room A"), MUC_OK);
  assert_int_equal(muc_roomindex_put(&m, &x, "b", NULL), MUC_OK);
  assert_string_equal(lookup(&x, "a", &n), "Room A");
  assert_string_equal(lookup(&x, "b", &n), "");
  assert_int_equal(n, 2);
  assert_int_equal(muc_roomindex_put(&m, &x, "a", "Renamed"), MUC_OK);
  assert_string_equal(lookup(&x, "a", &n), "Renamed");
  assert_int_equal(n, 2);
  assert_int_equal(x.count, 2);
  muc_roomindex_del(&m, &x, "a");
  muc_roomindex_del(&m, &x, "zzz"); /* absent: nothing */
  assert_null(lookup(&x, "a", &n));
  assert_int_equal(n, 1);
  muc_roomindex_del(&m, &x, "b");
  assert_int_equal(x.count, 0);
  assert_int_equal(m.in_use, 0); /* empty: everything given back */
}

static void test_many_and_pack(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_roomindex x = {0};
  char node[32], name[32];
  const size_t total = 20000;
  for (size_t i = 0; i < total; i++) {
    snprintf(node, sizeof node, "room%zu", i);
    snprintf(name, sizeof name, "Room number %zu", i);
    assert_int_equal(muc_roomindex_put(&m, &x, node, name), MUC_OK);
  }
  size_t full = m.in_use, n;
  /* its strings, an eighth of slack, 4-byte slots at 3/8..3/4 */
  assert_true(full < total * (27 + 27 / 8 + 11));
  for (size_t i = 0; i < total; i += 4) {
    snprintf(node, sizeof node, "room%zu", i + 1);
    muc_roomindex_del(&m, &x, node);
    snprintf(node, sizeof node, "room%zu", i + 2);
    muc_roomindex_del(&m, &x, node);
    snprintf(node, sizeof node, "room%zu", i + 3);
    muc_roomindex_del(&m, &x, node);
  }
  assert_int_equal(x.count, total / 4);
  assert_true(x.dead * 2 <= x.len); /* packed on the way */
  assert_true(m.in_use < full);
  assert_string_equal(lookup(&x, "room400", &n), "Room number 400");
  assert_int_equal(n, total / 4);
  assert_null(lookup(&x, "room401", &n));
  /* in order of insertion */
  size_t pos = 0, last = 0, seen = 0;
  const char *nd, *nm;
  while (muc_roomindex_next(&x, &pos, &nd, &nm)) {
    size_t i = (size_t)strtoul(nd + 4, NULL, 10);
    assert_true(seen == 0 || i > last);
    last = i;
    seen++;
  }
  muc_roomindex_free(&m, &x);
  assert_int_equal(m.in_use, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_put_replace_del),
      cmocka_unit_test(test_many_and_pack),
  };
  return cmocka_run_group_tests_name("roomindex", tests, NULL, NULL);
}
