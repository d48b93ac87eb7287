/* Sending to a room's occupants (operations layer, the bottom of it):
 * broadcasts and deliveries to every reachable session of an occupant. */
#ifndef MUC_OP_SEND_H
#define MUC_OP_SEND_H

#include "core.h"
#include "stanza.h"

/* Send |st| to every reachable session of every occupant whose role is at
 * least |min_role|; only 'to' changes between sends. */
void muc_room_broadcast(muc_room *room, mxml_node_t *st, muc_role min_role);
/* The same for a stanza already serialized into |w|. */
void muc_room_broadcast_wire(muc_room *room, muc_wire *w, muc_role min_role);
/* Send the serialized |w| to every reachable session of |occ|. */
void muc_room_wire_to_occupant(muc_room *room, const muc_occupant *occ,
                               muc_wire *w);
/* Send |st| to every reachable session of |occ|. */
void muc_room_send_to_occupant(muc_room *room, const muc_occupant *occ,
                               mxml_node_t *st);
/* Tell occupants the configuration changed (status codes 104, 170-174). */
void muc_room_announce_codes(muc_room *room, const int *codes, size_t n);

#endif
