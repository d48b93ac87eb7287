/* A room's lookups of its occupants (by nick, by session JID) and of its
 * affiliation entries (by bare JID).
 *
 * Most rooms are small: while a room has few occupants and entries, a
 * lookup walks the room's own lists, which costs no memory and is faster
 * than hashing; past SMALL_ROOM the room builds hash maps (map.c) and keeps
 * them.  Whichever form is in use, the answers are the same: what the
 * maps would hold is kept as flags on the records (muc_session.indexed,
 * muc_occupant.in_room, the affiliation list itself). */
#ifndef MUC_INDEX_H
#define MUC_INDEX_H

#include "core.h"

/* Lists up to this long are scanned; longer ones get a hash map. */
#define MUC_SMALL_ROOM 8

/* The maps of a room that is not small (allocated with the first). */
struct muc_room_maps {
  muc_map by_nick;    /* nick -> muc_occupant */
  muc_map by_session; /* real full JID -> muc_occupant */
  muc_map affils;     /* bare JID -> muc_affil */
};

/* The occupant that is in the room under |nick|, or NULL. */
muc_occupant *muc_index_by_nick(const muc_room *room, const char *nick);
/* The occupant whose indexed session is |full_jid|, or NULL. */
muc_occupant *muc_index_by_session(const muc_room *room, const char *full_jid);

/* |occ| enters the room's nick index (before it is linked into the room's
 * list).  MUC_OK or MUC_ERR_NOMEM (nothing changed). */
int muc_index_put_nick(muc_room *room, muc_occupant *occ);
/* |occ| leaves the nick index, if it is there. */
void muc_index_del_nick(muc_room *room, muc_occupant *occ);
/* Session |s| of |occ| is found by its JID from now on (replacing any
 * other occupant's session of that JID).  MUC_OK or MUC_ERR_NOMEM. */
int muc_index_put_session(muc_room *room, muc_occupant *occ, muc_session *s);
/* Session |s| of |occ| is no longer found by its JID. */
void muc_index_del_session(muc_room *room, muc_occupant *occ, muc_session *s);

/* The affiliation entry of |bare|, or NULL. */
muc_affil *muc_index_affil(const muc_room *room, const char *bare);
/* Entry |a| (already linked at the end of the room's list) is indexed.
 * MUC_OK or MUC_ERR_NOMEM (the caller unlinks it). */
int muc_index_put_affil(muc_room *room, muc_affil *a);
/* Entry |a| (still linked) leaves the index. */
void muc_index_del_affil(muc_room *room, muc_affil *a);

/* Free the maps (the room is being freed). */
void muc_index_free(muc_room *room);

#endif
