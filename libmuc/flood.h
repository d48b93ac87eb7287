/* Flood control (docs/flood.md): a token bucket per occupant and kind of
 * stanza (MUC_FLOOD_*), the rates in muc_config.flood.  The state is one
 * integer per kind, allocated with the occupant's first counted stanza
 * (muc_occupant.flood_full_at); a check reads the clock the entry point
 * read (svc->now) and allocates nothing after that.  With no limit for a
 * kind the check is the one test inlined below. */
#ifndef MUC_FLOOD_H
#define MUC_FLOOD_H

#include "core.h"

/* The kinds cfg.flood limits, as bits (for svc->flood_kinds). */
uint32_t muc_flood_kinds_of(const muc_config *cfg);
/* Are the flood rows of |cfg| within their bounds (muc.h)? */
int muc_flood_config_valid(const muc_config *cfg);

/* May |occ| send one more stanza of |kind| now?  1: yes, and the stanza
 * is counted (or memory ran out: recorded, and the stanza goes on as
 * everything else the call does not finish); 0: over the limit, nothing
 * counted.  An occupant of an exempt role always may. */
int muc_flood_take(muc_room *room, muc_occupant *occ, int kind);

int muc_flood_refuse_slow(muc_room *room, const mxml_node_t *st,
                          muc_occupant *occ, int kind);

/* Refuse |st| from |occ| (NULL: no occupant, never limited here) when it
 * is over the limit of |kind|: 1, the error sent (policy-violation,
 * wait; refusal.c); else 0, and the stanza counted. */
static inline int muc_flood_refuse(muc_room *room, const mxml_node_t *st,
                                   muc_occupant *occ, int kind)
{
  if (!(room->svc->flood_kinds & (1u << kind)))
    return 0;
  return muc_flood_refuse_slow(room, st, occ, kind);
}

/* The buckets of |occ| as |n| values (NULL: all full), from a snapshot
 * (snapshot_read.c).  MUC_OK or MUC_ERR_NOMEM. */
int muc_flood_set(muc_room *room, muc_occupant *occ, const uint64_t *full_at);

/* |to| takes over the buckets of |from| (a nick change makes a new
 * occupant: it must not start with full buckets). */
void muc_flood_inherit(muc_room *room, muc_occupant *to,
                       const muc_occupant *from);

#endif
