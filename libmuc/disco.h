/* Service discovery (XEP-0030) of the service and its rooms, and the
 * reserved-nickname query (XEP-0045 §7.12, §6). */
#ifndef MUC_DISCO_H
#define MUC_DISCO_H

#include "core.h"

void muc_disco_room_info(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from, const mxml_node_t *query);
void muc_disco_room_items(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const mxml_node_t *query);
void muc_disco_service_info(muc_service *svc, const mxml_node_t *st,
                            const mxml_node_t *query);
void muc_disco_service_items(muc_service *svc, const mxml_node_t *st,
                             const mxml_node_t *query);

#endif
