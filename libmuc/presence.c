#include "presence.h"

#include <string.h>

#include "bounce.h"
#include "entry.h"
#include "flood.h"
#include "hooks.h"
#include "nick_enforce.h"
#include "occupant.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"

static void probe(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const muc_jid *to, muc_occupant *prober)
{
  muc_service *svc = room->svc;
  if (!prober) {
    muc_refuse(svc, st, MUC_REFUSE_PROBE_NOT_OCCUPANT, room->jid);
    return;
  }
  muc_occupant *probed = muc_room_occupant_by_nick(room, to->resource);
  if (probed) {
    muc_pub p = {.recipient = prober};
    muc_presence_publicise(room, probed, &p);
    return;
  }
  /* an absent member with a reserved nick is shown as unavailable */
  const char *bare = muc_room_reserved_by(room, to->resource);
  if (!bare)
    return;
  int anon = muc_room_is_anonymous_for(room, from->full);
  mxml_node_t *pr = muc_stanza_new(svc, "presence", to->full, from->full,
                                   "unavailable", NULL);
  mxml_node_t *x = muc_el(svc, pr, "x", MUC_NS_USER);
  muc_presence_add_item(svc, x, muc_room_affiliation(room, bare), "none",
                        anon ? NULL : bare, to->resource, NULL, NULL, NULL);
  muc_send_free(svc, pr);
}

/* Presence types a room takes without an answer: old invisibility
 * (visible, invisible), and the types whose handling is a choice (probes
 * to the room itself, §17.3; departures of someone not there). */
static int is_ignored_type(const char *type)
{
  return strcmp(type, "visible") == 0 || strcmp(type, "invisible") == 0 ||
         strcmp(type, "probe") == 0 || strcmp(type, "unavailable") == 0 ||
         strcmp(type, "error") == 0;
}

/* The host's pre_join hook, on a join libmuc's own checks let in: 1 if
 * it refused (the error sent). */
static int host_refuses_join(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const char *nick,
                             const muc_occupant *dest)
{
  if (!room->svc->hooks)
    return 0;
  muc_affiliation aff = muc_room_affiliation(room, from->bare);
  muc_role role =
      dest ? dest->role
           : muc_default_role(aff, room->cfg.members_only, room->cfg.moderated);
  return muc_hook_refuse_join(room->svc, st, room->jid, from, nick, aff, role,
                              0);
}

void muc_presence_to_occupant(muc_room *room, const mxml_node_t *st,
                              const muc_jid *from, const muc_jid *to)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  if (type && strcmp(type, "error") == 0) {
    muc_bounce_received(room, st, from, to->resource);
    return;
  }
  muc_occupant *orig = muc_room_occupant_by_jid(room, from->full);
  if (type && strcmp(type, "probe") == 0) {
    probe(room, st, from, to, orig);
    return;
  }
  if (type && strcmp(type, "unavailable") != 0) {
    if (!is_ignored_type(type))
      muc_refuse(svc, st, MUC_REFUSE_PRESENCE_TYPE, room->jid);
    return;
  }
  if (type) { /* unavailable */
    if (orig)
      muc_op_leave(room, from, orig, st);
    return;
  }
  if (!orig) {
    if (!muc_xml_child(st, "x", MUC_NS_MUC)) {
      muc_refuse(svc, st, MUC_REFUSE_NOT_JOINED, room->jid);
      return;
    }
    /* enforce_reserved_nicks: the reserved nick instead (status 210) */
    char *mine = NULL;
    int assigned = muc_nick_assigned(room, from, to->resource, &mine);
    const char *nick = assigned > 0 ? mine : to->resource;
    muc_occupant *dest = muc_room_occupant_by_nick(room, nick);
    if (assigned >= 0 && !muc_entry_refuse_join(room, st, from, nick, dest) &&
        !host_refuses_join(room, st, from, nick, dest))
      muc_op_join(room, from, nick, st,
                  assigned > 0 || muc_nick_was_prepared(st, nick));
    muc_mem_free(&svc->mem, mine);
  } else if (muc_flood_refuse(room, st, orig, MUC_FLOOD_PRESENCE)) {
    /* a status or nick change too many: refused, nothing changes */
  } else if (strcmp(orig->nick, to->resource) == 0) {
    muc_op_update_presence(room, from, orig, st);
  } else {
    muc_occupant *dest = muc_room_occupant_by_nick(room, to->resource);
    if (!muc_nick_refuse_unreserved(room, st, from, to->resource) &&
        !muc_entry_refuse_nick_change(room, st, from, orig, to->resource, dest))
      muc_op_change_nick(room, from, orig, to->resource, st);
  }
}

void muc_presence_to_room(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const muc_jid *to)
{
  (void)to;
  muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  if (!occ) {
    /* a join needs a nickname (§7.2.1, Ex19); other types from someone
     * not in the room are answered as to an occupant JID */
    const char *type = muc_stanza_type(st);
    if (!type)
      muc_refuse(room->svc, st, MUC_REFUSE_JOIN_WITHOUT_NICK, room->jid);
    else if (!is_ignored_type(type))
      muc_refuse(room->svc, st, MUC_REFUSE_PRESENCE_TYPE, room->jid);
    return;
  }
  muc_jid at = {.node = NULL,
                .domain = NULL,
                .resource = occ->nick,
                .bare = room->jid,
                .full = occ->occ_jid};
  muc_presence_to_occupant(room, st, from, &at);
}
