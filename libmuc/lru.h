/* The service's list of rooms that can be evicted (hibernation), most
 * recently used first: the back is the room idle longest, so the next
 * idle deadline and the victim at max_rooms are found in O(1), and a
 * stanza moves its room in O(1).  Only list operations: what may be on
 * the list is decided by hibernate.c. */
#ifndef MUC_LRU_H
#define MUC_LRU_H

#include "core.h"

/* Put |room| at the front, used at |now|. */
void muc_lru_push(muc_room *room, uint64_t now);
/* Take |room| off the list (nothing if it is not on it). */
void muc_lru_unlink(muc_room *room);

#endif
