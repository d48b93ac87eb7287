/*
 * archive_int - what archive.c (schema, append, retract, retention) and
 * archive_query.c (pages) share: the connection and its statements.
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_ARCHIVE_INT_H
#define COMPONENT_ARCHIVE_INT_H

#include <sqlite3.h>

#include "archive.h"

/* The prepared statements, one per question the archive asks; each is
 * reset after use.  The page statements come in pairs: without and with
 * the sender filter (|with|). */
enum archive_stmt {
  ST_BEGIN,
  ST_COMMIT,
  ST_ROLLBACK,
  ST_ROOM_ID,     /* the number of a room's JID */
  ST_ROOM_ADD,    /* number a new room */
  ST_LAST,        /* ord, time of the room's newest message */
  ST_FIRST_ORD,   /* ord of its oldest */
  ST_INSERT,      /* one message */
  ST_PRUNE_COUNT, /* delete the room's N oldest */
  ST_PRUNE_AGE,   /* delete up to N of the room's older than T */
  ST_RETRACT,     /* replace the xml (author checked if given) */
  ST_ID_SEQ,      /* seq of the room's message with that stanza-id */
  ST_TIME_LO,     /* seq of the room's first message at or after T */
  ST_TIME_HI,     /* seq of its last message at or before T */
  ST_PAGE_UP,     /* messages in a seq range, oldest first, LIMIT */
  ST_PAGE_UP_WITH,
  ST_SEQ_DOWN, /* seq, ord in a seq range, newest first, LIMIT */
  ST_SEQ_DOWN_WITH,
  ST_ID_ROW,      /* seq, sender of the room's message with that stanza-id */
  ST_SEQ_ROW,     /* stanza_id, time, xml of the message at seq */
  ST_FORGET,      /* delete a room's messages */
  ST_FORGET_ROOM, /* and its number */
  ST_COUNT_
};

struct archive {
  sqlite3 *db;
  sqlite3_stmt *st[ST_COUNT_];
  archive_options opt;
};

/* A closed seq range of a room; empty when lo > hi. */
typedef struct archive_range {
  int64_t room; /* archive_rooms.id */
  int64_t lo, hi;
} archive_range;

/* Run |s| (reset after, bindings cleared): 0 done, 1 a row (left for the
 * caller to read; it resets), -1 failed (logged with |what|). */
int archive_step(archive *a, sqlite3_stmt *s, const char *what);
void archive_reset(sqlite3_stmt *s);
/* The number |room| is stored under: 0 and *|id|, 1 when it has none
 * (and |add| is 0: else it gets one), -1 failed. */
int archive_room(archive *a, const char *room, int add, int64_t *id);
/* The message in the current row of |s|, from its columns stanza_id,
 * time, xml and real_jid (valid until the next step or reset). */
static inline muc_archive_item archive_item(sqlite3_stmt *s, int id, int time,
                                            int xml, int real_jid)
{
  muc_archive_item it = {(const char *)sqlite3_column_text(s, id),
                         (uint64_t)sqlite3_column_int64(s, time),
                         sqlite3_column_blob(s, xml),
                         (size_t)sqlite3_column_bytes(s, xml),
                         (const char *)sqlite3_column_text(s, real_jid)};
  return it;
}

/* Log the connection's last error for |what|; returns -1. */
int archive_failed(archive *a, const char *what);

/* The page of a query with ids (|q->nids| > 0): the named messages in
 * |all| (the filters' range; they are counted), the page from those in
 * |r| (the cursor's).  MUC_OK, -1, or libmuc's failure code. */
int archive_query_ids(archive *a, const muc_archive_query *q,
                      const archive_range *all, const archive_range *r,
                      muc_archive_page *page);

#endif
