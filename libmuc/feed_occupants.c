/* The change feed's occupants (docs/feed.md): the state layer notes the
 * nick of each occupant it changes, and at the end of the call only those
 * are compared with what the feed told, so a join in a room of 10,000
 * costs one occupant's encoding, not 10,000.
 *
 * The replica's list is the told one: occupants marked |feed_told| are
 * where the replica has them; the others (joined since, or left and come
 * back: leaving clears the mark) are all after them in the room's order,
 * since an occupant joins at the end.  So the events are: the told nicks
 * noted whose occupant left or is a new one, gone; the told occupants
 * noted, put in place where their encoding changed; the untold end of
 * the list, put (last) in order. */
#include <string.h>

#include "call.h"
#include "feed.h"
#include "feed_state.h"
#include "index.h"
#include "snapshot.h"

/* An occupant the replica has. */
typedef struct feed_occ {
  uint64_t hash; /* of its encoding as told */
  char nick[];
} feed_occ;

int muc_feed_occ_note(muc_room *room, const char *nick)
{
  muc_service *svc = room->svc;
  muc_map *dirty = &room->feed->occ_dirty;
  if (muc_map_get(dirty, nick))
    return MUC_OK;
  char *copy = muc_mem_strdup(&svc->mem, nick);
  if (!copy || muc_map_put(&svc->mem, dirty, copy, copy) != MUC_OK) {
    muc_mem_free(&svc->mem, copy);
    return MUC_ERR_NOMEM;
  }
  return MUC_OK;
}

static void free_values(muc_service *svc, muc_map *map)
{
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(map, &i));)
    muc_mem_free(&svc->mem, s->value);
  muc_map_free(&svc->mem, map);
}

void muc_feed_occ_free(muc_service *svc, struct muc_feed_room *fr)
{
  free_values(svc, &fr->occ_told);
  free_values(svc, &fr->occ_dirty);
}

/* |occ| encoded in the feed's |tmp|, and its hash. */
static uint64_t encode(muc_room *room, const muc_occupant *occ)
{
  muc_buf *tmp = &room->svc->feed->tmp;
  muc_buf_reset(tmp);
  muc_snap_put_occupant(tmp, occ);
  return muc_feed_hash(tmp->data, tmp->len);
}

/* |occ| (untold) is now told, with |hash|: the replica adds it last. */
static int add_told(muc_room *room, muc_occupant *occ, uint64_t hash)
{
  muc_service *svc = room->svc;
  size_t nl = strlen(occ->nick);
  feed_occ *t = muc_mem_malloc(&svc->mem, sizeof(*t) + nl + 1);
  if (!t)
    return MUC_ERR_NOMEM;
  t->hash = hash;
  memcpy(t->nick, occ->nick, nl + 1);
  feed_occ *old = muc_map_get(&room->feed->occ_told, t->nick);
  if (muc_map_put(&svc->mem, &room->feed->occ_told, t->nick, t) != MUC_OK) {
    muc_mem_free(&svc->mem, t);
    return MUC_ERR_NOMEM;
  }
  muc_mem_free(&svc->mem, old); /* none unless its "gone" failed */
  occ->feed_told = 1;
  return MUC_OK;
}

/* Every occupant and every told nick noted: a change not said of one
 * occupant (a whole room marked, a replica applying an event). */
static int note_all(muc_room *room)
{
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(&room->feed->occ_told, &i));)
    if (muc_feed_occ_note(room, s->key) != MUC_OK)
      return MUC_ERR_NOMEM;
  for (const muc_occupant *o = room->first; o; o = o->next)
    if (muc_feed_occ_note(room, o->nick) != MUC_OK)
      return MUC_ERR_NOMEM;
  return MUC_OK;
}

/* The told nicks noted whose occupant left or is another now: gone. */
static void tell_gone(muc_room *room)
{
  muc_service *svc = room->svc;
  struct muc_feed_room *fr = room->feed;
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(&fr->occ_dirty, &i));) {
    feed_occ *t = muc_map_get(&fr->occ_told, s->key);
    const muc_occupant *live = muc_index_by_nick(room, s->key);
    if (!t || (live && live->feed_told))
      continue;
    muc_feed_emit_str(room, MUC_FEED_OCC_DEL, t->nick);
    muc_map_del(&fr->occ_told, s->key);
    muc_mem_free(&svc->mem, t);
  }
}

/* The told occupants noted: put in place where they changed. */
static void tell_changed(muc_room *room)
{
  struct muc_feed_room *fr = room->feed;
  muc_buf *tmp = &room->svc->feed->tmp;
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(&fr->occ_dirty, &i));) {
    const muc_occupant *live = muc_index_by_nick(room, s->key);
    feed_occ *t =
        live && live->feed_told ? muc_map_get(&fr->occ_told, s->key) : NULL;
    if (!t)
      continue;
    uint64_t h = encode(room, live);
    if (h != t->hash && !tmp->oom)
      muc_feed_emit(room, MUC_FEED_OCC_PUT, tmp->data, tmp->len);
    t->hash = h;
  }
}

/* The untold end of the list, in order: put, each added last. */
static int tell_new(muc_room *room)
{
  muc_buf *tmp = &room->svc->feed->tmp;
  muc_occupant *o = room->last;
  while (o && !o->feed_told)
    o = o->prev;
  for (o = o ? o->next : room->first; o; o = o->next) {
    uint64_t h = encode(room, o);
    if (tmp->oom || add_told(room, o, h) != MUC_OK)
      return MUC_ERR_NOMEM;
    if (room->feed->told)
      muc_feed_emit(room, MUC_FEED_OCC_PUT, tmp->data, tmp->len);
  }
  return MUC_OK;
}

int muc_feed_occ_flush(muc_room *room, int whole)
{
  muc_service *svc = room->svc;
  struct muc_feed_room *fr = room->feed;
  int rc = MUC_OK;
  if (!fr->told) {
    /* the baseline: the room event holds every occupant */
    free_values(svc, &fr->occ_told);
    for (muc_occupant *o = room->first; o; o = o->next)
      o->feed_told = 0;
  } else if (whole) {
    rc = note_all(room);
  }
  if (rc == MUC_OK && fr->told) {
    tell_gone(room);
    tell_changed(room);
  }
  if (rc == MUC_OK)
    rc = tell_new(room);
  free_values(svc, &fr->occ_dirty);
  return rc;
}
