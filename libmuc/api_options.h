/* muc_room_options (muc.h) against a room's configuration: defaults,
 * checks, the copy an operation keeps, and the configuration the options
 * stand for. */
#ifndef MUC_API_OPTIONS_H
#define MUC_API_OPTIONS_H

#include "api.h"
#include "core.h"

/* Bytes of muc_room_options that version |version| has (0: unknown). */
size_t muc_api_options_size(int version);
/* An option a caller of an older version does not name: the room keeps
 * its value (muc_api_options_config). */
#define MUC_OPTIONS_KEEP (-1)

/* The version |version| of |in| as a whole struct in |out| (NULL
 * |in|: the service's defaults).  MUC_OK, MUC_ERR_INVALID_ARG (unknown
 * version, a value out of range, a string not UTF-8 text) or
 * MUC_ERR_LIMIT (a string over its limit).  Strings borrowed from |in|. */
int muc_api_options_import(const muc_service *svc, int version,
                           const muc_room_options *in, muc_room_options *out);
/* Keep a copy of |o| (checked) in |op|.  MUC_OK or MUC_ERR_NOMEM. */
int muc_api_options_keep(muc_service *svc, muc_api_op *op,
                         const muc_room_options *o);
/* The room's configuration |base| with the options |o| over it (strings
 * borrowed from |o|), for muc_op_configure. */
void muc_api_options_config(const muc_room_options *o,
                            const muc_room_config *base, muc_room_config *out);
/* The options of the configuration |c| (strings borrowed from it). */
void muc_api_options_of(const muc_room_config *c, muc_room_options *o);

#endif
