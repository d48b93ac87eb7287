/* Writing the room record (docs/room-record.md) straight into the buffer,
 * in one pass: a record is written each time a message enters a stored
 * history, and building a tree for it cost more than the message.  The
 * bytes are those muc_xml_write gives for the same document: attributes
 * in the order below, double quotes, muc_buf_append_escaped escaping,
 * "<a/>" for an element without content. */
#include "store.h"

#include <stddef.h>
#include <string.h>

#include "affiliation.h"
#include "feed.h"
#include "history_store.h"
#include "host_fields.h"

/* ` name="value"` (escaped), left out when there is no |value|. */
static void put_opt_attr(muc_buf *b, const char *name, const char *value)
{
  if (value)
    muc_buf_put_attr(b, name, value);
}

static void put_num_attr(muc_buf *b, const char *name, unsigned long long v)
{
  muc_buf_putc(b, ' ');
  muc_buf_puts(b, name);
  muc_buf_append(b, "=\"", 2);
  muc_buf_put_u64(b, v);
  muc_buf_putc(b, '"');
}

/* What follows the attributes of element |name| holding |text|: ">text</name>",
 * or "/>" when the text is empty. */
static void put_content(muc_buf *b, const char *name, const char *text)
{
  if (!*text) {
    muc_buf_append(b, "/>", 2);
    return;
  }
  muc_buf_putc(b, '>');
  muc_buf_append_escaped(b, text, strlen(text), 0);
  muc_buf_append(b, "</", 2);
  muc_buf_puts(b, name);
  muc_buf_putc(b, '>');
}

/* Each setting after the texts, in record order: booleans as 0/1. */
static void put_config(muc_buf *b, const muc_room_config *k)
{
  const struct {
    const char *name;
    unsigned long long value;
    int boolean;
  } settings[] = {
      {"persistent", (unsigned long long)k->persistent, 1},
      {"public", (unsigned long long)k->public_room, 1},
      {"membersonly", (unsigned long long)k->members_only, 1},
      {"allowmemberinvites", (unsigned long long)k->allow_member_invites, 1},
      {"moderated", (unsigned long long)k->moderated, 1},
      {"allowinvites", (unsigned long long)k->allow_invites, 1},
      {"changesubject", (unsigned long long)k->change_subject, 1},
      {"allowmodpm", (unsigned long long)k->allow_modpm, 1},
      {"whois", (unsigned)k->whois, 0},
      {"presencebroadcast", k->presence_broadcast, 0},
      {"allowpm", (unsigned)k->allow_pm, 0},
      {"historylength", k->history_length, 0},
      {"maxusers", k->max_users, 0},
      {"getmemberlist", k->get_member_list, 0},
      {"logging", (unsigned long long)k->logging, 1},
      {"archiving", (unsigned long long)k->archiving, 1},
  };
  muc_buf_puts(b, "<config");
  put_opt_attr(b, "name", k->name);
  put_opt_attr(b, "desc", k->desc);
  put_opt_attr(b, "password", k->password);
  put_opt_attr(b, "lang", k->lang);
  for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
    put_num_attr(b, settings[i].name,
                 settings[i].boolean ? settings[i].value != 0
                                     : settings[i].value);
  muc_buf_append(b, "/>", 2);
}

static void put_subject(muc_buf *b, const muc_room *room)
{
  if (!room->subject)
    return;
  muc_buf_puts(b, "<subject");
  put_opt_attr(b, "from", room->subject_from);
  put_num_attr(b, "time", room->subject_time);
  put_content(b, "subject", room->subject);
}

static void put_affiliation(muc_buf *b, const muc_affil *a)
{
  muc_buf_puts(b, "<affiliation");
  muc_buf_put_attr(b, "jid", a->jid);
  muc_buf_put_attr(b, "affiliation", muc_affiliation_name(a->aff));
  put_opt_attr(b, "nick", a->nick);
  if (!a->reason) {
    muc_buf_append(b, "/>", 2);
    return;
  }
  muc_buf_append(b, "><reason", 8);
  put_content(b, "reason", a->reason);
  muc_buf_puts(b, "</affiliation>");
}

/* Everything before the history: the start tag of the root, the
 * configuration, the subject and the affiliations. */
static void put_head(muc_buf *b, const muc_room *room)
{
  muc_buf_puts(b, "<room xmlns=\"" MUC_NS_STORE "\"");
  muc_buf_put_attr(b, "jid", room->jid);
  muc_buf_putc(b, '>');
  put_config(b, &room->cfg);
  put_subject(b, room);
  for (const muc_affil *a = room->afirst; a; a = a->next)
    put_affiliation(b, a);
  muc_host_fields_write(room, b);
}

int muc_store_write_fresh(const muc_room *room, muc_buf *out)
{
  put_head(out, room);
  muc_history_store_write(room, out);
  muc_buf_puts(out, "</room>");
  return out->oom ? MUC_ERR_NOMEM : MUC_OK;
}

/* ---- the record's head, kept per room ----------------------------------- */

/* The configuration, subject and affiliations change rarely, the history
 * with every message: the head is kept as written, and a message costs
 * only a copy of it and the history.  Every change to what the head holds
 * forgets it (muc_store_forget). */
typedef struct muc_record_head {
  size_t len;
  char data[];
} muc_record_head;

void muc_store_forget(muc_room *room)
{
  muc_feed_touch_part(room, MUC_FEED_PART_HEAD); /* affiliations: room.c */
  muc_mem_free(&room->svc->mem, room->record_head);
  room->record_head = NULL;
}

/* Keep the |len| bytes at |head|.  MUC_OK or MUC_ERR_NOMEM. */
static int keep_head(muc_room *room, const char *head, size_t len)
{
  muc_record_head *h =
      muc_mem_malloc(&room->svc->mem, offsetof(muc_record_head, data) + len);
  if (!h)
    return MUC_ERR_NOMEM;
  h->len = len;
  memcpy(h->data, head, len);
  room->record_head = h;
  return MUC_OK;
}

int muc_store_write(muc_room *room, int for_history, muc_buf *out)
{
  if (!for_history) {
    muc_store_forget(room); /* whatever changed, the next message rebuilds */
    return muc_store_write_fresh(room, out);
  }
  const muc_record_head *h = room->record_head;
  if (h) {
    muc_buf_append(out, h->data, h->len);
  } else {
    size_t start = out->len;
    put_head(out, room);
    if (!out->oom &&
        keep_head(room, out->data + start, out->len - start) != MUC_OK)
      return MUC_ERR_NOMEM;
  }
  muc_history_store_write(room, out);
  muc_buf_puts(out, "</room>");
  return out->oom ? MUC_ERR_NOMEM : MUC_OK;
}
