/* XEP-0317 hats through ad-hoc commands (XEP-0050) on the room's JID:
 * owners and admins define hats (create, destroy, list) and put them on
 * bare JIDs (assign, unassign, list-assigned). */
#ifndef MUC_HATS_COMMAND_H
#define MUC_HATS_COMMAND_H

#include "core.h"

#define MUC_NODE_HATS "urn:xmpp:hats:commands"

/* disco#items of the room's commands node: the hats commands for those
 * who may run them, none for others. */
void muc_hats_command_list(muc_room *room, const mxml_node_t *st,
                           const muc_jid *from);
/* Run the <command/> |command| of the iq set |st| from |from|. */
void muc_hats_command(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, const mxml_node_t *command);

#endif
