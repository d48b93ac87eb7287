#define _POSIX_C_SOURCE 200809L
/* Hibernation (muc_config V3): idle rooms that lose nothing by it are
 * stored and evicted, by the fake clock and at max_rooms (least recently
 * used first), and come back with the next stanza, synchronous or
 * asynchronous storage; a failing store keeps the room; evicted public
 * rooms stay in the room list, which is stored and read back after a
 * restart and follows name, public and destroy changes. */
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
#define MUCNS "http://jabber.org/protocol/muc"
#define T0 1767225600000ull /* fakehost's clock */
#define IDLE 60000u

static muc_config config(uint32_t idle, uint32_t max_rooms, int list)
{
  muc_config c;
  muc_config_default(&c);
  c.room_persistent = 1;
  c.room_public = 1;
  c.room_lock_new = 0;
  c.hibernate_idle_ms = idle;
  c.max_rooms = max_rooms;
  c.store_room_list = list;
  return c;
}

static void start(fakehost *h, const muc_config *c)
{
  assert_int_equal(fakehost_init(h, DOMAIN, c, 1), MUC_OK);
}

/* |user| creates the room |node| (owner) and leaves it empty. */
static void make_empty(fakehost *h, const char *node, const char *user)
{
  char room[128];
  snprintf(room, sizeof room, "%s@" DOMAIN, node);
  assert_int_equal(fakehost_join(h, user, room, "Owner", ""), MUC_OK);
  assert_int_equal(fakehost_leave(h, user, room, "Owner"), MUC_OK);
}

static void name_room(fakehost *h, const char *node, const char *user,
                      const char *field, const char *value)
{
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='%s' to='%s@" DOMAIN "' id='n1' type='set'>"
                   "<query xmlns='" MUCNS "#owner'><x xmlns='jabber:x:data' "
                   "type='submit'><field var='FORM_TYPE'><value>" MUCNS
                   "#roomconfig</value></field><field var='%s'><value>%s"
                   "</value></field></x></query></iq>",
                   user, node, field, value),
      MUC_OK);
}

static int in_memory(fakehost *h, const char *node)
{
  char room[128];
  snprintf(room, sizeof room, "%s@" DOMAIN, node);
  return muc_service_find_room(h->svc, room) != NULL;
}

static int timeout_at(fakehost *h, uint64_t at)
{
  h->now = at;
  return muc_service_handle_timeout(h->svc);
}

/* The service's disco#items answer. */
static const char *items(fakehost *h)
{
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h, "<iq from='x@localhost/x' to='" DOMAIN
                                   "' id='i1' type='get'><query xmlns="
                                   "'http://jabber.org/protocol/disco#items'/>"
                                   "</iq>"),
                   MUC_OK);
  assert_int_equal(h->nsent, 1);
  return h->sent[0];
}

static void test_idle_eviction(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(IDLE, 100, 0);
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  name_room(&h, "a", "romeo@localhost/r", "muc#roomconfig_roomname", "Aaa");
  assert_int_equal(muc_service_next_deadline(h.svc), T0 + IDLE);
  assert_int_equal(timeout_at(&h, T0 + IDLE - 1), MUC_OK);
  assert_true(in_memory(&h, "a"));
  size_t stores = h.stores;
  assert_int_equal(timeout_at(&h, T0 + IDLE), MUC_OK);
  assert_false(in_memory(&h, "a"));
  assert_int_equal(h.stores, stores + 1);
  assert_int_equal(muc_service_get_room_count(h.svc), 0);
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX);
  /* still listed, with its name */
  assert_non_null(strstr(items(&h), "jid=\"a@" DOMAIN "\" name=\"Aaa\""));
  /* the next stanza brings it back, as it was: Romeo still owns it */
  size_t loads = h.loads;
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/r", "a@" DOMAIN, "Owner", ""), MUC_OK);
  assert_int_equal(h.loads, loads + 1);
  assert_true(in_memory(&h, "a"));
  assert_non_null(fakehost_find(&h, "affiliation=\"owner\"", NULL));
  assert_null(fakehost_find(&h, "code=\"201\"", NULL));
  /* listed once, from memory */
  const char *list = items(&h);
  const char *first = strstr(list, "a@" DOMAIN);
  assert_non_null(first);
  assert_null(strstr(first + 1, "a@" DOMAIN));
  /* occupied: never evicted */
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX);
  assert_int_equal(timeout_at(&h, T0 + 10 * IDLE), MUC_OK);
  assert_true(in_memory(&h, "a"));
  fakehost_free(&h);
}

/* A temporary room ends when empty (§10.1.1: nothing to evict; a locked
 * one ends when its creator leaves, §10.1.3). */
static void test_not_evicted(void **state)
{
  (void)state;
  fakehost h;
  muc_config c;
  c = config(IDLE, 100, 0);
  c.room_persistent = 0;
  start(&h, &c);
  make_empty(&h, "temp", "romeo@localhost/r");
  assert_false(in_memory(&h, "temp"));
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX);
  fakehost_free(&h);

  /* without store_history a room with history keeps it in memory */
  c = config(IDLE, 100, 0);
  c.store_history = 0;
  start(&h, &c);
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/r", "h@" DOMAIN, "Owner", ""), MUC_OK);
  assert_int_equal(
      fakehost_xml(&h, "<message from='romeo@localhost/r' to='h@" DOMAIN
                       "' type='groupchat'><body>hi</body></message>"),
      MUC_OK);
  assert_int_equal(
      fakehost_leave(&h, "romeo@localhost/r", "h@" DOMAIN, "Owner"), MUC_OK);
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX);
  assert_true(in_memory(&h, "h"));
  fakehost_free(&h);
}

static void test_lru_at_max_rooms(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(0, 2, 0);
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  h.now += 10;
  make_empty(&h, "b", "romeo@localhost/r");
  h.now += 10;
  /* a is used again: b is now the least recently used */
  assert_int_equal(fakehost_xml(&h, "<iq from='x@localhost/x' to='a@" DOMAIN
                                    "' id='p' type='get'><ping "
                                    "xmlns='urn:xmpp:ping'/></iq>"),
                   MUC_OK);
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX); /* idle 0 */
  make_empty(&h, "c", "romeo@localhost/r");
  assert_true(in_memory(&h, "a"));
  assert_false(in_memory(&h, "b"));
  assert_true(in_memory(&h, "c"));
  assert_non_null(fakehost_stored(&h, "b@" DOMAIN, NULL));
  /* b comes back, evicting a */
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "juliet@localhost/j", "b@" DOMAIN, "Juliet", ""),
      MUC_OK);
  assert_true(in_memory(&h, "b"));
  assert_false(in_memory(&h, "a"));
  assert_null(fakehost_find(&h, "resource-constraint", NULL));
  /* b occupied, c empty: c goes; then nothing can go */
  assert_int_equal(
      fakehost_join(&h, "juliet@localhost/j", "d@" DOMAIN, "Juliet", ""),
      MUC_OK);
  assert_false(in_memory(&h, "c"));
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "juliet@localhost/j", "e@" DOMAIN, "Juliet", ""),
      MUC_OK);
  assert_false(in_memory(&h, "e"));
  assert_non_null(fakehost_find(&h, "resource-constraint", NULL));
  fakehost_free(&h);

  /* evict_at_max_rooms 0: refused as before */
  c.evict_at_max_rooms = 0;
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  make_empty(&h, "b", "romeo@localhost/r");
  fakehost_clear(&h);
  make_empty(&h, "c", "romeo@localhost/r");
  assert_non_null(fakehost_find(&h, "resource-constraint", NULL));
  assert_true(in_memory(&h, "a"));
  fakehost_free(&h);
}

static void test_failing_store_keeps_room(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(IDLE, 1, 0);
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  h.store_fails = 1;
  uint64_t at = T0 + IDLE;
  for (int i = 0; i < MUC_HIBERNATE_TRIES; i++) {
    assert_int_equal(muc_service_next_deadline(h.svc), at);
    assert_int_equal(timeout_at(&h, at), MUC_ERR_STORAGE);
    assert_true(in_memory(&h, "a"));
    at += IDLE;
  }
  /* tried enough: it waits for its next stanza */
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX);
  /* at max_rooms it cannot make room either: refused */
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "juliet@localhost/j", "b@" DOMAIN, "Juliet", ""),
      MUC_OK);
  assert_non_null(fakehost_find(&h, "resource-constraint", NULL));
  assert_true(in_memory(&h, "a"));
  /* the room is as it was: Romeo is its owner */
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/r", "a@" DOMAIN, "Owner", ""), MUC_OK);
  assert_non_null(fakehost_find(&h, "affiliation=\"owner\"", NULL));
  assert_int_equal(
      fakehost_leave(&h, "romeo@localhost/r", "a@" DOMAIN, "Owner"), MUC_OK);
  /* back on the list: at max_rooms its eviction fails, the join is
   * refused and the call says why */
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "juliet@localhost/j", "b@" DOMAIN, "Juliet", ""),
      MUC_ERR_STORAGE);
  assert_non_null(fakehost_find(&h, "resource-constraint", NULL));
  assert_true(in_memory(&h, "a"));
  h.store_fails = 0;
  assert_int_equal(muc_service_next_deadline(h.svc), h.now + IDLE);
  assert_int_equal(timeout_at(&h, h.now + IDLE), MUC_OK);
  assert_false(in_memory(&h, "a"));
  fakehost_free(&h);
}

static void test_async_reload_queues(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(IDLE, 100, 0);
  start(&h, &c);
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/r", "a@" DOMAIN, "Owner", ""), MUC_OK);
  assert_int_equal(fakehost_xml(&h, "<message from='romeo@localhost/r' "
                                    "to='a@" DOMAIN "' type='groupchat'>"
                                    "<subject>Stored</subject></message>"),
                   MUC_OK);
  assert_int_equal(
      fakehost_leave(&h, "romeo@localhost/r", "a@" DOMAIN, "Owner"), MUC_OK);
  assert_int_equal(timeout_at(&h, T0 + IDLE), MUC_OK);
  assert_false(in_memory(&h, "a"));
  h.async_load = 1;
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "juliet@localhost/j", "a@" DOMAIN, "Juliet", ""),
      MUC_OK);
  assert_int_equal(fakehost_xml(&h,
                                "<iq from='juliet@localhost/j' to='a@" DOMAIN
                                "' id='p2' type='get'><ping "
                                "xmlns='urn:xmpp:ping'/></iq>"),
                   MUC_OK);
  assert_int_equal(h.nsent, 0); /* both wait for storage */
  assert_string_equal(h.load_request, "a@" DOMAIN);
  size_t len;
  const char *rec = fakehost_stored(&h, "a@" DOMAIN, &len);
  assert_non_null(rec);
  assert_int_equal(muc_service_room_loaded(h.svc, "a@" DOMAIN, rec, len),
                   MUC_OK);
  /* in order: the join (with the stored subject), then the ping */
  const char *pres = fakehost_find(&h, "<presence", "Juliet", NULL);
  const char *subj = fakehost_find(&h, "<subject>Stored</subject>", NULL);
  const char *ping = fakehost_find(&h, "id=\"p2\"", "type=\"result\"", NULL);
  assert_non_null(pres);
  assert_non_null(subj);
  assert_non_null(ping);
  size_t ip = 0, is = 0, ig = 0;
  for (size_t i = 0; i < h.nsent; i++) {
    ip = h.sent[i] == pres ? i : ip;
    is = h.sent[i] == subj ? i : is;
    ig = h.sent[i] == ping ? i : ig;
  }
  assert_true(ip < is && is < ig);
  fakehost_free(&h);
}

/* The records of |from|, given to the fresh host |to|. */
static void carry_store(fakehost *to, fakehost *from)
{
  for (size_t i = 0; i < from->nstore; i++) {
    to->store[i] = from->store[i];
    from->store[i].jid = from->store[i].data = NULL;
  }
  to->nstore = from->nstore;
  from->nstore = 0;
}

static void test_list_survives_restart(void **state)
{
  (void)state;
  fakehost h, h2;
  muc_config c = config(IDLE, 100, 1);
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  name_room(&h, "a", "romeo@localhost/r", "muc#roomconfig_roomname",
            "Room &amp; A");
  make_empty(&h, "b", "romeo@localhost/r");
  make_empty(&h, "hidden", "romeo@localhost/r");
  name_room(&h, "hidden", "romeo@localhost/r", "muc#roomconfig_publicroom",
            "0");
  assert_int_equal(timeout_at(&h, T0 + IDLE), MUC_OK); /* all evicted */
  assert_int_equal(muc_service_get_room_count(h.svc), 0);
  const char *list = items(&h);
  assert_non_null(strstr(list, "jid=\"a@" DOMAIN "\" name=\"Room &amp; A\""));
  assert_non_null(strstr(list, "jid=\"b@" DOMAIN "\""));
  assert_null(strstr(list, "hidden"));
  assert_int_equal(muc_service_shutdown(h.svc), MUC_OK);
  assert_non_null(fakehost_stored(&h, DOMAIN, NULL));
  muc_service_free(h.svc);
  h.svc = NULL;

  start(&h2, &c);
  carry_store(&h2, &h);
  fakehost_free(&h);
  list = items(&h2); /* the first entry point asks for the list */
  assert_int_equal(h2.loads, 1);
  assert_string_equal(h2.load_request, DOMAIN);
  assert_int_equal(muc_service_get_room_count(h2.svc), 0);
  assert_non_null(strstr(list, "jid=\"a@" DOMAIN "\" name=\"Room &amp; A\""));
  assert_non_null(strstr(list, "jid=\"b@" DOMAIN "\""));
  assert_null(strstr(list, "hidden"));
  /* a second answer is no answer to anything */
  assert_int_equal(muc_service_room_loaded(h2.svc, DOMAIN, NULL, 0),
                   MUC_ERR_INVALID_ARG);
  fakehost_free(&h2);

  /* answered late: the list is not written before its answer (it would
   * lose what the answer names), then it is due as it was */
  start(&h2, &c);
  h2.async_load = 1;
  items(&h2); /* the list is asked for, and not answered */
  h2.async_load = 0;
  make_empty(&h2, "late", "romeo@localhost/r");
  assert_int_equal(muc_service_next_deadline(h2.svc), T0 + IDLE);
  assert_int_equal(timeout_at(&h2, T0 + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  assert_null(fakehost_stored(&h2, DOMAIN, NULL));
  h2.now = T0 + 2 * MUC_ROOM_LIST_FLUSH_MS;
  assert_int_equal(
      muc_service_room_loaded(
          h2.svc, DOMAIN,
          "<rooms xmlns='urn:libmuc:rooms:1'><room node='old'/></rooms>", 60),
      MUC_OK);
  assert_true(muc_service_next_deadline(h2.svc) <= h2.now); /* overdue */
  assert_int_equal(muc_service_handle_timeout(h2.svc), MUC_OK);
  const char *rec = fakehost_stored(&h2, DOMAIN, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "node=\"late\""));
  assert_non_null(strstr(rec, "node=\"old\""));
  fakehost_free(&h2);

  /* a list that is no list is refused, and nothing of it taken */
  start(&h2, &c);
  h2.async_load = 1;
  items(&h2);
  assert_int_equal(muc_service_room_loaded(h2.svc, DOMAIN, "<rooms/>", 8),
                   MUC_ERR_STORAGE);
  fakehost_free(&h2);
}

static void test_list_follows_changes(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(0, 100, 1);
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  make_empty(&h, "b", "romeo@localhost/r");
  /* the first write is due a MUC_ROOM_LIST_FLUSH_MS after the change */
  assert_int_equal(muc_service_next_deadline(h.svc),
                   T0 + MUC_ROOM_LIST_FLUSH_MS);
  assert_int_equal(timeout_at(&h, T0 + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  const char *rec = fakehost_stored(&h, DOMAIN, NULL);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "node=\"a\""));
  assert_non_null(strstr(rec, "node=\"b\""));
  assert_int_equal(muc_service_next_deadline(h.svc), UINT64_MAX);
  /* renamed, hidden, destroyed */
  name_room(&h, "a", "romeo@localhost/r", "muc#roomconfig_roomname", "New");
  assert_int_equal(timeout_at(&h, h.now + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  assert_non_null(
      strstr(fakehost_stored(&h, DOMAIN, NULL), "node=\"a\" name=\"New\""));
  name_room(&h, "b", "romeo@localhost/r", "muc#roomconfig_publicroom", "0");
  assert_int_equal(timeout_at(&h, h.now + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  assert_null(strstr(fakehost_stored(&h, DOMAIN, NULL), "node=\"b\""));
  /* made temporary while occupied: out of the list */
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/r", "c@" DOMAIN, "Owner", ""), MUC_OK);
  assert_int_equal(timeout_at(&h, h.now + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  assert_non_null(strstr(fakehost_stored(&h, DOMAIN, NULL), "node=\"c\""));
  name_room(&h, "c", "romeo@localhost/r", "muc#roomconfig_persistentroom", "0");
  assert_int_equal(timeout_at(&h, h.now + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  assert_null(strstr(fakehost_stored(&h, DOMAIN, NULL), "node=\"c\""));
  assert_int_equal(fakehost_xml(&h, "<iq from='romeo@localhost/r' to='a@" DOMAIN
                                    "' id='d' type='set'><query xmlns='" MUCNS
                                    "#owner'><destroy/></query></iq>"),
                   MUC_OK);
  assert_false(in_memory(&h, "a"));
  assert_int_equal(timeout_at(&h, h.now + MUC_ROOM_LIST_FLUSH_MS), MUC_OK);
  assert_null(strstr(fakehost_stored(&h, DOMAIN, NULL), "node=\"a\""));
  assert_null(strstr(items(&h), "a@" DOMAIN));
  fakehost_free(&h);
}

static void test_hibernate_now(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = config(0, 100, 0);
  c.evict_at_max_rooms = 0; /* not needed for an explicit call */
  start(&h, &c);
  make_empty(&h, "a", "romeo@localhost/r");
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/r", "b@" DOMAIN, "Owner", ""), MUC_OK);
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_OK);
  assert_false(in_memory(&h, "a"));
  assert_true(in_memory(&h, "b")); /* occupied */
  h.store_fails = 1;
  assert_int_equal(
      fakehost_leave(&h, "romeo@localhost/r", "b@" DOMAIN, "Owner"), MUC_OK);
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_ERR_STORAGE);
  assert_true(in_memory(&h, "b"));
  h.store_fails = 0;
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_OK);
  assert_false(in_memory(&h, "b"));
  assert_int_equal(muc_service_hibernate_now(NULL), MUC_ERR_INVALID_ARG);
  fakehost_free(&h);
  /* without storage there is nowhere to put a room */
  assert_int_equal(fakehost_init(&h, DOMAIN, &c, 0), MUC_OK);
  make_empty(&h, "a", "romeo@localhost/r");
  assert_int_equal(muc_service_hibernate_now(h.svc), MUC_OK);
  assert_true(in_memory(&h, "a"));
  fakehost_free(&h);
}

/* ---- every allocation failing in turn ------------------------------------ */

typedef struct fm_host {
  muc_service *svc;
  uint64_t now;
  long fail_at, count; /* allocation |fail_at| (0-based) fails */
  size_t live;
  char *rec[4], *jid[4];
  size_t len[4], nrec;
  char sent[16384];
  size_t nsent;
} fm_host;

static fm_host *fm_of(void *ud)
{
  return ud;
}

static int fm_fails(fm_host *h)
{
  return h->count++ == h->fail_at;
}

/* Sizes in a header, so that free knows what it gives back. */
static void *fm_malloc(size_t n, void *ud)
{
  fm_host *h = fm_of(ud);
  if (fm_fails(h))
    return NULL;
  size_t *p = malloc(n + sizeof(size_t));
  if (!p)
    return NULL;
  *p = n;
  h->live += n;
  return p + 1;
}

static void fm_free(void *ptr, void *ud)
{
  if (!ptr)
    return;
  size_t *p = (size_t *)ptr - 1;
  fm_of(ud)->live -= *p;
  free(p);
}

static void *fm_realloc(void *ptr, size_t n, void *ud)
{
  if (!ptr)
    return fm_malloc(n, ud);
  fm_host *h = fm_of(ud);
  if (fm_fails(h))
    return NULL;
  size_t *p = (size_t *)ptr - 1, old = *p;
  size_t *q = realloc(p, n + sizeof(size_t));
  if (!q)
    return NULL;
  *q = n;
  h->live = h->live - old + n;
  return q + 1;
}

static int fm_send(const char *to, const char *xml, size_t len, void *ud)
{
  fm_host *h = ud;
  (void)to;
  if (h->nsent + len + 1 < sizeof(h->sent)) {
    memcpy(h->sent + h->nsent, xml, len);
    h->nsent += len;
    h->sent[h->nsent++] = '\n';
  }
  return 0;
}

static uint64_t fm_now(void *ud)
{
  return ((fm_host *)ud)->now;
}

static int fm_slot(fm_host *h, const char *jid)
{
  for (size_t i = 0; i < h->nrec; i++)
    if (strcmp(h->jid[i], jid) == 0)
      return (int)i;
  return -1;
}

static int fm_store(const char *jid, const char *data, size_t len, void *ud)
{
  fm_host *h = ud;
  int i = fm_slot(h, jid);
  if (i < 0) {
    if (h->nrec == 4)
      return -1;
    i = (int)h->nrec++;
    h->jid[i] = strdup(jid);
    h->rec[i] = NULL;
  }
  free(h->rec[i]);
  h->rec[i] = data ? malloc(len + 1) : NULL;
  if (data)
    memcpy(h->rec[i], data, len);
  h->len[i] = len;
  return 0;
}

static int fm_load(const char *jid, void *ud)
{
  fm_host *h = ud;
  int i = fm_slot(h, jid);
  muc_service_room_loaded(h->svc, jid, i >= 0 ? h->rec[i] : NULL,
                          i >= 0 ? h->len[i] : 0);
  return 0;
}

static const char *const fm_script[] = {
    "<presence from='romeo@localhost/r' to='a@" DOMAIN "/Romeo'><x "
    "xmlns='" MUCNS "'/></presence>",
    "<iq from='romeo@localhost/r' to='a@" DOMAIN "' type='set' id='c'><query "
    "xmlns='" MUCNS "#owner'><x xmlns='jabber:x:data' type='submit'><field "
    "var='FORM_TYPE'><value>" MUCNS "#roomconfig</value></field><field "
    "var='muc#roomconfig_roomname'><value>Aaa</value></field></x></query>"
    "</iq>",
    "<message from='romeo@localhost/r' to='a@" DOMAIN "' type='groupchat'>"
    "<body>kept</body></message>",
    "<presence from='romeo@localhost/r' to='a@" DOMAIN "/Romeo' "
    "type='unavailable'/>",
    NULL, /* the idle time passes: handle_timeout */
    "<iq from='x@localhost/x' to='" DOMAIN "' type='get' id='i'><query "
    "xmlns='http://jabber.org/protocol/disco#items'/></iq>",
    "<presence from='juliet@localhost/j' to='a@" DOMAIN "/Juliet'><x "
    "xmlns='" MUCNS "'/></presence>",
    "<presence from='juliet@localhost/j' to='a@" DOMAIN "/Juliet' "
    "type='unavailable'/>",
};

/* The script with allocation |fail_at| failing (-1: none): 1 if a call
 * reported NOMEM.  The service is freed; its deliveries stay in |h|. */
static int fm_run(fm_host *h, long fail_at)
{
  memset(h, 0, sizeof(*h));
  h->now = T0;
  h->fail_at = fail_at;
  muc_callbacks cb = {0};
  cb.send_bytes = fm_send;
  cb.now = fm_now;
  cb.store_room = fm_store;
  cb.load_room = fm_load;
  muc_allocator a = {fm_malloc, fm_realloc, fm_free, h};
  muc_config c = config(IDLE, 100, 1);
  if (muc_service_new(&h->svc, DOMAIN, &cb, &c, &a, h) != MUC_OK)
    return 1;
  int nomem = 0;
  size_t n = sizeof(fm_script) / sizeof(fm_script[0]);
  for (size_t i = 0; i <= n; i++) {
    int rc;
    if (i == n) {
      rc = muc_service_shutdown(h->svc);
    } else if (!fm_script[i]) {
      h->now += IDLE;
      rc = muc_service_handle_timeout(h->svc);
    } else {
      rc = muc_service_handle_xml(h->svc, fm_script[i], strlen(fm_script[i]));
    }
    if (rc == MUC_ERR_NOMEM)
      nomem = 1;
    else
      assert_int_equal(rc, MUC_OK);
  }
  assert_int_equal(muc_service_free(h->svc), MUC_OK);
  assert_int_equal(h->live, 0); /* nothing left behind */
  for (size_t i = 0; i < h->nrec; i++) {
    free(h->jid[i]);
    free(h->rec[i]);
  }
  return nomem;
}

static void test_every_allocation_failing(void **state)
{
  (void)state;
  static fm_host ref, h;
  assert_int_equal(fm_run(&ref, -1), 0);
  long total = ref.count;
  assert_non_null(strstr(ref.sent, "name=\"Aaa\"")); /* listed, evicted */
  for (long i = 0; i < total; i++) {
    int nomem = fm_run(&h, i);
    /* what was sent is what the run without failure sent, up to the
     * failure (out of memory is fatal: nothing after it) */
    assert_true(h.nsent <= ref.nsent);
    assert_memory_equal(h.sent, ref.sent, h.nsent);
    if (!nomem)
      assert_int_equal(h.nsent, ref.nsent);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_idle_eviction),
      cmocka_unit_test(test_not_evicted),
      cmocka_unit_test(test_lru_at_max_rooms),
      cmocka_unit_test(test_failing_store_keeps_room),
      cmocka_unit_test(test_async_reload_queues),
      cmocka_unit_test(test_list_survives_restart),
      cmocka_unit_test(test_list_follows_changes),
      cmocka_unit_test(test_hibernate_now),
      cmocka_unit_test(test_every_allocation_failing),
  };
  return cmocka_run_group_tests_name("hibernate", tests, NULL, NULL);
}
