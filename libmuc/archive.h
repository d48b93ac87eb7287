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

/* One archived message of a page, copied from the host. */
typedef struct muc_archive_entry {
  char *stanza_id;
  uint64_t time;
  char *xml;
  size_t len;
} muc_archive_entry;

/* The page a query fills (muc_archive_page_add/_end); owned by the
 * handler that asked. */
struct muc_archive_page {
  muc_service *svc;
  uint32_t max;               /* the query's max */
  uint32_t n;                 /* entries filled */
  muc_archive_entry *entries; /* |max| slots */
  int complete;               /* muc_archive_page_end said so */
  uint32_t count;             /* matching in all; UINT32_MAX unknown */
};

/* Make |page| ready for at most |max| (>= 1) messages.  MUC_OK or
 * MUC_ERR_NOMEM (recorded). */
int muc_archive_page_init(muc_archive_page *page, muc_service *svc,
                          uint32_t max);
/* Free what |page| holds (it may be half filled). */
void muc_archive_page_clear(muc_archive_page *page);

#endif
