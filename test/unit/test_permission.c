/* The permission table (libmuc/permission.c) against XEP-0045, case by
 * case: every action, every actor (each affiliation, the host, each
 * role), every value of the room options and facts the action depends
 * on, every target and wanted value where the action has them.  The
 * expectations are written again here, as the XEP states them (§5.1.1
 * Table 1, §5.2.1 Table 2, the §5.1.3 and §5.2.2 charts, the use cases
 * of §7-§10 and the room options of §15.5.3), never by reading the
 * table.  The test also fails when a row of the table decides no case
 * (a rule nobody tests, or one that can never apply), and when a row
 * depends on a fact the test does not vary for its action. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "permission.h"

#define OUT MUC_AFFIL_OUTCAST
#define NON MUC_AFFIL_NONE
#define MEM MUC_AFFIL_MEMBER
#define ADM MUC_AFFIL_ADMIN
#define OWN MUC_AFFIL_OWNER
#define HOST MUC_AFFIL_HOST
#define R_NONE MUC_ROLE_NONE
#define R_VIS MUC_ROLE_VISITOR
#define R_PAR MUC_ROLE_PARTICIPANT
#define R_MOD MUC_ROLE_MODERATOR

typedef struct expect {
  muc_permit_outcome outcome;
  muc_refusal refusal;
  const char *text;
} expect;

static expect allow(void)
{
  return (expect){MUC_PERMIT_ALLOW, MUC_REFUSAL_COUNT, NULL};
}

static expect withhold(void)
{
  return (expect){MUC_PERMIT_WITHHOLD, MUC_REFUSAL_COUNT, NULL};
}

static expect refuse(muc_refusal r)
{
  return (expect){MUC_PERMIT_REFUSE, r, NULL};
}

static expect refuse_pm(const char *why)
{
  return (expect){MUC_PERMIT_REFUSE, MUC_REFUSE_PM_POLICY, why};
}

static int has(const muc_permit_case *c, unsigned fact)
{
  return (c->facts & fact) != 0;
}

/* ---- XEP-0045, written again ------------------------------------------- */

/* §7.2.5-§7.2.10 in the order the errors are given */
static expect enter(const muc_permit_case *c)
{
  if (has(c, MUC_FACT_MEMBERS_ONLY) && c->actor_aff == NON)
    return refuse(MUC_REFUSE_MEMBERS_ONLY);
  if (c->actor_aff == OUT)
    return refuse(MUC_REFUSE_BANNED);
  if (has(c, MUC_FACT_BAD_PASSWORD))
    return refuse(MUC_REFUSE_PASSWORD);
  if (has(c, MUC_FACT_LOCKED))
    return refuse(MUC_REFUSE_LOCKED);
  /* §7.2.9: a full room lets admins and owners in */
  if (has(c, MUC_FACT_FULL) && c->actor_aff < ADM)
    return refuse(MUC_REFUSE_LIMIT_OCCUPANTS);
  return allow();
}

/* §7.6: Table 1 gives every role "Change Nickname"; a session that
 * leaves the occupant's other sessions behind is a new occupant. */
static expect change_nick(const muc_permit_case *c)
{
  if (has(c, MUC_FACT_FULL) && c->actor_aff < ADM)
    return refuse(MUC_REFUSE_LIMIT_OCCUPANTS);
  return allow();
}

/* Table 1 "Send Messages to All Occupants": participants, moderators */
static expect speak(const muc_permit_case *c)
{
  if (c->actor_role == R_NONE)
    return refuse(MUC_REFUSE_GROUPCHAT_NOT_OCCUPANT);
  if (c->actor_role == R_VIS)
    return refuse(MUC_REFUSE_GROUPCHAT_VISITOR);
  return allow();
}

/* Table 1 "Modify Subject": moderators, participants "Yes*" with
 * muc#roomconfig_changesubject */
static expect subject(const muc_permit_case *c)
{
  if (c->actor_role == R_NONE || c->actor_role == R_VIS)
    return speak(c);
  if (c->actor_role == R_MOD ||
      (c->actor_role == R_PAR && has(c, MUC_FACT_CHANGESUBJECT)))
    return allow();
  return refuse(MUC_REFUSE_SUBJECT_FORBIDDEN);
}

/* §7.5 and muc#roomconfig_allowpm */
static expect private_message(const muc_permit_case *c)
{
  if (c->actor_role == R_NONE)
    return refuse(MUC_REFUSE_PM_NOT_OCCUPANT);
  if (has(c, MUC_FACT_SELF))
    return allow();
  if (has(c, MUC_FACT_MODPM) &&
      (c->actor_role == R_MOD || c->target_role == R_MOD))
    return allow();
  if (has(c, MUC_FACT_PM_ANYONE))
    return allow();
  if (has(c, MUC_FACT_PM_PARTICIPANTS))
    return c->actor_role >= R_PAR
               ? allow()
               : refuse_pm("Private messages are restricted from guests");
  if (has(c, MUC_FACT_PM_MODERATORS))
    return c->actor_role == R_MOD
               ? allow()
               : refuse_pm("Private messages are restricted from "
                           "non-moderators");
  if (has(c, MUC_FACT_PM_MEMBERS))
    return c->actor_aff != NON
               ? allow()
               : refuse_pm("Private messages are restricted from "
                           "non-members");
  return refuse_pm("Private messages are restricted in this group");
}

/* Table 1 "Invite Other Users": every occupant; §7.8.2: in a members-only
 * room admins and owners, and members with muc#roomconfig_allowinvites */
static expect invite(const muc_permit_case *c)
{
  if (c->actor_role == R_NONE)
    return refuse(MUC_REFUSE_INVITE_NOT_OCCUPANT);
  if (has(c, MUC_FACT_MEMBERS_ONLY)) {
    muc_affiliation least = has(c, MUC_FACT_MEMBER_INVITES) ? MEM : ADM;
    if (c->actor_aff < least)
      return refuse(MUC_REFUSE_INVITE_FORBIDDEN);
  }
  return allow();
}

/* Table 2 "Register with an Open Room": unaffiliated users (here: when
 * the service allows it) and up; never outcasts */
static expect register_(const muc_permit_case *c)
{
  if (c->actor_aff == OUT)
    return refuse(MUC_REFUSE_REGISTER_BANNED);
  if (c->actor_aff == NON && !has(c, MUC_FACT_REGISTER_OPEN))
    return refuse(MUC_REFUSE_REGISTER_NOT_ALLOWED);
  return allow();
}

/* §7.2.3, §7.2.4: everyone in a non-anonymous room, moderators in a
 * semi-anonymous one (admins and owners are moderators, §5.1.2) */
static expect see_jids(const muc_permit_case *c)
{
  if (has(c, MUC_FACT_WHOIS_ANYONE) || c->actor_role == R_MOD ||
      c->actor_aff >= ADM)
    return allow();
  return withhold();
}

/* §7.13 a visitor asks; §8.6 a moderator answers; a participant already
 * has voice */
static expect request_voice(const muc_permit_case *c)
{
  switch (c->actor_role) {
  case R_NONE:
    return refuse(MUC_REFUSE_VOICE_NOT_OCCUPANT);
  case R_PAR:
    return withhold();
  default:
    return allow();
  }
}

/* §8, §9.6-§9.7, the §5.1.3 chart */
static expect set_role(const muc_permit_case *c)
{
  muc_role w = (muc_role)c->wanted;
  /* §8: only a moderator learns that nobody has the nick */
  if (has(c, MUC_FACT_NO_TARGET))
    return refuse(c->actor_role == R_MOD ? MUC_REFUSE_ADMIN_NOT_FOUND
                                         : MUC_REFUSE_DENIED_FORBIDDEN);
  if (c->actor_role != R_MOD)
    return refuse(MUC_REFUSE_DENIED_FORBIDDEN);
  if (w == R_MOD && c->target_role != R_MOD && c->actor_aff < ADM)
    return refuse(MUC_REFUSE_DENIED_FORBIDDEN);
  if (c->target_aff > c->actor_aff)
    return refuse(MUC_REFUSE_DENIED_NOT_ALLOWED);
  if (c->target_role == R_MOD && w != R_MOD && c->actor_aff < ADM)
    return refuse(MUC_REFUSE_DENIED_NOT_ALLOWED);
  if (c->target_aff >= ADM && (w == R_VIS || w == R_PAR))
    return refuse(MUC_REFUSE_DENIED_NOT_ALLOWED);
  return allow();
}

/* §9, §10 and the §5.2.2 chart */
static expect set_affiliation(const muc_permit_case *c)
{
  muc_affiliation w = (muc_affiliation)c->wanted;
  muc_affiliation a = c->actor_aff;
  if (a < ADM || (a == ADM && w >= ADM))
    return refuse(MUC_REFUSE_DENIED_FORBIDDEN);
  if (has(c, MUC_FACT_SELF) && w == OUT && c->target_aff != OUT)
    return refuse(MUC_REFUSE_DENIED_CONFLICT);
  if (a == OWN) {
    if (has(c, MUC_FACT_LAST_OWNER) && c->target_aff == OWN && w < OWN)
      return refuse(MUC_REFUSE_DENIED_CONFLICT);
    return allow();
  }
  if (c->target_aff >= ADM)
    return refuse(w == OUT ? MUC_REFUSE_DENIED_NOT_ALLOWED
                           : MUC_REFUSE_DENIED_FORBIDDEN);
  return allow();
}

/* §9.2, §9.5, §10.5, §10.8, Table 2 note ***, getmemberlist */
static expect aff_list(const muc_permit_case *c)
{
  muc_affiliation a = c->actor_aff, list = c->target_aff;
  int anyone = has(c, MUC_FACT_WHOIS_ANYONE);
  if (a == OWN || (a == ADM && (list < ADM || (list == ADM && anyone))))
    return allow();
  if (a >= MEM && anyone && (has(c, MUC_FACT_MEMBERS_ONLY) || list == MEM))
    return allow();
  static const struct {
    muc_role role;
    unsigned fact;
  } ml[] = {{R_VIS, MUC_FACT_ML_VISITOR},
            {R_PAR, MUC_FACT_ML_PARTICIPANT},
            {R_MOD, MUC_FACT_ML_MODERATOR}};
  for (size_t i = 0; list == MEM && i < 3; i++)
    if (c->actor_role == ml[i].role && has(c, ml[i].fact))
      return allow();
  return refuse(MUC_REFUSE_DENIED_FORBIDDEN);
}

/* §9.8 the moderator list for admins; §8.5 the others for moderators
 * (an absent admin or owner counts as the moderator it would be) */
static expect role_list(const muc_permit_case *c)
{
  int admin = c->actor_aff >= ADM;
  if (c->target_role == R_MOD)
    return admin ? allow() : refuse(MUC_REFUSE_DENIED_FORBIDDEN);
  return admin || c->actor_role == R_MOD ? allow()
                                         : refuse(MUC_REFUSE_DENIED_FORBIDDEN);
}

/* Table 2 "Modify Room Configuration", "Destroy Room": owners */
static expect owners_only(const muc_permit_case *c)
{
  return c->actor_aff == OWN ? allow() : refuse(MUC_REFUSE_OWNER_FORBIDDEN);
}

static expect expected(muc_permit_case c)
{
  /* the host may do all an owner who is a moderator may; it is nobody's
   * "self" */
  if (c.actor_aff == HOST) {
    c.actor_aff = OWN;
    c.actor_role = R_MOD;
    c.facts &= ~MUC_FACT_SELF;
  }
  switch (c.action) {
  case MUC_ACT_ENTER:
    return enter(&c);
  case MUC_ACT_CHANGE_NICK:
    return change_nick(&c);
  case MUC_ACT_SPEAK:
    return speak(&c);
  case MUC_ACT_SUBJECT:
    return subject(&c);
  case MUC_ACT_PM:
    return private_message(&c);
  case MUC_ACT_INVITE:
    return invite(&c);
  case MUC_ACT_REGISTER:
    return register_(&c);
  case MUC_ACT_SEE_JIDS:
    return see_jids(&c);
  case MUC_ACT_REQUEST_VOICE:
    return request_voice(&c);
  case MUC_ACT_SET_ROLE:
    return set_role(&c);
  case MUC_ACT_SET_AFFILIATION:
    return set_affiliation(&c);
  case MUC_ACT_GET_AFF_LIST:
    return aff_list(&c);
  case MUC_ACT_GET_ROLE_LIST:
    return role_list(&c);
  case MUC_ACT_CONFIGURE:
  case MUC_ACT_DESTROY:
    return owners_only(&c);
  default:
    fail_msg("action %d has no expectation", (int)c.action);
    return allow();
  }
}

/* ---- what each action depends on ----------------------------------------
 * A dimension is a list of alternative fact values (a yes/no option is
 * {0, bit}; allowpm is one of five). */
#define MAXALT 8
typedef struct dimension {
  unsigned alt[MAXALT];
  size_t n;
} dimension;
#define YESNO(f)                                                               \
  {                                                                            \
    {0, f}, 2                                                                  \
  }
#define PM_POLICY                                                              \
  {                                                                            \
    {MUC_FACT_PM_ANYONE, MUC_FACT_PM_PARTICIPANTS, MUC_FACT_PM_MODERATORS,     \
     MUC_FACT_PM_MEMBERS, MUC_FACT_PM_NOBODY},                                 \
        5                                                                      \
  }

static const muc_affiliation all_affs[] = {OUT, NON, MEM, ADM, OWN};
static const muc_role all_roles[] = {R_NONE, R_VIS, R_PAR, R_MOD};

typedef struct scope {
  muc_action action;
  dimension dims[5];
  size_t ndims;
  int targets_aff, targets_role; /* the target's (or list's) varies */
  int wants_role, wants_aff;     /* |wanted| varies over roles, affs */
} scope;

static const scope scopes[] = {
    {MUC_ACT_ENTER,
     {YESNO(MUC_FACT_MEMBERS_ONLY), YESNO(MUC_FACT_BAD_PASSWORD),
      YESNO(MUC_FACT_LOCKED), YESNO(MUC_FACT_FULL)},
     4,
     0,
     0,
     0,
     0},
    {MUC_ACT_CHANGE_NICK, {YESNO(MUC_FACT_FULL)}, 1, 0, 0, 0, 0},
    {MUC_ACT_SPEAK, {{{0}, 0}}, 0, 0, 0, 0, 0},
    {MUC_ACT_SUBJECT, {YESNO(MUC_FACT_CHANGESUBJECT)}, 1, 0, 0, 0, 0},
    {MUC_ACT_PM,
     {YESNO(MUC_FACT_SELF), YESNO(MUC_FACT_MODPM), PM_POLICY},
     3,
     0,
     1,
     0,
     0},
    {MUC_ACT_INVITE,
     {YESNO(MUC_FACT_MEMBERS_ONLY), YESNO(MUC_FACT_MEMBER_INVITES)},
     2,
     0,
     0,
     0,
     0},
    {MUC_ACT_REGISTER, {YESNO(MUC_FACT_REGISTER_OPEN)}, 1, 0, 0, 0, 0},
    {MUC_ACT_SEE_JIDS, {YESNO(MUC_FACT_WHOIS_ANYONE)}, 1, 0, 0, 0, 0},
    {MUC_ACT_REQUEST_VOICE, {{{0}, 0}}, 0, 0, 0, 0, 0},
    {MUC_ACT_SET_ROLE, {YESNO(MUC_FACT_NO_TARGET)}, 1, 1, 1, 1, 0},
    {MUC_ACT_SET_AFFILIATION,
     {YESNO(MUC_FACT_SELF), YESNO(MUC_FACT_LAST_OWNER)},
     2,
     1,
     0,
     0,
     1},
    {MUC_ACT_GET_AFF_LIST,
     {YESNO(MUC_FACT_MEMBERS_ONLY), YESNO(MUC_FACT_WHOIS_ANYONE),
      YESNO(MUC_FACT_ML_VISITOR), YESNO(MUC_FACT_ML_PARTICIPANT),
      YESNO(MUC_FACT_ML_MODERATOR)},
     5,
     1,
     0,
     0,
     0},
    {MUC_ACT_GET_ROLE_LIST, {{{0}, 0}}, 0, 0, 1, 0, 0},
    {MUC_ACT_CONFIGURE, {{{0}, 0}}, 0, 0, 0, 0, 0},
    {MUC_ACT_DESTROY, {{{0}, 0}}, 0, 0, 0, 0, 0},
};
#define NSCOPES (sizeof(scopes) / sizeof(scopes[0]))

/* ---- the walk ------------------------------------------------------------ */

typedef struct tally {
  size_t cases, failures;
  size_t *row_hits; /* per row of the table */
  const muc_permit_rule *rows;
} tally;

static const char *outcome_name(muc_permit_outcome o)
{
  return o == MUC_PERMIT_ALLOW      ? "allow"
         : o == MUC_PERMIT_WITHHOLD ? "withhold"
                                    : "refuse";
}

static const char *refusal_name(muc_refusal r)
{
  const muc_refusal_rule *rule = muc_refusal_rule_of(r);
  return rule ? rule->name : "-";
}

static int same_text(const char *a, const char *b)
{
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_case(tally *t, const muc_permit_case *c)
{
  expect want = expected(*c);
  const muc_permit_rule *got = muc_permit(c);
  t->row_hits[got - t->rows]++;
  t->cases++;
  int same =
      got->action == c->action && got->outcome == want.outcome &&
      (want.outcome != MUC_PERMIT_REFUSE ||
       (got->refusal == want.refusal && same_text(got->text, want.text)));
  if (same)
    return;
  if (t->failures++ < 20)
    fprintf(stderr,
            "%s by %s/%s, facts %#x, target %s/%s, wanted %d: expected %s %s, "
            "got %s %s (row %zu: %s)\n",
            muc_action_name(c->action),
            c->actor_aff == HOST ? "host" : muc_affiliation_name(c->actor_aff),
            muc_role_name(c->actor_role), c->facts,
            muc_affiliation_name(c->target_aff), muc_role_name(c->target_role),
            c->wanted, outcome_name(want.outcome),
            want.outcome == MUC_PERMIT_REFUSE ? refusal_name(want.refusal) : "",
            outcome_name(got->outcome),
            got->outcome == MUC_PERMIT_REFUSE ? refusal_name(got->refusal) : "",
            (size_t)(got - t->rows), got->why);
}

/* Every actor: each affiliation and the host, each role (those that
 * cannot go together in a room too: the table must answer them). */
static void each_actor(tally *t, muc_permit_case c)
{
  static const muc_affiliation actors[] = {OUT, NON, MEM, ADM, OWN, HOST};
  for (size_t a = 0; a < sizeof(actors) / sizeof(actors[0]); a++)
    for (size_t r = 0; r < 4; r++) {
      c.actor_aff = actors[a];
      c.actor_role = all_roles[r];
      check_case(t, &c);
    }
}

static void each_wanted(tally *t, const scope *s, muc_permit_case c)
{
  if (s->wants_role) {
    for (size_t w = 0; w < 4; w++) {
      c.wanted = (int)all_roles[w];
      each_actor(t, c);
    }
  } else if (s->wants_aff) {
    for (size_t w = 0; w < 5; w++) {
      c.wanted = (int)all_affs[w];
      each_actor(t, c);
    }
  } else {
    each_actor(t, c);
  }
}

static void each_target(tally *t, const scope *s, muc_permit_case c)
{
  size_t naffs = s->targets_aff ? 5 : 1, nroles = s->targets_role ? 4 : 1;
  for (size_t a = 0; a < naffs; a++)
    for (size_t r = 0; r < nroles; r++) {
      c.target_aff = s->targets_aff ? all_affs[a] : NON;
      c.target_role = s->targets_role ? all_roles[r] : R_NONE;
      each_wanted(t, s, c);
    }
}

/* Every combination of the scope's dimensions from |d| on. */
static void each_fact(tally *t, const scope *s, size_t d, muc_permit_case c)
{
  if (d == s->ndims) {
    each_target(t, s, c);
    return;
  }
  unsigned base = c.facts;
  for (size_t i = 0; i < s->dims[d].n; i++) {
    c.facts = base | s->dims[d].alt[i];
    each_fact(t, s, d + 1, c);
  }
}

static unsigned scope_facts(const scope *s)
{
  unsigned f = 0;
  for (size_t d = 0; d < s->ndims; d++)
    for (size_t i = 0; i < s->dims[d].n; i++)
      f |= s->dims[d].alt[i];
  return f;
}

static void test_every_case(void **state)
{
  (void)state;
  size_t nrows;
  const muc_permit_rule *rows = muc_permit_rules(&nrows);
  size_t hits[256] = {0};
  assert_true(nrows <= sizeof(hits) / sizeof(hits[0]));
  tally t = {.row_hits = hits, .rows = rows};
  int covered[MUC_ACTION_COUNT] = {0};
  /* muc_permit() finds an action's rows by binary search: grouped, in
   * the order of muc_action */
  for (size_t r = 1; r < nrows; r++)
    assert_true(rows[r - 1].action <= rows[r].action);
  for (size_t i = 0; i < NSCOPES; i++) {
    covered[scopes[i].action] = 1;
    each_fact(&t, &scopes[i], 0, (muc_permit_case){.action = scopes[i].action});
  }
  for (int a = 0; a < MUC_ACTION_COUNT; a++)
    if (!covered[a]) {
      fprintf(stderr, "action %s is not tested\n", muc_action_name(a));
      t.failures++;
    }
  /* every row decides some case, on facts the test varies */
  size_t unused = 0;
  for (size_t r = 0; r < nrows; r++) {
    unsigned varied = MUC_FACT_OUTRANKED;
    for (size_t i = 0; i < NSCOPES; i++)
      if (scopes[i].action == rows[r].action)
        varied |= scope_facts(&scopes[i]);
    if ((rows[r].need | rows[r].unless) & ~varied) {
      fprintf(stderr,
              "row %zu (%s: %s) depends on facts %#x the test does "
              "not vary\n",
              r, muc_action_name(rows[r].action), rows[r].why,
              (rows[r].need | rows[r].unless) & ~varied);
      t.failures++;
    }
    if (!hits[r]) {
      fprintf(stderr, "row %zu (%s: %s) decides no case\n", r,
              muc_action_name(rows[r].action), rows[r].why);
      unused++;
    }
  }
  printf("permission table: %zu rows, %zu cases over %zu actions, %zu "
         "mismatches, %zu rows deciding nothing\n",
         nrows, t.cases, (size_t)MUC_ACTION_COUNT, t.failures, unused);
  assert_int_equal(t.failures, 0);
  assert_int_equal(unused, 0);
}

/* ---- the two tables of §5, cell by cell ----------------------------------
 * Each privilege row of Table 1 (§5.1.1, one column per role: none,
 * visitor, participant, moderator) and Table 2 (§5.2.1, one column per
 * affiliation: outcast, none, member, admin, owner) as the XEP prints it,
 * Y or N ("Yes*" and "No**" are the defaults of the options named in the
 * case), '-' where the XEP says N/A or the case is no such action (a nick
 * change from outside the room is a join).  A case is one action with
 * the target, wanted value and facts that make it that privilege. */
typedef struct privilege {
  const char *name;
  muc_permit_case c; /* the actor's column is filled in */
  muc_role role;     /* Table 2: the actor's role in every column */
  const char *cells;
} privilege;

static const privilege table1[] = {
    {"Change Room Nickname", {.action = MUC_ACT_CHANGE_NICK}, 0, "-YYY"},
    {"Send Private Messages",
     {.action = MUC_ACT_PM, .facts = MUC_FACT_PM_ANYONE, .target_role = R_PAR},
     0,
     "NYYY"},
    {"Invite Other Users", {.action = MUC_ACT_INVITE}, 0, "NYYY"},
    {"Send Messages to All Occupants", {.action = MUC_ACT_SPEAK}, 0, "NNYY"},
    {"Modify Subject (changesubject)",
     {.action = MUC_ACT_SUBJECT, .facts = MUC_FACT_CHANGESUBJECT},
     0,
     "NNYY"},
    {"Modify Subject", {.action = MUC_ACT_SUBJECT}, 0, "NNNY"},
    {"Kick Participants and Visitors",
     {.action = MUC_ACT_SET_ROLE, .target_role = R_PAR, .wanted = R_NONE},
     0,
     "NNNY"},
    {"Grant Voice",
     {.action = MUC_ACT_SET_ROLE, .target_role = R_VIS, .wanted = R_PAR},
     0,
     "NNNY"},
    {"Revoke Voice",
     {.action = MUC_ACT_SET_ROLE, .target_role = R_PAR, .wanted = R_VIS},
     0,
     "NNNY"},
};

static const privilege table2[] = {
    {"Enter Open Room", {.action = MUC_ACT_ENTER}, R_NONE, "NYYYY"},
    {"Register with Open Room",
     {.action = MUC_ACT_REGISTER, .facts = MUC_FACT_REGISTER_OPEN},
     R_NONE,
     "NY---"},
    {"Retrieve Member List (non-anonymous)",
     {.action = MUC_ACT_GET_AFF_LIST,
      .facts = MUC_FACT_WHOIS_ANYONE,
      .target_aff = MEM},
     R_NONE,
     "NNYYY"},
    {"Enter Members-Only Room",
     {.action = MUC_ACT_ENTER, .facts = MUC_FACT_MEMBERS_ONLY},
     R_NONE,
     "NNYYY"},
    {"Ban Members (and Unaffiliated Users)",
     {.action = MUC_ACT_SET_AFFILIATION, .target_aff = MEM, .wanted = OUT},
     R_NONE,
     "NNNYY"},
    {"Ban (Members and) Unaffiliated Users",
     {.action = MUC_ACT_SET_AFFILIATION, .target_aff = NON, .wanted = OUT},
     R_NONE,
     "NNNYY"},
    {"Edit Member List",
     {.action = MUC_ACT_SET_AFFILIATION, .target_aff = NON, .wanted = MEM},
     R_NONE,
     "NNNYY"},
    {"Assign and Remove Moderator Role",
     {.action = MUC_ACT_SET_ROLE, .target_role = R_PAR, .wanted = R_MOD},
     R_MOD,
     "NNNYY"},
    {"Edit Admin List",
     {.action = MUC_ACT_SET_AFFILIATION, .target_aff = NON, .wanted = ADM},
     R_NONE,
     "NNNNY"},
    {"Edit Owner List",
     {.action = MUC_ACT_SET_AFFILIATION, .target_aff = NON, .wanted = OWN},
     R_NONE,
     "NNNNY"},
    {"Change Room Configuration",
     {.action = MUC_ACT_CONFIGURE},
     R_NONE,
     "NNNNY"},
    {"Destroy Room", {.action = MUC_ACT_DESTROY}, R_NONE, "NNNNY"},
};

/* One cell: the table's answer against the XEP's Y or N. */
static size_t check_cell(const privilege *p, size_t col, muc_permit_case c)
{
  char want = p->cells[col];
  if (want == '-')
    return 0;
  char got = muc_permit(&c)->outcome == MUC_PERMIT_ALLOW ? 'Y' : 'N';
  if (got == want)
    return 0;
  fprintf(stderr, "%s, column %zu: the XEP says %c, the table %c\n", p->name,
          col, want, got);
  return 1;
}

static void test_xep_tables(void **state)
{
  (void)state;
  size_t failures = 0;
  for (size_t i = 0; i < sizeof(table1) / sizeof(table1[0]); i++) {
    assert_int_equal(strlen(table1[i].cells), 4);
    for (size_t r = 0; r < 4; r++) {
      muc_permit_case c = table1[i].c;
      c.actor_aff = NON; /* Table 1 is about roles alone */
      c.actor_role = all_roles[r];
      failures += check_cell(&table1[i], r, c);
    }
  }
  for (size_t i = 0; i < sizeof(table2) / sizeof(table2[0]); i++) {
    assert_int_equal(strlen(table2[i].cells), 5);
    for (size_t a = 0; a < 5; a++) {
      muc_permit_case c = table2[i].c;
      c.actor_aff = all_affs[a];
      c.actor_role = table2[i].role;
      failures += check_cell(&table2[i], a, c);
      /* the host has every privilege of an owner */
      c.actor_aff = HOST;
      failures += check_cell(&table2[i], 4, c);
    }
  }
  assert_int_equal(failures, 0);
}

/* The room's options become the facts the table reads. */
static void test_room_facts(void **state)
{
  (void)state;
  muc_room_config cfg = {0};
  assert_int_equal(muc_permit_room_facts(&cfg, 0), MUC_FACT_PM_ANYONE);
  cfg.members_only = 1;
  cfg.change_subject = 1;
  cfg.allow_member_invites = 1;
  cfg.whois = MUC_WHOIS_ANYONE;
  cfg.allow_modpm = 1;
  cfg.allow_pm = MUC_PM_MEMBERS;
  cfg.get_member_list =
      MUC_ROLE_BIT(MUC_ROLE_VISITOR) | MUC_ROLE_BIT(MUC_ROLE_MODERATOR);
  assert_int_equal(
      muc_permit_room_facts(&cfg, 1),
      MUC_FACT_MEMBERS_ONLY | MUC_FACT_CHANGESUBJECT | MUC_FACT_MEMBER_INVITES |
          MUC_FACT_WHOIS_ANYONE | MUC_FACT_MODPM | MUC_FACT_PM_MEMBERS |
          MUC_FACT_ML_VISITOR | MUC_FACT_ML_MODERATOR | MUC_FACT_REGISTER_OPEN);
  cfg.allow_pm = 99; /* no such policy: nobody */
  assert_true(muc_permit_room_facts(&cfg, 0) & MUC_FACT_PM_NOBODY);
  /* the names the doc prints */
  assert_string_equal(muc_action_name(MUC_ACT_SET_ROLE), "set-role");
  assert_string_equal(muc_fact_name(0), "members-only");
  assert_string_equal(muc_fact_name(MUC_FACT_COUNT), "?");
  for (unsigned b = 0; b < MUC_FACT_COUNT; b++)
    assert_string_not_equal(muc_fact_name(b), "?");
  assert_string_equal(muc_fact_about(MUC_FACT_COUNT), "?");
  for (unsigned b = 0; b < MUC_FACT_COUNT; b++)
    assert_string_not_equal(muc_fact_about(b), "?");
  for (int a = 0; a < MUC_ACTION_COUNT; a++)
    assert_non_null(muc_action_name(a));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_case),
      cmocka_unit_test(test_xep_tables),
      cmocka_unit_test(test_room_facts),
  };
  return cmocka_run_group_tests_name("permission", tests, NULL, NULL);
}
