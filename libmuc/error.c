/* Error strings. */
#include <string.h>

#include "muc/muc.h"

const char *muc_strerror(int err)
{
  /* A switch, not a table of pointers: no relocated data in the library. */
  switch (err) {
  case MUC_OK:
    return "success";
  case MUC_ERR_INVALID_ARG:
    return "invalid argument";
  case MUC_ERR_BAD_STANZA:
    return "malformed or unacceptable stanza";
  case MUC_ERR_LIMIT:
    return "configured limit reached";
  case MUC_ERR_STORAGE:
    return "storage failure";
  case MUC_ERR_NOT_FOUND:
    return "not found";
  case MUC_ERR_NOT_MINE:
    return "stanza not addressed to this service";
  case MUC_ERR_CALLBACK_FAILURE:
    return "callback failure";
  case MUC_ERR_IN_CALLBACK:
    return "not allowed from inside a callback";
  case MUC_ERR_EXISTS:
    return "already exists";
  case MUC_ERR_NOT_ALLOWED:
    return "not allowed by XEP-0045's rules";
  case MUC_ERR_LOADING:
    return "room is being loaded";
  case MUC_ERR_FATAL:
    return "fatal error";
  case MUC_ERR_NOMEM:
    return "out of memory";
  default:
    return "unknown error";
  }
}

int muc_error_is_fatal(int err)
{
  return err <= MUC_ERR_FATAL;
}
