/* Handing the queued deliveries to the host: as bytes with the recipient
 * spliced in, or as trees for hosts of muc_mxml.h. */
#ifndef MUC_DELIVER_H
#define MUC_DELIVER_H

#include "core.h"

/* Deliver everything queued, in order, then empty the queue.  Failures
 * are recorded (muc_fail).  After a callback failure the remaining
 * deliveries are still made; after running out of memory (fatal) none
 * is, so that what was delivered is always a prefix of what would have
 * been. */
void muc_deliver_all(muc_service *svc);

#endif
