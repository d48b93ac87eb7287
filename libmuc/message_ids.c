/* The ids on the messages a room passes on for its occupants.  The
 * occupant id was made when the occupant was (occupant.c), the stanza id
 * once per message: a broadcast serializes both once for every
 * recipient, and the history keeps them. */
#include "message_ids.h"

#include "archive.h"
#include "occupant.h"
#include "occupant_id.h"
#include "stanza.h"
#include "stanza_id.h"

int muc_message_id_forged(const muc_room *room, const mxml_node_t *c)
{
  return muc_occupant_id_is(c) || muc_stanza_id_claims(c, room->jid);
}

const char *muc_message_stanza_id(muc_room *room, char *buf, size_t size)
{
  /* an archiving room names every message (XEP-0313 §5.1.3) */
  if (!room->svc->cfg.stanza_id && !muc_archive_on(room))
    return NULL;
  muc_new_id(room->svc, buf, size);
  return buf;
}

int muc_message_has_ids(const muc_occupant *occ, const char *sid)
{
  return sid || *muc_occupant_id(occ);
}

void muc_message_ids_put(const muc_room *room, const muc_occupant *occ,
                         const char *sid, muc_buf *b)
{
  muc_buf_puts(b, muc_occupant_id(occ));
  if (sid)
    muc_stanza_id_put(b, sid, room->jid);
}

void muc_message_ids_add(muc_room *room, const muc_occupant *occ,
                         const char *sid, mxml_node_t *m)
{
  muc_occupant_id_attach(room->svc, m, occ);
  if (sid)
    muc_stanza_id_add(room->svc, m, sid, room->jid);
}
