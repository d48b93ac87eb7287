/* The service: lifecycle, routing of stanzas to rooms, loading rooms from
 * the host's storage, and the public queries. */
#include <string.h>

#include "affiliation.h"
#include "command.h"
#include "core.h"
#include "disco.h"
#include "occupant.h"
#include "presence.h"
#include "room.h"
#include "stanza.h"
#include "store.h"

static void slot_clear(muc_service *svc, muc_jid_slot *slot);

static int config_valid(const muc_config *cfg)
{
  const muc_room_defaults *d = &cfg->room;
  return (d->whois == MUC_WHOIS_MODERATORS || d->whois == MUC_WHOIS_ANYONE) &&
         (int)d->allow_pm >= MUC_PM_ANYONE &&
         (int)d->allow_pm <= MUC_PM_NOBODY &&
         d->presence_broadcast <= MUC_ROLES_ALL && cfg->max_depth > 0 &&
         cfg->max_stanza_bytes > 0 && cfg->max_attrs > 0 &&
         cfg->max_children > 0 && cfg->max_nick_bytes > 0;
}

int muc_service_new_versioned(muc_service **psvc, const char *domain,
                              int callbacks_version, const muc_callbacks *cb,
                              int config_version, const muc_config *cfg,
                              const muc_allocator *mem, void *user_data)
{
  if (!psvc)
    return MUC_ERR_INVALID_ARG;
  *psvc = NULL;
  if (!domain || !cb || (!cb->send && !cb->send_bytes) || !cb->now ||
      callbacks_version != MUC_CALLBACKS_V1 || config_version != MUC_CONFIG_V1)
    return MUC_ERR_INVALID_ARG;
  if (mem && (!mem->malloc || !mem->realloc || !mem->free))
    return MUC_ERR_INVALID_ARG;
  if (cfg && !config_valid(cfg))
    return MUC_ERR_INVALID_ARG;
  muc_mem m;
  muc_mem_init(&m, mem);
  muc_jid d;
  int rc = muc_jid_parse(&m, domain, &d);
  if (rc != MUC_OK)
    return rc;
  if (d.node || d.resource) {
    muc_jid_clear(&m, &d);
    return MUC_ERR_INVALID_ARG;
  }
  muc_service *svc = muc_mem_calloc(&m, 1, sizeof(*svc));
  char *dom = svc ? muc_mem_strdup(&m, d.domain) : NULL;
  muc_jid_clear(&m, &d);
  if (!svc || !dom) {
    muc_mem_free(&m, dom);
    muc_mem_free(&m, svc);
    return MUC_ERR_NOMEM;
  }
  svc->mem = m;
  svc->cb = *cb;
  if (cfg)
    svc->cfg = *cfg;
  else
    muc_config_default(&svc->cfg);
  svc->ud = user_data;
  svc->domain = dom;
  muc_map_init(&svc->rooms);
  muc_buf_init(&svc->scratch, &svc->mem);
  muc_buf_init(&svc->out, &svc->mem);
  *psvc = svc;
  return MUC_OK;
}

void muc_service_free(muc_service *svc)
{
  if (!svc)
    return;
  while (svc->rfirst)
    muc_room_free(svc->rfirst);
  for (size_t i = 0; i < MUC_JID_CACHE; i++)
    slot_clear(svc, &svc->jids[i]);
  muc_map_free(&svc->mem, &svc->rooms);
  muc_buf_free(&svc->scratch);
  muc_buf_free(&svc->out);
  muc_mem m = svc->mem;
  muc_mem_free(&m, svc->domain);
  muc_mem_free(&m, svc);
}

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
static int parse_jid(muc_service *svc, const char *raw, muc_jid *out)
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
    /* the stanza goes on; the host still hears memory ran short */
    muc_mem_free(&svc->mem, slot->raw);
    slot->raw = NULL;
    muc_fail(svc, MUC_ERR_NOMEM);
  }
  return MUC_OK;
}

static void begin(muc_service *svc)
{
  svc->now = svc->cb.now(svc->ud);
  svc->err = MUC_OK;
}

/* Rooms end when nobody is left in a temporary room (§10.1.1), or when
 * they were destroyed. */
static void collect(muc_room *room)
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
  if (room->npending >= svc->cfg.max_pending_stanzas) {
    muc_send_error(svc, st, "wait", "resource-constraint",
                   "The room is loading", room->jid);
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

static int route(muc_service *svc, const mxml_node_t *st, int may_load);

/* Ask the host for a room; stanzas wait in the room until it answers. */
static int start_load(muc_service *svc, const mxml_node_t *st, const char *node)
{
  muc_room *room = muc_room_new(svc, node);
  if (!room) {
    if (svc->err == MUC_OK)
      muc_send_error(svc, st, "wait", "resource-constraint", NULL, svc->domain);
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

static int route(muc_service *svc, const mxml_node_t *st, int may_load)
{
  if (!is_stanza(st))
    return MUC_ERR_BAD_STANZA;
  muc_xml_limits lim = {svc->cfg.max_stanza_bytes, svc->cfg.max_depth,
                        svc->cfg.max_attrs, svc->cfg.max_children};
  if (muc_xml_check(st, &lim) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  const char *fa = muc_xml_attr(st, "from"), *ta = muc_xml_attr(st, "to");
  if (!fa || !ta)
    return MUC_ERR_BAD_STANZA;
  muc_jid from = {0}, to = {0};
  int rc = parse_jid(svc, fa, &from);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_BAD_STANZA;
  rc = parse_jid(svc, ta, &to);
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
      muc_presence_create_room(svc, st, &from, &to);
    else if (!is_error && !(type && strcmp(type, "unavailable") == 0))
      muc_send_error(svc, st, "cancel", "item-not-found", NULL, svc->domain);
    room = muc_map_get(&svc->rooms, to.node);
  } else {
    muc_room_handle(room, st, &from, &to);
  }
  if (room)
    collect(room);
out:
  mxmlDelete(normalized);
  muc_jid_clear(&svc->mem, &from);
  muc_jid_clear(&svc->mem, &to);
  return rc;
}

static int finish(muc_service *svc, int rc)
{
  if (svc->err != MUC_OK && (rc == MUC_OK || muc_error_is_fatal(svc->err)))
    return svc->err;
  return rc;
}

int muc_service_handle_stanza(muc_service *svc, const mxml_node_t *stanza)
{
  if (!svc || !stanza)
    return MUC_ERR_INVALID_ARG;
  begin(svc);
  return finish(svc, route(svc, stanza, 1));
}

int muc_service_handle_xml(muc_service *svc, const char *xml, size_t len)
{
  if (!svc || (!xml && len))
    return MUC_ERR_INVALID_ARG;
  begin(svc);
  muc_xml_limits lim = {svc->cfg.max_stanza_bytes, svc->cfg.max_depth,
                        svc->cfg.max_attrs, svc->cfg.max_children};
  mxml_node_t *st = NULL;
  int rc = muc_xml_parse(&svc->mem, xml ? xml : "", len, &lim, &st);
  if (rc != MUC_OK)
    return rc;
  rc = route(svc, st, 1);
  mxmlDelete(st);
  return finish(svc, rc);
}

int muc_service_session_ended(muc_service *svc, const char *full_jid)
{
  if (!svc || !full_jid)
    return MUC_ERR_INVALID_ARG;
  begin(svc);
  muc_jid from;
  int rc = muc_jid_parse(&svc->mem, full_jid, &from);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  muc_room *room = svc->rfirst;
  while (room) {
    muc_room *next = room->next;
    muc_occupant *occ = muc_room_occupant_by_jid(room, from.full);
    if (occ) {
      /* as if the session had sent unavailable presence to its nick */
      mxml_node_t *pr = muc_stanza_new(svc, "presence", from.full, occ->occ_jid,
                                       "unavailable", NULL);
      if (pr) {
        muc_jid to = {.node = room->node,
                      .domain = svc->domain,
                      .resource = occ->nick,
                      .bare = room->jid,
                      .full = occ->occ_jid};
        muc_presence_to_occupant(room, pr, &from, &to);
        mxmlDelete(pr);
      }
      collect(room);
    }
    room = next;
  }
  muc_jid_clear(&svc->mem, &from);
  return finish(svc, MUC_OK);
}

int muc_service_room_loaded(muc_service *svc, const char *room_jid,
                            const char *data, size_t len)
{
  if (!svc || !room_jid)
    return MUC_ERR_INVALID_ARG;
  muc_jid j;
  int rc = muc_jid_parse(&svc->mem, room_jid, &j);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  muc_room *room = j.node && strcmp(j.domain, svc->domain) == 0
                       ? muc_map_get(&svc->rooms, j.node)
                       : NULL;
  muc_jid_clear(&svc->mem, &j);
  if (!room || !room->loading)
    return MUC_ERR_INVALID_ARG;
  svc->now = svc->cb.now(svc->ud);
  /* keep the caller's error state if called from inside load_room */
  int outer_err = svc->err;
  svc->err = MUC_OK;
  muc_pending *queue = room->pending_first;
  room->pending_first = room->pending_last = NULL;
  room->npending = 0;
  int result = MUC_OK;
  int found = 0;
  if (data) {
    rc = muc_store_read(room, data, len);
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
      route(svc, queue->stanza, 0);
    mxmlDelete(queue->stanza);
    muc_mem_free(&svc->mem, queue);
    queue = n;
  }
  int err = svc->err;
  svc->err = outer_err;
  if (result != MUC_OK)
    return result;
  return err;
}

int muc_service_shutdown(muc_service *svc)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  begin(svc);
  muc_codes codes = {0};
  muc_codes_add(&codes, 332);
  muc_room *room = svc->rfirst;
  while (room) {
    muc_room *next = room->next;
    muc_pub p = {.base = &codes};
    muc_room_evict_all(room, &p);
    muc_room_save(room, 0);
    muc_room_free(room);
    room = next;
  }
  return finish(svc, MUC_OK);
}

uint64_t muc_service_next_deadline(const muc_service *svc)
{
  uint64_t t = UINT64_MAX;
  if (!svc)
    return t;
  for (const muc_room *r = svc->rfirst; r; r = r->next)
    if (r->locked_until && r->locked_until < t)
      t = r->locked_until;
  return t;
}

int muc_service_handle_timeout(muc_service *svc)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  begin(svc);
  for (muc_room *r = svc->rfirst; r; r = r->next)
    muc_room_is_locked(r);
  return finish(svc, MUC_OK);
}

const char *muc_service_get_domain(const muc_service *svc)
{
  return svc ? svc->domain : NULL;
}

size_t muc_service_get_room_count(const muc_service *svc)
{
  return svc ? svc->nrooms : 0;
}

size_t muc_service_get_memory_usage(const muc_service *svc)
{
  return svc ? svc->mem.in_use : 0;
}

muc_room *muc_service_find_room(const muc_service *svc, const char *room)
{
  if (!svc || !room)
    return NULL;
  muc_mem m = svc->mem; /* a copy: lookups must not change the service */
  muc_jid j;
  char *node = NULL;
  if (strchr(room, '@')) {
    if (muc_jid_parse(&m, room, &j) != MUC_OK)
      return NULL;
    if (j.node && !j.resource && strcmp(j.domain, svc->domain) == 0)
      node = muc_mem_strdup(&m, j.node);
    muc_jid_clear(&m, &j);
  } else {
    size_t n = strlen(room) + strlen(svc->domain) + 2;
    char *full = muc_mem_malloc(&m, n);
    if (!full)
      return NULL;
    snprintf(full, n, "%s@%s", room, svc->domain);
    if (muc_jid_parse(&m, full, &j) == MUC_OK) {
      if (j.node && !j.resource)
        node = muc_mem_strdup(&m, j.node);
      muc_jid_clear(&m, &j);
    }
    muc_mem_free(&m, full);
  }
  if (!node)
    return NULL;
  muc_room *r = muc_map_get(&svc->rooms, node);
  muc_mem_free(&m, node);
  return r && !r->loading ? r : NULL;
}

const char *muc_room_get_jid(const muc_room *room)
{
  return room ? room->jid : NULL;
}

size_t muc_room_get_occupant_count(const muc_room *room)
{
  return room ? room->noccupants : 0;
}

const char *muc_room_get_subject(const muc_room *room)
{
  return room && room->subject ? room->subject : "";
}

muc_affiliation muc_room_get_affiliation(const muc_room *room, const char *jid)
{
  if (!room || !jid)
    return MUC_AFFIL_NONE;
  muc_mem m = room->svc->mem;
  muc_jid j;
  if (muc_jid_parse(&m, jid, &j) != MUC_OK)
    return MUC_AFFIL_NONE;
  muc_affiliation a = muc_room_affiliation(room, j.bare);
  muc_jid_clear(&m, &j);
  return a;
}

muc_role muc_room_get_role(const muc_room *room, const char *nick)
{
  if (!room || !nick)
    return MUC_ROLE_NONE;
  const muc_occupant *o = muc_room_occupant_by_nick(room, nick);
  return o ? o->role : MUC_ROLE_NONE;
}
