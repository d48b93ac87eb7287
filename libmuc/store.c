#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "affiliation.h"
#include "limit.h"
#include "message.h"
#include "room.h"
#include "stanza.h"

static void flag(mxml_node_t *el, const char *name, int v, int *ok)
{
  if (muc_xml_set_attr(el, name, v ? "1" : "0") != MUC_OK)
    *ok = 0;
}

static void num(mxml_node_t *el, const char *name, unsigned long long v,
                int *ok)
{
  char buf[24];
  snprintf(buf, sizeof(buf), "%llu", v);
  if (muc_xml_set_attr(el, name, buf) != MUC_OK)
    *ok = 0;
}

static void str(mxml_node_t *el, const char *name, const char *v, int *ok)
{
  if (v && muc_xml_set_attr(el, name, v) != MUC_OK)
    *ok = 0;
}

int muc_store_write(const muc_room *room, muc_buf *out)
{
  int ok = 1;
  mxml_node_t *r = muc_xml_new(NULL, "room", MUC_NS_STORE);
  mxml_node_t *c = muc_xml_new(r, "config", NULL);
  if (!r || !c) {
    mxmlDelete(r);
    return MUC_ERR_NOMEM;
  }
  const muc_room_config *k = &room->cfg;
  str(r, "jid", room->jid, &ok);
  str(c, "name", k->name, &ok);
  str(c, "desc", k->desc, &ok);
  str(c, "password", k->password, &ok);
  str(c, "lang", k->lang, &ok);
  flag(c, "persistent", k->persistent, &ok);
  flag(c, "public", k->public_room, &ok);
  flag(c, "membersonly", k->members_only, &ok);
  flag(c, "allowmemberinvites", k->allow_member_invites, &ok);
  flag(c, "moderated", k->moderated, &ok);
  flag(c, "allowinvites", k->allow_invites, &ok);
  flag(c, "changesubject", k->change_subject, &ok);
  flag(c, "allowmodpm", k->allow_modpm, &ok);
  num(c, "whois", (unsigned)k->whois, &ok);
  num(c, "presencebroadcast", k->presence_broadcast, &ok);
  num(c, "allowpm", (unsigned)k->allow_pm, &ok);
  num(c, "historylength", k->history_length, &ok);
  num(c, "maxusers", k->max_users, &ok);
  num(c, "getmemberlist", k->get_member_list, &ok);
  flag(c, "logging", k->logging, &ok);
  if (room->subject) {
    mxml_node_t *s = muc_xml_new_text(r, "subject", NULL, room->subject);
    if (!s)
      ok = 0;
    str(s, "from", room->subject_from, &ok);
    num(s, "time", room->subject_time, &ok);
  }
  for (const muc_affil *a = room->afirst; a; a = a->next) {
    mxml_node_t *e = muc_xml_new(r, "affiliation", NULL);
    if (!e) {
      ok = 0;
      break;
    }
    str(e, "jid", a->jid, &ok);
    str(e, "affiliation", muc_affiliation_name(a->aff), &ok);
    str(e, "nick", a->nick, &ok);
    if (a->reason && !muc_xml_new_text(e, "reason", NULL, a->reason))
      ok = 0;
  }
  int rc = ok ? muc_xml_write(out, r) : MUC_ERR_NOMEM;
  mxmlDelete(r);
  return rc;
}

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

static int get_num(const mxml_node_t *el, const char *name,
                   unsigned long long max, unsigned long long *out)
{
  const char *v = muc_xml_attr(el, name);
  if (!v)
    return 1;
  char *end;
  if (!*v || *v == '-')
    return -1;
  unsigned long long n = strtoull(v, &end, 10);
  if (*end || n > max)
    return -1;
  *out = n;
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
static int within_limits(const muc_room *room)
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
  if (get_num(c, "whois", 1, &v) < 0)
    goto out;
  k->whois = (muc_whois)(v & 1);
  v = k->presence_broadcast;
  if (get_num(c, "presencebroadcast", MUC_ROLES_ALL, &v) < 0)
    goto out;
  k->presence_broadcast = (unsigned)v;
  v = (unsigned long long)k->allow_pm;
  if (get_num(c, "allowpm", MUC_PM_NOBODY, &v) < 0)
    goto out;
  k->allow_pm = (muc_allow_pm)v;
  v = k->max_users;
  if (get_num(c, "maxusers", 1000000000, &v) < 0)
    goto out;
  k->max_users = (unsigned)v;
  v = k->get_member_list;
  if (get_num(c, "getmemberlist", MUC_ROLES_ALL, &v) < 0 ||
      get_flag(c, "logging", &k->logging))
    goto out;
  k->get_member_list = (unsigned)v;
  v = k->history_length;
  if (get_num(c, "historylength", svc->cfg.max_history, &v) < 0)
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
    if (get_num(s, "time", UINT64_MAX, &v) < 0)
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
  rc = within_limits(room) ? MUC_OK : MUC_ERR_STORAGE;
out:
  mxmlDelete(r);
  return rc;
}
