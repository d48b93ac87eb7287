/* Tombstones (docs/tombstones.md): what a destroyed room leaves behind for
 * muc_config.tombstone_ms.  A tombstone is a small block (the room's local
 * part, when it expires, the alternate venue and the reason of the
 * destroy) in a map of the service and in a list in the order they were
 * laid; with storage it is also the room's stored record (a <tombstone/>
 * record, tombstone_store.c), so that it outlives a restart.  Nothing ever
 * scans them: a tombstone is looked at when a stanza comes for its room,
 * and those at the head of the list that have expired are dropped when a
 * new one is laid or the service's timers run. */
#ifndef MUC_TOMBSTONE_H
#define MUC_TOMBSTONE_H

#include "core.h"

#define MUC_NS_TOMBSTONE "urn:libmuc:tombstone:1" /* its record's */

typedef struct muc_tombstone {
  struct muc_tombstone *prev, *next; /* laying order */
  uint64_t until;                    /* ms: it expires then */
  char *venue;  /* the alternate venue (a room JID), or NULL */
  char *reason; /* the destroy's reason, or NULL */
  char node[];  /* its key; venue and reason follow it in the block */
} muc_tombstone;

typedef struct muc_tombstones {
  muc_map by_node;
  muc_tombstone *first, *last;
} muc_tombstones;

/* Remember that the room |node| is gone until |until| (ms), replacing a
 * tombstone it had.  With |store|, also as its record (store_room;
 * MUC_ERR_STORAGE recorded if that fails).  MUC_OK or MUC_ERR_NOMEM. */
int muc_tombstone_put(muc_service *svc, const char *node, uint64_t until,
                      const char *venue, const char *reason, int store);
/* The tombstone of |node| that has not expired, or NULL (an expired one is
 * dropped, and its record deleted). */
const muc_tombstone *muc_tombstone_find(muc_service *svc, const char *node);
/* The same without dropping anything (for a read: a snapshot). */
const muc_tombstone *muc_tombstone_get(const muc_service *svc,
                                       const char *node);
/* The same by the room's JID (node@domain, or the node alone). */
const muc_tombstone *muc_tombstone_of_jid(const muc_service *svc,
                                          const char *room_jid);
/* Forget the tombstone of |node| (none: nothing); with |unstore| its
 * record is deleted too (the room is made again). */
void muc_tombstone_remove(muc_service *svc, const char *node, int unstore);
/* Drop the expired tombstones at the head of the laying order. */
void muc_tombstone_expire(muc_service *svc);
/* When the tombstone at the head expires (UINT64_MAX: none), for
 * muc_service_next_deadline. */
uint64_t muc_tombstone_deadline(const muc_service *svc);
void muc_tombstones_free(muc_service *svc);

/* |st| is for the room |to| that is not in memory: 1 if a tombstone
 * answered it (<gone/>, RFC 6120 §8.3.3.5, refusal.c; nothing for an
 * error or an unavailable presence), 0 if there is none, or if it is a
 * service admin's join (which removes it: the room is made again). */
int muc_tombstone_answer(muc_service *svc, const mxml_node_t *st,
                         const muc_jid *from, const muc_jid *to);

/* Is a tombstone with |venue| and |reason| (NULL: none) valid as read
 * from storage or a snapshot: a venue that is a prepared JID, a reason
 * within max_reason_bytes? */
int muc_tombstone_valid(const muc_service *svc, const char *venue,
                        const char *reason);
/* Take a tombstone read from storage (|from_store|) or a snapshot: as
 * muc_tombstone_put, not stored; an expired one from storage has its
 * record deleted, from a snapshot it is dropped.  MUC_OK or NOMEM. */
int muc_tombstone_take(muc_service *svc, const char *node, uint64_t until,
                       const char *venue, const char *reason, int from_store);

/* The record of |t| (store_room), into |out|.  MUC_OK or NOMEM. */
int muc_tombstone_write_record(const muc_service *svc, const muc_tombstone *t,
                               muc_buf *out);
/* A stored record of |node| (tombstone_store.c): 0 if it is no tombstone
 * (a room's record); 1 if it is one, taken as the room's tombstone (or,
 * expired, deleted); MUC_ERR_STORAGE if it is a tombstone record that is
 * not valid, or MUC_ERR_NOMEM. */
int muc_tombstone_read_record(muc_service *svc, const char *node,
                              const char *data, size_t len);

#endif
