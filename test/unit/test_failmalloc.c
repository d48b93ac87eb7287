/* Every allocation the engine makes, made to fail in turn (nghttp2's
 * failmalloc idea): a whole scenario is run once to count allocations and
 * record what is delivered, then again with allocation i failing, for
 * every i.  Out of memory is fatal (muc.h), so each run must
 *  - end without a crash and leave nothing allocated once freed;
 *  - either report MUC_ERR_NOMEM (and from then on every call returns
 *    it), or run exactly as without the failure (an allocation that only
 *    served a cache);
 *  - deliver a prefix of the reference deliveries, byte for byte: never a
 *    wrong, truncated or error-less stanza.
 * Each run is made on the tree and the bytes entry, and once more with
 * every extension hook set (rewriting filters, host form fields).
 * Built twice: failing the host allocator's allocations (test_failmalloc),
 * and, with FAILMALLOC_WRAP, failing every allocation the library causes,
 * Mini-XML's included, through the --wrap harness of wrapmalloc.h
 * (test_failmalloc_all).  The test's own bookkeeping then allocates with
 * the real functions, so that only the library's attempts are counted. */
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
#include "mem_archive.h"
#include "xml.h"

#ifdef FAILMALLOC_WRAP
#include "wrapmalloc.h"
void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
#define t_malloc __real_malloc
#define t_realloc __real_realloc
#define t_free __real_free
#else
#define t_malloc malloc
#define t_realloc realloc
#define t_free free
#endif

static void *own_malloc(size_t n, void *ud)
{
  (void)ud;
  return t_malloc(n);
}

static void *own_realloc(void *p, size_t n, void *ud)
{
  (void)ud;
  return t_realloc(p, n);
}

static void own_free(void *p, void *ud)
{
  (void)ud;
  t_free(p);
}

/* What one run delivered, each stanza serialized. */
typedef struct transcript {
  char **lines;
  size_t n, cap;
} transcript;

typedef struct run_state {
  counter c;
  muc_allocator a;
  transcript t;
} run_state;

static void record(transcript *t, const char *xml, size_t len)
{
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->lines = t_realloc(t->lines, t->cap * sizeof(*t->lines));
  }
  char *line = t_malloc(len + 1);
  memcpy(line, xml, len);
  line[len] = 0;
  t->lines[t->n++] = line;
}

static void transcript_free(transcript *t)
{
  for (size_t i = 0; i < t->n; i++)
    t_free(t->lines[i]);
  t_free(t->lines);
  memset(t, 0, sizeof(*t));
}

static int on_send_tree(const mxml_node_t *st, void *ud)
{
  run_state *rs = ud;
  muc_allocator own = {own_malloc, own_realloc, own_free, NULL};
  muc_mem m;
  muc_mem_init(&m, &own);
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

static int on_admin(const char *bare, void *ud)
{
  (void)ud;
  return strcmp(bare, "admin@localhost") == 0;
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
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='mod'>" OWNER
    "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
    "http://jabber.org/protocol/muc#roomconfig</value></field><field "
    "var='muc#roomconfig_moderatedroom'><value>1</value></field></x>"
    "</query></iq>",
    "<presence from='visitor@localhost/v' to='" R "/Visitor'>" MUCX
    "</presence>",
    "<message from='visitor@localhost/v' to='" R "'><x xmlns='jabber:x:data' "
    "type='submit'><field var='FORM_TYPE'><value>"
    "http://jabber.org/protocol/muc#request</value></field><field "
    "var='muc#role'><value>participant</value></field></x></message>",
    "<iq from='admin@localhost/a' to='conference.localhost' type='set' "
    "id='cmd'><command xmlns='http://jabber.org/protocol/commands' "
    "node='http://prosody.im/protocol/muc#destroy' action='execute'/></iq>",
    "<message from='juliet@localhost/j' to='" R "/Nobody' type='chat'>"
    "<body>lost</body></message>",
    "<presence from='juliet@localhost/j' to='" R "/Jules'><status>bye"
    "</status><show>xa</show></presence>",
    "<presence from='juliet@localhost/j2' to='" R "/Juliet' "
    "type='unavailable'/>",
    "<iq from='romeo@localhost/r' to='" R "' type='set' id='x'>" OWNER
    "<destroy jid='other@conference.localhost'><reason>end</reason>"
    "</destroy></query></iq>",
};
#define NSCRIPT (sizeof(script) / sizeof(script[0]))

/* With |with_archive|, the room archives (the tests' in-memory archive)
 * and these run after Juliet's first message (script[5]): a MAM query, a
 * moderation, an author's retraction, and some that name nothing. */
#define MAMQ "<query xmlns='urn:xmpp:mam:2'>"
#define MODERATE(id)                                                           \
  "<iq from='romeo@localhost/r' to='" R "' type='set' id='mo'><moderate "      \
  "id='" id "' xmlns='urn:xmpp:message-moderate:1'><retract "                  \
  "xmlns='urn:xmpp:message-retract:1'/><reason>spam</reason></moderate></iq>"
#define RETRACT(id)                                                            \
  "<message from='juliet@localhost/j' to='" R "' type='groupchat'><retract "   \
  "id='" id "' xmlns='urn:xmpp:message-retract:1'/><body>gone</body>"          \
  "</message>"
static const char *const archive_script[] = {
    "<message from='juliet@localhost/j' to='" R "' type='groupchat'>"
    "<body>again</body></message>",
    "<iq from='juliet@localhost/j' to='" R "' type='set' id='q1'>" MAMQ
    "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
    "urn:xmpp:mam:2</value></field><field var='start'><value>"
    "2000-01-01T00:00:00Z</value></field><field var='with'><value>" R
    "/Juliet</value></field></x><set xmlns='http://jabber.org/protocol/rsm'>"
    "<max>5</max><before/></set><flip-page/></query></iq>",
    "<iq from='juliet@localhost/j' to='" R "' type='get' id='q2'>" MAMQ
    "</query></iq>",
    "<iq from='juliet@localhost/j' to='" R "' type='get' id='md'><metadata "
    "xmlns='urn:xmpp:mam:2'/></iq>",
    MODERATE("muc-1"),
    MODERATE("muc-2"),
    MODERATE("muc-3"),
    RETRACT("muc-1"),
    RETRACT("muc-2"),
    RETRACT("muc-3"),
    RETRACT("muc-4"),
    "<iq from='juliet@localhost/j' to='" R "' type='set' id='q3'>" MAMQ
    "</query></iq>",
};
#define NARCHIVE (sizeof(archive_script) / sizeof(archive_script[0]))
static int with_archive;

/* Step |i| of the run and the number of steps. */
static size_t nsteps(void)
{
  return NSCRIPT + (with_archive ? NARCHIVE : 0);
}

static const char *step(size_t i)
{
  if (!with_archive || i <= 5)
    return script[i];
  return i - 6 < NARCHIVE ? archive_script[i - 6] : script[i - NARCHIVE];
}

/* The allocations a run may fail, and what they leave behind. */
#ifdef FAILMALLOC_WRAP
static long live_base;

/* Fail attempt |at| (0-based; -1: none) of the coming run. */
static void arm(run_state *rs, long at)
{
  (void)rs;
  wrapmalloc_reset();
  if (at >= 0)
    wrapmalloc_fail_at(at + 1);
}

/* After a run: its attempts, and the blocks it left allocated. */
static void disarm(run_state *rs)
{
  rs->c.attempts = wrapmalloc_count();
  wrapmalloc_reclaim_mxml_leak(); /* mxml's own, see wrapmalloc.h */
  wrapmalloc_reset();
  rs->c.live = (size_t)(wrapmalloc_live() - live_base);
}

static const muc_allocator *allocator(run_state *rs)
{
  (void)rs;
  return NULL; /* libc's, which the harness wraps */
}
#else
static void arm(run_state *rs, long at)
{
  rs->c.fail_at = at;
}

static void disarm(run_state *rs)
{
  (void)rs;
}

static const muc_allocator *allocator(run_state *rs)
{
  static const muc_allocator hooks = {c_malloc, c_realloc, c_free, NULL};
  rs->a = hooks;
  rs->a.user_data = &rs->c;
  return &rs->a;
}
#endif

/* With |with_hooks|, every hook is set, the filters rewrite and the
 * forms get the host's fields: their allocations fail in turn too. */
static int with_hooks;

static int h_join(const muc_hook_join *j, muc_hook_error *e, void *ud)
{
  (void)j, (void)e, (void)ud;
  return MUC_HOOK_PASS;
}

static int h_filter(const muc_hook_message *m, muc_hook_rewrite *rw, void *ud)
{
  (void)m, (void)ud;
  rw->body = "(filtered)";
  rw->payload = "<tag xmlns='urn:example:tag'>x</tag>";
  rw->payload_len = strlen(rw->payload);
  return MUC_HOOK_MODIFY;
}

static int h_archived(const muc_hook_archived *a, void *ud)
{
  (void)a, (void)ud;
  return 0;
}

static void h_occupant(const char *room, const char *nick, const char *real,
                       int role, int aff, void *ud)
{
  (void)room, (void)nick, (void)real, (void)role, (void)aff, (void)ud;
}

static void h_left(const char *room, const char *nick, const char *real,
                   void *ud)
{
  (void)room, (void)nick, (void)real, (void)ud;
}

static int h_form(const char *room, const muc_hook_field *stored, size_t n,
                  muc_hook_form *form, void *ud)
{
  (void)room, (void)stored, (void)n, (void)ud;
  if (muc_hook_form_field(form, "x-test#tag", "text-single", "Tag") != MUC_OK ||
      muc_hook_form_value(form, "none") != MUC_OK)
    return -1;
  return 0;
}

static int h_disco(const char *room, muc_hook_form *info, void *ud)
{
  (void)room, (void)ud;
  if (muc_hook_form_feature(info, "urn:example:tag") != MUC_OK ||
      muc_hook_form_field(info, "x-test#tag", NULL, NULL) != MUC_OK)
    return -1;
  return 0;
}

static const char *const host_vars[] = {"x-test#tag", NULL};

static const muc_hooks every_hook = {
    .pre_join = h_join,
    .pre_groupchat = h_filter,
    .pre_private_message = h_filter,
    .message_archived = h_archived,
    .occupant_joined = h_occupant,
    .occupant_left = h_left,
    .config_vars = host_vars,
    .config_form = h_form,
    .disco_info = h_disco,
};

/* Run the script; returns 1 if an entry point reported NOMEM. */
static int run(run_state *rs, int bytes)
{
  const muc_allocator *a = allocator(rs);
  muc_callbacks cb = {0};
  cb.now = on_now;
  cb.send_bytes = on_send_bytes;
  cb.is_service_admin = on_admin;
  muc_service *svc = NULL;
  int rc = bytes
               ? muc_service_new(&svc, "conference.localhost", &cb, NULL, a, rs)
               : muc_service_new_tree(&svc, "conference.localhost",
                                      on_send_tree, &cb, NULL, a, rs);
  if (rc != MUC_OK) {
    assert_int_equal(rc, MUC_ERR_NOMEM);
    assert_null(svc);
    return 1;
  }
  int nomem = 0;
  if (with_hooks && (rc = muc_service_set_hooks(svc, MUC_HOOKS_VERSION,
                                                &every_hook, NULL)) != MUC_OK) {
    assert_int_equal(rc, MUC_ERR_NOMEM);
    nomem = 1;
  }
  mem_archive archive;
  mem_archive_init(&archive);
  archive.alloc = t_malloc; /* the host's own memory, never failed */
  archive.grow = t_realloc;
  archive.release = t_free;
  if (with_archive && !nomem &&
      (rc = mem_archive_install(&archive, svc)) != MUC_OK)
    fail_msg("muc_service_set_archive: %s", muc_strerror(rc));
  for (size_t i = 0, n = nsteps(); i <= n; i++) {
    rc = i < n ? muc_service_handle_xml(svc, step(i), strlen(step(i)))
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
  mem_archive_free(&archive);
  return nomem;
}

static void check_prefix(const transcript *ref, const transcript *got,
                         size_t at, int nomem)
{
  if (got->n > ref->n || (!nomem && got->n != ref->n))
    fail_msg("allocation %zu failing: %zu deliveries, reference %zu", at,
             got->n, ref->n);
  for (size_t i = 0; i < got->n; i++) {
    if (strcmp(ref->lines[i], got->lines[i]) == 0)
      continue;
    /* cmocka cuts long messages: the stanzas go to stderr whole */
    fprintf(stderr, "got: %s\nref: %s\n", got->lines[i], ref->lines[i]);
    fail_msg("allocation %zu failing: delivery %zu differs", at, i);
  }
}

/* One run with allocation |at| failing (-1: none). */
static int run_failing(run_state *rs, int bytes, long at)
{
  arm(rs, at);
  int got = run(rs, bytes);
  disarm(rs);
  return got;
}

/* Each of the |n| fragments is in some delivery of |t|. */
static void assert_delivered(const transcript *t, const char *const *frags,
                             size_t n)
{
  for (size_t k = 0; k < n; k++) {
    size_t i = 0;
    while (i < t->n && !strstr(t->lines[i], frags[k]))
      i++;
    if (i == t->n)
      fail_msg("the script never delivers %s", frags[k]);
  }
}

static void failmalloc(int bytes)
{
#ifdef FAILMALLOC_WRAP
  live_base = wrapmalloc_live();
#endif
  run_state ref = {.c = {.fail_at = -1}};
  assert_int_equal(run_failing(&ref, bytes, -1), 0);
  assert_int_equal(ref.c.live, 0);
  size_t total = (size_t)ref.c.attempts;
  assert_true(total > 100);
  assert_true(ref.t.n > 50);
  /* the script reaches the builders it is meant to exercise */
  static const char *const reached[] = {"muc#request", "Destroy rooms",
                                        "muc#roomconfig_moderatedroom",
                                        "<item-not-found", "code=\"303\""};
  assert_delivered(&ref.t, reached, sizeof(reached) / sizeof(reached[0]));
  /* with hooks, their rewrites and fields are delivered */
  static const char *const hooked[] = {"<body>(filtered)</body><tag",
                                       "<feature var=\"urn:example:tag\"/>",
                                       "<field var=\"x-test#tag\""};
  if (with_hooks)
    assert_delivered(&ref.t, hooked, sizeof(hooked) / sizeof(hooked[0]));
  /* with the archive: results, a moderation, a tombstone */
  static const char *const archived[] = {
      "<result xmlns=\"urn:xmpp:mam:2\"",
      "<moderated xmlns=", "<retracted xmlns=", "<field var=\"before-id\""};
  if (with_archive)
    assert_delivered(&ref.t, archived, sizeof(archived) / sizeof(archived[0]));
  size_t reported = 0, harmless = 0;
  for (size_t i = getenv("FAILMALLOC_FROM")
                      ? (size_t)atol(getenv("FAILMALLOC_FROM"))
                      : 0;
       i < total; i++) {
    run_state f = {.c = {.fail_at = -1}};
    int got = run_failing(&f, bytes, (long)i);
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

static void test_failmalloc_hooks(void **state)
{
  (void)state;
  with_hooks = 1;
  failmalloc(1);
  with_hooks = 0;
}

static void test_failmalloc_archive(void **state)
{
  (void)state;
  with_archive = 1;
  failmalloc(1);
  with_archive = 0;
}

#ifdef FAILMALLOC_WRAP
static void quiet(const char *msg)
{
  (void)msg;
}
#endif

int main(void)
{
#ifdef FAILMALLOC_WRAP
  /* mxml allocates its per-thread settings on first use and keeps them
   * until the thread ends; setting the error callback does that now,
   * before any baseline, and keeps its out-of-memory messages quiet. */
  mxmlSetErrorCallback(quiet);
#endif
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_failmalloc_tree),
      cmocka_unit_test(test_failmalloc_bytes),
      cmocka_unit_test(test_failmalloc_hooks),
      cmocka_unit_test(test_failmalloc_archive),
  };
  return cmocka_run_group_tests_name("failmalloc", tests, NULL, NULL);
}
