/* Drawing operations, writing them as stanzas, and applying them to the
 * model. */
#include "op.h"

#include <stdio.h>
#include <string.h>

#define NS_MUC "http://jabber.org/protocol/muc"
#define NS_ADMIN "http://jabber.org/protocol/muc#admin"
#define NS_OWNER "http://jabber.org/protocol/muc#owner"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"

const char *const op_names[OP_KINDS] = {
    "join",    "join-plain",  "nick",   "bad-nick",    "leave",  "groupchat",
    "subject", "private",     "role",   "affiliation", "config", "config-bad",
    "destroy", "session-end", "bounce", "ghost",       "invalid"};

/* Relative frequencies. */
static const unsigned weights[OP_KINDS] = {
    [OP_JOIN] = 24,       [OP_JOIN_PLAIN] = 2, [OP_NICK] = 8,
    [OP_BAD_NICK] = 2,    [OP_LEAVE] = 10,     [OP_GROUPCHAT] = 12,
    [OP_SUBJECT] = 3,     [OP_PRIVATE] = 8,    [OP_ROLE] = 6,
    [OP_AFFILIATION] = 8, [OP_CONFIG] = 6,     [OP_CONFIG_BAD] = 1,
    [OP_DESTROY] = 1,     [OP_END] = 4,        [OP_BOUNCE] = 3,
    [OP_GHOST] = 1,       [OP_INVALID] = 2};

static const char *const passwords[] = {NULL, "secret", "sesame"};
static const char *const role_names[] = {"none", "visitor", "participant",
                                         "moderator"};
static const char *const affil_names[] = {"outcast", "none", "member", "admin",
                                          "owner"};

/* ---- choosing who acts -----------------------------------------------------
 */

/* A session of |r|'s occupants (most of the time), else any session. */
static int pick_session(uint64_t *rng, const m_room *r, unsigned inside_pct)
{
  uint64_t in = model_sessions(r);
  if (in && soak_below(rng, 100) < inside_pct) {
    int n = soak_below(rng, (uint32_t)__builtin_popcountll(in));
    for (int s = 0; s < SOAK_SESSIONS; s++)
      if ((in >> s & 1) && n-- == 0)
        return s;
  }
  return (int)soak_below(rng, SOAK_SESSIONS);
}

/* For admin requests: often a session of an admin or owner. */
static int pick_actor(uint64_t *rng, const m_room *r)
{
  if (soak_below(rng, 100) < 60) {
    int cand[SOAK_USERS], n = 0;
    for (int u = 0; u < SOAK_USERS; u++)
      if (r->aff[u] >= MUC_AFFIL_ADMIN)
        cand[n++] = u;
    if (n)
      return cand[soak_below(rng, n)] * SOAK_RES +
             (int)soak_below(rng, SOAK_RES);
  }
  return pick_session(rng, r, 70);
}

/* A nick: often one that is present. */
static int pick_nick(uint64_t *rng, const m_room *r, unsigned present_pct)
{
  if (soak_below(rng, 100) < present_pct) {
    int cand[SOAK_NICKS], n = 0;
    for (int k = 0; k < SOAK_NICKS; k++)
      if (r->occ[k].present)
        cand[n++] = k;
    if (n)
      return cand[soak_below(rng, n)];
  }
  return (int)soak_below(rng, SOAK_NICKS);
}

static int pick_user(uint64_t *rng, const m_room *r)
{
  if (soak_below(rng, 2)) { /* a user who is there */
    int k = pick_nick(rng, r, 100);
    if (r->occ[k].present)
      return r->occ[k].user;
  }
  return (int)soak_below(rng, SOAK_USERS);
}

static enum op_kind pick_kind(uint64_t *rng)
{
  unsigned total = 0;
  for (int k = 0; k < OP_KINDS; k++)
    total += weights[k];
  unsigned x = soak_below(rng, total);
  for (int k = 0; k < OP_KINDS; k++) {
    if (x < weights[k])
      return (enum op_kind)k;
    x -= weights[k];
  }
  return OP_JOIN;
}

/* ---- writing stanzas
 * --------------------------------------------------------- */

typedef struct out {
  char *p;
  size_t left;
} out;

static void put(out *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(out *w, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(w->p, w->left, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= w->left) {
    fprintf(stderr, "soak: stanza buffer too small\n");
    __builtin_trap();
  }
  w->p += n;
  w->left -= (size_t)n;
}

static void write_join(const op *o, out *w, const char *from, const char *nick)
{
  put(w, "<presence from='%s' to='room%d@" SOAK_DOMAIN "/%s'>", from, o->room,
      nick);
  if (o->with_x) {
    put(w, "<x xmlns='" NS_MUC "'>");
    if (o->password)
      put(w, "<password>%s</password>", passwords[o->password]);
    put(w, "<history maxstanzas='2'/></x>");
  } else {
    put(w, "<show>away</show>");
  }
  put(w, "</presence>");
}

static void write_iq_open(const op *o, out *w, const char *from, const char *ns)
{
  put(w,
      "<iq from='%s' to='room%d@" SOAK_DOMAIN
      "' type='set' id='q%d'><query xmlns='%s'>",
      from, o->room, o->session, ns);
}

static void write_field(out *w, const char *var, const char *value)
{
  put(w, "<field var='muc#roomconfig_%s'><value>%s</value></field>", var,
      value);
}

static void write_config(const op *o, out *w, const char *from, int bad)
{
  write_iq_open(o, w, from, NS_OWNER);
  const m_config *c = &o->cfg;
  int empty = c->members_only < 0 && c->moderated < 0 && c->whois_anyone < 0 &&
              c->persistent < 0 && c->password < 0 && c->max_users < 0 && !bad;
  if (empty) { /* an instant room's empty submission (§10.1.2) */
    put(w, "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
    return;
  }
  put(w, "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
         "<value>http://jabber.org/protocol/muc#roomconfig</value></field>");
  char num[16];
  if (c->persistent >= 0)
    write_field(w, "persistentroom", c->persistent ? "1" : "0");
  if (c->members_only >= 0)
    write_field(w, "membersonly", c->members_only ? "true" : "false");
  if (c->moderated >= 0)
    write_field(w, "moderatedroom", c->moderated ? "1" : "0");
  if (c->whois_anyone >= 0)
    write_field(w, "whois", c->whois_anyone ? "anyone" : "moderators");
  if (c->password >= 0)
    write_field(w, "roomsecret", c->password ? passwords[c->password] : "");
  if (c->max_users >= 0) {
    snprintf(num, sizeof(num), "%d", c->max_users);
    write_field(w, "maxusers", num);
  }
  if (bad) /* a value no list has: nothing of the form is applied */
    write_field(w, o->variant ? "whois" : "maxusers",
                o->variant ? "everybody" : "lots");
  put(w, "</x></query></iq>");
}

static void write_error(const op *o, out *w, const char *from)
{
  const char *name = o->presence ? "presence" : "message";
  put(w, "<%s from='%s' to='room%d@" SOAK_DOMAIN, name, from, o->room);
  if (o->nick >= 0)
    put(w, "/n%d", o->nick);
  put(w,
      "' type='error'><error type='%s'><%s xmlns='" NS_STANZAS
      "'/></error></%s>",
      o->kickable ? "cancel" : "auth",
      o->kickable ? "service-unavailable" : "forbidden", name);
}

static void write_invalid(const op *o, out *w, const char *from)
{
  switch (o->variant) {
  case 0: /* not XML */
    put(w, "<message from='%s' to='room%d@" SOAK_DOMAIN "'><body>x</message>",
        from, o->room);
    break;
  case 1: /* an iq without id */
    put(w,
        "<iq from='%s' to='room%d@" SOAK_DOMAIN
        "' type='get'><query xmlns='" NS_ADMIN "'/></iq>",
        from, o->room);
    break;
  default: /* no such message type */
    put(w,
        "<message from='%s' to='room%d@" SOAK_DOMAIN
        "' type='bogus'><body>x</body></message>",
        from, o->room);
    break;
  }
}

static void write_stanza(op *o)
{
  char from[64];
  soak_session_jid(o->session, from, sizeof(from));
  out w = {o->xml, sizeof(o->xml)};
  o->xml[0] = '\0';
  char nick[8];
  snprintf(nick, sizeof(nick), "n%d", o->nick);
  switch (o->kind) {
  case OP_JOIN:
  case OP_JOIN_PLAIN:
  case OP_NICK:
    write_join(o, &w, from, nick);
    break;
  case OP_BAD_NICK: {
    char bad[320];
    if (o->variant) { /* over max_nick_bytes */
      memset(bad, 'x', 300);
      bad[300] = '\0';
    } else { /* nothing visible */
      snprintf(bad, sizeof(bad), "   ");
    }
    write_join(o, &w, from, bad);
    break;
  }
  case OP_LEAVE:
    put(&w,
        "<presence from='%s' to='room%d@" SOAK_DOMAIN
        "/%s' type='unavailable'/>",
        from, o->room, nick);
    break;
  case OP_GROUPCHAT:
    put(&w,
        "<message from='%s' to='room%d@" SOAK_DOMAIN
        "' type='groupchat' id='g%d'><body>hello &amp; &lt;all&gt;</body>"
        "</message>",
        from, o->room, o->session);
    break;
  case OP_SUBJECT:
    put(&w,
        "<message from='%s' to='room%d@" SOAK_DOMAIN
        "' type='groupchat'><subject>topic%d</subject></message>",
        from, o->room, o->word);
    break;
  case OP_PRIVATE:
    put(&w,
        "<message from='%s' to='room%d@" SOAK_DOMAIN
        "/%s' type='chat'><body>psst</body></message>",
        from, o->room, nick);
    break;
  case OP_ROLE:
    write_iq_open(o, &w, from, NS_ADMIN);
    put(&w, "<item nick='%s' role='%s'><reason>r</reason></item></query></iq>",
        nick, role_names[o->role]);
    break;
  case OP_AFFILIATION:
    write_iq_open(o, &w, from, NS_ADMIN);
    put(&w, "<item jid='u%d@example.org' affiliation='%s'/></query></iq>",
        o->user, affil_names[o->aff + 1]);
    break;
  case OP_CONFIG:
  case OP_CONFIG_BAD:
    write_config(o, &w, from, o->kind == OP_CONFIG_BAD);
    break;
  case OP_DESTROY:
    write_iq_open(o, &w, from, NS_OWNER);
    put(&w, "<destroy><reason>done</reason></destroy></query></iq>");
    break;
  case OP_BOUNCE:
  case OP_GHOST:
    write_error(o, &w, from);
    break;
  case OP_INVALID:
    write_invalid(o, &w, from);
    break;
  case OP_END:
  case OP_KINDS:
    break;
  }
}

/* ---- drawing
 * ----------------------------------------------------------------- */

static int maybe(uint64_t *rng, int values)
{
  /* -1 (not given) half of the time, else one of |values| */
  return soak_below(rng, 2) ? -1 : (int)soak_below(rng, (uint32_t)values);
}

static void draw_config(op *o, uint64_t *rng)
{
  o->cfg.members_only = maybe(rng, 2);
  o->cfg.moderated = maybe(rng, 2);
  o->cfg.whois_anyone = maybe(rng, 2);
  o->cfg.persistent = maybe(rng, 2);
  o->cfg.password = soak_below(rng, 4) ? -1 : (int)soak_below(rng, 3);
  static const int users[] = {0, 2, 4, 9};
  o->cfg.max_users = soak_below(rng, 3) ? -1 : users[soak_below(rng, 4)];
}

/* A nick nobody has in the room, or -1. */
static int absent_nick(uint64_t *rng, const m_room *r)
{
  int start = (int)soak_below(rng, SOAK_NICKS);
  for (int i = 0; i < SOAK_NICKS; i++) {
    int k = (start + i) % SOAK_NICKS;
    if (!r->occ[k].present)
      return k;
  }
  return -1;
}

void op_draw(op *o, uint64_t *rng, const model *m)
{
  memset(o, 0, sizeof(*o));
  o->kind = pick_kind(rng);
  o->room = (int)soak_below(rng, SOAK_ROOMS);
  const m_room *r = &m->room[o->room];
  o->session = pick_session(rng, r, 60);
  o->nick = pick_nick(rng, r, 50);
  switch (o->kind) {
  case OP_JOIN:
    o->with_x = 1;
    o->password = soak_below(rng, 4) ? (r->password ? r->password : 0)
                                     : (int)soak_below(rng, 3);
    if (!r->exists && soak_below(rng, 3) == 0)
      o->password = 0;
    break;
  case OP_NICK:
  case OP_LEAVE:
  case OP_GROUPCHAT:
  case OP_SUBJECT:
  case OP_PRIVATE:
    o->session = pick_session(rng, r, 90);
    o->with_x = o->kind == OP_NICK && soak_below(rng, 2);
    o->word = 1 + (int)soak_below(rng, 5);
    break;
  case OP_BAD_NICK:
    o->with_x = 1;
    o->variant = (int)soak_below(rng, 2);
    break;
  case OP_ROLE:
    o->session = pick_actor(rng, r);
    o->nick = pick_nick(rng, r, 85);
    o->role = (int)soak_below(rng, 4);
    break;
  case OP_AFFILIATION:
    o->session = pick_actor(rng, r);
    o->user = pick_user(rng, r);
    o->aff = (int)soak_below(rng, 5) - 1;
    break;
  case OP_CONFIG:
  case OP_CONFIG_BAD:
    o->session = pick_actor(rng, r);
    draw_config(o, rng);
    o->variant = (int)soak_below(rng, 2);
    if (o->kind == OP_CONFIG_BAD && o->variant) /* the bad value's field */
      o->cfg.whois_anyone = -1;
    else if (o->kind == OP_CONFIG_BAD)
      o->cfg.max_users = -1;
    break;
  case OP_DESTROY:
    o->session = pick_actor(rng, r);
    break;
  case OP_END:
    o->session = pick_session(rng, r, 80);
    break;
  case OP_BOUNCE:
    o->session = pick_session(rng, r, 90);
    o->presence = soak_below(rng, 3) == 0;
    o->kickable = soak_below(rng, 4) != 0;
    /* a bounce names the room or someone present (who sent the stanza) */
    o->nick = o->presence || soak_below(rng, 2) ? pick_nick(rng, r, 100) : -1;
    if (o->nick >= 0 && !r->occ[o->nick].present)
      o->nick = -1;
    if (o->presence && o->nick < 0)
      o->presence = 0;
    break;
  case OP_GHOST:
    o->session = pick_session(rng, r, 90);
    o->presence = soak_below(rng, 3) == 0;
    o->kickable = 1;
    o->nick = absent_nick(rng, r);
    if (o->nick < 0)
      o->kind = OP_GROUPCHAT; /* the room is full of nicks */
    break;
  case OP_INVALID:
    o->variant = (int)soak_below(rng, 3);
    o->as_text = o->variant == 0;
    break;
  case OP_JOIN_PLAIN:
  case OP_KINDS:
    break;
  }
  write_stanza(o);
}

int op_destroy_by_owner(op *o, const model *m, int room)
{
  const m_room *r = &m->room[room];
  for (int u = 0; u < SOAK_USERS; u++)
    if (r->aff[u] == MUC_AFFIL_OWNER) {
      memset(o, 0, sizeof(*o));
      o->kind = OP_DESTROY;
      o->room = room;
      o->session = u * SOAK_RES;
      write_stanza(o);
      return 1;
    }
  return 0;
}

/* ---- applying
 * ---------------------------------------------------------------- */

static void expect_kind(expect *e, enum expect_kind kind)
{
  memset(e, 0, sizeof(*e));
  e->kind = kind;
  e->invitee = -1;
}

/* The sender is refused as the row |row| of docs/errors.md says. */
static void answered(expect *e, const char *row)
{
  expect_kind(e, EXPECT_ERROR);
  e->answer = soak_answer_of(row);
}

void op_apply(const op *o, model *m, expect *e)
{
  int room = o->room, s = o->session;
  switch (o->kind) {
  case OP_JOIN:
  case OP_JOIN_PLAIN:
  case OP_NICK:
    model_join(m, e, room, s, o->nick, o->with_x, o->password);
    return;
  case OP_BAD_NICK:
    model_bad_nick(m, e, room, s, o->variant);
    return;
  case OP_LEAVE:
    model_leave(m, e, room, s);
    return;
  case OP_GROUPCHAT:
    model_groupchat(m, e, room, s);
    return;
  case OP_SUBJECT:
    model_subject(m, e, room, s, o->word);
    return;
  case OP_PRIVATE:
    model_private(m, e, room, s, o->nick);
    return;
  case OP_ROLE:
    model_set_role(m, e, room, s, o->nick, o->role);
    return;
  case OP_AFFILIATION:
    model_set_affiliation(m, e, room, s, o->user, o->aff);
    return;
  case OP_CONFIG:
    model_configure(m, e, room, s, &o->cfg);
    return;
  case OP_CONFIG_BAD:
    if (!model_refuse_non_owner(&m->room[room], e, s))
      answered(e, "config-value"); /* §10.2: nothing is applied */
    return;
  case OP_DESTROY:
    model_destroy(m, e, room, s);
    return;
  case OP_END:
    model_session_ended(m, s);
    expect_kind(e, EXPECT_SILENT);
    return;
  case OP_BOUNCE:
  case OP_GHOST:
    model_bounce(m, e, room, s, o->nick, o->kickable, o->presence);
    return;
  case OP_INVALID:
    if (o->variant == 0)
      expect_kind(e, EXPECT_NOTHING); /* no sender can be read */
    else if (o->variant == 1)
      answered(e, "iq-invalid"); /* RFC 6120 §8.2.3: an iq has an id */
    else
      model_normal_message(m, e, room, s);
    return;
  case OP_KINDS:
    break;
  }
}

void op_describe(const op *o, char *buf, size_t size)
{
  char from[64];
  soak_session_jid(o->session, from, sizeof(from));
  if (o->kind == OP_END)
    snprintf(buf, size, "%s: muc_service_session_ended(%s)", op_names[o->kind],
             from);
  else
    snprintf(buf, size, "%s: %s", op_names[o->kind], o->xml);
}
