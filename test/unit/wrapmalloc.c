/* The --wrap allocator wrappers described in wrapmalloc.h.  They count,
 * fail on request, and forward to the real functions; strdup, strndup
 * and vasprintf are rebuilt on __real_malloc so that each is one counted
 * attempt and their blocks are ones the wrapped free() knows. */
#define _POSIX_C_SOURCE 200809L /* strnlen */

#include "wrapmalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

/* Prototypes for the wrappers, which only the linker refers to. */
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_vasprintf(char **out, const char *fmt, va_list ap);
int __wrap___vasprintf_chk(char **out, int flag, const char *fmt, va_list ap);

static struct {
  long attempts;
  long fail_at;
  long fail_from;
  long failed;
  long live;
  wrapmalloc_kind failed_kind;
  /* The latest successful allocation (NULL once freed, or after a
   * realloc of an existing block). */
  void *last;
  size_t last_size;
  wrapmalloc_kind last_kind;
  /* |last| as it was at the first injected failure. */
  void *before;
  size_t before_size;
  wrapmalloc_kind before_kind;
} wm;

void wrapmalloc_reset(void)
{
  wm.attempts = 0;
  wm.fail_at = 0;
  wm.fail_from = 0;
  wm.failed = 0;
  wm.failed_kind = WRAPMALLOC_NONE;
  wm.before = NULL;
}

void wrapmalloc_fail_at(long n)
{
  wm.fail_at = n;
}

void wrapmalloc_fail_from(long n)
{
  wm.fail_from = n;
}

long wrapmalloc_count(void)
{
  return wm.attempts;
}

long wrapmalloc_failed(void)
{
  return wm.failed;
}

long wrapmalloc_live(void)
{
  return wm.live;
}

wrapmalloc_kind wrapmalloc_failed_kind(void)
{
  return wm.failed_kind;
}

void *wrapmalloc_block_before_failure(size_t *size, wrapmalloc_kind *kind)
{
  if (wm.before) {
    *size = wm.before_size;
    *kind = wm.before_kind;
  }
  return wm.before;
}

/* Number the attempt; is it one to fail? */
static int fails(wrapmalloc_kind kind)
{
  long n = ++wm.attempts;
  if (!((wm.fail_at && n == wm.fail_at) || (wm.fail_from && n >= wm.fail_from)))
    return 0;
  if (wm.failed++ == 0) {
    wm.failed_kind = kind;
    wm.before = wm.last;
    wm.before_size = wm.last_size;
    wm.before_kind = wm.last_kind;
  }
  errno = ENOMEM;
  return 1;
}

static void *note(void *p, size_t n, wrapmalloc_kind kind)
{
  if (p) {
    wm.live++;
    wm.last = p;
    wm.last_size = n;
    wm.last_kind = kind;
  }
  return p;
}

/* |p| is gone (freed, or moved by realloc). */
static void forget(void *p)
{
  if (p == wm.last)
    wm.last = NULL;
  if (p == wm.before)
    wm.before = NULL;
}

void *__wrap_malloc(size_t n)
{
  if (fails(WRAPMALLOC_MALLOC))
    return NULL;
  return note(__real_malloc(n), n, WRAPMALLOC_MALLOC);
}

void *__wrap_calloc(size_t count, size_t size)
{
  if (fails(WRAPMALLOC_CALLOC))
    return NULL;
  return note(__real_calloc(count, size), count * size, WRAPMALLOC_CALLOC);
}

void *__wrap_realloc(void *p, size_t n)
{
  if (!p)
    return __wrap_malloc(n);
  if (fails(WRAPMALLOC_REALLOC))
    return NULL;
  /* Never 0: realloc(p, 0) frees in glibc but not everywhere (ASan). */
  void *q = __real_realloc(p, n ? n : 1);
  if (q)
    forget(p);
  return q;
}

void __wrap_free(void *p)
{
  if (!p)
    return;
  wm.live--;
  forget(p);
  __real_free(p);
}

static char *copy_of(const char *s, size_t n, wrapmalloc_kind kind)
{
  if (fails(kind))
    return NULL;
  char *d = note(__real_malloc(n + 1), n + 1, kind);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

char *__wrap_strdup(const char *s)
{
  return copy_of(s, strlen(s), WRAPMALLOC_STRDUP);
}

char *__wrap_strndup(const char *s, size_t n)
{
  return copy_of(s, strnlen(s, n), WRAPMALLOC_STRNDUP);
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
  *out = NULL;
  if (fails(WRAPMALLOC_VASPRINTF))
    return -1;
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, again);
  va_end(again);
  if (n < 0)
    return -1;
  char *d =
      note(__real_malloc((size_t)n + 1), (size_t)n + 1, WRAPMALLOC_VASPRINTF);
  if (!d)
    return -1;
  vsnprintf(d, (size_t)n + 1, fmt, ap);
  *out = d;
  return n;
}

/* What <stdio.h> turns vasprintf into under _FORTIFY_SOURCE, and what
 * Debian's libmxml.a calls. */
int __wrap___vasprintf_chk(char **out, int flag, const char *fmt, va_list ap)
{
  (void)flag;
  return __wrap_vasprintf(out, fmt, ap);
}

int wrapmalloc_reclaim_mxml_leak(void)
{
  size_t size = 0;
  wrapmalloc_kind kind = WRAPMALLOC_NONE;
  void *p = wrapmalloc_block_before_failure(&size, &kind);
  if (p && wrapmalloc_failed_kind() == WRAPMALLOC_STRDUP &&
      kind == WRAPMALLOC_MALLOC && size == 2 * sizeof(char *)) {
    __wrap_free(p);
    return 1;
  }
  return 0;
}
