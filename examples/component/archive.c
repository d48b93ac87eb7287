/*
 * archive - the rooms' message archive in SQLite: schema, append,
 * retract, retention (pages: archive_query.c).
 * SPDX-License-Identifier: MIT
 */
#include "archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"

/* A room is a number (archive_rooms): its JID is not repeated in every
 * row and index entry.  seq is the rowid: archive order across rooms.  ord
 * numbers a room's messages 1, 2, 3...; retention deletes only from a room's
 * oldest end, so a seq range's count is the difference of two ords.  The unique
 * (room, stanza_id) index answers ids; (room, sender, seq) answers
 * |with| without walking the messages of the others. */
static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS archive_schema (version INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS archive_rooms ("
    " id INTEGER PRIMARY KEY, jid TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS archive ("
    " seq INTEGER PRIMARY KEY,"
    " room INTEGER NOT NULL," /* archive_rooms.id */
    " stanza_id TEXT NOT NULL,"
    " ord INTEGER NOT NULL,"
    " time INTEGER NOT NULL,"
    " sender TEXT NOT NULL," /* the occupant JID room@service/nick */
    " author TEXT,"          /* the real bare JID, for retractions */
    " real_jid TEXT," /* the sender's full real JID, shown to some askers */
    " xml BLOB NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS archive_room_id"
    " ON archive (room, stanza_id);"
    "CREATE INDEX IF NOT EXISTS archive_room_seq ON archive (room, seq);"
    "CREATE INDEX IF NOT EXISTS archive_room_time ON archive (room, time);"
    "CREATE INDEX IF NOT EXISTS archive_room_sender"
    " ON archive (room, sender, seq);";

#define PAGE_COLS "SELECT stanza_id, time, xml, ord, real_jid FROM archive "
#define RANGE "room = ?1 AND seq BETWEEN ?2 AND ?3 "

/* Indexed by name: a plan that walked the table instead is a prepare
 * error, not a slow query. */
static const char *const sql[ST_COUNT_] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_ROOM_ID] = "SELECT id FROM archive_rooms WHERE jid = ?1",
    [ST_ROOM_ADD] = "INSERT INTO archive_rooms (jid) VALUES (?1)",
    [ST_LAST] = "SELECT ord, time FROM archive INDEXED BY archive_room_seq "
                "WHERE room = ?1 ORDER BY seq DESC LIMIT 1",
    [ST_FIRST_ORD] = "SELECT ord FROM archive INDEXED BY archive_room_seq "
                     "WHERE room = ?1 ORDER BY seq LIMIT 1",
    [ST_INSERT] = "INSERT INTO archive (room, stanza_id, ord, time, sender, "
                  "author, xml, real_jid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                  "?7, ?8)",
    [ST_PRUNE_COUNT] =
        "DELETE FROM archive WHERE seq IN (SELECT seq FROM archive INDEXED "
        "BY archive_room_seq WHERE room = ?1 ORDER BY seq LIMIT ?2)",
    [ST_PRUNE_AGE] = "DELETE FROM archive WHERE seq IN (SELECT seq FROM "
                     "archive INDEXED BY archive_room_time WHERE room = ?1 "
                     "AND time < ?2 ORDER BY time LIMIT ?3)",
    [ST_RETRACT] = "UPDATE archive SET xml = ?4 WHERE room = ?1 AND "
                   "stanza_id = ?2 AND (?3 IS NULL OR author = ?3)",
    [ST_ID_SEQ] = "SELECT seq FROM archive INDEXED BY archive_room_id "
                  "WHERE room = ?1 AND stanza_id = ?2",
    [ST_TIME_LO] = "SELECT seq FROM archive INDEXED BY archive_room_time "
                   "WHERE room = ?1 AND time >= ?2 ORDER BY time, seq "
                   "LIMIT 1",
    [ST_TIME_HI] = "SELECT seq FROM archive INDEXED BY archive_room_time "
                   "WHERE room = ?1 AND time <= ?2 ORDER BY time DESC, "
                   "seq DESC LIMIT 1",
    [ST_PAGE_UP] = PAGE_COLS "INDEXED BY archive_room_seq WHERE " RANGE
                             "ORDER BY seq LIMIT ?5",
    [ST_PAGE_UP_WITH] = PAGE_COLS "INDEXED BY archive_room_sender WHERE " RANGE
                                  "AND sender = ?4 ORDER BY seq LIMIT ?5",
    [ST_SEQ_DOWN] =
        "SELECT seq, ord FROM archive INDEXED BY "
        "archive_room_seq WHERE " RANGE "ORDER BY seq DESC LIMIT ?5",
    [ST_SEQ_DOWN_WITH] = "SELECT seq, ord FROM archive INDEXED BY "
                         "archive_room_sender WHERE " RANGE
                         "AND sender = ?4 ORDER BY seq DESC LIMIT ?5",
    [ST_ID_ROW] = "SELECT seq, sender FROM archive INDEXED BY "
                  "archive_room_id WHERE room = ?1 AND stanza_id = ?2",
    [ST_SEQ_ROW] = "SELECT stanza_id, time, xml, real_jid FROM archive "
                   "WHERE seq = ?1",
    [ST_FORGET] = "DELETE FROM archive INDEXED BY archive_room_seq WHERE "
                  "room = ?1",
    [ST_FORGET_ROOM] = "DELETE FROM archive_rooms WHERE id = ?1",
};

/* Messages older than the retention age deleted per append: bounded, so
 * one append after a long pause does not stall the loop (queries skip
 * what is left). */
#define PRUNE_AGE_BATCH 256

int archive_failed(archive *a, const char *what)
{
  if (a->opt.log) {
    char line[400];
    snprintf(line, sizeof line, "archive: %s: %s", what, sqlite3_errmsg(a->db));
    a->opt.log(MUC_LOG_ERROR, line, a->opt.ud);
  }
  return -1;
}

void archive_reset(sqlite3_stmt *s)
{
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

int archive_step(archive *a, sqlite3_stmt *s, const char *what)
{
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW)
    return 1;
  archive_reset(s);
  return rc == SQLITE_DONE ? 0 : archive_failed(a, what);
}

/* The schema's version: written on a new database, checked on an old
 * one (0, or -1 with the reason). */
static int check_version(archive *a, const char *path, char *err, size_t errsz)
{
  sqlite3_stmt *s = NULL;
  int version = -1;
  if (sqlite3_prepare_v2(a->db, "SELECT max(version) FROM archive_schema", -1,
                         &s, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step(s) == SQLITE_ROW)
    version =
        sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  if (version == 0) {
    char ins[80];
    snprintf(ins, sizeof ins, "INSERT INTO archive_schema VALUES (%d)",
             ARCHIVE_SCHEMA_VERSION);
    return sqlite3_exec(a->db, ins, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
  }
  if (version > ARCHIVE_SCHEMA_VERSION) {
    snprintf(err, errsz,
             "%s: archive schema version %d is newer than this "
             "muc-component's (%d)",
             path, version, ARCHIVE_SCHEMA_VERSION);
    return -2;
  }
  return version < 0 ? -1 : 0;
}

static int prepare_all(archive *a)
{
  for (int i = 0; i < ST_COUNT_; i++)
    if (sqlite3_prepare_v2(a->db, sql[i], -1, &a->st[i], NULL) != SQLITE_OK)
      return -1;
  return 0;
}

archive *archive_open(const char *path, const archive_options *o, char *err,
                      size_t errsz)
{
  archive *a = calloc(1, sizeof *a);
  if (!a) {
    snprintf(err, errsz, "out of memory");
    return NULL;
  }
  a->opt = *o;
  int rc = sqlite3_open_v2(path, &a->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  int v = -1;
  if (rc == SQLITE_OK &&
      sqlite3_exec(a->db, schema, NULL, NULL, NULL) == SQLITE_OK &&
      sqlite3_exec(a->db,
                   o->fsync ? "PRAGMA synchronous=FULL"
                            : "PRAGMA synchronous=NORMAL",
                   NULL, NULL, NULL) == SQLITE_OK &&
      (v = check_version(a, path, err, errsz)) == 0 && prepare_all(a) == 0)
    return a;
  if (v != -2)
    snprintf(err, errsz, "%s: %s", path,
             a->db ? sqlite3_errmsg(a->db) : "no memory");
  archive_close(a);
  return NULL;
}

void archive_close(archive *a)
{
  if (!a)
    return;
  for (int i = 0; i < ST_COUNT_; i++)
    sqlite3_finalize(a->st[i]);
  sqlite3_close(a->db);
  free(a);
}

static void bind_text(sqlite3_stmt *s, int i, const char *text)
{
  if (text)
    sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(s, i);
}

int archive_room(archive *a, const char *room, int add, int64_t *id)
{
  sqlite3_stmt *s = a->st[ST_ROOM_ID];
  bind_text(s, 1, room);
  int rc = archive_step(a, s, "looking up a room");
  if (rc == 1) {
    *id = sqlite3_column_int64(s, 0);
    archive_reset(s);
    return 0;
  }
  if (rc < 0 || !add)
    return rc < 0 ? -1 : 1;
  s = a->st[ST_ROOM_ADD];
  bind_text(s, 1, room);
  if (archive_step(a, s, "numbering a room") < 0)
    return -1;
  *id = sqlite3_last_insert_rowid(a->db);
  return 0;
}

/* The room's newest message: its ord and time (both 0 when it has none). */
static int room_last(archive *a, int64_t room, int64_t *ord, int64_t *time)
{
  sqlite3_stmt *s = a->st[ST_LAST];
  sqlite3_bind_int64(s, 1, room);
  int rc = archive_step(a, s, "reading a room's last message");
  *ord = rc == 1 ? sqlite3_column_int64(s, 0) : 0;
  *time = rc == 1 ? sqlite3_column_int64(s, 1) : 0;
  if (rc == 1)
    archive_reset(s);
  return rc < 0 ? -1 : 0;
}

/* Delete the room's oldest beyond max_per_room, now that its newest is
 * |ord|, and those older than max_age_ms. */
static int prune(archive *a, int64_t room, int64_t ord)
{
  if (a->opt.max_per_room) {
    sqlite3_stmt *s = a->st[ST_FIRST_ORD];
    sqlite3_bind_int64(s, 1, room);
    int rc = archive_step(a, s, "reading a room's first message");
    if (rc < 0)
      return -1;
    int64_t first = rc == 1 ? sqlite3_column_int64(s, 0) : ord;
    if (rc == 1)
      archive_reset(s);
    int64_t excess = ord - first + 1 - (int64_t)a->opt.max_per_room;
    if (excess > 0) {
      s = a->st[ST_PRUNE_COUNT];
      sqlite3_bind_int64(s, 1, room);
      sqlite3_bind_int64(s, 2, excess);
      if (archive_step(a, s, "deleting beyond the count") < 0)
        return -1;
    }
  }
  if (a->opt.max_age_ms && a->opt.now) {
    uint64_t now = a->opt.now(a->opt.ud);
    sqlite3_stmt *s = a->st[ST_PRUNE_AGE];
    sqlite3_bind_int64(s, 1, room);
    sqlite3_bind_int64(s, 2, (int64_t)(now - a->opt.max_age_ms));
    sqlite3_bind_int(s, 3, PRUNE_AGE_BATCH);
    if (archive_step(a, s, "deleting the expired") < 0)
      return -1;
  }
  return 0;
}

static int insert(archive *a, const muc_hook_archived *m, int64_t room,
                  int64_t ord, int64_t time)
{
  char sender[3100], author[3100]; /* JIDs: 3071 bytes at most */
  snprintf(sender, sizeof sender, "%s%s%s", m->room_jid, m->nick ? "/" : "",
           m->nick ? m->nick : "");
  const char *slash = m->real_jid ? strchr(m->real_jid, '/') : NULL;
  snprintf(author, sizeof author, "%.*s",
           slash ? (int)(slash - m->real_jid) : (int)sizeof author - 1,
           m->real_jid ? m->real_jid : "");
  sqlite3_stmt *s = a->st[ST_INSERT];
  sqlite3_bind_int64(s, 1, room);
  bind_text(s, 2, m->stable_id);
  sqlite3_bind_int64(s, 3, ord);
  sqlite3_bind_int64(s, 4, time);
  bind_text(s, 5, sender);
  bind_text(s, 6, m->real_jid ? author : NULL);
  sqlite3_bind_blob(s, 7, m->xml, (int)m->len, SQLITE_STATIC);
  bind_text(s, 8, m->real_jid);
  return archive_step(a, s, "storing a message");
}

/* A transaction that failed half way: rolled back (unless SQLite did
 * already); returns -1. */
static int abandon(archive *a)
{
  if (!sqlite3_get_autocommit(a->db))
    archive_step(a, a->st[ST_ROLLBACK], "rolling back");
  return -1;
}

int archive_append(const muc_hook_archived *m, void *ud)
{
  archive *a = ud;
  if (!m->room_jid || !m->stable_id || !m->xml)
    return -1;
  if (archive_step(a, a->st[ST_BEGIN], "beginning an append") < 0)
    return -1;
  int64_t room, ord, last_time;
  /* a clock stepped back: the room's times stay in archive order, which
   * lets time bounds become seq bounds (archive.h) */
  if (archive_room(a, m->room_jid, 1, &room) < 0 ||
      room_last(a, room, &ord, &last_time) < 0 ||
      insert(a, m, room, ord + 1,
             (int64_t)m->time > last_time ? (int64_t)m->time : last_time) < 0 ||
      prune(a, room, ord + 1) < 0 ||
      archive_step(a, a->st[ST_COMMIT], "committing an append") < 0) {
    return abandon(a);
  }
  return 0;
}

int archive_retract(const muc_archive_retraction *r, void *ud)
{
  archive *a = ud;
  int64_t room;
  int known = archive_room(a, r->room_jid, 0, &room);
  if (known != 0)
    return known < 0 ? -1 : MUC_ARCHIVE_NOT_FOUND;
  sqlite3_stmt *s = a->st[ST_RETRACT];
  sqlite3_bind_int64(s, 1, room);
  bind_text(s, 2, r->stanza_id);
  bind_text(s, 3, r->author);
  sqlite3_bind_blob(s, 4, r->xml, (int)r->len, SQLITE_STATIC);
  if (archive_step(a, s, "retracting a message") < 0)
    return -1;
  return sqlite3_changes(a->db) ? MUC_OK : MUC_ARCHIVE_NOT_FOUND;
}

int archive_forget_room(archive *a, const char *room_jid)
{
  int64_t room;
  int known = archive_room(a, room_jid, 0, &room);
  if (known != 0)
    return known < 0 ? -1 : 0;
  if (archive_step(a, a->st[ST_BEGIN], "beginning to forget a room") < 0)
    return -1;
  sqlite3_bind_int64(a->st[ST_FORGET], 1, room);
  sqlite3_bind_int64(a->st[ST_FORGET_ROOM], 1, room);
  if (archive_step(a, a->st[ST_FORGET], "forgetting a room") < 0 ||
      archive_step(a, a->st[ST_FORGET_ROOM], "forgetting a room") < 0 ||
      archive_step(a, a->st[ST_COMMIT], "committing a forgotten room") < 0) {
    return abandon(a);
  }
  return 0;
}

void archive_callbacks(muc_archive *cb)
{
  memset(cb, 0, sizeof *cb);
  cb->append = archive_append;
  cb->query = archive_query;
  cb->retract = archive_retract;
}
