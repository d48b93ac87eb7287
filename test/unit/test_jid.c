/* Unit tests: jid.c (RFC 7622 splitting, stringprep through libidn, nick
 * preparation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jid.h"
#include "mem.h"

#include "counter.h"

typedef struct fx {
  counter c;
  muc_allocator a;
  muc_mem m;
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
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  int ok = f->m.in_use == 0 && f->c.live == 0;
  if (!ok)
    fprintf(stderr, "leak: in_use=%zu live=%zu\n", f->m.in_use, f->c.live);
  free(f);
  return ok ? 0 : -1;
}

static void check_jid(fx *f, const char *in, const char *node,
                      const char *domain, const char *res, const char *bare,
                      const char *full)
{
  muc_jid j;
  int rc = muc_jid_parse(&f->m, in, &j);
  if (rc != MUC_OK)
    fprintf(stderr, "jid refused (%d): %s\n", rc, in);
  assert_int_equal(rc, MUC_OK);
  if (node)
    assert_string_equal(j.node, node);
  else
    assert_null(j.node);
  assert_string_equal(j.domain, domain);
  if (res)
    assert_string_equal(j.resource, res);
  else
    assert_null(j.resource);
  assert_string_equal(j.bare, bare);
  assert_string_equal(j.full, full);
  muc_jid_clear(&f->m, &j);
  assert_null(j.full);
  assert_null(j.domain);
}

static int jid_rc(fx *f, const char *in)
{
  muc_jid j;
  memset(&j, 0x5A, sizeof(j));
  int rc = muc_jid_parse(&f->m, in, &j);
  if (rc == MUC_OK) {
    muc_jid_clear(&f->m, &j);
  } else {
    /* On failure the jid is zeroed. */
    assert_null(j.node);
    assert_null(j.domain);
    assert_null(j.resource);
    assert_null(j.bare);
    assert_null(j.full);
  }
  return rc;
}

static char *repeat(char c, size_t n, const char *prefix, const char *suffix)
{
  size_t pl = strlen(prefix), sl = strlen(suffix);
  char *s = malloc(pl + n + sl + 1);
  memcpy(s, prefix, pl);
  memset(s + pl, c, n);
  memcpy(s + pl + n, suffix, sl + 1);
  return s;
}

static void test_jid_valid(void **state)
{
  fx *f = *state;
  check_jid(f, "User@LOCALHOST/Res", "user", "localhost", "Res",
            "user@localhost", "user@localhost/Res");
  check_jid(f, "example.com", NULL, "example.com", NULL, "example.com",
            "example.com");
  check_jid(f, "example.com/r", NULL, "example.com", "r", "example.com",
            "example.com/r");
  check_jid(f, "a@example.com", "a", "example.com", NULL, "a@example.com",
            "a@example.com");
  /* The resource is everything after the first '/'. */
  check_jid(f, "a@b/c@d/e", "a", "b", "c@d/e", "a@b", "a@b/c@d/e");
  check_jid(f, "b/c@d", NULL, "b", "c@d", "b", "b/c@d");
  /* One trailing dot names the same domain. */
  check_jid(f, "user@example.com.", "user", "example.com", NULL,
            "user@example.com", "user@example.com");
  check_jid(f, "example.com./x", NULL, "example.com", "x", "example.com",
            "example.com/x");
  /* Stringprep mappings: case folding, ß, soft hyphen mapped to nothing,
   * resource spaces kept, non-ASCII domain. */
  check_jid(f,
            "Stra\xC3\x9F"
            "e@EXAMPLE.com",
            "strasse", "example.com", NULL, "strasse@example.com",
            "strasse@example.com");
  check_jid(f,
            "u\xC2\xAD"
            "ser@d/My Res",
            "user", "d", "My Res", "user@d", "user@d/My Res");
  check_jid(f,
            "\xC3\x89l\xC3\xA8ve@\xC3\x89"
            "COLE.fr",
            "\xC3\xA9l\xC3\xA8ve",
            "\xC3\xA9"
            "cole.fr",
            NULL,
            "\xC3\xA9l\xC3\xA8ve@\xC3\xA9"
            "cole.fr",
            "\xC3\xA9l\xC3\xA8ve@\xC3\xA9"
            "cole.fr");
  check_jid(f, "[::1]", NULL, "[::1]", NULL, "[::1]", "[::1]");
  check_jid(f, "muc_test.localhost", NULL, "muc_test.localhost", NULL,
            "muc_test.localhost", "muc_test.localhost");

  /* 1023 bytes per part is the most allowed. */
  char *s = repeat('n', 1023, "", "@d");
  assert_int_equal(jid_rc(f, s), MUC_OK);
  free(s);
  s = repeat('r', 1023, "d/", "");
  assert_int_equal(jid_rc(f, s), MUC_OK);
  free(s);
}

static void test_jid_invalid(void **state)
{
  fx *f = *state;
  const char *bad[] = {
      "",
      "@d",
      "d/",
      "u@",
      "u@/r",
      "@",
      "/",
      "@/",
      "a b@d",
      "u\"@d",
      "u&@d",
      "u'@d",
      "u:@d",
      "u<@d",
      "u>@d",
      "u@d d",
      "u@a..b",
      "u@.",
      "u@.d",
      ".",
      "u@d<",
      "u@a@b",
      "u@[::1",
      "u@[]",
      "..",
      "d./",
      "d../r",
      "u@d/\xE2\x80\x8E", /* LRM: prohibited in resourceprep */
      "u@d/a\x01",        /* control character */
      "u@d/\x80",         /* invalid UTF-8 */
      "\xED\xA0\x80@d",   /* surrogate */
      "u@\xD8\xA7"
      "a", /* bidi: RAL and L mixed */
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    int rc = jid_rc(f, bad[i]);
    if (rc != MUC_ERR_INVALID_ARG)
      fprintf(stderr, "accepted: '%s'\n", bad[i]);
    assert_int_equal(rc, MUC_ERR_INVALID_ARG);
  }
  /* Over-long parts. */
  char *s = repeat('n', 1024, "", "@d");
  assert_int_equal(jid_rc(f, s), MUC_ERR_INVALID_ARG);
  free(s);
  s = repeat('d', 1024, "", "");
  assert_int_equal(jid_rc(f, s), MUC_ERR_INVALID_ARG);
  free(s);
  s = repeat('r', 1024, "d/", "");
  assert_int_equal(jid_rc(f, s), MUC_ERR_INVALID_ARG);
  free(s);
  /* Within the limit before prep, over it after (U+FDFA expands 3 -> 33
   * bytes). */
  s = malloc(400 * 3 + 3);
  strcpy(s, "d/");
  for (int i = 0; i < 400; i++)
    strcat(s, "\xEF\xB7\xBA");
  assert_int_equal(jid_rc(f, s), MUC_ERR_INVALID_ARG);
  free(s);
  /* A whole megabyte is refused without preparing anything. */
  s = repeat('x', 1 << 20, "", "");
  assert_int_equal(jid_rc(f, s), MUC_ERR_INVALID_ARG);
  free(s);

  muc_jid j;
  assert_int_equal(muc_jid_parse(&f->m, NULL, &j), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_jid_parse(&f->m, "a@b", NULL), MUC_ERR_INVALID_ARG);
  muc_jid_clear(&f->m, NULL);
}

static void test_jid_oom(void **state)
{
  fx *f = *state;
  f->c.fail_at = 0;
  f->c.attempts = 0;
  muc_jid j;
  assert_int_equal(muc_jid_parse(&f->m, "a@b/c", &j), MUC_ERR_NOMEM);
  assert_null(j.full);
  f->c.fail_at = -1;
}

static void test_nick_prep(void **state)
{
  fx *f = *state;
  char *n = NULL;
  assert_int_equal(muc_nick_prep(&f->m, "Nick", 1, 1023, &n), MUC_OK);
  assert_string_equal(n, "Nick"); /* resourceprep keeps case */
  muc_mem_free(&f->m, n);
  /* Whitespace-only nicks are the room's business, not prep's. */
  assert_int_equal(muc_nick_prep(&f->m, "  ", 1, 1023, &n), MUC_OK);
  assert_string_equal(n, "  ");
  muc_mem_free(&f->m, n);
  /* NFKC: U+FB01 (fi ligature) becomes "fi". */
  assert_int_equal(muc_nick_prep(&f->m, "\xEF\xAC\x81x", 1, 1023, &n), MUC_OK);
  assert_string_equal(n, "fix");
  muc_mem_free(&f->m, n);

  /* U+0378 is unassigned: refused when strict (a join), allowed when
   * not (a stored query). */
  assert_int_equal(muc_nick_prep(&f->m, "a\xCD\xB8", 1, 1023, &n),
                   MUC_ERR_INVALID_ARG);
  assert_null(n);
  assert_int_equal(muc_nick_prep(&f->m, "a\xCD\xB8", 0, 1023, &n), MUC_OK);
  assert_string_equal(n, "a\xCD\xB8");
  muc_mem_free(&f->m, n);

  /* Empty, empty after mapping, prohibited, bidi, invalid UTF-8. */
  assert_int_equal(muc_nick_prep(&f->m, "", 0, 1023, &n), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_nick_prep(&f->m, "\xC2\xAD", 0, 1023, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_nick_prep(&f->m, "a\xE2\x80\x8E", 0, 1023, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_nick_prep(&f->m,
                                 "\xD8\xA7"
                                 "a",
                                 0, 1023, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_nick_prep(&f->m, "a\xC0\x80", 0, 1023, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_nick_prep(&f->m, NULL, 0, 1023, &n),
                   MUC_ERR_INVALID_ARG);

  /* Length limit, after preparation: a valid nick that is too long is
   * MUC_ERR_LIMIT, not malformed. */
  assert_int_equal(muc_nick_prep(&f->m, "abcde", 1, 5, &n), MUC_OK);
  muc_mem_free(&f->m, n);
  assert_int_equal(muc_nick_prep(&f->m, "abcdef", 1, 5, &n), MUC_ERR_LIMIT);
  assert_null(n);
  /* U+FDFA is 3 bytes and becomes 33 under NFKC */
  assert_int_equal(muc_nick_prep(&f->m, "\xEF\xB7\xBA", 0, 10, &n),
                   MUC_ERR_LIMIT);
  assert_int_equal(muc_nick_prep(&f->m, "\xEF\xB7\xBA", 0, 33, &n), MUC_OK);
  assert_int_equal(strlen(n), 33);
  muc_mem_free(&f->m, n);
  /* Soft hyphens (U+00AD) map to nothing: 302 bytes in, 2 out, within
   * a limit of 5. */
  char soft[303];
  for (size_t i = 0; i < 300; i += 2)
    memcpy(soft + i, "\xC2\xAD", 2);
  memcpy(soft + 300, "ab", 3);
  assert_int_equal(muc_nick_prep(&f->m, soft, 1, 5, &n), MUC_OK);
  assert_string_equal(n, "ab");
  muc_mem_free(&f->m, n);
  /* A nick is a JID resource: past 1023 bytes it is malformed, whatever
   * the limit (0 means 1023). */
  char *edge = repeat('z', 1023, "", "");
  assert_int_equal(muc_nick_prep(&f->m, edge, 1, 100000, &n), MUC_OK);
  assert_int_equal(strlen(n), 1023);
  muc_mem_free(&f->m, n);
  assert_int_equal(muc_nick_prep(&f->m, edge, 1, 0, &n), MUC_OK);
  muc_mem_free(&f->m, n);
  free(edge);
  char *big = repeat('z', 1024, "", "");
  assert_int_equal(muc_nick_prep(&f->m, big, 1, 100000, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_nick_prep(&f->m, big, 1, 0, &n), MUC_ERR_INVALID_ARG);
  free(big);
  assert_int_equal(muc_nick_prep(&f->m, "\xEF\xB7\xBA", 0, 0, &n), MUC_OK);
  muc_mem_free(&f->m, n);

  f->c.fail_at = 0;
  f->c.attempts = 0;
  assert_int_equal(muc_nick_prep(&f->m, "x", 1, 10, &n), MUC_ERR_NOMEM);
  assert_null(n);
  f->c.fail_at = -1;
}

static void test_bare_of(void **state)
{
  fx *f = *state;
  char *b = muc_jid_bare_of(&f->m, "a@b/c/d");
  assert_string_equal(b, "a@b");
  muc_mem_free(&f->m, b);
  b = muc_jid_bare_of(&f->m, "a@b");
  assert_string_equal(b, "a@b");
  muc_mem_free(&f->m, b);
  b = muc_jid_bare_of(&f->m, "room@muc/nick");
  assert_string_equal(b, "room@muc");
  muc_mem_free(&f->m, b);
  assert_null(muc_jid_bare_of(&f->m, NULL));
}

/* A copy keeps every part, in a block of its own. */
static void test_copy(void **state)
{
  fx *f = *state;
  const char *in[] = {"User@LOCALHOST/Res", "example.com", "example.com/r",
                      "a@example.com", "a@b/c@d/e"};
  for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    muc_jid j, c;
    assert_int_equal(muc_jid_parse(&f->m, in[i], &j), MUC_OK);
    assert_int_equal(muc_jid_copy(&f->m, &j, &c), MUC_OK);
    assert_ptr_not_equal(c.full, j.full);
    assert_string_equal(c.full, j.full);
    assert_string_equal(c.bare, j.bare);
    assert_string_equal(c.domain, j.domain);
    if (j.node)
      assert_string_equal(c.node, j.node);
    else
      assert_null(c.node);
    if (j.resource)
      assert_string_equal(c.resource, j.resource);
    else
      assert_null(c.resource);
    muc_jid_clear(&f->m, &j);
    assert_string_equal(c.bare, i == 0 ? "user@localhost" : c.bare);
    muc_jid_clear(&f->m, &c);
  }
  muc_jid j, c;
  assert_int_equal(muc_jid_parse(&f->m, "a@b/c", &j), MUC_OK);
  f->c.attempts = 0;
  f->c.fail_at = 0;
  assert_int_equal(muc_jid_copy(&f->m, &j, &c), MUC_ERR_NOMEM);
  assert_null(c.full);
  f->c.fail_at = -1;
  muc_jid_clear(&f->m, &j);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_jid_valid), T(test_jid_invalid), T(test_jid_oom),
      T(test_nick_prep), T(test_bare_of),     T(test_copy),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
