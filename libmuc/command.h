/* Ad-hoc commands (XEP-0050) on the service domain, for service
 * administrators: destroying rooms. */
#ifndef MUC_COMMAND_H
#define MUC_COMMAND_H

#include "core.h"

#define MUC_NODE_DESTROY "http://prosody.im/protocol/muc#destroy"

/* An <iq type='set'><command/></iq> to the service. */
void muc_command_execute(muc_service *svc, const mxml_node_t *st,
                         const muc_jid *from, const mxml_node_t *command);
/* The command list (disco#items node http://jabber.org/protocol/commands),
 * for administrators only. */
void muc_command_list(muc_service *svc, const mxml_node_t *st,
                      const muc_jid *from);

#endif
