#include "owner.h"

#include <stdlib.h>
#include <string.h>

#include "affiliation.h"
#include "afflist.h"
#include "form.h"
#include "limit.h"
#include "message.h"
#include "occupant.h"
#include "presence.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"
#include "store.h"
#include "timer.h"

/* A submitted value, validated and ready to apply. */
typedef struct cfg_value {
  int b;                   /* booleans, enums */
  unsigned u;              /* numbers, role sets */
  const char *s;           /* strings (borrowed from the parsed form) */
  const muc_form_field *f; /* JID lists: the field, checked */
} cfg_value;

/* One configuration field: how to show it and how to take a submission.
 * |parse| returns 0 and fills |out| for a valid submission, -1 otherwise.
 * |apply| returns 1 if the room changed. */
typedef struct cfg_field {
  const char *var; /* NULL: a section heading (fixed field) */
  const char *type;
  const char *label;
  const char *desc;
  void (*render)(muc_room *room, mxml_node_t *field);
  int (*parse)(const muc_form_field *f, cfg_value *out);
  /* NULL: applied with the other affiliation list (afflist.c) */
  int (*apply)(muc_room *room, const cfg_value *v, int *codes, size_t *n);
} cfg_field;

/* ---- value parsing ------------------------------------------------------ */

static const char *first(const muc_form_field *f)
{
  return f->nvalues ? f->values[0] : "";
}

static int parse_bool(const muc_form_field *f, cfg_value *out)
{
  int b = muc_form_parse_bool(first(f));
  if (b < 0)
    return -1;
  out->b = b;
  return 0;
}

static int parse_text(const muc_form_field *f, cfg_value *out)
{
  if (f->nvalues > 1)
    return -1;
  out->s = first(f);
  return 0;
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
  if (!*s)
    return -1;
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*end || s[0] == '-' || s[0] == '+' || v > max)
    return -1;
  *out = (unsigned)v;
  return 0;
}

static int parse_history(const muc_form_field *f, cfg_value *out)
{
  return parse_uint(first(f), 1000000, &out->u);
}

static int parse_maxusers(const muc_form_field *f, cfg_value *out)
{
  const char *s = first(f);
  if (strcmp(s, "none") == 0 || strcmp(s, "0") == 0 || !*s) {
    out->u = 0;
    return 0;
  }
  return parse_uint(s, 1000000000, &out->u);
}

static int parse_whois(const muc_form_field *f, cfg_value *out)
{
  const char *s = first(f);
  if (strcmp(s, "moderators") == 0)
    out->b = MUC_WHOIS_MODERATORS;
  else if (strcmp(s, "anyone") == 0)
    out->b = MUC_WHOIS_ANYONE;
  else
    return -1;
  return 0;
}

/* XEP-0045 values first; the rest are accepted spellings of the same. */
static const struct {
  const char *name;
  muc_allow_pm v;
} pm_names[] = {
    {"anyone", MUC_PM_ANYONE},         {"participants", MUC_PM_PARTICIPANTS},
    {"moderators", MUC_PM_MODERATORS}, {"none", MUC_PM_NOBODY},
    {"members", MUC_PM_MEMBERS},       {"visitor", MUC_PM_ANYONE},
    {"everyone", MUC_PM_ANYONE},       {"participant", MUC_PM_PARTICIPANTS},
    {"moderator", MUC_PM_MODERATORS},  {"affiliated", MUC_PM_MEMBERS},
};

static int parse_allowpm(const muc_form_field *f, cfg_value *out)
{
  const char *s = first(f);
  for (size_t i = 0; i < sizeof(pm_names) / sizeof(pm_names[0]); i++)
    if (strcmp(s, pm_names[i].name) == 0) {
      out->b = (int)pm_names[i].v;
      return 0;
    }
  return -1;
}

static int parse_roles(const muc_form_field *f, cfg_value *out)
{
  unsigned set = 0;
  for (size_t i = 0; i < f->nvalues; i++) {
    muc_role r;
    if (muc_role_parse(f->values[i], &r) != 0)
      return -1;
    set |= MUC_ROLE_BIT(r);
  }
  out->u = set;
  return 0;
}

/* JID lists are read by muc_jid_list_read (reading a JID allocates). */
static int parse_jids(const muc_form_field *f, cfg_value *out)
{
  out->f = f;
  return 0;
}

/* ---- rendering ---------------------------------------------------------- */

static void value(muc_room *room, mxml_node_t *field, const char *v)
{
  muc_fx_value(room->svc, field, v ? v : "");
}

static void render_bool(muc_room *room, mxml_node_t *field, int b)
{
  value(room, field, b ? "1" : "0");
}

#define RENDER_STR(fn, member)                                                 \
  static void fn(muc_room *room, mxml_node_t *f)                               \
  {                                                                            \
    value(room, f, room->cfg.member);                                          \
  }
#define RENDER_BOOL(fn, member)                                                \
  static void fn(muc_room *room, mxml_node_t *f)                               \
  {                                                                            \
    render_bool(room, f, room->cfg.member);                                    \
  }

RENDER_STR(r_name, name)
RENDER_STR(r_desc, desc)
RENDER_STR(r_lang, lang)
RENDER_STR(r_secret, password)
RENDER_BOOL(r_persistent, persistent)
RENDER_BOOL(r_public, public_room)
RENDER_BOOL(r_membersonly, members_only)
RENDER_BOOL(r_allowinvites, allow_member_invites)
RENDER_BOOL(r_changesubject, change_subject)
RENDER_BOOL(r_moderated, moderated)
RENDER_BOOL(r_logging, logging)

static void r_maxusers(muc_room *room, mxml_node_t *f)
{
  static const char *const opts[] = {"5",  "10",  "20",  "30",
                                     "50", "100", "none"};
  char buf[16];
  if (room->cfg.max_users)
    snprintf(buf, sizeof(buf), "%u", room->cfg.max_users);
  value(room, f, room->cfg.max_users ? buf : "none");
  for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
    muc_fx_option(room->svc, f, NULL, opts[i]);
}

static void r_whois(muc_room *room, mxml_node_t *f)
{
  value(room, f, room->cfg.whois == MUC_WHOIS_ANYONE ? "anyone" : "moderators");
  muc_fx_option(room->svc, f, "Moderators only", "moderators");
  muc_fx_option(room->svc, f, "Anyone", "anyone");
}

static void r_allowpm(muc_room *room, mxml_node_t *f)
{
  static const char *const labels[] = {"Everyone", "Participants", "Moderators",
                                       "No one", "Members"};
  const char *cur = "anyone";
  for (size_t i = 0; i < 5; i++)
    if (pm_names[i].v == room->cfg.allow_pm) {
      cur = pm_names[i].name;
      break;
    }
  value(room, f, cur);
  for (size_t i = 0; i < 5; i++)
    muc_fx_option(room->svc, f, labels[i], pm_names[i].name);
}

/* The roles in the set as values, then the three choices, in the order
 * of the XEP's example. */
static void r_getmemberlist(muc_room *room, mxml_node_t *f)
{
  for (int r = MUC_ROLE_MODERATOR; r > MUC_ROLE_NONE; r--)
    if (room->cfg.get_member_list & MUC_ROLE_BIT(r))
      value(room, f, muc_role_name((muc_role)r));
  for (int r = MUC_ROLE_MODERATOR; r > MUC_ROLE_NONE; r--)
    muc_fx_option(room->svc, f, NULL, muc_role_name((muc_role)r));
}

/* The JIDs with affiliation |aff|: the full lists of §10.2. */
static void render_affiliation(muc_room *room, mxml_node_t *f,
                               muc_affiliation aff)
{
  for (const muc_affil *a = room->afirst; a; a = a->next)
    if (a->aff == aff)
      value(room, f, a->jid);
}

static void r_admins(muc_room *room, mxml_node_t *f)
{
  render_affiliation(room, f, MUC_AFFIL_ADMIN);
}

static void r_owners(muc_room *room, mxml_node_t *f)
{
  render_affiliation(room, f, MUC_AFFIL_OWNER);
}

static void r_history(muc_room *room, mxml_node_t *f)
{
  char buf[16];
  snprintf(buf, sizeof(buf), "%u", room->cfg.history_length);
  value(room, f, buf);
}

static void r_broadcast(muc_room *room, mxml_node_t *f)
{
  for (int r = MUC_ROLE_NONE; r <= MUC_ROLE_MODERATOR; r++)
    if (room->cfg.presence_broadcast & MUC_ROLE_BIT(r))
      value(room, f, muc_role_name((muc_role)r));
  for (int r = MUC_ROLE_NONE; r <= MUC_ROLE_MODERATOR; r++)
    muc_fx_option(room->svc, f, NULL, muc_role_name((muc_role)r));
}

/* ---- applying ----------------------------------------------------------- */

static void add_code(int *codes, size_t *n, int code)
{
  for (size_t i = 0; i < *n; i++)
    if (codes[i] == code)
      return;
  codes[(*n)++] = code;
}

/* Replace a string setting ("" = none). 1 if it changed. */
static int set_str(muc_room *room, char **slot, const char *s)
{
  if (s && !*s)
    s = NULL;
  if ((!s && !*slot) || (s && *slot && strcmp(s, *slot) == 0))
    return 0;
  char *c = NULL;
  if (s && !(c = muc_mem_strdup(&room->svc->mem, s))) {
    muc_fail(room->svc, MUC_ERR_NOMEM);
    return 0;
  }
  muc_mem_free(&room->svc->mem, *slot);
  *slot = c;
  return 1;
}

#define APPLY_STR(fn, member)                                                  \
  static int fn(muc_room *room, const cfg_value *v, int *codes, size_t *n)     \
  {                                                                            \
    if (!set_str(room, &room->cfg.member, v->s))                               \
      return 0;                                                                \
    add_code(codes, n, 104);                                                   \
    return 1;                                                                  \
  }
#define APPLY_FLAG(fn, member)                                                 \
  static int fn(muc_room *room, const cfg_value *v, int *codes, size_t *n)     \
  {                                                                            \
    if (room->cfg.member == v->b)                                              \
      return 0;                                                                \
    room->cfg.member = v->b;                                                   \
    add_code(codes, n, 104);                                                   \
    return 1;                                                                  \
  }

#define APPLY_UINT(fn, member)                                                 \
  static int fn(muc_room *room, const cfg_value *v, int *codes, size_t *n)     \
  {                                                                            \
    if (room->cfg.member == v->u)                                              \
      return 0;                                                                \
    room->cfg.member = v->u;                                                   \
    add_code(codes, n, 104);                                                   \
    return 1;                                                                  \
  }

APPLY_STR(a_name, name)
APPLY_STR(a_desc, desc)
APPLY_STR(a_lang, lang)
APPLY_STR(a_secret, password)
APPLY_FLAG(a_persistent, persistent)
APPLY_FLAG(a_public, public_room)
APPLY_FLAG(a_allowinvites, allow_member_invites)
APPLY_FLAG(a_changesubject, change_subject)
APPLY_FLAG(a_moderated, moderated)
APPLY_UINT(a_maxusers, max_users)
APPLY_UINT(a_getmemberlist, get_member_list)

static int a_logging(muc_room *room, const cfg_value *v, int *codes, size_t *n)
{
  if (room->cfg.logging == v->b)
    return 0;
  room->cfg.logging = v->b;
  /* §10.2.1: 170 logging now enabled, 171 now disabled */
  add_code(codes, n, v->b ? 170 : 171);
  return 1;
}

static int a_membersonly(muc_room *room, const cfg_value *v, int *codes,
                         size_t *n)
{
  if (room->cfg.members_only == v->b)
    return 0;
  room->cfg.members_only = v->b;
  add_code(codes, n, 104);
  if (!v->b)
    return 1;
  /* §9.3 / §10.2: non-members leave a room that became members-only */
  muc_codes c = {0};
  muc_codes_add(&c, 322);
  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *next = o->next;
    muc_affiliation a = muc_room_affiliation(room, o->bare_jid);
    if (a <= MUC_AFFIL_NONE) {
      muc_role prev = o->role;
      o->role = MUC_ROLE_NONE;
      muc_room_save_occupant(room, o);
      muc_pub p = {.base = &c, .prev_role = prev};
      muc_presence_publicise(room, o, &p);
      muc_presence_release(room, o);
    }
    o = next;
  }
  return 1;
}

static int a_whois(muc_room *room, const cfg_value *v, int *codes, size_t *n)
{
  if ((int)room->cfg.whois == v->b)
    return 0;
  room->cfg.whois = (muc_whois)v->b;
  /* §10.2.1: 172 now non-anonymous, 173 now semi-anonymous */
  add_code(codes, n, v->b == MUC_WHOIS_ANYONE ? 172 : 173);
  return 1;
}

static int a_allowpm(muc_room *room, const cfg_value *v, int *codes, size_t *n)
{
  if ((int)room->cfg.allow_pm == v->b)
    return 0;
  room->cfg.allow_pm = (muc_allow_pm)v->b;
  add_code(codes, n, 104);
  return 1;
}

static int a_history(muc_room *room, const cfg_value *v, int *codes, size_t *n)
{
  unsigned len = v->u;
  if (len > room->svc->cfg.max_history)
    len = (unsigned)room->svc->cfg.max_history;
  if (room->cfg.history_length == len)
    return 0;
  if (muc_history_resize(room, len) != MUC_OK) {
    muc_fail(room->svc, MUC_ERR_NOMEM);
    return 0;
  }
  room->cfg.history_length = len;
  add_code(codes, n, 104);
  return 1;
}

static int a_broadcast(muc_room *room, const cfg_value *v, int *codes,
                       size_t *n)
{
  unsigned old = room->cfg.presence_broadcast, now = v->u;
  if (old == now)
    return 0;
  room->cfg.presence_broadcast = now;
  /* the "none" role shows absent affiliated users: §16.6 registers 102
   * (now shown) and 103 (no longer shown) for that; 104 for the rest */
  unsigned none = MUC_ROLE_BIT(MUC_ROLE_NONE);
  if ((old ^ now) & none)
    add_code(codes, n, now & none ? 102 : 103);
  if ((old ^ now) & ~none)
    add_code(codes, n, 104);
  /* occupants whose role became (in)visible appear or disappear */
  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *next = o->next;
    unsigned bit = MUC_ROLE_BIT(o->role);
    if ((now & bit) && !(old & bit)) {
      muc_pub p = {0};
      muc_presence_publicise(room, o, &p);
    } else if (!(now & bit) && (old & bit)) {
      muc_pub p = {.force_unavailable = 1};
      muc_presence_publicise(room, o, &p);
    }
    o = next;
  }
  return 1;
}

static const cfg_field fields[] = {
    {NULL, NULL, "Room information", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_roomname", "text-single", "Title", NULL, r_name,
     parse_text, a_name},
    {"muc#roomconfig_roomdesc", "text-single", "Description",
     "A brief description of the room", r_desc, parse_text, a_desc},
    {"muc#roomconfig_lang", "text-single",
     "Language tag for room (e.g. 'en', 'de', 'fr' etc.)",
     "Indicate the primary language spoken in this room", r_lang, parse_text,
     a_lang},
    {"muc#roomconfig_persistentroom", "boolean",
     "Persistent (room should remain even when it is empty)",
     "Rooms are automatically deleted when they are empty, unless this "
     "option is enabled",
     r_persistent, parse_bool, a_persistent},
    {"muc#roomconfig_publicroom", "boolean",
     "Include room information in public lists",
     "Enable this to allow people to find the room", r_public, parse_bool,
     a_public},
    {NULL, NULL, "Access to the room", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_roomsecret", "text-private", "Password", NULL, r_secret,
     parse_text, a_secret},
    {"muc#roomconfig_membersonly", "boolean", "Only allow members to join",
     "Enable this to only allow access for room owners, admins and members",
     r_membersonly, parse_bool, a_membersonly},
    {"muc#roomconfig_allowinvites", "boolean",
     "Allow members to invite new members", NULL, r_allowinvites, parse_bool,
     a_allowinvites},
    {"muc#roomconfig_maxusers", "list-single", "Maximum number of occupants",
     NULL, r_maxusers, parse_maxusers, a_maxusers},
    {NULL, NULL, "Permissions in the room", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_changesubject", "boolean",
     "Allow anyone to set the room's subject",
     "Choose whether anyone, or only moderators, may set the room's subject",
     r_changesubject, parse_bool, a_changesubject},
    {"muc#roomconfig_moderatedroom", "boolean",
     "Moderated (require permission to speak)", NULL, r_moderated, parse_bool,
     a_moderated},
    {"muc#roomconfig_whois", "list-single",
     "Addresses (JIDs) of room occupants may be viewed by:", NULL, r_whois,
     parse_whois, a_whois},
    {"muc#roomconfig_allowpm", "list-single", "Allow private messages from",
     NULL, r_allowpm, parse_allowpm, a_allowpm},
    {"muc#roomconfig_getmemberlist", "list-multi",
     "Roles that may retrieve the member list", "Admins and owners always may",
     r_getmemberlist, parse_roles, a_getmemberlist},
    {"muc#roomconfig_roomadmins", "jid-multi", "Room admins",
     "The full list of admins, one address per line", r_admins, parse_jids,
     NULL},
    {"muc#roomconfig_roomowners", "jid-multi", "Room owners",
     "The full list of owners, one address per line", r_owners, parse_jids,
     NULL},
    {NULL, NULL, "Other options", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_historylength", "text-single",
     "Maximum number of history messages returned by room",
     "Specify the maximum number of previous messages that should be sent "
     "to users when they join the room",
     r_history, parse_history, a_history},
    {"muc#roomconfig_presencebroadcast", "list-multi",
     "Only show participants with roles:", NULL, r_broadcast, parse_roles,
     a_broadcast},
    {"muc#roomconfig_enablelogging", "boolean", "Log the discussion",
     "The host keeps a public log of the room; occupants are warned (status "
     "170)",
     r_logging, parse_bool, a_logging},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static void send_form(muc_room *room, const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  mxml_node_t *r = muc_iq_result(svc, st);
  mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_OWNER);
  muc_buf_reset(&svc->scratch);
  muc_buf_puts(&svc->scratch, "Configuration for ");
  muc_buf_puts(&svc->scratch, room->jid);
  if (svc->scratch.oom)
    muc_fail(svc, MUC_ERR_NOMEM);
  mxml_node_t *x = muc_fx_new(svc, q, "form", svc->scratch.data,
                              "Complete and submit this form to "
                              "configure the room.");
  muc_fx_form_type(svc, x, MUC_NS_ROOMCONFIG);
  for (size_t i = 0; x && i < NFIELDS; i++) {
    const cfg_field *f = &fields[i];
    if (!f->var) {
      mxml_node_t *fx = muc_fx_field(svc, x, NULL, "fixed", NULL);
      muc_fx_value(svc, fx, f->label);
      continue;
    }
    mxml_node_t *fx = muc_fx_field(svc, x, f->var, f->type, f->label);
    if (f->desc)
      muc_fx_desc(svc, fx, f->desc);
    f->render(room, fx);
  }
  muc_send_free(svc, r);
}

/* The fields with a limit of their own; max_form_value_bytes for the
 * others. */
static const muc_form_limit value_limits[] = {
    {"muc#roomconfig_roomname", MUC_LIMIT_ROOM_NAME},
    {"muc#roomconfig_roomsecret", MUC_LIMIT_PASSWORD},
};

/* Apply the validated values |vals| of the fields |given| (NULL: not
 * submitted), store the room, answer |st| (NULL: nobody asked) and tell
 * the occupants what changed. */
static void configure(muc_room *room, const muc_form_field **given,
                      const cfg_value *vals, const mxml_node_t *st)
{
  int codes[NFIELDS + 1];
  size_t ncodes = 0;
  int was_persistent = room->cfg.persistent;
  for (size_t i = 0; i < NFIELDS; i++)
    if (given[i] && fields[i].apply)
      fields[i].apply(room, &vals[i], codes, &ncodes);
  muc_store_forget(room);
  muc_timer_set(room->svc, room, 0);
  if (was_persistent && !room->cfg.persistent)
    muc_room_save(room, 1);
  else
    muc_room_save(room, 0);
  if (st)
    muc_send_free(room->svc, muc_iq_result(room->svc, st));
  muc_room_announce_codes(room, codes, ncodes);
}

int muc_owner_configure(muc_room *room, const muc_form *form)
{
  cfg_value vals[NFIELDS];
  const muc_form_field *given[NFIELDS];
  for (size_t i = 0; i < NFIELDS; i++) {
    given[i] = fields[i].var && fields[i].apply
                   ? muc_form_get(form, fields[i].var)
                   : NULL;
    if (given[i] && fields[i].parse(given[i], &vals[i]) != 0)
      return MUC_ERR_INVALID_ARG;
  }
  configure(room, given, vals, NULL);
  return MUC_OK;
}

static void submit(muc_room *room, const mxml_node_t *st,
                   const mxml_node_t *xform)
{
  muc_service *svc = room->svc;
  muc_form *form = NULL;
  int rc = muc_form_parse(&svc->mem, xform, &form);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return;
  }
  if (rc != MUC_OK) {
    muc_refuse(svc, st, MUC_REFUSE_CONFIG_MALFORMED, room->jid);
    return;
  }
  if (strcmp(form->type, "cancel") == 0) {
    /* §10.1.3: cancelling the initial configuration destroys the room */
    if (muc_room_is_locked(room))
      muc_room_destroy(room, NULL, NULL, NULL);
    muc_send_free(svc, muc_iq_result(svc, st));
    goto out;
  }
  if (strcmp(form->type, "submit") != 0) {
    muc_refuse(svc, st, MUC_REFUSE_CONFIG_NOT_SUBMIT, room->jid);
    goto out;
  }
  /* an empty submission accepts the defaults: an instant room (§10.1.2) */
  if (form->nfields > 0 &&
      (!form->form_type || strcmp(form->form_type, MUC_NS_ROOMCONFIG) != 0)) {
    muc_refuse(svc, st, MUC_REFUSE_CONFIG_FORM_TYPE, room->jid);
    goto out;
  }
  /* max_room_name_bytes, max_password_bytes, max_form_value_bytes: a
   * value over its limit is not-acceptable and nothing is applied
   * (limit.c, §10.1.3, RFC 6120 §8.3.3.9) */
  if (muc_limit_refuse_form(svc, st, form, value_limits,
                            sizeof(value_limits) / sizeof(value_limits[0]),
                            room->jid))
    goto out;
  /* validate everything before changing anything (§10.1.3: "not-acceptable"
   * for options that cannot be processed) */
  cfg_value vals[NFIELDS];
  const muc_form_field *given[NFIELDS];
  const char *bad = NULL;
  for (size_t i = 0; i < NFIELDS && !bad; i++) {
    given[i] = fields[i].var ? muc_form_get(form, fields[i].var) : NULL;
    if (given[i] && fields[i].parse(given[i], &vals[i]) != 0)
      bad = fields[i].var;
  }
  muc_jid_list lists[2] = {{0}, {0}};
  const muc_jid_list *admins = NULL, *owners = NULL;
  for (size_t i = 0; i < NFIELDS && !bad; i++) {
    if (fields[i].apply || !given[i])
      continue;
    int is_owners = strcmp(fields[i].var, "muc#roomconfig_roomowners") == 0;
    rc = muc_jid_list_read(svc, given[i], &lists[is_owners]);
    if (rc == MUC_ERR_NOMEM) {
      muc_fail(svc, rc);
      goto out_lists;
    }
    if (rc != MUC_OK)
      bad = fields[i].var;
    else if (is_owners)
      owners = &lists[1];
    else
      admins = &lists[0];
  }
  if (bad) {
    char text[128];
    snprintf(text, sizeof(text), "Invalid value for %s", bad);
    muc_refuse_text(svc, st, MUC_REFUSE_CONFIG_VALUE, text, room->jid);
    goto out_lists;
  }
  if (!muc_afflist_keeps_an_owner(room, admins, owners)) {
    muc_refuse(svc, st, MUC_REFUSE_CONFIG_NO_OWNER, room->jid);
    goto out_lists;
  }
  if (muc_afflist_refuse_count(room, st, admins, owners))
    goto out_lists;
  muc_afflist_apply(room, admins, owners);
  configure(room, given, vals, st);
out_lists:
  muc_jid_list_free(svc, &lists[0]);
  muc_jid_list_free(svc, &lists[1]);
out:
  muc_form_free(&svc->mem, form);
}

static void destroy(muc_room *room, const mxml_node_t *st, const mxml_node_t *d)
{
  muc_service *svc = room->svc;
  const char *alt = muc_xml_attr(d, "jid");
  muc_jid altj = {0};
  if (alt) {
    int rc = muc_jid_parse(&svc->mem, alt, &altj);
    if (rc == MUC_ERR_NOMEM) {
      muc_fail(svc, rc);
      return;
    }
    if (rc != MUC_OK) {
      muc_refuse(svc, st, MUC_REFUSE_DESTROY_JID_MALFORMED, room->jid);
      return;
    }
  }
  char *reason = muc_child_text(svc, d, "reason", MUC_NS_OWNER);
  char *password = muc_child_text(svc, d, "password", MUC_NS_OWNER);
  /* a reason or password that could not be copied: the room stays */
  if ((!reason && muc_xml_child(d, "reason", MUC_NS_OWNER)) ||
      (!password && muc_xml_child(d, "password", MUC_NS_OWNER)))
    goto out;
  /* max_reason_bytes: policy-violation (RFC 6120 §8.3.3.12), the room
   * stays (limit.c) */
  if (muc_limit_refuse_text(svc, st, MUC_LIMIT_REASON, reason, room->jid))
    goto out;
  muc_room_destroy(room, alt ? altj.full : NULL, reason, password);
  muc_send_free(svc, muc_iq_result(svc, st));
out:
  muc_mem_free(&svc->mem, reason);
  muc_mem_free(&svc->mem, password);
  muc_jid_clear(&svc->mem, &altj);
}

void muc_owner_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query)
{
  muc_service *svc = room->svc;
  if (muc_room_affiliation(room, from->bare) != MUC_AFFIL_OWNER) {
    muc_refuse(svc, st, MUC_REFUSE_OWNER_FORBIDDEN, room->jid);
    return;
  }
  const char *type = muc_stanza_type(st);
  if (strcmp(type, "get") == 0) {
    send_form(room, st);
    return;
  }
  mxml_node_t *child = muc_xml_first_element(query);
  if (!child) {
    muc_refuse(svc, st, MUC_REFUSE_OWNER_EMPTY, room->jid);
  } else if (muc_xml_is(child, "destroy", MUC_NS_OWNER)) {
    destroy(room, st, child);
  } else if (muc_xml_is(child, "x", MUC_NS_DATA)) {
    submit(room, st, child);
  } else {
    muc_refuse(svc, st, MUC_REFUSE_OWNER_PAYLOAD, room->jid);
  }
}
