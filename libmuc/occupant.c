#include "occupant.h"

#include <stddef.h>
#include <string.h>

#include "addr.h"
#include "feed.h"
#include "flood.h"
#include "index.h"
#include "occupant_id.h"
#include "room_extras.h"
#include "stanza.h"

/* The occupant's own session lies right after the struct, so that the
 * fields a broadcast reads of both are next to each other (core.h). */
/* What the session's JID is, told once when it is made (core.h). */
static void session_jid_flags(muc_service *svc, muc_session *s)
{
  s->canonical = muc_addr_canonical(svc, s->jid) != 0;
  s->plain = (uint8_t)muc_buf_attr_plain(s->jid, strlen(s->jid));
}

static muc_session *inline_session(const muc_occupant *occ)
{
  return (muc_session *)(occ + 1);
}

muc_occupant *muc_occupant_new(muc_room *room, const char *nick,
                               const char *full_jid)
{
  muc_service *svc = room->svc;
  /* one block: the struct, the session of |full_jid| (most occupants
   * never have another), "room@service/nick" and the bare JID */
  const char *slash = strchr(full_jid, '/');
  size_t rl = strlen(room->jid), nl = strlen(nick), fl = strlen(full_jid);
  size_t bl = slash ? (size_t)(slash - full_jid) : fl;
  size_t jids = offsetof(muc_session, jid) + fl + 1;
  size_t oid = svc->occupant_key ? MUC_OCCUPANT_ID_EL_LEN : 0;
  /* with flood control, the occupant's buckets come first (flood.h) */
  size_t pre = svc->flood_kinds ? MUC_FLOOD_BYTES : 0;
  char *block = muc_mem_malloc(&svc->mem, pre + sizeof(muc_occupant) + jids +
                                              rl + nl + 2 + bl + 1 + oid + 1);
  if (!block) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL;
  }
  memset(block, 0, pre + sizeof(muc_occupant));
  muc_occupant *occ = (muc_occupant *)(block + pre);
  occ->flood = pre != 0;
  muc_session *s = inline_session(occ);
  memset(s, 0, sizeof(*s));
  memcpy(s->jid, full_jid, fl + 1);
  occ->occ_jid = (char *)s + jids;
  memcpy(occ->occ_jid, room->jid, rl);
  occ->occ_jid[rl] = '/';
  memcpy(occ->occ_jid + rl + 1, nick, nl + 1);
  occ->nick = occ->occ_jid + rl + 1;
  occ->bare_jid = occ->occ_jid + rl + nl + 2;
  memcpy(occ->bare_jid, full_jid, bl);
  occ->bare_jid[bl] = 0;
  /* XEP-0421: made once, here, for every stanza about the occupant */
  char *el = occ->bare_jid + bl + 1;
  *el = 0;
  if (oid)
    muc_occupant_id_el(svc->occupant_key, room->jid, occ->bare_jid, el);
  session_jid_flags(svc, s);
  occ->inline_free = 1;
  occ->canonical = muc_addr_canonical(svc, occ->occ_jid) != 0;
  return occ;
}

static void session_free(muc_room *room, muc_occupant *occ, muc_session *s)
{
  if (s->indexed)
    room->nindexed--; /* the room no longer counts it */
  muc_mem_free(&room->svc->mem, s->pres);
  if (s != inline_session(occ)) {
    muc_mem_free(&room->svc->mem, s);
    return;
  }
  /* back to unused in its block, ready for the same JID */
  s->next = NULL;
  s->pres = NULL;
  s->head = s->body = 0;
  s->available = s->indexed = s->own_from = 0;
  occ->inline_free = 1;
}

void muc_occupant_free(muc_room *room, muc_occupant *occ)
{
  if (!occ)
    return;
  muc_session *s = occ->sessions;
  while (s) {
    muc_session *n = s->next;
    session_free(room, occ, s);
    s = n;
  }
  muc_mem_free(&room->svc->mem,
               (char *)occ - (occ->flood ? MUC_FLOOD_BYTES : 0));
}

const char *muc_occupant_id(const muc_occupant *occ)
{
  return occ->bare_jid + strlen(occ->bare_jid) + 1;
}

void muc_occupant_id_attach(muc_service *svc, mxml_node_t *st,
                            const muc_occupant *occ)
{
  const char *el = muc_occupant_id(occ);
  if (*el)
    muc_occupant_id_add(svc, st, el);
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

/* The length of <presence from="|occ_jid|" at the start of the
 * serialized |data| (|n| bytes), or 0 if it starts otherwise.  A JID that
 * was escaped cannot match: its escaped form is longer and holds no '"'. */
static size_t own_from_prefix(const char *data, size_t n, const char *occ_jid)
{
  static const char open[] = "<presence from=\"";
  size_t ol = sizeof(open) - 1, jl = strlen(occ_jid);
  if (n < ol + jl + 1 || memcmp(data, open, ol) != 0 ||
      memcmp(data + ol, occ_jid, jl) != 0 || data[ol + jl] != '"')
    return 0;
  return ol + jl + 1;
}

/* The session |jid| of |occ|, added if new; NULL on NOMEM. */
static muc_session *session_of(muc_service *svc, muc_occupant *occ,
                               const char *jid)
{
  muc_session *s = muc_occupant_session(occ, jid);
  if (s)
    return s;
  s = inline_session(occ);
  if (occ->inline_free && strcmp(s->jid, jid) == 0) {
    occ->inline_free = 0;
  } else {
    size_t jl = strlen(jid);
    if (!(s = muc_mem_malloc(&svc->mem, sizeof(*s) + jl + 1)))
      return NULL;
    memset(s, 0, sizeof(*s));
    memcpy(s->jid, jid, jl + 1);
    session_jid_flags(svc, s);
  }
  muc_session **tail = &occ->sessions;
  while (*tail)
    tail = &(*tail)->next;
  *tail = s;
  return s;
}

/* Store the presence |pr| (owned, freed here) of session |jid| in its
 * serialized form. */
static int store_session(muc_room *room, muc_occupant *occ, const char *jid,
                         mxml_node_t *pr)
{
  muc_service *svc = room->svc;
  muc_feed_touch_occupant(room, occ);
  const char *type = muc_xml_attr(pr, "type");
  int available = !(type && strcmp(type, "unavailable") == 0);
  muc_buf *b = &svc->scratch;
  muc_buf_reset(b);
  int rc = muc_xml_write(b, pr);
  mxmlDelete(pr);
  if (rc != MUC_OK || b->len >= UINT32_MAX)
    goto nomem;
  /* "<presence ...>children</presence>" or "<presence .../>" */
  size_t h = muc_wire_splice_point(b->data, b->len);
  size_t bo = 0, bl = 0;
  if (b->data[h] == '>') {
    bo = h + 1;
    bl = b->len - bo - strlen("</presence>");
  }
  size_t skip = own_from_prefix(b->data, h, occ->occ_jid);
  /* a plain presence (the usual join) is the prefix alone: no bytes */
  char *bytes = NULL;
  if (h - skip + bl && !(bytes = muc_mem_malloc(&svc->mem, h - skip + bl + 1)))
    goto nomem;
  muc_session *s = session_of(svc, occ, jid);
  if (!s) {
    muc_mem_free(&svc->mem, bytes);
    goto nomem;
  }
  if (bytes) {
    memcpy(bytes, b->data + skip, h - skip);
    memcpy(bytes + h - skip, b->data + bo, bl);
    bytes[h - skip + bl] = 0;
  }
  muc_mem_free(&svc->mem, s->pres);
  s->pres = bytes;
  s->head = (uint32_t)(h - skip);
  s->body = (uint32_t)bl;
  s->own_from = skip != 0;
  s->available = (uint8_t)available;
  if (!occ->primary || (!available && occ->primary == s)) {
    muc_session *p = choose_primary(occ);
    occ->primary = p ? p : s;
  }
  return MUC_OK;
nomem:
  muc_fail(svc, MUC_ERR_NOMEM);
  return MUC_ERR_NOMEM;
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
    if (muc_extras_is_hats(c))
      continue; /* only the room says who wears which hat (XEP-0317) */
    if (muc_occupant_id_is(c)) /* the room's to give (XEP-0421 §4) */
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
  muc_feed_touch_occupant(room, occ);
  for (muc_session **pp = &occ->sessions; *pp; pp = &(*pp)->next) {
    muc_session *s = *pp;
    if (strcmp(s->jid, jid) != 0)
      continue;
    *pp = s->next;
    muc_index_del_session(room, occ, s);
    if (occ->primary == s)
      occ->primary = choose_primary(occ);
    session_free(room, occ, s);
    return;
  }
}

void muc_session_src(const muc_occupant *o, const muc_session *s,
                     muc_pres_src *out)
{
  out->from = s->own_from ? o->occ_jid : NULL;
  out->head = s->pres ? s->pres : "";
  out->hl = s->head;
  out->body = out->head + s->head;
  out->bl = s->body;
  out->oid = muc_occupant_id(o);
}

void muc_pres_put_head(muc_buf *out, const muc_pres_src *b)
{
  if (b->from) {
    /* stored so only when the JID needs no escaping (own_from_prefix) */
    muc_buf_puts(out, "<presence from=\"");
    muc_buf_puts(out, b->from);
    muc_buf_putc(out, '"');
  }
  muc_buf_append(out, b->head, b->hl);
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
  muc_index_del_nick(room, occ);
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
  occ->feed_told = 0; /* if it comes back, it comes back last */
  room->noccupants--;
}

int muc_room_save_occupant(muc_room *room, muc_occupant *occ)
{
  muc_service *svc = room->svc;
  muc_feed_touch_occupant(room, occ);
  for (muc_session *s = occ->sessions; s; s = s->next)
    muc_index_del_session(room, occ, s);
  int live = 0;
  if (occ->role != MUC_ROLE_NONE) {
    for (muc_session *s = occ->sessions; s; s = s->next) {
      if (!s->available)
        continue;
      if (muc_index_put_session(room, occ, s) != MUC_OK) {
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
    if (muc_index_put_nick(room, occ) != MUC_OK) {
      muc_fail(svc, MUC_ERR_NOMEM);
      for (muc_session *s = occ->sessions; s; s = s->next)
        muc_index_del_session(room, occ, s);
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
  muc_feed_touch_occupant(room, occ);
  muc_session **pp = &occ->sessions;
  while (*pp) {
    muc_session *s = *pp;
    if (!s->available && s != occ->primary) {
      *pp = s->next;
      muc_index_del_session(room, occ, s);
      session_free(room, occ, s);
    } else {
      pp = &s->next;
    }
  }
}

muc_occupant *muc_room_occupant_by_nick(const muc_room *room, const char *nick)
{
  return muc_index_by_nick(room, nick);
}

muc_occupant *muc_room_occupant_by_jid(const muc_room *room,
                                       const char *full_jid)
{
  return muc_index_by_session(room, full_jid);
}
