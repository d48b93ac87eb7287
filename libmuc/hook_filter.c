/* The filter hooks: pre_join, pre_groupchat, pre_private_message (each
 * passes, rewrites, drops or refuses), the host's errors, and
 * message_archived. */
#include <string.h>

#include "hooks.h"
#include "occupant.h"
#include "stanza.h"

/* RFC 6120 §8.3.3: the defined conditions and the type each usually
 * goes with (rules as data: a host's condition is checked here). */
static const struct {
  const char *cond;
  const char *type;
} conditions[] = {
    {"bad-request", "modify"},
    {"conflict", "cancel"},
    {"feature-not-implemented", "cancel"},
    {"forbidden", "auth"},
    {"gone", "cancel"},
    {"internal-server-error", "cancel"},
    {"item-not-found", "cancel"},
    {"jid-malformed", "modify"},
    {"not-acceptable", "modify"},
    {"not-allowed", "cancel"},
    {"not-authorized", "auth"},
    {"policy-violation", "modify"},
    {"recipient-unavailable", "wait"},
    {"redirect", "modify"},
    {"registration-required", "auth"},
    {"remote-server-not-found", "cancel"},
    {"remote-server-timeout", "wait"},
    {"resource-constraint", "wait"},
    {"service-unavailable", "cancel"},
    {"subscription-required", "auth"},
    {"undefined-condition", "cancel"},
    {"unexpected-request", "wait"},
};
#define NCONDITIONS (sizeof(conditions) / sizeof(conditions[0]))

static const char *const error_types[] = {"auth", "cancel", "continue",
                                          "modify", "wait"};

static size_t condition_index(const char *cond)
{
  for (size_t i = 0; cond && i < NCONDITIONS; i++)
    if (strcmp(conditions[i].cond, cond) == 0)
      return i;
  return NCONDITIONS;
}

static int is_error_type(const char *type)
{
  for (size_t i = 0; type && i < sizeof(error_types) / sizeof(*error_types);
       i++)
    if (strcmp(error_types[i], type) == 0)
      return 1;
  return 0;
}

void muc_hook_refuse(muc_service *svc, const mxml_node_t *st, const char *by,
                     const muc_hook_error *e, const char *def_cond,
                     const char *def_type, int failed)
{
  const char *cond = failed ? "internal-server-error" : def_cond;
  const char *type = failed ? "cancel" : def_type;
  const char *text = NULL;
  if (!failed && e->condition) {
    size_t i = condition_index(e->condition);
    if (i == NCONDITIONS) {
      muc_log(svc, MUC_LOG_WARN,
              "a hook refused with \"%s\", not an "
              "RFC 6120 condition",
              e->condition);
      i = condition_index("internal-server-error");
    }
    cond = conditions[i].cond;
    type = conditions[i].type;
  }
  if (!failed && is_error_type(e->type))
    type = e->type;
  if (!failed)
    text = e->text;
  muc_send_error(svc, st, type, cond, text, by);
}

/* |st| serialized into |b| (initialized here; the caller frees it):
 * its own buffer, as the hook may hand stanzas in, which the service's
 * scratch buffer serves.  NULL on NOMEM (recorded). */
static const char *text_of(muc_service *svc, const mxml_node_t *st, muc_buf *b,
                           size_t *len)
{
  muc_buf_init(b, &svc->mem);
  muc_xml_write(b, st);
  muc_buf_putc(b, 0);
  if (b->oom) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL;
  }
  *len = b->len - 1;
  return b->data;
}

int muc_hook_filter_join(muc_service *svc, const mxml_node_t *st,
                         const char *room_jid, const muc_jid *from,
                         const char *nick, muc_affiliation aff, muc_role role,
                         int creating)
{
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  if (!s->h.pre_join)
    return 0;
  muc_hook_join j = {room_jid,  nick,     from->full, (int)aff,
                     (int)role, creating, NULL,       0};
  muc_buf text;
  int v = MUC_HOOK_DROP; /* out of memory, recorded */
  muc_hook_error e = {0};
  if ((j.xml = text_of(svc, st, &text, &j.len)))
    v = s->h.pre_join(&j, &e, s->ud);
  muc_buf_free(&text);
  if (v == MUC_HOOK_PASS)
    return 0;
  if (v < 0)
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
  if (v != MUC_HOOK_DROP || j.xml)
    muc_hook_refuse(svc, st, room_jid, &e, "forbidden", "auth", v < 0);
  return 1;
}

/* |st| with the body and payload of |rw|: a copy, or NULL when the
 * payload does not parse (|*bad|) or memory ran out (recorded). */
static mxml_node_t *rewrite(muc_service *svc, const mxml_node_t *st,
                            const muc_hook_rewrite *rw, int *bad)
{
  mxml_node_t *m = muc_xml_copy(NULL, st);
  if (!m) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL;
  }
  if (rw->body) {
    mxml_node_t *old = muc_xml_child(m, "body", MUC_NS_CLIENT);
    mxml_node_t *b = muc_xml_new_text(NULL, "body", NULL, rw->body);
    if (!b)
      goto nomem;
    mxmlAdd(m, old ? MXML_ADD_AFTER : MXML_ADD_BEFORE, old, b);
    if (old)
      mxmlDelete(old);
  }
  if (rw->payload) {
    muc_xml_limits lim = {svc->cfg.max_stanza_bytes, svc->cfg.max_depth,
                          svc->cfg.max_attrs, svc->cfg.max_children};
    mxml_node_t *p = NULL;
    int rc = muc_xml_parse(&svc->mem, rw->payload, rw->payload_len, &lim, &p);
    if (rc == MUC_ERR_NOMEM)
      goto nomem;
    if (rc != MUC_OK) {
      *bad = 1;
      mxmlDelete(m);
      return NULL;
    }
    mxmlAdd(m, MXML_ADD_AFTER, NULL, p);
  }
  return m;
nomem:
  muc_fail(svc, MUC_ERR_NOMEM);
  mxmlDelete(m);
  return NULL;
}

/* Ask |filter| about |st| from |occ| (session |sender|): its verdict and
 * |rw|; DROP when memory ran out (recorded). */
static int ask(muc_room *room, const mxml_node_t *st, const muc_occupant *occ,
               const muc_jid *sender, const char *to_nick,
               int (*filter)(const muc_hook_message *, muc_hook_rewrite *,
                             void *),
               muc_hook_rewrite *rw)
{
  muc_service *svc = room->svc;
  mxml_node_t *body = muc_xml_child(st, "body", MUC_NS_CLIENT);
  char *text = body ? muc_text(svc, body) : NULL;
  if (body && !text)
    return MUC_HOOK_DROP;
  muc_hook_message msg = {
      room->jid, occ->nick, sender->full, to_nick, muc_xml_attr(st, "id"), text,
      NULL,      0};
  muc_buf xml;
  int v = MUC_HOOK_DROP;
  if ((msg.xml = text_of(svc, st, &xml, &msg.len)))
    v = filter(&msg, rw, MUC_HOOK_SET(svc)->ud);
  muc_buf_free(&xml);
  muc_mem_free(&svc->mem, text);
  return v;
}

int muc_hook_filter_message(muc_room *room, const mxml_node_t *st,
                            const muc_occupant *occ, const muc_jid *sender,
                            const char *to_nick, mxml_node_t **rewritten)
{
  muc_service *svc = room->svc;
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  int (*filter)(const muc_hook_message *, muc_hook_rewrite *, void *) =
      to_nick ? s->h.pre_private_message : s->h.pre_groupchat;
  if (!filter)
    return 0;
  muc_hook_rewrite rw = {0};
  int v = ask(room, st, occ, sender, to_nick, filter, &rw);
  int bad = 0;
  if (v == MUC_HOOK_PASS)
    return 0;
  if (v == MUC_HOOK_MODIFY && (*rewritten = rewrite(svc, st, &rw, &bad)))
    return 0;
  if (v == MUC_HOOK_DROP || (v == MUC_HOOK_MODIFY && !bad))
    return 1; /* dropped, or out of memory (recorded) */
  if (v < 0 || bad)
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
  muc_hook_refuse(svc, st, room->jid, &rw.error, "not-acceptable", "modify",
                  v < 0 || bad);
  return 1;
}

void muc_hook_fire_archived(muc_service *svc, const muc_hook_archived *a)
{
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  if (s->h.message_archived && s->h.message_archived(a, s->ud) != 0)
    muc_fail(svc, MUC_ERR_STORAGE);
}
