#include "extras_disco.h"

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

void muc_extras_disco_roominfo(const muc_room *room, mxml_node_t *x)
{
  muc_service *svc = room->svc;
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
