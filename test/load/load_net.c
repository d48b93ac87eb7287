/*
 * load_net - N real client connections in one MUC room through an XMPP
 * server: one of them sends messages, every client times each message it
 * receives.  Prints deliveries per second and the client-observed latency
 * (send to receive) p50/p99.  Bounded: at most LOAD_MAX_CLIENTS
 * connections, --messages messages, --seconds seconds; 127.0.0.1 only.
 *
 *   load_net --port C2S_PORT --room ROOM@DOMAIN --clients N
 *            [--messages M] [--seconds S] [--window W] [--persistent 0|1]
 *
 * The sender keeps at most W messages in flight (sent, its own echo not
 * yet back), so the rate is what the server and the MUC sustain.  With
 * --persistent 1 the room is configured persistent (muc-component then
 * stores the room, its history with it, for every message).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strophe.h>
#include <time.h>

#define LOAD_MAX_CLIENTS 1000
#define LOAD_MAX_MESSAGES 100000

typedef struct client {
  struct load *l;
  int i;
  xmpp_conn_t *conn;
  int up, failed, joined, got;
} client;

typedef struct load {
  xmpp_ctx_t *ctx;
  const char *room;
  client *c;
  int n, messages, window, sent, echoed, configured;
  int persistent; /* --persistent: the room is made persistent */
  long deliveries;
  double *lat; /* ms, one per delivery */
  long nlat;
} load;

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_message(client *c, xmpp_stanza_t *st)
{
  xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(st, "body");
  char *text = body ? xmpp_stanza_get_text(body) : NULL;
  double sent;
  if (text && sscanf(text, "load %lf", &sent) == 1) {
    load *l = c->l;
    if (l->nlat < (long)l->n * l->messages)
      l->lat[l->nlat++] = now_ms() - sent;
    l->deliveries++;
    c->got++;
    if (c->i == 0)
      l->echoed++;
  }
  if (text)
    xmpp_free(c->l->ctx, text);
}

static int on_stanza(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
  client *c = ud;
  const char *name = xmpp_stanza_get_name(st);
  const char *type = xmpp_stanza_get_type(st);
  if (strcmp(name, "message") == 0)
    on_message(c, st);
  else if (strcmp(name, "presence") == 0 && !type) {
    /* self-presence: status 110 */
    xmpp_stanza_t *x =
        xmpp_stanza_get_child_by_ns(st, "http://jabber.org/protocol/muc#user");
    for (xmpp_stanza_t *s = x ? xmpp_stanza_get_children(x) : NULL; s;
         s = xmpp_stanza_get_next(s)) {
      const char *code = xmpp_stanza_get_attribute(s, "code");
      if (code && strcmp(code, "110") == 0)
        c->joined = 1;
    }
  } else if (strcmp(name, "iq") == 0 && type && strcmp(type, "result") == 0 &&
             xmpp_stanza_get_id(st) &&
             strcmp(xmpp_stanza_get_id(st), "cfg") == 0)
    c->l->configured = 1;
  return 1;
}

static void on_conn(xmpp_conn_t *conn, xmpp_conn_event_t ev, int error,
                    xmpp_stream_error_t *se, void *ud)
{
  client *c = ud;
  if (ev == XMPP_CONN_CONNECT) {
    c->up = 1;
    xmpp_handler_add(conn, on_stanza, NULL, NULL, NULL, c);
  } else {
    c->failed = !c->up;
    c->up = 0;
  }
}

/* Run the loop until |done| or |ms| passed; 1 if done. */
static int pump(load *l, double ms, int (*done)(load *))
{
  double until = now_ms() + ms;
  while (!done(l) && now_ms() < until)
    xmpp_run_once(l->ctx, 5);
  return done(l);
}

static int all_up(load *l)
{
  for (int i = 0; i < l->n; i++)
    if (!l->c[i].up)
      return 0;
  return 1;
}

static int all_joined(load *l)
{
  for (int i = 0; i < l->n; i++)
    if (!l->c[i].joined)
      return 0;
  return 1;
}

static int first_ready(load *l)
{
  return l->c[0].joined && l->configured;
}

static int all_received(load *l)
{
  return l->deliveries >= (long)l->n * l->messages;
}

static void join(load *l, int i)
{
  xmpp_send_raw_string(l->c[i].conn,
                       "<presence to='%s/u%d'><x "
                       "xmlns='http://jabber.org/protocol/muc'><history "
                       "maxstanzas='0'/></x></presence>",
                       l->room, i);
}

/* The sender: keep |window| messages in flight. */
static void send_some(load *l)
{
  while (l->sent < l->messages && l->sent - l->echoed < l->window) {
    xmpp_send_raw_string(l->c[0].conn,
                         "<message to='%s' type='groupchat'><body>load "
                         "%.3f</body></message>",
                         l->room, now_ms());
    l->sent++;
  }
}

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int setup(load *l, int port)
{
  for (int i = 0; i < l->n; i++) {
    char jid[64];
    client *c = &l->c[i];
    c->l = l;
    c->i = i;
    c->conn = xmpp_conn_new(l->ctx);
    snprintf(jid, sizeof jid, "load%d@localhost/load", i);
    xmpp_conn_set_jid(c->conn, jid);
    xmpp_conn_set_pass(c->conn, "password");
    xmpp_conn_set_flags(c->conn,
                        XMPP_CONN_FLAG_DISABLE_TLS | XMPP_CONN_FLAG_DISABLE_SM);
    xmpp_connect_client(c->conn, "127.0.0.1", (unsigned short)port, on_conn, c);
  }
  if (!pump(l, 30000, all_up)) {
    fprintf(stderr, "load_net: not every client logged in within 30 s\n");
    return -1;
  }
  join(l, 0); /* creates the room; an empty form makes it an instant room */
  xmpp_send_raw_string(l->c[0].conn,
                       "<iq to='%s' type='set' id='cfg'><query "
                       "xmlns='http://jabber.org/protocol/muc#owner'><x "
                       "xmlns='jabber:x:data' type='submit'><field "
                       "var='FORM_TYPE'><value>http://jabber.org/protocol/"
                       "muc#roomconfig</value></field><field "
                       "var='muc#roomconfig_persistentroom'><value>%d</value>"
                       "</field></x></query></iq>",
                       l->room, l->persistent);
  if (!pump(l, 10000, first_ready)) {
    fprintf(stderr, "load_net: the room was not created within 10 s\n");
    return -1;
  }
  for (int i = 1; i < l->n; i++)
    join(l, i);
  if (!pump(l, 60000, all_joined)) {
    fprintf(stderr, "load_net: not every client joined within 60 s\n");
    return -1;
  }
  return 0;
}

static void report(load *l, double elapsed)
{
  qsort(l->lat, (size_t)l->nlat, sizeof *l->lat, cmp);
  double p50 = l->nlat ? l->lat[l->nlat / 2] : 0;
  double p99 = l->nlat ? l->lat[(l->nlat * 99) / 100] : 0;
  printf("clients=%d messages=%d delivered=%ld of %ld seconds=%.3f "
         "deliveries_per_s=%.0f p50_ms=%.2f p99_ms=%.2f\n",
         l->n, l->messages, l->deliveries, (long)l->n * l->messages,
         elapsed / 1e3, elapsed > 0 ? l->deliveries / (elapsed / 1e3) : 0.0,
         p50, p99);
}

int main(int argc, char **argv)
{
  load l = {0};
  int port = 0, seconds = 30;
  l.messages = 200;
  l.window = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--port") == 0)
      port = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--room") == 0)
      l.room = argv[i + 1];
    else if (strcmp(argv[i], "--clients") == 0)
      l.n = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--messages") == 0)
      l.messages = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--seconds") == 0)
      seconds = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--window") == 0)
      l.window = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--persistent") == 0)
      l.persistent = atoi(argv[i + 1]) != 0;
  }
  if (!port || !l.room || l.n < 1 || l.n > LOAD_MAX_CLIENTS || l.messages < 1 ||
      l.messages > LOAD_MAX_MESSAGES || seconds < 1 || seconds > 600 ||
      l.window < 1) {
    fprintf(stderr, "usage: load_net --port C2S_PORT --room ROOM@DOMAIN "
                    "--clients N(1-1000) [--messages M] [--seconds S] "
                    "[--window W] [--persistent 0|1]\n");
    return 2;
  }
  xmpp_initialize();
  l.ctx = xmpp_ctx_new(NULL, NULL);
  l.c = calloc((size_t)l.n, sizeof *l.c);
  l.lat = malloc((size_t)l.n * (size_t)l.messages * sizeof *l.lat);
  int rc = (l.c && l.lat && setup(&l, port) == 0) ? 0 : 1;
  if (rc == 0) {
    double t0 = now_ms(), until = t0 + seconds * 1e3;
    while (!all_received(&l) && now_ms() < until) {
      send_some(&l);
      xmpp_run_once(l.ctx, 1);
    }
    report(&l, now_ms() - t0);
    rc = all_received(&l) ? 0 : 1;
  }
  for (int i = 0; l.c && i < l.n; i++)
    if (l.c[i].conn)
      xmpp_conn_release(l.c[i].conn);
  free(l.c);
  free(l.lat);
  xmpp_ctx_free(l.ctx);
  xmpp_shutdown();
  return rc;
}
