/* A growable byte buffer in host-allocator memory. */
#ifndef MUC_BUF_H
#define MUC_BUF_H

#include <stddef.h>
#include <string.h>

#include "mem.h"

typedef struct muc_buf {
  char *data; /* always NUL-terminated when non-NULL */
  size_t len;
  size_t cap;
  muc_mem *mem;
  int oom; /* sticky: set once an append failed */
} muc_buf;

void muc_buf_init(muc_buf *b, muc_mem *m);
void muc_buf_free(muc_buf *b);
void muc_buf_reset(muc_buf *b); /* len = 0, keeps capacity, clears oom */
/* Between uses: free the buffer when it grew beyond |keep| bytes, so that
 * one large stanza or record does not stay with the service for good. */
void muc_buf_trim(muc_buf *b, size_t keep);
/* Return MUC_OK or MUC_ERR_NOMEM (and set b->oom). */
int muc_buf_append_slow(muc_buf *b, const char *s, size_t n);
/* Make room for |extra| more bytes (and the NUL) in one growth. */
int muc_buf_reserve(muc_buf *b, size_t extra);
/* Inline: serializing is many small appends, and the fast case (room
 * left, no failure yet) is a copy. */
static inline int muc_buf_append(muc_buf *b, const char *s, size_t n)
{
  if (b->oom || n >= b->cap - b->len || !b->data)
    return muc_buf_append_slow(b, s, n);
  if (n)
    memcpy(b->data + b->len, s, n); /* |s| may be NULL when |n| is 0 */
  b->len += n;
  b->data[b->len] = '\0';
  return MUC_OK;
}

/* Inline too: most callers pass a literal, whose length and copy the
 * compiler then works out where it is called. */
static inline int muc_buf_puts(muc_buf *b, const char *s)
{
  return muc_buf_append(b, s, strlen(s));
}

static inline int muc_buf_putc(muc_buf *b, char c)
{
  if (b->oom || b->cap - b->len < 2 || !b->data)
    return muc_buf_append_slow(b, &c, 1);
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
  return MUC_OK;
}
/* XML-escape |s| (n bytes) as text or attribute content: & < > " always,
 * and in attributes also TAB/LF/CR as &#9; &#10; &#13;.  CR is escaped
 * in text too (else a parser's end-of-line handling turns it into LF). */
int muc_buf_append_escaped(muc_buf *b, const char *s, size_t n, int in_attr);
/* Does |s| (|n| bytes) go into an attribute as it is, with nothing to
 * escape?  For what is checked once and written many times. */
int muc_buf_attr_plain(const char *s, size_t n);
/* Append ` name="value"`, |value| escaped for an attribute. */
int muc_buf_put_attr(muc_buf *b, const char *name, const char *value);
/* Append |v| in decimal (what printf's %llu writes). */
int muc_buf_put_u64(muc_buf *b, unsigned long long v);

#endif
