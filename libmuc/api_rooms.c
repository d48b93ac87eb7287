/* The admin API on whole rooms: create, configure, read the
 * configuration, destroy, list (muc.h, "Room administration"). */
#include <string.h>

#include "api.h"
#include "api_options.h"
#include "op_send.h"
#include "ops.h"
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

/* The room's configuration becomes |op|'s options, as a form submission
 * with those values would make it (announced, stored, unlocked). */
static void configure(muc_room *room, const muc_api_op *op)
{
  muc_room_config next;
  muc_api_options_config(&op->opts, &room->cfg, &next);
  int codes[MUC_CONFIG_CODES];
  size_t n = muc_op_configure(room, MUC_ACTOR_HOST, &next, NULL, NULL, codes);
  muc_room_announce_codes(room, codes, n);
}

static int create_apply(muc_service *svc, muc_room *none, const muc_api_op *op)
{
  (void)none;
  muc_room *room = muc_op_create_room(svc, op->node, op->str[0], 0);
  if (!room)
    return svc->err == MUC_OK ? MUC_ERR_LIMIT : svc->err;
  room->held = 1; /* stays, though empty, until somebody has entered */
  configure(room, op);
  if (op->flags & MUC_CREATE_RESERVED)
    muc_timer_set(svc, room, svc->now + svc->cfg.room_lock_timeout_ms);
  return MUC_OK;
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
    return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  const char *strs[] = {bare};
  muc_api_op *op;
  rc = muc_api_op_new(svc, room, strs, 1, &op);
  muc_mem_free(&svc->mem, bare);
  if (rc != MUC_OK)
    return rc;
  if (muc_api_options_keep(svc, op, &o) != MUC_OK) {
    muc_api_op_free(svc, op);
    return svc->fatal = MUC_ERR_NOMEM;
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
  size_t n = muc_api_options_size(options_version);
  if (!svc || !o || n == 0)
    return MUC_ERR_INVALID_ARG;
  muc_room *r;
  int rc = muc_api_room(svc, room, &r);
  if (rc == MUC_OK) {
    muc_room_options full;
    muc_api_options_of(&r->cfg, &full);
    memcpy(o, &full, n); /* as far as the caller's version reaches */
  }
  return rc;
}

static int configure_apply(muc_service *svc, muc_room *room,
                           const muc_api_op *op)
{
  (void)svc;
  configure(room, op);
  return MUC_OK;
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
  if (muc_api_options_keep(svc, op, &o) != MUC_OK) {
    muc_api_op_free(svc, op);
    return svc->fatal = MUC_ERR_NOMEM;
  }
  op->apply = configure_apply;
  return muc_api_submit(svc, op);
}

/* ---- destroy ------------------------------------------------------------- */

static int destroy_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  muc_op_destroy(room, MUC_ACTOR_HOST, op->str[1], op->str[0], op->str[2]);
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
      return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : MUC_ERR_INVALID_ARG;
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

/* ---- the rooms in storage (the room list's index) ----------------------- */

/* An index entry whose room is in memory (not loading) is listed from
 * memory. */
static int shadowed(const muc_service *svc, const char *node)
{
  const muc_room *room = muc_map_get(&svc->rooms, node);
  return room && !room->loading;
}

/* A stored room as the index knows it: public and persistent, with its
 * name; nobody in it, nothing else known without loading it.  Its JID is
 * put in the answer buffer, its offset in |i|->jid until the page is
 * complete. */
static int stored_info(muc_service *svc, const char *node, const char *name,
                       muc_room_info *i)
{
  size_t nl = strlen(node), dl = strlen(svc->domain);
  size_t off = muc_api_answer_put(svc, node, nl);
  if (off == (size_t)-1)
    return MUC_ERR_NOMEM;
  svc->answer.len--; /* node, then "@domain" and the NUL */
  if (muc_buf_putc(&svc->answer, '@') != MUC_OK ||
      muc_api_answer_put(svc, svc->domain, dl) == (size_t)-1)
    return svc->fatal = MUC_ERR_NOMEM;
  memset(i, 0, sizeof(*i));
  i->jid = (const char *)(uintptr_t)off;
  i->name = name;
  i->public_room = 1;
  i->persistent = 1;
  return MUC_OK;
}

/* Fill the page from the index, from |pos| on. */
static int list_stored(muc_service *svc, size_t pos, unsigned filter,
                       muc_room_info *out, size_t max, size_t *n)
{
  size_t first = *n;
  const char *node, *name;
  if (!(filter & MUC_LIST_OCCUPIED))
    while (*n < max && muc_roomindex_next(&svc->roomlist, &pos, &node, &name))
      if (!shadowed(svc, node) &&
          stored_info(svc, node, name, &out[*n]) == MUC_OK)
        (*n)++;
  if (svc->fatal != MUC_OK)
    return svc->fatal;
  for (size_t i = first; i < *n; i++)
    out[i].jid = muc_api_answer_at(svc, (size_t)(uintptr_t)out[i].jid);
  return MUC_OK;
}

int muc_service_list_rooms(muc_service *svc, const char *after, unsigned filter,
                           muc_room_info *out, size_t max, size_t *n)
{
  if (!svc || !n || (!out && max) || (filter & ~MUC_LIST_ALL))
    return MUC_ERR_INVALID_ARG;
  *n = 0;
  if (svc->fatal != MUC_OK)
    return svc->fatal;
  muc_api_answer_reset(svc);
  const muc_room *r = svc->rfirst;
  size_t pos = 0;
  if (after) {
    /* a cursor in memory goes on there, then through the index; one in
     * the index goes on in the index */
    muc_room *cur;
    int rc = muc_api_in_memory(svc, after, &cur);
    if (rc != MUC_OK)
      return rc;
    if (cur && cur->loading)
      cur = NULL; /* listed from the index, if at all */
    if (cur) {
      r = cur->next;
    } else {
      const char *at = strchr(after, '@');
      size_t len = at ? (size_t)(at - after) : strlen(after);
      char *node = muc_mem_strndup(&svc->mem, after, len);
      if (!node)
        return svc->fatal = MUC_ERR_NOMEM;
      int found = muc_roomindex_after(&svc->roomlist, node, &pos);
      muc_mem_free(&svc->mem, node);
      if (!found)
        return MUC_ERR_NOT_FOUND;
      r = NULL;
    }
  }
  for (; r && *n < max; r = r->next)
    if (wanted(r, filter))
      info_of(r, &out[(*n)++]);
  return list_stored(svc, pos, filter, out, max, n);
}
