#include "verdict.h"

#include "occupant.h"
#include "room.h"

muc_verdict muc_verdict_set_role(const muc_room *room, const char *actor,
                                 const muc_occupant *occ, muc_role role)
{
  const muc_occupant *a = muc_room_occupant_by_jid(room, actor);
  return muc_may_set_role(
      muc_room_affiliation(room, actor), a ? a->role : MUC_ROLE_NONE,
      muc_room_affiliation(room, occ->bare_jid), occ->role, role);
}
