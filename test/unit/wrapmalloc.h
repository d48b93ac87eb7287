/* A failmalloc harness that also sees Mini-XML's allocations.
 *
 * Mini-XML calls malloc/calloc/realloc/strdup/free (and vasprintf for
 * its formatted strings) directly, so a muc_allocator cannot reach them.
 * Instead the test executable is linked with
 *
 *   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,
 *   --wrap=strdup,--wrap=strndup,--wrap=vasprintf,--wrap=__vasprintf_chk
 *
 * against the *static* libmxml.a and libmuc's static archive: --wrap only
 * redirects references inside the objects being linked, so with the
 * shared libmxml.so mxml's calls would go straight to libc.  Every call
 * those objects make then lands here (see test/meson.build:
 * wrapmalloc_link_args and mxml_static_dep).
 *
 * Each allocation attempt (malloc, calloc, realloc, strdup, strndup,
 * vasprintf) is numbered from 1 since the last wrapmalloc_reset(); one
 * attempt, or every attempt from one on, can be made to fail.  Frees are
 * not attempts.  The live count covers blocks from every wrapped call
 * since the program started.
 *
 * Typical use (see test_xml_failmalloc.c):
 *
 *   long base = wrapmalloc_live();
 *   wrapmalloc_reset();
 *   run();                           // must succeed
 *   long n = wrapmalloc_count();     // attempts it made
 *   for (long i = 1; i <= n; i++) {
 *     wrapmalloc_reset();
 *     wrapmalloc_fail_at(i);
 *     run();                         // must fail cleanly with NOMEM
 *     wrapmalloc_reset();            // disarm before cleaning up
 *     assert(wrapmalloc_live() == base);
 *   }
 *
 * Not thread-safe: one test thread.  Blocks allocated by code that is not
 * wrapped (a shared library) must not be freed by wrapped code, or the
 * live count drifts. */
#ifndef TEST_WRAPMALLOC_H
#define TEST_WRAPMALLOC_H

#include <stddef.h>

typedef enum wrapmalloc_kind {
  WRAPMALLOC_NONE,
  WRAPMALLOC_MALLOC,
  WRAPMALLOC_CALLOC,
  WRAPMALLOC_REALLOC,
  WRAPMALLOC_STRDUP,
  WRAPMALLOC_STRNDUP,
  WRAPMALLOC_VASPRINTF
} wrapmalloc_kind;

/* Attempt numbering back to 0, nothing armed to fail, failure record
 * cleared.  The live count is kept. */
void wrapmalloc_reset(void);
/* Fail attempt |n| (1-based, counted since the last reset) and only it;
 * 0 disarms. */
void wrapmalloc_fail_at(long n);
/* Fail attempt |n| and every later one (memory stays exhausted); 0
 * disarms. */
void wrapmalloc_fail_from(long n);
/* Allocation attempts since the last reset, failed ones included. */
long wrapmalloc_count(void);
/* Attempts made to fail since the last reset. */
long wrapmalloc_failed(void);
/* Blocks handed out by the wrappers and not yet freed. */
long wrapmalloc_live(void);

/* About the first injected failure since the last reset: the kind of
 * call that failed, and the block returned by the successful attempt
 * just before it, if that block is still live (else NULL; *|size| and
 * *|kind| then undefined).  Lets a test recognize a leak in code it does
 * not own, made right before the failure. */
wrapmalloc_kind wrapmalloc_failed_kind(void);
void *wrapmalloc_block_before_failure(size_t *size, wrapmalloc_kind *kind);

/* Mini-XML 3.3.1 leaks one block when copying the name of an element's
 * first attribute fails: mxml_set_attr() stores the new one-slot array
 * in the node, strdup(name) fails, the count stays 0, and mxml_free()
 * frees the array only when the count is not 0.  Nothing outside mxml
 * can reach that pointer.  Call this after everything was freed: it
 * recognizes exactly that case (a failed strdup right after a malloc of
 * one slot, two pointers, still live), frees the block and returns 1;
 * else it returns 0. */
int wrapmalloc_reclaim_mxml_leak(void);

#endif
