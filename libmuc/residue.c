/* The service's memory between calls (residue.h). */
#include "residue.h"

#include "jidcache.h"
#include "outq.h"
#include "timer.h"

/* What a buffer may keep between calls: the size the delivery queue keeps
 * (outq.c); a room record or a large stanza written once is given back. */
#define KEEP_BYTES 16384

void muc_residue_trim(muc_service *svc)
{
  muc_buf_trim(&svc->scratch, KEEP_BYTES);
  muc_buf_trim(&svc->out, KEEP_BYTES);
  if (svc->nrooms)
    return;
  /* nobody is left to come back: the caches would only speed up traffic
   * that a service without rooms hardly gets */
  muc_jidcache_free(svc);
  muc_outq_free(&svc->outq);
  muc_buf_free(&svc->scratch);
  muc_buf_free(&svc->out);
  muc_mem_free_spares(&svc->mem); /* after the buffers, which give theirs */
  mxmlDelete(svc->spare_tree);    /* Mini-XML's, kept for the next parse */
  svc->spare_tree = NULL;
  /* empty already (map.c, timer.c shrink as entries go), freed for sure */
  muc_map_free(&svc->mem, &svc->rooms);
  muc_map_free(&svc->mem, &svc->creators);
  muc_timer_free(svc);
}
