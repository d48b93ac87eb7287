/* Configuring a room (XEP-0045 §10.2): the options change one by one in
 * the order of the configuration form, each telling the occupants what
 * it means for them, then the lock ends and the record is stored. */
#include "ops.h"

#include <string.h>

#include "afflist.h"
#include "feed.h"
#include "history.h"
#include "hooks.h"
#include "host_fields.h"
#include "occupant.h"
#include "op_presence.h"
#include "op_store.h"
#include "room.h"
#include "store.h"
#include "timer.h"

static void add_code(int *codes, size_t *n, int code)
{
  for (size_t i = 0; i < *n; i++)
    if (codes[i] == code)
      return;
  codes[(*n)++] = code;
}

/* Replace a string setting ("" = none). 1 if it changed. */
static int set_str(muc_room *room, char **slot, const char *s)
{
  if (s && !*s)
    s = NULL;
  if ((!s && !*slot) || (s && *slot && strcmp(s, *slot) == 0))
    return 0;
  char *c = NULL;
  if (s && !(c = muc_mem_strdup(&room->svc->mem, s))) {
    muc_fail(room->svc, MUC_ERR_NOMEM);
    return 0;
  }
  muc_mem_free(&room->svc->mem, *slot);
  *slot = c;
  return 1;
}

#define APPLY_STR(fn, member)                                                  \
  static int fn(muc_room *room, const muc_room_config *v, int *codes,          \
                size_t *n)                                                     \
  {                                                                            \
    if (!set_str(room, &room->cfg.member, v->member))                          \
      return 0;                                                                \
    add_code(codes, n, 104);                                                   \
    return 1;                                                                  \
  }
/* A flag, number or choice: changed when it differs. */
#define APPLY_VALUE(fn, member)                                                \
  static int fn(muc_room *room, const muc_room_config *v, int *codes,          \
                size_t *n)                                                     \
  {                                                                            \
    if (room->cfg.member == v->member)                                         \
      return 0;                                                                \
    room->cfg.member = v->member;                                              \
    add_code(codes, n, 104);                                                   \
    return 1;                                                                  \
  }

APPLY_STR(a_name, name)
APPLY_STR(a_desc, desc)
APPLY_STR(a_lang, lang)
APPLY_STR(a_secret, password)
APPLY_VALUE(a_persistent, persistent)
APPLY_VALUE(a_public, public_room)
APPLY_VALUE(a_allowinvites, allow_member_invites)
APPLY_VALUE(a_changesubject, change_subject)
APPLY_VALUE(a_moderated, moderated)
APPLY_VALUE(a_allowpm, allow_pm)
APPLY_VALUE(a_maxusers, max_users)
APPLY_VALUE(a_getmemberlist, get_member_list)
APPLY_VALUE(a_archiving, archiving)

static int a_logging(muc_room *room, const muc_room_config *v, int *codes,
                     size_t *n)
{
  if (room->cfg.logging == v->logging)
    return 0;
  room->cfg.logging = v->logging;
  /* §10.2.1: 170 logging now enabled, 171 now disabled */
  add_code(codes, n, v->logging ? 170 : 171);
  return 1;
}

static int a_membersonly(muc_room *room, const muc_room_config *v, int *codes,
                         size_t *n)
{
  if (room->cfg.members_only == v->members_only)
    return 0;
  room->cfg.members_only = v->members_only;
  add_code(codes, n, 104);
  if (!v->members_only)
    return 1;
  /* §9.3 / §10.2: non-members leave a room that became members-only */
  muc_codes c = {0};
  muc_codes_add(&c, 322);
  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *next = o->next;
    muc_affiliation a = muc_room_affiliation(room, o->bare_jid);
    if (a <= MUC_AFFIL_NONE) {
      muc_role prev = o->role;
      o->role = MUC_ROLE_NONE;
      muc_room_save_occupant(room, o);
      muc_hook_left(room, o);
      muc_pub p = {.base = &c, .prev_role = prev};
      muc_presence_publicise(room, o, &p);
      muc_presence_release(room, o);
    }
    o = next;
  }
  return 1;
}

static int a_whois(muc_room *room, const muc_room_config *v, int *codes,
                   size_t *n)
{
  if (room->cfg.whois == v->whois)
    return 0;
  room->cfg.whois = v->whois;
  /* §10.2.1: 172 now non-anonymous, 173 now semi-anonymous */
  add_code(codes, n, v->whois == MUC_WHOIS_ANYONE ? 172 : 173);
  return 1;
}

static int a_history(muc_room *room, const muc_room_config *v, int *codes,
                     size_t *n)
{
  unsigned len = v->history_length;
  if (len > room->svc->cfg.max_history)
    len = (unsigned)room->svc->cfg.max_history;
  if (room->cfg.history_length == len)
    return 0;
  muc_feed_touch_part(room, MUC_FEED_PART_HEAD | MUC_FEED_PART_HISTORY);
  if (muc_history_resize(room, len) != MUC_OK) {
    muc_fail(room->svc, MUC_ERR_NOMEM);
    return 0;
  }
  room->cfg.history_length = len;
  add_code(codes, n, 104);
  return 1;
}

static int a_broadcast(muc_room *room, const muc_room_config *v, int *codes,
                       size_t *n)
{
  unsigned old = room->cfg.presence_broadcast, now = v->presence_broadcast;
  if (old == now)
    return 0;
  room->cfg.presence_broadcast = now;
  /* the "none" role shows absent affiliated users: §16.6 registers 102
   * (now shown) and 103 (no longer shown) for that; 104 for the rest */
  unsigned none = MUC_ROLE_BIT(MUC_ROLE_NONE);
  if ((old ^ now) & none)
    add_code(codes, n, now & none ? 102 : 103);
  if ((old ^ now) & ~none)
    add_code(codes, n, 104);
  /* occupants whose role became (in)visible appear or disappear */
  muc_occupant *o = room->first;
  while (o) {
    muc_occupant *next = o->next;
    unsigned bit = MUC_ROLE_BIT(o->role);
    if ((now & bit) && !(old & bit)) {
      muc_pub p = {0};
      muc_presence_publicise(room, o, &p);
    } else if (!(now & bit) && (old & bit)) {
      muc_pub p = {.force_unavailable = 1};
      muc_presence_publicise(room, o, &p);
    }
    o = next;
  }
  return 1;
}

/* Each option, in the order of the form (owner.c): the codes come out in
 * that order, and so do the presences a change sends. */
static int (*const appliers[])(muc_room *room, const muc_room_config *v,
                               int *codes, size_t *n) = {
    a_name,     a_desc,          a_lang,        a_persistent,
    a_public,   a_secret,        a_membersonly, a_allowinvites,
    a_maxusers, a_changesubject, a_moderated,   a_whois,
    a_allowpm,  a_getmemberlist, a_history,     a_broadcast,
    a_logging,  a_archiving,
};

size_t muc_op_configure(muc_room *room, const muc_actor *actor,
                        const muc_room_config *cfg,
                        const struct muc_jid_list *admins,
                        const struct muc_jid_list *owners, int *codes)
{
  /* the occupants are told what changed, not by whom: the host is */
  size_t ncodes = 0;
  int was_persistent = room->cfg.persistent;
  muc_op_apply_lists(room, admins, owners);
  for (size_t i = 0; i < sizeof(appliers) / sizeof(appliers[0]); i++)
    appliers[i](room, cfg, codes, &ncodes);
  muc_store_forget(room);
  muc_timer_set(room->svc, room, 0);
  muc_room_save(room, was_persistent && !room->cfg.persistent);
  muc_hook_configured(room, muc_actor_jid(actor));
  return ncodes;
}

int muc_op_set_host_values(muc_room *room, const char *var,
                           const char *const *values, size_t n)
{
  int rc = muc_host_fields_set(room, var, values, n);
  if (rc != MUC_OK)
    return rc;
  muc_feed_touch_part(room, MUC_FEED_PART_HEAD);
  muc_room_save(room, 0);
  return MUC_OK;
}
