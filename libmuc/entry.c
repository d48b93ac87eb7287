#include "entry.h"

#include <string.h>

#include "limit.h"
#include "occupant.h"
#include "refusal.h"
#include "room.h"
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

/* Members-only (§7.2.6), banned (§7.2.7), password (§7.2.5), locked
 * (§7.2.10). */
static int refuse_access(muc_room *room, const mxml_node_t *st,
                         muc_affiliation aff)
{
  muc_service *svc = room->svc;
  if (room->cfg.members_only && aff == MUC_AFFIL_NONE) {
    muc_refuse(svc, st, MUC_REFUSE_MEMBERS_ONLY, room->jid);
    return 1;
  }
  if (aff == MUC_AFFIL_OUTCAST) {
    muc_refuse(svc, st, MUC_REFUSE_BANNED, room->jid);
    return 1;
  }
  mxml_node_t *mx = muc_xml_child(st, "x", MUC_NS_MUC);
  if (room->cfg.password && mx) {
    char *pw = muc_child_text(svc, mx, "password", MUC_NS_MUC);
    int ok = pw && strcmp(pw, room->cfg.password) == 0;
    muc_mem_free(&svc->mem, pw);
    if (!ok) {
      muc_refuse(svc, st, MUC_REFUSE_PASSWORD, room->jid);
      return 1;
    }
  }
  if (muc_room_is_locked(room)) {
    /* §7.2.10 names the room as the generator of the error */
    muc_refuse(svc, st, MUC_REFUSE_LOCKED, room->jid);
    return 1;
  }
  return 0;
}

/* A new occupant.  The room's own maximum (§7.2.9) stops users but not
 * its admins and owners, whom the room "MUST allow ... to join, up to some
 * reasonable number of additional occupants": max_occupants_per_room is
 * that number, and stops everyone.  Both answer service-unavailable, wait
 * (limit.c). */
static int refuse_full(muc_room *room, const mxml_node_t *st,
                       muc_affiliation aff)
{
  size_t cap = room->cfg.max_users;
  int full = aff < MUC_AFFIL_ADMIN && cap && room->noccupants >= cap;
  if (!full &&
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

int muc_entry_refuse_join(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const char *nick,
                          const muc_occupant *dest)
{
  if (muc_entry_refuse_nick(room->svc, st, nick, room->jid))
    return 1;
  if (refuse_taken(room, st, from, nick, NULL))
    return 1;
  muc_affiliation aff = muc_room_affiliation(room, from->bare);
  if (refuse_access(room, st, aff))
    return 1;
  if (!dest)
    return refuse_full(room, st, aff);
  return refuse_taken(room, st, from, nick, dest) ||
         refuse_session(room, st, dest);
}

int muc_entry_refuse_nick_change(muc_room *room, const mxml_node_t *st,
                                 const muc_jid *from, const muc_occupant *orig,
                                 const char *nick, const muc_occupant *dest)
{
  if (muc_entry_refuse_nick(room->svc, st, nick, room->jid) ||
      refuse_taken(room, st, from, nick, NULL))
    return 1;
  if (dest)
    return refuse_taken(room, st, from, nick, dest) ||
           refuse_session(room, st, dest);
  /* a session leaving others behind makes a new occupant */
  if (muc_occupant_live_sessions(orig) > 1)
    return refuse_full(room, st, muc_room_affiliation(room, from->bare));
  return 0;
}
