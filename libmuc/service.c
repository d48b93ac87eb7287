/* The service: lifecycle and the entry points.  Every entry point runs
 * as one "call": the host's clock is read, the work is done, and the
 * deliveries it queued are handed out.  A call made from inside a
 * callback is deferred (copied into a queue of calls) and run after the
 * call in progress, so no callback ever sees, or changes, a half-done
 * state change. */
#include <string.h>

#include "abi.h"
#include "call.h"
#include "core.h"
#include "deliver.h"
#include "feed.h"
#include "hibernate.h"
#include "hooks.h"
#include "jidcache.h"
#include "occupant.h"
#include "ops.h"
#include "residue.h"
#include "room.h"
#include "roomlist.h"
#include "route.h"
#include "stanza.h"
#include "timer.h"

static int config_valid(const muc_config *c)
{
  return (c->room_whois == MUC_WHOIS_MODERATORS ||
          c->room_whois == MUC_WHOIS_ANYONE) &&
         c->room_allow_pm >= MUC_PM_ANYONE &&
         c->room_allow_pm <= MUC_PM_NOBODY &&
         c->room_presence_broadcast <= MUC_ROLES_ALL && c->max_depth > 0 &&
         c->max_stanza_bytes > 0 && c->max_attrs > 0 && c->max_children > 0 &&
         c->max_nick_bytes > 0 && c->max_pending_stanzas > 0 &&
         c->max_subject_bytes > 0 && c->max_reason_bytes > 0 &&
         c->max_room_name_bytes > 0 && c->max_password_bytes > 0 &&
         c->max_form_value_bytes > 0 && c->max_archive_page > 0;
}

static int service_create(muc_service **psvc, const char *domain,
                          int callbacks_version, const muc_callbacks *cb,
                          int config_version, const muc_config *cfg,
                          const muc_allocator *mem, void *user_data,
                          muc_send_tree_fn send_tree)
{
  if (!psvc)
    return MUC_ERR_INVALID_ARG;
  *psvc = NULL;
  muc_callbacks c;
  muc_config conf;
  if (!domain || muc_callbacks_import(callbacks_version, cb, &c) != MUC_OK ||
      muc_config_import(config_version, cfg, &conf) != MUC_OK)
    return MUC_ERR_INVALID_ARG;
  if (!c.now || (!c.send_bytes && !send_tree) || !config_valid(&conf))
    return MUC_ERR_INVALID_ARG;
  if (mem && (!mem->malloc || !mem->realloc || !mem->free))
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
  muc_mem_keep_spares(&svc->mem);
  svc->cb = c;
  svc->send_tree = send_tree;
  svc->cfg = conf;
  svc->ud = user_data;
  svc->domain = dom;
  muc_map_init(&svc->rooms);
  muc_map_init(&svc->creators);
  muc_buf_init(&svc->scratch, &svc->mem);
  muc_buf_init(&svc->out, &svc->mem);
  muc_buf_init(&svc->answer, &svc->mem);
  muc_outq_init(&svc->outq, &svc->mem);
  *psvc = svc;
  return MUC_OK;
}

int muc_service_new_versioned(muc_service **psvc, const char *domain,
                              int callbacks_version, const muc_callbacks *cb,
                              int config_version, const muc_config *cfg,
                              const muc_allocator *mem, void *user_data)
{
  return service_create(psvc, domain, callbacks_version, cb, config_version,
                        cfg, mem, user_data, NULL);
}

int muc_service_new_tree_versioned(muc_service **psvc, const char *domain,
                                   muc_send_tree_fn send_tree,
                                   int callbacks_version,
                                   const muc_callbacks *cb, int config_version,
                                   const muc_config *cfg,
                                   const muc_allocator *mem, void *user_data)
{
  if (!send_tree) {
    if (psvc)
      *psvc = NULL;
    return MUC_ERR_INVALID_ARG;
  }
  return service_create(psvc, domain, callbacks_version, cb, config_version,
                        cfg, mem, user_data, send_tree);
}

/* Free what |c| holds (not |c| itself). */
static void call_release(muc_service *svc, muc_call *c)
{
  /* the service's own stanza tree: the next text parse refills it */
  if (c->kind == MUC_CALL_STANZA && c->tree && !svc->spare_tree)
    svc->spare_tree = c->tree;
  else
    mxmlDelete(c->tree);
  muc_mem_free(&svc->mem, c->jid);
  muc_mem_free(&svc->mem, c->data);
  if (c->op)
    c->op->release(svc, c->op);
}

static void call_free(muc_service *svc, muc_call *c)
{
  call_release(svc, c);
  muc_mem_free(&svc->mem, c);
}

static void calls_free(muc_service *svc)
{
  while (svc->calls_first) {
    muc_call *c = svc->calls_first;
    svc->calls_first = c->next;
    call_free(svc, c);
  }
  svc->calls_last = NULL;
}

int muc_service_free(muc_service *svc)
{
  if (!svc)
    return MUC_OK;
  if (svc->depth)
    return MUC_ERR_IN_CALLBACK;
  muc_feed_free(svc);
  while (svc->rfirst)
    muc_room_free(svc->rfirst);
  muc_hooks_free(svc);
  calls_free(svc);
  muc_jidcache_free(svc);
  muc_timer_free(svc);
  muc_roomlist_free(svc);
  muc_mem_free(&svc->mem, svc->absent_node);
  muc_map_free(&svc->mem, &svc->rooms);
  muc_map_free(&svc->mem, &svc->creators); /* empty: every room forgot */
  muc_outq_free(&svc->outq);
  muc_buf_free(&svc->scratch);
  muc_buf_free(&svc->out);
  muc_buf_free(&svc->answer);
  mxmlDelete(svc->spare_tree);
  muc_mem_drop_spares(&svc->mem);
  muc_mem m = svc->mem;
  muc_mem_free(&m, svc->domain);
  muc_mem_free(&m, svc);
  return MUC_OK;
}

/* ---- the work of each kind of call --------------------------------------- */

static int do_session_ended(muc_service *svc, const char *full_jid)
{
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
        muc_op_leave(room, &from, occ, pr);
        mxmlDelete(pr);
      }
      muc_route_collect(room);
    }
    room = next;
  }
  muc_jid_clear(&svc->mem, &from);
  return MUC_OK;
}

/* The room a room_loaded call answers, if a load is pending for it. */
static int loading_room(muc_service *svc, const char *room_jid, muc_room **out)
{
  *out = NULL;
  muc_jid j;
  int rc = muc_jid_parse(&svc->mem, room_jid, &j);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  int is_room = j.node && !j.resource;
  muc_room *room = is_room && strcmp(j.domain, svc->domain) == 0
                       ? muc_map_get(&svc->rooms, j.node)
                       : NULL;
  muc_jid_clear(&svc->mem, &j);
  if (!is_room)
    return MUC_ERR_INVALID_ARG;
  if (!room || !room->loading)
    return MUC_ERR_NOT_FOUND;
  *out = room;
  return MUC_OK;
}

static int do_room_loaded(muc_service *svc, const muc_call *c)
{
  muc_room *room;
  int rc = loading_room(svc, c->jid, &room);
  if (rc != MUC_OK)
    return rc;
  return muc_route_loaded(svc, room, c->data, c->len);
}

static int do_shutdown(muc_service *svc)
{
  muc_room *room = svc->rfirst;
  while (room) {
    muc_room *next = room->next;
    if (room->loading) {
      /* nobody is in it yet, and its queued senders are still owed the
       * answer the host's storage will bring */
      room = next;
      continue;
    }
    muc_op_shut_down(room);
    if (muc_roomlist_keep(room) != MUC_OK)
      muc_fail(svc, MUC_ERR_NOMEM);
    /* a persistent room's record stays (when there is storage): it is
     * "stored" for the feed, not "gone" */
    if (svc->feed && svc->cb.store_room && room->cfg.persistent &&
        !room->destroyed)
      muc_feed_room_stored(room);
    muc_room_free(room);
    room = next;
  }
  muc_roomlist_flush(svc, 1);
  return MUC_OK;
}

static int do_timeout(muc_service *svc)
{
  muc_room *r;
  while ((r = muc_timer_pop_due(svc, svc->now)) != NULL) {
    r->locked_until = 0; /* the creator never configured it: open it */
    muc_feed_touch_part(r, MUC_FEED_PART_HEAD);
  }
  muc_hibernate_expire(svc);
  muc_roomlist_flush(svc, 0);
  return MUC_OK;
}

static int do_call(muc_service *svc, const muc_call *c)
{
  switch (c->kind) {
  case MUC_CALL_STANZA:
    return muc_route_stanza(svc, c->tree, 1);
  case MUC_CALL_SESSION_ENDED:
    return do_session_ended(svc, c->jid);
  case MUC_CALL_ROOM_LOADED:
    return do_room_loaded(svc, c);
  case MUC_CALL_SHUTDOWN:
    return do_shutdown(svc);
  case MUC_CALL_HIBERNATE:
    return muc_hibernate_all(svc);
  case MUC_CALL_RESTORE:
    return muc_snapshot_restore(svc, c->data, c->len);
  case MUC_CALL_APPLY:
    return muc_feed_apply(svc, c->data, c->len);
  case MUC_CALL_ADMIN:
    return c->op->run(svc, c->op);
  case MUC_CALL_TIMEOUT:
  default:
    return do_timeout(svc);
  }
}

/* ---- running calls ------------------------------------------------------- */

/* The call's result: its own code, unless a failure recorded on the way
 * is worse (fatal) or the call itself reported nothing. */
static int result_of(muc_service *svc, int rc)
{
  if (svc->oom)
    return MUC_ERR_NOMEM;
  if (svc->err != MUC_OK && (rc == MUC_OK || muc_error_is_fatal(svc->err)))
    return svc->err;
  return rc;
}

/* One call: do it, then hand out what it queued. */
static int step(muc_service *svc, const muc_call *c)
{
  svc->now = svc->cb.now(svc->ud);
  svc->err = MUC_OK;
  svc->oom = 0;
  muc_roomlist_request(svc);
  int rc = do_call(svc, c);
  muc_feed_flush(svc);
  muc_deliver_all(svc);
  rc = result_of(svc, rc);
  if (muc_error_is_fatal(rc))
    svc->fatal = rc;
  return rc;
}

/* The first failure of a run of calls, a fatal one before all others. */
static int fold(int so_far, int rc)
{
  if (so_far == MUC_OK ||
      (muc_error_is_fatal(rc) && !muc_error_is_fatal(so_far)))
    return rc;
  return so_far;
}

/* The outermost call, then every call deferred while it ran. */
static int run(muc_service *svc, const muc_call *first)
{
  /* what the last admin read handed out */
  muc_buf_free(&svc->answer);
  svc->depth = 1;
  int rc = step(svc, first);
  while (svc->calls_first && !svc->fatal) {
    muc_call *c = svc->calls_first;
    svc->calls_first = c->next;
    if (!svc->calls_first)
      svc->calls_last = NULL;
    rc = fold(rc, step(svc, c));
    call_free(svc, c);
  }
  calls_free(svc); /* after a fatal error nothing more runs */
  /* what reads from callbacks handed out: the callbacks are over */
  muc_buf_free(&svc->answer);
  muc_residue_trim(svc);
  svc->depth = 0;
  return rc;
}

/* Called from inside a callback: keep |c| (moved into the service's
 * memory) for after the call in progress. */
static int defer(muc_service *svc, const muc_call *c)
{
  muc_call *d = muc_mem_malloc(&svc->mem, sizeof(*d));
  if (!d) {
    svc->fatal = MUC_ERR_NOMEM;
    return MUC_ERR_NOMEM;
  }
  *d = *c;
  d->next = NULL;
  if (svc->calls_last)
    svc->calls_last->next = d;
  else
    svc->calls_first = d;
  svc->calls_last = d;
  return MUC_OK;
}

/* Run |c| now, or defer it when a call is in progress.  |c|'s tree and
 * strings are the service's to free. */
static int call(muc_service *svc, muc_call *c)
{
  int rc = svc->depth ? defer(svc, c) : run(svc, c);
  if (!svc->depth || rc != MUC_OK)
    call_release(svc, c); /* else the deferred copy owns them */
  return rc;
}

int muc_service_call_op(muc_service *svc, muc_call_op *op)
{
  muc_call c = {.kind = MUC_CALL_ADMIN, .op = op};
  return call(svc, &c);
}

static int usable(const muc_service *svc)
{
  return svc->fatal == MUC_OK;
}

/* ---- entry points -------------------------------------------------------- */

static muc_xml_limits limits_of(const muc_service *svc)
{
  muc_xml_limits lim = {svc->cfg.max_stanza_bytes, svc->cfg.max_depth,
                        svc->cfg.max_attrs, svc->cfg.max_children};
  return lim;
}

static int nomem(muc_service *svc)
{
  svc->fatal = MUC_ERR_NOMEM;
  return MUC_ERR_NOMEM;
}

int muc_service_handle_xml(muc_service *svc, const char *xml, size_t len)
{
  if (!svc || (!xml && len))
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  muc_xml_limits lim = limits_of(svc);
  muc_call c = {.kind = MUC_CALL_STANZA};
  mxml_node_t *spare = svc->spare_tree;
  svc->spare_tree = NULL;
  int rc = muc_xml_parse_reusing(&svc->mem, xml ? xml : "", len, &lim, spare,
                                 &c.tree);
  if (rc == MUC_ERR_NOMEM)
    return nomem(svc);
  if (rc != MUC_OK)
    return rc;
  return call(svc, &c);
}

int muc_service_handle_stanza(muc_service *svc, const mxml_node_t *stanza)
{
  if (!svc || !stanza)
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  muc_xml_limits lim = limits_of(svc);
  if (muc_xml_check(stanza, &lim) != MUC_OK)
    return MUC_ERR_BAD_STANZA;
  /* the host's tree is borrowed for this call only: a deferred call needs
   * its own copy, and an immediate one works on the host's */
  muc_call c = {.kind = MUC_CALL_STANZA};
  if (!svc->depth) {
    c.tree = (mxml_node_t *)stanza;
    int rc = run(svc, &c);
    return rc;
  }
  c.tree = muc_xml_copy(NULL, stanza);
  if (!c.tree)
    return nomem(svc);
  return call(svc, &c);
}

int muc_service_session_ended(muc_service *svc, const char *full_jid)
{
  if (!svc || !full_jid)
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  /* checked now, so that a nested call with a bad JID is told at once */
  muc_jid j;
  int rc = muc_jid_parse(&svc->mem, full_jid, &j);
  if (rc == MUC_ERR_NOMEM)
    return nomem(svc);
  if (rc != MUC_OK)
    return MUC_ERR_INVALID_ARG;
  int full = j.resource != NULL;
  muc_call c = {.kind = MUC_CALL_SESSION_ENDED};
  c.jid = full ? muc_mem_strdup(&svc->mem, j.full) : NULL;
  muc_jid_clear(&svc->mem, &j);
  if (!full)
    return MUC_ERR_INVALID_ARG;
  if (!c.jid)
    return nomem(svc);
  return call(svc, &c);
}

/* The answer for the stored room list (key: the domain), while it is
 * awaited; taken at once: it only fills the index of rooms not in
 * memory.  Otherwise the domain is no room JID (MUC_ERR_INVALID_ARG). */
static int room_list_loaded(muc_service *svc, const char *data, size_t len)
{
  svc->roomlist_asked = 2;
  int rc = muc_roomlist_loaded(svc, data, len);
  return rc == MUC_ERR_NOMEM ? nomem(svc) : rc;
}

int muc_service_room_loaded(muc_service *svc, const char *room_jid,
                            const char *data, size_t len)
{
  if (!svc || !room_jid || (!data && len))
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  if (svc->roomlist_asked == 1 && strcmp(room_jid, svc->domain) == 0)
    return room_list_loaded(svc, data, len);
  muc_room *room;
  int rc = loading_room(svc, room_jid, &room);
  if (rc == MUC_ERR_NOMEM)
    return nomem(svc);
  if (rc != MUC_OK)
    return rc;
  muc_call c = {.kind = MUC_CALL_ROOM_LOADED, .len = len};
  c.jid = muc_mem_strdup(&svc->mem, room_jid);
  if (data) {
    c.data = muc_mem_malloc(&svc->mem, len ? len : 1);
    if (c.data)
      memcpy(c.data, data, len);
  }
  if (!c.jid || (data && !c.data)) {
    muc_mem_free(&svc->mem, c.jid);
    muc_mem_free(&svc->mem, c.data);
    return nomem(svc);
  }
  return call(svc, &c);
}

int muc_call_with_data(muc_service *svc, muc_call_kind kind, const char *data,
                       size_t len)
{
  if (!svc || (!data && len))
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  muc_call c = {.kind = kind, .len = len};
  if (!(c.data = muc_mem_malloc(&svc->mem, len ? len : 1)))
    return nomem(svc);
  if (len)
    memcpy(c.data, data, len);
  return call(svc, &c);
}

int muc_service_shutdown(muc_service *svc)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  muc_call c = {.kind = MUC_CALL_SHUTDOWN};
  return call(svc, &c);
}

uint64_t muc_service_next_deadline(const muc_service *svc)
{
  if (!svc)
    return UINT64_MAX;
  uint64_t t = muc_timer_next(svc), h = muc_hibernate_deadline(svc),
           l = muc_roomlist_deadline(svc);
  t = h < t ? h : t;
  return l < t ? l : t;
}

int muc_service_handle_timeout(muc_service *svc)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  muc_call c = {.kind = MUC_CALL_TIMEOUT};
  return call(svc, &c);
}

int muc_service_hibernate_now(muc_service *svc)
{
  if (!svc)
    return MUC_ERR_INVALID_ARG;
  if (!usable(svc))
    return svc->fatal;
  muc_call c = {.kind = MUC_CALL_HIBERNATE};
  return call(svc, &c);
}
