/* The admin API on whole rooms: create, configure, read the
 * configuration, destroy, list (muc.h, "Room administration"). */
#include <string.h>

#include "api.h"
#include "api_options.h"
#include "owner.h"
#include "room.h"
#include "timer.h"

/* ---- create -------------------------------------------------------------- */

static int create_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)room;
  (void)op;
  if (svc->cfg.max_rooms && svc->nrooms >= svc->cfg.max_rooms)
    return MUC_ERR_LIMIT;
  return MUC_OK;
}

static int create_apply(muc_service *svc, muc_room *none, const muc_api_op *op)
{
  (void)none;
  muc_room *room = muc_room_new(svc, op->node);
  if (!room)
    return svc->err == MUC_OK ? MUC_ERR_LIMIT : svc->err;
  room->held = 1; /* stays, though empty, until somebody has entered */
  const char *owner = op->str[0];
  if (owner && muc_room_put_affiliation(room, owner, MUC_AFFIL_OWNER, 0, 0,
                                        NULL, NULL) != MUC_OK) {
    muc_room_free(room);
    return MUC_ERR_NOMEM;
  }
  /* configured as by a form (and stored), then locked if reserved */
  int rc = muc_owner_configure(room, op->form);
  if (rc == MUC_OK && (op->flags & MUC_CREATE_RESERVED))
    muc_timer_set(svc, room, svc->now + svc->cfg.room_lock_timeout_ms);
  return rc;
}

int muc_service_create_room_versioned(muc_service *svc, const char *room,
                                      const char *owner, int options_version,
                                      const muc_room_options *opts,
                                      unsigned flags)
{
  if (!svc || !room || (flags & ~MUC_CREATE_RESERVED))
    return MUC_ERR_INVALID_ARG;
  muc_room_options o;
  int rc = muc_api_options_import(svc, options_version, opts, &o);
  if (rc != MUC_OK)
    return rc;
  char *bare = NULL;
  if (owner && (rc = muc_api_bare(svc, owner, &bare)) != MUC_OK)
    return rc;
  const char *strs[] = {bare};
  muc_api_op *op;
  rc = muc_api_op_new(svc, room, strs, 1, &op);
  muc_mem_free(&svc->mem, bare);
  if (rc != MUC_OK)
    return rc;
  if ((rc = muc_api_options_form(svc, &o, &op->form)) != MUC_OK) {
    muc_api_op_free(svc, op);
    return rc;
  }
  op->new_room = 1;
  op->flags = flags;
  op->check = create_check;
  op->apply = create_apply;
  return muc_api_submit(svc, op);
}

/* ---- configuration ------------------------------------------------------- */

int muc_service_get_room_options_versioned(muc_service *svc, const char *room,
                                           int options_version,
                                           muc_room_options *o)
{
  if (!svc || !o || options_version != MUC_ROOM_OPTIONS_V1)
    return MUC_ERR_INVALID_ARG;
  muc_room *r;
  int rc = muc_api_room(svc, room, &r);
  if (rc != MUC_OK)
    return rc;
  const muc_room_config *c = &r->cfg;
  o->name = c->name;
  o->description = c->desc;
  o->lang = c->lang;
  o->password = c->password;
  o->persistent = c->persistent;
  o->public_room = c->public_room;
  o->members_only = c->members_only;
  o->allow_invites = c->allow_member_invites;
  o->max_users = c->max_users;
  o->change_subject = c->change_subject;
  o->moderated = c->moderated;
  o->whois = c->whois;
  o->allow_pm = c->allow_pm;
  o->get_member_list = c->get_member_list;
  o->history_length = c->history_length;
  o->presence_broadcast = c->presence_broadcast;
  o->logging = c->logging;
  return MUC_OK;
}

static int configure_apply(muc_service *svc, muc_room *room,
                           const muc_api_op *op)
{
  (void)svc;
  return muc_owner_configure(room, op->form);
}

int muc_service_set_room_options_versioned(muc_service *svc, const char *room,
                                           int options_version,
                                           const muc_room_options *opts)
{
  if (!svc || !opts)
    return MUC_ERR_INVALID_ARG;
  muc_room_options o;
  int rc = muc_api_options_import(svc, options_version, opts, &o);
  muc_api_op *op;
  if (rc != MUC_OK || (rc = muc_api_op_new(svc, room, NULL, 0, &op)) != MUC_OK)
    return rc;
  if ((rc = muc_api_options_form(svc, &o, &op->form)) != MUC_OK) {
    muc_api_op_free(svc, op);
    return rc;
  }
  op->apply = configure_apply;
  return muc_api_submit(svc, op);
}

/* ---- destroy ------------------------------------------------------------- */

static int destroy_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  muc_room_destroy(room, op->str[1], op->str[0], op->str[2]);
  return MUC_OK;
}

int muc_service_destroy_room(muc_service *svc, const char *room,
                             const char *reason, const char *alt_jid,
                             const char *password)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  int rc = muc_api_text_code(reason, svc->cfg.max_reason_bytes);
  if (rc == MUC_OK)
    rc = muc_api_text_code(password, svc->cfg.max_password_bytes);
  if (rc != MUC_OK)
    return rc;
  muc_jid alt = {0};
  if (alt_jid) {
    if (!muc_api_text_ok(alt_jid, UINT32_MAX))
      return MUC_ERR_INVALID_ARG;
    rc = muc_jid_parse(&svc->mem, alt_jid, &alt);
    if (rc != MUC_OK)
      return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  }
  const char *strs[] = {reason, alt_jid ? alt.full : NULL, password};
  muc_api_op *op;
  rc = muc_api_op_new(svc, room, strs, 3, &op);
  muc_jid_clear(&svc->mem, &alt);
  if (rc != MUC_OK)
    return rc;
  op->apply = destroy_apply;
  return muc_api_submit(svc, op);
}

/* ---- listing ------------------------------------------------------------- */

static int wanted(const muc_room *r, unsigned filter)
{
  if (r->loading || r->destroyed)
    return 0;
  if ((filter & MUC_LIST_PUBLIC) && !r->cfg.public_room)
    return 0;
  if ((filter & MUC_LIST_PERSISTENT) && !r->cfg.persistent)
    return 0;
  return !(filter & MUC_LIST_OCCUPIED) || r->noccupants > 0;
}

static void info_of(const muc_room *r, muc_room_info *i)
{
  i->jid = r->jid;
  i->name = r->cfg.name ? r->cfg.name : "";
  i->occupants = r->noccupants;
  i->public_room = r->cfg.public_room;
  i->persistent = r->cfg.persistent;
  i->members_only = r->cfg.members_only;
  i->password_protected = r->cfg.password != NULL;
  i->locked = r->locked_until != 0;
}

int muc_service_list_rooms(muc_service *svc, const char *after, unsigned filter,
                           muc_room_info *out, size_t max, size_t *n)
{
  if (!svc || !n || (!out && max) || (filter & ~MUC_LIST_ALL))
    return MUC_ERR_INVALID_ARG;
  *n = 0;
  const muc_room *r = svc->rfirst;
  if (after) {
    muc_room *cur;
    int rc = muc_api_room(svc, after, &cur);
    if (rc == MUC_ERR_LOADING)
      rc = MUC_ERR_NOT_FOUND; /* a cursor is a listed room, never loading */
    if (rc != MUC_OK)
      return rc;
    r = cur->next;
  } else if (svc->fatal != MUC_OK) {
    return svc->fatal;
  }
  for (; r && *n < max; r = r->next)
    if (wanted(r, filter))
      info_of(r, &out[(*n)++]);
  return MUC_OK;
}
