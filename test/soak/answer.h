/* The stanza errors the soak's operations can be answered with: the rows
 * of docs/errors.md they reach, each with its type and condition, written
 * down again here so that the soak checks the library against the
 * document and not against itself. */
#ifndef SOAK_ANSWER_H
#define SOAK_ANSWER_H

typedef struct soak_answer {
  const char *row;  /* the row's name in docs/errors.md */
  const char *type; /* the <error/>'s type attribute */
  const char *cond; /* its defined condition */
} soak_answer;

/* The answer of |row|; a row the table does not have is a bug of the
 * soak: it stops there. */
const soak_answer *soak_answer_of(const char *row);

#endif
