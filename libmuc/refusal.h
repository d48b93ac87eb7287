/* Every stanza error the library answers with: the situation, the
 * condition and type, and why (XEP-0045 section or example, RFC 6120
 * section), in one table (refusal.c).  The handlers name a row instead of
 * writing a condition; docs/errors.md is generated from the table
 * (test/errors_doc.c) and a test checks that they agree; test/unit/
 * test_refusals.c triggers every row. */
#ifndef MUC_REFUSAL_H
#define MUC_REFUSAL_H

#include "affiliation.h"
#include "core.h"

typedef enum muc_refusal {
  /* addresses and routing (route.c) */
  MUC_REFUSE_TO_MALFORMED,
  MUC_REFUSE_JOIN_WITHOUT_NICK,
  MUC_REFUSE_IQ_INVALID,
  MUC_REFUSE_SERVICE_RESOURCE,
  MUC_REFUSE_SERVICE_IQ,
  MUC_REFUSE_SERVICE_MESSAGE,
  MUC_REFUSE_ROOM_NOT_FOUND,
  MUC_REFUSE_LOAD_FAILED,
  MUC_REFUSE_RECORD_INVALID,
  /* service discovery and commands (disco.c, command.c) */
  MUC_REFUSE_DISCO_TRAFFIC,
  MUC_REFUSE_DISCO_NODE,
  MUC_REFUSE_RSM_MALFORMED,
  MUC_REFUSE_RSM_NOT_FOUND,
  MUC_REFUSE_COMMAND_UNKNOWN,
  MUC_REFUSE_COMMAND_FORBIDDEN,
  MUC_REFUSE_COMMAND_NO_ROOMS,
  /* entering a room (create.c, entry.c, presence.c) */
  MUC_REFUSE_CREATE_RESTRICTED,
  MUC_REFUSE_NICK_MALFORMED,
  MUC_REFUSE_NICK_INVISIBLE,
  MUC_REFUSE_NICK_CONFLICT,
  MUC_REFUSE_NICK_ENFORCED,
  MUC_REFUSE_MEMBERS_ONLY,
  MUC_REFUSE_BANNED,
  MUC_REFUSE_PASSWORD,
  MUC_REFUSE_LOCKED,
  MUC_REFUSE_NOT_JOINED,
  MUC_REFUSE_PROBE_NOT_OCCUPANT,
  MUC_REFUSE_PRESENCE_TYPE,
  /* messages (message.c, admin.c) */
  MUC_REFUSE_LOCKED_OUTSIDER,
  MUC_REFUSE_GROUPCHAT_NOT_OCCUPANT,
  MUC_REFUSE_GROUPCHAT_VISITOR,
  MUC_REFUSE_SUBJECT_FORBIDDEN,
  MUC_REFUSE_INVITE_JID_MALFORMED,
  MUC_REFUSE_INVITE_NOT_OCCUPANT,
  MUC_REFUSE_INVITE_FORBIDDEN,
  MUC_REFUSE_USER_PAYLOAD,
  MUC_REFUSE_ROOM_MESSAGE,
  MUC_REFUSE_VOICE_FORM,
  MUC_REFUSE_VOICE_NOT_OCCUPANT,
  MUC_REFUSE_PM_GROUPCHAT,
  MUC_REFUSE_PM_NOT_OCCUPANT,
  MUC_REFUSE_PM_NO_RECIPIENT,
  MUC_REFUSE_PM_POLICY,
  /* iq to the room and its occupants (room.c) */
  MUC_REFUSE_ROOM_IQ_PAYLOAD,
  MUC_REFUSE_ROOM_IQ_UNKNOWN,
  MUC_REFUSE_OCCUPANT_DISCO,
  MUC_REFUSE_OCCUPANT_IQ_NOT_OCCUPANT,
  MUC_REFUSE_OCCUPANT_IQ_NO_RECIPIENT,
  /* muc#admin (admin.c) and the privilege rules (affiliation.c) */
  MUC_REFUSE_ADMIN_ITEM,
  MUC_REFUSE_ADMIN_VALUE,
  MUC_REFUSE_ADMIN_JID_MALFORMED,
  MUC_REFUSE_ADMIN_NICK_MALFORMED,
  MUC_REFUSE_ADMIN_NOT_FOUND,
  MUC_REFUSE_DENIED_NOT_ALLOWED,
  MUC_REFUSE_DENIED_FORBIDDEN,
  MUC_REFUSE_DENIED_CONFLICT,
  MUC_REFUSE_DENIED_BAD_REQUEST,
  /* muc#owner (owner.c) */
  MUC_REFUSE_OWNER_FORBIDDEN,
  MUC_REFUSE_OWNER_EMPTY,
  MUC_REFUSE_OWNER_PAYLOAD,
  MUC_REFUSE_CONFIG_MALFORMED,
  MUC_REFUSE_CONFIG_NOT_SUBMIT,
  MUC_REFUSE_CONFIG_FORM_TYPE,
  MUC_REFUSE_CONFIG_VALUE,
  MUC_REFUSE_CONFIG_NO_OWNER,
  MUC_REFUSE_CONFIG_UNKNOWN,
  MUC_REFUSE_CONFIG_NO_SECRET,
  MUC_REFUSE_DESTROY_JID_MALFORMED,
  /* registration (register.c) */
  MUC_REFUSE_REGISTER_BANNED,
  MUC_REFUSE_REGISTER_NOT_ALLOWED,
  MUC_REFUSE_REGISTER_NO_FORM,
  MUC_REFUSE_REGISTER_FORM,
  MUC_REFUSE_REGISTER_NO_NICK,
  MUC_REFUSE_REGISTER_NICK,
  MUC_REFUSE_REGISTER_CONFLICT,
  /* the limits of muc_config (limit.c names the field of each) */
  MUC_REFUSE_LIMIT_ROOMS,
  MUC_REFUSE_LIMIT_ROOMS_PER_CREATOR,
  MUC_REFUSE_LIMIT_OCCUPANTS,
  MUC_REFUSE_LIMIT_SESSIONS,
  MUC_REFUSE_LIMIT_AFFILIATIONS,
  MUC_REFUSE_LIMIT_PENDING,
  MUC_REFUSE_LIMIT_NICK,
  MUC_REFUSE_LIMIT_SUBJECT,
  MUC_REFUSE_LIMIT_REASON,
  MUC_REFUSE_LIMIT_ROOM_NAME,
  MUC_REFUSE_LIMIT_PASSWORD,
  MUC_REFUSE_LIMIT_FORM_VALUE,
  /* room avatars and hats (vcard.c, hats_command.c) */
  MUC_REFUSE_VCARD_FORBIDDEN,
  MUC_REFUSE_VCARD_TOO_BIG,
  MUC_REFUSE_VCARD_INVALID,
  MUC_REFUSE_HATS_UNKNOWN_COMMAND,
  MUC_REFUSE_HATS_FORBIDDEN,
  MUC_REFUSE_HATS_BAD_FIELD,
  MUC_REFUSE_HATS_NO_SUCH_HAT,
  MUC_REFUSE_HATS_LIMIT,
  /* flood control (flood.c), one per kind of stanza */
  MUC_REFUSE_FLOOD_MESSAGE,
  MUC_REFUSE_FLOOD_PRESENCE,
  MUC_REFUSE_FLOOD_VOICE,
  MUC_REFUSE_FLOOD_INVITE,
  MUC_REFUSE_FLOOD_SUBJECT,
  /* destroyed rooms (tombstone.c) */
  MUC_REFUSE_ROOM_GONE,
  /* the message archive (mam.c) and retractions (moderate.c) */
  MUC_REFUSE_MAM_UNAVAILABLE,
  MUC_REFUSE_MAM_FORBIDDEN,
  MUC_REFUSE_MAM_BAD_REQUEST,
  MUC_REFUSE_MAM_FIELD_UNKNOWN,
  MUC_REFUSE_MAM_NOT_FOUND,
  MUC_REFUSE_ARCHIVE_FAILED,
  MUC_REFUSE_MODERATE_BAD_REQUEST,
  MUC_REFUSE_MODERATE_FORBIDDEN,
  MUC_REFUSE_MODERATE_NOT_FOUND,
  MUC_REFUSAL_COUNT
} muc_refusal;

typedef struct muc_refusal_rule {
  const char *name;      /* short and stable: docs and test reports */
  const char *situation; /* what the client did */
  const char *type;      /* cancel, modify, auth, wait */
  const char *cond;      /* urn:ietf:params:xml:ns:xmpp-stanzas element */
  const char *text;      /* <text/>, or NULL */
  const char *cite;      /* where the answer comes from */
} muc_refusal_rule;

/* The row of |r| (NULL past the table). */
const muc_refusal_rule *muc_refusal_rule_of(muc_refusal r);

/* Answer |st| with the error of |r|, generated by |by| (the room or the
 * service).  Errors and iq results are never answered. */
void muc_refuse(muc_service *svc, const mxml_node_t *st, muc_refusal r,
                const char *by);
/* The same with |text| instead of the row's (a field name, a policy). */
void muc_refuse_text(muc_service *svc, const mxml_node_t *st, muc_refusal r,
                     const char *text, const char *by);
/* Answer a refused privilege with the row of its verdict (MUC_ALLOW: no
 * answer). */
void muc_refuse_verdict(muc_service *svc, const mxml_node_t *st, muc_verdict v,
                        const char *by);

#endif
