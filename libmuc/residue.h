/* What the service keeps between calls besides its rooms: the cache of
 * prepared JIDs, the delivery queue and two buffers, bounded as
 * docs/limits.md ("What a service keeps between calls") says. */
#ifndef MUC_RESIDUE_H
#define MUC_RESIDUE_H

#include "core.h"

/* At the end of an outermost call: buffers grown past their keep size are
 * given back; with no room left, everything is (the service holds what it
 * held at creation). */
void muc_residue_trim(muc_service *svc);

#endif
