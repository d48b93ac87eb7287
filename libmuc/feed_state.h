/* What the change feed keeps (feed.c, feed_event.c, feed_lists.c):
 * the events being written, the rooms marked during a call, and per room
 * what the feed last told of it.  Private to the feed's files. */
#ifndef MUC_FEED_STATE_H
#define MUC_FEED_STATE_H

#include "core.h"
#include "map.h"

/* A list told entry by entry (feed_lists.c): occupants by nick,
 * affiliations by bare JID. */
typedef struct feed_keyed {
  muc_map told;  /* key -> feed_told: the entries the replica has */
  muc_map dirty; /* key -> its copy (owned): noted in this call */
} feed_keyed;

/* What the feed last told of a room. */
struct muc_feed_room {
  int told;       /* its "room" event went out */
  unsigned dirty; /* the parts to compare (MUC_FEED_PART_*); nonzero: in
                     the feed's list of rooms to compare */
  uint64_t head, iqs, hostfields, extras;
  feed_keyed occupants, affils;
  size_t nhistory; /* the history entries the replica has */
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

/* ---- lists (feed_lists.c) ---------------------------------------------- */

/* Note the entry of |key| (a nick; with |affiliation| a bare JID) of
 * |room| as changed in this call.  MUC_OK or NOMEM. */
int muc_feed_note(muc_room *room, int affiliation, const char *key);
/* Tell the occupants (|affiliation|: the affiliations) noted, or with
 * |whole| every one, as they differ from what was told; before the
 * room's first event (|told| 0) only take them all as told.  MUC_OK or
 * NOMEM. */
int muc_feed_list_flush(muc_room *room, int affiliation, int whole);
void muc_feed_lists_free(muc_service *svc, struct muc_feed_room *fr);

#endif
