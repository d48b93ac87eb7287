/* Reserved nicks enforced (muc_config.enforce_reserved_nicks, §7.2.12
 * status 210): nick_enforce.c. */
#ifndef MUC_NICK_ENFORCE_H
#define MUC_NICK_ENFORCE_H

#include "core.h"

/* The nick |from| enters |room| under instead of |asked|: 1 with *|out|
 * a copy of its reserved nick (the caller frees it with svc->mem); 0
 * when it enters as asked (nothing enforced, no reserved nick, the same
 * one); -1 out of memory (recorded). */
int muc_nick_assigned(muc_room *room, const muc_jid *from, const char *asked,
                      char **out);

/* Is |nick| (the prepared resource of |st|'s 'to') not what |st| asked
 * for, Resourceprep having changed it? */
int muc_nick_was_prepared(const mxml_node_t *st, const char *nick);

/* An occupant |from| moving to |nick| (§7.6) away from its enforced
 * reserved nick: not-acceptable sent, 1; else 0. */
int muc_nick_refuse_unreserved(muc_room *room, const mxml_node_t *st,
                               const muc_jid *from, const char *nick);

#endif
