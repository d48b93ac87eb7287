/*
 * malloc_count.c - count every malloc, calloc and realloc of the process,
 * Mini-XML's included, which the library's allocator hooks do not see.
 *
 * The executable defines the four functions and forwards them to glibc's
 * own (__libc_*), so the heap, mallinfo2() and every figure are the same
 * as without; symbol interposition makes the shared libraries (libmuc,
 * Mini-XML, libc's own strdup) call these.  No LD_PRELOAD, no -Wl,--wrap
 * (which would not reach into shared libraries).  The cost is one
 * increment and one direct call per allocation.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

/* Declared in bench.h; single-threaded program, so a plain counter. */
EXPORT uint64_t g_proc_allocs;

EXPORT void *malloc(size_t size)
{
  g_proc_allocs++;
  return __libc_malloc(size);
}

EXPORT void *calloc(size_t count, size_t size)
{
  g_proc_allocs++;
  return __libc_calloc(count, size);
}

EXPORT void *realloc(void *ptr, size_t size)
{
  g_proc_allocs++;
  return __libc_realloc(ptr, size);
}

EXPORT void free(void *ptr)
{
  __libc_free(ptr);
}
