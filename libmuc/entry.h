/* The checks before a session enters a room or takes another nick in it
 * (XEP-0045 §7.2.5-§7.2.10, §7.6), in the order a client can best act
 * on.  Each returns 1 if the session is refused (the error was sent, or
 * out of memory recorded), 0 if it may go on. */
#ifndef MUC_ENTRY_H
#define MUC_ENTRY_H

#include "core.h"

/* |nick| as a room nickname: strict resourceprep, at most max_nick_bytes,
 * not invisible (§17.1).  |by| (the room JID) generates the error. */
int muc_entry_refuse_nick(muc_service *svc, const mxml_node_t *st,
                          const char *nick, const char *by);

/* |from| joining |room| as |nick|; |dest| is the occupant that already
 * has that nick, NULL if none. */
int muc_entry_refuse_join(muc_room *room, const mxml_node_t *st,
                          const muc_jid *from, const char *nick,
                          const muc_occupant *dest);

/* The session |from| of |orig| moving to |nick| (§7.6); |dest| as for a
 * join. */
int muc_entry_refuse_nick_change(muc_room *room, const mxml_node_t *st,
                                 const muc_jid *from, const muc_occupant *orig,
                                 const char *nick, const muc_occupant *dest);

#endif
