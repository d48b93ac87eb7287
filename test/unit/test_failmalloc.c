/* Every allocation the engine makes, made to fail in turn (nghttp2's
 * failmalloc idea): a whole scenario is run once to count allocations and
 * record what is delivered, then again with allocation i failing, for
 * every i.  Out of memory is fatal (muc.h), so each run must
 *  - end without a crash and leave nothing allocated once freed;
 *  - either report MUC_ERR_NOMEM (and from then on every call returns
 *    it), or run exactly as without the failure (an allocation that only
 *    served a cache);
 *  - deliver a prefix of the reference deliveries, byte for byte: never a
 *    wrong, truncated or error-less stanza. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "muc/muc_mxml.h"

#include "buf.h"
#include "counter.h"
#include "xml.h"

/* What one run delivered, each stanza serialized. */
typedef struct transcript {
  char **lines;
  size_t n, cap;
} transcript;

typedef struct run_state {
  counter c;
  transcript t;
} run_state;

static void record(transcript *t, const char *xml, size_t len)
{
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->lines = realloc(t->lines, t->cap * sizeof(*t->lines));
  }
  char *line = malloc(len + 1);
  memcpy(line, xml, len);
  line[len] = 0;
  t->lines[t->n++] = line;
}

static void transcript_free(transcript *t)
{
  for (size_t i = 0; i < t->n; i++)
    free(t->lines[i]);
  free(t->lines);
  memset(t, 0, sizeof(*t));
}

static int on_send_tree(const mxml_node_t *st, void *ud)
{
  run_state *rs = ud;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_buf b;
  muc_buf_init(&b, &m);
  if (muc_xml_write(&b, st) != MUC_OK)
    abort();
  record(&rs->t, b.data, b.len);
  muc_buf_free(&b);
  return 0;
}

static int on_send_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to;
  record(&((run_state *)ud)->t, xml, len);
  return 0;
}

static uint64_t on_now(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

#define R "room@conference.localhost"
#define MUCX "<x xmlns='http://jabber.org/protocol/muc'/>"
#define OWNER "<query xmlns='http://jabber.org/protocol/muc#owner'>"
#define ADMIN "<query xmlns='http://jabber.org/protocol/muc#admin'>"

static const char *const script[] = {
    "<presence from='romeo@localhost/r' to='" R "/Romeo'>" MUCX "</presence>",
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='c'>" OWNER
    "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
    "http://jabber.org/protocol/muc#roomconfig</value></field><field "
    "var='muc#roomconfig_roomname'><value>Room</value></field><field "
    "var='muc#roomconfig_persistentroom'><value>1</value></field><field "
    "var='muc#roomconfig_presencebroadcast'><value>none</value><value>"
    "participant</value><value>moderator</value></field></x></query></iq>",
    "<iq from='romeo@localhost/r' to='" R "' type='get' id='g'>" OWNER
    "</query></iq>",
    "<presence from='juliet@localhost/j' to='" R "/Juliet'>" MUCX
    "<show>away</show></presence>",
    "<presence from='juliet@localhost/j2' to='" R "/Juliet'>" MUCX
    "</presence>",
    "<message from='juliet@localhost/j' to='" R "' type='groupchat'>"
    "<body>hi</body></message>",
    "<message from='romeo@localhost/r' to='" R "' type='groupchat'>"
    "<subject>topic</subject></message>",
    "<message from='romeo@localhost/r' to='" R "/Juliet' type='chat'>"
    "<body>pm</body></message>",
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='m'>" ADMIN
    "<item jid='nurse@localhost' affiliation='member' nick='Nurse'>"
    "<reason>trusted</reason></item></query></iq>",
    "<iq from='juliet@localhost/j' to='" R "' type='get' id='rg'><query "
    "xmlns='jabber:iq:register'/></iq>",
    "<presence from='nurse@localhost/n' to='" R "/Nurse'>" MUCX "</presence>",
    "<presence from='juliet@localhost/j' to='" R "/Jules'/>",
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='k'>" ADMIN
    "<item nick='Nurse' role='none'><reason>out</reason></item></query></iq>",
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='b'>" ADMIN
    "<item jid='tybalt@localhost' affiliation='outcast'/></query></iq>",
    "<iq from='romeo@localhost/r' to='" R "' type='get' id='l'>" ADMIN
    "<item affiliation='member'/></query></iq>",
    "<message from='romeo@localhost/r' to='" R "'><x "
    "xmlns='http://jabber.org/protocol/muc#user'><invite "
    "to='friar@localhost'><reason>come</reason></invite></x></message>",
    "<iq from='juliet@localhost/j' to='" R "/Romeo' type='get' id='q'><query "
    "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
    "<iq from='romeo@localhost/r' to='" R "' type='get' id='d'><query "
    "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
    "<iq from='a@localhost/a' to='conference.localhost' type='get' id='s'>"
    "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>",
    "<presence from='juliet@localhost/j2' to='" R "/Juliet' "
    "type='unavailable'/>",
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='x'>" OWNER
    "<destroy jid='other@conference.localhost'><reason>end</reason>"
    "</destroy></query></iq>",
};
#define NSCRIPT (sizeof(script) / sizeof(script[0]))

/* Run the script; returns 1 if an entry point reported NOMEM. */
static int run(run_state *rs, int bytes)
{
  muc_allocator a = {c_malloc, c_realloc, c_free, &rs->c};
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_send_bytes;
  muc_service *svc = NULL;
  int rc =
      bytes ? muc_service_new(&svc, "conference.localhost", &cb, NULL, &a, rs)
            : muc_service_new_tree(&svc, "conference.localhost", on_send_tree,
                                   &cb, NULL, &a, rs);
  if (rc != MUC_OK) {
    assert_int_equal(rc, MUC_ERR_NOMEM);
    assert_null(svc);
    return 1;
  }
  int nomem = 0;
  for (size_t i = 0; i <= NSCRIPT; i++) {
    rc = i < NSCRIPT ? muc_service_handle_xml(svc, script[i], strlen(script[i]))
                     : muc_service_session_ended(svc, "juliet@localhost/j");
    if (nomem) {
      /* fatal: the service answers nothing more */
      assert_int_equal(rc, MUC_ERR_NOMEM);
      continue;
    }
    if (rc == MUC_ERR_NOMEM)
      nomem = 1;
    else if (rc != MUC_OK)
      fail_msg("call %zu: unexpected %s", i, muc_strerror(rc));
  }
  assert_int_equal(muc_service_free(svc), MUC_OK);
  return nomem;
}

static void check_prefix(const transcript *ref, const transcript *got,
                         size_t at, int nomem)
{
  if (got->n > ref->n || (!nomem && got->n != ref->n))
    fail_msg("allocation %zu failing: %zu deliveries, reference %zu", at,
             got->n, ref->n);
  for (size_t i = 0; i < got->n; i++)
    if (strcmp(ref->lines[i], got->lines[i]) != 0)
      fail_msg("allocation %zu failing: delivery %zu differs\n got: %s\n "
               "ref: %s",
               at, i, got->lines[i], ref->lines[i]);
}

static void failmalloc(int bytes)
{
  run_state ref = {.c = {.fail_at = -1}};
  assert_int_equal(run(&ref, bytes), 0);
  assert_int_equal(ref.c.live, 0);
  size_t total = (size_t)ref.c.attempts;
  assert_true(total > 100);
  assert_true(ref.t.n > 50);
  size_t reported = 0, harmless = 0;
  for (size_t i = getenv("FAILMALLOC_FROM")
                      ? (size_t)atol(getenv("FAILMALLOC_FROM"))
                      : 0;
       i < total; i++) {
    run_state f = {.c = {.fail_at = (long)i}};
    int got = run(&f, bytes);
    reported += got;
    harmless += !got;
    if (f.c.live != 0)
      fail_msg("allocation %zu failing leaves %zu blocks", i, f.c.live);
    check_prefix(&ref.t, &f.t, i, got);
    transcript_free(&f.t);
  }
  print_message("%zu allocations, each failed in turn: %zu reported "
                "MUC_ERR_NOMEM, %zu changed nothing (cache entries)\n",
                total, reported, harmless);
  transcript_free(&ref.t);
}

static void test_failmalloc_tree(void **state)
{
  (void)state;
  failmalloc(0);
}

static void test_failmalloc_bytes(void **state)
{
  (void)state;
  failmalloc(1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_failmalloc_tree),
      cmocka_unit_test(test_failmalloc_bytes),
  };
  return cmocka_run_group_tests_name("failmalloc", tests, NULL, NULL);
}
