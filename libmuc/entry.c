#include "entry.h"

#include <string.h>

#include "limit.h"
#include "occupant.h"
#include "refusal.h"
#include "room.h"
#include "room_permit.h"
#include "stanza.h"

static int has_visible_char(const char *s)
{
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
      return 1;
  return 0;
}

int muc_entry_refuse_nick(muc_service *svc, const mxml_node_t *st,
                          const char *nick, const char *by)
{
  char *strict = NULL;
  int rc = muc_nick_prep(&svc->mem, nick, 1, svc->cfg.max_nick_bytes, &strict);
  muc_mem_free(&svc->mem, strict);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return 1;
  }
  if (rc == MUC_ERR_LIMIT) {
    /* max_nick_bytes: not-acceptable (§7.2.17, RFC 6120 §8.3.3.9;
     * limit.c) */
    muc_limit_refuse(svc, st, MUC_LIMIT_NICK, by);
    return 1;
  }
  if (rc != MUC_OK) {
    muc_refuse(svc, st, MUC_REFUSE_NICK_MALFORMED, by);
    return 1;
  }
  if (!has_visible_char(nick)) {
    muc_refuse(svc, st, MUC_REFUSE_NICK_INVISIBLE, by);
    return 1;
  }
  return 0;
}

/* The nick is reserved by someone else (|dest| NULL), or used by another
 * user (§7.2.8, §7.6). */
static int refuse_taken(muc_room *room, const mxml_node_t *st,
                        const muc_jid *from, const char *nick,
                        const muc_occupant *dest)
{
  const char *owner = dest ? dest->bare_jid : muc_room_reserved_by(room, nick);
  if (owner && strcmp(owner, from->bare) != 0) {
    muc_refuse(room->svc, st, MUC_REFUSE_NICK_CONFLICT, room->jid);
    return 1;
  }
  return 0;
}

/* The presence names another password than the room's (§7.2.5); a
 * presence without the MUC <x/> (an old client, §7.2.1 note) is not
 * asked for one.  Out of memory counts as a wrong password (recorded). */
static int bad_password(muc_room *room, const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  mxml_node_t *mx = muc_xml_child(st, "x", MUC_NS_MUC);
  if (!room->cfg.password || !mx)
    return 0;
  char *pw = muc_child_text(svc, mx, "password", MUC_NS_MUC);
  int ok = pw && strcmp(pw, room->cfg.password) == 0;
  muc_mem_free(&svc->mem, pw);
  return !ok;
}

/* The permission table on |action| (entering, or a nick change) by the
 * user |from|, who becomes a |new_occupant| or not: members-only
 * (§7.2.6), banned (§7.2.7), password (§7.2.5), locked (§7.2.10), the
 * room's own maximum (§7.2.9, which stops users, not its admins and
 * owners).  Then max_occupants_per_room, the service's limit, which stops
 * everyone (the "reasonable number of additional occupants" §7.2.9
 * allows).  Both maximums answer service-unavailable, wait (limit.c). */
static int refuse_access(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from, muc_action action,
                         int new_occupant)
{
  muc_permit_case c = {.action = action,
                       .facts = muc_room_facts(room),
                       .actor_aff = muc_room_affiliation(room, from->bare)};
  size_t cap = room->cfg.max_users;
  if (new_occupant && cap && room->noccupants >= cap)
    c.facts |= MUC_FACT_FULL;
  if (action == MUC_ACT_ENTER) {
    if (bad_password(room, st))
      c.facts |= MUC_FACT_BAD_PASSWORD;
    if (muc_room_is_locked(room))
      c.facts |= MUC_FACT_LOCKED;
  }
  if (muc_room_permit(room, st, &c) != MUC_PERMIT_ALLOW)
    return 1;
  if (!new_occupant ||
      !muc_limit_reached(room->svc, MUC_LIMIT_OCCUPANTS, room->noccupants))
    return 0;
  muc_limit_refuse(room->svc, st, MUC_LIMIT_OCCUPANTS, room->jid);
  return 1;
}

/* One more session for the user |dest| (several resources of a user may
 * share its nick): past max_sessions_per_occupant, resource-constraint,
 * wait (RFC 6120 §8.3.3.18; limit.c). */
static int refuse_session(muc_room *room, const mxml_node_t *st,
                          const muc_occupant *dest)
{
  if (!muc_limit_reached(room->svc, MUC_LIMIT_SESSIONS,
                         muc_occupant_live_sessions(dest)))
    return 0;
  muc_limit_refuse(room->svc, st, MUC_LIMIT_SESSIONS, room->jid);
  return 1;
}

/* The checks of a session arriving under |nick|, by a join or a nick
 * change (|action|); |dest| is the occupant that already has the nick,
 * if any; |new_occupant| when the arrival makes an occupant. */
static int refuse_arrival(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const char *nick,
                          const muc_occupant *dest, muc_action action,
                          int new_occupant)
{
  if (muc_entry_refuse_nick(room->svc, st, nick, room->jid) ||
      refuse_taken(room, st, from, nick, NULL) ||
      refuse_access(room, st, from, action, new_occupant))
    return 1;
  return dest && (refuse_taken(room, st, from, nick, dest) ||
                  refuse_session(room, st, dest));
}

int muc_entry_refuse_join(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const char *nick,
                          const muc_occupant *dest)
{
  return refuse_arrival(room, st, from, nick, dest, MUC_ACT_ENTER, !dest);
}

int muc_entry_refuse_nick_change(muc_room *room, const mxml_node_t *st,
                                 const muc_jid *from, const muc_occupant *orig,
                                 const char *nick, const muc_occupant *dest)
{
  /* a session leaving others behind makes a new occupant */
  int new_occupant = !dest && muc_occupant_live_sessions(orig) > 1;
  return refuse_arrival(room, st, from, nick, dest, MUC_ACT_CHANGE_NICK,
                        new_occupant);
}
