/* Fields of the room's extended disco#info form (XEP-0045 §6.4, XEP-0128)
 * beyond the room's configuration: who to contact about the room, and
 * when it was made. */
#include "roominfo.h"

#include "room.h"
#include "stanza.h"

void muc_roominfo_contacts(muc_room *room, mxml_node_t *x)
{
  /* the owners' real JIDs: shown only where the room shows real JIDs
   * to anyone (a non-anonymous room, §7.2.4); a semi-anonymous room
   * keeps its owners' addresses to itself */
  if (room->cfg.whois != MUC_WHOIS_ANYONE)
    return;
  muc_service *svc = room->svc;
  mxml_node_t *f = muc_fx_field(svc, x, "muc#roominfo_contactjid", "jid-multi",
                                "Contact Addresses");
  for (const muc_affil *a = room->afirst; a; a = a->next)
    if (a->aff == MUC_AFFIL_OWNER)
      muc_fx_value(svc, f, a->jid);
}

void muc_roominfo_created(muc_room *room, mxml_node_t *x)
{
  /* not a registered muc#roominfo field: "x-" (XEP-0068 §4), the name
   * clients already read; XEP-0082 date and time, UTC */
  if (!room->created)
    return;
  char stamp[32];
  muc_format_stamp(room->created, stamp, sizeof(stamp));
  muc_service *svc = room->svc;
  muc_fx_value(svc,
               muc_fx_field(svc, x, "x-muc#roominfo_creationdate", NULL,
                            "Creation date"),
               stamp);
}
