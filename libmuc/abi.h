/* Reading the caller's versioned structs. */
#ifndef MUC_ABI_H
#define MUC_ABI_H

#include "muc/muc.h"

/* |out| = the defaults, overwritten by as much of |given| (may be NULL)
 * as |config_version| has.  MUC_OK or MUC_ERR_INVALID_ARG (unknown
 * version). */
int muc_config_import(int config_version, const muc_config *given,
                      muc_config *out);
/* |out| = |given| as far as |callbacks_version| reaches, the rest NULL.
 * MUC_OK or MUC_ERR_INVALID_ARG (unknown version, NULL |given|). */
int muc_callbacks_import(int callbacks_version, const muc_callbacks *given,
                         muc_callbacks *out);

#endif
