/* Allocation through the host's muc_allocator, with byte accounting. */
#ifndef MUC_MEM_H
#define MUC_MEM_H

#include <stddef.h>

#include "muc/muc.h"

typedef struct muc_mem {
  muc_allocator a; /* always complete (libc hooks when the host gave none) */
  size_t in_use;   /* bytes currently allocated (payload sizes) */
  size_t peak;
} muc_mem;

/* Fill |m| from |a| (NULL = libc). */
void muc_mem_init(muc_mem *m, const muc_allocator *a);

/* Every function returns NULL on failure (or for n == 0: a valid pointer). */
void *muc_mem_malloc(muc_mem *m, size_t n);
void *muc_mem_calloc(muc_mem *m, size_t count, size_t size);
void *muc_mem_realloc(muc_mem *m, void *p, size_t n);
void muc_mem_free(muc_mem *m, void *p); /* NULL is a no-op */
char *muc_mem_strdup(muc_mem *m, const char *s);
char *muc_mem_strndup(muc_mem *m, const char *s, size_t n);

#endif
