/* The reference model of the rooms: what each operation should do, from
 * XEP-0045 and the library's documented rules, written independently of
 * the library's code. */
#ifndef SOAK_MODEL_H
#define SOAK_MODEL_H

#include <stdint.h>

#include "answer.h"
#include "soak.h"

typedef struct m_occ {
  int present;
  int user;
  int role;          /* MUC_ROLE_* (never NONE while present) */
  uint32_t sessions; /* bit r: resource r of |user| */
} m_occ;

typedef struct m_room {
  int exists;
  int locked; /* created by a MUC join and not configured yet */
  int members_only, moderated, whois_anyone, persistent;
  int password; /* 0 none, else the index of its word (op.c) */
  unsigned max_users;
  int aff[SOAK_USERS];
  int subject; /* 0 none, else the index of its word */
  m_occ occ[SOAK_NICKS];
} m_room;

typedef struct model {
  m_room room[SOAK_ROOMS];
} model;

/* What the step should produce. */
enum expect_kind {
  EXPECT_OK,     /* no error to the sender */
  EXPECT_ERROR,  /* one error to the sender: |answer|'s type and condition */
  EXPECT_SILENT, /* nothing to the sender */
  EXPECT_NOTHING /* MUC_ERR_BAD_STANZA and no delivery at all */
};

typedef struct expect {
  enum expect_kind kind;
  const soak_answer *answer; /* EXPECT_ERROR: the row of docs/errors.md */
  /* EXPECT_OK with |exact|: the deliveries of the stanza (not counting
   * those of sessions ended in callbacks) go to exactly these sessions,
   * each once */
  int exact;
  uint64_t to;
  /* a bare JID that may receive a stanza without being an occupant (an
   * invitation, a status-101 notice) */
  int invitee;
} expect;

int model_occupants(const m_room *r);
/* The nick that session |s| has in |r|, or -1. */
int model_nick_of(const m_room *r, int s);
uint64_t model_sessions(const m_room *r);
uint64_t model_occ_sessions(const m_occ *o);
int model_default_role(int aff, int members_only, int moderated);

/* The operations, applied to the model. */
void model_join(model *m, expect *e, int room, int s, int nick, int with_x,
                int password);
void model_leave(model *m, expect *e, int room, int s);
void model_groupchat(model *m, expect *e, int room, int s);
void model_subject(model *m, expect *e, int room, int s, int word);
void model_private(model *m, expect *e, int room, int s, int nick);
void model_set_role(model *m, expect *e, int room, int s, int nick, int role);
void model_set_affiliation(model *m, expect *e, int room, int s, int user,
                           int aff);
typedef struct m_config {
  int members_only, moderated, whois_anyone, persistent; /* -1: not given */
  int password;                                          /* -1: not given */
  int max_users;                                         /* -1: not given */
} m_config;
void model_configure(model *m, expect *e, int room, int s, const m_config *c);
/* The refusals of an owner request (the room is unknown, |s| is no
 * owner): 1 if refused, with |e| set. */
int model_refuse_non_owner(const m_room *r, expect *e, int s);
void model_destroy(model *m, expect *e, int room, int s);
void model_session_ended(model *m, int s);
/* An error stanza |s| returns: |kickable| says whether its condition
 * says the session is gone; |nick| -1 for the bare room.  One to a nick
 * nobody has bounces nothing the room sent (docs/errors.md). */
void model_bounce(model *m, expect *e, int room, int s, int nick, int kickable,
                  int presence);
/* A join or nick change of |s| to a nick of spaces, or (|too_long|) one
 * over max_nick_bytes. */
void model_bad_nick(model *m, expect *e, int room, int s, int too_long);
/* A message with a body only, of type normal or of a type nobody knows. */
void model_normal_message(model *m, expect *e, int room, int s);

#endif
