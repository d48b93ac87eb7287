/* The engine's state: service, room, occupant, session, affiliation entry.
 * Only the engine's own files include this; nothing here is API. */
#ifndef MUC_CORE_H
#define MUC_CORE_H

#include <mxml.h>
#include <stddef.h>
#include <stdint.h>

#include "muc/muc.h"
#include "muc/muc_mxml.h"

#include "buf.h"
#include "jid.h"
#include "map.h"
#include "mem.h"
#include "outq.h"
#include "roomindex.h"
#include "types.h"
#include "xml.h"

/* One client session inside an occupant (XEP-0045 §7.2.x multi-session:
 * several resources of one bare JID may share a nick). */
typedef struct muc_session {
  /* The last presence it sent, serialized once, without MUC payloads and
   * without 'to', from = the occupant JID: |pres| holds the start tag up
   * to the end of its attributes (|head| bytes, no '>') followed by the
   * children (|body| bytes).  When |own_from|, the start tag's first
   * bytes, <presence from="occupant JID" (a JID that needs no escaping),
   * are left out of |pres|: every presence about the occupant is built
   * from these bytes (presence.c src_of) by appending the muc#user
   * payload. */
  char *pres;
  uint32_t head, body;
  /* what a broadcast and a lookup read, together with |jid|, last: one
   * cache line with the occupant's own (muc_occupant) where they can */
  struct muc_session *next;
  uint8_t available; /* its last presence was not 'unavailable' */
  uint8_t indexed;   /* the room finds the occupant by |jid| (index.h) */
  uint8_t own_from;
  uint8_t canonical; /* |jid| is its own preparation (addr.h) */
  uint8_t plain;     /* |jid| needs no escaping in an attribute: every
                        delivery to it copies it as it is (deliver.c) */
  char jid[];        /* full real JID */
} muc_session;

typedef struct muc_occupant {
  struct muc_occupant *prev;
  char *nick;          /* resourceprepped (points into occ_jid) */
  char *bare_jid;      /* real bare JID (stored after occ_jid) */
  char *occ_jid;       /* room@service/nick, in the occupant's block after the
                          session made for the JID that joined; then the bare
                          JID, then its <occupant-id/> (occupant.c) */
  uint8_t in_room;     /* indexed in the room (by_nick, list) */
  uint8_t canonical;   /* |occ_jid| is its own preparation (addr.h) */
  uint8_t inline_free; /* the session in the occupant's own block, made
                          for the JID that joined, is not in |sessions| */
  uint8_t feed_told;   /* the change feed told this occupant where it is in
                          the room (feed_lists.c); cleared on leaving */
  uint8_t flood;       /* its flood buckets lie in its block, before it
                          (flood.h): the service has flood control */
  /* what a broadcast reads, last, so that the block's own session follows
   * it: for most occupants a message touches two cache lines of the
   * block, not three (docs/performance.md) */
  uint8_t role;              /* MUC_ROLE_* (a byte: the struct keeps its
                                64 bytes with |flood| above) */
  struct muc_occupant *next; /* room order (join order) */
  muc_session *sessions;
  muc_session *primary; /* the session whose presence others see */
} muc_occupant;

/* A JID with a non-none affiliation (or with a reserved nick). */
typedef struct muc_affil {
  struct muc_affil *prev, *next; /* insertion order, for stable lists */
  muc_affiliation aff;
  uint8_t feed_told; /* the change feed told this entry (feed_lists.c) */
  char *nick;        /* reserved nickname or NULL */
  char *reason;      /* reason given with the last change, or NULL */
  char jid[];        /* bare JID, or a domain (host-wide outcast) */
} muc_affil;

typedef struct muc_history_entry {
  /* the message as it was broadcast, without 'to', with the room's
   * <delay/> added: serialized once, sent as it is */
  char *text;
  uint32_t len;
  uint32_t chars; /* UTF-8 characters of |text| (<= len), for maxchars */
  uint64_t ts;    /* ms */
} muc_history_entry;

/* An iq forwarded from one occupant to another, waiting for its answer
 * (XEP-0045 §17.4: the room stands between them, so the answer is routed
 * back by the id the room gave the query). */
#define MUC_MAX_PENDING_IQ 32
typedef struct muc_iq_route {
  char *id;     /* the id the room gave the forwarded query (NULL: free) */
  char *orig;   /* the sender's own id */
  char *sender; /* the sender's real full JID */
  char *target; /* the real full JID the query went to */
} muc_iq_route;

/* A stanza waiting for its room to finish loading. */
typedef struct muc_pending {
  struct muc_pending *next;
  mxml_node_t *stanza;
} muc_pending;

/* A user who created rooms that are in memory (max_rooms_per_creator). */
typedef struct muc_creator {
  size_t rooms;
  char jid[]; /* bare JID: its key in the service's map */
} muc_creator;

/* Room configuration (what the owner form edits). */
typedef struct muc_room_config {
  char *name;
  char *desc;
  char *password; /* NULL = none */
  char *lang;
  int persistent;
  int public_room;
  int members_only;
  int allow_member_invites;
  int moderated;
  int allow_invites;
  int change_subject;
  muc_whois whois;
  unsigned presence_broadcast; /* role bits */
  muc_allow_pm allow_pm;
  int allow_modpm; /* PMs to and from moderators always allowed */
  unsigned history_length;
  unsigned max_users;
  unsigned get_member_list; /* muc#roomconfig_getmemberlist: role set
                               (MUC_ROLE_BIT) that may read the member
                               list besides admins and owners (§9.5) */
  int logging;              /* muc#roomconfig_enablelogging: the host
                               logs; libmuc records it and announces
                               170/171 */
  int archiving;            /* muc#roomconfig_enablearchiving: messages go
                               to the host's archive, if it set one */
} muc_room_config;

struct muc_room {
  struct muc_room *prev, *next; /* service order (creation order) */
  muc_service *svc;
  char *node; /* nodeprepped local part: the service map key (in |jid|'s
                 block, after it) */
  char *jid;  /* node@service */
  muc_room_config cfg;
  muc_creator *creator; /* who created it by entering it; NULL: loaded
                           from storage */

  muc_pending *pending_first, *pending_last;
  size_t npending;

  uint64_t locked_until; /* 0 = not locked */
  size_t heap_pos;       /* in the service's timer heap (timer.c) */
  /* flags, bytes side by side: a room of a service of 100,000 is small */
  uint8_t loading;   /* waiting for muc_service_room_loaded */
  uint8_t destroyed; /* being torn down: no saves, no new joins */
  uint8_t canonical; /* |jid| is its own preparation (addr.h) */
  /* made by the admin API and never entered yet: an empty temporary
   * room stays until someone has been in it */
  uint8_t held;

  char *subject;      /* NULL = none */
  char *subject_from; /* occupant JID or room JID that set it */
  uint64_t subject_time;
  uint64_t created; /* ms since the epoch when the room was made (disco's
                       x-muc#roominfo_creationdate); 0: unknown (a record
                       or snapshot from before it was kept) */

  /* lookups (index.h): the lists while the room is small, then maps */
  struct muc_room_maps *maps; /* NULL until the room is not small */
  muc_occupant *first, *last;
  size_t noccupants;
  size_t nindexed; /* sessions with |indexed| set */

  muc_map reserved; /* reserved nick -> muc_affil */
  muc_affil *afirst, *alast;
  size_t naffils;
  uint8_t occupant_maps; /* maps->by_nick and maps->by_session are in use */
  uint8_t affil_map;     /* maps->affils is in use */

  /* ring of at most |hmax| entries (the history length), allocated for
   * |hcap| <= hmax and grown as messages come (history.c) */
  muc_history_entry *history;
  uint32_t hmax, hcap, hstart, hcount;
  size_t hbytes; /* bytes of text held by the history */

  /* MUC_MAX_PENDING_IQ routes, oldest replaced first; allocated by the
   * first forwarded query (most rooms never forward one) */
  muc_iq_route *iqs;
  size_t iq_next;
  /* store_write.c: the stored record up to its history; NULL: none */
  struct muc_record_head *record_head;

  /* hibernation (lru.c): on the service's list of rooms that can be
   * evicted, most recently used first */
  struct muc_room *lru_prev, *lru_next;
  uint64_t last_used; /* ms: its last stanza, or last failed eviction */
  uint8_t on_lru;
  uint8_t evict_tries;  /* failed evictions since its last stanza */
  uint8_t listed;       /* roomlist.c: public and persistent when noted */
  uint32_t listed_name; /* roomlist.c: hash of its name when noted */
  struct muc_host_fields *host_fields; /* host_fields.c; NULL: none */
  uint64_t feed_seq;          /* the change feed's last event (feed.c) */
  uint32_t feed_appended;     /* history entries kept since the feed's
                                 last look (feed.h), while it is set */
  struct muc_feed_room *feed; /* what the feed last said; NULL: none */
  /* room_extras.c: its vCard and hats (XEP-0486, XEP-0317); NULL: none */
  struct muc_room_extras *extras;
};

/* Recently prepared non-ASCII JIDs: libidn's stringprep costs
 * microseconds, and the same senders come back again and again (ASCII is
 * prepared without libidn, and known addresses not at all: addr.c). */
#define MUC_JID_CACHE 64
typedef struct muc_jid_slot {
  char *raw; /* the string as received; NULL: empty slot */
  muc_jid jid;
} muc_jid_slot;

/* The last addresses (a stanza's sender and target) that arrived as
 * their own preparation, up to this many bytes each (addr.c). */
#define MUC_ADDR_PROVEN 2
#define MUC_ADDR_PROVEN_MAX 128

/* An entry point called from inside a callback, waiting for the work in
 * progress to finish (see "Re-entrancy" in muc.h). */
typedef enum muc_call_kind {
  MUC_CALL_STANZA,        /* |tree| */
  MUC_CALL_SESSION_ENDED, /* |jid| */
  MUC_CALL_ROOM_LOADED,   /* |jid|, |data|/|len| (NULL: absent) */
  MUC_CALL_SHUTDOWN,
  MUC_CALL_TIMEOUT,
  MUC_CALL_HIBERNATE,
  MUC_CALL_RESTORE, /* |data|/|len|: a snapshot (snapshot_room.c) */
  MUC_CALL_APPLY,   /* |data|/|len|: a feed event (feed_apply.c) */
  MUC_CALL_ADMIN    /* |op|: a change of the admin API (api.h) */
} muc_call_kind;

/* A call of the admin API (api.h), which the service runs and frees
 * through these two without knowing what it does. */
typedef struct muc_call_op {
  int (*run)(muc_service *svc, const struct muc_call_op *op);
  void (*release)(muc_service *svc, struct muc_call_op *op);
} muc_call_op;

typedef struct muc_call {
  struct muc_call *next;
  muc_call_kind kind;
  mxml_node_t *tree;
  char *jid;
  char *data;
  size_t len;
  muc_call_op *op;
} muc_call;

/* Run |op| as an entry point call, or queue it when a call is in progress
 * (service.c); |op| is the service's from here on. */
int muc_service_call_op(muc_service *svc, muc_call_op *op);

struct muc_service {
  muc_mem mem;
  muc_callbacks cb;
  muc_send_tree_fn send_tree; /* deliveries as trees (muc_mxml.h) */
  muc_config cfg;
  void *ud;
  char *domain;
  muc_map rooms; /* node -> muc_room */
  muc_room *rfirst, *rlast;
  size_t nrooms;
  muc_map creators; /* bare JID -> muc_creator */
  uint64_t now;     /* ms, read once per entry point */
  uint64_t idc;     /* id counter */
  int err;          /* first failure during the current entry point */
  int oom;          /* memory ran out: nothing more is sent (sticky per call) */
  int fatal;        /* a fatal code: every later call returns it */
  int depth;        /* inside an entry point (nested calls are deferred) */
  muc_call *calls_first, *calls_last; /* deferred entry point calls */
  muc_outq outq;                      /* deliveries not yet handed out */
  muc_room **heap;                    /* timers (timer.c) */
  size_t nheap, heap_cap;
  muc_buf scratch;
  muc_buf out; /* one delivery, 'to' spliced in */
  /* strings the admin API's reads hand out (api.c) */
  muc_buf answer;
  /* the last room storage answered absent for a load no stanza waited
   * on (an admin call's): not asked again until a room of that name is
   * made (api.c, route.c, room.c) */
  char *absent_node;
  /* the last text stanza's tree, for the next parse to refill (service.c;
   * mxml's memory, not the allocator's) */
  mxml_node_t *spare_tree;
  muc_jid_slot jids[MUC_JID_CACHE]; /* direct-mapped by hash */
  /* addresses that arrived already prepared, latest first (addr.c) */
  char proven[MUC_ADDR_PROVEN][MUC_ADDR_PROVEN_MAX];
  size_t proven_next;
  /* rooms that can be evicted, most recently used first (lru.c) */
  muc_room *lru_first, *lru_last;
  /* the stored public rooms not in memory (roomlist.c) */
  muc_roomindex roomlist;
  uint8_t roomlist_asked;     /* load_room(domain) was called */
  uint8_t roomlist_dirty;     /* the stored list is out of date */
  uint64_t roomlist_due;      /* when it is written, if dirty */
  struct muc_hook_set *hooks; /* hooks.h; NULL: none set */
  struct muc_feed *feed;      /* the change feed (feed.c); NULL: none */
  muc_archive archive;        /* the host's (archive.c); all NULL: none */
  void *archive_ud;
  /* XEP-0421: the keyed hash of occupant ids (occupant_id.h); NULL: the
   * service gives none */
  struct muc_occupant_key *occupant_key;
  uint32_t flood_kinds; /* flood.c: bit k set when cfg.flood[k] limits */
  struct muc_tombstones *tombstones; /* tombstone.c; NULL: none yet */
};

/* Record |rc| as the entry point's result if it is the first failure. */
static inline void muc_fail(muc_service *svc, int rc)
{
  if (rc == MUC_ERR_NOMEM)
    svc->oom = 1;
  if (rc != MUC_OK && svc->err == MUC_OK)
    svc->err = rc;
}

/* The answer of a policy hook (muc.h): positive yes, 0 no, negative a
 * failed look-up, which is a no and the call's MUC_ERR_CALLBACK_FAILURE. */
static inline int muc_policy_yes(muc_service *svc, int answer)
{
  if (answer < 0)
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
  return answer > 0;
}

/* Is |bare| an administrator of the whole service (muc_callbacks)? */
static inline int muc_is_service_admin(muc_service *svc, const char *bare)
{
  return svc->cb.is_service_admin &&
         muc_policy_yes(svc, svc->cb.is_service_admin(bare, svc->ud));
}

#endif
