#include "extras_disco.h"

#include <nettle/sha1.h>
#include <stdio.h>
#include <string.h>

#include "avatar.h"
#include "room_extras.h"
#include "stanza.h"

void muc_extras_disco_service_features(muc_service *svc, mxml_node_t *q)
{
  muc_attr(svc, muc_el(svc, q, "feature", NULL), "var", MUC_NS_VCARD);
}

void muc_extras_disco_features(const muc_room *room, mxml_node_t *q)
{
  muc_service *svc = room->svc;
  const muc_room_extras *x = muc_extras(room);
  if (x && x->vcard)
    muc_attr(svc, muc_el(svc, q, "feature", NULL), "var", MUC_NS_VCARD);
  if (x && x->nhats)
    muc_attr(svc, muc_el(svc, q, "feature", NULL), "var", MUC_NS_HATS);
}

/* XEP-0317 §2 leaves the hash of a room's hats to the implementation:
 * the SHA-1 of each hat's URI, title and hue (each ended by a NUL), in
 * order, so that any change to the list changes it. */
static void hats_hash(const muc_room_extras *x, char hex[41])
{
  struct sha1_ctx sha;
  sha1_init(&sha);
  for (size_t i = 0; i < x->nhats; i++) {
    const char *parts[3] = {x->hats[i].uri, x->hats[i].title,
                            x->hats[i].hue ? x->hats[i].hue : ""};
    for (size_t k = 0; k < 3; k++)
      sha1_update(&sha, strlen(parts[k]) + 1, (const uint8_t *)parts[k]);
  }
  uint8_t d[SHA1_DIGEST_SIZE];
  sha1_digest(&sha, sizeof(d), d);
  for (size_t i = 0; i < sizeof(d); i++)
    snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

void muc_extras_disco_roominfo(const muc_room *room, mxml_node_t *x)
{
  muc_service *svc = room->svc;
  const muc_room_extras *e = muc_extras(room);
  if (e && e->nhats) {
    char hex[41];
    hats_hash(e, hex);
    muc_fx_value(svc,
                 muc_fx_field(svc, x, "hats#hash", "text-single", "Hats hash"),
                 hex);
  }
  const char *hashes = muc_extras_avatar(room);
  if (!hashes)
    return;
  mxml_node_t *f = muc_fx_field(svc, x, "muc#roominfo_avatarhash", "text-multi",
                                "Avatar hash");
  /* each hash is 40 hex digits, one space between them */
  for (const char *h = hashes; *h; h += h[40] ? 41 : 40) {
    char one[41];
    memcpy(one, h, 40);
    one[40] = 0;
    muc_fx_value(svc, f, one);
  }
}
