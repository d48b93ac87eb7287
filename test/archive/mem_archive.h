/* An in-memory message archive (muc_archive, include/muc/muc.h) for the
 * tests: the scenario runner's and the unit tests'.  It keeps every
 * appended message of every room in append order and answers queries
 * with the paging rules docs/archive.md gives hosts, so the tests check
 * libmuc against the contract rather than against a stub. */
#ifndef MEM_ARCHIVE_H
#define MEM_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "muc/muc.h"

typedef struct mem_archived {
  char *room;     /* bare room JID */
  char *id;       /* stable_id */
  char *from;     /* the occupant JID it came from */
  char *author;   /* real bare JID of the sender */
  char *real_jid; /* the real full JID append gave */
  uint64_t time;  /* ms */
  char *xml;      /* as appended, or the tombstone */
  size_t len;
  int retracted;
} mem_archived;

typedef struct mem_archive {
  mem_archived *msgs;
  size_t n, cap;
  /* failures on demand: the next call of that kind returns -1 */
  int fail_append, fail_query, fail_retract;
  size_t appends, queries, retracts; /* calls seen */
  /* its own memory (malloc, realloc, free after mem_archive_init): a test
   * that fails the library's allocations keeps the archive's working */
  void *(*alloc)(size_t);
  void *(*grow)(void *, size_t);
  void (*release)(void *);
} mem_archive;

void mem_archive_init(mem_archive *a);
void mem_archive_free(mem_archive *a);
/* Install |a| as |svc|'s archive: muc_service_set_archive's code. */
int mem_archive_install(mem_archive *a, muc_service *svc);
/* The callbacks, for tests that call them directly. */
const muc_archive *mem_archive_callbacks(void);

#endif
