/* hello_room - the smallest host: a service, two users, one message.
 *
 * It uses only <muc/muc.h> (the text ABI) and prints every stanza the
 * library hands out.  Build it outside this tree with
 *   cc hello_room.c $(pkg-config --cflags --libs libmuc)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdio.h>
#include <string.h>

/* A real host writes |xml| to the connection of |to|. */
static int deliver(const char *to, const char *xml, size_t len, void *host)
{
  (void)host;
  printf("-> %s\n   %.*s\n", to, (int)len, xml);
  return 0;
}

/* A real host reads its clock; a fixed time keeps the output stable. */
static uint64_t clock_ms(void *host)
{
  (void)host;
  return 1767225600000ull; /* 2026-01-01T00:00:00Z */
}

static int say(muc_service *svc, const char *xml)
{
  printf("<- %s\n", xml);
  int rc = muc_service_handle_xml(svc, xml, strlen(xml));
  if (rc != MUC_OK)
    fprintf(stderr, "libmuc: %s\n", muc_strerror(rc));
  return rc;
}

int main(void)
{
  if (muc_version_num() < MUC_VERSION_NUM) {
    fprintf(stderr, "libmuc %s is older than this program\n", muc_version());
    return 1;
  }
  muc_callbacks cb = {0};
  cb.send_bytes = deliver;
  cb.now = clock_ms;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0; /* rooms are usable at once (instant rooms) */
  muc_service *svc;
  int rc = muc_service_new(&svc, "conference.localhost", &cb, &cfg, NULL, NULL);
  if (rc != MUC_OK) {
    fprintf(stderr, "muc_service_new: %s\n", muc_strerror(rc));
    return 1;
  }
  static const char *const script[] = {
      "<presence from='romeo@localhost/r' to='garden@conference.localhost/"
      "Romeo'><x xmlns='http://jabber.org/protocol/muc'/></presence>",
      "<presence from='juliet@localhost/j' to='garden@conference.localhost/"
      "Juliet'><x xmlns='http://jabber.org/protocol/muc'/></presence>",
      "<message from='juliet@localhost/j' to='garden@conference.localhost' "
      "type='groupchat'><body>Hello, Romeo</body></message>",
  };
  for (size_t i = 0; i < sizeof(script) / sizeof(script[0]) && rc == MUC_OK;
       i++)
    rc = say(svc, script[i]);
  if (rc == MUC_OK)
    rc = muc_service_session_ended(svc, "romeo@localhost/r");
  muc_room *room = muc_service_find_room(svc, "garden");
  printf("garden has %zu occupant(s)\n",
         room ? muc_room_get_occupant_count(room) : 0);
  muc_service_free(svc);
  return rc == MUC_OK ? 0 : 1;
}
