/* The change feed's events (docs/feed.md): the frame around each body,
 * numbered per room, handed to the host's callback. */
#include "feed.h"

#include "call.h"
#include "feed_state.h"
#include "snapshot.h"

uint64_t muc_feed_hash(const char *s, size_t n)
{
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
  return h;
}

void muc_feed_ev_start(muc_feed *f, const char *jid, uint64_t seq,
                       unsigned kind)
{
  muc_buf_reset(&f->ev);
  muc_buf_append(&f->ev, MUC_FEED_MAGIC, 4);
  muc_snap_put_u32(&f->ev, MUC_FEED_FORMAT);
  muc_snap_put_str(&f->ev, jid);
  muc_snap_put_u64(&f->ev, seq);
  muc_snap_put_u8(&f->ev, kind);
}

void muc_feed_ev_send(muc_service *svc, const char *jid, uint64_t seq)
{
  muc_feed *f = svc->feed;
  muc_snap_put_u32(&f->ev, muc_snap_crc(0, f->ev.data, f->ev.len));
  if (f->ev.oom) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  f->fn(jid, seq, f->ev.data, f->ev.len, f->ud);
}

void muc_feed_emit(muc_room *room, unsigned kind, const char *body, size_t len)
{
  muc_feed *f = room->svc->feed;
  uint64_t seq = ++room->feed_seq;
  muc_feed_ev_start(f, room->jid, seq, kind);
  muc_buf_append(&f->ev, body, len);
  muc_feed_ev_send(room->svc, room->jid, seq);
}

void muc_feed_emit_str(muc_room *room, unsigned kind, const char *s)
{
  muc_feed *f = room->svc->feed;
  uint64_t seq = ++room->feed_seq;
  muc_feed_ev_start(f, room->jid, seq, kind);
  muc_snap_put_str(&f->ev, s);
  muc_feed_ev_send(room->svc, room->jid, seq);
}
