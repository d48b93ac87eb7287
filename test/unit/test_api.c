#define _POSIX_C_SOURCE 200809L
/* One test per public function of muc.h and muc_mxml.h: its documented
 * return codes, NULL handling and ownership rules.  Behaviour in depth is
 * in the other unit tests and the scenarios. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"

#define ROOM "room@conference.localhost"
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"

static int ok_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to;
  (void)xml;
  (void)len;
  (void)ud;
  return 0;
}

static int ok_tree(const mxml_node_t *st, void *ud)
{
  (void)st;
  (void)ud;
  return 0;
}

static uint64_t zero_now(void *ud)
{
  (void)ud;
  return 0;
}

static void join(fakehost *h, const char *user, const char *room,
                 const char *nick)
{
  assert_int_equal(
      fakehost_xml(h, "<presence from='%s' to='%s/%s'>" MUCX "</presence>",
                   user, room, nick),
      MUC_OK);
}

static void test_strerror(void **state)
{
  (void)state;
  static const int codes[] = {MUC_OK,
                              MUC_ERR_INVALID_ARG,
                              MUC_ERR_BAD_STANZA,
                              MUC_ERR_LIMIT,
                              MUC_ERR_STORAGE,
                              MUC_ERR_NOT_FOUND,
                              MUC_ERR_NOT_MINE,
                              MUC_ERR_CALLBACK_FAILURE,
                              MUC_ERR_IN_CALLBACK,
                              MUC_ERR_FATAL,
                              MUC_ERR_NOMEM};
  for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
    const char *s = muc_strerror(codes[i]);
    assert_non_null(s);
    assert_string_not_equal(s, "unknown error");
    for (size_t j = 0; j < i; j++)
      assert_string_not_equal(s, muc_strerror(codes[j]));
  }
  assert_string_equal(muc_strerror(12345), "unknown error");
}

static void test_error_is_fatal(void **state)
{
  (void)state;
  assert_false(muc_error_is_fatal(MUC_OK));
  assert_false(muc_error_is_fatal(MUC_ERR_CALLBACK_FAILURE));
  assert_false(muc_error_is_fatal(MUC_ERR_IN_CALLBACK));
  assert_true(muc_error_is_fatal(MUC_ERR_NOMEM));
  assert_true(muc_error_is_fatal(MUC_ERR_FATAL));
}

static void test_version(void **state)
{
  (void)state;
  assert_string_equal(muc_version(), MUC_VERSION);
  assert_true(muc_version_num() >= MUC_VERSION_NUM);
  char want[32];
  snprintf(want, sizeof(want), "%u.%u.%u", (muc_version_num() >> 16) & 0xFF,
           (muc_version_num() >> 8) & 0xFF, muc_version_num() & 0xFF);
  assert_string_equal(muc_version(), want);
}

static void test_config_default_versioned(void **state)
{
  (void)state;
  /* only the caller's version's bytes are written */
  unsigned char buf[sizeof(muc_config) + 16];
  memset(buf, 0x5A, sizeof(buf));
  assert_int_equal(
      muc_config_default_versioned(MUC_CONFIG_V1, (muc_config *)(void *)buf),
      MUC_OK);
  /* V1's fields end where store_history (V2) begins, inside what was
   * V1's tail padding */
  for (size_t i = offsetof(muc_config, store_history); i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0x5A);
  assert_int_equal(
      muc_config_default_versioned(MUC_CONFIG_V2, (muc_config *)(void *)buf),
      MUC_OK);
  assert_int_equal(((muc_config *)(void *)buf)->store_history, 1);
  /* V2's end where hibernate_idle_ms (V3) begins */
  for (size_t i = offsetof(muc_config, hibernate_idle_ms); i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0x5A);
  assert_int_equal(
      muc_config_default_versioned(MUC_CONFIG_V3, (muc_config *)(void *)buf),
      MUC_OK);
  assert_int_equal(((muc_config *)(void *)buf)->hibernate_idle_ms, 0);
  assert_int_equal(((muc_config *)(void *)buf)->evict_at_max_rooms, 1);
  assert_int_equal(((muc_config *)(void *)buf)->store_room_list, 0);
  /* V3's end where room_archiving (V4) begins */
  for (size_t i = offsetof(muc_config, room_archiving); i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0x5A);
  assert_int_equal(
      muc_config_default_versioned(MUC_CONFIG_V4, (muc_config *)(void *)buf),
      MUC_OK);
  assert_int_equal(((muc_config *)(void *)buf)->room_archiving, 1);
  assert_int_equal(((muc_config *)(void *)buf)->max_archive_page, 50);
  for (size_t i = sizeof(muc_config); i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0x5A);
  assert_int_equal(muc_config_default_versioned(0, (muc_config *)(void *)buf),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_config_default_versioned(99, (muc_config *)(void *)buf),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_config_default_versioned(MUC_CONFIG_V1, NULL),
                   MUC_ERR_INVALID_ARG);
}

static void test_service_new_versioned(void **state)
{
  (void)state;
  muc_callbacks cb = {0};
  cb.send_bytes = ok_send;
  cb.now = zero_now;
  muc_service *svc = (muc_service *)&cb;
  assert_int_equal(muc_service_new_versioned(&svc, "c.localhost", 2, &cb,
                                             MUC_CONFIG_V1, NULL, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_null(svc);
  assert_int_equal(muc_service_new_versioned(&svc, "c.localhost",
                                             MUC_CALLBACKS_V1, &cb, 7, NULL,
                                             NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  cb.send_bytes = NULL; /* required without a tree sender */
  assert_int_equal(muc_service_new(&svc, "c.localhost", &cb, NULL, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  cb.send_bytes = ok_send;
  cb.now = NULL;
  assert_int_equal(muc_service_new(&svc, "c.localhost", &cb, NULL, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  cb.now = zero_now;
  muc_allocator half = {NULL, NULL, NULL, NULL};
  assert_int_equal(muc_service_new(&svc, "c.localhost", &cb, NULL, &half, NULL),
                   MUC_ERR_INVALID_ARG);
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_archive_page = 0; /* may not be 0 */
  assert_int_equal(muc_service_new(&svc, "c.localhost", &cb, &cfg, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  muc_config_default(&cfg);
  cfg.max_pending_stanzas = 0;
  assert_int_equal(muc_service_new(&svc, "c.localhost", &cb, &cfg, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_new(&svc, NULL, &cb, NULL, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_new(&svc, "C.LocalHost", &cb, NULL, NULL, NULL),
                   MUC_OK);
  assert_string_equal(muc_service_get_domain(svc), "c.localhost");
  assert_int_equal(muc_service_free(svc), MUC_OK);
}

static void test_service_new_tree_versioned(void **state)
{
  (void)state;
  muc_callbacks cb = {0};
  cb.now = zero_now; /* send_bytes may be NULL for a tree host */
  muc_service *svc = (muc_service *)&cb;
  assert_int_equal(
      muc_service_new_tree(&svc, "c.localhost", NULL, &cb, NULL, NULL, NULL),
      MUC_ERR_INVALID_ARG);
  assert_null(svc);
  assert_int_equal(
      muc_service_new_tree(&svc, "c.localhost", ok_tree, &cb, NULL, NULL, NULL),
      MUC_OK);
  assert_int_equal(muc_service_free(svc), MUC_OK);
}

static void test_service_free(void **state)
{
  (void)state;
  assert_int_equal(muc_service_free(NULL), MUC_OK);
  /* inside a callback: test_reentry; with rooms and occupants: */
  fakehost h;
  assert_int_equal(fakehost_init(&h, "conference.localhost", NULL, 1), MUC_OK);
  join(&h, "a@localhost/a", ROOM, "A");
  fakehost_free(&h); /* frees the service (leaks show under ASan) */
}

static void test_handle_xml(void **state)
{
  fakehost *h = *state;
  assert_int_equal(muc_service_handle_xml(NULL, "<x/>", 4),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_handle_xml(h->svc, NULL, 3),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_handle_xml(h->svc, NULL, 0), MUC_ERR_BAD_STANZA);
  assert_int_equal(muc_service_handle_xml(h->svc, "<message", 8),
                   MUC_ERR_BAD_STANZA);
  static const char other[] = "<message from='a@localhost/a' "
                              "to='r@elsewhere.localhost'/>";
  assert_int_equal(muc_service_handle_xml(h->svc, other, strlen(other)),
                   MUC_ERR_NOT_MINE);
  /* not NUL-terminated: only |len| bytes are read */
  static const char join[] = "<presence from='a@localhost/a' to='" ROOM
                             "/A'>" MUCX "</presence>garbage";
  assert_int_equal(muc_service_handle_xml(h->svc, join, strlen(join) - 7),
                   MUC_OK);
  assert_non_null(fakehost_find(h, "code=\"110\"", NULL));
  assert_true(h->nsent >= 2);
}

static void test_handle_xml_limit(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_stanza_bytes = 64;
  fakehost h;
  assert_int_equal(fakehost_init(&h, "conference.localhost", &cfg, 0), MUC_OK);
  char big[200];
  memset(big, ' ', sizeof(big));
  memcpy(big, "<message/>", 10);
  assert_int_equal(muc_service_handle_xml(h.svc, big, sizeof(big)),
                   MUC_ERR_LIMIT);
  assert_int_equal(h.nsent, 0);
  fakehost_free(&h);
}

static void test_handle_stanza(void **state)
{
  fakehost *h = *state;
  assert_int_equal(muc_service_handle_stanza(NULL, NULL), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_handle_stanza(h->svc, NULL),
                   MUC_ERR_INVALID_ARG);
  mxml_node_t *st = mxmlNewElement(MXML_NO_PARENT, "presence");
  mxmlElementSetAttr(st, "from", "a@localhost/a");
  mxmlElementSetAttr(st, "to", ROOM "/A");
  mxml_node_t *x = mxmlNewElement(st, "x");
  mxmlElementSetAttr(x, "xmlns", "http://jabber.org/protocol/muc");
  assert_int_equal(muc_service_handle_stanza(h->svc, st), MUC_OK);
  assert_non_null(fakehost_find(h, "code=\"110\"", NULL));
  /* borrowed: the host's tree is unchanged and still the host's */
  assert_string_equal(mxmlElementGetAttr(st, "to"), ROOM "/A");
  mxmlDelete(st);
  mxml_node_t *pi = mxmlNewElement(MXML_NO_PARENT, "?pi x?");
  assert_int_equal(muc_service_handle_stanza(h->svc, pi), MUC_ERR_BAD_STANZA);
  mxmlDelete(pi);
}

static void test_session_ended(void **state)
{
  fakehost *h = *state;
  assert_int_equal(muc_service_session_ended(NULL, "a@b/c"),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_session_ended(h->svc, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_session_ended(h->svc, "not a jid@@"),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_session_ended(h->svc, "romeo@localhost"),
                   MUC_ERR_INVALID_ARG);
  /* a session in no room: nothing to do */
  assert_int_equal(muc_service_session_ended(h->svc, "x@localhost/x"), MUC_OK);
  assert_int_equal(h->nsent, 0);
}

static void test_room_loaded(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, "conference.localhost", NULL, 1), MUC_OK);
  h.async_load = 1;
  assert_int_equal(muc_service_room_loaded(NULL, ROOM, NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_room_loaded(h.svc, NULL, NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_room_loaded(h.svc, ROOM, NULL, 5),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_room_loaded(h.svc, "conference.localhost", NULL, 0),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_room_loaded(h.svc, ROOM, NULL, 0),
                   MUC_ERR_NOT_FOUND);
  join(&h, "a@localhost/a", ROOM, "A");
  assert_int_equal(h.nsent, 0); /* waiting for storage */
  assert_null(muc_service_find_room(h.svc, ROOM));
  assert_int_equal(muc_service_get_room_count(h.svc), 1);
  assert_int_equal(muc_service_room_loaded(h.svc, ROOM, NULL, 0), MUC_OK);
  assert_non_null(fakehost_find(&h, "code=\"201\"", NULL));
  assert_non_null(muc_service_find_room(h.svc, ROOM));
  assert_int_equal(muc_service_room_loaded(h.svc, ROOM, NULL, 0),
                   MUC_ERR_NOT_FOUND);
  fakehost_free(&h);
}

static void test_shutdown(void **state)
{
  fakehost *h = *state;
  assert_int_equal(muc_service_shutdown(NULL), MUC_ERR_INVALID_ARG);
  join(h, "a@localhost/a", ROOM, "A");
  fakehost_clear(h);
  assert_int_equal(muc_service_shutdown(h->svc), MUC_OK);
  assert_non_null(fakehost_find(h, "code=\"332\"", NULL));
  assert_int_equal(muc_service_get_room_count(h->svc), 0);
  /* still usable */
  join(h, "a@localhost/a", ROOM, "A");
  assert_int_equal(muc_service_get_room_count(h->svc), 1);
}

/* Rooms locked at different times: the earliest deadline is next, and a
 * timeout opens exactly the rooms that are due. */
static void test_deadlines(void **state)
{
  fakehost *h = *state;
  assert_int_equal(muc_service_next_deadline(NULL), UINT64_MAX);
  assert_int_equal(muc_service_handle_timeout(NULL), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_next_deadline(h->svc), UINT64_MAX);
  uint64_t t0 = h->now;
  char room[64], user[64];
  /* created at t0 + 10 s * k, in a shuffled order */
  static const int order[] = {5, 2, 8, 0, 9, 1, 7, 3, 6, 4};
  for (size_t i = 0; i < 10; i++) {
    h->now = t0 + 10000u * (uint64_t)order[i];
    snprintf(room, sizeof(room), "r%d@conference.localhost", order[i]);
    snprintf(user, sizeof(user), "u%d@localhost/x", order[i]);
    join(h, user, room, "owner");
  }
  uint64_t lock = 300000;
  assert_int_equal(muc_service_next_deadline(h->svc), t0 + lock);
  h->now = t0 + lock + 35000; /* r0..r3 are due */
  assert_int_equal(muc_service_handle_timeout(h->svc), MUC_OK);
  assert_int_equal(muc_service_next_deadline(h->svc), t0 + lock + 40000);
  fakehost_clear(h);
  /* r3 is open to others now, r4 not yet */
  join(h, "other@localhost/o", "r3@conference.localhost", "o");
  assert_null(fakehost_find(h, "<item-not-found", NULL));
  join(h, "other@localhost/o", "r4@conference.localhost", "o");
  assert_non_null(fakehost_find(h, "<item-not-found", NULL));
  /* configuring a room takes its timer away */
  assert_int_equal(
      fakehost_xml(h, "<iq from='u4@localhost/x' to='r4@conference.localhost' "
                      "id='c' type='set'><query "
                      "xmlns='http://jabber.org/protocol/muc#owner'><x "
                      "xmlns='jabber:x:data' type='submit'/></query></iq>"),
      MUC_OK);
  assert_int_equal(muc_service_next_deadline(h->svc), t0 + lock + 50000);
  h->now = t0 + lock + 100000;
  assert_int_equal(muc_service_handle_timeout(h->svc), MUC_OK);
  assert_int_equal(muc_service_next_deadline(h->svc), UINT64_MAX);
}

static void test_queries(void **state)
{
  fakehost *h = *state;
  assert_null(muc_service_get_domain(NULL));
  assert_string_equal(muc_service_get_domain(h->svc), "conference.localhost");
  assert_int_equal(muc_service_get_room_count(NULL), 0);
  assert_int_equal(muc_service_get_memory_usage(NULL), 0);
  size_t before = muc_service_get_memory_usage(h->svc);
  assert_true(before > 0);
  join(h, "a@localhost/a", ROOM, "A");
  assert_true(muc_service_get_memory_usage(h->svc) > before);
  assert_null(muc_service_find_room(NULL, "room"));
  assert_null(muc_service_find_room(h->svc, NULL));
  assert_null(muc_service_find_room(h->svc, "absent"));
  assert_null(muc_service_find_room(h->svc, "room@elsewhere.localhost"));
  assert_null(muc_service_find_room(h->svc, ROOM "/A"));
  muc_room *r = muc_service_find_room(h->svc, "ROOM");
  assert_non_null(r);
  assert_string_equal(muc_room_get_jid(r), ROOM);
  assert_null(muc_room_get_jid(NULL));
  assert_int_equal(muc_room_get_occupant_count(r), 1);
  assert_int_equal(muc_room_get_occupant_count(NULL), 0);
  assert_string_equal(muc_room_get_subject(r), "");
  assert_string_equal(muc_room_get_subject(NULL), "");
  assert_int_equal(muc_room_get_affiliation(r, "a@localhost/other"),
                   MUC_AFFIL_OWNER);
  assert_int_equal(muc_room_get_affiliation(r, "b@localhost"), MUC_AFFIL_NONE);
  assert_int_equal(muc_room_get_affiliation(r, "@@bad"), MUC_AFFIL_NONE);
  assert_int_equal(muc_room_get_affiliation(NULL, "a@localhost"),
                   MUC_AFFIL_NONE);
  assert_int_equal(muc_room_get_role(r, "A"), MUC_ROLE_MODERATOR);
  assert_int_equal(muc_room_get_role(r, "B"), MUC_ROLE_NONE);
  assert_int_equal(muc_room_get_role(NULL, "A"), MUC_ROLE_NONE);
}

/* MUC_ERR_CALLBACK_FAILURE is not fatal: the work was done. */
static void test_callback_failure(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  fakehost fh, *h = &fh;
  assert_int_equal(fakehost_init(h, "conference.localhost", &cfg, 0), MUC_OK);
  h->fail_send = 1;
  assert_int_equal(fakehost_xml(h, "<presence from='a@localhost/a' to='" ROOM
                                   "/A'>" MUCX "</presence>"),
                   MUC_ERR_CALLBACK_FAILURE);
  muc_room *r = muc_service_find_room(h->svc, ROOM);
  assert_non_null(r);
  assert_int_equal(muc_room_get_role(r, "A"), MUC_ROLE_MODERATOR);
  h->fail_send = 0;
  join(h, "b@localhost/b", ROOM, "B");
  assert_int_equal(muc_room_get_occupant_count(r), 2);
  fakehost_free(h);
}

/* A policy hook that cannot tell says so with a negative answer: the
 * creation is refused and the call reports the failure. */
static void test_policy_failure(void **state)
{
  fakehost *h = *state;
  h->create_fails = 1;
  assert_int_equal(fakehost_xml(h, "<presence from='a@localhost/a' to='" ROOM
                                   "/A'>" MUCX "</presence>"),
                   MUC_ERR_CALLBACK_FAILURE);
  assert_non_null(fakehost_find(h, "<not-allowed", NULL));
  assert_null(muc_service_find_room(h->svc, ROOM));
  h->create_fails = 0;
  join(h, "a@localhost/a", ROOM, "A");
  assert_non_null(muc_service_find_room(h->svc, ROOM));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strerror),
      cmocka_unit_test(test_error_is_fatal),
      cmocka_unit_test(test_version),
      cmocka_unit_test(test_config_default_versioned),
      cmocka_unit_test(test_service_new_versioned),
      cmocka_unit_test(test_service_new_tree_versioned),
      cmocka_unit_test(test_service_free),
      cmocka_unit_test_setup_teardown(test_handle_xml, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test(test_handle_xml_limit),
      cmocka_unit_test_setup_teardown(test_handle_stanza, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_session_ended, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test(test_room_loaded),
      cmocka_unit_test_setup_teardown(test_shutdown, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_deadlines, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_queries, fakehost_setup,
                                      fakehost_teardown),
      cmocka_unit_test(test_callback_failure),
      cmocka_unit_test_setup_teardown(test_policy_failure, fakehost_setup,
                                      fakehost_teardown),
  };
  return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
