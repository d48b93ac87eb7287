/* XEP-0359 stanza ids: the <stanza-id/> a room puts on the groupchat
 * messages it passes on, and the forged ones it takes off. */
#ifndef MUC_STANZA_ID_H
#define MUC_STANZA_ID_H

#include "core.h"

#define MUC_NS_SID "urn:xmpp:sid:0"

/* Is |c| a <stanza-id/> claiming to be by |by| (XEP-0359 §5: the entity
 * adding stanza ids removes any a client sent in its name; those of
 * other entities are passed on)? */
int muc_stanza_id_claims(const mxml_node_t *c, const char *by);
/* <stanza-id xmlns="urn:xmpp:sid:0" id="|id|" by="|by|"/> as bytes into
 * |b|, or as a child of |parent| (the same bytes once serialized). */
void muc_stanza_id_put(muc_buf *b, const char *id, const char *by);
void muc_stanza_id_add(muc_service *svc, mxml_node_t *parent, const char *id,
                       const char *by);

#endif
