/*
 * bytes - a growable byte buffer: the deliveries of one libmuc call
 * (service.c) and what waits while the server is away (transport.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_BYTES_H
#define COMPONENT_BYTES_H

#include <stddef.h>

typedef struct bytes {
  char *data;
  size_t len, cap;
} bytes;

/* bytes_add - append |n| bytes; 0, or -1 when out of memory (nothing
 * appended). */
int bytes_add(bytes *b, const char *s, size_t n);
/* bytes_terminate - put a NUL after the content (not counted in |len|);
 * 0, or -1 when out of memory. */
int bytes_terminate(bytes *b);
void bytes_free(bytes *b);

#endif
