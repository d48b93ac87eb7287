/* Status 101 (XEP-0045 §17.3, implementation note 2 of §17.1): a user
 * whose affiliation changes while not in the room is told at their bare
 * JID, out of the room, with a message carrying the new affiliation. */
#include "ops.h"

#include <string.h>

#include "room.h"
#include "stanza.h"

void muc_op_notify_absent(muc_room *room, const char *jid, muc_affiliation aff,
                          const char *reason)
{
  muc_service *svc = room->svc;
  /* a domain (a host-wide ban) is nobody to write to */
  if (!svc->cfg.notify_absent_affiliation || !strchr(jid, '@'))
    return;
  /* a headline: a notice for the user's available resources, which a
   * server does not keep offline (RFC 6121 §8.5.2).  No id, as the
   * notice to the occupants (op_affiliation.c): the id counter is room
   * state a replica would not follow */
  mxml_node_t *m =
      muc_stanza_new(svc, "message", room->jid, jid, "headline", NULL);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  mxml_node_t *item = muc_el(svc, x, "item", NULL);
  muc_attr(svc, item, "affiliation", muc_affiliation_name(aff));
  muc_attr(svc, item, "jid", jid);
  if (reason)
    muc_el_text(svc, item, "reason", NULL, reason);
  muc_attr(svc, muc_el(svc, x, "status", NULL), "code", "101");
  muc_send_free(svc, m);
}
