/* libFuzzer target: JID preparation (libmuc/jid.c).  The input, as a C
 * string, is parsed as a JID and prepared as a nickname (strict and lax,
 * with and without a byte limit).  Besides the sanitizers, the target
 * checks what preparation promises: the parts add up to the bare and full
 * forms, a prepared JID or nick prepares to itself (else two spellings of
 * one address could stay two identities), a copy equals its source, and a
 * limited nick is within its limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_or_abort(const char *a, const char *b)
{
  if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
    abort();
}

/* The five strings of |j| agree with one another. */
static void check_parts(muc_mem *m, const muc_jid *j)
{
  size_t bl = strlen(j->bare);
  if (strncmp(j->full, j->bare, bl) != 0)
    abort();
  if (j->resource
          ? j->full[bl] != '/' || strcmp(j->full + bl + 1, j->resource) != 0
          : j->full[bl] != '\0')
    abort();
  size_t nl = j->node ? strlen(j->node) : 0;
  if (j->node && (strncmp(j->bare, j->node, nl) != 0 || j->bare[nl] != '@'))
    abort();
  if (strcmp(j->bare + (j->node ? nl + 1 : 0), j->domain) != 0)
    abort();
  char *bare = muc_jid_bare_of(m, j->full);
  if (!bare)
    abort();
  same_or_abort(bare, j->bare);
  muc_mem_free(m, bare);
}

static void check_jid(muc_mem *m, const char *s)
{
  muc_jid j;
  int rc = muc_jid_parse(m, s, &j);
  if (rc == MUC_ERR_NOMEM)
    abort();
  if (rc != MUC_OK) {
    if (rc != MUC_ERR_INVALID_ARG || j.full || j.domain)
      abort();
    return;
  }
  check_parts(m, &j);
  muc_jid again, copy;
  if (muc_jid_parse(m, j.full, &again) != MUC_OK)
    abort();
  same_or_abort(again.full, j.full);
  same_or_abort(again.node, j.node);
  same_or_abort(again.resource, j.resource);
  muc_jid_clear(m, &again);
  if (muc_jid_copy(m, &j, &copy) != MUC_OK)
    abort();
  check_parts(m, &copy);
  same_or_abort(copy.full, j.full);
  muc_jid_clear(m, &copy);
  muc_jid_clear(m, &j);
}

static void check_nick(muc_mem *m, const char *s, int strict, size_t max)
{
  char *nick = NULL;
  int rc = muc_nick_prep(m, s, strict, max, &nick);
  if (rc == MUC_ERR_NOMEM || (rc != MUC_OK) != (nick == NULL))
    abort();
  if (rc != MUC_OK) {
    if (rc != MUC_ERR_INVALID_ARG && rc != MUC_ERR_LIMIT)
      abort();
    return;
  }
  if (max && strlen(nick) > max)
    abort();
  char *again = NULL;
  if (muc_nick_prep(m, nick, strict, max, &again) != MUC_OK)
    abort();
  same_or_abort(again, nick);
  muc_mem_free(m, again);
  muc_mem_free(m, nick);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (!s)
    abort();
  memcpy(s, data, size);
  s[size] = '\0';
  muc_mem m;
  muc_mem_init(&m, NULL);
  check_jid(&m, s);
  check_nick(&m, s, 1, 0);
  check_nick(&m, s, 0, 0);
  check_nick(&m, s, 1, 16);
  if (m.in_use != 0)
    abort(); /* every allocation went back */
  free(s);
  return 0;
}
