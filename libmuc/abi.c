/* The versioned parts of the ABI: version numbers, and the structs that
 * grow by version (muc_config, muc_callbacks), read only as far as the
 * caller's version reaches. */
#include "abi.h"

#include <stddef.h>
#include <string.h>

const char *muc_version(void)
{
  return MUC_VERSION;
}

uint32_t muc_version_num(void)
{
  return MUC_VERSION_NUM;
}

/* Bytes of muc_config that each version has: a caller compiled against
 * an older header passes a shorter struct. */
static size_t config_size(int version)
{
  switch (version) {
  case MUC_CONFIG_V1:
    /* where V1's last field ends: its sizeof (136 on LP64) also counted
     * tail padding, which store_history now occupies, so a V1 caller's
     * padding must not be read as a V2 field */
    return offsetof(muc_config, store_history);
  case MUC_CONFIG_V2:
    /* the same for V2: hibernate_idle_ms (V3) may sit in its padding */
    return offsetof(muc_config, hibernate_idle_ms);
  case MUC_CONFIG_V3:
    return offsetof(muc_config, room_archiving);
  case MUC_CONFIG_V4:
    return sizeof(muc_config);
  default:
    return 0;
  }
}

static void config_fill(muc_config *c)
{
  memset(c, 0, sizeof(*c));
  c->room_whois = MUC_WHOIS_MODERATORS;
  c->room_presence_broadcast = MUC_ROLE_BIT(MUC_ROLE_VISITOR) |
                               MUC_ROLE_BIT(MUC_ROLE_PARTICIPANT) |
                               MUC_ROLE_BIT(MUC_ROLE_MODERATOR);
  c->room_allow_pm = MUC_PM_ANYONE;
  c->room_history_length = 20;
  c->room_lock_new = 1;
  c->room_lock_timeout_ms = 300000;
  c->max_stanza_bytes = 65536;
  c->max_depth = 32;
  c->max_attrs = 64;
  c->max_children = 512;
  c->max_rooms = 100000;
  c->max_rooms_per_creator = 100;
  c->max_occupants_per_room = 1000;
  c->max_sessions_per_occupant = 16;
  c->max_affiliations_per_room = 10000;
  c->max_pending_stanzas = 64;
  c->max_nick_bytes = 256;
  c->max_subject_bytes = 4096;
  c->max_reason_bytes = 1024;
  c->max_room_name_bytes = 256;
  c->max_password_bytes = 256;
  c->max_form_value_bytes = 4096;
  c->max_history = 100;
  c->max_history_bytes = 262144;
  c->store_history = 1;
  c->evict_at_max_rooms = 1;
  c->room_archiving = 1;
  c->max_archive_page = 50;
}

int muc_config_default_versioned(int config_version, muc_config *cfg)
{
  size_t n = config_size(config_version);
  if (!cfg || n == 0)
    return MUC_ERR_INVALID_ARG;
  muc_config full;
  config_fill(&full);
  memcpy(cfg, &full, n);
  return MUC_OK;
}

int muc_config_import(int config_version, const muc_config *given,
                      muc_config *out)
{
  size_t n = config_size(config_version);
  if (n == 0)
    return MUC_ERR_INVALID_ARG;
  config_fill(out);
  if (given)
    memcpy(out, given, n);
  return MUC_OK;
}

static size_t callbacks_size(int version)
{
  switch (version) {
  case MUC_CALLBACKS_V1:
    return sizeof(muc_callbacks);
  default:
    return 0;
  }
}

int muc_callbacks_import(int callbacks_version, const muc_callbacks *given,
                         muc_callbacks *out)
{
  size_t n = callbacks_size(callbacks_version);
  if (n == 0 || !given)
    return MUC_ERR_INVALID_ARG;
  memset(out, 0, sizeof(*out));
  memcpy(out, given, n);
  return MUC_OK;
}
