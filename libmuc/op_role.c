/* Role operations (XEP-0045 §8): kick, voice, moderator, and the voice
 * request a visitor sends the moderators (§7.13). */
#include "ops.h"

#include "form.h"
#include "occupant.h"
#include "op_presence.h"
#include "op_send.h"
#include "stanza.h"

int muc_op_set_role(muc_room *room, const muc_actor *actor, muc_occupant *occ,
                    muc_role role, const char *reason)
{
  muc_codes codes = {0};
  if (role == MUC_ROLE_NONE)
    muc_codes_add(&codes, 307);
  muc_role prev = occ->role;
  occ->role = role;
  muc_room_save_occupant(room, occ);
  muc_pub p = {.base = &codes,
               .actor = muc_actor_jid(actor),
               .reason = reason,
               .prev_role = prev};
  muc_presence_publicise(room, occ, &p);
  muc_presence_resend_list(room, occ, prev);
  muc_presence_release(room, occ);
  return room->svc->oom ? MUC_ERR_NOMEM : MUC_OK;
}

void muc_op_request_voice(muc_room *room, const muc_occupant *occ,
                          const char *jid)
{
  muc_service *svc = room->svc;
  mxml_node_t *m =
      muc_stanza_new(svc, "message", room->jid, NULL, "normal", NULL);
  mxml_node_t *x = muc_fx_new(svc, m, "form", "Voice Request", NULL);
  muc_fx_form_type(svc, x, MUC_NS_REQUEST);
  mxml_node_t *f = muc_fx_field(svc, x, "muc#jid", "jid-single", "User ID");
  muc_fx_value(svc, f, jid);
  f = muc_fx_field(svc, x, "muc#roomnick", "text-single", "Room nickname");
  muc_fx_value(svc, f, occ->nick);
  f = muc_fx_field(svc, x, "muc#role", "list-single", "Requested role");
  muc_fx_value(svc, f, "participant");
  f = muc_fx_field(svc, x, "muc#request_allow", "boolean",
                   "Grant voice to this person?");
  muc_fx_value(svc, f, "false");
  muc_room_broadcast(room, m, MUC_ROLE_MODERATOR);
  mxmlDelete(m);
}
