/*
 * archive_ids - a query naming its messages (the XEP-0313 'ids' field,
 * and libmuc's look-up of the one message a retraction names): each id
 * one step in the (room, stanza_id) index, unknown ones matching
 * nothing; the other filters and the cursor apply to those found.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "archive_int.h"

static int by_seq(const void *x, const void *y)
{
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return (a > b) - (a < b);
}

/* The seq of |id| if it names a message of |all| from |with| (NULL: any
 * sender): 1, 0 (not such a message) or -1. */
static int named(archive *a, const archive_range *all, const char *id,
                 const char *with, int64_t *seq)
{
  sqlite3_stmt *s = a->st[ST_ID_ROW];
  sqlite3_bind_int64(s, 1, all->room);
  sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
  int rc = archive_step(a, s, "looking up an id");
  if (rc != 1)
    return rc;
  *seq = sqlite3_column_int64(s, 0);
  const char *sender = (const char *)sqlite3_column_text(s, 1);
  int match = *seq >= all->lo && *seq <= all->hi &&
              (!with || (sender && strcmp(sender, with) == 0));
  archive_reset(s);
  return match;
}

/* The seqs of the named messages, sorted, each once: their number, or
 * -1 (*|out| malloc'd). */
static long find_all(archive *a, const muc_archive_query *q,
                     const archive_range *all, int64_t **out)
{
  int64_t *seqs = malloc(q->nids * sizeof *seqs);
  if (!seqs)
    return -1;
  size_t n = 0;
  for (size_t i = 0; i < q->nids; i++) {
    int rc = q->ids[i] ? named(a, all, q->ids[i], q->with, &seqs[n]) : 0;
    if (rc < 0) {
      free(seqs);
      return -1;
    }
    n += (size_t)rc;
  }
  qsort(seqs, n, sizeof *seqs, by_seq);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++)
    if (kept == 0 || seqs[i] != seqs[kept - 1])
      seqs[kept++] = seqs[i];
  *out = seqs;
  return (long)kept;
}

static int add_row(archive *a, int64_t seq, muc_archive_page *page)
{
  sqlite3_stmt *s = a->st[ST_SEQ_ROW];
  sqlite3_bind_int64(s, 1, seq);
  int rc = archive_step(a, s, "reading a named message");
  if (rc != 1)
    return rc; /* 0: deleted meanwhile, nothing to add */
  muc_archive_item it = archive_item(s, 0, 1, 2, 3);
  rc = muc_archive_page_add(page, &it);
  archive_reset(s);
  return rc;
}

int archive_query_ids(archive *a, const muc_archive_query *q,
                      const archive_range *all, const archive_range *r,
                      muc_archive_page *page)
{
  int64_t *seqs = NULL;
  long n = find_all(a, q, all, &seqs);
  if (n < 0)
    return -1;
  long lo = 0, hi = n; /* the cursor's part: seqs[lo..hi) */
  while (lo < n && seqs[lo] < r->lo)
    lo++;
  while (hi > lo && seqs[hi - 1] > r->hi)
    hi--;
  long max = (long)q->max, more = hi - lo > max;
  if (more && q->rsm_before)
    lo = hi - max;
  else if (more)
    hi = lo + max;
  int rc = 0;
  for (long i = lo; i < hi && rc == 0; i++)
    rc = add_row(a, seqs[i], page);
  free(seqs);
  if (rc != 0)
    return rc;
  muc_archive_page_end(page, !more, (uint32_t)n);
  return MUC_OK;
}
