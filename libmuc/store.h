/* The persistent room record given to store_room / room_loaded: libmuc's
 * own small XML document (configuration, subject, affiliations with
 * reserved nicks and reasons).  Occupants and history are not persisted. */
#ifndef MUC_STORE_H
#define MUC_STORE_H

#include "core.h"

#define MUC_NS_STORE "urn:libmuc:room:1"

/* Append the record of |room| to |out|.  MUC_OK or MUC_ERR_NOMEM. */
int muc_store_write(const muc_room *room, muc_buf *out);
/* Load a record into the empty |room|.  MUC_OK, MUC_ERR_STORAGE (not a
 * valid record; the room is left as it was) or MUC_ERR_NOMEM. */
int muc_store_read(muc_room *room, const char *data, size_t len);

#endif
