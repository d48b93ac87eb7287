/* Affiliation operations (XEP-0045 §9, §10.3-§10.8, §7.10): the entry
 * changes, the user's occupants take the role it gives, everyone
 * concerned is told, the record is stored. */
#include "ops.h"

#include <stdio.h>
#include <string.h>

#include "hooks.h"
#include "occupant.h"
#include "op_presence.h"
#include "op_send.h"
#include "op_store.h"
#include "room.h"
#include "stanza.h"
#include "store.h"

/* Domain part of a bare JID (or the JID itself when it is a domain). */
static const char *domain_of(const char *bare)
{
  const char *at = strchr(bare, '@');
  return at ? at + 1 : bare;
}

static int concerns(const muc_occupant *o, const char *jid, int host_ban)
{
  if (strcmp(o->bare_jid, jid) == 0)
    return 1;
  return host_ban && strcmp(domain_of(o->bare_jid), jid) == 0;
}

int muc_op_set_affiliation(muc_room *room, const muc_actor *who,
                           const char *jid, muc_affiliation aff,
                           const char *reason, const muc_affil_data *data)
{
  muc_service *svc = room->svc;
  const char *actor = muc_actor_jid(who);
  int host_only = strchr(jid, '@') == NULL;
  muc_affil *entry = muc_room_affil_entry(room, jid);
  muc_affiliation target = entry ? entry->aff : MUC_AFFIL_NONE;
  int downgrade = target > aff;

  /* the stored nick/reason: replaced, cleared, or kept */
  int set = data && data->set;
  int clear = data && data->clear;
  muc_store_forget(room);
  if (muc_room_put_affiliation(room, jid, aff, set, clear,
                               set ? data->nick : NULL,
                               set ? data->reason : NULL) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  muc_hook_affiliation(room, jid, target, aff, actor, reason);

  muc_role role =
      muc_default_role(aff, room->cfg.members_only, room->cfg.moderated);
  muc_codes codes = {0};
  if (role == MUC_ROLE_NONE)
    muc_codes_add(&codes, aff == MUC_AFFIL_OUTCAST ? 301 : 321);

  int in_room = 0;
  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *next = o->next;
    if (!concerns(o, jid, host_only && aff == MUC_AFFIL_OUTCAST)) {
      o = next;
      continue;
    }
    in_room = 1;
    muc_role old = o->role;
    if (o->role != role && (downgrade || o->role < role)) {
      o->role = role;
      muc_room_save_occupant(room, o);
      muc_hook_role(room, o, old, actor);
    }
    muc_pub p = {
        .base = &codes, .actor = actor, .reason = reason, .prev_role = old};
    muc_presence_publicise(room, o, &p);
    muc_presence_resend_list(room, o, old);
    muc_presence_release(room, o); /* |next| was taken before any change */
    o = next;
  }
  if (!in_room) {
    /* XEP-0045 §9.3 example: tell the room about an absent user */
    mxml_node_t *m =
        muc_stanza_new(svc, "message", room->jid, NULL, NULL, NULL);
    mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
    char buf[8];
    for (size_t i = 0; i < codes.n; i++) {
      snprintf(buf, sizeof(buf), "%d", codes.code[i]);
      muc_attr(svc, muc_el(svc, x, "status", NULL), "code", buf);
    }
    mxml_node_t *item = muc_el(svc, x, "item", NULL);
    muc_attr(svc, item, "affiliation", muc_affiliation_name(aff));
    muc_attr(svc, item, "jid", jid);
    if (reason)
      muc_el_text(svc, item, "reason", NULL, reason);
    muc_room_broadcast(room, m,
                       room->cfg.whois == MUC_WHOIS_MODERATORS
                           ? MUC_ROLE_MODERATOR
                           : MUC_ROLE_NONE);
    mxmlDelete(m);
    if (target != aff && !(data && data->told))
      muc_op_notify_absent(room, jid, aff, reason);
  }
  muc_room_save(room, 0);
  return MUC_OK;
}

int muc_op_register(muc_room *room, const muc_actor *actor, const char *bare,
                    const char *nick)
{
  const char *current = muc_room_registered_nick(room, bare);
  if (current && strcmp(current, nick) == 0)
    return MUC_OK;
  muc_affiliation aff = muc_room_affiliation(room, bare);
  /* the registrant asked for it (§7.10): the iq result tells them */
  muc_affil_data data = {.set = 1, .nick = nick, .told = 1};
  return muc_op_set_affiliation(room, actor, bare,
                                aff == MUC_AFFIL_NONE ? MUC_AFFIL_MEMBER : aff,
                                NULL, &data);
}

int muc_op_unregister(muc_room *room, const muc_actor *actor, const char *bare)
{
  /* members become unaffiliated; admins and owners keep their rank */
  muc_affiliation aff = muc_room_affiliation(room, bare);
  muc_affil_data clear = {.clear = 1, .told = 1};
  return muc_op_set_affiliation(room, actor, bare,
                                aff == MUC_AFFIL_MEMBER ? MUC_AFFIL_NONE : aff,
                                NULL, &clear);
}
