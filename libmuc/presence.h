/* Presence: joining, leaving, nick changes, presence broadcast filtered by
 * role and by who may see real JIDs (XEP-0045 §7.1-§7.7, §7.14). */
#ifndef MUC_PRESENCE_H
#define MUC_PRESENCE_H

#include "core.h"

#define MUC_MAX_CODES 8

/* Status codes for an <x xmlns='...muc#user'/>, in order. */
typedef struct muc_codes {
  size_t n;
  int code[MUC_MAX_CODES];
} muc_codes;

static inline void muc_codes_add(muc_codes *c, int code)
{
  if (c->n < MUC_MAX_CODES)
    c->code[c->n++] = code;
}

/* What to announce about an occupant. */
typedef struct muc_pub {
  const muc_codes *base;    /* statuses everyone gets (may be NULL) */
  const muc_codes *self;    /* statuses for the occupant itself (NULL:
                               base) */
  const mxml_node_t *extra; /* copied into every <x/> after the statuses
                               (e.g. <destroy/>) */
  const char *nick;         /* item 'nick' (new nick on 303) */
  const char *actor;        /* real full JID of who did it, or NULL */
  const char *reason;
  muc_role prev_role;       /* role before the change (NONE: none) */
  int force_unavailable;    /* announce as gone whatever the filter */
  muc_occupant *recipient;  /* only to this occupant (presence probe) */
  const char *gone_session; /* the real JID to name in items when the
                               occupant has no session left */
} muc_pub;

/* Announce |occ|'s presence to the room and to itself. */
void muc_presence_publicise(muc_room *room, muc_occupant *occ,
                            const muc_pub *p);
/* Send the presence of every occupant (and, when the room broadcasts role
 * "none", of offline members with reserved nicks) to the session |to|.
 * Occupants having the session |to| are skipped; so are those with bare
 * JID |skip_bare| when given. */
void muc_presence_send_occupant_list(muc_room *room, const char *to,
                                     const char *skip_bare);
/* Presence to room@service/nick. */
void muc_presence_to_occupant(muc_room *room, const mxml_node_t *st,
                              const muc_jid *from, const muc_jid *to);
/* Presence to the bare room JID (clients that address the room instead of
 * their nick): handled as sent to their current nick. */
void muc_presence_to_room(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const muc_jid *to);
/* What a new session |to| receives after its own presence: history and
 * subject (§7.2.13-§7.2.15), as its join |st| asks. */
void muc_presence_send_room_state(muc_room *room, const mxml_node_t *st,
                                  const char *to);
/* Free |occ| if it left (after its departure has been announced). */
void muc_presence_release(muc_room *room, muc_occupant *occ);
/* Can |rec| see real JIDs in this room? */
int muc_room_can_see_jids(const muc_room *room, const muc_occupant *rec);
/* Is the room anonymous for the real JID |jid|? */
int muc_room_is_anonymous_for(const muc_room *room, const char *jid);

#endif
