/*
 * replay - run a scansion script against libmuc (see replay.h).
 * SPDX-License-Identifier: MIT
 */
#include "replay.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_opts.h"
#include "host.h"
#include "match.h"

#define ACTION_MS 1000

#define LEARNED_IDS 64

/* Over the network: an id the in-process host would have made
 * ("scansion-id-N") and the one the room really sent in its place. */
typedef struct learned_id {
  char *made, *real;
} learned_id;

typedef struct run {
  const scs_script *s;
  const replay_options *o;
  host *h;
  int line;
  replay_result *res;
  learned_id ids[LEARNED_IDS];
  size_t nids;
} run;

const char *replay_event_name(replay_event_kind kind)
{
  switch (kind) {
  case REPLAY_EV_STEP:
    return "step";
  case REPLAY_EV_CONNECT:
    return "connect";
  case REPLAY_EV_DISCONNECT:
    return "disconnect";
  case REPLAY_EV_SEND:
    return "send";
  case REPLAY_EV_TO_MUC:
    return "to-muc";
  case REPLAY_EV_DELIVER:
    return "deliver";
  case REPLAY_EV_MATCH:
    return "match";
  case REPLAY_EV_SKIP:
    return "skip";
  case REPLAY_EV_FAIL:
    return "fail";
  case REPLAY_EV_NOTHING:
    return "nothing";
  case REPLAY_EV_UNDELIVERABLE:
    return "undeliverable";
  case REPLAY_EV_BOUNCE:
    return "bounce";
  case REPLAY_EV_LOG:
    return "log";
  case REPLAY_EV_LIB_ERROR:
    return "lib-error";
  case REPLAY_EV_LEFTOVER:
    return "leftover";
  case REPLAY_EV_PATH:
    return "path";
  case REPLAY_EV_FROM_MUC:
    return "from-muc";
  }
  return "?";
}

static void hook(run *r, replay_event_kind kind, int client,
                 const mxml_node_t *st, const mxml_node_t *expected,
                 const char *text)
{
  if (!r->o->hook)
    return;
  replay_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = kind;
  ev.line = r->line;
  if (r->h && client >= 0) {
    ev.client = host_client_name(r->h, client);
    ev.jid = host_full_jid(r->h, client);
  }
  ev.stanza = st;
  ev.expected = expected;
  ev.text = text;
  r->o->hook(&ev, r->o->hook_data);
}

static void on_host_event(host_event_kind kind, int client,
                          const mxml_node_t *st, const char *text, void *ud)
{
  run *r = ud;
  replay_event_kind k;
  switch (kind) {
  case HOST_EV_SENT:
    k = REPLAY_EV_SEND;
    break;
  case HOST_EV_TO_MUC:
    k = REPLAY_EV_TO_MUC;
    break;
  case HOST_EV_DELIVER:
    k = REPLAY_EV_DELIVER;
    break;
  case HOST_EV_UNDELIVERABLE:
    k = REPLAY_EV_UNDELIVERABLE;
    break;
  case HOST_EV_BOUNCE:
    k = REPLAY_EV_BOUNCE;
    break;
  case HOST_EV_LOG:
    k = REPLAY_EV_LOG;
    break;
  case HOST_EV_LIB_ERROR:
    k = REPLAY_EV_LIB_ERROR;
    break;
  case HOST_EV_FROM_MUC:
    k = REPLAY_EV_FROM_MUC;
    replay_deliveries_add(&r->res->deliveries, r->line, text);
    break;
  default:
    return;
  }
  hook(r, k, client, st, NULL, text);
}

static const char *lookup(const char *name, int full, void *ud)
{
  run *r = ud;
  int i = host_find_client(r->h, name);
  if (i < 0)
    return NULL;
  return full ? host_full_jid(r->h, i) : host_bare_jid(r->h, i);
}

static const char *mode_name(const run *r)
{
  return r->o->strict ? "strict mode" : "reference mode";
}

/* Record the failure of action |a| (element |element|, 0 if n/a):
 * "NAME:LINE: CLIENT VERB " + message.  Returns 1. */
static int fail_step(run *r, const scs_action *a, size_t element,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_step(run *r, const scs_action *a, size_t element,
                     const char *fmt, ...)
{
  replay_result *res = r->res;
  if (res->report)
    return 1;
  scs_buf b = {0};
  scs_buf_printf(&b, "%s:%d: %s %s", r->s->name, a->line,
                 r->s->clients[a->client].name, scs_action_verb(a->kind));
  if (element && a->nelements > 1)
    scs_buf_printf(&b, " (element %zu of %zu)", element, a->nelements);
  scs_buf_add(&b, " ");
  va_list ap;
  va_start(ap, fmt);
  scs_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  res->passed = 0;
  res->fail_line = a->line;
  res->fail_action = (size_t)(a - r->s->actions);
  res->fail_element = element;
  res->report = scs_buf_take(&b);
  return 1;
}

static mxml_node_t *block_tree(run *r, const scs_action *a)
{
  char err[300];
  char *text = NULL;
  if (scs_substitute(a->xml, lookup, r, &text, err, sizeof err) < 0) {
    fail_step(r, a, 0, "cannot substitute variables: %s", err);
    return NULL;
  }
  mxml_node_t *root = scs_xml_parse_block(text, err, sizeof err);
  free(text);
  if (!root)
    fail_step(r, a, 0, "bad XML block (line %d): %s", a->xml_line, err);
  return root;
}

/* Over the network: |e| (top level) matched |got|; remember the real
 * value of each attribute |e| expected as a host-made id. */
static void learn_ids(run *r, const mxml_node_t *ce, const mxml_node_t *cgot)
{
  /* Mini-XML 3 takes no const pointers; nothing is changed */
  mxml_node_t *e = (mxml_node_t *)ce, *got = (mxml_node_t *)cgot;
  for (int i = 0; r->o->net && i < mxmlElementGetAttrCount(e); i++) {
    const char *k = NULL;
    const char *made = mxmlElementGetAttrByIndex(e, i, &k);
    if (!k || strncmp(k, "scansion:made-", 14) != 0 || r->nids == LEARNED_IDS)
      continue;
    const char *real = mxmlElementGetAttr(got, k + 14);
    if (real) {
      r->ids[r->nids].made = scs_strdup(made);
      r->ids[r->nids].real = scs_strdup(real);
      r->nids++;
    }
  }
}

/* Over the network: a host-made id the script sends back (answering a
 * query the room forwarded) becomes the id the room really used. */
static void use_learned_ids(run *r, mxml_node_t *el)
{
  for (int i = 0; i < mxmlElementGetAttrCount(el); i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(el, i, &k);
    for (size_t j = 0; k && v && j < r->nids; j++)
      if (r->ids[j].made && r->ids[j].real && strcmp(v, r->ids[j].made) == 0) {
        char *key = scs_strdup(k);
        if (key)
          mxmlElementSetAttr(el, key, r->ids[j].real);
        free(key);
        break;
      }
  }
  for (mxml_node_t *c = scs_xml_first_element(el); c;
       c = scs_xml_next_element(c))
    use_learned_ids(r, c);
}

static void free_learned_ids(run *r)
{
  for (size_t j = 0; j < r->nids; j++) {
    free(r->ids[j].made);
    free(r->ids[j].real);
  }
  r->nids = 0;
}

static int do_send(run *r, const scs_action *a)
{
  mxml_node_t *root = block_tree(r, a);
  if (!root)
    return 1;
  if (r->o->net)
    use_learned_ids(r, root);
  int c = (int)a->client;
  int failed = 0;
  for (mxml_node_t *e = scs_xml_first_element(root); e && !failed;
       e = scs_xml_next_element(e)) {
    if (!host_is_connected(r->h, c)) {
      /* The reference runner tolerates it (muc_outcast_reason.scs sends
       * after disconnecting); a strict scenario must not do it. */
      if (r->o->strict) {
        failed = fail_step(r, a, 0, "but %s is not connected",
                           r->s->clients[a->client].name);
        break;
      }
      hook(r, REPLAY_EV_UNDELIVERABLE, c, e, NULL,
           "the client is not connected; stanza dropped");
      continue;
    }
    if (host_send(r->h, c, e) < 0)
      failed = fail_step(r, a, 0, "cannot send: %s",
                         host_fatal(r->h) ? host_fatal(r->h) : "?");
  }
  mxmlDelete(root);
  return failed;
}

static int receive_strict(run *r, const scs_action *a, size_t idx,
                          const mxml_node_t *e)
{
  int c = (int)a->client;
  mxml_node_t *got = host_queue_take(r->h, c);
  if (got && match_element(e, got, NULL)) {
    hook(r, REPLAY_EV_MATCH, c, got, e, NULL);
    learn_ids(r, e, got);
    r->res->expectations++;
    mxmlDelete(got);
    return 0;
  }
  char *rep = match_report(e, got,
                           got ? "next received stanza (strict mode: it "
                                 "must match)"
                               : "received (strict mode)");
  scs_buf note = {0};
  size_t left = host_queue_length(r->h, c);
  for (size_t i = 0; i < left; i++)
    if (match_element(e, host_queue_peek(r->h, c, i), NULL)) {
      scs_buf_printf(&note,
                     "note: the expected stanza was received "
                     "later: it is stanza %zu after this one in the "
                     "queue\n",
                     i + 1);
      break;
    }
  if (!got)
    scs_buf_add(&note, "note: the client's queue is empty\n");
  hook(r, REPLAY_EV_FAIL, c, got, e, rep);
  fail_step(r, a, idx, "expectation not met [%s]\n%s%s", mode_name(r),
            rep ? rep : "", note.s ? note.s : "");
  scs_buf_free(&note);
  free(rep);
  mxmlDelete(got);
  return 1;
}

static int receive_reference(run *r, const scs_action *a, size_t idx,
                             const mxml_node_t *e)
{
  int c = (int)a->client;
  mxml_node_t **skipped = NULL;
  size_t nskipped = 0, cap = 0;
  int matched = 0;
  mxml_node_t *got;
  while ((got = host_queue_take(r->h, c)) != NULL) {
    if (match_element(e, got, NULL)) {
      hook(r, REPLAY_EV_MATCH, c, got, e, NULL);
      learn_ids(r, e, got);
      learn_ids(r, e, got);
      r->res->expectations++;
      mxmlDelete(got);
      matched = 1;
      break;
    }
    hook(r, REPLAY_EV_SKIP, c, got, e, NULL);
    if (nskipped == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      mxml_node_t **ns = realloc(skipped, ncap * sizeof *ns);
      if (!ns) {
        mxmlDelete(got);
        break;
      }
      skipped = ns;
      cap = ncap;
    }
    skipped[nskipped++] = got;
  }
  if (!matched) {
    size_t best =
        match_closest(e, (const mxml_node_t *const *)skipped, nskipped);
    scs_buf label = {0};
    if (nskipped)
      scs_buf_printf(&label,
                     "closest received stanza (%zu of %zu "
                     "skipped)",
                     best + 1, nskipped);
    else
      scs_buf_add(&label, "received");
    char *rep = match_report(e, nskipped ? skipped[best] : NULL, label.s);
    hook(r, REPLAY_EV_FAIL, c, nskipped ? skipped[best] : NULL, e, rep);
    fail_step(r, a, idx, "expectation not met [%s]\n%s", mode_name(r),
              rep ? rep : "");
    free(rep);
    scs_buf_free(&label);
  }
  for (size_t i = 0; i < nskipped; i++)
    mxmlDelete(skipped[i]);
  free(skipped);
  return !matched;
}

/* The attribute of |el| (in namespace |ns|) that holds a time of the
 * host's clock, or NULL: XEP-0203 delays, XEP-0424 retraction
 * tombstones, the XEP-0313 archive metadata's first and last message. */
static const char *host_time_attr(mxml_node_t *el, const char *ns)
{
  static const char *const timed[][3] = {
      {"delay", "urn:xmpp:delay", "stamp"},
      {"retracted", "urn:xmpp:message-retract:1", "stamp"},
      {"start", "urn:xmpp:mam:2", "timestamp"},
      {"end", "urn:xmpp:mam:2", "timestamp"},
  };
  for (size_t i = 0; ns && i < sizeof timed / sizeof timed[0]; i++)
    if (strcmp(mxmlGetElement(el), timed[i][0]) == 0 &&
        strcmp(ns, timed[i][1]) == 0 && mxmlElementGetAttr(el, timed[i][2]))
      return timed[i][2];
  return NULL;
}

/* Over the network the clock and the ids are real: the values that come
 * from the in-process host's fake clock (host_time_attr) and id counter
 * ("scansion-id-N", in any attribute) cannot be expected as written, so
 * they are expected present with any value.  Every other byte is
 * compared as in-process.  |parent_ns|: the namespace |el| inherits. */
static void relax_host_values(mxml_node_t *el, const char *parent_ns)
{
  const char *own = mxmlElementGetAttr(el, "xmlns");
  const char *ns = own ? own : parent_ns;
  const char *timed = host_time_attr(el, ns);
  if (timed)
    mxmlElementSetAttr(el, timed, MATCH_ANY);
  for (int i = 0; i < mxmlElementGetAttrCount(el); i++) {
    const char *k = NULL;
    const char *v = mxmlElementGetAttrByIndex(el, i, &k);
    if (!k || !v || strncmp(v, "scansion-id-", 12) != 0 ||
        strncmp(k, "scansion:", 9) == 0)
      continue;
    /* id, sessionid...: remembered as scansion:made-NAME (never
     * compared), so that learn_ids() can map it to the real one */
    scs_buf made = {0};
    scs_buf_printf(&made, "scansion:made-%s", k);
    char *key = scs_strdup(k), *val = scs_strdup(v);
    if (made.s && key && val) {
      mxmlElementSetAttr(el, made.s, val);
      mxmlElementSetAttr(el, key, MATCH_ANY);
    }
    scs_buf_free(&made);
    free(key);
    free(val);
  }
  for (mxml_node_t *c = scs_xml_first_element(el); c;
       c = scs_xml_next_element(c))
    relax_host_values(c, ns);
}

static int do_receive(run *r, const scs_action *a)
{
  mxml_node_t *root = block_tree(r, a);
  if (!root)
    return 1;
  if (r->o->net)
    relax_host_values(root, "jabber:client");
  size_t idx = 0;
  int failed = 0;
  for (mxml_node_t *e = scs_xml_first_element(root); e && !failed;
       e = scs_xml_next_element(e)) {
    idx++;
    failed = r->o->strict ? receive_strict(r, a, idx, e)
                          : receive_reference(r, a, idx, e);
  }
  mxmlDelete(root);
  return failed;
}

static int do_nothing(run *r, const scs_action *a)
{
  int c = (int)a->client;
  size_t n = host_queue_length(r->h, c);
  if (n == 0) {
    hook(r, REPLAY_EV_NOTHING, c, NULL, NULL, NULL);
    r->res->expectations++;
    return 0;
  }
  scs_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    scs_xml_format(&b, host_queue_peek(r->h, c, i), 4);
    scs_buf_add(&b, "\n");
  }
  hook(r, REPLAY_EV_FAIL, c, host_queue_peek(r->h, c, 0), NULL, b.s);
  fail_step(r, a, 0, "failed [%s]: %zu stanza(s) queued:\n%s", mode_name(r), n,
            b.s ? b.s : "");
  scs_buf_free(&b);
  return 1;
}

static int do_action(run *r, const scs_action *a)
{
  int c = (int)a->client;
  const char *name = r->s->clients[a->client].name;
  switch (a->kind) {
  case SCS_CONNECT:
    if (host_connect(r->h, c) < 0)
      return fail_step(r, a, 0, "but %s is already connected", name);
    hook(r, REPLAY_EV_CONNECT, c, NULL, NULL, host_full_jid(r->h, c));
    return 0;
  case SCS_DISCONNECT:
    hook(r, REPLAY_EV_DISCONNECT, c, NULL, NULL, host_full_jid(r->h, c));
    if (host_disconnect(r->h, c) < 0)
      return fail_step(r, a, 0, "but %s is not connected", name);
    return 0;
  case SCS_SEND:
    return do_send(r, a);
  case SCS_RECEIVE:
    return do_receive(r, a);
  case SCS_RECEIVE_NOTHING:
    return do_nothing(r, a);
  }
  return fail_step(r, a, 0, "unknown action");
}

/* The configuration |base| (NULL: the defaults) with the script's
 * "# muc-component:" options applied; NULL, or a report. */
static char *script_config(const scs_script *script, const muc_config *base,
                           muc_config *out)
{
  if (base)
    *out = *base;
  else
    muc_config_default(out);
  char *opts = scs_strdup(script->component_options);
  char *save = NULL, *report = NULL;
  for (char *opt = strtok_r(opts, " \t", &save); opt && !report;
       opt = strtok_r(NULL, " \t", &save)) {
    char *val = strtok_r(NULL, " \t", &save);
    const char *why = "a value";
    scs_buf b = {0};
    if (!val || config_option(out, opt, val, &why) <= 0) {
      scs_buf_printf(&b, "%s: muc-component option %s: %s", script->name, opt,
                     val ? why : "no value");
      report = scs_buf_take(&b);
    }
  }
  free(opts);
  return report;
}

/* The simulated host with the script's clients; 0, or -1 with the
 * report set. */
static int start_host(run *r)
{
  const scs_script *script = r->s;
  host_options ho;
  memset(&ho, 0, sizeof ho);
  ho.config = r->o->config;
  muc_config own;
  if (script->component_options) {
    if ((r->res->report = script_config(script, r->o->config, &own)))
      return -1;
    ho.config = &own;
  }
  ho.path = r->o->path == REPLAY_PATH_TREE ? HOST_PATH_TREE : HOST_PATH_TEXT;
  ho.net = r->o->net;
  ho.evict = r->o->evict;
  ho.archive = script->archive;
  ho.on_event = on_host_event;
  ho.ud = r;
  char err[300];
  scs_buf b = {0};
  r->h = host_new(&ho, err, sizeof err);
  if (!r->h) {
    scs_buf_printf(&b, "%s: cannot start the replay: %s", script->name, err);
    r->res->report = scs_buf_take(&b);
    return -1;
  }
  if (r->o->feed_check && host_feed_start(r->h) < 0) {
    scs_buf_printf(&b, "%s: cannot record the change feed", script->name);
    r->res->report = scs_buf_take(&b);
    host_free(r->h);
    r->h = NULL;
    return -1;
  }
  for (size_t i = 0; i < script->nclients; i++) {
    const scs_client *c = &script->clients[i];
    if (host_add_client(r->h, c->name, c->jid, c->resource, err, sizeof err) !=
        (int)i) {
      scs_buf_printf(&b, "%s:%d: %s", script->name, c->line, err);
      r->res->report = scs_buf_take(&b);
      host_free(r->h);
      r->h = NULL;
      return -1;
    }
  }
  return 0;
}

/* Run the actions up to the first failure; 1 if one failed. */
static int run_actions(run *r)
{
  const scs_script *script = r->s;
  for (size_t k = 0; k < script->nactions; k++) {
    const scs_action *a = &script->actions[k];
    r->line = a->line;
    /* only what a client does moves the clock: checking a queue takes no
     * time, so adding or removing expectations never shifts timestamps */
    if (a->kind == SCS_CONNECT || a->kind == SCS_DISCONNECT ||
        a->kind == SCS_SEND)
      host_advance(r->h, ACTION_MS);
    scs_buf step = {0};
    scs_buf_printf(&step, "%s %s", script->clients[a->client].name,
                   scs_action_verb(a->kind));
    hook(r, REPLAY_EV_STEP, (int)a->client, NULL, NULL, step.s);
    scs_buf_free(&step);
    int failed = do_action(r, a);
    if (!failed && r->o->snapshot_every_step && host_move_service(r->h) < 0)
      failed = fail_step(r, a, 0, "snapshot and restore failed: %s",
                         host_fatal(r->h) ? host_fatal(r->h) : "?");
    if (!failed && r->o->feed_check && host_feed_step(r->h) < 0)
      failed = fail_step(r, a, 0, "snapshots for the feed check failed");
    if (!failed && host_fatal(r->h))
      failed = fail_step(r, a, 0, "stopped the replay: %s", host_fatal(r->h));
    if (failed)
      return 1;
    r->res->actions_run++;
  }
  return 0;
}

/* Count and report the stanzas still queued at the end. */
static void report_leftovers(run *r)
{
  for (size_t i = 0; i < r->s->nclients; i++)
    for (size_t j = 0; j < host_queue_length(r->h, (int)i); j++) {
      hook(r, REPLAY_EV_LEFTOVER, (int)i, host_queue_peek(r->h, (int)i, j),
           NULL, NULL);
      r->res->leftover++;
    }
}

/* Strict mode: a script lists every stanza its clients receive, so one
 * still queued at the end is a failure, reported with every client's
 * unread stanzas.  Returns 1. */
static int fail_unread(run *r)
{
  replay_result *res = r->res;
  scs_buf b = {0};
  scs_buf_printf(&b,
                 "%s: end of script [strict mode]: %zu stanza(s) left "
                 "unread (strict mode: every stanza received must be read)",
                 r->s->name, res->leftover);
  for (size_t i = 0; i < r->s->nclients; i++) {
    size_t n = host_queue_length(r->h, (int)i);
    if (n)
      scs_buf_printf(
          &b, "\n%s has not read %zu stanza(s):", r->s->clients[i].name, n);
    for (size_t j = 0; j < n; j++) {
      scs_buf_add(&b, "\n");
      scs_xml_format(&b, host_queue_peek(r->h, (int)i, j), 4);
    }
  }
  res->passed = 0;
  res->fail_line = 0;
  res->fail_action = r->s->nactions;
  res->fail_element = 0;
  res->report = scs_buf_take(&b);
  return 1;
}

/* One replay of |script| on |opt->path| (text or tree).  Every run starts
 * from the same fake clock and id counter, so two runs of one script are
 * alike but for the path. */
static int run_one(const scs_script *script, const replay_options *opt,
                   replay_result *result)
{
  memset(result, 0, sizeof *result);
  run r = {script, opt, NULL, 0, result, {{0}}, 0};
  hook(&r, REPLAY_EV_PATH, -1, NULL, NULL,
       opt->path == REPLAY_PATH_TREE ? "tree" : "text");
  if (start_host(&r) < 0)
    return -1;
  int failed = run_actions(&r);
  r.line = 0;
  report_leftovers(&r);
  if (!failed && opt->strict && result->leftover)
    failed = fail_unread(&r);
  char *feed = !failed && opt->feed_check ? host_feed_check(r.h) : NULL;
  if (feed) {
    result->report = feed;
    result->fail_action = script->nactions;
    failed = 1;
  }
  host_free(r.h);
  free_learned_ids(&r);
  result->passed = !failed;
  return failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Both paths                                                          */
/* ------------------------------------------------------------------ */

/* Append |prefix| and |text| to |res|'s report, on a line of their own
 * if there is one already: |res| has failed. */
static void append_report(replay_result *res, const char *prefix,
                          const char *text)
{
  scs_buf b = {0};
  if (res->report)
    scs_buf_printf(&b, "%s\n", res->report);
  scs_buf_printf(&b, "%s%s", prefix, text);
  free(res->report);
  res->report = scs_buf_take(&b);
  res->passed = 0;
}

/* Add the failure of |from|, the run on path |name|, to |to|: its report
 * labelled with the path, and where it failed if |to| had not failed
 * yet. */
static void add_failure(replay_result *to, const replay_result *from,
                        const char *name)
{
  if (!to->report) {
    to->fail_line = from->fail_line;
    to->fail_action = from->fail_action;
    to->fail_element = from->fail_element;
  }
  scs_buf label = {0};
  scs_buf_printf(&label, "[%s path] ", name);
  append_report(to, label.s ? label.s : "",
                from->report ? from->report : "replay failed");
  scs_buf_free(&label);
}

/* The line of the action that caused delivery |i| (0-based) of either
 * run. */
static int delivery_line(const replay_deliveries *a, const replay_deliveries *b,
                         size_t i)
{
  if (i < a->n)
    return a->items[i].line;
  return i < b->n ? b->items[i].line : 0;
}

/* Add the difference report |diff| (owned) to |res|; if nothing failed
 * before, the failure is at the action that caused the first differing
 * delivery. */
static void add_difference(replay_result *res, const scs_script *script,
                           const replay_deliveries *tree, char *diff)
{
  if (!res->report) {
    res->fail_line =
        delivery_line(&res->deliveries, tree, res->path_difference - 1);
    res->fail_action = script->nactions;
    res->fail_element = 0;
    for (size_t k = 0; k < script->nactions; k++)
      if (script->actions[k].line == res->fail_line) {
        res->fail_action = k;
        break;
      }
  }
  scs_buf prefix = {0};
  scs_buf_printf(&prefix, "%s: ", script->name);
  append_report(res, prefix.s ? prefix.s : "", diff);
  scs_buf_free(&prefix);
  free(diff);
}

/* Replay on the text path, then on the tree path: each must pass and
 * the library must have delivered the same bytes on both.  The result
 * is the text run's (its counts, its deliveries), with the failures of
 * both runs. */
/* One more run with |o| (a check mode on), which must pass and deliver
 * what the uninterrupted text run delivered; its failures go to |res|.
 * -1 if it could not start. */
static int run_checked(const scs_script *script, const replay_options *o,
                       const char *name, replay_result *res)
{
  replay_result more;
  int rc = run_one(script, o, &more);
  if (rc != 0)
    add_failure(res, &more, name);
  if (rc >= 0) {
    size_t at = 0;
    char *diff = replay_deliveries_diff(&res->deliveries, "uninterrupted run",
                                        &more.deliveries, name, &at);
    if (diff) {
      size_t keep = res->path_difference;
      res->path_difference = at;
      add_difference(res, script, &more.deliveries, diff);
      res->path_difference = keep;
    }
  }
  replay_result_free(&more);
  return rc < 0 ? -1 : 0;
}

/* The check modes after the uninterrupted runs (see replay_options). */
static int run_checks(const scs_script *script, const replay_options *opt,
                      replay_result *result)
{
  replay_options o = *opt;
  int rc = 0;
  o.feed_check = o.evict = 0;
  if (opt->snapshot_every_step) {
    o.path = REPLAY_PATH_TEXT;
    rc |= run_checked(script, &o, "text path moved every step", result);
    o.path = REPLAY_PATH_TREE;
    rc |= run_checked(script, &o, "tree path moved every step", result);
  }
  if (opt->evict) {
    o = *opt;
    o.snapshot_every_step = o.feed_check = 0;
    o.path = REPLAY_PATH_TEXT;
    rc |= run_checked(script, &o, "evicting every room", result);
  }
  if (opt->feed_check) {
    o = *opt;
    o.snapshot_every_step = o.evict = 0;
    o.path = REPLAY_PATH_TEXT;
    rc |= run_checked(script, &o, "text path with the feed", result);
  }
  if (opt->feed_check && opt->evict) {
    /* evicted rooms are "stored" for the replica, which stays exact when
     * they are loaded back (docs/feed.md) */
    o = *opt;
    o.snapshot_every_step = 0;
    o.path = REPLAY_PATH_TEXT;
    rc |= run_checked(script, &o, "evicting every room with the feed", result);
  }
  return rc;
}

static int run_both(const scs_script *script, const replay_options *opt,
                    replay_result *result)
{
  replay_options o = *opt;
  o.evict = o.snapshot_every_step = o.feed_check = 0;
  replay_result text, tree;
  o.path = REPLAY_PATH_TEXT;
  int rt = run_one(script, &o, &text);
  o.path = REPLAY_PATH_TREE;
  int rr = run_one(script, &o, &tree);
  *result = text; /* takes its deliveries; the report is text's still */
  result->report = NULL;
  if (rt != 0)
    add_failure(result, &text, "text");
  if (rr != 0)
    add_failure(result, &tree, "tree");
  free(text.report);
  if (rt >= 0 && rr >= 0) {
    char *diff = replay_deliveries_diff(&result->deliveries, "text path",
                                        &tree.deliveries, "tree path",
                                        &result->path_difference);
    if (diff)
      add_difference(result, script, &tree.deliveries, diff);
  }
  replay_result_free(&tree);
  if (rt >= 0 && rr >= 0 && run_checks(script, opt, result) < 0)
    rt = -1;
  result->passed = !result->report;
  if (rt < 0 || rr < 0)
    return -1;
  return result->passed ? 0 : 1;
}

int replay_run(const scs_script *script, const replay_options *opt,
               replay_result *result)
{
  replay_options dflt;
  memset(&dflt, 0, sizeof dflt);
  if (!opt)
    opt = &dflt;
  if (opt->path == REPLAY_PATH_BOTH && !opt->net)
    return run_both(script, opt, result);
  if (opt->path != REPLAY_PATH_TEXT && opt->path != REPLAY_PATH_TREE) {
    memset(result, 0, sizeof *result);
    result->report = scs_strdup("unknown replay path");
    return -1;
  }
  return run_one(script, opt, result);
}

void replay_result_free(replay_result *result)
{
  if (!result)
    return;
  free(result->report);
  result->report = NULL;
  replay_deliveries_free(&result->deliveries);
}

/* ------------------------------------------------------------------ */
/* Deliveries                                                          */
/* ------------------------------------------------------------------ */

void replay_deliveries_add(replay_deliveries *d, int line, const char *xml)
{
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 32;
    replay_delivery *items = realloc(d->items, cap * sizeof *items);
    if (!items) {
      d->oom = 1;
      return;
    }
    d->items = items;
    d->cap = cap;
  }
  char *copy = scs_strdup(xml ? xml : "");
  if (!copy) {
    d->oom = 1;
    return;
  }
  d->items[d->n].line = line;
  d->items[d->n].xml = copy;
  d->n++;
}

void replay_deliveries_free(replay_deliveries *d)
{
  for (size_t i = 0; i < d->n; i++)
    free(d->items[i].xml);
  free(d->items);
  memset(d, 0, sizeof *d);
}

/* One side of a difference: the stanza, or why there is none. */
static void add_side(scs_buf *b, const char *name, const replay_deliveries *d,
                     size_t i)
{
  if (i < d->n)
    scs_buf_printf(b, "  %s (caused by line %d):\n    %s\n", name,
                   d->items[i].line, d->items[i].xml);
  else
    scs_buf_printf(b, "  %s: none (it made only %zu)\n", name, d->n);
}

char *replay_deliveries_diff(const replay_deliveries *a, const char *a_name,
                             const replay_deliveries *b, const char *b_name,
                             size_t *index)
{
  size_t i = 0;
  while (i < a->n && i < b->n && strcmp(a->items[i].xml, b->items[i].xml) == 0)
    i++;
  int same = i == a->n && i == b->n && !a->oom && !b->oom;
  if (index)
    *index = same ? 0 : i + 1;
  if (same)
    return NULL;
  scs_buf r = {0};
  if (a->oom || b->oom) {
    scs_buf_add(&r, "out of memory while recording the deliveries\n");
    return scs_buf_take(&r);
  }
  scs_buf_printf(&r,
                 "the %s and the %s delivered different stanzas "
                 "(%s: %zu deliveries, %s: %zu); the first difference is "
                 "delivery %zu:\n",
                 a_name, b_name, a_name, a->n, b_name, b->n, i + 1);
  add_side(&r, a_name, a, i);
  add_side(&r, b_name, b, i);
  if (i < a->n && i < b->n) {
    const char *x = a->items[i].xml, *y = b->items[i].xml;
    size_t k = 0;
    while (x[k] && x[k] == y[k])
      k++;
    scs_buf_printf(&r,
                   "  they differ from offset %zu on: \"%.40s\" vs "
                   "\"%.40s\"\n",
                   k, x + k, y + k);
  }
  if (r.len && r.s[r.len - 1] == '\n')
    r.s[--r.len] = '\0'; /* the caller ends the report */
  return scs_buf_take(&r);
}
