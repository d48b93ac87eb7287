/* Namespace-aware helpers over Mini-XML trees, builders, the deep copy and
 * libmuc's one serializer (the parser is in xml_parse.c).
 *
 * Mini-XML is used only as a tree container.  It knows nothing of
 * namespaces, and its writer wraps lines and uses per-thread settings, so
 * output is produced by our own writer (see shared/docs/mxml-notes.md). */
#include "xml.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NS_SERVER "jabber:server"
#define NS_COMPONENT "jabber:component:accept"

static mxml_node_t *nc(const mxml_node_t *n)
{
  return muc_xml_nc(n);
}

/* ------------------------------------------------------------------ */
/* Namespaces and lookup                                               */
/* ------------------------------------------------------------------ */

/* mxml keeps comments, PIs, DOCTYPE and CDATA as ELEMENT nodes whose
 * names start with '!' or '?'. */
int muc_xml_is_special(const mxml_node_t *n)
{
  const char *e = mxmlGetElement(nc(n));
  return !e || e[0] == '!' || e[0] == '?';
}

static int is_element(const mxml_node_t *n)
{
  return n && mxmlGetType(nc(n)) == MXML_ELEMENT && !muc_xml_is_special(n);
}

/* The value declared for prefix |pfx| (|plen| bytes; 0 = the default
 * namespace) on |el| or its ancestors, stopping after |stop| (NULL = go
 * to the top).  *|decl| gets the declaring attribute's name.  NULL if not
 * declared. */
const char *muc_xml_ns_decl(const mxml_node_t *el, const char *pfx, size_t plen,
                            const mxml_node_t *stop, const char **decl)
{
  for (const mxml_node_t *e = el; e; e = mxmlGetParent(nc(e))) {
    if (mxmlGetType(nc(e)) != MXML_ELEMENT)
      break;
    int n = mxmlElementGetAttrCount(nc(e));
    for (int i = 0; i < n; i++) {
      const char *k = NULL;
      const char *v = mxmlElementGetAttrByIndex(nc(e), i, &k);
      /* the first byte alone turns away from, to, type, id */
      if (!k || k[0] != 'x' || strncmp(k, "xmlns", 5) != 0)
        continue;
      int hit = plen == 0 ? k[5] == '\0'
                          : (k[5] == ':' && strncmp(k + 6, pfx, plen) == 0 &&
                             k[6 + plen] == '\0');
      if (hit) {
        if (decl)
          *decl = k;
        return v ? v : "";
      }
    }
    if (e == stop)
      break;
  }
  return NULL;
}

/* Resolve the namespace of |el|.  *|unbound| is set when |el| has a
 * prefix that nothing declares. */
const char *muc_xml_resolve_ns(const mxml_node_t *el, int *unbound)
{
  *unbound = 0;
  if (!is_element(el))
    return NULL;
  const char *name = mxmlGetElement(nc(el));
  const char *colon = strchr(name, ':');
  if (!colon)
    return muc_xml_ns_decl(el, "", 0, NULL, NULL);
  size_t plen = (size_t)(colon - name);
  if (plen == 3 && memcmp(name, "xml", 3) == 0)
    return MUC_NS_XML;
  const char *v = muc_xml_ns_decl(el, name, plen, NULL, NULL);
  if (!v)
    *unbound = 1;
  return v;
}

const char *muc_xml_ns(const mxml_node_t *el)
{
  int unbound;
  return muc_xml_resolve_ns(el, &unbound);
}

const char *muc_xml_name(const mxml_node_t *el)
{
  if (!is_element(el))
    return NULL;
  const char *name = mxmlGetElement(nc(el));
  const char *colon = strchr(name, ':');
  return colon ? colon + 1 : name;
}

/* The namespaces a stanza's content may be in: the three stream defaults
 * are one and the same for stanza processing (RFC 6120 §4.8). */
static int is_stream_ns(const char *ns)
{
  return strcmp(ns, MUC_NS_CLIENT) == 0 || strcmp(ns, NS_SERVER) == 0 ||
         strcmp(ns, NS_COMPONENT) == 0;
}

int muc_xml_is(const mxml_node_t *el, const char *name, const char *ns)
{
  const char *local = muc_xml_name(el);
  if (!local)
    return 0;
  if (name && strcmp(local, name) != 0)
    return 0;
  if (!ns)
    return 1;
  int unbound;
  const char *r = muc_xml_resolve_ns(el, &unbound);
  if (unbound)
    return 0;
  if (!r) /* nothing declared: the stream's default namespace */
    return is_stream_ns(ns);
  if (strcmp(r, ns) == 0)
    return 1;
  return is_stream_ns(ns) && is_stream_ns(r);
}

mxml_node_t *muc_xml_first_element(const mxml_node_t *parent)
{
  if (!is_element(parent))
    return NULL;
  mxml_node_t *c = mxmlGetFirstChild(nc(parent));
  while (c && !is_element(c))
    c = mxmlGetNextSibling(c);
  return c;
}

mxml_node_t *muc_xml_next_element(const mxml_node_t *el)
{
  if (!el)
    return NULL;
  mxml_node_t *c = mxmlGetNextSibling(nc(el));
  while (c && !is_element(c))
    c = mxmlGetNextSibling(c);
  return c;
}

mxml_node_t *muc_xml_child(const mxml_node_t *parent, const char *name,
                           const char *ns)
{
  for (mxml_node_t *c = muc_xml_first_element(parent); c;
       c = muc_xml_next_element(c)) {
    if (muc_xml_is(c, name, ns))
      return c;
  }
  return NULL;
}

const char *muc_xml_attr(const mxml_node_t *el, const char *name)
{
  if (!is_element(el) || !name)
    return NULL;
  return mxmlElementGetAttr(nc(el), name);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* Append the text carried by |c| itself (not by its children). */
static void append_node_text(muc_buf *b, const mxml_node_t *c)
{
  switch (mxmlGetType(nc(c))) {
  case MXML_OPAQUE: {
    const char *v = mxmlGetOpaque(nc(c));
    if (v)
      muc_buf_puts(b, v);
    break;
  }
  case MXML_TEXT: {
    int ws = 0;
    const char *v = mxmlGetText(nc(c), &ws);
    if (ws)
      muc_buf_putc(b, ' ');
    if (v)
      muc_buf_puts(b, v);
    break;
  }
  case MXML_ELEMENT: {
    const char *v = mxmlGetCDATA(nc(c));
    if (v)
      muc_buf_puts(b, v);
    break;
  }
  default:
    break;
  }
}

char *muc_xml_text_dup(muc_mem *m, const mxml_node_t *el)
{
  muc_buf b;
  muc_buf_init(&b, m);
  muc_buf_append(&b, "", 0); /* "" rather than NULL when there is no text */
  if (el && mxmlGetType(nc(el)) == MXML_ELEMENT) {
    for (mxml_node_t *c = mxmlGetFirstChild(nc(el)); c;
         c = mxmlGetNextSibling(c))
      append_node_text(&b, c);
  }
  if (b.oom) {
    muc_buf_free(&b);
    return NULL;
  }
  return b.data; /* ownership passes to the caller */
}

char *muc_xml_child_text_dup(muc_mem *m, const mxml_node_t *parent,
                             const char *name, const char *ns)
{
  mxml_node_t *c = muc_xml_child(parent, name, ns);
  return c ? muc_xml_text_dup(m, c) : NULL;
}

/* ------------------------------------------------------------------ */
/* Builders                                                            */
/* ------------------------------------------------------------------ */

int muc_xml_set_attr(mxml_node_t *el, const char *name, const char *value)
{
  if (!el || !name || mxmlGetType(el) != MXML_ELEMENT)
    return MUC_ERR_INVALID_ARG;
  if (!value) {
    mxmlElementDeleteAttr(el, name);
    return MUC_OK;
  }
  /* mxmlElementSetAttr() returns nothing: on allocation failure the
   * attribute is missing (or keeps its old value), so read it back.
   * (When the name copy of an element's first attribute fails, mxml 3.3.1
   * loses its new one-slot array, 16 bytes: nothing outside mxml can
   * reach it.  test_xml_failmalloc.c recognizes that case.) */
  mxmlElementSetAttr(el, name, value);
  const char *got = mxmlElementGetAttr(el, name);
  return got && strcmp(got, value) == 0 ? MUC_OK : MUC_ERR_NOMEM;
}

/* mxml's constructors allocate the node, link it under the parent, then
 * copy the string; when only the copy fails they return a node holding
 * NULL, which every reader would trip over.  These two never leave one
 * behind. */
mxml_node_t *muc_xml_new_element(mxml_node_t *parent, const char *name)
{
  mxml_node_t *el = mxmlNewElement(parent ? parent : MXML_NO_PARENT, name);
  if (el && !mxmlGetElement(el)) {
    mxmlDelete(el); /* also detaches it from |parent| */
    return NULL;
  }
  return el;
}

mxml_node_t *muc_xml_new_opaque(mxml_node_t *parent, const char *text)
{
  mxml_node_t *n = mxmlNewOpaque(parent, text);
  if (n && !mxmlGetOpaque(n)) {
    mxmlDelete(n);
    return NULL;
  }
  return n;
}

mxml_node_t *muc_xml_new(mxml_node_t *parent, const char *name, const char *ns)
{
  if (!name)
    return NULL;
  mxml_node_t *el = muc_xml_new_element(parent, name);
  if (el && ns && muc_xml_set_attr(el, "xmlns", ns) != MUC_OK) {
    mxmlDelete(el);
    return NULL;
  }
  return el;
}

int muc_xml_add_text(mxml_node_t *el, const char *text)
{
  if (!el || !text)
    return MUC_ERR_INVALID_ARG;
  if (!*text)
    return MUC_OK; /* an empty node would only turn <a/> into <a></a> */
  return muc_xml_new_opaque(el, text) ? MUC_OK : MUC_ERR_NOMEM;
}

mxml_node_t *muc_xml_new_text(mxml_node_t *parent, const char *name,
                              const char *ns, const char *text)
{
  mxml_node_t *el = muc_xml_new(parent, name, ns);
  if (el && text && muc_xml_add_text(el, text) != MUC_OK) {
    mxmlDelete(el); /* also detaches it from |parent| */
    return NULL;
  }
  return el;
}

/* ------------------------------------------------------------------ */
/* Deep copy                                                           */
/* ------------------------------------------------------------------ */

static mxml_node_t *copy_element(mxml_node_t *dparent, const mxml_node_t *s)
{
  mxml_node_t *e = muc_xml_new_element(dparent, mxmlGetElement(nc(s)));
  if (!e)
    return NULL;
  int n = mxmlElementGetAttrCount(nc(s));
  for (int i = 0; i < n; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(s), i, &k);
    if (!k)
      continue;
    int ok;
    if (v) {
      ok = muc_xml_set_attr(e, k, v) == MUC_OK;
    } else {
      /* A valueless attribute (host-built): muc_xml_set_attr() would
       * delete it; it is new on |e|, so it shows as one more. */
      int before = mxmlElementGetAttrCount(e);
      mxmlElementSetAttr(e, k, NULL);
      ok = mxmlElementGetAttrCount(e) == before + 1;
    }
    if (!ok) {
      mxmlDelete(e);
      return NULL;
    }
  }
  return e;
}

/* mxmlNewText that, like muc_xml_new_opaque(), never leaves a node whose
 * string copy failed. */
static mxml_node_t *new_text(mxml_node_t *parent, int ws, const char *v)
{
  mxml_node_t *t = mxmlNewText(parent, ws, v);
  if (t && !mxmlGetText(t, NULL)) {
    mxmlDelete(t);
    return NULL;
  }
  return t;
}

/* Copy the node |s| alone under |dparent|.  Sets *skip for nodes that are
 * deliberately not copied (comments, PIs, custom data). */
static mxml_node_t *copy_one(mxml_node_t *dparent, const mxml_node_t *s,
                             int *skip)
{
  *skip = 0;
  switch (mxmlGetType(nc(s))) {
  case MXML_ELEMENT: {
    const char *cdata = mxmlGetCDATA(nc(s));
    if (cdata)
      return muc_xml_new_opaque(dparent, cdata); /* CDATA is just text */
    if (muc_xml_is_special(s)) {
      *skip = 1;
      return NULL;
    }
    return copy_element(dparent, s);
  }
  case MXML_OPAQUE: {
    const char *v = mxmlGetOpaque(nc(s));
    return muc_xml_new_opaque(dparent, v ? v : "");
  }
  case MXML_TEXT: {
    int ws = 0;
    const char *v = mxmlGetText(nc(s), &ws);
    return new_text(dparent, ws, v ? v : "");
  }
  case MXML_INTEGER: /* no string to copy: NULL is the only failure */
    return mxmlNewInteger(dparent, mxmlGetInteger(nc(s)));
  case MXML_REAL:
    return mxmlNewReal(dparent, mxmlGetReal(nc(s)));
  default:
    *skip = 1;
    return NULL;
  }
}

/* State of one muc_xml_copy(): the copy's root and the source subtree. */
typedef struct copy_ctx {
  mxml_node_t *droot;
  const mxml_node_t *top; /* source root */
  const char *above_def;  /* default namespace in scope above |top| */
} copy_ctx;

/* If the binding of |pfx| (0 length = default namespace) used inside the
 * copied subtree at source element |s| is declared above the subtree,
 * repeat that declaration on the copy's root so the copy means the same
 * wherever it is put.  The cheap tests come first: this runs for every
 * copied element, and walking up from |s| on each would be quadratic in
 * the depth. */
static int carry_decl(copy_ctx *cc, const mxml_node_t *s, const char *pfx,
                      size_t plen)
{
  if (plen == 3 && memcmp(pfx, "xml", 3) == 0)
    return MUC_OK;
  /* Declared on the copy's root: every node of the copy sees it. */
  if (muc_xml_ns_decl(cc->droot, pfx, plen, cc->droot, NULL))
    return MUC_OK;
  const char *decl = "xmlns";
  const char *v = cc->above_def;
  if (plen) {
    const mxml_node_t *up = mxmlGetParent(nc(cc->top));
    v = up ? muc_xml_ns_decl(up, pfx, plen, NULL, &decl) : NULL;
  }
  if (!v)
    return MUC_OK;
  /* The stream's default namespace is implied wherever the copy goes. */
  if (plen == 0 && strcmp(v, MUC_NS_CLIENT) == 0)
    return MUC_OK;
  if (muc_xml_ns_decl(s, pfx, plen, cc->top, NULL))
    return MUC_OK; /* redeclared inside the subtree: copied with it */
  return muc_xml_set_attr(cc->droot, decl, v);
}

static int carry_decls(copy_ctx *cc, const mxml_node_t *s)
{
  const char *name = mxmlGetElement(nc(s));
  const char *colon = strchr(name, ':');
  int rc = colon ? carry_decl(cc, s, name, (size_t)(colon - name))
                 : carry_decl(cc, s, "", 0);
  int n = mxmlElementGetAttrCount(nc(s));
  for (int i = 0; i < n && rc == MUC_OK; i++) {
    const char *k = NULL;
    mxmlElementGetAttrByIndex(nc(s), i, &k);
    if (!k || strncmp(k, "xmlns", 5) == 0)
      continue;
    colon = strchr(k, ':');
    if (colon)
      rc = carry_decl(cc, s, k, (size_t)(colon - k));
  }
  return rc;
}

/* Does the subtree use a prefix (element or attribute names other than
 * the xmlns declarations)? */
static int uses_prefix(const mxml_node_t *n)
{
  for (const mxml_node_t *s = n; s;
       s = mxmlWalkNext(nc(s), nc(n), MXML_DESCEND)) {
    if (!is_element(s))
      continue;
    if (muc_xml_is_special(s) || mxmlGetCDATA(nc(s)) ||
        strchr(mxmlGetElement(nc(s)), ':'))
      return 1;
    for (int i = 0, k = mxmlElementGetAttrCount(nc(s)); i < k; i++) {
      const char *name = NULL;
      mxmlElementGetAttrByIndex(nc(s), i, &name);
      if (name && strncmp(name, "xmlns", 5) != 0 && strchr(name, ':'))
        return 1;
    }
  }
  return 0;
}

int muc_xml_copy_is_plain(const mxml_node_t *n)
{
  if (!is_element(n) || uses_prefix(n))
    return 0;
  if (mxmlElementGetAttr(nc(n), "xmlns"))
    return 1; /* its own default namespace covers the subtree */
  const mxml_node_t *up = mxmlGetParent(nc(n));
  const char *def = up ? muc_xml_ns_decl(up, "", 0, NULL, NULL) : NULL;
  return !def || strcmp(def, MUC_NS_CLIENT) == 0;
}

mxml_node_t *muc_xml_copy(mxml_node_t *parent, const mxml_node_t *n)
{
  if (!n)
    return NULL;
  int skip;
  mxml_node_t *droot = copy_one(parent, n, &skip);
  if (!droot)
    return NULL;
  if (!is_element(n))
    return droot;
  copy_ctx cc;
  cc.droot = droot;
  cc.top = n;
  const mxml_node_t *up = mxmlGetParent(nc(n));
  cc.above_def = up ? muc_xml_ns_decl(up, "", 0, NULL, NULL) : NULL;
  if (carry_decls(&cc, n) != MUC_OK)
    goto fail;
  /* Iterative pre-order walk of the source, |dpar| being the copy of the
   * current source node's parent: no recursion on host-supplied depth. */
  const mxml_node_t *s = mxmlGetFirstChild(nc(n));
  mxml_node_t *dpar = droot;
  while (s) {
    mxml_node_t *d = copy_one(dpar, s, &skip);
    if (!d && !skip)
      goto fail;
    if (d && is_element(s)) {
      if (carry_decls(&cc, s) != MUC_OK)
        goto fail;
      if (mxmlGetFirstChild(nc(s))) {
        dpar = d;
        s = mxmlGetFirstChild(nc(s));
        continue;
      }
    }
    while (s != n && !mxmlGetNextSibling(nc(s))) {
      s = mxmlGetParent(nc(s));
      dpar = mxmlGetParent(dpar);
    }
    if (s == n)
      break;
    s = mxmlGetNextSibling(nc(s));
  }
  return droot;

fail:
  mxmlDelete(droot);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Serializer                                                          */
/* ------------------------------------------------------------------ */

/* Does |c| produce any output? Decides between <a/> and <a>...</a>. */
static int emits(const mxml_node_t *c)
{
  switch (mxmlGetType(nc(c))) {
  case MXML_ELEMENT: {
    const char *cdata = mxmlGetCDATA(nc(c));
    if (cdata)
      return cdata[0] != '\0';
    return !muc_xml_is_special(c);
  }
  case MXML_OPAQUE: {
    const char *v = mxmlGetOpaque(nc(c));
    return v && *v;
  }
  case MXML_TEXT: {
    int ws = 0;
    const char *v = mxmlGetText(nc(c), &ws);
    return ws || (v && *v);
  }
  case MXML_INTEGER:
  case MXML_REAL:
    return 1;
  default:
    return 0;
  }
}

static void put_escaped(muc_buf *b, const char *s, int in_attr)
{
  if (s)
    muc_buf_append_escaped(b, s, strlen(s), in_attr);
}

/* Write what comes before |n|'s children; return 1 if the caller must
 * descend into them (an element opened with '>'). */
static int write_open(muc_buf *b, const mxml_node_t *n)
{
  char num[64];
  switch (mxmlGetType(nc(n))) {
  case MXML_ELEMENT: {
    const char *cdata = mxmlGetCDATA(nc(n));
    if (cdata) {
      put_escaped(b, cdata, 0);
      return 0;
    }
    if (muc_xml_is_special(n))
      return 0; /* comments, PIs, DOCTYPE are never written */
    muc_buf_putc(b, '<');
    muc_buf_puts(b, mxmlGetElement(nc(n)));
    int na = mxmlElementGetAttrCount(nc(n));
    for (int i = 0; i < na; i++) {
      const char *k = NULL;
      const char *v = mxmlElementGetAttrByIndex(nc(n), i, &k);
      if (!k)
        continue;
      muc_buf_putc(b, ' ');
      muc_buf_puts(b, k);
      muc_buf_append(b, "=\"", 2);
      put_escaped(b, v, 1);
      muc_buf_putc(b, '"');
    }
    for (mxml_node_t *c = mxmlGetFirstChild(nc(n)); c;
         c = mxmlGetNextSibling(c)) {
      if (emits(c)) {
        muc_buf_putc(b, '>');
        return 1;
      }
    }
    muc_buf_append(b, "/>", 2);
    return 0;
  }
  case MXML_OPAQUE:
    put_escaped(b, mxmlGetOpaque(nc(n)), 0);
    return 0;
  case MXML_TEXT: {
    int ws = 0;
    const char *v = mxmlGetText(nc(n), &ws);
    if (ws)
      muc_buf_putc(b, ' ');
    put_escaped(b, v, 0);
    return 0;
  }
  case MXML_INTEGER:
    snprintf(num, sizeof(num), "%d", mxmlGetInteger(nc(n)));
    muc_buf_puts(b, num);
    return 0;
  case MXML_REAL:
    snprintf(num, sizeof(num), "%f", mxmlGetReal(nc(n)));
    muc_buf_puts(b, num);
    return 0;
  default:
    return 0;
  }
}

static void write_close(muc_buf *b, const mxml_node_t *el)
{
  muc_buf_append(b, "</", 2);
  muc_buf_puts(b, mxmlGetElement(nc(el)));
  muc_buf_putc(b, '>');
}

int muc_xml_write(muc_buf *out, const mxml_node_t *n)
{
  if (!out || !n)
    return MUC_ERR_INVALID_ARG;
  /* Iterative walk: trees may be as deep as the host made them. */
  const mxml_node_t *cur = n;
  for (;;) {
    if (write_open(out, cur)) {
      cur = mxmlGetFirstChild(nc(cur));
      continue;
    }
    while (cur != n && !mxmlGetNextSibling(nc(cur))) {
      cur = mxmlGetParent(nc(cur));
      write_close(out, cur);
    }
    if (cur == n)
      break;
    cur = mxmlGetNextSibling(nc(cur));
  }
  return out->oom ? MUC_ERR_NOMEM : MUC_OK;
}

/* ---- const-correct accessors over Mini-XML (which takes non-const) ------ */

int muc_xml_is_element(const mxml_node_t *n)
{
  return n && mxmlGetType(nc(n)) == MXML_ELEMENT;
}

int muc_xml_attr_count(const mxml_node_t *el)
{
  return el ? mxmlElementGetAttrCount(nc(el)) : 0;
}

const char *muc_xml_attr_at(const mxml_node_t *el, int i, const char **name)
{
  *name = NULL;
  return mxmlElementGetAttrByIndex(nc(el), i, name);
}
