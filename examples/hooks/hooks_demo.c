/* hooks_demo - the three hook examples on one service: an allow-list
 * keeps Tybalt out, the word filter masks a word, and the room's message
 * of the day is set in the owner's form and shown in disco#info.  Prints
 * every stanza handed in and out (examples/hello_room.c does the same
 * without hooks).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "hook_examples.h"

static int deliver(const char *to, const char *xml, size_t len, void *host)
{
  (void)host;
  printf("-> %s\n   %.*s\n", to, (int)len, xml);
  return 0;
}

static uint64_t clock_ms(void *host)
{
  (void)host;
  return 1767225600000ull; /* 2026-01-01T00:00:00Z */
}

#define ROOM "garden@conference.localhost"
static const char *const script[] = {
    "<presence from='romeo@localhost/r' to='" ROOM "/Romeo'><x "
    "xmlns='http://jabber.org/protocol/muc'/></presence>",
    "<iq from='romeo@localhost/r' to='" ROOM "' id='c1' type='set'><query "
    "xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/"
    "muc#roomconfig</value></field><field var='" MOTD_VAR "'><value>Be "
    "kind</value></field></x></query></iq>",
    "<presence from='tybalt@localhost/t' to='" ROOM "/Tybalt'><x "
    "xmlns='http://jabber.org/protocol/muc'/></presence>",
    "<presence from='juliet@localhost/j' to='" ROOM "/Juliet'><x "
    "xmlns='http://jabber.org/protocol/muc'/></presence>",
    "<message from='juliet@localhost/j' to='" ROOM "' type='groupchat' "
    "id='m1'><body>What the heck, Romeo</body></message>",
    "<iq from='juliet@localhost/j' to='" ROOM "' id='d1' type='get'><query "
    "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
};

int main(void)
{
  muc_callbacks cb = {0};
  cb.send_bytes = deliver;
  cb.now = clock_ms;
  muc_service *svc;
  int rc = muc_service_new(&svc, "conference.localhost", &cb, NULL, NULL, NULL);
  if (rc != MUC_OK) {
    fprintf(stderr, "muc_service_new: %s\n", muc_strerror(rc));
    return 1;
  }
  static const char *const words[] = {"heck", NULL};
  static const char *const allowed[] = {"romeo@localhost", "juliet@localhost",
                                        NULL};
  example_host x = {.banned_words = words, .allowed = allowed, .svc = svc};
  muc_hooks hooks = {0};
  word_filter_attach(&hooks);
  allow_list_attach(&hooks);
  motd_field_attach(&hooks);
  rc = muc_service_set_hooks(svc, MUC_HOOKS_VERSION, &hooks, &x);
  for (size_t i = 0; i < sizeof(script) / sizeof(script[0]) && rc == MUC_OK;
       i++) {
    printf("<- %s\n", script[i]);
    rc = muc_service_handle_xml(svc, script[i], strlen(script[i]));
  }
  if (rc != MUC_OK)
    fprintf(stderr, "libmuc: %s\n", muc_strerror(rc));
  printf(
      "message of the day: %s\n",
      muc_room_get_host_value(muc_service_find_room(svc, ROOM), MOTD_VAR, 0));
  muc_service_free(svc);
  return rc == MUC_OK ? 0 : 1;
}
