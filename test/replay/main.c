/*
 * scs_runner - replay one scansion script against libmuc.
 *
 *   scs_runner [--strict|--reference] [--path text|tree|both] [--evict]
 *              [--net HOST:PORT] [--ids] [--transcript] [--verbose]
 *              SCRIPT.scs
 *
 * --net replays through a real XMPP server's c2s port (host_net.c): one
 * client connection per scenario client, the MUC domain served by
 * whatever the server routes it to (test/e2e runs muc-component).
 *
 * --ids turns on XEP-0421 occupant ids (with the secret below) and XEP-0359
 * stanza ids; so does a line "# libmuc: ids" in the script's header
 * (before its "-----"), which test/e2e/run_e2e.py reads too and turns
 * into muc-component's --occupant-id-secret-file and --stanza-id.
 *
 * Exit status: 0 the script passed, 1 it failed (report on stderr), 2 usage
 * or parse error.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "scs.h"

/* The occupant-id secret of replays with ids on (run_e2e.py gives
 * muc-component the same, so the ids a script expects are the same in
 * both). */
static const char ids_secret[] = "scs_runner occupant-id secret";

/* Does the header of the script at |path| ask for |word| in a line
 * "# libmuc: WORD ..."? */
static int header_asks(const char *path, const char *word)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  char line[512];
  int found = 0;
  while (!found && fgets(line, sizeof line, f) &&
         strncmp(line, "-----", 5) != 0) {
    const char *p = line;
    if (strncmp(p, "# libmuc:", 9) != 0)
      continue;
    for (p += 9; *p && !found;) {
      p += strspn(p, " \t\r\n");
      size_t n = strcspn(p, " \t\r\n");
      found = n == strlen(word) && strncmp(p, word, n) == 0;
      p += n;
    }
  }
  fclose(f);
  return found;
}

typedef struct printer {
  int verbose;
} printer;

static void print_stanza(const char *prefix, const mxml_node_t *st)
{
  char *s = scs_xml_string(st, -1);
  printf("%s%s\n", prefix, s ? s : "?");
  free(s);
}

static void transcript(const replay_event *ev, void *ud)
{
  const printer *p = ud;
  const char *who = ev->client ? ev->client : "";
  switch (ev->kind) {
  case REPLAY_EV_STEP:
    printf("%4d  %s\n", ev->line, ev->text);
    fflush(stdout); /* a test driver may act on a step (test/e2e) */
    break;
  case REPLAY_EV_CONNECT:
    printf("      %s connected as %s\n", who, ev->text);
    break;
  case REPLAY_EV_DISCONNECT:
    printf("      %s disconnected (%s)\n", who, ev->text);
    break;
  case REPLAY_EV_SEND:
    printf("      %s -> ", who);
    print_stanza("", ev->stanza);
    break;
  case REPLAY_EV_TO_MUC:
    if (p->verbose)
      print_stanza("      [to libmuc] ", ev->stanza);
    break;
  case REPLAY_EV_DELIVER:
    printf("      %s <- ", who);
    print_stanza("", ev->stanza);
    break;
  case REPLAY_EV_MATCH:
    printf("      ok   %s received ", who);
    print_stanza("", ev->stanza);
    break;
  case REPLAY_EV_SKIP:
    printf("      skip %s: ", who);
    print_stanza("", ev->stanza);
    break;
  case REPLAY_EV_FAIL:
    printf("      FAIL %s\n", who);
    break;
  case REPLAY_EV_NOTHING:
    printf("      ok   %s received nothing\n", who);
    break;
  case REPLAY_EV_UNDELIVERABLE:
    printf("      [server] undeliverable (%s): ", ev->text ? ev->text : "");
    print_stanza("", ev->stanza);
    break;
  case REPLAY_EV_BOUNCE:
    print_stanza("      [server] bounce: ", ev->stanza);
    break;
  case REPLAY_EV_LOG:
    if (p->verbose)
      printf("      [libmuc] %s\n", ev->text ? ev->text : "");
    break;
  case REPLAY_EV_LIB_ERROR:
    printf("      [libmuc error] %s\n", ev->text ? ev->text : "");
    break;
  case REPLAY_EV_LEFTOVER:
    printf("      left in %s's queue: ", who);
    print_stanza("", ev->stanza);
    break;
  case REPLAY_EV_PATH:
    printf("== %s path\n", ev->text);
    break;
  case REPLAY_EV_FROM_MUC:
    if (p->verbose)
      printf("      [from libmuc] %s\n", ev->text ? ev->text : "");
    break;
  }
}

static int usage(void)
{
  fprintf(stderr,
          "usage: scs_runner [--strict|--reference] [--path text|tree|both] "
          "[--transcript] [--verbose] SCRIPT.scs\n"
          "  --reference  skip received stanzas that match no expectation "
          "(default)\n"
          "  --strict     every received stanza must be expected, in order,\n"
          "               and read by the end\n"
          "  --path P     text: handle_xml in, send_bytes out; tree: "
          "Mini-XML trees;\n"
          "               both (default): a run on each, with the same "
          "deliveries\n"
          "  --net H:P    replay through the XMPP server at H:P (c2s, "
          "plaintext)\n"
          "  --ids        occupant-id and stanza-id on (also: a header "
          "line\n"
          "               \"# libmuc: ids\")\n"
          "  --evict      with --path both: a third run on the text path, "
          "storing\n"
          "               and evicting every room that can be after every "
          "stanza,\n"
          "               with the same deliveries as the text run\n"
          "  --snapshot-every-step  after every action, move every room to a\n"
          "               new service (snapshot, restore) and go on there; "
          "the\n"
          "               deliveries must be those of the uninterrupted run\n"
          "  --feed-check every action's snapshots plus the change feed after "
          "it\n"
          "               must give every room as it is at the end\n"
          "  --transcript print every event on stdout\n"
          "  --verbose    with --transcript: also library logs, and the "
          "stanzas\n"
          "               handed to and delivered by libmuc\n");
  return 2;
}

/* The value of --path, or -1. */
static int path_named(const char *name)
{
  if (strcmp(name, "text") == 0)
    return REPLAY_PATH_TEXT;
  if (strcmp(name, "tree") == 0)
    return REPLAY_PATH_TREE;
  if (strcmp(name, "both") == 0)
    return REPLAY_PATH_BOTH;
  return -1;
}

static const char *path_name(int via)
{
  return via == REPLAY_PATH_TEXT   ? "text path"
         : via == REPLAY_PATH_TREE ? "tree path"
                                   : "both paths";
}

int main(int argc, char **argv)
{
  int strict = 0, show = 0, evict = 0, via = REPLAY_PATH_BOTH, snap = 0,
      feed = 0, ids = 0;
  printer p = {0};
  const char *path = NULL, *net = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--path") == 0) {
      if (++i == argc || (via = path_named(argv[i])) < 0)
        return usage();
      continue;
    }
    if (strcmp(argv[i], "--net") == 0) {
      if (++i == argc)
        return usage();
      net = argv[i];
      continue;
    }
    if (strcmp(argv[i], "--strict") == 0)
      strict = 1;
    else if (strcmp(argv[i], "--reference") == 0)
      strict = 0;
    else if (strcmp(argv[i], "--evict") == 0)
      evict = 1;
    else if (strcmp(argv[i], "--ids") == 0)
      ids = 1;
    else if (strcmp(argv[i], "--snapshot-every-step") == 0)
      snap = 1;
    else if (strcmp(argv[i], "--feed-check") == 0)
      feed = 1;
    else if (strcmp(argv[i], "--transcript") == 0)
      show = 1;
    else if (strcmp(argv[i], "--verbose") == 0)
      p.verbose = 1;
    else if (argv[i][0] == '-' && argv[i][1])
      return usage();
    else if (path)
      return usage();
    else
      path = argv[i];
  }
  if (!path)
    return usage();
  char err[512];
  scs_script *s = NULL;
  if (scs_parse_file(path, &s, err, sizeof err) < 0) {
    fprintf(stderr, "scs_runner: %s\n", err);
    return 2;
  }
  replay_options opt;
  memset(&opt, 0, sizeof opt);
  opt.strict = strict;
  opt.path = (replay_path)via;
  opt.net = net;
  opt.evict = evict;
  opt.snapshot_every_step = snap;
  opt.feed_check = feed;
  muc_config cfg;
  if (ids || header_asks(path, "ids")) {
    muc_config_default(&cfg);
    cfg.occupant_id_secret = (const uint8_t *)ids_secret;
    cfg.occupant_id_secret_len = sizeof(ids_secret) - 1;
    cfg.stanza_id = 1;
    opt.config = &cfg;
  }
  if (net)
    opt.path = (replay_path)(via = REPLAY_PATH_TEXT); /* one run */
  if (show) {
    opt.hook = transcript;
    opt.hook_data = &p;
    printf("== %s: %s [%s mode, %s%s%s]\n", s->name, s->title,
           strict ? "strict" : "reference", path_name(via),
           net ? ", through " : "", net ? net : "");
  }
  replay_result res;
  int r = replay_run(s, &opt, &res);
  if (show)
    printf("== %s: %s (%zu actions, %zu expectations met, %zu stanza(s) "
           "left unread)\n",
           s->name, r == 0 ? "PASS" : "FAIL", res.actions_run, res.expectations,
           res.leftover);
  fflush(stdout);
  if (r != 0)
    fprintf(stderr, "%s\n", res.report ? res.report : "replay failed");
  replay_result_free(&res);
  scs_free(s);
  if (r < 0)
    return 2;
  return r == 0 ? 0 : 1;
}
