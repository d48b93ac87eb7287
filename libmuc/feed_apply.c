/* A replica applies another service's feed (docs/feed.md): each event,
 * checked as strictly as a snapshot, changes its room as the source's
 * changed. */
#include <string.h>

#include "call.h"
#include "feed.h"
#include "history.h"
#include "host_fields.h"
#include "occupant.h"
#include "room.h"
#include "room_extras.h"
#include "snapshot.h"
#include "store.h"
#include "tombstone.h"

typedef struct event {
  char *jid;
  uint64_t seq;
  unsigned kind;
  muc_snap_in body;
} event;

/* The frame: magic, version, room JID, number, kind; CRC-32 last. */
static int open_event(muc_service *svc, const char *data, size_t len, event *ev)
{
  if (!data || len < 13 || memcmp(data, MUC_FEED_MAGIC, 4) != 0)
    return MUC_ERR_STORAGE;
  muc_snap_in in = {(const unsigned char *)data + len - 4, 4, 0, 0};
  if (muc_snap_u32(&in) != muc_snap_crc(0, data, len - 4))
    return MUC_ERR_STORAGE;
  in.p = (const unsigned char *)data + 4;
  in.left = len - 8;
  uint32_t version = muc_snap_u32(&in);
  if (version < 1 || version > MUC_FEED_FORMAT)
    return MUC_ERR_STORAGE;
  int rc;
  if (!(ev->jid = muc_snap_str(svc, &in, &rc)))
    return rc;
  ev->seq = muc_snap_u64(&in);
  ev->kind = muc_snap_u8(&in);
  ev->body = in;
  if (version < 2 && ev->kind > MUC_FEED_GONE)
    return MUC_ERR_STORAGE; /* kinds of format 2 */
  return in.bad ? MUC_ERR_STORAGE : MUC_OK;
}

/* The room of |jid| here (NULL: none), |*node| its local part. */
static int room_of(muc_service *svc, const char *jid, muc_room **room)
{
  const char *at = strchr(jid, '@');
  *room = NULL;
  if (!at || strcmp(at + 1, svc->domain) != 0)
    return MUC_ERR_STORAGE;
  for (muc_room *r = svc->rfirst; r; r = r->next)
    if (strcmp(r->jid, jid) == 0)
      *room = r;
  return MUC_OK;
}

/* A whole room: a snapshot, replacing the room if there is one.  A
 * stored room keeps the snapshot's state, numbered 0: the source counts
 * from 1 again when it loads the room back (docs/feed.md). */
static int apply_room(muc_service *svc, muc_room *room, event *ev)
{
  muc_snap_in *b = &ev->body;
  uint32_t n = muc_snap_u32(b);
  if (b->bad || n != b->left)
    return MUC_ERR_STORAGE;
  muc_snap_in in;
  char *node = NULL;
  int rc = muc_snapshot_open((const char *)b->p, n, &in);
  if (rc == MUC_OK)
    rc = muc_snapshot_room_jid(svc, &in, &node);
  if (rc == MUC_OK && room)
    muc_room_free(room);
  muc_room *made = NULL;
  if (rc == MUC_OK)
    rc = muc_snapshot_build(svc, node, &in, &made);
  if (rc == MUC_OK &&
      (strcmp(made->jid, ev->jid) != 0 || made->feed_seq != ev->seq)) {
    muc_room_free(made);
    rc = MUC_ERR_STORAGE;
  } else if (rc == MUC_OK && ev->kind == MUC_FEED_STORED) {
    made->feed_seq = 0;
  }
  muc_mem_free(&svc->mem, node);
  return rc;
}

/* Keep the newest |keep| entries, then append the event's. */
static int apply_history(muc_room *room, muc_snap_in *b)
{
  uint32_t keep = muc_snap_u32(b), n = muc_snap_u32(b);
  size_t have = muc_history_count(room);
  if (b->bad || keep > have)
    return MUC_ERR_STORAGE;
  /* the newest |keep| stay: shrink the ring to them, then give it back
   * its length */
  if (muc_history_resize(room, keep) != MUC_OK ||
      muc_history_resize(room, room->cfg.history_length) != MUC_OK)
    return MUC_ERR_NOMEM;
  size_t bytes = room->hbytes;
  uint64_t last = 0;
  if (muc_history_count(room)) {
    const char *t;
    size_t l;
    muc_history_get(room, muc_history_count(room) - 1, &t, &l, &last);
  }
  for (uint32_t i = 0; i < n; i++) {
    muc_snap_in e;
    e.p = b->p;
    e.left = 0;
    e.bad = 0;
    /* each entry: u64 time, string text */
    const unsigned char *start = b->p;
    muc_snap_u64(b);
    uint32_t len = muc_snap_u32(b);
    if (b->bad || len > b->left)
      return MUC_ERR_STORAGE;
    b->p += len;
    b->left -= len;
    e.p = start;
    e.left = (size_t)(b->p - start);
    int rc = muc_snap_read_history(room, &e, &bytes, &last);
    if (rc != MUC_OK)
      return rc;
  }
  return b->left ? MUC_ERR_STORAGE : MUC_OK;
}

static void iqs_clear(muc_room *room)
{
  muc_service *svc = room->svc;
  for (size_t i = 0; room->iqs && i < MUC_MAX_PENDING_IQ; i++) {
    muc_iq_route *r = &room->iqs[i];
    muc_mem_free(&svc->mem, r->id);
    muc_mem_free(&svc->mem, r->orig);
    muc_mem_free(&svc->mem, r->sender);
    muc_mem_free(&svc->mem, r->target);
    memset(r, 0, sizeof(*r));
  }
  room->iq_next = 0;
}

/* An occupant, new (last) or in place of the one of its nick. */
static int apply_occupant(muc_room *room, muc_snap_in *b)
{
  muc_snap_in peek = *b;
  int rc;
  char *nick = muc_snap_str(room->svc, &peek, &rc);
  if (!nick)
    return rc;
  muc_occupant *old = muc_room_occupant_by_nick(room, nick);
  muc_mem_free(&room->svc->mem, nick);
  muc_occupant *before = old ? old->next : NULL, *occ;
  if (old)
    muc_snap_drop_occupant(room, old);
  if ((rc = muc_snap_read_occupant(room, b, &occ)) != MUC_OK || !before)
    return rc;
  /* back where the old one was: before |before| */
  room->last = occ->prev;
  occ->prev->next = NULL;
  occ->next = before;
  occ->prev = before->prev;
  if (before->prev)
    before->prev->next = occ;
  else
    room->first = occ;
  before->prev = occ;
  return MUC_OK;
}

static int apply_del(muc_room *room, muc_snap_in *b, int occupant)
{
  int rc;
  char *key = muc_snap_str(room->svc, b, &rc);
  if (!key)
    return rc;
  rc = MUC_ERR_STORAGE;
  muc_occupant *o = occupant ? muc_room_occupant_by_nick(room, key) : NULL;
  if (o) {
    muc_snap_drop_occupant(room, o);
    rc = MUC_OK;
  } else if (!occupant && muc_room_affil_entry(room, key)) {
    rc = muc_room_put_affiliation(room, key, MUC_AFFIL_NONE, 0, 0, NULL, NULL);
  }
  muc_mem_free(&room->svc->mem, key);
  return b->left ? MUC_ERR_STORAGE : rc;
}

static int apply_change(muc_room *room, event *ev)
{
  muc_snap_in *b = &ev->body;
  switch (ev->kind) {
  case MUC_FEED_HEAD:
    return muc_snap_read_room(room, b);
  case MUC_FEED_AFFIL_PUT:
    return muc_snap_read_affil(room, b);
  case MUC_FEED_AFFIL_DEL:
    return apply_del(room, b, 0);
  case MUC_FEED_OCC_PUT:
    return apply_occupant(room, b);
  case MUC_FEED_OCC_DEL:
    return apply_del(room, b, 1);
  case MUC_FEED_HISTORY:
    return apply_history(room, b);
  case MUC_FEED_IQS: {
    unsigned has = muc_snap_u8(b);
    iqs_clear(room);
    if (b->bad || has > 1)
      return MUC_ERR_STORAGE;
    return has ? muc_snap_read_iqs(room, b)
               : (b->left ? MUC_ERR_STORAGE : MUC_OK);
  }
  case MUC_FEED_HOSTFIELDS: {
    uint32_t n = muc_snap_u32(b);
    muc_host_fields_free(room);
    int rc = b->bad ? MUC_ERR_STORAGE : MUC_OK;
    for (uint32_t i = 0; rc == MUC_OK && i < n; i++)
      rc = muc_snap_read_hostfield(room, b);
    return rc == MUC_OK && b->left ? MUC_ERR_STORAGE : rc;
  }
  case MUC_FEED_EXTRAS:
    muc_extras_free(room);
    return muc_snap_read_extras(room, b);
  case MUC_FEED_GONE: {
    /* with a body: the tombstone the room left (tombstone.h) */
    muc_service *svc = room->svc;
    int rc = b->left ? muc_snap_read_tombstone(svc, room->node, b) : MUC_OK;
    /* gone; a bad tombstone leaves the room to the caller, who drops it */
    if (rc == MUC_OK)
      muc_room_free(room);
    return rc;
  }
  default:
    return MUC_ERR_STORAGE;
  }
}

int muc_feed_apply(muc_service *svc, const char *data, size_t len)
{
  event ev = {0};
  muc_room *room = NULL;
  int rc = open_event(svc, data, len, &ev);
  if (rc == MUC_OK)
    rc = room_of(svc, ev.jid, &room);
  if (rc == MUC_OK && room && room->loading)
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK && room && ev.seq <= room->feed_seq) {
    muc_mem_free(&svc->mem, ev.jid);
    return MUC_OK; /* told already (a snapshot after it) */
  }
  if (rc == MUC_OK &&
      (ev.kind == MUC_FEED_ROOM || ev.kind == MUC_FEED_STORED)) {
    rc = apply_room(svc, room, &ev);
  } else if (rc == MUC_OK) {
    if (!room || ev.seq != room->feed_seq + 1)
      rc = MUC_ERR_STORAGE; /* unknown here, or events are missing */
    else if ((rc = apply_change(room, &ev)) != MUC_OK ||
             (ev.kind != MUC_FEED_GONE && !muc_store_within_limits(room))) {
      /* part-way: the replica's room goes, a snapshot brings it back */
      muc_room_free(room);
      rc = rc == MUC_OK ? MUC_ERR_STORAGE : rc;
    } else if (ev.kind != MUC_FEED_GONE) {
      room->feed_seq = ev.seq;
      muc_feed_touch(room);
    }
  }
  muc_mem_free(&svc->mem, ev.jid);
  return rc;
}
