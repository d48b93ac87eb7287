/* Three small extensions built on libmuc's hooks (docs/hooks.md): a word
 * filter, a pre-join allow-list and an extra room configuration field.
 * Each fills its members of a muc_hooks struct; all three share one
 * example_host as the hooks' user_data, so a host may combine them. */
#ifndef HOOK_EXAMPLES_H
#define HOOK_EXAMPLES_H

#include <stddef.h>

#include "muc/muc.h"

typedef struct example_host {
  /* word filter: words masked with '*' in groupchat bodies (ASCII,
   * case-insensitive); a message made only of them is refused */
  const char *const *banned_words; /* NULL-terminated */
  char rewritten[1024];            /* the masked body (kept for libmuc to
                                      copy after the hook returns) */
  size_t masked, refused;
  /* allow-list: the bare JIDs that may enter any room */
  const char *const *allowed; /* NULL-terminated */
  /* message of the day: the room option x-example#motd */
  muc_service *svc;
} example_host;

/* pre_groupchat */
void word_filter_attach(muc_hooks *hooks);
/* pre_join */
void allow_list_attach(muc_hooks *hooks);
/* config_vars, config_form, config_submitted, disco_info */
void motd_field_attach(muc_hooks *hooks);
#define MOTD_VAR "x-example#motd"
#define MOTD_MAX 100

#endif
