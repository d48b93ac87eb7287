/* The muc#user payload of presences (XEP-0045 §17.2), written as bytes.
 *
 * Presences are built from serialized pieces (presence.c); these writers
 * append exactly what muc_xml_write() would write for the same elements
 * built as a tree (attributes in the order given, values escaped, empty
 * elements as <a/>), without building one: the payload of a join is on
 * the hottest path of a service of small rooms. */
#ifndef MUC_USERX_H
#define MUC_USERX_H

#include <mxml.h>

#include "buf.h"
#include "types.h"

/* One <item/>: |jid|, |nick|, the actor and |reason| are left out when
 * NULL (the actor when both its nick and JID are); |role| by name. */
typedef struct muc_userx_item {
  muc_affiliation aff;
  const char *role;
  const char *jid;
  const char *nick;
  const char *actor_nick;
  const char *actor_jid;
  const char *reason;
} muc_userx_item;

/* <x xmlns='...muc#user'> */
void muc_userx_open(muc_buf *b);
/* </x>, or "/>" in place of the '>' of the opening when |empty|. */
void muc_userx_close(muc_buf *b, int empty);
void muc_userx_put_item(muc_buf *b, const muc_userx_item *it);
/* <status code='|code|'/> */
void muc_userx_put_status(muc_buf *b, int code);
/* |el| as it is written when copied into an <x/> of muc#user (e.g. a
 * <destroy/>).  MUC_OK or MUC_ERR_NOMEM. */
int muc_userx_put_copy(muc_buf *b, const mxml_node_t *el);

#endif
