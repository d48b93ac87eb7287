/* The change feed: what changed in a room during a call, found by
 * comparing each part's snapshot encoding with a hash of what the feed
 * last told (docs/feed.md), and sent as events at the end of the call. */
#include "feed.h"

#include <string.h>

#include "call.h"
#include "history.h"
#include "snapshot.h"

typedef struct feed_item {
  char *key;       /* nick or bare JID (owned) */
  uint64_t hash;   /* of its encoding */
  size_t off, len; /* while diffing: its encoding in the feed's |tmp| */
} feed_item;

typedef struct feed_list {
  feed_item *items;
  size_t n;
} feed_list;

/* What the feed last told of a room. */
struct muc_feed_room {
  int told;       /* its "room" event went out */
  unsigned dirty; /* the parts to compare (MUC_FEED_PART_*); nonzero: in
                     the feed's list of rooms to compare */
  uint64_t head, iqs, hostfields;
  feed_list affils, occupants;
  uint64_t *history; /* hash of each entry, oldest first */
  size_t nhistory;
};

/* A room that left memory: destroyed (gone), or evicted (stored, with
 * the snapshot of it as stored). */
typedef struct feed_gone {
  char *jid;
  uint64_t seq;
  char *snap; /* NULL: gone; else stored (owned) */
  size_t snap_len;
} feed_gone;

typedef struct muc_feed {
  muc_feed_fn fn;
  void *ud;
  muc_room **dirty;
  size_t ndirty, dcap;
  feed_gone *gone;
  size_t ngone, gcap;
  muc_buf ev;  /* the event being written */
  muc_buf tmp; /* encodings being compared */
} muc_feed;

static uint64_t hash_of(const char *s, size_t n)
{
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
  return h;
}

static void list_free(muc_service *svc, feed_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    muc_mem_free(&svc->mem, l->items[i].key);
  muc_mem_free(&svc->mem, l->items);
  l->items = NULL;
  l->n = 0;
}

static void room_state_free(muc_service *svc, struct muc_feed_room *fr)
{
  list_free(svc, &fr->affils);
  list_free(svc, &fr->occupants);
  muc_mem_free(&svc->mem, fr->history);
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

/* ---- events -------------------------------------------------------------- */

/* Start event |kind| of |room| (its next number) in the feed's buffer. */
static void ev_start(muc_feed *f, const char *jid, uint64_t seq, unsigned kind)
{
  muc_buf_reset(&f->ev);
  muc_buf_append(&f->ev, MUC_FEED_MAGIC, 4);
  muc_snap_put_u32(&f->ev, MUC_FEED_FORMAT);
  muc_snap_put_str(&f->ev, jid);
  muc_snap_put_u64(&f->ev, seq);
  muc_snap_put_u8(&f->ev, kind);
}

static void ev_send(muc_service *svc, const char *jid, uint64_t seq)
{
  muc_feed *f = svc->feed;
  muc_snap_put_u32(&f->ev, muc_snap_crc(0, f->ev.data, f->ev.len));
  if (f->ev.oom) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  f->fn(jid, seq, f->ev.data, f->ev.len, f->ud);
}

/* An event of |room| whose body is |body|/|len|. */
static void emit(muc_room *room, unsigned kind, const char *body, size_t len)
{
  muc_feed *f = room->svc->feed;
  uint64_t seq = ++room->feed_seq;
  ev_start(f, room->jid, seq, kind);
  muc_buf_append(&f->ev, body, len);
  ev_send(room->svc, room->jid, seq);
}

/* An event whose body is the string |s|. */
static void emit_str(muc_room *room, unsigned kind, const char *s)
{
  muc_feed *f = room->svc->feed;
  uint64_t seq = ++room->feed_seq;
  ev_start(f, room->jid, seq, kind);
  muc_snap_put_str(&f->ev, s);
  ev_send(room->svc, room->jid, seq);
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
  return hash_of(tmp->data, skip) ^
         hash_of(tmp->data + skip + 16, tmp->len - skip - 16) * 31;
}

/* The live list of |room|'s affiliations (|occupants| 0) or occupants,
 * each encoded into |tmp|.  MUC_OK or NOMEM. */
static int live_list(muc_room *room, int occupants, muc_buf *tmp,
                     feed_list *out)
{
  muc_service *svc = room->svc;
  size_t n = occupants ? room->noccupants : room->naffils, i = 0;
  out->n = 0;
  if (!n)
    return MUC_OK;
  if (!(out->items = muc_mem_calloc(&svc->mem, n, sizeof(*out->items))))
    return MUC_ERR_NOMEM;
  muc_buf_reset(tmp);
  const muc_affil *a = room->afirst;
  const muc_occupant *o = room->first;
  for (; i < n && (occupants ? o != NULL : a != NULL); i++) {
    feed_item *it = &out->items[i];
    it->off = tmp->len;
    if (occupants)
      muc_snap_put_occupant(tmp, o);
    else
      muc_snap_put_affil(tmp, a);
    it->len = tmp->len - it->off;
    it->key = muc_mem_strdup(&svc->mem, occupants ? o->nick : a->jid);
    out->n = i + 1;
    if (!it->key || tmp->oom)
      return MUC_ERR_NOMEM;
    it->hash = hash_of(tmp->data + it->off, it->len);
    if (occupants)
      o = o->next;
    else
      a = a->next;
  }
  return MUC_OK;
}

/* Index of the item keyed |key| in |l| from |from| on, or l->n. */
static size_t find(const feed_list *l, size_t from, const char *key)
{
  for (size_t i = from; i < l->n; i++)
    if (strcmp(l->items[i].key, key) == 0)
      return i;
  return l->n;
}

/* The events that turn |old| into |now| (keyed, ordered): removals, then
 * changes in place and additions at the end; a change of order removes
 * the rest and adds it again in the new order. */
static void diff_list(muc_room *room, const feed_list *old,
                      const feed_list *now, const muc_buf *tmp, unsigned put,
                      unsigned del)
{
  size_t same = 0;
  while (same < old->n && same < now->n &&
         strcmp(old->items[same].key, now->items[same].key) == 0)
    same++;
  /* the usual change: the same entries in the same order, some changed,
   * perhaps some added at the end */
  if (same == old->n) {
    for (size_t i = 0; i < now->n; i++)
      if (i >= old->n || old->items[i].hash != now->items[i].hash)
        emit(room, put, tmp->data + now->items[i].off, now->items[i].len);
    return;
  }
  size_t j = 0, kept = 0;
  for (size_t i = 0; i < old->n; i++)
    if (find(now, 0, old->items[i].key) == now->n)
      emit_str(room, del, old->items[i].key);
    else
      kept++;
  int broken = 0;
  for (size_t i = 0; i < now->n; i++) {
    const feed_item *it = &now->items[i];
    while (!broken && j < old->n && find(now, 0, old->items[j].key) == now->n)
      j++; /* removed above */
    size_t at = old->n ? find(old, 0, it->key) : old->n;
    if (!broken && at == j && j < old->n) {
      if (old->items[j].hash != it->hash)
        emit(room, put, tmp->data + it->off, it->len);
      j++;
      continue;
    }
    if (!broken && at == old->n && j == old->n) {
      emit(room, put, tmp->data + it->off, it->len); /* a new one, last */
      continue;
    }
    if (!broken) { /* the order changed: the rest goes and comes again */
      broken = 1;
      for (size_t k = j; k < old->n; k++)
        if (find(now, 0, old->items[k].key) != now->n)
          emit_str(room, del, old->items[k].key);
    }
    emit(room, put, tmp->data + it->off, it->len);
  }
  (void)kept;
}

/* Compare one list and keep the live one as what was told. */
static int flush_list(muc_room *room, int occupants)
{
  muc_service *svc = room->svc;
  muc_feed *f = svc->feed;
  feed_list now = {0};
  int rc = live_list(room, occupants, &f->tmp, &now);
  feed_list *old = occupants ? &room->feed->occupants : &room->feed->affils;
  if (rc == MUC_OK && room->feed->told)
    diff_list(room, old, &now, &f->tmp,
              occupants ? MUC_FEED_OCC_PUT : MUC_FEED_AFFIL_PUT,
              occupants ? MUC_FEED_OCC_DEL : MUC_FEED_AFFIL_DEL);
  list_free(svc, old);
  *old = now;
  return rc;
}

static uint64_t entry_hash(const muc_room *room, size_t i)
{
  const char *text;
  size_t len;
  uint64_t ts;
  muc_history_get(room, i, &text, &len, &ts);
  return hash_of(text, len) ^ ts;
}

/* The history: the live ring starts with the newest |keep| entries told,
 * the rest is new. */
static int flush_history(muc_room *room)
{
  muc_service *svc = room->svc;
  struct muc_feed_room *fr = room->feed;
  size_t n = muc_history_count(room), keep = 0;
  uint64_t *now = n ? muc_mem_malloc(&svc->mem, n * sizeof(*now)) : NULL;
  if (n && !now)
    return MUC_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    now[i] = entry_hash(room, i);
  for (size_t m = 0; m < fr->nhistory; m++) {
    size_t k = fr->nhistory - m;
    if (k <= n && memcmp(fr->history + m, now, k * sizeof(*now)) == 0) {
      keep = k;
      break;
    }
  }
  if (fr->told && (keep != fr->nhistory || keep != n)) {
    muc_buf *t = &svc->feed->tmp;
    muc_buf_reset(t);
    muc_snap_put_u32(t, (uint32_t)keep);
    muc_snap_put_u32(t, (uint32_t)(n - keep));
    for (size_t i = keep; i < n; i++)
      muc_snap_put_history(t, room, i);
    if (t->oom)
      muc_fail(svc, MUC_ERR_NOMEM);
    else
      emit(room, MUC_FEED_HISTORY, t->data, t->len);
  }
  muc_mem_free(&svc->mem, fr->history);
  fr->history = now;
  fr->nhistory = n;
  return MUC_OK;
}

static uint64_t iqs_hash(const muc_room *room, muc_buf *tmp)
{
  muc_buf_reset(tmp);
  muc_snap_put_u8(tmp, (unsigned)muc_snap_has_iqs(room));
  if (muc_snap_has_iqs(room))
    muc_snap_put_iqs(tmp, room);
  return hash_of(tmp->data, tmp->len);
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
    ev_start(f, room->jid, seq, MUC_FEED_ROOM);
    muc_snap_put_bytes(&f->ev, f->tmp.data, f->tmp.len);
    ev_send(svc, room->jid, seq);
  }
  /* the first time every part is the baseline */
  unsigned parts = fr->told ? fr->dirty : MUC_FEED_PART_ALL;
  fr->dirty = 0;
  uint64_t h;
  if (parts & MUC_FEED_PART_HEAD) {
    h = head_hash(room, &f->tmp);
    if (fr->told && h != fr->head)
      emit(room, MUC_FEED_HEAD, f->tmp.data, f->tmp.len);
    fr->head = h;
  }
  if (((parts & MUC_FEED_PART_AFFILS) && flush_list(room, 0) != MUC_OK) ||
      ((parts & MUC_FEED_PART_OCCUPANTS) && flush_list(room, 1) != MUC_OK) ||
      ((parts & MUC_FEED_PART_HISTORY) && flush_history(room) != MUC_OK)) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (parts & MUC_FEED_PART_IQS) {
    h = iqs_hash(room, &f->tmp);
    if (fr->told && h != fr->iqs)
      emit(room, MUC_FEED_IQS, f->tmp.data, f->tmp.len);
    fr->iqs = h;
  }
  if (parts & MUC_FEED_PART_HOSTFIELDS) {
    muc_buf_reset(&f->tmp);
    muc_snap_put_hostfields(&f->tmp, room);
    h = hash_of(f->tmp.data, f->tmp.len);
    if (fr->told && h != fr->hostfields && !f->tmp.oom)
      emit(room, MUC_FEED_HOSTFIELDS, f->tmp.data, f->tmp.len);
    fr->hostfields = h;
  }
  fr->told = 1;
}

void muc_feed_flush(muc_service *svc)
{
  muc_feed *f = svc->feed;
  if (!f)
    return;
  for (size_t i = 0; i < f->ngone; i++) {
    feed_gone *g = &f->gone[i];
    ev_start(f, g->jid, g->seq, g->snap ? MUC_FEED_STORED : MUC_FEED_GONE);
    if (g->snap)
      muc_snap_put_bytes(&f->ev, g->snap, g->snap_len);
    ev_send(svc, g->jid, g->seq);
    muc_mem_free(&svc->mem, g->jid);
    muc_mem_free(&svc->mem, g->snap);
  }
  f->ngone = 0;
  for (size_t i = 0; i < f->ndirty; i++)
    if (f->dirty[i] && !f->dirty[i]->loading)
      flush_room(f->dirty[i]);
    else if (f->dirty[i])
      f->dirty[i]->feed->dirty = 0;
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
