/* XEP-0313 for rooms: MAM queries to the room's bare JID answered from
 * the host's archive (muc_archive), one page at a time (XEP-0059). */
#ifndef MUC_MAM_H
#define MUC_MAM_H

#include "core.h"
#include "jid.h"

/* The iq |st| from |from| with the payload |q| (<query xmlns=
 * 'urn:xmpp:mam:2'/>): get, the query form; set, a query: its result
 * messages, then the iq result with <fin/>, or the error. */
void muc_mam_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                const mxml_node_t *q);

#endif
