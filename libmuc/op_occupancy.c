/* Occupancy operations (XEP-0045 §7.2, §7.6, §7.7, §7.14, §10.1): a
 * session joins, leaves, changes nick or updates its presence; the
 * state changes, then everyone concerned is told.  The checks (entry.c)
 * come before, in the presence handler. */
#include "ops.h"

#include <string.h>

#include "flood.h"
#include "history.h"
#include "hooks.h"
#include "occupant.h"
#include "op_presence.h"
#include "op_store.h"
#include "room.h"
#include "stanza.h"

/* What a new session |to| receives after its own presence: history and
 * subject (§7.2.13-§7.2.15), as its join |st| asks. */
static void send_room_state(muc_room *room, const mxml_node_t *st,
                            const char *to)
{
  muc_op_send_history(room, to, muc_xml_child(st, "x", MUC_NS_MUC));
  muc_op_send_subject(room, to);
}

void muc_op_join(muc_room *room, const muc_jid *from, const char *nick,
                 const mxml_node_t *st, int assigned)
{
  muc_occupant *dest = muc_room_occupant_by_nick(room, nick);
  int first = dest == NULL;
  muc_affiliation aff = muc_room_affiliation(room, from->bare);
  if (first) {
    dest = muc_occupant_new(room, nick, from->full);
    if (!dest)
      return;
    dest->role =
        muc_default_role(aff, room->cfg.members_only, room->cfg.moderated);
  }
  if (muc_occupant_set_session(room, dest, from->full, st) != MUC_OK ||
      !muc_room_save_occupant(room, dest)) {
    muc_presence_release(room, dest);
    return;
  }
  muc_presence_send_occupant_list(room, from->full, NULL);
  muc_codes self = {0};
  if (room->cfg.whois == MUC_WHOIS_ANYONE)
    muc_codes_add(&self, 100);
  if (room->cfg.logging) /* §7.2.12: warn that the room is logged */
    muc_codes_add(&self, 170);
  if (assigned) /* §7.2.12: not the nick asked for (nick_enforce.c) */
    muc_codes_add(&self, 210);
  if (first)
    muc_hook_joined(room, dest, from->full, aff);
  muc_pub p = {.self = &self};
  muc_presence_publicise(room, dest, &p);
  send_room_state(room, st, from->full);
}

void muc_op_leave(muc_room *room, const muc_jid *from, muc_occupant *orig,
                  const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  int last = muc_occupant_live_sessions(orig) <= 1;
  muc_role prev = orig->role;
  if (last)
    orig->role = MUC_ROLE_NONE;
  if (muc_occupant_set_session(room, orig, from->full, st) != MUC_OK)
    return;
  if (last && muc_room_is_locked(room)) {
    /* §10.1.3: the owner left before configuring the new room: it is
     * destroyed, and the owner is told so with <destroy/> */
    muc_op_destroy(room, MUC_ACTOR_HOST, NULL, NULL, NULL, 0);
    return;
  }
  if (!last) {
    /* one session of several leaves (§7.14): it alone is told, with its
     * own unavailable presence; the others then see the sessions that
     * remain (§17.3: items describe the current state) */
    muc_session *s = muc_occupant_session(orig, from->full);
    muc_buf x, text;
    muc_buf_init(&x, &svc->mem);
    muc_buf_init(&text, &svc->mem);
    muc_buf_puts(&x, "<x xmlns=\"" MUC_NS_USER "\">");
    muc_presence_item_bytes(&x, muc_room_affiliation(room, orig->bare_jid),
                            from->full, MUC_ROLE_NONE);
    muc_buf_puts(&x, "<status code=\"110\"/></x>");
    muc_pres_src own;
    muc_session_src(orig, s, &own);
    muc_presence_assemble(&text, &own, from->full, x.data, x.len);
    if (x.oom || text.oom)
      muc_fail(svc, MUC_ERR_NOMEM);
    else
      muc_send_text(svc, text.data, text.len, from->full);
    muc_buf_free(&x);
    muc_buf_free(&text);
    muc_occupant_remove_session(room, orig, from->full);
  }
  muc_room_save_occupant(room, orig);
  if (last)
    muc_hook_left(room, orig);
  muc_pub p = {.prev_role = prev};
  muc_presence_publicise(room, orig, &p);
  muc_presence_release(room, orig);
}

void muc_op_change_nick(muc_room *room, const muc_jid *from, muc_occupant *orig,
                        const char *nick, const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  muc_occupant *dest = muc_room_occupant_by_nick(room, nick);
  int first = dest == NULL;
  if (first) {
    dest = muc_occupant_new(room, nick, from->full);
    if (!dest)
      return;
    dest->role = orig->role;
    muc_flood_inherit(dest, orig);
  }
  int last_orig = muc_occupant_live_sessions(orig) <= 1;
  muc_role orig_role = orig->role;

  muc_codes orig_codes = {0};
  const char *dest_nick = dest->nick;
  const char *gone = NULL;
  if (muc_occupant_set_unavailable(room, orig, from->full, NULL) != MUC_OK)
    goto fail;
  if (!first) {
    /* joining an existing multi-session nick: show the session the other
     * sessions leaving, as Prosody does */
    mxml_node_t *pr = muc_stanza_new(svc, "presence", dest->occ_jid, from->full,
                                     "unavailable", NULL);
    mxml_node_t *x = muc_el(svc, pr, "x", MUC_NS_USER);
    muc_presence_add_item(svc, x, muc_room_affiliation(room, from->bare),
                          "none", NULL, NULL, NULL, NULL, NULL);
    muc_occupant_id_attach(svc, pr, dest);
    muc_send_free(svc, pr);
  }
  if (first && last_orig) {
    muc_codes_add(&orig_codes, 303);
  } else {
    /* only this session changes nick: it alone sees the change */
    muc_occupant_remove_session(room, orig, from->full);
    mxml_node_t *pr = muc_stanza_new(svc, "presence", orig->occ_jid, from->full,
                                     "unavailable", NULL);
    mxml_node_t *x = muc_el(svc, pr, "x", MUC_NS_USER);
    muc_presence_add_item(svc, x, muc_room_affiliation(room, from->bare),
                          muc_role_name(orig->role), from->full, dest->nick,
                          NULL, NULL, NULL);
    mxml_node_t *s1 = muc_el(svc, x, "status", NULL);
    muc_attr(svc, s1, "code", "303");
    mxml_node_t *s2 = muc_el(svc, x, "status", NULL);
    muc_attr(svc, s2, "code", "110");
    muc_occupant_id_attach(svc, pr, orig);
    muc_send_free(svc, pr);
    dest_nick = NULL;
    if (last_orig) {
      /* the old nick is left empty: the others see it gone, role none
       * (§7.14), its item naming the session that moved away */
      orig->role = MUC_ROLE_NONE;
      gone = from->full;
    }
  }
  muc_room_save_occupant(room, orig);
  muc_pub op = {.base = &orig_codes,
                .nick = dest_nick,
                .prev_role = orig_role,
                .gone_session = gone};
  muc_presence_publicise(room, orig, &op);

  if (muc_occupant_set_session(room, dest, from->full, st) != MUC_OK ||
      !muc_room_save_occupant(room, dest)) {
    muc_presence_release(room, orig);
    muc_presence_release(room, dest);
    return;
  }
  mxml_node_t *mx = muc_xml_child(st, "x", MUC_NS_MUC);
  if (mx)
    muc_presence_send_occupant_list(room, from->full, NULL);
  muc_pub dp = {.prev_role = orig_role};
  muc_presence_publicise(room, dest, &dp);
  if (orig->in_room && !last_orig && orig->primary) {
    /* the session split from a multi-session nick: show it the original
     * nick again */
    muc_presence_send_listed(room, orig, from->full, MUC_ITEMS_FULL);
  }
  if (mx)
    send_room_state(room, st, from->full);
  muc_hook_nick(room, orig->nick, dest->nick, from->full);
  muc_presence_release(room, orig);
  muc_presence_release(room, dest);
  return;
fail:
  if (first)
    muc_occupant_free(room, dest);
}

void muc_op_update_presence(muc_room *room, const muc_jid *from,
                            muc_occupant *occ, const mxml_node_t *st)
{
  muc_role prev = occ->role;
  if (muc_occupant_set_session(room, occ, from->full, st) != MUC_OK)
    return;
  muc_room_save_occupant(room, occ);
  mxml_node_t *mx = muc_xml_child(st, "x", MUC_NS_MUC);
  if (mx) /* a client re-joining after losing track: send everything */
    muc_presence_send_occupant_list(room, from->full, NULL);
  muc_pub p = {.prev_role = prev};
  muc_presence_publicise(room, occ, &p);
  if (mx)
    send_room_state(room, st, from->full);
  muc_presence_release(room, occ);
}

void muc_op_join_new_room(muc_room *room, const muc_jid *from, const char *nick,
                          const mxml_node_t *st)
{
  muc_occupant *dest = muc_occupant_new(room, nick, from->full);
  if (!dest)
    return;
  dest->role = MUC_ROLE_MODERATOR;
  if (muc_occupant_set_session(room, dest, from->full, st) != MUC_OK ||
      !muc_room_save_occupant(room, dest)) {
    muc_presence_release(room, dest);
    return;
  }
  muc_codes codes = {0};
  muc_codes_add(&codes, 201);
  if (room->cfg.whois == MUC_WHOIS_ANYONE)
    muc_codes_add(&codes, 100);
  if (room->cfg.logging)
    muc_codes_add(&codes, 170);
  muc_hook_joined(room, dest, from->full, MUC_AFFIL_OWNER);
  muc_pub p = {.base = &codes};
  muc_presence_publicise(room, dest, &p);
  send_room_state(room, st, from->full);
  muc_room_save(room, 0);
}
