/*
 * config_opts - see config_opts.h.
 * SPDX-License-Identifier: MIT
 */
#include "config_opts.h"

#include <stdlib.h>
#include <string.h>

static const char *const kinds[MUC_FLOOD_KINDS] = {
    [MUC_FLOOD_MESSAGE] = "message", [MUC_FLOOD_PRESENCE] = "presence",
    [MUC_FLOOD_VOICE] = "voice",     [MUC_FLOOD_INVITE] = "invite",
    [MUC_FLOOD_SUBJECT] = "subject",
};

static const char *const roles[] = {[MUC_ROLE_VISITOR] = "visitor",
                                    [MUC_ROLE_PARTICIPANT] = "participant",
                                    [MUC_ROLE_MODERATOR] = "moderator"};

/* An unsigned decimal ending at |*end| == |stop|, at most |max|. */
static int number(const char *s, char stop, unsigned long max,
                  unsigned long *out, const char **rest)
{
  char *end;
  if (*s < '0' || *s > '9')
    return -1;
  unsigned long v = strtoul(s, &end, 10);
  if (*end != stop || v > max)
    return -1;
  *out = v;
  *rest = end;
  return 0;
}

static int flood(muc_config *cfg, const char *val)
{
  const char *eq = strchr(val, '=');
  unsigned long rate, burst;
  const char *rest;
  for (int k = 0; eq && k < MUC_FLOOD_KINDS; k++)
    if (strlen(kinds[k]) == (size_t)(eq - val) &&
        strncmp(val, kinds[k], (size_t)(eq - val)) == 0 &&
        number(eq + 1, '/', 600000, &rate, &rest) == 0 &&
        number(rest + 1, '\0', 1000000, &burst, &rest) == 0) {
      cfg->flood[k].per_minute = (uint32_t)rate;
      cfg->flood[k].burst = (uint32_t)burst;
      return 1;
    }
  return -1;
}

static int exempt(muc_config *cfg, const char *val)
{
  uint32_t set = 0;
  if (strcmp(val, "none") != 0) {
    for (const char *p = val; *p;) {
      size_t n = strcspn(p, ",");
      int found = 0;
      for (int r = MUC_ROLE_VISITOR; r <= MUC_ROLE_MODERATOR; r++)
        if (strlen(roles[r]) == n && strncmp(p, roles[r], n) == 0) {
          set |= MUC_ROLE_BIT(r);
          found = 1;
        }
      if (!found)
        return -1;
      p += n + (p[n] == ',');
    }
  }
  cfg->flood_exempt_roles = set;
  return 1;
}

int config_option(muc_config *cfg, const char *opt, const char *val,
                  const char **why)
{
  int rc = 0;
  unsigned long s;
  const char *rest;
  if (strcmp(opt, "--flood") == 0) {
    *why = "KIND=PER_MINUTE/BURST (KIND message, presence, voice, invite, "
           "subject; at most 600000/1000000)";
    rc = flood(cfg, val);
  } else if (strcmp(opt, "--flood-exempt") == 0) {
    *why = "none, or roles (visitor, participant, moderator) separated by "
           "commas";
    rc = exempt(cfg, val);
  } else if (strcmp(opt, "--enforce-reserved-nicks") == 0) {
    *why = "on or off";
    rc = strcmp(val, "on") == 0 || strcmp(val, "off") == 0 ? 1 : -1;
    if (rc == 1)
      cfg->enforce_reserved_nicks = strcmp(val, "on") == 0;
  } else if (strcmp(opt, "--room-list-max") == 0) {
    *why = "rooms, 0..1000000 (0: all)";
    rc = number(val, '\0', 1000000ul, &s, &rest) < 0 ? -1 : 1;
    if (rc == 1)
      cfg->max_room_list_items = (uint32_t)s;
  } else if (strcmp(opt, "--tombstone-after") == 0) {
    *why = "seconds, 0..4000000000";
    rc = number(val, '\0', 4000000000ul, &s, &rest) < 0 ? -1 : 1;
    if (rc == 1)
      cfg->tombstone_ms = (uint64_t)s * 1000u;
  }
  return rc;
}
