/* The host's configuration values of a room (muc_hooks.config_vars):
 * kept with the room, written into its record after the affiliations as
 * <hostfield var='...'><value>...</value></hostfield> (docs/room-record.md)
 * and read back from it. */
#ifndef MUC_HOST_FIELDS_H
#define MUC_HOST_FIELDS_H

#include "core.h"

typedef struct muc_host_fields {
  size_t n;
  muc_hook_field *f; /* var and values owned (the const is the API's) */
} muc_host_fields;

/* Is |var| a field of libmuc's own forms (FORM_TYPE, muc#...)? */
int muc_host_var_is_libmucs(const char *var);
/* Set the values of |var| in |room| (replacing them; the change feed is
 * told).  MUC_OK or NOMEM. */
int muc_host_fields_set(muc_room *room, const char *var,
                        const char *const *values, size_t n);
/* The stored fields of |room| (*n of them; NULL when none). */
const muc_hook_field *muc_host_fields_all(const muc_room *room, size_t *n);
/* Does |room| hold a field |var| (with values or none)? */
int muc_host_fields_has(const muc_room *room, const char *var);
void muc_host_fields_free(muc_room *room);
/* Append the record's <hostfield/> elements. */
void muc_host_fields_write(const muc_room *room, muc_buf *b);
/* Read the <hostfield/> children of the record |r|.  MUC_OK,
 * MUC_ERR_STORAGE (one without var) or MUC_ERR_NOMEM. */
int muc_host_fields_read(muc_room *room, const mxml_node_t *r);

#endif
