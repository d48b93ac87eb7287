/* The persistent room record given to store_room / room_loaded: libmuc's
 * own small XML document (configuration, subject, affiliations with
 * reserved nicks and reasons, and the history: history_store.c).
 * Occupants are not persisted.  The format: docs/room-record.md. */
#ifndef MUC_STORE_H
#define MUC_STORE_H

#include "core.h"

#define MUC_NS_STORE "urn:libmuc:room:1"

/* store_write.c.  Append the record of |room| to |out|.  |for_history|:
 * only the history changed since the last record; its head (all but the
 * history) is then copied from what the room keeps, or written and kept.
 * Otherwise the record is written afresh and nothing is kept (a room
 * keeps a head only while messages come).  MUC_OK or MUC_ERR_NOMEM (then
 * |out| may hold part of a record: the caller drops it). */
int muc_store_write(muc_room *room, int for_history, muc_buf *out);
/* Append the record of |room| written afresh, nothing kept or used.  The
 * same bytes as muc_store_write.  MUC_OK or MUC_ERR_NOMEM. */
int muc_store_write_fresh(const muc_room *room, muc_buf *out);
/* The configuration, subject or affiliations of |room| are changing:
 * forget the head kept of its record (before anything that may call the
 * host, which may store the room from inside a callback). */
void muc_store_forget(muc_room *room);
/* Load a record into the empty |room|.  MUC_OK, MUC_ERR_STORAGE (not a
 * valid record; the room is left as it was) or MUC_ERR_NOMEM. */
int muc_store_read(muc_room *room, const char *data, size_t len);
/* Does |room| respect the service's text and count limits a record is
 * held to (a snapshot too)?  1 or 0. */
int muc_store_within_limits(const muc_room *room);
/* The record's unsigned decimal attribute |name| of |el|, at most |max|,
 * into *|out|: 0, 1 if absent (*|out| kept), -1 if invalid. */
int muc_store_get_num(const mxml_node_t *el, const char *name,
                      unsigned long long max, unsigned long long *out);

#endif
