/* libFuzzer target: arbitrary text into muc_service_handle_xml, against
 * the live room of fuzz_room.c.  The input may hold several stanzas
 * separated by NUL bytes; each is handled in turn.  Bit 0 of the length
 * picks byte or tree delivery, bit 1 whether deliveries end sessions from
 * inside the callback (fuzz_room.h).  See README.md beside this file. */
#include "fuzz_room.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_room fr;
  fuzz_room_open(&fr, size & 1 ? FUZZ_BYTES : FUZZ_TREES, (int)(size & 2));
  fuzz_room_feed_all(&fr, data, size);
  fuzz_room_close(&fr);
  return 0;
}
