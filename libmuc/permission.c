/* The permission table (permission.h).  "§" is a section of XEP-0045
 * (version 1.35).  Within an action the rows are tried in order and the
 * first that matches decides, so a row may count on the ones above it
 * (an occupant check before a role check); every action ends with a row
 * for everyone else. */
#include "permission.h"

/* sets of actors and targets */
#define OUTCAST MUC_AFF_BIT(MUC_AFFIL_OUTCAST)
#define UNAFF MUC_AFF_BIT(MUC_AFFIL_NONE)
#define MEMBER MUC_AFF_BIT(MUC_AFFIL_MEMBER)
#define ADMIN MUC_AFF_BIT(MUC_AFFIL_ADMIN)
#define OWNER MUC_AFF_BIT(MUC_AFFIL_OWNER)
#define HOST MUC_AFF_BIT(MUC_AFFIL_HOST)
#define OWNERS (OWNER | HOST)
#define ADMINS (ADMIN | OWNERS)
#define BELOW_ADMIN (OUTCAST | UNAFF | MEMBER)
#define AFFILIATED (MUC_ANY_AFF & ~UNAFF)
#define ANY_AFF MUC_ANY_AFF
#define ABSENT MUC_ROLE_BIT(MUC_ROLE_NONE)
#define VISITOR MUC_ROLE_BIT(MUC_ROLE_VISITOR)
#define PARTICIPANT MUC_ROLE_BIT(MUC_ROLE_PARTICIPANT)
#define MODERATOR MUC_ROLE_BIT(MUC_ROLE_MODERATOR)
#define VOICED (PARTICIPANT | MODERATOR)
#define UNMODERATED (ABSENT | VISITOR | PARTICIPANT)
#define PRESENT (VISITOR | PARTICIPANT | MODERATOR)
#define ANY_ROLE MUC_ANY_ROLE
#define ANY_WANTED MUC_ANY_WANTED
/* the roles and affiliations a row's |wanted| may hold */
#define TO_ROLE_BELOW_MOD (ABSENT | VISITOR | PARTICIPANT)
#define TO_VOICE_LOSS (VISITOR | PARTICIPANT)
#define TO_OUTCAST OUTCAST
#define TO_ADMIN_OR_OWNER (ADMIN | OWNER)
#define TO_BELOW_OWNER (OUTCAST | UNAFF | MEMBER | ADMIN)

#define ALLOWED MUC_PERMIT_ALLOW, MUC_REFUSAL_COUNT, NULL
#define WITHHELD MUC_PERMIT_WITHHOLD, MUC_REFUSAL_COUNT, NULL
#define REFUSED(r) MUC_PERMIT_REFUSE, MUC_REFUSE_##r, NULL
#define REFUSED_SAYING(r, t) MUC_PERMIT_REFUSE, MUC_REFUSE_##r, t
#define PM_TEXT "Private messages are restricted "

/* F(X) is the fact MUC_FACT_X */
#define F(x) MUC_FACT_##x

/* action, need, unless, actor affs, actor roles, target affs, target
 * roles, wanted, outcome, why */
#define RULE(act, need, unless, aa, ar, ta, tr, w, res, why)                   \
  {                                                                            \
    MUC_ACT_##act, need, unless, aa, ar, ta, tr, w, res, why                   \
  }

static const muc_permit_rule rules[] = {
    /* ---- entering (§7.2.5-§7.2.10) ---- */
    RULE(ENTER, F(MEMBERS_ONLY), 0, UNAFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(MEMBERS_ONLY),
         "§7.2.6: a members-only room admits only members"),
    RULE(ENTER, 0, 0, OUTCAST, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(BANNED), "§7.2.7: outcasts never enter"),
    RULE(ENTER, F(BAD_PASSWORD), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(PASSWORD),
         "§7.2.5: a password-protected room needs its password"),
    RULE(ENTER, F(LOCKED), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(LOCKED),
         "§7.2.10, §10.1.1: a locked room awaits its configuration"),
    RULE(ENTER, F(FULL), 0, BELOW_ADMIN, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(LIMIT_OCCUPANTS),
         "§7.2.9: a full room still admits its admins and owners"),
    RULE(ENTER, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED, ALLOWED,
         "§7.2: anyone else enters"),
    /* ---- changing nickname (§7.6) ---- */
    RULE(CHANGE_NICK, F(FULL), 0, BELOW_ADMIN, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(LIMIT_OCCUPANTS),
         "§7.2.9: a session leaving others behind is a new occupant"),
    RULE(CHANGE_NICK, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§5.1.1: every occupant changes nickname"),
    /* ---- speaking (§7.4; a moderated room makes unaffiliated users
     * visitors, §5.1.1) ---- */
    RULE(SPEAK, 0, 0, ANY_AFF, ABSENT, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(GROUPCHAT_NOT_OCCUPANT), "§7.4: only occupants speak"),
    RULE(SPEAK, 0, 0, ANY_AFF, VISITOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(GROUPCHAT_VISITOR), "§5.1.1, §7.4: visitors have no voice"),
    RULE(SPEAK, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED, ALLOWED,
         "§5.1.1: participants and moderators speak"),
    /* ---- the subject (§8.1) ---- */
    RULE(SUBJECT, 0, 0, ANY_AFF, ABSENT, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(GROUPCHAT_NOT_OCCUPANT), "§7.4: only occupants speak"),
    RULE(SUBJECT, 0, 0, ANY_AFF, VISITOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(GROUPCHAT_VISITOR), "§5.1.1: visitors have no voice"),
    RULE(SUBJECT, 0, 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§5.1.1, §8.1: moderators change the subject"),
    RULE(SUBJECT, F(CHANGESUBJECT), 0, ANY_AFF, PARTICIPANT, ANY_AFF, ANY_ROLE,
         ANY_WANTED, ALLOWED,
         "§8.1, muc#roomconfig_changesubject: participants too"),
    RULE(SUBJECT, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(SUBJECT_FORBIDDEN), "§8.1: participants may not"),
    /* ---- private messages (§7.5, muc#roomconfig_allowpm) ---- */
    RULE(PM, 0, 0, ANY_AFF, ABSENT, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(PM_NOT_OCCUPANT), "§7.5: only occupants send them"),
    RULE(PM, F(SELF), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "one's own other sessions are no one else"),
    RULE(PM, F(MODPM), 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "moderators' private messages always go"),
    RULE(PM, F(MODPM), 0, ANY_AFF, ANY_ROLE, ANY_AFF, MODERATOR, ANY_WANTED,
         ALLOWED, "private messages to moderators always go"),
    RULE(PM, F(PM_ANYONE), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "allowpm anyone: every occupant (§5.1.1)"),
    RULE(PM, F(PM_PARTICIPANTS), 0, ANY_AFF, VOICED, ANY_AFF, ANY_ROLE,
         ANY_WANTED, ALLOWED, "allowpm participants"),
    RULE(PM, F(PM_PARTICIPANTS), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED_SAYING(PM_POLICY, PM_TEXT "from guests"),
         "allowpm participants: not visitors"),
    RULE(PM, F(PM_MODERATORS), 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE,
         ANY_WANTED, ALLOWED, "allowpm moderators"),
    RULE(PM, F(PM_MODERATORS), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED_SAYING(PM_POLICY, PM_TEXT "from non-moderators"),
         "allowpm moderators: not the others"),
    RULE(PM, F(PM_MEMBERS), 0, AFFILIATED, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, ALLOWED, "allowpm members: the affiliated"),
    RULE(PM, F(PM_MEMBERS), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED_SAYING(PM_POLICY, PM_TEXT "from non-members"),
         "allowpm members: not unaffiliated users"),
    RULE(PM, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED_SAYING(PM_POLICY, PM_TEXT "in this group"),
         "allowpm none: nobody"),
    /* ---- invitations (§7.8.2) ---- */
    RULE(INVITE, 0, 0, ANY_AFF, ABSENT, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(INVITE_NOT_OCCUPANT), "§17.2: nobody outside the room"),
    RULE(INVITE, F(MEMBERS_ONLY) | F(MEMBER_INVITES), 0, OUTCAST | UNAFF,
         ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED, REFUSED(INVITE_FORBIDDEN),
         "§7.8.2, allowinvites: members invite to a members-only room"),
    RULE(INVITE, F(MEMBERS_ONLY), F(MEMBER_INVITES), BELOW_ADMIN, ANY_ROLE,
         ANY_AFF, ANY_ROLE, ANY_WANTED, REFUSED(INVITE_FORBIDDEN),
         "§7.8.2: else only admins and owners do"),
    RULE(INVITE, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§5.1.1: every occupant, visitors too (a default)"),
    /* ---- registration (§7.10) ---- */
    RULE(REGISTER, 0, 0, OUTCAST, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(REGISTER_BANNED), "§7.10: outcasts never register"),
    RULE(REGISTER, 0, F(REGISTER_OPEN), UNAFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(REGISTER_NOT_ALLOWED),
         "§7.10: unaffiliated users when the service lets them"),
    RULE(REGISTER, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§7.10: the affiliated"),
    /* ---- real JIDs (§7.2.3, §7.2.4, muc#roomconfig_whois) ---- */
    RULE(SEE_JIDS, F(WHOIS_ANYONE), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, ALLOWED, "non-anonymous room: everyone"),
    RULE(SEE_JIDS, 0, 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "semi-anonymous room: moderators"),
    RULE(SEE_JIDS, 0, 0, ADMINS, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§5.1.2: admins and owners are moderators when present"),
    RULE(SEE_JIDS, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         WITHHELD, "semi-anonymous room: the others see occupant JIDs"),
    /* ---- voice requests (§7.13, §8.6) ---- */
    RULE(REQUEST_VOICE, 0, 0, ANY_AFF, ABSENT, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(VOICE_NOT_OCCUPANT), "§7.13: occupants ask"),
    RULE(REQUEST_VOICE, 0, 0, ANY_AFF, VISITOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§7.13: a visitor asks the moderators"),
    RULE(REQUEST_VOICE, 0, 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§8.6: a moderator's form is its answer"),
    RULE(REQUEST_VOICE, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         WITHHELD, "a participant has voice: nothing to ask"),
    /* ---- roles (§8, §9.6, §9.7; §5.1.3 chart) ---- */
    RULE(SET_ROLE, F(NO_TARGET), 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(ADMIN_NOT_FOUND),
         "§8: a moderator learns that nobody has the nick"),
    RULE(SET_ROLE, F(NO_TARGET), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(DENIED_FORBIDDEN),
         "§8: the others learn nothing of it"),
    RULE(SET_ROLE, 0, 0, ANY_AFF, UNMODERATED, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(DENIED_FORBIDDEN), "§8: moderators only"),
    RULE(SET_ROLE, 0, 0, BELOW_ADMIN, ANY_ROLE, ANY_AFF, UNMODERATED, MODERATOR,
         REFUSED(DENIED_FORBIDDEN),
         "§9.6: granting moderator is an admin use case"),
    RULE(SET_ROLE, F(OUTRANKED), 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(DENIED_NOT_ALLOWED),
         "§8.2, §8.4: nothing against a higher affiliation"),
    RULE(SET_ROLE, 0, 0, BELOW_ADMIN, ANY_ROLE, ANY_AFF, MODERATOR,
         TO_ROLE_BELOW_MOD, REFUSED(DENIED_NOT_ALLOWED),
         "§5.1.3: moderators are kicked or demoted by admins and owners"),
    RULE(SET_ROLE, 0, 0, ANY_AFF, ANY_ROLE, ADMIN | OWNER, ANY_ROLE,
         TO_VOICE_LOSS, REFUSED(DENIED_NOT_ALLOWED),
         "§8.4, §9.7: admins and owners keep voice and moderator status"),
    RULE(SET_ROLE, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§8.2-§8.5, §9.6, §9.7"),
    /* ---- affiliations (§9, §10; §5.2.2 chart) ---- */
    RULE(SET_AFFILIATION, 0, 0, BELOW_ADMIN, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, REFUSED(DENIED_FORBIDDEN), "§9: admins and owners only"),
    RULE(SET_AFFILIATION, 0, 0, ADMIN, ANY_ROLE, ANY_AFF, ANY_ROLE,
         TO_ADMIN_OR_OWNER, REFUSED(DENIED_FORBIDDEN),
         "§10.3, §10.6: the admin and owner lists are the owners'"),
    RULE(SET_AFFILIATION, F(SELF), 0, ANY_AFF, ANY_ROLE, ANY_AFF & ~OUTCAST,
         ANY_ROLE, TO_OUTCAST, REFUSED(DENIED_CONFLICT),
         "§9.1: nobody bans himself"),
    RULE(SET_AFFILIATION, F(LAST_OWNER), 0, OWNERS, ANY_ROLE, OWNER, ANY_ROLE,
         TO_BELOW_OWNER, REFUSED(DENIED_CONFLICT),
         "§10.4, §10.5: a room keeps an owner"),
    RULE(SET_AFFILIATION, 0, 0, OWNERS, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§10: owners change every affiliation"),
    RULE(SET_AFFILIATION, 0, 0, ANY_AFF, ANY_ROLE, ADMIN | OWNER, ANY_ROLE,
         TO_OUTCAST, REFUSED(DENIED_NOT_ALLOWED),
         "§9.1: an admin bans no admin or owner"),
    RULE(SET_AFFILIATION, 0, 0, ANY_AFF, ANY_ROLE, ADMIN | OWNER, ANY_ROLE,
         ANY_WANTED, REFUSED(DENIED_FORBIDDEN),
         "§10.4, §10.7: nor edits the admin and owner lists"),
    RULE(SET_AFFILIATION, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE,
         ANY_WANTED, ALLOWED,
         "§5.2.2: admins ban, admit and remove members and others"),
    /* ---- the affiliation lists (§9.2, §9.5, §10.5, §10.8) ---- */
    RULE(GET_AFF_LIST, 0, 0, OWNERS, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§10.5, §10.8: owners read every list"),
    RULE(GET_AFF_LIST, 0, 0, ADMIN, ANY_ROLE, BELOW_ADMIN, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§9.2, §9.5: admins read outcasts, members"),
    RULE(GET_AFF_LIST, F(WHOIS_ANYONE), 0, ADMIN, ANY_ROLE, ADMIN, ANY_ROLE,
         ANY_WANTED, ALLOWED,
         "§10.8: and the admin list in a non-anonymous room"),
    RULE(GET_AFF_LIST, F(MEMBERS_ONLY) | F(WHOIS_ANYONE), 0, MEMBER | ADMIN,
         ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED, ALLOWED,
         "§9.5 note: members read every list of a non-anonymous "
         "members-only room (as Prosody)"),
    RULE(GET_AFF_LIST, F(WHOIS_ANYONE), 0, MEMBER | ADMIN, ANY_ROLE, MEMBER,
         ANY_ROLE, ANY_WANTED, ALLOWED,
         "§5.2.1 note ***: members read the member list in a "
         "non-anonymous room"),
    RULE(GET_AFF_LIST, F(ML_VISITOR), 0, ANY_AFF, VISITOR, MEMBER, ANY_ROLE,
         ANY_WANTED, ALLOWED, "muc#roomconfig_getmemberlist: visitors"),
    RULE(GET_AFF_LIST, F(ML_PARTICIPANT), 0, ANY_AFF, PARTICIPANT, MEMBER,
         ANY_ROLE, ANY_WANTED, ALLOWED,
         "muc#roomconfig_getmemberlist: participants"),
    RULE(GET_AFF_LIST, F(ML_MODERATOR), 0, ANY_AFF, MODERATOR, MEMBER, ANY_ROLE,
         ANY_WANTED, ALLOWED, "muc#roomconfig_getmemberlist: moderators"),
    RULE(GET_AFF_LIST, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(DENIED_FORBIDDEN), "§9, §10: nobody else"),
    /* ---- the role lists (§8.5, §9.8) ---- */
    RULE(GET_ROLE_LIST, 0, 0, ADMINS, ANY_ROLE, ANY_AFF, MODERATOR, ANY_WANTED,
         ALLOWED, "§9.8: admins read the moderator list"),
    RULE(GET_ROLE_LIST, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, MODERATOR, ANY_WANTED,
         REFUSED(DENIED_FORBIDDEN), "§9.8: nobody else"),
    RULE(GET_ROLE_LIST, 0, 0, ANY_AFF, MODERATOR, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§8.5: moderators read the other lists"),
    RULE(GET_ROLE_LIST, 0, 0, ADMINS, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§5.1.2: absent admins and owners count as moderators"),
    RULE(GET_ROLE_LIST, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(DENIED_FORBIDDEN), "§8.5: nobody else"),
    /* ---- the owner's use cases (§10) ---- */
    RULE(CONFIGURE, 0, 0, OWNERS, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§10.2: owners configure the room"),
    RULE(CONFIGURE, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(OWNER_FORBIDDEN), "§10: nobody else"),
    RULE(DESTROY, 0, 0, OWNERS, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         ALLOWED, "§10.9: owners destroy the room"),
    RULE(DESTROY, 0, 0, ANY_AFF, ANY_ROLE, ANY_AFF, ANY_ROLE, ANY_WANTED,
         REFUSED(OWNER_FORBIDDEN), "§10.9: nobody else"),
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

static const char *const action_names[MUC_ACTION_COUNT] = {
    [MUC_ACT_ENTER] = "enter",
    [MUC_ACT_CHANGE_NICK] = "change-nick",
    [MUC_ACT_SPEAK] = "speak",
    [MUC_ACT_SUBJECT] = "subject",
    [MUC_ACT_PM] = "private-message",
    [MUC_ACT_INVITE] = "invite",
    [MUC_ACT_REGISTER] = "register",
    [MUC_ACT_SEE_JIDS] = "see-real-jids",
    [MUC_ACT_REQUEST_VOICE] = "request-voice",
    [MUC_ACT_SET_ROLE] = "set-role",
    [MUC_ACT_SET_AFFILIATION] = "set-affiliation",
    [MUC_ACT_GET_AFF_LIST] = "get-affiliation-list",
    [MUC_ACT_GET_ROLE_LIST] = "get-role-list",
    [MUC_ACT_CONFIGURE] = "configure",
    [MUC_ACT_DESTROY] = "destroy",
};

/* Each fact's name and what it means (docs/permissions.md). */
static const struct {
  const char *name, *about;
} fact_names[MUC_FACT_COUNT] = {
    {"members-only", "muc#roomconfig_membersonly is set"},
    {"changesubject", "muc#roomconfig_changesubject is set"},
    {"allowinvites", "muc#roomconfig_allowinvites is set (members invite "
                     "to a members-only room)"},
    {"whois-anyone", "muc#roomconfig_whois is anyone (a non-anonymous "
                     "room)"},
    {"moderator-pm",
     "private messages to and from moderators always go "
     "(a room option kept in the record, set by no form field)"},
    {"allowpm-anyone", "muc#roomconfig_allowpm is anyone"},
    {"allowpm-participants", "muc#roomconfig_allowpm is participants"},
    {"allowpm-moderators", "muc#roomconfig_allowpm is moderators"},
    {"allowpm-members", "muc#roomconfig_allowpm is members"},
    {"allowpm-none", "muc#roomconfig_allowpm is none"},
    {"memberlist-visitor", "muc#roomconfig_getmemberlist has visitor"},
    {"memberlist-participant", "muc#roomconfig_getmemberlist has "
                               "participant"},
    {"memberlist-moderator", "muc#roomconfig_getmemberlist has moderator"},
    {"register-open", "the service's room_allow_unaffiliated_register is "
                      "set"},
    {"locked", "the room awaits its initial configuration (§10.1.1)"},
    {"full", "the arrival makes a new occupant and max_users is reached"},
    {"bad-password", "the room has a password and the presence gives "
                     "another"},
    {"self", "the actor is the target's user (same bare JID)"},
    {"last-owner", "the change would leave the room without an owner"},
    {"no-target", "nobody has the nick a role change names"},
    {"outranked", "the target's affiliation is above the actor's (the "
                  "host ranks as an owner; muc_permit() works it out)"},
};

const char *muc_action_name(muc_action a)
{
  return (unsigned)a < MUC_ACTION_COUNT ? action_names[a] : "?";
}

const char *muc_fact_name(unsigned bit)
{
  return bit < MUC_FACT_COUNT ? fact_names[bit].name : "?";
}

const char *muc_fact_about(unsigned bit)
{
  return bit < MUC_FACT_COUNT ? fact_names[bit].about : "?";
}

const muc_permit_rule *muc_permit_rules(size_t *n)
{
  *n = NRULES;
  return rules;
}

/* An affiliation's rank for MUC_FACT_OUTRANKED: the host ranks as an
 * owner. */
static int rank(muc_affiliation a)
{
  return a == MUC_AFFIL_HOST ? MUC_AFFIL_OWNER : (int)a;
}

static unsigned wanted_bit(const muc_permit_case *c)
{
  if (c->action == MUC_ACT_SET_AFFILIATION)
    return MUC_AFF_BIT(c->wanted);
  return MUC_ROLE_BIT(c->wanted);
}

static int matches(const muc_permit_rule *r, const muc_permit_case *c,
                   unsigned facts, muc_role actor_role)
{
  return (facts & r->need) == r->need && !(facts & r->unless) &&
         (r->actor_affs & MUC_AFF_BIT(c->actor_aff)) &&
         (r->actor_roles & MUC_ROLE_BIT(actor_role)) &&
         (r->target_affs & MUC_AFF_BIT(c->target_aff)) &&
         (r->target_roles & MUC_ROLE_BIT(c->target_role)) &&
         (r->wanted & wanted_bit(c));
}

/* The first row of |action|: the rows are grouped by action in the order
 * of muc_action (test_permission checks it), so a binary search finds it
 * and a groupchat message does not walk the rules of every other action. */
static size_t first_row(muc_action action)
{
  size_t lo = 0, hi = NRULES;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (rules[mid].action < action)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

const muc_permit_rule *muc_permit(const muc_permit_case *c)
{
  int host = c->actor_aff == MUC_AFFIL_HOST;
  muc_role actor_role = host ? MUC_ROLE_MODERATOR : c->actor_role;
  unsigned facts = c->facts & ~MUC_FACT_OUTRANKED;
  if (host)
    facts &= ~MUC_FACT_SELF;
  if ((int)c->target_aff > rank(c->actor_aff))
    facts |= MUC_FACT_OUTRANKED;
  size_t i = first_row(c->action);
  for (; i < NRULES && rules[i].action == c->action; i++)
    if (matches(&rules[i], c, facts, actor_role))
      return &rules[i];
  /* unreachable: each action ends with a row for everyone */
  return &rules[i ? i - 1 : 0];
}

unsigned muc_permit_room_facts(const muc_room_config *cfg, int register_open)
{
  static const unsigned pm[] = {
      [MUC_PM_ANYONE] = MUC_FACT_PM_ANYONE,
      [MUC_PM_PARTICIPANTS] = MUC_FACT_PM_PARTICIPANTS,
      [MUC_PM_MODERATORS] = MUC_FACT_PM_MODERATORS,
      [MUC_PM_MEMBERS] = MUC_FACT_PM_MEMBERS,
      [MUC_PM_NOBODY] = MUC_FACT_PM_NOBODY,
  };
  unsigned f = 0;
  if (cfg->members_only)
    f |= MUC_FACT_MEMBERS_ONLY;
  if (cfg->change_subject)
    f |= MUC_FACT_CHANGESUBJECT;
  if (cfg->allow_member_invites)
    f |= MUC_FACT_MEMBER_INVITES;
  if (cfg->whois == MUC_WHOIS_ANYONE)
    f |= MUC_FACT_WHOIS_ANYONE;
  if (cfg->allow_modpm)
    f |= MUC_FACT_MODPM;
  if ((unsigned)cfg->allow_pm < sizeof(pm) / sizeof(pm[0]))
    f |= pm[cfg->allow_pm];
  else
    f |= MUC_FACT_PM_NOBODY;
  if (cfg->get_member_list & MUC_ROLE_BIT(MUC_ROLE_VISITOR))
    f |= MUC_FACT_ML_VISITOR;
  if (cfg->get_member_list & MUC_ROLE_BIT(MUC_ROLE_PARTICIPANT))
    f |= MUC_FACT_ML_PARTICIPANT;
  if (cfg->get_member_list & MUC_ROLE_BIT(MUC_ROLE_MODERATOR))
    f |= MUC_FACT_ML_MODERATOR;
  if (register_open)
    f |= MUC_FACT_REGISTER_OPEN;
  return f;
}

muc_verdict muc_permit_verdict(const muc_permit_rule *rule)
{
  if (rule->outcome != MUC_PERMIT_REFUSE)
    return MUC_ALLOW;
  switch (rule->refusal) {
  case MUC_REFUSE_DENIED_FORBIDDEN:
    return MUC_DENY_FORBIDDEN;
  case MUC_REFUSE_DENIED_CONFLICT:
    return MUC_DENY_CONFLICT;
  case MUC_REFUSE_ADMIN_NOT_FOUND:
    return MUC_DENY_ITEM_NOT_FOUND;
  case MUC_REFUSE_DENIED_NOT_ALLOWED:
  default:
    return MUC_DENY_NOT_ALLOWED;
  }
}
