/*
 * cli - muc-component's command line.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_opts.h"
#include "muc/muc.h"

static const char usage_text[] =
    "usage: muc-component --domain DOMAIN (--secret S | --secret-file F)\n"
    "                     [--server HOST] [--port PORT] [--db FILE]\n"
    "                     [--admin JID]... [--log-level LEVEL]\n"
    "                     [--groupchat-sync full|normal]\n"
    "                     [--hibernate-after SECONDS]\n"
    "                     [--occupant-id-secret-file F] [--stanza-id on|off]\n"
    "                     [--flood KIND=PER_MINUTE/BURST]... "
    "[--flood-exempt ROLES]\n"
    "                     [--tombstone-after SECONDS]\n"
    "                     [--enforce-reserved-nicks on|off] [--room-list-max "
    "N]\n"
    "                     [--archive on|off] [--archive-max N]\n"
    "                     [--archive-max-age SECONDS] [--test-ids on|off]\n"
    "Serve the MUC domain DOMAIN for an XMPP server over XEP-0114.\n"
    "  --server HOST       the server's component listener (127.0.0.1)\n"
    "  --port PORT         its port (5347)\n"
    "  --domain DOMAIN     the component's domain, e.g. "
    "conference.example.org\n"
    "  --secret S          the shared secret (visible in ps: prefer\n"
    "  --secret-file F     a file whose first line is the secret)\n"
    "  --db FILE           SQLite database of persistent rooms\n"
    "                      (muc-component.sqlite)\n"
    "  --admin JID         a service administrator (bare JID); repeatable\n"
    "  --log-level LEVEL   debug, info, warn or error (info)\n"
    "  --groupchat-sync M  full: every store is fsynced before its answer\n"
    "                      goes out; normal: the stores of groupchat\n"
    "                      messages (history, subject, archive) are\n"
    "                      written but not fsynced: they survive a\n"
    "                      kill of the component, not a power cut (full)\n"
    "  --hibernate-after S a persistent room nobody is in leaves memory\n"
    "                      after S seconds without a stanza (stored,\n"
    "                      loaded back by the next one); 0: never (0)\n"
    "  --occupant-id-secret-file F\n"
    "                      a file whose first line (16 bytes or more) is\n"
    "                      the secret of occupant ids (XEP-0421): keep it\n"
    "                      across restarts, or every id changes (none:\n"
    "                      no occupant ids)\n"
    "  --stanza-id on|off  groupchat messages carry the room's stanza id\n"
    "                      (XEP-0359) (on)\n"
    "  --flood K=R/B       flood control of the stanzas of kind K (message,\n"
    "                      presence, voice, invite, subject): a burst of B,\n"
    "                      then R a minute, per occupant; repeatable (off)\n"
    "  --flood-exempt R    roles never limited: none, or visitor,\n"
    "                      participant, moderator with commas (moderator)\n"
    "  --tombstone-after S a destroyed room answers <gone/> for S seconds\n"
    "                      and only a service admin may make it again (0)\n"
    "  --enforce-reserved-nicks on|off\n"
    "                      a user with a reserved nick enters under it\n"
    "                      whatever nick the join asks for (status 210)\n"
    "                      (off)\n"
    "  --room-list-max N   the room list answers at most N rooms when not\n"
    "                      paged (XEP-0059); 0: all (0)\n"
    "  --archive on|off    keep the rooms' message archive (XEP-0313) in\n"
    "                      the database, for the rooms whose\n"
    "                      configuration enables archiving (on)\n"
    "  --archive-max N     keep at most N messages per room, the oldest\n"
    "                      go first; 0: all (0)\n"
    "  --archive-max-age S keep a message S seconds; 0: for ever (0)\n"
    "  --test-ids on|off   on: ids scansion-id-1, -2, ... as the test\n"
    "                      suite's scripts expect; they repeat after a\n"
    "                      restart: never for a deployment (off)\n"
    "  --help              this text\n";

static int fail(const char *what, const char *arg)
{
  fprintf(stderr, "muc-component: %s%s%s (try --help)\n", what, arg ? ": " : "",
          arg ? arg : "");
  return -1;
}

/* The first line of |path|, malloc'd, or NULL with errno set. */
static char *read_secret(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char line[1024];
  char *s = fgets(line, sizeof line, f) ? line : NULL;
  fclose(f);
  if (!s) {
    errno = EINVAL;
    return NULL;
  }
  line[strcspn(line, "\r\n")] = '\0';
  return strdup(line);
}

static int level_named(const char *s)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  for (int i = 0; i < 4; i++)
    if (strcmp(s, names[i]) == 0)
      return i; /* MUC_LOG_DEBUG .. MUC_LOG_ERROR */
  return -1;
}

static int parse_port(const char *s, unsigned short *port)
{
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 1 || v > 65535)
    return -1;
  *port = (unsigned short)v;
  return 0;
}

/* A decimal number 0..|max|: 0, or -1. */
static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (!*s || *s == '-' || *end || errno || v > max)
    return -1;
  *out = v;
  return 0;
}

/* One option with its value; 0, or -1 after the error. */
/* The archive's options (docs/component-archive.md): 0, or -1 said. */
static int take_archive(cli_options *o, const char *opt, const char *val)
{
  unsigned long n;
  if (strcmp(opt, "--archive-max") == 0) {
    if (parse_count(val, 4000000000ul, &n) < 0)
      return fail("bad --archive-max (messages, 0..4000000000)", val);
    o->archive_max = (unsigned)n;
  } else if (strcmp(opt, "--archive-max-age") == 0) {
    if (parse_count(val, 4000000000ul, &o->archive_max_age_s) < 0)
      return fail("bad --archive-max-age (seconds, 0..4000000000)", val);
  } else { /* --archive, --test-ids: on or off */
    if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0)
      return fail(strcmp(opt, "--archive") == 0 ? "bad --archive (on, off)"
                                                : "bad --test-ids (on, off)",
                  val);
    *(strcmp(opt, "--archive") == 0 ? &o->archive : &o->test_ids) =
        strcmp(val, "on") == 0;
  }
  return 0;
}

static int take(cli_options *o, const char *opt, const char *val)
{
  if (strcmp(opt, "--server") == 0)
    o->server = val;
  else if (strcmp(opt, "--port") == 0) {
    if (parse_port(val, &o->port) < 0)
      return fail("bad --port", val);
  } else if (strcmp(opt, "--domain") == 0)
    o->domain = val;
  else if (strcmp(opt, "--secret") == 0) {
    free(o->secret);
    o->secret = strdup(val);
  } else if (strcmp(opt, "--secret-file") == 0) {
    free(o->secret);
    if (!(o->secret = read_secret(val))) {
      fprintf(stderr, "muc-component: cannot read the secret file %s: %s\n",
              val, strerror(errno));
      return -1;
    }
  } else if (strcmp(opt, "--db") == 0)
    o->db = val;
  else if (strcmp(opt, "--admin") == 0) {
    if (o->nadmins == CLI_MAX_ADMINS)
      return fail("too many --admin", val);
    o->admins[o->nadmins++] = val;
  } else if (strcmp(opt, "--log-level") == 0) {
    if ((o->log_level = level_named(val)) < 0)
      return fail("bad --log-level (debug, info, warn, error)", val);
  } else if (strcmp(opt, "--groupchat-sync") == 0) {
    if (strcmp(val, "full") != 0 && strcmp(val, "normal") != 0)
      return fail("bad --groupchat-sync (full, normal)", val);
    o->groupchat_sync_normal = strcmp(val, "normal") == 0;
  } else if (strcmp(opt, "--hibernate-after") == 0) {
    unsigned long s;
    if (parse_count(val, 4000000, &s) < 0)
      return fail("bad --hibernate-after (seconds, 0..4000000)", val);
    o->hibernate_after_s = (unsigned)s;
  } else if (strcmp(opt, "--occupant-id-secret-file") == 0) {
    free(o->occupant_id_secret);
    if (!(o->occupant_id_secret = read_secret(val))) {
      fprintf(stderr,
              "muc-component: cannot read the occupant-id secret "
              "file %s: %s\n",
              val, strerror(errno));
      return -1;
    }
    if (strlen(o->occupant_id_secret) < 16)
      return fail("the occupant-id secret is shorter than 16 bytes", val);
  } else if (strcmp(opt, "--stanza-id") == 0) {
    if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0)
      return fail("bad --stanza-id (on, off)", val);
    o->stanza_id = strcmp(val, "on") == 0;
  } else if (strcmp(opt, "--archive") == 0 ||
             strcmp(opt, "--archive-max") == 0 ||
             strcmp(opt, "--archive-max-age") == 0 ||
             strcmp(opt, "--test-ids") == 0) {
    return take_archive(o, opt, val);
  } else {
    const char *why = NULL;
    int took = config_option(&o->config, opt, val, &why);
    if (took < 0) {
      char what[256];
      snprintf(what, sizeof what, "bad %s (%s)", opt, why);
      return fail(what, val);
    }
    if (took == 0)
      return fail("unknown option", opt);
  }
  return 0;
}

int cli_parse(int argc, char **argv, cli_options *o)
{
  memset(o, 0, sizeof *o);
  o->server = "127.0.0.1";
  o->port = 5347;
  o->db = "muc-component.sqlite";
  o->log_level = MUC_LOG_INFO;
  o->stanza_id = 1;
  muc_config_default(&o->config);
  o->archive = 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage_text, stdout);
      return 1;
    }
    if (i + 1 == argc)
      return fail(argv[i][0] == '-' ? "missing value for" : "unexpected",
                  argv[i]);
    if (take(o, argv[i], argv[i + 1]) < 0)
      return -1;
    i++;
  }
  if (!o->domain)
    return fail("--domain is required", NULL);
  if (!o->secret || !*o->secret)
    return fail("--secret or --secret-file is required", NULL);
  return 0;
}

void cli_free(cli_options *o)
{
  free(o->secret);
  o->secret = NULL;
  free(o->occupant_id_secret);
  o->occupant_id_secret = NULL;
}
