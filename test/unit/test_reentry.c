#define _POSIX_C_SOURCE 200809L
/* Re-entrancy (muc.h, "Re-entrancy"): every entry point called from inside
 * every callback.  Nested calls are deferred until the call in progress is
 * done, deliveries are handed out only once the state they describe is
 * complete, and muc_service_free() inside a callback is refused.  Meant to
 * run under AddressSanitizer: a nested call that freed what an outer loop
 * still walks shows up as a use-after-free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "muc/muc_mxml.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
#define NUSERS 6

typedef struct host host;
/* What a test does from inside a callback; |what| names the callback. */
typedef void (*reaction)(host *h, const char *what, const char *arg);

struct host {
  muc_service *svc;
  uint64_t now;
  reaction react;
  int reacted;   /* how many times |react| ran */
  int nested_rc; /* the last nested call's return */
  char **sent;
  char **sent_to;
  size_t nsent, cap;
  char *stored;
  size_t stored_len;
  int sync_load; /* load_room answers from inside */
};

static void keep(host *h, const char *to, const char *xml, size_t len)
{
  if (h->nsent == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 64;
    h->sent = realloc(h->sent, h->cap * sizeof(*h->sent));
    h->sent_to = realloc(h->sent_to, h->cap * sizeof(*h->sent_to));
  }
  h->sent[h->nsent] = strndup(xml, len);
  h->sent_to[h->nsent++] = strdup(to);
}

static void clear(host *h)
{
  for (size_t i = 0; i < h->nsent; i++) {
    free(h->sent[i]);
    free(h->sent_to[i]);
  }
  h->nsent = 0;
}

static void react(host *h, const char *what, const char *arg)
{
  if (h->react)
    h->react(h, what, arg);
}

static int cb_send_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  host *h = ud;
  keep(h, to, xml, len);
  react(h, "send", to);
  return 0;
}

static uint64_t cb_now(void *ud)
{
  host *h = ud;
  react(h, "now", NULL);
  return h->now;
}

static int cb_admin(const char *bare, void *ud)
{
  react(ud, "is_service_admin", bare);
  return strcmp(bare, "admin@localhost") == 0;
}

static int cb_may_create(const char *real, const char *room, void *ud)
{
  (void)room;
  react(ud, "may_create_room", real);
  return 1;
}

static int cb_make_id(char *buf, size_t size, void *ud)
{
  host *h = ud;
  static const char id[] = "id-x";
  react(h, "make_id", NULL);
  if (size < sizeof(id))
    return -1;
  memcpy(buf, id, sizeof(id));
  return 0;
}

static int cb_store(const char *room, const char *data, size_t len, void *ud)
{
  host *h = ud;
  free(h->stored);
  h->stored = data ? strndup(data, len) : NULL;
  h->stored_len = data ? len : 0;
  react(h, "store_room", room);
  return 0;
}

static int cb_load(const char *room, void *ud)
{
  host *h = ud;
  react(h, "load_room", room);
  if (h->sync_load)
    h->nested_rc = muc_service_room_loaded(h->svc, room, h->stored,
                                           h->stored ? h->stored_len : 0);
  return 0;
}

static void cb_log(int level, const char *msg, void *ud)
{
  (void)level;
  react(ud, "log", msg);
}

static int cb_send_tree(const mxml_node_t *st, void *ud)
{
  host *h = ud;
  char buf[4096];
  int n = mxmlSaveString((mxml_node_t *)(uintptr_t)st, buf, sizeof(buf),
                         MXML_NO_CALLBACK);
  assert_true(n > 0 && (size_t)n < sizeof(buf));
  const char *to = mxmlElementGetAttr((mxml_node_t *)(uintptr_t)st, "to");
  keep(h, to ? to : "", buf, (size_t)n);
  react(h, "send", to);
  return 0;
}

static void host_init(host *h, int trees, int persistence)
{
  memset(h, 0, sizeof(*h));
  h->now = 1767225600000ull;
  muc_callbacks cb = {0};
  cb.send_bytes = cb_send_bytes;
  cb.now = cb_now;
  cb.is_service_admin = cb_admin;
  cb.may_create_room = cb_may_create;
  cb.make_id = cb_make_id;
  cb.log = cb_log;
  if (persistence) {
    cb.store_room = cb_store;
    cb.load_room = cb_load;
  }
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  int rc = trees ? muc_service_new_tree(&h->svc, DOMAIN, cb_send_tree, &cb,
                                        &cfg, NULL, h)
                 : muc_service_new(&h->svc, DOMAIN, &cb, &cfg, NULL, h);
  assert_int_equal(rc, MUC_OK);
}

static void host_free(host *h)
{
  assert_int_equal(muc_service_free(h->svc), MUC_OK);
  clear(h);
  free(h->sent);
  free(h->sent_to);
  free(h->stored);
}

static int xml(host *h, const char *fmt, ...)
{
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  assert_true(n > 0 && (size_t)n < sizeof(buf));
  return muc_service_handle_xml(h->svc, buf, (size_t)n);
}

static void join_all(host *h)
{
  for (int k = 1; k <= NUSERS; k++)
    assert_int_equal(xml(h,
                         "<presence from='u%d@localhost/r' to='" ROOM
                         "/u%d'>" MUCX "</presence>",
                         k, k),
                     MUC_OK);
  clear(h);
}

static size_t count(const host *h, const char *to, const char *needle)
{
  size_t n = 0;
  for (size_t i = 0; i < h->nsent; i++)
    n += (!to || strcmp(h->sent_to[i], to) == 0) &&
         strstr(h->sent[i], needle) != NULL;
  return n;
}

/* ---- the motivating case: a session ends from inside a broadcast ------- */

/* "That socket is gone": the host ends the session it was writing to,
 * and the next one too, while the room is fanning out a message. */
static void end_on_send(host *h, const char *what, const char *to)
{
  if (strcmp(what, "send") != 0 || h->reacted)
    return;
  if (strcmp(to, "u3@localhost/r") != 0)
    return;
  h->reacted++;
  h->nested_rc = muc_service_session_ended(h->svc, "u3@localhost/r");
  assert_int_equal(h->nested_rc, MUC_OK);
  /* deferred: the room is unchanged while the broadcast runs */
  muc_room *r = muc_service_find_room(h->svc, ROOM);
  assert_non_null(r);
  assert_int_equal(muc_room_get_occupant_count(r), NUSERS);
  assert_int_equal(muc_service_session_ended(h->svc, "u4@localhost/r"), MUC_OK);
}

static void session_ended_in_send(int trees)
{
  host h;
  host_init(&h, trees, 0);
  join_all(&h);
  h.react = end_on_send;
  assert_int_equal(xml(&h, "<message from='u1@localhost/r' to='" ROOM
                           "' type='groupchat' id='m1'><body>hi</body>"
                           "</message>"),
                   MUC_OK);
  assert_int_equal(h.reacted, 1);
  /* everyone got the message: it was queued before anyone left */
  assert_int_equal(count(&h, NULL, "<body>hi</body>"), NUSERS);
  /* then u3 and u4 left, and the others were told, in that order */
  muc_room *r = muc_service_find_room(h.svc, ROOM);
  assert_int_equal(muc_room_get_occupant_count(r), NUSERS - 2);
  assert_int_equal(muc_room_get_role(r, "u3"), MUC_ROLE_NONE);
  assert_int_equal(
      count(&h, "u1@localhost/r", "from=\"" ROOM "/u3\" type=\"unavailable\""),
      1);
  assert_int_equal(
      count(&h, "u6@localhost/r", "from=\"" ROOM "/u4\" type=\"unavailable\""),
      1);
  size_t msg = SIZE_MAX, gone = SIZE_MAX;
  for (size_t i = 0; i < h.nsent; i++) {
    if (strcmp(h.sent_to[i], "u6@localhost/r") != 0)
      continue;
    if (strstr(h.sent[i], "<body>hi</body>"))
      msg = i;
    if (strstr(h.sent[i], "/u3\" type=\"unavailable\""))
      gone = i;
  }
  assert_true(msg < gone);
  host_free(&h);
}

static void test_session_ended_in_send_bytes(void **state)
{
  (void)state;
  session_ended_in_send(0);
}

static void test_session_ended_in_send_tree(void **state)
{
  (void)state;
  session_ended_in_send(1);
}

/* ---- every callback, every entry point ---------------------------------- */

/* The entry point a reaction calls, once, from the callback |target|. */
typedef struct nested {
  const char *target;
  int entry;
} nested;

enum {
  E_XML,
  E_STANZA,
  E_SESSION_ENDED,
  E_SHUTDOWN,
  E_TIMEOUT,
  E_LOADED,
  E_FREE,
  E_QUERIES,
  E_COUNT
};

static nested current;

static void call_entry(host *h, int entry)
{
  static const char join7[] =
      "<presence from='u7@localhost/r' to='" ROOM "/u7'>" MUCX "</presence>";
  switch (entry) {
  case E_XML:
    h->nested_rc = muc_service_handle_xml(h->svc, join7, strlen(join7));
    break;
  case E_STANZA: {
    mxml_node_t *t = mxmlLoadString(NULL, join7, MXML_OPAQUE_CALLBACK);
    h->nested_rc = muc_service_handle_stanza(h->svc, t);
    mxmlDelete(t); /* the library keeps its own copy */
    break;
  }
  case E_SESSION_ENDED:
    h->nested_rc = muc_service_session_ended(h->svc, "u2@localhost/r");
    break;
  case E_SHUTDOWN:
    h->nested_rc = muc_service_shutdown(h->svc);
    break;
  case E_TIMEOUT:
    h->nested_rc = muc_service_handle_timeout(h->svc);
    break;
  case E_LOADED:
    /* no load is pending: refused at once */
    h->nested_rc = muc_service_room_loaded(h->svc, "zz@" DOMAIN, NULL, 0);
    assert_int_equal(h->nested_rc, MUC_ERR_NOT_FOUND);
    h->nested_rc = MUC_OK;
    break;
  case E_FREE:
    h->nested_rc = muc_service_free(h->svc);
    assert_int_equal(h->nested_rc, MUC_ERR_IN_CALLBACK);
    h->nested_rc = MUC_OK;
    break;
  default: {
    muc_room *r = muc_service_find_room(h->svc, ROOM);
    (void)muc_service_get_room_count(h->svc);
    (void)muc_service_get_memory_usage(h->svc);
    (void)muc_service_next_deadline(h->svc);
    if (r) {
      (void)muc_room_get_occupant_count(r);
      (void)muc_room_get_subject(r);
      (void)muc_room_get_role(r, "u1");
      (void)muc_room_get_affiliation(r, "u1@localhost");
    }
    h->nested_rc = MUC_OK;
  }
  }
}

static void on_target(host *h, const char *what, const char *arg)
{
  (void)arg;
  if (h->reacted || strcmp(what, current.target) != 0)
    return;
  h->reacted++;
  call_entry(h, current.entry);
  assert_int_equal(h->nested_rc, MUC_OK);
}

/* Stanzas that make the library call |target|. */
static void provoke(host *h, const char *target)
{
  if (strcmp(target, "load_room") == 0) {
    /* a join to a room not in memory asks storage */
    assert_int_equal(xml(h, "<presence from='u1@localhost/r' to='other@" DOMAIN
                            "/u1'>" MUCX "</presence>"),
                     MUC_OK);
    return;
  }
  if (strcmp(target, "store_room") == 0) {
    assert_int_equal(
        xml(h, "<iq from='u1@localhost/r' to='" ROOM "' type='set' id='c'>"
               "<query xmlns='http://jabber.org/protocol/muc#owner'><x "
               "xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
               "<value>http://jabber.org/protocol/muc#roomconfig</value>"
               "</field><field var='muc#roomconfig_persistentroom'><value>1"
               "</value></field></x></query></iq>"),
        MUC_OK);
    return;
  }
  if (strcmp(target, "is_service_admin") == 0) {
    /* the service's command list depends on who asks */
    assert_int_equal(
        xml(h, "<iq from='u1@localhost/r' to='" DOMAIN "' type='get' id='l'>"
               "<query xmlns='http://jabber.org/protocol/disco#items' "
               "node='http://jabber.org/protocol/commands'/></iq>"),
        MUC_OK);
    return;
  }
  if (strcmp(target, "may_create_room") == 0 || strcmp(target, "log") == 0) {
    /* a new room: asked for, and logged */
    assert_int_equal(xml(h, "<presence from='u1@localhost/r' to='new@" DOMAIN
                            "/u1'>" MUCX "</presence>"),
                     MUC_OK);
    return;
  }
  /* send, now, make_id: a groupchat message without an id */
  assert_int_equal(xml(h, "<message from='u1@localhost/r' to='" ROOM
                          "' type='groupchat'><body>x</body></message>"),
                   MUC_OK);
}

static void test_every_callback_every_entry(void **state)
{
  (void)state;
  static const char *const targets[] = {
      "send",    "now",        "is_service_admin", "may_create_room",
      "make_id", "store_room", "load_room",        "log"};
  size_t runs = 0;
  for (int trees = 0; trees < 2; trees++) {
    for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
      for (int e = 0; e < E_COUNT; e++) {
        host h;
        host_init(&h, trees, 1);
        h.sync_load = 1;
        join_all(&h);
        current.target = targets[t];
        current.entry = e;
        h.react = on_target;
        provoke(&h, targets[t]);
        if (!h.reacted)
          fail_msg("%s was never called", targets[t]);
        h.react = NULL;
        /* the service is still whole and usable */
        assert_int_equal(xml(&h, "<message from='u1@localhost/r' to='" ROOM
                                 "' type='groupchat' id='after'><body>ok"
                                 "</body></message>"),
                         MUC_OK);
        host_free(&h);
        runs++;
      }
    }
  }
  print_message("%zu callback x entry point combinations\n", runs);
}

/* The nested call's work happens: a join from inside send is done by the
 * time the outer call returns, and its stanzas follow the outer ones. */
static void join_in_send(host *h, const char *what, const char *to)
{
  (void)to;
  if (strcmp(what, "send") != 0 || h->reacted)
    return;
  h->reacted++;
  call_entry(h, E_XML);
  assert_int_equal(h->nested_rc, MUC_OK);
  muc_room *r = muc_service_find_room(h->svc, ROOM);
  assert_int_equal(muc_room_get_role(r, "u7"), MUC_ROLE_NONE); /* not yet */
}

static void test_nested_join_runs_after(void **state)
{
  (void)state;
  host h;
  host_init(&h, 0, 0);
  join_all(&h);
  h.react = join_in_send;
  assert_int_equal(xml(&h, "<message from='u1@localhost/r' to='" ROOM
                           "' type='groupchat' id='m'><body>first</body>"
                           "</message>"),
                   MUC_OK);
  muc_room *r = muc_service_find_room(h.svc, ROOM);
  assert_int_equal(muc_room_get_role(r, "u7"), MUC_ROLE_PARTICIPANT);
  assert_int_equal(muc_room_get_occupant_count(r), NUSERS + 1);
  /* all six copies of the message come before anything about u7 (who
   * then gets it once more, as history) */
  size_t last_msg = 0, first_u7 = SIZE_MAX;
  for (size_t i = 0; i < h.nsent; i++) {
    if (strstr(h.sent[i], "<body>first</body>") &&
        strcmp(h.sent_to[i], "u7@localhost/r") != 0)
      last_msg = i;
    if (first_u7 == SIZE_MAX && strstr(h.sent[i], "/u7\""))
      first_u7 = i;
  }
  assert_int_equal(count(&h, NULL, "<body>first</body>"), NUSERS + 1);
  assert_int_equal(count(&h, "u7@localhost/r", "<delay"), 1);
  assert_true(last_msg < first_u7);
  host_free(&h);
}

/* A nested call with bad input is refused at once, with its own code. */
static void bad_in_send(host *h, const char *what, const char *to)
{
  (void)to;
  if (strcmp(what, "send") != 0 || h->reacted)
    return;
  h->reacted++;
  assert_int_equal(muc_service_handle_xml(h->svc, "<message", 8),
                   MUC_ERR_BAD_STANZA);
  assert_int_equal(muc_service_session_ended(h->svc, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_session_ended(h->svc, "bare@localhost"),
                   MUC_ERR_INVALID_ARG);
}

static void test_nested_bad_input(void **state)
{
  (void)state;
  host h;
  host_init(&h, 0, 0);
  join_all(&h);
  h.react = bad_in_send;
  assert_int_equal(xml(&h, "<message from='u1@localhost/r' to='" ROOM
                           "' type='groupchat' id='m'><body>x</body>"
                           "</message>"),
                   MUC_OK);
  assert_int_equal(h.reacted, 1);
  host_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_session_ended_in_send_bytes),
      cmocka_unit_test(test_session_ended_in_send_tree),
      cmocka_unit_test(test_every_callback_every_entry),
      cmocka_unit_test(test_nested_join_runs_after),
      cmocka_unit_test(test_nested_bad_input),
  };
  return cmocka_run_group_tests_name("reentry", tests, NULL, NULL);
}
