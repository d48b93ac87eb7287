/* Occupants and their sessions, and the room's indexes over them. */
#ifndef MUC_OCCUPANT_H
#define MUC_OCCUPANT_H

#include "core.h"

/* New occupant (not yet in the room) of the user |full_jid| (prepared),
 * with room in its block for that session.  NULL on NOMEM (recorded). */
muc_occupant *muc_occupant_new(muc_room *room, const char *nick,
                               const char *full_jid);
/* The <occupant-id/> element of |occ| (XEP-0421), "" when the service
 * gives none. */
const char *muc_occupant_id(const muc_occupant *occ);
/* Add it, if any, as the last child of |st| (NOMEM recorded). */
void muc_occupant_id_attach(muc_service *svc, mxml_node_t *st,
                            const muc_occupant *occ);
/* Free an occupant that is no longer indexed in its room. */
void muc_occupant_free(muc_room *room, muc_occupant *occ);

muc_session *muc_occupant_session(const muc_occupant *occ, const char *jid);
/* Record |presence| (the client's stanza, borrowed) as the presence of
 * session |jid|: serialized without MUC payloads, from = occupant JID. */
int muc_occupant_set_session(muc_room *room, muc_occupant *occ, const char *jid,
                             const mxml_node_t *presence);
/* Same with a generated <presence type='unavailable'/> (optionally with a
 * <status/> text). */
int muc_occupant_set_unavailable(muc_room *room, muc_occupant *occ,
                                 const char *jid, const char *status);
void muc_occupant_remove_session(muc_room *room, muc_occupant *occ,
                                 const char *jid);
/* A stored presence in pieces: <presence from="|from|" (when |from| is
 * not NULL), then |head| (the rest of the start tag, no '>'), then the
 * children |body|. */
typedef struct muc_pres_src {
  const char *from;
  const char *head;
  size_t hl;
  const char *body;
  size_t bl;
  const char *oid; /* the occupant's <occupant-id/>, after the muc#user
                      payload ("" or NULL: none) */
} muc_pres_src;
/* The stored presence of session |s| of |o| (borrowed from both). */
void muc_session_src(const muc_occupant *o, const muc_session *s,
                     muc_pres_src *out);
/* Append the start tag of |b| without its '>'. */
void muc_pres_put_head(muc_buf *out, const muc_pres_src *b);

/* Sessions that receive what is sent to the occupant: the available ones,
 * and the primary one even if it is leaving. */
int muc_session_is_reachable(const muc_occupant *occ, const muc_session *s);
/* Number of available sessions. */
size_t muc_occupant_live_sessions(const muc_occupant *occ);

/* Re-index |occ| after its sessions or role changed (XEP-0045 §7.2, §7.14).
 * An occupant with no available session, or whose role is none, leaves
 * the room's indexes (its role field is left as it was): returns 0 then
 * (the caller announces and frees it); 1 if it is in the room. */
int muc_room_save_occupant(muc_room *room, muc_occupant *occ);
/* Drop sessions that are unavailable and not primary. */
void muc_occupant_prune(muc_room *room, muc_occupant *occ);

muc_occupant *muc_room_occupant_by_nick(const muc_room *room, const char *nick);
muc_occupant *muc_room_occupant_by_jid(const muc_room *room,
                                       const char *full_jid);

#endif
