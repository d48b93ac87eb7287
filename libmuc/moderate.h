/* XEP-0425: a moderator retracts a message of the room. */
#ifndef MUC_MODERATE_H
#define MUC_MODERATE_H

#include "core.h"
#include "jid.h"

/* The iq |st| from |from| with the payload |q| (<moderate xmlns=
 * 'urn:xmpp:message-moderate:1'/>): the message it names is retracted
 * (op_retract.c) and the iq answered, or refused. */
void muc_moderate_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const mxml_node_t *q);

#endif
