/* Roles and affiliations: names, ranks and the XEP-0045 privilege rules as
 * pure functions (no room, no stanza), testable on their own. */
#ifndef MUC_AFFILIATION_H
#define MUC_AFFILIATION_H

#include "muc/muc.h"

/* Outcome of a privilege check; each refusal maps to one stanza error. */
typedef enum muc_verdict {
  MUC_ALLOW = 0,
  MUC_DENY_NOT_ALLOWED,    /* cancel / not-allowed */
  MUC_DENY_FORBIDDEN,      /* auth / forbidden */
  MUC_DENY_CONFLICT,       /* cancel / conflict (last owner) */
  MUC_DENY_NOT_ACCEPTABLE, /* modify / not-acceptable */
  MUC_DENY_BAD_REQUEST,    /* modify / bad-request */
  MUC_DENY_ITEM_NOT_FOUND  /* modify / item-not-found */
} muc_verdict;

const char *muc_role_name(muc_role r);
const char *muc_affiliation_name(muc_affiliation a);
/* Parse a name; returns 0 and sets *out, or -1 if unknown. */
int muc_role_parse(const char *s, muc_role *out);
int muc_affiliation_parse(const char *s, muc_affiliation *out);

/* The role an occupant with |aff| gets on entering (MUC_ROLE_NONE: may not
 * enter, as an outcast, or a non-member in a members-only room). */
muc_role muc_default_role(muc_affiliation aff, int members_only,
                          int moderated);

/* May |actor| (affiliation |actor_aff|) change the affiliation of a user
 * whose affiliation is |target| to |wanted|?  |self| is set when the actor
 * changes its own affiliation, |other_owners| is the number of owners
 * other than the target.  A service admin acts as owner. */
muc_verdict muc_may_set_affiliation(muc_affiliation actor_aff,
                                    muc_affiliation target,
                                    muc_affiliation wanted, int self,
                                    size_t other_owners);

/* May |actor| (affiliation, current role) give the occupant (|target_aff|,
 * |target_role|) the role |wanted|? */
muc_verdict muc_may_set_role(muc_affiliation actor_aff, muc_role actor_role,
                             muc_affiliation target_aff, muc_role target_role,
                             muc_role wanted);

/* May |actor_aff| read the list of users with affiliation |list|?
 * |members_only| and |whois_anyone| open the lists to members (as
 * Prosody does). */
muc_verdict muc_may_get_affiliation_list(muc_affiliation actor_aff,
                                         muc_affiliation list,
                                         int members_only, int whois_anyone);

/* May an occupant with |actor_role| read the list of occupants with a
 * role? */
muc_verdict muc_may_get_role_list(muc_role actor_role);

#endif
