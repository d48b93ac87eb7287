/*
 * test_archive - the component's SQLite archive (archive.c,
 * archive_query.c) against muc_archive_query's documented semantics,
 * through libmuc's real page (muc_archive_page_add/_end).
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../libmuc/archive.h"
#include "archive.h"

#define ROOM "hall@conference.localhost"
#define OTHER "den@conference.localhost"

typedef struct fixture {
  char path[64];
  archive *ar;
  muc_service *svc;
  uint64_t now;
  int errors; /* MUC_LOG_ERROR lines the archive logged */
  char last_error[400];
} fixture;

static int ok_send(const char *to, const char *xml, size_t len, void *ud)
{
  return 0;
}

static uint64_t fixture_now(void *ud)
{
  return ((fixture *)ud)->now;
}

static void fixture_log(int level, const char *msg, void *ud)
{
  fixture *f = ud;
  if (level == MUC_LOG_ERROR) {
    f->errors++;
    snprintf(f->last_error, sizeof f->last_error, "%s", msg);
  }
}

static archive *open_with(fixture *f, uint32_t max, uint64_t age_ms)
{
  archive_options o = {max, age_ms, 0, fixture_now, fixture_log, f};
  char err[300] = "";
  archive *a = archive_open(f->path, &o, err, sizeof err);
  if (!a)
    fprintf(stderr, "archive_open: %s\n", err);
  return a;
}

static int setup_with(void **state, uint32_t max, uint64_t age_ms)
{
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->path, sizeof f->path, "/tmp/test_archive_%ld.sqlite",
           (long)getpid());
  unlink(f->path);
  f->ar = open_with(f, max, age_ms);
  muc_callbacks cb = {0};
  cb.send_bytes = ok_send;
  cb.now = fixture_now;
  if (!f->ar ||
      muc_service_new(&f->svc, "conference.localhost", &cb, NULL, NULL, f))
    return -1;
  *state = f;
  return 0;
}

static int setup(void **state)
{
  return setup_with(state, 0, 0);
}

static int setup_max3(void **state)
{
  return setup_with(state, 3, 0);
}

static int setup_age10s(void **state)
{
  return setup_with(state, 0, 10000);
}

static int teardown(void **state)
{
  fixture *f = *state;
  archive_close(f->ar);
  muc_service_free(f->svc);
  char wal[80];
  unlink(f->path);
  snprintf(wal, sizeof wal, "%s-wal", f->path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", f->path);
  unlink(wal);
  free(f);
  return 0;
}

/* Message |n| of |room| from |nick| (real JID |real|) at |time|: id "m<n>",
 * body "<n>". */
static int append_as(fixture *f, const char *room, int n, const char *nick,
                     const char *real, uint64_t time)
{
  char id[16], xml[200];
  snprintf(id, sizeof id, "m%d", n);
  snprintf(xml, sizeof xml,
           "<message from=\"%s/%s\" type=\"groupchat\" id=\"c%d\">"
           "<body>%d</body></message>",
           room, nick, n, n);
  muc_hook_archived m = {room, id, id, nick, real, time, xml, strlen(xml), 1};
  return archive_append(&m, f->ar);
}

static int romeo_says(fixture *f, int n, uint64_t time)
{
  return append_as(f, ROOM, n, "Romeo", "romeo@localhost/r", time);
}

/* Messages 1..|n| in ROOM, at 1000 ms each; odd ones from Romeo. */
static void append_n(fixture *f, int n)
{
  for (int i = 1; i <= n; i++)
    assert_int_equal(
        append_as(f, ROOM, i, i % 2 ? "Romeo" : "Juliet",
                  i % 2 ? "romeo@localhost/r" : "juliet@localhost/j",
                  (uint64_t)i * 1000u),
        0);
}

/* The result of one query: return code and the page's ids. */
typedef struct result {
  int rc;
  char ids[200]; /* "m1 m2 ..." */
  int complete;
  uint32_t count;
} result;

static result run(fixture *f, muc_archive_query q)
{
  if (!q.room_jid)
    q.room_jid = ROOM;
  if (!q.max)
    q.max = 10;
  q.requester = "juliet@localhost/j";
  muc_archive_page page;
  result r = {0};
  assert_int_equal(muc_archive_page_init(&page, f->svc, q.max), MUC_OK);
  r.rc = archive_query(&q, &page, f->ar);
  for (uint32_t i = 0; i < page.n; i++) {
    size_t len = strlen(r.ids);
    snprintf(r.ids + len, sizeof r.ids - len, "%s%s", len ? " " : "",
             page.entries[i].stanza_id);
  }
  r.complete = page.complete;
  r.count = page.count;
  muc_archive_page_clear(&page);
  return r;
}

#define assert_page(r, want_ids, want_complete, want_count)                    \
  do {                                                                         \
    result r_ = (r);                                                           \
    assert_int_equal(r_.rc, MUC_OK);                                           \
    assert_string_equal(r_.ids, want_ids);                                     \
    assert_int_equal(r_.complete, want_complete);                              \
    assert_int_equal(r_.count, want_count);                                    \
  } while (0)

static void test_all_oldest_first(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  assert_page(run(f, (muc_archive_query){0}), "m1 m2 m3 m4 m5", 1, 5);
}

static void test_empty_room(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  assert_page(run(f, (muc_archive_query){.room_jid = OTHER}), "", 1, 0);
  assert_page(run(f, (muc_archive_query){.room_jid = OTHER, .rsm_before = ""}),
              "", 1, 0);
}

static void test_rooms_apart(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  assert_int_equal(append_as(f, OTHER, 9, "Tybalt", "t@localhost/x", 2500), 0);
  assert_int_equal(romeo_says(f, 3, 3000), 0);
  assert_page(run(f, (muc_archive_query){0}), "m1 m2 m3", 1, 3);
  assert_page(run(f, (muc_archive_query){.room_jid = OTHER}), "m9", 1, 1);
  /* another room's id is unknown here */
  assert_int_equal(run(f, (muc_archive_query){.after_id = "m9"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
}

static void test_rsm_forward(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  assert_page(run(f, (muc_archive_query){.max = 2}), "m1 m2", 0, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_after = "m2"}), "m3 m4",
              0, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_after = "m4"}), "m5", 1,
              5);
  /* exactly max left: complete, nothing beyond */
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_after = "m3"}), "m4 m5",
              1, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_after = "m5"}), "", 1,
              5);
}

static void test_rsm_backward(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  /* an empty <before/>: the last page */
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_before = ""}), "m4 m5",
              0, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_before = "m4"}),
              "m2 m3", 0, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_before = "m3"}),
              "m1 m2", 1, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_before = "m2"}), "m1",
              1, 5);
  assert_page(run(f, (muc_archive_query){.max = 2, .rsm_before = "m1"}), "", 1,
              5);
  assert_page(run(f, (muc_archive_query){.max = 10, .rsm_before = ""}),
              "m1 m2 m3 m4 m5", 1, 5);
}

static void test_time_bounds_inclusive(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  assert_page(run(f, (muc_archive_query){.start = 2000, .end = 4000}),
              "m2 m3 m4", 1, 3);
  assert_page(run(f, (muc_archive_query){.start = 2001, .end = 3999}), "m3", 1,
              1);
  assert_page(run(f, (muc_archive_query){.start = 4500}), "m5", 1, 1);
  assert_page(run(f, (muc_archive_query){.end = 1000}), "m1", 1, 1);
  assert_page(run(f, (muc_archive_query){.start = 6000}), "", 1, 0);
  assert_page(run(f, (muc_archive_query){.end = 999}), "", 1, 0);
  assert_page(run(f, (muc_archive_query){.start = 4000, .end = 2000}), "", 1,
              0);
  /* with the cursor inside the time window */
  assert_page(
      run(f, (muc_archive_query){.start = 2000, .max = 1, .rsm_before = ""}),
      "m5", 0, 4);
}

static void test_form_ids_exclusive(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  assert_page(run(f, (muc_archive_query){.after_id = "m1", .before_id = "m5"}),
              "m2 m3 m4", 1, 3);
  assert_page(run(f, (muc_archive_query){.after_id = "m4"}), "m5", 1, 1);
  assert_page(run(f, (muc_archive_query){.before_id = "m2"}), "m1", 1, 1);
  assert_page(run(f, (muc_archive_query){.after_id = "m3", .before_id = "m4"}),
              "", 1, 0);
  /* the form's range and the cursor together */
  assert_page(
      run(f,
          (muc_archive_query){.after_id = "m1", .max = 1, .rsm_after = "m2"}),
      "m3", 0, 4);
}

static void test_with(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  const char *romeo = ROOM "/Romeo";
  assert_page(run(f, (muc_archive_query){.with = romeo}), "m1 m3 m5", 1,
              UINT32_MAX);
  assert_page(
      run(f, (muc_archive_query){.with = romeo, .max = 1, .rsm_after = "m1"}),
      "m3", 0, UINT32_MAX);
  assert_page(
      run(f, (muc_archive_query){.with = romeo, .max = 2, .rsm_before = ""}),
      "m3 m5", 0, UINT32_MAX);
  assert_page(
      run(f, (muc_archive_query){.with = romeo, .max = 2, .rsm_before = "m3"}),
      "m1", 1, UINT32_MAX);
  assert_page(run(f, (muc_archive_query){.with = ROOM "/Nobody"}), "", 1,
              UINT32_MAX);
  /* the room's bare JID: everyone's */
  assert_page(run(f, (muc_archive_query){.with = ROOM}), "m1 m2 m3 m4 m5", 1,
              5);
  /* the real JID is not the occupant JID */
  assert_page(run(f, (muc_archive_query){.with = "romeo@localhost"}), "", 1,
              UINT32_MAX);
}

static void test_ids(void **state)
{
  fixture *f = *state;
  append_n(f, 5);
  assert_int_equal(append_as(f, OTHER, 9, "Tybalt", "t@localhost/x", 9000), 0);
  const char *some[] = {"m4", "x", "m2", "m9", "m2"};
  muc_archive_query q = {.ids = some, .nids = 5};
  /* oldest first, each once; unknown and the other room's match nothing */
  assert_page(run(f, q), "m2 m4", 1, 2);
  q.max = 1;
  assert_page(run(f, q), "m2", 0, 2);
  q.rsm_after = "m2";
  assert_page(run(f, q), "m4", 1, 2);
  q.rsm_after = NULL;
  q.rsm_before = "";
  assert_page(run(f, q), "m4", 0, 2);
  q.rsm_before = "m4";
  assert_page(run(f, q), "m2", 1, 2);
  /* with the other filters */
  const char *odd_even[] = {"m1", "m2", "m3"};
  assert_page(run(f, (muc_archive_query){.ids = odd_even,
                                         .nids = 3,
                                         .with = ROOM "/Romeo"}),
              "m1 m3", 1, 2);
  assert_page(
      run(f, (muc_archive_query){.ids = odd_even, .nids = 3, .after_id = "m1"}),
      "m2 m3", 1, 2);
  assert_page(
      run(f, (muc_archive_query){.ids = odd_even, .nids = 3, .start = 3000}),
      "m3", 1, 1);
  /* the look-up of one message libmuc makes for a retraction */
  const char *one[] = {"m5"};
  assert_page(run(f, (muc_archive_query){.ids = one, .nids = 1, .max = 1}),
              "m5", 1, 1);
  const char *none[] = {"nope"};
  assert_page(run(f, (muc_archive_query){.ids = none, .nids = 1, .max = 1}), "",
              1, 0);
  /* a cursor id must still be known */
  assert_int_equal(
      run(f, (muc_archive_query){.ids = one, .nids = 1, .rsm_after = "nope"})
          .rc,
      MUC_ARCHIVE_NOT_FOUND);
}

static void test_unknown_ids(void **state)
{
  fixture *f = *state;
  append_n(f, 3);
  assert_int_equal(run(f, (muc_archive_query){.after_id = "x"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
  assert_int_equal(run(f, (muc_archive_query){.before_id = "x"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
  assert_int_equal(run(f, (muc_archive_query){.rsm_after = "x"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
  assert_int_equal(run(f, (muc_archive_query){.rsm_before = "x"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
  assert_int_equal(f->errors, 0);
}

/* The whole message comes back: bytes and time as appended. */
static void test_item_contents(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  muc_archive_page page;
  muc_archive_query q = {.room_jid = ROOM, .max = 5, .after_id = "m1"};
  assert_int_equal(muc_archive_page_init(&page, f->svc, 5), MUC_OK);
  assert_int_equal(archive_query(&q, &page, f->ar), MUC_OK);
  assert_int_equal(page.n, 1);
  assert_string_equal(page.entries[0].xml,
                      "<message from=\"" ROOM "/Juliet\" type=\"groupchat\" "
                      "id=\"c2\"><body>2</body></message>");
  assert_int_equal(page.entries[0].time, 2000);
  assert_string_equal(page.entries[0].real_jid, "juliet@localhost/j");
  muc_archive_page_clear(&page);
}

static void test_clock_back_clamped(void **state)
{
  fixture *f = *state;
  assert_int_equal(romeo_says(f, 1, 5000), 0);
  assert_int_equal(romeo_says(f, 2, 3000), 0);
  assert_int_equal(romeo_says(f, 3, 6000), 0);
  /* m2 keeps m1's time: the bounds stay a seq range */
  assert_page(run(f, (muc_archive_query){.start = 5000, .end = 5000}), "m1 m2",
              1, 2);
  assert_page(run(f, (muc_archive_query){.end = 4000}), "", 1, 0);
}

static const char tomb[] = "<message type=\"groupchat\" id=\"c1\"><retracted "
                           "xmlns=\"urn:xmpp:message-retract:1\"/></message>";

static const char *xml_of(fixture *f, const char *id)
{
  static char xml[300];
  muc_archive_page page;
  muc_archive_query q = {.room_jid = ROOM, .max = 50};
  assert_int_equal(muc_archive_page_init(&page, f->svc, 50), MUC_OK);
  assert_int_equal(archive_query(&q, &page, f->ar), MUC_OK);
  xml[0] = '\0';
  for (uint32_t i = 0; i < page.n; i++)
    if (strcmp(page.entries[i].stanza_id, id) == 0)
      snprintf(xml, sizeof xml, "%s", page.entries[i].xml);
  muc_archive_page_clear(&page);
  return xml;
}

static void test_retract_by_author(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  muc_archive_retraction r = {ROOM, "m1",         "juliet@localhost",
                              tomb, strlen(tomb), 9000};
  /* m1 is Romeo's: Juliet cannot retract it */
  assert_int_equal(archive_retract(&r, f->ar), MUC_ARCHIVE_NOT_FOUND);
  assert_non_null(strstr(xml_of(f, "m1"), "<body>1</body>"));
  r.author = "romeo@localhost";
  assert_int_equal(archive_retract(&r, f->ar), MUC_OK);
  assert_string_equal(xml_of(f, "m1"), tomb);
  /* the other message untouched, the order and count too */
  assert_non_null(strstr(xml_of(f, "m2"), "<body>2</body>"));
  assert_page(run(f, (muc_archive_query){0}), "m1 m2", 1, 2);
}

static void test_retract_by_moderator(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  muc_archive_retraction r = {ROOM, "m2", NULL, tomb, strlen(tomb), 9000};
  assert_int_equal(archive_retract(&r, f->ar), MUC_OK);
  assert_string_equal(xml_of(f, "m2"), tomb);
  r.stanza_id = "nope";
  assert_int_equal(archive_retract(&r, f->ar), MUC_ARCHIVE_NOT_FOUND);
  r.stanza_id = "m1";
  r.room_jid = OTHER; /* the id is ROOM's */
  assert_int_equal(archive_retract(&r, f->ar), MUC_ARCHIVE_NOT_FOUND);
}

static void test_retention_count(void **state)
{
  fixture *f = *state; /* at most 3 per room */
  append_n(f, 5);
  assert_int_equal(append_as(f, OTHER, 9, "Tybalt", "t@localhost/x", 9000), 0);
  assert_page(run(f, (muc_archive_query){0}), "m3 m4 m5", 1, 3);
  assert_page(run(f, (muc_archive_query){.room_jid = OTHER}), "m9", 1, 1);
  assert_int_equal(run(f, (muc_archive_query){.rsm_after = "m1"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
  assert_page(run(f, (muc_archive_query){.max = 1, .rsm_before = "m4"}), "m3",
              1, 3);
}

static void test_retention_age(void **state)
{
  fixture *f = *state; /* 10 s */
  append_n(f, 5);      /* at 1..5 s */
  f->now = 13500;      /* m1..m3 are older than 10 s, still stored */
  assert_page(run(f, (muc_archive_query){0}), "m4 m5", 1, 2);
  assert_page(run(f, (muc_archive_query){.start = 1000}), "m4 m5", 1, 2);
  /* an append deletes them */
  assert_int_equal(romeo_says(f, 6, 13500), 0);
  f->now = 0; /* the rows themselves are gone, not just hidden */
  assert_page(run(f, (muc_archive_query){0}), "m4 m5 m6", 1, 3);
}

static void test_forget_room(void **state)
{
  fixture *f = *state;
  append_n(f, 3);
  assert_int_equal(append_as(f, OTHER, 9, "Tybalt", "t@localhost/x", 9000), 0);
  assert_int_equal(archive_forget_room(f->ar, ROOM), 0);
  assert_page(run(f, (muc_archive_query){0}), "", 1, 0);
  assert_int_equal(run(f, (muc_archive_query){.rsm_after = "m1"}).rc,
                   MUC_ARCHIVE_NOT_FOUND);
  assert_page(run(f, (muc_archive_query){.room_jid = OTHER}), "m9", 1, 1);
  /* a new room of that name starts afresh; an unknown room is no error */
  assert_int_equal(romeo_says(f, 1, 10000), 0);
  assert_page(run(f, (muc_archive_query){0}), "m1", 1, 1);
  assert_int_equal(archive_forget_room(f->ar, "none@conference.localhost"), 0);
  assert_int_equal(f->errors, 0);
}

static void test_persists_across_reopen(void **state)
{
  fixture *f = *state;
  append_n(f, 3);
  archive_close(f->ar);
  f->ar = open_with(f, 0, 0);
  assert_non_null(f->ar);
  assert_int_equal(romeo_says(f, 4, 4000), 0);
  assert_page(run(f, (muc_archive_query){0}), "m1 m2 m3 m4", 1, 4);
}

static void test_duplicate_id_refused(void **state)
{
  fixture *f = *state;
  append_n(f, 1);
  assert_int_equal(romeo_says(f, 1, 2000), -1);
  assert_int_equal(f->errors, 1);
  assert_page(run(f, (muc_archive_query){0}), "m1", 1, 1);
}

static sqlite3 *other_connection(fixture *f)
{
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  return db;
}

/* Another writer holds the database: append and retract fail (-1, the
 * library's internal-server-error), logged, and nothing half written. */
static void test_locked_database(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  sqlite3 *db = other_connection(f);
  assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(romeo_says(f, 3, 3000), -1);
  muc_archive_retraction r = {ROOM, "m1", NULL, tomb, strlen(tomb), 9000};
  assert_int_equal(archive_retract(&r, f->ar), -1);
  assert_int_equal(f->errors, 2);
  assert_non_null(strstr(f->last_error, "locked"));
  assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  /* usable again */
  assert_int_equal(romeo_says(f, 3, 3000), 0);
  assert_page(run(f, (muc_archive_query){0}), "m1 m2 m3", 1, 3);
}

/* The table gone under it: a query fails (-1), logged. */
static void test_broken_database(void **state)
{
  fixture *f = *state;
  append_n(f, 2);
  sqlite3 *db = other_connection(f);
  assert_int_equal(sqlite3_exec(db, "DROP TABLE archive", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(run(f, (muc_archive_query){0}).rc, -1);
  assert_int_equal(run(f, (muc_archive_query){.rsm_before = ""}).rc, -1);
  assert_int_equal(romeo_says(f, 3, 3000), -1);
  assert_true(f->errors >= 3);
}

static void test_newer_schema_refused(void **state)
{
  fixture *f = *state;
  sqlite3 *db = other_connection(f);
  assert_int_equal(sqlite3_exec(db, "UPDATE archive_schema SET version = 99",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  archive_options o = {0};
  char err[300] = "";
  assert_null(archive_open(f->path, &o, err, sizeof err));
  assert_non_null(strstr(err, "archive schema version 99 is newer"));
  assert_null(archive_open("/nonexistent/dir/x.sqlite", &o, err, sizeof err));
  assert_non_null(strstr(err, "/nonexistent/dir/x.sqlite"));
}

/* The callbacks install into a real service; a NULL member is refused. */
static void test_callbacks(void **state)
{
  fixture *f = *state;
  muc_archive cb;
  archive_callbacks(&cb);
  assert_int_equal(
      muc_service_set_archive(f->svc, MUC_ARCHIVE_VERSION, &cb, f->ar), MUC_OK);
  assert_ptr_equal(cb.query, archive_query);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      T(test_all_oldest_first),
      T(test_empty_room),
      T(test_rooms_apart),
      T(test_rsm_forward),
      T(test_rsm_backward),
      T(test_time_bounds_inclusive),
      T(test_form_ids_exclusive),
      T(test_with),
      T(test_ids),
      T(test_unknown_ids),
      T(test_item_contents),
      T(test_clock_back_clamped),
      T(test_retract_by_author),
      T(test_retract_by_moderator),
      cmocka_unit_test_setup_teardown(test_retention_count, setup_max3,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_retention_age, setup_age10s,
                                      teardown),
      T(test_forget_room),
      T(test_persists_across_reopen),
      T(test_duplicate_id_refused),
      T(test_locked_database),
      T(test_broken_database),
      T(test_newer_schema_refused),
      T(test_callbacks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
