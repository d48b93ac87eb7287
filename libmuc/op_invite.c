/* Invitations (XEP-0045 §7.8.2): the invitation sent, and in a
 * members-only room the membership it grants (§9.3). */
#include "ops.h"

#include "limit.h"
#include "occupant.h"
#include "room.h"
#include "stanza.h"

/* Being invited to a members-only room makes one a member (§9.3).  The
 * stored reason names the inviter, cut to max_reason_bytes: every stored
 * reason stays within it, or the room's record would not load again. */
static void make_member(muc_room *room, const char *inviter_addr,
                        const char *bare)
{
  muc_service *svc = room->svc;
  muc_buf_reset(&svc->scratch);
  muc_buf_puts(&svc->scratch, "Invited by ");
  muc_buf_puts(&svc->scratch, inviter_addr);
  char *why = svc->scratch.oom
                  ? NULL
                  : muc_mem_strndup(&svc->mem, svc->scratch.data,
                                    muc_limit_cut(svc, MUC_LIMIT_REASON,
                                                  svc->scratch.data));
  if (!why) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  /* the invitation tells the invitee: no status 101 besides */
  muc_affil_data told = {.told = 1};
  muc_op_set_affiliation(room, MUC_ACTOR_HOST, bare, MUC_AFFIL_MEMBER, why,
                         &told);
  muc_mem_free(&svc->mem, why);
}

void muc_op_invite(muc_room *room, const muc_actor *actor,
                   const muc_jid *invitee, const char *inviter_addr,
                   mxml_node_t *invitation)
{
  (void)actor; /* named in the invitation by |inviter_addr| */
  if (room->cfg.members_only &&
      muc_room_affiliation(room, invitee->full) == MUC_AFFIL_NONE)
    make_member(room, inviter_addr, invitee->bare);
  muc_send_free(room->svc, invitation);
}

/* §9.5: "the service SHOULD send an invitation to any user who has been
 * added to the member list of a members-only room if the user is not
 * currently affiliated with the room".  The inviter is named as in a
 * mediated invitation (§7.8.2): by real bare JID in a non-anonymous room,
 * by occupant JID in a semi-anonymous one; the host is not named. */
void muc_op_invite_member(muc_room *room, const muc_actor *who, const char *jid)
{
  const char *actor = muc_actor_jid(who);
  muc_service *svc = room->svc;
  mxml_node_t *m = muc_stanza_new(svc, "message", room->jid, jid, NULL, NULL);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  mxml_node_t *inv = muc_el(svc, x, "invite", NULL);
  const muc_occupant *a = actor ? muc_room_occupant_by_jid(room, actor) : NULL;
  char *bare = NULL;
  if (actor && room->cfg.whois == MUC_WHOIS_ANYONE) {
    if (!(bare = muc_jid_bare_of(&svc->mem, actor)))
      muc_fail(svc, MUC_ERR_NOMEM);
    muc_attr(svc, inv, "from", bare);
  } else if (a) {
    muc_attr(svc, inv, "from", a->occ_jid);
  }
  if (room->cfg.password)
    muc_el_text(svc, x, "password", NULL, room->cfg.password);
  muc_send_free(svc, m);
  muc_mem_free(&svc->mem, bare);
}
