#include "lru.h"

void muc_lru_unlink(muc_room *room)
{
  if (!room->on_lru)
    return;
  muc_service *svc = room->svc;
  if (room->lru_prev)
    room->lru_prev->lru_next = room->lru_next;
  else
    svc->lru_first = room->lru_next;
  if (room->lru_next)
    room->lru_next->lru_prev = room->lru_prev;
  else
    svc->lru_last = room->lru_prev;
  room->lru_prev = room->lru_next = NULL;
  room->on_lru = 0;
}

void muc_lru_push(muc_room *room, uint64_t now)
{
  muc_lru_unlink(room);
  muc_service *svc = room->svc;
  room->last_used = now;
  room->lru_next = svc->lru_first;
  if (svc->lru_first)
    svc->lru_first->lru_prev = room;
  else
    svc->lru_last = room;
  svc->lru_first = room;
  room->on_lru = 1;
}
