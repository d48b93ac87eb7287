#define _POSIX_C_SOURCE 200809L
/* The permission matrix: every actor (affiliation x role, as far as the
 * two can go together) tries every action XEP-0045 governs, through real
 * stanzas in a fresh room, and the answer must be what the tables of
 * §5.1.1 (role privileges) and §5.2.1 (affiliation privileges) and the
 * use cases of §8-§10 say: done, or refused with the right stanza error.
 *
 * The expectations below are written by hand, one row per action and
 * target, one column per actor.  The test builds each case from the row
 * and the column, runs it, and also checks the permission table
 * (libmuc/permission.c, directly or through affiliation.c's privilege
 * functions), asked the cell's case as the handler asks it, against the
 * same letter: the stanzas' answers come from the table.
 * test_permission.c covers the table itself, case by case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "affiliation.h"
#include "fakehost.h"
#include "permission.h"

#define ROOM "room@conference.localhost"
#define BOSS "boss@localhost/b"
#define ACTOR "actor@localhost/a"
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
#define ADMIN_NS "http://jabber.org/protocol/muc#admin"
#define OWNER_NS "http://jabber.org/protocol/muc#owner"

#define OUT MUC_AFFIL_OUTCAST
#define NON MUC_AFFIL_NONE
#define MEM MUC_AFFIL_MEMBER
#define ADM MUC_AFFIL_ADMIN
#define OWN MUC_AFFIL_OWNER
#define R_NONE MUC_ROLE_NONE
#define R_VIS MUC_ROLE_VISITOR
#define R_PAR MUC_ROLE_PARTICIPANT
#define R_MOD MUC_ROLE_MODERATOR

/* ---- the actors: the columns of every row ------------------------------ *
 * Role "none" means the actor is not in the room.  Admins and owners are
 * always moderators when present (§5.1.2; §8.4 and §9.7 forbid lowering
 * them); an outcast cannot be present (§7.2.7). */
static const struct {
  muc_affiliation aff;
  muc_role role;
  const char *name;
} actors[] = {
    {OWN, R_MOD, "owner/moderator"},  {OWN, R_NONE, "owner/absent"},
    {ADM, R_MOD, "admin/moderator"},  {ADM, R_NONE, "admin/absent"},
    {MEM, R_MOD, "member/moderator"}, {MEM, R_PAR, "member/participant"},
    {MEM, R_VIS, "member/visitor"},   {MEM, R_NONE, "member/absent"},
    {NON, R_MOD, "none/moderator"},   {NON, R_PAR, "none/participant"},
    {NON, R_VIS, "none/visitor"},     {NON, R_NONE, "none/absent"},
    {OUT, R_NONE, "outcast/absent"},
};
#define NACTORS (sizeof(actors) / sizeof(actors[0]))

/* ---- the rows ------------------------------------------------------------ */

enum kind {
  K_ROLE,      /* role of the occupant Target set to |arg| (a muc_role) */
  K_AFF,       /* affiliation of target@localhost (absent) set to |arg| */
  K_SELF,      /* the actor sets its own affiliation to |arg| */
  K_SUBJECT,   /* groupchat <subject/> */
  K_MESSAGE,   /* groupchat <body/> */
  K_PM,        /* private message to the occupant Boss */
  K_INVITE,    /* mediated invitation of friend@localhost */
  K_CFG_GET,   /* the configuration form */
  K_CFG_SET,   /* an (empty) configuration submission */
  K_DESTROY,   /* <destroy/> */
  K_LIST_AFF,  /* the list of affiliation |arg| */
  K_LIST_ROLE, /* the list of role |arg| */
  K_REGISTER   /* the registration form (XEP-0077 get) */
};

/* Room set-up variations. */
#define F_SUBJECT 1u /* muc#roomconfig_changesubject = 1 */
#define F_NONANON 2u /* muc#roomconfig_whois = anyone */
#define F_MLIST 4u   /* muc#roomconfig_getmemberlist = participant */
#define F_LASTOWNER                                                            \
  8u /* the room's creator steps down: the actor is the                        \
        only owner */
/* muc#roomconfig_allowpm = participants, moderators, members, none */
#define F_PM_PARTICIPANTS 16u
#define F_PM_MODERATORS 32u
#define F_PM_MEMBERS 64u
#define F_PM_NONE 128u

/* Expected outcomes, one letter per actor (the order of |actors|):
 *   A  done                     F  auth/forbidden
 *   N  cancel/not-allowed       C  cancel/conflict
 *   X  cancel/not-acceptable    I  cancel/item-not-found
 *   M  modify/not-acceptable (a groupchat message from outside the room:
 *      join first, refusal.c)
 *   P  cancel/policy-violation (allowpm does not allow it)
 *   R  auth/registration-required
 *   -  not applicable (no such case)
 * Lower case: what libmuc does where it departs from the §5.1.1 table on
 * purpose (documented with the row); the letter is what it does. */
typedef struct row {
  const char *what;
  enum kind kind;
  muc_affiliation taff; /* the target's affiliation (K_ROLE, K_AFF) */
  muc_role trole;       /* the target's role (K_ROLE) */
  int arg;
  unsigned flags;
  const char *expect;
} row;

/* The thirteen letters of |expect|, in the order of |actors|:
 *   owner    admin    member           none             outcast
 *   mod abs  mod abs  mod par vis abs  mod par vis abs  abs      */
static const row rows[] = {
    /* §8.2 kick (role none): moderators only (§8: forbidden to others),
     * never someone of a higher affiliation (not-allowed), moderators
     * only by admins and owners (§5.1.3 chart) */
    {"kick none/participant", K_ROLE, NON, R_PAR, R_NONE, 0, "AFAFAFFFAFFFF"},
    {"kick none/visitor", K_ROLE, NON, R_VIS, R_NONE, 0, "AFAFAFFFAFFFF"},
    {"kick member/participant", K_ROLE, MEM, R_PAR, R_NONE, 0, "AFAFAFFFNFFFF"},
    {"kick none/moderator", K_ROLE, NON, R_MOD, R_NONE, 0, "AFAFNFFFNFFFF"},
    {"kick member/moderator", K_ROLE, MEM, R_MOD, R_NONE, 0, "AFAFNFFFNFFFF"},
    {"kick admin", K_ROLE, ADM, R_MOD, R_NONE, 0, "AFAFNFFFNFFFF"},
    {"kick owner", K_ROLE, OWN, R_MOD, R_NONE, 0, "AFNFNFFFNFFFF"},
    /* a nick nobody has: item-not-found, for moderators only */
    {"kick nobody", K_ROLE, NON, R_NONE, R_NONE, 0, "IFIFIFFFIFFFF"},
    /* §8.3 grant voice, §8.4 revoke voice: moderators; an admin's or
     * owner's voice is never revoked (§8.4 "by anyone") */
    {"voice to none/visitor", K_ROLE, NON, R_VIS, R_PAR, 0, "AFAFAFFFAFFFF"},
    {"voice to member/visitor", K_ROLE, MEM, R_VIS, R_PAR, 0, "AFAFAFFFNFFFF"},
    {"unvoice none/participant", K_ROLE, NON, R_PAR, R_VIS, 0, "AFAFAFFFAFFFF"},
    {"unvoice member/participant", K_ROLE, MEM, R_PAR, R_VIS, 0,
     "AFAFAFFFNFFFF"},
    {"unvoice admin", K_ROLE, ADM, R_MOD, R_VIS, 0, "NFNFNFFFNFFFF"},
    {"unvoice owner", K_ROLE, OWN, R_MOD, R_VIS, 0, "NFNFNFFFNFFFF"},
    /* §9.6 grant moderator: admins and owners (§9: forbidden to others);
     * §9.7 revoke moderator: not from an admin or owner (§9.8) */
    {"moderator to none/participant", K_ROLE, NON, R_PAR, R_MOD, 0,
     "AFAFFFFFFFFFF"},
    {"moderator to member/participant", K_ROLE, MEM, R_PAR, R_MOD, 0,
     "AFAFFFFFFFFFF"},
    {"unmoderator none/moderator", K_ROLE, NON, R_MOD, R_PAR, 0,
     "AFAFNFFFNFFFF"},
    {"unmoderator member/moderator", K_ROLE, MEM, R_MOD, R_PAR, 0,
     "AFAFNFFFNFFFF"},
    {"unmoderator admin", K_ROLE, ADM, R_MOD, R_PAR, 0, "NFNFNFFFNFFFF"},
    {"unmoderator owner", K_ROLE, OWN, R_MOD, R_PAR, 0, "NFNFNFFFNFFFF"},

    /* §5.2.2 chart, §9.1-§9.5, §10.3-§10.8: affiliations by affiliation
     * (the role does not matter); admins handle outcasts, unaffiliated
     * users and members; the admin and owner lists are the owners'
     * (forbidden); an admin banning an admin or owner is not-allowed
     * (§9.1) */
    {"outcast -> outcast", K_AFF, OUT, R_NONE, OUT, 0, "AAAAFFFFFFFFF"},
    {"outcast -> none", K_AFF, OUT, R_NONE, NON, 0, "AAAAFFFFFFFFF"},
    {"outcast -> member", K_AFF, OUT, R_NONE, MEM, 0, "AAAAFFFFFFFFF"},
    {"outcast -> admin", K_AFF, OUT, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"outcast -> owner", K_AFF, OUT, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},
    {"none -> outcast", K_AFF, NON, R_NONE, OUT, 0, "AAAAFFFFFFFFF"},
    {"none -> none", K_AFF, NON, R_NONE, NON, 0, "AAAAFFFFFFFFF"},
    {"none -> member", K_AFF, NON, R_NONE, MEM, 0, "AAAAFFFFFFFFF"},
    {"none -> admin", K_AFF, NON, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"none -> owner", K_AFF, NON, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},
    {"member -> outcast", K_AFF, MEM, R_NONE, OUT, 0, "AAAAFFFFFFFFF"},
    {"member -> none", K_AFF, MEM, R_NONE, NON, 0, "AAAAFFFFFFFFF"},
    {"member -> member", K_AFF, MEM, R_NONE, MEM, 0, "AAAAFFFFFFFFF"},
    {"member -> admin", K_AFF, MEM, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"member -> owner", K_AFF, MEM, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},
    {"admin -> outcast", K_AFF, ADM, R_NONE, OUT, 0, "AANNFFFFFFFFF"},
    {"admin -> none", K_AFF, ADM, R_NONE, NON, 0, "AAFFFFFFFFFFF"},
    {"admin -> member", K_AFF, ADM, R_NONE, MEM, 0, "AAFFFFFFFFFFF"},
    {"admin -> admin", K_AFF, ADM, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"admin -> owner", K_AFF, ADM, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},
    {"owner -> outcast", K_AFF, OWN, R_NONE, OUT, 0, "AANNFFFFFFFFF"},
    {"owner -> none", K_AFF, OWN, R_NONE, NON, 0, "AAFFFFFFFFFFF"},
    {"owner -> member", K_AFF, OWN, R_NONE, MEM, 0, "AAFFFFFFFFFFF"},
    {"owner -> admin", K_AFF, OWN, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"owner -> owner", K_AFF, OWN, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},

    /* one's own affiliation: no self-ban (§9.1: conflict); an owner steps
     * down while another owner remains, never as the last (§10.4) */
    {"self -> outcast", K_SELF, NON, R_NONE, OUT, 0, "CCCCFFFFFFFFF"},
    {"self -> none", K_SELF, NON, R_NONE, NON, 0, "AAFFFFFFFFFFF"},
    {"self -> member", K_SELF, NON, R_NONE, MEM, 0, "AAFFFFFFFFFFF"},
    {"self -> admin", K_SELF, NON, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"self -> owner", K_SELF, NON, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},
    {"last owner -> admin", K_SELF, NON, R_NONE, ADM, F_LASTOWNER,
     "CC-----------"},
    {"last owner -> none", K_SELF, NON, R_NONE, NON, F_LASTOWNER,
     "CC-----------"},

    /* §5.1.1 and §8.1: the subject is the moderators', or the
     * participants' too with changesubject; visitors never; §7.4: only
     * occupants speak (not-acceptable), visitors are forbidden */
    {"subject", K_SUBJECT, NON, R_NONE, 0, 0, "AMAMAFFMAFFMM"},
    {"subject, changesubject", K_SUBJECT, NON, R_NONE, 0, F_SUBJECT,
     "AMAMAAFMAAFMM"},
    {"groupchat message", K_MESSAGE, NON, R_NONE, 0, 0, "AMAMAAFMAAFMM"},
    /* §7.5: every occupant, visitors too (allowpm = anyone) */
    {"private message", K_PM, NON, R_NONE, 0, 0, "AXAXAAAXAAAXX"},
    /* muc#roomconfig_allowpm (§10.2): participants and up, moderators,
     * the affiliated, nobody */
    {"private message, allowpm participants", K_PM, NON, R_NONE, 0,
     F_PM_PARTICIPANTS, "AXAXAAPXAAPXX"},
    {"private message, allowpm moderators", K_PM, NON, R_NONE, 0,
     F_PM_MODERATORS, "AXAXAPPXAPPXX"},
    {"private message, allowpm members", K_PM, NON, R_NONE, 0, F_PM_MEMBERS,
     "AXAXAAAXPPPXX"},
    {"private message, allowpm none", K_PM, NON, R_NONE, 0, F_PM_NONE,
     "PXPXPPPXPPPXX"},
    /* §5.1.1 "Invite Other Users": every occupant (visitors: Yes*, a
     * default), nobody outside the room (not-acceptable, §17.2) */
    {"invitation", K_INVITE, NON, R_NONE, 0, 0, "AXAXAAAXAAAXX"},

    /* §5.2.1, §10.2, §10.9: configuration and destruction are the
     * owners' */
    {"configuration form", K_CFG_GET, NON, R_NONE, 0, 0, "AAFFFFFFFFFFF"},
    {"configuration submit", K_CFG_SET, NON, R_NONE, 0, 0, "AAFFFFFFFFFFF"},
    {"destroy", K_DESTROY, NON, R_NONE, 0, 0, "AAFFFFFFFFFFF"},
    /* §7.10 registration: the affiliated (here: the service does not
     * let unaffiliated users register, room_allow_unaffiliated_register
     * = 0, its default), never outcasts */
    {"registration form", K_REGISTER, NON, R_NONE, 0, 0, "AAAAAAAARRRRF"},

    /* the lists: §9.2 outcasts and §9.5 members for admins; §5.2.1 note
     * *** members read the member list in non-anonymous rooms only;
     * muc#roomconfig_getmemberlist opens it to roles; §10.8 the admin
     * list for owners (admins too in non-anonymous rooms); §10.5 the
     * owner list for owners; §9.8 the moderator list for admins; §8.5
     * the voice list (and visitor list) for moderators (an absent admin
     * or owner counts as the moderator it would be) */
    {"outcast list", K_LIST_AFF, NON, R_NONE, OUT, 0, "AAAAFFFFFFFFF"},
    {"member list", K_LIST_AFF, NON, R_NONE, MEM, 0, "AAAAFFFFFFFFF"},
    {"member list, non-anonymous", K_LIST_AFF, NON, R_NONE, MEM, F_NONANON,
     "AAAAAAAAFFFFF"},
    {"member list, getmemberlist", K_LIST_AFF, NON, R_NONE, MEM, F_MLIST,
     "AAAAFAFFFAFFF"},
    {"admin list", K_LIST_AFF, NON, R_NONE, ADM, 0, "AAFFFFFFFFFFF"},
    {"admin list, non-anonymous", K_LIST_AFF, NON, R_NONE, ADM, F_NONANON,
     "AAAAFFFFFFFFF"},
    {"owner list", K_LIST_AFF, NON, R_NONE, OWN, 0, "AAFFFFFFFFFFF"},
    {"moderator list", K_LIST_ROLE, NON, R_NONE, R_MOD, 0, "AAAAFFFFFFFFF"},
    {"voice list", K_LIST_ROLE, NON, R_NONE, R_PAR, 0, "AAAAAFFFAFFFF"},
    {"visitor list", K_LIST_ROLE, NON, R_NONE, R_VIS, 0, "AAAAAFFFAFFFF"},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* ---- driving the engine ---------------------------------------------------
 */

static void xml(fakehost *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void xml(fakehost *h, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  assert_true(n > 0 && (size_t)n < sizeof(buf));
  assert_int_equal(fakehost_xml(h, "%s", buf), MUC_OK);
}

/* A muc#admin set by the room's creator that must succeed. */
static void boss_admin(fakehost *h, const char *item)
{
  fakehost_clear(h);
  xml(h,
      "<iq from='" BOSS "' to='" ROOM "' type='set' id='setup'><query "
      "xmlns='" ADMIN_NS "'>%s</query></iq>",
      item);
  if (!fakehost_find(h, "type=\"result\"", "id=\"setup\"", NULL)) {
    fakehost_dump(h);
    fail_msg("set-up step refused: %s", item);
  }
}

static void set_role(fakehost *h, const char *nick, muc_role role)
{
  char item[128];
  snprintf(item, sizeof(item), "<item nick='%s' role='%s'/>", nick,
           muc_role_name(role));
  boss_admin(h, item);
}

static void set_aff(fakehost *h, const char *bare, muc_affiliation aff)
{
  char item[128];
  snprintf(item, sizeof(item), "<item jid='%s' affiliation='%s'/>", bare,
           muc_affiliation_name(aff));
  boss_admin(h, item);
}

static void join(fakehost *h, const char *full, const char *nick)
{
  xml(h, "<presence from='%s' to='" ROOM "/%s'>" MUCX "</presence>", full,
      nick);
}

/* The room as the row needs it, with the actor (column |a|). */
static void build(fakehost *h, const row *r, size_t a)
{
  assert_int_equal(fakehost_init(h, "conference.localhost", NULL, 0), MUC_OK);
  join(h, BOSS, "Boss");
  char fields[512] = "";
  if (r->flags & F_SUBJECT)
    strcat(fields, "<field var='muc#roomconfig_changesubject'>"
                   "<value>1</value></field>");
  if (r->flags & F_NONANON)
    strcat(fields, "<field var='muc#roomconfig_whois'>"
                   "<value>anyone</value></field>");
  if (r->flags & F_MLIST)
    strcat(fields, "<field var='muc#roomconfig_getmemberlist'>"
                   "<value>participant</value></field>");
  static const struct {
    unsigned flag;
    const char *value;
  } pm[] = {{F_PM_PARTICIPANTS, "participants"},
            {F_PM_MODERATORS, "moderators"},
            {F_PM_MEMBERS, "members"},
            {F_PM_NONE, "none"}};
  for (size_t i = 0; i < sizeof(pm) / sizeof(pm[0]); i++)
    if (r->flags & pm[i].flag) {
      strcat(fields, "<field var='muc#roomconfig_allowpm'><value>");
      strcat(fields, pm[i].value);
      strcat(fields, "</value></field>");
    }
  xml(h,
      "<iq from='" BOSS "' to='" ROOM "' type='set' id='cfg'><query "
      "xmlns='" OWNER_NS "'><x xmlns='jabber:x:data' type='submit'>"
      "<field var='FORM_TYPE'><value>"
      "http://jabber.org/protocol/muc#roomconfig</value></field>%s"
      "</x></query></iq>",
      fields);
  if (actors[a].aff != NON)
    set_aff(h, "actor@localhost", actors[a].aff);
  if ((r->kind == K_ROLE || r->kind == K_AFF) && r->taff != NON)
    set_aff(h, "target@localhost", r->taff);
  if (actors[a].role != R_NONE) {
    join(h, ACTOR, "Actor");
    if (actors[a].role != muc_default_role(actors[a].aff, 0, 0))
      set_role(h, "Actor", actors[a].role);
  }
  if (r->kind == K_ROLE && r->trole != R_NONE) {
    join(h, "target@localhost/t", "Target");
    if (r->trole != muc_default_role(r->taff, 0, 0))
      set_role(h, "Target", r->trole);
  }
  if (r->flags & F_LASTOWNER)
    set_aff(h, "boss@localhost", ADM);
  /* the set-up is what the row says */
  const muc_room *room = muc_service_find_room(h->svc, ROOM);
  assert_non_null(room);
  assert_int_equal(muc_room_get_affiliation(room, "actor@localhost"),
                   actors[a].aff);
  assert_int_equal(muc_room_get_role(room, "Actor"), actors[a].role);
  if (r->kind == K_ROLE)
    assert_int_equal(muc_room_get_role(room, "Target"), r->trole);
  fakehost_clear(h);
}

/* Send the action of |r| as the actor, with id 'act'. */
static void act(fakehost *h, const row *r)
{
  char item[160] = "";
  const char *iq = NULL, *type = "set";
  switch (r->kind) {
  case K_ROLE:
    snprintf(item, sizeof(item), "<item nick='%s' role='%s'/>",
             r->trole == R_NONE ? "Nobody" : "Target",
             muc_role_name((muc_role)r->arg));
    iq = ADMIN_NS;
    break;
  case K_AFF:
  case K_SELF:
    snprintf(item, sizeof(item), "<item jid='%s' affiliation='%s'/>",
             r->kind == K_SELF ? "actor@localhost" : "target@localhost",
             muc_affiliation_name((muc_affiliation)r->arg));
    iq = ADMIN_NS;
    break;
  case K_LIST_AFF:
    snprintf(item, sizeof(item), "<item affiliation='%s'/>",
             muc_affiliation_name((muc_affiliation)r->arg));
    iq = ADMIN_NS;
    type = "get";
    break;
  case K_LIST_ROLE:
    snprintf(item, sizeof(item), "<item role='%s'/>",
             muc_role_name((muc_role)r->arg));
    iq = ADMIN_NS;
    type = "get";
    break;
  case K_CFG_GET:
    iq = OWNER_NS;
    type = "get";
    break;
  case K_CFG_SET:
    snprintf(item, sizeof(item), "<x xmlns='jabber:x:data' type='submit'/>");
    iq = OWNER_NS;
    break;
  case K_DESTROY:
    snprintf(item, sizeof(item), "<destroy/>");
    iq = OWNER_NS;
    break;
  case K_REGISTER:
    iq = "jabber:iq:register";
    type = "get";
    break;
  case K_SUBJECT:
    xml(h,
        "<message from='" ACTOR "' to='" ROOM "' type='groupchat' id='act'>"
        "<subject>%s</subject></message>",
        "mark");
    return;
  case K_MESSAGE:
    xml(h,
        "<message from='" ACTOR "' to='" ROOM "' type='groupchat' id='act'>"
        "<body>%s</body></message>",
        "mark");
    return;
  case K_PM:
    xml(h,
        "<message from='" ACTOR "' to='" ROOM "/Boss' type='chat' id='act'>"
        "<body>%s</body></message>",
        "mark");
    return;
  case K_INVITE:
    xml(h,
        "<message from='" ACTOR "' to='" ROOM "' id='act'><x "
        "xmlns='http://jabber.org/protocol/muc#user'><invite to='%s'/>"
        "</x></message>",
        "friend@localhost");
    return;
  }
  xml(h,
      "<iq from='" ACTOR "' to='" ROOM "' type='%s' id='act'><query "
      "xmlns='%s'>%s</query></iq>",
      type, iq, item);
}

static const struct {
  char code;
  const char *type, *cond;
} errors[] = {
    {'F', "auth", "forbidden"},          {'N', "cancel", "not-allowed"},
    {'C', "cancel", "conflict"},         {'X', "cancel", "not-acceptable"},
    {'I', "cancel", "item-not-found"},   {'M', "modify", "not-acceptable"},
    {'P', "cancel", "policy-violation"}, {'R', "auth", "registration-required"},
};

/* What the actor got back: an error letter, 'A' when done, '?' when the
 * answer is something else. */
static char outcome(const fakehost *h, const row *r)
{
  const char *err = fakehost_find(h, "to=\"" ACTOR "\"", "id=\"act\"",
                                  "type=\"error\"", NULL);
  if (err) {
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
      char t[64], c[96];
      snprintf(t, sizeof(t), "<error type=\"%s\"", errors[i].type);
      snprintf(c, sizeof(c), "<%s xmlns=", errors[i].cond);
      if (strstr(err, t) && strstr(err, c))
        return errors[i].code;
    }
    return '?';
  }
  switch (r->kind) {
  case K_SUBJECT:
    return fakehost_find(h, "to=\"" BOSS "\"", "<subject>mark</subject>", NULL)
               ? 'A'
               : '?';
  case K_MESSAGE:
  case K_PM:
    return fakehost_find(h, "to=\"" BOSS "\"", "<body>mark</body>", NULL) ? 'A'
                                                                          : '?';
  case K_INVITE:
    return fakehost_find(h, "to=\"friend@localhost\"", NULL) ? 'A' : '?';
  default:
    return fakehost_find(h, "to=\"" ACTOR "\"", "id=\"act\"", "type=\"result\"",
                         NULL)
               ? 'A'
               : '?';
  }
}

static char verdict_code(muc_verdict v)
{
  switch (v) {
  case MUC_ALLOW:
    return 'A';
  case MUC_DENY_FORBIDDEN:
    return 'F';
  case MUC_DENY_NOT_ALLOWED:
    return 'N';
  case MUC_DENY_CONFLICT:
    return 'C';
  default:
    return '?';
  }
}

/* The letter of the permission table's row for the case |c|: 'A' when
 * it allows, the letter of its refusal's type and condition, '?'. */
static char table_code(muc_permit_case c)
{
  const muc_permit_rule *rule = muc_permit(&c);
  if (rule->outcome == MUC_PERMIT_ALLOW)
    return 'A';
  const muc_refusal_rule *e = muc_refusal_rule_of(rule->refusal);
  for (size_t i = 0; e && i < sizeof(errors) / sizeof(errors[0]); i++)
    if (strcmp(e->type, errors[i].type) == 0 &&
        strcmp(e->cond, errors[i].cond) == 0)
      return errors[i].code;
  return '?';
}

/* The table's case for the rows the handlers ask it directly. */
static muc_permit_case table_case(const row *r, size_t a)
{
  static const struct {
    unsigned flag, fact;
  } pm[] = {{F_PM_PARTICIPANTS, MUC_FACT_PM_PARTICIPANTS},
            {F_PM_MODERATORS, MUC_FACT_PM_MODERATORS},
            {F_PM_MEMBERS, MUC_FACT_PM_MEMBERS},
            {F_PM_NONE, MUC_FACT_PM_NOBODY}};
  muc_permit_case c = {.actor_aff = actors[a].aff,
                       .actor_role = actors[a].role};
  switch (r->kind) {
  case K_SUBJECT:
    c.action = MUC_ACT_SUBJECT;
    if (r->flags & F_SUBJECT)
      c.facts |= MUC_FACT_CHANGESUBJECT;
    break;
  case K_MESSAGE:
    c.action = MUC_ACT_SPEAK;
    break;
  case K_PM:
    c.action = MUC_ACT_PM;
    c.target_role = R_MOD; /* Boss */
    c.facts = MUC_FACT_PM_ANYONE;
    for (size_t i = 0; i < sizeof(pm) / sizeof(pm[0]); i++)
      if (r->flags & pm[i].flag)
        c.facts = pm[i].fact;
    break;
  case K_INVITE:
    c.action = MUC_ACT_INVITE;
    break;
  case K_CFG_GET:
  case K_CFG_SET:
    c.action = MUC_ACT_CONFIGURE;
    break;
  case K_DESTROY:
    c.action = MUC_ACT_DESTROY;
    break;
  case K_REGISTER:
    c.action = MUC_ACT_REGISTER;
    break;
  default:
    fail_msg("%s: no case of the table", r->what);
  }
  return c;
}

/* The verdict of the privilege functions or of the permission table on
 * the cell, as the handler asks it. */
static char pure(const row *r, size_t a)
{
  muc_affiliation aff = actors[a].aff;
  muc_role role = actors[a].role;
  int anyone = (r->flags & F_NONANON) != 0;
  switch (r->kind) {
  case K_ROLE:
    if (r->trole == R_NONE)
      return table_code((muc_permit_case){.action = MUC_ACT_SET_ROLE,
                                          .facts = MUC_FACT_NO_TARGET,
                                          .actor_aff = aff,
                                          .actor_role = role,
                                          .wanted = r->arg});
    return verdict_code(
        muc_may_set_role(aff, role, r->taff, r->trole, (muc_role)r->arg));
  case K_AFF:
    return verdict_code(
        muc_may_set_affiliation(aff, r->taff, (muc_affiliation)r->arg, 0, 1));
  case K_SELF:
    return verdict_code(
        muc_may_set_affiliation(aff, aff, (muc_affiliation)r->arg, 1,
                                r->flags & F_LASTOWNER ? 0 : aff == OWN));
  case K_LIST_AFF:
    if (r->arg == MEM)
      return verdict_code(muc_may_get_member_list(
          aff, role, r->flags & F_MLIST ? MUC_ROLE_BIT(R_PAR) : 0, 0, anyone));
    return verdict_code(
        muc_may_get_affiliation_list(aff, (muc_affiliation)r->arg, 0, anyone));
  case K_LIST_ROLE:
    if (r->arg == R_MOD)
      return verdict_code(muc_may_get_moderator_list(aff));
    return verdict_code(muc_may_get_role_list(
        role != R_NONE ? role : muc_default_role(aff, 0, 0)));
  default:
    return table_code(table_case(r, a));
  }
}

static void test_matrix(void **state)
{
  (void)state;
  size_t cases = 0, deviations = 0, crosschecks = 0, failures = 0;
  for (size_t i = 0; i < NROWS; i++) {
    const row *r = &rows[i];
    assert_int_equal(strlen(r->expect), NACTORS);
    for (size_t a = 0; a < NACTORS; a++) {
      char want = r->expect[a];
      if (want == '-')
        continue;
      int deviation = want >= 'a' && want <= 'z';
      if (deviation)
        want = (char)(want - 'a' + 'A');
      fakehost h;
      build(&h, r, a);
      act(&h, r);
      char got = outcome(&h, r);
      char p = pure(r, a);
      if (got != want || (p && p != want)) {
        fprintf(stderr,
                "%s by %s: expected %c, got %c (permission table: %c)\n",
                r->what, actors[a].name, want, got, p ? p : '.');
        fakehost_dump(&h);
        failures++;
      }
      cases++;
      deviations += deviation;
      crosschecks += p != 0;
      fakehost_free(&h);
    }
  }
  printf("permission matrix: %zu cases (%zu rows x %zu actors), %zu checked "
         "against the permission table too, %zu documented departures from "
         "the §5.1.1 table\n",
         cases, NROWS, NACTORS, crosschecks, deviations);
  assert_int_equal(failures, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_matrix),
  };
  return cmocka_run_group_tests_name("matrix", tests, NULL, NULL);
}
