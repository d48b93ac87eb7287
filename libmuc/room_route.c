#include "room_route.h"

#include <string.h>

#include "admin.h"
#include "archive.h"
#include "disco.h"
#include "feed.h"
#include "mam.h"
#include "message.h"
#include "moderate.h"
#include "occupant.h"
#include "owner.h"
#include "presence.h"
#include "refusal.h"
#include "register.h"
#include "room.h"
#include "stanza.h"

static void room_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  if (!type || (strcmp(type, "get") != 0 && strcmp(type, "set") != 0))
    return; /* results and errors to the room end here */
  int get = strcmp(type, "get") == 0;
  mxml_node_t *q = muc_xml_first_element(st);
  if (!q || muc_xml_next_element(q)) {
    muc_refuse(svc, st, MUC_REFUSE_ROOM_IQ_PAYLOAD, room->jid);
    return;
  }
  if (get && muc_xml_is(q, "query", MUC_NS_DISCO_INFO))
    muc_disco_room_info(room, st, from, q);
  else if (get && muc_xml_is(q, "query", MUC_NS_DISCO_ITEMS))
    muc_disco_room_items(room, st, from, q);
  else if (muc_xml_is(q, "query", MUC_NS_ADMIN))
    muc_admin_iq(room, st, from, q);
  else if (muc_xml_is(q, "query", MUC_NS_OWNER))
    muc_owner_iq(room, st, from, q);
  else if (muc_xml_is(q, "query", MUC_NS_REGISTER))
    muc_register_iq(room, st, from, q);
  else if (muc_xml_is(q, "query", MUC_NS_MAM) ||
           (get && muc_xml_is(q, "metadata", MUC_NS_MAM)))
    muc_mam_iq(room, st, from, q);
  else if (muc_xml_is(q, "moderate", MUC_NS_MODERATE) ||
           muc_xml_is(q, "apply-to", MUC_NS_FASTEN))
    muc_moderate_iq(room, st, from, q);
  else if (get && muc_xml_is(q, "ping", MUC_NS_PING))
    muc_send_free(svc, muc_iq_result(svc, st));
  else
    muc_refuse(svc, st, MUC_REFUSE_ROOM_IQ_UNKNOWN, room->jid);
}

/* Payloads addressed to the account rather than the session (as Prosody
 * routes them): vCards and PEP. */
static int for_account(const mxml_node_t *q)
{
  static const char *const ns[] = {"vcard-temp",
                                   "urn:ietf:params:xml:ns:vcard-4.0",
                                   "http://jabber.org/protocol/pubsub"};
  const char *n = q ? muc_xml_ns(q) : NULL;
  for (size_t i = 0; n && i < sizeof(ns) / sizeof(ns[0]); i++)
    if (strcmp(n, ns[i]) == 0)
      return 1;
  return 0;
}

/* A query from occupant |me| to occupant |dest| (§6.6, §17.4): forwarded
 * from |me|'s occupant JID with an id of the room's own, so the answer can
 * find its way back without either side learning the other's real JID. */
static void forward_query(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, muc_occupant *me,
                          muc_occupant *dest, const mxml_node_t *q)
{
  muc_service *svc = room->svc;
  char id[64];
  muc_new_id(svc, id, sizeof(id));
  const char *target = dest->primary->jid;
  char *bare = NULL;
  if (for_account(q)) {
    bare = muc_jid_bare_of(&svc->mem, target);
    if (!bare) {
      muc_fail(svc, MUC_ERR_NOMEM);
      return;
    }
    target = bare;
  }
  if (!room->iqs && !(room->iqs = muc_mem_calloc(&svc->mem, MUC_MAX_PENDING_IQ,
                                                 sizeof(*room->iqs)))) {
    muc_mem_free(&svc->mem, bare);
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  muc_iq_route *r = &room->iqs[room->iq_next];
  muc_room_route_clear(svc, r);
  r->id = muc_mem_strdup(&svc->mem, id);
  r->orig = muc_mem_strdup(&svc->mem, muc_xml_attr(st, "id"));
  r->sender = muc_mem_strdup(&svc->mem, from->full);
  r->target = muc_mem_strdup(&svc->mem, target);
  if (!r->id || !r->orig || !r->sender || !r->target) {
    muc_room_route_clear(svc, r);
    muc_mem_free(&svc->mem, bare);
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  room->iq_next = (room->iq_next + 1) % MUC_MAX_PENDING_IQ;
  mxml_node_t *fwd = muc_el_copy(svc, NULL, st);
  muc_attr(svc, fwd, "from", me->occ_jid);
  muc_attr(svc, fwd, "to", target);
  muc_attr(svc, fwd, "id", id);
  muc_send_free(svc, fwd);
  muc_mem_free(&svc->mem, bare);
}

/* The answer (result or error) to a forwarded query, addressed to the
 * asking occupant's JID. */
static void route_answer(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from, const muc_jid *to)
{
  muc_service *svc = room->svc;
  const char *id = muc_xml_attr(st, "id");
  if (!id || !room->iqs)
    return;
  for (size_t i = 0; i < MUC_MAX_PENDING_IQ; i++) {
    muc_iq_route *r = &room->iqs[i];
    if (!r->id || strcmp(r->id, id) != 0)
      continue;
    /* only the queried entity answers, to the occupant that asked, and
     * both must still be here */
    int from_target = strcmp(r->target, from->full) == 0 ||
                      strcmp(r->target, from->bare) == 0;
    muc_occupant *asker = muc_room_occupant_by_jid(room, r->sender);
    muc_occupant *answerer = muc_room_occupant_by_jid(room, from->full);
    if (!answerer && strcmp(r->target, from->bare) == 0) {
      /* an account-level answer comes from the server, not a session */
      for (muc_occupant *o = room->first; o && !answerer; o = o->next)
        if (strcmp(o->bare_jid, from->bare) == 0)
          answerer = o;
    }
    if (from_target && asker && answerer &&
        strcmp(asker->nick, to->resource) == 0) {
      mxml_node_t *ans = muc_el_copy(svc, NULL, st);
      muc_attr(svc, ans, "from", answerer->occ_jid);
      muc_attr(svc, ans, "to", r->sender);
      muc_attr(svc, ans, "id", r->orig);
      muc_send_free(svc, ans);
    }
    if (from_target)
      muc_room_route_clear(svc, r);
    return;
  }
}

static void occupant_iq(muc_room *room, const mxml_node_t *st,
                        const muc_jid *from, const muc_jid *to)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  if (type && (strcmp(type, "result") == 0 || strcmp(type, "error") == 0)) {
    route_answer(room, st, from, to);
    return;
  }
  if (!type || (strcmp(type, "get") != 0 && strcmp(type, "set") != 0))
    return;
  mxml_node_t *q = muc_xml_first_element(st);
  muc_occupant *me = muc_room_occupant_by_jid(room, from->full);
  if (!me) {
    /* §6.6: a non-occupant's disco to an occupant is a bad request */
    if (q && (muc_xml_is(q, "query", MUC_NS_DISCO_INFO) ||
              muc_xml_is(q, "query", MUC_NS_DISCO_ITEMS)))
      muc_refuse(svc, st, MUC_REFUSE_OCCUPANT_DISCO, room->jid);
    else
      muc_refuse(svc, st, MUC_REFUSE_OCCUPANT_IQ_NOT_OCCUPANT, room->jid);
    return;
  }
  muc_occupant *dest = muc_room_occupant_by_nick(room, to->resource);
  if (!dest || !dest->primary) {
    muc_refuse(svc, st, MUC_REFUSE_OCCUPANT_IQ_NO_RECIPIENT, room->jid);
    return;
  }
  if (dest == me && strcmp(type, "get") == 0 && q &&
      muc_xml_is(q, "ping", MUC_NS_PING)) {
    /* XEP-0410: the client is still in the room */
    muc_send_free(svc, muc_iq_result(svc, st));
    return;
  }
  forward_query(room, st, from, me, dest, q);
}

void muc_room_handle(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const muc_jid *to)
{
  const char *name = muc_xml_name(st);
  /* occupants and affiliations are marked where they change */
  muc_feed_touch_part(room, MUC_FEED_PART_HEAD | MUC_FEED_PART_HISTORY |
                                MUC_FEED_PART_IQS);
  if (strcmp(name, "presence") == 0) {
    if (to->resource)
      muc_presence_to_occupant(room, st, from, to);
    else
      muc_presence_to_room(room, st, from, to);
  } else if (strcmp(name, "message") == 0) {
    if (to->resource)
      muc_message_to_occupant(room, st, from, to);
    else
      muc_message_to_room(room, st, from);
  } else {
    if (to->resource)
      occupant_iq(room, st, from, to);
    else
      room_iq(room, st, from);
  }
}
