/* Retracting a groupchat message: by its author (XEP-0424) or by a
 * moderator (XEP-0425).  Its tombstone takes its place in the history
 * (later joiners see the tombstone, not the text) and in the host's
 * archive; a moderator's retraction is announced to the room. */
#include "ops.h"

#include <string.h>

#include "archive.h"
#include "feed.h"
#include "history.h"
#include "op_send.h"
#include "op_store.h"

/* The stanza-id element exactly as the room writes it into a broadcast
 * (message.c), for finding a history entry by its bytes. */
static int sid_needle(muc_room *room, const char *stanza_id, muc_buf *b)
{
  muc_buf_puts(b, "<stanza-id");
  muc_buf_put_attr(b, "xmlns", MUC_NS_SID);
  muc_buf_put_attr(b, "by", room->jid);
  muc_buf_put_attr(b, "id", stanza_id);
  muc_buf_puts(b, "/>");
  return !b->oom;
}

static int contains(const char *hay, size_t n, const char *needle, size_t k)
{
  for (size_t i = 0; k && i + k <= n; i++)
    if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
      return 1;
  return 0;
}

/* The history entry that carries |stanza_id|, or -1 (NOMEM: -2). */
static long history_index(muc_room *room, const char *stanza_id)
{
  muc_buf b;
  muc_buf_init(&b, &room->svc->mem);
  long found = sid_needle(room, stanza_id, &b) ? -1 : -2;
  for (size_t i = muc_history_count(room); found == -1 && i-- > 0;) {
    const muc_history_entry *e = muc_history_entry_at(room, i);
    if (contains(e->text, e->len, b.data, b.len))
      found = (long)i;
  }
  muc_buf_free(&b);
  return found;
}

/* Children a tombstone keeps: who sent it and when, under which id. */
static int kept_in_tombstone(const muc_room *room, const mxml_node_t *c)
{
  const char *by = muc_xml_attr(c, "by");
  const char *from = muc_xml_attr(c, "from");
  return (muc_xml_is(c, "stanza-id", MUC_NS_SID) && by &&
          strcmp(by, room->jid) == 0) ||
         muc_xml_is(c, "occupant-id", "urn:xmpp:occupant-id:0") ||
         (muc_xml_is(c, "delay", MUC_NS_DELAY) && from &&
          strcmp(from, room->jid) == 0);
}

/* The tombstone of the message |xml|/|len| into |out| (XEP-0424 §5.2,
 * XEP-0425 §5): its addresses, type and id, the children that say who
 * and when, and <retracted/> in place of everything else.  MUC_OK,
 * MUC_ERR_NOMEM, or MUC_ERR_STORAGE for bytes that are no message. */
static int tombstone(muc_room *room, const muc_retraction *r, const char *xml,
                     size_t len, muc_buf *out)
{
  muc_service *svc = room->svc;
  mxml_node_t *orig = muc_tree_of_text(svc, xml, len);
  if (!orig)
    return svc->oom ? MUC_ERR_NOMEM : MUC_ERR_STORAGE;
  mxml_node_t *m = muc_stanza_new(svc, "message", NULL, NULL, NULL, NULL);
  for (int i = 0, n = muc_xml_attr_count(orig); m && i < n; i++) {
    const char *name = NULL;
    const char *v = muc_xml_attr_at(orig, i, &name);
    if (name && strcmp(name, "xmlns") != 0)
      muc_attr(svc, m, name, v);
  }
  mxml_node_t *delay = NULL;
  for (mxml_node_t *c = muc_xml_first_element(orig); m && c;
       c = muc_xml_next_element(c))
    if (kept_in_tombstone(room, c) && !muc_xml_is(c, "delay", MUC_NS_DELAY))
      muc_el_copy(svc, m, c);
    else if (muc_xml_is(c, "delay", MUC_NS_DELAY) && kept_in_tombstone(room, c))
      delay = c;
  char stamp[32];
  muc_format_stamp(svc->now, stamp, sizeof(stamp));
  mxml_node_t *t = muc_el(svc, m, "retracted", MUC_NS_RETRACT);
  muc_attr(svc, t, "stamp", stamp);
  if (r->moderator) {
    mxml_node_t *mod = muc_el(svc, t, "moderated", MUC_NS_MODERATE);
    muc_attr(svc, mod, "by", r->moderator);
  }
  if (r->reason)
    muc_el_text(svc, t, "reason", NULL, r->reason);
  if (delay && m) /* the history's delay stays last, as history.c adds it */
    muc_el_copy(svc, m, delay);
  int rc = m && !svc->oom && muc_xml_write(out, m) == 0 && !out->oom
               ? MUC_OK
               : MUC_ERR_NOMEM;
  mxmlDelete(m);
  mxmlDelete(orig);
  if (rc != MUC_OK)
    muc_fail(svc, MUC_ERR_NOMEM);
  return rc;
}

/* The archived message |stanza_id| into |page| (empty when the archive
 * has none).  MUC_OK, MUC_ERR_NOMEM or MUC_ERR_STORAGE. */
static int archived(muc_room *room, const char *stanza_id,
                    muc_archive_page *page)
{
  muc_service *svc = room->svc;
  if (muc_archive_page_init(page, svc, 1) != MUC_OK)
    return MUC_ERR_NOMEM;
  const char *ids[] = {stanza_id};
  muc_archive_query q = {.room_jid = room->jid,
                         .requester = room->jid,
                         .max = 1,
                         .ids = ids,
                         .nids = 1};
  int rc = svc->archive.query(&q, page, svc->archive_ud);
  if (rc < 0 || rc > MUC_ARCHIVE_NOT_FOUND)
    return MUC_ERR_STORAGE;
  if (svc->oom)
    return MUC_ERR_NOMEM;
  if (rc == MUC_ARCHIVE_NOT_FOUND ||
      (page->n && strcmp(page->entries[0].stanza_id, stanza_id) != 0))
    muc_archive_page_clear(page); /* not the one asked for */
  return MUC_OK;
}

/* Give the archive the tombstone of its copy |e|.  MUC_OK,
 * MUC_ARCHIVE_NOT_FOUND (not there, or not the author's), or a failure. */
static int retract_archived(muc_room *room, const muc_retraction *r,
                            const muc_archive_entry *e)
{
  muc_service *svc = room->svc;
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  int rc = tombstone(room, r, e->xml, e->len, &b);
  if (rc == MUC_OK) {
    muc_archive_retraction ar = {room->jid, r->stanza_id, r->author,
                                 b.data,    b.len,        svc->now};
    /* read again: the query's callback may have removed the archive */
    rc = !muc_archive_of(svc) ? MUC_ARCHIVE_NOT_FOUND
                              : svc->archive.retract(&ar, svc->archive_ud);
    if (rc < 0 || rc > MUC_ARCHIVE_NOT_FOUND)
      rc = MUC_ERR_STORAGE;
  }
  muc_buf_free(&b);
  return rc;
}

/* Is the history entry |e| the author's, when no archive can tell: sent
 * from the author's occupant JID. */
static int authors_entry(muc_room *room, const muc_retraction *r, long i)
{
  if (!r->author_occ_jid || i < 0)
    return 0;
  const muc_history_entry *e = muc_history_entry_at(room, (size_t)i);
  mxml_node_t *m = muc_tree_of_text(room->svc, e->text, e->len);
  const char *from = m ? muc_xml_attr(m, "from") : NULL;
  int same = from && strcmp(from, r->author_occ_jid) == 0;
  mxmlDelete(m);
  return same;
}

/* Replace history entry |i| by its tombstone.  MUC_OK or MUC_ERR_NOMEM. */
static int retract_history(muc_room *room, const muc_retraction *r, size_t i)
{
  muc_service *svc = room->svc;
  const muc_history_entry *e = muc_history_entry_at(room, i);
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  int rc = tombstone(room, r, e->text, e->len, &b);
  if (rc == MUC_OK)
    rc = muc_history_replace(room, i, b.data, b.len);
  muc_buf_free(&b);
  if (rc == MUC_OK) {
    muc_feed_touch_part(room, MUC_FEED_PART_HISTORY);
    muc_room_save(room, 0);
  }
  return rc;
}

/* The moderator's retraction, to everyone: XEP-0425 0.3 (§4.1), and in
 * the same message its 0.2 form (<apply-to/> of XEP-0422) for the
 * clients that know only that one (as Prosody sends both). */
static void announce(muc_room *room, const muc_retraction *r)
{
  muc_service *svc = room->svc;
  char id[64];
  muc_new_id(svc, id, sizeof(id));
  mxml_node_t *m =
      muc_stanza_new(svc, "message", room->jid, NULL, "groupchat", id);
  mxml_node_t *t = muc_el(svc, m, "retract", MUC_NS_RETRACT);
  muc_attr(svc, t, "id", r->stanza_id);
  mxml_node_t *mod = muc_el(svc, t, "moderated", MUC_NS_MODERATE);
  muc_attr(svc, mod, "by", r->moderator);
  if (r->reason)
    muc_el_text(svc, t, "reason", NULL, r->reason);
  mxml_node_t *fasten = muc_el(svc, m, "apply-to", MUC_NS_FASTEN);
  muc_attr(svc, fasten, "id", r->stanza_id);
  mxml_node_t *old = muc_el(svc, fasten, "moderated", MUC_NS_MODERATE_0);
  muc_attr(svc, old, "by", r->moderator);
  muc_el(svc, old, "retract", MUC_NS_RETRACT_0);
  if (r->reason)
    muc_el_text(svc, old, "reason", NULL, r->reason);
  if (m)
    muc_room_broadcast(room, m, MUC_ROLE_NONE);
  mxmlDelete(m);
}

/* Is |xml| already a tombstone (as tombstone() writes it)?  The first
 * retraction stays: a second changes nothing. */
static int is_tombstone(const char *xml, size_t len)
{
  static const char mark[] = "<retracted xmlns=\"" MUC_NS_RETRACT "\"";
  return contains(xml, len, mark, sizeof(mark) - 1);
}

/* The archive's part of the retraction: *|found| set when the archive has
 * the message (retracted now or before); *|hi| (the history entry) set to
 * -1 when the archive says it is not the author's.  MUC_OK or a failure. */
static int via_archive(muc_room *room, const muc_retraction *r, long *hi,
                       int *found)
{
  muc_archive_page page;
  int rc = archived(room, r->stanza_id, &page);
  const muc_archive_entry *e = rc == MUC_OK && page.n ? &page.entries[0] : 0;
  if (e && is_tombstone(e->xml, e->len)) {
    *found = 1;
  } else if (e) {
    rc = retract_archived(room, r, e);
    *found = rc == MUC_OK;
    /* the archive knows the author: not the author's, nothing changes */
    if (rc == MUC_ARCHIVE_NOT_FOUND && r->author)
      *hi = -1;
    if (rc == MUC_ARCHIVE_NOT_FOUND)
      rc = MUC_OK;
  } else if (rc == MUC_OK && r->author && !authors_entry(room, r, *hi)) {
    *hi = -1;
  }
  if (page.entries)
    muc_archive_page_clear(&page);
  return rc;
}

int muc_op_retract(muc_room *room, const muc_retraction *r)
{
  muc_service *svc = room->svc;
  long hi = history_index(room, r->stanza_id);
  if (hi == -2) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  int in_archive = 0, rc = MUC_OK;
  if (muc_archive_of(svc))
    rc = via_archive(room, r, &hi, &in_archive);
  else if (r->author && !authors_entry(room, r, hi))
    hi = -1;
  if (rc != MUC_OK) {
    muc_fail(svc, rc);
    return rc;
  }
  const muc_history_entry *e =
      hi >= 0 ? muc_history_entry_at(room, (size_t)hi) : NULL;
  if (e && !is_tombstone(e->text, e->len) &&
      (rc = retract_history(room, r, (size_t)hi)) != MUC_OK)
    return rc;
  if (!e && !in_archive)
    return MUC_ARCHIVE_NOT_FOUND;
  if (r->moderator)
    announce(room, r);
  return MUC_OK;
}
