#include "hats_command.h"

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "jid.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "room_extras.h"
#include "stanza.h"

/* The fields a command's form asks for. */
enum { F_JID = 1, F_URI = 2, F_TITLE = 4, F_HUE = 8, F_HAT_LIST = 16 };

typedef struct hats_cmd hats_cmd;

/* A submitted command: checked (|apply| 0: MUC_REFUSAL_COUNT when it
 * may run, the listings written into the answer's <command/> |c|), then
 * done (|apply| 1). */
typedef muc_refusal (*hats_run)(muc_room *room, const muc_form *f,
                                mxml_node_t *c, int apply);

struct hats_cmd {
  const char *node;  /* MUC_NODE_HATS ":" ... */
  const char *name;  /* in the command list and as the form's title */
  const char *instr; /* the form's instructions; NULL: runs at once */
  unsigned fields;
  hats_run run;
};

/* ---- reading the submitted values -------------------------------------- */

/* The value of |var|: NULL when absent or empty; |bad| set when it is
 * longer than a form value may be. */
static const char *value_of(muc_room *room, const muc_form *f, const char *var,
                            int *bad)
{
  const char *v = f ? muc_form_value(f, var) : NULL;
  if (v && strlen(v) > room->svc->cfg.max_form_value_bytes)
    *bad = 1;
  return v && *v ? v : NULL;
}

/* A hue angle (XEP-0317 §3.1): a decimal number from 0 up to 360. */
static int hue_ok(const char *hue)
{
  char *end = NULL;
  double h = strtod(hue, &end);
  return end && !*end && end != hue && h >= 0 && h < 360 &&
         strspn(hue, "0123456789.") == strlen(hue);
}

/* The bare JID the form names, prepared, into |bare| (NULL: refused). */
static muc_refusal jid_of(muc_room *room, const muc_form *f, char **bare)
{
  int bad = 0;
  const char *v = value_of(room, f, "hats#jid", &bad);
  *bare = NULL;
  if (!v || bad)
    return MUC_REFUSE_HATS_BAD_FIELD;
  muc_jid j;
  int rc = muc_jid_parse(&room->svc->mem, v, &j);
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(room->svc, rc);
    return MUC_REFUSAL_COUNT;
  }
  if (rc != MUC_OK)
    return MUC_REFUSE_HATS_BAD_FIELD;
  *bare = muc_mem_strdup(&room->svc->mem, j.bare);
  muc_jid_clear(&room->svc->mem, &j);
  if (!*bare)
    muc_fail(room->svc, MUC_ERR_NOMEM);
  return MUC_REFUSAL_COUNT;
}

static muc_refusal done(muc_room *room, int rc)
{
  if (rc != MUC_OK)
    muc_fail(room->svc, rc);
  return MUC_REFUSAL_COUNT;
}

/* ---- the commands ------------------------------------------------------ */

static muc_refusal run_create(muc_room *room, const muc_form *f, mxml_node_t *c,
                              int apply)
{
  (void)c;
  int bad = 0;
  const char *uri = value_of(room, f, "hats#uri", &bad);
  const char *title = value_of(room, f, "hats#title", &bad);
  const char *hue = value_of(room, f, "hats#hue", &bad);
  if (!uri || !title || bad || (hue && !hue_ok(hue)))
    return MUC_REFUSE_HATS_BAD_FIELD;
  const muc_room_extras *x = muc_extras(room);
  if (!muc_extras_hat(room, uri) && x &&
      x->nhats >= room->svc->cfg.max_hats_per_room)
    return MUC_REFUSE_HATS_LIMIT;
  return apply ? done(room, muc_op_define_hat(room, uri, title, hue))
               : MUC_REFUSAL_COUNT;
}

static muc_refusal run_destroy(muc_room *room, const muc_form *f,
                               mxml_node_t *c, int apply)
{
  (void)c;
  int bad = 0;
  const char *uri = value_of(room, f, "hats#uri", &bad);
  if (!uri || bad)
    return MUC_REFUSE_HATS_BAD_FIELD;
  if (!muc_extras_hat(room, uri))
    return MUC_REFUSE_HATS_NO_SUCH_HAT;
  return apply ? done(room, muc_op_destroy_hat(room, uri)) : MUC_REFUSAL_COUNT;
}

static muc_refusal run_wear(muc_room *room, const muc_form *f, int wear,
                            int apply)
{
  int bad = 0;
  const char *uri = value_of(room, f, "hats#uri", &bad);
  char *jid = NULL;
  muc_refusal why = jid_of(room, f, &jid);
  if (why == MUC_REFUSAL_COUNT && (!uri || bad))
    why = MUC_REFUSE_HATS_BAD_FIELD;
  if (why == MUC_REFUSAL_COUNT && jid) {
    if (!muc_extras_hat(room, uri) ||
        (!wear && !muc_extras_wears(room, jid, uri)))
      why = MUC_REFUSE_HATS_NO_SUCH_HAT;
    else if (wear && !muc_extras_wears(room, jid, uri) &&
             muc_extras_worn_by(room, jid) >= room->svc->cfg.max_hats_per_user)
      why = MUC_REFUSE_HATS_LIMIT;
    else if (apply)
      why = done(room, muc_op_wear_hat(room, jid, uri, wear));
  }
  muc_mem_free(&room->svc->mem, jid);
  return why;
}

static muc_refusal run_assign(muc_room *room, const muc_form *f, mxml_node_t *c,
                              int apply)
{
  (void)c;
  return run_wear(room, f, 1, apply);
}

static muc_refusal run_unassign(muc_room *room, const muc_form *f,
                                mxml_node_t *c, int apply)
{
  (void)c;
  return run_wear(room, f, 0, apply);
}

/* One <item/> of a listing: var/value pairs, NULL values left out. */
static void list_item(muc_service *svc, mxml_node_t *x, const char *const *kv,
                      size_t n)
{
  mxml_node_t *item = muc_el(svc, x, "item", NULL);
  for (size_t i = 0; i + 1 < n; i += 2)
    if (kv[i + 1])
      muc_fx_value(svc, muc_fx_field(svc, item, kv[i], NULL, NULL), kv[i + 1]);
}

static mxml_node_t *listing(muc_service *svc, mxml_node_t *c, const char *title,
                            const char *const *vars, size_t n)
{
  mxml_node_t *x = muc_fx_new(svc, c, "result", title, NULL);
  mxml_node_t *reported = muc_el(svc, x, "reported", NULL);
  for (size_t i = 0; i < n; i++)
    muc_fx_field(svc, reported, vars[i], NULL, NULL);
  return x;
}

static muc_refusal run_list(muc_room *room, const muc_form *f, mxml_node_t *c,
                            int apply)
{
  (void)f;
  if (apply)
    return MUC_REFUSAL_COUNT;
  static const char *const vars[] = {"hats#title", "hats#uri", "hats#hue"};
  mxml_node_t *x = listing(room->svc, c, "Hats List", vars, 3);
  const muc_room_extras *e = muc_extras(room);
  for (size_t i = 0; e && i < e->nhats; i++) {
    const muc_hat *h = &e->hats[i];
    const char *kv[] = {vars[0], h->title, vars[1], h->uri, vars[2], h->hue};
    list_item(room->svc, x, kv, 6);
  }
  return MUC_REFUSAL_COUNT;
}

static muc_refusal run_list_assigned(muc_room *room, const muc_form *f,
                                     mxml_node_t *c, int apply)
{
  (void)f;
  if (apply)
    return MUC_REFUSAL_COUNT;
  static const char *const vars[] = {"hats#jid", "hats#uri", "hats#title",
                                     "hats#hue"};
  mxml_node_t *x = listing(room->svc, c, "Assigned Hats List", vars, 4);
  const muc_room_extras *e = muc_extras(room);
  for (size_t i = 0; e && i < e->nworn; i++) {
    const muc_hat_worn *w = &e->worn[i];
    const muc_hat *h = muc_extras_hat(room, w->uri);
    const char *kv[] = {vars[0], w->jid,   vars[1], w->uri,
                        vars[2], h->title, vars[3], h->hue};
    list_item(room->svc, x, kv, 8);
  }
  return MUC_REFUSAL_COUNT;
}

static const hats_cmd commands[] = {
    {MUC_NODE_HATS ":create", "Create a hat",
     "Fill out this form to create a hat.", F_TITLE | F_URI | F_HUE,
     run_create},
    {MUC_NODE_HATS ":destroy", "Destroy a hat",
     "Fill out this form to destroy a hat.", F_HAT_LIST, run_destroy},
    {MUC_NODE_HATS ":list", "Hats List", NULL, 0, run_list},
    {MUC_NODE_HATS ":assign", "Assign a hat",
     "Fill out this form to assign a hat.", F_JID | F_HAT_LIST, run_assign},
    {MUC_NODE_HATS ":unassign", "Remove a hat",
     "Fill out this form to remove a hat.", F_JID | F_HAT_LIST, run_unassign},
    {MUC_NODE_HATS ":list-assigned", "Assigned Hats List", NULL, 0,
     run_list_assigned},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* ---- the frame (XEP-0050) ---------------------------------------------- */

/* Owners and admins of the room, and the service's administrators. */
static int may_run(muc_room *room, const muc_jid *from)
{
  muc_affiliation a = muc_room_affiliation(room, from->bare);
  return a == MUC_AFFIL_OWNER || a == MUC_AFFIL_ADMIN ||
         muc_is_service_admin(room->svc, from->bare);
}

void muc_hats_command_list(muc_room *room, const mxml_node_t *st,
                           const muc_jid *from)
{
  muc_service *svc = room->svc;
  mxml_node_t *r = muc_iq_result(svc, st);
  mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_DISCO_ITEMS);
  muc_attr(svc, q, "node", MUC_NS_COMMANDS);
  for (size_t i = 0; may_run(room, from) && i < NCOMMANDS; i++) {
    mxml_node_t *it = muc_el(svc, q, "item", NULL);
    muc_attr(svc, it, "jid", room->jid);
    muc_attr(svc, it, "node", commands[i].node);
    muc_attr(svc, it, "name", commands[i].name);
  }
  muc_send_free(svc, r);
}

static mxml_node_t *reply(muc_service *svc, const mxml_node_t *st,
                          const hats_cmd *cmd, const char *status,
                          const char *sid, mxml_node_t **c)
{
  mxml_node_t *r = muc_iq_result(svc, st);
  *c = muc_el(svc, r, "command", MUC_NS_COMMANDS);
  muc_attr(svc, *c, "node", cmd->node);
  muc_attr(svc, *c, "sessionid", sid);
  muc_attr(svc, *c, "status", status);
  return r;
}

/* The form of |cmd| (XEP-0317 §3.2-§3.6). */
static void send_form(muc_room *room, const mxml_node_t *st,
                      const hats_cmd *cmd, const char *sid)
{
  muc_service *svc = room->svc;
  mxml_node_t *c;
  mxml_node_t *r = reply(svc, st, cmd, "executing", sid, &c);
  mxml_node_t *x = muc_fx_new(svc, c, "form", cmd->name, cmd->instr);
  muc_fx_form_type(svc, x, MUC_NODE_HATS);
  if (cmd->fields & F_JID)
    muc_fx_required(
        svc, muc_fx_field(svc, x, "hats#jid", "jid-single", "User Address"));
  if (cmd->fields & F_TITLE)
    muc_fx_required(
        svc, muc_fx_field(svc, x, "hats#title", "text-single", "Hat Title"));
  if (cmd->fields & F_URI)
    muc_fx_required(svc,
                    muc_fx_field(svc, x, "hats#uri", "text-single", "Hat URI"));
  if (cmd->fields & F_HUE)
    muc_fx_field(svc, x, "hats#hue", "text-single", "Hat Hue");
  if (cmd->fields & F_HAT_LIST) {
    mxml_node_t *f =
        muc_fx_field(svc, x, "hats#uri", "list-single", "The role");
    muc_fx_required(svc, f);
    const muc_room_extras *e = muc_extras(room);
    for (size_t i = 0; e && i < e->nhats; i++)
      muc_fx_option(svc, f, e->hats[i].title, e->hats[i].uri);
  }
  muc_send_free(svc, r);
}

static const hats_cmd *command_of(const char *node)
{
  for (size_t i = 0; node && i < NCOMMANDS; i++)
    if (strcmp(commands[i].node, node) == 0)
      return &commands[i];
  return NULL;
}

/* Run |cmd| with the submitted form |x| (NULL for a listing): checked,
 * answered, then applied, so that the answer comes before what the
 * change sends (XEP-0317 §3.2). */
static void run(muc_room *room, const mxml_node_t *st, const hats_cmd *cmd,
                const mxml_node_t *x, const char *sid)
{
  muc_service *svc = room->svc;
  muc_form *f = NULL;
  int rc = x ? muc_form_parse(&svc->mem, x, &f) : MUC_OK;
  if (rc == MUC_ERR_NOMEM) {
    muc_fail(svc, rc);
    return;
  }
  if (rc != MUC_OK) {
    muc_refuse(svc, st, MUC_REFUSE_HATS_BAD_FIELD, room->jid);
    return;
  }
  mxml_node_t *c;
  mxml_node_t *r = reply(svc, st, cmd, "completed", sid, &c);
  muc_refusal why = cmd->run(room, f, c, 0);
  if (why != MUC_REFUSAL_COUNT) {
    mxmlDelete(r);
    muc_refuse(svc, st, why, room->jid);
  } else {
    muc_send_free(svc, r);
    cmd->run(room, f, NULL, 1);
  }
  muc_form_free(&svc->mem, f);
}

void muc_hats_command(muc_room *room, const mxml_node_t *st,
                      const muc_jid *from, const mxml_node_t *command)
{
  muc_service *svc = room->svc;
  const hats_cmd *cmd = command_of(muc_xml_attr(command, "node"));
  if (!cmd) {
    muc_refuse(svc, st, MUC_REFUSE_HATS_UNKNOWN_COMMAND, room->jid);
    return;
  }
  if (!may_run(room, from)) {
    muc_refuse(svc, st, MUC_REFUSE_HATS_FORBIDDEN, room->jid);
    return;
  }
  char sid[64];
  const char *given = muc_xml_attr(command, "sessionid");
  if (given && *given && strlen(given) < sizeof(sid))
    strcpy(sid, given);
  else
    muc_new_id(svc, sid, sizeof(sid));
  const char *action = muc_xml_attr(command, "action");
  mxml_node_t *x = muc_xml_child(command, "x", MUC_NS_DATA);
  if (action && strcmp(action, "cancel") == 0) {
    mxml_node_t *c;
    muc_send_free(svc, reply(svc, st, cmd, "canceled", sid, &c));
  } else if (!x && cmd->instr) {
    send_form(room, st, cmd, sid);
  } else {
    run(room, st, cmd, x, sid);
  }
}
