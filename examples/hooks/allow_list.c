/* A pre-join allow-list: only the listed bare JIDs may enter rooms (or
 * create them); everyone else gets <registration-required/> (type auth)
 * with a text saying why. */
#include <string.h>

#include "hook_examples.h"

/* Is the full JID |real| one of the listed bare JIDs? */
static int listed(const example_host *x, const char *real)
{
  const char *slash = strchr(real, '/');
  size_t n = slash ? (size_t)(slash - real) : strlen(real);
  for (const char *const *a = x->allowed; a && *a; a++)
    if (strlen(*a) == n && strncmp(*a, real, n) == 0)
      return 1;
  return 0;
}

static int pre_join(const muc_hook_join *join, muc_hook_error *error, void *ud)
{
  if (listed(ud, join->real_jid))
    return MUC_HOOK_PASS;
  error->condition = "registration-required";
  error->text = "This service admits listed users only";
  return MUC_HOOK_REFUSE;
}

void allow_list_attach(muc_hooks *hooks)
{
  hooks->pre_join = pre_join;
}
