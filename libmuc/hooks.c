/* The host's hook set (muc_service_set_hooks) and the notifications:
 * occupants and rooms.  Filters are in hook_filter.c, forms in
 * hook_form.c. */
#include "hooks.h"

#include <string.h>

#include "host_fields.h"

static void set_free(muc_service *svc, muc_hook_set *set)
{
  while (set) {
    muc_hook_set *older = set->retired;
    for (size_t i = 0; set->vars && set->vars[i]; i++)
      muc_mem_free(&svc->mem, set->vars[i]);
    muc_mem_free(&svc->mem, set->vars);
    muc_mem_free(&svc->mem, set);
    set = older;
  }
}

void muc_hooks_free(muc_service *svc)
{
  set_free(svc, svc->hooks);
  svc->hooks = NULL;
}

/* Copy config_vars into |set|.  MUC_OK, MUC_ERR_INVALID_ARG or NOMEM. */
static int copy_vars(muc_service *svc, muc_hook_set *set,
                     const char *const *vars)
{
  size_t n = 0;
  while (vars && vars[n])
    if (!*vars[n] || muc_host_var_is_libmucs(vars[n++]))
      return MUC_ERR_INVALID_ARG;
  if (!vars)
    return MUC_OK;
  set->vars = muc_mem_calloc(&svc->mem, n + 1, sizeof(*set->vars));
  if (!set->vars)
    return MUC_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    if (!(set->vars[i] = muc_mem_strdup(&svc->mem, vars[i])))
      return MUC_ERR_NOMEM;
  set->h.config_vars = (const char *const *)set->vars;
  return MUC_OK;
}

/* Out of memory is fatal for the service (muc.h), here as in every
 * entry point. */
static int nomem(muc_service *svc, muc_hook_set *set)
{
  set_free(svc, set);
  svc->fatal = MUC_ERR_NOMEM;
  return MUC_ERR_NOMEM;
}

MUC_EXTERN int muc_service_set_hooks(muc_service *svc, int version,
                                     const muc_hooks *hooks, void *user_data)
{
  if (!svc || (hooks && version != MUC_HOOKS_V1))
    return MUC_ERR_INVALID_ARG;
  if (svc->fatal)
    return svc->fatal;
  muc_hook_set *set = NULL;
  if (hooks) {
    set = muc_mem_calloc(&svc->mem, 1, sizeof(*set));
    if (!set)
      return nomem(svc, NULL);
    set->h = *hooks; /* V1 is the whole struct */
    set->h.config_vars = NULL;
    set->ud = user_data;
    int rc = copy_vars(svc, set, hooks->config_vars);
    if (rc == MUC_ERR_NOMEM)
      return nomem(svc, set);
    if (rc != MUC_OK) {
      set_free(svc, set);
      return rc;
    }
  }
  muc_hook_set *old = svc->hooks;
  if (svc->depth && old) {
    /* a hook up the stack may still read the old set: the new one (an
     * empty one when the hooks are removed) keeps it */
    if (!set && !(set = muc_mem_calloc(&svc->mem, 1, sizeof(*set))))
      return nomem(svc, NULL);
    set->retired = old;
    old = NULL;
  }
  set_free(svc, old);
  svc->hooks = set;
  return MUC_OK;
}

const char *muc_hook_session_of(const muc_occupant *occ)
{
  if (occ->primary)
    return occ->primary->jid;
  return occ->sessions ? occ->sessions->jid : occ->bare_jid;
}

void muc_hook_fire_joined(muc_room *room, const muc_occupant *occ,
                          const char *real_jid, muc_affiliation aff)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.occupant_joined)
    s->h.occupant_joined(room->jid, occ->nick, real_jid, (int)occ->role,
                         (int)aff, s->ud);
}

void muc_hook_fire_left(muc_room *room, const muc_occupant *occ)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.occupant_left)
    s->h.occupant_left(room->jid, occ->nick, muc_hook_session_of(occ), s->ud);
}

void muc_hook_fire_nick(muc_room *room, const char *old_nick,
                        const char *new_nick, const char *real_jid)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.nick_changed)
    s->h.nick_changed(room->jid, old_nick, new_nick, real_jid, s->ud);
}

void muc_hook_fire_role(muc_room *room, const muc_occupant *occ, muc_role old,
                        const char *actor)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (occ->role == MUC_ROLE_NONE)
    muc_hook_fire_left(room, occ);
  else if (s->h.role_changed)
    s->h.role_changed(room->jid, occ->nick, (int)old, (int)occ->role, actor,
                      s->ud);
}

void muc_hook_fire_affiliation(muc_room *room, const char *jid,
                               muc_affiliation old, muc_affiliation now,
                               const char *actor, const char *reason)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.affiliation_changed)
    s->h.affiliation_changed(room->jid, jid, (int)old, (int)now, actor, reason,
                             s->ud);
}

void muc_hook_fire_created(muc_room *room, const char *creator)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.room_created)
    s->h.room_created(room->jid, creator, s->ud);
}

void muc_hook_fire_configured(muc_room *room, const char *actor)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.room_configured)
    s->h.room_configured(room->jid, actor, s->ud);
}

void muc_hook_fire_destroyed(muc_room *room, const char *reason,
                             const char *alt_jid)
{
  const muc_hook_set *s = MUC_HOOK_SET(room->svc);
  if (s->h.room_destroyed)
    s->h.room_destroyed(room->jid, reason, alt_jid, s->ud);
}
