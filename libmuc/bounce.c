/* Errors sent to the room by its occupants' sessions: which of them mean
 * that the occupant is gone (XEP-0045 §11.1, status 333), and its
 * removal. */
#include "bounce.h"

#include <string.h>

#include "occupant.h"
#include "op_presence.h"
#include "room.h"
#include "stanza.h"

/* Errors a client returns for a message that mean it is gone: the room
 * removes it instead of sending to it again. */
static const char *const kickable[] = {
    "gone",
    "internal-server-error",
    "item-not-found",
    "jid-malformed",
    "recipient-unavailable",
    "redirect",
    "remote-server-not-found",
    "remote-server-timeout",
    "service-unavailable",
};

static int is_kickable_error(const mxml_node_t *st)
{
  const char *cond = muc_stanza_error_condition(st);
  if (!cond)
    return 1; /* malformed error */
  for (size_t i = 0; i < sizeof(kickable) / sizeof(kickable[0]); i++)
    if (strcmp(cond, kickable[i]) == 0)
      return 1;
  return 0;
}

/* The session |from| is removed from the room: the others see it leave
 * with status 333 when it was the occupant's last session. */
static void remove_session(muc_room *room, const mxml_node_t *st,
                           const char *from)
{
  muc_service *svc = room->svc;
  muc_occupant *occ = muc_room_occupant_by_jid(room, from);
  if (!occ)
    return;
  const char *cond = muc_stanza_error_condition(st);
  char msg[256];
  size_t n = (size_t)snprintf(msg, sizeof(msg), "Kicked: %s",
                              cond ? cond : "presence error");
  for (size_t i = 8; i < n && i < sizeof(msg); i++)
    if (msg[i] == '-')
      msg[i] = ' ';
  if (room->cfg.whois == MUC_WHOIS_ANYONE) {
    mxml_node_t *err = muc_xml_child(st, "error", NULL);
    char *text = err ? muc_child_text(svc, err, "text", MUC_NS_STANZAS) : NULL;
    if (text && *text)
      snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), ": %s", text);
    muc_mem_free(&svc->mem, text);
  }
  muc_role prev = occ->role;
  if (muc_occupant_set_unavailable(room, occ, from, msg) != MUC_OK)
    return;
  int last = occ->primary && strcmp(occ->primary->jid, from) == 0;
  if (last)
    occ->role = MUC_ROLE_NONE;
  muc_room_save_occupant(room, occ);
  if (!last) /* the others see the remaining sessions only */
    muc_occupant_prune(room, occ);
  muc_codes codes = {0};
  if (last)
    muc_codes_add(&codes, 333);
  muc_pub p = {.base = &codes, .prev_role = prev};
  muc_presence_publicise(room, occ, &p);
  muc_presence_release(room, occ);
}

void muc_bounce_received(muc_room *room, const mxml_node_t *st,
                         const muc_jid *from, const char *nick)
{
  muc_service *svc = room->svc;
  if (!muc_room_occupant_by_jid(room, from->full))
    return; /* not an occupant's: nothing to remove, and errors are never
             * answered */
  /* the room sends from its own JID and from the occupant JIDs of those
   * in it: an error to a nickname nobody has bounces nothing the room
   * sent (a client answering a message of its own making) */
  if (nick && !muc_room_occupant_by_nick(room, nick)) {
    muc_log(svc, MUC_LOG_DEBUG,
            "%s: an error to %s, nobody's nickname, from %s", room->jid, nick,
            from->full);
    return;
  }
  /* every presence error is a failed delivery (the room's presence went
   * to the session); a message error only with a condition that says the
   * recipient cannot be reached */
  if (strcmp(muc_xml_name(st), "message") == 0 && !is_kickable_error(st))
    return;
  remove_session(room, st, from->full);
}
