/* The service's cache of prepared JIDs: MUC_JID_CACHE slots, each a raw
 * address and its preparation, so that senders who come back with a
 * non-ASCII address do not pay libidn again. */
#ifndef MUC_JIDCACHE_H
#define MUC_JIDCACHE_H

#include "core.h"

/* muc_jid_parse of |raw| through the cache: MUC_OK, MUC_ERR_INVALID_ARG
 * (malformed) or MUC_ERR_NOMEM.  Only valid JIDs are kept. */
int muc_jidcache_parse(muc_service *svc, const char *raw, muc_jid *out);
/* Drop every cached JID. */
void muc_jidcache_free(muc_service *svc);

/* Is the stored address |jid| its own preparation (muc_jid_is_canonical)?
 * Computed when a session, room or occupant is made, so that exact-bytes
 * look-ups can stand for preparation; 1 or 0.  The last addresses that
 * arrived already prepared answer without preparing them again. */
int muc_addr_canonical(const muc_service *svc, const char *jid);

#endif
