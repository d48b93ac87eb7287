/* Errors that occupants' sessions send to the room (bounce.c). */
#ifndef MUC_BOUNCE_H
#define MUC_BOUNCE_H

#include "core.h"

/* The error |st| (a presence or message of type error) came from |from|
 * to the room's bare JID (|nick| NULL) or to the occupant JID of |nick|.
 * When it reports a failed delivery of something the room sent (|from| is
 * an occupant's session, the address is one the room sends from: its own
 * or a nickname in use; for a message, a condition meaning the session
 * cannot be reached) the session is removed from the room, with status
 * 333 for the others when it was the occupant's last.  Anything else is
 * ignored: errors are never answered. */
void muc_bounce_received(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from, const char *nick);

#endif
