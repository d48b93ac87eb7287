/*
 * transport - the XEP-0114 connection (see transport.h).
 * SPDX-License-Identifier: MIT
 */
#include "transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strophe.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bytes.h"
#include "clock.h"
#include "muc/muc.h"

#define BACKOFF_FIRST_MS 500u
#define BACKOFF_MAX_MS 30000u
#define PENDING_MAX (8u << 20) /* bytes kept while the server is away */

typedef enum state { DOWN, CONNECTING, UP, FAILED } state;

struct transport {
  transport_config cfg;
  xmpp_ctx_t *ctx;
  xmpp_log_t xlog;
  xmpp_conn_t *conn;
  state st;
  int ever_up;
  int closing; /* transport_close: a disconnect is expected */
  unsigned backoff_ms;
  uint64_t retry_at; /* monotonic */
  char why[256];     /* the last failure, one line */
  bytes pending;
};

static void say(transport *t, int level, const char *msg)
{
  if (t->cfg.log && level >= t->cfg.log_level)
    t->cfg.log(level, msg, t->cfg.ud);
}

/* libstrophe's own log, filtered to our level; its debug output is the
 * whole stream, so only --log-level debug shows it. */
static void strophe_log(void *ud, xmpp_log_level_t level, const char *area,
                        const char *msg)
{
  transport *t = ud;
  char line[512];
  snprintf(line, sizeof line, "libstrophe %s: %.400s", area, msg);
  say(t, (int)level, line);
}

/* libstrophe's parser drops the prefix of namespaced attributes:
 * xml:lang arrives as a plain 'lang', and would be echoed so into every
 * broadcast.  No stanza schema has an unprefixed 'lang', so it is put
 * back (on every element: body, subject and status carry it too). */
static void restore_xml_lang(xmpp_stanza_t *st)
{
  const char *lang = xmpp_stanza_get_attribute(st, "lang");
  if (lang && !xmpp_stanza_get_attribute(st, "xml:lang")) {
    xmpp_stanza_set_attribute(st, "xml:lang", lang);
    xmpp_stanza_del_attribute(st, "lang");
  }
  for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c;
       c = xmpp_stanza_get_next(c))
    if (xmpp_stanza_is_tag(c))
      restore_xml_lang(c);
}

/* libstrophe's parser writes every element's namespace as its xmlns,
 * also where the element only inherits it: <body/> of a message comes
 * as <body xmlns='jabber:component:accept'/>.  Copied so into an
 * archive, then forwarded inside <message xmlns='jabber:client'/> (a MAM
 * result), that body would be in the component's namespace and no
 * client would read it.  So a declaration equal to the parent's
 * namespace (the stream's, for the stanza) is dropped. */
static void drop_inherited_xmlns(xmpp_stanza_t *st, const char *parent_ns)
{
  const char *ns = xmpp_stanza_get_ns(st);
  if (ns && strcmp(ns, parent_ns) == 0) {
    xmpp_stanza_del_attribute(st, "xmlns");
    ns = NULL;
  }
  const char *mine = ns ? ns : parent_ns;
  for (xmpp_stanza_t *c = xmpp_stanza_get_children(st); c;
       c = xmpp_stanza_get_next(c))
    if (xmpp_stanza_is_tag(c))
      drop_inherited_xmlns(c, mine);
}

/* The stanza as text for libmuc, from a copy: libstrophe still reads
 * the original's attributes (its namespace) after the handler returns. */
static int on_stanza(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *ud)
{
  transport *t = ud;
  char *text = NULL;
  size_t len = 0;
  xmpp_stanza_t *copy = xmpp_stanza_copy(stanza);
  if (copy) {
    restore_xml_lang(copy);
    drop_inherited_xmlns(copy, XMPP_NS_COMPONENT);
  }
  if (copy && xmpp_stanza_to_text(copy, &text, &len) == XMPP_EOK) {
    t->cfg.on_stanza(text, len, t->cfg.ud);
    xmpp_free(t->ctx, text);
  } else
    say(t, MUC_LOG_ERROR, "cannot serialize a received stanza (no memory)");
  if (copy)
    xmpp_stanza_release(copy);
  return 1; /* keep the handler */
}

static void flush_pending(transport *t)
{
  if (t->pending.len && bytes_terminate(&t->pending) == 0)
    xmpp_send_raw(t->conn, t->pending.data, t->pending.len);
  t->pending.len = 0;
}

static void describe(transport *t, int error, xmpp_stream_error_t *se)
{
  if (se && se->type == XMPP_SE_NOT_AUTHORIZED)
    snprintf(t->why, sizeof t->why,
             "the server refused the component's secret for %s (wrong "
             "--secret?)",
             t->cfg.domain);
  else if (se)
    snprintf(t->why, sizeof t->why, "the server closed the stream: %s%s%s",
             se->stanza ? xmpp_stanza_get_name(se->stanza) : "stream error",
             se->text ? ": " : "", se->text ? se->text : "");
  else if (error)
    snprintf(t->why, sizeof t->why, "cannot reach %s:%u: %s", t->cfg.server,
             t->cfg.port, strerror(error));
  else
    snprintf(t->why, sizeof t->why, "the server %s:%u closed the connection",
             t->cfg.server, t->cfg.port);
}

static void on_conn(xmpp_conn_t *conn, xmpp_conn_event_t ev, int error,
                    xmpp_stream_error_t *se, void *ud)
{
  transport *t = ud;
  if (ev == XMPP_CONN_CONNECT) {
    t->st = UP;
    t->ever_up = 1;
    t->backoff_ms = BACKOFF_FIRST_MS;
    say(t, MUC_LOG_INFO, "connected to the server");
    flush_pending(t);
    return;
  }
  if (t->closing) {
    t->st = DOWN;
    return;
  }
  describe(t, error, se);
  if (!t->ever_up) {
    t->st = FAILED;
    return;
  }
  char line[320];
  snprintf(line, sizeof line, "%s; reconnecting in %u ms", t->why,
           t->backoff_ms);
  say(t, MUC_LOG_WARN, line);
  t->st = DOWN;
  t->retry_at = mono_ms() + t->backoff_ms;
  t->backoff_ms =
      t->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : t->backoff_ms * 2;
}

transport *transport_new(const transport_config *cfg)
{
  transport *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->cfg = *cfg;
  t->xlog.handler = strophe_log;
  t->xlog.userdata = t;
  t->backoff_ms = BACKOFF_FIRST_MS;
  xmpp_initialize();
  t->ctx = xmpp_ctx_new(NULL, &t->xlog);
  if (!t->ctx) {
    free(t);
    return NULL;
  }
  return t;
}

static void dummy_handler(xmpp_conn_t *conn, xmpp_conn_event_t ev, int error,
                          xmpp_stream_error_t *se, void *ud)
{
}

/* libstrophe 0.12.2 dereferences a connection's stream-management state
 * whenever it closes the socket, but allocates that state only for client
 * connections: a component connection that goes down crashes it.  So a
 * component connection borrows one from a client connection made to a
 * port that refuses at once (a socket bound but not listening), the only
 * public way to get such a state.  NULL on failure. */
static xmpp_sm_state_t *borrow_sm_state(transport *t)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  socklen_t salen = sizeof sa;
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  xmpp_conn_t *c = xmpp_conn_new(t->ctx);
  xmpp_sm_state_t *sm = NULL;
  if (c) {
    xmpp_conn_set_jid(c, "sm-state@localhost");
    xmpp_conn_set_flags(c, XMPP_CONN_FLAG_DISABLE_TLS);
    if (xmpp_connect_client(c, "127.0.0.1", ntohs(sa.sin_port), dummy_handler,
                            NULL) == XMPP_EOK)
      for (int i = 0; i < 100 && !xmpp_conn_is_disconnected(c); i++)
        xmpp_run_once(t->ctx, 10);
    sm = xmpp_conn_get_sm_state(c);
    xmpp_conn_release(c);
  }
  close(fd);
  return sm;
}

/* Can a TCP connection to the server be made at all?  0, or an errno.
 * libstrophe 0.12.2 crashes inside xmpp_run_once() when a component's
 * TCP connect is refused, so the component asks first (a server that
 * vanishes between the two is the remaining, narrow, window). */
static int probe(const transport *t)
{
  char port[8];
  snprintf(port, sizeof port, "%u", t->cfg.port);
  struct addrinfo hints = {0}, *res = NULL;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(t->cfg.server, port, &hints, &res) != 0 || !res)
    return EHOSTUNREACH;
  int err = ECONNREFUSED;
  for (struct addrinfo *ai = res; ai && err; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0)
      continue;
    err = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
    close(fd);
  }
  freeaddrinfo(res);
  return err;
}

/* A fresh connection object per attempt: libstrophe's is not meant to be
 * reused after a failed stream. */
static int start(transport *t)
{
  int err = probe(t);
  if (err) {
    describe(t, err, NULL);
    t->st = t->ever_up ? DOWN : FAILED;
    t->retry_at = mono_ms() + t->backoff_ms;
    return -1;
  }
  if (t->conn)
    xmpp_conn_release(t->conn);
  t->conn = xmpp_conn_new(t->ctx);
  if (!t->conn)
    return -1;
  xmpp_sm_state_t *sm = borrow_sm_state(t);
  if (!sm || xmpp_conn_set_sm_state(t->conn, sm) != XMPP_EOK) {
    if (sm)
      xmpp_free_sm_state(sm);
    snprintf(t->why, sizeof t->why, "cannot set up the connection object");
    t->st = t->ever_up ? DOWN : FAILED;
    t->retry_at = mono_ms() + t->backoff_ms;
    return -1;
  }
  xmpp_conn_set_jid(t->conn, t->cfg.domain);
  xmpp_conn_set_pass(t->conn, t->cfg.secret);
  /* the component stream has neither; 0.12.2 crashes on a failed
   * component connect unless stream management is off */
  xmpp_conn_set_flags(t->conn,
                      XMPP_CONN_FLAG_DISABLE_TLS | XMPP_CONN_FLAG_DISABLE_SM);
  xmpp_handler_add(t->conn, on_stanza, NULL, NULL, NULL, t);
  t->st = CONNECTING;
  if (xmpp_connect_component(t->conn, t->cfg.server, t->cfg.port, on_conn, t) !=
      XMPP_EOK) {
    describe(t, 0, NULL);
    t->st = t->ever_up ? DOWN : FAILED;
    t->retry_at = mono_ms() + t->backoff_ms;
    return -1;
  }
  return 0;
}

int transport_connect(transport *t, unsigned timeout_ms, char *err,
                      size_t errsz)
{
  uint64_t until = mono_ms() + timeout_ms;
  if (start(t) == 0)
    while (t->st == CONNECTING && mono_ms() < until)
      xmpp_run_once(t->ctx, 50);
  if (t->st == UP)
    return 0;
  if (t->st == CONNECTING)
    snprintf(t->why, sizeof t->why,
             "no answer from %s:%u within %u ms (is it a component port?)",
             t->cfg.server, t->cfg.port, timeout_ms);
  snprintf(err, errsz, "%s", t->why);
  return -1;
}

int transport_send(transport *t, const char *xml, size_t len)
{
  if (t->st == UP) {
    xmpp_send_raw(t->conn, xml, len);
    return 0;
  }
  if (t->pending.len + len > PENDING_MAX) {
    say(t, MUC_LOG_ERROR, "server away too long: an outgoing stanza dropped");
    return -1;
  }
  return bytes_add(&t->pending, xml, len);
}

void transport_run(transport *t, unsigned long timeout_ms)
{
  if (t->st == DOWN && mono_ms() >= t->retry_at)
    start(t);
  xmpp_run_once(t->ctx, timeout_ms);
}

void transport_close(transport *t, unsigned timeout_ms)
{
  uint64_t until = mono_ms() + timeout_ms;
  if (t->st != UP)
    return;
  while (xmpp_conn_send_queue_len(t->conn) > 0 && mono_ms() < until)
    xmpp_run_once(t->ctx, 20);
  t->closing = 1;
  xmpp_disconnect(t->conn);
  while (t->st == UP && mono_ms() < until)
    xmpp_run_once(t->ctx, 20);
}

void transport_free(transport *t)
{
  if (!t)
    return;
  if (t->conn)
    xmpp_conn_release(t->conn);
  xmpp_ctx_free(t->ctx);
  xmpp_shutdown();
  bytes_free(&t->pending);
  free(t);
}
