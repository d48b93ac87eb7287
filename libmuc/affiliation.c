#include "affiliation.h"

#include <string.h>

static const char *const role_names[] = {"none", "visitor", "participant",
                                         "moderator"};
static const char *const affil_names[] = {"outcast", "none", "member", "admin",
                                          "owner"};

const char *muc_role_name(muc_role r)
{
  if ((int)r < 0 || (int)r > 3)
    return "none";
  return role_names[r];
}

const char *muc_affiliation_name(muc_affiliation a)
{
  if ((int)a < -1 || (int)a > 3)
    return "none";
  return affil_names[(int)a + 1];
}

int muc_role_parse(const char *s, muc_role *out)
{
  for (int i = 0; s && i < 4; i++)
    if (strcmp(s, role_names[i]) == 0) {
      *out = (muc_role)i;
      return 0;
    }
  return -1;
}

int muc_affiliation_parse(const char *s, muc_affiliation *out)
{
  for (int i = 0; s && i < 5; i++)
    if (strcmp(s, affil_names[i]) == 0) {
      *out = (muc_affiliation)(i - 1);
      return 0;
    }
  return -1;
}

muc_role muc_default_role(muc_affiliation aff, int members_only, int moderated)
{
  switch (aff) {
  case MUC_AFFIL_OWNER:
  case MUC_AFFIL_ADMIN:
    return MUC_ROLE_MODERATOR;
  case MUC_AFFIL_MEMBER:
    return MUC_ROLE_PARTICIPANT;
  case MUC_AFFIL_NONE:
    if (members_only)
      return MUC_ROLE_NONE;
    return moderated ? MUC_ROLE_VISITOR : MUC_ROLE_PARTICIPANT;
  case MUC_AFFIL_OUTCAST:
  default:
    return MUC_ROLE_NONE;
  }
}

muc_verdict muc_may_set_affiliation(muc_affiliation actor_aff,
                                    muc_affiliation target,
                                    muc_affiliation wanted, int self,
                                    size_t other_owners)
{
  /* §9 and §10: affiliations are edited by admins and owners only, and
   * the admin and owner lists by owners only ("MUST return a forbidden
   * error") */
  if (actor_aff < MUC_AFFIL_ADMIN)
    return MUC_DENY_FORBIDDEN;
  if (actor_aff == MUC_AFFIL_ADMIN && wanted >= MUC_AFFIL_ADMIN)
    return MUC_DENY_FORBIDDEN;
  /* §9.1: "If an admin or owner attempts to ban himself, the service
   * MUST deny the request and return a conflict error" */
  if (self && wanted == MUC_AFFIL_OUTCAST && target != MUC_AFFIL_OUTCAST)
    return MUC_DENY_CONFLICT;
  if (actor_aff == MUC_AFFIL_OWNER) {
    /* §10.4, §10.5: a room needs at least one owner */
    if (self && target == MUC_AFFIL_OWNER && wanted < MUC_AFFIL_OWNER &&
        other_owners == 0)
      return MUC_DENY_CONFLICT;
    return MUC_ALLOW;
  }
  /* §5.2.2 chart: an admin bans, admits and removes members and
   * unaffiliated users, never peers or owners: banning them is
   * not-allowed (§9.1), any other change edits the admin or owner list,
   * which only owners do (§10.4, §10.7: forbidden) */
  if (target >= MUC_AFFIL_ADMIN)
    return wanted == MUC_AFFIL_OUTCAST ? MUC_DENY_NOT_ALLOWED
                                       : MUC_DENY_FORBIDDEN;
  return MUC_ALLOW;
}

muc_verdict muc_may_set_role(muc_affiliation actor_aff, muc_role actor_role,
                             muc_affiliation target_aff, muc_role target_role,
                             muc_role wanted)
{
  /* §8: moderator requests from a non-moderator are forbidden */
  if (actor_role != MUC_ROLE_MODERATOR)
    return MUC_DENY_FORBIDDEN;
  /* §9.6: granting moderator status is an admin use case (§9: forbidden) */
  if (wanted == MUC_ROLE_MODERATOR && target_role != MUC_ROLE_MODERATOR &&
      actor_aff < MUC_AFFIL_ADMIN)
    return MUC_DENY_FORBIDDEN;
  /* §8.2, §8.4: nothing may be done to someone of higher affiliation */
  if (actor_aff < target_aff)
    return MUC_DENY_NOT_ALLOWED;
  /* §5.1.3 chart: a moderator is kicked or demoted by admins and owners */
  if (target_role == MUC_ROLE_MODERATOR && wanted != MUC_ROLE_MODERATOR &&
      actor_aff < MUC_AFFIL_ADMIN)
    return MUC_DENY_NOT_ALLOWED;
  /* §8.4 "MUST NOT allow the voice privileges of an admin or owner to be
   * removed by anyone", §9.7 nor their moderator status; a kick is still
   * possible for an equal or higher affiliation (§8.2) */
  if (target_aff >= MUC_AFFIL_ADMIN && wanted != MUC_ROLE_NONE &&
      wanted < MUC_ROLE_MODERATOR)
    return MUC_DENY_NOT_ALLOWED;
  return MUC_ALLOW;
}

muc_verdict muc_may_get_affiliation_list(muc_affiliation actor_aff,
                                         muc_affiliation list, int members_only,
                                         int whois_anyone)
{
  if (actor_aff == MUC_AFFIL_OWNER)
    return MUC_ALLOW;
  /* §9.2, §9.5: admins read the ban and member lists; §10.8: the admin
   * list "MUST return a forbidden error ... in semi-anonymous rooms" to a
   * non-owner, "MAY process" in non-anonymous ones */
  if (actor_aff == MUC_AFFIL_ADMIN &&
      (list < MUC_AFFIL_ADMIN || (list == MUC_AFFIL_ADMIN && whois_anyone)))
    return MUC_ALLOW;
  if (members_only && whois_anyone && actor_aff >= MUC_AFFIL_MEMBER)
    return MUC_ALLOW;
  return MUC_DENY_FORBIDDEN;
}

muc_verdict muc_may_get_member_list(muc_affiliation actor_aff,
                                    muc_role actor_role, unsigned roles,
                                    int members_only, int whois_anyone)
{
  if (muc_may_get_affiliation_list(actor_aff, MUC_AFFIL_MEMBER, members_only,
                                   whois_anyone) == MUC_ALLOW)
    return MUC_ALLOW;
  /* §5.2: members retrieve the member list, except in semi-anonymous
   * rooms (note ***) */
  if (whois_anyone && actor_aff >= MUC_AFFIL_MEMBER)
    return MUC_ALLOW;
  if (actor_role != MUC_ROLE_NONE && (roles & MUC_ROLE_BIT(actor_role)))
    return MUC_ALLOW;
  return MUC_DENY_FORBIDDEN;
}

muc_verdict muc_may_get_role_list(muc_role actor_role)
{
  return actor_role >= MUC_ROLE_MODERATOR ? MUC_ALLOW : MUC_DENY_FORBIDDEN;
}

muc_verdict muc_may_get_moderator_list(muc_affiliation actor_aff)
{
  return actor_aff >= MUC_AFFIL_ADMIN ? MUC_ALLOW : MUC_DENY_FORBIDDEN;
}
