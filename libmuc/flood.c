/* Flood control as a generic cell rate algorithm: the occupant's bucket
 * of a kind is described by the one moment it will be full again.  A
 * stanza costs one interval (60 s / per_minute); the bucket holds
 * |burst| of them, so a stanza fits while the bucket is full again no
 * later than (burst - 1) intervals from now. */
#include "flood.h"

#include "feed.h"
#include "refusal.h"

/* What the rule of each kind is refused with (refusal.c), by kind. */
static const muc_refusal refusal_of[MUC_FLOOD_KINDS] = {
    [MUC_FLOOD_MESSAGE] = MUC_REFUSE_FLOOD_MESSAGE,
    [MUC_FLOOD_PRESENCE] = MUC_REFUSE_FLOOD_PRESENCE,
    [MUC_FLOOD_VOICE] = MUC_REFUSE_FLOOD_VOICE,
    [MUC_FLOOD_INVITE] = MUC_REFUSE_FLOOD_INVITE,
    [MUC_FLOOD_SUBJECT] = MUC_REFUSE_FLOOD_SUBJECT,
};

#define US_PER_MINUTE 60000000u
#define MAX_PER_MINUTE 600000u
#define MAX_BURST 1000000u

uint32_t muc_flood_kinds_of(const muc_config *cfg)
{
  uint32_t kinds = 0;
  for (int k = 0; k < MUC_FLOOD_KINDS; k++)
    if (cfg->flood[k].per_minute)
      kinds |= 1u << k;
  return kinds;
}

int muc_flood_config_valid(const muc_config *cfg)
{
  for (int k = 0; k < MUC_FLOOD_KINDS; k++)
    if (cfg->flood[k].per_minute > MAX_PER_MINUTE ||
        cfg->flood[k].burst > MAX_BURST)
      return 0;
  return cfg->flood_exempt_roles <= MUC_ROLES_ALL;
}

int muc_flood_take(muc_room *room, muc_occupant *occ, int kind)
{
  muc_service *svc = room->svc;
  const muc_flood_rule *rule = &svc->cfg.flood[kind];
  uint64_t *buckets = muc_flood_buckets(occ);
  if (!rule->per_minute || !buckets ||
      (svc->cfg.flood_exempt_roles & MUC_ROLE_BIT(occ->role)))
    return 1;
  uint64_t interval = US_PER_MINUTE / rule->per_minute;
  uint64_t slack = (uint64_t)(rule->burst ? rule->burst - 1 : 0) * interval;
  uint64_t now = svc->now * 1000u;
  uint64_t full_at = buckets[kind] < now ? now : buckets[kind];
  if (full_at - now > slack)
    return 0;
  buckets[kind] = full_at + interval;
  muc_feed_touch_occupant(room, occ); /* the snapshot carries the bucket */
  return 1;
}

int muc_flood_refuse_slow(muc_room *room, const mxml_node_t *st,
                          muc_occupant *occ, int kind)
{
  if (!occ || muc_flood_take(room, occ, kind))
    return 0;
  muc_refuse(room->svc, st, refusal_of[kind], room->jid);
  return 1;
}
