/* What a service keeps between calls besides its rooms (residue.c,
 * docs/limits.md "What a service keeps between calls"): tables that
 * follow what they hold and not the most they ever held, buffers given
 * back after a large stanza, and with no room left nothing but what the
 * service held at creation. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fakehost.h"
#include "map.h"

#define DOMAIN "conference.localhost"
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
#define ROOMS 300 /* a timer heap of 512, a room map of 512 */

/* u|i| creates room|i| (locked, waiting for its configuration: a timer). */
static void create(fakehost *h, int i)
{
  assert_int_equal(fakehost_xml(h,
                                "<presence from='u%d@localhost/r' "
                                "to='room%d@" DOMAIN "/n'>" MUCX "</presence>",
                                i, i),
                   MUC_OK);
}

/* ... and leaves it: the locked room goes (§10.1.3). */
static void leave(fakehost *h, int i)
{
  assert_int_equal(fakehost_xml(h,
                                "<presence from='u%d@localhost/r' "
                                "to='room%d@" DOMAIN "/n' type='unavailable'/>",
                                i, i),
                   MUC_OK);
}

/* A message that makes the scratch and delivery buffers grow past what
 * they keep. */
static void large_groupchat(fakehost *h, int i)
{
  static char xml[41000];
  int n = snprintf(xml, sizeof(xml),
                   "<message from='u%d@localhost/r' to='room%d@" DOMAIN
                   "' type='groupchat'><body>",
                   i, i);
  memset(xml + n, 'x', 40000);
  n += 40000;
  n += snprintf(xml + n, sizeof(xml) - (size_t)n, "</body></message>");
  assert_int_equal(muc_service_handle_xml(h->svc, xml, (size_t)n), MUC_OK);
}

static void test_map_follows_its_entries(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_map map;
  muc_map_init(&map);
  static char keys[1000][8];
  for (int i = 0; i < 1000; i++) {
    snprintf(keys[i], sizeof(keys[i]), "k%d", i);
    assert_int_equal(muc_map_put(&m, &map, keys[i], keys[i]), MUC_OK);
  }
  assert_int_equal(map.cap, 2048);
  for (int i = 1; i < 1000; i++) {
    muc_map_del(&map, keys[i]);
    muc_map_shrink(&m, &map);
    /* never fuller than 3/4 (no growth is due), nor emptier than 1/8 */
    assert_true(map.count * 4 <= map.cap * 3);
    assert_true(map.cap == 8 || map.count * 8 > map.cap);
    assert_ptr_equal(muc_map_get(&map, keys[0]), keys[0]);
    /* the warmed lookup answers the same, past tombstones and for keys
     * that are gone */
    assert_ptr_equal(muc_map_get_warm(&map, keys[0], 8), keys[0]);
    assert_null(muc_map_get_warm(&map, keys[i], 8));
    if (i + 1 < 1000)
      assert_ptr_equal(muc_map_get_warm(&map, keys[i + 1], 8), keys[i + 1]);
  }
  assert_int_equal(map.cap, 8);
  assert_int_equal(m.in_use, 8 * sizeof(muc_map_slot));
  muc_map_del(&map, keys[0]);
  muc_map_shrink(&m, &map);
  assert_null(map.slots);
  assert_int_equal(m.in_use, 0);
}

/* One room stays while 300 others come and go: the timer heap and the
 * room map are back to the size one room needs. */
static void test_tables_shrink_as_rooms_go(void **state)
{
  fakehost *h = *state;
  create(h, 0);
  size_t one_room = muc_service_get_memory_usage(h->svc);
  for (int i = 1; i <= ROOMS; i++)
    create(h, i);
  assert_int_equal(h->svc->heap_cap, 512);
  assert_int_equal(h->svc->rooms.cap, 512);
  for (int i = 1; i <= ROOMS; i++)
    leave(h, i);
  assert_int_equal(muc_service_get_room_count(h->svc), 1);
  assert_int_equal(h->svc->nheap, 1);
  assert_int_equal(h->svc->heap_cap, 16);
  assert_int_equal(h->svc->rooms.cap, 8);
  assert_int_equal(h->svc->creators.cap, 8);
  /* what remains is room0 and the caches (JIDs, the queue) */
  assert_true(muc_service_get_memory_usage(h->svc) <
              one_room + MUC_JID_CACHE * 256 + 16384 + 4096);
}

static void test_large_stanza_buffers_given_back(void **state)
{
  fakehost *h = *state;
  create(h, 0);
  assert_int_equal(fakehost_xml(h,
                                "<iq from='u0@localhost/r' to='room0@" DOMAIN
                                "' type='set' id='c'><query xmlns='http://"
                                "jabber.org/protocol/muc#owner'><x xmlns='"
                                "jabber:x:data' type='submit'/></query></iq>"),
                   MUC_OK);
  fakehost_clear(h);
  large_groupchat(h, 0);
  assert_non_null(fakehost_find(h, "xxxxxxxxxxxxxxxxxxxx", NULL));
  assert_true(h->svc->scratch.cap <= 16384);
  assert_true(h->svc->out.cap <= 16384);
  assert_true(h->svc->outq.arena.cap <= 16384);
}

/* Rooms with timers, a large stanza, many JIDs: when the last room is
 * gone the service holds what it held at creation, to the byte. */
static void test_no_room_back_at_creation(void **state)
{
  fakehost *h = *state;
  size_t created = muc_service_get_memory_usage(h->svc);
  for (int i = 0; i < ROOMS; i++)
    create(h, i);
  large_groupchat(h, 0);
  for (int i = 0; i < ROOMS; i++)
    leave(h, i);
  assert_int_equal(muc_service_get_room_count(h->svc), 0);
  assert_int_equal(muc_service_get_memory_usage(h->svc), created);
  /* and the service works as before */
  create(h, 0);
  assert_int_equal(muc_service_get_room_count(h->svc), 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_map_follows_its_entries),
      cmocka_unit_test_setup_teardown(test_tables_shrink_as_rooms_go,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_large_stanza_buffers_given_back,
                                      fakehost_setup, fakehost_teardown),
      cmocka_unit_test_setup_teardown(test_no_room_back_at_creation,
                                      fakehost_setup, fakehost_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
