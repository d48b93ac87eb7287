#define _POSIX_C_SOURCE 200809L
/* Room history in the stored record (muc_config.store_history): a
 * restarted service serves the same bytes as the one that never stopped,
 * every kept message is stored before it is handed out, records with bad
 * history are refused, and the setting off means no history stored. */
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

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define MUCNS "http://jabber.org/protocol/muc"
#define JULIET "juliet@localhost/j"
#define T0 1767225600000ull /* 2026-01-01T00:00:00Z, fakehost's clock */

static void join_with(fakehost *h, const char *user, const char *nick,
                      const char *history)
{
  assert_int_equal(fakehost_join(h, user, ROOM, nick, history), MUC_OK);
}

static void leave(fakehost *h, const char *user, const char *nick)
{
  assert_int_equal(fakehost_leave(h, user, ROOM, nick), MUC_OK);
}

/* Romeo creates the room; |persistent| or not. */
static void make_room(fakehost *h, int persistent)
{
  join_with(h, "romeo@localhost/r", "Romeo", "");
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='romeo@localhost/r' to='" ROOM "' id='c1' "
                   "type='set'><query xmlns='" MUCNS "#owner'><x "
                   "xmlns='jabber:x:data' type='submit'><field "
                   "var='FORM_TYPE'><value>" MUCNS "#roomconfig</value>"
                   "</field><field var='muc#roomconfig_persistentroom'>"
                   "<value>%d</value></field></x></query></iq>",
                   persistent),
      MUC_OK);
}

/* Romeo's groupchat message: |attrs| on the root, |payload| inside. */
static void say(fakehost *h, const char *attrs, const char *payload)
{
  assert_int_equal(fakehost_xml(h,
                                "<message from='romeo@localhost/r' to='" ROOM
                                "' type='groupchat' %s>%s</message>",
                                attrs, payload),
                   MUC_OK);
}

/* Every stanza with a delay sent so far (history and subject), in order,
 * one per line (malloc'd). */
static char *delayed(const fakehost *h)
{
  size_t n = 1;
  for (size_t i = 0; i < h->nsent; i++)
    n += strlen(h->sent[i]) + 1;
  char *all = calloc(1, n);
  for (size_t i = 0; i < h->nsent; i++)
    if (strstr(h->sent[i], "<delay")) {
      strcat(all, h->sent[i]);
      strcat(all, "\n");
    }
  return all;
}

/* Stanzas in a delayed() string (a body may hold newlines). */
static size_t lines(const char *s)
{
  size_t n = 0;
  for (; (s = strstr(s, "<delay ")); s++)
    n++;
  return n;
}

/* |dst| starts with the records |src| stored (a restart on the same
 * storage). */
static void copy_storage(fakehost *dst, const fakehost *src)
{
  for (size_t i = 0; i < src->nstore; i++) {
    dst->store[i].jid = strdup(src->store[i].jid);
    dst->store[i].data = strndup(src->store[i].data, src->store[i].len);
    dst->store[i].len = src->store[i].len;
  }
  dst->nstore = src->nstore;
}

static const char *const requests[] = {
    "",
    "<history maxstanzas='2'/>",
    "<history maxstanzas='0'/>",
    "<history maxchars='900'/>",
    "<history seconds='5'/>",
    "<history since='2026-01-01T00:00:20Z'/>",
    "<history maxstanzas='30' seconds='100'/>",
};
#define NREQUESTS (sizeof(requests) / sizeof(requests[0]))

/* What Juliet gets for each request from |h|'s room (one string each). */
static void history_answers(fakehost *h, char **out)
{
  for (size_t i = 0; i < NREQUESTS; i++) {
    fakehost_clear(h);
    join_with(h, JULIET, "Juliet", requests[i]);
    out[i] = delayed(h);
    leave(h, JULIET, "Juliet");
  }
}

/* A persistent room with history that wrapped around its ring (25
 * messages, 20 kept), messages of every serialization path and escaping
 * case, stamps a fraction of a second apart; then a second service on
 * the same storage (a restart): every history request gets the same
 * bytes from both, on the text and on the tree path. */
static void test_restart_serves_same_history(void **state)
{
  (void)state;
  for (int trees = 0; trees <= 1; trees++) {
    fakehost a, b;
    assert_int_equal(fakehost_init_mode(&a, DOMAIN, NULL, 1, trees), MUC_OK);
    make_room(&a, 1);
    for (int i = 0; i < 19; i++) {
      char attrs[32];
      snprintf(attrs, sizeof(attrs), "id='f%d'", i);
      a.now += 700;
      say(&a, attrs, "<body>filler</body>");
    }
    a.now += 1500;
    say(&a, "id='amp'", "<body>A &amp; &lt;b&gt; \"q\" 'a' ]]&gt;</body>");
    a.now += 999;
    say(&a, "id='utf8'", "<body>\xc3\xa9t\xc3\xa9 \xe2\x82\xac</body>");
    a.now += 1;
    say(&a, "id='cr'", "<body>one&#13;two\nthree\tfour</body>");
    say(&a, "", "<body>no id: the room makes one</body>");
    a.now += 2000;
    say(&a, "xmlns:x='urn:example:x' id='ns'",
        "<body>carried</body><x:thing a='1'/>");
    a.now += 3000;
    say(&a, "id='sub'", "<subject>Kept</subject>");
    say(&a, "id='last' xml:lang='en'", "<body>last</body>");
    assert_int_equal(
        muc_room_get_occupant_count(muc_service_find_room(a.svc, "room")), 1);
    a.now += 4000;

    assert_int_equal(fakehost_init_mode(&b, DOMAIN, NULL, 1, trees), MUC_OK);
    b.now = a.now;
    copy_storage(&b, &a);
    char *before[NREQUESTS], *after[NREQUESTS];
    history_answers(&a, before);
    history_answers(&b, after);
    assert_int_equal(b.loads, 1);
    /* 20 messages and the subject */
    assert_int_equal(lines(before[0]), 21);
    assert_non_null(strstr(before[0], "id=\"last\""));
    assert_null(strstr(before[0], "id=\"f4\""));
    assert_non_null(strstr(before[0], "id=\"f5\""));
    assert_int_equal(lines(before[1]), 3);
    assert_int_equal(lines(before[2]), 1);
    for (size_t i = 0; i < NREQUESTS; i++) {
      if (strcmp(before[i], after[i]) != 0)
        fail_msg("%s (trees %d):\nbefore:\n%s\nafter:\n%s", requests[i], trees,
                 before[i], after[i]);
      free(before[i]);
      free(after[i]);
    }
    fakehost_free(&a);
    fakehost_free(&b);
  }
}

/* The record holding a message is stored before its echo is handed out;
 * what is not history (a chat state, <no-store/>) causes no store. */
static void test_stored_before_delivery(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  make_room(&h, 1);
  size_t stores = h.stores;
  h.expect_stored = "Secret seven";
  fakehost_clear(&h);
  say(&h, "id='m7'", "<body>Secret seven</body>");
  assert_int_equal(h.stores, stores + 1);
  assert_non_null(fakehost_find(&h, "id=\"m7\"", "Secret seven", NULL));
  assert_int_equal(h.sent_unstored, 0);
  say(&h, "", "<active xmlns='http://jabber.org/protocol/chatstates'/>");
  say(&h, "", "<body>x</body><no-store xmlns='urn:xmpp:hints'/>");
  assert_int_equal(h.stores, stores + 1);
  fakehost_free(&h);
}

/* A room that is not persistent never stores for a message. */
static void test_temporary_room_no_store(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  make_room(&h, 0);
  size_t stores = h.stores;
  say(&h, "id='t1'", "<body>temporary</body>");
  assert_int_equal(h.stores, stores);
  assert_null(fakehost_stored(&h, ROOM, NULL));
  fakehost_free(&h);
}

/* store_history = 0: no store per message, no history in the record
 * (also when the subject stores it), and history in a record is not
 * loaded. */
static void test_setting_off(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  assert_int_equal(cfg.store_history, 1);
  cfg.store_history = 0;
  fakehost off, on, off2;
  assert_int_equal(fakehost_init(&off, DOMAIN, &cfg, 1), MUC_OK);
  make_room(&off, 1);
  size_t stores = off.stores;
  off.expect_stored = "Secret seven";
  say(&off, "id='m7'", "<body>Secret seven</body>");
  assert_int_equal(off.stores, stores);
  assert_true(off.sent_unstored > 0); /* the echo went out unstored */
  say(&off, "", "<subject>Topic</subject>");
  assert_int_equal(off.stores, stores + 1);
  const char *rec = fakehost_stored(&off, ROOM, NULL);
  assert_non_null(strstr(rec, "Topic"));
  assert_null(strstr(rec, "<history"));

  /* a record with history, read by a service that does not want it */
  assert_int_equal(fakehost_init(&on, DOMAIN, NULL, 1), MUC_OK);
  make_room(&on, 1);
  say(&on, "id='h1'", "<body>remembered</body>");
  assert_non_null(strstr(fakehost_stored(&on, ROOM, NULL), "remembered"));
  assert_int_equal(fakehost_init(&off2, DOMAIN, &cfg, 1), MUC_OK);
  copy_storage(&off2, &on);
  join_with(&off2, JULIET, "Juliet", "");
  assert_int_equal(off2.loads, 1);
  assert_non_null(fakehost_find(&off2, "<presence", "Juliet", NULL));
  assert_null(fakehost_find(&off2, "remembered", NULL));
  fakehost_free(&off);
  fakehost_free(&on);
  fakehost_free(&off2);
}

/* ---- records written by hand -------------------------------------------- */

#define DELAY(stamp)                                                           \
  "<delay xmlns=\"urn:xmpp:delay\" from=\"" ROOM "\" stamp=\"" stamp "\"/>"
#define GOOD_MSG                                                               \
  "<message type=\"groupchat\" id=\"x\" from=\"" ROOM "/Romeo\">"              \
  "<body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>"
#define T0S "1767225600000"

/* |s| escaped as character data, appended to |out| (size |size|). */
static void append_escaped(char *out, size_t size, const char *s)
{
  size_t n = strlen(out);
  for (; *s && n + 7 < size; s++) {
    const char *e = *s == '<'   ? "&lt;"
                    : *s == '>' ? "&gt;"
                    : *s == '&' ? "&amp;"
                                : NULL;
    if (e) {
      strcpy(out + n, e);
      n += strlen(e);
    } else {
      out[n++] = *s;
    }
  }
  out[n] = '\0';
}

/* A record of a persistent room of history length |hlen|, with entries
 * given as (time, message) pairs, NULL-terminated; a NULL time writes no
 * time attribute. */
static char *record(unsigned hlen, ...)
{
  size_t size = 16384;
  char *r = malloc(size);
  snprintf(r, size,
           "<room xmlns=\"urn:libmuc:room:1\" jid=\"" ROOM "\"><config "
           "persistent=\"1\" historylength=\"%u\"/><history>",
           hlen);
  va_list ap;
  va_start(ap, hlen);
  for (const char *msg; (msg = va_arg(ap, const char *));) {
    const char *time = va_arg(ap, const char *);
    strcat(r, time ? "<entry time=\"" : "<entry>");
    if (time) {
      strcat(r, time);
      strcat(r, "\">");
    }
    append_escaped(r, size, msg);
    strcat(r, "</entry>");
  }
  va_end(ap);
  strcat(r, "</history></room>");
  return r;
}

/* Juliet joins the room that |rec| is the record of, in a service with
 * |cfg| (NULL: defaults); the answer to the load.  |h| is left to the
 * caller to free. */
static int load(fakehost *h, const muc_config *cfg, const char *rec)
{
  assert_int_equal(fakehost_init(h, DOMAIN, cfg, 1), MUC_OK);
  h->async_load = 1;
  join_with(h, JULIET, "Juliet", "");
  assert_int_equal(h->loads, 1);
  return muc_service_room_loaded(h->svc, ROOM, rec, strlen(rec));
}

static int load_rc(const muc_config *cfg, char *rec)
{
  fakehost h;
  int rc = load(&h, cfg, rec);
  fakehost_free(&h);
  free(rec);
  return rc;
}

/* The good record loads and is served as it is; a record without history
 * (an older libmuc's) loads; an element the format does not know yet is
 * passed over. */
static void test_record_loads(void **state)
{
  (void)state;
  fakehost h;
  char *rec = record(20, GOOD_MSG, T0S, NULL);
  assert_int_equal(load(&h, NULL, rec), MUC_OK);
  assert_non_null(fakehost_find(
      &h,
      "<message type=\"groupchat\" id=\"x\" from=\"" ROOM "/Romeo\" "
      "to=\"" JULIET
      "\"><body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      NULL));
  fakehost_free(&h);
  free(rec);
  assert_int_equal(load_rc(NULL, strdup("<room xmlns=\"urn:libmuc:room:1\" "
                                        "jid=\"" ROOM "\"><config "
                                        "persistent=\"1\"/></room>")),
                   MUC_OK);
  rec = record(20, GOOD_MSG, T0S, NULL);
  char *at = strstr(rec, "<history>") + strlen("<history>");
  char *more = malloc(strlen(rec) + 32);
  snprintf(more, strlen(rec) + 32, "%.*s<later a=\"1\"/>%s", (int)(at - rec),
           rec, at);
  free(rec);
  assert_int_equal(load_rc(NULL, more), MUC_OK);
}

/* Entries that are not a groupchat message of this room as the room keeps
 * one. */
static void test_bad_entries_refused(void **state)
{
  (void)state;
  static const char *const bad[] = {
      /* not a groupchat message */
      "<message type=\"chat\" id=\"x\" from=\"" ROOM "/Romeo\"><body>Hi"
      "</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      "<message id=\"x\" from=\"" ROOM
      "/Romeo\"><body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      "<presence type=\"groupchat\" from=\"" ROOM
      "/Romeo\">" DELAY("2026-01-01T00:00:00Z") "</presence>",
      /* not from an occupant of this room */
      "<message type=\"groupchat\" from=\"other@" DOMAIN "/Romeo\"><body>Hi"
      "</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      "<message type=\"groupchat\" from=\"" ROOM
      "\"><body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      "<message type=\"groupchat\"><body>Hi</body>" DELAY(
          "2026-01-01T00:00:00Z") "</message>",
      "<message type=\"groupchat\" from=\"ROOM@" DOMAIN "/Romeo\"><body>Hi"
      "</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      /* addressed */
      "<message type=\"groupchat\" from=\"" ROOM "/Romeo\" to=\"" JULIET "\">"
      "<body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      /* the room's delay missing, wrong, not last */
      "<message type=\"groupchat\" from=\"" ROOM "/Romeo\"><body>Hi</body>"
      "</message>",
      "<message type=\"groupchat\" from=\"" ROOM
      "/Romeo\"><body>Hi</body>" DELAY("2026-01-01T00:00:01Z") "</message>",
      "<message type=\"groupchat\" from=\"" ROOM "/Romeo\"><body>Hi</body>"
      "<delay xmlns=\"urn:xmpp:delay\" from=\"" DOMAIN
      "\" stamp=\"2026-01-01T00:00:00Z\"/></message>",
      "<message type=\"groupchat\" from=\"" ROOM
      "/Romeo\">" DELAY("2026-01-01T00:00:00Z") "<body>Hi</body></message>",
      /* not written as the room writes: the first '>' must end the start
       * tag, nothing around the message */
      "<message type='groupchat' from='" ROOM
      "/Romeo'><body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      "<message type=\"groupchat\" from=\"" ROOM
      "/Ro>meo\"><body>Hi</body>" DELAY("2026-01-01T00:00:00Z") "</message>",
      " " GOOD_MSG,
      GOOD_MSG " ",
      /* not well-formed */
      "<message type=\"groupchat\" from=\"" ROOM
      "/Romeo\"><body>Hi</body>" DELAY("2026-01-01T00:00:00Z"),
      "<message type=\"groupchat\" from=\"" ROOM
      "/Romeo\"><body>Hi</bdy>" DELAY("2026-01-01T00:00:00Z") "</message>",
      "",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (load_rc(NULL, record(20, bad[i], T0S, NULL)) != MUC_ERR_STORAGE)
      fail_msg("accepted: %s", bad[i]);
  /* the entry's time: absent, not a number, out of order */
  assert_int_equal(load_rc(NULL, record(20, GOOD_MSG, NULL, NULL)),
                   MUC_ERR_STORAGE);
  assert_int_equal(load_rc(NULL, record(20, GOOD_MSG, "soon", NULL)),
                   MUC_ERR_STORAGE);
  assert_int_equal(load_rc(NULL, record(20, GOOD_MSG, "-1", NULL)),
                   MUC_ERR_STORAGE);
  const char *later =
      "<message type=\"groupchat\" from=\"" ROOM
      "/Romeo\"><body>Hi</body>" DELAY("2026-01-01T00:00:01Z") "</message>";
  assert_int_equal(
      load_rc(NULL, record(20, GOOD_MSG, T0S, later, "1767225601000", NULL)),
      MUC_OK);
  assert_int_equal(
      load_rc(NULL, record(20, later, "1767225601000", GOOD_MSG, T0S, NULL)),
      MUC_ERR_STORAGE);
  /* markup where the text should be */
  char *rec = record(20, NULL);
  char *at = strstr(rec, "</history>");
  char *markup = malloc(strlen(rec) + 512);
  snprintf(markup, strlen(rec) + 512,
           "%.*s<entry time=\"" T0S "\">%s</entry>%s", (int)(at - rec), rec,
           GOOD_MSG, at);
  free(rec);
  assert_int_equal(load_rc(NULL, markup), MUC_ERR_STORAGE);
}

/* The service's limits as they are now: history length, bytes, nick
 * length, structure. */
static void test_limits_refused(void **state)
{
  (void)state;
  assert_int_equal(load_rc(NULL, record(1, GOOD_MSG, T0S, NULL)), MUC_OK);
  assert_int_equal(load_rc(NULL, record(1, GOOD_MSG, T0S, GOOD_MSG, T0S, NULL)),
                   MUC_ERR_STORAGE);
  assert_int_equal(load_rc(NULL, record(0, GOOD_MSG, T0S, NULL)),
                   MUC_ERR_STORAGE);
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_history_bytes = (uint32_t)strlen(GOOD_MSG);
  assert_int_equal(load_rc(&cfg, record(20, GOOD_MSG, T0S, NULL)), MUC_OK);
  assert_int_equal(
      load_rc(&cfg, record(20, GOOD_MSG, T0S, GOOD_MSG, T0S, NULL)),
      MUC_ERR_STORAGE);
  cfg.max_history_bytes = (uint32_t)strlen(GOOD_MSG) - 1;
  assert_int_equal(load_rc(&cfg, record(20, GOOD_MSG, T0S, NULL)),
                   MUC_ERR_STORAGE);
  muc_config_default(&cfg);
  cfg.max_nick_bytes = 4; /* "Romeo" is 5 */
  assert_int_equal(load_rc(&cfg, record(20, GOOD_MSG, T0S, NULL)),
                   MUC_ERR_STORAGE);
  /* a client may send one child: the room adds the delay */
  muc_config_default(&cfg);
  cfg.max_children = 1;
  assert_int_equal(load_rc(&cfg, record(20, GOOD_MSG, T0S, NULL)), MUC_OK);
  assert_int_equal(
      load_rc(&cfg, record(20,
                           "<message type=\"groupchat\" from=\"" ROOM
                           "/Romeo\"><body>Hi</body><thread>t</thread>" DELAY(
                               "2026-01-01T00:00:00Z") "</message>",
                           T0S, NULL)),
      MUC_ERR_STORAGE);
}

/* A host compiled against MUC_CONFIG_V1 gets store_history's default
 * whatever the padding after its struct's last field holds. */
static void test_v1_config(void **state)
{
  (void)state;
  union {
    muc_config cfg;
    unsigned char bytes[sizeof(muc_config)];
  } v1;
  memset(v1.bytes, 0x5A, sizeof(v1.bytes));
  assert_int_equal(muc_config_default_versioned(MUC_CONFIG_V1, &v1.cfg),
                   MUC_OK);
  assert_int_equal(v1.cfg.store_history, 0x5A5A5A5A); /* not V1's */
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 0), MUC_OK);
  muc_callbacks cb = h.svc->cb;
  muc_service *svc = NULL;
  assert_int_equal(muc_service_new_versioned(&svc, DOMAIN, MUC_CALLBACKS_V1,
                                             &cb, MUC_CONFIG_V1, &v1.cfg, NULL,
                                             &h),
                   MUC_OK);
  assert_int_equal(svc->cfg.store_history, 1);
  assert_int_equal(muc_service_free(svc), MUC_OK);
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_restart_serves_same_history),
      cmocka_unit_test(test_stored_before_delivery),
      cmocka_unit_test(test_temporary_room_no_store),
      cmocka_unit_test(test_setting_off),
      cmocka_unit_test(test_record_loads),
      cmocka_unit_test(test_bad_entries_refused),
      cmocka_unit_test(test_limits_refused),
      cmocka_unit_test(test_v1_config),
  };
  return cmocka_run_group_tests_name("history_store", tests, NULL, NULL);
}
