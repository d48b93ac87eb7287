#define _POSIX_C_SOURCE 200809L
/* The room administration API (muc.h, "Room administration"): each
 * function's notifications (the stanzas the fake host receives), its
 * persistence (store_room calls and records), its error codes, and calls
 * made from inside callbacks (send_bytes, store_room). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "counter.h"
#include "fakehost.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define ROMEO "romeo@montague.lit/garden"
#define JULIET "juliet@capulet.lit/balcony"
#define NURSE "nurse@capulet.lit/kitchen"

static fakehost *new_host(int persistence, const muc_config *cfg)
{
  fakehost *h = calloc(1, sizeof(*h));
  assert_int_equal(fakehost_init(h, DOMAIN, cfg, persistence), MUC_OK);
  return h;
}

static void free_host(fakehost *h)
{
  fakehost_free(h);
  free(h);
}

/* A persistent instant room owned by Romeo, with Juliet and the nurse in
 * it (Romeo too when |romeo_in|); the deliveries so far forgotten. */
static fakehost *room_with_people(int romeo_in)
{
  fakehost *h = new_host(1, NULL);
  muc_room_options o;
  assert_int_equal(muc_room_options_default(h->svc, &o), MUC_OK);
  o.persistent = 1;
  assert_int_equal(muc_service_create_room(h->svc, "room", ROMEO, &o, 0),
                   MUC_OK);
  if (romeo_in)
    assert_int_equal(fakehost_join(h, ROMEO, ROOM, "romeo", ""), MUC_OK);
  assert_int_equal(fakehost_join(h, JULIET, ROOM, "juliet", ""), MUC_OK);
  assert_int_equal(fakehost_join(h, NURSE, ROOM, "nurse", ""), MUC_OK);
  fakehost_clear(h);
  return h;
}

/* ---- options ------------------------------------------------------------- */

static void test_options_default(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_public = 1;
  cfg.room_history_length = 50;
  cfg.max_history = 30;
  fakehost *h = new_host(0, &cfg);
  muc_room_options o;
  assert_int_equal(muc_room_options_default(h->svc, &o), MUC_OK);
  assert_int_equal(o.public_room, 1);
  assert_int_equal(o.history_length, 30);
  assert_null(o.name);
  assert_int_equal(muc_room_options_default(NULL, &o), MUC_OK);
  assert_int_equal(o.public_room, 0);
  assert_int_equal(o.history_length, 20);
  assert_int_equal(muc_room_options_default(NULL, NULL), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_room_options_default_versioned(NULL, 99, &o),
                   MUC_ERR_INVALID_ARG);
  free_host(h);
}

/* ---- create -------------------------------------------------------------- */

static void test_create_instant(void **state)
{
  (void)state;
  fakehost *h = new_host(1, NULL);
  muc_room_options o;
  muc_room_options_default(h->svc, &o);
  o.persistent = 1;
  o.name = "The Garden";
  assert_int_equal(muc_service_create_room(h->svc, ROOM, ROMEO, &o, 0), MUC_OK);
  assert_int_equal(h->nsent, 0); /* nobody to tell */
  const char *rec = fakehost_stored(h, ROOM, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "The Garden"));
  assert_non_null(strstr(rec, "romeo@montague.lit"));
  muc_room *r = muc_service_find_room(h->svc, "room");
  assert_non_null(r);
  assert_int_equal(muc_room_get_affiliation(r, "romeo@montague.lit"),
                   MUC_AFFIL_OWNER);
  /* instant: anybody enters at once */
  assert_int_equal(fakehost_join(h, JULIET, ROOM, "juliet", ""), MUC_OK);
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/juliet\"", "110", NULL));
  assert_null(fakehost_find(h, "type=\"error\"", NULL));

  /* errors */
  assert_int_equal(muc_service_create_room(h->svc, "room", NULL, NULL, 0),
                   MUC_ERR_EXISTS);
  assert_int_equal(muc_service_create_room(NULL, "x", NULL, NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_create_room(h->svc, NULL, NULL, NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_create_room(h->svc, "x@other.example", NULL, NULL, 0),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_create_room(h->svc, "x@" DOMAIN "/nick", NULL, NULL, 0),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_create_room(h->svc, "x", "not a jid@", NULL, 0),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_create_room(h->svc, "x", NULL, NULL, 0x80),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_create_room(h->svc, "\xff", NULL, NULL, 0),
                   MUC_ERR_INVALID_ARG);
  muc_room_options bad = o;
  bad.whois = 7;
  assert_int_equal(muc_service_create_room(h->svc, "x", NULL, &bad, 0),
                   MUC_ERR_INVALID_ARG);
  bad = o;
  bad.persistent = 2;
  assert_int_equal(muc_service_create_room(h->svc, "x", NULL, &bad, 0),
                   MUC_ERR_INVALID_ARG);
  char big[300];
  memset(big, 'n', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  bad = o;
  bad.name = big; /* max_room_name_bytes is 256 */
  assert_int_equal(muc_service_create_room(h->svc, "x", NULL, &bad, 0),
                   MUC_ERR_LIMIT);
  assert_int_equal(muc_service_create_room_versioned(
                       h->svc, "x", NULL, MUC_ROOM_OPTIONS_VERSION + 1, &o, 0),
                   MUC_ERR_INVALID_ARG);
  assert_null(muc_service_find_room(h->svc, "x"));
  free_host(h);
}

static void test_create_limit(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_rooms = 1;
  fakehost *h = new_host(0, &cfg);
  assert_int_equal(muc_service_create_room(h->svc, "a", NULL, NULL, 0), MUC_OK);
  assert_int_equal(muc_service_create_room(h->svc, "b", NULL, NULL, 0),
                   MUC_ERR_LIMIT);
  assert_int_equal(muc_service_get_room_count(h->svc), 1);
  free_host(h);
}

static void test_create_reserved(void **state)
{
  (void)state;
  fakehost *h = new_host(0, NULL);
  assert_int_equal(
      muc_service_create_room(h->svc, "room", ROMEO, NULL, MUC_CREATE_RESERVED),
      MUC_OK);
  size_t n;
  muc_room_info info[2];
  assert_int_equal(muc_service_list_rooms(h->svc, NULL, 0, info, 2, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_true(info[0].locked);
  fakehost_join(h, JULIET, ROOM, "juliet", "");
  assert_non_null(fakehost_find(h, "type=\"error\"", "item-not-found", NULL));
  fakehost_clear(h);
  /* configured by the host: open */
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h->svc, "room", &o), MUC_OK);
  assert_int_equal(muc_service_set_room_options(h->svc, "room", &o), MUC_OK);
  assert_int_equal(muc_service_list_rooms(h->svc, NULL, 0, info, 2, &n),
                   MUC_OK);
  assert_false(info[0].locked);
  fakehost_join(h, JULIET, ROOM, "juliet", "");
  assert_null(fakehost_find(h, "type=\"error\"", NULL));
  assert_non_null(fakehost_find(h, "from=\"" ROOM "/juliet\"", "110", NULL));
  free_host(h);
}

/* ---- configuration ------------------------------------------------------- */

static void test_room_options(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  size_t stores = h->stores;
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(h->svc, ROOM, &o), MUC_OK);
  assert_int_equal(o.persistent, 1);
  assert_int_equal(o.whois, MUC_WHOIS_MODERATORS);
  /* unchanged options: nothing announced */
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, &o), MUC_OK);
  assert_null(fakehost_find(h, "status code=\"104\"", NULL));
  o.whois = MUC_WHOIS_ANYONE;
  o.name = "Orchard";
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, &o), MUC_OK);
  /* both occupants told: 104 (name) and 172 (now non-anonymous) */
  assert_int_equal(fakehost_count(h, "code=\"172\""), 2);
  assert_int_equal(fakehost_count(h, "code=\"104\""), 2);
  assert_non_null(fakehost_find(h, "to=\"" JULIET "\"", "172", NULL));
  assert_true(h->stores > stores);
  assert_non_null(strstr(fakehost_stored(h, ROOM, NULL), "Orchard"));
  muc_room_options back;
  muc_service_get_room_options(h->svc, ROOM, &back);
  assert_string_equal(back.name, "Orchard");
  assert_int_equal(back.whois, MUC_WHOIS_ANYONE);

  /* members-only: the non-members leave with 322 */
  fakehost_clear(h);
  o.members_only = 1;
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, &o), MUC_OK);
  assert_non_null(
      fakehost_find(h, "to=\"" JULIET "\"", "unavailable", "322", NULL));
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(h->svc, ROOM)), 0);
  /* no longer persistent: the record is deleted */
  o.persistent = 0;
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, &o), MUC_OK);
  assert_null(fakehost_stored(h, ROOM, NULL));

  /* errors: nothing changed */
  muc_room_options bad = o;
  bad.allow_pm = 9;
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, &bad),
                   MUC_ERR_INVALID_ARG);
  bad = o;
  bad.description = "bad \x01 control";
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, &bad),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_set_room_options(h->svc, "nowhere", &o),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(muc_service_set_room_options(h->svc, ROOM, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_get_room_options(h->svc, "nowhere", &o),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(muc_service_get_room_options(h->svc, ROOM, NULL),
                   MUC_ERR_INVALID_ARG);
  free_host(h);
}

/* ---- destroy ------------------------------------------------------------- */

static void test_destroy(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  char big[1100];
  memset(big, 'r', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  assert_int_equal(muc_service_destroy_room(h->svc, ROOM, big, NULL, NULL),
                   MUC_ERR_LIMIT);
  assert_int_equal(
      muc_service_destroy_room(h->svc, ROOM, NULL, "bad@jid@x", NULL),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(h->nsent, 0);
  assert_int_equal(muc_service_destroy_room(h->svc, ROOM, "Moving",
                                            "orchard@" DOMAIN, "secret"),
                   MUC_OK);
  assert_int_equal(fakehost_count(h, "<destroy jid=\"orchard@" DOMAIN "\">"),
                   2);
  assert_non_null(fakehost_find(h, "to=\"" NURSE "\"", "unavailable",
                                "<reason>Moving</reason>",
                                "<password>secret</password>", NULL));
  assert_null(fakehost_stored(h, ROOM, NULL));
  assert_null(muc_service_find_room(h->svc, ROOM));
  assert_int_equal(muc_service_destroy_room(h->svc, ROOM, NULL, NULL, NULL),
                   MUC_ERR_NOT_FOUND);
  free_host(h);
}

/* ---- listing rooms ------------------------------------------------------- */

static void test_list_rooms(void **state)
{
  (void)state;
  fakehost *h = new_host(0, NULL);
  muc_room_options o;
  muc_room_options_default(h->svc, &o);
  const char *names[] = {"a", "b", "c", "d", "e"};
  for (int i = 0; i < 5; i++) {
    o.public_room = i % 2 == 0; /* a, c, e */
    o.persistent = i >= 3;      /* d, e */
    assert_int_equal(muc_service_create_room(h->svc, names[i], NULL, &o, 0),
                     MUC_OK);
  }
  fakehost_join(h, JULIET, "c@" DOMAIN, "juliet", "");
  muc_room_info page[2];
  size_t n;
  /* pages of two, each from the last one's cursor */
  char seen[8] = "";
  const char *after = NULL;
  char cursor[64];
  do {
    assert_int_equal(muc_service_list_rooms(h->svc, after, 0, page, 2, &n),
                     MUC_OK);
    for (size_t i = 0; i < n; i++)
      strncat(seen, page[i].jid, 1);
    if (n) {
      snprintf(cursor, sizeof(cursor), "%s", page[n - 1].jid);
      after = cursor;
    }
  } while (n == 2);
  assert_string_equal(seen, "abcde");
  assert_int_equal(
      muc_service_list_rooms(h->svc, NULL, MUC_LIST_PUBLIC, page, 2, &n),
      MUC_OK);
  assert_int_equal(n, 2);
  assert_string_equal(page[0].jid, "a@" DOMAIN);
  assert_string_equal(page[1].jid, "c@" DOMAIN);
  assert_int_equal(page[1].occupants, 1);
  assert_int_equal(
      muc_service_list_rooms(h->svc, "c", MUC_LIST_PUBLIC, page, 2, &n),
      MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(page[0].jid, "e@" DOMAIN);
  assert_int_equal(muc_service_list_rooms(h->svc, NULL,
                                          MUC_LIST_PUBLIC | MUC_LIST_PERSISTENT,
                                          page, 2, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(page[0].jid, "e@" DOMAIN);
  assert_int_equal(
      muc_service_list_rooms(h->svc, NULL, MUC_LIST_OCCUPIED, page, 2, &n),
      MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(page[0].jid, "c@" DOMAIN);
  /* errors */
  assert_int_equal(muc_service_list_rooms(h->svc, "gone", 0, page, 2, &n),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(muc_service_list_rooms(h->svc, NULL, 0x100, page, 2, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_list_rooms(h->svc, NULL, 0, NULL, 2, &n),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_list_rooms(h->svc, NULL, 0, page, 2, NULL),
                   MUC_ERR_INVALID_ARG);
  free_host(h);
}

/* ---- affiliations -------------------------------------------------------- */

static void test_affiliations(void **state)
{
  (void)state;
  fakehost *h = room_with_people(1);
  size_t stores = h->stores;
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM,
                                               "juliet@capulet.lit/any",
                                               MUC_AFFIL_MEMBER, "friend"),
                   MUC_OK);
  /* everybody sees Juliet's new affiliation, without an actor */
  assert_int_equal(fakehost_count(h, "affiliation=\"member\""), 3);
  assert_null(fakehost_find(h, "<actor", NULL));
  assert_true(h->stores > stores);
  assert_non_null(strstr(fakehost_stored(h, ROOM, NULL), "juliet@capulet.lit"));
  int aff;
  muc_affiliation_info info;
  assert_int_equal(muc_service_get_affiliation(
                       h->svc, ROOM, "juliet@capulet.lit", &aff, &info),
                   MUC_OK);
  assert_int_equal(aff, MUC_AFFIL_MEMBER);
  assert_string_equal(info.jid, "juliet@capulet.lit");
  assert_string_equal(info.reason, "friend");
  assert_int_equal(
      muc_service_get_affiliation(h->svc, ROOM, "tybalt@x.lit", &aff, &info),
      MUC_OK);
  assert_int_equal(aff, MUC_AFFIL_NONE);
  assert_string_equal(info.jid, "tybalt@x.lit");
  assert_null(info.reason);

  /* the last owner stays */
  fakehost_clear(h);
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM,
                                               "romeo@montague.lit",
                                               MUC_AFFIL_ADMIN, NULL),
                   MUC_ERR_NOT_ALLOWED);
  assert_int_equal(h->nsent, 0);
  /* a second owner: then the first may go */
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM,
                                               "juliet@capulet.lit",
                                               MUC_AFFIL_OWNER, NULL),
                   MUC_OK);
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM,
                                               "romeo@montague.lit",
                                               MUC_AFFIL_NONE, NULL),
                   MUC_OK);
  muc_affiliation_info list[4];
  size_t n;
  assert_int_equal(muc_service_list_affiliations(h->svc, ROOM, MUC_AFFIL_OWNER,
                                                 0, list, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].jid, "juliet@capulet.lit");

  /* a ban: the nurse leaves with 301 */
  fakehost_clear(h);
  assert_int_equal(muc_service_ban(h->svc, ROOM, "nurse@capulet.lit", "noisy"),
                   MUC_OK);
  assert_non_null(fakehost_find(h, "to=\"" NURSE "\"", "unavailable",
                                "code=\"301\"", "<reason>noisy</reason>",
                                NULL));
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM, "evil.example",
                                               MUC_AFFIL_OUTCAST, NULL),
                   MUC_OK);
  assert_int_equal(muc_service_list_affiliations(
                       h->svc, ROOM, MUC_AFFIL_OUTCAST, 0, list, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 2);
  assert_string_equal(list[0].jid, "nurse@capulet.lit");
  assert_string_equal(list[1].jid, "evil.example");
  assert_int_equal(muc_service_list_affiliations(
                       h->svc, ROOM, MUC_AFFIL_OUTCAST, 1, list, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].jid, "evil.example");
  assert_int_equal(muc_service_get_affiliation(
                       h->svc, ROOM, "someone@evil.example", &aff, NULL),
                   MUC_OK);
  assert_int_equal(aff, MUC_AFFIL_OUTCAST);

  /* errors */
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM, "x@y", 7, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM, "@@", 1, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM, NULL, 1, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_set_affiliation(h->svc, "gone", "x@y", 1, NULL),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(muc_service_get_affiliation(h->svc, ROOM, "x@y", NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_list_affiliations(h->svc, ROOM, 5, 0, list, 4, &n),
      MUC_ERR_INVALID_ARG);
  free_host(h);
}

static void test_affiliation_limit(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_affiliations_per_room = 2;
  fakehost *h = new_host(0, &cfg);
  assert_int_equal(muc_service_create_room(h->svc, "room", ROMEO, NULL, 0),
                   MUC_OK);
  assert_int_equal(
      muc_service_set_affiliation(h->svc, "room", "a@x", MUC_AFFIL_MEMBER, ""),
      MUC_OK);
  assert_int_equal(
      muc_service_set_affiliation(h->svc, "room", "b@x", MUC_AFFIL_MEMBER, ""),
      MUC_ERR_LIMIT);
  /* changes to existing entries and removals always work */
  assert_int_equal(
      muc_service_set_affiliation(h->svc, "room", "a@x", MUC_AFFIL_ADMIN, ""),
      MUC_OK);
  assert_int_equal(
      muc_service_set_affiliation(h->svc, "room", "a@x", MUC_AFFIL_NONE, ""),
      MUC_OK);
  assert_int_equal(
      muc_service_set_affiliation(h->svc, "room", "b@x", MUC_AFFIL_MEMBER, ""),
      MUC_OK);
  free_host(h);
}

static void test_member_of_members_only_room_invited(void **state)
{
  (void)state;
  fakehost *h = new_host(0, NULL);
  muc_room_options o;
  muc_room_options_default(h->svc, &o);
  o.members_only = 1;
  assert_int_equal(muc_service_create_room(h->svc, "room", ROMEO, &o, 0),
                   MUC_OK);
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM,
                                               "juliet@capulet.lit",
                                               MUC_AFFIL_MEMBER, NULL),
                   MUC_OK);
  /* §9.3: the new member is invited, by the room (no inviter named) */
  const char *inv =
      fakehost_find(h, "to=\"juliet@capulet.lit\"", "<invite", NULL);
  assert_non_null(inv);
  assert_null(strstr(inv, "<invite from"));
  /* and may enter */
  fakehost_clear(h);
  fakehost_join(h, JULIET, ROOM, "juliet", "");
  assert_null(fakehost_find(h, "type=\"error\"", NULL));
  free_host(h);
}

/* ---- occupants and roles ------------------------------------------------- */

static void test_occupants(void **state)
{
  (void)state;
  fakehost *h = room_with_people(1);
  /* Juliet's second session shares her nick */
  assert_int_equal(
      fakehost_join(h, "juliet@capulet.lit/tomb", ROOM, "juliet", ""), MUC_OK);
  muc_occupant_info occ[4];
  size_t n;
  assert_int_equal(muc_service_list_occupants(h->svc, ROOM, 0, occ, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 3);
  assert_string_equal(occ[0].nick, "romeo");
  assert_int_equal(occ[0].role, MUC_ROLE_MODERATOR);
  assert_int_equal(occ[0].affiliation, MUC_AFFIL_OWNER);
  assert_string_equal(occ[0].primary, ROMEO);
  assert_string_equal(occ[1].nick, "juliet");
  assert_string_equal(occ[1].jid, "juliet@capulet.lit");
  assert_int_equal(occ[1].role, MUC_ROLE_PARTICIPANT);
  assert_int_equal(occ[1].sessions, 2);
  assert_int_equal(muc_service_list_occupants(h->svc, ROOM, 2, occ, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(occ[0].nick, "nurse");

  const char *jids[4];
  muc_occupant_info one;
  assert_int_equal(
      muc_service_get_occupant(h->svc, ROOM, "juliet", &one, jids, 4, &n),
      MUC_OK);
  assert_int_equal(n, 2);
  assert_string_equal(jids[0], JULIET);
  assert_string_equal(jids[1], "juliet@capulet.lit/tomb");
  assert_int_equal(
      muc_service_get_occupant(h->svc, ROOM, "tybalt", &one, jids, 4, &n),
      MUC_ERR_NOT_FOUND);
  assert_int_equal(
      muc_service_get_occupant(h->svc, ROOM, "", &one, NULL, 0, NULL),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_list_occupants(h->svc, "gone", 0, occ, 4, &n),
                   MUC_ERR_NOT_FOUND);
  free_host(h);
}

static void test_roles(void **state)
{
  (void)state;
  fakehost *h = room_with_people(1);
  /* revoke voice: everybody sees the nurse become a visitor */
  assert_int_equal(
      muc_service_set_role(h->svc, ROOM, "nurse", MUC_ROLE_VISITOR, "hush"),
      MUC_OK);
  assert_int_equal(fakehost_count(h, "role=\"visitor\""), 3);
  assert_int_equal(
      muc_room_get_role(muc_service_find_room(h->svc, ROOM), "nurse"),
      MUC_ROLE_VISITOR);
  /* grant voice, then moderator status */
  assert_int_equal(
      muc_service_set_role(h->svc, ROOM, "nurse", MUC_ROLE_PARTICIPANT, NULL),
      MUC_OK);
  assert_int_equal(
      muc_service_set_role(h->svc, ROOM, "juliet", MUC_ROLE_MODERATOR, NULL),
      MUC_OK);
  assert_non_null(fakehost_find(h, "to=\"" NURSE "\"",
                                "from=\"" ROOM "/juliet\"",
                                "role=\"moderator\"", NULL));
  /* revoke moderator */
  assert_int_equal(
      muc_service_set_role(h->svc, ROOM, "juliet", MUC_ROLE_PARTICIPANT, NULL),
      MUC_OK);
  /* the owner keeps voice and moderator status */
  fakehost_clear(h);
  assert_int_equal(
      muc_service_set_role(h->svc, ROOM, "romeo", MUC_ROLE_VISITOR, NULL),
      MUC_ERR_NOT_ALLOWED);
  assert_int_equal(h->nsent, 0);
  /* kick: 307 to all, the kicked one included */
  assert_int_equal(muc_service_kick(h->svc, ROOM, "nurse", "out"), MUC_OK);
  assert_non_null(fakehost_find(h, "to=\"" NURSE "\"", "unavailable",
                                "code=\"307\"", "<reason>out</reason>", NULL));
  assert_int_equal(fakehost_count(h, "code=\"307\""), 3);
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(h->svc, ROOM)), 2);
  /* errors */
  assert_int_equal(muc_service_kick(h->svc, ROOM, "nurse", NULL),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(muc_service_set_role(h->svc, ROOM, "juliet", 9, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_kick(h->svc, ROOM, NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  free_host(h);
}

static void test_kick_last_leaves_temporary_room(void **state)
{
  (void)state;
  fakehost *h = new_host(0, NULL);
  assert_int_equal(muc_service_create_room(h->svc, "tmp", NULL, NULL, 0),
                   MUC_OK);
  fakehost_join(h, JULIET, "tmp@" DOMAIN, "juliet", "");
  assert_int_equal(muc_service_kick(h->svc, "tmp", "juliet", NULL), MUC_OK);
  /* as after a stanza: the empty temporary room is gone */
  assert_null(muc_service_find_room(h->svc, "tmp"));
  free_host(h);
}

/* ---- subject and history ------------------------------------------------- */

static void test_subject(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  size_t stores = h->stores;
  assert_int_equal(muc_service_set_subject(h->svc, ROOM, "Fair Verona"),
                   MUC_OK);
  assert_int_equal(fakehost_count(h, "<subject>Fair Verona</subject>"), 2);
  assert_non_null(fakehost_find(h, "from=\"" ROOM "\"", "to=\"" JULIET "\"",
                                "<subject>Fair Verona</subject>", NULL));
  assert_true(h->stores > stores);
  assert_non_null(strstr(fakehost_stored(h, ROOM, NULL), "Fair Verona"));
  assert_string_equal(muc_room_get_subject(muc_service_find_room(h->svc, ROOM)),
                      "Fair Verona");
  /* a newcomer gets it, from the room */
  fakehost_clear(h);
  fakehost_join(h, ROMEO, ROOM, "romeo", "");
  assert_non_null(fakehost_find(h, "to=\"" ROMEO "\"", "from=\"" ROOM "\"",
                                "<subject>Fair Verona</subject>", NULL));
  /* "" clears it */
  assert_int_equal(muc_service_set_subject(h->svc, ROOM, ""), MUC_OK);
  assert_string_equal(muc_room_get_subject(muc_service_find_room(h->svc, ROOM)),
                      "");
  /* errors */
  char big[5000];
  memset(big, 's', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  assert_int_equal(muc_service_set_subject(h->svc, ROOM, big), MUC_ERR_LIMIT);
  assert_int_equal(muc_service_set_subject(h->svc, ROOM, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_set_subject(h->svc, "gone", "x"),
                   MUC_ERR_NOT_FOUND);
  free_host(h);
}

static void test_history(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  for (int i = 0; i < 3; i++) {
    h->now += 1000;
    fakehost_xml(h,
                 "<message from='%s' to='" ROOM "' type='groupchat'>"
                 "<body>line %d</body></message>",
                 i == 1 ? NURSE : JULIET, i);
  }
  muc_history_item items[4];
  size_t n;
  assert_int_equal(muc_service_get_history(h->svc, ROOM, 0, items, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 3);
  assert_string_equal(items[0].nick, "juliet");
  assert_string_equal(items[1].nick, "nurse");
  assert_int_equal(items[2].time_ms, h->now);
  assert_int_equal(items[0].time_ms, h->now - 2000);
  char *x = strndup(items[1].xml, items[1].len);
  assert_non_null(strstr(x, "<body>line 1</body>"));
  assert_non_null(strstr(x, "urn:xmpp:delay"));
  free(x);
  assert_int_equal(muc_service_get_history(h->svc, ROOM, 2, items, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(items[0].nick, "juliet");
  assert_int_equal(muc_service_get_history(h->svc, ROOM, 5, items, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 0);
  assert_int_equal(muc_service_get_history(h->svc, "gone", 0, items, 4, &n),
                   MUC_ERR_NOT_FOUND);
  free_host(h);
}

/* ---- loading rooms ------------------------------------------------------- */

static void test_loading_room(void **state)
{
  (void)state;
  fakehost *h = new_host(1, NULL);
  h->async_load = 1;
  fakehost_join(h, JULIET, ROOM, "juliet", "");
  assert_non_null(h->load_request);
  size_t n;
  muc_occupant_info occ[1];
  assert_int_equal(muc_service_list_occupants(h->svc, ROOM, 0, occ, 1, &n),
                   MUC_ERR_LOADING);
  assert_int_equal(muc_service_kick(h->svc, ROOM, "juliet", NULL),
                   MUC_ERR_LOADING);
  /* what storage will say is not known yet */
  assert_int_equal(muc_service_create_room(h->svc, ROOM, NULL, NULL, 0),
                   MUC_ERR_LOADING);
  muc_room_info rooms[1];
  assert_int_equal(muc_service_list_rooms(h->svc, NULL, 0, rooms, 1, &n),
                   MUC_OK);
  assert_int_equal(n, 0); /* loading rooms are not listed */
  free_host(h);
}

/* ---- calls from inside callbacks ----------------------------------------- */

typedef struct reentry {
  int done;
  int rc[6];
} reentry;
static reentry re;

/* On the first delivery to Juliet: change the room from inside
 * send_bytes, checking what each call says at once. */
static void react_in_send(fakehost *h, const char *xml)
{
  if (re.done || !strstr(xml, "to=\"" JULIET "\""))
    return;
  re.done = 1;
  re.rc[0] = muc_service_set_affiliation(h->svc, ROOM, "romeo@montague.lit",
                                         MUC_AFFIL_NONE, NULL);
  re.rc[1] = muc_service_kick(h->svc, ROOM, "tybalt", NULL);
  re.rc[2] = muc_service_set_subject(h->svc, ROOM, "Nested");
  re.rc[3] = muc_service_kick(h->svc, ROOM, "nurse", "nested");
  muc_occupant_info occ[4];
  size_t n = 0;
  re.rc[4] = muc_service_list_occupants(h->svc, ROOM, 0, occ, 4, &n);
  re.rc[5] = (int)n;
}

static void test_from_send_bytes(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  memset(&re, 0, sizeof(re));
  h->on_send = react_in_send;
  assert_int_equal(muc_service_set_subject(h->svc, ROOM, "First"), MUC_OK);
  assert_true(re.done);
  assert_int_equal(re.rc[0], MUC_ERR_NOT_ALLOWED); /* the last owner */
  assert_int_equal(re.rc[1], MUC_ERR_NOT_FOUND);
  assert_int_equal(re.rc[2], MUC_OK);
  assert_int_equal(re.rc[3], MUC_OK);
  assert_int_equal(re.rc[4], MUC_OK);
  assert_int_equal(re.rc[5], 2); /* seen before the nested calls ran */
  /* the nested calls ran before the outer one returned, in order: the
   * first subject's deliveries all came before the nested one's */
  muc_room *r = muc_service_find_room(h->svc, ROOM);
  assert_string_equal(muc_room_get_subject(r), "Nested");
  assert_int_equal(muc_room_get_occupant_count(r), 1);
  assert_non_null(fakehost_find(h, "to=\"" NURSE "\"", "code=\"307\"", NULL));
  size_t first = 0, nested = 0;
  for (size_t i = 0; i < h->nsent; i++) {
    if (strstr(h->sent[i], "First"))
      first = i;
    if (strstr(h->sent[i], "Nested") && !nested)
      nested = i;
  }
  assert_true(first < nested);
  free_host(h);
}

/* From inside store_room (in the middle of a change): a room is
 * destroyed, another created. */
static void react_in_store(fakehost *h, const char *jid)
{
  if (re.done || strcmp(jid, ROOM) != 0)
    return;
  re.done = 1;
  re.rc[0] = muc_service_destroy_room(h->svc, ROOM, "nested", NULL, NULL);
  re.rc[1] = muc_service_create_room(h->svc, "other", NULL, NULL, 0);
  re.rc[2] = muc_service_create_room(h->svc, ROOM, NULL, NULL, 0);
  muc_room_options o;
  re.rc[3] = muc_service_get_room_options(h->svc, ROOM, &o);
}

static void test_from_store_room(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  memset(&re, 0, sizeof(re));
  h->on_store = react_in_store;
  assert_int_equal(muc_service_set_affiliation(h->svc, ROOM,
                                               "juliet@capulet.lit",
                                               MUC_AFFIL_MEMBER, NULL),
                   MUC_OK);
  assert_true(re.done);
  assert_int_equal(re.rc[0], MUC_OK);
  /* "other" may be in storage: asked for (queued, from a callback) */
  assert_int_equal(re.rc[1], MUC_ERR_LOADING);
  assert_int_equal(re.rc[2], MUC_ERR_EXISTS); /* still there at that time */
  assert_int_equal(re.rc[3], MUC_OK);
  /* the affiliation change was announced, then the room destroyed */
  size_t member = h->nsent, destroy = 0;
  for (size_t i = 0; i < h->nsent; i++) {
    if (strstr(h->sent[i], "affiliation=\"member\"") && member == h->nsent)
      member = i;
    if (strstr(h->sent[i], "<destroy"))
      destroy = i;
  }
  assert_true(member < destroy);
  assert_null(muc_service_find_room(h->svc, ROOM));
  /* storage said "other" is absent: made when asked again, not asked */
  size_t loads = h->loads;
  assert_int_equal(muc_service_create_room(h->svc, "other", NULL, NULL, 0),
                   MUC_OK);
  assert_int_equal(h->loads, loads);
  assert_non_null(muc_service_find_room(h->svc, "other"));
  free_host(h);
}

/* A nested change whose room went away before it ran: the outer call
 * reports it. */
static void react_destroy_then_kick(fakehost *h, const char *xml)
{
  (void)xml;
  if (re.done)
    return;
  re.done = 1;
  re.rc[0] = muc_service_destroy_room(h->svc, ROOM, NULL, NULL, NULL);
  re.rc[1] = muc_service_kick(h->svc, ROOM, "juliet", NULL);
}

static void test_nested_failure_folded(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  memset(&re, 0, sizeof(re));
  h->on_send = react_destroy_then_kick;
  int rc = muc_service_set_subject(h->svc, ROOM, "x");
  assert_int_equal(re.rc[0], MUC_OK);
  assert_int_equal(re.rc[1], MUC_OK); /* the room was there when asked */
  assert_int_equal(rc, MUC_ERR_NOT_FOUND);
  assert_null(muc_service_find_room(h->svc, ROOM));
  free_host(h);
}

/* A failed store_room: the change is made and announced, the call says
 * MUC_ERR_STORAGE. */
static void test_store_failure(void **state)
{
  (void)state;
  fakehost *h = room_with_people(0);
  h->store_fails = 1;
  assert_int_equal(muc_service_set_subject(h->svc, ROOM, "Lost"),
                   MUC_ERR_STORAGE);
  assert_string_equal(muc_room_get_subject(muc_service_find_room(h->svc, ROOM)),
                      "Lost");
  assert_int_equal(fakehost_count(h, "<subject>Lost</subject>"), 2);
  free_host(h);
}

/* From inside load_room: the room being loaded exists (EXISTS) and is
 * loading (LOADING); another room can be made at once. */
static void react_in_load(fakehost *h, const char *jid)
{
  (void)jid;
  size_t n;
  muc_occupant_info occ[1];
  re.done = 1;
  re.rc[0] = muc_service_create_room(h->svc, ROOM, NULL, NULL, 0);
  re.rc[1] = muc_service_list_occupants(h->svc, ROOM, 0, occ, 1, &n);
  re.rc[2] = muc_service_create_room(h->svc, "other", NULL, NULL, 0);
}

static void test_from_load_room(void **state)
{
  (void)state;
  fakehost *h = new_host(1, NULL);
  memset(&re, 0, sizeof(re));
  h->on_load = react_in_load;
  assert_int_equal(fakehost_join(h, JULIET, ROOM, "juliet", ""), MUC_OK);
  assert_true(re.done);
  assert_int_equal(re.rc[0], MUC_ERR_LOADING);
  assert_int_equal(re.rc[1], MUC_ERR_LOADING);
  assert_int_equal(re.rc[2], MUC_ERR_LOADING); /* its load was queued */
  assert_null(muc_service_find_room(h->svc, "other"));
  assert_int_equal(muc_service_create_room(h->svc, "other", NULL, NULL, 0),
                   MUC_OK);
  assert_non_null(muc_service_find_room(h->svc, "other"));
  /* the join went on: the room was not in storage, so Juliet made it */
  assert_int_equal(
      muc_room_get_occupant_count(muc_service_find_room(h->svc, ROOM)), 1);
  free_host(h);
}

static void test_strerror_of_new_codes(void **state)
{
  (void)state;
  const int codes[] = {MUC_ERR_EXISTS, MUC_ERR_NOT_ALLOWED, MUC_ERR_LOADING};
  for (size_t i = 0; i < 3; i++) {
    assert_string_not_equal(muc_strerror(codes[i]), "unknown error");
    assert_false(muc_error_is_fatal(codes[i]));
  }
}

/* ---- out of memory ------------------------------------------------------- */

static int discard(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static int keep_nothing(const char *jid, const char *data, size_t len, void *ud)
{
  (void)jid, (void)data, (void)len, (void)ud;
  return 0;
}

static uint64_t fixed_now(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

/* Every admin function once, over a room with people; the first failing
 * code (MUC_OK if none), and every later call must repeat a fatal one. */
static int admin_run(muc_service *svc)
{
  int first = MUC_OK;
#define STEP(call)                                                             \
  do {                                                                         \
    int rc_ = (call);                                                          \
    if (first == MUC_OK && rc_ != MUC_OK)                                      \
      first = rc_;                                                             \
    else if (muc_error_is_fatal(first))                                        \
      assert_int_equal(rc_, first);                                            \
  } while (0)
  static const char *const joins[] = {
      "<presence from='" ROMEO "' to='" ROOM "/romeo'>"
      "<x xmlns='http://jabber.org/protocol/muc'/></presence>",
      "<presence from='" JULIET "' to='" ROOM "/juliet'>"
      "<x xmlns='http://jabber.org/protocol/muc'/></presence>",
      "<message from='" JULIET "' to='" ROOM "' type='groupchat'>"
      "<body>hi</body></message>"};
  muc_room_options o;
  muc_room_options_default(svc, &o);
  o.persistent = 1;
  o.name = "Garden";
  STEP(muc_service_create_room(svc, "room", ROMEO, &o, 0));
  for (size_t i = 0; i < 3; i++)
    STEP(muc_service_handle_xml(svc, joins[i], strlen(joins[i])));
  o.whois = MUC_WHOIS_ANYONE;
  STEP(muc_service_set_room_options(svc, ROOM, &o));
  STEP(muc_service_set_affiliation(svc, ROOM, "juliet@capulet.lit",
                                   MUC_AFFIL_MEMBER, "friend"));
  STEP(muc_service_set_role(svc, ROOM, "juliet", MUC_ROLE_MODERATOR, "up"));
  STEP(muc_service_set_subject(svc, ROOM, "Verona"));
  muc_affiliation_info a[2];
  muc_occupant_info occ[2];
  muc_history_item items[2];
  muc_room_info rooms[2];
  size_t n;
  int aff;
  STEP(muc_service_get_affiliation(svc, ROOM, "nobody@x.lit", &aff, a));
  STEP(muc_service_list_affiliations(svc, ROOM, MUC_AFFIL_MEMBER, 0, a, 2, &n));
  STEP(muc_service_list_occupants(svc, ROOM, 0, occ, 2, &n));
  STEP(muc_service_get_history(svc, ROOM, 0, items, 2, &n));
  STEP(muc_service_list_rooms(svc, NULL, 0, rooms, 2, &n));
  STEP(muc_service_ban(svc, ROOM, "juliet@capulet.lit", "bye"));
  STEP(muc_service_destroy_room(svc, ROOM, "done", "other@" DOMAIN, "pw"));
#undef STEP
  return first;
}

static void test_out_of_memory(void **state)
{
  (void)state;
  muc_callbacks cb = {0};
  cb.send_bytes = discard;
  cb.now = fixed_now;
  cb.store_room = keep_nothing;
  for (long at = 0;; at++) {
    counter c = {0, at, 0};
    muc_allocator a = {c_malloc, c_realloc, c_free, &c};
    muc_service *svc = NULL;
    int rc = muc_service_new(&svc, DOMAIN, &cb, NULL, &a, NULL);
    if (rc == MUC_OK)
      rc = admin_run(svc);
    assert_true(rc == MUC_OK || rc == MUC_ERR_NOMEM);
    muc_service_free(svc);
    assert_int_equal(c.live, 0);
    if (c.attempts <= at) {
      assert_int_equal(rc, MUC_OK); /* nothing failed: the whole run */
      assert_true(at > 50);         /* the run allocates: it was really tried */
      break;
    }
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_options_default),
      cmocka_unit_test(test_create_instant),
      cmocka_unit_test(test_create_limit),
      cmocka_unit_test(test_create_reserved),
      cmocka_unit_test(test_room_options),
      cmocka_unit_test(test_destroy),
      cmocka_unit_test(test_list_rooms),
      cmocka_unit_test(test_affiliations),
      cmocka_unit_test(test_affiliation_limit),
      cmocka_unit_test(test_member_of_members_only_room_invited),
      cmocka_unit_test(test_occupants),
      cmocka_unit_test(test_roles),
      cmocka_unit_test(test_kick_last_leaves_temporary_room),
      cmocka_unit_test(test_subject),
      cmocka_unit_test(test_history),
      cmocka_unit_test(test_loading_room),
      cmocka_unit_test(test_from_send_bytes),
      cmocka_unit_test(test_from_store_room),
      cmocka_unit_test(test_nested_failure_folded),
      cmocka_unit_test(test_store_failure),
      cmocka_unit_test(test_from_load_room),
      cmocka_unit_test(test_strerror_of_new_codes),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
