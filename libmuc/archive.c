/* The host's message archive: installing it (muc_service_set_archive).
 * The rooms' use of it is in the MAM and retraction handlers. */
#include "archive.h"

#include <string.h>

#include "hooks.h"
#include "occupant.h"
#include "stanza.h"

MUC_EXTERN int muc_service_set_archive(muc_service *svc, int version,
                                       const muc_archive *archive,
                                       void *user_data)
{
  if (!svc || (archive && version != MUC_ARCHIVE_V1))
    return MUC_ERR_INVALID_ARG;
  if (archive && (!archive->append || !archive->query || !archive->retract))
    return MUC_ERR_INVALID_ARG;
  /* copied by value: a call up the stack has already read the member it
   * calls, so replacing it from a callback is safe */
  if (archive)
    svc->archive = *archive; /* V1 is the whole struct */
  else
    svc->archive = (muc_archive){0};
  svc->archive_ud = archive ? user_data : NULL;
  return MUC_OK;
}

int muc_archive_page_init(muc_archive_page *page, muc_service *svc,
                          uint32_t max)
{
  *page = (muc_archive_page){.svc = svc, .max = max, .count = UINT32_MAX};
  page->entries = muc_mem_calloc(&svc->mem, max, sizeof(*page->entries));
  if (!page->entries) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  return MUC_OK;
}

void muc_archive_page_clear(muc_archive_page *page)
{
  muc_mem *mem = &page->svc->mem;
  for (uint32_t i = 0; i < page->n; i++) {
    muc_mem_free(mem, page->entries[i].stanza_id);
    muc_mem_free(mem, page->entries[i].xml);
    muc_mem_free(mem, page->entries[i].real_jid);
  }
  muc_mem_free(mem, page->entries);
  page->entries = NULL;
  page->n = 0;
}

/* Is |xml| one message stanza by its start tag?  The bytes are the
 * host's copy of what append gave it; the handler parses them when it
 * forwards them. */
static int looks_like_message(const char *xml, size_t len)
{
  static const char tag[] = "<message";
  size_t n = sizeof(tag) - 1;
  return xml && len > n && memcmp(xml, tag, n) == 0 &&
         (xml[n] == ' ' || xml[n] == '>' || xml[n] == '/');
}

MUC_EXTERN int muc_archive_page_add(muc_archive_page *page,
                                    const muc_archive_item *item)
{
  if (!page || !item || !item->stanza_id || !*item->stanza_id ||
      !looks_like_message(item->xml, item->len) || page->n >= page->max)
    return MUC_ERR_INVALID_ARG;
  muc_service *svc = page->svc;
  muc_archive_entry *e = &page->entries[page->n];
  e->stanza_id = muc_mem_strdup(&svc->mem, item->stanza_id);
  e->xml = muc_mem_malloc(&svc->mem, item->len + 1);
  e->real_jid = item->real_jid && *item->real_jid
                    ? muc_mem_strdup(&svc->mem, item->real_jid)
                    : NULL;
  if (!e->stanza_id || !e->xml ||
      (!e->real_jid && item->real_jid && *item->real_jid)) {
    muc_mem_free(&svc->mem, e->stanza_id);
    muc_mem_free(&svc->mem, e->xml);
    muc_mem_free(&svc->mem, e->real_jid);
    *e = (muc_archive_entry){0};
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  memcpy(e->xml, item->xml, item->len);
  e->xml[item->len] = '\0';
  e->len = item->len;
  e->time = item->time;
  page->n++;
  return MUC_OK;
}

MUC_EXTERN int muc_archive_page_end(muc_archive_page *page, int complete,
                                    uint32_t count)
{
  if (!page)
    return MUC_ERR_INVALID_ARG;
  page->complete = complete != 0;
  page->count = count;
  return MUC_OK;
}

/* ---- appending ------------------------------------------------------------
 */

/* The message |xml|/|len| from |o| to the archive, and with |hook| to
 * message_archived. */
static void post(muc_room *room, const char *xml, size_t len, int historic,
                 const muc_post_origin *o, int hook)
{
  muc_service *svc = room->svc;
  int archive = muc_archive_on(room);
  hook = hook && muc_hook_wants_archived(svc);
  if (!archive && !hook)
    return;
  char fresh[MUC_STANZA_ID_MAX];
  const char *stanza_id = o->stanza_id;
  if (!stanza_id) {
    muc_new_id(svc, fresh, sizeof(fresh));
    stanza_id = fresh;
  }
  const muc_occupant *occ = muc_room_occupant_by_nick(room, o->nick);
  muc_hook_archived a = {room->jid, stanza_id, o->id ? o->id : "",
                         o->nick,   NULL,      svc->now,
                         xml,       len,       historic};
  /* the session that sent it: one nick may have several (§7.2.2) */
  a.real_jid = o->sender ? o->sender : occ ? muc_hook_session_of(occ) : "";
  if (hook)
    muc_hook_fire_archived(svc, &a);
  /* read again: the hook may have replaced or removed the archive */
  if (archive && muc_archive_on(room) &&
      svc->archive.append(&a, svc->archive_ud) < 0)
    muc_fail(svc, MUC_ERR_STORAGE);
}

void muc_archive_post(muc_room *room, const char *xml, size_t len, int historic,
                      const muc_post_origin *o)
{
  post(room, xml, len, historic, o, 1);
}

void muc_archive_subject(muc_room *room, mxml_node_t *m, const char *sender)
{
  if (!muc_archive_on(room))
    return;
  muc_service *svc = room->svc;
  char sid[MUC_STANZA_ID_MAX];
  muc_new_id(svc, sid, sizeof(sid));
  muc_stanza_id_add(svc, m, sid, room->jid);
  muc_buf b;
  muc_buf_init(&b, &svc->mem);
  /* from room@service/nick, or the room itself for the host's */
  const char *from = muc_xml_attr(m, "from");
  const char *slash = from ? strchr(from, '/') : NULL;
  muc_post_origin o = {slash ? slash + 1 : "", sender, muc_xml_attr(m, "id"),
                       sid};
  if (!svc->oom && muc_xml_write(&b, m) == 0 && !b.oom)
    post(room, b.data, b.len, 0, &o, 0);
  else
    muc_fail(svc, MUC_ERR_NOMEM);
  muc_buf_free(&b);
}

void muc_archive_disco_features(muc_room *room, mxml_node_t *q)
{
  static const char *const features[] = {MUC_NS_MAM,      MUC_NS_MAM_EXTENDED,
                                         MUC_NS_SID,      MUC_NS_RETRACT,
                                         MUC_NS_MODERATE, MUC_NS_MODERATE_0};
  if (!muc_archive_on(room))
    return;
  muc_service *svc = room->svc;
  for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
    muc_attr(svc, muc_el(svc, q, "feature", NULL), "var", features[i]);
}
