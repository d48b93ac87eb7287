/* The configuration form's admin and owner lists applied (XEP-0045
 * §10.5, §10.8): each JID given what the lists plan for it (afflist.c),
 * as the host's own affiliation changes. */
#include "ops.h"

#include "afflist.h"
#include "room.h"

static muc_affiliation current(const muc_room *room, const char *jid)
{
  const muc_affil *a = muc_room_affil_entry(room, jid);
  return a ? a->aff : MUC_AFFIL_NONE;
}

/* Promotions first, so that no step leaves the room without an owner;
 * the changes are announced as any affiliation change (§10.2). */
void muc_op_apply_lists(muc_room *room, const muc_jid_list *admins,
                        const muc_jid_list *owners)
{
  muc_service *svc = room->svc;
  const muc_jid_list *lists[] = {owners, admins};
  for (size_t k = 0; k < 2; k++)
    for (size_t i = 0; lists[k] && i < lists[k]->n; i++) {
      const char *jid = lists[k]->jid[i];
      muc_affiliation now = current(room, jid);
      muc_affiliation want =
          muc_afflist_planned(room, jid, now, admins, owners);
      if (want > now)
        muc_op_set_affiliation(room, MUC_ACTOR_HOST, jid, want, NULL, NULL);
    }
  /* demotions: collected first, as a change may remove an entry */
  muc_jid_list down = {0};
  size_t n = 0;
  for (const muc_affil *a = room->afirst; a; a = a->next)
    n += muc_afflist_planned(room, a->jid, a->aff, admins, owners) < a->aff;
  if (n && !(down.jid = muc_mem_calloc(&svc->mem, n, sizeof(char *)))) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  for (const muc_affil *a = room->afirst; a && down.n < n; a = a->next)
    if (muc_afflist_planned(room, a->jid, a->aff, admins, owners) < a->aff &&
        !(down.jid[down.n++] = muc_mem_strdup(&svc->mem, a->jid))) {
      muc_fail(svc, MUC_ERR_NOMEM);
      muc_jid_list_free(svc, &down);
      return;
    }
  for (size_t i = 0; i < down.n; i++) {
    muc_affiliation now = current(room, down.jid[i]);
    muc_op_set_affiliation(
        room, MUC_ACTOR_HOST, down.jid[i],
        muc_afflist_planned(room, down.jid[i], now, admins, owners), NULL,
        NULL);
  }
  muc_jid_list_free(svc, &down);
}
