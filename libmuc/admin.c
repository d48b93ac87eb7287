#include "admin.h"

#include <string.h>

#include "limit.h"
#include "occupant.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"
#include "verdict.h"

/* Is |actor| (a real full JID) the user |bare|? */
static int is_self(const char *actor, const char *bare)
{
  size_t n = strlen(bare);
  return strncmp(actor, bare, n) == 0 && (actor[n] == '/' || !actor[n]);
}

/* ---- muc#admin iq (§8, §9) ----------------------------------------------
 */

/* One <item/> of an admin set, read and checked before anything changes:
 * the "delta" of §8.5, §9.2, §9.5, §9.8, §10.5 and §10.8 is applied whole
 * or not at all (§9.2 "SHOULD NOT apply any of the requested changes"). */
typedef struct change {
  int is_role;
  char *jid;     /* affiliation change: the bare JID */
  char *nick;    /* role change: the occupant; affiliation change: the
                    nick to reserve (NULL: keep) */
  int unreserve; /* nick='': drop the reserved nick (§9.5) */
  muc_affiliation aff;
  muc_role role;
  char *reason;
} change;

static void change_clear(muc_service *svc, change *c)
{
  muc_mem_free(&svc->mem, c->jid);
  muc_mem_free(&svc->mem, c->nick);
  muc_mem_free(&svc->mem, c->reason);
}

/* The occupant a role change by JID means: the session's own nick for a
 * full JID, the user's (first) nick for a bare one. */
static muc_occupant *occupant_of(const muc_room *room, const muc_jid *j)
{
  if (j->resource)
    return muc_room_occupant_by_jid(room, j->full);
  for (muc_occupant *o = room->first; o; o = o->next)
    if (strcmp(o->bare_jid, j->bare) == 0)
      return o;
  return NULL;
}

/* Answer a refused admin request with the verdict's error; an occupant
 * that is not there is item-not-found of type cancel (RFC 6120
 * §8.3.3.7; Prosody says modify). */
static void deny(muc_room *room, const mxml_node_t *st, muc_verdict v)
{
  if (v == MUC_DENY_ITEM_NOT_FOUND)
    muc_refuse(room->svc, st, MUC_REFUSE_ADMIN_NOT_FOUND, room->jid);
  else
    muc_refuse_verdict(room->svc, st, v, room->jid);
}

/* Read |item| into |c|.  Returns MUC_OK, MUC_ERR_NOMEM, or
 * MUC_ERR_BAD_STANZA after answering |st| with the error. */
static int read_item(muc_room *room, const mxml_node_t *st,
                     const mxml_node_t *item, change *c)
{
  muc_service *svc = room->svc;
  const char *a_jid = muc_xml_attr(item, "jid");
  const char *a_nick = muc_xml_attr(item, "nick");
  const char *a_role = muc_xml_attr(item, "role");
  const char *a_aff = muc_xml_attr(item, "affiliation");
  muc_jid jid = {0};
  int rc = MUC_ERR_BAD_STANZA;
  /* §17.4: an item changes a role or an affiliation, never both */
  if (!muc_xml_is(item, "item", MUC_NS_ADMIN) || !a_role == !a_aff) {
    muc_refuse(svc, st, MUC_REFUSE_ADMIN_ITEM, room->jid);
    return rc;
  }
  c->is_role = a_role != NULL;
  if ((c->is_role && muc_role_parse(a_role, &c->role) != 0) ||
      (!c->is_role && muc_affiliation_parse(a_aff, &c->aff) != 0)) {
    muc_refuse(svc, st, MUC_REFUSE_ADMIN_VALUE, room->jid);
    return rc;
  }
  if (a_jid) {
    int jrc = muc_jid_parse(&svc->mem, a_jid, &jid);
    if (jrc == MUC_ERR_NOMEM)
      return jrc;
    if (jrc != MUC_OK) {
      muc_refuse(svc, st, MUC_REFUSE_ADMIN_JID_MALFORMED, room->jid);
      return rc;
    }
  }
  if (a_nick && !*a_nick && !c->is_role) {
    c->unreserve = 1;
  } else if (a_nick) {
    int nrc =
        muc_nick_prep(&svc->mem, a_nick, 0, svc->cfg.max_nick_bytes, &c->nick);
    if (nrc == MUC_ERR_NOMEM) {
      rc = nrc;
      goto out;
    }
    if (nrc == MUC_ERR_LIMIT) { /* max_nick_bytes: not-acceptable */
      muc_limit_refuse(svc, st, MUC_LIMIT_NICK, room->jid);
      goto out;
    }
    if (nrc != MUC_OK) {
      muc_refuse(svc, st, MUC_REFUSE_ADMIN_NICK_MALFORMED, room->jid);
      goto out;
    }
  }
  if (muc_xml_child(item, "reason", MUC_NS_ADMIN) &&
      !(c->reason = muc_child_text(svc, item, "reason", MUC_NS_ADMIN))) {
    rc = MUC_ERR_NOMEM;
    goto out;
  }
  /* max_reason_bytes (kick, ban, any role or affiliation change):
   * policy-violation (RFC 6120 §8.3.3.12), and nothing of the request
   * is applied (limit.c) */
  if (muc_limit_refuse_text(svc, st, MUC_LIMIT_REASON, c->reason, room->jid))
    goto out;
  const char *who = NULL;
  if (c->is_role && a_jid && !c->nick) {
    /* roles go by nick (§8); a JID names the occupant it is in */
    const muc_occupant *o = occupant_of(room, &jid);
    who = o ? o->nick : NULL;
    if (who && !(c->nick = muc_mem_strdup(&svc->mem, who))) {
      rc = MUC_ERR_NOMEM;
      goto out;
    }
  } else if (!c->is_role) {
    /* affiliations go by bare JID, a full JID standing for its bare JID
     * (§10.3 "a service SHOULD use the bare JID representation"); clients
     * that only give the nick of an occupant mean its user, and reserve
     * that nick for it as Prosody does (issue #1224) */
    const muc_occupant *o =
        !a_jid && c->nick ? muc_room_occupant_by_nick(room, c->nick) : NULL;
    who = a_jid ? jid.bare : o ? o->bare_jid : NULL;
    if (who && !(c->jid = muc_mem_strdup(&svc->mem, who))) {
      rc = MUC_ERR_NOMEM;
      goto out;
    }
  }
  /* a role item names the occupant by nick or JID (one not in the room is
   * item-not-found, once the sender's privilege is known: check()) */
  if (c->is_role ? !c->nick && !a_jid : !c->jid) {
    muc_refuse(svc, st, MUC_REFUSE_ADMIN_ITEM, room->jid);
    goto out;
  }
  rc = MUC_OK;
out:
  muc_jid_clear(&svc->mem, &jid);
  return rc;
}

/* The item of |cs| that last changes the affiliation of |jid|, or -1. */
static long last_change(const change *cs, size_t n, const char *jid)
{
  for (size_t i = n; i-- > 0;)
    if (!cs[i].is_role && strcmp(cs[i].jid, jid) == 0)
      return (long)i;
  return -1;
}

/* Owners other than |bare| once |cs| is applied. */
static size_t owners_after(const muc_room *room, const change *cs, size_t n,
                           const char *bare)
{
  size_t count = 0;
  for (const muc_affil *a = room->afirst; a; a = a->next) {
    if (a->aff != MUC_AFFIL_OWNER || strcmp(a->jid, bare) == 0)
      continue;
    long k = last_change(cs, n, a->jid);
    count += k < 0 || cs[k].aff == MUC_AFFIL_OWNER;
  }
  for (size_t i = 0; i < n; i++) /* new owners */
    count += !cs[i].is_role && cs[i].aff == MUC_AFFIL_OWNER &&
             strcmp(cs[i].jid, bare) != 0 &&
             muc_room_affiliation(room, cs[i].jid) != MUC_AFFIL_OWNER &&
             last_change(cs, n, cs[i].jid) == (long)i;
  return count;
}

static muc_verdict check(const muc_room *room, const char *actor,
                         const change *cs, size_t n, size_t i)
{
  const change *c = &cs[i];
  if (c->is_role) {
    const muc_occupant *o =
        c->nick ? muc_room_occupant_by_nick(room, c->nick) : NULL;
    return muc_verdict_set_role(room, actor, o, c->role);
  }
  const muc_affil *entry = muc_room_affil_entry(room, c->jid);
  muc_affiliation target = entry ? entry->aff : MUC_AFFIL_NONE;
  int self = is_self(actor, c->jid);
  /* the other owners count only for an owner stepping down (§10.4), who
   * may do so in the request that names a successor */
  size_t others = self && target == MUC_AFFIL_OWNER && c->aff < MUC_AFFIL_OWNER
                      ? owners_after(room, cs, n, c->jid)
                      : 1;
  return muc_may_set_affiliation(muc_room_affiliation(room, actor), target,
                                 c->aff, self, others);
}

/* max_affiliations_per_room over the request as a whole: the entries it
 * creates and the ones it removes, each JID as its last item leaves it.
 * Returns 1 if refused (error sent). */
static int refuse_count(muc_room *room, const mxml_node_t *st, const change *cs,
                        size_t n)
{
  size_t added = 0, removed = 0;
  for (size_t i = 0; i < n; i++) {
    if (cs[i].is_role || last_change(cs, n, cs[i].jid) != (long)i)
      continue;
    int exists = muc_room_affil_entry(room, cs[i].jid) != NULL;
    added += !exists && cs[i].aff != MUC_AFFIL_NONE;
    removed += exists && cs[i].aff == MUC_AFFIL_NONE;
  }
  return muc_room_refuse_affiliations(room, st, added, removed);
}

static void apply(muc_room *room, const char *actor, const change *c)
{
  muc_service *svc = room->svc;
  const muc_actor who = {actor};
  if (c->is_role) {
    muc_occupant *o = muc_room_occupant_by_nick(room, c->nick);
    if (o) /* an earlier item of the request may have removed it */
      muc_op_set_role(room, &who, o, c->role, c->reason);
    return;
  }
  const muc_affil *old = muc_room_affil_entry(room, c->jid);
  if (c->nick) {
    /* the reserved nick is taken from whoever else is using it */
    muc_occupant *there = muc_room_occupant_by_nick(room, c->nick);
    if (there && strcmp(there->bare_jid, c->jid) != 0)
      muc_op_set_role(room, MUC_ACTOR_HOST, there, MUC_ROLE_NONE,
                      "This nickname is reserved");
  }
  /* the stored nick and reason go on, unless replaced; a ban drops the
   * nick (§9.1 "MUST remove the outcast's nickname from the list of
   * registered nicknames") */
  const char *nick = c->nick ? c->nick : old ? old->nick : NULL;
  if (c->unreserve || c->aff == MUC_AFFIL_OUTCAST)
    nick = NULL;
  const char *reason = c->reason ? c->reason : old ? old->reason : NULL;
  char *keep_nick = nick ? muc_mem_strdup(&svc->mem, nick) : NULL;
  char *keep_reason = reason ? muc_mem_strdup(&svc->mem, reason) : NULL;
  if ((nick && !keep_nick) || (reason && !keep_reason)) {
    muc_fail(svc, MUC_ERR_NOMEM);
  } else {
    muc_affiliation was = old ? old->aff : MUC_AFFIL_NONE;
    int invited = room->cfg.members_only && was == MUC_AFFIL_NONE &&
                  c->aff == MUC_AFFIL_MEMBER && strchr(c->jid, '@');
    muc_affil_data data = {.set = nick || reason,
                           .clear = !nick && !reason,
                           .nick = keep_nick,
                           .reason = keep_reason,
                           .told = invited};
    muc_op_set_affiliation(room, &who, c->jid, c->aff, c->reason, &data);
    if (invited)
      muc_op_invite_member(room, &who, c->jid);
  }
  muc_mem_free(&svc->mem, keep_nick);
  muc_mem_free(&svc->mem, keep_reason);
}

void muc_admin_item_affiliation(muc_room *room, const char *jid,
                                muc_affiliation aff, const char *reason)
{
  change c = {.jid = (char *)jid, .aff = aff, .reason = (char *)reason};
  apply(room, NULL, &c);
}

static void admin_set(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  size_t n = 0;
  for (mxml_node_t *it = muc_xml_first_element(query); it;
       it = muc_xml_next_element(it))
    n++;
  if (n == 0) {
    muc_refuse(svc, st, MUC_REFUSE_ADMIN_ITEM, room->jid);
    return;
  }
  change *cs = muc_mem_calloc(&svc->mem, n, sizeof(*cs));
  if (!cs) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  size_t i = 0;
  int rc = MUC_OK;
  for (mxml_node_t *it = muc_xml_first_element(query); it && rc == MUC_OK;
       it = muc_xml_next_element(it))
    rc = read_item(room, st, it, &cs[i++]);
  if (rc == MUC_ERR_NOMEM)
    muc_fail(svc, rc);
  for (i = 0; rc == MUC_OK && i < n; i++) {
    muc_verdict v = check(room, from->full, cs, n, i);
    if (v != MUC_ALLOW) {
      deny(room, st, v);
      rc = MUC_ERR_BAD_STANZA;
    }
  }
  if (rc == MUC_OK && refuse_count(room, st, cs, n))
    rc = MUC_ERR_BAD_STANZA;
  if (rc == MUC_OK) {
    for (i = 0; i < n; i++)
      apply(room, from->full, &cs[i]);
    muc_send_free(svc, muc_iq_result(svc, st));
  }
  for (i = 0; i < n; i++)
    change_clear(svc, &cs[i]);
  muc_mem_free(&svc->mem, cs);
}

/* The role of |jid| for list permissions: its own in the room, else the
 * one its affiliation would give it (Prosody). */
static muc_role list_role(const muc_room *room, const char *jid,
                          muc_affiliation aff)
{
  const muc_occupant *me = muc_room_occupant_by_jid(room, jid);
  return me ? me->role
            : muc_default_role(aff, room->cfg.members_only,
                               room->cfg.moderated);
}

static void send_affiliation_list(muc_room *room, const mxml_node_t *st,
                                  muc_affiliation aff)
{
  muc_service *svc = room->svc;
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
}

static void send_role_list(muc_room *room, const mxml_node_t *st, muc_role role)
{
  muc_service *svc = room->svc;
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
}

static void admin_get(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  mxml_node_t *item = muc_xml_first_element(query);
  const char *a_aff = item ? muc_xml_attr(item, "affiliation") : NULL;
  const char *a_role = item ? muc_xml_attr(item, "role") : NULL;
  muc_affiliation my_aff = muc_room_affiliation(room, from->full);
  int members_only = room->cfg.members_only;
  int anyone = room->cfg.whois == MUC_WHOIS_ANYONE;
  muc_affiliation aff;
  muc_role role;
  muc_verdict v;
  if (a_aff && !a_role && muc_affiliation_parse(a_aff, &aff) == 0) {
    if (aff == MUC_AFFIL_MEMBER) {
      const muc_occupant *me = muc_room_occupant_by_jid(room, from->full);
      v = muc_may_get_member_list(my_aff, me ? me->role : MUC_ROLE_NONE,
                                  room->cfg.get_member_list, members_only,
                                  anyone);
    } else {
      v = muc_may_get_affiliation_list(my_aff, aff, members_only, anyone);
    }
    if (v == MUC_ALLOW)
      send_affiliation_list(room, st, aff);
  } else if (a_role && !a_aff && muc_role_parse(a_role, &role) == 0) {
    v = role == MUC_ROLE_MODERATOR
            ? muc_may_get_moderator_list(my_aff)
            : muc_may_get_role_list(list_role(room, from->full, my_aff));
    if (v == MUC_ALLOW)
      send_role_list(room, st, role);
  } else {
    v = MUC_DENY_BAD_REQUEST;
  }
  if (v != MUC_ALLOW)
    muc_refuse_verdict(svc, st, v, room->jid);
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
