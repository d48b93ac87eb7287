/* Posting a groupchat message (XEP-0045 §7.4): to every occupant, and
 * into the history and the room's record. */
#include "ops.h"

#include "archive.h"
#include "feed.h"
#include "history.h"
#include "hooks.h"
#include "op_send.h"
#include "op_store.h"

void muc_op_post_message(muc_room *room, muc_wire *w, int historic,
                         const muc_post_origin *o)
{
  muc_service *svc = room->svc;
  muc_feed_touch_part(room, MUC_FEED_PART_HISTORY); /* the host may post */
  muc_room_broadcast_wire(room, w, MUC_ROLE_NONE);
  /* stored before the deliveries are handed out (queued until the end of
   * the call): what the clients see echoed is in the host's record */
  const char *text = muc_outq_text(&svc->outq, &w->t);
  if (historic && muc_history_add(room, text, w->t.len))
    muc_history_store_changed(room);
  muc_archive_post(room, text, w->t.len, historic, o);
}
