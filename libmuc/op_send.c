#include "op_send.h"

#include <stdio.h>

#include "occupant.h"
#include "stanza.h"

void muc_room_wire_to_occupant(muc_room *room, const muc_occupant *occ,
                               muc_wire *w)
{
  for (muc_session *s = occ->sessions; s; s = s->next)
    if (muc_session_is_reachable(occ, s))
      muc_wire_send_plain(room->svc, w, s->jid, s->plain);
}

void muc_room_send_to_occupant(muc_room *room, const muc_occupant *occ,
                               mxml_node_t *st)
{
  muc_service *svc = room->svc;
  if (!st)
    return;
  for (muc_session *s = occ->sessions; s; s = s->next) {
    if (!muc_session_is_reachable(occ, s))
      continue;
    muc_attr(svc, st, "to", s->jid);
    muc_send(svc, st);
  }
}

void muc_room_broadcast_wire(muc_room *room, muc_wire *w, muc_role min_role)
{
  for (muc_occupant *o = room->first; o; o = o->next)
    if (o->role >= min_role)
      muc_room_wire_to_occupant(room, o, w);
}

void muc_room_broadcast(muc_room *room, mxml_node_t *st, muc_role min_role)
{
  if (!st)
    return;
  /* serialized once; each recipient only changes 'to' */
  muc_wire w;
  if (muc_wire_from_tree(room->svc, &w, st) != MUC_OK)
    return;
  muc_room_broadcast_wire(room, &w, min_role);
}

void muc_room_announce_codes(muc_room *room, const int *codes, size_t n)
{
  muc_service *svc = room->svc;
  if (n == 0)
    return;
  mxml_node_t *m =
      muc_stanza_new(svc, "message", room->jid, NULL, "groupchat", NULL);
  char id[64];
  muc_new_id(svc, id, sizeof(id));
  muc_attr(svc, m, "id", id);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  char buf[8];
  for (size_t i = 0; i < n; i++) {
    snprintf(buf, sizeof(buf), "%d", codes[i]);
    muc_attr(svc, muc_el(svc, x, "status", NULL), "code", buf);
  }
  muc_room_broadcast(room, m, MUC_ROLE_NONE);
  mxmlDelete(m);
}
