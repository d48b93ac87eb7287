/* admin_room - the host administers a room without forging stanzas.
 *
 * The host creates a persistent room with its own configuration, lets two
 * users in, lists the occupants with their real JIDs, makes one a member,
 * kicks the other, sets the subject and reads the history; every stanza
 * the library hands out is printed.  It uses only <muc/muc.h>; build it
 * outside this tree with
 *   cc admin_room.c $(pkg-config --cflags --libs libmuc)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdio.h>
#include <string.h>

#define ROOM "garden@conference.localhost"

static int deliver(const char *to, const char *xml, size_t len, void *host)
{
  (void)host;
  printf("-> %s\n   %.*s\n", to, (int)len, xml);
  return 0;
}

/* A fixed clock keeps the output stable. */
static uint64_t clock_ms(void *host)
{
  (void)host;
  return 1767225600000ull; /* 2026-01-01T00:00:00Z */
}

/* A real host writes the record to its database. */
static int store(const char *room, const char *data, size_t len, void *host)
{
  (void)host;
  (void)data;
  printf("stored %s (%zu bytes)\n", room, data ? len : 0);
  return 0;
}

static int check(const char *what, int rc)
{
  printf("%s: %s\n", what, muc_strerror(rc));
  return rc;
}

static void enter(muc_service *svc, const char *user, const char *nick)
{
  char xml[256];
  snprintf(xml, sizeof(xml),
           "<presence from='%s' to='" ROOM "/%s'>"
           "<x xmlns='http://jabber.org/protocol/muc'/></presence>",
           user, nick);
  muc_service_handle_xml(svc, xml, strlen(xml));
}

static void list_occupants(muc_service *svc)
{
  muc_occupant_info occ[8];
  size_t n;
  if (muc_service_list_occupants(svc, ROOM, 0, occ, 8, &n) != MUC_OK)
    return;
  for (size_t i = 0; i < n; i++)
    printf("occupant %s: role %d, affiliation %d, real JID %s\n", occ[i].nick,
           occ[i].role, occ[i].affiliation, occ[i].primary);
}

int main(void)
{
  muc_callbacks cb = {0};
  cb.send_bytes = deliver;
  cb.now = clock_ms;
  cb.store_room = store;
  muc_service *svc;
  if (muc_service_new(&svc, "conference.localhost", &cb, NULL, NULL, NULL) !=
      MUC_OK)
    return 1;

  muc_room_options opts;
  muc_room_options_default(svc, &opts);
  opts.name = "The Garden";
  opts.persistent = 1;
  opts.public_room = 1;
  int rc = check("create", muc_service_create_room(
                               svc, "garden", "romeo@localhost", &opts, 0));
  enter(svc, "juliet@localhost/balcony", "Juliet");
  enter(svc, "tybalt@localhost/street", "Tybalt");
  list_occupants(svc);

  rc |= check("member", muc_service_set_affiliation(
                            svc, ROOM, "juliet@localhost", MUC_AFFIL_MEMBER,
                            "a friend of the house"));
  rc |= check("kick", muc_service_kick(svc, ROOM, "Tybalt", "no fighting"));
  /* the rules of XEP-0045 hold for the host too: the last owner stays */
  check("remove the last owner",
        muc_service_set_affiliation(svc, ROOM, "romeo@localhost",
                                    MUC_AFFIL_NONE, NULL));
  rc |= check("subject", muc_service_set_subject(svc, ROOM, "Fair Verona"));

  const char *hello = "<message from='juliet@localhost/balcony' to='" ROOM
                      "' type='groupchat'><body>Hello</body></message>";
  muc_service_handle_xml(svc, hello, strlen(hello));
  muc_history_item items[4];
  size_t n;
  if (muc_service_get_history(svc, ROOM, 0, items, 4, &n) == MUC_OK)
    for (size_t i = 0; i < n; i++)
      printf("history: %s said %zu bytes\n", items[i].nick, items[i].len);

  muc_room_info rooms[4];
  if (muc_service_list_rooms(svc, NULL, MUC_LIST_PUBLIC, rooms, 4, &n) ==
      MUC_OK)
    for (size_t i = 0; i < n; i++)
      printf("public room %s \"%s\" with %zu occupant(s)\n", rooms[i].jid,
             rooms[i].name, rooms[i].occupants);
  muc_service_free(svc);
  return rc == MUC_OK ? 0 : 1;
}
