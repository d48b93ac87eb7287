#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "affiliation.h"
#include "history.h"
#include "history_store.h"
#include "host_fields.h"
#include "limit.h"
#include "room.h"
#include "stanza.h"

static int get_flag(const mxml_node_t *el, const char *name, int *out)
{
  const char *v = muc_xml_attr(el, name);
  if (!v)
    return 0; /* absent: keep the default */
  if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
    return -1;
  *out = v[0] == '1';
  return 0;
}

static int get_str(muc_mem *m, const mxml_node_t *el, const char *name,
                   char **slot)
{
  const char *v = muc_xml_attr(el, name);
  if (!v)
    return MUC_OK;
  char *c = muc_mem_strdup(m, v);
  if (!c)
    return MUC_ERR_NOMEM;
  muc_mem_free(m, *slot);
  *slot = c;
  return MUC_OK;
}

/* A record holds only what was once checked against the limits; one that
 * does not respect them now (edited, or from a service with larger ones)
 * is refused whole, as an invalid record: the host's storage is no way
 * around them. */
int muc_store_within_limits(const muc_room *room)
{
  const muc_service *svc = room->svc;
  const muc_room_config *k = &room->cfg;
  const struct {
    const char *text;
    muc_limit lim;
  } texts[] = {
      {k->name, MUC_LIMIT_ROOM_NAME},     {k->password, MUC_LIMIT_PASSWORD},
      {k->desc, MUC_LIMIT_FORM_VALUE},    {k->lang, MUC_LIMIT_FORM_VALUE},
      {room->subject, MUC_LIMIT_SUBJECT},
  };
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
    if (muc_limit_text_exceeded(svc, texts[i].lim, texts[i].text))
      return 0;
  for (const muc_affil *a = room->afirst; a; a = a->next)
    if (muc_limit_text_exceeded(svc, MUC_LIMIT_NICK, a->nick) ||
        muc_limit_text_exceeded(svc, MUC_LIMIT_REASON, a->reason))
      return 0;
  return 1;
}

int muc_store_read(muc_room *room, const char *data, size_t len)
{
  muc_service *svc = room->svc;
  muc_store_forget(room);
  muc_xml_limits lim = {len + 1, 8, 64, 1u << 20};
  mxml_node_t *r = NULL;
  int rc = muc_xml_parse(&svc->mem, data, len, &lim, &r);
  if (rc == MUC_ERR_NOMEM)
    return rc;
  if (rc != MUC_OK)
    return MUC_ERR_STORAGE;
  rc = MUC_ERR_STORAGE;
  if (!muc_xml_is(r, "room", MUC_NS_STORE))
    goto out;
  const mxml_node_t *c = muc_xml_child(r, "config", MUC_NS_STORE);
  if (!c)
    goto out;
  muc_room_config *k = &room->cfg;
  unsigned long long v;
  if (get_flag(c, "persistent", &k->persistent) ||
      get_flag(c, "public", &k->public_room) ||
      get_flag(c, "membersonly", &k->members_only) ||
      get_flag(c, "allowmemberinvites", &k->allow_member_invites) ||
      get_flag(c, "moderated", &k->moderated) ||
      get_flag(c, "allowinvites", &k->allow_invites) ||
      get_flag(c, "changesubject", &k->change_subject) ||
      get_flag(c, "allowmodpm", &k->allow_modpm))
    goto out;
  v = (unsigned long long)k->whois; /* absent: keep the default */
  if (muc_store_get_num(c, "whois", 1, &v) < 0)
    goto out;
  k->whois = (muc_whois)(v & 1);
  v = k->presence_broadcast;
  if (muc_store_get_num(c, "presencebroadcast", MUC_ROLES_ALL, &v) < 0)
    goto out;
  k->presence_broadcast = (unsigned)v;
  v = (unsigned long long)k->allow_pm;
  if (muc_store_get_num(c, "allowpm", MUC_PM_NOBODY, &v) < 0)
    goto out;
  k->allow_pm = (muc_allow_pm)v;
  v = k->max_users;
  if (muc_store_get_num(c, "maxusers", 1000000000, &v) < 0)
    goto out;
  k->max_users = (unsigned)v;
  v = k->get_member_list;
  if (muc_store_get_num(c, "getmemberlist", MUC_ROLES_ALL, &v) < 0 ||
      get_flag(c, "logging", &k->logging) ||
      get_flag(c, "archiving", &k->archiving))
    goto out;
  k->get_member_list = (unsigned)v;
  v = k->history_length;
  if (muc_store_get_num(c, "historylength", svc->cfg.max_history, &v) < 0)
    goto out;
  if (muc_history_resize(room, (size_t)v) != MUC_OK) {
    rc = MUC_ERR_NOMEM;
    goto out;
  }
  k->history_length = (unsigned)v;
  if (get_str(&svc->mem, c, "name", &k->name) ||
      get_str(&svc->mem, c, "desc", &k->desc) ||
      get_str(&svc->mem, c, "password", &k->password) ||
      get_str(&svc->mem, c, "lang", &k->lang)) {
    rc = MUC_ERR_NOMEM;
    goto out;
  }
  const mxml_node_t *s = muc_xml_child(r, "subject", MUC_NS_STORE);
  if (s) {
    char *text = muc_text(svc, s);
    if (!text || get_str(&svc->mem, s, "from", &room->subject_from)) {
      muc_mem_free(&svc->mem, text);
      rc = MUC_ERR_NOMEM;
      goto out;
    }
    room->subject = text;
    v = 0;
    if (muc_store_get_num(s, "time", UINT64_MAX, &v) < 0)
      goto out;
    room->subject_time = v;
  }
  for (const mxml_node_t *e = muc_xml_first_element(r); e;
       e = muc_xml_next_element(e)) {
    if (!muc_xml_is(e, "affiliation", MUC_NS_STORE))
      continue;
    muc_affiliation aff;
    const char *jid = muc_xml_attr(e, "jid");
    if (!jid || !*jid ||
        muc_affiliation_parse(muc_xml_attr(e, "affiliation"), &aff) != 0)
      goto out;
    /* max_affiliations_per_room, counted as the entries come: a record
     * of too many is refused before it is all in memory */
    if (!muc_room_affil_entry(room, jid) &&
        muc_limit_reached(svc, MUC_LIMIT_AFFILIATIONS, room->naffils))
      goto out;
    char *reason = muc_child_text(svc, e, "reason", NULL);
    const char *nick = muc_xml_attr(e, "nick");
    int prc = muc_room_put_affiliation(room, jid, aff, 1, 0, nick, reason);
    muc_mem_free(&svc->mem, reason);
    if (prc != MUC_OK) {
      rc = prc;
      goto out;
    }
  }
  if ((rc = muc_host_fields_read(room, r)) != MUC_OK)
    goto out;
  rc = MUC_ERR_STORAGE;
  const mxml_node_t *h = muc_xml_child(r, "history", MUC_NS_STORE);
  if (h && (rc = muc_history_store_read(room, h)) != MUC_OK)
    goto out;
  rc = muc_store_within_limits(room) ? MUC_OK : MUC_ERR_STORAGE;
out:
  mxmlDelete(r);
  return rc;
}
