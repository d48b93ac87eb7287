/* libFuzzer target: arbitrary text into muc_service_handle_xml, against a
 * room with occupants, affiliations, history and a subject, so that the
 * fuzzer reaches the room logic and not only the parser.  The input may
 * hold several stanzas separated by NUL bytes; each is handled in turn.
 * Built with -Dfuzz=true (clang); see test/fuzz/README. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "muc/muc_mxml.h"

static int on_send(const mxml_node_t *st, void *ud)
{
  (void)st;
  (void)ud;
  return 0;
}

static int on_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to;
  (void)xml;
  (void)len;
  (void)ud;
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ++*(uint64_t *)ud;
}

#define R "room@conference.localhost"
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
static const char *const setup[] = {
    "<presence from='owner@localhost/o' to='" R "/Owner'>" MUCX "</presence>",
    "<iq from='owner@localhost/o' to='" R "' type='set' id='c'><query "
    "xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/"
    "muc#roomconfig</value></field><field "
    "var='muc#roomconfig_presencebroadcast'><value>none</value><value>"
    "participant</value><value>moderator</value><value>visitor</value>"
    "</field></x></query></iq>",
    "<presence from='a@localhost/a' to='" R "/A'>" MUCX "</presence>",
    "<presence from='a@localhost/a2' to='" R "/A'>" MUCX "</presence>",
    "<presence from='b@localhost/b' to='" R "/B'>" MUCX "</presence>",
    "<iq from='owner@localhost/o' to='" R "' type='set' id='m'><query "
    "xmlns='http://jabber.org/protocol/muc#admin'><item jid='c@localhost' "
    "affiliation='member' nick='C'/></query></iq>",
    "<message from='a@localhost/a' to='" R "' type='groupchat'><body>hi"
    "</body></message>",
    "<message from='owner@localhost/o' to='" R "' type='groupchat'>"
    "<subject>s</subject></message>",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  uint64_t clock = 1767225600000ull;
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_bytes;
  /* both delivery paths, chosen by the input's length */
  muc_service *svc = NULL;
  int rc = size & 1 ? muc_service_new(&svc, "conference.localhost", &cb, NULL,
                                      NULL, &clock)
                    : muc_service_new_tree(&svc, "conference.localhost",
                                           on_send, &cb, NULL, NULL, &clock);
  if (rc != MUC_OK)
    abort();
  for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
    if (muc_service_handle_xml(svc, setup[i], strlen(setup[i])) != MUC_OK)
      abort();
  size_t start = 0;
  for (size_t i = 0; i <= size; i++) {
    if (i == size || data[i] == 0) {
      int rc =
          muc_service_handle_xml(svc, (const char *)data + start, i - start);
      if (muc_error_is_fatal(rc))
        abort(); /* only memory or callbacks may be fatal: neither fails */
      start = i + 1;
    }
  }
  muc_service_session_ended(svc, "a@localhost/a");
  muc_service_handle_timeout(svc);
  muc_service_free(svc);
  return 0;
}
