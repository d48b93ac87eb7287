/*
 * storage - room records in SQLite.
 * SPDX-License-Identifier: MIT
 */
#include "storage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct storage {
  sqlite3 *db;
  sqlite3_stmt *put, *del, *get;
  int fsync; /* the connection's synchronous mode is FULL (else NORMAL) */
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    /* FULL: a commit survives a power cut too, not only a crash */
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS rooms (jid TEXT PRIMARY KEY, record BLOB "
    "NOT NULL, stored_at INTEGER NOT NULL);";

static void why(sqlite3 *db, char *err, size_t errsz, const char *what)
{
  snprintf(err, errsz, "%s: %s", what, db ? sqlite3_errmsg(db) : "no memory");
}

static int prepare(storage *st, const char *sql, sqlite3_stmt **out)
{
  return sqlite3_prepare_v2(st->db, sql, -1, out, NULL) == SQLITE_OK ? 0 : -1;
}

storage *storage_open(const char *path, char *err, size_t errsz)
{
  storage *st = calloc(1, sizeof *st);
  if (!st) {
    snprintf(err, errsz, "out of memory");
    return NULL;
  }
  int rc = sqlite3_open_v2(path, &st->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  /* the schema is written at once, so an unwritable file or directory is
   * reported at start and not at the first room change */
  if (rc != SQLITE_OK ||
      sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
      prepare(st,
              "INSERT OR REPLACE INTO rooms VALUES (?1, ?2, "
              "strftime('%s','now'))",
              &st->put) < 0 ||
      prepare(st, "DELETE FROM rooms WHERE jid = ?1", &st->del) < 0 ||
      prepare(st, "SELECT record FROM rooms WHERE jid = ?1", &st->get) < 0) {
    why(st->db, err, errsz, path);
    storage_close(st);
    return NULL;
  }
  st->fsync = 1;
  return st;
}

/* The mode applies to the connection's next commits; in WAL mode a FULL
 * commit also makes the NORMAL ones before it durable. */
static int set_fsync(storage *st, int fsync)
{
  if (st->fsync == fsync)
    return 0;
  if (sqlite3_exec(st->db,
                   fsync ? "PRAGMA synchronous=FULL"
                         : "PRAGMA synchronous=NORMAL",
                   NULL, NULL, NULL) != SQLITE_OK)
    return -1;
  st->fsync = fsync;
  return 0;
}

void storage_close(storage *st)
{
  if (!st)
    return;
  sqlite3_finalize(st->put);
  sqlite3_finalize(st->del);
  sqlite3_finalize(st->get);
  sqlite3_close(st->db);
  free(st);
}

int storage_put(storage *st, const char *room, const char *data, size_t len,
                int fsync, char *err, size_t errsz)
{
  if (set_fsync(st, fsync) < 0) {
    why(st->db, err, errsz, "setting the sync mode");
    return -1;
  }
  sqlite3_stmt *s = data ? st->put : st->del;
  sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC);
  if (data)
    sqlite3_bind_blob(s, 2, data, (int)len, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc != SQLITE_DONE) {
    why(st->db, err, errsz, data ? "storing a room" : "deleting a room");
    return -1;
  }
  return 0;
}

int storage_get(storage *st, const char *room, char **data, size_t *len,
                char *err, size_t errsz)
{
  sqlite3_stmt *s = st->get;
  sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s), found = 0;
  if (rc == SQLITE_ROW) {
    int n = sqlite3_column_bytes(s, 0);
    const void *blob = sqlite3_column_blob(s, 0);
    *data = malloc((size_t)n + 1);
    if (*data) {
      memcpy(*data, blob, (size_t)n);
      *len = (size_t)n;
      found = 1;
    } else
      rc = SQLITE_NOMEM;
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    why(st->db, err, errsz, "loading a room");
    return -1;
  }
  return found;
}
