/*
 * libmuc - an embeddable XMPP Multi-User Chat (XEP-0045) engine.
 *
 * This header is the whole public API: anything not declared here is not
 * API.  libmuc is a pure state machine: the host hands it parsed stanzas,
 * libmuc updates room state and hands back the stanzas to send through the
 * |send| callback.  Time, ids, storage and policy come from host callbacks.
 *
 * Threads: a muc_service and every tree it hands out are used by one thread
 * at a time.  Distinct services share nothing and may run on distinct
 * threads.  libmuc never calls Mini-XML's per-thread setters
 * (mxmlSetWrapMargin, mxmlSetErrorCallback, ...); those stay the host's.
 *
 * Memory: every allocation libmuc makes for its own state goes through the
 * muc_allocator given to muc_service_new().  Mini-XML trees (the stanzas
 * libmuc builds and the copies it keeps) are allocated by Mini-XML itself
 * with malloc(); the allocator cannot cover them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MUC_MUC_H
#define MUC_MUC_H

#include <mxml.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define MUC_EXTERN __declspec(dllexport)
#elif defined(__GNUC__)
#define MUC_EXTERN __attribute__((visibility("default")))
#else
#define MUC_EXTERN
#endif

#define MUC_VERSION_MAJOR 0
#define MUC_VERSION_MINOR 1
#define MUC_VERSION_PATCH 0
#define MUC_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/**
 * muc_error - C return codes.
 *
 * An XMPP refusal (<forbidden/>, <conflict/>, ...) is NOT a C error: libmuc
 * sends the error stanza through |send| and the entry point returns MUC_OK.
 * Codes at or below MUC_ERR_FATAL mean the service must not be used any
 * more; the only call still allowed is muc_service_free().
 */
typedef enum muc_error {
  MUC_OK = 0,
  /* API misuse: NULL handle, bad enum value, string not valid UTF-8. */
  MUC_ERR_INVALID_ARG = -1,
  /* The input cannot even be bounced: not XML, not one of message /
   * presence / iq, no usable 'from' or 'to', over the structural limits. */
  MUC_ERR_BAD_STANZA = -2,
  /* A configured limit was hit (stanza size, rooms, queued stanzas). */
  MUC_ERR_LIMIT = -3,
  /* A storage callback reported failure. */
  MUC_ERR_STORAGE = -4,
  /* The named room or object does not exist. */
  MUC_ERR_NOT_FOUND = -5,
  /* The stanza is not for this service's domain. */
  MUC_ERR_NOT_MINE = -6,
  MUC_ERR_FATAL = -100,
  /* Out of memory.  The stanza being handled may be half processed. */
  MUC_ERR_NOMEM = -101,
  /* A callback returned failure (any value other than 0). */
  MUC_ERR_CALLBACK_FAILURE = -102
} muc_error;

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
 * muc_version - the library's version string, e.g. "0.1.0".
 * Since: 0.1
 */
MUC_EXTERN const char *muc_version(void);

/* ------------------------------------------------------------------ */
/* Opaque types                                                        */
/* ------------------------------------------------------------------ */

/* One MUC domain (e.g. conference.example.org) and all of its rooms. */
typedef struct muc_service muc_service;
/* A room; borrowed from its service, valid until the room is destroyed or
 * the next entry point call on the service, whichever comes first. */
typedef struct muc_room muc_room;

/* ------------------------------------------------------------------ */
/* Roles, affiliations                                                 */
/* ------------------------------------------------------------------ */

typedef enum muc_role {
  MUC_ROLE_NONE = 0,
  MUC_ROLE_VISITOR = 1,
  MUC_ROLE_PARTICIPANT = 2,
  MUC_ROLE_MODERATOR = 3
} muc_role;

/* Bit for |role| in a role set (e.g. muc_room_defaults.presence_broadcast) */
#define MUC_ROLE_BIT(role) (1u << (unsigned)(role))
#define MUC_ROLES_ALL 0xFu

typedef enum muc_affiliation {
  MUC_AFFIL_OUTCAST = -1,
  MUC_AFFIL_NONE = 0,
  MUC_AFFIL_MEMBER = 1,
  MUC_AFFIL_ADMIN = 2,
  MUC_AFFIL_OWNER = 3
} muc_affiliation;

/* Who may send private messages (muc#roomconfig_allowpm). */
typedef enum muc_allow_pm {
  MUC_PM_ANYONE = 0,       /* every occupant (default) */
  MUC_PM_PARTICIPANTS = 1, /* participants and moderators */
  MUC_PM_MODERATORS = 2,
  MUC_PM_MEMBERS = 3, /* occupants with an affiliation */
  MUC_PM_NOBODY = 4
} muc_allow_pm;

typedef enum muc_whois {
  MUC_WHOIS_MODERATORS = 0, /* semi-anonymous (default) */
  MUC_WHOIS_ANYONE = 1      /* non-anonymous */
} muc_whois;

/* ------------------------------------------------------------------ */
/* Allocator                                                           */
/* ------------------------------------------------------------------ */

/**
 * muc_allocator - memory hooks for libmuc's own state.
 *
 * All three are required when the struct is given.  |user_data| here is
 * the allocator's own and is passed to each hook.  Pass NULL to
 * muc_service_new() for the C library's malloc/realloc/free.
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

typedef enum muc_log_level {
  MUC_LOG_DEBUG = 0,
  MUC_LOG_INFO = 1,
  MUC_LOG_WARN = 2,
  MUC_LOG_ERROR = 3
} muc_log_level;

/**
 * muc_callbacks - everything libmuc needs from the host.
 *
 * The struct is copied by muc_service_new(); it may live on the stack.
 * Every callback receives the |user_data| given to muc_service_new().
 * A callback that returns int returns 0 on success; any other value is
 * treated as MUC_ERR_CALLBACK_FAILURE and returned by the entry point.
 */
typedef struct muc_callbacks {
  /**
   * send - Required unless |send_bytes| is set.  Deliver |stanza| to the
   * address in its 'to'
   * attribute.  |stanza| is borrowed: valid only during the call, and the
   * host must not modify or keep it (copy or serialize what it needs).
   * One broadcast reuses one tree and changes only 'to' between calls.
   * The top-level element carries no xmlns: it is in the stream's default
   * namespace (jabber:client or jabber:component:accept).
   */
  int (*send)(const mxml_node_t *stanza, void *user_data);

  /**
   * send_bytes - Optional.  The same delivery as |send|, as text: |to| is
   * the recipient (NUL-terminated) and |xml|/|len| the whole serialized
   * stanza (UTF-8, no XML declaration, no trailing newline, 'to' among its
   * attributes; not NUL-terminated).  Both are borrowed for the call.
   * When set, libmuc calls it instead of |send| (|send| may then be NULL):
   * a broadcast is serialized once and only the recipient is spliced in,
   * so a host that writes text to sockets never serializes a tree.
   */
  int (*send_bytes)(const char *to, const char *xml, size_t len,
                    void *user_data);

  /**
   * now - Required.  Current wall-clock time in milliseconds since the
   * Unix epoch.  Read once per entry point call; used for history stamps
   * (urn:xmpp:delay), room-lock expiry and "seconds"/"since" history
   * requests.  A replay supplies a fake clock.
   */
  uint64_t (*now)(void *user_data);

  /**
   * is_service_admin - Optional.  Nonzero if the bare JID |bare_jid| is an
   * administrator of the whole service: it may use the service's ad-hoc
   * commands (destroy any room) and create rooms whatever may_create_room
   * says.  It gets no affiliation in rooms by this.  NULL: nobody is.
   */
  int (*is_service_admin)(const char *bare_jid, void *user_data);

  /**
   * may_create_room - Optional.  Nonzero if |real_jid| (full JID) may
   * create the room |room_jid| (bare).  NULL: anybody may.  Refused
   * creators get <not-allowed/>.
   */
  int (*may_create_room)(const char *real_jid, const char *room_jid,
                         void *user_data);

  /**
   * make_id - Optional.  Write a NUL-terminated unique id of at most
   * |size|-1 bytes into |buf| (size is at least 16).  Used for the 'id' of
   * groupchat messages that arrive without one.  NULL: ids come from a
   * per-service counter ("muc-1", "muc-2", ...).
   */
  int (*make_id)(char *buf, size_t size, void *user_data);

  /**
   * store_room - Optional (NULL: no persistence).  Persist the state of
   * the room |room_jid| (bare).  |data|/|len| is libmuc's own serialized
   * record (UTF-8 XML text, not NUL-terminated; borrowed for the call):
   * configuration, affiliations, reserved nicknames, subject.  The host
   * stores it as an opaque blob and gives it back to
   * muc_service_room_loaded().  |data| NULL means: delete the record (the
   * room was destroyed or stopped being persistent).
   */
  int (*store_room)(const char *room_jid, const char *data, size_t len,
                    void *user_data);

  /**
   * load_room - Optional (NULL: rooms live only in memory).  Called when a
   * stanza arrives for a room that is not in memory.  The host looks the
   * room up and answers with muc_service_room_loaded(), either inside this
   * callback (synchronous storage) or later (asynchronous storage).  Until
   * the answer arrives, stanzas for that room are queued (bounded by
   * muc_config.max_pending_stanzas), never dropped.
   */
  int (*load_room)(const char *room_jid, void *user_data);

  /**
   * log - Optional.  |msg| is NUL-terminated and borrowed.
   */
  void (*log)(muc_log_level level, const char *msg, void *user_data);
} muc_callbacks;

#define MUC_CALLBACKS_V1 1
#define MUC_CALLBACKS_VERSION MUC_CALLBACKS_V1

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

/**
 * muc_room_defaults - the configuration a new room starts with.
 * Booleans are 0/1.
 */
typedef struct muc_room_defaults {
  int persistent;     /* muc#roomconfig_persistentroom */
  int public_room;    /* muc#roomconfig_publicroom (listed in disco) */
  int members_only;   /* muc#roomconfig_membersonly */
  int moderated;      /* muc#roomconfig_moderatedroom */
  int allow_invites;  /* muc#roomconfig_allowinvites (members may invite) */
  int change_subject; /* muc#roomconfig_changesubject (participants may) */
  muc_whois whois;    /* muc#roomconfig_whois */
  unsigned presence_broadcast; /* role set, MUC_ROLE_BIT(); default
                                  visitor|participant|moderator */
  muc_allow_pm allow_pm;       /* muc#roomconfig_allowpm; default anyone */
  unsigned history_length;     /* messages kept; default 20 */
  unsigned max_users;          /* 0 = no limit */
  int lock_new_rooms; /* rooms refuse others until configured; default 1 */
  uint64_t lock_timeout_ms;        /* an unconfigured room unlocks after this;
                                      default 300000 (5 minutes) */
  int allow_unaffiliated_register; /* default 0 */
} muc_room_defaults;

/**
 * muc_config - service settings and the limits that protect it.
 * Fill with muc_config_default() and change what you need.
 */
typedef struct muc_config {
  muc_room_defaults room;
  size_t max_stanza_bytes;       /* muc_service_handle_xml input; 65536 */
  size_t max_depth;              /* element nesting; 32 */
  size_t max_attrs;              /* attributes per element; 64 */
  size_t max_children;           /* child elements per element; 512 */
  size_t max_rooms;              /* rooms in memory; 0 = no limit */
  size_t max_occupants_per_room; /* 0 = no limit */
  size_t max_history;            /* hard cap on history_length; 100 */
  size_t max_nick_bytes;         /* after resourceprep; 1023 */
  size_t max_pending_stanzas;    /* queued per loading room; 64 */
} muc_config;

#define MUC_CONFIG_V1 1
#define MUC_CONFIG_VERSION MUC_CONFIG_V1

/**
 * muc_config_default - fill |cfg| with the defaults documented above
 * (Prosody-compatible room defaults).
 * Since: 0.1
 */
MUC_EXTERN void muc_config_default(muc_config *cfg);

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
 *   MUC_ERR_INVALID_ARG  NULL argument, |cb->now| or both |cb->send| and
 *                        |cb->send_bytes| missing,
 *                        bad domain, unknown struct version
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
 * muc_service_free - free |svc| and every room in it.  Nothing is sent.
 * NULL is a no-op.
 * Since: 0.1
 */
MUC_EXTERN void muc_service_free(muc_service *svc);

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

/**
 * muc_service_handle_stanza - process one stanza addressed to the service
 * domain, a room (room@domain) or an occupant (room@domain/nick).
 *
 * |stanza| is a <message/>, <presence/> or <iq/> element with 'from' set
 * to the sender's full JID (the host authenticates it).  It is borrowed
 * for the call: libmuc copies what it keeps.  Everything the stanza
 * causes is sent through |send| before this returns (unless the room is
 * still loading: see load_room).
 * Returns MUC_OK (also when the answer is an XMPP error stanza), or:
 *   MUC_ERR_INVALID_ARG  NULL argument
 *   MUC_ERR_BAD_STANZA   not a stanza, or no valid 'from'/'to': nothing sent
 *   MUC_ERR_NOT_MINE     'to' is not this service's domain: nothing sent
 *   MUC_ERR_LIMIT        a room still loading has too many queued stanzas
 *                        (the sender got <resource-constraint/>)
 *   MUC_ERR_CALLBACK_FAILURE, MUC_ERR_NOMEM, MUC_ERR_STORAGE
 * Since: 0.1
 */
MUC_EXTERN int muc_service_handle_stanza(muc_service *svc,
                                         const mxml_node_t *stanza);

/**
 * muc_service_handle_xml - parse one complete stanza from |xml| (|len|
 * bytes, need not be NUL-terminated) and handle it as
 * muc_service_handle_stanza() does.
 *
 * The text is checked before parsing: size (max_stanza_bytes), UTF-8,
 * XML characters, only the five predefined entities; after parsing,
 * depth/attribute/children limits; comments, processing instructions and
 * DOCTYPE are refused.  Leading and trailing whitespace is ignored.
 * Returns what muc_service_handle_stanza() returns; malformed text gives
 * MUC_ERR_BAD_STANZA and an oversized one MUC_ERR_LIMIT (nothing sent).
 * Since: 0.1
 */
MUC_EXTERN int muc_service_handle_xml(muc_service *svc, const char *xml,
                                      size_t len);

/**
 * muc_service_session_ended - the client session |full_jid| is gone
 * (disconnect, stream error).  It leaves every room it was in, exactly as
 * if it had sent unavailable presence to each.
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, or a callback / memory error.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_session_ended(muc_service *svc,
                                         const char *full_jid);

/**
 * muc_service_room_loaded - the host's answer to load_room.
 *
 * |data|/|len| is a record previously given to store_room (borrowed), or
 * NULL if the room does not exist in storage.  Queued stanzas for the room
 * are processed before this returns.  May be called from inside load_room.
 * Returns MUC_OK, or:
 *   MUC_ERR_INVALID_ARG  NULL argument, or no load is pending for |room_jid|
 *   MUC_ERR_STORAGE      |data| is not a valid record (the room is treated
 *                        as absent and queued senders get
 *                        <internal-server-error/>)
 *   MUC_ERR_NOMEM, MUC_ERR_CALLBACK_FAILURE
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
 * Returns MUC_OK, MUC_ERR_INVALID_ARG, or a callback / memory / storage
 * error.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_shutdown(muc_service *svc);

/**
 * muc_service_next_deadline - the earliest time (ms since the epoch, the
 * host clock) at which muc_service_handle_timeout() has work to do, or
 * UINT64_MAX if none (e.g. the lock of an unconfigured room).
 * Since: 0.1
 */
MUC_EXTERN uint64_t muc_service_next_deadline(const muc_service *svc);

/**
 * muc_service_handle_timeout - run the work that is due at the current
 * time (as read from |now|).  Calling it early is harmless.
 * Since: 0.1
 */
MUC_EXTERN int muc_service_handle_timeout(muc_service *svc);

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

/**
 * muc_service_get_domain - the service's domain (borrowed).
 * Since: 0.1
 */
MUC_EXTERN const char *muc_service_get_domain(const muc_service *svc);

/**
 * muc_service_get_room_count - rooms in memory.
 * Since: 0.1
 */
MUC_EXTERN size_t muc_service_get_room_count(const muc_service *svc);

/**
 * muc_service_get_memory_usage - bytes currently allocated through the
 * service's allocator (Mini-XML trees excluded).
 * Since: 0.1
 */
MUC_EXTERN size_t muc_service_get_memory_usage(const muc_service *svc);

/**
 * muc_service_find_room - the room |room| (a bare room JID, or only its
 * local part), or NULL if it is not in memory.  Borrowed.
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
 * muc_room_get_affiliation - the affiliation of the bare JID |jid| in
 * |room| (MUC_AFFIL_NONE if unknown or |jid| invalid).
 * Since: 0.1
 */
MUC_EXTERN muc_affiliation muc_room_get_affiliation(const muc_room *room,
                                                    const char *jid);

/**
 * muc_room_get_role - the role of the occupant |nick| (MUC_ROLE_NONE if
 * absent).
 * Since: 0.1
 */
MUC_EXTERN muc_role muc_room_get_role(const muc_room *room, const char *nick);

#ifdef __cplusplus
}
#endif

#endif /* MUC_MUC_H */
