#define _POSIX_C_SOURCE 200809L
/* The extension hooks (muc.h, "Extension hooks"): each fires when it
 * should with what it should, every verdict is carried out, hooks may
 * call entry points, and with none set the output is what it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../examples/hooks/hook_examples.h"
#include "fakehost.h"

#define ROOM "room@conference.localhost"
#define ROMEO "romeo@localhost/r"
#define JULIET "juliet@localhost/j"
#define OWNER_NS "http://jabber.org/protocol/muc#owner"

/* Every hook call, one line each, and what the filters answer. */
typedef struct recorder {
  fakehost *h;
  char log[8192];
  int join_verdict, gc_verdict, pm_verdict, submit_verdict;
  muc_hook_error err;
  const char *new_body, *payload;
  int archive_rc;
  int form_rc;
  /* re-entrancy: a stanza handed in from occupant_joined, once */
  const char *inject;
  int unset_in_hook;     /* occupant_left removes the hooks */
  size_t occupants_seen; /* muc_room_get_occupant_count from a hook */
} recorder;

static void note(recorder *r, const char *fmt, ...)
{
  size_t n = strlen(r->log);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->log + n, sizeof(r->log) - n, fmt, ap);
  va_end(ap);
  n = strlen(r->log);
  snprintf(r->log + n, sizeof(r->log) - n, "\n");
}

static const char *s(const char *v)
{
  return v ? v : "-";
}

static int r_pre_join(const muc_hook_join *j, muc_hook_error *e, void *ud)
{
  recorder *r = ud;
  note(r, "pre_join %s %s %s aff=%d role=%d creating=%d xml=%d", j->room_jid,
       j->nick, j->real_jid, j->affiliation, j->role, j->creating,
       j->len == strlen(j->xml) && strstr(j->xml, "<presence") != NULL);
  *e = r->err;
  return r->join_verdict;
}

static int filter(recorder *r, const char *what, const muc_hook_message *m,
                  muc_hook_rewrite *rw, int verdict)
{
  note(r, "%s %s %s %s to=%s id=%s body=%s", what, m->room_jid, m->nick,
       m->real_jid, s(m->to_nick), s(m->id), s(m->body));
  assert_int_equal(m->len, strlen(m->xml));
  assert_non_null(strstr(m->xml, "<message"));
  rw->body = r->new_body;
  rw->payload = r->payload;
  rw->payload_len = r->payload ? strlen(r->payload) : 0;
  rw->error = r->err;
  return verdict;
}

static int r_pre_gc(const muc_hook_message *m, muc_hook_rewrite *rw, void *ud)
{
  recorder *r = ud;
  return filter(r, "pre_groupchat", m, rw, r->gc_verdict);
}

static int r_pre_pm(const muc_hook_message *m, muc_hook_rewrite *rw, void *ud)
{
  recorder *r = ud;
  return filter(r, "pre_pm", m, rw, r->pm_verdict);
}

static int r_archived(const muc_hook_archived *a, void *ud)
{
  recorder *r = ud;
  note(r, "archived %s stable=%s id=%s %s %s t=%llu historic=%d %.*s",
       a->room_jid, a->stable_id, a->id, a->nick, a->real_jid,
       (unsigned long long)a->time, a->historic, (int)a->len, a->xml);
  return r->archive_rc;
}

static void r_joined(const char *room, const char *nick, const char *real,
                     int role, int aff, void *ud)
{
  recorder *r = ud;
  note(r, "joined %s %s %s role=%d aff=%d", room, nick, real, role, aff);
  r->occupants_seen =
      muc_room_get_occupant_count(muc_service_find_room(r->h->svc, room));
  if (r->inject) {
    const char *x = r->inject;
    r->inject = NULL;
    /* deferred: handled after this join is complete */
    assert_int_equal(muc_service_handle_xml(r->h->svc, x, strlen(x)), MUC_OK);
  }
}

static void r_left(const char *room, const char *nick, const char *real,
                   void *ud)
{
  recorder *r = ud;
  note(r, "left %s %s %s", room, nick, real);
  if (r->unset_in_hook)
    assert_int_equal(
        muc_service_set_hooks(r->h->svc, MUC_HOOKS_VERSION, NULL, NULL),
        MUC_OK);
}

static void r_nick(const char *room, const char *old, const char *now,
                   const char *real, void *ud)
{
  note(ud, "nick %s %s->%s %s", room, old, now, real);
}

static void r_role(const char *room, const char *nick, int old, int now,
                   const char *actor, void *ud)
{
  note(ud, "role %s %s %d->%d by %s", room, nick, old, now, s(actor));
}

static void r_aff(const char *room, const char *jid, int old, int now,
                  const char *actor, const char *reason, void *ud)
{
  note(ud, "affiliation %s %s %d->%d by %s reason=%s", room, jid, old, now,
       s(actor), s(reason));
}

static void r_created(const char *room, const char *creator, void *ud)
{
  note(ud, "created %s %s", room, creator);
}

static void r_configured(const char *room, const char *actor, void *ud)
{
  note(ud, "configured %s %s", room, s(actor));
}

static void r_destroyed(const char *room, const char *reason, const char *alt,
                        void *ud)
{
  note(ud, "destroyed %s reason=%s alt=%s", room, s(reason), s(alt));
}

static const char *const vars[] = {"x-test#tag", NULL};

static int r_form(const char *room, const muc_hook_field *st, size_t n,
                  muc_hook_form *f, void *ud)
{
  recorder *r = ud;
  note(r, "config_form %s stored=%zu", room, n);
  assert_int_equal(muc_hook_form_feature(f, "x"), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_hook_form_value(f, "v"), MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_hook_form_field(f, "muc#roomconfig_x", NULL, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_hook_form_field(f, "x-test#tag", "list-single", "Tag"),
                   MUC_OK);
  assert_int_equal(muc_hook_form_option(f, "Red", "red"), MUC_OK);
  assert_int_equal(muc_hook_form_value(f, n ? st[0].values[0] : "none"),
                   MUC_OK);
  return r->form_rc;
}

static int r_submitted(const char *room, const char *actor,
                       const muc_hook_field *f, size_t n, muc_hook_error *e,
                       void *ud)
{
  recorder *r = ud;
  note(r, "config_submitted %s %s n=%zu %s=%s", room, actor, n, f[0].var,
       f[0].nvalues ? f[0].values[0] : "");
  *e = r->err;
  return r->submit_verdict;
}

static int r_disco(const char *room, muc_hook_form *f, void *ud)
{
  recorder *r = ud;
  note(r, "disco_info %s", room);
  assert_int_equal(muc_hook_form_feature(f, "urn:example:tag"), MUC_OK);
  assert_int_equal(muc_hook_form_field(f, "x-test#tag", NULL, "Tag"), MUC_OK);
  assert_int_equal(muc_hook_form_value(f, "blue"), MUC_OK);
  return r->form_rc;
}

static const muc_hooks all_hooks = {
    r_pre_join, r_pre_gc, r_pre_pm,    r_archived, r_joined,     r_left,
    r_nick,     r_role,   r_aff,       r_created,  r_configured, r_destroyed,
    vars,       r_form,   r_submitted, r_disco};

typedef struct fixture {
  fakehost h;
  recorder r;
} fixture;

static int setup_with(void **state, int persistence)
{
  fixture *f = calloc(1, sizeof(*f));
  assert_int_equal(
      fakehost_init(&f->h, "conference.localhost", NULL, persistence), MUC_OK);
  f->r.h = &f->h;
  assert_int_equal(
      muc_service_set_hooks(f->h.svc, MUC_HOOKS_VERSION, &all_hooks, &f->r),
      MUC_OK);
  *state = f;
  return 0;
}

static int setup(void **state)
{
  return setup_with(state, 0);
}
static int setup_stored(void **state)
{
  return setup_with(state, 1);
}

static int teardown(void **state)
{
  fixture *f = *state;
  fakehost_free(&f->h);
  free(f);
  return 0;
}

static int join(fakehost *h, const char *user, const char *nick)
{
  return fakehost_join(h, user, ROOM, nick, "");
}

static int configure(fakehost *h, const char *fields)
{
  return fakehost_configure(h, ROMEO, ROOM, fields);
}

#define CONFIG_FORM_TYPE                                                       \
  "<field var='FORM_TYPE'><value>"                                             \
  "http://jabber.org/protocol/muc#roomconfig</value></field>"

/* Romeo creates the room and accepts the default configuration, Juliet
 * joins; the log and the deliveries are then cleared. */
static void two_in_room(fixture *f)
{
  assert_int_equal(join(&f->h, ROMEO, "Romeo"), MUC_OK);
  assert_int_equal(configure(&f->h, ""), MUC_OK);
  assert_int_equal(join(&f->h, JULIET, "Juliet"), MUC_OK);
  fakehost_clear(&f->h);
  f->r.log[0] = 0;
}

static void test_lifecycle(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  /* the whole story of a room, in the order it happens */
  r->log[0] = 0;
  assert_int_equal(
      fakehost_xml(&f->h, "<presence from='" JULIET "' to='" ROOM "/Jules'/>"),
      MUC_OK);
  assert_int_equal(fakehost_xml(&f->h,
                                "<iq from='" ROMEO "' to='" ROOM "' id='a1' "
                                "type='set'><query xmlns='http://jabber.org/"
                                "protocol/muc#admin'><item nick='Jules' "
                                "role='visitor'/></query></iq>"),
                   MUC_OK);
  assert_int_equal(
      fakehost_xml(&f->h, "<iq from='" ROMEO "' to='" ROOM "' id='a2' "
                          "type='set'><query xmlns='http://jabber.org/"
                          "protocol/muc#admin'><item jid='juliet@localhost' "
                          "affiliation='member'><reason>kin</reason></item>"
                          "</query></iq>"),
      MUC_OK);
  assert_int_equal(fakehost_xml(&f->h,
                                "<iq from='" ROMEO "' to='" ROOM "' id='a3' "
                                "type='set'><query xmlns='http://jabber.org/"
                                "protocol/muc#admin'><item nick='Jules' "
                                "role='none'/></query></iq>"),
                   MUC_OK);
  assert_int_equal(
      fakehost_xml(&f->h, "<iq from='" ROMEO "' to='" ROOM "' id='d1' "
                          "type='set'><query xmlns='" OWNER_NS "'><destroy "
                          "jid='new@conference.localhost'><reason>moved"
                          "</reason></destroy></query></iq>"),
      MUC_OK);
  assert_string_equal(r->log, "nick " ROOM " Juliet->Jules " JULIET "\n"
                              "role " ROOM " Jules 2->1 by " ROMEO "\n"
                              "affiliation " ROOM
                              " juliet@localhost 0->1 by " ROMEO " reason=kin\n"
                              "role " ROOM " Jules 1->2 by " ROMEO "\n"
                              "left " ROOM " Jules " JULIET "\n"
                              "left " ROOM " Romeo " ROMEO "\n"
                              "destroyed " ROOM
                              " reason=moved alt=new@conference.localhost\n");
  assert_int_equal(muc_service_get_room_count(f->h.svc), 0);
}

static void test_create_join_leave(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  assert_int_equal(join(&f->h, ROMEO, "Romeo"), MUC_OK);
  assert_int_equal(configure(&f->h, ""), MUC_OK);
  assert_int_equal(join(&f->h, JULIET, "Juliet"), MUC_OK);
  /* a second session of the same nick is asked about, not announced */
  assert_int_equal(join(&f->h, "juliet@localhost/2", "Juliet"), MUC_OK);
  assert_int_equal(fakehost_leave(&f->h, JULIET, ROOM, "Juliet"), MUC_OK);
  assert_int_equal(fakehost_leave(&f->h, "juliet@localhost/2", ROOM, "Juliet"),
                   MUC_OK);
  assert_int_equal(fakehost_leave(&f->h, ROMEO, ROOM, "Romeo"), MUC_OK);
  assert_string_equal(
      r->log,
      "pre_join " ROOM " Romeo " ROMEO " aff=3 role=3 creating=1 xml=1\n"
      "created " ROOM " romeo@localhost\n"
      "joined " ROOM " Romeo " ROMEO " role=3 aff=3\n"
      "configured " ROOM " " ROMEO "\n"
      "pre_join " ROOM " Juliet " JULIET " aff=0 role=2 creating=0 xml=1\n"
      "joined " ROOM " Juliet " JULIET " role=2 aff=0\n"
      "pre_join " ROOM " Juliet juliet@localhost/2 aff=0 role=2 creating=0 "
      "xml=1\n"
      "left " ROOM " Juliet juliet@localhost/2\n"
      "left " ROOM " Romeo " ROMEO "\n"
      "destroyed " ROOM " reason=- alt=-\n");
  /* the query from inside joined (Juliet's) saw her counted */
  assert_int_equal(r->occupants_seen, 2);
}

static void test_pre_join_deny(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  r->join_verdict = MUC_HOOK_REFUSE;
  /* a refused creator creates nothing */
  assert_int_equal(join(&f->h, ROMEO, "Romeo"), MUC_OK);
  assert_int_equal(muc_service_get_room_count(f->h.svc), 0);
  assert_non_null(fakehost_find(&f->h, "type=\"error\"", "<forbidden",
                                "type=\"auth\"", NULL));
  assert_null(strstr(r->log, "created"));
  /* the host's own condition, type and text */
  r->join_verdict = MUC_HOOK_PASS;
  two_in_room(f);
  r->join_verdict = MUC_HOOK_REFUSE;
  r->err = (muc_hook_error){"not-allowed", "wait", "Closed today"};
  assert_int_equal(join(&f->h, "tybalt@localhost/t", "Tybalt"), MUC_OK);
  assert_non_null(fakehost_find(&f->h, "to=\"tybalt@localhost/t\"",
                                "type=\"wait\"", "<not-allowed",
                                ">Closed today</text>", NULL));
  assert_int_equal(
      muc_room_get_role(muc_service_find_room(f->h.svc, ROOM), "Tybalt"),
      MUC_ROLE_NONE);
  /* not an RFC 6120 condition: internal-server-error */
  fakehost_clear(&f->h);
  r->err = (muc_hook_error){"no-such-thing", NULL, NULL};
  assert_int_equal(join(&f->h, "tybalt@localhost/t", "Tybalt"), MUC_OK);
  assert_non_null(fakehost_find(&f->h, "<internal-server-error", NULL));
  /* a failed hook: internal-server-error and the call says so */
  fakehost_clear(&f->h);
  r->err = (muc_hook_error){0};
  r->join_verdict = -1;
  assert_int_equal(join(&f->h, "tybalt@localhost/t", "Tybalt"),
                   MUC_ERR_CALLBACK_FAILURE);
  assert_non_null(fakehost_find(&f->h, "to=\"tybalt@localhost/t\"",
                                "<internal-server-error", "type=\"cancel\"",
                                NULL));
  assert_null(strstr(r->log, "joined " ROOM " Tybalt"));
}

#define GC(id, body)                                                           \
  "<message from='" ROMEO "' to='" ROOM "' type='groupchat' id='" id "'>"      \
  "<body>" body "</body></message>"

static void test_groupchat_verdicts(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  /* pass */
  assert_int_equal(fakehost_xml(&f->h, GC("m1", "hello")), MUC_OK);
  assert_int_equal(fakehost_count(&f->h, "<body>hello</body>"), 2);
  assert_non_null(strstr(
      r->log, "pre_groupchat " ROOM " Romeo " ROMEO " to=- id=m1 body=hello\n"
              "archived " ROOM " stable=muc-1 id=m1 Romeo " ROMEO
              " t=1767225600000 historic=1 <message type=\"groupchat\" "
              "id=\"m1\" from=\"" ROOM "/Romeo\"><body>hello</body>"
              "</message>\n"));
  /* modify: everyone, the history and the archive get the rewrite */
  fakehost_clear(&f->h);
  r->log[0] = 0;
  r->gc_verdict = MUC_HOOK_MODIFY;
  r->new_body = "h***o";
  r->payload = "<tag xmlns='urn:example'>x</tag>";
  assert_int_equal(fakehost_xml(&f->h, GC("m2", "hello")), MUC_OK);
  assert_int_equal(
      fakehost_count(&f->h, "<body>h***o</body><tag xmlns=\"urn:example\">"),
      2);
  assert_int_equal(fakehost_count(&f->h, "<body>hello</body>"), 0);
  assert_non_null(strstr(r->log, "<body>h***o</body>"));
  r->gc_verdict = MUC_HOOK_PASS;
  r->new_body = r->payload = NULL;
  fakehost_clear(&f->h);
  assert_int_equal(join(&f->h, "nurse@localhost/n", "Nurse"), MUC_OK);
  assert_non_null(fakehost_find(&f->h, "to=\"nurse@localhost/n\"",
                                "<body>h***o</body>", "urn:xmpp:delay", NULL));
  /* drop: nobody, no echo, no error, no history, no archive */
  fakehost_clear(&f->h);
  r->log[0] = 0;
  r->gc_verdict = MUC_HOOK_DROP;
  assert_int_equal(fakehost_xml(&f->h, GC("m3", "psst")), MUC_OK);
  assert_int_equal(f->h.nsent, 0);
  assert_null(strstr(r->log, "archived"));
  /* refuse: only the sender hears, with the default or the host's error */
  r->gc_verdict = MUC_HOOK_REFUSE;
  assert_int_equal(fakehost_xml(&f->h, GC("m4", "psst")), MUC_OK);
  assert_int_equal(f->h.nsent, 1);
  assert_non_null(fakehost_find(&f->h, "to=\"" ROMEO "\"", "type=\"error\"",
                                "<not-acceptable", "type=\"modify\"", NULL));
  fakehost_clear(&f->h);
  r->err = (muc_hook_error){"policy-violation", NULL, "No"};
  assert_int_equal(fakehost_xml(&f->h, GC("m5", "psst")), MUC_OK);
  assert_non_null(
      fakehost_find(&f->h, "<policy-violation", ">No</text>", NULL));
  /* a payload that does not parse is a failed hook */
  fakehost_clear(&f->h);
  r->err = (muc_hook_error){0};
  r->gc_verdict = MUC_HOOK_MODIFY;
  r->payload = "<unclosed>";
  assert_int_equal(fakehost_xml(&f->h, GC("m6", "psst")),
                   MUC_ERR_CALLBACK_FAILURE);
  assert_int_equal(f->h.nsent, 1);
  assert_non_null(fakehost_find(&f->h, "<internal-server-error", NULL));
  /* the history holds the passed and the rewritten message only */
  fakehost_clear(&f->h);
  r->gc_verdict = MUC_HOOK_PASS;
  r->payload = NULL;
  assert_int_equal(join(&f->h, "paris@localhost/p", "Paris"), MUC_OK);
  assert_int_equal(fakehost_count(&f->h, "urn:xmpp:delay"), 2);
  assert_int_equal(fakehost_count(&f->h, "psst"), 0);
}

static void test_archive(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  /* no body: broadcast and archived, not historic; no id: one is made */
  assert_int_equal(
      fakehost_xml(&f->h, "<message from='" JULIET "' to='" ROOM
                          "' type='groupchat'><active xmlns='http://jabber."
                          "org/protocol/chatstates'/></message>"),
      MUC_OK);
  assert_non_null(strstr(r->log, "archived " ROOM " stable=muc-2 id=muc-1 "
                                 "Juliet " JULIET " t=1767225600000 "
                                 "historic=0 "));
  /* a failed archive: delivered all the same, MUC_ERR_STORAGE */
  fakehost_clear(&f->h);
  r->archive_rc = 1;
  assert_int_equal(fakehost_xml(&f->h, GC("m1", "hi")), MUC_ERR_STORAGE);
  assert_int_equal(fakehost_count(&f->h, "<body>hi</body>"), 2);
  /* a subject change is not a message */
  r->archive_rc = 0;
  r->log[0] = 0;
  assert_int_equal(fakehost_xml(&f->h, "<message from='" ROMEO "' to='" ROOM
                                       "' type='groupchat'><subject>S"
                                       "</subject></message>"),
                   MUC_OK);
  assert_string_equal(r->log, "");
}

/* One nick, two sessions: the archive names the session that sent each
 * message, not the occupant's first (primary) one. */
static void test_archive_sessions(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  assert_int_equal(join(&f->h, "juliet@localhost/j2", "Juliet"), MUC_OK);
  r->log[0] = 0;
  assert_int_equal(fakehost_xml(&f->h, "<message from='juliet@localhost/j2' "
                                       "to='" ROOM "' type='groupchat' "
                                       "id='s2'><body>two</body></message>"),
                   MUC_OK);
  assert_non_null(strstr(r->log, " id=s2 Juliet juliet@localhost/j2 "));
  r->log[0] = 0;
  assert_int_equal(fakehost_xml(&f->h, "<message from='" JULIET "' to='" ROOM
                                       "' type='groupchat' id='s1'><body>one"
                                       "</body></message>"),
                   MUC_OK);
  assert_non_null(strstr(r->log, " id=s1 Juliet " JULIET " "));
  assert_null(strstr(r->log, "juliet@localhost/j2"));
}

#define PM(body)                                                               \
  "<message from='" ROMEO "' to='" ROOM "/Juliet' type='chat' id='p1'>"        \
  "<body>" body "</body></message>"

static void test_private_verdicts(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  assert_int_equal(fakehost_xml(&f->h, PM("hi")), MUC_OK);
  assert_string_equal(r->log, "pre_pm " ROOM " Romeo " ROMEO
                              " to=Juliet id=p1 body=hi\n");
  assert_non_null(
      fakehost_find(&f->h, "to=\"" JULIET "\"", "<body>hi</body>", NULL));
  fakehost_clear(&f->h);
  r->pm_verdict = MUC_HOOK_MODIFY;
  r->new_body = "HI";
  assert_int_equal(fakehost_xml(&f->h, PM("hi")), MUC_OK);
  assert_non_null(
      fakehost_find(&f->h, "to=\"" JULIET "\"", "<body>HI</body>", NULL));
  fakehost_clear(&f->h);
  r->pm_verdict = MUC_HOOK_DROP;
  assert_int_equal(fakehost_xml(&f->h, PM("hi")), MUC_OK);
  assert_int_equal(f->h.nsent, 0);
  r->pm_verdict = MUC_HOOK_REFUSE;
  r->err = (muc_hook_error){"forbidden", NULL, NULL};
  assert_int_equal(fakehost_xml(&f->h, PM("hi")), MUC_OK);
  assert_int_equal(f->h.nsent, 1);
  assert_non_null(fakehost_find(&f->h, "to=\"" ROMEO "\"", "<forbidden",
                                "type=\"auth\"", NULL));
  fakehost_clear(&f->h);
  r->pm_verdict = -5;
  assert_int_equal(fakehost_xml(&f->h, PM("hi")), MUC_ERR_CALLBACK_FAILURE);
  assert_non_null(fakehost_find(&f->h, "<internal-server-error", NULL));
}

#define TAG_FIELD(v) "<field var='x-test#tag'><value>" v "</value></field>"

static void test_config_field(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  const char *get = "<iq from='" ROMEO "' to='" ROOM "' id='g1' type='get'>"
                    "<query xmlns='" OWNER_NS "'/></iq>";
  assert_int_equal(fakehost_xml(&f->h, "%s", get), MUC_OK);
  assert_non_null(fakehost_find(&f->h,
                                "<field var=\"x-test#tag\" "
                                "type=\"list-single\" label=\"Tag\">"
                                "<option label=\"Red\"><value>red"
                                "</value></option><value>none</value>"
                                "</field></x>",
                                NULL));
  /* refused: nothing is applied, the host's text goes back */
  fakehost_clear(&f->h);
  r->submit_verdict = MUC_HOOK_REFUSE;
  r->err = (muc_hook_error){NULL, NULL, "No such tag"};
  assert_int_equal(
      configure(&f->h, CONFIG_FORM_TYPE
                "<field var='muc#roomconfig_roomname'>"
                "<value>Verona</value></field>" TAG_FIELD("green")),
      MUC_OK);
  assert_non_null(fakehost_find(&f->h, "<not-acceptable", "type=\"modify\"",
                                "No such tag", NULL));
  assert_null(fakehost_find(&f->h, "Verona", "type=\"result\"", NULL));
  assert_null(muc_room_get_host_value(muc_service_find_room(f->h.svc, ROOM),
                                      "x-test#tag", 0));
  /* accepted: stored, shown in the next form */
  r->submit_verdict = MUC_HOOK_PASS;
  r->log[0] = 0;
  assert_int_equal(configure(&f->h, CONFIG_FORM_TYPE TAG_FIELD("red")), MUC_OK);
  assert_string_equal(r->log,
                      "config_submitted " ROOM " " ROMEO " n=1 x-test#tag=red\n"
                      "configured " ROOM " " ROMEO "\n");
  muc_room *room = muc_service_find_room(f->h.svc, ROOM);
  assert_string_equal(muc_room_get_host_value(room, "x-test#tag", 0), "red");
  assert_null(muc_room_get_host_value(room, "x-test#tag", 1));
  fakehost_clear(&f->h);
  assert_int_equal(fakehost_xml(&f->h, "%s", get), MUC_OK);
  assert_non_null(fakehost_find(&f->h, "</option><value>red</value>", NULL));
  /* a submission without the host's fields does not ask the host */
  r->log[0] = 0;
  assert_int_equal(configure(&f->h, CONFIG_FORM_TYPE), MUC_OK);
  assert_string_equal(r->log, "configured " ROOM " " ROMEO "\n");
  /* a failed form hook: the form goes out, the call reports it */
  fakehost_clear(&f->h);
  r->form_rc = -1;
  assert_int_equal(fakehost_xml(&f->h, "%s", get), MUC_ERR_CALLBACK_FAILURE);
  assert_non_null(fakehost_find(&f->h, "muc#roomconfig_roomname", NULL));
}

static void test_config_field_stored(void **state)
{
  fixture *f = *state;
  two_in_room(f);
  assert_int_equal(configure(&f->h, CONFIG_FORM_TYPE
                             "<field var='muc#roomconfig_persistentroom'>"
                             "<value>1</value></field>" TAG_FIELD("a&amp;b")),
                   MUC_OK);
  size_t len;
  const char *rec = fakehost_stored(&f->h, ROOM, &len);
  assert_non_null(rec);
  assert_non_null(strstr(rec, "<hostfield var=\"x-test#tag\"><value>a&amp;b"
                              "</value></hostfield>"));
  /* the room leaves memory and comes back from its record */
  assert_int_equal(muc_service_shutdown(f->h.svc), MUC_OK);
  assert_null(muc_service_find_room(f->h.svc, ROOM));
  assert_int_equal(join(&f->h, ROMEO, "Romeo"), MUC_OK);
  muc_room *room = muc_service_find_room(f->h.svc, ROOM);
  assert_non_null(room);
  assert_string_equal(muc_room_get_host_value(room, "x-test#tag", 0), "a&b");
  /* the values stay with the room when the hooks go */
  assert_int_equal(
      muc_service_set_hooks(f->h.svc, MUC_HOOKS_VERSION, NULL, NULL), MUC_OK);
  assert_int_equal(fakehost_xml(&f->h, GC("m1", "x")), MUC_OK);
  rec = fakehost_stored(&f->h, ROOM, &len);
  assert_non_null(strstr(rec, "<hostfield"));
}

static void test_disco_info(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  const char *q = "<iq from='" JULIET "' to='" ROOM "' id='i1' type='get'>"
                  "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>";
  assert_int_equal(fakehost_xml(&f->h, "%s", q), MUC_OK);
  const char *a = fakehost_find(&f->h, "disco#info", NULL);
  assert_non_null(a);
  /* the feature before the form, the field inside it */
  const char *feat = strstr(a, "<feature var=\"urn:example:tag\"/><x");
  assert_non_null(feat);
  assert_non_null(strstr(feat, "<field var=\"x-test#tag\" label=\"Tag\">"
                               "<value>blue</value></field></x>"));
  assert_string_equal(r->log, "disco_info " ROOM "\n");
  /* the reserved-nick node is not extended */
  fakehost_clear(&f->h);
  assert_int_equal(
      fakehost_xml(&f->h, "<iq from='" JULIET "' to='" ROOM "' id='i2' "
                          "type='get'><query xmlns='http://jabber.org/protocol/"
                          "disco#info' node='x-roomuser-item'/></iq>"),
      MUC_OK);
  assert_null(fakehost_find(&f->h, "urn:example:tag", NULL));
}

static void test_reentry(void **state)
{
  fixture *f = *state;
  recorder *r = &f->r;
  two_in_room(f);
  /* a stanza handed in from occupant_joined runs after the join: the
   * newcomer's message follows its own presence */
  r->inject = "<message from='nurse@localhost/n' to='" ROOM
              "' type='groupchat' id='w'><body>welcome me</body></message>";
  assert_int_equal(join(&f->h, "nurse@localhost/n", "Nurse"), MUC_OK);
  const char *pres = fakehost_find(
      &f->h, "to=\"" ROMEO "\"", "from=\"" ROOM "/Nurse\"", "<presence", NULL);
  const char *msg =
      fakehost_find(&f->h, "to=\"" ROMEO "\"", "welcome me", NULL);
  assert_non_null(pres);
  assert_non_null(msg);
  size_t ip = 0, im = 0;
  for (size_t i = 0; i < f->h.nsent; i++) {
    if (f->h.sent[i] == pres)
      ip = i;
    if (f->h.sent[i] == msg)
      im = i;
  }
  assert_true(ip < im);
  assert_non_null(strstr(r->log, "joined " ROOM " Nurse"));
  assert_non_null(strstr(r->log, "pre_groupchat " ROOM " Nurse"));
  /* removing the hooks from inside one: the rest of the call has none */
  r->unset_in_hook = 1;
  r->log[0] = 0;
  assert_int_equal(fakehost_leave(&f->h, "nurse@localhost/n", ROOM, "Nurse"),
                   MUC_OK);
  assert_int_equal(fakehost_leave(&f->h, JULIET, ROOM, "Juliet"), MUC_OK);
  assert_string_equal(r->log, "left " ROOM " Nurse nurse@localhost/n\n");
}

static void test_set_hooks_args(void **state)
{
  fixture *f = *state;
  muc_hooks h = {0};
  assert_int_equal(muc_service_set_hooks(NULL, MUC_HOOKS_VERSION, &h, NULL),
                   MUC_ERR_INVALID_ARG);
  assert_int_equal(muc_service_set_hooks(f->h.svc, 99, &h, NULL),
                   MUC_ERR_INVALID_ARG);
  static const char *const own[] = {"muc#roomconfig_roomname", NULL};
  h.config_vars = own;
  assert_int_equal(muc_service_set_hooks(f->h.svc, MUC_HOOKS_VERSION, &h, NULL),
                   MUC_ERR_INVALID_ARG);
  static const char *const empty[] = {"", NULL};
  h.config_vars = empty;
  assert_int_equal(muc_service_set_hooks(f->h.svc, MUC_HOOKS_VERSION, &h, NULL),
                   MUC_ERR_INVALID_ARG);
  /* the set before a refused call is still the one in use */
  assert_int_equal(join(&f->h, ROMEO, "Romeo"), MUC_OK);
  assert_non_null(strstr(f->r.log, "created " ROOM));
  assert_null(muc_room_get_host_value(NULL, "x", 0));
}

/* ---- hooks unset: the output is the output without them ------------------ */

static const char *const script[] = {
    "<presence from='" ROMEO "' to='" ROOM "/Romeo'><x xmlns='http://jabber."
    "org/protocol/muc'/></presence>",
    "<iq from='" ROMEO "' to='" ROOM
    "' id='c1' type='set'><query xmlns='" OWNER_NS
    "'><x xmlns='jabber:x:data' type='submit'/></query></iq>",
    "<presence from='" JULIET "' to='" ROOM "/Juliet'><x xmlns='http://"
    "jabber.org/protocol/muc'/></presence>",
    GC("m1", "hello"),
    PM("psst"),
    "<presence from='" JULIET "' to='" ROOM "/Jules'/>",
    "<iq from='" JULIET "' to='" ROOM "' id='i1' type='get'><query xmlns='"
    "http://jabber.org/protocol/disco#info'/></iq>",
    "<iq from='" ROMEO "' to='" ROOM
    "' id='g1' type='get'><query xmlns='" OWNER_NS "'/></iq>",
    "<iq from='" ROMEO "' to='" ROOM "' id='a3' type='set'><query xmlns='"
    "http://jabber.org/protocol/muc#admin'><item nick='Jules' role='none'/>"
    "</query></iq>",
    "<presence from='" ROMEO "' to='" ROOM "/Romeo' type='unavailable'/>",
};

/* The deliveries of |script| on a service with |hooks| (NULL: none set). */
static void run_script(fakehost *h, const muc_hooks *hooks, recorder *r)
{
  assert_int_equal(fakehost_init(h, "conference.localhost", NULL, 1), MUC_OK);
  if (hooks)
    assert_int_equal(muc_service_set_hooks(h->svc, MUC_HOOKS_VERSION, hooks, r),
                     MUC_OK);
  for (size_t i = 0; i < sizeof(script) / sizeof(*script); i++)
    assert_int_equal(fakehost_xml(h, "%s", script[i]), MUC_OK);
}

static void assert_same_output(const fakehost *a, const fakehost *b)
{
  assert_int_equal(a->nsent, b->nsent);
  for (size_t i = 0; i < a->nsent; i++)
    assert_string_equal(a->sent[i], b->sent[i]);
  assert_int_equal(a->stores, b->stores);
}

static void test_unset_same_output(void **state)
{
  (void)state;
  fakehost plain, empty, passing;
  recorder r = {0};
  run_script(&plain, NULL, &r);
  muc_hooks none = {0};
  run_script(&empty, &none, &r);
  /* every notification set and every filter passing: nothing changes
   * but the host's own fields (here, none added) */
  muc_hooks pass = all_hooks;
  pass.config_form = NULL;
  pass.disco_info = NULL;
  r.h = &passing;
  run_script(&passing, &pass, &r);
  assert_true(plain.nsent > 10);
  assert_same_output(&plain, &empty);
  assert_same_output(&plain, &passing);
  assert_non_null(strstr(r.log, "left " ROOM " Jules " JULIET));
  fakehost_free(&plain);
  fakehost_free(&empty);
  fakehost_free(&passing);
}

/* ---- the examples (examples/hooks) ------------------------------------- */

/* A service on |h| with the hooks |attach| fills, |x| as their data. */
static void example_service(fakehost *h, example_host *x,
                            void (*attach)(muc_hooks *), int persistence)
{
  assert_int_equal(fakehost_init(h, "conference.localhost", NULL, persistence),
                   MUC_OK);
  x->svc = h->svc;
  muc_hooks hooks = {0};
  attach(&hooks);
  assert_int_equal(muc_service_set_hooks(h->svc, MUC_HOOKS_VERSION, &hooks, x),
                   MUC_OK);
}

static void test_example_word_filter(void **state)
{
  (void)state;
  fakehost h;
  static const char *const words[] = {"darn", "heck", NULL};
  example_host x = {.banned_words = words};
  example_service(&h, &x, word_filter_attach, 0);
  assert_int_equal(join(&h, ROMEO, "Romeo"), MUC_OK);
  assert_int_equal(configure(&h, ""), MUC_OK);
  assert_int_equal(join(&h, JULIET, "Juliet"), MUC_OK);
  fakehost_clear(&h);
  assert_int_equal(fakehost_xml(&h, GC("w1", "Darn it, heckler")), MUC_OK);
  assert_int_equal(fakehost_count(&h, "<body>**** it, heckler</body>"), 2);
  assert_int_equal(fakehost_xml(&h, GC("w2", "heck darn")), MUC_OK);
  assert_non_null(fakehost_find(&h, "to=\"" ROMEO "\"", "<policy-violation",
                                "not welcome", NULL));
  assert_int_equal(fakehost_count(&h, "heck darn"), 1); /* the bounce only */
  assert_int_equal(x.masked, 1);
  assert_int_equal(x.refused, 1);
  fakehost_free(&h);
}

static void test_example_allow_list(void **state)
{
  (void)state;
  fakehost h;
  static const char *const allowed[] = {"romeo@localhost", NULL};
  example_host x = {.allowed = allowed};
  example_service(&h, &x, allow_list_attach, 0);
  assert_int_equal(join(&h, JULIET, "Juliet"), MUC_OK);
  assert_int_equal(muc_service_get_room_count(h.svc), 0);
  assert_non_null(fakehost_find(&h, "<registration-required", "type=\"auth\"",
                                "listed users only", NULL));
  assert_int_equal(join(&h, ROMEO, "Romeo"), MUC_OK);
  assert_int_equal(configure(&h, ""), MUC_OK);
  assert_int_equal(join(&h, JULIET, "Juliet"), MUC_OK);
  assert_int_equal(fakehost_count(&h, "<registration-required"), 2);
  muc_room *room = muc_service_find_room(h.svc, ROOM);
  assert_int_equal(muc_room_get_occupant_count(room), 1);
  fakehost_free(&h);
}

static void test_example_motd(void **state)
{
  (void)state;
  fakehost h;
  example_host x = {0};
  example_service(&h, &x, motd_field_attach, 1);
  assert_int_equal(join(&h, ROMEO, "Romeo"), MUC_OK);
  assert_int_equal(configure(&h, ""), MUC_OK);
  fakehost_clear(&h);
  assert_int_equal(configure(&h, CONFIG_FORM_TYPE "<field var='" MOTD_VAR
                                                  "'><value>"
                                                  "two\nlines</value></field>"),
                   MUC_OK);
  assert_non_null(fakehost_find(&h, "<not-acceptable", "one line", NULL));
  assert_int_equal(
      configure(&h, CONFIG_FORM_TYPE
                "<field var='muc#roomconfig_persistentroom'><value>1</value>"
                "</field><field var='" MOTD_VAR "'><value>Be kind</value>"
                "</field>"),
      MUC_OK);
  size_t len;
  assert_non_null(strstr(fakehost_stored(&h, ROOM, &len), "Be kind"));
  fakehost_clear(&h);
  assert_int_equal(
      fakehost_xml(&h, "<iq from='" ROMEO "' to='" ROOM "' id='i' type='get'>"
                       "<query xmlns='http://jabber.org/protocol/disco#info'/>"
                       "</iq>"),
      MUC_OK);
  assert_non_null(fakehost_find(&h, "<feature var=\"urn:example:motd\"/>",
                                "<value>Be kind</value>", NULL));
  fakehost_free(&h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_join_leave, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pre_join_deny, setup, teardown),
      cmocka_unit_test_setup_teardown(test_groupchat_verdicts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_archive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_archive_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_private_verdicts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_config_field, setup, teardown),
      cmocka_unit_test_setup_teardown(test_config_field_stored, setup_stored,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_disco_info, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reentry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_set_hooks_args, setup, teardown),
      cmocka_unit_test(test_unset_same_output),
      cmocka_unit_test(test_example_word_filter),
      cmocka_unit_test(test_example_allow_list),
      cmocka_unit_test(test_example_motd),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
