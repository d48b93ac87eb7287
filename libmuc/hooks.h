/* The extension hooks (muc.h, "Extension hooks"): the host's set, and the
 * call sites' entry into it.  Every call site goes through an inline
 * test of svc->hooks, so a service without hooks pays one load and one
 * branch; the work is out of line, in files that call no room logic
 * (the handlers pass what a hook needs). */
#ifndef MUC_HOOKS_H
#define MUC_HOOKS_H

#include "core.h"

typedef struct muc_hook_set {
  muc_hooks h;
  void *ud;
  char **vars; /* config_vars, copied: NULL-terminated (h.config_vars) */
  /* earlier sets replaced from inside a callback, which may still be in
   * use up the stack: freed by the next replacement made outside one, or
   * with the service */
  struct muc_hook_set *retired;
} muc_hook_set;

/* hooks.c */
void muc_hooks_free(muc_service *svc);
/* The session |real_jid| of |occ| that a notification names. */
const char *muc_hook_session_of(const muc_occupant *occ);
void muc_hook_fire_joined(muc_room *room, const muc_occupant *occ,
                          const char *real_jid, muc_affiliation aff);
void muc_hook_fire_left(muc_room *room, const muc_occupant *occ);
void muc_hook_fire_nick(muc_room *room, const char *old_nick,
                        const char *new_nick, const char *real_jid);
void muc_hook_fire_role(muc_room *room, const muc_occupant *occ, muc_role old,
                        const char *actor);
void muc_hook_fire_affiliation(muc_room *room, const char *jid,
                               muc_affiliation old, muc_affiliation now,
                               const char *actor, const char *reason);
void muc_hook_fire_created(muc_room *room, const char *creator);
void muc_hook_fire_configured(muc_room *room, const char *actor);
void muc_hook_fire_destroyed(muc_room *room, const char *reason,
                             const char *alt_jid);

/* hook_filter.c.  Each returns 1 when the stanza stops here (refused:
 * the error sent; or dropped), 0 when it goes on; *|rewritten| is then a
 * copy of |st| to use instead (the caller deletes it), or NULL. */
int muc_hook_filter_join(muc_service *svc, const mxml_node_t *st,
                         const char *room_jid, const muc_jid *from,
                         const char *nick, muc_affiliation aff, muc_role role,
                         int creating);
int muc_hook_filter_message(muc_room *room, const mxml_node_t *st,
                            const muc_occupant *occ, const muc_jid *sender,
                            const char *to_nick, mxml_node_t **rewritten);
/* Tell message_archived about the groupchat message |a| (archive.c
 * makes it). */
void muc_hook_fire_archived(muc_service *svc, const muc_hook_archived *a);
/* Does the host watch groupchat messages (message_archived)? */
static inline int muc_hook_wants_archived(const muc_service *svc)
{
  return svc->hooks &&
         ((const muc_hook_set *)svc->hooks)->h.message_archived != NULL;
}
/* Send |st|'s sender the host's error |e| (|def_cond|, |def_type| for
 * what it left NULL); with |failed| the internal-server-error of a failed
 * hook.  Shared by the filters and the configuration hook. */
void muc_hook_refuse(muc_service *svc, const mxml_node_t *st, const char *by,
                     const muc_hook_error *e, const char *def_cond,
                     const char *def_type, int failed);

/* hook_form.c */
/* Add the host's fields to the configuration form |x|. */
void muc_hook_config_form(muc_room *room, mxml_node_t *x);
/* The host's verdict on a valid submission |form| (a muc_form) of |st|:
 * 1 refused (error sent), 0 accepted and its host values stored. */
int muc_hook_config_submit(muc_room *room, const mxml_node_t *st,
                           const void *form);
/* Add the host's features and fields to the disco#info |query|. */
void muc_hook_disco_info(muc_room *room, mxml_node_t *query);

/* ---- the call sites' inline gates ---------------------------------------- */

#define MUC_HOOK_SET(svc) ((const muc_hook_set *)(svc)->hooks)

static inline void muc_hook_joined(muc_room *room, const muc_occupant *occ,
                                   const char *real_jid, muc_affiliation aff)
{
  if (room->svc->hooks)
    muc_hook_fire_joined(room, occ, real_jid, aff);
}
static inline void muc_hook_left(muc_room *room, const muc_occupant *occ)
{
  if (room->svc->hooks)
    muc_hook_fire_left(room, occ);
}
static inline void muc_hook_nick(muc_room *room, const char *old_nick,
                                 const char *new_nick, const char *real_jid)
{
  if (room->svc->hooks)
    muc_hook_fire_nick(room, old_nick, new_nick, real_jid);
}
/* |occ|'s role went from |old| to what it is now: role_changed, or
 * occupant_left when it is none. */
static inline void muc_hook_role(muc_room *room, const muc_occupant *occ,
                                 muc_role old, const char *actor)
{
  if (room->svc->hooks && occ->role != old)
    muc_hook_fire_role(room, occ, old, actor);
}
static inline void muc_hook_affiliation(muc_room *room, const char *jid,
                                        muc_affiliation old,
                                        muc_affiliation now, const char *actor,
                                        const char *reason)
{
  if (room->svc->hooks && old != now)
    muc_hook_fire_affiliation(room, jid, old, now, actor, reason);
}
static inline void muc_hook_created(muc_room *room, const char *creator)
{
  if (room->svc->hooks)
    muc_hook_fire_created(room, creator);
}
static inline void muc_hook_configured(muc_room *room, const char *actor)
{
  if (room->svc->hooks)
    muc_hook_fire_configured(room, actor);
}
static inline void muc_hook_destroyed(muc_room *room, const char *reason,
                                      const char *alt_jid)
{
  if (room->svc->hooks)
    muc_hook_fire_destroyed(room, reason, alt_jid);
}
static inline int muc_hook_refuse_join(muc_service *svc, const mxml_node_t *st,
                                       const char *room_jid,
                                       const muc_jid *from, const char *nick,
                                       muc_affiliation aff, muc_role role,
                                       int creating)
{
  return svc->hooks && muc_hook_filter_join(svc, st, room_jid, from, nick, aff,
                                            role, creating);
}
static inline int muc_hook_refuse_message(muc_room *room, const mxml_node_t *st,
                                          const muc_occupant *occ,
                                          const muc_jid *sender,
                                          const char *to_nick,
                                          mxml_node_t **rewritten)
{
  *rewritten = NULL;
  return room->svc->hooks &&
         muc_hook_filter_message(room, st, occ, sender, to_nick, rewritten);
}

#endif
