/* The admin API on the people in a room: occupants and their real JIDs,
 * roles (kick, voice, moderator), the subject, the history (muc.h, "Room
 * administration"). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "history.h"
#include "occupant.h"
#include "ops.h"
#include "room.h"

/* |nick| prepared as a JID resource (resourceprep), copied into *|out|.
 * MUC_OK, MUC_ERR_INVALID_ARG or MUC_ERR_NOMEM. */
static int prep_nick(muc_service *svc, const char *nick, char **out)
{
  *out = NULL;
  if (!nick || !*nick || !muc_utf8_xml_valid(nick, strlen(nick)))
    return MUC_ERR_INVALID_ARG;
  size_t n = strlen(nick) + strlen(svc->domain) + 4;
  char *full = muc_mem_malloc(&svc->mem, n);
  if (!full)
    return MUC_ERR_NOMEM;
  snprintf(full, n, "r@%s/%s", svc->domain, nick);
  muc_jid j;
  int rc = muc_jid_parse(&svc->mem, full, &j);
  muc_mem_free(&svc->mem, full);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  if (j.resource && strlen(j.resource) <= svc->cfg.max_nick_bytes)
    *out = muc_mem_strdup(&svc->mem, j.resource);
  rc = !j.resource || *out ? MUC_OK : MUC_ERR_NOMEM;
  if (rc == MUC_OK && !*out)
    rc = MUC_ERR_INVALID_ARG;
  muc_jid_clear(&svc->mem, &j);
  return rc;
}

/* The occupant |nick| of the room named |room|, for a reading call. */
static int occupant(muc_service *svc, const char *room, const char *nick,
                    muc_room **r, muc_occupant **occ)
{
  int rc = muc_api_room(svc, room, r);
  char *n;
  if (rc != MUC_OK || (rc = prep_nick(svc, nick, &n)) != MUC_OK)
    return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  *occ = muc_room_occupant_by_nick(*r, n);
  muc_mem_free(&svc->mem, n);
  return *occ ? MUC_OK : MUC_ERR_NOT_FOUND;
}

static void occupant_info(const muc_room *r, const muc_occupant *o,
                          muc_occupant_info *i)
{
  i->nick = o->nick;
  i->role = o->role;
  i->affiliation = muc_room_affiliation(r, o->bare_jid);
  i->jid = o->bare_jid;
  i->primary = o->primary ? o->primary->jid : NULL;
  i->sessions = muc_occupant_live_sessions(o);
}

int muc_service_list_occupants(muc_service *svc, const char *room,
                               size_t offset, muc_occupant_info *out,
                               size_t max, size_t *n)
{
  muc_room *r;
  int rc = muc_api_listing(svc, room, out, max, n, &r);
  if (rc != MUC_OK)
    return rc;
  const muc_occupant *o = r->first;
  for (size_t i = 0; o && i < offset; i++)
    o = o->next;
  for (; o && *n < max; o = o->next)
    occupant_info(r, o, &out[(*n)++]);
  return MUC_OK;
}

int muc_service_get_occupant(muc_service *svc, const char *room,
                             const char *nick, muc_occupant_info *info,
                             const char **jids, size_t max, size_t *n)
{
  if (!svc || (max && (!jids || !n)))
    return MUC_ERR_INVALID_ARG;
  if (n)
    *n = 0;
  muc_room *r;
  muc_occupant *o;
  int rc = occupant(svc, room, nick, &r, &o);
  if (rc != MUC_OK)
    return rc;
  if (info)
    occupant_info(r, o, info);
  if (max && o->primary && o->primary->available)
    jids[(*n)++] = o->primary->jid;
  for (const muc_session *s = o->sessions; s && n && *n < max; s = s->next)
    if (s != o->primary && s->available)
      jids[(*n)++] = s->jid;
  return MUC_OK;
}

/* ---- roles --------------------------------------------------------------- */

/* The permission table decides, the host as the actor (§8.4, §9.7:
 * admins and owners keep voice and moderator status). */
static int role_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  const muc_occupant *o = muc_room_occupant_by_nick(room, op->str[0]);
  muc_permit_case c = {.action = MUC_ACT_SET_ROLE, .wanted = op->num};
  if (o) {
    c.target_aff = muc_room_affiliation(room, o->bare_jid);
    c.target_role = o->role;
  } else {
    c.facts = MUC_FACT_NO_TARGET;
  }
  return muc_api_permit(room, c);
}

static int role_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  muc_occupant *o = muc_room_occupant_by_nick(room, op->str[0]);
  return muc_op_set_role(room, MUC_ACTOR_HOST, o, op->num, op->str[1]);
}

int muc_service_set_role(muc_service *svc, const char *room, const char *nick,
                         int role, const char *reason)
{
  if (!svc || role < MUC_ROLE_NONE || role > MUC_ROLE_MODERATOR)
    return MUC_ERR_INVALID_ARG;
  int rc = muc_api_text_code(reason, svc->cfg.max_reason_bytes);
  char *n = NULL;
  if (rc != MUC_OK || (rc = prep_nick(svc, nick, &n)) != MUC_OK)
    return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  return muc_api_submit_change(svc, room, n, reason, role, role_check,
                               role_apply);
}

int muc_service_kick(muc_service *svc, const char *room, const char *nick,
                     const char *reason)
{
  return muc_service_set_role(svc, room, nick, MUC_ROLE_NONE, reason);
}

/* ---- subject ------------------------------------------------------------- */

static int subject_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_op_set_subject(room, MUC_ACTOR_HOST, op->str[0], NULL);
}

int muc_service_set_subject(muc_service *svc, const char *room,
                            const char *subject)
{
  if (!svc || !subject)
    return MUC_ERR_INVALID_ARG;
  int rc = muc_api_text_code(subject, svc->cfg.max_subject_bytes);
  if (rc != MUC_OK)
    return rc;
  const char *strs[] = {subject};
  muc_api_op *op;
  if ((rc = muc_api_op_new(svc, room, strs, 1, &op)) != MUC_OK)
    return rc;
  op->apply = subject_apply;
  return muc_api_submit(svc, op);
}

/* ---- history ------------------------------------------------------------- */

/* The nick of the sender of the kept message |text| (the resource of its
 * 'from'), appended to the answer buffer: its offset. */
static size_t sender_nick(muc_service *svc, const char *text, size_t len)
{
  muc_xml_limits lim = {(size_t)-1, svc->cfg.max_depth, svc->cfg.max_attrs,
                        svc->cfg.max_children};
  mxml_node_t *t = NULL;
  const char *nick = "";
  if (muc_xml_parse(&svc->mem, text, len, &lim, &t) == MUC_ERR_NOMEM) {
    svc->fatal = MUC_ERR_NOMEM;
    return (size_t)-1;
  }
  const char *from = t ? muc_xml_attr(t, "from") : NULL;
  const char *slash = from ? strchr(from, '/') : NULL;
  if (slash)
    nick = slash + 1;
  size_t off = muc_api_answer_put(svc, nick, strlen(nick));
  mxmlDelete(t);
  return off;
}

int muc_service_get_history(muc_service *svc, const char *room, size_t offset,
                            muc_history_item *out, size_t max, size_t *n)
{
  muc_room *r;
  int rc = muc_api_listing(svc, room, out, max, n, &r);
  if (rc != MUC_OK)
    return rc;
  muc_api_answer_reset(svc);
  size_t count = muc_history_count(r);
  for (size_t i = offset; i < count && *n < max; i++) {
    muc_history_item *it = &out[*n];
    muc_history_get(r, i, &it->xml, &it->len, &it->time_ms);
    size_t off = sender_nick(svc, it->xml, it->len);
    if (off == (size_t)-1)
      return MUC_ERR_NOMEM;
    it->nick = (const char *)(uintptr_t)off; /* a pointer once all are in */
    (*n)++;
  }
  for (size_t i = 0; i < *n; i++)
    out[i].nick = muc_api_answer_at(svc, (size_t)(uintptr_t)out[i].nick);
  return MUC_OK;
}
