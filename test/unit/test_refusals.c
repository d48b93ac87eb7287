/* Every row of the refusal table (libmuc/refusal.c) triggered by stanzas
 * through the text entry: the last stanza sent must be the row's error,
 * with its condition, type and text.  A row without a case here fails
 * test_every_row_has_a_case. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "limits_fixture.h"
#include "mem_archive.h"
#include "refusal.h"

#define JULIET "juliet@localhost/j"
#define BEN "benvolio@localhost/b"
#define STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define DATA "jabber:x:data"
#define FORM(type, fields) "<x xmlns='" DATA "' type='" type "'>" fields "</x>"
#define FIELD(var, value)                                                      \
  "<field var='" var "'><value>" value "</value></field>"
#define REG_FORM(fields)                                                       \
  FORM("submit", FIELD("FORM_TYPE", MUCNS "#register") fields)

/* Hand a stanza to the service; the return code is the case's business
 * (some refusals come with a C error too: a failed load, a full queue). */
static void send_xml(fakehost *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void send_xml(fakehost *h, const char *fmt, ...)
{
  char buf[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  fakehost_xml(h, "%s", buf);
}

static void iq_to(fakehost *h, const char *from, const char *to,
                  const char *type, const char *payload)
{
  send_xml(h, "<iq from='%s' to='%s' id='q' type='%s'>%s</iq>", from, to, type,
           payload);
}

/* ---- the cases: each ends with the stanza that is refused ------------- */

static void c_to_malformed(fakehost *h)
{
  make_room(h);
  join_room(h, "", BEN, "Ben"); /* "@conference.localhost/Ben": empty node */
}

static void c_join_without_nick(fakehost *h)
{
  make_room(h);
  send_xml(h, "<presence from='" BEN "' to='" ROOM "'>" MUCX "</presence>");
}

static void c_iq_invalid(fakehost *h)
{
  iq_to(h, ROMEO, DOMAIN, "bogus", "");
}

static void c_service_resource(fakehost *h)
{
  say(h, ROMEO, DOMAIN "/x", "chat", "<body>hi</body>");
}

static void c_service_iq(fakehost *h)
{
  iq_to(h, ROMEO, DOMAIN, "get", "<query xmlns='jabber:iq:version'/>");
}

static void c_service_message(fakehost *h)
{
  say(h, ROMEO, DOMAIN, "normal", "<body>hi</body>");
}

static void c_room_not_found(fakehost *h)
{
  iq_to(h, ROMEO, "nowhere@" DOMAIN, "get",
        "<query xmlns='http://jabber.org/protocol/disco#info'/>");
}

static void c_load_failed(fakehost *h)
{
  h->load_fails = 1;
  send_xml(h, "<presence from='" BEN "' to='other@" DOMAIN "/Ben'>" MUCX
              "</presence>");
}

static void c_record_invalid(fakehost *h)
{
  h->async_load = 1;
  send_xml(h, "<presence from='" BEN "' to='other@" DOMAIN "/Ben'>" MUCX
              "</presence>");
  muc_service_room_loaded(h->svc, "other@" DOMAIN, "<no/>", 5);
}

static void c_disco_traffic(fakehost *h)
{
  make_room(h);
  iq_to(h, JULIET, ROOM, "get",
        "<query xmlns='http://jabber.org/protocol/disco#info' node='" MUCNS
        "#traffic'/>");
}

static void c_disco_node(fakehost *h)
{
  make_room(h);
  iq_to(h, JULIET, ROOM, "get",
        "<query xmlns='http://jabber.org/protocol/disco#items' node='x'/>");
}

#define COMMAND(node, body)                                                    \
  "<command xmlns='http://jabber.org/protocol/commands' node='" node           \
  "' action='execute'>" body "</command>"
#define DESTROY_NODE "http://prosody.im/protocol/muc#destroy"

static void c_command_unknown(fakehost *h)
{
  iq_to(h, "admin@localhost/a", DOMAIN, "set", COMMAND("nope", ""));
}

static void c_command_forbidden(fakehost *h)
{
  iq_to(h, ROMEO, DOMAIN, "set", COMMAND(DESTROY_NODE, ""));
}

static void c_command_no_rooms(fakehost *h)
{
  iq_to(h, "admin@localhost/a", DOMAIN, "set",
        COMMAND(DESTROY_NODE, FORM("submit", "")));
}

static void c_create_restricted(fakehost *h)
{
  h->refuse_create = 1;
  send_xml(h, "<presence from='" BEN "' to='new@" DOMAIN "/Ben'>" MUCX
              "</presence>");
}

static void c_nick_malformed(fakehost *h)
{
  make_room(h);
  join(h, BEN, "&#x221;en"); /* unassigned in Unicode 3.2 */
}

static void c_nick_invisible(fakehost *h)
{
  make_room(h);
  join(h, BEN, "   ");
}

static void c_nick_conflict(fakehost *h)
{
  make_room(h);
  join(h, BEN, "Juliet");
}

static void c_members_only(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_membersonly", "1"));
  join(h, BEN, "Ben");
}

static void c_banned(fakehost *h)
{
  make_room(h);
  admin(h, "<item affiliation='outcast' jid='benvolio@localhost'/>");
  join(h, BEN, "Ben");
}

static void c_password(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_roomsecret", "pw"));
  join(h, BEN, "Ben");
}

static void c_locked(fakehost *h)
{
  join(h, ROMEO, "Romeo"); /* a new room, locked (setup_locked) */
  join(h, BEN, "Ben");
}

static void c_not_joined(fakehost *h)
{
  make_room(h);
  send_xml(h, "<presence from='" BEN "' to='" ROOM "/Ben'/>");
}

static void c_probe_not_occupant(fakehost *h)
{
  make_room(h);
  send_xml(h, "<presence from='" BEN "' to='" ROOM "/Romeo' type='probe'/>");
}

static void c_presence_type(fakehost *h)
{
  make_room(h);
  send_xml(h, "<presence from='" JULIET "' to='" ROOM
              "/Romeo' type='subscribe'/>");
}

static void c_locked_outsider(fakehost *h)
{
  join(h, ROMEO, "Romeo");
  say(h, BEN, ROOM, "groupchat", "<body>hi</body>");
}

static void c_groupchat_not_occupant(fakehost *h)
{
  make_room(h);
  say(h, BEN, ROOM, "groupchat", "<body>hi</body>");
}

static void c_groupchat_visitor(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_moderatedroom", "1"));
  join(h, BEN, "Ben");
  say(h, BEN, ROOM, "groupchat", "<body>hi</body>");
}

static void c_subject_forbidden(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_changesubject", "0"));
  say(h, JULIET, ROOM, "groupchat", "<subject>mine</subject>");
}

#define INVITE(to) "<x xmlns='" MUCNS "#user'><invite to='" to "'/></x>"

static void c_invite_jid_malformed(fakehost *h)
{
  make_room(h);
  say(h, ROMEO, ROOM, "normal", INVITE("ben@@localhost"));
}

static void c_invite_not_occupant(fakehost *h)
{
  make_room(h);
  say(h, BEN, ROOM, "normal", INVITE("mercutio@localhost"));
}

static void c_invite_forbidden(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_membersonly", "1")
                   FIELD("muc#roomconfig_allowinvites", "0"));
  admin(h, "<item affiliation='member' jid='benvolio@localhost'/>");
  join(h, BEN, "Ben");
  say(h, BEN, ROOM, "normal", INVITE("mercutio@localhost"));
}

static void c_user_payload(fakehost *h)
{
  make_room(h);
  say(h, ROMEO, ROOM, "normal", "<x xmlns='" MUCNS "#user'><other/></x>");
}

static void c_room_message(fakehost *h)
{
  make_room(h);
  say(h, ROMEO, ROOM, "chat", "<body>hi</body>");
}

static void c_voice_form(fakehost *h)
{
  make_room(h);
  say(h, JULIET, ROOM, "normal",
      FORM("submit", FIELD("FORM_TYPE", "urn:example:other")));
}

static void c_voice_not_occupant(fakehost *h)
{
  make_room(h);
  say(h, BEN, ROOM, "normal",
      FORM("submit", FIELD("FORM_TYPE", MUCNS "#request")
                         FIELD("muc#role", "participant")));
}

static void c_pm_groupchat(fakehost *h)
{
  make_room(h);
  say(h, JULIET, ROOM "/Romeo", "groupchat", "<body>hi</body>");
}

static void c_pm_not_occupant(fakehost *h)
{
  make_room(h);
  say(h, BEN, ROOM "/Romeo", "chat", "<body>hi</body>");
}

static void c_pm_no_recipient(fakehost *h)
{
  make_room(h);
  say(h, JULIET, ROOM "/Nobody", "chat", "<body>hi</body>");
}

static void c_pm_policy(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_allowpm", "none"));
  join(h, BEN, "Ben");
  say(h, JULIET, ROOM "/Ben", "chat", "<body>hi</body>");
}

static void c_room_iq_payload(fakehost *h)
{
  make_room(h);
  iq_to(h, JULIET, ROOM, "get", "");
}

static void c_room_iq_unknown(fakehost *h)
{
  make_room(h);
  iq_to(h, JULIET, ROOM, "get", "<query xmlns='jabber:iq:version'/>");
}

static void c_occupant_disco(fakehost *h)
{
  make_room(h);
  iq_to(h, BEN, ROOM "/Romeo", "get",
        "<query xmlns='http://jabber.org/protocol/disco#info'/>");
}

static void c_occupant_iq_not_occupant(fakehost *h)
{
  make_room(h);
  iq_to(h, BEN, ROOM "/Romeo", "get", "<query xmlns='jabber:iq:version'/>");
}

static void c_occupant_iq_no_recipient(fakehost *h)
{
  make_room(h);
  iq_to(h, JULIET, ROOM "/Nobody", "get", "<query xmlns='jabber:iq:version'/>");
}

static void c_admin_item(fakehost *h)
{
  make_room(h);
  admin(h, "<item role='none' affiliation='none' nick='Juliet'/>");
}

static void c_admin_value(fakehost *h)
{
  make_room(h);
  admin(h, "<item role='king' nick='Juliet'/>");
}

static void c_admin_jid_malformed(fakehost *h)
{
  make_room(h);
  admin(h, "<item affiliation='member' jid='ben@@localhost'/>");
}

static void c_admin_nick_malformed(fakehost *h)
{
  make_room(h);
  admin(h, "<item role='none' nick='a&#xFFFD;'/>"); /* prohibited */
}

static void c_admin_not_found(fakehost *h)
{
  make_room(h);
  admin(h, "<item role='none' nick='Nobody'/>");
}

static void c_denied_not_allowed(fakehost *h)
{
  make_room(h);
  admin(h, "<item affiliation='admin' jid='juliet@localhost'/>");
  iq_set(h, JULIET, MUCNS "#admin", "<item role='none' nick='Romeo'/>");
}

static void c_denied_forbidden(fakehost *h)
{
  make_room(h);
  iq_set(h, JULIET, MUCNS "#admin",
         "<item affiliation='outcast' jid='ben@localhost'/>");
}

static void c_denied_conflict(fakehost *h)
{
  make_room(h);
  admin(h, "<item affiliation='outcast' jid='romeo@localhost'/>");
}

static void c_denied_bad_request(fakehost *h)
{
  make_room(h);
  iq_to(h, ROMEO, ROOM, "get",
        "<query xmlns='" MUCNS "#admin'><item/></query>");
}

static void c_owner_forbidden(fakehost *h)
{
  make_room(h);
  iq_to(h, JULIET, ROOM, "get", "<query xmlns='" MUCNS "#owner'/>");
}

static void c_owner_empty(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, MUCNS "#owner", "");
}

static void c_owner_payload(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, MUCNS "#owner", "<other xmlns='urn:example'/>");
}

static void c_config_malformed(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, MUCNS "#owner", "<x xmlns='" DATA "'/>"); /* no type */
}

static void c_config_not_submit(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, MUCNS "#owner", FORM("form", ""));
}

static void c_config_form_type(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, MUCNS "#owner",
         FORM("submit", FIELD("muc#roomconfig_roomname", "a")));
}

static void c_config_value(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_maxusers", "lots"));
}

static void c_config_no_owner(fakehost *h)
{
  make_room(h);
  configure(h, "<field var='muc#roomconfig_roomowners'/>");
}

static void c_destroy_jid_malformed(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, MUCNS "#owner", "<destroy jid='a@@b'/>");
}

static void c_register_banned(fakehost *h)
{
  make_room(h);
  admin(h, "<item affiliation='outcast' jid='benvolio@localhost'/>");
  register_nick(h, BEN, "Ben", "");
}

static void c_register_not_allowed(fakehost *h)
{
  make_room(h);
  register_nick(h, BEN, "Ben", "");
}

static void c_register_no_form(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, "jabber:iq:register", "");
}

static void c_register_form(fakehost *h)
{
  make_room(h);
  /* from someone who may not register at all: the form is looked at
   * first */
  iq_set(h, BEN, "jabber:iq:register",
         FORM("submit", FIELD("muc#register_roomnick", "Ben")));
}

static void c_register_no_nick(fakehost *h)
{
  make_room(h);
  iq_set(h, ROMEO, "jabber:iq:register", REG_FORM(""));
}

static void c_register_nick(fakehost *h)
{
  make_room(h);
  register_nick(h, ROMEO, "a&#xFFFD;", "");
}

static void c_register_conflict(fakehost *h)
{
  make_room(h);
  register_nick(h, ROMEO, "Juliet", "");
}

static void c_limit_rooms(fakehost *h)
{
  join_room(h, "r1", "a@localhost/a", "A");
  join_room(h, "r2", "a@localhost/a", "A");
  join_room(h, "r3", "b@localhost/b", "B");
  join_room(h, "r4", "b@localhost/b", "B");
  join_room(h, "r5", BEN, "Ben");
}

static void c_limit_rooms_per_creator(fakehost *h)
{
  join_room(h, "r1", BEN, "Ben");
  join_room(h, "r2", BEN, "Ben");
  join_room(h, "r3", BEN, "Ben");
}

static void c_limit_occupants(fakehost *h)
{
  make_room(h);
  join(h, BEN, "Ben");
  join(h, "mercutio@localhost/m", "Mercutio");
}

static void c_limit_sessions(fakehost *h)
{
  make_room(h);
  join(h, "juliet@localhost/j2", "Juliet");
  join(h, "juliet@localhost/j3", "Juliet");
}

static void c_limit_affiliations(fakehost *h)
{
  make_room(h);
  admin(h, "<item affiliation='member' jid='a@localhost'/>");
  admin(h, "<item affiliation='member' jid='b@localhost'/>");
  admin(h, "<item affiliation='member' jid='c@localhost'/>");
}

static void c_limit_pending(fakehost *h)
{
  h->async_load = 1;
  for (int i = 0; i < 65; i++)
    send_xml(h, "<presence from='" BEN "' to='other@" DOMAIN "/Ben'>" MUCX
                "</presence>");
}

static void c_limit_nick(fakehost *h)
{
  make_room(h);
  join(h, BEN, "Benvolio1"); /* 9 bytes, 8 allowed */
}

static void c_limit_subject(fakehost *h)
{
  make_room(h);
  say(h, ROMEO, ROOM, "groupchat", "<subject>Fair is foul and foul</subject>");
}

static void c_limit_reason(fakehost *h)
{
  make_room(h);
  admin(h, "<item role='none' nick='Juliet'><reason>for being too "
           "fair</reason></item>");
}

static void c_limit_room_name(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_roomname", "Capulets"
                                                "'"));
}

static void c_limit_password(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_roomsecret", "montague!"));
}

static void c_limit_form_value(fakehost *h)
{
  make_room(h);
  configure(h, FIELD("muc#roomconfig_roomdesc",
                     "Two households, both alike in dignity"));
}

/* ---- the table of cases ---------------------------------------------- */

enum setup_kind { PLAIN, LOCKED, STORED };

/* Each case with the answer XEP-0045 or RFC 6120 gives, written here
 * again: the table must say the same, and the service must send it. */
typedef struct refusal_case {
  void (*run)(fakehost *h);
  enum setup_kind setup;
  const char *type, *cond;
} refusal_case;

#define C(id, fn, type, cond) [MUC_REFUSE_##id] = {fn, PLAIN, type, cond}
#define CS(id, fn, kind, type, cond) [MUC_REFUSE_##id] = {fn, kind, type, cond}

/* ---- the message archive and moderation --------------------------------- */

#define MAM "urn:xmpp:mam:2"
#define RSM "http://jabber.org/protocol/rsm"
#define MAM_FORM(fields) FORM("submit", FIELD("FORM_TYPE", MAM) fields)
#define MODERATE(attrs, inner)                                                 \
  "<moderate xmlns='urn:xmpp:message-moderate:1'" attrs ">" inner "</"         \
                                                                  "moderate>"
#define RETRACT "<retract xmlns='urn:xmpp:message-retract:1'/>"

/* The cases' archive: emptied by each case that uses it. */
static mem_archive archive;

static void archived_room(fakehost *h)
{
  mem_archive_free(&archive);
  mem_archive_init(&archive);
  assert_int_equal(mem_archive_install(&archive, h->svc), MUC_OK);
  make_room(h);
}

static void c_mam_unavailable(fakehost *h)
{
  make_room(h);
  iq_set(h, JULIET, MAM, "");
}

static void c_mam_forbidden(fakehost *h)
{
  archived_room(h);
  admin(h, "<item affiliation='outcast' jid='benvolio@localhost'/>");
  iq_set(h, BEN, MAM, "");
}

static void c_mam_bad_request(fakehost *h)
{
  archived_room(h);
  iq_set(h, JULIET, MAM, MAM_FORM(FIELD("start", "2026-02-30T00:00:00Z")));
}

static void c_mam_field_unknown(fakehost *h)
{
  archived_room(h);
  iq_set(h, JULIET, MAM, MAM_FORM(FIELD("colour", "red")));
}

static void c_mam_not_found(fakehost *h)
{
  archived_room(h);
  iq_set(h, JULIET, MAM, "<set xmlns='" RSM "'><after>nowhere</after></set>");
}

static void c_archive_failed(fakehost *h)
{
  archived_room(h);
  archive.fail_query = 1; /* the entry point says MUC_ERR_STORAGE */
  iq_to(h, JULIET, ROOM, "set", "<query xmlns='" MAM "'/>");
}

static void c_moderate_bad_request(fakehost *h)
{
  archived_room(h);
  iq_to(h, ROMEO, ROOM, "set", MODERATE("", RETRACT));
}

static void c_moderate_forbidden(fakehost *h)
{
  archived_room(h);
  iq_to(h, JULIET, ROOM, "set", MODERATE(" id='x'", RETRACT));
}

static void c_moderate_not_found(fakehost *h)
{
  archived_room(h);
  iq_to(h, ROMEO, ROOM, "set", MODERATE(" id='x'", RETRACT));
}

static const refusal_case cases[MUC_REFUSAL_COUNT] = {
    C(TO_MALFORMED, c_to_malformed, "modify", "jid-malformed"),
    C(JOIN_WITHOUT_NICK, c_join_without_nick, "modify", "jid-malformed"),
    C(IQ_INVALID, c_iq_invalid, "modify", "bad-request"),
    C(SERVICE_RESOURCE, c_service_resource, "cancel", "service-unavailable"),
    C(SERVICE_IQ, c_service_iq, "cancel", "service-unavailable"),
    C(SERVICE_MESSAGE, c_service_message, "cancel", "service-unavailable"),
    C(ROOM_NOT_FOUND, c_room_not_found, "cancel", "item-not-found"),
    CS(LOAD_FAILED, c_load_failed, STORED, "wait", "internal-server-error"),
    CS(RECORD_INVALID, c_record_invalid, STORED, "wait",
       "internal-server-error"),
    C(DISCO_TRAFFIC, c_disco_traffic, "cancel", "service-unavailable"),
    C(DISCO_NODE, c_disco_node, "cancel", "item-not-found"),
    C(COMMAND_UNKNOWN, c_command_unknown, "cancel", "item-not-found"),
    C(COMMAND_FORBIDDEN, c_command_forbidden, "auth", "forbidden"),
    C(COMMAND_NO_ROOMS, c_command_no_rooms, "modify", "bad-request"),
    C(CREATE_RESTRICTED, c_create_restricted, "cancel", "not-allowed"),
    C(NICK_MALFORMED, c_nick_malformed, "modify", "jid-malformed"),
    C(NICK_INVISIBLE, c_nick_invisible, "modify", "jid-malformed"),
    C(NICK_CONFLICT, c_nick_conflict, "cancel", "conflict"),
    C(MEMBERS_ONLY, c_members_only, "auth", "registration-required"),
    C(BANNED, c_banned, "auth", "forbidden"),
    C(PASSWORD, c_password, "auth", "not-authorized"),
    CS(LOCKED, c_locked, LOCKED, "cancel", "item-not-found"),
    C(NOT_JOINED, c_not_joined, "cancel", "item-not-found"),
    C(PROBE_NOT_OCCUPANT, c_probe_not_occupant, "cancel", "not-acceptable"),
    C(PRESENCE_TYPE, c_presence_type, "modify", "bad-request"),
    CS(LOCKED_OUTSIDER, c_locked_outsider, LOCKED, "cancel", "item-not-found"),
    C(GROUPCHAT_NOT_OCCUPANT, c_groupchat_not_occupant, "modify",
      "not-acceptable"),
    C(GROUPCHAT_VISITOR, c_groupchat_visitor, "auth", "forbidden"),
    C(SUBJECT_FORBIDDEN, c_subject_forbidden, "auth", "forbidden"),
    C(INVITE_JID_MALFORMED, c_invite_jid_malformed, "modify", "jid-malformed"),
    C(INVITE_NOT_OCCUPANT, c_invite_not_occupant, "cancel", "not-acceptable"),
    C(INVITE_FORBIDDEN, c_invite_forbidden, "auth", "forbidden"),
    C(USER_PAYLOAD, c_user_payload, "cancel", "bad-request"),
    C(ROOM_MESSAGE, c_room_message, "cancel", "service-unavailable"),
    C(VOICE_FORM, c_voice_form, "cancel", "service-unavailable"),
    C(VOICE_NOT_OCCUPANT, c_voice_not_occupant, "modify", "not-acceptable"),
    C(PM_GROUPCHAT, c_pm_groupchat, "modify", "bad-request"),
    C(PM_NOT_OCCUPANT, c_pm_not_occupant, "cancel", "not-acceptable"),
    C(PM_NO_RECIPIENT, c_pm_no_recipient, "cancel", "item-not-found"),
    C(PM_POLICY, c_pm_policy, "cancel", "policy-violation"),
    C(ROOM_IQ_PAYLOAD, c_room_iq_payload, "modify", "bad-request"),
    C(ROOM_IQ_UNKNOWN, c_room_iq_unknown, "cancel", "service-unavailable"),
    C(OCCUPANT_DISCO, c_occupant_disco, "modify", "bad-request"),
    C(OCCUPANT_IQ_NOT_OCCUPANT, c_occupant_iq_not_occupant, "cancel",
      "not-acceptable"),
    C(OCCUPANT_IQ_NO_RECIPIENT, c_occupant_iq_no_recipient, "cancel",
      "item-not-found"),
    C(ADMIN_ITEM, c_admin_item, "modify", "bad-request"),
    C(ADMIN_VALUE, c_admin_value, "modify", "not-acceptable"),
    C(ADMIN_JID_MALFORMED, c_admin_jid_malformed, "modify", "jid-malformed"),
    C(ADMIN_NICK_MALFORMED, c_admin_nick_malformed, "modify", "jid-malformed"),
    C(ADMIN_NOT_FOUND, c_admin_not_found, "cancel", "item-not-found"),
    C(DENIED_NOT_ALLOWED, c_denied_not_allowed, "cancel", "not-allowed"),
    C(DENIED_FORBIDDEN, c_denied_forbidden, "auth", "forbidden"),
    C(DENIED_CONFLICT, c_denied_conflict, "cancel", "conflict"),
    C(DENIED_BAD_REQUEST, c_denied_bad_request, "modify", "bad-request"),
    C(OWNER_FORBIDDEN, c_owner_forbidden, "auth", "forbidden"),
    C(OWNER_EMPTY, c_owner_empty, "modify", "bad-request"),
    C(OWNER_PAYLOAD, c_owner_payload, "cancel", "service-unavailable"),
    C(CONFIG_MALFORMED, c_config_malformed, "modify", "bad-request"),
    C(CONFIG_NOT_SUBMIT, c_config_not_submit, "modify", "bad-request"),
    C(CONFIG_FORM_TYPE, c_config_form_type, "modify", "bad-request"),
    C(CONFIG_VALUE, c_config_value, "modify", "not-acceptable"),
    C(CONFIG_NO_OWNER, c_config_no_owner, "cancel", "conflict"),
    C(DESTROY_JID_MALFORMED, c_destroy_jid_malformed, "modify",
      "jid-malformed"),
    C(REGISTER_BANNED, c_register_banned, "auth", "forbidden"),
    C(REGISTER_NOT_ALLOWED, c_register_not_allowed, "auth",
      "registration-required"),
    C(REGISTER_NO_FORM, c_register_no_form, "modify", "bad-request"),
    C(REGISTER_FORM, c_register_form, "modify", "bad-request"),
    C(REGISTER_NO_NICK, c_register_no_nick, "modify", "bad-request"),
    C(REGISTER_NICK, c_register_nick, "modify", "bad-request"),
    C(REGISTER_CONFLICT, c_register_conflict, "cancel", "conflict"),
    C(LIMIT_ROOMS, c_limit_rooms, "wait", "resource-constraint"),
    C(LIMIT_ROOMS_PER_CREATOR, c_limit_rooms_per_creator, "wait",
      "resource-constraint"),
    C(LIMIT_OCCUPANTS, c_limit_occupants, "wait", "service-unavailable"),
    C(LIMIT_SESSIONS, c_limit_sessions, "wait", "resource-constraint"),
    C(LIMIT_AFFILIATIONS, c_limit_affiliations, "wait", "resource-constraint"),
    CS(LIMIT_PENDING, c_limit_pending, STORED, "wait", "resource-constraint"),
    C(LIMIT_NICK, c_limit_nick, "modify", "not-acceptable"),
    C(LIMIT_SUBJECT, c_limit_subject, "modify", "policy-violation"),
    C(LIMIT_REASON, c_limit_reason, "modify", "policy-violation"),
    C(LIMIT_ROOM_NAME, c_limit_room_name, "modify", "not-acceptable"),
    C(LIMIT_PASSWORD, c_limit_password, "modify", "not-acceptable"),
    C(LIMIT_FORM_VALUE, c_limit_form_value, "modify", "not-acceptable"),
    C(MAM_UNAVAILABLE, c_mam_unavailable, "cancel", "service-unavailable"),
    C(MAM_FORBIDDEN, c_mam_forbidden, "auth", "forbidden"),
    C(MAM_BAD_REQUEST, c_mam_bad_request, "modify", "bad-request"),
    C(MAM_FIELD_UNKNOWN, c_mam_field_unknown, "cancel",
      "feature-not-implemented"),
    C(MAM_NOT_FOUND, c_mam_not_found, "cancel", "item-not-found"),
    C(ARCHIVE_FAILED, c_archive_failed, "wait", "internal-server-error"),
    C(MODERATE_BAD_REQUEST, c_moderate_bad_request, "modify", "bad-request"),
    C(MODERATE_FORBIDDEN, c_moderate_forbidden, "auth", "forbidden"),
    C(MODERATE_NOT_FOUND, c_moderate_not_found, "cancel", "item-not-found"),
};

static fakehost *host_for(enum setup_kind kind)
{
  muc_config c = small();
  c.room_lock_new = kind == LOCKED;
  fakehost *h = malloc(sizeof(*h));
  assert_non_null(h);
  assert_int_equal(fakehost_init(h, DOMAIN, &c, kind == STORED), MUC_OK);
  return h;
}

/* Is the last stanza sent the error of |rule|?  0, or a complaint. */
static const char *check_answer(const fakehost *h, const muc_refusal_rule *rule)
{
  if (h->nsent == 0)
    return "nothing was sent";
  const char *last = h->sent[h->nsent - 1];
  char want[256];
  if (!strstr(last, " type=\"error\""))
    return "the last stanza is no error";
  snprintf(want, sizeof(want), "<error type=\"%s\"", rule->type);
  if (!strstr(last, want))
    return "wrong error type";
  snprintf(want, sizeof(want), "<%s xmlns=\"" STANZAS "\"/>", rule->cond);
  if (!strstr(last, want))
    return "wrong condition";
  const char *text = strstr(last, "<text xmlns=\"" STANZAS "\">");
  if (!rule->text != !text)
    return rule->text ? "no text" : "a text the row does not give";
  /* a row's text may be followed by what the refusal adds (a field) */
  if (text && strncmp(text + strlen("<text xmlns=\"" STANZAS "\">"), rule->text,
                      strlen(rule->text)) != 0)
    return "wrong text";
  return NULL;
}

static void test_every_row_has_a_case(void **state)
{
  (void)state;
  int missing = 0;
  for (int r = 0; r < MUC_REFUSAL_COUNT; r++) {
    const muc_refusal_rule *rule = muc_refusal_rule_of((muc_refusal)r);
    assert_non_null(rule->name);
    assert_non_null(rule->situation);
    assert_non_null(rule->cite);
    if (!cases[r].run) {
      fprintf(stderr, "refusal %s has no case\n", rule->name);
      missing++;
    }
  }
  assert_int_equal(missing, 0);
  assert_null(muc_refusal_rule_of(MUC_REFUSAL_COUNT));
}

static void test_every_row_is_answered(void **state)
{
  (void)state;
  int wrong = 0;
  for (int r = 0; r < MUC_REFUSAL_COUNT; r++) {
    const muc_refusal_rule *rule = muc_refusal_rule_of((muc_refusal)r);
    if (!cases[r].run)
      continue;
    if (strcmp(rule->type, cases[r].type) != 0 ||
        strcmp(rule->cond, cases[r].cond) != 0) {
      fprintf(stderr, "refusal %s: the table says %s %s, the case %s %s\n",
              rule->name, rule->type, rule->cond, cases[r].type, cases[r].cond);
      wrong++;
      continue;
    }
    fakehost *h = host_for(cases[r].setup);
    cases[r].run(h);
    const char *why = check_answer(h, rule);
    if (why) {
      fprintf(stderr, "refusal %s (%s %s): %s\n", rule->name, rule->type,
              rule->cond, why);
      fakehost_dump(h);
      wrong++;
    }
    fakehost_free(h);
    free(h);
  }
  assert_int_equal(wrong, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_row_has_a_case),
      cmocka_unit_test(test_every_row_is_answered),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  mem_archive_free(&archive);
  return failed;
}
