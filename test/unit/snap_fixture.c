#include "snap_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snapshot.h"

int snap_keep(const char *data, size_t len, void *ud)
{
  blob *b = ud;
  free(b->data);
  b->data = malloc(len);
  assert_non_null(b->data);
  memcpy(b->data, data, len);
  b->len = len;
  return 0;
}

void snap_record(const char *room, uint64_t seq, const char *data, size_t len,
                 void *ud)
{
  feed_log *f = ud;
  if (f->room)
    assert_string_equal(room, f->room);
  assert_true(f->n < MAX_EVENTS);
  f->ev[f->n].data = NULL;
  snap_keep(data, len, &f->ev[f->n]);
  f->seq[f->n++] = seq;
}

void feed_log_free(feed_log *f)
{
  for (size_t i = 0; i < f->n; i++)
    free(f->ev[i].data);
  f->n = 0;
}

void snap_fix_crc(blob *s)
{
  uint32_t crc = muc_snap_crc(0, s->data, s->len - 4);
  for (int i = 0; i < 4; i++)
    s->data[s->len - 4 + (size_t)i] = (char)(crc >> (24 - 8 * i));
}
