/* Allocation through the host's muc_allocator, with byte accounting.
 *
 * Every block carries a header recording its payload size, so that
 * muc_mem_free() and muc_mem_realloc() can keep |in_use| exact without
 * asking the host allocator (which is not told sizes).  The header is one
 * 8-byte word, so payloads are 8-byte aligned: enough for everything
 * libmuc stores (pointers, size_t, 64-bit integers), and it keeps the
 * small, numerous blocks of occupants and sessions small. */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef union mem_hdr {
  uint64_t align;
  size_t size;
  void *ptr;
} mem_hdr;

#define HDR_SIZE sizeof(mem_hdr)

static void *libc_malloc(size_t size, void *ud)
{
  (void)ud;
  return malloc(size);
}

static void *libc_realloc(void *p, size_t size, void *ud)
{
  (void)ud;
  return realloc(p, size);
}

static void libc_free(void *p, void *ud)
{
  (void)ud;
  free(p);
}

void muc_mem_init(muc_mem *m, const muc_allocator *a)
{
  /* All or nothing: mixing a host malloc with the libc free would be
   * worse than ignoring an incomplete allocator. */
  if (a && a->malloc && a->realloc && a->free) {
    m->a = *a;
  } else {
    m->a.malloc = libc_malloc;
    m->a.realloc = libc_realloc;
    m->a.free = libc_free;
    m->a.user_data = NULL;
  }
  m->in_use = 0;
  m->peak = 0;
  m->owner = NULL;
  m->nspare = 0;
}

void muc_mem_keep_spares(muc_mem *m)
{
  m->owner = m;
}

void muc_mem_free_spares(muc_mem *m)
{
  while (m->owner == m && m->nspare)
    muc_mem_free(m, m->spare[--m->nspare]);
}

void muc_mem_drop_spares(muc_mem *m)
{
  muc_mem_free_spares(m);
  m->owner = NULL;
}

void *muc_mem_take_spare(muc_mem *m, size_t *cap)
{
  if (m->owner != m || !m->nspare)
    return NULL;
  m->nspare--;
  *cap = m->spare_cap[m->nspare];
  return m->spare[m->nspare];
}

void muc_mem_give_spare(muc_mem *m, void *p, size_t cap)
{
  if (p && m->owner == m && m->nspare < MUC_MEM_SPARES &&
      cap <= MUC_MEM_SPARE_MAX) {
    m->spare[m->nspare] = p;
    m->spare_cap[m->nspare++] = cap;
    return;
  }
  muc_mem_free(m, p);
}

static void account_add(muc_mem *m, size_t n)
{
  m->in_use += n;
  if (m->in_use > m->peak)
    m->peak = m->in_use;
}

void *muc_mem_malloc(muc_mem *m, size_t n)
{
  if (n > SIZE_MAX - HDR_SIZE)
    return NULL;
  mem_hdr *h = m->a.malloc(HDR_SIZE + n, m->a.user_data);
  if (!h)
    return NULL;
  h->size = n;
  account_add(m, n);
  return (char *)h + HDR_SIZE;
}

void *muc_mem_calloc(muc_mem *m, size_t count, size_t size)
{
  if (size && count > SIZE_MAX / size)
    return NULL;
  void *p = muc_mem_malloc(m, count * size);
  if (p)
    memset(p, 0, count * size);
  return p;
}

void *muc_mem_realloc(muc_mem *m, void *p, size_t n)
{
  if (!p)
    return muc_mem_malloc(m, n);
  if (n > SIZE_MAX - HDR_SIZE)
    return NULL;
  mem_hdr *old = (mem_hdr *)(void *)((char *)p - HDR_SIZE);
  size_t old_size = old->size;
  mem_hdr *h = m->a.realloc(old, HDR_SIZE + n, m->a.user_data);
  if (!h)
    return NULL; /* the old block is untouched and still accounted */
  h->size = n;
  m->in_use -= old_size;
  account_add(m, n);
  return (char *)h + HDR_SIZE;
}

void muc_mem_free(muc_mem *m, void *p)
{
  if (!p)
    return;
  mem_hdr *h = (mem_hdr *)(void *)((char *)p - HDR_SIZE);
  m->in_use -= h->size;
  m->a.free(h, m->a.user_data);
}

char *muc_mem_strndup(muc_mem *m, const char *s, size_t n)
{
  if (!s)
    return NULL;
  const char *end = memchr(s, '\0', n);
  size_t len = end ? (size_t)(end - s) : n;
  if (len == SIZE_MAX)
    return NULL;
  char *d = muc_mem_malloc(m, len + 1);
  if (!d)
    return NULL;
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

char *muc_mem_strdup(muc_mem *m, const char *s)
{
  if (!s)
    return NULL;
  return muc_mem_strndup(m, s, strlen(s));
}
