/* The invariants over every delivered stanza, the expected answer to the
 * sender, and the library's state (its public queries) against the
 * model's. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...)                                                              \
  do {                                                                         \
    snprintf(why, size, __VA_ARGS__);                                          \
    return 1;                                                                  \
  } while (0)

static int is_role(const m_room *r, int s, int role)
{
  int k = r->exists ? model_nick_of(r, s) : -1;
  return k >= 0 && r->occ[k].role == role;
}

/* May the recipient session |to| see real JIDs of others in |room|?  It
 * may when the room is non-anonymous, or it is a moderator or an admin or
 * owner, before, during or after the step (the step may change any of
 * them). */
static int sees_jids(const step *st, int room, int to)
{
  const model *states[] = {st->before, st->applied, st->after};
  int u = to / SOAK_RES;
  for (size_t i = 0; i < 3; i++) {
    const m_room *r = &states[i]->room[room];
    if (r->whois_anyone || is_role(r, to, MUC_ROLE_MODERATOR) ||
        r->aff[u] >= MUC_AFFIL_ADMIN)
      return 1;
  }
  return 0;
}

/* The user of a real JID (bare or full) shown in a payload, or -1. */
static int user_of_any(const char *jid)
{
  char bare[128];
  snprintf(bare, sizeof(bare), "%s", jid);
  char *slash = strchr(bare, '/');
  if (slash)
    *slash = '\0';
  return soak_user_of(bare);
}

/* One delivery: addressed to whom it should be, by whom it may be. */
static int check_one(const delivery *d, const stanza_info *in, const step *st,
                     char *why, size_t size)
{
  if (!in->well_formed)
    FAIL("not well-formed (%s): %s", in->error_text, d->xml);
  if (strcmp(in->to, d->to) != 0)
    FAIL("delivered to %s but addressed to '%s': %s", d->to, in->to, d->xml);
  int to = soak_session_of(d->to);
  int nick, room = soak_room_of(in->from, &nick);
  if (room < 0) {
    if (strcmp(in->from, SOAK_DOMAIN) != 0)
      FAIL("from neither the service nor a room: %s", d->xml);
    if (to != st->sender)
      FAIL("the service wrote to someone who did not write: %s", d->xml);
    return 0;
  }
  uint64_t in_room = model_sessions(&st->before->room[room]) |
                     model_sessions(&st->applied->room[room]) |
                     model_sessions(&st->after->room[room]);
  int invitee = st->e->invitee >= 0 && soak_user_of(d->to) == st->e->invitee;
  if (to != st->sender && !invitee && (to < 0 || !(in_room >> to & 1)))
    FAIL("to %s, who is no occupant of room%d, not the sender, not invited: "
         "%s",
         d->to, room, d->xml);
  if (strcmp(in->type, "error") == 0)
    return 0; /* the sender's own stanza, answered */
  if (strcmp(in->name, "presence") == 0 && nick != -1 &&
      strcmp(in->type, "unavailable") != 0 && in->roleless_items)
    FAIL("an occupant without a role: %s", d->xml);
  if (to >= 0 && !sees_jids(st, room, to))
    for (size_t i = 0; i < in->njids; i++)
      if (user_of_any(in->jids[i]) != to / SOAK_RES)
        FAIL("a real JID (%s) shown to a non-moderator in a semi-anonymous "
             "room: %s",
             in->jids[i], d->xml);
  return 0;
}

/* An error to the sender: one the step may get?  Every error is checked,
 * condition and type, against the one the model expects. */
static int check_error(const stanza_info *in, const delivery *d,
                       const expect *e, size_t nth, char *why, size_t size)
{
  if (e->kind != EXPECT_ERROR)
    FAIL("expected no error, got <%s/> (type %s): %s", in->cond, in->etype,
         d->xml);
  const soak_answer *a = e->answer;
  if (nth > 0)
    FAIL("expected one error (%s), got more: %s", a->row, d->xml);
  if (strcmp(in->cond, a->cond) != 0 || strcmp(in->etype, a->type) != 0)
    FAIL("expected <%s/> of type %s (%s), got <%s/> of type '%s': %s", a->cond,
         a->type, a->row, in->cond, in->etype, d->xml);
  return 0;
}

/* The answer to the sender and, for messages, who received them. */
static int check_expectation(const soak_host *h, const stanza_info *infos,
                             const step *st, char *why, size_t size)
{
  const expect *e = st->e;
  if (e->kind == EXPECT_NOTHING) {
    if (st->rc == MUC_ERR_BAD_STANZA && h->nout == 0)
      return 0;
    FAIL("expected MUC_ERR_BAD_STANZA and silence, got %d and %zu "
         "deliveries",
         st->rc, h->nout);
  }
  if (st->rc != MUC_OK)
    FAIL("the entry point returned %d (%s)", st->rc, muc_strerror(st->rc));
  if (h->callback_rc != MUC_OK)
    FAIL("a call from a callback returned %d", h->callback_rc);
  size_t errors = 0;
  uint64_t got = 0;
  for (size_t i = 0; i < h->nout; i++) {
    const stanza_info *in = &infos[i];
    int to = soak_session_of(h->out[i].to);
    if (strcmp(in->type, "error") == 0) {
      if (to != st->sender)
        FAIL("an error to %s, who did not send the stanza: %s", h->out[i].to,
             h->out[i].xml);
      if (check_error(in, &h->out[i], e, errors++, why, size))
        return 1;
    }
    if (e->exact && strcmp(in->name, "message") == 0 &&
        (strcmp(in->type, "groupchat") == 0 || strcmp(in->type, "chat") == 0)) {
      if (to < 0 || (got >> to & 1))
        FAIL("message delivered twice or to no session: %s", h->out[i].xml);
      got |= 1ull << to;
    }
  }
  if (e->kind == EXPECT_ERROR && errors != 1)
    FAIL("expected <%s/> of type %s (%s), got no error", e->answer->cond,
         e->answer->type, e->answer->row);
  if (e->exact && got != e->to)
    FAIL("message recipients %#llx, expected %#llx", (unsigned long long)got,
         (unsigned long long)e->to);
  return 0;
}

int check_deliveries(const soak_host *h, const step *st, char *why, size_t size)
{
  static stanza_info *infos;
  static size_t cap;
  if (h->nout > cap) {
    cap = h->nout * 2;
    infos = realloc(infos, cap * sizeof(*infos));
    if (!infos)
      FAIL("out of memory");
  }
  for (size_t i = 0; i < h->nout; i++) {
    stanza_read(h->out[i].xml, h->out[i].len, &infos[i]);
    if (check_one(&h->out[i], &infos[i], st, why, size))
      return 1;
  }
  return check_expectation(h, infos, st, why, size);
}

static const char *const subjects[] = {"",       "topic1", "topic2",
                                       "topic3", "topic4", "topic5"};

static int check_room(const muc_room *lr, const m_room *r, int i, char *why,
                      size_t size)
{
  size_t n = muc_room_get_occupant_count(lr);
  if (n != (size_t)model_occupants(r))
    FAIL("room%d has %zu occupants, the model %d", i, n, model_occupants(r));
  char name[32];
  for (int k = 0; k < SOAK_NICKS; k++) {
    snprintf(name, sizeof(name), "n%d", k);
    int role = muc_room_get_role(lr, name);
    int want = r->occ[k].present ? r->occ[k].role : MUC_ROLE_NONE;
    if (role != want)
      FAIL("room%d: %s has role %d, the model %d", i, name, role, want);
    if (r->occ[k].present && role == MUC_ROLE_NONE)
      FAIL("room%d: occupant %s without a role", i, name);
  }
  for (int u = 0; u < SOAK_USERS; u++) {
    soak_user_jid(u, name, sizeof(name));
    int aff = muc_room_get_affiliation(lr, name);
    if (aff != r->aff[u])
      FAIL("room%d: %s has affiliation %d, the model %d", i, name, aff,
           r->aff[u]);
  }
  const char *subject = muc_room_get_subject(lr);
  if (strcmp(subject, subjects[r->subject]) != 0)
    FAIL("room%d: subject '%s', the model '%s'", i, subject,
         subjects[r->subject]);
  return 0;
}

int check_state(const soak_host *h, const model *m, char *why, size_t size)
{
  size_t rooms = 0;
  char name[32];
  for (int i = 0; i < SOAK_ROOMS; i++) {
    const m_room *r = &m->room[i];
    rooms += r->exists;
    snprintf(name, sizeof(name), "room%d", i);
    const muc_room *lr = muc_service_find_room(h->svc, name);
    if (!lr != !r->exists)
      FAIL("room%d %s in the library, %s in the model", i,
           lr ? "exists" : "does not exist", r->exists ? "exists" : "not");
    if (lr && check_room(lr, r, i, why, size))
      return 1;
  }
  size_t n = muc_service_get_room_count(h->svc);
  if (n != rooms)
    FAIL("%zu rooms in the library, %zu in the model", n, rooms);
  return 0;
}
