/*
 * transport - the XEP-0114 connection to the XMPP server, through
 * libstrophe.
 *
 * In: each stanza the server routes to the component, as text
 * (xmpp_stanza_to_text: libstrophe parses the stream itself and exposes
 * no per-stanza raw bytes, so the stanza is written back out once; see
 * docs/deploying.md, "Limits").  Out: libmuc's bytes, written as they
 * are (xmpp_send_raw).  While the server is away, the bytes wait in a
 * bounded buffer and go out, in order, once the component is back.
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_TRANSPORT_H
#define COMPONENT_TRANSPORT_H

#include <stddef.h>

typedef struct transport transport;

typedef void (*transport_stanza_fn)(const char *xml, size_t len, void *ud);
typedef void (*transport_log_fn)(int level, const char *msg, void *ud);

typedef struct transport_config {
  const char *server;
  unsigned short port;
  const char *domain;
  const char *secret;
  int log_level; /* MUC_LOG_* */
  transport_stanza_fn on_stanza;
  transport_log_fn log;
  void *ud;
} transport_config;

transport *transport_new(const transport_config *cfg);
void transport_free(transport *t);

/* transport_connect - the first connection: 0 once the handshake is
 * done, or -1 with a one-line reason in |err| (wrong secret, server
 * unreachable, no answer within |timeout_ms|). */
int transport_connect(transport *t, unsigned timeout_ms, char *err,
                      size_t errsz);

/* transport_send - write the |len| bytes of |xml| to the server, or keep
 * them for when the connection is back.  A NUL must follow them:
 * libstrophe 0.12.2's xmpp_send_raw() copies with strndup(), which reads
 * up to a NUL whatever |len| says.  0, or -1 if the waiting buffer is
 * full (dropped). */
int transport_send(transport *t, const char *xml, size_t len);

/* transport_run - wait up to |timeout_ms| for traffic and handle it;
 * reconnects (with backoff) when the server went away. */
void transport_run(transport *t, unsigned long timeout_ms);

/* transport_close - flush what is queued (at most |timeout_ms|), close
 * the stream. */
void transport_close(transport *t, unsigned timeout_ms);

#endif
