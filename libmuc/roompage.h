/* The service's room list, paged (XEP-0059): roompage.c. */
#ifndef MUC_ROOMPAGE_H
#define MUC_ROOMPAGE_H

#include "core.h"

#define MUC_NS_RSM "http://jabber.org/protocol/rsm"

/* Answer the disco#items request |st| on the service with the page its
 * <set/> |set| asks for (NULL: the first max_room_list_items rooms, with
 * a <set/> only when there are more), or the error: bad-request for a
 * malformed <set/>, item-not-found for an after or before naming no
 * listed room. */
void muc_roompage_answer(muc_service *svc, const mxml_node_t *st,
                         const mxml_node_t *set);

#endif
