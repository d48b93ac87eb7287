/* The message archive (XEP-0313 for rooms), moderation (XEP-0425) and
 * retraction (XEP-0424) against the in-memory archive of the tests
 * (test/archive/mem_archive.c), which follows docs/archive.md: the
 * date-time parser, the paging semantics of the contract, what the room
 * gives append, its failures, and archiving turned off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "archive.h"
#include "datetime.h"
#include "history.h"
#include "limits_fixture.h"
#include "mem_archive.h"
#include "stanza.h"

#define JULIET "juliet@localhost/j"
#define MAM "urn:xmpp:mam:2"
#define RSM "http://jabber.org/protocol/rsm"

/* ---- XEP-0082 date-times -------------------------------------------------
 */

static void test_datetime_valid(void **state)
{
  (void)state;
  static const struct {
    const char *s;
    uint64_t ms;
  } ok[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-01-01T00:00:00Z", UINT64_C(1767225600000)},
      {"2026-01-01T00:00:00.5Z", UINT64_C(1767225600500)},
      {"2026-01-01T00:00:00.123456Z", UINT64_C(1767225600123)},
      {"2026-01-01T01:00:00+01:00", UINT64_C(1767225600000)},
      {"2025-12-31T23:30:00-00:30", UINT64_C(1767225600000)},
      {"2024-02-29T12:00:00Z", UINT64_C(1709208000000)},
      {"2000-02-29T00:00:00Z", UINT64_C(951782400000)},
  };
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    uint64_t ms = 1;
    assert_int_equal(muc_datetime_parse(ok[i].s, &ms), 0);
    assert_int_equal(ms, ok[i].ms);
  }
}

static void test_datetime_invalid(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "",
      "2026-01-01",
      "2026-01-01T00:00:00",      /* no zone */
      "2026-01-01 00:00:00Z",     /* no T */
      "2026-1-01T00:00:00Z",      /* one-digit month */
      "2026-13-01T00:00:00Z",     /* month 13 */
      "2026-02-29T00:00:00Z",     /* not a leap year */
      "1900-02-29T00:00:00Z",     /* nor is 1900 */
      "2026-04-31T00:00:00Z",     /* April has 30 days */
      "2026-01-00T00:00:00Z",     /* day 0 */
      "2026-01-01T24:00:00Z",     /* hour 24 */
      "2026-01-01T00:60:00Z",     /* minute 60 */
      "2026-01-01T00:00:61Z",     /* second 61 */
      "2026-01-01T00:00:00.Z",    /* a point without digits */
      "2026-01-01T00:00:00+0100", /* no colon in the offset */
      "2026-01-01T00:00:00+24:00",
      "2026-01-01T00:00:00Zjunk",
      "1969-12-31T23:59:59Z", /* before the epoch */
      "+2026-01-01T00:00:00Z",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    uint64_t ms = 7;
    if (muc_datetime_parse(bad[i], &ms) == 0)
      fail_msg("accepted %s", bad[i]);
    assert_int_equal(ms, 7); /* untouched */
  }
  assert_int_equal(muc_datetime_parse(NULL, NULL), -1);
}

/* ---- a room that archives -------------------------------------------------
 */

typedef struct fixture {
  fakehost *h;
  mem_archive a;
} fixture;

static int setup_archive(void **state)
{
  static fixture f;
  if (setup(state) != 0)
    return -1;
  f.h = *state;
  mem_archive_init(&f.a);
  if (mem_archive_install(&f.a, f.h->svc) != MUC_OK)
    return -1;
  *state = &f;
  return 0;
}

static int teardown_archive(void **state)
{
  fixture *f = *state;
  mem_archive_free(&f->a);
  *state = f->h;
  return fakehost_teardown(state);
}

static void talk(fakehost *h, const char *from, int n)
{
  for (int i = 0; i < n; i++, h->now += 1000) /* a second apart */
    assert_int_equal(fakehost_xml(h,
                                  "<message from='%s' to='" ROOM
                                  "' type='groupchat' "
                                  "id='m%d'><body>%d</body></message>",
                                  from, i, i),
                     MUC_OK);
}

static int query(fakehost *h, const char *payload)
{
  fakehost_clear(h);
  return fakehost_xml(h,
                      "<iq from='" JULIET "' to='" ROOM "' type='set' "
                      "id='q'><query xmlns='" MAM "'>%s</query></iq>",
                      payload);
}

/* The archive ids of the results sent, in order, joined by spaces. */
static const char *results(const fakehost *h)
{
  static char out[512];
  out[0] = '\0';
  for (size_t i = 0; i < h->nsent; i++) {
    const char *r = strstr(h->sent[i], "<result xmlns=\"" MAM "\"");
    const char *id = r ? strstr(r, " id=\"") : NULL;
    if (!id)
      continue;
    id += 5;
    size_t n = strcspn(id, "\"");
    if (*out)
      strcat(out, " ");
    strncat(out, id, n);
  }
  return out;
}

/* The archive's id of the |i|th message appended (0: the first). */
static const char *id_of(const fixture *f, size_t i)
{
  assert_true(i < f->a.n);
  return f->a.msgs[i].id;
}

/* Romeo, a moderator, retracts the first archived message (XEP-0425):
 * fakehost_xml's return code. */
static int moderate_first(fixture *f)
{
  return fakehost_xml(f->h,
                      "<iq from='" ROMEO "' to='" ROOM
                      "' type='set' id='r'><moderate "
                      "id='%s' xmlns='urn:xmpp:message-moderate:1'><retract "
                      "xmlns='urn:xmpp:message-retract:1'/></moderate></iq>",
                      id_of(f, 0));
}

static void test_append_gives_the_broadcast(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  talk(f->h, ROMEO, 1);
  assert_int_equal(f->a.n, 1);
  const mem_archived *m = &f->a.msgs[0];
  assert_string_equal(m->room, ROOM);
  assert_string_equal(m->from, ROOM "/Romeo");
  assert_string_equal(m->author, "romeo@localhost");
  /* the bytes the occupants received, without 'to', with the stanza-id */
  assert_non_null(strstr(m->xml, "<body>0</body>"));
  assert_null(strstr(m->xml, " to="));
  char sid[160];
  snprintf(sid, sizeof(sid),
           "<stanza-id xmlns=\"urn:xmpp:sid:0\" id=\"%s\" by=\"" ROOM "\"/>",
           m->id);
  assert_non_null(strstr(m->xml, sid));
  assert_non_null(fakehost_find(f->h, sid, " to=\"" JULIET "\"", NULL));
  /* private messages are not archived */
  assert_int_equal(
      fakehost_xml(f->h, "<message from='" ROMEO "' to='" ROOM
                         "/Juliet' type='chat'><body>x</body></message>"),
      MUC_OK);
  assert_int_equal(f->a.n, 1);
}

static void test_paging(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  talk(f->h, ROMEO, 5);
  char want[256], q[256];
  /* the first page, then after its last */
  assert_int_equal(query(f->h, "<set xmlns='" RSM "'><max>2</max></set>"),
                   MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 0), id_of(f, 1));
  assert_string_equal(results(f->h), want);
  assert_null(fakehost_find(f->h, "complete=", NULL));
  assert_non_null(fakehost_find(f->h, "<count>5</count>", NULL));
  snprintf(q, sizeof(q),
           "<set xmlns='" RSM "'><max>3</max><after>%s</after></set>",
           id_of(f, 1));
  assert_int_equal(query(f->h, q), MUC_OK);
  snprintf(want, sizeof(want), "%s %s %s", id_of(f, 2), id_of(f, 3),
           id_of(f, 4));
  assert_string_equal(results(f->h), want);
  assert_non_null(
      fakehost_find(f->h, "<fin xmlns=\"" MAM "\" complete=\"true\">", NULL));
  /* the last page, and the one before it */
  assert_int_equal(
      query(f->h, "<set xmlns='" RSM "'><max>2</max><before/></set>"), MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 3), id_of(f, 4));
  assert_string_equal(results(f->h), want);
  assert_null(fakehost_find(f->h, "complete=", NULL));
  snprintf(q, sizeof(q),
           "<set xmlns='" RSM "'><max>2</max><before>%s</before></set>",
           id_of(f, 3));
  assert_int_equal(query(f->h, q), MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 1), id_of(f, 2));
  assert_string_equal(results(f->h), want);
  snprintf(q, sizeof(q),
           "<set xmlns='" RSM "'><max>2</max><before>%s</before></set>",
           id_of(f, 1));
  assert_int_equal(query(f->h, q), MUC_OK);
  assert_string_equal(results(f->h), id_of(f, 0));
  assert_non_null(fakehost_find(f->h, "complete=\"true\"", NULL));
  /* a page flipped: the same messages, newest first; first/last as before */
  assert_int_equal(query(f->h, "<set xmlns='" RSM "'><max>2</max></set>"
                               "<flip-page/>"),
                   MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 1), id_of(f, 0));
  assert_string_equal(results(f->h), want);
  snprintf(want, sizeof(want), "<first>%s</first><last>%s</last>", id_of(f, 0),
           id_of(f, 1));
  assert_non_null(fakehost_find(f->h, want, NULL));
}

static void test_max_is_capped(void **state)
{
  fixture *f = *state;
  f->h->svc->cfg.max_archive_page = 3; /* as muc_config would set it */
  make_room(f->h);
  talk(f->h, ROMEO, 5);
  assert_int_equal(query(f->h, "<set xmlns='" RSM "'><max>100</max></set>"),
                   MUC_OK);
  char want[256];
  snprintf(want, sizeof(want), "%s %s %s", id_of(f, 0), id_of(f, 1),
           id_of(f, 2));
  assert_string_equal(results(f->h), want);
  assert_int_equal(query(f->h, ""), MUC_OK); /* no <max/>: the cap */
  assert_string_equal(results(f->h), want);
}

#define FORM(fields)                                                           \
  "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>" MAM  \
  "</value></field>" fields "</x>"
#define FIELD(var, value)                                                      \
  "<field var='" var "'><value>" value "</value></field>"

static void test_filters(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  talk(f->h, ROMEO, 2);  /* at t0, t0 + 1 s */
  f->h->now += 60000;    /* a minute later */
  talk(f->h, JULIET, 2); /* at t0 + 61 s, + 62 s */
  uint64_t t2 = f->a.msgs[2].time;
  char q[512], want[256], stamp[32];
  /* start and end, both inclusive */
  muc_format_stamp(t2, stamp, sizeof(stamp));
  snprintf(q, sizeof(q), FORM("<field var='start'><value>%s</value></field>"),
           stamp);
  assert_int_equal(query(f->h, q), MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 2), id_of(f, 3));
  assert_string_equal(results(f->h), want);
  snprintf(q, sizeof(q), FORM("<field var='end'><value>%s</value></field>"),
           stamp);
  assert_int_equal(query(f->h, q), MUC_OK);
  snprintf(want, sizeof(want), "%s %s %s", id_of(f, 0), id_of(f, 1),
           id_of(f, 2));
  assert_string_equal(results(f->h), want);
  /* with: the occupant JID */
  assert_int_equal(query(f->h, FORM(FIELD("with", ROOM "/Juliet"))), MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 2), id_of(f, 3));
  assert_string_equal(results(f->h), want);
  /* after-id and before-id, exclusive; ids */
  snprintf(q, sizeof(q),
           FORM("<field var='after-id'><value>%s</value></field>"
                "<field var='before-id'><value>%s</value></field>"),
           id_of(f, 0), id_of(f, 3));
  assert_int_equal(query(f->h, q), MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 1), id_of(f, 2));
  assert_string_equal(results(f->h), want);
  snprintf(q, sizeof(q),
           FORM("<field var='ids'><value>%s</value><value>%s</value></field>"),
           id_of(f, 3), id_of(f, 0));
  assert_int_equal(query(f->h, q), MUC_OK);
  snprintf(want, sizeof(want), "%s %s", id_of(f, 0), id_of(f, 3));
  assert_string_equal(results(f->h), want);
}

static void test_malformed_queries(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  talk(f->h, ROMEO, 1);
  static const char *const bad[] = {
      FORM(FIELD("start", "yesterday")),
      FORM(FIELD("end", "2026-01-01T00:00:00")),
      FORM(FIELD("with", "@nobody")),
      FORM(FIELD("after-id", "")),
      "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
      "urn:xmpp:mam:1</value></field></x>",
      "<set xmlns='" RSM "'><max>ten</max></set>",
      "<set xmlns='" RSM "'><max>-1</max></set>",
      "<set xmlns='" RSM "'><after/></set>",
      "<set xmlns='" RSM "'><after>a</after><before>b</before></set>",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(query(f->h, bad[i]), MUC_OK);
    expect_error(f->h, "bad-request", "modify", ROOM);
  }
  assert_int_equal(query(f->h, FORM(FIELD("ids", "unknown"))), MUC_OK);
  expect_error(f->h, "item-not-found", "cancel", ROOM);
  assert_int_equal(query(f->h, FORM(FIELD("before-id", "unknown"))), MUC_OK);
  expect_error(f->h, "item-not-found", "cancel", ROOM);
}

static void test_who_may_query(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  talk(f->h, ROMEO, 1);
  /* an outsider who could join may */
  assert_int_equal(fakehost_xml(f->h, "<iq from='ben@localhost/b' to='" ROOM
                                      "' type='set' id='q'><query xmlns='" MAM
                                      "'/></iq>"),
                   MUC_OK);
  assert_non_null(fakehost_find(f->h, "<fin ", NULL));
  /* members-only: a member may, anyone else not */
  configure(f->h, "<field var='muc#roomconfig_membersonly'><value>1</value>"
                  "</field>");
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, "<iq from='ben@localhost/b' to='" ROOM
                                      "' type='set' id='q'><query xmlns='" MAM
                                      "'/></iq>"),
                   MUC_OK);
  expect_error(f->h, "forbidden", "auth", ROOM);
  admin(f->h, "<item affiliation='member' jid='ben@localhost'/>");
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, "<iq from='ben@localhost/b' to='" ROOM
                                      "' type='set' id='q'><query xmlns='" MAM
                                      "'/></iq>"),
                   MUC_OK);
  assert_non_null(fakehost_find(f->h, "<fin ", NULL));
}

static void test_append_failure(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  fakehost_clear(f->h);
  f->a.fail_append = 1;
  assert_int_equal(fakehost_xml(f->h, "<message from='" ROMEO "' to='" ROOM
                                      "' type='groupchat'><body>lost</body>"
                                      "</message>"),
                   MUC_ERR_STORAGE);
  /* delivered all the same */
  assert_int_equal(fakehost_count(f->h, "<body>lost</body>"), 2);
  assert_int_equal(f->a.n, 0);
}

static void test_archiving_off(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  assert_true(disco_has(f->h, "urn:xmpp:mam:2"));
  configure(f->h, "<field var='muc#roomconfig_enablearchiving'><value>0"
                  "</value></field>");
  assert_false(room_of(f->h)->cfg.archiving);
  assert_false(disco_has(f->h, "urn:xmpp:mam:2"));
  fakehost_clear(f->h);
  talk(f->h, ROMEO, 1);
  assert_int_equal(f->a.n, 0);
  assert_null(fakehost_find(f->h, "stanza-id", NULL));
  assert_int_equal(query(f->h, ""), MUC_OK);
  expect_error(f->h, "service-unavailable", "cancel", ROOM);
  /* no archive at all: the form does not offer the field */
  configure(f->h, "<field var='muc#roomconfig_enablearchiving'><value>1"
                  "</value></field>");
  assert_int_equal(muc_service_set_archive(f->h->svc, 0, NULL, NULL), MUC_OK);
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, "<iq from='" ROMEO "' to='" ROOM
                                      "' type='get' id='f'><query xmlns='" MUCNS
                                      "#owner'/></iq>"),
                   MUC_OK);
  assert_non_null(fakehost_find(f->h, "muc#roomconfig_enablelogging", NULL));
  assert_null(fakehost_find(f->h, "enablearchiving", NULL));
  assert_false(disco_has(f->h, "urn:xmpp:mam:2"));
}

static void test_room_options_versions(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  muc_room_options o;
  assert_int_equal(muc_service_get_room_options(f->h->svc, ROOM, &o), MUC_OK);
  assert_int_equal(o.archiving, 1);
  o.archiving = 0;
  assert_int_equal(muc_service_set_room_options(f->h->svc, ROOM, &o), MUC_OK);
  assert_false(room_of(f->h)->cfg.archiving);
  /* a V1 caller neither reads nor changes it */
  muc_room_options v1;
  memset(&v1, 0xAB, sizeof(v1));
  assert_int_equal(muc_service_get_room_options_versioned(
                       f->h->svc, ROOM, MUC_ROOM_OPTIONS_V1, &v1),
                   MUC_OK);
  int untouched;
  memset(&untouched, 0xAB, sizeof(untouched));
  assert_memory_equal(&v1.archiving, &untouched, sizeof(untouched));
  v1.archiving = 1; /* not read */
  assert_int_equal(muc_service_set_room_options_versioned(
                       f->h->svc, ROOM, MUC_ROOM_OPTIONS_V1, &v1),
                   MUC_OK);
  assert_false(room_of(f->h)->cfg.archiving);
  o.archiving = 2;
  assert_int_equal(muc_service_set_room_options(f->h->svc, ROOM, &o),
                   MUC_ERR_INVALID_ARG);
}

/* The sender's real JID in a result: only to those who may see real
 * JIDs in the room now (XEP-0313 §5.1.3), and never a client's own. */
static void test_real_jids(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  assert_int_equal(fakehost_xml(f->h, "<message from='" JULIET "' to='" ROOM
                                      "' type='groupchat'><body>x</body><x "
                                      "xmlns='" MUCNS "#user'><item "
                                      "jid='forged@localhost'/></x></message>"),
                   MUC_OK);
  static const char item[] = "<item jid=\"" JULIET "\"/>";
  /* Juliet, a participant of a semi-anonymous room: no real JID */
  assert_int_equal(query(f->h, ""), MUC_OK);
  assert_int_equal(fakehost_count(f->h, "<result "), 1);
  assert_null(fakehost_find(f->h, item, NULL));
  assert_null(fakehost_find(f->h, "forged@", NULL));
  /* Romeo, a moderator, sees it */
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, "<iq from='" ROMEO "' to='" ROOM
                                      "' type='set' id='q'><query xmlns='" MAM
                                      "'/></iq>"),
                   MUC_OK);
  assert_non_null(fakehost_find(f->h, item, NULL));
  assert_null(fakehost_find(f->h, "forged@", NULL));
  /* a non-anonymous room: everyone does */
  configure(f->h, "<field var='muc#roomconfig_whois'><value>anyone</value>"
                  "</field>");
  assert_int_equal(query(f->h, ""), MUC_OK);
  assert_non_null(fakehost_find(f->h, item, NULL));
}

static void test_metadata(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  static const char md[] =
      "<iq from='" JULIET "' to='" ROOM
      "' type='get' id='md'><metadata xmlns='" MAM "'/></iq>";
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, md), MUC_OK); /* empty: no start/end */
  assert_non_null(fakehost_find(f->h, "<metadata xmlns=\"" MAM "\"/>", NULL));
  talk(f->h, ROMEO, 3);
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, md), MUC_OK);
  char want[128];
  snprintf(want, sizeof(want), "<start id=\"%s\"", id_of(f, 0));
  assert_non_null(fakehost_find(f->h, want, NULL));
  snprintf(want, sizeof(want), "<end id=\"%s\"", id_of(f, 2));
  assert_non_null(fakehost_find(f->h, want, NULL));
  f->a.fail_query = 1;
  fakehost_clear(f->h);
  assert_int_equal(fakehost_xml(f->h, md), MUC_ERR_STORAGE);
  expect_error(f->h, "internal-server-error", "wait", ROOM);
}

static void test_retraction_failures(void **state)
{
  fixture *f = *state;
  make_room(f->h);
  talk(f->h, JULIET, 1);
  char q[256];
  /* the archive fails: internal-server-error (wait), MUC_ERR_STORAGE */
  f->a.fail_retract = 1;
  fakehost_clear(f->h);
  assert_int_equal(moderate_first(f), MUC_ERR_STORAGE);
  expect_error(f->h, "internal-server-error", "wait", ROOM);
  assert_false(f->a.msgs[0].retracted);
  /* someone else's retraction changes nothing; the author's does */
  snprintf(q, sizeof(q),
           "<message from='%%s' to='" ROOM "' type='groupchat'><retract "
           "id='%s' xmlns='urn:xmpp:message-retract:1'/></message>",
           id_of(f, 0));
  assert_int_equal(fakehost_xml(f->h, q, ROMEO), MUC_OK);
  assert_false(f->a.msgs[0].retracted);
  assert_int_equal(fakehost_xml(f->h, q, JULIET), MUC_OK);
  assert_true(f->a.msgs[0].retracted);
  assert_non_null(strstr(f->a.msgs[0].xml, "<retracted xmlns="));
  assert_null(strstr(f->a.msgs[0].xml, "<body>"));
  /* a moderator's retraction after it keeps the first tombstone (in the
   * archive and the history), and is answered and announced */
  size_t retracts = f->a.retracts;
  fakehost_clear(f->h);
  assert_int_equal(moderate_first(f), MUC_OK);
  assert_int_equal(f->a.retracts, retracts);
  assert_null(strstr(f->a.msgs[0].xml, "moderated"));
  assert_non_null(fakehost_find(f->h, " type=\"result\" id=\"r\"", NULL));
  /* one announcement to each of the two occupants */
  assert_int_equal(fakehost_count(f->h, "<moderated xmlns="), 2);
  const char *text;
  size_t len;
  uint64_t ts;
  muc_history_get(room_of(f->h), 0, &text, &len, &ts);
  assert_non_null(strstr(text, "<retracted xmlns="));
  assert_null(strstr(text, "moderated"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_datetime_valid),
      cmocka_unit_test(test_datetime_invalid),
#define ARCHIVE_TEST(fn)                                                       \
  cmocka_unit_test_setup_teardown(fn, setup_archive, teardown_archive)
      ARCHIVE_TEST(test_append_gives_the_broadcast),
      ARCHIVE_TEST(test_paging),
      ARCHIVE_TEST(test_max_is_capped),
      ARCHIVE_TEST(test_filters),
      ARCHIVE_TEST(test_malformed_queries),
      ARCHIVE_TEST(test_who_may_query),
      ARCHIVE_TEST(test_append_failure),
      ARCHIVE_TEST(test_archiving_off),
      ARCHIVE_TEST(test_room_options_versions),
      ARCHIVE_TEST(test_real_jids),
      ARCHIVE_TEST(test_metadata),
      ARCHIVE_TEST(test_retraction_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
