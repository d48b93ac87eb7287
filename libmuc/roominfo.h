/* The room's extended disco#info fields beyond its configuration
 * (roominfo.c); each adds its field to the result form |x|, or nothing. */
#ifndef MUC_ROOMINFO_H
#define MUC_ROOMINFO_H

#include "core.h"

/* muc#roominfo_contactjid: the owners' bare JIDs, in a non-anonymous
 * room only. */
void muc_roominfo_contacts(muc_room *room, mxml_node_t *x);
/* x-muc#roominfo_creationdate: when the room was made, if known. */
void muc_roominfo_created(muc_room *room, mxml_node_t *x);

#endif
