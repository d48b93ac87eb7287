/*
 * libmuc - an embeddable XMPP Multi-User Chat (XEP-0045) engine.
 *
 * This header is the core API: text in (muc_service_handle_xml), bytes out
 * (the send_bytes callback), and everything else.  It includes only
 * <stddef.h> and <stdint.h> and uses only their types, so binding
 * generators read it unmodified: bindgen as it is, cffi's cdef after the C
 * preprocessor (with the two standard headers stubbed:
 * examples/python/tests/test_header.py does it).  Hosts that hold parsed
 * Mini-XML trees also include <muc/muc_mxml.h>.
 *
 * libmuc is a pure state machine: the host hands it stanzas, libmuc
 * updates room state and hands back the stanzas to send.  Time, ids,
 * storage and policy come from host callbacks.
 *
 * Threads: a muc_service is used by one thread at a time.  Distinct
 * services share nothing and may run on distinct threads.
 *
 * Re-entrancy: every entry point may be called from inside any callback
 * (for example muc_service_session_ended() from send_bytes when the
 * recipient's socket turns out to be gone).  Such a nested call does not
 * run at once: its input is checked and copied, and it is handled when the
 * work in progress is finished, before the outermost entry point returns.
 * Deliveries are queued while a stanza is handled and handed to send_bytes
 * only once every state change that stanza causes is complete, so a
 * callback always sees a consistent service.  The one call not allowed in
 * a callback is muc_service_free(), which then returns MUC_ERR_IN_CALLBACK
 * and frees nothing.  Queries (muc_service_get_*, muc_room_get_*) may be
 * called from callbacks and see the state as it is at that moment.
 *
 * Memory: libmuc allocates its own state through the muc_allocator given
 * to muc_service_new(); the parsed stanzas it works on are Mini-XML trees,
 * which Mini-XML allocates with malloc().  Every allocation's result is
 * checked.  Out of memory is fatal for the service: the entry point
 * returns MUC_ERR_NOMEM, nothing built after the failure is sent (every
 * stanza that was sent is complete and correct), and every later call
 * returns MUC_ERR_NOMEM; only muc_service_free() remains.
 *
 * Versioned structs (muc_callbacks, muc_config) only ever grow at the end.
 * The caller passes the version it was compiled with (the macros do that);
 * libmuc reads only the fields that version has and gives the rest their
 * defaults.  A new field is documented with the version that added it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MUC_MUC_H
#define MUC_MUC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Define MUC_STATICLIB when linking the static library on Windows. */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(MUC_STATICLIB)
#define MUC_EXTERN
#elif defined(BUILDING_LIBMUC)
#define MUC_EXTERN __declspec(dllexport)
#else
#define MUC_EXTERN __declspec(dllimport)
#endif
#elif defined(BUILDING_LIBMUC) && defined(__GNUC__)
#define MUC_EXTERN __attribute__((visibility("default")))
#else
#define MUC_EXTERN
#endif

#define MUC_VERSION_MAJOR 0
#define MUC_VERSION_MINOR 3
#define MUC_VERSION_PATCH 0
#define MUC_VERSION "0.3.0"
/* 0xMMmmpp: major, minor, patch, one byte each. */
#define MUC_VERSION_NUM 0x000300

/* ------------------------------------------------------------------ */
/* Return codes                                                        */
/* ------------------------------------------------------------------ */

/*
 * An XMPP refusal (<forbidden/>, <conflict/>, ...) is NOT a C error:
 * libmuc sends the error stanza and the entry point returns MUC_OK.  C
 * codes are for input that cannot be answered at all, for host failures
 * and for API misuse.  Codes at or below MUC_ERR_FATAL mean the service
 * must not be used any more: every later call returns the same code, and
 * the only call still useful is muc_service_free().
 */
#define MUC_OK 0
/* API misuse: NULL handle, bad constant, string not valid UTF-8, unknown
 * struct version. */
#define MUC_ERR_INVALID_ARG -1
/* The input cannot even be bounced: not XML, not one of message /
 * presence / iq, no usable 'from' or 'to', over the structural limits.
 * Nothing was sent. */
#define MUC_ERR_BAD_STANZA -2
/* A configured limit was hit where no stanza can say so (stanza size,
 * stanzas queued for a loading room: the sender got
 * <resource-constraint/>). */
#define MUC_ERR_LIMIT -3
/* A storage callback reported failure, or a stored record is invalid. */
#define MUC_ERR_STORAGE -4
/* The named room, or the load being answered, does not exist. */
#define MUC_ERR_NOT_FOUND -5
/* The stanza is not for this service's domain.  Nothing was sent. */
#define MUC_ERR_NOT_MINE -6
/* A callback that reports failure did (send_bytes, load_room, ...).  The
 * entry point still did all its work (state is complete and every other
 * delivery was made); what that one callback was to do (a delivery, a
 * load) did not happen. */
#define MUC_ERR_CALLBACK_FAILURE -7
/* muc_service_free() was called from inside a callback: nothing freed. */
#define MUC_ERR_IN_CALLBACK -8
/* A room of that JID is in memory or loading already
 * (muc_service_create_room, muc_service_restore_room).  Since 0.3. */
#define MUC_ERR_EXISTS -9
/* The change is against XEP-0045's rules for any actor: it would leave a
 * room that has an owner without one (§10.4), or take voice or moderator
 * status from an admin or owner (§8.4, §9.7).  Since 0.3. */
#define MUC_ERR_NOT_ALLOWED -10
/* The room's record is being loaded (load_room was asked, no answer yet).
 * Since 0.3. */
#define MUC_ERR_LOADING -11
/* Not a code of its own: the threshold of the fatal ones. */
#define MUC_ERR_FATAL -100
/* Out of memory (see "Memory" above).  Fatal. */
#define MUC_ERR_NOMEM -101

/**
 * muc_strerror - a static English description of |err|; never NULL.
 * Since: 0.1
 */
MUC_EXTERN const char *muc_strerror(int err);

/**
 * muc_error_is_fatal - nonzero if |err| is at or below MUC_ERR_FATAL.
 * Since: 0.1
 */
MUC_EXTERN int muc_error_is_fatal(int err);

/**
 * muc_version - the library's version string, e.g. "0.2.0" (static).
 * Since: 0.1
 */
MUC_EXTERN const char *muc_version(void);

/**
 * muc_version_num - the library's MUC_VERSION_NUM.  A host compiled
 * against this header checks at run time that the library it loaded is
 * at least as new: muc_version_num() >= MUC_VERSION_NUM.
 * Since: 0.2
 */
MUC_EXTERN uint32_t muc_version_num(void);

/* ------------------------------------------------------------------ */
/* Constants                                                           */
/* ------------------------------------------------------------------ */

/* Roles (XEP-0045 §5.1). */
#define MUC_ROLE_NONE 0
#define MUC_ROLE_VISITOR 1
#define MUC_ROLE_PARTICIPANT 2
#define MUC_ROLE_MODERATOR 3
/* Bit for |role| in a role set (e.g. muc_config.room_presence_broadcast) */
#define MUC_ROLE_BIT(role) (1u << (unsigned)(role))
#define MUC_ROLES_ALL 0xFu

/* Affiliations (XEP-0045 §5.2). */
#define MUC_AFFIL_OUTCAST -1
#define MUC_AFFIL_NONE 0
#define MUC_AFFIL_MEMBER 1
#define MUC_AFFIL_ADMIN 2
#define MUC_AFFIL_OWNER 3

/* Who may send private messages (muc#roomconfig_allowpm). */
#define MUC_PM_ANYONE 0       /* every occupant (default) */
#define MUC_PM_PARTICIPANTS 1 /* participants and moderators */
#define MUC_PM_MODERATORS 2
#define MUC_PM_MEMBERS 3 /* occupants with an affiliation */
#define MUC_PM_NOBODY 4

/* Who may see occupants' real JIDs (muc#roomconfig_whois). */
#define MUC_WHOIS_MODERATORS 0 /* semi-anonymous (default) */
#define MUC_WHOIS_ANYONE 1     /* non-anonymous */

/* Log levels. */
#define MUC_LOG_DEBUG 0
#define MUC_LOG_INFO 1
#define MUC_LOG_WARN 2
#define MUC_LOG_ERROR 3

/* ------------------------------------------------------------------ */
/* Opaque types                                                        */
/* ------------------------------------------------------------------ */

/* One MUC domain (e.g. conference.example.org) and all of its rooms. */
typedef struct muc_service muc_service;
/* A room; borrowed from its service, valid until the next entry point
 * call on the service (it may be destroyed by it). */
typedef struct muc_room muc_room;

/* ------------------------------------------------------------------ */
/* Allocator                                                           */
/* ------------------------------------------------------------------ */

/**
 * muc_allocator - memory hooks for libmuc's own state.
 *
 * All three are required when the struct is given; |user_data| here is
 * the allocator's own and is passed to each hook.  Pass NULL to
 * muc_service_new() for the C library's malloc/realloc/free.  The hooks
 * may fail (return NULL): libmuc then reports MUC_ERR_NOMEM.
 */
typedef struct muc_allocator {
  void *(*malloc)(size_t size, void *user_data);
  void *(*realloc)(void *ptr, size_t size, void *user_data);
  void (*free)(void *ptr, void *user_data);
  void *user_data;
} muc_allocator;

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

/**
 * muc_callbacks - everything libmuc needs from the host.
 *
 * Copied by muc_service_new(); it may live on the stack.  Every callback
 * receives the |user_data| given to muc_service_new().  A callback that
 * returns int returns 0 on success; any other value makes the entry point
 * return MUC_ERR_CALLBACK_FAILURE (unless a callback says otherwise).
 * Strings passed to callbacks are NUL-terminated UTF-8 and borrowed for
 * the call.  Any entry point may be called from any callback (see
 * "Re-entrancy" at the top).
 */
typedef struct muc_callbacks {
  /* --- MUC_CALLBACKS_V1 --- */

  /**
   * send_bytes - Required (unless the service was made with
   * muc_service_new_tree() of <muc/muc_mxml.h>).  Deliver one stanza: |to|
   * is the recipient (NUL-terminated), |xml|/|len| the whole serialized
   * stanza (UTF-8, no XML declaration, no trailing newline, not
   * NUL-terminated) with 'to' among its attributes.  The top-level element
   * carries no xmlns: it is in the stream's default namespace
   * (jabber:client or jabber:component:accept).  Both are borrowed for
   * the call.  A broadcast is serialized once; only the recipient is
   * spliced in.
   */
  int (*send_bytes)(const char *to, const char *xml, size_t len,
                    void *user_data);

  /**
   * now - Required.  Current wall-clock time in milliseconds since the
   * Unix epoch.  Read once per entry point call (and once more for each
   * nested call it runs, see "Re-entrancy"); used for history stamps
   * (urn:xmpp:delay), room-lock expiry and "seconds"/"since" history
   * requests.  A replay supplies a fake clock.
   */
  uint64_t (*now)(void *user_data);

  /**
   * is_service_admin - Optional.  Positive if the bare JID |bare_jid| is an
   * administrator of the whole service, 0 if not, negative if the host
   * could not tell (then: not an admin, and the entry point returns
   * MUC_ERR_CALLBACK_FAILURE).  An administrator may use the service's ad-hoc
   * commands (destroy any room) and create rooms whatever
   * may_create_room and the per-creator room limit say.  It gets no
   * affiliation in rooms by this.  NULL: nobody is.
   */
  int (*is_service_admin)(const char *bare_jid, void *user_data);

  /**
   * may_create_room - Optional.  Positive if |real_jid| (full JID) may
   * create the room |room_jid| (bare), 0 if not, negative if the host
   * could not tell (then: refused, and the entry point returns
   * MUC_ERR_CALLBACK_FAILURE).  NULL: anybody may.  Not asked for service
   * admins.  Refused creators get <not-allowed/>.
   */
  int (*may_create_room)(const char *real_jid, const char *room_jid,
                         void *user_data);

  /**
   * make_id - Optional.  Write a NUL-terminated unique id of at most
   * |size|-1 bytes into |buf| (size is at least 16).  Used for the 'id' of
   * groupchat messages that arrive without one and of queries the room
   * forwards.  NULL, a nonzero return or an empty id: a per-service
   * counter ("muc-1", "muc-2", ...) is used, and that is not a failure.
   */
  int (*make_id)(char *buf, size_t size, void *user_data);

  /**
   * store_room - Optional (NULL: no persistence).  Persist the state of
   * the room |room_jid| (bare).  |data|/|len| is libmuc's own serialized
   * record (UTF-8 XML text, not NUL-terminated; borrowed for the call):
   * configuration, affiliations, reserved nicknames, subject and (unless
   * muc_config.store_history is 0) the discussion history.  The host
   * stores it as an opaque blob and gives it back to
   * muc_service_room_loaded(); each call replaces the previous record.
   * Called when a persistent room's state changes, for every message
   * that enters its history (store_history), and at shutdown, always
   * before the stanzas announcing the change are handed to send_bytes.
   * |data| NULL means: delete the record (the room was destroyed or
   * stopped being persistent).  Nonzero: the entry point returns
   * MUC_ERR_STORAGE; the room stays in memory as it is.  The record's
   * format is described in docs/room-record.md: later versions of
   * libmuc read the records of earlier ones.
   */
  int (*store_room)(const char *room_jid, const char *data, size_t len,
                    void *user_data);

  /**
   * load_room - Optional (NULL: rooms live only in memory).  Called when a
   * stanza arrives for a room that is not in memory.  The host looks the
   * room up and answers with muc_service_room_loaded(), either from inside
   * this callback (synchronous storage) or later (asynchronous storage).
   * Until the answer arrives, stanzas for that room are queued (bounded by
   * muc_config.max_pending_stanzas), never dropped.  Nonzero: the waiting
   * senders get <internal-server-error/> and the entry point returns
   * MUC_ERR_CALLBACK_FAILURE.
   */
  int (*load_room)(const char *room_jid, void *user_data);

  /**
   * log - Optional.  |level| is a MUC_LOG_* constant; |msg| is borrowed.
   */
  void (*log)(int level, const char *msg, void *user_data);
} muc_callbacks;

#define MUC_CALLBACKS_V1 1
#define MUC_CALLBACKS_VERSION MUC_CALLBACKS_V1

/* Kinds of stanza that flood control counts (muc_config.flood, indexed by
 * these; docs/flood.md). */
#define MUC_FLOOD_MESSAGE 0  /* groupchat messages to the room */
#define MUC_FLOOD_PRESENCE 1 /* presence updates and nick changes of an
                                occupant (not its join, not its leave) */
#define MUC_FLOOD_VOICE 2    /* voice requests (muc#request) */
#define MUC_FLOOD_INVITE 3   /* mediated invitations */
#define MUC_FLOOD_SUBJECT 4  /* subject changes */
#define MUC_FLOOD_KINDS 5

/* One row of flood control: a token bucket per occupant.  An occupant
 * may send |burst| stanzas of the kind at once, and after that one every
 * 60000 / |per_minute| ms.  |per_minute| 0: not limited (the default). */
typedef struct muc_flood_rule {
  uint32_t per_minute; /* sustained rate; at most 600000 */
  uint32_t burst;      /* stanzas at once; 0 counts as 1; at most 1000000 */
} muc_flood_rule;

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

/**
 * muc_config - room defaults, service settings and the limits that
 * protect the service.  Fill it with muc_config_default() and change what
 * you need.  Booleans are 0/1.  For every limit, 0 means "no limit"
 * unless noted; the defaults are safe for a public service.  What a client
 * gets when it hits a limit is given with each.
 */
typedef struct muc_config {
  /* --- MUC_CONFIG_V1 --- */

  /* The configuration a new room starts with (muc#roomconfig_*). */
  int room_persistent;              /* persistentroom; 0 */
  int room_public;                  /* publicroom (listed in disco); 0 */
  int room_members_only;            /* membersonly; 0 */
  int room_moderated;               /* moderatedroom; 0 */
  int room_allow_invites;           /* allowinvites (members may invite); 0 */
  int room_change_subject;          /* changesubject (participants may); 0 */
  int room_whois;                   /* MUC_WHOIS_*; MUC_WHOIS_MODERATORS */
  uint32_t room_presence_broadcast; /* role set of MUC_ROLE_BIT(); visitor,
                                       participant and moderator */
  int room_allow_pm;                /* MUC_PM_*; MUC_PM_ANYONE */
  uint32_t room_history_length;     /* messages kept; 20 */
  uint32_t room_max_users;          /* muc#roomconfig_maxusers; 0 */
  int room_lock_new;                /* new rooms refuse others until
                                       configured (§10.1.2); 1 */
  uint64_t room_lock_timeout_ms;    /* an unconfigured room unlocks after
                                       this; 300000 (5 minutes) */
  int room_allow_unaffiliated_register; /* 0 */

  /* Parsing limits of the text entry point (and of host trees).  Over
   * them the stanza is not handled: MUC_ERR_LIMIT for the size,
   * MUC_ERR_BAD_STANZA for the rest.  None may be 0. */
  uint32_t max_stanza_bytes; /* 65536 */
  uint32_t max_depth;        /* element nesting; 32 */
  uint32_t max_attrs;        /* attributes per element; 64 */
  uint32_t max_children;     /* child elements per element; 512 */

  /* Counts.  A join that would create a room past max_rooms or
   * max_rooms_per_creator gets <resource-constraint/> (wait); past
   * max_occupants_per_room <service-unavailable/> (wait, as for a full
   * room, §7.2.9; unlike room_max_users it holds for the room's admins
   * and owners too); a further session of an occupant past
   * max_sessions_per_occupant <resource-constraint/> (wait); an
   * affiliation change past max_affiliations_per_room
   * <resource-constraint/> (wait): a request (an admin list, a
   * configuration form, a registration, an invitation into a members-only
   * room) that would add entries past it changes nothing, while changes
   * to existing entries and removals always work. */
  uint32_t max_rooms;                 /* rooms in memory, loading ones
                                         included; 100000 */
  uint32_t max_rooms_per_creator;     /* rooms in memory created by one
                                         bare JID (rooms loaded from
                                         storage count for nobody); 100
                                         (service admins are exempt) */
  uint32_t max_occupants_per_room;    /* 1000 */
  uint32_t max_sessions_per_occupant; /* resources sharing a nick; 16 */
  uint32_t max_affiliations_per_room; /* JIDs with an affiliation or a
                                         reserved nick; 10000 */
  uint32_t max_pending_stanzas;       /* queued per loading room; 64;
                                         may not be 0 */

  /* Sizes, in bytes of UTF-8 (never 0).  A nick over max_nick_bytes gets
   * <not-acceptable/> (modify); a subject, reason or invitation text over
   * its limit <policy-violation/> (modify); a room configuration or
   * registration form with a value over its limit <not-acceptable/>
   * (modify), and nothing of it is applied.  A stored record
   * (muc_service_room_loaded) holding more than these limits or
   * max_affiliations_per_room allow is refused as invalid
   * (MUC_ERR_STORAGE). */
  uint32_t max_nick_bytes;       /* after resourceprep; 256 (a nick is a
                                    JID resource: over 1023 bytes it is
                                    refused as malformed, not as too long,
                                    whatever this says) */
  uint32_t max_subject_bytes;    /* 4096 */
  uint32_t max_reason_bytes;     /* kick, ban, role and affiliation
                                    changes, destroy, invite, decline;
                                    1024 */
  uint32_t max_room_name_bytes;  /* muc#roomconfig_roomname; 256 */
  uint32_t max_password_bytes;   /* muc#roomconfig_roomsecret, and the
                                    password a join gives a new room; 256 */
  uint32_t max_form_value_bytes; /* any other form value (but
                                    FORM_TYPE); 4096 */

  /* History.  Oldest messages are dropped first to stay within both.  A
   * message is never refused for them: one larger than max_history_bytes
   * by itself is broadcast but not kept. */
  uint32_t max_history;       /* hard cap on room_history_length and on
                                 muc#roomconfig_historylength; 100 */
  uint32_t max_history_bytes; /* serialized bytes kept per room (0: no
                                 limit); 262144 */

  /* --- MUC_CONFIG_V2 --- */

  /* Room history in the stored record (see store_room).  1: the record of
   * a persistent room carries its history, and every message that enters
   * that history stores the room (store_room is called with the new
   * record before the message is handed to send_bytes: one store per
   * kept groupchat message); a room loaded from its record serves the
   * same history as if the service had never stopped.  0: records carry
   * no history, history in a stored record is ignored, and messages
   * cause no store.  Only rooms that are persistent, in a service with a
   * store_room callback, ever cost anything.  1 */
  int store_history;

  /* --- MUC_CONFIG_V3 --- */

  /* Hibernation (see the "Hibernation" section below).  Only a service
   * with both store_room and load_room ever evicts a room, and only a
   * persistent room that nobody is in, that waits for nothing (no load,
   * no queued stanza, no lock timer) and whose whole state is in its
   * record (store_history, or an empty history).  A room with occupants
   * is never evicted. */
  uint32_t hibernate_idle_ms; /* a room that can be evicted is stored and
                                 evicted after this long without a
                                 stanza (handle_timeout does it; see
                                 next_deadline); 0: never.  0 */
  int evict_at_max_rooms;     /* 1: a room that would be past max_rooms
                                 first evicts the least recently used
                                 room that can be; only when none can is
                                 it refused (resource-constraint).  0: it
                                 is refused at once.  1 */
  int store_room_list;        /* 1: the list of stored public rooms is
                                 persisted through store_room/load_room
                                 under the service's domain as key and
                                 asked for (load_room with the domain) at
                                 the service's first entry point, so the
                                 room list (disco#items on the service)
                                 shows stored rooms after a restart
                                 (docs/room-record.md).  0 */

  /* --- MUC_CONFIG_V4 --- */

  /* Room avatars and hats (XEP-0486, XEP-0317; docs/avatars-hats.md). */
  uint32_t max_vcard_bytes;   /* a room's serialized vCard (the owner's
                                 iq set, muc_service_set_room_vcard);
                                 a bigger one is refused with
                                 <not-acceptable/>.  32768 */
  uint32_t max_hats_per_room; /* hats a room defines; 64 */
  uint32_t max_hats_per_user; /* hats one bare JID wears in a room; 16 */
  /* XEP-0421 occupant-id and XEP-0359 stanza-id (docs/ids.md). */
  /* The service's secret for occupant ids: with it every presence and
   * message the room sends about an occupant carries <occupant-id
   * xmlns='urn:xmpp:occupant-id:0' id='...'/>, the same for one real bare
   * JID in one room (across nick changes, sessions and rejoins; also in
   * semi-anonymous rooms, which is its point) and different in another
   * room: the first 18 bytes of HMAC-SHA256(secret, room bare JID, NUL,
   * real bare JID), base64url (24 characters).  Read only by
   * muc_service_new (the keyed state is kept, not the pointer): keep it
   * the same across restarts and on every replica, or ids change.  At
   * least 16 bytes (fewer: MUC_ERR_INVALID_ARG).  NULL: no occupant ids.
   * NULL */
  const uint8_t *occupant_id_secret;
  size_t occupant_id_secret_len; /* bytes of occupant_id_secret; 0 */
  int stanza_id; /* 1: every groupchat message an occupant sends carries
                    <stanza-id xmlns='urn:xmpp:sid:0' by='room@service'
                    id='...'/>, live and in the history; the id is made by
                    make_id once per message and is the stable_id
                    message_archived gets.  A room that archives
                    (muc_service_set_archive, room_archiving) does so
                    whatever this says, and puts one on subject changes
                    too (they are archived).  0 */

  /* Flood control (docs/flood.md): one token bucket per occupant and
   * kind of stanza (MUC_FLOOD_*), in a few bytes of the occupant, checked
   * in O(1) against the host's clock (muc_callbacks.now).  A stanza over
   * its kind's limit is refused <policy-violation/> (wait) and changes
   * nothing: a message is not broadcast, a presence not applied (the
   * error presence comes from the occupant JID it was sent to).  All
   * rows 0 (the default, as Prosody and ejabberd ship): one test per
   * stanza, nothing else. */
  muc_flood_rule flood[MUC_FLOOD_KINDS];
  uint32_t flood_exempt_roles; /* role set (MUC_ROLE_BIT) that is never
                                  limited; MUC_ROLE_BIT(MUC_ROLE_MODERATOR) */

  /* Tombstones (docs/tombstones.md): a room destroyed by its owner, a
   * service admin's command or muc_service_destroy_room leaves a
   * tombstone for this long: every stanza to the room is answered <gone/>
   * (cancel) naming the alternate venue, and nobody but a service admin
   * may create the room again until it expires.  0: no tombstones (the
   * default). */
  uint64_t tombstone_ms;

  /* Message archive (XEP-0313 for rooms; muc_service_set_archive). */
  int room_archiving;        /* muc#roomconfig_enablearchiving: a new room
                                archives its groupchat messages when the
                                host set an archive; 1 */
  uint32_t max_archive_page; /* the most messages one MAM query answers
                                with (a larger <max/> is taken as this);
                                50; may not be 0 */

  /* XEP-0045 leftovers (docs/conformance.md, "Modern MUC extensions"). */
  int notify_absent_affiliation; /* 1: a user whose affiliation changes
                                    while not in the room (an admin list,
                                    a configuration form, the admin API;
                                    not their own registration, nor a
                                    domain) gets a message at their bare
                                    JID from the room with the new
                                    affiliation and status 101 (§9.3,
                                    §17.3).  1 */
  int enforce_reserved_nicks;    /* 1: a user with a reserved nick (§7.10)
                                    who joins under another one enters
                                    under the reserved one, told by
                                    status 210 (§7.2.12).  0 */
  uint32_t max_room_list_items;  /* disco#items on the service without a
                                    XEP-0059 <set/>: at most this many
                                    rooms, then a <set/> with <count/> and
                                    <last/> to page on from (0: all, as
                                    before).  0 */
} muc_config;

#define MUC_CONFIG_V1 1
#define MUC_CONFIG_V2 2 /* adds store_history */
#define MUC_CONFIG_V3                                                          \
  3                     /* adds hibernate_idle_ms, evict_at_max_rooms,         \
                           store_room_list */
#define MUC_CONFIG_V4 4 /* adds max_vcard_bytes, max_hats_per_room,
                           max_hats_per_user, occupant_id_secret,
                           occupant_id_secret_len, stanza_id, flood,
                           flood_exempt_roles, tombstone_ms,
                           room_archiving, max_archive_page,
                           notify_absent_affiliation,
                           enforce_reserved_nicks, max_room_list_items */
#define MUC_CONFIG_VERSION MUC_CONFIG_V4

/**
 * muc_config_default_versioned - fill the fields of |cfg| that version
 * |config_version| has with the defaults documented above.  Use the
 * muc_config_default() macro.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (NULL |cfg|, unknown version).
 * Since: 0.2
 */
MUC_EXTERN int muc_config_default_versioned(int config_version,
                                            muc_config *cfg);

#define muc_config_default(CFG)                                                \
  muc_config_default_versioned(MUC_CONFIG_VERSION, (CFG))

/* ------------------------------------------------------------------ */
/* Lifecycle                                                           */
/* ------------------------------------------------------------------ */

/**
 * muc_service_new_versioned - create a service for the MUC domain |domain|
 * (e.g. "conference.example.org", nameprepped and copied).
 *
 * |cb| and |cfg| are copied (NULL |cfg| = muc_config_default()).  |mem|
 * is copied (NULL = libc).  |user_data| is passed to every callback.
 * Use the muc_service_new() macro, which passes the version constants.
 * Returns MUC_OK and sets *|psvc|, or:
 *   MUC_ERR_INVALID_ARG  NULL argument, |cb->now| or |cb->send_bytes|
 *                        missing, bad domain, unknown struct version, a
 *                        config value out of range
 *   MUC_ERR_NOMEM        out of memory
 * Since: 0.1
 */
MUC_EXTERN int
muc_service_new_versioned(muc_service **psvc, const char *domain,
                          int callbacks_version, const muc_callbacks *cb,
                          int config_version, const muc_config *cfg,
                          const muc_allocator *mem, void *user_data);

#define muc_service_new(PSVC, DOMAIN, CB, CFG, MEM, UD)                        \
  muc_service_new_versioned((PSVC), (DOMAIN), MUC_CALLBACKS_VERSION, (CB),     \
                            MUC_CONFIG_VERSION, (CFG), (MEM), (UD))

/**
 * muc_service_free - free |svc| and every room in it.  Nothing is sent
 * (call muc_service_shutdown() first to tell occupants).  NULL is a
 * no-op.
 * Returns MUC_OK, or MUC_ERR_IN_CALLBACK when called from inside one of
 * |svc|'s callbacks (nothing is freed; free it after the outermost entry
 * point returned).
 * Since: 0.1 (returns int since 0.2)
 */
MUC_EXTERN int muc_service_free(muc_service *svc);

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

/**
 * muc_service_handle_xml - handle one complete stanza: |xml| is |len|
 * bytes of UTF-8 text (need not be NUL-terminated; borrowed), a
 * <message/>, <presence/> or <iq/> addressed to the service domain, a room
 * (room@domain) or an occupant (room@domain/nick), with 'from' set to the
 * sender's full JID (the host authenticates it).
 *
 * The text is parsed once, strictly: size (max_stanza_bytes), UTF-8, XML
 * characters, only the five predefined entities, no comments, processing
 * instructions or DOCTYPE, depth/attribute/children limits.  Leading and
 * trailing whitespace is ignored.  Everything the stanza causes is sent
 * before this returns (unless the room is still loading: see load_room).
 * Returns MUC_OK (also when the answer is an XMPP error stanza), or:
 *   MUC_ERR_INVALID_ARG  NULL |svc|, or NULL |xml| with |len| > 0
 *   MUC_ERR_LIMIT        over max_stanza_bytes (nothing sent), or a
 *                        loading room has too many queued stanzas (the
 *                        sender got <resource-constraint/>)
 *   MUC_ERR_BAD_STANZA   malformed, not a stanza, or no 'from' that is a
 *                        JID: nothing sent (a stanza whose sender is
 *                        known is answered with its error instead, a
 *                        malformed 'to' on this domain too: MUC_OK; see
 *                        docs/errors.md)
 *   MUC_ERR_NOT_MINE     'to' is not this service's domain: nothing sent
 *   MUC_ERR_CALLBACK_FAILURE, MUC_ERR_STORAGE, MUC_ERR_NOMEM
 * Called from inside a callback, it returns MUC_OK, MUC_ERR_LIMIT,
 * MUC_ERR_BAD_STANZA or MUC_ERR_NOMEM at once and handles the stanza
 * later (see "Re-entrancy"); what that handling returns is folded into the
 * outermost call's result.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_handle_xml(muc_service *svc, const char *xml,
                                      size_t len);

/**
 * muc_service_session_ended - the client session |full_jid| is gone
 * (disconnect, stream error).  It leaves every room it was in, exactly as
 * if it had sent unavailable presence to each (so the session, too, is
 * handed its own unavailable presence: a host drops what it can no longer
 * deliver).
 * Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL argument, not a valid full
 * JID: checked at once, also when called from a callback),
 * MUC_ERR_CALLBACK_FAILURE, MUC_ERR_STORAGE or MUC_ERR_NOMEM.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_session_ended(muc_service *svc,
                                         const char *full_jid);

/**
 * muc_service_room_loaded - the host's answer to load_room.
 *
 * |data|/|len| is a record previously given to store_room (borrowed), or
 * NULL if the room does not exist in storage.  Queued stanzas for the room
 * are handled before the outermost call returns.  May be called from
 * inside load_room.
 * Returns MUC_OK, or:
 *   MUC_ERR_INVALID_ARG  NULL argument, |room_jid| not a room JID
 *   MUC_ERR_NOT_FOUND    no load is pending for |room_jid|
 *   MUC_ERR_STORAGE      |data| is not a valid record (the room is treated
 *                        as absent and queued senders get
 *                        <internal-server-error/>)
 *   MUC_ERR_CALLBACK_FAILURE, MUC_ERR_NOMEM
 * Since: 0.1
 */
MUC_EXTERN int muc_service_room_loaded(muc_service *svc, const char *room_jid,
                                       const char *data, size_t len);

/**
 * muc_service_shutdown - the service is going away: every occupant of
 * every room receives its own unavailable presence with status 332
 * (XEP-0045 §7.2.x, "removed because of a system shutdown"), persistent
 * rooms are stored one last time, and all rooms are emptied.  The service
 * stays usable (new joins create rooms again); free it with
 * muc_service_free().
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_CALLBACK_FAILURE,
 * MUC_ERR_STORAGE or MUC_ERR_NOMEM.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_shutdown(muc_service *svc);

/**
 * muc_service_next_deadline - the earliest time (ms since the epoch, the
 * host clock) at which muc_service_handle_timeout() has work to do, or
 * UINT64_MAX if none (a room's lock, hibernation, the stored room list,
 * the oldest tombstone's expiry).  O(1).
 * Since: 0.1
 */
MUC_EXTERN uint64_t muc_service_next_deadline(const muc_service *svc);

/**
 * muc_service_handle_timeout - run the work that is due at the current
 * time (as read from |now|), e.g. unlock rooms whose creator never
 * configured them.  Calling it early is harmless.  O(log rooms) per
 * expired timer.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_CALLBACK_FAILURE or
 * MUC_ERR_NOMEM.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_handle_timeout(muc_service *svc);

/* ------------------------------------------------------------------ */
/* Queries (read-only; never fail but for NULL arguments)              */
/* ------------------------------------------------------------------ */

/**
 * muc_service_get_domain - the service's domain (borrowed, valid as long
 * as the service).  NULL for a NULL |svc|.
 * Since: 0.1
 */
MUC_EXTERN const char *muc_service_get_domain(const muc_service *svc);

/**
 * muc_service_get_room_count - rooms in memory (loading ones included).
 * Since: 0.1
 */
MUC_EXTERN size_t muc_service_get_room_count(const muc_service *svc);

/**
 * muc_service_get_memory_usage - bytes currently allocated through the
 * service's allocator (Mini-XML trees excluded).  Between calls, beyond
 * its rooms, the service keeps only bounded caches (docs/limits.md, "What
 * a service keeps between calls") and the room list's entries for evicted
 * public rooms (see "Hibernation"); with no room in memory and no such
 * entry, exactly what it held when it was created.
 * Since: 0.1
 */
MUC_EXTERN size_t muc_service_get_memory_usage(const muc_service *svc);

/**
 * muc_service_find_room - the room |room| (a bare room JID, or only its
 * local part), or NULL if it is not in memory or still loading.
 * Borrowed (see muc_room).
 * Since: 0.1
 */
MUC_EXTERN muc_room *muc_service_find_room(const muc_service *svc,
                                           const char *room);

/** muc_room_get_jid - the room's bare JID (borrowed).  Since: 0.1 */
MUC_EXTERN const char *muc_room_get_jid(const muc_room *room);

/** muc_room_get_occupant_count - occupants (nicks) present.  Since: 0.1 */
MUC_EXTERN size_t muc_room_get_occupant_count(const muc_room *room);

/**
 * muc_room_get_subject - the current subject (borrowed), "" if none.
 * Since: 0.1
 */
MUC_EXTERN const char *muc_room_get_subject(const muc_room *room);

/**
 * muc_room_get_affiliation - the affiliation (MUC_AFFIL_*) of the JID
 * |jid| (bare or full) in |room|; MUC_AFFIL_NONE if unknown or |jid| is
 * invalid.
 * Since: 0.1
 */
MUC_EXTERN int muc_room_get_affiliation(const muc_room *room, const char *jid);

/**
 * muc_room_get_role - the role (MUC_ROLE_*) of the occupant |nick|;
 * MUC_ROLE_NONE if absent.
 * Since: 0.1
 */
MUC_EXTERN int muc_room_get_role(const muc_room *room, const char *nick);

/* ------------------------------------------------------------------ */
/* Room administration (the host as the actor)                        */
/* ------------------------------------------------------------------ */

/*
 * The host administers rooms directly: it creates, configures, lists and
 * destroys them, edits affiliations and roles, sets the subject and reads
 * occupants and history.  The host acts as the room itself: it has every
 * privilege an owner has, but XEP-0045's rules about the room still hold
 * (a room keeps at least one owner once it has one; admins and owners
 * keep their voice and moderator status).  Each call changes the room
 * exactly as the matching stanza from an owner would and emits the same
 * notifications to the occupants (presence with status codes, subject
 * messages, <destroy/>), with no <actor/> element, and the same
 * persistence (store_room before those notifications are handed to
 * send_bytes); there is no requester, so nothing is sent back.
 *
 * Rooms are named by |room|: a bare room JID (room@domain) or only its
 * local part, prepared (nodeprep) like a stanza's 'to'.
 *
 * Rooms in storage (evicted by hibernation, or never loaded since a
 * restart): a call naming a room that is not in memory asks load_room
 * for it, as a stanza to it would, once.  If the host answers from inside
 * load_room (muc_service_room_loaded() there), the call goes on with the
 * room as loaded, or answers as for a room that does not exist.  If it
 * answers later, the call returns MUC_ERR_LOADING: make it again after
 * muc_service_room_loaded() (calls meanwhile answer MUC_ERR_LOADING and
 * ask nothing more).  When storage answered that it has no such room, the
 * next call naming it is answered from that without asking again, until a
 * room of that name is made (the service remembers the last such answer
 * only).  Called from inside a callback, a call naming a room not in
 * memory queues the load and returns MUC_ERR_LOADING.  A room brought in
 * so stays in memory like one a stanza brought, until it is evicted
 * again.  Without load_room, a room not in memory does not exist.
 *
 * The host's rights: every change the host makes is decided by the same
 * permission table as an occupant's (docs/permissions.md), with the host
 * as the actor (MUC_AFFIL_HOST: an owner's rights, never outranked).
 *
 * Codes common to every function of this section:
 *   MUC_ERR_INVALID_ARG  a NULL argument that is not documented as
 *                        optional, a string that is not UTF-8 or not a
 *                        valid JID / nick, a constant out of range, an
 *                        unknown struct version
 *   MUC_ERR_NOT_FOUND    no such room, in memory or in storage (or no
 *                        such occupant, where a nick is named)
 *   MUC_ERR_LOADING      the room is being loaded (see above)
 *   MUC_ERR_CALLBACK_FAILURE  load_room failed for a room not in memory
 *   MUC_ERR_LIMIT        max_rooms reached: no room can be loaded
 *   MUC_ERR_NOMEM        out of memory (fatal, see "Memory")
 *   any fatal code       the service already failed: every call returns it
 * Changing calls may also return what a stanza's handling returns:
 * MUC_ERR_STORAGE (store_room failed: the change is made in memory),
 * MUC_ERR_CALLBACK_FAILURE (a send_bytes failed).
 *
 * Threads: as for every entry point, one thread at a time per service.
 *
 * Re-entrancy: every function here may be called from inside any
 * callback.  A changing call made there is checked at once against the
 * room as it is at that moment (every code above and of the function can
 * be returned at once), then queued like any nested entry point call (see
 * "Re-entrancy" at the top) and done when the work in progress is
 * finished, before the outermost entry point returns.  It is checked
 * again then; a failure at that point (the room went away meanwhile) is
 * folded into the outermost call's result.  Reading calls (get, list)
 * answer at once, with the state as it is at that moment.
 *
 * Borrowed answers: strings a reading call hands out point into the
 * room or into the service's answer buffer and stay valid until the next
 * call on the service (any entry point, any function of this section).
 * Paging: listing calls fill at most |max| entries of an array the
 * caller owns and set *|n| to the number filled; *|n| < |max| means the
 * list is complete.
 */

/**
 * muc_room_options - every setting of a room's configuration (the fields
 * of the muc#roomconfig form, XEP-0045 §10.2).  Fill it with
 * muc_room_options_default() and change what you need.  Booleans are
 * 0/1.  Strings are NUL-terminated UTF-8; NULL or "" means "none"; given
 * to libmuc they are copied, handed out by muc_service_get_room_options()
 * they are borrowed (see "Borrowed answers").  Versioned like muc_config.
 */
typedef struct muc_room_options {
  /* --- MUC_ROOM_OPTIONS_V1 --- */
  const char *name;            /* roomname; at most max_room_name_bytes */
  const char *description;     /* roomdesc; at most max_form_value_bytes */
  const char *lang;            /* lang; at most max_form_value_bytes */
  const char *password;        /* roomsecret; at most max_password_bytes */
  int persistent;              /* persistentroom */
  int public_room;             /* publicroom (listed in disco#items) */
  int members_only;            /* membersonly */
  int allow_invites;           /* allowinvites (members may invite) */
  uint32_t max_users;          /* maxusers; 0: no limit */
  int change_subject;          /* changesubject (participants may) */
  int moderated;               /* moderatedroom */
  int whois;                   /* whois: MUC_WHOIS_* */
  int allow_pm;                /* allowpm: MUC_PM_* */
  uint32_t get_member_list;    /* getmemberlist: MUC_ROLE_BIT() set of the
                                  roles that may read the member list */
  uint32_t history_length;     /* historylength; more than max_history is
                                  taken as max_history */
  uint32_t presence_broadcast; /* presencebroadcast: MUC_ROLE_BIT() set */
  int logging;                 /* enablelogging (the host logs) */

  /* --- MUC_ROOM_OPTIONS_V2 --- */

  /* Message archive (XEP-0313). */
  int archiving; /* enablearchiving: messages go to the host's archive
                    (muc_service_set_archive).  A V1 caller sets the
                    options without it: the room keeps its own */
} muc_room_options;

#define MUC_ROOM_OPTIONS_V1 1
#define MUC_ROOM_OPTIONS_V2 2 /* adds archiving */
#define MUC_ROOM_OPTIONS_VERSION MUC_ROOM_OPTIONS_V2

/**
 * muc_room_options_default_versioned - fill the fields of |opts| that
 * version |options_version| has with the configuration a new room of
 * |svc| starts with (its muc_config room_* fields; |svc| NULL: those of
 * muc_config_default()).  Use the muc_room_options_default() macro.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (NULL |opts|, unknown version).
 * O(1); may be called from callbacks.
 * Since: 0.3
 */
MUC_EXTERN int muc_room_options_default_versioned(const muc_service *svc,
                                                  int options_version,
                                                  muc_room_options *opts);

#define muc_room_options_default(SVC, OPTS)                                    \
  muc_room_options_default_versioned((SVC), MUC_ROOM_OPTIONS_VERSION, (OPTS))

/* Flags of muc_service_create_room(). */
/* Reserved room (§10.1.3): locked, refusing every join (item-not-found,
 * §7.2.10) until it is configured (muc_service_set_room_options(), or an
 * owner's configuration form, which an owner may submit from outside the
 * room) or room_lock_timeout_ms has passed.  Without it: an instant room,
 * open at once. */
#define MUC_CREATE_RESERVED 0x1u

/**
 * muc_service_create_room_versioned - create the room |room| with the
 * configuration |opts| (NULL: muc_room_options_default(svc)) and, if
 * |owner| (a bare or full JID, taken as bare; optional) is given, that
 * user as its owner.  The room has no occupant and counts for no creator
 * (max_rooms_per_creator); may_create_room is not asked.  A persistent
 * room is stored at once.  A temporary (not persistent) room stays while
 * nobody has entered it yet; once somebody has, it ends like any
 * temporary room when its last occupant leaves (§10.1.1).
 * |flags|: 0 or MUC_CREATE_RESERVED.  Use the muc_service_create_room()
 * macro.  Nothing is sent.
 * Returns MUC_OK, or:
 *   MUC_ERR_EXISTS       the room is in memory, or in storage: a name
 *                        not in memory is asked of load_room first (see
 *                        "Rooms in storage"), so that a stored room is
 *                        never written over; the stored room is loaded
 *   MUC_ERR_LOADING      the room is loading, or storage was just asked
 *                        (call again after muc_service_room_loaded())
 *   MUC_ERR_LIMIT        max_rooms reached, or a string of |opts| over its
 *                        limit (nothing created)
 *   MUC_ERR_INVALID_ARG, MUC_ERR_STORAGE, MUC_ERR_NOMEM (see above)
 * O(1) plus the options.
 * Since: 0.3
 */
MUC_EXTERN int
muc_service_create_room_versioned(muc_service *svc, const char *room,
                                  const char *owner, int options_version,
                                  const muc_room_options *opts, unsigned flags);

#define muc_service_create_room(SVC, ROOM, OWNER, OPTS, FLAGS)                 \
  muc_service_create_room_versioned((SVC), (ROOM), (OWNER),                    \
                                    MUC_ROOM_OPTIONS_VERSION, (OPTS), (FLAGS))

/**
 * muc_service_get_room_options_versioned - the configuration of |room|
 * into |opts| (the fields version |options_version| has; strings
 * borrowed, see "Borrowed answers").  Use muc_service_get_room_options().
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_NOT_FOUND or
 * MUC_ERR_LOADING.  O(1).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_room_options_versioned(muc_service *svc,
                                                      const char *room,
                                                      int options_version,
                                                      muc_room_options *opts);

#define muc_service_get_room_options(SVC, ROOM, OPTS)                          \
  muc_service_get_room_options_versioned((SVC), (ROOM),                        \
                                         MUC_ROOM_OPTIONS_VERSION, (OPTS))

/**
 * muc_service_set_room_options_versioned - configure |room| with |opts|
 * (every field: read the options first to change a few), exactly as an
 * owner's configuration form with those values: the occupants are told
 * what changed (status 104, 170/171 logging, 172/173 anonymity, 102/103
 * presence broadcast of absent users), non-members leave a room that
 * becomes members-only (322), the history is resized, a reserved room is
 * unlocked, and the room is stored (or its record deleted when it stops
 * being persistent).  Options equal to the room's change nothing and
 * announce nothing.  Use muc_service_set_room_options().
 * Returns MUC_OK, or MUC_ERR_LIMIT (a string over its limit: nothing
 * changed), MUC_ERR_INVALID_ARG (nothing changed) and the common codes.
 * O(occupants) for what is announced.
 * Since: 0.3
 */
MUC_EXTERN int
muc_service_set_room_options_versioned(muc_service *svc, const char *room,
                                       int options_version,
                                       const muc_room_options *opts);

#define muc_service_set_room_options(SVC, ROOM, OPTS)                          \
  muc_service_set_room_options_versioned((SVC), (ROOM),                        \
                                         MUC_ROOM_OPTIONS_VERSION, (OPTS))

/**
 * muc_service_destroy_room - destroy |room| (§10.9): every occupant gets
 * its unavailable presence with <destroy/> carrying |alt_jid| (a room JID
 * to go to instead, optional), |password| (that room's password,
 * optional, at most max_password_bytes) and |reason| (optional, at most
 * max_reason_bytes), the stored record is deleted (store_room with NULL
 * data) and the room is freed.
 * Returns MUC_OK, MUC_ERR_LIMIT (reason or password too long: the room
 * stays), MUC_ERR_INVALID_ARG (|alt_jid| not a JID) and the common codes.
 * O(occupants).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_destroy_room(muc_service *svc, const char *room,
                                        const char *reason, const char *alt_jid,
                                        const char *password);

/* Filters of muc_service_list_rooms(): a room is listed when it has every
 * property asked for (0: every room). */
#define MUC_LIST_PUBLIC 0x1u     /* publicroom */
#define MUC_LIST_PERSISTENT 0x2u /* persistentroom */
#define MUC_LIST_OCCUPIED 0x4u   /* at least one occupant */
#define MUC_LIST_ALL 0x7u        /* the mask of every filter */

/* One room in a listing (strings borrowed, see "Borrowed answers"). */
typedef struct muc_room_info {
  const char *jid;  /* bare room JID: also the cursor of the next page */
  const char *name; /* roomname, "" if none */
  size_t occupants;
  int public_room;
  int persistent;
  int members_only;
  int password_protected;
  int locked; /* reserved room not configured yet */
} muc_room_info;

/**
 * muc_service_list_rooms - a page of the rooms with the properties of
 * |filter| (MUC_LIST_* bits): first the rooms in memory (not those
 * loading), in the order they came into memory, then the stored public
 * persistent rooms that are not in memory (the room list of hibernation,
 * in the order they were evicted or read from the stored list).  A stored
 * room is listed without loading it, with what the list knows: its jid
 * and name, public_room and persistent 1, occupants 0, members_only,
 * password_protected and locked 0; so MUC_LIST_PUBLIC and
 * MUC_LIST_PERSISTENT keep them, MUC_LIST_OCCUPIED leaves them out.
 * |after|: NULL for the first page, else the jid of the last room of the
 * previous page (the cursor, in memory or stored).  Rooms that came into
 * memory since appear on later pages; none is listed twice, except a
 * room that moves between memory and storage while the pages are read
 * (it may then be listed twice, or not at all).
 * Cost: O(1) to find the cursor (a hash look-up), then O(rooms walked):
 * |max| when nothing is filtered out, more when rooms are skipped by the
 * filter; never a scan from the start.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (NULL |svc|, |n|, or |out| with
 * |max| > 0; unknown filter bits), MUC_ERR_NOT_FOUND (the cursor's room
 * is neither in memory nor in the stored list: start again from NULL).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_list_rooms(muc_service *svc, const char *after,
                                      unsigned filter, muc_room_info *out,
                                      size_t max, size_t *n);

/* One affiliated user (strings borrowed). */
typedef struct muc_affiliation_info {
  const char *jid;    /* bare JID, or a domain (a host-wide ban) */
  int affiliation;    /* MUC_AFFIL_* */
  const char *nick;   /* reserved nickname, or NULL */
  const char *reason; /* reason of the last change, or NULL */
} muc_affiliation_info;

/**
 * muc_service_get_affiliation - the affiliation of |jid| (bare or full)
 * in |room| into *|aff|, and, if |info| is not NULL, its entry (for
 * MUC_AFFIL_NONE without an entry: the jid, NULL nick and reason).  A
 * user whose domain is banned is MUC_AFFIL_OUTCAST.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_NOT_FOUND (no room) or
 * MUC_ERR_LOADING.  O(1).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_affiliation(muc_service *svc, const char *room,
                                           const char *jid, int *aff,
                                           muc_affiliation_info *info);

/**
 * muc_service_set_affiliation - give |jid| (a bare JID or a domain; a
 * full JID is taken as bare) the affiliation |aff| in |room|, with
 * |reason| (optional, at most max_reason_bytes), as an owner's muc#admin
 * item would (§9.1-§9.4, §10.3-§10.7): the users it concerns are told
 * (and leave when banned, 301, or when a members-only room no longer
 * admits them, 321), roles follow the new affiliation, a reserved nick
 * is kept (a ban drops it), the stored reason becomes |reason| when one
 * is given, a user admitted into a members-only room gets an invitation,
 * a user not in the room whose affiliation changed gets a status-101
 * message (muc_config.notify_absent_affiliation), and the room is
 * stored.  Setting the affiliation it has announces it
 * again, as for the stanza.
 * Returns MUC_OK, or:
 *   MUC_ERR_NOT_ALLOWED  |jid| is the last owner and |aff| is not owner
 *   MUC_ERR_LIMIT        a new entry past max_affiliations_per_room, or
 *                        |reason| too long (nothing changed)
 *   and the common codes.  O(sessions of the user) plus the store.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_affiliation(muc_service *svc, const char *room,
                                           const char *jid, int aff,
                                           const char *reason);

/**
 * muc_service_ban - muc_service_set_affiliation() with MUC_AFFIL_OUTCAST.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_ban(muc_service *svc, const char *room,
                               const char *jid, const char *reason);

/**
 * muc_service_list_affiliations - the users of |room| whose affiliation
 * is |aff| (MUC_AFFIL_OUTCAST .. MUC_AFFIL_OWNER; MUC_AFFIL_NONE lists
 * the users with a reserved nick and no affiliation), in the order the
 * entries were made, from the |offset|-th on.  Cost O(offset + entries
 * walked): the room's list of entries is walked.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_NOT_FOUND or
 * MUC_ERR_LOADING.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_list_affiliations(muc_service *svc, const char *room,
                                             int aff, size_t offset,
                                             muc_affiliation_info *out,
                                             size_t max, size_t *n);

/* One occupant (strings borrowed). */
typedef struct muc_occupant_info {
  const char *nick;
  int role;            /* MUC_ROLE_* */
  int affiliation;     /* MUC_AFFIL_* */
  const char *jid;     /* real bare JID */
  const char *primary; /* real full JID of the session others see */
  size_t sessions;     /* sessions sharing the nick (multi-session) */
} muc_occupant_info;

/**
 * muc_service_list_occupants - the occupants of |room| in the order they
 * entered, from the |offset|-th on.  Whatever the room's whois setting:
 * the host sees real JIDs.  Cost O(offset + max).
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_NOT_FOUND or
 * MUC_ERR_LOADING.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_list_occupants(muc_service *svc, const char *room,
                                          size_t offset, muc_occupant_info *out,
                                          size_t max, size_t *n);

/**
 * muc_service_get_occupant - the occupant |nick| of |room| into |info|
 * (optional), and the real full JIDs of its sessions into |jids| (at
 * most |max|, borrowed; primary session first; *|n| set to the number
 * filled, |n| optional when |max| is 0).
 * Returns MUC_OK, MUC_ERR_NOT_FOUND (no room, or no occupant |nick|),
 * MUC_ERR_INVALID_ARG or MUC_ERR_LOADING.  O(1) plus the sessions.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_occupant(muc_service *svc, const char *room,
                                        const char *nick,
                                        muc_occupant_info *info,
                                        const char **jids, size_t max,
                                        size_t *n);

/**
 * muc_service_set_role - give the occupant |nick| of |room| the role
 * |role| with |reason| (optional, at most max_reason_bytes), as a
 * moderator's muc#admin item would (§8.2-§8.6, §9.6-§9.7): MUC_ROLE_NONE
 * kicks (307), MUC_ROLE_VISITOR revokes voice, MUC_ROLE_PARTICIPANT
 * grants voice (or revokes moderator status), MUC_ROLE_MODERATOR grants
 * moderator status; every occupant is told.  The role it has already is
 * announced again, as for the stanza.
 * Returns MUC_OK, or:
 *   MUC_ERR_NOT_FOUND    no room, or no occupant |nick|
 *   MUC_ERR_NOT_ALLOWED  the occupant is an admin or owner and |role| is
 *                        visitor or participant (§8.4, §9.7; a kick is
 *                        allowed, §8.2)
 *   MUC_ERR_LIMIT        |reason| too long
 *   and the common codes.  O(occupants).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_role(muc_service *svc, const char *room,
                                    const char *nick, int role,
                                    const char *reason);

/**
 * muc_service_kick - muc_service_set_role() with MUC_ROLE_NONE.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_kick(muc_service *svc, const char *room,
                                const char *nick, const char *reason);

/**
 * muc_service_set_subject - set the subject of |room| to |subject| (""
 * clears it; at most max_subject_bytes) with the host as its author:
 * every occupant gets the subject message, from the room's bare JID (the
 * room itself speaks: no occupant is named as the author), joining users
 * get it from then on, and the room is stored.  The message has no id
 * (there is no sender to recognise it).
 * Returns MUC_OK, MUC_ERR_LIMIT (subject too long: nothing changed) and
 * the common codes.  O(occupants).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_subject(muc_service *svc, const char *room,
                                       const char *subject);

/* One message of a room's history (borrowed). */
typedef struct muc_history_item {
  const char *xml; /* the message as newcomers get it, without 'to', its
                      urn:xmpp:delay included (not NUL-terminated) */
  size_t len;
  uint64_t time_ms; /* when the room received it (host clock) */
  const char *nick; /* the sender's nick (NUL-terminated), "" for a message
                       from the room itself */
} muc_history_item;

/**
 * muc_service_get_history - the discussion history of |room|, oldest
 * first, from the |offset|-th message on.  Cost O(max) (the history is a
 * ring).
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, MUC_ERR_NOT_FOUND or
 * MUC_ERR_LOADING.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_history(muc_service *svc, const char *room,
                                       size_t offset, muc_history_item *out,
                                       size_t max, size_t *n);
/**
 * muc_service_get_room_host_values - the stored values of the host's
 * configuration field |var| (muc_hooks.config_vars) of |room|, in order,
 * into |values| (borrowed strings); *|n| 0 when none is set.  The values
 * are those of the owner's last form submission, of the record, or of
 * muc_service_set_room_host_values().
 * Returns MUC_OK, or the section's codes (MUC_ERR_INVALID_ARG: NULL
 * |var|, |n|, or |values| with |max| > 0).  O(fields + values).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_room_host_values(muc_service *svc,
                                                const char *room,
                                                const char *var,
                                                const char **values, size_t max,
                                                size_t *n);

/**
 * muc_service_set_room_host_values - replace the values of the host's
 * field |var| of |room| with the |nvalues| strings of |values| (copied;
 * 0: no value), as an owner's form submission with that field would
 * store them: kept with the room, written into its record (store_room,
 * when the room is persistent), told to the change feed.  config_submitted
 * is not asked (the host sets them) and nothing is sent to the occupants.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (|var| is not one of the hooks'
 * config_vars; a NULL value; a value not UTF-8 XML text),
 * MUC_ERR_LIMIT (a value over max_stanza_bytes), the section's codes.
 * O(fields + values).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_room_host_values(muc_service *svc,
                                                const char *room,
                                                const char *var,
                                                const char *const *values,
                                                size_t nvalues);
/*
 * A room's vCard and hats (XEP-0054 / XEP-0486 avatars, XEP-0317 hats;
 * docs/avatars-hats.md): what an owner's vCard iq and the owners' and
 * admins' hats commands change, for the host.  Both are kept with the
 * room, in its record (store_room), its snapshot and the change feed.
 * The section's rules hold (the room is named by |room|, changes run as
 * entry point calls, queued when made from a callback); the occupants
 * are told as they are when a user makes the change.
 */

/**
 * muc_service_set_room_vcard - make |vcard| (a serialized
 * <vCard xmlns='vcard-temp'/>, copied) the room's vCard; NULL, or a vCard
 * without children, removes it.  Its photos' SHA-1s become the room's
 * muc#roominfo_avatarhash; the occupants get status 104 when it changed.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (not XML, not a vcard-temp
 * vCard, a PHOTO BINVAL not in base64), MUC_ERR_LIMIT (over
 * max_vcard_bytes), the section's codes.  O(vCard bytes).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_room_vcard(muc_service *svc, const char *room,
                                          const char *vcard);
/**
 * muc_service_get_room_vcard - the room's serialized vCard in *|vcard|
 * (borrowed, valid until the next entry point call), NULL when it has
 * none.  Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL |vcard|), the
 * section's codes.  O(1).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_room_vcard(muc_service *svc, const char *room,
                                          const char **vcard);

/* A hat of a room (XEP-0317): |jid| NULL in the list of the hats the
 * room defines, else the bare JID that wears it.  |hue| NULL: none.
 * Borrowed strings, valid until the next entry point call. */
typedef struct muc_room_hat {
  const char *jid;
  const char *uri;
  const char *title;
  const char *hue;
} muc_room_hat;

/**
 * muc_service_define_room_hat - define the hat |uri| of the room with
 * |title| and |hue| (NULL: none; copied), or change the one defined: the
 * occupants get status 104, those who wear it their presence again.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (NULL or empty |uri| or |title|,
 * text that is not UTF-8 XML characters), MUC_ERR_LIMIT (a new hat past
 * max_hats_per_room, a string over max_form_value_bytes), the section's
 * codes.  O(hats).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_define_room_hat(muc_service *svc, const char *room,
                                           const char *uri, const char *title,
                                           const char *hue);
/**
 * muc_service_destroy_room_hat - remove the hat |uri| from the room and
 * from everyone who wears it (their presence again, 104 to the room).
 * Returns MUC_OK, or MUC_ERR_NOT_FOUND (the room defines no such hat),
 * MUC_ERR_INVALID_ARG, the section's codes.  O(hats + worn).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_destroy_room_hat(muc_service *svc, const char *room,
                                            const char *uri);
/**
 * muc_service_set_room_hat_worn - the bare JID of |jid| wears (|worn|
 * nonzero) or no longer wears the room's hat |uri|; its occupant's
 * presence goes out again when that changed.  Returns MUC_OK, or
 * MUC_ERR_NOT_FOUND (no such hat), MUC_ERR_LIMIT (past
 * max_hats_per_user), MUC_ERR_INVALID_ARG (|jid| no JID), the section's
 * codes.  O(worn).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_room_hat_worn(muc_service *svc, const char *room,
                                             const char *jid, const char *uri,
                                             int worn);
/**
 * muc_service_get_room_hats - with |jid| NULL the hats the room defines,
 * in order of definition; else the hats the bare JID of |jid| wears, in
 * order of assignment: at most |max| rows into |out|, *|n| of them.
 * Returns MUC_OK, or MUC_ERR_INVALID_ARG (NULL |n|, NULL |out| with |max|
 * > 0, |jid| no JID), the section's codes.  O(hats + worn).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_get_room_hats(muc_service *svc, const char *room,
                                         const char *jid, muc_room_hat *out,
                                         size_t max, size_t *n);
/* (end of admin section) */

/* ------------------------------------------------------------------ */
/* Extension hooks                                                    */
/* ------------------------------------------------------------------ */

/*
 * Extension hooks let the host watch and steer what rooms do: refuse a
 * join, filter or rewrite messages, archive every groupchat message,
 * follow occupants and rooms, add fields to the owner's configuration
 * form and to disco#info.  They are optional and versioned like
 * muc_callbacks; with none set libmuc does exactly what it did without
 * them, at no cost.
 *
 * Common rules for every hook:
 * - Each receives the |user_data| given to muc_service_set_hooks() (not
 *   the one of muc_service_new()).  NULL hooks are skipped.
 * - Strings and structs passed to a hook are borrowed for the call:
 *   NUL-terminated UTF-8, valid until the hook returns.  JIDs are
 *   prepared (normalized).
 * - Strings a hook hands back (in muc_hook_error, muc_hook_rewrite) are
 *   the host's: libmuc copies them as soon as the hook returns, so they
 *   must stay valid until then (static text, or text the host keeps in
 *   its user_data).
 * - A hook may call every entry point and query, exactly as any callback
 *   ("Re-entrancy" at the top of this header): stanzas handed in from a
 *   hook are handled after the work in progress, and queries see the
 *   state as it is at that moment (a hook that fires while a room is
 *   changing sees that change half done: e.g. occupant_left fires when
 *   the occupant is out of the room but before the others are told).
 * - Hooks fire in the order the changes happen, before the stanzas
 *   announcing them are handed to send_bytes.
 * - A hook that returns a negative value has failed: what it was asked
 *   about is refused with <internal-server-error/> (filters, pre_join,
 *   config_submitted) or left without the host's part (config_form,
 *   disco_info), and the entry point returns MUC_ERR_CALLBACK_FAILURE.
 */

/* What a filter hook decides (pre_join, pre_groupchat,
 * pre_private_message, config_submitted). */
#define MUC_HOOK_PASS 0   /* go on as if there were no hook */
#define MUC_HOOK_MODIFY 1 /* go on with the rewrite (filters only) */
#define MUC_HOOK_DROP 2   /* stop here, silently (filters only) */
#define MUC_HOOK_REFUSE 3 /* stop here; the sender gets the error */

/**
 * muc_hook_error - the error a hook refuses with.  libmuc zeroes it
 * before the call; fields left NULL take the hook's default (given with
 * each hook).
 *
 * |condition| is an RFC 6120 §8.3.3 defined condition ("forbidden",
 * "not-acceptable", "policy-violation", ...); a name that is not one of
 * them is replaced by "internal-server-error" (and logged).  |type| is
 * one of "auth", "cancel", "continue", "modify", "wait"; NULL or unknown:
 * the type RFC 6120 gives the condition.  |text| is an optional <text/>
 * (xml:lang not set).  The error is sent with the room as its 'by'.
 */
typedef struct muc_hook_error {
  const char *condition;
  const char *type;
  const char *text;
} muc_hook_error;

/** muc_hook_join - a session asking to enter a room (pre_join). */
typedef struct muc_hook_join {
  const char *room_jid; /* bare room JID */
  const char *nick;     /* the nick asked for (resourceprepped) */
  const char *real_jid; /* the session's real full JID */
  int affiliation;      /* MUC_AFFIL_* it has in the room */
  int role;             /* MUC_ROLE_* it would get */
  int creating;         /* 1: this join creates the room */
  const char *xml;      /* the presence as received, serialized */
  size_t len;           /* bytes of |xml| (not NUL-terminated) */
} muc_hook_join;

/** muc_hook_message - a message about to be passed on (filters). */
typedef struct muc_hook_message {
  const char *room_jid;
  const char *nick;     /* the sender's nick */
  const char *real_jid; /* the sender's real full JID */
  const char *to_nick;  /* private message: the recipient's nick;
                           groupchat: NULL */
  const char *id;       /* the message's 'id', NULL if it has none */
  const char *body;     /* the text of its <body/>, NULL if none */
  const char *xml;      /* the message as received, serialized */
  size_t len;
} muc_hook_message;

/**
 * muc_hook_rewrite - what a filter answers besides its verdict.  Zeroed
 * before the call.  With MUC_HOOK_MODIFY: |body| non-NULL replaces the
 * text of the message's <body/> (one is added if it had none; "" empties
 * it); |payload|/|payload_len| non-NULL is one XML element (well-formed,
 * with its own xmlns) appended to the message.  A payload that does not
 * parse is a failed hook (see the common rules).  With MUC_HOOK_REFUSE:
 * |error| (default <not-acceptable/>, type modify).
 */
typedef struct muc_hook_rewrite {
  const char *body;
  const char *payload;
  size_t payload_len;
  muc_hook_error error;
} muc_hook_rewrite;

/**
 * muc_hook_archived - one groupchat message as it was broadcast.
 *
 * |stable_id| is the message's archive id, the base for a message
 * archive (XEP-0313): libmuc asks make_id for it once per message (the
 * per-service counter "muc-N" when make_id is NULL or fails, unique only
 * while the service lives: hosts that archive should set make_id).  In a
 * room that archives (muc_service_set_archive) it is also the id of the
 * <stanza-id xmlns='urn:xmpp:sid:0' by=room/> the broadcast carries, and
 * the archive's append gets the same struct.  It
 * is not the message's own |id|, which the sender chooses and may repeat;
 * |id| is the 'id' attribute the occupants received (the sender's, or one
 * made by make_id when it had none).  With muc_config.stanza_id on,
 * |stable_id| is also the id of the <stanza-id by='room@service'/> in
 * |xml|, in the history and in every copy the occupants received.
 */
typedef struct muc_hook_archived {
  const char *room_jid;
  const char *stable_id;
  const char *id;
  const char *nick;     /* the sender's nick */
  const char *real_jid; /* the real full JID of the session that sent it
                           (one nick may have several); for a message
                           the host posted, the occupant's primary one */
  uint64_t time;        /* ms since the epoch (the now callback) */
  const char *xml;      /* the bytes every occupant received, without */
  size_t len;           /* 'to' (as in the history, without <delay/>) */
  int historic;         /* it entered the room's history (it has a body or
                           subject, and the room keeps a history) */
} muc_hook_archived;

/** muc_hook_field - a host field of a room's configuration. */
typedef struct muc_hook_field {
  const char *var;
  const char *const *values;
  size_t nvalues;
} muc_hook_field;

/* A form being built for the host to add to (config_form, disco_info);
 * valid only during that hook. */
typedef struct muc_hook_form muc_hook_form;

/**
 * muc_hooks - the extension hooks.  Every member is optional.
 */
typedef struct muc_hooks {
  /* --- MUC_HOOKS_V1 --- */

  /**
   * pre_join - a session asks to enter a room (its first presence to
   * room/nick, a new room's creator included) and libmuc's own checks
   * (ban, members-only, password, nick, capacity, lock) let it in.  Not
   * called for nick changes or presence updates.  MUC_HOOK_PASS: it
   * enters.  MUC_HOOK_REFUSE (or any other positive value): it gets the
   * error in |error| (default <forbidden/>, type auth) as its presence
   * error, the room does not change (a room it would have created is not
   * created).  Negative: see the common rules.
   */
  int (*pre_join)(const muc_hook_join *join, muc_hook_error *error,
                  void *user_data);

  /**
   * pre_groupchat - an occupant allowed to speak sends a groupchat
   * message (subject changes excepted), before it is broadcast, stored in
   * the history or archived.  MUC_HOOK_PASS: it goes on unchanged.
   * MUC_HOOK_MODIFY: it goes on rewritten (|rewrite|); everyone, the
   * history and message_archived get the rewrite.  MUC_HOOK_DROP: nobody
   * receives it, not even the sender (no echo), it is not stored and no
   * error is sent: the sender sees nothing happen.  MUC_HOOK_REFUSE: the
   * sender gets the error in |rewrite|->error, nobody else anything.
   */
  int (*pre_groupchat)(const muc_hook_message *msg, muc_hook_rewrite *rewrite,
                       void *user_data);

  /**
   * pre_private_message - a private message (§7.5) the room's rules
   * allow, before it is passed to the recipient; verdicts as for
   * pre_groupchat (DROP: the recipient gets nothing, the sender no
   * error).  Message errors bounced between occupants are not filtered.
   */
  int (*pre_private_message)(const muc_hook_message *msg,
                             muc_hook_rewrite *rewrite, void *user_data);

  /**
   * message_archived - a groupchat message was broadcast (after
   * pre_groupchat); fires for each, whether or not the room keeps a
   * history.  Nonzero: the entry point returns MUC_ERR_STORAGE (the
   * message was delivered all the same).
   */
  int (*message_archived)(const muc_hook_archived *msg, void *user_data);

  /**
   * occupant_joined - a nick entered the room (its first session), with
   * |real_jid| the full JID of that session, after libmuc recorded it and
   * before its presence is broadcast.  Further sessions of the same nick
   * do not fire it.
   */
  void (*occupant_joined)(const char *room_jid, const char *nick,
                          const char *real_jid, int role, int affiliation,
                          void *user_data);

  /**
   * occupant_left - a nick is no longer in the room, for whatever reason:
   * its last session left or ended, it was kicked or banned, the room
   * became members-only, was destroyed, or the service shut down.
   * |real_jid| is the real full JID of its (last) session.  A nick change
   * fires nick_changed instead.
   */
  void (*occupant_left)(const char *room_jid, const char *nick,
                        const char *real_jid, void *user_data);

  /**
   * nick_changed - the session |real_jid| moved from |old_nick| to
   * |new_nick| (§7.6), after the change.
   */
  void (*nick_changed)(const char *room_jid, const char *old_nick,
                       const char *new_nick, const char *real_jid,
                       void *user_data);

  /**
   * role_changed - an occupant's role changed while it stays in the room
   * (voice granted or revoked, moderator, an affiliation change that
   * brings a new role).  Losing the role altogether (kick, ban) fires
   * occupant_left instead.  |actor| is the real full JID of who made the
   * change, NULL for the room or the host.
   */
  void (*role_changed)(const char *room_jid, const char *nick, int old_role,
                       int new_role, const char *actor, void *user_data);

  /**
   * affiliation_changed - the affiliation of the bare JID (or domain)
   * |jid| changed from |old_aff| to |new_aff| (admin items, the owner's
   * admin and owner lists, registration, invitations to members-only
   * rooms), after it was recorded.  |actor| as for role_changed;
   * |reason| NULL if none.  The creator's ownership of a new room is told
   * by room_created.
   */
  void (*affiliation_changed)(const char *room_jid, const char *jid,
                              int old_aff, int new_aff, const char *actor,
                              const char *reason, void *user_data);

  /**
   * room_created - the room |room_jid| was made, with |owner| (a bare
   * JID) as its first owner: by a join (after pre_join let the creator
   * in, before its occupant is in the room), or by the host (|owner| may
   * then be NULL).  Not called for rooms loaded from storage.
   */
  void (*room_created)(const char *room_jid, const char *owner,
                       void *user_data);

  /**
   * room_configured - a new configuration was applied and stored: an
   * owner's form (or an instant room's empty one), |actor| the owner's
   * real full JID; or the host's, |actor| NULL.
   */
  void (*room_configured)(const char *room_jid, const char *actor,
                          void *user_data);

  /**
   * room_destroyed - the room is gone: destroyed by its owner or a
   * service administrator (|reason|, |alt_jid| as given, or NULL), by its
   * creator leaving or cancelling before configuring it, or a temporary
   * room left empty (both NULL).  Fires after the occupants' occupant_left.
   * Not called when a room only leaves memory (shutdown).
   */
  void (*room_destroyed)(const char *room_jid, const char *reason,
                         const char *alt_jid, void *user_data);

  /**
   * config_vars - the vars of the host's configuration fields, a
   * NULL-terminated array (copied by muc_service_set_hooks()).  Only these
   * are handed to config_submitted and stored with the room.  A var of
   * libmuc's own form (muc#roomconfig_*) is refused with
   * MUC_ERR_INVALID_ARG.  A submitted form with a field that is neither
   * libmuc's, FORM_TYPE nor one of these is <not-acceptable/> (modify)
   * and nothing of it is applied (XEP-0045 §10.1.3).
   */
  const char *const *config_vars;

  /**
   * config_form - the owner asked for the configuration form: add the
   * host's fields with muc_hook_form_field(), _value() and _option();
   * they come after libmuc's.  |stored|/|nstored| are the room's stored
   * host values (from submissions or its record).  Negative: see the
   * common rules (the form is sent without the host's fields).
   */
  int (*config_form)(const char *room_jid, const muc_hook_field *stored,
                     size_t nstored, muc_hook_form *form, void *user_data);

  /**
   * config_submitted - an owner submitted a form that libmuc found valid;
   * |fields|/|nfields| are the submitted fields among config_vars (only
   * those given).  MUC_HOOK_PASS: the whole form is applied, these values
   * replace the stored ones of the same vars and are written into the
   * room's record.  MUC_HOOK_REFUSE: nothing is applied and the owner gets
   * |error| (default <not-acceptable/>, type modify).  Called only when
   * the submission has at least one of config_vars.  NULL: the values of
   * config_vars are stored as submitted.
   */
  int (*config_submitted)(const char *room_jid, const char *actor,
                          const muc_hook_field *fields, size_t nfields,
                          muc_hook_error *error, void *user_data);

  /**
   * disco_info - a room's disco#info is being answered (§6.4): add
   * features with muc_hook_form_feature() and fields to its muc#roominfo
   * form with muc_hook_form_field() and _value().  Not called for the
   * x-roomuser-item node.  Negative: see the common rules (the answer is
   * sent without the host's part).
   */
  int (*disco_info)(const char *room_jid, muc_hook_form *info, void *user_data);
} muc_hooks;

#define MUC_HOOKS_V1 1
#define MUC_HOOKS_VERSION MUC_HOOKS_V1

/**
 * muc_service_set_hooks - install |hooks| (copied, with config_vars; it
 * may live on the stack), replacing those set before; NULL removes them.
 * |version| is the MUC_HOOKS_* the caller was compiled with
 * (MUC_HOOKS_VERSION); only that version's members are read.  May be
 * called at any time, from a callback too (the hooks in use are kept
 * until the outermost entry point returns); takes effect for the next
 * hook to fire.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL |svc|, unknown |version|, a
 * config_vars entry that is empty or libmuc's own; the hooks set before
 * stay), or MUC_ERR_NOMEM (fatal, as everywhere: see "Memory").
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_hooks(muc_service *svc, int version,
                                     const muc_hooks *hooks, void *user_data);

/**
 * muc_hook_form_field - add a field to |form| (only during config_form or
 * disco_info).  |var| required; |type| (XEP-0004 field type) and |label|
 * may be NULL.  Later _value()/_option() calls go to this field.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL |form|, empty or NULL |var|,
 * FORM_TYPE, or in a configuration form a var starting with "muc#") or
 * MUC_ERR_NOMEM (the service's fatal code).
 * Since: 0.3
 */
MUC_EXTERN int muc_hook_form_field(muc_hook_form *form, const char *var,
                                   const char *type, const char *label);

/**
 * muc_hook_form_value - add a <value/> to the last field added.  Returns
 * MUC_OK, MUC_ERR_INVALID_ARG (NULL argument, no field yet) or
 * MUC_ERR_NOMEM.  Since: 0.3
 */
MUC_EXTERN int muc_hook_form_value(muc_hook_form *form, const char *value);

/**
 * muc_hook_form_option - add an <option/> (|label| may be NULL) to the
 * last field added.  Returns as muc_hook_form_value.  Since: 0.3
 */
MUC_EXTERN int muc_hook_form_option(muc_hook_form *form, const char *label,
                                    const char *value);

/**
 * muc_hook_form_feature - add a <feature var=|var|/> to a disco#info
 * answer (disco_info only).  Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL
 * argument, or |form| is a configuration form) or MUC_ERR_NOMEM.
 * Since: 0.3
 */
MUC_EXTERN int muc_hook_form_feature(muc_hook_form *form, const char *var);

/**
 * muc_room_get_host_value - the |index|th stored value (borrowed, valid
 * until the next entry point call) of the host field |var| of |room|
 * (config_vars), or NULL if there is none.  After a load, the values
 * come from the room's record.
 * Since: 0.3
 */
MUC_EXTERN const char *muc_room_get_host_value(const muc_room *room,
                                               const char *var, size_t index);

/* (end of hooks section) */

/* ------------------------------------------------------------------ */
/* Message archive (XEP-0313 for rooms)                               */
/* ------------------------------------------------------------------ */

/*
 * libmuc keeps no archive of its own: the host does, behind the three
 * callbacks of muc_archive.  With an archive set, rooms whose
 * configuration enables archiving (muc#roomconfig_enablearchiving) give
 * every groupchat message they broadcast to |append| (with a XEP-0359
 * <stanza-id/> added to the broadcast), answer MAM queries
 * (urn:xmpp:mam:2: the form, queries, the metadata) sent to the room by
 * asking |query| for one page, and replace a message by its tombstone
 * (in the room's history and through |retract|) when its author retracts
 * it (XEP-0424) or a moderator does (XEP-0425, versions 0.3 and 0.2).
 * Subject changes are archived too (message_archived is not told of
 * them); private messages never are.  The configuration:
 * muc_config.room_archiving and max_archive_page, the room's
 * muc#roomconfig_enablearchiving (muc_room_options.archiving).  The archive's
 * id of a message is the stanza-id the room gave it (XEP-0359): the
 * |stable_id| of muc_hook_archived.  Each call is synchronous: the host
 * answers before returning (a host with asynchronous storage keeps a
 * cache, or answers from a worker and accepts the wait).  Strings are
 * NUL-terminated UTF-8 borrowed for the call.  docs/archive.md tells the
 * whole contract.
 */

/**
 * muc_archive_query - one page the room asks the archive for.  Messages
 * are in archive order (the order append saw them); the page holds at
 * most |max| of the messages that match every filter given:
 * - |start| / |end| (ms since the epoch, both inclusive; 0: no bound);
 * - |with|: NULL, or a JID the message must be from (in a room archive the
 *   occupant JID room@service/nick the occupants saw);
 * - |after_id| / |before_id|: NULL, or only messages after (before) the
 *   message with that id (the XEP-0313 form fields, exclusive);
 * - |rsm_after| / |rsm_before|: the XEP-0059 cursor, NULL when absent:
 *   with |rsm_after| the first |max| messages after that id; with
 *   |rsm_before| the last |max| messages before that id, and with
 *   |rsm_before| "" (an empty <before/>) the last |max| messages of all.
 *   An id the archive does not know: return MUC_ARCHIVE_NOT_FOUND.
 * - |ids| / |nids|: when |nids| > 0, only the messages whose id is one of
 *   those (the XEP-0313 'ids' field; libmuc also asks this way for the
 *   one message a retraction names).  Unknown ids just match nothing.
 * Within a page messages are oldest first (libmuc flips them when the
 * client asked for <flip-page/>).
 */
typedef struct muc_archive_query {
  const char *room_jid;  /* bare */
  const char *requester; /* full JID of the asker */
  uint64_t start, end;
  const char *with;
  const char *after_id, *before_id;
  const char *rsm_after, *rsm_before;
  uint32_t max; /* 1..muc_config.max_archive_page (libmuc caps it) */
  const char *const *ids;
  size_t nids;
} muc_archive_query;

/** muc_archive_item - one archived message, as the host gives it back. */
typedef struct muc_archive_item {
  const char *stanza_id; /* the archive id (stable_id of append) */
  uint64_t time;         /* ms since the epoch, as append gave it */
  const char *xml;       /* the stored bytes: as append gave them, or the */
  size_t len;            /* tombstone retract gave in their place */
  const char *real_jid;  /* the real_jid append gave, or NULL: shown (XEP-
                            0313 §5.1.3 <x muc#user><item jid/>) to askers
                            who may see real JIDs in the room now */
} muc_archive_item;

/* The page being answered; valid only during |query|. */
typedef struct muc_archive_page muc_archive_page;

/**
 * muc_archive_page_add - add |item| (copied) as the next message of
 * |page|.  Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL argument, empty
 * stanza_id, xml that is not one <message/>, more than the query's
 * |max| items) or MUC_ERR_NOMEM (fatal).  Since: 0.4
 */
MUC_EXTERN int muc_archive_page_add(muc_archive_page *page,
                                    const muc_archive_item *item);

/**
 * muc_archive_page_end - say whether the page reaches the end of the
 * matching messages in the direction asked (|complete| nonzero: no
 * message matches beyond it; XEP-0313 <fin complete='true'/>), and how
 * many messages match in all (|count|, or UINT32_MAX if the archive
 * cannot tell cheaply).  Not calling it means: not complete, count
 * unknown.  Returns MUC_OK or MUC_ERR_INVALID_ARG (NULL |page|).
 * Since: 0.4
 */
MUC_EXTERN int muc_archive_page_end(muc_archive_page *page, int complete,
                                    uint32_t count);

/**
 * muc_archive_retraction - a message to replace by its tombstone.
 * |author|: NULL for a moderator's retraction (any message of the room);
 * otherwise the real bare JID the message must have been sent by (the
 * author's own retraction): a message from anyone else is not replaced.
 */
typedef struct muc_archive_retraction {
  const char *room_jid;  /* bare */
  const char *stanza_id; /* the message to replace */
  const char *author;    /* NULL, or the real bare JID it must be from */
  const char *xml;       /* the tombstone stored in its place (keeping */
  size_t len;            /* the message's id and time) */
  uint64_t time;         /* when it was retracted (ms since the epoch) */
} muc_archive_retraction;

/* Return values of |query| and |retract| beyond MUC_OK. */
#define MUC_ARCHIVE_NOT_FOUND 1 /* no such message (from that author) */

/**
 * muc_archive - the host's archive.  Every member is required.  Each
 * returns MUC_OK, MUC_ARCHIVE_NOT_FOUND where said, or a negative value
 * for a failure of the host's storage: then the entry point returns
 * MUC_ERR_STORAGE and the client gets <internal-server-error/> (wait) for
 * a query or a retraction it asked for (a live message is delivered all
 * the same: the failed append is reported, not the message).
 */
typedef struct muc_archive {
  /* --- MUC_ARCHIVE_V1 --- */
  /** append - a message of an archiving room, after its broadcast. */
  int (*append)(const muc_hook_archived *msg, void *user_data);
  /** query - fill |page| (muc_archive_page_add, _end) for |q|. */
  int (*query)(const muc_archive_query *q, muc_archive_page *page,
               void *user_data);
  /** retract - replace a message by its tombstone (see above). */
  int (*retract)(const muc_archive_retraction *r, void *user_data);
} muc_archive;

#define MUC_ARCHIVE_V1 1
#define MUC_ARCHIVE_VERSION MUC_ARCHIVE_V1

/**
 * muc_service_set_archive - install the host's archive (copied; it may
 * live on the stack), replacing the one set before; NULL removes it
 * (rooms then answer MAM queries with <service-unavailable/> and leave
 * out the feature).  |version| is MUC_ARCHIVE_VERSION.  May be called at
 * any time, from a callback too; takes effect for the next message or
 * query.
 * Returns MUC_OK or MUC_ERR_INVALID_ARG (NULL |svc|, unknown |version|,
 * a NULL member; the archive set before stays).
 * Since: 0.4
 */
MUC_EXTERN int muc_service_set_archive(muc_service *svc, int version,
                                       const muc_archive *archive,
                                       void *user_data);

/* ------------------------------------------------------------------ */
/* Live snapshots and the change feed                                 */
/* ------------------------------------------------------------------ */

/*
 * A live snapshot is the whole state of one room as bytes: configuration,
 * lock and its deadline, subject (who set it, when), affiliations with
 * reserved nicks and reasons, every occupant with its role and its
 * sessions (real full JIDs and the presence each last sent), the history
 * with its delay stamps, and the queries the room forwarded and waits to
 * route back.  Another service (in another process, on another machine)
 * with the same domain turns it back into the same room: what the room
 * sends from then on is what it would have sent without the move.  The
 * format, its version rule (a later libmuc reads every earlier version)
 * and what a service keeps outside its rooms are in docs/snapshot.md.
 *
 * The change feed tells the host every change of a room's state as an
 * event with a per-room sequence number; a snapshot taken when a room's
 * last event was S, with the events after S applied in order, is the room
 * as it is now (docs/feed.md).  That is how rooms are replicated and
 * moved.
 */

/**
 * muc_snapshot_fn - receives a snapshot: |data|/|len| (borrowed for the
 * call) is the whole snapshot.  |user_data| is what the caller passed.
 * Nonzero: the call returns MUC_ERR_CALLBACK_FAILURE.
 */
typedef int (*muc_snapshot_fn)(const char *data, size_t len, void *user_data);

/**
 * muc_service_snapshot_room - the snapshot of the room |room_jid| (a bare
 * room JID, or only its local part), handed to |write| once, before this
 * returns.  A query: nothing in the service changes, and it may be called
 * from inside a callback (it sees the state as it is at that moment;
 * between entry point calls every room is complete).  Costs one pass over
 * the room, in a buffer of its own.
 * Returns MUC_OK, or:
 *   MUC_ERR_INVALID_ARG      NULL argument
 *   MUC_ERR_NOT_FOUND        no such room in memory: none of that JID,
 *                            one evicted to storage (hibernation), or
 *                            one still loading (the state of the last
 *                            two is the host's storage; a stanza for
 *                            the room loads it back)
 *   MUC_ERR_CALLBACK_FAILURE |write| returned nonzero
 *   MUC_ERR_NOMEM            out of memory (fatal, as everywhere)
 * A room that was destroyed and left a tombstone (muc_config.tombstone_ms)
 * gives the tombstone's snapshot until it expires (by the clock the last
 * entry point read): restored, it answers for the room as before
 * (docs/tombstones.md).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_snapshot_room(muc_service *svc, const char *room_jid,
                                         muc_snapshot_fn write,
                                         void *user_data);

/**
 * muc_service_restore_room - make a room of |svc| from the snapshot
 * |data|/|len| (borrowed; copied if the call is deferred).  The snapshot
 * is checked whole, as strictly as a stored record (docs/snapshot.md,
 * "What a reader accepts") and against this service's limits; a refused
 * snapshot leaves the service as it was.  Nothing is sent: the occupants
 * are in the room as they were.  The room's lock deadline is a timer
 * again (muc_service_next_deadline).  Its creator counts for
 * max_rooms_per_creator here.  A persistent room is not stored by this:
 * the host has its record.  A room evicted to storage (hibernation) is
 * not in memory and does not make a restore of its JID fail: libmuc does
 * not ask storage whether a room exists.  The host decides (it knows its
 * storage): refuse such a restore, or let it replace the stored room (it
 * is then the live one; its record is written again when it is next
 * stored).
 * Returns MUC_OK, or:
 *   MUC_ERR_INVALID_ARG   NULL |svc|, NULL |data| with |len| > 0
 *   MUC_ERR_STORAGE       not a snapshot, a version this libmuc does not
 *                         know, corrupt (CRC-32), another domain's room,
 *                         or a value this service refuses
 *   MUC_ERR_EXISTS        a room of that JID is in memory (or loading)
 *   MUC_ERR_LIMIT         max_rooms reached
 *   MUC_ERR_NOMEM
 * Called from inside a callback it returns MUC_OK (or NOMEM) at once and
 * restores when the work in progress is done (see "Re-entrancy"); what
 * that returns is folded into the outermost call's result.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_restore_room(muc_service *svc, const char *data,
                                        size_t len);

/**
 * muc_feed_fn - one event of the change feed: the room |room_jid| (bare,
 * borrowed) changed, and this is event number |seq| of that room (1, 2,
 * ...: one more than the last, never reused while the room is in memory,
 * carried
 * in its snapshots; a room stored and evicted is told "stored", and
 * when it is loaded back it counts from 1 again, docs/feed.md).
 * |data|/|len| (borrowed for the call) is the whole
 * event in the format of docs/feed.md; hand it to muc_service_apply_event
 * of a replica.  Events come in order, at the end of the entry point call
 * that caused them, before the stanzas announcing the change are handed
 * to send_bytes.  The callback may call any entry point (see
 * "Re-entrancy").  It returns nothing: the feed cannot refuse a change
 * that already happened (a replica that missed events is rebuilt from a
 * snapshot).
 */
typedef void (*muc_feed_fn)(const char *room_jid, uint64_t seq,
                            const char *data, size_t len, void *user_data);

#define MUC_FEED_V1 1
#define MUC_FEED_VERSION MUC_FEED_V1

/**
 * muc_service_set_feed - send every room's changes to |fn| from now on
 * (NULL: no feed, which costs nothing).  |version| is MUC_FEED_VERSION
 * (the format of the events, docs/feed.md).  A room in memory when the
 * feed is set is first told whole (a "room" event holding its snapshot)
 * when it next changes; so is every room created or restored later.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL |svc|, unknown |version|),
 * MUC_ERR_IN_CALLBACK (called from a callback: set it between calls) or
 * MUC_ERR_NOMEM.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_set_feed(muc_service *svc, int version,
                                    muc_feed_fn fn, void *user_data);

/**
 * muc_service_apply_event - apply one event of another service's feed
 * (|data|/|len|, borrowed; copied if deferred) to the same room here:
 * the replica's room becomes what the source's was after that event.
 * Nothing is sent.  An event of a room this service does not have must be
 * a "room" event (which makes it); an event whose number is not above the
 * room's last is passed over (MUC_OK: replaying a feed from before a
 * snapshot is harmless); a gap (a number more than one above) is refused.
 * Returns MUC_OK, or:
 *   MUC_ERR_INVALID_ARG  NULL |svc|, NULL |data| with |len| > 0, or |svc|
 *                        has a feed of its own (muc_service_set_feed): a
 *                        replica relays its source's events as they are
 *   MUC_ERR_STORAGE      not an event, corrupt, a gap, a room unknown here,
 *                        or a value this service refuses (the replica's
 *                        room may then be part-way: rebuild it from a
 *                        snapshot)
 *   MUC_ERR_LIMIT        max_rooms reached (a "room" event)
 *   MUC_ERR_NOMEM
 * From inside a callback: deferred, as muc_service_restore_room.
 * Since: 0.3
 */
MUC_EXTERN int muc_service_apply_event(muc_service *svc, const char *data,
                                       size_t len);

/* (end of snapshot section) */

/* ------------------------------------------------------------------ */
/* Hibernation                                                        */
/* ------------------------------------------------------------------ */

/*
 * Rooms that outlive memory (muc_config V3: hibernate_idle_ms,
 * evict_at_max_rooms, store_room_list).
 *
 * Which rooms are evicted.  Only with store_room and load_room set, and
 * only a room that loses nothing by it: persistent, no occupant, not
 * loading, no queued stanza, no lock timer (an unconfigured room), and
 * either store_history set or an empty history.  An unoccupied temporary
 * room is destroyed anyway (§10.1.1); a room with occupants is never
 * evicted.  Eviction writes the room's record afresh (store_room) and
 * frees the room; the next stanza for it loads it back through load_room
 * and muc_service_room_loaded(), synchronous or asynchronous, its
 * stanzas queued meanwhile as for any room being loaded.  Nothing is sent
 * to anyone when a room is evicted or comes back (a change feed tells
 * "stored", then the room whole when it is back: docs/feed.md).
 *
 * When.  Each stanza for a room moves it to the front of a list of the
 * rooms that can be evicted (O(1)); the back of that list is the room idle
 * longest.  muc_service_next_deadline() includes the moment it has been
 * idle hibernate_idle_ms, and muc_service_handle_timeout() evicts every
 * room idle that long.  At max_rooms (evict_at_max_rooms) the room at the
 * back is evicted to make room.
 *
 * Failure.  A store_room that fails keeps the room in memory as it was
 * (logged; the entry point returns MUC_ERR_STORAGE): it is tried again
 * after another hibernate_idle_ms, at most MUC_HIBERNATE_TRIES times
 * before it waits for its next stanza.  At max_rooms, up to
 * MUC_HIBERNATE_TRIES rooms are tried, each once; when none can be
 * evicted, the new room is refused as before (resource-constraint, and
 * MUC_ERR_STORAGE if a store failed on the way).
 *
 * The room list.  An evicted public room (persistent, as every evicted
 * room) stays in the service's room list (disco#items on the service's
 * domain, with its name): libmuc keeps a compact index of them (node and
 * name; docs/limits.md gives its cost).
 * With store_room_list that index and the public persistent rooms in
 * memory are stored under the service's domain (store_room(domain, ...),
 * at most once a MUC_ROOM_LIST_FLUSH_MS after a change, and at shutdown)
 * and asked for at the first entry point (load_room(domain)); the host
 * answers with muc_service_room_loaded(svc, domain, record or NULL),
 * which, for this key only, is applied at once even from inside the
 * callback.  Until that answer, the list shows the rooms in memory only,
 * and the stored list is not written (not even at shutdown: it would
 * lose the rooms it names); a load_room that fails for it leaves it so
 * for the life of the service (logged, MUC_ERR_CALLBACK_FAILURE).
 */
#define MUC_HIBERNATE_TRIES 3
#define MUC_ROOM_LIST_FLUSH_MS 1000

/**
 * muc_service_hibernate_now - store and evict, now, every room that can be
 * evicted (see above), however long it has been idle: for a host short of
 * memory, or before a snapshot of the process.  Needs store_room and
 * load_room (without them it does nothing); hibernate_idle_ms and
 * evict_at_max_rooms need not be set.  Nothing is sent to anyone.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG (NULL |svc|), MUC_ERR_STORAGE (a
 * store_room failed: that room stays in memory as it was, the others are
 * evicted) or MUC_ERR_NOMEM.  From inside a callback it is deferred like
 * every entry point (MUC_OK at once).
 * Since: 0.3
 */
MUC_EXTERN int muc_service_hibernate_now(muc_service *svc);

/* (end of hibernation section) */

#ifdef __cplusplus
}
#endif

#endif /* MUC_MUC_H */
