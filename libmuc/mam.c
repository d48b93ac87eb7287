/* XEP-0313 for rooms (mam.h).  The room reads the query (its data form
 * and RSM set), asks the host's archive for one page, and forwards each
 * message as the archive stored it. */
#include "mam.h"

#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "datetime.h"
#include "form.h"
#include "occupant.h"
#include "permission.h"
#include "refusal.h"
#include "room.h"
#include "room_permit.h"
#include "stanza.h"

/* XEP-0313 §6, Prosody's rule: whoever could enter the room may read
 * its archive (not an outcast; in a members-only room a member). */
static int may_read(muc_room *room, const muc_jid *from)
{
  muc_affiliation a = muc_room_affiliation(room, from->bare);
  if (a == MUC_AFFIL_OUTCAST)
    return 0;
  return !room->cfg.members_only || a >= MUC_AFFIL_MEMBER ||
         muc_is_service_admin(room->svc, from->bare);
}

/* May |from| learn the senders' real JIDs, as the room's presences would
 * tell it now (a non-anonymous room, or a moderator in a semi-anonymous
 * one: the permission table)?  XEP-0313 §5.1.3. */
static int sees_jids(muc_room *room, const muc_jid *from)
{
  const muc_occupant *occ = muc_room_occupant_by_jid(room, from->full);
  muc_permit_case c = {.action = MUC_ACT_SEE_JIDS,
                       .facts = muc_room_facts(room),
                       .actor_aff = muc_room_affiliation(room, from->bare),
                       .actor_role = occ ? occ->role : MUC_ROLE_NONE};
  return muc_permit(&c)->outcome == MUC_PERMIT_ALLOW;
}

/* ---- the query form (§4.1.1) ---------------------------------------------
 */

static const struct {
  const char *var, *type;
} form_fields[] = {
    {"with", "jid-single"},      {"start", "text-single"},
    {"end", "text-single"},      {"before-id", "text-single"},
    {"after-id", "text-single"}, {"ids", "text-multi"},
};
#define NFORM (sizeof(form_fields) / sizeof(form_fields[0]))

static void send_form(muc_room *room, const mxml_node_t *st)
{
  muc_service *svc = room->svc;
  mxml_node_t *r = muc_iq_result(svc, st);
  mxml_node_t *q = muc_el(svc, r, "query", MUC_NS_MAM);
  mxml_node_t *x = muc_fx_new(svc, q, "form", NULL, NULL);
  muc_fx_form_type(svc, x, MUC_NS_MAM);
  for (size_t i = 0; i < NFORM; i++)
    muc_fx_field(svc, x, form_fields[i].var, form_fields[i].type, NULL);
  muc_send_free(svc, r);
}

/* ---- reading a query ---------------------------------------------------- */

typedef struct mam_request {
  muc_archive_query q;
  const char *queryid;
  int flip;       /* <flip-page/> */
  int count_only; /* <max>0</max>: the count, no message (XEP-0059 §2.7) */
  muc_form *form;
  muc_jid with;
  const char *bad; /* what is malformed (a field, "max") */
  int unknown;     /* a form field the room does not know */
  int sees_jids;   /* the asker may learn the senders' real JIDs */
} mam_request;

static int known_field(const char *var)
{
  if (strcmp(var, "FORM_TYPE") == 0)
    return 1;
  for (size_t i = 0; i < NFORM; i++)
    if (strcmp(var, form_fields[i].var) == 0)
      return 1;
  return 0;
}

/* A single non-empty value of |var| into *|out| (NULL: absent); 0, or -1
 * when malformed. */
static int one_value(const muc_form *f, const char *var, const char **out)
{
  const muc_form_field *fld = muc_form_get(f, var);
  *out = NULL;
  if (!fld)
    return 0;
  if (fld->nvalues != 1 || !*fld->values[0])
    return fld->nvalues == 0 ? 0 : -1;
  *out = fld->values[0];
  return 0;
}

static int date_value(const muc_form *f, const char *var, uint64_t *ms)
{
  const char *v;
  if (one_value(f, var, &v) != 0)
    return -1;
  return v ? muc_datetime_parse(v, ms) : 0;
}

/* The form's filters into |r|.  MUC_OK, MUC_ERR_NOMEM, or MUC_ERR_INVALID_ARG
 * with |r|->bad or |r|->unknown set. */
static int read_form(muc_service *svc, const mxml_node_t *x, mam_request *r)
{
  int rc = muc_form_parse(&svc->mem, x, &r->form);
  if (rc == MUC_ERR_NOMEM)
    return rc;
  const muc_form *f = r->form;
  if (rc != MUC_OK || strcmp(f->type, "submit") != 0 ||
      (f->form_type && strcmp(f->form_type, MUC_NS_MAM) != 0)) {
    r->bad = "form";
    return MUC_ERR_INVALID_ARG;
  }
  for (size_t i = 0; i < f->nfields; i++)
    if (!known_field(f->fields[i].var)) {
      r->unknown = 1;
      return MUC_ERR_INVALID_ARG;
    }
  const char *with;
  if (date_value(f, "start", &r->q.start) != 0)
    r->bad = "start";
  else if (date_value(f, "end", &r->q.end) != 0)
    r->bad = "end";
  else if (one_value(f, "before-id", &r->q.before_id) != 0)
    r->bad = "before-id";
  else if (one_value(f, "after-id", &r->q.after_id) != 0)
    r->bad = "after-id";
  else if (one_value(f, "with", &with) != 0)
    r->bad = "with";
  else if (with && (rc = muc_jid_parse(&svc->mem, with, &r->with)) != MUC_OK) {
    if (rc == MUC_ERR_NOMEM)
      return rc;
    r->bad = "with";
  }
  if (r->bad)
    return MUC_ERR_INVALID_ARG;
  r->q.with = with ? r->with.full : NULL;
  const muc_form_field *ids = muc_form_get(f, "ids");
  if (ids) {
    r->q.ids = (const char *const *)ids->values;
    r->q.nids = ids->nvalues;
  }
  return MUC_OK;
}

/* A number of XEP-0059 <max/>: digits only, at most 9 of them. */
static int read_max(const char *s, uint32_t *out)
{
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
    return -1;
  *out = (uint32_t)strtoul(s, NULL, 10);
  return 0;
}

/* The RSM set |set| into |r| (the texts are kept in |texts|, freed by
 * the caller).  As read_form. */
static int read_set(muc_service *svc, const mxml_node_t *set, mam_request *r,
                    char *texts[3])
{
  static const char *const names[] = {"max", "after", "before"};
  for (int i = 0; i < 3; i++) {
    texts[i] = muc_child_text(svc, set, names[i], MUC_NS_RSM);
    if (!texts[i] && muc_xml_child(set, names[i], MUC_NS_RSM))
      return MUC_ERR_NOMEM;
  }
  uint32_t max = svc->cfg.max_archive_page;
  if (texts[0] && read_max(texts[0], &max) != 0)
    r->bad = "max";
  else if (texts[1] && (!*texts[1] || texts[2]))
    r->bad = "after"; /* empty, or with <before/> */
  if (r->bad)
    return MUC_ERR_INVALID_ARG;
  r->count_only = max == 0;
  r->q.max = max == 0 ? 1 : max;
  r->q.rsm_after = texts[1];
  r->q.rsm_before = texts[2];
  return MUC_OK;
}

/* ---- answering ---------------------------------------------------------- */

/* One archived message, forwarded to the asker (§5). */
static void send_result(muc_room *room, const mam_request *r,
                        const muc_jid *from, const muc_archive_entry *e)
{
  muc_service *svc = room->svc;
  mxml_node_t *stored = muc_tree_of_text(svc, e->xml, e->len);
  if (!stored)
    return; /* out of memory (recorded), or the host's bytes do not parse */
  mxml_node_t *m =
      muc_stanza_new(svc, "message", room->jid, from->full, NULL, NULL);
  mxml_node_t *res = muc_el(svc, m, "result", MUC_NS_MAM);
  if (r->queryid)
    muc_attr(svc, res, "queryid", r->queryid);
  muc_attr(svc, res, "id", e->stanza_id);
  mxml_node_t *fwd = muc_el(svc, res, "forwarded", MUC_NS_FORWARD);
  char stamp[32];
  muc_format_stamp(e->time, stamp, sizeof(stamp));
  muc_attr(svc, muc_el(svc, fwd, "delay", MUC_NS_DELAY), "stamp", stamp);
  /* §5.1.3, §9.1: an <x/> of muc#user in the stored copy is nobody's
   * word about the sender: left out */
  mxml_node_t *x;
  while ((x = muc_xml_child(stored, "x", MUC_NS_USER)))
    mxmlDelete(x);
  /* ... but the room's, to an asker who may learn real JIDs */
  if (r->sees_jids && e->real_jid)
    muc_attr(svc,
             muc_el(svc, muc_el(svc, stored, "x", MUC_NS_USER), "item", NULL),
             "jid", e->real_jid);
  /* (a NULL parent would make a detached copy) */
  mxml_node_t *copy = fwd ? muc_el_copy(svc, fwd, stored) : NULL;
  muc_attr(svc, copy, "xmlns", MUC_NS_CLIENT);
  mxmlDelete(stored);
  if (m && !svc->oom)
    muc_send(svc, m);
  mxmlDelete(m);
}

static void send_fin(muc_room *room, const mxml_node_t *st,
                     const mam_request *r, const muc_archive_page *page)
{
  muc_service *svc = room->svc;
  mxml_node_t *iq = muc_iq_result(svc, st);
  mxml_node_t *fin = muc_el(svc, iq, "fin", MUC_NS_MAM);
  if (page->complete)
    muc_attr(svc, fin, "complete", "true");
  mxml_node_t *set = muc_el(svc, fin, "set", MUC_NS_RSM);
  if (page->n && !r->count_only) {
    /* first and last in archive order (XEP-0059 §2.1), flipped or not */
    muc_el_text(svc, set, "first", NULL, page->entries[0].stanza_id);
    muc_el_text(svc, set, "last", NULL, page->entries[page->n - 1].stanza_id);
  }
  if (page->count != UINT32_MAX) {
    char n[16];
    snprintf(n, sizeof(n), "%u", (unsigned)page->count);
    muc_el_text(svc, set, "count", NULL, n);
  }
  muc_send_free(svc, iq);
}

static void answer(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                   mam_request *r)
{
  muc_service *svc = room->svc;
  r->q.room_jid = room->jid;
  r->q.requester = from->full;
  r->sees_jids = sees_jids(room, from);
  if (r->q.max > svc->cfg.max_archive_page)
    r->q.max = svc->cfg.max_archive_page;
  muc_archive_page page;
  if (muc_archive_page_init(&page, svc, r->q.max) != MUC_OK)
    return;
  int rc = svc->archive.query(&r->q, &page, svc->archive_ud);
  if (svc->oom) {
    /* out of memory (recorded): nothing more is sent */
  } else if (rc == MUC_ARCHIVE_NOT_FOUND)
    muc_refuse(svc, st, MUC_REFUSE_MAM_NOT_FOUND, room->jid);
  else if (rc != MUC_OK) {
    muc_fail(svc, MUC_ERR_STORAGE);
    muc_refuse(svc, st, MUC_REFUSE_ARCHIVE_FAILED, room->jid);
  } else {
    for (uint32_t i = 0; !r->count_only && i < page.n; i++)
      send_result(room, r, from, &page.entries[r->flip ? page.n - 1 - i : i]);
    send_fin(room, st, r, &page);
  }
  muc_archive_page_clear(&page);
}

static void query(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *q)
{
  muc_service *svc = room->svc;
  mam_request r = {.q.max = svc->cfg.max_archive_page};
  r.queryid = muc_xml_attr(q, "queryid");
  r.flip = muc_xml_child(q, "flip-page", MUC_NS_MAM) != NULL;
  char *texts[3] = {NULL, NULL, NULL};
  const mxml_node_t *x = muc_xml_child(q, "x", MUC_NS_DATA);
  const mxml_node_t *set = muc_xml_child(q, "set", MUC_NS_RSM);
  int rc = x ? read_form(svc, x, &r) : MUC_OK;
  if (rc == MUC_OK && set)
    rc = read_set(svc, set, &r, texts);
  if (rc == MUC_ERR_NOMEM)
    muc_fail(svc, rc);
  else if (r.unknown)
    muc_refuse(svc, st, MUC_REFUSE_MAM_FIELD_UNKNOWN, room->jid);
  else if (rc != MUC_OK) {
    char text[96];
    snprintf(text, sizeof(text), "Malformed archive query: %s", r.bad);
    muc_refuse_text(svc, st, MUC_REFUSE_MAM_BAD_REQUEST, text, room->jid);
  } else
    answer(room, st, from, &r);
  for (int i = 0; i < 3; i++)
    muc_mem_free(&svc->mem, texts[i]);
  if (r.with.full)
    muc_jid_clear(&svc->mem, &r.with);
  muc_form_free(&svc->mem, r.form);
}

/* ---- the archive's metadata (§6, #extended) -------------------------------
 */

/* The first (|last| 0) or the last message of the archive into |page|.
 * MUC_OK, or the failure (the archive's, out of memory). */
static int one_end(muc_room *room, const muc_jid *from, int last,
                   muc_archive_page *page)
{
  muc_service *svc = room->svc;
  if (muc_archive_page_init(page, svc, 1) != MUC_OK)
    return MUC_ERR_NOMEM;
  muc_archive_query q = {.room_jid = room->jid,
                         .requester = from->full,
                         .rsm_before = last ? "" : NULL,
                         .max = 1};
  /* read again: an earlier call may have removed the archive */
  int rc =
      muc_archive_of(svc) ? svc->archive.query(&q, page, svc->archive_ud) : -1;
  return svc->oom ? MUC_ERR_NOMEM : rc == MUC_OK ? MUC_OK : MUC_ERR_STORAGE;
}

static void put_end(muc_service *svc, mxml_node_t *md, const char *name,
                    const muc_archive_page *page)
{
  if (!page->n)
    return;
  char stamp[32];
  muc_format_stamp(page->entries[0].time, stamp, sizeof(stamp));
  mxml_node_t *e = muc_el(svc, md, name, NULL);
  muc_attr(svc, e, "id", page->entries[0].stanza_id);
  muc_attr(svc, e, "timestamp", stamp);
}

/* <metadata/>: the first and the last message, or nothing for an empty
 * archive. */
static void metadata(muc_room *room, const mxml_node_t *st, const muc_jid *from)
{
  muc_service *svc = room->svc;
  muc_archive_page first, last;
  int rc = one_end(room, from, 0, &first);
  if (rc == MUC_OK)
    rc = one_end(room, from, 1, &last);
  else
    last.entries = NULL;
  if (rc == MUC_OK) {
    mxml_node_t *r = muc_iq_result(svc, st);
    mxml_node_t *md = muc_el(svc, r, "metadata", MUC_NS_MAM);
    if (first.n && last.n) {
      put_end(svc, md, "start", &first);
      put_end(svc, md, "end", &last);
    }
    muc_send_free(svc, r);
  } else if (rc == MUC_ERR_STORAGE) {
    muc_fail(svc, rc);
    muc_refuse(svc, st, MUC_REFUSE_ARCHIVE_FAILED, room->jid);
  }
  if (first.entries)
    muc_archive_page_clear(&first);
  if (last.entries)
    muc_archive_page_clear(&last);
}

void muc_mam_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                const mxml_node_t *q)
{
  muc_service *svc = room->svc;
  if (!muc_archive_on(room))
    muc_refuse(svc, st, MUC_REFUSE_MAM_UNAVAILABLE, room->jid);
  else if (!may_read(room, from))
    muc_refuse(svc, st, MUC_REFUSE_MAM_FORBIDDEN, room->jid);
  else if (muc_xml_is(q, "metadata", MUC_NS_MAM))
    metadata(room, st, from);
  else if (strcmp(muc_stanza_type(st), "get") == 0)
    send_form(room, st);
  else
    query(room, st, from, q);
}
