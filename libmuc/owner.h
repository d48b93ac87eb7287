/* The owner's side: the room configuration form and room destruction
 * (XEP-0045 §10.1-§10.2, §10.9). */
#ifndef MUC_OWNER_H
#define MUC_OWNER_H

#include "core.h"

void muc_owner_iq(muc_room *room, const mxml_node_t *st, const muc_jid *from,
                  const mxml_node_t *query);

/* Configure |room| with the fields of |form| that it names (the admin and
 * owner lists aside) as a submitted form would, nobody to answer: the
 * same announcements and storage.  MUC_OK, or MUC_ERR_INVALID_ARG (a
 * value the form would refuse: nothing changed). */
struct muc_form;
int muc_owner_configure(muc_room *room, const struct muc_form *form);
#endif
