#include "create.h"

#include <string.h>

#include "entry.h"
#include "limit.h"
#include "occupant.h"
#include "presence.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"
#include "timer.h"

/* |bare| created |room|: count it, if rooms per creator are limited (the
 * configuration never changes, so without a limit no count is needed). */
int muc_create_count(muc_room *room, const char *bare)
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

void muc_create_forget(muc_room *room)
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

/* May |from| create the room |to|?  Service admins always may (muc.h:
 * whatever may_create_room and the per-creator limit say).  Returns 1 if
 * refused (error sent). */
static int refuse_creator(muc_service *svc, const mxml_node_t *st,
                          const muc_jid *from, const muc_jid *to)
{
  if (muc_is_service_admin(svc, from->bare))
    return 0;
  if (svc->cb.may_create_room &&
      !muc_policy_yes(svc,
                      svc->cb.may_create_room(from->full, to->bare, svc->ud))) {
    /* §7.2.17: "room creation is restricted" */
    muc_refuse(svc, st, MUC_REFUSE_CREATE_RESTRICTED, svc->domain);
    return 1;
  }
  const muc_creator *c = muc_map_get(&svc->creators, from->bare);
  if (c && muc_limit_reached(svc, MUC_LIMIT_ROOMS_PER_CREATOR, c->rooms)) {
    /* max_rooms_per_creator: resource-constraint (XEP-0045
     * §14.6, RFC 6120 §8.3.3.18; limit.c) */
    muc_limit_refuse(svc, st, MUC_LIMIT_ROOMS_PER_CREATOR, svc->domain);
    return 1;
  }
  return 0;
}

/* The password the join |st| gives the new room |to| into *|out| (NULL:
 * none).  Returns 1 if it is too long (error sent) or out of memory. */
static int initial_password(muc_service *svc, const mxml_node_t *st,
                            const muc_jid *to, char **out)
{
  *out = NULL;
  mxml_node_t *mx = muc_xml_child(st, "x", MUC_NS_MUC);
  if (!mx || !muc_xml_child(mx, "password", MUC_NS_MUC))
    return 0;
  char *pw = muc_child_text(svc, mx, "password", MUC_NS_MUC);
  if (!pw)
    return 1; /* out of memory, recorded */
  /* max_password_bytes: not-acceptable, as for the same value in the
   * configuration form (§10.1.3, RFC 6120 §8.3.3.9; limit.c) */
  int refused =
      muc_limit_refuse_text(svc, st, MUC_LIMIT_PASSWORD, pw, to->bare);
  if (refused || !*pw) {
    muc_mem_free(&svc->mem, pw);
    return refused;
  }
  *out = pw;
  return 0;
}

/* A new room |to| with |from| as its owner; NULL if refused or out of
 * memory. */
static muc_room *new_room(muc_service *svc, const mxml_node_t *st,
                          const muc_jid *from, const muc_jid *to)
{
  char *pw;
  if (initial_password(svc, st, to, &pw))
    return NULL;
  muc_room *room = muc_room_new(svc, to->node);
  if (!room) {
    /* max_rooms: resource-constraint (RFC 6120 §8.3.3.18; limit.c) */
    if (svc->err == MUC_OK)
      muc_limit_refuse(svc, st, MUC_LIMIT_ROOMS, svc->domain);
    muc_mem_free(&svc->mem, pw);
    return NULL;
  }
  room->cfg.password = pw;
  if (muc_xml_child(st, "x", MUC_NS_MUC) && svc->cfg.room_lock_new)
    muc_timer_set(svc, room, svc->now + svc->cfg.room_lock_timeout_ms);
  if (muc_create_count(room, from->bare) != MUC_OK ||
      muc_room_put_affiliation(room, from->bare, MUC_AFFIL_OWNER, 0, 0, NULL,
                               NULL) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL; /* the empty room is collected by the router */
  }
  return room;
}

void muc_create_room(muc_service *svc, const mxml_node_t *st,
                     const muc_jid *from, const muc_jid *to)
{
  const char *nick = to->resource;
  if (refuse_creator(svc, st, from, to) ||
      muc_entry_refuse_nick(svc, st, nick, to->bare))
    return;
  muc_room *room = new_room(svc, st, from, to);
  if (!room)
    return;
  muc_occupant *dest = muc_occupant_new(room, nick, from->full);
  if (!dest)
    return;
  dest->role = MUC_ROLE_MODERATOR;
  if (muc_occupant_set_session(room, dest, from->full, st) != MUC_OK ||
      !muc_room_save_occupant(room, dest)) {
    muc_presence_release(room, dest);
    return;
  }
  muc_codes codes = {0};
  muc_codes_add(&codes, 201);
  if (room->cfg.whois == MUC_WHOIS_ANYONE)
    muc_codes_add(&codes, 100);
  if (room->cfg.logging)
    muc_codes_add(&codes, 170);
  muc_pub p = {.base = &codes};
  muc_presence_publicise(room, dest, &p);
  muc_presence_send_room_state(room, st, from->full);
  muc_room_save(room, 0);
}
