/* The soak's operations: drawn at random, written as stanzas, applied to
 * the model. */
#ifndef SOAK_OP_H
#define SOAK_OP_H

#include "model.h"

enum op_kind {
  OP_JOIN,        /* MUC join, sometimes with a password, maybe a new room */
  OP_JOIN_PLAIN,  /* presence without <x/>: creates an unlocked room */
  OP_NICK,        /* an occupant's session changes nick */
  OP_BAD_NICK,    /* join or nick change to a nick that is not one */
  OP_LEAVE,       /* unavailable presence */
  OP_GROUPCHAT,   /* a message to the room */
  OP_SUBJECT,     /* a subject change */
  OP_PRIVATE,     /* a private message to a nick */
  OP_ROLE,        /* muc#admin role change (kick: none) */
  OP_AFFILIATION, /* muc#admin affiliation change (ban: outcast) */
  OP_CONFIG,      /* muc#owner form: options that matter */
  OP_CONFIG_BAD,  /* muc#owner form with a value that cannot be taken */
  OP_DESTROY,     /* muc#owner destroy */
  OP_END,         /* muc_service_session_ended() */
  OP_BOUNCE,      /* an error returned for a stanza the room sent */
  OP_GHOST,       /* an error to a nick nobody has: removes nobody */
  OP_INVALID,     /* not XML, an iq without id, an unknown message type */
  OP_KINDS
};

extern const char *const op_names[OP_KINDS];

typedef struct op {
  enum op_kind kind;
  int room, session;
  int as_text; /* text entry even on the tree path */
  /* the parameters each kind uses */
  int nick, with_x, password, role, user, aff, word, kickable, presence;
  int variant; /* OP_BAD_NICK, OP_INVALID: which kind of bad */
  m_config cfg;
  char xml[1024]; /* "" for OP_END, which is a call */
} op;

/* Draw an operation and write its stanza. */
void op_draw(op *o, uint64_t *rng, const model *m);
/* Apply |o| to the model; what the library should answer into |e|. */
void op_apply(const op *o, model *m, expect *e);
/* A one-line description of |o| for a mismatch report. */
void op_describe(const op *o, char *buf, size_t size);

/* The stanza with which the first owner of |room| (any of its sessions)
 * destroys it, for draining; 0 if the room has no owner. */
int op_destroy_by_owner(op *o, const model *m, int room);

#endif
