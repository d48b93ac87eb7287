/* The host's part of forms: fields in the owner's configuration form
 * (config_form), their submission (config_submitted) and storage, and
 * disco#info features and fields (disco_info).  The host builds through
 * the muc_hook_form_* functions of muc.h. */
#include <string.h>

#include "form.h"
#include "hooks.h"
#include "host_fields.h"
#include "stanza.h"

struct muc_hook_form {
  muc_service *svc;
  mxml_node_t *query; /* disco#info: where features go; NULL for a form */
  mxml_node_t *x;     /* the data form the fields go into (may be NULL) */
  mxml_node_t *field; /* the last field added */
};

/* MUC_OK, or MUC_ERR_NOMEM recorded for the service. */
static int built(muc_service *svc, int ok)
{
  if (ok)
    return MUC_OK;
  muc_fail(svc, MUC_ERR_NOMEM);
  return MUC_ERR_NOMEM;
}

MUC_EXTERN int muc_hook_form_field(muc_hook_form *form, const char *var,
                                   const char *type, const char *label)
{
  if (!form || !var || !*var ||
      (form->query ? strcmp(var, "FORM_TYPE") == 0
                   : muc_host_var_is_libmucs(var)))
    return MUC_ERR_INVALID_ARG;
  if (!form->x)
    return MUC_ERR_NOMEM; /* the form itself could not be made */
  form->field = muc_form_add_field(form->x, var, type, label);
  return built(form->svc, form->field != NULL);
}

MUC_EXTERN int muc_hook_form_value(muc_hook_form *form, const char *value)
{
  if (!form || !value || !form->field)
    return MUC_ERR_INVALID_ARG;
  return built(form->svc, muc_form_add_value(form->field, value) == MUC_OK);
}

MUC_EXTERN int muc_hook_form_option(muc_hook_form *form, const char *label,
                                    const char *value)
{
  if (!form || !value || !form->field)
    return MUC_ERR_INVALID_ARG;
  return built(form->svc,
               muc_form_add_option(form->field, label, value) == MUC_OK);
}

MUC_EXTERN int muc_hook_form_feature(muc_hook_form *form, const char *var)
{
  if (!form || !var || !form->query)
    return MUC_ERR_INVALID_ARG;
  mxml_node_t *f = muc_xml_new(NULL, "feature", NULL);
  if (!f || muc_xml_set_attr(f, "var", var) != MUC_OK) {
    if (f)
      mxmlDelete(f);
    return built(form->svc, 0);
  }
  /* features before the extended-information form, as libmuc's own */
  mxmlAdd(form->query, form->x ? MXML_ADD_BEFORE : MXML_ADD_AFTER, form->x, f);
  return MUC_OK;
}

/* A negative answer from a form hook: the host's part is what it added
 * before failing; the call reports it. */
static void answered(muc_service *svc, int rc)
{
  if (rc < 0)
    muc_fail(svc, MUC_ERR_CALLBACK_FAILURE);
}

void muc_hook_config_form(muc_room *room, mxml_node_t *x)
{
  muc_service *svc = room->svc;
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  if (!s->h.config_form || !x)
    return;
  muc_hook_form form = {svc, NULL, x, NULL};
  size_t n;
  const muc_hook_field *stored = muc_host_fields_all(room, &n);
  answered(svc, s->h.config_form(room->jid, stored, n, &form, s->ud));
}

void muc_hook_disco_info(muc_room *room, mxml_node_t *query)
{
  muc_service *svc = room->svc;
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  if (!s->h.disco_info || !query)
    return;
  muc_hook_form info = {svc, query, muc_xml_child(query, "x", MUC_NS_DATA),
                        NULL};
  answered(svc, s->h.disco_info(room->jid, &info, s->ud));
}

int muc_hook_claims_var(const muc_service *svc, const char *var)
{
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  for (size_t i = 0; s && s->vars && s->vars[i]; i++)
    if (strcmp(s->vars[i], var) == 0)
      return 1;
  return 0;
}

/* The submitted fields among config_vars into |out| (at most |cap|). */
static size_t host_fields_of(const muc_hook_set *s, const muc_form *form,
                             muc_hook_field *out, size_t cap)
{
  size_t n = 0;
  for (size_t i = 0; s->vars && s->vars[i] && n < cap; i++) {
    const muc_form_field *f = muc_form_get(form, s->vars[i]);
    if (!f)
      continue;
    out[n].var = f->var;
    out[n].values = (const char *const *)f->values;
    out[n].nvalues = f->nvalues;
    n++;
  }
  return n;
}

int muc_hook_config_submit(muc_room *room, const mxml_node_t *st,
                           const void *submitted)
{
  muc_service *svc = room->svc;
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  const muc_form *form = submitted;
  if (!s->vars)
    return 0;
  size_t cap = 0;
  while (s->vars[cap])
    cap++;
  muc_hook_field *given = muc_mem_calloc(&svc->mem, cap, sizeof(*given));
  if (!given) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return 1;
  }
  size_t n = host_fields_of(s, form, given, cap);
  int v = MUC_HOOK_PASS;
  muc_hook_error e = {0};
  if (n && s->h.config_submitted)
    v = s->h.config_submitted(room->jid, muc_xml_attr(st, "from"), given, n, &e,
                              s->ud);
  if (v != MUC_HOOK_PASS) {
    answered(svc, v);
    muc_hook_refuse(svc, st, room->jid, &e, "not-acceptable", "modify", v < 0);
  }
  for (size_t i = 0; v == MUC_HOOK_PASS && i < n; i++)
    if (muc_host_fields_set(room, given[i].var, given[i].values,
                            given[i].nvalues) != MUC_OK)
      muc_fail(svc, MUC_ERR_NOMEM);
  muc_mem_free(&svc->mem, given);
  return v != MUC_HOOK_PASS;
}
