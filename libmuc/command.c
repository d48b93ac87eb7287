#include "command.h"

#include <string.h>

#include "form.h"
#include "ops.h"
#include "refusal.h"
#include "room.h"
#include "stanza.h"

void muc_command_list(muc_service *svc, const mxml_node_t *st,
                      const muc_jid *from)
{
  mxml_node_t *r = muc_iq_result(svc, st);
  mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_DISCO_ITEMS);
  muc_attr(svc, q, "node", MUC_NS_COMMANDS);
  if (muc_is_service_admin(svc, from->bare)) {
    mxml_node_t *it = muc_el(svc, q, "item", NULL);
    muc_attr(svc, it, "jid", svc->domain);
    muc_attr(svc, it, "node", MUC_NODE_DESTROY);
    muc_attr(svc, it, "name", "Destroy rooms");
  }
  muc_send_free(svc, r);
}

static mxml_node_t *reply(muc_service *svc, const mxml_node_t *st,
                          const char *status, const char *sessionid)
{
  mxml_node_t *r = muc_iq_result(svc, st);
  mxml_node_t *c = muc_el(svc, r, "command", MUC_NS_COMMANDS);
  muc_attr(svc, c, "node", MUC_NODE_DESTROY);
  muc_attr(svc, c, "status", status);
  muc_attr(svc, c, "sessionid", sessionid);
  return r;
}

/* First stage: the form listing the rooms. */
static void send_form(muc_service *svc, const mxml_node_t *st,
                      const char *sessionid)
{
  mxml_node_t *r = reply(svc, st, "executing", sessionid);
  mxml_node_t *c = muc_xml_child(r, "command", MUC_NS_COMMANDS);
  mxml_node_t *actions = muc_el(svc, c, "actions", NULL);
  muc_attr(svc, actions, "execute", "complete");
  muc_el(svc, actions, "complete", NULL);
  mxml_node_t *x = muc_fx_new(svc, c, "form", "Destroy rooms",
                              "Select the rooms to destroy");
  muc_fx_form_type(svc, x, MUC_NODE_DESTROY);
  mxml_node_t *f =
      muc_fx_field(svc, x, "rooms", "list-multi", "Rooms to destroy");
  muc_fx_required(svc, f);
  for (muc_room *room = svc->rfirst; f && room; room = room->next)
    if (!room->loading && !room->destroyed)
      muc_fx_option(svc, f, NULL, room->jid);
  muc_send_free(svc, r);
}

void muc_command_execute(muc_service *svc, const mxml_node_t *st,
                         const muc_jid *from, const mxml_node_t *command)
{
  const char *node = muc_xml_attr(command, "node");
  if (!node || strcmp(node, MUC_NODE_DESTROY) != 0) {
    muc_refuse(svc, st, MUC_REFUSE_COMMAND_UNKNOWN, svc->domain);
    return;
  }
  if (!muc_is_service_admin(svc, from->bare)) {
    muc_refuse(svc, st, MUC_REFUSE_COMMAND_FORBIDDEN, svc->domain);
    return;
  }
  const char *action = muc_xml_attr(command, "action");
  char sid[64];
  const char *given = muc_xml_attr(command, "sessionid");
  if (given && strlen(given) < sizeof(sid))
    strcpy(sid, given);
  else
    muc_new_id(svc, sid, sizeof(sid));
  if (action && strcmp(action, "cancel") == 0) {
    muc_send_free(svc, reply(svc, st, "canceled", sid));
    return;
  }
  mxml_node_t *x = muc_xml_child(command, "x", MUC_NS_DATA);
  if (!x) {
    send_form(svc, st, sid);
    return;
  }
  mxml_node_t *field = NULL;
  for (mxml_node_t *f = muc_xml_first_element(x); f;
       f = muc_xml_next_element(f)) {
    const char *var = muc_xml_attr(f, "var");
    if (muc_xml_is(f, "field", MUC_NS_DATA) && var && strcmp(var, "rooms") == 0)
      field = f;
  }
  if (!field) {
    muc_refuse(svc, st, MUC_REFUSE_COMMAND_NO_ROOMS, svc->domain);
    return;
  }
  /* the rooms named, each once (names of no room are skipped), all found
   * before any is destroyed: running out of memory destroys nothing */
  size_t nvalues = 0, n = 0;
  for (mxml_node_t *v = muc_xml_first_element(field); v;
       v = muc_xml_next_element(v))
    nvalues += muc_xml_is(v, "value", MUC_NS_DATA);
  muc_room **doomed =
      nvalues ? muc_mem_calloc(&svc->mem, nvalues, sizeof(*doomed)) : NULL;
  char *text = NULL;
  if (nvalues && !doomed)
    goto nomem;
  for (mxml_node_t *v = muc_xml_first_element(field); v;
       v = muc_xml_next_element(v)) {
    if (!muc_xml_is(v, "value", MUC_NS_DATA))
      continue;
    if (!(text = muc_text(svc, v)))
      goto nomem;
    muc_jid j;
    muc_room *room = NULL;
    int rc = muc_jid_parse(&svc->mem, text, &j);
    if (rc == MUC_ERR_NOMEM)
      goto nomem;
    if (rc == MUC_OK) {
      if (j.node && !j.resource && strcmp(j.domain, svc->domain) == 0)
        room = muc_map_get(&svc->rooms, j.node);
      muc_jid_clear(&svc->mem, &j);
    }
    muc_mem_free(&svc->mem, text);
    text = NULL;
    for (size_t i = 0; room && i < n; i++)
      if (doomed[i] == room)
        room = NULL;
    if (room && !room->loading && !room->destroyed)
      doomed[n++] = room;
  }
  /* the note is built in the scratch buffer, which sending reuses */
  muc_buf *note = &svc->scratch;
  muc_buf_reset(note);
  muc_buf_puts(note, "The following rooms were destroyed:");
  for (size_t i = 0; i < n; i++) {
    muc_buf_putc(note, '\n');
    muc_buf_puts(note, doomed[i]->jid);
  }
  if (note->oom || !(text = muc_mem_strdup(&svc->mem, note->data)))
    goto nomem;
  for (size_t i = 0; i < n; i++)
    muc_op_destroy(doomed[i], MUC_ACTOR_HOST, NULL, NULL, NULL, 1);
  mxml_node_t *r = reply(svc, st, "completed", sid);
  mxml_node_t *c = muc_xml_child(r, "command", MUC_NS_COMMANDS);
  mxml_node_t *note_el = muc_el_text(svc, c, "note", NULL, text);
  muc_attr(svc, note_el, "type", "info");
  muc_send_free(svc, r);
  muc_mem_free(&svc->mem, text);
  muc_mem_free(&svc->mem, doomed);
  /* no stanza was routed to these rooms: the service will not free them */
  muc_room *room = svc->rfirst;
  while (room) {
    muc_room *next = room->next;
    if (room->destroyed)
      muc_room_free(room);
    room = next;
  }
  return;
nomem:
  muc_fail(svc, MUC_ERR_NOMEM);
  muc_mem_free(&svc->mem, text);
  muc_mem_free(&svc->mem, doomed);
}
