/* The store of a room's record after a change (operations layer): the
 * persistence every operation triggers through store_room. */
#ifndef MUC_OP_STORE_H
#define MUC_OP_STORE_H

#include "core.h"

/* Persist the room through store_room: when persistent, its record; when
 * not persistent and |forced|, a deletion. */
void muc_room_save(muc_room *room, int forced);
/* The same after a message entered the history and nothing else changed:
 * the rest of the record is copied from what the room kept of it. */
void muc_room_save_history(muc_room *room);
/* A message has just entered the history of |room|: store the room when
 * that is asked for (store_history) and it has a record (muc_room_save
 * checks persistence and the store_room callback before writing
 * anything). */
void muc_history_store_changed(muc_room *room);

#endif
