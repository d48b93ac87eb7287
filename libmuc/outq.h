/* The outgoing queue: every delivery an entry point causes waits here
 * until the state change it describes is complete, then goes to the host
 * in order.  A stanza sent to many is stored once (a template) with each
 * recipient beside it; 'to' is spliced in when it is delivered. */
#ifndef MUC_OUTQ_H
#define MUC_OUTQ_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A template: a serialized stanza in the queue's arena.  |splice| is
 * where ' to="..."' goes (the end of the root's attributes), or
 * MUC_OUTQ_WHOLE for a stanza that already carries its 'to'. */
#define MUC_OUTQ_WHOLE UINT32_MAX
typedef struct muc_tmpl {
  uint32_t off, len, splice;
} muc_tmpl;

typedef struct muc_delivery {
  muc_tmpl t;
  /* arena offset of the NUL-terminated recipient; with MUC_OUTQ_TO_PLAIN
   * set, it needs no escaping (muc_outq_push's |plain|) */
  uint32_t to;
} muc_delivery;

typedef struct muc_outq {
  muc_buf arena;
  muc_delivery *d;
  size_t n, cap, next; /* |next|: the first not yet delivered */
} muc_outq;

void muc_outq_init(muc_outq *q, muc_mem *m);
void muc_outq_free(muc_outq *q);
/* Copy |len| bytes of stanza text into the queue as a template.  MUC_OK
 * or MUC_ERR_NOMEM. */
int muc_outq_template(muc_outq *q, const char *text, size_t len,
                      uint32_t splice, muc_tmpl *out);
/* Queue a delivery of |t| to |to|; |plain|: the caller knows |to| needs
 * no escaping in an attribute (muc_buf_attr_plain).  MUC_OK or
 * MUC_ERR_NOMEM. */
#define MUC_OUTQ_TO_PLAIN UINT32_C(0x80000000)
int muc_outq_push(muc_outq *q, const muc_tmpl *t, const char *to, int plain);
/* The text of |t| and of a delivery's recipient (valid until the queue
 * grows: never while a callback runs). */
const char *muc_outq_text(const muc_outq *q, const muc_tmpl *t);
const char *muc_outq_to(const muc_outq *q, const muc_delivery *d);
/* Was the recipient queued as needing no escaping? */
int muc_outq_to_is_plain(const muc_delivery *d);
/* Everything delivered: empty the queue, and give back memory a large
 * broadcast made it take. */
void muc_outq_reset(muc_outq *q);

#endif
