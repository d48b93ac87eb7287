/* A host allocator for tests: counts live blocks and allocation attempts,
 * and fails the attempt numbered |fail_at| (0-based; -1: never).  Used to
 * check that every block is freed and that each allocation failure is
 * handled (nghttp2's failmalloc idea).  To debug one failure, run the test
 * under gdb with FAILMALLOC_TRAP=1 (a trap at the failing attempt) and
 * FAILMALLOC_FROM=N (start at attempt N). */
#ifndef TEST_COUNTER_H
#define TEST_COUNTER_H

#include <stdlib.h>

typedef struct counter {
  size_t live;
  long fail_at;
  long attempts; /* every attempt, failing or not */
} counter;

static inline int counter_fails(counter *c)
{
  int f = c->attempts++ == c->fail_at && c->fail_at >= 0;
  if (f && getenv("FAILMALLOC_TRAP"))
    __builtin_trap();
  return f;
}

static inline void *c_malloc(size_t n, void *ud)
{
  counter *c = ud;
  if (counter_fails(c))
    return NULL;
  void *p = malloc(n);
  if (p)
    c->live++;
  return p;
}

static inline void *c_realloc(void *p, size_t n, void *ud)
{
  counter *c = ud;
  if (counter_fails(c))
    return NULL;
  void *q = realloc(p, n);
  if (q && !p)
    c->live++;
  return q;
}

static inline void c_free(void *p, void *ud)
{
  counter *c = ud;
  if (p)
    c->live--;
  free(p);
}

#endif
