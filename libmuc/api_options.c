/* Room options (muc.h) and a room's configuration: the admin API hands
 * the options to muc_op_configure, the operation an owner's form ends
 * in, so both announce and store the same way. */
#include "api_options.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

size_t muc_api_options_size(int version)
{
  switch (version) {
  case MUC_ROOM_OPTIONS_V1:
    return offsetof(muc_room_options, archiving);
  case MUC_ROOM_OPTIONS_V2:
    return sizeof(muc_room_options);
  default:
    return 0;
  }
}

/* The whole struct of defaults. */
static void options_default(const muc_service *svc, muc_room_options *o)
{
  muc_config dflt;
  const muc_config *d = svc ? &svc->cfg : &dflt;
  if (!svc)
    muc_config_default(&dflt);
  memset(o, 0, sizeof(*o));
  o->persistent = d->room_persistent;
  o->public_room = d->room_public;
  o->members_only = d->room_members_only;
  o->allow_invites = d->room_allow_invites;
  o->max_users = d->room_max_users;
  o->change_subject = d->room_change_subject;
  o->moderated = d->room_moderated;
  o->whois = d->room_whois;
  o->allow_pm = d->room_allow_pm;
  o->history_length = d->room_history_length < d->max_history
                          ? d->room_history_length
                          : d->max_history;
  o->presence_broadcast = d->room_presence_broadcast;
  o->archiving = d->room_archiving;
}

int muc_room_options_default_versioned(const muc_service *svc,
                                       int options_version, muc_room_options *o)
{
  size_t n = muc_api_options_size(options_version);
  if (!o || n == 0)
    return MUC_ERR_INVALID_ARG;
  muc_room_options full;
  options_default(svc, &full);
  memcpy(o, &full, n);
  return MUC_OK;
}

static int is_bool(int b)
{
  return b == 0 || b == 1;
}

/* The values muc.h documents, the strings aside. */
static int values_ok(const muc_room_options *o)
{
  return is_bool(o->persistent) && is_bool(o->public_room) &&
         is_bool(o->members_only) && is_bool(o->allow_invites) &&
         is_bool(o->change_subject) && is_bool(o->moderated) &&
         is_bool(o->logging) &&
         (is_bool(o->archiving) || o->archiving == MUC_OPTIONS_KEEP) &&
         (o->whois == MUC_WHOIS_MODERATORS || o->whois == MUC_WHOIS_ANYONE) &&
         o->allow_pm >= MUC_PM_ANYONE && o->allow_pm <= MUC_PM_NOBODY &&
         o->get_member_list <= MUC_ROLES_ALL &&
         o->presence_broadcast <= MUC_ROLES_ALL && o->max_users <= 1000000000u;
}

/* The first failing code of the strings: invalid text before length. */
static int strings_code(const muc_service *svc, const muc_room_options *o)
{
  const muc_config *c = &svc->cfg;
  const struct {
    const char *s;
    uint32_t max;
  } strs[] = {{o->name, c->max_room_name_bytes},
              {o->description, c->max_form_value_bytes},
              {o->lang, c->max_form_value_bytes},
              {o->password, c->max_password_bytes}};
  int limit = 0;
  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
    int rc = muc_api_text_code(strs[i].s, strs[i].max);
    if (rc == MUC_ERR_INVALID_ARG)
      return rc;
    limit |= rc == MUC_ERR_LIMIT;
  }
  return limit ? MUC_ERR_LIMIT : MUC_OK;
}

int muc_api_options_import(const muc_service *svc, int version,
                           const muc_room_options *in, muc_room_options *out)
{
  size_t n = muc_api_options_size(version);
  if (n == 0)
    return MUC_ERR_INVALID_ARG;
  options_default(svc, out);
  if (!in)
    return MUC_OK;
  memcpy(out, in, n);
  if (version == MUC_ROOM_OPTIONS_V1)
    out->archiving = MUC_OPTIONS_KEEP; /* a V1 caller does not name it */
  else if (out->archiving == MUC_OPTIONS_KEEP)
    return MUC_ERR_INVALID_ARG;
  if (!values_ok(out))
    return MUC_ERR_INVALID_ARG;
  return strings_code(svc, out);
}

/* ---- a kept copy, and the configuration ------------------------------- */

int muc_api_options_keep(muc_service *svc, muc_api_op *op,
                         const muc_room_options *o)
{
  op->opts = *o;
  const char **strs[] = {&op->opts.name, &op->opts.description, &op->opts.lang,
                         &op->opts.password};
  for (size_t i = 0; i < 4; i++) {
    if (!*strs[i])
      continue;
    if (!(op->ostr[i] = muc_mem_strdup(&svc->mem, *strs[i])))
      return MUC_ERR_NOMEM;
    *strs[i] = op->ostr[i];
  }
  op->has_opts = 1;
  return MUC_OK;
}

void muc_api_options_config(const muc_room_options *o,
                            const muc_room_config *base, muc_room_config *c)
{
  *c = *base; /* what the options do not name (allow_invites, modpm) */
  c->name = (char *)o->name;
  c->desc = (char *)o->description;
  c->lang = (char *)o->lang;
  c->password = (char *)o->password;
  c->persistent = o->persistent;
  c->public_room = o->public_room;
  c->members_only = o->members_only;
  c->allow_member_invites = o->allow_invites;
  c->max_users = o->max_users;
  c->change_subject = o->change_subject;
  c->moderated = o->moderated;
  c->whois = o->whois;
  c->allow_pm = o->allow_pm;
  c->get_member_list = o->get_member_list;
  c->history_length = o->history_length;
  c->presence_broadcast = o->presence_broadcast;
  c->logging = o->logging;
  if (o->archiving != MUC_OPTIONS_KEEP)
    c->archiving = o->archiving;
}

void muc_api_options_of(const muc_room_config *c, muc_room_options *o)
{
  o->name = c->name;
  o->description = c->desc;
  o->lang = c->lang;
  o->password = c->password;
  o->persistent = c->persistent;
  o->public_room = c->public_room;
  o->members_only = c->members_only;
  o->allow_invites = c->allow_member_invites;
  o->max_users = c->max_users;
  o->change_subject = c->change_subject;
  o->moderated = c->moderated;
  o->whois = c->whois;
  o->allow_pm = c->allow_pm;
  o->get_member_list = c->get_member_list;
  o->history_length = c->history_length;
  o->presence_broadcast = c->presence_broadcast;
  o->logging = c->logging;
  o->archiving = c->archiving;
}
