/* XEP-0004 data forms: reading submitted forms, building forms. */
#ifndef MUC_FORM_H
#define MUC_FORM_H

#include <mxml.h>
#include <stddef.h>

#include "mem.h"

typedef struct muc_form_field {
  char *var;  /* never NULL in a parsed form (fields without var are
                 skipped) */
  char *type; /* NULL if absent */
  size_t nvalues;
  char **values; /* the text of each <value/>, in order */
} muc_form_field;

typedef struct muc_form {
  char *type;      /* "submit", "cancel", "form", "result" */
  char *form_type; /* value of the FORM_TYPE field, NULL if none */
  size_t nfields;
  muc_form_field *fields;
} muc_form;

/* Parse the <x xmlns='jabber:x:data'/> element |x|.  Returns MUC_OK,
 * MUC_ERR_BAD_STANZA (not a data form, missing type, a field var given
 * twice) or MUC_ERR_NOMEM.  Free with muc_form_free. */
int muc_form_parse(muc_mem *m, const mxml_node_t *x, muc_form **out);
void muc_form_free(muc_mem *m, muc_form *f);
/* The field |var|, or NULL. */
const muc_form_field *muc_form_get(const muc_form *f, const char *var);
/* The first value of |var|, or NULL if the field or value is absent. */
const char *muc_form_value(const muc_form *f, const char *var);
/* XEP-0004 boolean: "1"/"true" -> 1, "0"/"false" -> 0; else -1. */
int muc_form_parse_bool(const char *v);

/* Builders (all return NULL / MUC_ERR_NOMEM on out-of-memory). */
/* <x xmlns='jabber:x:data' type=|type|> with optional <title/>,
 * <instructions/>. */
mxml_node_t *muc_form_new(mxml_node_t *parent, const char *type,
                          const char *title, const char *instructions);
/* <field var= type= label=> (NULL attributes omitted). */
mxml_node_t *muc_form_add_field(mxml_node_t *x, const char *var,
                                const char *type, const char *label);
/* A hidden FORM_TYPE field with |form_type| as value. */
mxml_node_t *muc_form_add_form_type(mxml_node_t *x, const char *form_type);
int muc_form_add_value(mxml_node_t *field, const char *value);
int muc_form_add_option(mxml_node_t *field, const char *label,
                        const char *value);
int muc_form_set_required(mxml_node_t *field);
int muc_form_add_desc(mxml_node_t *field, const char *desc);

#endif
