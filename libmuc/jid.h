/* JIDs (RFC 7622 via the stringprep profiles of RFC 3920, as XMPP servers
 * still apply them): nodeprep, nameprep, resourceprep, as libidn does them
 * (jidprep_ascii.h). */
#ifndef MUC_JID_H
#define MUC_JID_H

#include <stddef.h>

#include "mem.h"

/* Each of node, domain, resource: at most this many bytes (RFC 7622 §3.1). */
#define MUC_JID_PART_MAX 1023

typedef struct muc_jid {
  char *node;     /* NULL if absent */
  char *domain;   /* never NULL after a successful parse */
  char *resource; /* NULL if absent */
  char *bare;     /* node@domain or domain */
  char *full;     /* bare[/resource] */
} muc_jid;        /* all five point into one allocation owned by the jid */

/* Parse and normalize |s|.  Each part at most 1023 bytes after prep;
 * empty node or resource ("@d", "d/") is malformed.  Returns MUC_OK,
 * MUC_ERR_INVALID_ARG (malformed: the caller answers <jid-malformed/>) or
 * MUC_ERR_NOMEM. On failure |out| is zeroed. */
int muc_jid_parse(muc_mem *m, const char *s, muc_jid *out);
void muc_jid_clear(muc_mem *m, muc_jid *j);
/* A copy of the parsed |src| (one allocation, as muc_jid_parse makes).
 * MUC_OK or MUC_ERR_NOMEM (|dst| zeroed). */
int muc_jid_copy(muc_mem *m, const muc_jid *src, muc_jid *dst);

/* Is |s| its own preparation: muc_jid_parse(s) succeeds and gives |s|
 * back as |full|?  1 or 0; allocates nothing. */
int muc_jid_is_canonical(const char *s);
/* |out| for a JID string known to be canonical (muc_jid_is_canonical):
 * split, not prepared.  MUC_OK or MUC_ERR_NOMEM (|out| zeroed). */
int muc_jid_from_canonical(muc_mem *m, const char *s, muc_jid *out);
/* The same in the caller's |room| when the parts fit (a stanza's known
 * sender and target need no allocation), else in a new block; |room|
 * NULL: always a new block.  Release |out| with muc_jid_release. */
typedef struct muc_jid_room {
  char bytes[320]; /* a JID of up to about 100 bytes: its five parts */
} muc_jid_room;
int muc_jid_from_canonical_in(muc_mem *m, const char *s, muc_jid_room *room,
                              muc_jid *out);
/* muc_jid_parse of |s| whose first |bare_len| bytes, followed by '/',
 * are a canonical bare JID: only the resource is prepared (into |room|
 * as muc_jid_from_canonical_in does).  The same codes as muc_jid_parse. */
int muc_jid_parse_after_bare(muc_mem *m, const char *s, size_t bare_len,
                             muc_jid_room *room, muc_jid *out);
/* muc_jid_clear for a JID that may live in |room| (which it then only
 * forgets). */
void muc_jid_release(muc_mem *m, muc_jid *j, const muc_jid_room *room);

/* Resourceprep |nick| for use as a room nickname.  |strict| refuses
 * unassigned code points (as for a join).  *out is allocated in |m|.
 * Returns MUC_OK; MUC_ERR_INVALID_ARG when it is no JID resource (empty,
 * prohibited, over 1023 bytes before or after preparation); MUC_ERR_LIMIT
 * when it is one but longer than |max_bytes| after preparation (0: no
 * limit but 1023); or MUC_ERR_NOMEM. */
int muc_nick_prep(muc_mem *m, const char *nick, int strict, size_t max_bytes,
                  char **out);

/* Bare part of a full JID string already normalized (no prep): a copy of
 * |full| up to the first '/'. */
char *muc_jid_bare_of(muc_mem *m, const char *full);

#endif
