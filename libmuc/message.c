#include "message.h"

#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "affiliation.h"
#include "occupant.h"
#include "presence.h"
#include "room.h"
#include "stanza.h"

#define MUC_NS_HINTS "urn:xmpp:hints"

/* Errors a client returns for a message that mean it is gone: the room
 * removes it instead of sending to it again. */
static const char *const kickable[] = {
    "gone",
    "internal-server-error",
    "item-not-found",
    "jid-malformed",
    "recipient-unavailable",
    "redirect",
    "remote-server-not-found",
    "remote-server-timeout",
    "service-unavailable",
};

static int is_kickable_error(const mxml_node_t *st)
{
  const char *cond = muc_stanza_error_condition(st);
  if (!cond)
    return 1; /* malformed error */
  for (size_t i = 0; i < sizeof(kickable) / sizeof(kickable[0]); i++)
    if (strcmp(cond, kickable[i]) == 0)
      return 1;
  return 0;
}

static int is_ns(const mxml_node_t *c, const char *ns)
{
  const char *n = muc_xml_ns(c);
  return n && strcmp(n, ns) == 0;
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
    if (!name || strcmp(name, "from") == 0 || strcmp(name, "to") == 0 ||
        strcmp(name, "xmlns") == 0)
      continue;
    muc_attr(svc, m, name, v);
  }
  for (mxml_node_t *c = muc_xml_first_element(st); c;
       c = muc_xml_next_element(c)) {
    if (drop_muc && (is_ns(c, MUC_NS_MUC) || is_ns(c, MUC_NS_USER)))
      continue;
    const char *cfrom = muc_xml_attr(c, "from");
    if (cfrom && strcmp(cfrom, room->jid) == 0 &&
        ((muc_xml_is(c, "delay", MUC_NS_DELAY)) ||
         muc_xml_is(c, "x", "jabber:x:delay")))
      continue; /* nobody speaks for the room */
    muc_el_copy(svc, m, c);
  }
  return m;
}

/* ---- history ----------------------------------------------------------- */

void muc_history_clear(muc_room *room)
{
  for (size_t i = 0; i < room->hcount; i++)
    mxmlDelete(room->history[(room->hstart + i) % room->hcap].stanza);
  room->hstart = room->hcount = 0;
}

int muc_history_resize(muc_room *room, size_t len)
{
  muc_service *svc = room->svc;
  if (len == room->hcap)
    return MUC_OK;
  muc_history_entry *h = NULL;
  if (len) {
    h = muc_mem_calloc(&svc->mem, len, sizeof(*h));
    if (!h)
      return MUC_ERR_NOMEM;
  }
  /* keep the newest min(len, count) entries */
  size_t keep = room->hcount < len ? room->hcount : len;
  size_t drop = room->hcount - keep;
  for (size_t i = 0; i < room->hcount; i++) {
    muc_history_entry *e = &room->history[(room->hstart + i) % room->hcap];
    if (i < drop)
      mxmlDelete(e->stanza);
    else
      h[i - drop] = *e;
  }
  muc_mem_free(&svc->mem, room->history);
  room->history = h;
  room->hcap = len;
  room->hstart = 0;
  room->hcount = keep;
  return MUC_OK;
}

static int is_historic(const mxml_node_t *m)
{
  if (muc_xml_child(m, "no-store", MUC_NS_HINTS) ||
      muc_xml_child(m, "no-permanent-store", MUC_NS_HINTS))
    return 0;
  if (muc_xml_child(m, "store", MUC_NS_HINTS))
    return 1;
  return muc_xml_child(m, "body", MUC_NS_CLIENT) != NULL;
}

static void add_history(muc_room *room, const mxml_node_t *m)
{
  muc_service *svc = room->svc;
  if (room->hcap == 0 || !is_historic(m))
    return;
  mxml_node_t *copy = muc_el_copy(svc, NULL, m);
  if (!copy)
    return;
  mxmlElementDeleteAttr(copy, "to");
  char stamp[32];
  muc_format_stamp(svc->now, stamp, sizeof(stamp));
  mxml_node_t *d = muc_el(svc, copy, "delay", MUC_NS_DELAY);
  muc_attr(svc, d, "from", room->jid);
  muc_attr(svc, d, "stamp", stamp);
  muc_buf_reset(&svc->scratch);
  size_t chars = 0;
  if (muc_xml_write(&svc->scratch, copy) == MUC_OK)
    chars = svc->scratch.len;
  muc_history_entry *e;
  if (room->hcount == room->hcap) {
    e = &room->history[room->hstart];
    mxmlDelete(e->stanza);
    room->hstart = (room->hstart + 1) % room->hcap;
  } else {
    e = &room->history[(room->hstart + room->hcount) % room->hcap];
    room->hcount++;
  }
  e->stanza = copy;
  e->chars = chars;
  e->ts = svc->now;
}

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

void muc_message_send_history(muc_room *room, const char *to,
                              const mxml_node_t *muc_x)
{
  muc_service *svc = room->svc;
  if (room->hcount == 0)
    return;
  const mxml_node_t *h = muc_x ? muc_xml_child(muc_x, "history", MUC_NS_MUC)
                               : NULL;
  long long maxchars = -1, maxstanzas = -1;
  uint64_t since = 0;
  int have_since = 0;
  if (h) {
    maxchars = int_attr(h, "maxchars");
    maxstanzas = int_attr(h, "maxstanzas");
    long long seconds = int_attr(h, "seconds");
    uint64_t s;
    if (muc_parse_stamp(muc_xml_attr(h, "since"), &s) == 0) {
      since = s;
      have_since = 1;
    }
    if (seconds >= 0) {
      uint64_t ms = (uint64_t)seconds * 1000;
      uint64_t t = ms > svc->now ? 0 : svc->now - ms;
      if (!have_since || t > since)
        since = t;
      have_since = 1;
    }
  }
  if (maxchars < 0 && maxstanzas < 0 && !have_since)
    maxstanzas = room->cfg.history_length;
  size_t tolen = strlen(to);
  size_t n = 0;
  unsigned long long chars = 0;
  for (size_t i = room->hcount; i-- > 0;) {
    muc_history_entry *e = &room->history[(room->hstart + i) % room->hcap];
    if (maxchars >= 0) {
      chars += e->chars + tolen;
      if (chars > (unsigned long long)maxchars)
        break;
    }
    if (have_since && since > e->ts)
      break;
    if (maxstanzas >= 0 && n + 1 > (unsigned long long)maxstanzas)
      break;
    n++;
  }
  for (size_t i = room->hcount - n; i < room->hcount; i++) {
    muc_history_entry *e = &room->history[(room->hstart + i) % room->hcap];
    muc_attr(svc, e->stanza, "to", to);
    muc_send(svc, e->stanza);
    mxmlElementDeleteAttr(e->stanza, "to");
  }
}

/* ---- subject ------------------------------------------------------------ */

static mxml_node_t *subject_message(muc_room *room, const char *to)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = muc_stanza_new(
      svc, "message", room->subject_from ? room->subject_from : room->jid, to,
      "groupchat", NULL);
  muc_el_text(svc, m, "subject", NULL, room->subject ? room->subject : "");
  return m;
}

void muc_message_send_subject(muc_room *room, const char *to)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = subject_message(room, to);
  if (room->subject_time) {
    char stamp[32];
    muc_format_stamp(room->subject_time, stamp, sizeof(stamp));
    mxml_node_t *d = muc_el(svc, m, "delay", MUC_NS_DELAY);
    muc_attr(svc, d, "from", room->jid);
    muc_attr(svc, d, "stamp", stamp);
  }
  muc_send_free(svc, m);
}

void muc_message_set_subject(muc_room *room, const char *from,
                             const char *subject)
{
  muc_service *svc = room->svc;
  if (subject && !*subject)
    subject = NULL;
  char *s = subject ? muc_mem_strdup(&svc->mem, subject) : NULL;
  char *f = muc_mem_strdup(&svc->mem, from);
  if ((subject && !s) || !f) {
    muc_mem_free(&svc->mem, s);
    muc_mem_free(&svc->mem, f);
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  muc_mem_free(&svc->mem, room->subject);
  muc_mem_free(&svc->mem, room->subject_from);
  room->subject = s;
  room->subject_from = f;
  room->subject_time = svc->now;
  mxml_node_t *m = subject_message(room, NULL);
  muc_room_broadcast(room, m, MUC_ROLE_NONE);
  mxmlDelete(m);
  muc_room_save(room, 0);
}

/* ---- groupchat ---------------------------------------------------------- */

static void groupchat(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from)
{
  muc_service *svc = room->svc;
  muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  muc_role role = occ ? occ->role : MUC_ROLE_NONE;
  if (role == MUC_ROLE_NONE) {
    muc_send_error(svc, st, "cancel", "not-acceptable",
                   "You are not currently connected to this chat", room->jid);
    return;
  }
  if (role <= MUC_ROLE_VISITOR) {
    muc_send_error(svc, st, "auth", "forbidden",
                   "You do not currently have permission to speak in this "
                   "chat",
                   room->jid);
    return;
  }
  /* a subject change is a message with <subject/> and neither body nor
   * thread (XEP-0045 §8.1, Prosody issue #667) */
  mxml_node_t *subject = muc_xml_child(st, "subject", MUC_NS_CLIENT);
  if (subject && !muc_xml_child(st, "body", MUC_NS_CLIENT) &&
      !muc_xml_child(st, "thread", MUC_NS_CLIENT)) {
    if (role >= MUC_ROLE_MODERATOR ||
        (role >= MUC_ROLE_PARTICIPANT && room->cfg.change_subject)) {
      char *text = muc_xml_text_dup(&svc->mem, subject);
      if (!text) {
        muc_fail(svc, MUC_ERR_NOMEM);
        return;
      }
      muc_message_set_subject(room, occ->occ_jid, text);
      muc_mem_free(&svc->mem, text);
    } else {
      muc_send_error(svc, st, "auth", "forbidden",
                     "You are not allowed to change the subject", room->jid);
    }
    return;
  }
  mxml_node_t *m = copy_message(room, st, 0);
  if (!m)
    return;
  muc_attr(svc, m, "from", occ->occ_jid);
  if (!muc_xml_attr(m, "id")) {
    char id[64];
    muc_new_id(svc, id, sizeof(id));
    muc_attr(svc, m, "id", id);
  }
  muc_room_broadcast(room, m, MUC_ROLE_NONE);
  add_history(room, m);
  mxmlDelete(m);
}

/* ---- invitations (§7.8.2) ---------------------------------------------- */

static void invite(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                   const mxml_node_t *payload)
{
  muc_service *svc = room->svc;
  muc_jid invitee;
  int rc = muc_jid_parse(&svc->mem, muc_xml_attr(payload, "to"), &invitee);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return;
  }
  if (rc != MUC_OK) {
    muc_send_error(svc, st, "cancel", "jid-malformed", NULL, room->jid);
    return;
  }
  muc_occupant *inviter = muc_room_occupant_by_jid(room, from->full);
  muc_affiliation from_aff = muc_room_affiliation(room, from->bare);
  muc_role role = inviter ? inviter->role
                          : muc_default_role(from_aff, room->cfg.members_only,
                                             room->cfg.moderated);
  if (role <= MUC_ROLE_VISITOR) {
    muc_send_error(svc, st, "auth", "forbidden", NULL, room->jid);
    goto out;
  }
  if (room->cfg.members_only &&
      from_aff < (room->cfg.allow_member_invites ? MUC_AFFIL_MEMBER
                                                 : MUC_AFFIL_ADMIN)) {
    muc_send_error(svc, st, "auth", "forbidden", NULL, room->jid);
    goto out;
  }
  /* in a semi-anonymous room the invitee learns the inviter's nick, not
   * its real JID, unless it will be a moderator */
  const char *inviter_addr = from->full;
  muc_affiliation to_aff = muc_room_affiliation(room, invitee.full);
  if (room->cfg.whois == MUC_WHOIS_MODERATORS && inviter &&
      muc_default_role(to_aff, room->cfg.members_only, room->cfg.moderated) !=
          MUC_ROLE_MODERATOR)
    inviter_addr = inviter->occ_jid;
  char *reason = muc_xml_child_text_dup(&svc->mem, payload, "reason", NULL);

  mxml_node_t *m = copy_message(room, st, 1);
  muc_attr(svc, m, "from", room->jid);
  muc_attr(svc, m, "to", invitee.full);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  mxml_node_t *inv = muc_el(svc, x, "invite", NULL);
  muc_attr(svc, inv, "from", inviter_addr);
  muc_el_text(svc, inv, "reason", NULL, reason);
  if (room->cfg.password)
    muc_el_text(svc, x, "password", NULL, room->cfg.password);
  mxml_node_t *conf = muc_el(svc, m, "x", MUC_NS_CONFERENCE);
  muc_attr(svc, conf, "jid", room->jid);
  if (reason && *reason)
    muc_xml_add_text(conf, reason);
  if (!muc_xml_child(m, "body", MUC_NS_CLIENT)) {
    muc_buf_reset(&svc->scratch);
    muc_buf_puts(&svc->scratch, inviter_addr);
    muc_buf_puts(&svc->scratch, " invited you to the room ");
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
  /* members-only: being invited makes one a member (§9.3) */
  if (room->cfg.members_only && to_aff <= MUC_AFFIL_NONE &&
      to_aff != MUC_AFFIL_OUTCAST) {
    muc_buf_reset(&svc->scratch);
    muc_buf_puts(&svc->scratch, "Invited by ");
    muc_buf_puts(&svc->scratch, inviter_addr);
    if (!svc->scratch.oom) {
      char *why = muc_mem_strdup(&svc->mem, svc->scratch.data);
      muc_admin_set_affiliation(room, NULL, invitee.bare, MUC_AFFIL_MEMBER,
                                why, NULL);
      muc_mem_free(&svc->mem, why);
    }
  }
  muc_send_free(svc, m);
  muc_mem_free(&svc->mem, reason);
out:
  muc_jid_clear(&svc->mem, &invitee);
}

static void decline(muc_room *room, const mxml_node_t *st,
                    const muc_jid *from, const mxml_node_t *payload)
{
  muc_service *svc = room->svc;
  muc_jid to;
  int rc = muc_jid_parse(&svc->mem, muc_xml_attr(payload, "to"), &to);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return;
  }
  if (rc != MUC_OK) {
    muc_send_error(svc, st, "cancel", "jid-malformed", NULL, room->jid);
    return;
  }
  char *reason = muc_xml_child_text_dup(&svc->mem, payload, "reason", NULL);
  mxml_node_t *m = copy_message(room, st, 1);
  muc_attr(svc, m, "from", room->jid);
  muc_attr(svc, m, "to", to.full);
  mxml_node_t *x = muc_el(svc, m, "x", MUC_NS_USER);
  mxml_node_t *d = muc_el(svc, x, "decline", NULL);
  muc_attr(svc, d, "from", from->full);
  muc_el_text(svc, d, "reason", NULL, reason);
  if (!muc_xml_child(m, "body", MUC_NS_CLIENT)) {
    muc_buf_reset(&svc->scratch);
    muc_buf_puts(&svc->scratch, from->full);
    muc_buf_puts(&svc->scratch, " declined your invite to the room ");
    muc_buf_puts(&svc->scratch, room->jid);
    if (reason && *reason) {
      muc_buf_puts(&svc->scratch, " (");
      muc_buf_puts(&svc->scratch, reason);
      muc_buf_puts(&svc->scratch, ")");
    }
    if (!svc->scratch.oom)
      muc_el_text(svc, m, "body", NULL, svc->scratch.data);
  }
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

void muc_message_to_room(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  if (type && strcmp(type, "groupchat") == 0) {
    groupchat(room, st, from);
    return;
  }
  if (type && strcmp(type, "error") == 0) {
    if (is_kickable_error(st))
      muc_presence_kick_session(room, st, from->full);
    return;
  }
  if (!type || strcmp(type, "normal") == 0) {
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
      muc_send_error(svc, st, "cancel", "bad-request", NULL, room->jid);
      return;
    }
    mxml_node_t *form = muc_xml_child(st, "x", MUC_NS_DATA);
    if (form) {
      muc_admin_voice_request(room, st, from, form);
      return;
    }
  }
  if (type && strcmp(type, "headline") == 0)
    return;
  muc_send_error(svc, st, "cancel", "service-unavailable", NULL, room->jid);
}

/* ---- private messages (§7.5) ------------------------------------------- */

static const char *pm_refusal(const muc_room *room, const muc_occupant *f,
                              const muc_occupant *t)
{
  if (strcmp(f->bare_jid, t->bare_jid) == 0)
    return NULL;
  if (room->cfg.allow_modpm &&
      (f->role == MUC_ROLE_MODERATOR || t->role == MUC_ROLE_MODERATOR))
    return NULL;
  switch (room->cfg.allow_pm) {
  case MUC_PM_ANYONE:
    return f->role >= MUC_ROLE_VISITOR ? NULL : "in this group";
  case MUC_PM_PARTICIPANTS:
    return f->role >= MUC_ROLE_PARTICIPANT ? NULL : "from guests";
  case MUC_PM_MODERATORS:
    return f->role >= MUC_ROLE_MODERATOR ? NULL : "from non-moderators";
  case MUC_PM_MEMBERS:
    return muc_room_affiliation(room, f->bare_jid) != MUC_AFFIL_NONE
               ? NULL
               : "from non-members";
  case MUC_PM_NOBODY:
  default:
    return "in this group";
  }
}

void muc_message_to_occupant(muc_room *room, const mxml_node_t *st,
                             const muc_jid *from, const muc_jid *to)
{
  muc_service *svc = room->svc;
  const char *type = muc_stanza_type(st);
  muc_occupant *cur = muc_room_occupant_by_jid(room, from->full);
  if (!cur) {
    muc_send_error(svc, st, "cancel", "not-acceptable",
                   "You are not currently connected to this chat", room->jid);
    return;
  }
  if (type && strcmp(type, "groupchat") == 0) {
    muc_send_error(svc, st, "modify", "bad-request", NULL, room->jid);
    return;
  }
  if (type && strcmp(type, "error") == 0) {
    if (is_kickable_error(st))
      muc_presence_kick_session(room, st, from->full);
    return;
  }
  muc_occupant *dest = muc_room_occupant_by_nick(room, to->resource);
  if (!dest) {
    muc_send_error(svc, st, "cancel", "item-not-found",
                   "Recipient not in room", room->jid);
    return;
  }
  const char *why = pm_refusal(room, cur, dest);
  if (why) {
    char text[96];
    snprintf(text, sizeof(text), "Private messages are restricted %s", why);
    muc_send_error(svc, st, "cancel", "policy-violation", text, room->jid);
    return;
  }
  mxml_node_t *m = copy_message(room, st, 1);
  muc_el(svc, m, "x", MUC_NS_USER);
  muc_attr(svc, m, "from", cur->occ_jid);
  muc_room_send_to_occupant(room, dest, m);
  mxmlDelete(m);
}
