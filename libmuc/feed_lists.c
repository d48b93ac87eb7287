/* The change feed's lists, occupants and affiliations (docs/feed.md): the
 * state layer notes the key (nick, bare JID) of each entry it changes,
 * and at the end of the call only those are compared with what the feed
 * told, so a join in a room of 10,000 costs one occupant's encoding, not
 * 10,000.
 *
 * The replica's list is the told one: entries marked |feed_told| are
 * where the replica has them; the others (added since, or left and come
 * back: leaving clears the mark) are all after them in the room's order,
 * since an entry is added at the end.  So the events are: the told keys
 * noted whose entry left or is a new one, gone; the told entries noted,
 * put in place where their encoding changed; the untold end of the list,
 * put (last) in order. */
#include <string.h>

#include "call.h"
#include "feed.h"
#include "feed_state.h"
#include "index.h"
#include "snapshot.h"

/* An entry the replica has. */
typedef struct feed_told {
  uint64_t hash; /* of its encoding as told */
  char key[];
} feed_told;

/* How the feed reads one kind of list. */
typedef struct list_ops {
  size_t keyed;      /* offsetof(struct muc_feed_room, the list's feed_keyed) */
  unsigned put, del; /* its event kinds */
  void *(*live)(const muc_room *room, const char *key); /* NULL: none */
  void *(*first)(const muc_room *room);
  void *(*last)(const muc_room *room);
  void *(*next)(const void *e);
  void *(*prev)(const void *e);
  uint8_t *(*told)(void *e);
  const char *(*key)(const void *e);
  void (*encode)(muc_buf *b, const void *e);
} list_ops;

static void *occ_live(const muc_room *room, const char *key)
{
  return muc_index_by_nick(room, key);
}
static void *occ_first(const muc_room *room)
{
  return room->first;
}
static void *occ_last(const muc_room *room)
{
  return room->last;
}
static void *occ_next(const void *e)
{
  return ((const muc_occupant *)e)->next;
}
static void *occ_prev(const void *e)
{
  return ((const muc_occupant *)e)->prev;
}
static uint8_t *occ_told(void *e)
{
  return &((muc_occupant *)e)->feed_told;
}
static const char *occ_key(const void *e)
{
  return ((const muc_occupant *)e)->nick;
}
static void occ_encode(muc_buf *b, const void *e)
{
  muc_snap_put_occupant(b, e);
}

static const list_ops occupants = {offsetof(struct muc_feed_room, occupants),
                                   MUC_FEED_OCC_PUT,
                                   MUC_FEED_OCC_DEL,
                                   occ_live,
                                   occ_first,
                                   occ_last,
                                   occ_next,
                                   occ_prev,
                                   occ_told,
                                   occ_key,
                                   occ_encode};

static void *affil_live(const muc_room *room, const char *key)
{
  return muc_index_affil(room, key);
}
static void *affil_first(const muc_room *room)
{
  return room->afirst;
}
static void *affil_last(const muc_room *room)
{
  return room->alast;
}
static void *affil_next(const void *e)
{
  return ((const muc_affil *)e)->next;
}
static void *affil_prev(const void *e)
{
  return ((const muc_affil *)e)->prev;
}
static uint8_t *affil_told(void *e)
{
  return &((muc_affil *)e)->feed_told;
}
static const char *affil_key(const void *e)
{
  return ((const muc_affil *)e)->jid;
}
static void affil_encode(muc_buf *b, const void *e)
{
  muc_snap_put_affil(b, e);
}

static const list_ops affils = {offsetof(struct muc_feed_room, affils),
                                MUC_FEED_AFFIL_PUT,
                                MUC_FEED_AFFIL_DEL,
                                affil_live,
                                affil_first,
                                affil_last,
                                affil_next,
                                affil_prev,
                                affil_told,
                                affil_key,
                                affil_encode};

static feed_keyed *keyed(const muc_room *room, const list_ops *ops)
{
  return (feed_keyed *)((char *)room->feed + ops->keyed);
}

static int note(muc_room *room, feed_keyed *k, const char *key)
{
  muc_service *svc = room->svc;
  if (muc_map_get(&k->dirty, key))
    return MUC_OK;
  char *copy = muc_mem_strdup(&svc->mem, key);
  if (!copy || muc_map_put(&svc->mem, &k->dirty, copy, copy) != MUC_OK) {
    muc_mem_free(&svc->mem, copy);
    return MUC_ERR_NOMEM;
  }
  return MUC_OK;
}

int muc_feed_note(muc_room *room, int affiliation, const char *key)
{
  return note(room, keyed(room, affiliation ? &affils : &occupants), key);
}

static void free_values(muc_service *svc, muc_map *map)
{
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(map, &i));)
    muc_mem_free(&svc->mem, s->value);
  muc_map_free(&svc->mem, map);
}

void muc_feed_lists_free(muc_service *svc, struct muc_feed_room *fr)
{
  free_values(svc, &fr->occupants.told);
  free_values(svc, &fr->occupants.dirty);
  free_values(svc, &fr->affils.told);
  free_values(svc, &fr->affils.dirty);
}

/* |e| encoded in the feed's |tmp|, and its hash. */
static uint64_t encode(muc_room *room, const list_ops *ops, const void *e)
{
  muc_buf *tmp = &room->svc->feed->tmp;
  muc_buf_reset(tmp);
  ops->encode(tmp, e);
  return muc_feed_hash(tmp->data, tmp->len);
}

/* |e| (untold) is now told, with |hash|: the replica adds it last. */
static int add_told(muc_room *room, const list_ops *ops, void *e, uint64_t hash)
{
  muc_service *svc = room->svc;
  feed_keyed *k = keyed(room, ops);
  const char *key = ops->key(e);
  size_t kl = strlen(key);
  feed_told *t = muc_mem_malloc(&svc->mem, sizeof(*t) + kl + 1);
  if (!t)
    return MUC_ERR_NOMEM;
  t->hash = hash;
  memcpy(t->key, key, kl + 1);
  feed_told *old = muc_map_get(&k->told, t->key);
  if (muc_map_put(&svc->mem, &k->told, t->key, t) != MUC_OK) {
    muc_mem_free(&svc->mem, t);
    return MUC_ERR_NOMEM;
  }
  muc_mem_free(&svc->mem, old); /* none unless its "gone" failed */
  *ops->told(e) = 1;
  return MUC_OK;
}

/* Every entry and every told key noted: a change not said of one entry
 * (a whole room marked, a replica applying an event). */
static int note_all(muc_room *room, const list_ops *ops)
{
  feed_keyed *k = keyed(room, ops);
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(&k->told, &i));)
    if (note(room, k, s->key) != MUC_OK)
      return MUC_ERR_NOMEM;
  for (void *e = ops->first(room); e; e = ops->next(e))
    if (note(room, k, ops->key(e)) != MUC_OK)
      return MUC_ERR_NOMEM;
  return MUC_OK;
}

/* The told keys noted whose entry left or is another now: gone. */
static void tell_gone(muc_room *room, const list_ops *ops)
{
  muc_service *svc = room->svc;
  feed_keyed *k = keyed(room, ops);
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(&k->dirty, &i));) {
    feed_told *t = muc_map_get(&k->told, s->key);
    void *live = ops->live(room, s->key);
    if (!t || (live && *ops->told(live)))
      continue;
    muc_feed_emit_str(room, ops->del, t->key);
    muc_map_del(&k->told, s->key);
    muc_mem_free(&svc->mem, t);
  }
}

/* The told entries noted: put in place where they changed. */
static void tell_changed(muc_room *room, const list_ops *ops)
{
  feed_keyed *k = keyed(room, ops);
  muc_buf *tmp = &room->svc->feed->tmp;
  size_t i = 0;
  for (muc_map_slot *s; (s = muc_map_next(&k->dirty, &i));) {
    void *live = ops->live(room, s->key);
    feed_told *t =
        live && *ops->told(live) ? muc_map_get(&k->told, s->key) : NULL;
    if (!t)
      continue;
    uint64_t h = encode(room, ops, live);
    if (h != t->hash && !tmp->oom)
      muc_feed_emit(room, ops->put, tmp->data, tmp->len);
    t->hash = h;
  }
}

/* The untold end of the list, in order: put, each added last. */
static int tell_new(muc_room *room, const list_ops *ops)
{
  muc_buf *tmp = &room->svc->feed->tmp;
  void *e = ops->last(room);
  while (e && !*ops->told(e))
    e = ops->prev(e);
  for (e = e ? ops->next(e) : ops->first(room); e; e = ops->next(e)) {
    uint64_t h = encode(room, ops, e);
    if (tmp->oom || add_told(room, ops, e, h) != MUC_OK)
      return MUC_ERR_NOMEM;
    if (room->feed->told)
      muc_feed_emit(room, ops->put, tmp->data, tmp->len);
  }
  return MUC_OK;
}

int muc_feed_list_flush(muc_room *room, int affiliation, int whole)
{
  muc_service *svc = room->svc;
  const list_ops *ops = affiliation ? &affils : &occupants;
  feed_keyed *k = keyed(room, ops);
  int rc = MUC_OK;
  if (!room->feed->told) {
    /* the baseline: the room event holds every entry */
    free_values(svc, &k->told);
    for (void *e = ops->first(room); e; e = ops->next(e))
      *ops->told(e) = 0;
  } else if (whole) {
    rc = note_all(room, ops);
  }
  if (rc == MUC_OK && room->feed->told) {
    tell_gone(room, ops);
    tell_changed(room, ops);
  }
  if (rc == MUC_OK)
    rc = tell_new(room, ops);
  free_values(svc, &k->dirty);
  return rc;
}
