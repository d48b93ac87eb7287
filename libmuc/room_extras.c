#include "room_extras.h"

#include <string.h>

#include "avatar.h"
#include "feed.h"
#include "store.h"
#include "xml.h"

static void changed(muc_room *room)
{
  muc_feed_touch_part(room, MUC_FEED_PART_EXTRAS);
}

/* The extras of |room|, made empty when it has none; NULL on NOMEM. */
static muc_room_extras *extras_of(muc_room *room)
{
  if (!room->extras)
    room->extras = muc_mem_calloc(&room->svc->mem, 1, sizeof(muc_room_extras));
  return room->extras;
}

static void hat_clear(muc_mem *m, muc_hat *h)
{
  muc_mem_free(m, h->uri);
  muc_mem_free(m, h->title);
  muc_mem_free(m, h->hue);
}

static void worn_clear(muc_mem *m, muc_hat_worn *w)
{
  muc_mem_free(m, w->jid);
  muc_mem_free(m, w->uri);
}

void muc_extras_free(muc_room *room)
{
  muc_room_extras *x = room->extras;
  if (!x)
    return;
  muc_mem *m = &room->svc->mem;
  muc_mem_free(m, x->vcard);
  muc_mem_free(m, x->avatar);
  for (size_t i = 0; i < x->nhats; i++)
    hat_clear(m, &x->hats[i]);
  for (size_t i = 0; i < x->nworn; i++)
    worn_clear(m, &x->worn[i]);
  muc_mem_free(m, x->hats);
  muc_mem_free(m, x->worn);
  muc_mem_free(m, x);
  room->extras = NULL;
}

const char *muc_extras_vcard(const muc_room *room)
{
  return room->extras ? room->extras->vcard : NULL;
}

const char *muc_extras_avatar(const muc_room *room)
{
  return room->extras ? room->extras->avatar : NULL;
}

/* The vCard text |vcard| checked, and its hashes into |hashes|. */
static int read_vcard(muc_service *svc, const char *vcard, int *empty,
                      muc_buf *hashes)
{
  mxml_node_t *tree = NULL;
  size_t len = strlen(vcard);
  muc_xml_limits lim = {len + 1, 0, 0, 0};
  int rc = muc_xml_parse(&svc->mem, vcard, len, &lim, &tree);
  if (rc == MUC_OK && !muc_xml_is(tree, "vCard", MUC_NS_VCARD))
    rc = MUC_ERR_INVALID_ARG;
  if (rc == MUC_OK) {
    *empty = muc_xml_first_element(tree) == NULL;
    rc = muc_avatar_hashes(tree, hashes);
  }
  mxmlDelete(tree);
  return rc == MUC_ERR_NOMEM ? rc : rc != MUC_OK ? MUC_ERR_INVALID_ARG : rc;
}

int muc_extras_set_vcard(muc_room *room, const char *vcard)
{
  muc_service *svc = room->svc;
  muc_buf hashes;
  muc_buf_init(&hashes, &svc->mem);
  int empty = 1;
  int rc = vcard ? read_vcard(svc, vcard, &empty, &hashes) : MUC_OK;
  char *copy = NULL, *avatar = NULL;
  if (rc == MUC_OK && !empty && !(copy = muc_mem_strdup(&svc->mem, vcard)))
    rc = MUC_ERR_NOMEM;
  if (rc == MUC_OK && hashes.len &&
      !(avatar = muc_mem_strdup(&svc->mem, hashes.data)))
    rc = MUC_ERR_NOMEM;
  muc_buf_free(&hashes);
  muc_room_extras *x =
      rc == MUC_OK && (copy || room->extras) ? extras_of(room) : NULL;
  if (rc == MUC_OK && copy && !x)
    rc = MUC_ERR_NOMEM;
  if (rc != MUC_OK || !x) {
    muc_mem_free(&svc->mem, copy);
    muc_mem_free(&svc->mem, avatar);
    return rc;
  }
  muc_mem_free(&svc->mem, x->vcard);
  muc_mem_free(&svc->mem, x->avatar);
  x->vcard = copy;
  x->avatar = avatar;
  changed(room);
  return MUC_OK;
}

static muc_hat *find_hat(const muc_room *room, const char *uri)
{
  const muc_room_extras *x = room->extras;
  for (size_t i = 0; x && i < x->nhats; i++)
    if (strcmp(x->hats[i].uri, uri) == 0)
      return &x->hats[i];
  return NULL;
}

const muc_hat *muc_extras_hat(const muc_room *room, const char *uri)
{
  return find_hat(room, uri);
}

int muc_extras_define_hat(muc_room *room, const char *uri, const char *title,
                          const char *hue)
{
  muc_mem *m = &room->svc->mem;
  char *t = muc_mem_strdup(m, title);
  char *h = hue ? muc_mem_strdup(m, hue) : NULL;
  muc_hat *hat = find_hat(room, uri);
  muc_room_extras *x = extras_of(room);
  if (!hat && x) {
    muc_hat *grown =
        muc_mem_realloc(m, x->hats, (x->nhats + 1) * sizeof(*grown));
    if (grown) {
      x->hats = grown;
      hat = &grown[x->nhats];
      memset(hat, 0, sizeof(*hat));
      if ((hat->uri = muc_mem_strdup(m, uri)))
        x->nhats++;
      else
        hat = NULL;
    }
  }
  if (!t || (hue && !h) || !hat) {
    muc_mem_free(m, t);
    muc_mem_free(m, h);
    return MUC_ERR_NOMEM;
  }
  muc_mem_free(m, hat->title);
  muc_mem_free(m, hat->hue);
  hat->title = t;
  hat->hue = h;
  changed(room);
  return MUC_OK;
}

/* Remove the assignments for which |drop| says yes; how many went. */
static size_t drop_worn(muc_room *room, const char *jid, const char *uri)
{
  muc_room_extras *x = room->extras;
  size_t kept = 0, n = x ? x->nworn : 0;
  for (size_t i = 0; i < n; i++) {
    muc_hat_worn *w = &x->worn[i];
    if ((!jid || strcmp(w->jid, jid) == 0) && strcmp(w->uri, uri) == 0)
      worn_clear(&room->svc->mem, w);
    else
      x->worn[kept++] = *w;
  }
  if (x)
    x->nworn = kept;
  if (kept != n)
    changed(room);
  return n - kept;
}

int muc_extras_destroy_hat(muc_room *room, const char *uri)
{
  muc_hat *hat = find_hat(room, uri);
  if (!hat)
    return 0;
  drop_worn(room, NULL, uri);
  muc_room_extras *x = room->extras;
  hat_clear(&room->svc->mem, hat);
  size_t at = (size_t)(hat - x->hats);
  memmove(hat, hat + 1, (x->nhats - at - 1) * sizeof(*hat));
  x->nhats--;
  changed(room);
  return 1;
}

/* The first assignment whose JID is not before |jid| (nworn if none). */
static size_t first_of(const muc_room_extras *x, const char *jid)
{
  size_t lo = 0, hi = x ? x->nworn : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(x->worn[mid].jid, jid) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The assignments of |jid|: [*from, return). */
static size_t run_of(const muc_room_extras *x, const char *jid, size_t *from)
{
  size_t i = *from = first_of(x, jid);
  while (x && i < x->nworn && strcmp(x->worn[i].jid, jid) == 0)
    i++;
  return i;
}

int muc_extras_wears(const muc_room *room, const char *jid, const char *uri)
{
  const muc_room_extras *x = room->extras;
  size_t i, end = run_of(x, jid, &i);
  for (; i < end; i++)
    if (strcmp(x->worn[i].uri, uri) == 0)
      return 1;
  return 0;
}

size_t muc_extras_worn_by(const muc_room *room, const char *jid)
{
  size_t from, end = run_of(room->extras, jid, &from);
  return end - from;
}

int muc_extras_wear(muc_room *room, const char *jid, const char *uri)
{
  if (muc_extras_wears(room, jid, uri))
    return MUC_OK;
  muc_mem *m = &room->svc->mem;
  muc_room_extras *x = extras_of(room);
  muc_hat_worn *grown =
      x ? muc_mem_realloc(m, x->worn, (x->nworn + 1) * sizeof(*grown)) : NULL;
  if (!grown)
    return MUC_ERR_NOMEM;
  x->worn = grown;
  muc_hat_worn w = {muc_mem_strdup(m, jid), muc_mem_strdup(m, uri)};
  if (!w.jid || !w.uri) {
    worn_clear(m, &w);
    return MUC_ERR_NOMEM;
  }
  /* last of its JID's run */
  size_t at, end = run_of(x, jid, &at);
  memmove(&grown[end + 1], &grown[end], (x->nworn - end) * sizeof(*grown));
  grown[end] = w;
  x->nworn++;
  changed(room);
  return MUC_OK;
}

int muc_extras_doff(muc_room *room, const char *jid, const char *uri)
{
  return drop_worn(room, jid, uri) != 0;
}

void muc_extras_put_hats(const muc_room *room, muc_buf *b, const char *jid)
{
  const muc_room_extras *x = room->extras;
  if (!x || !x->nworn)
    return;
  int open = 0;
  size_t i, end = run_of(x, jid, &i);
  for (; i < end; i++) {
    const muc_hat *hat = find_hat(room, x->worn[i].uri);
    if (!hat)
      continue;
    if (!open++)
      muc_buf_puts(b, "<hats xmlns=\"" MUC_NS_HATS "\">");
    muc_buf_puts(b, "<hat");
    muc_buf_put_attr(b, "uri", hat->uri);
    muc_buf_put_attr(b, "title", hat->title);
    if (hat->hue)
      muc_buf_put_attr(b, "hue", hat->hue);
    muc_buf_puts(b, "/>");
  }
  if (open)
    muc_buf_puts(b, "</hats>");
}

int muc_extras_is_hats(const mxml_node_t *el)
{
  /* the name first: most children are not, and a namespace costs a walk
   * over the attributes of the element and its ancestors */
  const char *name = muc_xml_name(el);
  return name && (strcmp(name, "hats") == 0 || strcmp(name, "hat") == 0) &&
         muc_xml_is(el, NULL, MUC_NS_HATS);
}

/* ---- the record ----------------------------------------------------------
 * <vcard>the vCard as escaped text</vcard>, then
 * <hatdef uri= title= [hue=]/> per hat and <hat jid= uri=/> per one worn. */

void muc_extras_write_record(const muc_room *room, muc_buf *b)
{
  const muc_room_extras *x = room->extras;
  if (!x)
    return;
  if (x->vcard) {
    muc_buf_puts(b, "<vcard>");
    muc_buf_append_escaped(b, x->vcard, strlen(x->vcard), 0);
    muc_buf_puts(b, "</vcard>");
  }
  for (size_t i = 0; i < x->nhats; i++) {
    muc_buf_puts(b, "<hatdef");
    muc_buf_put_attr(b, "uri", x->hats[i].uri);
    muc_buf_put_attr(b, "title", x->hats[i].title);
    if (x->hats[i].hue)
      muc_buf_put_attr(b, "hue", x->hats[i].hue);
    muc_buf_puts(b, "/>");
  }
  for (size_t i = 0; i < x->nworn; i++) {
    muc_buf_puts(b, "<hat");
    muc_buf_put_attr(b, "jid", x->worn[i].jid);
    muc_buf_put_attr(b, "uri", x->worn[i].uri);
    muc_buf_puts(b, "/>");
  }
}

static int read_element(muc_room *room, const mxml_node_t *e)
{
  if (muc_xml_is(e, "vcard", MUC_NS_STORE)) {
    char *text = muc_xml_text_dup(&room->svc->mem, e);
    int rc = text ? muc_extras_set_vcard(room, text) : MUC_ERR_NOMEM;
    muc_mem_free(&room->svc->mem, text);
    return rc == MUC_ERR_INVALID_ARG ? MUC_ERR_STORAGE : rc;
  }
  const char *uri = muc_xml_attr(e, "uri");
  if (muc_xml_is(e, "hatdef", MUC_NS_STORE)) {
    const char *title = muc_xml_attr(e, "title");
    if (!uri || !*uri || !title || find_hat(room, uri))
      return MUC_ERR_STORAGE;
    return muc_extras_define_hat(room, uri, title, muc_xml_attr(e, "hue"));
  }
  if (muc_xml_is(e, "hat", MUC_NS_STORE)) {
    const char *jid = muc_xml_attr(e, "jid");
    /* hats are defined before they are worn */
    if (!uri || !jid || !*jid || !find_hat(room, uri) ||
        muc_extras_wears(room, jid, uri))
      return MUC_ERR_STORAGE;
    return muc_extras_wear(room, jid, uri);
  }
  return MUC_OK;
}

int muc_extras_read_record(muc_room *room, const mxml_node_t *r)
{
  for (const mxml_node_t *e = muc_xml_first_element(r); e;
       e = muc_xml_next_element(e)) {
    int rc = read_element(room, e);
    if (rc != MUC_OK)
      return rc;
  }
  return MUC_OK;
}
