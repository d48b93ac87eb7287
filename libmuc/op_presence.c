#include "op_presence.h"

#include <string.h>

#include "affiliation.h"
#include "occupant.h"
#include "op_send.h"
#include "permission.h"
#include "room.h"
#include "room_extras.h"
#include "stanza.h"
#include "userx.h"

static int role_broadcast(const muc_room *room, muc_role role)
{
  return (room->cfg.presence_broadcast & MUC_ROLE_BIT(role)) != 0;
}

/* The permission table on |aff| and |role| learning real JIDs. */
static int sees_jids(const muc_room *room, muc_affiliation aff, muc_role role)
{
  muc_permit_case c = {
      .action = MUC_ACT_SEE_JIDS,
      .facts = room->cfg.whois == MUC_WHOIS_ANYONE ? MUC_FACT_WHOIS_ANYONE : 0,
      .actor_aff = aff,
      .actor_role = role};
  return muc_permit(&c)->outcome == MUC_PERMIT_ALLOW;
}

int muc_room_can_see_jids(const muc_room *room, const muc_occupant *rec)
{
  /* the occupant's role decides: an admin or owner in the room is a
   * moderator (§5.1.2; the set-role rules keep it one), so its
   * affiliation is not looked up for every copy of a presence */
  return sees_jids(room, MUC_AFFIL_NONE, rec->role);
}

int muc_room_is_anonymous_for(const muc_room *room, const char *jid)
{
  const muc_occupant *occ = muc_room_occupant_by_jid(room, jid);
  return !sees_jids(room, muc_room_affiliation(room, jid),
                    occ ? occ->role : MUC_ROLE_NONE);
}

void muc_presence_add_item(muc_service *svc, mxml_node_t *x,
                           muc_affiliation aff, const char *role,
                           const char *jid, const char *nick,
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
                      enum muc_item_mode mode, const muc_pub *p,
                      const char *actor_nick)
{
  muc_userx_item it = {muc_room_affiliation(room, occ->bare_jid),
                       muc_role_name(occ->role),
                       NULL,
                       p->nick,
                       actor_nick,
                       mode == MUC_ITEMS_FULL ? p->actor : NULL,
                       p->reason};
  if (mode == MUC_ITEMS_ANON) {
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
                    enum muc_item_mode mode, const char *actor_nick, int self)
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
  if (!p->force_unavailable && occ->role != MUC_ROLE_NONE)
    muc_extras_put_hats(room, out, occ->bare_jid); /* XEP-0317 §3.1 */
  if (out->oom)
    muc_fail(room->svc, MUC_ERR_NOMEM);
}

void muc_presence_assemble(muc_buf *out, const muc_pres_src *b, const char *to,
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
  if (b->oid)
    muc_buf_puts(out, b->oid); /* XEP-0421 */
  muc_buf_puts(out, "</presence>");
}

/* A variant of the announcement as a wire (serialized once). */
static muc_wire *make_variant(muc_room *room, muc_wire *w, const pres_src *b,
                              const muc_occupant *occ, const muc_pub *p,
                              const muc_codes *codes, enum muc_item_mode mode,
                              const char *actor_nick)
{
  muc_service *svc = room->svc;
  muc_buf x, whole;
  muc_buf_init(&x, &svc->mem);
  muc_buf_init(&whole, &svc->mem);
  x_bytes(room, &x, occ, p, codes, mode, actor_nick, 0);
  muc_presence_assemble(&whole, b, NULL, x.data, x.len);
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
    out->oid = in->oid;
    mxmlDelete(tree);
    return MUC_OK;
  }
  mxmlDelete(tree);
  muc_fail(svc, MUC_ERR_NOMEM);
  return MUC_ERR_NOMEM;
}

struct variants {
  muc_wire full, anon, self;
  int have_full, have_anon, have_self;
  const muc_codes *self_codes;
  /* per recipient role: 2 sees real JIDs, 1 does not, 0 not asked yet
   * (the permission table is asked once per role and broadcast) */
  unsigned char sees[4];
};

static int sees_jids_of(muc_room *room, struct variants *v,
                        const muc_occupant *rec)
{
  unsigned char *s = &v->sees[(unsigned)rec->role & 3u];
  if (!*s)
    *s = muc_room_can_see_jids(room, rec) ? 2 : 1;
  return *s == 2;
}

static muc_wire *pick(muc_room *room, struct variants *v, const pres_src *b,
                      const muc_occupant *occ, const muc_pub *p,
                      const char *actor_nick, const muc_occupant *rec)
{
  if (sees_jids_of(room, v, rec)) {
    if (!v->have_full)
      make_variant(room, &v->full, b, occ, p, p->base, MUC_ITEMS_FULL,
                   actor_nick);
    v->have_full = 1;
    return &v->full;
  }
  if (strcmp(occ->bare_jid, rec->bare_jid) == 0) {
    /* another occupant of the same user sees the real JIDs */
    if (!v->have_self)
      make_variant(room, &v->self, b, occ, p, v->self_codes, MUC_ITEMS_SELF,
                   actor_nick);
    v->have_self = 1;
    return &v->self;
  }
  if (!v->have_anon)
    make_variant(room, &v->anon, b, occ, p, p->base, MUC_ITEMS_ANON,
                 actor_nick);
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
    base.oid = muc_occupant_id(occ);
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
    x_bytes(room, &selfx, occ, p, self_codes, MUC_ITEMS_SELF, actor_nick, 1);
    muc_presence_assemble(&text, &base, NULL, selfx.data, selfx.len);
    if (!text.oom && !selfx.oom &&
        muc_wire_from_text(svc, &w110, text.data, text.len) == MUC_OK) {
      muc_room_wire_to_occupant(room, occ, &w110);
      muc_wire_clear(svc, &w110);
    }
  } else {
    /* each session sees its own presence */
    x_bytes(room, &selfx, occ, p, self_codes, MUC_ITEMS_SELF, actor_nick, 1);
    for (muc_session *s = occ->sessions; s && !selfx.oom; s = s->next) {
      pres_src own;
      muc_session_src(occ, s, &own);
      muc_buf_reset(&text);
      muc_presence_assemble(&text, &own, s->jid, selfx.data, selfx.len);
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
 * order is muc_presence_add_item()'s. */
void muc_presence_item_bytes(muc_buf *b, muc_affiliation aff, const char *jid,
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
void muc_presence_send_listed(muc_room *room, muc_occupant *o, const char *to,
                              enum muc_item_mode mode)
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
  if (mode == MUC_ITEMS_ANON) {
    muc_presence_item_bytes(b, aff, NULL, o->role);
  } else {
    for (muc_session *s = o->sessions; s; s = s->next)
      muc_presence_item_bytes(b, aff, s->jid, o->role);
  }
  muc_buf_puts(b, "</x>");
  muc_extras_put_hats(room, b, o->bare_jid); /* XEP-0317 §3.1 */
  muc_buf_puts(b, src.oid);                  /* XEP-0421 */
  muc_buf_puts(b, "</presence>");
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
    muc_presence_send_listed(room, o, to,
                             anon && !same ? MUC_ITEMS_ANON : MUC_ITEMS_FULL);
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
      muc_presence_add_item(svc, x, a->aff, "none", anon ? NULL : a->jid,
                            a->nick, NULL, NULL, NULL);
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

/* In a semi-anonymous room an occupant who gains (or loses) the moderator
 * role now sees (or no longer sees) real JIDs (§7.2.4): send it everyone
 * again. */
void muc_presence_resend_list(muc_room *room, const muc_occupant *o,
                              muc_role old)
{
  if (!o->in_room || room->cfg.whois != MUC_WHOIS_MODERATORS ||
      (old == MUC_ROLE_MODERATOR) == (o->role == MUC_ROLE_MODERATOR))
    return;
  for (muc_session *s = o->sessions; s; s = s->next)
    if (s->available)
      muc_presence_send_occupant_list(room, s->jid, o->bare_jid);
}
