/* A growable byte buffer in host-allocator memory. */
#ifndef MUC_BUF_H
#define MUC_BUF_H

#include <stddef.h>

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
/* Return MUC_OK or MUC_ERR_NOMEM (and set b->oom). */
int muc_buf_append(muc_buf *b, const char *s, size_t n);
int muc_buf_puts(muc_buf *b, const char *s);
int muc_buf_putc(muc_buf *b, char c);
/* XML-escape |s| (n bytes) as text or attribute content: & < > " always,
 * and in attributes also TAB/LF/CR as &#9; &#10; &#13;.  CR is escaped
 * in text too (else a parser's end-of-line handling turns it into LF). */
int muc_buf_append_escaped(muc_buf *b, const char *s, size_t n, int in_attr);

#endif
