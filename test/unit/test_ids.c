#define _POSIX_C_SOURCE 200809L
/* XEP-0421 occupant ids and XEP-0359 stanza ids: the exact hash, its
 * stability and differences (what the scenarios can only show for a few
 * users), the secret's rules, and that the stanza id on the wire, in the
 * history and in message_archived is one id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/base64.h>
#include <nettle/hmac.h>

#include "fakehost.h"
#include "occupant_id.h"

#define ROOM "room@conference.localhost"
#define MUCNS "http://jabber.org/protocol/muc"
#define OID_NS "urn:xmpp:occupant-id:0"

static const char secret[] = "a secret of the unit tests, 40 bytes ...";

static muc_config ids_config(void)
{
  muc_config c;
  muc_config_default(&c);
  c.occupant_id_secret = (const uint8_t *)secret;
  c.occupant_id_secret_len = sizeof(secret) - 1;
  c.stanza_id = 1;
  return c;
}

/* The id a keyed hash of |room| NUL |bare| gives, computed here with the
 * same library from the specification in muc.h. */
static void expected_id(const char *room, const char *bare, char out[25])
{
  struct hmac_sha256_ctx c;
  hmac_sha256_set_key(&c, sizeof(secret) - 1, (const uint8_t *)secret);
  hmac_sha256_update(&c, strlen(room) + 1, (const uint8_t *)room);
  hmac_sha256_update(&c, strlen(bare), (const uint8_t *)bare);
  uint8_t mac[SHA256_DIGEST_SIZE];
  hmac_sha256_digest(&c, sizeof mac, mac);
  struct base64_encode_ctx b;
  base64url_encode_init(&b);
  size_t n = base64_encode_update(&b, out, 18, mac);
  n += base64_encode_final(&b, out + n);
  out[n] = 0;
}

/* The id in the element made for |room| and |bare|. */
static void made_id(const char *room, const char *bare, char out[25])
{
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_occupant_key *k = NULL;
  assert_int_equal(
      muc_occupant_key_new(&m, (const uint8_t *)secret, sizeof(secret) - 1, &k),
      MUC_OK);
  char el[MUC_OCCUPANT_ID_EL_LEN + 1];
  muc_occupant_id_el(k, room, bare, el);
  assert_int_equal(strlen(el), MUC_OCCUPANT_ID_EL_LEN);
  assert_int_equal(
      strncmp(el, MUC_OCCUPANT_ID_EL_HEAD, strlen(MUC_OCCUPANT_ID_EL_HEAD)), 0);
  assert_string_equal(el + MUC_OCCUPANT_ID_EL_LEN - 3, "\"/>");
  memcpy(out, muc_occupant_id_of_el(el), 24);
  out[24] = 0;
  muc_occupant_key_free(&m, k);
}

static void hash_is_the_documented_one(void **state)
{
  (void)state;
  const char *pairs[][2] = {{ROOM, "romeo@localhost"},
                            {ROOM, "juliet@localhost"},
                            {"other@conference.localhost", "romeo@localhost"},
                            {"a@b", "c@d"}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    char want[25], got[25];
    expected_id(pairs[i][0], pairs[i][1], want);
    made_id(pairs[i][0], pairs[i][1], got);
    assert_int_equal(strlen(want), 24);
    assert_string_equal(got, want);
    for (const char *p = got; *p; p++) /* base64url: fine in an attribute */
      assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                             "vwxyz0123456789-_",
                             *p));
  }
}

static void ids_differ_by_user_and_room(void **state)
{
  (void)state;
  char a[25], b[25], c[25], d[25], e[25];
  made_id(ROOM, "romeo@localhost", a);
  made_id(ROOM, "juliet@localhost", b);
  made_id("other@conference.localhost", "romeo@localhost", c);
  /* the NUL between the JIDs: moving a character across gives another id */
  made_id("a@b", "c@d", d);
  made_id("a@bc", "@d", e);
  assert_string_not_equal(a, b);
  assert_string_not_equal(a, c);
  assert_string_not_equal(d, e);
  made_id(ROOM, "romeo@localhost", e);
  assert_string_equal(a, e);
}

static void secret_rules(void **state)
{
  (void)state;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_occupant_key *k = (muc_occupant_key *)&m;
  assert_int_equal(muc_occupant_key_new(&m, (const uint8_t *)secret, 15, &k),
                   MUC_ERR_INVALID_ARG);
  assert_null(k);
  fakehost h;
  muc_config c = ids_config();
  c.occupant_id_secret_len = 15;
  assert_int_equal(fakehost_init(&h, "conference.localhost", &c, 0),
                   MUC_ERR_INVALID_ARG);
  assert_null(h.svc);
  fakehost_free(&h);
}

/* The id |h| sent in the first stanza holding every needle. */
static void sent_id(const fakehost *h, const char *n1, const char *n2,
                    char out[25])
{
  const char *s = fakehost_find(h, n1, n2, "<occupant-id", NULL);
  if (!s) {
    fprintf(stderr, "not found: %s %s\n", n1, n2);
    fakehost_dump(h);
  }
  assert_non_null(s);
  const char *at = strstr(s, "<occupant-id xmlns=\"" OID_NS "\" id=\"");
  assert_non_null(at);
  at += strlen("<occupant-id xmlns=\"" OID_NS "\" id=\"");
  memcpy(out, at, 24);
  out[24] = 0;
  assert_int_equal(at[24], '"');
}

static void make_room(fakehost *h)
{
  assert_int_equal(fakehost_join(h, "romeo@localhost/r", ROOM, "Romeo", ""),
                   MUC_OK);
  assert_int_equal(fakehost_configure(h, "romeo@localhost/r", ROOM, ""),
                   MUC_OK);
}

/* Through a service: the same id across a nick change, a second session
 * and a rejoin; the secret buffer may change after creation. */
static void service_ids_are_stable(void **state)
{
  (void)state;
  fakehost h;
  char buf[sizeof(secret)];
  memcpy(buf, secret, sizeof buf);
  muc_config c = ids_config();
  c.occupant_id_secret = (const uint8_t *)buf;
  assert_int_equal(fakehost_init(&h, "conference.localhost", &c, 0), MUC_OK);
  memset(buf, 'x', sizeof buf); /* read once, at creation */
  make_room(&h);
  char want[25], got[25];
  expected_id(ROOM, "romeo@localhost", want);
  sent_id(&h, "from=\"" ROOM "/Romeo\"", "status code=\"110\"", got);
  assert_string_equal(got, want);
  fakehost_clear(&h);
  assert_int_equal(fakehost_xml(&h,
                                "<presence from='romeo@localhost/r' to='" ROOM
                                "/Montague'/>"),
                   MUC_OK);
  sent_id(&h, "from=\"" ROOM "/Montague\"", "status code=\"110\"", got);
  assert_string_equal(got, want);
  sent_id(&h, "from=\"" ROOM "/Romeo\"", "status code=\"303\"", got);
  assert_string_equal(got, want);
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_join(&h, "romeo@localhost/phone", ROOM, "Montague", ""), MUC_OK);
  sent_id(&h, "to=\"romeo@localhost/phone\"", "from=\"" ROOM "/Montague\"",
          got);
  assert_string_equal(got, want);
  /* Juliet keeps the room while Romeo leaves and comes back */
  assert_int_equal(fakehost_join(&h, "juliet@localhost/j", ROOM, "Juliet", ""),
                   MUC_OK);
  assert_int_equal(
      fakehost_leave(&h, "romeo@localhost/phone", ROOM, "Montague"), MUC_OK);
  assert_int_equal(fakehost_leave(&h, "romeo@localhost/r", ROOM, "Montague"),
                   MUC_OK);
  fakehost_clear(&h);
  assert_int_equal(fakehost_join(&h, "romeo@localhost/r", ROOM, "Back", ""),
                   MUC_OK);
  sent_id(&h, "to=\"juliet@localhost/j\"", "from=\"" ROOM "/Back\"", got);
  assert_string_equal(got, want);
  char jul[25];
  expected_id(ROOM, "juliet@localhost", jul);
  sent_id(&h, "to=\"romeo@localhost/r\"", "from=\"" ROOM "/Juliet\"", got);
  assert_string_equal(got, jul);
  fakehost_free(&h);
}

typedef struct archived {
  char stable[64];
  char *xml;
  size_t calls;
} archived;

static int on_archived(const muc_hook_archived *a, void *ud)
{
  archived *r = ud;
  snprintf(r->stable, sizeof r->stable, "%s", a->stable_id);
  free(r->xml);
  r->xml = strndup(a->xml, a->len);
  r->calls++;
  return 0;
}

/* One stanza id: on every copy, in the history, in message_archived. */
static void stanza_id_is_the_archive_id(void **state)
{
  (void)state;
  fakehost h;
  muc_config c = ids_config();
  assert_int_equal(fakehost_init(&h, "conference.localhost", &c, 0), MUC_OK);
  archived r = {{0}, NULL, 0};
  muc_hooks hooks = {0};
  hooks.message_archived = on_archived;
  assert_int_equal(muc_service_set_hooks(h.svc, MUC_HOOKS_VERSION, &hooks, &r),
                   MUC_OK);
  make_room(&h);
  assert_int_equal(fakehost_join(&h, "juliet@localhost/j", ROOM, "Juliet", ""),
                   MUC_OK);
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_xml(&h, "<message from='romeo@localhost/r' to='" ROOM
                       "' type='groupchat' id='m1'><body>Hi</body></message>"),
      MUC_OK);
  assert_int_equal(r.calls, 1);
  char want[160];
  snprintf(want, sizeof want,
           "<stanza-id xmlns=\"urn:xmpp:sid:0\" id=\"%s\" by=\"" ROOM "\"/>",
           r.stable);
  assert_non_null(strstr(r.xml, want));
  assert_int_equal(fakehost_count(&h, want), 2);         /* both occupants */
  assert_int_equal(fakehost_count(&h, "<stanza-id"), 2); /* one each */
  fakehost_clear(&h);
  assert_int_equal(fakehost_join(&h, "nurse@localhost/n", ROOM, "Nurse", ""),
                   MUC_OK);
  assert_non_null(
      fakehost_find(&h, "to=\"nurse@localhost/n\"", want, "<delay", NULL));
  /* a subject change is no archived message and gets none */
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_xml(&h, "<message from='romeo@localhost/r' to='" ROOM
                       "' type='groupchat'><subject>S</subject></message>"),
      MUC_OK);
  assert_int_equal(fakehost_count(&h, "<stanza-id"), 0);
  assert_int_equal(r.calls, 1);
  free(r.xml);
  fakehost_free(&h);
}

/* Off (the default): no ids, the output of old; a forged id by the room
 * is still taken off, one by another entity passed on. */
static void off_by_default(void **state)
{
  (void)state;
  fakehost h;
  assert_int_equal(fakehost_init(&h, "conference.localhost", NULL, 0), MUC_OK);
  make_room(&h);
  assert_int_equal(
      fakehost_xml(&h, "<message from='romeo@localhost/r' to='" ROOM
                       "' type='groupchat' id='m1'><body>Hi</body>"
                       "<stanza-id xmlns='urn:xmpp:sid:0' id='f' by='" ROOM
                       "'/><stanza-id xmlns='urn:xmpp:sid:0' id='o' "
                       "by='elsewhere'/></message>"),
      MUC_OK);
  assert_int_equal(fakehost_count(&h, "<occupant-id"), 0);
  assert_int_equal(fakehost_count(&h, "id=\"f\""), 0);
  assert_int_equal(fakehost_count(&h, "id=\"o\" by=\"elsewhere\""), 1);
  fakehost_free(&h);
}

static int v3_sent_ids;
static int v3_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to;
  (void)ud;
  char *s = strndup(xml, len);
  v3_sent_ids += strstr(s, "occupant-id") != NULL;
  free(s);
  return 0;
}
static uint64_t v3_now(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

/* A host built against the V3 header passes a shorter struct: the V4
 * fields past its end are not read. */
static void v3_caller_gets_no_ids(void **state)
{
  (void)state;
  muc_config c = ids_config(); /* what lies past a V3 struct's end */
  muc_callbacks cb = {0};
  cb.send_bytes = v3_send;
  cb.now = v3_now;
  muc_service *svc = NULL;
  assert_int_equal(muc_service_new_versioned(&svc, "conference.localhost",
                                             MUC_CALLBACKS_VERSION, &cb,
                                             MUC_CONFIG_V3, &c, NULL, NULL),
                   MUC_OK);
  const char join[] = "<presence from='romeo@localhost/r' to='" ROOM
                      "/Romeo'><x xmlns='" MUCNS "'/></presence>";
  v3_sent_ids = 0;
  assert_int_equal(muc_service_handle_xml(svc, join, sizeof(join) - 1), MUC_OK);
  assert_int_equal(v3_sent_ids, 0);
  muc_service_free(svc);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hash_is_the_documented_one),
      cmocka_unit_test(ids_differ_by_user_and_room),
      cmocka_unit_test(secret_rules),
      cmocka_unit_test(service_ids_are_stable),
      cmocka_unit_test(stanza_id_is_the_archive_id),
      cmocka_unit_test(off_by_default),
      cmocka_unit_test(v3_caller_gets_no_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
