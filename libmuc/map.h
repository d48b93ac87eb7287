/* String-keyed hash map (open addressing, linear probing).  Keys are
 * borrowed: each key must stay valid while its entry exists (entries point
 * at strings owned by the value they map to). */
#ifndef MUC_MAP_H
#define MUC_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

/* The key's hash is kept beside it: a probe compares hashes and touches
 * a key only when they match.  With many rooms the keys are far apart in
 * memory, so each key read on a probe is a cache miss (docs/performance.md,
 * "W6 at service scale"); the slot's extra word costs less. */
/* FNV-1a, 32 bit: the string hash of the map and of the service's other
 * tables (the JID cache, the room-list index). */
static inline uint32_t muc_hash_str(const char *s)
{
  uint32_t h = 2166136261u;
  for (; *s; s++) {
    h ^= (uint8_t)*s;
    h *= 16777619u;
  }
  return h;
}

typedef struct muc_map_slot {
  const char *key; /* NULL: empty; see map.c for the tombstone marker */
  void *value;
  uint32_t hash; /* muc_hash_str(key) */
} muc_map_slot;

typedef struct muc_map {
  muc_map_slot *slots;
  size_t cap;   /* power of two, or 0 */
  size_t count; /* live entries */
  size_t used;  /* live + tombstones */
} muc_map;

void muc_map_init(muc_map *map);
void muc_map_free(muc_mem *m, muc_map *map);
void *muc_map_get(const muc_map *map, const char *key);
/* The same, and while the key of the entry whose hash matches is
 * compared, the first |warm| bytes of its value are asked of the cache
 * (prefetch.h): for values the caller reads at once, at a scale where
 * they are not in cache. */
void *muc_map_get_warm(const muc_map *map, const char *key, size_t warm);
/* Insert or replace.  MUC_OK or MUC_ERR_NOMEM (map unchanged). */
int muc_map_put(muc_mem *m, muc_map *map, const char *key, void *value);
/* Remove; returns the old value or NULL. */
void *muc_map_del(muc_map *map, const char *key);
/* After deletions: a map left empty frees its table, one at most 1/8 full
 * takes a smaller one (kept as it is if that fails), so that a map's
 * memory follows what it holds and not the most it ever held. */
void muc_map_shrink(muc_mem *m, muc_map *map);
/* The live entry at or after slot *|i| (then *|i| is past it), or NULL
 * when there is none: iteration in slot order, *|i| starting at 0.  The
 * map must not change during an iteration. */
muc_map_slot *muc_map_next(const muc_map *map, size_t *i);
/* Make room for |n| more entries so that the next |n| puts cannot fail. */
int muc_map_reserve(muc_mem *m, muc_map *map, size_t n);

#endif
