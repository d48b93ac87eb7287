/*
 * archive_query - one page of a room's archive (muc_archive_query's
 * semantics, include/muc/muc.h): the filters and the cursor become a
 * seq range, the page is one index walk of at most max + 1 rows.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "archive.h"
#include "archive_int.h"

#define SEQ_MAX INT64_MAX

typedef archive_range range;

/* The seq of |id| in |room|: 0 found, MUC_ARCHIVE_NOT_FOUND, or -1. */
static int id_seq(archive *a, int64_t room, const char *id, int64_t *seq)
{
  sqlite3_stmt *s = a->st[ST_ID_SEQ];
  sqlite3_bind_int64(s, 1, room);
  sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
  int rc = archive_step(a, s, "looking up an id");
  if (rc != 1)
    return rc < 0 ? -1 : MUC_ARCHIVE_NOT_FOUND;
  *seq = sqlite3_column_int64(s, 0);
  archive_reset(s);
  return 0;
}

/* Narrow |r| to the messages after (|after|) or before |id|. */
static int bound_by_id(archive *a, int64_t room, const char *id, int after,
                       range *r)
{
  int64_t seq;
  int rc = id_seq(a, room, id, &seq);
  if (rc != 0)
    return rc;
  if (after && seq + 1 > r->lo)
    r->lo = seq + 1;
  if (!after && seq - 1 < r->hi)
    r->hi = seq - 1;
  return 0;
}

/* Narrow |r| to the messages at or after (|lo|) or at or before |t|: in
 * a room, time never decreases with seq (archive.h), so they are a seq
 * range. */
static int bound_by_time(archive *a, int64_t room, uint64_t t, int lo, range *r)
{
  sqlite3_stmt *s = a->st[lo ? ST_TIME_LO : ST_TIME_HI];
  sqlite3_bind_int64(s, 1, room);
  sqlite3_bind_int64(s, 2, t > INT64_MAX ? INT64_MAX : (int64_t)t);
  int rc = archive_step(a, s, "looking up a time");
  if (rc < 0)
    return -1;
  if (rc == 0) { /* nothing on that side: nothing matches */
    r->lo = 1;
    r->hi = 0;
    return 0;
  }
  int64_t seq = sqlite3_column_int64(s, 0);
  archive_reset(s);
  if (lo && seq > r->lo)
    r->lo = seq;
  if (!lo && seq < r->hi)
    r->hi = seq;
  return 0;
}

static void bind_range(sqlite3_stmt *s, const muc_archive_query *q, range r,
                       int64_t limit)
{
  sqlite3_bind_int64(s, 1, r.room);
  sqlite3_bind_int64(s, 2, r.lo);
  sqlite3_bind_int64(s, 3, r.hi);
  if (q->with)
    sqlite3_bind_text(s, 4, q->with, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, limit);
}

/* The filters of |q| (time, |with| aside, form ids), without the cursor:
 * the range <count/> counts.  0, MUC_ARCHIVE_NOT_FOUND or -1. */
static int filter_range(archive *a, const muc_archive_query *q, range *r)
{
  r->lo = 1;
  r->hi = SEQ_MAX;
  uint64_t start = q->start;
  if (a->opt.max_age_ms && a->opt.now) {
    uint64_t now = a->opt.now(a->opt.ud);
    uint64_t oldest = now > a->opt.max_age_ms ? now - a->opt.max_age_ms : 0;
    if (oldest > start)
      start = oldest;
  }
  int rc = 0;
  if (q->after_id)
    rc = bound_by_id(a, r->room, q->after_id, 1, r);
  if (rc == 0 && q->before_id)
    rc = bound_by_id(a, r->room, q->before_id, 0, r);
  if (rc == 0 && start)
    rc = bound_by_time(a, r->room, start, 1, r);
  if (rc == 0 && q->end)
    rc = bound_by_time(a, r->room, q->end, 0, r);
  return rc;
}

/* The first seq and ord of the |n|-th newest message in |r| (n >= 1),
 * walking down; *got: how many there were (at most n). */
static int walk_down(archive *a, const muc_archive_query *q, range r, int64_t n,
                     int64_t *seq, int64_t *ord, int64_t *got)
{
  sqlite3_stmt *s = a->st[q->with ? ST_SEQ_DOWN_WITH : ST_SEQ_DOWN];
  bind_range(s, q, r, n);
  int rc;
  *got = 0;
  while ((rc = archive_step(a, s, "walking a page")) == 1) {
    *seq = sqlite3_column_int64(s, 0);
    *ord = sqlite3_column_int64(s, 1);
    ++*got;
  }
  return rc;
}

/* Add up to |max| messages of |r| to |page|, oldest first; *more: one
 * more message follows in |r|.  Returns 0, -1, or libmuc's code. */
static int fill(archive *a, const muc_archive_query *q, range r,
                muc_archive_page *page, int *more)
{
  sqlite3_stmt *s = a->st[q->with ? ST_PAGE_UP_WITH : ST_PAGE_UP];
  bind_range(s, q, r, (int64_t)q->max + 1);
  int rc, n = 0;
  *more = 0;
  while ((rc = archive_step(a, s, "reading a page")) == 1) {
    if ((uint32_t)n == q->max) {
      *more = 1;
      archive_reset(s);
      return 0;
    }
    muc_archive_item it = archive_item(s, 0, 1, 2, 4);
    int added = muc_archive_page_add(page, &it);
    if (added != MUC_OK) {
      archive_reset(s);
      return added;
    }
    n++;
  }
  return rc;
}

/* How many messages |r| holds: the ords of its ends (a room's ords have
 * no gaps), or UINT32_MAX with a sender filter (it would take a walk). */
static int count_of(archive *a, const muc_archive_query *q, range r,
                    uint32_t *count)
{
  *count = UINT32_MAX;
  if (q->with)
    return 0;
  int64_t seq, last_ord, first_ord, got;
  if (walk_down(a, q, r, 1, &seq, &last_ord, &got) < 0)
    return -1;
  if (!got) {
    *count = 0;
    return 0;
  }
  /* the oldest: walking down from the newest would be the whole range */
  sqlite3_stmt *s = a->st[ST_PAGE_UP];
  bind_range(s, q, r, 1);
  int rc = archive_step(a, s, "counting");
  if (rc < 0)
    return -1;
  first_ord = rc == 1 ? sqlite3_column_int64(s, 3) : last_ord;
  if (rc == 1)
    archive_reset(s);
  int64_t n = last_ord - first_ord + 1;
  *count = n > 0 && n < UINT32_MAX ? (uint32_t)n : UINT32_MAX;
  return 0;
}

/* The last |max| of |r| (a cursor <before/>): the page's oldest found
 * walking down max + 1, the page read up from it; *more: older ones
 * exist. */
static int read_back(archive *a, const muc_archive_query *q, range r,
                     muc_archive_page *page, int *more)
{
  int64_t seq = 0, ord, got, n = (int64_t)q->max;
  if (walk_down(a, q, r, n + 1, &seq, &ord, &got) < 0)
    return -1;
  *more = got > n;
  if (*more)
    r.lo = seq + 1;
  int newer; /* none: the page ends at the cursor */
  return got ? fill(a, q, r, page, &newer) : 0;
}

/* A room with nothing archived yet: every id is unknown, the page
 * empty and complete. */
static int never_archived(const muc_archive_query *q, muc_archive_page *page)
{
  if (q->after_id || q->before_id || q->rsm_after ||
      (q->rsm_before && *q->rsm_before))
    return MUC_ARCHIVE_NOT_FOUND;
  muc_archive_page_end(page, 1, 0);
  return MUC_OK;
}

int archive_query(const muc_archive_query *asked, muc_archive_page *page,
                  void *ud)
{
  archive *a = ud;
  if (!asked->room_jid || asked->max == 0)
    return -1;
  /* |with| the room's bare JID: every message is from one of its
   * occupants (a bare JID of anyone else matches none) */
  muc_archive_query local = *asked;
  if (local.with && !strchr(local.with, '/') &&
      strcasecmp(local.with, local.room_jid) == 0)
    local.with = NULL;
  const muc_archive_query *q = &local;
  range all;
  int rc = archive_room(a, q->room_jid, 0, &all.room);
  if (rc != 0)
    return rc < 0 ? -1 : never_archived(q, page);
  rc = filter_range(a, q, &all);
  range r = all;
  if (rc == 0 && q->rsm_after)
    rc = bound_by_id(a, r.room, q->rsm_after, 1, &r);
  if (rc == 0 && q->rsm_before && *q->rsm_before)
    rc = bound_by_id(a, r.room, q->rsm_before, 0, &r);
  if (rc != 0)
    return rc;
  if (q->nids)
    return archive_query_ids(a, q, &all, &r, page);
  int more = 0;
  if (r.lo <= r.hi)
    rc = q->rsm_before ? read_back(a, q, r, page, &more)
                       : fill(a, q, r, page, &more);
  if (rc != 0)
    return rc; /* the database's -1, or libmuc's own failure */
  uint32_t count;
  if (count_of(a, q, all, &count) < 0)
    return -1;
  muc_archive_page_end(page, !more, count);
  return MUC_OK;
}
