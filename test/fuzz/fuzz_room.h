/* The live room the stanza, tree and form targets fuzz against: occupants,
 * a multi-session nick, a member with a reserved nick, a visitor-capable
 * presence broadcast, history and a subject, so that input reaches the
 * room logic and not only the parser.  Every delivery is checked: it must
 * have an address and re-parse under libmuc's strict parser, or the
 * target aborts (a finding). */
#ifndef FUZZ_ROOM_H
#define FUZZ_ROOM_H

#include <stddef.h>
#include <stdint.h>

#include "muc/muc_mxml.h"

#define FUZZ_DOMAIN "conference.localhost"
#define FUZZ_ROOM "room@" FUZZ_DOMAIN

/* Delivery path of the fixture's service. */
typedef enum { FUZZ_BYTES, FUZZ_TREES } fuzz_delivery;

typedef struct fuzz_room {
  muc_service *svc;
  uint64_t clock;      /* milliseconds, one step per now() call */
  int reenter;         /* end sessions from inside deliveries */
  unsigned deliveries; /* stanzas delivered so far */
} fuzz_room;

/* Create the service and the room (aborts if that fails: the setup is
 * valid input).  |reenter| nonzero: once the room is set up, every fifth
 * delivery ends its recipient's session from inside the callback, as a
 * host does that finds the session gone. */
void fuzz_room_open(fuzz_room *fr, fuzz_delivery how, int reenter);
/* Hand |len| bytes to muc_service_handle_xml; aborts on a fatal code
 * (memory and callbacks never fail here). Returns the code. */
int fuzz_room_feed(fuzz_room *fr, const char *xml, size_t len);
/* Feed each NUL-separated piece of |data| in turn. */
void fuzz_room_feed_all(fuzz_room *fr, const uint8_t *data, size_t size);
/* End a session, let the timers run, free the service. */
void fuzz_room_close(fuzz_room *fr);
/* Abort unless |rc| is a code an entry point may return for bad input. */
void fuzz_check_rc(int rc);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
