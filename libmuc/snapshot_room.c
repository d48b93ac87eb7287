/* A whole snapshot: its frame (magic, version, CRC-32) and a new room
 * built from its sections (the entry points: snapshot_api.c). */
#include <string.h>

#include "call.h"
#include "history.h"
#include "limit.h"
#include "room.h"
#include "room_extras.h"
#include "snapshot.h"
#include "store.h"
#include "tombstone.h"

int muc_snapshot_open(const char *data, size_t len, muc_snap_in *sections)
{
  if (!data || len < 12 || memcmp(data, MUC_SNAP_MAGIC, 4) != 0)
    return MUC_ERR_STORAGE;
  muc_snap_in in = {(const unsigned char *)data + len - 4, 4, 0, 0};
  if (muc_snap_u32(&in) != muc_snap_crc(0, data, len - 4))
    return MUC_ERR_STORAGE;
  in.p = (const unsigned char *)data + 4;
  in.left = 4;
  /* a later libmuc reads every earlier version; this one knows 1 and 2 */
  uint32_t version = muc_snap_u32(&in);
  if (version < 1 || version > MUC_SNAP_VERSION)
    return MUC_ERR_STORAGE;
  sections->p = (const unsigned char *)data + 8;
  sections->left = len - 12;
  sections->bad = 0;
  sections->version = version;
  return MUC_OK;
}

int muc_snapshot_room_jid(muc_service *svc, const muc_snap_in *sections,
                          char **node)
{
  *node = NULL;
  muc_snap_in in = *sections, body;
  unsigned tag;
  int rc;
  if (muc_snap_section(&in, &tag, &body) != MUC_OK ||
      (tag != MUC_SNAP_ROOM && tag != MUC_SNAP_TOMBSTONE))
    return MUC_ERR_STORAGE;
  char *jid = muc_snap_str(svc, &body, &rc);
  if (!jid)
    return rc;
  char *at = strchr(jid, '@');
  rc = MUC_ERR_STORAGE;
  if (at && at != jid && !strchr(jid, '/') && muc_jid_is_canonical(jid) &&
      strcmp(at + 1, svc->domain) == 0) {
    *at = 0;
    *node = muc_mem_strdup(&svc->mem, jid);
    rc = *node ? MUC_OK : MUC_ERR_NOMEM;
  }
  muc_mem_free(&svc->mem, jid);
  return rc;
}

/* Sections come in tag order; the room first, once; IQS at most once;
 * HOSTFIELD only from version 2 on. */
static int read_sections(muc_room *room, muc_snap_in *in)
{
  unsigned tag, prev = 0;
  size_t bytes = 0;
  uint64_t last = 0;
  muc_occupant *occ;
  int rc = MUC_OK;
  while (rc == MUC_OK && in->left) {
    muc_snap_in body;
    if (muc_snap_section(in, &tag, &body) != MUC_OK || tag < prev ||
        (prev == 0 && tag != MUC_SNAP_ROOM) ||
        (tag == prev && (tag == MUC_SNAP_ROOM || tag == MUC_SNAP_IQS)))
      return MUC_ERR_STORAGE;
    prev = tag;
    switch (tag) {
    case MUC_SNAP_ROOM:
      rc = muc_snap_read_room(room, &body);
      break;
    case MUC_SNAP_AFFIL:
      rc = muc_snap_read_affil(room, &body);
      break;
    case MUC_SNAP_OCCUPANT:
      rc = muc_snap_read_occupant(room, &body, &occ);
      break;
    case MUC_SNAP_HISTORY:
      rc = muc_snap_read_history(room, &body, &bytes, &last);
      break;
    case MUC_SNAP_IQS:
      rc = muc_snap_read_iqs(room, &body);
      break;
    case MUC_SNAP_HOSTFIELD:
      rc = in->version < 2 ? MUC_ERR_STORAGE
                           : muc_snap_read_hostfield(room, &body);
      if (rc == MUC_OK && body.left)
        rc = MUC_ERR_STORAGE; /* longer than its fields */
      break;
    case MUC_SNAP_EXTRAS:
      rc = room->extras ? MUC_ERR_STORAGE : muc_snap_read_extras(room, &body);
      break;
    default:
      return MUC_ERR_STORAGE; /* a version this reader does not know */
    }
  }
  if (rc == MUC_OK && prev == 0)
    return MUC_ERR_STORAGE;
  return rc;
}

int muc_snapshot_build(muc_service *svc, const char *node, muc_snap_in *in,
                       muc_room **out)
{
  *out = NULL;
  if (muc_limit_reached(svc, MUC_LIMIT_ROOMS, svc->nrooms))
    return MUC_ERR_LIMIT;
  int err = svc->err;
  muc_tombstone_remove(svc, node, 0); /* the room is back */
  muc_room *room = muc_room_new(svc, node);
  if (!room)
    return MUC_ERR_NOMEM;
  int rc = read_sections(room, in);
  if (rc == MUC_OK && !muc_store_within_limits(room))
    rc = MUC_ERR_STORAGE;
  if (rc == MUC_OK && svc->err == MUC_ERR_NOMEM)
    rc = MUC_ERR_NOMEM;
  if (rc != MUC_OK) {
    muc_room_free(room);
    if (rc != MUC_ERR_NOMEM) {
      svc->err = err; /* a refused snapshot costs nothing else */
      svc->oom = 0;
    }
    return rc;
  }
  *out = room;
  return MUC_OK;
}

/* A TOMBSTONE section, the whole snapshot: the room JID (checked
 * already), then the tombstone. */
static int restore_tombstone(muc_service *svc, const char *node,
                             muc_snap_in *in)
{
  unsigned tag;
  muc_snap_in body;
  int rc = muc_snap_section(in, &tag, &body);
  uint32_t jid_len = muc_snap_u32(&body);
  if (rc != MUC_OK || in->left || body.bad || jid_len > body.left)
    return MUC_ERR_STORAGE;
  body.p += jid_len;
  body.left -= jid_len;
  return muc_snap_read_tombstone(svc, node, &body);
}

int muc_snapshot_restore(muc_service *svc, const char *data, size_t len)
{
  muc_snap_in in;
  char *node = NULL;
  int rc = muc_snapshot_open(data, len, &in);
  if (rc == MUC_OK)
    rc = muc_snapshot_room_jid(svc, &in, &node);
  if (rc == MUC_OK && muc_map_get(&svc->rooms, node))
    rc = MUC_ERR_EXISTS;
  muc_room *room;
  if (rc == MUC_OK && in.p[0] == MUC_SNAP_TOMBSTONE) {
    rc = restore_tombstone(svc, node, &in);
    muc_mem_free(&svc->mem, node);
    return rc;
  }
  if (rc == MUC_OK)
    rc = muc_snapshot_build(svc, node, &in, &room);
  muc_mem_free(&svc->mem, node);
  return rc;
}
