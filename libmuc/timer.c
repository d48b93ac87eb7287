#include "timer.h"

#include "feed.h"

/* heap[i]'s room has heap_pos i + 1; 0 means "not on the heap". */

static uint64_t key(const muc_service *svc, size_t i)
{
  return svc->heap[i]->locked_until;
}

static void place(muc_service *svc, size_t i, muc_room *r)
{
  svc->heap[i] = r;
  r->heap_pos = i + 1;
}

static void sift_up(muc_service *svc, size_t i)
{
  muc_room *r = svc->heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (key(svc, parent) <= r->locked_until)
      break;
    place(svc, i, svc->heap[parent]);
    i = parent;
  }
  place(svc, i, r);
}

static void sift_down(muc_service *svc, size_t i)
{
  muc_room *r = svc->heap[i];
  size_t n = svc->nheap;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n)
      break;
    if (c + 1 < n && key(svc, c + 1) < key(svc, c))
      c++;
    if (r->locked_until <= key(svc, c))
      break;
    place(svc, i, svc->heap[c]);
    i = c;
  }
  place(svc, i, r);
}

static void heap_remove(muc_service *svc, muc_room *room)
{
  size_t i = room->heap_pos - 1;
  room->heap_pos = 0;
  muc_room *last = svc->heap[--svc->nheap];
  if (i == svc->nheap)
    return;
  place(svc, i, last);
  sift_down(svc, i);
  sift_up(svc, last->heap_pos - 1);
}

static int heap_grow(muc_service *svc)
{
  if (svc->nheap < svc->heap_cap)
    return MUC_OK;
  size_t cap = svc->heap_cap ? svc->heap_cap * 2 : 16;
  muc_room **h = muc_mem_realloc(&svc->mem, svc->heap, cap * sizeof(*h));
  if (!h)
    return MUC_ERR_NOMEM;
  svc->heap = h;
  svc->heap_cap = cap;
  return MUC_OK;
}

/* After a removal: the array follows the rooms waiting, not the most that
 * ever waited (freed when empty, halved when a quarter full; a failed
 * shrink keeps it). */
static void heap_shrink(muc_service *svc)
{
  if (svc->nheap == 0) {
    muc_timer_free(svc);
    return;
  }
  if (svc->heap_cap <= 16 || svc->nheap * 4 > svc->heap_cap)
    return;
  size_t cap = svc->heap_cap / 2;
  muc_room **h = muc_mem_realloc(&svc->mem, svc->heap, cap * sizeof(*h));
  if (h) {
    svc->heap = h;
    svc->heap_cap = cap;
  }
}

int muc_timer_set(muc_service *svc, muc_room *room, uint64_t at)
{
  if (room->heap_pos)
    heap_remove(svc, room);
  muc_feed_touch_part(room, MUC_FEED_PART_HEAD);
  room->locked_until = at;
  if (!at) {
    heap_shrink(svc);
    return MUC_OK;
  }
  if (heap_grow(svc) != MUC_OK) {
    room->locked_until = 0;
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  place(svc, svc->nheap++, room);
  sift_up(svc, svc->nheap - 1);
  return MUC_OK;
}

uint64_t muc_timer_next(const muc_service *svc)
{
  return svc->nheap ? svc->heap[0]->locked_until : UINT64_MAX;
}

muc_room *muc_timer_pop_due(muc_service *svc, uint64_t now)
{
  if (!svc->nheap || svc->heap[0]->locked_until > now)
    return NULL;
  muc_room *r = svc->heap[0];
  heap_remove(svc, r);
  heap_shrink(svc);
  return r;
}

void muc_timer_free(muc_service *svc)
{
  muc_mem_free(&svc->mem, svc->heap);
  svc->heap = NULL;
  svc->nheap = svc->heap_cap = 0;
}
