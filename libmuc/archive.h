/* The host's message archive (muc_service_set_archive): kept on the
 * service, asked by the rooms that archive (append, query, retract). */
#ifndef MUC_ARCHIVE_H
#define MUC_ARCHIVE_H

#include <string.h>

#include "core.h"
#include "stanza_id.h"

/* The archive set, or NULL when the host set none. */
static inline const muc_archive *muc_archive_of(const muc_service *svc)
{
  return svc->archive.append ? &svc->archive : NULL;
}

/* The longest stanza-id the room makes (make_id's buffer). */
#define MUC_STANZA_ID_MAX 64

#define MUC_NS_MAM "urn:xmpp:mam:2"
#define MUC_NS_MAM_EXTENDED "urn:xmpp:mam:2#extended"
#define MUC_NS_RSM "http://jabber.org/protocol/rsm"
#define MUC_NS_FORWARD "urn:xmpp:forward:0"
#define MUC_NS_RETRACT "urn:xmpp:message-retract:1"
#define MUC_NS_MODERATE "urn:xmpp:message-moderate:1"
/* XEP-0425 0.2 (still what many clients send), on XEP-0422 fastening and
 * XEP-0424 0.3 */
#define MUC_NS_MODERATE_0 "urn:xmpp:message-moderate:0"
#define MUC_NS_RETRACT_0 "urn:xmpp:message-retract:0"
#define MUC_NS_FASTEN "urn:xmpp:fasten:0"

/* The configuration field that turns archiving on (XEP-0313 §8.1). */
#define MUC_FIELD_ARCHIVING "muc#roomconfig_enablearchiving"

/* Does |room| archive: its configuration says so and the host set an
 * archive. */
static inline int muc_archive_on(const muc_room *room)
{
  return room->cfg.archiving && muc_archive_of(room->svc);
}

/* Is the owner form's field |var| shown: the archiving field only when
 * the host set an archive (without one it would change nothing). */
static inline int muc_archive_field_shown(const muc_room *room, const char *var)
{
  return muc_archive_of(room->svc) || strcmp(var, MUC_FIELD_ARCHIVING) != 0;
}

/* One archived message of a page, copied from the host. */
typedef struct muc_archive_entry {
  char *stanza_id;
  uint64_t time;
  char *xml;
  size_t len;
  char *real_jid; /* NULL: the host gave none */
} muc_archive_entry;

/* The page a query fills (muc_archive_page_add/_end); owned by the
 * handler that asked. */
struct muc_archive_page {
  muc_service *svc;
  uint32_t max;               /* the query's max */
  uint32_t n;                 /* entries filled */
  muc_archive_entry *entries; /* |max| slots */
  int complete;               /* muc_archive_page_end said so */
  uint32_t count;             /* matching in all; UINT32_MAX unknown */
};

/* Make |page| ready for at most |max| (>= 1) messages.  MUC_OK or
 * MUC_ERR_NOMEM (recorded). */
int muc_archive_page_init(muc_archive_page *page, muc_service *svc,
                          uint32_t max);
/* Free what |page| holds (it may be half filled). */
void muc_archive_page_clear(muc_archive_page *page);

/* A subject change |m| (no 'to') about to be broadcast by |room|, set by
 * the session |sender| (NULL: the room): when the room archives, it gets
 * its <stanza-id/> and goes to the archive's append (XEP-0313: subject
 * changes are stored too; message_archived is not told, as before). */
void muc_archive_subject(muc_room *room, mxml_node_t *m, const char *sender);

/* The features of an archiving room, into the disco#info answer |q|:
 * MAM (with #extended: before-id, after-id, ids, flipped pages), stanza
 * ids, retraction and moderation.  Nothing for a room that does not
 * archive. */
void muc_archive_disco_features(muc_room *room, mxml_node_t *q);

/* Who sent a message the room broadcast and how the occupants got it, as
 * the caller knows: the archive and message_archived are told without
 * reading the bytes again. */
typedef struct muc_post_origin {
  const char *nick;      /* the sender's nick */
  const char *sender;    /* the session's real full JID; NULL: the
                            occupant's primary one */
  const char *id;        /* the 'id' the occupants received */
  const char *stanza_id; /* the XEP-0359 id it carries; NULL: none (a
                            fresh one is made for the archive) */
} muc_post_origin;

/* The groupchat message |xml|/|len| was broadcast (as the history keeps
 * it, without 'to') from |o|: given to message_archived and, when the
 * room archives, to the archive's append (a failure of either is
 * MUC_ERR_STORAGE). */
void muc_archive_post(muc_room *room, const char *xml, size_t len, int historic,
                      const muc_post_origin *o);

#endif
