/*
 * cli - muc-component's command line (see docs/deploying.md, "Command
 * line").
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_CLI_H
#define COMPONENT_CLI_H

#include <stddef.h>

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
  /* --enforce-reserved-nicks: muc_config.enforce_reserved_nicks */
  int enforce_reserved_nicks;
  /* --room-list-max: muc_config.max_room_list_items (0: all) */
  unsigned room_list_max;
} cli_options;

/* cli_parse - 0 and |o| filled, 1 when --help was printed (exit 0), -1
 * after a one-line error on stderr (exit 2). */
int cli_parse(int argc, char **argv, cli_options *o);
void cli_free(cli_options *o);

#endif
