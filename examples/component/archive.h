/*
 * archive - the rooms' message archive (XEP-0313) in SQLite, behind
 * libmuc's muc_archive callbacks (docs/component-archive.md).
 *
 * One table in the component's database file, on a connection of its
 * own: a row per archived message in archive order (seq), with the
 * room's own running number (ord) that makes a page's <count/> cheap.
 * Every query is a few index range walks of about one page: ids and
 * time bounds become seq bounds first (a room's times never decrease in
 * archive order: append clamps a time that went backwards to the one
 * before).  Retention (max messages per room, max age) is applied at
 * append, room by room, and by every query (an expired message is never
 * returned, deleted or not yet).
 *
 * Not thread-safe: one thread uses an archive (the component's loop).
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_ARCHIVE_H
#define COMPONENT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "muc/muc.h"

/* The schema this code writes; a database with a newer one is refused. */
#define ARCHIVE_SCHEMA_VERSION 1

typedef struct archive archive;

typedef struct archive_options {
  uint32_t max_per_room; /* keep at most this many per room (0: all) */
  uint64_t max_age_ms;   /* keep messages younger than this (0: all) */
  int fsync;             /* commits fsynced (synchronous=FULL), else NORMAL */
  uint64_t (*now)(void *ud); /* ms since the epoch, for max_age_ms */
  /* a failed statement, told once with its reason (MUC_LOG_ERROR) */
  void (*log)(int level, const char *msg, void *ud);
  void *ud;
} archive_options;

/* archive_open - the archive in the SQLite file |path| (created, or its
 * schema checked), |o| copied.  NULL with a one-line reason in |err|. */
archive *archive_open(const char *path, const archive_options *o, char *err,
                      size_t errsz);
void archive_close(archive *a);

/* The muc_archive members; |ud| is the archive.  0 (MUC_OK),
 * MUC_ARCHIVE_NOT_FOUND (query: an unknown id; retract: no such message
 * from that author), or -1 (the database failed; logged). */
int archive_append(const muc_hook_archived *msg, void *ud);
int archive_query(const muc_archive_query *q, muc_archive_page *page, void *ud);
int archive_retract(const muc_archive_retraction *r, void *ud);

/* archive_forget_room - delete every message of |room_jid| (a destroyed
 * room: a new room of that name starts with an empty archive).  0, or -1
 * (logged). */
int archive_forget_room(archive *a, const char *room_jid);

/* archive_callbacks - the three members above, for
 * muc_service_set_archive(svc, MUC_ARCHIVE_VERSION, &cb, a). */
void archive_callbacks(muc_archive *cb);

#endif
