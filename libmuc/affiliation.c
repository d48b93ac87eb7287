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

muc_role muc_default_role(muc_affiliation aff, int members_only,
                          int moderated)
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
  if (actor_aff == MUC_AFFIL_OWNER) {
    /* XEP-0045 §10.6: a room needs at least one owner */
    if (self && wanted < target && target == MUC_AFFIL_OWNER &&
        other_owners == 0)
      return MUC_DENY_CONFLICT;
    return MUC_ALLOW;
  }
  if (actor_aff != MUC_AFFIL_ADMIN)
    return MUC_DENY_NOT_ALLOWED;
  /* XEP-0045 §9: admins manage members and outcasts, never peers or
   * owners, and cannot grant admin or owner */
  if (wanted >= MUC_AFFIL_ADMIN || target >= MUC_AFFIL_ADMIN)
    return MUC_DENY_NOT_ALLOWED;
  return MUC_ALLOW;
}

muc_verdict muc_may_set_role(muc_affiliation actor_aff, muc_role actor_role,
                             muc_affiliation target_aff, muc_role target_role,
                             muc_role wanted)
{
  /* nothing may be done to someone of higher affiliation */
  if (actor_aff < target_aff)
    return MUC_DENY_NOT_ALLOWED;
  /* granting or revoking moderator needs admin or owner (§9.6, §9.7) */
  if ((target_role == MUC_ROLE_MODERATOR || wanted == MUC_ROLE_MODERATOR) &&
      actor_aff < MUC_AFFIL_ADMIN)
    return MUC_DENY_NOT_ALLOWED;
  /* everything else needs a moderator in the room */
  if (actor_role != MUC_ROLE_MODERATOR)
    return MUC_DENY_NOT_ALLOWED;
  return MUC_ALLOW;
}

muc_verdict muc_may_get_affiliation_list(muc_affiliation actor_aff,
                                         muc_affiliation list,
                                         int members_only, int whois_anyone)
{
  if (actor_aff >= MUC_AFFIL_ADMIN && actor_aff >= list)
    return MUC_ALLOW;
  if (members_only && whois_anyone && actor_aff >= MUC_AFFIL_MEMBER)
    return MUC_ALLOW;
  return MUC_DENY_FORBIDDEN;
}

muc_verdict muc_may_get_role_list(muc_role actor_role)
{
  return actor_role >= MUC_ROLE_MODERATOR ? MUC_ALLOW : MUC_DENY_FORBIDDEN;
}
