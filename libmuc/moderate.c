/* XEP-0425 (moderate.h): the request checked here, the retraction done
 * by the operation (op_retract.c). */
#include "moderate.h"

#include <string.h>

#include "archive.h"
#include "limit.h"
#include "occupant.h"
#include "ops.h"
#include "refusal.h"
#include "stanza.h"

static void retract(muc_room *room, const mxml_node_t *st, const char *id,
                    const muc_occupant *mod, const char *reason)
{
  muc_service *svc = room->svc;
  muc_retraction r = {
      .stanza_id = id, .moderator = mod->occ_jid, .reason = reason};
  int rc = muc_op_retract(room, &r);
  if (rc == MUC_OK)
    muc_send_free(svc, muc_iq_result(svc, st));
  else if (rc == MUC_ARCHIVE_NOT_FOUND)
    muc_refuse(svc, st, MUC_REFUSE_MODERATE_NOT_FOUND, room->jid);
  else if (rc == MUC_ERR_STORAGE)
    muc_refuse(svc, st, MUC_REFUSE_ARCHIVE_FAILED, room->jid);
}

/* The request's <moderate/> (its id into *|id|, NULL when malformed):
 * 0.3's <moderate id=... xmlns=...:1><retract xmlns=...retract:1/>, or
 * 0.2's <apply-to id=... xmlns=fasten:0><moderate xmlns=...:0><retract
 * xmlns=...retract:0/>. */
static const mxml_node_t *request(const mxml_node_t *q, const char **id)
{
  const mxml_node_t *mod = q;
  const char *retract_ns = MUC_NS_RETRACT;
  if (muc_xml_is(q, "apply-to", MUC_NS_FASTEN)) {
    mod = muc_xml_child(q, "moderate", MUC_NS_MODERATE_0);
    retract_ns = MUC_NS_RETRACT_0;
  }
  *id = muc_xml_attr(q, "id");
  if (!mod || !muc_xml_child(mod, "retract", retract_ns) || !*id || !**id)
    *id = NULL;
  return mod;
}

void muc_moderate_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const mxml_node_t *q)
{
  muc_service *svc = room->svc;
  const muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  const char *id;
  const mxml_node_t *mod = request(q, &id);
  if (strcmp(muc_stanza_type(st), "set") != 0 || !id) {
    muc_refuse(svc, st, MUC_REFUSE_MODERATE_BAD_REQUEST, room->jid);
    return;
  }
  /* XEP-0425 §4: a moderator of the room, in it */
  if (!occ || occ->role != MUC_ROLE_MODERATOR) {
    muc_refuse(svc, st, MUC_REFUSE_MODERATE_FORBIDDEN, room->jid);
    return;
  }
  const char *ns = muc_xml_ns(mod);
  char *reason = muc_child_text(svc, mod, "reason", ns);
  if (!reason && muc_xml_child(mod, "reason", ns))
    return; /* out of memory, recorded */
  /* max_reason_bytes: policy-violation (limit.c), nothing retracted */
  if (!muc_limit_refuse_text(svc, st, MUC_LIMIT_REASON, reason, room->jid))
    retract(room, st, id, occ, reason);
  muc_mem_free(&svc->mem, reason);
}
