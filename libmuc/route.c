/* Routing of stanzas to the service, its rooms and their occupants, and
 * rooms loading from the host's storage. */
#include "route.h"

#include <string.h>

#include "addr.h"
#include "command.h"
#include "create.h"
#include "disco.h"
#include "hibernate.h"
#include "hooks.h"
#include "jidcache.h"
#include "limit.h"
#include "presence.h"
#include "refusal.h"
#include "room.h"
#include "room_route.h"
#include "roomlist.h"
#include "stanza.h"
#include "store.h"
#include "tombstone.h"

/* Rooms end when nobody is left in a temporary room (§10.1.1), or when
 * they were destroyed. */
void muc_route_collect(muc_room *room)
{
  if (room->loading)
    return;
  if (room->noccupants)
    room->held = 0;
  if (room->held && !room->destroyed)
    return;
  if (room->destroyed || (room->noccupants == 0 && !room->cfg.persistent)) {
    if (!room->destroyed) /* a temporary room left empty (§10.1.1) */
      muc_hook_destroyed(room, NULL, NULL);
    muc_room_free(room);
  } else {
    muc_hibernate_touch(room);
  }
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
    muc_refuse(svc, st, MUC_REFUSE_SERVICE_IQ, svc->domain);
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

/* Ask the host for a room; |st| (NULL for an admin call) waits in the
 * room until it answers. */
static int start_load(muc_service *svc, const mxml_node_t *st, const char *node)
{
  muc_hibernate_make_room(svc);
  muc_room *room = muc_room_new(svc, node);
  if (!room) {
    if (!st)
      return svc->oom ? MUC_ERR_NOMEM : MUC_ERR_LIMIT;
    /* max_rooms: resource-constraint (RFC 6120 §8.3.3.18; limit.c) */
    if (!svc->oom)
      muc_limit_refuse(svc, st, MUC_LIMIT_ROOMS, svc->domain);
    return svc->err;
  }
  room->loading = 1;
  int rc = st ? queue_pending(room, st) : MUC_OK;
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
        muc_refuse(svc, p->stanza, MUC_REFUSE_LOAD_FAILED, room->jid);
      muc_room_free(room);
    }
    return MUC_ERR_CALLBACK_FAILURE;
  }
  return MUC_OK;
}

int muc_route_load(muc_service *svc, const char *node)
{
  if (muc_map_get(&svc->rooms, node))
    return MUC_OK; /* in memory, or asked for already */
  return start_load(svc, NULL, node);
}

/* ---- answers to what cannot be routed ----------------------------------
 * A stanza whose sender is known is answered, whatever else is wrong with
 * it (RFC 6120 §8.3); only one without a usable 'from' is not. */

/* The service's domain as |ta| names it (RFC 7622 §3.1: the domain ends
 * at the first '/', starts after the last '@' before it), or 0. */
static int names_the_domain(muc_service *svc, const char *ta)
{
  const char *slash = strchr(ta, '/');
  size_t bare = slash ? (size_t)(slash - ta) : strlen(ta);
  const char *at = memchr(ta, '@', bare);
  const char *d = at ? at + 1 : ta;
  char *domain = muc_mem_strndup(&svc->mem, d, bare - (size_t)(d - ta));
  if (!domain) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return 0;
  }
  muc_jid j;
  int ours = muc_jid_parse(&svc->mem, domain, &j) == MUC_OK && !j.node &&
             !j.resource && strcmp(j.domain, svc->domain) == 0;
  muc_jid_clear(&svc->mem, &j);
  muc_mem_free(&svc->mem, domain);
  return ours;
}

/* The room a malformed address names, when its room part is valid and the
 * room is in memory: it answers for its own occupant JIDs. */
static const char *malformed_by(muc_service *svc, const char *ta)
{
  const char *slash = strchr(ta, '/');
  char *bare =
      muc_mem_strndup(&svc->mem, ta, slash ? (size_t)(slash - ta) : strlen(ta));
  muc_jid j = {0};
  const muc_room *room = NULL;
  if (bare && muc_jidcache_parse(svc, bare, &j) == MUC_OK && j.node)
    room = muc_map_get(&svc->rooms, j.node);
  muc_jid_clear(&svc->mem, &j);
  muc_mem_free(&svc->mem, bare);
  return room && !room->loading ? room->jid : svc->domain;
}

/* |st| from a valid sender names a 'to' |ta| that is no JID.  On this
 * service's domain it is answered <jid-malformed/>, from the address as
 * it was sent (XEP-0045 §17.1); anything else is not the service's. */
static int answer_malformed_to(muc_service *svc, const mxml_node_t *st,
                               const char *ta)
{
  if (!names_the_domain(svc, ta))
    return svc->oom ? MUC_ERR_NOMEM : MUC_ERR_NOT_MINE;
  muc_refuse(svc, st, MUC_REFUSE_TO_MALFORMED, malformed_by(svc, ta));
  return MUC_OK;
}

/* |st| as the service handles it: 'from' as a server routes it (the
 * prepared sender, where deliveries go), 'to' as the client wrote it (the
 * 'from' of every answer, RFC 6120 §8.3.1), the service's domain when it
 * has none (a stanza handed to the service is for the service).  NULL
 * when |st| is that already; |*rc| MUC_ERR_NOMEM on failure.  |fa| and
 * |ta|: its 'from' and 'to' (NULL: none). */
static mxml_node_t *as_routed(muc_service *svc, const mxml_node_t *st,
                              const char *fa, const char *ta,
                              const muc_jid *from, int *rc)
{
  int has_to = ta != NULL;
  if (has_to && strcmp(fa, from->full) == 0)
    return NULL;
  mxml_node_t *copy = muc_xml_copy(NULL, st);
  if (!copy || muc_xml_set_attr(copy, "from", from->full) != MUC_OK ||
      (!has_to && muc_xml_set_attr(copy, "to", svc->domain) != MUC_OK)) {
    mxmlDelete(copy);
    *rc = MUC_ERR_NOMEM;
    return NULL;
  }
  return copy;
}

int muc_route_stanza(muc_service *svc, const mxml_node_t *st, int may_load)
{
  /* the limits were checked where the stanza came in (the parser, or
   * muc_service_handle_stanza for host trees) */
  if (!is_stanza(st))
    return MUC_ERR_BAD_STANZA;
  const char *fa = muc_xml_attr(st, "from");
  if (!fa)
    return MUC_ERR_BAD_STANZA; /* nobody to answer */
  muc_jid from = {0}, to = {0};
  muc_jid_room from_room, to_room; /* known addresses need no allocation */
  const char *ta = muc_xml_attr(st, "to");
  int rc = muc_addr_parse_from_in(svc, fa, ta, &from_room, &from);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_BAD_STANZA;
  mxml_node_t *normalized = as_routed(svc, st, fa, ta, &from, &rc);
  if (rc != MUC_OK)
    goto out;
  if (normalized) {
    st = normalized;
    ta = muc_xml_attr(st, "to");
  }
  rc = muc_addr_parse_to_in(svc, ta, &to_room, &to);
  if (rc != MUC_OK) {
    rc = rc == MUC_ERR_NOMEM ? rc : answer_malformed_to(svc, st, ta);
    goto out;
  }
  rc = MUC_OK;
  if (strcmp(to.domain, svc->domain) != 0) {
    rc = MUC_ERR_NOT_MINE;
    goto out;
  }
  const char *name = muc_xml_name(st);
  const char *type = muc_stanza_type(st);
  int is_error = type && strcmp(type, "error") == 0;
  if (strcmp(name, "iq") == 0) {
    int ok = type && (strcmp(type, "get") == 0 || strcmp(type, "set") == 0 ||
                      strcmp(type, "result") == 0 || is_error);
    if (!ok ||
        (!muc_xml_attr(st, "id") && !is_error && strcmp(type, "result") != 0)) {
      muc_refuse(svc, st, MUC_REFUSE_IQ_INVALID, svc->domain);
      goto out;
    }
  }
  if (!to.node) {
    if (to.resource) {
      if (!is_error)
        muc_refuse(svc, st, MUC_REFUSE_SERVICE_RESOURCE, svc->domain);
    } else if (strcmp(name, "iq") == 0) {
      service_iq(svc, st, &from);
    } else if (strcmp(name, "message") == 0 && !is_error) {
      muc_refuse(svc, st, MUC_REFUSE_SERVICE_MESSAGE, svc->domain);
    }
    goto out;
  }
  muc_room *room = muc_map_get(&svc->rooms, to.node);
  if (!room && svc->tombstones && muc_tombstone_answer(svc, st, &from, &to))
    goto out;
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
    else if (strcmp(name, "presence") == 0 && !type)
      muc_refuse(svc, st, MUC_REFUSE_JOIN_WITHOUT_NICK, svc->domain);
    else if (!is_error && !(type && strcmp(type, "unavailable") == 0))
      muc_refuse(svc, st, MUC_REFUSE_ROOM_NOT_FOUND, svc->domain);
    room = muc_map_get(&svc->rooms, to.node);
  } else {
    muc_room_handle(room, st, &from, &to);
  }
  if (room)
    muc_route_collect(room);
out:
  mxmlDelete(normalized);
  muc_jid_release(&svc->mem, &from, &from_room);
  muc_jid_release(&svc->mem, &to, &to_room);
  return rc;
}

/* Storage has no room |node|: an admin call that asked is answered so
 * when it calls again, without asking again (svc->absent_node). */
static void remember_absent(muc_service *svc, const char *node)
{
  char *copy = muc_mem_strdup(&svc->mem, node);
  if (!copy) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  muc_mem_free(&svc->mem, svc->absent_node);
  svc->absent_node = copy;
}

int muc_route_loaded(muc_service *svc, muc_room *room, const char *data,
                     size_t len)
{
  muc_pending *queue = room->pending_first;
  int asked_by_api = queue == NULL;
  room->pending_first = room->pending_last = NULL;
  room->npending = 0;
  int result = MUC_OK;
  int found = 0;
  int tomb = data ? muc_tombstone_read_record(svc, room->node, data, len) : 0;
  if (tomb < 0) {
    muc_log(svc, MUC_LOG_ERROR, "the stored tombstone of %s is not valid",
            room->jid);
    result = tomb;
  }
  if (tomb)
    data = NULL; /* no room: the stanzas meet the tombstone, or none */
  if (data) {
    int rc = muc_store_read(room, data, len);
    if (rc == MUC_OK) {
      found = 1;
      room->loading = 0;
      muc_roomlist_back(room);
    } else {
      muc_log(svc, MUC_LOG_ERROR, "the stored record of %s is not valid",
              room->jid);
      result = rc;
    }
  }
  if (!data) {
    muc_roomlist_drop(svc, room->node); /* no longer stored */
    if (asked_by_api)
      remember_absent(svc, room->node);
  }
  if (!found)
    muc_room_free(room); /* the stanzas are handled as for a new room */
  else if (asked_by_api)
    muc_route_collect(room); /* idle from now on, as after a stanza */
  while (queue) {
    muc_pending *n = queue->next;
    if (result == MUC_ERR_STORAGE)
      muc_refuse(svc, queue->stanza, MUC_REFUSE_RECORD_INVALID, svc->domain);
    else if (result == MUC_OK)
      /* what it returns is this call's (out of memory above all: a
       * stanza it could not handle must not pass for handled) */
      muc_fail(svc, muc_route_stanza(svc, queue->stanza, 0));
    mxmlDelete(queue->stanza);
    muc_mem_free(&svc->mem, queue);
    queue = n;
  }
  return result;
}
