/* The persistent room record given to store_room / room_loaded: libmuc's
 * own small XML document (configuration, subject, affiliations with
 * reserved nicks and reasons, and the history: history_store.c).
 * Occupants are not persisted.  The format: docs/room-record.md. */
#ifndef MUC_STORE_H
#define MUC_STORE_H

#include "core.h"

#define MUC_NS_STORE "urn:libmuc:room:1"

/* Append the record of |room| to |out|.  MUC_OK or MUC_ERR_NOMEM. */
int muc_store_write(const muc_room *room, muc_buf *out);
/* Load a record into the empty |room|.  MUC_OK, MUC_ERR_STORAGE (not a
 * valid record; the room is left as it was) or MUC_ERR_NOMEM. */
int muc_store_read(muc_room *room, const char *data, size_t len);
/* The record's unsigned decimal attribute |name| of |el|, at most |max|,
 * into *|out|: 0, 1 if absent (*|out| kept), -1 if invalid. */
int muc_store_get_num(const mxml_node_t *el, const char *name,
                      unsigned long long max, unsigned long long *out);

#endif
