/* Every allocation the engine makes, made to fail in turn (nghttp2's
 * failmalloc idea): a whole scenario is run once to count allocations,
 * then again with allocation i failing, for every i.  Each run must end
 * without a crash, report MUC_ERR_NOMEM where it ran out, and leave
 * nothing allocated once the service is freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "muc/muc.h"

#include "counter.h"

static int on_send(const mxml_node_t *st, void *ud)
{
  (void)st;
  (void)ud;
  return 0;
}

static int on_send_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to;
  (void)xml;
  (void)len;
  (void)ud;
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

/* Run the script; returns how many entry points reported NOMEM. */
static size_t run(counter *c, int bytes)
{
  muc_allocator a = {c_malloc, c_realloc, c_free, c};
  muc_callbacks cb = {0};
  cb.now = on_now;
  if (bytes)
    cb.send_bytes = on_send_bytes;
  else
    cb.send = on_send;
  muc_service *svc = NULL;
  int rc = muc_service_new(&svc, "conference.localhost", &cb, NULL, &a, c);
  if (rc != MUC_OK) {
    assert_int_equal(rc, MUC_ERR_NOMEM);
    assert_null(svc);
    return 1;
  }
  size_t nomem = 0;
  for (size_t i = 0; i < NSCRIPT; i++) {
    rc = muc_service_handle_xml(svc, script[i], strlen(script[i]));
    if (rc == MUC_ERR_NOMEM)
      nomem++;
    else if (rc != MUC_OK)
      fail_msg("stanza %zu: unexpected %s", i, muc_strerror(rc));
  }
  rc = muc_service_session_ended(svc, "juliet@localhost/j");
  if (rc == MUC_ERR_NOMEM)
    nomem++;
  muc_service_free(svc);
  return nomem;
}

static void failmalloc(int bytes)
{
  counter c = {.fail_at = -1};
  assert_int_equal(run(&c, bytes), 0);
  assert_int_equal(c.live, 0);
  size_t total = (size_t)c.attempts;
  if (getenv("FAILMALLOC_ONLY")) {
    counter f = {.fail_at = atol(getenv("FAILMALLOC_ONLY"))};
    run(&f, bytes);
    return;
  }
  assert_true(total > 100);
  size_t reported = 0;
  for (size_t i = 0; i < total; i++) {
    counter f = {.fail_at = (long)i};
    size_t got = run(&f, bytes);
    reported += got > 0;
    if (!got && getenv("FAILMALLOC_VERBOSE"))
      print_message("silent failure at allocation %zu\n", i);
    if (f.live != 0)
      fail_msg("allocation %zu failing leaves %zu blocks", i, f.live);
  }
  print_message("%zu allocations, each failed in turn; %zu runs reported "
                "MUC_ERR_NOMEM\n",
                total, reported);
  /* a failed allocation is never silent */
  assert_int_equal(reported, total);
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
