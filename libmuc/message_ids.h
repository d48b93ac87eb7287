/* The ids a room puts on a message it passes on for an occupant:
 * XEP-0421 <occupant-id/> and XEP-0359 <stanza-id/>, and the forged ones
 * it takes off what the client sent. */
#ifndef MUC_MESSAGE_IDS_H
#define MUC_MESSAGE_IDS_H

#include "core.h"

/* Is the child |c| of a client's message an id only the room may give:
 * any <occupant-id/>, a <stanza-id/> by the room? */
int muc_message_id_forged(const muc_room *room, const mxml_node_t *c);
/* With muc_config.stanza_id on, a new stanza id (make_id) into |buf|
 * (|size| bytes), returned; otherwise NULL. */
const char *muc_message_stanza_id(muc_room *room, char *buf, size_t size);
/* Does a message of |occ| with stanza id |sid| (NULL: none) get ids? */
int muc_message_has_ids(const muc_occupant *occ, const char *sid);
/* Its ids as the last children: as bytes into |b|, or into the tree |m|
 * (the same bytes once serialized). */
void muc_message_ids_put(const muc_room *room, const muc_occupant *occ,
                         const char *sid, muc_buf *b);
void muc_message_ids_add(muc_room *room, const muc_occupant *occ,
                         const char *sid, mxml_node_t *m);

#endif
