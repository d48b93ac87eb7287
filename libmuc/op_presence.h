/* Announcing occupants' presence (operations layer, under every
 * operation that changes who is in a room or their role): what each
 * occupant sees of the others, filtered by role and by who may see real
 * JIDs (XEP-0045 §7.2, §7.14), and the occupant list a newcomer gets. */
#ifndef MUC_OP_PRESENCE_H
#define MUC_OP_PRESENCE_H

#include "core.h"
#include "occupant.h"

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
/* Free |occ| if it left (after its departure has been announced). */
void muc_presence_release(muc_room *room, muc_occupant *occ);
/* Can |rec| see real JIDs in this room? */
int muc_room_can_see_jids(const muc_room *room, const muc_occupant *rec);
/* Is the room anonymous for the real JID |jid|? */
int muc_room_is_anonymous_for(const muc_room *room, const char *jid);

/* In a semi-anonymous room an occupant who gained (or lost) the moderator
 * role, |old| its role before, now sees (or no longer sees) real JIDs
 * (§7.2.4): send each of its sessions everyone again. */
void muc_presence_resend_list(muc_room *room, const muc_occupant *o,
                              muc_role old);

/* Which <item/>s an announcement carries. */
enum muc_item_mode {
  MUC_ITEMS_FULL, /* one item per session with its real JID, actor JID too */
  MUC_ITEMS_SELF, /* real JIDs, but not the actor's (§7.2.3) */
  MUC_ITEMS_ANON  /* no real JID */
};

/* An <item/> child of |x| (NULL attributes left out, <actor/> when a
 * nick or JID is given). */
void muc_presence_add_item(muc_service *svc, mxml_node_t *x,
                           muc_affiliation aff, const char *role,
                           const char *jid, const char *nick,
                           const char *actor_nick, const char *actor_jid,
                           const char *reason);
/* <item affiliation= jid= role=/> as bytes (|jid| NULL: left out). */
void muc_presence_item_bytes(muc_buf *b, muc_affiliation aff, const char *jid,
                             muc_role role);
/* head [to] ">" body x "</presence>" into |out|. */
void muc_presence_assemble(muc_buf *out, const muc_pres_src *b, const char *to,
                           const char *x, size_t xl);
/* The presence of |o| as a newcomer (or a resynchronizing session) |to|
 * receives it: its primary presence with the plain item list. */
void muc_presence_send_listed(muc_room *room, muc_occupant *o, const char *to,
                              enum muc_item_mode mode);

#endif
