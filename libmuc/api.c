/* The frame of the room administration API: naming rooms, checking the
 * host's strings, running changes as calls of their own, and the answer
 * buffer of reading calls. */
#include "api.h"

#include <stdio.h>
#include <string.h>

#include "room_permit.h"
#include "route.h"
#include "xml.h"

static int run_op(muc_service *svc, const muc_call_op *call);

static int nomem(muc_service *svc)
{
  svc->fatal = MUC_ERR_NOMEM;
  return MUC_ERR_NOMEM;
}
static void release_op(muc_service *svc, muc_call_op *call);

/* The prepared local part of |room| ("node@domain" of this service, or
 * "node"), copied.  MUC_OK, MUC_ERR_INVALID_ARG or MUC_ERR_NOMEM. */
static int room_node(muc_service *svc, const char *room, char **out)
{
  *out = NULL;
  if (!room || !muc_utf8_xml_valid(room, strlen(room)))
    return MUC_ERR_INVALID_ARG;
  int rc;
  muc_jid j;
  if (strchr(room, '@')) {
    rc = muc_jid_parse(&svc->mem, room, &j);
  } else {
    size_t n = strlen(room) + strlen(svc->domain) + 2;
    char *full = muc_mem_malloc(&svc->mem, n);
    if (!full)
      return MUC_ERR_NOMEM;
    snprintf(full, n, "%s@%s", room, svc->domain);
    rc = muc_jid_parse(&svc->mem, full, &j);
    muc_mem_free(&svc->mem, full);
  }
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  if (j.node && !j.resource && strcmp(j.domain, svc->domain) == 0) {
    *out = muc_mem_strdup(&svc->mem, j.node);
    rc = *out ? MUC_OK : MUC_ERR_NOMEM;
  } else {
    rc = MUC_ERR_INVALID_ARG;
  }
  muc_jid_clear(&svc->mem, &j);
  return rc;
}

/* ---- rooms in storage ----------------------------------------------------
 * A room not in memory is asked of the host (load_room) as a stanza for
 * it would be: a load of its own, run as a call of the service.  When the
 * host answers inside load_room the room is there when the call returns;
 * otherwise the admin call answers MUC_ERR_LOADING and the host calls
 * again after muc_service_room_loaded.  From inside a callback the load
 * is queued (MUC_ERR_LOADING). */

typedef struct load_op {
  muc_call_op call;
  char *node;
} load_op;

static int run_load(muc_service *svc, const muc_call_op *call)
{
  return muc_route_load(svc, ((const load_op *)call)->node);
}

static void release_load(muc_service *svc, muc_call_op *call)
{
  load_op *op = (load_op *)call;
  muc_mem_free(&svc->mem, op->node);
  muc_mem_free(&svc->mem, op);
}

/* Ask for the room |node|: the call's code (MUC_OK: asked). */
static int ask_storage(muc_service *svc, const char *node)
{
  load_op *op = muc_mem_calloc(&svc->mem, 1, sizeof(*op));
  if (!op || !(op->node = muc_mem_strdup(&svc->mem, node))) {
    muc_mem_free(&svc->mem, op);
    svc->fatal = MUC_ERR_NOMEM;
    return MUC_ERR_NOMEM;
  }
  op->call.run = run_load;
  op->call.release = release_load;
  int queued = svc->depth != 0;
  int rc = muc_service_call_op(svc, &op->call);
  return rc == MUC_OK && queued ? MUC_ERR_LOADING : rc;
}

/* May storage hold the room |node|, not in memory?  Not when it has just
 * said it does not (svc->absent_node). */
static int may_be_stored(const muc_service *svc, const char *node)
{
  return svc->cb.load_room &&
         !(svc->absent_node && strcmp(svc->absent_node, node) == 0);
}

static muc_room *live(muc_service *svc, const char *node)
{
  muc_room *room = muc_map_get(&svc->rooms, node);
  return room && !room->destroyed ? room : NULL;
}

/* The room |node| names, for an operation that needs one (|want| 1) or
 * must not find one (|want| 0): from memory, or from storage if |load|. */
static int find(muc_service *svc, const char *node, int want, int load,
                muc_room **out)
{
  muc_room *room = live(svc, node);
  if (!room && load && !muc_map_get(&svc->rooms, node) &&
      may_be_stored(svc, node)) {
    int rc = ask_storage(svc, node);
    if (rc != MUC_OK)
      return rc;
    room = live(svc, node);
  }
  *out = room;
  if (room && room->loading)
    return MUC_ERR_LOADING;
  if (!want)
    return room ? MUC_ERR_EXISTS : MUC_OK;
  return room ? MUC_OK : MUC_ERR_NOT_FOUND;
}

/* The room named |room|, in memory only (|load| 0) or from storage too:
 * MUC_OK and *|out|, or the code. */
static int named(muc_service *svc, const char *room, int load, muc_room **out)
{
  *out = NULL;
  if (svc->fatal != MUC_OK)
    return svc->fatal;
  char *node;
  int rc = room_node(svc, room, &node);
  if (rc == MUC_ERR_NOMEM)
    return nomem(svc);
  if (rc != MUC_OK)
    return rc;
  if (load)
    rc = find(svc, node, 1, 1, out);
  else
    *out = live(svc, node);
  muc_mem_free(&svc->mem, node);
  return rc;
}

int muc_api_in_memory(muc_service *svc, const char *room, muc_room **out)
{
  return named(svc, room, 0, out);
}

int muc_api_room(muc_service *svc, const char *room, muc_room **out)
{
  return named(svc, room, 1, out);
}

int muc_api_listing(muc_service *svc, const char *room, const void *out,
                    size_t max, size_t *n, muc_room **r)
{
  *r = NULL;
  if (!svc || !n || (!out && max))
    return MUC_ERR_INVALID_ARG;
  *n = 0;
  return muc_api_room(svc, room, r);
}

int muc_api_op_new(muc_service *svc, const char *room, const char **strs,
                   size_t nstr, muc_api_op **out)
{
  *out = NULL;
  if (svc->fatal != MUC_OK)
    return svc->fatal;
  muc_api_op *op = muc_mem_calloc(&svc->mem, 1, sizeof(*op));
  if (!op)
    return nomem(svc);
  int rc = room_node(svc, room, &op->node);
  for (size_t i = 0; rc == MUC_OK && i < nstr && i < MUC_API_STRS; i++)
    if (strs[i] && !(op->str[i] = muc_mem_strdup(&svc->mem, strs[i])))
      rc = MUC_ERR_NOMEM;
  if (rc != MUC_OK) {
    muc_api_op_free(svc, op);
    return rc == MUC_ERR_NOMEM ? nomem(svc) : rc;
  }
  op->call.run = run_op;
  op->call.release = release_op;
  *out = op;
  return MUC_OK;
}

static void release_op(muc_service *svc, muc_call_op *call)
{
  muc_api_op_free(svc, (muc_api_op *)call);
}

void muc_api_op_free(muc_service *svc, muc_api_op *op)
{
  if (!op)
    return;
  muc_mem_free(&svc->mem, op->node);
  for (size_t i = 0; i < MUC_API_STRS; i++)
    muc_mem_free(&svc->mem, op->str[i]);
  for (size_t i = 0; i < 4; i++)
    muc_mem_free(&svc->mem, op->ostr[i]);
  for (size_t i = 0; i < op->nvals; i++)
    muc_mem_free(&svc->mem, op->vals[i]);
  muc_mem_free(&svc->mem, op->vals);
  muc_mem_free(&svc->mem, op);
}

/* The room of |op| and the verdict of its rules on it.  |load|: the
 * room may be asked of storage (when the call is made; a room gone by the
 * time it runs is not brought back). */
static int checked(muc_service *svc, const muc_api_op *op, int load,
                   muc_room **room)
{
  int rc = find(svc, op->node, !op->new_room, load, room);
  if (rc == MUC_OK && op->check)
    rc = op->check(svc, *room, op);
  return rc;
}

/* The work of the call (muc_call_op.run). */
static int run_op(muc_service *svc, const muc_call_op *call)
{
  const muc_api_op *op = (const muc_api_op *)call;
  muc_room *room;
  int rc = checked(svc, op, 0, &room);
  if (rc != MUC_OK)
    return rc;
  size_t before = room ? room->noccupants : 0;
  rc = op->apply(svc, room, op);
  /* as after a stanza: a destroyed room, or a temporary one its last
   * occupant just left, is freed (a new empty room stays) */
  room = muc_map_get(&svc->rooms, op->node);
  if (room && (room->destroyed || (before && !room->noccupants)))
    muc_route_collect(room);
  return rc;
}

int muc_api_submit(muc_service *svc, muc_api_op *op)
{
  /* from a callback: told now what the room's state says, done later;
   * otherwise the room is brought from storage first, if it must be */
  muc_room *room;
  int rc = svc->depth ? checked(svc, op, 1, &room)
                      : find(svc, op->node, !op->new_room, 1, &room);
  if (rc != MUC_OK) {
    muc_api_op_free(svc, op);
    return rc;
  }
  return muc_service_call_op(svc, &op->call);
}

int muc_api_submit_change(muc_service *svc, const char *room, char *target,
                          const char *reason, int num, muc_api_fn check,
                          muc_api_fn apply)
{
  const char *strs[] = {target, reason};
  muc_api_op *op;
  int rc = muc_api_op_new(svc, room, strs, 2, &op);
  muc_mem_free(&svc->mem, target);
  if (rc != MUC_OK)
    return rc;
  op->num = num;
  op->check = check;
  op->apply = apply;
  return muc_api_submit(svc, op);
}

/* ---- the host's rights ----------------------------------------------------
 */

int muc_api_permit(muc_room *room, muc_permit_case c)
{
  c.actor_aff = MUC_AFFIL_HOST;
  c.facts |= muc_room_facts(room);
  const muc_permit_rule *rule = muc_permit(&c);
  if (rule->outcome == MUC_PERMIT_ALLOW)
    return MUC_OK;
  if (rule->outcome == MUC_PERMIT_REFUSE &&
      rule->refusal == MUC_REFUSE_ADMIN_NOT_FOUND)
    return MUC_ERR_NOT_FOUND;
  return MUC_ERR_NOT_ALLOWED;
}

/* ---- the host's strings -------------------------------------------------- */

int muc_api_text_code(const char *s, uint32_t max)
{
  if (!s)
    return MUC_OK;
  size_t n = strlen(s);
  if (!muc_utf8_xml_valid(s, n))
    return MUC_ERR_INVALID_ARG;
  return n > max ? MUC_ERR_LIMIT : MUC_OK;
}

int muc_api_text_ok(const char *s, uint32_t max)
{
  return muc_api_text_code(s, max) == MUC_OK;
}

int muc_api_bare(muc_service *svc, const char *jid, char **out)
{
  *out = NULL;
  if (!jid || !muc_utf8_xml_valid(jid, strlen(jid)))
    return MUC_ERR_INVALID_ARG;
  muc_jid j;
  int rc = muc_jid_parse(&svc->mem, jid, &j);
  if (rc != MUC_OK)
    return rc == MUC_ERR_NOMEM ? rc : MUC_ERR_INVALID_ARG;
  *out = muc_mem_strdup(&svc->mem, j.bare);
  muc_jid_clear(&svc->mem, &j);
  return *out ? MUC_OK : MUC_ERR_NOMEM;
}

/* ---- answers --------------------------------------------------------- */

void muc_api_answer_reset(muc_service *svc)
{
  muc_buf_reset(&svc->answer);
}

size_t muc_api_answer_put(muc_service *svc, const char *s, size_t n)
{
  size_t off = svc->answer.len;
  if (muc_buf_append(&svc->answer, s, n) != MUC_OK ||
      muc_buf_putc(&svc->answer, 0) != MUC_OK) {
    svc->fatal = MUC_ERR_NOMEM;
    return (size_t)-1;
  }
  return off;
}

const char *muc_api_answer_at(const muc_service *svc, size_t off)
{
  return svc->answer.data + off;
}
