#include "affiliation.h"

#include <string.h>

#include "permission.h"

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

/* The privilege rules are rows of the permission table (permission.c);
 * these ask it the case as the handlers know it. */
static muc_verdict ask(muc_permit_case c)
{
  return muc_permit_verdict(muc_permit(&c));
}

muc_verdict muc_may_set_affiliation(muc_affiliation actor_aff,
                                    muc_affiliation target,
                                    muc_affiliation wanted, int self,
                                    size_t other_owners)
{
  unsigned facts = self ? MUC_FACT_SELF : 0;
  if (self && other_owners == 0)
    facts |= MUC_FACT_LAST_OWNER;
  return ask((muc_permit_case){.action = MUC_ACT_SET_AFFILIATION,
                               .facts = facts,
                               .actor_aff = actor_aff,
                               .target_aff = target,
                               .wanted = (int)wanted});
}

muc_verdict muc_may_set_role(muc_affiliation actor_aff, muc_role actor_role,
                             muc_affiliation target_aff, muc_role target_role,
                             muc_role wanted)
{
  return ask((muc_permit_case){.action = MUC_ACT_SET_ROLE,
                               .actor_aff = actor_aff,
                               .actor_role = actor_role,
                               .target_aff = target_aff,
                               .target_role = target_role,
                               .wanted = (int)wanted});
}

static unsigned list_facts(int members_only, int whois_anyone, unsigned roles)
{
  unsigned f = 0;
  if (members_only)
    f |= MUC_FACT_MEMBERS_ONLY;
  if (whois_anyone)
    f |= MUC_FACT_WHOIS_ANYONE;
  if (roles & MUC_ROLE_BIT(MUC_ROLE_VISITOR))
    f |= MUC_FACT_ML_VISITOR;
  if (roles & MUC_ROLE_BIT(MUC_ROLE_PARTICIPANT))
    f |= MUC_FACT_ML_PARTICIPANT;
  if (roles & MUC_ROLE_BIT(MUC_ROLE_MODERATOR))
    f |= MUC_FACT_ML_MODERATOR;
  return f;
}

muc_verdict muc_may_get_affiliation_list(muc_affiliation actor_aff,
                                         muc_affiliation list, int members_only,
                                         int whois_anyone)
{
  return ask(
      (muc_permit_case){.action = MUC_ACT_GET_AFF_LIST,
                        .facts = list_facts(members_only, whois_anyone, 0),
                        .actor_aff = actor_aff,
                        .target_aff = list});
}

muc_verdict muc_may_get_member_list(muc_affiliation actor_aff,
                                    muc_role actor_role, unsigned roles,
                                    int members_only, int whois_anyone)
{
  return ask(
      (muc_permit_case){.action = MUC_ACT_GET_AFF_LIST,
                        .facts = list_facts(members_only, whois_anyone, roles),
                        .actor_aff = actor_aff,
                        .actor_role = actor_role,
                        .target_aff = MUC_AFFIL_MEMBER});
}

muc_verdict muc_may_get_role_list(muc_role actor_role)
{
  return ask((muc_permit_case){.action = MUC_ACT_GET_ROLE_LIST,
                               .actor_aff = MUC_AFFIL_NONE,
                               .actor_role = actor_role,
                               .target_role = MUC_ROLE_PARTICIPANT});
}

muc_verdict muc_may_get_moderator_list(muc_affiliation actor_aff)
{
  return ask((muc_permit_case){.action = MUC_ACT_GET_ROLE_LIST,
                               .actor_aff = actor_aff,
                               .target_role = MUC_ROLE_MODERATOR});
}
