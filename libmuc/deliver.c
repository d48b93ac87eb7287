#include "deliver.h"

#include <string.h>

#include "stanza.h"

static void deliver_bytes(muc_service *svc, const muc_delivery *d)
{
  const muc_outq *q = &svc->outq;
  const char *text = muc_outq_text(q, &d->t);
  const char *to = muc_outq_to(q, d);
  int rc;
  if (d->t.splice == MUC_OUTQ_WHOLE) {
    rc = svc->cb.send_bytes(to, text, d->t.len, svc->ud);
  } else {
    muc_buf *b = &svc->out;
    muc_buf_reset(b);
    /* one growth for the whole stanza: the recipient rarely needs escaping,
     * and then this is three copies */
    size_t tl = strlen(to);
    muc_buf_reserve(b, d->t.len + tl + 7);
    muc_buf_append(b, text, d->t.splice);
    muc_buf_append(b, " to=\"", 5);
    if (muc_outq_to_is_plain(d)) /* known when its session was made */
      muc_buf_append(b, to, tl);
    else
      muc_buf_append_escaped(b, to, tl, 1);
    muc_buf_putc(b, '"');
    muc_buf_append(b, text + d->t.splice, d->t.len - d->t.splice);
    if (b->oom) {
      muc_fail(svc, MUC_ERR_NOMEM);
      return;
    }
    rc = svc->cb.send_bytes(to, b->data, b->len, svc->ud);
  }
  if (rc != 0)
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
}

/* A tree host: one parse per template, so the recipients of a broadcast
 * share one tree in which only 'to' changes. */
typedef struct tree_cache {
  mxml_node_t *tree;
  uint32_t of; /* the template's offset; UINT32_MAX: none */
} tree_cache;

static void deliver_tree(muc_service *svc, const muc_delivery *d,
                         tree_cache *tc)
{
  const muc_outq *q = &svc->outq;
  if (!tc->tree || tc->of != d->t.off) {
    mxmlDelete(tc->tree);
    tc->of = d->t.off;
    tc->tree = muc_tree_of_text(svc, muc_outq_text(q, &d->t), d->t.len);
    if (!tc->tree)
      return;
  }
  if (d->t.splice != MUC_OUTQ_WHOLE &&
      muc_xml_set_attr(tc->tree, "to", muc_outq_to(q, d)) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  if (svc->send_tree(tc->tree, svc->ud) != 0)
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
}

void muc_deliver_all(muc_service *svc)
{
  muc_outq *q = &svc->outq;
  tree_cache tc = {NULL, UINT32_MAX};
  /* Nested entry point calls are deferred, so nothing is queued while a
   * callback runs; the index is re-read each turn all the same. */
  while (q->next < q->n && !svc->oom) {
    muc_delivery d = q->d[q->next++];
    if (svc->send_tree)
      deliver_tree(svc, &d, &tc);
    else
      deliver_bytes(svc, &d);
  }
  mxmlDelete(tc.tree);
  muc_outq_reset(q);
}
