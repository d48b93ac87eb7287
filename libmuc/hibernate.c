#include "hibernate.h"

#include "feed.h"
#include "limit.h"
#include "lru.h"
#include "room.h"
#include "roomlist.h"
#include "stanza.h"
#include "store.h"

static int enabled(const muc_service *svc)
{
  return svc->cb.store_room && svc->cb.load_room &&
         (svc->cfg.hibernate_idle_ms || svc->cfg.evict_at_max_rooms);
}

/* Its record holds all of it, and nothing waits on it in memory: no
 * occupant, no load or queued stanza, no lock timer (an unconfigured
 * room's lock is not in the record), no history the record leaves out. */
static int evictable(const muc_room *room)
{
  return room->cfg.persistent && !room->destroyed && !room->loading &&
         room->noccupants == 0 && room->npending == 0 && !room->heap_pos &&
         !room->locked_until &&
         (room->svc->cfg.store_history || room->hcount == 0);
}

void muc_hibernate_touch(muc_room *room)
{
  room->evict_tries = 0;
  if (enabled(room->svc) && evictable(room))
    muc_lru_push(room, room->svc->now);
  else
    muc_lru_unlink(room);
}

/* A failed eviction: the room stays as it was, to be tried again after
 * another idle time, MUC_HIBERNATE_TRIES times at most. */
static void keep(muc_room *room)
{
  if (!enabled(room->svc))
    return; /* not on the list: tried when asked again */
  if (++room->evict_tries < MUC_HIBERNATE_TRIES)
    muc_lru_push(room, room->svc->now);
  else
    muc_lru_unlink(room); /* until its next stanza */
}

/* Store |room| afresh, list it if public, free it.  1 if it is gone. */
static int evict(muc_room *room)
{
  muc_service *svc = room->svc;
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  int rc = muc_store_write_fresh(room, &b);
  if (rc == MUC_OK && svc->cb.store_room(room->jid, b.data, b.len, svc->ud))
    rc = MUC_ERR_STORAGE;
  muc_buf_free(&b);
  if (rc == MUC_OK)
    rc = muc_roomlist_keep(room);
  if (rc != MUC_OK) {
    muc_log(svc, MUC_LOG_ERROR, "evicting room %s failed", room->jid);
    muc_fail(svc, rc);
    keep(room);
    return 0;
  }
  muc_log(svc, MUC_LOG_DEBUG, "room %s evicted", room->jid);
  if (svc->feed)
    muc_feed_room_stored(room); /* it still exists: not "gone" */
  muc_room_free(room);
  return 1;
}

int muc_hibernate_make_room(muc_service *svc)
{
  if (!muc_limit_reached(svc, MUC_LIMIT_ROOMS, svc->nrooms))
    return 1;
  if (!svc->cfg.evict_at_max_rooms || !enabled(svc))
    return 0;
  /* a failed one goes to the front: the next try is another room, up to
   * MUC_HIBERNATE_TRIES of them, each tried once */
  const muc_room *failed = NULL;
  for (int tries = 0; tries < MUC_HIBERNATE_TRIES; tries++) {
    muc_room *victim = svc->lru_last;
    if (!victim || victim == failed)
      break;
    if (evict(victim))
      return 1;
    if (!failed)
      failed = victim;
  }
  return 0;
}

void muc_hibernate_expire(muc_service *svc)
{
  uint64_t idle = svc->cfg.hibernate_idle_ms;
  if (!idle)
    return;
  /* a failed eviction moves its room to the front, used now: not due */
  while (svc->lru_last && svc->lru_last->last_used + idle <= svc->now)
    evict(svc->lru_last);
}

int muc_hibernate_all(muc_service *svc)
{
  if (!svc->cb.store_room || !svc->cb.load_room)
    return MUC_OK;
  for (muc_room *room = svc->rfirst, *next; room; room = next) {
    next = room->next;
    if (evictable(room))
      evict(room);
  }
  return MUC_OK; /* failures are recorded (muc_fail) */
}

uint64_t muc_hibernate_deadline(const muc_service *svc)
{
  uint64_t idle = svc->cfg.hibernate_idle_ms;
  if (!idle || !svc->lru_last)
    return UINT64_MAX;
  return svc->lru_last->last_used + idle;
}
