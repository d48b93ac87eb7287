/* A compact set of (node, name) pairs: the index of stored rooms that
 * are not in memory (roomlist.c).  Built for many entries and few bytes:
 * the pairs are packed, "node\0name\0", into one growing text, and a hash
 * table of 4-byte offsets into it finds a node; no allocation per entry.
 * A removed pair stays in the text, marked, until the dead bytes are half
 * of it and the text is packed again.  Memory per entry: its two strings
 * and NULs, an eighth more of slack at most, and 4 bytes for each table
 * slot at a load of 3/8 to 3/4 (docs/limits.md). */
#ifndef MUC_ROOMINDEX_H
#define MUC_ROOMINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

typedef struct muc_roomindex {
  char *text; /* the pairs */
  size_t len, cap, dead;
  uint32_t *slots; /* offset + 1 of a pair; 0 empty, UINT32_MAX removed */
  size_t nslots, count, used; /* used: live + removed slots */
} muc_roomindex;

/* Add or replace |node|'s pair (|name| NULL: empty).  MUC_OK or
 * MUC_ERR_NOMEM (the index as it was). */
int muc_roomindex_put(muc_mem *m, muc_roomindex *x, const char *node,
                      const char *name);
/* Remove |node|'s pair, if any. */
void muc_roomindex_del(muc_mem *m, muc_roomindex *x, const char *node);
/* The live pair at or after *|pos| (0 to start) into *|node| and *|name|
 * (borrowed until the index changes); *|pos| moves past it.  0 at the
 * end. */
int muc_roomindex_next(const muc_roomindex *x, size_t *pos, const char **node,
                       const char **name);
/* The position just past |node|'s pair, for muc_roomindex_next to go on
 * from (it holds until the index changes): 1, or 0 if |node| has none. */
int muc_roomindex_after(const muc_roomindex *x, const char *node, size_t *pos);
void muc_roomindex_free(muc_mem *m, muc_roomindex *x);

#endif
