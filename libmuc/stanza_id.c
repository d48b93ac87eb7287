/* XEP-0359 stanza ids by the room. */
#include "stanza_id.h"

#include <string.h>

#include "stanza.h"

int muc_stanza_id_claims(const mxml_node_t *c, const char *by)
{
  if (!muc_xml_is(c, "stanza-id", MUC_NS_SID))
    return 0;
  const char *claimed = muc_xml_attr(c, "by");
  return claimed && strcmp(claimed, by) == 0;
}

void muc_stanza_id_put(muc_buf *b, const char *id, const char *by)
{
  muc_buf_puts(b, "<stanza-id xmlns=\"" MUC_NS_SID "\"");
  muc_buf_put_attr(b, "id", id);
  muc_buf_put_attr(b, "by", by);
  muc_buf_puts(b, "/>");
}

void muc_stanza_id_add(muc_service *svc, mxml_node_t *parent, const char *id,
                       const char *by)
{
  mxml_node_t *s = muc_el(svc, parent, "stanza-id", MUC_NS_SID);
  muc_attr(svc, s, "id", id);
  muc_attr(svc, s, "by", by);
}
