/* The service's timers: a binary min-heap of rooms by deadline, so that
 * the next deadline is O(1) and setting, clearing or expiring one is
 * O(log rooms).  Today a room's only timer is the lock of an unconfigured
 * room (its locked_until). */
#ifndef MUC_TIMER_H
#define MUC_TIMER_H

#include <stdint.h>

#include "core.h"

/* Set |room|'s deadline to |at| (0: no timer).  MUC_OK or MUC_ERR_NOMEM
 * (recorded; the room then keeps no timer). */
int muc_timer_set(muc_service *svc, muc_room *room, uint64_t at);
/* The earliest deadline, UINT64_MAX if none. */
uint64_t muc_timer_next(const muc_service *svc);
/* The room with the earliest deadline if it is at or before |now|, taken
 * off the heap; NULL if none is due. */
muc_room *muc_timer_pop_due(muc_service *svc, uint64_t now);
void muc_timer_free(muc_service *svc);

#endif
