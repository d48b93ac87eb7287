/* The admin API on a room's vCard and hats (muc.h, "Room administration"):
 * what the owners' iq and the hats commands do, for the host. */
#include <string.h>

#include "api.h"
#include "avatar.h"
#include "ops.h"
#include "room_extras.h"

/* ---- the vCard ----------------------------------------------------------- */

/* The vCard text |vcard| as the room would take it: MUC_OK,
 * MUC_ERR_LIMIT or MUC_ERR_INVALID_ARG. */
static int vcard_code(muc_service *svc, const char *vcard)
{
  size_t len = strlen(vcard);
  if (len > svc->cfg.max_vcard_bytes)
    return MUC_ERR_LIMIT;
  mxml_node_t *tree = NULL;
  muc_xml_limits lim = {len + 1, svc->cfg.max_depth, svc->cfg.max_attrs,
                        svc->cfg.max_children};
  int rc = muc_xml_parse(&svc->mem, vcard, len, &lim, &tree);
  if (rc == MUC_OK && !muc_xml_is(tree, "vCard", MUC_NS_VCARD))
    rc = MUC_ERR_INVALID_ARG;
  muc_buf hashes;
  muc_buf_init(&hashes, &svc->mem);
  if (rc == MUC_OK)
    rc = muc_avatar_hashes(tree, &hashes);
  muc_buf_free(&hashes);
  mxmlDelete(tree);
  return rc == MUC_OK || rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
}

static int vcard_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)room;
  return op->str[0] ? vcard_code(svc, op->str[0]) : MUC_OK;
}

static int vcard_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_op_set_vcard(room, op->str[0]);
}

int muc_service_set_room_vcard(muc_service *svc, const char *room,
                               const char *vcard)
{
  if (!svc || (vcard && !muc_utf8_xml_valid(vcard, strlen(vcard))))
    return MUC_ERR_INVALID_ARG;
  if (vcard) {
    int rc = vcard_code(svc, vcard);
    if (rc != MUC_OK)
      return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  }
  const char *strs[] = {vcard};
  muc_api_op *op;
  int rc = muc_api_op_new(svc, room, strs, 1, &op);
  if (rc != MUC_OK)
    return rc;
  op->check = vcard_check;
  op->apply = vcard_apply;
  return muc_api_submit(svc, op);
}

int muc_service_get_room_vcard(muc_service *svc, const char *room,
                               const char **vcard)
{
  muc_room *r;
  if (!svc || !vcard)
    return MUC_ERR_INVALID_ARG;
  *vcard = NULL;
  int rc = muc_api_room(svc, room, &r);
  if (rc == MUC_OK)
    *vcard = muc_extras_vcard(r);
  return rc;
}

/* ---- hats ---------------------------------------------------------------- */

static int text_code(const muc_service *svc, const char *s, int required)
{
  if (!s)
    return required ? MUC_ERR_INVALID_ARG : MUC_OK;
  if (required && !*s)
    return MUC_ERR_INVALID_ARG;
  return muc_api_text_code(s, svc->cfg.max_form_value_bytes);
}

static int define_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  const muc_room_extras *x = muc_extras(room);
  if (!muc_extras_hat(room, op->str[0]) && x &&
      x->nhats >= svc->cfg.max_hats_per_room)
    return MUC_ERR_LIMIT;
  return MUC_OK;
}

static int define_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_op_define_hat(room, op->str[0], op->str[1], op->str[2]);
}

int muc_service_define_room_hat(muc_service *svc, const char *room,
                                const char *uri, const char *title,
                                const char *hue)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  int rc = text_code(svc, uri, 1);
  if (rc == MUC_OK)
    rc = text_code(svc, title, 1);
  if (rc == MUC_OK)
    rc = text_code(svc, hue, 0);
  if (rc != MUC_OK)
    return rc;
  const char *strs[] = {uri, title, hue};
  muc_api_op *op;
  if ((rc = muc_api_op_new(svc, room, strs, 3, &op)) != MUC_OK)
    return rc;
  op->check = define_check;
  op->apply = define_apply;
  return muc_api_submit(svc, op);
}

static int destroy_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_extras_hat(room, op->str[0]) ? MUC_OK : MUC_ERR_NOT_FOUND;
}

static int destroy_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_op_destroy_hat(room, op->str[0]);
}

int muc_service_destroy_room_hat(muc_service *svc, const char *room,
                                 const char *uri)
{
  if (!svc || !uri)
    return MUC_ERR_INVALID_ARG;
  const char *strs[] = {uri};
  muc_api_op *op;
  int rc = muc_api_op_new(svc, room, strs, 1, &op);
  if (rc != MUC_OK)
    return rc;
  op->check = destroy_check;
  op->apply = destroy_apply;
  return muc_api_submit(svc, op);
}

static int wear_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  const char *jid = op->str[0], *uri = op->str[1];
  if (!muc_extras_hat(room, uri))
    return MUC_ERR_NOT_FOUND;
  if (op->num && !muc_extras_wears(room, jid, uri) &&
      muc_extras_worn_by(room, jid) >= svc->cfg.max_hats_per_user)
    return MUC_ERR_LIMIT;
  return MUC_OK;
}

static int wear_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_op_wear_hat(room, op->str[0], op->str[1], op->num);
}

int muc_service_set_room_hat_worn(muc_service *svc, const char *room,
                                  const char *jid, const char *uri, int worn)
{
  if (!svc || !uri)
    return MUC_ERR_INVALID_ARG;
  char *bare;
  int rc = muc_api_bare(svc, jid, &bare);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
  const char *strs[] = {bare, uri};
  muc_api_op *op;
  rc = muc_api_op_new(svc, room, strs, 2, &op);
  muc_mem_free(&svc->mem, bare);
  if (rc != MUC_OK)
    return rc;
  op->num = worn != 0;
  op->check = wear_check;
  op->apply = wear_apply;
  return muc_api_submit(svc, op);
}

int muc_service_get_room_hats(muc_service *svc, const char *room,
                              const char *jid, muc_room_hat *out, size_t max,
                              size_t *n)
{
  muc_room *r;
  char *bare = NULL;
  int rc = muc_api_listing(svc, room, out, max, n, &r);
  if (rc == MUC_OK && jid)
    rc = muc_api_bare(svc, jid, &bare);
  const muc_room_extras *x = rc == MUC_OK ? muc_extras(r) : NULL;
  for (size_t i = 0; x && !jid && i < x->nhats && *n < max; i++)
    out[(*n)++] =
        (muc_room_hat){NULL, x->hats[i].uri, x->hats[i].title, x->hats[i].hue};
  for (size_t i = 0; x && bare && i < x->nworn && *n < max; i++) {
    const muc_hat *h = muc_extras_hat(r, x->worn[i].uri);
    if (strcmp(x->worn[i].jid, bare) == 0)
      out[(*n)++] = (muc_room_hat){x->worn[i].jid, h->uri, h->title, h->hue};
  }
  muc_mem_free(&svc->mem, bare);
  return rc == MUC_ERR_NOMEM ? (svc->fatal = rc) : rc;
}
