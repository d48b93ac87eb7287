#include "outq.h"

#include <string.h>

#include "muc/muc.h"

/* Beyond this the arena and the delivery array are freed once drained:
 * a join into a room of 10,000 queues megabytes that would otherwise stay
 * with the service for good. */
#define OUTQ_KEEP_BYTES 16384
#define OUTQ_KEEP_DELIVERIES 256

void muc_outq_init(muc_outq *q, muc_mem *m)
{
  memset(q, 0, sizeof(*q));
  muc_buf_init(&q->arena, m);
}

void muc_outq_free(muc_outq *q)
{
  muc_mem_free(q->arena.mem, q->d);
  muc_buf_free(&q->arena);
  q->d = NULL;
  q->n = q->cap = q->next = 0;
}

/* Append |len| bytes and a NUL to the arena; their offset in *off. */
static int arena_put(muc_outq *q, const char *s, size_t len, uint32_t *off)
{
  size_t at = q->arena.len;
  if (at + len + 1 >= MUC_OUTQ_TO_PLAIN)
    return MUC_ERR_NOMEM; /* offsets are 31-bit: the top bit is a flag */
  if (muc_buf_append(&q->arena, s, len) != MUC_OK ||
      muc_buf_putc(&q->arena, '\0') != MUC_OK) {
    q->arena.oom = 0; /* the queue stays usable for what it holds */
    q->arena.len = at;
    return MUC_ERR_NOMEM;
  }
  *off = (uint32_t)at;
  return MUC_OK;
}

int muc_outq_template(muc_outq *q, const char *text, size_t len,
                      uint32_t splice, muc_tmpl *out)
{
  if (arena_put(q, text, len, &out->off) != MUC_OK)
    return MUC_ERR_NOMEM;
  out->len = (uint32_t)len;
  out->splice = splice;
  return MUC_OK;
}

int muc_outq_push(muc_outq *q, const muc_tmpl *t, const char *to, int plain)
{
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 64;
    muc_delivery *d = muc_mem_realloc(q->arena.mem, q->d, cap * sizeof(*d));
    if (!d)
      return MUC_ERR_NOMEM;
    q->d = d;
    q->cap = cap;
  }
  muc_delivery *d = &q->d[q->n];
  if (arena_put(q, to, strlen(to), &d->to) != MUC_OK)
    return MUC_ERR_NOMEM;
  if (plain)
    d->to |= MUC_OUTQ_TO_PLAIN;
  d->t = *t;
  q->n++;
  return MUC_OK;
}

const char *muc_outq_text(const muc_outq *q, const muc_tmpl *t)
{
  return q->arena.data + t->off;
}

const char *muc_outq_to(const muc_outq *q, const muc_delivery *d)
{
  return q->arena.data + (d->to & ~MUC_OUTQ_TO_PLAIN);
}

int muc_outq_to_is_plain(const muc_delivery *d)
{
  return (d->to & MUC_OUTQ_TO_PLAIN) != 0;
}

void muc_outq_reset(muc_outq *q)
{
  q->n = q->next = 0;
  muc_buf_reset(&q->arena);
  muc_buf_trim(&q->arena, OUTQ_KEEP_BYTES);
  if (q->cap > OUTQ_KEEP_DELIVERIES) {
    muc_mem_free(q->arena.mem, q->d);
    q->d = NULL;
    q->cap = 0;
  }
}
