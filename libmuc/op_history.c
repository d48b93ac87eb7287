/* The history a new session receives (XEP-0045 §7.2.15), as much as its
 * join's <history/> asks for. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

#include "history.h"

/* A non-negative integer attribute; -1 if absent or invalid. */
static long long int_attr(const mxml_node_t *el, const char *name)
{
  const char *v = muc_xml_attr(el, name);
  if (!v || !*v)
    return -1;
  char *end;
  long long n = strtoll(v, &end, 10);
  if (*end || n < 0)
    return -1;
  return n;
}

/* What the join's <history/> asks for (§7.2.15). */
typedef struct history_req {
  long long maxchars, maxstanzas;
  uint64_t since;
  int have_since;
} history_req;

static history_req read_request(muc_room *room, const mxml_node_t *muc_x)
{
  uint64_t now = room->svc->now;
  history_req r = {-1, -1, 0, 0};
  const mxml_node_t *h =
      muc_x ? muc_xml_child(muc_x, "history", MUC_NS_MUC) : NULL;
  if (h) {
    r.maxchars = int_attr(h, "maxchars");
    r.maxstanzas = int_attr(h, "maxstanzas");
    long long seconds = int_attr(h, "seconds");
    uint64_t s;
    if (muc_parse_stamp(muc_xml_attr(h, "since"), &s) == 0) {
      r.since = s;
      r.have_since = 1;
    }
    if (seconds >= 0) {
      uint64_t ms = (uint64_t)seconds * 1000;
      uint64_t t = ms > now ? 0 : now - ms;
      if (!r.have_since || t > r.since)
        r.since = t;
      r.have_since = 1;
    }
  }
  if (r.maxchars < 0 && r.maxstanzas < 0 && !r.have_since)
    r.maxstanzas = room->cfg.history_length;
  return r;
}

/* Characters ' to="|to|"' adds to each stanza sent (maxchars counts the
 * stanzas as sent). */
static size_t to_chars(muc_service *svc, const char *to)
{
  muc_buf_reset(&svc->scratch);
  muc_buf_append_escaped(&svc->scratch, to, strlen(to), 1);
  if (svc->scratch.oom)
    muc_fail(svc, MUC_ERR_NOMEM);
  return 6 + muc_history_chars(svc->scratch.data, svc->scratch.len);
}

void muc_op_send_history(muc_room *room, const char *to,
                         const mxml_node_t *muc_x)
{
  muc_service *svc = room->svc;
  if (room->hcount == 0)
    return;
  history_req r = read_request(room, muc_x);
  size_t tochars = r.maxchars > 0 ? to_chars(svc, to) : 0;
  size_t n = 0;
  unsigned long long chars = 0;
  for (size_t i = room->hcount; i-- > 0;) {
    const muc_history_entry *e = muc_history_entry_at(room, i);
    if (r.maxchars >= 0) {
      chars += e->chars + tochars;
      if (chars > (unsigned long long)r.maxchars)
        break;
    }
    if (r.have_since && r.since > e->ts)
      break;
    if (r.maxstanzas >= 0 && n + 1 > (unsigned long long)r.maxstanzas)
      break;
    n++;
  }
  for (size_t i = room->hcount - n; i < room->hcount; i++) {
    const muc_history_entry *e = muc_history_entry_at(room, i);
    muc_wire w;
    if (muc_wire_from_text(svc, &w, e->text, e->len) == MUC_OK)
      muc_wire_send(svc, &w, to);
  }
}
