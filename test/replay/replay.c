/*
 * replay - run a scansion script against libmuc (see replay.h).
 * SPDX-License-Identifier: MIT
 */
#include "replay.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "match.h"

#define ACTION_MS 1000

typedef struct run {
  const scs_script *s;
  const replay_options *o;
  host *h;
  int line;
  replay_result *res;
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

static int do_send(run *r, const scs_action *a)
{
  mxml_node_t *root = block_tree(r, a);
  if (!root)
    return 1;
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

static int do_receive(run *r, const scs_action *a)
{
  mxml_node_t *root = block_tree(r, a);
  if (!root)
    return 1;
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

int replay_run(const scs_script *script, const replay_options *opt,
               replay_result *result)
{
  replay_options dflt;
  memset(&dflt, 0, sizeof dflt);
  if (!opt)
    opt = &dflt;
  memset(result, 0, sizeof *result);
  run r = {script, opt, NULL, 0, result};
  host_options ho;
  memset(&ho, 0, sizeof ho);
  ho.config = opt->config;
  ho.on_event = on_host_event;
  ho.ud = &r;
  char err[300];
  r.h = host_new(&ho, err, sizeof err);
  scs_buf b = {0};
  if (!r.h) {
    scs_buf_printf(&b, "%s: cannot start the replay: %s", script->name, err);
    result->report = scs_buf_take(&b);
    return -1;
  }
  for (size_t i = 0; i < script->nclients; i++) {
    const scs_client *c = &script->clients[i];
    if (host_add_client(r.h, c->name, c->jid, c->resource, err, sizeof err) !=
        (int)i) {
      scs_buf_printf(&b, "%s:%d: %s", script->name, c->line, err);
      result->report = scs_buf_take(&b);
      host_free(r.h);
      return -1;
    }
  }
  int failed = 0;
  for (size_t k = 0; k < script->nactions && !failed; k++) {
    const scs_action *a = &script->actions[k];
    r.line = a->line;
    /* only what a client does moves the clock: checking a queue takes no
     * time, so adding or removing expectations never shifts timestamps */
    if (a->kind == SCS_CONNECT || a->kind == SCS_DISCONNECT ||
        a->kind == SCS_SEND)
      host_advance(r.h, ACTION_MS);
    scs_buf step = {0};
    scs_buf_printf(&step, "%s %s", script->clients[a->client].name,
                   scs_action_verb(a->kind));
    hook(&r, REPLAY_EV_STEP, (int)a->client, NULL, NULL, step.s);
    scs_buf_free(&step);
    failed = do_action(&r, a);
    if (!failed && host_fatal(r.h))
      failed = fail_step(&r, a, 0, "stopped the replay: %s", host_fatal(r.h));
    if (!failed)
      result->actions_run++;
  }
  r.line = 0;
  for (size_t i = 0; i < script->nclients; i++)
    for (size_t j = 0; j < host_queue_length(r.h, (int)i); j++) {
      hook(&r, REPLAY_EV_LEFTOVER, (int)i, host_queue_peek(r.h, (int)i, j),
           NULL, NULL);
      result->leftover++;
    }
  host_free(r.h);
  result->passed = !failed;
  return failed ? 1 : 0;
}

void replay_result_free(replay_result *result)
{
  if (!result)
    return;
  free(result->report);
  result->report = NULL;
}
