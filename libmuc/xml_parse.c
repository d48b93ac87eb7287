/* The parser front end: a validating scanner for one stanza's text, and
 * the structural checks (limits, namespace prefixes) shared with
 * host-built trees.
 *
 * Mini-XML is used only as a tree container.  Its own parser accepts much
 * that XMPP forbids (comments, PIs, DOCTYPE, HTML entities, junk after the
 * root, truncated input), so input is validated and rewritten into a
 * canonical form by our own scanner before mxml sees it (see
 * shared/docs/mxml-notes.md). */
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
  if (strncmp(k, "xmlns", 5) == 0 && (k[5] == '\0' || k[5] == ':')) {
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
  muc_xml_resolve_ns(el, &unbound);
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
      if (muc_xml_is_special(cur))
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
