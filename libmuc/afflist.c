/* The admin and owner lists of the configuration form.
 * muc#roomconfig_roomadmins / _roomowners carry the full lists, not a
 * delta (§10.5, §10.8 notes): whoever is listed gets the affiliation,
 * whoever is left out loses it. */
#include "afflist.h"

#include <stdint.h>
#include <string.h>

#include "room.h"

void muc_jid_list_free(muc_service *svc, muc_jid_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    muc_mem_free(&svc->mem, l->jid[i]);
  muc_mem_free(&svc->mem, l->jid);
  l->jid = NULL;
  l->n = 0;
}

int muc_jid_list_read(muc_service *svc, const muc_form_field *f,
                      muc_jid_list *l)
{
  if (f->nvalues &&
      !(l->jid = muc_mem_calloc(&svc->mem, f->nvalues, sizeof(char *))))
    return MUC_ERR_NOMEM;
  for (size_t i = 0; i < f->nvalues; i++) {
    if (!*f->values[i])
      continue;
    muc_jid j;
    int rc = muc_jid_parse(&svc->mem, f->values[i], &j);
    if (rc != MUC_OK)
      return rc;
    l->jid[l->n] = muc_mem_strdup(&svc->mem, j.bare);
    muc_jid_clear(&svc->mem, &j);
    if (!l->jid[l->n++])
      return MUC_ERR_NOMEM;
  }
  return MUC_OK;
}

/* Is |jid| among the first |upto| JIDs of |l| (NULL: none)? */
static int listed_before(const muc_jid_list *l, size_t upto, const char *jid)
{
  for (size_t i = 0; l && i < upto && i < l->n; i++)
    if (strcmp(l->jid[i], jid) == 0)
      return 1;
  return 0;
}

static int listed(const muc_jid_list *l, const char *jid)
{
  return listed_before(l, SIZE_MAX, jid);
}

muc_affiliation muc_afflist_planned(const muc_room *room, const char *jid,
                                    muc_affiliation now,
                                    const muc_jid_list *admins,
                                    const muc_jid_list *owners)
{
  muc_affiliation lower =
      room->cfg.members_only ? MUC_AFFIL_MEMBER : MUC_AFFIL_NONE;
  if (listed(owners, jid))
    return MUC_AFFIL_OWNER;
  if (listed(admins, jid))
    return MUC_AFFIL_ADMIN;
  if (now == MUC_AFFIL_OWNER && owners)
    return admins ? lower : MUC_AFFIL_ADMIN;
  if (now == MUC_AFFIL_ADMIN && admins)
    return lower;
  return now;
}

int muc_afflist_keeps_an_owner(const muc_room *room, const muc_jid_list *admins,
                               const muc_jid_list *owners)
{
  for (const muc_affil *a = room->afirst; a; a = a->next)
    if (muc_afflist_planned(room, a->jid, a->aff, admins, owners) ==
        MUC_AFFIL_OWNER)
      return 1;
  return owners && owners->n > 0;
}

int muc_afflist_refuse_count(muc_room *room, const mxml_node_t *st,
                             const muc_jid_list *admins,
                             const muc_jid_list *owners)
{
  size_t added = 0, removed = 0;
  const muc_jid_list *lists[] = {owners, admins};
  for (size_t k = 0; k < 2; k++)
    for (size_t i = 0; lists[k] && i < lists[k]->n; i++) {
      const char *jid = lists[k]->jid[i];
      /* each JID once, however often it is listed */
      added += !muc_room_affil_entry(room, jid) &&
               !listed_before(lists[k], i, jid) &&
               (k == 0 || !listed(owners, jid));
    }
  for (const muc_affil *a = room->afirst; a; a = a->next)
    removed += muc_afflist_planned(room, a->jid, a->aff, admins, owners) ==
               MUC_AFFIL_NONE;
  return muc_room_refuse_affiliations(room, st, added, removed);
}
