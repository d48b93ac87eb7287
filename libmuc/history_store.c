#include "history_store.h"

#include <string.h>

#include "history.h"
#include "limit.h"
#include "stanza.h"
#include "store.h"

/* ---- writing ------------------------------------------------------------ */

/* Each entry is the text the room keeps, escaped as character data, so
 * that it comes back byte for byte: no tree is built, and the bytes a
 * newcomer gets after a restart are those it would have got before. */
void muc_history_store_write(const muc_room *room, muc_buf *out)
{
  size_t n = muc_history_count(room);
  if (!room->svc->cfg.store_history || n == 0)
    return;
  muc_buf_puts(out, "<history>");
  for (size_t i = 0; i < n; i++) {
    const char *text;
    size_t len;
    uint64_t ts;
    muc_history_get(room, i, &text, &len, &ts);
    muc_buf_puts(out, "<entry time=\"");
    muc_buf_put_u64(out, ts);
    muc_buf_puts(out, "\">");
    muc_buf_append_escaped(out, text, len, 0);
    muc_buf_puts(out, "</entry>");
  }
  muc_buf_puts(out, "</history>");
}

/* ---- reading ------------------------------------------------------------ */

/* Is the start tag of |t| (well-formed XML) "<message", then attributes
 * each after a space, in double quotes, with '<' and '>' escaped in
 * values (as the room writes them), then '>'?  The first '>' must end the
 * start tag: that is where each recipient's 'to' is spliced in
 * (muc_wire_splice_point). */
static int plain_start_tag(const char *t, size_t len)
{
  static const char start[] = "<message";
  size_t i = sizeof(start) - 1;
  if (len < i || memcmp(t, start, i) != 0)
    return 0;
  while (i < len && t[i] == ' ') {
    const char *eq = memchr(t + i, '=', len - i);
    if (!eq || (size_t)(eq - t) + 1 >= len || eq[1] != '"')
      return 0;
    for (i = (size_t)(eq - t) + 2; i < len && t[i] != '"'; i++)
      if (t[i] == '<' || t[i] == '>')
        return 0;
    i++; /* the closing quote */
  }
  return i < len && t[i] == '>';
}

/* Is |from| an occupant JID of |room|, in the form the room writes it,
 * with a nick within max_nick_bytes?  MUC_OK, MUC_ERR_STORAGE or
 * MUC_ERR_NOMEM. */
static int check_sender(muc_room *room, const char *from)
{
  muc_service *svc = room->svc;
  if (!from)
    return MUC_ERR_STORAGE;
  muc_jid j;
  int rc = muc_jid_parse(&svc->mem, from, &j);
  if (rc == MUC_ERR_NOMEM)
    return rc;
  int ok = rc == MUC_OK && j.resource && strcmp(j.bare, room->jid) == 0 &&
           strcmp(j.full, from) == 0 &&
           !muc_limit_text_exceeded(svc, MUC_LIMIT_NICK, j.resource);
  muc_jid_clear(&svc->mem, &j);
  return ok ? MUC_OK : MUC_ERR_STORAGE;
}

/* Is the last child of |m| the room's <delay/> stamped |ts| (as
 * muc_history_add writes it)? */
static int has_room_delay(const muc_room *room, const mxml_node_t *m,
                          uint64_t ts)
{
  const mxml_node_t *last = NULL;
  for (const mxml_node_t *c = muc_xml_first_element(m); c;
       c = muc_xml_next_element(c))
    last = c;
  if (!last || !muc_xml_is(last, "delay", MUC_NS_DELAY))
    return 0;
  char stamp[32];
  muc_format_stamp(ts, stamp, sizeof(stamp));
  const char *from = muc_xml_attr(last, "from");
  const char *st = muc_xml_attr(last, "stamp");
  return from && st && strcmp(from, room->jid) == 0 && strcmp(st, stamp) == 0;
}

/* Is |text| a groupchat message of |room| as its history keeps one:
 * well-formed within the service's structure limits (one more attribute
 * and child than a client may send: the room adds 'id' and the delay),
 * no 'to', from an occupant, the room's delay last?  MUC_OK,
 * MUC_ERR_STORAGE or MUC_ERR_NOMEM. */
static int check_entry(muc_room *room, const char *text, size_t len,
                       uint64_t ts)
{
  static const char end[] = "</message>";
  size_t el = sizeof(end) - 1;
  muc_service *svc = room->svc;
  if (!plain_start_tag(text, len) || len < el ||
      memcmp(text + len - el, end, el) != 0)
    return MUC_ERR_STORAGE;
  const muc_config *c = &svc->cfg;
  muc_xml_limits lim = {len + 1, (size_t)c->max_depth + 1,
                        (size_t)c->max_attrs + 1, (size_t)c->max_children + 1};
  mxml_node_t *m = NULL;
  int rc = muc_xml_parse(&svc->mem, text, len, &lim, &m);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_STORAGE;
  const char *type = muc_xml_attr(m, "type");
  rc = MUC_ERR_STORAGE;
  if (muc_xml_is(m, "message", MUC_NS_CLIENT) && type &&
      strcmp(type, "groupchat") == 0 && !muc_xml_attr(m, "to") &&
      has_room_delay(room, m, ts))
    rc = check_sender(room, muc_xml_attr(m, "from"));
  mxmlDelete(m);
  return rc;
}

/* One <entry/>: checked, then kept as the newest.  |bytes| counts the
 * history's bytes so far, |last| the time of the entry before. */
static int read_entry(muc_room *room, const mxml_node_t *e, size_t *bytes,
                      uint64_t *last)
{
  muc_service *svc = room->svc;
  unsigned long long ts = 0;
  if (muc_store_get_num(e, "time", UINT64_MAX, &ts) != 0 || ts < *last ||
      muc_history_count(room) >= room->cfg.history_length)
    return MUC_ERR_STORAGE;
  char *text = muc_text(svc, e);
  if (!text)
    return MUC_ERR_NOMEM;
  size_t len = strlen(text);
  size_t max = svc->cfg.max_history_bytes;
  int rc = MUC_ERR_STORAGE;
  if (len < UINT32_MAX && (!max || len <= max - *bytes))
    rc = check_entry(room, text, len, ts);
  if (rc == MUC_OK && !muc_history_restore(room, text, len, ts))
    rc = MUC_ERR_NOMEM; /* checked above: memory is all that is left */
  muc_mem_free(&svc->mem, text);
  *bytes += len;
  *last = ts;
  return rc;
}

int muc_history_store_read(muc_room *room, const mxml_node_t *h)
{
  if (!room->svc->cfg.store_history)
    return MUC_OK;
  size_t bytes = 0;
  uint64_t last = 0;
  for (const mxml_node_t *e = muc_xml_first_element(h); e;
       e = muc_xml_next_element(e)) {
    if (!muc_xml_is(e, "entry", MUC_NS_STORE))
      continue; /* a later format's addition */
    int rc = read_entry(room, e, &bytes, &last);
    if (rc != MUC_OK)
      return rc;
  }
  return MUC_OK;
}
