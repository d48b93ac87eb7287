/* The presence handler: presences to a room or an occupant JID, parsed
 * and checked (entry.c), then joins, departures, nick changes and
 * updates as operations (op_occupancy.c), probes answered (XEP-0045
 * §7.1-§7.7, §7.14). */
#ifndef MUC_PRESENCE_H
#define MUC_PRESENCE_H

#include "core.h"
#include "op_presence.h"

/* Presence to room@service/nick. */
void muc_presence_to_occupant(muc_room *room, const mxml_node_t *st,
                              const muc_jid *from, const muc_jid *to);
/* Presence to the bare room JID (clients that address the room instead of
 * their nick): handled as sent to their current nick. */
void muc_presence_to_room(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const muc_jid *to);

#endif
