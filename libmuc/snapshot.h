/* Live snapshots of a room (docs/snapshot.md): the whole state of a room,
 * occupants and their sessions included, as bytes that another service
 * (another process) turns back into the same room.  The change feed
 * (feed.c) reuses the encoding of each part for its events.
 *
 * The wire: big-endian integers (u8, u32, u64); a string is a u32 length
 * and that many bytes (no NUL among them); an optional string is a u8
 * 0 (absent) or 1 followed by a string. */
#ifndef MUC_SNAPSHOT_H
#define MUC_SNAPSHOT_H

#include "core.h"

#define MUC_SNAP_MAGIC "MUCS"
/* 2 added the HOSTFIELD section; a reader of 2 reads 1 (docs/snapshot.md,
 * "Versions") */
#define MUC_SNAP_VERSION 2

/* Section tags, in the order a snapshot holds them. */
enum {
  MUC_SNAP_ROOM = 1,      /* once: configuration, subject, lock, ... */
  MUC_SNAP_AFFIL = 2,     /* one per affiliation entry, list order */
  MUC_SNAP_OCCUPANT = 3,  /* one per occupant, room order */
  MUC_SNAP_HISTORY = 4,   /* one per history entry, oldest first */
  MUC_SNAP_IQS = 5,       /* at most once: forwarded queries waiting */
  MUC_SNAP_HOSTFIELD = 6, /* one per host field, room order (version 2) */
  /* alone, in place of all the others: the tombstone of a destroyed room
   * (tombstone.h): room JID str, then muc_tombstone_put_snap's fields */
  MUC_SNAP_TOMBSTONE = 7,
  /* at most once, last: vCard and hats (room_extras.h).  A reader that
   * does not know the tag refuses the snapshot, so the version stays. */
  MUC_SNAP_EXTRAS = 8
};

/* ---- writing (snapshot_write.c) ---------------------------------------- */

void muc_snap_put_u8(muc_buf *b, unsigned v);
void muc_snap_put_u32(muc_buf *b, uint32_t v);
void muc_snap_put_u64(muc_buf *b, uint64_t v);
void muc_snap_put_str(muc_buf *b, const char *s);
void muc_snap_put_bytes(muc_buf *b, const char *s, size_t n);
void muc_snap_put_opt(muc_buf *b, const char *s);
/* The body of each section (no tag, no length). */
void muc_snap_put_room(muc_buf *b, const muc_room *room);
void muc_snap_put_affil(muc_buf *b, const muc_affil *a);
void muc_snap_put_occupant(muc_buf *b, const muc_occupant *o);
void muc_snap_put_history(muc_buf *b, const muc_room *room, size_t i);
/* 0 if the room has no forwarded query waiting (no IQS section). */
int muc_snap_has_iqs(const muc_room *room);
void muc_snap_put_iqs(muc_buf *b, const muc_room *room);
/* One host field (var, values: a HOSTFIELD body); all of |room|'s, a u32
 * count first (the feed's "host fields" event). */
void muc_snap_put_hostfield(muc_buf *b, const muc_hook_field *f);
void muc_snap_put_hostfields(muc_buf *b, const muc_room *room);
/* The room's extras (an EXTRAS body, the feed's "extras" event): an
 * optional vCard, a u32 count of hats (uri, title, optional hue), a u32
 * count of hats worn (jid, uri).  0 when |room| has none to write. */
int muc_snap_has_extras(const muc_room *room);
void muc_snap_put_extras(muc_buf *b, const muc_room *room);
/* Start a section: its tag and a length filled in by muc_snap_end. */
size_t muc_snap_begin(muc_buf *b, unsigned tag);
void muc_snap_end(muc_buf *b, size_t at);
/* CRC-32 (IEEE) of |n| bytes, continuing |crc| (0 to start). */
uint32_t muc_snap_crc(uint32_t crc, const char *s, size_t n);
/* The whole snapshot of |room| appended to |b|.  MUC_OK or NOMEM. */
int muc_snapshot_write(const muc_room *room, muc_buf *b);
struct muc_tombstone;
/* A tombstone's fields (a TOMBSTONE section after its room JID, and the
 * body of a feed's GONE event): expiry u64, venue opt, reason opt. */
void muc_snap_put_tombstone(muc_buf *b, const struct muc_tombstone *t);
/* The snapshot of the tombstone |t| (one TOMBSTONE section). */
int muc_snapshot_write_tombstone(const muc_service *svc,
                                 const struct muc_tombstone *t, muc_buf *b);

/* ---- reading (snapshot_read.c) ------------------------------------------ */

/* Bytes being read; |bad| is set by the first read past the end or of a
 * malformed value, after which every read gives zeros. */
typedef struct muc_snap_in {
  const unsigned char *p;
  size_t left;
  int bad;
  uint32_t version; /* of the snapshot (muc_snapshot_open) */
} muc_snap_in;

unsigned muc_snap_u8(muc_snap_in *in);
uint32_t muc_snap_u32(muc_snap_in *in);
uint64_t muc_snap_u64(muc_snap_in *in);
/* A string, copied (NUL-terminated) into the service's memory; NULL when
 * |in| is bad (then *|rc| MUC_ERR_STORAGE) or out of memory (NOMEM). */
char *muc_snap_str(muc_service *svc, muc_snap_in *in, int *rc);
/* An optional string: *|out| NULL when absent.  MUC_OK, STORAGE, NOMEM. */
int muc_snap_opt(muc_service *svc, muc_snap_in *in, char **out);
/* The body of section |tag| of |n| bytes at |in|, taken off |in|. */
int muc_snap_section(muc_snap_in *in, unsigned *tag, muc_snap_in *body);

/* Read the sections into the room (each fully checked).  MUC_OK,
 * MUC_ERR_STORAGE or MUC_ERR_NOMEM; the room may then be partly filled. */
int muc_snap_read_room(muc_room *room, muc_snap_in *in);
int muc_snap_read_affil(muc_room *room, muc_snap_in *in);
/* A new occupant, linked last and indexed. */
int muc_snap_read_occupant(muc_room *room, muc_snap_in *in, muc_occupant **out);
/* Check |text| as a history entry and keep it as the newest. */
int muc_snap_read_history(muc_room *room, muc_snap_in *in, size_t *bytes,
                          uint64_t *last);
int muc_snap_read_iqs(muc_room *room, muc_snap_in *in);
/* Those fields (all of |in|) as the tombstone of |node|, not stored.
 * MUC_OK, MUC_ERR_STORAGE or MUC_ERR_NOMEM. */
int muc_snap_read_tombstone(muc_service *svc, const char *node,
                            muc_snap_in *in);
/* One host field (taken off |in|, which may go on), a var not yet in
 * |room|.  MUC_OK, STORAGE or NOMEM. */
int muc_snap_read_hostfield(muc_room *room, muc_snap_in *in);
/* The extras of an EXTRAS body (all of |in|) into |room|, which has
 * none.  MUC_OK, STORAGE or NOMEM. */
int muc_snap_read_extras(muc_room *room, muc_snap_in *in);
/* Remove |occ| from |room| and free it. */
void muc_snap_drop_occupant(muc_room *room, muc_occupant *occ);

/* Check the frame of a whole snapshot (magic, version, CRC) and give its
 * sections.  MUC_OK or MUC_ERR_STORAGE. */
int muc_snapshot_open(const char *data, size_t len, muc_snap_in *sections);
/* The room JID a snapshot's ROOM section starts with (a copy), checked
 * to be a room of |svc|.  MUC_OK, STORAGE or NOMEM. */
int muc_snapshot_room_jid(muc_service *svc, const muc_snap_in *sections,
                          char **node);
/* A new room from the sections of a snapshot (its node not in use).
 * MUC_OK, MUC_ERR_STORAGE, MUC_ERR_LIMIT (max_rooms) or MUC_ERR_NOMEM;
 * nothing is left behind on failure. */
int muc_snapshot_build(muc_service *svc, const char *node, muc_snap_in *in,
                       muc_room **out);

#endif
