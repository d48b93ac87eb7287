/* The muc#owner handler (XEP-0045 §10.1-§10.2, §10.9): the configuration
 * form sent and read, then applied by muc_op_configure; destruction by
 * muc_op_destroy. */
#ifndef MUC_OWNER_H
#define MUC_OWNER_H

#include "core.h"

void muc_owner_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query);

#endif
