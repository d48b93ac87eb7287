/* Reading a live snapshot of a room (docs/snapshot.md).  A snapshot is
 * host data: every value is checked as strictly as a stored record
 * (store.c), against the limits of the service it enters, and what is
 * derived from the bytes (a session's stored presence) must give the
 * bytes back exactly. */
#include <string.h>

#include "history.h"
#include "history_store.h"
#include "host_fields.h"
#include "index.h"
#include "limit.h"
#include "occupant.h"
#include "room.h"
#include "snapshot.h"
#include "stanza.h"
#include "store.h"
#include "timer.h"

/* ---- primitives ---------------------------------------------------------- */

static const unsigned char *take(muc_snap_in *in, size_t n)
{
  if (in->bad || in->left < n) {
    in->bad = 1;
    return NULL;
  }
  const unsigned char *p = in->p;
  in->p += n;
  in->left -= n;
  return p;
}

unsigned muc_snap_u8(muc_snap_in *in)
{
  const unsigned char *p = take(in, 1);
  return p ? p[0] : 0;
}

uint32_t muc_snap_u32(muc_snap_in *in)
{
  const unsigned char *p = take(in, 4);
  return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
                 p[3]
           : 0;
}

uint64_t muc_snap_u64(muc_snap_in *in)
{
  uint64_t hi = muc_snap_u32(in);
  return hi << 32 | muc_snap_u32(in);
}

/* A flag: 0 or 1, anything else makes |in| bad. */
static int flag(muc_snap_in *in)
{
  unsigned v = muc_snap_u8(in);
  if (v > 1)
    in->bad = 1;
  return (int)(v & 1);
}

char *muc_snap_str(muc_service *svc, muc_snap_in *in, int *rc)
{
  uint32_t n = muc_snap_u32(in);
  const unsigned char *p = take(in, n);
  *rc = MUC_ERR_STORAGE;
  if (!p || memchr(p, 0, n))
    return in->bad = 1, NULL;
  char *s = muc_mem_malloc(&svc->mem, (size_t)n + 1);
  if (!s) {
    *rc = MUC_ERR_NOMEM;
    return NULL;
  }
  memcpy(s, p, n);
  s[n] = 0;
  *rc = MUC_OK;
  return s;
}

int muc_snap_opt(muc_service *svc, muc_snap_in *in, char **out)
{
  *out = NULL;
  if (!flag(in))
    return in->bad ? MUC_ERR_STORAGE : MUC_OK;
  int rc;
  *out = muc_snap_str(svc, in, &rc);
  return rc;
}

int muc_snap_section(muc_snap_in *in, unsigned *tag, muc_snap_in *body)
{
  *tag = muc_snap_u8(in);
  uint32_t n = muc_snap_u32(in);
  const unsigned char *p = take(in, n);
  if (!p)
    return MUC_ERR_STORAGE;
  body->p = p;
  body->left = n;
  body->bad = 0;
  return MUC_OK;
}

/* A text the room keeps (a name, a subject...): UTF-8 of XML characters. */
static int text_ok(const char *s)
{
  return !s || muc_utf8_xml_valid(s, strlen(s));
}

/* A string |in| holds, into *|slot| (freeing what was there). */
static int read_opt_text(muc_service *svc, muc_snap_in *in, char **slot)
{
  char *s;
  int rc = muc_snap_opt(svc, in, &s);
  if (rc == MUC_OK && !text_ok(s))
    rc = MUC_ERR_STORAGE;
  if (rc != MUC_OK) {
    muc_mem_free(&svc->mem, s);
    return rc;
  }
  muc_mem_free(&svc->mem, *slot);
  *slot = s;
  return MUC_OK;
}

/* ---- the room section ------------------------------------------------------
 */

static int read_config(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  muc_room_config *k = &room->cfg;
  int *flags[] = {&k->persistent,           &k->public_room, &k->members_only,
                  &k->allow_member_invites, &k->moderated,   &k->allow_invites,
                  &k->change_subject,       &k->allow_modpm, &k->logging};
  int rc;
  if ((rc = read_opt_text(svc, in, &k->name)) != MUC_OK ||
      (rc = read_opt_text(svc, in, &k->desc)) != MUC_OK ||
      (rc = read_opt_text(svc, in, &k->password)) != MUC_OK ||
      (rc = read_opt_text(svc, in, &k->lang)) != MUC_OK)
    return rc;
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
    *flags[i] = flag(in);
  unsigned whois = muc_snap_u8(in), pm = muc_snap_u8(in);
  uint32_t pb = muc_snap_u32(in), hl = muc_snap_u32(in);
  uint32_t users = muc_snap_u32(in), gml = muc_snap_u32(in);
  if (in->bad || whois > MUC_WHOIS_ANYONE || pm > MUC_PM_NOBODY ||
      pb > MUC_ROLES_ALL || hl > svc->cfg.max_history || users > 1000000000u ||
      gml > MUC_ROLES_ALL)
    return MUC_ERR_STORAGE;
  k->whois = (muc_whois)whois;
  k->allow_pm = (muc_allow_pm)pm;
  k->presence_broadcast = pb;
  k->max_users = users;
  k->get_member_list = gml;
  if (muc_history_resize(room, hl) != MUC_OK)
    return MUC_ERR_NOMEM;
  k->history_length = hl;
  return MUC_OK;
}

/* The creator of the room: a bare JID, counted for max_rooms_per_creator
 * in this service as it was in the one the snapshot comes from. */
static int read_creator(muc_room *room, muc_snap_in *in)
{
  char *bare;
  int rc = muc_snap_opt(room->svc, in, &bare);
  if (rc == MUC_OK && bare &&
      (!muc_jid_is_canonical(bare) || strchr(bare, '/')))
    rc = MUC_ERR_STORAGE;
  /* a feed event may name the creator the room has already */
  int same = bare && room->creator && strcmp(room->creator->jid, bare) == 0;
  if (rc == MUC_OK && !same)
    muc_room_forget_creator(room);
  if (rc == MUC_OK && bare && !same)
    rc = muc_room_set_creator(room, bare);
  muc_mem_free(&room->svc->mem, bare);
  return rc;
}

int muc_snap_read_room(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  int rc;
  char *jid = muc_snap_str(svc, in, &rc);
  if (jid && strcmp(jid, room->jid) != 0)
    rc = MUC_ERR_STORAGE;
  muc_mem_free(&svc->mem, jid);
  if (rc != MUC_OK)
    return rc;
  room->feed_seq = muc_snap_u64(in);
  uint64_t idc = muc_snap_u64(in);
  uint64_t lock = muc_snap_u64(in);
  if (in->bad)
    return MUC_ERR_STORAGE;
  /* ids the room handed out stay unique: the counter never goes back */
  if (idc > svc->idc)
    svc->idc = idc;
  if ((rc = read_creator(room, in)) != MUC_OK ||
      (rc = read_config(room, in)) != MUC_OK ||
      (rc = read_opt_text(svc, in, &room->subject)) != MUC_OK ||
      (rc = read_opt_text(svc, in, &room->subject_from)) != MUC_OK)
    return rc;
  room->subject_time = muc_snap_u64(in);
  if (!in->bad && in->left) /* absent in older snapshots */
    room->cfg.archiving = flag(in);
  if (in->bad || in->left)
    return MUC_ERR_STORAGE;
  if (lock != room->locked_until)
    return muc_timer_set(svc, room, lock);
  return MUC_OK;
}

/* ---- affiliations ----------------------------------------------------------
 */

int muc_snap_read_affil(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  char *nick = NULL, *reason = NULL;
  int rc;
  char *jid = muc_snap_str(svc, in, &rc);
  int aff = (int)muc_snap_u8(in) - 1;
  if (rc == MUC_OK)
    rc = muc_snap_opt(svc, in, &nick);
  if (rc == MUC_OK)
    rc = muc_snap_opt(svc, in, &reason);
  if (rc == MUC_OK &&
      (in->bad || in->left || !*jid || !muc_jid_is_canonical(jid) ||
       strchr(jid, '/') || aff < MUC_AFFIL_OUTCAST || aff > MUC_AFFIL_OWNER ||
       aff == MUC_AFFIL_NONE || !text_ok(nick) || !text_ok(reason) ||
       (nick && muc_room_reserved_by(room, nick) &&
        strcmp(muc_room_reserved_by(room, nick), jid) != 0)))
    rc = MUC_ERR_STORAGE;
  /* max_affiliations_per_room, counted as the entries come (a new entry:
   * an update of one already here is a feed event) */
  if (rc == MUC_OK && !muc_room_affil_entry(room, jid) &&
      muc_limit_reached(svc, MUC_LIMIT_AFFILIATIONS, room->naffils))
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK)
    rc = muc_room_put_affiliation(room, jid, aff, 1, 1, nick, reason);
  muc_mem_free(&svc->mem, jid);
  muc_mem_free(&svc->mem, nick);
  muc_mem_free(&svc->mem, reason);
  return rc;
}

/* ---- occupants -------------------------------------------------------------
 */

void muc_snap_drop_occupant(muc_room *room, muc_occupant *occ)
{
  occ->role = MUC_ROLE_NONE;
  muc_room_save_occupant(room, occ); /* leaves the indexes and the list */
  muc_occupant_free(room, occ);
}

/* The stored presence |pres| (|len| bytes, its start tag |head| bytes) of
 * session |jid| as a stanza, given to the occupant as the client's last
 * presence; the session it makes must hold exactly these bytes. */
static int read_presence(muc_room *room, muc_occupant *occ, const char *jid,
                         unsigned flags, uint32_t head, const char *pres,
                         size_t len)
{
  muc_service *svc = room->svc;
  if (head > len || flags > 3 ||
      (!(flags & 1) && (head < 9 || memcmp(pres, "<presence", 9) != 0)))
    return MUC_ERR_STORAGE;
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  if (flags & 1) {
    muc_buf_puts(&b, "<presence from=\"");
    muc_buf_puts(&b, occ->occ_jid);
    muc_buf_putc(&b, '"');
  }
  muc_buf_append(&b, pres, head);
  if (len > head) {
    muc_buf_putc(&b, '>');
    muc_buf_append(&b, pres + head, len - head);
    muc_buf_puts(&b, "</presence>");
  } else {
    muc_buf_append(&b, "/>", 2);
  }
  const muc_config *c = &svc->cfg;
  muc_xml_limits lim = {b.len + 1, c->max_depth, c->max_attrs, c->max_children};
  mxml_node_t *t = NULL;
  int rc =
      b.oom ? MUC_ERR_NOMEM : muc_xml_parse(&svc->mem, b.data, b.len, &lim, &t);
  muc_buf_free(&b);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_STORAGE;
  const char *from = muc_xml_attr(t, "from");
  rc = MUC_ERR_STORAGE;
  if (muc_xml_is(t, "presence", MUC_NS_CLIENT) && !muc_xml_attr(t, "to") &&
      from && strcmp(from, occ->occ_jid) == 0)
    rc = muc_occupant_set_session(room, occ, jid, t);
  mxmlDelete(t);
  if (rc != MUC_OK)
    return rc;
  const muc_session *s = muc_occupant_session(occ, jid);
  int same = s && s->own_from == (flags & 1) && s->available == (flags >> 1) &&
             s->head == head && (size_t)s->head + s->body == len &&
             memcmp(s->pres ? s->pres : "", pres, len) == 0;
  return same ? MUC_OK : MUC_ERR_STORAGE;
}

/* Session |i| of the occupant being read; the first creates it. */
static int read_session(muc_room *room, muc_snap_in *in, const char *nick,
                        muc_occupant **occ)
{
  muc_service *svc = room->svc;
  int rc;
  char *jid = muc_snap_str(svc, in, &rc);
  unsigned flags = muc_snap_u8(in);
  uint32_t head = muc_snap_u32(in);
  char *pres = rc == MUC_OK ? muc_snap_str(svc, in, &rc) : NULL;
  const char *slash = jid ? strchr(jid, '/') : NULL;
  if (rc == MUC_OK &&
      (!slash || !muc_jid_is_canonical(jid) ||
       muc_room_occupant_by_jid(room, jid) ||
       (*occ && (strlen((*occ)->bare_jid) != (size_t)(slash - jid) ||
                 memcmp((*occ)->bare_jid, jid, (size_t)(slash - jid)) != 0 ||
                 muc_occupant_session(*occ, jid)))))
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK && !*occ && !(*occ = muc_occupant_new(room, nick, jid)))
    rc = MUC_ERR_NOMEM;
  if (rc == MUC_OK)
    rc = read_presence(room, *occ, jid, flags, head, pres, strlen(pres));
  muc_mem_free(&svc->mem, jid);
  muc_mem_free(&svc->mem, pres);
  return rc;
}

/* Is |nick| a nick this room could have given: prepared, within
 * max_nick_bytes, not in use?  MUC_OK, MUC_ERR_STORAGE or NOMEM. */
static int check_nick(muc_room *room, const char *nick)
{
  muc_service *svc = room->svc;
  if (!*nick || muc_limit_text_exceeded(svc, MUC_LIMIT_NICK, nick) ||
      muc_room_occupant_by_nick(room, nick))
    return MUC_ERR_STORAGE;
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  muc_buf_puts(&b, room->jid);
  muc_buf_putc(&b, '/');
  muc_buf_puts(&b, nick);
  int rc = b.oom                          ? MUC_ERR_NOMEM
           : muc_jid_is_canonical(b.data) ? MUC_OK
                                          : MUC_ERR_STORAGE;
  muc_buf_free(&b);
  return rc;
}

int muc_snap_read_occupant(muc_room *room, muc_snap_in *in, muc_occupant **out)
{
  muc_service *svc = room->svc;
  *out = NULL;
  int rc;
  char *nick = muc_snap_str(svc, in, &rc);
  unsigned role = muc_snap_u8(in);
  uint32_t n = muc_snap_u32(in), primary = muc_snap_u32(in);
  if (rc == MUC_OK &&
      (in->bad || role < MUC_ROLE_VISITOR || role > MUC_ROLE_MODERATOR ||
       n == 0 || primary >= n ||
       muc_limit_exceeded(svc, MUC_LIMIT_SESSIONS, n) ||
       muc_limit_reached(svc, MUC_LIMIT_OCCUPANTS, room->noccupants)))
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK)
    rc = check_nick(room, nick);
  muc_occupant *occ = NULL;
  for (uint32_t i = 0; rc == MUC_OK && i < n; i++)
    rc = read_session(room, in, nick, &occ);
  muc_mem_free(&svc->mem, nick);
  if (rc == MUC_OK && (in->bad || in->left))
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK) {
    muc_session *p = occ->sessions;
    for (uint32_t i = 0; i < primary; i++)
      p = p->next;
    occ->primary = p;
    occ->role = (muc_role)role;
    /* in the room only with an available session */
    if (!muc_room_save_occupant(room, occ))
      rc = svc->err == MUC_ERR_NOMEM ? MUC_ERR_NOMEM : MUC_ERR_STORAGE;
  }
  if (rc != MUC_OK) {
    if (occ)
      muc_snap_drop_occupant(room, occ);
    return rc;
  }
  *out = occ;
  return MUC_OK;
}

/* ---- history and forwarded queries -----------------------------------------
 */

int muc_snap_read_history(muc_room *room, muc_snap_in *in, size_t *bytes,
                          uint64_t *last)
{
  muc_service *svc = room->svc;
  uint64_t ts = muc_snap_u64(in);
  int rc;
  char *text = muc_snap_str(svc, in, &rc);
  if (rc != MUC_OK)
    return rc;
  size_t len = strlen(text), max = svc->cfg.max_history_bytes;
  rc = MUC_ERR_STORAGE;
  if (!in->left && ts >= *last && len < UINT32_MAX &&
      muc_history_count(room) < room->cfg.history_length &&
      (!max || (*bytes <= max && len <= max - *bytes)))
    rc = muc_history_store_check(room, text, len, ts);
  if (rc == MUC_OK && !muc_history_restore(room, text, len, ts))
    rc = MUC_ERR_NOMEM;
  muc_mem_free(&svc->mem, text);
  *bytes += len;
  *last = ts;
  return rc;
}

/* One route: |r| filled from |in|, each part checked. */
static int read_route(muc_service *svc, muc_snap_in *in, muc_iq_route *r)
{
  int rc;
  if (!(r->id = muc_snap_str(svc, in, &rc)) ||
      !(r->orig = muc_snap_str(svc, in, &rc)) ||
      !(r->sender = muc_snap_str(svc, in, &rc)) ||
      !(r->target = muc_snap_str(svc, in, &rc)))
    return rc;
  size_t il = strlen(r->id), ol = strlen(r->orig);
  int ok = il && il < 64 && muc_utf8_xml_valid(r->id, il) &&
           ol <= svc->cfg.max_stanza_bytes && muc_utf8_xml_valid(r->orig, ol) &&
           strchr(r->sender, '/') && muc_jid_is_canonical(r->sender) &&
           muc_jid_is_canonical(r->target);
  return ok ? MUC_OK : MUC_ERR_STORAGE;
}

int muc_snap_read_iqs(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  uint32_t next = muc_snap_u32(in), n = muc_snap_u32(in);
  if (in->bad || next >= MUC_MAX_PENDING_IQ || n > MUC_MAX_PENDING_IQ)
    return MUC_ERR_STORAGE;
  if (!room->iqs && !(room->iqs = muc_mem_calloc(&svc->mem, MUC_MAX_PENDING_IQ,
                                                 sizeof(*room->iqs))))
    return MUC_ERR_NOMEM;
  room->iq_next = next;
  uint32_t prev = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t slot = muc_snap_u32(in);
    if (in->bad || slot >= MUC_MAX_PENDING_IQ || (i && slot <= prev) ||
        room->iqs[slot].id)
      return MUC_ERR_STORAGE;
    prev = slot;
    int rc = read_route(svc, in, &room->iqs[slot]);
    if (rc != MUC_OK)
      return rc;
    for (uint32_t j = 0; j < MUC_MAX_PENDING_IQ; j++)
      if (j != slot && room->iqs[j].id &&
          strcmp(room->iqs[j].id, room->iqs[slot].id) == 0)
        return MUC_ERR_STORAGE;
  }
  return in->left ? MUC_ERR_STORAGE : MUC_OK;
}

/* ---- host fields -----------------------------------------------------------
 */

/* Checked as a stored record's <hostfield/> is (host_fields.c), and once
 * per var. */
int muc_snap_read_hostfield(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  int rc;
  char *var = muc_snap_str(svc, in, &rc);
  uint32_t n = muc_snap_u32(in);
  /* each value takes at least its 4-byte length */
  if (rc == MUC_OK && (in->bad || !*var || !text_ok(var) || n > in->left / 4 ||
                       muc_host_fields_has(room, var)))
    rc = MUC_ERR_STORAGE;
  char **vals =
      rc == MUC_OK && n ? muc_mem_calloc(&svc->mem, n, sizeof(*vals)) : NULL;
  if (rc == MUC_OK && n && !vals)
    rc = MUC_ERR_NOMEM;
  uint32_t k = 0;
  for (; rc == MUC_OK && k < n; k++)
    if ((vals[k] = muc_snap_str(svc, in, &rc)) && !text_ok(vals[k]))
      rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK)
    rc = muc_host_fields_set(room, var, (const char *const *)vals, n);
  for (uint32_t i = 0; i < k; i++)
    muc_mem_free(&svc->mem, vals[i]);
  muc_mem_free(&svc->mem, vals);
  muc_mem_free(&svc->mem, var);
  return rc;
}
