/* A room's lookups: list scans while it is small, hash maps once it is
 * not (index.h). */
#include "index.h"

#include <string.h>

/* ---- occupants ----------------------------------------------------------- */

static int same(const char *a, const char *b)
{
  return a[0] == b[0] && strcmp(a, b) == 0;
}

/* Put the indexed sessions of |o| into the session map (reserved). */
static void map_sessions(muc_room *room, muc_occupant *o)
{
  for (muc_session *s = o->sessions; s; s = s->next)
    if (s->indexed)
      muc_map_put(&room->svc->mem, &room->maps->by_session, s->jid, o);
}

/* Build both occupant maps from the lists and flags; |extra|, not yet in
 * the room's list, may hold indexed sessions too.  Out of memory the room
 * keeps scanning, which gives the same answers. */
/* The room's maps, allocated empty if it had none; NULL on NOMEM. */
static struct muc_room_maps *maps_of(muc_room *room)
{
  if (!room->maps &&
      (room->maps = muc_mem_malloc(&room->svc->mem, sizeof(*room->maps)))) {
    muc_map_init(&room->maps->by_nick);
    muc_map_init(&room->maps->by_session);
    muc_map_init(&room->maps->affils);
  }
  return room->maps;
}

static void build_occupant_maps(muc_room *room, muc_occupant *extra)
{
  muc_mem *m = &room->svc->mem;
  if (!maps_of(room))
    return;
  if (muc_map_reserve(m, &room->maps->by_nick, room->noccupants + 1) !=
          MUC_OK ||
      muc_map_reserve(m, &room->maps->by_session, room->nindexed + 1) !=
          MUC_OK) {
    muc_map_free(m, &room->maps->by_nick);
    muc_map_free(m, &room->maps->by_session);
    return;
  }
  /* the puts cannot fail now */
  for (muc_occupant *o = room->first; o; o = o->next) {
    muc_map_put(m, &room->maps->by_nick, o->nick, o);
    map_sessions(room, o);
  }
  if (extra && !extra->in_room)
    map_sessions(room, extra);
  room->occupant_maps = 1;
}

muc_occupant *muc_index_by_nick(const muc_room *room, const char *nick)
{
  if (room->occupant_maps)
    return muc_map_get(&room->maps->by_nick, nick);
  for (muc_occupant *o = room->first; o; o = o->next)
    if (same(o->nick, nick))
      return o;
  return NULL;
}

static int has_indexed_session(const muc_occupant *o, const char *full_jid)
{
  for (const muc_session *s = o->sessions; s; s = s->next)
    if (s->indexed && same(s->jid, full_jid))
      return 1;
  return 0;
}

muc_occupant *muc_index_by_session(const muc_room *room, const char *full_jid)
{
  if (room->occupant_maps)
    return muc_map_get(&room->maps->by_session, full_jid);
  /* from both ends at once: at service scale each occupant is a cache
   * miss found through its neighbour, and two chains are fetched side by
   * side.  An indexed session is one occupant's (as in the map), so the
   * order of the scan does not change the answer. */
  for (muc_occupant *lo = room->first, *hi = room->last; lo;
       lo = lo->next, hi = hi->prev) {
    if (has_indexed_session(lo, full_jid))
      return lo;
    if (hi == lo)
      break;
    if (has_indexed_session(hi, full_jid))
      return hi;
    if (lo->next == hi)
      break;
  }
  return NULL;
}

int muc_index_put_nick(muc_room *room, muc_occupant *occ)
{
  if (!room->occupant_maps && room->noccupants >= MUC_SMALL_ROOM)
    build_occupant_maps(room, occ);
  if (!room->occupant_maps)
    return MUC_OK; /* the room's list is the index */
  return muc_map_put(&room->svc->mem, &room->maps->by_nick, occ->nick, occ);
}

void muc_index_del_nick(muc_room *room, muc_occupant *occ)
{
  if (room->occupant_maps &&
      muc_map_get(&room->maps->by_nick, occ->nick) == occ)
    muc_map_del(&room->maps->by_nick, occ->nick);
}

static void flag(muc_room *room, muc_session *s, int on)
{
  if (s->indexed == on)
    return;
  s->indexed = (uint8_t)on;
  if (on)
    room->nindexed++;
  else
    room->nindexed--;
}

int muc_index_put_session(muc_room *room, muc_occupant *occ, muc_session *s)
{
  if (room->occupant_maps) {
    if (muc_map_put(&room->svc->mem, &room->maps->by_session, s->jid, occ) !=
        MUC_OK)
      return MUC_ERR_NOMEM;
    flag(room, s, 1);
    return MUC_OK;
  }
  /* one occupant per JID, as in a map: the last put wins */
  for (muc_occupant *o = room->first; o; o = o->next)
    for (muc_session *t = o->sessions; o != occ && t; t = t->next)
      if (t->indexed && same(t->jid, s->jid))
        flag(room, t, 0);
  flag(room, s, 1);
  if (room->nindexed > 2 * MUC_SMALL_ROOM)
    build_occupant_maps(room, occ);
  return MUC_OK;
}

void muc_index_del_session(muc_room *room, muc_occupant *occ, muc_session *s)
{
  if (room->occupant_maps) {
    if (muc_map_get(&room->maps->by_session, s->jid) == occ)
      muc_map_del(&room->maps->by_session, s->jid);
  }
  flag(room, s, 0);
}

/* ---- affiliations -------------------------------------------------------- */

muc_affil *muc_index_affil(const muc_room *room, const char *bare)
{
  if (room->affil_map)
    return muc_map_get(&room->maps->affils, bare);
  for (muc_affil *a = room->afirst; a; a = a->next)
    if (same(a->jid, bare))
      return a;
  return NULL;
}

int muc_index_put_affil(muc_room *room, muc_affil *a)
{
  muc_mem *m = &room->svc->mem;
  if (room->affil_map) {
    if (muc_map_put(m, &room->maps->affils, a->jid, a) != MUC_OK)
      return MUC_ERR_NOMEM;
  } else if (room->naffils + 1 > MUC_SMALL_ROOM && maps_of(room) &&
             muc_map_reserve(m, &room->maps->affils, room->naffils + 1) ==
                 MUC_OK) {
    /* out of memory the list stays the index */
    for (muc_affil *e = room->afirst; e; e = e->next)
      muc_map_put(m, &room->maps->affils, e->jid, e);
    room->affil_map = 1;
  }
  room->naffils++;
  return MUC_OK;
}

void muc_index_del_affil(muc_room *room, muc_affil *a)
{
  if (room->affil_map)
    muc_map_del(&room->maps->affils, a->jid);
  room->naffils--;
}

void muc_index_free(muc_room *room)
{
  muc_mem *m = &room->svc->mem;
  if (room->maps) {
    muc_map_free(m, &room->maps->by_nick);
    muc_map_free(m, &room->maps->by_session);
    muc_map_free(m, &room->maps->affils);
    muc_mem_free(m, room->maps);
    room->maps = NULL;
  }
  room->occupant_maps = room->affil_map = 0;
}
