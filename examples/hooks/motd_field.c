/* An extra room option: a message of the day (x-example#motd), edited in
 * the owner's configuration form, checked when submitted (at most
 * MOTD_MAX bytes, no line breaks), stored with the room by libmuc, and
 * shown in the room's disco#info with a feature of its own. */
#include <string.h>

#include "hook_examples.h"

static const char *const vars[] = {MOTD_VAR, NULL};

static const char *stored_motd(const muc_hook_field *f, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(f[i].var, MOTD_VAR) == 0 && f[i].nvalues)
      return f[i].values[0];
  return "";
}

static int config_form(const char *room_jid, const muc_hook_field *stored,
                       size_t nstored, muc_hook_form *form, void *ud)
{
  (void)room_jid;
  (void)ud;
  if (muc_hook_form_field(form, MOTD_VAR, "text-single",
                          "Message of the day") != MUC_OK ||
      muc_hook_form_value(form, stored_motd(stored, nstored)) != MUC_OK)
    return -1;
  return 0;
}

static int config_submitted(const char *room_jid, const char *actor,
                            const muc_hook_field *fields, size_t nfields,
                            muc_hook_error *error, void *ud)
{
  (void)room_jid;
  (void)actor;
  (void)ud;
  const char *v = stored_motd(fields, nfields);
  if (fields[0].nvalues > 1 || strlen(v) > MOTD_MAX || strpbrk(v, "\r\n")) {
    error->text = "The message of the day is one line of at most 100 bytes";
    return MUC_HOOK_REFUSE; /* not-acceptable, as libmuc's own fields */
  }
  return MUC_HOOK_PASS;
}

static int disco_info(const char *room_jid, muc_hook_form *info, void *ud)
{
  example_host *x = ud;
  const char *motd = muc_room_get_host_value(
      muc_service_find_room(x->svc, room_jid), MOTD_VAR, 0);
  if (!motd || !*motd)
    return 0;
  if (muc_hook_form_feature(info, "urn:example:motd") != MUC_OK ||
      muc_hook_form_field(info, MOTD_VAR, "text-single",
                          "Message of the day") != MUC_OK ||
      muc_hook_form_value(info, motd) != MUC_OK)
    return -1;
  return 0;
}

void motd_field_attach(muc_hooks *hooks)
{
  hooks->config_vars = vars;
  hooks->config_form = config_form;
  hooks->config_submitted = config_submitted;
  hooks->disco_info = disco_info;
}
