/* Routing inside a room (routing layer): a stanza addressed to a room or
 * to one of its occupants goes to its handler; queries between occupants
 * are forwarded and their answers routed back (§17.4). */
#ifndef MUC_ROOM_ROUTE_H
#define MUC_ROOM_ROUTE_H

#include "core.h"

/* Handle a stanza addressed to the room or one of its occupants. */
void muc_room_handle(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const muc_jid *to);

#endif
