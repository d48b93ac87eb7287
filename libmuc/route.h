/* Routing: a stanza to the service, a room or an occupant; rooms that
 * are loading from the host's storage.  Called by the entry points of
 * service.c with the service's per-call state set up (begin). */
#ifndef MUC_ROUTE_H
#define MUC_ROUTE_H

#include "core.h"

/* Handle one stanza.  |may_load|: a room not in memory is asked of the
 * host (0 for stanzas replayed after a load).  Returns MUC_OK or a C
 * error (the XMPP errors were sent). */
int muc_route_stanza(muc_service *svc, const mxml_node_t *st, int may_load);
/* The room |node| is loading and the host answered: |data| NULL = absent.
 * Returns MUC_OK, MUC_ERR_STORAGE (invalid record) or another C error. */
int muc_route_loaded(muc_service *svc, muc_room *room, const char *data,
                     size_t len);
/* For an admin call: ask the host for the room |node| unless it is in
 * memory (or loading); nothing waits in it.  MUC_OK (asked: the answer
 * may have come already), MUC_ERR_LIMIT (max_rooms), MUC_ERR_NOMEM or
 * MUC_ERR_CALLBACK_FAILURE (load_room failed). */
int muc_route_load(muc_service *svc, const char *node);
/* Free |room| if nothing keeps it: empty and temporary, or destroyed. */
void muc_route_collect(muc_room *room);

#endif
