/* Hibernation: rooms that lose nothing by it are stored and evicted from
 * memory when idle for muc_config.hibernate_idle_ms, or to make room at
 * max_rooms (evict_at_max_rooms); the next stanza loads them back through
 * load_room (route.c).  Which rooms may be evicted, and what a failing
 * store does: muc.h, "Hibernation". */
#ifndef MUC_HIBERNATE_H
#define MUC_HIBERNATE_H

#include "core.h"

/* A stanza (or a session's end) was handled by |room|, still in memory:
 * to the front of the list if it can be evicted, off it if not. */
void muc_hibernate_touch(muc_room *room);
/* A room is about to be made: at max_rooms, evict the least recently used
 * room that can be (evict_at_max_rooms).  1 if there is room for it now
 * (or was anyway), 0 if not. */
int muc_hibernate_make_room(muc_service *svc);
/* Evict every room idle hibernate_idle_ms by svc->now. */
void muc_hibernate_expire(muc_service *svc);
/* Evict every room that can be, whatever its idle time.  MUC_OK, or the
 * first failure (the rooms that failed stay). */
int muc_hibernate_all(muc_service *svc);
/* When the next room falls idle, UINT64_MAX if none will. */
uint64_t muc_hibernate_deadline(const muc_service *svc);

#endif
