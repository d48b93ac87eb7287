/* The change feed: what changed in a room during a call, found by
 * comparing each part's snapshot encoding with a hash of what the feed
 * last told (docs/feed.md), and sent as events at the end of the call. */
#include "feed.h"

#include "call.h"
#include "feed_state.h"
#include "history.h"
#include "snapshot.h"
#include "tombstone.h"

static void room_state_free(muc_service *svc, struct muc_feed_room *fr)
{
  muc_feed_lists_free(svc, fr);
  muc_mem_free(&svc->mem, fr);
}

/* Grow |*p| (|*cap| items of |size|) to hold |n|.  0 or -1 (NOMEM). */
static int reserve(muc_service *svc, void **p, size_t *cap, size_t n,
                   size_t size)
{
  if (n <= *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 8;
  void *q = muc_mem_realloc(&svc->mem, *p, c * size);
  if (!q)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

void muc_feed_mark(muc_room *room, unsigned parts)
{
  muc_service *svc = room->svc;
  muc_feed *f = svc->feed;
  if (!room->feed &&
      !(room->feed = muc_mem_calloc(&svc->mem, 1, sizeof(*room->feed)))) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (room->feed->dirty) {
    room->feed->dirty |= parts;
    return;
  }
  if (reserve(svc, (void **)&f->dirty, &f->dcap, f->ndirty + 1,
              sizeof(*f->dirty))) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  f->dirty[f->ndirty++] = room;
  room->feed->dirty = parts;
}

void muc_feed_mark_entry(muc_room *room, int affiliation, const char *key)
{
  muc_feed_mark(room,
                affiliation ? MUC_FEED_PART_AFFIL : MUC_FEED_PART_OCCUPANT);
  if (room->feed && muc_feed_note(room, affiliation, key) != MUC_OK)
    muc_fail(room->svc, MUC_ERR_NOMEM);
}

/* ---- comparing -------------------------------------------------------------
 */

/* The room section's hash, leaving out the feed's number and the id
 * counter (they change without the room changing); the body in |tmp|
 * carries the number the event would have. */
static uint64_t head_hash(muc_room *room, muc_buf *tmp)
{
  muc_buf_reset(tmp);
  room->feed_seq++;
  muc_snap_put_room(tmp, room);
  room->feed_seq--;
  size_t skip = 4 + strlen(room->jid); /* then u64 seq, u64 idc */
  if (tmp->oom || tmp->len < skip + 16)
    return 0;
  return muc_feed_hash(tmp->data, skip) ^
         muc_feed_hash(tmp->data + skip + 16, tmp->len - skip - 16) * 31;
}

/* The history: every entry is kept at the end of the ring (history.c
 * counts them in |feed_appended|), and only the oldest ever go; so the
 * ring is the told entries less some of the oldest, then the newest
 * |feed_appended| (those that stayed). */
static void flush_history(muc_room *room)
{
  muc_service *svc = room->svc;
  struct muc_feed_room *fr = room->feed;
  size_t n = muc_history_count(room);
  size_t added = room->feed_appended < n ? room->feed_appended : n;
  size_t keep = n - added;
  room->feed_appended = 0;
  if (keep > fr->nhistory) /* cannot be; if it were, all of it again */
    keep = 0;
  if (fr->told && (added || keep != fr->nhistory)) {
    muc_buf *t = &svc->feed->tmp;
    muc_buf_reset(t);
    muc_snap_put_u32(t, (uint32_t)keep);
    muc_snap_put_u32(t, (uint32_t)(n - keep));
    for (size_t i = keep; i < n; i++)
      muc_snap_put_history(t, room, i);
    if (t->oom)
      muc_fail(svc, MUC_ERR_NOMEM);
    else
      muc_feed_emit(room, MUC_FEED_HISTORY, t->data, t->len);
  }
  fr->nhistory = n;
}

static uint64_t iqs_hash(const muc_room *room, muc_buf *tmp)
{
  muc_buf_reset(tmp);
  muc_snap_put_u8(tmp, (unsigned)muc_snap_has_iqs(room));
  if (muc_snap_has_iqs(room))
    muc_snap_put_iqs(tmp, room);
  return muc_feed_hash(tmp->data, tmp->len);
}

static void flush_room(muc_room *room)
{
  muc_service *svc = room->svc;
  muc_feed *f = svc->feed;
  struct muc_feed_room *fr = room->feed;
  if (!fr->told) {
    uint64_t seq = ++room->feed_seq;
    muc_buf_reset(&f->tmp);
    muc_snapshot_write(room, &f->tmp);
    muc_feed_ev_start(f, room->jid, seq, MUC_FEED_ROOM);
    muc_snap_put_bytes(&f->ev, f->tmp.data, f->tmp.len);
    muc_feed_ev_send(svc, room->jid, seq);
  }
  /* the first time every part is the baseline */
  unsigned parts = fr->told ? fr->dirty : MUC_FEED_PART_ALL;
  fr->dirty = 0;
  uint64_t h;
  if (parts & MUC_FEED_PART_HEAD) {
    h = head_hash(room, &f->tmp);
    if (fr->told && h != fr->head)
      muc_feed_emit(room, MUC_FEED_HEAD, f->tmp.data, f->tmp.len);
    fr->head = h;
  }
  unsigned occupants = MUC_FEED_PART_OCCUPANTS | MUC_FEED_PART_OCCUPANT;
  unsigned affiliations = MUC_FEED_PART_AFFILS | MUC_FEED_PART_AFFIL;
  if (((parts & affiliations) &&
       muc_feed_list_flush(room, 1, (parts & MUC_FEED_PART_AFFILS) != 0) !=
           MUC_OK) ||
      ((parts & occupants) &&
       muc_feed_list_flush(room, 0, (parts & MUC_FEED_PART_OCCUPANTS) != 0) !=
           MUC_OK)) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (parts & MUC_FEED_PART_HISTORY)
    flush_history(room);
  if (parts & MUC_FEED_PART_IQS) {
    h = iqs_hash(room, &f->tmp);
    if (fr->told && h != fr->iqs)
      muc_feed_emit(room, MUC_FEED_IQS, f->tmp.data, f->tmp.len);
    fr->iqs = h;
  }
  if (parts & MUC_FEED_PART_HOSTFIELDS) {
    muc_buf_reset(&f->tmp);
    muc_snap_put_hostfields(&f->tmp, room);
    h = muc_feed_hash(f->tmp.data, f->tmp.len);
    if (fr->told && h != fr->hostfields && !f->tmp.oom)
      muc_feed_emit(room, MUC_FEED_HOSTFIELDS, f->tmp.data, f->tmp.len);
    fr->hostfields = h;
  }
  if (parts & MUC_FEED_PART_EXTRAS) {
    muc_buf_reset(&f->tmp);
    muc_snap_put_extras(&f->tmp, room);
    h = muc_feed_hash(f->tmp.data, f->tmp.len);
    if (fr->told && h != fr->extras && !f->tmp.oom)
      muc_feed_emit(room, MUC_FEED_EXTRAS, f->tmp.data, f->tmp.len);
    fr->extras = h;
  }
  fr->told = 1;
}

/* A room still loading is not told (its first event comes when it is
 * loaded): what was noted of it is dropped. */
static void skip_room(muc_room *room)
{
  room->feed->dirty = 0;
  room->feed_appended = 0;
  if (!room->feed->told)
    muc_feed_lists_free(room->svc, room->feed);
}

void muc_feed_flush(muc_service *svc)
{
  muc_feed *f = svc->feed;
  if (!f)
    return;
  for (size_t i = 0; i < f->ngone; i++) {
    feed_gone *g = &f->gone[i];
    muc_feed_ev_start(f, g->jid, g->seq,
                      g->snap ? MUC_FEED_STORED : MUC_FEED_GONE);
    if (g->snap)
      muc_snap_put_bytes(&f->ev, g->snap, g->snap_len);
    else if (svc->tombstones && muc_tombstone_of_jid(svc, g->jid))
      /* destroyed with a tombstone: the event carries it (docs/feed.md) */
      muc_snap_put_tombstone(&f->ev, muc_tombstone_of_jid(svc, g->jid));
    muc_feed_ev_send(svc, g->jid, g->seq);
    muc_mem_free(&svc->mem, g->jid);
    muc_mem_free(&svc->mem, g->snap);
  }
  f->ngone = 0;
  for (size_t i = 0; i < f->ndirty; i++)
    if (f->dirty[i] && !f->dirty[i]->loading)
      flush_room(f->dirty[i]);
    else if (f->dirty[i])
      skip_room(f->dirty[i]);
  f->ndirty = 0;
}

/* |room| leaves memory: its last event (|snap|, owned: stored; NULL:
 * gone) waits for the end of the call. */
static void leave(muc_room *room, char *snap, size_t snap_len)
{
  muc_service *svc = room->svc;
  muc_feed *f = svc->feed;
  struct muc_feed_room *fr = room->feed;
  room->feed = NULL;
  for (size_t i = 0; f && fr->dirty && i < f->ndirty; i++)
    if (f->dirty[i] == room)
      f->dirty[i] = NULL;
  char *jid = f && fr->told ? muc_mem_strdup(&svc->mem, room->jid) : NULL;
  if (f && fr->told &&
      (!jid || reserve(svc, (void **)&f->gone, &f->gcap, f->ngone + 1,
                       sizeof(*f->gone)))) {
    muc_mem_free(&svc->mem, jid);
    muc_fail(svc, MUC_ERR_NOMEM);
  } else if (jid) {
    f->gone[f->ngone++] = (feed_gone){jid, room->feed_seq + 1, snap, snap_len};
    snap = NULL;
  }
  muc_mem_free(&svc->mem, snap);
  room_state_free(svc, fr);
}

void muc_feed_room_gone(muc_room *room)
{
  if (room->feed)
    leave(room, NULL, 0);
}

void muc_feed_room_stored(muc_room *room)
{
  muc_service *svc = room->svc;
  if (!svc->feed || !room->feed || !room->feed->told) {
    if (room->feed)
      leave(room, NULL, 0); /* never told: nothing to say */
    return;
  }
  /* the room as stored, numbered as the event (its last number) */
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  room->feed_seq++;
  int rc = muc_snapshot_write(room, &b);
  room->feed_seq--;
  char *snap = rc == MUC_OK ? muc_mem_malloc(&svc->mem, b.len) : NULL;
  size_t len = b.len;
  if (snap)
    memcpy(snap, b.data, len);
  muc_buf_free(&b);
  if (!snap)
    muc_fail(svc, MUC_ERR_NOMEM); /* told as gone: the replica drops it */
  leave(room, snap, len);
}

void muc_feed_free(muc_service *svc)
{
  muc_feed *f = svc->feed;
  if (!f)
    return;
  for (size_t i = 0; i < f->ngone; i++) {
    muc_mem_free(&svc->mem, f->gone[i].jid);
    muc_mem_free(&svc->mem, f->gone[i].snap);
  }
  muc_mem_free(&svc->mem, f->gone);
  muc_mem_free(&svc->mem, f->dirty);
  muc_buf_free(&f->ev);
  muc_buf_free(&f->tmp);
  muc_mem_free(&svc->mem, f);
  svc->feed = NULL;
}

int muc_service_set_feed(muc_service *svc, int version, muc_feed_fn fn,
                         void *user_data)
{
  if (!svc || version != MUC_FEED_V1)
    return MUC_ERR_INVALID_ARG;
  if (svc->depth)
    return MUC_ERR_IN_CALLBACK;
  for (muc_room *r = svc->rfirst; r; r = r->next)
    if (r->feed) {
      room_state_free(svc, r->feed);
      r->feed = NULL;
    }
  muc_feed_free(svc);
  if (!fn)
    return MUC_OK;
  muc_feed *f = muc_mem_calloc(&svc->mem, 1, sizeof(*f));
  if (!f)
    return MUC_ERR_NOMEM;
  f->fn = fn;
  f->ud = user_data;
  muc_buf_init(&f->ev, &svc->mem);
  muc_buf_init(&f->tmp, &svc->mem);
  svc->feed = f;
  return MUC_OK;
}
