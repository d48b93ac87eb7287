/* The life of a room as operations (XEP-0045 §10.1, §10.9): created
 * with an owner, destroyed with every occupant sent away. */
#include "ops.h"

#include "hibernate.h"
#include "hooks.h"
#include "occupant.h"
#include "op_presence.h"
#include "op_store.h"
#include "room.h"
#include "roomlist.h"
#include "stanza.h"
#include "timer.h"
#include "tombstone.h"

muc_room *muc_op_create_room(muc_service *svc, const char *node,
                             const char *owner_bare, int locked)
{
  muc_hibernate_make_room(svc);       /* at max_rooms, evict one if it can */
  muc_tombstone_remove(svc, node, 1); /* made again (by a service admin) */
  muc_room *room = muc_room_new(svc, node);
  if (!room)
    return NULL;
  if (locked)
    muc_timer_set(svc, room, svc->now + svc->cfg.room_lock_timeout_ms);
  if (owner_bare && muc_room_put_affiliation(room, owner_bare, MUC_AFFIL_OWNER,
                                             0, 0, NULL, NULL) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL; /* the empty room is collected by the router */
  }
  muc_hook_created(room, owner_bare);
  return room;
}

/* Empty the room: every occupant leaves and receives its own unavailable
 * presence announced with |p| (statuses, <destroy/>). */
static void evict_all(muc_room *room, const muc_pub *p)
{
  /* everyone leaves first, then each is told: nobody is left to see the
   * others go, so each occupant receives only its own departure */
  muc_occupant *gone = NULL, **tail = &gone;
  while (room->first) {
    muc_occupant *o = room->first;
    o->role = MUC_ROLE_NONE;
    muc_room_save_occupant(room, o);
    muc_hook_left(room, o);
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

void muc_op_destroy(muc_room *room, const muc_actor *actor, const char *alt_jid,
                    const char *reason, const char *password, int tombstone)
{
  (void)actor; /* the occupants are not told who destroyed the room */
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
  evict_all(room, &p);
  muc_hook_destroyed(room, reason, alt_jid);
  mxmlDelete(d);
  if (tombstone && svc->cfg.tombstone_ms) {
    /* its record becomes the tombstone's (tombstone.c) */
    muc_fail(svc, muc_tombstone_put(svc, room->node,
                                    svc->now + svc->cfg.tombstone_ms, alt_jid,
                                    reason, 1));
  } else if (svc->cb.store_room && room->cfg.persistent &&
             svc->cb.store_room(room->jid, NULL, 0, svc->ud) != 0) {
    muc_fail(svc, MUC_ERR_STORAGE);
  }
  muc_log(svc, MUC_LOG_INFO, "room %s destroyed", room->jid);
  room->destroyed = 1;
  muc_roomlist_note(room);
}

void muc_op_shut_down(muc_room *room)
{
  muc_codes codes = {0};
  muc_codes_add(&codes, 332);
  muc_pub p = {.base = &codes};
  evict_all(room, &p);
  muc_room_save(room, 0);
}
