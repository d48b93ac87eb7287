#define _POSIX_C_SOURCE 200809L
/* The room record written straight into the buffer (store_write.c): the
 * same bytes as the tree the record was once built as (kept here as the
 * reference), on rooms with every setting, special characters, UTF-8,
 * affiliations with nicks and reasons, and history; records read back as
 * written; the head a room keeps while messages come is never stale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "affiliation.h"
#include "core.h"
#include "fakehost.h"
#include "history_store.h"
#include "map.h"
#include "room.h"
#include "store.h"
#include "xml.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN
#define MUCNS "http://jabber.org/protocol/muc"

/* ---- the reference: the record as a Mini-XML tree, serialized ---------- */

static void tree_attr(mxml_node_t *el, const char *name, const char *v)
{
  if (v)
    assert_int_equal(muc_xml_set_attr(el, name, v), MUC_OK);
}

static void tree_num(mxml_node_t *el, const char *name, unsigned long long v)
{
  char buf[24];
  snprintf(buf, sizeof(buf), "%llu", v);
  tree_attr(el, name, buf);
}

static void tree_flag(mxml_node_t *el, const char *name, int v)
{
  tree_attr(el, name, v ? "1" : "0");
}

static void tree_config(mxml_node_t *c, const muc_room_config *k)
{
  tree_attr(c, "name", k->name);
  tree_attr(c, "desc", k->desc);
  tree_attr(c, "password", k->password);
  tree_attr(c, "lang", k->lang);
  tree_flag(c, "persistent", k->persistent);
  tree_flag(c, "public", k->public_room);
  tree_flag(c, "membersonly", k->members_only);
  tree_flag(c, "allowmemberinvites", k->allow_member_invites);
  tree_flag(c, "moderated", k->moderated);
  tree_flag(c, "allowinvites", k->allow_invites);
  tree_flag(c, "changesubject", k->change_subject);
  tree_flag(c, "allowmodpm", k->allow_modpm);
  tree_num(c, "whois", (unsigned)k->whois);
  tree_num(c, "presencebroadcast", k->presence_broadcast);
  tree_num(c, "allowpm", (unsigned)k->allow_pm);
  tree_num(c, "historylength", k->history_length);
  tree_num(c, "maxusers", k->max_users);
  tree_num(c, "getmemberlist", k->get_member_list);
  tree_flag(c, "logging", k->logging);
  tree_flag(c, "archiving", k->archiving);
}

/* The record of |room| as the tree writer made it (into |out|). */
static void tree_record(const muc_room *room, muc_buf *out)
{
  mxml_node_t *r = muc_xml_new(NULL, "room", MUC_NS_STORE);
  assert_non_null(r);
  tree_attr(r, "jid", room->jid);
  tree_config(muc_xml_new(r, "config", NULL), &room->cfg);
  if (room->subject) {
    mxml_node_t *s = muc_xml_new_text(r, "subject", NULL, room->subject);
    tree_attr(s, "from", room->subject_from);
    tree_num(s, "time", room->subject_time);
  }
  for (const muc_affil *a = room->afirst; a; a = a->next) {
    mxml_node_t *e = muc_xml_new(r, "affiliation", NULL);
    tree_attr(e, "jid", a->jid);
    tree_attr(e, "affiliation", muc_affiliation_name(a->aff));
    tree_attr(e, "nick", a->nick);
    if (a->reason)
      assert_non_null(muc_xml_new_text(e, "reason", NULL, a->reason));
  }
  assert_int_equal(muc_xml_write(out, r), MUC_OK);
  mxmlDelete(r);
  /* the history went in place of the root's end tag */
  assert_true(out->len > 7);
  out->len -= 7;
  muc_history_store_write(room, out);
  muc_buf_puts(out, "</room>");
  assert_false(out->oom);
}

/* ---- helpers ------------------------------------------------------------ */

static muc_room *the_room(const fakehost *h)
{
  muc_room *room = muc_map_get(&h->svc->rooms, "room");
  assert_non_null(room);
  return room;
}

/* A persistent room made by Romeo through the protocol. */
static muc_room *make_room(fakehost *h)
{
  assert_int_equal(fakehost_xml(h,
                                "<presence from='romeo@localhost/r' to='" ROOM
                                "/Romeo'><x xmlns='" MUCNS "'/></presence>"),
                   MUC_OK);
  assert_int_equal(
      fakehost_xml(h, "<iq from='romeo@localhost/r' to='" ROOM "' id='c1' "
                      "type='set'><query xmlns='" MUCNS "#owner'><x "
                      "xmlns='jabber:x:data' type='submit'><field "
                      "var='FORM_TYPE'><value>" MUCNS "#roomconfig</value>"
                      "</field><field var='muc#roomconfig_persistentroom'>"
                      "<value>1</value></field></x></query></iq>"),
      MUC_OK);
  return the_room(h);
}

static void say(fakehost *h, const char *body)
{
  assert_int_equal(fakehost_xml(h,
                                "<message from='romeo@localhost/r' to='" ROOM
                                "' type='groupchat'><body>%s</body></message>",
                                body),
                   MUC_OK);
}

/* Replace a string setting of |room| (NULL: none). */
static void set_text(muc_room *room, char **slot, const char *v)
{
  muc_mem *m = &room->svc->mem;
  char *c = v ? muc_mem_strdup(m, v) : NULL;
  assert_true(!v || c);
  muc_mem_free(m, *slot);
  *slot = c;
}

/* The fresh writer gives the tree's bytes for |room|, and those bytes
 * read back into a new room of another service write the same bytes. */
static void check_record(const muc_room *room, const muc_config *cfg)
{
  muc_buf fresh, tree;
  muc_buf_init(&fresh, &room->svc->mem);
  muc_buf_init(&tree, &room->svc->mem);
  assert_int_equal(muc_store_write_fresh(room, &fresh), MUC_OK);
  tree_record(room, &tree);
  assert_string_equal(fresh.data, tree.data);
  assert_int_equal(fresh.len, tree.len);

  fakehost other;
  assert_int_equal(fakehost_init(&other, DOMAIN, cfg, 1), MUC_OK);
  muc_room *copy = muc_room_new(other.svc, "room");
  assert_non_null(copy);
  assert_int_equal(muc_store_read(copy, fresh.data, fresh.len), MUC_OK);
  muc_buf again;
  muc_buf_init(&again, &other.svc->mem);
  assert_int_equal(muc_store_write_fresh(copy, &again), MUC_OK);
  assert_string_equal(again.data, fresh.data);
  muc_buf_free(&again);
  fakehost_free(&other);
  muc_buf_free(&fresh);
  muc_buf_free(&tree);
}

/* Every setting away from its default, texts with what must be escaped
 * and UTF-8. */
static void configure_everything(muc_room *room)
{
  muc_room_config *k = &room->cfg;
  set_text(room, &k->name,
           "Caf\xc3\xa9 <&> \"quoted\" 'single'\ttab\nline\rcr");
  set_text(room, &k->desc, "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89 a]]>b");
  set_text(room, &k->password, "p&w<rd>\"");
  set_text(room, &k->lang, "en-GB");
  k->public_room = 0;
  k->members_only = 1;
  k->allow_member_invites = 1;
  k->moderated = 1;
  k->allow_invites = 1;
  k->change_subject = 1;
  k->allow_modpm = 1;
  k->whois = MUC_WHOIS_ANYONE;
  k->presence_broadcast = 5;
  k->allow_pm = MUC_PM_NOBODY;
  k->max_users = 1000000000;
  k->get_member_list = 3;
  k->logging = 1;
}

static void add_affiliations(muc_room *room)
{
  static const struct {
    const char *jid;
    muc_affiliation aff;
    const char *nick, *reason;
  } rows[] = {
      {"admin@localhost", MUC_AFFIL_ADMIN, NULL, NULL},
      {"m1@localhost", MUC_AFFIL_MEMBER, "Jules", NULL},
      {"m2@localhost", MUC_AFFIL_MEMBER, NULL, "friend & <colleague>"},
      {"m3@localhost", MUC_AFFIL_MEMBER,
       "N\xc3\xaf"
       "ck \"q\"",
       "\xc3\xa9\r\n\t"},
      {"m4@localhost", MUC_AFFIL_MEMBER, "", ""},
      {"bad@localhost", MUC_AFFIL_OUTCAST, NULL, "spam"},
      {"localhost", MUC_AFFIL_OUTCAST, NULL, NULL},
      {"j\xc3\xbcrgen@m\xc3\xbcnchen.example", MUC_AFFIL_OWNER, NULL, NULL},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
    assert_int_equal(muc_room_put_affiliation(room, rows[i].jid, rows[i].aff, 1,
                                              0, rows[i].nick, rows[i].reason),
                     MUC_OK);
}

/* ---- the writer gives the tree's bytes ---------------------------------- */

static void test_new_room(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  check_record(make_room(&h), NULL);
  fakehost_free(&h);
}

static void test_everything(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  muc_room *room = make_room(&h);
  say(&h, "before &amp; &lt;after&gt; \xe2\x82\xac \"q\" 'a'");
  say(&h, "line&#13;&#10;two&#9;tab");
  configure_everything(room);
  add_affiliations(room);
  set_text(room, &room->subject,
           "Today: <b>&amp;</b> \"news\"\r\n\t\xc3\xa9\xf0\x9f\x98\x80");
  set_text(room, &room->subject_from, ROOM "/Ro&meo");
  room->subject_time = UINT64_MAX;
  check_record(room, NULL);
  /* a subject nobody set (a record may hold one), and an empty one */
  set_text(room, &room->subject_from, NULL);
  check_record(room, NULL);
  set_text(room, &room->subject, "");
  check_record(room, NULL);
  fakehost_free(&h);
}

static void test_no_stored_history(void **state)
{
  (void)state;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.store_history = 0;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, &cfg, 1), MUC_OK);
  muc_room *room = make_room(&h);
  say(&h, "kept in memory only");
  add_affiliations(room);
  check_record(room, &cfg);
  muc_buf b;
  muc_buf_init(&b, &h.svc->mem);
  assert_int_equal(muc_store_write_fresh(room, &b), MUC_OK);
  assert_null(strstr(b.data, "<history"));
  muc_buf_free(&b);
  fakehost_free(&h);
}

/* ---- the kept head ------------------------------------------------------ */

/* The record the host holds now is the room's record written afresh. */
static void check_stored_is_fresh(fakehost *h)
{
  muc_room *room = the_room(h);
  size_t len;
  const char *stored = fakehost_stored(h, ROOM, &len);
  assert_non_null(stored);
  muc_buf fresh;
  muc_buf_init(&fresh, &h->svc->mem);
  assert_int_equal(muc_store_write_fresh(room, &fresh), MUC_OK);
  assert_int_equal(len, fresh.len);
  assert_memory_equal(stored, fresh.data, len);
  muc_buf_free(&fresh);
}

/* A message, then the record: the head is kept while messages come. */
static void say_and_check(fakehost *h, const char *body)
{
  size_t stores = h->stores;
  say(h, body);
  assert_int_equal(h->stores, stores + 1);
  check_stored_is_fresh(h);
  assert_non_null(the_room(h)->record_head);
}

static void owner_form(fakehost *h, const char *fields)
{
  assert_int_equal(
      fakehost_xml(h,
                   "<iq from='romeo@localhost/r' to='" ROOM "' id='f' "
                   "type='set'><query xmlns='" MUCNS "#owner'><x "
                   "xmlns='jabber:x:data' type='submit'><field "
                   "var='FORM_TYPE'><value>" MUCNS "#roomconfig</value>"
                   "</field>%s</x></query></iq>",
                   fields),
      MUC_OK);
}

static void admin_item(fakehost *h, const char *item)
{
  assert_int_equal(fakehost_xml(h,
                                "<iq from='romeo@localhost/r' to='" ROOM
                                "' id='a' type='set'><query xmlns='" MUCNS
                                "#admin'>%s</query></iq>",
                                item),
                   MUC_OK);
}

static void test_head_follows_every_change(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  make_room(&h);
  assert_null(the_room(&h)->record_head); /* no message yet: none kept */
  say_and_check(&h, "first");
  say_and_check(&h, "second");

  /* configuration */
  owner_form(&h, "<field var='muc#roomconfig_roomname'><value>A &amp; "
                 "\xc3\xa9</value></field><field "
                 "var='muc#roomconfig_moderatedroom'><value>1</value></field>");
  assert_null(the_room(&h)->record_head);
  say_and_check(&h, "after the configuration");
  assert_non_null(strstr(fakehost_stored(&h, ROOM, NULL), "A &amp; \xc3\xa9"));
  owner_form(&h, "<field var='muc#roomconfig_historylength'><value>3</value>"
                 "</field>");
  say_and_check(&h, "after a shorter history");
  /* admins and owners in the configuration form */
  owner_form(&h, "<field var='muc#roomconfig_roomadmins'>"
                 "<value>wiz@localhost</value></field>");
  say_and_check(&h, "after a new admin");
  assert_non_null(strstr(fakehost_stored(&h, ROOM, NULL), "wiz@localhost"));

  /* subject */
  assert_int_equal(fakehost_xml(&h,
                                "<message from='romeo@localhost/r' to='" ROOM
                                "' type='groupchat'><subject>S &lt;1&gt;"
                                "</subject></message>"),
                   MUC_OK);
  assert_null(the_room(&h)->record_head);
  say_and_check(&h, "after the subject");
  assert_non_null(strstr(fakehost_stored(&h, ROOM, NULL), "S &lt;1&gt;"));

  /* affiliations: added with a nick and a reason, changed, removed */
  admin_item(&h, "<item affiliation='member' jid='jul@localhost' "
                 "nick='Jules'><reason>a &lt;friend&gt;</reason></item>");
  assert_null(the_room(&h)->record_head);
  say_and_check(&h, "after a member");
  assert_non_null(strstr(fakehost_stored(&h, ROOM, NULL), "nick=\"Jules\""));
  admin_item(&h, "<item affiliation='outcast' jid='jul@localhost'/>");
  say_and_check(&h, "after a ban");
  admin_item(&h, "<item affiliation='none' jid='jul@localhost'/>");
  say_and_check(&h, "after the ban lifted");
  assert_null(strstr(fakehost_stored(&h, ROOM, NULL), "jul@localhost"));
  admin_item(&h, "<item affiliation='none' jid='wiz@localhost'/>");
  say_and_check(&h, "after the admin left");
  fakehost_free(&h);
}

/* A room loaded from its record keeps nothing of the room it was: its
 * first message stores the record it read, and its new history. */
static void test_head_after_load(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  make_room(&h);
  admin_item(&h, "<item affiliation='member' jid='jul@localhost' "
                 "nick='Jules'/>");
  say_and_check(&h, "before the restart");

  fakehost again;
  assert_int_equal(fakehost_init(&again, DOMAIN, NULL, 1), MUC_OK);
  size_t len;
  const char *rec = fakehost_stored(&h, ROOM, &len);
  again.store[0].jid = strdup(ROOM);
  again.store[0].data = strndup(rec, len);
  again.store[0].len = len;
  again.nstore = 1;
  assert_int_equal(fakehost_xml(&again,
                                "<presence from='romeo@localhost/r' to='" ROOM
                                "/Romeo'><x xmlns='" MUCNS "'/></presence>"),
                   MUC_OK);
  assert_null(the_room(&again)->record_head);
  say_and_check(&again, "after the restart");
  assert_non_null(strstr(fakehost_stored(&again, ROOM, NULL), "Jules"));
  assert_non_null(
      strstr(fakehost_stored(&again, ROOM, NULL), "before the restart"));
  fakehost_free(&again);
  fakehost_free(&h);
}

/* ---- out of memory ------------------------------------------------------ */

/* Allocations through the service's allocator, the |fail_at|th failing
 * (counted from 1; 0: none). */
typedef struct failing {
  muc_allocator real;
  long attempts, fail_at;
} failing;

static void *failing_malloc(size_t n, void *ud)
{
  failing *f = ud;
  if (++f->attempts == f->fail_at)
    return NULL;
  return f->real.malloc(n, f->real.user_data);
}

static void *failing_realloc(void *p, size_t n, void *ud)
{
  failing *f = ud;
  if (++f->attempts == f->fail_at)
    return NULL;
  return f->real.realloc(p, n, f->real.user_data);
}

static void failing_free(void *p, void *ud)
{
  failing *f = ud;
  f->real.free(p, f->real.user_data);
}

/* A message after the subject changed (no head kept: the record and the
 * head are written) with allocation |fail_at| failing: the attempts it
 * made, and whether it reported MUC_ERR_NOMEM.  Whenever the host got a
 * record it is the whole record. */
static long message_failing(long fail_at, int *nomem)
{
  fakehost h;
  assert_int_equal(fakehost_init(&h, DOMAIN, NULL, 1), MUC_OK);
  make_room(&h);
  say(&h, "first");
  assert_int_equal(fakehost_xml(&h,
                                "<message from='romeo@localhost/r' to='" ROOM
                                "' type='groupchat'><subject>new</subject>"
                                "</message>"),
                   MUC_OK);
  size_t len0;
  char *before = strdup(fakehost_stored(&h, ROOM, &len0));
  size_t stores = h.stores;
  failing f = {h.svc->mem.a, 0, fail_at};
  h.svc->mem.a =
      (muc_allocator){failing_malloc, failing_realloc, failing_free, &f};
  int rc = fakehost_xml(&h, "<message from='romeo@localhost/r' to='" ROOM
                            "' type='groupchat'><body>second</body></message>");
  h.svc->mem.a = f.real;
  *nomem = rc == MUC_ERR_NOMEM;
  assert_true(rc == MUC_OK || rc == MUC_ERR_NOMEM);
  if (h.stores == stores) {
    assert_memory_equal(fakehost_stored(&h, ROOM, NULL), before, len0);
  } else {
    check_stored_is_fresh(&h);
    assert_non_null(strstr(fakehost_stored(&h, ROOM, NULL), "second"));
  }
  free(before);
  fakehost_free(&h);
  return f.attempts;
}

static void test_out_of_memory(void **state)
{
  (void)state;
  int nomem;
  long total = message_failing(0, &nomem);
  assert_false(nomem);
  assert_true(total > 0);
  long reported = 0;
  for (long i = 1; i <= total; i++) {
    message_failing(i, &nomem);
    reported += nomem;
  }
  assert_int_equal(reported, total); /* each one failing is reported */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_room),
      cmocka_unit_test(test_everything),
      cmocka_unit_test(test_no_stored_history),
      cmocka_unit_test(test_head_follows_every_change),
      cmocka_unit_test(test_head_after_load),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
