/* libFuzzer target: arbitrary text into muc_service_handle_xml, against
 * the live room of fuzz_room.c.  The input may hold several stanzas
 * separated by NUL bytes; each is handled in turn.  Odd lengths use byte
 * delivery, even ones tree delivery.  See README.md beside this file. */
#include "fuzz_room.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_room fr;
  fuzz_room_open(&fr, size & 1 ? FUZZ_BYTES : FUZZ_TREES);
  fuzz_room_feed_all(&fr, data, size);
  fuzz_room_close(&fr);
  return 0;
}
