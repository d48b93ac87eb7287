/* A hint to the processor that a cache line is wanted soon.  At service
 * scale (100,000 rooms) a room is in memory, not in cache, when its next
 * stanza comes, and the handlers read its fields one after another: asked
 * for together, its lines arrive in the time of one miss instead of one
 * after the other (docs/performance.md, "Service scale"). */
#ifndef MUC_PREFETCH_H
#define MUC_PREFETCH_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define MUC_PREFETCH(p) __builtin_prefetch(p)
#else
#define MUC_PREFETCH(p) ((void)(p))
#endif

/* Every 64-byte line of the |size| bytes at |p|. */
static inline void muc_prefetch_bytes(const void *p, size_t size)
{
  for (size_t off = 0; off < size; off += 64)
    MUC_PREFETCH((const char *)p + off);
}

#endif
