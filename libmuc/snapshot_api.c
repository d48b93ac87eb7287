/* The entry points of live snapshots and the change feed's replica
 * (muc.h, "Live snapshots and the change feed"): the public face of
 * snapshot_room.c and feed_apply.c, at the service's level. */
#include "call.h"
#include "snapshot.h"

#include "tombstone.h"

int muc_service_snapshot_room(muc_service *svc, const char *room_jid,
                              muc_snapshot_fn write, void *user_data)
{
  if (!svc || !room_jid || !write)
    return MUC_ERR_INVALID_ARG;
  if (svc->fatal)
    return svc->fatal;
  muc_room *room = muc_service_find_room(svc, room_jid);
  const muc_tombstone *t = NULL;
  if ((!room || room->destroyed) && !(t = muc_tombstone_of_jid(svc, room_jid)))
    return MUC_ERR_NOT_FOUND;
  /* its own buffer: this may be called from a callback, mid-call */
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  int rc = t ? muc_snapshot_write_tombstone(svc, t, &b)
             : muc_snapshot_write(room, &b);
  if (rc == MUC_OK && write(b.data, b.len, user_data) != 0)
    rc = MUC_ERR_CALLBACK_FAILURE;
  muc_buf_free(&b);
  return rc;
}

int muc_service_restore_room(muc_service *svc, const char *data, size_t len)
{
  return muc_call_with_data(svc, MUC_CALL_RESTORE, data, len);
}

int muc_service_apply_event(muc_service *svc, const char *data, size_t len)
{
  /* a replica's own feed would number its rooms on, and the source's next
   * event would then look told already: refused rather than passed over */
  if (svc && !svc->fatal && svc->feed)
    return MUC_ERR_INVALID_ARG;
  return muc_call_with_data(svc, MUC_CALL_APPLY, data, len);
}
