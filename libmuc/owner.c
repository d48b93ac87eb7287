#include "owner.h"

#include <stdlib.h>
#include <string.h>

#include "affiliation.h"
#include "afflist.h"
#include "archive.h"
#include "form.h"
#include "hooks.h"
#include "limit.h"
#include "op_send.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "room_permit.h"
#include "stanza.h"

/* A submitted value, validated and ready to apply. */
typedef struct cfg_value {
  int b;                   /* booleans, enums */
  unsigned u;              /* numbers, role sets */
  const char *s;           /* strings (borrowed from the parsed form) */
  const muc_form_field *f; /* JID lists: the field, checked */
} cfg_value;

/* One configuration field: how to show it and how to take a submission.
 * |parse| returns 0 and fills |out| for a valid submission, -1 otherwise.
 * |put| stores it in the configuration submitted. */
typedef struct cfg_field {
  const char *var; /* NULL: a section heading (fixed field) */
  const char *type;
  const char *label;
  const char *desc;
  void (*render)(muc_room *room, mxml_node_t *field);
  int (*parse)(const muc_form_field *f, cfg_value *out);
  /* NULL: the affiliation lists (afflist.c) */
  void (*put)(muc_room_config *c, const cfg_value *v);
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
RENDER_BOOL(r_archiving, archiving)

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

/* The submitted value into the configuration being built (strings are
 * borrowed from the form: muc_op_configure copies what it keeps). */
#define PUT(fn, member, type, from)                                            \
  static void fn(muc_room_config *c, const cfg_value *v)                       \
  {                                                                            \
    c->member = (type)v->from;                                                 \
  }

PUT(p_name, name, char *, s)
PUT(p_desc, desc, char *, s)
PUT(p_lang, lang, char *, s)
PUT(p_secret, password, char *, s)
PUT(p_persistent, persistent, int, b)
PUT(p_public, public_room, int, b)
PUT(p_membersonly, members_only, int, b)
PUT(p_allowinvites, allow_member_invites, int, b)
PUT(p_maxusers, max_users, unsigned, u)
PUT(p_changesubject, change_subject, int, b)
PUT(p_moderated, moderated, int, b)
PUT(p_whois, whois, muc_whois, b)
PUT(p_allowpm, allow_pm, muc_allow_pm, b)
PUT(p_getmemberlist, get_member_list, unsigned, u)
PUT(p_history, history_length, unsigned, u)
PUT(p_broadcast, presence_broadcast, unsigned, u)
PUT(p_logging, logging, int, b)
PUT(p_archiving, archiving, int, b)

static const cfg_field fields[] = {
    {NULL, NULL, "Room information", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_roomname", "text-single", "Title", NULL, r_name,
     parse_text, p_name},
    {"muc#roomconfig_roomdesc", "text-single", "Description",
     "A brief description of the room", r_desc, parse_text, p_desc},
    {"muc#roomconfig_lang", "text-single",
     "Language tag for room (e.g. 'en', 'de', 'fr' etc.)",
     "Indicate the primary language spoken in this room", r_lang, parse_text,
     p_lang},
    {"muc#roomconfig_persistentroom", "boolean",
     "Persistent (room should remain even when it is empty)",
     "Rooms are automatically deleted when they are empty, unless this "
     "option is enabled",
     r_persistent, parse_bool, p_persistent},
    {"muc#roomconfig_publicroom", "boolean",
     "Include room information in public lists",
     "Enable this to allow people to find the room", r_public, parse_bool,
     p_public},
    {NULL, NULL, "Access to the room", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_roomsecret", "text-private", "Password", NULL, r_secret,
     parse_text, p_secret},
    {"muc#roomconfig_membersonly", "boolean", "Only allow members to join",
     "Enable this to only allow access for room owners, admins and members",
     r_membersonly, parse_bool, p_membersonly},
    {"muc#roomconfig_allowinvites", "boolean",
     "Allow members to invite new members", NULL, r_allowinvites, parse_bool,
     p_allowinvites},
    {"muc#roomconfig_maxusers", "list-single", "Maximum number of occupants",
     NULL, r_maxusers, parse_maxusers, p_maxusers},
    {NULL, NULL, "Permissions in the room", NULL, NULL, NULL, NULL},
    {"muc#roomconfig_changesubject", "boolean",
     "Allow anyone to set the room's subject",
     "Choose whether anyone, or only moderators, may set the room's subject",
     r_changesubject, parse_bool, p_changesubject},
    {"muc#roomconfig_moderatedroom", "boolean",
     "Moderated (require permission to speak)", NULL, r_moderated, parse_bool,
     p_moderated},
    {"muc#roomconfig_whois", "list-single",
     "Addresses (JIDs) of room occupants may be viewed by:", NULL, r_whois,
     parse_whois, p_whois},
    {"muc#roomconfig_allowpm", "list-single", "Allow private messages from",
     NULL, r_allowpm, parse_allowpm, p_allowpm},
    {"muc#roomconfig_getmemberlist", "list-multi",
     "Roles that may retrieve the member list", "Admins and owners always may",
     r_getmemberlist, parse_roles, p_getmemberlist},
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
     r_history, parse_history, p_history},
    {"muc#roomconfig_presencebroadcast", "list-multi",
     "Only show participants with roles:", NULL, r_broadcast, parse_roles,
     p_broadcast},
    {"muc#roomconfig_enablelogging", "boolean", "Log the discussion",
     "The host keeps a public log of the room; occupants are warned (status "
     "170)",
     r_logging, parse_bool, p_logging},
    /* XEP-0313 for rooms: shown only when the host set an archive */
    {MUC_FIELD_ARCHIVING, "boolean", "Archive the discussion",
     "Messages are kept in the room's archive (XEP-0313)", r_archiving,
     parse_bool, p_archiving},
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
    if (f->var && !muc_archive_field_shown(room, f->var))
      continue;
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
  if (svc->hooks)
    muc_hook_config_form(room, x);
  muc_send_free(svc, r);
}

/* The fields with a limit of their own; max_form_value_bytes for the
 * others. */
static const muc_form_limit value_limits[] = {
    {"muc#roomconfig_roomname", MUC_LIMIT_ROOM_NAME},
    {"muc#roomconfig_roomsecret", MUC_LIMIT_PASSWORD},
};

static void submit(muc_room *room, const mxml_node_t *st, const muc_jid *from,
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
      muc_op_destroy(room, MUC_ACTOR_HOST, NULL, NULL, NULL);
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
    if (fields[i].put || !given[i])
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
  if (muc_afflist_refuse_count(room, st, admins, owners) ||
      (svc->hooks && muc_hook_config_submit(room, st, form)))
    goto out_lists;
  muc_room_config next = room->cfg;
  for (size_t i = 0; i < NFIELDS; i++)
    if (given[i] && fields[i].put)
      fields[i].put(&next, &vals[i]);
  int codes[MUC_CONFIG_CODES];
  size_t ncodes = muc_op_configure(room, &(muc_actor){from->full}, &next,
                                   admins, owners, codes);
  muc_send_free(svc, muc_iq_result(svc, st));
  muc_room_announce_codes(room, codes, ncodes);
out_lists:
  muc_jid_list_free(svc, &lists[0]);
  muc_jid_list_free(svc, &lists[1]);
out:
  muc_form_free(&svc->mem, form);
}

static void destroy(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                    const mxml_node_t *d)
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
  muc_op_destroy(room, &(muc_actor){from->full}, alt ? altj.full : NULL, reason,
                 password);
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
  const char *type = muc_stanza_type(st);
  int get = strcmp(type, "get") == 0;
  mxml_node_t *child = muc_xml_first_element(query);
  muc_permit_case c = {
      .action = !get && child && muc_xml_is(child, "destroy", MUC_NS_OWNER)
                    ? MUC_ACT_DESTROY
                    : MUC_ACT_CONFIGURE,
      .actor_aff = muc_room_affiliation(room, from->bare)};
  if (muc_room_permit(room, st, &c) != MUC_PERMIT_ALLOW)
    return;
  if (get) {
    send_form(room, st);
    return;
  }
  if (!child) {
    muc_refuse(svc, st, MUC_REFUSE_OWNER_EMPTY, room->jid);
  } else if (muc_xml_is(child, "destroy", MUC_NS_OWNER)) {
    destroy(room, st, from, child);
  } else if (muc_xml_is(child, "x", MUC_NS_DATA)) {
    submit(room, st, from, child);
  } else {
    muc_refuse(svc, st, MUC_REFUSE_OWNER_PAYLOAD, room->jid);
  }
}
