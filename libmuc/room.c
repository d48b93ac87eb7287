#include "room.h"

#include <string.h>

#include "addr.h"
#include "admin.h"
#include "create.h"
#include "disco.h"
#include "feed.h"
#include "index.h"
#include "limit.h"
#include "message.h"
#include "occupant.h"
#include "owner.h"
#include "presence.h"
#include "refusal.h"
#include "register.h"
#include "stanza.h"
#include "store.h"
#include "timer.h"

static void route_clear(muc_service *svc, muc_iq_route *r);

muc_room *muc_room_new(muc_service *svc, const char *node)
{
  /* max_rooms counts rooms still loading too: each holds memory and
   * queued stanzas (the callers answer resource-constraint, RFC 6120
   * §8.3.3.18; limit.c) */
  if (muc_limit_reached(svc, MUC_LIMIT_ROOMS, svc->nrooms))
    return NULL;
  muc_room *room = muc_mem_calloc(&svc->mem, 1, sizeof(*room));
  if (!room)
    goto nomem;
  room->svc = svc;
  /* one block: "node@domain", then "node" */
  size_t nl = strlen(node), dl = strlen(svc->domain);
  room->jid = muc_mem_malloc(&svc->mem, nl + dl + 2 + nl + 1);
  if (!room->jid)
    goto nomem;
  memcpy(room->jid, node, nl);
  room->jid[nl] = '@';
  memcpy(room->jid + nl + 1, svc->domain, dl + 1);
  room->node = room->jid + nl + dl + 2;
  memcpy(room->node, node, nl);
  room->node[nl] = 0;
  const muc_config *d = &svc->cfg;
  muc_room_config *c = &room->cfg;
  c->persistent = d->room_persistent;
  c->public_room = d->room_public;
  c->members_only = d->room_members_only;
  c->moderated = d->room_moderated;
  c->allow_invites = d->room_allow_invites;
  c->allow_member_invites = d->room_allow_invites;
  c->change_subject = d->room_change_subject;
  c->whois = d->room_whois;
  c->presence_broadcast = d->room_presence_broadcast;
  c->allow_pm = d->room_allow_pm;
  c->history_length = d->room_history_length;
  if (c->history_length > svc->cfg.max_history)
    c->history_length = (unsigned)svc->cfg.max_history;
  c->max_users = d->room_max_users;
  room->canonical = muc_addr_canonical(svc, room->jid);
  if (muc_history_resize(room, c->history_length) != MUC_OK)
    goto nomem;
  if (muc_map_put(&svc->mem, &svc->rooms, room->node, room) != MUC_OK)
    goto nomem;
  room->prev = svc->rlast;
  if (svc->rlast)
    svc->rlast->next = room;
  else
    svc->rfirst = room;
  svc->rlast = room;
  svc->nrooms++;
  muc_log(svc, MUC_LOG_DEBUG, "room %s created", room->jid);
  muc_feed_touch(room);
  return room;
nomem:
  muc_fail(svc, MUC_ERR_NOMEM);
  if (room) {
    muc_mem_free(&svc->mem, room->history);
    muc_mem_free(&svc->mem, room->jid);
    muc_mem_free(&svc->mem, room);
  }
  return NULL;
}

void muc_room_free(muc_room *room)
{
  if (!room)
    return;
  muc_service *svc = room->svc;
  muc_log(svc, MUC_LOG_DEBUG, "room %s freed", room->jid);
  if (muc_map_get(&svc->rooms, room->node) == room) {
    muc_map_del(&svc->rooms, room->node);
    muc_map_shrink(&svc->mem, &svc->rooms);
  }
  if (room->prev)
    room->prev->next = room->next;
  else
    svc->rfirst = room->next;
  if (room->next)
    room->next->prev = room->prev;
  else
    svc->rlast = room->prev;
  svc->nrooms--;
  muc_create_forget(room);
  muc_timer_set(svc, room, 0);

  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *n = o->next;
    muc_occupant_free(room, o);
    o = n;
  }
  muc_affil *a = room->afirst;
  while (a) {
    muc_affil *n = a->next;
    muc_mem_free(&svc->mem, a->nick);
    muc_mem_free(&svc->mem, a->reason);
    muc_mem_free(&svc->mem, a);
    a = n;
  }
  muc_pending *p = room->pending_first;
  while (p) {
    muc_pending *n = p->next;
    mxmlDelete(p->stanza);
    muc_mem_free(&svc->mem, p);
    p = n;
  }
  muc_history_clear(room);
  muc_mem_free(&svc->mem, room->history);
  muc_store_forget(room);
  for (size_t i = 0; room->iqs && i < MUC_MAX_PENDING_IQ; i++)
    route_clear(svc, &room->iqs[i]);
  muc_mem_free(&svc->mem, room->iqs);
  muc_index_free(room);
  muc_map_free(&svc->mem, &room->reserved);
  muc_feed_room_gone(room); /* last: what came before may touch it */
  muc_room_config *c = &room->cfg;
  muc_mem_free(&svc->mem, c->name);
  muc_mem_free(&svc->mem, c->desc);
  muc_mem_free(&svc->mem, c->password);
  muc_mem_free(&svc->mem, c->lang);
  muc_mem_free(&svc->mem, room->subject);
  muc_mem_free(&svc->mem, room->subject_from);
  muc_mem_free(&svc->mem, room->jid); /* and the node */
  muc_mem_free(&svc->mem, room);
}

int muc_room_is_locked(muc_room *room)
{
  if (!room->locked_until)
    return 0;
  if (room->svc->now < room->locked_until)
    return 1;
  /* the creator never configured it: open it */
  muc_timer_set(room->svc, room, 0);
  return 0;
}

/* ---- affiliations -------------------------------------------------------- */

muc_affil *muc_room_affil_entry(const muc_room *room, const char *bare)
{
  return muc_index_affil(room, bare);
}

muc_affiliation muc_room_affiliation(const muc_room *room, const char *jid)
{
  const char *slash = strchr(jid, '/');
  char buf[3072];
  if (slash) {
    size_t n = (size_t)(slash - jid);
    if (n >= sizeof(buf))
      return MUC_AFFIL_NONE;
    memcpy(buf, jid, n);
    buf[n] = 0;
    jid = buf;
  }
  const muc_affil *a = muc_index_affil(room, jid);
  if (a)
    return a->aff;
  const char *at = strchr(jid, '@');
  if (at) {
    a = muc_index_affil(room, at + 1);
    if (a && a->aff == MUC_AFFIL_OUTCAST)
      return MUC_AFFIL_OUTCAST;
  }
  return MUC_AFFIL_NONE;
}

const char *muc_room_reserved_by(const muc_room *room, const char *nick)
{
  const muc_affil *a = muc_map_get(&room->reserved, nick);
  return a ? a->jid : NULL;
}

const char *muc_room_registered_nick(const muc_room *room, const char *bare)
{
  const muc_affil *a = muc_index_affil(room, bare);
  return a ? a->nick : NULL;
}

size_t muc_room_other_owners(const muc_room *room, const char *bare)
{
  size_t n = 0;
  for (const muc_affil *a = room->afirst; a; a = a->next)
    n += a->aff == MUC_AFFIL_OWNER && strcmp(a->jid, bare) != 0;
  return n;
}

static void affil_free(muc_room *room, muc_affil *a)
{
  muc_service *svc = room->svc;
  if (a->nick && muc_map_get(&room->reserved, a->nick) == a)
    muc_map_del(&room->reserved, a->nick);
  muc_index_del_affil(room, a);
  if (a->prev)
    a->prev->next = a->next;
  else
    room->afirst = a->next;
  if (a->next)
    a->next->prev = a->prev;
  else
    room->alast = a->prev;
  muc_mem_free(&svc->mem, a->nick);
  muc_mem_free(&svc->mem, a->reason);
  muc_mem_free(&svc->mem, a);
}

/* A new entry for |bare|, linked last and indexed; NULL on NOMEM. */
static muc_affil *affil_new(muc_room *room, const char *bare)
{
  muc_service *svc = room->svc;
  size_t n = strlen(bare);
  /* one block: the entry, then its JID */
  muc_affil *a = muc_mem_malloc(&svc->mem, sizeof(*a) + n + 1);
  if (!a)
    return NULL;
  memset(a, 0, sizeof(*a));
  memcpy(a->jid, bare, n + 1);
  a->prev = room->alast;
  if (room->alast)
    room->alast->next = a;
  else
    room->afirst = a;
  room->alast = a;
  if (muc_index_put_affil(room, a) != MUC_OK) {
    room->alast = a->prev;
    if (a->prev)
      a->prev->next = NULL;
    else
      room->afirst = NULL;
    muc_mem_free(&svc->mem, a);
    return NULL;
  }
  return a;
}

int muc_room_put_affiliation(muc_room *room, const char *bare,
                             muc_affiliation aff, int set_data, int clear_data,
                             const char *nick, const char *reason)
{
  muc_service *svc = room->svc;
  muc_affil *a = muc_index_affil(room, bare);
  muc_feed_touch_part(room, MUC_FEED_PART_AFFILS);
  if (aff == MUC_AFFIL_NONE) {
    if (a)
      affil_free(room, a);
    return MUC_OK;
  }
  int created = 0;
  if (!a) {
    if (!(a = affil_new(room, bare)))
      return MUC_ERR_NOMEM;
    created = 1;
  }
  a->aff = aff;
  if (clear_data || set_data) {
    char *n = NULL, *r = NULL;
    if (set_data && nick && !(n = muc_mem_strdup(&svc->mem, nick)))
      goto nomem;
    if ((set_data && reason && !(r = muc_mem_strdup(&svc->mem, reason))) ||
        muc_map_reserve(&svc->mem, &room->reserved, 1) != MUC_OK) {
      muc_mem_free(&svc->mem, n);
      muc_mem_free(&svc->mem, r);
      goto nomem;
    }
    /* the reservation follows the nick (cannot fail after the reserve) */
    if (a->nick && muc_map_get(&room->reserved, a->nick) == a)
      muc_map_del(&room->reserved, a->nick);
    if (n)
      muc_map_put(&svc->mem, &room->reserved, n, a);
    muc_mem_free(&svc->mem, a->nick);
    muc_mem_free(&svc->mem, a->reason);
    a->nick = n;
    a->reason = r;
  }
  return MUC_OK;
nomem:
  if (created)
    affil_free(room, a);
  return MUC_ERR_NOMEM;
}

int muc_room_refuse_affiliations(muc_room *room, const mxml_node_t *st,
                                 size_t added, size_t removed)
{
  /* changes to existing entries and removals always go through */
  if (added == 0)
    return 0;
  size_t now = room->naffils;
  size_t after = now - (removed < now ? removed : now) + added;
  if (!muc_limit_exceeded(room->svc, MUC_LIMIT_AFFILIATIONS, after))
    return 0;
  /* max_affiliations_per_room: resource-constraint (RFC 6120
   * §8.3.3.18; limit.c) */
  muc_limit_refuse(room->svc, st, MUC_LIMIT_AFFILIATIONS, room->jid);
  return 1;
}

/* ---- sending ------------------------------------------------------------- */

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

/* |for_history|: only the history changed since the last record (see
 * muc_store_write). */
static void save(muc_room *room, int forced, int for_history)
{
  muc_service *svc = room->svc;
  if (!svc->cb.store_room || room->loading || room->destroyed)
    return;
  if (!room->cfg.persistent) {
    if (forced && svc->cb.store_room(room->jid, NULL, 0, svc->ud) != 0)
      muc_fail(svc, MUC_ERR_STORAGE);
    return;
  }
  muc_buf_reset(&svc->scratch);
  if (muc_store_write(room, for_history, &svc->scratch) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (svc->cb.store_room(room->jid, svc->scratch.data, svc->scratch.len,
                         svc->ud) != 0) {
    muc_log(svc, MUC_LOG_ERROR, "storing room %s failed", room->jid);
    muc_fail(svc, MUC_ERR_STORAGE);
  }
}

void muc_room_save(muc_room *room, int forced)
{
  save(room, forced, 0);
}

void muc_room_save_history(muc_room *room)
{
  save(room, 0, 1);
}

void muc_room_evict_all(muc_room *room, const muc_pub *p)
{
  /* everyone leaves first, then each is told: nobody is left to see the
   * others go, so each occupant receives only its own departure */
  muc_occupant *gone = NULL, **tail = &gone;
  while (room->first) {
    muc_occupant *o = room->first;
    o->role = MUC_ROLE_NONE;
    muc_room_save_occupant(room, o);
    *tail = o;
    tail = &o->next;
  }
  while (gone) {
    muc_occupant *n = gone->next;
    gone->next = NULL;
    muc_presence_publicise(room, gone, p);
    muc_occupant_free(room, gone);
    gone = n;
  }
}

void muc_room_destroy(muc_room *room, const char *alt_jid, const char *reason,
                      const char *password)
{
  muc_service *svc = room->svc;
  mxml_node_t *d = muc_xml_new_element(NULL, "destroy");
  if (!d) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  muc_attr(svc, d, "jid", alt_jid);
  if (reason)
    muc_el_text(svc, d, "reason", NULL, reason);
  if (password)
    muc_el_text(svc, d, "password", NULL, password);
  muc_pub p = {.extra = d};
  muc_room_evict_all(room, &p);
  mxmlDelete(d);
  if (svc->cb.store_room && room->cfg.persistent &&
      svc->cb.store_room(room->jid, NULL, 0, svc->ud) != 0)
    muc_fail(svc, MUC_ERR_STORAGE);
  muc_log(svc, MUC_LOG_INFO, "room %s destroyed", room->jid);
  room->destroyed = 1;
}

/* ---- dispatch ------------------------------------------------------------ */

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
  else if (get && muc_xml_is(q, "ping", MUC_NS_PING))
    muc_send_free(svc, muc_iq_result(svc, st));
  else
    muc_refuse(svc, st, MUC_REFUSE_ROOM_IQ_UNKNOWN, room->jid);
}

static void route_clear(muc_service *svc, muc_iq_route *r)
{
  muc_mem_free(&svc->mem, r->id);
  muc_mem_free(&svc->mem, r->orig);
  muc_mem_free(&svc->mem, r->sender);
  muc_mem_free(&svc->mem, r->target);
  memset(r, 0, sizeof(*r));
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
  route_clear(svc, r);
  r->id = muc_mem_strdup(&svc->mem, id);
  r->orig = muc_mem_strdup(&svc->mem, muc_xml_attr(st, "id"));
  r->sender = muc_mem_strdup(&svc->mem, from->full);
  r->target = muc_mem_strdup(&svc->mem, target);
  if (!r->id || !r->orig || !r->sender || !r->target) {
    route_clear(svc, r);
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
      route_clear(svc, r);
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
