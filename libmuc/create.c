#include "create.h"

#include <string.h>

#include "entry.h"
#include "limit.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"

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
  int locked = muc_xml_child(st, "x", MUC_NS_MUC) && svc->cfg.room_lock_new;
  muc_room *room = muc_op_create_room(svc, to->node, from->bare, locked);
  if (!room) {
    /* max_rooms: resource-constraint (RFC 6120 §8.3.3.18; limit.c) */
    if (svc->err == MUC_OK)
      muc_limit_refuse(svc, st, MUC_LIMIT_ROOMS, svc->domain);
    muc_mem_free(&svc->mem, pw);
    return NULL;
  }
  room->cfg.password = pw;
  if (muc_room_set_creator(room, from->bare) != MUC_OK) {
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
  muc_op_join_new_room(room, from, nick, st);
}
