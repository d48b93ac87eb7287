/* Unit tests: muc_mem (allocation, accounting), muc_buf (growth, sticky
 * out-of-memory, escaping) and error.c (strings, defaults). */
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
#include "muc/muc.h"

/* A host allocator that counts live blocks and can fail on demand. */
typedef struct counter {
  size_t live;  /* blocks allocated and not yet freed */
  size_t calls; /* successful malloc/realloc calls */
  long fail_at; /* fail the allocation attempt with this index; -1 never */
  long attempts;
} counter;

static int should_fail(counter *c)
{
  return c->fail_at >= 0 && c->attempts++ == c->fail_at;
}

static void *c_malloc(size_t n, void *ud)
{
  counter *c = ud;
  if (should_fail(c))
    return NULL;
  void *p = malloc(n);
  if (p) {
    c->live++;
    c->calls++;
  }
  return p;
}

static void *c_realloc(void *p, size_t n, void *ud)
{
  counter *c = ud;
  if (should_fail(c))
    return NULL;
  void *q = realloc(p, n);
  if (q) {
    if (!p)
      c->live++;
    c->calls++;
  }
  return q;
}

static void c_free(void *p, void *ud)
{
  counter *c = ud;
  if (p)
    c->live--;
  free(p);
}

static void counting_mem(muc_mem *m, counter *c, muc_allocator *a)
{
  memset(c, 0, sizeof(*c));
  c->fail_at = -1;
  a->malloc = c_malloc;
  a->realloc = c_realloc;
  a->free = c_free;
  a->user_data = c;
  muc_mem_init(m, a);
}

/* ---- muc_mem ---------------------------------------------------------- */

static void test_mem_libc_default(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  assert_non_null(m.a.malloc);
  assert_non_null(m.a.realloc);
  assert_non_null(m.a.free);
  char *p = muc_mem_malloc(&m, 10);
  assert_non_null(p);
  assert_int_equal(m.in_use, 10);
  muc_mem_free(&m, p);
  assert_int_equal(m.in_use, 0);
  assert_int_equal(m.peak, 10);
}

static void test_mem_incomplete_allocator_falls_back(void **state)
{
  (void)state;
  counter c;
  muc_allocator a;
  muc_mem m;
  counting_mem(&m, &c, &a);
  a.free = NULL;
  muc_mem_init(&m, &a);
  void *p = muc_mem_malloc(&m, 8);
  assert_non_null(p);
  assert_int_equal(c.calls, 0); /* libc, not the half-given hooks */
  muc_mem_free(&m, p);
}

static void test_mem_accounting(void **state)
{
  (void)state;
  counter c;
  muc_allocator a;
  muc_mem m;
  counting_mem(&m, &c, &a);

  char *p = muc_mem_malloc(&m, 100);
  char *q = muc_mem_malloc(&m, 50);
  assert_int_equal(m.in_use, 150);
  assert_int_equal(m.peak, 150);
  assert_int_equal(c.live, 2);
  muc_mem_free(&m, p);
  assert_int_equal(m.in_use, 50);
  q = muc_mem_realloc(&m, q, 500);
  assert_non_null(q);
  assert_int_equal(m.in_use, 500);
  assert_int_equal(m.peak, 500);
  q = muc_mem_realloc(&m, q, 5);
  assert_int_equal(m.in_use, 5);
  assert_int_equal(m.peak, 500);
  muc_mem_free(&m, q);
  muc_mem_free(&m, NULL);
  assert_int_equal(m.in_use, 0);
  assert_int_equal(c.live, 0);
}

static void test_mem_alignment_and_zero(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  for (size_t n = 0; n < 40; n++) {
    void *p = muc_mem_malloc(&m, n);
    assert_non_null(p); /* n == 0 gives a valid pointer too */
    /* what libmuc stores needs 8 (mem.c's header is one word) */
    assert_int_equal((uintptr_t)p % _Alignof(uint64_t), 0);
    assert_int_equal((uintptr_t)p % _Alignof(void *), 0);
    muc_mem_free(&m, p);
  }
  void *z = muc_mem_realloc(&m, NULL, 0);
  assert_non_null(z);
  muc_mem_free(&m, z);
  assert_int_equal(m.in_use, 0);
}

static void test_mem_calloc(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  unsigned char *p = muc_mem_calloc(&m, 16, 4);
  assert_non_null(p);
  for (size_t i = 0; i < 64; i++)
    assert_int_equal(p[i], 0);
  assert_int_equal(m.in_use, 64);
  muc_mem_free(&m, p);
  assert_null(muc_mem_calloc(&m, SIZE_MAX / 2, 4)); /* overflow */
  assert_null(muc_mem_malloc(&m, SIZE_MAX));
  assert_int_equal(m.in_use, 0);
}

static void test_mem_realloc_failure_keeps_block(void **state)
{
  (void)state;
  counter c;
  muc_allocator a;
  muc_mem m;
  counting_mem(&m, &c, &a);
  char *p = muc_mem_malloc(&m, 4);
  memcpy(p, "abc", 4);
  c.fail_at = c.attempts; /* the next attempt fails */
  assert_null(muc_mem_realloc(&m, p, 4096));
  assert_int_equal(m.in_use, 4);
  assert_string_equal(p, "abc");
  muc_mem_free(&m, p);
  assert_int_equal(c.live, 0);
  assert_int_equal(m.in_use, 0);
}

static void test_mem_strdup(void **state)
{
  (void)state;
  counter c;
  muc_allocator a;
  muc_mem m;
  counting_mem(&m, &c, &a);
  char *s = muc_mem_strdup(&m, "hello");
  assert_string_equal(s, "hello");
  assert_int_equal(m.in_use, 6);
  char *t = muc_mem_strndup(&m, "hello", 3);
  assert_string_equal(t, "hel");
  char *u = muc_mem_strndup(&m, "hi", 10); /* stops at the NUL */
  assert_string_equal(u, "hi");
  assert_null(muc_mem_strdup(&m, NULL));
  muc_mem_free(&m, s);
  muc_mem_free(&m, t);
  muc_mem_free(&m, u);
  c.fail_at = c.attempts;
  assert_null(muc_mem_strdup(&m, "x"));
  assert_int_equal(m.in_use, 0);
  assert_int_equal(c.live, 0);
}

/* ---- muc_buf ---------------------------------------------------------- */

static void test_buf_append(void **state)
{
  (void)state;
  counter c;
  muc_allocator a;
  muc_mem m;
  counting_mem(&m, &c, &a);
  muc_buf b;
  muc_buf_init(&b, &m);
  assert_null(b.data);
  assert_int_equal(muc_buf_append(&b, "", 0), MUC_OK);
  assert_non_null(b.data);
  assert_string_equal(b.data, "");
  assert_int_equal(muc_buf_puts(&b, "abc"), MUC_OK);
  assert_int_equal(muc_buf_putc(&b, 'd'), MUC_OK);
  assert_int_equal(muc_buf_append(&b, "efgh", 2), MUC_OK);
  assert_string_equal(b.data, "abcdef");
  assert_int_equal(b.len, 6);
  /* Growth well past the first chunk, contents intact. */
  for (int i = 0; i < 1000; i++)
    muc_buf_puts(&b, "0123456789");
  assert_int_equal(b.len, 10006);
  assert_int_equal(strlen(b.data), 10006);
  assert_memory_equal(b.data + 9996, "0123456789", 10);
  size_t cap = b.cap;
  muc_buf_reset(&b);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, cap);
  assert_string_equal(b.data, "");
  muc_buf_free(&b);
  assert_null(b.data);
  assert_int_equal(m.in_use, 0);
  assert_int_equal(c.live, 0);
}

static void test_buf_sticky_oom(void **state)
{
  (void)state;
  counter c;
  muc_allocator a;
  muc_mem m;
  counting_mem(&m, &c, &a);
  muc_buf b;
  muc_buf_init(&b, &m);
  muc_buf_puts(&b, "abc");
  c.fail_at = c.attempts;
  char big[200];
  memset(big, 'x', sizeof(big));
  assert_int_equal(muc_buf_append(&b, big, sizeof(big)), MUC_ERR_NOMEM);
  assert_true(b.oom);
  /* Sticky: even a small append that would fit now fails, so the result
   * is never silently missing a piece. */
  assert_int_equal(muc_buf_putc(&b, 'd'), MUC_ERR_NOMEM);
  assert_string_equal(b.data, "abc");
  assert_int_equal(muc_buf_append_escaped(&b, "<", 1, 0), MUC_ERR_NOMEM);
  muc_buf_reset(&b);
  assert_false(b.oom);
  assert_int_equal(muc_buf_puts(&b, "ok"), MUC_OK);
  assert_string_equal(b.data, "ok");
  muc_buf_free(&b);
  assert_int_equal(c.live, 0);
  assert_int_equal(m.in_use, 0);
}

static void test_buf_escape(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_buf b;
  muc_buf_init(&b, &m);
  const char *in = "a&b<c>d\"e'f\tg\nh\ri";
  assert_int_equal(muc_buf_append_escaped(&b, in, strlen(in), 0), MUC_OK);
  assert_string_equal(b.data, "a&amp;b&lt;c&gt;d&quot;e'f\tg\nh&#13;i");
  muc_buf_reset(&b);
  assert_int_equal(muc_buf_append_escaped(&b, in, strlen(in), 1), MUC_OK);
  assert_string_equal(b.data, "a&amp;b&lt;c&gt;d&quot;e'f&#9;g&#10;h&#13;i");
  muc_buf_reset(&b);
  /* |n| is honoured: embedded bytes after it are not read. */
  assert_int_equal(muc_buf_append_escaped(&b, "<<<", 1, 1), MUC_OK);
  assert_string_equal(b.data, "&lt;");
  muc_buf_reset(&b);
  assert_int_equal(muc_buf_append_escaped(&b, "plain", 5, 1), MUC_OK);
  assert_string_equal(b.data, "plain");
  muc_buf_free(&b);
  assert_int_equal(m.in_use, 0);
}

/* ---- error.c ------------------------------------------------------------ */

static void test_strerror_and_fatal(void **state)
{
  (void)state;
  const int codes[] = {MUC_OK,
                       MUC_ERR_INVALID_ARG,
                       MUC_ERR_BAD_STANZA,
                       MUC_ERR_LIMIT,
                       MUC_ERR_STORAGE,
                       MUC_ERR_NOT_FOUND,
                       MUC_ERR_NOT_MINE,
                       MUC_ERR_FATAL,
                       MUC_ERR_NOMEM,
                       MUC_ERR_CALLBACK_FAILURE,
                       12345,
                       -99999};
  for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
    const char *s = muc_strerror(codes[i]);
    assert_non_null(s);
    assert_true(strlen(s) > 0);
  }
  assert_string_equal(muc_strerror(MUC_ERR_NOMEM), "out of memory");
  assert_false(muc_error_is_fatal(MUC_OK));
  assert_false(muc_error_is_fatal(MUC_ERR_BAD_STANZA));
  assert_false(muc_error_is_fatal(MUC_ERR_NOT_MINE));
  assert_true(muc_error_is_fatal(MUC_ERR_FATAL));
  assert_true(muc_error_is_fatal(MUC_ERR_NOMEM));
  assert_false(muc_error_is_fatal(MUC_ERR_CALLBACK_FAILURE));
  assert_false(muc_error_is_fatal(MUC_ERR_IN_CALLBACK));
  assert_string_equal(muc_version(), MUC_VERSION);
  assert_int_equal(muc_version_num(), MUC_VERSION_NUM);
}

static void test_config_default(void **state)
{
  (void)state;
  muc_config cfg;
  memset(&cfg, 0xAB, sizeof(cfg));
  muc_config_default(&cfg);
  assert_int_equal(cfg.room_presence_broadcast, 0xE);
  assert_int_equal(cfg.room_allow_pm, MUC_PM_ANYONE);
  assert_int_equal(cfg.room_history_length, 20);
  assert_int_equal(cfg.room_lock_new, 1);
  assert_int_equal(cfg.room_lock_timeout_ms, 300000);
  assert_int_equal(cfg.room_whois, MUC_WHOIS_MODERATORS);
  assert_int_equal(cfg.room_persistent, 0);
  assert_int_equal(cfg.room_public, 0);
  assert_int_equal(cfg.room_members_only, 0);
  assert_int_equal(cfg.room_moderated, 0);
  assert_int_equal(cfg.room_allow_invites, 0);
  assert_int_equal(cfg.room_change_subject, 0);
  assert_int_equal(cfg.room_max_users, 0);
  assert_int_equal(cfg.room_allow_unaffiliated_register, 0);
  assert_int_equal(cfg.max_stanza_bytes, 65536);
  assert_int_equal(cfg.max_depth, 32);
  assert_int_equal(cfg.max_attrs, 64);
  assert_int_equal(cfg.max_children, 512);
  assert_int_equal(cfg.max_rooms, 100000);
  assert_int_equal(cfg.max_rooms_per_creator, 100);
  assert_int_equal(cfg.max_occupants_per_room, 1000);
  assert_int_equal(cfg.max_sessions_per_occupant, 16);
  assert_int_equal(cfg.max_affiliations_per_room, 10000);
  assert_int_equal(cfg.max_history, 100);
  assert_int_equal(cfg.max_history_bytes, 262144);
  assert_int_equal(cfg.max_nick_bytes, 256);
  assert_int_equal(cfg.max_subject_bytes, 4096);
  assert_int_equal(cfg.max_reason_bytes, 1024);
  assert_int_equal(cfg.max_room_name_bytes, 256);
  assert_int_equal(cfg.max_password_bytes, 256);
  assert_int_equal(cfg.max_form_value_bytes, 4096);
  assert_int_equal(cfg.max_pending_stanzas, 64);
  muc_config_default(NULL); /* harmless */
}

/* ---- muc_buf_put_u64: what printf's %llu writes ------------------------ */

static void test_put_u64(void **state)
{
  (void)state;
  static const unsigned long long values[] = {
      0, 1, 9, 10, 99, 100, 4294967295ull, 1767225600000ull, UINT64_MAX};
  muc_mem mem;
  muc_mem_init(&mem, NULL);
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    muc_buf b;
    muc_buf_init(&b, &mem);
    char want[24];
    snprintf(want, sizeof(want), "%llu", values[i]);
    assert_int_equal(muc_buf_put_u64(&b, values[i]), MUC_OK);
    assert_string_equal(b.data, want);
    muc_buf_free(&b);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_put_u64),
      cmocka_unit_test(test_mem_libc_default),
      cmocka_unit_test(test_mem_incomplete_allocator_falls_back),
      cmocka_unit_test(test_mem_accounting),
      cmocka_unit_test(test_mem_alignment_and_zero),
      cmocka_unit_test(test_mem_calloc),
      cmocka_unit_test(test_mem_realloc_failure_keeps_block),
      cmocka_unit_test(test_mem_strdup),
      cmocka_unit_test(test_buf_append),
      cmocka_unit_test(test_buf_sticky_oom),
      cmocka_unit_test(test_buf_escape),
      cmocka_unit_test(test_strerror_and_fatal),
      cmocka_unit_test(test_config_default),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
