/* Messages: groupchat, subject, private messages, invitations, history
 * (XEP-0045 §7.4, §7.5, §7.8, §7.2.15, §8.1). */
#ifndef MUC_MESSAGE_H
#define MUC_MESSAGE_H

#include "core.h"
#include "history.h"

void muc_message_to_room(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from);
void muc_message_to_occupant(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const muc_jid *to);
/* The subject message (always sent on join, empty if none, §7.2.15). */
void muc_message_send_subject(muc_room *room, const char *to);
/* Change the subject as |from| (an occupant JID or the room JID) and tell
 * every occupant.  |subject| NULL or "" clears it.  |id| (may be NULL) is
 * the id of the message that asked for the change. */
void muc_message_set_subject(muc_room *room, const char *from,
                             const char *subject, const char *id);

#endif
