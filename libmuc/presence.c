#include "presence.h"

#include "hooks.h"

#include <string.h>

#include "affiliation.h"
#include "bounce.h"
#include "entry.h"
#include "message.h"
#include "occupant.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"
#include "timer.h"
#include "userx.h"

/* Which <item/>s an announcement carries. */
enum item_mode {
  ITEMS_FULL, /* one item per session with its real JID, actor JID too */
  ITEMS_SELF, /* real JIDs, but not the actor's (§7.2.3) */
  ITEMS_ANON  /* no real JID */
};

static int role_broadcast(const muc_room *room, muc_role role)
{
  return (room->cfg.presence_broadcast & MUC_ROLE_BIT(role)) != 0;
}

int muc_room_can_see_jids(const muc_room *room, const muc_occupant *rec)
{
  if (room->cfg.whois == MUC_WHOIS_ANYONE)
    return 1;
  return rec->role >= MUC_ROLE_MODERATOR;
}

int muc_room_is_anonymous_for(const muc_room *room, const char *jid)
{
  if (room->cfg.whois == MUC_WHOIS_ANYONE)
    return 0;
  if (muc_room_affiliation(room, jid) >= MUC_AFFIL_ADMIN)
    return 0;
  const muc_occupant *occ = muc_room_occupant_by_jid(room, jid);
  return !(occ && muc_room_can_see_jids(room, occ));
}

static void add_item(muc_service *svc, mxml_node_t *x, muc_affiliation aff,
                     const char *role, const char *jid, const char *nick,
                     const char *actor_nick, const char *actor_jid,
                     const char *reason)
{
  mxml_node_t *item = muc_el(svc, x, "item", NULL);
  muc_attr(svc, item, "affiliation", muc_affiliation_name(aff));
  muc_attr(svc, item, "jid", jid);
  muc_attr(svc, item, "nick", nick);
  muc_attr(svc, item, "role", role);
  if (actor_nick || actor_jid) {
    mxml_node_t *actor = muc_el(svc, item, "actor", NULL);
    muc_attr(svc, actor, "nick", actor_nick);
    muc_attr(svc, actor, "jid", actor_jid);
  }
  if (reason)
    muc_el_text(svc, item, "reason", NULL, reason);
}

/* The items of |occ| in an announcement, as bytes. */
static void put_items(muc_room *room, muc_buf *b, const muc_occupant *occ,
                      enum item_mode mode, const muc_pub *p,
                      const char *actor_nick)
{
  muc_userx_item it = {muc_room_affiliation(room, occ->bare_jid),
                       muc_role_name(occ->role),
                       NULL,
                       p->nick,
                       actor_nick,
                       mode == ITEMS_FULL ? p->actor : NULL,
                       p->reason};
  if (mode == ITEMS_ANON) {
    it.actor_jid = NULL;
    muc_userx_put_item(b, &it);
    return;
  }
  for (muc_session *s = occ->sessions; s; s = s->next) {
    it.jid = s->jid;
    muc_userx_put_item(b, &it);
  }
  if (!occ->sessions && p->gone_session) {
    it.jid = p->gone_session;
    muc_userx_put_item(b, &it);
  }
}

/* ---- presences as bytes ---------------------------------------------------
 * Presences about occupants are assembled from serialized pieces: the
 * sender's presence (start tag and children, see muc_session) and the
 * muc#user payload built once per announcement.  Each announcement is
 * serialized once per variant; recipients only differ by 'to'. */

typedef muc_pres_src pres_src;

/* The <x xmlns='...muc#user'/> of an announcement, appended to |out|:
 * statuses, the extra element, items, 110 for the occupant itself. */
static void x_bytes(muc_room *room, muc_buf *out, const muc_occupant *occ,
                    const muc_pub *p, const muc_codes *codes,
                    enum item_mode mode, const char *actor_nick, int self)
{
  muc_userx_open(out);
  size_t start = out->len;
  for (size_t i = 0; codes && i < codes->n; i++)
    muc_userx_put_status(out, codes->code[i]);
  if (p->extra && muc_userx_put_copy(out, p->extra) != MUC_OK)
    muc_fail(room->svc, MUC_ERR_NOMEM);
  put_items(room, out, occ, mode, p, actor_nick);
  if (self)
    muc_userx_put_status(out, 110);
  muc_userx_close(out, out->len == start);
  if (out->oom)
    muc_fail(room->svc, MUC_ERR_NOMEM);
}

/* head [to] ">" body x "</presence>" into |out|. */
static void assemble(muc_buf *out, const pres_src *b, const char *to,
                     const char *x, size_t xl)
{
  muc_pres_put_head(out, b);
  if (to) {
    muc_buf_append(out, " to=\"", 5);
    muc_buf_append_escaped(out, to, strlen(to), 1);
    muc_buf_putc(out, '"');
  }
  muc_buf_putc(out, '>');
  muc_buf_append(out, b->body, b->bl);
  muc_buf_append(out, x, xl);
  muc_buf_puts(out, "</presence>");
}

/* A variant of the announcement as a wire (serialized once). */
static muc_wire *make_variant(muc_room *room, muc_wire *w, const pres_src *b,
                              const muc_occupant *occ, const muc_pub *p,
                              const muc_codes *codes, enum item_mode mode,
                              const char *actor_nick)
{
  muc_service *svc = room->svc;
  muc_buf x, whole;
  muc_buf_init(&x, &svc->mem);
  muc_buf_init(&whole, &svc->mem);
  x_bytes(room, &x, occ, p, codes, mode, actor_nick, 0);
  assemble(&whole, b, NULL, x.data, x.len);
  if (x.oom || whole.oom)
    muc_fail(svc, MUC_ERR_NOMEM);
  else
    muc_wire_from_text(svc, w, whole.data, whole.len);
  muc_buf_free(&x);
  muc_buf_free(&whole);
  return w;
}

/* The same presence with type='unavailable', into |store| (Prosody shows an
 * occupant whose new role is not broadcast as gone). */
static int retype_unavailable(muc_service *svc, const pres_src *in,
                              muc_buf *store, pres_src *out)
{
  muc_buf t;
  muc_buf_init(&t, &svc->mem);
  muc_pres_put_head(&t, in);
  muc_buf_putc(&t, '>');
  muc_buf_append(&t, in->body, in->bl);
  muc_buf_puts(&t, "</presence>");
  mxml_node_t *tree = NULL;
  muc_xml_limits lim = {t.len + 1, 0, 0, 0};
  int rc = t.oom ? MUC_ERR_NOMEM
                 : muc_xml_parse(&svc->mem, t.data, t.len, &lim, &tree);
  muc_buf_free(&t);
  if (rc == MUC_OK && muc_xml_set_attr(tree, "type", "unavailable") == MUC_OK &&
      muc_xml_write(store, tree) == MUC_OK) {
    size_t h = muc_wire_splice_point(store->data, store->len);
    out->from = NULL;
    out->head = store->data;
    out->hl = h;
    out->body = store->data + h + 1;
    out->bl = store->data[h] == '>' ? store->len - h - 1 - 11 : 0;
    mxmlDelete(tree);
    return MUC_OK;
  }
  mxmlDelete(tree);
  muc_fail(svc, MUC_ERR_NOMEM);
  return MUC_ERR_NOMEM;
}

void muc_room_wire_to_occupant(muc_room *room, const muc_occupant *occ,
                               muc_wire *w)
{
  for (muc_session *s = occ->sessions; s; s = s->next)
    if (muc_session_is_reachable(occ, s))
      muc_wire_send(room->svc, w, s->jid);
}

void muc_room_send_to_occupant(muc_room *room, const muc_occupant *occ,
                               mxml_node_t *st)
{
  muc_service *svc = room->svc;
  if (!st)
    return;
  for (muc_session *s = occ->sessions; s; s = s->next) {
    if (!muc_session_is_reachable(occ, s))
      continue;
    muc_attr(svc, st, "to", s->jid);
    muc_send(svc, st);
  }
}

struct variants {
  muc_wire full, anon, self;
  int have_full, have_anon, have_self;
  const muc_codes *self_codes;
};

static muc_wire *pick(muc_room *room, struct variants *v, const pres_src *b,
                      const muc_occupant *occ, const muc_pub *p,
                      const char *actor_nick, const muc_occupant *rec)
{
  if (muc_room_can_see_jids(room, rec)) {
    if (!v->have_full)
      make_variant(room, &v->full, b, occ, p, p->base, ITEMS_FULL, actor_nick);
    v->have_full = 1;
    return &v->full;
  }
  if (strcmp(occ->bare_jid, rec->bare_jid) == 0) {
    /* another occupant of the same user sees the real JIDs */
    if (!v->have_self)
      make_variant(room, &v->self, b, occ, p, v->self_codes, ITEMS_SELF,
                   actor_nick);
    v->have_self = 1;
    return &v->self;
  }
  if (!v->have_anon)
    make_variant(room, &v->anon, b, occ, p, p->base, ITEMS_ANON, actor_nick);
  v->have_anon = 1;
  return &v->anon;
}

void muc_presence_publicise(muc_room *room, muc_occupant *occ, const muc_pub *p)
{
  muc_service *svc = room->svc;
  muc_buf gen, retyped, selfx, text;
  muc_buf_init(&gen, &svc->mem);
  muc_buf_init(&retyped, &svc->mem);
  muc_buf_init(&selfx, &svc->mem);
  muc_buf_init(&text, &svc->mem);
  pres_src base;
  muc_session *prim = occ->primary;
  if (prim && (occ->role != MUC_ROLE_NONE || !prim->available) &&
      !p->force_unavailable) {
    muc_session_src(occ, prim, &base);
  } else {
    /* gone without a word of its own: a generated unavailable presence */
    muc_buf_puts(&gen, "<presence from=\"");
    muc_buf_append_escaped(&gen, occ->occ_jid, strlen(occ->occ_jid), 1);
    muc_buf_puts(&gen, "\" type=\"unavailable\"");
    base.from = NULL;
    base.head = gen.data;
    base.hl = gen.len;
    base.body = "";
    base.bl = 0;
    if (gen.oom) {
      muc_fail(svc, MUC_ERR_NOMEM);
      goto out;
    }
  }

  const char *actor_nick = NULL;
  if (p->actor) {
    const muc_occupant *a = muc_room_occupant_by_jid(room, p->actor);
    if (a)
      actor_nick = a->nick;
  }

  struct variants v = {0};
  const muc_codes *self_codes = p->self ? p->self : p->base;
  v.self_codes = self_codes;

  if (p->recipient) {
    muc_room_wire_to_occupant(
        room, p->recipient,
        pick(room, &v, &base, occ, p, actor_nick, p->recipient));
    goto done;
  }

  int shown = role_broadcast(room, occ->role) || p->force_unavailable;
  int was_shown =
      p->prev_role != MUC_ROLE_NONE && role_broadcast(room, p->prev_role);
  if (shown || was_shown) {
    pres_src rb = base;
    if (!shown && retype_unavailable(svc, &base, &retyped, &rb) != MUC_OK)
      goto done;
    for (muc_occupant *r = room->first; r; r = r->next) {
      if (r == occ)
        continue;
      muc_room_wire_to_occupant(room, r,
                                pick(room, &v, &rb, occ, p, actor_nick, r));
    }
  }

  /* the occupant itself: status 110 (§7.2.3) */
  if (occ->role == MUC_ROLE_NONE) {
    muc_wire w110;
    x_bytes(room, &selfx, occ, p, self_codes, ITEMS_SELF, actor_nick, 1);
    assemble(&text, &base, NULL, selfx.data, selfx.len);
    if (!text.oom && !selfx.oom &&
        muc_wire_from_text(svc, &w110, text.data, text.len) == MUC_OK) {
      muc_room_wire_to_occupant(room, occ, &w110);
      muc_wire_clear(svc, &w110);
    }
  } else {
    /* each session sees its own presence */
    x_bytes(room, &selfx, occ, p, self_codes, ITEMS_SELF, actor_nick, 1);
    for (muc_session *s = occ->sessions; s && !selfx.oom; s = s->next) {
      pres_src own;
      muc_session_src(occ, s, &own);
      muc_buf_reset(&text);
      assemble(&text, &own, s->jid, selfx.data, selfx.len);
      if (text.oom)
        break;
      muc_send_text(svc, text.data, text.len, s->jid);
    }
  }
  if (selfx.oom || text.oom)
    muc_fail(svc, MUC_ERR_NOMEM);

done:
  muc_wire_clear(svc, &v.full);
  muc_wire_clear(svc, &v.anon);
  muc_wire_clear(svc, &v.self);
out:
  muc_buf_free(&gen);
  muc_buf_free(&retyped);
  muc_buf_free(&selfx);
  muc_buf_free(&text);
}

/* <item affiliation= jid= role=/> written directly: the occupant list of a
 * join is the hottest path, so it skips building trees.  The attribute
 * order is add_item()'s. */
static void item_bytes(muc_buf *b, muc_affiliation aff, const char *jid,
                       muc_role role)
{
  muc_buf_puts(b, "<item affiliation=\"");
  muc_buf_puts(b, muc_affiliation_name(aff));
  if (jid) {
    muc_buf_puts(b, "\" jid=\"");
    muc_buf_append_escaped(b, jid, strlen(jid), 1);
  }
  muc_buf_puts(b, "\" role=\"");
  muc_buf_puts(b, muc_role_name(role));
  muc_buf_puts(b, "\"/>");
}

/* The presence of |o| as a newcomer (or a resynchronizing session) |to|
 * receives it: its primary presence with the plain item list. */
static void send_listed(muc_room *room, muc_occupant *o, const char *to,
                        enum item_mode mode)
{
  muc_service *svc = room->svc;
  muc_buf *b = &svc->scratch;
  muc_buf_reset(b);
  pres_src src;
  muc_session_src(o, o->primary, &src);
  muc_pres_put_head(b, &src);
  muc_buf_append(b, " to=\"", 5);
  muc_buf_append_escaped(b, to, strlen(to), 1);
  muc_buf_putc(b, '"');
  muc_buf_putc(b, '>');
  muc_buf_append(b, src.body, src.bl);
  muc_buf_puts(b, "<x xmlns=\"" MUC_NS_USER "\">");
  muc_affiliation aff = muc_room_affiliation(room, o->bare_jid);
  if (mode == ITEMS_ANON) {
    item_bytes(b, aff, NULL, o->role);
  } else {
    for (muc_session *s = o->sessions; s; s = s->next)
      item_bytes(b, aff, s->jid, o->role);
  }
  muc_buf_puts(b, "</x></presence>");
  if (b->oom) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  muc_send_text(svc, b->data, b->len, to);
}

void muc_presence_send_occupant_list(muc_room *room, const char *to,
                                     const char *skip_bare)
{
  muc_service *svc = room->svc;
  /* the bare JID of |to|: its first |bl| bytes */
  const char *slash = strchr(to, '/');
  size_t bl = slash ? (size_t)(slash - to) : strlen(to);
  int anon = muc_room_is_anonymous_for(room, to);
  for (muc_occupant *o = room->first; o; o = o->next) {
    if (muc_occupant_session(o, to))
      continue;
    if (skip_bare && strcmp(o->bare_jid, skip_bare) == 0)
      continue;
    int same = strncmp(to, o->bare_jid, bl) == 0 && !o->bare_jid[bl];
    if (!same && !role_broadcast(room, o->role))
      continue;
    if (!o->primary)
      continue;
    send_listed(room, o, to, anon && !same ? ITEMS_ANON : ITEMS_FULL);
  }
  if (role_broadcast(room, MUC_ROLE_NONE)) {
    /* affiliated users who are not here are shown as unavailable */
    for (muc_affil *a = room->afirst; a; a = a->next) {
      if (!a->nick && anon)
        continue;
      if (skip_bare && strcmp(a->jid, skip_bare) == 0)
        continue;
      int present = 0;
      for (muc_occupant *o = room->first; o && !present; o = o->next)
        present = strcmp(o->bare_jid, a->jid) == 0;
      if (present)
        continue;
      mxml_node_t *pr;
      if (a->nick) {
        size_t rl = strlen(room->jid), nl = strlen(a->nick);
        char *from = muc_mem_malloc(&svc->mem, rl + nl + 2);
        if (!from) {
          muc_fail(svc, MUC_ERR_NOMEM);
          break;
        }
        memcpy(from, room->jid, rl);
        from[rl] = '/';
        memcpy(from + rl + 1, a->nick, nl + 1);
        pr = muc_stanza_new(svc, "presence", from, to, "unavailable", NULL);
        muc_mem_free(&svc->mem, from);
      } else {
        pr =
            muc_stanza_new(svc, "presence", room->jid, to, "unavailable", NULL);
      }
      mxml_node_t *x = muc_el(svc, pr, "x", MUC_NS_USER);
      add_item(svc, x, a->aff, "none", anon ? NULL : a->jid, a->nick, NULL,
               NULL, NULL);
      muc_send_free(svc, pr);
    }
  }
}

void muc_presence_release(muc_room *room, muc_occupant *occ)
{
  if (occ && !occ->in_room)
    muc_occupant_free(room, occ);
  else if (occ)
    muc_occupant_prune(room, occ);
}

void muc_presence_send_room_state(muc_room *room, const mxml_node_t *st,
                                  const char *to)
{
  muc_message_send_history(room, to, muc_xml_child(st, "x", MUC_NS_MUC));
  muc_message_send_subject(room, to);
}

static void join(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                 const char *nick)
{
  muc_occupant *dest = muc_room_occupant_by_nick(room, nick);
  int first = dest == NULL;
  if (muc_entry_refuse_join(room, st, from, nick, dest))
    return;
  muc_affiliation aff = muc_room_affiliation(room, from->bare);
  muc_role role = first ? muc_default_role(aff, room->cfg.members_only,
                                           room->cfg.moderated)
                        : dest->role;
  if (muc_hook_refuse_join(room->svc, st, room->jid, from, nick, aff, role, 0))
    return;
  if (first) {
    dest = muc_occupant_new(room, nick, from->full);
    if (!dest)
      return;
    dest->role = role;
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
  if (first)
    muc_hook_joined(room, dest, from->full, aff);
  muc_pub p = {.self = &self};
  muc_presence_publicise(room, dest, &p);
  muc_presence_send_room_state(room, st, from->full);
}

/* The session leaves its occupant (unavailable presence, §7.14). */
static void leave(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  muc_occupant *orig)
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
    muc_room_destroy(room, NULL, NULL, NULL);
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
    item_bytes(&x, muc_room_affiliation(room, orig->bare_jid), from->full,
               MUC_ROLE_NONE);
    muc_buf_puts(&x, "<status code=\"110\"/></x>");
    pres_src own;
    muc_session_src(orig, s, &own);
    assemble(&text, &own, from->full, x.data, x.len);
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

/* The session moves from |orig| to the nick |nick| (§7.6). */
static void change_nick(muc_room *room, const mxml_node_t *st,
                        const muc_jid *from, muc_occupant *orig,
                        const char *nick)
{
  muc_service *svc = room->svc;
  muc_occupant *dest = muc_room_occupant_by_nick(room, nick);
  int first = dest == NULL;
  if (muc_entry_refuse_nick_change(room, st, from, orig, nick, dest))
    return;
  if (first) {
    dest = muc_occupant_new(room, nick, from->full);
    if (!dest)
      return;
    dest->role = orig->role;
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
    add_item(svc, x, muc_room_affiliation(room, from->bare), "none", NULL, NULL,
             NULL, NULL, NULL);
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
    add_item(svc, x, muc_room_affiliation(room, from->bare),
             muc_role_name(orig->role), from->full, dest->nick, NULL, NULL,
             NULL);
    mxml_node_t *s1 = muc_el(svc, x, "status", NULL);
    muc_attr(svc, s1, "code", "303");
    mxml_node_t *s2 = muc_el(svc, x, "status", NULL);
    muc_attr(svc, s2, "code", "110");
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
    send_listed(room, orig, from->full, ITEMS_FULL);
  }
  if (mx)
    muc_presence_send_room_state(room, st, from->full);
  muc_hook_nick(room, orig->nick, dest->nick, from->full);
  muc_presence_release(room, orig);
  muc_presence_release(room, dest);
  return;
fail:
  if (first)
    muc_occupant_free(room, dest);
}

/* A presence update to the nick the session already has (§7.7). */
static void update(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                   muc_occupant *occ)
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
    muc_presence_send_room_state(room, st, from->full);
  muc_presence_release(room, occ);
}

static void probe(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const muc_jid *to, muc_occupant *prober)
{
  muc_service *svc = room->svc;
  if (!prober) {
    muc_refuse(svc, st, MUC_REFUSE_PROBE_NOT_OCCUPANT, room->jid);
    return;
  }
  muc_occupant *probed = muc_room_occupant_by_nick(room, to->resource);
  if (probed) {
    muc_pub p = {.recipient = prober};
    muc_presence_publicise(room, probed, &p);
    return;
  }
  /* an absent member with a reserved nick is shown as unavailable */
  const char *bare = muc_room_reserved_by(room, to->resource);
  if (!bare)
    return;
  int anon = muc_room_is_anonymous_for(room, from->full);
  mxml_node_t *pr = muc_stanza_new(svc, "presence", to->full, from->full,
                                   "unavailable", NULL);
  mxml_node_t *x = muc_el(svc, pr, "x", MUC_NS_USER);
  add_item(svc, x, muc_room_affiliation(room, bare), "none", anon ? NULL : bare,
           to->resource, NULL, NULL, NULL);
  muc_send_free(svc, pr);
}

/* Presence types a room takes without an answer: old invisibility
 * (visible, invisible), and the types whose handling is a choice (probes
 * to the room itself, §17.3; departures of someone not there). */
static int is_ignored_type(const char *type)
{
  return strcmp(type, "visible") == 0 || strcmp(type, "invisible") == 0 ||
         strcmp(type, "probe") == 0 || strcmp(type, "unavailable") == 0 ||
         strcmp(type, "error") == 0;
}

void muc_presence_to_occupant(muc_room *room, const mxml_node_t *st,
                              const muc_jid *from, const muc_jid *to)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  if (type && strcmp(type, "error") == 0) {
    muc_bounce_received(room, st, from, to->resource);
    return;
  }
  muc_occupant *orig = muc_room_occupant_by_jid(room, from->full);
  if (type && strcmp(type, "probe") == 0) {
    probe(room, st, from, to, orig);
    return;
  }
  if (type && strcmp(type, "unavailable") != 0) {
    if (!is_ignored_type(type))
      muc_refuse(svc, st, MUC_REFUSE_PRESENCE_TYPE, room->jid);
    return;
  }
  if (type) { /* unavailable */
    if (orig)
      leave(room, st, from, orig);
    return;
  }
  if (!orig) {
    if (!muc_xml_child(st, "x", MUC_NS_MUC)) {
      muc_refuse(svc, st, MUC_REFUSE_NOT_JOINED, room->jid);
      return;
    }
    join(room, st, from, to->resource);
  } else if (strcmp(orig->nick, to->resource) == 0) {
    update(room, st, from, orig);
  } else {
    change_nick(room, st, from, orig, to->resource);
  }
}

void muc_presence_to_room(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const muc_jid *to)
{
  (void)to;
  muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  if (!occ) {
    /* a join needs a nickname (§7.2.1, Ex19); other types from someone
     * not in the room are answered as to an occupant JID */
    const char *type = muc_stanza_type(st);
    if (!type)
      muc_refuse(room->svc, st, MUC_REFUSE_JOIN_WITHOUT_NICK, room->jid);
    else if (!is_ignored_type(type))
      muc_refuse(room->svc, st, MUC_REFUSE_PRESENCE_TYPE, room->jid);
    return;
  }
  muc_jid at = {.node = NULL,
                .domain = NULL,
                .resource = occ->nick,
                .bare = room->jid,
                .full = occ->occ_jid};
  muc_presence_to_occupant(room, st, from, &at);
}
