/* The admin API on affiliations: read, change, ban, list (muc.h, "Room
 * administration").  A change is an owner's muc#admin item (admin.c)
 * with the room itself as the actor. */
#include <string.h>

#include "admin.h"
#include "api.h"
#include "room.h"

static int valid_affiliation(int aff)
{
  return aff >= MUC_AFFIL_OUTCAST && aff <= MUC_AFFIL_OWNER;
}

static void entry_info(const char *jid, const muc_affil *a, int aff,
                       muc_affiliation_info *info)
{
  info->jid = a ? a->jid : jid;
  info->affiliation = aff;
  info->nick = a ? a->nick : NULL;
  info->reason = a ? a->reason : NULL;
}

int muc_service_get_affiliation(muc_service *svc, const char *room,
                                const char *jid, int *aff,
                                muc_affiliation_info *info)
{
  if (!svc || !aff)
    return MUC_ERR_INVALID_ARG;
  muc_room *r;
  int rc = muc_api_room(svc, room, &r);
  char *bare = NULL;
  if (rc != MUC_OK || (rc = muc_api_bare(svc, jid, &bare)) != MUC_OK)
    return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  *aff = muc_room_affiliation(r, bare);
  if (info) {
    /* the JID handed out is the room's or the answer buffer's */
    const muc_affil *a = muc_room_affil_entry(r, bare);
    muc_api_answer_reset(svc);
    size_t off = a ? 0 : muc_api_answer_put(svc, bare, strlen(bare));
    if (off != (size_t)-1)
      entry_info(a ? NULL : muc_api_answer_at(svc, off), a, *aff, info);
  }
  muc_mem_free(&svc->mem, bare);
  return svc->fatal;
}

/* May the host make the change (the permission table), and would it go past
 * max_affiliations_per_room? */
static int set_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  const char *jid = op->str[0];
  const muc_affil *a = muc_room_affil_entry(room, jid);
  muc_affiliation target = a ? a->aff : MUC_AFFIL_NONE;
  /* the permission table decides, the host as the actor (§10.4, §10.5:
   * a room that has an owner keeps one) */
  muc_permit_case c = {.action = MUC_ACT_SET_AFFILIATION,
                       .target_aff = target,
                       .wanted = op->num};
  if (target == MUC_AFFIL_OWNER && muc_room_other_owners(room, jid) == 0)
    c.facts = MUC_FACT_LAST_OWNER;
  int rc = muc_api_permit(room, c);
  if (rc != MUC_OK)
    return rc;
  size_t max = svc->cfg.max_affiliations_per_room;
  if (!a && op->num != MUC_AFFIL_NONE && max && room->naffils >= max)
    return MUC_ERR_LIMIT;
  return MUC_OK;
}

static int set_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  muc_admin_item_affiliation(room, op->str[0], op->num, op->str[1]);
  return MUC_OK;
}

int muc_service_set_affiliation(muc_service *svc, const char *room,
                                const char *jid, int aff, const char *reason)
{
  if (!svc || !valid_affiliation(aff))
    return MUC_ERR_INVALID_ARG;
  int rc = muc_api_text_code(reason, svc->cfg.max_reason_bytes);
  char *bare = NULL;
  if (rc != MUC_OK || (rc = muc_api_bare(svc, jid, &bare)) != MUC_OK)
    return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  return muc_api_submit_change(svc, room, bare, reason, aff, set_check,
                               set_apply);
}

int muc_service_ban(muc_service *svc, const char *room, const char *jid,
                    const char *reason)
{
  return muc_service_set_affiliation(svc, room, jid, MUC_AFFIL_OUTCAST, reason);
}

/* Is |a| on the list of |aff| (none: reserved nick, no affiliation)? */
static int listed(const muc_affil *a, int aff)
{
  return a->aff == aff && (aff != MUC_AFFIL_NONE || a->nick);
}

int muc_service_list_affiliations(muc_service *svc, const char *room, int aff,
                                  size_t offset, muc_affiliation_info *out,
                                  size_t max, size_t *n)
{
  if (!valid_affiliation(aff))
    return MUC_ERR_INVALID_ARG;
  muc_room *r;
  int rc = muc_api_listing(svc, room, out, max, n, &r);
  if (rc != MUC_OK)
    return rc;
  size_t seen = 0;
  for (const muc_affil *a = r->afirst; a && *n < max; a = a->next)
    if (listed(a, aff) && seen++ >= offset)
      entry_info(NULL, a, aff, &out[(*n)++]);
  return MUC_OK;
}
