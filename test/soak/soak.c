/* soak - the model-based soak of issue 12: random operations from a
 * printed seed against one service, the library's state compared with a
 * reference model after every step, every delivery checked.
 *
 *   soak [--seed N] [--ops N] [--path text|tree] [--drain N]
 *        [--end-in-callback N]
 *
 * Exit 0 and figures on stdout, or 1 with the seed, the step and the
 * operation that went wrong.  See README.md. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "op.h"

typedef struct options {
  uint64_t seed;
  uint64_t ops;
  int tree_path;
  uint64_t drain; /* empty every room every this many steps */
  uint32_t end_in_callback;
} options;

typedef struct figures {
  uint64_t by_kind[OP_KINDS], refused[OP_KINDS];
  uint64_t stanzas, ended_in_callback, drains;
  int max_rooms, max_occupants, max_room_occupants;
  size_t max_usage;
} figures;

typedef struct soak {
  options opt;
  soak_host host;
  model m;
  figures fig;
  uint64_t rng, stepno;
  size_t base_usage, base_live, base_blocks, last_drain_usage;
} soak;

static int usage(void)
{
  fprintf(stderr, "usage: soak [--seed N] [--ops N] [--path text|tree] "
                  "[--drain N] [--end-in-callback N]\n");
  return 2;
}

static int parse_options(int argc, char **argv, options *o)
{
  *o = (options){.seed = (uint64_t)time(NULL),
                 .ops = 100000,
                 .drain = 20000,
                 .end_in_callback = 400};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v)
      return -1;
    i++;
    if (strcmp(a, "--seed") == 0)
      o->seed = strtoull(v, NULL, 0);
    else if (strcmp(a, "--ops") == 0)
      o->ops = strtoull(v, NULL, 0);
    else if (strcmp(a, "--drain") == 0)
      o->drain = strtoull(v, NULL, 0);
    else if (strcmp(a, "--end-in-callback") == 0)
      o->end_in_callback = (uint32_t)strtoul(v, NULL, 0);
    else if (strcmp(a, "--path") == 0 && strcmp(v, "tree") == 0)
      o->tree_path = 1;
    else if (strcmp(a, "--path") == 0 && strcmp(v, "text") == 0)
      o->tree_path = 0;
    else
      return -1;
  }
  return 0;
}

static void report_mismatch(const soak *k, const op *o, const char *why)
{
  char what[1200];
  op_describe(o, what, sizeof(what));
  fprintf(stderr,
          "soak: MISMATCH seed=%" PRIu64 " path=%s step=%" PRIu64 "\n"
          "  operation: %s\n  %s\n",
          k->opt.seed, k->opt.tree_path ? "tree" : "text", k->stepno, what,
          why);
  for (size_t i = 0; i < k->host.nended; i++)
    fprintf(stderr, "  ended in a callback: %s\n", k->host.ended[i]);
  for (size_t i = 0; i < k->host.nout && i < 40; i++)
    fprintf(stderr, "  sent to %s: %s\n", k->host.out[i].to,
            k->host.out[i].xml);
}

static void note_figures(soak *k)
{
  figures *f = &k->fig;
  int rooms = 0, occupants = 0;
  for (int i = 0; i < SOAK_ROOMS; i++) {
    int n = model_occupants(&k->m.room[i]);
    rooms += k->m.room[i].exists;
    occupants += n;
    if (n > f->max_room_occupants)
      f->max_room_occupants = n;
  }
  if (rooms > f->max_rooms)
    f->max_rooms = rooms;
  if (occupants > f->max_occupants)
    f->max_occupants = occupants;
  size_t use = muc_service_get_memory_usage(k->host.svc);
  if (use > f->max_usage)
    f->max_usage = use;
}

/* One operation: hand it over, apply it (and the sessions ended from the
 * callbacks) to the model, check.  Returns 0 or 1 after reporting. */
static int run_step(soak *k, const op *o)
{
  soak_host *h = &k->host;
  model before = k->m;
  expect e;
  op_apply(o, &k->m, &e);
  model applied = k->m;
  int rc;
  if (o->kind == OP_END) {
    char jid[64];
    soak_session_jid(o->session, jid, sizeof(jid));
    rc = muc_service_session_ended(h->svc, jid);
  } else {
    rc = soak_host_send(h, o->xml, o->as_text);
  }
  /* the nested calls ran before the entry point returned, in order */
  for (size_t i = 0; i < h->nended; i++)
    model_session_ended(&k->m, soak_session_of(h->ended[i]));
  k->fig.ended_in_callback += h->nended;
  k->fig.by_kind[o->kind]++;
  k->fig.refused[o->kind] += e.kind == EXPECT_ERROR || e.kind == EXPECT_NOTHING;
  k->fig.stanzas += h->nout;
  step st = {&before, &applied, &k->m, &e, o->session, rc};
  char why[1024];
  int bad = check_deliveries(h, &st, why, sizeof(why)) ||
            check_state(h, &k->m, why, sizeof(why));
  if (bad)
    report_mismatch(k, o, why);
  note_figures(k);
  soak_host_clear(h);
  k->stepno++;
  return bad;
}

/* Every room is gone and the call has returned: the service holds what
 * it held at creation, to the byte (docs/limits.md, "What a service keeps
 * between calls": the caches go with the last room), by its own count and
 * by the allocator's, in as many blocks. */
static int check_memory(soak *k)
{
  size_t use = muc_service_get_memory_usage(k->host.svc);
  size_t live = k->host.live_bytes, blocks = k->host.live_blocks;
  k->last_drain_usage = use;
  if (use == k->base_usage && live == k->base_live && blocks == k->base_blocks)
    return 0;
  fprintf(stderr,
          "soak: MISMATCH seed=%" PRIu64 " step=%" PRIu64
          ": every room is gone but memory is %zu bytes (allocator: %zu in "
          "%zu blocks); at creation %zu (allocator: %zu in %zu blocks)\n",
          k->opt.seed, k->stepno, use, live, blocks, k->base_usage,
          k->base_live, k->base_blocks);
  return 1;
}

/* Every session ends, every remaining (persistent) room is destroyed by
 * its owner: memory must be back where it started. */
static int drain(soak *k)
{
  op o;
  for (int s = 0; s < SOAK_SESSIONS; s++) {
    memset(&o, 0, sizeof(o));
    o.kind = OP_END;
    o.session = s;
    if (run_step(k, &o))
      return 1;
  }
  for (int i = 0; i < SOAK_ROOMS; i++)
    if (k->m.room[i].exists &&
        (!op_destroy_by_owner(&o, &k->m, i) || run_step(k, &o)))
      return 1;
  k->fig.drains++;
  return check_memory(k);
}

static void print_figures(const soak *k, double secs)
{
  const figures *f = &k->fig;
  printf("soak: seed=%" PRIu64 " path=%s ops=%" PRIu64 " steps=%" PRIu64
         " in %.1f s\n",
         k->opt.seed, k->opt.tree_path ? "tree" : "text", k->opt.ops, k->stepno,
         secs);
  printf("  ops by kind (refused):");
  for (int i = 0; i < OP_KINDS; i++)
    if (f->by_kind[i])
      printf(" %s=%" PRIu64 "(%" PRIu64 ")", op_names[i], f->by_kind[i],
             f->refused[i]);
  printf("\n  stanzas checked=%" PRIu64 ", sessions ended in callbacks=%" PRIu64
         ", drains=%" PRIu64 "\n",
         f->stanzas, f->ended_in_callback, f->drains);
  printf("  max rooms=%d, max occupants=%d (in one room %d)\n", f->max_rooms,
         f->max_occupants, f->max_room_occupants);
  printf("  memory: %zu bytes at creation, %zu after every drain; peak %zu "
         "(usage query), %zu (allocator)\n",
         k->base_usage, k->last_drain_usage, f->max_usage, k->host.peak_bytes);
}

int main(int argc, char **argv)
{
  static soak k;
  if (parse_options(argc, argv, &k.opt) != 0)
    return usage();
  printf("soak: --seed %" PRIu64 " --ops %" PRIu64 " --path %s\n", k.opt.seed,
         k.opt.ops, k.opt.tree_path ? "tree" : "text");
  fflush(stdout);
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_sessions_per_occupant = SOAK_MAX_SESSIONS;
  cfg.max_occupants_per_room = SOAK_MAX_OCCUPANTS;
  if (soak_host_init(&k.host, k.opt.tree_path, &cfg) != MUC_OK) {
    fprintf(stderr, "soak: cannot create the service\n");
    return 1;
  }
  k.host.end_in_callback = k.opt.end_in_callback;
  k.host.rng = k.opt.seed ^ 0x5bd1e995u;
  k.rng = k.opt.seed;
  k.base_usage = muc_service_get_memory_usage(k.host.svc);
  k.base_live = k.host.live_bytes;
  k.base_blocks = k.host.live_blocks;
  clock_t t0 = clock();
  int bad = 0;
  for (uint64_t i = 0; i < k.opt.ops && !bad; i++) {
    op o;
    op_draw(&o, &k.rng, &k.m);
    bad = run_step(&k, &o);
    if (!bad && k.opt.drain && (i + 1) % k.opt.drain == 0)
      bad = drain(&k);
  }
  if (!bad)
    bad = drain(&k);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (!bad)
    print_figures(&k, secs);
  soak_host_free(&k.host);
  stanza_reader_free();
  return bad ? 1 : 0;
}
