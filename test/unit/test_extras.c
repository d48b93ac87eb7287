/* Room avatars and hats (room_extras.h, avatar.h, vcard.c,
 * hats_command.c): the avatar hash of XEP-0153 on known images, who may
 * set a vCard and run the hats commands, the limits and the hue rule. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "avatar.h"
#include "limits_fixture.h"
#include "room_extras.h"
#include "snap_fixture.h"

#define JULIET "juliet@localhost/j"
#define ADMIN "admin@localhost/a"
/* XEP-0486 §3.1 and §4: two images and the hashes the XEP gives them */
#define SVG                                                                    \
  "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIzMiIgaGVp"   \
  "Z2h0PSIzMiI+CiA8cmVjdCB4PSIwIiB5PSIwIiB3aWR0aD0iMzIiIGhlaWdodD0iMzIiIGZp"   \
  "bGw9InJlZCIvPgo8L3N2Zz4K"
#define SVG_HASH "a31c4bd04de69663cfd7f424a8453f4674da37ff"
#define PNG                                                                    \
  "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgAQMAAABJtOi3AAAAB3RJTUUH4ggVERoVAPsrMgAA"   \
  "AAlwSFlzAAALEgAACxIB0t1+/AAAABl0RVh0U29mdHdhcmUAd3d3Lmlua3NjYXBlLm9yZ5vu"   \
  "PBoAAAAEZ0FNQQAAsY8L/GEFAAAAIGNIUk0AAHomAACAhAAA+gAAAIDoAAB1MAAA6mAAADqY"   \
  "AAAXcJy6UTwAAAAGUExURf8AAP///0EdNBEAAAABYktHRAH/Ai3eAAAADElEQVQI12NgGNwA"   \
  "AACgAAFhJX1HAAAAAElFTkSuQmCC"
#define PNG_HASH "b9b256f999ded52c2fa14fb007c2e5b979450cbb"
#define PHOTO(type, b64)                                                       \
  "<PHOTO><TYPE>" type "</TYPE><BINVAL>" b64 "</BINVAL></PHOTO>"
#define VCARD(body) "<vCard xmlns='vcard-temp'>" body "</vCard>"

/* The hashes muc_avatar_hashes gives |vcard| ("" for none), or NULL when
 * it refuses it. */
static char *hashes_of(const char *vcard)
{
  muc_mem m;
  muc_mem_init(&m, NULL);
  mxml_node_t *tree = NULL;
  muc_xml_limits lim = {0, 0, 0, 0};
  assert_int_equal(muc_xml_parse(&m, vcard, strlen(vcard), &lim, &tree),
                   MUC_OK);
  muc_buf b;
  muc_buf_init(&b, &m);
  muc_buf_append(&b, "", 0);
  int rc = muc_avatar_hashes(tree, &b);
  char *out = rc == MUC_OK ? strdup(b.data) : NULL;
  muc_buf_free(&b);
  mxmlDelete(tree);
  return out;
}

static void assert_hashes(const char *vcard, const char *want)
{
  char *got = hashes_of(vcard);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_hash_of_known_images(void **state)
{
  (void)state;
  assert_hashes(VCARD(PHOTO("image/svg+xml", SVG)), SVG_HASH);
  assert_hashes(VCARD(PHOTO("image/png", PNG)), PNG_HASH);
  /* several photos: one hash each, in order (XEP-0486 §4) */
  assert_hashes(VCARD(PHOTO("image/svg+xml", SVG) PHOTO("image/png", PNG)),
                SVG_HASH " " PNG_HASH);
  /* no photo, or a photo by URL only: no hash */
  assert_hashes(VCARD("<FN>Room</FN>"), "");
  assert_hashes(VCARD("<PHOTO><EXTVAL>http://x/y.png</EXTVAL></PHOTO>"), "");
}

static void test_hash_ignores_line_breaks(void **state)
{
  (void)state;
  /* vCards wrap BINVAL (RFC 2426 §2.6): the same image, the same hash */
  char wrapped[1024] = "";
  const char *svg = SVG;
  strcat(wrapped, "<vCard xmlns='vcard-temp'><PHOTO><BINVAL>\n");
  for (size_t i = 0, n = strlen(svg); i < n; i += 60) {
    size_t at = strlen(wrapped), piece = n - i < 60 ? n - i : 60;
    memcpy(wrapped + at, svg + i, piece);
    strcpy(wrapped + at + piece, "\n  ");
  }
  strcat(wrapped, "</BINVAL></PHOTO></vCard>");
  assert_hashes(wrapped, SVG_HASH);
}

static void test_hash_refuses_what_is_not_base64(void **state)
{
  (void)state;
  assert_null(hashes_of(VCARD(PHOTO("image/png", "ab*d"))));
  /* cut short: not a whole number of base64 quanta */
  assert_null(hashes_of(VCARD(PHOTO("image/png", "iVBORw0KGgoA="))));
}

static void set_vcard(fakehost *h, const char *from, const char *vcard)
{
  fakehost_clear(h);
  assert_int_equal(
      fakehost_xml(h, "<iq from='%s' to='" ROOM "' id='v' type='set'>%s</iq>",
                   from, vcard),
      MUC_OK);
}

static void test_owner_sets_avatar_disco_shows_hashes(void **state)
{
  fakehost *h = *state;
  h->svc->cfg.max_vcard_bytes = 4096; /* small() has 256 */
  make_room(h);
  set_vcard(h, ROMEO,
            VCARD(PHOTO("image/svg+xml", SVG) PHOTO("image/png", PNG)));
  /* the result, then 104 to Romeo and Juliet */
  assert_true(fakehost_find(h, "type=\"result\"", "id=\"v\"", NULL) != NULL);
  assert_int_equal(fakehost_count(h, "<status code=\"104\"/>"), 2);
  assert_string_equal(muc_extras_avatar(room_of(h)), SVG_HASH " " PNG_HASH);
  char *d = disco(h);
  assert_non_null(strstr(d, "<feature var=\"vcard-temp\"/>"));
  assert_non_null(strstr(d, "var=\"muc#roominfo_avatarhash\""));
  assert_non_null(
      strstr(d, "<value>" SVG_HASH "</value><value>" PNG_HASH "</value>"));
  free(d);
  /* the same vCard again changes nothing: no 104 */
  set_vcard(h, ROMEO,
            VCARD(PHOTO("image/svg+xml", SVG) PHOTO("image/png", PNG)));
  assert_int_equal(fakehost_count(h, "<status code=\"104\"/>"), 0);
  /* a vCard without photo: no hash, no avatarhash field */
  set_vcard(h, ROMEO, VCARD("<FN>Plain</FN>"));
  assert_null(muc_extras_avatar(room_of(h)));
  d = disco(h);
  assert_null(strstr(d, "avatarhash"));
  assert_non_null(strstr(d, "<feature var=\"vcard-temp\"/>"));
  free(d);
}

static void test_who_sets_the_vcard(void **state)
{
  fakehost *h = *state;
  make_room(h);
  /* an admin of the room is no owner */
  admin(h, "<item affiliation='admin' jid='juliet@localhost'/>");
  set_vcard(h, JULIET, VCARD("<FN>Juliet's</FN>"));
  expect_error(h, "forbidden", "auth", ROOM);
  assert_null(muc_extras_vcard(room_of(h)));
  /* the service's administrators own every room */
  set_vcard(h, ADMIN, VCARD("<FN>Admin's</FN>"));
  assert_true(fakehost_find(h, "type=\"result\"", NULL) != NULL);
  assert_non_null(strstr(muc_extras_vcard(room_of(h)), "Admin's"));
}

#define CMD(node, fields)                                                      \
  "<command xmlns='http://jabber.org/protocol/commands' node='"                \
  "urn:xmpp:hats:commands:" node "'><x xmlns='jabber:x:data' type='submit'>"   \
  "<field "                                                                    \
  "var='FORM_TYPE'><value>urn:xmpp:hats:commands</value></field>" fields       \
  "</x></command>"
#define F(var, value) "<field var='" var "'><value>" value "</value></field>"

static void command(fakehost *h, const char *from, const char *payload)
{
  fakehost_clear(h);
  assert_int_equal(
      fakehost_xml(h, "<iq from='%s' to='" ROOM "' id='h' type='set'>%s</iq>",
                   from, payload),
      MUC_OK);
}

static void test_admins_run_hats_commands(void **state)
{
  fakehost *h = *state;
  make_room(h);
  admin(h, "<item affiliation='admin' jid='juliet@localhost'/>");
  command(h, JULIET,
          CMD("create", F("hats#uri", "urn:x:a") F("hats#title", "A")));
  assert_true(fakehost_find(h, "status=\"completed\"", NULL) != NULL);
  assert_non_null(muc_extras_hat(room_of(h), "urn:x:a"));
  /* a member is not enough */
  admin(h, "<item affiliation='member' jid='juliet@localhost'/>");
  command(h, JULIET, CMD("destroy", F("hats#uri", "urn:x:a")));
  expect_error(h, "forbidden", "auth", ROOM);
  assert_non_null(muc_extras_hat(room_of(h), "urn:x:a"));
}

static void test_hue_is_an_angle(void **state)
{
  fakehost *h = *state;
  make_room(h);
  static const char *const bad[] = {"360", "-1", "1e2", "12a", " 5", "."};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char payload[512];
    snprintf(payload, sizeof(payload),
             CMD("create", F("hats#uri", "urn:x:h")
                               F("hats#title",
                                 "H") "<field var='hats#hue'><value>%s</value>"
                                      "</field>"),
             bad[i]);
    command(h, ROMEO, payload);
    expect_error(h, "bad-request", "modify", ROOM);
  }
  command(h, ROMEO,
          CMD("create", F("hats#uri", "urn:x:h") F("hats#title", "H")
                            F("hats#hue", "0")));
  assert_string_equal(muc_extras_hat(room_of(h), "urn:x:h")->hue, "0");
}

static void test_hats_per_user_limit(void **state)
{
  fakehost *h = *state;
  make_room(h);
  command(h, ROMEO,
          CMD("create", F("hats#uri", "urn:x:a") F("hats#title", "A")));
  command(h, ROMEO,
          CMD("create", F("hats#uri", "urn:x:b") F("hats#title", "B")));
  command(h, ROMEO,
          CMD("assign",
              F("hats#jid", "juliet@localhost") F("hats#uri", "urn:x:a")));
  /* Juliet's presence went out again to both, with her hat */
  assert_int_equal(fakehost_count(h, "<hat uri=\"urn:x:a\" title=\"A\"/>"), 2);
  /* small(): one hat per user */
  command(h, ROMEO,
          CMD("assign",
              F("hats#jid", "juliet@localhost") F("hats#uri", "urn:x:b")));
  expect_error(h, "resource-constraint", "wait", ROOM);
  /* assigning what she wears already is no change */
  command(h, ROMEO,
          CMD("assign",
              F("hats#jid", "juliet@localhost") F("hats#uri", "urn:x:a")));
  assert_int_equal(fakehost_count(h, "<presence"), 0);
  assert_int_equal(muc_extras_worn_by(room_of(h), "juliet@localhost"), 1);
  /* a JID that is no JID */
  command(h, ROMEO,
          CMD("assign", F("hats#jid", "@nowhere") F("hats#uri", "urn:x:a")));
  expect_error(h, "bad-request", "modify", ROOM);
}

static void test_admin_api(void **state)
{
  fakehost *h = *state;
  muc_service *svc = h->svc;
  make_room(h);
  const char *v = NULL;
  assert_int_equal(muc_service_get_room_vcard(svc, ROOM, &v), MUC_OK);
  assert_null(v);
  assert_int_equal(muc_service_set_room_vcard(svc, ROOM, "<vCard/>"),
                   MUC_ERR_INVALID_ARG); /* not vcard-temp */
  assert_int_equal(muc_service_set_room_vcard(svc, ROOM, "<x"),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_set_room_vcard(svc, ROOM, VCARD(PHOTO("image/png", "#"))),
      MUC_ERR_INVALID_ARG);
  assert_int_equal(
      muc_service_set_room_vcard(svc, ROOM, VCARD(PHOTO("image/png", PNG))),
      MUC_ERR_LIMIT); /* small(): 256 bytes */
  fakehost_clear(h);
  assert_int_equal(
      muc_service_set_room_vcard(svc, ROOM, VCARD("<FN>By the host</FN>")),
      MUC_OK);
  assert_int_equal(fakehost_count(h, "<status code=\"104\"/>"), 2);
  assert_int_equal(muc_service_get_room_vcard(svc, ROOM, &v), MUC_OK);
  assert_non_null(strstr(v, "By the host"));
  assert_int_equal(muc_service_set_room_vcard(svc, ROOM, NULL), MUC_OK);
  assert_int_equal(muc_service_get_room_vcard(svc, ROOM, &v), MUC_OK);
  assert_null(v);

  assert_int_equal(muc_service_define_room_hat(svc, ROOM, "", "T", NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_define_room_hat(svc, ROOM, "urn:x:a", "A", "9"),
                   MUC_OK);
  assert_int_equal(muc_service_define_room_hat(svc, ROOM, "urn:x:b", "B", NULL),
                   MUC_OK);
  assert_int_equal(muc_service_define_room_hat(svc, ROOM, "urn:x:c", "C", NULL),
                   MUC_ERR_LIMIT);
  assert_int_equal(muc_service_set_room_hat_worn(
                       svc, ROOM, "juliet@localhost/x", "urn:x:none", 1),
                   MUC_ERR_NOT_FOUND);
  fakehost_clear(h);
  assert_int_equal(muc_service_set_room_hat_worn(
                       svc, ROOM, "juliet@localhost/x", "urn:x:a", 1),
                   MUC_OK);
  assert_int_equal(fakehost_count(h, "<hat uri=\"urn:x:a\" title=\"A\" "
                                     "hue=\"9\"/>"),
                   2);
  muc_room_hat rows[4];
  size_t n = 0;
  assert_int_equal(muc_service_get_room_hats(svc, ROOM, NULL, rows, 4, &n),
                   MUC_OK);
  assert_int_equal(n, 2);
  assert_null(rows[0].jid);
  assert_string_equal(rows[1].uri, "urn:x:b");
  assert_int_equal(
      muc_service_get_room_hats(svc, ROOM, "juliet@localhost", rows, 4, &n),
      MUC_OK);
  assert_int_equal(n, 1);
  assert_string_equal(rows[0].jid, "juliet@localhost");
  assert_string_equal(rows[0].hue, "9");
  /* destroying the hat takes it off Juliet */
  assert_int_equal(muc_service_destroy_room_hat(svc, ROOM, "urn:x:a"), MUC_OK);
  assert_int_equal(muc_service_destroy_room_hat(svc, ROOM, "urn:x:a"),
                   MUC_ERR_NOT_FOUND);
  assert_int_equal(
      muc_service_get_room_hats(svc, ROOM, "juliet@localhost", rows, 4, &n),
      MUC_OK);
  assert_int_equal(n, 0);
}

static void test_hats_kept_by_jid_in_order_of_assignment(void **state)
{
  fakehost *h = *state;
  muc_service *svc = h->svc;
  svc->cfg.max_hats_per_user = 4;
  make_room(h);
  assert_int_equal(muc_service_define_room_hat(svc, ROOM, "urn:x:a", "A", NULL),
                   MUC_OK);
  assert_int_equal(muc_service_define_room_hat(svc, ROOM, "urn:x:b", "B", NULL),
                   MUC_OK);
  static const char *const steps[][2] = {{"zed@localhost", "urn:x:a"},
                                         {"yan@localhost", "urn:x:b"},
                                         {"zed@localhost", "urn:x:b"},
                                         {"yan@localhost", "urn:x:a"},
                                         {"abe@localhost", "urn:x:b"}};
  for (size_t i = 0; i < 5; i++)
    assert_int_equal(
        muc_service_set_room_hat_worn(svc, ROOM, steps[i][0], steps[i][1], 1),
        MUC_OK);
  const muc_room_extras *x = muc_extras(room_of(h));
  static const char *const want[][2] = {{"abe@localhost", "urn:x:b"},
                                        {"yan@localhost", "urn:x:b"},
                                        {"yan@localhost", "urn:x:a"},
                                        {"zed@localhost", "urn:x:a"},
                                        {"zed@localhost", "urn:x:b"}};
  assert_int_equal(x->nworn, 5);
  for (size_t i = 0; i < 5; i++) {
    assert_string_equal(x->worn[i].jid, want[i][0]);
    assert_string_equal(x->worn[i].uri, want[i][1]);
  }
  assert_int_equal(muc_extras_worn_by(room_of(h), "yan@localhost"), 2);
  assert_int_equal(muc_extras_worn_by(room_of(h), "bob@localhost"), 0);
  assert_true(muc_extras_wears(room_of(h), "zed@localhost", "urn:x:b"));
  /* taking one off keeps the others in order */
  assert_int_equal(
      muc_service_set_room_hat_worn(svc, ROOM, "yan@localhost", "urn:x:b", 0),
      MUC_OK);
  assert_int_equal(x->nworn, 4);
  assert_string_equal(x->worn[1].uri, "urn:x:a");
  assert_string_equal(x->worn[2].jid, "zed@localhost");
}

/* A record of the room "kept" with |body| after its configuration, loaded
 * for Romeo's join: the load's code. */
static int load_record(fakehost *h, const char *body)
{
  char rec[2048];
  snprintf(rec, sizeof(rec),
           "<room xmlns='urn:libmuc:room:1' jid='kept@" DOMAIN "'>"
           "<config persistent='1'/>"
           "<affiliation jid='romeo@localhost' affiliation='owner'/>%s</room>",
           body);
  h->async_load = 1;
  fakehost_clear(h);
  assert_int_equal(fakehost_xml(h, "<presence from='" ROMEO "' to='kept@" DOMAIN
                                   "/Romeo'>" MUCX "</presence>"),
                   MUC_OK);
  return muc_service_room_loaded(h->svc, "kept@" DOMAIN, rec, strlen(rec));
}

#define HATDEF "<hatdef uri='urn:x:a' title='A'/>"
#define WORN "<hat jid='romeo@localhost' uri='urn:x:a'/>"

static void test_record_brings_hats_and_vcard_back(void **state)
{
  fakehost *h = *state;
  assert_int_equal(
      load_record(h, "<vcard>&lt;vCard xmlns=\"vcard-temp\"&gt;&lt;PHOTO&gt;"
                     "&lt;BINVAL&gt;" SVG "&lt;/BINVAL&gt;&lt;/PHOTO&gt;"
                     "&lt;/vCard&gt;</vcard>" HATDEF WORN),
      MUC_OK);
  /* Romeo's own presence carries the hat the record says he wears */
  assert_non_null(fakehost_find(h, "<hat uri=\"urn:x:a\" title=\"A\"/>",
                                "<status code=\"110\"/>", NULL));
  size_t n = 0;
  muc_room_hat rows[2];
  assert_int_equal(muc_service_get_room_hats(h->svc, "kept@" DOMAIN,
                                             "romeo@localhost", rows, 2, &n),
                   MUC_OK);
  assert_int_equal(n, 1);
  const char *v = NULL;
  assert_int_equal(muc_service_get_room_vcard(h->svc, "kept@" DOMAIN, &v),
                   MUC_OK);
  assert_non_null(v);
  /* and the stored record writes them back as read */
  h->async_load = 0;
  assert_int_equal(muc_service_define_room_hat(h->svc, "kept@" DOMAIN,
                                               "urn:x:b", "B", "120.5"),
                   MUC_OK);
  size_t len;
  const char *rec = fakehost_stored(h, "kept@" DOMAIN, &len);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "<vcard>&lt;vCard"));
  assert_non_null(strstr(rec, "<hatdef uri=\"urn:x:a\" title=\"A\"/>"
                              "<hatdef uri=\"urn:x:b\" title=\"B\" "
                              "hue=\"120.5\"/><hat jid=\"romeo@localhost\" "
                              "uri=\"urn:x:a\"/>"));
}

static void test_record_with_bad_extras_is_refused(void **state)
{
  fakehost *h = *state;
  static const char *const bad[] = {
      WORN HATDEF,               /* worn before it is defined */
      HATDEF HATDEF,             /* defined twice */
      HATDEF WORN WORN,          /* worn twice */
      "<hatdef uri='urn:x:a'/>", /* no title */
      "<hat uri='urn:x:a'/>",
      "<vcard>&lt;x/&gt;</vcard>", /* not a vCard */
      "<vcard>&lt;vCard xmlns=\"vcard-temp\"&gt;&lt;PHOTO&gt;&lt;BINVAL&gt;"
      "#&lt;/BINVAL&gt;&lt;/PHOTO&gt;&lt;/vCard&gt;</vcard>",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_not_equal(load_record(h, bad[i]), MUC_OK);
    /* Romeo is told the room could not be loaded, nothing else */
    assert_non_null(fakehost_find(h, "type=\"error\"", NULL));
    assert_null(fakehost_find(h, "<hat ", NULL));
  }
}

/* A second service of the same domain to restore into. */
static fakehost *another(void)
{
  fakehost *h = malloc(sizeof(*h));
  muc_config c = small();
  assert_non_null(h);
  assert_int_equal(fakehost_init(h, DOMAIN, &c, 0), MUC_OK);
  return h;
}

static void done_with(fakehost *h)
{
  fakehost_free(h);
  free(h);
}

static void test_snapshot_carries_extras(void **state)
{
  fakehost *h = *state;
  make_room(h);
  assert_int_equal(
      muc_service_set_room_vcard(h->svc, ROOM, VCARD(PHOTO("x", SVG))), MUC_OK);
  assert_int_equal(
      muc_service_define_room_hat(h->svc, ROOM, "urn:x:a", "A", "1"), MUC_OK);
  assert_int_equal(muc_service_set_room_hat_worn(
                       h->svc, ROOM, "juliet@localhost", "urn:x:a", 1),
                   MUC_OK);
  blob snap = {0};
  assert_int_equal(muc_service_snapshot_room(h->svc, ROOM, snap_keep, &snap),
                   MUC_OK);
  fakehost *b = another();
  assert_int_equal(muc_service_restore_room(b->svc, snap.data, snap.len),
                   MUC_OK);
  muc_room *r = muc_service_find_room(b->svc, ROOM);
  assert_non_null(r);
  assert_string_equal(muc_extras_avatar(r), SVG_HASH);
  assert_true(muc_extras_wears(r, "juliet@localhost", "urn:x:a"));
  assert_string_equal(muc_extras_hat(r, "urn:x:a")->hue, "1");
  done_with(b);
  /* the hat worn made one that is not defined: refused whole */
  char *last = NULL;
  for (char *p = snap.data;
       (p = memmem(p, snap.len - (size_t)(p - snap.data), "urn:x:a", 7)); p++)
    last = p;
  assert_non_null(last);
  last[6] = 'z';
  snap_fix_crc(&snap);
  b = another();
  assert_int_equal(muc_service_restore_room(b->svc, snap.data, snap.len),
                   MUC_ERR_STORAGE);
  assert_null(muc_service_find_room(b->svc, ROOM));
  done_with(b);
  free(snap.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hash_of_known_images),
      cmocka_unit_test(test_hash_ignores_line_breaks),
      cmocka_unit_test(test_hash_refuses_what_is_not_base64),
      T(test_owner_sets_avatar_disco_shows_hashes),
      T(test_who_sets_the_vcard),
      T(test_admins_run_hats_commands),
      T(test_hue_is_an_angle),
      T(test_hats_per_user_limit),
      T(test_admin_api),
      T(test_hats_kept_by_jid_in_order_of_assignment),
      T(test_snapshot_carries_extras),
      TS(test_record_brings_hats_and_vcard_back),
      TS(test_record_with_bad_extras_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
