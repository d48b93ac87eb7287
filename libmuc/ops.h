/* The room operations: the one layer that changes a room's state on
 * behalf of someone and emits what the change means (presences,
 * messages, status codes, the store of the room's record).  The stanza
 * handlers above call them after parsing a request and checking the
 * sender's privilege; the host's admin API calls the same functions with
 * the host as the actor.  No operation checks a privilege or answers a
 * request: that is the caller's job, done before the call (docs/
 * architecture.md, "Layers").
 *
 * The actor.  Every operation that a person can cause takes a
 * `const muc_actor *actor`: the user on whose behalf it is done.  NULL
 * (MUC_ACTOR_HOST) is the host itself (the admin API) or the room acting
 * on its own rules (a nick taken back for the user who reserved it, a
 * membership an invitation grants): nobody is named as the actor in
 * what the occupants receive.  Otherwise |jid| is the real full JID of
 * the user (an occupant's session, or an owner outside the room); the
 * notifications name it in <actor/> (by nick when it is an occupant,
 * by JID to those who may see real JIDs), as XEP-0045 §8-§10 show.
 *
 * Memory: every string and tree argument is borrowed for the call.
 * Failures: out of memory is recorded on the service (muc_fail, the
 * entry point returns MUC_ERR_NOMEM) and returned where a code is
 * returned; a failed store_room is recorded as MUC_ERR_STORAGE. */
#ifndef MUC_OPS_H
#define MUC_OPS_H

#include "affiliation.h"
#include "archive.h"
#include "core.h"
#include "stanza.h"

typedef struct muc_actor {
  const char *jid; /* the real full JID of the user acting */
} muc_actor;

/* The host (or the room on its own rules) as the actor. */
#define MUC_ACTOR_HOST ((const muc_actor *)NULL)

/* The actor's real JID, NULL for the host. */
static inline const char *muc_actor_jid(const muc_actor *actor)
{
  return actor ? actor->jid : NULL;
}

/* ---- affiliations (op_affiliation.c) ------------------------------------ */

/* What happens to the affiliation's stored data (reserved nick, reason). */
typedef struct muc_affil_data {
  int clear; /* drop nick and reason */
  int set;   /* replace them with the two below */
  const char *nick;
  const char *reason;
  int told; /* the user learns it otherwise (an invitation): no status 101
               (absent_notice.c) */
} muc_affil_data;

/* Give |jid| (a bare JID, or a domain: a host-wide ban) the affiliation
 * |aff| (NONE removes the entry): every occupant of that user gets the
 * role the affiliation gives (§9-§10: demoted, or removed with 301/321),
 * the room is told about an absent user (§9.3), the record is stored.
 * |reason| is announced; |data| NULL keeps the stored nick and reason.
 * MUC_OK or MUC_ERR_NOMEM. */
/* absent_notice.c: tell |jid|, not in the room, that its affiliation
 * is now |aff| (status 101; muc_config.notify_absent_affiliation). */
void muc_op_notify_absent(muc_room *room, const char *jid, muc_affiliation aff,
                          const char *reason);
int muc_op_set_affiliation(muc_room *room, const muc_actor *actor,
                           const char *jid, muc_affiliation aff,
                           const char *reason, const muc_affil_data *data);

/* Register |bare| with the reserved nick |nick| (§7.10): it becomes a
 * member if it had no affiliation, keeps its affiliation otherwise.
 * Nothing happens when |nick| is already its nick.  MUC_OK or
 * MUC_ERR_NOMEM. */
int muc_op_register(muc_room *room, const muc_actor *actor, const char *bare,
                    const char *nick);
/* Cancel the registration of |bare| (§7.11): its reserved nick and
 * stored reason go; a member becomes unaffiliated, an admin or owner
 * keeps its rank.  MUC_OK or MUC_ERR_NOMEM. */
int muc_op_unregister(muc_room *room, const muc_actor *actor, const char *bare);

/* ---- roles (op_role.c) ----------------------------------------------------
 */

/* Give the occupant |occ| the role |role| (§8: NONE kicks, with 307;
 * VISITOR revokes voice, PARTICIPANT grants it, MODERATOR) and announce
 * it; an occupant kicked is freed (|occ| is then gone).  MUC_OK or
 * MUC_ERR_NOMEM. */
int muc_op_set_role(muc_room *room, const muc_actor *actor, muc_occupant *occ,
                    muc_role role, const char *reason);

/* Forward the voice request of the visitor |occ| (its session |jid|) to
 * the moderators as a muc#request form (§7.13). */
void muc_op_request_voice(muc_room *room, const muc_occupant *occ,
                          const char *jid);

/* ---- occupancy (op_occupancy.c) ------------------------------------------ */

/* The session |from| enters |room| as |nick| (the checks of entry.c
 * passed), |presence| its join (recorded as the session's presence; its
 * <x/> says how much history it wants).  It joins the occupant of that
 * nick (another session of the same user) or a new one with the role its
 * affiliation gives; it receives the occupant list, its own presence
 * (100, 170; 210 when |assigned|: the service chose |nick|, not the
 * join, §7.2.12), the history and the subject. */
void muc_op_join(muc_room *room, const muc_jid *from, const char *nick,
                 const mxml_node_t *presence, int assigned);

/* The first occupant of the room |room| just created for it (§10.1):
 * moderator, status 201; the room is stored. */
void muc_op_join_new_room(muc_room *room, const muc_jid *from, const char *nick,
                          const mxml_node_t *presence);

/* The session |from| of |occ| leaves (its unavailable |presence|, §7.14);
 * a locked room its owner leaves is destroyed (§10.1.3). */
void muc_op_leave(muc_room *room, const muc_jid *from, muc_occupant *occ,
                  const mxml_node_t *presence);

/* The session |from| of |orig| moves to |nick| (§7.6; the checks
 * passed), |presence| its new presence. */
void muc_op_change_nick(muc_room *room, const muc_jid *from, muc_occupant *orig,
                        const char *nick, const mxml_node_t *presence);

/* A new presence of the session |from| of |occ| under its own nick
 * (§7.7): broadcast; with a MUC <x/>, the session is sent everything
 * again, as on a join. */
void muc_op_update_presence(muc_room *room, const muc_jid *from,
                            muc_occupant *occ, const mxml_node_t *presence);

/* ---- subject and messages (op_subject.c, op_message.c, op_invite.c) ----- */

/* Change the subject as |actor| (NULL: the host; the message comes from
 * the room's JID, else from the actor's occupant JID) and tell every
 * occupant.  |subject| NULL or "" clears it.  |id| (may be NULL) is the
 * id of the message that asked for the change.  MUC_OK or
 * MUC_ERR_NOMEM. */
int muc_op_set_subject(muc_room *room, const muc_actor *actor,
                       const char *subject, const char *id);

/* The subject message to the session |to| (always sent on join, empty if
 * none, §7.2.15). */
void muc_op_send_subject(muc_room *room, const char *to);

/* The history to the new session |to|, limited by the <history/> element
 * of its join's <x xmlns='...muc'/> (|muc_x| may be NULL). */
void muc_op_send_history(muc_room *room, const char *to,
                         const mxml_node_t *muc_x);

/* Post the groupchat message |w| (already serialized as the room passes
 * it on: from the sender's occupant JID, with an id) to every occupant;
 * when |historic|, it enters the history (and the record, when the room
 * stores its history); then to message_archived and the archive, told
 * by |o| who sent it (archive.h). */
void muc_op_post_message(muc_room *room, muc_wire *w, int historic,
                         const muc_post_origin *o);

/* ---- retractions (op_retract.c) ------------------------------------------ */

/* A message to retract (XEP-0424, XEP-0425). */
typedef struct muc_retraction {
  const char *stanza_id;      /* the room's XEP-0359 id of the message */
  const char *author;         /* the author's own retraction: the real
                                 bare JID it must be from; NULL: a
                                 moderator's */
  const char *author_occ_jid; /* with |author|: the occupant JID the
                                 history entry must be from when no
                                 archive can tell who sent it */
  const char *moderator;      /* a moderator's: its occupant JID (the
                                 'by' of <moderated/>); NULL: the author's */
  const char *reason;         /* NULL: none */
} muc_retraction;

/* Replace the message by its tombstone in the history (the record is
 * stored) and in the host's archive (retract); for a moderator's, tell
 * every occupant (<retract/> with <moderated/>).  MUC_OK;
 * MUC_ARCHIVE_NOT_FOUND: no such message (of that author), nothing
 * changed; MUC_ERR_STORAGE (the archive failed) or MUC_ERR_NOMEM, both
 * recorded. */
int muc_op_retract(muc_room *room, const muc_retraction *r);

/* Invite |invitee| (a full or bare JID) as |actor| (§7.8.2): in a
 * members-only room an unaffiliated invitee first becomes a member (the
 * stored reason "Invited by |inviter_addr|"), then |invitation|, the
 * message built by the caller (ownership passes to the call), is sent.
 * |inviter_addr|: how the invitee sees the inviter (real JID, or occupant
 * JID in a semi-anonymous room). */
void muc_op_invite(muc_room *room, const muc_actor *actor,
                   const muc_jid *invitee, const char *inviter_addr,
                   mxml_node_t *invitation);

/* The invitation a user added to the member list of a members-only room
 * receives (§9.5), from |actor| (named by bare JID in a non-anonymous
 * room, by occupant JID in a semi-anonymous one; the host: by nobody). */
void muc_op_invite_member(muc_room *room, const muc_actor *actor,
                          const char *jid);

/* ---- the room (op_room.c, op_config.c, op_afflist.c)
 * ----------------------------------- */

/* Create the room |node| (nodeprepped, not in use) with the service's
 * defaults and |owner_bare| as its owner (NULL: none yet).  |locked|: the
 * room waits room_lock_timeout_ms for its initial configuration
 * (§10.1.2, a reserved room).  Nothing is stored yet: configure it
 * (muc_op_configure) or let its first occupant in (muc_op_join_new_room).
 * NULL when max_rooms is reached (svc->err untouched) or out of memory
 * (recorded). */
muc_room *muc_op_create_room(muc_service *svc, const char *node,
                             const char *owner_bare, int locked);

/* The new configuration |cfg| (a whole configuration: fields equal to the
 * room's change nothing) with, when not NULL, the submitted admin and
 * owner lists (bare JIDs, §10.5, §10.8).  Applies it: affiliations from
 * the lists, the options (a room that becomes members-only loses its
 * non-members, 322; occupants appear or disappear as presence broadcast
 * changes), the lock ends, the record is stored (deleted when the room
 * stops being persistent).  The status codes the occupants must be told
 * (104, 170-174, 102, 103) go to |codes| (room for MUC_CONFIG_CODES) and
 * their number is returned: announce them with muc_room_announce_codes
 * once the requester has its answer.  The caller checked the values and
 * the lists (afflist.h: an owner is left, max_affiliations_per_room);
 * the history length is capped at max_history here. */
#define MUC_CONFIG_CODES 32
struct muc_jid_list;
/* The lists alone (NULL: not given), promotions first so that no step
 * leaves the room without an owner; each change announced as any
 * affiliation change by the host (§10.2). */
void muc_op_apply_lists(muc_room *room, const struct muc_jid_list *admins,
                        const struct muc_jid_list *owners);
size_t muc_op_configure(muc_room *room, const muc_actor *actor,
                        const muc_room_config *cfg,
                        const struct muc_jid_list *admins,
                        const struct muc_jid_list *owners, int *codes);

/* Destroy the room (§10.9): every occupant gets unavailable presence with
 * <destroy/> (|alt_jid|, |reason|, |password| optional), the storage
 * record is deleted, the room is marked for freeing (the router frees it
 * at the end of the entry point).  With |tombstone| (a destroy someone
 * asked for, not a room that ends by itself) and muc_config.tombstone_ms,
 * the room leaves a tombstone, stored in place of its record. */
void muc_op_destroy(muc_room *room, const muc_actor *actor, const char *alt_jid,
                    const char *reason, const char *password, int tombstone);

/* The service shuts down (status 332): every occupant leaves, told
 * with its own unavailable presence; the record is stored.  The caller
 * frees the room. */
void muc_op_shut_down(muc_room *room);

/* The host's field |var| of |room| gets the |n| |values| (copied),
 * stored as a form submission stores them (the record written, the feed
 * told).  MUC_OK or MUC_ERR_NOMEM (the values as they were). */
int muc_op_set_host_values(muc_room *room, const char *var,
                           const char *const *values, size_t n);

/* ---- avatars and hats (op_extras.c) ------------------------------------ */

/* The room's vCard becomes the serialized <vCard/> |vcard| (NULL or an
 * empty one removes it); when it changed the occupants are told (104,
 * XEP-0486 §3.2) and the record is stored.  MUC_OK, MUC_ERR_INVALID_ARG
 * (not a vCard, or a photo not in base64: nothing changed) or NOMEM. */
int muc_op_set_vcard(muc_room *room, const char *vcard);
/* Define the hat |uri| (title, hue NULL: none) or change it: 104 to the
 * occupants (XEP-0317 §3.2), the presences of those who wear it again
 * when it changed, the record stored.  MUC_OK or NOMEM. */
int muc_op_define_hat(muc_room *room, const char *uri, const char *title,
                      const char *hue);
/* Remove the hat |uri| from the room and from all who wear it (their
 * presences again, 104 to the occupants).  MUC_OK or NOMEM. */
int muc_op_destroy_hat(muc_room *room, const char *uri);
/* The bare JID |jid| wears (|wear|) or no longer wears the defined hat
 * |uri|: its occupant's presence goes out again with its hats (XEP-0317
 * §3.5, §3.6).  MUC_OK or NOMEM. */
int muc_op_wear_hat(muc_room *room, const char *jid, const char *uri, int wear);

#endif
