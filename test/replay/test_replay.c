/*
 * Tests of the scenario runner's simulated host and replay (need libmuc).
 *
 * Environment (set by meson):
 *   SCS_SEED_SCRIPT      seed/muc_show_offline.scs (its test skips if
 *                        absent)
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host.h"
#include "replay.h"
#include "scs.h"
#include "test_util.h"

#define MUC_USER "http://jabber.org/protocol/muc#user"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

typedef struct events {
  replay_event_kind kinds[512];
  int lines[512];
  size_t n;
} events;

static void record(const replay_event *ev, void *ud)
{
  events *e = ud;
  if (ev->kind == REPLAY_EV_LOG || ev->kind == REPLAY_EV_TO_MUC)
    return;
  if (e->n < 512) {
    e->kinds[e->n] = ev->kind;
    e->lines[e->n] = ev->line;
    e->n++;
  }
}

/* Replay |s| on |path|, the events recorded in |ev| (if not NULL);
 * returns replay_run's value. */
static int replay_on(const scs_script *s, int strict, replay_path path,
                     replay_result *res, events *ev)
{
  replay_options o;
  memset(&o, 0, sizeof o);
  o.strict = strict;
  o.path = path;
  if (ev) {
    memset(ev, 0, sizeof *ev);
    o.hook = record;
    o.hook_data = ev;
  }
  return replay_run(s, &o, res);
}

/* Parse and replay |text| on |path|. */
static int run_path(const char *text, int strict, replay_path path,
                    replay_result *res, events *ev)
{
  scs_script *s = parse_ok(text);
  int r = replay_on(s, strict, path, res, ev);
  scs_free(s);
  return r;
}

/* One run (the text path), so that the events can be counted. */
static int run_text(const char *text, int strict, replay_result *res,
                    events *ev)
{
  return run_path(text, strict, REPLAY_PATH_TEXT, res, ev);
}

/* Must pass on both paths, with the same deliveries. */
static void must_pass(const char *text, int strict)
{
  replay_result res;
  int r = run_path(text, strict, REPLAY_PATH_BOTH, &res, NULL);
  if (r != 0)
    print_error("replay failed:\n%s\n", res.report ? res.report : "?");
  assert_int_equal(r, 0);
  assert_true(res.passed);
  assert_null(res.report);
  replay_result_free(&res);
}

/* Must fail, on both paths, at |line| with a report containing
 * |needle|. */
static void must_fail(const char *text, int strict, int line,
                      const char *needle)
{
  replay_result res;
  int r = run_path(text, strict, REPLAY_PATH_BOTH, &res, NULL);
  if (r != 1 || res.fail_line != line || !res.report ||
      !strstr(res.report, needle))
    print_error("wanted a failure at line %d with '%s'; got r=%d line=%d "
                "report:\n%s\n",
                line, needle, r, res.fail_line,
                res.report ? res.report : "(none)");
  assert_int_equal(r, 1);
  assert_false(res.passed);
  assert_int_equal(res.fail_line, line);
  assert_non_null(strstr(res.report, needle));
  replay_result_free(&res);
}

#define TWO_CLIENTS                                                            \
  "# two clients\n[Client] Romeo\n\tjid: romeo@localhost\n"                    \
  "[Client] Juliet\n\tjid: juliet@localhost\n-----\n"

static void test_host_resources(void **state)
{
  (void)state;
  char err[256];
  host *h = host_new(NULL, err, sizeof err);
  assert_non_null(h);
  assert_int_equal(
      host_add_client(h, "Romeo", "user@localhost", NULL, err, sizeof err), 0);
  assert_int_equal(host_add_client(h, "Juliet's phone", "user2@localhost", NULL,
                                   err, sizeof err),
                   1);
  assert_int_equal(host_add_client(h, "Juliet", "juliet@localhost/lVwkim_k",
                                   NULL, err, sizeof err),
                   2);
  assert_int_equal(host_add_client(h, "Nurse", "nurse@localhost", "balcony",
                                   err, sizeof err),
                   3);
  assert_int_equal(
      host_add_client(h, "ROMEO", "user@localhost", NULL, err, sizeof err), 4);
  assert_string_equal(host_full_jid(h, 0), "user@localhost/scansion-romeo");
  assert_string_equal(host_bare_jid(h, 0), "user@localhost");
  assert_string_equal(host_full_jid(h, 1),
                      "user2@localhost/scansion-juliet-s-phone");
  assert_string_equal(host_full_jid(h, 2), "juliet@localhost/lVwkim_k");
  assert_string_equal(host_bare_jid(h, 2), "juliet@localhost");
  assert_string_equal(host_full_jid(h, 3), "nurse@localhost/balcony");
  /* Unique per client. */
  assert_string_equal(host_full_jid(h, 4), "user@localhost/scansion-romeo-2");
  /* A full JID used twice, a resource that contradicts the JID. */
  assert_int_equal(host_add_client(h, "Tybalt", "juliet@localhost/lVwkim_k",
                                   NULL, err, sizeof err),
                   -1);
  assert_non_null(strstr(err, "already used"));
  assert_int_equal(
      host_add_client(h, "Paris", "paris@localhost/a", "b", err, sizeof err),
      -1);
  assert_int_equal(host_now(h), HOST_START_MS);
  host_advance(h, 1000);
  assert_int_equal(host_now(h), HOST_START_MS + 1000);
  assert_int_equal(host_connect(h, 0), 0);
  assert_int_equal(host_connect(h, 0), -1);
  assert_int_equal(host_disconnect(h, 0), 0);
  assert_int_equal(host_disconnect(h, 0), -1);
  host_free(h);
}

static void test_host_client_to_client(void **state)
{
  (void)state;
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n"
            "\t<message to=\"${Juliet's full JID}\" type='chat' id='m1'>\n"
            "\t\t<body>Hi</body>\n\t</message>\n"
            "Juliet receives:\n"
            "\t<message from=\"${Romeo's full JID}\" "
            "to=\"${Juliet's full JID}\" type='chat' id='m1' "
            "scansion:strict='true'>\n\t\t<body>Hi</body>\n\t</message>\n"
            "Romeo receives: nothing\nJuliet receives: nothing\n",
            1);
  /* The from stamp uses the bound resource. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<message to='juliet@localhost/scansion-juliet'/>"
            "\nJuliet receives:\n"
            "\t<message from='romeo@localhost/scansion-romeo'/>\n",
            1);
}

static void test_host_presence(void **state)
{
  (void)state;
  /* Presence without 'to' goes to every session of the account, sender
   * included, with the vcard-temp:x:update the reference server adds. */
  must_pass("# p\n[Client] A\n\tjid: a@localhost\n[Client] A2\n"
            "\tjid: a@localhost\n[Client] B\n\tjid: b@localhost\n-----\n"
            "A connects\nA2 connects\nB connects\n"
            "A sends:\n\t<presence><show>away</show></presence>\n"
            "A receives:\n\t<presence from=\"${A's full JID}\" "
            "scansion:strict='true'>\n\t\t<show>away</show>\n"
            "\t\t<x xmlns='vcard-temp:x:update'><photo/></x>\n"
            "\t</presence>\n"
            "A2 receives:\n\t<presence from=\"${A's full JID}\"/>\n"
            "B receives: nothing\n",
            1);
  /* No second vcard x when the client sent one. */
  must_pass("# p\n[Client] A\n\tjid: a@localhost\n-----\nA connects\n"
            "A sends:\n\t<presence><x xmlns='vcard-temp:x:update'>"
            "<photo>abc</photo></x></presence>\n"
            "A receives:\n\t<presence from=\"${A's full JID}\" "
            "scansion:strict='true'><x "
            "xmlns='vcard-temp:x:update'><photo>abc</photo></x>"
            "</presence>\n",
            1);
  /* None on unavailable presence, as on the reference server (Prosody
   * 0.12.3, measured through test/e2e). */
  must_pass("# p\n[Client] A\n\tjid: a@localhost\n-----\nA connects\n"
            "A sends:\n\t<presence type='unavailable'/>\n"
            "A receives:\n\t<presence from=\"${A's full JID}\" "
            "type='unavailable' scansion:strict='true'/>\n",
            1);
}

static void test_host_bare_jid(void **state)
{
  (void)state;
  /* message to a bare JID: every connected session. */
  must_pass("# b\n[Client] A\n\tjid: a@localhost\n[Client] A2\n"
            "\tjid: a@localhost\n[Client] B\n\tjid: b@localhost\n-----\n"
            "A connects\nA2 connects\nB connects\n"
            "B sends:\n\t<message to=\"${A's JID}\" id='1'/>\n"
            "A receives:\n\t<message to='a@localhost' id='1' "
            "from=\"${B's full JID}\"/>\n"
            "A2 receives:\n\t<message id='1'/>\n"
            "B receives: nothing\n",
            1);
  /* iq to a bare user JID or to the server: service-unavailable. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<iq to=\"${Juliet's JID}\" type='get' id='v1'>"
            "<query xmlns='jabber:iq:version'/></iq>\n"
            "\t<iq to='localhost' type='get' id='v2'/>\n"
            "Romeo receives:\n"
            "\t<iq type='error' id='v1' from='juliet@localhost' "
            "to=\"${Romeo's full JID}\">\n"
            "\t\t<error type='cancel'><service-unavailable "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>\n"
            "\t</iq>\n"
            "\t<iq type='error' id='v2' from='localhost'><error "
            "type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:"
            "ns:xmpp-stanzas'/></error></iq>\n"
            "Juliet receives: nothing\nRomeo receives: nothing\n",
            1);
}

static void test_host_undeliverable(void **state)
{
  (void)state;
  /* message / iq to a disconnected session bounce; presence is dropped;
   * errors and results are never bounced. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Juliet disconnects\n"
            "Romeo sends:\n"
            "\t<message to=\"${Juliet's full JID}\" id='m1'><body>x</body>"
            "</message>\n"
            "\t<presence to=\"${Juliet's full JID}\"/>\n"
            "\t<iq to=\"${Juliet's full JID}\" type='set' id='i1'/>\n"
            "\t<iq to=\"${Juliet's full JID}\" type='result' id='i2'/>\n"
            "\t<message to=\"${Juliet's full JID}\" type='error' id='m2'/>\n"
            "\t<message to='nobody@elsewhere.example' id='m3'/>\n"
            "Romeo receives:\n"
            "\t<message type='error' id='m1' from=\"${Juliet's full JID}\" "
            "to=\"${Romeo's full JID}\"><body>x</body><error type='cancel'>"
            "<service-unavailable xmlns='urn:ietf:params:xml:ns:"
            "xmpp-stanzas'/></error></message>\n"
            "\t<iq type='error' id='i1'><error type='cancel'/></iq>\n"
            "\t<message type='error' id='m3' from='nobody@elsewhere.example'"
            "/>\n"
            "Romeo receives: nothing\n",
            1);
}

static void test_host_prep_to(void **state)
{
  (void)state;
  /* 'to' is prepared before routing: case of the bare part, characters
   * mapped to nothing (U+FE0F here). */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n"
            "\t<message to='JULIET@LocalHost/scansion-juliet\xef\xb8\x8f'/>\n"
            "Juliet receives:\n"
            "\t<message to='juliet@localhost/scansion-juliet'/>\n",
            1);
}

static void test_replay_reference_vs_strict(void **state)
{
  (void)state;
  static const char script[] =
      TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                  "Romeo sends:\n"
                  "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
                  "\t<message to=\"${Juliet's full JID}\" id='2'/>\n"
                  "Juliet receives:\n\t<message id='2'/>\n"
                  "Juliet receives: nothing\n";
  /* Reference mode skips message 1. */
  replay_result res;
  events ev;
  assert_int_equal(run_text(script, 0, &res, &ev), 0);
  assert_int_equal(res.expectations, 2);
  int skips = 0;
  for (size_t i = 0; i < ev.n; i++)
    skips += ev.kinds[i] == REPLAY_EV_SKIP;
  assert_int_equal(skips, 1);
  replay_result_free(&res);
  /* Strict mode does not. */
  must_fail(script, 1, 12,
            "first difference: message@id: expected '2', "
            "got '1'");
  /* The report says the expected stanza came later. */
  must_fail(script, 1, 12, "it is stanza 1 after this one");
  /* Reference mode: nothing matches, the closest skipped one is shown. */
  must_fail(TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                        "Romeo sends:\n"
                        "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
                        "\t<presence to=\"${Juliet's full JID}\" id='2'/>\n"
                        "Juliet receives:\n\t<presence id='3'/>\n",
            0, 12,
            "t.scs:12: Juliet receives: expectation not met [reference "
            "mode]\nexpected:\n    <presence id='3'/>\nclosest received "
            "stanza (2 of 2 skipped):\n    <presence");
  must_fail(TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                        "Juliet receives:\n\t<presence/>\n",
            0, 9, "received: nothing was received");
}

static void test_replay_multi_element_blocks(void **state)
{
  (void)state;
  static const char script[] = TWO_CLIENTS
      "Romeo connects\nJuliet connects\n"
      "Romeo sends:\n"
      "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
      "\t<message to=\"${Juliet's full JID}\" id='2'/>\n"
      "Juliet receives:\n\t<message id='1'/>\n\t<message id='2'/>\n";
  must_pass(script, 1);
  must_fail(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n"
            "\t<message to=\"${Juliet's full JID}\" id='1'/>\n"
            "\t<message to=\"${Juliet's full JID}\" id='2'/>\n"
            "Juliet receives:\n\t<message id='1'/>\n\t<message id='3'/>\n",
            1, 12, "Juliet receives: (element 2 of 2) expectation not met");
}

/* Juliet reads the first of two messages, not the second. */
static const char unread[] =
    TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                "Romeo sends:\n\t<message to=\"${Juliet's full JID}\" "
                "id='m1'/>\n\t<message to=\"${Juliet's full JID}\" "
                "id='m2'><body>Hi</body></message>\n"
                "Juliet receives:\n\t<message id='m1'/>\n";

/* Replay |unread|: every action runs, replay_run returns |want|, and the
 * unread stanza is counted and reported after the last action.  A strict
 * failure is at the end of the script (fail_action: past the last). */
static void unread_counted(int strict, int want)
{
  replay_result res;
  events ev;
  assert_int_equal(run_text(unread, strict, &res, &ev), want);
  assert_int_equal(res.actions_run, 4);
  assert_int_equal(res.leftover, 1);
  if (want)
    assert_int_equal(res.fail_action, 4);
  assert_int_equal(ev.kinds[ev.n - 1], REPLAY_EV_LEFTOVER);
  assert_int_equal(ev.lines[ev.n - 1], 0);
  replay_result_free(&res);
}

static void test_replay_nothing_and_leftovers(void **state)
{
  (void)state;
  must_fail(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<message to=\"${Juliet's full JID}\"/>\n"
            "Romeo receives: nothing\nJuliet receives: nothing\n",
            0, 12,
            "t.scs:12: Juliet receives: nothing failed [reference mode]: "
            "1 stanza(s) queued:\n    <message");
  /* Reference mode: unread stanzas at the end are not an error, but they
   * are counted and reported. */
  unread_counted(0, 0);
}

/* (b) Strict mode: a stanza nobody read by the end of the script is a
 * failure that names the client and the stanza. */
static void test_replay_strict_unread(void **state)
{
  (void)state;
  must_fail(unread, 1, 0,
            "t.scs: end of script [strict mode]: 1 stanza(s) left unread");
  must_fail(unread, 1, 0,
            "\nJuliet has not read 1 stanza(s):\n    <message "
            "to='juliet@localhost/scansion-juliet' id='m2' "
            "from='romeo@localhost/scansion-romeo'>\n      <body>Hi</body>");
  unread_counted(1, 1);
  /* Read to the end, it passes. */
  must_pass(TWO_CLIENTS "Romeo connects\nJuliet connects\n"
                        "Romeo sends:\n\t<message to=\"${Juliet's full "
                        "JID}\" id='m1'/>\n"
                        "Juliet receives:\n\t<message id='m1'/>\n",
            1);
}

static void test_replay_connection_errors(void **state)
{
  (void)state;
  /* Sending while disconnected: strict fails, reference drops it (as the
   * reference runner tolerates; prosody/muc_outcast_reason.scs does it). */
  static const char script[] =
      TWO_CLIENTS "Romeo connects\nRomeo disconnects\n"
                  "Romeo sends:\n\t<presence type='unavailable'/>\n";
  must_fail(script, 1, 9, "Romeo sends: but Romeo is not connected");
  must_pass(script, 0);
  must_fail(TWO_CLIENTS "Romeo connects\nRomeo connects\n", 0, 8,
            "but Romeo is already connected");
  must_fail(TWO_CLIENTS "Romeo disconnects\n", 0, 7,
            "but Romeo is not connected");
  /* A client that reconnects starts with an empty queue. */
  must_pass(TWO_CLIENTS
            "Romeo connects\nJuliet connects\n"
            "Romeo sends:\n\t<message to=\"${Juliet's full JID}\"/>\n"
            "Juliet disconnects\nJuliet connects\n"
            "Juliet receives: nothing\n",
            1);
}

static void test_replay_events(void **state)
{
  (void)state;
  replay_result res;
  events ev;
  assert_int_equal(run_text(TWO_CLIENTS
                            "Romeo connects\nJuliet connects\n"
                            "Romeo sends:\n\t<message to=\"${Juliet's full "
                            "JID}\"/>\nJuliet receives:\n\t<message/>\n"
                            "Juliet receives: nothing\nJuliet disconnects\n",
                            1, &res, &ev),
                   0);
  static const replay_event_kind want[] = {
      REPLAY_EV_PATH,  REPLAY_EV_STEP,       REPLAY_EV_CONNECT,
      REPLAY_EV_STEP,  REPLAY_EV_CONNECT,    REPLAY_EV_STEP,
      REPLAY_EV_SEND,  REPLAY_EV_DELIVER,    REPLAY_EV_STEP,
      REPLAY_EV_MATCH, REPLAY_EV_STEP,       REPLAY_EV_NOTHING,
      REPLAY_EV_STEP,  REPLAY_EV_DISCONNECT,
  };
  static const int lines[] = {0, 7, 7, 8, 8, 9, 9, 9, 11, 11, 13, 13, 14, 14};
  assert_int_equal(ev.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < ev.n; i++) {
    assert_int_equal(ev.kinds[i], want[i]);
    assert_int_equal(ev.lines[i], lines[i]);
  }
  assert_int_equal(res.expectations, 2);
  replay_result_free(&res);
}

/* The engine itself: creating a room (fails until the engine works). */
static void test_replay_muc_smoke(void **state)
{
  (void)state;
  must_pass("# smoke\n[Client] Romeo\n\tjid: romeo@localhost\n-----\n"
            "Romeo connects\n"
            "Romeo sends:\n\t<presence to='r@conference.localhost/Romeo'>"
            "<x xmlns='http://jabber.org/protocol/muc'/></presence>\n"
            "Romeo receives:\n\t<presence from='r@conference.localhost/"
            "Romeo'>\n\t\t<x xmlns='" MUC_USER "'>\n"
            "\t\t\t<status code='201'/>\n"
            "\t\t\t<item affiliation='owner' role='moderator' "
            "jid=\"${Romeo's full JID}\"/>\n"
            "\t\t\t<status code='110'/>\n\t\t</x>\n\t</presence>\n"
            "Romeo receives:\n\t<message type='groupchat' "
            "from='r@conference.localhost'><subject/></message>\n"
            "Romeo receives: nothing\n",
            1);
}
/* ------------------------------------------------------------------ */
/* Both paths                                                          */
/* ------------------------------------------------------------------ */

static void add_all(replay_deliveries *d, const char *const *xml, size_t n)
{
  for (size_t i = 0; i < n; i++)
    replay_deliveries_add(d, (int)(10 + i), xml[i]);
}

/* (a) A difference between the deliveries of the two paths is found and
 * shown: its index, the line that caused it, both stanzas. */
static void test_paths_difference(void **state)
{
  (void)state;
  static const char *const text[] = {"<iq id=\"1\"/>", "<message to=\"a\"/>",
                                     "<presence/>"};
  static const char *const tree[] = {"<iq id=\"1\"/>", "<message to=\"b\"/>",
                                     "<presence/>"};
  replay_deliveries a = {0}, b = {0}, c = {0};
  add_all(&a, text, 3);
  add_all(&b, tree, 3);
  add_all(&c, text, 3);
  size_t at = 99;
  assert_null(replay_deliveries_diff(&a, "text path", &c, "tree path", &at));
  assert_int_equal(at, 0);
  char *rep = replay_deliveries_diff(&a, "text path", &b, "tree path", &at);
  assert_non_null(rep);
  assert_int_equal(at, 2);
  assert_non_null(strstr(rep, "the first difference is delivery 2"));
  assert_non_null(strstr(rep, "text path (caused by line 11):\n    "
                              "<message to=\"a\"/>"));
  assert_non_null(strstr(rep, "tree path (caused by line 11):\n    "
                              "<message to=\"b\"/>"));
  assert_non_null(strstr(rep, "differ from offset 13 on: \"a\"/>\" vs"));
  free(rep);
  /* One path delivered less. */
  replay_deliveries_free(&c);
  add_all(&c, text, 2);
  rep = replay_deliveries_diff(&a, "text path", &c, "tree path", &at);
  assert_int_equal(at, 3);
  assert_non_null(strstr(rep, "(text path: 3 deliveries, tree path: 2)"));
  assert_non_null(strstr(rep, "tree path: none (it made only 2)"));
  free(rep);
  replay_deliveries_free(&a);
  replay_deliveries_free(&b);
  replay_deliveries_free(&c);
}

/* A failure on both paths names each; the counts are the text run's. */
static void test_paths_failures_named(void **state)
{
  (void)state;
  replay_result res;
  assert_int_equal(run_path(TWO_CLIENTS "Romeo connects\n"
                                        "Romeo receives:\n\t<presence/>\n",
                            1, REPLAY_PATH_BOTH, &res, NULL),
                   1);
  assert_int_equal(res.fail_line, 8);
  assert_non_null(strstr(res.report, "[text path] t.scs:8: Romeo receives"));
  assert_non_null(strstr(res.report, "\n[tree path] t.scs:8: Romeo receives"));
  assert_int_equal(res.path_difference, 0);
  replay_result_free(&res);
}

/* Replay |s| on both paths: it must pass with the same deliveries, and
 * the library must have delivered something. */
static void passes_on_both_paths(const scs_script *s, int strict)
{
  replay_result res;
  int r = replay_on(s, strict, REPLAY_PATH_BOTH, &res, NULL);
  if (r != 0)
    print_error("%s:\n%s\n", s->name, res.report ? res.report : "?");
  assert_int_equal(r, 0);
  assert_int_equal(res.path_difference, 0);
  assert_true(res.deliveries.n > 10);
  print_message("%s: %zu deliveries, the same on both paths\n", s->name,
                res.deliveries.n);
  replay_result_free(&res);
}

/* (c) The founding script passes on both paths, and each path alone. */
static void test_paths_seed(void **state)
{
  (void)state;
  char *text = read_env_file("SCS_SEED_SCRIPT", 1);
  char err[512];
  scs_script *s = NULL;
  assert_int_equal(scs_parse(text, strlen(text), "seed/muc_show_offline.scs",
                             &s, err, sizeof err),
                   0);
  free(text);
  passes_on_both_paths(s, 0);
  replay_result tree, res;
  assert_int_equal(replay_on(s, 0, REPLAY_PATH_TREE, &tree, NULL), 0);
  assert_int_equal(replay_on(s, 0, REPLAY_PATH_TEXT, &res, NULL), 0);
  assert_int_equal(res.deliveries.n, tree.deliveries.n);
  assert_int_equal(res.expectations, tree.expectations);
  replay_result_free(&tree);
  replay_result_free(&res);
  scs_free(s);
}

int main(void)
{
  const struct CMUnitTest host_tests[] = {
      cmocka_unit_test(test_host_resources),
      cmocka_unit_test(test_host_client_to_client),
      cmocka_unit_test(test_host_presence),
      cmocka_unit_test(test_host_bare_jid),
      cmocka_unit_test(test_host_undeliverable),
      cmocka_unit_test(test_host_prep_to),
  };
  const struct CMUnitTest replay_tests[] = {
      cmocka_unit_test(test_replay_reference_vs_strict),
      cmocka_unit_test(test_replay_multi_element_blocks),
      cmocka_unit_test(test_replay_nothing_and_leftovers),
      cmocka_unit_test(test_replay_strict_unread),
      cmocka_unit_test(test_replay_connection_errors),
      cmocka_unit_test(test_replay_events),
      cmocka_unit_test(test_replay_muc_smoke),
  };
  const struct CMUnitTest path_tests[] = {
      cmocka_unit_test(test_paths_difference),
      cmocka_unit_test(test_paths_failures_named),
      cmocka_unit_test(test_paths_seed),
  };
  int failed = 0;
  failed += cmocka_run_group_tests_name("host", host_tests, NULL, NULL);
  failed += cmocka_run_group_tests_name("replay", replay_tests, NULL, NULL);
  failed += cmocka_run_group_tests_name("paths", path_tests, NULL, NULL);
  return failed ? 1 : 0;
}
