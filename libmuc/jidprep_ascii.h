/* The three stringprep profiles of JIDs (RFC 3920 Appendixes A and B:
 * nodeprep, resourceprep; RFC 3491: nameprep), each with an exact
 * shortcut for ASCII input (jidprep_ascii.c) beside libidn's tables. */
#ifndef MUC_JIDPREP_ASCII_H
#define MUC_JIDPREP_ASCII_H

#include <stddef.h>
#include <stdint.h>
#include <stringprep.h>

typedef struct muc_prep_profile {
  const Stringprep_profile *idn; /* libidn's profile, for all other input */
  int fold_case;                 /* RFC 3454 B.2 is one of its mappings */
  uint64_t prohibited[2];        /* ASCII code points it prohibits, bit c */
} muc_prep_profile;

extern const muc_prep_profile muc_prep_nodeprep;
extern const muc_prep_profile muc_prep_nameprep;
extern const muc_prep_profile muc_prep_resourceprep;

/* muc_prep_ascii: the input is not ASCII (a byte >= 0x80) or holds a NUL
 * (which a C string cannot carry to libidn): ask libidn. */
#define MUC_PREP_NOT_ASCII (-1)

/* Prepare the |n| bytes at |src| with |p| into |dst| (|n| bytes, no NUL
 * added: ASCII maps one byte to one byte) when they are all ASCII,
 * returning exactly what libidn's stringprep() returns for them whatever
 * its flags: STRINGPREP_OK (|dst| holds the result) or
 * STRINGPREP_CONTAINS_PROHIBITED (|dst| undefined).  Otherwise
 * MUC_PREP_NOT_ASCII, |dst| undefined. */
int muc_prep_ascii(const muc_prep_profile *p, const char *src, size_t n,
                   char *dst);

#endif
