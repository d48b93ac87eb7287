#define _POSIX_C_SOURCE 200809L
/* The room administration API on rooms that are only in storage (evicted
 * by hibernation, muc.h "Hibernation"): each call asks load_room as a
 * stanza would; with synchronous storage it goes on at once, with
 * asynchronous storage it answers MUC_ERR_LOADING until the host has
 * answered (muc_service_room_loaded).  Creating a room storage holds is
 * refused; listing goes on from memory into the stored room list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"

#define DOMAIN "conference.localhost"
#define OWNER "romeo@montague.lit"

static int in_memory(fakehost *h, const char *node)
{
  char room[128];
  snprintf(room, sizeof room, "%s@" DOMAIN, node);
  return muc_service_find_room(h->svc, room) != NULL;
}

/* A service with storage and the persistent rooms |nodes| (|public_room|
 * as given, named after their node), all evicted. */
static void start_evicted(fakehost *h, const char *const *nodes, size_t n,
                          int public_room)
{
  muc_config c;
  muc_config_default(&c);
  c.evict_at_max_rooms = 0;
  assert_int_equal(fakehost_init(h, DOMAIN, &c, 1), MUC_OK);
  for (size_t i = 0; i < n; i++) {
    muc_room_options o;
    assert_int_equal(muc_room_options_default(h->svc, &o), MUC_OK);
    o.persistent = 1;
    o.public_room = public_room;
    o.name = nodes[i];
    assert_int_equal(muc_service_create_room(h->svc, nodes[i], OWNER, &o, 0),
                     MUC_OK);
  }
  assert_int_equal(muc_service_hibernate_now(h->svc), MUC_OK);
  for (size_t i = 0; i < n; i++)
    assert_false(in_memory(h, nodes[i]));
  fakehost_clear(h);
}

/* The host answers the load it was asked for, from its store. */
static void answer_load(fakehost *h)
{
  assert_non_null(h->load_request);
  size_t len;
  const char *d = fakehost_stored(h, h->load_request, &len);
  assert_int_equal(muc_service_room_loaded(h->svc, h->load_request, d, len),
                   MUC_OK);
}

static void test_sync_reads_and_changes(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"a"};
  start_evicted(&h, nodes, 1, 1);
  size_t loads = h.loads;
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o), MUC_OK);
  assert_string_equal(o.name, "a");
  assert_int_equal(h.loads, loads + 1);
  assert_true(in_memory(&h, "a"));
  /* back in memory: no second load */
  int aff;
  assert_int_equal(muc_service_get_affiliation(h.svc, "a", OWNER, &aff, NULL),
                   MUC_OK);
  assert_int_equal(aff, MUC_AFFIL_OWNER);
  assert_int_equal(h.loads, loads + 1);
  /* a change on an evicted room is made and stored */
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_OK);
  assert_false(in_memory(&h, "a"));
  assert_int_equal(muc_service_set_affiliation(h.svc, "a", "juliet@capulet.lit",
                                               MUC_AFFIL_MEMBER, NULL),
                   MUC_OK);
  size_t len;
  const char *rec = fakehost_stored(&h, "a@" DOMAIN, &len);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "juliet@capulet.lit"));
  /* loaded rooms go back on the idle list: evicted again */
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_OK);
  assert_false(in_memory(&h, "a"));
  /* a room storage does not hold */
  assert_int_equal(muc_service_get_room_options(h.svc, "zz", &o),
                   MUC_ERR_NOT_FOUND);
  assert_false(in_memory(&h, "zz"));
  fakehost_free(&h);
}

static void test_async_reads_and_changes(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"a"};
  start_evicted(&h, nodes, 1, 1);
  h.async_load = 1;
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o),
                   MUC_ERR_LOADING);
  assert_string_equal(h.load_request, "a@" DOMAIN);
  size_t loads = h.loads;
  /* asked once: the next calls wait for the same answer */
  assert_int_equal(muc_service_set_subject(h.svc, "a", "s"), MUC_ERR_LOADING);
  assert_int_equal(h.loads, loads);
  answer_load(&h);
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o), MUC_OK);
  assert_string_equal(o.name, "a");
  assert_int_equal(muc_service_set_subject(h.svc, "a", "s"), MUC_OK);
  /* absent in storage: not found once the host has said so, and not
   * asked again */
  assert_int_equal(muc_service_kick(h.svc, "zz", "nick", NULL),
                   MUC_ERR_LOADING);
  assert_int_equal(muc_service_room_loaded(h.svc, "zz@" DOMAIN, NULL, 0),
                   MUC_OK);
  loads = h.loads;
  assert_int_equal(muc_service_kick(h.svc, "zz", "nick", NULL),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(h.loads, loads);
  fakehost_free(&h);
}

/* Creating a room storage holds: refused (MUC_ERR_EXISTS), the stored
 * room untouched; one it does not hold is made. */
static void test_create_over_stored(void **state)
{
  (void)state;
  for (int async = 0; async < 2; async++) {
    fakehost h;
    const char *nodes[] = {"a"};
    start_evicted(&h, nodes, 1, 1);
    h.async_load = async;
    size_t stores = h.stores;
    int rc = muc_service_create_room(h.svc, "a", "other@x.lit", NULL, 0);
    if (async) {
      assert_int_equal(rc, MUC_ERR_LOADING);
      answer_load(&h);
      rc = muc_service_create_room(h.svc, "a", "other@x.lit", NULL, 0);
    }
    assert_int_equal(rc, MUC_ERR_EXISTS);
    assert_int_equal(h.stores, stores); /* nothing written over it */
    int aff;
    assert_int_equal(muc_service_get_affiliation(h.svc, "a", OWNER, &aff, NULL),
                     MUC_OK);
    assert_int_equal(aff, MUC_AFFIL_OWNER);
    /* a name storage does not know */
    rc = muc_service_create_room(h.svc, "new", NULL, NULL, 0);
    if (async) {
      assert_int_equal(rc, MUC_ERR_LOADING);
      assert_int_equal(muc_service_room_loaded(h.svc, "new@" DOMAIN, NULL, 0),
                       MUC_OK);
      rc = muc_service_create_room(h.svc, "new", NULL, NULL, 0);
    }
    assert_int_equal(rc, MUC_OK);
    assert_true(in_memory(&h, "new"));
    fakehost_free(&h);
  }
}

/* Storage fails to answer: the call says so, nothing is left loading. */
static void test_load_fails(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"a"};
  start_evicted(&h, nodes, 1, 1);
  h.load_fails = 1;
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o),
                   MUC_ERR_CALLBACK_FAILURE);
  assert_false(in_memory(&h, "a"));
  h.load_fails = 0;
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o), MUC_OK);
  fakehost_free(&h);
}

/* Pages of |max| rooms with |filter|, joined by ' ' into |out|. */
static void list_all(fakehost *h, unsigned filter, size_t max, char *out,
                     size_t cap)
{
  muc_room_info page[4];
  char after[128] = "";
  size_t n;
  out[0] = 0;
  do {
    assert_int_equal(muc_service_list_rooms(h->svc, *after ? after : NULL,
                                            filter, page, max, &n),
                     MUC_OK);
    for (size_t i = 0; i < n; i++) {
      if (*out)
        strncat(out, " ", cap - strlen(out) - 1);
      strncat(out, page[i].name, cap - strlen(out) - 1);
      if (strcmp(page[i].name, "a") == 0 || strcmp(page[i].name, "b") == 0) {
        assert_int_equal(page[i].persistent, 1);
        assert_int_equal(page[i].public_room, 1);
      }
    }
    if (n)
      snprintf(after, sizeof after, "%s", page[n - 1].jid);
  } while (n == max);
}

static void test_list_stored(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"a", "b"};
  start_evicted(&h, nodes, 2, 1);
  muc_room_options o;
  assert_int_equal(muc_room_options_default(h.svc, &o), MUC_OK);
  o.name = "m";
  assert_int_equal(muc_service_create_room(h.svc, "m", NULL, &o, 0), MUC_OK);
  char got[256];
  size_t loads = h.loads;
  /* memory first (in the order rooms came in), then the stored list; any
   * page size, no room twice, no load */
  for (size_t max = 1; max <= 4; max++) {
    list_all(&h, 0, max, got, sizeof got);
    assert_string_equal(got, "m a b");
  }
  list_all(&h, MUC_LIST_PUBLIC | MUC_LIST_PERSISTENT, 2, got, sizeof got);
  assert_string_equal(got, "a b");
  list_all(&h, MUC_LIST_OCCUPIED, 2, got, sizeof got);
  assert_string_equal(got, "");
  assert_int_equal(h.loads, loads);
  /* the jid of a stored room is its cursor, and names it */
  muc_room_info page[1];
  size_t n;
  assert_int_equal(muc_service_list_rooms(h.svc, "a@" DOMAIN, 0, page, 1, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(page[0].jid, "b@" DOMAIN);
  assert_int_equal(page[0].occupants, 0);
  /* a room brought back is listed from memory, once */
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o), MUC_OK);
  list_all(&h, 0, 1, got, sizeof got);
  assert_string_equal(got, "m a b");
  assert_int_equal(muc_service_list_rooms(h.svc, "zz@" DOMAIN, 0, page, 1, &n),
                   MUC_ERR_NOT_FOUND);
  fakehost_free(&h);
}

/* A stored room whose load is pending is listed from the stored list, once,
 * and is a cursor there. */
static void test_list_loading(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"a", "b"};
  start_evicted(&h, nodes, 2, 1);
  h.async_load = 1;
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h.svc, "a", &o),
                   MUC_ERR_LOADING);
  char got[64];
  for (size_t max = 1; max <= 3; max++) {
    list_all(&h, 0, max, got, sizeof got);
    assert_string_equal(got, "a b");
  }
  answer_load(&h);
  list_all(&h, 0, 1, got, sizeof got);
  assert_string_equal(got, "a b");
  fakehost_free(&h);
}

/* Private rooms are not in the stored list: not listed once evicted. */
static void test_list_private_stored(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"p"};
  start_evicted(&h, nodes, 1, 0);
  char got[64];
  list_all(&h, 0, 2, got, sizeof got);
  assert_string_equal(got, "");
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h.svc, "p", &o), MUC_OK);
  fakehost_free(&h);
}

/* The host's field values: set outside the form, stored in the record,
 * back after an eviction; vars outside config_vars refused. */
static void test_host_values(void **state)
{
  (void)state;
  fakehost h;
  const char *nodes[] = {"a"};
  start_evicted(&h, nodes, 1, 1);
  static const char *const vars[] = {"x-topic#tags", NULL};
  muc_hooks hooks = {0};
  hooks.config_vars = vars;
  assert_int_equal(
      muc_service_set_hooks(h.svc, MUC_HOOKS_VERSION, &hooks, NULL), MUC_OK);
  const char *tags[] = {"red", "blue"};
  size_t stores = h.stores;
  /* the room is in storage: loaded, changed, stored */
  assert_int_equal(
      muc_service_set_room_host_values(h.svc, "a", "x-topic#tags", tags, 2),
      MUC_OK);
  assert_int_equal(h.stores, stores + 1);
  size_t len;
  const char *rec = fakehost_stored(&h, "a@" DOMAIN, &len);
  assert_non_null(strstr(rec, "x-topic#tags"));
  assert_non_null(strstr(rec, "blue"));
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_OK);
  assert_false(in_memory(&h, "a"));
  const char *got[4];
  size_t n;
  assert_int_equal(
      muc_service_get_room_host_values(h.svc, "a", "x-topic#tags", got, 4, &n),
      MUC_OK);
  assert_int_equal(n, 2);
  assert_string_equal(got[0], "red");
  assert_string_equal(got[1], "blue");
  assert_int_equal(
      muc_service_get_room_host_values(h.svc, "a", "x-topic#tags", got, 1, &n),
      MUC_OK);
  assert_int_equal(n, 1);
  /* cleared */
  assert_int_equal(
      muc_service_set_room_host_values(h.svc, "a", "x-topic#tags", NULL, 0),
      MUC_OK);
  assert_int_equal(
      muc_service_get_room_host_values(h.svc, "a", "x-topic#tags", got, 4, &n),
      MUC_OK);
  assert_int_equal(n, 0);
  /* refused: not a host var, a NULL value, a bad string, no room */
  assert_int_equal(muc_service_set_room_host_values(
                       h.svc, "a", "muc#roomconfig_roomname", tags, 1),
                   MUC_ERR_INVALID_ARG);
  const char *bad[] = {NULL};
  assert_int_equal(
      muc_service_set_room_host_values(h.svc, "a", "x-topic#tags", bad, 1),
      MUC_ERR_INVALID_ARG);
  const char *nonutf[] = {"\xff"};
  assert_int_equal(
      muc_service_set_room_host_values(h.svc, "a", "x-topic#tags", nonutf, 1),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_set_room_host_values(h.svc, "zz", "x-topic#tags", tags, 1),
      MUC_ERR_NOT_FOUND);
  assert_int_equal(
      muc_service_get_room_host_values(h.svc, "a", NULL, got, 4, &n),
      MUC_ERR_INVALID_ARG);
  /* without the hooks the var is nobody's */
  assert_int_equal(muc_service_set_hooks(h.svc, MUC_HOOKS_VERSION, NULL, NULL),
                   MUC_OK);
  assert_int_equal(
      muc_service_set_room_host_values(h.svc, "a", "x-topic#tags", tags, 1),
      MUC_ERR_INVALID_ARG);
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sync_reads_and_changes),
      cmocka_unit_test(test_async_reads_and_changes),
      cmocka_unit_test(test_create_over_stored),
      cmocka_unit_test(test_load_fails),
      cmocka_unit_test(test_list_stored),
      cmocka_unit_test(test_list_loading),
      cmocka_unit_test(test_list_private_stored),
      cmocka_unit_test(test_host_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
