/* Creating a room by entering it (XEP-0045 §10.1): who may, how many
 * rooms one user may have created, the new room's first occupant. */
#ifndef MUC_CREATE_H
#define MUC_CREATE_H

#include "core.h"

/* The first presence |st| to a room that does not exist yet: create it
 * and make the sender its owner, or refuse. */
void muc_create_room(muc_service *svc, const mxml_node_t *st,
                     const muc_jid *from, const muc_jid *to);

#endif
