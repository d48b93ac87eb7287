#include "limit.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "stanza.h"

/* Each limit: its muc_config field and the error past it, with why that
 * error.  docs/limits.md has the same table for hosts. */
typedef struct limit_rule {
  size_t field; /* FIELD() */
  const char *type, *cond, *text;
} limit_rule;

/* The offset of a uint32_t field of muc_config (any other size does not
 * compile). */
#define FIELD(f)                                                               \
  (offsetof(muc_config, f) +                                                   \
   0 * sizeof(char[sizeof(((muc_config *)0)->f) == 4 ? 1 : -1]))

static const limit_rule rules[] = {
    /* The service lacks the resources for another room: RFC 6120
     * §8.3.3.18 resource-constraint, type wait (XEP-0045 §7.2.17 has no
     * condition for it). */
    [MUC_LIMIT_ROOMS] = {FIELD(max_rooms), "wait", "resource-constraint",
                         "Too many rooms"},
    /* XEP-0045 §14.6 suggests "limiting the number of rooms that any
     * given non-administrative user can own": the same lack of
     * resources, spent by one user (RFC 6120 §8.3.3.18). */
    [MUC_LIMIT_ROOMS_PER_CREATOR] = {FIELD(max_rooms_per_creator), "wait",
                                     "resource-constraint",
                                     "You have created too many rooms"},
    /* XEP-0045 §7.2.9 "Max Users": service-unavailable, type wait, as
     * for a room whose own maximum is reached. */
    [MUC_LIMIT_OCCUPANTS] = {FIELD(max_occupants_per_room), "wait",
                             "service-unavailable", "The room is full"},
    /* Not the room that is full (others may still enter) but one user's
     * share of it: RFC 6120 §8.3.3.18 resource-constraint, wait. */
    [MUC_LIMIT_SESSIONS] = {FIELD(max_sessions_per_occupant), "wait",
                            "resource-constraint",
                            "Too many sessions share this nickname"},
    /* The room lacks the resources for another affiliated JID: RFC 6120
     * §8.3.3.18 resource-constraint, wait. */
    [MUC_LIMIT_AFFILIATIONS] = {FIELD(max_affiliations_per_room), "wait",
                                "resource-constraint",
                                "Too many affiliations in this room"},
    /* The room cannot hold more stanzas while the host loads it: RFC 6120
     * §8.3.3.18 resource-constraint, wait (it will be loaded soon). */
    [MUC_LIMIT_PENDING] = {FIELD(max_pending_stanzas), "wait",
                           "resource-constraint", "The room is loading"},
    /* A nick that is a valid JID resource but not one the service
     * accepts: XEP-0045 §7.2.17 and §7.6 answer not-acceptable for nicks
     * the room will not take; RFC 6120 §8.3.3.9, type modify (a shorter
     * one will do).  Over 1023 bytes it is no JID resource at all, and
     * muc_nick_prep tells it apart: refused as malformed. */
    [MUC_LIMIT_NICK] = {FIELD(max_nick_bytes), "modify", "not-acceptable",
                        "Nickname too long"},
    /* Text against a policy of the service: RFC 6120 §8.3.3.12
     * policy-violation, type modify (a shorter text is accepted). */
    [MUC_LIMIT_SUBJECT] = {FIELD(max_subject_bytes), "modify",
                           "policy-violation", "Subject too long"},
    [MUC_LIMIT_REASON] = {FIELD(max_reason_bytes), "modify", "policy-violation",
                          "Reason too long"},
    /* XEP-0045 §10.1.3: options that "violate one or more service
     * policies" get not-acceptable (RFC 6120 §8.3.3.9, modify); the same
     * for the values of a registration form (§7.10). */
    [MUC_LIMIT_ROOM_NAME] = {FIELD(max_room_name_bytes), "modify",
                             "not-acceptable", "Room name too long"},
    [MUC_LIMIT_PASSWORD] = {FIELD(max_password_bytes), "modify",
                            "not-acceptable", "Password too long"},
    [MUC_LIMIT_FORM_VALUE] = {FIELD(max_form_value_bytes), "modify",
                              "not-acceptable", "Form value too long"},
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
  const limit_rule *r = &rules[lim];
  muc_send_error(svc, st, r->type, r->cond, r->text, by);
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
      char text[160];
      if (strlen(f->var) > 100)
        snprintf(text, sizeof(text), "%s", rules[lim].text);
      else
        snprintf(text, sizeof(text), "%s: %s", rules[lim].text, f->var);
      muc_send_error(svc, st, rules[lim].type, rules[lim].cond, text, by);
      return 1;
    }
  }
  return 0;
}
