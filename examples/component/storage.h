/*
 * storage - persistent room records in one SQLite file (WAL mode).
 *
 * Every store is its own transaction, committed before storage_put()
 * returns: libmuc calls store_room while it handles a stanza and hands
 * out the stanzas that stanza causes only afterwards, so whatever a
 * client was told is on disk first (docs/deploying.md, "Durability").
 * A commit is fsynced (synchronous=FULL) unless the caller asks for
 * less (NORMAL: written to the WAL, which survives a kill of the
 * process, not a power cut).
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_STORAGE_H
#define COMPONENT_STORAGE_H

#include <stddef.h>

typedef struct storage storage;

/* storage_open - NULL with a one-line reason in |err| (not writable, not
 * a database...). */
storage *storage_open(const char *path, char *err, size_t errsz);
void storage_close(storage *st);

/* storage_put - store |data| for |room| (NULL |data|: delete it),
 * fsynced if |fsync| (synchronous=FULL), else only written (NORMAL).  0,
 * or -1 with the reason in |err|. */
int storage_put(storage *st, const char *room, const char *data, size_t len,
                int fsync, char *err, size_t errsz);

/* storage_get - 1 and a malloc'd *|data| if |room| is stored, 0 if not,
 * -1 on error (reason in |err|). */
int storage_get(storage *st, const char *room, char **data, size_t *len,
                char *err, size_t errsz);

#endif
