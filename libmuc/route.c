/* Routing of stanzas to the service, its rooms and their occupants, and
 * rooms loading from the host's storage. */
#include "route.h"

#include <string.h>

#include "addr.h"
#include "command.h"
#include "create.h"
#include "disco.h"
#include "limit.h"
#include "presence.h"
#include "room.h"
#include "stanza.h"
#include "store.h"

static void slot_clear(muc_service *svc, muc_jid_slot *slot);

static uint32_t hash_str(const char *s)
{
  uint32_t h = 2166136261u; /* FNV-1a */
  for (; *s; s++) {
    h ^= (uint8_t)*s;
    h *= 16777619u;
  }
  return h;
}

static void slot_clear(muc_service *svc, muc_jid_slot *slot)
{
  muc_mem_free(&svc->mem, slot->raw);
  muc_jid_clear(&svc->mem, &slot->jid);
  slot->raw = NULL;
}

/* muc_jid_parse through the service's cache of prepared JIDs.  Only valid
 * JIDs are kept; a full slot is simply replaced. */
int muc_route_parse_jid(muc_service *svc, const char *raw, muc_jid *out)
{
  muc_jid_slot *slot = &svc->jids[hash_str(raw) % MUC_JID_CACHE];
  if (slot->raw && strcmp(slot->raw, raw) == 0)
    return muc_jid_copy(&svc->mem, &slot->jid, out);
  int rc = muc_jid_parse(&svc->mem, raw, out);
  if (rc != MUC_OK)
    return rc;
  slot_clear(svc, slot);
  slot->raw = muc_mem_strdup(&svc->mem, raw);
  if (!slot->raw || muc_jid_copy(&svc->mem, out, &slot->jid) != MUC_OK) {
    /* only the cache lost an entry: the stanza goes on, nothing failed */
    muc_mem_free(&svc->mem, slot->raw);
    slot->raw = NULL;
  }
  return MUC_OK;
}

/* Rooms end when nobody is left in a temporary room (§10.1.1), or when
 * they were destroyed. */
void muc_route_collect(muc_room *room)
{
  if (room->loading)
    return;
  if (room->destroyed || (room->noccupants == 0 && !room->cfg.persistent))
    muc_room_free(room);
}

static const char *const stanza_kinds[] = {"message", "presence", "iq"};

static int is_stanza(const mxml_node_t *st)
{
  if (!muc_xml_is_element(st))
    return 0;
  const char *name = muc_xml_name(st);
  const char *ns = muc_xml_ns(st);
  if (!name || (ns && strcmp(ns, MUC_NS_CLIENT) != 0 &&
                strcmp(ns, "jabber:server") != 0 &&
                strcmp(ns, "jabber:component:accept") != 0))
    return 0;
  for (size_t i = 0; i < 3; i++)
    if (strcmp(name, stanza_kinds[i]) == 0)
      return 1;
  return 0;
}

static void service_iq(muc_service *svc, const mxml_node_t *st,
                       const muc_jid *from)
{
  const char *type = muc_stanza_type(st);
  if (!type || (strcmp(type, "get") != 0 && strcmp(type, "set") != 0))
    return;
  mxml_node_t *q = muc_xml_first_element(st);
  int get = strcmp(type, "get") == 0;
  const char *node = q ? muc_xml_attr(q, "node") : NULL;
  if (get && q && muc_xml_is(q, "query", MUC_NS_DISCO_INFO))
    muc_disco_service_info(svc, st, q);
  else if (get && q && muc_xml_is(q, "query", MUC_NS_DISCO_ITEMS) && node &&
           strcmp(node, MUC_NS_COMMANDS) == 0)
    muc_command_list(svc, st, from);
  else if (get && q && muc_xml_is(q, "query", MUC_NS_DISCO_ITEMS))
    muc_disco_service_items(svc, st, q);
  else if (!get && q && muc_xml_is(q, "command", MUC_NS_COMMANDS))
    muc_command_execute(svc, st, from, q);
  else if (get && q && muc_xml_is(q, "ping", MUC_NS_PING))
    muc_send_free(svc, muc_iq_result(svc, st));
  else
    muc_send_error(svc, st, "cancel", "service-unavailable", NULL, svc->domain);
}

static int queue_pending(muc_room *room, const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  if (muc_limit_reached(svc, MUC_LIMIT_PENDING, room->npending)) {
    /* max_pending_stanzas: resource-constraint (RFC 6120 §8.3.3.18;
     * limit.c) */
    muc_limit_refuse(svc, st, MUC_LIMIT_PENDING, room->jid);
    return MUC_ERR_LIMIT;
  }
  muc_pending *p = muc_mem_calloc(&svc->mem, 1, sizeof(*p));
  mxml_node_t *copy = p ? muc_xml_copy(NULL, st) : NULL;
  if (!copy) {
    muc_mem_free(&svc->mem, p);
    return MUC_ERR_NOMEM;
  }
  p->stanza = copy;
  if (room->pending_last)
    room->pending_last->next = p;
  else
    room->pending_first = p;
  room->pending_last = p;
  room->npending++;
  return MUC_OK;
}

/* Ask the host for a room; stanzas wait in the room until it answers. */
static int start_load(muc_service *svc, const mxml_node_t *st, const char *node)
{
  muc_room *room = muc_room_new(svc, node);
  if (!room) {
    /* max_rooms: resource-constraint (RFC 6120 §8.3.3.18; limit.c) */
    if (svc->err == MUC_OK)
      muc_limit_refuse(svc, st, MUC_LIMIT_ROOMS, svc->domain);
    return svc->err;
  }
  room->loading = 1;
  int rc = queue_pending(room, st);
  if (rc != MUC_OK) {
    muc_room_free(room);
    return rc;
  }
  char *jid = muc_mem_strdup(&svc->mem, room->jid);
  if (!jid)
    return MUC_ERR_NOMEM;
  /* the host may answer from inside the callback */
  int cbrc = svc->cb.load_room(jid, svc->ud);
  muc_mem_free(&svc->mem, jid);
  if (cbrc != 0) {
    muc_log(svc, MUC_LOG_ERROR, "load_room failed for %s@%s", node,
            svc->domain);
    room = muc_map_get(&svc->rooms, node);
    if (room && room->loading) {
      /* nobody will answer: the waiting senders get an error */
      for (muc_pending *p = room->pending_first; p; p = p->next)
        muc_send_error(svc, p->stanza, "wait", "internal-server-error", NULL,
                       room->jid);
      muc_room_free(room);
    }
    return MUC_ERR_CALLBACK_FAILURE;
  }
  return MUC_OK;
}

int muc_route_stanza(muc_service *svc, const mxml_node_t *st, int may_load)
{
  /* the limits were checked where the stanza came in (the parser, or
   * muc_service_handle_stanza for host trees) */
  if (!is_stanza(st))
    return MUC_ERR_BAD_STANZA;
  const char *fa = muc_xml_attr(st, "from"), *ta = muc_xml_attr(st, "to");
  if (!fa || !ta)
    return MUC_ERR_BAD_STANZA;
  muc_jid from = {0}, to = {0};
  int rc = muc_addr_parse_from(svc, fa, ta, &from);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_BAD_STANZA;
  rc = muc_addr_parse_to(svc, ta, &to);
  if (rc != MUC_OK) {
    muc_jid_clear(&svc->mem, &from);
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_BAD_STANZA;
  }
  rc = MUC_OK;
  mxml_node_t *normalized = NULL;
  if (strcmp(to.domain, svc->domain) != 0) {
    rc = MUC_ERR_NOT_MINE;
    goto out;
  }
  if (strcmp(fa, from.full) != 0 || strcmp(ta, to.full) != 0) {
    /* answer from and to the addresses as a server routes them */
    normalized = muc_xml_copy(NULL, st);
    if (!normalized) {
      rc = MUC_ERR_NOMEM;
      goto out;
    }
    if (muc_xml_set_attr(normalized, "from", from.full) != MUC_OK ||
        muc_xml_set_attr(normalized, "to", to.full) != MUC_OK) {
      rc = MUC_ERR_NOMEM;
      goto out;
    }
    st = normalized;
  }
  const char *name = muc_xml_name(st);
  const char *type = muc_stanza_type(st);
  int is_error = type && strcmp(type, "error") == 0;
  if (strcmp(name, "iq") == 0) {
    int ok = type && (strcmp(type, "get") == 0 || strcmp(type, "set") == 0 ||
                      strcmp(type, "result") == 0 || is_error);
    if (!ok ||
        (!muc_xml_attr(st, "id") && !is_error && strcmp(type, "result") != 0)) {
      muc_send_error(svc, st, "modify", "bad-request", "Invalid iq",
                     svc->domain);
      goto out;
    }
  }
  if (!to.node) {
    if (to.resource) {
      if (!is_error)
        muc_send_error(svc, st, "cancel", "service-unavailable", NULL,
                       svc->domain);
    } else if (strcmp(name, "iq") == 0) {
      service_iq(svc, st, &from);
    } else if (strcmp(name, "message") == 0 && !is_error) {
      muc_send_error(svc, st, "cancel", "service-unavailable", NULL,
                     svc->domain);
    }
    goto out;
  }
  muc_room *room = muc_map_get(&svc->rooms, to.node);
  if (room && room->loading) {
    rc = queue_pending(room, st);
    goto out;
  }
  if (!room && may_load && svc->cb.load_room) {
    rc = start_load(svc, st, to.node);
    goto out;
  }
  if (!room) {
    if (strcmp(name, "presence") == 0 && !type && to.resource)
      muc_create_room(svc, st, &from, &to);
    else if (!is_error && !(type && strcmp(type, "unavailable") == 0))
      muc_send_error(svc, st, "cancel", "item-not-found", NULL, svc->domain);
    room = muc_map_get(&svc->rooms, to.node);
  } else {
    muc_room_handle(room, st, &from, &to);
  }
  if (room)
    muc_route_collect(room);
out:
  mxmlDelete(normalized);
  muc_jid_clear(&svc->mem, &from);
  muc_jid_clear(&svc->mem, &to);
  return rc;
}

int muc_route_loaded(muc_service *svc, muc_room *room, const char *data,
                     size_t len)
{
  muc_pending *queue = room->pending_first;
  room->pending_first = room->pending_last = NULL;
  room->npending = 0;
  int result = MUC_OK;
  int found = 0;
  if (data) {
    int rc = muc_store_read(room, data, len);
    if (rc == MUC_OK) {
      found = 1;
      room->loading = 0;
    } else {
      muc_log(svc, MUC_LOG_ERROR, "the stored record of %s is not valid",
              room->jid);
      result = rc;
    }
  }
  if (!found)
    muc_room_free(room); /* the stanzas are handled as for a new room */
  while (queue) {
    muc_pending *n = queue->next;
    if (result == MUC_ERR_STORAGE)
      muc_send_error(svc, queue->stanza, "wait", "internal-server-error", NULL,
                     svc->domain);
    else if (result == MUC_OK)
      muc_route_stanza(svc, queue->stanza, 0);
    mxmlDelete(queue->stanza);
    muc_mem_free(&svc->mem, queue);
    queue = n;
  }
  return result;
}

void muc_route_cache_free(muc_service *svc)
{
  for (size_t i = 0; i < MUC_JID_CACHE; i++)
    slot_clear(svc, &svc->jids[i]);
}
