#include "history.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "stanza.h"

static muc_history_entry *entry(const muc_room *room, size_t i)
{
  return &room->history[(room->hstart + i) % room->hcap];
}

const muc_history_entry *muc_history_entry_at(const muc_room *room, size_t i)
{
  return entry(room, i);
}

static void drop_oldest(muc_room *room)
{
  muc_history_entry *e = entry(room, 0);
  room->hbytes -= e->len;
  muc_mem_free(&room->svc->mem, e->text);
  e->text = NULL;
  room->hstart = (room->hstart + 1) % room->hcap;
  room->hcount--;
}

void muc_history_clear(muc_room *room)
{
  while (room->hcount)
    drop_oldest(room);
  room->hstart = 0;
}

/* The ring starts with this many entries and doubles up to the history
 * length: a room that is never spoken in holds no ring. */
#define HISTORY_FIRST 4

/* Move the newest |keep| <= hcount entries, oldest first, into a new ring
 * of |cap| >= keep entries; the others are dropped.  MUC_ERR_NOMEM leaves
 * the ring as it was. */
static int rebuild(muc_room *room, uint32_t cap, uint32_t keep)
{
  muc_service *svc = room->svc;
  muc_history_entry *h = NULL;
  if (cap && !(h = muc_mem_malloc(&svc->mem, (size_t)cap * sizeof(*h))))
    return MUC_ERR_NOMEM;
  while (room->hcount > keep)
    drop_oldest(room);
  for (uint32_t i = 0; i < room->hcount; i++)
    h[i] = *entry(room, i);
  muc_mem_free(&svc->mem, room->history);
  room->history = h;
  room->hcap = cap;
  room->hstart = 0;
  return MUC_OK;
}

int muc_history_resize(muc_room *room, size_t len)
{
  uint32_t max = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
  if (max < room->hcap) {
    uint32_t keep = room->hcount < max ? room->hcount : max;
    if (rebuild(room, keep, keep) != MUC_OK)
      return MUC_ERR_NOMEM;
  }
  room->hmax = max;
  return MUC_OK;
}

/* Room for one more entry before the oldest must go: the ring doubles,
 * up to the history length. */
static int grow(muc_room *room)
{
  if (room->hcount < room->hcap || room->hcap == room->hmax)
    return MUC_OK;
  uint32_t cap = room->hcap ? room->hcap * 2 : HISTORY_FIRST;
  if (cap > room->hmax || cap < room->hcap)
    cap = room->hmax;
  return rebuild(room, cap, room->hcount);
}

/* Characters (not bytes) of UTF-8 text: maxchars counts characters
 * (§7.2.14). */
size_t muc_history_chars(const char *s, size_t n)
{
  /* eight bytes at a time: a continuation byte is 10xxxxxx, so its top
   * bit is set and the next one clear */
  const uint64_t top = UINT64_C(0x8080808080808080);
  size_t cont = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t ones = (w & ~(w << 1) & top) >> 7; /* 0 or 1 a byte */
    cont += (size_t)((ones * UINT64_C(0x0101010101010101)) >> 56);
  }
  for (; i < n; i++)
    cont += ((unsigned char)s[i] & 0xC0) == 0x80;
  return n - cont;
}

/* |text| with the room's <delay/> (XEP-0203) as its last child, into
 * |b|: the end tag (or the "/>" of an empty message) makes room for it. */
static void with_delay(muc_room *room, muc_buf *b, const char *text, size_t len)
{
  static const char end[] = "</message>";
  size_t el = sizeof(end) - 1;
  int closed = len >= el && memcmp(text + len - el, end, el) == 0;
  muc_buf_append(b, text, closed ? len - el : len - 2);
  if (!closed)
    muc_buf_putc(b, '>');
  char stamp[32];
  muc_format_stamp(room->svc->now, stamp, sizeof(stamp));
  muc_buf_puts(b, "<delay xmlns=\"" MUC_NS_DELAY "\" from=\"");
  muc_buf_append_escaped(b, room->jid, strlen(room->jid), 1);
  muc_buf_puts(b, "\" stamp=\"");
  muc_buf_puts(b, stamp);
  muc_buf_puts(b, "\"/>");
  muc_buf_append(b, end, el);
}

/* Keep a copy of |text|/|len| (with its delay) stamped |ts| as the
 * newest entry, dropping the oldest to stay within the history length and
 * max_history_bytes.  1 if kept; 0 if larger than the whole byte budget
 * (the older history stays) or out of memory (recorded). */
static int keep(muc_room *room, const char *text, size_t len, uint64_t ts)
{
  muc_service *svc = room->svc;
  /* bounded in bytes too (max_history_bytes, 0: no bound): a message
   * larger than the whole budget is passed on but not kept, and the
   * older history stays; otherwise the oldest go first */
  size_t max = svc->cfg.max_history_bytes;
  if (max && len > max)
    return 0;
  char *t = muc_mem_malloc(&svc->mem, len + 1);
  if (!t) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return 0;
  }
  memcpy(t, text, len);
  t[len] = '\0';
  if (grow(room) != MUC_OK) {
    muc_mem_free(&svc->mem, t);
    muc_fail(svc, MUC_ERR_NOMEM);
    return 0;
  }
  while (room->hcount == room->hmax ||
         (max && room->hcount && room->hbytes + len > max))
    drop_oldest(room);
  muc_history_entry *e = entry(room, room->hcount);
  e->text = t;
  e->len = (uint32_t)len;
  e->chars = (uint32_t)muc_history_chars(t, len);
  e->ts = ts;
  room->hcount++;
  room->hbytes += e->len;
  muc_feed_count_history(room);
  return 1;
}

int muc_history_add(muc_room *room, const char *text, size_t len)
{
  muc_service *svc = room->svc;
  if (room->hmax == 0)
    return 0;
  /* written in the scratch buffer, kept in a block of its exact size */
  muc_buf *b = &svc->scratch;
  muc_buf_reset(b);
  with_delay(room, b, text, len);
  if (b->oom || b->len >= UINT32_MAX) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return 0;
  }
  return keep(room, b->data, b->len, svc->now);
}

int muc_history_restore(muc_room *room, const char *text, size_t len,
                        uint64_t ts)
{
  if (room->hcount == room->hmax || len >= UINT32_MAX)
    return 0;
  return keep(room, text, len, ts);
}

size_t muc_history_count(const muc_room *room)
{
  return room->hcount;
}

void muc_history_get(const muc_room *room, size_t i, const char **text,
                     size_t *len, uint64_t *ts)
{
  const muc_history_entry *e = entry(room, i);
  *text = e->text;
  *len = e->len;
  *ts = e->ts;
}

int muc_history_replace(muc_room *room, size_t i, const char *text, size_t len)
{
  muc_service *svc = room->svc;
  char *t = len < UINT32_MAX ? muc_mem_malloc(&svc->mem, len + 1) : NULL;
  if (!t) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  memcpy(t, text, len);
  t[len] = '\0';
  muc_history_entry *e = entry(room, i);
  room->hbytes = room->hbytes - e->len + len;
  muc_mem_free(&svc->mem, e->text);
  e->text = t;
  e->len = (uint32_t)len;
  e->chars = (uint32_t)muc_history_chars(t, len);
  /* not an entry kept at the end: the feed tells them all again */
  if (svc->feed)
    room->feed_appended = room->hcount;
  return MUC_OK;
}
