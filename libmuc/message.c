#include "message.h"

#include <stdlib.h>
#include <string.h>

#include "affiliation.h"
#include "archive.h"
#include "bounce.h"
#include "flood.h"
#include "form.h"
#include "hooks.h"
#include "limit.h"
#include "message_ids.h"
#include "occupant.h"
#include "op_send.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "room_extras.h"
#include "room_permit.h"
#include "stanza.h"
#include "verdict.h"

#define MUC_NS_HINTS "urn:xmpp:hints"
#define MUC_NS_EME "urn:xmpp:eme:0"
#define MUC_NS_MARKERS "urn:xmpp:chat-markers:0"

static int is_ns(const mxml_node_t *c, const char *ns)
{
  const char *n = muc_xml_ns(c);
  return n && strcmp(n, ns) == 0;
}

/* The names of the children passed_on() may drop besides the MUC
 * payloads: jabber:x:delay (x), delays, hats, and the ids only the room
 * gives.  Any other child (a body) is passed on without resolving its
 * namespace. */
static const char *const droppable_names[] = {
    "x", "delay", "hats", "hat", "occupant-id", "stanza-id"};

static int may_be_dropped(const mxml_node_t *c)
{
  const char *name = muc_xml_name(c);
  if (!name)
    return 1;
  for (size_t i = 0; i < sizeof droppable_names / sizeof *droppable_names; i++)
    if (name[0] == droppable_names[i][0] && /* a body: no strcmp() */
        strcmp(name, droppable_names[i]) == 0)
      return 1;
  return 0;
}

/* Should the child |c| of a message be passed on?  Not a delay claiming to
 * come from the room (nobody speaks for the room), nor an id only the
 * room gives, nor with |drop_muc| a MUC payload. */
static int passed_on(const muc_room *room, const mxml_node_t *c, int drop_muc)
{
  if (!drop_muc && !may_be_dropped(c))
    return 1; /* with |drop_muc|, any element of the MUC namespaces goes */
  if (drop_muc && (is_ns(c, MUC_NS_MUC) || is_ns(c, MUC_NS_USER)))
    return 0;
  if (muc_extras_is_hats(c))
    return 0; /* only the room says who wears which hat (XEP-0317) */
  if (muc_message_id_forged(room, c))
    return 0;
  const char *cfrom = muc_xml_attr(c, "from");
  return !(cfrom && strcmp(cfrom, room->jid) == 0 &&
           (muc_xml_is(c, "delay", MUC_NS_DELAY) ||
            muc_xml_is(c, "x", "jabber:x:delay")));
}

/* Is the attribute |name| of a message passed on?  Not the addresses
 * (the room sets them) nor a namespace declaration of the stream's. */
static int kept_attr(const char *name)
{
  return name && strcmp(name, "from") != 0 && strcmp(name, "to") != 0 &&
         strcmp(name, "xmlns") != 0;
}

/* A copy of |st| (attributes but from/to, children but the MUC payloads
 * when |drop_muc|, and delays claiming to come from the room). */
static mxml_node_t *copy_message(muc_room *room, const mxml_node_t *st,
                                 int drop_muc)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = muc_stanza_new(svc, "message", NULL, NULL, NULL, NULL);
  if (!m)
    return NULL;
  for (int i = 0, n = muc_xml_attr_count(st); i < n; i++) {
    const char *name = NULL;
    const char *v = muc_xml_attr_at(st, i, &name);
    if (kept_attr(name))
      muc_attr(svc, m, name, v);
  }
  for (mxml_node_t *c = muc_xml_first_element(st); c;
       c = muc_xml_next_element(c))
    if (passed_on(room, c, drop_muc))
      muc_el_copy(svc, m, c);
  return m;
}

/* ---- history ----------------------------------------------------------- */

/* What a groupchat message's children say, found in one pass: a child's
 * namespace is resolved only when its name is one of these. */
enum {
  KID_BODY = 1,
  KID_THREAD = 2,
  KID_NO_STORE = 4,
  KID_STORE = 8,
  KID_ENCRYPTION = 16,
  KID_RETRACT = 32,
};

static const struct {
  const char *name, *ns;
  unsigned kind;
} kid_kinds[] = {
    {"body", MUC_NS_CLIENT, KID_BODY},
    {"thread", MUC_NS_CLIENT, KID_THREAD},
    {"no-store", MUC_NS_HINTS, KID_NO_STORE},
    {"no-permanent-store", MUC_NS_HINTS, KID_NO_STORE},
    {"store", MUC_NS_HINTS, KID_STORE},
    {"encryption", MUC_NS_EME, KID_ENCRYPTION},
    {"retract", MUC_NS_RETRACT, KID_RETRACT},
};

typedef struct message_kids {
  unsigned kinds;       /* KID_* present */
  mxml_node_t *subject; /* the first <subject/>, or NULL */
} message_kids;

static message_kids kids_of(const mxml_node_t *m)
{
  message_kids k = {0, NULL};
  for (mxml_node_t *c = muc_xml_first_element(m); c;
       c = muc_xml_next_element(c)) {
    const char *name = muc_xml_name(c);
    if (!name)
      continue;
    if (!k.subject && strcmp(name, "subject") == 0 &&
        muc_xml_is(c, "subject", MUC_NS_CLIENT))
      k.subject = c;
    for (size_t i = 0; i < sizeof(kid_kinds) / sizeof(kid_kinds[0]); i++)
      if (!(k.kinds & kid_kinds[i].kind) && name[0] == kid_kinds[i].name[0] &&
          strcmp(name, kid_kinds[i].name) == 0 &&
          muc_xml_is(c, kid_kinds[i].name, kid_kinds[i].ns))
        k.kinds |= kid_kinds[i].kind;
  }
  return k;
}

/* Whether a groupchat message belongs in the history: XEP-0334 hints
 * first, then anything a reader would miss (a body, an encrypted payload
 * whose content cannot be known, a chat marker), as Prosody decides. */
static int is_historic(const mxml_node_t *m, unsigned kinds)
{
  if (kinds & KID_NO_STORE)
    return 0;
  if (kinds & (KID_STORE | KID_BODY | KID_ENCRYPTION))
    return 1;
  for (const mxml_node_t *c = muc_xml_first_element(m); c;
       c = muc_xml_next_element(c))
    if (is_ns(c, MUC_NS_MARKERS))
      return 1;
  return 0;
}

/* ---- groupchat ---------------------------------------------------------- */

/* A room still locked for its initial configuration does not exist yet
 * for anyone outside it (§10.1.1): messages from outside are answered
 * <item-not-found/> (§17.2 rule 3).  Returns 1 if refused (error sent). */
static int refuse_outsider_while_locked(muc_room *room, const mxml_node_t *st,
                                        const muc_occupant *occ)
{
  if (occ || !muc_room_is_locked(room))
    return 0;
  muc_refuse(room->svc, st, MUC_REFUSE_LOCKED_OUTSIDER, room->jid);
  return 1;
}

/* Room-made message ids: make_id writes at most this many bytes. */
#define MUC_MADE_ID 64

/* The message |st| as the room passes it on, serialized straight from the
 * sender's tree into |w|: the bytes of copy_message()'s tree with 'from'
 * = |occ|'s occupant JID, an id if it had none and the room's ids (stanza
 * id |sid|, NULL: none) last, without building that tree.  0 when a child
 * needs what copying does (namespace declarations carried from above):
 * then the caller copies. */
static int wire_of_message(muc_room *room, const mxml_node_t *st,
                           const muc_occupant *occ, const char *sid,
                           char made[MUC_MADE_ID], muc_wire *w)
{
  const char *occ_jid = occ->occ_jid;
  muc_service *svc = room->svc;
  /* which of the first 64 children are passed on, asked once */
  uint64_t dropped = 0;
  unsigned nth = 0;
  for (mxml_node_t *c = muc_xml_first_element(st); c;
       c = muc_xml_next_element(c), nth++) {
    if (!passed_on(room, c, 0))
      dropped |= nth < 64 ? UINT64_C(1) << nth : 0;
    else if (!muc_xml_copy_is_plain(c))
      return 0;
  }
  /* the start tag as muc_xml_write() would write copy_message()'s root
   * with 'from' and 'id' set last */
  muc_buf *b = &svc->scratch;
  muc_buf_reset(b);
  muc_buf_puts(b, "<message");
  int has_id = 0;
  for (int i = 0, n = muc_xml_attr_count(st); i < n; i++) {
    const char *name = NULL;
    const char *v = muc_xml_attr_at(st, i, &name);
    if (!v || !kept_attr(name))
      continue;
    has_id |= strcmp(name, "id") == 0;
    muc_buf_put_attr(b, name, v);
  }
  muc_buf_put_attr(b, "from", occ_jid);
  if (!has_id) {
    muc_new_id(svc, made, MUC_MADE_ID);
    muc_buf_put_attr(b, "id", made);
  }
  int empty = 1;
  nth = 0;
  for (mxml_node_t *c = muc_xml_first_element(st); c;
       c = muc_xml_next_element(c), nth++) {
    if (nth < 64 ? (dropped >> nth) & 1 : !passed_on(room, c, 0))
      continue;
    if (empty)
      muc_buf_putc(b, '>');
    empty = 0;
    muc_xml_write(b, c);
  }
  if (muc_message_has_ids(occ, sid)) {
    if (empty)
      muc_buf_putc(b, '>');
    empty = 0;
    muc_message_ids_put(room, occ, sid, b);
  }
  muc_buf_puts(b, empty ? "/>" : "</message>");
  if (!b->oom && !svc->oom)
    muc_wire_from_text(svc, w, b->data, b->len);
  else
    muc_fail(svc, MUC_ERR_NOMEM);
  return 1;
}

/* The same bytes as wire_of_message(), by way of copy_message()'s tree:
 * for messages whose children need namespace declarations carried. */
static void wire_by_copy(muc_room *room, const mxml_node_t *st,
                         const muc_occupant *occ, const char *sid,
                         char made[MUC_MADE_ID], muc_wire *w)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = copy_message(room, st, 0);
  if (!m)
    return;
  muc_message_ids_add(room, occ, sid, m);
  muc_attr(svc, m, "from", occ->occ_jid);
  if (!muc_xml_attr(m, "id")) {
    muc_new_id(svc, made, MUC_MADE_ID);
    muc_attr(svc, m, "id", made);
  }
  muc_wire_from_tree(svc, w, m);
  mxmlDelete(m);
}

/* XEP-0424: the author's retraction, passed on like any message, also
 * replaces its message by a tombstone (one of somebody else's changes
 * nothing: only the author may retract, §4). */
static void retract_own(muc_room *room, const mxml_node_t *m,
                        const muc_jid *from, const muc_occupant *occ)
{
  const mxml_node_t *t = muc_xml_child(m, "retract", MUC_NS_RETRACT);
  const char *id = t ? muc_xml_attr(t, "id") : NULL;
  if (!id || !*id)
    return;
  muc_retraction r = {
      .stanza_id = id, .author = from->bare, .author_occ_jid = occ->occ_jid};
  muc_op_retract(room, &r); /* failures recorded, the message went on */
}

/* |occ|: the sender |from|'s occupant, or NULL. */
static void groupchat(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, muc_occupant *occ)
{
  muc_service *svc = room->svc;
  /* a subject change is a message with <subject/> and neither body nor
   * thread (XEP-0045 §8.1, Prosody issue #667) */
  message_kids kids = kids_of(st);
  mxml_node_t *subject = kids.subject;
  int subject_change = subject && !(kids.kinds & (KID_BODY | KID_THREAD));
  muc_permit_case c = {.action =
                           subject_change ? MUC_ACT_SUBJECT : MUC_ACT_SPEAK,
                       .facts = muc_room_facts(room),
                       .actor_role = occ ? occ->role : MUC_ROLE_NONE};
  if (muc_room_permit(room, st, &c) != MUC_PERMIT_ALLOW ||
      muc_flood_refuse(room, st, occ,
                       subject_change ? MUC_FLOOD_SUBJECT : MUC_FLOOD_MESSAGE))
    return;
  if (subject_change) {
    char *text = muc_text(svc, subject);
    if (!text)
      return; /* out of memory, recorded */
    /* max_subject_bytes: policy-violation (RFC 6120 §8.3.3.12), the
     * subject stays (limit.c) */
    if (!muc_limit_refuse_text(svc, st, MUC_LIMIT_SUBJECT, text, room->jid))
      muc_op_set_subject(room, &(muc_actor){from->full}, text,
                         muc_xml_attr(st, "id"));
    muc_mem_free(&svc->mem, text);
    return;
  }
  mxml_node_t *rewritten;
  if (muc_hook_refuse_message(room, st, occ, from, NULL, &rewritten))
    return;
  const mxml_node_t *m = rewritten ? rewritten : st;
  if (rewritten)
    kids = kids_of(m);
  /* serialized once: the copies and the history entry share the text,
   * and the archive the stanza id (XEP-0359) */
  char sid_buf[64];
  const char *sid = muc_message_stanza_id(room, sid_buf, sizeof(sid_buf));
  muc_wire w = {0};
  char made[MUC_MADE_ID] = ""; /* the id the room gave it, if it had none */
  if (!wire_of_message(room, m, occ, sid, made, &w))
    wire_by_copy(room, m, occ, sid, made, &w);
  const char *id = muc_xml_attr(m, "id");
  muc_post_origin o = {occ->nick, from->full, id ? id : made, sid};
  if (w.ok)
    muc_op_post_message(room, &w, room->hmax && is_historic(m, kids.kinds), &o);
  if (w.ok && (kids.kinds & KID_RETRACT))
    retract_own(room, m, from, occ);
  if (rewritten)
    mxmlDelete(rewritten);
}

/* ---- invitations (§7.8.2) ---------------------------------------------- */

/* A readable <body/> for clients that know no mediated invitations, unless
 * the sender gave one: "|who||what||room| (|reason|)", as Prosody words
 * it. */
static void plain_body(muc_room *room, mxml_node_t *m, const char *who,
                       const char *what, const char *reason)
{
  muc_service *svc = room->svc;
  if (!m || muc_xml_child(m, "body", MUC_NS_CLIENT))
    return;
  muc_buf_reset(&svc->scratch);
  muc_buf_puts(&svc->scratch, who);
  muc_buf_puts(&svc->scratch, what);
  muc_buf_puts(&svc->scratch, room->jid);
  if (reason && *reason) {
    muc_buf_puts(&svc->scratch, " (");
    muc_buf_puts(&svc->scratch, reason);
    muc_buf_puts(&svc->scratch, ")");
  }
  if (svc->scratch.oom)
    muc_fail(svc, MUC_ERR_NOMEM);
  else
    muc_el_text(svc, m, "body", NULL, svc->scratch.data);
}

/* The invitee or inviter an invitation or a decline names, and its
 * reason (NULL: none).  Returns 1 if refused: a malformed address, a
 * reason over max_reason_bytes (policy-violation, RFC 6120 §8.3.3.12;
 * limit.c) or out of memory (recorded); |to| and |reason| are then
 * empty. */
static int read_payload(muc_room *room, const mxml_node_t *st,
                        const mxml_node_t *payload, muc_jid *to, char **reason)
{
  muc_service *svc = room->svc;
  *reason = NULL;
  int rc = muc_jid_parse(&svc->mem, muc_xml_attr(payload, "to"), to);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return 1;
  }
  if (rc != MUC_OK) {
    muc_refuse(svc, st, MUC_REFUSE_INVITE_JID_MALFORMED, room->jid);
    return 1;
  }
  *reason = muc_child_text(svc, payload, "reason", NULL);
  if ((!*reason && muc_xml_child(payload, "reason", NULL)) ||
      muc_limit_refuse_text(svc, st, MUC_LIMIT_REASON, *reason, room->jid)) {
    muc_mem_free(&svc->mem, *reason);
    *reason = NULL;
    muc_jid_clear(&svc->mem, to);
    return 1;
  }
  return 0;
}

/* May |inviter| (NULL: not in the room) invite?  Returns 1 if refused.
 * §5.1.1 "Invite Other Users": every occupant, visitors included (a
 * default); nobody outside the room (§17.2: role none).  Prosody differs
 * both ways: it refuses visitors and accepts outsiders. */
static int refuse_inviter(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const muc_occupant *inviter)
{
  muc_permit_case c = {.action = MUC_ACT_INVITE,
                       .facts = muc_room_facts(room),
                       .actor_aff = muc_room_affiliation(room, from->bare),
                       .actor_role = inviter ? inviter->role : MUC_ROLE_NONE};
  return muc_room_permit(room, st, &c) != MUC_PERMIT_ALLOW;
}

/* The invitation message to |invitee|. */
static mxml_node_t *invitation(muc_room *room, const mxml_node_t *st,
                               const char *invitee, const char *inviter_addr,
                               const char *reason)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = copy_message(room, st, 1);
  muc_attr(svc, m, "from", room->jid);
  muc_attr(svc, m, "to", invitee);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  mxml_node_t *inv = muc_el(svc, x, "invite", NULL);
  muc_attr(svc, inv, "from", inviter_addr);
  muc_el_text(svc, inv, "reason", NULL, reason);
  if (room->cfg.password)
    muc_el_text(svc, x, "password", NULL, room->cfg.password);
  /* the same invitation as a XEP-0249 direct-invitation payload (jid,
   * password and reason as attributes), the reason also as text for
   * clients of the older jabber:x:conference form */
  mxml_node_t *conf = muc_el(svc, m, "x", MUC_NS_CONFERENCE);
  muc_attr(svc, conf, "jid", room->jid);
  muc_attr(svc, conf, "password", room->cfg.password);
  if (reason && *reason) {
    muc_attr(svc, conf, "reason", reason);
    if (muc_xml_add_text(conf, reason) != MUC_OK)
      muc_fail(svc, MUC_ERR_NOMEM);
  }
  plain_body(room, m, inviter_addr, " invited you to the room ", reason);
  return m;
}

static void invite(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                   const mxml_node_t *payload)
{
  muc_service *svc = room->svc;
  muc_occupant *inviter = muc_room_occupant_by_jid(room, from->full);
  muc_jid invitee;
  char *reason;
  if (read_payload(room, st, payload, &invitee, &reason))
    return;
  muc_affiliation to_aff = muc_room_affiliation(room, invitee.full);
  int grants = room->cfg.members_only && to_aff == MUC_AFFIL_NONE;
  /* the membership it grants is a new affiliation entry: past
   * max_affiliations_per_room nobody is invited (resource-constraint,
   * RFC 6120 §8.3.3.18; limit.c) */
  if (refuse_inviter(room, st, from, inviter) ||
      muc_flood_refuse(room, st, inviter, MUC_FLOOD_INVITE) ||
      (grants && muc_room_refuse_affiliations(room, st, 1, 0)))
    goto out;
  /* in a semi-anonymous room the invitee learns the inviter's nick, not
   * its real JID, unless it will be a moderator */
  muc_permit_case sees = {.action = MUC_ACT_SEE_JIDS,
                          .facts = muc_room_facts(room),
                          .actor_aff = to_aff};
  const char *inviter_addr = from->full;
  if (muc_permit(&sees)->outcome != MUC_PERMIT_ALLOW)
    inviter_addr = inviter->occ_jid;
  mxml_node_t *m = invitation(room, st, invitee.full, inviter_addr, reason);
  muc_op_invite(room, &(muc_actor){from->full}, &invitee, inviter_addr, m);
out:
  muc_mem_free(&svc->mem, reason);
  muc_jid_clear(&svc->mem, &invitee);
}

static void decline(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                    const mxml_node_t *payload)
{
  muc_service *svc = room->svc;
  muc_jid to;
  char *reason;
  if (read_payload(room, st, payload, &to, &reason))
    return;
  mxml_node_t *m = copy_message(room, st, 1);
  muc_attr(svc, m, "from", room->jid);
  muc_attr(svc, m, "to", to.full);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  /* the decliner's bare JID, as in XEP-0045 §7.8.2's example: the
   * inviter named that account, and its resource is none of its business
   * (Prosody gives the full JID) */
  mxml_node_t *d = muc_el(svc, x, "decline", NULL);
  muc_attr(svc, d, "from", from->bare);
  muc_el_text(svc, d, "reason", NULL, reason);
  plain_body(room, m, from->bare, " declined your invite to the room ", reason);
  muc_occupant *occ = NULL;
  if (strcmp(to.bare, room->jid) == 0 && to.resource)
    occ = muc_room_occupant_by_nick(room, to.resource);
  if (occ) {
    muc_room_send_to_occupant(room, occ, m);
    mxmlDelete(m);
  } else {
    muc_send_free(svc, m);
  }
  muc_mem_free(&svc->mem, reason);
  muc_jid_clear(&svc->mem, &to);
}

/* A muc#request voice request in a message (§7.13, §8.6), or a
 * moderator's answer to one. */
static void voice_request(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const mxml_node_t *form)
{
  muc_service *svc = room->svc;
  muc_form *f = NULL;
  int rc = muc_form_parse(&svc->mem, form, &f);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return;
  }
  if (rc != MUC_OK || !f->form_type ||
      strcmp(f->form_type, MUC_NS_REQUEST) != 0) {
    muc_form_free(&svc->mem, f);
    muc_refuse(svc, st, MUC_REFUSE_VOICE_FORM, room->jid);
    return;
  }
  muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  muc_permit_case c = {.action = MUC_ACT_REQUEST_VOICE,
                       .actor_role = occ ? occ->role : MUC_ROLE_NONE};
  if (muc_room_permit(room, st, &c) != MUC_PERMIT_ALLOW) {
    /* refused (answered), or nothing to ask */
  } else if (occ->role != MUC_ROLE_MODERATOR) {
    if (!muc_flood_refuse(room, st, occ, MUC_FLOOD_VOICE))
      muc_op_request_voice(room, occ, from->full);
  } else if (muc_form_parse_bool(muc_form_value(f, "muc#request_allow")) == 1) {
    /* a moderator's answer: grant voice */
    const char *who = muc_form_value(f, "muc#jid");
    muc_occupant *target = who ? muc_room_occupant_by_jid(room, who) : NULL;
    if (target && target->role == MUC_ROLE_VISITOR) {
      muc_verdict v =
          muc_verdict_set_role(room, from->full, target, MUC_ROLE_PARTICIPANT);
      if (v == MUC_ALLOW)
        muc_op_set_role(room, &(muc_actor){from->full}, target,
                        MUC_ROLE_PARTICIPANT, "Voice granted");
      else
        muc_refuse_verdict(svc, st, v, room->jid);
    }
  }
  muc_form_free(&svc->mem, f);
}

/* The type of a message as RFC 6121 §5.2.2 reads it: absent or not
 * understood, it is "normal". */
static const char *message_type(const mxml_node_t *st)
{
  static const char *const known[] = {"chat", "error", "groupchat", "headline",
                                      "normal"};
  const char *type = muc_stanza_type(st);
  for (size_t i = 0; type && i < sizeof(known) / sizeof(known[0]); i++)
    if (strcmp(type, known[i]) == 0)
      return known[i];
  return "normal";
}

void muc_message_to_room(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from)
{
  muc_service *svc = room->svc;
  const char *type = message_type(st);
  muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  if (refuse_outsider_while_locked(room, st, occ))
    return;
  if (strcmp(type, "groupchat") == 0) {
    groupchat(room, st, from, occ);
    return;
  }
  if (strcmp(type, "error") == 0) {
    muc_bounce_received(room, st, from, NULL);
    return;
  }
  if (strcmp(type, "normal") == 0) {
    mxml_node_t *x = muc_xml_child(st, "x", MUC_NS_USER);
    if (x) {
      mxml_node_t *payload = muc_xml_first_element(x);
      if (payload && muc_xml_is(payload, "invite", MUC_NS_USER) &&
          muc_xml_attr(payload, "to")) {
        invite(room, st, from, payload);
        return;
      }
      if (payload && muc_xml_is(payload, "decline", MUC_NS_USER) &&
          muc_xml_attr(payload, "to")) {
        decline(room, st, from, payload);
        return;
      }
      muc_refuse(svc, st, MUC_REFUSE_USER_PAYLOAD, room->jid);
      return;
    }
    mxml_node_t *form = muc_xml_child(st, "x", MUC_NS_DATA);
    if (form) {
      voice_request(room, st, from, form);
      return;
    }
  }
  if (strcmp(type, "headline") == 0)
    return;
  muc_refuse(svc, st, MUC_REFUSE_ROOM_MESSAGE, room->jid);
}

/* ---- private messages (§7.5) ------------------------------------------- */

/* The permission table on a private message from |f| (NULL: from
 * outside the room) to |t|: refused (answered) or not. */
static int refuse_pm(muc_room *room, const mxml_node_t *st,
                     const muc_occupant *f, const muc_occupant *t)
{
  muc_permit_case c = {.action = MUC_ACT_PM,
                       .facts = muc_room_facts(room),
                       .actor_role = f ? f->role : MUC_ROLE_NONE};
  if (f && t) {
    c.actor_aff = muc_room_affiliation(room, f->bare_jid);
    c.target_role = t->role;
    if (strcmp(f->bare_jid, t->bare_jid) == 0)
      c.facts |= MUC_FACT_SELF;
  }
  return muc_room_permit(room, st, &c) != MUC_PERMIT_ALLOW;
}

void muc_message_to_occupant(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const muc_jid *to)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  muc_occupant *cur = muc_room_occupant_by_jid(room, from->full);
  int is_error = type && strcmp(type, "error") == 0;
  if (refuse_outsider_while_locked(room, st, cur))
    return;
  if (!cur) {
    refuse_pm(room, st, NULL, NULL);
    return;
  }
  if (type && strcmp(type, "groupchat") == 0) {
    muc_refuse(svc, st, MUC_REFUSE_PM_GROUPCHAT, room->jid);
    return;
  }
  if (is_error) {
    muc_bounce_received(room, st, from, to->resource);
    return;
  }
  muc_occupant *dest = muc_room_occupant_by_nick(room, to->resource);
  if (!dest) {
    muc_refuse(svc, st, MUC_REFUSE_PM_NO_RECIPIENT, room->jid);
    return;
  }
  if (refuse_pm(room, st, cur, dest))
    return;
  mxml_node_t *rewritten;
  if (muc_hook_refuse_message(room, st, cur, from, dest->nick, &rewritten))
    return;
  mxml_node_t *m = copy_message(room, rewritten ? rewritten : st, 1);
  if (rewritten)
    mxmlDelete(rewritten);
  muc_el(svc, m, "x", MUC_NS_USER);
  muc_occupant_id_attach(svc, m, cur); /* XEP-0421 */
  muc_attr(svc, m, "from", cur->occ_jid);
  muc_room_send_to_occupant(room, dest, m);
  mxmlDelete(m);
}
