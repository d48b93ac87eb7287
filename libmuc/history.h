/* The discussion history a room replays to newcomers (XEP-0045 §7.2.15):
 * a ring of messages kept as the serialized text they were broadcast as,
 * bounded in messages (history length) and in bytes (max_history_bytes). */
#ifndef MUC_HISTORY_H
#define MUC_HISTORY_H

#include "core.h"

/* Keep the groupchat message |text|/|len| (as broadcast, no 'to'),
 * stamped now.  1 if it entered the history; 0 if not (no history, larger
 * than max_history_bytes, or out of memory, which is recorded). */
int muc_history_add(muc_room *room, const char *text, size_t len);
/* Put back an entry read from a stored record as the newest: |text|/|len|
 * is the message as muc_history_add() kept it (its delay included),
 * stamped |ts|.  The caller checked it against the limits.  1 if kept; 0
 * if the ring is full, it is over max_history_bytes or out of memory
 * (recorded). */
int muc_history_restore(muc_room *room, const char *text, size_t len,
                        uint64_t ts);
/* Entries kept, and entry |i| (0: the oldest; i < count), borrowed until
 * the history changes. */
size_t muc_history_count(const muc_room *room);
void muc_history_get(const muc_room *room, size_t i, const char **text,
                     size_t *len, uint64_t *ts);
/* Entry |i| itself (0: the oldest; i < count), borrowed likewise. */
const muc_history_entry *muc_history_entry_at(const muc_room *room, size_t i);
/* UTF-8 characters of |s|/|n| (bytes that are not continuation bytes):
 * what maxchars counts (§7.2.15). */
size_t muc_history_chars(const char *s, size_t n);
/* Replace the text of entry |i| (0: the oldest) by |text|/|len| (a
 * tombstone), keeping its stamp; the feed tells the whole history again.
 * MUC_OK or MUC_ERR_NOMEM (recorded; the entry stays). */
int muc_history_replace(muc_room *room, size_t i, const char *text, size_t len);
/* Drop all history (history length changed to 0, room destroyed). */
void muc_history_clear(muc_room *room);
/* Resize the history ring to |len| entries, keeping the newest. */
int muc_history_resize(muc_room *room, size_t len);

#endif
