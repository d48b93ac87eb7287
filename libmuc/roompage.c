/* The service's room list paged (disco#items on the service, XEP-0030
 * §4, with XEP-0059 result set management).  The list is the public
 * rooms in memory, in creation order, then the stored public rooms of
 * the room list index (roomlist.c) that are not in memory, in the
 * index's order; an item is named by its room JID.  A page after a JID
 * costs the page (a map or index look-up finds where to go on); an index
 * or a page before a JID costs the items before it; the count walks the
 * rooms in memory, never the stored ones (docs/performance.md). */
#include "roompage.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "refusal.h"
#include "stanza.h"

#define JID_CAP 3072

typedef struct item {
  const char *jid, *name; /* borrowed until the rooms change */
  char buf[JID_CAP];      /* a stored room's JID */
} item;

/* Where the walk is: the next room in memory to look at, then (stored)
 * the position in the index. */
typedef struct cursor {
  const muc_room *room;
  size_t pos;
  int stored;
} cursor;

static int listed_in_memory(const muc_room *r)
{
  return r->cfg.public_room && !r->loading && !r->destroyed;
}

/* A stored entry whose room is in memory is listed from there (a room
 * still loading is listed from its entry). */
static int shadowed(const muc_service *svc, const char *node)
{
  const muc_room *r = muc_map_get(&svc->rooms, node);
  return r && !r->loading;
}

static int next_item(const muc_service *svc, cursor *c, item *it)
{
  for (; !c->stored && c->room; c->room = c->room->next)
    if (listed_in_memory(c->room)) {
      it->jid = c->room->jid;
      it->name = c->room->cfg.name;
      c->room = c->room->next;
      return 1;
    }
  c->stored = 1;
  const char *node, *name;
  while (muc_roomindex_next(&svc->roomlist, &c->pos, &node, &name)) {
    if (shadowed(svc, node) || snprintf(it->buf, sizeof(it->buf), "%s@%s", node,
                                        svc->domain) >= (int)sizeof(it->buf))
      continue;
    it->jid = it->buf;
    it->name = *name ? name : NULL;
    return 1;
  }
  return 0;
}

static void start(const muc_service *svc, cursor *c)
{
  c->room = svc->rfirst;
  c->pos = 0;
  c->stored = 0;
}

/* Just past the item |jid|: 1, or 0 if the list has no such item. */
static int seek_after(const muc_service *svc, cursor *c, const char *jid)
{
  const char *at = strchr(jid, '@');
  char node[JID_CAP];
  if (!at || strcmp(at + 1, svc->domain) != 0 ||
      (size_t)(at - jid) >= sizeof(node))
    return 0;
  memcpy(node, jid, (size_t)(at - jid));
  node[at - jid] = 0;
  const muc_room *r = muc_map_get(&svc->rooms, node);
  if (r && listed_in_memory(r)) {
    c->room = r->next;
    c->stored = 0;
    return 1;
  }
  c->room = NULL;
  c->stored = 1;
  return !shadowed(svc, node) &&
         muc_roomindex_after(&svc->roomlist, node, &c->pos);
}

/* The ordinal of the item |jid| into *|at|: 1, or 0 if there is none. */
static int position_of(const muc_service *svc, const char *jid, size_t *at)
{
  cursor c;
  item it;
  start(svc, &c);
  for (*at = 0; next_item(svc, &c, &it); ++*at)
    if (strcmp(it.jid, jid) == 0)
      return 1;
  return 0;
}

/* Every item: the stored entries (counted by the index) less those shown
 * from memory, plus the rooms in memory that are listed. */
static size_t count_items(const muc_service *svc)
{
  size_t n = svc->roomlist.count, pos;
  for (const muc_room *r = svc->rfirst; r; r = r->next) {
    n += (size_t)listed_in_memory(r);
    if (!r->loading && muc_roomindex_after(&svc->roomlist, r->node, &pos))
      n--;
  }
  return n;
}

/* ---- the request ---------------------------------------------------------
 */

typedef struct request {
  size_t max;       /* page size */
  char *after;      /* NULL: none */
  char *before;     /* NULL: none; "": the last page */
  char *index;      /* NULL: none */
  size_t index_num; /* |index| read */
} request;

static int read_count(const char *s, size_t *out)
{
  if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
    return -1;
  *out = (size_t)strtoul(s, NULL, 10);
  return 0;
}

/* The text of |set|'s child |name| into *|out| (NULL when absent).
 * MUC_OK or MUC_ERR_NOMEM (recorded). */
static int child(muc_service *svc, const mxml_node_t *set, const char *name,
                 char **out)
{
  *out = muc_child_text(svc, set, name, MUC_NS_RSM);
  if (*out || !muc_xml_child(set, name, MUC_NS_RSM))
    return MUC_OK;
  return MUC_ERR_NOMEM;
}

static void request_free(muc_service *svc, request *q)
{
  muc_mem_free(&svc->mem, q->after);
  muc_mem_free(&svc->mem, q->before);
  muc_mem_free(&svc->mem, q->index);
}

/* |set| (NULL: none) into |q|: MUC_OK, MUC_ERR_BAD_STANZA (a max or index
 * that is no count, after and before together) or MUC_ERR_NOMEM. */
static int read_request(muc_service *svc, const mxml_node_t *set, request *q)
{
  size_t cap = svc->cfg.max_room_list_items;
  q->max = cap ? cap : SIZE_MAX;
  if (!set)
    return MUC_OK;
  char *max = NULL;
  if (child(svc, set, "max", &max) || child(svc, set, "after", &q->after) ||
      child(svc, set, "before", &q->before) ||
      child(svc, set, "index", &q->index)) {
    muc_mem_free(&svc->mem, max);
    return MUC_ERR_NOMEM;
  }
  int rc = MUC_OK;
  size_t n;
  if (max && read_count(max, &n) == 0)
    q->max = cap && n > cap ? cap : n;
  else if (max)
    rc = MUC_ERR_BAD_STANZA;
  if ((q->index && read_count(q->index, &q->index_num) != 0) ||
      (q->after && q->before) || (q->after && !*q->after))
    rc = MUC_ERR_BAD_STANZA;
  muc_mem_free(&svc->mem, max);
  return rc;
}

/* ---- the answer ----------------------------------------------------------
 */

static void put_set(muc_service *svc, mxml_node_t *q, const char *first,
                    const char *last, long first_index, size_t count)
{
  mxml_node_t *set = muc_el(svc, q, "set", MUC_NS_RSM);
  if (first) {
    mxml_node_t *f = muc_el_text(svc, set, "first", NULL, first);
    if (first_index >= 0) {
      char num[24];
      snprintf(num, sizeof(num), "%ld", first_index);
      muc_attr(svc, f, "index", num);
    }
    muc_el_text(svc, set, "last", NULL, last);
  }
  char num[24];
  snprintf(num, sizeof(num), "%zu", count);
  muc_el_text(svc, set, "count", NULL, num);
}

/* Place |c| where the page starts and say how long it is: 1, or 0 when
 * the item named is not in the list.  *|first_index| is the ordinal of
 * the page's first item, -1 when finding it would cost a walk. */
static int place(const muc_service *svc, request *q, cursor *c,
                 long *first_index)
{
  start(svc, c);
  size_t skip = 0;
  *first_index = 0;
  if (q->after) {
    *first_index = -1;
    return seek_after(svc, c, q->after);
  }
  if (q->before) {
    size_t end;
    if (!*q->before)
      end = count_items(svc);
    else if (!position_of(svc, q->before, &end))
      return 0;
    skip = end > q->max ? end - q->max : 0;
    q->max = end - skip;
  } else if (q->index) {
    skip = q->index_num;
  }
  item it;
  for (size_t i = 0; i < skip && next_item(svc, c, &it); i++)
    ;
  *first_index = (long)skip;
  return 1;
}

void muc_roompage_answer(muc_service *svc, const mxml_node_t *st,
                         const mxml_node_t *set)
{
  request q = {0};
  int rc = read_request(svc, set, &q);
  cursor c;
  long first_index;
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
  } else if (rc != MUC_OK) {
    muc_refuse(svc, st, MUC_REFUSE_RSM_MALFORMED, svc->domain);
  } else if (!place(svc, &q, &c, &first_index)) {
    muc_refuse(svc, st, MUC_REFUSE_RSM_NOT_FOUND, svc->domain);
  } else {
    mxml_node_t *r = muc_iq_result(svc, st);
    mxml_node_t *qx = muc_el(svc, r, "query", MUC_NS_DISCO_ITEMS);
    char first[JID_CAP] = "", last[JID_CAP] = "";
    item it;
    size_t n = 0;
    while (n < q.max && next_item(svc, &c, &it)) {
      mxml_node_t *e = muc_el(svc, qx, "item", NULL);
      muc_attr(svc, e, "jid", it.jid);
      muc_attr(svc, e, "name", it.name);
      snprintf(n ? last : first, JID_CAP, "%s", it.jid);
      n++;
    }
    if (n == 1)
      snprintf(last, sizeof(last), "%s", first);
    /* without a <set/>, one only when the list was cut (a cap) */
    if (set || next_item(svc, &c, &it))
      put_set(svc, qx, n ? first : NULL, last, first_index, count_items(svc));
    muc_send_free(svc, r);
  }
  request_free(svc, &q);
}
