/* The room's vCard (XEP-0054 on the room's bare JID, XEP-0486 avatars):
 * anyone gets it, its owners set it. */
#ifndef MUC_VCARD_H
#define MUC_VCARD_H

#include "core.h"

/* Answer the iq |st| of |from| whose payload is the <vCard/> |vcard|. */
void muc_vcard_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *vcard);

#endif
