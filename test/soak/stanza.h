/* A delivered stanza as a strict parser (expat) reads it: what the
 * invariants look at. */
#ifndef SOAK_STANZA_H
#define SOAK_STANZA_H

#include <stddef.h>

#define STANZA_MAX_JIDS 16

typedef struct stanza_info {
  int well_formed;
  char error_text[160]; /* expat's message when not */
  char name[16];        /* message, presence, iq */
  char from[128], to[128], type[24];
  char cond[40];  /* the error's defined condition, if type='error' */
  char etype[16]; /* the <error/>'s type: auth, cancel, modify, wait... */
  /* real JIDs the muc#user payload shows: item/@jid and actor/@jid */
  size_t njids;
  char jids[STANZA_MAX_JIDS][128];
  int items, roleless_items; /* muc#user items; those with role='none' */
} stanza_info;

/* Parse |xml| (|len| bytes) into |info|.  Returns info->well_formed. */
int stanza_read(const char *xml, size_t len, stanza_info *info);
void stanza_reader_free(void);

#endif
