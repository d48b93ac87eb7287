/* The muc#user payload of presences, written as bytes (userx.h). */
#include "userx.h"

#include <string.h>

#include "affiliation.h"
#include "xml.h"

void muc_userx_open(muc_buf *b)
{
  muc_buf_puts(b, "<x xmlns=\"" MUC_NS_USER "\">");
}

void muc_userx_close(muc_buf *b, int empty)
{
  if (!empty) {
    muc_buf_puts(b, "</x>");
    return;
  }
  /* the opening's '>' becomes "/>" */
  if (b->oom || !b->len || b->data[b->len - 1] != '>')
    return;
  b->data[--b->len] = '\0';
  muc_buf_append(b, "/>", 2);
}

/* ' name="value"' when |value| is set. */
static void attr(muc_buf *b, const char *name, const char *value)
{
  if (!value)
    return;
  muc_buf_putc(b, ' ');
  muc_buf_puts(b, name);
  muc_buf_append(b, "=\"", 2);
  muc_buf_append_escaped(b, value, strlen(value), 1);
  muc_buf_putc(b, '"');
}

void muc_userx_put_item(muc_buf *b, const muc_userx_item *it)
{
  muc_buf_puts(b, "<item");
  attr(b, "affiliation", muc_affiliation_name(it->aff));
  attr(b, "jid", it->jid);
  attr(b, "nick", it->nick);
  attr(b, "role", it->role);
  int actor = it->actor_nick || it->actor_jid;
  if (!actor && !it->reason) {
    muc_buf_append(b, "/>", 2);
    return;
  }
  muc_buf_putc(b, '>');
  if (actor) {
    muc_buf_puts(b, "<actor");
    attr(b, "nick", it->actor_nick);
    attr(b, "jid", it->actor_jid);
    muc_buf_append(b, "/>", 2);
  }
  if (it->reason && *it->reason) {
    muc_buf_puts(b, "<reason>");
    muc_buf_append_escaped(b, it->reason, strlen(it->reason), 0);
    muc_buf_puts(b, "</reason>");
  } else if (it->reason) {
    muc_buf_puts(b, "<reason/>"); /* an empty text adds no node */
  }
  muc_buf_puts(b, "</item>");
}

void muc_userx_put_status(muc_buf *b, int code)
{
  /* status codes are three digits (XEP-0045 §15.6.2) */
  muc_buf_puts(b, "<status code=\"");
  if (code < 0)
    muc_buf_putc(b, '-');
  muc_buf_put_u64(b, code < 0 ? 0ull - (unsigned long long)code
                              : (unsigned long long)code);
  muc_buf_puts(b, "\"/>");
}

int muc_userx_put_copy(muc_buf *b, const mxml_node_t *el)
{
  /* written inside a real <x/>, so that it is what the tree would give,
   * then taken out of it */
  static const char open[] = "<x xmlns=\"" MUC_NS_USER "\">";
  const size_t ol = sizeof(open) - 1, cl = strlen("</x>");
  mxml_node_t *x = muc_xml_new(NULL, "x", MUC_NS_USER);
  muc_buf t;
  muc_buf_init(&t, b->mem);
  int rc = x && muc_xml_copy(x, el) ? muc_xml_write(&t, x) : MUC_ERR_NOMEM;
  if (rc == MUC_OK && t.len >= ol + cl && memcmp(t.data, open, ol) == 0)
    rc = muc_buf_append(b, t.data + ol, t.len - ol - cl);
  muc_buf_free(&t);
  mxmlDelete(x);
  return rc;
}
