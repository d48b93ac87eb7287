#include "op_store.h"

#include "stanza.h"
#include "store.h"

/* |for_history|: only the history changed since the last record (see
 * muc_store_write). */
static void save(muc_room *room, int forced, int for_history)
{
  muc_service *svc = room->svc;
  if (!svc->cb.store_room || room->loading || room->destroyed)
    return;
  if (!room->cfg.persistent) {
    if (forced && svc->cb.store_room(room->jid, NULL, 0, svc->ud) != 0)
      muc_fail(svc, MUC_ERR_STORAGE);
    return;
  }
  muc_buf_reset(&svc->scratch);
  if (muc_store_write(room, for_history, &svc->scratch) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (svc->cb.store_room(room->jid, svc->scratch.data, svc->scratch.len,
                         svc->ud) != 0) {
    muc_log(svc, MUC_LOG_ERROR, "storing room %s failed", room->jid);
    muc_fail(svc, MUC_ERR_STORAGE);
  }
}

void muc_room_save(muc_room *room, int forced)
{
  save(room, forced, 0);
}

void muc_room_save_history(muc_room *room)
{
  save(room, 0, 1);
}

void muc_history_store_changed(muc_room *room)
{
  if (room->svc->cfg.store_history)
    muc_room_save_history(room);
}
