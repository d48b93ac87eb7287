/* Reading a room's extras (vCard, hats) from a snapshot's EXTRAS section
 * or the feed's "extras" event (snapshot.h): each value is checked as a
 * stored record's is (room_extras.c). */
#include <string.h>

#include "room_extras.h"
#include "snapshot.h"
#include "xml.h"

static int text_ok(const char *s)
{
  return !s || muc_utf8_xml_valid(s, strlen(s));
}

/* |n| strings (optional ones when |opt| says so) into |out|. */
static int read_strs(muc_service *svc, muc_snap_in *in, char **out, size_t n,
                     const int *opt)
{
  int rc = MUC_OK;
  for (size_t i = 0; i < n && rc == MUC_OK; i++) {
    if (opt[i])
      rc = muc_snap_opt(svc, in, &out[i]);
    else
      out[i] = muc_snap_str(svc, in, &rc);
    if (rc == MUC_OK && (!text_ok(out[i]) || (!opt[i] && !*out[i])))
      rc = MUC_ERR_STORAGE;
  }
  return rc;
}

static void free_strs(muc_service *svc, char **s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    muc_mem_free(&svc->mem, s[i]);
}

static int read_hats(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  uint32_t n = muc_snap_u32(in);
  /* each takes at least its two lengths and a byte */
  if (in->bad || n > in->left / 9)
    return MUC_ERR_STORAGE;
  static const int opt[3] = {0, 0, 1};
  int rc = MUC_OK;
  for (uint32_t i = 0; i < n && rc == MUC_OK; i++) {
    char *s[3] = {0};
    rc = read_strs(svc, in, s, 3, opt);
    if (rc == MUC_OK && muc_extras_hat(room, s[0]))
      rc = MUC_ERR_STORAGE;
    if (rc == MUC_OK)
      rc = muc_extras_define_hat(room, s[0], s[1], s[2]);
    free_strs(svc, s, 3);
  }
  return rc;
}

static int read_worn(muc_room *room, muc_snap_in *in)
{
  muc_service *svc = room->svc;
  uint32_t n = muc_snap_u32(in);
  if (in->bad || n > in->left / 8)
    return MUC_ERR_STORAGE;
  static const int opt[2] = {0, 0};
  int rc = MUC_OK;
  for (uint32_t i = 0; i < n && rc == MUC_OK; i++) {
    char *s[2] = {0};
    rc = read_strs(svc, in, s, 2, opt);
    if (rc == MUC_OK &&
        (!muc_extras_hat(room, s[1]) || muc_extras_wears(room, s[0], s[1])))
      rc = MUC_ERR_STORAGE;
    if (rc == MUC_OK)
      rc = muc_extras_wear(room, s[0], s[1]);
    free_strs(svc, s, 2);
  }
  return rc;
}

int muc_snap_read_extras(muc_room *room, muc_snap_in *in)
{
  char *vcard = NULL;
  int rc = muc_snap_opt(room->svc, in, &vcard);
  if (rc == MUC_OK && vcard) {
    rc = muc_extras_set_vcard(room, vcard);
    if (rc == MUC_ERR_INVALID_ARG)
      rc = MUC_ERR_STORAGE;
  }
  muc_mem_free(&room->svc->mem, vcard);
  if (rc == MUC_OK)
    rc = read_hats(room, in);
  if (rc == MUC_OK)
    rc = read_worn(room, in);
  return rc == MUC_OK && (in->bad || in->left) ? MUC_ERR_STORAGE : rc;
}
