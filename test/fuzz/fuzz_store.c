/* libFuzzer target: the stored room record.  A join makes the service ask
 * for the room (load_room); the input is the host's answer to
 * muc_service_room_loaded, given from inside the callback or after it
 * (bit 0 of the length; after it, two more stanzas wait for the room), by a
 * service with the default limits or, bit 1, with small ones (a record over
 * them is refused whole).  Whatever the record held, the room is then used:
 * joins by an owner, a member and a stranger, messages, a subject, the
 * configuration form and the affiliation lists, a registration form, an
 * affiliation change, a configuration change, leaving.  Oracle: every
 * record the service writes is one that a fresh service loads. */
#include <stdlib.h>
#include <string.h>

#include "muc/muc_mxml.h"

#define DOMAIN "conference.localhost"
#define ROOM "room@" DOMAIN

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct host {
  muc_service *svc;
  const char *record; /* the answer to give to load_room */
  size_t record_len;
  int answer_inside; /* answer from inside load_room */
  int asked;         /* load_room was called */
  int loaded_rc;     /* what muc_service_room_loaded returned */
  char *stored;      /* the last record the service wrote, or NULL */
  size_t stored_len;
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

static int on_load(const char *room_jid, void *ud)
{
  host *h = ud;
  h->asked = 1;
  if (h->answer_inside) {
    h->loaded_rc =
        muc_service_room_loaded(h->svc, room_jid, h->record, h->record_len);
    check_rc(h->loaded_rc);
  }
  return 0;
}

static int on_store(const char *room_jid, const char *data, size_t len,
                    void *ud)
{
  host *h = ud;
  (void)room_jid;
  free(h->stored);
  h->stored = NULL;
  if (data) {
    h->stored = malloc(len ? len : 1);
    if (!h->stored)
      abort();
    memcpy(h->stored, data, len);
    h->stored_len = len;
  }
  return 0;
}

/* Limits small enough for a fuzzer's records to go over them. */
static void small_limits(muc_config *cfg)
{
  muc_config_default(cfg);
  cfg->max_affiliations_per_room = 4;
  cfg->max_nick_bytes = 8;
  cfg->max_subject_bytes = 16;
  cfg->max_reason_bytes = 16;
  cfg->max_room_name_bytes = 8;
  cfg->max_password_bytes = 8;
  cfg->max_form_value_bytes = 16;
  cfg->max_history = 4;
}

static void open_host(host *h, const char *record, size_t len, int inside,
                      int small)
{
  memset(h, 0, sizeof(*h));
  h->record = record;
  h->record_len = len;
  h->answer_inside = inside;
  h->clock = 1767225600000ull;
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_bytes;
  cb.load_room = on_load;
  cb.store_room = on_store;
  muc_config cfg;
  small_limits(&cfg);
  if (muc_service_new(&h->svc, DOMAIN, &cb, small ? &cfg : NULL, NULL, h) !=
      MUC_OK)
    abort();
}

static void close_host(host *h)
{
  muc_service_free(h->svc);
  free(h->stored);
}

static int feed(host *h, const char *xml)
{
  int rc = muc_service_handle_xml(h->svc, xml, strlen(xml));
  check_rc(rc);
  return rc;
}

/* The first join asks for the room; the record answers. */
static void load(host *h)
{
  feed(h, "<presence from='owner@localhost/o' to='" ROOM "/Owner'><x "
          "xmlns='http://jabber.org/protocol/muc'><password>secret</password>"
          "</x></presence>");
  if (!h->asked)
    abort(); /* a room not in memory is asked for */
  if (!h->answer_inside) {
    /* stanzas for a loading room wait for it */
    feed(h, "<presence from='c@localhost/c' to='" ROOM "/C'><x "
            "xmlns='http://jabber.org/protocol/muc'/></presence>");
    feed(h, "<message from='c@localhost/c' to='" ROOM "' type='groupchat'>"
            "<body>early</body></message>");
    h->loaded_rc =
        muc_service_room_loaded(h->svc, ROOM, h->record, h->record_len);
    check_rc(h->loaded_rc);
  }
}

#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
#define FROM_O "from='owner@localhost/o' to='" ROOM "'"
#define GET(NS) "<iq " FROM_O " type='get' id='g'><query xmlns='" NS "'"
static const char *const use[] = {
    "<presence from='c@localhost/c' to='" ROOM "/C'>" MUCX "</presence>",
    "<presence from='z@localhost/z' to='" ROOM "/Z'>" MUCX "</presence>",
    "<message " FROM_O " type='groupchat'><body>hi</body></message>",
    "<message " FROM_O " type='groupchat'><subject>t</subject></message>",
    "<message from='c@localhost/c' to='" ROOM "/Owner' type='chat'><body>p"
    "</body></message>",
    GET("http://jabber.org/protocol/muc#owner") "/></iq>",
    GET("http://jabber.org/protocol/muc#admin") "><item "
                                                "affiliation='owner'/></query>"
                                                "</iq>",
    GET("http://jabber.org/protocol/muc#admin") "><item "
                                                "affiliation='member'/>"
                                                "</query></iq>",
    GET("http://jabber.org/protocol/muc#admin") "><item "
                                                "affiliation='outcast'/>"
                                                "</query></iq>",
    GET("http://jabber.org/protocol/disco#info") "/></iq>",
    "<iq from='y@localhost/y' to='" ROOM "' type='get' id='r'><query "
    "xmlns='jabber:iq:register'/></iq>",
    "<iq " FROM_O " type='set' id='a'><query xmlns='http://jabber.org/"
    "protocol/muc#admin'><item jid='c@localhost' affiliation='member' "
    "nick='C'/></query></iq>",
    "<iq " FROM_O " type='set' id='s'><query xmlns='http://jabber.org/"
    "protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'><field "
    "var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig"
    "</value></field><field var='muc#roomconfig_roomname'><value>n</value>"
    "</field></x></query></iq>",
    "<presence from='c@localhost/c' to='" ROOM "/C' type='unavailable'/>",
    "<presence from='z@localhost/z' to='" ROOM "/Z' type='unavailable'/>",
    "<presence from='owner@localhost/o' to='" ROOM "/Owner' "
    "type='unavailable'/>",
};

/* What the service wrote must load into a fresh service. */
static void reload(const char *record, size_t len, int inside, int small)
{
  host h2;
  open_host(&h2, record, len, inside, small);
  load(&h2);
  if (h2.loaded_rc != MUC_OK)
    abort(); /* the service refuses its own record */
  if (!inside &&
      muc_service_room_loaded(h2.svc, ROOM, record, len) != MUC_ERR_NOT_FOUND)
    abort(); /* the answer was taken: no load pending any more */
  close_host(&h2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  host h;
  int inside = (int)(size & 1), small = (int)(size & 2);
  open_host(&h, (const char *)data, size, inside, small);
  load(&h);
  for (size_t i = 0; i < sizeof(use) / sizeof(use[0]); i++)
    feed(&h, use[i]);
  h.clock += 86400000ull;
  check_rc(muc_service_handle_timeout(h.svc));
  check_rc(muc_service_shutdown(h.svc));
  if (h.stored)
    reload(h.stored, h.stored_len, inside, small);
  close_host(&h);
  return 0;
}
