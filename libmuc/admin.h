/* The muc#admin handler (XEP-0045 §8, §9): role and affiliation changes
 * read, checked whole and applied as operations (ops.h); the lists. */
#ifndef MUC_ADMIN_H
#define MUC_ADMIN_H

#include "core.h"

void muc_admin_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query);

#endif
