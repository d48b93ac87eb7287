/* Invitations (XEP-0045 §7.8.2): the invitation sent, and in a
 * members-only room the membership it grants (§9.3). */
#include "ops.h"

#include "limit.h"
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
  muc_op_set_affiliation(room, MUC_ACTOR_HOST, bare, MUC_AFFIL_MEMBER, why,
                         NULL);
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
