#include "roomindex.h"

#include <string.h>

#include "map.h"

#define REMOVED UINT32_MAX
#define DEAD '\1' /* a removed pair's first byte: no node starts so */

static size_t pair_size(const char *pair)
{
  size_t n = strlen(pair) + 1;
  return n + strlen(pair + n) + 1;
}

/* The slot holding |node|, or NULL. */
static uint32_t *find(const muc_roomindex *x, const char *node)
{
  if (!x->nslots)
    return NULL;
  size_t mask = x->nslots - 1;
  for (size_t i = muc_hash_str(node) & mask;; i = (i + 1) & mask) {
    uint32_t s = x->slots[i];
    if (s == 0)
      return NULL;
    if (s != REMOVED && strcmp(x->text + s - 1, node) == 0)
      return &x->slots[i];
  }
}

static void place(muc_roomindex *x, uint32_t off1)
{
  size_t mask = x->nslots - 1;
  size_t i = muc_hash_str(x->text + off1 - 1) & mask;
  while (x->slots[i] && x->slots[i] != REMOVED)
    i = (i + 1) & mask;
  if (x->slots[i] == 0)
    x->used++;
  x->slots[i] = off1;
}

/* A table of |n| slots for the live pairs (the text as it is). */
static int rehash(muc_mem *m, muc_roomindex *x, size_t n)
{
  uint32_t *slots = muc_mem_calloc(m, n, sizeof(*slots));
  if (!slots)
    return MUC_ERR_NOMEM;
  muc_mem_free(m, x->slots);
  x->slots = slots;
  x->nslots = n;
  x->used = 0;
  for (size_t pos = 0; pos < x->len; pos += pair_size(x->text + pos))
    if (x->text[pos] != DEAD)
      place(x, (uint32_t)pos + 1);
  return MUC_OK;
}

/* Slots for |count| live pairs at a load of at most 3/4. */
static size_t slots_for(size_t count)
{
  size_t n = 8;
  while (count * 4 > n * 3)
    n *= 2;
  return n;
}

static int reserve(muc_mem *m, muc_roomindex *x, size_t bytes)
{
  if (x->len + bytes >= REMOVED)
    return MUC_ERR_NOMEM; /* offsets are 32 bits */
  if (x->len + bytes > x->cap) {
    /* an eighth more each time: little slack, still amortized O(1) */
    size_t cap = x->cap + x->cap / 8 + 1024;
    if (cap < x->len + bytes)
      cap = x->len + bytes;
    char *t = muc_mem_realloc(m, x->text, cap);
    if (!t)
      return MUC_ERR_NOMEM;
    x->text = t;
    x->cap = cap;
  }
  if ((x->used + 1) * 4 > x->nslots * 3)
    return rehash(m, x, slots_for(x->count + 1));
  return MUC_OK;
}

/* Half of the text is removed pairs: pack it (a failure keeps it). */
static void pack(muc_mem *m, muc_roomindex *x)
{
  size_t live = x->len - x->dead;
  char *t = muc_mem_malloc(m, live + live / 8 + 1024);
  if (!t)
    return;
  size_t out = 0;
  for (size_t pos = 0; pos < x->len;) {
    size_t n = pair_size(x->text + pos);
    if (x->text[pos] != DEAD) {
      memcpy(t + out, x->text + pos, n);
      out += n;
    }
    pos += n;
  }
  muc_mem_free(m, x->text);
  x->text = t;
  x->len = out;
  x->cap = live + live / 8 + 1024;
  x->dead = 0;
  if (rehash(m, x, slots_for(x->count)) != MUC_OK) {
    /* the old table points into the old text: keep every slot empty
     * rather than wrong, and rebuild at the next put */
    memset(x->slots, 0, x->nslots * sizeof(*x->slots));
    x->used = 0;
    for (size_t pos = 0; pos < x->len; pos += pair_size(x->text + pos))
      place(x, (uint32_t)pos + 1);
  }
}

void muc_roomindex_del(muc_mem *m, muc_roomindex *x, const char *node)
{
  uint32_t *s = find(x, node);
  if (!s)
    return;
  char *pair = x->text + *s - 1;
  x->dead += pair_size(pair);
  pair[0] = DEAD;
  *s = REMOVED;
  if (--x->count == 0)
    muc_roomindex_free(m, x);
  else if (x->dead > 4096 && x->dead * 2 > x->len)
    pack(m, x);
}

int muc_roomindex_put(muc_mem *m, muc_roomindex *x, const char *node,
                      const char *name)
{
  if (!name)
    name = "";
  size_t nl = strlen(node) + 1, ml = strlen(name) + 1;
  if (reserve(m, x, nl + ml) != MUC_OK)
    return MUC_ERR_NOMEM;
  uint32_t off1 = (uint32_t)x->len + 1;
  memcpy(x->text + x->len, node, nl);
  memcpy(x->text + x->len + nl, name, ml);
  x->len += nl + ml;
  uint32_t *s = find(x, node);
  if (s && *s != off1) {
    /* a replacement: the old pair is dead, its slot the new one's */
    char *old = x->text + *s - 1;
    x->dead += pair_size(old);
    old[0] = DEAD;
    *s = off1;
    return MUC_OK;
  }
  place(x, off1);
  x->count++;
  return MUC_OK;
}

int muc_roomindex_next(const muc_roomindex *x, size_t *pos, const char **node,
                       const char **name)
{
  while (*pos < x->len) {
    const char *pair = x->text + *pos;
    size_t nl = strlen(pair) + 1;
    *pos += pair_size(pair);
    if (pair[0] != DEAD) {
      *node = pair;
      *name = pair + nl;
      return 1;
    }
  }
  return 0;
}

int muc_roomindex_after(const muc_roomindex *x, const char *node, size_t *pos)
{
  const uint32_t *slot = find(x, node);
  if (!slot)
    return 0;
  *pos = *slot - 1 + pair_size(x->text + *slot - 1);
  return 1;
}

void muc_roomindex_free(muc_mem *m, muc_roomindex *x)
{
  muc_mem_free(m, x->text);
  muc_mem_free(m, x->slots);
  memset(x, 0, sizeof(*x));
}
