/* Moderation and administration: affiliation and role changes with their
 * announcements, the muc#admin lists, voice requests (XEP-0045 §8, §9). */
#ifndef MUC_ADMIN_H
#define MUC_ADMIN_H

#include "affiliation.h"
#include "core.h"

/* What happens to the affiliation's stored data (reserved nick, reason). */
typedef struct muc_affil_data {
  int clear; /* drop nick and reason */
  int set;   /* replace them with the two below */
  const char *nick;
  const char *reason;
} muc_affil_data;

/* Change the affiliation of |jid| (a bare JID or a domain) as |actor| (a
 * real full JID; NULL = the room itself, no privilege check), announce it
 * to the occupants it concerns, or to the room when the user is absent
 * (§9.3-§9.5, §10.3-§10.8).  |data| NULL keeps the stored data.  Returns
 * the privilege verdict (MUC_ALLOW when done). */
muc_verdict muc_admin_set_affiliation(muc_room *room, const char *actor,
                                      const char *jid, muc_affiliation aff,
                                      const char *reason,
                                      const muc_affil_data *data);
/* Change the role of the occupant |nick| (§8.2-§8.6) and announce it
 * (307 when kicked).  NULL actor = the room itself.  Returns the verdict
 * (MUC_DENY_ITEM_NOT_FOUND: no such occupant). */
muc_verdict muc_admin_set_role(muc_room *room, const char *actor,
                               const char *nick, muc_role role,
                               const char *reason);

/* An affiliation item of a muc#admin request from the room itself (the
 * admin API): as muc_admin_set_affiliation() with no actor, and the
 * stored nick and reason kept or replaced as the item would (a ban drops
 * the nick; an entry into a members-only room invites the user). */
void muc_admin_item_affiliation(muc_room *room, const char *jid,
                                muc_affiliation aff, const char *reason);
void muc_admin_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query);
/* A muc#request voice request in a message (§7.13, §8.6). */
void muc_admin_voice_request(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const mxml_node_t *form);

#endif
