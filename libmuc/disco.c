#include "disco.h"

#include <string.h>

#include "archive.h"
#include "form.h"
#include "hooks.h"
#include "refusal.h"
#include "room.h"
#include "roomlist.h"
#include "stanza.h"

static mxml_node_t *reply_query(muc_service *svc, const mxml_node_t *st,
                                const char *ns, const char *node,
                                mxml_node_t **q)
{
  mxml_node_t *r = muc_iq_result(svc, st);
  *q = muc_el(svc, r, "query", ns);
  muc_attr(svc, *q, "node", node);
  return r;
}

static void feature(muc_service *svc, mxml_node_t *q, const char *var)
{
  muc_attr(svc, muc_el(svc, q, "feature", NULL), "var", var);
}

static void identity(muc_service *svc, mxml_node_t *q, const char *name)
{
  mxml_node_t *id = muc_el(svc, q, "identity", NULL);
  muc_attr(svc, id, "category", "conference");
  muc_attr(svc, id, "name", name);
  muc_attr(svc, id, "type", "text");
}

static void info_field(muc_service *svc, mxml_node_t *x, const char *var,
                       const char *type, const char *label, const char *v)
{
  muc_fx_value(svc, muc_fx_field(svc, x, var, type, label), v ? v : "");
}

/* The room's extended information (XEP-0128), §6.4 and the muc#roominfo
 * registry (§16.5.4); muc#roomconfig fields may be added (§6.4). */
static void room_info_form(muc_room *room, mxml_node_t *q)
{
  muc_service *svc = room->svc;
  const muc_room_config *c = &room->cfg;
  mxml_node_t *x = muc_fx_new(svc, q, "result", NULL, NULL);
  if (!x)
    return;
  muc_fx_form_type(svc, x, MUC_NS_ROOMINFO);
  char num[24];
  snprintf(num, sizeof(num), "%zu", room->noccupants);
  info_field(svc, x, "muc#roominfo_occupants", NULL, "Number of occupants",
             num);
  info_field(svc, x, "muc#roominfo_description", NULL, "Description", c->desc);
  if (c->lang)
    info_field(svc, x, "muc#roominfo_lang", NULL, "Language", c->lang);
  info_field(svc, x, "muc#roominfo_subject", NULL, "Subject", room->subject);
  /* who may change the subject: the registered field and, as Prosody
   * sends it, the configuration field */
  const char *cs = c->change_subject ? "1" : "0";
  info_field(svc, x, "muc#roominfo_subjectmod", "boolean",
             "The room subject can be modified by participants", cs);
  info_field(svc, x, "muc#roomconfig_changesubject", "boolean",
             "Allow anyone to set the room's subject", cs);
  /* an open room lets anyone invite; a members-only one only members
   * when allowed (§7.8.2) */
  info_field(svc, x, "muc#roomconfig_allowinvites", "boolean",
             "Allow users to invite other users",
             !c->members_only || c->allow_member_invites ? "1" : "0");
  /* how many messages of history a newcomer gets at most (§7.2.13) */
  snprintf(num, sizeof(num), "%u", c->history_length);
  info_field(svc, x, "muc#maxhistoryfetch", NULL,
             "Maximum Number of History Messages Returned by Room", num);
}

void muc_disco_room_info(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from, const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  const char *node = muc_xml_attr(query, "node");
  mxml_node_t *q;
  if (node && *node) {
    if (strcmp(node, MUC_NS_MUC "#traffic") == 0) {
      /* §18.1.1: the room passes every extension through, which a room
       * says with <service-unavailable/> on this node */
      muc_refuse(svc, st, MUC_REFUSE_DISCO_TRAFFIC, room->jid);
      return;
    }
    if (strcmp(node, "x-roomuser-item") != 0) {
      /* XEP-0030 §3.1: a node we do not know */
      muc_refuse(svc, st, MUC_REFUSE_DISCO_NODE, room->jid);
      return;
    }
    /* XEP-0045 §7.12: the user's reserved nickname, if any */
    mxml_node_t *r = reply_query(svc, st, MUC_NS_DISCO_INFO, node, &q);
    const char *nick = muc_room_registered_nick(room, from->bare);
    if (nick)
      identity(svc, q, nick);
    muc_send_free(svc, r);
    return;
  }
  /* §6.4: identity, then one feature of each pair of room types (§16.3) */
  const muc_room_config *c = &room->cfg;
  mxml_node_t *r = reply_query(svc, st, MUC_NS_DISCO_INFO, NULL, &q);
  identity(svc, q, c->name ? c->name : room->node);
  feature(svc, q, MUC_NS_MUC);
  feature(svc, q, MUC_NS_MUC "#stable_id");
  /* XEP-0410 §4: the room answers self-pings itself (room.c) */
  feature(svc, q, MUC_NS_MUC "#self-ping-optimization");
  feature(svc, q, c->public_room ? "muc_public" : "muc_hidden");
  feature(svc, q, c->persistent ? "muc_persistent" : "muc_temporary");
  feature(svc, q, c->members_only ? "muc_membersonly" : "muc_open");
  feature(svc, q, c->moderated ? "muc_moderated" : "muc_unmoderated");
  feature(svc, q, c->password ? "muc_passwordprotected" : "muc_unsecured");
  feature(svc, q,
          c->whois == MUC_WHOIS_ANYONE ? "muc_nonanonymous"
                                       : "muc_semianonymous");
  feature(svc, q, MUC_NS_REGISTER);
  feature(svc, q, MUC_NS_REQUEST);
  feature(svc, q, MUC_NS_DISCO_INFO);
  feature(svc, q, MUC_NS_DISCO_ITEMS);
  muc_archive_disco_features(room, q); /* XEP-0313, -0359, -0424, -0425 */
  room_info_form(room, q);
  if (svc->hooks)
    muc_hook_disco_info(room, q);
  muc_send_free(svc, r);
}

void muc_disco_room_items(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const mxml_node_t *query)
{
  (void)from;
  muc_service *svc = room->svc;
  const char *node = muc_xml_attr(query, "node");
  if (node && *node) {
    muc_refuse(svc, st, MUC_REFUSE_DISCO_NODE, room->jid);
    return;
  }
  mxml_node_t *q;
  /* occupants are not listed: that would defeat semi-anonymity (§6.5) */
  muc_send_free(svc, reply_query(svc, st, MUC_NS_DISCO_ITEMS, NULL, &q));
}

void muc_disco_service_info(muc_service *svc, const mxml_node_t *st,
                            const mxml_node_t *query)
{
  const char *node = muc_xml_attr(query, "node");
  if (node && *node) {
    muc_refuse(svc, st, MUC_REFUSE_DISCO_NODE, svc->domain);
    return;
  }
  mxml_node_t *q;
  mxml_node_t *r = reply_query(svc, st, MUC_NS_DISCO_INFO, NULL, &q);
  identity(svc, q, "Chatrooms");
  feature(svc, q, MUC_NS_MUC);
  feature(svc, q, MUC_NS_DISCO_INFO);
  feature(svc, q, MUC_NS_DISCO_ITEMS);
  feature(svc, q, MUC_NS_COMMANDS);
  muc_send_free(svc, r);
}

void muc_disco_service_items(muc_service *svc, const mxml_node_t *st,
                             const mxml_node_t *query)
{
  const char *node = muc_xml_attr(query, "node");
  if (node && *node) {
    muc_refuse(svc, st, MUC_REFUSE_DISCO_NODE, svc->domain);
    return;
  }
  mxml_node_t *q;
  mxml_node_t *r = reply_query(svc, st, MUC_NS_DISCO_ITEMS, NULL, &q);
  for (muc_room *room = svc->rfirst; room; room = room->next) {
    if (!room->cfg.public_room || room->loading || room->destroyed)
      continue;
    mxml_node_t *it = muc_el(svc, q, "item", NULL);
    muc_attr(svc, it, "jid", room->jid);
    muc_attr(svc, it, "name", room->cfg.name);
  }
  muc_roomlist_items(svc, q); /* the stored ones not in memory */
  muc_send_free(svc, r);
}
