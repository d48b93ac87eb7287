/* muc_room_options (muc.h) against a room's configuration: defaults,
 * checks, the configuration form the options stand for, and the options
 * a room has. */
#ifndef MUC_API_OPTIONS_H
#define MUC_API_OPTIONS_H

#include "core.h"
#include "form.h"

/* The version |version| of |in| as a whole V1 struct in |out| (NULL
 * |in|: the service's defaults).  MUC_OK, MUC_ERR_INVALID_ARG (unknown
 * version, a value out of range, a string not UTF-8 text) or
 * MUC_ERR_LIMIT (a string over its limit). */
int muc_api_options_import(const muc_service *svc, int version,
                           const muc_room_options *in, muc_room_options *out);
/* The configuration form that sets every option of |o| (checked by
 * muc_api_options_import).  MUC_OK or MUC_ERR_NOMEM. */
int muc_api_options_form(muc_service *svc, const muc_room_options *o,
                         muc_form **out);

#endif
