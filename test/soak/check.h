/* The checks after each step: the deliveries against the invariants and
 * the expectation, the library's state against the model. */
#ifndef SOAK_CHECK_H
#define SOAK_CHECK_H

#include "model.h"
#include "stanza.h"

typedef struct step {
  /* the model before the step, after its operation, and after the
   * sessions ended from callbacks too (ended while the deliveries went
   * out: a recipient may hold a role in |applied| only) */
  const model *before, *applied, *after;
  const expect *e;
  int sender; /* session, -1 for none */
  int rc;     /* what the entry point returned */
} step;

/* 0 if every delivery of |h| is well-formed and keeps the invariants and
 * the sender got what |st->e| says; else writes why into |why|. */
int check_deliveries(const soak_host *h, const step *st, char *why,
                     size_t size);
/* 0 if the library's observable state is the model's. */
int check_state(const soak_host *h, const model *m, char *why, size_t size);

#endif
