/* Nicks the service assigns or modifies (§7.2.12, status 210: "the
 * service has assigned or modified the occupant's roomnick"): reserved
 * nicks enforced (muc_config.enforce_reserved_nicks), where a user with a
 * reserved nick (§7.10) enters under it whatever nick the join asked for
 * and a nick change (§7.6) away from it is not-acceptable (someone else
 * asking for the reserved nick still gets conflict, entry.c); and a nick
 * that Resourceprep changed (the join's 'to' as sent is not the occupant
 * JID the room answers from). */
#include "nick_enforce.h"

#include <string.h>

#include "refusal.h"
#include "room.h"

/* The reserved nick of |from| when it is enforced, or NULL. */
static const char *enforced(const muc_room *room, const muc_jid *from)
{
  if (!room->svc->cfg.enforce_reserved_nicks)
    return NULL;
  return muc_room_registered_nick(room, from->bare);
}

int muc_nick_assigned(muc_room *room, const muc_jid *from, const char *asked,
                      char **out)
{
  *out = NULL;
  const char *mine = enforced(room, from);
  if (!mine || strcmp(mine, asked) == 0)
    return 0;
  /* a copy: a hook on the way in may change the affiliations */
  *out = muc_mem_strdup(&room->svc->mem, mine);
  if (*out)
    return 1;
  muc_fail(room->svc, MUC_ERR_NOMEM);
  return -1;
}

int muc_nick_was_prepared(const mxml_node_t *st, const char *nick)
{
  /* a server usually prepares the address before the room sees it; a
   * 'to' that reached the room unprepared is compared here */
  const char *to = muc_xml_attr(st, "to");
  const char *slash = to ? strchr(to, '/') : NULL;
  return slash && strcmp(slash + 1, nick) != 0;
}

int muc_nick_refuse_unreserved(muc_room *room, const mxml_node_t *st,
                               const muc_jid *from, const char *nick)
{
  const char *mine = enforced(room, from);
  if (!mine || strcmp(mine, nick) == 0)
    return 0;
  muc_refuse(room->svc, st, MUC_REFUSE_NICK_ENFORCED, room->jid);
  return 1;
}
