/* The shared live room of the stanza, tree and form targets; see
 * fuzz_room.h. */
#include "fuzz_room.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "xml.h"

/* What the library sends must be XML that a strict parser reads back:
 * a stanza a server would refuse ends the session of its recipient. */
static void check_wellformed(const char *xml, size_t len)
{
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_xml_limits unlimited = {0, 0, 0, 0};
  mxml_node_t *st = NULL;
  if (muc_xml_parse(&m, xml, len, &unlimited, &st) != MUC_OK)
    abort();
  const char *to = muc_xml_attr(st, "to");
  if (!to || !*to)
    abort();
  mxmlDelete(st);
}

/* Every fifth delivery, when asked: the recipient's session ends. */
static void maybe_reenter(fuzz_room *fr, const char *to)
{
  if (fr->reenter && ++fr->deliveries % 5 == 0)
    fuzz_check_rc(muc_service_session_ended(fr->svc, to));
}

static int on_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  if (!to || !*to)
    abort();
  check_wellformed(xml, len);
  maybe_reenter(ud, to);
  return 0;
}

static int on_tree(const mxml_node_t *st, void *ud)
{
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_buf b;
  muc_buf_init(&b, &m);
  if (muc_xml_write(&b, st) != MUC_OK)
    abort();
  check_wellformed(b.data, b.len);
  muc_buf_free(&b);
  maybe_reenter(ud, mxmlElementGetAttr((mxml_node_t *)st, "to"));
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ++((fuzz_room *)ud)->clock;
}

/* admin@localhost administers the service, as in the scenario replay, so
 * that the scenarios' seeds reach the service commands. */
static int on_is_admin(const char *bare_jid, void *ud)
{
  (void)ud;
  return strcmp(bare_jid, "admin@localhost") == 0;
}

/* Rooms whose name starts with "closed" may not be created. */
static int on_may_create(const char *real_jid, const char *room_jid, void *ud)
{
  (void)real_jid;
  (void)ud;
  return strncmp(room_jid, "closed", 6) != 0;
}

#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
static const char *const setup[] = {
    "<presence from='owner@localhost/o' to='" FUZZ_ROOM "/Owner'>" MUCX
    "</presence>",
    "<iq from='owner@localhost/o' to='" FUZZ_ROOM "' type='set' id='c'><query "
    "xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/"
    "muc#roomconfig</value></field><field "
    "var='muc#roomconfig_presencebroadcast'><value>none</value><value>"
    "participant</value><value>moderator</value><value>visitor</value>"
    "</field><field var='muc#roomconfig_persistentroom'><value>1</value>"
    "</field></x></query></iq>",
    "<presence from='a@localhost/a' to='" FUZZ_ROOM "/A'>" MUCX "</presence>",
    "<presence from='a@localhost/a2' to='" FUZZ_ROOM "/A'>" MUCX "</presence>",
    "<presence from='b@localhost/b' to='" FUZZ_ROOM "/B'>" MUCX "</presence>",
    "<iq from='owner@localhost/o' to='" FUZZ_ROOM "' type='set' id='m'><query "
    "xmlns='http://jabber.org/protocol/muc#admin'><item jid='c@localhost' "
    "affiliation='member' nick='C'/></query></iq>",
    "<message from='a@localhost/a' to='" FUZZ_ROOM "' type='groupchat'><body>"
    "hi</body></message>",
    "<message from='owner@localhost/o' to='" FUZZ_ROOM "' type='groupchat'>"
    "<subject>s</subject></message>",
};

void fuzz_check_rc(int rc)
{
  if (muc_error_is_fatal(rc))
    abort(); /* only memory or callbacks may be fatal: neither fails */
}

void fuzz_room_open(fuzz_room *fr, fuzz_delivery how, int reenter)
{
  fr->clock = 1767225600000ull;
  fr->reenter = 0;
  fr->deliveries = 0;
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_bytes;
  cb.is_service_admin = on_is_admin;
  cb.may_create_room = on_may_create;
  fr->svc = NULL;
  int rc = how == FUZZ_BYTES
               ? muc_service_new(&fr->svc, FUZZ_DOMAIN, &cb, NULL, NULL, fr)
               : muc_service_new_tree(&fr->svc, FUZZ_DOMAIN, on_tree, &cb, NULL,
                                      NULL, fr);
  if (rc != MUC_OK)
    abort();
  for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
    if (muc_service_handle_xml(fr->svc, setup[i], strlen(setup[i])) != MUC_OK)
      abort();
}

int fuzz_room_feed(fuzz_room *fr, const char *xml, size_t len)
{
  int rc = muc_service_handle_xml(fr->svc, xml, len);
  fuzz_check_rc(rc);
  return rc;
}

void fuzz_room_feed_all(fuzz_room *fr, const uint8_t *data, size_t size)
{
  size_t start = 0;
  for (size_t i = 0; i <= size; i++) {
    if (i == size || data[i] == 0) {
      fuzz_room_feed(fr, (const char *)data + start, i - start);
      start = i + 1;
    }
  }
}

void fuzz_room_close(fuzz_room *fr)
{
  fuzz_check_rc(muc_service_session_ended(fr->svc, "a@localhost/a"));
  fr->clock += 86400000ull; /* past every deadline */
  fuzz_check_rc(muc_service_handle_timeout(fr->svc));
  muc_service_free(fr->svc);
  fr->svc = NULL;
}
