/* The discussion history a room replays to newcomers (XEP-0045 §7.2.15):
 * a ring of messages kept as the serialized text they were broadcast as,
 * bounded in messages (history length) and in bytes (max_history_bytes). */
#ifndef MUC_HISTORY_H
#define MUC_HISTORY_H

#include "core.h"

/* Keep the groupchat message |text|/|len| (as broadcast, no 'to'),
 * stamped now.  Records NOMEM. */
void muc_history_add(muc_room *room, const char *text, size_t len);
/* History for a new session |to|, limited by the <history/> element of the
 * join's <x xmlns='...muc'/> (|muc_x| may be NULL). */
void muc_message_send_history(muc_room *room, const char *to,
                              const mxml_node_t *muc_x);
/* Drop all history (history length changed to 0, room destroyed). */
void muc_history_clear(muc_room *room);
/* Resize the history ring to |len| entries, keeping the newest. */
int muc_history_resize(muc_room *room, size_t len);

#endif
