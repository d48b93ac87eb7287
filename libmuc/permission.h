/* Who may do what in a room: every permission rule of XEP-0045 — the
 * privileges of roles and affiliations (§5.1, §5.2) and what the room's
 * options change (moderation, changesubject, allowpm, allowinvites,
 * members-only, password, whois, getmemberlist, ...) — as rows of one
 * table (permission.c), asked through one function, muc_permit().
 *
 * The table knows nothing of rooms or stanzas: the caller describes the
 * case (the action, the room's options and state as MUC_FACT_* bits, the
 * actor and the target) and gets back allowed, withheld (nothing happens
 * and nothing is answered), or refused with a row of the refusal table
 * (refusal.h).  docs/permissions.md is generated from the table
 * (test/permissions_doc.c); test/unit/test_permission.c checks every
 * case of every action against the XEP written again in the test, and
 * that every row decides at least one case. */
#ifndef MUC_PERMISSION_H
#define MUC_PERMISSION_H

#include <stddef.h>

#include "refusal.h"

typedef enum muc_action {
  MUC_ACT_ENTER,           /* join the room (§7.2) */
  MUC_ACT_CHANGE_NICK,     /* take another nickname (§7.6) */
  MUC_ACT_SPEAK,           /* a groupchat message (§7.4) */
  MUC_ACT_SUBJECT,         /* change the subject (§8.1) */
  MUC_ACT_PM,              /* a private message to the target (§7.5) */
  MUC_ACT_INVITE,          /* a mediated invitation (§7.8.2) */
  MUC_ACT_REGISTER,        /* register with the room (§7.10) */
  MUC_ACT_SEE_JIDS,        /* learn occupants' real JIDs (§7.2.3, §7.2.4) */
  MUC_ACT_REQUEST_VOICE,   /* send a voice request (§7.13) */
  MUC_ACT_SET_ROLE,        /* give the target the role |wanted| (§8, §9) */
  MUC_ACT_SET_AFFILIATION, /* give the target the affiliation |wanted|
                              (§9, §10) */
  MUC_ACT_GET_AFF_LIST,    /* read the list of affiliation |target_aff| */
  MUC_ACT_GET_ROLE_LIST,   /* read the list of role |target_role| */
  MUC_ACT_CONFIGURE,       /* read or submit the configuration (§10.2) */
  MUC_ACT_DESTROY,         /* destroy the room (§10.9) */
  MUC_ACTION_COUNT
} muc_action;

/* The host itself as the actor (the admin API): it may do everything an
 * owner may, is never "self" and is never outranked.  Its role is taken
 * as moderator. */
#define MUC_AFFIL_HOST ((muc_affiliation)4)

/* Facts about the room and the case, as bits.  Room options
 * (muc#roomconfig_*): membersonly, changesubject, allowinvites, whois =
 * anyone, PMs to and from moderators always allowed, allowpm (exactly one
 * of the five), getmemberlist (a role set); and the service's
 * room_allow_unaffiliated_register. */
#define MUC_FACT_MEMBERS_ONLY (1u << 0)
#define MUC_FACT_CHANGESUBJECT (1u << 1)
#define MUC_FACT_MEMBER_INVITES (1u << 2)
#define MUC_FACT_WHOIS_ANYONE (1u << 3)
#define MUC_FACT_MODPM (1u << 4)
#define MUC_FACT_PM_ANYONE (1u << 5)
#define MUC_FACT_PM_PARTICIPANTS (1u << 6)
#define MUC_FACT_PM_MODERATORS (1u << 7)
#define MUC_FACT_PM_MEMBERS (1u << 8)
#define MUC_FACT_PM_NOBODY (1u << 9)
#define MUC_FACT_ML_VISITOR (1u << 10)
#define MUC_FACT_ML_PARTICIPANT (1u << 11)
#define MUC_FACT_ML_MODERATOR (1u << 12)
#define MUC_FACT_REGISTER_OPEN (1u << 13)
/* The room's state: locked awaiting its configuration (§10.1), full
 * (max_users reached, for a new occupant), a password set and the
 * presence giving another. */
#define MUC_FACT_LOCKED (1u << 14)
#define MUC_FACT_FULL (1u << 15)
#define MUC_FACT_BAD_PASSWORD (1u << 16)
/* The case: the actor is the target's user; the change would leave the
 * room without an owner; nobody has the nick a role change names. */
#define MUC_FACT_SELF (1u << 17)
#define MUC_FACT_LAST_OWNER (1u << 18)
#define MUC_FACT_NO_TARGET (1u << 19)
/* Computed by muc_permit() itself, never given: the target's affiliation
 * is above the actor's. */
#define MUC_FACT_OUTRANKED (1u << 20)
#define MUC_FACT_COUNT 21

/* Sets of affiliations (the host included) and of roles, for the rows. */
#define MUC_AFF_BIT(a) (1u << ((unsigned)((int)(a) + 1)))
#define MUC_ANY_AFF 0x3fu
#define MUC_ANY_ROLE 0xfu
/* |wanted| of a row: a role set (MUC_ROLE_BIT) for MUC_ACT_SET_ROLE, an
 * affiliation set (MUC_AFF_BIT) for MUC_ACT_SET_AFFILIATION. */
#define MUC_ANY_WANTED 0x3fu

typedef enum muc_permit_outcome {
  MUC_PERMIT_ALLOW,    /* go on */
  MUC_PERMIT_WITHHOLD, /* do nothing, answer nothing */
  MUC_PERMIT_REFUSE    /* answer the refusal of the row */
} muc_permit_outcome;

/* One row: it decides a case of |action| when the facts include every
 * bit of |need| and none of |unless|, and the actor, target and wanted
 * value are in its sets.  The first row that matches decides. */
typedef struct muc_permit_rule {
  muc_action action;
  unsigned need, unless; /* MUC_FACT_* */
  unsigned actor_affs;   /* MUC_AFF_BIT set */
  unsigned actor_roles;  /* MUC_ROLE_BIT set */
  unsigned target_affs;  /* MUC_AFF_BIT set */
  unsigned target_roles; /* MUC_ROLE_BIT set */
  unsigned wanted;       /* see MUC_ANY_WANTED */
  muc_permit_outcome outcome;
  muc_refusal refusal; /* for MUC_PERMIT_REFUSE */
  const char *text;    /* the refusal's text instead of its row's, or
                          NULL */
  const char *why;     /* where the rule comes from */
} muc_permit_rule;

/* A case to decide.  Fields an action does not use are ignored (0). */
typedef struct muc_permit_case {
  muc_action action;
  unsigned facts;             /* MUC_FACT_* */
  muc_affiliation actor_aff;  /* or MUC_AFFIL_HOST */
  muc_role actor_role;        /* MUC_ROLE_NONE: not in the room */
  muc_affiliation target_aff; /* the target, or the list asked for */
  muc_role target_role;
  int wanted; /* the role or affiliation the action gives */
} muc_permit_case;

/* The row that decides |c| (never NULL: each action ends with a row that
 * matches everything).  Pure, reentrant. */
const muc_permit_rule *muc_permit(const muc_permit_case *c);

/* The table: |*n| rows. */
const muc_permit_rule *muc_permit_rules(size_t *n);

/* The name of |a| ("enter", "set-role", ...): docs and test reports. */
const char *muc_action_name(muc_action a);
/* The name of the fact bit number |bit| ("members-only", ...), and what
 * it means ("?" past MUC_FACT_COUNT). */
const char *muc_fact_name(unsigned bit);
const char *muc_fact_about(unsigned bit);

/* The room option facts of |cfg| (the PM policy, getmemberlist, ...) and
 * the service's |register_open|. */
unsigned muc_permit_room_facts(const muc_room_config *cfg, int register_open);

/* The verdict of a row of the §5 rules (set role, set affiliation, read a
 * list): MUC_ALLOW or the refusal as a muc_verdict. */
muc_verdict muc_permit_verdict(const muc_permit_rule *rule);

#endif
