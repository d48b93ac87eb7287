/* What the change feed keeps (feed.c, feed_event.c, feed_occupants.c):
 * the events being written, the rooms marked during a call, and per room
 * what the feed last told of it.  Private to the feed's files. */
#ifndef MUC_FEED_STATE_H
#define MUC_FEED_STATE_H

#include "core.h"
#include "map.h"

/* A keyed entry of a list told whole-list (the affiliations). */
typedef struct feed_item {
  char *key;       /* bare JID (owned) */
  uint64_t hash;   /* of its encoding */
  size_t off, len; /* while diffing: its encoding in the feed's |tmp| */
} feed_item;

typedef struct feed_list {
  feed_item *items;
  size_t n;
} feed_list;

/* What the feed last told of a room. */
struct muc_feed_room {
  int told;       /* its "room" event went out */
  unsigned dirty; /* the parts to compare (MUC_FEED_PART_*); nonzero: in
                     the feed's list of rooms to compare */
  uint64_t head, iqs, hostfields;
  feed_list affils;
  muc_map occ_told;  /* nick -> feed_occ: the occupants the replica has */
  muc_map occ_dirty; /* nick -> its copy (owned): marked in this call */
  size_t nhistory;   /* the entries the replica has */
};

/* A room that left memory: destroyed (gone), or evicted (stored, with
 * the snapshot of it as stored). */
typedef struct feed_gone {
  char *jid;
  uint64_t seq;
  char *snap; /* NULL: gone; else stored (owned) */
  size_t snap_len;
} feed_gone;

typedef struct muc_feed {
  muc_feed_fn fn;
  void *ud;
  muc_room **dirty;
  size_t ndirty, dcap;
  feed_gone *gone;
  size_t ngone, gcap;
  muc_buf ev;  /* the event being written */
  muc_buf tmp; /* encodings being compared */
} muc_feed;

/* ---- events (feed_event.c) ---------------------------------------------- */

/* 64-bit FNV-1a of |n| bytes: what the feed compares encodings by. */
uint64_t muc_feed_hash(const char *s, size_t n);
/* Start event |kind| numbered |seq| of room |jid| in the feed's buffer;
 * send it (its CRC added). */
void muc_feed_ev_start(muc_feed *f, const char *jid, uint64_t seq,
                       unsigned kind);
void muc_feed_ev_send(muc_service *svc, const char *jid, uint64_t seq);
/* An event of |room| (its next number) whose body is |body|/|len|, or the
 * string |s|. */
void muc_feed_emit(muc_room *room, unsigned kind, const char *body, size_t len);
void muc_feed_emit_str(muc_room *room, unsigned kind, const char *s);

/* ---- occupants (feed_occupants.c) --------------------------------------- */

/* Note the nick |nick| of |room| as changed in this call.  MUC_OK or
 * NOMEM. */
int muc_feed_occ_note(muc_room *room, const char *nick);
/* Tell the occupants noted (|whole|: every occupant) as they differ from
 * what was told; before the room's first event (|fr->told| 0) only take
 * them all as told.  MUC_OK or NOMEM. */
int muc_feed_occ_flush(muc_room *room, int whole);
void muc_feed_occ_free(muc_service *svc, struct muc_feed_room *fr);

#endif
