/*
 * scs - scansion script parser and shared XML helpers.
 * SPDX-License-Identifier: MIT
 */
#include "scs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

static int buf_reserve(scs_buf *b, size_t extra)
{
  if (b->oom)
    return -1;
  if (b->len + extra + 1 <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  char *s = realloc(b->s, cap);
  if (!s) {
    b->oom = 1;
    return -1;
  }
  b->s = s;
  b->cap = cap;
  return 0;
}

void scs_buf_addn(scs_buf *b, const char *s, size_t n)
{
  if (buf_reserve(b, n) < 0)
    return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void scs_buf_add(scs_buf *b, const char *s)
{
  scs_buf_addn(b, s, strlen(s));
}

void scs_buf_vprintf(scs_buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || buf_reserve(b, (size_t)n) < 0)
    return;
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void scs_buf_printf(scs_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  scs_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

static void buf_escape(scs_buf *b, const char *s, int attr)
{
  const char *run = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&':
      rep = "&amp;";
      break;
    case '<':
      rep = "&lt;";
      break;
    case '>':
      rep = "&gt;";
      break;
    case '\'':
      rep = attr ? "&apos;" : NULL;
      break;
    case '"':
      rep = attr ? "&quot;" : NULL;
      break;
    case '\t':
      rep = attr ? "&#9;" : NULL;
      break;
    case '\n':
      rep = attr ? "&#10;" : NULL;
      break;
    case '\r':
      rep = "&#13;";
      break;
    default:
      break;
    }
    if (rep) {
      scs_buf_addn(b, run, (size_t)(s - run));
      scs_buf_add(b, rep);
      run = s + 1;
    }
  }
  scs_buf_addn(b, run, (size_t)(s - run));
}

void scs_buf_add_escaped(scs_buf *b, const char *s)
{
  buf_escape(b, s, 1);
}

char *scs_buf_take(scs_buf *b)
{
  char *s = b->s;
  if (!s)
    s = scs_strdup("");
  b->s = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
  return s;
}

void scs_buf_free(scs_buf *b)
{
  free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

char *scs_strndup(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *scs_strdup(const char *s)
{
  return s ? scs_strndup(s, strlen(s)) : NULL;
}

static int is_ws(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int scs_is_blank(const char *s)
{
  if (!s)
    return 1;
  for (; *s; s++)
    if (!is_ws(*s))
      return 0;
  return 1;
}

static int ends_with(const char *s, size_t len, const char *suffix,
                     size_t *prefix_len)
{
  size_t n = strlen(suffix);
  if (len < n || memcmp(s + len - n, suffix, n) != 0)
    return 0;
  *prefix_len = len - n;
  return 1;
}

/* ------------------------------------------------------------------ */
/* Variables                                                           */
/* ------------------------------------------------------------------ */

int scs_substitute(const char *text, scs_jid_lookup lookup, void *ud,
                   char **out, char *err, size_t errsz)
{
  scs_buf b = {0};
  const char *p = text;
  for (;;) {
    const char *v = strstr(p, "${");
    if (!v) {
      scs_buf_add(&b, p);
      break;
    }
    scs_buf_addn(&b, p, (size_t)(v - p));
    const char *end = strchr(v + 2, '}');
    if (!end) {
      snprintf(err, errsz, "unterminated variable \"%.40s\"", v);
      scs_buf_free(&b);
      return -1;
    }
    const char *inner = v + 2;
    size_t ilen = (size_t)(end - inner), nlen;
    int full;
    if (ends_with(inner, ilen, "'s full JID", &nlen))
      full = 1;
    else if (ends_with(inner, ilen, "'s JID", &nlen))
      full = 0;
    else {
      snprintf(err, errsz,
               "unknown variable \"${%.*s}\" (expected ${NAME's full JID} "
               "or ${NAME's JID})",
               (int)ilen, inner);
      scs_buf_free(&b);
      return -1;
    }
    char *name = scs_strndup(inner, nlen);
    const char *jid = name ? lookup(name, full, ud) : NULL;
    if (!jid) {
      snprintf(err, errsz, "variable \"${%.*s}\": no client named \"%s\"",
               (int)ilen, inner, name ? name : "?");
      free(name);
      scs_buf_free(&b);
      return -1;
    }
    free(name);
    scs_buf_add_escaped(&b, jid);
    p = end + 1;
  }
  if (b.oom) {
    snprintf(err, errsz, "out of memory");
    scs_buf_free(&b);
    return -1;
  }
  *out = scs_buf_take(&b);
  return *out ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* XML helpers                                                         */
/* ------------------------------------------------------------------ */

static mxml_node_t *nc(const mxml_node_t *n)
{
  return (mxml_node_t *)n;
}

int scs_xml_is_element(const mxml_node_t *n)
{
  if (!n || mxmlGetType(nc(n)) != MXML_ELEMENT)
    return 0;
  const char *name = mxmlGetElement(nc(n));
  return name && name[0] != '!' && name[0] != '?';
}

mxml_node_t *scs_xml_next_element(const mxml_node_t *n)
{
  mxml_node_t *c = mxmlGetNextSibling(nc(n));
  while (c && !scs_xml_is_element(c))
    c = mxmlGetNextSibling(c);
  return c;
}

mxml_node_t *scs_xml_first_element(const mxml_node_t *parent)
{
  mxml_node_t *c = mxmlGetFirstChild(nc(parent));
  if (c && !scs_xml_is_element(c))
    c = scs_xml_next_element(c);
  return c;
}

size_t scs_xml_count_elements(const mxml_node_t *parent)
{
  size_t n = 0;
  for (mxml_node_t *c = scs_xml_first_element(parent); c;
       c = scs_xml_next_element(c))
    n++;
  return n;
}

/* Text of a non-element node, or NULL.  *|owned| set when malloc'd. */
static const char *node_text(const mxml_node_t *n, char **owned)
{
  *owned = NULL;
  switch (mxmlGetType(nc(n))) {
  case MXML_OPAQUE:
    return mxmlGetOpaque(nc(n));
  case MXML_TEXT: {
    int ws = 0;
    const char *t = mxmlGetText(nc(n), &ws);
    if (!t)
      return NULL;
    if (!ws)
      return t;
    size_t l = strlen(t);
    *owned = malloc(l + 2);
    if (!*owned)
      return NULL;
    (*owned)[0] = ' ';
    memcpy(*owned + 1, t, l + 1);
    return *owned;
  }
  case MXML_ELEMENT: {
    const char *name = mxmlGetElement(nc(n));
    if (name && strncmp(name, "![CDATA[", 8) == 0)
      return mxmlGetCDATA(nc(n));
    return NULL;
  }
  default:
    return NULL;
  }
}

mxml_node_t *scs_xml_copy(mxml_node_t *parent, const mxml_node_t *n)
{
  mxml_node_t *el =
      mxmlNewElement(parent ? parent : MXML_NO_PARENT, mxmlGetElement(nc(n)));
  if (!el)
    return NULL;
  int na = mxmlElementGetAttrCount(nc(n));
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(n), i, &k);
    if (k && v)
      mxmlElementSetAttr(el, k, v);
  }
  for (mxml_node_t *c = mxmlGetFirstChild(nc(n)); c;
       c = mxmlGetNextSibling(c)) {
    if (scs_xml_is_element(c)) {
      scs_xml_copy(el, c);
      continue;
    }
    char *owned;
    const char *t = node_text(c, &owned);
    if (t)
      mxmlNewOpaque(el, t);
    free(owned);
  }
  return el;
}

void scs_xml_strip_blank(mxml_node_t *el)
{
  int has_el = scs_xml_first_element(el) != NULL;
  mxml_node_t *c = mxmlGetFirstChild(el);
  while (c) {
    mxml_node_t *next = mxmlGetNextSibling(c);
    if (scs_xml_is_element(c)) {
      scs_xml_strip_blank(c);
    } else if (mxmlGetType(c) == MXML_OPAQUE) {
      const char *t = mxmlGetOpaque(c);
      if (scs_is_blank(t) && (has_el || (t && strchr(t, '\n'))))
        mxmlDelete(c);
    }
    c = next;
  }
}

/* Mini-XML reads more than XML allows in names ('&amp;' in an attribute
 * name comes back as '&'): a name here is XML's Name production, with
 * every non-ASCII byte taken as a name character. */
static int is_xml_name(const char *s)
{
  static const char not_in_name[] = " \t\r\n&<>\"'=/!?;";
  if (!s || !*s || strchr("-.0123456789", *s))
    return 0;
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || strchr(not_in_name, *s))
      return 0;
  return 1;
}

/* Every element and attribute name under |el| (after normalize). */
static int names_ok(mxml_node_t *el)
{
  for (mxml_node_t *c = mxmlGetFirstChild(el); c; c = mxmlGetNextSibling(c)) {
    if (!scs_xml_is_element(c))
      continue;
    if (!is_xml_name(mxmlGetElement(c)))
      return 0;
    for (int i = 0; i < mxmlElementGetAttrCount(c); i++) {
      const char *name = NULL;
      mxmlElementGetAttrByIndex(c, i, &name);
      if (!is_xml_name(name))
        return 0;
    }
    if (!names_ok(c))
      return 0;
  }
  return 1;
}

/* Turn CDATA into text and drop comments / PIs / DOCTYPE, recursively. */
static void normalize(mxml_node_t *el)
{
  mxml_node_t *c = mxmlGetFirstChild(el);
  while (c) {
    mxml_node_t *next = mxmlGetNextSibling(c);
    if (mxmlGetType(c) == MXML_ELEMENT) {
      const char *name = mxmlGetElement(c);
      if (strncmp(name, "![CDATA[", 8) == 0) {
        const char *t = mxmlGetCDATA(c);
        mxml_node_t *o = mxmlNewOpaque(MXML_NO_PARENT, t ? t : "");
        mxmlAdd(el, MXML_ADD_BEFORE, c, o);
        mxmlDelete(c);
      } else if (name[0] == '!' || name[0] == '?') {
        mxmlDelete(c);
      } else {
        normalize(c);
      }
    }
    c = next;
  }
}

static char parse_error[256];

static void capture_error(const char *msg)
{
  snprintf(parse_error, sizeof parse_error, "%s", msg);
}

mxml_node_t *scs_xml_parse_block(const char *text, char *err, size_t errsz)
{
  static const char open[] = "<" SCS_BLOCK_ROOT ">";
  static const char close[] = "</" SCS_BLOCK_ROOT ">";
  /* A block that closes the wrapper itself is malformed, and Mini-XML
   * would lose (leak) the nodes it reads after that */
  if (strstr(text, "</" SCS_BLOCK_ROOT)) {
    snprintf(err, errsz, "malformed XML: </" SCS_BLOCK_ROOT "> in the block");
    return NULL;
  }
  size_t tl = strlen(text);
  char *doc = malloc(sizeof open + tl + sizeof close);
  if (!doc) {
    snprintf(err, errsz, "out of memory");
    return NULL;
  }
  memcpy(doc, open, sizeof open - 1);
  memcpy(doc + sizeof open - 1, text, tl);
  memcpy(doc + sizeof open - 1 + tl, close, sizeof close);
  parse_error[0] = '\0';
  mxmlSetErrorCallback(capture_error);
  mxml_node_t *root = mxmlLoadString(NULL, doc, MXML_OPAQUE_CALLBACK);
  mxmlSetErrorCallback(NULL);
  free(doc);
  if (!root || mxmlGetType(root) != MXML_ELEMENT ||
      strcmp(mxmlGetElement(root), SCS_BLOCK_ROOT) != 0) {
    const char *why = parse_error[0] ? parse_error : "cannot parse";
    const char *wrap = strstr(why, "</" SCS_BLOCK_ROOT ">");
    const char *parent = wrap ? strstr(wrap, "under parent <") : NULL;
    if (parent)
      snprintf(err, errsz,
               "malformed XML: element <%.*s> is not closed "
               "at the end of the block%s",
               (int)strcspn(parent + 14, ">"), parent + 14,
               strstr(parent, " on line ") ? strstr(parent, " on line ") : "");
    else
      snprintf(err, errsz, "malformed XML: %s", why);
    mxmlDelete(root);
    return NULL;
  }
  normalize(root);
  if (!names_ok(root)) {
    snprintf(err, errsz,
             "malformed XML: an element or attribute name that "
             "is no XML name");
    mxmlDelete(root);
    return NULL;
  }
  for (mxml_node_t *c = mxmlGetFirstChild(root); c; c = mxmlGetNextSibling(c)) {
    if (scs_xml_is_element(c))
      continue;
    char *owned;
    const char *t = node_text(c, &owned);
    int blank = scs_is_blank(t);
    if (!blank) {
      snprintf(err, errsz, "text outside any element: \"%.40s\"", t);
      free(owned);
      mxmlDelete(root);
      return NULL;
    }
    free(owned);
  }
  if (!scs_xml_first_element(root)) {
    snprintf(err, errsz, "the XML block holds no element");
    mxmlDelete(root);
    return NULL;
  }
  return root;
}

static void indent_to(scs_buf *out, int n)
{
  for (int i = 0; i < n; i++)
    scs_buf_addn(out, " ", 1);
}

static void format_open(scs_buf *out, const mxml_node_t *n)
{
  scs_buf_add(out, "<");
  scs_buf_add(out, mxmlGetElement(nc(n)));
  int na = mxmlElementGetAttrCount(nc(n));
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(n), i, &k);
    if (!k)
      continue;
    scs_buf_printf(out, " %s='", k);
    buf_escape(out, v ? v : "", 1);
    scs_buf_add(out, "'");
  }
}

void scs_xml_format(scs_buf *out, const mxml_node_t *n, int indent)
{
  if (!scs_xml_is_element(n)) {
    char *owned;
    const char *t = node_text(n, &owned);
    if (t)
      buf_escape(out, t, 0);
    free(owned);
    return;
  }
  int pretty = indent >= 0;
  int has_el = scs_xml_first_element(n) != NULL;
  int has_text = 0;
  for (mxml_node_t *c = mxmlGetFirstChild(nc(n)); c;
       c = mxmlGetNextSibling(c)) {
    if (scs_xml_is_element(c))
      continue;
    char *owned;
    const char *t = node_text(c, &owned);
    if (!scs_is_blank(t))
      has_text = 1;
    free(owned);
  }
  if (pretty)
    indent_to(out, indent);
  format_open(out, n);
  if (!has_el && !has_text) {
    scs_buf_add(out, "/>");
    return;
  }
  scs_buf_add(out, ">");
  if (!has_el || !pretty) {
    /* Inline content: text kept as is (blank text dropped when it only
     * separates elements). */
    for (mxml_node_t *c = mxmlGetFirstChild(nc(n)); c;
         c = mxmlGetNextSibling(c)) {
      if (scs_xml_is_element(c)) {
        scs_xml_format(out, c, -1);
        continue;
      }
      char *owned;
      const char *t = node_text(c, &owned);
      if (t && (!has_el || !scs_is_blank(t)))
        buf_escape(out, t, 0);
      free(owned);
    }
  } else {
    for (mxml_node_t *c = mxmlGetFirstChild(nc(n)); c;
         c = mxmlGetNextSibling(c)) {
      if (scs_xml_is_element(c)) {
        scs_buf_add(out, "\n");
        scs_xml_format(out, c, indent + 2);
        continue;
      }
      char *owned;
      const char *t = node_text(c, &owned);
      if (!scs_is_blank(t)) {
        while (is_ws(*t))
          t++;
        size_t l = strlen(t);
        while (l && is_ws(t[l - 1]))
          l--;
        char *trim = scs_strndup(t, l);
        scs_buf_add(out, "\n");
        indent_to(out, indent + 2);
        if (trim)
          buf_escape(out, trim, 0);
        free(trim);
      }
      free(owned);
    }
    scs_buf_add(out, "\n");
    indent_to(out, indent);
  }
  scs_buf_printf(out, "</%s>", mxmlGetElement(nc(n)));
}

char *scs_xml_string(const mxml_node_t *n, int indent)
{
  scs_buf b = {0};
  scs_xml_format(&b, n, indent);
  return scs_buf_take(&b);
}

/* ------------------------------------------------------------------ */
/* Script parser                                                       */
/* ------------------------------------------------------------------ */

typedef struct parser {
  const char *name;
  char *err;
  size_t errsz;
  scs_script *s;
  size_t ccap, acap;
} parser;

static int fail(parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parser *p, int line, const char *fmt, ...)
{
  int n = snprintf(p->err, p->errsz, "%s:%d: ", p->name, line);
  if (n < 0 || (size_t)n >= p->errsz)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err + n, p->errsz - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

void scs_free(scs_script *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->nclients; i++) {
    scs_client *c = &s->clients[i];
    free(c->name);
    free(c->jid);
    free(c->password);
    free(c->resource);
    free(c->connect_host);
  }
  for (size_t i = 0; i < s->nactions; i++)
    free(s->actions[i].xml);
  free(s->clients);
  free(s->actions);
  free(s->name);
  free(s->title);
  free(s);
}

int scs_find_client(const scs_script *s, const char *name)
{
  for (size_t i = 0; i < s->nclients; i++)
    if (strcmp(s->clients[i].name, name) == 0)
      return (int)i;
  return -1;
}

const char *scs_action_verb(scs_action_kind kind)
{
  switch (kind) {
  case SCS_CONNECT:
    return "connects";
  case SCS_DISCONNECT:
    return "disconnects";
  case SCS_SEND:
    return "sends:";
  case SCS_RECEIVE:
    return "receives:";
  case SCS_RECEIVE_NOTHING:
    return "receives: nothing";
  }
  return "?";
}

/* A copy of [s, s+n) without leading/trailing whitespace. */
static char *trim_dup(const char *s, size_t n)
{
  while (n && is_ws(*s)) {
    s++;
    n--;
  }
  while (n && is_ws(s[n - 1]))
    n--;
  return scs_strndup(s, n);
}

static int is_dash_line(const char *l, size_t n)
{
  size_t d = 0;
  while (d < n && l[d] == '-')
    d++;
  if (d < 3)
    return 0;
  for (size_t i = d; i < n; i++)
    if (!is_ws(l[i]))
      return 0;
  return 1;
}

static int is_blank_n(const char *l, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!is_ws(l[i]))
      return 0;
  return 1;
}

static const char *placeholder_lookup(const char *name, int full, void *ud)
{
  const scs_script *s = ud;
  if (scs_find_client(s, name) < 0)
    return NULL;
  return full ? "placeholder@localhost/placeholder" : "placeholder@localhost";
}

/* Is the comment line |l| the runner directive "# libmuc: |name|"? */
static int is_directive(const char *l, size_t n, const char *name)
{
  static const char head[] = "# libmuc: ";
  size_t h = sizeof(head) - 1, k = strlen(name);
  if (n < h + k || memcmp(l, head, h) != 0 || memcmp(l + h, name, k) != 0)
    return 0;
  for (size_t i = h + k; i < n; i++)
    if (!is_ws(l[i]))
      return 0;
  return 1;
}

static int header_property(parser *p, int line, const char *l, size_t n)
{
  scs_script *s = p->s;
  if (s->nclients == 0)
    return fail(p, line, "indented line outside a [Client] block");
  scs_client *c = &s->clients[s->nclients - 1];
  const char *colon = memchr(l, ':', n);
  if (!colon)
    return fail(p, line, "expected \"key: value\" in a [Client] block");
  char *key = trim_dup(l, (size_t)(colon - l));
  /* A '#' after whitespace starts a comment. */
  size_t vn = n - (size_t)(colon + 1 - l);
  const char *v = colon + 1;
  for (size_t i = 1; i < vn; i++)
    if (v[i] == '#' && is_ws(v[i - 1])) {
      vn = i;
      break;
    }
  char *val = trim_dup(v, vn);
  if (!key || !val) {
    free(key);
    free(val);
    return fail(p, line, "out of memory");
  }
  char **slot = NULL;
  if (strcmp(key, "jid") == 0)
    slot = &c->jid;
  else if (strcmp(key, "password") == 0)
    slot = &c->password;
  else if (strcmp(key, "resource") == 0)
    slot = &c->resource;
  else if (strcmp(key, "connect_host") == 0)
    slot = &c->connect_host;
  else if (strcmp(key, "connect_port") == 0) {
    char *end;
    errno = 0;
    long port = strtol(val, &end, 10);
    if (errno || *end || end == val || port <= 0 || port > 65535) {
      free(key);
      free(val);
      return fail(p, line, "bad connect_port");
    }
    c->connect_port = (int)port;
    free(key);
    free(val);
    return 0;
  } else {
    int r = fail(p, line,
                 "unknown client property \"%s\" (known: jid, password, "
                 "resource, connect_host, connect_port)",
                 key);
    free(key);
    free(val);
    return r;
  }
  if (*slot) {
    int r = fail(p, line, "property \"%s\" given twice", key);
    free(key);
    free(val);
    return r;
  }
  free(key);
  *slot = val;
  return 0;
}

static int new_client(parser *p, int line, const char *l, size_t n)
{
  scs_script *s = p->s;
  char *name = trim_dup(l + 8, n - 8);
  if (!name)
    return fail(p, line, "out of memory");
  if (!*name) {
    free(name);
    return fail(p, line, "[Client] without a name");
  }
  if (scs_find_client(s, name) >= 0) {
    int r = fail(p, line, "client \"%s\" declared twice", name);
    free(name);
    return r;
  }
  if (s->nclients == p->ccap) {
    size_t cap = p->ccap ? 2 * p->ccap : 4;
    scs_client *nc2 = realloc(s->clients, cap * sizeof *nc2);
    if (!nc2) {
      free(name);
      return fail(p, line, "out of memory");
    }
    s->clients = nc2;
    p->ccap = cap;
  }
  scs_client *c = &s->clients[s->nclients++];
  memset(c, 0, sizeof *c);
  c->name = name;
  c->line = line;
  return 0;
}

static int check_block(parser *p, scs_action *a)
{
  char msg[300];
  char *text = NULL;
  if (scs_substitute(a->xml, placeholder_lookup, p->s, &text, msg, sizeof msg) <
      0)
    return fail(p, a->xml_line, "%s", msg);
  mxml_node_t *root = scs_xml_parse_block(text, msg, sizeof msg);
  free(text);
  if (!root) {
    /* Mini-XML counts lines from the start of the block. */
    int line = a->xml_line;
    char *on = strstr(msg, " on line ");
    if (on) {
      long n = strtol(on + 9, NULL, 10);
      if (n > 0)
        line = a->xml_line + (int)n - 1;
      *on = '\0';
    }
    return fail(p, line, "%s", msg);
  }
  a->nelements = scs_xml_count_elements(root);
  mxmlDelete(root);
  return 0;
}

static int new_action(parser *p, int line, const char *l, size_t n,
                      scs_action **out)
{
  static const struct {
    const char *suffix;
    scs_action_kind kind;
  } forms[] = {
      {" receives: nothing", SCS_RECEIVE_NOTHING},
      {" receives:", SCS_RECEIVE},
      {" sends:", SCS_SEND},
      {" disconnects", SCS_DISCONNECT},
      {" connects", SCS_CONNECT},
  };
  scs_script *s = p->s;
  while (n && is_ws(l[n - 1]))
    n--;
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    size_t nl;
    if (!ends_with(l, n, forms[i].suffix, &nl))
      continue;
    char *name = trim_dup(l, nl);
    if (!name)
      return fail(p, line, "out of memory");
    int ci = scs_find_client(s, name);
    if (ci < 0) {
      int r = fail(p, line, "unknown client \"%s\"", name);
      free(name);
      return r;
    }
    free(name);
    if (s->nactions == p->acap) {
      size_t cap = p->acap ? 2 * p->acap : 16;
      scs_action *na = realloc(s->actions, cap * sizeof *na);
      if (!na)
        return fail(p, line, "out of memory");
      s->actions = na;
      p->acap = cap;
    }
    scs_action *a = &s->actions[s->nactions++];
    memset(a, 0, sizeof *a);
    a->kind = forms[i].kind;
    a->client = (size_t)ci;
    a->line = line;
    *out = a;
    return 0;
  }
  return fail(p, line,
              "unknown action \"%.*s\" (expected NAME connects, disconnects, "
              "sends:, receives: or receives: nothing)",
              (int)n, l);
}

int scs_parse(const char *text, size_t len, const char *name, scs_script **out,
              char *err, size_t errsz)
{
  parser p = {0};
  p.name = name ? name : "script";
  p.err = err;
  p.errsz = errsz;
  *out = NULL;
  if (memchr(text, '\0', len))
    return fail(&p, 1, "NUL byte in script");
  p.s = calloc(1, sizeof *p.s);
  if (!p.s)
    return fail(&p, 1, "out of memory");
  scs_script *s = p.s;
  s->name = scs_strdup(p.name);
  int in_header = 1;
  scs_action *block = NULL; /* action whose XML block is being read */
  scs_buf xml = {0};
  int line = 0;
  size_t pos = 0;
  while (pos < len) {
    const char *l = text + pos;
    const char *nl = memchr(l, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - l) : len - pos;
    pos += n + (nl ? 1 : 0);
    line++;
    if (n && l[n - 1] == '\r')
      n--;
    int blank = is_blank_n(l, n);
    int indented = n && (l[0] == ' ' || l[0] == '\t');

    if (block) {
      if (blank || indented) {
        scs_buf_addn(&xml, l, n);
        scs_buf_add(&xml, "\n");
        continue;
      }
      block->xml = scs_buf_take(&xml);
      if (!block->xml || scs_is_blank(block->xml)) {
        fail(&p, block->line, "%s without an XML block",
             scs_action_verb(block->kind));
        goto error;
      }
      if (check_block(&p, block) < 0)
        goto error;
      block = NULL;
    }
    if (blank)
      continue;
    if (l[0] == '#') {
      if (in_header && is_directive(l, n, "archive"))
        s->archive = 1;
      if (!s->title && in_header) {
        size_t i = 1;
        while (i < n && is_ws(l[i]))
          i++;
        s->title = trim_dup(l + i, n - i);
      }
      continue;
    }
    if (in_header) {
      if (is_dash_line(l, n)) {
        in_header = 0;
        continue;
      }
      if (indented) {
        if (header_property(&p, line, l, n) < 0)
          goto error;
        continue;
      }
      if (n >= 8 && memcmp(l, "[Client]", 8) == 0) {
        if (new_client(&p, line, l, n) < 0)
          goto error;
        continue;
      }
      fail(&p, line, "unexpected line in the header: \"%.*s\"", (int)n, l);
      goto error;
    }
    if (indented) {
      fail(&p, line, "indented line not part of a sends:/receives: block");
      goto error;
    }
    scs_action *a = NULL;
    if (new_action(&p, line, l, n, &a) < 0)
      goto error;
    if (a->kind == SCS_SEND || a->kind == SCS_RECEIVE) {
      block = a;
      block->xml_line = line + 1;
    } else if (pos < len && (text[pos] == ' ' || text[pos] == '\t')) {
      /* The next line is indented: only blank lines may follow here. */
      size_t q = pos;
      while (q < len && text[q] != '\n' && is_ws(text[q]))
        q++;
      if (q < len && text[q] != '\n') {
        fail(&p, line + 1, "\"%s\" takes no XML block",
             scs_action_verb(a->kind));
        goto error;
      }
    }
  }
  if (block) {
    block->xml = scs_buf_take(&xml);
    if (!block->xml || scs_is_blank(block->xml)) {
      fail(&p, block->line, "%s without an XML block",
           scs_action_verb(block->kind));
      goto error;
    }
    if (check_block(&p, block) < 0)
      goto error;
  }
  if (in_header) {
    fail(&p, line, "no line of dashes (-----) ends the header");
    goto error;
  }
  for (size_t i = 0; i < s->nclients; i++)
    if (!s->clients[i].jid || !*s->clients[i].jid) {
      fail(&p, s->clients[i].line, "client \"%s\" has no jid",
           s->clients[i].name);
      goto error;
    }
  if (!s->title)
    s->title = scs_strdup("");
  if (!s->name || !s->title) {
    fail(&p, line, "out of memory");
    goto error;
  }
  *out = s;
  return 0;
error:
  scs_buf_free(&xml);
  scs_free(s);
  return -1;
}

char *scs_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  scs_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    scs_buf_addn(&b, chunk, n);
  int bad = ferror(f) || b.oom;
  fclose(f);
  if (bad) {
    scs_buf_free(&b);
    return NULL;
  }
  if (len)
    *len = b.len;
  return scs_buf_take(&b);
}

int scs_parse_file(const char *path, scs_script **out, char *err, size_t errsz)
{
  size_t len = 0;
  char *text = scs_read_file(path, &len);
  if (!text) {
    snprintf(err, errsz, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  const char *base = strrchr(path, '/');
  int r = scs_parse(text, len, base ? base + 1 : path, out, err, errsz);
  free(text);
  return r;
}
