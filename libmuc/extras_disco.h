/* What a room's disco#info says of its avatar and hats (XEP-0486 §3.3,
 * XEP-0317 §2): said only when the room has them, so that a room without
 * either answers as it always did. */
#ifndef MUC_EXTRAS_DISCO_H
#define MUC_EXTRAS_DISCO_H

#include "core.h"

/* The features: vcard-temp when the room has a vCard, urn:xmpp:hats:0
 * when it defines hats. */
void muc_extras_disco_features(const muc_room *room, mxml_node_t *q);
/* The muc#roominfo field muc#roominfo_avatarhash, one value per photo,
 * when the vCard has one. */
void muc_extras_disco_roominfo(const muc_room *room, mxml_node_t *x);

#endif
