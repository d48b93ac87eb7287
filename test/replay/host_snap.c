/*
 * host_snap - moving the library's rooms between services (live
 * snapshots) and checking the change feed against them (see host.h,
 * "Snapshots and the feed").
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_int.h"
#include "scs.h"
/* libmuc internal: the service's lists of rooms and tombstones */
#include "core.h"
#include "tombstone.h"

typedef struct blob {
  char *room; /* its JID, malloc'd */
  char *data;
  size_t len;
} blob;

typedef struct blobs {
  blob *items;
  size_t n, cap;
} blobs;

/* The snapshots of every room after one step, and how many feed events
 * had come by then. */
typedef struct step_state {
  blobs rooms;
  size_t events;
} step_state;

typedef struct host_snap {
  blobs events; /* the feed, in order (room = its room) */
  step_state *steps;
  size_t nsteps, scap;
  int oom;
} host_snap;

static int blobs_add(blobs *b, const char *room, const char *data, size_t len)
{
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 16;
    blob *items = realloc(b->items, cap * sizeof *items);
    if (!items)
      return -1;
    b->items = items;
    b->cap = cap;
  }
  blob *x = &b->items[b->n];
  x->room = scs_strdup(room);
  x->data = malloc(len ? len : 1);
  if (!x->room || !x->data) {
    free(x->room);
    free(x->data);
    return -1;
  }
  memcpy(x->data, data, len);
  x->len = len;
  b->n++;
  return 0;
}

static void blobs_free(blobs *b)
{
  for (size_t i = 0; i < b->n; i++) {
    free(b->items[i].room);
    free(b->items[i].data);
  }
  free(b->items);
  memset(b, 0, sizeof *b);
}

typedef struct collect {
  blobs *into;
  const char *room;
} collect;

static int on_snapshot(const char *data, size_t len, void *ud)
{
  collect *c = ud;
  return blobs_add(c->into, c->room, data, len);
}

/* Every room of |svc| (in service order) into |out|.  0, or the first
 * library code that is not MUC_OK. */
static int snapshot_all(muc_service *svc, blobs *out)
{
  for (muc_room *r = svc->rfirst; r; r = r->next) {
    if (r->loading)
      continue;
    collect c = {out, r->jid};
    int rc = muc_service_snapshot_room(svc, r->jid, on_snapshot, &c);
    if (rc != MUC_OK)
      return rc;
  }
  /* the tombstones of destroyed rooms are moved too */
  for (const muc_tombstone *t = svc->tombstones ? svc->tombstones->first : NULL;
       t; t = t->next) {
    char jid[2048];
    snprintf(jid, sizeof jid, "%s@%s", t->node, svc->domain);
    collect c = {out, jid};
    int rc = muc_service_snapshot_room(svc, jid, on_snapshot, &c);
    if (rc != MUC_OK && rc != MUC_ERR_NOT_FOUND) /* expired */
      return rc;
  }
  return MUC_OK;
}

static int restore_all(muc_service *svc, const blobs *b)
{
  for (size_t i = 0; i < b->n; i++) {
    int rc = muc_service_restore_room(svc, b->items[i].data, b->items[i].len);
    if (rc != MUC_OK)
      return rc;
  }
  return MUC_OK;
}

int host_move_service(host *h)
{
  blobs b = {0};
  muc_service *fresh = NULL;
  int rc = snapshot_all(h->svc, &b);
  if (rc == MUC_OK)
    rc = host_lib_new_service(h, &fresh);
  if (rc == MUC_OK)
    rc = restore_all(fresh, &b);
  blobs_free(&b);
  if (rc != MUC_OK) {
    muc_service_free(fresh);
    host_lib_result(h, rc == MUC_OK ? MUC_ERR_FATAL : rc, "snapshot/restore");
    host_set_fatal(h, "moving the rooms to a new service failed");
    return -1;
  }
  muc_service_free(h->svc);
  h->svc = fresh;
  return 0;
}

/* ---- the feed ------------------------------------------------------------ */

static void on_event(const char *room_jid, uint64_t seq, const char *data,
                     size_t len, void *ud)
{
  host *h = ud;
  (void)seq;
  if (blobs_add(&h->snap->events, room_jid, data, len) < 0)
    h->snap->oom = 1;
}

int host_feed_start(host *h)
{
  if (!(h->snap = calloc(1, sizeof *h->snap)))
    return -1;
  return muc_service_set_feed(h->svc, MUC_FEED_VERSION, on_event, h) == MUC_OK
             ? 0
             : -1;
}

int host_feed_step(host *h)
{
  host_snap *s = h->snap;
  if (s->nsteps == s->scap) {
    size_t cap = s->scap ? s->scap * 2 : 16;
    step_state *st = realloc(s->steps, cap * sizeof *st);
    if (!st)
      return -1;
    s->steps = st;
    s->scap = cap;
  }
  step_state *st = &s->steps[s->nsteps++];
  memset(st, 0, sizeof *st);
  st->events = s->events.n;
  return snapshot_all(h->svc, &st->rooms) == MUC_OK ? 0 : -1;
}

/* The feed number of the snapshot |r| (after magic, version, the ROOM
 * section's tag and length, the room JID). */
static uint64_t feed_number(const blob *r)
{
  size_t at = 4 + 4 + 1 + 4 + 4 + strlen(r->room);
  uint64_t n = 0;
  for (size_t i = 0; i < 8 && at + i < r->len; i++)
    n = n << 8 | (unsigned char)r->data[at + i];
  return n;
}

/* The replica's rooms |got| against the live ones: the same, in the same
 * order, but for rooms the live service evicted, which the replica keeps
 * as "stored" (numbered 0, docs/feed.md).  A report into |b|. */
static void compare_rooms(const blobs *got, const blobs *live, scs_buf *b)
{
  size_t j = 0;
  for (size_t i = 0; i < got->n && !b->s; i++) {
    const blob *g = &got->items[i];
    if (j < live->n && strcmp(g->room, live->items[j].room) == 0) {
      const blob *l = &live->items[j++];
      if (g->len != l->len || memcmp(g->data, l->data, g->len))
        scs_buf_printf(b,
                       "gave room %s unlike the live room (%zu vs %zu "
                       "bytes)",
                       g->room, g->len, l->len);
    } else if (feed_number(g) != 0) {
      scs_buf_printf(b, "gave room %s, not in the live service", g->room);
    }
  }
  if (!b->s && j != live->n)
    scs_buf_printf(b, "lacks the live room %s", live->items[j].room);
}

/* A replica made from step |k|'s snapshots and the events after it, as
 * |live| (the snapshots at the end)?  NULL, or a report. */
static char *check_step(host *h, size_t k, const blobs *live)
{
  host_snap *s = h->snap;
  const step_state *st = &s->steps[k];
  scs_buf b = {0};
  muc_service *rep = NULL;
  blobs got = {0};
  int rc = host_lib_new_service(h, &rep);
  if (rc == MUC_OK)
    rc = restore_all(rep, &st->rooms);
  for (size_t i = st->events; rc == MUC_OK && i < s->events.n; i++)
    if ((rc = muc_service_apply_event(rep, s->events.items[i].data,
                                      s->events.items[i].len)) != MUC_OK)
      scs_buf_printf(&b, "event %zu of %zu (room %s) ", i + 1, s->events.n,
                     s->events.items[i].room);
  if (rc == MUC_OK)
    rc = snapshot_all(rep, &got);
  if (rc != MUC_OK)
    scs_buf_printf(&b, "failed: %s", muc_strerror(rc));
  else
    compare_rooms(&got, live, &b);
  blobs_free(&got);
  muc_service_free(rep);
  if (!b.s)
    return NULL;
  scs_buf r = {0};
  scs_buf_printf(&r,
                 "feed: the snapshot after action %zu plus the %zu "
                 "event(s) after it %s",
                 k + 1, s->events.n - st->events, b.s);
  scs_buf_free(&b);
  return scs_buf_take(&r);
}

char *host_feed_check(host *h)
{
  host_snap *s = h->snap;
  blobs live = {0};
  if (s->oom || snapshot_all(h->svc, &live) != MUC_OK) {
    blobs_free(&live);
    return scs_strdup("feed: out of memory while recording");
  }
  char *rep = NULL;
  for (size_t k = 0; k < s->nsteps && !rep; k++)
    rep = check_step(h, k, &live);
  blobs_free(&live);
  return rep;
}

void host_snap_free(host *h)
{
  host_snap *s = h->snap;
  if (!s)
    return;
  blobs_free(&s->events);
  for (size_t i = 0; i < s->nsteps; i++)
    blobs_free(&s->steps[i].rooms);
  free(s->steps);
  free(s);
  h->snap = NULL;
}
