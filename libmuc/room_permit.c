#include "room_permit.h"

#include "refusal.h"

unsigned muc_room_facts(const muc_room *room)
{
  return muc_permit_room_facts(&room->cfg,
                               room->svc->cfg.room_allow_unaffiliated_register);
}

muc_permit_outcome muc_room_permit(muc_room *room, const mxml_node_t *st,
                                   const muc_permit_case *c)
{
  const muc_permit_rule *rule = muc_permit(c);
  if (rule->outcome != MUC_PERMIT_REFUSE)
    return rule->outcome;
  if (rule->text)
    muc_refuse_text(room->svc, st, rule->refusal, rule->text, room->jid);
  else
    muc_refuse(room->svc, st, rule->refusal, room->jid);
  return MUC_PERMIT_REFUSE;
}
