/*
 * bytes - a growable byte buffer.
 * SPDX-License-Identifier: MIT
 */
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

int bytes_add(bytes *b, const char *s, size_t n)
{
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n)
      cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
      return -1;
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  return 0;
}

int bytes_terminate(bytes *b)
{
  if (bytes_add(b, "", 1) < 0)
    return -1;
  b->len--;
  return 0;
}

void bytes_free(bytes *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
