#include "map.h"

#include <string.h>

#include "prefetch.h"

/* A deleted slot keeps probing chains intact: its key is this marker. */
static const char tombstone[1] = {0};

void muc_map_init(muc_map *map)
{
  memset(map, 0, sizeof(*map));
}

void muc_map_free(muc_mem *m, muc_map *map)
{
  muc_mem_free(m, map->slots);
  muc_map_init(map);
}

/* |warm|: the bytes of a candidate's value to ask the cache for while its
 * key is compared (muc_map_get_warm), 0 for none. */
static muc_map_slot *find_warm(const muc_map *map, const char *key, uint32_t h,
                               size_t warm)
{
  if (map->cap == 0)
    return NULL;
  size_t mask = map->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    muc_map_slot *s = &map->slots[i];
    if (s->key == NULL)
      return NULL;
    if (s->hash != h || s->key == tombstone)
      continue;
    if (warm)
      muc_prefetch_bytes(s->value, warm);
    if (strcmp(s->key, key) == 0)
      return s;
  }
}

static muc_map_slot *find(const muc_map *map, const char *key, uint32_t h)
{
  return find_warm(map, key, h, 0);
}

void *muc_map_get(const muc_map *map, const char *key)
{
  muc_map_slot *s = find(map, key, muc_hash_str(key));
  return s ? s->value : NULL;
}

void *muc_map_get_warm(const muc_map *map, const char *key, size_t warm)
{
  muc_map_slot *s = find_warm(map, key, muc_hash_str(key), warm);
  return s ? s->value : NULL;
}

static int rehash(muc_mem *m, muc_map *map, size_t cap)
{
  muc_map_slot *slots = muc_mem_calloc(m, cap, sizeof(*slots));
  if (!slots)
    return MUC_ERR_NOMEM;
  size_t mask = cap - 1;
  for (size_t i = 0; i < map->cap; i++) {
    muc_map_slot *o = &map->slots[i];
    if (o->key == NULL || o->key == tombstone)
      continue;
    size_t j = o->hash & mask;
    while (slots[j].key)
      j = (j + 1) & mask;
    slots[j] = *o;
  }
  muc_mem_free(m, map->slots);
  map->slots = slots;
  map->cap = cap;
  map->used = map->count;
  return MUC_OK;
}

void muc_map_shrink(muc_mem *m, muc_map *map)
{
  if (map->count == 0) {
    muc_map_free(m, map);
    return;
  }
  if (map->cap <= 8 || map->count * 8 > map->cap)
    return;
  /* half full at most after it: the next growth is as far away as the
   * next shrink */
  size_t cap = 8;
  while (map->count * 2 > cap)
    cap *= 2;
  rehash(m, map, cap); /* out of memory: the larger table stays */
}

int muc_map_reserve(muc_mem *m, muc_map *map, size_t n)
{
  /* keep the load (live + tombstones) at or under 3/4 */
  size_t need = map->used + n;
  if (map->cap && need * 4 <= map->cap * 3)
    return MUC_OK;
  size_t cap = map->cap ? map->cap : 8;
  while ((map->count + n) * 4 > cap * 3)
    cap *= 2;
  if (cap < map->cap)
    cap = map->cap;
  return rehash(m, map, cap);
}

int muc_map_put(muc_mem *m, muc_map *map, const char *key, void *value)
{
  uint32_t h = muc_hash_str(key);
  muc_map_slot *s = find(map, key, h);
  if (s) {
    s->key = key;
    s->value = value;
    return MUC_OK;
  }
  if (muc_map_reserve(m, map, 1) != MUC_OK)
    return MUC_ERR_NOMEM;
  size_t mask = map->cap - 1;
  size_t i = h & mask;
  while (map->slots[i].key && map->slots[i].key != tombstone)
    i = (i + 1) & mask;
  if (map->slots[i].key == NULL)
    map->used++;
  map->slots[i].key = key;
  map->slots[i].value = value;
  map->slots[i].hash = h;
  map->count++;
  return MUC_OK;
}

void *muc_map_del(muc_map *map, const char *key)
{
  muc_map_slot *s = find(map, key, muc_hash_str(key));
  if (!s)
    return NULL;
  void *v = s->value;
  s->key = tombstone;
  s->value = NULL;
  map->count--;
  return v;
}

muc_map_slot *muc_map_next(const muc_map *map, size_t *i)
{
  for (; *i < map->cap; (*i)++) {
    muc_map_slot *s = &map->slots[*i];
    if (s->key && s->key != tombstone) {
      (*i)++;
      return s;
    }
  }
  return NULL;
}
