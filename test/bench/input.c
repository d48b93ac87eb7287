/*
 * input.c - the workloads' input stanzas and the one timed runner every
 * workload goes through.
 *
 * Inputs are built in chunks, each chunk before its own timed region, so
 * that a long run does not hold millions of stanzas at once; the timed
 * region holds nothing but the entry point calls.
 *
 * SPDX-License-Identifier: MIT
 */
#include "bench.h"

#include <mxml.h>
#include <stdio.h>
#include <stdlib.h>

#define CHUNK 4096
#define TEXT_MAX 256
/* A long run prints its progress at most this often (outside the timed
 * regions). */
#define PROGRESS_NS UINT64_C(5000000000)

/* ------------------------------------------------------------------ */
/* Inputs                                                              */
/* ------------------------------------------------------------------ */

static size_t format_input(char *buf, size_t size, int kind, const char *user,
                           const char *room, size_t j)
{
  /* what follows a presence's attributes, per kind */
  static const char *const tail[] = {
      [IN_JOIN] = "><x xmlns='" MUC_NS "'/></presence>",
      [IN_AWAY] = "><show>away</show></presence>",
      [IN_LEAVE] = " type='unavailable'/>"};
  int r;
  if (kind == IN_MESSAGE)
    r = snprintf(buf, size,
                 "<message from='%s@localhost/r' to='%s@" DOMAIN "' "
                 "type='groupchat'><body>hello world %zu</body></message>",
                 user, room, j);
  else
    r = snprintf(buf, size,
                 "<presence from='%s@localhost/r' to='%s@" DOMAIN "/%s'%s",
                 user, room, user, tail[kind]);
  if (r < 0 || (size_t)r >= size)
    fail("input text: buffer too small");
  return (size_t)r;
}

size_t seq_text(const seq *s, size_t j, char *buf, size_t size)
{
  size_t rooms = s->rooms ? s->rooms : 1;
  size_t room = s->rooms ? (j - 1) % rooms + 1 : 0;
  size_t k =
      s->kind == IN_MESSAGE ? (j - 1) % s->users + 1 : (j - 1) / rooms + 1;
  char user[32], rname[32];
  user_name(user, sizeof user, room, k);
  room_name(rname, sizeof rname, room);
  return format_input(buf, size, s->kind, user, rname, j);
}

mxml_node_t *tree_of_text(const char *text, size_t len)
{
  (void)len; /* the text is NUL-terminated as built */
  mxml_node_t *t = mxmlLoadString(NULL, text, MXML_OPAQUE_CALLBACK);
  if (!t)
    fail("mxmlLoadString failed on: %s", text);
  return t;
}

/* ------------------------------------------------------------------ */
/* The runner                                                          */
/* ------------------------------------------------------------------ */

/* One chunk of inputs, as texts packed end to end or as trees. */
typedef struct batch {
  size_t n;
  char *text;
  size_t *off, *len;
  mxml_node_t **trees;
} batch;

static void batch_init(batch *b)
{
  b->n = 0;
  b->text = xmalloc(CHUNK * TEXT_MAX);
  b->off = xmalloc(CHUNK * sizeof *b->off);
  b->len = xmalloc(CHUNK * sizeof *b->len);
  b->trees = xcalloc(CHUNK, sizeof *b->trees);
}

static void batch_clear(batch *b)
{
  for (size_t i = 0; i < b->n; i++) {
    mxmlDelete(b->trees[i]);
    b->trees[i] = NULL;
  }
  b->n = 0;
}

static void batch_free(batch *b)
{
  batch_clear(b);
  free(b->text);
  free(b->off);
  free(b->len);
  free(b->trees);
}

/* Inputs |first|..|first|+|n|-1 of |s| into |b|. */
static void batch_build(batch *b, const seq *s, size_t first, size_t n,
                        int entry)
{
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    char *t = b->text + pos;
    b->off[i] = pos;
    b->len[i] = seq_text(s, first + i, t, TEXT_MAX);
    pos += b->len[i] + 1; /* keep the NUL for tree_of_text */
    if (entry == E_TREE)
      b->trees[i] = tree_of_text(t, b->len[i]);
  }
  b->n = n;
}

/* The entry point calls over |b|, timed; on a failure, which input and
 * what it returned. */
static uint64_t batch_run(muc_service *svc, const batch *b, int entry,
                          size_t *bad, int *bad_rc)
{
  mark m;
  timed_begin(&m);
  for (size_t i = 0; i < b->n; i++) {
    int rc = entry == E_TEXT
                 ? muc_service_handle_xml(svc, b->text + b->off[i], b->len[i])
                 : muc_service_handle_stanza(svc, b->trees[i]);
    if (rc != MUC_OK) {
      *bad = i;
      *bad_rc = rc;
      break;
    }
  }
  return timed_end(&m);
}

uint64_t run_seq(muc_service *svc, const seq *s, size_t first, size_t count,
                 int entry, const char *what)
{
  batch b;
  batch_init(&b);
  uint64_t ns = 0, wall0 = mono_ns(), shown = wall0;
  for (size_t done = 0; done < count;) {
    size_t n = count - done < CHUNK ? count - done : CHUNK;
    batch_build(&b, s, first + done, n, entry);
    size_t bad = (size_t)-1;
    int bad_rc = MUC_OK;
    ns += batch_run(svc, &b, entry, &bad, &bad_rc);
    if (bad != (size_t)-1)
      fail("%s: muc_service_handle_%s on input %zu returned %d (%s)", what,
           entry == E_TEXT ? "xml" : "stanza", first + done + bad, bad_rc,
           muc_strerror(bad_rc));
    batch_clear(&b);
    done += n;
    if (mono_ns() - shown > PROGRESS_NS && done < count) {
      shown = mono_ns();
      fprintf(stderr, "    %s: %zu/%zu done, %.1f s\n", what, done, count,
              since(wall0));
    }
  }
  batch_free(&b);
  return ns;
}

/* ------------------------------------------------------------------ */
/* Fan-out                                                             */
/* ------------------------------------------------------------------ */

static size_t round_up(double v, size_t multiple)
{
  size_t m = (size_t)v + 1;
  return (m + multiple - 1) / multiple * multiple;
}

/* How many messages of |s| take |seconds|, from trial runs on |svc|. */
static size_t calibrate(host *h, muc_service *svc, const seq *s, int entry,
                        double seconds, size_t multiple, const char *what)
{
  uint64_t ns = 0, total = 0;
  size_t c = 1;
  host_reset(h);
  while (ns < (uint64_t)(seconds * 1e9 / 5) && total < 100000000) {
    ns += run_seq(svc, s, 1, c, entry, what);
    total += c;
    c *= 2;
  }
  check_total(h, what, total * s->users);
  double per = (double)ns / (double)total;
  double m = seconds * 1.25 * 1e9 / (per > 1 ? per : 1);
  if (m < 3)
    m = 3;
  if (m > 50000000)
    m = 50000000;
  return round_up(m, multiple);
}

uint64_t run_fanout(host *h, muc_service *svc, const seq *s, size_t *m,
                    int entry, int grow, double seconds, int variant,
                    const char *what)
{
  size_t rooms = s->rooms ? s->rooms : 1;
  char label[160];
  if (!*m) {
    snprintf(label, sizeof label, "%s calibration", what);
    *m = calibrate(h, svc, s, entry, seconds, rooms, label);
    fprintf(stderr, "  %s: M = %zu\n", label, *m);
  }
  for (;;) {
    uint64_t mm = *m, per_room = mm / rooms;
    snprintf(label, sizeof label, "%s (M=%zu)", what, *m);
    host_reset(h);
    tally_reset();
    uint64_t ns = run_seq(svc, s, 1, *m, entry, label);
    check_counts(h, label, mm * s->users, mm * s->users, 0, per_room, 0,
                 variant);
    /* The first rep fixes M for good: if the calibration was too
     * optimistic (noise), grow M and run it again. */
    if (!grow || (double)ns >= seconds * 1e9)
      return ns;
    *m = round_up((double)*m * seconds * 1.25e9 / (double)(ns ? ns : 1), rooms);
    fprintf(stderr, "  %s: %.1f ms < %.1f s, again with M = %zu\n", label,
            (double)ns / 1e6, seconds, *m);
  }
}
