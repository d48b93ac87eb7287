/*
 * replay - run one parsed scansion script in-process against libmuc
 * through the simulated host (host.h), checking every expectation with the
 * matcher (match.h).
 *
 * Each connect, disconnect and send advances the fake clock by 1000 ms
 * (the library's due timers run); checking what a client received takes no
 * time, so expectations can be added or removed without shifting the
 * timestamps of later stanzas.  Then:
 *   connects      the session starts (error if already connected);
 *   disconnects   the session ends: muc_service_session_ended();
 *   sends:        variables substituted, each top-level element sent in
 *                 turn; everything it causes is delivered before the next
 *                 action.  A client that is not connected: strict mode
 *                 fails; reference mode drops the stanza with an
 *                 REPLAY_EV_UNDELIVERABLE event, as the reference runner
 *                 tolerates it (prosody/muc_outcast_reason.scs does it);
 *   receives:     each top-level element E in turn is looked for in the
 *                 client's queue:
 *                   reference mode: stanzas are taken in order until one
 *                   matches E; the ones before it are skipped (consumed).
 *                   If none matches, the step fails and the report shows
 *                   the closest skipped stanza;
 *                   strict mode: the next queued stanza must match E;
 *   receives: nothing   the client's queue must be empty (both modes).
 * The replay stops at the first failed step.
 *
 * End of script (both modes): stanzas still queued are NOT an error.  A
 * script that wants to assert silence says "NAME receives: nothing".  The
 * leftovers are counted in replay_result.leftover and reported to the
 * transcript hook (REPLAY_EV_LEFTOVER), so a strict scenario documents
 * them without failing on them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <mxml.h>
#include <stddef.h>

#include "muc/muc.h"
#include "scs.h"

typedef enum replay_event_kind {
  REPLAY_EV_STEP,          /* an action starts; |text| "Romeo sends:" */
  REPLAY_EV_CONNECT,       /* |client| connected as |jid| */
  REPLAY_EV_DISCONNECT,    /* |client| disconnected */
  REPLAY_EV_SEND,          /* |client| sent |stanza| (as stamped) */
  REPLAY_EV_TO_MUC,        /* |stanza| handed to the library */
  REPLAY_EV_DELIVER,       /* |stanza| queued for |client| */
  REPLAY_EV_MATCH,         /* |expected| met by |stanza| */
  REPLAY_EV_SKIP,          /* reference mode: |stanza| skipped */
  REPLAY_EV_FAIL,          /* expectation failed; |text| is the report,
                              |stanza| the closest candidate or NULL */
  REPLAY_EV_NOTHING,       /* "receives: nothing" held */
  REPLAY_EV_UNDELIVERABLE, /* |stanza| undeliverable; |text| why */
  REPLAY_EV_BOUNCE,        /* the server bounced an error |stanza| */
  REPLAY_EV_LOG,           /* library log line |text| */
  REPLAY_EV_LIB_ERROR,     /* library call error |text| */
  REPLAY_EV_LEFTOVER       /* end: |stanza| still queued for |client| */
} replay_event_kind;

typedef struct replay_event {
  replay_event_kind kind;
  int line;                    /* line of the current action, 0 if none */
  const char *client;          /* client name, or NULL */
  const char *jid;             /* that client's full JID, or NULL */
  const mxml_node_t *stanza;   /* borrowed for the call */
  const mxml_node_t *expected; /* borrowed for the call */
  const char *text;
} replay_event;

typedef void (*replay_hook)(const replay_event *ev, void *ud);

typedef struct replay_options {
  int strict;       /* strict mode (else reference mode) */
  replay_hook hook; /* transcript hook, may be NULL */
  void *hook_data;
  const muc_config *config; /* NULL: muc_config_default() */
} replay_options;

typedef struct replay_result {
  int passed;
  size_t actions_run;  /* actions completed */
  size_t expectations; /* expected stanzas met + "nothing" steps held */
  size_t leftover;     /* stanzas still queued at the end */
  int fail_line;       /* line of the failed action (0: none) */
  size_t fail_action;  /* its index in the script */
  size_t fail_element; /* 1-based element of its block (0: n/a) */
  char *report;        /* malloc'd readable report, NULL if passed */
} replay_result;

/*
 * replay_run - run |script|.  Returns 0 if it passed, 1 if it failed (the
 * result says where and why), -1 if the replay could not start (report
 * set, e.g. the service could not be created).
 */
int replay_run(const scs_script *script, const replay_options *opt,
               replay_result *result);

void replay_result_free(replay_result *result);

const char *replay_event_name(replay_event_kind kind);

#endif
