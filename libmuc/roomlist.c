#include "roomlist.h"

#include <string.h>

#include "limit.h"
#include "map.h"
#include "stanza.h"

static uint32_t name_hash(const char *s)
{
  return muc_hash_str(s ? s : "");
}

static int kept(const muc_service *svc)
{
  return svc->cfg.store_room_list && svc->cb.store_room && svc->cb.load_room;
}

static void mark_dirty(muc_service *svc)
{
  if (!kept(svc) || svc->roomlist_dirty)
    return;
  svc->roomlist_dirty = 1;
  svc->roomlist_due = svc->now + MUC_ROOM_LIST_FLUSH_MS;
}

static int listable(const muc_room *room)
{
  return room->cfg.persistent && room->cfg.public_room && !room->destroyed;
}

void muc_roomlist_note(muc_room *room)
{
  int listed = listable(room);
  uint32_t name = listed ? name_hash(room->cfg.name) : 0;
  if (listed == room->listed && name == room->listed_name)
    return;
  room->listed = (uint8_t)listed;
  room->listed_name = name;
  mark_dirty(room->svc);
}

static int put(muc_service *svc, const char *node, const char *name)
{
  return muc_roomindex_put(&svc->mem, &svc->roomlist, node, name);
}

void muc_roomlist_drop(muc_service *svc, const char *node)
{
  muc_roomindex_del(&svc->mem, &svc->roomlist, node);
}

int muc_roomlist_keep(muc_room *room)
{
  if (!listable(room))
    return MUC_OK;
  return put(room->svc, room->node, room->cfg.name);
}

void muc_roomlist_back(muc_room *room)
{
  muc_roomlist_drop(room->svc, room->node);
  room->listed = (uint8_t)listable(room);
  room->listed_name = room->listed ? name_hash(room->cfg.name) : 0;
}

/* An entry whose room is in memory (loading) is listed from there. */
static int shadowed(const muc_service *svc, const char *node)
{
  const muc_room *room = muc_map_get(&svc->rooms, node);
  return room && !room->loading;
}

void muc_roomlist_items(muc_service *svc, mxml_node_t *q)
{
  char jid[3072];
  size_t pos = 0;
  const char *node, *name;
  while (muc_roomindex_next(&svc->roomlist, &pos, &node, &name)) {
    if (shadowed(svc, node) || snprintf(jid, sizeof(jid), "%s@%s", node,
                                        svc->domain) >= (int)sizeof(jid))
      continue;
    mxml_node_t *it = muc_el(svc, q, "item", NULL);
    muc_attr(svc, it, "jid", jid);
    muc_attr(svc, it, "name", *name ? name : NULL);
  }
}

/* ---- the stored list ----------------------------------------------------- */

void muc_roomlist_request(muc_service *svc)
{
  if (svc->roomlist_asked || !kept(svc))
    return;
  svc->roomlist_asked = 1;
  /* the answer (muc_service_room_loaded with the domain) may come from
   * inside the callback: it is taken at once */
  if (svc->cb.load_room(svc->domain, svc->ud) != 0) {
    muc_log(svc, MUC_LOG_ERROR, "load_room failed for the room list of %s",
            svc->domain);
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
  }
}

/* A stored entry: a node that needs no escaping as a JID's local part,
 * a name within max_room_name_bytes. */
static int entry_valid(const muc_service *svc, const char *node,
                       const char *name)
{
  return node && *node && !strpbrk(node, "@/\"&'<>: ") &&
         !muc_limit_text_exceeded(svc, MUC_LIMIT_ROOM_NAME, name);
}

int muc_roomlist_loaded(muc_service *svc, const char *data, size_t len)
{
  if (!data)
    return MUC_OK;
  muc_xml_limits lim = {len + 1, 4, 4, (size_t)-1};
  mxml_node_t *r = NULL;
  int rc = muc_xml_parse(&svc->mem, data, len, &lim, &r);
  if (rc == MUC_ERR_NOMEM)
    return rc;
  rc = MUC_ERR_STORAGE;
  if (!r || !muc_xml_is(r, "rooms", MUC_NS_ROOMLIST))
    goto out;
  for (const mxml_node_t *e = muc_xml_first_element(r); e;
       e = muc_xml_next_element(e))
    if (muc_xml_is(e, "room", MUC_NS_ROOMLIST) &&
        !entry_valid(svc, muc_xml_attr(e, "node"), muc_xml_attr(e, "name")))
      goto out;
  rc = MUC_OK;
  for (const mxml_node_t *e = muc_xml_first_element(r); e && rc == MUC_OK;
       e = muc_xml_next_element(e)) {
    const char *node = muc_xml_attr(e, "node");
    if (muc_xml_is(e, "room", MUC_NS_ROOMLIST) &&
        !muc_map_get(&svc->rooms, node))
      rc = put(svc, node, muc_xml_attr(e, "name"));
  }
out:
  mxmlDelete(r);
  if (rc == MUC_ERR_STORAGE)
    muc_log(svc, MUC_LOG_ERROR, "the stored room list of %s is not valid",
            svc->domain);
  return rc;
}

static void put_entry(muc_buf *b, const char *node, const char *name)
{
  muc_buf_puts(b, "<room");
  muc_buf_put_attr(b, "node", node);
  if (name && *name)
    muc_buf_put_attr(b, "name", name);
  muc_buf_puts(b, "/>");
}

/* The list: the public persistent rooms in memory, then the entries. */
static int write_list(muc_service *svc, muc_buf *b)
{
  muc_buf_puts(b, "<rooms xmlns=\"" MUC_NS_ROOMLIST "\">");
  for (const muc_room *room = svc->rfirst; room; room = room->next)
    if (!room->loading && listable(room))
      put_entry(b, room->node, room->cfg.name);
  size_t pos = 0;
  const char *node, *name;
  while (muc_roomindex_next(&svc->roomlist, &pos, &node, &name))
    if (!shadowed(svc, node))
      put_entry(b, node, name);
  muc_buf_puts(b, "</rooms>");
  return b->oom ? MUC_ERR_NOMEM : MUC_OK;
}

/* The stored list was asked for and not answered: writing ours would
 * drop the rooms it names that we do not know yet. */
static int awaited(const muc_service *svc)
{
  return svc->roomlist_asked == 1;
}

void muc_roomlist_flush(muc_service *svc, int force)
{
  if (!kept(svc) || awaited(svc) ||
      (!force && (!svc->roomlist_dirty || svc->now < svc->roomlist_due)))
    return;
  muc_buf_reset(&svc->scratch);
  if (write_list(svc, &svc->scratch) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (svc->cb.store_room(svc->domain, svc->scratch.data, svc->scratch.len,
                         svc->ud) != 0) {
    /* tried again a MUC_ROOM_LIST_FLUSH_MS later */
    muc_log(svc, MUC_LOG_ERROR, "storing the room list of %s failed",
            svc->domain);
    muc_fail(svc, MUC_ERR_STORAGE);
    svc->roomlist_dirty = 1;
    svc->roomlist_due = svc->now + MUC_ROOM_LIST_FLUSH_MS;
    return;
  }
  svc->roomlist_dirty = 0;
}

uint64_t muc_roomlist_deadline(const muc_service *svc)
{
  return svc->roomlist_dirty && !awaited(svc) ? svc->roomlist_due : UINT64_MAX;
}

void muc_roomlist_free(muc_service *svc)
{
  muc_roomindex_free(&svc->mem, &svc->roomlist);
}
