/* XEP-0082 date-times, read strictly (datetime.h). */
#include "datetime.h"

#include <stddef.h>

/* |n| digits at |*p| as a number, |*p| moved past them; -1 if one is no
 * digit. */
static int digits(const char **p, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++, (*p)++) {
    if (**p < '0' || **p > '9')
      return -1;
    v = v * 10 + (**p - '0');
  }
  return v;
}

static int expect(const char **p, char c)
{
  if (**p != c)
    return -1;
  (*p)++;
  return 0;
}

static int days_in_month(int y, int m)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to |y|-|m|-|d| (proleptic Gregorian). */
static int64_t days_from_epoch(int y, int m, int d)
{
  y -= m <= 2;
  int64_t era = y / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The optional fraction of a second at |*p| (".d+") in ms: digits past
 * the third are dropped.  -1 for a '.' without digits. */
static int fraction(const char **p)
{
  if (**p != '.')
    return 0;
  (*p)++;
  int ms = 0, n = 0;
  for (; **p >= '0' && **p <= '9'; (*p)++, n++)
    if (n < 3)
      ms = ms * 10 + (**p - '0');
  if (n == 0)
    return -1;
  for (; n < 3; n++) /* ".5" is 500 ms */
    ms *= 10;
  return ms;
}

/* The time zone designator at |*p|: its offset east of UTC in minutes
 * into *|off|.  0, or -1 if malformed. */
static int zone(const char **p, int *off)
{
  if (**p == 'Z') {
    (*p)++;
    *off = 0;
    return 0;
  }
  int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
  if (!sign)
    return -1;
  (*p)++;
  int h = digits(p, 2);
  if (h < 0 || expect(p, ':') != 0)
    return -1;
  int mi = digits(p, 2);
  if (mi < 0 || h > 23 || mi > 59)
    return -1;
  *off = sign * (h * 60 + mi);
  return 0;
}

int muc_datetime_parse(const char *s, uint64_t *ms)
{
  if (!s)
    return -1;
  const char *p = s;
  int y = digits(&p, 4);
  int mo = expect(&p, '-') ? -1 : digits(&p, 2);
  int d = expect(&p, '-') ? -1 : digits(&p, 2);
  int h = expect(&p, 'T') ? -1 : digits(&p, 2);
  int mi = expect(&p, ':') ? -1 : digits(&p, 2);
  int se = expect(&p, ':') ? -1 : digits(&p, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
      mi > 59 || se < 0 || se > 60 || d > days_in_month(y, mo))
    return -1;
  int frac = fraction(&p);
  if (frac < 0)
    return -1;
  int off = 0;
  if (zone(&p, &off) != 0 || *p)
    return -1;
  int64_t secs = days_from_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 +
                 (se == 60 ? 59 : se) - (int64_t)off * 60;
  if (secs < 0)
    return -1;
  *ms = (uint64_t)secs * 1000 + (uint64_t)frac;
  return 0;
}
