/* XEP-0082 date-times (the MAM form's start and end), read strictly. */
#ifndef MUC_DATETIME_H
#define MUC_DATETIME_H

#include <stdint.h>

/* |s| as "CCYY-MM-DDThh:mm:ss[.sss]TZD" (TZD "Z" or "+hh:mm"/"-hh:mm";
 * any number of fraction digits, milliseconds kept) into ms since the
 * epoch.  0 on success; -1 for anything else: another shape, a field out
 * of range (month 13, February 30, hour 24, second 61), a time before
 * 1970 or after 9999. */
int muc_datetime_parse(const char *s, uint64_t *ms);

#endif
