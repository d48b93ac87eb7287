/* Flood control (docs/flood.md): a token bucket per occupant and kind of
 * stanza (MUC_FLOOD_*), the rates in muc_config.flood.  The state is one
 * integer per kind, in the occupant's own block, right before the struct
 * (occupant.c), in a service that has flood control: none otherwise.  A
 * check reads the clock the entry point read (svc->now) and allocates
 * nothing.  With no limit for a kind the check is the one test inlined
 * below. */
#ifndef MUC_FLOOD_H
#define MUC_FLOOD_H

#include "core.h"

/* What the buckets take in an occupant's block. */
#define MUC_FLOOD_BYTES (MUC_FLOOD_KINDS * sizeof(uint64_t))

/* The buckets of |occ|: per kind, when it is full again, in microseconds
 * of the host's clock (0: full); NULL in a service without flood
 * control. */
static inline uint64_t *muc_flood_buckets(const muc_occupant *occ)
{
  return occ->flood ? (uint64_t *)((uintptr_t)occ - MUC_FLOOD_BYTES) : NULL;
}

/* The kinds cfg.flood limits, as bits (for svc->flood_kinds). */
uint32_t muc_flood_kinds_of(const muc_config *cfg);
/* Are the flood rows of |cfg| within their bounds (muc.h)? */
int muc_flood_config_valid(const muc_config *cfg);

/* May |occ| send one more stanza of |kind| now?  1: yes, and the stanza
 * is counted; 0: over the limit, nothing counted.  An occupant of an
 * exempt role always may. */
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

/* |to| takes over the buckets of |from| (a nick change makes a new
 * occupant: it must not start with full buckets). */
static inline void muc_flood_inherit(muc_occupant *to, const muc_occupant *from)
{
  uint64_t *t = muc_flood_buckets(to);
  const uint64_t *f = muc_flood_buckets(from);
  for (int k = 0; t && f && k < MUC_FLOOD_KINDS; k++)
    t[k] = f[k];
}

#endif
