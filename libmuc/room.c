#include "room.h"

#include <string.h>

#include "feed.h"
#include "history.h"
#include "host_fields.h"
#include "index.h"
#include "jidcache.h"
#include "limit.h"
#include "lru.h"
#include "occupant.h"
#include "stanza.h"
#include "store.h"
#include "timer.h"

muc_room *muc_room_new(muc_service *svc, const char *node)
{
  /* max_rooms counts rooms still loading too: each holds memory and
   * queued stanzas (the callers answer resource-constraint, RFC 6120
   * §8.3.3.18; limit.c) */
  if (muc_limit_reached(svc, MUC_LIMIT_ROOMS, svc->nrooms))
    return NULL;
  /* one block: the struct, "node@domain", then "node": the service's
   * map compares its key (the node) just before the room's last fields
   * are read (the hibernation list's, core.h), so they share a line */
  size_t nl = strlen(node), dl = strlen(svc->domain);
  muc_room *room =
      muc_mem_calloc(&svc->mem, 1, sizeof(*room) + nl + dl + 2 + nl + 1);
  if (!room)
    goto nomem;
  room->svc = svc;
  room->jid = (char *)(room + 1);
  memcpy(room->jid, node, nl);
  room->jid[nl] = '@';
  memcpy(room->jid + nl + 1, svc->domain, dl + 1);
  room->node = room->jid + nl + dl + 2;
  memcpy(room->node, node, nl);
  room->node[nl] = 0;
  if (svc->absent_node && strcmp(svc->absent_node, node) == 0) {
    muc_mem_free(&svc->mem, svc->absent_node); /* it exists from now on */
    svc->absent_node = NULL;
  }
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
  c->archiving = d->room_archiving;
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
  muc_room_forget_creator(room);
  muc_timer_set(svc, room, 0);
  muc_lru_unlink(room);
  muc_host_fields_free(room);

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
    muc_room_route_clear(svc, &room->iqs[i]);
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
  muc_mem_free(&svc->mem, room); /* and its JID and node */
}

/* |bare| created |room|: count it, if rooms per creator are limited (the
 * configuration never changes, so without a limit no count is needed). */
int muc_room_set_creator(muc_room *room, const char *bare)
{
  muc_service *svc = room->svc;
  if (!svc->cfg.max_rooms_per_creator)
    return MUC_OK;
  muc_creator *c = muc_map_get(&svc->creators, bare);
  if (!c) {
    size_t n = strlen(bare);
    c = muc_mem_malloc(&svc->mem, sizeof(*c) + n + 1);
    if (!c)
      return MUC_ERR_NOMEM;
    c->rooms = 0;
    memcpy(c->jid, bare, n + 1);
    if (muc_map_put(&svc->mem, &svc->creators, c->jid, c) != MUC_OK) {
      muc_mem_free(&svc->mem, c);
      return MUC_ERR_NOMEM;
    }
  }
  c->rooms++;
  room->creator = c;
  return MUC_OK;
}

void muc_room_forget_creator(muc_room *room)
{
  muc_creator *c = room->creator;
  if (!c)
    return;
  room->creator = NULL;
  if (--c->rooms > 0)
    return;
  muc_service *svc = room->svc;
  muc_map_del(&svc->creators, c->jid);
  muc_map_shrink(&svc->mem, &svc->creators);
  muc_mem_free(&svc->mem, c);
}

void muc_room_route_clear(muc_service *svc, muc_iq_route *r)
{
  muc_mem_free(&svc->mem, r->id);
  muc_mem_free(&svc->mem, r->orig);
  muc_mem_free(&svc->mem, r->sender);
  muc_mem_free(&svc->mem, r->target);
  memset(r, 0, sizeof(*r));
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
  muc_feed_touch_affil(room, a ? a->jid : bare);
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
