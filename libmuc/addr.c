/* Exact-bytes look-ups of the addresses a service knows (addr.h).  Why it
 * is correct: a stored address A (a session's real JID, a room's JID, an
 * occupant's JID) is the output of preparation, and its flag says that
 * preparing A gives A again (checked once, when it was stored).  A raw
 * string equal to A byte for byte therefore prepares to A, and splitting
 * it gives the same parts as preparing it. */
#include "addr.h"

#include <string.h>

#include "jidcache.h"
#include "occupant.h"

/* |raw| was just prepared into |j|: if it came prepared, remember it, so
 * that the session or occupant it makes need not prepare it again. */
static void remember(muc_service *svc, const char *raw, const muc_jid *j)
{
  size_t n = strlen(raw);
  if (n >= MUC_ADDR_PROVEN_MAX || strcmp(raw, j->full) != 0)
    return;
  memcpy(svc->proven[svc->proven_next], raw, n + 1);
  svc->proven_next = (svc->proven_next + 1) % MUC_ADDR_PROVEN;
}

/* The room |ta| names when its node and domain are byte for byte a
 * room's key and the service's domain; *|res| is then what follows the
 * first '/', or NULL. */
static muc_room *room_by_bytes(const muc_service *svc, const char *ta,
                               const char **res)
{
  if (!ta)
    return NULL; /* to the service: no room */
  const char *slash = strchr(ta, '/');
  size_t bare = slash ? (size_t)(slash - ta) : strlen(ta);
  const char *at = memchr(ta, '@', bare);
  if (!at)
    return NULL;
  size_t nl = (size_t)(at - ta), dl = bare - nl - 1;
  if (nl == 0 || nl > MUC_JID_PART_MAX || strncmp(at + 1, svc->domain, dl) ||
      svc->domain[dl] != '\0')
    return NULL;
  char node[MUC_JID_PART_MAX + 1];
  memcpy(node, ta, nl);
  node[nl] = '\0';
  *res = slash ? slash + 1 : NULL;
  /* the first look at the room for this stanza: what follows reads all
   * of the struct */
  return muc_map_get_warm(&svc->rooms, node, sizeof(muc_room));
}

muc_session *muc_addr_known_sender(const muc_service *svc, const char *fa,
                                   const char *ta)
{
  const char *res;
  muc_room *room = room_by_bytes(svc, ta, &res);
  muc_occupant *occ = room ? muc_room_occupant_by_jid(room, fa) : NULL;
  muc_session *s = occ ? muc_occupant_session(occ, fa) : NULL;
  return s && s->canonical ? s : NULL;
}

int muc_addr_known_target(const muc_service *svc, const char *ta)
{
  const char *res;
  muc_room *room = room_by_bytes(svc, ta, &res);
  if (!room)
    return 0;
  if (!res)
    return room->canonical; /* |ta| is the room's JID */
  muc_occupant *occ = muc_room_occupant_by_nick(room, res);
  return occ && occ->canonical; /* |ta| is the occupant's JID */
}

static int is_ascii(const char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80)
      return 0;
  return 1;
}

/* An address not known: ASCII is prepared at once (jidprep_ascii.c makes
 * that as cheap as the cache); the rest goes through the service's cache
 * of prepared JIDs, which saves libidn for the senders that come back. */
static int prepare(muc_service *svc, const char *raw, muc_jid *out)
{
  int rc = is_ascii(raw) ? muc_jid_parse(&svc->mem, raw, out)
                         : muc_jidcache_parse(svc, raw, out);
  if (rc == MUC_OK)
    remember(svc, raw, out);
  return rc;
}

int muc_addr_parse_from(muc_service *svc, const char *fa, const char *ta,
                        muc_jid *out)
{
  return muc_addr_parse_from_in(svc, fa, ta, NULL, out);
}

int muc_addr_parse_to(muc_service *svc, const char *ta, muc_jid *out)
{
  return muc_addr_parse_to_in(svc, ta, NULL, out);
}

int muc_addr_parse_from_in(muc_service *svc, const char *fa, const char *ta,
                           muc_jid_room *room, muc_jid *out)
{
  if (muc_addr_known_sender(svc, fa, ta))
    return muc_jid_from_canonical_in(&svc->mem, fa, room, out);
  return prepare(svc, fa, out);
}

int muc_addr_parse_to_in(muc_service *svc, const char *ta, muc_jid_room *room,
                         muc_jid *out)
{
  if (muc_addr_known_target(svc, ta))
    return muc_jid_from_canonical_in(&svc->mem, ta, room, out);
  /* a known room and a nick not in it (a join): only the nick is new */
  const char *res;
  const muc_room *r = room_by_bytes(svc, ta, &res);
  if (!r || !r->canonical || !res)
    return prepare(svc, ta, out);
  int rc = muc_jid_parse_after_bare(&svc->mem, ta, (size_t)(res - 1 - ta), room,
                                    out);
  if (rc == MUC_OK)
    remember(svc, ta, out);
  return rc;
}
