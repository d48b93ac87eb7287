/* The operations on a room's vCard and hats (ops.h): the change, what the
 * occupants are told of it, the record stored. */
#include <string.h>

#include "op_presence.h"
#include "op_send.h"
#include "op_store.h"
#include "ops.h"
#include "room_extras.h"

static int same_text(const char *a, const char *b)
{
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* Status 104: "a configuration change", which both XEPs use for theirs. */
static void announce_change(muc_room *room)
{
  static const int code = 104;
  muc_room_announce_codes(room, &code, 1);
}

/* The presence of |o| again (its hats changed). */
static void publish(muc_room *room, muc_occupant *o)
{
  muc_pub p = {.prev_role = o->role};
  muc_presence_publicise(room, o, &p);
}

/* The presence of every occupant of |jid| (NULL: of everyone wearing
 * |uri|) again, now with the hats it wears. */
static void republish(muc_room *room, const char *jid, const char *uri)
{
  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *next = o->next;
    int match = jid ? strcmp(o->bare_jid, jid) == 0
                    : muc_extras_wears(room, o->bare_jid, uri);
    if (match && o->primary)
      publish(room, o);
    o = next;
  }
}

int muc_op_set_vcard(muc_room *room, const char *vcard)
{
  char *before = NULL;
  const char *old = muc_extras_vcard(room);
  if (old && !(before = muc_mem_strdup(&room->svc->mem, old)))
    return MUC_ERR_NOMEM;
  int rc = muc_extras_set_vcard(room, vcard);
  if (rc == MUC_OK && !same_text(before, muc_extras_vcard(room))) {
    muc_room_save(room, 0);
    announce_change(room);
  }
  muc_mem_free(&room->svc->mem, before);
  return rc;
}

int muc_op_define_hat(muc_room *room, const char *uri, const char *title,
                      const char *hue)
{
  const muc_hat *was = muc_extras_hat(room, uri);
  int changed =
      !was || !same_text(was->title, title) || !same_text(was->hue, hue);
  int worn_before = was != NULL;
  if (!changed)
    return MUC_OK;
  int rc = muc_extras_define_hat(room, uri, title, hue);
  if (rc != MUC_OK)
    return rc;
  muc_room_save(room, 0);
  if (worn_before)
    republish(room, NULL, uri);
  announce_change(room);
  return MUC_OK;
}

int muc_op_destroy_hat(muc_room *room, const char *uri)
{
  /* who wore it, marked before and told once it is gone (announcing
   * frees no occupant) */
  muc_mem *m = &room->svc->mem;
  size_t n = 0;
  for (muc_occupant *o = room->first; o; o = o->next)
    n += o->primary && muc_extras_wears(room, o->bare_jid, uri);
  muc_occupant **wearers = n ? muc_mem_calloc(m, n, sizeof(*wearers)) : NULL;
  if (n && !wearers)
    return MUC_ERR_NOMEM;
  size_t k = 0;
  for (muc_occupant *o = room->first; o; o = o->next)
    if (o->primary && muc_extras_wears(room, o->bare_jid, uri))
      wearers[k++] = o;
  if (muc_extras_destroy_hat(room, uri)) {
    muc_room_save(room, 0);
    for (size_t i = 0; i < k; i++)
      publish(room, wearers[i]);
    announce_change(room);
  }
  muc_mem_free(m, wearers);
  return MUC_OK;
}

int muc_op_wear_hat(muc_room *room, const char *jid, const char *uri, int wear)
{
  if (muc_extras_wears(room, jid, uri) == (wear != 0))
    return MUC_OK;
  int rc = wear ? muc_extras_wear(room, jid, uri)
                : (muc_extras_doff(room, jid, uri), MUC_OK);
  if (rc != MUC_OK)
    return rc;
  muc_room_save(room, 0);
  republish(room, jid, NULL);
  return MUC_OK;
}
