/* The room administration API (muc.h, "Room administration"): the frame
 * its changing calls share.  Each change is an operation record, run as
 * an entry point call of its own (service.c): at once, or queued when
 * called from inside a callback, checked when called and checked again
 * when run. */
#ifndef MUC_API_H
#define MUC_API_H

#include "core.h"
#include "permission.h"

typedef struct muc_api_op muc_api_op;

/* The rules (|room| as it is now) or the change itself.  |room| is NULL
 * for an operation on a room that does not exist yet (creation). */
typedef int (*muc_api_fn)(muc_service *svc, muc_room *room,
                          const muc_api_op *op);

#define MUC_API_STRS 3

struct muc_api_op {
  muc_call_op call;        /* first: how service.c runs and frees it */
  muc_api_fn check;        /* MUC_OK, or the code the call returns */
  muc_api_fn apply;        /* the change; failures are recorded (muc_fail) */
  int new_room;            /* the room must not exist (else MUC_ERR_EXISTS) */
  char *node;              /* the room's prepared local part */
  char *str[MUC_API_STRS]; /* the operation's strings (NULL: none) */
  int num;
  unsigned flags;
  int has_opts;          /* |opts| is the configuration to apply */
  muc_room_options opts; /* its strings are |ostr| */
  char *ostr[4];
  char **vals; /* the values of a host field (api_host_fields.c) */
  size_t nvals;
};

/* A new operation for the room named |room| (a bare room JID or its
 * local part), with copies of the |nstr| strings of |strs| (NULL ones
 * stay NULL).  MUC_OK and *|out|, MUC_ERR_INVALID_ARG (not a room of this
 * service) or MUC_ERR_NOMEM. */
int muc_api_op_new(muc_service *svc, const char *room, const char **strs,
                   size_t nstr, muc_api_op **out);
void muc_api_op_free(muc_service *svc, muc_api_op *op);

/* Run |op| (owned from here on): now, or queued after a first check
 * when called from a callback.  The call's result. */
int muc_api_submit(muc_service *svc, muc_api_op *op);

/* The change |check|/|apply| of |room| with |num|, the prepared |target|
 * (a JID or nick, freed here) and |reason| (copied): made, or queued.
 * The call's result. */
int muc_api_submit_change(muc_service *svc, const char *room, char *target,
                          const char *reason, int num, muc_api_fn check,
                          muc_api_fn apply);

/* The room of a reading call: MUC_OK and *|out|, or the code. */
int muc_api_room(muc_service *svc, const char *room, muc_room **out);
/* The room named |room| if it is in memory (no load, *|out| NULL when
 * not): MUC_OK, MUC_ERR_INVALID_ARG or MUC_ERR_NOMEM. */
int muc_api_in_memory(muc_service *svc, const char *room, muc_room **out);
/* The same for a listing into |out| (|max| rows, *|n| set to 0 first):
 * MUC_ERR_INVALID_ARG for NULL |svc|, |n|, or |out| with |max| > 0. */
int muc_api_listing(muc_service *svc, const char *room, const void *out,
                    size_t max, size_t *n, muc_room **r);

/* The permission table's verdict on |c| with the host as the actor
 * (MUC_AFFIL_HOST) and |room|'s option facts added: MUC_OK, or the code
 * the call returns: MUC_ERR_NOT_FOUND (nobody has the nick), else
 * MUC_ERR_NOT_ALLOWED. */
int muc_api_permit(muc_room *room, muc_permit_case c);

/* Checks of the API's arguments (1: acceptable). */
/* |s| NULL, or UTF-8 text of XML characters of at most |max| bytes. */
int muc_api_text_ok(const char *s, uint32_t max);
/* MUC_OK, MUC_ERR_INVALID_ARG (not UTF-8 XML text) or MUC_ERR_LIMIT (over
 * |max|) for the optional text |s|. */
int muc_api_text_code(const char *s, uint32_t max);
/* |jid| prepared into its bare form, copied into a new string in *|out|:
 * MUC_OK, MUC_ERR_INVALID_ARG or MUC_ERR_NOMEM. */
int muc_api_bare(muc_service *svc, const char *jid, char **out);

/* The answer buffer of reading calls: emptied, then appended to; a
 * string's offset is kept (the buffer may move) and turned into a
 * pointer once the answer is complete. */
void muc_api_answer_reset(muc_service *svc);
/* Append NUL-terminated |s| (|n| bytes); its offset, or (size_t)-1 when
 * out of memory (recorded as fatal). */
size_t muc_api_answer_put(muc_service *svc, const char *s, size_t n);
const char *muc_api_answer_at(const muc_service *svc, size_t off);

#endif
