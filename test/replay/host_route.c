/*
 * host_route - the simulated server's queues and routing (see host.h,
 * "Routing", and host_int.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_int.h"
#include "scs.h"

#define MAX_ROUTES_PER_CALL 100000

static const char stanzas_ns[] = "urn:ietf:params:xml:ns:xmpp-stanzas";

/* ------------------------------------------------------------------ */
/* JIDs                                                                */
/* ------------------------------------------------------------------ */

static mxml_node_t *nc(const mxml_node_t *n)
{
  return (mxml_node_t *)n;
}

int host_lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int eq_nocase_n(const char *a, size_t an, const char *b, size_t bn)
{
  if (an != bn)
    return 0;
  for (size_t i = 0; i < an; i++)
    if (host_lower((unsigned char)a[i]) != host_lower((unsigned char)b[i]))
      return 0;
  return 1;
}

int host_eq_nocase(const char *a, const char *b)
{
  return eq_nocase_n(a, strlen(a), b, strlen(b));
}

/* A JID split in place-free views. */
typedef struct jid_view {
  const char *local;
  size_t local_len; /* 0: no local part */
  const char *domain;
  size_t domain_len;
  const char *res; /* NULL: no resource */
} jid_view;

static void split_jid(const char *jid, jid_view *v)
{
  const char *slash = strchr(jid, '/');
  size_t bare_len = slash ? (size_t)(slash - jid) : strlen(jid);
  const char *at = memchr(jid, '@', bare_len);
  v->res = slash ? slash + 1 : NULL;
  if (at) {
    v->local = jid;
    v->local_len = (size_t)(at - jid);
    v->domain = at + 1;
    v->domain_len = bare_len - v->local_len - 1;
  } else {
    v->local = NULL;
    v->local_len = 0;
    v->domain = jid;
    v->domain_len = bare_len;
  }
}

size_t host_bare_len(const char *jid)
{
  const char *slash = strchr(jid, '/');
  return slash ? (size_t)(slash - jid) : strlen(jid);
}

/* Same bare JID (case-insensitive, ASCII). */
static int same_bare(const char *a, const char *b)
{
  return eq_nocase_n(a, host_bare_len(a), b, host_bare_len(b));
}

/* Same full JID: bare part case-insensitive, resource exact. */
int host_same_full(const char *a, const char *b)
{
  const char *ra = strchr(a, '/'), *rb = strchr(b, '/');
  if (!ra || !rb || strcmp(ra, rb) != 0)
    return 0;
  return same_bare(a, b);
}

/* ------------------------------------------------------------------ */
/* Queues                                                              */
/* ------------------------------------------------------------------ */

int q_push(queue *q, mxml_node_t *n)
{
  if (q->len == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    mxml_node_t **items = malloc(cap * sizeof *items);
    if (!items)
      return -1;
    for (size_t i = 0; i < q->len; i++)
      items[i] = q->items[(q->head + i) % q->cap];
    free(q->items);
    q->items = items;
    q->head = 0;
    q->cap = cap;
  }
  q->items[(q->head + q->len) % q->cap] = n;
  q->len++;
  return 0;
}

mxml_node_t *q_pop(queue *q)
{
  if (!q->len)
    return NULL;
  mxml_node_t *n = q->items[q->head];
  q->head = (q->head + 1) % q->cap;
  q->len--;
  return n;
}

void q_clear(queue *q)
{
  mxml_node_t *n;
  while ((n = q_pop(q)) != NULL)
    mxmlDelete(n);
}

void q_free(queue *q)
{
  q_clear(q);
  free(q->items);
  q->items = NULL;
  q->cap = q->head = 0;
}

/* ------------------------------------------------------------------ */
/* Routing                                                             */
/* ------------------------------------------------------------------ */

/* The error reply to |st|: a copy with from/to swapped, type='error' and
 * <error type='cancel'><service-unavailable/></error>. */
static mxml_node_t *make_error(host *h, const mxml_node_t *st)
{
  mxml_node_t *e = scs_xml_copy(NULL, st);
  if (!e)
    return NULL;
  const char *from = mxmlElementGetAttr(nc(st), "from");
  const char *to = mxmlElementGetAttr(nc(st), "to");
  char *nfrom = scs_strdup(to ? to : h->server_domain);
  char *nto = from ? scs_strdup(from) : NULL;
  mxmlElementDeleteAttr(e, "from");
  mxmlElementDeleteAttr(e, "to");
  if (nfrom)
    mxmlElementSetAttr(e, "from", nfrom);
  if (nto)
    mxmlElementSetAttr(e, "to", nto);
  free(nfrom);
  free(nto);
  mxmlElementSetAttr(e, "type", "error");
  mxml_node_t *err = mxmlNewElement(e, "error");
  mxmlElementSetAttr(err, "type", "cancel");
  mxml_node_t *cond = mxmlNewElement(err, "service-unavailable");
  mxmlElementSetAttr(cond, "xmlns", stanzas_ns);
  return e;
}

static int is_error_or_result(const char *type)
{
  return type && (strcmp(type, "error") == 0 || strcmp(type, "result") == 0);
}

static void bounce(host *h, const mxml_node_t *st)
{
  mxml_node_t *e = make_error(h, st);
  if (!e || !mxmlElementGetAttr(e, "to")) {
    mxmlDelete(e);
    return;
  }
  host_emit(h, HOST_EV_BOUNCE, -1, e, "service-unavailable");
  host_enqueue(h, e);
}

static void undeliverable(host *h, mxml_node_t *st, const char *kind,
                          const char *why)
{
  const char *type = mxmlElementGetAttr(st, "type");
  int bounced = strcmp(kind, "presence") != 0 && !is_error_or_result(type);
  scs_buf b = {0};
  scs_buf_printf(&b, "%s%s", why,
                 bounced ? "; bounced to the sender" : "; dropped");
  host_emit(h, HOST_EV_UNDELIVERABLE, -1, st, b.s ? b.s : why);
  scs_buf_free(&b);
  if (bounced)
    bounce(h, st);
}

static void deliver(host *h, size_t ci, mxml_node_t *st)
{
  host_emit(h, HOST_EV_DELIVER, (int)ci, st, NULL);
  if (q_push(&h->clients[ci].q, st) < 0) {
    mxmlDelete(st);
    host_set_fatal(h, "out of memory");
  }
}

/* Deliver to every connected session of |bare| (copies).  Returns the
 * number of sessions. */
static size_t deliver_bare(host *h, const char *bare, const mxml_node_t *st)
{
  size_t n = 0;
  for (size_t i = 0; i < h->nclients; i++) {
    if (!h->clients[i].connected || !same_bare(h->clients[i].bare, bare))
      continue;
    mxml_node_t *c = scs_xml_copy(NULL, st);
    if (!c) {
      host_set_fatal(h, "out of memory");
      return n;
    }
    deliver(h, i, c);
    n++;
  }
  return n;
}

/* Route |st| (owned). */
static void route(host *h, mxml_node_t *st)
{
  const char *kind = mxmlGetElement(st);
  const char *to = mxmlElementGetAttr(st, "to");
  const char *from = mxmlElementGetAttr(st, "from");
  const char *type = mxmlElementGetAttr(st, "type");
  int is_iq = strcmp(kind, "iq") == 0;
  int is_presence = strcmp(kind, "presence") == 0;
  if (!is_iq && !is_presence && strcmp(kind, "message") != 0) {
    host_emit(h, HOST_EV_UNDELIVERABLE, -1, st, "not a stanza; dropped");
    mxmlDelete(st);
    return;
  }
  if (!to || !*to) {
    if (is_iq) {
      if (!is_error_or_result(type))
        bounce(h, st);
    } else if (from && deliver_bare(h, from, st) == 0 && !is_presence) {
      undeliverable(h, st, kind, "no session of the sender's account");
    }
    mxmlDelete(st);
    return;
  }
  jid_view v;
  split_jid(to, &v);
  if (eq_nocase_n(v.domain, v.domain_len, h->muc_domain,
                  strlen(h->muc_domain))) {
    host_lib_handle(h, st);
    mxmlDelete(st);
    return;
  }
  int local_domain = eq_nocase_n(v.domain, v.domain_len, h->server_domain,
                                 strlen(h->server_domain));
  if (local_domain && !v.local) {
    /* The server itself. */
    if (is_iq && !is_error_or_result(type))
      bounce(h, st);
    else
      host_emit(h, HOST_EV_UNDELIVERABLE, -1, st,
                "addressed to the server itself; ignored");
    mxmlDelete(st);
    return;
  }
  if (local_domain && v.res) {
    for (size_t i = 0; i < h->nclients; i++)
      if (h->clients[i].connected && host_same_full(h->clients[i].full, to)) {
        deliver(h, i, st);
        return;
      }
    undeliverable(h, st, kind, "no connected session with this full JID");
    mxmlDelete(st);
    return;
  }
  if (local_domain) {
    if (is_iq) {
      if (!is_error_or_result(type))
        bounce(h, st);
      else
        host_emit(h, HOST_EV_UNDELIVERABLE, -1, st,
                  "iq result/error to a bare JID; dropped");
    } else if (deliver_bare(h, to, st) == 0) {
      undeliverable(h, st, kind, "no connected session of this account");
    }
    mxmlDelete(st);
    return;
  }
  undeliverable(h, st, kind, "unknown domain");
  mxmlDelete(st);
}

/* The parts of nodeprep / nameprep / resourceprep that the scripts need,
 * as the reference server applies them to 'to' before routing: the
 * characters "commonly mapped to nothing" (RFC 3454, table B.1) are
 * removed everywhere, and ASCII letters of the local part and domain are
 * lowercased.  NULL if nothing changes (or out of memory). */
static int mapped_to_nothing(unsigned long cp)
{
  return cp == 0xAD || cp == 0x34F || cp == 0x1806 ||
         (cp >= 0x180B && cp <= 0x180D) || (cp >= 0x200B && cp <= 0x200D) ||
         cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

static char *prep_jid(const char *jid)
{
  size_t n = strlen(jid);
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  int in_bare = 1;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)jid[i];
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 1;
    if (i + len > n)
      len = 1;
    unsigned long cp = len == 1 ? c : (unsigned long)(c & (0x7F >> len));
    for (size_t k = 1; k < len; k++)
      cp = (cp << 6) | ((unsigned char)jid[i + k] & 0x3F);
    if (c == '/')
      in_bare = 0;
    if (len > 1 && mapped_to_nothing(cp)) {
      i += len;
      continue;
    }
    for (size_t k = 0; k < len; k++)
      out[o++] = (char)(in_bare && len == 1 ? host_lower(c) : jid[i + k]);
    i += len;
  }
  out[o] = '\0';
  if (strcmp(out, jid) == 0) {
    free(out);
    return NULL;
  }
  return out;
}

void host_pump(host *h)
{
  if (h->pumping)
    return;
  h->pumping = 1;
  size_t routed = 0;
  mxml_node_t *st;
  while ((st = q_pop(&h->fifo)) != NULL) {
    if (h->fatal || ++routed > MAX_ROUTES_PER_CALL) {
      host_set_fatal(h, "routing loop: too many stanzas for one action");
      mxmlDelete(st);
      q_clear(&h->fifo);
      break;
    }
    const char *to = mxmlElementGetAttr(st, "to");
    char *prepped = to ? prep_jid(to) : NULL;
    if (prepped)
      mxmlElementSetAttr(st, "to", prepped);
    free(prepped);
    route(h, st);
  }
  h->pumping = 0;
}

int host_enqueue(host *h, mxml_node_t *st)
{
  if (q_push(&h->fifo, st) < 0) {
    mxmlDelete(st);
    host_set_fatal(h, "out of memory");
    return -1;
  }
  return 0;
}
