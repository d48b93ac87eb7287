/*
 * play_scenario - play a conversation script against libmuc and watch it.
 *
 *   play_scenario [--reference] SCRIPT.scs
 *
 * A script (Prosody's "scansion" format) names some XMPP clients and says
 * what each one sends and what it must receive.  This program runs it
 * in-process: a small simulated XMPP server (test/replay/host.c) owns the
 * clients and hands every stanza addressed to conference.localhost to a
 * libmuc service.  It prints who sent what and who received what, with a
 * check mark per expectation, and PASS or FAIL at the end.
 *
 * By default every stanza a client receives must be listed, in order, and
 * read by the end (strict mode, for libmuc's own scenarios).  --reference
 * skips received stanzas that no step expects, as Prosody's own runner
 * does; use it for the recorded Prosody scripts.
 *
 * Try: play_scenario examples/scenarios/first_room.scs
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "scs.h"

/* Print |st| pretty-printed, each line indented by |indent| spaces. */
static void show(const mxml_node_t *st, int indent)
{
  char *s = scs_xml_string(st, indent);
  printf("%s\n", s ? s : "");
  free(s);
}

static void on_event(const replay_event *ev, void *ud)
{
  (void)ud;
  const char *who = ev->client ? ev->client : "?";
  switch (ev->kind) {
  case REPLAY_EV_STEP:
    printf("\n[line %d] %s\n", ev->line, ev->text);
    break;
  case REPLAY_EV_CONNECT:
    printf("  %s is online as %s\n", who, ev->text);
    break;
  case REPLAY_EV_DISCONNECT:
    printf("  %s goes offline\n", who);
    break;
  case REPLAY_EV_SEND:
    show(ev->stanza, 4);
    break;
  case REPLAY_EV_MATCH:
    printf("  \u2713 %s received:\n", who);
    show(ev->stanza, 4);
    break;
  case REPLAY_EV_SKIP:
    printf("  (%s also received, not listed in the script:)\n", who);
    show(ev->stanza, 6);
    break;
  case REPLAY_EV_FAIL:
    printf("  \u2717 %s did not receive what the script expects "
           "(details below)\n",
           who);
    break;
  case REPLAY_EV_NOTHING:
    printf("  \u2713 %s has nothing more to read\n", who);
    break;
  case REPLAY_EV_UNDELIVERABLE:
    printf("  (server: cannot deliver: %s)\n", ev->text ? ev->text : "");
    show(ev->stanza, 6);
    break;
  case REPLAY_EV_LIB_ERROR:
    printf("  (libmuc: %s)\n", ev->text ? ev->text : "");
    break;
  case REPLAY_EV_LEFTOVER:
    printf("  (never read by %s:)\n", who);
    show(ev->stanza, 6);
    break;
  case REPLAY_EV_PATH:
  case REPLAY_EV_FROM_MUC:
  case REPLAY_EV_TO_MUC:
  case REPLAY_EV_DELIVER:
  case REPLAY_EV_BOUNCE:
  case REPLAY_EV_LOG:
    break;
  }
}

int main(int argc, char **argv)
{
  int strict = 1, bad = 0;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reference") == 0)
      strict = 0;
    else if (strcmp(argv[i], "--strict") == 0)
      strict = 1;
    else if (!path && argv[i][0] != '-')
      path = argv[i];
    else
      bad = 1;
  }
  if (!path || bad) {
    fprintf(stderr, "usage: play_scenario [--reference] SCRIPT.scs\n");
    return 2;
  }
  char err[512];
  scs_script *script = NULL;
  if (scs_parse_file(path, &script, err, sizeof err) < 0) {
    fprintf(stderr, "play_scenario: %s\n", err);
    return 2;
  }
  printf("Scenario: %s\n(%s, %s mode, libmuc %s)\n", script->title,
         script->name, strict ? "strict" : "reference", muc_version());

  replay_options opt;
  memset(&opt, 0, sizeof opt);
  opt.strict = strict;
  opt.hook = on_event;
  replay_result res;
  int r = replay_run(script, &opt, &res);
  if (r == 0) {
    printf("\nPASS: %zu steps, %zu expectations met\n", res.actions_run,
           res.expectations);
  } else {
    printf("\nFAIL\n%s\n", res.report ? res.report : "");
  }
  replay_result_free(&res);
  scs_free(script);
  return r == 0 ? 0 : r < 0 ? 2 : 1;
}
