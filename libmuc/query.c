/* The read-only public queries. */
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "occupant.h"
#include "room.h"

const char *muc_service_get_domain(const muc_service *svc)
{
  return svc ? svc->domain : NULL;
}

size_t muc_service_get_room_count(const muc_service *svc)
{
  return svc ? svc->nrooms : 0;
}

size_t muc_service_get_memory_usage(const muc_service *svc)
{
  return svc ? svc->mem.in_use : 0;
}

muc_room *muc_service_find_room(const muc_service *svc, const char *room)
{
  if (!svc || !room)
    return NULL;
  muc_mem m = svc->mem; /* a copy: lookups must not change the service */
  muc_jid j;
  char *node = NULL;
  if (strchr(room, '@')) {
    if (muc_jid_parse(&m, room, &j) != MUC_OK)
      return NULL;
    if (j.node && !j.resource && strcmp(j.domain, svc->domain) == 0)
      node = muc_mem_strdup(&m, j.node);
    muc_jid_clear(&m, &j);
  } else {
    size_t n = strlen(room) + strlen(svc->domain) + 2;
    char *full = muc_mem_malloc(&m, n);
    if (!full)
      return NULL;
    snprintf(full, n, "%s@%s", room, svc->domain);
    if (muc_jid_parse(&m, full, &j) == MUC_OK) {
      if (j.node && !j.resource)
        node = muc_mem_strdup(&m, j.node);
      muc_jid_clear(&m, &j);
    }
    muc_mem_free(&m, full);
  }
  if (!node)
    return NULL;
  muc_room *r = muc_map_get(&svc->rooms, node);
  muc_mem_free(&m, node);
  return r && !r->loading ? r : NULL;
}

const char *muc_room_get_jid(const muc_room *room)
{
  return room ? room->jid : NULL;
}

size_t muc_room_get_occupant_count(const muc_room *room)
{
  return room ? room->noccupants : 0;
}

const char *muc_room_get_subject(const muc_room *room)
{
  return room && room->subject ? room->subject : "";
}

int muc_room_get_affiliation(const muc_room *room, const char *jid)
{
  if (!room || !jid)
    return MUC_AFFIL_NONE;
  muc_mem m = room->svc->mem;
  muc_jid j;
  if (muc_jid_parse(&m, jid, &j) != MUC_OK)
    return MUC_AFFIL_NONE;
  muc_affiliation a = muc_room_affiliation(room, j.bare);
  muc_jid_clear(&m, &j);
  return a;
}

int muc_room_get_role(const muc_room *room, const char *nick)
{
  if (!room || !nick)
    return MUC_ROLE_NONE;
  const muc_occupant *o = muc_room_occupant_by_nick(room, nick);
  return o ? o->role : MUC_ROLE_NONE;
}
