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
 * End of script: the stanzas still queued are counted in
 * replay_result.leftover and reported to the transcript hook
 * (REPLAY_EV_LEFTOVER).
 *   reference mode: they are not an error (the recorded scripts do not
 *   list every stanza); a script that wants to assert silence says
 *   "NAME receives: nothing";
 *   strict mode: any is a failure (a strict scenario lists every stanza
 *   its clients receive), reported with each client's unread stanzas;
 *   the result then has fail_line 0 and fail_action = the number of
 *   actions.
 *
 * Paths (replay_options.path; see host.h, "Library"): a run goes by text
 * (muc_service_handle_xml in, send_bytes out: what hosts do; the default)
 * or by Mini-XML trees (muc_service_handle_stanza, a muc_send_tree_fn).
 * Every delivery the library makes is recorded, serialized, in
 * replay_result.deliveries.  REPLAY_PATH_BOTH replays the script once per
 * path, each run from the same fake clock and id counter, and passes only
 * if both runs pass and the two sequences of deliveries are
 * byte-identical; the report then names the path of each failure, or the
 * first delivery that differs, with both stanzas.
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
  REPLAY_EV_LEFTOVER,      /* end: |stanza| still queued for |client| */
  REPLAY_EV_PATH,          /* a run starts on the path |text| ("text" or
                              "tree") */
  REPLAY_EV_FROM_MUC       /* the library delivered |stanza|; |text| is the
                              delivery serialized */
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

/* Which way stanzas go between the simulated host and the library (see
 * host.h, "Library"). */
typedef enum replay_path {
  REPLAY_PATH_TEXT, /* one run: muc_service_handle_xml(), send_bytes */
  REPLAY_PATH_TREE, /* one run: muc_service_handle_stanza(), trees out */
  REPLAY_PATH_BOTH  /* a run on each path, and the same deliveries */
} replay_path;

/* The deliveries of a run, in order, each serialized with the line of the
 * action that caused it. */
typedef struct replay_delivery {
  int line;
  char *xml;
} replay_delivery;

typedef struct replay_deliveries {
  replay_delivery *items;
  size_t n, cap;
  int oom; /* an allocation failed: the list is incomplete */
} replay_deliveries;

typedef struct replay_options {
  int strict;       /* strict mode (else reference mode) */
  replay_path path; /* 0: REPLAY_PATH_TEXT */
  replay_hook hook; /* transcript hook, may be NULL */
  void *hook_data;
  const muc_config *config; /* NULL: muc_config_default() */
  /* "HOST:PORT": replay through a real server's c2s port (host_net.c;
   * one text run, whatever |path| says); NULL: in-process.  The values
   * the in-process host makes (delay stamps of its fake clock,
   * "scansion-id-N" ids) are then expected with any value, and an id
   * learned so is sent back as the real one when the script does. */
  const char *net;
  /* with REPLAY_PATH_BOTH: a third run, on the text path, with storage and
   * every room that can be evicted evicted after every stanza (host.h):
   * it must deliver the same bytes as the text run */
  int evict;
  /* After every action, every room is snapshot and restored into a new
   * service (host_move_service), which the script goes on with.  With
   * REPLAY_PATH_BOTH: the uninterrupted runs, then a moved run on each
   * path, whose deliveries must be those of the uninterrupted text run,
   * byte for byte. */
  int snapshot_every_step;
  /* Record the change feed; at the end, every action's snapshots plus
   * the events after it must give every room as it is (host_feed_check).
   * With REPLAY_PATH_BOTH: one more text run with the feed, whose
   * deliveries must be those of the run without it. */
  int feed_check;
} replay_options;

typedef struct replay_result {
  int passed;
  size_t actions_run;  /* actions completed */
  size_t expectations; /* expected stanzas met + "nothing" steps held */
  size_t leftover;     /* stanzas still queued at the end */
  int fail_line;       /* line of the failed action (0: none, or the
                          end of the script) */
  size_t fail_action;  /* its index in the script */
  size_t fail_element; /* 1-based element of its block (0: n/a) */
  char *report;        /* malloc'd readable report, NULL if passed */
  replay_deliveries deliveries; /* what the library delivered (both paths:
                                   the text run's) */
  size_t path_difference;       /* both paths: 1-based index of the first
                                   delivery that differs, 0 if none */
} replay_result;

/*
 * replay_run - run |script|.  Returns 0 if it passed, 1 if it failed (the
 * result says where and why), -1 if the replay could not start (report
 * set, e.g. the service could not be created).
 */
int replay_run(const scs_script *script, const replay_options *opt,
               replay_result *result);

void replay_result_free(replay_result *result);

/* Append a copy of |xml|, caused by the action at |line|. */
void replay_deliveries_add(replay_deliveries *d, int line, const char *xml);
void replay_deliveries_free(replay_deliveries *d);

/*
 * replay_deliveries_diff - NULL if |a| and |b| hold the same deliveries,
 * byte for byte, in the same order; else a malloc'd report of the first
 * difference (its index, the line that caused it, both stanzas), the runs
 * named |a_name| and |b_name|.  |*index| (if not NULL) gets the 1-based
 * index of the first difference, 0 if none.
 */
char *replay_deliveries_diff(const replay_deliveries *a, const char *a_name,
                             const replay_deliveries *b, const char *b_name,
                             size_t *index);

const char *replay_event_name(replay_event_kind kind);

#endif
