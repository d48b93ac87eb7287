/* Entry points whose work is a call of the service (service.c): run at
 * once, or deferred when made from inside a callback. */
#ifndef MUC_CALL_H
#define MUC_CALL_H

#include "core.h"

/* A call of |kind| on a copy of |data|/|len|.  MUC_ERR_INVALID_ARG (NULL
 * |svc|, NULL |data| with |len| > 0), the service's fatal code, or what
 * the call returns (MUC_OK when it was deferred). */
int muc_call_with_data(muc_service *svc, muc_call_kind kind, const char *data,
                       size_t len);

/* The work of those calls. */
int muc_snapshot_restore(muc_service *svc, const char *data, size_t len);
int muc_feed_apply(muc_service *svc, const char *data, size_t len);
/* Every room the call changed tells the feed, before the deliveries. */
void muc_feed_flush(muc_service *svc);

#endif
