/* Shared by the snapshot and feed tests: snapshots kept as blobs, the
 * change feed recorded event by event. */
#ifndef SNAP_FIXTURE_H
#define SNAP_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

typedef struct blob {
  char *data;
  size_t len;
} blob;

/* A muc_snapshot_fn: the bytes into the blob |ud| (replacing them). */
int snap_keep(const char *data, size_t len, void *ud);

#define MAX_EVENTS 64
typedef struct feed_log {
  const char *room; /* when set: every event must be of this room */
  blob ev[MAX_EVENTS];
  uint64_t seq[MAX_EVENTS];
  size_t n;
} feed_log;

/* A muc_feed_fn appending to the feed_log |ud|. */
void snap_record(const char *room, uint64_t seq, const char *data, size_t len,
                 void *ud);
void feed_log_free(feed_log *f);
/* |s| with its CRC made right again after an edit. */
void snap_fix_crc(blob *s);

#endif
