#include "register.h"

#include <string.h>

#include "form.h"
#include "limit.h"
#include "occupant.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"

static void send_form(muc_room *room, const mxml_node_t *st, const char *bare)
{
  muc_service *svc = room->svc;
  mxml_node_t *r = muc_iq_result(svc, st);
  mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_REGISTER);
  const char *nick = muc_room_registered_nick(room, bare);
  if (nick) {
    /* XEP-0077 §3.2: already registered */
    muc_el(svc, q, "registered", NULL);
    muc_el_text(svc, q, "username", NULL, nick);
  } else if (q) {
    mxml_node_t *x = muc_fx_new(svc, q, "form", NULL, NULL);
    muc_fx_form_type(svc, x, MUC_NS_REGISTER_FORM);
    muc_fx_required(svc, muc_fx_field(svc, x, "muc#register_roomnick",
                                      "text-single", "Nickname"));
  }
  muc_send_free(svc, r);
}

static void unregister(muc_room *room, const mxml_node_t *st, const char *bare,
                       muc_affiliation aff)
{
  (void)aff;
  muc_op_unregister(room, MUC_ACTOR_HOST, bare);
  muc_send_free(room->svc, muc_iq_result(room->svc, st));
}

static const muc_form_limit value_limits[] = {
    {"muc#register_roomnick", MUC_LIMIT_ELSEWHERE},
};

/* The registration form of the set |st|, or NULL after refusing it (no
 * form, not a form, no muc#register FORM_TYPE: the request itself is
 * wrong, whoever sends it, §7.10 Ex74) or on NOMEM (recorded). */
static muc_form *submitted_form(muc_room *room, const mxml_node_t *st,
                                const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  mxml_node_t *x = muc_xml_child(query, "x", MUC_NS_DATA);
  if (!x) {
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_NO_FORM, room->jid);
    return NULL;
  }
  muc_form *form = NULL;
  int rc = muc_form_parse(&svc->mem, x, &form);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return NULL;
  }
  if (rc != MUC_OK || !form->form_type ||
      strcmp(form->form_type, MUC_NS_REGISTER_FORM) != 0) {
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_FORM, room->jid);
    muc_form_free(&svc->mem, form);
    return NULL;
  }
  return form;
}

static void submit(muc_room *room, const mxml_node_t *st, const char *bare,
                   muc_affiliation aff, const muc_form *form)
{
  muc_service *svc = room->svc;
  char *nick = NULL;
  /* a value over max_form_value_bytes: not-acceptable, nothing registered
   * (§7.10 by analogy with §10.1.3, RFC 6120 §8.3.3.9; limit.c; the
   * nick counts after preparation, below) */
  if (muc_limit_refuse_form(svc, st, form, value_limits,
                            sizeof(value_limits) / sizeof(value_limits[0]),
                            room->jid))
    goto out;
  const char *wanted = muc_form_value(form, "muc#register_roomnick");
  if (!wanted || !*wanted) {
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_NO_NICK, room->jid);
    goto out;
  }
  int rc = muc_nick_prep(&svc->mem, wanted, 1, svc->cfg.max_nick_bytes, &nick);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    goto out;
  }
  if (rc == MUC_ERR_LIMIT) {
    /* max_nick_bytes: not-acceptable (RFC 6120 §8.3.3.9; limit.c) */
    muc_limit_refuse(svc, st, MUC_LIMIT_NICK, room->jid);
    goto out;
  }
  if (rc != MUC_OK) {
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_NICK, room->jid);
    goto out;
  }
  const muc_occupant *there = muc_room_occupant_by_nick(room, nick);
  const char *owner = muc_room_reserved_by(room, nick);
  if ((there && strcmp(there->bare_jid, bare) != 0) ||
      (owner && strcmp(owner, bare) != 0)) {
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_CONFLICT, room->jid);
    goto out;
  }
  /* an unaffiliated user registering becomes a member: a new entry */
  if (!muc_room_affil_entry(room, bare) &&
      muc_room_refuse_affiliations(room, st, 1, 0))
    goto out;
  muc_op_register(room, MUC_ACTOR_HOST, bare, nick);
  muc_send_free(svc, muc_iq_result(svc, st));
out:
  muc_mem_free(&svc->mem, nick);
}

void muc_register_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                     const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  int get = strcmp(type, "get") == 0;
  int removal = !get && muc_xml_child(query, "remove", MUC_NS_REGISTER);
  muc_form *form = NULL;
  if (!get && !removal && !(form = submitted_form(room, st, query)))
    return;
  muc_affiliation aff = muc_room_affiliation(room, from->bare);
  if (aff == MUC_AFFIL_OUTCAST)
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_BANNED, room->jid);
  else if (aff == MUC_AFFIL_NONE && !svc->cfg.room_allow_unaffiliated_register)
    muc_refuse(svc, st, MUC_REFUSE_REGISTER_NOT_ALLOWED, room->jid);
  else if (get)
    send_form(room, st, from->bare);
  else if (removal)
    unregister(room, st, from->bare, aff);
  else
    submit(room, st, from->bare, aff, form);
  muc_form_free(&svc->mem, form);
}
