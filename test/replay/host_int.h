/*
 * host internals, shared by the simulated server's three parts:
 *   host.c        the public API (host.h): clients, sessions, the clock;
 *   host_route.c  queues, JID comparison, routing by 'to';
 *   host_lib.c    the glue to the library: the service, its callbacks,
 *                 handing stanzas in and taking deliveries out.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef HOST_INT_H
#define HOST_INT_H

#include <mxml.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "muc/muc.h"

typedef struct queue {
  mxml_node_t **items;
  size_t head, len, cap;
} queue;

typedef struct host_net host_net;
typedef struct host_record host_record; /* host_store.c */

typedef struct host_client {
  char *name;
  char *bare;
  char *full;
  int connected;
  queue q;
} host_client;

struct host {
  muc_service *svc;
  host_path path;
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
  host_net *net; /* the network backend (host_net.c), or NULL */
  int evict;     /* host_options.evict (host_store.c) */
  host_record *records;
  muc_config cfg;              /* the service's configuration */
  struct host_snap *snap;      /* snapshot and feed checks (host_snap.c) */
  struct mem_archive *archive; /* host_options.archive, or NULL */
};

/* host_route.c: queues (FIFO order; they own their stanzas). */
int q_push(queue *q, mxml_node_t *n);
mxml_node_t *q_pop(queue *q);
void q_clear(queue *q);
void q_free(queue *q);

/* host_route.c: JIDs, compared as the reference server does (ASCII case
 * of the bare part ignored, resource exact). */
int host_lower(int c);
int host_eq_nocase(const char *a, const char *b);
size_t host_bare_len(const char *jid);
int host_same_full(const char *a, const char *b);

/* host_route.c: queue |st| (owned) for routing (0, or -1 when out of
 * memory: |st| freed, the host fatal), and route everything queued. */
int host_enqueue(host *h, mxml_node_t *st);
void host_pump(host *h);

/* host_store.c: storage, and eviction after every stanza, when
 * |h->evict|. */
void host_store_callbacks(host *h, muc_callbacks *cb);
void host_store_evict(host *h);
void host_store_free(host *h);

/* host.c */
void host_emit(host *h, host_event_kind kind, int client, const mxml_node_t *st,
               const char *text);
void host_set_fatal(host *h, const char *msg);

/* host_lib.c: create the service (0, or -1 with |err|). */
int host_lib_open(host *h, const host_options *opt, char *err, size_t errsz);
/* A new service with the host's configuration and callbacks (what
 * host_lib_open makes).  A muc_service_new code. */
int host_lib_new_service(host *h, muc_service **out);
/* Hand |st| (borrowed) to the library. */
void host_lib_handle(host *h, const mxml_node_t *st);
/* Report what a library call returned: an event if it is an error, and
 * the host fatal if it is fatal. */
void host_lib_result(host *h, int r, const char *what);

/* host_snap.c */
void host_snap_free(host *h);

/* host_net.c: the network backend (see there).  open: 0, or -1 with
 * |err|; connect and send: 0, or -1 with the host fatal. */
int host_net_open(host *h, const char *addr, char *err, size_t errsz);
int host_net_connect(host *h, int client);
void host_net_disconnect(host *h, int client);
int host_net_send(host *h, int client, mxml_node_t *st);
void host_net_wait(host *h, int client);
void host_net_settle(host *h);
void host_net_close(host *h);

#endif
