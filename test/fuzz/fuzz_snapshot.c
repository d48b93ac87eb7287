/* libFuzzer target: live snapshots and change feed events, as another
 * service or the host hands them over.  The first byte of the input picks
 * the mode: bit 0, the CRC-32 at the end of the rest is made right (so
 * that mutations reach the sections, not only the checksum); bit 1, the
 * rest is a feed event, applied to a replica of the fixture room (see
 * fuzz_room.h) whose last event number is made the one before the
 * event's (so that every event is the next one, not a gap), else a snapshot,
 * restored into an empty service; bit 2, that service has small limits (a
 * snapshot over them is refused whole). Oracles: no fatal code; a room that was
 * accepted snapshots to bytes that a fresh service restores, and those snapshot
 * again to the same bytes; the room is then used (a join, a message, a nick
 * change, a leave, sessions ending, the timers). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_room.h"
#include "snapshot.h"

typedef struct blob {
  char *data;
  size_t len;
} blob;

static int keep(const char *data, size_t len, void *ud)
{
  blob *b = ud;
  free(b->data);
  if (!(b->data = malloc(len ? len : 1)))
    abort();
  memcpy(b->data, data, len);
  b->len = len;
  return 0;
}

static int on_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ++*(uint64_t *)ud;
}

static uint64_t clock_ms;

static muc_service *service(int small)
{
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_bytes;
  muc_config cfg;
  muc_config_default(&cfg);
  if (small) {
    cfg.max_occupants_per_room = 2;
    cfg.max_sessions_per_occupant = 1;
    cfg.max_affiliations_per_room = 2;
    cfg.max_nick_bytes = 4;
    cfg.max_subject_bytes = 4;
    cfg.max_history = 2;
    cfg.max_history_bytes = 300;
  }
  muc_service *svc = NULL;
  clock_ms = 1767225600000ull;
  if (muc_service_new(&svc, FUZZ_DOMAIN, &cb, &cfg, NULL, &clock_ms) != MUC_OK)
    abort();
  return svc;
}

/* The room |jid| of |svc|, if there is one, survives a move: its
 * snapshot restores into a fresh service and gives the same bytes. */
static void check_move(muc_service *svc, const char *jid, int small)
{
  blob a = {0}, b = {0};
  int rc = muc_service_snapshot_room(svc, jid, keep, &a);
  fuzz_check_rc(rc);
  if (rc != MUC_OK)
    return;
  muc_service *other = service(small);
  if (muc_service_restore_room(other, a.data, a.len) != MUC_OK ||
      muc_service_snapshot_room(other, jid, keep, &b) != MUC_OK ||
      a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
    abort();
  muc_service_free(other);
  free(a.data);
  free(b.data);
}

static const char *const use[] = {
    "<presence from='z@localhost/z' to='" FUZZ_ROOM "/Z'/>",
    "<message from='z@localhost/z' to='" FUZZ_ROOM "' type='groupchat'>"
    "<body>x</body></message>",
    "<message from='a@localhost/a' to='" FUZZ_ROOM "' type='groupchat'>"
    "<body>y</body></message>",
    "<presence from='z@localhost/z' to='" FUZZ_ROOM "/Y'/>",
    "<iq from='a@localhost/a' to='" FUZZ_ROOM "/B' type='get' id='v'>"
    "<query xmlns='jabber:iq:version'/></iq>",
    "<iq from='b@localhost/b' to='" FUZZ_ROOM "/A' type='result' id='muc-1'/>",
    "<presence from='z@localhost/z' to='" FUZZ_ROOM "/Y' type='unavailable'/>",
};

/* The number of the event |in| claims, or 0 if it has no frame. */
static uint64_t event_seq(const char *in, size_t len)
{
  muc_snap_in s = {(const unsigned char *)in, len, 0, 0};
  muc_snap_u32(&s); /* the magic */
  muc_snap_u32(&s); /* the version */
  uint32_t jl = muc_snap_u32(&s);
  if (s.bad || jl > s.left)
    return 0;
  s.p += jl;
  s.left -= jl;
  return muc_snap_u64(&s);
}

static void use_room(muc_service *svc)
{
  for (size_t i = 0; i < sizeof(use) / sizeof(use[0]); i++)
    fuzz_check_rc(muc_service_handle_xml(svc, use[i], strlen(use[i])));
  fuzz_check_rc(muc_service_session_ended(svc, "a@localhost/a"));
  clock_ms += 86400000ull;
  fuzz_check_rc(muc_service_handle_timeout(svc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  unsigned mode = data[0];
  size_t len = size - 1;
  char *in = malloc(len ? len : 1);
  if (!in)
    abort();
  memcpy(in, data + 1, len);
  if ((mode & 1) && len >= 4) {
    uint32_t crc = muc_snap_crc(0, in, len - 4);
    for (int i = 0; i < 4; i++)
      in[len - 4 + (size_t)i] = (char)(crc >> (24 - 8 * i));
  }
  int small = (mode & 4) != 0;
  muc_service *svc = service(small);
  if (mode & 2) {
    /* the replica starts as the fixture room */
    fuzz_room fr;
    blob b = {0};
    fuzz_room_open(&fr, FUZZ_BYTES, 0);
    if (muc_service_snapshot_room(fr.svc, FUZZ_ROOM, keep, &b) != MUC_OK)
      abort();
    muc_service_free(fr.svc);
    fuzz_check_rc(muc_service_restore_room(svc, b.data, b.len));
    free(b.data);
    muc_room *r = muc_service_find_room(svc, FUZZ_ROOM);
    uint64_t seq = event_seq(in, len);
    if (r && seq)
      r->feed_seq = seq - 1;
    fuzz_check_rc(muc_service_apply_event(svc, in, len));
  } else {
    fuzz_check_rc(muc_service_restore_room(svc, in, len));
  }
  if (muc_service_find_room(svc, FUZZ_ROOM)) {
    check_move(svc, FUZZ_ROOM, small);
    use_room(svc);
  }
  muc_service_free(svc);
  free(in);
  return 0;
}
