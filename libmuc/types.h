/* Names for the kinds of plain int the public API uses. */
#ifndef MUC_TYPES_H
#define MUC_TYPES_H

#include "muc/muc.h"

/* The public constants are plain ints (see muc.h); these names say which
 * set of constants a value is from. */
typedef int muc_role;        /* MUC_ROLE_* */
typedef int muc_affiliation; /* MUC_AFFIL_* */
typedef int muc_allow_pm;    /* MUC_PM_* */
typedef int muc_whois;       /* MUC_WHOIS_* */
typedef int muc_log_level;   /* MUC_LOG_* */

#endif
