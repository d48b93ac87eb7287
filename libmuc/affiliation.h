/* Roles and affiliations: names, the role each affiliation enters with,
 * and the XEP-0045 §5 privilege questions the muc#admin handler asks,
 * put to the permission table (permission.c, which holds the rules: the
 * comments below say what its rows answer). */
#ifndef MUC_AFFILIATION_H
#define MUC_AFFILIATION_H

#include "muc/muc.h"
#include "types.h"

/* Outcome of a privilege check; each refusal maps to one stanza error. */
typedef enum muc_verdict {
  MUC_ALLOW = 0,
  MUC_DENY_NOT_ALLOWED,    /* cancel / not-allowed */
  MUC_DENY_FORBIDDEN,      /* auth / forbidden */
  MUC_DENY_CONFLICT,       /* cancel / conflict (last owner) */
  MUC_DENY_NOT_ACCEPTABLE, /* modify / not-acceptable */
  MUC_DENY_BAD_REQUEST,    /* modify / bad-request */
  MUC_DENY_ITEM_NOT_FOUND  /* cancel / item-not-found */
} muc_verdict;

const char *muc_role_name(muc_role r);
const char *muc_affiliation_name(muc_affiliation a);
/* Parse a name; returns 0 and sets *out, or -1 if unknown. */
int muc_role_parse(const char *s, muc_role *out);
int muc_affiliation_parse(const char *s, muc_affiliation *out);

/* The role an occupant with |aff| gets on entering (MUC_ROLE_NONE: may not
 * enter, as an outcast, or a non-member in a members-only room). */
muc_role muc_default_role(muc_affiliation aff, int members_only, int moderated);

/* May |actor| (affiliation |actor_aff|) change the affiliation of a user
 * whose affiliation is |target| to |wanted|?  |self| is set when the actor
 * changes its own affiliation, |other_owners| is the number of owners
 * other than the target once the change is made.  Refusals:
 * forbidden for those the XEP-0045 use case is not open to (§9; the
 * admin and owner lists are the owners', §10.3-§10.8), not-allowed for an
 * admin banning an admin or owner (§9.1), conflict for a self-ban (§9.1)
 * or the last owner stepping down (§10.4). */
muc_verdict muc_may_set_affiliation(muc_affiliation actor_aff,
                                    muc_affiliation target,
                                    muc_affiliation wanted, int self,
                                    size_t other_owners);

/* May |actor| (affiliation, current role) give the occupant (|target_aff|,
 * |target_role|) the role |wanted|?  Forbidden for those who are not
 * moderators (§8) or, for granting moderator, not admins (§9.6);
 * not-allowed when the target outranks the actor (§8.2), is a moderator
 * and the actor no admin (§5.1.3), or is an admin or owner losing voice
 * or moderator status (§8.4, §9.7). */
muc_verdict muc_may_set_role(muc_affiliation actor_aff, muc_role actor_role,
                             muc_affiliation target_aff, muc_role target_role,
                             muc_role wanted);

/* May |actor_aff| read the list of users with affiliation |list|?
 * Admins read the outcast and member lists, owners every list; admins
 * read the admin list only in non-anonymous rooms (|whois_anyone|,
 * §10.8).  |members_only| and |whois_anyone| together open every list to
 * members (as Prosody does, §9.5 note). */
muc_verdict muc_may_get_affiliation_list(muc_affiliation actor_aff,
                                         muc_affiliation list, int members_only,
                                         int whois_anyone);

/* The member list (§9.5, §5.2): as above, and also for members of a
 * non-anonymous room (§5.2 table and its note ***), and for occupants
 * whose role is in |roles| (muc#roomconfig_getmemberlist, a role set). */
muc_verdict muc_may_get_member_list(muc_affiliation actor_aff,
                                    muc_role actor_role, unsigned roles,
                                    int members_only, int whois_anyone);

/* May an occupant with |actor_role| read the list of occupants with a
 * role other than moderator (the voice list, §8.5)? */
muc_verdict muc_may_get_role_list(muc_role actor_role);

/* The moderator list is an admin use case (§9.8): admins and owners. */
muc_verdict muc_may_get_moderator_list(muc_affiliation actor_aff);

#endif
