/* Room options (muc.h) as a configuration form: the admin API configures
 * a room through the very code an owner's form goes through (owner.c),
 * so both announce and store the same way. */
#include "api_options.h"

#include <stdio.h>
#include <string.h>

#include "api.h"

int muc_room_options_default_versioned(const muc_service *svc,
                                       int options_version, muc_room_options *o)
{
  if (!o || options_version != MUC_ROOM_OPTIONS_V1)
    return MUC_ERR_INVALID_ARG;
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
  if (version != MUC_ROOM_OPTIONS_V1)
    return MUC_ERR_INVALID_ARG;
  if (!in)
    return muc_room_options_default_versioned(svc, version, out);
  *out = *in;
  if (!values_ok(out))
    return MUC_ERR_INVALID_ARG;
  return strings_code(svc, out);
}

/* ---- the form ------------------------------------------------------------ */

typedef struct form_builder {
  muc_mem *mem;
  muc_form *form;
  size_t cap;
  int oom;
} form_builder;

/* Add the field |var| with the |n| values |v| (copied). */
static void field(form_builder *b, const char *var, const char *const *v,
                  size_t n)
{
  muc_form *f = b->form;
  if (b->oom)
    return;
  muc_form_field *fl = &f->fields[f->nfields];
  memset(fl, 0, sizeof(*fl));
  fl->var = muc_mem_strdup(b->mem, var);
  fl->values = n ? muc_mem_calloc(b->mem, n, sizeof(char *)) : NULL;
  f->nfields++; /* counted now, so that muc_form_free frees what is made */
  if (!fl->var || (n && !fl->values)) {
    b->oom = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (!(fl->values[i] = muc_mem_strdup(b->mem, v[i] ? v[i] : ""))) {
      b->oom = 1;
      return;
    }
    fl->nvalues++;
  }
}

static void one(form_builder *b, const char *var, const char *v)
{
  field(b, var, &v, 1);
}

static void flag(form_builder *b, const char *var, int v)
{
  one(b, var, v ? "1" : "0");
}

static void number(form_builder *b, const char *var, uint32_t v)
{
  char s[16];
  snprintf(s, sizeof(s), "%u", (unsigned)v);
  one(b, var, s);
}

/* A MUC_ROLE_BIT() set as a list-multi of role names. */
static void roles(form_builder *b, const char *var, uint32_t set)
{
  static const char *const names[] = {"none", "visitor", "participant",
                                      "moderator"};
  const char *v[4];
  size_t n = 0;
  for (unsigned r = 0; r < 4; r++)
    if (set & MUC_ROLE_BIT(r))
      v[n++] = names[r];
  field(b, var, v, n);
}

/* The allowpm value of each MUC_PM_* constant (owner.c reads them). */
static const char *const pm_values[] = {"anyone", "participants", "moderators",
                                        "members", "none"};

#define OPTION_FIELDS 17

int muc_api_options_form(muc_service *svc, const muc_room_options *o,
                         muc_form **out)
{
  *out = NULL;
  muc_form *f = muc_mem_calloc(&svc->mem, 1, sizeof(*f));
  form_builder b = {&svc->mem, f, OPTION_FIELDS, !f};
  if (f && !(f->fields = muc_mem_calloc(&svc->mem, OPTION_FIELDS,
                                        sizeof(muc_form_field))))
    b.oom = 1;
  one(&b, "muc#roomconfig_roomname", o->name);
  one(&b, "muc#roomconfig_roomdesc", o->description);
  one(&b, "muc#roomconfig_lang", o->lang);
  one(&b, "muc#roomconfig_roomsecret", o->password);
  flag(&b, "muc#roomconfig_persistentroom", o->persistent);
  flag(&b, "muc#roomconfig_publicroom", o->public_room);
  flag(&b, "muc#roomconfig_membersonly", o->members_only);
  flag(&b, "muc#roomconfig_allowinvites", o->allow_invites);
  number(&b, "muc#roomconfig_maxusers", o->max_users);
  flag(&b, "muc#roomconfig_changesubject", o->change_subject);
  flag(&b, "muc#roomconfig_moderatedroom", o->moderated);
  one(&b, "muc#roomconfig_whois",
      o->whois == MUC_WHOIS_ANYONE ? "anyone" : "moderators");
  one(&b, "muc#roomconfig_allowpm", pm_values[o->allow_pm]);
  roles(&b, "muc#roomconfig_getmemberlist", o->get_member_list);
  number(&b, "muc#roomconfig_historylength",
         o->history_length < svc->cfg.max_history ? o->history_length
                                                  : svc->cfg.max_history);
  roles(&b, "muc#roomconfig_presencebroadcast", o->presence_broadcast);
  flag(&b, "muc#roomconfig_enablelogging", o->logging);
  if (b.oom) {
    muc_form_free(&svc->mem, f);
    return MUC_ERR_NOMEM;
  }
  *out = f;
  return MUC_OK;
}
