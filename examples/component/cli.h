/*
 * cli - muc-component's command line (see docs/deploying.md, "Command
 * line").
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_CLI_H
#define COMPONENT_CLI_H

#include <stddef.h>

#include "muc/muc.h"

#define CLI_MAX_ADMINS 64

typedef struct cli_options {
  const char *server; /* host the XMPP server listens on */
  unsigned short port;
  const char *domain;
  char *secret; /* malloc'd (read from --secret-file or copied) */
  const char *db;
  const char *admins[CLI_MAX_ADMINS];
  size_t nadmins;
  int log_level; /* MUC_LOG_* */
  /* --groupchat-sync normal: the stores a groupchat message causes commit
   * with synchronous=NORMAL (docs/deploying.md, "Durability") */
  int groupchat_sync_normal;
  /* --hibernate-after: muc_config.hibernate_idle_ms, in seconds (0:
   * never) */
  unsigned hibernate_after_s;
  /* --occupant-id-secret-file: muc_config.occupant_id_secret (malloc'd;
   * NULL: no occupant ids); --stanza-id: muc_config.stanza_id (1) */
  char *occupant_id_secret;
  int stanza_id;
  /* --flood, --flood-exempt, --tombstone-after (config_opts.h): applied to
   * muc_config_default() */
  muc_config config;
  /* --archive on|off: the rooms' message archive (XEP-0313) in the
   * database (docs/component-archive.md); on by default */
  int archive;
  /* --archive-max: messages kept per room (0: all) */
  unsigned archive_max;
  /* --archive-max-age: seconds a message is kept (0: for ever) */
  unsigned long archive_max_age_s;
  /* --test-ids: make_id gives scansion-id-1, -2, ... as the in-process
   * test host does (the e2e suite's scripts name them); not unique
   * across restarts, never for a deployment */
  int test_ids;
} cli_options;

/* cli_parse - 0 and |o| filled, 1 when --help was printed (exit 0), -1
 * after a one-line error on stderr (exit 2). */
int cli_parse(int argc, char **argv, cli_options *o);
void cli_free(cli_options *o);

#endif
