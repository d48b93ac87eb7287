/* A tombstone's stored record (tombstone.h): an XML element of its own
 * beside the room record (docs/room-record.md), read when the room is
 * loaded.  (libmuc writes it with tombstone.c, which stores it.) */
#include <string.h>

#include "store.h"
#include "tombstone.h"

int muc_tombstone_read_record(muc_service *svc, const char *node,
                              const char *data, size_t len)
{
  /* a cheap look first: room records are read by store.c */
  if (len < 11 || memcmp(data, "<tombstone", 10) != 0)
    return 0;
  muc_xml_limits lim = {len + 1, 4, 8, 4};
  mxml_node_t *r = NULL;
  int rc = muc_xml_parse(&svc->mem, data, len, &lim, &r);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_STORAGE;
  unsigned long long until = 0;
  char *reason = NULL;
  rc = MUC_ERR_STORAGE;
  if (muc_xml_is(r, "tombstone", MUC_NS_TOMBSTONE) &&
      muc_store_get_num(r, "until", UINT64_MAX, &until) == 0) {
    mxml_node_t *why = muc_xml_child(r, "reason", MUC_NS_TOMBSTONE);
    reason = why ? muc_xml_text_dup(&svc->mem, why) : NULL;
    if (why && !reason)
      rc = MUC_ERR_NOMEM;
    else if (muc_tombstone_valid(svc, muc_xml_attr(r, "venue"), reason))
      rc = muc_tombstone_take(svc, node, until, muc_xml_attr(r, "venue"),
                              reason, 1);
  }
  muc_mem_free(&svc->mem, reason);
  mxmlDelete(r);
  return rc == MUC_OK ? 1 : rc;
}
