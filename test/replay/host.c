/*
 * host - simulated XMPP server for scenario replays (see host.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_int.h"
#include "mem_archive.h"
#include "scs.h"

void host_emit(host *h, host_event_kind kind, int client, const mxml_node_t *st,
               const char *text)
{
  if (h->on_event)
    h->on_event(kind, client, st, text, h->ud);
}

void host_set_fatal(host *h, const char *msg)
{
  if (!h->fatal)
    h->fatal = scs_strdup(msg);
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
  h->path = opt->path;
  h->evict = opt->evict;
  h->on_event = opt->on_event;
  h->ud = opt->ud;
  if (h->path != HOST_PATH_TEXT && h->path != HOST_PATH_TREE) {
    snprintf(err, errsz, "unknown delivery path %d", (int)h->path);
    host_free(h);
    return NULL;
  }
  if (!h->muc_domain || !h->server_domain || !h->admin_jid) {
    snprintf(err, errsz, "out of memory");
    host_free(h);
    return NULL;
  }
  if (opt->net ? host_net_open(h, opt->net, err, errsz) < 0
               : host_lib_open(h, opt, err, errsz) < 0) {
    host_free(h);
    return NULL;
  }
  return h;
}

void host_free(host *h)
{
  if (!h)
    return;
  host_net_close(h);
  host_snap_free(h);
  muc_service_free(h->svc);
  if (h->archive) {
    mem_archive_free(h->archive);
    free(h->archive);
  }
  host_store_free(h);
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
    if (host_same_full(h->clients[i].full, full))
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
  char *bare = scs_strndup(jid, host_bare_len(jid));
  scs_buf full = {0};
  if (slash) {
    scs_buf_add(&full, jid);
  } else if (resource && *resource) {
    scs_buf_printf(&full, "%s/%s", bare ? bare : "", resource);
  } else {
    scs_buf base = {0};
    scs_buf_printf(&base, "%s/scansion-", bare ? bare : "");
    for (const char *p = name; *p; p++) {
      int c = host_lower((unsigned char)*p);
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
  if (h->net && host_net_connect(h, client) < 0)
    return 0; /* the host is fatal: the replay stops with the reason */
  h->clients[client].connected = 1;
  return 0;
}

int host_disconnect(host *h, int client)
{
  if (!valid(h, client) || !h->clients[client].connected)
    return -1;
  h->clients[client].connected = 0;
  if (h->net) {
    host_net_disconnect(h, client);
    return 0;
  }
  host_lib_result(h, muc_service_session_ended(h->svc, h->clients[client].full),
                  "muc_service_session_ended");
  host_pump(h);
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
    host_set_fatal(h, "out of memory");
    return -1;
  }
  scs_xml_strip_blank(st);
  drop_scansion_attrs(st);
  mxmlElementSetAttr(st, "from", h->clients[client].full);
  /* only on available presence (no type), as the reference server does:
   * not on unavailable presence, probes or errors */
  if (strcmp(mxmlGetElement(st), "presence") == 0 &&
      !mxmlElementGetAttr(st, "type") && !has_vcard_update(st)) {
    mxml_node_t *x = mxmlNewElement(st, "x");
    mxmlElementSetAttr(x, "xmlns", "vcard-temp:x:update");
    mxmlNewElement(x, "photo");
  }
  host_emit(h, HOST_EV_SENT, client, st, NULL);
  if (h->net) {
    /* the same stanza goes out: the 'from' is the one the server stamps
     * anyway, and the vcard update is sent by the client itself for
     * servers that add none or another (ejabberd) */
    int r = host_net_send(h, client, st);
    mxmlDelete(st);
    return r;
  }
  if (host_enqueue(h, st) < 0)
    return -1;
  host_pump(h);
  return 0;
}

void host_advance(host *h, uint64_t ms)
{
  if (h->net)
    return; /* a real server runs on real time */
  h->now += ms;
  if (muc_service_next_deadline(h->svc) <= h->now) {
    host_lib_result(h, muc_service_handle_timeout(h->svc),
                    "muc_service_handle_timeout");
    host_pump(h);
  }
}

uint64_t host_now(const host *h)
{
  return h->now;
}

size_t host_queue_length(host *h, int client)
{
  if (h->net)
    host_net_settle(h);
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
  if (h->net && valid(h, client) && h->clients[client].q.len == 0)
    host_net_wait(h, client);
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
