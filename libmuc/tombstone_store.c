/* The encodings of a tombstone (tombstone.h): its stored record, an XML
 * element of its own beside the room record (docs/room-record.md), and
 * its snapshot form, which the change feed also uses
 * (docs/snapshot.md). */
#include <string.h>

#include "limit.h"
#include "snapshot.h"
#include "store.h"
#include "tombstone.h"

#define MUC_NS_TOMBSTONE "urn:libmuc:tombstone:1"

int muc_tombstone_write_record(const muc_service *svc, const muc_tombstone *t,
                               muc_buf *out)
{
  muc_buf_puts(out, "<tombstone xmlns=\"" MUC_NS_TOMBSTONE "\"");
  muc_buf_puts(out, " jid=\"");
  muc_buf_append_escaped(out, t->node, strlen(t->node), 1);
  muc_buf_putc(out, '@');
  muc_buf_puts(out, svc->domain);
  muc_buf_puts(out, "\" until=\"");
  muc_buf_put_u64(out, t->until);
  muc_buf_putc(out, '"');
  if (t->venue)
    muc_buf_put_attr(out, "venue", t->venue);
  if (!t->reason) {
    muc_buf_puts(out, "/>");
  } else {
    muc_buf_puts(out, "><reason>");
    muc_buf_append_escaped(out, t->reason, strlen(t->reason), 0);
    muc_buf_puts(out, "</reason></tombstone>");
  }
  return out->oom ? MUC_ERR_NOMEM : MUC_OK;
}

/* A venue is a prepared JID; a reason within max_reason_bytes. */
static int valid(const muc_service *svc, const char *venue, const char *reason)
{
  return (!venue || (*venue && muc_jid_is_canonical(venue))) &&
         !muc_limit_text_exceeded(svc, MUC_LIMIT_REASON, reason);
}

/* Take a tombstone read from storage: expired, its record is deleted. */
static int take(muc_service *svc, const char *node, uint64_t until,
                const char *venue, const char *reason, int from_store)
{
  if (until > svc->now)
    return muc_tombstone_put(svc, node, until, venue, reason, 0);
  if (from_store) {
    /* laid and expired at once: the record goes */
    int rc = muc_tombstone_put(svc, node, until, venue, reason, 0);
    if (rc == MUC_OK)
      muc_tombstone_find(svc, node);
    return rc;
  }
  return MUC_OK; /* from a snapshot or an event: long gone, nothing kept */
}

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
    else if (valid(svc, muc_xml_attr(r, "venue"), reason))
      rc = take(svc, node, until, muc_xml_attr(r, "venue"), reason, 1);
  }
  muc_mem_free(&svc->mem, reason);
  mxmlDelete(r);
  return rc == MUC_OK ? 1 : rc;
}

void muc_tombstone_put_snap(muc_buf *b, const muc_tombstone *t)
{
  muc_snap_put_u64(b, t->until);
  muc_snap_put_opt(b, t->venue);
  muc_snap_put_opt(b, t->reason);
}

int muc_tombstone_read_snap(muc_service *svc, const char *node,
                            struct muc_snap_in *in)
{
  char *venue = NULL, *reason = NULL;
  uint64_t until = muc_snap_u64(in);
  int rc = in->bad ? MUC_ERR_STORAGE : muc_snap_opt(svc, in, &venue);
  if (rc == MUC_OK)
    rc = muc_snap_opt(svc, in, &reason);
  if (rc == MUC_OK && (in->left || !valid(svc, venue, reason)))
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK)
    rc = take(svc, node, until, venue, reason, 0);
  muc_mem_free(&svc->mem, venue);
  muc_mem_free(&svc->mem, reason);
  return rc;
}
