/*
 * host_net - the network backend of the replay host: the script's clients
 * are real c2s connections (libstrophe, plaintext SASL) to a running XMPP
 * server, which routes the MUC domain to a component (muc-component).
 * Parsing, substitution and matching stay the in-process code: only
 * connect, disconnect, send and the queues are backed by sockets.
 *
 * Timing.  A real server has no "everything is delivered before the next
 * action": the backend makes the order hold as follows.
 *  - After each sent stanza the client sends a disco#info query to the
 *    MUC domain and waits for its answer (which is not queued): the
 *    component handles one stream in order, so by then it has handled the
 *    stanza and handed every stanza it caused to the server.
 *  - A client's queue that is empty when a stanza is expected waits for
 *    traffic, up to NET_WAIT_MS.
 *  - "receives: nothing" and the end-of-script check first wait until no
 *    client has received anything for NET_QUIET_MS (at most
 *    NET_SETTLE_MAX_MS).
 * Every wait is bounded; a connection that fails makes the host fatal.
 *
 * Accounts: every client logs in with the password "password" (the one
 * all scripts use; host.h keeps no password), as its full JID: the
 * resource is the one host_add_client() chose, so ${NAME's full JID} is
 * known before the client connects, as in-process.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_int.h"
#include "scs.h"

#ifdef HOST_NET
#include <strophe.h>

#define NET_CONNECT_MS 10000
#define NET_SYNC_MS 5000
#define NET_WAIT_MS 3000
#define NET_QUIET_MS 400
#define NET_SETTLE_MAX_MS 4000
#define NET_DISCONNECT_MS 3000

typedef struct net_client {
  host *h;
  int index;
  xmpp_conn_t *conn;
  int up, failed;
  char sync_id[32]; /* the sync query being waited for, "" if none */
} net_client;

struct host_net {
  xmpp_ctx_t *ctx;
  char *addr;
  unsigned short port;
  net_client *clients;
  size_t n;
  unsigned long syncs;
  unsigned long received; /* stanzas queued so far, all clients */
  int settled;            /* nothing sent or taken since the last settle */
};

static long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run the event loop for at most |ms| or until |done| says so. */
static void pump_until(host_net *n, long ms, int (*done)(void *), void *arg)
{
  long until = now_ms() + ms;
  while (!(done && done(arg)) && now_ms() < until)
    xmpp_run_once(n->ctx, 10);
}

static int is_sync_answer(net_client *c, xmpp_stanza_t *st)
{
  const char *id = xmpp_stanza_get_id(st);
  return c->sync_id[0] && id && strcmp(id, c->sync_id) == 0 &&
         strcmp(xmpp_stanza_get_name(st), "iq") == 0;
}

/* A stanza for client |c|: parsed with the replay's own parser, queued. */
static int on_stanza(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
  net_client *c = ud;
  host *h = c->h;
  if (is_sync_answer(c, st)) {
    c->sync_id[0] = '\0';
    return 1;
  }
  const char *id = xmpp_stanza_get_id(st);
  if (id && strncmp(id, "_xmpp_", 6) == 0)
    return 1; /* libstrophe's own bind/session answer, seen by all
                 handlers once the connection is up */
  char *text = NULL, err[200];
  size_t len;
  if (xmpp_stanza_to_text(st, &text, &len) != XMPP_EOK)
    return 1;
  mxml_node_t *root = scs_xml_parse_block(text, err, sizeof err);
  mxml_node_t *el =
      root ? scs_xml_copy(NULL, scs_xml_first_element(root)) : NULL;
  mxmlDelete(root);
  if (!el) {
    scs_buf b = {0};
    scs_buf_printf(&b, "cannot parse a received stanza (%s): %s", err, text);
    host_set_fatal(h, b.s ? b.s : "parse error");
    scs_buf_free(&b);
  } else if (q_push(&h->clients[c->index].q, el) == 0) {
    h->net->received++;
    host_emit(h, HOST_EV_DELIVER, c->index, el, NULL);
  }
  xmpp_free(h->net->ctx, text);
  return 1;
}

static void on_conn(xmpp_conn_t *conn, xmpp_conn_event_t ev, int error,
                    xmpp_stream_error_t *se, void *ud)
{
  net_client *c = ud;
  if (ev == XMPP_CONN_CONNECT) {
    /* only now: before it, libstrophe's own bind and session answers
     * would reach the handler too */
    xmpp_handler_add(conn, on_stanza, NULL, NULL, NULL, c);
    c->up = 1;
    return;
  }
  if (!c->up)
    c->failed = error ? error : -1;
  c->up = 0;
}

int host_net_open(host *h, const char *addr, char *err, size_t errsz)
{
  host_net *n = calloc(1, sizeof *n);
  const char *colon = addr ? strrchr(addr, ':') : NULL;
  long port = colon ? strtol(colon + 1, NULL, 10) : 0;
  if (!n || !colon || port <= 0 || port > 65535) {
    snprintf(err, errsz, "--net wants HOST:PORT, got \"%s\"", addr ? addr : "");
    free(n);
    return -1;
  }
  xmpp_initialize();
  n->ctx = xmpp_ctx_new(NULL, NULL);
  n->addr = scs_strndup(addr, (size_t)(colon - addr));
  n->port = (unsigned short)port;
  h->net = n;
  return 0;
}

static net_client *client_of(host *h, int client)
{
  host_net *n = h->net;
  if ((size_t)client >= n->n) {
    net_client *nc = realloc(n->clients, (h->nclients) * sizeof *nc);
    if (!nc)
      return NULL;
    memset(nc + n->n, 0, (h->nclients - n->n) * sizeof *nc);
    n->clients = nc;
    n->n = h->nclients;
  }
  net_client *c = &n->clients[client];
  c->h = h;
  c->index = client;
  return c;
}

static int up_or_failed(void *arg)
{
  net_client *c = arg;
  return c->up || c->failed;
}

int host_net_connect(host *h, int client)
{
  net_client *c = client_of(h, client);
  if (!c)
    return -1;
  if (c->conn)
    xmpp_conn_release(c->conn);
  c->conn = xmpp_conn_new(h->net->ctx);
  c->up = c->failed = 0;
  xmpp_conn_set_jid(c->conn, h->clients[client].full);
  xmpp_conn_set_pass(c->conn, "password");
  xmpp_conn_set_flags(c->conn,
                      XMPP_CONN_FLAG_DISABLE_TLS | XMPP_CONN_FLAG_DISABLE_SM);
  if (xmpp_connect_client(c->conn, h->net->addr, h->net->port, on_conn, c) !=
      XMPP_EOK)
    c->failed = -1;
  pump_until(h->net, NET_CONNECT_MS, up_or_failed, c);
  if (!c->up) {
    scs_buf b = {0};
    scs_buf_printf(
        &b, "%s could not log in to %s:%u as %s (%s)", h->clients[client].name,
        h->net->addr, h->net->port, h->clients[client].full,
        c->failed > 0 ? strerror(c->failed) : "refused or timed out");
    host_set_fatal(h, b.s ? b.s : "login failed");
    scs_buf_free(&b);
    return -1;
  }
  h->net->settled = 0;
  return 0;
}

static int down(void *arg)
{
  net_client *c = arg;
  return !c->up;
}

void host_net_disconnect(host *h, int client)
{
  net_client *c = client_of(h, client);
  if (!c || !c->conn)
    return;
  xmpp_disconnect(c->conn);
  pump_until(h->net, NET_DISCONNECT_MS, down, c);
  h->net->settled = 0;
}

static int synced(void *arg)
{
  net_client *c = arg;
  return c->sync_id[0] == '\0' || !c->up;
}

int host_net_send(host *h, int client, mxml_node_t *st)
{
  net_client *c = client_of(h, client);
  char *text = c ? scs_xml_string(st, -1) : NULL;
  if (!text || !c->up) {
    free(text);
    host_set_fatal(h, c && !c->up ? "the connection is gone" : "no memory");
    return -1;
  }
  xmpp_send_raw(c->conn, text, strlen(text));
  free(text);
  snprintf(c->sync_id, sizeof c->sync_id, "scs-sync-%lu", ++h->net->syncs);
  xmpp_send_raw_string(c->conn,
                       "<iq type='get' id='%s' to='%s'><query "
                       "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
                       c->sync_id, h->muc_domain);
  pump_until(h->net, NET_SYNC_MS, synced, c);
  h->net->settled = 0;
  if (c->sync_id[0]) {
    c->sync_id[0] = '\0';
    host_set_fatal(h, "no answer from the MUC domain within 5 s (is the "
                      "component connected?)");
    return -1;
  }
  return 0;
}

typedef struct wait_arg {
  host *h;
  int client;
} wait_arg;

static int has_stanza(void *arg)
{
  wait_arg *w = arg;
  return w->h->clients[w->client].q.len > 0;
}

void host_net_wait(host *h, int client)
{
  wait_arg w = {h, client};
  pump_until(h->net, NET_WAIT_MS, has_stanza, &w);
  h->net->settled = 0;
}

void host_net_settle(host *h)
{
  host_net *n = h->net;
  if (n->settled)
    return;
  long until = now_ms() + NET_SETTLE_MAX_MS;
  unsigned long seen = n->received;
  long quiet_since = now_ms();
  while (now_ms() < until && now_ms() - quiet_since < NET_QUIET_MS) {
    xmpp_run_once(n->ctx, 10);
    if (n->received != seen) {
      seen = n->received;
      quiet_since = now_ms();
    }
  }
  n->settled = 1;
}

void host_net_close(host *h)
{
  host_net *n = h->net;
  if (!n)
    return;
  for (size_t i = 0; i < n->n; i++)
    if (n->clients[i].conn && n->clients[i].up)
      xmpp_disconnect(n->clients[i].conn);
  long until = now_ms() + NET_DISCONNECT_MS;
  for (size_t i = 0; i < n->n; i++)
    while (n->clients[i].up && now_ms() < until)
      xmpp_run_once(n->ctx, 10);
  for (size_t i = 0; i < n->n; i++)
    if (n->clients[i].conn)
      xmpp_conn_release(n->clients[i].conn);
  free(n->clients);
  xmpp_ctx_free(n->ctx);
  xmpp_shutdown();
  free(n->addr);
  free(n);
  h->net = NULL;
}

#else /* built without libstrophe */

int host_net_open(host *h, const char *addr, char *err, size_t errsz)
{
  snprintf(err, errsz, "this runner was built without libstrophe: no --net");
  return -1;
}
int host_net_connect(host *h, int client)
{
  return -1;
}
void host_net_disconnect(host *h, int client) {}
int host_net_send(host *h, int client, mxml_node_t *st)
{
  return -1;
}
void host_net_wait(host *h, int client) {}
void host_net_settle(host *h) {}
void host_net_close(host *h) {}
#endif
