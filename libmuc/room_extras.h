/* A room's state of the modern MUC extensions (state layer): its vCard
 * with the avatar hashes drawn from it (XEP-0054, XEP-0486), the hats it
 * defines and the hats its users wear (XEP-0317).  Kept with the room,
 * written into its record (muc_extras_write_record), its snapshot and
 * the change feed (snapshot_write.c, snapshot_read.c: the EXTRAS
 * section); each change here tells the feed. */
#ifndef MUC_ROOM_EXTRAS_H
#define MUC_ROOM_EXTRAS_H

#include "core.h"

#define MUC_NS_HATS "urn:xmpp:hats:0"

typedef struct muc_hat {
  char *uri;   /* what identifies it */
  char *title; /* shown to people */
  char *hue;   /* a hue angle as given; NULL: none */
} muc_hat;

typedef struct muc_hat_worn {
  char *jid; /* a prepared bare JID */
  char *uri; /* a hat the room defines */
} muc_hat_worn;

typedef struct muc_room_extras {
  char *vcard;  /* the <vCard/> serialized; NULL: none */
  char *avatar; /* its avatar hashes, one space between; NULL: none */
  muc_hat *hats;
  size_t nhats; /* defined, in order of definition */
  /* sorted by JID (byte order), each JID's in order of assignment: a
   * presence finds its occupant's hats by a binary search */
  muc_hat_worn *worn;
  size_t nworn;
} muc_room_extras;

/* The extras of |room|, NULL when it has none. */
static inline const muc_room_extras *muc_extras(const muc_room *room)
{
  return room->extras;
}
void muc_extras_free(muc_room *room);

/* Set the vCard of |room| to the serialized <vCard/> |vcard| (copied;
 * NULL or one without children clears it) and compute its avatar hashes.
 * MUC_OK, MUC_ERR_INVALID_ARG (not a vcard-temp <vCard/>, or a BINVAL that
 * is not base64: nothing changed) or MUC_ERR_NOMEM. */
int muc_extras_set_vcard(muc_room *room, const char *vcard);
const char *muc_extras_vcard(const muc_room *room);
/* The avatar hashes ("h1 h2"), NULL when the vCard has no photo. */
const char *muc_extras_avatar(const muc_room *room);

/* The hat |uri| that |room| defines, or NULL. */
const muc_hat *muc_extras_hat(const muc_room *room, const char *uri);
/* Define the hat |uri| (or change its title and hue).  MUC_OK or NOMEM. */
int muc_extras_define_hat(muc_room *room, const char *uri, const char *title,
                          const char *hue);
/* Remove the hat |uri| and every assignment of it; 1 if it existed. */
int muc_extras_destroy_hat(muc_room *room, const char *uri);
/* Does |jid| wear the hat |uri|? */
int muc_extras_wears(const muc_room *room, const char *jid, const char *uri);
/* How many hats |jid| wears. */
size_t muc_extras_worn_by(const muc_room *room, const char *jid);
/* |jid| wears |uri| (a defined hat) from now on.  MUC_OK or NOMEM. */
int muc_extras_wear(muc_room *room, const char *jid, const char *uri);
/* |jid| no longer wears |uri|; 1 if it did. */
int muc_extras_doff(muc_room *room, const char *jid, const char *uri);

/* <hats xmlns='urn:xmpp:hats:0'><hat uri= title= [hue=]/>...</hats>: the
 * hats |jid| wears, for its occupant's presence (nothing when none). */
void muc_extras_put_hats(const muc_room *room, muc_buf *b, const char *jid);
/* Is |el| a <hats/> payload (or a <hat/>) of XEP-0317, which only the room
 * writes? */
int muc_extras_is_hats(const mxml_node_t *el);

/* Append the record's <vcard/>, <hatdef/> and <hat/> elements (the bytes
 * muc_xml_write gives, as the rest of the record). */
void muc_extras_write_record(const muc_room *room, muc_buf *b);
/* Read them from the record |r|.  MUC_OK, MUC_ERR_STORAGE or NOMEM. */
int muc_extras_read_record(muc_room *room, const mxml_node_t *r);

#endif
