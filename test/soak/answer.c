/* The rows of docs/errors.md the soak reaches (answer.h), in the order of
 * that document. */
#include "answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const soak_answer answers[] = {
    {"iq-invalid", "modify", "bad-request"},
    {"room-not-found", "cancel", "item-not-found"},
    {"nick-invisible", "modify", "jid-malformed"},
    {"nick-conflict", "cancel", "conflict"},
    {"members-only", "auth", "registration-required"},
    {"banned", "auth", "forbidden"},
    {"password", "auth", "not-authorized"},
    {"locked", "cancel", "item-not-found"},
    {"not-joined", "cancel", "item-not-found"},
    {"locked-outsider", "cancel", "item-not-found"},
    {"groupchat-not-occupant", "modify", "not-acceptable"},
    {"groupchat-visitor", "auth", "forbidden"},
    {"subject-forbidden", "auth", "forbidden"},
    {"room-message", "cancel", "service-unavailable"},
    {"pm-not-occupant", "cancel", "not-acceptable"},
    {"pm-no-recipient", "cancel", "item-not-found"},
    {"admin-not-found", "cancel", "item-not-found"},
    {"denied-not-allowed", "cancel", "not-allowed"},
    {"denied-forbidden", "auth", "forbidden"},
    {"denied-conflict", "cancel", "conflict"},
    {"owner-forbidden", "auth", "forbidden"},
    {"config-value", "modify", "not-acceptable"},
    {"limit-occupants", "wait", "service-unavailable"},
    {"limit-sessions", "wait", "resource-constraint"},
    {"limit-nick", "modify", "not-acceptable"},
};

const soak_answer *soak_answer_of(const char *row)
{
  for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
    if (strcmp(answers[i].row, row) == 0)
      return &answers[i];
  fprintf(stderr, "soak: no answer for the row '%s' (answer.c)\n", row);
  abort();
}
