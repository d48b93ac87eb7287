#include "admin.h"

#include <string.h>

#include "form.h"
#include "occupant.h"
#include "presence.h"
#include "room.h"
#include "stanza.h"

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

muc_verdict muc_admin_set_affiliation(muc_room *room, const char *actor,
                                      const char *jid, muc_affiliation aff,
                                      const char *reason,
                                      const muc_affil_data *data)
{
  muc_service *svc = room->svc;
  int host_only = strchr(jid, '@') == NULL;
  muc_affil *entry = muc_room_affil_entry(room, jid);
  muc_affiliation target = entry ? entry->aff : MUC_AFFIL_NONE;
  int downgrade = target > aff;

  if (actor) {
    char *actor_bare = muc_jid_bare_of(&svc->mem, actor);
    if (!actor_bare) {
      muc_fail(svc, MUC_ERR_NOMEM);
      return MUC_DENY_NOT_ALLOWED;
    }
    muc_verdict v = muc_may_set_affiliation(
        muc_room_affiliation(room, actor), target, aff,
        strcmp(actor_bare, jid) == 0, muc_room_other_owners(room, jid));
    muc_mem_free(&svc->mem, actor_bare);
    if (v != MUC_ALLOW)
      return v;
  }

  /* the stored nick/reason: replaced, cleared, or kept */
  int set = data && data->set;
  int clear = data && data->clear;
  if (muc_room_put_affiliation(room, jid, aff, set, clear,
                               set ? data->nick : NULL,
                               set ? data->reason : NULL) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ALLOW;
  }

  muc_role role = muc_default_role(aff, room->cfg.members_only,
                                   room->cfg.moderated);
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
    }
    muc_pub p = {.base = &codes, .actor = actor, .reason = reason,
                 .prev_role = old};
    muc_presence_publicise(room, o, &p);
    if (o->in_room && room->cfg.whois == MUC_WHOIS_MODERATORS &&
        ((old == MUC_ROLE_MODERATOR) != (o->role == MUC_ROLE_MODERATOR))) {
      /* it now sees (or no longer sees) real JIDs: send everyone again */
      for (muc_session *s = o->sessions; s; s = s->next)
        if (s->available)
          muc_presence_send_occupant_list(room, s->jid, o->bare_jid);
    }
    muc_presence_release(room, o); /* |next| was taken before any change */
    o = next;
  }
  if (!in_room) {
    /* XEP-0045 §9.3 example: tell the room about an absent user */
    mxml_node_t *m = muc_stanza_new(svc, "message", room->jid, NULL, NULL,
                                    NULL);
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
  }
  muc_room_save(room, 0);
  return MUC_ALLOW;
}

muc_verdict muc_admin_set_role(muc_room *room, const char *actor,
                               const char *nick, muc_role role,
                               const char *reason)
{
  muc_occupant *occ = muc_room_occupant_by_nick(room, nick);
  if (!occ)
    return MUC_DENY_ITEM_NOT_FOUND;
  if (actor) {
    const muc_occupant *a = muc_room_occupant_by_jid(room, actor);
    muc_verdict v = muc_may_set_role(
        muc_room_affiliation(room, actor), a ? a->role : MUC_ROLE_NONE,
        muc_room_affiliation(room, occ->bare_jid), occ->role, role);
    if (v != MUC_ALLOW)
      return v;
  }
  muc_codes codes = {0};
  if (role == MUC_ROLE_NONE)
    muc_codes_add(&codes, 307);
  muc_role prev = occ->role;
  occ->role = role;
  muc_room_save_occupant(room, occ);
  muc_pub p = {.base = &codes, .actor = actor, .reason = reason,
               .prev_role = prev};
  muc_presence_publicise(room, occ, &p);
  muc_presence_release(room, occ);
  return MUC_ALLOW;
}

/* ---- muc#admin iq (§8, §9) ----------------------------------------------
 */

static void admin_set(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  mxml_node_t *item = muc_xml_first_element(query);
  if (!item) {
    muc_send_error(svc, st, "cancel", "bad-request", NULL, room->jid);
    return;
  }
  const char *a_jid = muc_xml_attr(item, "jid");
  const char *a_nick = muc_xml_attr(item, "nick");
  const char *a_role = muc_xml_attr(item, "role");
  const char *a_aff = muc_xml_attr(item, "affiliation");
  muc_jid jid = {0};
  char *nick = NULL, *reason = NULL;
  if (a_jid) {
    int rc = muc_jid_parse(&svc->mem, a_jid, &jid);
    if (rc == MUC_ERR_NOMEM)
      goto nomem;
    if (rc != MUC_OK) {
      muc_send_error(svc, st, "modify", "jid-malformed", NULL, room->jid);
      goto out;
    }
    if (jid.resource) {
      muc_send_error(svc, st, "modify", "jid-malformed",
                     "Bare JID expected, got full JID", room->jid);
      goto out;
    }
  }
  if (a_nick) {
    int rc = muc_nick_prep(&svc->mem, a_nick, 0, svc->cfg.max_nick_bytes,
                           &nick);
    if (rc == MUC_ERR_NOMEM)
      goto nomem;
    if (rc != MUC_OK) {
      muc_send_error(svc, st, "modify", "jid-malformed", "invalid nickname",
                     room->jid);
      goto out;
    }
  }
  const char *target = a_jid ? jid.bare : NULL;
  if (!target && nick) {
    /* clients that name the occupant by nick for affiliation changes */
    muc_occupant *o = muc_room_occupant_by_nick(room, nick);
    if (o)
      target = o->bare_jid;
  } else if (a_role && !nick && target) {
    muc_occupant *o = muc_room_occupant_by_jid(room, target);
    if (o)
      nick = muc_mem_strdup(&svc->mem, o->nick);
  }
  reason = muc_xml_child_text_dup(&svc->mem, item, "reason", NULL);
  muc_verdict v;
  if (a_aff && target && !a_role) {
    muc_affiliation aff;
    if (muc_affiliation_parse(a_aff, &aff) != 0) {
      v = MUC_DENY_NOT_ACCEPTABLE;
      goto answer;
    }
    /* keep a copy: |target| may point into an occupant that leaves */
    char *tj = muc_mem_strdup(&svc->mem, target);
    if (!tj)
      goto nomem;
    muc_affil *old = muc_room_affil_entry(room, tj);
    muc_affil_data data = {.set = 1,
                           .nick = old ? old->nick : NULL,
                           .reason = old ? old->reason : NULL};
    char *keep_nick = data.nick ? muc_mem_strdup(&svc->mem, data.nick) : NULL;
    char *keep_reason =
        data.reason ? muc_mem_strdup(&svc->mem, data.reason) : NULL;
    data.nick = keep_nick;
    data.reason = reason ? reason : keep_reason;
    if (nick) {
      muc_occupant *there = muc_room_occupant_by_nick(room, nick);
      if (there && strcmp(there->bare_jid, tj) != 0)
        muc_admin_set_role(room, NULL, nick, MUC_ROLE_NONE,
                           "This nickname is reserved");
      data.nick = nick;
    }
    if (!data.nick && !data.reason)
      data.set = 0, data.clear = 1;
    v = muc_admin_set_affiliation(room, from->full, tj, aff, reason, &data);
    muc_mem_free(&svc->mem, keep_nick);
    muc_mem_free(&svc->mem, keep_reason);
    muc_mem_free(&svc->mem, tj);
  } else if (a_role && nick && !a_aff) {
    muc_role role;
    if (muc_role_parse(a_role, &role) != 0)
      v = MUC_DENY_NOT_ACCEPTABLE;
    else
      v = muc_admin_set_role(room, from->full, nick, role, reason);
  } else {
    muc_send_error(svc, st, "cancel", "bad-request", NULL, room->jid);
    goto out;
  }
answer:
  if (v != MUC_ALLOW)
    muc_send_verdict(svc, st, v, NULL, room->jid);
  else
    muc_send_free(svc, muc_iq_result(svc, st));
  goto out;
nomem:
  muc_fail(svc, MUC_ERR_NOMEM);
out:
  muc_mem_free(&svc->mem, reason);
  muc_mem_free(&svc->mem, nick);
  muc_jid_clear(&svc->mem, &jid);
}

static void admin_get(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  mxml_node_t *item = muc_xml_first_element(query);
  const char *a_aff = item ? muc_xml_attr(item, "affiliation") : NULL;
  const char *a_role = item ? muc_xml_attr(item, "role") : NULL;
  muc_affiliation aff;
  muc_role role;
  if (a_aff && !a_role && muc_affiliation_parse(a_aff, &aff) == 0) {
    muc_verdict v = muc_may_get_affiliation_list(
        muc_room_affiliation(room, from->full), aff, room->cfg.members_only,
        room->cfg.whois == MUC_WHOIS_ANYONE);
    if (v != MUC_ALLOW) {
      muc_send_verdict(svc, st, v, NULL, room->jid);
      return;
    }
    mxml_node_t *r = muc_iq_result(svc, st);
    mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_ADMIN);
    for (muc_affil *a = room->afirst; a; a = a->next) {
      if (a->aff != aff)
        continue;
      mxml_node_t *it = muc_el(svc, q, "item", NULL);
      muc_attr(svc, it, "affiliation", muc_affiliation_name(aff));
      muc_attr(svc, it, "jid", a->jid);
      muc_attr(svc, it, "nick", a->nick);
      if (a->reason)
        muc_el_text(svc, it, "reason", NULL, a->reason);
    }
    muc_send_free(svc, r);
    return;
  }
  if (a_role && !a_aff && muc_role_parse(a_role, &role) == 0) {
    const muc_occupant *me = muc_room_occupant_by_jid(room, from->full);
    muc_role my_role =
        me ? me->role
           : muc_default_role(muc_room_affiliation(room, from->full),
                              room->cfg.members_only, room->cfg.moderated);
    muc_verdict v = muc_may_get_role_list(my_role);
    if (v != MUC_ALLOW) {
      muc_send_verdict(svc, st, v, NULL, room->jid);
      return;
    }
    mxml_node_t *r = muc_iq_result(svc, st);
    mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_ADMIN);
    for (muc_occupant *o = room->first; o; o = o->next) {
      if (o->role != role)
        continue;
      muc_affiliation oa = muc_room_affiliation(room, o->bare_jid);
      for (muc_session *s = o->sessions; s; s = s->next) {
        if (!muc_session_is_reachable(o, s))
          continue;
        mxml_node_t *it = muc_el(svc, q, "item", NULL);
        muc_attr(svc, it, "affiliation", muc_affiliation_name(oa));
        muc_attr(svc, it, "jid", s->jid);
        muc_attr(svc, it, "nick", o->nick);
        muc_attr(svc, it, "role", muc_role_name(o->role));
      }
    }
    muc_send_free(svc, r);
    return;
  }
  muc_send_error(svc, st, "cancel", "bad-request", NULL, room->jid);
}

void muc_admin_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query)
{
  const char *type = muc_stanza_type(st);
  if (type && strcmp(type, "set") == 0)
    admin_set(room, st, from, query);
  else
    admin_get(room, st, from, query);
}

/* ---- voice requests (§7.13, §8.6) --------------------------------------- */

static void forward_request(muc_room *room, const muc_jid *from,
                            const muc_occupant *occ)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = muc_stanza_new(svc, "message", room->jid, NULL, "normal",
                                  NULL);
  mxml_node_t *x = muc_form_new(m, "form", "Voice Request", NULL);
  if (m && !x)
    muc_fail(svc, MUC_ERR_NOMEM);
  muc_form_add_form_type(x, MUC_NS_REQUEST);
  mxml_node_t *f = muc_form_add_field(x, "muc#jid", "jid-single", "User ID");
  muc_form_add_value(f, from->full);
  f = muc_form_add_field(x, "muc#roomnick", "text-single", "Room nickname");
  muc_form_add_value(f, occ->nick);
  f = muc_form_add_field(x, "muc#role", "list-single", "Requested role");
  muc_form_add_value(f, "participant");
  f = muc_form_add_field(x, "muc#request_allow", "boolean",
                         "Grant voice to this person?");
  muc_form_add_value(f, "false");
  muc_room_broadcast(room, m, MUC_ROLE_MODERATOR);
  mxmlDelete(m);
}

void muc_admin_voice_request(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const mxml_node_t *form)
{
  muc_service *svc = room->svc;
  muc_form *f = NULL;
  int rc = muc_form_parse(&svc->mem, form, &f);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return;
  }
  if (rc != MUC_OK || !f->form_type ||
      strcmp(f->form_type, MUC_NS_REQUEST) != 0) {
    muc_form_free(&svc->mem, f);
    muc_send_error(svc, st, "cancel", "service-unavailable", NULL, room->jid);
    return;
  }
  muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  if (!occ) {
    muc_send_error(svc, st, "cancel", "not-acceptable",
                   "You are not currently connected to this chat", room->jid);
  } else if (occ->role != MUC_ROLE_MODERATOR) {
    if (occ->role == MUC_ROLE_VISITOR)
      forward_request(room, from, occ);
  } else if (muc_form_parse_bool(muc_form_value(f, "muc#request_allow")) ==
             1) {
    /* a moderator's answer: grant voice */
    const char *who = muc_form_value(f, "muc#jid");
    muc_occupant *target = who ? muc_room_occupant_by_jid(room, who) : NULL;
    if (target && target->role == MUC_ROLE_VISITOR) {
      muc_verdict v = muc_admin_set_role(room, from->full, target->nick,
                                         MUC_ROLE_PARTICIPANT,
                                         "Voice granted");
      if (v != MUC_ALLOW)
        muc_send_verdict(svc, st, v, NULL, room->jid);
    }
  }
  muc_form_free(&svc->mem, f);
}
