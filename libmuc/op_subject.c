/* The subject (XEP-0045 §8.1): changed, told to every occupant, sent to
 * each newcomer. */
#include "ops.h"

#include <string.h>

#include "archive.h"
#include "occupant.h"
#include "op_send.h"
#include "op_store.h"
#include "stanza.h"
#include "store.h"

static mxml_node_t *subject_message(muc_room *room, const char *to)
{
  muc_service *svc = room->svc;
  mxml_node_t *m = muc_stanza_new(
      svc, "message", room->subject_from ? room->subject_from : room->jid, to,
      "groupchat", NULL);
  muc_el_text(svc, m, "subject", NULL, room->subject ? room->subject : "");
  return m;
}

/* The subject message a joining user gets, written as bytes: the text
 * muc_xml_write() gives subject_message()'s tree with the <delay/> of
 * the last change (XEP-0203) after the subject. */
void muc_op_send_subject(muc_room *room, const char *to)
{
  muc_service *svc = room->svc;
  muc_buf *b = &svc->scratch;
  muc_buf_reset(b);
  muc_buf_puts(b, "<message");
  muc_buf_put_attr(b, "from",
                   room->subject_from ? room->subject_from : room->jid);
  if (to)
    muc_buf_put_attr(b, "to", to);
  muc_buf_put_attr(b, "type", "groupchat");
  const char *subject = room->subject ? room->subject : "";
  if (*subject) {
    muc_buf_puts(b, "><subject>");
    muc_buf_append_escaped(b, subject, strlen(subject), 0);
    muc_buf_puts(b, "</subject>");
  } else {
    muc_buf_puts(b, "><subject/>");
  }
  if (room->subject_time) {
    char stamp[32];
    muc_format_stamp(room->subject_time, stamp, sizeof(stamp));
    muc_buf_puts(b, "<delay");
    muc_buf_put_attr(b, "xmlns", MUC_NS_DELAY);
    muc_buf_put_attr(b, "from", room->jid);
    muc_buf_put_attr(b, "stamp", stamp);
    muc_buf_puts(b, "/>");
  }
  muc_buf_puts(b, "</message>");
  if (b->oom)
    muc_fail(svc, MUC_ERR_NOMEM);
  else
    muc_send_text(svc, b->data, b->len, to ? to : "");
}

int muc_op_set_subject(muc_room *room, const muc_actor *actor,
                       const char *subject, const char *id)
{
  muc_service *svc = room->svc;
  /* the change comes from the actor's occupant JID, or from the room */
  const muc_occupant *occ =
      actor ? muc_room_occupant_by_jid(room, actor->jid) : NULL;
  const char *from = occ ? occ->occ_jid : room->jid;
  if (subject && !*subject)
    subject = NULL;
  char *s = subject ? muc_mem_strdup(&svc->mem, subject) : NULL;
  char *f = muc_mem_strdup(&svc->mem, from);
  if ((subject && !s) || !f) {
    muc_mem_free(&svc->mem, s);
    muc_mem_free(&svc->mem, f);
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  muc_mem_free(&svc->mem, room->subject);
  muc_mem_free(&svc->mem, room->subject_from);
  muc_store_forget(room);
  room->subject = s;
  room->subject_from = f;
  room->subject_time = svc->now;
  mxml_node_t *m = subject_message(room, NULL);
  /* the change is reflected like any groupchat message, with the id the
   * client chose so that it can recognise its own (§7.4, §8.1) */
  muc_attr(svc, m, "id", id);
  muc_archive_subject(room, m, muc_actor_jid(actor));
  muc_room_broadcast(room, m, MUC_ROLE_NONE);
  mxmlDelete(m);
  muc_room_save(room, 0);
  return MUC_OK;
}
