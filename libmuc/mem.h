/* Allocation through the host's muc_allocator, with byte accounting. */
#ifndef MUC_MEM_H
#define MUC_MEM_H

#include <stddef.h>

#include "muc/muc.h"

/* Spare buffers a muc_mem keeps (muc_mem_keep_spares): at most this many,
 * of at most this many bytes each. */
#define MUC_MEM_SPARES 4
#define MUC_MEM_SPARE_MAX 4096

typedef struct muc_mem {
  muc_allocator a; /* always complete (libc hooks when the host gave none) */
  size_t in_use;   /* bytes currently allocated (payload sizes) */
  size_t peak;
  /* Buffer blocks given back by muc_buf_free, for the next buffer to grow
   * into (buf.c): a stanza builds several short-lived buffers, and each
   * reused block is an allocation saved.  Kept only by the muc_mem at
   * |owner|, so that a copy of it (query.c) never hands out the same
   * block as the original. */
  const struct muc_mem *owner; /* NULL: keeps no spares */
  unsigned nspare;
  void *spare[MUC_MEM_SPARES];
  size_t spare_cap[MUC_MEM_SPARES];
} muc_mem;

/* Fill |m| from |a| (NULL = libc).  It keeps no spares. */
void muc_mem_init(muc_mem *m, const muc_allocator *a);
/* From now on |m| (at its final address) keeps spare buffer blocks. */
void muc_mem_keep_spares(muc_mem *m);
/* Free the spares kept so far; |m| goes on keeping new ones. */
void muc_mem_free_spares(muc_mem *m);
/* Free the spares and keep no more (before the last look at in_use, or
 * freeing |m|). */
void muc_mem_drop_spares(muc_mem *m);
/* A kept block (its capacity in *cap), or NULL if there is none. */
void *muc_mem_take_spare(muc_mem *m, size_t *cap);
/* Keep the block |p| of |cap| bytes, or free it. */
void muc_mem_give_spare(muc_mem *m, void *p, size_t cap);

/* Every function returns NULL on failure (or for n == 0: a valid pointer). */
void *muc_mem_malloc(muc_mem *m, size_t n);
void *muc_mem_calloc(muc_mem *m, size_t count, size_t size);
void *muc_mem_realloc(muc_mem *m, void *p, size_t n);
void muc_mem_free(muc_mem *m, void *p); /* NULL is a no-op */
char *muc_mem_strdup(muc_mem *m, const char *s);
char *muc_mem_strndup(muc_mem *m, const char *s, size_t n);

#endif
