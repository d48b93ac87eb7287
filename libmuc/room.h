/* Rooms: lifecycle, dispatch of stanzas to a room, affiliation lookups,
 * broadcast, persistence triggers. */
#ifndef MUC_ROOM_H
#define MUC_ROOM_H

#include "core.h"
#include "presence.h"
#include "stanza.h"

/* A new empty room with the service's defaults, added to the service.
 * NULL on NOMEM or when max_rooms is reached (recorded / caller checks
 * svc->err). */
muc_room *muc_room_new(muc_service *svc, const char *node);
/* Remove |room| from its service and free everything it holds. */
void muc_room_free(muc_room *room);
/* Handle a stanza addressed to the room or one of its occupants. */
void muc_room_handle(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const muc_jid *to);
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

/* Send |st| to every reachable session of every occupant whose role is at
 * least |min_role|; only 'to' changes between sends. */
void muc_room_broadcast(muc_room *room, mxml_node_t *st, muc_role min_role);
/* The same for a stanza already serialized into |w|. */
void muc_room_broadcast_wire(muc_room *room, muc_wire *w, muc_role min_role);
/* Send the serialized |w| to every reachable session of |occ|. */
void muc_room_wire_to_occupant(muc_room *room, const muc_occupant *occ,
                               muc_wire *w);
/* Send |st| to every reachable session of |occ|. */
void muc_room_send_to_occupant(muc_room *room, const muc_occupant *occ,
                               mxml_node_t *st);

/* Persist the room through store_room: when persistent, its record; when
 * not persistent and |forced|, a deletion. */
void muc_room_save(muc_room *room, int forced);
/* The same after a message entered the history and nothing else changed:
 * the rest of the record is copied from what the room kept of it. */
void muc_room_save_history(muc_room *room);
/* Tell occupants the configuration changed (status codes 104, 170-174). */
void muc_room_announce_codes(muc_room *room, const int *codes, size_t n);
/* Empty the room: every occupant leaves and receives its own unavailable
 * presence announced with |p| (statuses, <destroy/>). */
void muc_room_evict_all(muc_room *room, const muc_pub *p);
/* Destroy the room (§10.9): every occupant gets unavailable presence with
 * <destroy/> (|alt_jid|, |reason|, |password| optional), storage record
 * deleted, room marked for freeing. */
void muc_room_destroy(muc_room *room, const char *alt_jid, const char *reason,
                      const char *password);

#endif
