/* The host's message archive (muc_service_set_archive): kept on the
 * service, asked by the rooms that archive (append, query, retract). */
#ifndef MUC_ARCHIVE_H
#define MUC_ARCHIVE_H

#include "core.h"

/* The archive set, or NULL when the host set none. */
static inline const muc_archive *muc_archive_of(const muc_service *svc)
{
  return svc->archive.append ? &svc->archive : NULL;
}

#endif
