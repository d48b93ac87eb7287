#define _POSIX_C_SOURCE 200809L
/* The room administration API with the change feed: a replica service
 * applies every event of the source's feed as it comes; after each admin
 * call the replica's snapshot of every room is the source's, byte for
 * byte, and the replica has no room the source has not. */
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
#define ROOM "room@" DOMAIN
#define OTHER "other@" DOMAIN
#define ROMEO "romeo@montague.lit/garden"
#define JULIET "juliet@capulet.lit/balcony"
#define NURSE "nurse@capulet.lit/kitchen"

typedef struct blob {
  char *data;
  size_t len;
} blob;

typedef struct pair {
  fakehost src, rep;
  size_t events;
} pair;

static void apply(const char *room, uint64_t seq, const char *data, size_t len,
                  void *ud)
{
  (void)room, (void)seq;
  pair *p = ud;
  p->events++;
  assert_int_equal(muc_service_apply_event(p->rep.svc, data, len), MUC_OK);
}

static int keep(const char *data, size_t len, void *ud)
{
  blob *b = ud;
  free(b->data);
  b->data = malloc(len ? len : 1);
  assert_non_null(b->data);
  memcpy(b->data, data, len);
  b->len = len;
  return 0;
}

/* The first event of a feed, kept (a room's first is the whole room). */
static void keep_event(const char *room, uint64_t seq, const char *data,
                       size_t len, void *ud)
{
  (void)room;
  if (seq == 1)
    keep(data, len, ud);
}

/* Both services have |room| the same, or neither has it. */
static void same_room(pair *p, const char *room)
{
  blob x = {0}, y = {0};
  int rx = muc_service_snapshot_room(p->src.svc, room, keep, &x);
  int ry = muc_service_snapshot_room(p->rep.svc, room, keep, &y);
  assert_int_equal(rx, ry);
  if (rx == MUC_OK) {
    if (x.len != y.len || memcmp(x.data, y.data, x.len) != 0)
      fail_msg("the replica's %s differs (%zu bytes, %zu in the source)", room,
               y.len, x.len);
  } else {
    assert_int_equal(rx, MUC_ERR_NOT_FOUND);
  }
  free(x.data);
  free(y.data);
}

static void same(pair *p)
{
  same_room(p, ROOM);
  same_room(p, OTHER);
  assert_int_equal(muc_service_get_room_count(p->rep.svc),
                   muc_service_get_room_count(p->src.svc));
}

static void start(pair *p)
{
  memset(p, 0, sizeof(*p));
  assert_int_equal(fakehost_init(&p->src, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&p->rep, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(muc_service_set_feed(p->src.svc, MUC_FEED_VERSION, apply, p),
                   MUC_OK);
}

static void stop(pair *p)
{
  assert_int_equal(p->rep.nsent, 0); /* a replica tells nobody */
  fakehost_free(&p->src);
  fakehost_free(&p->rep);
}

#define STEP(p, call)                                                          \
  do {                                                                         \
    assert_int_equal((call), MUC_OK);                                          \
    same(p);                                                                   \
  } while (0)

/* The feed on, and a persistent room "room" owned by Romeo, created. */
static void start_with_room(pair *p, muc_room_options *o)
{
  start(p);
  assert_int_equal(muc_room_options_default(p->src.svc, o), MUC_OK);
  o->persistent = 1;
  o->name = "Verona";
  STEP(p, muc_service_create_room(p->src.svc, "room", ROMEO, o, 0));
}

static void test_rooms(void **state)
{
  (void)state;
  pair p;
  muc_room_options o;
  start_with_room(&p, &o);
  STEP(&p, muc_service_create_room(p.src.svc, "other", NULL, NULL,
                                   MUC_CREATE_RESERVED));
  o.members_only = 1;
  o.description = "the square";
  o.password = "secret";
  STEP(&p, muc_service_set_room_options(p.src.svc, "room", &o));
  STEP(&p, muc_service_set_room_options(p.src.svc, "other", &o)); /* opens */
  STEP(&p, muc_service_destroy_room(p.src.svc, "other", "gone", ROOM, NULL));
  assert_true(p.events > 0);
  stop(&p);
}

static void test_people(void **state)
{
  (void)state;
  pair p;
  muc_room_options o;
  start_with_room(&p, &o);
  STEP(&p, fakehost_join(&p.src, ROMEO, ROOM, "romeo", ""));
  STEP(&p, fakehost_join(&p.src, JULIET, ROOM, "juliet", ""));
  STEP(&p, fakehost_join(&p.src, NURSE, ROOM, "nurse", ""));
  STEP(&p, muc_service_set_affiliation(p.src.svc, "room", "juliet@capulet.lit",
                                       MUC_AFFIL_ADMIN, "trusted"));
  STEP(&p, muc_service_set_affiliation(p.src.svc, "room", "friar@verona.lit",
                                       MUC_AFFIL_MEMBER, NULL));
  STEP(&p, muc_service_set_role(p.src.svc, "room", "nurse", MUC_ROLE_MODERATOR,
                                "help"));
  STEP(&p, muc_service_set_role(p.src.svc, "room", "nurse", MUC_ROLE_VISITOR,
                                NULL));
  STEP(&p, muc_service_set_subject(p.src.svc, "room", "Fair Verona"));
  STEP(&p, fakehost_xml(&p.src, "<message from='" JULIET "' to='" ROOM
                                "' type='groupchat' id='m1'><body>hi</body>"
                                "</message>"));
  STEP(&p, muc_service_kick(p.src.svc, "room", "nurse", "out"));
  STEP(&p, muc_service_ban(p.src.svc, "room", "tybalt@capulet.lit", "feud"));
  STEP(&p, muc_service_set_affiliation(p.src.svc, "room", "juliet@capulet.lit",
                                       MUC_AFFIL_NONE, NULL));
  STEP(&p, muc_service_destroy_room(p.src.svc, "room", NULL, NULL, NULL));
  stop(&p);
}

/* Host field values set outside the form reach the replica (the feed's
 * host fields event); both services know the var (config_vars). */
static void test_host_values(void **state)
{
  (void)state;
  pair p;
  muc_room_options o;
  start_with_room(&p, &o);
  static const char *const vars[] = {"x-topic#tags", NULL};
  muc_hooks hooks = {0};
  hooks.config_vars = vars;
  assert_int_equal(
      muc_service_set_hooks(p.src.svc, MUC_HOOKS_VERSION, &hooks, NULL),
      MUC_OK);
  assert_int_equal(
      muc_service_set_hooks(p.rep.svc, MUC_HOOKS_VERSION, &hooks, NULL),
      MUC_OK);
  const char *tags[] = {"red", "blue"};
  size_t before = p.events;
  STEP(&p, muc_service_set_room_host_values(p.src.svc, "room", "x-topic#tags",
                                            tags, 2));
  assert_true(p.events > before);
  const char *got[4];
  size_t n = 0;
  assert_int_equal(muc_service_get_room_host_values(p.rep.svc, "room",
                                                    "x-topic#tags", got, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 2);
  assert_string_equal(got[0], "red");
  assert_string_equal(got[1], "blue");
  STEP(&p, muc_service_set_room_host_values(p.src.svc, "room", "x-topic#tags",
                                            NULL, 0));
  stop(&p);
}

/* A service with a feed of its own refuses to be a replica: its own
 * numbering would hide the source's next event. */
static void test_replica_with_feed(void **state)
{
  (void)state;
  fakehost src, rep;
  blob ev = {0};
  assert_int_equal(fakehost_init(&src, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&rep, DOMAIN, NULL, 0), MUC_OK);
  assert_int_equal(
      muc_service_set_feed(src.svc, MUC_FEED_VERSION, keep_event, &ev), MUC_OK);
  assert_int_equal(muc_service_create_room(src.svc, "room", ROMEO, NULL, 0),
                   MUC_OK);
  assert_non_null(ev.data);
  assert_int_equal(
      muc_service_set_feed(rep.svc, MUC_FEED_VERSION, keep_event, &ev), MUC_OK);
  assert_int_equal(muc_service_apply_event(rep.svc, ev.data, ev.len),
                   MUC_ERR_INVALID_ARG);
  assert_null(muc_service_find_room(rep.svc, ROOM));
  assert_int_equal(muc_service_set_feed(rep.svc, MUC_FEED_VERSION, NULL, NULL),
                   MUC_OK);
  assert_int_equal(muc_service_apply_event(rep.svc, ev.data, ev.len), MUC_OK);
  assert_non_null(muc_service_find_room(rep.svc, ROOM));
  free(ev.data);
  fakehost_free(&src);
  fakehost_free(&rep);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rooms),
      cmocka_unit_test(test_people),
      cmocka_unit_test(test_host_values),
      cmocka_unit_test(test_replica_with_feed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
