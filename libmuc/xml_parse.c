/* The parser: one validating pass over a stanza's text that builds its
 * Mini-XML tree, and the structural checks (limits, namespace prefixes)
 * that host-built trees get too.
 *
 * Mini-XML is used only as a tree container.  Its own parser accepts much
 * that XMPP forbids (comments, PIs, DOCTYPE, HTML entities, junk after the
 * root, truncated input) and cannot report running out of memory, so it
 * is never given untrusted text (see shared/docs/mxml-notes.md). */
#include "xml.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Defaults used when muc_xml_parse() gets no limits: the same values as
 * muc_config_default(). */
#define DEF_MAX_BYTES 65536
#define DEF_MAX_DEPTH 32
#define DEF_MAX_ATTRS 64
#define DEF_MAX_CHILDREN 512

static mxml_node_t *nc(const mxml_node_t *n)
{
  return muc_xml_nc(n);
}

static int is_element(const mxml_node_t *n)
{
  return n && mxmlGetType(nc(n)) == MXML_ELEMENT && !muc_xml_is_special(n);
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_cdata(const mxml_node_t *n)
{
  return mxmlGetType(nc(n)) == MXML_ELEMENT && mxmlGetCDATA(nc(n)) != NULL;
}

/* ------------------------------------------------------------------ */
/* Structural checks                                                   */
/* ------------------------------------------------------------------ */

/* Namespace well-formedness of one attribute of |el|. */
static int attr_ns_ok(const mxml_node_t *el, const char *k, const char *v)
{
  if (k[0] == 'x' && strncmp(k, "xmlns", 5) == 0 &&
      (k[5] == '\0' || k[5] == ':')) {
    if (k[5] == '\0')
      return 1; /* xmlns="" (undeclaring the default) is allowed */
    const char *p = k + 6;
    if (!v || !*v)
      return 0; /* prefixes cannot be undeclared in XML 1.0 */
    if (strcmp(p, "xmlns") == 0)
      return 0;
    if (strcmp(p, "xml") == 0)
      return strcmp(v, MUC_NS_XML) == 0;
    return 1;
  }
  const char *colon = strchr(k, ':');
  if (!colon)
    return 1;
  size_t plen = (size_t)(colon - k);
  if (plen == 3 && memcmp(k, "xml", 3) == 0)
    return 1;
  return muc_xml_ns_decl(el, k, plen, NULL, NULL) != NULL;
}

static int limit_hit(size_t value, size_t limit)
{
  return limit != 0 && value > limit; /* 0 = no limit */
}

/* Namespace well-formedness of |el|'s name and attributes: every prefix
 * bound, none of the reserved ones misused. */
static int element_ns_ok(const mxml_node_t *el)
{
  const char *name = mxmlGetElement(nc(el));
  const char *colon = strchr(name, ':');
  if (colon) {
    size_t plen = (size_t)(colon - name);
    if (plen == 5 && memcmp(name, "xmlns", 5) == 0)
      return 0;
    if (!(plen == 3 && memcmp(name, "xml", 3) == 0) &&
        !muc_xml_ns_decl(el, name, plen, NULL, NULL))
      return 0; /* unbound prefix */
  }
  int na = mxmlElementGetAttrCount(nc(el));
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(el), i, &k);
    if (!k || !attr_ns_ok(el, k, v))
      return 0;
  }
  return 1;
}

static int children_ok(const mxml_node_t *el, const muc_xml_limits *lim)
{
  size_t nchildren = 0;
  for (mxml_node_t *c = mxmlGetFirstChild(nc(el)); c;
       c = mxmlGetNextSibling(c)) {
    if (is_element(c) && limit_hit(++nchildren, lim->max_children))
      return 0;
  }
  return 1;
}

/* Check the element |el| of a host-built tree alone (its attributes and
 * the number of its element children), strings included: the parser
 * checks all this as it reads. */
static int check_element(const mxml_node_t *el, size_t depth,
                         const muc_xml_limits *lim)
{
  const char *name = mxmlGetElement(nc(el));
  if (!name || !muc_xml_qname_valid(name) || limit_hit(depth, lim->max_depth))
    return 0;
  int na = mxmlElementGetAttrCount(nc(el));
  if (na < 0 || limit_hit((size_t)na, lim->max_attrs))
    return 0;
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(el), i, &k);
    if (!k || !muc_xml_qname_valid(k) ||
        (v && !muc_utf8_xml_valid(v, strlen(v))))
      return 0;
  }
  return element_ns_ok(el) && children_ok(el, lim);
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

static int check_tree(const mxml_node_t *root, const muc_xml_limits *lim)
{
  const mxml_node_t *cur = root;
  size_t depth = 1;
  for (;;) {
    int descend = 0;
    if (mxmlGetType(nc(cur)) == MXML_ELEMENT && !is_cdata(cur)) {
      if (muc_xml_is_special(cur))
        return MUC_ERR_BAD_STANZA; /* comment, PI, DOCTYPE */
      if (!check_element(cur, depth, lim))
        return MUC_ERR_BAD_STANZA;
      descend = mxmlGetFirstChild(nc(cur)) != NULL;
    } else if (!check_text(cur)) {
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
  return check_tree(n, limits_or_default(lim, &def));
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

/* One pass over the text checks well-formedness (as far as XMPP needs
 * it) and builds the tree as it goes, decoded the way a conforming parser
 * reports it: entities and character references resolved, CDATA as text,
 * end-of-line and attribute-value normalization applied.  Each run of
 * character data between two tags becomes one OPAQUE node.  mxml's own
 * parser never sees the input: it accepts too much (see the top of this
 * file) and allocates without telling us when it fails. */

typedef struct scanner {
  const char *s;
  size_t len;
  size_t i;
  const muc_xml_limits *lim;
  muc_buf tmp;       /* the name, value or text being decoded, NUL-ended */
  mxml_node_t *root; /* the tree so far (freed on any failure) */
  mxml_node_t *cur;  /* the innermost open element; NULL outside root */
  size_t depth;      /* open elements */
  /* Refilling an old tree (muc_xml_parse_reusing): |root| is that tree
   * from the start, |next| the node the text must match next in |cur|'s
   * children (NULL: none left), |nattr| the attributes of the current
   * start tag so far. */
  int reusing;
  mxml_node_t *next;
  int nattr;
} scanner;

/* The text does not have the old tree's shape: parse it afresh. */
#define NOT_THE_SAME (-1000)

/* The contexts of character data, as bits of plain[]. */
#define IN_TEXT 1
#define IN_ATTR 2
#define IN_CDATA 4

/* ASCII bytes that are plain in each context: not markup ('<', '&', ']'
 * for "]]>", the value's quotes), not TAB/LF in attribute values (they
 * become spaces), not CR (end-of-line handling), not other controls.
 * Bytes from 0x80 on are never plain: they start UTF-8 sequences to
 * check.  7 = plain everywhere, 5 = in text and CDATA, 4 = in CDATA only,
 * 2 = in attribute values only.  A table: this is the inner loop. */
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
    7, 7, 5, 7, 7, 7, 4, 5, 7, 7, 7, 7, 7, 7, 7, 7, /* 20 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 7, 7, 7, /* 30 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, /* 40 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2, 7, 7, /* 50 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, /* 60 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, /* 70 */
};

static int starts_with(const scanner *sc, const char *lit)
{
  size_t n = strlen(lit);
  return sc->len - sc->i >= n && memcmp(sc->s + sc->i, lit, n) == 0;
}

/* Copy the plain bytes at the cursor into tmp; stop at the first byte
 * that needs a closer look (or the end). */
static void copy_plain(scanner *sc, unsigned char ctx)
{
  const unsigned char *u = (const unsigned char *)sc->s;
  size_t j = sc->i;
  while (j < sc->len && (plain[u[j]] & ctx))
    j++;
  muc_buf_append(&sc->tmp, sc->s + sc->i, j - sc->i);
  sc->i = j;
}

static void put_utf8(muc_buf *b, uint32_t c)
{
  char u[4];
  size_t n;
  if (c < 0x80) {
    u[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | (c >> 6));
    n = 2;
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | (c >> 12));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (c >> 18));
    n = 4;
  }
  for (size_t k = 1; k < n; k++)
    u[k] = (char)(0x80 | ((c >> (6 * (n - 1 - k))) & 0x3F));
  muc_buf_append(b, u, n);
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

/* At "&#": a character reference to an XML Char, decoded into tmp. */
static int scan_char_ref(scanner *sc)
{
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
  if (j >= sc->len || digits == 0 || !muc_xml_is_char(v))
    return MUC_ERR_BAD_STANZA;
  put_utf8(&sc->tmp, v);
  sc->i = j + 1;
  return MUC_OK;
}

/* At '&': only the five predefined entities and character references;
 * XMPP has no DTD to declare others, and HTML names are not XML. */
static int scan_entity(scanner *sc)
{
  /* A char matrix, not pointers: pointer tables land in .data.rel.ro,
   * which `nm` reports as writable data. */
  static const char names[][6] = {"lt;", "gt;", "amp;", "quot;", "apos;"};
  static const char chars[] = "<>&\"'";
  const char *p = sc->s + sc->i + 1;
  size_t left = sc->len - sc->i - 1;
  for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
    size_t n = strlen(names[k]);
    if (left >= n && memcmp(p, names[k], n) == 0) {
      muc_buf_putc(&sc->tmp, chars[k]);
      sc->i += 1 + n;
      return MUC_OK;
    }
  }
  if (left == 0 || *p != '#')
    return MUC_ERR_BAD_STANZA;
  return scan_char_ref(sc);
}

/* At a byte that copy_plain() stopped on in context |ctx| (not the end
 * of the run itself: '<' in text, the quote, "]]>" in CDATA): decode it
 * into tmp, or refuse it. */
static int scan_special(scanner *sc, unsigned char ctx)
{
  const unsigned char *u = (const unsigned char *)sc->s;
  unsigned char c = u[sc->i];
  if (c >= 0x80) {
    size_t from = sc->i;
    uint32_t cp;
    if (!muc_utf8_decode(u, sc->len, &sc->i, &cp) || !muc_xml_is_char(cp))
      return MUC_ERR_BAD_STANZA;
    muc_buf_append(&sc->tmp, sc->s + from, sc->i - from);
    return MUC_OK;
  }
  if (c == '&')
    return scan_entity(sc);
  if (c == ']' && ctx == IN_TEXT && starts_with(sc, "]]>"))
    return MUC_ERR_BAD_STANZA; /* forbidden in character data */
  sc->i++;
  switch (c) {
  case '\r':
    /* End-of-line handling (XML 1.0 §2.11): CRLF and CR become LF, which
     * in attribute values then becomes a space like TAB and LF do
     * (attribute-value normalization, §3.3.3). */
    if (sc->i < sc->len && sc->s[sc->i] == '\n')
      sc->i++;
    c = ctx == IN_ATTR ? ' ' : '\n';
    break;
  case '\t':
  case '\n':
    c = ' '; /* only attribute values stop here */
    break;
  case ']': /* not ending a CDATA section */
  case '"': /* the other quote, in an attribute value */
  case '\'':
    break;
  default:
    return MUC_ERR_BAD_STANZA; /* a control character, '<' in a value */
  }
  muc_buf_putc(&sc->tmp, (char)c);
  return MUC_OK;
}

/* Character data up to the next '<', appended to tmp. */
static int scan_text(scanner *sc)
{
  for (;;) {
    copy_plain(sc, IN_TEXT);
    if (sc->i >= sc->len || sc->s[sc->i] == '<')
      return MUC_OK;
    int rc = scan_special(sc, IN_TEXT);
    if (rc != MUC_OK)
      return rc;
  }
}

/* At "<![CDATA[": the section's content is text like any other. */
static int scan_cdata(scanner *sc)
{
  sc->i += 9;
  for (;;) {
    copy_plain(sc, IN_CDATA);
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA; /* unterminated */
    if (starts_with(sc, "]]>"))
      break;
    int rc = scan_special(sc, IN_CDATA);
    if (rc != MUC_OK)
      return rc;
  }
  sc->i += 3;
  return MUC_OK;
}

/* An attribute value, the cursor on its opening quote, appended to tmp. */
static int scan_attr_value(scanner *sc)
{
  char q = sc->s[sc->i];
  if (q != '"' && q != '\'')
    return MUC_ERR_BAD_STANZA; /* unquoted values are not XML */
  sc->i++;
  for (;;) {
    copy_plain(sc, IN_ATTR);
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA;
    if (sc->s[sc->i] == q)
      break;
    int rc = scan_special(sc, IN_ATTR);
    if (rc != MUC_OK)
      return rc;
  }
  sc->i++;
  return MUC_OK;
}

/* ---- refilling an old tree ----------------------------------------------
 * A stanza's tree is the same shape as the last one's more often than
 * not (a groupchat message after a groupchat message): the old nodes take
 * the new values, and mxml allocates only for the values that changed.
 * Any difference of shape (an element's name, an attribute's name or
 * position, a text node, a node more or less) gives up on the old tree. */

/* The text in tmp as the OPAQUE node |next|. */
static int reuse_text(scanner *sc)
{
  mxml_node_t *t = sc->next;
  if (!t || mxmlGetType(t) != MXML_OPAQUE)
    return NOT_THE_SAME;
  const char *old = mxmlGetOpaque(t);
  if (!old || strcmp(old, sc->tmp.data) != 0) {
    /* when its copy fails, mxml keeps the old text (or none): read back */
    mxmlSetOpaque(t, sc->tmp.data);
    const char *now = mxmlGetOpaque(t);
    if (!now || strcmp(now, sc->tmp.data) != 0)
      return MUC_ERR_NOMEM;
  }
  sc->next = mxmlGetNextSibling(t);
  return MUC_OK;
}

/* The element |next|, if it is named as tmp. */
static mxml_node_t *reuse_element(scanner *sc)
{
  mxml_node_t *el = sc->next;
  if (!el || mxmlGetType(el) != MXML_ELEMENT ||
      strcmp(mxmlGetElement(el), sc->tmp.data) != 0)
    return NULL;
  sc->nattr = 0;
  return el;
}

/* The attribute |name| = |value| as the next one of |el|. */
static int reuse_attr(scanner *sc, mxml_node_t *el, const char *name,
                      const char *value)
{
  const char *old_name = NULL;
  const char *old = mxmlElementGetAttrByIndex(el, sc->nattr++, &old_name);
  if (!old_name || strcmp(old_name, name) != 0)
    return NOT_THE_SAME;
  if (old && strcmp(old, value) == 0)
    return MUC_OK;
  return muc_xml_set_attr(el, name, value);
}

/* The start tag of |el| is complete: it had all the old attributes, and
 * the text goes on among its children (or after it, when |closed|). */
static int reuse_tag_end(scanner *sc, mxml_node_t *el, int closed)
{
  if (sc->nattr != mxmlElementGetAttrCount(el) ||
      (closed && mxmlGetFirstChild(el)))
    return NOT_THE_SAME;
  sc->next = closed ? mxmlGetNextSibling(el) : mxmlGetFirstChild(el);
  return MUC_OK;
}

/* The text collected since the last tag becomes one OPAQUE node. */
static int flush_text(scanner *sc)
{
  if (sc->tmp.oom)
    return MUC_ERR_NOMEM;
  if (sc->tmp.len == 0)
    return MUC_OK;
  if (sc->reusing) {
    int rc = reuse_text(sc);
    if (rc != MUC_OK)
      return rc;
  } else if (!muc_xml_new_opaque(sc->cur, sc->tmp.data)) {
    return MUC_ERR_NOMEM;
  }
  muc_buf_reset(&sc->tmp);
  return MUC_OK;
}

static void skip_space(scanner *sc)
{
  while (sc->i < sc->len && is_space(sc->s[sc->i]))
    sc->i++;
}

/* A QName at the cursor, which must be followed by a delimiter.  *|name|
 * points to it in the input, *|n| gets its length. */
static int scan_name(scanner *sc, const char **name, size_t *n)
{
  *n = muc_xml_scan_qname(sc->s, sc->len, sc->i);
  if (*n == 0 || sc->i + *n >= sc->len)
    return MUC_ERR_BAD_STANZA;
  char d = sc->s[sc->i + *n];
  if (!is_space(d) && d != '>' && d != '/' && d != '=')
    return MUC_ERR_BAD_STANZA;
  *name = sc->s + sc->i;
  sc->i += *n;
  return MUC_OK;
}

/* One attribute of |el|, the cursor on its name. */
static int scan_attr(scanner *sc, mxml_node_t *el)
{
  const char *an;
  size_t n;
  if (scan_name(sc, &an, &n) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  /* Count before anything else: each duplicate check is a linear scan. */
  int count = sc->reusing ? sc->nattr : mxmlElementGetAttrCount(el);
  if (limit_hit((size_t)count + 1, sc->lim->max_attrs))
    return MUC_ERR_BAD_STANZA;
  skip_space(sc);
  if (sc->i >= sc->len || sc->s[sc->i] != '=')
    return MUC_ERR_BAD_STANZA;
  sc->i++;
  skip_space(sc);
  if (sc->i >= sc->len)
    return MUC_ERR_BAD_STANZA;
  /* tmp holds the name, a NUL, then the decoded value. */
  muc_buf_reset(&sc->tmp);
  muc_buf_append(&sc->tmp, an, n);
  muc_buf_putc(&sc->tmp, '\0');
  int rc = scan_attr_value(sc);
  if (rc != MUC_OK)
    return rc;
  if (sc->tmp.oom)
    return MUC_ERR_NOMEM;
  const char *name = sc->tmp.data;
  if (sc->reusing) /* the old names were unique: so are the same names */
    return reuse_attr(sc, el, name, name + n + 1);
  if (mxmlElementGetAttr(el, name))
    return MUC_ERR_BAD_STANZA; /* duplicate attribute */
  /* a new attribute: mxml adds it, or on allocation failure leaves the
   * count as it was (muc_xml_set_attr reads a replaced one back) */
  int before = mxmlElementGetAttrCount(el);
  mxmlElementSetAttr(el, name, name + n + 1);
  return mxmlElementGetAttrCount(el) > before ? MUC_OK : MUC_ERR_NOMEM;
}

/* A start tag, the cursor after '<'.  *closed: the tag ended with "/>". */
static int scan_start_tag(scanner *sc, int *closed)
{
  const char *name;
  size_t n;
  if (scan_name(sc, &name, &n) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  if (limit_hit(sc->depth + 1, sc->lim->max_depth))
    return MUC_ERR_BAD_STANZA;
  muc_buf_reset(&sc->tmp);
  if (muc_buf_append(&sc->tmp, name, n) != MUC_OK)
    return MUC_ERR_NOMEM;
  mxml_node_t *el = sc->reusing ? reuse_element(sc)
                                : muc_xml_new_element(sc->cur, sc->tmp.data);
  if (!el)
    return sc->reusing ? NOT_THE_SAME : MUC_ERR_NOMEM;
  if (!sc->root)
    sc->root = el;
  for (;;) {
    size_t before = sc->i;
    skip_space(sc);
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA;
    if (sc->s[sc->i] == '>' || starts_with(sc, "/>"))
      break;
    if (sc->i == before)
      return MUC_ERR_BAD_STANZA; /* attributes need whitespace between */
    int rc = scan_attr(sc, el);
    if (rc != MUC_OK)
      return rc;
  }
  muc_buf_reset(&sc->tmp); /* ready for the element's text */
  *closed = sc->s[sc->i] == '/';
  sc->i += *closed ? 2 : 1;
  if (sc->reusing) {
    int rc = reuse_tag_end(sc, el, *closed);
    if (rc != MUC_OK)
      return rc;
  }
  /* Every declaration the tag makes is in place now. */
  if (!element_ns_ok(el))
    return MUC_ERR_BAD_STANZA;
  if (!*closed) {
    sc->cur = el;
    sc->depth++;
  }
  return MUC_OK;
}

/* An end tag, the cursor after "</". */
static int scan_end_tag(scanner *sc)
{
  const char *name;
  size_t n;
  if (scan_name(sc, &name, &n) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  skip_space(sc);
  if (sc->i >= sc->len || sc->s[sc->i] != '>' || !sc->cur)
    return MUC_ERR_BAD_STANZA;
  sc->i++;
  const char *open = mxmlGetElement(sc->cur);
  if (strncmp(open, name, n) != 0 || open[n] != '\0')
    return MUC_ERR_BAD_STANZA; /* mismatched close tag */
  /* Counted once complete: each child is counted once, by its parent. */
  if (!children_ok(sc->cur, sc->lim))
    return MUC_ERR_BAD_STANZA;
  if (sc->reusing) {
    if (sc->next)
      return NOT_THE_SAME; /* the old element had more children */
    sc->next = mxmlGetNextSibling(sc->cur);
  }
  sc->cur = mxmlGetParent(sc->cur);
  sc->depth--;
  return MUC_OK;
}

/* The markup at '<': a tag, or something XMPP forbids. */
static int scan_markup(scanner *sc)
{
  int rc = flush_text(sc);
  if (rc != MUC_OK)
    return rc;
  if (starts_with(sc, "<!") || starts_with(sc, "<?"))
    return MUC_ERR_BAD_STANZA; /* comment, DOCTYPE, PI, XML decl */
  if (starts_with(sc, "</")) {
    sc->i += 2;
    return scan_end_tag(sc);
  }
  int closed;
  sc->i++;
  return scan_start_tag(sc, &closed);
}

static int scan_document(scanner *sc)
{
  for (;;) {
    int rc;
    if (sc->i >= sc->len)
      return MUC_ERR_BAD_STANZA; /* empty or truncated */
    if (sc->s[sc->i] != '<') {
      if (!sc->cur)
        return MUC_ERR_BAD_STANZA; /* text outside the root */
      rc = scan_text(sc);
    } else if (sc->cur && starts_with(sc, "<![CDATA[")) {
      rc = scan_cdata(sc);
    } else {
      rc = scan_markup(sc);
      if (rc == MUC_OK && !sc->cur)
        break; /* the root element is complete */
    }
    if (rc != MUC_OK)
      return rc;
  }
  if (sc->i != sc->len)
    return MUC_ERR_BAD_STANZA; /* junk after the root element */
  return MUC_OK;
}

int muc_xml_parse(muc_mem *m, const char *buf, size_t len,
                  const muc_xml_limits *lim, mxml_node_t **out)
{
  return muc_xml_parse_reusing(m, buf, len, lim, NULL, out);
}

/* One parse: into |old| when it is not NULL (which is then the tree the
 * scanner fills, freed on any failure). */
static int parse(muc_mem *m, const char *buf, size_t len,
                 const muc_xml_limits *lim, mxml_node_t *old, mxml_node_t **out)
{
  scanner sc = {0};
  sc.s = buf;
  sc.len = len;
  sc.lim = lim;
  sc.reusing = old != NULL;
  sc.root = sc.next = old;
  muc_buf_init(&sc.tmp, m);
  int rc = scan_document(&sc);
  muc_buf_free(&sc.tmp);
  if (rc != MUC_OK) {
    mxmlDelete(sc.root);
    return rc;
  }
  *out = sc.root;
  return MUC_OK;
}

int muc_xml_parse_reusing(muc_mem *m, const char *buf, size_t len,
                          const muc_xml_limits *lim, mxml_node_t *old,
                          mxml_node_t **out)
{
  if (out)
    *out = NULL;
  if (!m || !out || (!buf && len)) {
    mxmlDelete(old);
    return MUC_ERR_INVALID_ARG;
  }
  muc_xml_limits def;
  lim = limits_or_default(lim, &def);
  if (limit_hit(len, lim->max_bytes)) {
    mxmlDelete(old);
    return MUC_ERR_LIMIT;
  }
  /* Whitespace keepalives and pretty-printing around the stanza. */
  while (len && is_space(buf[0])) {
    buf++;
    len--;
  }
  while (len && is_space(buf[len - 1]))
    len--;
  /* a refill meets the text's faults where a fresh parse would, and
   * reports running out of memory like one */
  int rc = old ? parse(m, buf, len, lim, old, out) : NOT_THE_SAME;
  return rc != NOT_THE_SAME ? rc : parse(m, buf, len, lim, NULL, out);
}
