#include "limit.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "refusal.h"

/* Each limit: its muc_config field and the refusal past it (refusal.c
 * holds the condition, type and why).  docs/limits.md has the same table
 * for hosts. */
typedef struct limit_rule {
  size_t field; /* FIELD() */
  muc_refusal refusal;
} limit_rule;

/* The offset of a uint32_t field of muc_config (any other size does not
 * compile). */
#define FIELD(f)                                                               \
  (offsetof(muc_config, f) +                                                   \
   0 * sizeof(char[sizeof(((muc_config *)0)->f) == 4 ? 1 : -1]))

static const limit_rule rules[] = {
    [MUC_LIMIT_ROOMS] = {FIELD(max_rooms), MUC_REFUSE_LIMIT_ROOMS},
    [MUC_LIMIT_ROOMS_PER_CREATOR] = {FIELD(max_rooms_per_creator),
                                     MUC_REFUSE_LIMIT_ROOMS_PER_CREATOR},
    [MUC_LIMIT_OCCUPANTS] = {FIELD(max_occupants_per_room),
                             MUC_REFUSE_LIMIT_OCCUPANTS},
    [MUC_LIMIT_SESSIONS] = {FIELD(max_sessions_per_occupant),
                            MUC_REFUSE_LIMIT_SESSIONS},
    [MUC_LIMIT_AFFILIATIONS] = {FIELD(max_affiliations_per_room),
                                MUC_REFUSE_LIMIT_AFFILIATIONS},
    [MUC_LIMIT_PENDING] = {FIELD(max_pending_stanzas),
                           MUC_REFUSE_LIMIT_PENDING},
    /* a nick that is a valid JID resource but longer than the service
     * takes; over 1023 bytes it is no JID resource at all, and
     * muc_nick_prep tells it apart: refused as malformed */
    [MUC_LIMIT_NICK] = {FIELD(max_nick_bytes), MUC_REFUSE_LIMIT_NICK},
    [MUC_LIMIT_SUBJECT] = {FIELD(max_subject_bytes), MUC_REFUSE_LIMIT_SUBJECT},
    [MUC_LIMIT_REASON] = {FIELD(max_reason_bytes), MUC_REFUSE_LIMIT_REASON},
    [MUC_LIMIT_ROOM_NAME] = {FIELD(max_room_name_bytes),
                             MUC_REFUSE_LIMIT_ROOM_NAME},
    [MUC_LIMIT_PASSWORD] = {FIELD(max_password_bytes),
                            MUC_REFUSE_LIMIT_PASSWORD},
    [MUC_LIMIT_FORM_VALUE] = {FIELD(max_form_value_bytes),
                              MUC_REFUSE_LIMIT_FORM_VALUE},
};

static size_t value_of(const muc_service *svc, muc_limit lim)
{
  uint32_t v;
  memcpy(&v, (const char *)&svc->cfg + rules[lim].field, sizeof(v));
  return v;
}

int muc_limit_exceeded(const muc_service *svc, muc_limit lim, size_t n)
{
  size_t max = value_of(svc, lim);
  return max && n > max;
}

int muc_limit_reached(const muc_service *svc, muc_limit lim, size_t n)
{
  size_t max = value_of(svc, lim);
  return max && n >= max;
}

int muc_limit_text_exceeded(const muc_service *svc, muc_limit lim,
                            const char *text)
{
  return text && muc_limit_exceeded(svc, lim, strlen(text));
}

size_t muc_limit_cut(const muc_service *svc, muc_limit lim, const char *text)
{
  size_t n = strlen(text), max = value_of(svc, lim);
  if (!max || n <= max)
    return n;
  /* text[max] is the first byte cut off: not in the middle of a
   * character */
  while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
    max--;
  return max;
}

void muc_limit_refuse(muc_service *svc, const mxml_node_t *st, muc_limit lim,
                      const char *by)
{
  muc_refuse(svc, st, rules[lim].refusal, by);
}

int muc_limit_refuse_text(muc_service *svc, const mxml_node_t *st,
                          muc_limit lim, const char *text, const char *by)
{
  if (!muc_limit_text_exceeded(svc, lim, text))
    return 0;
  muc_limit_refuse(svc, st, lim, by);
  return 1;
}

static int field_limit(const char *var, const muc_form_limit *table, size_t n)
{
  /* its value must be the form's namespace, which the handler checks */
  if (strcmp(var, "FORM_TYPE") == 0)
    return MUC_LIMIT_ELSEWHERE;
  for (size_t i = 0; i < n; i++)
    if (strcmp(table[i].var, var) == 0)
      return table[i].lim;
  return MUC_LIMIT_FORM_VALUE;
}

int muc_limit_refuse_form(muc_service *svc, const mxml_node_t *st,
                          const muc_form *form, const muc_form_limit *table,
                          size_t n, const char *by)
{
  for (size_t i = 0; i < form->nfields; i++) {
    const muc_form_field *f = &form->fields[i];
    int lim = field_limit(f->var, table, n);
    for (size_t k = 0; lim != MUC_LIMIT_ELSEWHERE && k < f->nvalues; k++) {
      if (!muc_limit_text_exceeded(svc, (muc_limit)lim, f->values[k]))
        continue;
      /* the field is named (a form has many values), unless its name is
       * itself too long to quote whole */
      muc_refusal r = rules[lim].refusal;
      const char *what = muc_refusal_rule_of(r)->text;
      char text[160];
      if (strlen(f->var) > 100)
        snprintf(text, sizeof(text), "%s", what);
      else
        snprintf(text, sizeof(text), "%s: %s", what, f->var);
      muc_refuse_text(svc, st, r, text, by);
      return 1;
    }
  }
  return 0;
}
