/* The table of refusals (refusal.h).  "Ex" is an example number of
 * XEP-0045 (version 1.35), "§" a section of it unless an RFC is named;
 * RFC 6120 §8.3.3 gives each condition its usual type. */
#include "refusal.h"

#include <string.h>

#include "stanza.h"

#define NOT_HERE "You are not currently connected to this chat"

#define ROW(id, nm, sit, ty, co, tx, ci)                                       \
  [id] = {.name = nm,                                                          \
          .situation = sit,                                                    \
          .type = ty,                                                          \
          .cond = co,                                                          \
          .text = tx,                                                          \
          .cite = ci}

static const muc_refusal_rule rules[MUC_REFUSAL_COUNT] = {
    /* ---- addresses and routing ---- */
    ROW(MUC_REFUSE_TO_MALFORMED, "to-malformed",
        "the 'to' names the service's domain but its room (local part) or "
        "nickname (resource) is no JID part: empty, over 1023 bytes, a "
        "character stringprep forbids",
        "modify", "jid-malformed", NULL,
        "RFC 6120 §8.3.3.8; XEP-0045 §17.1 (Room IDs are Nodeprep, nicknames "
        "Resourceprep, neither empty); the error's 'from' is the 'to' as "
        "sent"),
    ROW(MUC_REFUSE_JOIN_WITHOUT_NICK, "join-without-nick",
        "available presence to the bare room JID from someone who is not in "
        "the room: a join without a nickname",
        "modify", "jid-malformed", NULL, "XEP-0045 §7.2.1, Ex19"),
    ROW(MUC_REFUSE_IQ_INVALID, "iq-invalid",
        "an iq whose type is not get, set, result or error, or a get or set "
        "without an id",
        "modify", "bad-request", "Invalid iq", "RFC 6120 §8.2.3, §8.3.3.1"),
    ROW(MUC_REFUSE_SERVICE_RESOURCE, "service-resource",
        "a stanza to a resource of the service's domain (domain/resource)",
        "cancel", "service-unavailable", NULL, "RFC 6120 §8.3.3.19"),
    ROW(MUC_REFUSE_SERVICE_IQ, "service-iq",
        "an iq get or set to the service with a payload it does not serve",
        "cancel", "service-unavailable", NULL, "RFC 6120 §8.4"),
    ROW(MUC_REFUSE_SERVICE_MESSAGE, "service-message",
        "a message to the service's domain", "cancel", "service-unavailable",
        NULL, "RFC 6120 §8.3.3.19"),
    ROW(MUC_REFUSE_ROOM_NOT_FOUND, "room-not-found",
        "anything but a join (available presence to an occupant JID) to a "
        "room that does not exist",
        "cancel", "item-not-found", NULL,
        "XEP-0045 §7.10 Ex67; RFC 6120 §8.3.3.7"),
    ROW(MUC_REFUSE_LOAD_FAILED, "load-failed",
        "the room is asked of the host and load_room fails: every stanza "
        "waiting for it",
        "wait", "internal-server-error", NULL, "RFC 6120 §8.3.3.6"),
    ROW(MUC_REFUSE_RECORD_INVALID, "record-invalid",
        "the host gives back a stored record that cannot be read: every "
        "stanza waiting for the room",
        "wait", "internal-server-error", NULL, "RFC 6120 §8.3.3.6"),
    /* ---- discovery and commands ---- */
    ROW(MUC_REFUSE_DISCO_TRAFFIC, "disco-traffic",
        "disco#info of the room's #traffic node", "cancel",
        "service-unavailable", NULL,
        "XEP-0045 §18.1.1 Ex220 (the room passes every extension)"),
    ROW(MUC_REFUSE_DISCO_NODE, "disco-node",
        "disco#info or disco#items of a node the room or the service does "
        "not have",
        "cancel", "item-not-found", NULL, "XEP-0030 §3.1, §4.1"),
    ROW(MUC_REFUSE_COMMAND_UNKNOWN, "command-unknown",
        "an ad-hoc command the service does not have", "cancel",
        "item-not-found", NULL, "XEP-0050 §4.6"),
    ROW(MUC_REFUSE_COMMAND_FORBIDDEN, "command-forbidden",
        "the destroy-rooms command from someone who is not a service "
        "administrator",
        "auth", "forbidden", NULL, "XEP-0050 §4.6; XEP-0133 §4"),
    ROW(MUC_REFUSE_COMMAND_NO_ROOMS, "command-no-rooms",
        "the destroy-rooms command submitted without its rooms field", "modify",
        "bad-request", "No rooms given", "XEP-0050 §4.6"),
    /* ---- entering a room ---- */
    ROW(MUC_REFUSE_CREATE_RESTRICTED, "create-restricted",
        "a join that would create a room, refused by the host's "
        "may_create_room",
        "cancel", "not-allowed", "Room creation is restricted",
        "XEP-0045 §10.1.1 Ex152, §7.2.17"),
    ROW(MUC_REFUSE_NICK_MALFORMED, "nick-malformed",
        "a join or nickname change to a nickname that fails the strict "
        "Resourceprep profile (unassigned code points)",
        "modify", "jid-malformed", "Nickname must pass strict validation",
        "XEP-0045 §17.1; RFC 6120 §8.3.3.8"),
    ROW(MUC_REFUSE_NICK_INVISIBLE, "nick-invisible",
        "a join or nickname change to a nickname of only spaces", "modify",
        "jid-malformed", "Invisible Nicknames are forbidden",
        "XEP-0045 §17.1 (\"MUST NOT allow empty or invisible Room "
        "Nicknames\"); RFC 6120 §8.3.3.8"),
    ROW(MUC_REFUSE_NICK_CONFLICT, "nick-conflict",
        "a join or nickname change to a nickname another user is using or "
        "has reserved",
        "cancel", "conflict", NULL, "XEP-0045 §7.2.8 Ex29, §7.6 Ex52"),
    ROW(MUC_REFUSE_MEMBERS_ONLY, "members-only",
        "a join to a members-only room by someone who is not a member", "auth",
        "registration-required", NULL, "XEP-0045 §7.2.6 Ex27"),
    ROW(MUC_REFUSE_BANNED, "banned", "a join by an outcast", "auth",
        "forbidden", NULL, "XEP-0045 §7.2.7 Ex28"),
    ROW(MUC_REFUSE_PASSWORD, "password",
        "a join to a password-protected room with a wrong password", "auth",
        "not-authorized", NULL, "XEP-0045 §7.2.5 Ex25"),
    ROW(MUC_REFUSE_LOCKED, "locked",
        "a join to a room still locked for its initial configuration", "cancel",
        "item-not-found", NULL, "XEP-0045 §7.2.10 Ex31"),
    ROW(MUC_REFUSE_NOT_JOINED, "not-joined",
        "available presence without the MUC `<x/>` to an occupant JID from "
        "someone who is not in the room",
        "cancel", "item-not-found", NOT_HERE,
        "XEP-0045 §7.2.1 (a join carries `<x/>`); as Prosody answers"),
    ROW(MUC_REFUSE_PROBE_NOT_OCCUPANT, "probe-not-occupant",
        "a presence probe to an occupant JID from someone who is not in the "
        "room",
        "cancel", "not-acceptable", NOT_HERE,
        "XEP-0045 §17.3 (probes are the service's choice); the shared "
        "conformance script prosody/muc_presence_probe"),
    ROW(MUC_REFUSE_PRESENCE_TYPE, "presence-type",
        "presence to an occupant JID of a type the room has no use for "
        "(subscriptions, unknown types)",
        "modify", "bad-request", NULL, "RFC 6121 §4.7.1; RFC 6120 §8.3.3.1"),
    /* ---- messages ---- */
    ROW(MUC_REFUSE_LOCKED_OUTSIDER, "locked-outsider",
        "a message to a room still locked for its initial configuration from "
        "someone who is not in it",
        "cancel", "item-not-found", NULL,
        "XEP-0045 §10.1.1 (a locked room does not exist yet), §7.2.10"),
    ROW(MUC_REFUSE_GROUPCHAT_NOT_OCCUPANT, "groupchat-not-occupant",
        "a groupchat message from someone who is not in the room", "modify",
        "not-acceptable", NOT_HERE, "XEP-0045 §7.4; RFC 6120 §8.3.3.9"),
    ROW(MUC_REFUSE_GROUPCHAT_VISITOR, "groupchat-visitor",
        "a groupchat message from a visitor of a moderated room", "auth",
        "forbidden",
        "You do not currently have permission to speak in this chat",
        "XEP-0045 §7.4; RFC 6120 §8.3.3.4"),
    ROW(MUC_REFUSE_SUBJECT_FORBIDDEN, "subject-forbidden",
        "a subject change by an occupant the room does not let change it",
        "auth", "forbidden", "You are not allowed to change the subject",
        "XEP-0045 §8.1 Ex87"),
    ROW(MUC_REFUSE_INVITE_JID_MALFORMED, "invite-jid-malformed",
        "an invitation or a decline whose 'to' is not a JID", "modify",
        "jid-malformed", NULL, "XEP-0045 §7.8.2; RFC 6120 §8.3.3.8"),
    ROW(MUC_REFUSE_INVITE_NOT_OCCUPANT, "invite-not-occupant",
        "an invitation from someone who is not in the room", "cancel",
        "not-acceptable", NOT_HERE,
        "XEP-0045 §5.1.1 (occupants invite), §7.8.2"),
    ROW(MUC_REFUSE_INVITE_FORBIDDEN, "invite-forbidden",
        "an invitation into a members-only room by an occupant who may not "
        "invite",
        "auth", "forbidden", NULL, "XEP-0045 §9.5 Ex135"),
    ROW(MUC_REFUSE_USER_PAYLOAD, "user-payload",
        "a normal message to the room with a muc#user `<x/>` that holds "
        "neither an invitation nor a decline",
        "cancel", "bad-request", NULL, "XEP-0045 §7.8.2; as Prosody answers"),
    ROW(MUC_REFUSE_ROOM_MESSAGE, "room-message",
        "a message to the room JID that is no groupchat, invitation, decline "
        "or voice request (chat, or normal with a body only); a message of "
        "an unknown type counts as normal",
        "cancel", "service-unavailable", NULL,
        "RFC 6120 §8.3.3.19; RFC 6121 §5.2.2 (unknown types are normal)"),
    ROW(MUC_REFUSE_VOICE_FORM, "voice-form",
        "a data form in a message to the room that is no voice request",
        "cancel", "service-unavailable", NULL, "XEP-0045 §7.13; RFC 6120 §8.4"),
    ROW(MUC_REFUSE_VOICE_NOT_OCCUPANT, "voice-not-occupant",
        "a voice request from someone who is not in the room", "modify",
        "not-acceptable", NOT_HERE, "XEP-0045 §7.13; RFC 6120 §8.3.3.9"),
    ROW(MUC_REFUSE_PM_GROUPCHAT, "pm-groupchat",
        "a message of type groupchat to an occupant JID", "modify",
        "bad-request", NULL, "XEP-0045 §7.5 Ex48"),
    ROW(MUC_REFUSE_PM_NOT_OCCUPANT, "pm-not-occupant",
        "a private message from someone who is not in the room", "cancel",
        "not-acceptable", NOT_HERE, "XEP-0045 §7.5"),
    ROW(MUC_REFUSE_PM_NO_RECIPIENT, "pm-no-recipient",
        "a private message to a nickname nobody has", "cancel",
        "item-not-found", "Recipient not in room", "XEP-0045 §7.5"),
    ROW(MUC_REFUSE_PM_POLICY, "pm-policy",
        "a private message the room's muc#roomconfig_allowpm does not allow "
        "(the text says which rule)",
        "cancel", "policy-violation", "Private messages are restricted",
        "XEP-0045 §10.2 (muc#roomconfig_allowpm); RFC 6120 §8.3.3.12"),
    /* ---- iq to the room and its occupants ---- */
    ROW(MUC_REFUSE_ROOM_IQ_PAYLOAD, "room-iq-payload",
        "an iq get or set to the room with no payload or more than one",
        "modify", "bad-request", NULL, "RFC 6120 §8.2.3"),
    ROW(MUC_REFUSE_ROOM_IQ_UNKNOWN, "room-iq-unknown",
        "an iq get or set to the room with a payload it does not serve",
        "cancel", "service-unavailable", NULL, "RFC 6120 §8.4"),
    ROW(MUC_REFUSE_OCCUPANT_DISCO, "occupant-disco",
        "a disco query to an occupant JID from someone who is not in the "
        "room",
        "modify", "bad-request", NULL, "XEP-0045 §6.6"),
    ROW(MUC_REFUSE_OCCUPANT_IQ_NOT_OCCUPANT, "occupant-iq-not-occupant",
        "any other iq to an occupant JID from someone who is not in the "
        "room",
        "cancel", "not-acceptable", NOT_HERE, "XEP-0045 §17.4"),
    ROW(MUC_REFUSE_OCCUPANT_IQ_NO_RECIPIENT, "occupant-iq-no-recipient",
        "an iq to a nickname nobody has", "cancel", "item-not-found",
        "Recipient not in room", "XEP-0045 §17.4"),
    /* ---- muc#admin and the privilege rules ---- */
    ROW(MUC_REFUSE_ADMIN_ITEM, "admin-item",
        "a muc#admin set with no item, an item with both or neither of role "
        "and affiliation, or one that names nobody",
        "modify", "bad-request", NULL,
        "XEP-0045 §17.4 (one of role, "
        "affiliation); RFC 6120 §8.3.3.1"),
    ROW(MUC_REFUSE_ADMIN_VALUE, "admin-value",
        "a muc#admin item with a role or affiliation that does not exist",
        "modify", "not-acceptable", NULL, "RFC 6120 §8.3.3.9"),
    ROW(MUC_REFUSE_ADMIN_JID_MALFORMED, "admin-jid-malformed",
        "a muc#admin item whose jid is not a JID", "modify", "jid-malformed",
        NULL, "RFC 6120 §8.3.3.8"),
    ROW(MUC_REFUSE_ADMIN_NICK_MALFORMED, "admin-nick-malformed",
        "a muc#admin item whose nick is no Resourceprep string", "modify",
        "jid-malformed", "invalid nickname",
        "XEP-0045 §17.1; RFC 6120 §8.3.3.8"),
    ROW(MUC_REFUSE_ADMIN_NOT_FOUND, "admin-not-found",
        "a role change or a request of the privilege rules for an occupant "
        "who is not in the room",
        "cancel", "item-not-found", NULL, "RFC 6120 §8.3.3.7"),
    ROW(MUC_REFUSE_DENIED_NOT_ALLOWED, "denied-not-allowed",
        "a role or affiliation change the actor's rank does not allow (kick, "
        "ban or revoke someone of a higher affiliation, ...)",
        "cancel", "not-allowed", NULL,
        "XEP-0045 §8.2 Ex93, §8.4 Ex102, §9.1 Ex115, §9.7 Ex145"),
    ROW(MUC_REFUSE_DENIED_FORBIDDEN, "denied-forbidden",
        "a muc#admin request from someone without the privilege at all "
        "(not a moderator, admin or owner as the request needs)",
        "auth", "forbidden", NULL,
        "XEP-0045 §10.5 Ex184, §10.8 Ex199; RFC 6120 §8.3.3.4"),
    ROW(MUC_REFUSE_DENIED_CONFLICT, "denied-conflict",
        "an admin or owner banning themselves, or the last owner giving up "
        "ownership",
        "cancel", "conflict", NULL, "XEP-0045 §9.1, §10.4, §10.5"),
    ROW(MUC_REFUSE_DENIED_BAD_REQUEST, "denied-bad-request",
        "a muc#admin get that asks for no list (no role, no affiliation, or "
        "both)",
        "modify", "bad-request", NULL, "XEP-0045 §17.4; RFC 6120 §8.3.3.1"),
    /* ---- muc#owner ---- */
    ROW(MUC_REFUSE_OWNER_FORBIDDEN, "owner-forbidden",
        "a muc#owner request from someone who is not an owner", "auth",
        "forbidden", "Only owners can configure rooms",
        "XEP-0045 §10.2 Ex164, §10.9 Ex204"),
    ROW(MUC_REFUSE_OWNER_EMPTY, "owner-empty",
        "a muc#owner set with no payload", "modify", "bad-request", NULL,
        "RFC 6120 §8.3.3.1"),
    ROW(MUC_REFUSE_OWNER_PAYLOAD, "owner-payload",
        "a muc#owner set whose payload is neither a form nor `<destroy/>`",
        "cancel", "service-unavailable", NULL, "RFC 6120 §8.4"),
    ROW(MUC_REFUSE_CONFIG_MALFORMED, "config-malformed",
        "a configuration form that is not a valid data form", "modify",
        "bad-request", "Malformed data form", "XEP-0004 §3; RFC 6120 §8.3.3.1"),
    ROW(MUC_REFUSE_CONFIG_NOT_SUBMIT, "config-not-submit",
        "a configuration form of a type other than submit or cancel", "modify",
        "bad-request", "Not a submitted form", "XEP-0004 §3.1"),
    ROW(MUC_REFUSE_CONFIG_FORM_TYPE, "config-form-type",
        "a configuration form with fields but no muc#roomconfig FORM_TYPE",
        "modify", "bad-request", "Form is not of type room configuration",
        "XEP-0045 §16.5.3; XEP-0068"),
    ROW(MUC_REFUSE_CONFIG_VALUE, "config-value",
        "a configuration form with a value the room cannot take (the text "
        "names the field)",
        "modify", "not-acceptable", "Invalid value", "XEP-0045 §10.1.3 Ex161"),
    ROW(MUC_REFUSE_CONFIG_NO_OWNER, "config-no-owner",
        "a configuration form whose owner list leaves the room without an "
        "owner",
        "cancel", "conflict", "A room needs at least one owner",
        "XEP-0045 §10.4"),
    ROW(MUC_REFUSE_DESTROY_JID_MALFORMED, "destroy-jid-malformed",
        "a `<destroy/>` whose alternate venue is not a JID", "modify",
        "jid-malformed", NULL, "XEP-0045 §10.9; RFC 6120 §8.3.3.8"),
    /* ---- registration ---- */
    ROW(MUC_REFUSE_REGISTER_BANNED, "register-banned",
        "a registration request by an outcast", "auth", "forbidden", NULL,
        "XEP-0045 §7.10; RFC 6120 §8.3.3.4"),
    ROW(MUC_REFUSE_REGISTER_NOT_ALLOWED, "register-not-allowed",
        "a registration request by an unaffiliated user when the service "
        "does not let them register",
        "auth", "registration-required", NULL,
        "the shared conformance script prosody/muc_register (XEP-0045 §7.10 "
        "Ex68 gives not-allowed)"),
    ROW(MUC_REFUSE_REGISTER_NO_FORM, "register-no-form",
        "a registration set without a data form", "modify", "bad-request",
        "Missing dataform", "XEP-0045 §7.10 Ex74"),
    ROW(MUC_REFUSE_REGISTER_FORM, "register-form",
        "a registration form that is not a valid data form or has no "
        "muc#register FORM_TYPE",
        "modify", "bad-request", "Error in form", "XEP-0045 §7.10 Ex74"),
    ROW(MUC_REFUSE_REGISTER_NO_NICK, "register-no-nick",
        "a registration form without a nickname", "modify", "bad-request",
        "Error in form: muc#register_roomnick: Required value missing",
        "XEP-0045 §7.10 Ex74"),
    ROW(MUC_REFUSE_REGISTER_NICK, "register-nick",
        "a registration form whose nickname is no Resourceprep string",
        "modify", "bad-request", "Invalid Nickname", "XEP-0045 §7.10 Ex74"),
    ROW(MUC_REFUSE_REGISTER_CONFLICT, "register-conflict",
        "a registration of a nickname another user has or reserved", "cancel",
        "conflict", NULL, "XEP-0045 §7.10 Ex72"),
    /* ---- limits (limit.c) ---- */
    ROW(MUC_REFUSE_LIMIT_ROOMS, "limit-rooms",
        "a new room past max_rooms (rooms loading count)", "wait",
        "resource-constraint", "Too many rooms",
        "RFC 6120 §8.3.3.18 (XEP-0045 §7.2.17 has no condition for it)"),
    ROW(MUC_REFUSE_LIMIT_ROOMS_PER_CREATOR, "limit-rooms-per-creator",
        "a new room past max_rooms_per_creator", "wait", "resource-constraint",
        "You have created too many rooms",
        "XEP-0045 §14.6; RFC 6120 §8.3.3.18"),
    ROW(MUC_REFUSE_LIMIT_OCCUPANTS, "limit-occupants",
        "a new occupant past the room's maximum (muc#roomconfig_maxusers, "
        "users only) or max_occupants_per_room (everyone)",
        "wait", "service-unavailable", "The room is full",
        "XEP-0045 §7.2.9 Ex30"),
    ROW(MUC_REFUSE_LIMIT_SESSIONS, "limit-sessions",
        "one more session for a nickname past max_sessions_per_occupant",
        "wait", "resource-constraint", "Too many sessions share this nickname",
        "RFC 6120 §8.3.3.18"),
    ROW(MUC_REFUSE_LIMIT_AFFILIATIONS, "limit-affiliations",
        "a new affiliated JID past max_affiliations_per_room (admin items, "
        "owner lists, registration, invitation into a members-only room)",
        "wait", "resource-constraint", "Too many affiliations in this room",
        "RFC 6120 §8.3.3.18"),
    ROW(MUC_REFUSE_LIMIT_PENDING, "limit-pending",
        "a stanza for a room loading from storage past max_pending_stanzas",
        "wait", "resource-constraint", "The room is loading",
        "RFC 6120 §8.3.3.18"),
    ROW(MUC_REFUSE_LIMIT_NICK, "limit-nick",
        "a nickname longer than max_nick_bytes after Resourceprep (join, "
        "nickname change, admin item, registration)",
        "modify", "not-acceptable", "Nickname too long",
        "XEP-0045 §7.2.17, §7.6; RFC 6120 §8.3.3.9"),
    ROW(MUC_REFUSE_LIMIT_SUBJECT, "limit-subject",
        "a subject longer than max_subject_bytes", "modify", "policy-violation",
        "Subject too long", "RFC 6120 §8.3.3.12"),
    ROW(MUC_REFUSE_LIMIT_REASON, "limit-reason",
        "a reason longer than max_reason_bytes (admin items, destroy, "
        "invitations, declines)",
        "modify", "policy-violation", "Reason too long", "RFC 6120 §8.3.3.12"),
    ROW(MUC_REFUSE_LIMIT_ROOM_NAME, "limit-room-name",
        "a room name longer than max_room_name_bytes", "modify",
        "not-acceptable", "Room name too long", "XEP-0045 §10.1.3 Ex161"),
    ROW(MUC_REFUSE_LIMIT_PASSWORD, "limit-password",
        "a room password longer than max_password_bytes", "modify",
        "not-acceptable", "Password too long", "XEP-0045 §10.1.3 Ex161"),
    ROW(MUC_REFUSE_LIMIT_FORM_VALUE, "limit-form-value",
        "any other value of a configuration or registration form longer than "
        "max_form_value_bytes",
        "modify", "not-acceptable", "Form value too long",
        "XEP-0045 §10.1.3 Ex161, §7.10"),
    /* ---- the message archive and retractions ---- */
    ROW(MUC_REFUSE_MAM_UNAVAILABLE, "mam-unavailable",
        "a MAM query (urn:xmpp:mam:2) to a room that does not archive: the "
        "host set no archive, or muc#roomconfig_enablearchiving is off",
        "cancel", "service-unavailable", NULL,
        "XEP-0313 §6 (the room advertises no urn:xmpp:mam:2); RFC 6120 "
        "§8.3.3.19"),
    ROW(MUC_REFUSE_MAM_FORBIDDEN, "mam-forbidden",
        "a MAM query from someone who could not enter the room: an outcast, "
        "or a non-member of a members-only room",
        "auth", "forbidden", NULL,
        "XEP-0313 §6 (the archive is the room's: those who may join may "
        "read it, as Prosody's mod_muc_mam decides)"),
    ROW(MUC_REFUSE_MAM_BAD_REQUEST, "mam-bad-request",
        "a MAM query with a malformed form (not urn:xmpp:mam:2, a start or "
        "end that is no XEP-0082 date-time, a 'with' that is no JID) or "
        "RSM set (a <max/> that is no number); the text names the field",
        "modify", "bad-request", "Malformed archive query",
        "XEP-0313 §4.1.1; XEP-0059 §2.1; RFC 6120 §8.3.3.1"),
    ROW(MUC_REFUSE_MAM_FIELD_UNKNOWN, "mam-field-unknown",
        "a MAM query whose form has a field the room does not know (it "
        "knows with, start, end, before-id, after-id, ids)",
        "cancel", "feature-not-implemented", NULL, "XEP-0313 §4.1.1"),
    ROW(MUC_REFUSE_MAM_NOT_FOUND, "mam-not-found",
        "a MAM query naming (RSM <after/>/<before/>, after-id, before-id) a "
        "message the archive does not have",
        "cancel", "item-not-found", NULL, "XEP-0313 §4.1.1; XEP-0059 §2.5"),
    ROW(MUC_REFUSE_ARCHIVE_FAILED, "archive-failed",
        "the host's archive failed (a negative return of query or retract) "
        "while answering a MAM query or a moderation",
        "wait", "internal-server-error", NULL, "RFC 6120 §8.3.3.6"),
    ROW(MUC_REFUSE_MODERATE_BAD_REQUEST, "moderate-bad-request",
        "a moderation request (<moderate xmlns='urn:xmpp:message-moderate:1'/>"
        ", or XEP-0425 0.2's <apply-to xmlns='urn:xmpp:fasten:0'/>) that is "
        "no set, or has no id or no <retract/> of its version (a reason over "
        "max_reason_bytes is limit-reason)",
        "modify", "bad-request", NULL, "XEP-0425 §4; RFC 6120 §8.3.3.1"),
    ROW(MUC_REFUSE_MODERATE_FORBIDDEN, "moderate-forbidden",
        "a moderation request from someone who is not a moderator in the "
        "room",
        "auth", "forbidden",
        "Only moderators are allowed to moderate other participants' "
        "messages",
        "XEP-0425 §4.2, Ex6 (its type 'modify' departs from RFC 6120's "
        "'auth' for forbidden, which libmuc keeps)"),
    ROW(MUC_REFUSE_MODERATE_NOT_FOUND, "moderate-not-found",
        "a moderation request naming a message that is neither in the "
        "room's history nor in its archive",
        "cancel", "item-not-found", NULL, "XEP-0425 §4.2; RFC 6120 §8.3.3.7"),
};

const muc_refusal_rule *muc_refusal_rule_of(muc_refusal r)
{
  if ((unsigned)r >= MUC_REFUSAL_COUNT)
    return NULL;
  return &rules[r];
}

void muc_refuse_text(muc_service *svc, const mxml_node_t *st, muc_refusal r,
                     const char *text, const char *by)
{
  const muc_refusal_rule *rule = muc_refusal_rule_of(r);
  muc_send_error(svc, st, rule->type, rule->cond, text, by);
}

void muc_refuse(muc_service *svc, const mxml_node_t *st, muc_refusal r,
                const char *by)
{
  muc_refuse_text(svc, st, r, muc_refusal_rule_of(r)->text, by);
}

void muc_refuse_verdict(muc_service *svc, const mxml_node_t *st, muc_verdict v,
                        const char *by)
{
  switch (v) {
  case MUC_ALLOW:
    return;
  case MUC_DENY_FORBIDDEN:
    muc_refuse(svc, st, MUC_REFUSE_DENIED_FORBIDDEN, by);
    return;
  case MUC_DENY_CONFLICT:
    muc_refuse(svc, st, MUC_REFUSE_DENIED_CONFLICT, by);
    return;
  case MUC_DENY_NOT_ACCEPTABLE: /* no rule gives it: a value refused */
    muc_refuse(svc, st, MUC_REFUSE_ADMIN_VALUE, by);
    return;
  case MUC_DENY_BAD_REQUEST:
    muc_refuse(svc, st, MUC_REFUSE_DENIED_BAD_REQUEST, by);
    return;
  case MUC_DENY_ITEM_NOT_FOUND:
    muc_refuse(svc, st, MUC_REFUSE_ADMIN_NOT_FOUND, by);
    return;
  case MUC_DENY_NOT_ALLOWED:
  default:
    muc_refuse(svc, st, MUC_REFUSE_DENIED_NOT_ALLOWED, by);
    return;
  }
}
