/* Namespace-aware helpers over Mini-XML trees, the parser front end and
 * libmuc's one serializer.
 *
 * Mini-XML is used only as a tree container.  It knows nothing of
 * namespaces, accepts much that XMPP forbids (comments, PIs, DOCTYPE, HTML
 * entities, junk after the root, truncated input) and its writer wraps
 * lines and uses per-thread settings.  So input is validated and
 * rewritten into a canonical form by our own scanner before mxml sees it,
 * and output is produced by our own writer (see
 * shared/docs/mxml-notes.md). */
#include "xml.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define XML_NS_XML "http://www.w3.org/XML/1998/namespace"
#define NS_SERVER "jabber:server"
#define NS_COMPONENT "jabber:component:accept"

/* Defaults used when muc_xml_parse() gets no limits: the same values as
 * muc_config_default(). */
#define DEF_MAX_BYTES 65536
#define DEF_MAX_DEPTH 32
#define DEF_MAX_ATTRS 64
#define DEF_MAX_CHILDREN 512

/* mxml's getters take non-const pointers although they only read: cast
 * once here. */
static mxml_node_t *nc(const mxml_node_t *n)
{
  return (mxml_node_t *)(uintptr_t)n;
}

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

static int is_xml_char(uint32_t c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Decode one strict UTF-8 sequence at s[*pos] (RFC 3629: no overlongs,
 * surrogates or values above U+10FFFF).  Returns 0 if invalid. */
static int utf8_decode(const unsigned char *s, size_t len, size_t *pos,
                       uint32_t *out)
{
  size_t i = *pos;
  uint32_t c = s[i];
  if (c < 0x80) {
    *out = c;
    *pos = i + 1;
    return 1;
  }
  size_t n;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
    c &= 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    c &= 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    c &= 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (len - i <= n)
    return 0;
  for (size_t k = 1; k <= n; k++) {
    uint32_t b = s[i + k];
    if ((b & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *out = c;
  *pos = i + 1 + n;
  return 1;
}

int muc_utf8_xml_valid(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  if (!s)
    return len == 0;
  while (i < len) {
    unsigned char b = u[i];
    if (b < 0x80) {
      /* Fast path: ASCII needs only the control-character check. */
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r')
        return 0;
      i++;
      continue;
    }
    uint32_t c;
    if (!utf8_decode(u, len, &i, &c) || !is_xml_char(c))
      return 0;
  }
  return 1;
}

/* XML 1.0 (5th ed.) NameStartChar without ':' (namespaces give the colon
 * its own role).  U+FEFF is excluded although XML allows it: mxml drops it
 * wherever it appears, so <bo&#xFEFF;dy> would silently become <body>. */
static int is_name_start(uint32_t c)
{
  if (c == 0xFEFF)
    return 0; /* see BOM below */
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
         (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

static int is_name_char(uint32_t c)
{
  return (is_name_start(c) && c != 0xFEFF) || c == '-' || c == '.' ||
         (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}

/* Length of the QName (NCName or NCName:NCName) starting at s[i], stopping
 * at the first byte that cannot continue it; 0 if what is there is not a
 * QName (empty, bad first char, misplaced or second colon). */
static size_t scan_qname(const char *s, size_t len, size_t i)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t start = i;
  int colon = 0;
  int at_start = 1; /* at the first char of an NCName */
  while (i < len) {
    if (u[i] == ':') {
      if (colon || at_start)
        return 0;
      colon = 1;
      at_start = 1;
      i++;
      continue;
    }
    size_t next = i;
    uint32_t c;
    if (!utf8_decode(u, len, &next, &c))
      return 0;
    if (at_start ? !is_name_start(c) : !is_name_char(c)) {
      if (at_start)
        return 0;
      break;
    }
    at_start = 0;
    i = next;
  }
  if (at_start)
    return 0; /* empty, or ends with a colon */
  return i - start;
}

static int qname_valid(const char *s)
{
  size_t len = strlen(s);
  return len > 0 && scan_qname(s, len, 0) == len;
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ------------------------------------------------------------------ */
/* Namespaces and lookup                                               */
/* ------------------------------------------------------------------ */

/* mxml keeps comments, PIs, DOCTYPE and CDATA as ELEMENT nodes whose
 * names start with '!' or '?'. */
static int is_special(const mxml_node_t *n)
{
  const char *e = mxmlGetElement(nc(n));
  return !e || e[0] == '!' || e[0] == '?';
}

static int is_element(const mxml_node_t *n)
{
  return n && mxmlGetType(nc(n)) == MXML_ELEMENT && !is_special(n);
}

static int is_cdata(const mxml_node_t *n)
{
  return mxmlGetType(nc(n)) == MXML_ELEMENT && mxmlGetCDATA(nc(n)) != NULL;
}

/* The value declared for prefix |pfx| (|plen| bytes; 0 = the default
 * namespace) on |el| or its ancestors, stopping after |stop| (NULL = go
 * to the top).  *|decl| gets the declaring attribute's name.  NULL if not
 * declared. */
static const char *find_ns_decl(const mxml_node_t *el, const char *pfx,
                                size_t plen, const mxml_node_t *stop,
                                const char **decl)
{
  for (const mxml_node_t *e = el; e; e = mxmlGetParent(nc(e))) {
    if (mxmlGetType(nc(e)) != MXML_ELEMENT)
      break;
    int n = mxmlElementGetAttrCount(nc(e));
    for (int i = 0; i < n; i++) {
      const char *k = NULL;
      const char *v = mxmlElementGetAttrByIndex(nc(e), i, &k);
      if (!k || strncmp(k, "xmlns", 5) != 0)
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
static const char *resolve_ns(const mxml_node_t *el, int *unbound)
{
  *unbound = 0;
  if (!is_element(el))
    return NULL;
  const char *name = mxmlGetElement(nc(el));
  const char *colon = strchr(name, ':');
  if (!colon)
    return find_ns_decl(el, "", 0, NULL, NULL);
  size_t plen = (size_t)(colon - name);
  if (plen == 3 && memcmp(name, "xml", 3) == 0)
    return XML_NS_XML;
  const char *v = find_ns_decl(el, name, plen, NULL, NULL);
  if (!v)
    *unbound = 1;
  return v;
}

const char *muc_xml_ns(const mxml_node_t *el)
{
  int unbound;
  return resolve_ns(el, &unbound);
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
  const char *r = resolve_ns(el, &unbound);
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
   * attribute is missing (or keeps its old value), so read it back. */
  mxmlElementSetAttr(el, name, value);
  const char *got = mxmlElementGetAttr(el, name);
  return got && strcmp(got, value) == 0 ? MUC_OK : MUC_ERR_NOMEM;
}

mxml_node_t *muc_xml_new(mxml_node_t *parent, const char *name, const char *ns)
{
  if (!name)
    return NULL;
  mxml_node_t *el = mxmlNewElement(parent ? parent : MXML_NO_PARENT, name);
  if (!el)
    return NULL;
  if (ns && muc_xml_set_attr(el, "xmlns", ns) != MUC_OK) {
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
  return mxmlNewOpaque(el, text) ? MUC_OK : MUC_ERR_NOMEM;
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
      return mxmlNewOpaque(dparent, cdata); /* CDATA is just text */
    if (is_special(s)) {
      *skip = 1;
      return NULL;
    }
    mxml_node_t *e = mxmlNewElement(dparent, mxmlGetElement(nc(s)));
    if (!e)
      return NULL;
    int n = mxmlElementGetAttrCount(nc(s));
    for (int i = 0; i < n; i++) {
      const char *k = NULL;
      const char *v = mxmlElementGetAttrByIndex(nc(s), i, &k);
      if (!k)
        continue;
      if (!v) {
        mxmlElementSetAttr(e, k, NULL);
      } else if (muc_xml_set_attr(e, k, v) != MUC_OK) {
        mxmlDelete(e);
        return NULL;
      }
    }
    return e;
  }
  case MXML_OPAQUE: {
    const char *v = mxmlGetOpaque(nc(s));
    return mxmlNewOpaque(dparent, v ? v : "");
  }
  case MXML_TEXT: {
    int ws = 0;
    const char *v = mxmlGetText(nc(s), &ws);
    return mxmlNewText(dparent, ws, v ? v : "");
  }
  case MXML_INTEGER:
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
  if (find_ns_decl(cc->droot, pfx, plen, cc->droot, NULL))
    return MUC_OK;
  const char *decl = "xmlns";
  const char *v = cc->above_def;
  if (plen) {
    const mxml_node_t *up = mxmlGetParent(nc(cc->top));
    v = up ? find_ns_decl(up, pfx, plen, NULL, &decl) : NULL;
  }
  if (!v)
    return MUC_OK;
  /* The stream's default namespace is implied wherever the copy goes. */
  if (plen == 0 && strcmp(v, MUC_NS_CLIENT) == 0)
    return MUC_OK;
  if (find_ns_decl(s, pfx, plen, cc->top, NULL))
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
  cc.above_def = up ? find_ns_decl(up, "", 0, NULL, NULL) : NULL;
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
    return !is_special(c);
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
    if (is_special(n))
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

/* ------------------------------------------------------------------ */
/* Structural checks                                                   */
/* ------------------------------------------------------------------ */

/* Namespace well-formedness of one attribute of |el|. */
static int attr_ns_ok(const mxml_node_t *el, const char *k, const char *v)
{
  if (strncmp(k, "xmlns", 5) == 0 && (k[5] == '\0' || k[5] == ':')) {
    if (k[5] == '\0')
      return 1; /* xmlns="" (undeclaring the default) is allowed */
    const char *p = k + 6;
    if (!v || !*v)
      return 0; /* prefixes cannot be undeclared in XML 1.0 */
    if (strcmp(p, "xmlns") == 0)
      return 0;
    if (strcmp(p, "xml") == 0)
      return strcmp(v, XML_NS_XML) == 0;
    return 1;
  }
  const char *colon = strchr(k, ':');
  if (!colon)
    return 1;
  size_t plen = (size_t)(colon - k);
  if (plen == 3 && memcmp(k, "xml", 3) == 0)
    return 1;
  return find_ns_decl(el, k, plen, NULL, NULL) != NULL;
}

static int limit_hit(size_t value, size_t limit)
{
  return limit != 0 && value > limit; /* 0 = no limit */
}

/* Check the element |el| alone (its attributes and the number of its
 * element children).  |text| also validates strings as UTF-8 XML text,
 * which input from muc_xml_parse() already is. */
static int check_element(const mxml_node_t *el, size_t depth,
                         const muc_xml_limits *lim, int text)
{
  const char *name = mxmlGetElement(nc(el));
  if (!name || !qname_valid(name))
    return 0;
  if (limit_hit(depth, lim->max_depth))
    return 0;
  int unbound;
  resolve_ns(el, &unbound);
  if (unbound || strncmp(name, "xmlns:", 6) == 0)
    return 0;
  int na = mxmlElementGetAttrCount(nc(el));
  if (na < 0 || limit_hit((size_t)na, lim->max_attrs))
    return 0;
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(el), i, &k);
    if (!k || !qname_valid(k) || !attr_ns_ok(el, k, v))
      return 0;
    if (text && v && !muc_utf8_xml_valid(v, strlen(v)))
      return 0;
  }
  size_t nchildren = 0;
  for (mxml_node_t *c = mxmlGetFirstChild(nc(el)); c;
       c = mxmlGetNextSibling(c)) {
    if (is_element(c) && limit_hit(++nchildren, lim->max_children))
      return 0;
  }
  return 1;
}

static int check_text(const mxml_node_t *n)
{
  const char *v = NULL;
  switch (mxmlGetType(nc(n))) {
  case MXML_OPAQUE:
    v = mxmlGetOpaque(nc(n));
    break;
  case MXML_TEXT:
    v = mxmlGetText(nc(n), NULL);
    break;
  case MXML_ELEMENT:
    v = mxmlGetCDATA(nc(n));
    break;
  default:
    return 1;
  }
  return !v || muc_utf8_xml_valid(v, strlen(v));
}

static int check_tree(const mxml_node_t *root, const muc_xml_limits *lim,
                      int text)
{
  const mxml_node_t *cur = root;
  size_t depth = 1;
  for (;;) {
    int descend = 0;
    if (mxmlGetType(nc(cur)) == MXML_ELEMENT && !is_cdata(cur)) {
      if (is_special(cur))
        return MUC_ERR_BAD_STANZA; /* comment, PI, DOCTYPE */
      if (!check_element(cur, depth, lim, text))
        return MUC_ERR_BAD_STANZA;
      descend = mxmlGetFirstChild(nc(cur)) != NULL;
    } else if (text && !check_text(cur)) {
      return MUC_ERR_BAD_STANZA;
    }
    if (descend) {
      cur = mxmlGetFirstChild(nc(cur));
      depth++;
      continue;
    }
    while (cur != root && !mxmlGetNextSibling(nc(cur))) {
      cur = mxmlGetParent(nc(cur));
      depth--;
    }
    if (cur == root)
      break;
    cur = mxmlGetNextSibling(nc(cur));
  }
  return MUC_OK;
}

static const muc_xml_limits *limits_or_default(const muc_xml_limits *lim,
                                               muc_xml_limits *def)
{
  if (lim)
    return lim;
  def->max_bytes = DEF_MAX_BYTES;
  def->max_depth = DEF_MAX_DEPTH;
  def->max_attrs = DEF_MAX_ATTRS;
  def->max_children = DEF_MAX_CHILDREN;
  return def;
}

int muc_xml_check(const mxml_node_t *n, const muc_xml_limits *lim)
{
  muc_xml_limits def;
  if (!n)
    return MUC_ERR_BAD_STANZA;
  return check_tree(n, limits_or_default(lim, &def), 1);
}

/* ------------------------------------------------------------------ */
/* Parser front end                                                    */
/* ------------------------------------------------------------------ */

/* The scanner checks well-formedness (as far as XMPP needs it) and
 * rewrites the input into a canonical form that mxml parses exactly as a
 * conforming parser would: CDATA becomes escaped text, character
 * references are written as &#xN;, attribute values are double-quoted
 * with literal whitespace normalized, end-of-line is normalized, tags
 * lose optional whitespace.  Nothing mxml would misread (HTML entities,
 * junk after the root, truncation, comments, over-long entity names)
 * reaches it, and the attribute count is bounded before mxml's quadratic
 * duplicate check runs. */

typedef struct span {
  size_t off;
  size_t len;
} span;

typedef struct scanner {
  const char *s;
  size_t len;
  size_t i;
  muc_buf *out;
  muc_mem *m;
  const muc_xml_limits *lim;
  span *stack; /* names of the open elements */
  size_t depth;
  size_t stack_cap;
  span *attrs; /* attribute names of the current start tag */
  size_t nattrs;
  size_t attrs_cap;
} scanner;

static int span_push(muc_mem *m, span **arr, size_t *n, size_t *cap, size_t off,
                     size_t len)
{
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    span *a = muc_mem_realloc(m, *arr, ncap * sizeof(span));
    if (!a)
      return MUC_ERR_NOMEM;
    *arr = a;
    *cap = ncap;
  }
  (*arr)[*n].off = off;
  (*arr)[*n].len = len;
  (*n)++;
  return MUC_OK;
}

static int starts_with(const scanner *sc, const char *lit)
{
  size_t n = strlen(lit);
  return sc->len - sc->i >= n && memcmp(sc->s + sc->i, lit, n) == 0;
}

static int hex_digit(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* At '&': accept only the five predefined entities and character
 * references to XML Chars, and copy them in canonical form. */
static int scan_entity(scanner *sc)
{
  /* A char matrix, not pointers: pointer tables land in .data.rel.ro,
   * which `nm` reports as writable data. */
  static const char named[][8] = {"&lt;", "&gt;", "&amp;", "&quot;", "&apos;"};
  for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
    if (starts_with(sc, named[k])) {
      size_t n = strlen(named[k]);
      muc_buf_append(sc->out, named[k], n);
      sc->i += n;
      return MUC_OK;
    }
  }
  if (!starts_with(sc, "&#"))
    return MUC_ERR_BAD_STANZA;
  size_t j = sc->i + 2;
  uint32_t base = 10;
  if (j < sc->len && sc->s[j] == 'x') {
    base = 16;
    j++;
  }
  uint32_t v = 0;
  size_t digits = 0;
  for (; j < sc->len && sc->s[j] != ';'; j++) {
    int d = hex_digit(sc->s[j]);
    if (d < 0 || (uint32_t)d >= base)
      return MUC_ERR_BAD_STANZA;
    v = v * base + (uint32_t)d;
    if (v > 0x10FFFF) /* also keeps v * base from overflowing */
      return MUC_ERR_BAD_STANZA;
    digits++;
  }
  if (j >= sc->len || digits == 0 || !is_xml_char(v))
    return MUC_ERR_BAD_STANZA;
  char ref[16];
  int n = snprintf(ref, sizeof(ref), "&#x%X;", (unsigned)v);
  muc_buf_append(sc->out, ref, (size_t)n);
  sc->i = j + 1;
  return MUC_OK;
}

/* mxml silently drops a raw U+FEFF (byte order mark) in text and
 * attribute values; as a character reference it survives. */
#define BOM "\xEF\xBB\xBF"
#define BOM_REF "&#xFEFF;"

/* At a 0xEF byte inside text or an attribute value: copy it. */
static void scan_ef(scanner *sc)
{
  if (starts_with(sc, BOM)) {
    muc_buf_puts(sc->out, BOM_REF);
    sc->i += 3;
  } else {
    muc_buf_putc(sc->out, sc->s[sc->i]);
    sc->i++;
  }
}

/* Character data up to the next '<'. */
static int scan_text(scanner *sc)
{
  while (sc->i < sc->len && sc->s[sc->i] != '<') {
    size_t j = sc->i;
    while (j < sc->len && sc->s[j] != '<' && sc->s[j] != '&' &&
           sc->s[j] != '\r' && sc->s[j] != ']' && sc->s[j] != '\xEF')
      j++;
    muc_buf_append(sc->out, sc->s + sc->i, j - sc->i);
    sc->i = j;
    if (j >= sc->len || sc->s[j] == '<')
      break;
    if (sc->s[j] == '&') {
      if (scan_entity(sc) != MUC_OK)
        return MUC_ERR_BAD_STANZA;
    } else if (sc->s[j] == '\xEF') {
      scan_ef(sc);
    } else if (sc->s[j] == '\r') {
      /* End-of-line handling (XML 1.0 §2.11): CRLF and CR become LF. */
      muc_buf_putc(sc->out, '\n');
      sc->i++;
      if (sc->i < sc->len && sc->s[sc->i] == '\n')
        sc->i++;
    } else {
      if (starts_with(sc, "]]>"))
        return MUC_ERR_BAD_STANZA; /* forbidden in character data */
      muc_buf_putc(sc->out, ']');
      sc->i++;
    }
  }
  return MUC_OK;
}

/* At "<![CDATA[": emit the section's content as escaped text. */
static int scan_cdata(scanner *sc)
{
  size_t j = sc->i + 9;
  for (;;) {
    if (sc->len - j < 3)
      return MUC_ERR_BAD_STANZA; /* unterminated */
    if (memcmp(sc->s + j, "]]>", 3) == 0)
      break;
    j++;
  }
  size_t end = j;
  size_t run = sc->i + 9;
  for (size_t k = run; k < end; k++) {
    char c = sc->s[k];
    const char *rep = NULL;
    size_t n = 1; /* input bytes replaced */
    if (c == '&') {
      rep = "&amp;";
    } else if (c == '<') {
      rep = "&lt;";
    } else if (c == '>') {
      rep = "&gt;";
    } else if (c == '\r') {
      rep = (k + 1 < end && sc->s[k + 1] == '\n') ? "" : "\n";
    } else if (c == '\xEF' && end - k >= 3 && memcmp(sc->s + k, BOM, 3) == 0) {
      rep = BOM_REF;
      n = 3;
    }
    if (!rep)
      continue;
    muc_buf_append(sc->out, sc->s + run, k - run);
    muc_buf_puts(sc->out, rep);
    run = k + n;
    k = run - 1;
  }
  muc_buf_append(sc->out, sc->s + run, end - run);
  sc->i = end + 3;
  return MUC_OK;
}

static void skip_space(scanner *sc)
{
  while (sc->i < sc->len && is_space(sc->s[sc->i]))
    sc->i++;
}

/* A QName at the cursor, which must be followed by a delimiter. */
static int scan_name(scanner *sc, span *name)
{
  size_t n = scan_qname(sc->s, sc->len, sc->i);
  if (n == 0 || sc->i + n >= sc->len)
    return MUC_ERR_BAD_STANZA;
  char d = sc->s[sc->i + n];
  if (!is_space(d) && d != '>' && d != '/' && d != '=')
    return MUC_ERR_BAD_STANZA;
  name->off = sc->i;
  name->len = n;
  sc->i += n;
  return MUC_OK;
}

/* An attribute value, the cursor on its opening quote. */
static int scan_attr_value(scanner *sc)
{
  char q = sc->s[sc->i];
  if (q != '"' && q != '\'')
    return MUC_ERR_BAD_STANZA; /* unquoted values are not XML */
  sc->i++;
  muc_buf_append(sc->out, "=\"", 2);
  for (;;) {
    size_t j = sc->i;
    while (j < sc->len && sc->s[j] != q && sc->s[j] != '<' && sc->s[j] != '&' &&
           sc->s[j] != '"' && sc->s[j] != '\t' && sc->s[j] != '\n' &&
           sc->s[j] != '\r' && sc->s[j] != '\xEF')
      j++;
    muc_buf_append(sc->out, sc->s + sc->i, j - sc->i);
    sc->i = j;
    if (j >= sc->len)
      return MUC_ERR_BAD_STANZA;
    char c = sc->s[j];
    if (c == q)
      break;
    if (c == '<') {
      return MUC_ERR_BAD_STANZA;
    } else if (c == '&') {
      if (scan_entity(sc) != MUC_OK)
        return MUC_ERR_BAD_STANZA;
    } else if (c == '"') {
      muc_buf_append(sc->out, "&quot;", 6); /* inside '...' */
      sc->i++;
    } else if (c == '\xEF') {
      scan_ef(sc);
    } else {
      /* Attribute-value normalization (XML 1.0 §3.3.3): literal TAB, LF,
       * CR and CRLF each become one space. */
      muc_buf_putc(sc->out, ' ');
      sc->i++;
      if (c == '\r' && sc->i < sc->len && sc->s[sc->i] == '\n')
        sc->i++;
    }
  }
  sc->i++;
  muc_buf_putc(sc->out, '"');
  return MUC_OK;
}

/* A start tag, the cursor after '<'.  *closed: the tag ended with "/>". */
static int scan_start_tag(scanner *sc, int *closed)
{
  span name;
  if (scan_name(sc, &name) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  if (limit_hit(sc->depth + 1, sc->lim->max_depth))
    return MUC_ERR_BAD_STANZA;
  muc_buf_putc(sc->out, '<');
  muc_buf_append(sc->out, sc->s + name.off, name.len);
  sc->nattrs = 0;
  for (;;) {
    size_t before = sc->i;
    skip_space(sc);
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA;
    if (sc->s[sc->i] == '>') {
      sc->i++;
      *closed = 0;
      break;
    }
    if (starts_with(sc, "/>")) {
      sc->i += 2;
      *closed = 1;
      break;
    }
    if (sc->i == before)
      return MUC_ERR_BAD_STANZA; /* attributes need whitespace between */
    span an;
    if (scan_name(sc, &an) != MUC_OK)
      return MUC_ERR_BAD_STANZA;
    /* Count before anything else: mxml's duplicate check is quadratic. */
    if (limit_hit(sc->nattrs + 1, sc->lim->max_attrs))
      return MUC_ERR_BAD_STANZA;
    for (size_t k = 0; k < sc->nattrs; k++) {
      if (sc->attrs[k].len == an.len &&
          memcmp(sc->s + sc->attrs[k].off, sc->s + an.off, an.len) == 0)
        return MUC_ERR_BAD_STANZA; /* duplicate attribute */
    }
    if (span_push(sc->m, &sc->attrs, &sc->nattrs, &sc->attrs_cap, an.off,
                  an.len) != MUC_OK)
      return MUC_ERR_NOMEM;
    skip_space(sc);
    if (sc->i >= sc->len || sc->s[sc->i] != '=')
      return MUC_ERR_BAD_STANZA;
    sc->i++;
    skip_space(sc);
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA;
    muc_buf_putc(sc->out, ' ');
    muc_buf_append(sc->out, sc->s + an.off, an.len);
    int rc = scan_attr_value(sc);
    if (rc != MUC_OK)
      return rc;
  }
  if (*closed) {
    muc_buf_append(sc->out, "/>", 2);
    return MUC_OK;
  }
  muc_buf_putc(sc->out, '>');
  return span_push(sc->m, &sc->stack, &sc->depth, &sc->stack_cap, name.off,
                   name.len);
}

/* An end tag, the cursor after "</". */
static int scan_end_tag(scanner *sc)
{
  span name;
  if (scan_name(sc, &name) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  skip_space(sc);
  if (sc->i >= sc->len || sc->s[sc->i] != '>' || sc->depth == 0)
    return MUC_ERR_BAD_STANZA;
  sc->i++;
  const span *open = &sc->stack[sc->depth - 1];
  if (open->len != name.len ||
      memcmp(sc->s + open->off, sc->s + name.off, name.len) != 0)
    return MUC_ERR_BAD_STANZA; /* mismatched close tag */
  sc->depth--;
  muc_buf_append(sc->out, "</", 2);
  muc_buf_append(sc->out, sc->s + name.off, name.len);
  muc_buf_putc(sc->out, '>');
  return MUC_OK;
}

static int scan_document(scanner *sc)
{
  int rc;
  for (;;) {
    if (sc->out->oom)
      return MUC_ERR_NOMEM;
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA; /* empty or truncated */
    if (sc->s[sc->i] != '<') {
      if (sc->depth == 0)
        return MUC_ERR_BAD_STANZA; /* text outside the root */
      if ((rc = scan_text(sc)) != MUC_OK)
        return rc;
      continue;
    }
    if (starts_with(sc, "<![CDATA[") && sc->depth > 0) {
      if ((rc = scan_cdata(sc)) != MUC_OK)
        return rc;
      continue;
    }
    if (starts_with(sc, "<!") || starts_with(sc, "<?"))
      return MUC_ERR_BAD_STANZA; /* comment, DOCTYPE, PI, XML decl */
    if (starts_with(sc, "</")) {
      sc->i += 2;
      if ((rc = scan_end_tag(sc)) != MUC_OK)
        return rc;
    } else {
      int closed = 0;
      sc->i++;
      if ((rc = scan_start_tag(sc, &closed)) != MUC_OK)
        return rc;
      if (!closed)
        continue;
    }
    if (sc->depth == 0)
      break; /* the root element is complete */
  }
  if (sc->i != sc->len)
    return MUC_ERR_BAD_STANZA; /* junk after the root element */
  return sc->out->oom ? MUC_ERR_NOMEM : MUC_OK;
}

int muc_xml_parse(muc_mem *m, const char *buf, size_t len,
                  const muc_xml_limits *lim, mxml_node_t **out)
{
  if (out)
    *out = NULL;
  if (!m || !out || (!buf && len))
    return MUC_ERR_INVALID_ARG;
  muc_xml_limits def;
  lim = limits_or_default(lim, &def);
  if (limit_hit(len, lim->max_bytes))
    return MUC_ERR_LIMIT;
  if (len == 0 || memchr(buf, '\0', len))
    return MUC_ERR_BAD_STANZA;
  if (!muc_utf8_xml_valid(buf, len))
    return MUC_ERR_BAD_STANZA;
  /* Whitespace keepalives and pretty-printing around the stanza. */
  while (len && is_space(buf[0])) {
    buf++;
    len--;
  }
  while (len && is_space(buf[len - 1]))
    len--;
  if (len == 0)
    return MUC_ERR_BAD_STANZA;

  muc_buf canon;
  muc_buf_init(&canon, m);
  scanner sc = {0};
  sc.s = buf;
  sc.len = len;
  sc.out = &canon;
  sc.m = m;
  sc.lim = lim;
  int rc = scan_document(&sc);
  muc_mem_free(m, sc.stack);
  muc_mem_free(m, sc.attrs);
  if (rc != MUC_OK) {
    muc_buf_free(&canon);
    return rc;
  }

  mxml_node_t *root = mxmlLoadString(NULL, canon.data, MXML_OPAQUE_CALLBACK);
  muc_buf_free(&canon);
  /* The scanner accepted the text, so a failure here is most likely
   * mxml running out of memory; still answer BAD_STANZA, since a fatal
   * code triggered by input would let a sender stop the service. */
  if (!root)
    return MUC_ERR_BAD_STANZA;
  if (mxmlGetType(root) != MXML_ELEMENT || check_tree(root, lim, 0) != MUC_OK) {
    mxmlDelete(root);
    return MUC_ERR_BAD_STANZA;
  }
  *out = root;
  return MUC_OK;
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
