/* XEP-0421 occupant ids: a keyed hash of the room and the real bare JID,
 * made once per occupant (occupant.c) from the service's secret. */
#ifndef MUC_OCCUPANT_ID_H
#define MUC_OCCUPANT_ID_H

#include <mxml.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define MUC_NS_OCCUPANT_ID "urn:xmpp:occupant-id:0"
/* The shortest secret a service accepts (muc_config). */
#define MUC_OCCUPANT_ID_MIN_SECRET 16
/* Characters of an id: 18 bytes of the MAC in base64url, no padding. */
#define MUC_OCCUPANT_ID_CHARS 24
/* <occupant-id xmlns="urn:xmpp:occupant-id:0" id="..."/>: its bytes
 * before the id, and in all. */
#define MUC_OCCUPANT_ID_EL_HEAD                                                \
  "<occupant-id xmlns=\"" MUC_NS_OCCUPANT_ID "\" id=\""
#define MUC_OCCUPANT_ID_EL_LEN                                                 \
  (sizeof(MUC_OCCUPANT_ID_EL_HEAD) - 1 + MUC_OCCUPANT_ID_CHARS + 3)

/* The service's key: HMAC-SHA256 state keyed with the secret (the secret
 * itself is not kept). */
typedef struct muc_occupant_key muc_occupant_key;

/* A key for |secret| (|len| >= MUC_OCCUPANT_ID_MIN_SECRET bytes) into
 * *|out|.  MUC_OK, MUC_ERR_INVALID_ARG (too short), MUC_ERR_NOMEM. */
int muc_occupant_key_new(muc_mem *mem, const uint8_t *secret, size_t len,
                         muc_occupant_key **out);
void muc_occupant_key_free(muc_mem *mem, muc_occupant_key *key);

/* The element <occupant-id .../> of the user |bare_jid| in the room
 * |room_jid| into |el| (MUC_OCCUPANT_ID_EL_LEN bytes and a NUL).  The
 * JIDs are prepared, so they need no escaping and hold no NUL, which
 * frames them. */
void muc_occupant_id_el(const muc_occupant_key *key, const char *room_jid,
                        const char *bare_jid, char *el);
/* The id in an element made by muc_occupant_id_el() (not NUL-ended:
 * MUC_OCCUPANT_ID_CHARS bytes). */
static inline const char *muc_occupant_id_of_el(const char *el)
{
  return el + sizeof(MUC_OCCUPANT_ID_EL_HEAD) - 1;
}

/* Is |c| an <occupant-id/> (XEP-0421 §4: the room replaces any a client
 * sends)? */
int muc_occupant_id_is(const mxml_node_t *c);

struct muc_service;
/* The element |el| (made by muc_occupant_id_el()) as a child of |parent|:
 * serialized, the same bytes (NOMEM recorded). */
void muc_occupant_id_add(struct muc_service *svc, mxml_node_t *parent,
                         const char *el);

#endif
