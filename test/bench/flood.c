/*
 * flood.c - what flood control does to a flood (docs/flood.md): one
 * participant of a room of 100 sends 1,000 groupchat messages within one
 * millisecond of the host's clock; printed, for the default configuration
 * and for a few flood[MUC_FLOOD_MESSAGE] rows, how many the room fans out
 * (each to all 100 occupants) and how many it refuses; and what a message
 * costs (wall clock, ns) with flood control off, and on with a bucket the
 * sender never empties (the check itself).  Not a test: it prints
 * figures.
 *
 * Usage: bench_flood [MESSAGES]   (default 1000)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DOMAIN "conference.localhost"
#define ROOM "hall@" DOMAIN
#define OCCUPANTS 100

typedef struct host {
  uint64_t now;
  size_t messages, errors;
} host;

static void die(const char *what, int rc)
{
  fprintf(stderr, "bench_flood: %s: %s\n", what, muc_strerror(rc));
  exit(1);
}

static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)len;
  host *h = ud;
  if (strstr(xml, "type=\"error\""))
    h->errors++;
  else if (strncmp(xml, "<message", 8) == 0)
    h->messages++;
  return 0;
}

static uint64_t on_now(void *ud)
{
  return ((host *)ud)->now;
}

static void send(muc_service *svc, const char *xml)
{
  int rc = muc_service_handle_xml(svc, xml, strlen(xml));
  if (rc != MUC_OK)
    die("handle_xml", rc);
}

/* A room of OCCUPANTS: u0 made it (its owner, a moderator), the others
 * are participants. */
static muc_service *room_of_100(host *h, const muc_config *cfg)
{
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.send_bytes = on_send;
  cb.now = on_now;
  muc_service *svc = NULL;
  int rc = muc_service_new(&svc, DOMAIN, &cb, cfg, NULL, h);
  if (rc != MUC_OK)
    die("service_new", rc);
  char xml[256];
  for (int i = 0; i < OCCUPANTS; i++) {
    snprintf(xml, sizeof xml,
             "<presence from='u%d@localhost/r' to='" ROOM "/u%d'><x "
             "xmlns='http://jabber.org/protocol/muc'/></presence>",
             i, i);
    send(svc, xml);
  }
  return svc;
}

static double now_ns(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static const char *const message = "<message from='u1@localhost/r' to='" ROOM
                                   "' type='groupchat'><body>spam</body>"
                                   "</message>";

/* |n| messages from u1 within one ms; how many were fanned out. */
static void flood(const char *label, const muc_config *cfg, int n)
{
  host h = {.now = 1767225600000ull};
  muc_service *svc = room_of_100(&h, cfg);
  h.messages = h.errors = 0;
  for (int i = 0; i < n; i++) {
    h.now = 1767225600000ull + (uint64_t)i / (uint64_t)n; /* one ms */
    send(svc, message);
  }
  printf("%-44s %6zu fanned out (%zu deliveries), %6zu refused\n", label,
         h.messages / OCCUPANTS, h.messages, h.errors);
  muc_service_free(svc);
}

/* Wall-clock ns per message (fan-out to 100 included) of one round. */
static double round_ns(const muc_config *cfg, int n)
{
  host h = {.now = 1767225600000ull};
  muc_service *svc = room_of_100(&h, cfg);
  double t0 = now_ns();
  for (int i = 0; i < n; i++)
    send(svc, message);
  double per = (now_ns() - t0) / n;
  muc_service_free(svc);
  return per;
}

/* The best of |rounds| of each, the two taking turns (a loaded machine
 * slows both alike). */
static void cost(const muc_config *a, const muc_config *b, int n, int rounds,
                 double *best_a, double *best_b)
{
  for (int r = 0; r < rounds; r++) {
    double x = round_ns(a, n), y = round_ns(b, n);
    if (r == 0 || x < *best_a)
      *best_a = x;
    if (r == 0 || y < *best_b)
      *best_b = y;
  }
}

int main(int argc, char **argv)
{
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  if (n <= 0)
    return 2;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  printf("%d groupchat messages from one participant within 1 ms, room of "
         "%d:\n",
         n, OCCUPANTS);
  flood("default configuration (flood control off)", &cfg, n);
  static const struct {
    const char *label;
    uint32_t per_minute, burst;
  } rows[] = {
      {"message 30/min, burst 3 (Prosody's 0.5/s, x6)", 30, 3},
      {"message 60/min, burst 10", 60, 10},
      {"message 600/min, burst 100", 600, 100},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    muc_config c = cfg;
    c.flood[MUC_FLOOD_MESSAGE].per_minute = rows[i].per_minute;
    c.flood[MUC_FLOOD_MESSAGE].burst = rows[i].burst;
    flood(rows[i].label, &c, n);
  }
  muc_config on = cfg;
  on.flood[MUC_FLOOD_MESSAGE].per_minute = 600000;
  on.flood[MUC_FLOOD_MESSAGE].burst = 1000000; /* never empty */
  int m = 20000;
  double off_ns = 0, on_ns = 0;
  cost(&cfg, &on, m, 9, &off_ns, &on_ns);
  printf("ns per message fanned out to %d (best of 9 x %d): flood control "
         "off %.0f, on (never over) %.0f (%+.1f%%)\n",
         OCCUPANTS, m, off_ns, on_ns, (on_ns - off_ns) * 100.0 / off_ns);
  return 0;
}
