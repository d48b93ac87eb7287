/*
 * host - simulated XMPP server for scenario replays (see host.h).
 * SPDX-License-Identifier: MIT
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scs.h"

#define MAX_ROUTES_PER_CALL 100000

typedef struct queue {
  mxml_node_t **items;
  size_t head, len, cap;
} queue;

typedef struct host_client {
  char *name;
  char *bare;
  char *full;
  int connected;
  queue q;
} host_client;

struct host {
  muc_service *svc;
  char *muc_domain;
  char *server_domain;
  char *admin_jid;
  uint64_t now;
  unsigned long ids;
  host_client *clients;
  size_t nclients, ccap;
  queue fifo; /* stanzas waiting to be routed */
  int pumping;
  char *fatal;
  host_event_fn on_event;
  void *ud;
};

static const char stanzas_ns[] = "urn:ietf:params:xml:ns:xmpp-stanzas";

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static mxml_node_t *nc(const mxml_node_t *n)
{
  return (mxml_node_t *)n;
}

static int lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int eq_nocase_n(const char *a, size_t an, const char *b, size_t bn)
{
  if (an != bn)
    return 0;
  for (size_t i = 0; i < an; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return 0;
  return 1;
}

static int eq_nocase(const char *a, const char *b)
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

static size_t bare_len(const char *jid)
{
  const char *slash = strchr(jid, '/');
  return slash ? (size_t)(slash - jid) : strlen(jid);
}

/* Same bare JID (case-insensitive, ASCII). */
static int same_bare(const char *a, const char *b)
{
  return eq_nocase_n(a, bare_len(a), b, bare_len(b));
}

/* Same full JID: bare part case-insensitive, resource exact. */
static int same_full(const char *a, const char *b)
{
  const char *ra = strchr(a, '/'), *rb = strchr(b, '/');
  if (!ra || !rb || strcmp(ra, rb) != 0)
    return 0;
  return same_bare(a, b);
}

static void emit(host *h, host_event_kind kind, int client,
                 const mxml_node_t *st, const char *text)
{
  if (h->on_event)
    h->on_event(kind, client, st, text, h->ud);
}

static void set_fatal(host *h, const char *msg)
{
  if (!h->fatal)
    h->fatal = scs_strdup(msg);
}

/* ------------------------------------------------------------------ */
/* Queues                                                              */
/* ------------------------------------------------------------------ */

static int q_push(queue *q, mxml_node_t *n)
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

static mxml_node_t *q_pop(queue *q)
{
  if (!q->len)
    return NULL;
  mxml_node_t *n = q->items[q->head];
  q->head = (q->head + 1) % q->cap;
  q->len--;
  return n;
}

static void q_clear(queue *q)
{
  mxml_node_t *n;
  while ((n = q_pop(q)) != NULL)
    mxmlDelete(n);
}

static void q_free(queue *q)
{
  q_clear(q);
  free(q->items);
  q->items = NULL;
  q->cap = q->head = 0;
}

/* ------------------------------------------------------------------ */
/* Library callbacks                                                   */
/* ------------------------------------------------------------------ */

static int cb_send(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *copy = scs_xml_copy(NULL, stanza);
  if (!copy || q_push(&h->fifo, copy) < 0) {
    mxmlDelete(copy);
    set_fatal(h, "out of memory while copying a stanza from the library");
    return -1;
  }
  return 0;
}

static uint64_t cb_now(void *ud)
{
  return ((host *)ud)->now;
}

static int cb_is_admin(const char *bare_jid, void *ud)
{
  host *h = ud;
  return bare_jid && eq_nocase(bare_jid, h->admin_jid);
}

static int cb_make_id(char *buf, size_t size, void *ud)
{
  host *h = ud;
  int n = snprintf(buf, size, "scansion-id-%lu", ++h->ids);
  return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

static void cb_log(int level, const char *msg, void *ud)
{
  static const char *names[] = {"debug", "info", "warn", "error"};
  host *h = ud;
  scs_buf b = {0};
  scs_buf_printf(&b, "[%s] %s", (unsigned)level < 4 ? names[level] : "?",
                 msg ? msg : "");
  emit(h, HOST_EV_LOG, -1, NULL, b.s ? b.s : "");
  scs_buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Routing                                                             */
/* ------------------------------------------------------------------ */

static void lib_result(host *h, int r, const char *what)
{
  if (r == MUC_OK)
    return;
  scs_buf b = {0};
  scs_buf_printf(&b, "%s returned %d (%s)", what, r, muc_strerror(r));
  emit(h, HOST_EV_LIB_ERROR, -1, NULL, b.s ? b.s : what);
  if (muc_error_is_fatal(r))
    set_fatal(h, b.s ? b.s : what);
  scs_buf_free(&b);
}

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
  emit(h, HOST_EV_BOUNCE, -1, e, "service-unavailable");
  if (q_push(&h->fifo, e) < 0) {
    mxmlDelete(e);
    set_fatal(h, "out of memory");
  }
}

static void undeliverable(host *h, mxml_node_t *st, const char *kind,
                          const char *why)
{
  const char *type = mxmlElementGetAttr(st, "type");
  int bounced = strcmp(kind, "presence") != 0 && !is_error_or_result(type);
  scs_buf b = {0};
  scs_buf_printf(&b, "%s%s", why,
                 bounced ? "; bounced to the sender" : "; dropped");
  emit(h, HOST_EV_UNDELIVERABLE, -1, st, b.s ? b.s : why);
  scs_buf_free(&b);
  if (bounced)
    bounce(h, st);
}

static void deliver(host *h, size_t ci, mxml_node_t *st)
{
  emit(h, HOST_EV_DELIVER, (int)ci, st, NULL);
  if (q_push(&h->clients[ci].q, st) < 0) {
    mxmlDelete(st);
    set_fatal(h, "out of memory");
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
      set_fatal(h, "out of memory");
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
    emit(h, HOST_EV_UNDELIVERABLE, -1, st, "not a stanza; dropped");
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
    emit(h, HOST_EV_TO_MUC, -1, st, NULL);
    lib_result(h, muc_service_handle_stanza(h->svc, st),
               "muc_service_handle_stanza");
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
      emit(h, HOST_EV_UNDELIVERABLE, -1, st,
           "addressed to the server itself; ignored");
    mxmlDelete(st);
    return;
  }
  if (local_domain && v.res) {
    for (size_t i = 0; i < h->nclients; i++)
      if (h->clients[i].connected && same_full(h->clients[i].full, to)) {
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
        emit(h, HOST_EV_UNDELIVERABLE, -1, st,
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
      out[o++] = (char)(in_bare && len == 1 ? lower(c) : jid[i + k]);
    i += len;
  }
  out[o] = '\0';
  if (strcmp(out, jid) == 0) {
    free(out);
    return NULL;
  }
  return out;
}

static void pump(host *h)
{
  if (h->pumping)
    return;
  h->pumping = 1;
  size_t routed = 0;
  mxml_node_t *st;
  while ((st = q_pop(&h->fifo)) != NULL) {
    if (h->fatal || ++routed > MAX_ROUTES_PER_CALL) {
      set_fatal(h, "routing loop: too many stanzas for one action");
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

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

host *host_new(const host_options *opt, char *err, size_t errsz)
{
  host_options dflt = {0};
  if (!opt)
    opt = &dflt;
  host *h = calloc(1, sizeof *h);
  if (!h) {
    snprintf(err, errsz, "out of memory");
    return NULL;
  }
  h->muc_domain =
      scs_strdup(opt->muc_domain ? opt->muc_domain : "conference.localhost");
  h->server_domain =
      scs_strdup(opt->server_domain ? opt->server_domain : "localhost");
  if (opt->admin_jid) {
    h->admin_jid = scs_strdup(opt->admin_jid);
  } else if (h->server_domain) {
    scs_buf b = {0};
    scs_buf_printf(&b, "admin@%s", h->server_domain);
    h->admin_jid = scs_buf_take(&b);
  }
  h->now = opt->start_ms ? opt->start_ms : HOST_START_MS;
  h->on_event = opt->on_event;
  h->ud = opt->ud;
  if (!h->muc_domain || !h->server_domain || !h->admin_jid) {
    snprintf(err, errsz, "out of memory");
    host_free(h);
    return NULL;
  }
  muc_config cfg;
  if (opt->config)
    cfg = *opt->config;
  else
    muc_config_default(&cfg);
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.now = cb_now;
  cb.is_service_admin = cb_is_admin;
  cb.make_id = cb_make_id;
  cb.log = cb_log;
  int r =
      muc_service_new_tree(&h->svc, h->muc_domain, cb_send, &cb, &cfg, NULL, h);
  if (r != MUC_OK) {
    snprintf(err, errsz, "muc_service_new: %s", muc_strerror(r));
    h->svc = NULL;
    host_free(h);
    return NULL;
  }
  return h;
}

void host_free(host *h)
{
  if (!h)
    return;
  muc_service_free(h->svc);
  for (size_t i = 0; i < h->nclients; i++) {
    free(h->clients[i].name);
    free(h->clients[i].bare);
    free(h->clients[i].full);
    q_free(&h->clients[i].q);
  }
  free(h->clients);
  q_free(&h->fifo);
  free(h->muc_domain);
  free(h->server_domain);
  free(h->admin_jid);
  free(h->fatal);
  free(h);
}

static int full_jid_taken(const host *h, const char *full)
{
  for (size_t i = 0; i < h->nclients; i++)
    if (same_full(h->clients[i].full, full))
      return 1;
  return 0;
}

int host_add_client(host *h, const char *name, const char *jid,
                    const char *resource, char *err, size_t errsz)
{
  if (!name || !jid || !*jid || jid[0] == '/' || jid[0] == '@') {
    snprintf(err, errsz, "client \"%s\": bad JID \"%s\"", name ? name : "?",
             jid ? jid : "");
    return -1;
  }
  if (host_find_client(h, name) >= 0) {
    snprintf(err, errsz, "client \"%s\" added twice", name);
    return -1;
  }
  const char *slash = strchr(jid, '/');
  if (slash && (!slash[1] || (resource && strcmp(resource, slash + 1)))) {
    snprintf(err, errsz,
             "client \"%s\": resource of \"%s\" is empty or "
             "differs from the resource property",
             name, jid);
    return -1;
  }
  char *bare = scs_strndup(jid, bare_len(jid));
  scs_buf full = {0};
  if (slash) {
    scs_buf_add(&full, jid);
  } else if (resource && *resource) {
    scs_buf_printf(&full, "%s/%s", bare ? bare : "", resource);
  } else {
    scs_buf base = {0};
    scs_buf_printf(&base, "%s/scansion-", bare ? bare : "");
    for (const char *p = name; *p; p++) {
      int c = lower((unsigned char)*p);
      int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
      char ch = ok ? (char)c : '-';
      scs_buf_addn(&base, &ch, 1);
    }
    scs_buf_add(&full, base.s ? base.s : "");
    for (int n = 2; full.s && full_jid_taken(h, full.s); n++) {
      full.len = 0;
      scs_buf_printf(&full, "%s-%d", base.s, n);
    }
    scs_buf_free(&base);
  }
  if (full.s && full_jid_taken(h, full.s)) {
    snprintf(err, errsz, "client \"%s\": full JID \"%s\" is already used", name,
             full.s);
    scs_buf_free(&full);
    free(bare);
    return -1;
  }
  if (h->nclients == h->ccap) {
    size_t cap = h->ccap ? h->ccap * 2 : 4;
    host_client *nc2 = realloc(h->clients, cap * sizeof *nc2);
    if (!nc2) {
      scs_buf_free(&full);
      free(bare);
      snprintf(err, errsz, "out of memory");
      return -1;
    }
    h->clients = nc2;
    h->ccap = cap;
  }
  host_client *c = &h->clients[h->nclients];
  memset(c, 0, sizeof *c);
  c->name = scs_strdup(name);
  c->bare = bare;
  c->full = full.oom ? NULL : scs_buf_take(&full);
  if (!c->name || !c->bare || !c->full) {
    free(c->name);
    free(c->bare);
    free(c->full);
    scs_buf_free(&full);
    snprintf(err, errsz, "out of memory");
    return -1;
  }
  return (int)h->nclients++;
}

size_t host_client_count(const host *h)
{
  return h->nclients;
}

int host_find_client(const host *h, const char *name)
{
  for (size_t i = 0; i < h->nclients; i++)
    if (strcmp(h->clients[i].name, name) == 0)
      return (int)i;
  return -1;
}

static int valid(const host *h, int client)
{
  return client >= 0 && (size_t)client < h->nclients;
}

const char *host_client_name(const host *h, int client)
{
  return valid(h, client) ? h->clients[client].name : NULL;
}

const char *host_full_jid(const host *h, int client)
{
  return valid(h, client) ? h->clients[client].full : NULL;
}

const char *host_bare_jid(const host *h, int client)
{
  return valid(h, client) ? h->clients[client].bare : NULL;
}

int host_is_connected(const host *h, int client)
{
  return valid(h, client) && h->clients[client].connected;
}

int host_connect(host *h, int client)
{
  if (!valid(h, client) || h->clients[client].connected)
    return -1;
  q_clear(&h->clients[client].q);
  h->clients[client].connected = 1;
  return 0;
}

int host_disconnect(host *h, int client)
{
  if (!valid(h, client) || !h->clients[client].connected)
    return -1;
  h->clients[client].connected = 0;
  lib_result(h, muc_service_session_ended(h->svc, h->clients[client].full),
             "muc_service_session_ended");
  pump(h);
  return 0;
}

static int has_vcard_update(mxml_node_t *st)
{
  for (mxml_node_t *c = scs_xml_first_element(st); c;
       c = scs_xml_next_element(c)) {
    const char *ns = mxmlElementGetAttr(c, "xmlns");
    if (strcmp(mxmlGetElement(c), "x") == 0 && ns &&
        strcmp(ns, "vcard-temp:x:update") == 0)
      return 1;
  }
  return 0;
}

/* Drop scansion:* attributes (and xmlns:scansion) from a sent stanza. */
static void drop_scansion_attrs(mxml_node_t *el)
{
  for (int i = mxmlElementGetAttrCount(el); i-- > 0;) {
    const char *k = NULL;
    mxmlElementGetAttrByIndex(el, i, &k);
    if (k &&
        (strncmp(k, "scansion:", 9) == 0 || strcmp(k, "xmlns:scansion") == 0)) {
      char *key = scs_strdup(k);
      if (key)
        mxmlElementDeleteAttr(el, key);
      free(key);
    }
  }
  for (mxml_node_t *c = scs_xml_first_element(el); c;
       c = scs_xml_next_element(c))
    drop_scansion_attrs(c);
}

int host_send(host *h, int client, const mxml_node_t *stanza)
{
  if (!valid(h, client) || !h->clients[client].connected)
    return -1;
  mxml_node_t *st = scs_xml_copy(NULL, stanza);
  if (!st) {
    set_fatal(h, "out of memory");
    return -1;
  }
  scs_xml_strip_blank(st);
  drop_scansion_attrs(st);
  mxmlElementSetAttr(st, "from", h->clients[client].full);
  if (strcmp(mxmlGetElement(st), "presence") == 0 && !has_vcard_update(st)) {
    mxml_node_t *x = mxmlNewElement(st, "x");
    mxmlElementSetAttr(x, "xmlns", "vcard-temp:x:update");
    mxmlNewElement(x, "photo");
  }
  emit(h, HOST_EV_SENT, client, st, NULL);
  if (q_push(&h->fifo, st) < 0) {
    mxmlDelete(st);
    set_fatal(h, "out of memory");
    return -1;
  }
  pump(h);
  return 0;
}

void host_advance(host *h, uint64_t ms)
{
  h->now += ms;
  if (muc_service_next_deadline(h->svc) <= h->now) {
    lib_result(h, muc_service_handle_timeout(h->svc),
               "muc_service_handle_timeout");
    pump(h);
  }
}

uint64_t host_now(const host *h)
{
  return h->now;
}

size_t host_queue_length(const host *h, int client)
{
  return valid(h, client) ? h->clients[client].q.len : 0;
}

const mxml_node_t *host_queue_peek(const host *h, int client, size_t i)
{
  if (!valid(h, client) || i >= h->clients[client].q.len)
    return NULL;
  const queue *q = &h->clients[client].q;
  return q->items[(q->head + i) % q->cap];
}

mxml_node_t *host_queue_take(host *h, int client)
{
  return valid(h, client) ? q_pop(&h->clients[client].q) : NULL;
}

const char *host_fatal(const host *h)
{
  return h->fatal;
}

muc_service *host_service(const host *h)
{
  return h->svc;
}
