/* The admin API on the host's configuration fields of a room
 * (muc_hooks.config_vars): read and set their values outside the owner's
 * form (muc.h, "Room administration"). */
#include <string.h>

#include "api.h"
#include "hooks.h"
#include "host_fields.h"
#include "ops.h"

/* Is |var| one of the host's fields (muc_hooks.config_vars)? */
static int host_var(const muc_service *svc, const char *var)
{
  const muc_hook_set *s = MUC_HOOK_SET(svc);
  for (char *const *v = s && s->vars ? s->vars : NULL; v && *v; v++)
    if (strcmp(*v, var) == 0)
      return 1;
  return 0;
}

int muc_service_get_room_host_values(muc_service *svc, const char *room,
                                     const char *var, const char **values,
                                     size_t max, size_t *n)
{
  muc_room *r;
  if (!var)
    return MUC_ERR_INVALID_ARG;
  int rc = muc_api_listing(svc, room, values, max, n, &r);
  if (rc != MUC_OK)
    return rc;
  size_t nf;
  const muc_hook_field *f = muc_host_fields_all(r, &nf);
  for (size_t i = 0; i < nf; i++)
    if (strcmp(f[i].var, var) == 0)
      for (size_t k = 0; k < f[i].nvalues && *n < max; k++)
        values[(*n)++] = f[i].values[k];
  return MUC_OK;
}

/* Checked again when it runs: the hooks may have changed meanwhile. */
static int set_check(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)room;
  return host_var(svc, op->str[0]) ? MUC_OK : MUC_ERR_INVALID_ARG;
}

static int set_apply(muc_service *svc, muc_room *room, const muc_api_op *op)
{
  (void)svc;
  return muc_op_set_host_values(room, op->str[0], (const char *const *)op->vals,
                                op->nvals);
}

/* Copies of the |n| |values| into |op|: MUC_OK or MUC_ERR_NOMEM. */
static int keep_values(muc_service *svc, muc_api_op *op,
                       const char *const *values, size_t n)
{
  if (!n)
    return MUC_OK;
  if (!(op->vals = muc_mem_calloc(&svc->mem, n, sizeof(*op->vals))))
    return MUC_ERR_NOMEM;
  for (; op->nvals < n; op->nvals++)
    if (!(op->vals[op->nvals] = muc_mem_strdup(&svc->mem, values[op->nvals])))
      return MUC_ERR_NOMEM;
  return MUC_OK;
}

int muc_service_set_room_host_values(muc_service *svc, const char *room,
                                     const char *var, const char *const *values,
                                     size_t n)
{
  if (!svc || !var || (n && !values))
    return MUC_ERR_INVALID_ARG;
  if (!muc_api_text_ok(var, UINT32_MAX) || !host_var(svc, var))
    return MUC_ERR_INVALID_ARG;
  for (size_t i = 0; i < n; i++) {
    if (!values[i])
      return MUC_ERR_INVALID_ARG;
    int rc = muc_api_text_code(values[i], svc->cfg.max_stanza_bytes);
    if (rc != MUC_OK)
      return rc;
  }
  const char *strs[] = {var};
  muc_api_op *op;
  int rc = muc_api_op_new(svc, room, strs, 1, &op);
  if (rc != MUC_OK)
    return rc;
  if (keep_values(svc, op, values, n) != MUC_OK) {
    muc_api_op_free(svc, op);
    return svc->fatal = MUC_ERR_NOMEM;
  }
  op->check = set_check;
  op->apply = set_apply;
  return muc_api_submit(svc, op);
}
