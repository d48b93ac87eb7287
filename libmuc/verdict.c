#include "verdict.h"

#include "occupant.h"
#include "permission.h"
#include "room.h"

muc_verdict muc_verdict_set_role(const muc_room *room, const char *actor,
                                 const muc_occupant *occ, muc_role role)
{
  const muc_occupant *a = muc_room_occupant_by_jid(room, actor);
  muc_permit_case c = {.action = MUC_ACT_SET_ROLE,
                       .actor_aff = muc_room_affiliation(room, actor),
                       .actor_role = a ? a->role : MUC_ROLE_NONE,
                       .wanted = (int)role};
  if (occ) {
    c.target_aff = muc_room_affiliation(room, occ->bare_jid);
    c.target_role = occ->role;
  } else {
    c.facts = MUC_FACT_NO_TARGET;
  }
  return muc_permit_verdict(muc_permit(&c));
}
