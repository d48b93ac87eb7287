/* Writing a live snapshot of a room (docs/snapshot.md). */
#include <limits.h>
#include <string.h>
#include <zlib.h>

#include "history.h"
#include "host_fields.h"
#include "snapshot.h"

void muc_snap_put_u8(muc_buf *b, unsigned v)
{
  muc_buf_putc(b, (char)(unsigned char)v);
}

void muc_snap_put_u32(muc_buf *b, uint32_t v)
{
  char w[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
  muc_buf_append(b, w, 4);
}

void muc_snap_put_u64(muc_buf *b, uint64_t v)
{
  muc_snap_put_u32(b, (uint32_t)(v >> 32));
  muc_snap_put_u32(b, (uint32_t)v);
}

void muc_snap_put_bytes(muc_buf *b, const char *s, size_t n)
{
  if (n > UINT32_MAX) {
    b->oom = 1; /* no part of a room is this large (max_stanza_bytes) */
    return;
  }
  muc_snap_put_u32(b, (uint32_t)n);
  muc_buf_append(b, s, n);
}

void muc_snap_put_str(muc_buf *b, const char *s)
{
  muc_snap_put_bytes(b, s, strlen(s));
}

void muc_snap_put_opt(muc_buf *b, const char *s)
{
  muc_snap_put_u8(b, s != NULL);
  if (s)
    muc_snap_put_str(b, s);
}

size_t muc_snap_begin(muc_buf *b, unsigned tag)
{
  muc_snap_put_u8(b, tag);
  size_t at = b->len;
  muc_snap_put_u32(b, 0);
  return at;
}

void muc_snap_end(muc_buf *b, size_t at)
{
  if (b->oom)
    return;
  size_t n = b->len - at - 4;
  unsigned char *p = (unsigned char *)b->data + at;
  p[0] = (unsigned char)(n >> 24);
  p[1] = (unsigned char)(n >> 16);
  p[2] = (unsigned char)(n >> 8);
  p[3] = (unsigned char)n;
}

uint32_t muc_snap_crc(uint32_t crc, const char *s, size_t n)
{
  /* zlib's CRC-32 (IEEE 802.3); it takes at most UINT_MAX bytes a call */
  while (n) {
    uInt chunk = n > UINT_MAX ? UINT_MAX : (uInt)n;
    crc = (uint32_t)crc32((uLong)crc, (const Bytef *)s, chunk);
    s += chunk;
    n -= chunk;
  }
  return crc;
}

/* ---- the sections ---------------------------------------------------------
 */

void muc_snap_put_room(muc_buf *b, const muc_room *room)
{
  const muc_room_config *k = &room->cfg;
  const int flags[] = {
      k->persistent,           k->public_room, k->members_only,
      k->allow_member_invites, k->moderated,   k->allow_invites,
      k->change_subject,       k->allow_modpm, k->logging};
  muc_snap_put_str(b, room->jid);
  muc_snap_put_u64(b, room->feed_seq);
  muc_snap_put_u64(b, room->svc->idc);
  muc_snap_put_u64(b, room->locked_until);
  muc_snap_put_opt(b, room->creator ? room->creator->jid : NULL);
  muc_snap_put_opt(b, k->name);
  muc_snap_put_opt(b, k->desc);
  muc_snap_put_opt(b, k->password);
  muc_snap_put_opt(b, k->lang);
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
    muc_snap_put_u8(b, flags[i] != 0);
  muc_snap_put_u8(b, (unsigned)k->whois);
  muc_snap_put_u8(b, (unsigned)k->allow_pm);
  muc_snap_put_u32(b, k->presence_broadcast);
  muc_snap_put_u32(b, k->history_length);
  muc_snap_put_u32(b, k->max_users);
  muc_snap_put_u32(b, k->get_member_list);
  muc_snap_put_opt(b, room->subject);
  muc_snap_put_opt(b, room->subject_from);
  muc_snap_put_u64(b, room->subject_time);
  /* after the fields of version 2's first readers: one that finds no
   * more bytes keeps the service's default (docs/snapshot.md) */
  muc_snap_put_u8(b, k->archiving != 0);
}

void muc_snap_put_affil(muc_buf *b, const muc_affil *a)
{
  muc_snap_put_str(b, a->jid);
  muc_snap_put_u8(b, (unsigned)(a->aff + 1)); /* outcast (-1) is 0 */
  muc_snap_put_opt(b, a->nick);
  muc_snap_put_opt(b, a->reason);
}

void muc_snap_put_occupant(muc_buf *b, const muc_occupant *o)
{
  uint32_t n = 0, primary = UINT32_MAX;
  for (const muc_session *s = o->sessions; s; s = s->next, n++)
    if (s == o->primary)
      primary = n;
  muc_snap_put_str(b, o->nick);
  muc_snap_put_u8(b, (unsigned)o->role);
  muc_snap_put_u32(b, n);
  muc_snap_put_u32(b, primary);
  for (const muc_session *s = o->sessions; s; s = s->next) {
    muc_snap_put_str(b, s->jid);
    muc_snap_put_u8(b, (s->own_from ? 1u : 0u) | (s->available ? 2u : 0u));
    muc_snap_put_u32(b, s->head);
    muc_snap_put_bytes(b, s->pres ? s->pres : "", (size_t)s->head + s->body);
  }
}

void muc_snap_put_history(muc_buf *b, const muc_room *room, size_t i)
{
  const char *text;
  size_t len;
  uint64_t ts;
  muc_history_get(room, i, &text, &len, &ts);
  muc_snap_put_u64(b, ts);
  muc_snap_put_bytes(b, text, len);
}

int muc_snap_has_iqs(const muc_room *room)
{
  for (size_t i = 0; room->iqs && i < MUC_MAX_PENDING_IQ; i++)
    if (room->iqs[i].id)
      return 1;
  return 0;
}

void muc_snap_put_iqs(muc_buf *b, const muc_room *room)
{
  uint32_t n = 0;
  for (size_t i = 0; room->iqs && i < MUC_MAX_PENDING_IQ; i++)
    n += room->iqs[i].id != NULL;
  muc_snap_put_u32(b, (uint32_t)room->iq_next);
  muc_snap_put_u32(b, n);
  for (uint32_t i = 0; n && i < MUC_MAX_PENDING_IQ; i++) {
    const muc_iq_route *r = &room->iqs[i];
    if (!r->id)
      continue;
    muc_snap_put_u32(b, i);
    muc_snap_put_str(b, r->id);
    muc_snap_put_str(b, r->orig);
    muc_snap_put_str(b, r->sender);
    muc_snap_put_str(b, r->target);
  }
}

void muc_snap_put_hostfield(muc_buf *b, const muc_hook_field *f)
{
  muc_snap_put_str(b, f->var);
  muc_snap_put_u32(b, (uint32_t)f->nvalues);
  for (size_t i = 0; i < f->nvalues; i++)
    muc_snap_put_str(b, f->values[i]);
}

/* the fields are read from the struct, not through host_fields.c, which
 * tells the feed (feed.c writes with these: no cycle) */
void muc_snap_put_hostfields(muc_buf *b, const muc_room *room)
{
  const muc_host_fields *hf = room->host_fields;
  muc_snap_put_u32(b, hf ? (uint32_t)hf->n : 0);
  for (size_t i = 0; hf && i < hf->n; i++)
    muc_snap_put_hostfield(b, &hf->f[i]);
}

int muc_snapshot_write(const muc_room *room, muc_buf *b)
{
  size_t start = b->len;
  muc_buf_append(b, MUC_SNAP_MAGIC, 4);
  muc_snap_put_u32(b, MUC_SNAP_VERSION);
  size_t at = muc_snap_begin(b, MUC_SNAP_ROOM);
  muc_snap_put_room(b, room);
  muc_snap_end(b, at);
  for (const muc_affil *a = room->afirst; a; a = a->next) {
    at = muc_snap_begin(b, MUC_SNAP_AFFIL);
    muc_snap_put_affil(b, a);
    muc_snap_end(b, at);
  }
  for (const muc_occupant *o = room->first; o; o = o->next) {
    at = muc_snap_begin(b, MUC_SNAP_OCCUPANT);
    muc_snap_put_occupant(b, o);
    muc_snap_end(b, at);
  }
  for (size_t i = 0, n = muc_history_count(room); i < n; i++) {
    at = muc_snap_begin(b, MUC_SNAP_HISTORY);
    muc_snap_put_history(b, room, i);
    muc_snap_end(b, at);
  }
  if (muc_snap_has_iqs(room)) {
    at = muc_snap_begin(b, MUC_SNAP_IQS);
    muc_snap_put_iqs(b, room);
    muc_snap_end(b, at);
  }
  const muc_host_fields *hf = room->host_fields;
  for (size_t i = 0; hf && i < hf->n; i++) {
    at = muc_snap_begin(b, MUC_SNAP_HOSTFIELD);
    muc_snap_put_hostfield(b, &hf->f[i]);
    muc_snap_end(b, at);
  }
  if (b->oom)
    return MUC_ERR_NOMEM;
  muc_snap_put_u32(b, muc_snap_crc(0, b->data + start, b->len - start));
  return b->oom ? MUC_ERR_NOMEM : MUC_OK;
}
