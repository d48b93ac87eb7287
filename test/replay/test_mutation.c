/*
 * Mutation tests of the scenario runner: a replay fails when it should.
 * Expected values changed, expectations removed, duplicated or an extra
 * stanza received: each mutant of a script that passes must fail.
 *
 * Environment (set by meson):
 *   SCS_CONFORMANCE_DIR  the shared conformance folder (tests skip if
 *                        absent)
 *   SCS_SEED_SCRIPT      seed/muc_show_offline.scs (its test skips if
 *                        absent)
 *   SCS_FIRST_ROOM       examples/scenarios/first_room.scs
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

#include "match.h"
#include "replay.h"
#include "scs.h"
#include "test_util.h"

static int replay_on(const scs_script *s, int strict, replay_path path,
                     replay_result *res)
{
  replay_options o;
  memset(&o, 0, sizeof o);
  o.strict = strict;
  o.path = path;
  return replay_run(s, &o, res);
}

/* Mutants are replayed on one path: a mutation changes what the script
 * expects, not what the library delivers. */
static int replay_script(const scs_script *s, int strict, replay_result *res)
{
  return replay_on(s, strict, REPLAY_PATH_TEXT, res);
}

/* The unmodified script must pass, on both paths; it proves the mutants
 * fail for the mutation, not because the engine is broken. */
static void original_passes(const scs_script *s, int strict)
{
  replay_result res;
  int r = replay_on(s, strict, REPLAY_PATH_BOTH, &res);
  if (r != 0)
    print_error("the unmodified %s fails:\n%s\n", s->name,
                res.report ? res.report : "?");
  assert_int_equal(r, 0);
  replay_result_free(&res);
}

/* (a) The founding script with one expected attribute changed must fail. */
static void test_mutation_seed_one_attribute(void **state)
{
  (void)state;
  char *text = read_env_file("SCS_SEED_SCRIPT", 1);
  scs_script *s = parse_ok(text);
  original_passes(s, 0);
  scs_free(s);
  /* Romeo's first self-presence (line 24): owner/moderator. */
  const char *needle = "affiliation='owner' role='moderator'/>";
  const char *at = strstr(text, needle);
  assert_non_null(at);
  const char *role = strstr(at, "moderator");
  scs_buf b = {0};
  scs_buf_addn(&b, text, (size_t)(role - text));
  scs_buf_add(&b, "visitor");
  scs_buf_add(&b, role + strlen("moderator"));
  free(text);
  text = scs_buf_take(&b);
  assert_non_null(strstr(text, "affiliation='owner' role='visitor'/>"));
  s = parse_ok(text);
  replay_result res;
  int r = replay_script(s, 0, &res);
  if (r != 1)
    print_error("the mutant passed\n");
  assert_int_equal(r, 1);
  assert_int_equal(res.fail_line, 24);
  assert_non_null(strstr(res.report, "first difference: presence/x/item@"
                                     "role: expected 'visitor', got "
                                     "'moderator'"));
  replay_result_free(&res);
  scs_free(s);
  free(text);
}

/* Attribute values and texts inside the tags of |xml|. */
typedef struct span {
  size_t start, end; /* value bytes [start, end) */
} span;

static size_t find_mutable_spans(const char *xml, span *out, size_t max)
{
  size_t n = 0;
  for (size_t i = 0; xml[i] && n < max; i++) {
    if (xml[i] == '>') {
      /* Text up to the next '<', if not blank. */
      size_t j = i + 1;
      while (xml[j] && xml[j] != '<')
        j++;
      int blank = 1;
      for (size_t k = i + 1; k < j; k++)
        if (xml[k] != ' ' && xml[k] != '\t' && xml[k] != '\n')
          blank = 0;
      if (!blank)
        out[n++] = (span){i + 1, j};
      continue;
    }
    if (xml[i] != '=' || (xml[i + 1] != '\'' && xml[i + 1] != '"'))
      continue;
    size_t k = i;
    while (k > 0 && xml[k - 1] != ' ' && xml[k - 1] != '\t' &&
           xml[k - 1] != '\n')
      k--;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(i - k), xml + k);
    char q = xml[i + 1];
    size_t vs = i + 2, ve = vs;
    while (xml[ve] && xml[ve] != q)
      ve++;
    if (strncmp(name, "scansion:", 9) == 0 ||
        strcmp(name, "xmlns:scansion") == 0 ||
        (ve - vs == strlen(MATCH_ANY) &&
         strncmp(xml + vs, MATCH_ANY, ve - vs) == 0)) {
      i = ve;
      continue;
    }
    out[n++] = (span){vs, ve};
    i = ve;
  }
  return n;
}

/* Change every expected attribute value and every expected text of |s|,
 * one at a time ("mutated-" prefixed), and check that each mutant fails
 * at that very step.  Returns the number of mutants. */
static size_t mutate_every_value(scs_script *s, int strict)
{
  size_t mutants = 0;
  for (size_t k = 0; k < s->nactions; k++) {
    scs_action *a = &s->actions[k];
    if (a->kind != SCS_RECEIVE)
      continue;
    char *orig = a->xml;
    span spans[256];
    size_t n = find_mutable_spans(orig, spans, 256);
    for (size_t i = 0; i < n; i++) {
      scs_buf b = {0};
      scs_buf_addn(&b, orig, spans[i].start);
      scs_buf_add(&b, "mutated-");
      scs_buf_add(&b, orig + spans[i].start);
      a->xml = scs_buf_take(&b);
      replay_result res;
      int r = replay_script(s, strict, &res);
      if (r != 1 || res.fail_line != a->line)
        print_error("%s: mutant of line %d survived or failed elsewhere "
                    "(r=%d, line %d):\n%s\n",
                    s->name, a->line, r, res.fail_line, a->xml);
      assert_int_equal(r, 1);
      assert_int_equal(res.fail_line, a->line);
      replay_result_free(&res);
      free(a->xml);
      a->xml = orig;
      mutants++;
    }
  }
  return mutants;
}

/* (a, exhaustive) Every expected attribute value and every expected text
 * of the founding script, changed one at a time, makes the replay fail at
 * that very step. */
static void test_mutation_seed_every_value(void **state)
{
  (void)state;
  char *text = read_env_file("SCS_SEED_SCRIPT", 1);
  scs_script *s = parse_ok(text);
  original_passes(s, 0);
  size_t mutants = mutate_every_value(s, 0);
  print_message("%zu mutants of the founding script, all failed\n", mutants);
  assert_true(mutants > 100);
  scs_free(s);
  free(text);
}

/* The same for every shared script that passes unmodified (a script that
 * does not is the business of its own conformance test: listed, not
 * failed here). */
struct mutation_totals {
  size_t scripts, mutants;
};

static void mutate_one(const char *path, const char *folder, const char *file,
                       void *ud)
{
  struct mutation_totals *t = ud;
  char err[512];
  scs_script *s = NULL;
  assert_int_equal(scs_parse_file(path, &s, err, sizeof err), 0);
  replay_result res;
  int r = replay_script(s, 0, &res);
  replay_result_free(&res);
  if (r != 0) {
    print_message("%s/%s does not pass unmodified: not mutated\n", folder,
                  file);
  } else {
    t->mutants += mutate_every_value(s, 0);
    t->scripts++;
  }
  scs_free(s);
}

static void test_mutation_shared_every_value(void **state)
{
  (void)state;
  struct mutation_totals t = {0};
  each_shared_script(mutate_one, &t);
  print_message("%zu mutants of %zu shared scripts, all failed\n", t.mutants,
                t.scripts);
  assert_true(t.scripts > 0);
}

static scs_script *first_room(void)
{
  char *text = read_env_file("SCS_FIRST_ROOM", 0);
  scs_script *s = parse_ok(text);
  free(text);
  return s;
}

/* Every expected value of the team's scenario, changed, fails in strict
 * mode too. */
static void test_mutation_first_room_every_value(void **state)
{
  (void)state;
  scs_script *s = first_room();
  original_passes(s, 1);
  size_t mutants = mutate_every_value(s, 1);
  print_message("%zu mutants of first_room.scs, all failed\n", mutants);
  assert_true(mutants > 50);
  scs_free(s);
}

/* (b) The team's scenario with one expected stanza removed fails in
 * strict mode, whichever it is. */
static void test_mutation_first_room_removed(void **state)
{
  (void)state;
  scs_script *s = first_room();
  original_passes(s, 1);
  size_t nact = s->nactions, mutants = 0;
  scs_free(s);
  for (size_t k = 0; k < nact; k++) {
    s = first_room();
    if (s->actions[k].kind != SCS_RECEIVE) {
      scs_free(s);
      continue;
    }
    int line = s->actions[k].line;
    free(s->actions[k].xml);
    memmove(&s->actions[k], &s->actions[k + 1],
            (nact - k - 1) * sizeof s->actions[0]);
    s->nactions--;
    replay_result res;
    int r = replay_script(s, 1, &res);
    if (r != 1)
      print_error("removing the expectation of line %d went unnoticed\n", line);
    assert_int_equal(r, 1);
    replay_result_free(&res);
    scs_free(s);
    mutants++;
  }
  print_message("%zu expectations removed one at a time, all caught\n",
                mutants);
  assert_true(mutants >= 10);
}

/* (c) An extra expected stanza, or an extra received one, fails in strict
 * mode. */
static void test_mutation_first_room_extra(void **state)
{
  (void)state;
  scs_script *s = first_room();
  size_t nact = s->nactions, mutants = 0;
  scs_free(s);
  /* Each expectation duplicated. */
  for (size_t k = 0; k < nact; k++) {
    s = first_room();
    if (s->actions[k].kind != SCS_RECEIVE) {
      scs_free(s);
      continue;
    }
    scs_action *na = realloc(s->actions, (nact + 1) * sizeof *na);
    assert_non_null(na);
    s->actions = na;
    memmove(&na[k + 1], &na[k], (nact - k) * sizeof *na);
    na[k + 1].xml = scs_strdup(na[k].xml);
    s->nactions++;
    replay_result res;
    int r = replay_script(s, 1, &res);
    if (r != 1)
      print_error("a duplicated expectation (line %d) went unnoticed\n",
                  na[k].line);
    assert_int_equal(r, 1);
    replay_result_free(&res);
    scs_free(s);
    mutants++;
  }
  assert_true(mutants >= 10);
  /* An extra stanza received: Romeo messages himself right after he
   * connects, and no step expects it. */
  char *text = read_env_file("SCS_FIRST_ROOM", 0);
  const char *at = strstr(text, "\nRomeo connects\n");
  assert_non_null(at);
  size_t cut = (size_t)(at - text) + strlen("\nRomeo connects\n");
  scs_buf b = {0};
  scs_buf_addn(&b, text, cut);
  scs_buf_add(&b, "Romeo sends:\n\t<message to=\"${Romeo's full JID}\" "
                  "type='chat'><body>extra</body></message>\n\n");
  scs_buf_add(&b, text + cut);
  free(text);
  text = scs_buf_take(&b);
  s = parse_ok(text);
  replay_result res;
  assert_int_equal(replay_script(s, 1, &res), 1);
  assert_non_null(strstr(res.report, "[strict mode]"));
  assert_non_null(strstr(res.report, "<body>extra</body>"));
  replay_result_free(&res);
  /* Reference mode skips it: that is what strict mode is for. */
  assert_int_equal(replay_script(s, 0, &res), 0);
  replay_result_free(&res);
  scs_free(s);
  free(text);
}
int main(void)
{
  const struct CMUnitTest mutation[] = {
      cmocka_unit_test(test_mutation_seed_one_attribute),
      cmocka_unit_test(test_mutation_seed_every_value),
      cmocka_unit_test(test_mutation_shared_every_value),
      cmocka_unit_test(test_mutation_first_room_every_value),
      cmocka_unit_test(test_mutation_first_room_removed),
      cmocka_unit_test(test_mutation_first_room_extra),
  };
  return cmocka_run_group_tests_name("mutation", mutation, NULL, NULL);
}
