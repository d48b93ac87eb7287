/* Two services in one process, with the same room names, never see each
 * other's state: everything hangs off the service handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fakehost.h"

static void test_two_services(void **state)
{
  (void)state;
  fakehost a, b;
  assert_int_equal(fakehost_init(&a, "conference.localhost", NULL, 0), MUC_OK);
  assert_int_equal(fakehost_init(&b, "conference.localhost", NULL, 0), MUC_OK);
  fakehost_xml(&a, "<presence from='romeo@localhost/r' "
                   "to='room@conference.localhost/Romeo'><x "
                   "xmlns='http://jabber.org/protocol/muc'/></presence>");
  /* the same room name on the other service is a new room: Juliet creates
   * it and owns it */
  fakehost_xml(&b, "<presence from='juliet@localhost/j' "
                   "to='room@conference.localhost/Romeo'><x "
                   "xmlns='http://jabber.org/protocol/muc'/></presence>");
  assert_non_null(fakehost_find(&b, "<status code=\"201\"/>", NULL));
  assert_null(fakehost_find(&b, "romeo", NULL));
  assert_null(fakehost_find(&a, "juliet", NULL));
  muc_room *ra = muc_service_find_room(a.svc, "room");
  muc_room *rb = muc_service_find_room(b.svc, "room");
  assert_ptr_not_equal(ra, rb);
  assert_int_equal(muc_room_get_affiliation(ra, "romeo@localhost"),
                   MUC_AFFIL_OWNER);
  assert_int_equal(muc_room_get_affiliation(ra, "juliet@localhost"),
                   MUC_AFFIL_NONE);
  assert_int_equal(muc_room_get_affiliation(rb, "juliet@localhost"),
                   MUC_AFFIL_OWNER);
  /* ids come from per-service counters */
  fakehost_clear(&a);
  fakehost_clear(&b);
  fakehost_xml(&a, "<message from='romeo@localhost/r' "
                   "to='room@conference.localhost' type='groupchat'><body>a"
                   "</body></message>");
  fakehost_xml(&b, "<message from='juliet@localhost/j' "
                   "to='room@conference.localhost' type='groupchat'><body>b"
                   "</body></message>");
  assert_non_null(fakehost_find(&a, "id=\"muc-1\"", "<body>a</body>", NULL));
  assert_non_null(fakehost_find(&b, "id=\"muc-1\"", "<body>b</body>", NULL));
  /* freeing one leaves the other working */
  fakehost_free(&a);
  fakehost_clear(&b);
  fakehost_xml(&b, "<message from='juliet@localhost/j' "
                   "to='room@conference.localhost' type='groupchat'><body>c"
                   "</body></message>");
  assert_non_null(fakehost_find(&b, "<body>c</body>", NULL));
  fakehost_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_two_services)};
  return cmocka_run_group_tests_name("isolation", tests, NULL, NULL);
}
