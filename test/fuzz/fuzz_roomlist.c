/* libFuzzer target: the stored room list (muc_config.store_room_list).
 * The service's first entry point asks for the list (load_room with the
 * domain); the input is the host's answer, given from inside the callback
 * or after it (bit 0 of the length).  Then the service is used: the room
 * list is asked for, a public room is made, named, evicted (it joins the
 * index), listed, brought back, left, and the service shut down, which
 * writes the list.  Oracles: the answer is taken or refused whole (a
 * refused list lists nothing it named); every list the service writes is
 * one a fresh service takes (MUC_OK); nothing is fatal but memory. */
#include <stdlib.h>
#include <string.h>

#include "muc/muc_mxml.h"

#define DOMAIN "conference.localhost"
#define ROOM "made@" DOMAIN
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct host {
  muc_service *svc;
  const char *answer; /* the list to give; NULL: none */
  size_t answer_len;
  int inside, asked, answer_rc;
  char *list, *room; /* the last list and room record written */
  size_t list_len, room_len;
  uint64_t clock;
} host;

static void check_rc(int rc)
{
  if (muc_error_is_fatal(rc))
    abort();
}

static int on_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ++((host *)ud)->clock;
}

static void keep(char **slot, size_t *slot_len, const char *data, size_t len)
{
  free(*slot);
  *slot = NULL;
  if (!data)
    return;
  if (!(*slot = malloc(len ? len : 1)))
    abort();
  memcpy(*slot, data, len);
  *slot_len = len;
}

static int on_store(const char *jid, const char *data, size_t len, void *ud)
{
  host *h = ud;
  if (strcmp(jid, DOMAIN) == 0)
    keep(&h->list, &h->list_len, data, len);
  else
    keep(&h->room, &h->room_len, data, len);
  return 0;
}

static int on_load(const char *jid, void *ud)
{
  host *h = ud;
  if (strcmp(jid, DOMAIN) == 0) {
    h->asked++;
    if (h->inside)
      check_rc(h->answer_rc = muc_service_room_loaded(h->svc, jid, h->answer,
                                                      h->answer_len));
    return 0;
  }
  check_rc(muc_service_room_loaded(h->svc, jid, h->room,
                                   h->room ? h->room_len : 0));
  return 0;
}

static void open_host(host *h, const char *answer, size_t len, int inside)
{
  memset(h, 0, sizeof(*h));
  h->answer = answer;
  h->answer_len = len;
  h->inside = inside;
  h->clock = 1767225600000ull;
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_bytes;
  cb.load_room = on_load;
  cb.store_room = on_store;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.store_room_list = 1;
  cfg.room_lock_new = 0;
  cfg.room_persistent = 1;
  cfg.room_public = 1;
  if (muc_service_new(&h->svc, DOMAIN, &cb, &cfg, NULL, h) != MUC_OK)
    abort();
}

static void feed(host *h, const char *xml)
{
  check_rc(muc_service_handle_xml(h->svc, xml, strlen(xml)));
}

static void close_host(host *h)
{
  muc_service_free(h->svc);
  free(h->list);
  free(h->room);
}

static const char *const use[] = {
    "<iq from='x@localhost/x' to='" DOMAIN "' type='get' id='i'><query "
    "xmlns='http://jabber.org/protocol/disco#items'/></iq>",
    "<presence from='o@localhost/o' to='" ROOM "/O'>" MUCX "</presence>",
    "<iq from='o@localhost/o' to='" ROOM "' type='set' id='c'><query "
    "xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/"
    "muc#roomconfig</value></field><field var='muc#roomconfig_roomname'>"
    "<value>Made &amp; &lt;kept&gt;</value></field></x></query></iq>",
    "<presence from='o@localhost/o' to='" ROOM "/O' type='unavailable'/>",
    NULL, /* evict every room that can be */
    "<iq from='x@localhost/x' to='" DOMAIN "' type='get' id='j'><query "
    "xmlns='http://jabber.org/protocol/disco#items'/></iq>",
    "<iq from='x@localhost/x' to='" ROOM "' type='get' id='k'><query "
    "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *answer = malloc(size ? size : 1);
  if (!answer)
    abort();
  memcpy(answer, data, size);
  host h;
  open_host(&h, answer, size, (int)(size & 1));
  for (size_t i = 0; i < sizeof(use) / sizeof(use[0]); i++) {
    if (use[i])
      feed(&h, use[i]);
    else
      check_rc(muc_service_hibernate_now(h.svc));
    if (i == 0 && !h.inside) /* answered after the first call */
      check_rc(h.answer_rc = muc_service_room_loaded(h.svc, DOMAIN, answer,
                                                     size));
  }
  if (h.asked != 1)
    abort(); /* asked for once, at the first entry point */
  check_rc(muc_service_shutdown(h.svc));
  if (!h.list)
    abort(); /* the list is written at shutdown */
  /* the service's own list loads into a fresh service */
  host h2;
  open_host(&h2, h.list, h.list_len, 1);
  feed(&h2, use[0]);
  if (h2.answer_rc != MUC_OK)
    abort();
  close_host(&h2);
  close_host(&h);
  free(answer);
  return 0;
}
