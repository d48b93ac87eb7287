/* The muc#admin handler (XEP-0045 §8, §9): role and affiliation changes
 * read, checked whole and applied as operations (ops.h); the lists. */
#ifndef MUC_ADMIN_H
#define MUC_ADMIN_H

#include "core.h"

/* An affiliation item of a muc#admin request from the host (the admin
 * API; no privilege check): the stored nick and reason kept or replaced
 * as for the item (a ban drops the nick), the change made by
 * muc_op_set_affiliation, and a user admitted into a members-only room
 * invited (§9.3). */
void muc_admin_item_affiliation(muc_room *room, const char *jid,
                                muc_affiliation aff, const char *reason);

void muc_admin_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query);

#endif
