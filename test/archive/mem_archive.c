/* The in-memory archive of the tests (mem_archive.h).  Queries are
 * answered by a scan of the room's messages in append order: the
 * matching ones, then the page the RSM cursor asks for. */
#include "mem_archive.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_n(const mem_archive *a, const char *s, size_t n)
{
  char *d = a->alloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

static char *dup(const mem_archive *a, const char *s)
{
  return s ? dup_n(a, s, strlen(s)) : NULL;
}

void mem_archive_init(mem_archive *a)
{
  memset(a, 0, sizeof(*a));
  a->alloc = malloc;
  a->grow = realloc;
  a->release = free;
}

static void free_message(const mem_archive *a, mem_archived *m)
{
  a->release(m->room);
  a->release(m->id);
  a->release(m->from);
  a->release(m->author);
  a->release(m->real_jid);
  a->release(m->xml);
}

void mem_archive_free(mem_archive *a)
{
  if (!a->release)
    return; /* never initialised */
  for (size_t i = 0; i < a->n; i++)
    free_message(a, &a->msgs[i]);
  a->release(a->msgs);
  a->msgs = NULL;
  a->n = a->cap = 0;
}

/* ---- append ---------------------------------------------------------------
 */

/* The bare part of |jid|, newly allocated. */
static char *bare_of(const mem_archive *a, const char *jid)
{
  const char *slash = strchr(jid, '/');
  return dup_n(a, jid, slash ? (size_t)(slash - jid) : strlen(jid));
}

static int cb_append(const muc_hook_archived *msg, void *ud)
{
  mem_archive *a = ud;
  a->appends++;
  if (a->fail_append) {
    a->fail_append = 0;
    return -1;
  }
  if (a->n == a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 16;
    mem_archived *m = a->grow(a->msgs, cap * sizeof(*m));
    if (!m)
      return -1;
    a->msgs = m;
    a->cap = cap;
  }
  mem_archived *m = &a->msgs[a->n];
  size_t from_len = strlen(msg->room_jid) + 1 + strlen(msg->nick);
  *m = (mem_archived){.room = dup(a, msg->room_jid),
                      .id = dup(a, msg->stable_id),
                      .from = a->alloc(from_len + 1),
                      .author = bare_of(a, msg->real_jid),
                      .real_jid = dup(a, msg->real_jid),
                      .time = msg->time,
                      .xml = dup_n(a, msg->xml, msg->len),
                      .len = msg->len};
  if (!m->room || !m->id || !m->from || !m->author || !m->real_jid || !m->xml) {
    free_message(a, m);
    return -1;
  }
  strcpy(m->from, msg->room_jid);
  strcat(m->from, "/");
  strcat(m->from, msg->nick);
  a->n++;
  return MUC_OK;
}

/* ---- query ----------------------------------------------------------------
 */

/* The index of |id| in |room|, or -1. */
static long find(const mem_archive *a, const char *room, const char *id)
{
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->msgs[i].room, room) == 0 && strcmp(a->msgs[i].id, id) == 0)
      return (long)i;
  return -1;
}

static int listed(const muc_archive_query *q, const char *id)
{
  for (size_t i = 0; i < q->nids; i++)
    if (strcmp(q->ids[i], id) == 0)
      return 1;
  return 0;
}

/* 'with': a full JID matches that occupant JID; a bare one, every message
 * of that bare JID (in a room archive: the room itself). */
static int with_matches(const char *with, const char *from)
{
  if (!with)
    return 1;
  if (strchr(with, '/'))
    return strcmp(with, from) == 0;
  size_t n = strlen(with);
  return strncasecmp(with, from, n) == 0 && (from[n] == '/' || !from[n]);
}

/* Does message |i| pass every filter of |q| (the RSM cursor aside)?
 * |after|/|before|: the indexes of after_id/before_id (-1: none). */
static int matches(const mem_archive *a, const muc_archive_query *q, size_t i,
                   long after, long before)
{
  const mem_archived *m = &a->msgs[i];
  return strcmp(m->room, q->room_jid) == 0 &&
         (!q->start || m->time >= q->start) && (!q->end || m->time <= q->end) &&
         with_matches(q->with, m->from) && (after < 0 || (long)i > after) &&
         (before < 0 || (long)i < before) && (!q->nids || listed(q, m->id));
}

/* An id the query names, as an index: -1 when not given; 0 when the
 * archive does not know it (*|unknown| set). */
static long cursor(const mem_archive *a, const muc_archive_query *q,
                   const char *id, int *unknown)
{
  if (!id)
    return -1;
  long i = find(a, q->room_jid, id);
  if (i < 0)
    *unknown = 1;
  return i;
}

static int cb_query(const muc_archive_query *q, muc_archive_page *page,
                    void *ud)
{
  mem_archive *a = ud;
  a->queries++;
  if (a->fail_query) {
    a->fail_query = 0;
    return -1;
  }
  int unknown = 0;
  long after = cursor(a, q, q->after_id, &unknown);
  long before = cursor(a, q, q->before_id, &unknown);
  long rsm_after = cursor(a, q, q->rsm_after, &unknown);
  long rsm_before = q->rsm_before && *q->rsm_before
                        ? cursor(a, q, q->rsm_before, &unknown)
                        : -1;
  for (size_t i = 0; i < q->nids; i++)
    if (find(a, q->room_jid, q->ids[i]) < 0)
      unknown = 1;
  if (unknown)
    return MUC_ARCHIVE_NOT_FOUND;
  /* the matching messages, in archive order */
  size_t *hit = a->alloc((a->n ? a->n : 1) * sizeof(*hit));
  if (!hit)
    return -1;
  size_t nhit = 0;
  for (size_t i = 0; i < a->n; i++)
    if (matches(a, q, i, after, before))
      hit[nhit++] = i;
  /* the page: forward from the start or after the cursor, or the last
   * |max| before the cursor (or of all, for an empty <before/>) */
  size_t from = 0, to = nhit; /* [from, to) of hit[] */
  int backward = q->rsm_before != NULL;
  if (rsm_after >= 0)
    while (from < nhit && (long)hit[from] <= rsm_after)
      from++;
  if (rsm_before >= 0)
    while (to > 0 && (long)hit[to - 1] >= rsm_before)
      to--;
  if (backward && to - from > q->max)
    from = to - q->max;
  else if (!backward && to - from > q->max)
    to = from + q->max;
  int rc = MUC_OK;
  for (size_t i = from; i < to && rc == MUC_OK; i++) {
    const mem_archived *m = &a->msgs[hit[i]];
    muc_archive_item it = {m->id, m->time, m->xml, m->len, m->real_jid};
    rc = muc_archive_page_add(page, &it);
  }
  /* complete: nothing matches beyond the page in the direction asked */
  int complete = backward ? from == 0 : to == nhit;
  if (rc == MUC_OK)
    rc = muc_archive_page_end(page, complete, (uint32_t)nhit);
  a->release(hit);
  return rc == MUC_OK ? MUC_OK : -1;
}

/* ---- retract --------------------------------------------------------------
 */

static int cb_retract(const muc_archive_retraction *r, void *ud)
{
  mem_archive *a = ud;
  a->retracts++;
  if (a->fail_retract) {
    a->fail_retract = 0;
    return -1;
  }
  long i = find(a, r->room_jid, r->stanza_id);
  if (i < 0 || (r->author && strcasecmp(r->author, a->msgs[i].author) != 0))
    return MUC_ARCHIVE_NOT_FOUND;
  char *xml = dup_n(a, r->xml, r->len);
  if (!xml)
    return -1;
  a->release(a->msgs[i].xml);
  a->msgs[i].xml = xml;
  a->msgs[i].len = r->len;
  a->msgs[i].retracted = 1;
  return MUC_OK;
}

static const muc_archive callbacks = {cb_append, cb_query, cb_retract};

const muc_archive *mem_archive_callbacks(void)
{
  return &callbacks;
}

int mem_archive_install(mem_archive *a, muc_service *svc)
{
  return muc_service_set_archive(svc, MUC_ARCHIVE_VERSION, &callbacks, a);
}
