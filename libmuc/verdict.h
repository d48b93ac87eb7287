/* Privilege verdicts that need the room's state (rules layer): the pure
 * rules of affiliation.c applied to who is who in a room. */
#ifndef MUC_VERDICT_H
#define MUC_VERDICT_H

#include "affiliation.h"
#include "core.h"

/* The verdict on |actor| (a real full JID) giving the occupant |occ| the
 * role |role| (§8, §5.1.2). */
muc_verdict muc_verdict_set_role(const muc_room *room, const char *actor,
                                 const muc_occupant *occ, muc_role role);

#endif
