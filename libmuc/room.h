/* The state of a room (the bottom layer): its lifecycle, its
 * affiliation entries and look-ups, its creator's count, its forwarded
 * queries' routes.  Nothing here sends a stanza or calls the host, but
 * muc_room_refuse_affiliations (a limit's refusal). */
#ifndef MUC_ROOM_H
#define MUC_ROOM_H

#include "core.h"

/* A new empty room with the service's defaults, added to the service.
 * NULL on NOMEM or when max_rooms is reached (recorded / caller checks
 * svc->err). */
muc_room *muc_room_new(muc_service *svc, const char *node);
/* Remove |room| from its service and free everything it holds. */
void muc_room_free(muc_room *room);
/* |bare| created |room|: count it for max_rooms_per_creator.  MUC_OK or
 * MUC_ERR_NOMEM. */
int muc_room_set_creator(muc_room *room, const char *bare);
/* |room| is being freed: it no longer counts for its creator. */
void muc_room_forget_creator(muc_room *room);
/* Free the route of a forwarded query and mark it unused. */
void muc_room_route_clear(muc_service *svc, muc_iq_route *r);
/* Is the room still locked for others (§10.1.2)?  Unlocks when the lock
 * expired. */
int muc_room_is_locked(muc_room *room);

/* Affiliation of |jid| (bare or full, normalized): the bare JID's entry,
 * else outcast if the whole domain is banned, else none. */
muc_affiliation muc_room_affiliation(const muc_room *room, const char *jid);
muc_affil *muc_room_affil_entry(const muc_room *room, const char *bare);
/* Bare JID that reserved |nick|, or NULL. */
const char *muc_room_reserved_by(const muc_room *room, const char *nick);
/* Reserved nick of |bare|, or NULL. */
const char *muc_room_registered_nick(const muc_room *room, const char *bare);
/* Owners other than |bare|. */
size_t muc_room_other_owners(const muc_room *room, const char *bare);

/* Set the affiliation entry of |bare| (creating/removing it) without any
 * announcement or privilege check.  |nick|/|reason| replace the stored
 * ones when |set_data|; when |clear_data| both are dropped.  Returns
 * MUC_OK or MUC_ERR_NOMEM. */
int muc_room_put_affiliation(muc_room *room, const char *bare,
                             muc_affiliation aff, int set_data, int clear_data,
                             const char *nick, const char *reason);

/* A change that creates |added| affiliation entries and removes |removed|
 * (max_affiliations_per_room): returns 1 if it must be refused (the error
 * sent to |st|), 0 if it fits. */
int muc_room_refuse_affiliations(muc_room *room, const mxml_node_t *st,
                                 size_t added, size_t removed);

#endif
