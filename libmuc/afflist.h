/* The admin and owner lists of the configuration form
 * (muc#roomconfig_roomadmins, _roomowners: §10.5, §10.8): the whole list
 * replaces the affiliations it names. */
#ifndef MUC_AFFLIST_H
#define MUC_AFFLIST_H

#include "core.h"
#include "form.h"

typedef struct muc_jid_list {
  char **jid; /* bare JIDs */
  size_t n;
} muc_jid_list;

void muc_jid_list_free(muc_service *svc, muc_jid_list *l);
/* The values of |f| as bare JIDs (a full JID stands for its bare JID,
 * empty lines are skipped).  MUC_OK, MUC_ERR_INVALID_ARG or NOMEM. */
int muc_jid_list_read(muc_service *svc, const muc_form_field *f,
                      muc_jid_list *l);

/* |admins|, |owners|: the submitted lists, NULL when not submitted. */

/* Would the room still have an owner (§10: "every room MUST have at least
 * one owner")? */
int muc_afflist_keeps_an_owner(const muc_room *room, const muc_jid_list *admins,
                               const muc_jid_list *owners);
/* Would the lists take the room past max_affiliations_per_room?  Returns
 * 1 if refused (error sent to |st|). */
int muc_afflist_refuse_count(muc_room *room, const mxml_node_t *st,
                             const muc_jid_list *admins,
                             const muc_jid_list *owners);
/* What |jid| (now |now|) becomes; |admins|, |owners| NULL when not
 * submitted.  An owner left off the owner list becomes an admin (§10.2
 * example), or, when the admin list is replaced too and does not name
 * it, a member in a members-only room and unaffiliated elsewhere, as an
 * admin left off the admin list does (§10.7). */
muc_affiliation muc_afflist_planned(const muc_room *room, const char *jid,
                                    muc_affiliation now,
                                    const muc_jid_list *admins,
                                    const muc_jid_list *owners);

#endif
