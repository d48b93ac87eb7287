/*
 * scs_runner - replay one scansion script against libmuc.
 *
 *   scs_runner [--strict|--reference] [--path text|tree|both] [--evict]
 *              [--net HOST:PORT] [--transcript] [--verbose] SCRIPT.scs
 *
 * --net replays through a real XMPP server's c2s port (host_net.c): one
 * client connection per scenario client, the MUC domain served by
 * whatever the server routes it to (test/e2e runs muc-component).
 *
 * A header comment "# component-option: OPTION [VALUE]" (before the
 * line of dashes) sets a service setting for the script, named as
 * muc-component's option so that test/e2e/run_e2e.py passes it to the
 * component: --enforce-reserved-nicks (muc_config.enforce_reserved_nicks),
 * --room-list-max N (max_room_list_items).
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

#define DIRECTIVE "# component-option:"

/* One directive's option (and value) into |cfg|: 0, or -1 if unknown. */
static int take_option(const char *opt, const char *val, muc_config *cfg)
{
  if (strcmp(opt, "--enforce-reserved-nicks") == 0 && !val) {
    cfg->enforce_reserved_nicks = 1;
    return 0;
  }
  if (strcmp(opt, "--room-list-max") == 0 && val) {
    char *end;
    unsigned long n = strtoul(val, &end, 10);
    if (*end || n > 1000000)
      return -1;
    cfg->max_room_list_items = (uint32_t)n;
    return 0;
  }
  return -1;
}

/* The script's directives into |cfg| (muc_config_default first): 1 if
 * there were some, 0 if none, -1 on an unknown one (reported). */
static int read_directives(const char *path, muc_config *cfg)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return 0; /* scs_parse_file has said why */
  muc_config_default(cfg);
  char line[1024];
  int found = 0;
  while (found >= 0 && fgets(line, sizeof line, f) &&
         strncmp(line, "-----", 5) != 0) {
    if (strncmp(line, DIRECTIVE, strlen(DIRECTIVE)) != 0)
      continue;
    char *opt = strtok(line + strlen(DIRECTIVE), " \t\r\n");
    char *val = opt ? strtok(NULL, " \t\r\n") : NULL;
    if (!opt || take_option(opt, val, cfg) < 0) {
      fprintf(stderr, "scs_runner: %s: unknown " DIRECTIVE " %s\n", path,
              opt ? opt : "(none)");
      found = -1;
    } else {
      found = 1;
    }
  }
  fclose(f);
  return found;
}

int main(int argc, char **argv)
{
  int strict = 0, show = 0, evict = 0, via = REPLAY_PATH_BOTH, snap = 0,
      feed = 0;
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
  muc_config cfg;
  int directives = read_directives(path, &cfg);
  if (directives < 0) {
    scs_free(s);
    return 2;
  }
  if (directives)
    opt.config = &cfg;
  opt.strict = strict;
  opt.path = (replay_path)via;
  opt.net = net;
  opt.evict = evict;
  opt.snapshot_every_step = snap;
  opt.feed_check = feed;
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
