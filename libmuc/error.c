/* Error strings, version and configuration defaults. */
#include <string.h>

#include "muc/muc.h"

const char *muc_strerror(int err)
{
  /* A switch, not a table of pointers: no relocated data in the library. */
  switch (err) {
  case MUC_OK:
    return "success";
  case MUC_ERR_INVALID_ARG:
    return "invalid argument";
  case MUC_ERR_BAD_STANZA:
    return "malformed or unacceptable stanza";
  case MUC_ERR_LIMIT:
    return "configured limit reached";
  case MUC_ERR_STORAGE:
    return "storage failure";
  case MUC_ERR_NOT_FOUND:
    return "not found";
  case MUC_ERR_NOT_MINE:
    return "stanza not addressed to this service";
  case MUC_ERR_FATAL:
    return "fatal error";
  case MUC_ERR_NOMEM:
    return "out of memory";
  case MUC_ERR_CALLBACK_FAILURE:
    return "callback failure";
  default:
    return "unknown error";
  }
}

int muc_error_is_fatal(int err)
{
  return err <= MUC_ERR_FATAL;
}

const char *muc_version(void)
{
  return MUC_VERSION;
}

void muc_config_default(muc_config *cfg)
{
  if (!cfg)
    return;
  memset(cfg, 0, sizeof(*cfg));
  cfg->room.whois = MUC_WHOIS_MODERATORS;
  cfg->room.presence_broadcast = MUC_ROLE_BIT(MUC_ROLE_VISITOR) |
                                 MUC_ROLE_BIT(MUC_ROLE_PARTICIPANT) |
                                 MUC_ROLE_BIT(MUC_ROLE_MODERATOR);
  cfg->room.allow_pm = MUC_PM_ANYONE;
  cfg->room.history_length = 20;
  cfg->room.lock_new_rooms = 1;
  cfg->room.lock_timeout_ms = 300000;
  cfg->max_stanza_bytes = 65536;
  cfg->max_depth = 32;
  cfg->max_attrs = 64;
  cfg->max_children = 512;
  cfg->max_rooms = 0;
  cfg->max_occupants_per_room = 0;
  cfg->max_history = 100;
  cfg->max_nick_bytes = 1023;
  cfg->max_pending_stanzas = 64;
}
