/* The host's message archive: installing it (muc_service_set_archive).
 * The rooms' use of it is in the MAM and retraction handlers. */
#include "archive.h"

MUC_EXTERN int muc_service_set_archive(muc_service *svc, int version,
                                       const muc_archive *archive,
                                       void *user_data)
{
  if (!svc || (archive && version != MUC_ARCHIVE_V1))
    return MUC_ERR_INVALID_ARG;
  if (archive && (!archive->append || !archive->query || !archive->retract))
    return MUC_ERR_INVALID_ARG;
  /* copied by value: a call up the stack has already read the member it
   * calls, so replacing it from a callback is safe */
  if (archive)
    svc->archive = *archive; /* V1 is the whole struct */
  else
    svc->archive = (muc_archive){0};
  svc->archive_ud = archive ? user_data : NULL;
  return MUC_OK;
}
