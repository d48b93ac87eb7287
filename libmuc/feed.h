/* The change feed (docs/feed.md): every room a call changed is compared,
 * at the end of the call, with what the feed last told of it, and the
 * differences go to the host as events, each part in its snapshot
 * encoding (snapshot.h).  Without a feed none of this runs: the call
 * sites below test one pointer. */
#ifndef MUC_FEED_H
#define MUC_FEED_H

#include "core.h"

/* Event kinds (docs/feed.md). */
enum {
  MUC_FEED_ROOM = 1,      /* the whole room: a snapshot */
  MUC_FEED_HEAD = 2,      /* the room section: configuration, subject... */
  MUC_FEED_AFFIL_PUT = 3, /* an affiliation entry, new or changed */
  MUC_FEED_AFFIL_DEL = 4, /* the entry of a JID is gone */
  MUC_FEED_OCC_PUT = 5,   /* an occupant, new or changed */
  MUC_FEED_OCC_DEL = 6,   /* the occupant of a nick is gone */
  MUC_FEED_HISTORY = 7,   /* keep the newest K entries, append these */
  MUC_FEED_IQS = 8,       /* the forwarded queries waiting */
  MUC_FEED_GONE = 9,      /* the room left the service */
  /* format 2 */
  MUC_FEED_HOSTFIELDS = 10, /* the host's config fields, all of them */
  MUC_FEED_STORED = 11,     /* stored and left memory; exists still */
  /* the room's vCard and hats, all of them (room_extras.h); a replica
   * that does not know the kind refuses it (MUC_ERR_STORAGE) */
  MUC_FEED_EXTRAS = 12
};

#define MUC_FEED_MAGIC "MUCE"
/* The events' format (docs/feed.md): 2 added kinds 10 and 11; a replica
 * reads 1 and 2.  (MUC_FEED_VERSION, muc.h, is the callback's.) */
#define MUC_FEED_FORMAT 2

/* The parts of a room that are compared (bits). */
enum {
  MUC_FEED_PART_HEAD = 1,
  MUC_FEED_PART_AFFILS = 2,
  MUC_FEED_PART_OCCUPANTS = 4,
  MUC_FEED_PART_HISTORY = 8,
  MUC_FEED_PART_IQS = 16,
  MUC_FEED_PART_HOSTFIELDS = 32,
  MUC_FEED_PART_EXTRAS = 256,
  MUC_FEED_PART_ALL = 63 | 256,
  /* some occupants, some affiliations, each noted (muc_feed_touch_occupant,
   * muc_feed_touch_affil); the parts OCCUPANTS and AFFILS are all of them */
  MUC_FEED_PART_OCCUPANT = 64,
  MUC_FEED_PART_AFFIL = 128
};

void muc_feed_mark(muc_room *room, unsigned parts);
/* |parts| of |room| may have changed: compare them at the end of the
 * call. */
static inline void muc_feed_touch_part(muc_room *room, unsigned parts)
{
  if (room->svc->feed)
    muc_feed_mark(room, parts);
}
/* Anything in |room| may have changed. */
static inline void muc_feed_touch(muc_room *room)
{
  muc_feed_touch_part(room, MUC_FEED_PART_ALL);
}
void muc_feed_mark_entry(muc_room *room, int affiliation, const char *key);
/* |occ| of |room| may have changed, joined or left (its nick is what the
 * feed compares, so an occupant freed since costs nothing). */
static inline void muc_feed_touch_occupant(muc_room *room,
                                           const muc_occupant *occ)
{
  if (room->svc->feed)
    muc_feed_mark_entry(room, 0, occ->nick);
}
/* The affiliation entry of the bare JID |jid| of |room| may have changed,
 * come or gone. */
static inline void muc_feed_touch_affil(muc_room *room, const char *jid)
{
  if (room->svc->feed)
    muc_feed_mark_entry(room, 1, jid);
}
/* An entry was kept at the end of |room|'s history (history.c): the feed
 * tells the entries kept since it last looked, not the whole ring.  The
 * room is marked (PART_HISTORY) by whoever keeps the entry. */
static inline void muc_feed_count_history(muc_room *room)
{
  if (room->svc->feed)
    room->feed_appended++;
}
/* |room| is being freed: the feed says so (if it ever told of it). */
void muc_feed_room_gone(muc_room *room);
/* |room| is stored and is about to be freed (hibernation): the feed says
 * "stored" with the room as it is, not "gone".  Call before freeing. */
void muc_feed_room_stored(muc_room *room);
void muc_feed_free(muc_service *svc);

#endif
