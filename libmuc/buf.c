/* A growable, always NUL-terminated byte buffer in host-allocator memory.
 * Out-of-memory is sticky so that a writer may append many pieces and
 * check once at the end without ever producing a silently truncated
 * result. */
#include "buf.h"

#include <stdint.h>
#include <string.h>

#define BUF_MIN_CAP 64

void muc_buf_init(muc_buf *b, muc_mem *m)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->mem = m;
  b->oom = 0;
}

void muc_buf_free(muc_buf *b)
{
  muc_mem_give_spare(b->mem, b->data, b->cap);
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->oom = 0;
}

void muc_buf_trim(muc_buf *b, size_t keep)
{
  if (b->cap > keep)
    muc_buf_free(b);
}

void muc_buf_reset(muc_buf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
  b->oom = 0;
}

/* Give |b| at least |need| bytes: a spare block of the service first,
 * else by doubling.  Out of line: the callers' fast path is the room
 * check alone. */
static __attribute__((noinline)) int grow(muc_buf *b, size_t need)
{
  if (!b->data && (b->data = muc_mem_take_spare(b->mem, &b->cap)) != NULL) {
    b->data[0] = '\0';
    if (need <= b->cap)
      return MUC_OK;
  }
  size_t cap = b->cap ? b->cap : BUF_MIN_CAP;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *d = muc_mem_realloc(b->mem, b->data, cap);
  if (!d) {
    b->oom = 1;
    return MUC_ERR_NOMEM;
  }
  b->data = d;
  b->cap = cap;
  return MUC_OK;
}

/* Make room for |extra| more bytes plus the terminating NUL. */
static int reserve(muc_buf *b, size_t extra)
{
  if (b->oom)
    return MUC_ERR_NOMEM;
  if (extra > SIZE_MAX - 1 - b->len) {
    b->oom = 1;
    return MUC_ERR_NOMEM;
  }
  size_t need = b->len + extra + 1;
  return need <= b->cap ? MUC_OK : grow(b, need);
}

int muc_buf_reserve(muc_buf *b, size_t extra)
{
  return reserve(b, extra);
}

int muc_buf_append_slow(muc_buf *b, const char *s, size_t n)
{
  if (reserve(b, n) != MUC_OK)
    return MUC_ERR_NOMEM;
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return MUC_OK;
}

/* Which bytes escaping must look at: 1 everywhere, 2 in attributes only.
 * Most text has none, and a table lets the scan skip runs of plain bytes
 * in one tight loop. */
static const unsigned char esc_class[256] = {
    ['&'] = 1,  ['<'] = 1,  ['>'] = 1,  ['"'] = 1,
    ['\r'] = 1, ['\t'] = 2, ['\n'] = 2,
};

static const char *escape_of(char c)
{
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  /* Conforming parsers turn literal TAB/LF/CR in attribute values into
   * spaces; character references survive (XML 1.0 §3.3.3). */
  case '\t':
    return "&#9;";
  case '\n':
    return "&#10;";
  /* A literal CR in text would come back as LF (end-of-line handling,
   * XML 1.0 §2.11), so it is escaped there too, as C14N does. */
  default:
    return "&#13;";
  }
}

int muc_buf_append_escaped(muc_buf *b, const char *s, size_t n, int in_attr)
{
  const unsigned char *u = (const unsigned char *)s;
  unsigned mask = in_attr ? 3u : 1u;
  size_t run = 0; /* start of the pending run of bytes copied as they are */
  for (size_t i = 0; i < n; i++) {
    /* eight plain bytes at a time: one test for the common case */
    while (i + 8 <= n &&
           !((esc_class[u[i]] | esc_class[u[i + 1]] | esc_class[u[i + 2]] |
              esc_class[u[i + 3]] | esc_class[u[i + 4]] | esc_class[u[i + 5]] |
              esc_class[u[i + 6]] | esc_class[u[i + 7]]) &
             mask))
      i += 8;
    if (i == n)
      break;
    if (!(esc_class[u[i]] & mask))
      continue;
    muc_buf_append(b, s + run, i - run);
    muc_buf_puts(b, escape_of(s[i]));
    run = i + 1;
  }
  muc_buf_append(b, s + run, n - run);
  return b->oom ? MUC_ERR_NOMEM : MUC_OK;
}

int muc_buf_attr_plain(const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n; i++)
    if (esc_class[u[i]])
      return 0;
  return 1;
}

int muc_buf_put_u64(muc_buf *b, unsigned long long v)
{
  char digits[20]; /* 2^64 - 1 has 20 */
  size_t i = sizeof(digits);
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return muc_buf_append(b, digits + i, sizeof(digits) - i);
}

int muc_buf_put_attr(muc_buf *b, const char *name, const char *value)
{
  muc_buf_putc(b, ' ');
  muc_buf_puts(b, name);
  muc_buf_append(b, "=\"", 2);
  muc_buf_append_escaped(b, value, strlen(value), 1);
  return muc_buf_putc(b, '"');
}
