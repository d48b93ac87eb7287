/* The room list of stored rooms: the public persistent rooms that are
 * not in memory (evicted, or known from the stored list at start), so
 * that the service's disco#items lists them with their names; and, with
 * muc_config.store_room_list, that list persisted under the service's
 * domain (docs/room-record.md, "The room list").
 *
 * In memory the entries are a compact index (roomindex.h): the two
 * strings of each and a 4-byte table slot (docs/limits.md).  A room changes
 * only while in memory, so the index never needs updating for a change: a room
 * enters it with its state of the moment it leaves memory, and leaves it when
 * it comes back. */
#ifndef MUC_ROOMLIST_H
#define MUC_ROOMLIST_H

#include "core.h"

#define MUC_NS_ROOMLIST "urn:libmuc:rooms:1"

/* |room| is saved or destroyed: if what the list says of it (public and
 * persistent, its name) changed, the stored list is due to be written. */
void muc_roomlist_note(muc_room *room);
/* |room| leaves memory (evicted, shutdown): an entry for it if it is
 * public and persistent.  MUC_OK or MUC_ERR_NOMEM (nothing changed). */
int muc_roomlist_keep(muc_room *room);
/* |room| came back from storage: its entry goes (it is listed from
 * memory), and what the list says of it is noted as it is. */
void muc_roomlist_back(muc_room *room);
/* The record of the room |node| was absent: no entry for it. */
void muc_roomlist_drop(muc_service *svc, const char *node);
/* Append an <item/> for each entry whose room is not in memory. */
void muc_roomlist_items(muc_service *svc, mxml_node_t *q);

/* At an entry point: ask for the stored list the first time. */
void muc_roomlist_request(muc_service *svc);
/* The answer: the stored list's record (NULL: none).  MUC_OK,
 * MUC_ERR_STORAGE (not a valid list: nothing taken) or MUC_ERR_NOMEM. */
int muc_roomlist_loaded(muc_service *svc, const char *data, size_t len);
/* Write the stored list if it is due (|force|: if it is kept at all);
 * never while the stored one is asked for and not answered. */
void muc_roomlist_flush(muc_service *svc, int force);
/* When the stored list is due, UINT64_MAX if it is not. */
uint64_t muc_roomlist_deadline(const muc_service *svc);
void muc_roomlist_free(muc_service *svc);

#endif
