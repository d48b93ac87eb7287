/* Tombstones in memory, and the answer a stanza to a destroyed room gets
 * (tombstone.h). */
#include "tombstone.h"

#include <string.h>

#include "limit.h"
#include "refusal.h"
#include "stanza.h"

static muc_tombstones *table(muc_service *svc)
{
  if (!svc->tombstones) {
    svc->tombstones = muc_mem_calloc(&svc->mem, 1, sizeof(muc_tombstones));
    if (svc->tombstones)
      muc_map_init(&svc->tombstones->by_node);
  }
  return svc->tombstones;
}

static void unlink_free(muc_service *svc, muc_tombstone *t)
{
  muc_tombstones *ts = svc->tombstones;
  muc_map_del(&ts->by_node, t->node);
  muc_map_shrink(&svc->mem, &ts->by_node);
  if (t->prev)
    t->prev->next = t->next;
  else
    ts->first = t->next;
  if (t->next)
    t->next->prev = t->prev;
  else
    ts->last = t->prev;
  muc_mem_free(&svc->mem, t);
}

int muc_tombstone_write_record(const muc_service *svc, const muc_tombstone *t,
                               muc_buf *out)
{
  muc_buf_puts(out, "<tombstone xmlns=\"" MUC_NS_TOMBSTONE "\"");
  muc_buf_puts(out, " jid=\"");
  muc_buf_append_escaped(out, t->node, strlen(t->node), 1);
  muc_buf_putc(out, '@');
  muc_buf_puts(out, svc->domain);
  muc_buf_puts(out, "\" until=\"");
  muc_buf_put_u64(out, t->until);
  muc_buf_putc(out, '"');
  if (t->venue)
    muc_buf_put_attr(out, "venue", t->venue);
  if (!t->reason) {
    muc_buf_puts(out, "/>");
  } else {
    muc_buf_puts(out, "><reason>");
    muc_buf_append_escaped(out, t->reason, strlen(t->reason), 0);
    muc_buf_puts(out, "</reason></tombstone>");
  }
  return out->oom ? MUC_ERR_NOMEM : MUC_OK;
}

/* Store |t| as the record of its room, or delete that record (NULL). */
static void store(muc_service *svc, const char *node, const muc_tombstone *t)
{
  if (!svc->cb.store_room)
    return;
  muc_buf jid, rec;
  muc_buf_init(&jid, &svc->mem);
  muc_buf_init(&rec, &svc->mem);
  muc_buf_puts(&jid, node);
  muc_buf_putc(&jid, '@');
  muc_buf_puts(&jid, svc->domain);
  int rc = jid.oom ? MUC_ERR_NOMEM : MUC_OK;
  if (rc == MUC_OK && t)
    rc = muc_tombstone_write_record(svc, t, &rec);
  if (rc == MUC_OK && svc->cb.store_room(jid.data, t ? rec.data : NULL,
                                         t ? rec.len : 0, svc->ud) != 0)
    rc = MUC_ERR_STORAGE;
  muc_fail(svc, rc);
  muc_buf_free(&jid);
  muc_buf_free(&rec);
}

static size_t opt_len(const char *s)
{
  return s ? strlen(s) + 1 : 0;
}

static char *opt_copy(char **at, const char *s)
{
  if (!s)
    return NULL;
  char *dst = *at;
  size_t n = strlen(s) + 1;
  memcpy(dst, s, n);
  *at += n;
  return dst;
}

int muc_tombstone_put(muc_service *svc, const char *node, uint64_t until,
                      const char *venue, const char *reason, int store_it)
{
  muc_tombstone_remove(svc, node, 0);
  muc_tombstones *ts = table(svc);
  size_t nlen = strlen(node) + 1;
  muc_tombstone *t =
      ts ? muc_mem_malloc(&svc->mem,
                          sizeof(*t) + nlen + opt_len(venue) + opt_len(reason))
         : NULL;
  if (t)
    memcpy(t->node, node, nlen);
  if (!t || muc_map_put(&svc->mem, &ts->by_node, t->node, t) != MUC_OK) {
    muc_mem_free(&svc->mem, t);
    return MUC_ERR_NOMEM;
  }
  char *at = t->node + nlen;
  t->venue = opt_copy(&at, venue);
  t->reason = opt_copy(&at, reason);
  t->until = until;
  t->next = NULL;
  t->prev = ts->last;
  if (ts->last)
    ts->last->next = t;
  else
    ts->first = t;
  ts->last = t;
  if (store_it)
    store(svc, node, t);
  muc_tombstone_expire(svc);
  return MUC_OK;
}

const muc_tombstone *muc_tombstone_find(muc_service *svc, const char *node)
{
  muc_tombstone *t =
      svc->tombstones ? muc_map_get(&svc->tombstones->by_node, node) : NULL;
  if (t && t->until <= svc->now) {
    store(svc, node, NULL);
    unlink_free(svc, t);
    t = NULL;
  }
  return t;
}

const muc_tombstone *muc_tombstone_get(const muc_service *svc, const char *node)
{
  const muc_tombstone *t =
      svc->tombstones ? muc_map_get(&svc->tombstones->by_node, node) : NULL;
  return t && t->until > svc->now ? t : NULL;
}

const muc_tombstone *muc_tombstone_of_jid(const muc_service *svc,
                                          const char *room_jid)
{
  const char *at = strchr(room_jid, '@');
  char node[1024]; /* a room's local part is at most 1023 bytes */
  size_t n = at ? (size_t)(at - room_jid) : strlen(room_jid);
  if (!svc->tombstones || n >= sizeof(node) ||
      (at && strcmp(at + 1, svc->domain) != 0))
    return NULL;
  memcpy(node, room_jid, n);
  node[n] = '\0';
  return muc_tombstone_get(svc, node);
}

void muc_tombstone_remove(muc_service *svc, const char *node, int unstore)
{
  muc_tombstone *t =
      svc->tombstones ? muc_map_get(&svc->tombstones->by_node, node) : NULL;
  if (!t)
    return;
  if (unstore)
    store(svc, node, NULL);
  unlink_free(svc, t);
}

void muc_tombstone_expire(muc_service *svc)
{
  while (svc->tombstones && svc->tombstones->first &&
         svc->tombstones->first->until <= svc->now) {
    muc_tombstone *t = svc->tombstones->first;
    store(svc, t->node, NULL);
    unlink_free(svc, t);
  }
}

uint64_t muc_tombstone_deadline(const muc_service *svc)
{
  const muc_tombstones *ts = svc->tombstones;
  return ts && ts->first ? ts->first->until : UINT64_MAX;
}

void muc_tombstones_free(muc_service *svc)
{
  muc_tombstones *ts = svc->tombstones;
  if (!ts)
    return;
  while (ts->first) {
    muc_tombstone *n = ts->first->next;
    muc_mem_free(&svc->mem, ts->first);
    ts->first = n;
  }
  muc_map_free(&svc->mem, &ts->by_node);
  muc_mem_free(&svc->mem, ts);
  svc->tombstones = NULL;
}

/* <gone/> with the alternate venue as its content, the reason as text. */
static void answer_gone(muc_service *svc, const mxml_node_t *st,
                        const muc_tombstone *t, const char *by)
{
  const muc_refusal_rule *rule = muc_refusal_rule_of(MUC_REFUSE_ROOM_GONE);
  muc_buf uri;
  muc_buf_init(&uri, &svc->mem);
  if (t->venue) {
    muc_buf_puts(&uri, "xmpp:");
    muc_buf_puts(&uri, t->venue);
    muc_buf_puts(&uri, "?join");
  }
  if (uri.oom)
    muc_fail(svc, MUC_ERR_NOMEM);
  else
    muc_send_error_with(svc, st, rule->type, rule->cond,
                        t->venue ? uri.data : NULL, t->reason, by);
  muc_buf_free(&uri);
}

int muc_tombstone_answer(muc_service *svc, const mxml_node_t *st,
                         const muc_jid *from, const muc_jid *to)
{
  const muc_tombstone *t = muc_tombstone_find(svc, to->node);
  if (!t)
    return 0;
  const char *name = muc_xml_name(st);
  const char *type = muc_stanza_type(st);
  int join = strcmp(name, "presence") == 0 && !type && to->resource;
  if (join && muc_is_service_admin(svc, from->bare)) {
    /* a service admin may make the room again at once */
    muc_tombstone_remove(svc, to->node, 1);
    return 0;
  }
  if (!(type &&
        (strcmp(type, "error") == 0 ||
         (strcmp(name, "presence") == 0 && strcmp(type, "unavailable") == 0))))
    answer_gone(svc, st, t, to->bare);
  return 1;
}

/* A venue is a prepared JID; a reason within max_reason_bytes. */
int muc_tombstone_valid(const muc_service *svc, const char *venue,
                        const char *reason)
{
  return (!venue || (*venue && muc_jid_is_canonical(venue))) &&
         !muc_limit_text_exceeded(svc, MUC_LIMIT_REASON, reason);
}

/* Take a tombstone read from storage: expired, its record is deleted. */
int muc_tombstone_take(muc_service *svc, const char *node, uint64_t until,
                       const char *venue, const char *reason, int from_store)
{
  if (until > svc->now)
    return muc_tombstone_put(svc, node, until, venue, reason, 0);
  if (from_store) {
    /* laid and expired at once: the record goes */
    int rc = muc_tombstone_put(svc, node, until, venue, reason, 0);
    if (rc == MUC_OK)
      muc_tombstone_find(svc, node);
    return rc;
  }
  return MUC_OK; /* from a snapshot or an event: long gone, nothing kept */
}
