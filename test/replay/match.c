/*
 * match - expected vs received stanza matching (rules in match.h).
 * SPDX-License-Identifier: MIT
 */
#include "match.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scs.h"

static mxml_node_t *nc(const mxml_node_t *n)
{
  return (mxml_node_t *)n;
}

/* ------------------------------------------------------------------ */
/* Names and namespaces                                                */
/* ------------------------------------------------------------------ */

/* One element on the path from the top-level stanza, with its resolved
 * namespace; |up| is the parent's scope (NULL at the top). */
typedef struct scope {
  const mxml_node_t *el;
  const char *local;
  const char *ns;   /* the element's namespace */
  const char *dflt; /* the default namespace in scope for its children */
  const struct scope *up;
} scope;

static const char xml_ns[] = "http://www.w3.org/XML/1998/namespace";

static int is_ignored_attr(const char *name)
{
  return strcmp(name, "xmlns") == 0 || strncmp(name, "xmlns:", 6) == 0 ||
         strncmp(name, "scansion:", 9) == 0;
}

static const char *own_prefix_decl(const mxml_node_t *el, const char *prefix,
                                   size_t plen)
{
  int na = mxmlElementGetAttrCount(nc(el));
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(el), i, &k);
    if (k && strncmp(k, "xmlns:", 6) == 0 && strlen(k + 6) == plen &&
        memcmp(k + 6, prefix, plen) == 0)
      return v ? v : "";
  }
  return NULL;
}

static int is_stream_ns(const char *ns)
{
  return strcmp(ns, "jabber:client") == 0 || strcmp(ns, "jabber:server") == 0 ||
         strcmp(ns, "jabber:component:accept") == 0;
}

/* Fill |sc| for |el| whose parent scope is |up|. */
static void make_scope(scope *sc, const mxml_node_t *el, const scope *up)
{
  const char *name = mxmlGetElement(nc(el));
  const char *colon = strchr(name, ':');
  const char *own = mxmlElementGetAttr(nc(el), "xmlns");
  sc->el = el;
  sc->up = up;
  sc->dflt = own ? own : up ? up->dflt : MATCH_STREAM_NS;
  if (colon) {
    size_t plen = (size_t)(colon - name);
    sc->local = colon + 1;
    sc->ns = NULL;
    if (plen == 3 && memcmp(name, "xml", 3) == 0)
      sc->ns = xml_ns;
    if (!sc->ns)
      sc->ns = own_prefix_decl(el, name, plen);
    for (const scope *s = up; s && !sc->ns; s = s->up)
      sc->ns = own_prefix_decl(s->el, name, plen);
    if (!sc->ns)
      sc->ns = "";
  } else {
    sc->local = name;
    sc->ns = sc->dflt;
  }
  if (!up && is_stream_ns(sc->ns))
    sc->ns = MATCH_STREAM_NS;
  if (!up && is_stream_ns(sc->dflt))
    sc->dflt = MATCH_STREAM_NS;
}

const char *match_namespace(const mxml_node_t *el)
{
  /* Collect the chain up to the top-level element, then resolve down. */
  size_t depth = 0;
  for (const mxml_node_t *p = el; p; p = mxmlGetParent(nc(p))) {
    const char *n = mxmlGetElement(nc(p));
    if (mxmlGetType(nc(p)) != MXML_ELEMENT || !n ||
        strcmp(n, SCS_BLOCK_ROOT) == 0)
      break;
    depth++;
  }
  if (depth == 0)
    return "";
  scope *chain = calloc(depth, sizeof *chain);
  if (!chain)
    return "";
  const mxml_node_t **els = calloc(depth, sizeof *els);
  if (!els) {
    free(chain);
    return "";
  }
  const mxml_node_t *p = el;
  for (size_t i = depth; i-- > 0; p = mxmlGetParent(nc(p)))
    els[i] = p;
  for (size_t i = 0; i < depth; i++)
    make_scope(&chain[i], els[i], i ? &chain[i - 1] : NULL);
  const char *ns = chain[depth - 1].ns;
  free(els);
  free(chain);
  return ns;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

static int is_ws(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The direct text of |el|: non-blank text children, concatenated, then
 * trimmed.  malloc'd ("" if none). */
static char *direct_text(const mxml_node_t *el)
{
  scs_buf b = {0};
  for (mxml_node_t *c = mxmlGetFirstChild(nc(el)); c;
       c = mxmlGetNextSibling(c)) {
    const char *t = NULL;
    if (mxmlGetType(c) == MXML_OPAQUE) {
      t = mxmlGetOpaque(c);
    } else if (mxmlGetType(c) == MXML_TEXT) {
      int ws = 0;
      t = mxmlGetText(c, &ws);
      if (t && ws && !scs_is_blank(t))
        scs_buf_add(&b, " ");
    } else if (mxmlGetType(c) == MXML_ELEMENT &&
               strncmp(mxmlGetElement(c), "![CDATA[", 8) == 0) {
      t = mxmlGetCDATA(c);
    }
    if (t && !scs_is_blank(t))
      scs_buf_add(&b, t);
  }
  char *s = scs_buf_take(&b);
  if (!s)
    return NULL;
  size_t start = 0, len = strlen(s);
  while (start < len && is_ws(s[start]))
    start++;
  while (len > start && is_ws(s[len - 1]))
    len--;
  memmove(s, s + start, len - start);
  s[len - start] = '\0';
  return s;
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */
/* ------------------------------------------------------------------ */

typedef struct mctx {
  scs_buf *diff; /* NULL: quiet */
  scs_buf path;
} mctx;

static int m_el(const mxml_node_t *e, const scope *eup, const mxml_node_t *r,
                const scope *rup, int parent_strict, int forced, mctx *m);

static void report(mctx *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report(mctx *m, const char *fmt, ...)
{
  if (!m->diff || m->diff->len)
    return;
  scs_buf_add(m->diff, m->path.s ? m->path.s : "");
  va_list ap;
  va_start(ap, fmt);
  scs_buf_vprintf(m->diff, fmt, ap);
  va_end(ap);
}

static void describe_el(scs_buf *b, const scope *sc)
{
  scs_buf_printf(b, "<%s xmlns='%s'>", sc->local, sc->ns);
}

/* Kuhn's augmenting path for the bipartite matching of E children (rows)
 * to R children (columns). */
static int augment(size_t i, const unsigned char *ok, size_t nr, long *col_of,
                   unsigned char *seen)
{
  for (size_t j = 0; j < nr; j++) {
    if (!ok[i * nr + j] || seen[j])
      continue;
    seen[j] = 1;
    if (col_of[j] < 0 || augment((size_t)col_of[j], ok, nr, col_of, seen)) {
      col_of[j] = (long)i;
      return 1;
    }
  }
  return 0;
}

static void collect(const mxml_node_t *parent, const mxml_node_t ***out,
                    size_t *n)
{
  *n = scs_xml_count_elements(parent);
  *out = calloc(*n ? *n : 1, sizeof **out);
  if (!*out) {
    *n = 0;
    return;
  }
  size_t i = 0;
  for (mxml_node_t *c = scs_xml_first_element(parent); c;
       c = scs_xml_next_element(c))
    (*out)[i++] = c;
}

/* Append the path step of the expected child |e| of |parent| and return
 * the previous path length. */
static size_t push_path(mctx *m, const mxml_node_t *parent,
                        const mxml_node_t *e, const char *local)
{
  size_t old = m->path.len;
  if (!m->diff)
    return old;
  size_t same = 0, index = 0;
  for (mxml_node_t *c = scs_xml_first_element(parent); c;
       c = scs_xml_next_element(c)) {
    const char *n = mxmlGetElement(c);
    const char *colon = strchr(n, ':');
    if (strcmp(colon ? colon + 1 : n, local) == 0) {
      same++;
      if (c == e)
        index = same;
    }
  }
  scs_buf_printf(&m->path, "/%s", local);
  if (same > 1)
    scs_buf_printf(&m->path, "[%zu]", index);
  return old;
}

static void pop_path(mctx *m, size_t old)
{
  if (!m->diff)
    return;
  m->path.len = old;
  if (m->path.s)
    m->path.s[old] = '\0';
}

static unsigned score_el(const mxml_node_t *e, const scope *eup,
                         const mxml_node_t *r, const scope *rup);

static int match_children_strict(const mxml_node_t *e, const scope *es,
                                 const mxml_node_t *r, const scope *rs,
                                 int strict, int forced, mctx *m)
{
  const mxml_node_t **ec, **rc;
  size_t ne, nr;
  collect(e, &ec, &ne);
  collect(r, &rc, &nr);
  int ok = 1;
  size_t common = ne < nr ? ne : nr;
  for (size_t i = 0; i < common && ok; i++) {
    scope tmp;
    make_scope(&tmp, ec[i], es);
    size_t old = push_path(m, e, ec[i], tmp.local);
    ok = m_el(ec[i], es, rc[i], rs, strict, forced, m);
    pop_path(m, old);
  }
  if (ok && ne != nr) {
    ok = 0;
    if (m->diff) {
      scs_buf d = {0};
      if (nr > ne) {
        scope rsc;
        make_scope(&rsc, rc[ne], rs);
        scs_buf_add(&d, "unexpected child ");
        describe_el(&d, &rsc);
      } else {
        scope esc;
        make_scope(&esc, ec[nr], es);
        scs_buf_add(&d, "missing child ");
        describe_el(&d, &esc);
      }
      report(m,
             ": strict element: expected %zu child element(s) in this "
             "order, got %zu (%s)",
             ne, nr, d.s ? d.s : "");
      scs_buf_free(&d);
    }
  }
  free(ec);
  free(rc);
  return ok;
}

static int match_children_any_order(const mxml_node_t *e, const scope *es,
                                    const mxml_node_t *r, const scope *rs,
                                    int strict, int forced, mctx *m)
{
  const mxml_node_t **ec, **rc;
  size_t ne, nr;
  collect(e, &ec, &ne);
  collect(r, &rc, &nr);
  if (ne == 0) {
    free(ec);
    free(rc);
    return 1;
  }
  unsigned char *ok = calloc(ne * (nr ? nr : 1), 1);
  long *col_of = malloc((nr ? nr : 1) * sizeof *col_of);
  unsigned char *seen = malloc(nr ? nr : 1);
  long *row_of = malloc(ne * sizeof *row_of);
  int result = 0;
  if (!ok || !col_of || !seen || !row_of)
    goto done;
  mctx quiet = {NULL, {0}};
  for (size_t i = 0; i < ne; i++)
    for (size_t j = 0; j < nr; j++)
      ok[i * nr + j] =
          (unsigned char)m_el(ec[i], es, rc[j], rs, strict, forced, &quiet);
  for (size_t j = 0; j < nr; j++)
    col_of[j] = -1;
  size_t matched = 0;
  for (size_t i = 0; i < ne; i++) {
    memset(seen, 0, nr ? nr : 1);
    if (augment(i, ok, nr, col_of, seen))
      matched++;
  }
  if (matched == ne) {
    result = 1;
    goto done;
  }
  if (!m->diff)
    goto done;
  /* Report on the first expected child left without a partner. */
  for (size_t i = 0; i < ne; i++)
    row_of[i] = -1;
  for (size_t j = 0; j < nr; j++)
    if (col_of[j] >= 0)
      row_of[col_of[j]] = (long)j;
  for (size_t i = 0; i < ne; i++) {
    if (row_of[i] >= 0)
      continue;
    scope esc;
    make_scope(&esc, ec[i], es);
    size_t old = push_path(m, e, ec[i], esc.local);
    size_t candidates = 0;
    for (size_t j = 0; j < nr; j++)
      candidates += ok[i * nr + j];
    if (candidates) {
      report(m,
             ": every received child that matches this expected child "
             "is already needed by another expected child (%zu "
             "candidate(s) for %zu expected children)",
             candidates, ne);
      pop_path(m, old);
      break;
    }
    /* Closest received child with the same name and namespace. */
    long best = -1;
    unsigned best_score = 0;
    for (size_t j = 0; j < nr; j++) {
      scope rsc;
      make_scope(&rsc, rc[j], rs);
      if (strcmp(rsc.local, esc.local) != 0 || strcmp(rsc.ns, esc.ns) != 0)
        continue;
      unsigned s = score_el(ec[i], es, rc[j], rs);
      if (best < 0 || s > best_score) {
        best = (long)j;
        best_score = s;
      }
    }
    if (best >= 0) {
      m_el(ec[i], es, rc[best], rs, strict, forced, m);
    } else {
      scs_buf got = {0};
      for (size_t j = 0; j < nr; j++) {
        scope rsc;
        make_scope(&rsc, rc[j], rs);
        scs_buf_add(&got, j ? ", " : "");
        describe_el(&got, &rsc);
      }
      scs_buf want = {0};
      describe_el(&want, &esc);
      report(m, ": missing child element %s (received children: %s)",
             want.s ? want.s : "", nr && got.s ? got.s : "none");
      scs_buf_free(&got);
      scs_buf_free(&want);
    }
    pop_path(m, old);
    break;
  }
done:
  free(ok);
  free(col_of);
  free(seen);
  free(row_of);
  free(ec);
  free(rc);
  return result;
}

/* Is |es| a stanza: the top-level one, or a copy forwarded inside it
 * (XEP-0297 <forwarded/>)? */
static int is_stanza(const scope *es, const scope *eup)
{
  return !eup || (strcmp(eup->local, "forwarded") == 0 &&
                  strcmp(eup->ns, "urn:xmpp:forward:0") == 0 &&
                  strcmp(es->ns, "jabber:client") == 0);
}

static int m_el(const mxml_node_t *e, const scope *eup, const mxml_node_t *r,
                const scope *rup, int parent_strict, int forced, mctx *m)
{
  scope es, rs;
  make_scope(&es, e, eup);
  make_scope(&rs, r, rup);
  /* 1. name and namespace */
  if (strcmp(es.local, rs.local) != 0 || strcmp(es.ns, rs.ns) != 0) {
    if (m->diff) {
      scs_buf a = {0}, b = {0};
      describe_el(&a, &es);
      describe_el(&b, &rs);
      report(m, ": expected element %s, got %s", a.s, b.s);
      scs_buf_free(&a);
      scs_buf_free(&b);
    }
    return 0;
  }
  /* 5. strictness */
  int strict;
  const char *ov = mxmlElementGetAttr(nc(e), "scansion:strict");
  if (ov) {
    strict = strcmp(ov, "true") == 0 || strcmp(ov, "1") == 0;
    forced = strict;
  } else if (forced >= 0) {
    strict = forced;
  } else if (!eup) {
    strict = 0;
  } else if (strcmp(es.ns, eup->ns) != 0) {
    strict = 1;
  } else {
    strict = parent_strict;
  }
  /* 2. attributes of E */
  int na = mxmlElementGetAttrCount(nc(e));
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(e), i, &k);
    if (!k || is_ignored_attr(k))
      continue;
    const char *got = mxmlElementGetAttr(nc(r), k);
    if (!got) {
      if (strcmp(v, MATCH_ANY) == 0)
        report(m, "@%s: expected the attribute (any value), got nothing", k);
      else
        report(m, "@%s: expected '%s', got nothing (attribute missing)", k, v);
      return 0;
    }
    if (strcmp(v, MATCH_ANY) != 0 && strcmp(v, got) != 0) {
      report(m, "@%s: expected '%s', got '%s'", k, v, got);
      return 0;
    }
  }
  /* 4. no extra attributes on R when strict */
  if (strict) {
    int nra = mxmlElementGetAttrCount(nc(r));
    for (int i = 0; i < nra; i++) {
      const char *k = NULL;
      const char *v = mxmlElementGetAttrByIndex(nc(r), i, &k);
      if (!k || is_ignored_attr(k))
        continue;
      /* a stanza's xml:lang is the server's: RFC 6120 §8.1.5 lets it add
       * the stream's (Prosody does), so a strict stanza need not list it
       * (the network backend hands it over as "lang"); nor a copy of a
       * stanza forwarded inside another (XEP-0297: a MAM result) */
      if (is_stanza(&es, eup) &&
          (strcmp(k, "xml:lang") == 0 || strcmp(k, "lang") == 0) &&
          !mxmlElementGetAttr(nc(e), k))
        continue;
      if (!mxmlElementGetAttr(nc(e), k)) {
        report(m,
               "@%s: unexpected attribute (got '%s'; the element is "
               "strict)",
               k, v ? v : "");
        return 0;
      }
    }
  }
  /* 6. text */
  char *et = direct_text(e);
  char *rt = direct_text(r);
  int text_ok = 1;
  if (!et || !rt) {
    text_ok = 0;
    report(m, ": out of memory");
  } else if (*et) {
    if (strcmp(et, rt) != 0) {
      text_ok = 0;
      report(m, ": expected text '%s', got '%s'", et, rt);
    }
  } else if (strict && *rt) {
    text_ok = 0;
    report(m, ": expected no text (the element is strict), got '%s'", rt);
  }
  free(et);
  free(rt);
  if (!text_ok)
    return 0;
  /* 3./4. children */
  if (strict)
    return match_children_strict(e, &es, r, &rs, strict, forced, m);
  return match_children_any_order(e, &es, r, &rs, strict, forced, m);
}

int match_element(const mxml_node_t *expected, const mxml_node_t *received,
                  char **diff)
{
  if (diff)
    *diff = NULL;
  scs_buf d = {0};
  mctx m = {diff ? &d : NULL, {0}};
  if (diff) {
    scope es;
    make_scope(&es, expected, NULL);
    scs_buf_add(&m.path, es.local);
  }
  int ok = m_el(expected, NULL, received, NULL, 0, -1, &m);
  scs_buf_free(&m.path);
  if (ok || !diff) {
    scs_buf_free(&d);
    return ok;
  }
  if (!d.len)
    scs_buf_add(&d, "(no difference found?)");
  *diff = scs_buf_take(&d);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Closeness                                                           */
/* ------------------------------------------------------------------ */

static unsigned score_el(const mxml_node_t *e, const scope *eup,
                         const mxml_node_t *r, const scope *rup)
{
  scope es, rs;
  make_scope(&es, e, eup);
  make_scope(&rs, r, rup);
  if (strcmp(es.local, rs.local) != 0)
    return 0;
  unsigned s = 2;
  if (strcmp(es.ns, rs.ns) == 0)
    s += 2;
  int na = mxmlElementGetAttrCount(nc(e));
  for (int i = 0; i < na; i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(nc(e), i, &k);
    if (!k || is_ignored_attr(k))
      continue;
    const char *got = mxmlElementGetAttr(nc(r), k);
    if (got)
      s += (strcmp(v, MATCH_ANY) == 0 || strcmp(v, got) == 0) ? 3 : 1;
  }
  char *et = direct_text(e);
  char *rt = direct_text(r);
  if (et && rt && *et && strcmp(et, rt) == 0)
    s += 2;
  free(et);
  free(rt);
  for (mxml_node_t *c = scs_xml_first_element(e); c;
       c = scs_xml_next_element(c)) {
    unsigned best = 0;
    for (mxml_node_t *d = scs_xml_first_element(r); d;
         d = scs_xml_next_element(d)) {
      unsigned cs = score_el(c, &es, d, &rs);
      if (cs > best)
        best = cs;
    }
    s += best;
  }
  return s;
}

unsigned match_score(const mxml_node_t *expected, const mxml_node_t *received)
{
  return score_el(expected, NULL, received, NULL);
}

size_t match_closest(const mxml_node_t *expected,
                     const mxml_node_t *const *cands, size_t n)
{
  size_t best = 0;
  unsigned best_score = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned s = match_score(expected, cands[i]);
    if (i == 0 || s > best_score) {
      best = i;
      best_score = s;
    }
  }
  return best;
}

char *match_report(const mxml_node_t *expected, const mxml_node_t *cand,
                   const char *cand_label)
{
  scs_buf b = {0};
  scs_buf_add(&b, "expected:\n");
  scs_xml_format(&b, expected, 4);
  scs_buf_add(&b, "\n");
  if (!cand) {
    scs_buf_printf(&b, "%s: nothing was received\n",
                   cand_label ? cand_label : "received");
    return scs_buf_take(&b);
  }
  scs_buf_printf(&b, "%s:\n", cand_label ? cand_label : "received");
  scs_xml_format(&b, cand, 4);
  scs_buf_add(&b, "\n");
  char *diff = NULL;
  if (match_element(expected, cand, &diff))
    scs_buf_add(&b, "first difference: none (the stanza matches)\n");
  else
    scs_buf_printf(&b, "first difference: %s\n", diff ? diff : "?");
  free(diff);
  return scs_buf_take(&b);
}
