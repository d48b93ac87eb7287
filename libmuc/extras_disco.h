/* What disco#info says of avatars and hats: the service supports room
 * vCards (XEP-0486 §2); a room says it has an avatar or hats (XEP-0486
 * §3.3, XEP-0317 §2) only when it has them, so that a room without either
 * answers as it always did. */
#ifndef MUC_EXTRAS_DISCO_H
#define MUC_EXTRAS_DISCO_H

#include "core.h"

/* The service's: vcard-temp, rooms have vCards (XEP-0486 §2). */
void muc_extras_disco_service_features(muc_service *svc, mxml_node_t *q);
/* The room's features: vcard-temp when the room has a vCard, urn:xmpp:hats:0
 * when it defines hats. */
void muc_extras_disco_features(const muc_room *room, mxml_node_t *q);
/* The muc#roominfo fields: hats#hash while the room defines hats
 * (XEP-0317 §2), muc#roominfo_avatarhash, one value per photo, when the
 * vCard has one. */
void muc_extras_disco_roominfo(const muc_room *room, mxml_node_t *x);

#endif
