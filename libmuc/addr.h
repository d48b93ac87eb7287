/* Addresses the service already knows: the real JID of a session in the
 * room a stanza goes to, a room's JID, an occupant's JID.  A stanza that
 * names them byte for byte as they are stored is not prepared again;
 * every other spelling is prepared and then finds the same session, room
 * or occupant by its prepared form.  This needs no memory beyond a flag
 * in each session, room and occupant: the indexes are the room's own. */
#ifndef MUC_ADDR_H
#define MUC_ADDR_H

#include "core.h"
#include "jidcache.h"

/* The session whose real JID is exactly |fa|, in the room |ta| names
 * exactly, if that JID is canonical; else NULL (prepare |fa|). */
muc_session *muc_addr_known_sender(const muc_service *svc, const char *fa,
                                   const char *ta);
/* Is |ta| exactly the JID of a room or of an occupant in it, canonical?
 * 1 or 0 (prepare |ta|). */
int muc_addr_known_target(const muc_service *svc, const char *ta);

/* muc_jid_parse of the sender |fa| of a stanza to |ta|, and of |ta|,
 * without preparation when they are known; MUC_OK, MUC_ERR_INVALID_ARG
 * (malformed) or MUC_ERR_NOMEM, |out| zeroed on failure. */
int muc_addr_parse_from(muc_service *svc, const char *fa, const char *ta,
                        muc_jid *out);
int muc_addr_parse_to(muc_service *svc, const char *ta, muc_jid *out);
/* The same with a known address split into |room| (muc_jid_from_canonical_in):
 * release |out| with muc_jid_release. */
int muc_addr_parse_from_in(muc_service *svc, const char *fa, const char *ta,
                           muc_jid_room *room, muc_jid *out);
int muc_addr_parse_to_in(muc_service *svc, const char *ta, muc_jid_room *room,
                         muc_jid *out);

#endif
