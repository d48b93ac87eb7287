#include "occupant.h"

#include <string.h>

#include "addr.h"
#include "stanza.h"

muc_occupant *muc_occupant_new(muc_room *room, const char *nick,
                               const char *bare_jid)
{
  muc_service *svc = room->svc;
  /* one block: the struct, then "room@service/nick", then the bare JID */
  size_t rl = strlen(room->jid), nl = strlen(nick), bl = strlen(bare_jid);
  muc_occupant *occ =
      muc_mem_malloc(&svc->mem, sizeof(*occ) + rl + nl + 2 + bl + 1);
  if (!occ) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL;
  }
  memset(occ, 0, sizeof(*occ));
  occ->occ_jid = (char *)(occ + 1);
  memcpy(occ->occ_jid, room->jid, rl);
  occ->occ_jid[rl] = '/';
  memcpy(occ->occ_jid + rl + 1, nick, nl + 1);
  occ->nick = occ->occ_jid + rl + 1;
  occ->bare_jid = occ->occ_jid + rl + nl + 2;
  memcpy(occ->bare_jid, bare_jid, bl + 1);
  occ->canonical = muc_addr_canonical(svc, occ->occ_jid) != 0;
  return occ;
}

static void session_free(muc_room *room, muc_session *s)
{
  muc_mem_free(&room->svc->mem, s->pres);
  muc_mem_free(&room->svc->mem, s);
}

void muc_occupant_free(muc_room *room, muc_occupant *occ)
{
  if (!occ)
    return;
  muc_session *s = occ->sessions;
  while (s) {
    muc_session *n = s->next;
    session_free(room, s);
    s = n;
  }
  muc_mem_free(&room->svc->mem, occ);
}

muc_session *muc_occupant_session(const muc_occupant *occ, const char *jid)
{
  for (muc_session *s = occ->sessions; s; s = s->next)
    if (strcmp(s->jid, jid) == 0)
      return s;
  return NULL;
}

static muc_session *choose_primary(const muc_occupant *occ)
{
  for (muc_session *s = occ->sessions; s; s = s->next)
    if (s->available)
      return s;
  return NULL;
}

/* Store the presence |pr| (owned, freed here) of session |jid| in its
 * serialized form. */
static int store_session(muc_room *room, muc_occupant *occ, const char *jid,
                         mxml_node_t *pr)
{
  muc_service *svc = room->svc;
  const char *type = muc_xml_attr(pr, "type");
  int available = !(type && strcmp(type, "unavailable") == 0);
  muc_buf *b = &svc->scratch;
  muc_buf_reset(b);
  int rc = muc_xml_write(b, pr);
  mxmlDelete(pr);
  char *bytes = NULL;
  uint32_t head = 0, body = 0;
  if (rc == MUC_OK && b->len < UINT32_MAX) {
    /* "<presence ...>children</presence>" or "<presence .../>" */
    size_t h = muc_wire_splice_point(b->data, b->len);
    size_t bo = 0, bl = 0;
    if (b->data[h] == '>') {
      bo = h + 1;
      bl = b->len - bo - strlen("</presence>");
    }
    bytes = muc_mem_malloc(&svc->mem, h + bl + 1);
    if (bytes) {
      memcpy(bytes, b->data, h);
      memcpy(bytes + h, b->data + bo, bl);
      bytes[h + bl] = 0;
      head = (uint32_t)h;
      body = (uint32_t)bl;
    }
  }
  muc_session *s = muc_occupant_session(occ, jid);
  if (bytes && !s) {
    size_t jl = strlen(jid);
    s = muc_mem_malloc(&svc->mem, sizeof(*s) + jl + 1);
    if (s) {
      memset(s, 0, sizeof(*s));
      s->jid = (char *)(s + 1);
      memcpy(s->jid, jid, jl + 1);
      s->canonical = muc_addr_canonical(svc, s->jid);
      muc_session **tail = &occ->sessions;
      while (*tail)
        tail = &(*tail)->next;
      *tail = s;
    }
  }
  if (!bytes || !s) {
    muc_mem_free(&svc->mem, bytes);
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  muc_mem_free(&svc->mem, s->pres);
  s->pres = bytes;
  s->head = head;
  s->body = body;
  s->available = available;
  if (!occ->primary || (!available && occ->primary == s)) {
    muc_session *p = choose_primary(occ);
    occ->primary = p ? p : s;
  }
  return MUC_OK;
}

int muc_occupant_set_session(muc_room *room, muc_occupant *occ, const char *jid,
                             const mxml_node_t *presence)
{
  muc_service *svc = room->svc;
  mxml_node_t *pr =
      muc_stanza_new(svc, "presence", occ->occ_jid, NULL, NULL, NULL);
  if (!pr)
    return MUC_ERR_NOMEM;
  /* keep the client's attributes but the addressing */
  for (int i = 0, n = muc_xml_attr_count(presence); i < n; i++) {
    const char *name = NULL;
    const char *v = muc_xml_attr_at(presence, i, &name);
    if (!name || strcmp(name, "from") == 0 || strcmp(name, "to") == 0 ||
        strcmp(name, "xmlns") == 0)
      continue;
    muc_attr(svc, pr, name, v);
  }
  /* MUC payloads are the room's business, not part of the presence that
   * others see (XEP-0045 §7.2.3) */
  for (mxml_node_t *c = muc_xml_first_element(presence); c;
       c = muc_xml_next_element(c)) {
    const char *ns = muc_xml_ns(c);
    if (ns && (strcmp(ns, MUC_NS_MUC) == 0 || strcmp(ns, MUC_NS_USER) == 0))
      continue;
    muc_el_copy(svc, pr, c);
  }
  if (svc->err == MUC_ERR_NOMEM) {
    mxmlDelete(pr);
    return MUC_ERR_NOMEM;
  }
  return store_session(room, occ, jid, pr);
}

int muc_occupant_set_unavailable(muc_room *room, muc_occupant *occ,
                                 const char *jid, const char *status)
{
  mxml_node_t *pr = muc_stanza_new(room->svc, "presence", occ->occ_jid, NULL,
                                   "unavailable", NULL);
  if (!pr)
    return MUC_ERR_NOMEM;
  if (status)
    muc_el_text(room->svc, pr, "status", NULL, status);
  return store_session(room, occ, jid, pr);
}

void muc_occupant_remove_session(muc_room *room, muc_occupant *occ,
                                 const char *jid)
{
  for (muc_session **pp = &occ->sessions; *pp; pp = &(*pp)->next) {
    muc_session *s = *pp;
    if (strcmp(s->jid, jid) != 0)
      continue;
    *pp = s->next;
    if (muc_map_get(&room->by_session, s->jid) == occ)
      muc_map_del(&room->by_session, s->jid);
    if (occ->primary == s)
      occ->primary = choose_primary(occ);
    session_free(room, s);
    return;
  }
}

int muc_session_is_reachable(const muc_occupant *occ, const muc_session *s)
{
  return s->available || s == occ->primary;
}

size_t muc_occupant_live_sessions(const muc_occupant *occ)
{
  size_t n = 0;
  for (muc_session *s = occ->sessions; s; s = s->next)
    n += s->available != 0;
  return n;
}

static void unlink_occupant(muc_room *room, muc_occupant *occ)
{
  if (!occ->in_room)
    return;
  if (muc_map_get(&room->by_nick, occ->nick) == occ)
    muc_map_del(&room->by_nick, occ->nick);
  if (occ->prev)
    occ->prev->next = occ->next;
  else
    room->first = occ->next;
  if (occ->next)
    occ->next->prev = occ->prev;
  else
    room->last = occ->prev;
  occ->prev = occ->next = NULL;
  occ->in_room = 0;
  room->noccupants--;
}

int muc_room_save_occupant(muc_room *room, muc_occupant *occ)
{
  muc_service *svc = room->svc;
  for (muc_session *s = occ->sessions; s; s = s->next)
    if (muc_map_get(&room->by_session, s->jid) == occ)
      muc_map_del(&room->by_session, s->jid);
  int live = 0;
  if (occ->role != MUC_ROLE_NONE) {
    for (muc_session *s = occ->sessions; s; s = s->next) {
      if (!s->available)
        continue;
      if (muc_map_put(&svc->mem, &room->by_session, s->jid, occ) != MUC_OK) {
        muc_fail(svc, MUC_ERR_NOMEM);
        continue;
      }
      live = 1;
    }
  }
  if (!live) {
    /* the role is kept: a nick change announces the old nick as gone
     * with the role it had */
    unlink_occupant(room, occ);
    return 0;
  }
  if (!occ->in_room) {
    if (muc_map_put(&svc->mem, &room->by_nick, occ->nick, occ) != MUC_OK) {
      muc_fail(svc, MUC_ERR_NOMEM);
      for (muc_session *s = occ->sessions; s; s = s->next)
        if (muc_map_get(&room->by_session, s->jid) == occ)
          muc_map_del(&room->by_session, s->jid);
      occ->role = MUC_ROLE_NONE;
      return 0;
    }
    occ->prev = room->last;
    occ->next = NULL;
    if (room->last)
      room->last->next = occ;
    else
      room->first = occ;
    room->last = occ;
    occ->in_room = 1;
    room->noccupants++;
  }
  return 1;
}

void muc_occupant_prune(muc_room *room, muc_occupant *occ)
{
  muc_session **pp = &occ->sessions;
  while (*pp) {
    muc_session *s = *pp;
    if (!s->available && s != occ->primary) {
      *pp = s->next;
      if (muc_map_get(&room->by_session, s->jid) == occ)
        muc_map_del(&room->by_session, s->jid);
      session_free(room, s);
    } else {
      pp = &s->next;
    }
  }
}

muc_occupant *muc_room_occupant_by_nick(const muc_room *room, const char *nick)
{
  return muc_map_get(&room->by_nick, nick);
}

muc_occupant *muc_room_occupant_by_jid(const muc_room *room,
                                       const char *full_jid)
{
  return muc_map_get(&room->by_session, full_jid);
}
