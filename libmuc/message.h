/* The message handler (XEP-0045 §7.4, §7.5, §7.8, §7.13, §8.1): groupchat
 * messages and subject changes checked, then posted or applied as
 * operations (ops.h); private messages relayed; invitations, declines and
 * voice requests. */
#ifndef MUC_MESSAGE_H
#define MUC_MESSAGE_H

#include "core.h"

void muc_message_to_room(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from);
void muc_message_to_occupant(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const muc_jid *to);

#endif
