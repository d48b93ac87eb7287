/* The reference model: each operation's effect on the rooms and what the
 * sender should be answered, following XEP-0045 (section in the comments)
 * and the limits of docs/limits.md. */
#include "model.h"

#include <string.h>

#define USER(s) ((s) / SOAK_RES)
#define RES_BIT(s) (1u << ((s) % SOAK_RES))

static void ok(expect *e)
{
  memset(e, 0, sizeof(*e));
  e->kind = EXPECT_OK;
  e->invitee = -1;
}

/* The sender is refused as the row |row| of docs/errors.md says. */
static void error(expect *e, const char *row)
{
  ok(e);
  e->kind = EXPECT_ERROR;
  e->answer = soak_answer_of(row);
}

static void silent(expect *e)
{
  ok(e);
  e->kind = EXPECT_SILENT;
}

static int popcount(uint32_t v)
{
  return __builtin_popcount(v);
}

int model_occupants(const m_room *r)
{
  int n = 0;
  for (int k = 0; k < SOAK_NICKS; k++)
    n += r->occ[k].present;
  return n;
}

int model_nick_of(const m_room *r, int s)
{
  for (int k = 0; k < SOAK_NICKS; k++)
    if (r->occ[k].present && r->occ[k].user == USER(s) &&
        (r->occ[k].sessions & RES_BIT(s)))
      return k;
  return -1;
}

uint64_t model_occ_sessions(const m_occ *o)
{
  uint64_t set = 0;
  for (int b = 0; b < SOAK_RES; b++)
    if (o->present && (o->sessions & (1u << b)))
      set |= 1ull << (o->user * SOAK_RES + b);
  return set;
}

uint64_t model_sessions(const m_room *r)
{
  uint64_t set = 0;
  for (int k = 0; k < SOAK_NICKS; k++)
    set |= model_occ_sessions(&r->occ[k]);
  return set;
}

/* §5.1.2 default roles. */
int model_default_role(int aff, int members_only, int moderated)
{
  switch (aff) {
  case MUC_AFFIL_OWNER:
  case MUC_AFFIL_ADMIN:
    return MUC_ROLE_MODERATOR;
  case MUC_AFFIL_MEMBER:
    return MUC_ROLE_PARTICIPANT;
  case MUC_AFFIL_NONE:
    if (members_only)
      return MUC_ROLE_NONE;
    return moderated ? MUC_ROLE_VISITOR : MUC_ROLE_PARTICIPANT;
  default:
    return MUC_ROLE_NONE;
  }
}

static void vanish(m_room *r)
{
  memset(r, 0, sizeof(*r));
}

/* An empty room that is not persistent goes away (§10.1.3 temporary). */
static void collect(m_room *r)
{
  if (r->exists && !r->persistent && model_occupants(r) == 0)
    vanish(r);
}

/* Would one more occupant be too many?  The room's maxusers stops users,
 * not admins and owners (§7.2.9); max_occupants_per_room stops everyone
 * (docs/limits.md). */
static int full(const m_room *r, int aff)
{
  int n = model_occupants(r);
  if (aff < MUC_AFFIL_ADMIN && r->max_users && (unsigned)n >= r->max_users)
    return 1;
  return n >= SOAK_MAX_OCCUPANTS;
}

static void create(m_room *r, int s, int nick, int with_x, int password)
{
  vanish(r);
  r->exists = 1;
  r->locked = with_x; /* §10.1.1: a MUC join creates a locked room */
  r->password = password;
  r->aff[USER(s)] = MUC_AFFIL_OWNER;
  r->occ[nick] = (m_occ){1, USER(s), MUC_ROLE_MODERATOR, RES_BIT(s)};
}

/* The session moves from |from| to |to| (a nick change, §7.6). */
static void move_session(m_room *r, int s, int from, int to)
{
  r->occ[from].sessions &= ~RES_BIT(s);
  if (!r->occ[from].sessions)
    memset(&r->occ[from], 0, sizeof(r->occ[from]));
  r->occ[to].sessions |= RES_BIT(s);
}

static void change_nick(m_room *r, expect *e, int s, int cur, int nick)
{
  m_occ *dest = &r->occ[nick];
  if (dest->present) {
    if (dest->user != USER(s)) {
      error(e, "nick-conflict");
      return;
    } /* §7.6 */
    if (popcount(dest->sessions) >= SOAK_MAX_SESSIONS) {
      error(e, "limit-sessions");
      return;
    }
    move_session(r, s, cur, nick);
    {
      ok(e);
      return;
    }
  }
  /* a session leaving others behind makes one occupant more */
  if (popcount(r->occ[cur].sessions) > 1 && full(r, r->aff[USER(s)])) {
    error(e, "limit-occupants");
    return;
  }
  *dest = (m_occ){1, USER(s), r->occ[cur].role, 0};
  move_session(r, s, cur, nick);
  ok(e);
}

void model_join(model *m, expect *e, int room, int s, int nick, int with_x,
                int password)
{
  m_room *r = &m->room[room];
  if (!r->exists) {
    create(r, s, nick, with_x, password);
    {
      ok(e);
      return;
    }
  }
  int cur = model_nick_of(r, s);
  if (cur == nick) {
    ok(e);
    return;
  } /* a presence update (§7.7) */
  if (cur >= 0) {
    change_nick(r, e, s, cur, nick);
    return;
  }
  if (!with_x) /* not a join: nobody knows the session here */
  {
    error(e, "not-joined");
    return;
  }
  int aff = r->aff[USER(s)];
  if (r->members_only && aff == MUC_AFFIL_NONE) {
    error(e, "members-only");
    return;
  } /* §7.2.6 */
  if (aff == MUC_AFFIL_OUTCAST) {
    error(e, "banned");
    return;
  } /* §7.2.7 */
  if (r->password && password != r->password) {
    error(e, "password");
    return;
  } /* §7.2.5 */
  if (r->locked) {
    error(e, "locked");
    return;
  } /* §7.2.10 */
  m_occ *dest = &r->occ[nick];
  if (!dest->present) {
    if (full(r, aff)) {
      error(e, "limit-occupants");
      return;
    }
    *dest = (m_occ){1, USER(s),
                    model_default_role(aff, r->members_only, r->moderated),
                    RES_BIT(s)};
    {
      ok(e);
      return;
    }
  }
  if (dest->user != USER(s)) {
    error(e, "nick-conflict");
    return;
  } /* §7.2.8 */
  if (popcount(dest->sessions) >= SOAK_MAX_SESSIONS) {
    error(e, "limit-sessions");
    return;
  }
  dest->sessions |= RES_BIT(s); /* one more session of the same user */
  ok(e);
}

void model_leave(model *m, expect *e, int room, int s)
{
  m_room *r = &m->room[room];
  silent(e);
  int cur = r->exists ? model_nick_of(r, s) : -1;
  if (cur < 0)
    return;
  m_occ *o = &r->occ[cur];
  if (popcount(o->sessions) > 1) {
    o->sessions &= ~RES_BIT(s);
    return;
  }
  memset(o, 0, sizeof(*o));
  if (r->locked) {
    vanish(r); /* §10.1.3: the owner left before configuring it */
    return;
  }
  collect(r);
}

/* The common refusals of a message from |s| to |r|, |outsider| the row
 * for someone not in the room: -1 if refused. */
static int speaker(const m_room *r, expect *e, int s, const char *outsider)
{
  if (!r->exists) {
    error(e, "room-not-found");
    return -1;
  }
  int cur = model_nick_of(r, s);
  if (cur < 0) {
    /* §10.1.1: a locked room does not exist for outsiders */
    error(e, r->locked ? "locked-outsider" : outsider);
    return -1;
  }
  return cur;
}

void model_groupchat(model *m, expect *e, int room, int s)
{
  m_room *r = &m->room[room];
  int cur = speaker(r, e, s, "groupchat-not-occupant");
  if (cur < 0)
    return;
  if (r->occ[cur].role < MUC_ROLE_PARTICIPANT) {
    error(e, "groupchat-visitor");
    return;
  } /* §7.4: visitors have no voice */
  ok(e);
  e->exact = 1;
  e->to = model_sessions(r);
}

void model_subject(model *m, expect *e, int room, int s, int word)
{
  m_room *r = &m->room[room];
  int cur = speaker(r, e, s, "groupchat-not-occupant");
  if (cur < 0)
    return;
  /* §8.1: moderators (changesubject is off); a visitor is refused as for
   * any groupchat first */
  if (r->occ[cur].role < MUC_ROLE_MODERATOR) {
    error(e, r->occ[cur].role < MUC_ROLE_PARTICIPANT ? "groupchat-visitor"
                                                     : "subject-forbidden");
    return;
  }
  r->subject = word;
  ok(e);
  e->exact = 1;
  e->to = model_sessions(r);
}

void model_private(model *m, expect *e, int room, int s, int nick)
{
  m_room *r = &m->room[room];
  if (speaker(r, e, s, "pm-not-occupant") < 0)
    return;
  if (!r->occ[nick].present) {
    error(e, "pm-no-recipient");
    return;
  }      /* §7.5 */
  ok(e); /* allowpm is "anyone" */
  e->exact = 1;
  e->to = model_occ_sessions(&r->occ[nick]);
}

static void remove_occupant(m_room *r, int nick)
{
  memset(&r->occ[nick], 0, sizeof(r->occ[nick]));
}

/* §8, §9 and the §5.1.3 and §5.2.2 charts: who may give whom a role. */
static const char *role_refusal(const m_room *r, int actor_aff, int actor_role,
                                const m_occ *t, int wanted)
{
  int target_aff = r->aff[t->user];
  if (actor_role != MUC_ROLE_MODERATOR)
    return "denied-forbidden";
  if (wanted == MUC_ROLE_MODERATOR && t->role != MUC_ROLE_MODERATOR &&
      actor_aff < MUC_AFFIL_ADMIN)
    return "denied-forbidden";
  if (actor_aff < target_aff)
    return "denied-not-allowed";
  if (t->role == MUC_ROLE_MODERATOR && wanted != MUC_ROLE_MODERATOR &&
      actor_aff < MUC_AFFIL_ADMIN)
    return "denied-not-allowed";
  if (target_aff >= MUC_AFFIL_ADMIN && wanted != MUC_ROLE_NONE &&
      wanted < MUC_ROLE_MODERATOR)
    return "denied-not-allowed";
  return NULL;
}

void model_set_role(model *m, expect *e, int room, int s, int nick, int role)
{
  m_room *r = &m->room[room];
  if (!r->exists) {
    error(e, "room-not-found");
    return;
  }
  int cur = model_nick_of(r, s);
  int actor_role = cur >= 0 ? r->occ[cur].role : MUC_ROLE_NONE;
  if (!r->occ[nick].present) {
    error(e, actor_role == MUC_ROLE_MODERATOR ? "admin-not-found"
                                              : "denied-forbidden");
    return;
  }
  const char *why =
      role_refusal(r, r->aff[USER(s)], actor_role, &r->occ[nick], role);
  if (why) {
    error(e, why);
    return;
  }
  if (role == MUC_ROLE_NONE)
    remove_occupant(r, nick); /* a kick, §8.2 */
  else
    r->occ[nick].role = role;
  collect(r);
  ok(e);
}

/* §9, §10: who may give whom an affiliation. */
static const char *affiliation_refusal(const m_room *r, int actor, int user,
                                       int wanted)
{
  int actor_aff = r->aff[actor], target = r->aff[user];
  int self = actor == user;
  if (actor_aff < MUC_AFFIL_ADMIN)
    return "denied-forbidden";
  if (actor_aff == MUC_AFFIL_ADMIN && wanted >= MUC_AFFIL_ADMIN)
    return "denied-forbidden";
  if (self && wanted == MUC_AFFIL_OUTCAST && target != MUC_AFFIL_OUTCAST)
    return "denied-conflict"; /* §9.1 */
  if (actor_aff == MUC_AFFIL_OWNER) {
    int others = 0;
    for (int u = 0; u < SOAK_USERS; u++)
      others += u != user && r->aff[u] == MUC_AFFIL_OWNER;
    if (self && target == MUC_AFFIL_OWNER && wanted < MUC_AFFIL_OWNER &&
        !others)
      return "denied-conflict"; /* §10.4: a room keeps an owner */
    return NULL;
  }
  if (target >= MUC_AFFIL_ADMIN)
    return wanted == MUC_AFFIL_OUTCAST ? "denied-not-allowed"
                                       : "denied-forbidden";
  return NULL;
}

void model_set_affiliation(model *m, expect *e, int room, int s, int user,
                           int aff)
{
  m_room *r = &m->room[room];
  if (!r->exists) {
    error(e, "room-not-found");
    return;
  }
  const char *why = affiliation_refusal(r, USER(s), user, aff);
  if (why) {
    error(e, why);
    return;
  }
  int was = r->aff[user];
  int absent = 1;
  for (int k = 0; k < SOAK_NICKS; k++)
    absent &= !(r->occ[k].present && r->occ[k].user == user);
  r->aff[user] = aff;
  /* the user's occupants take the role the new affiliation gives when it
   * is lower than before (a downgrade) or higher than theirs (§9) */
  int role = model_default_role(aff, r->members_only, r->moderated);
  for (int k = 0; k < SOAK_NICKS; k++) {
    m_occ *o = &r->occ[k];
    if (!o->present || o->user != user)
      continue;
    if (o->role != role && (was > aff || o->role < role))
      o->role = role;
    if (o->role == MUC_ROLE_NONE)
      remove_occupant(r, k);
  }
  ok(e);
  /* §9.5: a new member of a members-only room is invited */
  if (r->members_only && was == MUC_AFFIL_NONE && aff == MUC_AFFIL_MEMBER)
    e->invitee = user;
  /* status 101: an absent user whose affiliation changed is told */
  if (absent && was != aff)
    e->invitee = user;
  collect(r);
}

int model_refuse_non_owner(const m_room *r, expect *e, int s)
{
  if (!r->exists)
    error(e, "room-not-found");
  else if (r->aff[USER(s)] != MUC_AFFIL_OWNER)
    error(e, "owner-forbidden"); /* §10.2, §10.9: owners only */
  else
    return 0;
  return 1;
}

void model_configure(model *m, expect *e, int room, int s, const m_config *c)
{
  m_room *r = &m->room[room];
  if (model_refuse_non_owner(r, e, s))
    return;
  if (c->persistent >= 0)
    r->persistent = c->persistent;
  if (c->password >= 0)
    r->password = c->password;
  if (c->members_only >= 0) {
    if (c->members_only && !r->members_only)
      for (int k = 0; k < SOAK_NICKS; k++) /* §9.3: status 322 */
        if (r->occ[k].present && r->aff[r->occ[k].user] <= MUC_AFFIL_NONE)
          remove_occupant(r, k);
    r->members_only = c->members_only;
  }
  if (c->max_users >= 0)
    r->max_users = (unsigned)c->max_users;
  if (c->moderated >= 0)
    r->moderated = c->moderated;
  if (c->whois_anyone >= 0)
    r->whois_anyone = c->whois_anyone;
  r->locked = 0; /* §10.1.2: configured, the room opens */
  ok(e);
  collect(r);
}

void model_destroy(model *m, expect *e, int room, int s)
{
  m_room *r = &m->room[room];
  if (model_refuse_non_owner(r, e, s))
    return;
  vanish(r);
  ok(e);
}

void model_session_ended(model *m, int s)
{
  expect ignored;
  for (int room = 0; room < SOAK_ROOMS; room++)
    model_leave(m, &ignored, room, s);
}

void model_bounce(model *m, expect *e, int room, int s, int nick, int kickable,
                  int presence)
{
  m_room *r = &m->room[room];
  silent(e); /* an error is never answered */
  int cur = r->exists ? model_nick_of(r, s) : -1;
  if (cur < 0 || (!kickable && !presence))
    return;
  (void)presence; /* both kinds of error follow the same rule */
  if (nick >= 0 && !r->occ[nick].present)
    return; /* not a bounce of anything the room sent: no ghost */
  /* the session is gone (status 333); its occupant with it when it was
   * the last one */
  m_occ *o = &r->occ[cur];
  o->sessions &= ~RES_BIT(s);
  if (!o->sessions)
    remove_occupant(r, cur);
  collect(r);
}

void model_bad_nick(model *m, expect *e, int room, int s, int too_long)
{
  (void)m, (void)room, (void)s;
  /* the nick is checked before anything else of a join or a nick change,
   * and before a room is created (XEP-0045 §17.1, docs/limits.md) */
  error(e, too_long ? "limit-nick" : "nick-invisible");
}

void model_normal_message(model *m, expect *e, int room, int s)
{
  const m_room *r = &m->room[room];
  /* RFC 6121 §5.2.2: an unknown type is normal; a normal message with a
   * body only is nothing a room serves, from anyone */
  if (!r->exists)
    error(e, "room-not-found");
  else if (r->locked && model_nick_of(r, s) < 0)
    error(e, "locked-outsider"); /* §10.1.1 */
  else
    error(e, "room-message");
}
