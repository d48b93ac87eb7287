/* The unsigned decimal attributes of the room record (store.h), read by
 * both the record (store.c) and its history (history_store.c). */
#include "store.h"

#include <stdlib.h>

int muc_store_get_num(const mxml_node_t *el, const char *name,
                      unsigned long long max, unsigned long long *out)
{
  const char *v = muc_xml_attr(el, name);
  if (!v)
    return 1;
  char *end;
  if (!*v || *v == '-')
    return -1;
  unsigned long long n = strtoull(v, &end, 10);
  if (*end || n > max)
    return -1;
  *out = n;
  return 0;
}
