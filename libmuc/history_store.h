/* The discussion history in the persistent room record (store.c;
 * docs/room-record.md): written after the rest of the record, read back
 * and checked entry by entry, and the store that a message entering the
 * history of a persistent room causes (muc_config.store_history). */
#ifndef MUC_HISTORY_STORE_H
#define MUC_HISTORY_STORE_H

#include "core.h"

/* Append the <history/> element of |room| to |out| (nothing when the
 * history is empty or store_history is 0).  Records NOMEM in out->oom. */
void muc_history_store_write(const muc_room *room, muc_buf *out);

/* Load the <history/> element |h| of a record into the empty history of
 * |room|, whose history length is already the record's.  Every entry must
 * be a groupchat message of this room as the room keeps it (its delay
 * last, stamped with the entry's time), in time order, within the
 * service's limits (history length, max_history_bytes, nick and
 * structure limits).  MUC_OK (nothing done when store_history is 0),
 * MUC_ERR_STORAGE (invalid: what was loaded stays for the caller to free
 * with the room) or MUC_ERR_NOMEM. */
int muc_history_store_read(muc_room *room, const mxml_node_t *h);

#endif
