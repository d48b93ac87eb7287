/* In-room registration (XEP-0045 §7.10, XEP-0077): reserving a nickname
 * with the muc#register form, and unregistering. */
#ifndef MUC_REGISTER_H
#define MUC_REGISTER_H

#include "core.h"

void muc_register_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const mxml_node_t *query);

#endif
