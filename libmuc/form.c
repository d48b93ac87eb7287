/* XEP-0004 data forms: reading submitted forms and building forms. */
#include "form.h"

#include <string.h>

#include "xml.h"

static void field_free(muc_mem *m, muc_form_field *f)
{
  for (size_t i = 0; i < f->nvalues; i++)
    muc_mem_free(m, f->values[i]);
  muc_mem_free(m, f->values);
  muc_mem_free(m, f->var);
  muc_mem_free(m, f->type);
}

void muc_form_free(muc_mem *m, muc_form *f)
{
  if (!f)
    return;
  for (size_t i = 0; i < f->nfields; i++)
    field_free(m, &f->fields[i]);
  muc_mem_free(m, f->fields);
  muc_mem_free(m, f->type);
  muc_mem_free(m, f->form_type);
  muc_mem_free(m, f);
}

static int is_form_type(const char *t)
{
  return strcmp(t, "submit") == 0 || strcmp(t, "cancel") == 0 ||
         strcmp(t, "form") == 0 || strcmp(t, "result") == 0;
}

/* Fill |f| from the <field/> element |el| (which has a var). */
static int field_parse(muc_mem *m, const mxml_node_t *el, muc_form_field *f)
{
  size_t n = 0;
  for (mxml_node_t *v = muc_xml_child(el, "value", MUC_NS_DATA); v;
       v = muc_xml_next_element(v)) {
    if (muc_xml_is(v, "value", MUC_NS_DATA))
      n++;
  }
  f->var = muc_mem_strdup(m, muc_xml_attr(el, "var"));
  if (!f->var)
    return MUC_ERR_NOMEM;
  const char *type = muc_xml_attr(el, "type");
  if (type && !(f->type = muc_mem_strdup(m, type)))
    return MUC_ERR_NOMEM;
  if (n == 0)
    return MUC_OK;
  f->values = muc_mem_calloc(m, n, sizeof(char *));
  if (!f->values)
    return MUC_ERR_NOMEM;
  for (mxml_node_t *v = muc_xml_child(el, "value", MUC_NS_DATA); v;
       v = muc_xml_next_element(v)) {
    if (!muc_xml_is(v, "value", MUC_NS_DATA))
      continue;
    char *t = muc_xml_text_dup(m, v);
    if (!t)
      return MUC_ERR_NOMEM;
    f->values[f->nvalues++] = t;
  }
  return MUC_OK;
}

int muc_form_parse(muc_mem *m, const mxml_node_t *x, muc_form **out)
{
  if (!out)
    return MUC_ERR_INVALID_ARG;
  *out = NULL;
  if (!m || !x)
    return MUC_ERR_INVALID_ARG;
  if (!muc_xml_is(x, "x", MUC_NS_DATA))
    return MUC_ERR_BAD_STANZA;
  const char *type = muc_xml_attr(x, "type");
  if (!type || !is_form_type(type))
    return MUC_ERR_BAD_STANZA;

  /* Count first, and refuse duplicates before allocating anything: a
   * field given twice makes the submission ambiguous (XEP-0004 §3.2). */
  size_t n = 0;
  for (mxml_node_t *c = muc_xml_child(x, "field", MUC_NS_DATA); c;
       c = muc_xml_next_element(c)) {
    const char *var = muc_xml_attr(c, "var");
    if (!muc_xml_is(c, "field", MUC_NS_DATA) || !var)
      continue; /* fixed fields carry no var */
    for (mxml_node_t *p = muc_xml_child(x, "field", MUC_NS_DATA); p != c;
         p = muc_xml_next_element(p)) {
      const char *pv = muc_xml_attr(p, "var");
      if (pv && muc_xml_is(p, "field", MUC_NS_DATA) && strcmp(pv, var) == 0)
        return MUC_ERR_BAD_STANZA;
    }
    n++;
  }

  muc_form *f = muc_mem_calloc(m, 1, sizeof(*f));
  if (!f)
    return MUC_ERR_NOMEM;
  int rc = MUC_ERR_NOMEM;
  if (!(f->type = muc_mem_strdup(m, type)))
    goto fail;
  if (n && !(f->fields = muc_mem_calloc(m, n, sizeof(muc_form_field))))
    goto fail;
  for (mxml_node_t *c = muc_xml_child(x, "field", MUC_NS_DATA); c;
       c = muc_xml_next_element(c)) {
    if (!muc_xml_is(c, "field", MUC_NS_DATA) || !muc_xml_attr(c, "var"))
      continue;
    /* Counted before it is filled, so a half-parsed field is freed. */
    muc_form_field *fld = &f->fields[f->nfields++];
    if ((rc = field_parse(m, c, fld)) != MUC_OK)
      goto fail;
  }
  const char *ft = muc_form_value(f, "FORM_TYPE");
  if (ft && !(f->form_type = muc_mem_strdup(m, ft))) {
    rc = MUC_ERR_NOMEM;
    goto fail;
  }
  *out = f;
  return MUC_OK;

fail:
  muc_form_free(m, f);
  return rc;
}

const muc_form_field *muc_form_get(const muc_form *f, const char *var)
{
  if (!f || !var)
    return NULL;
  for (size_t i = 0; i < f->nfields; i++) {
    if (strcmp(f->fields[i].var, var) == 0)
      return &f->fields[i];
  }
  return NULL;
}

const char *muc_form_value(const muc_form *f, const char *var)
{
  const muc_form_field *fld = muc_form_get(f, var);
  return fld && fld->nvalues ? fld->values[0] : NULL;
}

int muc_form_parse_bool(const char *v)
{
  if (!v)
    return -1;
  if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
    return 1;
  if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
    return 0;
  return -1;
}

/* ------------------------------------------------------------------ */
/* Builders                                                            */
/* ------------------------------------------------------------------ */

mxml_node_t *muc_form_new(mxml_node_t *parent, const char *type,
                          const char *title, const char *instructions)
{
  mxml_node_t *x = muc_xml_new(parent, "x", MUC_NS_DATA);
  if (!x)
    return NULL;
  if ((type && muc_xml_set_attr(x, "type", type) != MUC_OK) ||
      (title && !muc_xml_new_text(x, "title", NULL, title)) ||
      (instructions &&
       !muc_xml_new_text(x, "instructions", NULL, instructions))) {
    mxmlDelete(x);
    return NULL;
  }
  return x;
}

mxml_node_t *muc_form_add_field(mxml_node_t *x, const char *var,
                                const char *type, const char *label)
{
  if (!x)
    return NULL;
  mxml_node_t *f = muc_xml_new(x, "field", NULL);
  if (!f)
    return NULL;
  if ((var && muc_xml_set_attr(f, "var", var) != MUC_OK) ||
      (type && muc_xml_set_attr(f, "type", type) != MUC_OK) ||
      (label && muc_xml_set_attr(f, "label", label) != MUC_OK)) {
    mxmlDelete(f);
    return NULL;
  }
  return f;
}

mxml_node_t *muc_form_add_form_type(mxml_node_t *x, const char *form_type)
{
  if (!form_type)
    return NULL;
  mxml_node_t *f = muc_form_add_field(x, "FORM_TYPE", "hidden", NULL);
  if (f && muc_form_add_value(f, form_type) != MUC_OK) {
    mxmlDelete(f);
    return NULL;
  }
  return f;
}

int muc_form_add_value(mxml_node_t *field, const char *value)
{
  if (!field || !value)
    return MUC_ERR_INVALID_ARG;
  return muc_xml_new_text(field, "value", NULL, value) ? MUC_OK : MUC_ERR_NOMEM;
}

int muc_form_add_option(mxml_node_t *field, const char *label,
                        const char *value)
{
  if (!field || !value)
    return MUC_ERR_INVALID_ARG;
  mxml_node_t *o = muc_xml_new(field, "option", NULL);
  if (!o)
    return MUC_ERR_NOMEM;
  if ((label && muc_xml_set_attr(o, "label", label) != MUC_OK) ||
      !muc_xml_new_text(o, "value", NULL, value)) {
    mxmlDelete(o);
    return MUC_ERR_NOMEM;
  }
  return MUC_OK;
}

int muc_form_set_required(mxml_node_t *field)
{
  if (!field)
    return MUC_ERR_INVALID_ARG;
  if (muc_xml_child(field, "required", NULL))
    return MUC_OK;
  return muc_xml_new(field, "required", NULL) ? MUC_OK : MUC_ERR_NOMEM;
}

int muc_form_add_desc(mxml_node_t *field, const char *desc)
{
  if (!field || !desc)
    return MUC_ERR_INVALID_ARG;
  return muc_xml_new_text(field, "desc", NULL, desc) ? MUC_OK : MUC_ERR_NOMEM;
}
