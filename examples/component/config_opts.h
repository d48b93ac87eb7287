/*
 * config_opts - the muc-component options that set muc_config fields of
 * the V4 features (flood control, tombstones, reserved nicks, the room
 * list cap), shared with the scenario
 * runner, which reads them from a scenario's "# muc-component:" line
 * (test/replay, docs/flood.md).
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_CONFIG_OPTS_H
#define COMPONENT_CONFIG_OPTS_H

#include <stddef.h>

#include "muc/muc.h"

/* Apply the option |opt| with the value |val| to |cfg|:
 *   --flood KIND=PER_MINUTE/BURST  KIND message, presence, voice, invite or
 *                                  subject (muc_config.flood[MUC_FLOOD_*])
 *   --flood-exempt ROLES           none, or visitor, participant,
 *                                  moderator separated by commas
 *   --tombstone-after SECONDS      muc_config.tombstone_ms / 1000
 *   --enforce-reserved-nicks on|off  muc_config.enforce_reserved_nicks
 *   --room-list-max N              muc_config.max_room_list_items
 * Returns 1 when taken, 0 when |opt| is none of these, -1 for a bad value
 * (|why| says what is expected). */
int config_option(muc_config *cfg, const char *opt, const char *val,
                  const char **why);

#endif
