#include "vcard.h"

#include <string.h>

#include "avatar.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "room_extras.h"
#include "stanza.h"

/* XEP-0054 §3.1: the stored vCard, or an empty one when the room has
 * none (as a user without a vCard gets). */
static void send_vcard(muc_room *room, const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  mxml_node_t *r = muc_iq_result(svc, st);
  const char *text = muc_extras_vcard(room);
  mxml_node_t *stored = text ? muc_tree_of_text(svc, text, strlen(text)) : NULL;
  if (stored)
    muc_el_copy(svc, r, stored);
  else if (!text)
    muc_el(svc, r, "vCard", MUC_NS_VCARD);
  mxmlDelete(stored);
  muc_send_free(svc, r);
}

/* The refusal of a vCard set, or MUC_REFUSAL_COUNT when it is taken;
 * its text into |out|. */
static muc_refusal check_set(muc_room *room, const muc_jid *from,
                             const mxml_node_t *vcard, muc_buf *out)
{
  muc_service *svc = room->svc;
  /* XEP-0486 §3.2: only owners (and the service's administrators, who
   * own every room) */
  if (muc_room_affiliation(room, from->bare) != MUC_AFFIL_OWNER &&
      !muc_is_service_admin(svc, from->bare))
    return MUC_REFUSE_VCARD_FORBIDDEN;
  if (muc_xml_write(out, vcard) != MUC_OK)
    return MUC_REFUSAL_COUNT; /* out of memory: recorded by the caller */
  if (out->len > svc->cfg.max_vcard_bytes)
    return MUC_REFUSE_VCARD_TOO_BIG;
  muc_buf hashes;
  muc_buf_init(&hashes, &svc->mem);
  int rc = muc_avatar_hashes(vcard, &hashes);
  muc_buf_free(&hashes);
  if (rc == MUC_ERR_INVALID_ARG)
    return MUC_REFUSE_VCARD_INVALID;
  if (rc != MUC_OK)
    out->oom = 1;
  return MUC_REFUSAL_COUNT;
}

void muc_vcard_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *vcard)
{
  muc_service *svc = room->svc;
  if (strcmp(muc_stanza_type(st), "get") == 0) {
    send_vcard(room, st);
    return;
  }
  muc_buf text;
  muc_buf_init(&text, &svc->mem);
  muc_refusal why = check_set(room, from, vcard, &text);
  if (why != MUC_REFUSAL_COUNT) {
    muc_refuse(svc, st, why, room->jid);
  } else if (text.oom) {
    muc_fail(svc, MUC_ERR_NOMEM);
  } else {
    /* answered first, then the occupants are told (XEP-0486 §3.2) */
    muc_send_free(svc, muc_iq_result(svc, st));
    int rc = muc_op_set_vcard(room, text.data);
    if (rc != MUC_OK)
      muc_fail(svc, rc);
  }
  muc_buf_free(&text);
}
